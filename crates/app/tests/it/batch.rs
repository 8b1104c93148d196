//! Batch behaviour on both backends: all-or-nothing versus `--partial`, idempotent
//! re-import, updates and moves between households checked against what is stored.

use crate::support::*;
use minsheng_model::{Fen, RecordSink, Registry};
use minsheng_store::Store;

fn export(store: &mut dyn Store) -> Registry {
    let mut reg = Registry::default();
    store.export(&mut reg as &mut dyn RecordSink).unwrap();
    reg
}

fn two_families_and_a_bad_row() -> Batch {
    Batch::new()
        .family("H1", "P1", 1)
        .family("H2", "P2", 2)
        .add(
            "persons",
            with(
                person("P3", "H1", "child", 3),
                &[("id_number", "110105194912310021")],
            ),
        )
}

#[test]
fn all_or_nothing_writes_nothing_when_a_row_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    for (name, mut store) in backends(dir.path()) {
        let input = two_families_and_a_bad_row().write(&dir.path().join("in"));
        let out = run_import(store.as_mut(), &input, false);
        assert_eq!(
            out.refusals(),
            vec![(
                "persons.csv".into(),
                4,
                "id_number".into(),
                "id_number_check_digit"
            )],
            "{name}"
        );
        let s = &out.summary;
        assert_eq!(
            (
                s.rows_read,
                s.rows_rejected,
                s.rows_imported,
                s.rows_held_back,
                s.committed
            ),
            (5, 1, 0, 4, false),
            "{name}"
        );
        assert_eq!(s.rejected_by_reason.get("id_number_check_digit"), Some(&1));
        assert_eq!(store.counts().unwrap().households, 0, "{name}");
    }
}

#[test]
fn partial_keeps_the_valid_rows() {
    let dir = tempfile::tempdir().unwrap();
    for (name, mut store) in backends(dir.path()) {
        let input = two_families_and_a_bad_row().write(&dir.path().join("in"));
        let out = run_import(store.as_mut(), &input, true);
        let s = &out.summary;
        assert_eq!(
            (
                s.rows_read,
                s.rows_rejected,
                s.rows_imported,
                s.rows_unchanged,
                s.committed
            ),
            (5, 1, 4, 0, true),
            "{name}"
        );
        let c = store.counts().unwrap();
        assert_eq!((c.households, c.persons), (2, 2), "{name}");
    }
}

#[test]
fn importing_twice_changes_nothing_the_second_time() {
    let dir = tempfile::tempdir().unwrap();
    let b = Batch::new()
        .family("H1", "P1", 1)
        .add("persons", person("P2", "H1", "spouse", 2))
        .add("hospital_stays", stay("S1", "P1"))
        .add("events", event("E1", "H1", "P2"))
        .add("enrollments", enrollment("H1", "", "dibao"))
        .add("enrollments", enrollment("H1", "P2", "disability_care"));
    for (name, mut store) in backends(dir.path()) {
        let input = b.write(&dir.path().join("in"));
        let first = run_import(store.as_mut(), &input, false);
        assert_eq!(
            (first.summary.rows_imported, first.summary.rows_unchanged),
            (7, 0),
            "{name}"
        );
        let before = export(store.as_mut());
        let second = run_import(store.as_mut(), &input, false);
        assert_eq!(
            (
                second.summary.rows_read,
                second.summary.rows_imported,
                second.summary.rows_unchanged
            ),
            (7, 0, 7),
            "{name}"
        );
        assert_eq!(export(store.as_mut()), before, "{name}");
    }
}

#[test]
fn a_changed_row_is_updated_and_counted_once() {
    let dir = tempfile::tempdir().unwrap();
    for (name, mut store) in backends(dir.path()) {
        let v1 = Batch::new().family("H1", "P1", 1).family("H2", "P2", 2);
        run_import(store.as_mut(), &v1.write(&dir.path().join("v1")), false);
        let v2 = Batch::new().add("households", household("H1")).add(
            "households",
            with(household("H2"), &[("savings", "20000.5")]),
        );
        let out = run_import(store.as_mut(), &v2.write(&dir.path().join("v2")), false);
        assert!(out.rejected.is_empty(), "{name}: {:?}", out.rejected);
        assert_eq!(
            (out.summary.rows_imported, out.summary.rows_unchanged),
            (1, 1),
            "{name}"
        );
        let reg = export(store.as_mut());
        assert_eq!(reg.households[1].savings, Some(Fen(2_000_050)), "{name}");
        // The stored head still heads H2 although this batch had no persons.
        assert_eq!(reg.persons.len(), 2);
    }
}

#[test]
fn head_rule_counts_stored_members() {
    let dir = tempfile::tempdir().unwrap();
    for (name, mut store) in backends(dir.path()) {
        let v1 = Batch::new().family("H1", "P1", 1).family("H2", "P2", 2);
        run_import(store.as_mut(), &v1.write(&dir.path().join("v1")), false);
        // A second head for the stored H1, sent alone: refused; H1 keeps its one head.
        let v2 = Batch::new().add("persons", person("P3", "H1", "head", 3));
        let out = run_import(store.as_mut(), &v2.write(&dir.path().join("v2")), true);
        assert_eq!(
            out.refusals(),
            vec![(
                "persons.csv".into(),
                2,
                "household_id".into(),
                "several_heads"
            )],
            "{name}"
        );
        assert!(
            out.rejected[0].reason.contains("登记库中已有的户主"),
            "{}",
            out.rejected[0].reason
        );
        // The head of H2 moves to H1 as its spouse: H2 would have no head, so the move is refused.
        let v3 = Batch::new().add("persons", person("P2", "H1", "spouse", 2));
        let out = run_import(store.as_mut(), &v3.write(&dir.path().join("v3")), true);
        assert_eq!(
            out.refusals(),
            vec![("persons.csv".into(), 2, "household_id".into(), "no_head")],
            "{name}"
        );
        // Moving with a new head for H2 in the same batch is fine.
        let v4 = Batch::new()
            .add("persons", person("P2", "H1", "spouse", 2))
            .add("persons", person("P4", "H2", "head", 4));
        let out = run_import(store.as_mut(), &v4.write(&dir.path().join("v4")), false);
        assert!(out.rejected.is_empty(), "{name}: {:?}", out.rejected);
        let reg = export(store.as_mut());
        let p2 = reg.persons.iter().find(|p| p.person_id == "P2").unwrap();
        assert_eq!(p2.household_id, "H1", "{name}");
    }
}

#[test]
fn stays_may_refer_to_stored_persons() {
    let dir = tempfile::tempdir().unwrap();
    for (name, mut store) in backends(dir.path()) {
        run_import(
            store.as_mut(),
            &Batch::new()
                .family("H1", "P1", 1)
                .write(&dir.path().join("v1")),
            false,
        );
        let v2 = Batch::new()
            .add("hospital_stays", stay("S1", "P1"))
            .add("hospital_stays", stay("S2", "P7"));
        let out = run_import(store.as_mut(), &v2.write(&dir.path().join("v2")), true);
        assert_eq!(
            out.refusals(),
            vec![(
                "hospital_stays.csv".into(),
                3,
                "person_id".into(),
                "unknown_person"
            )],
            "{name}"
        );
        assert_eq!(store.counts().unwrap().stays, 1, "{name}");
    }
}

#[test]
fn xlsx_sheets_are_read_like_csv_files() {
    use rust_xlsxwriter::Workbook;
    let dir = tempfile::tempdir().unwrap();
    let csv_dir = Batch::new()
        .family("H1", "P1", 1)
        .add("persons", person("P2", "H1", "child", 2))
        .write(&dir.path().join("csv"));
    let mut wb = Workbook::new();
    for table in ["households", "persons"] {
        let sheet = wb.add_worksheet();
        sheet.set_name(table).unwrap();
        let mut rdr = csv::Reader::from_path(csv_dir.join(format!("{table}.csv"))).unwrap();
        let header = rdr.headers().unwrap().clone();
        for (c, h) in header.iter().enumerate() {
            sheet.write_string(0, c as u16, h).unwrap();
        }
        for (r, rec) in rdr.records().enumerate() {
            for (c, v) in rec.unwrap().iter().enumerate() {
                // Numbers as numbers, the way a clerk's spreadsheet holds them.
                match (header.get(c).unwrap(), v.parse::<f64>()) {
                    ("savings" | "wage_income" | "houses", Ok(n)) => {
                        sheet.write_number(r as u32 + 1, c as u16, n).unwrap()
                    }
                    // A bad ID number on sheet row 3 of persons.
                    ("id_number", _) if table == "persons" && r == 1 => sheet
                        .write_string(r as u32 + 1, c as u16, "110105194912310021")
                        .unwrap(),
                    _ => sheet.write_string(r as u32 + 1, c as u16, v).unwrap(),
                };
            }
        }
    }
    wb.add_worksheet().set_name("说明").unwrap();
    let book = dir.path().join("batch.xlsx");
    wb.save(&book).unwrap();

    let mut store = sqlite(dir.path());
    let mut rejected = Vec::new();
    let summary = minsheng_app::import::import(
        store.as_mut(),
        &[book],
        minsheng_app::import::ImportOptions { partial: true },
        &minsheng_app::import::NoProgress,
        &mut |r| rejected.push(r.clone()),
    )
    .unwrap();
    assert_eq!(rejected.len(), 1);
    assert!(
        rejected[0].file.ends_with("batch.xlsx#persons"),
        "{}",
        rejected[0].file
    );
    assert_eq!(
        (
            rejected[0].line,
            rejected[0].column.as_str(),
            rejected[0].code
        ),
        (3, "id_number", "id_number_check_digit")
    );
    assert!(
        summary.notices.iter().any(|n| n.contains("说明")),
        "{:?}",
        summary.notices
    );
    let reg = export(store.as_mut());
    assert_eq!(reg.households[0].savings, Some(Fen(1_000_000)));
    assert_eq!(reg.persons[0].wage_income, Some(Fen(100_000)));
}

#[test]
fn a_deployment_loads_its_own_region_table() {
    let dir = tempfile::tempdir().unwrap();
    let mut store = sqlite(dir.path());
    // A newer tree: the built-in 涪城区 plus one new community.
    let mut text = minsheng_interchange::regions::MIANYANG_2023_CSV.to_owned();
    text.push_str("510703001999,village,新建社区居民委员会,510703001000\n");
    let file = dir.path().join("regions-2024.csv");
    std::fs::write(&file, text).unwrap();
    let b = Batch::new()
        .add(
            "households",
            with(household("H1"), &[("region_code", "510703001999")]),
        )
        .add("persons", person("P1", "H1", "head", 1));
    let input = b.write(&dir.path().join("in"));
    let out = run_import(store.as_mut(), &input, false);
    assert_eq!(out.refusals()[0].3, "region_code_unknown");
    let table = minsheng_app::registry::load_regions(store.as_mut(), &file).unwrap();
    assert_eq!(table.len(), 2250);
    let out = run_import(store.as_mut(), &input, false);
    assert!(out.rejected.is_empty(), "{:?}", out.rejected);
    assert_eq!(store.counts().unwrap().regions, 2250);
}
