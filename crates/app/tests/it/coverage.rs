//! A pack whose parameters do not cover the data's regions and month does not run:
//! `evaluate`, `explain` and `simulate` refuse it before evaluating, naming the parameter's
//! place in the policy file and what would fix it.

use minsheng_app::evaluate::{EvalFailure, Source, evaluate, explain, simulate};
use minsheng_app::import::NoProgress;
use std::path::{Path, PathBuf};

/// A copy of the reference pack whose urban standard has the values `values`.
fn pack_with_urban_standard(dir: &Path, values: &str) -> PathBuf {
    let src = Path::new(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../policies/mianyang"
    ));
    let pack = dir.join("pack");
    std::fs::create_dir_all(pack.join("variables")).unwrap();
    for e in std::fs::read_dir(src.join("variables")).unwrap() {
        let p = e.unwrap().path();
        std::fs::copy(&p, pack.join("variables").join(p.file_name().unwrap())).unwrap();
    }
    let text = std::fs::read_to_string(src.join("parameters.toml")).unwrap();
    let old = "values = [{ region = \"5107\", value = 610 }]";
    assert!(text.contains(old));
    std::fs::write(pack.join("parameters.toml"), text.replacen(old, values, 1)).unwrap();
    pack
}

fn one_household(dir: &Path) -> Source {
    let data = crate::support::Batch::new()
        .family("H1", "P1", 1)
        .write(&dir.join("data"));
    Source::Data(vec![data])
}

fn problems(e: EvalFailure, pack: &Path) -> Vec<String> {
    match e {
        EvalFailure::Pack(p) => {
            p.0.iter()
                .map(|e| {
                    let file = Path::new(&e.at.file).strip_prefix(pack).unwrap();
                    format!(
                        "{}:{}:{} {}",
                        file.display(),
                        e.at.line,
                        e.at.column,
                        e.message
                    )
                })
                .collect()
        }
        other => panic!("expected the pack to be refused, got {other}"),
    }
}

#[test]
fn a_value_that_starts_after_the_month_stops_the_evaluation() {
    let dir = tempfile::tempdir().unwrap();
    let pack = pack_with_urban_standard(
        dir.path(),
        "values = [{ since = \"2024-07-01\", region = \"5107\", value = 650 }]",
    );
    let source = one_household(dir.path());
    let june = crate::support::date("2024-06-01");
    let e = problems(
        evaluate(&source, &pack, june, false, &NoProgress).unwrap_err(),
        &pack,
    );
    assert_eq!(e.len(), 1, "{e:#?}");
    assert!(
        e[0].starts_with("parameters.toml:11:1 参数 dibao.standard.urban（城市低保标准）在区划 510703（数据中 1 个区划代码，如 510703001003）于 2024-06 没有取值：适用于该区划的取值最早自 2024-07-01 起生效。请添加 since 不晚于 2024-06-01、region 为 510703、5107 或 51（或不写 region，全辖区适用）的取值（该参数用于 "),
        "{e:#?}"
    );
    let e = problems(
        explain(&source, &pack, june, "H1")
            .map(|_| ())
            .map_err(|e| match e {
                minsheng_app::evaluate::ExplainFailure::Eval(e) => e,
                other => panic!("{other}"),
            })
            .unwrap_err(),
        &pack,
    );
    assert_eq!(e.len(), 1, "{e:#?}");
    assert!(e[0].contains("dibao.standard.urban"), "{e:#?}");
    // From July the value applies and the pack runs: H1's income 800 is above 650.
    let july = evaluate(
        &source,
        &pack,
        crate::support::date("2024-07-01"),
        false,
        &NoProgress,
    )
    .unwrap();
    let programs: Vec<&str> = july
        .outcome
        .results
        .iter()
        .map(|r| r.program.as_str())
        .collect();
    assert_eq!(programs, ["dibao_edge"]);
}

#[test]
fn a_value_for_another_region_stops_the_evaluation_and_the_simulation() {
    let dir = tempfile::tempdir().unwrap();
    let pack =
        pack_with_urban_standard(dir.path(), "values = [{ region = \"5108\", value = 600 }]");
    let source = one_household(dir.path());
    let june = crate::support::date("2024-06-01");
    let e = problems(
        evaluate(&source, &pack, june, false, &NoProgress).unwrap_err(),
        &pack,
    );
    assert_eq!(e.len(), 1, "{e:#?}");
    assert!(
        e[0].starts_with("parameters.toml:11:1 参数 dibao.standard.urban（城市低保标准）在区划 510703（数据中 1 个区划代码，如 510703001003）于 2024-06 没有取值：现有取值只适用于区划 5108。请添加 since 不晚于 2024-06-01、region 为 510703、5107 或 51"),
        "{e:#?}"
    );
    assert!(e[0].ends_with("/ parameter dibao.standard.urban has no value for region 510703 in 2024-06 (its values are for regions 5108 only): add a value with since ≤ 2024-06-01 for 510703 or a parent region"), "{e:#?}");
    let reform = Path::new(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../policies/mianyang/reforms/wage-income-70.toml"
    ));
    let e = problems(simulate(&source, &pack, reform, june).unwrap_err(), &pack);
    assert_eq!(e.len(), 1, "{e:#?}");
    assert!(
        e[0].starts_with("parameters.toml:11:1 参数 dibao.standard.urban"),
        "{e:#?}"
    );
}
