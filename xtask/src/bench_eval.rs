//! `cargo xtask bench-eval`: the evaluation benchmark of BENCHMARKS.md.
//!
//! Builds the release binary, uses (or generates) the synthetic district of
//! `bench-import`, and runs `minsheng eval --data` over it `--runs` times, collecting the
//! phase times the command prints (load: read, check and lay out the CSV; compute: the
//! whole reference pack; write: results.csv, medical.csv, undecided.csv), the wall time
//! and the peak memory. It also measures this machine's memory read bandwidth (both
//! cores summing a buffer far larger than the caches) and states how long merely reading
//! the evaluated columns once would take: the bound the compute time is compared with.
//!
//! With `--openfisca`, each run of minsheng is followed by a run of the OpenFisca model of
//! the same rules (`bench/openfisca`: Python, openfisca-core, pandas; its virtualenv made
//! once in `target/openfisca-venv` from PyPI) on the same folder, and the ratio of their
//! wall times is printed: the yardstick, measured on the machine of the day.

use crate::bench::{Timing, district, release_binary, timed_output};
use anyhow::{Context, Result, bail};
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Instant;

/// Bytes per unit of the frame's columns (see `policy::frame`): what an evaluation has
/// to read at least once. Persons: id (16), household (4), sex, relation (1 each),
/// birth date and age (4 each), seven optional values of 1–8 bytes plus their flags,
/// four incomes (9 each), stay range (8). Households: id, region, area, three amounts,
/// member range. Stays: id, person, two dates, level, place, two amounts.
const PERSON_BYTES: u64 = 96;
const HOUSEHOLD_BYTES: u64 = 62;
const STAY_BYTES: u64 = 46;

pub struct Options {
    pub households: u64,
    pub runs: u32,
    /// Alternate with the OpenFisca yardstick.
    pub openfisca: bool,
}

impl Options {
    pub fn parse(args: &[String]) -> Result<Options> {
        let mut o = Options {
            households: 1_000_000,
            runs: 3,
            openfisca: false,
        };
        let mut it = args.iter();
        while let Some(a) = it.next() {
            let mut number = |name: &str| -> Result<u64> {
                it.next()
                    .with_context(|| format!("{name} needs a number"))?
                    .parse()
                    .with_context(|| format!("{name} needs a number"))
            };
            match a.as_str() {
                "--households" => o.households = number("--households")?,
                "--runs" => o.runs = number("--runs")? as u32,
                "--openfisca" => o.openfisca = true,
                other => bail!("bench-eval: unknown argument {other}"),
            }
        }
        Ok(o)
    }
}

/// The seconds printed on the line of `label` ("读取 load   1.234 秒 s …").
fn phase(stdout: &str, label: &str) -> Option<f64> {
    let line = stdout.lines().find(|l| l.starts_with(label))?;
    line[label.len()..].split_whitespace().next()?.parse().ok()
}

/// The counts line: households, persons, stays.
fn counts(stdout: &str) -> Option<[u64; 3]> {
    let line = stdout.lines().find(|l| l.contains("条住院记录"))?;
    let nums: Vec<u64> = line
        .split(|c: char| !c.is_ascii_digit())
        .filter(|s| !s.is_empty())
        .filter_map(|s| s.parse().ok())
        .collect();
    Some([*nums.first()?, *nums.get(1)?, *nums.get(2)?])
}

/// Read bandwidth in bytes per second, both cores summing halves of a 1 GiB buffer,
/// best of five.
fn read_bandwidth() -> f64 {
    let words = 1usize << 27;
    let buf: Vec<u64> = (0..words as u64).collect();
    let mut best = f64::MAX;
    for _ in 0..5 {
        let start = Instant::now();
        let total: u64 = std::thread::scope(|s| {
            let hs: Vec<_> = buf
                .chunks(words / 2)
                .map(|c| s.spawn(move || c.iter().fold(0u64, |a, &x| a.wrapping_add(x))))
                .collect();
            hs.into_iter()
                .map(|h| h.join().unwrap_or(0))
                .fold(0, u64::wrapping_add)
        });
        std::hint::black_box(total);
        best = best.min(start.elapsed().as_secs_f64());
    }
    (words * 8) as f64 / best
}

pub fn run(root: &Path, target: &Path, o: &Options) -> Result<()> {
    let bin = release_binary(root, target)?;
    let data = district(&bin, target, o.households)?;
    let out = target.join("bench").join("eval");
    std::fs::create_dir_all(&out)?;
    let openfisca = o
        .openfisca
        .then(|| OpenFisca::set_up(root, target))
        .transpose()?;
    let bandwidth = read_bandwidth();
    println!(
        "memory read bandwidth (2 threads, 1 GiB): {:.1} GB/s",
        bandwidth / 1e9
    );
    println!();
    println!("| run | load | compute | write | wall | peak memory |");
    println!("|---|---|---|---|---|---|");
    let mut seen = None;
    let mut ratios = Vec::new();
    for run in 1..=o.runs {
        let (t, stdout) = timed_output(
            Command::new(&bin)
                .args(["eval", "--month", "2024-06", "--data"])
                .arg(&data)
                .arg("--out")
                .arg(out.join("results.csv"))
                .arg("--medical-out")
                .arg(out.join("medical.csv"))
                .current_dir(root),
        )?;
        let c = counts(&stdout).context("eval printed no counts line")?;
        let p = |label: &str| phase(&stdout, label).unwrap_or(f64::NAN);
        let (load, compute, write) = (p("读取 load"), p("计算 compute"), p("写出 write"));
        let per_s = |s: f64| c[0] as f64 / s;
        println!(
            "| {run} | {load:.2} s ({:.0} households/s) | {compute:.2} s ({:.0}/s) | {write:.2} s ({:.0}/s) | {:.2} s | {:.0} MiB |",
            per_s(load),
            per_s(compute),
            per_s(write),
            t.seconds,
            t.peak_mib
        );
        seen = Some(c);
        if let Some(of) = &openfisca {
            let yardstick = of.run(&data, &target.join("bench").join("eval-openfisca"))?;
            println!(
                "| {run}, OpenFisca | | | | {:.2} s | {:.0} MiB |",
                yardstick.seconds, yardstick.peak_mib
            );
            ratios.push(yardstick.seconds / t.seconds);
        }
    }
    if let Some([h, p, s]) = seen {
        let bytes = h * HOUSEHOLD_BYTES + p * PERSON_BYTES + s * STAY_BYTES;
        println!();
        println!(
            "{h} households, {p} persons, {s} stays: the evaluated columns are about {} MB; \
             reading them once at {:.1} GB/s takes {:.3} s (the memory-bandwidth bound of compute).",
            bytes / 1_000_000,
            bandwidth / 1e9,
            bytes as f64 / bandwidth
        );
    }
    if !ratios.is_empty() {
        let each: Vec<String> = ratios.iter().map(|r| format!("{r:.1}×")).collect();
        println!(
            "OpenFisca's wall time over minsheng's, run by run: {}",
            each.join(", ")
        );
    }
    Ok(())
}

/// The OpenFisca model of `bench/openfisca`, its virtualenv made.
struct OpenFisca {
    python: PathBuf,
    script: PathBuf,
}

impl OpenFisca {
    /// Makes (once) the virtualenv `target/openfisca-venv` with `bench/openfisca/run.sh`.
    fn set_up(root: &Path, target: &Path) -> Result<OpenFisca> {
        let dir = root.join("bench").join("openfisca");
        let status = Command::new(dir.join("run.sh"))
            .arg("--setup")
            .status()
            .context("running bench/openfisca/run.sh --setup")?;
        if !status.success() {
            bail!(
                "bench/openfisca/run.sh --setup failed ({status}): it needs python3.11 and \
                 PyPI to install bench/openfisca/requirements.txt"
            );
        }
        Ok(OpenFisca {
            python: target.join("openfisca-venv").join("bin").join("python"),
            script: dir.join("run.py"),
        })
    }

    /// One end-to-end run on `data`, its files written into `out`.
    fn run(&self, data: &Path, out: &Path) -> Result<Timing> {
        let (t, _) = timed_output(
            Command::new(&self.python)
                .arg(&self.script)
                .arg(data)
                .args(["--month", "2024-06", "--out"])
                .arg(out.join("results.csv")),
        )?;
        Ok(t)
    }
}
