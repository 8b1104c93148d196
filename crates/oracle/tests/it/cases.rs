//! The policy test cases of `policies/mianyang/tests/*.toml`, run against the oracle.
//!
//! The cases are read, their input tables checked like an import, and the outputs compared
//! by `minsheng_app::policy_test` — the same reader and comparison that run the engine on
//! them (`minsheng policy test`), so the two are held to one standard. A failure names
//! the file and case and shows the rows missing and the rows not expected.

use minsheng_app::policy_test::{Produced, load};
use minsheng_oracle::{Outcome, evaluate};
use std::collections::BTreeSet;
use std::path::Path;

fn produced(out: &Outcome) -> Produced {
    Produced {
        results: out
            .results
            .iter()
            .map(|r| {
                (
                    r.household_id.clone(),
                    r.person_id.clone().unwrap_or_default(),
                    r.program.to_owned(),
                    r.eligible,
                    r.monthly_amount,
                )
            })
            .collect(),
        medical: out
            .medical
            .iter()
            .map(|m| {
                (
                    m.stay_id.clone(),
                    m.person_id.clone(),
                    [
                        m.basic_paid,
                        m.critical_paid,
                        m.assistance_paid,
                        m.local_fund_paid,
                        m.self_paid,
                    ],
                )
            })
            .collect(),
        undecided: out
            .undecided
            .iter()
            .map(|u| {
                (
                    u.household_id.clone(),
                    u.person_id.clone().unwrap_or_default(),
                    u.program.to_owned(),
                    u.missing.iter().map(|m| m.to_string()).collect(),
                )
            })
            .collect(),
    }
}

#[test]
fn every_policy_case_holds() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../policies/mianyang/tests");
    let cases = load(&dir).unwrap_or_else(|e| panic!("{e}"));
    assert!(
        cases.len() >= 46,
        "only {} cases in {}",
        cases.len(),
        dir.display()
    );
    let mut names = BTreeSet::new();
    let mut failures = Vec::new();
    for case in &cases {
        if !names.insert(case.name.clone()) {
            failures.push(format!(
                "{}: case name used twice: {}",
                case.file, case.name
            ));
        }
        let problems = match (&case.month, &case.registry) {
            (Ok(month), Ok(reg)) => case.check(&produced(&evaluate(reg, *month))),
            (Err(e), _) | (_, Err(e)) => vec![e.clone()],
        };
        if !problems.is_empty() {
            failures.push(format!(
                "{} — {}\n  {}",
                case.file,
                case.name,
                problems.join("\n  ")
            ));
        }
    }
    assert!(
        failures.is_empty(),
        "{} of {} cases failed:\n\n{}",
        failures.len(),
        cases.len(),
        failures.join("\n\n")
    );
}
