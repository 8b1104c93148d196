//! The compound forms: membership, conditionals, calls, and layout (comments, newlines).

use minsheng_policy_syntax::{BinaryOp, ExprKind, InSet, UnaryOp};

use crate::{at, bin, call, canon, name, num, p, sh, slice, string, strip, unary};

#[test]
fn in_a_list() {
    assert_eq!(
        strip(&p("employment in ['employed', 'flexible']")),
        at(ExprKind::In {
            expr: Box::new(name("employment")),
            set: InSet::List(vec![string("employed"), string("flexible")]),
            negated: false,
        })
    );
    assert_eq!(sh("x in [1]"), "(x in [1])");
    assert_eq!(
        sh("x in [a + 1, if c then 2 else 3,]"),
        "(x in [(a + 1), (if c then 2 else 3)])"
    );
}

#[test]
fn not_in_a_list() {
    assert_eq!(
        strip(&p("kind not in ['intellectual', 'mental']")),
        at(ExprKind::In {
            expr: Box::new(name("kind")),
            set: InSet::List(vec![string("intellectual"), string("mental")]),
            negated: true,
        })
    );
    assert_eq!(canon("kind  not   in ['a']"), "kind not in ['a']");
}

#[test]
fn in_an_inclusive_range() {
    assert_eq!(
        strip(&p("age in 80..89")),
        at(ExprKind::In {
            expr: Box::new(name("age")),
            set: InSet::Range {
                lo: Box::new(num(80, 0)),
                hi: Box::new(num(89, 0)),
            },
            negated: false,
        })
    );
    assert_eq!(sh("disability_grade in 1..2"), "(disability_grade in 1..2)");
    assert_eq!(sh("x not in 1.5..2.5"), "(x not in 1.5..2.5)");
    // Bounds are arithmetic, so what follows the range is not swallowed by it.
    assert_eq!(
        sh("age in lo..hi + 1 and x"),
        "((age in lo..(hi + 1)) and x)"
    );
    assert_eq!(sh("x in -1..limit[k] * 2"), "(x in (-1)..(limit[k] * 2))");
    assert_eq!(sh("x in a.b..c.d"), "(x in a.b..c.d)");
}

#[test]
fn membership_binds_like_a_comparison() {
    assert_eq!(sh("a + b in [1]"), "((a + b) in [1])");
    assert_eq!(sh("x in [1] and y in [2]"), "((x in [1]) and (y in [2]))");
    assert_eq!(sh("not x in [1]"), "(not (x in [1]))");
}

#[test]
fn if_then_else() {
    assert_eq!(
        strip(&p("if a then 1 else 0")),
        at(ExprKind::If {
            branches: vec![(name("a"), num(1, 0))],
            otherwise: Box::new(num(0, 0)),
        })
    );
}

#[test]
fn elif_adds_branches_without_nesting() {
    let expr = strip(&p("if a then 1 elif b then 2 elif c then 3 else 4"));
    assert_eq!(
        expr,
        at(ExprKind::If {
            branches: vec![
                (name("a"), num(1, 0)),
                (name("b"), num(2, 0)),
                (name("c"), num(3, 0)),
            ],
            otherwise: Box::new(num(4, 0)),
        })
    );
    // `else if` is a nested conditional, and prints as written.
    assert_eq!(
        sh("if a then 1 else if b then 2 else 3"),
        "(if a then 1 else (if b then 2 else 3))"
    );
    assert_eq!(
        canon("if a then 1 else if b then 2 else 3"),
        "if a then 1 else if b then 2 else 3"
    );
}

#[test]
fn conditionals_nest_in_branches_and_conditions() {
    assert_eq!(
        sh("if a then if b then 1 else 2 else 3"),
        "(if a then (if b then 1 else 2) else 3)"
    );
    assert_eq!(
        canon("if a then if b then 1 else 2 else 3"),
        "if a then (if b then 1 else 2) else 3"
    );
    assert_eq!(
        sh("if (if a then b else c) then 1 else 2"),
        "(if (if a then b else c) then 1 else 2)"
    );
}

#[test]
fn calls_take_positional_then_named_arguments() {
    assert_eq!(
        strip(&p("min(a, b, c)")),
        call("min", vec![name("a"), name("b"), name("c")], vec![])
    );
    assert_eq!(
        strip(&p("round(x, 1)")),
        call("round", vec![name("x"), num(1, 0)], vec![])
    );
    assert_eq!(
        strip(&p("floor(x, 0.01)")),
        call("floor", vec![name("x"), num(1, 2)], vec![])
    );
    assert_eq!(
        strip(&p("count(members, where: age >= 60)")),
        call(
            "count",
            vec![name("members")],
            vec![("where", bin(BinaryOp::Ge, name("age"), num(60, 0)))]
        )
    );
    assert_eq!(
        strip(&p("any(members, disability_grade in 1..2)")),
        call(
            "any",
            vec![
                name("members"),
                at(ExprKind::In {
                    expr: Box::new(name("disability_grade")),
                    set: InSet::Range {
                        lo: Box::new(num(1, 0)),
                        hi: Box::new(num(2, 0)),
                    },
                    negated: false,
                })
            ],
            vec![]
        )
    );
    assert_eq!(strip(&p("today()")), call("today", vec![], vec![]));
    assert_eq!(
        strip(&p("f(where: x, by: y)")),
        call("f", vec![], vec![("where", name("x")), ("by", name("y"))])
    );
}

#[test]
fn a_named_argument_keeps_the_span_of_its_name() {
    let text = "sum(members, counted_income, where: not tekun)";
    let ExprKind::Call { named, .. } = p(text).kind else {
        panic!("expected a call");
    };
    let (key, span, value) = &named[0];
    assert_eq!(key, "where");
    assert_eq!(slice(text, *span), "where");
    assert_eq!(slice(text, value.span), "not tekun");
    assert_eq!(strip(value), unary(UnaryOp::Not, name("tekun")));
}

#[test]
fn arguments_and_lists_may_end_with_a_comma_for_one_per_line_layouts() {
    assert_eq!(canon("min(\n  a,\n  b,\n)"), "min(a, b)");
    assert_eq!(canon("x in [\n  'a',\n  'b',\n]"), "x in ['a', 'b']");
}

#[test]
fn comments_and_newlines_may_stand_between_any_two_tokens() {
    let text = "# 必要就业成本 (reference-rules.md, Income and assets)\n\
                if employment in [ # who works\n\
                   'employed',\n\
                   'flexible'   # 灵活就业\n\
                ]\n\
                then\n\
                  min( # the cap\n\
                    wage_income * 20%,\n\
                    dibao.standard[area] * 50%\n\
                  )\n\
                else 0 # nothing to deduct\n";
    assert_eq!(
        canon(text),
        "if employment in ['employed', 'flexible'] \
         then min(wage_income * 0.20, dibao.standard[area] * 0.50) else 0"
    );
    assert_eq!(canon("a\r\n+\tb"), "a + b");
    assert_eq!(canon("a # comment without a newline at the end"), "a");
}

#[test]
fn a_hash_inside_a_string_is_not_a_comment() {
    assert_eq!(
        strip(&p("x == '#1'")),
        bin(BinaryOp::Eq, name("x"), string("#1"))
    );
}
