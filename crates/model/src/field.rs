//! Field parsers: one text cell → a typed value or the [`ProblemKind`] saying why not,
//! and the row rules that tie fields of one record together (ID number ↔ birth date and
//! sex, covered ≤ total, date order). The importer calls these; nothing else decides what
//! a valid cell is.
//!
//! Every parser takes the cell as written. An empty cell (after trimming) is `None` for
//! optional columns and [`ProblemKind::Missing`] for required ones.

use crate::idnumber::{self, IdFacts};
use crate::{Date, Fen, HospitalStay, Person, ProblemKind, RegionCode, RegionTable};

pub type FieldResult<T> = Result<T, ProblemKind>;

/// Trimmed cell, or `None` when empty.
#[inline]
pub fn non_empty(s: &str) -> Option<&str> {
    let t = trim(s);
    (!t.is_empty()).then_some(t)
}

/// A cell without the white space around it (the ideographic space `　` included).
#[inline]
pub fn trim(s: &str) -> &str {
    // The common cell starts and ends with a visible ASCII character: nothing to decode.
    match (s.as_bytes().first(), s.as_bytes().last()) {
        (Some(first), Some(last)) if first.is_ascii_graphic() && last.is_ascii_graphic() => s,
        _ => s.trim_matches(|c: char| c.is_whitespace() || c == '\u{3000}'),
    }
}

#[inline]
fn required(s: &str) -> FieldResult<&str> {
    non_empty(s).ok_or(ProblemKind::Missing)
}

/// An id: 1–64 characters of `[A-Za-z0-9_-]`.
pub fn id(s: &str) -> FieldResult<String> {
    id_str(s).map(str::to_owned)
}

/// [`id`] without making the id's own string: the trimmed cell.
#[inline]
pub fn id_str(s: &str) -> FieldResult<&str> {
    opt_id_str(s)?.ok_or(ProblemKind::Missing)
}

pub fn opt_id(s: &str) -> FieldResult<Option<String>> {
    Ok(opt_id_str(s)?.map(str::to_owned))
}

/// [`opt_id`] without making the id's own string: the trimmed cell.
#[inline]
pub fn opt_id_str(s: &str) -> FieldResult<Option<&str>> {
    match non_empty(s) {
        None => Ok(None),
        Some(t)
            if t.len() <= 64
                && t.bytes()
                    .all(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b'-') =>
        {
            Ok(Some(t))
        }
        Some(_) => Err(ProblemKind::BadId),
    }
}

/// A required text: the trimmed cell.
#[inline]
pub fn text_str(s: &str) -> FieldResult<&str> {
    required(s)
}

pub fn opt_text(s: &str) -> Option<String> {
    non_empty(s).map(str::to_owned)
}

pub fn money(s: &str) -> FieldResult<Fen> {
    Fen::parse_yuan(required(s)?).map_err(ProblemKind::Money)
}

#[inline]
pub fn opt_money(s: &str) -> FieldResult<Option<Fen>> {
    non_empty(s)
        .map(|t| Fen::parse_yuan(t).map_err(ProblemKind::Money))
        .transpose()
}

#[inline]
pub fn date(s: &str) -> FieldResult<Date> {
    crate::date::parse_iso(required(s)?).ok_or(ProblemKind::Date)
}

#[inline]
pub fn opt_date(s: &str) -> FieldResult<Option<Date>> {
    non_empty(s)
        .map(|t| crate::date::parse_iso(t).ok_or(ProblemKind::Date))
        .transpose()
}

#[inline]
fn parse_bool(t: &str) -> FieldResult<bool> {
    if t.eq_ignore_ascii_case("true") || t == "1" || t == "是" {
        Ok(true)
    } else if t.eq_ignore_ascii_case("false") || t == "0" || t == "否" {
        Ok(false)
    } else {
        Err(ProblemKind::Bool)
    }
}

pub fn bool(s: &str) -> FieldResult<bool> {
    parse_bool(required(s)?)
}

#[inline]
pub fn opt_bool(s: &str) -> FieldResult<Option<bool>> {
    non_empty(s).map(parse_bool).transpose()
}

/// An integer in `min..=max`.
#[inline]
pub fn opt_int(s: &str, min: i64, max: i64) -> FieldResult<Option<i64>> {
    match non_empty(s) {
        None => Ok(None),
        Some(t) => match t.parse::<i64>() {
            Ok(v) if (min..=max).contains(&v) => Ok(Some(v)),
            _ => Err(ProblemKind::Integer { min, max }),
        },
    }
}

/// A vocabulary code (see [`crate::enums`]); `from_code` and `expected` come from the enum.
#[inline]
pub fn code<T>(
    s: &str,
    from_code: fn(&str) -> Option<T>,
    expected: fn() -> String,
) -> FieldResult<T> {
    from_code(required(s)?).ok_or_else(|| ProblemKind::Enum {
        expected: expected(),
    })
}

#[inline]
pub fn opt_code<T>(
    s: &str,
    from_code: fn(&str) -> Option<T>,
    expected: fn() -> String,
) -> FieldResult<Option<T>> {
    non_empty(s)
        .map(|t| {
            from_code(t).ok_or_else(|| ProblemKind::Enum {
                expected: expected(),
            })
        })
        .transpose()
}

/// An 18-character ID number: the trimmed cell (a final `x` not made upper-case: a
/// record's decoder normalises it) and the facts it encodes.
#[inline]
pub fn id_number_str(s: &str) -> FieldResult<(&str, IdFacts)> {
    let t = required(s)?;
    let facts = idnumber::check(t).map_err(ProblemKind::IdNumber)?;
    Ok((t, facts))
}

/// A household's region: 12 digits, in `table`, at village level.
pub fn village_code(s: &str, table: &RegionTable) -> FieldResult<RegionCode> {
    let code = RegionCode::parse(required(s)?).ok_or(ProblemKind::RegionShape)?;
    match table.get(code) {
        None => Err(ProblemKind::RegionUnknown),
        Some(r) if r.level != crate::RegionLevel::Village => Err(ProblemKind::RegionNotVillage {
            level: r.level.label(),
        }),
        Some(_) => Ok(code),
    }
}

/// Row rules of a person: birth date and sex must agree with the ID number, and a death
/// cannot precede the birth. Returns (column, kind) of each breach.
pub fn check_person<S>(p: &Person<S>, facts: IdFacts) -> Vec<(&'static str, ProblemKind)> {
    let mut out = Vec::new();
    if p.birth_date != facts.birth_date {
        out.push((
            "birth_date",
            ProblemKind::BirthDateMismatch {
                from_id: crate::date::to_iso(facts.birth_date),
            },
        ));
    }
    if p.sex != facts.sex {
        out.push((
            "sex",
            ProblemKind::SexMismatch {
                from_id: facts.sex.code(),
            },
        ));
    }
    if p.deceased_on.is_some_and(|d| d < p.birth_date) {
        out.push((
            "deceased_on",
            ProblemKind::DateOrder {
                other: "birth_date",
            },
        ));
    }
    out
}

/// Row rules of a hospital stay: covered ≤ total, discharge not before admission.
pub fn check_stay<S>(s: &HospitalStay<S>) -> Vec<(&'static str, ProblemKind)> {
    let mut out = Vec::new();
    if s.covered_cost > s.total_cost {
        out.push(("covered_cost", ProblemKind::CoveredAboveTotal));
    }
    if s.discharge_date < s.admit_date {
        out.push((
            "discharge_date",
            ProblemKind::DateOrder {
                other: "admit_date",
            },
        ));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Relation;

    #[test]
    fn ids_are_checked() {
        assert_eq!(id("H-001_a"), Ok("H-001_a".into()));
        assert_eq!(id(""), Err(ProblemKind::Missing));
        assert_eq!(id("H 001"), Err(ProblemKind::BadId));
        assert_eq!(id(&"x".repeat(65)), Err(ProblemKind::BadId));
        assert_eq!(opt_id("  "), Ok(None));
    }

    #[test]
    fn booleans_accept_the_three_spellings() {
        assert_eq!(bool("true"), Ok(true));
        assert_eq!(bool("TRUE"), Ok(true));
        assert_eq!(bool("1"), Ok(true));
        assert_eq!(bool("是"), Ok(true));
        assert_eq!(bool("否"), Ok(false));
        assert_eq!(bool("yes"), Err(ProblemKind::Bool));
        assert_eq!(opt_bool(""), Ok(None));
    }

    #[test]
    fn codes_list_what_is_expected() {
        assert_eq!(
            code("head", Relation::from_code, Relation::expected_list),
            Ok(Relation::Head)
        );
        let err = code("户主", Relation::from_code, Relation::expected_list).unwrap_err();
        assert!(err.to_string().contains("head 户主"), "{err}");
    }

    #[test]
    fn integers_in_range() {
        assert_eq!(opt_int("4", 0, 4), Ok(Some(4)));
        assert_eq!(
            opt_int("5", 0, 4),
            Err(ProblemKind::Integer { min: 0, max: 4 })
        );
        assert_eq!(
            opt_int("-1", 0, 4),
            Err(ProblemKind::Integer { min: 0, max: 4 })
        );
        assert_eq!(
            opt_int("1.5", 0, 4),
            Err(ProblemKind::Integer { min: 0, max: 4 })
        );
    }

    #[test]
    fn empty_is_unknown_not_zero() {
        assert_eq!(opt_money(""), Ok(None));
        assert_eq!(opt_money("0"), Ok(Some(Fen(0))));
        assert_eq!(money(""), Err(ProblemKind::Missing));
    }

    proptest::proptest! {
        /// The shortcut of `trim` changes nothing: it is the full trim on every cell.
        #[test]
        fn trim_is_the_full_trim(s in "[ \t\u{3000}a-z0-9.,中文\u{a0}]{0,6}") {
            let full = s.trim_matches(|c: char| c.is_whitespace() || c == '\u{3000}');
            proptest::prop_assert_eq!(trim(&s), full);
        }
    }

    #[test]
    fn cells_lose_their_surrounding_space() {
        assert_eq!(trim(" 1 "), "1");
        assert_eq!(trim("\u{3000}张三\u{3000}"), "张三");
        assert_eq!(trim("a"), "a");
        assert_eq!(trim(""), "");
        assert_eq!(non_empty(" \t"), None);
    }
}
