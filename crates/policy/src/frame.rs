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

use chrono::{Datelike, Months};
use minsheng_model::{
    Area, Date, DisabilityKind, Employment, Fen, HospitalLevel, Illness, RegionCode, Registry,
    Relation, SelfCare, Sex,
};
use std::collections::HashMap;
use std::ops::Range;

/// Values with a per-unit "known" flag.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Column<T> {
    pub values: Vec<T>,
    pub known: Vec<bool>,
}

impl<T: Copy + Default> Column<T> {
    fn with_capacity(n: usize) -> Self {
        Column {
            values: Vec::with_capacity(n),
            known: Vec::with_capacity(n),
        }
    }

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
    pub id: Vec<Box<str>>,
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
    pub id: Vec<Box<str>>,
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
    pub id: Vec<Box<str>>,
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
}

fn fen(f: Option<Fen>) -> Option<i64> {
    f.map(|f| f.0)
}

/// Whether a person dead on `deceased_on` is still counted in the month starting `month`:
/// yes up to the end of the month of death.
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

impl Frame {
    /// Lays out `registry` for the month starting `month` (its first day).
    pub fn build(registry: &Registry, month: Date) -> Result<Frame, FrameError> {
        let month_end = month
            .checked_add_months(Months::new(1))
            .and_then(|d| d.pred_opt())
            .unwrap_or(month);
        let mut hh_order: Vec<usize> = (0..registry.households.len()).collect();
        hh_order.sort_by(|&a, &b| {
            registry.households[a]
                .household_id
                .cmp(&registry.households[b].household_id)
        });
        let hh_index: HashMap<&str, u32> = hh_order
            .iter()
            .enumerate()
            .map(|(k, &i)| (registry.households[i].household_id.as_str(), k as u32))
            .collect();

        // Persons counted this month, by (household position, person id).
        let mut persons: Vec<(u32, usize)> = Vec::with_capacity(registry.persons.len());
        let mut ignored: std::collections::HashSet<&str> = std::collections::HashSet::new();
        for (i, p) in registry.persons.iter().enumerate() {
            if !counted_in(p.deceased_on, month) {
                ignored.insert(p.person_id.as_str());
                continue;
            }
            let h = *hh_index.get(p.household_id.as_str()).ok_or_else(|| {
                FrameError::UnknownHousehold {
                    person: p.person_id.clone(),
                    household: p.household_id.clone(),
                }
            })?;
            persons.push((h, i));
        }
        persons.sort_by(|a, b| {
            (a.0, &registry.persons[a.1].person_id).cmp(&(b.0, &registry.persons[b.1].person_id))
        });

        let mut f = Frame {
            month,
            ..Frame::default()
        };
        let n = persons.len();
        let ps = &mut f.persons;
        ps.disability_grade = Column::with_capacity(n);
        let mut person_index: HashMap<&str, u32> = HashMap::with_capacity(n);
        for (k, &(h, i)) in persons.iter().enumerate() {
            let p = &registry.persons[i];
            person_index.insert(p.person_id.as_str(), k as u32);
            ps.id.push(p.person_id.as_str().into());
            ps.household.push(h);
            ps.sex.push(p.sex);
            ps.birth_date.push(p.birth_date);
            ps.age
                .push(minsheng_model::date::age_on(p.birth_date, month));
            ps.relation.push(p.relation);
            ps.disability_grade.push(p.disability_grade.map(i64::from));
            ps.disability_kind.push(p.disability_kind);
            ps.self_care.push(p.self_care);
            ps.employment.push(p.employment);
            ps.wage_income.push(fen(p.wage_income));
            ps.business_income.push(fen(p.business_income));
            ps.property_income.push(fen(p.property_income));
            ps.transfer_income.push(fen(p.transfer_income));
            ps.illness.push(p.illness);
            ps.capable_supporter.push(p.capable_supporter);
            ps.orphan.push(p.orphan);
        }

        let hs = &mut f.households;
        let mut start = 0u32;
        for (k, &i) in hh_order.iter().enumerate() {
            let h = &registry.households[i];
            hs.id.push(h.household_id.as_str().into());
            hs.region.push(h.region_code);
            hs.area.push(h.area);
            hs.savings.push(fen(h.savings));
            hs.houses.push(h.houses.map(i64::from));
            hs.vehicles.push(h.vehicles.map(i64::from));
            let mut end = start;
            while (end as usize) < n && ps.household[end as usize] == k as u32 {
                end += 1;
            }
            hs.members.push(start..end);
            start = end;
        }

        // Stays of counted persons, discharged by the end of the month, in chain order.
        let mut stays: Vec<(u32, usize)> = Vec::with_capacity(registry.stays.len());
        for (i, s) in registry.stays.iter().enumerate() {
            if s.discharge_date > month_end {
                continue;
            }
            match person_index.get(s.person_id.as_str()) {
                Some(&p) => stays.push((p, i)),
                // The stay of a person ignored this month is ignored with them.
                None if ignored.contains(s.person_id.as_str()) => {}
                None => {
                    return Err(FrameError::UnknownPerson {
                        stay: s.stay_id.clone(),
                        person: s.person_id.clone(),
                    });
                }
            }
        }
        stays.sort_by(|a, b| {
            let (x, y) = (&registry.stays[a.1], &registry.stays[b.1]);
            (a.0, x.discharge_date, x.stay_id.as_bytes()).cmp(&(
                b.0,
                y.discharge_date,
                y.stay_id.as_bytes(),
            ))
        });
        let ss = &mut f.stays;
        for &(p, i) in &stays {
            let s = &registry.stays[i];
            ss.id.push(s.stay_id.as_str().into());
            ss.person.push(p);
            ss.admit_date.push(s.admit_date);
            ss.discharge_date.push(s.discharge_date);
            ss.level.push(s.hospital_level);
            ss.in_district.push(s.in_district);
            ss.total_cost.push(s.total_cost.0);
            ss.covered_cost.push(s.covered_cost.0);
        }
        let mut at = 0usize;
        for p in 0..n as u32 {
            let begin = at;
            while at < ss.person.len() && ss.person[at] == p {
                at += 1;
            }
            f.persons.stays.push(begin as u32..at as u32);
        }
        Ok(f)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use minsheng_model::{HospitalStay, Household, Person, idnumber};

    fn d(s: &str) -> Date {
        minsheng_model::date::parse_iso(s).unwrap()
    }

    fn household(id: &str) -> Household {
        Household {
            household_id: id.into(),
            region_code: RegionCode::parse("510703001003").unwrap(),
            area: Some(Area::Urban),
            savings: None,
            houses: Some(1),
            vehicles: Some(0),
            address: None,
            extra: vec![],
        }
    }

    fn person(id: &str, hh: &str, birth: &str, deceased: Option<&str>) -> Person {
        Person {
            person_id: id.into(),
            household_id: hh.into(),
            id_number: idnumber::make(510703, d(birth), 1, Sex::F),
            name: "李四".into(),
            sex: Sex::F,
            birth_date: d(birth),
            relation: Relation::Head,
            disability_grade: Some(0),
            disability_kind: None,
            self_care: Some(SelfCare::Full),
            employment: Some(Employment::Retired),
            wage_income: Some(Fen(0)),
            business_income: None,
            property_income: Some(Fen(0)),
            transfer_income: Some(Fen(25_000)),
            illness: Some(Illness::None),
            capable_supporter: Some(true),
            orphan: Some(false),
            deceased_on: deceased.map(d),
            extra: vec![],
        }
    }

    fn stay(id: &str, person: &str, discharge: &str) -> HospitalStay {
        HospitalStay {
            stay_id: id.into(),
            person_id: person.into(),
            admit_date: d(discharge),
            discharge_date: d(discharge),
            hospital_level: HospitalLevel::L2,
            in_district: true,
            total_cost: Fen(100_000),
            covered_cost: Fen(80_000),
            extra: vec![],
        }
    }

    #[test]
    fn the_dead_count_until_the_end_of_their_month() {
        let june = d("2024-06-01");
        assert!(counted_in(None, june));
        assert!(counted_in(Some(d("2024-06-30")), june));
        assert!(counted_in(Some(d("2024-06-01")), june));
        assert!(!counted_in(Some(d("2024-05-31")), june));
        assert!(counted_in(Some(d("2024-07-02")), june));
    }

    #[test]
    fn households_own_ranges_of_their_persons_and_persons_of_their_stays() {
        let reg = Registry {
            households: vec![household("H2"), household("H1"), household("H3")],
            persons: vec![
                person("P3", "H2", "1950-06-01", None),
                person("P1", "H1", "1950-06-02", None),
                person("P2", "H1", "1990-01-01", None),
                person("P4", "H2", "1940-01-01", Some("2024-05-20")),
            ],
            stays: vec![
                stay("S9", "P1", "2024-03-01"),
                stay("S10", "P1", "2024-03-01"),
                stay("S1", "P1", "2024-02-01"),
                stay("S7", "P1", "2024-07-01"),
                stay("S5", "P4", "2024-01-01"),
                stay("S2", "P2", "2023-12-31"),
            ],
            ..Registry::default()
        };
        let f = Frame::build(&reg, d("2024-06-01")).unwrap();
        let ids = |v: &Vec<Box<str>>| v.iter().map(|s| s.to_string()).collect::<Vec<_>>();
        assert_eq!(ids(&f.households.id), ["H1", "H2", "H3"]);
        // P4 died in May: not counted in June, nor are their stays.
        assert_eq!(ids(&f.persons.id), ["P1", "P2", "P3"]);
        assert_eq!(f.households.members, vec![0..2, 2..3, 3..3]);
        assert_eq!(f.persons.age, vec![73, 34, 74]);
        // Chain order: by discharge date, ties by stay_id as bytes ("S10" before "S9");
        // S7 is discharged after June.
        assert_eq!(ids(&f.stays.id), ["S1", "S10", "S9", "S2"]);
        assert_eq!(f.persons.stays, vec![0..3, 3..4, 4..4]);
        // Unknown is not zero.
        assert_eq!(f.persons.business_income.get(0), None);
        assert_eq!(f.persons.wage_income.get(0), Some(0));
        assert_eq!(f.households.savings.get(0), None);
    }

    #[test]
    fn dangling_references_are_errors() {
        let reg = Registry {
            persons: vec![person("P1", "H9", "1950-01-01", None)],
            ..Registry::default()
        };
        assert!(matches!(
            Frame::build(&reg, d("2024-06-01")),
            Err(FrameError::UnknownHousehold { .. })
        ));
    }
}
