//! 工作台: the viewer's jurisdiction at a glance — recipients and monthly amounts per
//! program for the month, recipients by sub-region (bars), the amount by month (line).

use crate::auth::Viewer;
use crate::charts;
use crate::error::WebError;
use crate::i18n::Lang;
use crate::layout::{self, yuan};
use crate::state::{Shared, with_store};
use axum::extract::State;
use axum::http::HeaderMap;
use maud::{Markup, html};
use minsheng_model::Fen;
use std::collections::BTreeMap;

/// `GET /`.
pub async fn page(
    State(state): State<Shared>,
    headers: HeaderMap,
    viewer: Viewer,
) -> Result<Markup, WebError> {
    let lang = Lang::of(&headers);
    let within = viewer.scope.region;
    let level = super::child_level(within.level()).unwrap_or(within.level());
    let month = state.month_key();
    let (summary, trend) = with_store(&state, move |s, _| {
        Ok((
            s.results_summary(&month, within, level)?,
            s.results_trend(within)?,
        ))
    })
    .await?;
    let mut per_program: BTreeMap<String, (u64, Fen)> = BTreeMap::new();
    let mut per_region: BTreeMap<minsheng_model::RegionCode, u64> = BTreeMap::new();
    for r in &summary {
        let e = per_program.entry(r.program.clone()).or_default();
        e.0 += r.units;
        e.1 += r.amount;
        if r.program == "dibao" {
            *per_region.entry(r.region).or_default() += r.units;
        }
    }
    let total: Fen = per_program.values().map(|v| v.1).sum();
    let mut months: BTreeMap<String, Fen> = BTreeMap::new();
    for (m, _, _, amount) in &trend {
        *months.entry(m.clone()).or_default() += *amount;
    }
    let bars: Vec<(String, u64)> = per_region
        .iter()
        .map(|(code, n)| (super::region_name(&state, *code), *n))
        .collect();
    // Plot coordinates only: yuan as f64 for the chart's scale, never for money.
    let line: Vec<(String, f64)> = months
        .iter()
        .map(|(m, f)| (m.clone(), f.0 as f64 / 100.0))
        .collect();
    let title = lang.t("工作台", "Dashboard");
    let body = html! {
        p.note {
            (super::region_name(&state, within)) " · "
            (lang.t("计算月份", "Month")) " " (state.month_key())
        }
        div.cards {
            div.card {
                div { (lang.t("本月救助金额合计（元）", "Monthly amount, all programs (yuan)")) }
                div.big { (yuan(total)) }
            }
            div.card {
                div { (lang.t("待处理预警", "Open warnings")) }
                div.big { "0" }
                div.note { (lang.t("主动发现监测将在后续版本接入。", "Monitoring arrives in a later release.")) }
            }
        }
        h2 { (lang.t("各项目本月认定", "This month by program")) }
        table {
            thead { tr {
                th scope="col" { (lang.t("项目", "Program")) }
                th.num scope="col" { (lang.t("符合条件（户或人）", "Eligible units")) }
                th.num scope="col" { (lang.t("月金额（元）", "Monthly amount (yuan)")) }
            } }
            tbody {
                @for (program, (units, amount)) in &per_program {
                    tr {
                        td { (super::program_label(&state, program)) }
                        td.num { (units) }
                        td.num { (yuan(*amount)) }
                    }
                }
                @if per_program.is_empty() {
                    tr { td colspan="3" { (lang.t("本月尚无计算结果（minsheng eval --save）。", "No results stored for this month (minsheng eval --save).")) } }
                }
            }
        }
        div.grid2 {
            (charts::bars(lang.t("低保户数（按下级区划）", "低保 households by sub-region"), &bars, lang.t("户", "")))
            (charts::line(lang.t("救助金额（元，按月）", "Amount by month (yuan)"), &line))
        }
    };
    Ok(layout::page(lang, &viewer, "/", title, body))
}
