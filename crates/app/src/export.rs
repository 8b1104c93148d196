//! Export: the registry → interchange-v1 CSV files in a folder.

use crate::error::AppError;
use minsheng_interchange::CsvDirWriter;
use minsheng_store::Store;
use std::path::Path;

/// Writes every stored record into `dir` as the five interchange CSV files.
pub fn export(store: &mut dyn Store, dir: &Path) -> Result<(), AppError> {
    let mut w = CsvDirWriter::create(dir).map_err(|e| AppError::io(dir, e))?;
    store.export(&mut w)?;
    w.finish().map_err(|e| AppError::io(dir, e))
}
