//! The population as columns: the registry's households, persons and hospital stays laid
//! out struct-of-arrays for one evaluated month, the way the evaluator reads them.
//!
//! - Households keep the registry's order (by id); each owns a contiguous range of
//!   persons, so an aggregation from members to their household is a segmented
//!   reduction over `members[h]`.
//! - Persons are grouped by household, ordered by id within it. Persons ignored in the
//!   month — dead before it began (reference-rules clarification 9: from the first day of
//!   the month after `deceased_on`) — are left out, and so are their stays.
//! - Stays are ordered by (person, discharge date, stay_id as bytes), the order of the
//!   medical chain (clarification 5); stays discharged after the month are left out.
//! - A column is its values plus a `known` mask: an empty cell is unknown, never zero.
//!   Vocabulary values are stored as their enum.

mod build;

pub use build::{
    FrameBuilder, HouseholdRow, InOrder, Parts, PersonRow, StayRow, assemble, assemble_in_order,
};
use chrono::{Datelike, Months};
use minsheng_model::{
    Area, Date, DisabilityKind, Employment, HospitalLevel, Id, Illness, RegionCode, Registry,
    Relation, SelfCare, Sex,
};
use std::ops::Range;

/// Values with a per-unit "known" flag.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Column<T> {
    pub values: Vec<T>,
    pub known: Vec<bool>,
}

impl<T> Column<T> {
    fn reserve(&mut self, n: usize) {
        self.values.reserve_exact(n);
        self.known.reserve_exact(n);
    }
}

impl<T: Copy + Default> Column<T> {
    fn push(&mut self, v: Option<T>) {
        self.known.push(v.is_some());
        self.values.push(v.unwrap_or_default());
    }

    /// The value of unit `i`, `None` when unknown.
    pub fn get(&self, i: usize) -> Option<T> {
        self.known[i].then(|| self.values[i])
    }

    pub fn len(&self) -> usize {
        self.values.len()
    }

    pub fn is_empty(&self) -> bool {
        self.values.is_empty()
    }
}

/// Households, in registry order.
#[derive(Clone, Debug, Default)]
pub struct Households {
    pub id: Vec<Id>,
    pub region: Vec<RegionCode>,
    pub area: Column<Area>,
    /// Fen.
    pub savings: Column<i64>,
    pub houses: Column<i64>,
    pub vehicles: Column<i64>,
    /// The household's persons: a range of the person columns.
    pub members: Vec<Range<u32>>,
}

/// Persons counted in the month, grouped by household.
#[derive(Clone, Debug, Default)]
pub struct Persons {
    pub id: Vec<Id>,
    pub household: Vec<u32>,
    pub sex: Vec<Sex>,
    pub birth_date: Vec<Date>,
    /// Full years on the first day of the month.
    pub age: Vec<i32>,
    pub relation: Vec<Relation>,
    pub disability_grade: Column<i64>,
    pub disability_kind: Column<DisabilityKind>,
    pub self_care: Column<SelfCare>,
    pub employment: Column<Employment>,
    /// Fen per month.
    pub wage_income: Column<i64>,
    pub business_income: Column<i64>,
    pub property_income: Column<i64>,
    pub transfer_income: Column<i64>,
    pub illness: Column<Illness>,
    pub capable_supporter: Column<bool>,
    pub orphan: Column<bool>,
    /// The person's stays: a range of the stay columns.
    pub stays: Vec<Range<u32>>,
}

/// Hospital stays discharged up to the end of the month, in medical-chain order.
#[derive(Clone, Debug, Default)]
pub struct Stays {
    pub id: Vec<Id>,
    pub person: Vec<u32>,
    pub admit_date: Vec<Date>,
    pub discharge_date: Vec<Date>,
    pub level: Vec<HospitalLevel>,
    pub in_district: Vec<bool>,
    /// Fen.
    pub total_cost: Vec<i64>,
    pub covered_cost: Vec<i64>,
}

/// The whole population of one evaluated month.
#[derive(Clone, Debug, Default)]
pub struct Frame {
    /// First day of the evaluated month.
    pub month: Date,
    pub households: Households,
    pub persons: Persons,
    pub stays: Stays,
}

/// Data the frame cannot be built from (the importer normally refuses these first).
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum FrameError {
    #[error("人员 {person} 所属家庭 {household} 不存在 / person's household not found")]
    UnknownHousehold { person: String, household: String },
    #[error("住院记录 {stay} 的人员 {person} 不存在 / stay's person not found")]
    UnknownPerson { stay: String, person: String },
    #[error("编号 {id} 出现了不止一次 / the id occurs more than once")]
    Duplicate { id: String },
}

/// Whether a person dead on `deceased_on` is still counted in the month starting `month`:
/// yes up to the end of the month of death.
#[inline]
pub fn counted_in(deceased_on: Option<Date>, month: Date) -> bool {
    match deceased_on {
        None => true,
        Some(d) => {
            let first_of_death_month = Date::from_ymd_opt(d.year(), d.month(), 1).unwrap_or(d);
            first_of_death_month
                .checked_add_months(Months::new(1))
                .is_none_or(|next| next > month)
        }
    }
}

impl Households {
    fn reserve(&mut self, n: usize) {
        self.id.reserve_exact(n);
        self.region.reserve_exact(n);
        self.area.reserve(n);
        self.savings.reserve(n);
        self.houses.reserve(n);
        self.vehicles.reserve(n);
        self.members.reserve_exact(n);
    }
}

impl Persons {
    fn reserve(&mut self, n: usize) {
        self.id.reserve_exact(n);
        self.household.reserve_exact(n);
        self.sex.reserve_exact(n);
        self.birth_date.reserve_exact(n);
        self.age.reserve_exact(n);
        self.relation.reserve_exact(n);
        self.disability_grade.reserve(n);
        self.disability_kind.reserve(n);
        self.self_care.reserve(n);
        self.employment.reserve(n);
        self.wage_income.reserve(n);
        self.business_income.reserve(n);
        self.property_income.reserve(n);
        self.transfer_income.reserve(n);
        self.illness.reserve(n);
        self.capable_supporter.reserve(n);
        self.orphan.reserve(n);
        self.stays.reserve_exact(n);
    }
}

impl Stays {
    fn reserve(&mut self, n: usize) {
        self.id.reserve_exact(n);
        self.person.reserve_exact(n);
        self.admit_date.reserve_exact(n);
        self.discharge_date.reserve_exact(n);
        self.level.reserve_exact(n);
        self.in_district.reserve_exact(n);
        self.total_cost.reserve_exact(n);
        self.covered_cost.reserve_exact(n);
    }
}

impl Frame {
    /// An empty frame for the month starting `month` with room for `households`,
    /// `persons` and `stays` (a frame is filled once: columns sized exactly are written
    /// once, where growing ones are copied as they double).
    pub fn with_capacity(month: Date, households: usize, persons: usize, stays: usize) -> Frame {
        let mut f = Frame {
            month,
            ..Frame::default()
        };
        f.households.reserve(households);
        f.persons.reserve(persons);
        f.stays.reserve(stays);
        f
    }

    /// Lays out `registry` for the month starting `month` (its first day), as one chunk.
    pub fn build(registry: &Registry, month: Date) -> Result<Frame, FrameError> {
        let mut frames = FrameBuilder::from_registry(registry).finish(month, usize::MAX)?;
        Ok(frames.pop().unwrap_or_default())
    }
}

#[cfg(test)]
pub(crate) mod tests;
