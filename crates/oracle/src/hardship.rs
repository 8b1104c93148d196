//! expenditure_hardship — 支出型困难家庭 (household, status, amount 0): reference
//! "expenditure_hardship" and clarification 3.
//!
//! Not dibao, not dibao_edge, and with `E` = Σ self_paid of the members' stays discharged
//! in the 12 months ending on the last day of M:
//! hh_income < 2 × standard × size ∧ assets_ok ∧ (12 × hh_income − E) < 12 × standard × size.
//!
//! Interpretation: "the 12 months ending on the last day of M" are the calendar months
//! M−11 … M, from the first day of M−11 ([`crate::Month::window_first`]); for M = 2024-06
//! that is 2023-07-01 … 2024-06-30.
//!
//! `E` counts the members that count for household programs: tekun members' self-pay is
//! left out like their income and head count (clarification 3), and deceased members are
//! not members (clarification 9). `E` is computed by the caller from the medical chain
//! (it needs every member's category) and is unknown when a counted member with a stay in
//! the window has an unknown category.

use crate::decision::Decision;
use crate::dibao::DibaoOutcome;
use crate::household::{Composition, HouseholdFacts};
use crate::params;
use crate::tri::{Val, and, both, not};
use minsheng_model::Fen;

/// The 12-month test: `(12 × hh_income − E) < 12 × standard × size`, exact.
fn spending_test(facts: &HouseholdFacts<'_>, comp: &Composition<'_>, e: &Val<Fen>) -> Val<bool> {
    let (income, (e, total)) = both(
        comp.hh_income.clone(),
        both(e.clone(), comp.standard_total(&facts.standard)),
    )?;
    Ok(income.scale(12) - e.into() < total.scale(12))
}

pub fn evaluate(
    facts: &HouseholdFacts<'_>,
    comp: &Composition<'_>,
    dibao: &DibaoOutcome,
    e: &Val<Fen>,
) -> Decision {
    Decision::status(and([
        comp.has_members.clone(),
        not(dibao.dibao.eligible.clone()),
        not(dibao.edge.eligible.clone()),
        comp.income_below(params::HARDSHIP_INCOME_MULTIPLE, &facts.standard),
        facts.assets_ok(&comp.size),
        spending_test(facts, comp, e),
    ]))
}
