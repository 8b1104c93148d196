//! `minsheng eval`: the month's decisions of a policy pack over a registry, written as
//! `results.csv` (and `medical.csv`) and/or, with `--save`, stored in the registry as the
//! month's results for the pages; a summary per program on the terminal.

use minsheng_app::evaluate::{evaluate, evaluate_and_store};
use minsheng_model::Fen;
use std::collections::BTreeMap;
use std::path::PathBuf;
use std::process::ExitCode;

#[derive(clap::Args)]
pub struct EvalArgs {
    #[command(flatten)]
    source: crate::source_args::SourceArgs,
    /// The month to evaluate, YYYY-MM
    #[arg(long)]
    month: String,
    /// The policy pack folder
    #[arg(long, default_value = "policies/mianyang")]
    policy: PathBuf,
    /// Also write every decided unit that is not eligible (eligible = false)
    #[arg(long)]
    all: bool,
    /// Where to write results.csv (optional with --save)
    #[arg(long, required_unless_present = "save")]
    out: Option<PathBuf>,
    /// Store the month's eligible units in the registry given by --db (replacing the
    /// month's stored results), for the web pages
    #[arg(long, conflicts_with = "all")]
    save: bool,
    /// Where to write medical.csv
    #[arg(long)]
    medical_out: Option<PathBuf>,
    /// Where to write the units the rules cannot decide (household_id, person_id,
    /// program, missing); default: undecided.csv beside --out
    #[arg(long)]
    undecided_out: Option<PathBuf>,
}

pub fn run(args: EvalArgs) -> anyhow::Result<ExitCode> {
    let month = crate::parse_month(&args.month)?;
    // Beside --out by default; without --out, only where asked.
    let undecided_out = args.undecided_out.clone().or_else(|| {
        args.out.as_ref().map(|out| {
            out.parent()
                .unwrap_or(std::path::Path::new(""))
                .join("undecided.csv")
        })
    });
    // Refused before a long evaluation, not after it.
    for (flag, path) in [
        ("--out", &args.out),
        ("--medical-out", &args.medical_out),
        ("--undecided-out", &undecided_out),
    ] {
        if let Some(path) = path {
            folder_exists(flag, path)?;
        }
    }
    let progress = crate::progress::Bars::new(false);
    let evaluation = match (args.save, args.source.db()) {
        (true, Some(url)) => evaluate_and_store(url, &args.policy, month, &progress)?,
        (true, None) => anyhow::bail!(
            "--save 把结果保存到 --db 给出的数据库，不能与 --data 同用 / --save stores the results in the registry of --db, not with --data"
        ),
        (false, _) => evaluate(
            &args.source.source(),
            &args.policy,
            month,
            args.all,
            &progress,
        )?,
    };
    let outcome = &evaluation.outcome;
    let started = std::time::Instant::now();

    let outputs = minsheng_app::evaluate::output::Outputs {
        results: args.out.as_deref(),
        medical: args.medical_out.as_deref(),
        undecided: undecided_out.as_deref(),
    };
    minsheng_app::evaluate::output::write(outcome, args.all, outputs)?;
    let write = started.elapsed();

    let mut per: BTreeMap<&str, (u64, Fen, u64)> = BTreeMap::new();
    for r in &outcome.results {
        let e = per.entry(r.program.as_str()).or_default();
        e.0 += 1;
        e.1 += r.monthly_amount;
    }
    for u in &outcome.undecided {
        per.entry(u.program.as_str()).or_default().2 += 1;
    }
    println!(
        "{} 年 {} 月 / month {}",
        month.format("%Y"),
        month.format("%m"),
        args.month
    );
    println!(
        "{:<22} {:>10} {:>16} {:>10}",
        "项目 program", "符合 units", "月金额 amount", "无法认定 undecided"
    );
    for (program, (n, amount, undecided)) in &per {
        println!(
            "{program:<22} {n:>10} {:>16} {undecided:>10}",
            amount.to_string()
        );
    }
    if let Some(u) = outcome.undecided.first() {
        println!(
            "无法认定的单位须补齐数据，例如 {} {} {}：缺少 {} / cannot decide: missing columns",
            u.household_id,
            u.person_id.as_deref().unwrap_or(""),
            u.program,
            u.missing.join("、")
        );
    }
    let written: Vec<String> = [&args.out, &args.medical_out, &undecided_out]
        .into_iter()
        .flatten()
        .map(|p| p.display().to_string())
        .collect();
    if !written.is_empty() {
        println!(
            "已写出 / written: {}（无法认定 {} 项 / undecided units）",
            written.join("，"),
            outcome.undecided.len(),
        );
    }
    if let Some(n) = evaluation.stored {
        println!(
            "已保存 {} 条结果至 {} 月 / stored {n} results for month {}（用时 {:.3} 秒 s）",
            n,
            args.month,
            args.month,
            evaluation.save.as_secs_f64()
        );
    }
    let households = evaluation.households as f64;
    let rate = |d: std::time::Duration| households / d.as_secs_f64().max(1e-9);
    println!(
        "{} 户、{} 人、{} 条住院记录 / households, persons, stays",
        evaluation.households, evaluation.persons, evaluation.stays
    );
    for (label, d) in [
        ("读取 load", evaluation.load),
        ("计算 compute", evaluation.compute),
        ("写出 write", write),
    ] {
        println!(
            "{label:<12} {:>8.3} 秒 s {:>14.0} 户/秒 households/s",
            d.as_secs_f64(),
            rate(d)
        );
    }
    Ok(ExitCode::SUCCESS)
}

/// The folder an output file goes into must exist: named with the flag that asked for it.
fn folder_exists(flag: &str, path: &std::path::Path) -> anyhow::Result<()> {
    let folder = match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p,
        _ => return Ok(()),
    };
    if folder.is_dir() {
        return Ok(());
    }
    anyhow::bail!(
        "{flag} {}：文件夹 {} 不存在，请先建立它 / the folder {} does not exist; create it first",
        path.display(),
        folder.display(),
        folder.display()
    )
}
