//! Exact decimal numbers for parameter values and formula literals (`610`, `1.3`, `20%`).
//!
//! A policy's numbers are decimals written by people; reading them into binary floating
//! point would make `0.1 + 0.2` differ from `0.3` and money drift by fen. A [`Decimal`]
//! is `mantissa / 10^scale`, always normalised (no trailing zeros), so equal values are
//! equal structs.

use std::fmt;

/// An exact decimal `mantissa / 10^scale`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Decimal {
    mantissa: i128,
    scale: u32,
}

/// The largest scale kept (far beyond any rate a policy writes).
const MAX_SCALE: u32 = 18;

impl Decimal {
    pub const ZERO: Decimal = Decimal {
        mantissa: 0,
        scale: 0,
    };

    /// `mantissa / 10^scale`, normalised.
    pub fn new(mantissa: i128, scale: u32) -> Decimal {
        let (mut m, mut s) = (mantissa, scale);
        while s > 0 && m % 10 == 0 {
            m /= 10;
            s -= 1;
        }
        Decimal {
            mantissa: m,
            scale: s,
        }
    }

    pub fn from_int(n: i64) -> Decimal {
        Decimal::new(i128::from(n), 0)
    }

    pub fn mantissa(self) -> i128 {
        self.mantissa
    }

    pub fn scale(self) -> u32 {
        self.scale
    }

    /// Reads `610`, `-3`, `1.30`, `0.05`, `20%` (= 0.2), `1_000` (underscores as TOML
    /// allows). Exponents and anything else are refused.
    pub fn parse(text: &str) -> Option<Decimal> {
        let t = text.trim().replace('_', "");
        let (t, percent) = match t.strip_suffix('%') {
            Some(rest) => (rest.trim_end().to_owned(), true),
            None => (t, false),
        };
        let (neg, digits) = match t.strip_prefix('-') {
            Some(rest) => (true, rest),
            None => (false, t.strip_prefix('+').unwrap_or(&t)),
        };
        let (int, frac) = digits.split_once('.').unwrap_or((digits, ""));
        let all_digits = |s: &str| s.bytes().all(|b| b.is_ascii_digit());
        if int.is_empty()
            || !all_digits(int)
            || !all_digits(frac)
            || (digits.contains('.') && frac.is_empty())
        {
            return None;
        }
        let scale = u32::try_from(frac.len()).ok()? + if percent { 2 } else { 0 };
        if scale > MAX_SCALE || int.len() + frac.len() > 30 {
            return None;
        }
        let m: i128 = format!("{int}{frac}").parse().ok()?;
        Some(Decimal::new(if neg { -m } else { m }, scale))
    }

    /// The value as fen when it has at most two decimals (a money amount in yuan).
    pub fn to_fen(self) -> Option<i64> {
        if self.scale > 2 {
            return None;
        }
        i64::try_from(self.mantissa * 10i128.pow(2 - self.scale)).ok()
    }
}

impl fmt::Display for Decimal {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let sign = if self.mantissa < 0 { "-" } else { "" };
        let a = self.mantissa.unsigned_abs();
        if self.scale == 0 {
            return write!(f, "{sign}{a}");
        }
        let p = 10u128.pow(self.scale);
        write!(
            f,
            "{sign}{}.{:0width$}",
            a / p,
            a % p,
            width = self.scale as usize
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn parses_what_policies_write() {
        assert_eq!(Decimal::parse("610"), Some(Decimal::new(610, 0)));
        assert_eq!(Decimal::parse("1.30"), Some(Decimal::new(13, 1)));
        assert_eq!(Decimal::parse("20%"), Some(Decimal::new(2, 1)));
        assert_eq!(Decimal::parse("0.5%"), Some(Decimal::new(5, 3)));
        assert_eq!(Decimal::parse("200_000"), Some(Decimal::new(200_000, 0)));
        assert_eq!(Decimal::parse("-5"), Some(Decimal::new(-5, 0)));
        for bad in ["", "1e3", ".5", "5.", "1.2.3", "abc", "%"] {
            assert_eq!(Decimal::parse(bad), None, "{bad:?}");
        }
    }

    #[test]
    fn money_converts_only_when_exact() {
        assert_eq!(Decimal::parse("610").unwrap().to_fen(), Some(61_000));
        assert_eq!(Decimal::parse("0.05").unwrap().to_fen(), Some(5));
        assert_eq!(Decimal::parse("0.005").unwrap().to_fen(), None);
    }

    #[test]
    fn displays_canonically() {
        assert_eq!(Decimal::parse("1.30").unwrap().to_string(), "1.3");
        assert_eq!(Decimal::parse("20%").unwrap().to_string(), "0.2");
        assert_eq!(Decimal::parse("-0.05").unwrap().to_string(), "-0.05");
    }

    proptest! {
        #[test]
        fn display_then_parse_is_identity(m in -10i128.pow(20)..10i128.pow(20), s in 0u32..10) {
            let d = Decimal::new(m, s);
            prop_assert_eq!(Decimal::parse(&d.to_string()), Some(d));
        }
    }
}
