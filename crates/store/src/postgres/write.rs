//! PostgreSQL writes: [`PgBatch`] upserts through `COPY` and one set-based merge per
//! chunk, and the region table replacement.
//!
//! Row-by-row `INSERT`s would cost a network round trip per row; instead each chunk is
//! copied into a temporary staging table and merged with a single
//! `INSERT … SELECT … ON CONFLICT DO UPDATE … WHERE … IS DISTINCT FROM …`, whose row count
//! is exactly the number of rows inserted or changed.

use super::copy::CopyText;
use crate::rows::{Cell, REGIONS, Record, TABLES, TableDef, region_digits};
use crate::{Batch, StoreError};
use ::postgres::{Client, Transaction};
use minsheng_model::RegionTable;
use std::collections::HashMap;
use std::io::Write;
use std::sync::OnceLock;

/// Rows per `COPY` + merge: large enough that the fixed cost of the statements is noise,
/// small enough that the staging table and the text buffer stay a few megabytes.
const CHUNK: usize = 10_000;

/// An open PostgreSQL write transaction; rolled back when dropped without commit.
///
/// A table that is empty when the batch first writes to it is loaded by `COPY` straight
/// into it, with its secondary indexes dropped until commit (building an index once is
/// far cheaper than maintaining it row by row; the drop is transactional, so a rollback
/// restores them). Should a key repeat within the batch, the chunk that repeats it is
/// rolled back to its savepoint and the table goes on through staging and merge, so the
/// last row still wins.
pub struct PgBatch<'c> {
    tx: Transaction<'c>,
    /// Which staging tables this transaction has created (they drop at commit).
    staged: [bool; TABLES.len()],
    /// Per table: not yet looked at, direct `COPY`, or staging and merge.
    mode: [Option<Mode>; TABLES.len()],
    /// `CREATE INDEX` statements to run again before commit.
    deferred_indexes: Vec<String>,
    text: CopyText,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Mode {
    Direct,
    Merge,
}

impl<'c> PgBatch<'c> {
    pub(super) fn new(tx: Transaction<'c>) -> Self {
        PgBatch {
            tx,
            staged: [false; TABLES.len()],
            mode: [None; TABLES.len()],
            deferred_indexes: Vec::new(),
            text: CopyText::new(),
        }
    }

    /// Chooses the mode of a table at its first write; drops its secondary indexes when
    /// it is loaded directly.
    fn mode(&mut self, def: &TableDef) -> Result<Mode, StoreError> {
        if let Some(m) = self.mode[def.index] {
            return Ok(m);
        }
        let empty: bool = self
            .tx
            .query_one(
                &format!("SELECT NOT EXISTS (SELECT 1 FROM {})", def.name),
                &[],
            )?
            .get(0);
        let mode = if empty { Mode::Direct } else { Mode::Merge };
        if mode == Mode::Direct {
            let indexes = self.tx.query(
                "SELECT i.relname::text, pg_get_indexdef(i.oid) FROM pg_index x \
                 JOIN pg_class i ON i.oid = x.indexrelid \
                 WHERE x.indrelid = $1::text::regclass AND NOT x.indisprimary AND NOT x.indisunique",
                &[&def.name],
            )?;
            for row in indexes {
                let (name, sql): (String, String) = (row.get(0), row.get(1));
                self.tx.batch_execute(&format!("DROP INDEX \"{name}\""))?;
                self.deferred_indexes.push(sql);
            }
        }
        self.mode[def.index] = Some(mode);
        Ok(mode)
    }

    /// `COPY`s the prepared text straight into the table inside a savepoint. `Ok(None)`
    /// when a key repeated: the chunk is undone and the table switches to merging.
    fn copy_direct(&mut self, def: &TableDef, sql: &UpsertSql) -> Result<Option<u64>, StoreError> {
        self.tx.batch_execute("SAVEPOINT direct_copy")?;
        match copy_in(&mut self.tx, &sql.copy_direct, &self.text.buf) {
            Ok(n) => {
                self.tx.batch_execute("RELEASE SAVEPOINT direct_copy")?;
                Ok(Some(n))
            }
            Err(StoreError::Postgres(e))
                if e.code() == Some(&::postgres::error::SqlState::UNIQUE_VIOLATION) =>
            {
                self.tx.batch_execute("ROLLBACK TO SAVEPOINT direct_copy")?;
                self.mode[def.index] = Some(Mode::Merge);
                Ok(None)
            }
            Err(e) => Err(e),
        }
    }

    fn upsert<R: Record>(&mut self, rows: &[R]) -> Result<u64, StoreError> {
        let def = R::DEF;
        let sql = sql(def);
        let mut changed = 0;
        for chunk in rows.chunks(CHUNK) {
            self.text.buf.clear();
            // One statement may not update a row twice, so of several rows with the same
            // key only the last is staged: later rows win, as they do on SQLite.
            match superseded(chunk) {
                None => chunk.iter().try_for_each(|r| self.text.record(r))?,
                Some(skip) => {
                    for (r, _) in chunk.iter().zip(skip).filter(|(_, s)| !*s) {
                        self.text.record(r)?;
                    }
                }
            }
            if self.mode(def)? == Mode::Direct
                && let Some(n) = self.copy_direct(def, sql)?
            {
                changed += n;
                continue;
            }
            if self.staged[def.index] {
                self.tx.batch_execute(&sql.truncate)?;
            } else {
                self.tx.batch_execute(&sql.create)?;
                self.staged[def.index] = true;
            }
            copy_in(&mut self.tx, &sql.copy, &self.text.buf)?;
            changed += self.tx.execute(sql.merge.as_str(), &[])?;
        }
        Ok(changed)
    }
}

/// For each row whether a later row of `chunk` has the same key; `None` when no key repeats.
fn superseded<R: Record>(chunk: &[R]) -> Option<Vec<bool>> {
    let mut last: HashMap<(&str, &str, &str), usize> = HashMap::with_capacity(chunk.len());
    let mut skip: Option<Vec<bool>> = None;
    for (i, r) in chunk.iter().enumerate() {
        if let Some(prev) = last.insert(r.key(), i) {
            skip.get_or_insert_with(|| vec![false; chunk.len()])[prev] = true;
        }
    }
    skip
}

impl Batch for PgBatch<'_> {
    delegate_upserts!();

    fn commit(mut self: Box<Self>) -> Result<(), StoreError> {
        for sql in std::mem::take(&mut self.deferred_indexes) {
            self.tx.batch_execute(&sql)?;
        }
        self.tx.commit()?;
        Ok(())
    }
}

/// The statements of one table's upsert.
struct UpsertSql {
    create: String,
    copy_direct: String,
    truncate: String,
    copy: String,
    merge: String,
}

fn sql(def: &'static TableDef) -> &'static UpsertSql {
    static CACHE: [OnceLock<UpsertSql>; TABLES.len()] = [const { OnceLock::new() }; TABLES.len()];
    CACHE[def.index].get_or_init(|| {
        let t = def.name;
        let stage = format!("pg_temp.stage_{t}");
        let cols = def.columns.join(", ");
        let set: Vec<String> = def
            .value_columns()
            .map(|c| format!("{c} = EXCLUDED.{c}"))
            .collect();
        let mine: Vec<String> = def.value_columns().map(|c| format!("{t}.{c}")).collect();
        let theirs: Vec<String> = def
            .value_columns()
            .map(|c| format!("EXCLUDED.{c}"))
            .collect();
        UpsertSql {
            // LIKE copies types, NOT NULL and collations; the CHECKs are enforced when
            // the rows move into the real table.
            create: format!("CREATE TEMP TABLE stage_{t} (LIKE {t}) ON COMMIT DROP"),
            copy_direct: format!("COPY {t} ({cols}) FROM STDIN"),
            truncate: format!("TRUNCATE {stage}"),
            copy: format!("COPY {stage} ({cols}) FROM STDIN"),
            merge: format!(
                "INSERT INTO {t} ({cols}) SELECT {cols} FROM {stage} \
                 ON CONFLICT ({key}) DO UPDATE SET {set} \
                 WHERE ({mine}) IS DISTINCT FROM ({theirs})",
                key = def.key.join(", "),
                set = set.join(", "),
                mine = mine.join(", "),
                theirs = theirs.join(", "),
            ),
        }
    })
}

/// Sends one `COPY … FROM STDIN` with `data` as its whole input.
fn copy_in(tx: &mut Transaction<'_>, sql: &str, data: &[u8]) -> Result<u64, StoreError> {
    let mut w = tx.copy_in(sql)?;
    w.write_all(data).map_err(copy_error)?;
    Ok(w.finish()?)
}

/// A failed write into a `COPY`: the writer only fails with the connection's own error,
/// wrapped in io::Error.
pub(super) fn copy_error(e: std::io::Error) -> StoreError {
    match e.downcast::<::postgres::Error>() {
        Ok(pg) => StoreError::Postgres(pg),
        Err(e) => StoreError::CopyStream(e),
    }
}

/// Replaces the whole region tree in one transaction, keeping the table's row order.
pub(super) fn replace_regions(client: &mut Client, table: &RegionTable) -> Result<(), StoreError> {
    let mut tx = client.transaction()?;
    tx.batch_execute(&format!("DELETE FROM {}", REGIONS.name))?;
    let mut text = CopyText::new();
    for (seq, r) in table.iter().enumerate() {
        let code = region_digits(r.code);
        let parent = r.parent.map(region_digits);
        text.line(&[
            Cell::Text(code.as_str()),
            Cell::Text(r.level.code()),
            Cell::Text(&r.name),
            parent
                .as_ref()
                .map_or(Cell::Null, |p| Cell::Text(p.as_str())),
            Cell::Int(i64::try_from(seq).unwrap_or(i64::MAX)),
        ])?;
    }
    let sql = format!(
        "COPY {} ({}, seq) FROM STDIN",
        REGIONS.name,
        REGIONS.columns.join(", ")
    );
    copy_in(&mut tx, &sql, &text.buf)?;
    tx.commit()?;
    Ok(())
}
