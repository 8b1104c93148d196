//! The policy test cases of `policies/mianyang/tests/*.toml`, run against the oracle.
//!
//! Each `[[case]]` gives a month, input tables as interchange-v1 CSV texts, and the expected
//! outputs: `results` (the complete default `results.csv`, rows in any order), `medical`
//! (the complete `medical.csv`; omitted = no stay settled in M's year) and `undecided`
//! (`household_id,person_id,program,missing`, missing columns joined by `;`; omitted = no
//! undecided unit). Outputs are compared as sets of rows, money exactly; medical rows also
//! in order per person. A failure names the file and case and shows the rows missing and
//! the rows not expected.

use crate::input::{self, Texts};
use minsheng_interchange::Table;
use minsheng_model::Fen;
use minsheng_oracle::{Outcome, evaluate};
use serde::Deserialize;
use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct CaseFile {
    case: Vec<Case>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Case {
    name: String,
    month: String,
    households: Option<String>,
    persons: Option<String>,
    hospital_stays: Option<String>,
    events: Option<String>,
    enrollments: Option<String>,
    results: String,
    medical: Option<String>,
    undecided: Option<String>,
}

fn cases_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../policies/mianyang/tests")
}

fn case_files() -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(cases_dir())
        .expect("policies/mianyang/tests exists")
        .map(|e| e.expect("directory entry").path())
        .filter(|p| p.extension().is_some_and(|x| x == "toml"))
        .collect();
    files.sort();
    files
}

#[test]
fn every_policy_case_holds() {
    let files = case_files();
    assert!(
        !files.is_empty(),
        "no case files in {}",
        cases_dir().display()
    );
    let mut failures = Vec::new();
    let mut names = BTreeSet::new();
    let mut total = 0;
    for file in &files {
        let text = std::fs::read_to_string(file).expect("readable case file");
        let shown = file.file_name().expect("file name").to_string_lossy();
        let parsed: CaseFile = match toml::from_str(&text) {
            Ok(f) => f,
            Err(e) => {
                failures.push(format!("{shown}: not a case file: {e}"));
                continue;
            }
        };
        assert!(!parsed.case.is_empty(), "{shown} has no [[case]]");
        for case in parsed.case {
            total += 1;
            if !names.insert(case.name.clone()) {
                failures.push(format!("{shown}: case name used twice: {}", case.name));
            }
            if let Err(why) = run(&case) {
                failures.push(format!("{shown} — {}\n{why}", case.name));
            }
        }
    }
    assert!(
        failures.is_empty(),
        "{} of {total} cases failed:\n\n{}",
        failures.len(),
        failures.join("\n\n")
    );
}

/// Runs one case; `Err` says what differs.
fn run(case: &Case) -> Result<(), String> {
    let month = chrono::NaiveDate::parse_from_str(&format!("{}-01", case.month), "%Y-%m-%d")
        .map_err(|e| format!("month {:?}: {e}", case.month))?;
    let tables = [
        (Table::Households, &case.households),
        (Table::Persons, &case.persons),
        (Table::HospitalStays, &case.hospital_stays),
        (Table::Events, &case.events),
        (Table::Enrollments, &case.enrollments),
    ];
    let texts = Texts {
        tables: tables
            .iter()
            .filter_map(|(t, text)| text.as_deref().map(|s| (*t, s)))
            .collect(),
    };
    let registry =
        input::read(&texts).map_err(|e| format!("invalid input:\n  {}", e.join("\n  ")))?;
    let out = evaluate(&registry, month);
    let mut report = Vec::new();
    compare_results(case, &out, &mut report)?;
    compare_medical(case, &out, &mut report)?;
    compare_undecided(case, &out, &mut report)?;
    if report.is_empty() {
        Ok(())
    } else {
        Err(report.join("\n"))
    }
}

/// Parses a CSV text with the given header; returns the rows' cells.
fn csv_rows(text: &str, what: &str, header: &[&str]) -> Result<Vec<Vec<String>>, String> {
    let mut rdr = csv::ReaderBuilder::new()
        .has_headers(true)
        .from_reader(text.trim().as_bytes());
    let found: Vec<String> = rdr
        .headers()
        .map_err(|e| format!("{what}: {e}"))?
        .iter()
        .map(|h| h.trim().to_owned())
        .collect();
    if found != header {
        return Err(format!("{what}: header {found:?}, expected {header:?}"));
    }
    rdr.records()
        .map(|r| {
            r.map(|r| r.iter().map(|c| c.trim().to_owned()).collect())
                .map_err(|e| format!("{what}: {e}"))
        })
        .collect()
}

fn money(text: &str, what: &str) -> Result<Fen, String> {
    Fen::parse_yuan(text).map_err(|e| format!("{what}: money {text:?}: {e:?}"))
}

/// Lines only in `expected`, then lines only in `actual`, under a heading.
fn diff(
    heading: &str,
    expected: &BTreeSet<String>,
    actual: &BTreeSet<String>,
    report: &mut Vec<String>,
) {
    if expected == actual {
        return;
    }
    report.push(format!("{heading}:"));
    for line in expected.difference(actual) {
        report.push(format!("  - expected, missing: {line}"));
    }
    for line in actual.difference(expected) {
        report.push(format!("  + produced, not expected: {line}"));
    }
}

fn compare_results(case: &Case, out: &Outcome, report: &mut Vec<String>) -> Result<(), String> {
    let header = [
        "household_id",
        "person_id",
        "program",
        "eligible",
        "monthly_amount",
    ];
    let mut expected = BTreeSet::new();
    for r in csv_rows(&case.results, "results", &header)? {
        if r[3] != "true" {
            return Err(format!(
                "results: eligible must be true in the default output: {r:?}"
            ));
        }
        let amount = money(&r[4], "results")?;
        if !expected.insert(format!("{},{},{},true,{amount}", r[0], r[1], r[2])) {
            return Err(format!("results: row listed twice: {r:?}"));
        }
    }
    let actual: BTreeSet<String> = out
        .results
        .iter()
        .map(|r| {
            format!(
                "{},{},{},{},{}",
                r.household_id,
                r.person_id.as_deref().unwrap_or(""),
                r.program,
                r.eligible,
                r.monthly_amount
            )
        })
        .collect();
    diff("results.csv", &expected, &actual, report);
    Ok(())
}

fn compare_medical(case: &Case, out: &Outcome, report: &mut Vec<String>) -> Result<(), String> {
    let header = [
        "stay_id",
        "person_id",
        "basic_paid",
        "critical_paid",
        "assistance_paid",
        "local_fund_paid",
        "self_paid",
    ];
    let text = case.medical.as_deref().unwrap_or(
        "stay_id,person_id,basic_paid,critical_paid,assistance_paid,local_fund_paid,self_paid",
    );
    // Per person, the rows in order ("in discharge-date order per person").
    let mut expected: BTreeMap<String, Vec<String>> = BTreeMap::new();
    for r in csv_rows(text, "medical", &header)? {
        let amounts = r[2..]
            .iter()
            .map(|c| money(c, "medical").map(|f| f.to_string()))
            .collect::<Result<Vec<_>, _>>()?;
        expected.entry(r[1].clone()).or_default().push(format!(
            "{},{},{}",
            r[0],
            r[1],
            amounts.join(",")
        ));
    }
    let mut actual: BTreeMap<String, Vec<String>> = BTreeMap::new();
    for m in &out.medical {
        actual.entry(m.person_id.clone()).or_default().push(format!(
            "{},{},{},{},{},{},{}",
            m.stay_id,
            m.person_id,
            m.basic_paid,
            m.critical_paid,
            m.assistance_paid,
            m.local_fund_paid,
            m.self_paid
        ));
    }
    let flat = |m: &BTreeMap<String, Vec<String>>| -> BTreeSet<String> {
        m.values().flatten().cloned().collect()
    };
    diff("medical.csv", &flat(&expected), &flat(&actual), report);
    if flat(&expected) == flat(&actual) && expected != actual {
        report.push(format!(
            "medical.csv: same rows, different order per person:\n  expected {expected:?}\n  produced {actual:?}"
        ));
    }
    Ok(())
}

fn compare_undecided(case: &Case, out: &Outcome, report: &mut Vec<String>) -> Result<(), String> {
    let header = ["household_id", "person_id", "program", "missing"];
    let text = case
        .undecided
        .as_deref()
        .unwrap_or("household_id,person_id,program,missing");
    let mut expected = BTreeSet::new();
    for r in csv_rows(text, "undecided", &header)? {
        let mut missing: Vec<&str> = r[3].split(';').map(str::trim).collect();
        missing.sort_unstable();
        expected.insert(format!("{},{},{},{}", r[0], r[1], r[2], missing.join(";")));
    }
    let actual: BTreeSet<String> = out
        .undecided
        .iter()
        .map(|u| {
            format!(
                "{},{},{},{}",
                u.household_id,
                u.person_id.as_deref().unwrap_or(""),
                u.program,
                u.missing.join(";")
            )
        })
        .collect();
    diff("undecided", &expected, &actual, report);
    Ok(())
}
