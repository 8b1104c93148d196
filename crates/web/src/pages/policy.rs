//! 政策参数: every parameter of the pack in force, with its history and region scope —
//! read-only here; the pack's files are the place to change them (and test them).

use crate::auth::Viewer;
use crate::error::WebError;
use crate::i18n::Lang;
use crate::layout;
use crate::state::Shared;
use axum::extract::State;
use axum::http::HeaderMap;
use maud::{Markup, html};

/// `GET /policy`.
pub async fn page(
    State(state): State<Shared>,
    headers: HeaderMap,
    viewer: Viewer,
) -> Result<Markup, WebError> {
    let lang = Lang::of(&headers);
    let month = state.month;
    let body = html! {
        p.note {
            (lang.t("参数按区划与生效日期取值：最具体的区划优先，其次取不晚于当月的最新值。本页只读；修改请编辑政策包文件并运行 minsheng policy test。",
                    "A value applies by region and date: the most specific region first, then the latest start on or before the month. Read-only here; change the pack's files and run minsheng policy test."))
        }
        table {
            thead { tr {
                th scope="col" { (lang.t("参数", "Parameter")) }
                th scope="col" { (lang.t("名称", "Label")) }
                th scope="col" { (lang.t("取值历史（生效日期 · 区划 · 值）", "History (since · region · value)")) }
            } }
            tbody {
                @for p in state.pack.parameters.iter() {
                    tr {
                        td { code { (p.id) } }
                        td { (p.label) @if let Some(u) = &p.unit { " (" (u) ")" } }
                        td {
                            ul {
                                @for v in &p.values {
                                    @let in_force = v.since.is_none_or(|s| s <= month);
                                    li {
                                        (v.since.map_or_else(|| lang.t("一直", "always").to_owned(), |d| d.to_string()))
                                        " · " (if v.region.is_empty() { lang.t("全辖区", "everywhere").to_owned() } else { v.region.clone() })
                                        " · " strong { (v.value.to_string()) }
                                        @if !in_force { " " span.note { (lang.t("（尚未生效）", "(not yet in force)")) } }
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }
    };
    Ok(layout::page(
        lang,
        &viewer,
        "/policy",
        lang.t("政策参数", "Policy parameters"),
        body,
    ))
}
