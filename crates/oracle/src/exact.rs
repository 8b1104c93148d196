//! Exact money arithmetic: [`Q`], an exact rational number of fen, and [`Rate`], an exact
//! ratio (a percentage or a multiple such as 1.5).
//!
//! reference-rules.md, Conventions: "Money is exact. Intermediate results are kept in fen;
//! where a rule says 'round', it means half-up to the stated unit. Comparisons are exact."
//! So a product like `standard × 50 %` or `wage × 20 %` is kept as the exact fraction it is
//! (e.g. 30 500.5 fen) until a rule names a rounding; comparisons cross-multiply. There is
//! no floating point anywhere. `i128` leaves room for any product of registry amounts
//! (at most 10^15 fen) with the small denominators of the rates.

use minsheng_model::Fen;
use std::cmp::Ordering;
use std::ops::{Add, Sub};

/// An exact ratio `num / den` (den > 0): 20 % is `Rate::percent(20)`, 1.5 is `Rate::new(3, 2)`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Rate {
    pub num: i64,
    pub den: i64,
}

impl Rate {
    pub const fn new(num: i64, den: i64) -> Rate {
        Rate { num, den }
    }

    pub const fn percent(p: i64) -> Rate {
        Rate { num: p, den: 100 }
    }

    /// The sum of two rates (e.g. the critical-illness rate plus the needy bonus).
    pub const fn plus(self, o: Rate) -> Rate {
        Rate {
            num: self.num * o.den + o.num * self.den,
            den: self.den * o.den,
        }
    }
}

/// An exact amount of money: `num / den` fen, always in lowest terms with `den > 0`, so
/// that the derived equality is value equality.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Q {
    num: i128,
    den: i128,
}

fn gcd(mut a: i128, mut b: i128) -> i128 {
    a = a.abs();
    b = b.abs();
    while b != 0 {
        (a, b) = (b, a % b);
    }
    a
}

impl Q {
    pub const ZERO: Q = Q { num: 0, den: 1 };

    fn new(num: i128, den: i128) -> Q {
        debug_assert!(den > 0);
        let g = gcd(num, den).max(1);
        Q {
            num: num / g,
            den: den / g,
        }
    }

    /// A whole number of fen.
    pub fn fen(f: Fen) -> Q {
        Q {
            num: i128::from(f.0),
            den: 1,
        }
    }

    /// `self × rate`, exactly.
    pub fn times(self, r: Rate) -> Q {
        Q::new(self.num * i128::from(r.num), self.den * i128::from(r.den))
    }

    /// `self × k` for a whole number `k` (a head count, 12 months, 24 months…).
    pub fn scale(self, k: i64) -> Q {
        Q::new(self.num * i128::from(k), self.den)
    }

    pub fn max(self, o: Q) -> Q {
        if self >= o { self } else { o }
    }

    pub fn min(self, o: Q) -> Q {
        if self <= o { self } else { o }
    }

    /// Rounds half-up (a half goes up, towards +∞) to a multiple of `unit` fen:
    /// `floor(x / unit + 1/2) × unit`.
    fn round_half_up_to(self, unit: i128) -> Fen {
        let q = (2 * self.num + self.den * unit).div_euclid(2 * self.den * unit);
        Fen(i64::try_from(q * unit).expect("money fits in i64"))
    }

    /// "Rounded half-up to the fen" (medical payments, clarification 1's `wage × 20 %`).
    pub fn round_half_up_fen(self) -> Fen {
        self.round_half_up_to(1)
    }

    /// "Rounded half-up to whole yuan" (dibao and dibao_single amounts).
    pub fn round_half_up_yuan(self) -> Fen {
        self.round_half_up_to(100)
    }

    /// "Rounded up to whole yuan" (`tekun.basic_multiple`: ceil_to_yuan).
    pub fn ceil_yuan(self) -> Fen {
        let unit = 100 * self.den;
        let q = -(-self.num).div_euclid(unit);
        Fen(i64::try_from(q * 100).expect("money fits in i64"))
    }
}

impl From<Fen> for Q {
    fn from(f: Fen) -> Q {
        Q::fen(f)
    }
}

impl Add for Q {
    type Output = Q;
    fn add(self, o: Q) -> Q {
        Q::new(self.num * o.den + o.num * self.den, self.den * o.den)
    }
}

impl Sub for Q {
    type Output = Q;
    fn sub(self, o: Q) -> Q {
        Q::new(self.num * o.den - o.num * self.den, self.den * o.den)
    }
}

impl std::iter::Sum for Q {
    fn sum<I: Iterator<Item = Q>>(iter: I) -> Q {
        iter.fold(Q::ZERO, |a, b| a + b)
    }
}

impl PartialOrd for Q {
    fn partial_cmp(&self, o: &Q) -> Option<Ordering> {
        Some(self.cmp(o))
    }
}

impl Ord for Q {
    fn cmp(&self, o: &Q) -> Ordering {
        // Both denominators are positive, so cross-multiplying keeps the order.
        (self.num * o.den).cmp(&(o.num * self.den))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rounding_is_half_up_at_the_named_unit() {
        let half_fen = Q::fen(Fen(1)).times(Rate::percent(50));
        assert_eq!(half_fen.round_half_up_fen(), Fen(1));
        assert_eq!(
            Q::fen(Fen(149))
                .times(Rate::percent(100))
                .round_half_up_yuan(),
            Fen(100)
        );
        assert_eq!(Q::fen(Fen(150)).round_half_up_yuan(), Fen(200));
        assert_eq!(Q::fen(Fen(49)).round_half_up_yuan(), Fen(0));
        assert_eq!(Q::fen(Fen(50)).round_half_up_yuan(), Fen(100));
    }

    #[test]
    fn ceil_to_yuan() {
        // 1.3 × 610 = 793 exactly; 1.3 × 410 = 533 exactly; 1.3 × 415 = 539.5 → 540.
        let t = |y| Q::fen(Fen::yuan(y)).times(Rate::new(13, 10)).ceil_yuan();
        assert_eq!(t(610), Fen::yuan(793));
        assert_eq!(t(410), Fen::yuan(533));
        assert_eq!(t(415), Fen::yuan(540));
    }

    #[test]
    fn comparisons_are_exact() {
        let a = Q::fen(Fen(61_001)).times(Rate::percent(50));
        assert!(a > Q::fen(Fen(30_500)) && a < Q::fen(Fen(30_501)));
        assert_eq!(a + a, Q::fen(Fen(61_001)));
        assert_eq!(
            Rate::percent(60).plus(Rate::percent(5)),
            Rate::new(6500, 10_000)
        );
    }
}
