//! Parameters as the evaluator reads them: each (parameter, region) pair is resolved once
//! per evaluation — shared by all chunks — into a table indexed by region, and a unit
//! reads its value through its household's region index. A district has a few thousand
//! villages and millions of persons, so resolving per unit (or per chunk) would cost
//! more than the arithmetic itself. The medical chain's parameters are resolved the same
//! way, once per region.

use crate::fixed::Fixed;
use crate::frame::Frame;
use crate::medical::{ChainParameters, ChainParams, MissingParameter};
use crate::pack::Pack;
use minsheng_model::{Date, RegionCode};
// Hashed with foldhash, not SipHash: a lookup per household of the district.
use hashbrown::HashMap;
use rayon::prelude::*;
use std::sync::{Arc, Mutex, OnceLock};

/// One parameter's value per region index (`None` where no value is in force), and the
/// one value when every region has the same.
pub(crate) struct ParamTable {
    pub(crate) values: Vec<Option<i64>>,
    pub(crate) uniform: Option<i64>,
}

pub(crate) type Table = Arc<ParamTable>;

/// The regions of an evaluation and the parameter tables resolved so far.
pub(crate) struct ParamTables<'a> {
    pack: &'a Pack,
    month: Date,
    regions: Vec<RegionCode>,
    index: HashMap<RegionCode, u32>,
    tables: Mutex<HashMap<String, Table>>,
    /// The medical chain's parameters by region index, each resolved on first use.
    chain: Vec<OnceLock<Result<ChainParams, MissingParameter>>>,
    chain_parameters: ChainParameters<'a>,
}

impl<'a> ParamTables<'a> {
    /// Tables over the regions of every household of `frames` (all of the same month).
    pub(crate) fn new(pack: &'a Pack, frames: &[Frame]) -> Self {
        let month = frames.first().map_or_else(Date::default, |f| f.month);
        let mut t = ParamTables {
            pack,
            month,
            regions: Vec::new(),
            index: HashMap::new(),
            tables: Mutex::new(HashMap::new()),
            chain: Vec::new(),
            chain_parameters: ChainParameters::of(&pack.parameters),
        };
        // The distinct regions, in code order: each chunk's found on some core, then
        // merged (a lookup per household of the district, on one core, took longer).
        t.regions = frames
            .par_iter()
            .map(|f| {
                let mut r = f.households.region.clone();
                r.sort_unstable();
                r.dedup();
                r
            })
            .reduce(Vec::new, |a, b| union(&a, &b));
        t.index = (0u32..).zip(&t.regions).map(|(k, &r)| (r, k)).collect();
        t.chain = t.regions.iter().map(|_| OnceLock::new()).collect();
        t
    }

    /// Each household's region index.
    pub(crate) fn region_indexes(&self, frame: &Frame) -> Vec<u32> {
        frame
            .households
            .region
            .iter()
            .map(|r| self.index.get(r).copied().unwrap_or(0))
            .collect()
    }

    pub(crate) fn region(&self, k: usize) -> RegionCode {
        self.regions[k]
    }

    pub(crate) fn month(&self) -> Date {
        self.month
    }

    /// Parameter `id` for every region (resolved on first use).
    pub(crate) fn table(&self, id: &str) -> Table {
        if let Some(t) = self.lock().get(id) {
            return t.clone();
        }
        let parameter = self.pack.parameters.get(id);
        let values: Vec<Option<i64>> = self
            .regions
            .iter()
            .map(|&r| {
                parameter?
                    .resolve(self.month, r)
                    .and_then(|r| Fixed::from_decimal(r.value).ok())
                    .map(|f| f.0)
            })
            .collect();
        let uniform = match values.first() {
            Some(&Some(x)) if values.iter().all(|v| *v == Some(x)) => Some(x),
            _ => None,
        };
        let t = Arc::new(ParamTable { values, uniform });
        self.lock().insert(id.to_owned(), t.clone());
        t
    }

    /// The medical chain's parameters for region index `r`.
    pub(crate) fn chain(&self, r: u32) -> &Result<ChainParams, MissingParameter> {
        self.chain[r as usize].get_or_init(|| {
            self.chain_parameters
                .resolve(self.month, self.regions[r as usize])
        })
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, HashMap<String, Table>> {
        lock(&self.tables)
    }
}

/// The union of two ascending lists without repeats, ascending.
fn union<T: Copy + Ord>(a: &[T], b: &[T]) -> Vec<T> {
    let mut m = Vec::with_capacity(a.len() + b.len());
    let (mut i, mut j) = (0, 0);
    while i < a.len() && j < b.len() {
        let next = a[i].min(b[j]);
        i += usize::from(a[i] == next);
        j += usize::from(b[j] == next);
        m.push(next);
    }
    m.extend_from_slice(&a[i..]);
    m.extend_from_slice(&b[j..]);
    m
}

fn lock<T>(m: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    // A panic elsewhere cannot leave a half-written table: insertion is one call.
    m.lock().unwrap_or_else(|e| e.into_inner())
}

#[cfg(test)]
mod tests {
    #[test]
    fn union_keeps_each_value_once_in_order() {
        assert_eq!(
            super::union(&[1, 3, 5], &[2, 3, 6, 7]),
            vec![1, 2, 3, 5, 6, 7]
        );
        assert_eq!(super::union(&[], &[4]), vec![4]);
        assert_eq!(super::union::<u8>(&[], &[]), Vec::<u8>::new());
    }
}
