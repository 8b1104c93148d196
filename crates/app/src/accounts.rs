//! User accounts, logins, sessions and the audit log as use cases.
//!
//! - [`add_user`]: a checked account with an Argon2id password hash, audited `user_add`;
//! - [`authenticate`]: a login with throttling (5 consecutive failures lock the account
//!   for 15 minutes), audited `login` or `login_failed`;
//! - [`new_session`] / [`session_user`]: random session tokens of which only the
//!   SHA-256 is stored, valid for a fixed time ([`SESSION_TTL`]);
//! - [`record`]: one audit entry; [`verify_audit`]: the whole chain checked.
//!
//! The clock is the caller's: every function that needs the time takes `now`, so tests
//! can move it.

use crate::error::AppError;
use argon2::Argon2;
use argon2::password_hash::{PasswordHasher, PasswordVerifier};
use chrono::{DateTime, TimeDelta, Utc};
use minsheng_model::RegionCode;
use minsheng_model::access::{ApiTokenRow, NewUser, Role, SessionRow, User};
use minsheng_model::audit::{self, AuditEntry, ChainVerifier, NewAuditEntry, timestamp};
use minsheng_store::{Store, StoreError};
use rand::TryRng;
use std::sync::OnceLock;

/// Consecutive failed logins that lock an account.
pub const MAX_FAILED_LOGINS: u32 = 5;
/// How long a locked account stays locked.
pub const LOCK_DURATION: TimeDelta = TimeDelta::minutes(15);
/// How long a session lasts from login (absolute: a working day, then log in again).
pub const SESSION_TTL: TimeDelta = TimeDelta::hours(8);
/// Shortest password accepted, in characters.
pub const MIN_PASSWORD_CHARS: usize = 8;

/// Who does something, from where, when: the actor, source and time of its audit entry.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Origin {
    /// A username, or `system` / `cli`.
    pub actor: String,
    /// An IP address, or `cli`.
    pub source: String,
    pub at: DateTime<Utc>,
}

impl Origin {
    /// Someone at the command line of the server.
    pub fn cli(at: DateTime<Utc>) -> Origin {
        Origin {
            actor: "cli".into(),
            source: "cli".into(),
            at,
        }
    }
}

/// The account to create.
#[derive(Clone, Debug)]
pub struct UserSpec<'a> {
    pub username: &'a str,
    pub role: Role,
    pub region: RegionCode,
    pub password: &'a str,
    pub display_name: &'a str,
}

/// Why a login was refused. Unknown user and wrong password are the same error, so the
/// answer does not tell which usernames exist (the audit log does say which it was).
#[derive(Debug, thiserror::Error)]
pub enum LoginError {
    #[error("用户名或密码错误 / wrong username or password")]
    Invalid,
    #[error(
        "连续 {MAX_FAILED_LOGINS} 次登录失败，账户已锁定至 {until} / account locked until {until} after {MAX_FAILED_LOGINS} failed logins"
    )]
    Locked { until: String },
    #[error(transparent)]
    Store(#[from] StoreError),
}

/// Appends one entry to the audit log.
pub fn record(
    store: &mut dyn Store,
    origin: &Origin,
    action: &str,
    target: &str,
    detail: &str,
) -> Result<AuditEntry, StoreError> {
    store.append_audit(&NewAuditEntry {
        at: timestamp(origin.at),
        actor: origin.actor.clone(),
        action: action.to_owned(),
        target: target.to_owned(),
        detail: detail.to_owned(),
        source: origin.source.clone(),
    })
}

/// 1–32 characters of `A–Z a–z 0–9 _ . -`: safe in URLs, logs and file names.
fn valid_username(name: &str) -> bool {
    (1..=32).contains(&name.len())
        && name
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'_' | b'.' | b'-'))
}

/// Creates an account after checking the username, the password's length and that the
/// region is in the store's region table; audited as `user_add` by `origin`.
pub fn add_user(
    store: &mut dyn Store,
    spec: &UserSpec<'_>,
    origin: &Origin,
) -> Result<User, AppError> {
    if !valid_username(spec.username) {
        return Err(AppError::Username(spec.username.to_owned()));
    }
    if spec.password.chars().count() < MIN_PASSWORD_CHARS {
        return Err(AppError::PasswordTooShort {
            min: MIN_PASSWORD_CHARS,
        });
    }
    if store.regions()?.get(spec.region).is_none() {
        return Err(AppError::UnknownRegion(spec.region));
    }
    let password_hash = Argon2::default()
        .hash_password(spec.password.as_bytes())
        .map_err(|e| AppError::PasswordHash(e.to_string()))?
        .to_string();
    store.add_user(&NewUser {
        username: spec.username.to_owned(),
        password_hash,
        role: spec.role,
        region: spec.region,
        display_name: spec.display_name.to_owned(),
        created_at: timestamp(origin.at),
    })?;
    record(
        store,
        origin,
        "user_add",
        &format!("user:{}", spec.username),
        &format!("role={} region={}", spec.role.code(), spec.region),
    )?;
    store
        .user(spec.username)?
        .ok_or_else(|| AppError::Store(StoreError::UnknownUser(spec.username.to_owned())))
}

/// A hash to verify against when the user does not exist, so that the answer takes as
/// long as for a wrong password (same Argon2id parameters, computed once).
fn dummy_hash() -> &'static str {
    static DUMMY: OnceLock<String> = OnceLock::new();
    DUMMY.get_or_init(|| {
        Argon2::default()
            .hash_password_with_salt(b"minsheng: no such user", b"minsheng-dummy-salt")
            .map(|h| h.to_string())
            .unwrap_or_default()
    })
}

fn password_matches(hash: &str, password: &str) -> bool {
    Argon2::default()
        .verify_password(password.as_bytes(), hash)
        .is_ok()
}

/// Checks a login at `now` from `source` (an IP address).
///
/// A locked account is refused without looking at the password. A wrong password
/// counts a failure; the [`MAX_FAILED_LOGINS`]th in a row locks the account for
/// [`LOCK_DURATION`] and starts the count again, so after the lock there are again five
/// tries. A success clears the count. Every attempt is audited. (Two attempts at the same
/// moment may both read the same count: at worst one failure goes uncounted.)
pub fn authenticate(
    store: &mut dyn Store,
    username: &str,
    password: &str,
    source: &str,
    now: DateTime<Utc>,
) -> Result<User, LoginError> {
    let origin = |actor: &str| Origin {
        actor: actor.to_owned(),
        source: source.to_owned(),
        at: now,
    };
    // Whatever was typed, bounded, for the log.
    let target = format!("user:{}", username.chars().take(64).collect::<String>());
    let failed = |store: &mut dyn Store, detail: &str| -> Result<(), LoginError> {
        record(store, &origin("anonymous"), "login_failed", &target, detail)?;
        Ok(())
    };
    let Some(user) = store.user(username)? else {
        password_matches(dummy_hash(), password);
        failed(store, "unknown user")?;
        return Err(LoginError::Invalid);
    };
    let now_text = timestamp(now);
    if let Some(until) = user.locked_until.as_ref().filter(|u| **u > now_text) {
        failed(store, "locked")?;
        return Err(LoginError::Locked {
            until: until.clone(),
        });
    }
    let matches = password_matches(&user.password_hash, password);
    if user.disabled {
        failed(store, "disabled")?;
        return Err(LoginError::Invalid);
    }
    if !matches {
        let count = user.failed_logins + 1;
        if count >= MAX_FAILED_LOGINS {
            let until = timestamp(now + LOCK_DURATION);
            store.set_login_state(&user.username, 0, Some(&until))?;
            failed(store, &format!("wrong password; locked until {until}"))?;
            return Err(LoginError::Locked { until });
        }
        store.set_login_state(&user.username, count, None)?;
        failed(store, &format!("wrong password ({count} in a row)"))?;
        return Err(LoginError::Invalid);
    }
    if user.failed_logins != 0 || user.locked_until.is_some() {
        store.set_login_state(&user.username, 0, None)?;
    }
    record(store, &origin(&user.username), "login", &target, "")?;
    Ok(User {
        failed_logins: 0,
        locked_until: None,
        ..user
    })
}

/// 32 bytes from the operating system's random generator, as 64 hex digits.
/// 32 random bytes from the operating system, as 64 hex characters.
pub fn random_token() -> Result<String, AppError> {
    let mut bytes = [0u8; 32];
    rand::rngs::SysRng
        .try_fill_bytes(&mut bytes)
        .map_err(|e| AppError::Random(e.to_string()))?;
    Ok(bytes.iter().map(|b| format!("{b:02x}")).collect())
}

/// Issues an API token for `user` (`label` says what for), valid for `ttl` or until
/// deleted; returns the token, shown once. Audited as `token_issue`.
pub fn issue_api_token(
    store: &mut dyn Store,
    user: &User,
    label: &str,
    origin: &Origin,
    ttl: Option<TimeDelta>,
) -> Result<String, AppError> {
    let token = random_token()?;
    store.create_api_token(&ApiTokenRow {
        token_hash: token_hash(&token),
        username: user.username.clone(),
        label: label.to_owned(),
        created_at: timestamp(origin.at),
        expires_at: ttl.map(|t| timestamp(origin.at + t)),
    })?;
    record(store, origin, "token_issue", &user.username, label)?;
    Ok(token)
}

/// The user an API token belongs to, if it is known, unexpired and the user enabled.
pub fn token_user(
    store: &mut dyn Store,
    token: &str,
    now: DateTime<Utc>,
) -> Result<Option<User>, AppError> {
    let Some(row) = store.api_token(&token_hash(token))? else {
        return Ok(None);
    };
    if row.expires_at.is_some_and(|e| e <= timestamp(now)) {
        return Ok(None);
    }
    Ok(store.user(&row.username)?.filter(|u| !u.disabled))
}

/// The stored form of a session or API token.
pub fn token_hash(token: &str) -> String {
    audit::sha256_hex(token.as_bytes())
}

/// Opens a session for `user` lasting `ttl` from `now`; returns the session token (for
/// the cookie) and the CSRF token (for forms). Only the token's hash is stored.
pub fn new_session(
    store: &mut dyn Store,
    user: &User,
    source: &str,
    now: DateTime<Utc>,
    ttl: TimeDelta,
) -> Result<(String, String), AppError> {
    let token = random_token()?;
    let csrf = random_token()?;
    store.create_session(&SessionRow {
        token_hash: token_hash(&token),
        username: user.username.clone(),
        csrf_token: csrf.clone(),
        created_at: timestamp(now),
        expires_at: timestamp(now + ttl),
        source: source.to_owned(),
    })?;
    Ok((token, csrf))
}

/// The user and session of a session token at `now`; `None` for an unknown or expired
/// token (an expired session is deleted), or when the account is gone or disabled.
pub fn session_user(
    store: &mut dyn Store,
    token: &str,
    now: DateTime<Utc>,
) -> Result<Option<(User, SessionRow)>, AppError> {
    let Some(session) = store.session(&token_hash(token))? else {
        return Ok(None);
    };
    if session.expires_at <= timestamp(now) {
        store.delete_session(&session.token_hash)?;
        return Ok(None);
    }
    Ok(store
        .user(&session.username)?
        .filter(|u| !u.disabled)
        .map(|u| (u, session)))
}

/// Checks the whole audit chain, streaming it from the store; the number of entries, or
/// [`AppError::AuditBroken`] naming the first entry that does not fit.
pub fn verify_audit(store: &mut dyn Store) -> Result<u64, AppError> {
    let mut verifier = ChainVerifier::new();
    let mut broken = None;
    store.audit_scan(&mut |e| match verifier.push(&e) {
        Ok(()) => true,
        Err(b) => {
            broken = Some(b);
            false
        }
    })?;
    match broken {
        Some(b) => Err(AppError::AuditBroken(b)),
        None => Ok(verifier.count()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn usernames_are_short_and_plain() {
        for ok in ["wang", "a", "li.ming-2_x", &"x".repeat(32)] {
            assert!(valid_username(ok), "{ok}");
        }
        for bad in ["", "王", "a b", "a/b", &"x".repeat(33), "a@b"] {
            assert!(!valid_username(bad), "{bad}");
        }
    }

    /// Regression guard: were the dummy hash empty, an unknown user would be answered
    /// at once and a login form would tell which usernames exist.
    #[test]
    fn the_dummy_hash_is_a_real_argon2id_hash() {
        let default = Argon2::default().hash_password(b"x").unwrap().to_string();
        let params = |h: &str| h.split('$').take(4).collect::<Vec<_>>().join("$");
        assert!(dummy_hash().starts_with("$argon2id$v=19$m=19456,t=2,p=1$"));
        assert_eq!(params(dummy_hash()), params(&default));
        assert!(!password_matches(dummy_hash(), "anything"));
    }

    #[test]
    fn tokens_are_64_hex_digits_and_differ() {
        let a = random_token().unwrap();
        let b = random_token().unwrap();
        assert_eq!(a.len(), 64);
        assert!(a.bytes().all(|c| c.is_ascii_hexdigit()));
        assert_ne!(a, b);
        assert_eq!(token_hash(&a).len(), 64);
        assert_ne!(token_hash(&a), a);
    }
}
