//! Households as the caseworker pages see them: one household's page and the search,
//! both bounded by the user's jurisdiction ([`Scope::allows`]) and audited.
//!
//! A household outside the scope is answered exactly like one that does not exist
//! (`None`), so a caseworker cannot learn which ids exist elsewhere; the audit log
//! records the refusal (`denied_household`).

use crate::access::Scope;
use crate::accounts::{Origin, record};
use crate::error::AppError;
use minsheng_model::HouseholdBundle;
use minsheng_store::{HouseholdHit, HouseholdQuery, Store};

/// Audit action of a household page shown.
pub const VIEW: &str = "view_household";
/// Audit action of a household page refused: the household lies outside the scope.
pub const DENIED: &str = "denied_household";
/// Audit action of a household search.
pub const SEARCH: &str = "search";

/// The household `id` with its records, when it exists and lies in `scope`; `None`
/// otherwise, the same for both. Audited `view_household` (target: the id) when shown,
/// `denied_household` when it exists outside the scope; nothing when there is none.
pub fn view(
    store: &mut dyn Store,
    scope: &Scope,
    id: &str,
    origin: &Origin,
) -> Result<Option<HouseholdBundle>, AppError> {
    let Some(bundle) = store.household_bundle(id)? else {
        return Ok(None);
    };
    let region = bundle.household.region_code;
    if !scope.allows(region) {
        record(store, origin, DENIED, id, &format!("region {region}"))?;
        return Ok(None);
    }
    record(store, origin, VIEW, id, "")?;
    Ok(Some(bundle))
}

/// At most `limit` households of `scope` matching `text` (see
/// [`Store::search_households`]), by household id. Audited `search` (target: the text,
/// detail: how many were found).
pub fn search(
    store: &mut dyn Store,
    scope: &Scope,
    text: &str,
    limit: u32,
    origin: &Origin,
) -> Result<Vec<HouseholdHit>, AppError> {
    let mut hits = store.search_households(&HouseholdQuery {
        text: text.to_owned(),
        within: scope.region,
        limit,
    })?;
    // The query is bounded by the scope already; the one check still has the last word.
    hits.retain(|h| scope.allows(h.region_code));
    record(store, origin, SEARCH, text, &format!("{} hits", hits.len()))?;
    Ok(hits)
}
