//! SQLite reads: keys, regions, counts, and the export, which steps through each table's
//! rows one at a time so that a large registry is never held in memory.

use crate::rows::{self, Fields, REGIONS, Record, Stored, StoredRow};
use crate::{Counts, Keys, StoreError};
use minsheng_model::{Enrollment, Event, HospitalStay, Household, Person, RecordSink, RegionTable};
use rusqlite::Connection;
use rusqlite::types::ValueRef;

/// A result row seen through the backend-neutral [`StoredRow`].
pub(super) struct SqlRow<'a, 'r>(pub(super) &'a rusqlite::Row<'r>);

impl StoredRow for SqlRow<'_, '_> {
    fn get(&self, i: usize) -> Result<Stored<'_>, StoreError> {
        Ok(match self.0.get_ref(i)? {
            ValueRef::Null => Stored::Null,
            ValueRef::Integer(n) => Stored::Int(n),
            ValueRef::Real(f) => Stored::Other(f.to_string()),
            ValueRef::Text(b) => match std::str::from_utf8(b) {
                Ok(s) => Stored::Text(s),
                Err(_) => Stored::Other(String::from_utf8_lossy(b).into_owned()),
            },
            ValueRef::Blob(b) => Stored::Other(format!("<blob of {} bytes>", b.len())),
        })
    }
}

/// Runs `sql` and hands each row to `f`, stepping through the result.
fn each_row(
    conn: &Connection,
    sql: &str,
    mut f: impl FnMut(&SqlRow<'_, '_>) -> Result<(), StoreError>,
) -> Result<(), StoreError> {
    let mut stmt = conn.prepare_cached(sql)?;
    let mut rows = stmt.query([])?;
    while let Some(row) = rows.next()? {
        f(&SqlRow(row))?;
    }
    Ok(())
}

fn export_table<R: Record>(conn: &Connection, sink: &mut dyn RecordSink) -> Result<(), StoreError> {
    each_row(conn, &R::DEF.select_sql(), |row| {
        let record = R::decode(&Fields::new(R::DEF, row))?;
        record.emit(sink).map_err(StoreError::Sink)
    })
}

/// Every table in turn, each in key order; the caller holds one read transaction so
/// that the tables agree with each other.
pub(super) fn export(conn: &Connection, sink: &mut dyn RecordSink) -> Result<(), StoreError> {
    export_table::<Household>(conn, sink)?;
    export_table::<Person>(conn, sink)?;
    export_table::<HospitalStay>(conn, sink)?;
    export_table::<Event>(conn, sink)?;
    export_table::<Enrollment>(conn, sink)
}

pub(super) fn keys(conn: &Connection) -> Result<Keys, StoreError> {
    let mut keys = Keys::default();
    each_row(conn, rows::HOUSEHOLD_KEYS_SQL, |row| {
        rows::add_household_key(&mut keys, row)
    })?;
    each_row(conn, rows::PERSON_KEYS_SQL, |row| {
        rows::add_person_key(&mut keys, row)
    })?;
    Ok(keys)
}

pub(super) fn regions(conn: &Connection) -> Result<RegionTable, StoreError> {
    let mut list = Vec::new();
    each_row(conn, rows::REGIONS_SQL, |row| {
        list.push(rows::decode_region(&Fields::new(&REGIONS, row))?);
        Ok(())
    })?;
    rows::region_table(list)
}

pub(super) fn counts(conn: &Connection) -> Result<Counts, StoreError> {
    let n = |r: &rusqlite::Row<'_>, i: usize| -> rusqlite::Result<u64> {
        Ok(r.get::<_, i64>(i)?.unsigned_abs())
    };
    Ok(conn.query_row(rows::COUNTS_SQL, [], |r| {
        Ok(Counts {
            regions: n(r, 0)?,
            households: n(r, 1)?,
            persons: n(r, 2)?,
            stays: n(r, 3)?,
            events: n(r, 4)?,
            enrollments: n(r, 5)?,
        })
    })?)
}
