//! `minsheng user add` and `minsheng audit verify` as an administrator runs them.

use super::{minsheng, text};
use std::io::Write;
use std::path::Path;
use std::process::{Command, Output, Stdio};

/// Runs `minsheng` with `input` on its standard input.
fn minsheng_with_stdin(args: &[&str], input: &str) -> Output {
    let mut child = Command::new(env!("CARGO_BIN_EXE_minsheng"))
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("minsheng runs");
    // A command refused for its arguments exits before reading its input: writing may
    // then fail with a broken pipe, which is not the test's business.
    let _ = child.stdin.take().unwrap().write_all(input.as_bytes());
    child.wait_with_output().unwrap()
}

fn user_add(db: &Path, username: &str, role: &str, region: &str, password: &str) -> Output {
    minsheng_with_stdin(
        &[
            "user",
            "add",
            "--db",
            db.to_str().unwrap(),
            "--username",
            username,
            "--role",
            role,
            "--region",
            region,
            "--password-stdin",
            "--display-name",
            "王小明",
        ],
        password,
    )
}

fn audit_verify(db: &Path) -> Output {
    minsheng(&["audit", "verify", "--db", db.to_str().unwrap()])
}

#[test]
fn users_are_added_and_the_audit_chain_verified() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("r.sqlite");
    let o = user_add(&db, "wang", "street", "510703001000", "a long secret\n");
    assert!(o.status.success(), "{}", text(&o));
    assert_eq!(
        String::from_utf8_lossy(&o.stdout),
        "已添加用户 / user added: wang（街道/乡镇审核，四川省 绵阳市 涪城区 城厢街道）\n"
    );
    let o = user_add(&db, "li", "auditor", "510703000000", "another secret\r\n");
    assert!(o.status.success(), "{}", text(&o));

    let o = user_add(&db, "wang", "admin", "510703000000", "a long secret\n");
    assert_eq!(o.status.code(), Some(1), "{}", text(&o));
    assert!(
        text(&o).contains("用户名 \"wang\" 已存在 / username \"wang\" already exists"),
        "{}",
        text(&o)
    );

    let o = audit_verify(&db);
    assert!(o.status.success(), "{}", text(&o));
    assert_eq!(
        String::from_utf8_lossy(&o.stdout),
        "审计链完整：2 条 / audit chain intact: 2 entries\n"
    );

    // Someone with the file drops the trigger and edits the first entry.
    let conn = rusqlite::Connection::open(&db).unwrap();
    conn.execute_batch(
        "DROP TRIGGER audit_log_no_update; UPDATE audit_log SET actor = 'nobody' WHERE seq = 1",
    )
    .unwrap();
    let o = audit_verify(&db);
    assert_eq!(o.status.code(), Some(1), "{}", text(&o));
    assert!(o.stdout.is_empty());
    assert_eq!(
        String::from_utf8_lossy(&o.stderr),
        "错误 / error: 审计链在第 1 条断开：内容与哈希不符（本条被改动）/ the fields do not match the hash: the entry was edited / audit chain broken at seq 1\n"
    );
}

#[test]
fn bad_values_are_named_with_what_is_expected() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("r.sqlite");

    let o = user_add(&db, "wang", "mayor", "510703001000", "a long secret\n");
    assert_eq!(o.status.code(), Some(1));
    assert!(
        text(&o).contains(
            "角色 \"mayor\" 无效，应为以下之一：community 社区/网格员、street 街道/乡镇审核、county 区县民政局确认、planner 规划人员、auditor 审计人员、admin 系统管理员 / unknown role, expected one of: community, street, county, planner, auditor, admin"
        ),
        "{}",
        text(&o)
    );

    let o = user_add(&db, "wang", "street", "5107030010", "a long secret\n");
    assert_eq!(o.status.code(), Some(1));
    assert!(
        text(&o).contains("区划代码 \"5107030010\" 无效：应为 12 位数字"),
        "{}",
        text(&o)
    );

    let o = user_add(&db, "wang", "street", "510703999000", "a long secret\n");
    assert_eq!(o.status.code(), Some(1));
    assert!(
        text(&o).contains("区划代码 510703999000 不在本库的区划表中"),
        "{}",
        text(&o)
    );

    // Seven characters and the newline: too short.
    let o = user_add(&db, "wang", "street", "510703001000", "1234567\n");
    assert_eq!(o.status.code(), Some(1));
    assert!(text(&o).contains("密码至少需要 8 个字符"), "{}", text(&o));

    let o = user_add(&db, "王", "street", "510703001000", "a long secret\n");
    assert_eq!(o.status.code(), Some(1));
    assert!(text(&o).contains("用户名 \"王\" 无效"), "{}", text(&o));

    // Nothing was added, so nothing was audited.
    let o = audit_verify(&db);
    assert_eq!(
        String::from_utf8_lossy(&o.stdout),
        "审计链完整：0 条 / audit chain intact: 0 entries\n"
    );

    // The password only ever comes from standard input.
    let o = minsheng(&[
        "user",
        "add",
        "--db",
        db.to_str().unwrap(),
        "--username",
        "wang",
        "--role",
        "street",
        "--region",
        "510703001000",
    ]);
    assert_eq!(o.status.code(), Some(2), "clap's usage error");
    assert!(text(&o).contains("--password-stdin"), "{}", text(&o));
}

#[test]
fn a_token_is_printed_once_and_its_issue_audited() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("r.sqlite");
    assert!(
        user_add(&db, "wang", "street", "510703001000", "a long secret\n")
            .status
            .success()
    );
    let token_of = |user: &str| {
        minsheng(&[
            "user",
            "token",
            "--db",
            db.to_str().unwrap(),
            "--username",
            user,
        ])
    };
    let o = token_of("wang");
    assert!(o.status.success(), "{}", text(&o));
    let token = String::from_utf8_lossy(&o.stdout).trim().to_owned();
    assert_eq!(token.len(), 64, "{token}");
    assert!(token.bytes().all(|b| b.is_ascii_hexdigit()));
    let mut store = minsheng_store::open(db.to_str().unwrap()).unwrap();
    let hash = minsheng_app::accounts::token_hash(&token);
    assert_eq!(store.api_token(&hash).unwrap().unwrap().username, "wang");
    let o = token_of("nobody");
    assert_eq!(o.status.code(), Some(1));
    assert!(text(&o).contains("不存在"), "{}", text(&o));
    assert!(audit_verify(&db).status.success());
}
