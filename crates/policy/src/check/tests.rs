//! Tests of the load-time checks.

use super::*;
use crate::params::Parameters;
use std::path::Path;

fn pack_with(vars: &str) -> Pack {
    let params = "[dibao.standard.urban]\nlabel = \"x\"\nvalues = [{ value = 610 }]\n[dibao.standard.rural]\nlabel = \"x\"\nvalues = [{ value = 410 }]\n";
    let mut pack = Pack {
        parameters: Parameters::parse("p.toml", params).unwrap(),
        ..Pack::default()
    };
    pack.add_variables("v.toml", vars).unwrap();
    pack
}

fn errors(vars: &str) -> Vec<String> {
    check(&pack_with(vars))
        .unwrap_err()
        .iter()
        .map(|e| format!("{} {}", e.at, e.message))
        .collect()
}

fn var(id: &str, entity: &str, ty: &str, formula: &str) -> String {
    format!(
        "[{id}]\nentity = \"{entity}\"\ntype = \"{ty}\"\nlabel = \"x\"\nformula = \"{formula}\"\n"
    )
}

#[test]
fn the_shipped_pack_checks_and_orders_dependencies_first() {
    let dir = Path::new(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../policies/mianyang"
    ));
    let pack = Pack::load(dir).unwrap();
    let checked = check(&pack).unwrap_or_else(|e| panic!("{e:#?}"));
    let name = |i: &Item| match *i {
        Item::Variable(k) => pack.variables[k].id.clone(),
        Item::Program(k) => pack.programs[k].id.clone(),
    };
    let order: Vec<String> = checked.order.iter().map(name).collect();
    assert_eq!(order.len(), pack.variables.len() + pack.programs.len());
    let pos = |id: &str| order.iter().position(|o| o == id).unwrap();
    for (before, after) in [
        ("counted_income", "tekun"),
        ("tekun", "size"),
        ("size", "dibao"),
        ("dibao", "dibao_edge"),
        ("dibao_single", "medical_category"),
        ("medical_category", "medical_burden"),
        ("medical_burden", "expenditure_hardship"),
        ("dibao", "disability_living"),
    ] {
        assert!(
            pos(before) < pos(after),
            "{before} must come before {after}: {order:?}"
        );
    }
    // Only the amounts of dibao and dibao_single read the increment.
    let for_amounts: Vec<String> = checked.for_amounts.iter().map(name).collect();
    assert_eq!(for_amounts, ["increment"]);
}

#[test]
fn variables_only_amounts_read_are_found_through_each_other() {
    let mut pack = pack_with(
        &[
            var("base", "household", "money", "10"),
            var("bonus", "household", "money", "base * 2"),
            var("extra", "household", "money", "bonus + 1"),
            var("gate", "household", "bool", "base > 5"),
        ]
        .concat(),
    );
    pack.add_variables(
        "p.toml",
        "[program.help]\nentity = \"household\"\nlabel = \"x\"\neligible = \"gate\"\namount = \"extra\"\n",
    )
    .unwrap();
    let checked = check(&pack).unwrap();
    let ids: Vec<&str> = checked
        .for_amounts
        .iter()
        .map(|i| match *i {
            Item::Variable(k) => pack.variables[k].id.as_str(),
            Item::Program(k) => pack.programs[k].id.as_str(),
        })
        .collect();
    // `base` is read by `gate` too: it is needed for eligibility.
    assert_eq!(ids, ["bonus", "extra"]);
}

#[test]
fn unknown_names_point_at_the_name() {
    let e = errors(&var("x", "person", "money", "wage_income + wages"));
    assert_eq!(e.len(), 1, "{e:?}");
    assert!(e[0].starts_with("v.toml:5:26 未知的名称 wages"), "{e:?}");
}

#[test]
fn household_values_need_household_dot_in_person_formulas() {
    let vars = var("standard", "household", "money", "dibao.standard[area]")
        + &var("x", "person", "money", "standard * 2");
    let e = errors(&vars);
    assert!(e[0].contains("人员公式中请写 household.standard"), "{e:?}");
    let ok = var("standard", "household", "money", "dibao.standard[area]")
        + &var("x", "person", "money", "household.standard * 2");
    assert!(check(&pack_with(&ok)).is_ok());
}

#[test]
fn codes_are_checked_against_their_vocabulary() {
    let e = errors(&var("x", "person", "bool", "illness == 'cancer'"));
    assert!(
        e[0].contains("\"cancer\" 不是可用的代码") && e[0].contains("severe"),
        "{e:?}"
    );
    let e = errors(&var(
        "x",
        "person",
        "bool",
        "employment in ['employed', 'working']",
    ));
    assert!(e[0].contains("working"), "{e:?}");
    assert!(
        check(&pack_with(&var(
            "x",
            "person",
            "bool",
            "'severe' == illness"
        )))
        .is_ok()
    );
}

#[test]
fn indexed_parameters_must_exist_for_every_code() {
    let e = errors(&var("x", "person", "money", "dibao.standard[self_care]"));
    assert!(e[0].contains("dibao.standard.full"), "{e:?}");
    let e = errors(&var("x", "household", "money", "dibao.standard"));
    assert!(e[0].contains("是一组参数"), "{e:?}");
}

#[test]
fn types_and_functions_are_checked() {
    assert!(errors(&var("x", "person", "money", "age >= 60"))[0].contains("声明为 数值"));
    assert!(errors(&var("x", "person", "bool", "orphan + 1"))[0].contains("+ 需要数值"));
    assert!(errors(&var("x", "person", "money", "median(1, 2)"))[0].contains("未知的函数 median"));
    assert!(errors(&var("x", "person", "money", "round(age, age)"))[0].contains("正数常量"));
    assert!(errors(&var("x", "person", "money", "sum(members, age)"))[0].contains("家庭公式"));
    assert!(errors(&var("x", "household", "money", "members"))[0].contains("汇总函数"));
    let ok = var(
        "x",
        "household",
        "number",
        "count(members, where: age >= 60 and not orphan) + sum(members, age)",
    );
    assert!(check(&pack_with(&ok)).is_ok());
}

#[test]
fn cycles_are_named() {
    let vars = var("a", "person", "money", "b + 1") + &var("b", "person", "money", "a * 2");
    let e = errors(&vars);
    assert_eq!(e.len(), 1);
    assert!(e[0].contains("a → b → a"), "{e:?}");
}
