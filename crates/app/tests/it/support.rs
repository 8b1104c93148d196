//! Test support: small interchange batches written as CSV, built from valid default rows
//! with per-test overrides, and stores on both backends.

use minsheng_app::import::{self, ImportOptions, ImportSummary, NoProgress, RejectedRow};
use minsheng_model::{Date, Sex, idnumber};
use minsheng_store::Store;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// One row: column → cell text.
pub type Row = BTreeMap<String, String>;

pub fn row(pairs: &[(&str, &str)]) -> Row {
    pairs
        .iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect()
}

/// Applies overrides (a value of "<drop>" removes the column from this row).
pub fn with(mut r: Row, overrides: &[(&str, &str)]) -> Row {
    for (k, v) in overrides {
        if *v == "<drop>" {
            r.remove(*k);
        } else {
            r.insert(k.to_string(), v.to_string());
        }
    }
    r
}

/// A village of 涪城区 in the built-in region table.
pub const VILLAGE: &str = "510703001003";

pub fn household(id: &str) -> Row {
    row(&[
        ("household_id", id),
        ("region_code", VILLAGE),
        ("area", "urban"),
        ("savings", "10000"),
        ("houses", "1"),
        ("vehicles", "0"),
        ("address", "城厢街道1号"),
    ])
}

pub fn id_number(birth: &str, sex: Sex, seq: u32) -> String {
    let d = minsheng_model::date::parse_iso(birth).expect("test birth date");
    idnumber::make(510703, d, seq, sex)
}

/// A valid person; `seq` keeps ID numbers distinct.
pub fn person(pid: &str, hid: &str, relation: &str, seq: u32) -> Row {
    let birth = "1980-05-17";
    row(&[
        ("person_id", pid),
        ("household_id", hid),
        ("id_number", &id_number(birth, Sex::M, seq)),
        ("name", "张三"),
        ("sex", "M"),
        ("birth_date", birth),
        ("relation", relation),
        ("disability_grade", "0"),
        ("disability_kind", "none"),
        ("self_care", "full"),
        ("employment", "employed"),
        ("wage_income", "1000"),
        ("business_income", "0"),
        ("property_income", "0"),
        ("transfer_income", "0"),
        ("illness", "none"),
        ("capable_supporter", "true"),
        ("orphan", "false"),
    ])
}

pub fn stay(sid: &str, pid: &str) -> Row {
    row(&[
        ("stay_id", sid),
        ("person_id", pid),
        ("admit_date", "2024-03-01"),
        ("discharge_date", "2024-03-10"),
        ("hospital_level", "3"),
        ("in_district", "true"),
        ("total_cost", "50000"),
        ("covered_cost", "40000"),
    ])
}

pub fn event(eid: &str, hid: &str, pid: &str) -> Row {
    row(&[
        ("event_id", eid),
        ("person_id", pid),
        ("household_id", hid),
        ("kind", "large_expense"),
        ("date", "2024-04-02"),
        ("amount", "12000"),
        ("note", "住院"),
    ])
}

pub fn enrollment(hid: &str, pid: &str, program: &str) -> Row {
    row(&[
        ("household_id", hid),
        ("person_id", pid),
        ("program", program),
        ("since", "2023-01-01"),
        ("monthly_amount", "1091"),
        ("until", ""),
    ])
}

/// A batch of tables, written as CSV into a folder.
#[derive(Clone, Debug, Default)]
pub struct Batch {
    pub tables: BTreeMap<&'static str, Vec<Row>>,
}

impl Batch {
    pub fn new() -> Batch {
        Batch::default()
    }

    pub fn add(mut self, table: &'static str, r: Row) -> Batch {
        self.tables.entry(table).or_default().push(r);
        self
    }

    /// One valid household `hid` with a head `pid`.
    pub fn family(self, hid: &str, pid: &str, seq: u32) -> Batch {
        self.add("households", household(hid))
            .add("persons", person(pid, hid, "head", seq))
    }

    /// Writes `<table>.csv` files into `dir`; the header is the union of the rows' columns
    /// in first-seen order.
    pub fn write(&self, dir: &Path) -> PathBuf {
        std::fs::create_dir_all(dir).unwrap();
        for (table, rows) in &self.tables {
            let mut cols: Vec<String> = Vec::new();
            for r in rows {
                for k in r.keys() {
                    if !cols.contains(k) {
                        cols.push(k.clone());
                    }
                }
            }
            let mut w = csv::Writer::from_path(dir.join(format!("{table}.csv"))).unwrap();
            w.write_record(&cols).unwrap();
            for r in rows {
                w.write_record(
                    cols.iter()
                        .map(|c| r.get(c).map(String::as_str).unwrap_or("")),
                )
                .unwrap();
            }
            w.flush().unwrap();
        }
        dir.to_owned()
    }
}

/// The outcome of an import with every refused row collected.
pub struct Outcome {
    pub summary: ImportSummary,
    pub rejected: Vec<RejectedRow>,
}

impl Outcome {
    /// (file name, line, column, code) of each refused row problem, sorted.
    pub fn refusals(&self) -> Vec<(String, u64, String, &'static str)> {
        let mut v: Vec<_> = self
            .rejected
            .iter()
            .map(|r| {
                let name = Path::new(&r.file)
                    .file_name()
                    .unwrap()
                    .to_string_lossy()
                    .into_owned();
                (name, r.line, r.column.clone(), r.code)
            })
            .collect();
        v.sort();
        v
    }
}

pub fn run_import(store: &mut dyn Store, dir: &Path, partial: bool) -> Outcome {
    let mut rejected = Vec::new();
    let summary = import::import(
        store,
        &[dir.to_owned()],
        ImportOptions { partial },
        &NoProgress,
        &mut |r| rejected.push(r.clone()),
    )
    .expect("import runs");
    Outcome { summary, rejected }
}

/// A fresh SQLite store in `dir`.
pub fn sqlite(dir: &Path) -> Box<dyn Store> {
    minsheng_app::registry::open(&dir.join("registry.sqlite").display().to_string()).unwrap()
}

/// A fresh PostgreSQL database on the test server.
pub fn postgres() -> Box<dyn Store> {
    minsheng_app::registry::open(&minsheng_testpg::fresh_database()).unwrap()
}

/// Both backends, named, for tests that must hold on each.
pub fn backends(dir: &Path) -> Vec<(&'static str, Box<dyn Store>)> {
    vec![("sqlite", sqlite(dir)), ("postgres", postgres())]
}

pub fn date(s: &str) -> Date {
    minsheng_model::date::parse_iso(s).unwrap()
}
