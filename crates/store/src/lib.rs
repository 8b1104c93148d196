//! The registry's storage — the only crate that speaks SQL.
//!
//! One interface, [`Store`], with two real backends:
//!
//! - [`sqlite`]: the embedded default, a single file in WAL mode;
//! - [`postgres`]: for a city or province; bulk writes go through `COPY`.
//!
//! Schema migrations are versioned SQL files under `migrations/{sqlite,postgres}/`,
//! applied in order on [`open`] and recorded in `schema_migrations`. Money is stored as
//! integer fen (`INTEGER`/`BIGINT`), never as a float; unknown values are `NULL`.
//!
//! Writes happen inside a [`Batch`]: everything or nothing, committed explicitly,
//! rolled back when dropped.
//!
//! The web application's accounts — users, sessions, API tokens — and the append-only,
//! hash-chained audit log are stored through the same trait (`accounts`, one
//! implementation over both backends), and so are what its pages read: the household
//! search and page, and the stored results of evaluated months (`web`).
//!
//! ```
//! # let dir = tempfile::tempdir().unwrap();
//! # let path = dir.path().join("registry.db");
//! let mut store = minsheng_store::open(path.to_str().unwrap()).unwrap();
//! let mut batch = store.begin().unwrap();
//! assert_eq!(batch.upsert_households(&[]).unwrap(), 0);
//! batch.commit().unwrap();
//! assert_eq!(store.counts().unwrap().households, 0);
//! ```

use minsheng_model::access::{ApiTokenRow, NewUser, SessionRow, User};
use minsheng_model::audit::{AuditEntry, AuditQuery, NewAuditEntry};
use minsheng_model::{
    Enrollment, Event, Fen, HospitalStay, Household, HouseholdBundle, Person, RecordSink,
    RegionCode, RegionLevel, RegionTable,
};
use std::collections::{HashMap, HashSet};

mod accounts;
mod migrate;
/// The five `upsert_*` methods of [`Batch`], each delegating to the backend's generic
/// `upsert` (one definition for both backends; written before the modules that use it).
macro_rules! delegate_upserts {
    () => {
        fn upsert_households(
            &mut self,
            rows: &[minsheng_model::Household],
        ) -> Result<u64, crate::StoreError> {
            self.upsert(rows)
        }
        fn upsert_persons(
            &mut self,
            rows: &[minsheng_model::Person],
        ) -> Result<u64, crate::StoreError> {
            self.upsert(rows)
        }
        fn upsert_stays(
            &mut self,
            rows: &[minsheng_model::HospitalStay],
        ) -> Result<u64, crate::StoreError> {
            self.upsert(rows)
        }
        fn upsert_events(
            &mut self,
            rows: &[minsheng_model::Event],
        ) -> Result<u64, crate::StoreError> {
            self.upsert(rows)
        }
        fn upsert_enrollments(
            &mut self,
            rows: &[minsheng_model::Enrollment],
        ) -> Result<u64, crate::StoreError> {
            self.upsert(rows)
        }
    };
}

pub mod postgres;
mod rows;
pub mod sqlite;
mod web;

pub use web::{HouseholdHit, HouseholdQuery, ResultSummaryRow, StoredResult};

/// Which backend a store runs on.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

/// A failure of the storage layer, with enough context to act on.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("SQLite: {0}")]
    Sqlite(#[from] rusqlite::Error),
    #[error("PostgreSQL: {0}")]
    Postgres(#[from] ::postgres::Error),
    #[error("migration {version} ({name}) failed: {detail}")]
    Migration {
        version: u32,
        name: String,
        detail: String,
    },
    #[error(
        "stored value not readable: table {table}, key {key}, column {column}, value {value:?}"
    )]
    Corrupt {
        table: &'static str,
        key: String,
        column: &'static str,
        value: String,
    },
    #[error("cannot open database {url:?}: {detail}")]
    Open { url: String, detail: String },
    #[error("export sink failed: {0}")]
    Sink(minsheng_model::SinkError),
    #[error("用户名 {0:?} 已存在 / username {0:?} already exists")]
    DuplicateUser(String),
    #[error("没有用户 {0:?} / no user {0:?}")]
    UnknownUser(String),
    /// Sending `COPY` data failed in a way the driver did not report as its own error.
    #[error("PostgreSQL COPY stream: {0}")]
    CopyStream(std::io::Error),
}

/// What is already stored that the importer must know to check a batch's references
/// and the one-head rule without re-reading the database row by row.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Keys {
    pub households: HashSet<String>,
    /// person_id → (household_id, relation is `head`).
    pub persons: HashMap<String, (String, bool)>,
}

/// Row counts per table.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Counts {
    pub regions: u64,
    pub households: u64,
    pub persons: u64,
    pub stays: u64,
    pub events: u64,
    pub enrollments: u64,
}

/// The storage interface every backend implements. Synchronous: the web layer calls it
/// from a blocking thread pool; the CLI calls it directly.
pub trait Store: Send {
    fn backend(&self) -> Backend;

    /// The stored region tree (empty until [`Store::replace_regions`] was called).
    fn regions(&mut self) -> Result<RegionTable, StoreError>;

    /// Replaces the region tree in one transaction.
    fn replace_regions(&mut self, table: &RegionTable) -> Result<(), StoreError>;

    /// Ids of stored households and persons (for reference and head checks).
    fn keys(&mut self) -> Result<Keys, StoreError>;

    /// Starts an all-or-nothing write.
    fn begin(&mut self) -> Result<Box<dyn Batch + '_>, StoreError>;

    /// Streams every stored record into `sink`, each table ordered by its key
    /// (households, persons, stays, events by id; enrollments by (household, person, program)).
    fn export(&mut self, sink: &mut dyn RecordSink) -> Result<(), StoreError>;

    fn counts(&mut self) -> Result<Counts, StoreError>;

    /// Creates a user account; [`StoreError::DuplicateUser`] when the name is taken.
    fn add_user(&mut self, user: &NewUser) -> Result<(), StoreError>;

    fn user(&mut self, username: &str) -> Result<Option<User>, StoreError>;

    /// Records the outcome of a login attempt: the count of consecutive failures and the
    /// end of a lock, if any. [`StoreError::UnknownUser`] when there is no such user.
    fn set_login_state(
        &mut self,
        username: &str,
        failed_logins: u32,
        locked_until: Option<&str>,
    ) -> Result<(), StoreError>;

    fn create_session(&mut self, session: &SessionRow) -> Result<(), StoreError>;

    /// The session with this token hash, expired or not (the caller decides).
    fn session(&mut self, token_hash: &str) -> Result<Option<SessionRow>, StoreError>;

    /// Ends a session; whether there was one.
    fn delete_session(&mut self, token_hash: &str) -> Result<bool, StoreError>;

    /// Deletes the sessions with `expires_at <= now`; how many.
    fn delete_expired_sessions(&mut self, now: &str) -> Result<u64, StoreError>;

    fn create_api_token(&mut self, token: &ApiTokenRow) -> Result<(), StoreError>;

    fn api_token(&mut self, token_hash: &str) -> Result<Option<ApiTokenRow>, StoreError>;

    /// Appends an entry to the audit log after the current last one, in one transaction
    /// that holds the log's write lock (SQLite `BEGIN IMMEDIATE`, PostgreSQL
    /// `LOCK TABLE … IN EXCLUSIVE MODE`), so concurrent appenders form one chain.
    fn append_audit(&mut self, entry: &NewAuditEntry) -> Result<AuditEntry, StoreError>;

    /// A page of the audit log, newest first (see [`AuditQuery`]).
    fn audit_entries(&mut self, query: &AuditQuery) -> Result<Vec<AuditEntry>, StoreError>;

    /// Streams the whole audit log in seq order into `f`, from one snapshot, until `f`
    /// returns `false`.
    fn audit_scan(&mut self, f: &mut dyn FnMut(AuditEntry) -> bool) -> Result<(), StoreError>;

    /// The household `id` with its persons (by person id), their stays (by person, then
    /// discharge date), its events (by date) and enrollments (by program), read from one
    /// snapshot; `None` when there is no such household. No jurisdiction check: that is
    /// the caller's (`app::access::Scope::allows`).
    fn household_bundle(&mut self, id: &str) -> Result<Option<HouseholdBundle>, StoreError>;

    /// Households within `q.within` matching `q.text` (trimmed), by household id, at most
    /// `q.limit`: the household with exactly that id; and, by the text's shape, the
    /// households of a person with exactly that ID number (18 characters, 17 digits and a
    /// check character), or whose region code starts with it (2 to 12 digits), or else of
    /// a person whose name starts with it. An empty text finds nothing.
    fn search_households(&mut self, q: &HouseholdQuery) -> Result<Vec<HouseholdHit>, StoreError>;

    /// Replaces the stored results of `month` ('YYYY-MM') with `rows` in one
    /// transaction; how many rows were stored.
    fn replace_results(&mut self, month: &str, rows: &[StoredResult]) -> Result<u64, StoreError>;

    /// The months with stored results, newest first.
    fn result_months(&mut self) -> Result<Vec<String>, StoreError>;

    /// The stored results of one household in `month`, by (person id, program).
    fn household_results(
        &mut self,
        month: &str,
        household_id: &str,
    ) -> Result<Vec<StoredResult>, StoreError>;

    /// The eligible results of `month` within `within`, per region at `level` and
    /// program: units and monthly total, by (region, program).
    fn results_summary(
        &mut self,
        month: &str,
        within: RegionCode,
        level: RegionLevel,
    ) -> Result<Vec<ResultSummaryRow>, StoreError>;

    /// The eligible results within `within` of every stored month, per (month, program):
    /// units and monthly total, by (month, program).
    fn results_trend(
        &mut self,
        within: RegionCode,
    ) -> Result<Vec<(String, String, u64, Fen)>, StoreError>;
}

/// An open write transaction. Each `upsert_*` inserts new keys and replaces stored rows
/// whose values differ, and returns how many rows were inserted or changed (rows equal to
/// the stored ones are left untouched and not counted). Dropping without
/// [`Batch::commit`] rolls everything back.
///
/// When one call carries several rows with the same key, the last one is what is stored
/// (the importer refuses such duplicates before they get here, so how they are counted
/// is left to the backend).
pub trait Batch {
    fn upsert_households(&mut self, rows: &[Household]) -> Result<u64, StoreError>;
    fn upsert_persons(&mut self, rows: &[Person]) -> Result<u64, StoreError>;
    fn upsert_stays(&mut self, rows: &[HospitalStay]) -> Result<u64, StoreError>;
    fn upsert_events(&mut self, rows: &[Event]) -> Result<u64, StoreError>;
    /// Keyed by (household_id, person_id or empty, program).
    fn upsert_enrollments(&mut self, rows: &[Enrollment]) -> Result<u64, StoreError>;
    fn commit(self: Box<Self>) -> Result<(), StoreError>;
}

/// Opens (creating if needed) and migrates the database at `url`: a `postgres://` or
/// `postgresql://` URL, or else a SQLite file path (an optional `sqlite://` prefix is
/// stripped).
pub fn open(url: &str) -> Result<Box<dyn Store>, StoreError> {
    if url.starts_with("postgres://") || url.starts_with("postgresql://") {
        Ok(Box::new(postgres::PgStore::open(url)?))
    } else {
        let path = url.strip_prefix("sqlite://").unwrap_or(url);
        Ok(Box::new(sqlite::SqliteStore::open(path)?))
    }
}
