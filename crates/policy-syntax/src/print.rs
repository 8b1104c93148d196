//! The canonical text of an expression: one space around binary operators, `, `
//! between arguments, and parentheses only where the grammar needs them (plus three
//! places where they are required or read better: `a == (not b)`, `-(-a)` and an `if`
//! as the condition or value of another `if`). Explanations quote formulas this way.
//!
//! For every tree the parser produces, `parse(print(e))` gives `e` back (spans aside);
//! the property tests hold the printer to that.

use std::fmt::Write as _;

use crate::ast::{BinaryOp, Expr, ExprKind, InSet, UnaryOp};

// Binding strength, loosest first; mirrors the Pratt table in `lower.rs`.
const IF: u8 = 0;
const OR: u8 = 1;
const AND: u8 = 2;
const NOT: u8 = 3;
const COMPARE: u8 = 4;
const ADD: u8 = 5;
const MUL: u8 = 6;
const NEG: u8 = 7;
const POSTFIX: u8 = 8;
const ATOM: u8 = 9;

/// The canonical text of `expr`.
///
/// Strings are quoted with `'` unless they contain one. A tree the parser cannot
/// produce (a string with both quotes or a newline, a keyword as a name, a negative
/// mantissa, an empty list) is printed as faithfully as the language allows.
pub fn print(expr: &Expr) -> String {
    let mut out = String::new();
    write(&mut out, expr, IF);
    out
}

fn strength(expr: &Expr) -> u8 {
    match &expr.kind {
        ExprKind::If { .. } => IF,
        ExprKind::Binary { op, .. } => binary_strength(*op),
        ExprKind::Unary {
            op: UnaryOp::Not, ..
        } => NOT,
        ExprKind::Unary {
            op: UnaryOp::Neg, ..
        } => NEG,
        ExprKind::In { .. } => COMPARE,
        ExprKind::Index { .. } => POSTFIX,
        // Written `-5`, which reads back as a negation: bind like one.
        ExprKind::Number { mantissa, .. } if *mantissa < 0 => NEG,
        ExprKind::Number { .. }
        | ExprKind::Str(_)
        | ExprKind::Bool(_)
        | ExprKind::Name(_)
        | ExprKind::Call { .. } => ATOM,
    }
}

fn binary_strength(op: BinaryOp) -> u8 {
    match op {
        BinaryOp::Or => OR,
        BinaryOp::And => AND,
        BinaryOp::Add | BinaryOp::Sub => ADD,
        BinaryOp::Mul | BinaryOp::Div => MUL,
        BinaryOp::Eq | BinaryOp::Ne | BinaryOp::Lt | BinaryOp::Le | BinaryOp::Gt | BinaryOp::Ge => {
            COMPARE
        }
    }
}

/// Writes `expr`, in parentheses if it binds less tightly than `min`.
fn write(out: &mut String, expr: &Expr, min: u8) {
    // Parsed trees are at most MAX_DEPTH high, but `print` also takes trees built by hand.
    stacker::maybe_grow(64 * 1024, 1024 * 1024, || write_grouped(out, expr, min));
}

fn write_grouped(out: &mut String, expr: &Expr, min: u8) {
    if strength(expr) < min {
        out.push('(');
        write_bare(out, expr);
        out.push(')');
    } else {
        write_bare(out, expr);
    }
}

fn write_bare(out: &mut String, expr: &Expr) {
    match &expr.kind {
        ExprKind::Number { mantissa, scale } => write_number(out, *mantissa, *scale),
        ExprKind::Str(text) => {
            let quote = if text.contains('\'') { '"' } else { '\'' };
            out.push(quote);
            out.push_str(text);
            out.push(quote);
        }
        ExprKind::Bool(value) => out.push_str(if *value { "true" } else { "false" }),
        ExprKind::Name(segments) => out.push_str(&segments.join(".")),
        ExprKind::Index { base, index } => {
            write(out, base, POSTFIX);
            out.push('[');
            write(out, index, IF);
            out.push(']');
        }
        ExprKind::Unary { op, expr } => match op {
            UnaryOp::Neg => {
                out.push('-');
                // Strictly tighter, so that `-(-a)` never prints as `--a`.
                write(out, expr, POSTFIX);
            }
            UnaryOp::Not => {
                out.push_str("not ");
                write(out, expr, NOT);
            }
        },
        ExprKind::Binary { op, lhs, rhs } => {
            let strength = binary_strength(*op);
            // Left-associative, so the left operand may bind equally tightly, except for
            // comparisons, which do not chain.
            let left_min = if strength == COMPARE {
                strength + 1
            } else {
                strength
            };
            write(out, lhs, left_min);
            let _ = write!(out, " {} ", op.symbol());
            // A bare `not` on the right is refused by the parser, and NOT < COMPARE
            // already puts it in parentheses here.
            write(out, rhs, strength + 1);
        }
        ExprKind::In { expr, set, negated } => {
            write(out, expr, COMPARE + 1);
            out.push_str(if *negated { " not in " } else { " in " });
            match set {
                InSet::List(items) => {
                    out.push('[');
                    write_list(out, items);
                    out.push(']');
                }
                InSet::Range { lo, hi } => {
                    // Range bounds are arithmetic only (see `range` in the grammar).
                    write(out, lo, ADD);
                    out.push_str("..");
                    write(out, hi, ADD);
                }
            }
        }
        ExprKind::If {
            branches,
            otherwise,
        } => {
            for (position, (condition, value)) in branches.iter().enumerate() {
                out.push_str(if position == 0 { "if " } else { " elif " });
                // Another `if` here parses without parentheses but does not read.
                write(out, condition, OR);
                out.push_str(" then ");
                write(out, value, OR);
            }
            out.push_str(" else ");
            write(out, otherwise, IF);
        }
        ExprKind::Call { name, args, named } => {
            out.push_str(name);
            out.push('(');
            write_list(out, args);
            for (position, (key, _, value)) in named.iter().enumerate() {
                if position > 0 || !args.is_empty() {
                    out.push_str(", ");
                }
                out.push_str(key);
                out.push_str(": ");
                write(out, value, IF);
            }
            out.push(')');
        }
    }
}

fn write_list(out: &mut String, items: &[Expr]) {
    for (position, item) in items.iter().enumerate() {
        if position > 0 {
            out.push_str(", ");
        }
        write(out, item, IF);
    }
}

/// (13, 1) → `1.3`, (5, 3) → `0.005`, (20, 2) → `0.20`: all digits kept, so the text
/// reads back as the same mantissa and scale.
fn write_number(out: &mut String, mantissa: i128, scale: u32) {
    if mantissa < 0 {
        out.push('-');
    }
    let digits = mantissa.unsigned_abs().to_string();
    let scale = usize::try_from(scale).unwrap_or(usize::MAX);
    if scale == 0 {
        out.push_str(&digits);
    } else if digits.len() > scale {
        let (whole, fraction) = digits.split_at(digits.len() - scale);
        let _ = write!(out, "{whole}.{fraction}");
    } else {
        out.push_str("0.");
        out.extend(std::iter::repeat_n('0', scale - digits.len()));
        out.push_str(&digits);
    }
}

#[cfg(test)]
mod tests {
    use super::write_number;

    #[test]
    fn numbers_print_every_digit() {
        let text = |mantissa, scale| {
            let mut out = String::new();
            write_number(&mut out, mantissa, scale);
            out
        };
        assert_eq!(text(610, 0), "610");
        assert_eq!(text(13, 1), "1.3");
        assert_eq!(text(20, 2), "0.20");
        assert_eq!(text(5, 3), "0.005");
        assert_eq!(text(0, 0), "0");
        assert_eq!(text(-15, 1), "-1.5");
    }
}
