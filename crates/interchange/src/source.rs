//! Finding interchange tables in files and folders, and reading them row by row.
//!
//! - A `.csv` file is the table its file name says (`persons.csv`); a folder contributes
//!   every `.csv`/`.xlsx` file directly inside it.
//! - An `.xlsx` workbook contributes each sheet named after a table; other sheets are
//!   reported and left alone.
//!
//! CSV is streamed record by record (memory does not grow with the file). XLSX sheets are
//! read whole by calamine — a sheet holds at most 1 048 576 rows, so this is bounded.
//! Every row carries its 1-based line in the source (header = line 1; for XLSX the sheet
//! row number), which is what error reports cite.

use crate::table::{Column, Table};
use calamine::{Data, Reader};
use minsheng_model::{Problem, ProblemKind};
use std::fs::File;
use std::io::BufReader;
use std::path::{Path, PathBuf};

/// Where a table comes from.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Location {
    Csv(PathBuf),
    Xlsx { path: PathBuf, sheet: String },
}

/// One table found in the input.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Source {
    pub table: Table,
    pub location: Location,
}

/// Input that cannot be used at all (as opposed to a bad row).
#[derive(Debug, thiserror::Error)]
pub enum SourceError {
    #[error("{path}: 无法读取：{detail}")]
    Io { path: String, detail: String },
    #[error(
        "{path}: 文件名不对应任何数据表，应为 households、persons、hospital_stays、events、enrollments 之一（.csv 或 .xlsx 工作表）"
    )]
    UnknownTable { path: String },
    #[error("{path}: 不支持的文件类型，应为 .csv 或 .xlsx")]
    UnknownKind { path: String },
    #[error("{first} 与 {second} 都是 {table} 表，同一批次中每张表只能出现一次")]
    TwiceInBatch {
        table: Table,
        first: String,
        second: String,
    },
}

/// A note about the input that is not an error (e.g. an extra XLSX sheet).
pub type Notice = String;

impl Source {
    /// How this source is named in reports: the path, or `path#sheet` for XLSX.
    pub fn label(&self) -> String {
        match &self.location {
            Location::Csv(p) => p.display().to_string(),
            Location::Xlsx { path, sheet } => format!("{}#{sheet}", path.display()),
        }
    }

    /// Size in bytes of the underlying file (for progress).
    pub fn size_bytes(&self) -> u64 {
        let p = match &self.location {
            Location::Csv(p) | Location::Xlsx { path: p, .. } => p,
        };
        std::fs::metadata(p).map_or(0, |m| m.len())
    }

    /// Opens the table for reading: reads the header and maps its columns.
    pub fn open(&self) -> Result<TableReader, SourceError> {
        let io = |e: &dyn std::fmt::Display| SourceError::Io {
            path: self.label(),
            detail: e.to_string(),
        };
        let inner = match &self.location {
            Location::Csv(path) => {
                let file = File::open(path).map_err(|e| io(&e))?;
                let rdr = csv::ReaderBuilder::new()
                    .has_headers(false)
                    .flexible(true)
                    .buffer_capacity(1 << 20)
                    .from_reader(BufReader::with_capacity(1 << 20, file));
                Inner::Csv(rdr)
            }
            Location::Xlsx { path, sheet } => {
                let mut wb = calamine::open_workbook_auto(path).map_err(|e| io(&e))?;
                let range = wb.worksheet_range(sheet).map_err(|e| io(&e))?;
                let first_row = range.start().map_or(0, |(r, _)| u64::from(r));
                let rows: Vec<Vec<String>> = range
                    .rows()
                    .map(|r| r.iter().map(cell_text).collect())
                    .collect();
                Inner::Xlsx {
                    rows: rows.into_iter(),
                    next_line: first_row + 1,
                }
            }
        };
        let mut reader = TableReader {
            table: self.table,
            label: self.label(),
            inner,
            header: Header::default(),
            record: csv::StringRecord::new(),
            line: 0,
            index: 0,
        };
        reader.read_header();
        Ok(reader)
    }
}

/// Finds the tables in `paths` (files or folders), in import order.
pub fn discover(paths: &[PathBuf]) -> Result<(Vec<Source>, Vec<Notice>), SourceError> {
    let mut files = Vec::new();
    for p in paths {
        if p.is_dir() {
            let entries = std::fs::read_dir(p).map_err(|e| SourceError::Io {
                path: p.display().to_string(),
                detail: e.to_string(),
            })?;
            let mut inside: Vec<PathBuf> = entries
                .filter_map(Result::ok)
                .map(|e| e.path())
                .filter(|f| f.is_file() && matches!(extension(f).as_deref(), Some("csv" | "xlsx")))
                .collect();
            inside.sort();
            files.extend(inside);
        } else {
            files.push(p.clone());
        }
    }
    let mut sources = Vec::new();
    let mut notices = Vec::new();
    for f in files {
        let label = f.display().to_string();
        match extension(&f).as_deref() {
            Some("csv") => {
                let stem = f.file_stem().and_then(|s| s.to_str()).unwrap_or("");
                let table =
                    Table::from_name(stem).ok_or(SourceError::UnknownTable { path: label })?;
                sources.push(Source {
                    table,
                    location: Location::Csv(f),
                });
            }
            Some("xlsx" | "xlsm" | "xls" | "ods") => {
                let wb = calamine::open_workbook_auto(&f).map_err(|e| SourceError::Io {
                    path: label.clone(),
                    detail: e.to_string(),
                })?;
                let mut found = false;
                for sheet in wb.sheet_names() {
                    match Table::from_name(sheet.trim()) {
                        Some(table) => {
                            found = true;
                            sources.push(Source {
                                table,
                                location: Location::Xlsx {
                                    path: f.clone(),
                                    sheet: sheet.clone(),
                                },
                            });
                        }
                        None => notices
                            .push(format!("{label}#{sheet}: 工作表名不对应任何数据表，已跳过")),
                    }
                }
                if !found {
                    return Err(SourceError::UnknownTable { path: label });
                }
            }
            _ => return Err(SourceError::UnknownKind { path: label }),
        }
    }
    sources.sort_by_key(|s| s.table);
    for w in sources.windows(2) {
        if w[0].table == w[1].table {
            return Err(SourceError::TwiceInBatch {
                table: w[0].table,
                first: w[0].label(),
                second: w[1].label(),
            });
        }
    }
    Ok((sources, notices))
}

fn extension(p: &Path) -> Option<String> {
    p.extension()
        .and_then(|e| e.to_str())
        .map(str::to_ascii_lowercase)
}

/// The text of an XLSX cell as a CSV cell would hold it.
fn cell_text(d: &Data) -> String {
    match d {
        Data::Empty => String::new(),
        Data::String(s) | Data::DateTimeIso(s) | Data::DurationIso(s) => s.clone(),
        Data::Int(i) => i.to_string(),
        // Shortest decimal that reads back as the same double: 1234.5 stays "1234.5".
        Data::Float(f) => f.to_string(),
        Data::Bool(b) => b.to_string(),
        Data::DateTime(dt) => match dt.as_datetime() {
            Some(t) if t.time() == chrono::NaiveTime::MIN => {
                t.date().format("%Y-%m-%d").to_string()
            }
            Some(t) => t.to_string(),
            None => dt.to_string(),
        },
        Data::Error(e) => format!("#{e:?}"),
    }
}

enum Inner {
    Csv(csv::Reader<BufReader<File>>),
    Xlsx {
        rows: std::vec::IntoIter<Vec<String>>,
        next_line: u64,
    },
}

/// How a header maps onto a table's columns.
#[derive(Clone, Debug, Default)]
pub struct Header {
    /// For each column of the table (in [`Table::columns`] order), its index in the file.
    pub index: Vec<Option<usize>>,
    /// Columns the format does not know: (name, index in the file).
    pub unknown: Vec<(String, usize)>,
    /// Problems with the header itself (missing required column, duplicate column).
    pub problems: Vec<Problem>,
    /// Number of header cells; a row with more non-empty cells than this is refused.
    pub width: usize,
    /// The line of the header row (1 unless blank lines precede it).
    pub line: u64,
}

/// Reads one table row by row.
pub struct TableReader {
    pub table: Table,
    pub label: String,
    inner: Inner,
    pub header: Header,
    record: csv::StringRecord,
    line: u64,
    index: u64,
}

/// One data row as read: its source line, cells, and the header that names them.
pub struct RawRow<'a> {
    /// 1-based line where the row starts in the source (what reports cite).
    pub line: u64,
    /// 0-based position of the row among the data rows of the file. Unlike `line` it is
    /// unique even where records end with a bare carriage return.
    pub index: u64,
    pub record: Record<'a>,
    pub header: &'a Header,
}

/// A row's cells as read: a `StringRecord` (each field checked as UTF-8 by the reader),
/// or a `ByteRecord` whose text was checked once as a whole — a field cut out of valid
/// UTF-8 at the reader's ASCII delimiters is valid UTF-8 too, and checking 19 short
/// fields one by one costs as much as parsing the CSV.
#[derive(Clone, Copy, Debug)]
pub enum Record<'a> {
    Text(&'a csv::StringRecord),
    Checked {
        record: &'a csv::ByteRecord,
        /// `record.as_slice()` as text.
        text: &'a str,
    },
    /// A line of quote-free text cut at its commas in place ([`split_unquoted`]).
    Split {
        /// The line, without its line end.
        text: &'a str,
        /// Where each field ends in `text`: field `i` runs from just after the comma at
        /// `ends[i - 1]` (from 0 for the first) to `ends[i]`.
        ends: &'a [usize],
    },
}

impl<'a> Record<'a> {
    /// `record` with its text, if the text is UTF-8.
    pub fn checked(record: &'a csv::ByteRecord) -> Option<Record<'a>> {
        let text = std::str::from_utf8(record.as_slice()).ok()?;
        Some(Record::Checked { record, text })
    }

    /// Fields in the row.
    pub fn len(&self) -> usize {
        match self {
            Record::Text(r) => r.len(),
            Record::Checked { record, .. } => record.len(),
            Record::Split { ends, .. } => ends.len(),
        }
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Field `i`, if the row has it.
    #[inline]
    pub fn get(&self, i: usize) -> Option<&'a str> {
        match *self {
            Record::Text(r) => r.get(i),
            Record::Checked { record, text } => text.get(record.range(i)?),
            Record::Split { text, ends } => {
                let start = if i == 0 { 0 } else { ends.get(i - 1)? + 1 };
                text.get(start..*ends.get(i)?)
            }
        }
    }

    /// Whether every field is blank.
    pub fn is_blank(&self) -> bool {
        (0..self.len()).all(|i| self.get(i).is_none_or(|c| c.trim().is_empty()))
    }
}

/// Calls `each` with every record of `text`, which holds no quote character, as the CSV
/// reader (`has_headers(false)`, `flexible(true)`) would read them: lines end at `\n` or
/// `\r\n`, empty lines are skipped, fields end at commas. Line ends are found with
/// memchr's vector search, commas eight bytes at a time ([`commas`]), and the fields are
/// slices of `text`: on the synthetic district's persons about a quarter quicker than the
/// reader's state machine (which must watch for quotes), and each line needs no UTF-8
/// check of its own.
/// Stops at the first error of `each`. `None`, before any call, when a carriage return
/// does not end a line (the reader would end a record there; the caller takes the
/// reader's road).
pub fn split_unquoted<E>(
    text: &str,
    mut each: impl FnMut(Record<'_>) -> Result<(), E>,
) -> Option<Result<(), E>> {
    let bytes = text.as_bytes();
    if memchr::memchr_iter(b'\r', bytes).any(|i| bytes.get(i + 1) != Some(&b'\n')) {
        return None;
    }
    let mut ends = Vec::with_capacity(64);
    let mut start = 0;
    for end in memchr::memchr_iter(b'\n', bytes).chain([bytes.len()]) {
        // A line end is an ASCII byte: `start` and `end` are character boundaries.
        let line = &text[start..end];
        let line = line.strip_suffix('\r').unwrap_or(line);
        start = end + 1;
        if line.is_empty() {
            continue;
        }
        commas(line.as_bytes(), &mut ends);
        if let Err(e) = each(Record::Split {
            text: line,
            ends: &ends,
        }) {
            return Some(Err(e));
        }
    }
    Some(Ok(()))
}

/// Sets `ends` to where the fields of `line` end: the position of every comma, then the
/// line's length. Eight bytes are tested at once as one integer (a field is a few bytes
/// long: memchr, made for long searches, took twice as long to find the next comma).
#[inline]
pub fn commas(line: &[u8], ends: &mut Vec<usize>) {
    const COMMAS: u64 = u64::from_ne_bytes([b','; 8]);
    const LOW7: u64 = u64::from_ne_bytes([0x7f; 8]);
    ends.clear();
    let mut words = line.chunks_exact(8);
    let mut base = 0;
    for word in &mut words {
        let x = u64::from_le_bytes(word.try_into().expect("eight bytes")) ^ COMMAS;
        // The high bit of each byte that was a comma (now zero), exactly: no carry
        // crosses a byte, as the low seven bits are added apart from the high one.
        let mut zero = !(((x & LOW7) + LOW7) | x) & !LOW7;
        while zero != 0 {
            ends.push(base + (zero.trailing_zeros() / 8) as usize);
            zero &= zero - 1;
        }
        base += 8;
    }
    let rest = words.remainder();
    ends.extend(
        (0..rest.len())
            .filter(|&i| rest[i] == b',')
            .map(|i| base + i),
    );
    ends.push(line.len());
}

/// A row the CSV reader could not read (bad quoting, not UTF-8, an IO error).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct UnreadableRow {
    pub line: u64,
    pub index: u64,
    pub problem: Problem,
}

impl RawRow<'_> {
    /// The cell at file column `i` ("" when the row is short).
    #[inline]
    pub fn cell(&self, i: usize) -> &str {
        self.record.get(i).unwrap_or("")
    }
}

impl TableReader {
    /// Whether the header lets rows be read (no missing required column).
    pub fn header_ok(&self) -> bool {
        self.header.problems.is_empty()
    }

    /// Bytes consumed so far (CSV), for progress.
    pub fn bytes_read(&self) -> u64 {
        match &self.inner {
            Inner::Csv(r) => r.position().byte(),
            Inner::Xlsx { .. } => 0,
        }
    }

    fn read_header(&mut self) {
        let columns = self.table.columns();
        let mut header = Header {
            index: vec![None; columns.len()],
            ..Header::default()
        };
        match self.next_record() {
            Some(Ok(line)) => {
                header.width = self.record.len();
                header.line = line;
                for (i, raw) in self.record.iter().enumerate() {
                    let name = raw
                        .trim()
                        .trim_start_matches('\u{feff}')
                        .to_ascii_lowercase();
                    if name.is_empty() {
                        continue;
                    }
                    match columns.iter().position(|c| c.name == name) {
                        Some(k) if header.index[k].is_some() => {
                            header.problems.push(Problem::new(
                                name,
                                raw,
                                ProblemKind::DuplicateColumn,
                            ));
                        }
                        Some(k) => header.index[k] = Some(i),
                        None => header.unknown.push((raw.trim().to_owned(), i)),
                    }
                }
                for (k, Column { name, required }) in columns.iter().enumerate() {
                    if *required && header.index[k].is_none() {
                        header
                            .problems
                            .push(Problem::new(*name, "", ProblemKind::MissingColumn));
                    }
                }
            }
            Some(Err(p)) => {
                header.line = self.line;
                header.problems.push(p);
            }
            None => {}
        }
        self.header = header;
    }

    /// Reads the next record into `self.record`; returns its line.
    fn next_record(&mut self) -> Option<Result<u64, Problem>> {
        match &mut self.inner {
            Inner::Csv(rdr) => match rdr.read_record(&mut self.record) {
                Ok(false) => None,
                Ok(true) => {
                    self.line = self.record.position().map_or(self.line + 1, |p| p.line());
                    Some(Ok(self.line))
                }
                Err(e) => {
                    let line = e.position().map_or(self.line + 1, |p| p.line());
                    self.line = line;
                    let detail = match e.kind() {
                        csv::ErrorKind::Utf8 { .. } => {
                            "内容不是 UTF-8 编码（可能是 GBK）；请在 Excel 中“另存为 CSV UTF-8”后重新导入".to_owned()
                        }
                        _ => e.to_string(),
                    };
                    // A CSV error at a position is about that record only; reading goes on.
                    // An IO error ends the file.
                    if matches!(e.kind(), csv::ErrorKind::Io(_)) {
                        self.inner = Inner::Xlsx {
                            rows: Vec::new().into_iter(),
                            next_line: line,
                        };
                    }
                    Some(Err(Problem::new(
                        "",
                        "",
                        ProblemKind::Unreadable { detail },
                    )))
                }
            },
            Inner::Xlsx { rows, next_line } => {
                let row = rows.next()?;
                self.record.clear();
                for c in &row {
                    self.record.push_field(c);
                }
                self.line = *next_line;
                *next_line += 1;
                Some(Ok(self.line))
            }
        }
    }

    /// The next data row, skipping rows whose cells are all empty; `Err` is a row that
    /// could not be read at all.
    pub fn next_row(&mut self) -> Option<Result<RawRow<'_>, UnreadableRow>> {
        loop {
            match self.next_record()? {
                Err(problem) => {
                    let bad = UnreadableRow {
                        line: self.line,
                        index: self.index,
                        problem,
                    };
                    self.index += 1;
                    return Some(Err(bad));
                }
                Ok(line) => {
                    if Record::Text(&self.record).is_blank() {
                        continue;
                    }
                    let index = self.index;
                    self.index += 1;
                    return Some(Ok(RawRow {
                        line,
                        index,
                        record: Record::Text(&self.record),
                        header: &self.header,
                    }));
                }
            }
        }
    }
}
