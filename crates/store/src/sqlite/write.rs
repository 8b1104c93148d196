//! SQLite writes: [`SqliteBatch`] upserts and the region table replacement.
//!
//! This is the hot path of a bulk import, so each row is one execution of a cached
//! prepared statement with its parameters bound straight from the record: ids and codes
//! as borrowed text, dates formatted on the stack, no per-row allocation unless the row
//! carries extra columns.

use crate::rows::{self, Cell, CellSink, REGIONS, Record, TABLES, TableDef};
use crate::{Batch, StoreError};
use minsheng_model::RegionTable;
use rusqlite::{CachedStatement, Connection, types::Null};
use std::sync::OnceLock;

/// An open SQLite write transaction; rolled back when dropped without commit.
///
/// Bulk loads into an empty table drop that table's secondary indexes for the length of
/// the transaction and build them again at commit: building an index once from sorted
/// data is several times cheaper than maintaining it row by row (ID numbers arrive in
/// random order). Dropping is DDL inside the transaction, so a rollback restores them.
///
/// A batch into a database whose registry tables are all empty (a first load) runs with
/// the rollback journal instead of WAL, and switches back to WAL when it ends: new pages
/// then go to the database file once, instead of to the WAL and again at the checkpoint.
/// A crash mid-load still rolls back to the empty database.
pub struct SqliteBatch<'c> {
    conn: &'c Connection,
    done: bool,
    /// The batch switched the journal to DELETE and must switch it back to WAL.
    restore_wal: bool,
    /// Tables already looked at, by `TableDef::index`.
    seen: [bool; TABLES.len()],
    /// Tables that were empty when the batch first wrote to them.
    was_empty: [bool; TABLES.len()],
    /// `CREATE INDEX` statements to run again before commit.
    deferred_indexes: Vec<String>,
}

impl<'c> SqliteBatch<'c> {
    /// Starts the write transaction (`BEGIN IMMEDIATE`: the write lock is taken now,
    /// waiting up to the busy timeout, not at the first write where a concurrent writer
    /// would make the batch fail midway).
    pub(super) fn begin(conn: &'c Connection) -> Result<Self, StoreError> {
        let empty: bool = conn.query_row(
            &format!(
                "SELECT {}",
                TABLES
                    .iter()
                    .map(|t| format!("NOT EXISTS (SELECT 1 FROM {})", t.name))
                    .collect::<Vec<_>>()
                    .join(" AND ")
            ),
            [],
            |r| r.get(0),
        )?;
        let mut restore_wal = false;
        if empty {
            let mode: String = conn.query_row("PRAGMA journal_mode = DELETE", [], |r| r.get(0))?;
            restore_wal = mode.eq_ignore_ascii_case("delete");
        }
        conn.execute_batch("BEGIN IMMEDIATE")?;
        Ok(SqliteBatch {
            conn,
            done: false,
            restore_wal,
            seen: [false; TABLES.len()],
            was_empty: [false; TABLES.len()],
            deferred_indexes: Vec::new(),
        })
    }

    fn finish(&mut self, sql: &str) -> Result<(), StoreError> {
        self.done = true;
        let r = self.conn.execute_batch(sql);
        if std::mem::take(&mut self.restore_wal) {
            let _mode: String = self
                .conn
                .query_row("PRAGMA journal_mode = WAL", [], |r| r.get(0))?;
        }
        Ok(r?)
    }

    /// On the first write to an empty table, drops its secondary indexes (see above).
    fn defer_indexes(&mut self, def: &TableDef) -> Result<(), StoreError> {
        if std::mem::replace(&mut self.seen[def.index], true) {
            return Ok(());
        }
        let empty: bool = self.conn.query_row(
            &format!("SELECT NOT EXISTS (SELECT 1 FROM {})", def.name),
            [],
            |r| r.get(0),
        )?;
        if !empty {
            return Ok(());
        }
        self.was_empty[def.index] = true;
        let indexes: Vec<(String, String)> = {
            let mut stmt = self
                .conn
                .prepare("SELECT name, sql FROM sqlite_master WHERE type = 'index' AND tbl_name = ?1 AND sql IS NOT NULL")?;
            let rows = stmt.query_map([def.name], |r| Ok((r.get(0)?, r.get(1)?)))?;
            rows.collect::<Result<_, _>>()?
        };
        for (name, sql) in indexes {
            self.conn.execute_batch(&format!("DROP INDEX \"{name}\""))?;
            self.deferred_indexes.push(sql);
        }
        Ok(())
    }

    fn upsert<R: Record>(&mut self, rows: &[R]) -> Result<u64, StoreError> {
        self.defer_indexes(R::DEF)?;
        // Into a table that was empty, a plain insert does: the only conflict possible is
        // a key repeated within this batch, and then the last row wins as with the upsert.
        let sql = if self.was_empty[R::DEF.index] {
            insert_sql(R::DEF)
        } else {
            upsert_sql(R::DEF)
        };
        let mut stmt = self.conn.prepare_cached(sql)?;
        let mut changed = 0u64;
        for row in rows {
            row.encode(&mut Binder::new(&mut stmt))?;
            // The statement's change count is 1 for an insert or a real update, and 0
            // when the DO UPDATE's WHERE found the stored row identical.
            changed += stmt.raw_execute()? as u64;
        }
        Ok(changed)
    }
}

impl Batch for SqliteBatch<'_> {
    delegate_upserts!();

    fn commit(mut self: Box<Self>) -> Result<(), StoreError> {
        for sql in std::mem::take(&mut self.deferred_indexes) {
            self.conn.execute_batch(&sql)?;
        }
        self.finish("COMMIT")
    }
}

impl Drop for SqliteBatch<'_> {
    fn drop(&mut self) {
        if !self.done {
            // Nothing to report to: the caller is unwinding or abandoning the batch.
            let _ = self.finish("ROLLBACK");
        }
    }
}

/// `INSERT OR REPLACE INTO …`, for tables empty at the start of the batch.
fn insert_sql(def: &'static TableDef) -> &'static str {
    static CACHE: [OnceLock<String>; TABLES.len()] = [const { OnceLock::new() }; TABLES.len()];
    CACHE[def.index].get_or_init(|| {
        let params: Vec<String> = (1..=def.columns.len()).map(|i| format!("?{i}")).collect();
        format!(
            "INSERT OR REPLACE INTO {} ({}) VALUES ({})",
            def.name,
            def.columns.join(", "),
            params.join(", ")
        )
    })
}

/// Binds the cells of one row to `?1`, `?2`, … in column order.
pub(super) struct Binder<'s, 'c> {
    stmt: &'s mut CachedStatement<'c>,
    next: usize,
}

impl<'s, 'c> Binder<'s, 'c> {
    /// Binds from the first parameter on.
    pub(super) fn new(stmt: &'s mut CachedStatement<'c>) -> Self {
        Binder { stmt, next: 1 }
    }
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
        for sql in TABLES
            .iter()
            .flat_map(|def| [(def, upsert_sql(def)), (def, insert_sql(def))])
        {
            let (def, sql) = sql;
            let mut stmt = store.conn.prepare(&format!("EXPLAIN {sql}")).unwrap();
            // Parameters stay unbound: EXPLAIN only lists the program.
            let mut rows = stmt.raw_query();
            let mut opcodes = Vec::new();
            while let Some(row) = rows.next().unwrap() {
                opcodes.push(row.get::<_, String>(1).unwrap());
            }
            assert!(
                opcodes.iter().any(|o| o == "IdxInsert" || o == "Insert"),
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
