//! The decoders' views (`decode::person_view`, `household_view`, `stay_view`) decode a
//! row as the record decoders do — they accept exactly the rows the record decoders
//! accept, with the same problems, and read the same values — without making strings of
//! its texts.

use minsheng_interchange::decode::{
    household, household_view, person, person_view, stay, stay_view,
};
use minsheng_interchange::source::{Header, RawRow, split_unquoted};
use minsheng_model::{Date, Sex, idnumber};
use proptest::prelude::*;

/// A header naming `n` columns in the table's order.
fn header(n: usize) -> Header {
    Header {
        index: (0..n).map(Some).collect(),
        width: n,
        ..Header::default()
    }
}

/// Calls `f` with the one row of `line` under `header`.
fn with_row<E>(
    line: &str,
    header: &Header,
    mut f: impl FnMut(&RawRow<'_>) -> Result<(), E>,
) -> Result<(), E> {
    let mut seen = 0;
    let done = split_unquoted(line, |record| {
        seen += 1;
        f(&RawRow {
            line: 2,
            index: 0,
            record,
            header,
        })
    });
    assert_eq!(seen, 1, "one row in {line:?}");
    done.expect("no bare carriage return")
}

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
        let mut header = header(n);
        let mut line = cells.join(",");
        if extra_column {
            header.unknown.push(("note".to_owned(), n));
            header.width += 1;
            line.push_str(",x");
        }
        with_row(&line, &header, |row| {
            match (person(row), person_view(row)) {
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
        })?;
    }
}

#[test]
fn a_valid_row_is_read_whole() {
    let line = "P00000002,H0000001,510722199406176768,王艳春,F,1994-06-17,spouse,0,none,full,\
                employed,5658.14,0.00,,0.00,none,true,false,";
    with_row(line, &header(19), |row| {
        let v = person_view(row).unwrap();
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
    .unwrap();
}

#[test]
fn household_and_stay_views_agree_with_their_records() {
    let regions = minsheng_interchange::regions::default_table();
    let households = [
        "H1,510722107225,rural,560935.21,1,1,石安镇小桥村3组34号",
        " H2 ,510781006004,urban,,0,,",
        "H3,510722107225,castle,1.00,1,1,x",
        "H 4,5107,rural,1.00,1000,1,",
        ",510722107225,,,,,",
    ];
    let stays = [
        "S1,P1,2023-10-15,2023-11-01,3,false,41401.37,29891.78",
        "S2,P1,2023-10-15,2023-10-14,1,true,10.00,20.00",
        "S3,,2023-10-15,bad,9,maybe,x,",
    ];
    let mut accepted = [0, 0];
    for (rows, n, k) in [(&households[..], 7, 0), (&stays[..], 8, 1)] {
        let header = header(n);
        for line in rows {
            with_row(line, &header, |row| {
                let (agree, ok) = if k == 0 {
                    match (household(row, &regions), household_view(row, &regions)) {
                        (Ok(h), Ok(v)) => (h == v.into_owned(), true),
                        (Err(a), Err(b)) => (a == b, false),
                        _ => (false, false),
                    }
                } else {
                    match (stay(row), stay_view(row)) {
                        (Ok(s), Ok(v)) => (s == v.into_owned(), true),
                        (Err(a), Err(b)) => (a == b, false),
                        _ => (false, false),
                    }
                };
                assert!(agree, "{line}");
                accepted[k] += usize::from(ok);
                Ok::<(), ()>(())
            })
            .unwrap();
        }
    }
    assert_eq!(accepted, [2, 1], "valid rows among the examples");
}
