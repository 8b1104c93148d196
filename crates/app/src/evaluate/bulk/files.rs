//! The files of a batch read in pieces: each CSV table's header, its data cut into
//! pieces at line ends, a piece read into its core's reused buffer and its rows handed
//! to a decoder — split in place where the piece holds no quote, through the CSV reader
//! where it does.

use super::{GiveWay, give_way};
use minsheng_interchange::source::{Header, Location, RawRow, Record, split_unquoted};
use minsheng_interchange::{Source, Table};
use std::ops::Range;

/// The size of the pieces a file is read and decoded in: large enough that cutting and
/// reading cost nothing next to decoding, small enough that a core's reused read buffer
/// stays small. (Tests cut much smaller pieces to exercise the cutting.)
pub const PIECE_BYTES: u64 = 2 << 20;

/// One CSV table: its header, and where its data rows are.
pub(super) struct TableFile {
    pub(super) table: Table,
    pub(super) label: String,
    pub(super) header: Header,
    pub(super) file: std::fs::File,
    pub(super) data_start: u64,
    pub(super) len: u64,
    pub(super) piece_bytes: u64,
}

impl TableFile {
    pub(super) fn open(source: &Source, piece_bytes: u64) -> Result<TableFile, GiveWay> {
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
    pub(super) fn read(&self, range: &Range<u64>, buf: &mut Vec<u8>) -> Result<(), GiveWay> {
        use std::os::unix::fs::FileExt;
        buf.resize((range.end - range.start) as usize, 0);
        self.file
            .read_exact_at(buf, range.start)
            .or_else(|e| give_way(format!("{}: {e}", self.label)))
    }

    /// Where the first line end at or after `at` is (`None`: none before the end),
    /// read through `window` in steps of 4 KiB growing to 64 KiB (most lines are short).
    pub(super) fn line_end_from(
        &self,
        mut at: u64,
        window: &mut Vec<u8>,
    ) -> Result<Option<u64>, GiveWay> {
        let mut step = 4096;
        while at < self.len {
            let range = at..(at + step).min(self.len);
            self.read(&range, window)?;
            if let Some(i) = memchr::memchr(b'\n', window) {
                return Ok(Some(at + i as u64));
            }
            at = range.end;
            step = (step * 2).min(64 * 1024);
        }
        Ok(None)
    }

    /// The data rows cut into pieces of about `piece_bytes` at line ends.
    pub(super) fn pieces(&self) -> Result<Vec<Range<u64>>, GiveWay> {
        let mut pieces = Vec::new();
        let mut start = self.data_start;
        let mut window = Vec::new();
        while self.len - start > self.piece_bytes {
            // Just after the first line end after the nominal cut.
            let end = self
                .line_end_from(start + self.piece_bytes, &mut window)?
                .map_or(self.len, |at| at + 1);
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
    pub(super) fn each_row<T>(
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
            // Checked with vector instructions: std's check was a thirtieth of a load.
            let Ok(text) = simdutf8::basic::from_utf8(piece) else {
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
pub(super) fn close_gaps<T>(v: &mut Vec<T>, slots: &[usize], rows: &[usize]) {
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

/// The number of lines of a piece, or `None` if it holds a quote (a quoted cell may
/// hold a line end that a cut went through). Searched and counted with memchr's vector
/// code: a byte loop here was a twentieth of a load's samples.
pub(super) fn piece_lines(piece: &[u8]) -> Option<usize> {
    if memchr::memchr(b'"', piece).is_some() {
        return None;
    }
    let ends = memchr::memchr_iter(b'\n', piece).count();
    Some(ends + usize::from(piece.last().is_some_and(|&b| b != b'\n')))
}

/// `f` with this thread's piece buffer: one buffer per core for every piece of every
/// table and both passes over them. (A buffer per rayon job, as `map_init` makes, was
/// fresh memory for most pieces: a fifth of the kernel's page zeroing in a load.)
pub(super) fn with_piece_buffer<R>(f: impl FnOnce(&mut Vec<u8>) -> R) -> R {
    thread_local! {
        static PIECE: std::cell::RefCell<Vec<u8>> = const { std::cell::RefCell::new(Vec::new()) };
    }
    PIECE.with_borrow_mut(f)
}
