//! 区划: drill down county → township → village with recipients and amounts per program,
//! starting from the viewer's own region; a region outside the jurisdiction is a 404.

use crate::auth::Viewer;
use crate::error::WebError;
use crate::i18n::Lang;
use crate::layout::{self, yuan};
use crate::state::{Shared, with_store};
use axum::extract::{Path, State};
use axum::http::{HeaderMap, header};
use axum::response::{IntoResponse, Redirect, Response};
use maud::{Markup, html};
use minsheng_model::{Fen, RegionCode};
use std::collections::BTreeMap;

/// `GET /regions`: the viewer's own region.
pub async fn root(viewer: Viewer) -> Redirect {
    Redirect::to(&format!("/regions/{}", viewer.scope.region))
}

fn parse_in_scope(viewer: &Viewer, code: &str) -> Result<RegionCode, WebError> {
    let code = RegionCode::parse(code).ok_or(WebError::NotFound)?;
    if !viewer.scope.allows(code) {
        return Err(WebError::NotFound);
    }
    Ok(code)
}

/// `GET /regions/{code}`.
pub async fn page(
    State(state): State<Shared>,
    headers: HeaderMap,
    viewer: Viewer,
    Path(code): Path<String>,
) -> Result<Markup, WebError> {
    let lang = Lang::of(&headers);
    let code = parse_in_scope(&viewer, &code)?;
    let Some(level) = super::child_level(code.level()) else {
        return Err(WebError::NotFound);
    };
    let month = state.month_key();
    let rows = with_store(&state, move |s, _| {
        Ok(s.results_summary(&month, code, level)?)
    })
    .await?;
    let programs: Vec<String> = {
        let mut p: Vec<String> = rows.iter().map(|r| r.program.clone()).collect();
        p.sort();
        p.dedup();
        p
    };
    let mut table: BTreeMap<RegionCode, BTreeMap<String, (u64, Fen)>> = BTreeMap::new();
    for child in state.regions.children(code) {
        table.entry(child.code).or_default();
    }
    for r in &rows {
        let e = table
            .entry(r.region)
            .or_default()
            .entry(r.program.clone())
            .or_default();
        e.0 += r.units;
        e.1 += r.amount;
    }
    let title = super::region_name(&state, code);
    let here = format!("/regions/{code}");
    let body = html! {
        p.note { (state.regions.path_name(code)) " · " (state.month_key()) " · "
            a href={ "/regions/" (code) "/results.csv" } { (lang.t("导出结果（CSV）", "Export results (CSV)")) } }
        @if code != viewer.scope.region {
            @if let Some(parent) = state.regions.get(code).and_then(|r| r.parent) {
                p { a href={ "/regions/" (parent) } { "↑ " (super::region_name(&state, parent)) } }
            }
        }
        table {
            thead { tr {
                th scope="col" { (lang.t("下级区划", "Sub-region")) }
                @for p in &programs { th.num scope="col" { (super::program_label(&state, p)) } }
                th.num scope="col" { (lang.t("月金额合计（元）", "Monthly total (yuan)")) }
            } }
            tbody {
                @for (child, per) in &table {
                    tr {
                        td {
                            @if super::child_level(child.level()).is_some() {
                                a href={ "/regions/" (child) } { (super::region_name(&state, *child)) }
                            } @else { (super::region_name(&state, *child)) }
                        }
                        @for p in &programs { td.num { (per.get(p).map_or(0, |v| v.0)) } }
                        td.num { (yuan(per.values().map(|v| v.1).sum())) }
                    }
                }
            }
        }
    };
    Ok(layout::page(lang, &viewer, &here, &title, body))
}

/// `GET /regions/{code}/results.csv`: the month's eligible units under the region.
pub async fn export(
    State(state): State<Shared>,
    viewer: Viewer,
    Path(code): Path<String>,
) -> Result<Response, WebError> {
    let code = parse_in_scope(&viewer, &code)?;
    let level = super::child_level(code.level()).unwrap_or(code.level());
    let month = state.month_key();
    let origin = viewer.origin();
    let rows = with_store(&state, move |s, _| {
        minsheng_app::accounts::record(s, &origin, "export", &code.to_string(), "region results")?;
        Ok(s.results_summary(&month, code, level)?)
    })
    .await?;
    let mut out = String::from("region_code,program,units,monthly_amount\n");
    for r in rows {
        out += &format!("{},{},{},{}\n", r.region, r.program, r.units, r.amount);
    }
    Ok(([(header::CONTENT_TYPE, "text/csv; charset=utf-8")], out).into_response())
}
