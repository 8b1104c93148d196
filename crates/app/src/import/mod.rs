//! Import: interchange files → the registry, validated and typed, explained row by row.
//!
//! Two streaming passes over the input, so memory holds keys, not rows:
//!
//! 1. **check** — every row is decoded (field rules) and fed to [`check::BatchCheck`]
//!    (duplicates, references, one head per household, against the batch and the stored
//!    registry). Every refused row is reported as soon as it is known.
//! 2. **write** — unless the batch is all-or-nothing and something was refused, the rows
//!    not refused are decoded again and upserted in one store transaction, a reader
//!    thread decoding while the store writes.
//!
//! Upsert by key makes a second import of the same files change nothing; the store counts
//! rows that were new or changed, the rest are "unchanged".

pub mod check;

use crate::error::AppError;
use check::{At, BatchCheck};
use minsheng_interchange::decode::{self, Decoded};
use minsheng_interchange::source::RawRow;
use minsheng_interchange::{Source, Table, TableReader};
use minsheng_model::{
    Enrollment, Event, HospitalStay, Household, Person, Problem, RecordSink, RegionTable,
};
use minsheng_store::{Batch, Keys, Store, StoreError};
use serde::Serialize;
use std::collections::{BTreeMap, HashMap, HashSet};
use std::path::PathBuf;

/// How a batch with refused rows is handled.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct ImportOptions {
    /// Keep the valid rows (`--partial`) instead of refusing the whole batch.
    pub partial: bool,
}

/// Which pass is running, for progress display.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Phase {
    Check,
    Write,
}

impl Phase {
    pub fn label(self) -> &'static str {
        match self {
            Phase::Check => "校验",
            Phase::Write => "写入",
        }
    }
}

/// Receives progress; called from the reading thread.
pub trait Progress: Sync {
    fn begin(&self, source: &str, phase: Phase, total_bytes: u64);
    fn advance_to(&self, bytes: u64);
    fn end(&self);
}

/// Progress that shows nothing.
pub struct NoProgress;

impl Progress for NoProgress {
    fn begin(&self, _: &str, _: Phase, _: u64) {}
    fn advance_to(&self, _: u64) {}
    fn end(&self) {}
}

/// One refused row problem as reported (`--report` writes these as CSV).
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct RejectedRow {
    pub file: String,
    pub line: u64,
    pub column: String,
    pub value: String,
    pub reason: String,
    pub code: &'static str,
}

/// Counts for one table.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct TableSummary {
    pub file: String,
    pub rows_read: u64,
    pub rows_imported: u64,
    pub rows_unchanged: u64,
    pub rows_rejected: u64,
}

/// What an import did (`--json` prints this).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct ImportSummary {
    /// `all_or_nothing` or `partial`.
    pub mode: &'static str,
    /// Whether anything was written.
    pub committed: bool,
    pub rows_read: u64,
    /// Rows that were new or changed the stored row.
    pub rows_imported: u64,
    /// Valid rows equal to what was already stored.
    pub rows_unchanged: u64,
    pub rows_rejected: u64,
    /// Valid rows not written because the batch was refused as a whole.
    pub rows_held_back: u64,
    /// Refused rows per reason code (a row with several reasons counts under each).
    pub rejected_by_reason: BTreeMap<&'static str, u64>,
    pub tables: BTreeMap<&'static str, TableSummary>,
    /// Things worth knowing that refuse nothing (unknown columns kept aside, skipped sheets).
    pub notices: Vec<String>,
}

/// Bookkeeping of refused rows across both passes.
struct Refusals<'a> {
    labels: HashMap<Table, String>,
    /// Refused rows by table, as data-row indexes (lines need not be unique).
    rows: RefusedRows,
    reasons: HashSet<(Table, u64, &'static str)>,
    summary: &'a mut ImportSummary,
    sink: &'a mut dyn FnMut(&RejectedRow),
}

impl Refusals<'_> {
    /// Counts row `index` of `table` as refused for `code` (once per row, once per row and reason).
    fn count(&mut self, table: Table, index: u64, code: &'static str) {
        if self.rows.entry(table).or_default().insert(index) {
            self.summary.rows_rejected += 1;
            self.summary
                .tables
                .entry(table.name())
                .or_default()
                .rows_rejected += 1;
        }
        if self.reasons.insert((table, index, code)) {
            *self.summary.rejected_by_reason.entry(code).or_default() += 1;
        }
    }

    /// Tells the sink about a problem at `line`.
    fn report(&mut self, table: Table, line: u64, p: &Problem) {
        let file = self.labels.get(&table).cloned().unwrap_or_default();
        (self.sink)(&RejectedRow {
            file,
            line,
            column: p.column.clone(),
            value: p.value.clone(),
            reason: p.kind.to_string(),
            code: p.kind.code(),
        });
    }

    /// A refused row: counted and reported.
    fn add(&mut self, table: Table, at: At, p: &Problem) {
        self.count(table, at.index, p.kind.code());
        self.report(table, at.line, p);
    }

    fn drain(&mut self, check: &mut BatchCheck<'_>) {
        for (t, at, p) in check.take_rejections() {
            self.add(t, at, &p);
        }
    }
}

/// Finds the sources of `paths` and starts the summary.
fn start(paths: &[PathBuf], opts: ImportOptions) -> Result<(Vec<Source>, ImportSummary), AppError> {
    let (sources, notices) = minsheng_interchange::discover(paths)?;
    if sources.is_empty() {
        return Err(AppError::NoInput);
    }
    let mut summary = ImportSummary {
        mode: if opts.partial {
            "partial"
        } else {
            "all_or_nothing"
        },
        notices,
        ..ImportSummary::default()
    };
    for s in &sources {
        summary.tables.insert(
            s.table.name(),
            TableSummary {
                file: s.label(),
                ..TableSummary::default()
            },
        );
    }
    Ok((sources, summary))
}

/// Refused data rows (by index) per table.
type RefusedRows = HashMap<Table, HashSet<u64>>;

/// Pass 1 over every source, in table order. Returns the refused data rows by table and
/// the tables whose header refuses them whole. Every decoded record (refused later by a
/// cross-row rule or not) goes to `records` when given.
fn check_pass(
    sources: &[Source],
    regions: &RegionTable,
    keys: &Keys,
    summary: &mut ImportSummary,
    on_reject: &mut dyn FnMut(&RejectedRow),
    progress: &dyn Progress,
    mut records: Option<&mut dyn RecordSink>,
) -> Result<(RefusedRows, HashSet<Table>), AppError> {
    let mut refusals = Refusals {
        labels: sources.iter().map(|s| (s.table, s.label())).collect(),
        rows: HashMap::new(),
        reasons: HashSet::new(),
        summary,
        sink: on_reject,
    };
    let mut unreadable_tables = HashSet::new();
    let mut check = BatchCheck::new(keys);
    let mut settled = false;
    for source in sources {
        if source.table > Table::Persons && !settled {
            check.settle_households();
            refusals.drain(&mut check);
            settled = true;
        }
        let sink = records.as_mut().map(|r| &mut **r as &mut dyn RecordSink);
        if !check_source(source, regions, &mut check, &mut refusals, progress, sink)? {
            unreadable_tables.insert(source.table);
        }
    }
    if !settled {
        check.settle_households();
        refusals.drain(&mut check);
    }
    Ok((refusals.rows, unreadable_tables))
}

/// Checks the files in `paths` exactly as [`import`] would into an empty registry with
/// `regions`, writing nothing, and hands every decoded record to `records` as it is read
/// (the evaluator builds its frame this way: one pass, no database). A record may still
/// be refused later by a cross-row rule: use the records only when the summary has no
/// refused row.
pub fn check_files(
    paths: &[PathBuf],
    regions: &RegionTable,
    progress: &dyn Progress,
    on_reject: &mut dyn FnMut(&RejectedRow),
    records: &mut dyn RecordSink,
) -> Result<ImportSummary, AppError> {
    let (sources, mut summary) = start(paths, ImportOptions::default())?;
    let keys = Keys::default();
    check_pass(
        &sources,
        regions,
        &keys,
        &mut summary,
        on_reject,
        progress,
        Some(records),
    )?;
    Ok(summary)
}

/// Imports the interchange files and folders in `paths` into `store`.
/// `on_reject` receives every refused row problem as it is found.
pub fn import(
    store: &mut dyn Store,
    paths: &[PathBuf],
    opts: ImportOptions,
    progress: &dyn Progress,
    on_reject: &mut dyn FnMut(&RejectedRow),
) -> Result<ImportSummary, AppError> {
    let (sources, mut summary) = start(paths, opts)?;
    let regions = store.regions()?;
    let keys = store.keys()?;
    let (rejected_rows, unreadable_tables) = check_pass(
        &sources,
        &regions,
        &keys,
        &mut summary,
        on_reject,
        progress,
        None,
    )?;
    let valid_rows = summary.rows_read - summary.rows_rejected;
    if summary.rows_rejected > 0 && !opts.partial {
        summary.rows_held_back = valid_rows;
        return Ok(summary);
    }
    let empty = HashSet::new();
    let mut batch = store.begin()?;
    for source in sources
        .iter()
        .filter(|s| !unreadable_tables.contains(&s.table))
    {
        let skip = rejected_rows.get(&source.table).unwrap_or(&empty);
        let (written, changed) = write_source(source, &regions, skip, batch.as_mut(), progress)?;
        let t = summary.tables.entry(source.table.name()).or_default();
        t.rows_imported += changed;
        t.rows_unchanged += written - changed;
        summary.rows_imported += changed;
        summary.rows_unchanged += written - changed;
    }
    batch.commit()?;
    summary.committed = true;
    Ok(summary)
}

/// A decoded record of any table.
enum AnyRecord {
    Household(Household),
    Person(Person),
    Stay(HospitalStay),
    Event(Event),
    Enrollment(Enrollment),
}

/// What the decoding thread of pass 1 hands to the checking loop for one row.
enum Decoded1 {
    Record(At, AnyRecord),
    /// Refused at row level; the id (if readable) lets references say why.
    Refused(At, Option<Box<str>>, Vec<Problem>),
    Unreadable(At, Problem),
    /// A row under a header that refuses the whole file.
    UnderBadHeader(At),
}

impl AnyRecord {
    fn send(&self, sink: &mut dyn RecordSink) -> Result<(), minsheng_model::SinkError> {
        match self {
            AnyRecord::Household(r) => sink.household(r),
            AnyRecord::Person(r) => sink.person(r),
            AnyRecord::Stay(r) => sink.stay(r),
            AnyRecord::Event(r) => sink.event(r),
            AnyRecord::Enrollment(r) => sink.enrollment(r),
        }
    }
}

fn decode_any(
    table: Table,
    row: &RawRow<'_>,
    regions: &RegionTable,
) -> Result<AnyRecord, Vec<Problem>> {
    Ok(match table {
        Table::Households => AnyRecord::Household(decode::household(row, regions)?),
        Table::Persons => AnyRecord::Person(decode::person(row)?),
        Table::HospitalStays => AnyRecord::Stay(decode::stay(row)?),
        Table::Events => AnyRecord::Event(decode::event(row)?),
        Table::Enrollments => AnyRecord::Enrollment(decode::enrollment(row)?),
    })
}

/// The id cell of a row (its first column), trimmed, if present.
fn row_id(row: &RawRow<'_>) -> Option<Box<str>> {
    let id = row
        .header
        .index
        .first()
        .copied()
        .flatten()
        .map(|i| row.cell(i).trim())?;
    (!id.is_empty()).then(|| id.into())
}

/// Pass 1 over one table: a thread reads and decodes, this one checks and reports.
/// Returns false when the header makes the table unreadable (every row is refused).
fn check_source(
    source: &Source,
    regions: &RegionTable,
    check: &mut BatchCheck<'_>,
    refusals: &mut Refusals<'_>,
    progress: &dyn Progress,
    mut records: Option<&mut dyn RecordSink>,
) -> Result<bool, AppError> {
    let table = source.table;
    let mut reader = source.open()?;
    progress.begin(&source.label(), Phase::Check, source.size_bytes());
    for (name, _) in &reader.header.unknown {
        refusals.summary.notices.push(format!(
            "{}: 列 {name} 不在数据格式中，其内容已另行保存，未被丢弃",
            source.label()
        ));
    }
    let header_problems = reader.header.problems.clone();
    let header_ok = header_problems.is_empty();
    // A header problem is reported once, at its line; it refuses every data row below.
    for p in &header_problems {
        refusals.report(table, reader.header.line.max(1), p);
    }
    let (tx, rx) = std::sync::mpsc::sync_channel::<Vec<Decoded1>>(4);
    let mut n = 0u64;
    let mut sink_error = None;
    std::thread::scope(|scope| {
        scope.spawn(move || {
            let mut chunk = Vec::with_capacity(CHUNK);
            while let Some(row) = reader.next_row() {
                let item = match row {
                    Err(bad) => Decoded1::Unreadable(
                        At {
                            line: bad.line,
                            index: bad.index,
                        },
                        bad.problem,
                    ),
                    Ok(row) => {
                        let at = At {
                            line: row.line,
                            index: row.index,
                        };
                        if !header_ok {
                            Decoded1::UnderBadHeader(at)
                        } else {
                            match decode_any(table, &row, regions) {
                                Ok(r) => Decoded1::Record(at, r),
                                Err(problems) => Decoded1::Refused(at, row_id(&row), problems),
                            }
                        }
                    }
                };
                chunk.push(item);
                if chunk.len() == CHUNK {
                    progress.advance_to(reader.bytes_read());
                    if tx
                        .send(std::mem::replace(&mut chunk, Vec::with_capacity(CHUNK)))
                        .is_err()
                    {
                        return;
                    }
                }
            }
            if !chunk.is_empty() {
                let _ = tx.send(chunk);
            }
        });
        for chunk in rx {
            for item in chunk {
                n += 1;
                match item {
                    Decoded1::Record(at, r) => {
                        match &r {
                            AnyRecord::Household(r) => check.household(at, r),
                            AnyRecord::Person(r) => check.person(at, r),
                            AnyRecord::Stay(r) => check.stay(at, r),
                            AnyRecord::Event(r) => check.event(at, r),
                            AnyRecord::Enrollment(r) => check.enrollment(at, r),
                        }
                        if let Some(sink) = records.as_mut()
                            && sink_error.is_none()
                            && let Err(e) = r.send(&mut **sink)
                        {
                            sink_error = Some(e);
                        }
                    }
                    Decoded1::Refused(at, id, problems) => {
                        if let Some(id) = id {
                            check.refused_row(table, at, &id);
                        }
                        for p in &problems {
                            refusals.add(table, at, p);
                        }
                    }
                    Decoded1::Unreadable(at, p) => refusals.add(table, at, &p),
                    Decoded1::UnderBadHeader(at) => {
                        if let Some(p) = header_problems.first() {
                            refusals.count(table, at.index, p.kind.code());
                        }
                    }
                }
                refusals.drain(check);
            }
        }
    });
    if let Some(e) = sink_error {
        return Err(AppError::Sink(e));
    }
    progress.end();
    let t = refusals.summary.tables.entry(table.name()).or_default();
    t.rows_read += n;
    refusals.summary.rows_read += n;
    Ok(header_ok)
}

const CHUNK: usize = 8192;

/// Pass 2 over one table: decode the rows not refused and upsert them in chunks.
/// Returns (rows written, rows new or changed).
fn write_source(
    source: &Source,
    regions: &RegionTable,
    skip: &HashSet<u64>,
    batch: &mut dyn Batch,
    progress: &dyn Progress,
) -> Result<(u64, u64), AppError> {
    let reader = source.open()?;
    progress.begin(&source.label(), Phase::Write, source.size_bytes());
    let r = match source.table {
        Table::Households => pipeline(
            reader,
            skip,
            progress,
            |row| decode::household(row, regions),
            |rows| batch.upsert_households(rows),
        ),
        Table::Persons => pipeline(reader, skip, progress, decode::person, |rows| {
            batch.upsert_persons(rows)
        }),
        Table::HospitalStays => pipeline(reader, skip, progress, decode::stay, |rows| {
            batch.upsert_stays(rows)
        }),
        Table::Events => pipeline(reader, skip, progress, decode::event, |rows| {
            batch.upsert_events(rows)
        }),
        Table::Enrollments => pipeline(reader, skip, progress, decode::enrollment, |rows| {
            batch.upsert_enrollments(rows)
        }),
    };
    progress.end();
    r.map_err(|e| match e {
        PipeError::Store(e) => AppError::Store(e),
        PipeError::Changed(line) => AppError::Changed {
            file: source.label(),
            line,
        },
    })
}

enum PipeError {
    Store(StoreError),
    /// A row that passed the check no longer decodes: the file changed between passes.
    Changed(u64),
}

/// Decodes on a reader thread while `upsert` writes on this one.
fn pipeline<T: Send>(
    mut reader: TableReader,
    skip: &HashSet<u64>,
    progress: &dyn Progress,
    decode: impl Fn(&RawRow<'_>) -> Decoded<T> + Sync,
    mut upsert: impl FnMut(&[T]) -> Result<u64, StoreError>,
) -> Result<(u64, u64), PipeError> {
    let (tx, rx) = std::sync::mpsc::sync_channel::<Result<Vec<T>, u64>>(4);
    let decode = &decode;
    std::thread::scope(|scope| {
        scope.spawn(move || {
            let mut chunk = Vec::with_capacity(CHUNK);
            while let Some(row) = reader.next_row() {
                let Ok(row) = row else { continue };
                if skip.contains(&row.index) {
                    continue;
                }
                match decode(&row) {
                    Ok(rec) => chunk.push(rec),
                    Err(_) => {
                        let _ = tx.send(Err(row.line));
                        return;
                    }
                }
                if chunk.len() == CHUNK {
                    progress.advance_to(reader.bytes_read());
                    if tx
                        .send(Ok(std::mem::replace(&mut chunk, Vec::with_capacity(CHUNK))))
                        .is_err()
                    {
                        return;
                    }
                }
            }
            if !chunk.is_empty() {
                let _ = tx.send(Ok(chunk));
            }
        });
        let (mut written, mut changed) = (0u64, 0u64);
        for msg in rx {
            let rows = msg.map_err(PipeError::Changed)?;
            changed += upsert(&rows).map_err(PipeError::Store)?;
            written += rows.len() as u64;
        }
        Ok((written, changed))
    })
}
