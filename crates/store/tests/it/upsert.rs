//! Upserts insert new keys, replace rows that differ, leave equal rows alone, and count
//! exactly the rows inserted or changed.

use crate::fixtures::{self, household_bare, household_full, person_bare};
use crate::support::{TestDb, export, on_both_backends};
use minsheng_model::{Fen, Registry};
use minsheng_store::{Batch, Counts, Store};

on_both_backends!(
    counts_inserted_then_nothing_then_the_one_changed_row,
    unknown_and_known_differ_and_extra_counts_as_data,
    later_row_with_the_same_key_wins,
    large_upsert_spanning_several_copy_chunks,
    counts_report_rows_per_table,
);

/// Runs `f` in one committed batch and returns what it returned.
fn in_batch<T>(store: &mut dyn Store, f: impl FnOnce(&mut dyn Batch) -> T) -> T {
    let mut b = store.begin().unwrap();
    let out = f(b.as_mut());
    b.commit().unwrap();
    out
}

/// Upserts every table of `r` and returns the five counts.
fn upsert_all(store: &mut dyn Store, r: &Registry) -> [u64; 5] {
    in_batch(store, |b| {
        [
            b.upsert_households(&r.households).unwrap(),
            b.upsert_persons(&r.persons).unwrap(),
            b.upsert_stays(&r.stays).unwrap(),
            b.upsert_events(&r.events).unwrap(),
            b.upsert_enrollments(&r.enrollments).unwrap(),
        ]
    })
}

fn counts_inserted_then_nothing_then_the_one_changed_row(db: &TestDb) {
    let mut store = db.open();
    let mut r = fixtures::registry();
    let sizes = [
        r.households.len(),
        r.persons.len(),
        r.stays.len(),
        r.events.len(),
        r.enrollments.len(),
    ];
    assert_eq!(upsert_all(store.as_mut(), &r), sizes.map(|n| n as u64));
    assert_eq!(
        upsert_all(store.as_mut(), &r),
        [0; 5],
        "same rows again change nothing"
    );

    // One changed row per table, each in a different column kind.
    r.households[1].houses = Some(3);
    r.persons[4].birth_date = fixtures::date(1931, 2, 27);
    r.stays[2].in_district = !r.stays[2].in_district;
    r.events[3].note = Some("补充说明".to_owned());
    r.enrollments[0].monthly_amount = Some(Fen(61_000));
    assert_eq!(upsert_all(store.as_mut(), &r), [1; 5]);
    assert_eq!(upsert_all(store.as_mut(), &r), [0; 5]);

    r.sort();
    assert_eq!(export(store.as_mut()), r);
}

fn unknown_and_known_differ_and_extra_counts_as_data(db: &TestDb) {
    let mut store = db.open();
    let mut h = household_full("H1");
    assert_eq!(
        in_batch(store.as_mut(), |b| b
            .upsert_households(std::slice::from_ref(&h))
            .unwrap()),
        1
    );

    // Known → unknown is a change (NULL is compared as a value, not skipped).
    h.savings = None;
    assert_eq!(
        in_batch(store.as_mut(), |b| b
            .upsert_households(std::slice::from_ref(&h))
            .unwrap()),
        1
    );
    // Unknown → zero is a change too: unknown is not zero.
    h.savings = Some(Fen(0));
    assert_eq!(
        in_batch(store.as_mut(), |b| b
            .upsert_households(std::slice::from_ref(&h))
            .unwrap()),
        1
    );
    // Only the kept-aside columns differ: still a change, and their order matters.
    h.extra.reverse();
    assert_eq!(
        in_batch(store.as_mut(), |b| b
            .upsert_households(std::slice::from_ref(&h))
            .unwrap()),
        1
    );
    h.extra.clear();
    assert_eq!(
        in_batch(store.as_mut(), |b| b
            .upsert_households(std::slice::from_ref(&h))
            .unwrap()),
        1
    );
    assert_eq!(
        in_batch(store.as_mut(), |b| b
            .upsert_households(std::slice::from_ref(&h))
            .unwrap()),
        0
    );

    assert_eq!(export(store.as_mut()).households, [h]);
}

fn later_row_with_the_same_key_wins(db: &TestDb) {
    let mut store = db.open();
    let first = person_bare("P1", "H1");
    let mut second = first.clone();
    second.name = "李四".to_owned();
    let mut third = first.clone();
    third.name = "王五".to_owned();
    in_batch(store.as_mut(), |b| {
        b.upsert_persons(&[first, second, person_bare("P2", "H1"), third.clone()])
            .unwrap()
    });

    let persons = export(store.as_mut()).persons;
    assert_eq!(persons.len(), 2);
    assert_eq!(persons[0], third);
}

fn large_upsert_spanning_several_copy_chunks(db: &TestDb) {
    let mut store = db.open();
    let mut households: Vec<_> = (0..25_000)
        .map(|i| household_bare(&format!("H{i:06}")))
        .collect();
    assert_eq!(
        in_batch(store.as_mut(), |b| b
            .upsert_households(&households)
            .unwrap()),
        25_000
    );
    assert_eq!(
        in_batch(store.as_mut(), |b| b
            .upsert_households(&households)
            .unwrap()),
        0
    );

    // Changes scattered over the whole slice, and one key repeated in a later chunk.
    for i in (0..25_000).step_by(1_000) {
        households[i].houses = Some(1);
    }
    let mut repeat = households[5].clone();
    repeat.vehicles = Some(7);
    households.push(repeat);
    let changed = in_batch(store.as_mut(), |b| {
        b.upsert_households(&households).unwrap()
    });
    // Every thousandth row, plus H000005 changed by its repeat at the very end.
    assert_eq!(changed, 26);

    let stored = export(store.as_mut()).households;
    assert_eq!(stored.len(), 25_000);
    assert_eq!(stored.iter().filter(|h| h.houses == Some(1)).count(), 25);
    assert_eq!(stored[5].vehicles, Some(7));
}

fn counts_report_rows_per_table(db: &TestDb) {
    let mut store = db.open();
    assert_eq!(store.counts().unwrap(), Counts::default());
    let r = fixtures::registry();
    upsert_all(store.as_mut(), &r);
    assert_eq!(
        store.counts().unwrap(),
        Counts {
            regions: 0,
            households: r.households.len() as u64,
            persons: r.persons.len() as u64,
            stays: r.stays.len() as u64,
            events: r.events.len() as u64,
            enrollments: r.enrollments.len() as u64,
        }
    );
    in_batch(store.as_mut(), |b| {
        b.upsert_households(&[household_bare("H-new")]).unwrap()
    });
    assert_eq!(
        store.counts().unwrap().households,
        r.households.len() as u64 + 1
    );
}
