//! The syntax tree of a formula: what was written, with where it was written.
//!
//! The tree is purely syntactic. A [`ExprKind::Name`] is not yet a parameter or a
//! variable, a [`ExprKind::Call`] is not yet a known function: the policy crate
//! resolves names and checks types in a later phase. Grouping parentheses leave no
//! node; they only widen the [`Span`] of the expression they enclose, so that every
//! node's span is exactly the text that parses back to that node.

use std::fmt;

/// A byte range `start..end` in the formula text.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, PartialOrd, Ord)]
pub struct Span {
    /// Offset of the first byte.
    pub start: usize,
    /// Offset one past the last byte (`start == end` for a position, such as the end
    /// of the formula).
    pub end: usize,
}

impl Span {
    /// A span from two offsets.
    pub const fn new(start: usize, end: usize) -> Self {
        Self { start, end }
    }

    /// The 1-based line and 1-based column (counted in characters, not bytes) of the
    /// start of the span, for messages a person reads.
    ///
    /// Never panics: an offset past the end of `text` or inside a multi-byte character
    /// is moved back to the nearest character boundary.
    pub fn line_col(&self, text: &str) -> (usize, usize) {
        let mut at = self.start.min(text.len());
        while !text.is_char_boundary(at) {
            at -= 1;
        }
        let before = &text[..at];
        let line_start = before.rfind('\n').map_or(0, |newline| newline + 1);
        let line = before.matches('\n').count() + 1;
        let column = before[line_start..].chars().count() + 1;
        (line, column)
    }

    /// The smallest span covering both.
    pub fn to(self, other: Span) -> Span {
        Span::new(self.start.min(other.start), self.end.max(other.end))
    }
}

impl From<pest::Span<'_>> for Span {
    fn from(span: pest::Span<'_>) -> Self {
        Span::new(span.start(), span.end())
    }
}

/// An expression and the text it came from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Expr {
    /// What the expression is.
    pub kind: ExprKind,
    /// Where it is in the formula text (including any enclosing parentheses).
    pub span: Span,
}

/// The forms of expression. Closed: every later phase matches on all of them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ExprKind {
    /// An exact decimal `mantissa × 10^-scale`, digits kept as written: `1.30` is
    /// (130, 2), `20%` is (20, 2). The parser never produces a negative mantissa
    /// (`-5` is a negation of 5).
    Number {
        /// The digits as an integer.
        mantissa: i128,
        /// How many of them are after the decimal point.
        scale: u32,
    },
    /// A string literal, without its quotes.
    Str(String),
    /// `true` or `false`.
    Bool(bool),
    /// A possibly dotted name, one segment per element: `dibao.standard.urban`.
    Name(Vec<String>),
    /// `base[index]`.
    Index {
        /// What is indexed, usually a table-valued parameter.
        base: Box<Expr>,
        /// The key.
        index: Box<Expr>,
    },
    /// A prefix operator applied to an operand.
    Unary {
        /// Which operator.
        op: UnaryOp,
        /// The operand.
        expr: Box<Expr>,
    },
    /// A binary operator.
    Binary {
        /// Which operator.
        op: BinaryOp,
        /// Left operand.
        lhs: Box<Expr>,
        /// Right operand.
        rhs: Box<Expr>,
    },
    /// `expr in set` or `expr not in set`.
    In {
        /// The value tested.
        expr: Box<Expr>,
        /// The alternatives.
        set: InSet,
        /// `true` for `not in`.
        negated: bool,
    },
    /// `if c1 then v1 elif c2 then v2 … else otherwise`.
    If {
        /// The (condition, value) pairs in order; never empty.
        branches: Vec<(Expr, Expr)>,
        /// The value when no condition holds.
        otherwise: Box<Expr>,
    },
    /// `name(positional…, named: value…)`.
    Call {
        /// The function's name (a single identifier).
        name: String,
        /// Positional arguments, in order.
        args: Vec<Expr>,
        /// Named arguments in order: name, the span of the name, value.
        named: Vec<(String, Span, Expr)>,
    },
}

/// The right-hand side of `in`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum InSet {
    /// `[a, b, c]`: one of these values (never empty).
    List(Vec<Expr>),
    /// `lo..hi`: between the bounds, both included (`age in 80..89` includes 89).
    Range {
        /// Lower bound, included.
        lo: Box<Expr>,
        /// Upper bound, included.
        hi: Box<Expr>,
    },
}

/// Prefix operators.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum UnaryOp {
    /// Arithmetic negation `-x`.
    Neg,
    /// Logical negation `not x`.
    Not,
}

/// Binary operators.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum BinaryOp {
    /// `or`
    Or,
    /// `and`
    And,
    /// `==`
    Eq,
    /// `!=`
    Ne,
    /// `<`
    Lt,
    /// `<=`
    Le,
    /// `>`
    Gt,
    /// `>=`
    Ge,
    /// `+`
    Add,
    /// `-`
    Sub,
    /// `*`
    Mul,
    /// `/`
    Div,
}

impl UnaryOp {
    /// Every prefix operator.
    pub const ALL: [UnaryOp; 2] = [UnaryOp::Neg, UnaryOp::Not];

    /// How the operator is written.
    pub const fn symbol(self) -> &'static str {
        match self {
            UnaryOp::Neg => "-",
            UnaryOp::Not => "not",
        }
    }
}

impl BinaryOp {
    /// Every binary operator, loosest-binding first.
    pub const ALL: [BinaryOp; 12] = [
        BinaryOp::Or,
        BinaryOp::And,
        BinaryOp::Eq,
        BinaryOp::Ne,
        BinaryOp::Lt,
        BinaryOp::Le,
        BinaryOp::Gt,
        BinaryOp::Ge,
        BinaryOp::Add,
        BinaryOp::Sub,
        BinaryOp::Mul,
        BinaryOp::Div,
    ];

    /// How the operator is written.
    pub const fn symbol(self) -> &'static str {
        match self {
            BinaryOp::Or => "or",
            BinaryOp::And => "and",
            BinaryOp::Eq => "==",
            BinaryOp::Ne => "!=",
            BinaryOp::Lt => "<",
            BinaryOp::Le => "<=",
            BinaryOp::Gt => ">",
            BinaryOp::Ge => ">=",
            BinaryOp::Add => "+",
            BinaryOp::Sub => "-",
            BinaryOp::Mul => "*",
            BinaryOp::Div => "/",
        }
    }

    /// Whether this is one of the (non-chaining) comparisons.
    pub const fn is_comparison(self) -> bool {
        matches!(
            self,
            BinaryOp::Eq | BinaryOp::Ne | BinaryOp::Lt | BinaryOp::Le | BinaryOp::Gt | BinaryOp::Ge
        )
    }
}

impl fmt::Display for Expr {
    /// The canonical text, as [`crate::print`] writes it.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&crate::print(self))
    }
}

#[cfg(test)]
mod tests {
    use super::Span;

    #[test]
    fn line_col_counts_lines_from_one_and_columns_in_chars() {
        let text = "a +\n  '城市' + b";
        assert_eq!(Span::new(0, 0).line_col(text), (1, 1));
        assert_eq!(Span::new(2, 3).line_col(text), (1, 3));
        assert_eq!(Span::new(4, 4).line_col(text), (2, 1));
        // '城' and '市' are three bytes each but one column each.
        let b = text.find('b').unwrap();
        assert_eq!(Span::new(b, b + 1).line_col(text), (2, 10));
    }

    #[test]
    fn line_col_tolerates_offsets_past_the_end_or_inside_a_character() {
        let text = "城市";
        assert_eq!(Span::new(1, 1).line_col(text), (1, 1));
        assert_eq!(Span::new(99, 99).line_col(text), (1, 3));
    }
}
