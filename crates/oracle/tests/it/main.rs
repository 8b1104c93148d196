//! Integration tests of the oracle, through its public API only:
//!
//! - [`cases`]: every policy test case of `policies/mianyang/tests/*.toml` (the worked
//!   examples of reference-rules.md and the branch and boundary cases), read, checked and
//!   compared in full by `minsheng_app::policy_test`, as for the engine;
//! - [`props`]: laws that hold for random registries (the medical columns add up, no
//!   negative amount, sorted unique output, every unit decided or undecided, unknowns never
//!   guessed);
//! - [`district`]: the same laws over a whole synthetic district of 20 000 households.

mod cases;
mod district;
mod laws;
mod props;

use minsheng_model::RegionTable;
use std::sync::OnceLock;

/// The built-in 绵阳 region tree, parsed once.
fn regions() -> &'static RegionTable {
    static T: OnceLock<RegionTable> = OnceLock::new();
    T.get_or_init(minsheng_interchange::regions::default_table)
}
