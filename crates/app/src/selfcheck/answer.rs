//! The self-check's answer: the form's household built in memory, run through the same
//! engine and explanation as `minsheng explain`, and folded into one answer per program.

use super::{SelfCheckInput, builtin_regions, default_month, where_to_apply};
use crate::evaluate::PackProblems;
use minsheng_model::{Date, Employment, Fen, Household, Person, Registry, idnumber};
use minsheng_policy::check::Checked;
use minsheng_policy::check::coverage::coverage;
use minsheng_policy::explain::{Decision, ExplainError, Explanation, explain};
use minsheng_policy::pack::Pack;
use serde::Serialize;

/// The in-memory household's id; its members are `M1`, `M2`, … in form order.
const HOUSEHOLD_ID: &str = "SELFCHECK";

/// What the estimate says about one program.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(tag = "outcome", rename_all = "snake_case")]
pub enum Outcome {
    Likely,
    Unlikely,
    /// The rules need facts the form did not give (the input columns).
    CannotTell {
        missing: Vec<String>,
    },
}

/// One program in the answer.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct ProgramAnswer {
    /// The pack's program id (`dibao` …), or `medical_assistance`.
    pub program: String,
    /// Chinese name.
    pub label: String,
    #[serde(flatten)]
    pub outcome: Outcome,
    /// Estimated monthly amount (summed over members for a person program); 0 when the
    /// program pays no money or is not likely.
    #[serde(serialize_with = "yuan")]
    pub monthly_amount: Fen,
    /// The explanation's lines for this program, in Chinese (per member for a person
    /// program: "成员 2（78 岁）：…").
    pub reasons: Vec<String>,
    pub where_to_apply: String,
}

/// The whole answer.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct SelfCheckAnswer {
    /// First day of the evaluated month.
    #[serde(serialize_with = "iso")]
    pub month: Date,
    /// Likely programs first (largest amount first), then those it cannot tell, then the
    /// unlikely ones, each group in the pack's order.
    pub programs: Vec<ProgramAnswer>,
    /// That this is an estimate, that nothing was stored, and how the form was read.
    pub notes: Vec<String>,
}

/// Why a self-check could not be evaluated (a deployment problem, not the resident's).
#[derive(Debug, thiserror::Error)]
pub enum SelfCheckError {
    #[error(transparent)]
    Pack(#[from] PackProblems),
    #[error(transparent)]
    Explain(#[from] ExplainError),
    #[error("项目 {program} 的金额 {text} 无法读取 / program amount is not yuan")]
    Amount { program: String, text: String },
}

fn yuan<S: serde::Serializer>(f: &Fen, s: S) -> Result<S::Ok, S::Error> {
    s.serialize_str(&f.to_string())
}

fn iso<S: serde::Serializer>(d: &Date, s: S) -> Result<S::Ok, S::Error> {
    s.serialize_str(&minsheng_model::date::to_iso(*d))
}

/// The form's household as a registry: synthetic ids, valid ID numbers from the region's
/// county, birth dates that give each member the entered age on the first day of `month`.
pub fn registry(input: &SelfCheckInput, month: Date) -> Registry {
    use chrono::Datelike;
    let households = vec![Household {
        household_id: HOUSEHOLD_ID.to_owned(),
        region_code: input.region,
        area: Some(input.area),
        savings: Some(input.savings),
        houses: Some(input.houses),
        vehicles: Some(input.vehicles),
        address: None,
        extra: Vec::new(),
    }];
    let persons = input
        .members
        .iter()
        .enumerate()
        .map(|(i, m)| {
            let age = i32::try_from(m.age).unwrap_or(0);
            let birth = Date::from_ymd_opt(month.year() - age, month.month(), 1).unwrap_or(month);
            let works = matches!(m.employment, Employment::Employed | Employment::Flexible);
            let (wage, transfer) = if works {
                (m.monthly_income, Fen::ZERO)
            } else {
                (Fen::ZERO, m.monthly_income)
            };
            Person {
                person_id: member_id(i),
                household_id: HOUSEHOLD_ID.to_owned(),
                id_number: idnumber::make(input.region.county6(), birth, i as u32, m.sex),
                name: format!("成员{}", i + 1),
                sex: m.sex,
                birth_date: birth,
                relation: m.relation,
                disability_grade: Some(m.disability_grade),
                disability_kind: Some(m.disability_kind),
                self_care: Some(m.self_care),
                employment: Some(m.employment),
                wage_income: Some(wage),
                business_income: Some(Fen::ZERO),
                property_income: Some(Fen::ZERO),
                transfer_income: Some(transfer),
                illness: Some(m.illness),
                capable_supporter: Some(m.capable_supporter),
                orphan: Some(m.orphan),
                deceased_on: None,
                extra: Vec::new(),
            }
        })
        .collect();
    Registry {
        households,
        persons,
        ..Registry::default()
    }
}

fn member_id(i: usize) -> String {
    format!("M{}", i + 1)
}

/// Evaluates the checked form with `pack` for the month containing `month` (its first
/// day is used): nothing is stored, the household exists only in memory.
pub fn evaluate(
    pack: &Pack,
    checked: &Checked,
    input: &SelfCheckInput,
    month: Date,
) -> Result<SelfCheckAnswer, SelfCheckError> {
    let month = default_month(month);
    coverage(pack, [input.region], month).map_err(PackProblems)?;
    let reg = registry(input, month);
    let e = explain(pack, checked, &reg, month, HOUSEHOLD_ID)?;
    let who = |person: &str| -> String {
        let i = reg
            .persons
            .iter()
            .position(|p| p.person_id == person)
            .unwrap_or(0);
        format!("成员 {}（{} 岁）", i + 1, input.members[i].age)
    };
    let mut programs = Vec::new();
    for p in &pack.programs {
        let units: Vec<_> = e.programs.iter().filter(|x| x.program == p.id).collect();
        let mut likely = false;
        let mut missing: Vec<String> = Vec::new();
        let mut amount = Fen::ZERO;
        let mut reasons = Vec::new();
        for u in &units {
            let verdict = match &u.decision {
                Decision::Eligible(a) => {
                    likely = true;
                    let fen = Fen::parse_yuan(a).map_err(|_| SelfCheckError::Amount {
                        program: p.id.clone(),
                        text: a.clone(),
                    })?;
                    amount += fen;
                    if u.amount.is_some() {
                        format!("可能符合，估算月金额 {a} 元")
                    } else {
                        "可能符合".to_owned()
                    }
                }
                Decision::NotEligible => "不符合".to_owned(),
                Decision::Undecided(m) => {
                    for c in m {
                        if !missing.iter().any(|x| x == c) {
                            missing.push((*c).to_owned());
                        }
                    }
                    format!("无法判断：缺少 {}", m.join("、"))
                }
            };
            let prefix = u
                .person_id
                .as_deref()
                .map_or(String::new(), |id| format!("{}：", who(id)));
            reasons.push(format!("{prefix}{verdict}。条件：{}", u.eligible));
            if let (Some(a), Decision::Eligible(_)) = (&u.amount, &u.decision) {
                reasons.push(format!("{prefix}金额：{a}"));
            }
        }
        let outcome = if likely {
            Outcome::Likely
        } else if !missing.is_empty() {
            Outcome::CannotTell { missing }
        } else {
            Outcome::Unlikely
        };
        programs.push(ProgramAnswer {
            program: p.id.clone(),
            label: p.label.clone(),
            monthly_amount: if likely { amount } else { Fen::ZERO },
            outcome,
            reasons,
            where_to_apply: where_to_apply(&p.id).to_owned(),
        });
    }
    if let Some(m) = medical_assistance(&e, &who) {
        programs.push(m);
    }
    let rank = |a: &ProgramAnswer| match a.outcome {
        Outcome::Likely => (0, -a.monthly_amount.0),
        Outcome::CannotTell { .. } => (1, 0),
        Outcome::Unlikely => (2, 0),
    };
    programs.sort_by_key(rank);
    Ok(SelfCheckAnswer {
        month,
        programs,
        notes: notes(input, month),
    })
}

/// 医疗救助: not a program of the pack but the medical chain's category — a member who is
/// 特困, 低保 or 低保边缘 has medical assistance when in hospital.
fn medical_assistance(e: &Explanation, who: &dyn Fn(&str) -> String) -> Option<ProgramAnswer> {
    let steps: Vec<_> = e
        .steps
        .iter()
        .filter(|s| s.id == "medical_category")
        .collect();
    if steps.is_empty() {
        return None;
    }
    let mut likely = false;
    let mut unknown = false;
    let mut reasons = Vec::new();
    for s in &steps {
        let what = match s.value.as_str() {
            "tekun" => "特困人员",
            "dibao" => "低保对象",
            "edge" => "低保边缘家庭成员",
            "none" => "不属于医疗救助对象",
            _ => "",
        };
        likely |= matches!(s.value.as_str(), "tekun" | "dibao" | "edge");
        unknown |= what.is_empty();
        let name = s.person_id.as_deref().map_or(String::new(), who);
        let what = if what.is_empty() { &s.value } else { what };
        reasons.push(format!("{name}：{}：{what}（{}）", s.label, s.formula));
    }
    let outcome = if likely {
        Outcome::Likely
    } else if unknown {
        Outcome::CannotTell {
            missing: Vec::new(),
        }
    } else {
        Outcome::Unlikely
    };
    Some(ProgramAnswer {
        program: "medical_assistance".to_owned(),
        label: "医疗救助".to_owned(),
        outcome,
        monthly_amount: Fen::ZERO,
        reasons,
        where_to_apply: where_to_apply("medical_assistance").to_owned(),
    })
}

/// The notes every answer carries.
fn notes(input: &SelfCheckInput, month: Date) -> Vec<String> {
    let regions = builtin_regions();
    let place = if regions.get(input.region).is_some() {
        regions.path_name(input.region)
    } else {
        input.region.to_string()
    };
    let mut notes = vec![
        "本结果只是估算，不是认定结论，以乡镇（街道）审核确认为准 / This is an estimate, not a decision: the township (street) office's review decides.".to_owned(),
        "本次自查没有保存您填写的任何信息 / Nothing you entered was stored.".to_owned(),
        format!(
            "按 {place}、{}、{} 的政策标准估算 / estimated with the standards of this place, area and month.",
            input.area.label(),
            month.format("%Y 年 %-m 月")
        ),
        "月收入按每位成员全部收入（工资、经营、财产、养老金及亲属给付等）合计计算；就业或灵活就业成员的收入按工资性收入计，先扣除必要就业成本 / monthly income is all income of a member; for employed or flexible members it counts as wages, less the employment cost.".to_owned(),
    ];
    if !input.assumed_zero.is_empty() {
        let names: Vec<String> = input.assumed_zero.iter().map(|f| field_label(f)).collect();
        notes.push(format!(
            "以下未填写的项目按 0 计算：{} / empty fields counted as 0: {}",
            names.join("、"),
            input.assumed_zero.join(", ")
        ));
    }
    notes
}

/// The Chinese name of a form field (`members[1].monthly_income` → 成员 2 的月收入).
fn field_label(field: &str) -> String {
    match field {
        "savings" => "存款及有价证券".to_owned(),
        "houses" => "住房套数".to_owned(),
        "vehicles" => "机动车数".to_owned(),
        other => other
            .strip_prefix("members[")
            .and_then(|r| r.split_once("].monthly_income"))
            .and_then(|(i, _)| i.parse::<usize>().ok())
            .map_or_else(|| other.to_owned(), |i| format!("成员 {} 的月收入", i + 1)),
    }
}
