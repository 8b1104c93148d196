//! Diagnostics: what went wrong, where, and what would have been right there.
//!
//! Pest reports the furthest position it reached and the rules it tried there. This
//! module turns those rules into words (Chinese first, for the district's staff, then
//! English), names what was actually found at that position, and recognises the
//! mistakes people make often enough to deserve their own sentence: an unclosed
//! bracket, an unclosed string, a keyword used as a name, `=` for `==`, full-width
//! punctuation from a Chinese input method, and the mathematical signs of the policy
//! documents (`×`, `≤`, `∈` …).

use pest::error::{Error, ErrorVariant, InputLocation};

use crate::ast::Span;
use crate::grammar::Rule;
use crate::scan::{self, Kind, MAX_DEPTH, Token};

/// Why a formula could not be read, and where.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{message}")]
pub struct Diagnostic {
    /// The offending text; empty (`start == end`) for a position such as the end.
    pub span: Span,
    /// One sentence in Chinese, then ` / `, then the same in English.
    pub message: String,
    /// What would have been accepted at `span.start`, as short stable codes:
    /// `number`, `name`, `(`, `)`, `]`, `,`, `:`, `..`, `list`, `range`, `operator`,
    /// `then`, `elif`, `else`, `in`, `end`. Empty when the problem is not a missing token.
    pub expected: Vec<String>,
}

impl Diagnostic {
    fn new(span: Span, message: String, expected: &[Item]) -> Self {
        let expected = expected.iter().map(|item| item.code().to_owned()).collect();
        Self {
            span,
            message,
            expected,
        }
    }

    /// The message with its position and the line it points into, for a terminal:
    ///
    /// ```text
    /// 1:7: 公式在此处意外结束，… / the formula ends here; …
    ///   | 610 *
    ///   |      ^
    /// ```
    pub fn render(&self, text: &str) -> String {
        let (line, column) = self.span.line_col(text);
        let line_text = text.lines().nth(line - 1).unwrap_or("");
        let width = text
            .get(self.span.start..self.span.end)
            .map_or(0, |s| s.lines().next().unwrap_or("").chars().count())
            .max(1);
        format!(
            "{line}:{column}: {}\n  | {line_text}\n  | {}{}",
            self.message,
            " ".repeat(column - 1),
            "^".repeat(width)
        )
    }

    pub(crate) fn too_deep(span: Span) -> Self {
        let message = format!(
            "公式嵌套超过 {MAX_DEPTH} 层，请拆分为几个变量 / the formula nests more than \
             {MAX_DEPTH} levels deep; split it into several variables"
        );
        Self::new(span, message, &[])
    }

    pub(crate) fn number_too_large(span: Span, digits: &str) -> Self {
        // i128 holds every 38-digit mantissa (and some of 39 digits).
        let message = format!(
            "数字“{digits}”位数过多，超出可精确表示的范围（38 位） / the number {digits} has \
             too many digits to be kept exactly (38 at most)"
        );
        Self::new(span, message, &[])
    }

    pub(crate) fn chained_comparison(span: Span, rewrite: Option<String>) -> Self {
        let message = match rewrite {
            Some(rewrite) => format!(
                "比较不能连写，请写作“{rewrite}”，或加括号 / comparisons do not chain; write \
                 `{rewrite}`, or add parentheses"
            ),
            None => "比较不能连写，请用“and”连接，或加括号 / comparisons do not chain; join them \
                     with `and`, or add parentheses"
                .to_owned(),
        };
        Self::new(span, message, &[])
    }

    pub(crate) fn not_needs_parentheses(span: Span) -> Self {
        let message = "此处的“not …”须加括号，例如“a == (not b)” / a `not …` here must be in \
                       parentheses, e.g. `a == (not b)`"
            .to_owned();
        Self::new(span, message, &[])
    }

    pub(crate) fn positional_after_named(span: Span) -> Self {
        let message = "位置参数须写在命名参数之前 / positional arguments must come before named \
                       ones"
            .to_owned();
        Self::new(span, message, &[])
    }

    pub(crate) fn duplicate_named(span: Span, name: &str) -> Self {
        let message = format!("命名参数“{name}”重复 / the named argument `{name}` is given twice");
        Self::new(span, message, &[])
    }

    /// A pair shape the grammar cannot produce; reported rather than panicking.
    pub(crate) fn internal(span: Span, what: &str) -> Self {
        let message = format!(
            "内部错误：无法理解的语法结构（{what}） / internal error: unexpected syntax ({what})"
        );
        Self::new(span, message, &[])
    }
}

/// One thing that could have come next, in the order messages list them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Item {
    Number,
    Name,
    LParen,
    List,
    Range,
    Operator,
    DotDot,
    Then,
    Elif,
    Else,
    In,
    Comma,
    Colon,
    RParen,
    RBracket,
    End,
}

const OPERAND: &[Item] = &[Item::Number, Item::Name, Item::LParen];

impl Item {
    fn words(self) -> (&'static str, &'static str) {
        match self {
            Item::Number => ("数字", "a number"),
            Item::Name => ("名称", "a name"),
            Item::LParen => ("左括号", "`(`"),
            Item::List => ("列表“[…]”", "a list `[…]`"),
            Item::Range => ("范围“a..b”", "a range `a..b`"),
            Item::Operator => ("运算符", "an operator"),
            Item::DotDot => ("“..”", "`..`"),
            Item::Then => ("“then”", "`then`"),
            Item::Elif => ("“elif”", "`elif`"),
            Item::Else => ("“else”", "`else`"),
            Item::In => ("“in”", "`in`"),
            Item::Comma => ("逗号“,”", "`,`"),
            Item::Colon => ("冒号“:”", "`:`"),
            Item::RParen => ("右括号“)”", "`)`"),
            Item::RBracket => ("右方括号“]”", "`]`"),
            Item::End => ("公式结尾", "the end of the formula"),
        }
    }

    fn code(self) -> &'static str {
        match self {
            Item::Number => "number",
            Item::Name => "name",
            Item::LParen => "(",
            Item::List => "list",
            Item::Range => "range",
            Item::Operator => "operator",
            Item::DotDot => "..",
            Item::Then => "then",
            Item::Elif => "elif",
            Item::Else => "else",
            Item::In => "in",
            Item::Comma => ",",
            Item::Colon => ":",
            Item::RParen => ")",
            Item::RBracket => "]",
            Item::End => "end",
        }
    }

    /// What a rule that pest tried stands for. Exhaustive on purpose: a new grammar rule
    /// does not compile until someone decides how messages name it.
    fn of_rule(rule: Rule) -> &'static [Item] {
        match rule {
            Rule::segment => &[Item::Name],
            Rule::formula
            | Rule::if_expr
            | Rule::op_expr
            | Rule::arith
            | Rule::paren
            | Rule::call
            | Rule::named_arg
            | Rule::name
            | Rule::ident
            | Rule::keyword
            | Rule::number
            | Rule::string
            | Rule::boolean
            | Rule::neg
            | Rule::not_op
            | Rule::kw_if => OPERAND,
            Rule::or_op
            | Rule::and_op
            | Rule::le
            | Rule::lt
            | Rule::ge
            | Rule::gt
            | Rule::eq
            | Rule::ne
            | Rule::add
            | Rule::sub
            | Rule::mul
            | Rule::div
            | Rule::index
            | Rule::in_test
            | Rule::kw_not => &[Item::Operator],
            Rule::list => &[Item::List],
            Rule::range => &[Item::Range],
            Rule::dotdot => &[Item::DotDot],
            Rule::kw_then => &[Item::Then],
            Rule::kw_elif => &[Item::Elif],
            Rule::kw_else => &[Item::Else],
            Rule::kw_in => &[Item::In],
            Rule::comma => &[Item::Comma],
            Rule::colon => &[Item::Colon],
            Rule::rparen => &[Item::RParen],
            Rule::rbracket => &[Item::RBracket],
            Rule::EOI => &[Item::End],
            // Silent rules: pest never reports them.
            Rule::WHITESPACE
            | Rule::COMMENT
            | Rule::expr
            | Rule::operand
            | Rule::prefix
            | Rule::postfix
            | Rule::infix
            | Rule::arith_operand
            | Rule::arith_infix
            | Rule::primary
            | Rule::arg
            | Rule::ident_char => &[],
        }
    }
}

/// "a、b或c" and "a, b or c".
fn phrase(items: &[Item]) -> (String, String) {
    let (zh, en): (Vec<_>, Vec<_>) = items.iter().map(|item| item.words()).unzip();
    let join = |words: &[&str], comma: &str, or: &str| match words {
        [] => String::new(),
        [only] => (*only).to_owned(),
        [init @ .., last] => format!("{}{or}{last}", init.join(comma)),
    };
    (join(&zh, "、", "或"), join(&en, ", ", " or "))
}

/// What was found at the error position, quoted and cut short.
fn shown(token: &Token<'_>) -> String {
    const MAX_CHARS: usize = 24;
    let mut text: String = token.text.chars().take(MAX_CHARS).collect();
    if token.text.chars().count() > MAX_CHARS {
        text.push('…');
    }
    text
}

/// Translates a pest failure on `text` into a diagnostic.
pub(crate) fn from_pest(error: &Error<Rule>, text: &str) -> Diagnostic {
    let at = match error.location {
        InputLocation::Pos(at) | InputLocation::Span((at, _)) => at.min(text.len()),
    };
    let positives = match &error.variant {
        ErrorVariant::ParsingError { positives, .. } => positives,
        // Pest's own resource guards ("stack limit reached", "call limit reached"); the
        // nesting check should come first, but the guard is the last line of defence.
        ErrorVariant::CustomError { .. } => return Diagnostic::too_deep(Span::new(at, at)),
    };
    let mut items: Vec<Item> = positives
        .iter()
        .flat_map(|rule| Item::of_rule(*rule).iter().copied())
        .collect();
    if items.contains(&Item::List) && items.iter().any(|item| OPERAND.contains(item)) {
        // After `in`, an operand can only begin a range.
        items.retain(|item| !OPERAND.contains(item));
        items.push(Item::Range);
    }
    items.sort();
    items.dedup();

    let tokens: Vec<Token<'_>> = scan::tokens(text).collect();
    if tokens.is_empty() {
        let end = Span::new(text.len(), text.len());
        let message = "公式为空，应为一个表达式 / the formula is empty; expected an expression";
        return Diagnostic::new(end, message.to_owned(), OPERAND);
    }
    let found_index = tokens.iter().position(|token| token.span.end > at);
    let found = found_index.and_then(|index| tokens.get(index));
    let before = &tokens[..found_index.unwrap_or(tokens.len())];
    let wants_operand = items.contains(&Item::Name);
    // Only ever a punctuation token follows a misused keyword, so this cannot hide one of
    // the cases below.
    let misused = found
        .filter(|_| wants_operand)
        .and_then(|token| keyword_as_name(before, token));
    if let Some(keyword) = misused {
        let word = keyword.text;
        let message = format!(
            "关键字“{word}”不能用作名称 / `{word}` is a keyword and cannot be used as a name"
        );
        return Diagnostic::new(keyword.span, message, &[Item::Name]);
    }

    match found {
        Some(token) if token.kind == Kind::Unknown => unknown_character(token, &items),
        Some(token) if token.kind == (Kind::Str { closed: false }) => {
            let quote = token.text.get(..1).unwrap_or("'");
            let message = format!(
                "字符串缺少结束引号“{quote}”（字符串不能跨行） / unterminated string: add \
                 the closing `{quote}` (a string ends on its line)"
            );
            Diagnostic::new(token.span, message, &[])
        }
        None if items.contains(&Item::RParen) || items.contains(&Item::RBracket) => {
            unclosed_bracket(before, text, &items)
        }
        Some(token) if token.is("if") && wants_operand => {
            let message = "此处的“if … then … else …”须加括号 / an `if … then … else …` here must \
                           be in parentheses";
            Diagnostic::new(token.span, message.to_owned(), &items)
        }
        Some(token) if token.is_keyword() && wants_operand => {
            let (zh, en) = phrase(&items);
            let word = token.text;
            let message = format!(
                "此处出现关键字“{word}”，应为{zh} / unexpected keyword `{word}`; expected {en}"
            );
            Diagnostic::new(token.span, message, &items)
        }
        _ => {
            let span = found.map_or(Span::new(text.len(), text.len()), |token| token.span);
            let (found_zh, found_en) = match found {
                None => (
                    "公式在此处意外结束".to_owned(),
                    "the formula ends here".to_owned(),
                ),
                Some(token) => (
                    format!("此处出现意外的“{}”", shown(token)),
                    format!("unexpected `{}`", shown(token)),
                ),
            };
            let (zh, en) = phrase(&items);
            let mut message = format!("{found_zh}，应为{zh} / {found_en}; expected {en}");
            if found.is_some_and(|token| token.is("=")) && items.contains(&Item::Operator) {
                message = format!(
                    "{found_zh}，应为{zh}；判断相等请用“==” / {found_en}; expected {en}; to test \
                     equality write `==`"
                );
            }
            Diagnostic::new(span, message, &items)
        }
    }
}

/// `if = 3`, `sum(x, where: not)`: a keyword that stands where an operand began and is
/// followed by what can only follow a name. Returns the keyword.
fn keyword_as_name<'t>(before: &[Token<'t>], found: &Token<'t>) -> Option<Token<'t>> {
    let (keyword, earlier) = match before {
        [] => return None,
        [keyword] => (keyword, None),
        [.., earlier, keyword] => (keyword, Some(earlier)),
    };
    is_misused(keyword, earlier, found).then_some(*keyword)
}

fn is_misused(keyword: &Token<'_>, earlier: Option<&Token<'_>>, found: &Token<'_>) -> bool {
    const AFTER_A_NAME: [&str; 16] = [
        "=", "==", "!=", "<", "<=", ">", ">=", "+", "*", "/", ")", "]", ",", ":", ".", "..",
    ];
    let operand_position = match earlier {
        None => true,
        Some(earlier) => {
            earlier.is_keyword() && !earlier.is("true") && !earlier.is("false")
                || earlier.kind == Kind::Punct && !earlier.is(")") && !earlier.is("]")
        }
    };
    (keyword.is("if") || keyword.is("not"))
        && operand_position
        && found.kind == Kind::Punct
        && AFTER_A_NAME.contains(&found.text)
}

/// The formula ended inside brackets: name the innermost one left open.
fn unclosed_bracket(before: &[Token<'_>], text: &str, items: &[Item]) -> Diagnostic {
    let mut open: Vec<&Token<'_>> = Vec::new();
    for token in before {
        if token.is("(") || token.is("[") {
            open.push(token);
        } else if token.is(")") || token.is("]") {
            open.pop();
        }
    }
    let end = Span::new(text.len(), text.len());
    let Some(opener) = open.last() else {
        let (zh, en) = phrase(items);
        let message =
            format!("公式在此处意外结束，应为{zh} / the formula ends here; expected {en}");
        return Diagnostic::new(end, message, items);
    };
    let (line, column) = opener.span.line_col(text);
    let (closer_zh, closer) = if opener.is("(") {
        ("右括号“)”", ")")
    } else {
        ("右方括号“]”", "]")
    };
    let message = format!(
        "公式在此处意外结束，缺少{closer_zh}，以闭合第 {line} 行第 {column} 列的“{}” / the \
         formula ends here; expected `{closer}` to close the `{}` at line {line}, column {column}",
        opener.text, opener.text
    );
    Diagnostic::new(end, message, items)
}

/// A character the language does not use: say which, and what to write instead when it
/// is a look-alike of something the language has.
fn unknown_character(token: &Token<'_>, items: &[Item]) -> Diagnostic {
    let character = token.text;
    let message = if matches!(character, "\u{3000}" | "\u{00A0}") {
        "无法识别的字符（全角空格或不间断空格），请改用普通空格 / unrecognised character (a \
         full-width or non-breaking space); use an ordinary space"
            .to_owned()
    } else if let Some((ascii, why)) = replacement(character) {
        format!(
            "无法识别的字符“{character}”（{why}），请改用“{ascii}” / unrecognised character \
             `{character}`; write `{ascii}` instead"
        )
    } else if matches!(character, "¥" | "￥" | "元") {
        format!(
            "无法识别的字符“{character}”，金额请直接写数字 / unrecognised character \
             `{character}`; write amounts as plain numbers"
        )
    } else {
        format!("无法识别的字符“{character}” / unrecognised character `{character}`")
    };
    Diagnostic::new(token.span, message, items)
}

/// The ASCII spelling of a look-alike character, and (in Chinese) what kind it is.
fn replacement(character: &str) -> Option<(String, &'static str)> {
    let c = character.chars().next()?;
    // U+FF01..U+FF5E are the full-width forms of ASCII '!'..'~', typed by Chinese input
    // methods: （），：＜ and so on.
    if ('\u{FF01}'..='\u{FF5E}').contains(&c) {
        let ascii = char::from_u32(u32::from(c) - 0xFEE0)?;
        return Some((ascii.to_string(), "全角字符"));
    }
    let (ascii, why) = match c {
        '“' | '”' => ("\"", "中文引号"),
        '‘' | '’' => ("'", "中文引号"),
        '、' => (",", "中文标点"),
        '。' => (".", "中文标点"),
        '【' => ("[", "中文标点"),
        '】' => ("]", "中文标点"),
        // The signs of the policy documents themselves (reference-rules.md uses × − ≤ ∈ ∧ Σ).
        '−' | '–' | '—' => ("-", "数学符号"),
        '×' | '·' => ("*", "数学符号"),
        '÷' => ("/", "数学符号"),
        '≤' => ("<=", "数学符号"),
        '≥' => (">=", "数学符号"),
        '≠' => ("!=", "数学符号"),
        '∧' => ("and", "数学符号"),
        '∨' => ("or", "数学符号"),
        '¬' => ("not", "数学符号"),
        '∈' => ("in", "数学符号"),
        '∉' => ("not in", "数学符号"),
        'Σ' | '∑' => ("sum(...)", "数学符号"),
        _ => return None,
    };
    Some((ascii.to_owned(), why))
}
