//! 查找家庭: by household id, ID number, a name's beginning, or a region code — only
//! within the viewer's jurisdiction, and every search is audited.

use crate::auth::Viewer;
use crate::error::WebError;
use crate::i18n::Lang;
use crate::layout;
use crate::state::{Shared, with_store};
use axum::extract::{Query, State};
use axum::http::HeaderMap;
use maud::{Markup, html};
use serde::Deserialize;

/// At most this many hits are listed.
pub const LIMIT: u32 = 50;

#[derive(Deserialize, Default)]
pub struct SearchQuery {
    #[serde(default)]
    pub q: String,
}

/// `GET /search?q=`.
pub async fn page(
    State(state): State<Shared>,
    headers: HeaderMap,
    viewer: Viewer,
    Query(q): Query<SearchQuery>,
) -> Result<Markup, WebError> {
    let lang = Lang::of(&headers);
    let text = q.q.trim().to_owned();
    let hits = if text.is_empty() {
        Vec::new()
    } else {
        let (scope, origin, t) = (viewer.scope.clone(), viewer.origin(), text.clone());
        with_store(&state, move |s, _| {
            Ok(minsheng_app::households::search(
                s, &scope, &t, LIMIT, &origin,
            )?)
        })
        .await?
    };
    let here = format!("/search?q={}", crate::i18n::url_encode(&text));
    let body = html! {
        form method="get" action="/search" role="search" {
            label for="q" { (lang.t("户编号、身份证号、姓名或区划代码", "Household id, ID number, name or region code")) }
            input id="q" name="q" type="search" value=(text) autofocus;
            " "
            button type="submit" { (lang.t("查找", "Search")) }
        }
        @if !text.is_empty() {
            p role="status" {
                (lang.t("找到 ", "Found ")) (hits.len()) (lang.t(" 户", " households"))
                @if hits.len() as u32 == LIMIT { (lang.t("（仅显示前 50 户，请细化条件）", " (first 50 only; narrow the search)")) }
            }
            table {
                thead { tr {
                    th scope="col" { (lang.t("户编号", "Household")) }
                    th scope="col" { (lang.t("户主", "Head")) }
                    th.num scope="col" { (lang.t("人数", "Members")) }
                    th scope="col" { (lang.t("区划", "Region")) }
                } }
                tbody {
                    @for h in &hits {
                        tr {
                            td { a href={ "/households/" (h.household_id) } { (h.household_id) } }
                            td { (h.head_name.as_deref().unwrap_or("—")) }
                            td.num { (h.members) }
                            td { (state.regions.path_name(h.region_code)) }
                        }
                    }
                }
            }
        }
    };
    Ok(layout::page(
        lang,
        &viewer,
        &here,
        lang.t("查找家庭", "Find a household"),
        body,
    ))
}
