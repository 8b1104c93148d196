//! Properties over generated input: printing then parsing gives the tree back, every span
//! is the text of its node, and no input whatsoever makes the parser panic.

use minsheng_policy_syntax::{BinaryOp, Expr, ExprKind, InSet, Span, UnaryOp, parse, print};
use proptest::prelude::*;

use crate::strip;

const KEYWORDS: [&str; 10] = [
    "if", "then", "elif", "else", "and", "or", "not", "in", "true", "false",
];

fn at(kind: ExprKind) -> Expr {
    Expr {
        kind,
        span: Span::default(),
    }
}

fn identifier() -> impl Strategy<Value = String> {
    "[a-z_][a-z0-9_]{0,5}".prop_filter("keywords are not names", |s| {
        !KEYWORDS.contains(&s.as_str())
    })
}

fn leaf() -> impl Strategy<Value = Expr> {
    let segment = "[a-z0-9_]{1,4}";
    prop_oneof![
        (any::<u64>(), 0_u32..6).prop_map(|(m, scale)| at(ExprKind::Number {
            mantissa: i128::from(m),
            scale
        })),
        (0_i128..=i128::MAX, 0_u32..45)
            .prop_map(|(mantissa, scale)| at(ExprKind::Number { mantissa, scale })),
        "[a-z 城市#\"]{0,6}".prop_map(|s| at(ExprKind::Str(s))),
        "[a-z']{0,6}".prop_map(|s| at(ExprKind::Str(s))),
        any::<bool>().prop_map(|b| at(ExprKind::Bool(b))),
        (identifier(), prop::collection::vec(segment, 0..3)).prop_map(|(first, rest)| {
            let mut segments = vec![first];
            segments.extend(rest);
            at(ExprKind::Name(segments))
        }),
    ]
}

/// Any tree the parser could produce (non-negative numbers, non-empty lists and branches,
/// identifiers that are not keywords, distinct named arguments).
fn tree() -> impl Strategy<Value = Expr> {
    leaf().prop_recursive(5, 48, 4, |inner| {
        let boxed = inner.clone().prop_map(Box::new);
        prop_oneof![
            (boxed.clone(), boxed.clone())
                .prop_map(|(base, index)| at(ExprKind::Index { base, index })),
            (prop::sample::select(UnaryOp::ALL.to_vec()), boxed.clone())
                .prop_map(|(op, expr)| at(ExprKind::Unary { op, expr })),
            (
                prop::sample::select(BinaryOp::ALL.to_vec()),
                boxed.clone(),
                boxed.clone()
            )
                .prop_map(|(op, lhs, rhs)| at(ExprKind::Binary { op, lhs, rhs })),
            (
                boxed.clone(),
                prop::collection::vec(inner.clone(), 1..4),
                any::<bool>()
            )
                .prop_map(|(expr, items, negated)| at(ExprKind::In {
                    expr,
                    set: InSet::List(items),
                    negated
                })),
            (boxed.clone(), boxed.clone(), boxed.clone(), any::<bool>()).prop_map(
                |(expr, lo, hi, negated)| at(ExprKind::In {
                    expr,
                    set: InSet::Range { lo, hi },
                    negated
                })
            ),
            (
                prop::collection::vec((inner.clone(), inner.clone()), 1..3),
                boxed.clone()
            )
                .prop_map(|(branches, otherwise)| at(ExprKind::If {
                    branches,
                    otherwise
                })),
            (
                identifier(),
                prop::collection::vec(inner.clone(), 0..3),
                prop::collection::btree_map(identifier(), inner, 0..3)
            )
                .prop_map(|(name, args, named)| at(ExprKind::Call {
                    name,
                    args,
                    named: named
                        .into_iter()
                        .map(|(key, value)| (key, Span::default(), value))
                        .collect(),
                })),
        ]
    })
}

/// Every node of a tree, parent before children.
fn nodes(expr: &Expr) -> Vec<&Expr> {
    let mut out = vec![expr];
    let mut children: Vec<&Expr> = Vec::new();
    match &expr.kind {
        ExprKind::Number { .. } | ExprKind::Str(_) | ExprKind::Bool(_) | ExprKind::Name(_) => {}
        ExprKind::Index { base, index } => children.extend([&**base, &**index]),
        ExprKind::Unary { expr, .. } => children.push(expr),
        ExprKind::Binary { lhs, rhs, .. } => children.extend([&**lhs, &**rhs]),
        ExprKind::In { expr, set, .. } => {
            children.push(expr);
            match set {
                InSet::List(items) => children.extend(items),
                InSet::Range { lo, hi } => children.extend([&**lo, &**hi]),
            }
        }
        ExprKind::If {
            branches,
            otherwise,
        } => {
            for (condition, value) in branches {
                children.extend([condition, value]);
            }
            children.push(otherwise);
        }
        ExprKind::Call { args, named, .. } => {
            children.extend(args);
            children.extend(named.iter().map(|(_, _, value)| value));
        }
    }
    for child in children {
        assert!(
            expr.span.start <= child.span.start && child.span.end <= expr.span.end,
            "child span {:?} outside its parent's {:?}",
            child.span,
            expr.span
        );
        out.extend(nodes(child));
    }
    out
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    #[test]
    fn printing_then_parsing_gives_the_tree_back(expr in tree()) {
        let text = print(&expr);
        let parsed = parse(&text)
            .map_err(|d| TestCaseError::fail(format!("{text:?}: {}", d.render(&text))))?;
        prop_assert_eq!(strip(&parsed), expr, "{}", text);
        // And the canonical text is a fixed point.
        prop_assert_eq!(print(&parsed), text);
    }

    #[test]
    fn every_span_is_the_text_of_its_node(expr in tree()) {
        let text = print(&expr);
        let parsed = parse(&text).map_err(|d| TestCaseError::fail(d.message))?;
        prop_assert_eq!(parsed.span, Span::new(0, text.len()));
        for node in nodes(&parsed) {
            let slice = &text[node.span.start..node.span.end];
            let reparsed = parse(slice).map_err(|d| TestCaseError::fail(d.message))?;
            prop_assert_eq!(strip(&reparsed), strip(node), "{}", slice);
        }
    }

    #[test]
    fn any_text_parses_or_is_diagnosed(text in any::<String>()) {
        check_never_panics(&text);
    }

    #[test]
    fn formula_like_text_parses_or_is_diagnosed(
        text in "([a-z_.]{1,6}|[0-9.%]{1,4}|'[a-z]{0,3}'?|\"|[-+*/<>=!()\\[\\],:# \n]|\\.\\.|if|then|elif|else|and|or|not|in|true|false|¥|×|（){0,24}"
    ) {
        check_never_panics(&text);
    }
}

/// Whatever `parse` answers, its spans stay inside the text and on character boundaries,
/// and the diagnostic can be rendered.
fn check_never_panics(text: &str) {
    match parse(text) {
        Ok(expr) => {
            for node in nodes(&expr) {
                assert!(text.get(node.span.start..node.span.end).is_some());
            }
            let printed = print(&expr);
            assert_eq!(
                parse(&printed).map(|e| strip(&e)),
                Ok(strip(&expr)),
                "{printed}"
            );
        }
        Err(diagnostic) => {
            assert!(
                text.get(diagnostic.span.start..diagnostic.span.end)
                    .is_some()
            );
            assert!(diagnostic.message.contains(" / "), "{}", diagnostic.message);
            let _ = diagnostic.render(text);
            let _ = diagnostic.span.line_col(text);
        }
    }
}
