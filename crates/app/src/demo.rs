//! The newcomer's one command: a demo district of about 20 000 households in a SQLite
//! file, created on first run and reused afterwards.

use crate::error::AppError;
use crate::import::{self, ImportOptions, ImportSummary, Progress};
use minsheng_store::Counts;
use minsheng_synth::SynthConfig;
use std::path::{Path, PathBuf};

/// The seed of the demo district: the same district on every machine.
pub const DEMO_SEED: u64 = 20_240_601;
pub const DEMO_HOUSEHOLDS: u64 = 20_000;

/// What `demo` did.
#[derive(Debug)]
pub struct DemoOutcome {
    pub db: PathBuf,
    /// `None` when an existing demo database was reused.
    pub imported: Option<ImportSummary>,
    pub counts: Counts,
}

/// Creates (or reuses) the demo database at `db`.
pub fn demo(db: &Path, households: u64, progress: &dyn Progress) -> Result<DemoOutcome, AppError> {
    let url = db.display().to_string();
    if let Some(parent) = db.parent().filter(|p| !p.as_os_str().is_empty()) {
        std::fs::create_dir_all(parent).map_err(|e| AppError::io(parent, e))?;
    }
    let mut store = crate::registry::open(&url)?;
    let counts = store.counts()?;
    if counts.households > 0 {
        return Ok(DemoOutcome {
            db: db.to_owned(),
            imported: None,
            counts,
        });
    }
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
    let counts = store.counts()?;
    Ok(DemoOutcome {
        db: db.to_owned(),
        imported: Some(summary),
        counts,
    })
}
