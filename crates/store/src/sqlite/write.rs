//! SQLite writes: [`SqliteBatch`] upserts and the region table replacement.
//!
//! This is the hot path of a bulk import, so each row is one execution of a cached
//! prepared statement with its parameters bound straight from the record: ids and codes
//! as borrowed text, dates formatted on the stack, no per-row allocation unless the row
//! carries extra columns.

use crate::rows::{self, Cell, CellSink, REGIONS, Record, TABLES, TableDef};
use crate::{Batch, StoreError};
use minsheng_model::{Enrollment, Event, HospitalStay, Household, Person, RegionTable};
use rusqlite::{CachedStatement, Connection, Transaction, types::Null};
use std::sync::OnceLock;

/// An open SQLite write transaction; rolled back when dropped without commit.
pub struct SqliteBatch<'c> {
    tx: Transaction<'c>,
}

impl<'c> SqliteBatch<'c> {
    pub(super) fn new(tx: Transaction<'c>) -> Self {
        SqliteBatch { tx }
    }

    fn upsert<R: Record>(&mut self, rows: &[R]) -> Result<u64, StoreError> {
        let mut stmt = self.tx.prepare_cached(upsert_sql(R::DEF))?;
        let mut changed = 0u64;
        for row in rows {
            row.encode(&mut Binder {
                stmt: &mut stmt,
                next: 1,
            })?;
            // The statement's change count is 1 for an insert or a real update, and 0
            // when the DO UPDATE's WHERE found the stored row identical.
            changed += stmt.raw_execute()? as u64;
        }
        Ok(changed)
    }
}

impl Batch for SqliteBatch<'_> {
    fn upsert_households(&mut self, rows: &[Household]) -> Result<u64, StoreError> {
        self.upsert(rows)
    }

    fn upsert_persons(&mut self, rows: &[Person]) -> Result<u64, StoreError> {
        self.upsert(rows)
    }

    fn upsert_stays(&mut self, rows: &[HospitalStay]) -> Result<u64, StoreError> {
        self.upsert(rows)
    }

    fn upsert_events(&mut self, rows: &[Event]) -> Result<u64, StoreError> {
        self.upsert(rows)
    }

    fn upsert_enrollments(&mut self, rows: &[Enrollment]) -> Result<u64, StoreError> {
        self.upsert(rows)
    }

    fn commit(self: Box<Self>) -> Result<(), StoreError> {
        self.tx.commit()?;
        Ok(())
    }
}

/// Binds the cells of one row to `?1`, `?2`, … in column order.
struct Binder<'s, 'c> {
    stmt: &'s mut CachedStatement<'c>,
    next: usize,
}

impl CellSink for Binder<'_, '_> {
    fn put(&mut self, cell: Cell<'_>) -> Result<(), StoreError> {
        let i = self.next;
        self.next += 1;
        match cell {
            Cell::Null => self.stmt.raw_bind_parameter(i, Null),
            Cell::Text(s) => self.stmt.raw_bind_parameter(i, s),
            Cell::Int(n) => self.stmt.raw_bind_parameter(i, n),
            Cell::Bool(b) => self.stmt.raw_bind_parameter(i, i64::from(b)),
            Cell::Date(d) => rows::with_iso_date(d, |s| self.stmt.raw_bind_parameter(i, s)),
            Cell::Extra(e) => self.stmt.raw_bind_parameter(i, rows::extra_json(e)),
        }?;
        Ok(())
    }
}

/// `INSERT … ON CONFLICT (key) DO UPDATE SET … WHERE <some column differs>`, generated
/// once per table. `IS NOT` compares NULLs as values, so unknown → known counts as a change.
fn upsert_sql(def: &'static TableDef) -> &'static str {
    static CACHE: [OnceLock<String>; TABLES.len()] = [const { OnceLock::new() }; TABLES.len()];
    CACHE[def.index].get_or_init(|| {
        let t = def.name;
        let params: Vec<String> = (1..=def.columns.len()).map(|i| format!("?{i}")).collect();
        let set: Vec<String> = def.value_columns().map(|c| format!("{c} = excluded.{c}")).collect();
        let differs: Vec<String> = def.value_columns().map(|c| format!("{t}.{c} IS NOT excluded.{c}")).collect();
        format!(
            "INSERT INTO {t} ({cols}) VALUES ({params}) ON CONFLICT ({key}) DO UPDATE SET {set} WHERE {differs}",
            cols = def.columns.join(", "),
            params = params.join(", "),
            key = def.key.join(", "),
            set = set.join(", "),
            differs = differs.join(" OR "),
        )
    })
}

/// Replaces the whole region tree in one transaction, keeping the table's row order.
pub(super) fn replace_regions(
    conn: &mut Connection,
    table: &RegionTable,
) -> Result<(), StoreError> {
    let tx = conn.transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)?;
    tx.execute("DELETE FROM regions", [])?;
    {
        let sql = format!(
            "INSERT INTO {} ({}, seq) VALUES (?1, ?2, ?3, ?4, ?5)",
            REGIONS.name,
            REGIONS.columns.join(", ")
        );
        let mut stmt = tx.prepare(&sql)?;
        for (seq, r) in table.iter().enumerate() {
            let parent = r.parent.map(rows::region_digits);
            stmt.execute((
                rows::region_digits(r.code).as_str(),
                r.level.code(),
                r.name.as_str(),
                parent.as_ref().map(rows::RegionDigits::as_str),
                i64::try_from(seq).unwrap_or(i64::MAX),
            ))?;
        }
    }
    tx.commit()?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Regression: `x IN ('a', 'b', 'c')` in a CHECK made SQLite build a temporary index
    /// on every execution of the upsert, which cost most of the import's time. No
    /// statement of the write path may open an ephemeral table.
    #[test]
    fn upserts_build_no_temporary_table_per_row() {
        let store = super::super::SqliteStore::open(":memory:").unwrap();
        for def in TABLES {
            let mut stmt = store
                .conn
                .prepare(&format!("EXPLAIN {}", upsert_sql(def)))
                .unwrap();
            // Parameters stay unbound: EXPLAIN only lists the program.
            let mut rows = stmt.raw_query();
            let mut opcodes = Vec::new();
            while let Some(row) = rows.next().unwrap() {
                opcodes.push(row.get::<_, String>(1).unwrap());
            }
            assert!(
                opcodes.iter().any(|o| o == "Insert"),
                "{}: {opcodes:?}",
                def.name
            );
            assert!(
                !opcodes.iter().any(|o| o == "OpenEphemeral"),
                "{} opens an ephemeral table",
                def.name
            );
        }
    }
}
