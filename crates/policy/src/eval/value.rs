//! Values of a formula node over one entity's units, their unknowns, and the kernels
//! (arithmetic, comparisons, three-valued logic, choice) that combine them.
//!
//! A node's value is `Val`: either one known value for every unit (`Val::Const`: a
//! literal, a parameter with one value in the whole district, or what such values make)
//! or a column (`Cells`): one `i64` per unit — a [`Fixed`](crate::fixed::Fixed) raw
//! value for numbers, 0/1 for bools, an interned id for codes — and an optional unknown
//! mask per unit (the input columns whose empty cells keep the value unknown; no mask:
//! every unit known). Where a unit is unknown its value is unspecified and never read.
//!
//! Arithmetic and comparisons are strict (any unknown operand → unknown, masks united);
//! `and`/`or` follow Kleene's logic (`false and unknown = false`, `true or unknown =
//! true`), the semantics the oracle and the policy test cases pin down.
//!
//! Speed: a constant is never spread into a column, a name read twice shares its column
//! (`Rc`), a mask shared by an operand is shared by the result, and the total kernels
//! (comparisons, logic, `min`/`max`, choice) run without branches over slices, which the
//! compiler vectorises. Fallible arithmetic skips unknown units and stops at the first
//! error.

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

/// Unknown bits per unit; `None`: every unit known.
pub(crate) type Mask = Option<Rc<Vec<u32>>>;

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

/// A mask, or none if no unit is unknown.
pub(crate) fn mask_of(m: Vec<u32>) -> Mask {
    m.iter().any(|&b| b != 0).then(|| Rc::new(m))
}

/// The unknowns of either operand.
fn union(a: &Mask, b: &Mask) -> Mask {
    match (a, b) {
        (None, m) | (m, None) => m.clone(),
        (Some(x), Some(y)) if Rc::ptr_eq(x, y) => a.clone(),
        (Some(x), Some(y)) => Some(Rc::new(
            x.iter().zip(y.iter()).map(|(p, q)| p | q).collect(),
        )),
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

impl Lane<u32> for u32 {
    type Iter = std::iter::RepeatN<u32>;
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
            Val::Many(c) => (c.v[i], c.m.as_ref().map_or(0, |m| m[i])),
        }
    }

    /// The unknown bits of unit `i`.
    pub(crate) fn mask(&self, i: usize) -> u32 {
        self.at(i).1
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

    /// The unknown bits of `n` units as a slice.
    pub(crate) fn masks(&self, n: usize) -> std::borrow::Cow<'_, [u32]> {
        match self.mask_ref() {
            None => vec![0; n].into(),
            Some(m) => m[..n].into(),
        }
    }

    /// The values as a column of `n` units.
    pub(crate) fn to_col(&self, n: usize) -> Col {
        match self {
            Val::Const(x) => Col {
                v: vec![*x; n],
                m: vec![0; n],
            },
            Val::Many(c) => Col {
                v: c.v.clone(),
                m: c.m.as_ref().map_or_else(|| vec![0; n], |m| m.to_vec()),
            },
        }
    }

    /// Units of the other entity reading unit `index[j]` of this one.
    pub(crate) fn gather(&self, index: &[u32]) -> Val {
        match self {
            Val::Const(x) => Val::Const(*x),
            Val::Many(c) => Val::many(
                index.iter().map(|&i| c.v[i as usize]).collect(),
                c.m.as_ref()
                    .map(|m| Rc::new(index.iter().map(|&i| m[i as usize]).collect())),
            ),
        }
    }
}

/// `f` on every unit of `n`, unknowns united. `f` must be total: it also runs on the
/// unspecified values of unknown units.
pub(crate) fn total(n: usize, a: &Val, b: &Val, f: impl Fn(i64, i64) -> i64 + Copy) -> Val {
    let v = match (a, b) {
        (Val::Const(x), Val::Const(y)) => return Val::Const(f(*x, *y)),
        (Val::Const(x), Val::Many(c)) => lanes2(n, *x, &c.v[..], f),
        (Val::Many(c), Val::Const(y)) => lanes2(n, &c.v[..], *y, f),
        (Val::Many(c), Val::Many(d)) => lanes2(n, &c.v[..], &d.v[..], f),
    };
    Val::many(v, union(a.mask_ref(), b.mask_ref()))
}

/// `f` on every known unit (unknown ones stay unknown); the first failure is the error.
pub(crate) fn fallible<E>(
    n: usize,
    a: &Val,
    b: &Val,
    f: impl Fn(i64, i64) -> Result<i64, E> + Copy,
) -> Result<Val, E> {
    let m = union(a.mask_ref(), b.mask_ref());
    let v = match (a, b) {
        (Val::Const(x), Val::Const(y)) => return f(*x, *y).map(Val::Const),
        (Val::Const(x), Val::Many(c)) => fallible_masked(n, *x, &c.v[..n], &m, f)?,
        (Val::Many(c), Val::Const(y)) => fallible_masked(n, &c.v[..n], *y, &m, f)?,
        (Val::Many(c), Val::Many(d)) => fallible_masked(n, &c.v[..n], &d.v[..n], &m, f)?,
    };
    Ok(Val::many(v, m))
}

fn fallible_masked<A: Lane<i64>, B: Lane<i64>, E>(
    n: usize,
    a: A,
    b: B,
    m: &Mask,
    f: impl Fn(i64, i64) -> Result<i64, E> + Copy,
) -> Result<Vec<i64>, E> {
    match m {
        None => fallible_lanes(n, a, b, 0u32, f),
        Some(m) => fallible_lanes(n, a, b, &m[..n], f),
    }
}

/// A first pass without early exits (which the compiler can vectorise) notes whether
/// any known unit failed; only then a second pass finds the first failure.
fn fallible_lanes<A: Lane<i64>, B: Lane<i64>, M: Lane<u32>, E>(
    n: usize,
    a: A,
    b: B,
    m: M,
    f: impl Fn(i64, i64) -> Result<i64, E>,
) -> Result<Vec<i64>, E> {
    let mut failed = false;
    let v = a
        .iter(n)
        .zip(b.iter(n))
        .zip(m.iter(n))
        .map(|((x, y), m)| match f(x, y) {
            Ok(r) => r,
            Err(_) => {
                failed |= m == 0;
                0
            }
        })
        .collect();
    if failed {
        for ((x, y), m) in a.iter(n).zip(b.iter(n)).zip(m.iter(n)) {
            if m == 0 {
                f(x, y)?;
            }
        }
    }
    Ok(v)
}

/// Kleene `and` (`dominant` 0) or `or` (`dominant` 1): a known dominant operand decides
/// alone.
pub(crate) fn kleene(n: usize, a: &Val, b: &Val, dominant: i64) -> Val {
    let op = |x: i64, y: i64| if dominant == 0 { x & y } else { x | y };
    match (a, b) {
        (Val::Const(x), other) | (other, Val::Const(x)) => {
            return if *x == dominant {
                Val::Const(dominant)
            } else {
                other.clone()
            };
        }
        (Val::Many(c), Val::Many(d)) if c.m.is_none() && d.m.is_none() => {
            return total(n, a, b, op);
        }
        _ => {}
    }
    let (Val::Many(c), Val::Many(d)) = (a, b) else {
        unreachable!("constants are handled above")
    };
    let (av, bv) = (&c.v[..n], &d.v[..n]);
    let (v, m) = match (&c.m, &d.m) {
        (Some(am), None) => kleene_lanes(n, av, &am[..n], bv, 0u32, dominant),
        (None, Some(bm)) => kleene_lanes(n, av, 0u32, bv, &bm[..n], dominant),
        (Some(am), Some(bm)) => kleene_lanes(n, av, &am[..n], bv, &bm[..n], dominant),
        (None, None) => unreachable!("handled above"),
    };
    Val::many(v, mask_of(m))
}

/// The branch-free Kleene kernel. Values: `a & b` (or `a | b`) is the Kleene value of
/// every unit whose result is known — a known dominant operand gives it whatever the
/// other holds, and two known operands give it exactly; the low bit is kept, since an
/// unknown unit's value is unspecified. Masks: a unit is decided where a known operand is
/// dominant, otherwise it keeps the unknowns of both.
fn kleene_lanes<A: Lane<u32>, B: Lane<u32>>(
    n: usize,
    av: &[i64],
    am: A,
    bv: &[i64],
    bm: B,
    dominant: i64,
) -> (Vec<i64>, Vec<u32>) {
    let v = if dominant == 0 {
        lanes2(n, av, bv, |a, b| a & b & 1)
    } else {
        lanes2(n, av, bv, |a, b| (a | b) & 1)
    };
    // `value ^ flip` is 1 where the value is the dominant one.
    let flip = 1 ^ (dominant as u32 & 1);
    let m = Lane::iter(av, n)
        .zip(am.iter(n))
        .zip(Lane::iter(bv, n).zip(bm.iter(n)))
        .map(|((a, x), (b, y))| {
            let hit_a = u32::from(x == 0) & ((a as u32 ^ flip) & 1);
            let hit_b = u32::from(y == 0) & ((b as u32 ^ flip) & 1);
            // All ones where undecided, zero where decided.
            (x | y) & (hit_a | hit_b).wrapping_sub(1)
        })
        .collect();
    (v, m)
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
            let zeros = vec![0u32; n];
            let (cm, tm, em) = (
                cm.as_deref().map_or(&zeros[..], |m| &m[..]),
                tm.as_deref().map_or(&zeros[..], |m| &m[..]),
                em.as_deref().map_or(&zeros[..], |m| &m[..]),
            );
            // An unknown condition's unknowns, else the picked branch's; as selects.
            let picked = cv
                .iter()
                .zip(tm)
                .zip(em)
                .map(|((&c, &t), &e)| if c == 1 { t } else { e });
            mask_of(
                picked
                    .zip(cm)
                    .map(|(p, &c)| if c != 0 { c } else { p })
                    .collect(),
            )
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
            mask_of(units.iter().map(|u| u.1).collect()),
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
        let and = kleene(9, &a, &b, 0);
        let masks: Vec<u32> = (0..9).map(|i| and.mask(i)).collect();
        assert_eq!(masks, vec![0, 0, 0, 0, 0, 2, 0, 1, 3]);
        let vals: Vec<i64> = (0..5).map(|i| and.at(i).0).collect();
        assert_eq!(vals, vec![0, 0, 0, 0, 1]);
        let or = kleene(9, &a, &b, 1);
        let masks: Vec<u32> = (0..9).map(|i| or.mask(i)).collect();
        assert_eq!(masks, vec![0, 0, 2, 0, 0, 0, 1, 0, 3]);
        let vals: Vec<i64> = (0..5).map(|i| or.at(i).0).collect();
        assert_eq!(vals, vec![0, 1, 0, 1, 1]);
    }

    #[test]
    fn kleene_with_a_constant_or_no_unknowns() {
        let (a, _) = truth_table();
        assert!(matches!(kleene(9, &a, &Val::Const(0), 0), Val::Const(0)));
        assert!(matches!(kleene(9, &Val::Const(1), &a, 1), Val::Const(1)));
        assert_eq!(
            units(&kleene(9, &Val::Const(1), &a, 0), 9),
            units(&a, 9),
            "true and a = a"
        );
        let x = val(&[(0, 0), (1, 0), (1, 0)]);
        let y = val(&[(1, 0), (1, 0), (0, 0)]);
        assert_eq!(
            units(&kleene(3, &x, &y, 0), 3),
            vec![(0, 0), (1, 0), (0, 0)]
        );
        assert_eq!(
            units(&kleene(3, &x, &y, 1), 3),
            vec![(1, 0), (1, 0), (1, 0)]
        );
    }

    #[test]
    fn arithmetic_is_strict() {
        let a = val(&[(2, 0), (2, 4)]);
        let b = val(&[(3, 1), (3, 0)]);
        let s = fallible(2, &a, &b, |x, y| Ok::<_, ()>(x + y)).unwrap();
        assert_eq!(s.mask(0), 1);
        assert_eq!(s.mask(1), 4);
        let k = fallible(1, &val(&[(2, 0)]), &val(&[(3, 0)]), |x, y| {
            Ok::<_, ()>(x + y)
        })
        .unwrap();
        assert_eq!(units(&k, 1), vec![(5, 0)]);
        let c = total(2, &a, &Val::Const(10), |x, y| i64::from(x < y));
        assert_eq!(units(&c, 2), vec![(1, 0), (0, 4)]);
        assert!(matches!(
            total(2, &Val::Const(3), &Val::Const(4), |x, y| x * y),
            Val::Const(12)
        ));
    }

    #[test]
    fn fallible_arithmetic_skips_unknown_units() {
        // The unknown unit's value is garbage that would overflow: it must not be used.
        let a = val(&[(1, 0), (i64::MAX, 8)]);
        let s = fallible(2, &a, &Val::Const(1), |x, y| x.checked_add(y).ok_or(()));
        let s = s.expect("the unknown unit is skipped");
        assert_eq!(s.at(0), (2, 0));
        assert_eq!(s.mask(1), 8);
        let bad = val(&[(i64::MAX, 0)]);
        assert!(fallible(1, &bad, &Val::Const(1), |x, y| x.checked_add(y).ok_or(())).is_err());
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
    fn gather_and_columns() {
        let h = val(&[(7, 0), (8, 4)]);
        let p = h.gather(&[1, 0, 1]);
        assert_eq!(units(&p, 3), vec![(0, 4), (7, 0), (0, 4)]);
        assert_eq!(
            p.to_col(3),
            Col {
                v: vec![8, 7, 8],
                m: vec![4, 0, 4]
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
}
