//! What the caseworker pages read, and the stored results of evaluated months, written
//! once for both backends over [`Sql`] (as [`crate::accounts`] is).
//!
//! Every read that lists households or figures is bounded to a jurisdiction, a region
//! subtree, by a range on the 12-digit code: `region_code >= '510703' AND region_code <
//! '510704'` holds exactly for the codes starting with `510703` ([`upper_bound`]), and an
//! index on `region_code` answers it on both backends (SQLite's `LIKE 'x%'` would not use
//! one). Name prefixes are ranges in the same way, so `%` and `_` are plain characters.

use crate::StoreError;
use crate::accounts::{Param, Sql, SqlRow, corrupt};
use crate::rows::{Cell, Fields, Record};
use minsheng_model::{
    Enrollment, Event, Fen, HospitalStay, Household, HouseholdBundle, Person, RegionCode,
    RegionLevel,
};

/// A household search (see [`crate::Store::search_households`]).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct HouseholdQuery {
    /// What was typed: a household id, an ID number, leading digits of a region code, or
    /// the start of a name.
    pub text: String,
    /// Only households in this region's subtree.
    pub within: RegionCode,
    /// At most this many hits.
    pub limit: u32,
}

/// One household found.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct HouseholdHit {
    pub household_id: String,
    pub region_code: RegionCode,
    /// The name of the head (`None` when the household has no head on record).
    pub head_name: Option<String>,
    /// Persons on record in the household (the deceased included).
    pub members: u32,
}

/// One stored decision of an evaluated month.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct StoredResult {
    pub household_id: String,
    /// `""` for a household-level program.
    pub person_id: String,
    pub program: String,
    /// The household's region.
    pub region_code: RegionCode,
    pub eligible: bool,
    pub monthly_amount: Fen,
}

/// Eligible units and their monthly total for one region and program.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ResultSummaryRow {
    /// The ancestor at the level asked for, as a full 12-digit code.
    pub region: RegionCode,
    pub program: String,
    pub units: u64,
    pub amount: Fen,
}

/// The `Store` methods of this module, each run in one transaction by the backend's
/// `in_transaction` (`true`: a write transaction). One definition for both backends.
macro_rules! delegate_web {
    () => {
        fn household_bundle(
            &mut self,
            id: &str,
        ) -> Result<Option<minsheng_model::HouseholdBundle>, crate::StoreError> {
            self.in_transaction(false, |db| crate::web::household_bundle(db, id))
        }
        fn search_households(
            &mut self,
            q: &crate::HouseholdQuery,
        ) -> Result<Vec<crate::HouseholdHit>, crate::StoreError> {
            self.in_transaction(false, |db| crate::web::search_households(db, q))
        }
        fn replace_results(
            &mut self,
            month: &str,
            rows: &[crate::StoredResult],
        ) -> Result<u64, crate::StoreError> {
            self.in_transaction(true, |db| crate::web::replace_results(db, month, rows))
        }
        fn result_months(&mut self) -> Result<Vec<String>, crate::StoreError> {
            self.in_transaction(false, crate::web::result_months)
        }
        fn household_results(
            &mut self,
            month: &str,
            household_id: &str,
        ) -> Result<Vec<crate::StoredResult>, crate::StoreError> {
            self.in_transaction(false, |db| {
                crate::web::household_results(db, month, household_id)
            })
        }
        fn results_summary(
            &mut self,
            month: &str,
            within: minsheng_model::RegionCode,
            level: minsheng_model::RegionLevel,
        ) -> Result<Vec<crate::ResultSummaryRow>, crate::StoreError> {
            self.in_transaction(false, |db| {
                crate::web::results_summary(db, month, within, level)
            })
        }
        fn results_trend(
            &mut self,
            within: minsheng_model::RegionCode,
        ) -> Result<Vec<(String, String, u64, minsheng_model::Fen)>, crate::StoreError> {
            self.in_transaction(false, |db| crate::web::results_trend(db, within))
        }
    };
}
pub(crate) use delegate_web;

/// The strings just above every string starting with `prefix` (its last character
/// moved one code point up); `None` when nothing is above (an empty prefix, or one
/// ending in U+10FFFF). In byte order — SQLite's BINARY, PostgreSQL's "C" — the strings
/// `s` with `prefix <= s < upper` are exactly those starting with `prefix`.
fn upper_bound(prefix: &str) -> Option<String> {
    let mut chars: Vec<char> = prefix.chars().collect();
    let last = chars.pop()?;
    let mut next = u32::from(last) + 1;
    if (0xD800..0xE000).contains(&next) {
        next = 0xE000;
    }
    chars.push(char::from_u32(next)?);
    Some(chars.into_iter().collect())
}

fn region(table: &'static str, key: &str, text: String) -> Result<RegionCode, StoreError> {
    RegionCode::parse(&text).ok_or_else(|| corrupt(table, key, "region_code", text))
}

fn count(table: &'static str, key: &str, column: &'static str, n: i64) -> Result<u64, StoreError> {
    u64::try_from(n).map_err(|_| corrupt(table, key, column, n.to_string()))
}

/// The records of `R`'s table matching `tail` (`WHERE … ORDER BY …`), decoded.
fn records<R: Record>(
    db: &mut dyn Sql,
    tail: &str,
    params: &[Param<'_>],
) -> Result<Vec<R>, StoreError> {
    let sql = format!(
        "SELECT {} FROM {} {tail}",
        R::DEF.columns.join(", "),
        R::DEF.name
    );
    let mut out = Vec::new();
    db.each_stored(&sql, params, &mut |row| {
        out.push(R::decode(&Fields::new(R::DEF, &row))?);
        Ok(())
    })?;
    Ok(out)
}

pub(crate) fn household_bundle(
    db: &mut dyn Sql,
    id: &str,
) -> Result<Option<HouseholdBundle>, StoreError> {
    let key = [Param::Text(id)];
    let Some(household) = records::<Household>(db, "WHERE household_id = $1", &key)?.pop() else {
        return Ok(None);
    };
    Ok(Some(HouseholdBundle {
        household,
        persons: records::<Person>(db, "WHERE household_id = $1 ORDER BY person_id", &key)?,
        stays: records::<HospitalStay>(
            db,
            "WHERE person_id IN (SELECT person_id FROM persons WHERE household_id = $1) \
             ORDER BY person_id, discharge_date, stay_id",
            &key,
        )?,
        events: records::<Event>(db, "WHERE household_id = $1 ORDER BY date, event_id", &key)?,
        enrollments: records::<Enrollment>(
            db,
            "WHERE household_id = $1 ORDER BY program, person_key",
            &key,
        )?,
    }))
}

/// What a search text asks for, after trimming.
#[derive(Debug, PartialEq, Eq)]
enum Wanted<'a> {
    /// 17 digits and a check character: persons.id_number (an `x` read as `X`).
    IdNumber(String),
    /// Two or more digits: region codes starting with them.
    RegionDigits(&'a str),
    /// The start of a person's name.
    Name(&'a str),
}

fn wanted(text: &str) -> Wanted<'_> {
    let b = text.as_bytes();
    if b.len() == 18
        && b[..17].iter().all(u8::is_ascii_digit)
        && (b[17].is_ascii_digit() || b[17] == b'X' || b[17] == b'x')
    {
        return Wanted::IdNumber(text.to_ascii_uppercase());
    }
    if b.len() >= 2 && b.iter().all(u8::is_ascii_digit) {
        return Wanted::RegionDigits(text);
    }
    Wanted::Name(text)
}

/// Rows a search reads before it prefers a scan in household order to an index range.
const DENSE: i64 = 10_000;

/// Whether `from_where` (`FROM … WHERE …`) matches at least [`DENSE`] rows; reads at
/// most that many index entries.
///
/// The answer only chooses a plan — either plan returns the same households — so it is
/// remembered for the process (a few thousand entries at most): a street's size or a
/// surname's frequency does not change between two searches, and the probe cost about as
/// much as the search itself.
fn dense(db: &mut dyn Sql, from_where: &str, params: &[Param<'_>]) -> Result<bool, StoreError> {
    use std::collections::HashMap;
    use std::sync::{Mutex, OnceLock};
    static SEEN: OnceLock<Mutex<HashMap<String, bool>>> = OnceLock::new();
    let key = format!("{from_where}{params:?}");
    let seen = SEEN.get_or_init(Mutex::default);
    if let Some(&d) = seen.lock().unwrap_or_else(|e| e.into_inner()).get(&key) {
        return Ok(d);
    }
    let d = probe(db, from_where, params)?;
    let mut seen = seen.lock().unwrap_or_else(|e| e.into_inner());
    if seen.len() >= 4096 {
        seen.clear();
    }
    seen.insert(key, d);
    Ok(d)
}

fn probe(db: &mut dyn Sql, from_where: &str, params: &[Param<'_>]) -> Result<bool, StoreError> {
    let mut n = 0;
    db.each(
        &format!("SELECT count(*) FROM (SELECT 1 {from_where} LIMIT {DENSE}) AS probe"),
        params,
        &mut |r| {
            n = r.int(0)?;
            Ok(false)
        },
    )?;
    Ok(n >= DENSE)
}

/// Whether the region prefix `prefix` holds at least [`DENSE`] households.
fn dense_region(db: &mut dyn Sql, prefix: &str) -> Result<bool, StoreError> {
    let (range, upper) = region_range(prefix, 0);
    let mut params = vec![Param::Text(prefix)];
    if let Some(u) = &upper {
        params.push(Param::Text(u));
    }
    dense(db, &format!("FROM households WHERE 1 = 1{range}"), &params)
}

/// The households matching `condition` (on `h`, with placeholders `$1` … `$k` for
/// `params`) within the region prefix `within`, by household id, at most `limit`.
///
/// `by_region`: whether the region range may drive the query through its index. Over a
/// range of many households, sorting them all by id to keep the first few is slow
/// (a quarter of a second for a million); walking the households in id order and
/// stopping at `limit` is then fast, and writing the range as an expression
/// (`region_code || ''`) keeps both backends from using the region index.
fn hits(
    db: &mut dyn Sql,
    condition: &str,
    params: &[Param<'_>],
    within: &str,
    limit: u32,
    by_region: bool,
) -> Result<Vec<HouseholdHit>, StoreError> {
    // SQLite numbers `$n` by first appearance: the condition's come first in the text.
    let (range, upper) = region_range(within, params.len());
    let column = if by_region {
        "h.region_code"
    } else {
        "(h.region_code || '')"
    };
    let mut all: Vec<Param<'_>> = params.to_vec();
    all.push(Param::Text(within));
    if let Some(upper) = &upper {
        all.push(Param::Text(upper));
    }
    all.push(Param::Int(limit.into()));
    let sql = format!(
        "SELECT h.household_id, h.region_code, \
         (SELECT p.name FROM persons p WHERE p.household_id = h.household_id \
          AND p.relation = 'head' ORDER BY p.person_id LIMIT 1), \
         (SELECT count(*) FROM persons p WHERE p.household_id = h.household_id) \
         FROM households h WHERE {condition}{} ORDER BY h.household_id LIMIT ${}",
        range.replace("region_code", column),
        all.len()
    );
    let mut out = Vec::new();
    db.each(&sql, &all, &mut |r: &dyn SqlRow| {
        let id = r.text(0)?;
        let members = count("households", &id, "members", r.int(3)?)?;
        out.push(HouseholdHit {
            region_code: region("households", &id, r.text(1)?)?,
            head_name: r.opt_text(2)?,
            members: u32::try_from(members).unwrap_or(u32::MAX),
            household_id: id,
        });
        Ok(true)
    })?;
    Ok(out)
}

/// Households with a member whose name starts with `name`, driven by whichever of the
/// jurisdiction and the name is narrower (see [`hits`]).
fn by_name(
    db: &mut dyn Sql,
    name: &str,
    within: &str,
    limit: u32,
) -> Result<Vec<HouseholdHit>, StoreError> {
    let Some(upper) = upper_bound(name) else {
        return Ok(Vec::new());
    };
    let params = [Param::Text(name), Param::Text(&upper)];
    let member = "EXISTS (SELECT 1 FROM persons p WHERE p.household_id = h.household_id \
                  AND p.name >= $1 AND p.name < $2)";
    if !dense_region(db, within)? {
        return hits(db, member, &params, within, limit, true);
    }
    let common = dense(db, "FROM persons WHERE name >= $1 AND name < $2", &params)?;
    if common {
        hits(db, member, &params, within, limit, false)
    } else {
        let listed = "h.household_id IN (SELECT p.household_id FROM persons p \
                      WHERE p.name >= $1 AND p.name < $2)";
        hits(db, listed, &params, within, limit, true)
    }
}

pub(crate) fn search_households(
    db: &mut dyn Sql,
    q: &HouseholdQuery,
) -> Result<Vec<HouseholdHit>, StoreError> {
    let text = q.text.trim();
    let within = q.within.prefix();
    if text.is_empty() || q.limit == 0 {
        return Ok(Vec::new());
    }
    // A household id is always worth a key lookup, whatever else the text may be.
    let mut found = hits(
        db,
        "h.household_id = $1",
        &[Param::Text(text)],
        &within,
        q.limit,
        true,
    )?;
    let more = match wanted(text) {
        Wanted::IdNumber(id) => hits(
            db,
            "h.household_id IN (SELECT p.household_id FROM persons p WHERE p.id_number = $1)",
            &[Param::Text(&id)],
            &within,
            q.limit,
            true,
        )?,
        // The narrower of the two prefixes, if one contains the other; else nothing.
        Wanted::RegionDigits(digits) => {
            let narrower = if digits.starts_with(&within) {
                Some(digits)
            } else if within.starts_with(digits) {
                Some(within.as_str())
            } else {
                None
            };
            match narrower.filter(|p| p.len() <= 12) {
                Some(prefix) => {
                    let by_region = !dense_region(db, prefix)?;
                    hits(db, "1 = 1", &[], prefix, q.limit, by_region)?
                }
                None => Vec::new(),
            }
        }
        Wanted::Name(name) => by_name(db, name, &within, q.limit)?,
    };
    found.extend(more);
    found.sort_by(|a, b| a.household_id.cmp(&b.household_id));
    found.dedup_by(|a, b| a.household_id == b.household_id);
    found.truncate(q.limit as usize);
    Ok(found)
}

const RESULT_COLUMNS: [&str; 7] = [
    "month",
    "household_id",
    "person_id",
    "program",
    "region_code",
    "eligible",
    "monthly_amount",
];

pub(crate) fn replace_results(
    db: &mut dyn Sql,
    month: &str,
    rows: &[StoredResult],
) -> Result<u64, StoreError> {
    db.execute(
        "DELETE FROM results WHERE month = $1",
        &[Param::Text(month)],
    )?;
    db.insert_rows("results", &RESULT_COLUMNS, rows.len(), &mut |i, s| {
        let r = &rows[i];
        let region = crate::rows::region_digits(r.region_code);
        s.put(Cell::Text(month))?;
        s.put(Cell::Text(&r.household_id))?;
        s.put(Cell::Text(&r.person_id))?;
        s.put(Cell::Text(&r.program))?;
        s.put(Cell::Text(region.as_str()))?;
        s.put(Cell::Bool(r.eligible))?;
        s.put(Cell::Int(r.monthly_amount.0))
    })
}

/// The latest month with stored results, below `below` if given.
fn latest_month(db: &mut dyn Sql, below: Option<&str>) -> Result<Option<String>, StoreError> {
    let mut m = None;
    let (sql, params) = match below {
        Some(b) => (
            "SELECT max(month) FROM results WHERE month < $1",
            vec![Param::Text(b)],
        ),
        None => ("SELECT max(month) FROM results", Vec::new()),
    };
    db.each(sql, &params, &mut |r| {
        m = r.opt_text(0)?;
        Ok(false)
    })?;
    Ok(m)
}

/// Newest first; each month found by one index seek below the previous one rather than
/// a scan of every stored row.
pub(crate) fn result_months(db: &mut dyn Sql) -> Result<Vec<String>, StoreError> {
    let mut months = Vec::new();
    let mut below = latest_month(db, None)?;
    while let Some(m) = below {
        below = latest_month(db, Some(&m))?;
        months.push(m);
    }
    Ok(months)
}

fn decode_result(r: &dyn SqlRow) -> Result<StoredResult, StoreError> {
    let household_id = r.text(0)?;
    let amount = r.int(5)?;
    if amount < 0 {
        return Err(corrupt(
            "results",
            &household_id,
            "monthly_amount",
            amount.to_string(),
        ));
    }
    Ok(StoredResult {
        person_id: r.text(1)?,
        program: r.text(2)?,
        region_code: region("results", &household_id, r.text(3)?)?,
        eligible: r.flag(4)?,
        monthly_amount: Fen(amount),
        household_id,
    })
}

pub(crate) fn household_results(
    db: &mut dyn Sql,
    month: &str,
    household_id: &str,
) -> Result<Vec<StoredResult>, StoreError> {
    let mut out = Vec::new();
    db.each(
        "SELECT household_id, person_id, program, region_code, eligible, monthly_amount \
         FROM results WHERE month = $1 AND household_id = $2 ORDER BY person_id, program",
        &[Param::Text(month), Param::Text(household_id)],
        &mut |r| {
            out.push(decode_result(r)?);
            Ok(true)
        },
    )?;
    Ok(out)
}

/// `AND region_code >= $a [AND region_code < $b]` for the subtree of the region
/// prefix `within`, numbered after the `n` placeholders already used, and the upper
/// bound to bind as `$b`.
fn region_range(within: &str, n: usize) -> (String, Option<String>) {
    let upper = upper_bound(within);
    let mut sql = format!(" AND region_code >= ${}", n + 1);
    if upper.is_some() {
        sql.push_str(&format!(" AND region_code < ${}", n + 2));
    }
    (sql, upper)
}

pub(crate) fn results_summary(
    db: &mut dyn Sql,
    month: &str,
    within: RegionCode,
    level: RegionLevel,
) -> Result<Vec<ResultSummaryRow>, StoreError> {
    let digits = level.prefix_len();
    let prefix = within.prefix();
    let (range, upper) = region_range(&prefix, 1);
    let mut params = vec![Param::Text(month), Param::Text(&prefix)];
    if let Some(u) = &upper {
        params.push(Param::Text(u));
    }
    // sum(BIGINT) is NUMERIC on PostgreSQL: cast back to the 64-bit fen both read.
    let sql = format!(
        "SELECT substr(region_code, 1, {digits}), program, count(*), \
         CAST(sum(monthly_amount) AS BIGINT) FROM results \
         WHERE month = $1{range} AND eligible \
         GROUP BY substr(region_code, 1, {digits}), program ORDER BY 1, 2"
    );
    let mut out = Vec::new();
    db.each(&sql, &params, &mut |r| {
        let head = r.text(0)?;
        let code = format!("{head:0<12}");
        out.push(ResultSummaryRow {
            region: region("results", month, code)?,
            program: r.text(1)?,
            units: count("results", month, "count", r.int(2)?)?,
            amount: Fen(r.int(3)?),
        });
        Ok(true)
    })?;
    Ok(out)
}

pub(crate) fn results_trend(
    db: &mut dyn Sql,
    within: RegionCode,
) -> Result<Vec<(String, String, u64, Fen)>, StoreError> {
    let prefix = within.prefix();
    let (range, upper) = region_range(&prefix, 0);
    let mut params = vec![Param::Text(&prefix)];
    if let Some(u) = &upper {
        params.push(Param::Text(u));
    }
    let sql = format!(
        "SELECT month, program, count(*), CAST(sum(monthly_amount) AS BIGINT) FROM results \
         WHERE eligible{range} GROUP BY month, program ORDER BY 1, 2"
    );
    let mut out = Vec::new();
    db.each(&sql, &params, &mut |r| {
        let month = r.text(0)?;
        let units = count("results", &month, "count", r.int(2)?)?;
        out.push((month, r.text(1)?, units, Fen(r.int(3)?)));
        Ok(true)
    })?;
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn upper_bounds_close_exactly_the_prefix() {
        assert_eq!(upper_bound("510703").as_deref(), Some("510704"));
        assert_eq!(upper_bound("5109").as_deref(), Some("510:"));
        assert_eq!(upper_bound("张").as_deref(), Some("弡"));
        assert_eq!(upper_bound(""), None);
        assert_eq!(upper_bound("a\u{D7FF}").as_deref(), Some("a\u{E000}"));
        assert_eq!(upper_bound("\u{10FFFF}"), None);
    }

    #[test]
    fn a_search_text_is_read_as_one_kind() {
        assert_eq!(
            wanted("11010519491231002x"),
            Wanted::IdNumber("11010519491231002X".into())
        );
        assert_eq!(wanted("5107"), Wanted::RegionDigits("5107"));
        assert_eq!(wanted("5"), Wanted::Name("5"));
        assert_eq!(wanted("王小"), Wanted::Name("王小"));
        assert_eq!(wanted("H000123"), Wanted::Name("H000123"));
    }
}
