//! Evaluation as a use case: a registry (a database, or a folder of interchange files
//! checked exactly as an import would) and a policy pack in, the month's outcome out.

pub mod bulk;
pub mod output;

use crate::error::AppError;
use crate::import::{self, NoProgress, Progress, RejectedRow};
use minsheng_model::{Date, RecordSink, Registry};
use minsheng_policy::check::coverage::coverage;
use minsheng_policy::eval::Outcome;
use minsheng_policy::frame::{Frame, FrameBuilder};
use minsheng_policy::pack::Pack;
use minsheng_policy::reform::Reform;
use minsheng_store::StoredResult;
use rayon::prelude::*;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

/// Where the registry comes from.
pub enum Source {
    /// A SQLite path or `postgres://` URL.
    Db(String),
    /// A folder (or files) of interchange CSV/XLSX, validated like an import.
    Data(Vec<PathBuf>),
}

/// A pack that does not check, with every problem.
#[derive(Debug, thiserror::Error)]
#[error("政策包有 {} 处问题，未执行 / the policy pack has problems and was not run:\n{}", .0.len(), .0.iter().map(|e| format!("  {e}")).collect::<Vec<_>>().join("\n"))]
pub struct PackProblems(pub Vec<minsheng_policy::params::PackError>);

/// Why an evaluation could not run.
#[derive(Debug, thiserror::Error)]
pub enum EvalFailure {
    #[error(transparent)]
    App(#[from] AppError),
    #[error(transparent)]
    Pack(#[from] PackProblems),
    #[error(
        "数据有 {count} 行未通过校验，未计算（与导入相同的规则；首条：{first}）/ the data has refused rows"
    )]
    Data { count: u64, first: String },
    #[error(transparent)]
    Frame(#[from] minsheng_policy::frame::FrameError),
    #[error(transparent)]
    Eval(#[from] minsheng_policy::eval::EvalError),
}

/// Households per chunk of evaluation: small enough that a chunk's intermediate columns
/// stay in the processor's cache, large enough that per-chunk work is noise.
pub const HOUSEHOLDS_PER_CHUNK: usize = 4096;

/// Feeds every record of `source` to `sink`: a store's export, or the files checked
/// exactly as an import would check them (refusing the whole load if one row is refused).
fn load_into(
    source: &Source,
    sink: &mut dyn RecordSink,
    progress: &dyn Progress,
) -> Result<(), EvalFailure> {
    match source {
        Source::Db(url) => {
            let mut store = crate::registry::open(url)?;
            store.export(sink).map_err(AppError::from)?;
        }
        Source::Data(paths) => {
            let regions = minsheng_interchange::regions::default_table();
            let mut first: Option<RejectedRow> = None;
            let s = import::check_files(
                paths,
                &regions,
                progress,
                &mut |r| {
                    first.get_or_insert_with(|| r.clone());
                },
                sink,
            )?;
            if s.rows_rejected > 0 {
                let first = first.map_or_else(String::new, |r| {
                    format!("{} 第 {} 行 {}：{}", r.file, r.line, r.column, r.reason)
                });
                return Err(EvalFailure::Data {
                    count: s.rows_rejected,
                    first,
                });
            }
        }
    }
    Ok(())
}

/// Reads the registry of `source` into memory.
pub fn load_registry(source: &Source) -> Result<Registry, EvalFailure> {
    let mut reg = Registry::default();
    load_into(source, &mut reg, &NoProgress)?;
    Ok(reg)
}

/// The population of `source` for the month starting `month`, in chunks of
/// [`HOUSEHOLDS_PER_CHUNK`] households.
pub fn load_frames(
    source: &Source,
    month: Date,
    progress: &dyn Progress,
) -> Result<Vec<Frame>, EvalFailure> {
    if let Source::Data(paths) = source {
        let regions = minsheng_interchange::regions::default_table();
        // Valid files take the fast road; anything else is checked (and refused) exactly.
        if let Ok(frames) = bulk::load(
            paths,
            &regions,
            month,
            HOUSEHOLDS_PER_CHUNK,
            bulk::PIECE_BYTES,
            progress,
        ) {
            return Ok(frames);
        }
    }
    let mut builder = FrameBuilder::default();
    load_into(source, &mut builder, progress)?;
    Ok(builder.finish(month, HOUSEHOLDS_PER_CHUNK)?)
}

/// Loads and checks the pack in `dir`.
pub fn load_pack(dir: &Path) -> Result<(Pack, minsheng_policy::check::Checked), PackProblems> {
    let pack = Pack::load(dir).map_err(PackProblems)?;
    let checked = minsheng_policy::check::check(&pack).map_err(PackProblems)?;
    Ok((pack, checked))
}

/// The checked pack with the reform file at `reform` applied, checked again (a reform
/// can introduce a type error or a cycle): the reformed pack and its own order.
pub fn load_reform(
    pack: &Pack,
    reform: &Path,
) -> Result<(Pack, minsheng_policy::check::Checked), PackProblems> {
    let reform = Reform::load(reform).map_err(PackProblems)?;
    let reformed = pack.with_reform(&reform).map_err(PackProblems)?;
    let checked = minsheng_policy::check::check(&reformed).map_err(PackProblems)?;
    Ok((reformed, checked))
}

/// Refuses a pack with a parameter that has no value for a region of `frames` in their
/// month: a pack that does not cover the data does not run.
pub fn covered(pack: &Pack, frames: &[Frame]) -> Result<(), PackProblems> {
    let Some(month) = frames.first().map(|f| f.month) else {
        return Ok(());
    };
    // A few thousand villages among a million households: each chunk's distinct ones.
    let regions: std::collections::BTreeSet<minsheng_model::RegionCode> = frames
        .par_iter()
        .flat_map_iter(|f| {
            let mut r = f.households.region.clone();
            r.sort_unstable();
            r.dedup();
            r
        })
        .collect();
    coverage(pack, regions, month).map_err(PackProblems)
}

/// An evaluation with its measurements.
#[derive(Debug)]
pub struct Evaluation {
    pub outcome: Outcome,
    pub households: usize,
    pub persons: usize,
    pub stays: usize,
    /// Reading and checking the data and laying it out.
    pub load: Duration,
    /// Evaluating the pack.
    pub compute: Duration,
    /// Result rows stored in the registry ([`evaluate_and_store`]); `None` when the
    /// evaluation was not stored.
    pub stored: Option<u64>,
    /// Storing them.
    pub save: Duration,
}

/// Evaluates the pack in `policy` over `source` for the month starting `month`;
/// `all` also lists the decided units that are not eligible; `progress` follows the
/// reading of the files.
pub fn evaluate(
    source: &Source,
    policy: &Path,
    month: Date,
    all: bool,
    progress: &dyn Progress,
) -> Result<Evaluation, EvalFailure> {
    let (evaluation, frames) = evaluate_frames(source, policy, month, all, progress)?;
    // Freeing a district's columns takes a tenth of a second: not on the caller's time.
    std::thread::spawn(move || drop(frames));
    Ok(evaluation)
}

/// [`evaluate`], with the frames it evaluated (the households' regions are in them).
fn evaluate_frames(
    source: &Source,
    policy: &Path,
    month: Date,
    all: bool,
    progress: &dyn Progress,
) -> Result<(Evaluation, Vec<Frame>), EvalFailure> {
    let (pack, checked) = load_pack(policy)?;
    let started = Instant::now();
    let frames = load_frames(source, month, progress)?;
    let load = started.elapsed();
    covered(&pack, &frames)?;
    let started = Instant::now();
    let outcome = minsheng_policy::eval::evaluate_chunks(&pack, &checked, &frames, all)?;
    let compute = started.elapsed();
    let evaluation = Evaluation {
        outcome,
        households: frames.iter().map(|f| f.households.id.len()).sum(),
        persons: frames.iter().map(|f| f.persons.id.len()).sum(),
        stays: frames.iter().map(|f| f.stays.id.len()).sum(),
        load,
        compute,
        stored: None,
        save: Duration::ZERO,
    };
    Ok((evaluation, frames))
}

/// `YYYY-MM`, as results are stored.
pub fn month_key(month: Date) -> String {
    month.format("%Y-%m").to_string()
}

/// Evaluates the pack in `policy` over the registry at `url` for the month starting
/// `month`, and stores every eligible unit with its household's region in that registry
/// as the month's results (replacing what the month held).
pub fn evaluate_and_store(
    url: &str,
    policy: &Path,
    month: Date,
    progress: &dyn Progress,
) -> Result<Evaluation, EvalFailure> {
    let source = Source::Db(url.to_owned());
    let (mut evaluation, frames) = evaluate_frames(&source, policy, month, false, progress)?;
    let started = Instant::now();
    let regions: std::collections::HashMap<&str, minsheng_model::RegionCode> = frames
        .iter()
        .flat_map(|f| {
            f.households
                .id
                .iter()
                .map(|id| &**id)
                .zip(f.households.region.iter().copied())
        })
        .collect();
    let mut rows = Vec::with_capacity(evaluation.outcome.results.len());
    for r in &evaluation.outcome.results {
        // Every result is of a household of the frames.
        let Some(region) = regions.get(r.household_id.as_str()) else {
            continue;
        };
        rows.push(StoredResult {
            household_id: r.household_id.to_string(),
            person_id: r.person_id.as_deref().unwrap_or_default().to_owned(),
            program: r.program.to_string(),
            region_code: *region,
            eligible: r.eligible,
            monthly_amount: r.monthly_amount,
        });
    }
    drop(regions);
    drop(frames);
    let mut store = crate::registry::open(url)?;
    let stored = store
        .replace_results(&month_key(month), &rows)
        .map_err(AppError::from)?;
    evaluation.stored = Some(stored);
    evaluation.save = started.elapsed();
    Ok(evaluation)
}

/// Why a household cannot be explained.
#[derive(Debug, thiserror::Error)]
pub enum ExplainFailure {
    #[error(transparent)]
    Eval(#[from] EvalFailure),
    #[error(transparent)]
    Explain(#[from] minsheng_policy::explain::ExplainError),
}

/// The explanation of one household's month (the same text for the CLI and the pages).
pub fn explain(
    source: &Source,
    policy: &Path,
    month: Date,
    household_id: &str,
) -> Result<minsheng_policy::explain::Explanation, ExplainFailure> {
    let (pack, checked) = load_pack(policy).map_err(EvalFailure::from)?;
    let reg = load_registry(source)?;
    // Only the explained household's region needs values.
    let region = reg
        .households
        .iter()
        .find(|h| h.household_id == household_id);
    coverage(&pack, region.map(|h| h.region_code), month)
        .map_err(|e| EvalFailure::from(PackProblems(e)))?;
    Ok(minsheng_policy::explain::explain(
        &pack,
        &checked,
        &reg,
        month,
        household_id,
    )?)
}

/// Baseline and reform side by side.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Simulation {
    /// Per program: (eligible units, monthly total) under the baseline and the reform.
    pub programs: std::collections::BTreeMap<String, [(u64, minsheng_model::Fen); 2]>,
    /// Per county (code, name): households whose monthly total rises, falls, or whose
    /// set of programs changes with the same total.
    pub counties: std::collections::BTreeMap<(String, String), [u64; 3]>,
}

/// Evaluates the pack and the pack with the reform file `reform` applied (its parameter
/// values on top, its formulas in place; see [`minsheng_policy::reform`]), each in its
/// own checked order, for one month.
pub fn simulate(
    source: &Source,
    policy: &Path,
    reform: &Path,
    month: Date,
) -> Result<Simulation, EvalFailure> {
    use minsheng_model::Fen;
    use std::collections::{BTreeMap, BTreeSet};
    let (pack, checked) = load_pack(policy)?;
    let (reformed, reformed_order) = load_reform(&pack, reform)?;
    let frames = load_frames(source, month, &NoProgress)?;
    covered(&pack, &frames)?;
    covered(&reformed, &frames)?;
    let before = minsheng_policy::eval::evaluate_chunks(&pack, &checked, &frames, false)?;
    let after = minsheng_policy::eval::evaluate_chunks(&reformed, &reformed_order, &frames, false)?;
    let mut sim = Simulation::default();
    // Per household: total and the set of (person, program) it receives.
    type PerHousehold =
        BTreeMap<minsheng_model::Id, (Fen, BTreeSet<(minsheng_model::Id, minsheng_model::Id)>)>;
    let mut per: [PerHousehold; 2] = [BTreeMap::new(), BTreeMap::new()];
    for (k, out) in [&before, &after].into_iter().enumerate() {
        for r in &out.results {
            let e = sim.programs.entry(r.program.to_string()).or_default();
            e[k].0 += 1;
            e[k].1 += r.monthly_amount;
            let h = per[k].entry(r.household_id.clone()).or_default();
            h.0 += r.monthly_amount;
            h.1.insert((r.person_id.clone().unwrap_or_default(), r.program.clone()));
        }
    }
    let regions = minsheng_interchange::regions::default_table();
    let empty = (Fen(0), BTreeSet::new());
    let households = frames
        .iter()
        .flat_map(|f| f.households.id.iter().zip(&f.households.region));
    for (id, region) in households {
        let (b, a) = (
            per[0].get(&**id).unwrap_or(&empty),
            per[1].get(&**id).unwrap_or(&empty),
        );
        let slot = if a.0 > b.0 {
            0
        } else if a.0 < b.0 {
            1
        } else if a.1 != b.1 {
            2
        } else {
            continue;
        };
        let county = region.ancestor_at(minsheng_model::RegionLevel::County);
        let name = regions
            .get(county)
            .map_or_else(String::new, |r| r.name.clone());
        sim.counties.entry((county.to_string(), name)).or_default()[slot] += 1;
    }
    Ok(sim)
}
