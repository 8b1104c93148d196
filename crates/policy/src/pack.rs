//! A policy pack on disk: `parameters.toml` plus `variables/*.toml`, read into parameters,
//! variables and programs with their formulas parsed. Every problem of every file is
//! collected and reported with file, line and column; a pack with any problem is refused.
//!
//! A variable file holds variables and programs:
//!
//! ```toml
//! [counted_income]
//! entity = "person"            # person | household
//! type = "money"               # money | number | bool | code
//! label = "计入收入"
//! formula = "max(0, wage_income + business_income + property_income + transfer_income - employment_cost)"
//!
//! [program.dibao]
//! entity = "household"
//! label = "最低生活保障"
//! eligible = "hh_income < dibao.standard[area] * size and assets_ok"
//! amount = "round(dibao.standard[area] * size - hh_income + sum(members, increment), 1)"
//! ```
//!
//! Name resolution, types and cycles are checked in the next phase.

use crate::params::{Location, PackError, Parameters, location, parse_toml};
use minsheng_policy_syntax::{Expr, parse};
use std::path::Path;
use toml_edit::{Item, Table};

/// What a variable or program is computed for.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Entity {
    Person,
    Household,
}

impl Entity {
    fn from_code(s: &str) -> Option<Entity> {
        match s {
            "person" => Some(Entity::Person),
            "household" => Some(Entity::Household),
            _ => None,
        }
    }
}

/// The declared type of a variable.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum DeclaredType {
    Money,
    Number,
    Bool,
    /// One of a closed set of codes (`'tekun'`, `'dibao'`, …).
    Code,
}

impl DeclaredType {
    fn from_code(s: &str) -> Option<DeclaredType> {
        match s {
            "money" => Some(DeclaredType::Money),
            "number" => Some(DeclaredType::Number),
            "bool" => Some(DeclaredType::Bool),
            "code" => Some(DeclaredType::Code),
            _ => None,
        }
    }
}

/// A formula with the text it came from and where that text starts in its file.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Formula {
    pub text: String,
    pub expr: Expr,
    pub at: Location,
}

/// A derived variable.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Variable {
    pub id: String,
    pub entity: Entity,
    pub ty: DeclaredType,
    pub label: String,
    pub formula: Formula,
    pub at: Location,
}

/// A program: who is eligible, and for how much a month.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Program {
    pub id: String,
    pub entity: Entity,
    pub label: String,
    pub eligible: Formula,
    /// `None` for programs that grant a status, not money (amount 0).
    pub amount: Option<Formula>,
    pub at: Location,
}

/// Everything a pack defines, parsed but not yet checked.
#[derive(Clone, Debug, Default)]
pub struct Pack {
    pub parameters: Parameters,
    pub variables: Vec<Variable>,
    pub programs: Vec<Program>,
}

impl Pack {
    /// Reads the pack in `dir`: `parameters.toml` and every `variables/*.toml` (in name order).
    pub fn load(dir: &Path) -> Result<Pack, Vec<PackError>> {
        let params_path = dir.join("parameters.toml");
        let text = read(&params_path)?;
        let mut errors = Vec::new();
        let parameters = Parameters::parse(&params_path.display().to_string(), &text)
            .unwrap_or_else(|mut e| {
                errors.append(&mut e);
                Parameters::default()
            });
        let mut pack = Pack {
            parameters,
            ..Pack::default()
        };
        let var_dir = dir.join("variables");
        let mut files: Vec<_> = match std::fs::read_dir(&var_dir) {
            Ok(rd) => rd
                .filter_map(Result::ok)
                .map(|e| e.path())
                .filter(|p| p.extension().is_some_and(|x| x == "toml"))
                .collect(),
            Err(_) => Vec::new(),
        };
        files.sort();
        for f in files {
            let text = read(&f)?;
            if let Err(mut e) = pack.add_variables(&f.display().to_string(), &text) {
                errors.append(&mut e);
            }
        }
        if errors.is_empty() {
            Ok(pack)
        } else {
            Err(errors)
        }
    }

    /// Adds the variables and programs of one file.
    pub fn add_variables(&mut self, file: &str, text: &str) -> Result<(), Vec<PackError>> {
        let at = |offset: usize| location(file, text, offset);
        let doc = parse_toml(file, text)?;
        let mut errors = Vec::new();
        for (key, item) in doc.as_table().iter() {
            let here = item.span().map_or(0, |s| s.start);
            match (key, item) {
                ("program", Item::Table(programs)) => {
                    for (id, item) in programs.iter() {
                        match item.as_table() {
                            Some(t) => match program(id, t, file, text) {
                                Ok(p) => self.programs.push(p),
                                Err(mut e) => errors.append(&mut e),
                            },
                            None => errors.push(PackError {
                                at: at(here),
                                message: format!("program.{id} 应为表 / must be a table"),
                            }),
                        }
                    }
                }
                (id, Item::Table(t)) => match variable(id, t, file, text) {
                    Ok(v) => self.variables.push(v),
                    Err(mut e) => errors.append(&mut e),
                },
                (id, _) => errors.push(PackError {
                    at: at(here),
                    message: format!("{id} 应为变量表 [{id}] / expected a variable table"),
                }),
            }
        }
        if errors.is_empty() {
            Ok(())
        } else {
            Err(errors)
        }
    }
}

/// Reads a policy file, or says which one could not be read.
pub(crate) fn read(p: &Path) -> Result<String, Vec<PackError>> {
    std::fs::read_to_string(p).map_err(|e| {
        vec![PackError {
            at: Location {
                file: p.display().to_string(),
                line: 0,
                column: 0,
            },
            message: format!("无法读取：{e} / cannot read"),
        }]
    })
}

/// Reads one string field of a table, with its location; records a problem if missing.
pub(crate) fn field<'t>(
    t: &'t Table,
    key: &str,
    owner: &str,
    errors: &mut Vec<PackError>,
    at: &dyn Fn(usize) -> Location,
) -> Option<(&'t str, usize)> {
    match t.get(key) {
        Some(item) => match item.as_str() {
            Some(s) => Some((s, item.span().map_or(0, |r| r.start))),
            None => {
                errors.push(PackError {
                    at: at(item.span().map_or(0, |r| r.start)),
                    message: format!("{owner} 的 {key} 应为字符串 / `{key}` must be a string"),
                });
                None
            }
        },
        None => {
            errors.push(PackError {
                at: at(t.span().map_or(0, |r| r.start)),
                message: format!("{owner} 缺少 {key} / `{key}` is missing"),
            });
            None
        }
    }
}

/// Reads field `key` as one of a closed set of codes (`from_code`), naming the set
/// (`expected`) when the value is not in it.
fn code_field<T>(
    t: &Table,
    key: &str,
    owner: &str,
    from_code: fn(&str) -> Option<T>,
    expected: &str,
    errors: &mut Vec<PackError>,
    at: &dyn Fn(usize) -> Location,
) -> Option<T> {
    let (s, o) = field(t, key, owner, errors, at)?;
    let v = from_code(s);
    if v.is_none() {
        errors.push(PackError {
            at: at(o),
            message: format!("{key} 应为 {expected}，实为 {s:?}"),
        });
    }
    v
}

/// Parses a formula found at `offset` (the start of its TOML string) in `text`.
pub(crate) fn formula(
    src: &str,
    offset: usize,
    file: &str,
    text: &str,
) -> Result<Formula, PackError> {
    // Where the formula's first character is: after the opening quotes, and after the
    // newline that TOML drops right after `"""` or `'''`.
    let raw = &text[offset.min(text.len())..];
    let open = if raw.starts_with("\"\"\"") || raw.starts_with("'''") {
        3
    } else {
        1
    };
    let mut start = offset + open;
    if open == 3 && text[start.min(text.len())..].starts_with('\n') {
        start += 1;
    } else if open == 3 && text[start.min(text.len())..].starts_with("\r\n") {
        start += 2;
    }
    match parse(src) {
        Ok(expr) => Ok(Formula {
            text: src.to_owned(),
            expr,
            at: location(file, text, start),
        }),
        Err(d) => Err(PackError {
            at: location(file, text, start + d.span.start),
            message: d.message,
        }),
    }
}

fn variable(id: &str, t: &Table, file: &str, text: &str) -> Result<Variable, Vec<PackError>> {
    let at = |offset: usize| location(file, text, offset);
    let mut errors = Vec::new();
    let here = at(t.span().map_or(0, |s| s.start));
    check_keys(
        t,
        &["entity", "type", "label", "formula"],
        id,
        &mut errors,
        &at,
    );
    let entity = code_field(
        t,
        "entity",
        id,
        Entity::from_code,
        "person 或 household",
        &mut errors,
        &at,
    );
    let ty = code_field(
        t,
        "type",
        id,
        DeclaredType::from_code,
        "money、number、bool 或 code",
        &mut errors,
        &at,
    );
    let label = field(t, "label", id, &mut errors, &at).map(|(s, _)| s.to_owned());
    let f = field(t, "formula", id, &mut errors, &at)
        .and_then(|(s, o)| formula(s, o, file, text).map_err(|e| errors.push(e)).ok());
    match (entity, ty, label, f) {
        (Some(entity), Some(ty), Some(label), Some(formula)) if errors.is_empty() => Ok(Variable {
            id: id.to_owned(),
            entity,
            ty,
            label,
            formula,
            at: here,
        }),
        _ => Err(errors),
    }
}

fn program(id: &str, t: &Table, file: &str, text: &str) -> Result<Program, Vec<PackError>> {
    let at = |offset: usize| location(file, text, offset);
    let owner = format!("program.{id}");
    let mut errors = Vec::new();
    let here = at(t.span().map_or(0, |s| s.start));
    check_keys(
        t,
        &["entity", "label", "eligible", "amount"],
        &owner,
        &mut errors,
        &at,
    );
    let entity = code_field(
        t,
        "entity",
        &owner,
        Entity::from_code,
        "person 或 household",
        &mut errors,
        &at,
    );
    let label = field(t, "label", &owner, &mut errors, &at).map(|(s, _)| s.to_owned());
    let eligible = field(t, "eligible", &owner, &mut errors, &at)
        .and_then(|(s, o)| formula(s, o, file, text).map_err(|e| errors.push(e)).ok());
    let amount = match t.get("amount") {
        None => None,
        Some(_) => field(t, "amount", &owner, &mut errors, &at)
            .and_then(|(s, o)| formula(s, o, file, text).map_err(|e| errors.push(e)).ok()),
    };
    match (entity, label, eligible) {
        (Some(entity), Some(label), Some(eligible)) if errors.is_empty() => Ok(Program {
            id: id.to_owned(),
            entity,
            label,
            eligible,
            amount,
            at: here,
        }),
        _ => Err(errors),
    }
}

pub(crate) fn check_keys(
    t: &Table,
    allowed: &[&str],
    owner: &str,
    errors: &mut Vec<PackError>,
    at: &dyn Fn(usize) -> Location,
) {
    for (key, item) in t.iter() {
        if !allowed.contains(&key) {
            errors.push(PackError {
                at: at(item.span().map_or(0, |s| s.start)),
                message: format!(
                    "{owner} 中的 {key} 无法识别，可用：{} / unknown key",
                    allowed.join("、")
                ),
            });
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const VARS: &str = r#"
[counted_income]
entity = "person"
type = "money"
label = "计入收入"
formula = "max(0, wage_income + business_income - employment_cost)"

[program.dibao]
entity = "household"
label = "最低生活保障"
eligible = """
hh_income < dibao.standard[area] * size
  and assets_ok"""
amount = "round(dibao.standard[area] * size - hh_income, 1)"

[program.dibao_edge]
entity = "household"
label = "低保边缘家庭"
eligible = "not dibao and hh_income < 1.5 * dibao.standard[area] * size"
"#;

    #[test]
    fn variables_and_programs_are_read_with_their_formulas() {
        let mut pack = Pack::default();
        pack.add_variables("v.toml", VARS).unwrap();
        assert_eq!(pack.variables.len(), 1);
        let v = &pack.variables[0];
        assert_eq!(
            (v.id.as_str(), v.entity, v.ty, v.label.as_str()),
            (
                "counted_income",
                Entity::Person,
                DeclaredType::Money,
                "计入收入"
            )
        );
        assert_eq!(v.formula.at.to_string(), "v.toml:6:12");
        let ids: Vec<&str> = pack.programs.iter().map(|p| p.id.as_str()).collect();
        assert_eq!(ids, ["dibao", "dibao_edge"]);
        // A multi-line formula starts on the line after `"""`.
        assert_eq!(pack.programs[0].eligible.at.to_string(), "v.toml:12:1");
        assert!(pack.programs[1].amount.is_none());
    }

    #[test]
    fn a_formula_error_points_into_the_file() {
        let text = "[x]\nentity = \"person\"\ntype = \"money\"\nlabel = \"x\"\nformula = \"\"\"\nwage_income +\n  (1 * \"\"\"\n";
        let errs = Pack::default().add_variables("bad.toml", text).unwrap_err();
        assert_eq!(errs.len(), 1, "{errs:?}");
        // The formula ends inside the open parenthesis on line 7.
        assert_eq!(errs[0].at.line, 7, "{errs:?}");
    }

    #[test]
    fn every_field_problem_is_reported() {
        let text =
            "[x]\nentity = \"family\"\ntype = \"float\"\nformula = \"1\"\ncolour = \"red\"\n";
        let errs = Pack::default().add_variables("bad.toml", text).unwrap_err();
        let msgs: Vec<String> = errs
            .iter()
            .map(|e| format!("{} {}", e.at, e.message))
            .collect();
        assert_eq!(errs.len(), 4, "{msgs:#?}");
        assert!(msgs.iter().any(|m| m.contains("colour")));
        assert!(msgs.iter().any(|m| m.contains("label")));
        assert!(
            msgs.iter()
                .any(|m| m.starts_with("bad.toml:2:10") && m.contains("person 或 household"))
        );
        assert!(
            msgs.iter()
                .any(|m| m.starts_with("bad.toml:3:8") && m.contains("money"))
        );
    }

    #[test]
    fn the_shipped_pack_loads() {
        let dir = Path::new(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/../../policies/mianyang"
        ));
        let pack = Pack::load(dir).unwrap_or_else(|e| panic!("{e:#?}"));
        assert_eq!(pack.parameters.len(), 43);
        let mut programs: Vec<&str> = pack.programs.iter().map(|p| p.id.as_str()).collect();
        programs.sort_unstable();
        assert_eq!(
            programs,
            [
                "dibao",
                "dibao_edge",
                "dibao_single",
                "disability_care",
                "disability_living",
                "elderly_allowance",
                "expenditure_hardship",
                "orphan_support",
                "tekun"
            ]
        );
        let amounts: Vec<&str> = pack
            .programs
            .iter()
            .filter(|p| p.amount.is_none())
            .map(|p| p.id.as_str())
            .collect();
        assert_eq!(
            amounts,
            ["dibao_edge", "expenditure_hardship"],
            "status programs have no amount"
        );
        let variables: Vec<&str> = pack.variables.iter().map(|v| v.id.as_str()).collect();
        assert_eq!(
            variables,
            [
                "standard",
                "employment_cost",
                "counted_income",
                "size_all",
                "assets_ok_all",
                "size",
                "hh_income",
                "assets_ok",
                "unable_to_work",
                "increment",
                "severe_condition",
                "medical_category",
                "medical_burden"
            ]
        );
    }
}
