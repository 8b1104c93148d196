//! One raw row → one typed record, or every problem the row has (not just the first), each
//! naming its column and value. Field rules come from `minsheng_model::field`; this module
//! only knows which column feeds which field.

use crate::source::{Header, RawRow};
use crate::table::Table;
use minsheng_model::field::{self, FieldResult};
use minsheng_model::{
    Area, DisabilityKind, Employment, Enrollment, Event, EventKind, Extra, HospitalLevel,
    HospitalStay, Household, Illness, Person, Problem, ProblemKind, RegionTable, Relation,
    SelfCare, Sex,
};

/// A decoded row: the record, or the problems that keep it out.
pub type Decoded<T> = Result<T, Vec<Problem>>;

/// Reads cells by table column position and collects problems.
struct Cells<'r> {
    row: &'r RawRow<'r>,
    header: &'r Header,
    columns: &'static [crate::table::Column],
    problems: Vec<Problem>,
}

impl<'r> Cells<'r> {
    fn new(table: Table, row: &'r RawRow<'r>) -> Self {
        let header = row.header;
        let mut c = Cells {
            row,
            header,
            columns: table.columns(),
            problems: Vec::new(),
        };
        let extra_cells = (header.width..row.record.len())
            .filter(|&i| !row.cell(i).trim().is_empty())
            .count();
        if extra_cells > 0 {
            let detail =
                format!("本行比表头多出 {extra_cells} 个非空单元格，可能是内容中的逗号未加引号");
            c.problems
                .push(Problem::new("", "", ProblemKind::Unreadable { detail }));
        }
        c
    }

    fn raw(&self, k: usize) -> &'r str {
        self.header.index[k].map_or("", |i| self.row.cell(i))
    }

    /// Column `k` through `parse`; on failure records the problem and returns `None`.
    fn get<T>(&mut self, k: usize, parse: impl FnOnce(&'r str) -> FieldResult<T>) -> Option<T> {
        let raw = self.raw(k);
        match parse(raw) {
            Ok(v) => Some(v),
            Err(kind) => {
                self.problems
                    .push(Problem::new(self.columns[k].name, raw, kind));
                None
            }
        }
    }

    /// Like [`Self::get`] for optional columns: failure and absence both give `None`.
    fn opt<T>(
        &mut self,
        k: usize,
        parse: impl FnOnce(&'r str) -> FieldResult<Option<T>>,
    ) -> Option<T> {
        self.get(k, parse).flatten()
    }

    fn problem(&mut self, column: &'static str, kind: ProblemKind) {
        let k = self
            .columns
            .iter()
            .position(|c| c.name == column)
            .unwrap_or(0);
        let raw = self.raw(k);
        self.problems.push(Problem::new(column, raw, kind));
    }

    fn extra(&self) -> Extra {
        self.header
            .unknown
            .iter()
            .filter_map(|(name, i)| {
                field::non_empty(self.row.cell(*i)).map(|v| (name.clone(), v.to_owned()))
            })
            .collect()
    }

    fn finish<T>(self, record: Option<T>) -> Decoded<T> {
        match record {
            Some(r) if self.problems.is_empty() => Ok(r),
            _ => Err(self.problems),
        }
    }
}

fn count(s: &str) -> FieldResult<Option<u32>> {
    Ok(field::opt_int(s, 0, 999)?.map(|v| v as u32))
}

/// `households.csv` row. `regions` is the deployment's region table.
pub fn household(row: &RawRow<'_>, regions: &RegionTable) -> Decoded<Household> {
    owned(
        Table::Households,
        row,
        |c| household_cells(c, regions),
        |h, extra| Household {
            extra,
            ..h.into_owned()
        },
    )
}

/// A `households.csv` row decoded as [`household`] decodes it, its texts left in the row.
pub fn household_view<'r>(
    row: &'r RawRow<'r>,
    regions: &RegionTable,
) -> Decoded<Household<&'r str>> {
    view(Table::Households, row, |c| household_cells(c, regions))
}

fn household_cells<'r>(c: &mut Cells<'r>, regions: &RegionTable) -> Option<Household<&'r str>> {
    let household_id = c.get(0, field::id_str);
    let region_code = c.get(1, |s| field::village_code(s, regions));
    let area = c.opt(2, |s| {
        field::opt_code(s, Area::from_code, Area::expected_list)
    });
    let savings = c.opt(3, field::opt_money);
    let houses = c.opt(4, count);
    let vehicles = c.opt(5, count);
    let address = field::non_empty(c.raw(6));
    Some(Household {
        household_id: household_id?,
        region_code: region_code?,
        area,
        savings,
        houses,
        vehicles,
        address,
        extra: Extra::new(),
    })
}

/// A row read by `cells` (which notes each problem in the row's `Cells`) into a record
/// whose texts are the row's own cells.
fn view<'r, T>(
    table: Table,
    row: &'r RawRow<'r>,
    cells: impl FnOnce(&mut Cells<'r>) -> Option<T>,
) -> Decoded<T> {
    let mut c = Cells::new(table, row);
    let v = cells(&mut c);
    c.finish(v)
}

/// A row read by `cells` as in [`view`], made a record by `own` with the values of the
/// row's columns the format does not know.
fn owned<'r, V, T>(
    table: Table,
    row: &'r RawRow<'r>,
    cells: impl FnOnce(&mut Cells<'r>) -> Option<V>,
    own: impl FnOnce(V, Extra) -> T,
) -> Decoded<T> {
    let mut c = Cells::new(table, row);
    let v = cells(&mut c);
    let extra = c.extra();
    c.finish(v.map(|v| own(v, extra)))
}

/// `persons.csv` row, with the ID number checked against birth date and sex.
pub fn person(row: &RawRow<'_>) -> Decoded<Person> {
    owned(Table::Persons, row, person_cells, |p, extra| {
        let mut p = Person {
            extra,
            ..p.into_owned()
        };
        p.id_number.make_ascii_uppercase();
        p
    })
}

/// A `persons.csv` row decoded as [`person`] decodes it — the same rules, the same
/// problems — with its texts left in the row (the ID number as written, no `extra`):
/// for readers that keep none of them.
pub fn person_view<'r>(row: &'r RawRow<'r>) -> Decoded<Person<&'r str>> {
    view(Table::Persons, row, person_cells)
}

/// The cells of a person's row: every field read (each problem noted in `c`), then the
/// rules between fields; `None` when a required field failed.
fn person_cells<'r>(c: &mut Cells<'r>) -> Option<Person<&'r str>> {
    let person_id = c.get(0, field::id_str);
    let household_id = c.get(1, field::id_str);
    let id_number = c.get(2, field::id_number_str);
    let name = c.get(3, field::text_str);
    let sex = c.get(4, |s| field::code(s, Sex::from_code, Sex::expected_list));
    let birth_date = c.get(5, field::date);
    let relation = c.get(6, |s| {
        field::code(s, Relation::from_code, Relation::expected_list)
    });
    let disability_grade = c.opt(7, |s| Ok(field::opt_int(s, 0, 4)?.map(|v| v as u8)));
    let disability_kind = c.opt(8, |s| {
        field::opt_code(s, DisabilityKind::from_code, DisabilityKind::expected_list)
    });
    let self_care = c.opt(9, |s| {
        field::opt_code(s, SelfCare::from_code, SelfCare::expected_list)
    });
    let employment = c.opt(10, |s| {
        field::opt_code(s, Employment::from_code, Employment::expected_list)
    });
    let wage_income = c.opt(11, field::opt_money);
    let business_income = c.opt(12, field::opt_money);
    let property_income = c.opt(13, field::opt_money);
    let transfer_income = c.opt(14, field::opt_money);
    let illness = c.opt(15, |s| {
        field::opt_code(s, Illness::from_code, Illness::expected_list)
    });
    let capable_supporter = c.opt(16, field::opt_bool);
    let orphan = c.opt(17, field::opt_bool);
    let deceased_on = c.opt(18, field::opt_date);
    let (id_number, facts) = id_number?;
    let p = Person {
        person_id: person_id?,
        household_id: household_id?,
        id_number,
        name: name?,
        sex: sex?,
        birth_date: birth_date?,
        relation: relation?,
        disability_grade,
        disability_kind,
        self_care,
        employment,
        wage_income,
        business_income,
        property_income,
        transfer_income,
        illness,
        capable_supporter,
        orphan,
        deceased_on,
        extra: Extra::new(),
    };
    for (column, kind) in field::check_person(&p, facts) {
        c.problem(column, kind);
    }
    Some(p)
}

/// `hospital_stays.csv` row.
pub fn stay(row: &RawRow<'_>) -> Decoded<HospitalStay> {
    owned(Table::HospitalStays, row, stay_cells, |s, extra| {
        HospitalStay {
            extra,
            ..s.into_owned()
        }
    })
}

/// A `hospital_stays.csv` row decoded as [`stay`] decodes it, its ids left in the row.
pub fn stay_view<'r>(row: &'r RawRow<'r>) -> Decoded<HospitalStay<&'r str>> {
    view(Table::HospitalStays, row, stay_cells)
}

fn stay_cells<'r>(c: &mut Cells<'r>) -> Option<HospitalStay<&'r str>> {
    let stay_id = c.get(0, field::id_str);
    let person_id = c.get(1, field::id_str);
    let admit_date = c.get(2, field::date);
    let discharge_date = c.get(3, field::date);
    let hospital_level = c.get(4, |s| {
        field::code(s, HospitalLevel::from_code, HospitalLevel::expected_list)
    });
    let in_district = c.get(5, field::bool);
    let total_cost = c.get(6, field::money);
    let covered_cost = c.get(7, field::money);
    let s = HospitalStay {
        stay_id: stay_id?,
        person_id: person_id?,
        admit_date: admit_date?,
        discharge_date: discharge_date?,
        hospital_level: hospital_level?,
        in_district: in_district?,
        total_cost: total_cost?,
        covered_cost: covered_cost?,
        extra: Extra::new(),
    };
    for (column, kind) in field::check_stay(&s) {
        c.problem(column, kind);
    }
    Some(s)
}

/// `events.csv` row.
pub fn event(row: &RawRow<'_>) -> Decoded<Event> {
    let mut c = Cells::new(Table::Events, row);
    let event_id = c.get(0, field::id);
    let person_id = c.opt(1, field::opt_id);
    let household_id = c.get(2, field::id);
    let kind = c.get(3, |s| {
        field::code(s, EventKind::from_code, EventKind::expected_list)
    });
    let date = c.get(4, field::date);
    let amount = c.opt(5, field::opt_money);
    let note = field::opt_text(c.raw(6));
    let extra = c.extra();
    let rec = match (event_id, household_id, kind, date) {
        (Some(event_id), Some(household_id), Some(kind), Some(date)) => Some(Event {
            event_id,
            person_id,
            household_id,
            kind,
            date,
            amount,
            note,
            extra,
        }),
        _ => None,
    };
    c.finish(rec)
}

/// `enrollments.csv` row.
pub fn enrollment(row: &RawRow<'_>) -> Decoded<Enrollment> {
    let mut c = Cells::new(Table::Enrollments, row);
    let household_id = c.get(0, field::id);
    let person_id = c.opt(1, field::opt_id);
    let program = c.get(2, field::id);
    let since = c.get(3, field::date);
    let monthly_amount = c.opt(4, field::opt_money);
    let until = c.opt(5, field::opt_date);
    let extra = c.extra();
    let (Some(household_id), Some(program), Some(since)) = (household_id, program, since) else {
        return c.finish(None);
    };
    if until.is_some_and(|u| u < since) {
        c.problem("until", ProblemKind::DateOrder { other: "since" });
    }
    c.finish(Some(Enrollment {
        household_id,
        person_id,
        program,
        since,
        monthly_amount,
        until,
        extra,
    }))
}
