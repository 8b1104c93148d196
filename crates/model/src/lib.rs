//! The registry's domain model — the bottom of the dependency graph.
//!
//! Everything that says what a valid household, person, hospital stay, event or enrollment
//! *is* lives here, and only here, so that the importer, the store, the policy engine and
//! the web pages all agree:
//!
//! - [`money`]: [`Fen`], exact money in integer fen, and the one parser of money text;
//! - [`date`]: strict ISO 8601 dates;
//! - [`idnumber`]: 公民身份号码 (GB 11643-1999) check digit, birth date and sex;
//! - [`region`]: 12-digit 统计用区划代码 and the region tree;
//! - [`enums`]: the closed vocabularies of interchange-v1 (sex, relation, employment, …);
//! - [`records`]: the typed records;
//! - [`problem`]: every reason a value or a row can be refused, with its stable code and
//!   the sentence a caseworker reads;
//! - [`field`]: the field parsers (text cell → typed value or [`Problem`]);
//! - [`access`]: user roles and what each may see, ID and phone masking, account rows;
//! - [`audit`]: the hash-chained audit log's entries and their verification.
//!
//! The crate does no IO and knows nothing of CSV, SQL or HTTP.
//!
//! ```
//! use minsheng_model::{Fen, idnumber};
//! assert_eq!(Fen::parse_yuan("1,234.5").unwrap(), Fen(123_450));
//! assert!(idnumber::check("11010519491231002X").is_ok());
//! ```

pub mod access;
pub mod audit;
pub mod date;
pub mod enums;
pub mod field;
pub mod idnumber;
pub mod intern;
pub mod money;
pub mod problem;
pub mod records;
pub mod region;

pub use date::Date;

/// An id of the registry (household, person, stay …) held by value: an id of up to 24
/// bytes — every id the interchange files we know carry — sits inline, without an
/// allocation of its own (the evaluator holds millions of them).
pub type Id = compact_str::CompactString;
pub use enums::*;
pub use money::Fen;
pub use problem::{Problem, ProblemKind};
pub use records::*;
pub use region::{Region, RegionCode, RegionLevel, RegionTable};
