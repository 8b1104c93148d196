//! The integration tests of the formula parser: text in, tree or diagnostic out.
//!
//! Trees are asserted either whole (built with the helpers below, spans stripped) or as
//! their fully parenthesised [`shape`], which shows grouping at a glance:
//! `1 - 2 - 3` has the shape `((1 - 2) - 3)`.

mod errors;
mod forms;
mod literals;
mod operators;
mod properties;
mod reference;

use minsheng_policy_syntax::{
    BinaryOp, Diagnostic, Expr, ExprKind, InSet, Span, UnaryOp, parse, print,
};

/// Parses, failing the test with the rendered diagnostic.
pub fn p(text: &str) -> Expr {
    match parse(text) {
        Ok(expr) => expr,
        Err(diagnostic) => panic!("{text:?} should parse:\n{}", diagnostic.render(text)),
    }
}

/// Parses, expecting a diagnostic.
pub fn err(text: &str) -> Diagnostic {
    match parse(text) {
        Ok(expr) => panic!("{text:?} should not parse, got {}", shape(&expr)),
        Err(diagnostic) => diagnostic,
    }
}

/// The canonical text of a formula.
pub fn canon(text: &str) -> String {
    print(&p(text))
}

/// The tree with every span (and named-argument span) set to `0..0`.
pub fn strip(expr: &Expr) -> Expr {
    let bx = |e: &Expr| Box::new(strip(e));
    let kind = match &expr.kind {
        ExprKind::Index { base, index } => ExprKind::Index {
            base: bx(base),
            index: bx(index),
        },
        ExprKind::Unary { op, expr } => ExprKind::Unary {
            op: *op,
            expr: bx(expr),
        },
        ExprKind::Binary { op, lhs, rhs } => ExprKind::Binary {
            op: *op,
            lhs: bx(lhs),
            rhs: bx(rhs),
        },
        ExprKind::In { expr, set, negated } => ExprKind::In {
            expr: bx(expr),
            set: match set {
                InSet::List(items) => InSet::List(items.iter().map(strip).collect()),
                InSet::Range { lo, hi } => InSet::Range {
                    lo: bx(lo),
                    hi: bx(hi),
                },
            },
            negated: *negated,
        },
        ExprKind::If {
            branches,
            otherwise,
        } => ExprKind::If {
            branches: branches.iter().map(|(c, v)| (strip(c), strip(v))).collect(),
            otherwise: bx(otherwise),
        },
        ExprKind::Call { name, args, named } => ExprKind::Call {
            name: name.clone(),
            args: args.iter().map(strip).collect(),
            named: named
                .iter()
                .map(|(key, _, value)| (key.clone(), Span::default(), strip(value)))
                .collect(),
        },
        leaf => leaf.clone(),
    };
    Expr {
        kind,
        span: Span::default(),
    }
}

/// Every compound node in parentheses, operators spelled as in the source.
pub fn shape(expr: &Expr) -> String {
    let list = |items: &[Expr]| items.iter().map(shape).collect::<Vec<_>>().join(", ");
    match &expr.kind {
        ExprKind::Number { .. } | ExprKind::Str(_) | ExprKind::Bool(_) | ExprKind::Name(_) => {
            print(expr)
        }
        ExprKind::Index { base, index } => format!("{}[{}]", shape(base), shape(index)),
        ExprKind::Unary { op, expr } => match op {
            UnaryOp::Neg => format!("(-{})", shape(expr)),
            UnaryOp::Not => format!("(not {})", shape(expr)),
        },
        ExprKind::Binary { op, lhs, rhs } => {
            format!("({} {} {})", shape(lhs), op.symbol(), shape(rhs))
        }
        ExprKind::In { expr, set, negated } => {
            let keyword = if *negated { "not in" } else { "in" };
            let set = match set {
                InSet::List(items) => format!("[{}]", list(items)),
                InSet::Range { lo, hi } => format!("{}..{}", shape(lo), shape(hi)),
            };
            format!("({} {keyword} {set})", shape(expr))
        }
        ExprKind::If {
            branches,
            otherwise,
        } => {
            let branches: Vec<String> = branches
                .iter()
                .map(|(c, v)| format!("{} then {}", shape(c), shape(v)))
                .collect();
            format!("(if {} else {})", branches.join(" elif "), shape(otherwise))
        }
        ExprKind::Call { name, args, named } => {
            let mut parts = vec![list(args)];
            parts.extend(named.iter().map(|(k, _, v)| format!("{k}: {}", shape(v))));
            parts.retain(|part| !part.is_empty());
            format!("{name}({})", parts.join(", "))
        }
    }
}

/// The shape of a formula.
pub fn sh(text: &str) -> String {
    shape(&p(text))
}

// Builders for whole-tree assertions; spans are `0..0`, compare against `strip`.

pub fn at(kind: ExprKind) -> Expr {
    Expr {
        kind,
        span: Span::default(),
    }
}

pub fn num(mantissa: i128, scale: u32) -> Expr {
    at(ExprKind::Number { mantissa, scale })
}

pub fn name(dotted: &str) -> Expr {
    at(ExprKind::Name(
        dotted.split('.').map(str::to_owned).collect(),
    ))
}

pub fn string(text: &str) -> Expr {
    at(ExprKind::Str(text.to_owned()))
}

pub fn bin(op: BinaryOp, lhs: Expr, rhs: Expr) -> Expr {
    at(ExprKind::Binary {
        op,
        lhs: Box::new(lhs),
        rhs: Box::new(rhs),
    })
}

pub fn unary(op: UnaryOp, expr: Expr) -> Expr {
    at(ExprKind::Unary {
        op,
        expr: Box::new(expr),
    })
}

pub fn index(base: Expr, key: Expr) -> Expr {
    at(ExprKind::Index {
        base: Box::new(base),
        index: Box::new(key),
    })
}

pub fn call(function: &str, args: Vec<Expr>, named: Vec<(&str, Expr)>) -> Expr {
    at(ExprKind::Call {
        name: function.to_owned(),
        args,
        named: named
            .into_iter()
            .map(|(key, value)| (key.to_owned(), Span::default(), value))
            .collect(),
    })
}

/// The text a span covers.
pub fn slice(text: &str, span: Span) -> &str {
    &text[span.start..span.end]
}
