//! Unknown values (clarification 10): [`Val`] is a value or the set of columns whose empty
//! cells keep it unknown, and the three-valued logic that decides what can be decided.
//!
//! # The semantics
//!
//! Interpretation (clarification 10; the engine must match it):
//!
//! "An empty cell in a column a rule reads makes that unit undecided for the programs that
//! need it … never evaluated as zero." The oracle reads "need" as *the outcome depends on
//! it* in the following mechanical, order-independent sense:
//!
//! - **Arithmetic, comparisons and `if` conditions are strict**: an unknown operand makes
//!   the result unknown, and the missing columns of all unknown operands are united
//!   (`wage + business` with both empty is missing `business_income` and `wage_income`).
//!   An `if` whose condition is known reads only the branch taken: a person who is not
//!   employed has employment cost 0 without reading the standard.
//! - **`and` / `or` / `not` follow Kleene's three-valued logic**: `false ∧ unknown = false`,
//!   `true ∨ unknown = true`; otherwise an unknown operand makes the result unknown, with
//!   the united missing columns of the unknown operands. So a household with 2 houses is
//!   decided *not* dibao even when a member's wage is empty, and a 10-year-old is decided
//!   not dibao_single whatever the household's income; but a household whose only flaw is
//!   an empty wage is undecided for dibao.
//!
//! No case analysis over the possible values of an empty cell is done (an empty
//! `employment` with wage 0 still leaves the employment cost unknown): the rule's text, read
//! operator by operator, decides.

use std::collections::BTreeSet;

/// The columns (interchange-v1 names) whose empty cells keep a value unknown.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Missing(pub BTreeSet<&'static str>);

impl Missing {
    pub fn column(name: &'static str) -> Missing {
        Missing(BTreeSet::from([name]))
    }

    fn union(mut self, o: Missing) -> Missing {
        self.0.extend(o.0);
        self
    }

    /// Column names in byte order, as reported ("cannot decide: missing …").
    pub fn columns(&self) -> Vec<&'static str> {
        self.0.iter().copied().collect()
    }
}

/// A value, or the columns that keep it unknown.
pub type Val<T> = Result<T, Missing>;

/// An optional cell read as a value: `None` (an empty cell) is unknown, never zero.
pub fn cell<T: Copy>(v: Option<T>, column: &'static str) -> Val<T> {
    v.ok_or_else(|| Missing::column(column))
}

/// Both values, or the union of what keeps either unknown (strict).
pub fn both<A, B>(a: Val<A>, b: Val<B>) -> Val<(A, B)> {
    match (a, b) {
        (Ok(a), Ok(b)) => Ok((a, b)),
        (Err(x), Err(y)) => Err(x.union(y)),
        (Err(x), _) | (_, Err(x)) => Err(x),
    }
}

/// Every value, or the union of what keeps any unknown (strict).
pub fn every<T>(vals: impl IntoIterator<Item = Val<T>>) -> Val<Vec<T>> {
    let mut out = Vec::new();
    let mut missing: Option<Missing> = None;
    for v in vals {
        match v {
            Ok(x) => out.push(x),
            Err(m) => missing = Some(missing.map_or(m.clone(), |acc| acc.union(m))),
        }
    }
    missing.map_or(Ok(out), Err)
}

/// Kleene `and`: false if any operand is false; true if all are true; else unknown.
/// `and` of no operands is true.
pub fn and(vals: impl IntoIterator<Item = Val<bool>>) -> Val<bool> {
    let mut missing: Option<Missing> = None;
    for v in vals {
        match v {
            Ok(false) => return Ok(false),
            Ok(true) => {}
            Err(m) => missing = Some(missing.map_or(m.clone(), |acc| acc.union(m))),
        }
    }
    missing.map_or(Ok(true), Err)
}

/// Kleene `or`: true if any operand is true; false if all are false; else unknown.
/// `or` of no operands is false.
pub fn or(vals: impl IntoIterator<Item = Val<bool>>) -> Val<bool> {
    let mut missing: Option<Missing> = None;
    for v in vals {
        match v {
            Ok(true) => return Ok(true),
            Ok(false) => {}
            Err(m) => missing = Some(missing.map_or(m.clone(), |acc| acc.union(m))),
        }
    }
    missing.map_or(Ok(false), Err)
}

/// Kleene `not`.
pub fn not(v: Val<bool>) -> Val<bool> {
    v.map(|b| !b)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn unknown(c: &'static str) -> Val<bool> {
        Err(Missing::column(c))
    }

    #[test]
    fn kleene_tables() {
        assert_eq!(and([Ok(false), unknown("a")]), Ok(false));
        assert_eq!(and([Ok(true), unknown("a")]), unknown("a"));
        assert_eq!(or([Ok(true), unknown("a")]), Ok(true));
        assert_eq!(or([Ok(false), unknown("a")]), unknown("a"));
        assert_eq!(
            and([unknown("b"), unknown("a")]).unwrap_err().columns(),
            vec!["a", "b"]
        );
        assert_eq!(and([]), Ok(true));
        assert_eq!(or([]), Ok(false));
    }

    #[test]
    fn strict_combinations_unite_missing_columns() {
        let a: Val<i32> = Err(Missing::column("x"));
        let b: Val<i32> = Err(Missing::column("y"));
        assert_eq!(both(a, b).unwrap_err().columns(), vec!["x", "y"]);
        assert_eq!(every([Ok(1), Ok(2)]), Ok(vec![1, 2]));
    }
}
