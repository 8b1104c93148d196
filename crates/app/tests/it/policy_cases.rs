//! The shipped pack's policy test cases (`policies/mianyang/tests/*.toml`), run through the
//! engine: every case must hold exactly (results, medical.csv, undecided units).

use std::path::Path;

#[test]
fn every_case_of_the_reference_pack_holds_in_the_engine() {
    let dir = Path::new(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../policies/mianyang"
    ));
    let reports = minsheng_app::policy_test::run(dir).unwrap_or_else(|e| panic!("{e}"));
    assert!(reports.len() >= 46, "only {} cases", reports.len());
    let failed: Vec<String> = reports
        .iter()
        .filter(|r| !r.problems.is_empty())
        .map(|r| {
            format!(
                "{} / {}:\n    {}",
                r.file,
                r.name,
                r.problems.join("\n    ")
            )
        })
        .collect();
    assert!(
        failed.is_empty(),
        "{} of {} cases fail:\n{}",
        failed.len(),
        reports.len(),
        failed.join("\n")
    );
}
