//! Users, sessions, API tokens and the audit log: stored and read back alike on both
//! backends; the log is append-only and chained, also under concurrent appenders.

use crate::support::{TestDb, on_both_backends, region};
use minsheng_model::access::{ApiTokenRow, NewUser, Role, SessionRow};
use minsheng_model::audit::{self, AuditEntry, AuditQuery, BreakReason, GENESIS, NewAuditEntry};
use minsheng_store::{Store, StoreError};

on_both_backends!(
    users_are_stored_once_and_keep_their_login_state,
    sessions_and_api_tokens_are_found_by_hash_and_expire,
    audit_entries_chain_filter_and_scan,
    audit_log_refuses_edits_and_a_forced_edit_breaks_the_chain,
    concurrent_appenders_form_one_chain,
);

fn new_user(name: &str, role: Role) -> NewUser {
    NewUser {
        username: name.to_owned(),
        password_hash: "$argon2id$v=19$m=19456,t=2,p=1$c2FsdA$aGFzaA".to_owned(),
        role,
        region: region("510703001000"),
        display_name: "王 小明".to_owned(),
        created_at: "2024-06-01T08:00:00Z".to_owned(),
    }
}

fn users_are_stored_once_and_keep_their_login_state(db: &TestDb) {
    let mut store = db.open();
    assert_eq!(store.user("wang").unwrap(), None);
    store.add_user(&new_user("wang", Role::Street)).unwrap();
    let u = store.user("wang").unwrap().unwrap();
    assert_eq!(u.username, "wang");
    assert_eq!(u.role, Role::Street);
    assert_eq!(u.region, region("510703001000"));
    assert_eq!(u.display_name, "王 小明");
    assert_eq!(
        u.password_hash,
        new_user("wang", Role::Street).password_hash
    );
    assert_eq!(u.created_at, "2024-06-01T08:00:00Z");
    assert_eq!(
        (u.failed_logins, u.locked_until, u.disabled),
        (0, None, false)
    );

    let err = store.add_user(&new_user("wang", Role::Admin)).unwrap_err();
    assert!(matches!(&err, StoreError::DuplicateUser(n) if n == "wang"));
    assert_eq!(
        err.to_string(),
        "用户名 \"wang\" 已存在 / username \"wang\" already exists"
    );
    // The first account is untouched by the refused one.
    assert_eq!(store.user("wang").unwrap().unwrap().role, Role::Street);

    store
        .set_login_state("wang", 5, Some("2024-06-01T08:15:00Z"))
        .unwrap();
    let u = db.open().user("wang").unwrap().unwrap();
    assert_eq!(u.failed_logins, 5);
    assert_eq!(u.locked_until.as_deref(), Some("2024-06-01T08:15:00Z"));
    store.set_login_state("wang", 0, None).unwrap();
    let u = store.user("wang").unwrap().unwrap();
    assert_eq!((u.failed_logins, u.locked_until), (0, None));
    assert!(matches!(
        store.set_login_state("nobody", 1, None).unwrap_err(),
        StoreError::UnknownUser(n) if n == "nobody"
    ));

    // A role outside the six is refused by the schema itself.
    let refused = db.try_exec(
        "INSERT INTO users (username, password_hash, role, region_code, display_name, created_at) \
         VALUES ('x', 'h', 'root', '510703001000', 'x', '2024-06-01T08:00:00Z')",
    );
    let refused = refused.unwrap_err();
    assert!(refused.to_lowercase().contains("check"), "{refused}");
}

fn session(hash_char: char, expires_at: &str) -> SessionRow {
    SessionRow {
        token_hash: hash_char.to_string().repeat(64),
        username: "wang".to_owned(),
        csrf_token: format!("csrf-{hash_char}"),
        created_at: "2024-06-01T08:00:00Z".to_owned(),
        expires_at: expires_at.to_owned(),
        source: "10.0.0.7".to_owned(),
    }
}

fn sessions_and_api_tokens_are_found_by_hash_and_expire(db: &TestDb) {
    let mut store = db.open();
    let a = session('a', "2024-06-01T16:00:00Z");
    let b = session('b', "2024-06-01T17:00:00Z");
    store.create_session(&a).unwrap();
    store.create_session(&b).unwrap();
    assert_eq!(store.session(&a.token_hash).unwrap(), Some(a.clone()));
    assert_eq!(store.session(&"c".repeat(64)).unwrap(), None);

    // Expiry is inclusive: a session ending at `now` is gone.
    assert_eq!(
        store
            .delete_expired_sessions("2024-06-01T15:59:59Z")
            .unwrap(),
        0
    );
    assert_eq!(
        store
            .delete_expired_sessions("2024-06-01T16:00:00Z")
            .unwrap(),
        1
    );
    assert_eq!(store.session(&a.token_hash).unwrap(), None);
    assert!(store.delete_session(&b.token_hash).unwrap());
    assert!(!store.delete_session(&b.token_hash).unwrap());
    assert_eq!(store.session(&b.token_hash).unwrap(), None);

    let t = ApiTokenRow {
        token_hash: "d".repeat(64),
        username: "wang".to_owned(),
        label: "医保局对接".to_owned(),
        created_at: "2024-06-01T08:00:00Z".to_owned(),
        expires_at: None,
    };
    store.create_api_token(&t).unwrap();
    let dated = ApiTokenRow {
        token_hash: "e".repeat(64),
        expires_at: Some("2025-01-01T00:00:00Z".to_owned()),
        ..t.clone()
    };
    store.create_api_token(&dated).unwrap();
    assert_eq!(store.api_token(&t.token_hash).unwrap(), Some(t));
    assert_eq!(store.api_token(&dated.token_hash).unwrap(), Some(dated));
    assert_eq!(store.api_token(&"f".repeat(64)).unwrap(), None);
}

fn new_entry(minute: u32, actor: &str, action: &str, target: &str) -> NewAuditEntry {
    NewAuditEntry {
        at: format!("2024-06-01T08:{minute:02}:00Z"),
        actor: actor.to_owned(),
        action: action.to_owned(),
        target: target.to_owned(),
        detail: "细节\t\"quoted\"".to_owned(),
        source: "10.0.0.7".to_owned(),
    }
}

fn scan(store: &mut dyn Store) -> Vec<AuditEntry> {
    let mut all = Vec::new();
    store
        .audit_scan(&mut |e| {
            all.push(e);
            true
        })
        .unwrap();
    all
}

fn seqs(entries: &[AuditEntry]) -> Vec<i64> {
    entries.iter().map(|e| e.seq).collect()
}

fn audit_entries_chain_filter_and_scan(db: &TestDb) {
    let mut store = db.open();
    assert_eq!(scan(store.as_mut()), []);
    let first = store
        .append_audit(&new_entry(0, "wang", "login", "user:wang"))
        .unwrap();
    assert_eq!((first.seq, first.prev_hash.as_str()), (1, GENESIS));
    assert_eq!(first.hash, first.expected_hash());
    let second = store
        .append_audit(&new_entry(
            1,
            "wang",
            "view_household",
            "household:H0000016",
        ))
        .unwrap();
    assert_eq!((second.seq, &second.prev_hash), (2, &first.hash));
    for (minute, actor, action, target) in [
        (2, "li", "view_household", "household:H0000017"),
        (3, "wang", "reveal_id", "Household:H0000016"),
        (4, "cli", "user_add", "user:li"),
    ] {
        store
            .append_audit(&new_entry(minute, actor, action, target))
            .unwrap();
    }

    let all = scan(store.as_mut());
    assert_eq!(seqs(&all), [1, 2, 3, 4, 5]);
    assert_eq!(all[0], first);
    assert_eq!(all[1], second);
    assert_eq!(audit::verify(all.clone().into_iter()), Ok(5));

    // Scanning stops when asked.
    let mut seen = Vec::new();
    store
        .audit_scan(&mut |e| {
            seen.push(e.seq);
            e.seq < 2
        })
        .unwrap();
    assert_eq!(seen, [1, 2]);

    let page = |store: &mut Box<dyn Store>, q: AuditQuery| seqs(&store.audit_entries(&q).unwrap());
    assert_eq!(page(&mut store, AuditQuery::default()), [5, 4, 3, 2, 1]);
    let q = AuditQuery {
        actor: Some("wang".into()),
        ..AuditQuery::default()
    };
    assert_eq!(page(&mut store, q), [4, 2, 1]);
    let q = AuditQuery {
        action: Some("view_household".into()),
        ..AuditQuery::default()
    };
    assert_eq!(page(&mut store, q), [3, 2]);
    // A prefix, case-sensitive (seq 4's target starts with "Household").
    let q = AuditQuery {
        target_prefix: Some("household:".into()),
        ..AuditQuery::default()
    };
    assert_eq!(page(&mut store, q), [3, 2]);
    let q = AuditQuery {
        target_prefix: Some("household:H0000016".into()),
        actor: Some("wang".into()),
        ..AuditQuery::default()
    };
    assert_eq!(page(&mut store, q), [2]);
    // From inclusive, to exclusive.
    let q = AuditQuery {
        from: Some("2024-06-01T08:01:00Z".into()),
        to: Some("2024-06-01T08:04:00Z".into()),
        ..AuditQuery::default()
    };
    assert_eq!(page(&mut store, q), [4, 3, 2]);
    let q = AuditQuery {
        limit: 2,
        offset: 1,
        ..AuditQuery::default()
    };
    assert_eq!(page(&mut store, q), [4, 3]);
    let got = store.audit_entries(&AuditQuery::default()).unwrap();
    assert_eq!(got[3], second);
}

fn audit_log_refuses_edits_and_a_forced_edit_breaks_the_chain(db: &TestDb) {
    let mut store = db.open();
    for minute in 0..3 {
        store
            .append_audit(&new_entry(minute, "wang", "view_household", "household:H1"))
            .unwrap();
    }
    let update = "UPDATE audit_log SET detail = 'nothing to see' WHERE seq = 2";
    let err = db.try_exec(update).unwrap_err();
    assert!(err.contains("审计日志只能追加"), "{err}");
    let err = db
        .try_exec("DELETE FROM audit_log WHERE seq = 3")
        .unwrap_err();
    assert!(err.contains("append-only"), "{err}");
    assert_eq!(seqs(&scan(store.as_mut())), [1, 2, 3]);

    // What someone with write access to the database can still do: drop the trigger
    // first. The chain then names the entry that was changed.
    if db.is_postgres() {
        db.exec("DROP TRIGGER audit_log_no_update_or_delete ON audit_log");
    } else {
        db.exec("DROP TRIGGER audit_log_no_update");
    }
    db.exec(update);
    let entries = scan(store.as_mut());
    assert_eq!(entries[1].detail, "nothing to see");
    let broken = audit::verify(entries.into_iter()).unwrap_err();
    assert_eq!(broken.seq, 2);
    assert_eq!(broken.reason, BreakReason::HashMismatch);
}

fn concurrent_appenders_form_one_chain(db: &TestDb) {
    const PER_THREAD: u32 = 15;
    std::thread::scope(|s| {
        for actor in ["a", "b", "c"] {
            s.spawn(move || {
                let mut store = db.open();
                for i in 0..PER_THREAD {
                    store
                        .append_audit(&new_entry(i, actor, "view_household", "household:H1"))
                        .unwrap();
                }
            });
        }
    });
    let entries = scan(db.open().as_mut());
    assert_eq!(audit::verify(entries.iter().cloned()), Ok(45));
    for actor in ["a", "b", "c"] {
        let n = entries.iter().filter(|e| e.actor == actor).count();
        assert_eq!(n, PER_THREAD as usize, "{actor}");
    }
}
