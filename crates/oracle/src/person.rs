//! Facts about one person that several programs read: age, counted income (reference
//! "Income and assets"), the dibao increment, and the shared disability tests.
//!
//! Which empty cells each fact reads (and therefore which it can leave unknown):
//!
//! | fact | columns |
//! |---|---|
//! | `age` | `birth_date` (required, never empty) |
//! | [`employment_cost`] | `employment`; if employed/flexible also `wage_income` and the area |
//! | [`counted_income`] | the four incomes, plus what `employment_cost` reads |
//! | [`increment`] | `disability_grade`, `illness` (the age is always known) |
//! | [`severe_disability`] | `disability_grade`; `disability_kind` only when the grade is 3 |

use crate::exact::Q;
use crate::params;
use crate::tri::{Val, and, both, cell, every, or};
use minsheng_model::{DisabilityKind, Employment, Fen, Illness, Person};

/// A living member of a household as the rules see it in month M.
#[derive(Clone, Copy, Debug)]
pub struct Member<'a> {
    pub p: &'a Person,
    /// "`age` = full years at the first day of M, from `birth_date`" (Conventions).
    pub age: i32,
}

impl Member<'_> {
    pub fn grade(&self) -> Val<u8> {
        cell(self.p.disability_grade, "disability_grade")
    }

    fn grade_in(&self, grades: &[u8]) -> Val<bool> {
        self.grade().map(|g| grades.contains(&g))
    }

    /// Disability grade 1–2.
    pub fn grade_1_2(&self) -> Val<bool> {
        self.grade_in(&[1, 2])
    }

    /// "grade 3 and kind ∈ {intellectual, mental}" (tekun, dibao_single). Kleene `and`: a
    /// known grade other than 3 decides `false` without reading `disability_kind`.
    pub fn grade_3_intellectual_or_mental(&self) -> Val<bool> {
        let kind = cell(self.p.disability_kind, "disability_kind")
            .map(|k| matches!(k, DisabilityKind::Intellectual | DisabilityKind::Mental));
        and([self.grade_in(&[3]), kind])
    }

    /// Disability grade 1–2, or grade 3 of kind intellectual/mental — the disability part
    /// of tekun's "unable to work" and of dibao_single.
    pub fn severe_disability(&self) -> Val<bool> {
        or([self.grade_1_2(), self.grade_3_intellectual_or_mental()])
    }

    pub fn illness_severe(&self) -> Val<bool> {
        cell(self.p.illness, "illness").map(|i| i == Illness::Severe)
    }

    /// `employment ∈ {employed, flexible}`.
    pub fn working(&self) -> Val<bool> {
        cell(self.p.employment, "employment")
            .map(|e| matches!(e, Employment::Employed | Employment::Flexible))
    }
}

/// `employment_cost(p)` = if employment ∈ {employed, flexible}:
/// min(wage_income × 20 %, standard × 50 %), else 0.
///
/// Clarification 1: `wage × 20 %` is rounded half-up to the fen *before* the `min`; the cap
/// `standard × 50 %` stays exact.
///
/// Interpretation (clarification 10): the `if` is strict in its condition (see `tri`): an
/// empty `employment` leaves the cost unknown even when the wage is 0.
pub fn employment_cost(m: &Member<'_>, standard: &Val<Fen>) -> Val<Q> {
    if !m.working()? {
        return Ok(Q::ZERO);
    }
    let (wage, standard) = both(cell(m.p.wage_income, "wage_income"), standard.clone())?;
    let share = Q::fen(wage)
        .times(params::EMPLOYMENT_COST_RATE)
        .round_half_up_fen();
    let cap = Q::fen(standard).times(params::EMPLOYMENT_COST_CAP_RATE);
    Ok(Q::fen(share).min(cap))
}

/// `counted_income(p)` = max(0, wage + business + property + transfer − employment_cost),
/// exact (it can hold half fen when the cap is not a whole number of fen).
pub fn counted_income(m: &Member<'_>, standard: &Val<Fen>) -> Val<Q> {
    let p = m.p;
    let incomes = every([
        cell(p.wage_income, "wage_income"),
        cell(p.business_income, "business_income"),
        cell(p.property_income, "property_income"),
        cell(p.transfer_income, "transfer_income"),
    ]);
    let (incomes, cost) = both(incomes, employment_cost(m, standard))?;
    let gross: Q = incomes.into_iter().map(Q::fen).sum();
    Ok((gross - cost).max(Q::ZERO))
}

/// increment(p): "each member gets the larger applicable increment: 20 % × standard if
/// disability grade 1–2 or illness = severe; else 10 % × standard if age ≥ 60 or age < 18
/// or disability grade 3–4; else 0."
///
/// Interpretation (clarification 10): the "else" is an `if` on the high condition, strict:
/// when the high condition is unknown (e.g. an empty `illness` for a member without grade
/// 1–2) the increment is unknown even if the low one applies, since the larger one might.
/// The standard is only read when an increment applies.
pub fn increment(m: &Member<'_>, standard: &Val<Fen>) -> Val<Q> {
    let high = or([m.grade_1_2(), m.illness_severe()])?;
    let rate = if high {
        params::DIBAO_INCREMENT_HIGH
    } else {
        let low = or([
            Ok(m.age >= params::INCREMENT_OLD_AGE),
            Ok(m.age < params::INCREMENT_YOUNG_AGE),
            m.grade_in(&[3, 4]),
        ])?;
        if !low {
            return Ok(Q::ZERO);
        }
        params::DIBAO_INCREMENT_LOW
    };
    Ok(Q::fen(standard.clone()?).times(rate))
}
