//! Small sampling helpers shared by the generator modules: coin flips, weighted tables,
//! normal / log-normal / Poisson draws, and the one deliberate float → fen conversion.
//!
//! Floats appear only as *probabilities and shape parameters*; every amount of money
//! leaves this file as integer fen ([`yuan_to_fen`]) and is never a float again.

use rand::RngExt;
use rand_chacha::ChaCha8Rng;

/// The generator's random source. ChaCha8 is fast, portable and has 2^64 independent
/// streams per key, which is what lets every household own a stream (see `lib.rs`).
pub type Rng = ChaCha8Rng;

/// True with probability `p` (values outside 0..=1 act as 0 or 1; never panics).
#[inline]
pub fn chance(rng: &mut Rng, p: f64) -> bool {
    rng.random::<f64>() < p
}

/// A uniform integer in `lo..=hi` (`lo` when the range is empty).
#[inline]
pub fn between(rng: &mut Rng, lo: i32, hi: i32) -> i32 {
    if hi <= lo {
        lo
    } else {
        rng.random_range(lo..=hi)
    }
}

/// A uniform integer in `0..n` (0 when `n` is 0).
#[inline]
pub fn uniform_u64(rng: &mut Rng, n: u64) -> u64 {
    if n == 0 { 0 } else { rng.random_range(0..n) }
}

/// A uniform float in `lo..hi`.
#[inline]
pub fn uniform(rng: &mut Rng, lo: f64, hi: f64) -> f64 {
    lo + (hi - lo) * rng.random::<f64>()
}

/// Picks from a small `(value, weight)` table by linear scan. Tables are `const` and sorted
/// by falling weight where they are long, so the scan usually stops early.
pub fn pick<T: Copy>(rng: &mut Rng, table: &[(T, u32)]) -> T {
    let total: u32 = table.iter().map(|e| e.1).sum();
    let mut x = rng.random_range(0..total.max(1));
    for &(v, w) in table {
        if x < w {
            return v;
        }
        x -= w;
    }
    // Only reached for an all-zero table; every table in this crate has positive weights.
    table[table.len() - 1].0
}

/// A `const` weighted table with its total precomputed, for the long tables drawn for
/// every person (surnames) or household (templates).
pub struct Table<T: 'static> {
    items: &'static [(T, u32)],
    total: u32,
}

impl<T: Copy> Table<T> {
    pub const fn new(items: &'static [(T, u32)]) -> Table<T> {
        let mut total = 0;
        let mut i = 0;
        while i < items.len() {
            total += items[i].1;
            i += 1;
        }
        Table { items, total }
    }

    /// A value drawn with probability proportional to its weight.
    pub fn pick(&self, rng: &mut Rng) -> T {
        let mut x = rng.random_range(0..self.total.max(1));
        for &(v, w) in self.items {
            if x < w {
                return v;
            }
            x -= w;
        }
        self.items[self.items.len() - 1].0
    }
}

/// A standard normal draw (Box–Muller; one of the pair is enough here).
pub fn std_normal(rng: &mut Rng) -> f64 {
    // 1 − u keeps the argument of ln in (0, 1].
    let u1 = 1.0 - rng.random::<f64>();
    let u2 = rng.random::<f64>();
    (-2.0 * u1.ln()).sqrt() * (std::f64::consts::TAU * u2).cos()
}

/// A normal draw with the given mean and standard deviation, rounded to an integer.
pub fn normal_int(rng: &mut Rng, mean: f64, sd: f64) -> i32 {
    (mean + sd * std_normal(rng)).round() as i32
}

/// A log-normal amount in fen with the given median (yuan) and log-scale spread `sigma`.
/// Log-normal because incomes and hospital bills are right-skewed: most near the median,
/// a long thin tail of large values.
pub fn lognormal_fen(rng: &mut Rng, median_yuan: f64, sigma: f64) -> i64 {
    yuan_to_fen(median_yuan * (sigma * std_normal(rng)).exp())
}

/// The deliberate float → money conversion: rounds to the nearest fen and clamps to
/// 0 ..= 10^12 fen (10 billion yuan), far above any amount this crate produces.
pub fn yuan_to_fen(yuan: f64) -> i64 {
    let fen = (yuan * 100.0).round();
    if fen.is_nan() || fen <= 0.0 {
        0
    } else if fen >= 1e12 {
        1_000_000_000_000
    } else {
        fen as i64
    }
}

/// A uniform amount in fen between two amounts in yuan.
pub fn uniform_fen(rng: &mut Rng, lo_yuan: i64, hi_yuan: i64) -> i64 {
    let (lo, hi) = (lo_yuan * 100, hi_yuan * 100);
    if hi <= lo {
        lo
    } else {
        rng.random_range(lo..=hi)
    }
}

/// `amount × num / den` rounded down, exact in integers (used to scale fen amounts).
pub fn scale_fen(amount: i64, num: i64, den: i64) -> i64 {
    if den <= 0 {
        return amount;
    }
    (i128::from(amount) * i128::from(num) / i128::from(den)) as i64
}

/// A Poisson count with mean `lambda` (inversion; `lambda` here is always well below 5),
/// capped at `cap`.
pub fn poisson(rng: &mut Rng, lambda: f64, cap: u32) -> u32 {
    if lambda <= 0.0 {
        return 0;
    }
    let u = rng.random::<f64>();
    let mut p = (-lambda).exp();
    let mut cdf = p;
    let mut k = 0;
    while u > cdf && k < cap {
        k += 1;
        p *= lambda / f64::from(k);
        cdf += p;
    }
    k
}

/// A geometric-like whole number of days with the given mean (exponential, floored).
pub fn days_with_mean(rng: &mut Rng, mean: f64) -> i32 {
    let u = 1.0 - rng.random::<f64>();
    (-mean * u.ln()).floor().min(365.0) as i32
}

#[cfg(test)]
mod tests {
    use super::*;
    use rand::SeedableRng;

    #[test]
    fn money_conversion_rounds_and_clamps() {
        assert_eq!(yuan_to_fen(12.345), 1235);
        assert_eq!(yuan_to_fen(-3.0), 0);
        assert_eq!(yuan_to_fen(f64::NAN), 0);
        assert_eq!(yuan_to_fen(1e300), 1_000_000_000_000);
        assert_eq!(scale_fen(1001, 1, 2), 500);
    }

    #[test]
    fn poisson_mean_is_close() {
        let mut rng = Rng::seed_from_u64(7);
        let n = 20_000;
        let sum: u32 = (0..n).map(|_| poisson(&mut rng, 0.4, 10)).sum();
        let mean = f64::from(sum) / f64::from(n);
        assert!((0.37..0.43).contains(&mean), "{mean}");
    }
}
