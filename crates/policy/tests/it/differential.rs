//! Differential tests: engine == oracle on synthetic districts.

use minsheng_model::Registry;
use minsheng_policy::check::check;
use minsheng_policy::eval::{Outcome, evaluate};
use minsheng_policy::frame::Frame;
use minsheng_policy::pack::Pack;
use std::path::Path;

type Row = (String, String, String, bool, i64);

/// A medical row of either side as a comparable tuple (the two sides have their own types).
macro_rules! medical_key {
    ($m:expr) => {
        (
            $m.stay_id.to_string(),
            $m.person_id.to_string(),
            [
                $m.basic_paid.0,
                $m.critical_paid.0,
                $m.assistance_paid.0,
                $m.local_fund_paid.0,
                $m.self_paid.0,
            ],
        )
    };
}

fn reference_pack() -> (Pack, minsheng_policy::check::Checked) {
    let dir = Path::new(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../policies/mianyang"
    ));
    let pack = Pack::load(dir).unwrap();
    let checked = check(&pack).unwrap();
    (pack, checked)
}

/// A seeded synthetic district.
fn district(households: u64, seed: u64, month: chrono::NaiveDate) -> Registry {
    let cfg = minsheng_synth::SynthConfig {
        households,
        seed,
        month,
    };
    let mut reg = Registry::default();
    minsheng_synth::generate(
        &cfg,
        &minsheng_interchange::regions::default_table(),
        &mut reg,
    )
    .unwrap();
    reg
}

fn engine(reg: &Registry, month: chrono::NaiveDate) -> Outcome {
    let (pack, checked) = reference_pack();
    let frame = Frame::build(reg, month).unwrap();
    evaluate(&pack, &checked, &frame).unwrap_or_else(|e| panic!("{e}"))
}

fn ours(rows: &minsheng_policy::eval::Rows<minsheng_policy::eval::ResultRow>) -> Vec<Row> {
    rows.iter()
        .map(|r| {
            (
                r.household_id.to_string(),
                r.person_id.as_deref().unwrap_or_default().to_owned(),
                r.program.to_string(),
                r.eligible,
                r.monthly_amount.0,
            )
        })
        .collect()
}

fn theirs(rows: &[minsheng_oracle::ResultRow]) -> Vec<Row> {
    rows.iter()
        .map(|r| {
            (
                r.household_id.clone(),
                r.person_id.clone().unwrap_or_default(),
                r.program.to_owned(),
                r.eligible,
                r.monthly_amount.0,
            )
        })
        .collect()
}

/// The first few differences, for a readable failure.
fn diff<T: Ord + std::fmt::Debug + Clone>(what: &str, ours: &[T], theirs: &[T]) -> Vec<String> {
    let a: std::collections::BTreeSet<T> = ours.iter().cloned().collect();
    let b: std::collections::BTreeSet<T> = theirs.iter().cloned().collect();
    let mut out: Vec<String> = a
        .difference(&b)
        .take(5)
        .map(|r| format!("{what}: engine only {r:?}"))
        .collect();
    out.extend(
        b.difference(&a)
            .take(5)
            .map(|r| format!("{what}: oracle only {r:?}")),
    );
    out
}

fn compare(households: u64, seed: u64, month: &str) {
    let month = minsheng_model::date::parse_iso(month).unwrap();
    let reg = district(households, seed, month);
    let e = engine(&reg, month);
    let o = minsheng_oracle::evaluate(&reg, month);
    let mut problems = diff("results", &ours(&e.results), &theirs(&o.results));
    problems.extend(diff("all", &ours(&e.all), &theirs(&o.all)));
    let und = |h: &str, p: Option<&str>, prog: &str, m: &[&str]| {
        (
            h.to_owned(),
            p.unwrap_or_default().to_owned(),
            prog.to_owned(),
            m.join(";"),
        )
    };
    let eu: Vec<_> = e
        .undecided
        .iter()
        .map(|u| {
            und(
                &u.household_id,
                u.person_id.as_deref(),
                &u.program,
                &u.missing,
            )
        })
        .collect();
    let ou: Vec<_> = o
        .undecided
        .iter()
        .map(|u| {
            und(
                &u.household_id,
                u.person_id.as_deref(),
                u.program,
                &u.missing,
            )
        })
        .collect();
    problems.extend(diff("undecided", &eu, &ou));
    let em: Vec<_> = e.medical.iter().map(|m| medical_key!(m)).collect();
    let om: Vec<_> = o.medical.iter().map(|m| medical_key!(m)).collect();
    problems.extend(diff("medical", &em, &om));
    assert!(
        problems.is_empty(),
        "engine and oracle differ:\n{}",
        problems.join("\n")
    );
    assert_eq!(em, om, "medical rows in the same order");
    assert!(
        !e.results.is_empty() && !e.medical.is_empty(),
        "the district exercises the rules"
    );
}

#[test]
fn engine_matches_the_oracle_on_a_synthetic_district() {
    compare(3000, 7, "2024-06-01");
}

#[test]
fn engine_matches_the_oracle_in_another_month_and_district() {
    compare(2000, 99, "2025-01-01");
}

#[test]
fn engine_matches_the_oracle_on_twenty_thousand_households() {
    compare(20_000, 1, "2024-06-01");
}

/// Chunked, parallel evaluation gives exactly the one-frame outcome, rows in the same
/// order; without `all`, only the ineligible rows are left out.
#[test]
fn chunks_in_parallel_give_the_one_frame_outcome() {
    let month = minsheng_model::date::parse_iso("2024-06-01").unwrap();
    let reg = district(3000, 11, month);
    let whole = engine(&reg, month);
    let (pack, checked) = reference_pack();
    let frames = minsheng_policy::frame::FrameBuilder::from_registry(&reg)
        .finish(month, 97)
        .unwrap();
    assert_eq!(frames.len(), 31);
    let chunked = minsheng_policy::eval::evaluate_chunks(&pack, &checked, &frames, true).unwrap();
    assert_eq!(chunked, whole);
    // Every amount over every unit (as explanations keep them) or only where paid: the
    // same outcome.
    let frame = Frame::build(&reg, month).unwrap();
    let every = minsheng_policy::eval::evaluate_all(&pack, &checked, &frame).unwrap();
    assert_eq!(every.outcome, whole);
    let lean = minsheng_policy::eval::evaluate_chunks(&pack, &checked, &frames, false).unwrap();
    assert!(lean.all.is_empty());
    assert_eq!(lean.results, whole.results);
    assert_eq!(lean.undecided, whole.undecided);
    assert_eq!(lean.medical, whole.medical);
    assert!(whole.all.len() > whole.results.len());
}
