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
//! measured).
//!
//! It only ever answers "these frames" or "give way": at the first row or rule the
//! data breaks (or an XLSX sheet, or a file it cannot read) it stops, and the caller
//! runs the exact import check ([`crate::import::check_files`]), which finds and reports
//! every problem with its file, line and column. So valid data is loaded fast and
//! invalid data is refused exactly as an import would refuse it; the tests hold the two
//! roads to the same frames and the same verdicts.

use crate::import::{Phase, Progress};
use minsheng_interchange::decode;
use minsheng_interchange::source::{Header, Location, RawRow, Record, split_unquoted};
use minsheng_interchange::{Source, Table};
use minsheng_model::{Date, Id, RegionTable};
use minsheng_policy::frame::{Frame, HouseholdRow, Parts, PersonRow, StayRow, assemble};
use rayon::prelude::*;
use std::cmp::Ordering;
use std::ops::Range;
use std::path::PathBuf;
use std::sync::atomic::{AtomicU64, Ordering::Relaxed};

/// Why the fast road gave way to the exact check (what it saw first, for tracing; the
/// exact check says it properly).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct GiveWay(pub String);

fn give_way<T>(why: impl Into<String>) -> Result<T, GiveWay> {
    Err(GiveWay(why.into()))
}

/// The size of the pieces a file is read and decoded in: large enough that cutting and
/// reading cost nothing next to decoding, small enough that a core's reused read buffer
/// stays small. (Tests cut much smaller pieces to exercise the cutting.)
pub const PIECE_BYTES: u64 = 8 << 20;

/// One CSV table: its header, and where its data rows are.
struct TableFile {
    table: Table,
    label: String,
    header: Header,
    file: std::fs::File,
    data_start: u64,
    len: u64,
    piece_bytes: u64,
}

impl TableFile {
    fn open(source: &Source, piece_bytes: u64) -> Result<TableFile, GiveWay> {
        let Location::Csv(path) = &source.location else {
            return give_way(format!("{}: XLSX", source.label()));
        };
        let reader = source
            .open()
            .or_else(|e| give_way(format!("{}: {e}", source.label())))?;
        if !reader.header_ok() {
            return give_way(format!("{}: header", source.label()));
        }
        let data_start = reader.bytes_read();
        let header = reader.header;
        let file =
            std::fs::File::open(path).or_else(|e| give_way(format!("{}: {e}", path.display())))?;
        let len = file
            .metadata()
            .or_else(|e| give_way(format!("{}: {e}", path.display())))?
            .len();
        if data_start > len {
            return give_way(format!("{}: changed while read", path.display()));
        }
        Ok(TableFile {
            table: source.table,
            label: source.label(),
            header,
            file,
            data_start,
            len,
            piece_bytes: piece_bytes.max(1),
        })
    }

    /// Reads `range` of the file into `buf` (reused: no fresh memory per piece).
    fn read(&self, range: &Range<u64>, buf: &mut Vec<u8>) -> Result<(), GiveWay> {
        use std::os::unix::fs::FileExt;
        buf.resize((range.end - range.start) as usize, 0);
        self.file
            .read_exact_at(buf, range.start)
            .or_else(|e| give_way(format!("{}: {e}", self.label)))
    }

    /// The data rows cut into pieces of about `piece_bytes` at line ends.
    fn pieces(&self) -> Result<Vec<Range<u64>>, GiveWay> {
        let mut pieces = Vec::new();
        let mut start = self.data_start;
        let mut window = Vec::new();
        while self.len - start > self.piece_bytes {
            // The first line end after the nominal cut.
            let mut at = start + self.piece_bytes;
            let end = loop {
                let range = at..(at + 64 * 1024).min(self.len);
                self.read(&range, &mut window)?;
                match window.iter().position(|&b| b == b'\n') {
                    Some(i) => break at + i as u64 + 1,
                    None if range.end == self.len => break self.len,
                    None => at = range.end,
                }
            };
            pieces.push(start..end);
            start = end;
        }
        if start < self.len {
            pieces.push(start..self.len);
        }
        Ok(pieces)
    }

    /// Every non-blank row of `piece` through `decode`, in file order, into `sink`. A
    /// piece the line count found without quotes is split in place ([`split_unquoted`]);
    /// one with quotes (`quoted`) goes through the CSV reader.
    fn each_row<T>(
        &self,
        piece: &[u8],
        quoted: bool,
        mut decode: impl FnMut(&RawRow<'_>) -> Option<T>,
        mut sink: impl FnMut(T) -> Result<(), GiveWay>,
    ) -> Result<(), GiveWay> {
        let table = self.table;
        let mut row = |record: Record<'_>| {
            if record.is_blank() {
                return Ok(());
            }
            let row = RawRow {
                line: 0,
                index: 0,
                record,
                header: &self.header,
            };
            match decode(&row) {
                Some(v) => sink(v),
                None => give_way(format!("{table}: a refused row")),
            }
        };
        if !quoted {
            // Text not in UTF-8: the exact road says where.
            let Ok(text) = std::str::from_utf8(piece) else {
                return give_way(format!("{table}: not UTF-8"));
            };
            return split_unquoted(text, row)
                .unwrap_or_else(|| give_way(format!("{table}: a bare carriage return")));
        }
        let mut rdr = csv::ReaderBuilder::new()
            .has_headers(false)
            .flexible(true)
            .from_reader(piece);
        let mut bytes = csv::ByteRecord::new();
        loop {
            match rdr.read_byte_record(&mut bytes) {
                Ok(false) => return Ok(()),
                Ok(true) => match Record::checked(&bytes) {
                    Some(record) => row(record)?,
                    None => return give_way(format!("{table}: not UTF-8")),
                },
                Err(e) => return give_way(format!("{table}: {e}")),
            }
        }
    }
}

/// Moves the `rows[i]` rows at the start of each stretch of `slots[i]` down so that they
/// follow each other, and drops the rest.
fn close_gaps<T>(v: &mut Vec<T>, slots: &[usize], rows: &[usize]) {
    let (mut from, mut to) = (0, 0);
    for (&n, &r) in slots.iter().zip(rows) {
        for k in 0..r {
            v.swap(to, from + k);
            to += 1;
        }
        from += n;
    }
    v.truncate(to);
}

/// An id's first 15 bytes and its length (16 for any longer id) as two integers, `hi`
/// and `lo`, that order as the id does: bytes past the end count as zero, and where two
/// ids agree on them the shorter is the smaller, as it is as text. For ids of up to 15
/// bytes equal keys mean equal ids; longer ids with equal keys are compared as text.
/// Sorting and looking up by key reads no id through its pointer (a cache miss each:
/// the ids are boxed one by one).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
struct Key {
    hi: u64,
    lo: u64,
}

impl Key {
    fn of(id: &str) -> Key {
        let b = id.as_bytes();
        let mut k = [0u8; 16];
        let n = b.len().min(15);
        k[..n].copy_from_slice(&b[..n]);
        k[15] = b.len().min(16) as u8;
        let half = |h: &[u8]| u64::from_be_bytes(h.try_into().expect("eight bytes"));
        Key {
            hi: half(&k[..8]),
            lo: half(&k[8..]),
        }
    }

    /// Whether equal keys mean equal ids (the id has at most 15 bytes).
    fn whole(self) -> bool {
        self.lo & 0xff < 16
    }
}

/// Ids sorted by [`Key`], each with its number (its position in `ids`), for lookups.
struct SortedIds<'a, T> {
    ids: &'a [T],
    id: fn(&T) -> &str,
    sorted: Vec<(Key, u32)>,
}

impl<'a, T: Sync> SortedIds<'a, T> {
    /// The ids of `ids` (each read by `id`, numbered by position); gives way on a
    /// repeated id.
    fn new(ids: &'a [T], id: fn(&T) -> &str, what: &str) -> Result<Self, GiveWay> {
        let mut this = SortedIds {
            ids,
            id,
            sorted: ids
                .par_iter()
                .enumerate()
                .map(|(n, t)| (Key::of(id(t)), n as u32))
                .collect(),
        };
        if !this
            .sorted
            .is_sorted_by(|a, b| this.order(a, b) == Ordering::Less)
        {
            let mut sorted = std::mem::take(&mut this.sorted);
            sorted.par_sort_unstable_by(|a, b| this.order(a, b));
            this.sorted = sorted;
        }
        unique(
            &this.sorted,
            |a, b| this.order(a, b) == Ordering::Equal,
            what,
        )?;
        Ok(this)
    }

    fn text(&self, n: u32) -> &str {
        (self.id)(&self.ids[n as usize])
    }

    /// The order of two entries: by key, then (long ids only) by text.
    fn order(&self, a: &(Key, u32), b: &(Key, u32)) -> Ordering {
        self.compare(a, b.0, || self.text(b.1))
    }

    /// The order of the entry `a` and the id with key `key`, whose text `text` gives
    /// (read only for a long id whose key equals `a`'s).
    fn compare<'t>(&'t self, a: &(Key, u32), key: Key, text: impl FnOnce() -> &'t str) -> Ordering {
        a.0.cmp(&key).then_with(|| {
            if key.whole() {
                Ordering::Equal
            } else {
                self.text(a.1).cmp(text())
            }
        })
    }

    /// The number of `id`. `cursor` is where the last lookup ended: lookups in id order
    /// (persons grouped by household, stays by person) find their id at or a little
    /// after it, so the search gallops forward from there (1, 2, 4 … places) before it
    /// halves, and only an id before the cursor searches the whole list.
    fn find(&self, id: &str, cursor: &mut usize) -> Option<u32> {
        let key = Key::of(id);
        let order = |e: &(Key, u32)| self.compare(e, key, || id);
        let len = self.sorted.len();
        let range = match self.sorted.get(*cursor).map(order) {
            Some(Ordering::Equal) => return Some(self.sorted[*cursor].1),
            Some(Ordering::Less) => {
                // `sorted[lo]` is before `id`; `sorted[lo + step]` is not, or is past the end.
                let (mut lo, mut step) = (*cursor, 1);
                while lo + step < len && order(&self.sorted[lo + step]) == Ordering::Less {
                    lo += step;
                    step *= 2;
                }
                lo + 1..(lo + step + 1).min(len)
            }
            _ => 0..len,
        };
        let at = range.start + self.sorted[range].binary_search_by(order).ok()?;
        *cursor = at;
        Some(self.sorted[at].1)
    }
}

/// Gives way when two neighbours of the sorted `v` are equal.
fn unique<T: Sync>(v: &[T], eq: impl Fn(&T, &T) -> bool + Sync, what: &str) -> Result<(), GiveWay> {
    if v.par_windows(2).any(|w| eq(&w[0], &w[1])) {
        return give_way(format!("{what}: a repeated id"));
    }
    Ok(())
}

/// An event or enrollment: what its references and key need.
#[derive(Default)]
struct LinkIn {
    key: (String, String, String),
    household: String,
    person: Option<String>,
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
    let (sources, _notices) =
        minsheng_interchange::discover(paths).or_else(|e| give_way(e.to_string()))?;
    let tables: Vec<TableFile> = sources
        .iter()
        .map(|s| TableFile::open(s, piece_bytes))
        .collect::<Result<_, _>>()?;
    let (household_ids, households) = columns_of(&tables, Table::Households, progress, || {
        |row: &RawRow<'_>| {
            let h = decode::household(row, regions).ok()?;
            let row = HouseholdRow::from(&h);
            Some((Id::new(&h.household_id), row))
        }
    })?;
    let household_index = SortedIds::new(&household_ids, |h| &**h, "households")?;
    // Each person's household is looked up as the person is decoded (persons come
    // grouped by household: the cursor finds it without a search).
    let (person_ids, persons) = columns_of(&tables, Table::Persons, progress, || {
        let mut cursor = 0;
        let index = &household_index;
        move |row: &RawRow<'_>| {
            let p = decode::person(row).ok()?;
            let household = index.find(&p.household_id, &mut cursor)?;
            let row = PersonRow::new(&p, household);
            Some((Id::new(&p.person_id), row))
        }
    })?;
    let mut heads = vec![0u32; households.len()];
    for p in &persons {
        heads[p.household as usize] += u32::from(p.is_head());
    }
    if heads.iter().any(|&n| n != 1) {
        return give_way("a household without exactly one head");
    }
    let person_index = SortedIds::new(&person_ids, |p| &**p, "persons")?;
    let stays = rows_of(&tables, Table::HospitalStays, progress, || {
        let mut cursor = 0;
        let index = &person_index;
        move |row: &RawRow<'_>| {
            let s = decode::stay(row).ok()?;
            let person = index.find(&s.person_id, &mut cursor)?;
            Some(StayRow::new(&s, person))
        }
    })?;
    SortedIds::new(&stays, StayRow::id, "hospital_stays")?;
    let events = rows_of(&tables, Table::Events, progress, || {
        |row: &RawRow<'_>| {
            let e = decode::event(row).ok()?;
            Some(LinkIn {
                key: (e.event_id, String::new(), String::new()),
                household: e.household_id,
                person: e.person_id,
            })
        }
    })?;
    let enrollments = rows_of(&tables, Table::Enrollments, progress, || {
        |row: &RawRow<'_>| {
            let e = decode::enrollment(row).ok()?;
            let (household, person, program) = e.key();
            Some(LinkIn {
                key: (household.to_owned(), person.to_owned(), program.to_owned()),
                household: e.household_id,
                person: e.person_id,
            })
        }
    })?;
    drop(tables);
    for (links, what) in [(events, "events"), (enrollments, "enrollments")] {
        check_links(&links, &household_index, &person_index, &persons, what)?;
    }
    drop((household_index, person_index));

    let parts = Parts {
        household_ids,
        households,
        person_ids,
        persons,
        stays,
    };
    Ok(assemble(parts, month, per_chunk))
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

/// The number of lines of a piece, or `None` if it holds a quote (a quoted cell may
/// hold a line end that a cut went through). Searched and counted with memchr's vector
/// code: a byte loop here was a twentieth of a load's samples.
fn piece_lines(piece: &[u8]) -> Option<usize> {
    if memchr::memchr(b'"', piece).is_some() {
        return None;
    }
    let ends = memchr::memchr_iter(b'\n', piece).count();
    Some(ends + usize::from(piece.last().is_some_and(|&b| b != b'\n')))
}

/// `f` with this thread's piece buffer: one buffer per core for every piece of every
/// table and both passes over them. (A buffer per rayon job, as `map_init` makes, was
/// fresh memory for most pieces: a fifth of the kernel's page zeroing in a load.)
fn with_piece_buffer<R>(f: impl FnOnce(&mut Vec<u8>) -> R) -> R {
    thread_local! {
        static PIECE: std::cell::RefCell<Vec<u8>> = const { std::cell::RefCell::new(Vec::new()) };
    }
    PIECE.with_borrow_mut(f)
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
    households: &SortedIds<'_, Id>,
    persons: &SortedIds<'_, Id>,
    person_rows: &[PersonRow],
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
                    .is_some_and(|p| person_rows[p as usize].household == h),
            }
        })
    });
    if !ok {
        return give_way(format!("{what}: unknown reference"));
    }
    let mut keys: Vec<&(String, String, String)> = links.iter().map(|l| &l.key).collect();
    let in_order = |a: &&(String, String, String), b: &&(String, String, String)| a.cmp(b);
    if !keys.is_sorted_by(|a, b| in_order(a, b) == Ordering::Less) {
        keys.par_sort_unstable_by(in_order);
    }
    unique(&keys, |a, b| a == b, what)
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    /// Ids around the 15-byte edge, many sharing their first 13 or 14 bytes, with zero
    /// bytes (which pad keys) and characters of several bytes.
    fn ids() -> impl Strategy<Value = Vec<String>> {
        let byte = prop_oneof![Just('\0'), Just('A'), Just('B'), Just('王'), Just('~')];
        let prefix = prop_oneof![Just(""), Just("P000000000000"), Just("P0000000000000")];
        let id = (prefix, proptest::collection::vec(byte, 0..6))
            .prop_map(|(p, c)| p.chars().chain(c).collect());
        proptest::collection::vec(id, 1..40)
    }

    proptest! {
        #[test]
        fn keys_sort_and_find_as_the_text_does(ids in ids()) {
            let mut unique_ids: Vec<String> = ids.clone();
            unique_ids.sort();
            unique_ids.dedup();
            let boxed: Vec<Box<str>> = unique_ids.iter().rev().map(|s| s.as_str().into()).collect();
            let index = SortedIds::new(&boxed, |b| &**b, "ids").unwrap();
            let by_key: Vec<&str> = index.sorted.iter().map(|&(_, n)| index.text(n)).collect();
            prop_assert_eq!(&by_key, &unique_ids);
            // From the start, and from wherever the last lookup ended (before or after).
            let mut cursor = 0;
            for id in &ids {
                let n = index.find(id, &mut 0).unwrap();
                prop_assert_eq!(index.text(n), id.as_str());
                let n = index.find(id, &mut cursor).unwrap();
                prop_assert_eq!(index.text(n), id.as_str());
                prop_assert_eq!(index.text(index.sorted[cursor].1), id.as_str());
            }
            for id in &unique_ids {
                let n = index.find(id, &mut cursor).unwrap();
                prop_assert_eq!(index.text(n), id.as_str());
            }
            prop_assert_eq!(index.find("\u{10FFFF}", &mut 0), None);
            prop_assert_eq!(index.find("\u{10FFFF}", &mut cursor), None);
            prop_assert_eq!(index.find("", &mut cursor).is_some(), unique_ids[0].is_empty());
            if ids.len() > unique_ids.len() {
                let repeated: Vec<Box<str>> = ids.iter().map(|s| s.as_str().into()).collect();
                prop_assert!(SortedIds::new(&repeated, |b| &**b, "ids").is_err());
            }
        }
    }
}
