//! Strict ISO 8601 calendar dates (`2024-03-01`), the only date form of interchange-v1.

use chrono::Datelike;
pub use chrono::NaiveDate as Date;

/// Parses exactly `YYYY-MM-DD` (four-digit year, two-digit month and day) into a date
/// that exists in the calendar. Returns `None` for anything else.
#[inline]
pub fn parse_iso(text: &str) -> Option<Date> {
    let b = text.trim().as_bytes();
    if b.len() != 10 || b[4] != b'-' || b[7] != b'-' {
        return None;
    }
    let num = |s: &[u8]| -> Option<u32> {
        s.iter().try_fold(0u32, |acc, c| {
            c.is_ascii_digit().then(|| acc * 10 + u32::from(c - b'0'))
        })
    };
    let y = num(&b[0..4])?;
    let m = num(&b[5..7])?;
    let d = num(&b[8..10])?;
    Date::from_ymd_opt(i32::try_from(y).ok()?, m, d)
}

/// Full years of age on `on` for someone born on `birth` (0 before the first birthday).
#[inline]
pub fn age_on(birth: Date, on: Date) -> i32 {
    let mut age = on.year() - birth.year();
    if (on.month(), on.day()) < (birth.month(), birth.day()) {
        age -= 1;
    }
    age
}

/// Writes a date the interchange way (`2024-03-01`).
pub fn to_iso(d: Date) -> String {
    d.format("%Y-%m-%d").to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_only_strict_iso() {
        assert_eq!(parse_iso("2024-03-01"), Date::from_ymd_opt(2024, 3, 1));
        assert_eq!(parse_iso("2024-02-29"), Date::from_ymd_opt(2024, 2, 29));
        assert_eq!(parse_iso("2023-02-29"), None);
        assert_eq!(parse_iso("2024/03/01"), None);
        assert_eq!(parse_iso("2024-3-1"), None);
        assert_eq!(parse_iso("20240301"), None);
        assert_eq!(parse_iso(""), None);
    }

    #[test]
    fn age_counts_full_years() {
        let b = Date::from_ymd_opt(2000, 6, 15).unwrap();
        assert_eq!(age_on(b, Date::from_ymd_opt(2024, 6, 14).unwrap()), 23);
        assert_eq!(age_on(b, Date::from_ymd_opt(2024, 6, 15).unwrap()), 24);
    }
}
