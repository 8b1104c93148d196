//! SQLite's first-load path: a batch into an empty registry drops secondary indexes and
//! uses the rollback journal for its length. Whatever the batch's end, the database is
//! left in WAL mode with every index in place.

use crate::fixtures;
use crate::support::{TestDb, export};

const INDEXES: &str =
    "SELECT name FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL ORDER BY name";

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
            "persons_household_id"
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
    assert_eq!(before.len(), 4);
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
