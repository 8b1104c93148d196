//! Explanations: for one household, every program's decision and the values that led to
//! it, in the words of the pack — each variable with its Chinese label and value, each
//! formula with its names replaced by "label value", and every parameter used with its
//! value, effective date and region. The same text serves `minsheng explain` and the
//! caseworkers' pages.

use crate::check::{Checked, Item};
use crate::eval::value::Col;
use crate::eval::{EvalError, Evaluated, evaluate_all, missing};
use crate::fixed::Fixed;
use crate::frame::{Frame, FrameError};
use crate::pack::{DeclaredType, Entity, Pack};
use minsheng_model::{Date, Registry};
use minsheng_policy_syntax::{BinaryOp, Expr, ExprKind, InSet, UnaryOp};
use std::collections::BTreeSet;

/// How a unit came out for a program.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
#[serde(tag = "decision", content = "detail", rename_all = "snake_case")]
pub enum Decision {
    /// Eligible, with the monthly amount (yuan, two decimals; "0.00" for a status).
    Eligible(String),
    NotEligible,
    /// Cannot decide: these input columns are empty.
    Undecided(Vec<&'static str>),
}

/// One program for one unit (the household, or one of its members).
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
pub struct ProgramExplanation {
    pub program: String,
    pub label: String,
    pub person_id: Option<String>,
    pub decision: Decision,
    /// The eligibility formula with every name replaced by "label value".
    pub eligible: String,
    pub amount: Option<String>,
}

/// A variable's value for a unit.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
pub struct Step {
    pub id: String,
    pub label: String,
    pub person_id: Option<String>,
    pub value: String,
    pub formula: String,
}

/// A parameter value in force for the household.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
pub struct ParamUse {
    pub id: String,
    pub label: String,
    pub value: String,
    pub since: Option<Date>,
    pub region: String,
}

/// Everything about one household's month.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
pub struct Explanation {
    pub household_id: String,
    pub month: Date,
    pub programs: Vec<ProgramExplanation>,
    pub steps: Vec<Step>,
    pub parameters: Vec<ParamUse>,
}

/// Why a household cannot be explained.
#[derive(Debug, thiserror::Error)]
pub enum ExplainError {
    #[error("家庭 {0} 不在登记库中 / household not found")]
    NotFound(String),
    #[error(transparent)]
    Frame(#[from] FrameError),
    #[error(transparent)]
    Eval(#[from] EvalError),
}

/// Explains household `household_id` of `registry` in the month starting `month`.
pub fn explain(
    pack: &Pack,
    checked: &Checked,
    registry: &Registry,
    month: Date,
    household_id: &str,
) -> Result<Explanation, ExplainError> {
    // Only this household's records: the rules never read across households.
    let households: Vec<_> = registry
        .households
        .iter()
        .filter(|h| h.household_id == household_id)
        .cloned()
        .collect();
    if households.is_empty() {
        return Err(ExplainError::NotFound(household_id.to_owned()));
    }
    let persons: Vec<_> = registry
        .persons
        .iter()
        .filter(|p| p.household_id == household_id)
        .cloned()
        .collect();
    let ids: BTreeSet<&str> = persons.iter().map(|p| p.person_id.as_str()).collect();
    let stays = registry
        .stays
        .iter()
        .filter(|s| ids.contains(s.person_id.as_str()))
        .cloned()
        .collect();
    let one = Registry {
        households,
        persons,
        stays,
        ..Registry::default()
    };
    let frame = Frame::build(&one, month)?;
    let ev = evaluate_all(pack, checked, &frame)?;
    let r = Renderer {
        pack,
        frame: &frame,
        ev: &ev,
    };

    let mut programs = Vec::new();
    for (k, p) in pack.programs.iter().enumerate() {
        let units: Vec<usize> = match p.entity {
            Entity::Household => vec![0],
            Entity::Person => (0..frame.persons.id.len()).collect(),
        };
        for u in units {
            let elig = &ev.values[&Item::Program(k)];
            let decision = if elig.m[u] != 0 {
                Decision::Undecided(missing(elig.m[u]))
            } else if elig.v[u] == 0 {
                Decision::NotEligible
            } else {
                match ev.amounts.get(&k) {
                    Some(a) if a.m[u] != 0 => Decision::Undecided(missing(a.m[u])),
                    Some(a) => Decision::Eligible(money(a.v[u])),
                    None => Decision::Eligible("0.00".into()),
                }
            };
            programs.push(ProgramExplanation {
                program: p.id.clone(),
                label: p.label.clone(),
                person_id: (p.entity == Entity::Person).then(|| frame.persons.id[u].to_string()),
                decision,
                eligible: r.render(&p.eligible.expr, p.entity, u),
                amount: p.amount.as_ref().map(|a| r.render(&a.expr, p.entity, u)),
            });
        }
    }
    let mut steps = Vec::new();
    for &item in &checked.order {
        let Item::Variable(k) = item else { continue };
        let v = &pack.variables[k];
        let units: Vec<usize> = match v.entity {
            Entity::Household => vec![0],
            Entity::Person => (0..frame.persons.id.len()).collect(),
        };
        for u in units {
            steps.push(Step {
                id: v.id.clone(),
                label: v.label.clone(),
                person_id: (v.entity == Entity::Person).then(|| frame.persons.id[u].to_string()),
                value: r.value(&ev.values[&item], u, v.ty),
                formula: r.render(&v.formula.expr, v.entity, u),
            });
        }
    }
    let region = frame.households.region[0];
    let parameters = pack
        .parameters
        .iter()
        .filter_map(|p| {
            pack.parameters
                .resolve(&p.id, month, region)
                .map(|v| ParamUse {
                    id: p.id.clone(),
                    label: p.label.clone(),
                    value: v.value.to_string(),
                    since: v.since,
                    region: v.region.to_owned(),
                })
        })
        .collect();
    Ok(Explanation {
        household_id: household_id.to_owned(),
        month,
        programs,
        steps,
        parameters,
    })
}

/// The Chinese name of an input column (interchange-v1), as caseworkers say it.
fn input_label(column: &str) -> &str {
    match column {
        "wage_income" => "工资性收入",
        "business_income" => "经营净收入",
        "property_income" => "财产净收入",
        "transfer_income" => "转移净收入",
        "age" => "年龄",
        "disability_grade" => "残疾等级",
        "disability_kind" => "残疾类别",
        "self_care" => "生活自理能力",
        "employment" => "就业状况",
        "illness" => "患病情况",
        "capable_supporter" => "有能力履行义务的法定赡养抚养扶养人",
        "orphan" => "孤儿或事实无人抚养儿童",
        "sex" => "性别",
        "relation" => "与户主关系",
        "area" => "城乡类别",
        "savings" => "存款及有价证券",
        "houses" => "住房套数",
        "vehicles" => "机动车数",
        other => other,
    }
}

fn money(raw: i64) -> String {
    Fixed(raw).to_fen().map_or_else(
        || Fixed(raw).to_string(),
        |f| minsheng_model::Fen(f).to_string(),
    )
}

struct Renderer<'a> {
    pack: &'a Pack,
    frame: &'a Frame,
    ev: &'a Evaluated,
}

impl Renderer<'_> {
    /// A value as a person reads it: numbers exact, bools 是/否, codes as written.
    fn value(&self, c: &Col, u: usize, ty: DeclaredType) -> String {
        if c.m[u] != 0 {
            return format!("未知（缺少 {}）", missing(c.m[u]).join("、"));
        }
        match ty {
            DeclaredType::Code => self.ev.code(c.v[u]).to_owned(),
            DeclaredType::Bool => if c.v[u] == 1 { "是" } else { "否" }.to_owned(),
            DeclaredType::Money | DeclaredType::Number => Fixed(c.v[u]).to_string(),
        }
    }

    fn label_value(&self, path: &[String], entity: Entity, u: usize) -> String {
        let name = path.join(".");
        if path.len() == 2 && path[0] == "household" && entity == Entity::Person {
            let h = self.frame.persons.household[u] as usize;
            return self.label_value(&path[1..], Entity::Household, h);
        }
        let n = path[0].as_str();
        if path.len() == 1 {
            if let Some((k, v)) = self
                .pack
                .variables
                .iter()
                .enumerate()
                .find(|(_, v)| v.id == n)
            {
                let c = &self.ev.values[&Item::Variable(k)];
                return format!("{}（{}）", v.label, self.value(c, u, v.ty));
            }
            if let Some((k, p)) = self
                .pack
                .programs
                .iter()
                .enumerate()
                .find(|(_, p)| p.id == n)
            {
                let c = &self.ev.values[&Item::Program(k)];
                let v = if c.m[u] != 0 {
                    "未知".to_owned()
                } else if c.v[u] == 1 {
                    "是".into()
                } else {
                    "否".into()
                };
                return format!("{}（{v}）", p.label);
            }
            return format!("{}（{}）", input_label(n), self.input(entity, n, u));
        }
        let region = self.frame.households.region[match entity {
            Entity::Household => u,
            Entity::Person => self.frame.persons.household[u] as usize,
        }];
        match self.pack.parameters.get(&name) {
            Some(p) => {
                let v = self
                    .pack
                    .parameters
                    .resolve(&name, self.frame.month, region)
                    .map_or("无".into(), |r| r.value.to_string());
                format!("{}（{v}）", p.label)
            }
            None => name,
        }
    }

    /// An input cell as written, or 未知.
    fn input(&self, entity: Entity, n: &str, u: usize) -> String {
        let f = self.frame;
        let opt = |v: Option<String>| v.unwrap_or_else(|| "未知".into());
        let fen = |v: Option<i64>| opt(v.map(|f| minsheng_model::Fen(f).to_string()));
        match (entity, n) {
            (Entity::Person, "age") => f.persons.age[u].to_string(),
            (Entity::Person, "wage_income") => fen(f.persons.wage_income.get(u)),
            (Entity::Person, "business_income") => fen(f.persons.business_income.get(u)),
            (Entity::Person, "property_income") => fen(f.persons.property_income.get(u)),
            (Entity::Person, "transfer_income") => fen(f.persons.transfer_income.get(u)),
            (Entity::Person, "disability_grade") => {
                opt(f.persons.disability_grade.get(u).map(|g| g.to_string()))
            }
            (Entity::Person, "disability_kind") => opt(f
                .persons
                .disability_kind
                .get(u)
                .map(|x| x.label().to_owned())),
            (Entity::Person, "self_care") => {
                opt(f.persons.self_care.get(u).map(|x| x.label().to_owned()))
            }
            (Entity::Person, "employment") => {
                opt(f.persons.employment.get(u).map(|x| x.label().to_owned()))
            }
            (Entity::Person, "illness") => {
                opt(f.persons.illness.get(u).map(|x| x.label().to_owned()))
            }
            (Entity::Person, "capable_supporter") | (Entity::Person, "orphan") => {
                let c = if n == "orphan" {
                    &f.persons.orphan
                } else {
                    &f.persons.capable_supporter
                };
                opt(c.get(u).map(|b| if b { "是".into() } else { "否".into() }))
            }
            (Entity::Household, "area") => {
                opt(f.households.area.get(u).map(|x| x.label().to_owned()))
            }
            (Entity::Household, "savings") => fen(f.households.savings.get(u)),
            (Entity::Household, "houses") => opt(f.households.houses.get(u).map(|x| x.to_string())),
            (Entity::Household, "vehicles") => {
                opt(f.households.vehicles.get(u).map(|x| x.to_string()))
            }
            _ => String::new(),
        }
    }

    /// The formula with names replaced by their labels and values, in plain words.
    fn render(&self, e: &Expr, entity: Entity, u: usize) -> String {
        let r = |x: &Expr| self.render(x, entity, u);
        match &e.kind {
            ExprKind::Number { mantissa, scale } => {
                crate::decimal::Decimal::new(*mantissa, *scale).to_string()
            }
            ExprKind::Str(s) => s.clone(),
            ExprKind::Bool(b) => if *b { "是" } else { "否" }.into(),
            ExprKind::Name(path) => self.label_value(path, entity, u),
            ExprKind::Index { base, .. } => {
                // The parameter actually selected, by the unit's code.
                let ExprKind::Name(path) = &base.kind else {
                    return String::new();
                };
                let group = path.join(".");
                let chosen = self.pack.parameters.iter().find(|p| {
                    p.id.starts_with(&format!("{group}."))
                        && self.selected(p.id.as_str(), e, entity, u)
                });
                chosen.map_or(group, |p| {
                    self.label_value(
                        &p.id.split('.').map(str::to_owned).collect::<Vec<_>>(),
                        entity,
                        u,
                    )
                })
            }
            ExprKind::Unary {
                op: UnaryOp::Not,
                expr,
            } => format!("并非 {}", r(expr)),
            ExprKind::Unary {
                op: UnaryOp::Neg,
                expr,
            } => format!("-{}", r(expr)),
            ExprKind::Binary { op, lhs, rhs } => {
                let sym = match op {
                    BinaryOp::And => "，且",
                    BinaryOp::Or => "，或",
                    BinaryOp::Eq => "=",
                    BinaryOp::Ne => "≠",
                    BinaryOp::Lt => "<",
                    BinaryOp::Le => "≤",
                    BinaryOp::Gt => ">",
                    BinaryOp::Ge => "≥",
                    BinaryOp::Add => "+",
                    BinaryOp::Sub => "−",
                    BinaryOp::Mul => "×",
                    BinaryOp::Div => "÷",
                };
                format!("{} {sym} {}", r(lhs), r(rhs))
            }
            ExprKind::In { expr, set, negated } => {
                let not = if *negated { "不" } else { "" };
                match set {
                    InSet::List(items) => format!(
                        "{} {not}属于 {}",
                        r(expr),
                        items.iter().map(r).collect::<Vec<_>>().join("、")
                    ),
                    InSet::Range { lo, hi } => {
                        format!("{} {not}在 {} 至 {} 之间", r(expr), r(lo), r(hi))
                    }
                }
            }
            ExprKind::If {
                branches,
                otherwise,
            } => {
                let mut s = String::new();
                for (c, t) in branches {
                    s.push_str(&format!("若 {} 则 {}；", r(c), r(t)));
                }
                s.push_str(&format!("否则 {}", r(otherwise)));
                s
            }
            ExprKind::Call { name, args, named } => {
                let mut parts: Vec<String> = args
                    .iter()
                    .map(|a| match &a.kind {
                        ExprKind::Name(p) if p.len() == 1 && p[0] == "members" => "成员".into(),
                        // Inside an aggregation, names are the members' own: shown by label only.
                        ExprKind::Name(p)
                            if entity == Entity::Household
                                && self
                                    .pack
                                    .variables
                                    .iter()
                                    .any(|v| v.id == p[0] && v.entity == Entity::Person) =>
                        {
                            self.pack
                                .variables
                                .iter()
                                .find(|v| v.id == p[0])
                                .map_or(String::new(), |v| v.label.clone())
                        }
                        _ if entity == Entity::Household
                            && args.first().is_some_and(
                                |f| matches!(&f.kind, ExprKind::Name(p) if p[0] == "members"),
                            ) =>
                        {
                            minsheng_policy_syntax::print(a)
                        }
                        _ => r(a),
                    })
                    .collect();
                for (k, _, v) in named {
                    parts.push(format!("{k}: {}", minsheng_policy_syntax::print(v)));
                }
                format!("{name}({})", parts.join("，"))
            }
        }
    }

    /// Whether parameter `id` is the one `e` (an index expression) selects for the unit.
    fn selected(&self, id: &str, e: &Expr, entity: Entity, u: usize) -> bool {
        let ExprKind::Index { index, .. } = &e.kind else {
            return false;
        };
        let ExprKind::Name(path) = &index.kind else {
            return false;
        };
        let code = self.label_code(path, entity, u);
        code.is_some_and(|c| id.ends_with(&format!(".{c}")))
    }

    /// The code text of a code-valued name for the unit.
    fn label_code(&self, path: &[String], entity: Entity, u: usize) -> Option<String> {
        if path.len() == 2 && path[0] == "household" && entity == Entity::Person {
            return self.label_code(
                &path[1..],
                Entity::Household,
                self.frame.persons.household[u] as usize,
            );
        }
        let f = self.frame;
        match (entity, path[0].as_str()) {
            (Entity::Household, "area") => f.households.area.get(u).map(|x| x.code().to_owned()),
            (Entity::Person, "self_care") => {
                f.persons.self_care.get(u).map(|x| x.code().to_owned())
            }
            (Entity::Person, "employment") => {
                f.persons.employment.get(u).map(|x| x.code().to_owned())
            }
            (Entity::Person, "illness") => f.persons.illness.get(u).map(|x| x.code().to_owned()),
            (Entity::Person, "disability_kind") => f
                .persons
                .disability_kind
                .get(u)
                .map(|x| x.code().to_owned()),
            _ => None,
        }
    }
}

impl Explanation {
    /// The explanation as a caseworker reads it, in Chinese.
    pub fn to_text(&self) -> String {
        let mut s = format!(
            "家庭 {} · {} 年 {} 月\n",
            self.household_id,
            self.month.format("%Y"),
            self.month.format("%m")
        );
        for p in &self.programs {
            let who = p
                .person_id
                .as_ref()
                .map_or(String::new(), |id| format!(" {id}"));
            let verdict = match &p.decision {
                Decision::Eligible(a) if p.amount.is_some() => format!("符合，月金额 {a} 元"),
                Decision::Eligible(_) => "符合".to_owned(),
                Decision::NotEligible => "不符合".to_owned(),
                Decision::Undecided(m) => format!("无法认定：缺少 {}", m.join("、")),
            };
            s.push_str(&format!(
                "【{}】{who}：{verdict}\n  条件：{}\n",
                p.label, p.eligible
            ));
            if let (Some(a), Decision::Eligible(_)) = (&p.amount, &p.decision) {
                s.push_str(&format!("  金额：{a}\n"));
            }
        }
        s.push_str("计算过程：\n");
        for st in &self.steps {
            let who = st
                .person_id
                .as_ref()
                .map_or(String::new(), |id| format!(" {id}"));
            s.push_str(&format!(
                "  {}{who} = {}：{}\n",
                st.label, st.value, st.formula
            ));
        }
        s.push_str("所用参数：\n");
        for p in &self.parameters {
            let since = p.since.map_or("一直".to_owned(), |d| format!("自 {d} 起"));
            let region = if p.region.is_empty() {
                "全辖区".to_owned()
            } else {
                format!("区划 {}", p.region)
            };
            s.push_str(&format!(
                "  {} {} = {}（{since}，{region}）\n",
                p.label, p.id, p.value
            ));
        }
        s
    }
}
