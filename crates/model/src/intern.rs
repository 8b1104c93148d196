//! A string interner: each distinct id gets a dense `u32`, stored once. The import's batch
//! check and the evaluator's frame builder keep millions of household and person ids;
//! numbering them keeps their memory to the ids themselves and lets per-id state live in
//! plain vectors.

use hashbrown::{DefaultHashBuilder, HashTable};
use std::hash::BuildHasher;

#[derive(Default)]
pub struct Interner {
    names: Vec<crate::Id>,
    table: HashTable<u32>,
    hasher: DefaultHashBuilder,
}

impl Interner {
    /// The number of `s`, if it has one.
    pub fn get(&self, s: &str) -> Option<u32> {
        let h = self.hasher.hash_one(s);
        self.table
            .find(h, |&i| &*self.names[i as usize] == s)
            .copied()
    }

    /// The number of `s`, giving it the next one if new; `true` when it was new.
    pub fn intern(&mut self, s: &str) -> (u32, bool) {
        let h = self.hasher.hash_one(s);
        if let Some(&i) = self.table.find(h, |&i| &*self.names[i as usize] == s) {
            return (i, false);
        }
        let i = u32::try_from(self.names.len()).expect("fewer than 4 billion ids in one batch");
        self.names.push(crate::Id::new(s));
        let (names, hasher) = (&self.names, &self.hasher);
        self.table
            .insert_unique(h, i, |&j| hasher.hash_one(&*names[j as usize]));
        (i, true)
    }

    pub fn name(&self, i: u32) -> &str {
        &self.names[i as usize]
    }

    /// How many ids have a number.
    pub fn len(&self) -> usize {
        self.names.len()
    }

    pub fn is_empty(&self) -> bool {
        self.names.is_empty()
    }

    /// The ids, indexed by their number.
    pub fn into_names(self) -> Vec<crate::Id> {
        self.names
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_are_dense_and_stable() {
        let mut t = Interner::default();
        assert_eq!(t.intern("H1"), (0, true));
        assert_eq!(t.intern("H2"), (1, true));
        assert_eq!(t.intern("H1"), (0, false));
        assert_eq!(t.get("H2"), Some(1));
        assert_eq!(t.get("H3"), None);
        assert_eq!(t.name(1), "H2");
    }
}
