//! The caseworkers' pages and the public self-check, one module per page.

pub mod audit;
pub mod check;
pub mod dashboard;
pub mod household;
pub mod policy;
pub mod regions;
pub mod search;

use minsheng_model::{RegionCode, RegionLevel};

/// The level one below `level` (a village has none).
pub fn child_level(level: RegionLevel) -> Option<RegionLevel> {
    match level {
        RegionLevel::Province => Some(RegionLevel::City),
        RegionLevel::City => Some(RegionLevel::County),
        RegionLevel::County => Some(RegionLevel::Township),
        RegionLevel::Township => Some(RegionLevel::Village),
        RegionLevel::Village => None,
    }
}

/// A region's name from the table, or its code.
pub fn region_name(state: &crate::state::AppState, code: RegionCode) -> String {
    state
        .regions
        .get(code)
        .map_or_else(|| code.to_string(), |r| r.name.clone())
}

/// The Chinese label of a program of the pack, or its id.
pub fn program_label(state: &crate::state::AppState, id: &str) -> String {
    state
        .pack
        .programs
        .iter()
        .find(|p| p.id == id)
        .map_or_else(|| id.to_owned(), |p| p.label.clone())
}
