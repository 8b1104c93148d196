//! SQLite's first-load path: a batch into an empty registry drops secondary indexes and
//! uses the rollback journal for its length. Whatever the batch's end, the database is
//! left in WAL mode with every index in place.

use crate::fixtures::{self, household_bare};
use crate::support::{TestDb, export, on_both_backends};

/// The secondary indexes of the registry tables (the account tables have their own).
const INDEXES: &str = "SELECT name FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL \
     AND tbl_name IN ('households', 'persons', 'hospital_stays', 'events', 'enrollments') \
     ORDER BY name";

#[test]
fn a_first_load_ends_in_wal_mode_with_every_index() {
    let db = TestDb::sqlite();
    let mut store = db.open();
    let before = db.strings(INDEXES);
    assert_eq!(
        before,
        [
            "events_household_id",
            "hospital_stays_person_id",
            "households_region_code",
            "persons_household_id",
            "persons_id_number",
            "persons_name"
        ]
    );
    let reg = fixtures::registry();
    {
        let mut b = store.begin().unwrap();
        assert_eq!(
            b.upsert_households(&reg.households).unwrap(),
            reg.households.len() as u64
        );
        assert_eq!(
            b.upsert_persons(&reg.persons).unwrap(),
            reg.persons.len() as u64
        );
        b.commit().unwrap();
    }
    assert_eq!(db.strings("PRAGMA journal_mode"), ["wal"]);
    assert_eq!(db.strings(INDEXES), before);
    assert_eq!(export(store.as_mut()).persons, reg.persons);
    // Rebuilt from the statements of the migration, not just named alike.
    assert_eq!(
        db.strings("SELECT sql FROM sqlite_master WHERE name = 'persons_household_id'"),
        ["CREATE INDEX persons_household_id ON persons (household_id)"]
    );
}

#[test]
fn an_abandoned_first_load_leaves_wal_mode_and_indexes() {
    let db = TestDb::sqlite();
    let mut store = db.open();
    let before = db.strings(INDEXES);
    assert_eq!(before.len(), 6);
    let reg = fixtures::registry();
    {
        let mut b = store.begin().unwrap();
        b.upsert_persons(&reg.persons).unwrap();
        // Dropped without commit.
    }
    assert_eq!(db.strings("PRAGMA journal_mode"), ["wal"]);
    assert_eq!(db.strings(INDEXES), before);
    assert_eq!(store.counts().unwrap().persons, 0);
}

on_both_backends!(
    a_key_repeated_across_calls_of_a_first_load_ends_with_the_last_row,
    first_load_keeps_every_index
);

/// The first call loads the empty table directly; the second repeats a key, which must
/// still end with the later row, not with an error.
fn a_key_repeated_across_calls_of_a_first_load_ends_with_the_last_row(db: &TestDb) {
    let mut store = db.open();
    let mut h2 = household_bare("H1");
    h2.houses = Some(3);
    {
        let mut b = store.begin().unwrap();
        assert_eq!(
            b.upsert_households(&[household_bare("H1"), household_bare("H0")])
                .unwrap(),
            2
        );
        assert_eq!(
            b.upsert_households(&[h2.clone(), household_bare("H9")])
                .unwrap(),
            2
        );
        b.commit().unwrap();
    }
    let stored = export(store.as_mut()).households;
    assert_eq!(
        stored
            .iter()
            .map(|h| h.household_id.as_str())
            .collect::<Vec<_>>(),
        ["H0", "H1", "H9"]
    );
    assert_eq!(stored[1], h2);
}

fn first_load_keeps_every_index(db: &TestDb) {
    let sql = if db.is_postgres() {
        "SELECT indexname::text FROM pg_indexes WHERE schemaname = current_schema() ORDER BY 1"
    } else {
        INDEXES
    };
    let mut store = db.open();
    let before = db.strings(sql);
    assert!(
        before.iter().any(|n| n == "persons_household_id"),
        "{before:?}"
    );
    let reg = fixtures::registry();
    {
        let mut b = store.begin().unwrap();
        b.upsert_households(&reg.households).unwrap();
        b.upsert_persons(&reg.persons).unwrap();
        // Abandoned: every index comes back with the rollback.
    }
    assert_eq!(db.strings(sql), before);
    {
        let mut b = store.begin().unwrap();
        b.upsert_households(&reg.households).unwrap();
        b.upsert_persons(&reg.persons).unwrap();
        b.commit().unwrap();
    }
    assert_eq!(db.strings(sql), before);
    assert_eq!(export(store.as_mut()).persons, reg.persons);
}
