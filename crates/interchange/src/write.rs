//! Typed records → interchange-v1 CSV, the same columns and spellings the reader accepts:
//! money as yuan with two decimals, ISO dates, `true`/`false`, empty for unknown.
//!
//! [`CsvDirWriter`] writes the five files of a folder and is a [`RecordSink`], so a store
//! export or a synthetic district streams straight into it. Columns outside the format
//! (`extra`) stay in the registry; export writes the format's columns.

use crate::table::Table;
use minsheng_model::{
    Enrollment, Event, Fen, HospitalStay, Household, Person, RecordSink, SinkError,
};
use std::fs::File;
use std::io::BufWriter;
use std::path::{Path, PathBuf};

type Out = csv::Writer<BufWriter<File>>;

/// Writes `households.csv` … `enrollments.csv` into one folder.
pub struct CsvDirWriter {
    dir: PathBuf,
    households: Out,
    persons: Out,
    stays: Out,
    events: Out,
    enrollments: Out,
}

fn opt_money(f: Option<Fen>) -> String {
    f.map(|f| f.to_string()).unwrap_or_default()
}

fn date(d: chrono::NaiveDate) -> String {
    minsheng_model::date::to_iso(d)
}

fn opt_date(d: Option<chrono::NaiveDate>) -> String {
    d.map(date).unwrap_or_default()
}

fn opt_num<T: ToString>(v: Option<T>) -> String {
    v.map(|v| v.to_string()).unwrap_or_default()
}

fn opt_code(v: Option<&'static str>) -> &'static str {
    v.unwrap_or("")
}

impl CsvDirWriter {
    /// Creates (or truncates) the five files in `dir`, creating `dir` if needed.
    pub fn create(dir: &Path) -> std::io::Result<CsvDirWriter> {
        std::fs::create_dir_all(dir)?;
        let open = |t: Table| -> std::io::Result<Out> {
            let f = File::create(dir.join(t.file_name()))?;
            let mut w = csv::WriterBuilder::new().from_writer(BufWriter::with_capacity(1 << 20, f));
            w.write_record(t.columns().iter().map(|c| c.name))?;
            Ok(w)
        };
        Ok(CsvDirWriter {
            dir: dir.to_owned(),
            households: open(Table::Households)?,
            persons: open(Table::Persons)?,
            stays: open(Table::HospitalStays)?,
            events: open(Table::Events)?,
            enrollments: open(Table::Enrollments)?,
        })
    }

    pub fn dir(&self) -> &Path {
        &self.dir
    }

    /// Flushes every file; call before reading them.
    pub fn finish(mut self) -> std::io::Result<()> {
        for w in [
            &mut self.households,
            &mut self.persons,
            &mut self.stays,
            &mut self.events,
            &mut self.enrollments,
        ] {
            w.flush()?;
        }
        Ok(())
    }
}

impl RecordSink for CsvDirWriter {
    fn household(&mut self, h: &Household) -> Result<(), SinkError> {
        self.households.write_record([
            h.household_id.as_str(),
            &h.region_code.to_string(),
            opt_code(h.area.map(|a| a.code())),
            &opt_money(h.savings),
            &opt_num(h.houses),
            &opt_num(h.vehicles),
            h.address.as_deref().unwrap_or(""),
        ])?;
        Ok(())
    }

    fn person(&mut self, p: &Person) -> Result<(), SinkError> {
        let m = opt_money;
        self.persons.write_record([
            p.person_id.as_str(),
            p.household_id.as_str(),
            p.id_number.as_str(),
            p.name.as_str(),
            p.sex.code(),
            &date(p.birth_date),
            p.relation.code(),
            &opt_num(p.disability_grade),
            opt_code(p.disability_kind.map(|v| v.code())),
            opt_code(p.self_care.map(|v| v.code())),
            opt_code(p.employment.map(|v| v.code())),
            &m(p.wage_income),
            &m(p.business_income),
            &m(p.property_income),
            &m(p.transfer_income),
            opt_code(p.illness.map(|v| v.code())),
            &opt_num(p.capable_supporter),
            &opt_num(p.orphan),
            &opt_date(p.deceased_on),
        ])?;
        Ok(())
    }

    fn stay(&mut self, s: &HospitalStay) -> Result<(), SinkError> {
        self.stays.write_record([
            s.stay_id.as_str(),
            s.person_id.as_str(),
            &date(s.admit_date),
            &date(s.discharge_date),
            s.hospital_level.code(),
            if s.in_district { "true" } else { "false" },
            &s.total_cost.to_string(),
            &s.covered_cost.to_string(),
        ])?;
        Ok(())
    }

    fn event(&mut self, e: &Event) -> Result<(), SinkError> {
        self.events.write_record([
            e.event_id.as_str(),
            e.person_id.as_deref().unwrap_or(""),
            e.household_id.as_str(),
            e.kind.code(),
            &date(e.date),
            &opt_money(e.amount),
            e.note.as_deref().unwrap_or(""),
        ])?;
        Ok(())
    }

    fn enrollment(&mut self, e: &Enrollment) -> Result<(), SinkError> {
        self.enrollments.write_record([
            e.household_id.as_str(),
            e.person_id.as_deref().unwrap_or(""),
            e.program.as_str(),
            &date(e.since),
            &opt_money(e.monthly_amount),
            &opt_date(e.until),
        ])?;
        Ok(())
    }
}
