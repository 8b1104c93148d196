//! Integration tests of the synthetic district generator, through its public API only:
//! determinism, the validity of every record, streaming order, and the documented shares.

mod distributions;
mod properties;
mod records;
mod streaming;

use std::sync::OnceLock;

use minsheng_model::{Area, Date, RegionTable, Registry};
use minsheng_synth::{SynthConfig, generate};

/// The built-in 绵阳 region tree, parsed once.
fn regions() -> &'static RegionTable {
    static T: OnceLock<RegionTable> = OnceLock::new();
    T.get_or_init(minsheng_interchange::regions::default_table)
}

fn config(households: u64, seed: u64) -> SynthConfig {
    SynthConfig {
        households,
        seed,
        ..SynthConfig::default()
    }
}

fn run(cfg: &SynthConfig) -> Registry {
    let mut reg = Registry::default();
    generate(cfg, regions(), &mut reg).expect("generation succeeds");
    reg
}

/// 20 000 households (≈ 52 000 persons), generated once and shared by the tests that
/// only read it.
fn sample() -> &'static Registry {
    static R: OnceLock<Registry> = OnceLock::new();
    R.get_or_init(|| run(&config(20_000, 2024)))
}

fn today() -> Date {
    minsheng_synth::DEFAULT_MONTH
}

fn standard_fen(area: Area) -> i64 {
    match area {
        Area::Urban => 61_000,
        Area::Rural => 41_000,
    }
}
