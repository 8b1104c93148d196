//! Policy tests: the case files next to a pack (`<pack>/tests/*.toml`), each a month,
//! input tables as interchange CSV text and the complete expected outputs, run through
//! the engine (`minsheng policy test`, and the test suite). The format is described in
//! `policies/mianyang/tests/README.md`.

use crate::evaluate::output::{MEDICAL_COLUMNS, RESULT_COLUMNS, UNDECIDED_COLUMNS};
use crate::evaluate::{EvalFailure, Source, covered, load_pack, load_registry};
use minsheng_interchange::Table;
use minsheng_model::Fen;
use minsheng_policy::eval::Outcome;
use minsheng_policy::frame::Frame;
use serde::Deserialize;
use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct CaseFile {
    case: Vec<Case>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Case {
    name: String,
    month: String,
    households: Option<String>,
    persons: Option<String>,
    hospital_stays: Option<String>,
    events: Option<String>,
    enrollments: Option<String>,
    results: String,
    medical: Option<String>,
    undecided: Option<String>,
}

/// The outcome of one case.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CaseReport {
    pub file: String,
    pub name: String,
    /// Empty when the case holds; otherwise what differs, row by row.
    pub problems: Vec<String>,
}

/// A case read from its file: the month, the registry its tables make (or why they do not
/// make one), and the expected outputs.
pub struct LoadedCase {
    pub file: String,
    pub name: String,
    pub month: Result<minsheng_model::Date, String>,
    pub registry: Result<minsheng_model::Registry, String>,
    case: Case,
}

/// Outputs in a form any evaluator can produce (the engine, the test oracle).
#[derive(Clone, Debug, Default)]
pub struct Produced {
    /// (household_id, person_id or "", program, eligible, monthly amount), eligible rows.
    pub results: Vec<(String, String, String, bool, Fen)>,
    /// (stay_id, person_id, [basic, critical, assistance, local_fund, self]) in output order.
    pub medical: Vec<(String, String, [Fen; 5])>,
    /// (household_id, person_id or "", program, missing columns).
    pub undecided: Vec<(String, String, String, Vec<String>)>,
}

impl From<&Outcome> for Produced {
    fn from(o: &Outcome) -> Produced {
        Produced {
            results: o
                .results
                .iter()
                .map(|r| {
                    (
                        r.household_id.to_string(),
                        r.person_id.as_deref().unwrap_or_default().to_owned(),
                        r.program.to_string(),
                        r.eligible,
                        r.monthly_amount,
                    )
                })
                .collect(),
            medical: o
                .medical
                .iter()
                .map(|m| {
                    (
                        m.stay_id.to_string(),
                        m.person_id.to_string(),
                        [
                            m.basic_paid,
                            m.critical_paid,
                            m.assistance_paid,
                            m.local_fund_paid,
                            m.self_paid,
                        ],
                    )
                })
                .collect(),
            undecided: o
                .undecided
                .iter()
                .map(|u| {
                    (
                        u.household_id.to_string(),
                        u.person_id.as_deref().unwrap_or_default().to_owned(),
                        u.program.to_string(),
                        u.missing.iter().map(|m| m.to_string()).collect(),
                    )
                })
                .collect(),
        }
    }
}

/// Reads every case file in `tests_dir` (in name order); a file that is not a case file is
/// an error naming it.
pub fn load(tests_dir: &Path) -> Result<Vec<LoadedCase>, String> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(tests_dir)
        .map_err(|e| format!("{}: {e}", tests_dir.display()))?
        .filter_map(Result::ok)
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|x| x == "toml"))
        .collect();
    files.sort();
    let mut out = Vec::new();
    for file in files {
        let shown = file
            .file_name()
            .map_or_else(String::new, |f| f.to_string_lossy().into_owned());
        let text = std::fs::read_to_string(&file).map_err(|e| format!("{shown}: {e}"))?;
        let parsed: CaseFile = toml::from_str(&text)
            .map_err(|e| format!("{shown}: 不是测试用例文件 / not a case file: {e}"))?;
        for case in parsed.case {
            let month = minsheng_model::date::parse_iso(&format!("{}-01", case.month))
                .ok_or_else(|| format!("month {:?} 应为 YYYY-MM", case.month));
            out.push(LoadedCase {
                file: shown.clone(),
                name: case.name.clone(),
                month,
                registry: registry_of(&case),
                case,
            });
        }
    }
    Ok(out)
}

impl LoadedCase {
    /// What differs between `produced` and the expected outputs (empty: the case holds).
    pub fn check(&self, produced: &Produced) -> Vec<String> {
        let mut problems = Vec::new();
        let r = compare_results(&self.case.results, produced, &mut problems)
            .and_then(|()| compare_medical(self.case.medical.as_deref(), produced, &mut problems))
            .and_then(|()| {
                compare_undecided(self.case.undecided.as_deref(), produced, &mut problems)
            });
        if let Err(e) = r {
            problems.push(e);
        }
        problems
    }
}

/// Runs every case next to the pack in `pack_dir` (`<pack>/tests/*.toml`) through the engine.
pub fn run(pack_dir: &Path) -> Result<Vec<CaseReport>, EvalFailure> {
    let (pack, checked) = load_pack(pack_dir)?;
    let cases =
        load(&pack_dir.join("tests")).map_err(|e| EvalFailure::Data { count: 0, first: e })?;
    Ok(cases
        .into_iter()
        .map(|c| {
            let problems = match (&c.month, &c.registry) {
                (Ok(month), Ok(reg)) => Frame::build(reg, *month)
                    .map_err(|e| e.to_string())
                    .and_then(|frame| {
                        covered(&pack, std::slice::from_ref(&frame)).map_err(|e| e.to_string())?;
                        minsheng_policy::eval::evaluate(&pack, &checked, &frame)
                            .map_err(|e| e.to_string())
                    })
                    .map_or_else(|e| vec![e], |out| c.check(&Produced::from(&out))),
                (Err(e), _) | (_, Err(e)) => vec![e.clone()],
            };
            CaseReport {
                file: c.file,
                name: c.name,
                problems,
            }
        })
        .collect())
}

/// The registry a case's tables make, checked exactly like an import.
fn registry_of(case: &Case) -> Result<minsheng_model::Registry, String> {
    // The inputs go through the importer's checks, from a private folder.
    let dir =
        std::env::temp_dir().join(format!("minsheng-case-{}-{}", std::process::id(), unique()));
    std::fs::create_dir_all(&dir).map_err(|e| e.to_string())?;
    let tables = [
        (Table::Households, &case.households),
        (Table::Persons, &case.persons),
        (Table::HospitalStays, &case.hospital_stays),
        (Table::Events, &case.events),
        (Table::Enrollments, &case.enrollments),
    ];
    for (t, text) in tables {
        if let Some(text) = text {
            std::fs::write(dir.join(t.file_name()), text).map_err(|e| e.to_string())?;
        }
    }
    let reg = load_registry(&Source::Data(vec![dir.clone()]));
    let _ = std::fs::remove_dir_all(&dir);
    reg.map_err(|e| format!("输入数据无效 / invalid input: {e}"))
}

fn unique() -> u64 {
    use std::sync::atomic::{AtomicU64, Ordering};
    static N: AtomicU64 = AtomicU64::new(0);
    N.fetch_add(1, Ordering::Relaxed)
}

/// The rows of an expected CSV text, checked against its header.
fn rows(text: &str, what: &str, header: &[&str]) -> Result<Vec<Vec<String>>, String> {
    let mut rdr = csv::ReaderBuilder::new()
        .trim(csv::Trim::All)
        .from_reader(text.trim().as_bytes());
    let h: Vec<String> = rdr
        .headers()
        .map_err(|e| format!("{what}: {e}"))?
        .iter()
        .map(str::to_owned)
        .collect();
    if h != header {
        return Err(format!(
            "{what}: 表头应为 {} / expected header",
            header.join(",")
        ));
    }
    rdr.records()
        .map(|r| {
            r.map(|r| r.iter().map(str::to_owned).collect())
                .map_err(|e| format!("{what}: {e}"))
        })
        .collect()
}

fn money(s: &str, what: &str) -> Result<String, String> {
    Fen::parse_yuan(s)
        .map(|f| f.to_string())
        .map_err(|_| format!("{what}: 金额 {s:?} 无效"))
}

fn diff(
    what: &str,
    expected: &BTreeSet<String>,
    actual: &BTreeSet<String>,
    problems: &mut Vec<String>,
) {
    for r in expected.difference(actual) {
        problems.push(format!("{what}: 缺少 / expected but not produced: {r}"));
    }
    for r in actual.difference(expected) {
        problems.push(format!("{what}: 多出 / produced but not expected: {r}"));
    }
}

fn compare_results(text: &str, out: &Produced, problems: &mut Vec<String>) -> Result<(), String> {
    let header = RESULT_COLUMNS;
    let mut expected = BTreeSet::new();
    for r in rows(text, "results", header)? {
        expected.insert(format!(
            "{},{},{},{},{}",
            r[0],
            r[1],
            r[2],
            r[3],
            money(&r[4], "results")?
        ));
    }
    let actual: BTreeSet<String> = out
        .results
        .iter()
        .map(|(h, p, prog, e, a)| format!("{h},{p},{prog},{e},{a}"))
        .collect();
    diff("results.csv", &expected, &actual, problems);
    Ok(())
}

fn compare_medical(
    text: Option<&str>,
    out: &Produced,
    problems: &mut Vec<String>,
) -> Result<(), String> {
    let header = MEDICAL_COLUMNS;
    let mut expected: BTreeMap<String, Vec<String>> = BTreeMap::new();
    for r in rows(text.unwrap_or(&header.join(",")), "medical", header)? {
        let mut line = vec![r[0].clone(), r[1].clone()];
        for m in &r[2..] {
            line.push(money(m, "medical")?);
        }
        expected
            .entry(r[1].clone())
            .or_default()
            .push(line.join(","));
    }
    let mut actual: BTreeMap<String, Vec<String>> = BTreeMap::new();
    for (stay, person, paid) in &out.medical {
        let line = paid
            .iter()
            .map(Fen::to_string)
            .collect::<Vec<_>>()
            .join(",");
        actual
            .entry(person.clone())
            .or_default()
            .push(format!("{stay},{person},{line}"));
    }
    let flat = |m: &BTreeMap<String, Vec<String>>| {
        m.values().flatten().cloned().collect::<BTreeSet<String>>()
    };
    diff("medical.csv", &flat(&expected), &flat(&actual), problems);
    if flat(&expected) == flat(&actual) && expected != actual {
        problems
            .push("medical.csv: 同一人的住院顺序不同 / stays of a person in another order".into());
    }
    Ok(())
}

fn compare_undecided(
    text: Option<&str>,
    out: &Produced,
    problems: &mut Vec<String>,
) -> Result<(), String> {
    let header = UNDECIDED_COLUMNS;
    let mut expected = BTreeSet::new();
    for r in rows(text.unwrap_or(&header.join(",")), "undecided", header)? {
        let mut missing: Vec<&str> = r[3].split(';').map(str::trim).collect();
        missing.sort_unstable();
        expected.insert(format!("{},{},{},{}", r[0], r[1], r[2], missing.join(";")));
    }
    let actual: BTreeSet<String> = out
        .undecided
        .iter()
        .map(|(h, p, prog, m)| {
            let mut m = m.clone();
            m.sort_unstable();
            format!("{h},{p},{prog},{}", m.join(";"))
        })
        .collect();
    diff("undecided", &expected, &actual, problems);
    Ok(())
}
