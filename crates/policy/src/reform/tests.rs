//! Tests of reform files: parameters and replaced formulas, and every way they can be wrong.

use super::*;
use crate::check::check;

fn shipped() -> Pack {
    let dir = Path::new(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../policies/mianyang"
    ));
    Pack::load(dir).unwrap()
}

/// The reformed shipped pack's problems, as "file:line:column message".
fn problems(text: &str) -> Vec<String> {
    let pack = shipped();
    let r = Reform::parse("r.toml", text).and_then(|r| pack.with_reform(&r));
    let e = match r {
        Ok(reformed) => check(&reformed).map(|_| ()).unwrap_err(),
        Err(e) => e,
    };
    e.iter()
        .map(|e| format!("{} {}", e.at, e.message))
        .collect()
}

const WAGES_70: &str = r#"# comment
[dibao.standard.urban]
label = "城市低保标准"
values = [{ since = "2024-07-01", region = "5107", value = 650 }]

[[replace]]
variable = "hh_income"
label = "家庭月收入（工资按 70% 计入）"
reason = "就业激励"
formula = "sum(members, round(0.7 * counted_income, 0.01), where: not tekun)"

[[replace]]
program = "dibao"
part = "eligible"
reason = "不再审查财产"
formula = """
size > 0
  and hh_income < standard * size"""
"#;

#[test]
fn a_reform_replaces_formulas_and_labels_and_puts_values_on_top() {
    let r = Reform::parse("r.toml", WAGES_70).unwrap();
    assert_eq!(r.parameters.len(), 1);
    let targets: Vec<&Target> = r.replacements.iter().map(|x| &x.target).collect();
    assert_eq!(
        targets,
        [
            &Target::Variable("hh_income".into()),
            &Target::Eligible("dibao".into())
        ]
    );
    assert_eq!(r.replacements[0].reason, "就业激励");
    assert_eq!(r.replacements[0].at.to_string(), "r.toml:6:1");
    assert_eq!(r.replacements[0].target_at.to_string(), "r.toml:7:12");
    let base = shipped();
    let pack = base.with_reform(&r).unwrap();
    let hh = pack.variables.iter().find(|v| v.id == "hh_income").unwrap();
    assert_eq!(hh.label, "家庭月收入（工资按 70% 计入）");
    assert_eq!(hh.formula.at.to_string(), "r.toml:10:12");
    assert!(hh.formula.text.starts_with("sum(members, round(0.7"));
    let dibao = pack.programs.iter().find(|p| p.id == "dibao").unwrap();
    // The multi-line formula starts on the line after `"""`; the label stays.
    assert_eq!(dibao.eligible.at.to_string(), "r.toml:17:1");
    assert_eq!(dibao.label, "最低生活保障");
    assert_eq!(
        dibao.amount.as_ref().unwrap().text,
        base.programs
            .iter()
            .find(|p| p.id == "dibao")
            .unwrap()
            .amount
            .as_ref()
            .unwrap()
            .text
    );
    let month = minsheng_model::date::parse_iso("2024-07-01").unwrap();
    let code = minsheng_model::RegionCode::parse("510703001003").unwrap();
    let v = pack
        .parameters
        .resolve("dibao.standard.urban", month, code)
        .unwrap();
    assert_eq!(v.value.to_string(), "650");
    // The reformed pack checks, in an order of its own with every item.
    let order = check(&pack).unwrap().order;
    assert_eq!(order.len(), pack.variables.len() + pack.programs.len());
    // The baseline is untouched.
    let base_hh = base.variables.iter().find(|v| v.id == "hh_income").unwrap();
    assert_eq!(base_hh.label, "家庭月收入");
}

#[test]
fn unknown_targets_are_named_in_the_reform_file() {
    let e = problems(
        "[[replace]]\nvariable = \"hh_incme\"\nreason = \"x\"\nformula = \"0\"\n\n[[replace]]\nprogram = \"dibaoo\"\npart = \"amount\"\nreason = \"x\"\nformula = \"0\"\n[[replace]]\nprogram = \"dibao_edge\"\npart = \"amount\"\nreason = \"x\"\nformula = \"0\"\n",
    );
    assert_eq!(e.len(), 3, "{e:#?}");
    assert!(
        e[0].starts_with("r.toml:2:12 政策包中没有变量 hh_incme，可替换的变量：standard、"),
        "{e:#?}"
    );
    assert!(
        e[1].starts_with("r.toml:7:11 政策包中没有项目 dibaoo，可替换的项目：tekun、"),
        "{e:#?}"
    );
    assert_eq!(
        e[2],
        "r.toml:12:11 项目 dibao_edge 只认定身份，没有 amount 公式可替换 / the program has no amount"
    );
    let e = problems("[nope.param]\nlabel = \"x\"\nvalues = [{ value = 1 }]\n");
    assert!(
        e[0].starts_with("r.toml:1:1 改革方案中的参数 nope.param 在政策包中不存在"),
        "{e:#?}"
    );
}

#[test]
fn a_bad_formula_is_reported_at_its_line_and_column() {
    // A syntax error: the formula ends inside the parenthesis opened on line 5.
    let e = problems(
        "# 改革\n[[replace]]\nvariable = \"hh_income\"\nreason = \"x\"\nformula = \"\"\"\nsum(members,\n  (counted_income * \"\"\"\n",
    );
    assert_eq!(e.len(), 1, "{e:#?}");
    assert!(e[0].starts_with("r.toml:7:"), "{e:#?}");
    // An unknown name, at its column on the formula's line.
    let e = problems(
        "[[replace]]\nvariable = \"hh_income\"\nreason = \"x\"\nformula = \"sum(members, counted_incom)\"\n",
    );
    assert_eq!(e.len(), 1, "{e:#?}");
    assert!(
        e[0].starts_with("r.toml:4:25 未知的名称 counted_incom"),
        "{e:#?}"
    );
    // A type error: the variable is declared money.
    let e =
        problems("[[replace]]\nvariable = \"hh_income\"\nreason = \"x\"\nformula = \"size > 1\"\n");
    assert_eq!(
        e,
        ["r.toml:4:12 变量 hh_income 声明为 数值 number，公式的值却是 真假值 bool"]
    );
}

#[test]
fn a_cycle_made_by_a_reform_is_reported_at_the_replacement() {
    let e = problems(
        "[[replace]]\nvariable = \"counted_income\"\nreason = \"按户均收入\"\nformula = \"household.hh_income / household.size\"\n",
    );
    assert_eq!(e.len(), 1, "{e:#?}");
    assert!(
        e[0].starts_with("r.toml:4:12 变量相互依赖，无法计算："),
        "{e:#?}"
    );
    assert!(
        e[0].contains("counted_income") && e[0].contains("hh_income"),
        "{e:#?}"
    );
}

#[test]
fn every_field_problem_of_a_replacement_is_reported() {
    let e = Reform::parse(
        "r.toml",
        "[[replace]]\nvariable = \"a\"\nprogram = \"b\"\nformula = \"1\"\nreason = \"x\"\n[[replace]]\nprogram = \"dibao\"\npart = \"amonut\"\nformula = \"1\"\nreason = \"x\"\n[[replace]]\nvariable = \"size\"\npart = \"amount\"\nformula = \"1\"\ncolour = 1\n",
    )
    .unwrap_err();
    let e: Vec<String> = e
        .iter()
        .map(|e| format!("{} {}", e.at, e.message))
        .collect();
    assert_eq!(e.len(), 5, "{e:#?}");
    assert!(
        e[0].starts_with("r.toml:1:1 [[replace]] 应写 variable"),
        "{e:#?}"
    );
    assert_eq!(
        e[1],
        "r.toml:8:8 part 应为 eligible 或 amount，实为 \"amonut\""
    );
    assert!(
        e[2].starts_with("r.toml:15:10 [[replace]] 中的 colour 无法识别"),
        "{e:#?}"
    );
    assert!(e[3].starts_with("r.toml:13:8 part 只用于项目"), "{e:#?}");
    assert!(
        e[4].starts_with("r.toml:11:1 [[replace]] 缺少 reason"),
        "{e:#?}"
    );
    let twice = Reform::parse(
        "r.toml",
        "[[replace]]\nvariable = \"size\"\nreason = \"x\"\nformula = \"1\"\n[[replace]]\nvariable = \"size\"\nreason = \"y\"\nformula = \"2\"\n",
    )
    .unwrap();
    let e = shipped().with_reform(&twice).unwrap_err();
    assert_eq!(
        e[0].to_string(),
        "r.toml:5:1: 变量 size 已在 r.toml:1:1 替换过 / replaced twice"
    );
    let e = Reform::parse("r.toml", "# nothing\n").unwrap_err();
    assert!(e[0].message.contains("没有任何改动"), "{e:?}");
    let e = Reform::parse("r.toml", "replace = 1\n").unwrap_err();
    assert!(e[0].message.contains("[[replace]]"), "{e:?}");
}

#[test]
fn the_shipped_example_reforms_apply_and_check() {
    let dir = Path::new(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../policies/mianyang/reforms"
    ));
    let mut names: Vec<String> = Vec::new();
    let pack = shipped();
    let mut files: Vec<_> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    files.sort();
    for f in files {
        let r = Reform::load(&f).unwrap_or_else(|e| panic!("{e:#?}"));
        let reformed = pack.with_reform(&r).unwrap_or_else(|e| panic!("{e:#?}"));
        check(&reformed).unwrap_or_else(|e| panic!("{e:#?}"));
        names.push(f.file_name().unwrap().to_string_lossy().into_owned());
        for x in &r.replacements {
            assert!(!x.reason.is_empty());
        }
    }
    assert_eq!(names, ["urban-standard-650.toml", "wage-income-70.toml"]);
}
