//! 公民身份号码 — the 18-character citizen ID number of GB 11643-1999.
//!
//! Layout: 6 digits of the issuing region, 8 digits of birth date (YYYYMMDD), a 3-digit
//! sequence whose last digit is odd for men and even for women, and a check character
//! computed with ISO 7064 MOD 11-2 (`0`–`9` or `X`).

use crate::date::Date;
use crate::enums::Sex;

/// Weights of the first 17 digits (2^(17-i) mod 11).
const WEIGHTS: [u32; 17] = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
/// Check character for each remainder 0..=10.
const CHECK: [u8; 11] = *b"10X98765432";

/// Why an ID number is not a valid 18-character GB 11643 number.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum IdNumberError {
    /// Not 18 characters (`len` given); 15 is the pre-1999 form.
    Length { len: usize },
    /// A character other than digits (and `X` last).
    Characters,
    /// Characters 7–14 are not a real date.
    BirthDate,
    /// The check character does not match: `expected` is what MOD 11-2 gives.
    CheckDigit { expected: char, found: char },
}

/// What a valid ID number says about its holder.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct IdFacts {
    pub birth_date: Date,
    pub sex: Sex,
}

/// The ISO 7064 MOD 11-2 check character for 17 ASCII digits.
pub fn check_char(first17: &[u8]) -> char {
    debug_assert_eq!(first17.len(), 17);
    let sum: u32 = first17
        .iter()
        .zip(WEIGHTS)
        .map(|(d, w)| u32::from(d - b'0') * w)
        .sum();
    char::from(CHECK[(sum % 11) as usize])
}

/// Checks an ID number (a lowercase final `x` is accepted as `X`) and returns the birth
/// date and sex it encodes.
pub fn check(id: &str) -> Result<IdFacts, IdNumberError> {
    let b = id.as_bytes();
    // Eighteen ASCII bytes are eighteen characters: count them only otherwise.
    if b.len() != 18 || !b.is_ascii() {
        let len = id.chars().count();
        if len != 18 {
            return Err(IdNumberError::Length { len });
        }
    }
    if b.len() != 18 || !b[..17].iter().all(u8::is_ascii_digit) {
        return Err(IdNumberError::Characters);
    }
    let last = b[17].to_ascii_uppercase();
    if !(last.is_ascii_digit() || last == b'X') {
        return Err(IdNumberError::Characters);
    }
    let digits =
        |r: std::ops::Range<usize>| b[r].iter().fold(0u32, |a, c| a * 10 + u32::from(c - b'0'));
    let birth_date = i32::try_from(digits(6..10))
        .ok()
        .and_then(|y| Date::from_ymd_opt(y, digits(10..12), digits(12..14)))
        .ok_or(IdNumberError::BirthDate)?;
    let expected = check_char(&b[..17]);
    if char::from(last) != expected {
        return Err(IdNumberError::CheckDigit {
            expected,
            found: char::from(b[17]),
        });
    }
    let sex = if (b[16] - b'0') % 2 == 1 {
        Sex::M
    } else {
        Sex::F
    };
    Ok(IdFacts { birth_date, sex })
}

/// Builds a valid ID number from a 6-digit region, a birth date and a sequence number
/// (0..=499; its parity is set from `sex`). Used by the synthetic district and tests.
pub fn make(region6: u32, birth: Date, seq: u32, sex: Sex) -> String {
    use chrono::Datelike;
    let mut s3 = (seq % 500) * 2;
    if sex == Sex::M {
        s3 += 1;
    }
    let body = format!(
        "{:06}{:04}{:02}{:02}{:03}",
        region6 % 1_000_000,
        birth.year(),
        birth.month(),
        birth.day(),
        s3
    );
    let c = check_char(body.as_bytes());
    format!("{body}{c}")
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn accepts_the_standard_example() {
        // The worked example of GB 11643-1999.
        let f = check("11010519491231002X").unwrap();
        assert_eq!(f.birth_date, Date::from_ymd_opt(1949, 12, 31).unwrap());
        assert_eq!(f.sex, Sex::F);
        assert_eq!(check("11010519491231002x").unwrap().sex, Sex::F);
    }

    #[test]
    fn refuses_wrong_check_digit() {
        assert_eq!(
            check("110105194912310021"),
            Err(IdNumberError::CheckDigit {
                expected: 'X',
                found: '1'
            })
        );
    }

    #[test]
    fn refuses_bad_shapes() {
        assert_eq!(
            check("110105491231002"),
            Err(IdNumberError::Length { len: 15 })
        );
        // Eighteen bytes, sixteen characters.
        assert_eq!(
            check("１101051949123100"),
            Err(IdNumberError::Length { len: 16 })
        );
        assert_eq!(check("1101051949123100AX"), Err(IdNumberError::Characters));
        assert_eq!(
            check("１１０１０５１９４９１２３１００２X"),
            Err(IdNumberError::Characters)
        );
        assert_eq!(check("110105194913310021"), Err(IdNumberError::BirthDate));
    }

    proptest! {
        #[test]
        fn made_numbers_check_and_round_trip(region in 110000u32..659999, days in 0i64..45000, seq in 0u32..500, male: bool) {
            let birth = Date::from_ymd_opt(1900, 1, 1).unwrap() + chrono::Days::new(days as u64);
            let sex = if male { Sex::M } else { Sex::F };
            let id = make(region, birth, seq, sex);
            prop_assert_eq!(check(&id), Ok(IdFacts { birth_date: birth, sex }));
        }

        #[test]
        fn any_single_digit_change_is_caught(days in 0i64..40000, seq in 0u32..500, pos in 0usize..17, delta in 1u8..10) {
            let birth = Date::from_ymd_opt(1930, 1, 1).unwrap() + chrono::Days::new(days as u64);
            let mut id = make(510703, birth, seq, Sex::M).into_bytes();
            id[pos] = b'0' + (id[pos] - b'0' + delta) % 10;
            let id = String::from_utf8(id).unwrap();
            prop_assert!(check(&id).is_err());
        }
    }
}
