//! Id lists sorted for lookups and uniqueness checks without hash tables: each id as a
//! pair of integers that order as the text does ([`Key`]), found from a cursor that
//! gallops forward (lookups come in id order).

use super::{GiveWay, give_way};
use rayon::prelude::*;
use std::cmp::Ordering;

/// An id's first 15 bytes and its length (16 for any longer id) as two integers, `hi`
/// and `lo`, that order as the id does: bytes past the end count as zero, and where two
/// ids agree on them the shorter is the smaller, as it is as text. For ids of up to 15
/// bytes equal keys mean equal ids; longer ids with equal keys are compared as text.
/// Sorting and looking up by key reads no id through its pointer (a cache miss each:
/// the ids are boxed one by one).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub(super) struct Key {
    hi: u64,
    lo: u64,
}

impl Key {
    pub fn of(id: &str) -> Key {
        let b = id.as_bytes();
        let mut k = [0u8; 16];
        let n = b.len().min(15);
        k[..n].copy_from_slice(&b[..n]);
        k[15] = b.len().min(16) as u8;
        let half = |h: &[u8]| u64::from_be_bytes(h.try_into().expect("eight bytes"));
        Key {
            hi: half(&k[..8]),
            lo: half(&k[8..]),
        }
    }

    /// Whether equal keys mean equal ids (the id has at most 15 bytes).
    fn whole(self) -> bool {
        self.lo & 0xff < 16
    }
}

/// Ids sorted by [`Key`], each with its number, for lookups; `text` gives the id of a
/// number (read only to tell apart long ids with equal keys).
pub(super) struct SortedIds<'a> {
    text: Box<dyn Fn(u32) -> &'a str + Sync + 'a>,
    sorted: Vec<(Key, u32)>,
    /// Whether the ids came in order: the number of the `i`th id in order is `i`.
    pub in_order: bool,
}

impl<'a> SortedIds<'a> {
    /// The ids of `ids` (each read by `id`, numbered by position); gives way on a
    /// repeated id.
    pub fn new<T: Sync>(ids: &'a [T], id: fn(&T) -> &str, what: &str) -> Result<Self, GiveWay> {
        let keys = ids
            .par_iter()
            .enumerate()
            .map(|(n, t)| (Key::of(id(t)), n as u32))
            .collect();
        Self::from_keys(keys, Box::new(move |n| id(&ids[n as usize])), what)
    }

    /// The ids whose keys and numbers are `keys` (in any order) and whose texts `text`
    /// gives; gives way on a repeated id.
    pub fn from_keys(
        keys: Vec<(Key, u32)>,
        text: Box<dyn Fn(u32) -> &'a str + Sync + 'a>,
        what: &str,
    ) -> Result<Self, GiveWay> {
        let mut this = SortedIds {
            text,
            sorted: keys,
            in_order: true,
        };
        if !this
            .sorted
            .is_sorted_by(|a, b| this.order(a, b) == Ordering::Less)
        {
            let mut sorted = std::mem::take(&mut this.sorted);
            sorted.par_sort_unstable_by(|a, b| this.order(a, b));
            this.sorted = sorted;
            this.in_order = false;
        }
        unique(
            &this.sorted,
            |a, b| this.order(a, b) == Ordering::Equal,
            what,
        )?;
        this.in_order &= this.sorted.iter().enumerate().all(|(i, e)| e.1 == i as u32);
        Ok(this)
    }

    /// How many ids there are.
    pub fn len(&self) -> usize {
        self.sorted.len()
    }

    fn text(&self, n: u32) -> &str {
        (self.text)(n)
    }

    /// The order of two entries: by key, then (long ids only) by text.
    fn order(&self, a: &(Key, u32), b: &(Key, u32)) -> Ordering {
        self.compare(a, b.0, || self.text(b.1))
    }

    /// The order of the entry `a` and the id with key `key`, whose text `text` gives
    /// (read only for a long id whose key equals `a`'s).
    fn compare<'t>(&'t self, a: &(Key, u32), key: Key, text: impl FnOnce() -> &'t str) -> Ordering {
        a.0.cmp(&key).then_with(|| {
            if key.whole() {
                Ordering::Equal
            } else {
                self.text(a.1).cmp(text())
            }
        })
    }

    /// The number of `id`. `cursor` is where the last lookup ended: lookups in id order
    /// (persons grouped by household, stays by person) find their id at or a little
    /// after it, so the search gallops forward from there (1, 2, 4 … places) before it
    /// halves, and only an id before the cursor searches the whole list.
    pub fn find(&self, id: &str, cursor: &mut usize) -> Option<u32> {
        let key = Key::of(id);
        let order = |e: &(Key, u32)| self.compare(e, key, || id);
        let len = self.sorted.len();
        let range = match self.sorted.get(*cursor).map(order) {
            Some(Ordering::Equal) => return Some(self.sorted[*cursor].1),
            Some(Ordering::Less) => {
                // `sorted[lo]` is before `id`; `sorted[lo + step]` is not, or is past the end.
                let (mut lo, mut step) = (*cursor, 1);
                while lo + step < len && order(&self.sorted[lo + step]) == Ordering::Less {
                    lo += step;
                    step *= 2;
                }
                lo + 1..(lo + step + 1).min(len)
            }
            _ => 0..len,
        };
        let at = range.start + self.sorted[range].binary_search_by(order).ok()?;
        *cursor = at;
        Some(self.sorted[at].1)
    }
}

/// Gives way when two neighbours of the sorted `v` are equal.
pub(super) fn unique<T: Sync>(
    v: &[T],
    eq: impl Fn(&T, &T) -> bool + Sync,
    what: &str,
) -> Result<(), GiveWay> {
    if v.par_windows(2).any(|w| eq(&w[0], &w[1])) {
        return give_way(format!("{what}: a repeated id"));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    /// Ids around the 15-byte edge, many sharing their first 13 or 14 bytes, with zero
    /// bytes (which pad keys) and characters of several bytes.
    fn ids() -> impl Strategy<Value = Vec<String>> {
        let byte = prop_oneof![Just('\0'), Just('A'), Just('B'), Just('王'), Just('~')];
        let prefix = prop_oneof![Just(""), Just("P000000000000"), Just("P0000000000000")];
        let id = (prefix, proptest::collection::vec(byte, 0..6))
            .prop_map(|(p, c)| p.chars().chain(c).collect());
        proptest::collection::vec(id, 1..40)
    }

    proptest! {
        #[test]
        fn keys_sort_and_find_as_the_text_does(ids in ids()) {
            let mut unique_ids: Vec<String> = ids.clone();
            unique_ids.sort();
            unique_ids.dedup();
            let boxed: Vec<Box<str>> = unique_ids.iter().rev().map(|s| s.as_str().into()).collect();
            let index = SortedIds::new(&boxed, |b| &**b, "ids").unwrap();
            let by_key: Vec<&str> = index.sorted.iter().map(|&(_, n)| index.text(n)).collect();
            prop_assert_eq!(&by_key, &unique_ids);
            // From the start, and from wherever the last lookup ended (before or after).
            let mut cursor = 0;
            for id in &ids {
                let n = index.find(id, &mut 0).unwrap();
                prop_assert_eq!(index.text(n), id.as_str());
                let n = index.find(id, &mut cursor).unwrap();
                prop_assert_eq!(index.text(n), id.as_str());
                prop_assert_eq!(index.text(index.sorted[cursor].1), id.as_str());
            }
            for id in &unique_ids {
                let n = index.find(id, &mut cursor).unwrap();
                prop_assert_eq!(index.text(n), id.as_str());
            }
            prop_assert_eq!(index.find("\u{10FFFF}", &mut 0), None);
            prop_assert_eq!(index.find("\u{10FFFF}", &mut cursor), None);
            prop_assert_eq!(index.find("", &mut cursor).is_some(), unique_ids[0].is_empty());
            if ids.len() > unique_ids.len() {
                let repeated: Vec<Box<str>> = ids.iter().map(|s| s.as_str().into()).collect();
                prop_assert!(SortedIds::new(&repeated, |b| &**b, "ids").is_err());
            }
        }
    }
}
