//! Each record type's row: the cells it writes, in [`TableDef::columns`] order, and how
//! it is read back.
//!
//! [`TableDef::columns`]: super::TableDef::columns

use super::text::region_digits;
use super::{
    Cell, CellSink, ENROLLMENTS, EVENTS, Fields, HOUSEHOLDS, PERSONS, Record, STAYS, StoredRow,
    TableDef,
};
use crate::StoreError;
use minsheng_model::{
    Area, Date, DisabilityKind, Employment, Enrollment, Event, EventKind, Extra, Fen,
    HospitalLevel, HospitalStay, Household, Illness, Person, RecordSink, Region, RegionLevel,
    Relation, SelfCare, Sex, SinkError,
};

/// The extra columns as stored: `NULL` when there are none.
fn extra(e: &Extra) -> Cell<'_> {
    if e.is_empty() {
        Cell::Null
    } else {
        Cell::Extra(e)
    }
}

fn opt_text(v: &Option<String>) -> Cell<'_> {
    v.as_deref().map_or(Cell::Null, Cell::Text)
}

fn opt_code(v: Option<&'static str>) -> Cell<'static> {
    v.map_or(Cell::Null, Cell::Text)
}

fn opt_money(v: Option<Fen>) -> Cell<'static> {
    v.map_or(Cell::Null, |f| Cell::Int(f.0))
}

fn opt_date(v: Option<Date>) -> Cell<'static> {
    v.map_or(Cell::Null, Cell::Date)
}

fn opt_bool(v: Option<bool>) -> Cell<'static> {
    v.map_or(Cell::Null, Cell::Bool)
}

impl Record for Household {
    const DEF: &'static TableDef = &HOUSEHOLDS;

    fn encode(&self, s: &mut impl CellSink) -> Result<(), StoreError> {
        // 12 digits, written without allocating.
        let region = region_digits(self.region_code);
        s.put(Cell::Text(&self.household_id))?;
        s.put(Cell::Text(region.as_str()))?;
        s.put(opt_code(self.area.map(Area::code)))?;
        s.put(opt_money(self.savings))?;
        s.put(self.houses.map_or(Cell::Null, |n| Cell::Int(i64::from(n))))?;
        s.put(
            self.vehicles
                .map_or(Cell::Null, |n| Cell::Int(i64::from(n))),
        )?;
        s.put(opt_text(&self.address))?;
        s.put(extra(&self.extra))
    }

    fn decode(f: &Fields<'_, impl StoredRow>) -> Result<Self, StoreError> {
        Ok(Household {
            household_id: f.text(0)?,
            region_code: f.region(1)?,
            area: f.opt_code(2, Area::from_code)?,
            savings: f.opt_money(3)?,
            houses: f.opt_small(4)?,
            vehicles: f.opt_small(5)?,
            address: f.opt_text(6)?,
            extra: f.extra(7)?,
        })
    }

    fn key(&self) -> (&str, &str, &str) {
        (&self.household_id, "", "")
    }

    fn emit(&self, sink: &mut dyn RecordSink) -> Result<(), SinkError> {
        sink.household(self)
    }
}

impl Record for Person {
    const DEF: &'static TableDef = &PERSONS;

    fn encode(&self, s: &mut impl CellSink) -> Result<(), StoreError> {
        s.put(Cell::Text(&self.person_id))?;
        s.put(Cell::Text(&self.household_id))?;
        s.put(Cell::Text(&self.id_number))?;
        s.put(Cell::Text(&self.name))?;
        s.put(Cell::Text(self.sex.code()))?;
        s.put(Cell::Date(self.birth_date))?;
        s.put(Cell::Text(self.relation.code()))?;
        s.put(
            self.disability_grade
                .map_or(Cell::Null, |g| Cell::Int(i64::from(g))),
        )?;
        s.put(opt_code(self.disability_kind.map(DisabilityKind::code)))?;
        s.put(opt_code(self.self_care.map(SelfCare::code)))?;
        s.put(opt_code(self.employment.map(Employment::code)))?;
        s.put(opt_money(self.wage_income))?;
        s.put(opt_money(self.business_income))?;
        s.put(opt_money(self.property_income))?;
        s.put(opt_money(self.transfer_income))?;
        s.put(opt_code(self.illness.map(Illness::code)))?;
        s.put(opt_bool(self.capable_supporter))?;
        s.put(opt_bool(self.orphan))?;
        s.put(opt_date(self.deceased_on))?;
        s.put(extra(&self.extra))
    }

    fn decode(f: &Fields<'_, impl StoredRow>) -> Result<Self, StoreError> {
        Ok(Person {
            person_id: f.text(0)?,
            household_id: f.text(1)?,
            id_number: f.text(2)?,
            name: f.text(3)?,
            sex: f.code(4, Sex::from_code)?,
            birth_date: f.date(5)?,
            relation: f.code(6, Relation::from_code)?,
            disability_grade: f.opt_small(7)?,
            disability_kind: f.opt_code(8, DisabilityKind::from_code)?,
            self_care: f.opt_code(9, SelfCare::from_code)?,
            employment: f.opt_code(10, Employment::from_code)?,
            wage_income: f.opt_money(11)?,
            business_income: f.opt_money(12)?,
            property_income: f.opt_money(13)?,
            transfer_income: f.opt_money(14)?,
            illness: f.opt_code(15, Illness::from_code)?,
            capable_supporter: f.opt_bool(16)?,
            orphan: f.opt_bool(17)?,
            deceased_on: f.opt_date(18)?,
            extra: f.extra(19)?,
        })
    }

    fn key(&self) -> (&str, &str, &str) {
        (&self.person_id, "", "")
    }

    fn emit(&self, sink: &mut dyn RecordSink) -> Result<(), SinkError> {
        sink.person(self)
    }
}

impl Record for HospitalStay {
    const DEF: &'static TableDef = &STAYS;

    fn encode(&self, s: &mut impl CellSink) -> Result<(), StoreError> {
        s.put(Cell::Text(&self.stay_id))?;
        s.put(Cell::Text(&self.person_id))?;
        s.put(Cell::Date(self.admit_date))?;
        s.put(Cell::Date(self.discharge_date))?;
        s.put(Cell::Text(self.hospital_level.code()))?;
        s.put(Cell::Bool(self.in_district))?;
        s.put(Cell::Int(self.total_cost.0))?;
        s.put(Cell::Int(self.covered_cost.0))?;
        s.put(extra(&self.extra))
    }

    fn decode(f: &Fields<'_, impl StoredRow>) -> Result<Self, StoreError> {
        Ok(HospitalStay {
            stay_id: f.text(0)?,
            person_id: f.text(1)?,
            admit_date: f.date(2)?,
            discharge_date: f.date(3)?,
            hospital_level: f.code(4, HospitalLevel::from_code)?,
            in_district: f.bool(5)?,
            total_cost: f.money(6)?,
            covered_cost: f.money(7)?,
            extra: f.extra(8)?,
        })
    }

    fn key(&self) -> (&str, &str, &str) {
        (&self.stay_id, "", "")
    }

    fn emit(&self, sink: &mut dyn RecordSink) -> Result<(), SinkError> {
        sink.stay(self)
    }
}

impl Record for Event {
    const DEF: &'static TableDef = &EVENTS;

    fn encode(&self, s: &mut impl CellSink) -> Result<(), StoreError> {
        s.put(Cell::Text(&self.event_id))?;
        s.put(opt_text(&self.person_id))?;
        s.put(Cell::Text(&self.household_id))?;
        s.put(Cell::Text(self.kind.code()))?;
        s.put(Cell::Date(self.date))?;
        s.put(opt_money(self.amount))?;
        s.put(opt_text(&self.note))?;
        s.put(extra(&self.extra))
    }

    fn decode(f: &Fields<'_, impl StoredRow>) -> Result<Self, StoreError> {
        Ok(Event {
            event_id: f.text(0)?,
            person_id: f.opt_text(1)?,
            household_id: f.text(2)?,
            kind: f.code(3, EventKind::from_code)?,
            date: f.date(4)?,
            amount: f.opt_money(5)?,
            note: f.opt_text(6)?,
            extra: f.extra(7)?,
        })
    }

    fn key(&self) -> (&str, &str, &str) {
        (&self.event_id, "", "")
    }

    fn emit(&self, sink: &mut dyn RecordSink) -> Result<(), SinkError> {
        sink.event(self)
    }
}

impl Record for Enrollment {
    const DEF: &'static TableDef = &ENROLLMENTS;

    fn encode(&self, s: &mut impl CellSink) -> Result<(), StoreError> {
        s.put(Cell::Text(&self.household_id))?;
        s.put(opt_text(&self.person_id))?;
        s.put(Cell::Text(self.person_id.as_deref().unwrap_or("")))?;
        s.put(Cell::Text(&self.program))?;
        s.put(Cell::Date(self.since))?;
        s.put(opt_money(self.monthly_amount))?;
        s.put(opt_date(self.until))?;
        s.put(extra(&self.extra))
    }

    fn decode(f: &Fields<'_, impl StoredRow>) -> Result<Self, StoreError> {
        // Column 2 (person_key) only serves the primary key; person_id says it all.
        Ok(Enrollment {
            household_id: f.text(0)?,
            person_id: f.opt_text(1)?,
            program: f.text(3)?,
            since: f.date(4)?,
            monthly_amount: f.opt_money(5)?,
            until: f.opt_date(6)?,
            extra: f.extra(7)?,
        })
    }

    fn key(&self) -> (&str, &str, &str) {
        Enrollment::key(self)
    }

    fn emit(&self, sink: &mut dyn RecordSink) -> Result<(), SinkError> {
        sink.enrollment(self)
    }
}

/// One row of `regions` (`code, level, name, parent_code`).
pub(crate) fn decode_region(f: &Fields<'_, impl StoredRow>) -> Result<Region, StoreError> {
    Ok(Region {
        code: f.region(0)?,
        level: f.code(1, RegionLevel::from_code)?,
        name: f.text(2)?,
        parent: f.opt_region(3)?,
    })
}
