//! The pages and the API answer with real content: dashboard numbers and charts, search,
//! the household page's explanation, the policy page, the public self-check, OpenAPI,
//! the language switch.

use crate::support::App;
use axum::http::StatusCode;

#[tokio::test]
async fn the_dashboard_shows_the_jurisdictions_programs_and_charts() {
    let app = App::new();
    let s = app.login("fucheng").await;
    let r = app.get("/", &s.cookie).await;
    assert_eq!(r.status, StatusCode::OK);
    for text in ["工作台", "2024-06", "低保", "<svg", "涪城区", "城厢街道"] {
        assert!(r.body.contains(text), "missing {text}");
    }
    // The same totals through the API, from the stored results.
    let api = app
        .get("/api/regions/510703000000/summary", &s.cookie)
        .await;
    assert_eq!(api.status, StatusCode::OK);
    let v: serde_json::Value = serde_json::from_str(&api.body).unwrap();
    let rows = v["rows"].as_array().unwrap();
    assert!(rows.iter().any(|r| r["program"] == "dibao"), "{}", api.body);
    assert!(
        rows.iter()
            .all(|r| r["region_code"].as_str().unwrap().starts_with("510703"))
    );
}

#[tokio::test]
async fn not_signed_in_means_the_login_page_or_401() {
    let app = App::new();
    let r = app.get("/households/H1", "").await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    assert_eq!(r.location.as_deref(), Some("/login?next=/households/H1"));
    let r = app.get("/api/me", "").await;
    assert_eq!(r.status, StatusCode::UNAUTHORIZED);
    let r = app.get("/login", "").await;
    assert!(r.body.contains("用户名") && r.body.contains("type=\"password\""));
    for h in [
        "x-frame-options: DENY",
        "x-content-type-options: nosniff",
        "cache-control: no-store",
    ] {
        assert!(r.headers.contains(h), "{h}: {}", r.headers);
    }
    assert!(
        r.headers
            .contains("content-security-policy: default-src 'self'"),
        "{}",
        r.headers
    );
    let c = r.cookies.join(" ");
    assert!(
        c.contains("HttpOnly") && c.contains("SameSite=Strict") && c.contains("Secure"),
        "{c}"
    );
}

#[tokio::test]
async fn search_finds_by_name_and_the_household_page_explains() {
    let app = App::new();
    let s = app.login("fucheng").await;
    let reg =
        minsheng_app::evaluate::load_registry(&minsheng_app::evaluate::Source::Db(app.db.clone()))
            .unwrap();
    let county = minsheng_model::RegionCode::parse("510703000000").unwrap();
    let h = reg
        .households
        .iter()
        .find(|h| county.contains(h.region_code))
        .unwrap();
    let head = reg
        .persons
        .iter()
        .find(|p| p.household_id == h.household_id && p.relation == minsheng_model::Relation::Head)
        .unwrap();
    let surname: String = head.name.chars().take(1).collect();
    let r = app
        .get(
            &format!("/search?q={}", minsheng_web::i18n::url_encode(&head.name)),
            &s.cookie,
        )
        .await;
    assert_eq!(r.status, StatusCode::OK);
    assert!(
        r.body.contains(&format!("/households/{}", h.household_id)),
        "{surname}: {}",
        r.body
    );
    let r = app
        .get(&format!("/households/{}", h.household_id), &s.cookie)
        .await;
    assert_eq!(r.status, StatusCode::OK);
    // The explanation is the engine's text; ID numbers are masked.
    assert!(r.body.contains("完整计算过程"));
    assert!(!r.body.contains(&head.id_number));
    assert!(
        r.body
            .contains(&minsheng_model::access::mask_id_number(&head.id_number))
    );
    // A county approver may reveal them; the reveal is audited.
    let r = app
        .post(
            &format!("/households/{}/reveal", h.household_id),
            &s.cookie,
            &[("csrf", &s.csrf)],
        )
        .await;
    assert_eq!(r.status, StatusCode::OK);
    assert!(r.body.contains(&head.id_number));
    let mut store = app.store();
    let reveals = store
        .audit_entries(&minsheng_model::audit::AuditQuery {
            action: Some("reveal_id".into()),
            ..Default::default()
        })
        .unwrap();
    assert_eq!(reveals.len(), 1);
    assert_eq!(reveals[0].target, h.household_id);
    // A grid worker may not reveal.
    let grid = app.login("wangge").await;
    let r = app
        .post(
            &format!("/households/{}/reveal", h.household_id),
            &grid.cookie,
            &[("csrf", &grid.csrf)],
        )
        .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
}

#[tokio::test]
async fn the_policy_page_lists_parameters_with_history() {
    let app = App::new();
    let s = app.login("planner").await;
    let r = app.get("/policy", &s.cookie).await;
    assert_eq!(r.status, StatusCode::OK);
    assert!(
        r.body.contains("dibao.standard.urban") && r.body.contains("城市低保标准"),
        "{}",
        r.body
    );
}

#[tokio::test]
async fn the_public_self_check_answers_without_an_account() {
    let app = App::new();
    let form = app.get("/check", "").await;
    assert_eq!(form.status, StatusCode::OK);
    let (cookie, token) = (form.cookie("ms_form_csrf").unwrap(), form.csrf().unwrap());
    // An 85-year-old living alone on a small pension.
    let r = app
        .post(
            "/check",
            &cookie,
            &[
                ("csrf", &token),
                ("region", "510703000000"),
                ("area", "urban"),
                ("savings", "200000"),
                ("houses", "1"),
                ("vehicles", "0"),
                ("m0_relation", "head"),
                ("m0_age", "85"),
                ("m0_sex", "F"),
                ("m0_income", "3000"),
                ("m0_employment", "retired"),
                ("m0_capable_supporter", "1"),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert!(
        r.body.contains("高龄") && r.body.contains("50.00"),
        "{}",
        r.body
    );
    assert!(r.body.contains("在哪里申请"));
    // A bad age is named next to its field, and nothing else is answered.
    let r = app
        .post(
            "/check",
            &cookie,
            &[
                ("csrf", &token),
                ("area", "urban"),
                ("m0_relation", "head"),
                ("m0_age", "abc"),
                ("m0_employment", "retired"),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.body.contains("id=\"m0_age-error\""), "{}", r.body);
    assert!(!r.body.contains("估算结果"));
    // The same through the API.
    let req = axum::http::Request::post("/api/check")
        .header("content-type", "application/json")
        .body(axum::body::Body::from(
            r#"{"area":"urban","members":[{"relation":"head","age":"85","employment":"retired","monthly_income":"3000","capable_supporter":true}]}"#,
        ))
        .unwrap();
    let r = app.send(req).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert!(r.body.contains("elderly_allowance"), "{}", r.body);
}

#[tokio::test]
async fn openapi_and_the_language_switch() {
    let app = App::new();
    let r = app.get("/api/openapi.json", "").await;
    assert_eq!(r.status, StatusCode::OK);
    let v: serde_json::Value = serde_json::from_str(&r.body).unwrap();
    assert_eq!(v["openapi"], "3.0.3");
    assert!(v["paths"]["/api/households/{id}"]["get"].is_object());
    let s = app.login("fucheng").await;
    let r = app.get("/lang?to=en&back=/policy", &s.cookie).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    assert_eq!(r.location.as_deref(), Some("/policy"));
    let lang = r.cookie("lang").unwrap();
    let r = app.get("/policy", &format!("{}; {lang}", s.cookie)).await;
    assert!(
        r.body.contains("Policy parameters") && r.body.contains("lang=\"en\""),
        "{}",
        r.body
    );
    // Never redirected off-site.
    let r = app.get("/lang?to=en&back=//evil.example/", &s.cookie).await;
    assert_eq!(r.location.as_deref(), Some("/"));
}
