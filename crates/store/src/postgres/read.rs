//! PostgreSQL reads: keys, regions, counts, and the export.
//!
//! Large results are paged through a portal (a server-side cursor) a few thousand rows at
//! a time, so neither the export nor `keys()` holds a whole table's rows in memory.

use crate::rows::{self, Fields, REGIONS, Record, Stored, StoredRow};
use crate::{Counts, Keys, StoreError};
use ::postgres::types::{FromSql, Type};
use ::postgres::{Row, Transaction};
use minsheng_model::{
    Date, Enrollment, Event, HospitalStay, Household, Person, RecordSink, RegionTable,
};

/// Rows fetched per round trip.
pub(super) const FETCH: i32 = 5_000;

/// A `DATE` in PostgreSQL's binary form: days since 2000-01-01, with `i32::MAX`/`MIN`
/// for ±infinity. Read directly rather than through `chrono` support in the driver, so
/// that a date outside the model's range is reported as corrupt, not as a driver error.
struct PgDate(i32);

impl<'a> FromSql<'a> for PgDate {
    fn from_sql(_: &Type, raw: &'a [u8]) -> Result<Self, Box<dyn std::error::Error + Sync + Send>> {
        let bytes: [u8; 4] = raw.try_into()?;
        Ok(PgDate(i32::from_be_bytes(bytes)))
    }

    fn accepts(ty: &Type) -> bool {
        *ty == Type::DATE
    }
}

impl PgDate {
    fn stored(&self) -> Stored<'static> {
        let epoch = Date::from_ymd_opt(2000, 1, 1);
        let days = chrono::Days::new(u64::from(self.0.unsigned_abs()));
        let date = if self.0 >= 0 {
            epoch.and_then(|e| e.checked_add_days(days))
        } else {
            epoch.and_then(|e| e.checked_sub_days(days))
        };
        date.map_or_else(
            || Stored::Other(format!("DATE {} days from 2000-01-01", self.0)),
            Stored::Date,
        )
    }
}

/// A result row seen through the backend-neutral [`StoredRow`].
pub(super) struct PgRow<'a>(pub(super) &'a Row);

impl StoredRow for PgRow<'_> {
    fn get(&self, i: usize) -> Result<Stored<'_>, StoreError> {
        let row = self.0;
        let ty = row.columns().get(i).map(|c| c.type_().clone());
        Ok(match ty {
            Some(Type::TEXT | Type::VARCHAR | Type::BPCHAR | Type::NAME) => row
                .try_get::<_, Option<&str>>(i)?
                .map_or(Stored::Null, Stored::Text),
            Some(Type::INT8) => row
                .try_get::<_, Option<i64>>(i)?
                .map_or(Stored::Null, Stored::Int),
            Some(Type::INT4) => row
                .try_get::<_, Option<i32>>(i)?
                .map_or(Stored::Null, |n| Stored::Int(n.into())),
            Some(Type::INT2) => row
                .try_get::<_, Option<i16>>(i)?
                .map_or(Stored::Null, |n| Stored::Int(n.into())),
            Some(Type::BOOL) => row
                .try_get::<_, Option<bool>>(i)?
                .map_or(Stored::Null, Stored::Bool),
            Some(Type::DATE) => row
                .try_get::<_, Option<PgDate>>(i)?
                .map_or(Stored::Null, |d| d.stored()),
            Some(other) => Stored::Other(format!("<value of type {other}>")),
            None => Stored::Other(format!("<no column {i}>")),
        })
    }
}

/// Runs `sql` through a portal and hands each row to `f`, [`FETCH`] rows per round trip.
fn each_row(
    tx: &mut Transaction<'_>,
    sql: &str,
    mut f: impl FnMut(&PgRow<'_>) -> Result<(), StoreError>,
) -> Result<(), StoreError> {
    let portal = tx.bind(sql, &[])?;
    loop {
        let page = tx.query_portal(&portal, FETCH)?;
        for row in &page {
            f(&PgRow(row))?;
        }
        if page.len() < FETCH as usize {
            return Ok(());
        }
    }
}

fn export_table<R: Record>(
    tx: &mut Transaction<'_>,
    sink: &mut dyn RecordSink,
) -> Result<(), StoreError> {
    each_row(tx, &R::DEF.select_sql(), |row| {
        let record = R::decode(&Fields::new(R::DEF, row))?;
        record.emit(sink).map_err(StoreError::Sink)
    })
}

/// Every table in turn, each in key order; the caller's transaction is a snapshot, so
/// the tables agree with each other.
pub(super) fn export(
    tx: &mut Transaction<'_>,
    sink: &mut dyn RecordSink,
) -> Result<(), StoreError> {
    export_table::<Household>(tx, sink)?;
    export_table::<Person>(tx, sink)?;
    export_table::<HospitalStay>(tx, sink)?;
    export_table::<Event>(tx, sink)?;
    export_table::<Enrollment>(tx, sink)
}

pub(super) fn keys(tx: &mut Transaction<'_>) -> Result<Keys, StoreError> {
    let mut keys = Keys::default();
    each_row(tx, rows::HOUSEHOLD_KEYS_SQL, |row| {
        rows::add_household_key(&mut keys, row)
    })?;
    each_row(tx, rows::PERSON_KEYS_SQL, |row| {
        rows::add_person_key(&mut keys, row)
    })?;
    Ok(keys)
}

pub(super) fn regions(tx: &mut Transaction<'_>) -> Result<RegionTable, StoreError> {
    let mut list = Vec::new();
    each_row(tx, rows::REGIONS_SQL, |row| {
        list.push(rows::decode_region(&Fields::new(&REGIONS, row))?);
        Ok(())
    })?;
    rows::region_table(list)
}

pub(super) fn counts(tx: &mut Transaction<'_>) -> Result<Counts, StoreError> {
    let row = tx.query_one(rows::COUNTS_SQL, &[])?;
    let n = |i: usize| -> Result<u64, StoreError> { Ok(row.try_get::<_, i64>(i)?.unsigned_abs()) };
    Ok(Counts {
        regions: n(0)?,
        households: n(1)?,
        persons: n(2)?,
        stays: n(3)?,
        events: n(4)?,
        enrollments: n(5)?,
    })
}
