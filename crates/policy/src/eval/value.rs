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

/// Whether nothing else holds `v`'s column (a kernel may write its result over it).
fn writable(v: &Val) -> bool {
    matches!(v, Val::Many(c) if Rc::strong_count(c) == 1 && Rc::weak_count(c) == 0)
}

/// [`total`] of two values of a formula's operator: written over `b`'s column when `a`'s
/// is held elsewhere (a variable's value, an input) and `b`'s is not.
pub(crate) fn total_of(n: usize, a: Val, b: Val, f: impl Fn(i64, i64) -> i64 + Copy) -> Val {
    if !writable(&a) && writable(&b) {
        return total(n, b, &a, move |y, x| f(x, y));
    }
    total(n, a, &b, f)
}

/// [`fallible`] of two values of a formula's operator, written over either column as
/// [`total_of`] is. (The failure told is the same: the first known unit that fails.)
pub(crate) fn fallible_of<E>(
    n: usize,
    a: Val,
    b: Val,
    f: impl Fn(i64, i64) -> Result<i64, E> + Copy,
) -> Result<Val, E> {
    if !writable(&a) && writable(&b) {
        return fallible(n, b, &a, move |y, x| f(x, y));
    }
    fallible(n, a, &b, f)
}

/// `f` on every unit of `n`, the result's unknowns `m`; written over `a`'s column as in
/// [`total`].
fn with_mask(n: usize, a: Val, b: &Val, m: Mask, f: impl Fn(i64, i64) -> i64 + Copy) -> Val {
    let v = match (a, b) {
        // Two constants have no unknowns (`m` is `None`).
        (Val::Const(x), Val::Const(y)) => return Val::Const(f(x, *y)),
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

/// `f(x, b, c)` written over each unit's `x` of `v`.
fn over3<B: Lane<i64>, C: Lane<i64>>(v: &mut [i64], b: B, c: C, f: impl Fn(i64, i64, i64) -> i64) {
    let n = v.len();
    v.iter_mut()
        .zip(b.iter(n))
        .zip(c.iter(n))
        .for_each(|((x, y), z)| *x = f(*x, y, z));
}

/// `if c then t else e` per unit; an unknown condition makes the unit unknown. Written
/// over the condition's column, or else over `e`'s, when nothing else holds it.
pub(crate) fn choose(n: usize, c: Val, t: &Val, e: Val) -> Val {
    let Val::Many(mut cc) = c else {
        return if matches!(c, Val::Const(1)) {
            t.clone()
        } else {
            e
        };
    };
    let cv = &cc.v[..n];
    let pick = |c: i64, t: i64, e: i64| if c == 1 { t } else { e };
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
    if let Some(cells) = Rc::get_mut(&mut cc) {
        let v = &mut cells.v[..n];
        match (t, &e) {
            (Val::Const(x), Val::Const(y)) => over3(v, *x, *y, pick),
            (Val::Const(x), Val::Many(d)) => over3(v, *x, &d.v[..n], pick),
            (Val::Many(d), Val::Const(y)) => over3(v, &d.v[..n], *y, pick),
            (Val::Many(d), Val::Many(g)) => over3(v, &d.v[..n], &g.v[..n], pick),
        }
        cells.m = m;
        return Val::Many(cc);
    }
    let cv = &cc.v[..n];
    if let Val::Many(mut ec) = e {
        if let Some(cells) = Rc::get_mut(&mut ec) {
            let v = &mut cells.v[..n];
            let pick_over_e = |e: i64, c: i64, t: i64| pick(c, t, e);
            match t {
                Val::Const(x) => over3(v, cv, *x, pick_over_e),
                Val::Many(d) => over3(v, cv, &d.v[..n], pick_over_e),
            }
            cells.m = m;
            return Val::Many(ec);
        }
        let v = match t {
            Val::Const(x) => lanes3(n, cv, *x, &ec.v[..n], pick),
            Val::Many(d) => lanes3(n, cv, &d.v[..n], &ec.v[..n], pick),
        };
        return Val::many(v, m);
    }
    let Val::Const(y) = e else {
        unreachable!("a column was handled above")
    };
    let v = match t {
        Val::Const(x) => lanes3(n, cv, *x, y, pick),
        Val::Many(d) => lanes3(n, cv, &d.v[..n], y, pick),
    };
    Val::many(v, m)
}

#[cfg(test)]
mod tests;
