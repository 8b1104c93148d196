//! Diagnostics: the exact span, message and expectations for each kind of mistake.

use minsheng_policy_syntax::{MAX_DEPTH, Span, parse};

use crate::{canon, err};

/// Asserts the span (as offsets) and the message of the diagnostic for `text`.
fn check(text: &str, span: (usize, usize), message: &str) {
    let diagnostic = err(text);
    assert_eq!(
        (diagnostic.span.start, diagnostic.span.end),
        span,
        "span of {text:?}: {}",
        diagnostic.message
    );
    assert_eq!(diagnostic.message, message, "message of {text:?}");
}

fn expected(text: &str) -> Vec<String> {
    err(text).expected
}

#[test]
fn a_trailing_operator_expects_an_operand_at_the_end() {
    check(
        "610 *",
        (5, 5),
        "公式在此处意外结束，应为数字、名称或左括号 / the formula ends here; expected a number, \
         a name or `(`",
    );
    assert_eq!(expected("610 *"), ["number", "name", "("]);
    // Trailing blanks and comments do not move the position: it is the end of the text.
    let text = "a + b\n  + # more to come\n";
    assert_eq!(err(text).span, Span::new(text.len(), text.len()));
}

#[test]
fn an_unclosed_parenthesis_names_the_one_left_open() {
    check(
        "(1 + 2",
        (6, 6),
        "公式在此处意外结束，缺少右括号“)”，以闭合第 1 行第 1 列的“(” / the formula ends \
         here; expected `)` to close the `(` at line 1, column 1",
    );
    assert_eq!(expected("(1 + 2"), ["operator", ")"]);
    check(
        "max(1,\n    min(2, 3)",
        (20, 20),
        "公式在此处意外结束，缺少右括号“)”，以闭合第 1 行第 4 列的“(” / the formula ends \
         here; expected `)` to close the `(` at line 1, column 4",
    );
    check(
        "x in [1, 2",
        (10, 10),
        "公式在此处意外结束，缺少右方括号“]”，以闭合第 1 行第 6 列的“[” / the formula ends \
         here; expected `]` to close the `[` at line 1, column 6",
    );
    assert_eq!(expected("tekun.care[self_care"), ["operator", "]"]);
}

#[test]
fn chained_comparisons_suggest_the_rewrite() {
    check(
        "a < b < c",
        (6, 7),
        "比较不能连写，请写作“a < b and b < c”，或加括号 / comparisons do not chain; write \
         `a < b and b < c`, or add parentheses",
    );
    check(
        "60 <= age  <= 99",
        (11, 13),
        "比较不能连写，请写作“60 <= age and age <= 99”，或加括号 / comparisons do not chain; \
         write `60 <= age and age <= 99`, or add parentheses",
    );
    check(
        "x in [1] == true",
        (9, 11),
        "比较不能连写，请用“and”连接，或加括号 / comparisons do not chain; join them with \
         `and`, or add parentheses",
    );
    check(
        "a == b not in [1]",
        (7, 13),
        "比较不能连写，请用“and”连接，或加括号 / comparisons do not chain; join them with \
         `and`, or add parentheses",
    );
}

#[test]
fn an_unknown_character_is_named_with_what_to_write_instead() {
    check(
        "1 + ¥",
        (4, 6),
        "无法识别的字符“¥”，金额请直接写数字 / unrecognised character `¥`; write amounts as \
         plain numbers",
    );
    check(
        "a × b",
        (2, 4),
        "无法识别的字符“×”（数学符号），请改用“*” / unrecognised character `×`; write `*` \
         instead",
    );
    check(
        "max（a, b)",
        (3, 6),
        "无法识别的字符“（”（全角字符），请改用“(” / unrecognised character `（`; write `(` \
         instead",
    );
    check(
        "hh_income ≤ 2",
        (10, 13),
        "无法识别的字符“≤”（数学符号），请改用“<=” / unrecognised character `≤`; write `<=` \
         instead",
    );
    check(
        "a & b",
        (2, 3),
        "无法识别的字符“&” / unrecognised character `&`",
    );
    check(
        "a\u{3000}+ b",
        (1, 4),
        "无法识别的字符（全角空格或不间断空格），请改用普通空格 / unrecognised character (a \
         full-width or non-breaking space); use an ordinary space",
    );
}

#[test]
fn an_empty_formula_says_so() {
    let message = "公式为空，应为一个表达式 / the formula is empty; expected an expression";
    check("", (0, 0), message);
    check("  \n\t ", (5, 5), message);
    check("# only a comment", (16, 16), message);
}

#[test]
fn a_keyword_used_as_a_name_is_named_as_a_keyword() {
    check(
        "if = 3",
        (0, 2),
        "关键字“if”不能用作名称 / `if` is a keyword and cannot be used as a name",
    );
    check(
        "sum(members, where: not)",
        (20, 23),
        "关键字“not”不能用作名称 / `not` is a keyword and cannot be used as a name",
    );
    check(
        "1 + in",
        (4, 6),
        "此处出现关键字“in”，应为数字、名称或左括号 / unexpected keyword `in`; expected a \
         number, a name or `(`",
    );
    // A missing condition is not mistaken for a keyword used as a name.
    check(
        "if then 1 else 2",
        (3, 7),
        "此处出现关键字“then”，应为数字、名称或左括号 / unexpected keyword `then`; expected a \
         number, a name or `(`",
    );
}

#[test]
fn an_unterminated_string_is_reported_where_it_starts() {
    check(
        "x == 'urban",
        (5, 11),
        "字符串缺少结束引号“'”（字符串不能跨行） / unterminated string: add the closing `'` (a \
         string ends on its line)",
    );
    // It ends on its line, so the rest of the formula is not swallowed.
    check(
        "area == \"urban\n and size > 1",
        (8, 14),
        "字符串缺少结束引号“\"”（字符串不能跨行） / unterminated string: add the closing `\"` \
         (a string ends on its line)",
    );
}

#[test]
fn a_single_equals_suggests_double() {
    check(
        "area = 'urban'",
        (5, 6),
        "此处出现意外的“=”，应为运算符或公式结尾；判断相等请用“==” / unexpected `=`; \
         expected an operator or the end of the formula; to test equality write `==`",
    );
}

#[test]
fn what_may_follow_is_listed_in_words() {
    check(
        "1 2",
        (2, 3),
        "此处出现意外的“2”，应为运算符或公式结尾 / unexpected `2`; expected an operator or \
         the end of the formula",
    );
    check(
        "if a then b",
        (11, 11),
        "公式在此处意外结束，应为运算符、“elif”或“else” / the formula ends here; expected an \
         operator, `elif` or `else`",
    );
    check(
        "x in",
        (4, 4),
        "公式在此处意外结束，应为列表“[…]”或范围“a..b” / the formula ends here; expected a \
         list `[…]` or a range `a..b`",
    );
    check(
        "x in 1",
        (6, 6),
        "公式在此处意外结束，应为运算符或“..” / the formula ends here; expected an operator or \
         `..`",
    );
    check(
        "x not 3",
        (6, 7),
        "此处出现意外的“3”，应为“in” / unexpected `3`; expected `in`",
    );
    check(
        "dibao.",
        (6, 6),
        "公式在此处意外结束，应为名称 / the formula ends here; expected a name",
    );
    check(
        "x in []",
        (6, 7),
        "此处出现意外的“]”，应为数字、名称或左括号 / unexpected `]`; expected a number, a name \
         or `(`",
    );
}

#[test]
fn an_if_as_an_operand_asks_for_parentheses() {
    check(
        "1 + if a then 2 else 3",
        (4, 6),
        "此处的“if … then … else …”须加括号 / an `if … then … else …` here must be in \
         parentheses",
    );
}

#[test]
fn a_bare_not_under_a_tighter_operator_asks_for_parentheses() {
    let message = "此处的“not …”须加括号，例如“a == (not b)” / a `not …` here must be in \
                   parentheses, e.g. `a == (not b)`";
    check("a == not b", (5, 10), message);
    check("- not b", (2, 7), message);
}

#[test]
fn call_arguments_are_positional_then_named_once_each() {
    check(
        "sum(members, where: not tekun, counted_income)",
        (31, 45),
        "位置参数须写在命名参数之前 / positional arguments must come before named ones",
    );
    check(
        "count(members, where: a, where: b)",
        (25, 30),
        "命名参数“where”重复 / the named argument `where` is given twice",
    );
}

#[test]
fn a_number_beyond_38_digits_is_a_diagnostic_not_a_panic() {
    let digits = "9".repeat(39);
    check(
        &format!("x * {digits}"),
        (4, 43),
        &format!(
            "数字“{digits}”位数过多，超出可精确表示的范围（38 位） / the number {digits} has \
             too many digits to be kept exactly (38 at most)"
        ),
    );
    let decimals = format!("0.{}", "9".repeat(39));
    assert!(parse(&decimals).is_err());
}

#[test]
fn nesting_is_bounded_with_a_diagnostic_at_the_level_too_deep() {
    let message = format!(
        "公式嵌套超过 {MAX_DEPTH} 层，请拆分为几个变量 / the formula nests more than {MAX_DEPTH} \
         levels deep; split it into several variables"
    );
    let ok = format!("{}1{}", "(".repeat(MAX_DEPTH), ")".repeat(MAX_DEPTH));
    assert_eq!(canon(&ok), "1");
    let deep = format!(
        "{}1{}",
        "(".repeat(MAX_DEPTH + 1),
        ")".repeat(MAX_DEPTH + 1)
    );
    check(&deep, (MAX_DEPTH, MAX_DEPTH + 1), &message);
    // Far deeper than any stack would survive unguarded.
    for deep in [
        "(".repeat(100_000),
        "[".repeat(100_000),
        "-".repeat(100_000) + "1",
        "not ".repeat(100_000) + "a",
        "if a then ".repeat(100_000),
        "x".to_owned() + &"[0]".repeat(100_000),
        vec!["1"; 100_000].join(" + "),
    ] {
        assert_eq!(err(&deep).message, message);
    }
}

#[test]
fn render_points_at_the_problem() {
    let text = "a +\n  b * ";
    assert_eq!(
        err(text).render(text),
        "2:7: 公式在此处意外结束，应为数字、名称或左括号 / the formula ends here; expected a \
         number, a name or `(`\n  |   b * \n  |       ^"
    );
}

#[test]
fn formulas_at_the_nesting_limit_parse_even_on_a_small_thread_stack() {
    let levels = MAX_DEPTH - 1;
    let nested =
        |open: &str, close: &str| format!("{}1{}", open.repeat(levels), close.repeat(levels));
    let formulas = [
        format!("{}1{}", "(".repeat(MAX_DEPTH), ")".repeat(MAX_DEPTH)),
        nested("f(", ")"),
        nested("f(where: ", ")"),
        nested("a[", "]"),
        nested("x in [", "]"),
        nested("x in 1..(", ")"),
        nested("(a + ", ")"),
        nested("if a then ", " else 2"),
        format!("{}a", "not ".repeat(levels)),
        format!("{}a", "-".repeat(levels)),
        format!("x in {}1..2", "-".repeat(levels - 1)),
    ];
    // Well below and just above the stack the lowering keeps free before growing.
    for kib in [128, 640] {
        let formulas = formulas.clone();
        let parsed = std::thread::Builder::new()
            .stack_size(kib * 1024)
            .spawn(move || {
                formulas
                    .iter()
                    .map(|text| parse(text).map(|_| ()).map_err(|d| d.message))
                    .collect::<Vec<_>>()
            })
            .expect("a thread")
            .join()
            .expect("no overflow");
        assert!(parsed.iter().all(Result::is_ok), "{kib} KiB: {parsed:?}");
    }
}
