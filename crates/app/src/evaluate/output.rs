//! An evaluation's files: `results.csv` and `medical.csv` exactly as interchange-v1
//! specifies them, and `undecided.csv` (the units the rules cannot decide, with the
//! columns they miss). Each file's rows are formatted on every core in stretches and
//! written in order, the files themselves side by side: a million-household district
//! writes about half a million rows.

use crate::error::AppError;
use minsheng_model::Fen;
use minsheng_policy::eval::{MedicalRow, Outcome, ResultRow, Rows, Undecided};
use rayon::prelude::*;
use std::fmt::Write as _;
use std::io::Write as _;
use std::path::Path;

/// Where each file goes (`None`: not written).
#[derive(Clone, Copy, Debug, Default)]
pub struct Outputs<'a> {
    pub results: Option<&'a Path>,
    pub medical: Option<&'a Path>,
    pub undecided: Option<&'a Path>,
}

/// Writes the files of `outcome` asked for in `to`; `all`: every decided unit in
/// `results.csv`, not only the eligible ones.
pub fn write(outcome: &Outcome, all: bool, to: Outputs<'_>) -> Result<(), AppError> {
    let rows = if all { &outcome.all } else { &outcome.results };
    let ((results, medical), undecided) = rayon::join(
        || {
            rayon::join(
                || {
                    to.results
                        .map_or(Ok(()), |p| write_csv(p, RESULT_COLUMNS, rows, result))
                },
                || {
                    to.medical.map_or(Ok(()), |p| {
                        write_csv(p, MEDICAL_COLUMNS, &outcome.medical, medical)
                    })
                },
            )
        },
        || {
            to.undecided.map_or(Ok(()), |p| {
                write_csv(p, UNDECIDED_COLUMNS, &outcome.undecided, undecided)
            })
        },
    );
    results.and(medical).and(undecided)
}

/// The columns of `results.csv`.
pub const RESULT_COLUMNS: &[&str] = &[
    "household_id",
    "person_id",
    "program",
    "eligible",
    "monthly_amount",
];
/// The columns of `medical.csv`.
pub const MEDICAL_COLUMNS: &[&str] = &[
    "stay_id",
    "person_id",
    "basic_paid",
    "critical_paid",
    "assistance_paid",
    "local_fund_paid",
    "self_paid",
];
/// The columns of `undecided.csv`.
pub const UNDECIDED_COLUMNS: &[&str] = &["household_id", "person_id", "program", "missing"];

/// Rows formatted per stretch: each stretch's text is a few hundred kilobytes.
const STRETCH: usize = 8192;

type Out = csv::Writer<Vec<u8>>;

fn result(r: &ResultRow, w: &mut Out, buf: &mut String) -> csv::Result<()> {
    w.write_field(r.household_id.as_str())?;
    w.write_field(r.person_id.as_deref().unwrap_or(""))?;
    w.write_field(r.program.as_str())?;
    w.write_field(if r.eligible { "true" } else { "false" })?;
    w.write_field(yuan(buf, r.monthly_amount))?;
    w.write_record(None::<&[u8]>)
}

fn medical(m: &MedicalRow, w: &mut Out, buf: &mut String) -> csv::Result<()> {
    w.write_field(m.stay_id.as_str())?;
    w.write_field(m.person_id.as_str())?;
    for paid in [
        m.basic_paid,
        m.critical_paid,
        m.assistance_paid,
        m.local_fund_paid,
        m.self_paid,
    ] {
        w.write_field(yuan(buf, paid))?;
    }
    w.write_record(None::<&[u8]>)
}

fn undecided(u: &Undecided, w: &mut Out, buf: &mut String) -> csv::Result<()> {
    w.write_field(u.household_id.as_str())?;
    w.write_field(u.person_id.as_deref().unwrap_or(""))?;
    w.write_field(u.program.as_str())?;
    buf.clear();
    for (i, column) in u.missing.iter().enumerate() {
        if i > 0 {
            buf.push(';');
        }
        buf.push_str(column);
    }
    w.write_field(&*buf)?;
    w.write_record(None::<&[u8]>)
}

/// `f` as yuan with two decimals, written into `buf`.
fn yuan(buf: &mut String, f: Fen) -> &str {
    buf.clear();
    write!(buf, "{f}").expect("writing to a String");
    buf
}

/// `header` and one record per row (written by `record`) to `path`.
fn write_csv<T: Sync>(
    path: &Path,
    header: &[&str],
    rows: &Rows<T>,
    record: fn(&T, &mut Out, &mut String) -> csv::Result<()>,
) -> Result<(), AppError> {
    let failed = |e: std::io::Error| AppError::io(path, e);
    let csv_failed = |e: csv::Error| failed(e.into());
    // Stretches of at most STRETCH rows within each part of the rows, in order.
    let stretches = rows
        .parts()
        .par_iter()
        .flat_map(|part| part.par_chunks(STRETCH))
        .map(|stretch| {
            let mut w = csv::WriterBuilder::new()
                .has_headers(false)
                .from_writer(Vec::with_capacity(stretch.len() * 64));
            let mut buf = String::new();
            for row in stretch {
                record(row, &mut w, &mut buf)?;
            }
            w.into_inner().map_err(|e| e.into_error().into())
        })
        .collect::<Result<Vec<Vec<u8>>, csv::Error>>()
        .map_err(csv_failed)?;
    let mut file = std::io::BufWriter::new(std::fs::File::create(path).map_err(failed)?);
    let mut w = csv::Writer::from_writer(&mut file);
    w.write_record(header).map_err(csv_failed)?;
    w.flush().map_err(failed)?;
    drop(w);
    for text in &stretches {
        file.write_all(text).map_err(failed)?;
    }
    file.flush().map_err(failed)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Rows over several parts and stretches come out as one writer writing them in turn
    /// would.
    #[test]
    fn stretches_join_into_the_file_one_writer_makes() {
        let rows: Vec<ResultRow> = (0..STRETCH as i64 * 2 + 7)
            .map(|i| ResultRow {
                household_id: format!("H{i:07}").as_str().into(),
                person_id: (i % 3 == 0).then(|| format!("P{i}").as_str().into()),
                program: if i % 1000 == 5 { "a,b" } else { "dibao" }.into(),
                eligible: i % 2 == 0,
                monthly_amount: Fen(i * 37),
            })
            .collect();
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("results.csv");
        // A small part, then one of more than two stretches.
        let parts = Rows::from_parts([rows[..100].to_vec(), rows[100..].to_vec()]);
        write_csv(&path, RESULT_COLUMNS, &parts, result).unwrap();

        let mut w = csv::Writer::from_writer(Vec::new());
        w.write_record(RESULT_COLUMNS).unwrap();
        for r in &rows {
            w.write_record([
                r.household_id.as_str(),
                r.person_id.as_deref().unwrap_or(""),
                r.program.as_str(),
                &r.eligible.to_string(),
                &r.monthly_amount.to_string(),
            ])
            .unwrap();
        }
        let want = String::from_utf8(w.into_inner().unwrap()).unwrap();
        let got = std::fs::read_to_string(&path).unwrap();
        assert_eq!(got.lines().count(), rows.len() + 1);
        assert!(
            got.contains("H0000005,,\"a,b\",false,1.85\n"),
            "quoted where needed"
        );
        assert_eq!(got, want);
    }
}
