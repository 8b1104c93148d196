//! Load-time checks of a pack: every name resolves (to an input column, a variable, a
//! program, a built-in or a parameter), every formula is well typed, string literals are
//! codes of the vocabulary they are compared with, indexed parameters exist for every
//! code, and variables do not depend on themselves. Each problem is reported with the
//! policy file, line and column and what was expected; a pack with any problem does not
//! run. The result is the evaluation order. [`coverage`] then checks, for the data's
//! regions and month, that every parameter the pack reads has a value.

use crate::pack::{DeclaredType, Entity, Formula, Pack};
use crate::params::{Location, PackError};
use minsheng_model::{Area, DisabilityKind, Employment, Illness, Relation, SelfCare, Sex};
use minsheng_policy_syntax::Span;
use std::collections::{BTreeSet, HashMap};

/// The type of a formula's value.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Ty {
    /// Money or any other number (exact).
    Number,
    Bool,
    /// A code; with its vocabulary when it is known statically.
    Code(Option<&'static [&'static str]>),
}

impl Ty {
    fn name(self) -> &'static str {
        match self {
            Ty::Number => "数值 number",
            Ty::Bool => "真假值 bool",
            Ty::Code(_) => "代码 code",
        }
    }

    fn same_kind(self, o: Ty) -> bool {
        matches!(
            (self, o),
            (Ty::Number, Ty::Number) | (Ty::Bool, Ty::Bool) | (Ty::Code(_), Ty::Code(_))
        )
    }
}

impl From<DeclaredType> for Ty {
    fn from(d: DeclaredType) -> Ty {
        match d {
            DeclaredType::Money | DeclaredType::Number => Ty::Number,
            DeclaredType::Bool => Ty::Bool,
            DeclaredType::Code => Ty::Code(None),
        }
    }
}

/// An input column of the registry, by entity.
pub const PERSON_INPUTS: &[(&str, Ty)] = &[
    ("wage_income", Ty::Number),
    ("business_income", Ty::Number),
    ("property_income", Ty::Number),
    ("transfer_income", Ty::Number),
    ("disability_grade", Ty::Number),
    ("age", Ty::Number),
    ("disability_kind", Ty::Code(Some(DisabilityKind::CODES))),
    ("self_care", Ty::Code(Some(SelfCare::CODES))),
    ("employment", Ty::Code(Some(Employment::CODES))),
    ("illness", Ty::Code(Some(Illness::CODES))),
    ("sex", Ty::Code(Some(Sex::CODES))),
    ("relation", Ty::Code(Some(Relation::CODES))),
    ("capable_supporter", Ty::Bool),
    ("orphan", Ty::Bool),
];

pub const HOUSEHOLD_INPUTS: &[(&str, Ty)] = &[
    ("area", Ty::Code(Some(Area::CODES))),
    ("savings", Ty::Number),
    ("houses", Ty::Number),
    ("vehicles", Ty::Number),
];

/// Person values computed by built-ins: the medical chain's 12-month self-pay.
pub const PERSON_BUILTINS: &[(&str, Ty)] = &[("medical_self_paid_12m", Ty::Number)];

/// The variable the medical built-in reads (a person code: tekun, dibao, edge or none).
pub const MEDICAL_CATEGORY: &str = "medical_category";

/// Aggregations from members to their household.
pub(crate) const AGGREGATIONS: &[&str] = &["count", "sum", "any", "all", "max", "min"];

/// A variable or program, in evaluation order.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Item {
    Variable(usize),
    Program(usize),
}

/// A checked pack: its evaluation order.
#[derive(Clone, Debug)]
pub struct Checked {
    pub order: Vec<Item>,
    /// The variables that only amounts read (directly or through other such variables),
    /// in evaluation order: no eligibility and not the medical chain needs them, so a
    /// bulk evaluation computes them only where some unit is paid (`eval::paid`).
    pub for_amounts: Vec<Item>,
}

/// Where in its file a span of a formula is.
pub fn locate(f: &Formula, span: Span) -> Location {
    let (line, col) = span.line_col(&f.text);
    if line == 1 {
        Location {
            file: f.at.file.clone(),
            line: f.at.line,
            column: f.at.column + col - 1,
        }
    } else {
        Location {
            file: f.at.file.clone(),
            line: f.at.line + line - 1,
            column: col,
        }
    }
}

pub(crate) struct Checker<'p> {
    pub(crate) pack: &'p Pack,
    pub(crate) names: HashMap<&'p str, Item>,
    pub(crate) params: BTreeSet<&'p str>,
    pub(crate) groups: BTreeSet<String>,
    pub(crate) errors: Vec<PackError>,
    /// Items the formula being checked reads.
    pub(crate) deps: Vec<Item>,
}

/// Checks `pack`; on success returns the order to evaluate its variables and programs in.
pub fn check(pack: &Pack) -> Result<Checked, Vec<PackError>> {
    let mut c = Checker {
        pack,
        names: HashMap::new(),
        params: pack.parameters.iter().map(|p| p.id.as_str()).collect(),
        groups: BTreeSet::new(),
        errors: Vec::new(),
        deps: Vec::new(),
    };
    for id in &c.params {
        let segs: Vec<&str> = id.split('.').collect();
        for n in 1..segs.len() {
            c.groups.insert(segs[..n].join("."));
        }
    }
    let items = pack
        .variables
        .iter()
        .enumerate()
        .map(|(i, v)| (v.id.as_str(), Item::Variable(i), &v.at))
        .chain(
            pack.programs
                .iter()
                .enumerate()
                .map(|(i, p)| (p.id.as_str(), Item::Program(i), &p.at)),
        );
    for (id, item, at) in items {
        let clash = PERSON_INPUTS
            .iter()
            .chain(HOUSEHOLD_INPUTS)
            .chain(PERSON_BUILTINS)
            .any(|(n, _)| *n == id)
            || id == "members"
            || id == "household";
        // A variable may share its name with a parameter group (`dibao` and `dibao.standard.*`):
        // a bare name is the variable, a dotted one the parameter.
        if clash || c.params.contains(id) {
            c.errors.push(PackError {
                at: at.clone(),
                message: format!("名称 {id} 已被输入列、内置值或参数占用 / the name is taken"),
            });
        } else if c.names.insert(id, item).is_some() {
            c.errors.push(PackError {
                at: at.clone(),
                message: format!("名称 {id} 定义了两次 / defined twice"),
            });
        }
    }
    let mut graph: HashMap<Item, Vec<Item>> = HashMap::new();
    // What each item's value needs, leaving out programs' amounts.
    let mut for_value: HashMap<Item, Vec<Item>> = HashMap::new();
    for (i, v) in pack.variables.iter().enumerate() {
        let t = c.formula(&v.formula, v.entity);
        if let Some(t) = t
            && !t.same_kind(v.ty.into())
        {
            c.err(
                &v.formula,
                v.formula.expr.span,
                format!(
                    "变量 {} 声明为 {}，公式的值却是 {}",
                    v.id,
                    Ty::from(v.ty).name(),
                    t.name()
                ),
            );
        }
        let deps = std::mem::take(&mut c.deps);
        for_value.insert(Item::Variable(i), deps.clone());
        graph.insert(Item::Variable(i), deps);
    }
    for (i, p) in pack.programs.iter().enumerate() {
        if let Some(t) = c.formula(&p.eligible, p.entity)
            && t != Ty::Bool
        {
            c.err(
                &p.eligible,
                p.eligible.expr.span,
                format!("{} 的 eligible 应为真假值，实为 {}", p.id, t.name()),
            );
        }
        for_value.insert(Item::Program(i), c.deps.clone());
        if let Some(a) = &p.amount
            && let Some(t) = c.formula(a, p.entity)
            && t != Ty::Number
        {
            c.err(
                a,
                a.expr.span,
                format!("{} 的 amount 应为金额，实为 {}", p.id, t.name()),
            );
        }
        graph.insert(Item::Program(i), std::mem::take(&mut c.deps));
    }
    if !c.errors.is_empty() {
        return Err(c.errors);
    }
    let order = order(pack, &graph)?;
    let for_amounts = only_for_amounts(&c.names, &order, &for_value);
    Ok(Checked { order, for_amounts })
}

/// The variables of `order` that no program's eligibility and not the medical chain's
/// category reads, directly or through other items (`for_value`: each item's reads,
/// amounts left out).
fn only_for_amounts(
    names: &HashMap<&str, Item>,
    order: &[Item],
    for_value: &HashMap<Item, Vec<Item>>,
) -> Vec<Item> {
    let mut needed: BTreeSet<Item> = BTreeSet::new();
    let mut todo: Vec<Item> = order
        .iter()
        .copied()
        .filter(|i| matches!(i, Item::Program(_)))
        .chain(names.get(MEDICAL_CATEGORY).copied())
        .collect();
    while let Some(i) = todo.pop() {
        if needed.insert(i) {
            todo.extend(for_value.get(&i).into_iter().flatten().copied());
        }
    }
    order
        .iter()
        .copied()
        .filter(|i| !needed.contains(i))
        .collect()
}

/// Depth-first topological order; a cycle is reported with its members, at the first
/// member's declaration or at a reform's replaced formula among them.
fn order(pack: &Pack, graph: &HashMap<Item, Vec<Item>>) -> Result<Vec<Item>, Vec<PackError>> {
    #[derive(Clone, Copy, PartialEq)]
    enum Mark {
        New,
        Open,
        Done,
    }
    let name = |i: Item| match i {
        Item::Variable(k) => (pack.variables[k].id.clone(), pack.variables[k].at.clone()),
        Item::Program(k) => (pack.programs[k].id.clone(), pack.programs[k].at.clone()),
    };
    let mut keys: Vec<Item> = graph.keys().copied().collect();
    keys.sort();
    let mut mark: HashMap<Item, Mark> = keys.iter().map(|&k| (k, Mark::New)).collect();
    let mut out = Vec::with_capacity(keys.len());
    let mut stack: Vec<Item> = Vec::new();
    fn visit(
        i: Item,
        graph: &HashMap<Item, Vec<Item>>,
        mark: &mut HashMap<Item, Mark>,
        stack: &mut Vec<Item>,
        out: &mut Vec<Item>,
    ) -> Result<(), Vec<Item>> {
        match mark.get(&i).copied().unwrap_or(Mark::Done) {
            Mark::Done => return Ok(()),
            Mark::Open => {
                let from = stack.iter().position(|&s| s == i).unwrap_or(0);
                return Err(stack[from..].to_vec());
            }
            Mark::New => {}
        }
        mark.insert(i, Mark::Open);
        stack.push(i);
        for &d in graph.get(&i).map(Vec::as_slice).unwrap_or(&[]) {
            visit(d, graph, mark, stack, out)?;
        }
        stack.pop();
        mark.insert(i, Mark::Done);
        out.push(i);
        Ok(())
    }
    for k in keys {
        if let Err(cycle) = visit(k, graph, &mut mark, &mut stack, &mut out) {
            let names: Vec<String> = cycle.iter().map(|&i| name(i).0).collect();
            // A formula written in another file than its declaration was replaced by a
            // reform: the cycle is that reform's doing, so it is reported there.
            let at = cycle
                .iter()
                .find_map(|&i| replaced_formula(pack, i))
                .unwrap_or_else(|| name(cycle[0]).1);
            return Err(vec![PackError {
                at,
                message: format!(
                    "变量相互依赖，无法计算：{} → {} / a cycle",
                    names.join(" → "),
                    names[0]
                ),
            }]);
        }
    }
    Ok(out)
}

/// Where an item's formula starts, when it lives in another file than the item (a
/// reform's replacement).
fn replaced_formula(pack: &Pack, i: Item) -> Option<Location> {
    let (at, formulas): (&Location, Vec<&Formula>) = match i {
        Item::Variable(k) => (&pack.variables[k].at, vec![&pack.variables[k].formula]),
        Item::Program(k) => {
            let p = &pack.programs[k];
            (
                &p.at,
                std::iter::once(&p.eligible).chain(&p.amount).collect(),
            )
        }
    };
    formulas
        .into_iter()
        .find(|f| f.at.file != at.file)
        .map(|f| f.at.clone())
}

pub(crate) fn entity_name(e: Entity) -> &'static str {
    match e {
        Entity::Person => "人员",
        Entity::Household => "家庭",
    }
}

pub mod coverage;
mod expr;
#[cfg(test)]
mod tests;
