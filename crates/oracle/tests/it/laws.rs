//! Laws every outcome of the oracle obeys, whatever the registry: checked on random
//! registries ([`crate::props`]) and on a whole synthetic district ([`crate::district`]).

use chrono::Datelike;
use minsheng_model::{Fen, Registry};
use minsheng_oracle::{Month, Outcome, ResultRow, program};
use std::collections::{BTreeSet, HashMap};

const HOUSEHOLD_PROGRAMS: [&str; 3] = [
    program::DIBAO,
    program::DIBAO_EDGE,
    program::EXPENDITURE_HARDSHIP,
];
const PERSON_PROGRAMS: [&str; 6] = [
    program::TEKUN,
    program::DIBAO_SINGLE,
    program::DISABILITY_LIVING,
    program::DISABILITY_CARE,
    program::ELDERLY_ALLOWANCE,
    program::ORPHAN_SUPPORT,
];

fn key(r: &ResultRow) -> (&str, &str, &str) {
    (
        &r.household_id,
        r.person_id.as_deref().unwrap_or(""),
        r.program,
    )
}

/// Every violated law, in words (empty = all hold).
pub fn check(reg: &Registry, month: chrono::NaiveDate, out: &Outcome) -> Vec<String> {
    let m = Month::of(month);
    let mut bad = Vec::new();

    // The five medical columns add up to total_cost exactly; none is negative; only stays
    // of M's year up to the end of M, each once, of a person counted in M.
    let stays: HashMap<&str, _> = reg.stays.iter().map(|s| (s.stay_id.as_str(), s)).collect();
    let counted: HashMap<&str, bool> = reg
        .persons
        .iter()
        .map(|p| (p.person_id.as_str(), m.counts(p)))
        .collect();
    let mut listed = BTreeSet::new();
    for row in &out.medical {
        let parts = [
            row.basic_paid,
            row.critical_paid,
            row.assistance_paid,
            row.local_fund_paid,
            row.self_paid,
        ];
        let Some(stay) = stays.get(row.stay_id.as_str()) else {
            bad.push(format!("medical row for unknown stay {}", row.stay_id));
            continue;
        };
        if parts.iter().copied().sum::<Fen>() != stay.total_cost {
            bad.push(format!("{row:?} does not add up to {}", stay.total_cost));
        }
        if parts.iter().any(|f| f.0 < 0) {
            bad.push(format!("{row:?} has a negative amount"));
        }
        if stay.discharge_date > m.last || stay.discharge_date.year() != m.year {
            bad.push(format!("{} is not a stay of M's year up to M", row.stay_id));
        }
        if !listed.insert(row.stay_id.as_str()) {
            bad.push(format!("{} listed twice", row.stay_id));
        }
        if counted.get(row.person_id.as_str()) != Some(&true) {
            bad.push(format!(
                "{} belongs to a person not counted in M",
                row.stay_id
            ));
        }
    }

    // No negative amount (the dibao amount in particular); status programs pay 0.
    for r in &out.all {
        if r.monthly_amount.0 < 0 {
            bad.push(format!("negative amount: {r:?}"));
        }
        if [program::DIBAO_EDGE, program::EXPENDITURE_HARDSHIP].contains(&r.program)
            && r.monthly_amount != Fen::ZERO
        {
            bad.push(format!("status program with an amount: {r:?}"));
        }
        if !r.eligible && r.monthly_amount != Fen::ZERO {
            bad.push(format!("ineligible unit with an amount: {r:?}"));
        }
    }

    // Sorted and unique per (household, person, program); results = eligible rows of all.
    for w in out.all.windows(2) {
        if key(&w[0]) >= key(&w[1]) {
            bad.push(format!("all not sorted/unique at {:?}", key(&w[1])));
        }
    }
    for w in out.results.windows(2) {
        if key(&w[0]) >= key(&w[1]) {
            bad.push(format!("results not sorted/unique at {:?}", key(&w[1])));
        }
    }
    let eligible: Vec<&ResultRow> = out.all.iter().filter(|r| r.eligible).collect();
    if eligible != out.results.iter().collect::<Vec<_>>() {
        bad.push("results differ from the eligible rows of all".to_owned());
    }
    let ukey = |u: &minsheng_oracle::Undecided| {
        (
            u.household_id.clone(),
            u.person_id.clone().unwrap_or_default(),
            u.program,
        )
    };
    for w in out.undecided.windows(2) {
        if ukey(&w[0]) >= ukey(&w[1]) {
            bad.push(format!("undecided not sorted/unique at {:?}", ukey(&w[1])));
        }
        if w[0].missing.is_empty() {
            bad.push(format!("undecided without a missing column: {:?}", w[0]));
        }
    }

    // Every unit is in exactly one of `all` and `undecided`: every household for the
    // household programs, every person counted in M for the person programs.
    let mut units: BTreeSet<(String, String, &str)> = BTreeSet::new();
    for h in &reg.households {
        for p in HOUSEHOLD_PROGRAMS {
            units.insert((h.household_id.clone(), String::new(), p));
        }
    }
    for p in reg.persons.iter().filter(|p| m.counts(p)) {
        for prog in PERSON_PROGRAMS {
            units.insert((p.household_id.clone(), p.person_id.clone(), prog));
        }
    }
    let mut seen: BTreeSet<(String, String, &str)> = out
        .all
        .iter()
        .map(|r| {
            (
                r.household_id.clone(),
                r.person_id.clone().unwrap_or_default(),
                r.program,
            )
        })
        .collect();
    for u in out
        .undecided
        .iter()
        .filter(|u| u.program != program::MEDICAL)
    {
        if !seen.insert(ukey(u)) {
            bad.push(format!("unit both decided and undecided: {u:?}"));
        }
    }
    if seen != units {
        let missing: Vec<_> = units.difference(&seen).take(5).collect();
        let extra: Vec<_> = seen.difference(&units).take(5).collect();
        bad.push(format!(
            "units not covered: {missing:?}; unexpected units: {extra:?}"
        ));
    }
    bad
}
