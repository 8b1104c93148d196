//! Explanations read like a caseworker's reasoning: worked example 1 of reference-rules.md.

use minsheng_policy::explain::{Decision, explain};
use std::path::Path;

#[test]
fn worked_example_1_is_explained_in_the_packs_words() {
    let dir = Path::new(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../policies/mianyang"
    ));
    let cases = minsheng_app::policy_test::load(&dir.join("tests")).unwrap();
    let case = cases
        .iter()
        .find(|c| c.name.contains("worked example 1"))
        .expect("the worked example");
    let (pack, checked) = minsheng_app::evaluate::load_pack(dir).unwrap();
    let reg = case.registry.as_ref().unwrap();
    let month = *case.month.as_ref().unwrap();
    let hh = &reg.households[0].household_id;
    let e = explain(&pack, &checked, reg, month, hh).unwrap();
    let dibao = e.programs.iter().find(|p| p.program == "dibao").unwrap();
    assert_eq!(dibao.decision, Decision::Eligible("1091.00".into()));
    assert_eq!(
        dibao.eligible,
        "家庭人数（3） > 0 ，且 家庭月收入（800） < 当地低保标准（610） × 家庭人数（3） ，且 家庭财产符合规定（是）"
    );
    let text = e.to_text();
    assert!(
        text.contains("【最低生活保障】：符合，月金额 1091.00 元"),
        "{text}"
    );
    assert!(
        text.contains("城市低保标准 dibao.standard.urban = 610（一直，区划 5107）"),
        "{text}"
    );
    // The head's employment cost: min(1000 × 20%, 610 × 50%) = 200.
    let cost = e
        .steps
        .iter()
        .find(|s| s.id == "employment_cost" && s.value == "200")
        .expect("employment cost 200");
    assert!(cost.formula.contains("就业"), "{}", cost.formula);
    assert!(matches!(
        explain(&pack, &checked, reg, month, "nope"),
        Err(minsheng_policy::explain::ExplainError::NotFound(_))
    ));
}
