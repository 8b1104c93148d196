//! Access rules at the HTTP level: jurisdiction (a street office never reaches another
//! street's households by any path), CSRF on every form, lockout, and the audit chain.

use crate::support::{App, PASSWORD, post_request};
use axum::http::StatusCode;
use minsheng_model::RegionCode;

#[tokio::test]
async fn a_street_office_reaches_no_household_of_another_street_by_any_path() {
    let app = App::new();
    let s = app.login("chengxiang").await;
    let mine = app.registry.households_under("510703001000");
    let theirs = app.registry.households_under("510703003000");
    assert!(
        mine.len() >= 5 && theirs.len() >= 5,
        "{} {}",
        mine.len(),
        theirs.len()
    );
    for id in &theirs {
        for path in [
            format!("/households/{id}"),
            format!("/households/{id}/export.csv"),
            format!("/api/households/{id}"),
        ] {
            let r = app.get(&path, &s.cookie).await;
            assert_eq!(r.status, StatusCode::NOT_FOUND, "{path}");
            assert!(
                !r.body.contains(&format!(">{id}<")),
                "{path} leaks the household"
            );
        }
        let r = app
            .post(
                &format!("/households/{id}/reveal"),
                &s.cookie,
                &[("csrf", &s.csrf)],
            )
            .await;
        assert_eq!(r.status, StatusCode::NOT_FOUND, "reveal {id}");
        let r = app.get(&format!("/search?q={id}"), &s.cookie).await;
        assert_eq!(r.status, StatusCode::OK);
        assert!(
            !r.body.contains(&format!("/households/{id}\"")),
            "search finds {id}"
        );
        let r = app.get(&format!("/api/search?q={id}"), &s.cookie).await;
        assert!(r.body.contains("\"households\":[]"), "{}", r.body);
    }
    // Every region of the other street: its page, its export, its API summary.
    let regions = minsheng_interchange::regions::default_table();
    let gongqu = RegionCode::parse("510703003000").unwrap();
    let codes: Vec<RegionCode> = regions
        .iter()
        .map(|r| r.code)
        .filter(|c| gongqu.contains(*c))
        .collect();
    assert!(codes.len() > 3);
    for c in codes {
        for path in [
            format!("/regions/{c}"),
            format!("/regions/{c}/results.csv"),
            format!("/api/regions/{c}/summary"),
        ] {
            assert_eq!(
                app.get(&path, &s.cookie).await.status,
                StatusCode::NOT_FOUND,
                "{path}"
            );
        }
    }
    // Its own households open, with the engine's decisions, and export.
    let r = app
        .get(&format!("/households/{}", mine[0]), &s.cookie)
        .await;
    assert_eq!(r.status, StatusCode::OK);
    assert!(
        r.body.contains("认定结果与依据") && r.body.contains("低保"),
        "{}",
        r.body
    );
    let r = app
        .get(&format!("/households/{}/export.csv", mine[0]), &s.cookie)
        .await;
    assert_eq!(r.status, StatusCode::OK);
    assert_eq!(r.content_type, "text/csv; charset=utf-8");
    assert!(
        r.body
            .starts_with("household_id,person_id,program,decision,monthly_amount\n")
    );
    assert!(
        r.body.contains(&format!("{},,dibao,", mine[0])),
        "{}",
        r.body
    );
    // The refusals are in the audit log.
    let mut store = app.store();
    let denied = store
        .audit_entries(&minsheng_model::audit::AuditQuery {
            action: Some("denied_household".into()),
            limit: 10_000,
            ..Default::default()
        })
        .unwrap();
    assert!(denied.len() >= theirs.len() * 3, "{}", denied.len());
    assert!(denied.iter().all(|e| e.actor == "chengxiang"));
}

#[tokio::test]
async fn the_county_sees_both_streets_and_the_grid_worker_only_its_village() {
    let app = App::new();
    let cx = app.registry.households_under("510703001000");
    let gq = app.registry.households_under("510703003000");
    let county = app.login("fucheng").await;
    for id in [&cx[0], &gq[0]] {
        assert_eq!(
            app.get(&format!("/households/{id}"), &county.cookie)
                .await
                .status,
            StatusCode::OK
        );
    }
    let grid = app.login("wangge").await;
    let village = app.registry.households_under("510703001003");
    for id in &cx {
        let expect = if village.contains(id) {
            StatusCode::OK
        } else {
            StatusCode::NOT_FOUND
        };
        assert_eq!(
            app.get(&format!("/api/households/{id}"), &grid.cookie)
                .await
                .status,
            expect,
            "{id}"
        );
    }
}

#[tokio::test]
async fn a_form_without_its_csrf_token_is_refused() {
    let app = App::new();
    let s = app.login("chengxiang").await;
    let mine = app.registry.households_under("510703001000");
    // Sign-out without the token: refused, and the session still works.
    let r = app.post("/logout", &s.cookie, &[]).await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    let r = app.post("/logout", &s.cookie, &[("csrf", "0000")]).await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    assert_eq!(app.get("/", &s.cookie).await.status, StatusCode::OK);
    // Revealing ID numbers without the token: refused.
    let r = app
        .post(&format!("/households/{}/reveal", mine[0]), &s.cookie, &[])
        .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    // Login without the form cookie's token: refused before any password check.
    let r = app
        .post(
            "/login",
            "",
            &[("username", "chengxiang"), ("password", PASSWORD)],
        )
        .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    assert!(r.cookie("ms_session").is_none());
    // The public self-check too.
    let r = app
        .post("/check", "", &[("m0_age", "40"), ("m0_relation", "head")])
        .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    // With the token, sign-out works and the session is gone.
    let r = app.post("/logout", &s.cookie, &[("csrf", &s.csrf)]).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    let r = app.get("/", &s.cookie).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    assert_eq!(r.location.as_deref(), Some("/login?next=/"));
}

#[tokio::test]
async fn five_wrong_passwords_lock_the_account() {
    let app = App::new();
    for _ in 0..4 {
        let (cookie, status) = app
            .try_login("gongqu", "wrong-password", "10.0.0.7:1")
            .await;
        assert_eq!((cookie, status), (None, StatusCode::UNAUTHORIZED));
    }
    let (_, status) = app
        .try_login("gongqu", "wrong-password", "10.0.0.7:1")
        .await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
    // Now even the right password is refused, with the lock's end.
    let form = app.get("/login", "").await;
    let (fc, token) = (form.cookie("ms_form_csrf").unwrap(), form.csrf().unwrap());
    let r = app
        .send_from(
            post_request(
                "/login",
                &fc,
                &[
                    ("csrf", &token),
                    ("username", "gongqu"),
                    ("password", PASSWORD),
                ],
            ),
            "10.0.0.8:1",
        )
        .await;
    assert_eq!(r.status, StatusCode::UNAUTHORIZED);
    assert!(r.body.contains("锁定"), "{}", r.body);
    assert!(r.cookie("ms_session").is_none());
    // Another account is not affected.
    app.login("chengxiang").await;
}

#[tokio::test]
async fn an_edited_audit_row_is_detected() {
    let app = App::new();
    let s = app.login("chengxiang").await;
    let mine = app.registry.households_under("510703001000");
    app.get(&format!("/households/{}", mine[0]), &s.cookie)
        .await;
    let mut store = app.store();
    let n = minsheng_app::accounts::verify_audit(store.as_mut()).unwrap();
    assert!(n >= 9, "{n}");
    drop(store);
    // Someone with database access drops the guard and rewrites who looked.
    let conn = rusqlite::Connection::open(&app.db).unwrap();
    conn.execute_batch(
        "DROP TRIGGER IF EXISTS audit_log_no_update;
         UPDATE audit_log SET actor = 'nobody' WHERE action = 'view_household';",
    )
    .unwrap();
    drop(conn);
    let mut store = app.store();
    let e = minsheng_app::accounts::verify_audit(store.as_mut()).unwrap_err();
    assert!(e.to_string().contains("审计链"), "{e}");
    // The auditor's page says so.
    let auditor = app.login("auditor").await;
    let r = app.get("/audit", &auditor.cookie).await;
    assert_eq!(r.status, StatusCode::OK);
    assert!(r.body.contains("role=\"alert\""), "{}", r.body);
    // A street office may not read the log at all.
    assert_eq!(
        app.get("/audit", &s.cookie).await.status,
        StatusCode::FORBIDDEN
    );
}

#[tokio::test]
async fn a_bearer_token_opens_the_api_within_its_users_jurisdiction_only() {
    let app = App::new();
    let mine = app.registry.households_under("510703001000");
    let theirs = app.registry.households_under("510703003000");
    let mut store = app.store();
    let user = store.user("chengxiang").unwrap().unwrap();
    let origin = minsheng_app::accounts::Origin::cli(chrono::Utc::now());
    let token =
        minsheng_app::accounts::issue_api_token(store.as_mut(), &user, "test", &origin, None)
            .unwrap();
    drop(store);
    let get = |path: String, auth: String| {
        axum::http::Request::get(path)
            .header("authorization", auth)
            .body(axum::body::Body::empty())
            .unwrap()
    };
    let r = app
        .send(get("/api/me".into(), format!("Bearer {token}")))
        .await;
    assert_eq!(r.status, StatusCode::OK);
    assert!(r.body.contains("\"region\":\"510703001000\""), "{}", r.body);
    let r = app
        .send(get(
            format!("/api/households/{}", mine[0]),
            format!("Bearer {token}"),
        ))
        .await;
    assert_eq!(r.status, StatusCode::OK);
    assert!(r.body.contains("\"explanation\""));
    for id in &theirs {
        let r = app
            .send(get(
                format!("/api/households/{id}"),
                format!("Bearer {token}"),
            ))
            .await;
        assert_eq!(r.status, StatusCode::NOT_FOUND, "{id}");
    }
    // A wrong token is not signed in; a token is not accepted for pages.
    let r = app.send(get("/api/me".into(), "Bearer 00".into())).await;
    assert_eq!(r.status, StatusCode::UNAUTHORIZED);
    let r = app.send(get("/".into(), format!("Bearer {token}"))).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
}
