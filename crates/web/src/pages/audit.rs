//! 审计日志: auditors and administrators search the append-only, hash-chained log (who,
//! when, what, from where) and see whether the chain is intact.

use crate::auth::Viewer;
use crate::error::WebError;
use crate::i18n::Lang;
use crate::layout;
use crate::state::{Shared, with_store};
use axum::extract::{Query, State};
use axum::http::HeaderMap;
use maud::{Markup, html};
use minsheng_model::audit::AuditQuery;
use serde::Deserialize;

#[derive(Deserialize, Default)]
pub struct Filter {
    #[serde(default)]
    actor: String,
    #[serde(default)]
    action: String,
    #[serde(default)]
    target: String,
}

fn some(s: &str) -> Option<String> {
    let t = s.trim();
    (!t.is_empty()).then(|| t.to_owned())
}

/// `GET /audit`.
pub async fn page(
    State(state): State<Shared>,
    headers: HeaderMap,
    viewer: Viewer,
    Query(f): Query<Filter>,
) -> Result<Markup, WebError> {
    if !viewer.user.role.may_read_audit() {
        return Err(WebError::Forbidden);
    }
    let lang = Lang::of(&headers);
    let q = AuditQuery {
        actor: some(&f.actor),
        action: some(&f.action),
        target_prefix: some(&f.target),
        limit: 200,
        ..AuditQuery::default()
    };
    let origin = viewer.origin();
    let (entries, chain) = with_store(&state, move |s, _| {
        minsheng_app::accounts::record(s, &origin, "view_audit", "", "")?;
        let chain = minsheng_app::accounts::verify_audit(s).map_err(|e| e.to_string());
        Ok((s.audit_entries(&q)?, chain))
    })
    .await?;
    let body = html! {
        @match &chain {
            Ok(n) => p.ok role="status" { (lang.t("审计链完整：", "Audit chain intact: ")) (n) (lang.t(" 条", " entries")) },
            Err(e) => p.error role="alert" { (e) },
        }
        form method="get" action="/audit" {
            label for="actor" { (lang.t("操作人", "Actor")) } input id="actor" name="actor" value=(f.actor);
            label for="action" { (lang.t("操作", "Action")) } input id="action" name="action" value=(f.action);
            label for="target" { (lang.t("对象（前缀）", "Target (prefix)")) } input id="target" name="target" value=(f.target);
            " " button type="submit" { (lang.t("查询", "Search")) }
        }
        table {
            thead { tr {
                th.num scope="col" { "#" } th scope="col" { (lang.t("时间", "When")) }
                th scope="col" { (lang.t("操作人", "Who")) } th scope="col" { (lang.t("操作", "What")) }
                th scope="col" { (lang.t("对象", "Target")) } th scope="col" { (lang.t("来源", "From")) }
                th scope="col" { (lang.t("说明", "Detail")) }
            } }
            tbody { @for e in &entries { tr {
                td.num { (e.seq) } td { (e.at) } td { (e.actor) } td { code { (e.action) } }
                td { (e.target) } td { (e.source) } td { (e.detail) }
            } } }
        }
    };
    Ok(layout::page(
        lang,
        &viewer,
        "/audit",
        lang.t("审计日志", "Audit log"),
        body,
    ))
}
