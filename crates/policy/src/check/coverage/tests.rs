//! Tests of the coverage check: every parameter read has a value for the data's regions.

use super::*;
use crate::params::Parameters;

fn d(s: &str) -> Date {
    minsheng_model::date::parse_iso(s).unwrap()
}

fn r(s: &str) -> RegionCode {
    RegionCode::parse(s).unwrap()
}

/// A pack of one variable reading `dibao.standard[area]` and `edge.income_multiple`, with
/// the given values of `dibao.standard.urban`.
fn pack(urban_values: &str) -> Pack {
    let params = format!(
        "[dibao.standard.urban]\nlabel = \"城市低保标准\"\nvalues = [{urban_values}]\n\n[dibao.standard.rural]\nlabel = \"农村低保标准\"\nvalues = [{{ value = 410 }}]\n\n[edge.income_multiple]\nlabel = \"边缘倍数\"\nvalues = [{{ value = 1.5 }}]\n\n[unused]\nlabel = \"未使用\"\nvalues = [{{ since = \"2030-01-01\", value = 1 }}]\n"
    );
    let mut pack = Pack {
        parameters: Parameters::parse("p.toml", &params).unwrap(),
        ..Pack::default()
    };
    pack.add_variables(
        "v.toml",
        "[edge_line]\nentity = \"household\"\ntype = \"money\"\nlabel = \"边缘线\"\nformula = \"edge.income_multiple * dibao.standard[area]\"\n",
    )
    .unwrap();
    crate::check::check(&pack).unwrap();
    pack
}

fn messages(p: &Pack, regions: &[&str], month: &str) -> Vec<String> {
    coverage(p, regions.iter().map(|c| r(c)), d(month))
        .unwrap_err()
        .iter()
        .map(|e| format!("{} {}", e.at, e.message))
        .collect()
}

#[test]
fn the_parameters_read_are_found_in_formulas_and_indexes() {
    let p = pack("{ value = 610 }");
    let used = used_parameters(&p).unwrap();
    let ids: Vec<(&str, String)> = used
        .iter()
        .map(|(k, v)| (k.as_str(), v.to_string()))
        .collect();
    assert_eq!(
        ids,
        [
            ("dibao.standard.rural", "v.toml:5:35".to_owned()),
            ("dibao.standard.urban", "v.toml:5:35".to_owned()),
            ("edge.income_multiple", "v.toml:5:12".to_owned()),
        ]
    );
    assert_eq!(coverage(&p, [r("510703001003")], d("2024-06-01")), Ok(()));
}

#[test]
fn a_value_that_starts_after_the_month_is_a_gap() {
    let p = pack("{ since = \"2024-07-01\", region = \"5107\", value = 650 }");
    assert_eq!(
        messages(&p, &["510703001003", "510703001004"], "2024-06-01"),
        [
            "p.toml:1:1 参数 dibao.standard.urban（城市低保标准）在区划 510703（数据中 2 个区划代码，如 510703001003）于 2024-06 没有取值：适用于该区划的取值最早自 2024-07-01 起生效。请添加 since 不晚于 2024-06-01、region 为 510703、5107 或 51（或不写 region，全辖区适用）的取值（该参数用于 v.toml:5:35）/ parameter dibao.standard.urban has no value for region 510703 in 2024-06 (its values for the region start on 2024-07-01): add a value with since ≤ 2024-06-01 for 510703 or a parent region"
        ]
    );
    // From July the value applies.
    assert_eq!(coverage(&p, [r("510703001003")], d("2024-07-01")), Ok(()));
}

#[test]
fn a_value_for_another_region_is_a_gap_once_per_county() {
    let p = pack("{ region = \"5108\", value = 600 }, { region = \"510703\", value = 630 }");
    let m = messages(
        &p,
        &[
            "510703001003",
            "510722101201",
            "510722101202",
            "510781001001",
        ],
        "2024-06-01",
    );
    assert_eq!(m.len(), 2, "{m:#?}");
    assert_eq!(
        m[0],
        "p.toml:1:1 参数 dibao.standard.urban（城市低保标准）在区划 510722（数据中 2 个区划代码，如 510722101201）于 2024-06 没有取值：现有取值只适用于区划 510703、5108。请添加 since 不晚于 2024-06-01、region 为 510722、5107 或 51（或不写 region，全辖区适用）的取值（该参数用于 v.toml:5:35）/ parameter dibao.standard.urban has no value for region 510722 in 2024-06 (its values are for regions 510703, 5108 only): add a value with since ≤ 2024-06-01 for 510722 or a parent region"
    );
    assert!(
        m[1].contains("在区划 510781（数据中 1 个区划代码，如 510781001001）"),
        "{m:#?}"
    );
}

#[test]
fn the_shipped_pack_reads_every_parameter_but_the_optional_top_up_and_covers_mianyang() {
    let dir = std::path::Path::new(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../policies/mianyang"
    ));
    let p = Pack::load(dir).unwrap();
    let used = used_parameters(&p).unwrap();
    let unread: Vec<&str> = p
        .parameters
        .iter()
        .map(|x| x.id.as_str())
        .filter(|id| !used.contains_key(*id))
        .collect();
    assert_eq!(unread, ["fucheng.self_pay_cap_rate"]);
    assert_eq!(used.len(), 42);
    // The chain's parameters are read by the built-in behind `medical_category`.
    assert_eq!(
        used["med.basic.rate.l1"],
        p.variables
            .iter()
            .find(|v| v.id == MEDICAL_CATEGORY)
            .unwrap()
            .at
    );
    let regions = ["510703001003", "510722101201", "510781001001"].map(r);
    assert_eq!(coverage(&p, regions, d("2024-06-01")), Ok(()));
    // Outside 绵阳 the standards have no value: one gap per parameter.
    let e = coverage(&p, [r("110101001001")], d("2024-06-01")).unwrap_err();
    let ids: Vec<&str> = e
        .iter()
        .map(|e| e.message.split_whitespace().nth(1).unwrap())
        .collect();
    assert!(
        ids.iter().all(|id| id.starts_with("dibao.standard.")),
        "{ids:?}"
    );
    assert_eq!(ids.len(), 2, "{e:#?}");
}

#[test]
fn the_chain_needs_its_parameters_defined() {
    let mut p = pack("{ value = 610 }");
    p.add_variables(
        "m.toml",
        "[medical_category]\nentity = \"person\"\ntype = \"code\"\nlabel = \"类别\"\nformula = \"'none'\"\n",
    )
    .unwrap();
    let e = used_parameters(&p).unwrap_err();
    assert_eq!(e.len(), PARAMETER_IDS.len());
    assert_eq!(
        e[0].to_string(),
        "m.toml:1:1: 医疗救助链（medical_category）需要参数 med.basic.deductible.l1，政策包中没有定义 / the medical chain needs this parameter"
    );
}
