//! `cargo xtask bench-import`: the import benchmark of BENCHMARKS.md.
//!
//! Generates (once, cached under `target/bench/`) a synthetic district of N households
//! with the release `minsheng synth`, then times, in the same run:
//!
//! 1. the yardstick — sqlite3's own untyped, unvalidated `.import` of the same five CSV
//!    files into a fresh database file;
//! 2. `minsheng import` into a fresh SQLite file (validated, typed, upserted);
//! 3. `minsheng import` into a fresh database of a throwaway PostgreSQL cluster (COPY).
//!
//! Wall time and peak resident memory come from GNU time (`/usr/bin/time -f`). The
//! numbers are printed as a Markdown table to paste into BENCHMARKS.md.

use crate::pg;
use anyhow::{Context, Result, bail};
use std::path::Path;
use std::process::Command;
use std::time::Instant;

/// Options of `bench-import`.
pub struct Options {
    pub households: u64,
    pub postgres: bool,
}

impl Options {
    pub fn parse(args: &[String]) -> Result<Options> {
        let mut o = Options {
            households: 1_000_000,
            postgres: true,
        };
        let mut it = args.iter();
        while let Some(a) = it.next() {
            match a.as_str() {
                "--households" => {
                    o.households = it
                        .next()
                        .context("--households needs a number")?
                        .parse()
                        .context("--households needs a number")?
                }
                "--no-postgres" => o.postgres = false,
                other => bail!("bench-import: unknown argument {other}"),
            }
        }
        Ok(o)
    }
}

/// One timed command: wall seconds and peak RSS in MiB.
pub(crate) struct Timing {
    pub(crate) seconds: f64,
    pub(crate) peak_mib: f64,
}

fn timed(cmd: &mut Command) -> Result<Timing> {
    timed_output(cmd).map(|(t, _)| t)
}

/// Runs `cmd` under GNU time; its timing and standard output.
pub(crate) fn timed_output(cmd: &mut Command) -> Result<(Timing, String)> {
    let out = std::env::temp_dir().join(format!("xtask-time-{}", std::process::id()));
    let program = cmd.get_program().to_owned();
    let args: Vec<_> = cmd.get_args().map(|a| a.to_owned()).collect();
    let start = Instant::now();
    let mut time = Command::new("/usr/bin/time");
    if let Some(dir) = cmd.get_current_dir() {
        time.current_dir(dir);
    }
    let output = time
        .arg("-f")
        .arg("%M")
        .arg("-o")
        .arg(&out)
        .arg(&program)
        .args(&args)
        .stderr(std::process::Stdio::inherit())
        .output()
        .context("running /usr/bin/time (Debian package `time`)")?;
    let seconds = start.elapsed().as_secs_f64();
    if !output.status.success() {
        bail!("{} failed: {}", program.to_string_lossy(), output.status);
    }
    let kib: f64 = std::fs::read_to_string(&out)?
        .trim()
        .lines()
        .last()
        .unwrap_or("0")
        .parse()
        .unwrap_or(0.0);
    let _ = std::fs::remove_file(&out);
    Ok((
        Timing {
            seconds,
            peak_mib: kib / 1024.0,
        },
        String::from_utf8_lossy(&output.stdout).into_owned(),
    ))
}

fn file_rows(path: &Path) -> Result<u64> {
    let text = std::fs::read(path)?;
    Ok(text
        .iter()
        .filter(|&&b| b == b'\n')
        .count()
        .saturating_sub(1) as u64)
}

/// Builds the release binary; its path.
pub(crate) fn release_binary(root: &Path, target: &Path) -> Result<std::path::PathBuf> {
    let cargo = std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into());
    let status = Command::new(&cargo)
        .args(["build", "--release", "-p", "minsheng-cli"])
        .current_dir(root)
        .status()?;
    if !status.success() {
        bail!("cargo build --release failed");
    }
    Ok(target.join("release/minsheng"))
}

/// The synthetic district of `households` households (seed 1) under `target/bench/`,
/// generated on first use.
pub(crate) fn district(bin: &Path, target: &Path, households: u64) -> Result<std::path::PathBuf> {
    let district = target.join("bench").join(format!("district-{households}"));
    if !district.join("enrollments.csv").exists() {
        eprintln!(
            "bench: generating {households} households into {}",
            district.display()
        );
        let t = timed(
            Command::new(bin)
                .args([
                    "synth",
                    "--households",
                    &households.to_string(),
                    "--seed",
                    "1",
                    "--out",
                ])
                .arg(&district),
        )?;
        eprintln!("bench: synth took {:.1} s", t.seconds);
    }
    Ok(district)
}

pub fn run(root: &Path, target: &Path, o: &Options) -> Result<()> {
    let bin = release_binary(root, target)?;
    let work = target.join("bench");
    let district = district(&bin, target, o.households)?;
    let tables = [
        "households",
        "persons",
        "hospital_stays",
        "events",
        "enrollments",
    ];
    let mut bytes = 0u64;
    let mut rows = Vec::new();
    for t in tables {
        let p = district.join(format!("{t}.csv"));
        bytes += std::fs::metadata(&p)?.len();
        rows.push((t, file_rows(&p)?));
    }
    let persons = rows[1].1;

    // 1. The yardstick.
    let yard_db = work.join("yardstick.sqlite");
    let _ = std::fs::remove_file(&yard_db);
    let script: String = tables
        .iter()
        .map(|t| {
            format!(
                ".import {} {t}\n",
                district.join(format!("{t}.csv")).display()
            )
        })
        .collect();
    let script_path = work.join("yardstick.sql");
    std::fs::write(&script_path, format!(".mode csv\n{script}"))?;
    let yard = timed(
        Command::new("sqlite3")
            .arg(&yard_db)
            .arg(format!(".read {}", script_path.display())),
    )?;

    // 2. minsheng into SQLite.
    let db = work.join("minsheng.sqlite");
    for suffix in ["", "-wal", "-shm"] {
        let _ = std::fs::remove_file(format!("{}{suffix}", db.display()));
    }
    let ms = timed(
        Command::new(&bin)
            .arg("import")
            .arg("--db")
            .arg(&db)
            .arg(&district),
    )?;

    // 3. minsheng into PostgreSQL.
    let pg = if o.postgres {
        let cluster = pg::Cluster::start(&target.join("xtask-pg"))?;
        Some(timed(
            Command::new(&bin)
                .arg("import")
                .arg("--db")
                .arg(cluster.url())
                .arg(&district),
        )?)
    } else {
        None
    };

    println!(
        "\n## Import of a {}-household synthetic district\n",
        o.households
    );
    println!(
        "Input: {:.0} MB of CSV; rows: {}.\n",
        bytes as f64 / 1e6,
        rows.iter()
            .map(|(t, n)| format!("{t} {n}"))
            .collect::<Vec<_>>()
            .join(", ")
    );
    println!("| run | wall time | persons/s | peak memory |");
    println!("|---|---|---|---|");
    let line = |name: &str, t: &Timing| {
        println!(
            "| {name} | {:.2} s | {:.0} | {:.0} MiB |",
            t.seconds,
            persons as f64 / t.seconds,
            t.peak_mib
        );
    };
    line("sqlite3 `.import` (yardstick: untyped, unvalidated)", &yard);
    line("`minsheng import` → SQLite", &ms);
    if let Some(pg) = &pg {
        line("`minsheng import` → PostgreSQL (COPY)", pg);
    }
    println!(
        "\nminsheng/SQLite ÷ yardstick = {:.2}×",
        ms.seconds / yard.seconds
    );
    Ok(())
}
