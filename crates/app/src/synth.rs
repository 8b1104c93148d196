//! A synthetic district written as interchange CSV (`minsheng synth`).

use crate::error::AppError;
use minsheng_interchange::{CsvDirWriter, regions};
pub use minsheng_synth::{SynthConfig, SynthSummary};
use std::path::Path;

/// Generates the district described by `cfg` over the built-in 绵阳 regions into `dir`.
pub fn synth_to_dir(cfg: &SynthConfig, dir: &Path) -> Result<SynthSummary, AppError> {
    let table = regions::default_table();
    let mut w = CsvDirWriter::create(dir).map_err(|e| AppError::io(dir, e))?;
    let summary = minsheng_synth::generate(cfg, &table, &mut w).map_err(AppError::Sink)?;
    w.finish().map_err(|e| AppError::io(dir, e))?;
    Ok(summary)
}
