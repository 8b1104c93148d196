//! Accounts as the web application will use them: checked creation, throttled logins
//! that do not tell unknown users from wrong passwords, expiring sessions, and an audit
//! chain that names the entry someone edited.

use crate::support::sqlite;
use chrono::{DateTime, TimeDelta, Utc};
use minsheng_app::accounts::{
    self, LOCK_DURATION, LoginError, Origin, SESSION_TTL, UserSpec, authenticate,
};
use minsheng_app::error::AppError;
use minsheng_model::RegionCode;
use minsheng_model::access::Role;
use minsheng_model::audit::{AuditEntry, AuditQuery, BreakReason, ChainBroken};
use minsheng_store::{Store, StoreError};

/// 城厢街道 of 涪城区, in the built-in region table.
const TOWNSHIP: &str = "510703001000";
const PASSWORD: &str = "正确的密码 correct horse";

fn at(s: &str) -> DateTime<Utc> {
    DateTime::parse_from_rfc3339(s).unwrap().with_timezone(&Utc)
}

fn t0() -> DateTime<Utc> {
    at("2024-06-01T08:00:00Z")
}

fn spec(username: &str) -> UserSpec<'_> {
    UserSpec {
        username,
        role: Role::Street,
        region: RegionCode::parse(TOWNSHIP).unwrap(),
        password: PASSWORD,
        display_name: "王小明",
    }
}

fn add(store: &mut dyn Store, username: &str) {
    accounts::add_user(store, &spec(username), &Origin::cli(t0())).unwrap();
}

/// (actor, action, target, detail) of every entry, oldest first.
fn log(store: &mut dyn Store) -> Vec<(String, String, String, String)> {
    let mut entries: Vec<AuditEntry> = store.audit_entries(&AuditQuery::default()).unwrap();
    entries.reverse();
    entries
        .into_iter()
        .map(|e| (e.actor, e.action, e.target, e.detail))
        .collect()
}

fn entry(
    actor: &str,
    action: &str,
    target: &str,
    detail: &str,
) -> (String, String, String, String) {
    (actor.into(), action.into(), target.into(), detail.into())
}

#[test]
fn add_user_checks_name_password_and_region_and_audits() {
    let dir = tempfile::tempdir().unwrap();
    let mut store = sqlite(dir.path());
    let origin = Origin::cli(t0());
    let err = accounts::add_user(store.as_mut(), &spec("wang xiaoming"), &origin).unwrap_err();
    assert!(matches!(&err, AppError::Username(n) if n == "wang xiaoming"));
    assert!(
        err.to_string().starts_with("用户名 \"wang xiaoming\" 无效"),
        "{err}"
    );
    let short = UserSpec {
        password: "1234567",
        ..spec("wang")
    };
    let err = accounts::add_user(store.as_mut(), &short, &origin).unwrap_err();
    assert_eq!(
        err.to_string(),
        "密码至少需要 8 个字符 / the password needs at least 8 characters"
    );
    // A well-formed code that is not in the table.
    let nowhere = UserSpec {
        region: RegionCode::parse("510703999000").unwrap(),
        ..spec("wang")
    };
    let err = accounts::add_user(store.as_mut(), &nowhere, &origin).unwrap_err();
    assert_eq!(
        err.to_string(),
        "区划代码 510703999000 不在本库的区划表中 / region 510703999000 is not in the registry's region table"
    );
    assert_eq!(store.user("wang").unwrap(), None);

    let user = accounts::add_user(store.as_mut(), &spec("wang"), &origin).unwrap();
    assert_eq!(user.username, "wang");
    assert_eq!(
        (user.role, user.region.to_string()),
        (Role::Street, TOWNSHIP.into())
    );
    assert_eq!(user.created_at, "2024-06-01T08:00:00Z");
    assert!(
        user.password_hash.starts_with("$argon2id$v=19$"),
        "{}",
        user.password_hash
    );
    assert!(!user.password_hash.contains(PASSWORD));
    let err = accounts::add_user(store.as_mut(), &spec("wang"), &origin).unwrap_err();
    assert!(matches!(err, AppError::Store(StoreError::DuplicateUser(_))));
    assert_eq!(
        log(store.as_mut()),
        [entry(
            "cli",
            "user_add",
            "user:wang",
            "role=street region=510703001000"
        )]
    );
}

#[test]
fn five_wrong_passwords_lock_the_account_for_fifteen_minutes() {
    let dir = tempfile::tempdir().unwrap();
    let mut store = sqlite(dir.path());
    add(store.as_mut(), "wang");
    let mut now = t0();
    for n in 1..=4 {
        let err = authenticate(store.as_mut(), "wang", "wrong", "10.0.0.7", now).unwrap_err();
        assert!(matches!(err, LoginError::Invalid), "{err}");
        assert_eq!(store.user("wang").unwrap().unwrap().failed_logins, n);
        now += TimeDelta::seconds(10);
    }
    let err = authenticate(store.as_mut(), "wang", "wrong", "10.0.0.7", now).unwrap_err();
    let until = "2024-06-01T08:15:40Z";
    assert_eq!(now + LOCK_DURATION, at(until));
    assert!(
        matches!(&err, LoginError::Locked { until: u } if u == until),
        "{err}"
    );
    assert_eq!(
        err.to_string(),
        "连续 5 次登录失败，账户已锁定至 2024-06-01T08:15:40Z / account locked until 2024-06-01T08:15:40Z after 5 failed logins"
    );

    // The right password does not open a locked account …
    let err = authenticate(
        store.as_mut(),
        "wang",
        PASSWORD,
        "10.0.0.7",
        at("2024-06-01T08:15:39Z"),
    )
    .unwrap_err();
    assert!(
        matches!(&err, LoginError::Locked { until: u } if u == until),
        "{err}"
    );
    // … until the lock ends; success clears the state.
    let user = authenticate(store.as_mut(), "wang", PASSWORD, "10.0.0.7", at(until)).unwrap();
    assert_eq!((user.failed_logins, user.locked_until), (0, None));
    let stored = store.user("wang").unwrap().unwrap();
    assert_eq!((stored.failed_logins, stored.locked_until), (0, None));

    let log = log(store.as_mut());
    let actions: Vec<&str> = log.iter().map(|e| e.1.as_str()).collect();
    assert_eq!(
        actions,
        [
            "user_add",
            "login_failed",
            "login_failed",
            "login_failed",
            "login_failed",
            "login_failed",
            "login_failed",
            "login"
        ]
    );
    assert_eq!(log[1].3, "wrong password (1 in a row)");
    assert_eq!(
        log[5].3,
        "wrong password; locked until 2024-06-01T08:15:40Z"
    );
    assert_eq!(log[6].3, "locked");
    assert_eq!(log[7], entry("wang", "login", "user:wang", ""));
}

#[test]
fn a_success_clears_earlier_failures() {
    let dir = tempfile::tempdir().unwrap();
    let mut store = sqlite(dir.path());
    add(store.as_mut(), "wang");
    for _ in 0..3 {
        authenticate(store.as_mut(), "wang", "wrong", "10.0.0.7", t0()).unwrap_err();
    }
    authenticate(store.as_mut(), "wang", PASSWORD, "10.0.0.7", t0()).unwrap();
    // Four more failures do not lock: the count started again.
    for _ in 0..4 {
        let err = authenticate(store.as_mut(), "wang", "wrong", "10.0.0.7", t0()).unwrap_err();
        assert!(matches!(err, LoginError::Invalid));
    }
    assert_eq!(store.user("wang").unwrap().unwrap().failed_logins, 4);
}

#[test]
fn unknown_user_and_wrong_password_give_the_same_answer() {
    let dir = tempfile::tempdir().unwrap();
    let mut store = sqlite(dir.path());
    add(store.as_mut(), "wang");
    let unknown = authenticate(store.as_mut(), "zhao", PASSWORD, "10.0.0.8", t0()).unwrap_err();
    let wrong = authenticate(store.as_mut(), "wang", "wrong", "10.0.0.8", t0()).unwrap_err();
    assert!(matches!(unknown, LoginError::Invalid));
    assert!(matches!(wrong, LoginError::Invalid));
    assert_eq!(unknown.to_string(), wrong.to_string());
    assert_eq!(
        unknown.to_string(),
        "用户名或密码错误 / wrong username or password"
    );
    // The log tells them apart, for the auditors.
    let log = log(store.as_mut());
    assert_eq!(
        log[1],
        entry("anonymous", "login_failed", "user:zhao", "unknown user")
    );
    assert_eq!(
        log[2],
        entry(
            "anonymous",
            "login_failed",
            "user:wang",
            "wrong password (1 in a row)"
        )
    );
}

#[test]
fn sessions_expire_after_their_time_and_store_only_a_hash() {
    let dir = tempfile::tempdir().unwrap();
    let mut store = sqlite(dir.path());
    add(store.as_mut(), "wang");
    let user = authenticate(store.as_mut(), "wang", PASSWORD, "10.0.0.7", t0()).unwrap();
    let (token, csrf) =
        accounts::new_session(store.as_mut(), &user, "10.0.0.7", t0(), SESSION_TTL).unwrap();
    assert_eq!(token.len(), 64);
    assert_ne!(token, csrf);
    assert_eq!(
        store.session(&token).unwrap(),
        None,
        "the token itself is not stored"
    );

    let (u, s) = accounts::session_user(store.as_mut(), &token, t0() + TimeDelta::hours(7))
        .unwrap()
        .unwrap();
    assert_eq!(u.username, "wang");
    assert_eq!(s.csrf_token, csrf);
    assert_eq!(
        (s.created_at.as_str(), s.expires_at.as_str()),
        ("2024-06-01T08:00:00Z", "2024-06-01T16:00:00Z")
    );
    assert_eq!(s.token_hash, accounts::token_hash(&token));
    assert!(
        accounts::session_user(store.as_mut(), "not-a-token", t0())
            .unwrap()
            .is_none()
    );

    // Eight hours after login the session is over, and gone from the store.
    assert!(
        accounts::session_user(store.as_mut(), &token, t0() + SESSION_TTL)
            .unwrap()
            .is_none()
    );
    assert_eq!(store.session(&s.token_hash).unwrap(), None);
}

#[test]
fn audit_chain_verifies_and_names_the_entry_edited_behind_its_back() {
    let dir = tempfile::tempdir().unwrap();
    let mut store = sqlite(dir.path());
    add(store.as_mut(), "wang");
    authenticate(store.as_mut(), "wang", "wrong", "10.0.0.7", t0()).unwrap_err();
    authenticate(store.as_mut(), "wang", PASSWORD, "10.0.0.7", t0()).unwrap();
    assert_eq!(accounts::verify_audit(store.as_mut()).unwrap(), 3);

    // The trigger refuses the edit; someone with the file drops it first.
    let conn = rusqlite::Connection::open(dir.path().join("registry.sqlite")).unwrap();
    let update = "UPDATE audit_log SET detail = 'nothing happened' WHERE seq = 2";
    assert!(conn.execute_batch(update).is_err());
    conn.execute_batch("DROP TRIGGER audit_log_no_update")
        .unwrap();
    conn.execute_batch(update).unwrap();

    let err = accounts::verify_audit(store.as_mut()).unwrap_err();
    assert!(
        matches!(
            &err,
            AppError::AuditBroken(ChainBroken {
                seq: 2,
                reason: BreakReason::HashMismatch
            })
        ),
        "{err}"
    );
    assert!(err.to_string().starts_with("审计链在第 2 条断开"), "{err}");
}

#[test]
fn a_disabled_account_cannot_log_in_or_use_its_sessions() {
    let dir = tempfile::tempdir().unwrap();
    let mut store = sqlite(dir.path());
    add(store.as_mut(), "wang");
    let user = authenticate(store.as_mut(), "wang", PASSWORD, "10.0.0.7", t0()).unwrap();
    let (token, _) =
        accounts::new_session(store.as_mut(), &user, "10.0.0.7", t0(), SESSION_TTL).unwrap();
    let conn = rusqlite::Connection::open(dir.path().join("registry.sqlite")).unwrap();
    conn.execute_batch("UPDATE users SET disabled = 1 WHERE username = 'wang'")
        .unwrap();
    let err = authenticate(store.as_mut(), "wang", PASSWORD, "10.0.0.7", t0()).unwrap_err();
    assert!(matches!(err, LoginError::Invalid));
    assert!(
        accounts::session_user(store.as_mut(), &token, t0())
            .unwrap()
            .is_none()
    );
}
