//! tekun — 特困人员救助供养 (person): reference "tekun".
//!
//! Eligible when all hold: unable to work (age ≥ 60, or age < 16, or disability grade 1–2,
//! or grade 3 of kind intellectual/mental); no source of living (counted_income(p) <
//! standard, and `assets_ok` of the household computed with its full membership);
//! `capable_supporter` = false; not `orphan`.
//! Amount = ceil_to_yuan(1.3 × standard) + care(self_care).
//!
//! Columns read: the person's `disability_grade` (and `disability_kind` at grade 3),
//! incomes and `employment`, `capable_supporter`, `orphan`; the household's `area`,
//! `savings`, `houses`, `vehicles`; `self_care` only for the amount. Kleene logic decides
//! where it can: a person with `capable_supporter` = true is decided not tekun even when
//! their income is unknown.
//!
//! Interpretation: "not orphan" is read literally, at any age — an adult still flagged
//! `orphan` = true is not tekun (and, being 18 or over, gets no orphan_support either).

use crate::decision::Decision;
use crate::exact::Q;
use crate::household::HouseholdFacts;
use crate::params;
use crate::person::{Member, counted_income};
use crate::tri::{Val, and, both, cell, not, or};
use minsheng_model::{Fen, SelfCare};

/// Whether the member is unable to work.
fn unable_to_work(m: &Member<'_>) -> Val<bool> {
    or([
        Ok(m.age >= params::TEKUN_OLD_AGE),
        Ok(m.age < params::TEKUN_YOUNG_AGE),
        m.severe_disability(),
    ])
}

/// tekun eligibility and amount of one member; `assets_full` is `assets_ok` of the household
/// with its full membership (the same for every member, so computed once by the caller).
pub fn evaluate(m: &Member<'_>, facts: &HouseholdFacts<'_>, assets_full: &Val<bool>) -> Decision {
    let standard = &facts.standard;
    let income_below = both(counted_income(m, standard), standard.clone())
        .map(|(income, standard)| income < Q::fen(standard));
    let eligible = and([
        unable_to_work(m),
        income_below,
        assets_full.clone(),
        not(cell(m.p.capable_supporter, "capable_supporter")),
        not(cell(m.p.orphan, "orphan")),
    ]);
    Decision::with_amount(eligible, || {
        let (standard, self_care) = both(standard.clone(), cell(m.p.self_care, "self_care"))?;
        let basic = Q::fen(standard)
            .times(params::TEKUN_BASIC_MULTIPLE)
            .ceil_yuan();
        Ok(basic + care(self_care))
    })
}

/// 照料护理标准 by self-care ability.
fn care(s: SelfCare) -> Fen {
    match s {
        SelfCare::Full => params::TEKUN_CARE_FULL,
        SelfCare::Partial => params::TEKUN_CARE_PARTIAL,
        SelfCare::None => params::TEKUN_CARE_NONE,
    }
}
