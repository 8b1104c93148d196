//! `cargo xtask`: the project's automation, written in Rust so that it runs
//! wherever cargo does and needs nothing installed beyond the toolchain (and,
//! for the tests, the PostgreSQL server binaries).
//!
//! - `cargo xtask test [-- <cargo test args>]`: `tidy`, then the whole test
//!   suite against a real PostgreSQL (see [`pg`]). Without arguments it runs
//!   `cargo test --workspace --all-targets` and then the doctests; with
//!   arguments it runs `cargo test <args>` instead.
//! - `cargo xtask tidy`: structural checks of the sources (see [`tidy`]).
//! - `cargo xtask bench-import`: the import benchmark (see [`bench`]).
//! - `cargo xtask bench-eval`: the evaluation benchmark (see [`bench_eval`]).
//! - `cargo xtask bench-web`: the web benchmark (see [`bench_web`]).
//!
//! `cargo xtask` is an alias (`.cargo/config.toml`) for `cargo run --package
//! xtask --`. A new subcommand is a module plus one arm in [`run`]'s match.

mod bench;
mod bench_eval;
mod bench_web;
mod pg;
mod tidy;

use anyhow::{Context, Result, bail};
use std::env;
use std::path::{Path, PathBuf};
use std::process::{Command, ExitCode};

/// The variable the PostgreSQL tests read; they fail, never skip, without it.
const PG_URL_VAR: &str = "MINSHENG_TEST_PG_URL";

const USAGE: &str = "\
usage: cargo xtask <command>

commands:
  test [-- <cargo test args>]  tidy, then the test suite against a throwaway PostgreSQL
                               (or the server in MINSHENG_TEST_PG_URL, if set)
  tidy                         check that every .rs file starts with `//!` docs and
                               has at most 800 lines
  bench-import [--households N] [--no-postgres]
                               the import benchmark of BENCHMARKS.md (default N = 1000000)
  bench-eval [--households N] [--runs N] [--openfisca]
                               the evaluation benchmark of BENCHMARKS.md (--openfisca:
                               each run followed by the OpenFisca yardstick's)
  bench-web [--households N] [--users C] [--seconds D]
                               the web benchmark of BENCHMARKS.md (household page, search)
";

fn main() -> ExitCode {
    // Errors are reported without a backtrace: they are about the environment
    // or the sources, not bugs in xtask.
    run().unwrap_or_else(|err| {
        eprintln!("xtask: error: {err:#}");
        ExitCode::FAILURE
    })
}

fn run() -> Result<ExitCode> {
    let args: Vec<String> = env::args().skip(1).collect();
    let (command, rest) = match args.split_first() {
        Some((command, rest)) => (command.as_str(), rest),
        None => ("help", &[][..]),
    };
    match command {
        "test" => test(rest.strip_prefix(&["--".to_owned()]).unwrap_or(rest)),
        "tidy" if rest.is_empty() => {
            tidy::check(&workspace_root())?;
            Ok(ExitCode::SUCCESS)
        }
        "bench-eval" => {
            let root = workspace_root();
            bench_eval::run(
                &root,
                &target_dir(&root),
                &bench_eval::Options::parse(rest)?,
            )?;
            Ok(ExitCode::SUCCESS)
        }
        "bench-web" => {
            let root = workspace_root();
            bench_web::run(&root, &target_dir(&root), &bench_web::Options::parse(rest)?)?;
            Ok(ExitCode::SUCCESS)
        }
        "bench-import" => {
            let root = workspace_root();
            bench::run(&root, &target_dir(&root), &bench::Options::parse(rest)?)?;
            Ok(ExitCode::SUCCESS)
        }
        "help" | "-h" | "--help" => {
            print!("{USAGE}");
            Ok(ExitCode::SUCCESS)
        }
        _ => bail!(
            "unknown command or arguments: {}\n\n{USAGE}",
            args.join(" ")
        ),
    }
}

/// `cargo xtask test`: returns the exit status of the first failing `cargo test`.
fn test(cargo_test_args: &[String]) -> Result<ExitCode> {
    let root = workspace_root();
    tidy::check(&root)?;

    // Keeps the throwaway cluster (if any) alive until the tests are done;
    // dropping it at the end of this function stops and deletes it.
    let cluster;
    let url = match env::var(PG_URL_VAR) {
        Ok(url) if !url.is_empty() => {
            eprintln!("xtask: using the PostgreSQL server in {PG_URL_VAR}");
            url
        }
        _ => {
            cluster = pg::Cluster::start(&target_dir(&root).join("xtask-pg"))?;
            eprintln!("xtask: throwaway PostgreSQL cluster at {}", cluster.url());
            cluster.url()
        }
    };

    let runs: Vec<Vec<&str>> = if cargo_test_args.is_empty() {
        // `--all-targets` leaves out the doctests, hence a second run.
        vec![
            vec!["--workspace", "--all-targets"],
            vec!["--workspace", "--doc"],
        ]
    } else {
        vec![cargo_test_args.iter().map(String::as_str).collect()]
    };
    let cargo = env::var_os("CARGO").unwrap_or_else(|| "cargo".into());
    for args in runs {
        eprintln!("xtask: cargo test {}", args.join(" "));
        let status = Command::new(&cargo)
            .arg("test")
            .args(&args)
            .env(PG_URL_VAR, &url)
            .current_dir(&root)
            .status()
            .context("running cargo test")?;
        if !status.success() {
            let code = status.code().and_then(|c| u8::try_from(c).ok());
            return Ok(ExitCode::from(code.unwrap_or(1)));
        }
    }
    Ok(ExitCode::SUCCESS)
}

fn workspace_root() -> PathBuf {
    let xtask_dir = Path::new(env!("CARGO_MANIFEST_DIR"));
    xtask_dir
        .parent()
        .expect("xtask lives in the workspace root")
        .to_owned()
}

fn target_dir(root: &Path) -> PathBuf {
    env::var_os("CARGO_TARGET_DIR").map_or_else(|| root.join("target"), |dir| root.join(dir))
}
