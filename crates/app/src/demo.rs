//! The newcomer's one command: a demo district of about 20 000 households in a SQLite
//! file, created on first run and reused afterwards, with the results of
//! [`DEMO_MONTH`] under the reference pack stored in it so the pages have figures.

use crate::error::AppError;
use crate::evaluate::{EvalFailure, evaluate_and_store};
use crate::import::{self, ImportOptions, ImportSummary, NoProgress, Progress};
use minsheng_model::Date;
use minsheng_store::Counts;
use minsheng_synth::SynthConfig;
use std::path::{Path, PathBuf};

/// The seed of the demo district: the same district on every machine.
pub const DEMO_SEED: u64 = 20_240_601;
pub const DEMO_HOUSEHOLDS: u64 = 20_000;

/// The month the demo evaluates and stores: 2024-06.
pub const DEMO_MONTH: Date = match Date::from_ymd_opt(2024, 6, 1) {
    Some(d) => d,
    None => panic!("2024-06-01 is a date"),
};

/// What `demo` did.
#[derive(Debug)]
pub struct DemoOutcome {
    pub db: PathBuf,
    /// `None` when an existing demo database was reused.
    pub imported: Option<ImportSummary>,
    pub counts: Counts,
    /// Result rows stored for the demo month; `None` when the database already had
    /// stored results.
    pub results: Option<u64>,
}

/// Creates (or reuses) the demo database at `db`; evaluates [`DEMO_MONTH`] with the pack
/// in `policy` and stores the results when the database has none.
pub fn demo(
    db: &Path,
    households: u64,
    policy: &Path,
    progress: &dyn Progress,
) -> Result<DemoOutcome, EvalFailure> {
    let url = db.display().to_string();
    if let Some(parent) = db.parent().filter(|p| !p.as_os_str().is_empty()) {
        std::fs::create_dir_all(parent).map_err(|e| AppError::io(parent, e))?;
    }
    let mut store = crate::registry::open(&url)?;
    let mut counts = store.counts().map_err(AppError::from)?;
    let mut imported = None;
    if counts.households == 0 {
        let tmp = db.with_extension("csv.tmp");
        let cfg = SynthConfig {
            households,
            seed: DEMO_SEED,
            ..SynthConfig::default()
        };
        crate::synth::synth_to_dir(&cfg, &tmp)?;
        let summary = import::import(
            store.as_mut(),
            std::slice::from_ref(&tmp),
            ImportOptions::default(),
            progress,
            &mut |_| {},
        )?;
        let _ = std::fs::remove_dir_all(&tmp);
        counts = store.counts().map_err(AppError::from)?;
        imported = Some(summary);
    }
    let mut results = None;
    if store.result_months().map_err(AppError::from)?.is_empty() {
        drop(store);
        let evaluation = evaluate_and_store(&url, policy, DEMO_MONTH, &NoProgress)?;
        results = evaluation.stored;
    }
    Ok(DemoOutcome {
        db: db.to_owned(),
        imported,
        counts,
        results,
    })
}
