//! The typed records of the registry, one struct per interchange-v1 table.
//!
//! `Option` means *unknown* (an empty cell), which is never the same as zero: the policy
//! engine reports "cannot decide: missing X" instead of guessing. Columns a file carried
//! that the format does not know are kept in `extra`, in file order, never dropped.

use crate::{
    Area, Date, DisabilityKind, Employment, EventKind, Fen, HospitalLevel, Illness, RegionCode,
    Relation, SelfCare, Sex,
};

/// Columns outside the format, kept aside as (column, value).
pub type Extra = Vec<(String, String)>;

/// 户: one row of `households.csv`. `S` holds its texts, as in [`Person`].
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Household<S = String> {
    pub household_id: S,
    pub region_code: RegionCode,
    pub area: Option<Area>,
    pub savings: Option<Fen>,
    pub houses: Option<u32>,
    pub vehicles: Option<u32>,
    pub address: Option<S>,
    pub extra: Extra,
}

impl Household<&str> {
    /// The record of this view, its texts made strings.
    pub fn into_owned(self) -> Household {
        Household {
            household_id: self.household_id.to_owned(),
            region_code: self.region_code,
            area: self.area,
            savings: self.savings,
            houses: self.houses,
            vehicles: self.vehicles,
            address: self.address.map(str::to_owned),
            extra: self.extra,
        }
    }
}

/// One row of `persons.csv`. `S` holds its texts: `String` in a record; `&str`, the
/// row's own cells, for a reader that keeps none of them (the evaluation's fast load
/// decodes millions of rows without making a string of any: `decode::person_view`,
/// and likewise for households and stays).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Person<S = String> {
    pub person_id: S,
    pub household_id: S,
    /// Validated 18-character number, final `X` upper-case (as written in a view).
    pub id_number: S,
    pub name: S,
    pub sex: Sex,
    pub birth_date: Date,
    pub relation: Relation,
    pub disability_grade: Option<u8>,
    pub disability_kind: Option<DisabilityKind>,
    pub self_care: Option<SelfCare>,
    pub employment: Option<Employment>,
    pub wage_income: Option<Fen>,
    pub business_income: Option<Fen>,
    pub property_income: Option<Fen>,
    pub transfer_income: Option<Fen>,
    pub illness: Option<Illness>,
    pub capable_supporter: Option<bool>,
    pub orphan: Option<bool>,
    pub deceased_on: Option<Date>,
    pub extra: Extra,
}

impl Person<&str> {
    /// The record of this view, its texts made strings as they are.
    pub fn into_owned(self) -> Person {
        let own = str::to_owned;
        Person {
            person_id: own(self.person_id),
            household_id: own(self.household_id),
            id_number: own(self.id_number),
            name: own(self.name),
            sex: self.sex,
            birth_date: self.birth_date,
            relation: self.relation,
            disability_grade: self.disability_grade,
            disability_kind: self.disability_kind,
            self_care: self.self_care,
            employment: self.employment,
            wage_income: self.wage_income,
            business_income: self.business_income,
            property_income: self.property_income,
            transfer_income: self.transfer_income,
            illness: self.illness,
            capable_supporter: self.capable_supporter,
            orphan: self.orphan,
            deceased_on: self.deceased_on,
            extra: self.extra,
        }
    }
}

/// One medical-insurance settlement (医保结算) of `hospital_stays.csv`. `S` holds its
/// ids, as in [`Person`].
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct HospitalStay<S = String> {
    pub stay_id: S,
    pub person_id: S,
    pub admit_date: Date,
    pub discharge_date: Date,
    pub hospital_level: HospitalLevel,
    pub in_district: bool,
    pub total_cost: Fen,
    /// 政策范围内费用, never above `total_cost`.
    pub covered_cost: Fen,
    pub extra: Extra,
}

impl HospitalStay<&str> {
    /// The record of this view, its ids made strings.
    pub fn into_owned(self) -> HospitalStay {
        HospitalStay {
            stay_id: self.stay_id.to_owned(),
            person_id: self.person_id.to_owned(),
            admit_date: self.admit_date,
            discharge_date: self.discharge_date,
            hospital_level: self.hospital_level,
            in_district: self.in_district,
            total_cost: self.total_cost,
            covered_cost: self.covered_cost,
            extra: self.extra,
        }
    }
}

/// A signal from another department (`events.csv`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Event {
    pub event_id: String,
    pub person_id: Option<String>,
    pub household_id: String,
    pub kind: EventKind,
    pub date: Date,
    pub amount: Option<Fen>,
    pub note: Option<String>,
    pub extra: Extra,
}

/// Who receives what today (`enrollments.csv`); keyed by (household, person, program).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Enrollment {
    pub household_id: String,
    pub person_id: Option<String>,
    pub program: String,
    pub since: Date,
    pub monthly_amount: Option<Fen>,
    pub until: Option<Date>,
    pub extra: Extra,
}

impl Enrollment {
    /// The upsert key (monitoring-rules.md: household, person, program).
    pub fn key(&self) -> (&str, &str, &str) {
        (
            &self.household_id,
            self.person_id.as_deref().unwrap_or(""),
            &self.program,
        )
    }
}

/// Error type of a [`RecordSink`]: whatever the destination (file, database, memory) fails with.
pub type SinkError = Box<dyn std::error::Error + Send + Sync>;

/// A destination for a stream of registry records — the CSV writers, a store being
/// exported, a synthetic district being generated. Calls may interleave tables.
pub trait RecordSink {
    fn household(&mut self, r: &Household) -> Result<(), SinkError>;
    fn person(&mut self, r: &Person) -> Result<(), SinkError>;
    fn stay(&mut self, r: &HospitalStay) -> Result<(), SinkError>;
    fn event(&mut self, r: &Event) -> Result<(), SinkError>;
    fn enrollment(&mut self, r: &Enrollment) -> Result<(), SinkError>;
}

/// Collects records in memory, in arrival order (tests, small exports).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Registry {
    pub households: Vec<Household>,
    pub persons: Vec<Person>,
    pub stays: Vec<HospitalStay>,
    pub events: Vec<Event>,
    pub enrollments: Vec<Enrollment>,
}

impl Registry {
    /// Hands every record to `sink`, table by table in arrival order.
    pub fn replay(&self, sink: &mut dyn RecordSink) -> Result<(), SinkError> {
        self.households.iter().try_for_each(|r| sink.household(r))?;
        self.persons.iter().try_for_each(|r| sink.person(r))?;
        self.stays.iter().try_for_each(|r| sink.stay(r))?;
        self.events.iter().try_for_each(|r| sink.event(r))?;
        self.enrollments.iter().try_for_each(|r| sink.enrollment(r))
    }

    /// Sorts every table by its key, so two registries compare independently of order.
    pub fn sort(&mut self) {
        self.households
            .sort_by(|a, b| a.household_id.cmp(&b.household_id));
        self.persons.sort_by(|a, b| a.person_id.cmp(&b.person_id));
        self.stays.sort_by(|a, b| a.stay_id.cmp(&b.stay_id));
        self.events.sort_by(|a, b| a.event_id.cmp(&b.event_id));
        self.enrollments.sort_by(|a, b| a.key().cmp(&b.key()));
    }
}

impl RecordSink for Registry {
    fn household(&mut self, r: &Household) -> Result<(), SinkError> {
        self.households.push(r.clone());
        Ok(())
    }
    fn person(&mut self, r: &Person) -> Result<(), SinkError> {
        self.persons.push(r.clone());
        Ok(())
    }
    fn stay(&mut self, r: &HospitalStay) -> Result<(), SinkError> {
        self.stays.push(r.clone());
        Ok(())
    }
    fn event(&mut self, r: &Event) -> Result<(), SinkError> {
        self.events.push(r.clone());
        Ok(())
    }
    fn enrollment(&mut self, r: &Enrollment) -> Result<(), SinkError> {
        self.enrollments.push(r.clone());
        Ok(())
    }
}

/// One household with everything recorded about it: what the household page shows and
/// what the policy engine's `explain` reads. Persons by person id, stays by (person,
/// discharge date), events by date, enrollments by program — the store's order.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct HouseholdBundle {
    pub household: Household,
    pub persons: Vec<Person>,
    pub stays: Vec<HospitalStay>,
    pub events: Vec<Event>,
    pub enrollments: Vec<Enrollment>,
}

impl HouseholdBundle {
    /// The bundle as a registry of one household.
    pub fn registry(&self) -> Registry {
        Registry {
            households: vec![self.household.clone()],
            persons: self.persons.clone(),
            stays: self.stays.clone(),
            events: self.events.clone(),
            enrollments: self.enrollments.clone(),
        }
    }
}
