//! Values of a formula node over one entity's units, their unknowns, and the kernels
//! (arithmetic, comparisons, three-valued logic, choice) that combine them.
//!
//! A node's value is `Val`: either one known value for every unit (`Val::Const`: a
//! literal, a parameter with one value in the whole district, or what such values make)
//! or a column (`Cells`): one `i64` per unit — a [`Fixed`](crate::fixed::Fixed) raw
//! value for numbers, 0/1 for bools, an interned id for codes — and its unknown units
//! (`Mask`): the few units whose inputs had empty cells, each with the bits of those
//! input columns, in unit order (no mask: every unit known). Where a unit is unknown its
//! value is unspecified and never read.
//!
//! Arithmetic and comparisons are strict (any unknown operand → unknown, masks united);
//! `and`/`or` follow Kleene's logic (`false and unknown = false`, `true or unknown =
//! true`), the semantics the oracle and the policy test cases pin down.
//!
//! Speed: a constant is never spread into a column, a name read twice shares its column
//! (`Rc`), a mask shared by an operand is shared by the result, an arithmetic or
//! comparison result is written over its left operand's column when nothing else holds
//! it (an intermediate value: no fresh column per node), and the kernels run
//! over the values of every unit without branches or masks (which the compiler
//! vectorises); the unknowns are settled apart, by merging the operands' short lists of
//! unknown units (a few in a hundred on real data) instead of a pass over a mask per unit.
//! Fallible arithmetic stops at the first error of a known unit.

use std::rc::Rc;

/// Values and unknown-masks of one entity's units, as the explanations read them.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Col {
    pub v: Vec<i64>,
    pub m: Vec<u32>,
}

impl Col {
    pub fn len(&self) -> usize {
        self.v.len()
    }

    pub fn is_empty(&self) -> bool {
        self.v.is_empty()
    }
}

/// The unknown units of a column in unit order, each with its unknown bits (never 0).
pub(crate) type Unknowns = Vec<(u32, u32)>;

/// A column's unknown units; `None`: every unit known (never an empty list).
pub(crate) type Mask = Option<Rc<Unknowns>>;

/// The mask of a list of unknown units in unit order.
pub(crate) fn sparse(units: Unknowns) -> Mask {
    (!units.is_empty()).then(|| Rc::new(units))
}

/// The mask of per-unit unknown bits (0: known).
pub(crate) fn mask_of(bits: &[u32]) -> Mask {
    sparse(
        bits.iter()
            .enumerate()
            .filter(|(_, b)| **b != 0)
            .map(|(u, &b)| (u as u32, b))
            .collect(),
    )
}

/// The unknown units of a mask (none for `None`).
pub(crate) fn entries(m: &Mask) -> &[(u32, u32)] {
    m.as_deref().map_or(&[], |m| &m[..])
}

/// The unknown bits of unit `u` (0: known), by search.
fn bits_at(m: &Mask, u: usize) -> u32 {
    let m = entries(m);
    m.binary_search_by_key(&(u as u32), |e| e.0)
        .map_or(0, |k| m[k].1)
}

/// Reads the unknown bits of units asked in ascending order, walking the list once.
pub(crate) struct Walk<'a> {
    units: &'a [(u32, u32)],
    at: usize,
}

impl<'a> Walk<'a> {
    pub(crate) fn new(m: &'a Mask) -> Self {
        Walk {
            units: entries(m),
            at: 0,
        }
    }

    /// The unknown bits of unit `u`, no smaller than the unit asked before.
    pub(crate) fn bits(&mut self, u: usize) -> u32 {
        let u = u as u32;
        while self.units.get(self.at).is_some_and(|e| e.0 < u) {
            self.at += 1;
        }
        match self.units.get(self.at) {
            Some(&(v, b)) if v == u => b,
            _ => 0,
        }
    }
}

/// Every unit of either list, in unit order, with its bits in each (0: not listed).
fn merge(a: &[(u32, u32)], b: &[(u32, u32)], mut f: impl FnMut(u32, u32, u32)) {
    let (mut i, mut j) = (0, 0);
    while i < a.len() && j < b.len() {
        let (x, y) = (a[i], b[j]);
        match x.0.cmp(&y.0) {
            std::cmp::Ordering::Less => {
                f(x.0, x.1, 0);
                i += 1;
            }
            std::cmp::Ordering::Greater => {
                f(y.0, 0, y.1);
                j += 1;
            }
            std::cmp::Ordering::Equal => {
                f(x.0, x.1, y.1);
                i += 1;
                j += 1;
            }
        }
    }
    a[i..].iter().for_each(|x| f(x.0, x.1, 0));
    b[j..].iter().for_each(|y| f(y.0, 0, y.1));
}

/// A column of values with its unknowns.
#[derive(Debug, Default)]
pub(crate) struct Cells {
    pub(crate) v: Vec<i64>,
    pub(crate) m: Mask,
}

/// A formula node's value over the units of its entity.
#[derive(Clone, Debug)]
pub(crate) enum Val {
    /// The same known value for every unit.
    Const(i64),
    Many(Rc<Cells>),
}

/// The unknowns of either operand.
pub(crate) fn union(a: &Mask, b: &Mask) -> Mask {
    match (a, b) {
        (None, m) | (m, None) => m.clone(),
        (Some(x), Some(y)) if Rc::ptr_eq(x, y) => a.clone(),
        (Some(x), Some(y)) => {
            let mut out = Vec::with_capacity(x.len() + y.len());
            merge(x, y, |u, p, q| out.push((u, p | q)));
            sparse(out)
        }
    }
}

/// One operand of a kernel (values, or unknown bits): the same everywhere, or a slice of
/// `n`. Kernels zip the operands' iterators, which the compiler vectorises (indexing in
/// a loop it does not always).
trait Lane<T>: Copy {
    type Iter: Iterator<Item = T>;
    fn iter(self, n: usize) -> Self::Iter;
}

impl Lane<i64> for i64 {
    type Iter = std::iter::RepeatN<i64>;
    fn iter(self, n: usize) -> Self::Iter {
        std::iter::repeat_n(self, n)
    }
}

impl<'a, T: Copy> Lane<T> for &'a [T] {
    type Iter = std::iter::Copied<std::slice::Iter<'a, T>>;
    fn iter(self, n: usize) -> Self::Iter {
        self[..n].iter().copied()
    }
}

fn lanes2<A: Lane<i64>, B: Lane<i64>>(
    n: usize,
    a: A,
    b: B,
    f: impl Fn(i64, i64) -> i64,
) -> Vec<i64> {
    a.iter(n).zip(b.iter(n)).map(|(x, y)| f(x, y)).collect()
}

fn lanes3<A: Lane<i64>, B: Lane<i64>, C: Lane<i64>>(
    n: usize,
    a: A,
    b: B,
    c: C,
    f: impl Fn(i64, i64, i64) -> i64,
) -> Vec<i64> {
    a.iter(n)
        .zip(b.iter(n))
        .zip(c.iter(n))
        .map(|((x, y), z)| f(x, y, z))
        .collect()
}

impl Val {
    pub(crate) fn many(v: Vec<i64>, m: Mask) -> Val {
        Val::Many(Rc::new(Cells { v, m }))
    }

    /// The value and the unknown bits of unit `i`.
    pub(crate) fn at(&self, i: usize) -> (i64, u32) {
        match self {
            Val::Const(x) => (*x, 0),
            Val::Many(c) => (c.v[i], bits_at(&c.m, i)),
        }
    }

    /// The value of unit `i` (unspecified where the unit is unknown).
    pub(crate) fn value(&self, i: usize) -> i64 {
        match self {
            Val::Const(x) => *x,
            Val::Many(c) => c.v[i],
        }
    }

    pub(crate) fn mask_ref(&self) -> &Mask {
        const NONE: &Mask = &None;
        match self {
            Val::Const(_) => NONE,
            Val::Many(c) => &c.m,
        }
    }

    /// The values of `n` units as a slice.
    pub(crate) fn values(&self, n: usize) -> std::borrow::Cow<'_, [i64]> {
        match self {
            Val::Const(x) => vec![*x; n].into(),
            Val::Many(c) => c.v[..n].into(),
        }
    }

    /// The unknown bits of each of `n` units.
    pub(crate) fn masks(&self, n: usize) -> Vec<u32> {
        let mut m = vec![0; n];
        for &(u, b) in entries(self.mask_ref()) {
            m[u as usize] = b;
        }
        m
    }

    /// The values as a column of `n` units.
    pub(crate) fn to_col(&self, n: usize) -> Col {
        Col {
            v: self.values(n).into_owned(),
            m: self.masks(n),
        }
    }

    /// Persons reading their household's value: person `j` reads unit `index[j]`, and
    /// `members[h]` are the persons of unit `h` (the same relation, grouped).
    pub(crate) fn gather(&self, index: &[u32], members: &[std::ops::Range<u32>]) -> Val {
        match self {
            Val::Const(x) => Val::Const(*x),
            Val::Many(c) => Val::many(
                index.iter().map(|&i| c.v[i as usize]).collect(),
                c.m.as_ref().and_then(|m| {
                    sparse(
                        m.iter()
                            .flat_map(|&(h, b)| members[h as usize].clone().map(move |p| (p, b)))
                            .collect(),
                    )
                }),
            ),
        }
    }
}

impl Val {
    /// The values of the units at `at` (ascending), with their unknowns: a value of
    /// some of the units, as an evaluation of some households reads the whole frame's.
    pub(crate) fn select(&self, at: &[u32]) -> Val {
        match self {
            Val::Const(x) => Val::Const(*x),
            Val::Many(c) => Val::many(
                at.iter().map(|&u| c.v[u as usize]).collect(),
                sparse(
                    entries(&c.m)
                        .iter()
                        .filter_map(|&(u, b)| at.binary_search(&u).ok().map(|i| (i as u32, b)))
                        .collect(),
                ),
            ),
        }
    }
}

/// `f` on every unit of `n`, unknowns united. `f` must be total: it also runs on the
/// unspecified values of unknown units. The result is written over `a`'s column when
/// nothing else holds it (a formula's intermediate value), else into a fresh one.
pub(crate) fn total(n: usize, a: Val, b: &Val, f: impl Fn(i64, i64) -> i64 + Copy) -> Val {
    let m = union(a.mask_ref(), b.mask_ref());
    with_mask(n, a, b, m, f)
}

/// `f` on every unit of `n`, the result's unknowns `m`; written over `a`'s column as in
/// [`total`].
fn with_mask(n: usize, a: Val, b: &Val, m: Mask, f: impl Fn(i64, i64) -> i64 + Copy) -> Val {
    let v = match (a, b) {
        (Val::Const(x), Val::Const(y)) if m.is_none() => return Val::Const(f(x, *y)),
        (Val::Const(x), Val::Const(y)) => vec![f(x, *y); n],
        (Val::Const(x), Val::Many(d)) => lanes2(n, x, &d.v[..], f),
        (Val::Many(mut c), b) => {
            if let Some(cells) = Rc::get_mut(&mut c) {
                let v = &mut cells.v[..n];
                match b {
                    Val::Const(y) => v.iter_mut().for_each(|x| *x = f(*x, *y)),
                    Val::Many(d) => v
                        .iter_mut()
                        .zip(&d.v[..n])
                        .for_each(|(x, y)| *x = f(*x, *y)),
                }
                cells.m = m;
                return Val::Many(c);
            }
            match b {
                Val::Const(y) => lanes2(n, &c.v[..], *y, f),
                Val::Many(d) => lanes2(n, &c.v[..], &d.v[..], f),
            }
        }
    };
    Val::many(v, m)
}

/// `f` on every known unit (unknown ones stay unknown); the first failure of a known
/// unit is the error. Like [`total`], written over `a`'s column when nothing else holds
/// it.
pub(crate) fn fallible<E>(
    n: usize,
    a: Val,
    b: &Val,
    f: impl Fn(i64, i64) -> Result<i64, E> + Copy,
) -> Result<Val, E> {
    let m = union(a.mask_ref(), b.mask_ref());
    let v = match (a, b) {
        (Val::Const(x), Val::Const(y)) => return f(x, *y).map(Val::Const),
        (Val::Const(x), Val::Many(d)) => fallible_lanes(n, x, &d.v[..n], &m, f)?,
        (Val::Many(mut c), b) => {
            if let Some(cells) = Rc::get_mut(&mut c) {
                match b {
                    Val::Const(y) => fallible_in_place(&mut cells.v[..n], *y, &m, f)?,
                    Val::Many(d) => fallible_in_place(&mut cells.v[..n], &d.v[..n], &m, f)?,
                }
                cells.m = m;
                return Ok(Val::Many(c));
            }
            match b {
                Val::Const(y) => fallible_lanes(n, &c.v[..n], *y, &m, f)?,
                Val::Many(d) => fallible_lanes(n, &c.v[..n], &d.v[..n], &m, f)?,
            }
        }
    };
    Ok(Val::many(v, m))
}

/// [`fallible_lanes`] writing over `a`: a failed unit keeps its value and its place is
/// noted (failures are rare), so that its failure can be told again if it is known.
fn fallible_in_place<B: Lane<i64>, E>(
    a: &mut [i64],
    b: B,
    m: &Mask,
    f: impl Fn(i64, i64) -> Result<i64, E>,
) -> Result<(), E> {
    let n = a.len();
    let mut failed = Vec::new();
    for (u, (x, y)) in a.iter_mut().zip(b.iter(n)).enumerate() {
        match f(*x, y) {
            Ok(r) => *x = r,
            Err(_) => failed.push(u),
        }
    }
    if !failed.is_empty() {
        let mut unknown = Walk::new(m);
        let ys: Vec<i64> = b.iter(n).collect();
        for u in failed {
            if unknown.bits(u) == 0
                && let Err(e) = f(a[u], ys[u])
            {
                return Err(e);
            }
        }
    }
    Ok(())
}

/// A first pass over every unit without early exits (which the compiler can vectorise;
/// a failed unit gets 0) notes whether any failed; only then a second pass finds the
/// first failure of a known unit.
fn fallible_lanes<A: Lane<i64>, B: Lane<i64>, E>(
    n: usize,
    a: A,
    b: B,
    m: &Mask,
    f: impl Fn(i64, i64) -> Result<i64, E>,
) -> Result<Vec<i64>, E> {
    let mut failed = false;
    let v = a
        .iter(n)
        .zip(b.iter(n))
        .map(|(x, y)| match f(x, y) {
            Ok(r) => r,
            Err(_) => {
                failed = true;
                0
            }
        })
        .collect();
    if failed {
        let mut unknown = Walk::new(m);
        for (u, (x, y)) in a.iter(n).zip(b.iter(n)).enumerate() {
            if let Err(e) = f(x, y)
                && unknown.bits(u) == 0
            {
                return Err(e);
            }
        }
    }
    Ok(v)
}

/// Kleene `and` (`dominant` 0) or `or` (`dominant` 1): a known dominant operand decides
/// alone. Written over `a`'s column when nothing else holds it.
pub(crate) fn kleene(n: usize, a: Val, b: &Val, dominant: i64) -> Val {
    let op = move |x: i64, y: i64| if dominant == 0 { x & y } else { x | y };
    if let Val::Const(x) = a {
        return if x == dominant {
            Val::Const(dominant)
        } else {
            b.clone()
        };
    }
    if let Val::Const(x) = *b {
        return if x == dominant {
            Val::Const(dominant)
        } else {
            a
        };
    }
    let (Val::Many(c), Val::Many(d)) = (&a, b) else {
        unreachable!("constants are handled above")
    };
    if c.m.is_none() && d.m.is_none() {
        return total(n, a, b, op);
    }
    let (av, bv) = (&c.v[..n], &d.v[..n]);
    // Unknowns first (they read both operands' values): a unit unknown in either operand
    // is decided where a known operand is dominant, otherwise it keeps the unknowns of
    // both.
    let mut m = Vec::new();
    merge(entries(&c.m), entries(&d.m), |u, x, y| {
        let dominant_in = |bits: u32, v: &[i64]| bits == 0 && v[u as usize] & 1 == dominant;
        if !dominant_in(x, av) && !dominant_in(y, bv) {
            m.push((u, x | y));
        }
    });
    // Values: `a & b` (or `a | b`) is the Kleene value of every unit whose result is
    // known — a known dominant operand gives it whatever the other holds, and two known
    // operands give it exactly; the low bit is kept, since an unknown unit's value is
    // unspecified.
    with_mask(n, a, b, sparse(m), move |x, y| op(x, y) & 1)
}

/// `if c then t else e` per unit; an unknown condition makes the unit unknown.
pub(crate) fn choose(n: usize, c: &Val, t: &Val, e: &Val) -> Val {
    let Val::Many(cc) = c else {
        return if matches!(c, Val::Const(1)) {
            t.clone()
        } else {
            e.clone()
        };
    };
    let cv = &cc.v[..n];
    let pick = |c: i64, t: i64, e: i64| if c == 1 { t } else { e };
    let v = match (t, e) {
        (Val::Const(x), Val::Const(y)) => lanes3(n, cv, *x, *y, pick),
        (Val::Const(x), Val::Many(d)) => lanes3(n, cv, *x, &d.v[..n], pick),
        (Val::Many(d), Val::Const(y)) => lanes3(n, cv, &d.v[..n], *y, pick),
        (Val::Many(d), Val::Many(g)) => lanes3(n, cv, &d.v[..n], &g.v[..n], pick),
    };
    let m = match (&cc.m, t.mask_ref(), e.mask_ref()) {
        (None, None, None) => None,
        (cm, tm, em) => {
            // The picked branch's unknowns, then an unknown condition's over them.
            let mut picked = Vec::new();
            merge(entries(tm), entries(em), |u, x, y| {
                let p = if cv[u as usize] == 1 { x } else { y };
                if p != 0 {
                    picked.push((u, p));
                }
            });
            let mut out = Vec::with_capacity(picked.len());
            merge(entries(cm), &picked, |u, c, p| {
                out.push((u, if c != 0 { c } else { p }));
            });
            sparse(out)
        }
    };
    Val::many(v, m)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn val(units: &[(i64, u32)]) -> Val {
        Val::many(
            units.iter().map(|u| u.0).collect(),
            mask_of(&units.iter().map(|u| u.1).collect::<Vec<_>>()),
        )
    }

    /// Each unit as (value, unknown bits); an unknown unit's value is unspecified: 0 here.
    fn units(v: &Val, n: usize) -> Vec<(i64, u32)> {
        (0..n)
            .map(|i| match v.at(i) {
                (_, m) if m != 0 => (0, m),
                known => known,
            })
            .collect()
    }

    // false, true, unknown(1) × false, true, unknown(2)
    fn truth_table() -> (Val, Val) {
        let a = val(&[
            (0, 0),
            (0, 0),
            (0, 0),
            (1, 0),
            (1, 0),
            (1, 0),
            (0, 1),
            (0, 1),
            (0, 1),
        ]);
        let b = val(&[
            (0, 0),
            (1, 0),
            (0, 2),
            (0, 0),
            (1, 0),
            (0, 2),
            (0, 0),
            (1, 0),
            (0, 2),
        ]);
        (a, b)
    }

    #[test]
    fn kleene_logic_decides_what_it_can() {
        let (a, b) = truth_table();
        let and = kleene(9, a.clone(), &b, 0);
        let masks: Vec<u32> = (0..9).map(|i| and.at(i).1).collect();
        assert_eq!(masks, vec![0, 0, 0, 0, 0, 2, 0, 1, 3]);
        let vals: Vec<i64> = (0..5).map(|i| and.at(i).0).collect();
        assert_eq!(vals, vec![0, 0, 0, 0, 1]);
        let or = kleene(9, a, &b, 1);
        let masks: Vec<u32> = (0..9).map(|i| or.at(i).1).collect();
        assert_eq!(masks, vec![0, 0, 2, 0, 0, 0, 1, 0, 3]);
        let vals: Vec<i64> = (0..5).map(|i| or.at(i).0).collect();
        assert_eq!(vals, vec![0, 1, 0, 1, 1]);
    }

    #[test]
    fn kleene_with_a_constant_or_no_unknowns() {
        let (a, _) = truth_table();
        assert!(matches!(
            kleene(9, a.clone(), &Val::Const(0), 0),
            Val::Const(0)
        ));
        assert!(matches!(kleene(9, Val::Const(1), &a, 1), Val::Const(1)));
        assert_eq!(
            units(&kleene(9, Val::Const(1), &a, 0), 9),
            units(&a, 9),
            "true and a = a"
        );
        let x = val(&[(0, 0), (1, 0), (1, 0)]);
        let y = val(&[(1, 0), (1, 0), (0, 0)]);
        assert_eq!(
            units(&kleene(3, x.clone(), &y, 0), 3),
            vec![(0, 0), (1, 0), (0, 0)]
        );
        assert_eq!(units(&kleene(3, x, &y, 1), 3), vec![(1, 0), (1, 0), (1, 0)]);
    }

    #[test]
    fn arithmetic_is_strict() {
        let a = val(&[(2, 0), (2, 4)]);
        let b = val(&[(3, 1), (3, 0)]);
        let s = fallible(2, a.clone(), &b, |x, y| Ok::<_, ()>(x + y)).unwrap();
        assert_eq!(s.at(0).1, 1);
        assert_eq!(s.at(1).1, 4);
        let k = fallible(1, val(&[(2, 0)]), &val(&[(3, 0)]), |x, y| {
            Ok::<_, ()>(x + y)
        })
        .unwrap();
        assert_eq!(units(&k, 1), vec![(5, 0)]);
        let c = total(2, a.clone(), &Val::Const(10), |x, y| i64::from(x < y));
        assert_eq!(units(&c, 2), vec![(1, 0), (0, 4)]);
        assert!(matches!(
            total(2, Val::Const(3), &Val::Const(4), |x, y| x * y),
            Val::Const(12)
        ));
    }

    #[test]
    fn fallible_arithmetic_skips_unknown_units() {
        // The unknown unit's value is garbage that would overflow: it must not be used.
        let a = val(&[(1, 0), (i64::MAX, 8)]);
        let s = fallible(2, a.clone(), &Val::Const(1), |x, y| {
            x.checked_add(y).ok_or(())
        });
        let s = s.expect("the unknown unit is skipped");
        assert_eq!(s.at(0), (2, 0));
        assert_eq!(s.at(1).1, 8);
        let bad = val(&[(i64::MAX, 0)]);
        assert!(
            fallible(1, bad.clone(), &Val::Const(1), |x, y| x
                .checked_add(y)
                .ok_or(()))
            .is_err()
        );
    }

    #[test]
    fn choice_takes_the_branch_or_the_unknown_condition() {
        let c = val(&[(1, 0), (0, 0), (0, 16)]);
        let t = val(&[(10, 0), (11, 0), (12, 0)]);
        let e = val(&[(20, 2), (21, 0), (22, 0)]);
        assert_eq!(
            units(&choose(3, &c, &t, &e), 3),
            vec![(10, 0), (21, 0), (0, 16)]
        );
        let picked = choose(3, &val(&[(0, 0), (0, 0), (0, 0)]), &t, &e);
        assert_eq!(units(&picked, 3), vec![(0, 2), (21, 0), (22, 0)]);
        assert!(matches!(
            choose(3, &Val::Const(1), &Val::Const(5), &e),
            Val::Const(5)
        ));
    }

    #[test]
    fn select_keeps_the_chosen_units_and_their_unknowns() {
        let v = val(&[(5, 0), (6, 2), (7, 0), (8, 4), (9, 1)]);
        let s = v.select(&[1, 2, 4]);
        assert_eq!(units(&s, 3), vec![(0, 2), (7, 0), (0, 1)]);
        // No unknown among the chosen: no mask at all.
        assert!(v.select(&[0, 2]).mask_ref().is_none());
        assert_eq!(units(&v.select(&[0, 2]), 2), vec![(5, 0), (7, 0)]);
        assert!(matches!(Val::Const(3).select(&[0, 9]), Val::Const(3)));
    }

    #[test]
    fn gather_and_columns() {
        let h = val(&[(7, 0), (8, 4)]);
        // Household 0 has person 0, household 1 persons 1 and 2.
        let p = h.gather(&[0, 1, 1], &[0..1, 1..3]);
        assert_eq!(units(&p, 3), vec![(7, 0), (0, 4), (0, 4)]);
        assert_eq!(
            p.to_col(3),
            Col {
                v: vec![7, 8, 8],
                m: vec![0, 4, 4]
            }
        );
        assert_eq!(
            Val::Const(3).to_col(2),
            Col {
                v: vec![3, 3],
                m: vec![0, 0]
            }
        );
    }

    /// Per-unit definitions, one unit at a time: `None` for unknown (with its bits).
    mod per_unit {
        pub type Unit = (i64, u32);

        pub fn kleene(a: Unit, b: Unit, dominant: i64) -> Unit {
            let decides = |u: Unit| u.1 == 0 && u.0 == dominant;
            if decides(a) || decides(b) {
                (dominant, 0)
            } else if a.1 | b.1 != 0 {
                (0, a.1 | b.1)
            } else {
                (if dominant == 0 { a.0 & b.0 } else { a.0 | b.0 }, 0)
            }
        }

        pub fn choose(c: Unit, t: Unit, e: Unit) -> Unit {
            match c {
                (_, m) if m != 0 => (0, m),
                (1, _) => t,
                _ => e,
            }
        }

        pub fn strict(a: Unit, b: Unit, f: impl Fn(i64, i64) -> i64) -> Unit {
            if a.1 | b.1 != 0 {
                (0, a.1 | b.1)
            } else {
                (f(a.0, b.0), 0)
            }
        }
    }

    /// Units of a bool column: value 0/1, unknown (bits 1, 2 or 4) about one in four.
    fn bools(n: usize) -> impl Strategy<Value = Vec<(i64, u32)>> {
        proptest::collection::vec(
            (
                0i64..2,
                prop_oneof![6 => Just(0u32), 1 => Just(1), 1 => Just(2), 1 => Just(4)],
            ),
            n,
        )
    }

    use proptest::prelude::*;

    proptest! {
        /// The kernels over whole columns (values, then the unknown units merged apart)
        /// give every unit what the definitions give it alone.
        #[test]
        fn kernels_agree_with_the_definitions_unit_by_unit(
            (a, b, c) in (1usize..40).prop_flat_map(|n| (bools(n), bools(n), bools(n)))
        ) {
            let n = a.len();
            let (va, vb, vc) = (val(&a), val(&b), val(&c));
            let clean = |u: (i64, u32)| if u.1 != 0 { (0, u.1) } else { u };
            for dominant in [0, 1] {
                let want: Vec<_> = (0..n).map(|i| clean(per_unit::kleene(a[i], b[i], dominant))).collect();
                // `a`'s column shared (a fresh result), then held by no one else.
                prop_assert_eq!(units(&kleene(n, va.clone(), &vb, dominant), n), want.clone());
                prop_assert_eq!(units(&kleene(n, val(&a), &vb, dominant), n), want);
            }
            let want: Vec<_> = (0..n).map(|i| clean(per_unit::choose(c[i], a[i], b[i]))).collect();
            prop_assert_eq!(units(&choose(n, &vc, &va, &vb), n), want);
            let want: Vec<_> = (0..n).map(|i| per_unit::strict(a[i], b[i], |x, y| x + 2 * y)).collect();
            // `a`'s column shared (a fresh result), then held by no one else (written over).
            for shared in [true, false] {
                let left = || if shared { va.clone() } else { val(&a) };
                prop_assert_eq!(units(&total(n, left(), &vb, |x, y| x + 2 * y), n), want.clone());
                let sum = fallible(n, left(), &vb, |x, y| Ok::<_, ()>(x + 2 * y)).expect("no failure");
                prop_assert_eq!(units(&sum, n), want.clone());
                // A failure only where a unit is unknown is no failure; the first known
                // unit's failure is the error.
                let picky = fallible(n, left(), &vb, |x, y| if x + y == 2 { Err((x, y)) } else { Ok(x - y) });
                let first = (0..n).find(|&i| a[i].1 | b[i].1 == 0 && a[i].0 + b[i].0 == 2);
                prop_assert_eq!(picky.err(), first.map(|i| (a[i].0, b[i].0)));
            }
        }
    }
}
