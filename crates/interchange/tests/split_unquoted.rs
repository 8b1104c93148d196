//! `split_unquoted` reads quote-free text exactly as the CSV reader of the exact road
//! does: the same records, the same fields, the same empty lines skipped.

use minsheng_interchange::source::{Record, split_unquoted};
use proptest::prelude::*;

/// Every record of `text` as fields, through `split_unquoted`.
fn split(text: &str) -> Option<Vec<Vec<String>>> {
    let mut out = Vec::new();
    let done = split_unquoted(text, |r: Record<'_>| {
        out.push((0..r.len()).map(|i| r.get(i).unwrap().to_owned()).collect());
        Ok::<(), ()>(())
    })?;
    assert_eq!(done, Ok(()));
    Some(out)
}

/// Every record of `text` as fields, through the csv crate set up as the bulk road was.
fn csv_reader(text: &str) -> Vec<Vec<String>> {
    let mut rdr = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .from_reader(text.as_bytes());
    rdr.byte_records()
        .map(|r| {
            let r = r.unwrap();
            r.iter()
                .map(|f| String::from_utf8(f.to_vec()).unwrap())
                .collect()
        })
        .collect()
}

#[test]
fn fields_lines_and_blank_lines() {
    let text = "H1,510703,,800.00\r\n\nH2,5107,x\n,,\n张三,李四\nlast";
    let expected: Vec<Vec<&str>> = vec![
        vec!["H1", "510703", "", "800.00"],
        vec!["H2", "5107", "x"],
        vec!["", "", ""],
        vec!["张三", "李四"],
        vec!["last"],
    ];
    assert_eq!(split(text).unwrap(), expected);
    assert_eq!(csv_reader(text), expected);
}

#[test]
fn a_bare_carriage_return_is_refused_before_any_record() {
    let mut seen = 0;
    let r = split_unquoted("a,b\nc\rd\n", |_| {
        seen += 1;
        Ok::<(), ()>(())
    });
    assert_eq!(r, None);
    assert_eq!(seen, 0);
    assert_eq!(split("a\r"), None);
}

#[test]
fn the_first_error_stops_the_split() {
    let mut seen = Vec::new();
    let r = split_unquoted("a\nb\nc\n", |rec| {
        seen.push(rec.get(0).unwrap().to_owned());
        if seen.len() == 2 { Err("stop") } else { Ok(()) }
    });
    assert_eq!(r, Some(Err("stop")));
    assert_eq!(seen, ["a", "b"]);
}

#[test]
fn missing_fields_are_none() {
    let r = split_unquoted("a,b", |rec| {
        assert_eq!((rec.get(1), rec.get(2)), (Some("b"), None));
        Ok::<(), ()>(())
    });
    assert_eq!(r, Some(Ok(())));
}

proptest! {
    #[test]
    fn same_records_as_the_csv_reader(
        lines in proptest::collection::vec(
            ("[a-z0-9 ,.\u{4e00}-\u{4e09}-]{0,40}", prop_oneof!["\n", "\r\n"]),
            0..12,
        ),
        last_ended in any::<bool>(),
    ) {
        let mut text: String = lines.iter().map(|(l, e)| format!("{l}{e}")).collect();
        if !last_ended && text.ends_with('\n') {
            text.truncate(text.trim_end_matches(['\r', '\n']).len());
        }
        prop_assert_eq!(split(&text).unwrap(), csv_reader(&text));
    }
}

proptest! {
    /// `commas` finds every comma and nothing else, whatever the bytes around it (the
    /// bytes one above and below a comma, zero, the high bit set) and the line's length.
    #[test]
    fn commas_are_found_eight_bytes_at_a_time_as_one_by_one(
        line in proptest::collection::vec(
            prop_oneof![Just(b','), Just(b'+'), Just(b'-'), Just(0u8), Just(0xacu8), Just(0x80u8), any::<u8>()],
            0..70,
        )
    ) {
        let mut ends = vec![99];
        minsheng_interchange::source::commas(&line, &mut ends);
        let want: Vec<usize> = (0..line.len())
            .filter(|&i| line[i] == b',')
            .chain([line.len()])
            .collect();
        prop_assert_eq!(ends, want);
    }
}
