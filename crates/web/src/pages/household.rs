//! 家庭详情 `/households/{id}`: members (ID numbers masked unless revealed), incomes,
//! assets, hospital stays, enrollments, and every program's decision with the policy
//! engine's explanation — the same text as `minsheng explain`. Viewing is audited; a
//! household outside the jurisdiction is a 404 like a missing one.

use crate::auth::{CsrfForm, Viewer};
use crate::error::WebError;
use crate::i18n::Lang;
use crate::layout::{self, yuan};
use crate::state::{AppState, Shared, with_store};
use axum::Form;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, header};
use axum::response::{IntoResponse, Response};
use maud::{Markup, html};
use minsheng_model::access::mask_id_number;
use minsheng_model::{Fen, HouseholdBundle};
use minsheng_policy::explain::{Decision, Explanation};

/// The household and its explanation, or 404.
async fn load(
    state: &Shared,
    viewer: &Viewer,
    id: String,
) -> Result<(HouseholdBundle, Result<Explanation, String>), WebError> {
    let (scope, origin) = (viewer.scope.clone(), viewer.origin());
    with_store(state, move |s, st| {
        let bundle =
            minsheng_app::households::view(s, &scope, &id, &origin)?.ok_or(WebError::NotFound)?;
        let explanation = explain(st, &bundle);
        Ok((bundle, explanation))
    })
    .await
}

/// The engine's explanation of one household for the shown month.
pub fn explain(state: &AppState, bundle: &HouseholdBundle) -> Result<Explanation, String> {
    minsheng_policy::explain::explain(
        &state.pack,
        &state.checked,
        &bundle.registry(),
        state.month,
        &bundle.household.household_id,
    )
    .map_err(|e| e.to_string())
}

fn money(f: Option<Fen>) -> String {
    f.map_or_else(|| "—".to_owned(), yuan)
}

fn opt<T: std::fmt::Display>(v: Option<T>) -> String {
    v.map_or_else(|| "—".to_owned(), |v| v.to_string())
}

fn render(
    lang: Lang,
    state: &AppState,
    viewer: &Viewer,
    b: &HouseholdBundle,
    explanation: &Result<Explanation, String>,
    revealed: bool,
) -> Markup {
    let h = &b.household;
    let id_of = |n: &str| {
        if revealed {
            n.to_owned()
        } else {
            mask_id_number(n)
        }
    };
    let title = format!("{} {}", lang.t("家庭", "Household"), h.household_id);
    let here = format!("/households/{}", h.household_id);
    let body = html! {
        p {
            (state.regions.path_name(h.region_code)) " · "
            (h.area.map_or("—", |a| a.label())) " · "
            (lang.t("存款 ", "savings ")) (money(h.savings)) (lang.t(" 元 · 住房 ", " yuan · houses ")) (opt(h.houses))
            (lang.t(" 套 · 车辆 ", " · vehicles ")) (opt(h.vehicles))
        }
        h2 { (lang.t("认定结果与依据", "Decisions and reasons")) " · " (state.month_key()) }
        @match explanation {
            Ok(e) => {
                table {
                    thead { tr {
                        th scope="col" { (lang.t("项目", "Program")) }
                        th scope="col" { (lang.t("对象", "Unit")) }
                        th scope="col" { (lang.t("结论", "Decision")) }
                        th scope="col" { (lang.t("依据", "Why")) }
                    } }
                    tbody {
                        @for p in &e.programs {
                            tr {
                                td { (p.label) }
                                td { (p.person_id.as_deref().unwrap_or(lang.t("全户", "household"))) }
                                td {
                                    @match &p.decision {
                                        Decision::Eligible(amount) => span.ok { (lang.t("符合", "eligible")) " " (amount) (lang.t(" 元/月", " yuan/month")) },
                                        Decision::NotEligible => span.no { (lang.t("不符合", "not eligible")) },
                                        Decision::Undecided(missing) => span.maybe { (lang.t("无法认定：缺少 ", "cannot decide: missing ")) (missing.join("、")) },
                                    }
                                }
                                td { (p.eligible) @if let Some(a) = &p.amount { br; (a) } }
                            }
                        }
                    }
                }
                details {
                    summary { (lang.t("完整计算过程（与 minsheng explain 相同）", "Full reasoning (same as minsheng explain)")) }
                    pre.explain { (e.to_text()) }
                }
            }
            Err(m) => p.error { (lang.t("无法计算：", "Cannot evaluate: ")) (m) }
        }
        h2 { (lang.t("家庭成员", "Members")) }
        @if viewer.user.role.may_reveal_id_numbers() && !revealed {
            form method="post" action={ "/households/" (h.household_id) "/reveal" } {
                input type="hidden" name="csrf" value=(viewer.csrf);
                button type="submit" { (lang.t("显示完整身份证号（将记入审计日志）", "Show full ID numbers (audited)")) }
            }
        }
        table.members {
            thead { tr {
                th scope="col" { (lang.t("姓名", "Name")) }
                th scope="col" { (lang.t("身份证号", "ID number")) }
                th scope="col" { (lang.t("关系", "Relation")) }
                th scope="col" { (lang.t("出生", "Born")) }
                th scope="col" { (lang.t("残疾等级", "Disability")) }
                th scope="col" { (lang.t("就业", "Employment")) }
                th.num scope="col" { (lang.t("月收入（工资/经营/财产/转移）", "Monthly income (wage/business/property/transfer)")) }
                th scope="col" { (lang.t("疾病", "Illness")) }
            } }
            tbody {
                @for p in &b.persons {
                    tr {
                        td { (p.name) @if p.deceased_on.is_some() { " †" (opt(p.deceased_on)) } }
                        td { code { (id_of(&p.id_number)) } }
                        td { (p.relation.label()) }
                        td { (p.birth_date) }
                        td { (opt(p.disability_grade)) }
                        td { (p.employment.map_or("—", |e| e.label())) }
                        td.num { (money(p.wage_income)) " / " (money(p.business_income)) " / " (money(p.property_income)) " / " (money(p.transfer_income)) }
                        td { (p.illness.map_or("—", |i| i.label())) }
                    }
                }
            }
        }
        h2 { (lang.t("住院记录", "Hospital stays")) }
        @if b.stays.is_empty() { p.note { (lang.t("无", "None")) } } @else {
            table {
                thead { tr {
                    th scope="col" { (lang.t("编号", "Stay")) } th scope="col" { (lang.t("人员", "Person")) }
                    th scope="col" { (lang.t("入院", "Admitted")) } th scope="col" { (lang.t("出院", "Discharged")) }
                    th.num scope="col" { (lang.t("总费用", "Total")) } th.num scope="col" { (lang.t("政策范围内", "Covered")) }
                } }
                tbody { @for s in &b.stays { tr {
                    td { (s.stay_id) } td { (s.person_id) } td { (s.admit_date) } td { (s.discharge_date) }
                    td.num { (yuan(s.total_cost)) } td.num { (yuan(s.covered_cost)) }
                } } }
            }
        }
        h2 { (lang.t("已享受待遇", "Enrollments")) }
        @if b.enrollments.is_empty() { p.note { (lang.t("无", "None")) } } @else {
            ul { @for e in &b.enrollments {
                li { (super::program_label(state, &e.program)) " " (e.person_id.as_deref().unwrap_or("")) " · " (lang.t("自 ", "since ")) (e.since) }
            } }
        }
        p { a href={ "/households/" (h.household_id) "/export.csv" } { (lang.t("导出本户认定结果（CSV）", "Export this household's decisions (CSV)")) } }
    };
    layout::page(lang, viewer, &here, &title, body)
}

/// `GET /households/{id}`.
pub async fn page(
    State(state): State<Shared>,
    headers: HeaderMap,
    viewer: Viewer,
    Path(id): Path<String>,
) -> Result<Markup, WebError> {
    let lang = Lang::of(&headers);
    let (bundle, explanation) = load(&state, &viewer, id).await?;
    Ok(render(lang, &state, &viewer, &bundle, &explanation, false))
}

/// `POST /households/{id}/reveal`: the same page with full ID numbers, for roles that
/// may see them; the reveal is audited.
pub async fn reveal(
    State(state): State<Shared>,
    headers: HeaderMap,
    viewer: Viewer,
    Path(id): Path<String>,
    Form(f): Form<CsrfForm>,
) -> Result<Markup, WebError> {
    viewer.check_csrf(&f.csrf)?;
    if !viewer.user.role.may_reveal_id_numbers() {
        return Err(WebError::Forbidden);
    }
    let lang = Lang::of(&headers);
    let (bundle, explanation) = load(&state, &viewer, id).await?;
    let (origin, target) = (viewer.origin(), bundle.household.household_id.clone());
    with_store(&state, move |s, _| {
        minsheng_app::accounts::record(s, &origin, "reveal_id", &target, "")?;
        Ok(())
    })
    .await?;
    Ok(render(lang, &state, &viewer, &bundle, &explanation, true))
}

/// `GET /households/{id}/export.csv`: the household's decisions of the month.
pub async fn export(
    State(state): State<Shared>,
    viewer: Viewer,
    Path(id): Path<String>,
) -> Result<Response, WebError> {
    let (bundle, explanation) = load(&state, &viewer, id).await?;
    let e = explanation.map_err(WebError::Internal)?;
    let mut out = String::from("household_id,person_id,program,decision,monthly_amount\n");
    for p in &e.programs {
        let (decision, amount) = match &p.decision {
            Decision::Eligible(a) => ("eligible", a.clone()),
            Decision::NotEligible => ("not_eligible", String::new()),
            Decision::Undecided(_) => ("undecided", String::new()),
        };
        out += &format!(
            "{},{},{},{decision},{amount}\n",
            bundle.household.household_id,
            p.person_id.as_deref().unwrap_or(""),
            p.program
        );
    }
    let (origin, target) = (viewer.origin(), bundle.household.household_id.clone());
    with_store(&state, move |s, _| {
        minsheng_app::accounts::record(s, &origin, "export", &target, "household decisions")?;
        Ok(())
    })
    .await?;
    Ok(([(header::CONTENT_TYPE, "text/csv; charset=utf-8")], out).into_response())
}
