//! The test oracle: a plain, independent implementation of the reference policy pack
//! (`shared/policy/reference-rules.md`, 绵阳 sample), used only by tests to cross-check the
//! policy engine — the same registry in, the same `results.csv` / `medical.csv` out.
//!
//! It is written to be read against the rules, not to be fast (it still evaluates 20 000
//! households well under a second in release): one module per program, the parameters as
//! constants with their ids ([`params`]), exact money ([`exact`]: integer fen and exact
//! rationals, half-up rounding only where a rule names it), and unknown values as
//! three-valued logic ([`tri`], clarification 10).
//!
//! - `person`, `household`: age, counted income, increments, assets, the 特困 exclusion;
//! - `tekun`, `dibao` (dibao, dibao_single, dibao_edge), `medical` (the chain), `hardship`
//!   (expenditure_hardship), `subsidies` (the person subsidies), each with its rule quoted;
//! - [`evaluate()`] wires them in the rules' order: tekun → dibao (incl. dibao_single) →
//!   dibao_edge → medical chain → expenditure_hardship → person subsidies.
//!
//! ```
//! use minsheng_model::Registry;
//! let month = chrono::NaiveDate::from_ymd_opt(2024, 6, 1).unwrap();
//! let out = minsheng_oracle::evaluate(&Registry::default(), month);
//! assert!(out.results.is_empty() && out.medical.is_empty());
//! ```
//!
//! Where the text leaves room, the module comments say "Interpretation:" and cite the rule;
//! the semantics of unknown values are in [`tri`]. The interpretations that concern the
//! whole evaluation:
//!
//! - **Who is evaluated.** Every household of the registry for `dibao`, `dibao_edge` and
//!   `expenditure_hardship`; every person counted in M (see below) of a household of the
//!   registry for `tekun`, `dibao_single`, `disability_living`, `disability_care`,
//!   `elderly_allowance` and `orphan_support`. A household with no counted non-tekun member
//!   is evaluated and not eligible ("a household of only tekun members has no household
//!   programs"; also a household whose members all died before M). Persons whose household
//!   is not in the registry, and stays whose person is not, are ignored (the importer
//!   refuses them). Every unit lands in exactly one of [`Outcome::all`] and
//!   [`Outcome::undecided`].
//! - **Deaths** (clarification 9): a person with `deceased_on` = d is ignored "from the first
//!   day of the month after that date", i.e. in every M whose first day is after d; a
//!   person who dies during M still counts in M. An ignored person is not a member (no
//!   income, no head count), gets no subsidy, and their stays are neither settled, listed
//!   nor counted in `E`. Death events are not read.
//! - **Ages** are full years on the first day of M (Conventions); a person born after that
//!   day has a negative age and so counts as under 16 and under 18.
//! - **Undecided medical.** A person with a stay that matters in M (M's year up to M, or
//!   the 12-month window) whose chain category is unknown is reported as undecided for the
//!   pseudo-program `"medical"` ([`program::MEDICAL`]), and none of their stays is listed.
//! - **Orders.** `results`, `all` and `undecided` are sorted by (household_id, person_id or
//!   "", program), bytewise. `medical` is sorted by person_id, then discharge date, then
//!   stay_id (bytes) — "in discharge-date order per person"; the order between persons is
//!   the oracle's choice.
//! - `month` may be any day of M; M is its calendar month.

mod decision;
mod dibao;
pub mod exact;
mod hardship;
mod household;
mod medical;
pub mod params;
mod person;
mod subsidies;
mod tekun;
pub mod tri;

mod evaluate;

pub use evaluate::evaluate;

use chrono::{Datelike, Months, NaiveDate};
use minsheng_model::{Fen, Person};

/// Program ids, exactly as the reference pack names them.
pub mod program {
    pub const TEKUN: &str = "tekun";
    pub const DIBAO: &str = "dibao";
    pub const DIBAO_SINGLE: &str = "dibao_single";
    pub const DIBAO_EDGE: &str = "dibao_edge";
    pub const EXPENDITURE_HARDSHIP: &str = "expenditure_hardship";
    pub const DISABILITY_LIVING: &str = "disability_living";
    pub const DISABILITY_CARE: &str = "disability_care";
    pub const ELDERLY_ALLOWANCE: &str = "elderly_allowance";
    pub const ORPHAN_SUPPORT: &str = "orphan_support";
    /// Not a program: the unit reported undecided when a person's medical chain is.
    pub const MEDICAL: &str = "medical";
}

/// One row of `results.csv` (or of the `--all` output).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ResultRow {
    pub household_id: String,
    /// `None` for household programs.
    pub person_id: Option<String>,
    pub program: &'static str,
    pub eligible: bool,
    /// After the program's rounding; 0 for status programs and for ineligible units.
    pub monthly_amount: Fen,
}

/// One row of `medical.csv`; the five amounts add up to the stay's total_cost.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct MedicalRow {
    pub stay_id: String,
    pub person_id: String,
    pub basic_paid: Fen,
    pub critical_paid: Fen,
    pub assistance_paid: Fen,
    pub local_fund_paid: Fen,
    pub self_paid: Fen,
}

/// A unit the rules cannot decide: "cannot decide: missing <column>" (clarification 10).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Undecided {
    pub household_id: String,
    pub person_id: Option<String>,
    pub program: &'static str,
    /// interchange-v1 column names, sorted, without repeats.
    pub missing: Vec<&'static str>,
}

/// Everything one evaluation of month M produces.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Outcome {
    /// Eligible units only (`results.csv`), ordered by (household_id, person_id or "", program).
    pub results: Vec<ResultRow>,
    /// Every decided unit, eligible or not (the `--all` output), same order.
    pub all: Vec<ResultRow>,
    /// `medical.csv`: the stays of M's year discharged up to the end of M.
    pub medical: Vec<MedicalRow>,
    /// Units that cannot be decided, same order as `results`.
    pub undecided: Vec<Undecided>,
}

/// The evaluated month M.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Month {
    pub first: NaiveDate,
    pub last: NaiveDate,
    pub year: i32,
    /// First day of the 12-month window "ending on the last day of M": the first day of
    /// the month eleven months before M (M = 2024-06 → 2023-07-01).
    pub window_first: NaiveDate,
}

impl Month {
    pub fn of(day: NaiveDate) -> Month {
        let first = day.with_day(1).expect("day 1 exists");
        let last = first + Months::new(1) - chrono::Days::new(1);
        Month {
            first,
            last,
            year: first.year(),
            window_first: first - Months::new(11),
        }
    }

    /// Whether a discharge date lies in the 12 months ending on the last day of M.
    pub fn in_window(&self, d: NaiveDate) -> bool {
        self.window_first <= d && d <= self.last
    }

    /// Whether a person counts in M: alive, or deceased on or after the first day of M
    /// (ignored "from the first day of the month after that date", clarification 9).
    pub fn counts(&self, p: &Person) -> bool {
        p.deceased_on.is_none_or(|d| d >= self.first)
    }
}
