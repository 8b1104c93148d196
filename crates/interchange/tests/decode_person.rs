//! `decode::person_view` decodes a person's row as `decode::person` does — it accepts
//! exactly the rows `person` accepts, with the same problems, and reads the same values
//! — without making strings of its texts.

use minsheng_interchange::decode::{person, person_view};
use minsheng_interchange::source::{Header, RawRow, split_unquoted};
use minsheng_model::{Date, Sex, idnumber};
use proptest::prelude::*;

/// One row's cells: for each column a few spellings, the first of them valid and picked
/// most often (so that whole valid rows are common), the others valid or not.
fn cells() -> impl Strategy<Value = Vec<String>> {
    let pick = |v: &'static [&'static str]| {
        prop_oneof![4 => Just(v[0]), 1 => proptest::sample::select(v)].prop_map(str::to_owned)
    };
    let birth = (1930i32..2020, 1u32..13, 1u32..29)
        .prop_map(|(y, m, d)| Date::from_ymd_opt(y, m, d).unwrap());
    let how = prop_oneof![4 => Just(0u8), 1 => 0u8..4];
    let id_number = (birth.clone(), any::<bool>(), 0u32..500, how).prop_map(|(b, m, seq, how)| {
        let sex = if m { Sex::M } else { Sex::F };
        let n = idnumber::make(510722, b, seq, sex);
        let n = match how {
            0 => n,
            1 => n.to_lowercase(),
            2 => format!(" {n} "),
            _ => n[..17].to_owned(),
        };
        (n, b, sex)
    });
    (
        (
            pick(&["P1", " P2 ", "", "bad id!", "P_1-2"]),
            pick(&["H1", "", "H 1"]),
        ),
        id_number,
        pick(&["王艳春", "", " ", "　张三　", "Li Lei"]),
        (
            prop_oneof![4 => Just(0u8), 1 => 0u8..4],
            prop_oneof![4 => Just(0u8), 1 => 0u8..4],
        ),
        pick(&["head", "spouse", "boss", ""]),
        pick(&["", "0", "4", "5", "x"]),
        (
            pick(&["none", "", "bad"]),
            pick(&["full", "", "bad"]),
            pick(&["employed", "", "bad"]),
            pick(&["none", "", "bad"]),
        ),
        proptest::collection::vec(pick(&["0.00", "660.18", " 12.5 ", "-1", "abc", ""]), 4),
        (
            pick(&["true", "false", "是", "", "maybe"]),
            pick(&["false", "", "0"]),
        ),
        pick(&["", "2024-05-01", "1920-01-01", "bad"]),
    )
        .prop_map(
            |((pid, hid), (idn, b, sex), name, (s, d), rel, grade, codes, incomes, bools, dead)| {
                let sex = match s {
                    0 => sex.code().to_owned(),
                    1 => if sex == Sex::M { "F" } else { "M" }.to_owned(),
                    2 => "X".to_owned(),
                    _ => String::new(),
                };
                let birth = match d {
                    0 | 1 => b.format("%Y-%m-%d").to_string(),
                    2 => "2001-02-03".to_owned(),
                    _ => "2024-13-01".to_owned(),
                };
                let mut row = vec![pid, hid, idn, name, sex, birth, rel, grade];
                row.extend([codes.0, codes.1, codes.2]);
                row.extend(incomes);
                row.extend([codes.3, bools.0, bools.1, dead]);
                row
            },
        )
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(1000))]
    #[test]
    fn the_view_accepts_and_refuses_as_the_record_does(
        cells in cells(),
        extra_column in any::<bool>(),
    ) {
        let n = cells.len();
        let mut header = Header {
            index: (0..n).map(Some).collect(),
            width: n,
            ..Header::default()
        };
        let mut line = cells.join(",");
        if extra_column {
            header.unknown.push(("note".to_owned(), n));
            header.width += 1;
            line.push_str(",x");
        }
        let mut seen = 0;
        let done = split_unquoted(&line, |record| {
            seen += 1;
            let row = RawRow { line: 2, index: 0, record, header: &header };
            match (person(&row), person_view(&row)) {
                (Ok(p), Ok(v)) => {
                    prop_assert_eq!(p.extra.len(), usize::from(extra_column));
                    prop_assert!(v.extra.is_empty());
                    let mut v = v.into_owned();
                    v.id_number.make_ascii_uppercase();
                    v.extra.clone_from(&p.extra);
                    prop_assert_eq!(v, p);
                }
                (Err(a), Err(b)) => prop_assert_eq!(a, b),
                (p, v) => prop_assert!(false, "person {p:?} but view {v:?}"),
            }
            Ok(())
        });
        done.expect("no bare carriage return")?;
        prop_assert_eq!(seen, 1);
    }
}

#[test]
fn a_valid_row_is_read_whole() {
    let header = Header {
        index: (0..19).map(Some).collect(),
        width: 19,
        ..Header::default()
    };
    let line = "P00000002,H0000001,510722199406176768,王艳春,F,1994-06-17,spouse,0,none,full,\
                employed,5658.14,0.00,,0.00,none,true,false,";
    split_unquoted(line, |record| {
        let row = RawRow {
            line: 2,
            index: 0,
            record,
            header: &header,
        };
        let v = person_view(&row).unwrap();
        assert_eq!(
            (v.person_id, v.household_id, v.name),
            ("P00000002", "H0000001", "王艳春")
        );
        assert_eq!(v.birth_date, Date::from_ymd_opt(1994, 6, 17).unwrap());
        let incomes = [
            v.wage_income,
            v.business_income,
            v.property_income,
            v.transfer_income,
        ];
        assert_eq!(
            incomes.map(|f| f.map(|f| f.0)),
            [Some(565_814), Some(0), None, Some(0)]
        );
        assert_eq!((v.capable_supporter, v.orphan), (Some(true), Some(false)));
        Ok::<(), ()>(())
    })
    .unwrap()
    .unwrap();
}
