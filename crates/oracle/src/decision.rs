//! The decision of one unit (household or person) for one program: its eligibility and,
//! when eligible, its monthly amount — each possibly unknown.
//!
//! Interpretation (clarification 10): eligibility and amount are kept apart on purpose.
//! Later rules read only the *status*: a tekun person is excluded from the household even
//! when their care amount is unknown because `self_care` is empty; a dibao household's
//! members get the dibao medical category even when the amount is unknown because an
//! `illness` is empty. In the output a unit is undecided when its eligibility, or (being
//! eligible) its amount, is unknown.

use crate::tri::Val;
use minsheng_model::Fen;

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Decision {
    pub eligible: Val<bool>,
    /// The monthly amount; 0 when not eligible and for status programs.
    pub amount: Val<Fen>,
}

impl Decision {
    /// A program that grants a status, not money (amount 0): dibao_edge,
    /// expenditure_hardship.
    pub fn status(eligible: Val<bool>) -> Decision {
        Decision {
            eligible,
            amount: Ok(Fen::ZERO),
        }
    }

    /// A paying program: the amount is computed (and can only be unknown) when the unit is
    /// known to be eligible.
    pub fn with_amount(eligible: Val<bool>, amount: impl FnOnce() -> Val<Fen>) -> Decision {
        let amount = match eligible {
            Ok(true) => amount(),
            _ => Ok(Fen::ZERO),
        };
        Decision { eligible, amount }
    }
}
