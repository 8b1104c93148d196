//! Persons decoded straight into their chunk's frame columns, for a batch written in
//! frame order — households by id, persons grouped by household in that order and by id
//! within it — as exports and the synthetic districts are.
//!
//! `persons.csv` is cut where a chunk of households begins (a binary search over the
//! file's bytes for the first line of the chunk's first household), and each chunk's
//! stretch is decoded on some core straight into that chunk's person columns: no row of
//! every person held first and laid out afterwards, no second pass to count lines.
//! Each row is checked to belong where it was found: its household in the chunk, not
//! before the row above's, its id after that row's within one household. A file that
//! breaks this order (or holds a quote) leaves this road for the general one; a row the
//! import refuses gives way to the exact check, as everywhere in the fast load.

use super::files::{TableFile, with_piece_buffer};
use super::ids::{Key, SortedIds};
use super::{GiveWay, give_way, person_row};
use crate::import::{Phase, Progress};
use minsheng_interchange::source::RawRow;
use minsheng_model::{Date, Id, field};
use minsheng_policy::frame::{PersonRow, Persons, counted_in};
use rayon::prelude::*;
use std::ops::Range;
use std::sync::atomic::{AtomicU64, Ordering::Relaxed};

/// A chunk's stretch of the file is never read whole beyond this (a chunk of very many
/// or very wide households takes the general road, which reads pieces of
/// [`super::PIECE_BYTES`]).
const MAX_STRETCH: u64 = 64 << 20;

/// Marks a person number as one of the persons not counted in the month, until the
/// chunks are numbered one after the other.
const UNCOUNTED: u32 = 1 << 31;

/// The persons of a batch in frame order, by chunk. Person numbers run over the counted
/// persons chunk after chunk (their places in the frames), then over the uncounted ones.
pub(super) struct Chunks {
    /// The counted persons of each chunk.
    pub persons: Vec<Persons>,
    /// The number of each chunk's first counted person, and then their count.
    starts: Vec<u32>,
    /// Persons not counted in the month (dead before it): id and household number.
    uncounted: Vec<(Id, u32)>,
    per_chunk: usize,
    /// Every person's key and number, in file order (to be taken for the index).
    pub keys: Vec<(Key, u32)>,
}

/// Why this road was left: for the general road (the order is not this road's), or
/// for the exact check (the data breaks a rule).
pub(super) enum Leave {
    Unordered,
    GiveWay(GiveWay),
}

impl From<GiveWay> for Leave {
    fn from(g: GiveWay) -> Leave {
        Leave::GiveWay(g)
    }
}

/// `r`, with leaving for the general road as `None`.
fn settle<T>(r: Result<T, Leave>) -> Result<Option<T>, GiveWay> {
    match r {
        Ok(t) => Ok(Some(t)),
        Err(Leave::Unordered) => Ok(None),
        Err(Leave::GiveWay(g)) => Err(g),
    }
}

impl Chunks {
    /// Chunk and place within it of a counted person, or the place of an uncounted one.
    fn locate(&self, n: u32) -> Result<(usize, usize), usize> {
        let counted = self.starts[self.starts.len() - 1];
        if n >= counted {
            return Err((n - counted) as usize);
        }
        let chunk = self.starts.partition_point(|&s| s <= n) - 1;
        Ok((chunk, (n - self.starts[chunk]) as usize))
    }

    /// The id of person number `n`.
    pub fn id(&self, n: u32) -> &str {
        match self.locate(n) {
            Ok((chunk, at)) => &self.persons[chunk].id[at],
            Err(at) => &self.uncounted[at].0,
        }
    }

    /// The household number of person number `n`.
    pub fn household_of(&self, n: u32) -> u32 {
        match self.locate(n) {
            Ok((chunk, at)) => (chunk * self.per_chunk) as u32 + self.persons[chunk].household[at],
            Err(at) => self.uncounted[at].1,
        }
    }
}

/// One chunk's decoded persons, numbered within the chunk.
struct Chunk {
    persons: Persons,
    uncounted: Vec<(Id, u32)>,
    /// Every person's key and number in file order; an uncounted person's number is its
    /// place among the chunk's uncounted, marked [`UNCOUNTED`].
    keys: Vec<(Key, u32)>,
    /// Whether each household has exactly one head among the chunk's persons (only
    /// telling once every chunk is known to hold all its households' persons).
    heads_ok: bool,
}

/// The persons of `file` (`persons.csv`) by chunks of `per_chunk` of the households
/// `household_ids` (sorted; `index` finds them), or `None` when the file is not in frame
/// order.
pub(super) fn persons(
    file: &TableFile,
    household_ids: &[Id],
    index: &SortedIds<'_>,
    month: Date,
    per_chunk: usize,
    progress: &dyn Progress,
) -> Result<Option<Chunks>, GiveWay> {
    let per_chunk = per_chunk.max(1);
    let Some(column) = file.header.index[1] else {
        return Ok(None);
    };
    let firsts: Vec<&str> = household_ids
        .iter()
        .step_by(per_chunk)
        .skip(1)
        .map(|h| &**h)
        .collect();
    let cuts = firsts
        .par_iter()
        .map(|first| cut_before(file, column, first))
        .collect::<Result<Vec<u64>, Leave>>();
    let Some(cuts) = settle(cuts)? else {
        return Ok(None);
    };
    let bounds: Vec<u64> = std::iter::once(file.data_start)
        .chain(cuts)
        .chain(std::iter::once(file.len))
        .collect();
    if !bounds.is_sorted() || bounds.windows(2).any(|w| w[1] - w[0] > MAX_STRETCH) {
        return Ok(None);
    }
    progress.begin(&file.label, Phase::Check, file.len - file.data_start);
    let done = AtomicU64::new(0);
    let chunks = bounds
        .par_windows(2)
        .enumerate()
        .map(|(k, w)| {
            let first = k * per_chunk;
            let households = first..(first + per_chunk).min(household_ids.len());
            let chunk = decode_stretch(file, &(w[0]..w[1]), households, index, month)?;
            let bytes = w[1] - w[0];
            progress.advance_to(done.fetch_add(bytes, Relaxed) + bytes);
            Ok(chunk)
        })
        .collect::<Result<Vec<Chunk>, Leave>>();
    progress.end();
    let Some(chunks) = settle(chunks)? else {
        return Ok(None);
    };
    if !chunks.iter().all(|c| c.heads_ok) {
        return give_way("a household without exactly one head");
    }
    Ok(Some(number(chunks, per_chunk)))
}

/// Numbers the chunks' persons one chunk after the other (counted, then uncounted).
fn number(chunks: Vec<Chunk>, per_chunk: usize) -> Chunks {
    let mut starts = vec![0u32];
    let mut side_starts = vec![0u32];
    let mut key_starts = vec![0usize];
    for c in &chunks {
        starts.push(starts[starts.len() - 1] + c.persons.id.len() as u32);
        side_starts.push(side_starts[side_starts.len() - 1] + c.uncounted.len() as u32);
        key_starts.push(key_starts[key_starts.len() - 1] + c.keys.len());
    }
    let counted = starts[chunks.len()];
    // Every chunk's keys, renumbered, into one list on every core (a serial copy of
    // 60 MB had one core wait for the other).
    let keys: Vec<(Key, u32)> = (0..key_starts[chunks.len()])
        .into_par_iter()
        .with_min_len(1 << 16)
        .map_init(
            || 0,
            |k: &mut usize, i| {
                // Each job walks its range upwards: its chunk only moves forward.
                while key_starts[*k + 1] <= i {
                    *k += 1;
                }
                let (key, n) = chunks[*k].keys[i - key_starts[*k]];
                let n = if n & UNCOUNTED == 0 {
                    starts[*k] + n
                } else {
                    counted + side_starts[*k] + (n & !UNCOUNTED)
                };
                (key, n)
            },
        )
        .collect();
    let mut uncounted = Vec::with_capacity(side_starts[chunks.len()] as usize);
    let mut persons = Vec::with_capacity(chunks.len());
    for c in chunks {
        uncounted.extend(c.uncounted);
        persons.push(c.persons);
    }
    Chunks {
        persons,
        starts,
        uncounted,
        per_chunk,
        keys,
    }
}

/// Decodes the persons of `stretch`, all of households numbered `households`.
fn decode_stretch(
    file: &TableFile,
    stretch: &Range<u64>,
    households: Range<usize>,
    index: &SortedIds<'_>,
    month: Date,
) -> Result<Chunk, Leave> {
    with_piece_buffer(|buf| {
        file.read(stretch, buf)?;
        if memchr::memchr(b'"', buf).is_some() {
            return Err(Leave::Unordered);
        }
        let lines = memchr::memchr_iter(b'\n', buf).count() + 1;
        let mut chunk = Chunk {
            persons: Persons::with_capacity(lines),
            uncounted: Vec::new(),
            keys: Vec::with_capacity(lines),
            heads_ok: false,
        };
        let base = households.start;
        let mut heads = vec![0u8; households.len()];
        let mut cursor = base;
        let mut last: Option<usize> = None;
        let mut last_id = Id::default();
        let mut unordered = false;
        let decoded = file.each_row(
            buf,
            false,
            |row: &RawRow<'_>| person_row(row, index, &mut cursor),
            |(id, row): (Id, PersonRow)| {
                // Numbered in the batch; the chunk's columns take `local` below.
                let household = row.household as usize;
                let in_turn = households.contains(&household)
                    && last.is_none_or(|l| household > l || (household == l && id > last_id));
                if !in_turn {
                    unordered = true;
                    return give_way("persons: not in frame order");
                }
                last = Some(household);
                last_id.clone_from(&id);
                let local = (household - base) as u32;
                heads[local as usize] =
                    heads[local as usize].saturating_add(u8::from(row.is_head()));
                let key = Key::of(&id);
                if counted_in(row.deceased_on(), month) {
                    chunk.keys.push((key, chunk.persons.id.len() as u32));
                    chunk.persons.push(id, local, &row, month);
                } else {
                    chunk
                        .keys
                        .push((key, chunk.uncounted.len() as u32 | UNCOUNTED));
                    chunk.uncounted.push((id, household as u32));
                }
                Ok(())
            },
        );
        match decoded {
            Err(_) if unordered => return Err(Leave::Unordered),
            Err(g) => return Err(g.into()),
            Ok(()) => {}
        }
        chunk.heads_ok = heads.iter().all(|&n| n == 1);
        Ok(chunk)
    })
}

/// Where the persons of the household `first` begin: the start of the first line at or
/// after which every household is `first` or later, found by halving the file's bytes
/// (the file is assumed in order; the decoding checks it).
fn cut_before(file: &TableFile, column: usize, first: &str) -> Result<u64, Leave> {
    let mut window = Vec::new();
    let (mut lo, mut hi) = (file.data_start, file.len);
    while lo < hi {
        let mid = lo + (hi - lo) / 2;
        let (_, household) = line_from(file, mid, column, &mut window)?;
        if household.as_deref().is_none_or(|h| h >= first) {
            hi = mid;
        } else {
            lo = mid + 1;
        }
    }
    Ok(line_from(file, lo, column, &mut window)?.0)
}

/// The start of the first non-blank line starting at or after `at` and its household
/// cell (`None`: no such line, the start is the file's end).
fn line_from(
    file: &TableFile,
    at: u64,
    column: usize,
    window: &mut Vec<u8>,
) -> Result<(u64, Option<String>), Leave> {
    let mut start = if at <= file.data_start {
        file.data_start
    } else {
        match file.line_end_from(at - 1, window)? {
            Some(end) => end + 1,
            None => file.len,
        }
    };
    while start < file.len {
        let end = file.line_end_from(start, window)?.unwrap_or(file.len);
        file.read(&(start..end), window)?;
        let Ok(line) = std::str::from_utf8(window) else {
            return Err(Leave::Unordered);
        };
        if line.contains('"') {
            return Err(Leave::Unordered);
        }
        let line = line.strip_suffix('\r').unwrap_or(line);
        if !line.split(',').all(|c| c.trim().is_empty()) {
            let cell = line.split(',').nth(column).map_or("", field::trim);
            return Ok((start, Some(cell.to_owned())));
        }
        start = end + 1;
    }
    Ok((file.len, None))
}

#[cfg(test)]
mod tests {
    use super::super::{PIECE_BYTES, households_of, open_tables};
    use super::*;
    use crate::import::NoProgress;
    use minsheng_interchange::Table;
    use std::path::Path;

    /// Whether the persons of the batch in `dir` take this road at `per_chunk`
    /// households per chunk, and if so how many counted persons each chunk holds.
    fn chunk_sizes(dir: &Path, per_chunk: usize) -> Option<Vec<usize>> {
        let regions = minsheng_interchange::regions::default_table();
        let tables = open_tables(&[dir.to_path_buf()], PIECE_BYTES).unwrap();
        let (ids, _) = households_of(&tables, &regions, &NoProgress).unwrap();
        let index = SortedIds::new(&ids, |h| &**h, "households").unwrap();
        assert!(index.in_order);
        let file = tables.iter().find(|t| t.table == Table::Persons).unwrap();
        let month = Date::from_ymd_opt(2024, 6, 1).unwrap();
        let chunks = persons(file, &ids, &index, month, per_chunk, &NoProgress).unwrap()?;
        let keys = &chunks.keys;
        // Every person once, numbered as the chunks lay them out.
        let counted = chunks.starts[chunks.starts.len() - 1];
        assert_eq!(keys.len(), counted as usize + chunks.uncounted.len());
        for (n, &(key, number)) in keys.iter().enumerate() {
            assert_eq!(key, Key::of(chunks.id(number)), "person {n}");
        }
        Some(chunks.persons.iter().map(|p| p.id.len()).collect())
    }

    fn district(dir: &Path, households: u64) -> std::path::PathBuf {
        let cfg = crate::synth::SynthConfig {
            households,
            seed: 5,
            month: Date::from_ymd_opt(2024, 6, 1).unwrap(),
        };
        let data = dir.join("district");
        crate::synth::synth_to_dir(&cfg, &data).unwrap();
        data
    }

    #[test]
    fn files_in_frame_order_take_this_road_and_others_do_not() {
        let dir = tempfile::tempdir().unwrap();
        let data = district(dir.path(), 40);
        let whole = chunk_sizes(&data, 1000).expect("in frame order");
        assert_eq!(whole.len(), 1);
        let by_three = chunk_sizes(&data, 3).expect("in frame order");
        assert_eq!(by_three.len(), 14, "40 households in chunks of 3");
        assert_eq!(by_three.iter().sum::<usize>(), whole[0]);
        assert!(by_three.iter().all(|&n| n >= 3), "{by_three:?}");

        // Blank lines and CRLF line ends: the same chunks.
        let path = data.join("persons.csv");
        let text = std::fs::read_to_string(&path).unwrap();
        let spaced: Vec<&str> = text.lines().flat_map(|l| [l, "", " , ,"]).collect();
        std::fs::write(&path, spaced.join("\r\n")).unwrap();
        assert_eq!(chunk_sizes(&data, 3), Some(by_three.clone()));

        // The first person's row moved to the end: the household comes back.
        let mut lines: Vec<&str> = text.lines().collect();
        let first = lines.remove(1);
        lines.push(first);
        std::fs::write(&path, lines.join("\n")).unwrap();
        assert_eq!(chunk_sizes(&data, 3), None);
        assert_eq!(chunk_sizes(&data, 1000), None);

        // Two persons of one household in the wrong order.
        let mut lines: Vec<&str> = text.lines().collect();
        lines.swap(1, 2);
        std::fs::write(&path, lines.join("\n")).unwrap();
        assert_eq!(chunk_sizes(&data, 3), None);
    }
}
