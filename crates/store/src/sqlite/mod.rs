//! The embedded backend: one SQLite file in WAL mode.
//!
//! - [`schema`]: connection settings and the migration runner;
//! - [`write`]: [`SqliteBatch`], upserts through cached prepared statements;
//! - [`read`]: keys, regions, counts and the streaming export;
//! - [`accounts`]: the account and audit tables through the backend-neutral statements.

mod accounts;
mod read;
mod schema;
mod write;

pub use write::SqliteBatch;

use crate::accounts::{Sql, delegate_accounts};
use crate::web::delegate_web;
use crate::{Backend, Batch, Counts, Keys, Store, StoreError};
use minsheng_model::{RecordSink, RegionTable};
use rusqlite::{Connection, TransactionBehavior};

/// A registry stored in one SQLite file.
pub struct SqliteStore {
    conn: Connection,
}

impl SqliteStore {
    /// Opens (creating if needed) the database file at `path` and applies missing
    /// migrations.
    pub fn open(path: &str) -> Result<SqliteStore, StoreError> {
        let mut conn = Connection::open(path).map_err(|e| StoreError::Open {
            url: path.to_owned(),
            detail: e.to_string(),
        })?;
        schema::configure(&conn).map_err(|e| StoreError::Open {
            url: path.to_owned(),
            detail: e.to_string(),
        })?;
        schema::migrate(&mut conn)?;
        Ok(SqliteStore { conn })
    }

    /// Runs `f` in one transaction: `IMMEDIATE` (the write lock taken at once) when it
    /// writes, a plain read transaction (one snapshot) when it does not.
    fn in_transaction<T>(
        &mut self,
        write: bool,
        f: impl FnOnce(&mut dyn Sql) -> Result<T, StoreError>,
    ) -> Result<T, StoreError> {
        let behavior = if write {
            TransactionBehavior::Immediate
        } else {
            TransactionBehavior::Deferred
        };
        // SQLite has one writer at a time. Writers of this process queue on a mutex
        // instead of in SQLite's busy handler, which sleeps in growing steps (up to
        // 100 ms) and made the web's p99 several times its median under load.
        let _turn = write.then(|| WRITERS.lock().unwrap_or_else(|e| e.into_inner()));
        let tx = self.conn.transaction_with_behavior(behavior)?;
        let out = f(&mut accounts::SqliteSql(&tx))?;
        tx.commit()?;
        Ok(out)
    }
}

/// The write turn of this process's SQLite stores (see `in_transaction`).
static WRITERS: std::sync::Mutex<()> = std::sync::Mutex::new(());

impl Store for SqliteStore {
    fn backend(&self) -> Backend {
        Backend::Sqlite
    }

    fn regions(&mut self) -> Result<RegionTable, StoreError> {
        read::regions(&self.conn)
    }

    fn replace_regions(&mut self, table: &RegionTable) -> Result<(), StoreError> {
        write::replace_regions(&mut self.conn, table)
    }

    fn keys(&mut self) -> Result<Keys, StoreError> {
        // One read transaction, so households and persons come from the same snapshot.
        let tx = self.conn.transaction()?;
        read::keys(&tx)
    }

    fn begin(&mut self) -> Result<Box<dyn Batch + '_>, StoreError> {
        Ok(Box::new(SqliteBatch::begin(&self.conn)?))
    }

    fn export(&mut self, sink: &mut dyn RecordSink) -> Result<(), StoreError> {
        let tx = self.conn.transaction()?;
        read::export(&tx, sink)
    }

    fn counts(&mut self) -> Result<Counts, StoreError> {
        read::counts(&self.conn)
    }

    delegate_accounts!();
    delegate_web!();
}
