//! Records go in and come out exactly; exports are ordered by key; what cannot be read
//! back is reported with its table, key, column and value; `keys()` sees what is stored.

use crate::fixtures::{self, household_bare, person_bare};
use crate::support::{TestDb, export, on_both_backends};
use minsheng_model::{Enrollment, Registry, Relation};
use minsheng_store::{Backend, Store, StoreError};

/// Writes every table of `r` in one batch, rows in reverse order, and commits.
fn write_all(store: &mut dyn Store, r: &Registry) {
    fn rev<T: Clone>(v: &[T]) -> Vec<T> {
        v.iter().rev().cloned().collect()
    }
    let mut b = store.begin().unwrap();
    assert_eq!(
        b.upsert_households(&rev(&r.households)).unwrap(),
        r.households.len() as u64
    );
    assert_eq!(
        b.upsert_persons(&rev(&r.persons)).unwrap(),
        r.persons.len() as u64
    );
    assert_eq!(
        b.upsert_stays(&rev(&r.stays)).unwrap(),
        r.stays.len() as u64
    );
    assert_eq!(
        b.upsert_events(&rev(&r.events)).unwrap(),
        r.events.len() as u64
    );
    assert_eq!(
        b.upsert_enrollments(&rev(&r.enrollments)).unwrap(),
        r.enrollments.len() as u64
    );
    b.commit().unwrap();
}

on_both_backends!(
    every_field_round_trips_exactly,
    export_orders_each_table_by_key_bytes,
    unreadable_values_name_table_key_column_and_value,
    keys_list_households_and_heads,
    backend_is_reported,
);

fn every_field_round_trips_exactly(db: &TestDb) {
    let mut store = db.open();
    let mut expected = fixtures::registry();
    write_all(store.as_mut(), &expected);
    expected.sort();
    assert_eq!(export(store.as_mut()), expected);
    // And from a new connection, so nothing came from a cache.
    drop(store);
    assert_eq!(export(db.open().as_mut()), expected);
}

fn export_orders_each_table_by_key_bytes(db: &TestDb) {
    let mut store = db.open();
    // Byte order puts digits < upper case < '_' < lower case, and '-' before digits; a
    // locale-aware collation would interleave them differently.
    let ids = ["a_1", "a-1", "B_2", "A1", "10", "9", "b", "a"];
    let households: Vec<_> = ids.iter().map(|id| household_bare(id)).collect();
    let persons: Vec<_> = ids.iter().map(|id| person_bare(id, "a")).collect();
    let enrollment = |h: &str, p: Option<&str>, prog: &str| Enrollment {
        person_id: p.map(str::to_owned),
        program: prog.to_owned(),
        household_id: h.to_owned(),
        ..fixtures::enrollments("x", "y").remove(0)
    };
    let enrollments = vec![
        enrollment("H1", Some("P1"), "tekun"),
        enrollment("H1", Some("P1"), "dibao"),
        enrollment("H0", Some("P9"), "dibao"),
        enrollment("H1", None, "tekun"),
        enrollment("H1", Some("P0"), "zz"),
        enrollment("H1", None, "dibao"),
    ];
    let mut b = store.begin().unwrap();
    b.upsert_households(&households).unwrap();
    b.upsert_persons(&persons).unwrap();
    b.upsert_enrollments(&enrollments).unwrap();
    b.commit().unwrap();

    let out = export(store.as_mut());
    let got: Vec<&str> = out
        .households
        .iter()
        .map(|h| h.household_id.as_str())
        .collect();
    assert_eq!(got, ["10", "9", "A1", "B_2", "a", "a-1", "a_1", "b"]);
    let got: Vec<&str> = out.persons.iter().map(|p| p.person_id.as_str()).collect();
    assert_eq!(got, ["10", "9", "A1", "B_2", "a", "a-1", "a_1", "b"]);
    let got: Vec<(&str, &str, &str)> = out.enrollments.iter().map(Enrollment::key).collect();
    assert_eq!(
        got,
        [
            ("H0", "P9", "dibao"),
            ("H1", "", "dibao"),
            ("H1", "", "tekun"),
            ("H1", "P0", "zz"),
            ("H1", "P1", "dibao"),
            ("H1", "P1", "tekun"),
        ]
    );
}

fn unreadable_values_name_table_key_column_and_value(db: &TestDb) {
    let mut store = db.open();
    let mut b = store.begin().unwrap();
    b.upsert_households(&[household_bare("H1")]).unwrap();
    b.upsert_persons(&[person_bare("P1", "H1")]).unwrap();
    b.upsert_enrollments(&fixtures::enrollments("H1", "P1"))
        .unwrap();
    b.commit().unwrap();

    db.exec("UPDATE persons SET extra = 'not json' WHERE person_id = 'P1'");
    match store.export(&mut Registry::default()) {
        Err(StoreError::Corrupt {
            table,
            key,
            column,
            value,
        }) => {
            assert_eq!(
                (table, key.as_str(), column, value.as_str()),
                ("persons", "P1", "extra", "not json")
            );
        }
        other => panic!("expected Corrupt, got {other:?}"),
    }

    // Passes the schema's length check, but is not a region code.
    db.exec("UPDATE persons SET extra = NULL; UPDATE households SET region_code = '000000000001'");
    let err = store.export(&mut Registry::default()).unwrap_err();
    assert_eq!(
        err.to_string(),
        "stored value not readable: table households, key H1, column region_code, value \"000000000001\""
    );

    // A composite key is named whole.
    db.exec(
        "UPDATE households SET region_code = '510703001001';
         UPDATE enrollments SET extra = '[1]' WHERE person_id IS NULL",
    );
    match store.export(&mut Registry::default()) {
        Err(StoreError::Corrupt {
            table, key, column, ..
        }) => {
            assert_eq!(
                (table, key.as_str(), column),
                ("enrollments", "H1//dibao", "extra")
            );
        }
        other => panic!("expected Corrupt, got {other:?}"),
    }
}

fn keys_list_households_and_heads(db: &TestDb) {
    let mut store = db.open();
    assert_eq!(store.keys().unwrap(), minsheng_store::Keys::default());
    let mut head = person_bare("P1", "H1");
    head.relation = Relation::Head;
    let mut b = store.begin().unwrap();
    b.upsert_households(&[household_bare("H1"), household_bare("H2")])
        .unwrap();
    b.upsert_persons(&[head, person_bare("P2", "H1"), person_bare("P3", "H2")])
        .unwrap();
    b.commit().unwrap();

    let keys = store.keys().unwrap();
    let mut households: Vec<&str> = keys.households.iter().map(String::as_str).collect();
    households.sort_unstable();
    assert_eq!(households, ["H1", "H2"]);
    assert_eq!(keys.persons.len(), 3);
    assert_eq!(keys.persons["P1"], ("H1".to_owned(), true));
    assert_eq!(keys.persons["P2"], ("H1".to_owned(), false));
    assert_eq!(keys.persons["P3"], ("H2".to_owned(), false));
}

fn backend_is_reported(db: &TestDb) {
    let expected = if db.is_postgres() {
        Backend::Postgres
    } else {
        Backend::Sqlite
    };
    assert_eq!(db.open().backend(), expected);
}
