//! The fast road from interchange CSV files to frames, for data that is valid.
//!
//! [`load`] cuts every file into pieces of a few megabytes at line ends, reads each piece
//! into a buffer its core reuses and decodes it with the import's own decoders
//! (`minsheng_interchange::decode`: the same field rules, the same messages), pieces on
//! all cores. A piece is split at its commas in place
//! (`minsheng_interchange::source::split_unquoted`); a file with a quote character goes
//! through the CSV reader, whole (a quoted cell may hold a line end). References are
//! resolved as rows are decoded: households first, then persons (each finding its
//! household), then stays (each finding its person).
//! The import's cross-row rules for a batch into an empty registry are checked on sorted
//! id lists instead of hash tables: unique ids, every reference resolving (person →
//! household, stay → person, event/enrollment → household and a person of that
//! household), unique enrollment keys, exactly one head per household. Files written in id order, as exports and synthetic
//! districts are, are checked without sorting.
//!
//! Memory: the files are never held whole, only each core's current piece. Each table's
//! pieces are read twice: once to count their lines, so that the rows' columns are made
//! once at their final size, then to decode each piece straight into its stretch of
//! them (first-touched memory costs more than reading a piece again on the machines we
//! measured). Persons written in frame order skip even that: `in_order` decodes them
//! into the frames' own columns, chunk by chunk, and nothing is laid out twice.
//!
//! Modules: `files` reads the pieces, `ids` holds the sorted id lists, `in_order`
//! the road for files in frame order.
//!
//! It only ever answers "these frames" or "give way": at the first row or rule the
//! data breaks (or an XLSX sheet, or a file it cannot read) it stops, and the caller
//! runs the exact import check ([`crate::import::check_files`]), which finds and reports
//! every problem with its file, line and column. So valid data is loaded fast and
//! invalid data is refused exactly as an import would refuse it; the tests hold the two
//! roads to the same frames and the same verdicts.

mod files;
mod ids;
mod in_order;

use crate::import::{Phase, Progress};
pub use files::PIECE_BYTES;
use files::{TableFile, close_gaps, piece_lines, with_piece_buffer};
use ids::{SortedIds, unique};
use minsheng_interchange::Table;
use minsheng_interchange::decode;
use minsheng_interchange::source::RawRow;
use minsheng_model::{Date, Id, RegionTable};
use minsheng_policy::frame::{
    Frame, HouseholdRow, InOrder, Parts, PersonRow, StayRow, assemble, assemble_in_order,
};
use rayon::prelude::*;
use std::cmp::Ordering;
use std::path::PathBuf;
use std::sync::atomic::{AtomicU64, Ordering::Relaxed};

/// Why the fast road gave way to the exact check (what it saw first, for tracing; the
/// exact check says it properly).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct GiveWay(pub String);

fn give_way<T>(why: impl Into<String>) -> Result<T, GiveWay> {
    Err(GiveWay(why.into()))
}

/// An event or enrollment: what its references and key need. Ids held inline (most
/// are short): hundreds of thousands of these are compared, sorted and dropped.
#[derive(Default)]
struct LinkIn {
    key: [Id; 3],
    household: Id,
    person: Option<Id>,
}

/// The frames of the valid interchange files in `paths` for the month starting `month`,
/// in chunks of `per_chunk` households, the files read in pieces of about `piece_bytes`
/// ([`PIECE_BYTES`]), telling `progress` of the decoding; see the module docs.
pub fn load(
    paths: &[PathBuf],
    regions: &RegionTable,
    month: Date,
    per_chunk: usize,
    piece_bytes: u64,
    progress: &dyn Progress,
) -> Result<Vec<Frame>, GiveWay> {
    let tables = open_tables(paths, piece_bytes)?;
    let (household_ids, households) = households_of(&tables, regions, progress)?;
    let household_index = SortedIds::new(&household_ids, |h| &**h, "households")?;
    let persons_file = tables.iter().find(|t| t.table == Table::Persons);
    let in_order = match persons_file {
        Some(file) if household_index.in_order && !household_ids.is_empty() => {
            let index = &household_index;
            in_order::persons(file, &household_ids, index, month, per_chunk, progress)?
        }
        _ => None,
    };
    let (people, keys) = match in_order {
        Some(mut chunks) => {
            let keys = std::mem::take(&mut chunks.keys);
            (People::Chunks(chunks), keys)
        }
        None => (persons_of(&tables, &household_index, progress)?, Vec::new()),
    };
    let person_index = match &people {
        People::Rows(ids, _) => SortedIds::new(ids, |p| &**p, "persons")?,
        People::Chunks(chunks) => {
            SortedIds::from_keys(keys, Box::new(|n| chunks.id(n)), "persons")?
        }
    };
    let stays = rows_of(&tables, Table::HospitalStays, progress, || {
        let mut cursor = 0;
        let index = &person_index;
        move |row: &RawRow<'_>| {
            let s = decode::stay_view(row).ok()?;
            let person = index.find(s.person_id, &mut cursor)?;
            Some(StayRow::new(&s, person))
        }
    })?;
    SortedIds::new(&stays, StayRow::id, "hospital_stays")?;
    let events = rows_of(&tables, Table::Events, progress, || {
        |row: &RawRow<'_>| {
            let e = decode::event(row).ok()?;
            Some(LinkIn {
                key: [Id::new(&e.event_id), Id::default(), Id::default()],
                household: Id::new(&e.household_id),
                person: e.person_id.as_deref().map(Id::new),
            })
        }
    })?;
    let enrollments = rows_of(&tables, Table::Enrollments, progress, || {
        |row: &RawRow<'_>| {
            let e = decode::enrollment(row).ok()?;
            let (household, person, program) = e.key();
            Some(LinkIn {
                key: [Id::new(household), Id::new(person), Id::new(program)],
                household: Id::new(&e.household_id),
                person: e.person_id.as_deref().map(Id::new),
            })
        }
    })?;
    drop(tables);
    let household_of = |p: u32| match &people {
        People::Rows(_, rows) => rows[p as usize].household,
        People::Chunks(chunks) => chunks.household_of(p),
    };
    for (links, what) in [(events, "events"), (enrollments, "enrollments")] {
        check_links(&links, &household_index, &person_index, &household_of, what)?;
    }
    drop((household_index, person_index));

    Ok(match people {
        People::Rows(person_ids, persons) => {
            let parts = Parts {
                household_ids,
                households,
                person_ids,
                persons,
                stays,
            };
            assemble(parts, month, per_chunk)
        }
        People::Chunks(chunks) => {
            let parts = InOrder {
                household_ids,
                households,
                persons: chunks.persons,
                stays,
            };
            assemble_in_order(parts, month, per_chunk)
        }
    })
}

/// The CSV tables of the batch in `paths`, to be read in pieces of about `piece_bytes`.
fn open_tables(paths: &[PathBuf], piece_bytes: u64) -> Result<Vec<TableFile>, GiveWay> {
    let (sources, _notices) =
        minsheng_interchange::discover(paths).or_else(|e| give_way(e.to_string()))?;
    sources
        .iter()
        .map(|s| TableFile::open(s, piece_bytes))
        .collect()
}

/// The households of `tables`: ids and rows, in file order.
fn households_of(
    tables: &[TableFile],
    regions: &RegionTable,
    progress: &dyn Progress,
) -> Result<(Vec<Id>, Vec<HouseholdRow>), GiveWay> {
    columns_of(tables, Table::Households, progress, || {
        |row: &RawRow<'_>| {
            let h = decode::household_view(row, regions).ok()?;
            Some((Id::new(h.household_id), HouseholdRow::from(&h)))
        }
    })
}

/// The persons of a batch: decoded into the frames' chunks already (files in frame
/// order, [`in_order`]), or rows with their ids to be laid out.
enum People {
    Rows(Vec<Id>, Vec<PersonRow>),
    Chunks(in_order::Chunks),
}

/// The persons of `tables` as rows, each with its household's number, on the general
/// road; gives way unless every household has exactly one head.
fn persons_of(
    tables: &[TableFile],
    household_index: &SortedIds<'_>,
    progress: &dyn Progress,
) -> Result<People, GiveWay> {
    // Each person's household is looked up as the person is decoded (persons come
    // grouped by household: the cursor finds it without a search).
    let (person_ids, persons) = columns_of(tables, Table::Persons, progress, || {
        let mut cursor = 0;
        move |row: &RawRow<'_>| person_row(row, household_index, &mut cursor)
    })?;
    let mut heads = vec![0u32; household_index.len()];
    for p in &persons {
        heads[p.household as usize] += u32::from(p.is_head());
    }
    if heads.iter().any(|&n| n != 1) {
        return give_way("a household without exactly one head");
    }
    Ok(People::Rows(person_ids, persons))
}

/// The person of `row` (decoded by the import's rules, no string made) with their
/// household found in `households` from `cursor`: their id and frame row, the household
/// numbered in the batch.
fn person_row(
    row: &RawRow<'_>,
    households: &SortedIds<'_>,
    cursor: &mut usize,
) -> Option<(Id, PersonRow)> {
    let p = decode::person_view(row).ok()?;
    let household = households.find(p.household_id, cursor)?;
    Some((Id::new(p.person_id), PersonRow::new(&p, household)))
}

/// The rows of `table` (none when the batch has no such file) through decoders made by
/// `decoder` (one per piece: it may keep state, such as a lookup cursor), laid out
/// straight into two columns: the pieces' lines are counted first, the columns made once
/// at that size (on every core), and each piece decoded into its own stretch of them —
/// one layout of the rows, not a piece's and then the columns'. A piece with fewer rows
/// than lines (blank lines) leaves a gap that is closed afterwards. `progress` hears of
/// each piece decoded.
fn columns_of<A, B, D>(
    tables: &[TableFile],
    table: Table,
    progress: &dyn Progress,
    decoder: impl Fn() -> D + Sync,
) -> Result<(Vec<A>, Vec<B>), GiveWay>
where
    A: Default + Send,
    B: Default + Send,
    D: FnMut(&RawRow<'_>) -> Option<(A, B)>,
{
    let Some(file) = tables.iter().find(|b| b.table == table) else {
        return Ok((Vec::new(), Vec::new()));
    };
    progress.begin(&file.label, Phase::Check, file.len - file.data_start);
    let pieces = file.pieces()?;
    let lines = pieces
        .par_iter()
        .map(|range| with_piece_buffer(|buf| file.read(range, buf).map(|()| piece_lines(buf))))
        .collect::<Result<Option<Vec<usize>>, GiveWay>>()?;
    let Some(lines) = lines else {
        // Quotes: the file is decoded whole, as one piece.
        let mut buf = Vec::new();
        file.read(&(file.data_start..file.len), &mut buf)?;
        let (mut a, mut b) = (Vec::new(), Vec::new());
        file.each_row(&buf, true, decoder(), |(x, y)| {
            a.push(x);
            b.push(y);
            Ok(())
        })?;
        progress.end();
        return Ok((a, b));
    };
    let total = lines.iter().sum();
    let mut a: Vec<A> = (0..total).into_par_iter().map(|_| A::default()).collect();
    let mut b: Vec<B> = (0..total).into_par_iter().map(|_| B::default()).collect();
    let mut work = Vec::with_capacity(pieces.len());
    let (mut rest_a, mut rest_b) = (&mut a[..], &mut b[..]);
    for (range, &n) in pieces.into_iter().zip(&lines) {
        let (slots_a, tail_a) = std::mem::take(&mut rest_a).split_at_mut(n);
        let (slots_b, tail_b) = std::mem::take(&mut rest_b).split_at_mut(n);
        work.push((range, slots_a, slots_b));
        (rest_a, rest_b) = (tail_a, tail_b);
    }
    let done = AtomicU64::new(0);
    let rows: Vec<usize> = work
        .into_par_iter()
        .map(|(range, slots_a, slots_b)| {
            with_piece_buffer(|buf| -> Result<usize, GiveWay> {
                file.read(&range, buf)?;
                let mut k = 0;
                file.each_row(buf, false, decoder(), |(x, y)| {
                    // More records than lines: line ends the count did not see.
                    if k == slots_a.len() {
                        return give_way(format!("{}: more rows than lines", file.table));
                    }
                    (slots_a[k], slots_b[k]) = (x, y);
                    k += 1;
                    Ok(())
                })?;
                let bytes = range.end - range.start;
                progress.advance_to(done.fetch_add(bytes, Relaxed) + bytes);
                Ok(k)
            })
        })
        .collect::<Result<_, GiveWay>>()?;
    progress.end();
    if rows != lines {
        close_gaps(&mut a, &lines, &rows);
        close_gaps(&mut b, &lines, &rows);
    }
    Ok((a, b))
}

/// [`columns_of`] for a table decoded into one column.
fn rows_of<T, D>(
    tables: &[TableFile],
    table: Table,
    progress: &dyn Progress,
    decoder: impl Fn() -> D + Sync,
) -> Result<Vec<T>, GiveWay>
where
    T: Default + Send,
    D: FnMut(&RawRow<'_>) -> Option<T>,
{
    let (_, rows): (Vec<()>, Vec<T>) = columns_of(tables, table, progress, || {
        let mut decode = decoder();
        move |row: &RawRow<'_>| decode(row).map(|r| ((), r))
    })?;
    Ok(rows)
}

/// Events or enrollments: keys unique, the household known, the person (if named) known
/// and a member of that household.
fn check_links(
    links: &[LinkIn],
    households: &SortedIds<'_>,
    persons: &SortedIds<'_>,
    household_of: &(dyn Fn(u32) -> u32 + Sync),
    what: &str,
) -> Result<(), GiveWay> {
    // Links come roughly in household order: each stretch keeps its lookups' cursors.
    let ok = links.par_chunks(4096).all(|stretch| {
        let (mut hc, mut pc) = (0, 0);
        stretch.iter().all(|l| {
            let Some(h) = households.find(&l.household, &mut hc) else {
                return false;
            };
            match &l.person {
                None => true,
                Some(p) => persons
                    .find(p, &mut pc)
                    .is_some_and(|p| household_of(p) == h),
            }
        })
    });
    if !ok {
        return give_way(format!("{what}: unknown reference"));
    }
    let mut keys: Vec<&[Id; 3]> = links.iter().map(|l| &l.key).collect();
    let in_order = |a: &&[Id; 3], b: &&[Id; 3]| a.cmp(b);
    if !keys.is_sorted_by(|a, b| in_order(a, b) == Ordering::Less) {
        keys.par_sort_unstable_by(in_order);
    }
    unique(&keys, |a, b| a == b, what)
}
