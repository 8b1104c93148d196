//! The JSON API under `/api/`: the same data as the pages under the same access rules
//! (a session cookie or `Authorization: Bearer <token>`), described by the OpenAPI 3
//! document at `/api/openapi.json`. ID numbers are always masked here.

use crate::auth::Viewer;
use crate::error::WebError;
use crate::pages::household::explain;
use crate::state::{Shared, with_store};
use axum::extract::{Path, Query, State};
use axum::routing::get;
use axum::{Json, Router};
use minsheng_model::access::mask_id_number;
use serde::Deserialize;
use serde_json::{Value, json};

pub fn router() -> Router<Shared> {
    Router::new()
        .route("/openapi.json", get(openapi))
        .route("/me", get(me))
        .route("/search", get(search))
        .route("/households/{id}", get(household))
        .route("/regions/{code}/summary", get(summary))
        .route("/check", axum::routing::post(check))
}

/// `GET /api/me`.
async fn me(viewer: Viewer) -> Json<Value> {
    Json(json!({
        "username": viewer.user.username,
        "display_name": viewer.user.display_name,
        "role": viewer.user.role.code(),
        "region": viewer.scope.region.to_string(),
    }))
}

#[derive(Deserialize)]
struct SearchQuery {
    q: String,
}

/// `GET /api/search?q=`.
async fn search(
    State(state): State<Shared>,
    viewer: Viewer,
    Query(q): Query<SearchQuery>,
) -> Result<Json<Value>, WebError> {
    let (scope, origin) = (viewer.scope.clone(), viewer.origin());
    let hits = with_store(&state, move |s, _| {
        Ok(minsheng_app::households::search(
            s,
            &scope,
            q.q.trim(),
            crate::pages::search::LIMIT,
            &origin,
        )?)
    })
    .await?;
    Ok(Json(json!({
        "households": hits.iter().map(|h| json!({
            "household_id": h.household_id,
            "region_code": h.region_code.to_string(),
            "head_name": h.head_name,
            "members": h.members,
        })).collect::<Vec<_>>()
    })))
}

/// `GET /api/households/{id}`: the household, its members (ID numbers masked) and the
/// month's decisions with their explanation.
async fn household(
    State(state): State<Shared>,
    viewer: Viewer,
    Path(id): Path<String>,
) -> Result<Json<Value>, WebError> {
    let (scope, origin) = (viewer.scope.clone(), viewer.origin());
    let (bundle, explanation) = with_store(&state, move |s, st| {
        let b =
            minsheng_app::households::view(s, &scope, &id, &origin)?.ok_or(WebError::NotFound)?;
        let e = explain(st, &b);
        Ok((b, e))
    })
    .await?;
    let h = &bundle.household;
    Ok(Json(json!({
        "household_id": h.household_id,
        "region_code": h.region_code.to_string(),
        "area": h.area.map(|a| a.code()),
        "savings": h.savings.map(|f| f.to_string()),
        "members": bundle.persons.iter().map(|p| json!({
            "person_id": p.person_id,
            "name": p.name,
            "id_number": mask_id_number(&p.id_number),
            "relation": p.relation.code(),
            "birth_date": p.birth_date.to_string(),
        })).collect::<Vec<_>>(),
        "month": state.month_key(),
        "explanation": explanation.map_err(WebError::Internal)?,
    })))
}

/// `GET /api/regions/{code}/summary`: eligible units and amounts per sub-region and
/// program for the month.
async fn summary(
    State(state): State<Shared>,
    viewer: Viewer,
    Path(code): Path<String>,
) -> Result<Json<Value>, WebError> {
    let code = minsheng_model::RegionCode::parse(&code).ok_or(WebError::NotFound)?;
    if !viewer.scope.allows(code) {
        return Err(WebError::NotFound);
    }
    let level = crate::pages::child_level(code.level()).unwrap_or(code.level());
    let month = state.month_key();
    let rows = with_store(&state, move |s, _| {
        Ok(s.results_summary(&month, code, level)?)
    })
    .await?;
    Ok(Json(json!({
        "month": state.month_key(),
        "rows": rows.iter().map(|r| json!({
            "region_code": r.region.to_string(),
            "program": r.program,
            "units": r.units,
            "monthly_amount": r.amount.to_string(),
        })).collect::<Vec<_>>()
    })))
}

/// `POST /api/check`: the public self-check (no sign-in, nothing stored). 200 with the
/// answer, or 422 with every field error.
async fn check(
    State(state): State<Shared>,
    Json(form): Json<minsheng_app::selfcheck::SelfCheckForm>,
) -> Result<axum::response::Response, WebError> {
    use axum::response::IntoResponse;
    match minsheng_app::selfcheck::parse_in(&form, &state.regions) {
        Err(errors) => Ok((
            axum::http::StatusCode::UNPROCESSABLE_ENTITY,
            Json(json!({ "errors": errors })),
        )
            .into_response()),
        Ok(input) => {
            let answer =
                minsheng_app::selfcheck::evaluate(&state.pack, &state.checked, &input, state.month)
                    .map_err(WebError::internal)?;
            Ok(Json(answer).into_response())
        }
    }
}

/// `GET /api/openapi.json`.
async fn openapi() -> Json<Value> {
    Json(document())
}

/// The OpenAPI 3 description of this API.
pub fn document() -> Value {
    let auth = json!([{"session": []}, {"bearer": []}]);
    let ok = |desc: &str| json!({"description": desc, "content": {"application/json": {"schema": {"type": "object"}}}});
    let not_found =
        json!({"description": "不存在或不在辖区内 / not found or outside the jurisdiction"});
    let unauthorized = json!({"description": "未登录 / not signed in"});
    json!({
        "openapi": "3.0.3",
        "info": {
            "title": "minsheng 民生 API",
            "version": env!("CARGO_PKG_VERSION"),
            "description": "社会救助与基本公共服务平台的数据接口。每个请求只能访问本人辖区（区划子树）内的数据；身份证号一律脱敏。/ Every request is limited to the caller's jurisdiction; ID numbers are masked."
        },
        "components": {
            "securitySchemes": {
                "session": {"type": "apiKey", "in": "cookie", "name": crate::auth::SESSION_COOKIE},
                "bearer": {"type": "http", "scheme": "bearer"}
            }
        },
        "security": auth,
        "paths": {
            "/api/me": {"get": {"summary": "当前用户 / the signed-in user", "responses": {"200": ok("user"), "401": unauthorized}}},
            "/api/search": {"get": {
                "summary": "查找家庭 / search households",
                "parameters": [{"name": "q", "in": "query", "required": true, "schema": {"type": "string"},
                    "description": "户编号、18 位身份证号、姓名开头或区划代码 / household id, ID number, name prefix or region code"}],
                "responses": {"200": ok("hits"), "401": unauthorized}
            }},
            "/api/households/{id}": {"get": {
                "summary": "家庭详情与认定依据 / a household with its decisions and reasons",
                "parameters": [{"name": "id", "in": "path", "required": true, "schema": {"type": "string"}}],
                "responses": {"200": ok("household"), "401": unauthorized, "404": not_found}
            }},
            "/api/check": {"post": {
                "summary": "服务找人：公开自助查询，无需登录，不保存 / public self-check, no sign-in, nothing stored",
                "security": [],
                "requestBody": {"required": true, "content": {"application/json": {"schema": {"type": "object",
                    "properties": {"region": {"type": "string"}, "area": {"type": "string", "enum": ["urban", "rural"]},
                        "savings": {"type": "string"}, "houses": {"type": "string"}, "vehicles": {"type": "string"},
                        "members": {"type": "array", "items": {"type": "object"}}}}}}},
                "responses": {"200": ok("answer"), "422": {"description": "字段错误 / field errors"}}
            }},
            "/api/regions/{code}/summary": {"get": {
                "summary": "区划汇总 / eligible units and amounts per sub-region and program",
                "parameters": [{"name": "code", "in": "path", "required": true, "schema": {"type": "string", "pattern": "^[0-9]{12}$"}}],
                "responses": {"200": ok("summary"), "401": unauthorized, "404": not_found}
            }}
        }
    })
}
