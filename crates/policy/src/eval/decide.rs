//! From columns to rows: each program's decision for every unit that has a row — eligible
//! (with its amount in whole fen), not eligible (only for `--all`), or undecided (with
//! the input columns it misses) — in the output order: household, then the household's
//! own rows before its persons', then program id. The decisions are made first as small
//! entries and sorted; each row is then made once, in its place (rows carry ids by value:
//! moving them through a sort cost more than deciding them).

use super::paid::Amounts;
use super::value::{Val, Walk};
use super::{Eval, EvalError, ResultRow, Rows, Undecided, builtin, missing};
use crate::check::Item;
use crate::fixed::Fixed;
use crate::pack::Entity;
use minsheng_model::{Fen, Id};

/// What a unit's row says.
#[derive(Clone, Copy)]
enum Decision {
    /// Eligible, with the monthly amount (fen).
    Eligible(i64),
    NotEligible,
    /// Undecided: the unknown bits of the input columns it misses.
    Unknown(u32),
}

/// One row to make: where it goes (household, person number + 1 or 0, program rank),
/// whose it is and what it says.
struct Entry {
    key: (u32, u32, u32),
    household: u32,
    person: Option<u32>,
    /// A program's index, or the programs' count for the medical chain.
    program: u32,
    decision: Decision,
}

/// The rows of an evaluation, each in output order.
pub(crate) struct Decided {
    pub(crate) results: Rows<ResultRow>,
    /// Every decided unit, with `all` (else empty).
    pub(crate) all: Rows<ResultRow>,
    pub(crate) undecided: Rows<Undecided>,
}

/// The rows of an evaluation; `units[k]`: the units of program `k` with a row,
/// ascending; `medical_unknown`: the persons whose medical chain is undecided, with
/// their bits.
pub(crate) fn rows(
    ev: &Eval<'_>,
    units: &[Vec<usize>],
    amounts: &Amounts,
    medical_unknown: &[(usize, u32)],
    all: bool,
) -> Result<Decided, EvalError> {
    let (pack, frame) = (ev.pack, ev.frame);
    // Programs (and the medical chain) by id: the last part of the output order.
    let mut ids: Vec<&str> = pack.programs.iter().map(|p| p.id.as_str()).collect();
    ids.push(builtin::MEDICAL);
    let program_ids: Vec<Id> = ids.iter().map(|id| Id::new(id)).collect();
    let mut by_id: Vec<&str> = ids.clone();
    by_id.sort_unstable();
    let rank: Vec<u32> = ids
        .iter()
        .map(|id| by_id.iter().position(|x| x == id).unwrap_or(0) as u32)
        .collect();
    let mut entries: Vec<Entry> = Vec::new();
    for (k, p) in pack.programs.iter().enumerate() {
        let elig: &Val = &ev.values[&Item::Program(k)];
        // Units ascend: the unknown lists are walked once, not searched per unit.
        let mut elig_unknown = Walk::new(elig.mask_ref());
        let mut amount = amounts.of(k);
        for &u in &units[k] {
            let (household, person) = match p.entity {
                Entity::Household => (u as u32, None),
                Entity::Person => (frame.persons.household[u], Some(u as u32)),
            };
            let (e, unknown) = (elig.value(u), elig_unknown.bits(u));
            let decision = if unknown != 0 {
                Decision::Unknown(unknown)
            } else if e != 1 {
                if !all {
                    continue;
                }
                Decision::NotEligible
            } else if p.amount.is_none() {
                Decision::Eligible(0)
            } else {
                let amount = amount
                    .as_mut()
                    .unwrap_or_else(|| unreachable!("a program with an amount pays"));
                match amount.at(u) {
                    (_, unknown) if unknown != 0 => Decision::Unknown(unknown),
                    (a, _) => {
                        let amount = Fixed(a);
                        Decision::Eligible(amount.to_fen().ok_or_else(|| {
                            EvalError::NotWholeFen {
                                program: p.id.clone(),
                                unit: ev.unit(p.entity, u),
                                amount: amount.to_string(),
                            }
                        })?)
                    }
                }
            };
            entries.push(Entry {
                key: (household, person.map_or(0, |p| p + 1), rank[k]),
                household,
                person,
                program: k as u32,
                decision,
            });
        }
    }
    let medical = pack.programs.len();
    entries.extend(medical_unknown.iter().map(|&(p, bits)| {
        let household = frame.persons.household[p];
        Entry {
            key: (household, p as u32 + 1, rank[medical]),
            household,
            person: Some(p as u32),
            program: medical as u32,
            decision: Decision::Unknown(bits),
        }
    }));
    // Households keep id order and persons id order within them, so the keys sort as
    // the ids do.
    entries.sort_unstable_by_key(|e| e.key);
    let count = |f: fn(&Decision) -> bool| entries.iter().filter(|e| f(&e.decision)).count();
    let mut results = Vec::with_capacity(count(|d| matches!(d, Decision::Eligible(_))));
    let mut every = Vec::with_capacity(if all {
        count(|d| !matches!(d, Decision::Unknown(_)))
    } else {
        0
    });
    let mut undecided = Vec::with_capacity(count(|d| matches!(d, Decision::Unknown(_))));
    // The persons' ids first, in a pass of reads independent of each other: the id
    // column is not in the cache, and its lines are fetched together this way rather
    // than one at a time between the rows made.
    let person_ids: Vec<Option<Id>> = entries
        .iter()
        .map(|e| e.person.map(|p| frame.persons.id[p as usize].clone()))
        .collect();
    for (e, person_id) in entries.iter().zip(person_ids) {
        let household_id = frame.households.id[e.household as usize].clone();
        let program = program_ids[e.program as usize].clone();
        let (eligible, monthly_amount) = match e.decision {
            Decision::Unknown(bits) => {
                undecided.push(Undecided {
                    household_id,
                    person_id,
                    program,
                    missing: missing(bits),
                });
                continue;
            }
            Decision::Eligible(fen) => (true, Fen(fen)),
            Decision::NotEligible => (false, Fen(0)),
        };
        let row = ResultRow {
            household_id,
            person_id,
            program,
            eligible,
            monthly_amount,
        };
        match (eligible, all) {
            (true, true) => {
                results.push(row.clone());
                every.push(row);
            }
            (true, false) => results.push(row),
            (false, _) => every.push(row),
        }
    }
    Ok(Decided {
        results: results.into(),
        all: every.into(),
        undecided: undecided.into(),
    })
}
