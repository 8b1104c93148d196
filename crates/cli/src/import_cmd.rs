//! `minsheng import`: flags, the rejected-rows report (CSV), and the summary on the
//! terminal or as JSON.

use crate::progress::Bars;
use anyhow::Context;
use minsheng_app::import::{ImportOptions, ImportSummary, RejectedRow};
use std::path::PathBuf;
use std::process::ExitCode;

/// How many refused rows the terminal summary shows (the report has them all).
const SHOWN: usize = 10;

#[derive(clap::Args)]
pub struct ImportArgs {
    /// SQLite file path or postgres:// URL
    #[arg(long)]
    db: String,
    /// Keep the valid rows when some are refused (default: all or nothing)
    #[arg(long)]
    partial: bool,
    /// Write every refused row as CSV: file,line,column,value,reason
    #[arg(long)]
    report: Option<PathBuf>,
    /// Print a machine-readable summary on standard output
    #[arg(long)]
    json: bool,
    /// Files (households.csv, persons.csv, … or .xlsx workbooks) or folders holding them
    #[arg(required = true)]
    paths: Vec<PathBuf>,
}

pub fn run(args: ImportArgs) -> anyhow::Result<ExitCode> {
    let mut store = minsheng_app::registry::open(&args.db)?;
    let mut report = match &args.report {
        Some(p) => {
            let mut w = csv::Writer::from_path(p)
                .with_context(|| format!("无法写入报告 {}", p.display()))?;
            w.write_record(["file", "line", "column", "value", "reason"])?;
            Some(w)
        }
        None => None,
    };
    let mut shown: Vec<RejectedRow> = Vec::new();
    let mut report_error: Option<csv::Error> = None;
    let progress = Bars::new(args.json);
    let started = std::time::Instant::now();
    let summary = minsheng_app::import::import(
        store.as_mut(),
        &args.paths,
        ImportOptions {
            partial: args.partial,
        },
        &progress,
        &mut |r| {
            if shown.len() < SHOWN {
                shown.push(r.clone());
            }
            if let Some(w) = report.as_mut() {
                let line = r.line.to_string();
                if let Err(e) =
                    w.write_record([r.file.as_str(), &line, &r.column, &r.value, &r.reason])
                {
                    report_error.get_or_insert(e);
                }
            }
        },
    )?;
    if let Some(mut w) = report {
        w.flush()?;
    }
    if let Some(e) = report_error {
        return Err(e).context("写入拒收报告失败");
    }
    if args.json {
        println!("{}", serde_json::to_string_pretty(&summary)?);
    } else {
        print_summary(
            &summary,
            &shown,
            args.report.as_ref(),
            started.elapsed(),
            progress.phase_seconds(),
        );
    }
    Ok(if summary.rows_rejected > 0 {
        ExitCode::from(2)
    } else {
        ExitCode::SUCCESS
    })
}

fn print_summary(
    s: &ImportSummary,
    shown: &[RejectedRow],
    report: Option<&PathBuf>,
    elapsed: std::time::Duration,
    (check, write): (f64, f64),
) {
    for n in &s.notices {
        println!("提示 / notice: {n}");
    }
    println!(
        "{:<16} {:>10} {:>10} {:>10} {:>10}",
        "表 table", "读取 read", "导入 new/chg", "未变 same", "拒收 refused"
    );
    for (name, t) in &s.tables {
        println!(
            "{name:<16} {:>10} {:>10} {:>10} {:>10}",
            t.rows_read, t.rows_imported, t.rows_unchanged, t.rows_rejected
        );
    }
    println!(
        "合计 total        {:>10} {:>10} {:>10} {:>10}   用时 {:.1}s（校验 {check:.1}s，写入 {write:.1}s）",
        s.rows_read,
        s.rows_imported,
        s.rows_unchanged,
        s.rows_rejected,
        elapsed.as_secs_f64()
    );
    if s.rows_rejected == 0 {
        println!("全部接收 / all rows accepted.");
        return;
    }
    println!("拒收原因 / refused by reason:");
    for (code, n) in &s.rejected_by_reason {
        println!("  {code}: {n}");
    }
    println!("前 {} 条 / first refused rows:", shown.len());
    for r in shown {
        println!(
            "  {} 第 {} 行 列 {} 值 {:?}: {}",
            r.file, r.line, r.column, r.value, r.reason
        );
    }
    match report {
        Some(p) => println!("全部拒收明细见 / every refused row: {}", p.display()),
        None => println!(
            "用 --report 拒收明细.csv 可得到全部拒收明细 / use --report FILE for every refused row"
        ),
    }
    if s.committed {
        println!(
            "已按 --partial 接收其余 {} 行 / the other rows were imported (--partial).",
            s.rows_imported + s.rows_unchanged
        );
    } else {
        println!(
            "本批次未写入任何数据（全部或全不），{} 行有效数据未写入；修正后重新导入，或用 --partial 只接收有效行。",
            s.rows_held_back
        );
        println!(
            "Nothing was written (all-or-nothing); fix the rows and import again, or use --partial."
        );
    }
}
