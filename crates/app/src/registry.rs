//! Opening the registry: a store by URL, with the built-in region tree of 绵阳 loaded on
//! first use so that a new database can take households at once.

use crate::error::AppError;
use minsheng_interchange::regions;
use minsheng_model::RegionTable;
use minsheng_store::Store;
use std::path::Path;

/// Opens (creating and migrating if needed) the database at `url` (SQLite path or
/// `postgres://` URL). A database without regions gets the built-in 绵阳 2023 tree.
pub fn open(url: &str) -> Result<Box<dyn Store>, AppError> {
    let mut store = minsheng_store::open(url)?;
    if store.regions()?.is_empty() {
        store.replace_regions(&regions::default_table())?;
    }
    Ok(store)
}

/// Replaces the region tree with a deployment's own file (`code,level,name,parent_code`).
pub fn load_regions(store: &mut dyn Store, file: &Path) -> Result<RegionTable, AppError> {
    let f = std::fs::File::open(file).map_err(|e| AppError::io(file, e))?;
    let table = regions::parse(f, &file.display().to_string())?;
    store.replace_regions(&table)?;
    Ok(table)
}
