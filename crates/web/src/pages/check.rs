//! 服务找人 `/check`: the public self-check. No login, nothing stored (not even in the
//! audit log: there is no person to log). The form is evaluated by the same policy
//! engine as the registry (`minsheng_app::selfcheck`); a bad field gets its message next
//! to it, and the answer lists the programs the household may qualify for, the estimated
//! monthly amount, the reasons and where to apply.

use crate::auth::{check_form_token, form_token};
use crate::error::WebError;
use crate::i18n::Lang;
use crate::layout::{self, yuan};
use crate::state::Shared;
use axum::Form;
use axum::extract::State;
use axum::http::HeaderMap;
use axum::response::{IntoResponse, Response};
use axum_extra::extract::cookie::CookieJar;
use maud::{Markup, html};
use minsheng_app::selfcheck::{
    self, FieldError, MemberForm, Outcome, SelfCheckAnswer, SelfCheckForm,
};
use minsheng_model::{Area, DisabilityKind, Employment, Illness, Relation, SelfCare, Sex};

/// Member rows on the form (empty rows are ignored).
pub const ROWS: usize = 6;

/// The form's fields as posted: `region`, `area`, …, and `m{i}_{field}` per member row.
pub fn form_from_pairs(pairs: &[(String, String)]) -> (SelfCheckForm, String) {
    let mut f = SelfCheckForm::default();
    let mut rows: Vec<MemberForm> = vec![MemberForm::default(); ROWS];
    let mut csrf = String::new();
    for (k, v) in pairs {
        match k.as_str() {
            "csrf" => csrf = v.clone(),
            "region" => f.region = v.clone(),
            "area" => f.area = v.clone(),
            "savings" => f.savings = v.clone(),
            "houses" => f.houses = v.clone(),
            "vehicles" => f.vehicles = v.clone(),
            _ => {
                let Some((i, field)) = k
                    .strip_prefix('m')
                    .and_then(|r| r.split_once('_'))
                    .and_then(|(i, field)| Some((i.parse::<usize>().ok()?, field)))
                else {
                    continue;
                };
                let Some(m) = rows.get_mut(i) else { continue };
                match field {
                    "relation" => m.relation = v.clone(),
                    "age" => m.age = v.clone(),
                    "sex" => m.sex = v.clone(),
                    "income" => m.monthly_income = v.clone(),
                    "employment" => m.employment = v.clone(),
                    "disability_grade" => m.disability_grade = v.clone(),
                    "disability_kind" => m.disability_kind = v.clone(),
                    "self_care" => m.self_care = v.clone(),
                    "illness" => m.illness = v.clone(),
                    "orphan" => m.orphan = !v.is_empty(),
                    "capable_supporter" => m.capable_supporter = !v.is_empty(),
                    _ => {}
                }
            }
        }
    }
    // A row is used when the person typed an age or chose a relation.
    f.members = rows
        .into_iter()
        .filter(|m| !m.age.trim().is_empty() || !m.relation.is_empty())
        .collect();
    (f, csrf)
}

fn select<T: Copy>(
    name: &str,
    id: &str,
    all: &[T],
    code: fn(T) -> &'static str,
    label: fn(T) -> &'static str,
    chosen: &str,
    blank: bool,
) -> Markup {
    html! {
        select name=(name) id=(id) {
            @if blank { option value="" { "—" } }
            @for &v in all {
                option value=(code(v)) selected[code(v) == chosen] { (label(v)) }
            }
        }
    }
}

fn error_for<'e>(errors: &'e [FieldError], field: &str) -> Option<&'e FieldError> {
    errors.iter().find(|e| e.field == field)
}

fn field_error(errors: &[FieldError], field: &str, id: &str) -> Markup {
    html! {
        @if let Some(e) = error_for(errors, field) {
            p.field-error id={ (id) "-error" } role="alert" { (e.message) }
        }
    }
}

fn render_form(
    lang: Lang,
    regions: &[(String, String)],
    csrf: &str,
    f: &SelfCheckForm,
    errors: &[FieldError],
) -> Markup {
    let region = if f.region.is_empty() {
        selfcheck::DEFAULT_REGION
    } else {
        &f.region
    };
    let members: Vec<MemberForm> = (0..ROWS)
        .map(|i| f.members.get(i).cloned().unwrap_or_default())
        .collect();
    html! {
        form method="post" action="/check" novalidate {
            input type="hidden" name="csrf" value=(csrf);
            @if !errors.is_empty() {
                p.error role="alert" { (lang.t("请修改标出的项目后再提交。", "Please correct the marked fields.")) }
            }
            fieldset {
                legend { (lang.t("家庭情况", "Household")) }
                label for="region" { (lang.t("户籍所在地", "Where you are registered")) }
                select name="region" id="region" {
                    @for (code, name) in regions { option value=(code) selected[code == region] { (name) } }
                }
                (field_error(errors, "region", "region"))
                label for="area" { (lang.t("城乡", "Urban or rural")) }
                (select("area", "area", Area::ALL, Area::code, Area::label, &f.area, false))
                (field_error(errors, "area", "area"))
                label for="savings" { (lang.t("全家存款、理财等金融资产（元）", "Savings of the whole household (yuan)")) }
                input id="savings" name="savings" inputmode="decimal" value=(f.savings)
                    aria-invalid=[error_for(errors, "savings").map(|_| "true")];
                (field_error(errors, "savings", "savings"))
                label for="houses" { (lang.t("住房（套）", "Homes owned")) }
                input id="houses" name="houses" inputmode="numeric" value=(f.houses);
                (field_error(errors, "houses", "houses"))
                label for="vehicles" { (lang.t("机动车（辆，不含残疾人代步车）", "Motor vehicles")) }
                input id="vehicles" name="vehicles" inputmode="numeric" value=(f.vehicles);
                (field_error(errors, "vehicles", "vehicles"))
            }
            (field_error(errors, "members", "members"))
            @for (i, m) in members.iter().enumerate() {
                fieldset {
                    legend { (lang.t("成员 ", "Member ")) (i + 1) @if i == 0 { (lang.t("（户主）", " (head)")) } }
                    @let p = |field: &str| format!("members[{i}].{field}");
                    @let id = |field: &str| format!("m{i}_{field}");
                    div.grid2 {
                        div {
                            label for=(id("relation")) { (lang.t("与户主关系", "Relation")) }
                            (select(&id("relation"), &id("relation"), Relation::ALL, Relation::code, Relation::label,
                                if m.relation.is_empty() && i == 0 { "head" } else { &m.relation }, i > 0))
                            (field_error(errors, &p("relation"), &id("relation")))
                            label for=(id("age")) { (lang.t("年龄（周岁）", "Age")) }
                            input id=(id("age")) name=(id("age")) inputmode="numeric" value=(m.age);
                            (field_error(errors, &p("age"), &id("age")))
                            label for=(id("sex")) { (lang.t("性别", "Sex")) }
                            (select(&id("sex"), &id("sex"), Sex::ALL, Sex::code, Sex::label, &m.sex, false))
                            label for=(id("income")) { (lang.t("月收入合计（元）", "Monthly income (yuan)")) }
                            input id=(id("income")) name=(id("income")) inputmode="decimal" value=(m.monthly_income);
                            (field_error(errors, &p("monthly_income"), &id("income")))
                            label for=(id("employment")) { (lang.t("就业状况", "Employment")) }
                            (select(&id("employment"), &id("employment"), Employment::ALL, Employment::code, Employment::label, &m.employment, true))
                            (field_error(errors, &p("employment"), &id("employment")))
                        }
                        div {
                            label for=(id("disability_grade")) { (lang.t("残疾等级（0 无，1 最重）", "Disability grade (0 none, 1 most severe)")) }
                            input id=(id("disability_grade")) name=(id("disability_grade")) inputmode="numeric" value=(m.disability_grade);
                            (field_error(errors, &p("disability_grade"), &id("disability_grade")))
                            label for=(id("disability_kind")) { (lang.t("残疾类别", "Disability kind")) }
                            (select(&id("disability_kind"), &id("disability_kind"), DisabilityKind::ALL, DisabilityKind::code, DisabilityKind::label, &m.disability_kind, true))
                            label for=(id("self_care")) { (lang.t("生活自理", "Self-care")) }
                            (select(&id("self_care"), &id("self_care"), SelfCare::ALL, SelfCare::code, SelfCare::label, &m.self_care, true))
                            label for=(id("illness")) { (lang.t("疾病", "Illness")) }
                            (select(&id("illness"), &id("illness"), Illness::ALL, Illness::code, Illness::label, &m.illness, true))
                            label { input type="checkbox" name=(id("orphan")) value="1" checked[m.orphan]; " " (lang.t("孤儿或事实无人抚养儿童", "Orphan or child without carers")) }
                            label { input type="checkbox" name=(id("capable_supporter")) value="1" checked[m.capable_supporter]; " " (lang.t("有赡养/抚养能力的法定义务人", "Has a supporter able to support them")) }
                        }
                    }
                }
            }
            button type="submit" { (lang.t("看看我可能享受哪些救助", "See what I may be entitled to")) }
        }
    }
}

fn render_answer(lang: Lang, a: &SelfCheckAnswer) -> Markup {
    html! {
        section aria-labelledby="answer" {
            h2 id="answer" { (lang.t("估算结果", "Estimate")) " · " (a.month.format("%Y-%m")) }
            @for n in &a.notes { p.note { (n) } }
            @for p in &a.programs {
                details open[matches!(p.outcome, Outcome::Likely)] {
                    summary {
                        strong { (p.label) } " — "
                        @match &p.outcome {
                            Outcome::Likely => span.ok { (lang.t("可能符合", "likely")) @if p.monthly_amount.0 > 0 { "，" (lang.t("估算 ", "about ")) (yuan(p.monthly_amount)) (lang.t(" 元/月", " yuan/month")) } },
                            Outcome::Unlikely => span.no { (lang.t("可能不符合", "unlikely")) },
                            Outcome::CannotTell { missing } => span.maybe { (lang.t("无法判断：", "cannot tell: ")) (missing.join("、")) },
                        }
                    }
                    ul { @for r in &p.reasons { li { (r) } } }
                    p { strong { (lang.t("在哪里申请：", "Where to apply: ")) } (p.where_to_apply) }
                }
            }
        }
    }
}

fn page(lang: Lang, body: Markup) -> Markup {
    layout::bare(
        lang,
        lang.t("服务找人：我可能享受哪些救助", "What may I be entitled to?"),
        html! {
            h1 { (lang.t("服务找人：我可能享受哪些救助？", "What may I be entitled to?")) }
            p.note { (lang.t("无需登录，不保存您填写的任何内容。结果只是估算，以乡镇（街道）审核确认为准。",
                             "No sign-in; nothing you enter is stored. The result is an estimate; the township or street office decides.")) }
            (body)
        },
    )
}

/// `GET /check`.
pub async fn form(
    State(state): State<Shared>,
    headers: HeaderMap,
    jar: CookieJar,
) -> Result<Response, WebError> {
    let lang = Lang::of(&headers);
    let (jar, csrf) = form_token(jar, state.secure_cookies)?;
    Ok((
        jar,
        page(
            lang,
            render_form(
                lang,
                &selfcheck::region_choices(&state.regions),
                &csrf,
                &SelfCheckForm::default(),
                &[],
            ),
        ),
    )
        .into_response())
}

/// `POST /check`.
pub async fn submit(
    State(state): State<Shared>,
    headers: HeaderMap,
    jar: CookieJar,
    Form(pairs): Form<Vec<(String, String)>>,
) -> Result<Response, WebError> {
    let lang = Lang::of(&headers);
    let (f, csrf) = form_from_pairs(&pairs);
    check_form_token(&jar, &csrf)?;
    let regions = selfcheck::region_choices(&state.regions);
    let body = match selfcheck::parse_in(&f, &state.regions) {
        Err(errors) => {
            let markup = page(lang, render_form(lang, &regions, &csrf, &f, &errors));
            return Ok((axum::http::StatusCode::UNPROCESSABLE_ENTITY, markup).into_response());
        }
        Ok(input) => {
            let answer = selfcheck::evaluate(&state.pack, &state.checked, &input, state.month)
                .map_err(WebError::internal)?;
            html! { (render_answer(lang, &answer)) (render_form(lang, &regions, &csrf, &f, &[])) }
        }
    };
    Ok(page(lang, body).into_response())
}
