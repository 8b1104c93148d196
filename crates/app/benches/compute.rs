//! The compute phase alone, repeated in one process: `minsheng eval` measures load,
//! compute and write once per run, and this machine's timings vary by a fifth from run
//! to run, so a change to the evaluator is judged here on the minimum and the median of
//! many evaluations of the same frames.
//!
//! ```sh
//! cargo bench -p minsheng-app --bench compute                  # 10 runs
//! cargo bench -p minsheng-app --bench compute -- DIR 20        # a district folder, 20 runs
//! ```
//!
//! Without a folder it uses `target/bench/district-1000000` (made by
//! `cargo xtask bench-eval`) when it exists, otherwise it synthesizes 100 000 households
//! into a temporary folder first.

#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

use minsheng_app::evaluate::{Source, load_frames, load_pack};
use minsheng_app::import::NoProgress;
use std::path::{Path, PathBuf};
use std::time::Instant;

fn main() {
    // `cargo bench` passes `--bench`; the rest are ours.
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
    let (pack, checked) = load_pack(&root.join("policies/mianyang")).expect("the reference pack");
    let frames = load_frames(&Source::Data(vec![dir.clone()]), month, &NoProgress)
        .expect("the district loads");
    let households: usize = frames.iter().map(|f| f.households.id.len()).sum();
    let mut seconds: Vec<f64> = (0..runs)
        .map(|_| {
            let started = Instant::now();
            let outcome = minsheng_policy::eval::evaluate_chunks(&pack, &checked, &frames, false)
                .expect("the pack evaluates");
            let s = started.elapsed().as_secs_f64();
            std::hint::black_box(outcome);
            s
        })
        .collect();
    seconds.sort_by(f64::total_cmp);
    let (min, median) = (seconds[0], seconds[seconds.len() / 2]);
    println!(
        "{}: {households} households, {runs} runs: compute min {min:.3} s, median {median:.3} s, max {:.3} s ({:.0} households/s at the minimum)",
        dir.display(),
        seconds[seconds.len() - 1],
        households as f64 / min
    );
}
