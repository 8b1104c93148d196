//! dibao — 最低生活保障 (household), dibao_single — 单人户 (person), and dibao_edge —
//! 低保边缘家庭 (household, status): reference "dibao" and "dibao_edge".
//!
//! All three count only the members left after the 特困 exclusion ([`Composition`]); a
//! household of only tekun members has none of them. Columns read: every counted member's
//! incomes and `employment` (through `hh_income`), the household's `area`, `savings`,
//! `houses`, `vehicles`; for the dibao amount each counted member's `disability_grade` and
//! `illness` (the increment); for dibao_single the person's `employment`,
//! `disability_grade` (`disability_kind` at grade 3) and `illness`. The tekun status of
//! every member decides who counts, so whatever keeps a tekun status unknown keeps these
//! unknown too (unless Kleene logic decides them otherwise, e.g. 2 houses).

use crate::decision::Decision;
use crate::exact::{Q, Rate};
use crate::household::{Composition, HouseholdFacts};
use crate::params;
use crate::person::{counted_income, increment};
use crate::tri::{Val, and, both, every, not, or};

/// The three decisions of one household; `single[i]` is `facts.members[i]`'s dibao_single.
pub struct DibaoOutcome {
    pub dibao: Decision,
    pub single: Vec<Decision>,
    pub edge: Decision,
}

pub fn evaluate(
    facts: &HouseholdFacts<'_>,
    comp: &Composition<'_>,
    tekun: &[Val<bool>],
) -> DibaoOutcome {
    let standard = &facts.standard;
    let assets_ok = facts.assets_ok(&comp.size);
    let below_edge = comp.income_below(params::EDGE_INCOME_MULTIPLE, standard);

    // dibao eligible ⇔ hh_income < standard × size ∧ assets_ok.
    let eligible = and([
        comp.has_members.clone(),
        comp.income_below(Rate::new(1, 1), standard),
        assets_ok.clone(),
    ]);
    // Amount = standard × size − hh_income + Σ increment(p), rounded half-up to whole yuan.
    // A gap under 0.50 yuan without increment rounds to 0 and the household stays eligible
    // with amount 0.00 (clarification 6).
    let dibao = Decision::with_amount(eligible.clone(), || {
        let (total, income) = both(comp.standard_total(standard), comp.hh_income.clone())?;
        let members = comp.members.clone()?;
        let increments: Q = every(members.iter().map(|m| increment(m, standard)))?
            .into_iter()
            .sum();
        Ok((total - income + increments).round_half_up_yuan())
    });

    // dibao_single: the household is not dibao-eligible but hh_income < 1.5 × standard ×
    // size ∧ assets_ok; each member aged ≥ 18, not employed or flexible, with disability
    // grade 1–2, or grade 3 intellectual/mental, or illness = severe, is eligible alone.
    // Interpretation: "member" means a member that counts — a tekun member is excluded from
    // every household program, dibao_single included.
    let single = facts
        .members
        .iter()
        .zip(tekun)
        .map(|(m, is_tekun)| {
            let eligible = and([
                not(is_tekun.clone()),
                not(eligible.clone()),
                below_edge.clone(),
                assets_ok.clone(),
                Ok(m.age >= params::SINGLE_MIN_AGE),
                // Interpretation: "not employed or flexible" = employment ∉ {employed,
                // flexible} (the same pair that bears the employment cost).
                not(m.working()),
                or([m.severe_disability(), m.illness_severe()]),
            ]);
            // Amount = max(0, standard − counted_income(p)) + increment(p), rounded half-up
            // to whole yuan.
            Decision::with_amount(eligible, || {
                let (standard_v, income) = both(standard.clone(), counted_income(m, standard))?;
                let gap = (Q::fen(standard_v) - income).max(Q::ZERO);
                Ok((gap + increment(m, standard)?).round_half_up_yuan())
            })
        })
        .collect();

    // dibao_edge: not dibao-eligible ∧ hh_income < 1.5 × standard × size ∧ savings ≤ 36 ×
    // standard × size ∧ houses ≤ 1 ∧ vehicles ≤ 0. It does not depend on dibao_single:
    // worked example 3 has both.
    let edge = Decision::status(and([
        comp.has_members.clone(),
        not(eligible),
        below_edge,
        facts.edge_assets_ok(&comp.size),
    ]));

    DibaoOutcome {
        dibao,
        single,
        edge,
    }
}
