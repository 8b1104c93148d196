//! Evaluation: a checked pack over the population of one month, column by column.
//!
//! Variables and programs are computed in the checked order, each as one value over its
//! entity's units (`value::Val`: a constant, or a column with unknown-masks; the
//! explanations read them as [`value::Col`]). The outcome has the shape of
//! `results.csv` (eligible units), the `--all` rows, the undecided units with the input
//! columns that kept them undecided, and `medical.csv`. Amounts are computed where they
//! are paid ([`paid`]) unless every column is kept.

mod builtin;
mod decide;
mod expr;
mod hoist;
mod paid;
mod params;
mod rows;
pub mod value;

pub use rows::Rows;

use crate::check::{Checked, HOUSEHOLD_INPUTS, Item, PERSON_INPUTS};
use crate::fixed::FixedError;
use crate::frame::Frame;
use crate::pack::{Entity, Pack};
use minsheng_model::{Fen, Id};
use std::borrow::Cow;
use std::collections::HashMap;
use std::ops::Range;
/// The evaluator's own maps (names, columns, codes: looked up per formula node of every
/// chunk), hashed with foldhash rather than SipHash.
type FastMap<K, V> = hashbrown::HashMap<K, V>;
use value::{Col, Val};

/// One row of `results.csv` (or of the `--all` output).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ResultRow {
    pub household_id: Id,
    pub person_id: Option<Id>,
    pub program: Id,
    pub eligible: bool,
    pub monthly_amount: Fen,
}

/// A unit the rules cannot decide: "cannot decide: missing `<columns>`".
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Undecided {
    pub household_id: Id,
    pub person_id: Option<Id>,
    pub program: Id,
    /// Input columns (interchange names), in byte order.
    pub missing: Vec<&'static str>,
}

/// One row of `medical.csv`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct MedicalRow {
    pub stay_id: Id,
    pub person_id: Id,
    pub basic_paid: Fen,
    pub critical_paid: Fen,
    pub assistance_paid: Fen,
    pub local_fund_paid: Fen,
    pub self_paid: Fen,
}

/// What an evaluation produced.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Outcome {
    /// Eligible units, by (household, person or "", program).
    pub results: Rows<ResultRow>,
    /// Every decided unit, eligible or not, in the same order.
    pub all: Rows<ResultRow>,
    pub undecided: Rows<Undecided>,
    /// Stays of M's year up to the end of M, by (person, discharge date, stay id).
    pub medical: Rows<MedicalRow>,
}

/// Why an evaluation could not run.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum EvalError {
    #[error(
        "参数 {id} 在区划 {region} 于 {month} 没有可用的取值 / no value of the parameter for this region and month"
    )]
    NoParameter {
        id: String,
        region: String,
        month: String,
    },
    #[error("计算 {owner} 时（{unit}）：{source}")]
    Arithmetic {
        owner: String,
        unit: String,
        source: FixedError,
    },
    #[error(
        "项目 {program} 对 {unit} 的金额 {amount} 不是整分，请在公式中用 round 指定取舍 / the amount is not whole fen"
    )]
    NotWholeFen {
        program: String,
        unit: String,
        amount: String,
    },
    #[error(transparent)]
    Medical(#[from] crate::medical::MissingParameter),
    #[error("医疗救助类别 {value:?} 应为 tekun、dibao、edge 或 none / unknown medical category")]
    MedicalCategory { value: String },
}

/// The names of the unknown-mask bits: person inputs, then household inputs.
pub(crate) fn bit_names() -> impl Iterator<Item = &'static str> {
    PERSON_INPUTS
        .iter()
        .chain(HOUSEHOLD_INPUTS)
        .map(|(n, _)| *n)
}

/// The input columns named by an unknown-mask, in byte order.
pub(crate) fn missing(mask: u32) -> Vec<&'static str> {
    // Every bit's name with its bit, in byte order of the names, built once.
    static BY_NAME: std::sync::LazyLock<Vec<(&'static str, u32)>> =
        std::sync::LazyLock::new(|| {
            let mut v: Vec<_> = bit_names().zip((0..32).map(|i| 1u32 << i)).collect();
            v.sort_unstable();
            v
        });
    BY_NAME
        .iter()
        .filter(|(_, b)| mask & b != 0)
        .map(|(n, _)| *n)
        .collect()
}

/// Interned code strings (`'urban'`, `'tekun'` …) as `i64` ids. Shared, not copied, by
/// the evaluations of some households of a frame ([`paid`]), which read the frame's ids
/// and rarely meet a new code (then they make their own copy).
#[derive(Clone, Default)]
pub(crate) struct Codes(std::rc::Rc<CodeTable>);

#[derive(Clone, Default)]
struct CodeTable {
    ids: FastMap<String, i64>,
    names: Vec<String>,
}

impl Codes {
    pub(crate) fn id(&mut self, s: &str) -> i64 {
        if let Some(&i) = self.0.ids.get(s) {
            return i;
        }
        let t = std::rc::Rc::make_mut(&mut self.0);
        let i = t.names.len() as i64;
        t.names.push(s.to_owned());
        t.ids.insert(s.to_owned(), i);
        i
    }

    pub(crate) fn name(&self, id: i64) -> &str {
        self.0.names.get(id as usize).map_or("", String::as_str)
    }

    /// How many codes are interned (their ids are `0..len`).
    pub(crate) fn len(&self) -> usize {
        self.0.names.len()
    }

    fn into_names(self) -> Vec<String> {
        std::rc::Rc::try_unwrap(self.0).map_or_else(|shared| shared.names.clone(), |t| t.names)
    }
}

/// How the evaluated units hang together: each person's household and each household's
/// persons, as indexes among the evaluated units (a whole frame's own, or those of some
/// of its households: [`paid`]).
pub(crate) struct Shape<'a> {
    pub(crate) household_of: Cow<'a, [u32]>,
    pub(crate) members: Cow<'a, [Range<u32>]>,
}

impl<'a> Shape<'a> {
    fn of(frame: &'a Frame) -> Self {
        Shape {
            household_of: Cow::Borrowed(&frame.persons.household),
            members: Cow::Borrowed(&frame.households.members),
        }
    }
}

/// The evaluation state.
pub(crate) struct Eval<'a> {
    pub(crate) pack: &'a Pack,
    /// The chunk's population. (An evaluation of some of its households reads its input
    /// columns through the selection.)
    pub(crate) frame: &'a Frame,
    pub(crate) shape: Shape<'a>,
    pub(crate) names: FastMap<&'a str, Item>,
    pub(crate) values: FastMap<Item, Val>,
    /// Input columns converted so far, by entity and name.
    pub(crate) inputs: FastMap<(Entity, String), Val>,
    /// `household.x` read by persons, gathered so far.
    pub(crate) gathered: FastMap<String, Val>,
    pub(crate) codes: Codes,
    pub(crate) params: &'a params::ParamTables<'a>,
    /// Each household's region index in `params`.
    pub(crate) region_at: Vec<u32>,
    pub(crate) medical: Option<builtin::Medical>,
    /// In an evaluation of some households of a frame ([`paid`]): the whole frame's
    /// values, read through the selection.
    pub(crate) parent: Option<paid::Parent<'a>>,
    /// Whether a household-only part of a person formula is being computed per
    /// household ([`hoist`]): `household.x` then reads the household's `x`.
    pub(crate) lifted: bool,
    /// The households without members as an unknown-mask ([`hoist::NO_MEMBER`]), once
    /// asked.
    pub(crate) no_members: Option<value::Mask>,
}

impl<'a> Eval<'a> {
    /// A fresh evaluation of `frame` with `pack`'s names; `region_at` each household's
    /// region index in `params`.
    fn new(
        pack: &'a Pack,
        frame: &'a Frame,
        params: &'a params::ParamTables<'a>,
        region_at: Vec<u32>,
    ) -> Self {
        Eval {
            pack,
            frame,
            shape: Shape::of(frame),
            names: pack
                .variables
                .iter()
                .enumerate()
                .map(|(i, v)| (v.id.as_str(), Item::Variable(i)))
                .chain(
                    pack.programs
                        .iter()
                        .enumerate()
                        .map(|(i, p)| (p.id.as_str(), Item::Program(i))),
                )
                .collect(),
            values: FastMap::new(),
            inputs: FastMap::new(),
            gathered: FastMap::new(),
            codes: Codes::default(),
            region_at,
            params,
            medical: None,
            parent: None,
            lifted: false,
            no_members: None,
        }
    }

    /// The value of a variable or program (its eligibility) computed so far. In an
    /// evaluation of some households: the whole frame's, selected, or — for a variable
    /// only amounts read — computed here; once either way.
    pub(crate) fn computed(
        &mut self,
        item: Item,
        entity: Entity,
    ) -> Result<Option<Val>, EvalError> {
        if let Some(v) = self.values.get(&item) {
            return Ok(Some(v.clone()));
        }
        let Some(parent) = &self.parent else {
            return Ok(None);
        };
        let v = match (parent.select(item, entity), item) {
            (Some(v), _) => v,
            (None, Item::Variable(k)) => {
                let v = &self.pack.variables[k];
                self.expr(&v.formula.expr, v.entity, &v.id)?
            }
            (None, Item::Program(_)) => return Ok(None),
        };
        self.values.insert(item, v.clone());
        Ok(Some(v))
    }

    /// Units of an entity.
    pub(crate) fn len(&self, e: Entity) -> usize {
        match e {
            Entity::Person => self.shape.household_of.len(),
            Entity::Household => self.shape.members.len(),
        }
    }

    /// "H1" or "H1/P2", for messages.
    pub(crate) fn unit(&self, e: Entity, i: usize) -> String {
        match e {
            Entity::Household => self.frame.households.id[i].to_string(),
            Entity::Person => {
                let h = self.frame.persons.household[i] as usize;
                format!(
                    "{}/{}",
                    self.frame.households.id[h], self.frame.persons.id[i]
                )
            }
        }
    }
}

/// Evaluates a checked pack over `frame` (every decided unit is listed in `all`).
pub fn evaluate(pack: &Pack, checked: &Checked, frame: &Frame) -> Result<Outcome, EvalError> {
    let params = params::ParamTables::new(pack, std::slice::from_ref(frame));
    run(pack, checked, frame, &params, true, false).map(|e| e.outcome)
}

/// Evaluates a checked pack over a population laid out in chunks of whole households
/// ([`crate::frame::FrameBuilder::finish`]), the chunks in parallel; the outcome is the
/// one [`evaluate`] gives over the whole population in one frame.
/// `all` also lists the decided units that are not eligible (a row per unit and
/// program: leave it off unless it is asked for).
pub fn evaluate_chunks(
    pack: &Pack,
    checked: &Checked,
    frames: &[Frame],
    all: bool,
) -> Result<Outcome, EvalError> {
    use rayon::prelude::*;
    let params = params::ParamTables::new(pack, frames);
    let parts: Vec<Outcome> = frames
        .par_iter()
        .map(|f| run(pack, checked, f, &params, all, false).map(|e| e.outcome))
        .collect::<Result<_, _>>()?;
    // Each chunk's rows stay where they were made (no row is moved again).
    let (mut results, mut every, mut undecided, mut medical) =
        (Vec::new(), Vec::new(), Vec::new(), Vec::new());
    for p in parts {
        results.extend(p.results.into_parts());
        every.extend(p.all.into_parts());
        undecided.extend(p.undecided.into_parts());
        medical.extend(p.medical.into_parts());
    }
    // Chunks follow household order, so results are already in key order; medical rows
    // are ordered by person id across households (stable: chain order within a person).
    Ok(Outcome {
        results: Rows::from_parts(results),
        all: Rows::from_parts(every),
        undecided: Rows::from_parts(undecided),
        medical: Rows::from_parts(medical).sort_by_key(|m| &m.person_id),
    })
}

/// An outcome with every intermediate column, for explanations.
pub struct Evaluated {
    pub outcome: Outcome,
    /// Each variable's and program's (eligibility) column.
    pub values: HashMap<Item, Col>,
    /// Each program's amount column, by program index.
    pub amounts: HashMap<usize, Col>,
    codes: Vec<String>,
}

impl Evaluated {
    /// The text of an interned code value.
    pub fn code(&self, id: i64) -> &str {
        self.codes.get(id as usize).map_or("", String::as_str)
    }
}

/// Like [`evaluate`], keeping the intermediate columns.
pub fn evaluate_all(pack: &Pack, checked: &Checked, frame: &Frame) -> Result<Evaluated, EvalError> {
    let params = params::ParamTables::new(pack, std::slice::from_ref(frame));
    run(pack, checked, frame, &params, true, true)
}

/// The units with a row to write for a program: every unit for `--all`, otherwise the
/// eligible and the undecided ones (a quick scan: most units are neither), in order.
fn candidates(elig: &Val, n: usize, all: bool) -> Vec<usize> {
    match elig {
        Val::Many(c) if !all => {
            let mut units: Vec<usize> = c.v[..n]
                .iter()
                .enumerate()
                .filter(|&(_, &v)| v == 1)
                .map(|(u, _)| u)
                .collect();
            if let Some(m) = &c.m {
                units.extend(m.iter().map(|&(u, _)| u as usize));
                units.sort_unstable();
                units.dedup();
            }
            units
        }
        Val::Const(0) if !all => Vec::new(),
        _ => (0..n).collect(),
    }
}

fn run(
    pack: &Pack,
    checked: &Checked,
    frame: &Frame,
    params: &params::ParamTables<'_>,
    all: bool,
    keep_columns: bool,
) -> Result<Evaluated, EvalError> {
    let mut ev = Eval::new(pack, frame, params, params.region_indexes(frame));
    // With every column kept (explanations), every amount over every unit; otherwise
    // the amounts and what only they read where someone is paid.
    let mut every_amount: FastMap<usize, Val> = FastMap::new();
    for &item in &checked.order {
        let col = match item {
            Item::Variable(_) if !keep_columns && checked.for_amounts.contains(&item) => {
                continue;
            }
            Item::Variable(k) => {
                let v = &pack.variables[k];
                ev.expr(&v.formula.expr, v.entity, &v.id)?
            }
            Item::Program(k) => {
                let p = &pack.programs[k];
                if let (Some(a), true) = (&p.amount, keep_columns) {
                    let amount = ev.expr(&a.expr, p.entity, &p.id)?;
                    every_amount.insert(k, amount);
                }
                ev.expr(&p.eligible.expr, p.entity, &p.id)?
            }
        };
        ev.values.insert(item, col);
    }
    // The units with a row to write, per program.
    let units: Vec<Vec<usize>> = (0..pack.programs.len())
        .map(|k| {
            let p = &pack.programs[k];
            candidates(&ev.values[&Item::Program(k)], ev.len(p.entity), all)
        })
        .collect();
    let (medical, medical_unknown) = builtin::medical_rows(&mut ev)?;
    let amounts = if keep_columns {
        paid::Amounts::Every(every_amount)
    } else {
        paid::amounts(&ev, &units)?
    };
    let decided = decide::rows(&ev, &units, &amounts, &medical_unknown, all)?;
    let out = Outcome {
        results: decided.results,
        all: decided.all,
        undecided: decided.undecided,
        medical: medical.into(),
    };
    fn columns<K: Eq + std::hash::Hash>(
        m: FastMap<K, Val>,
        len: impl Fn(&K) -> usize,
    ) -> HashMap<K, Col> {
        m.into_iter()
            .map(|(k, v)| {
                let n = len(&k);
                (k, v.to_col(n))
            })
            .collect()
    }
    let (values, amounts) = if keep_columns {
        let values = columns(std::mem::take(&mut ev.values), |item| match *item {
            Item::Variable(k) => ev.len(pack.variables[k].entity),
            Item::Program(k) => ev.len(pack.programs[k].entity),
        });
        (
            values,
            columns(amounts.into_every(), |k| ev.len(pack.programs[*k].entity)),
        )
    } else {
        (HashMap::new(), HashMap::new())
    };
    Ok(Evaluated {
        outcome: out,
        values,
        amounts,
        codes: ev.codes.into_names(),
    })
}

#[cfg(test)]
mod tests;
