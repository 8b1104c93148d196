//! Reforms: what `minsheng simulate` compares with the pack. A reform file changes
//! parameter values and may replace the formula of an existing variable or of a program's
//! eligibility or amount:
//!
//! ```toml
//! # Parameter tables, as in parameters.toml: their values go on top of the pack's.
//! [dibao.standard.urban]
//! label = "城市低保标准"
//! values = [{ since = "2024-07-01", region = "5107", value = 650 }]
//!
//! # A replaced formula, with the reason for it (and optionally a new label).
//! [[replace]]
//! variable = "hh_income"
//! label = "家庭月收入（工资性收入按 70% 计入）"
//! reason = "就业激励：工资性收入扣除必要就业成本后按 70% 计入"
//! formula = "sum(members, max(0, round(0.7 * (wage_income - employment_cost), 0.01) + business_income + property_income + transfer_income), where: not tekun)"
//!
//! [[replace]]
//! program = "dibao"
//! part = "amount"              # eligible | amount
//! reason = "…"
//! formula = "…"
//! ```
//!
//! A reform may only change what the pack has: an unknown parameter, variable or program,
//! a program part the program does not have, two replacements of one formula, or a formula
//! that does not parse is reported at its place in the reform file. The reformed pack
//! ([`Pack::with_reform`]) must then pass [`crate::check::check`] again — a replaced
//! formula is checked for names and types where it is written, and a reform can introduce
//! a cycle — and it evaluates in its own checked order.

use crate::pack::{Formula, Pack, check_keys, field, formula, read};
use crate::params::{Location, PackError, Parameters, location, parse_toml};
use std::path::Path;
use toml_edit::{Item, Table};

/// The reform file's key holding replaced formulas.
pub const REPLACE: &str = "replace";

/// Which formula a replacement is for.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Target {
    /// A derived variable's formula.
    Variable(String),
    /// A program's `eligible` formula.
    Eligible(String),
    /// A program's `amount` formula.
    Amount(String),
}

impl Target {
    /// How the target reads in messages: `hh_income`, `program.dibao.amount`.
    pub fn describe(&self) -> String {
        match self {
            Target::Variable(id) => format!("变量 {id}"),
            Target::Eligible(id) => format!("项目 {id} 的 eligible"),
            Target::Amount(id) => format!("项目 {id} 的 amount"),
        }
    }
}

/// One `[[replace]]` entry.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Replacement {
    pub target: Target,
    /// Where the target's name is written.
    pub target_at: Location,
    pub formula: Formula,
    /// A new label for the variable or program, if given.
    pub label: Option<String>,
    /// Why the formula changes (Chinese), for readers of the reform.
    pub reason: String,
    /// The `[[replace]]` header.
    pub at: Location,
}

/// A reform file, read and its formulas parsed.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Reform {
    /// Parameter values that go on top of the pack's.
    pub parameters: Parameters,
    pub replacements: Vec<Replacement>,
}

impl Reform {
    /// Reads the reform file at `path`.
    pub fn load(path: &Path) -> Result<Reform, Vec<PackError>> {
        let text = read(path)?;
        Reform::parse(&path.display().to_string(), &text)
    }

    /// Reads a reform from `text`, named `file` in messages. Every problem is reported.
    pub fn parse(file: &str, text: &str) -> Result<Reform, Vec<PackError>> {
        let doc = parse_toml(file, text)?;
        let mut tables = doc.as_table().clone();
        let replace = tables.remove(REPLACE);
        let mut errors = Vec::new();
        let parameters = Parameters::from_table(file, text, &tables).unwrap_or_else(|mut e| {
            errors.append(&mut e);
            Parameters::default()
        });
        let mut replacements = Vec::new();
        match &replace {
            None => {}
            Some(Item::ArrayOfTables(entries)) => {
                for t in entries.iter() {
                    match replacement(t, file, text) {
                        Ok(r) => replacements.push(r),
                        Err(mut e) => errors.append(&mut e),
                    }
                }
            }
            Some(other) => errors.push(PackError {
                at: location(file, text, other.span().map_or(0, |s| s.start)),
                message: format!(
                    "{REPLACE} 应写成一个或多个 [[{REPLACE}]] 表 / write each replacement as a [[{REPLACE}]] table"
                ),
            }),
        }
        if errors.is_empty() && parameters.is_empty() && replacements.is_empty() {
            errors.push(PackError {
                at: location(file, text, 0),
                message:
                    "改革方案没有任何改动：应有参数表或 [[replace]] / the reform changes nothing"
                        .into(),
            });
        }
        if errors.is_empty() {
            Ok(Reform {
                parameters,
                replacements,
            })
        } else {
            Err(errors)
        }
    }
}

/// Reads one `[[replace]]` table.
fn replacement(t: &Table, file: &str, text: &str) -> Result<Replacement, Vec<PackError>> {
    let at = |offset: usize| location(file, text, offset);
    let here = t.span().map_or(0, |s| s.start);
    let owner = format!("[[{REPLACE}]]");
    let mut errors = Vec::new();
    check_keys(
        t,
        &["variable", "program", "part", "formula", "label", "reason"],
        &owner,
        &mut errors,
        &at,
    );
    let target = match (t.contains_key("variable"), t.contains_key("program")) {
        (true, false) => {
            if let Some(item) = t.get("part") {
                errors.push(PackError {
                    at: at(item.span().map_or(here, |s| s.start)),
                    message: "part 只用于项目（program = …）；变量只有一个公式 / `part` is for programs only".into(),
                });
            }
            field(t, "variable", &owner, &mut errors, &at)
                .map(|(id, o)| (Target::Variable(id.to_owned()), o))
        }
        (false, true) => {
            let id = field(t, "program", &owner, &mut errors, &at);
            let part = field(t, "part", &owner, &mut errors, &at);
            match (id, part) {
                (Some((id, o)), Some(("eligible", _))) => Some((Target::Eligible(id.into()), o)),
                (Some((id, o)), Some(("amount", _))) => Some((Target::Amount(id.into()), o)),
                (_, Some((part, po))) => {
                    errors.push(PackError {
                        at: at(po),
                        message: format!("part 应为 eligible 或 amount，实为 {part:?}"),
                    });
                    None
                }
                _ => None,
            }
        }
        _ => {
            errors.push(PackError {
                at: at(here),
                message: format!(
                    "{owner} 应写 variable = \"变量名\" 或 program = \"项目名\"（二者之一）/ name exactly one variable or program"
                ),
            });
            None
        }
    };
    let label = t
        .get("label")
        .and_then(|_| field(t, "label", &owner, &mut errors, &at))
        .map(|(s, _)| s.to_owned());
    let reason = field(t, "reason", &owner, &mut errors, &at).map(|(s, o)| {
        if s.trim().is_empty() {
            errors.push(PackError {
                at: at(o),
                message: "reason 不能为空：请说明替换的理由 / give the reason".into(),
            });
        }
        s.to_owned()
    });
    let f = field(t, "formula", &owner, &mut errors, &at)
        .and_then(|(s, o)| formula(s, o, file, text).map_err(|e| errors.push(e)).ok());
    match (target, f, reason) {
        (Some((target, o)), Some(formula), Some(reason)) if errors.is_empty() => Ok(Replacement {
            target,
            target_at: at(o),
            formula,
            label,
            reason,
            at: at(here),
        }),
        _ => Err(errors),
    }
}

impl Pack {
    /// The pack with `reform` applied: its parameter values on top, its formulas (and
    /// labels) in place of the pack's. The result is not yet checked: run
    /// [`crate::check::check`] on it and evaluate it in its own order.
    pub fn with_reform(&self, reform: &Reform) -> Result<Pack, Vec<PackError>> {
        let mut pack = self.clone();
        let mut errors = Vec::new();
        if let Err(mut e) = pack.parameters.merge(reform.parameters.clone(), true) {
            errors.append(&mut e);
        }
        let mut done: Vec<(&Target, &Location)> = Vec::new();
        for r in &reform.replacements {
            if let Some((_, first)) = done.iter().find(|(t, _)| **t == r.target) {
                errors.push(PackError {
                    at: r.at.clone(),
                    message: format!(
                        "{} 已在 {first} 替换过 / replaced twice",
                        r.target.describe()
                    ),
                });
                continue;
            }
            done.push((&r.target, &r.at));
            if let Err(message) = pack.replace(r) {
                errors.push(PackError {
                    at: r.target_at.clone(),
                    message,
                });
            }
        }
        if errors.is_empty() {
            Ok(pack)
        } else {
            Err(errors)
        }
    }

    /// Puts one replacement in place, or says why its target does not exist.
    fn replace(&mut self, r: &Replacement) -> Result<(), String> {
        let label = match &r.target {
            Target::Variable(id) => {
                let Some(v) = self.variables.iter_mut().find(|v| v.id == *id) else {
                    let known: Vec<&str> = self.variables.iter().map(|v| v.id.as_str()).collect();
                    return Err(format!(
                        "政策包中没有变量 {id}，可替换的变量：{} / unknown variable",
                        known.join("、")
                    ));
                };
                v.formula = r.formula.clone();
                &mut v.label
            }
            Target::Eligible(id) | Target::Amount(id) => {
                let Some(p) = self.programs.iter_mut().find(|p| p.id == *id) else {
                    let known: Vec<&str> = self.programs.iter().map(|p| p.id.as_str()).collect();
                    return Err(format!(
                        "政策包中没有项目 {id}，可替换的项目：{} / unknown program",
                        known.join("、")
                    ));
                };
                if matches!(r.target, Target::Eligible(_)) {
                    p.eligible = r.formula.clone();
                } else if p.amount.is_some() {
                    p.amount = Some(r.formula.clone());
                } else {
                    return Err(format!(
                        "项目 {id} 只认定身份，没有 amount 公式可替换 / the program has no amount"
                    ));
                }
                &mut p.label
            }
        };
        if let Some(l) = &r.label {
            l.clone_into(label);
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests;
