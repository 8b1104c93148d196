//! Exact money: [`Fen`] (integer 分, 1/100 yuan) and the one parser of money text.
//!
//! Money is never a float anywhere in minsheng. Interchange files write yuan with at most
//! two decimals; the parser accepts exactly that, and normalises two things clerks'
//! spreadsheets commonly produce (documented in README "Money in input files"):
//!
//! - full-width digits, point and comma (`１２３４．５０`) are read as their ASCII forms;
//! - thousands separators are accepted only in correct groups of three (`1,234,567.5`);
//!   anything else with a comma (`12,34`) is refused, since it may be a decimal comma.
//!
//! Everything else — currency signs, units (`元`), a sign, more than two decimals,
//! exponent notation — is refused with a reason.

use std::fmt;
use std::ops::{Add, AddAssign, Mul, Neg, Sub, SubAssign};

/// An exact amount of money in fen (分). May be negative inside computations; input
/// money is never negative.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Fen(pub i64);

/// Why a money text was refused.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum MoneyError {
    /// Not a number at all (letters, currency signs, units…).
    NotANumber,
    /// A minus sign: money in the registry is never negative.
    Negative,
    /// More than two digits after the point.
    TooManyDecimals,
    /// A comma that is not a correct thousands separator.
    BadGrouping,
    /// More than 13 digits before the point.
    TooLarge,
}

/// Largest accepted integer part: 13 digits (far above any real amount, far below i64).
const MAX_INT_DIGITS: usize = 13;

impl Fen {
    pub const ZERO: Fen = Fen(0);

    /// Whole yuan to fen.
    pub const fn yuan(y: i64) -> Fen {
        Fen(y * 100)
    }

    /// Parses yuan text such as `1234.5`, `1,234.50` or `１２３４．５`.
    #[inline]
    pub fn parse_yuan(text: &str) -> Result<Fen, MoneyError> {
        match two_decimals(text.as_bytes()) {
            Some(f) => Ok(f),
            None => Self::parse_yuan_long(text),
        }
    }

    /// [`Self::parse_yuan`] of anything but the form files write.
    fn parse_yuan_long(text: &str) -> Result<Fen, MoneyError> {
        let t = crate::field::trim(text);
        // Fast path: plain ASCII digits and at most one point, the overwhelmingly common case.
        if t.is_ascii() && !t.contains(',') {
            return parse_plain(t.as_bytes());
        }
        let mut norm = String::with_capacity(t.len());
        for c in t.chars() {
            norm.push(match c {
                '０'..='９' => char::from(b'0' + (c as u32 - '０' as u32) as u8),
                '．' => '.',
                '，' => ',',
                '－' => '-',
                other => other,
            });
        }
        if !norm.contains(',') {
            return parse_plain(norm.as_bytes());
        }
        let (int_part, frac) = match norm.find('.') {
            Some(p) => (&norm[..p], &norm[p..]),
            None => (&norm[..], ""),
        };
        if int_part.starts_with('-') {
            return Err(MoneyError::Negative);
        }
        let groups: Vec<&str> = int_part.split(',').collect();
        let well_grouped = groups.len() >= 2
            && (1..=3).contains(&groups[0].len())
            && groups[1..].iter().all(|g| g.len() == 3)
            && groups.iter().all(|g| g.bytes().all(|b| b.is_ascii_digit()));
        if !well_grouped {
            return Err(MoneyError::BadGrouping);
        }
        let mut plain = groups.concat();
        plain.push_str(frac);
        parse_plain(plain.as_bytes())
    }

    /// Yuan with exactly two decimals, as interchange files write money (`1234.50`).
    pub fn to_yuan_string(self) -> String {
        self.to_string()
    }

    /// Rounds half-up (away from zero for the half) to a multiple of `unit` fen.
    pub fn round_half_up_to(self, unit: i64) -> Fen {
        debug_assert!(unit > 0);
        let q = self.0.div_euclid(unit);
        let r = self.0.rem_euclid(unit);
        Fen(if r * 2 >= unit {
            (q + 1) * unit
        } else {
            q * unit
        })
    }

    pub fn max(self, other: Fen) -> Fen {
        Fen(self.0.max(other.0))
    }

    pub fn min(self, other: Fen) -> Fen {
        Fen(self.0.min(other.0))
    }
}

/// The form files write money in, `1234.50` (digits, a point, two digits, at most
/// [`MAX_INT_DIGITS`] before the point), read in one pass: its digits are the amount in
/// fen. `None` for anything else, which [`Fen::parse_yuan`] reads the long way.
#[inline]
fn two_decimals(b: &[u8]) -> Option<Fen> {
    let n = b.len();
    if !(4..=MAX_INT_DIGITS + 3).contains(&n) || b[n - 3] != b'.' {
        return None;
    }
    let mut fen: i64 = 0;
    for &c in b[..n - 3].iter().chain(&b[n - 2..]) {
        let d = c.wrapping_sub(b'0');
        if d > 9 {
            return None;
        }
        fen = fen * 10 + i64::from(d);
    }
    Some(Fen(fen))
}

fn parse_plain(b: &[u8]) -> Result<Fen, MoneyError> {
    if b.first() == Some(&b'-') {
        return if b.len() > 1 && b[1..].iter().all(|c| c.is_ascii_digit() || *c == b'.') {
            Err(MoneyError::Negative)
        } else {
            Err(MoneyError::NotANumber)
        };
    }
    let (int_part, frac) = match b.iter().position(|&c| c == b'.') {
        Some(p) => (&b[..p], &b[p + 1..]),
        None => (b, &b[..0]),
    };
    let is_digits = |s: &[u8]| s.iter().all(u8::is_ascii_digit);
    let has_point = int_part.len() != b.len();
    if int_part.is_empty()
        || !is_digits(int_part)
        || !is_digits(frac)
        || (has_point && frac.is_empty())
    {
        return Err(MoneyError::NotANumber);
    }
    if frac.len() > 2 {
        return Err(MoneyError::TooManyDecimals);
    }
    let significant = int_part.iter().skip_while(|&&c| c == b'0').count();
    if significant > MAX_INT_DIGITS {
        return Err(MoneyError::TooLarge);
    }
    let mut yuan: i64 = 0;
    for &c in int_part {
        yuan = yuan * 10 + i64::from(c - b'0');
    }
    let mut fen: i64 = 0;
    for i in 0..2 {
        fen = fen * 10 + frac.get(i).map_or(0, |c| i64::from(c - b'0'));
    }
    Ok(Fen(yuan * 100 + fen))
}

impl fmt::Display for Fen {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let sign = if self.0 < 0 { "-" } else { "" };
        let a = self.0.unsigned_abs();
        write!(f, "{sign}{}.{:02}", a / 100, a % 100)
    }
}

impl Add for Fen {
    type Output = Fen;
    fn add(self, o: Fen) -> Fen {
        Fen(self.0 + o.0)
    }
}
impl Sub for Fen {
    type Output = Fen;
    fn sub(self, o: Fen) -> Fen {
        Fen(self.0 - o.0)
    }
}
impl AddAssign for Fen {
    fn add_assign(&mut self, o: Fen) {
        self.0 += o.0;
    }
}
impl SubAssign for Fen {
    fn sub_assign(&mut self, o: Fen) {
        self.0 -= o.0;
    }
}
impl Neg for Fen {
    type Output = Fen;
    fn neg(self) -> Fen {
        Fen(-self.0)
    }
}
impl Mul<i64> for Fen {
    type Output = Fen;
    fn mul(self, k: i64) -> Fen {
        Fen(self.0 * k)
    }
}
impl std::iter::Sum for Fen {
    fn sum<I: Iterator<Item = Fen>>(iter: I) -> Fen {
        Fen(iter.map(|f| f.0).sum())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn parses_plain_amounts() {
        assert_eq!(Fen::parse_yuan("0"), Ok(Fen(0)));
        assert_eq!(Fen::parse_yuan("1234.5"), Ok(Fen(123_450)));
        assert_eq!(Fen::parse_yuan("1234.56"), Ok(Fen(123_456)));
        assert_eq!(Fen::parse_yuan(" 610 "), Ok(Fen(61_000)));
        assert_eq!(Fen::parse_yuan("007.05"), Ok(Fen(705)));
    }

    #[test]
    fn normalises_full_width_and_grouping() {
        assert_eq!(Fen::parse_yuan("１２３４．５"), Ok(Fen(123_450)));
        assert_eq!(Fen::parse_yuan("1,234,567.89"), Ok(Fen(123_456_789)));
        assert_eq!(Fen::parse_yuan("１，２３４"), Ok(Fen(123_400)));
    }

    #[test]
    fn refuses_what_is_not_plain_yuan() {
        assert_eq!(Fen::parse_yuan("-5"), Err(MoneyError::Negative));
        assert_eq!(Fen::parse_yuan("－5"), Err(MoneyError::Negative));
        assert_eq!(Fen::parse_yuan("1,234,-5"), Err(MoneyError::BadGrouping));
        assert_eq!(Fen::parse_yuan("1.234"), Err(MoneyError::TooManyDecimals));
        assert_eq!(Fen::parse_yuan("12,34"), Err(MoneyError::BadGrouping));
        assert_eq!(Fen::parse_yuan("1234,50"), Err(MoneyError::BadGrouping));
        assert_eq!(Fen::parse_yuan("¥100"), Err(MoneyError::NotANumber));
        assert_eq!(Fen::parse_yuan("100元"), Err(MoneyError::NotANumber));
        assert_eq!(Fen::parse_yuan("1e3"), Err(MoneyError::NotANumber));
        assert_eq!(Fen::parse_yuan(".5"), Err(MoneyError::NotANumber));
        assert_eq!(Fen::parse_yuan("5."), Err(MoneyError::NotANumber));
        assert_eq!(Fen::parse_yuan(""), Err(MoneyError::NotANumber));
        assert_eq!(Fen::parse_yuan("99999999999999"), Err(MoneyError::TooLarge));
    }

    #[test]
    fn displays_two_decimals() {
        assert_eq!(Fen(123_450).to_string(), "1234.50");
        assert_eq!(Fen(5).to_string(), "0.05");
        assert_eq!(Fen(-5).to_string(), "-0.05");
    }

    #[test]
    fn rounds_half_up() {
        assert_eq!(Fen(109_149).round_half_up_to(100), Fen(109_100));
        assert_eq!(Fen(109_150).round_half_up_to(100), Fen(109_200));
        assert_eq!(Fen(49).round_half_up_to(100), Fen(0));
    }

    proptest! {
        #[test]
        fn display_then_parse_is_identity(f in 0i64..10_000_000_000_000) {
            prop_assert_eq!(Fen::parse_yuan(&Fen(f).to_string()), Ok(Fen(f)));
        }

        /// The one-pass form agrees with the long way wherever it answers.
        #[test]
        fn two_decimals_read_as_the_long_way_does(s in "[0-9]{0,16}[.]?[0-9]{0,3}|[0-9 .,-]{0,18}") {
            if let Some(f) = two_decimals(s.as_bytes()) {
                let trimmed = crate::field::trim(&s);
                prop_assert_eq!(parse_plain(trimmed.as_bytes()), Ok(f));
            }
        }

        #[test]
        fn parser_never_panics(s in "\\PC{0,24}") {
            let _ = Fen::parse_yuan(&s);
        }
    }
}
