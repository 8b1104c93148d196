//! Dates and region codes as text on the stack: the write path formats one or two of
//! each per row, and going through a formatter would allocate every time.

use minsheng_model::{Date, RegionCode};

/// A date as `YYYY-MM-DD` in a stack buffer: the write path formats one or two dates per
/// row, and going through `chrono`'s formatter would allocate each time.
pub(crate) struct IsoDate {
    buf: [u8; 10],
}

impl IsoDate {
    /// `None` for years outside 0..=9999, which `YYYY-MM-DD` cannot write.
    pub fn new(d: Date) -> Option<IsoDate> {
        use chrono::Datelike;
        let y = u32::try_from(d.year()).ok().filter(|y| *y <= 9999)?;
        let (m, day) = (d.month(), d.day());
        let digit = |n: u32| b'0' + (n % 10) as u8;
        Some(IsoDate {
            buf: [
                digit(y / 1000),
                digit(y / 100),
                digit(y / 10),
                digit(y),
                b'-',
                digit(m / 10),
                digit(m),
                b'-',
                digit(day / 10),
                digit(day),
            ],
        })
    }

    pub fn as_str(&self) -> &str {
        // Only ASCII digits and '-' are ever written.
        std::str::from_utf8(&self.buf).unwrap_or("")
    }
}

/// A date as text: fast for the four-digit years every real record has, and chrono's own
/// (signed, longer) form otherwise so that nothing is silently changed.
pub(crate) fn with_iso_date<T>(d: Date, f: impl FnOnce(&str) -> T) -> T {
    match IsoDate::new(d) {
        Some(iso) => f(iso.as_str()),
        None => f(&d.format("%Y-%m-%d").to_string()),
    }
}

/// A region code's 12 digits in a stack buffer.
pub(crate) struct RegionDigits {
    buf: [u8; 12],
}

impl RegionDigits {
    pub fn as_str(&self) -> &str {
        std::str::from_utf8(&self.buf).unwrap_or("")
    }
}

pub(crate) fn region_digits(code: RegionCode) -> RegionDigits {
    let mut v = code.value();
    let mut buf = [b'0'; 12];
    for b in buf.iter_mut().rev() {
        *b = b'0' + (v % 10) as u8;
        v /= 10;
    }
    RegionDigits { buf }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn iso_dates_are_written_like_the_interchange() {
        let d = Date::from_ymd_opt(2024, 3, 1).unwrap();
        assert_eq!(IsoDate::new(d).unwrap().as_str(), "2024-03-01");
        let d = Date::from_ymd_opt(987, 12, 31).unwrap();
        assert_eq!(IsoDate::new(d).unwrap().as_str(), "0987-12-31");
        assert!(IsoDate::new(Date::from_ymd_opt(12_000, 1, 1).unwrap()).is_none());
    }

    #[test]
    fn region_codes_keep_twelve_digits() {
        let c = RegionCode::parse("510703001001").unwrap();
        assert_eq!(region_digits(c).as_str(), "510703001001");
    }
}
