//! Person subsidies: reference "Person subsidies" and clarification 7.
//!
//! - `disability_living` 困难残疾人生活补贴: grade ≥ 1, not tekun, member of a dibao household
//!   or dibao_single → 100. Reads `disability_grade` and the dibao/tekun statuses.
//! - `disability_care` 重度残疾人护理补贴: grade 1 → 100, grade 2 → 80, any household.
//!   Reads only `disability_grade`.
//! - `elderly_allowance` 高龄津贴: age 80–89 → 50, 90–99 → 100, ≥ 100 → 300. Reads only
//!   `birth_date` (required), so it is never undecided.
//! - `orphan_support`: orphan ∧ age < 18 → 1200. Reads `orphan` (Kleene: an adult is
//!   decided not eligible even when `orphan` is empty).
//!
//! `disability_care`, `elderly_allowance` and `orphan_support` are paid to tekun persons too;
//! only `disability_living` excludes tekun (clarification 7).

use crate::decision::Decision;
use crate::params;
use crate::person::Member;
use crate::tri::{Val, and, cell, not};
use minsheng_model::Fen;

/// `dibao_member`: member of a dibao household or dibao_single (the dibao status).
pub fn disability_living(m: &Member<'_>, tekun: &Val<bool>, dibao_member: &Val<bool>) -> Decision {
    let eligible = and([
        m.grade().map(|g| g >= 1),
        not(tekun.clone()),
        dibao_member.clone(),
    ]);
    Decision::with_amount(eligible, || Ok(params::DISABILITY_LIVING))
}

pub fn disability_care(m: &Member<'_>) -> Decision {
    let amount = m.grade().map(|g| match g {
        1 => Some(params::DISABILITY_CARE_GRADE1),
        2 => Some(params::DISABILITY_CARE_GRADE2),
        _ => None,
    });
    paid_if_some(amount)
}

pub fn elderly_allowance(m: &Member<'_>) -> Decision {
    let amount = match m.age {
        100.. => Some(params::ELDERLY_100_PLUS),
        90..=99 => Some(params::ELDERLY_90_99),
        80..=89 => Some(params::ELDERLY_80_89),
        _ => None,
    };
    paid_if_some(Ok(amount))
}

pub fn orphan_support(m: &Member<'_>) -> Decision {
    let eligible = and([
        cell(m.p.orphan, "orphan"),
        Ok(m.age < params::ORPHAN_MAX_AGE),
    ]);
    Decision::with_amount(eligible, || Ok(params::ORPHAN_MONTHLY))
}

/// Eligible with the amount when there is one.
fn paid_if_some(amount: Val<Option<Fen>>) -> Decision {
    match amount {
        Ok(Some(a)) => Decision::with_amount(Ok(true), || Ok(a)),
        Ok(None) => Decision::with_amount(Ok(false), || Ok(Fen::ZERO)),
        Err(m) => Decision::with_amount(Err(m), || Ok(Fen::ZERO)),
    }
}
