//! An outcome's rows in order, kept in the parts they were made in (one per chunk of
//! households) rather than moved into one vector: a million-household district has
//! about half a million rows, and one vector of them is fresh memory that the kernel
//! zeroes page by page — on the machines we measured, a fifth of the evaluation's
//! time. Readers iterate the rows, or take the parts to work on them in parallel.

use std::ops::Index;

/// Rows in order, in parts.
#[derive(Clone, Debug)]
pub struct Rows<T> {
    /// Never an empty part.
    parts: Vec<Vec<T>>,
}

impl<T> Default for Rows<T> {
    fn default() -> Self {
        Rows { parts: Vec::new() }
    }
}

impl<T> Rows<T> {
    /// The rows of `parts`, one after the other.
    pub fn from_parts(parts: impl IntoIterator<Item = Vec<T>>) -> Self {
        Rows {
            parts: parts.into_iter().filter(|p| !p.is_empty()).collect(),
        }
    }

    pub fn len(&self) -> usize {
        self.parts.iter().map(Vec::len).sum()
    }

    pub fn is_empty(&self) -> bool {
        self.parts.is_empty()
    }

    pub fn first(&self) -> Option<&T> {
        self.parts.first().and_then(|p| p.first())
    }

    pub fn iter(&self) -> impl DoubleEndedIterator<Item = &T> + Clone {
        self.parts.iter().flatten()
    }

    /// The parts, each a stretch of the rows in order (none empty).
    pub fn parts(&self) -> &[Vec<T>] {
        &self.parts
    }

    /// The parts, moved out.
    pub fn into_parts(self) -> Vec<Vec<T>> {
        self.parts
    }

    /// The rows in one vector.
    pub fn into_vec(self) -> Vec<T> {
        let mut parts = self.parts.into_iter();
        let mut out = parts.next().unwrap_or_default();
        for p in parts {
            out.extend(p);
        }
        out
    }

    /// The rows in order of `key`, keeping the order of equal keys: as they are when each
    /// part is in order and the parts follow each other (no row moved), else sorted in one
    /// vector.
    pub(crate) fn sort_by_key<K: Ord>(self, key: impl Fn(&T) -> &K + Sync) -> Self
    where
        T: Send,
    {
        use rayon::slice::ParallelSliceMut;
        let sorted = self.parts.iter().all(|p| p.is_sorted_by_key(&key))
            && self
                .parts
                .windows(2)
                .all(|w| w[0].last().map(&key) <= w[1].first().map(&key));
        if sorted {
            return self;
        }
        let mut all = self.into_vec();
        all.par_sort_by(|a, b| key(a).cmp(key(b)));
        Rows::from(all)
    }
}

impl<T> From<Vec<T>> for Rows<T> {
    fn from(v: Vec<T>) -> Self {
        Rows::from_parts([v])
    }
}

impl<T> FromIterator<T> for Rows<T> {
    fn from_iter<I: IntoIterator<Item = T>>(iter: I) -> Self {
        Rows::from(iter.into_iter().collect::<Vec<T>>())
    }
}

impl<T: PartialEq> PartialEq for Rows<T> {
    fn eq(&self, other: &Self) -> bool {
        self.len() == other.len() && self.iter().eq(other.iter())
    }
}

impl<T: Eq> Eq for Rows<T> {}

impl<T: PartialEq> PartialEq<Vec<T>> for Rows<T> {
    fn eq(&self, other: &Vec<T>) -> bool {
        self.len() == other.len() && self.iter().eq(other.iter())
    }
}

impl<T> Index<usize> for Rows<T> {
    type Output = T;

    fn index(&self, mut i: usize) -> &T {
        for p in &self.parts {
            if i < p.len() {
                return &p[i];
            }
            i -= p.len();
        }
        panic!("row {i} past the end of the rows");
    }
}

impl<'a, T> IntoIterator for &'a Rows<T> {
    type Item = &'a T;
    type IntoIter = std::iter::Flatten<std::slice::Iter<'a, Vec<T>>>;

    fn into_iter(self) -> Self::IntoIter {
        self.parts.iter().flatten()
    }
}

impl<T> IntoIterator for Rows<T> {
    type Item = T;
    type IntoIter = std::iter::Flatten<std::vec::IntoIter<Vec<T>>>;

    fn into_iter(self) -> Self::IntoIter {
        self.parts.into_iter().flatten()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rows_read_as_one_sequence_whatever_their_parts() {
        let r = Rows::from_parts([vec![1, 2], vec![], vec![3], vec![4, 5]]);
        assert_eq!(r.len(), 5);
        assert_eq!(r.parts().len(), 3, "empty parts are dropped");
        assert_eq!(r.iter().copied().collect::<Vec<_>>(), [1, 2, 3, 4, 5]);
        assert_eq!((r[0], r[2], r[4]), (1, 3, 5));
        assert_eq!(r.first(), Some(&1));
        assert_eq!(r, Rows::from(vec![1, 2, 3, 4, 5]));
        assert_eq!(r, vec![1, 2, 3, 4, 5]);
        assert_ne!(r, vec![1, 2, 3, 4]);
        assert_eq!(r.clone().into_vec(), [1, 2, 3, 4, 5]);
        assert!(Rows::<i32>::from_parts([vec![], vec![]]).is_empty());
    }

    #[test]
    fn sorting_keeps_parts_in_order_and_sorts_the_rest_stably() {
        let in_order = Rows::from_parts([vec![(1, 'a'), (2, 'b')], vec![(2, 'c'), (5, 'd')]]);
        let kept = in_order.clone().sort_by_key(|r| &r.0);
        assert_eq!(kept.parts().len(), 2, "nothing moved");
        assert_eq!(kept, in_order);
        let crossed = Rows::from_parts([vec![(3, 'a'), (4, 'b')], vec![(1, 'c'), (3, 'd')]]);
        let sorted = crossed.sort_by_key(|r| &r.0);
        assert_eq!(sorted, vec![(1, 'c'), (3, 'a'), (3, 'd'), (4, 'b')]);
    }
}
