//! The server backend, for a city or a province: PostgreSQL through the synchronous
//! `postgres` driver, bulk writes through `COPY`.
//!
//! - [`schema`]: the migration runner;
//! - [`copy`]: rows in `COPY` text format;
//! - [`write`]: [`PgBatch`], staged upserts;
//! - [`read`]: keys, regions, counts and the paged export;
//! - [`accounts`]: the account and audit tables through the backend-neutral statements.

mod accounts;
mod copy;
mod read;
mod schema;
mod write;

pub use write::PgBatch;

use crate::accounts::{Sql, delegate_accounts};
use crate::web::delegate_web;
use crate::{Backend, Batch, Counts, Keys, Store, StoreError};
use ::postgres::{Client, IsolationLevel, NoTls};
use minsheng_model::{RecordSink, RegionTable};

/// A registry stored in a PostgreSQL database.
pub struct PgStore {
    client: Client,
}

impl PgStore {
    /// Connects to `url` (`postgres://user@host:port/db`) and applies missing migrations.
    pub fn open(url: &str) -> Result<PgStore, StoreError> {
        let mut client = Client::connect(url, NoTls).map_err(|e| StoreError::Open {
            url: redact(url),
            detail: e.to_string(),
        })?;
        schema::migrate(&mut client)?;
        Ok(PgStore { client })
    }

    /// A read-only snapshot: everything read in it comes from one moment, even while an
    /// import commits.
    fn snapshot(&mut self) -> Result<::postgres::Transaction<'_>, StoreError> {
        Ok(self
            .client
            .build_transaction()
            .isolation_level(IsolationLevel::RepeatableRead)
            .read_only(true)
            .start()?)
    }

    /// Runs `f` in one transaction: a read-write one when it writes, else a snapshot.
    fn in_transaction<T>(
        &mut self,
        write: bool,
        f: impl FnOnce(&mut dyn Sql) -> Result<T, StoreError>,
    ) -> Result<T, StoreError> {
        let mut tx = if write {
            self.client.transaction()?
        } else {
            self.snapshot()?
        };
        let out = f(&mut accounts::PgSql(&mut tx))?;
        tx.commit()?;
        Ok(out)
    }
}

/// The URL without its password, for error messages and logs.
fn redact(url: &str) -> String {
    let Some(scheme_end) = url.find("://").map(|i| i + 3) else {
        return url.to_owned();
    };
    let rest = &url[scheme_end..];
    let authority_end = rest.find('/').unwrap_or(rest.len());
    match rest[..authority_end].rfind('@') {
        Some(at) => match rest[..at].find(':') {
            Some(colon) => format!(
                "{}{}:***{}",
                &url[..scheme_end],
                &rest[..colon],
                &rest[at..]
            ),
            None => url.to_owned(),
        },
        None => url.to_owned(),
    }
}

impl Store for PgStore {
    fn backend(&self) -> Backend {
        Backend::Postgres
    }

    fn regions(&mut self) -> Result<RegionTable, StoreError> {
        let mut tx = self.snapshot()?;
        read::regions(&mut tx)
    }

    fn replace_regions(&mut self, table: &RegionTable) -> Result<(), StoreError> {
        write::replace_regions(&mut self.client, table)
    }

    fn keys(&mut self) -> Result<Keys, StoreError> {
        let mut tx = self.snapshot()?;
        read::keys(&mut tx)
    }

    fn begin(&mut self) -> Result<Box<dyn Batch + '_>, StoreError> {
        Ok(Box::new(PgBatch::new(self.client.transaction()?)))
    }

    fn export(&mut self, sink: &mut dyn RecordSink) -> Result<(), StoreError> {
        let mut tx = self.snapshot()?;
        read::export(&mut tx, sink)
    }

    fn counts(&mut self) -> Result<Counts, StoreError> {
        let mut tx = self.snapshot()?;
        read::counts(&mut tx)
    }

    delegate_accounts!();
    delegate_web!();
}

#[cfg(test)]
mod tests {
    use super::redact;

    #[test]
    fn passwords_stay_out_of_messages() {
        assert_eq!(
            redact("postgres://u:secret@h:5432/db"),
            "postgres://u:***@h:5432/db"
        );
        assert_eq!(redact("postgres://u@h/db"), "postgres://u@h/db");
        assert_eq!(redact("postgresql://h/db"), "postgresql://h/db");
    }
}
