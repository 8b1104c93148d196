//! What the caseworker pages read: the household search (each kind of text, in and out
//! of the jurisdiction), the household page's bundle, and the stored results of
//! evaluated months with their summaries.

use crate::fixtures::{self, date, household_bare, person_bare};
use crate::support::{TestDb, on_both_backends, region};
use minsheng_model::{Enrollment, Event, Fen, HospitalStay, Person, RegionLevel, Relation};
use minsheng_store::{HouseholdHit, HouseholdQuery, ResultSummaryRow, Store, StoredResult};

on_both_backends!(
    search_finds_each_kind_of_text_within_the_jurisdiction_only,
    a_bundle_holds_the_household_and_its_records_in_order,
    results_are_replaced_per_month_and_summed_per_region,
    search_over_many_households_walks_them_in_id_order,
);

const COUNTY: &str = "510703000000";
const CITY: &str = "510700000000";

fn person(id: &str, household: &str, name: &str, id_number: &str, relation: Relation) -> Person {
    Person {
        name: name.to_owned(),
        id_number: id_number.to_owned(),
        relation,
        ..person_bare(id, household)
    }
}

/// A1 and A2 in 涪城区 (510703), B1 in 游仙区 (510704), C1 without a head.
fn load_district(store: &mut dyn Store) {
    let h = |id: &str, code: &str| {
        let mut x = household_bare(id);
        x.region_code = region(code);
        x
    };
    let households = vec![
        h("A1", "510703001001"),
        h("A2", "510703002003"),
        h("B1", "510704001001"),
        h("C1", "510703001002"),
    ];
    let persons = vec![
        person("PA1", "A1", "王小明", "510703198001010011", Relation::Head),
        person("PA1b", "A1", "李芳", "510703198202020022", Relation::Spouse),
        person("PA2", "A2", "王大", "510703195003030033", Relation::Head),
        person("PA2b", "A2", "王_五", "510703200004040044", Relation::Child),
        person("PB1", "B1", "王小红", "51070419900505005X", Relation::Head),
        person("PC1", "C1", "赵六", "510703196006060066", Relation::Child),
    ];
    let mut b = store.begin().unwrap();
    b.upsert_households(&households).unwrap();
    b.upsert_persons(&persons).unwrap();
    b.commit().unwrap();
}

fn ids(hits: &[HouseholdHit]) -> Vec<&str> {
    hits.iter().map(|h| h.household_id.as_str()).collect()
}

fn search(store: &mut dyn Store, text: &str, within: &str, limit: u32) -> Vec<HouseholdHit> {
    store
        .search_households(&HouseholdQuery {
            text: text.to_owned(),
            within: region(within),
            limit,
        })
        .unwrap()
}

fn search_finds_each_kind_of_text_within_the_jurisdiction_only(db: &TestDb) {
    let mut store = db.open();
    let s = store.as_mut();
    load_district(s);
    // A household id, trimmed; the full hit.
    assert_eq!(
        search(s, "  A1 ", COUNTY, 10),
        [HouseholdHit {
            household_id: "A1".into(),
            region_code: region("510703001001"),
            head_name: Some("王小明".into()),
            members: 2,
        }]
    );
    assert!(search(s, "B1", COUNTY, 10).is_empty());
    assert_eq!(ids(&search(s, "B1", CITY, 10)), ["B1"]);
    // An ID number, the check character in either case.
    assert_eq!(ids(&search(s, "510703200004040044", COUNTY, 10)), ["A2"]);
    assert!(search(s, "51070419900505005x", COUNTY, 10).is_empty());
    assert_eq!(ids(&search(s, "51070419900505005x", CITY, 10)), ["B1"]);
    // Leading digits of a region code, intersected with the jurisdiction.
    assert_eq!(ids(&search(s, "510703002", COUNTY, 10)), ["A2"]);
    assert_eq!(ids(&search(s, "5107", COUNTY, 10)), ["A1", "A2", "C1"]);
    assert_eq!(ids(&search(s, "5107", CITY, 10)), ["A1", "A2", "B1", "C1"]);
    assert!(search(s, "510704", COUNTY, 10).is_empty());
    assert_eq!(
        ids(&search(s, "510703001", "510703001000", 10)),
        ["A1", "C1"]
    );
    assert!(search(s, "510703002", "510703001000", 10).is_empty());
    // A name prefix: any member's name; `_` and `%` are plain characters.
    assert_eq!(ids(&search(s, "王", COUNTY, 10)), ["A1", "A2"]);
    assert_eq!(ids(&search(s, "王", CITY, 10)), ["A1", "A2", "B1"]);
    assert_eq!(ids(&search(s, "王小", COUNTY, 10)), ["A1"]);
    assert_eq!(ids(&search(s, "李", COUNTY, 10)), ["A1"]);
    assert_eq!(ids(&search(s, "王_", COUNTY, 10)), ["A2"]);
    assert!(search(s, "王%", COUNTY, 10).is_empty());
    assert!(search(s, "张", COUNTY, 10).is_empty());
    // A household without a head; the limit; nothing for an empty text.
    let c1 = search(s, "赵", COUNTY, 10);
    assert_eq!((c1[0].head_name.clone(), c1[0].members), (None, 1));
    assert_eq!(ids(&search(s, "王", CITY, 2)), ["A1", "A2"]);
    assert!(search(s, "   ", CITY, 10).is_empty());
}

fn a_bundle_holds_the_household_and_its_records_in_order(db: &TestDb) {
    let mut store = db.open();
    load_district(store.as_mut());
    let stay = |id: &str, person: &str, discharged: u32| HospitalStay {
        stay_id: id.to_owned(),
        person_id: person.to_owned(),
        discharge_date: date(2024, 2, discharged),
        ..fixtures::stays(person).remove(0)
    };
    // Stored out of order: S1 leaves hospital after S2; PB1 is another household's.
    let stays = vec![
        stay("S1", "PA1b", 20),
        stay("S2", "PA1b", 10),
        stay("S3", "PA1", 25),
        stay("S4", "PB1", 1),
    ];
    let mut events: Vec<Event> = fixtures::events("A1", "PA1");
    events.reverse();
    events.extend(fixtures::events("B1", "PB1").into_iter().map(|mut e| {
        e.event_id.push_str("-b");
        e
    }));
    let enrollments: Vec<Enrollment> = fixtures::enrollments("A1", "PA1")
        .into_iter()
        .rev()
        .collect();
    {
        let mut b = store.begin().unwrap();
        b.upsert_stays(&stays).unwrap();
        b.upsert_events(&events).unwrap();
        b.upsert_enrollments(&enrollments).unwrap();
        b.commit().unwrap();
    }
    let bundle = store.household_bundle("A1").unwrap().unwrap();
    assert_eq!(bundle.household.household_id, "A1");
    assert_eq!(bundle.household.region_code, region("510703001001"));
    let person_ids: Vec<&str> = bundle
        .persons
        .iter()
        .map(|p| p.person_id.as_str())
        .collect();
    assert_eq!(person_ids, ["PA1", "PA1b"]);
    assert_eq!(bundle.persons[0].name, "王小明");
    let stay_ids: Vec<&str> = bundle.stays.iter().map(|s| s.stay_id.as_str()).collect();
    assert_eq!(stay_ids, ["S3", "S2", "S1"]);
    assert_eq!(bundle.stays[1].discharge_date, date(2024, 2, 10));
    let mut expected_events = fixtures::events("A1", "PA1");
    expected_events.sort_by_key(|e| e.date);
    assert_eq!(bundle.events, expected_events);
    let programs: Vec<(&str, Option<&str>)> = bundle
        .enrollments
        .iter()
        .map(|e| (e.program.as_str(), e.person_id.as_deref()))
        .collect();
    assert_eq!(
        programs,
        [
            ("dibao", None),
            ("dibao", Some("PA1")),
            ("disability_living", Some("PA1"))
        ]
    );
    assert_eq!(
        bundle.enrollments[0].monthly_amount,
        Some(Fen(1_234_567_890))
    );
    let reg = bundle.registry();
    assert_eq!(
        (reg.households.len(), reg.persons.len(), reg.stays.len()),
        (1, 2, 3)
    );
    assert_eq!(reg.events.len(), 6);
    // Without records of its own, a household's bundle is just the household.
    let b1 = store.household_bundle("C1").unwrap().unwrap();
    assert_eq!(
        (
            b1.persons.len(),
            b1.stays.len(),
            b1.events.len(),
            b1.enrollments.len()
        ),
        (1, 0, 0, 0)
    );
    assert_eq!(store.household_bundle("nope").unwrap(), None);
}

fn result(household: &str, person: &str, program: &str, code: &str, fen: i64) -> StoredResult {
    StoredResult {
        household_id: household.to_owned(),
        person_id: person.to_owned(),
        program: program.to_owned(),
        region_code: region(code),
        eligible: true,
        monthly_amount: Fen(fen),
    }
}

fn results_are_replaced_per_month_and_summed_per_region(db: &TestDb) {
    let mut store = db.open();
    assert!(store.result_months().unwrap().is_empty());
    let june = vec![
        result("A1", "", "dibao", "510703001001", 109_100),
        result("A1", "PA1", "disability_living", "510703001001", 9_000),
        result("A2", "", "dibao", "510703002003", 50_050),
        result("B1", "", "dibao", "510704001001", 70_000),
        StoredResult {
            eligible: false,
            ..result("C1", "", "dibao", "510703001002", 0)
        },
    ];
    assert_eq!(store.replace_results("2024-06", &june).unwrap(), 5);
    let may = vec![result("A1", "", "dibao", "510703001001", 100_000)];
    assert_eq!(store.replace_results("2024-05", &may).unwrap(), 1);
    assert_eq!(store.result_months().unwrap(), ["2024-06", "2024-05"]);
    assert_eq!(
        store.household_results("2024-06", "A1").unwrap(),
        [june[0].clone(), june[1].clone()]
    );
    assert!(store.household_results("2024-07", "A1").unwrap().is_empty());

    let row = |code: &str, program: &str, units: u64, fen: i64| ResultSummaryRow {
        region: region(code),
        program: program.to_owned(),
        units,
        amount: Fen(fen),
    };
    assert_eq!(
        store
            .results_summary("2024-06", region(COUNTY), RegionLevel::County)
            .unwrap(),
        [
            row(COUNTY, "dibao", 2, 159_150),
            row(COUNTY, "disability_living", 1, 9_000)
        ]
    );
    assert_eq!(
        store
            .results_summary("2024-06", region(CITY), RegionLevel::Township)
            .unwrap(),
        [
            row("510703001000", "dibao", 1, 109_100),
            row("510703001000", "disability_living", 1, 9_000),
            row("510703002000", "dibao", 1, 50_050),
            row("510704001000", "dibao", 1, 70_000),
        ]
    );
    assert_eq!(
        store.results_trend(region(COUNTY)).unwrap(),
        [
            ("2024-05".into(), "dibao".into(), 1, Fen(100_000)),
            ("2024-06".into(), "dibao".into(), 2, Fen(159_150)),
            ("2024-06".into(), "disability_living".into(), 1, Fen(9_000)),
        ]
    );
    // Replacing a month drops what it held before; other months stay.
    let june2 = vec![result("A2", "", "dibao", "510703002003", 60_000)];
    assert_eq!(store.replace_results("2024-06", &june2).unwrap(), 1);
    assert!(store.household_results("2024-06", "A1").unwrap().is_empty());
    assert_eq!(
        store.results_trend(region(CITY)).unwrap(),
        [
            ("2024-05".into(), "dibao".into(), 1, Fen(100_000)),
            ("2024-06".into(), "dibao".into(), 1, Fen(60_000)),
        ]
    );
    assert_eq!(store.replace_results("2024-05", &[]).unwrap(), 0);
    assert_eq!(store.result_months().unwrap(), ["2024-06"]);
}

/// More than the 10 000 rows after which a search walks households in id order rather
/// than sorting an index range: the same answers, and still nothing out of scope (A0,
/// first in id order, lies in 游仙区).
fn search_over_many_households_walks_them_in_id_order(db: &TestDb) {
    let mut store = db.open();
    let n = 12_000;
    let village = |i: usize| {
        if i.is_multiple_of(3) {
            "510703001001"
        } else {
            "510703002001"
        }
    };
    let mut households = vec![{
        let mut h = household_bare("A0");
        h.region_code = region("510704001001");
        h
    }];
    let mut persons = vec![person(
        "QA0",
        "A0",
        "王零",
        "510704000000000000",
        Relation::Head,
    )];
    for i in 0..n {
        let id = format!("D{i:05}");
        let mut h = household_bare(&id);
        h.region_code = region(village(i));
        households.push(h);
        let name = if i == 7777 {
            "李四".to_owned()
        } else {
            format!("王{i}")
        };
        persons.push(person(
            &format!("Q{i:05}"),
            &id,
            &name,
            &format!("510703{i:012}"),
            Relation::Head,
        ));
    }
    {
        let mut b = store.begin().unwrap();
        b.upsert_households(&households).unwrap();
        b.upsert_persons(&persons).unwrap();
        b.commit().unwrap();
    }
    let s = store.as_mut();
    // A common name in a large jurisdiction, in a small one; a rare name.
    assert_eq!(
        ids(&search(s, "王", COUNTY, 3)),
        ["D00000", "D00001", "D00002"]
    );
    assert_eq!(
        ids(&search(s, "王", "510703001001", 3)),
        ["D00000", "D00003", "D00006"]
    );
    assert_eq!(ids(&search(s, "王1", COUNTY, 2)), ["D00001", "D00010"]);
    assert_eq!(ids(&search(s, "李", CITY, 5)), ["D07777"]);
    assert_eq!(ids(&search(s, "王", CITY, 2)), ["A0", "D00000"]);
    // Region digits over many households, and over fewer.
    assert_eq!(
        ids(&search(s, "5107", COUNTY, 3)),
        ["D00000", "D00001", "D00002"]
    );
    assert_eq!(
        ids(&search(s, "510703002", COUNTY, 3)),
        ["D00001", "D00002", "D00004"]
    );
    let hit = &search(s, "D11999", COUNTY, 3)[0];
    assert_eq!(
        (hit.head_name.as_deref(), hit.members, hit.region_code),
        (Some("王11999"), 1, region("510703002001"))
    );
}
