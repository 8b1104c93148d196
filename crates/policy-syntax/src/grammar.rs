//! The pest parser generated from `formula.pest`, the documented grammar.
//!
//! Kept in its own module so that the generated `Rule` enum stays crate-private: the
//! public interface is the AST, never pest's pairs.

/// Parser for `formula.pest`; entry rule [`Rule::formula`].
#[derive(pest_derive::Parser)]
#[grammar = "formula.pest"]
pub(crate) struct FormulaParser;
