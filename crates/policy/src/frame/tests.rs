//! Frame layout: ordering, chunks, the month's dead and stays, unknowns.

use super::*;
use minsheng_model::{Fen, HospitalStay, Household, Id, Person, idnumber};

pub(crate) fn d(s: &str) -> Date {
    minsheng_model::date::parse_iso(s).unwrap()
}

pub(crate) fn household(id: &str) -> Household {
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

pub(crate) fn person(id: &str, hh: &str, birth: &str, deceased: Option<&str>) -> Person {
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
    let ids = |v: &Vec<Id>| v.iter().map(|s| s.to_string()).collect::<Vec<_>>();
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

#[test]
fn chunks_hold_whole_households_with_local_indices() {
    let reg = Registry {
        households: vec![household("H3"), household("H1"), household("H2")],
        persons: vec![
            person("P5", "H3", "1950-01-01", None),
            person("P1", "H1", "1950-01-01", None),
            person("P2", "H2", "1960-01-01", None),
            person("P3", "H2", "1970-01-01", None),
            person("P4", "H3", "1980-01-01", None),
        ],
        stays: vec![
            stay("S1", "P3", "2024-01-02"),
            stay("S2", "P4", "2024-01-03"),
            stay("S3", "P3", "2024-01-01"),
        ],
        ..Registry::default()
    };
    let frames = FrameBuilder::from_registry(&reg)
        .finish(d("2024-06-01"), 2)
        .unwrap();
    assert_eq!(frames.len(), 2);
    let ids = |v: &Vec<Id>| v.iter().map(|s| s.to_string()).collect::<Vec<_>>();
    assert_eq!(ids(&frames[0].households.id), ["H1", "H2"]);
    assert_eq!(ids(&frames[0].persons.id), ["P1", "P2", "P3"]);
    assert_eq!(frames[0].households.members, vec![0..1, 1..3]);
    assert_eq!(frames[0].persons.household, vec![0, 1, 1]);
    assert_eq!(ids(&frames[0].stays.id), ["S3", "S1"]);
    assert_eq!(frames[0].stays.person, vec![2, 2]);
    assert_eq!(frames[0].persons.stays, vec![0..0, 0..0, 0..2]);
    // The second chunk counts from zero again.
    assert_eq!(ids(&frames[1].households.id), ["H3"]);
    assert_eq!(ids(&frames[1].persons.id), ["P4", "P5"]);
    assert_eq!(frames[1].households.members, vec![0..2]);
    assert_eq!(frames[1].persons.household, vec![0, 0]);
    assert_eq!(frames[1].stays.person, vec![0]);
    assert_eq!(frames[1].persons.stays, vec![0..1, 1..1]);
    // One chunk holds everything, in the same order.
    let one = Frame::build(&reg, d("2024-06-01")).unwrap();
    assert_eq!(ids(&one.persons.id), ["P1", "P2", "P3", "P4", "P5"]);
    assert_eq!(one.stays.person, vec![2, 2, 3]);
}

#[test]
fn an_id_twice_is_an_error() {
    let reg = Registry {
        households: vec![household("H1"), household("H1")],
        ..Registry::default()
    };
    assert_eq!(
        Frame::build(&reg, d("2024-06-01")).unwrap_err(),
        FrameError::Duplicate { id: "H1".into() }
    );
}
