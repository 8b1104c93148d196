//! A batch is all or nothing; opening migrates once and keeps what was stored.

use crate::fixtures;
use crate::support::{TestDb, export, on_both_backends};
use minsheng_model::Registry;
use minsheng_store::{Counts, Keys, StoreError};

on_both_backends!(
    batch_dropped_without_commit_leaves_nothing,
    failed_row_then_drop_keeps_earlier_commits_only,
    migrations_apply_once_and_data_survives_reopening,
);

fn batch_dropped_without_commit_leaves_nothing(db: &TestDb) {
    let mut store = db.open();
    let r = fixtures::registry();
    {
        let mut b = store.begin().unwrap();
        assert_eq!(b.upsert_households(&r.households).unwrap(), 2);
        b.upsert_persons(&r.persons).unwrap();
        b.upsert_stays(&r.stays).unwrap();
        b.upsert_events(&r.events).unwrap();
        b.upsert_enrollments(&r.enrollments).unwrap();
    }
    assert_eq!(store.counts().unwrap(), Counts::default());
    assert_eq!(store.keys().unwrap(), Keys::default());
    assert_eq!(export(store.as_mut()), Registry::default());

    // The store is usable afterwards, and the same rows now count as new.
    let mut b = store.begin().unwrap();
    assert_eq!(b.upsert_households(&r.households).unwrap(), 2);
    b.commit().unwrap();
    assert_eq!(store.counts().unwrap().households, 2);
}

fn failed_row_then_drop_keeps_earlier_commits_only(db: &TestDb) {
    let mut store = db.open();
    let good = fixtures::household_bare("H1");
    let mut b = store.begin().unwrap();
    b.upsert_households(std::slice::from_ref(&good)).unwrap();
    b.commit().unwrap();

    // A row the schema refuses (a 17-character ID number breaks its CHECK) fails the
    // upsert; dropping the batch then also undoes the household written before it.
    let mut bad = fixtures::person_bare("P1", "H1");
    bad.id_number.pop();
    let mut b = store.begin().unwrap();
    b.upsert_households(&[fixtures::household_bare("H2")])
        .unwrap();
    assert!(b.upsert_persons(&[bad]).is_err());
    drop(b);

    assert_eq!(export(store.as_mut()).households, [good]);
    assert_eq!(store.counts().unwrap().persons, 0);
}

fn migrations_apply_once_and_data_survives_reopening(db: &TestDb) {
    let mut store = db.open();
    let mut b = store.begin().unwrap();
    b.upsert_households(&[fixtures::household_full("H1")])
        .unwrap();
    b.commit().unwrap();
    drop(store);

    // Opening again (and again) finds nothing to apply and changes nothing.
    let mut again = db.open();
    drop(db.open());
    let ledger =
        "SELECT CAST(version AS TEXT) || ' ' || name FROM schema_migrations ORDER BY version";
    assert_eq!(db.strings(ledger), ["1 registry", "2 accounts", "3 web"]);
    assert_eq!(
        export(again.as_mut()).households,
        [fixtures::household_full("H1")]
    );
}

#[test]
fn sqlite_file_that_cannot_be_created_is_an_open_error() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("no-such-folder").join("registry.db");
    let path = path.to_str().unwrap();
    match minsheng_store::open(path) {
        Err(StoreError::Open { url, .. }) => assert_eq!(url, path),
        Err(other) => panic!("expected Open, got {other}"),
        Ok(_) => panic!("opened a file in a missing folder"),
    }
}

#[test]
fn postgres_server_that_cannot_be_reached_is_an_open_error_without_the_password() {
    // Port 1 on the loopback interface: refused at once, nothing is listening there.
    match minsheng_store::open("postgres://clerk:s3cret@127.0.0.1:1/registry") {
        Err(e @ StoreError::Open { .. }) => {
            let text = e.to_string();
            assert!(
                text.contains("postgres://clerk:***@127.0.0.1:1/registry"),
                "{text}"
            );
            assert!(!text.contains("s3cret"), "{text}");
        }
        Err(other) => panic!("expected Open, got {other}"),
        Ok(_) => panic!("connected to port 1"),
    }
}
