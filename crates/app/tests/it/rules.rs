//! Every validation rule of interchange-v1, each with a failing example (the exact file,
//! line, column and reason code reported) and, through the base batch and the
//! `accepted_*` cases, passing ones.

use crate::support::*;
use minsheng_model::{Fen, RecordSink, Registry, Sex};

/// households: H1 (line 2), H2 (3); persons: P1 head of H1 (2), P2 head of H2 (3),
/// P3 child in H1 (4); one stay, event and enrollment of H1/P1.
fn base() -> Batch {
    Batch::new()
        .family("H1", "P1", 1)
        .family("H2", "P2", 2)
        .add("persons", person("P3", "H1", "child", 3))
        .add("hospital_stays", stay("S1", "P1"))
        .add("events", event("E1", "H1", "P1"))
        .add("enrollments", enrollment("H1", "", "dibao"))
}

/// Replaces row `index` of `table` in the base batch with overrides.
fn mutate(table: &'static str, index: usize, overrides: &[(&str, &str)]) -> Batch {
    let mut b = base();
    let rows = b.tables.get_mut(table).unwrap();
    rows[index] = with(rows[index].clone(), overrides);
    b
}

fn refusals_of(b: &Batch) -> Vec<(String, u64, String, &'static str)> {
    let dir = tempfile::tempdir().unwrap();
    let mut store = sqlite(dir.path());
    let out = run_import(store.as_mut(), &b.write(&dir.path().join("in")), false);
    assert_eq!(
        out.summary.committed,
        out.rejected.is_empty(),
        "all-or-nothing commits only a clean batch"
    );
    out.refusals()
}

fn r(
    file: &str,
    line: u64,
    column: &str,
    code: &'static str,
) -> (String, u64, String, &'static str) {
    (file.to_owned(), line, column.to_owned(), code)
}

#[test]
fn the_base_batch_is_accepted_whole() {
    assert_eq!(refusals_of(&base()), vec![]);
}

#[test]
fn id_number_rules() {
    let good = id_number("1980-05-17", Sex::M, 3);
    let mut wrong_check = good.clone();
    let last = wrong_check.pop().unwrap();
    wrong_check.push(if last == '0' { '1' } else { '0' });
    let cases: Vec<(String, &str)> = vec![
        (wrong_check, "id_number_check_digit"),
        ("510703800517003".into(), "id_number_length"),
        (format!("{}A", &good[..17]), "id_number_characters"),
        ("51070319801317003X".into(), "id_number_birth_date"),
        (String::new(), "missing_value"),
    ];
    for (value, code) in cases {
        let got = refusals_of(&mutate("persons", 2, &[("id_number", &value)]));
        assert_eq!(
            got,
            vec![r("persons.csv", 4, "id_number", code)],
            "id_number {value:?}"
        );
    }
    // A lower-case final x is the same number.
    let x_id = {
        let mut seq = 0;
        loop {
            let id = id_number("1980-05-17", Sex::M, seq);
            if id.ends_with('X') {
                break id;
            }
            seq += 1;
        }
    };
    let lower = x_id.to_lowercase();
    assert_eq!(
        refusals_of(&mutate("persons", 2, &[("id_number", &lower)])),
        vec![]
    );
}

#[test]
fn id_number_must_agree_with_birth_date_and_sex() {
    let got = refusals_of(&mutate("persons", 2, &[("birth_date", "1980-05-18")]));
    assert_eq!(
        got,
        vec![r("persons.csv", 4, "birth_date", "birth_date_mismatch")]
    );
    let got = refusals_of(&mutate("persons", 2, &[("sex", "F")]));
    assert_eq!(got, vec![r("persons.csv", 4, "sex", "sex_mismatch")]);
    let id_f = id_number("1980-05-17", Sex::F, 3);
    assert_eq!(
        refusals_of(&mutate("persons", 2, &[("sex", "F"), ("id_number", &id_f)])),
        vec![]
    );
}

#[test]
fn region_code_rules() {
    let cases = [
        ("51070300100", "region_code_shape"),
        ("51070300100a", "region_code_shape"),
        ("510703999999", "region_code_unknown"),
        ("510703001000", "region_code_not_village"),
        ("510703000000", "region_code_not_village"),
    ];
    for (value, code) in cases {
        let got = refusals_of(&mutate("households", 1, &[("region_code", value)]));
        // H2's own row is refused, and its head with it.
        assert_eq!(
            got,
            vec![
                r("households.csv", 3, "region_code", code),
                r("persons.csv", 3, "household_id", "depends_on_rejected")
            ],
            "region_code {value}"
        );
    }
    // A rural village of 三台县 is as good as an urban community of 涪城区.
    assert_eq!(
        refusals_of(&mutate("households", 1, &[("region_code", "510722101201")])),
        vec![]
    );
}

#[test]
fn vocabulary_rules() {
    let cases: [(&'static str, usize, &str, &str); 9] = [
        ("households", 0, "area", "city"),
        ("persons", 2, "relation", "户主"),
        ("persons", 2, "sex", "男"),
        ("persons", 2, "disability_kind", "blind"),
        ("persons", 2, "self_care", "yes"),
        ("persons", 2, "employment", "working"),
        ("persons", 2, "illness", "cancer"),
        ("hospital_stays", 0, "hospital_level", "4"),
        ("events", 0, "kind", "birth"),
    ];
    for (table, i, column, value) in cases {
        let got = refusals_of(&mutate(table, i, &[(column, value)]));
        let line = i as u64 + 2;
        let file = format!("{table}.csv");
        let mut want = vec![r(&file, line, column, "bad_code")];
        if table == "households" {
            // Refusing H1 takes its persons (and their dependants) with it.
            want = vec![
                r("enrollments.csv", 2, "household_id", "depends_on_rejected"),
                r("events.csv", 2, "household_id", "depends_on_rejected"),
                r("hospital_stays.csv", 2, "person_id", "depends_on_rejected"),
                r("households.csv", 2, "area", "bad_code"),
                r("persons.csv", 2, "household_id", "depends_on_rejected"),
                r("persons.csv", 4, "household_id", "depends_on_rejected"),
            ];
        }
        assert_eq!(got, want, "{table}.{column} = {value}");
    }
}

#[test]
fn money_rules() {
    let cases = [
        ("-5", "money_negative"),
        ("1.234", "money_decimals"),
        ("12,34", "money_grouping"),
        ("1234,50", "money_grouping"),
        ("100元", "money_not_a_number"),
        ("¥100", "money_not_a_number"),
        ("1e3", "money_not_a_number"),
    ];
    for (value, code) in cases {
        let got = refusals_of(&mutate("persons", 2, &[("wage_income", value)]));
        assert_eq!(
            got,
            vec![r("persons.csv", 4, "wage_income", code)],
            "wage_income {value:?}"
        );
    }
    let got = refusals_of(&mutate("hospital_stays", 0, &[("total_cost", "-1")]));
    assert_eq!(
        got,
        vec![r("hospital_stays.csv", 2, "total_cost", "money_negative")]
    );
}

#[test]
fn accepted_money_is_normalised_and_exact() {
    let b = mutate(
        "persons",
        2,
        &[
            ("wage_income", "1,234.5"),
            ("business_income", "１２３４．５６"),
            ("property_income", ""),
        ],
    );
    let dir = tempfile::tempdir().unwrap();
    let mut store = sqlite(dir.path());
    let out = run_import(store.as_mut(), &b.write(&dir.path().join("in")), false);
    assert!(out.rejected.is_empty());
    let mut reg = Registry::default();
    store.export(&mut reg as &mut dyn RecordSink).unwrap();
    let p3 = reg.persons.iter().find(|p| p.person_id == "P3").unwrap();
    assert_eq!(p3.wage_income, Some(Fen(123_450)));
    assert_eq!(p3.business_income, Some(Fen(123_456)));
    // Empty is unknown, not zero.
    assert_eq!(p3.property_income, None);
}

#[test]
fn scalar_rules() {
    let cases: [(&'static str, usize, &str, &str, &'static str); 10] = [
        ("persons", 2, "birth_date", "1980/05/17", "bad_date"),
        ("persons", 2, "capable_supporter", "yes", "bad_bool"),
        (
            "persons",
            2,
            "disability_grade",
            "5",
            "integer_out_of_range",
        ),
        ("persons", 2, "name", " ", "missing_value"),
        ("persons", 2, "deceased_on", "1970-01-01", "date_order"),
        (
            "hospital_stays",
            0,
            "covered_cost",
            "50000.01",
            "covered_above_total",
        ),
        (
            "hospital_stays",
            0,
            "discharge_date",
            "2024-02-28",
            "date_order",
        ),
        ("hospital_stays", 0, "in_district", "maybe", "bad_bool"),
        ("enrollments", 0, "until", "2022-12-31", "date_order"),
        ("events", 0, "date", "2024-02-30", "bad_date"),
    ];
    for (table, i, column, value, code) in cases {
        let got = refusals_of(&mutate(table, i, &[(column, value)]));
        assert_eq!(
            got,
            vec![r(&format!("{table}.csv"), i as u64 + 2, column, code)],
            "{table}.{column} = {value:?}"
        );
    }
    // The boundaries themselves are fine.
    for (table, i, column, value) in [
        ("hospital_stays", 0, "covered_cost", "50000.00"),
        ("hospital_stays", 0, "discharge_date", "2024-03-01"),
        ("enrollments", 0, "until", "2023-01-01"),
        ("persons", 2, "disability_grade", "4"),
        ("persons", 2, "capable_supporter", "否"),
    ] {
        assert_eq!(
            refusals_of(&mutate(table, i, &[(column, value)])),
            vec![],
            "{table}.{column} = {value:?}"
        );
    }
}

#[test]
fn id_rules() {
    let got = refusals_of(&mutate("events", 0, &[("event_id", "E 1")]));
    assert_eq!(got, vec![r("events.csv", 2, "event_id", "bad_id")]);
    let long = "E".repeat(65);
    let got = refusals_of(&mutate("events", 0, &[("event_id", &long)]));
    assert_eq!(got, vec![r("events.csv", 2, "event_id", "bad_id")]);
    assert_eq!(
        refusals_of(&mutate("events", 0, &[("event_id", &"E".repeat(64))])),
        vec![]
    );
}

#[test]
fn references_must_resolve() {
    let got = refusals_of(&mutate("persons", 2, &[("household_id", "H9")]));
    assert_eq!(
        got,
        vec![r("persons.csv", 4, "household_id", "unknown_household")]
    );
    let got = refusals_of(&mutate("hospital_stays", 0, &[("person_id", "P9")]));
    assert_eq!(
        got,
        vec![r("hospital_stays.csv", 2, "person_id", "unknown_person")]
    );
    let got = refusals_of(&mutate("events", 0, &[("person_id", "P2")]));
    assert_eq!(
        got,
        vec![r("events.csv", 2, "person_id", "person_not_in_household")]
    );
    let got = refusals_of(&mutate("enrollments", 0, &[("household_id", "H9")]));
    assert_eq!(
        got,
        vec![r("enrollments.csv", 2, "household_id", "unknown_household")]
    );
    // A household-level event needs no person.
    assert_eq!(
        refusals_of(&mutate("events", 0, &[("person_id", "")])),
        vec![]
    );
}

#[test]
fn duplicate_ids_refuse_every_copy() {
    let b = base().add("hospital_stays", stay("S1", "P3"));
    assert_eq!(
        refusals_of(&b),
        vec![
            r("hospital_stays.csv", 2, "stay_id", "duplicate_id"),
            r("hospital_stays.csv", 3, "stay_id", "duplicate_id")
        ]
    );
    let b = base().add("enrollments", enrollment("H1", "", "dibao"));
    assert_eq!(
        refusals_of(&b),
        vec![
            r("enrollments.csv", 2, "program", "duplicate_id"),
            r("enrollments.csv", 3, "program", "duplicate_id")
        ]
    );
}

#[test]
fn a_valid_copy_of_a_refused_row_is_still_a_duplicate() {
    // P3 appears twice: first with a bad ID number, then correct. Neither copy is taken.
    let b = mutate("persons", 2, &[("id_number", "110105194912310021")])
        .add("persons", person("P3", "H1", "child", 3));
    assert_eq!(
        refusals_of(&b),
        vec![
            r("persons.csv", 4, "id_number", "id_number_check_digit"),
            r("persons.csv", 5, "person_id", "duplicate_id"),
        ]
    );
    // Likewise a stay whose person is unknown, then the same stay id for a known person.
    let b =
        mutate("hospital_stays", 0, &[("person_id", "P9")]).add("hospital_stays", stay("S1", "P3"));
    assert_eq!(
        refusals_of(&b),
        vec![
            r("hospital_stays.csv", 2, "person_id", "unknown_person"),
            r("hospital_stays.csv", 3, "stay_id", "duplicate_id"),
        ]
    );
}

#[test]
fn exactly_one_head_per_household() {
    // P3 becomes a second head of H1: H1 and everything of it is refused.
    let got = refusals_of(&mutate("persons", 2, &[("relation", "head")]));
    assert_eq!(
        got,
        vec![
            r("enrollments.csv", 2, "household_id", "depends_on_rejected"),
            r("events.csv", 2, "household_id", "depends_on_rejected"),
            r("hospital_stays.csv", 2, "person_id", "depends_on_rejected"),
            r("households.csv", 2, "household_id", "several_heads"),
            r("persons.csv", 2, "household_id", "depends_on_rejected"),
            r("persons.csv", 4, "household_id", "depends_on_rejected"),
        ]
    );
    // H2's head becomes a spouse: H2 has no head.
    let got = refusals_of(&mutate("persons", 1, &[("relation", "spouse")]));
    assert_eq!(
        got,
        vec![
            r("households.csv", 3, "household_id", "no_head"),
            r("persons.csv", 3, "household_id", "depends_on_rejected")
        ]
    );
    // A household with no persons at all has no head either.
    let got = refusals_of(&base().add("households", household("H3")));
    assert_eq!(got, vec![r("households.csv", 4, "household_id", "no_head")]);
}

#[test]
fn header_problems_refuse_the_file() {
    let b = mutate("hospital_stays", 0, &[("covered_cost", "<drop>")]);
    let dir = tempfile::tempdir().unwrap();
    let mut store = sqlite(dir.path());
    let out = run_import(store.as_mut(), &b.write(&dir.path().join("in")), true);
    assert_eq!(
        out.refusals(),
        vec![r("hospital_stays.csv", 1, "covered_cost", "missing_column")]
    );
    assert_eq!(out.summary.tables["hospital_stays"].rows_rejected, 1);
    assert_eq!(out.summary.rows_rejected, 1);
    // --partial keeps the other tables.
    assert_eq!(store.counts().unwrap().persons, 3);
    assert_eq!(store.counts().unwrap().stays, 0);
}

#[test]
fn unknown_columns_are_kept_and_reported() {
    let b = mutate("persons", 2, &[("phone", "13800000000")]);
    let dir = tempfile::tempdir().unwrap();
    let mut store = sqlite(dir.path());
    let out = run_import(store.as_mut(), &b.write(&dir.path().join("in")), false);
    assert!(out.rejected.is_empty());
    assert_eq!(out.summary.notices.len(), 1);
    assert!(
        out.summary.notices[0].contains("phone"),
        "{:?}",
        out.summary.notices
    );
    let mut reg = Registry::default();
    store.export(&mut reg as &mut dyn RecordSink).unwrap();
    let p3 = reg.persons.iter().find(|p| p.person_id == "P3").unwrap();
    assert_eq!(
        p3.extra,
        vec![("phone".to_owned(), "13800000000".to_owned())]
    );
}
