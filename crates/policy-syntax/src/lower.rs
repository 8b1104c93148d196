//! Lowering: pest's parse tree to the AST, folding operator sequences by precedence
//! with a Pratt parser, and refusing what the grammar lets through but the language
//! does not want (chained comparisons, a bare `not` as an operand, numbers too large,
//! positional arguments after named ones, trees too deep).

use std::sync::LazyLock;

use pest::iterators::{Pair, Pairs};
use pest::pratt_parser::{Assoc, Op, PrattParser};

use crate::ast::{BinaryOp, Expr, ExprKind, InSet, Span, UnaryOp};
use crate::diagnostic::Diagnostic;
use crate::grammar::Rule;
use crate::scan::MAX_DEPTH;

/// The precedence table, loosest first. This is the one place precedence is defined;
/// `print.rs` mirrors it to decide where parentheses are needed.
static PRATT: LazyLock<PrattParser<Rule>> = LazyLock::new(|| {
    PrattParser::new()
        .op(Op::infix(Rule::or_op, Assoc::Left))
        .op(Op::infix(Rule::and_op, Assoc::Left))
        .op(Op::prefix(Rule::not_op))
        // Comparisons and membership share a level; `lower` refuses to chain them.
        .op(Op::infix(Rule::eq, Assoc::Left)
            | Op::infix(Rule::ne, Assoc::Left)
            | Op::infix(Rule::lt, Assoc::Left)
            | Op::infix(Rule::le, Assoc::Left)
            | Op::infix(Rule::gt, Assoc::Left)
            | Op::infix(Rule::ge, Assoc::Left)
            | Op::postfix(Rule::in_test))
        .op(Op::infix(Rule::add, Assoc::Left) | Op::infix(Rule::sub, Assoc::Left))
        .op(Op::infix(Rule::mul, Assoc::Left) | Op::infix(Rule::div, Assoc::Left))
        .op(Op::prefix(Rule::neg))
        .op(Op::postfix(Rule::index))
});

/// Stack kept free before lowering one more level, and the size of each extra segment.
/// Between two calls of `Lower::expr` the Pratt parser may recurse once per prefix
/// operator (`- - - x`), up to MAX_DEPTH times at about 1.5 KiB each unoptimised.
const RED_ZONE: usize = 512 * 1024;
const STACK_SEGMENT: usize = 2 * 1024 * 1024;

/// An expression under construction, with what the checks need to know about it.
struct Built {
    expr: Expr,
    /// Written in parentheses: `(a < b) == c` is allowed where `a < b == c` is not.
    grouped: bool,
    /// Height of the tree, bounded by [`MAX_DEPTH`].
    depth: usize,
}

type Lowered = Result<Built, Diagnostic>;

/// Lowers the `formula` pair of `text`.
pub(crate) fn formula(pair: Pair<'_, Rule>, text: &str) -> Result<Expr, Diagnostic> {
    let span = Span::from(pair.as_span());
    let lower = Lower { text };
    let body = pair
        .into_inner()
        .find(|pair| pair.as_rule() != Rule::EOI)
        .ok_or_else(|| Diagnostic::internal(span, "empty formula"))?;
    Ok(lower.expr(body)?.expr)
}

fn node(kind: ExprKind, span: Span, depth: usize) -> Lowered {
    if depth > MAX_DEPTH {
        return Err(Diagnostic::too_deep(span));
    }
    Ok(Built {
        expr: Expr { kind, span },
        grouped: false,
        depth,
    })
}

/// An unparenthesised comparison or membership test, which another cannot follow.
fn is_comparison(built: &Built) -> bool {
    !built.grouped
        && match &built.expr.kind {
            ExprKind::Binary { op, .. } => op.is_comparison(),
            ExprKind::In { .. } => true,
            _ => false,
        }
}

/// An unparenthesised `not …`.
fn is_bare_not(built: &Built) -> bool {
    !built.grouped
        && matches!(
            built.expr.kind,
            ExprKind::Unary {
                op: UnaryOp::Not,
                ..
            }
        )
}

struct Lower<'t> {
    text: &'t str,
}

impl Lower<'_> {
    fn expr(&self, pair: Pair<'_, Rule>) -> Lowered {
        // Every nesting level of lowering passes through here. Unoptimised builds spend
        // up to 20 KiB of stack per level, so even a formula within MAX_DEPTH could
        // exhaust a small thread stack; grow it on the heap instead.
        stacker::maybe_grow(RED_ZONE, STACK_SEGMENT, || self.expr_on_stack(pair))
    }

    fn expr_on_stack(&self, pair: Pair<'_, Rule>) -> Lowered {
        match pair.as_rule() {
            Rule::if_expr => self.if_expr(pair),
            Rule::op_expr | Rule::arith => self.operators(pair.into_inner()),
            rule => Err(Diagnostic::internal(
                pair.as_span().into(),
                &format!("{rule:?}"),
            )),
        }
    }

    /// The children of `pair` that are expressions, skipping punctuation and keywords.
    fn exprs(&self, pair: Pair<'_, Rule>) -> Result<Vec<Built>, Diagnostic> {
        pair.into_inner()
            .filter(|child| matches!(child.as_rule(), Rule::if_expr | Rule::op_expr | Rule::arith))
            .map(|child| self.expr(child))
            .collect()
    }

    fn operators(&self, pairs: Pairs<'_, Rule>) -> Lowered {
        PRATT
            .map_primary(|primary| self.primary(primary))
            .map_prefix(|op, operand| self.prefix(&op, operand?))
            .map_postfix(|operand, op| self.postfix(operand?, op))
            .map_infix(|lhs, op, rhs| self.infix(lhs?, &op, rhs?))
            .parse(pairs)
    }

    fn primary(&self, pair: Pair<'_, Rule>) -> Lowered {
        let span = Span::from(pair.as_span());
        let text = pair.as_str();
        match pair.as_rule() {
            Rule::number => node(number(text, span)?, span, 1),
            Rule::string => {
                // Both quotes are one byte; the grammar guarantees they are there.
                let inner = text
                    .get(1..text.len().saturating_sub(1))
                    .unwrap_or_default();
                node(ExprKind::Str(inner.to_owned()), span, 1)
            }
            Rule::boolean => node(ExprKind::Bool(text == "true"), span, 1),
            Rule::name => {
                let segments = pair.into_inner().map(|s| s.as_str().to_owned()).collect();
                node(ExprKind::Name(segments), span, 1)
            }
            Rule::call => self.call(pair),
            Rule::paren => {
                let inner = self.exprs(pair)?.pop();
                let mut built = inner.ok_or_else(|| Diagnostic::internal(span, "paren"))?;
                built.grouped = true;
                built.expr.span = span;
                Ok(built)
            }
            rule => Err(Diagnostic::internal(span, &format!("{rule:?}"))),
        }
    }

    fn call(&self, pair: Pair<'_, Rule>) -> Lowered {
        let span = Span::from(pair.as_span());
        let mut inner = pair.into_inner();
        let name = inner
            .next()
            .map(|ident| ident.as_str().to_owned())
            .unwrap_or_default();
        let (mut args, mut named) = (Vec::new(), Vec::<(String, Span, Expr)>::new());
        let mut depth = 1;
        for arg in inner {
            match arg.as_rule() {
                Rule::comma | Rule::rparen => {}
                Rule::named_arg => {
                    let mut parts = arg.into_inner();
                    let ident = parts
                        .next()
                        .ok_or_else(|| Diagnostic::internal(span, "arg"))?;
                    let key = ident.as_str().to_owned();
                    let key_span = Span::from(ident.as_span());
                    if named.iter().any(|(existing, ..)| *existing == key) {
                        return Err(Diagnostic::duplicate_named(key_span, &key));
                    }
                    let value = parts.find(|part| part.as_rule() != Rule::colon);
                    let value =
                        self.expr(value.ok_or_else(|| Diagnostic::internal(span, "arg"))?)?;
                    depth = depth.max(value.depth + 1);
                    named.push((key, key_span, value.expr));
                }
                _ => {
                    let value = self.expr(arg)?;
                    if !named.is_empty() {
                        return Err(Diagnostic::positional_after_named(value.expr.span));
                    }
                    depth = depth.max(value.depth + 1);
                    args.push(value.expr);
                }
            }
        }
        node(ExprKind::Call { name, args, named }, span, depth)
    }

    fn prefix(&self, op: &Pair<'_, Rule>, operand: Built) -> Lowered {
        let op_span = Span::from(op.as_span());
        let op = match op.as_rule() {
            Rule::neg => UnaryOp::Neg,
            Rule::not_op => UnaryOp::Not,
            rule => return Err(Diagnostic::internal(op_span, &format!("{rule:?}"))),
        };
        if op == UnaryOp::Neg && is_bare_not(&operand) {
            return Err(Diagnostic::not_needs_parentheses(operand.expr.span));
        }
        let span = op_span.to(operand.expr.span);
        let kind = ExprKind::Unary {
            op,
            expr: Box::new(operand.expr),
        };
        node(kind, span, operand.depth + 1)
    }

    fn infix(&self, lhs: Built, op: &Pair<'_, Rule>, rhs: Built) -> Lowered {
        let op_span = Span::from(op.as_span());
        let op = match op.as_rule() {
            Rule::or_op => BinaryOp::Or,
            Rule::and_op => BinaryOp::And,
            Rule::eq => BinaryOp::Eq,
            Rule::ne => BinaryOp::Ne,
            Rule::lt => BinaryOp::Lt,
            Rule::le => BinaryOp::Le,
            Rule::gt => BinaryOp::Gt,
            Rule::ge => BinaryOp::Ge,
            Rule::add => BinaryOp::Add,
            Rule::sub => BinaryOp::Sub,
            Rule::mul => BinaryOp::Mul,
            Rule::div => BinaryOp::Div,
            rule => return Err(Diagnostic::internal(op_span, &format!("{rule:?}"))),
        };
        if op.is_comparison() && (is_comparison(&lhs) || is_comparison(&rhs)) {
            return Err(Diagnostic::chained_comparison(
                op_span,
                self.rewrite_chain(&lhs.expr, op, &rhs.expr),
            ));
        }
        // `a == not b` would read as `a == not (b and c)` to some and `(a == not b) and c`
        // to others; like Python, require the parentheses.
        let binds_tighter_than_not = !matches!(op, BinaryOp::Or | BinaryOp::And);
        if binds_tighter_than_not && is_bare_not(&rhs) {
            return Err(Diagnostic::not_needs_parentheses(rhs.expr.span));
        }
        let span = lhs.expr.span.to(rhs.expr.span);
        let depth = lhs.depth.max(rhs.depth) + 1;
        let kind = ExprKind::Binary {
            op,
            lhs: Box::new(lhs.expr),
            rhs: Box::new(rhs.expr),
        };
        node(kind, span, depth)
    }

    /// For `a < b < c`, the rewrite `a < b and b < c`, spelled as the author spelled it.
    fn rewrite_chain(&self, lhs: &Expr, op: BinaryOp, rhs: &Expr) -> Option<String> {
        let ExprKind::Binary { rhs: middle, .. } = &lhs.kind else {
            return None;
        };
        let text = |expr: &Expr| self.text.get(expr.span.start..expr.span.end);
        Some(format!(
            "{} and {} {} {}",
            text(lhs)?,
            text(middle)?,
            op.symbol(),
            text(rhs)?
        ))
    }

    fn postfix(&self, operand: Built, op: Pair<'_, Rule>) -> Lowered {
        let op_span = Span::from(op.as_span());
        let span = operand.expr.span.to(op_span);
        match op.as_rule() {
            Rule::index => {
                let index = self.exprs(op)?.pop();
                let index = index.ok_or_else(|| Diagnostic::internal(op_span, "index"))?;
                let depth = operand.depth.max(index.depth) + 1;
                let kind = ExprKind::Index {
                    base: Box::new(operand.expr),
                    index: Box::new(index.expr),
                };
                node(kind, span, depth)
            }
            Rule::in_test => self.in_test(operand, op, span),
            rule => Err(Diagnostic::internal(op_span, &format!("{rule:?}"))),
        }
    }

    fn in_test(&self, operand: Built, op: Pair<'_, Rule>, span: Span) -> Lowered {
        let mut negated = false;
        let mut keyword_span = Span::from(op.as_span());
        let mut set = None;
        for part in op.into_inner() {
            match part.as_rule() {
                Rule::kw_not => negated = true,
                Rule::kw_in => keyword_span = Span::new(keyword_span.start, part.as_span().end()),
                Rule::list | Rule::range => set = Some(part),
                _ => {}
            }
        }
        if is_comparison(&operand) {
            return Err(Diagnostic::chained_comparison(keyword_span, None));
        }
        let set = set.ok_or_else(|| Diagnostic::internal(span, "in"))?;
        let is_list = set.as_rule() == Rule::list;
        let items = self.exprs(set)?;
        let depth = items.iter().map(|item| item.depth).max().unwrap_or(0);
        let depth = depth.max(operand.depth) + 1;
        let set = if is_list {
            InSet::List(items.into_iter().map(|item| item.expr).collect())
        } else {
            let mut bounds = items.into_iter().map(|bound| Box::new(bound.expr));
            match (bounds.next(), bounds.next()) {
                (Some(lo), Some(hi)) => InSet::Range { lo, hi },
                _ => return Err(Diagnostic::internal(span, "range")),
            }
        };
        let kind = ExprKind::In {
            expr: Box::new(operand.expr),
            set,
            negated,
        };
        node(kind, span, depth)
    }

    fn if_expr(&self, pair: Pair<'_, Rule>) -> Lowered {
        let span = Span::from(pair.as_span());
        let parts = self.exprs(pair)?;
        let depth = parts.iter().map(|part| part.depth).max().unwrap_or(0) + 1;
        let mut parts = parts.into_iter().map(|part| part.expr);
        // The grammar yields condition, value pairs and then the `else` value: an odd count.
        let otherwise = parts
            .next_back()
            .ok_or_else(|| Diagnostic::internal(span, "if"))?;
        let mut branches = Vec::new();
        while let (Some(condition), Some(value)) = (parts.next(), parts.next()) {
            branches.push((condition, value));
        }
        if branches.is_empty() {
            return Err(Diagnostic::internal(span, "if"));
        }
        let kind = ExprKind::If {
            branches,
            otherwise: Box::new(otherwise),
        };
        node(kind, span, depth)
    }
}

/// `610` → (610, 0), `1.30` → (130, 2), `20%` → (20, 2): the digits as written, no
/// floating point anywhere.
fn number(text: &str, span: Span) -> Result<ExprKind, Diagnostic> {
    let (body, percent) = match text.strip_suffix('%') {
        Some(body) => (body, true),
        None => (text, false),
    };
    let (whole, fraction) = body.split_once('.').unwrap_or((body, ""));
    let too_large = || Diagnostic::number_too_large(span, text);
    let mut mantissa: i128 = 0;
    for digit in whole.chars().chain(fraction.chars()) {
        let digit = digit
            .to_digit(10)
            .ok_or_else(|| Diagnostic::internal(span, "number"))?;
        mantissa = mantissa
            .checked_mul(10)
            .and_then(|m| m.checked_add(i128::from(digit)))
            .ok_or_else(too_large)?;
    }
    let scale = u32::try_from(fraction.len())
        .ok()
        .and_then(|scale| scale.checked_add(if percent { 2 } else { 0 }))
        .ok_or_else(too_large)?;
    Ok(ExprKind::Number { mantissa, scale })
}

#[cfg(test)]
mod tests {
    use super::number;
    use crate::ast::{ExprKind, Span};

    #[test]
    fn numbers_keep_their_digits() {
        let n = |text| number(text, Span::default());
        assert_eq!(
            n("610"),
            Ok(ExprKind::Number {
                mantissa: 610,
                scale: 0
            })
        );
        assert_eq!(
            n("1.30"),
            Ok(ExprKind::Number {
                mantissa: 130,
                scale: 2
            })
        );
        assert_eq!(
            n("12.5%"),
            Ok(ExprKind::Number {
                mantissa: 125,
                scale: 3
            })
        );
        assert_eq!(
            n("007"),
            Ok(ExprKind::Number {
                mantissa: 7,
                scale: 0
            })
        );
        assert!(n(&"9".repeat(39)).is_err());
    }
}
