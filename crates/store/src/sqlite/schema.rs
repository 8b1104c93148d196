//! SQLite connection settings and the migration runner.

use crate::StoreError;
use crate::migrate::{self, Migration};
use rusqlite::{Connection, OptionalExtension, TransactionBehavior};
use std::time::Duration;

/// How long a write waits for another process's write lock before failing.
const BUSY_TIMEOUT: Duration = Duration::from_secs(10);

/// Connection settings, applied on every open (SQLite does not store most of them).
pub(super) fn configure(conn: &Connection) -> rusqlite::Result<()> {
    conn.busy_timeout(BUSY_TIMEOUT)?;
    // WAL: readers (the web pages) are not blocked by an import, and a commit is one
    // sequential append. The mode is persistent, but setting it again is harmless.
    // An in-memory database answers "memory", which is fine too.
    let _mode: String = conn.pragma_update_and_check(None, "journal_mode", "WAL", |r| r.get(0))?;
    // NORMAL is durable in WAL mode except for the last commits before a power loss,
    // never corrupting; FULL would add an fsync to every commit.
    conn.pragma_update(None, "synchronous", "NORMAL")?;
    // 64 MiB of page cache (negative = KiB) keeps the key indexes of a large import hot.
    conn.pragma_update(None, "cache_size", -65_536)?;
    conn.pragma_update(None, "temp_store", "MEMORY")?;
    // The upserts and lookups of all tables fit comfortably.
    conn.set_prepared_statement_cache_capacity(64);
    Ok(())
}

const CREATE_LEDGER: &str = "CREATE TABLE IF NOT EXISTS schema_migrations (
    version    INTEGER NOT NULL PRIMARY KEY,
    name       TEXT NOT NULL,
    applied_at TEXT NOT NULL
) STRICT";

fn applied(conn: &Connection) -> rusqlite::Result<Vec<(u32, String)>> {
    let exists: Option<i64> = conn
        .query_row(
            "SELECT 1 FROM sqlite_schema WHERE type = 'table' AND name = 'schema_migrations'",
            [],
            |r| r.get(0),
        )
        .optional()?;
    if exists.is_none() {
        return Ok(Vec::new());
    }
    let mut stmt = conn.prepare("SELECT version, name FROM schema_migrations ORDER BY version")?;
    let rows = stmt.query_map([], |r| Ok((r.get::<_, u32>(0)?, r.get::<_, String>(1)?)))?;
    rows.collect()
}

/// Applies the missing migrations in one transaction.
pub(super) fn migrate(conn: &mut Connection) -> Result<(), StoreError> {
    // Most opens find nothing to do; checking first without the write lock lets a reader
    // open the file while an import holds it.
    if migrate::pending(migrate::SQLITE, &applied(conn)?)?.is_empty() {
        return Ok(());
    }
    let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
    tx.execute_batch(CREATE_LEDGER)?;
    // Checked again under the lock: another process may have migrated meanwhile.
    for m in migrate::pending(migrate::SQLITE, &applied(&tx)?)? {
        apply(&tx, &m)?;
    }
    tx.commit()?;
    Ok(())
}

fn apply(tx: &Connection, m: &Migration) -> Result<(), StoreError> {
    tx.execute_batch(m.sql).map_err(|e| migrate::failed(m, e))?;
    tx.execute(
        "INSERT INTO schema_migrations (version, name, applied_at)
         VALUES (?1, ?2, strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))",
        (m.version, m.name),
    )
    .map_err(|e| migrate::failed(m, e))?;
    Ok(())
}
