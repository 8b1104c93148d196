//! The `minsheng` command as a person runs it: arguments in, files, output and exit code out.

mod accounts;

use std::path::Path;
use std::process::{Command, Output};

fn minsheng(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_minsheng"))
        .args(args)
        .output()
        .expect("minsheng runs")
}

fn text(o: &Output) -> String {
    format!(
        "{}{}",
        String::from_utf8_lossy(&o.stdout),
        String::from_utf8_lossy(&o.stderr)
    )
}

/// `minsheng eval --data DATA --month 2024-06` followed by `rest`.
fn eval_data(data: &Path, rest: &[&str]) -> Output {
    let mut args = vec![
        "eval",
        "--data",
        data.to_str().unwrap(),
        "--month",
        "2024-06",
    ];
    args.extend_from_slice(rest);
    minsheng(&args)
}

fn synth(dir: &Path, households: &str) -> std::path::PathBuf {
    let out = dir.join("district");
    let o = minsheng(&[
        "synth",
        "--households",
        households,
        "--seed",
        "11",
        "--out",
        out.to_str().unwrap(),
    ]);
    assert!(o.status.success(), "{}", text(&o));
    out
}

/// Replaces the ID number of the first non-head person at or after data row `from`;
/// returns the 1-based line changed.
fn corrupt_one_id_number(persons_csv: &Path, from: usize) -> u64 {
    let mut rdr = csv::Reader::from_path(persons_csv).unwrap();
    let header = rdr.headers().unwrap().clone();
    let idc = header.iter().position(|h| h == "id_number").unwrap();
    let relc = header.iter().position(|h| h == "relation").unwrap();
    let mut rows: Vec<csv::StringRecord> = rdr.records().map(Result::unwrap).collect();
    let i = (from..rows.len())
        .find(|&i| &rows[i][relc] != "head")
        .unwrap();
    let mut fields: Vec<String> = rows[i].iter().map(str::to_owned).collect();
    let id = &fields[idc];
    let last = id.chars().last().unwrap();
    fields[idc] = format!("{}{}", &id[..17], if last == '0' { '1' } else { '0' });
    rows[i] = csv::StringRecord::from(fields);
    let mut w = csv::Writer::from_path(persons_csv).unwrap();
    w.write_record(&header).unwrap();
    for r in &rows {
        w.write_record(r).unwrap();
    }
    w.flush().unwrap();
    i as u64 + 2
}

#[test]
fn a_wrong_id_number_in_a_100_000_row_file_is_reported_with_its_line() {
    let dir = tempfile::tempdir().unwrap();
    let district = synth(dir.path(), "40000");
    let persons = district.join("persons.csv");
    let rows = csv::Reader::from_path(&persons).unwrap().records().count();
    assert!(rows >= 100_000, "the district has {rows} persons");
    let line = corrupt_one_id_number(&persons, 70_000);
    let db = dir.path().join("r.sqlite");
    let report = dir.path().join("refused.csv");
    let args = [
        "import",
        "--db",
        db.to_str().unwrap(),
        "--report",
        report.to_str().unwrap(),
        district.to_str().unwrap(),
    ];

    // All or nothing: refused, reported, nothing written.
    let o = minsheng(&args);
    assert_eq!(o.status.code(), Some(2), "{}", text(&o));
    let report_text = std::fs::read_to_string(&report).unwrap();
    let lines: Vec<&str> = report_text.lines().collect();
    assert_eq!(lines[0], "file,line,column,value,reason");
    assert_eq!(lines.len(), 2, "{report_text}");
    let fields = csv::ReaderBuilder::new()
        .from_reader(report_text.as_bytes())
        .records()
        .next()
        .unwrap()
        .unwrap();
    assert!(fields[0].ends_with("persons.csv"));
    assert_eq!(&fields[1], line.to_string().as_str());
    assert_eq!(&fields[2], "id_number");
    assert!(fields[4].contains("校验位"), "{}", &fields[4]);
    assert!(text(&o).contains("本批次未写入任何数据"), "{}", text(&o));
    let stats = minsheng(&["stats", "--db", db.to_str().unwrap()]);
    assert!(
        text(&stats).contains("家庭 households 0 "),
        "{}",
        text(&stats)
    );

    // --partial: the other rows are kept.
    let mut partial = args.to_vec();
    partial.insert(1, "--partial");
    partial.push("--json");
    let o = minsheng(&partial);
    assert_eq!(o.status.code(), Some(2), "{}", text(&o));
    let summary: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(summary["rows_rejected"], 1);
    assert_eq!(summary["rejected_by_reason"]["id_number_check_digit"], 1);
    let read = summary["rows_read"].as_u64().unwrap();
    assert_eq!(summary["rows_imported"].as_u64().unwrap(), read - 1);
    assert_eq!(summary["rows_unchanged"], 0);
    assert_eq!(
        summary["tables"]["persons"]["rows_imported"]
            .as_u64()
            .unwrap(),
        rows as u64 - 1
    );
}

#[test]
fn json_summary_and_idempotent_reimport() {
    let dir = tempfile::tempdir().unwrap();
    let district = synth(dir.path(), "200");
    let db = dir.path().join("r.sqlite");
    let args = [
        "import",
        "--db",
        db.to_str().unwrap(),
        "--json",
        district.to_str().unwrap(),
    ];
    let first = minsheng(&args);
    assert!(first.status.success(), "{}", text(&first));
    let s1: serde_json::Value = serde_json::from_slice(&first.stdout).unwrap();
    for key in [
        "rows_read",
        "rows_imported",
        "rows_unchanged",
        "rows_rejected",
        "rejected_by_reason",
    ] {
        assert!(s1.get(key).is_some(), "missing {key} in {s1}");
    }
    assert_eq!(s1["rows_imported"], s1["rows_read"]);
    let second = minsheng(&args);
    assert!(second.status.success(), "{}", text(&second));
    let s2: serde_json::Value = serde_json::from_slice(&second.stdout).unwrap();
    assert_eq!(s2["rows_imported"], 0);
    assert_eq!(s2["rows_unchanged"], s1["rows_read"]);
}

#[test]
fn demo_creates_then_reuses_its_database() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("demo").join("d.sqlite");
    let demo = || {
        minsheng(&[
            "demo",
            "--db",
            db.to_str().unwrap(),
            "--households",
            "300",
            "--policy",
            POLICY,
            // Without it, demo goes on to serve on 127.0.0.1:8080 until Ctrl-C.
            "--no-serve",
        ])
    };
    let o = demo();
    assert!(o.status.success(), "{}", text(&o));
    assert!(text(&o).contains("已创建演示辖区"), "{}", text(&o));
    // The demo accounts are created and listed, with their password.
    assert!(
        text(&o).contains("chengxiang") && text(&o).contains("minsheng-demo"),
        "{}",
        text(&o)
    );
    let mut store = minsheng_store::open(db.to_str().unwrap()).unwrap();
    let user = store.user("gongqu").unwrap().unwrap();
    assert_eq!(user.region.to_string(), "510703003000");
    drop(store);
    assert!(text(&o).contains("家庭 households 300 "), "{}", text(&o));
    assert!(
        text(&o).contains("next: minsheng serve --db "),
        "{}",
        text(&o)
    );
    // The results of 2024-06 are stored, once.
    let stored = {
        let mut store = minsheng_store::open(db.to_str().unwrap()).unwrap();
        assert_eq!(store.result_months().unwrap(), ["2024-06"]);
        let city = minsheng_model::RegionCode::parse("510700000000").unwrap();
        let trend = store.results_trend(city).unwrap();
        trend.iter().map(|t| t.2).sum::<u64>()
    };
    assert!(stored > 0);
    assert!(
        text(&o).contains(&format!("stored {stored} results for 2024-06")),
        "{}",
        text(&o)
    );
    let again = demo();
    assert!(text(&again).contains("已复用演示辖区"), "{}", text(&again));
    assert!(!text(&again).contains("stored"), "{}", text(&again));
    assert!(
        text(&again).contains("家庭 households 300 "),
        "{}",
        text(&again)
    );
}

#[test]
fn bad_input_gets_a_message_not_a_crash() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("r.sqlite");
    let stray = dir.path().join("people.csv");
    std::fs::write(&stray, "a,b\n1,2\n").unwrap();
    let o = minsheng(&[
        "import",
        "--db",
        db.to_str().unwrap(),
        stray.to_str().unwrap(),
    ]);
    assert_eq!(o.status.code(), Some(1));
    assert!(text(&o).contains("文件名不对应任何数据表"), "{}", text(&o));
    let o = minsheng(&[
        "synth",
        "--households",
        "1",
        "--out",
        dir.path().to_str().unwrap(),
        "--month",
        "2024-13",
    ]);
    assert_eq!(o.status.code(), Some(1));
    assert!(text(&o).contains("应为 YYYY-MM"), "{}", text(&o));
}

/// The data of worked example 1 of reference-rules.md in `dir/data`: H1 in 涪城区,
/// urban, 低保 of 1091 yuan; H2 with unknown savings.
fn worked_example(dir: &Path) -> std::path::PathBuf {
    use minsheng_model::{Sex, idnumber};
    let data = dir.join("data");
    std::fs::create_dir_all(&data).unwrap();
    std::fs::write(
        data.join("households.csv"),
        "household_id,region_code,area,savings,houses,vehicles\nH1,510703001003,urban,10000,1,0\nH2,510703001003,urban,,1,0\n",
    )
    .unwrap();
    let d = |s: &str| minsheng_model::date::parse_iso(s).unwrap();
    let person = |pid: &str, birth: &str, sex: Sex, rel: &str, emp: &str, wage: &str, seq: u32| {
        let id = idnumber::make(510703, d(birth), seq, sex);
        let hh = if pid == "P9" { "H2" } else { "H1" };
        format!(
            "{pid},{hh},{id},张三,{},{birth},{rel},0,none,full,{emp},{wage},0,0,0,none,true,false\n",
            sex.code()
        )
    };
    let mut persons = String::from(
        "person_id,household_id,id_number,name,sex,birth_date,relation,disability_grade,disability_kind,self_care,employment,wage_income,business_income,property_income,transfer_income,illness,capable_supporter,orphan\n",
    );
    persons += &person("P1", "1979-01-15", Sex::M, "head", "employed", "1000", 1);
    persons += &person("P2", "1981-03-02", Sex::F, "spouse", "unemployed", "0", 2);
    persons += &person("P3", "2014-02-01", Sex::M, "child", "student", "0", 3);
    // H2's savings are unknown: its 低保 cannot be decided, and says why.
    persons += &person("P9", "1984-05-05", Sex::F, "head", "unemployed", "0", 4);
    std::fs::write(data.join("persons.csv"), persons).unwrap();
    data
}

const POLICY: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../../policies/mianyang");

/// Worked example 1 of reference-rules.md through `minsheng eval --data`: the urban
/// household in 涪城区 gets 低保 of 1091 yuan; its child, no allowance.
#[test]
fn eval_writes_the_worked_example_to_results_csv() {
    let dir = tempfile::tempdir().unwrap();
    let data = worked_example(dir.path());
    let out = dir.path().join("results.csv");
    let policy = POLICY;
    let eval =
        |policy: &str| eval_data(&data, &["--policy", policy, "--out", out.to_str().unwrap()]);
    let o = eval(policy);
    assert!(o.status.success(), "{}", text(&o));
    assert_eq!(
        std::fs::read_to_string(&out).unwrap(),
        "household_id,person_id,program,eligible,monthly_amount\nH1,,dibao,true,1091.00\n"
    );
    assert!(text(&o).contains("dibao"), "{}", text(&o));
    let undecided = std::fs::read_to_string(dir.path().join("undecided.csv")).unwrap();
    assert_eq!(
        undecided,
        "household_id,person_id,program,missing\nH2,,dibao,savings\nH2,,dibao_edge,savings\nH2,,expenditure_hardship,savings\n"
    );
    // A bad policy pack is refused with its file and line, never run.
    let bad = dir.path().join("bad");
    std::fs::create_dir_all(bad.join("variables")).unwrap();
    std::fs::copy(
        format!("{policy}/parameters.toml"),
        bad.join("parameters.toml"),
    )
    .unwrap();
    std::fs::write(
        bad.join("variables/x.toml"),
        "[x]\nentity = \"person\"\ntype = \"money\"\nlabel = \"x\"\nformula = \"wages * 2\"\n",
    )
    .unwrap();
    let o = eval(bad.to_str().unwrap());
    assert_eq!(o.status.code(), Some(1));
    assert!(
        text(&o).contains("x.toml:5:12") && text(&o).contains("未知的名称 wages"),
        "{}",
        text(&o)
    );
}

/// An output folder that does not exist is refused before the evaluation starts, naming
/// the flag and the folder — not after minutes of work with the results lost.
#[test]
fn eval_refuses_an_output_folder_that_does_not_exist_before_it_starts() {
    let dir = tempfile::tempdir().unwrap();
    let data = worked_example(dir.path());
    let missing = dir.path().join("no-such-folder");
    let o = eval_data(
        &data,
        &[
            "--policy",
            POLICY,
            "--out",
            dir.path().join("results.csv").to_str().unwrap(),
            "--medical-out",
            missing.join("medical.csv").to_str().unwrap(),
        ],
    );
    assert_eq!(o.status.code(), Some(1), "{}", text(&o));
    let said = text(&o);
    assert!(
        said.contains("--medical-out")
            && said.contains("no-such-folder")
            && said.contains("不存在"),
        "{said}"
    );
    // Nothing was evaluated, so nothing was written beside --out either.
    assert!(!dir.path().join("results.csv").exists());
    assert!(!dir.path().join("undecided.csv").exists());
}

/// `eval --save` stores the month's eligible units, with their households' regions, in
/// the registry; no file is written without `--out`.
#[test]
fn eval_save_stores_the_month_in_the_registry() {
    use minsheng_model::{Fen, RegionCode};
    let dir = tempfile::tempdir().unwrap();
    let data = worked_example(dir.path());
    let db = dir.path().join("r.sqlite");
    let db = db.to_str().unwrap();
    let o = minsheng(&["import", "--db", db, data.to_str().unwrap()]);
    assert!(o.status.success(), "{}", text(&o));
    let save = || {
        minsheng(&[
            "eval", "--db", db, "--month", "2024-06", "--policy", POLICY, "--save",
        ])
    };
    let o = save();
    assert!(o.status.success(), "{}", text(&o));
    assert!(
        text(&o).contains("stored 1 results for month 2024-06"),
        "{}",
        text(&o)
    );
    assert!(!dir.path().join("undecided.csv").exists());
    // Saving again replaces the month rather than adding to it.
    assert!(save().status.success());
    let mut store = minsheng_store::open(db).unwrap();
    assert_eq!(store.result_months().unwrap(), ["2024-06"]);
    assert_eq!(
        store.household_results("2024-06", "H1").unwrap(),
        [minsheng_store::StoredResult {
            household_id: "H1".into(),
            person_id: String::new(),
            program: "dibao".into(),
            region_code: RegionCode::parse("510703001003").unwrap(),
            eligible: true,
            monthly_amount: Fen(109_100),
        }]
    );
    // --save needs a database; without --save, --out is required.
    let o = eval_data(&data, &["--save"]);
    assert_eq!(o.status.code(), Some(1), "{}", text(&o));
    assert!(text(&o).contains("不能与 --data 同用"), "{}", text(&o));
    let o = minsheng(&["eval", "--db", db, "--month", "2024-06"]);
    assert_eq!(o.status.code(), Some(2), "{}", text(&o));
}
