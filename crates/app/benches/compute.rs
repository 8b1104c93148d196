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
//! The district: see `common::setup`.

#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

mod common;

use minsheng_app::evaluate::{Source, load_frames, load_pack};
use minsheng_app::import::NoProgress;
use std::path::Path;
use std::time::Instant;

fn main() {
    let setup = common::setup();
    let pack_dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../policies/mianyang");
    let (pack, checked) = load_pack(&pack_dir).expect("the reference pack");
    let frames = load_frames(
        &Source::Data(vec![setup.dir.clone()]),
        setup.month,
        &NoProgress,
    )
    .expect("the district loads");
    let households: usize = frames.iter().map(|f| f.households.id.len()).sum();
    let seconds: Vec<f64> = (0..setup.runs)
        .map(|_| {
            let started = Instant::now();
            let outcome = minsheng_policy::eval::evaluate_chunks(&pack, &checked, &frames, false)
                .expect("the pack evaluates");
            let s = started.elapsed().as_secs_f64();
            std::hint::black_box(outcome);
            s
        })
        .collect();
    common::report(&setup, "compute", households, seconds);
}
