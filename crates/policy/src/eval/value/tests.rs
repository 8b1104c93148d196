//! The kernels against the per-unit definitions of strict arithmetic, Kleene logic and
//! `if`.

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
        units(&choose(3, c, &t, e.clone()), 3),
        vec![(10, 0), (21, 0), (0, 16)]
    );
    let picked = choose(3, val(&[(0, 0), (0, 0), (0, 0)]), &t, e.clone());
    assert_eq!(units(&picked, 3), vec![(0, 2), (21, 0), (22, 0)]);
    assert!(matches!(
        choose(3, Val::Const(1), &Val::Const(5), e),
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
        // Over the condition's column, over the other branch's, or into a fresh one.
        prop_assert_eq!(units(&choose(n, val(&c), &va, vb.clone()), n), want.clone());
        prop_assert_eq!(units(&choose(n, vc.clone(), &va, val(&b)), n), want.clone());
        prop_assert_eq!(units(&choose(n, vc.clone(), &va, vb.clone()), n), want);
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
            // An operator's two values: `a`'s held elsewhere, `b`'s written over.
            let right = || if shared { val(&b) } else { vb.clone() };
            let held = va.clone();
            prop_assert_eq!(units(&total_of(n, held.clone(), right(), |x, y| x + 2 * y), n), want.clone());
            let picky = fallible_of(n, held, right(), |x, y| if x + y == 2 { Err((x, y)) } else { Ok(x + 2 * y) });
            match first {
                Some(i) => prop_assert_eq!(picky.err(), Some((a[i].0, b[i].0))),
                None => prop_assert_eq!(units(&picky.expect("no failure"), n), want.clone()),
            }
        }
    }
}
