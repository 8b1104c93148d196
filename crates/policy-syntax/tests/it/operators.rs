//! Every operator, its precedence against its neighbours, and its associativity.

use minsheng_policy_syntax::{BinaryOp, UnaryOp};

use crate::{bin, canon, name, num, p, sh, strip, unary};

#[test]
fn each_binary_operator_parses_to_its_own_node() {
    for op in BinaryOp::ALL {
        let text = format!("a {} b", op.symbol());
        assert_eq!(strip(&p(&text)), bin(op, name("a"), name("b")), "{text}");
        assert_eq!(canon(&text), text);
    }
}

#[test]
fn each_prefix_operator_parses_to_its_own_node() {
    assert_eq!(strip(&p("-a")), unary(UnaryOp::Neg, name("a")));
    assert_eq!(strip(&p("not a")), unary(UnaryOp::Not, name("a")));
    // No negative literals: `-5` is the negation of 5, which keeps the lexer simple and
    // `1 - 5` unambiguous.
    assert_eq!(strip(&p("-5")), unary(UnaryOp::Neg, num(5, 0)));
}

#[test]
fn arithmetic_is_left_associative() {
    assert_eq!(sh("1 - 2 - 3"), "((1 - 2) - 3)");
    assert_eq!(
        strip(&p("1 - 2 - 3")),
        bin(
            BinaryOp::Sub,
            bin(BinaryOp::Sub, num(1, 0), num(2, 0)),
            num(3, 0)
        )
    );
    assert_eq!(sh("8 / 4 / 2"), "((8 / 4) / 2)");
    assert_eq!(sh("a + b - c + d"), "(((a + b) - c) + d)");
    assert_eq!(sh("a * b / c * d"), "(((a * b) / c) * d)");
}

#[test]
fn multiplication_binds_tighter_than_addition() {
    assert_eq!(sh("a + b * c"), "(a + (b * c))");
    assert_eq!(sh("a * b + c"), "((a * b) + c)");
    assert_eq!(sh("a - b / c - d"), "((a - (b / c)) - d)");
    assert_eq!(sh("(a + b) * c"), "((a + b) * c)");
}

#[test]
fn negation_binds_tighter_than_multiplication_and_looser_than_indexing() {
    assert_eq!(sh("-a * b"), "((-a) * b)");
    assert_eq!(sh("a * -b"), "(a * (-b))");
    assert_eq!(sh("-a[k]"), "(-a[k])");
    assert_eq!(sh("1 - -1"), "(1 - (-1))");
    assert_eq!(sh("- - a"), "(-(-a))");
}

#[test]
fn comparisons_bind_looser_than_arithmetic() {
    assert_eq!(sh("a + 1 < b * 2"), "((a + 1) < (b * 2))");
    assert_eq!(sh("a == b + c"), "(a == (b + c))");
    assert_eq!(sh("-a >= -b"), "((-a) >= (-b))");
}

#[test]
fn comparisons_do_not_chain_but_parentheses_make_it_explicit() {
    assert!(p_err("a < b < c"));
    assert!(p_err("a == b != c"));
    assert!(p_err("a < b in [true]"));
    assert!(p_err("a in [1] == b"));
    assert_eq!(sh("(a < b) == c"), "((a < b) == c)");
    assert_eq!(sh("a == (b < c)"), "(a == (b < c))");
}

fn p_err(text: &str) -> bool {
    minsheng_policy_syntax::parse(text).is_err()
}

#[test]
fn not_binds_looser_than_comparison_and_tighter_than_and() {
    assert_eq!(sh("not a == b"), "(not (a == b))");
    assert_eq!(sh("not a and b"), "((not a) and b)");
    assert_eq!(sh("not a in [1, 2]"), "(not (a in [1, 2]))");
    assert_eq!(sh("not not a"), "(not (not a))");
    assert_eq!(sh("a and not b"), "(a and (not b))");
    // A `not` as the operand of a tighter operator must be parenthesised.
    assert!(p_err("a == not b"));
    assert!(p_err("1 + not b"));
    assert!(p_err("- not b"));
    assert_eq!(sh("a == (not b)"), "(a == (not b))");
}

#[test]
fn and_binds_tighter_than_or() {
    assert_eq!(sh("a or b and c"), "(a or (b and c))");
    assert_eq!(sh("a and b or c"), "((a and b) or c)");
    assert_eq!(sh("a or b or c"), "((a or b) or c)");
    assert_eq!(sh("a and b and c"), "((a and b) and c)");
    assert_eq!(sh("(a or b) and c"), "((a or b) and c)");
}

#[test]
fn if_is_the_loosest_form() {
    assert_eq!(
        sh("if a or b then x + 1 else y and z"),
        "(if (a or b) then (x + 1) else (y and z))"
    );
    // As an operand it needs parentheses.
    assert!(p_err("1 + if a then 2 else 3"));
    assert_eq!(sh("1 + (if a then 2 else 3)"), "(1 + (if a then 2 else 3))");
}

#[test]
fn keywords_only_match_whole_words() {
    // `order`, `android`, `notice`, `input`, `iffy`, `thence`: names, not keywords.
    assert_eq!(sh("order or android"), "(order or android)");
    assert_eq!(sh("notice and input"), "(notice and input)");
    assert_eq!(
        sh("if iffy then thence else elsewhere"),
        "(if iffy then thence else elsewhere)"
    );
}

#[test]
fn printing_adds_only_the_parentheses_the_tree_needs() {
    for (text, printed) in [
        ("((a + b)) * (c)", "(a + b) * c"),
        ("a - (b - c)", "a - (b - c)"),
        ("(a - b) - c", "a - b - c"),
        ("a / (b * c)", "a / (b * c)"),
        ("(not a) == b", "(not a) == b"),
        ("not (a == b)", "not a == b"),
        ("(a or b) and not (c or d)", "(a or b) and not (c or d)"),
        ("-(a + b)", "-(a + b)"),
        ("-(-a)", "-(-a)"),
        ("(a[1])[2]", "a[1][2]"),
        ("(a + b)[c]", "(a + b)[c]"),
        ("(x in [1]) == (y in 1..2)", "(x in [1]) == (y in 1..2)"),
        ("x in (a or b)..c", "x in (a or b)..c"),
    ] {
        assert_eq!(canon(text), printed, "{text}");
    }
}
