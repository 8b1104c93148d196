//! The load phase alone (CSV files to frames, on the fast road), repeated in one process
//! and judged on the minimum and the median, as `compute` judges the evaluator.
//!
//! ```sh
//! cargo bench -p minsheng-app --bench load                  # 10 runs
//! cargo bench -p minsheng-app --bench load -- DIR 5         # a district folder, 5 runs
//! ```
//!
//! Every run after the first gets memory the allocator already holds, where a single
//! `minsheng eval` has the kernel zero fresh pages (about a fifth of its load on the
//! project's machine): this measures the decoding and layout work, not that cost.
//! The district: see `common::setup`.

#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

mod common;

use minsheng_app::evaluate::{Source, load_frames};
use minsheng_app::import::NoProgress;
use std::time::Instant;

fn main() {
    let setup = common::setup();
    let source = Source::Data(vec![setup.dir.clone()]);
    let mut households = 0;
    let seconds: Vec<f64> = (0..setup.runs)
        .map(|_| {
            let started = Instant::now();
            let frames =
                load_frames(&source, setup.month, &NoProgress).expect("the district loads");
            let s = started.elapsed().as_secs_f64();
            households = frames.iter().map(|f| f.households.id.len()).sum();
            drop(frames);
            s
        })
        .collect();
    common::report(&setup, "load", households, seconds);
}
