//! The policy formula language: formula text in, a syntax tree with spans (or one
//! actionable diagnostic) out.
//!
//! Formulas are how a district writes its rules as data, e.g. the employment cost
//! deduction of reference-rules.md:
//!
//! ```text
//! if employment in ['employed', 'flexible']
//! then min(round(wage_income * income.employment_cost_rate, 0.01),
//!          dibao.standard[area] * income.employment_cost_cap_rate)
//! else 0
//! ```
//!
//! This crate is the first phase only. It knows nothing of parameters' values, of
//! types, entities or evaluation; the policy crate resolves names, checks types and
//! evaluates columns. It never panics, whatever the input, and never exhausts the stack:
//! nesting is bounded by [`MAX_DEPTH`].
//!
//! - `formula.pest`: the grammar, the one definition of the syntax (GRAMMAR.md is its
//!   prose version with examples);
//! - [`ast`]: the tree: [`Expr`], [`ExprKind`], [`Span`];
//! - `lower`: pest's pairs to the tree, precedence by a Pratt parser;
//! - [`diagnostic`]: errors in Chinese then English, saying what was found and what was
//!   expected;
//! - `print`: the canonical text of a tree, used in explanations;
//! - `scan`: a coarse scanner for the nesting bound and for diagnostics.
//!
//! ```
//! use minsheng_policy_syntax::{parse, print, BinaryOp, ExprKind};
//!
//! let expr = parse("ceil(tekun.basic_multiple * dibao.standard[area], 1) + tekun.care[self_care]")
//!     .expect("a valid formula");
//! assert!(matches!(expr.kind, ExprKind::Binary { op: BinaryOp::Add, .. }));
//! assert_eq!(print(&parse("(1 + 2) * (3)").unwrap()), "(1 + 2) * 3");
//!
//! let text = "610 *";
//! let error = parse(text).unwrap_err();
//! assert_eq!(error.span.line_col(text), (1, 6));
//! assert_eq!(
//!     error.message,
//!     "公式在此处意外结束，应为数字、名称或左括号 / the formula ends here; expected a number, a name or `(`"
//! );
//! ```

pub mod ast;
pub mod diagnostic;
mod grammar;
mod lower;
mod print;
mod scan;

use pest::Parser as _;

pub use ast::{BinaryOp, Expr, ExprKind, InSet, Span, UnaryOp};
pub use diagnostic::Diagnostic;
pub use print::print;
pub use scan::MAX_DEPTH;

use grammar::{FormulaParser, Rule};

/// Stack that pest's recursive descent may need for a formula nested [`MAX_DEPTH`] deep,
/// in unoptimised builds, with room to spare (measured at under 1 MiB).
const PARSER_STACK: usize = 2 * 1024 * 1024;

/// Parses one formula.
///
/// Returns the tree, or the first problem found: its span, a message in Chinese then
/// English, and what would have been accepted there.
pub fn parse(text: &str) -> Result<Expr, Diagnostic> {
    // Bound the nesting before pest's recursive descent runs, so that no input can
    // exhaust the stack of whichever thread parses.
    scan::check_nesting(text)?;
    // Pest refuses to recurse within 64 KiB of the end of the stack ("stack limit
    // reached"), which would make the deepest allowed formulas fail on small thread
    // stacks; give it a stack of its own when the caller's is short, so that every
    // formula within MAX_DEPTH parses on every thread.
    let parsed = stacker::maybe_grow(PARSER_STACK, PARSER_STACK, || {
        FormulaParser::parse(Rule::formula, text)
    });
    let mut pairs = parsed.map_err(|error| diagnostic::from_pest(&error, text))?;
    let end = Span::new(text.len(), text.len());
    let formula = pairs
        .next()
        .ok_or_else(|| Diagnostic::internal(end, "no formula"))?;
    lower::formula(formula, text)
}
