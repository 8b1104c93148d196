//! Coverage: before a checked pack runs over data, every parameter it reads must have a
//! value for every region of the data in the evaluated month — otherwise the evaluation
//! would stop half-way on the first unit without one. A gap is reported once per
//! (parameter, county of the data) at the parameter's place in its policy file, with the
//! month, an example region code, why no value applies and what would fix it.
//!
//! What is read: the parameters named in formulas (`a.b.c`; `a.b[code]` reads every
//! `a.b.<code>` of the code's vocabulary, or every child of `a.b` when the vocabulary is
//! not known statically), and, when the pack defines `medical_category`, the medical
//! chain's parameters ([`crate::medical::PARAMETER_IDS`]; the district top-up's
//! `fucheng.self_pay_cap_rate` may lack a value). Formulas and the chain both resolve
//! their parameters at the evaluated month (the chain resolves the month's values for the
//! stays of each year it runs), so one month is checked.

use super::{HOUSEHOLD_INPUTS, MEDICAL_CATEGORY, PERSON_INPUTS, Ty, locate};
use crate::medical::PARAMETER_IDS;
use crate::pack::{Formula, Pack};
use crate::params::{Location, PackError, Parameter};
use minsheng_model::{Date, RegionCode, RegionLevel};
use minsheng_policy_syntax::{Expr, ExprKind, InSet};
use std::collections::{BTreeMap, BTreeSet};

/// Every parameter the pack's evaluation reads, with the first place that reads it (a
/// formula, or the `medical_category` variable for the chain's parameters). A chain
/// parameter the pack does not define is an error.
pub fn used_parameters(pack: &Pack) -> Result<BTreeMap<String, Location>, Vec<PackError>> {
    let mut used = BTreeMap::new();
    for v in &pack.variables {
        uses(pack, &v.formula, &v.formula.expr, &mut used);
    }
    for p in &pack.programs {
        for f in std::iter::once(&p.eligible).chain(&p.amount) {
            uses(pack, f, &f.expr, &mut used);
        }
    }
    let mut errors = Vec::new();
    if let Some(v) = pack.variables.iter().find(|v| v.id == MEDICAL_CATEGORY) {
        for id in PARAMETER_IDS {
            if pack.parameters.get(id).is_none() {
                errors.push(PackError {
                    at: v.at.clone(),
                    message: format!(
                        "医疗救助链（{MEDICAL_CATEGORY}）需要参数 {id}，政策包中没有定义 / the medical chain needs this parameter"
                    ),
                });
            }
            used.entry(id.to_owned()).or_insert_with(|| v.at.clone());
        }
    }
    if errors.is_empty() {
        Ok(used)
    } else {
        Err(errors)
    }
}

/// Checks that every parameter `pack` reads resolves for each of `regions` (the regions
/// of the households in the data) in the month starting `month`.
pub fn coverage(
    pack: &Pack,
    regions: impl IntoIterator<Item = RegionCode>,
    month: Date,
) -> Result<(), Vec<PackError>> {
    let regions: BTreeSet<RegionCode> = regions.into_iter().collect();
    let used = used_parameters(pack)?;
    // (parameter, county) → the data's region codes there without a value.
    let mut gaps: BTreeMap<(&str, RegionCode), Vec<RegionCode>> = BTreeMap::new();
    for id in used.keys() {
        for &r in &regions {
            if pack.parameters.resolve(id, month, r).is_none() {
                gaps.entry((id, r.ancestor_at(RegionLevel::County)))
                    .or_default()
                    .push(r);
            }
        }
    }
    let errors: Vec<PackError> = gaps
        .into_iter()
        .filter_map(|((id, county), codes)| {
            let p = pack.parameters.get(id)?;
            Some(PackError {
                at: p.at.clone(),
                message: gap_message(p, county, &codes, month, &used[id]),
            })
        })
        .collect();
    if errors.is_empty() {
        Ok(())
    } else {
        Err(errors)
    }
}

/// "parameter X has no value for county C in month M: why; what would fix it".
fn gap_message(
    p: &Parameter,
    county: RegionCode,
    codes: &[RegionCode],
    month: Date,
    used_at: &Location,
) -> String {
    let county = county.to_string()[..6].to_owned();
    let ym = month.format("%Y-%m");
    let texts: Vec<String> = codes.iter().map(RegionCode::to_string).collect();
    let covering: Vec<_> = p
        .values
        .iter()
        .filter(|v| texts.iter().any(|c| c.starts_with(&v.region)))
        .collect();
    let (why_cn, why_en) = match covering.iter().filter_map(|v| v.since).min() {
        Some(first) => (
            format!("适用于该区划的取值最早自 {first} 起生效"),
            format!("its values for the region start on {first}"),
        ),
        _ => {
            let mut scopes: Vec<&str> = p.values.iter().map(|v| v.region.as_str()).collect();
            scopes.sort_unstable();
            scopes.dedup();
            (
                format!("现有取值只适用于区划 {}", scopes.join("、")),
                format!("its values are for regions {} only", scopes.join(", ")),
            )
        }
    };
    format!(
        "参数 {id}（{label}）在区划 {county}（数据中 {n} 个区划代码，如 {example}）于 {ym} 没有取值：{why_cn}。\
         请添加 since 不晚于 {month}、region 为 {county}、{city} 或 {province}（或不写 region，全辖区适用）的取值（该参数用于 {used_at}）\
         / parameter {id} has no value for region {county} in {ym} ({why_en}): add a value with since ≤ {month} for {county} or a parent region",
        id = p.id,
        label = p.label,
        n = codes.len(),
        example = texts[0],
        city = &county[..4],
        province = &county[..2],
    )
}

/// The vocabulary of an index that names a code input (`area`, `household.area`).
fn vocabulary(index: &Expr) -> Option<&'static [&'static str]> {
    let ExprKind::Name(path) = &index.kind else {
        return None;
    };
    let n = match path.as_slice() {
        [n] => n,
        [h, n] if h == "household" => n,
        _ => return None,
    };
    PERSON_INPUTS
        .iter()
        .chain(HOUSEHOLD_INPUTS)
        .find(|(k, _)| k == n)
        .and_then(|(_, t)| match t {
            Ty::Code(v) => *v,
            _ => None,
        })
}

/// Records the parameters `e` (part of `f`) reads.
fn uses(pack: &Pack, f: &Formula, e: &Expr, used: &mut BTreeMap<String, Location>) {
    let add = |id: &str, used: &mut BTreeMap<String, Location>| {
        if !used.contains_key(id) {
            used.insert(id.to_owned(), locate(f, e.span));
        }
    };
    match &e.kind {
        ExprKind::Number { .. } | ExprKind::Str(_) | ExprKind::Bool(_) => {}
        ExprKind::Name(path) => {
            let id = path.join(".");
            if pack.parameters.get(&id).is_some() {
                add(&id, used);
            }
        }
        ExprKind::Index { base, index } => {
            if let ExprKind::Name(path) = &base.kind {
                let group = path.join(".");
                let vocab = vocabulary(index);
                for p in pack.parameters.iter() {
                    let child = p.id.strip_prefix(&group).and_then(|r| r.strip_prefix('.'));
                    if child.is_some_and(|c| vocab.map_or(!c.contains('.'), |v| v.contains(&c))) {
                        add(&p.id, used);
                    }
                }
            }
            uses(pack, f, index, used);
        }
        ExprKind::Unary { expr, .. } => uses(pack, f, expr, used),
        ExprKind::Binary { lhs, rhs, .. } => {
            uses(pack, f, lhs, used);
            uses(pack, f, rhs, used);
        }
        ExprKind::In { expr, set, .. } => {
            uses(pack, f, expr, used);
            match set {
                InSet::Range { lo, hi } => {
                    uses(pack, f, lo, used);
                    uses(pack, f, hi, used);
                }
                InSet::List(items) => items.iter().for_each(|i| uses(pack, f, i, used)),
            }
        }
        ExprKind::If {
            branches,
            otherwise,
        } => {
            for (c, t) in branches {
                uses(pack, f, c, used);
                uses(pack, f, t, used);
            }
            uses(pack, f, otherwise, used);
        }
        ExprKind::Call { args, named, .. } => {
            args.iter().for_each(|a| uses(pack, f, a, used));
            named.iter().for_each(|(_, _, a)| uses(pack, f, a, used));
        }
    }
}

#[cfg(test)]
mod tests;
