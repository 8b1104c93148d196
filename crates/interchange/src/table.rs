//! The five tables of interchange-v1, their file names and columns.
//!
//! Column order here is the order minsheng writes; readers accept any order. A column
//! marked required must be present in the header and non-empty in every row.

/// One interchange table.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Table {
    Households,
    Persons,
    HospitalStays,
    Events,
    Enrollments,
}

/// A column of a table.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Column {
    pub name: &'static str,
    pub required: bool,
}

const fn req(name: &'static str) -> Column {
    Column {
        name,
        required: true,
    }
}
const fn opt(name: &'static str) -> Column {
    Column {
        name,
        required: false,
    }
}

pub const HOUSEHOLD_COLUMNS: &[Column] = &[
    req("household_id"),
    req("region_code"),
    opt("area"),
    opt("savings"),
    opt("houses"),
    opt("vehicles"),
    opt("address"),
];

pub const PERSON_COLUMNS: &[Column] = &[
    req("person_id"),
    req("household_id"),
    req("id_number"),
    req("name"),
    req("sex"),
    req("birth_date"),
    req("relation"),
    opt("disability_grade"),
    opt("disability_kind"),
    opt("self_care"),
    opt("employment"),
    opt("wage_income"),
    opt("business_income"),
    opt("property_income"),
    opt("transfer_income"),
    opt("illness"),
    opt("capable_supporter"),
    opt("orphan"),
    opt("deceased_on"),
];

pub const STAY_COLUMNS: &[Column] = &[
    req("stay_id"),
    req("person_id"),
    req("admit_date"),
    req("discharge_date"),
    req("hospital_level"),
    req("in_district"),
    req("total_cost"),
    req("covered_cost"),
];

pub const EVENT_COLUMNS: &[Column] = &[
    req("event_id"),
    opt("person_id"),
    req("household_id"),
    req("kind"),
    req("date"),
    opt("amount"),
    opt("note"),
];

pub const ENROLLMENT_COLUMNS: &[Column] = &[
    req("household_id"),
    opt("person_id"),
    req("program"),
    req("since"),
    opt("monthly_amount"),
    opt("until"),
];

impl Table {
    /// In import order: a table only refers to tables before it.
    pub const ALL: [Table; 5] = [
        Table::Households,
        Table::Persons,
        Table::HospitalStays,
        Table::Events,
        Table::Enrollments,
    ];

    /// File stem and XLSX sheet name.
    pub const fn name(self) -> &'static str {
        match self {
            Table::Households => "households",
            Table::Persons => "persons",
            Table::HospitalStays => "hospital_stays",
            Table::Events => "events",
            Table::Enrollments => "enrollments",
        }
    }

    /// What a caseworker calls the rows of this table.
    pub const fn label(self) -> &'static str {
        match self {
            Table::Households => "家庭",
            Table::Persons => "人员",
            Table::HospitalStays => "住院结算记录",
            Table::Events => "部门事件",
            Table::Enrollments => "待遇享受记录",
        }
    }

    pub const fn columns(self) -> &'static [Column] {
        match self {
            Table::Households => HOUSEHOLD_COLUMNS,
            Table::Persons => PERSON_COLUMNS,
            Table::HospitalStays => STAY_COLUMNS,
            Table::Events => EVENT_COLUMNS,
            Table::Enrollments => ENROLLMENT_COLUMNS,
        }
    }

    pub fn from_name(s: &str) -> Option<Table> {
        Table::ALL.into_iter().find(|t| t.name() == s)
    }

    /// `households.csv`, …
    pub fn file_name(self) -> String {
        format!("{}.csv", self.name())
    }
}

impl std::fmt::Display for Table {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.name())
    }
}
