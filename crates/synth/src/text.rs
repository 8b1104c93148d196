//! Integer → text without `core::fmt`: ids and addresses are written for every record,
//! and the formatting machinery was a visible share of generation time.

/// Appends `n` in decimal, left-padded with zeros to at least `width` digits.
pub fn push_padded(s: &mut String, n: u64, width: usize) {
    // u64 has at most 20 digits; wider padding is written as leading zeros first.
    let mut buf = [b'0'; 20];
    let mut i = buf.len();
    let mut v = n;
    loop {
        i -= 1;
        buf[i] = b'0' + (v % 10) as u8;
        v /= 10;
        if v == 0 {
            break;
        }
    }
    for _ in buf.len()..width {
        s.push('0');
    }
    let start = i.min(buf.len().saturating_sub(width));
    // Only ASCII digits were written, so this is always valid UTF-8.
    if let Ok(digits) = std::str::from_utf8(&buf[start..]) {
        s.push_str(digits);
    }
}

/// Appends `n` in decimal.
pub fn push_num(s: &mut String, n: u64) {
    push_padded(s, n, 1);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pads_like_format() {
        for (n, w) in [
            (0u64, 1usize),
            (7, 8),
            (12_345_678, 8),
            (123_456_789, 8),
            (u64::MAX, 3),
            (42, 0),
        ] {
            let mut s = String::new();
            push_padded(&mut s, n, w);
            assert_eq!(s, format!("{n:0w$}"));
        }
    }
}
