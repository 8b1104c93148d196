//! Exact fixed-point numbers for evaluation: `i64` in units of 10⁻⁸ (of a yuan, for
//! money).
//!
//! Policies multiply money (two decimals) by rates and multiples (a few decimals): every
//! product they write has at most eight decimals, so it is exact here, and a result that
//! would not be (an operation whose exact value needs a ninth decimal) is an error the
//! evaluator reports, never a silent rounding. The only roundings are the ones a rule
//! names (`round`, `ceil`, `floor` to a unit), half-up as reference-rules.md says.
//! The range, ±92 billion yuan, holds any household's or district's monthly amount.

use crate::decimal::Decimal;
use std::fmt;

/// A number `raw / 10⁸`.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Fixed(pub i64);

/// Decimal places kept.
pub const PLACES: u32 = 8;
const ONE: i64 = 100_000_000;
/// One fen, in raw units.
const FEN: i64 = ONE / 100;

/// An operation whose exact result does not fit.
#[derive(Clone, Copy, Debug, PartialEq, Eq, thiserror::Error)]
pub enum FixedError {
    #[error("结果超出可表示范围 / the result is out of range")]
    Overflow,
    #[error(
        "结果超过8位小数，无法精确表示（请用 round 指定取舍）/ the exact result needs more than 8 decimals"
    )]
    Inexact,
    #[error("除数为零 / division by zero")]
    DivisionByZero,
}

type R = Result<Fixed, FixedError>;

fn fit(v: i128) -> R {
    i64::try_from(v)
        .map(Fixed)
        .map_err(|_| FixedError::Overflow)
}

impl Fixed {
    pub const ZERO: Fixed = Fixed(0);
    pub const ONE: Fixed = Fixed(ONE);

    pub fn from_int(n: i64) -> R {
        n.checked_mul(ONE).map(Fixed).ok_or(FixedError::Overflow)
    }

    pub fn from_fen(f: i64) -> R {
        f.checked_mul(FEN).map(Fixed).ok_or(FixedError::Overflow)
    }

    pub fn from_decimal(d: Decimal) -> R {
        if d.scale() > PLACES {
            return Err(FixedError::Inexact);
        }
        fit(d.mantissa() * 10i128.pow(PLACES - d.scale()))
    }

    /// The value in fen, if it is a whole number of fen.
    pub fn to_fen(self) -> Option<i64> {
        (self.0 % FEN == 0).then_some(self.0 / FEN)
    }

    pub fn checked_add(self, o: Fixed) -> R {
        self.0
            .checked_add(o.0)
            .map(Fixed)
            .ok_or(FixedError::Overflow)
    }

    pub fn checked_sub(self, o: Fixed) -> R {
        self.0
            .checked_sub(o.0)
            .map(Fixed)
            .ok_or(FixedError::Overflow)
    }

    pub fn checked_mul(self, o: Fixed) -> R {
        // A whole-number operand (a count, a multiple) needs no division at all.
        if o.0 % ONE == 0 {
            return self
                .0
                .checked_mul(o.0 / ONE)
                .map(Fixed)
                .ok_or(FixedError::Overflow);
        }
        if self.0 % ONE == 0 {
            return o
                .0
                .checked_mul(self.0 / ONE)
                .map(Fixed)
                .ok_or(FixedError::Overflow);
        }
        // The common case fits in 64 bits; 128-bit division is several times slower.
        if let Some(p) = self.0.checked_mul(o.0) {
            if p % ONE != 0 {
                return Err(FixedError::Inexact);
            }
            return Ok(Fixed(p / ONE));
        }
        let p = i128::from(self.0) * i128::from(o.0);
        if p % i128::from(ONE) != 0 {
            return Err(FixedError::Inexact);
        }
        fit(p / i128::from(ONE))
    }

    /// The value as a factor: the reduced fraction `num / den` of whole numbers.
    pub fn factor(self) -> Factor {
        let (mut a, mut b) = (self.0.unsigned_abs(), ONE as u64);
        while b != 0 {
            (a, b) = (b, a % b);
        }
        // `a` divides 10⁸, so it fits, and so do both parts.
        let g = a as i64;
        Factor {
            c: self,
            num: self.0 / g,
            den: ONE / g,
        }
    }

    pub fn checked_div(self, o: Fixed) -> R {
        if o.0 == 0 {
            return Err(FixedError::DivisionByZero);
        }
        if let Some(n) = self.0.checked_mul(ONE) {
            if n % o.0 != 0 {
                return Err(FixedError::Inexact);
            }
            return fit(i128::from(n / o.0));
        }
        let n = i128::from(self.0) * i128::from(ONE);
        if n % i128::from(o.0) != 0 {
            return Err(FixedError::Inexact);
        }
        fit(n / i128::from(o.0))
    }

    /// Rounds to a multiple of `unit` (> 0): half away from zero (for the non-negative
    /// amounts of the rules, half-up).
    #[inline]
    pub fn round_to(self, unit: Fixed) -> R {
        self.to_multiple(
            unit,
            |q, r, u| if 2 * r.abs() >= u { q + r.signum() } else { q },
        )
    }

    /// The smallest multiple of `unit` not below the value.
    #[inline]
    pub fn ceil_to(self, unit: Fixed) -> R {
        self.to_multiple(unit, |q, r, _| if r > 0 { q + 1 } else { q })
    }

    /// The largest multiple of `unit` not above the value.
    #[inline]
    pub fn floor_to(self, unit: Fixed) -> R {
        self.to_multiple(unit, |q, r, _| if r < 0 { q - 1 } else { q })
    }

    #[inline]
    fn to_multiple(self, unit: Fixed, pick: impl Fn(i64, i64, i64) -> i64) -> R {
        if unit.0 <= 0 {
            return Err(FixedError::DivisionByZero);
        }
        // Truncating division: q toward zero, r with the sign of the value. Where the
        // caller's unit is a compile-time constant this inlines into a multiplication.
        let (q, r) = (self.0 / unit.0, self.0 % unit.0);
        pick(q, r, unit.0)
            .checked_mul(unit.0)
            .map(Fixed)
            .ok_or(FixedError::Overflow)
    }
}

/// A constant factor `c` as the reduced fraction `num / den` of its value (`den`
/// divides 10⁸). `x × c` is then `x × num / den`, which stays in 64 bits for the amounts
/// rules multiply by rates (`wage × 20%` is `wage / 5`) where `x × c` itself does not:
/// a wage above 4 611 yuan times 20 % overflowed 64 bits and took the 128-bit road.
#[derive(Clone, Copy, Debug)]
pub struct Factor {
    pub c: Fixed,
    pub num: i64,
    pub den: i64,
}

impl Factor {
    /// `Fixed(x).checked_mul(self.c)` (the same value or error), where `DEN` is
    /// `self.den` as a constant, so that the division by it is a multiplication.
    #[inline]
    pub fn times<const DEN: i64>(self, x: i64) -> R {
        debug_assert_eq!(DEN, self.den);
        match x.checked_mul(self.num) {
            // `x × c / 10⁸ = x × num / den`, a whole number exactly when `den`
            // divides `x × num`; it is no larger than `x × num`, so it fits.
            Some(p) if p % DEN == 0 => Ok(Fixed(p / DEN)),
            Some(_) => Err(FixedError::Inexact),
            None => Fixed(x).checked_mul(self.c),
        }
    }
}

impl fmt::Display for Fixed {
    /// Shortest exact decimal: `610`, `0.2`, `1091.5`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", Decimal::new(i128::from(self.0), PLACES))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn x_(s: &str) -> Fixed {
        x(s)
    }

    fn x(s: &str) -> Fixed {
        Fixed::from_decimal(Decimal::parse(s).unwrap()).unwrap()
    }

    #[test]
    fn rule_arithmetic_is_exact() {
        // min(1000 × 20%, 610 × 50%) = 200; 1.3 × 410 = 533; 610 × 3 − 800 + 61 = 1091.
        assert_eq!(x("1000").checked_mul(x("20%")), Ok(x("200")));
        assert_eq!(x("1.3").checked_mul(x("410")), Ok(x("533")));
        assert_eq!(x("0.1").checked_add(x("0.2")), Ok(x("0.3")));
        assert_eq!(
            x("1234.57").checked_mul(x("20%")).map(|v| v.to_string()),
            Ok("246.914".into())
        );
        assert_eq!(x("1").checked_div(x("3")), Err(FixedError::Inexact));
        assert_eq!(x("1830").checked_div(x("3")), Ok(x("610")));
        assert_eq!(
            x("0.00000001").checked_mul(x("0.5")),
            Err(FixedError::Inexact)
        );
    }

    #[test]
    fn roundings_name_their_unit() {
        assert_eq!(
            x("1.3")
                .checked_mul(x("610"))
                .and_then(|v| v.ceil_to(x("1"))),
            Ok(x("793"))
        );
        assert_eq!(x("792.5").round_to(x("1")), Ok(x("793")));
        assert_eq!(x("792.49").round_to(x("1")), Ok(x("792")));
        assert_eq!(x("246.914").round_to(x("0.01")), Ok(x("246.91")));
        assert_eq!(x("246.915").round_to(x("0.01")), Ok(x("246.92")));
        assert_eq!(x("-0.5").round_to(x("1")), Ok(x("-1")));
        assert_eq!(x("-0.5").floor_to(x("1")), Ok(x("-1")));
        assert_eq!(x("-0.5").ceil_to(x("1")), Ok(x("0")));
        assert_eq!(x("7450.1").to_fen(), Some(745_010));
        assert_eq!(x("0.005").to_fen(), None);
    }

    #[test]
    fn overflow_is_an_error_not_a_wrap() {
        let big = Fixed(i64::MAX / 2);
        assert_eq!(
            big.checked_add(big).and_then(|v| v.checked_add(big)),
            Err(FixedError::Overflow)
        );
        assert_eq!(
            x("1000000000").checked_mul(x("1000")),
            Err(FixedError::Overflow)
        );
    }

    proptest! {
        #[test]
        fn rounding_lands_on_a_multiple_within_half_a_unit(v in -10i64.pow(15)..10i64.pow(15), unit in prop::sample::select(vec![FEN, ONE, 100 * ONE])) {
            let r = Fixed(v).round_to(Fixed(unit)).unwrap();
            prop_assert_eq!(r.0 % unit, 0);
            prop_assert!(2 * (r.0 - v).abs() <= unit);
            let c = Fixed(v).ceil_to(Fixed(unit)).unwrap();
            let f = Fixed(v).floor_to(Fixed(unit)).unwrap();
            prop_assert!(f.0 <= v && v <= c.0 && c.0 - f.0 <= unit);
        }

        /// The shortcuts of `checked_mul` (a whole operand, a 64-bit product) give what
        /// exact 128-bit arithmetic gives.
        #[test]
        fn products_are_the_exact_ones(
            a in prop_oneof![any::<i64>(), (-10i64.pow(10)..10i64.pow(10)).prop_map(|k| k * ONE), -10i64.pow(13)..10i64.pow(13)],
            b in prop_oneof![any::<i64>(), (-1000i64..1000).prop_map(|k| k * ONE), -10i64.pow(9)..10i64.pow(9)],
        ) {
            let p = i128::from(a) * i128::from(b);
            let exact = if p % i128::from(ONE) != 0 {
                Err(FixedError::Inexact)
            } else {
                fit(p / i128::from(ONE))
            };
            prop_assert_eq!(Fixed(a).checked_mul(Fixed(b)), exact);
            prop_assert_eq!(Fixed(b).checked_mul(Fixed(a)), exact);
        }

        /// A product by a factor through its reduced fraction is the product.
        #[test]
        fn products_by_a_factor_are_the_products(
            x in prop_oneof![any::<i64>(), (-10i64.pow(10)..10i64.pow(10)).prop_map(|k| k * ONE), -10i64.pow(13)..10i64.pow(13)],
            c in prop::sample::select(vec!["20%", "50%", "10%", "1.5", "1.3", "0.25", "5%", "0.01", "-0.5", "0", "3"]),
        ) {
            let f = x_(c).factor();
            prop_assert_eq!(f.num * (ONE / f.den), f.c.0);
            let got = match f.den {
                1 => f.times::<1>(x),
                2 => f.times::<2>(x),
                4 => f.times::<4>(x),
                5 => f.times::<5>(x),
                10 => f.times::<10>(x),
                20 => f.times::<20>(x),
                100 => f.times::<100>(x),
                d => unreachable!("{d}"),
            };
            prop_assert_eq!(got, Fixed(x).checked_mul(f.c));
        }
    }
}
