//! Rows in PostgreSQL's `COPY … FROM STDIN` text format: tab-separated, one line per
//! row, `\N` for NULL, and backslash escapes for the four bytes that would otherwise end
//! a field or a line (backslash, tab, newline, carriage return).

use crate::StoreError;
use crate::rows::{self, Cell, CellSink, Record};
use std::io::Write;

/// Appends the rows of one `COPY` to a buffer.
pub(super) struct CopyText {
    pub buf: Vec<u8>,
}

impl CopyText {
    pub fn new() -> Self {
        CopyText {
            buf: Vec::with_capacity(1 << 20),
        }
    }

    /// Appends one record as a line.
    pub fn record<R: Record>(&mut self, r: &R) -> Result<(), StoreError> {
        let mut line = Line {
            out: &mut self.buf,
            first: true,
        };
        r.encode(&mut line)?;
        self.buf.push(b'\n');
        Ok(())
    }

    /// Appends one line of the cells `f` puts.
    pub fn row(
        &mut self,
        f: impl FnOnce(&mut dyn CellSink) -> Result<(), StoreError>,
    ) -> Result<(), StoreError> {
        let mut line = Line {
            out: &mut self.buf,
            first: true,
        };
        f(&mut line)?;
        self.buf.push(b'\n');
        Ok(())
    }

    /// Appends one line of already-built cells.
    pub fn line(&mut self, cells: &[Cell<'_>]) -> Result<(), StoreError> {
        let mut line = Line {
            out: &mut self.buf,
            first: true,
        };
        for c in cells {
            line.put(*c)?;
        }
        self.buf.push(b'\n');
        Ok(())
    }
}

struct Line<'b> {
    out: &'b mut Vec<u8>,
    first: bool,
}

impl CellSink for Line<'_> {
    fn put(&mut self, cell: Cell<'_>) -> Result<(), StoreError> {
        if !self.first {
            self.out.push(b'\t');
        }
        self.first = false;
        match cell {
            Cell::Null => self.out.extend_from_slice(b"\\N"),
            Cell::Text(s) => escape_into(self.out, s),
            // Writing into a Vec cannot fail.
            Cell::Int(n) => {
                let _ = write!(self.out, "{n}");
            }
            Cell::Bool(b) => self.out.push(if b { b't' } else { b'f' }),
            Cell::Date(d) => rows::with_iso_date(d, |s| self.out.extend_from_slice(s.as_bytes())),
            Cell::Extra(e) => escape_into(self.out, &rows::extra_json(e)),
        }
        Ok(())
    }
}

/// Appends `s` with the text format's escapes; most values have none and are copied whole.
fn escape_into(out: &mut Vec<u8>, s: &str) {
    let bytes = s.as_bytes();
    if !bytes
        .iter()
        .any(|b| matches!(b, b'\\' | b'\t' | b'\n' | b'\r'))
    {
        out.extend_from_slice(bytes);
        return;
    }
    for &b in bytes {
        match b {
            b'\\' => out.extend_from_slice(b"\\\\"),
            b'\t' => out.extend_from_slice(b"\\t"),
            b'\n' => out.extend_from_slice(b"\\n"),
            b'\r' => out.extend_from_slice(b"\\r"),
            _ => out.push(b),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn line(cells: &[Cell<'_>]) -> String {
        let mut c = CopyText::new();
        c.line(cells).unwrap();
        String::from_utf8(c.buf).unwrap()
    }

    #[test]
    fn escapes_what_would_break_a_field() {
        assert_eq!(
            line(&[Cell::Text("a\tb\nc\rd\\e"), Cell::Null]),
            "a\\tb\\nc\\rd\\\\e\t\\N\n"
        );
        // A value that spells \N is text, not NULL.
        assert_eq!(line(&[Cell::Text("\\N")]), "\\\\N\n");
        assert_eq!(line(&[Cell::Text("户主")]), "户主\n");
    }

    #[test]
    fn writes_numbers_booleans_and_dates() {
        let d = minsheng_model::Date::from_ymd_opt(2024, 2, 29).unwrap();
        assert_eq!(
            line(&[
                Cell::Int(-5),
                Cell::Bool(true),
                Cell::Bool(false),
                Cell::Date(d)
            ]),
            "-5\tt\tf\t2024-02-29\n"
        );
    }
}
