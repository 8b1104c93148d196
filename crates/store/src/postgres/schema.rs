//! The PostgreSQL migration runner.

use crate::StoreError;
use crate::migrate;
use ::postgres::Client;

/// Key of the advisory lock that serialises migrators (any fixed number; this one is
/// "minsheng" in ASCII, truncated to fit a bigint).
const MIGRATION_LOCK: i64 = 0x6d69_6e73_6865_6e67;

const CREATE_LEDGER: &str = "CREATE TABLE IF NOT EXISTS schema_migrations (
    version    INTEGER NOT NULL PRIMARY KEY,
    name       TEXT NOT NULL,
    applied_at TIMESTAMPTZ NOT NULL DEFAULT now()
)";

/// Applies the missing migrations in one transaction. Two processes opening a new
/// database at once would both try to create the tables; the advisory lock makes the
/// second wait and then find nothing left to do.
pub(super) fn migrate(client: &mut Client) -> Result<(), StoreError> {
    let mut tx = client.transaction()?;
    tx.execute("SELECT pg_advisory_xact_lock($1)", &[&MIGRATION_LOCK])?;
    // The ledger's creation notice ("already exists, skipping") is not worth showing.
    tx.batch_execute("SET LOCAL client_min_messages = warning")?;
    tx.batch_execute(CREATE_LEDGER)?;
    let mut applied = Vec::new();
    for row in tx.query("SELECT version, name FROM schema_migrations", &[])? {
        let version: i32 = row.try_get(0)?;
        applied.push((version.unsigned_abs(), row.try_get::<_, String>(1)?));
    }
    for m in migrate::pending(migrate::POSTGRES, &applied)? {
        tx.batch_execute(m.sql)
            .map_err(|e| migrate::failed(&m, e))?;
        let version = i32::try_from(m.version).map_err(|e| migrate::failed(&m, e))?;
        tx.execute(
            "INSERT INTO schema_migrations (version, name) VALUES ($1, $2)",
            &[&version, &m.name],
        )
        .map_err(|e| migrate::failed(&m, e))?;
    }
    tx.commit()?;
    Ok(())
}
