//! The dates a synthetic district is built around: "today" (the reference date), its
//! month, the windows stays / events / deaths fall into, and birth dates for exact ages.
//!
//! Dates are handled as day numbers (`num_days_from_ce`) inside the generator: adding and
//! comparing integers is cheaper than calendar arithmetic, and the table of birthday
//! anniversaries below makes "born so as to be exactly `a` years old today" one lookup.

use chrono::{Datelike, Months, NaiveDate};

use crate::dist::{self, Rng};

/// Oldest age generated. Mianyang's life expectancy is 80.3 years (十四五 public-services
/// plan, baseline 2020); a handful of centenarians is realistic, older is not.
pub const MAX_AGE: u8 = 105;

/// How far back hospital stays reach: the 18 calendar months ending with the reference
/// month (so the whole previous year is present for the medical chain's annual totals).
const STAY_MONTHS: u32 = 18;

/// How far back events and deaths reach: about half a year before the end of the month.
pub const RECENT_DAYS: i32 = 182;

/// The reference dates of one run.
#[derive(Clone, Debug)]
pub struct Calendar {
    /// "Today": ages are full years on this date; enrollments start on or before it.
    pub today: NaiveDate,
    pub today_day: i32,
    /// First and last day of the reference month. The registry is "as of the end of the
    /// month": stays, events and deaths may fall anywhere up to `month_end_day`.
    pub month_start_day: i32,
    pub month_end_day: i32,
    /// First day of the 18-month stay window.
    pub stay_window_start_day: i32,
    /// `anniversaries[a]` = the day `a` years before today (29 Feb falls back to 28 Feb).
    anniversaries: Vec<i32>,
}

impl Calendar {
    /// `None` when `today` is too close to the ends of the calendar for 105-year-old
    /// birth dates and 18-month windows (years 1900–9000 are accepted).
    pub fn new(today: NaiveDate) -> Option<Calendar> {
        if !(1900 + i32::from(MAX_AGE)..=9000).contains(&today.year()) {
            return None;
        }
        let month_start = today.with_day(1)?;
        let month_end = month_start.checked_add_months(Months::new(1))?.pred_opt()?;
        let window_start = month_start.checked_sub_months(Months::new(STAY_MONTHS - 1))?;
        let anniversaries = (0..=u32::from(MAX_AGE) + 1)
            .map(|a| {
                today
                    .checked_sub_months(Months::new(12 * a))
                    .map(|d| d.num_days_from_ce())
            })
            .collect::<Option<Vec<i32>>>()?;
        Some(Calendar {
            today,
            today_day: today.num_days_from_ce(),
            month_start_day: month_start.num_days_from_ce(),
            month_end_day: month_end.num_days_from_ce(),
            stay_window_start_day: window_start.num_days_from_ce(),
            anniversaries,
        })
    }

    /// The earliest birth day any person can have (age `MAX_AGE` today).
    pub fn earliest_birth_day(&self) -> i32 {
        self.anniversaries[usize::from(MAX_AGE) + 1] + 1
    }

    /// A birth day such that the person is exactly `age` full years old today: uniform
    /// over (today − (age+1) years, today − age years].
    pub fn birth_day(&self, rng: &mut Rng, age: u8) -> i32 {
        let a = usize::from(age.min(MAX_AGE));
        let (lo, hi) = (self.anniversaries[a + 1] + 1, self.anniversaries[a]);
        dist::between(rng, lo, hi)
    }

    /// The day `years` full years after `day` (used for "the 80th birthday").
    pub fn years_after(&self, day: i32, years: u32) -> i32 {
        self.date(day)
            .checked_add_months(Months::new(12 * years))
            .map_or(day, |d| d.num_days_from_ce())
    }

    /// The date of a day number. Every day number the generator makes lies between the
    /// earliest birth day and a year after today, all valid dates (checked in `new`), so
    /// the fallback is unreachable; it exists so that no input can make this panic.
    pub fn date(&self, day: i32) -> NaiveDate {
        NaiveDate::from_num_days_from_ce_opt(day).unwrap_or(self.today)
    }

    /// First day of the month containing `day`.
    pub fn month_start_of(&self, day: i32) -> i32 {
        let d = self.date(day);
        day - (d.day() as i32 - 1)
    }

    /// Last day of the month containing `day`.
    pub fn month_end_of(&self, day: i32) -> i32 {
        let start = self.date(self.month_start_of(day));
        start
            .checked_add_months(Months::new(1))
            .and_then(|d| d.pred_opt())
            .map_or(day, |d| d.num_days_from_ce())
    }

    /// A day in the recent past, up to the end of the reference month (events, deaths).
    pub fn recent_day(&self, rng: &mut Rng) -> i32 {
        dist::between(rng, self.month_end_day - RECENT_DAYS, self.month_end_day)
    }

    /// The first day of a month between `years_back` years before today and today
    /// (enrollment start dates), not before `not_before` (a birth, an 80th birthday).
    pub fn past_month_start(&self, rng: &mut Rng, years_back: i32, not_before: i32) -> i32 {
        let lo = (self.today_day - 365 * years_back)
            .max(not_before)
            .min(self.today_day);
        let day = dist::between(rng, lo, self.today_day);
        let start = self.month_start_of(day);
        if start >= not_before {
            return start;
        }
        // The month began before `not_before`: start with the next month, or on the day
        // itself when that next month has not begun yet.
        let next = self.month_end_of(day) + 1;
        if next <= self.today_day {
            next
        } else {
            not_before.min(self.today_day)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use minsheng_model::date::age_on;
    use rand::SeedableRng;

    #[test]
    fn birth_days_give_exact_ages_even_on_29_february() {
        let mut rng = Rng::seed_from_u64(3);
        for today in [
            NaiveDate::from_ymd_opt(2024, 6, 1),
            NaiveDate::from_ymd_opt(2024, 2, 29),
        ] {
            let today = today.unwrap();
            let cal = Calendar::new(today).unwrap();
            for age in 0..=MAX_AGE {
                for _ in 0..50 {
                    let b = cal.date(cal.birth_day(&mut rng, age));
                    assert_eq!(age_on(b, today), i32::from(age), "{b} on {today}");
                }
            }
        }
    }

    #[test]
    fn windows_follow_the_reference_month() {
        let cal = Calendar::new(NaiveDate::from_ymd_opt(2024, 6, 1).unwrap()).unwrap();
        assert_eq!(cal.date(cal.month_end_day).to_string(), "2024-06-30");
        assert_eq!(
            cal.date(cal.stay_window_start_day).to_string(),
            "2023-01-01"
        );
        assert_eq!(
            cal.date(cal.month_end_of(cal.today_day - 10)).to_string(),
            "2024-05-31"
        );
        assert!(Calendar::new(NaiveDate::from_ymd_opt(1950, 1, 1).unwrap()).is_none());
    }
}
