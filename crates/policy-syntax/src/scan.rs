//! A coarse scanner used only around the grammar: to bound nesting before pest
//! recurses, and to say what text sits where an error was found.
//!
//! `formula.pest` stays the one definition of what is valid. This scanner only finds
//! token boundaries and is deliberately forgiving (it accepts every input and never
//! fails); it must agree with the grammar on where tokens start and end, which is why
//! it follows the same lexical rules (digits, `[A-Za-z0-9_]` words, quotes ending on
//! their line, `#` comments).

use crate::ast::Span;
use crate::diagnostic::Diagnostic;

/// How deeply a formula may nest: brackets, `if`s and runs of prefix operators before
/// parsing, operator-tree depth after. Rules that need more should be split into named
/// variables; the bound keeps every recursive phase (pest, lowering, printing, and the
/// policy crate's checker and planner) far from the end of a 2 MiB thread stack.
pub const MAX_DEPTH: usize = 100;

/// What a token is, as far as diagnostics care.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Kind {
    /// `610`, `1.3`, `20%`.
    Number,
    /// An identifier or keyword (one segment; dots are punctuation here).
    Word,
    /// A quoted string; `closed` is false when the line or text ends first.
    Str { closed: bool },
    /// An operator or bracket the language knows.
    Punct,
    /// A character the language does not use anywhere outside strings and comments.
    Unknown,
}

/// One token: its kind, where it is, and its text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Token<'t> {
    pub kind: Kind,
    pub span: Span,
    pub text: &'t str,
}

/// The reserved words, as in `keyword` in the grammar.
pub(crate) const KEYWORDS: [&str; 10] = [
    "if", "then", "elif", "else", "and", "or", "not", "in", "true", "false",
];

impl Token<'_> {
    /// Whether the token is one of the reserved words.
    pub fn is_keyword(&self) -> bool {
        self.kind == Kind::Word && KEYWORDS.contains(&self.text)
    }

    /// Whether the token is exactly this punctuation or word.
    pub fn is(&self, text: &str) -> bool {
        matches!(self.kind, Kind::Punct | Kind::Word) && self.text == text
    }
}

/// The tokens of `text`, skipping blanks and comments.
pub(crate) fn tokens(text: &str) -> Tokens<'_> {
    Tokens { text, pos: 0 }
}

/// Iterator over the tokens of a text; see [`tokens`].
pub(crate) struct Tokens<'t> {
    text: &'t str,
    pos: usize,
}

const TWO_CHAR_PUNCT: [&str; 5] = ["<=", ">=", "==", "!=", ".."];
const ONE_CHAR_PUNCT: &str = "()[],:.+-*/<>=!%";

impl<'t> Iterator for Tokens<'t> {
    type Item = Token<'t>;

    fn next(&mut self) -> Option<Token<'t>> {
        loop {
            let rest = self.text.get(self.pos..)?;
            let first = rest.chars().next()?;
            let len = match first {
                ' ' | '\t' | '\r' | '\n' => {
                    self.pos += 1;
                    continue;
                }
                '#' => {
                    self.pos += rest.find('\n').unwrap_or(rest.len());
                    continue;
                }
                _ => token_len(rest, first),
            };
            let kind = kind_of(rest, first, len);
            let start = self.pos;
            self.pos += len;
            return Some(Token {
                kind,
                span: Span::new(start, self.pos),
                text: &self.text[start..self.pos],
            });
        }
    }
}

/// Byte length of the token at the start of `rest` (never 0, always on a char boundary).
fn token_len(rest: &str, first: char) -> usize {
    let bytes = rest.as_bytes();
    let run = |from: usize, pred: fn(u8) -> bool| {
        from + bytes[from..].iter().take_while(|&&b| pred(b)).count()
    };
    match first {
        '0'..='9' => {
            let mut end = run(0, |b| b.is_ascii_digit());
            if bytes.get(end) == Some(&b'.') && bytes.get(end + 1).is_some_and(u8::is_ascii_digit) {
                end = run(end + 1, |b| b.is_ascii_digit());
            }
            if bytes.get(end) == Some(&b'%') {
                end += 1;
            }
            end
        }
        'a'..='z' | 'A'..='Z' | '_' => run(0, |b| b.is_ascii_alphanumeric() || b == b'_'),
        '\'' | '"' => {
            // A string ends at its closing quote, or (unclosed) just before the line ends.
            let body = &rest[1..];
            match body.find([first, '\n', '\r']) {
                Some(at) if body[at..].starts_with(first) => at + 2,
                Some(at) => at + 1,
                None => rest.len(),
            }
        }
        _ if TWO_CHAR_PUNCT.iter().any(|p| rest.starts_with(p)) => 2,
        _ => first.len_utf8(),
    }
}

fn kind_of(rest: &str, first: char, len: usize) -> Kind {
    match first {
        '0'..='9' => Kind::Number,
        'a'..='z' | 'A'..='Z' | '_' => Kind::Word,
        '\'' | '"' => Kind::Str {
            closed: len >= 2 && rest[..len].ends_with(first),
        },
        _ if ONE_CHAR_PUNCT.contains(first) => Kind::Punct,
        _ => Kind::Unknown,
    }
}

/// Refuses formulas that nest deeper than [`MAX_DEPTH`], before pest's recursive descent
/// sees them.
///
/// The bound counts open brackets, `if`s at each bracket level (two `if`s at one level
/// can only be nested, since an `if` runs to the end of its level) and the current run of
/// prefix operators (`- - - x`, which the Pratt parser folds recursively). It is an
/// over-estimate of the recursion depth, which is what a guard needs.
pub(crate) fn check_nesting(text: &str) -> Result<(), Diagnostic> {
    let mut ifs_per_level: Vec<usize> = vec![0];
    let mut open_ifs = 0_usize;
    let mut prefix_run = 0_usize;
    for token in tokens(text) {
        if token.is("(") || token.is("[") {
            ifs_per_level.push(0);
        } else if (token.is(")") || token.is("]")) && ifs_per_level.len() > 1 {
            open_ifs -= ifs_per_level.pop().unwrap_or(0);
        } else if token.is("if") {
            if let Some(level) = ifs_per_level.last_mut() {
                *level += 1;
            }
            open_ifs += 1;
        }
        prefix_run = if token.is("-") || token.is("not") {
            prefix_run + 1
        } else {
            0
        };
        let depth = (ifs_per_level.len() - 1) + open_ifs + prefix_run;
        if depth > MAX_DEPTH {
            return Err(Diagnostic::too_deep(token.span));
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::{Kind, tokens};

    fn kinds(text: &str) -> Vec<(Kind, &str)> {
        tokens(text).map(|t| (t.kind, t.text)).collect()
    }

    #[test]
    fn tokens_follow_the_grammar_boundaries() {
        assert_eq!(
            kinds("age in 80..89 # note\n and x.y >= 20% ¥"),
            vec![
                (Kind::Word, "age"),
                (Kind::Word, "in"),
                (Kind::Number, "80"),
                (Kind::Punct, ".."),
                (Kind::Number, "89"),
                (Kind::Word, "and"),
                (Kind::Word, "x"),
                (Kind::Punct, "."),
                (Kind::Word, "y"),
                (Kind::Punct, ">="),
                (Kind::Number, "20%"),
                (Kind::Unknown, "¥"),
            ]
        );
    }

    #[test]
    fn an_unclosed_string_stops_at_the_end_of_its_line() {
        assert_eq!(
            kinds("'urban\n1 \"a\""),
            vec![
                (Kind::Str { closed: false }, "'urban"),
                (Kind::Number, "1"),
                (Kind::Str { closed: true }, "\"a\""),
            ]
        );
        assert_eq!(kinds("'"), vec![(Kind::Str { closed: false }, "'")]);
    }
}
