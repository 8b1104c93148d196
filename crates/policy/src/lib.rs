//! Rules as code: the policy engine.
//!
//! - [`check`]: load-time checks — names, types, vocabularies, cycles — and the evaluation order;
//! - [`eval`]: a checked pack over a frame, column by column, with three-valued unknowns;
//! - [`explain`]: one household's decisions with the values and parameters behind them;
//! - [`decimal`]: exact decimals for parameter values and formula literals;
//! - [`fixed`]: exact fixed-point arithmetic for evaluation (10⁻⁸), roundings by unit;
//! - [`frame`]: the population of one month as columns (struct-of-arrays);
//! - [`medical`]: the medical chain (三重保障 and the district top-up), a bounded built-in;
//! - [`pack`]: a pack folder read: parameters, variables and programs with parsed formulas;
//! - [`reform`]: reform files — parameter values on top, replaced formulas — for simulations;
//! - [`params`]: dated, region-scoped parameters read from TOML policy files, and the
//!   rule that picks the value in force for a unit and a month.
//!
//! The phases: `pack` (read and parse) → `check` (names, types, order) → `frame` (the
//! month's population as columns) → `eval`. Explanations, the CLI and parallelism follow
//! (issue 4). The engine agrees with the independent oracle on whole synthetic districts.
//!
//! ```
//! use minsheng_policy::params::Parameters;
//! let p = Parameters::parse("p.toml", "[dibao.standard.urban]\nlabel = \"城市低保标准\"\nvalues = [{ region = \"5107\", value = 610 }]\n").unwrap();
//! let month = minsheng_model::date::parse_iso("2024-06-01").unwrap();
//! let code = minsheng_model::RegionCode::parse("510703001003").unwrap();
//! assert_eq!(p.resolve("dibao.standard.urban", month, code).unwrap().value.to_string(), "610");
//! ```

pub mod check;
pub mod decimal;
pub mod eval;
pub mod explain;
pub mod fixed;
pub mod frame;
pub mod medical;
pub mod pack;
pub mod params;
pub mod reform;
