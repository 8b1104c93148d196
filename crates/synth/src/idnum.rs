//! Unique 公民身份号码 for every synthetic person — unique by construction, not by luck.
//!
//! A number is `region6 · birth date · seq · check`, and `seq` has 500 values per sex
//! (`idnumber::make` sets the parity). Two persons can only share a number if they share
//! region6, birth date, sex and seq. The allocator keeps one counter per (birth day, sex);
//! the person who takes value `c` gets
//!
//! - `(home county, perm(c))` when `c` < 500 (and they were not drawn as born elsewhere);
//! - otherwise `(OTHER_SICHUAN[c / 500], perm(c mod 500))` — real county codes of Sichuan
//!   outside the deployment's own counties: the ≈ 5 % in-migrants, and the overflow once
//!   a birth date has 500 persons of one sex (≈ 130 on average at 10 million persons).
//!
//! Each counter value is taken once and `perm` is a bijection of 0..500, so within one
//! (birth day, sex) the home numbers differ in `seq` and the others in (code, seq); home
//! codes and `OTHER_SICHUAN` are disjoint (codes of the region table are filtered out),
//! so the two branches never meet. Hence no duplicates, for any number of households.
//! The capacity, 500 × 51 numbers per birth day and sex, would take over a billion
//! persons to exhaust; `assign` then returns `None` (an error, never a duplicate).
//!
//! One shared counter (rather than one per county) keeps the table at 2 bytes per birth
//! day and sex — ≈ 155 kB for 106 years of birth dates, fixed however many households
//! are generated, and small enough to stay in cache (the per-county table was a
//! measurable share of generation time through cache misses).
//!
//! The number is written by [`write_number`], which gives exactly what
//! `minsheng_model::idnumber::make` gives (a test compares them) and uses the model's
//! `check_char`, but fills a reused buffer instead of formatting two new strings: `make`
//! was about a fifth of generation time.
//!
//! `perm(c)` = (137·c + salt) mod 500 with a salt from the day and region, so that real-
//! looking sequence numbers come out instead of 001, 003, 005…; 137 is prime to 500.

use chrono::Datelike;
use minsheng_model::{Date, Sex, idnumber};

/// Sequence numbers per sex for one region and birth date (3 digits, parity = sex).
const SEQ_PER_SEX: u32 = 500;

/// Real county-level codes of Sichuan outside 绵阳: 成都, 德阳, 广元, 遂宁, 南充, 巴中 — the
/// neighbouring prefectures people move in from.
const OTHER_SICHUAN: &[u32] = &[
    510104, 510105, 510106, 510107, 510108, 510112, 510113, 510114, 510115, 510116, // 成都
    510117, 510121, 510129, 510131, 510181, 510182, 510183, 510184, 510185, // 成都
    510603, 510604, 510623, 510681, 510682, 510683, // 德阳
    510802, 510811, 510812, 510821, 510822, 510823, 510824, // 广元
    510903, 510904, 510921, 510923, 510981, // 遂宁
    511302, 511303, 511304, 511321, 511322, 511323, 511324, 511325, 511381, // 南充
    511902, 511903, 511921, 511922, 511923, // 巴中
];

/// Hands out ID numbers; see the module comment for why they never repeat.
#[derive(Debug)]
pub struct IdAllocator {
    first_day: i32,
    days: usize,
    /// Next counter value, index `day · 2 + sex`.
    next: Vec<u16>,
    away_codes: Vec<u32>,
}

impl IdAllocator {
    /// Counters for birth days `first_day..=last_day`; `home_codes` are the 6-digit
    /// county codes of the deployment, never used for in-migrants.
    pub fn new(first_day: i32, last_day: i32, home_codes: &[u32]) -> IdAllocator {
        let days = usize::try_from(last_day - first_day + 1).unwrap_or(0);
        let away_codes: Vec<u32> = OTHER_SICHUAN
            .iter()
            .copied()
            .filter(|c| !home_codes.contains(c))
            .collect();
        IdAllocator {
            first_day,
            days,
            next: vec![0; days * 2],
            away_codes,
        }
    }

    /// Writes into `out` the next unused number for a person of home county `home6` born
    /// on `birth` (`birth_day` its day number); `born_elsewhere` asks for a code outside
    /// the district. `None` when the birth day is outside the calendar or its space is
    /// used up (`out` is then left as it was).
    pub fn assign(
        &mut self,
        out: &mut String,
        home6: u32,
        birth: Date,
        birth_day: i32,
        sex: Sex,
        born_elsewhere: bool,
    ) -> Option<()> {
        let day = usize::try_from(birth_day - self.first_day)
            .ok()
            .filter(|&d| d < self.days)?;
        let slot = self.next.get_mut(day * 2 + usize::from(sex == Sex::F))?;
        let c = u32::from(*slot);
        let code = if c < SEQ_PER_SEX && !born_elsewhere {
            home6
        } else {
            *self.away_codes.get((c / SEQ_PER_SEX) as usize)?
        };
        *slot = slot.checked_add(1)?;
        write_number(
            out,
            code,
            birth,
            perm(c % SEQ_PER_SEX, birth_day, code),
            sex,
        );
        Some(())
    }
}

/// Writes the number `idnumber::make(region6, birth, seq, sex)` into `out` (cleared
/// first), without allocating when `out` has room.
pub fn write_number(out: &mut String, region6: u32, birth: Date, seq: u32, sex: Sex) {
    let mut b = [b'0'; 18];
    let mut put = |from: usize, width: usize, mut v: u32| {
        for i in (from..from + width).rev() {
            b[i] = b'0' + (v % 10) as u8;
            v /= 10;
        }
    };
    put(0, 6, region6 % 1_000_000);
    put(6, 4, birth.year().rem_euclid(10_000) as u32);
    put(10, 2, birth.month());
    put(12, 2, birth.day());
    put(14, 3, (seq % SEQ_PER_SEX) * 2 + u32::from(sex == Sex::M));
    let check = idnumber::check_char(&b[..17]);
    out.clear();
    for &d in &b[..17] {
        out.push(char::from(d));
    }
    out.push(check);
}

/// A bijection of 0..500 that depends on the day and region (see the module comment).
fn perm(c: u32, birth_day: i32, region6: u32) -> u32 {
    let salt = (birth_day as u32).wrapping_mul(2_654_435_761) ^ region6.wrapping_mul(40_503);
    (c * 137 + salt % SEQ_PER_SEX) % SEQ_PER_SEX
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;
    use std::collections::HashSet;

    proptest! {
        #[test]
        fn write_number_is_make(region in 110000u32..660000, days in 0u64..80_000, seq in 0u32..500, male: bool) {
            let birth = Date::from_ymd_opt(1900, 1, 1).unwrap() + chrono::Days::new(days);
            let sex = if male { Sex::M } else { Sex::F };
            let mut s = String::from("previous content");
            write_number(&mut s, region, birth, seq, sex);
            prop_assert_eq!(s, idnumber::make(region, birth, seq, sex));
        }
    }

    #[test]
    fn perm_is_a_bijection() {
        for (day, region) in [(0, 510703), (738_000, 510781), (-5, 0)] {
            let seen: HashSet<u32> = (0..SEQ_PER_SEX).map(|c| perm(c, day, region)).collect();
            assert_eq!(seen.len(), 500);
            assert!(seen.iter().all(|&s| s < 500));
        }
    }

    #[test]
    fn one_birth_day_overflows_into_other_counties_without_duplicates() {
        let birth = Date::from_ymd_opt(1980, 5, 17).unwrap();
        let day = birth.num_days_from_ce();
        let mut ids = IdAllocator::new(day - 10, day + 10, &[510703, 510104]);
        assert!(
            !ids.away_codes.contains(&510104),
            "home codes are never used as away codes"
        );
        let mut seen = HashSet::new();
        for i in 0..3000 {
            let sex = if i % 2 == 0 { Sex::M } else { Sex::F };
            let home = if i % 3 == 0 { 510104 } else { 510703 };
            let mut id = String::new();
            ids.assign(&mut id, home, birth, day, sex, i % 7 == 0)
                .unwrap();
            let facts = idnumber::check(&id).unwrap();
            assert_eq!((facts.birth_date, facts.sex), (birth, sex));
            assert!(seen.insert(id.clone()), "duplicate {id} at {i}");
        }
        let home = seen
            .iter()
            .filter(|id| id.starts_with("510703") || id.starts_with("510104"))
            .count();
        assert!(
            (800..1000).contains(&home),
            "at most 500 per sex at home, the rest elsewhere: {home}"
        );
    }

    #[test]
    fn exhaustion_is_an_error_not_a_duplicate() {
        let birth = Date::from_ymd_opt(2000, 1, 1).unwrap();
        let day = birth.num_days_from_ce();
        let mut ids = IdAllocator::new(day, day, &[510703]);
        let capacity = 500 * OTHER_SICHUAN.len();
        for _ in 0..capacity {
            assert!(
                ids.assign(&mut String::new(), 510703, birth, day, Sex::M, false)
                    .is_some()
            );
        }
        assert_eq!(
            ids.assign(&mut String::new(), 510703, birth, day, Sex::M, false),
            None
        );
        assert_eq!(
            ids.assign(&mut String::new(), 510703, birth, day + 1, Sex::M, false),
            None,
            "outside the calendar"
        );
    }
}
