//! Literals and names: exact numbers and percentages, strings, booleans, dotted names
//! and indexing.

use minsheng_policy_syntax::ExprKind;

use crate::{at, canon, index, name, num, p, sh, slice, string, strip};

#[test]
fn numbers_keep_every_digit_and_never_touch_floating_point() {
    for (text, mantissa, scale) in [
        ("610", 610, 0),
        ("1.3", 13, 1),
        ("0.5", 5, 1),
        ("0.01", 1, 2),
        ("1.30", 130, 2),
        ("200000", 200_000, 0),
        ("0", 0, 0),
        ("007", 7, 0),
        // 0.1 + 0.2 style values stay exact.
        ("0.1", 1, 1),
    ] {
        assert_eq!(strip(&p(text)), num(mantissa, scale), "{text}");
    }
    // 38 decimals, far beyond what an f64 can hold.
    let text = format!("0.3{}1", "0".repeat(36));
    assert_eq!(strip(&p(&text)), num(3 * 10_i128.pow(37) + 1, 38));
}

#[test]
fn percentages_are_hundredths() {
    assert_eq!(strip(&p("20%")), num(20, 2));
    assert_eq!(strip(&p("100%")), num(100, 2));
    assert_eq!(strip(&p("12.5%")), num(125, 3));
    // `20%` and `0.20` are the same number, and print the same.
    assert_eq!(strip(&p("20%")), strip(&p("0.20")));
    assert_eq!(canon("wage_income * 20%"), "wage_income * 0.20");
}

#[test]
fn the_largest_numbers_fit_and_one_more_digit_is_a_diagnostic() {
    let max = i128::MAX.to_string();
    assert_eq!(strip(&p(&max)), num(i128::MAX, 0));
    let leading_zeros = format!("000000{max}");
    assert_eq!(strip(&p(&leading_zeros)), num(i128::MAX, 0));
    assert!(minsheng_policy_syntax::parse(&format!("{max}0")).is_err());
}

#[test]
fn strings_take_either_quote_and_keep_their_content() {
    assert_eq!(strip(&p("'urban'")), string("urban"));
    assert_eq!(strip(&p("\"urban\"")), string("urban"));
    assert_eq!(strip(&p("''")), string(""));
    assert_eq!(
        strip(&p("'城市 # not a comment'")),
        string("城市 # not a comment")
    );
    assert_eq!(strip(&p("\"it's\"")), string("it's"));
    // Printing prefers single quotes and switches when the content needs it.
    assert_eq!(canon("\"urban\""), "'urban'");
    assert_eq!(canon("\"it's\""), "\"it's\"");
}

#[test]
fn booleans_are_literals() {
    assert_eq!(strip(&p("true")), at(ExprKind::Bool(true)));
    assert_eq!(strip(&p("false")), at(ExprKind::Bool(false)));
    assert_eq!(strip(&p("truth")), name("truth"));
}

#[test]
fn dotted_names_are_one_node_with_segments() {
    let expr = p("dibao.standard.urban");
    assert_eq!(
        expr.kind,
        ExprKind::Name(vec!["dibao".into(), "standard".into(), "urban".into()])
    );
    assert_eq!((expr.span.start, expr.span.end), (0, 20));
    assert_eq!(strip(&p("med.basic.rate.l1")), name("med.basic.rate.l1"));
    assert_eq!(strip(&p("_private")), name("_private"));
    // Segments after a dot may start with a digit: the pack's parameter ids do.
    assert_eq!(strip(&p("elderly.80_89")), name("elderly.80_89"));
    assert_eq!(strip(&p("elderly.100_plus")), name("elderly.100_plus"));
}

#[test]
fn names_are_indexed_by_expressions() {
    assert_eq!(
        strip(&p("dibao.standard[area]")),
        index(name("dibao.standard"), name("area"))
    );
    assert_eq!(
        strip(&p("med.basic.rate[hospital_level]")),
        index(name("med.basic.rate"), name("hospital_level"))
    );
    assert_eq!(
        strip(&p("tekun.care[self_care]")),
        index(name("tekun.care"), name("self_care"))
    );
    assert_eq!(
        strip(&p("tekun.care['full']")),
        index(name("tekun.care"), string("full"))
    );
    assert_eq!(sh("table[a + 1][b]"), "table[(a + 1)][b]");
    assert_eq!(sh("x * rate[level]"), "(x * rate[level])");
}

#[test]
fn spans_point_at_the_source_text() {
    let text = "  dibao.standard[area] * 1.3  ";
    let expr = p(text);
    assert_eq!(slice(text, expr.span), "dibao.standard[area] * 1.3");
    let ExprKind::Binary { lhs, rhs, .. } = &expr.kind else {
        panic!("expected a product, got {expr:?}");
    };
    assert_eq!(slice(text, lhs.span), "dibao.standard[area]");
    assert_eq!(slice(text, rhs.span), "1.3");
    let ExprKind::Index { base, index } = &lhs.kind else {
        panic!("expected an index, got {lhs:?}");
    };
    assert_eq!(slice(text, base.span), "dibao.standard");
    assert_eq!(slice(text, index.span), "area");
}

#[test]
fn a_parenthesised_expression_spans_its_parentheses() {
    let text = "(a + b) * c";
    let expr = p(text);
    assert_eq!(slice(text, expr.span), text);
    let ExprKind::Binary { lhs, .. } = &expr.kind else {
        panic!("expected a product, got {expr:?}");
    };
    assert_eq!(slice(text, lhs.span), "(a + b)");
}

#[test]
fn malformed_numbers_and_names_are_errors() {
    for text in [
        ".5",
        "5.",
        "1 000",
        "1_000",
        "2x",
        "1.2.3",
        "dibao . standard",
        "dibao.",
        "a.b(c)",
    ] {
        assert!(
            minsheng_policy_syntax::parse(text).is_err(),
            "{text:?} should not parse"
        );
    }
}

#[test]
fn an_expression_displays_as_its_canonical_text() {
    let expr = p("max( 0 ,x*20% )");
    assert_eq!(expr.to_string(), "max(0, x * 0.20)");
}
