//! Seeded synthetic districts: realistic households of 绵阳市 on the real region tree,
//! streamed to any [`RecordSink`] (CSV writers, a store, memory) for demos, tests and
//! benchmarks.
//!
//! ```
//! use minsheng_model::Registry;
//! use minsheng_synth::{SynthConfig, generate};
//!
//! let regions = minsheng_interchange::regions::default_table();
//! let mut reg = Registry::default();
//! let cfg = SynthConfig { households: 50, ..SynthConfig::default() };
//! let summary = generate(&cfg, &regions, &mut reg).unwrap();
//! assert_eq!(reg.households.len(), 50);
//! assert_eq!(summary.persons as usize, reg.persons.len());
//! ```
//!
//! # How it works
//!
//! Household `i` gets its own ChaCha8 stream (key from the seed, stream number `i`): every
//! random choice about it — village, composition, health, incomes, stays, events,
//! enrollments, names — comes from that stream alone, so a run is reproducible byte for
//! byte and the drawing could be split across threads later. (Log-normal draws use the
//! platform's `ln`/`exp`/`cos`; a different libm could, rarely, move an amount by a
//! fen.) Only the numbering is sequential: ids (`H0000001`, `P00000001`, `S00000001`, `E00000001`, zero-padded so
//! that string order is numeric order, wider only when the run could exceed them) and ID
//! numbers, which [`idnum`] makes unique by construction. Memory is constant: one
//! household is drafted into reused buffers, emitted, and forgotten; the fixed-size
//! tables (villages, ID-number counters) do not grow with the household count.
//!
//! # Distributions
//!
//! Each module documents its own table, with the reasoning:
//!
//! - [`place`]: counties weighted by 户籍 population (heavier per unit in 涪城, 游仙),
//!   communities (居委会, codes 001–199) urban and villages rural, with a 5 % mix;
//! - [`household`]: 19 household templates (elderly alone, couples, nuclear families,
//!   three generations, skip-generation) by area; mean size ≈ 2.6, 25 % of persons aged 60+;
//! - [`person`]: disability ≈ 6 %, chronic illness ≈ 15 %, severe ≈ 2 %, self-care,
//!   employment (≈ 5 % of working age unemployed), supporters, orphans, deaths ≈ 0.3 %;
//! - [`income`]: incomes in fen and explicit income classes: ≈ 4.4 % of households below
//!   standard × size, ≈ 4.7 % between 1 and 1.5 ×; savings, houses, vehicles;
//! - [`medical`]: ≈ 0.45 hospital stays per household over 18 months;
//! - [`events`]: ≈ 7 events per 100 households; [`enrollments`]: today's caseloads;
//! - [`names`]: Sichuan-weighted surnames and cohort given names.
//!
//! Unknown cells ("unknown ≠ zero"): 3 % of persons miss 2–5 of their optional columns
//! and 3 % of households 1–2 of `area`, `savings`, `houses`, `vehicles` — about 1 % of
//! those cells; 15 % of households have no address. Required columns are always set.

pub mod calendar;
pub mod dist;
pub mod enrollments;
pub mod events;
pub mod household;
pub mod idnum;
pub mod income;
pub mod medical;
pub mod names;
pub mod person;
pub mod place;
mod text;

mod emit;

use chrono::NaiveDate;
use minsheng_model::{RecordSink, RegionTable, SinkError};

/// What to generate.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SynthConfig {
    pub households: u64,
    pub seed: u64,
    /// Reference date ("today") for ages, enrollments and stays; stays, events and deaths
    /// fall up to the end of its month.
    pub month: NaiveDate,
}

/// The default reference date, 2024-06-01.
pub const DEFAULT_MONTH: NaiveDate = match NaiveDate::from_ymd_opt(2024, 6, 1) {
    Some(d) => d,
    None => panic!("2024-06-01 is a date"),
};

impl Default for SynthConfig {
    fn default() -> Self {
        SynthConfig {
            households: 1000,
            seed: 1,
            month: DEFAULT_MONTH,
        }
    }
}

/// How many records of each kind were generated.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct SynthSummary {
    pub households: u64,
    pub persons: u64,
    pub stays: u64,
    pub events: u64,
    pub enrollments: u64,
}

/// Why a district could not be generated (besides the sink's own errors).
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum SynthError {
    /// The region table has no village-level unit to place households in.
    NoVillages,
    /// The reference date is outside the years 2005–9000.
    UnsupportedMonth(NaiveDate),
    /// The ID-number space of one birth date is exhausted (needs > 10^9 persons).
    IdNumbersExhausted(NaiveDate),
}

impl std::fmt::Display for SynthError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            SynthError::NoVillages => {
                f.write_str("区划表中没有村级（村/社区）区划，无法安置模拟家庭")
            }
            SynthError::UnsupportedMonth(d) => {
                write!(f, "参考日期 {d} 超出支持范围（2005–9000 年）")
            }
            SynthError::IdNumbersExhausted(d) => write!(f, "出生日期 {d} 的身份证号码顺序码已用尽"),
        }
    }
}

impl std::error::Error for SynthError {}

/// Generates `cfg.households` households on the villages of `regions` and streams them
/// to `sink`, household by household: the household, its persons, their stays, events
/// and enrollments. The same config and region table always give the same records.
pub fn generate(
    cfg: &SynthConfig,
    regions: &RegionTable,
    sink: &mut dyn RecordSink,
) -> Result<SynthSummary, SinkError> {
    let mut g = emit::Generator::new(cfg, regions)?;
    for index in 0..cfg.households {
        g.household(index, sink)?;
    }
    Ok(g.summary())
}
