//! Amounts where they are paid. A program's amount is read only for its eligible units —
//! a few in a hundred — so a bulk evaluation computes each program's amount over just
//! the households where one of its units is known to be eligible, and the variables only
//! amounts read ([`Checked::for_amounts`](crate::check::Checked): `increment` …) there
//! too, on demand. Such an evaluation ([`Parent`]) reads the whole frame's values,
//! converted inputs and medical self-pay through its selection; it copies no frame.
//! An evaluation that keeps every column (explanations) computes every amount over every
//! unit instead; the outcome is the same, which the differential and chunk tests hold.
//!
//! An amount that cannot be computed (an overflow, a division by zero) at a unit nobody
//! pays is therefore not an error of the bulk evaluation.

use super::value::{Val, Walk};
use super::{Eval, EvalError, FastMap, Shape};
use crate::check::Item;
use crate::pack::Entity;
use std::borrow::Cow;

/// The whole frame's values as an evaluation of some of its households reads them.
pub(crate) struct Parent<'a> {
    values: &'a FastMap<Item, Val>,
    inputs: &'a FastMap<(Entity, String), Val>,
    pub(crate) medical_self_paid_12m: Val,
    /// The whole frame's index of each evaluated household and person (ascending).
    households: &'a [u32],
    persons: &'a [u32],
}

impl Parent<'_> {
    /// A whole-frame value of `entity` at the evaluated units.
    pub(crate) fn at(&self, entity: Entity, v: &Val) -> Val {
        v.select(match entity {
            Entity::Household => self.households,
            Entity::Person => self.persons,
        })
    }

    /// The whole frame's value of `item`, if computed there.
    pub(crate) fn select(&self, item: Item, entity: Entity) -> Option<Val> {
        Some(self.at(entity, self.values.get(&item)?))
    }

    /// The whole frame's converted input column, if converted there.
    pub(crate) fn input(&self, entity: Entity, name: &str) -> Option<Val> {
        Some(self.at(entity, self.inputs.get(&(entity, name.to_owned()))?))
    }
}

/// One program's amounts, read at units asked in ascending order (each list walked once).
pub(crate) struct AmountsOf<'a> {
    /// The units evaluated (`None`: every unit), and the place of the last one asked.
    units: Option<&'a [u32]>,
    at: usize,
    unknown: Walk<'a>,
    values: &'a Val,
}

impl AmountsOf<'_> {
    /// The amount and its unknown bits at unit `u` (of the program's entity) — a unit
    /// known to be eligible, no smaller than the unit asked before.
    pub(crate) fn at(&mut self, u: usize) -> (i64, u32) {
        let i = match self.units {
            None => u,
            Some(units) => {
                let u = u as u32;
                while units.get(self.at).is_some_and(|&x| x < u) {
                    self.at += 1;
                }
                if units.get(self.at) != Some(&u) {
                    unreachable!("an eligible unit is evaluated");
                }
                self.at
            }
        };
        (self.values.value(i), self.unknown.bits(i))
    }
}

/// Each program's amount, by program index: over every unit, or over the units of the
/// households where it pays (the whole frame's index of each, ascending).
pub(crate) enum Amounts {
    Every(FastMap<usize, Val>),
    Paid(FastMap<usize, (Vec<u32>, Val)>),
}

impl Amounts {
    /// The amounts of program `k`, read at its eligible units in ascending order
    /// (`None`: the program has no amount, or nobody is paid).
    pub(crate) fn of(&self, k: usize) -> Option<AmountsOf<'_>> {
        let (units, values) = match self {
            Amounts::Every(values) => (None, values.get(&k)?),
            Amounts::Paid(values) => {
                let (units, v) = values.get(&k)?;
                (Some(&units[..]), v)
            }
        };
        Some(AmountsOf {
            units,
            at: 0,
            unknown: Walk::new(values.mask_ref()),
            values,
        })
    }

    /// Every amount over every unit (for the columns an explanation keeps; empty when
    /// only paid units were computed).
    pub(crate) fn into_every(self) -> FastMap<usize, Val> {
        match self {
            Amounts::Every(values) => values,
            Amounts::Paid(_) => FastMap::new(),
        }
    }
}

/// Each program's amount over the households of `ev`'s frame where it pays; `units[k]`:
/// the eligible and the undecided units of program `k`, ascending.
pub(crate) fn amounts(ev: &Eval<'_>, units: &[Vec<usize>]) -> Result<Amounts, EvalError> {
    let frame = ev.frame;
    let medical_self_paid_12m = ev
        .medical
        .as_ref()
        .map_or(Val::Const(0), |m| m.self_paid_12m.clone());
    let mut out = FastMap::new();
    for (k, p) in ev.pack.programs.iter().enumerate() {
        let Some(amount) = &p.amount else {
            continue;
        };
        let elig = &ev.values[&Item::Program(k)];
        // The households of the units known to be eligible, each once.
        let mut unknown = Walk::new(elig.mask_ref());
        let mut households: Vec<u32> = units[k]
            .iter()
            .filter(|&&u| elig.value(u) == 1 && unknown.bits(u) == 0)
            .map(|&u| match p.entity {
                Entity::Household => u as u32,
                Entity::Person => frame.persons.household[u],
            })
            .collect();
        households.dedup();
        if households.is_empty() {
            continue;
        }
        let members = |h: &u32| frame.households.members[*h as usize].clone();
        let persons: Vec<u32> = households.iter().flat_map(members).collect();
        // The selected households' members, numbered among the selected persons.
        let mut start = 0;
        let ranges: Vec<std::ops::Range<u32>> = households
            .iter()
            .map(|h| {
                let r = start..start + members(h).len() as u32;
                start = r.end;
                r
            })
            .collect();
        let shape = Shape {
            household_of: Cow::Owned(
                (0u32..)
                    .zip(&ranges)
                    .flat_map(|(k, r)| std::iter::repeat_n(k, r.len()))
                    .collect(),
            ),
            members: Cow::Owned(ranges),
        };
        let region_at = households
            .iter()
            .map(|&h| ev.region_at[h as usize])
            .collect();
        let mut sub = Eval::new(ev.pack, frame, ev.params, region_at);
        sub.shape = shape;
        // The whole frame's code ids, so that its code values read the same here.
        sub.codes = ev.codes.clone();
        sub.parent = Some(Parent {
            values: &ev.values,
            inputs: &ev.inputs,
            medical_self_paid_12m: medical_self_paid_12m.clone(),
            households: &households,
            persons: &persons,
        });
        let v = sub.expr(&amount.expr, p.entity, &p.id)?;
        drop(sub);
        let units = match p.entity {
            Entity::Household => households,
            Entity::Person => persons,
        };
        out.insert(k, (units, v));
    }
    Ok(Amounts::Paid(out))
}
