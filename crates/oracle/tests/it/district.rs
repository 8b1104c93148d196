//! A whole synthetic district (20 000 households of the seeded generator, with its ≈ 1 %
//! empty cells, deaths and 18 months of stays): the laws hold, and every program and the
//! medical chain have work to do, so the district is a fair differential test bed.

use crate::laws;
use minsheng_model::Registry;
use minsheng_oracle::{evaluate, program};
use minsheng_synth::{SynthConfig, generate};

#[test]
fn laws_hold_over_a_synthetic_district() {
    let cfg = SynthConfig {
        households: 20_000,
        seed: 20_240_601,
        ..SynthConfig::default()
    };
    let mut reg = Registry::default();
    generate(&cfg, crate::regions(), &mut reg).expect("generation succeeds");
    let started = std::time::Instant::now();
    let out = evaluate(&reg, cfg.month);
    // Printed, not asserted (no timing assertions): `cargo test --release -- --nocapture`.
    eprintln!(
        "oracle: {} households, {} persons, {} stays in {:?}",
        reg.households.len(),
        reg.persons.len(),
        reg.stays.len(),
        started.elapsed()
    );
    let bad = laws::check(&reg, cfg.month, &out);
    assert!(bad.is_empty(), "{}", bad.join("\n"));
    for p in [
        program::TEKUN,
        program::DIBAO,
        program::DIBAO_SINGLE,
        program::DIBAO_EDGE,
        program::EXPENDITURE_HARDSHIP,
        program::DISABILITY_LIVING,
        program::DISABILITY_CARE,
        program::ELDERLY_ALLOWANCE,
        program::ORPHAN_SUPPORT,
    ] {
        let n = out.results.iter().filter(|r| r.program == p).count();
        eprintln!("oracle: {p}: {n} eligible");
        assert!(n > 0, "no unit eligible for {p} in the district");
    }
    assert!(out.medical.iter().any(|m| m.assistance_paid.0 > 0));
    assert!(out.medical.iter().any(|m| m.local_fund_paid.0 > 0));
    eprintln!(
        "oracle: {} undecided units, {} stays in medical.csv",
        out.undecided.len(),
        out.medical.len()
    );
    assert!(!out.undecided.is_empty(), "the district has empty cells");
}
