//! Users, sessions, API tokens and the audit log, written once for both backends, and
//! [`Sql`], the small interface that makes that possible (the web reads of [`crate::web`]
//! use it too).
//!
//! These tables are small and their statements simple, so unlike the registry's bulk
//! paths they need nothing backend-specific beyond running a statement: each backend
//! implements [`Sql`] over one of its transactions, and everything here is plain SQL
//! both dialects read the same way. Parameters are written `$1`, `$2` …: PostgreSQL's
//! placeholders, which SQLite reads as named parameters numbered in order of first
//! appearance — the same numbers, as long as each statement first uses them in order.

use crate::StoreError;
use crate::rows::{CellSink, StoredRow};
use minsheng_model::RegionCode;
use minsheng_model::access::{ApiTokenRow, NewUser, Role, SessionRow, User};
use minsheng_model::audit::{AuditEntry, AuditQuery, GENESIS, NewAuditEntry};

/// A statement parameter.
#[derive(Clone, Copy, Debug)]
pub(crate) enum Param<'a> {
    Text(&'a str),
    OptText(Option<&'a str>),
    Int(i64),
}

/// One result row; columns by position.
pub(crate) trait SqlRow {
    fn text(&self, i: usize) -> Result<String, StoreError>;
    fn opt_text(&self, i: usize) -> Result<Option<String>, StoreError>;
    fn int(&self, i: usize) -> Result<i64, StoreError>;
    fn flag(&self, i: usize) -> Result<bool, StoreError>;
}

/// Implements [`SqlRow`] for a backend's row type through its fallible getter by
/// column index (`get` on SQLite, `try_get` on PostgreSQL).
macro_rules! sql_row_via {
    ($row:ty, $get:ident) => {
        impl crate::accounts::SqlRow for $row {
            fn text(&self, i: usize) -> Result<String, crate::StoreError> {
                Ok(self.$get(i)?)
            }
            fn opt_text(&self, i: usize) -> Result<Option<String>, crate::StoreError> {
                Ok(self.$get(i)?)
            }
            fn int(&self, i: usize) -> Result<i64, crate::StoreError> {
                Ok(self.$get(i)?)
            }
            fn flag(&self, i: usize) -> Result<bool, crate::StoreError> {
                Ok(self.$get(i)?)
            }
        }
    };
}
pub(crate) use sql_row_via;

/// What this module needs of a backend: statements inside one open transaction.
pub(crate) trait Sql {
    /// Runs one statement; the number of rows it changed.
    fn execute(&mut self, sql: &str, params: &[Param<'_>]) -> Result<u64, StoreError>;

    /// Runs a query and hands its rows to `f` in order until `f` returns `false`,
    /// without holding all of them in memory.
    fn each(
        &mut self,
        sql: &str,
        params: &[Param<'_>],
        f: &mut dyn FnMut(&dyn SqlRow) -> Result<bool, StoreError>,
    ) -> Result<(), StoreError>;

    /// Like [`Sql::each`], each row seen as a [`StoredRow`], for decoding registry records
    /// with [`crate::rows::Record::decode`].
    fn each_stored(
        &mut self,
        sql: &str,
        params: &[Param<'_>],
        f: &mut dyn FnMut(&dyn StoredRow) -> Result<(), StoreError>,
    ) -> Result<(), StoreError>;

    /// Inserts `n` rows into `columns` of `table`, the cells of row `i` put by `row(i, …)`
    /// in column order, as fast as the backend can (a cached prepared statement on
    /// SQLite, one streamed `COPY` on PostgreSQL); how many rows were inserted.
    fn insert_rows(
        &mut self,
        table: &str,
        columns: &[&str],
        n: usize,
        row: &mut dyn FnMut(usize, &mut dyn CellSink) -> Result<(), StoreError>,
    ) -> Result<u64, StoreError>;

    /// Makes this transaction the only appender to `audit_log` until it ends, so that
    /// two appenders cannot both read the same last entry and fork the chain.
    fn lock_audit(&mut self) -> Result<(), StoreError>;
}

/// The `Store` methods of this module, each run by the backend's `in_transaction` method in
/// one transaction (`true`: a write transaction). One definition for both backends.
macro_rules! delegate_accounts {
    () => {
        fn add_user(
            &mut self,
            user: &minsheng_model::access::NewUser,
        ) -> Result<(), crate::StoreError> {
            self.in_transaction(true, |db| crate::accounts::add_user(db, user))
        }
        fn user(
            &mut self,
            username: &str,
        ) -> Result<Option<minsheng_model::access::User>, crate::StoreError> {
            self.in_transaction(false, |db| crate::accounts::user(db, username))
        }
        fn set_login_state(
            &mut self,
            username: &str,
            failed_logins: u32,
            locked_until: Option<&str>,
        ) -> Result<(), crate::StoreError> {
            self.in_transaction(true, |db| {
                crate::accounts::set_login_state(db, username, failed_logins, locked_until)
            })
        }
        fn create_session(
            &mut self,
            session: &minsheng_model::access::SessionRow,
        ) -> Result<(), crate::StoreError> {
            self.in_transaction(true, |db| crate::accounts::create_session(db, session))
        }
        fn session(
            &mut self,
            token_hash: &str,
        ) -> Result<Option<minsheng_model::access::SessionRow>, crate::StoreError> {
            self.in_transaction(false, |db| crate::accounts::session(db, token_hash))
        }
        fn delete_session(&mut self, token_hash: &str) -> Result<bool, crate::StoreError> {
            self.in_transaction(true, |db| crate::accounts::delete_session(db, token_hash))
        }
        fn delete_expired_sessions(&mut self, now: &str) -> Result<u64, crate::StoreError> {
            self.in_transaction(true, |db| crate::accounts::delete_expired_sessions(db, now))
        }
        fn create_api_token(
            &mut self,
            token: &minsheng_model::access::ApiTokenRow,
        ) -> Result<(), crate::StoreError> {
            self.in_transaction(true, |db| crate::accounts::create_api_token(db, token))
        }
        fn api_token(
            &mut self,
            token_hash: &str,
        ) -> Result<Option<minsheng_model::access::ApiTokenRow>, crate::StoreError> {
            self.in_transaction(false, |db| crate::accounts::api_token(db, token_hash))
        }
        fn append_audit(
            &mut self,
            entry: &minsheng_model::audit::NewAuditEntry,
        ) -> Result<minsheng_model::audit::AuditEntry, crate::StoreError> {
            self.in_transaction(true, |db| crate::accounts::append_audit(db, entry))
        }
        fn audit_entries(
            &mut self,
            query: &minsheng_model::audit::AuditQuery,
        ) -> Result<Vec<minsheng_model::audit::AuditEntry>, crate::StoreError> {
            self.in_transaction(false, |db| crate::accounts::audit_entries(db, query))
        }
        fn audit_scan(
            &mut self,
            f: &mut dyn FnMut(minsheng_model::audit::AuditEntry) -> bool,
        ) -> Result<(), crate::StoreError> {
            self.in_transaction(false, |db| crate::accounts::audit_scan(db, f))
        }
    };
}
pub(crate) use delegate_accounts;

const USER_COLUMNS: &str = "username, password_hash, role, region_code, display_name, \
                            failed_logins, locked_until, created_at, disabled";
const SESSION_COLUMNS: &str = "token_hash, username, csrf_token, created_at, expires_at, source";
const TOKEN_COLUMNS: &str = "token_hash, username, label, created_at, expires_at";
const AUDIT_COLUMNS: &str = "seq, at, actor, action, target, detail, source, prev_hash, hash";

/// A stored value that does not read as its type.
pub(crate) fn corrupt(
    table: &'static str,
    key: &str,
    column: &'static str,
    value: String,
) -> StoreError {
    StoreError::Corrupt {
        table,
        key: key.to_owned(),
        column,
        value,
    }
}

/// The rows of `sql`, each decoded by `decode`.
fn all<T>(
    db: &mut dyn Sql,
    sql: &str,
    params: &[Param<'_>],
    decode: fn(&dyn SqlRow) -> Result<T, StoreError>,
) -> Result<Vec<T>, StoreError> {
    let mut out = Vec::new();
    db.each(sql, params, &mut |row| {
        out.push(decode(row)?);
        Ok(true)
    })?;
    Ok(out)
}

/// The row of `sql` (a lookup by primary key), if any.
fn one<T>(
    db: &mut dyn Sql,
    sql: &str,
    key: &str,
    decode: fn(&dyn SqlRow) -> Result<T, StoreError>,
) -> Result<Option<T>, StoreError> {
    Ok(all(db, sql, &[Param::Text(key)], decode)?.pop())
}

fn decode_user(r: &dyn SqlRow) -> Result<User, StoreError> {
    let username = r.text(0)?;
    let role = r.text(2)?;
    let region = r.text(3)?;
    let failed = r.int(5)?;
    Ok(User {
        role: Role::from_code(&role).ok_or_else(|| corrupt("users", &username, "role", role))?,
        region: RegionCode::parse(&region)
            .ok_or_else(|| corrupt("users", &username, "region_code", region))?,
        failed_logins: u32::try_from(failed)
            .map_err(|_| corrupt("users", &username, "failed_logins", failed.to_string()))?,
        password_hash: r.text(1)?,
        display_name: r.text(4)?,
        locked_until: r.opt_text(6)?,
        created_at: r.text(7)?,
        disabled: r.flag(8)?,
        username,
    })
}

fn decode_session(r: &dyn SqlRow) -> Result<SessionRow, StoreError> {
    Ok(SessionRow {
        token_hash: r.text(0)?,
        username: r.text(1)?,
        csrf_token: r.text(2)?,
        created_at: r.text(3)?,
        expires_at: r.text(4)?,
        source: r.text(5)?,
    })
}

fn decode_token(r: &dyn SqlRow) -> Result<ApiTokenRow, StoreError> {
    Ok(ApiTokenRow {
        token_hash: r.text(0)?,
        username: r.text(1)?,
        label: r.text(2)?,
        created_at: r.text(3)?,
        expires_at: r.opt_text(4)?,
    })
}

fn decode_audit(r: &dyn SqlRow) -> Result<AuditEntry, StoreError> {
    Ok(AuditEntry {
        seq: r.int(0)?,
        at: r.text(1)?,
        actor: r.text(2)?,
        action: r.text(3)?,
        target: r.text(4)?,
        detail: r.text(5)?,
        source: r.text(6)?,
        prev_hash: r.text(7)?,
        hash: r.text(8)?,
    })
}

pub(crate) fn add_user(db: &mut dyn Sql, u: &NewUser) -> Result<(), StoreError> {
    let region = u.region.to_string();
    let inserted = db.execute(
        "INSERT INTO users (username, password_hash, role, region_code, display_name, created_at)
         VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (username) DO NOTHING",
        &[
            Param::Text(&u.username),
            Param::Text(&u.password_hash),
            Param::Text(u.role.code()),
            Param::Text(&region),
            Param::Text(&u.display_name),
            Param::Text(&u.created_at),
        ],
    )?;
    if inserted == 0 {
        return Err(StoreError::DuplicateUser(u.username.clone()));
    }
    Ok(())
}

pub(crate) fn user(db: &mut dyn Sql, username: &str) -> Result<Option<User>, StoreError> {
    let sql = format!("SELECT {USER_COLUMNS} FROM users WHERE username = $1");
    one(db, &sql, username, decode_user)
}

pub(crate) fn set_login_state(
    db: &mut dyn Sql,
    username: &str,
    failed_logins: u32,
    locked_until: Option<&str>,
) -> Result<(), StoreError> {
    let changed = db.execute(
        "UPDATE users SET failed_logins = $1, locked_until = $2 WHERE username = $3",
        &[
            Param::Int(failed_logins.into()),
            Param::OptText(locked_until),
            Param::Text(username),
        ],
    )?;
    if changed == 0 {
        return Err(StoreError::UnknownUser(username.to_owned()));
    }
    Ok(())
}

pub(crate) fn create_session(db: &mut dyn Sql, s: &SessionRow) -> Result<(), StoreError> {
    db.execute(
        &format!("INSERT INTO sessions ({SESSION_COLUMNS}) VALUES ($1, $2, $3, $4, $5, $6)"),
        &[
            Param::Text(&s.token_hash),
            Param::Text(&s.username),
            Param::Text(&s.csrf_token),
            Param::Text(&s.created_at),
            Param::Text(&s.expires_at),
            Param::Text(&s.source),
        ],
    )?;
    Ok(())
}

pub(crate) fn session(
    db: &mut dyn Sql,
    token_hash: &str,
) -> Result<Option<SessionRow>, StoreError> {
    let sql = format!("SELECT {SESSION_COLUMNS} FROM sessions WHERE token_hash = $1");
    one(db, &sql, token_hash, decode_session)
}

pub(crate) fn delete_session(db: &mut dyn Sql, token_hash: &str) -> Result<bool, StoreError> {
    let n = db.execute(
        "DELETE FROM sessions WHERE token_hash = $1",
        &[Param::Text(token_hash)],
    )?;
    Ok(n > 0)
}

pub(crate) fn delete_expired_sessions(db: &mut dyn Sql, now: &str) -> Result<u64, StoreError> {
    db.execute(
        "DELETE FROM sessions WHERE expires_at <= $1",
        &[Param::Text(now)],
    )
}

pub(crate) fn create_api_token(db: &mut dyn Sql, t: &ApiTokenRow) -> Result<(), StoreError> {
    db.execute(
        &format!("INSERT INTO api_tokens ({TOKEN_COLUMNS}) VALUES ($1, $2, $3, $4, $5)"),
        &[
            Param::Text(&t.token_hash),
            Param::Text(&t.username),
            Param::Text(&t.label),
            Param::Text(&t.created_at),
            Param::OptText(t.expires_at.as_deref()),
        ],
    )?;
    Ok(())
}

pub(crate) fn api_token(
    db: &mut dyn Sql,
    token_hash: &str,
) -> Result<Option<ApiTokenRow>, StoreError> {
    let sql = format!("SELECT {TOKEN_COLUMNS} FROM api_tokens WHERE token_hash = $1");
    one(db, &sql, token_hash, decode_token)
}

/// Reads the last entry and appends the next one after it, under the audit lock.
pub(crate) fn append_audit(
    db: &mut dyn Sql,
    new: &NewAuditEntry,
) -> Result<AuditEntry, StoreError> {
    db.lock_audit()?;
    let last = all(
        db,
        "SELECT seq, hash FROM audit_log ORDER BY seq DESC LIMIT 1",
        &[],
        |r| Ok((r.int(0)?, r.text(1)?)),
    )?
    .pop();
    let (seq, prev) = last.unwrap_or((0, GENESIS.to_owned()));
    let e = new.clone().chained(seq + 1, &prev);
    db.execute(
        &format!(
            "INSERT INTO audit_log ({AUDIT_COLUMNS}) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)"
        ),
        &[
            Param::Int(e.seq),
            Param::Text(&e.at),
            Param::Text(&e.actor),
            Param::Text(&e.action),
            Param::Text(&e.target),
            Param::Text(&e.detail),
            Param::Text(&e.source),
            Param::Text(&e.prev_hash),
            Param::Text(&e.hash),
        ],
    )?;
    Ok(e)
}

pub(crate) fn audit_entries(
    db: &mut dyn Sql,
    q: &AuditQuery,
) -> Result<Vec<AuditEntry>, StoreError> {
    let mut sql = format!("SELECT {AUDIT_COLUMNS} FROM audit_log WHERE 1 = 1");
    let mut params: Vec<Param<'_>> = Vec::new();
    let filters = [
        (&q.actor, "actor = ?"),
        (&q.action, "action = ?"),
        // A prefix test both dialects read alike (SQLite's LIKE ignores ASCII case).
        (
            &q.target_prefix,
            "substr(target, 1, length(CAST(? AS TEXT))) = CAST(? AS TEXT)",
        ),
        (&q.from, "at >= ?"),
        (&q.to, "at < ?"),
    ];
    for (value, condition) in filters {
        if let Some(v) = value {
            params.push(Param::Text(v));
            sql.push_str(" AND ");
            sql.push_str(&condition.replace('?', &format!("${}", params.len())));
        }
    }
    let n = params.len();
    sql.push_str(&format!(
        " ORDER BY seq DESC LIMIT ${} OFFSET ${}",
        n + 1,
        n + 2
    ));
    params.push(Param::Int(q.limit.into()));
    params.push(Param::Int(i64::try_from(q.offset).unwrap_or(i64::MAX)));
    all(db, &sql, &params, decode_audit)
}

pub(crate) fn audit_scan(
    db: &mut dyn Sql,
    f: &mut dyn FnMut(AuditEntry) -> bool,
) -> Result<(), StoreError> {
    let sql = format!("SELECT {AUDIT_COLUMNS} FROM audit_log ORDER BY seq");
    db.each(&sql, &[], &mut |row| Ok(f(decode_audit(row)?)))
}
