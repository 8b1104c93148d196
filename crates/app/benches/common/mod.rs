//! What the benches share: their arguments, the district they measure and the summary
//! line they print.

use std::path::{Path, PathBuf};

/// A bench's run: the district folder, how many times to repeat, the month.
pub struct Setup {
    pub dir: PathBuf,
    pub runs: usize,
    pub month: minsheng_model::Date,
    /// Holds a synthesized district for as long as the bench runs.
    _scratch: tempfile::TempDir,
}

/// `[DIR [RUNS]]` from the command line (`cargo bench` passes `--bench`; the rest are
/// ours). Without a folder: `target/bench/district-1000000` (made by
/// `cargo xtask bench-eval`) when it exists, otherwise 100 000 households synthesized
/// into a temporary folder first.
pub fn setup() -> Setup {
    let args: Vec<String> = std::env::args()
        .skip(1)
        .filter(|a| !a.starts_with("--"))
        .collect();
    let runs: usize = args
        .get(1)
        .map_or(10, |r| r.parse().expect("RUNS is a number"));
    let root = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../..")
        .canonicalize()
        .expect("the workspace folder");
    let month = minsheng_model::Date::from_ymd_opt(2024, 6, 1).expect("a date");
    let scratch = tempfile::tempdir().expect("a temporary folder");
    let dir = match args.first() {
        Some(d) => PathBuf::from(d),
        None if root.join("target/bench/district-1000000").is_dir() => {
            root.join("target/bench/district-1000000")
        }
        None => {
            let dir = scratch.path().join("district");
            let cfg = minsheng_app::synth::SynthConfig {
                households: 100_000,
                seed: 1,
                month,
            };
            minsheng_app::synth::synth_to_dir(&cfg, &dir).expect("a synthetic district");
            dir
        }
    };
    Setup {
        dir,
        runs,
        month,
        _scratch: scratch,
    }
}

/// Prints the minimum, median and maximum of `seconds` for `what` over `households`.
pub fn report(setup: &Setup, what: &str, households: usize, mut seconds: Vec<f64>) {
    seconds.sort_by(f64::total_cmp);
    let (min, median) = (seconds[0], seconds[seconds.len() / 2]);
    println!(
        "{}: {households} households, {} runs: {what} min {min:.3} s, median {median:.3} s, max {:.3} s ({:.0} households/s at the minimum)",
        setup.dir.display(),
        setup.runs,
        seconds[seconds.len() - 1],
        households as f64 / min
    );
}
