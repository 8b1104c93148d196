//! The record tables as both backends see them: column lists, keys, and how a record
//! becomes a row of cells and a stored row becomes a record again.
//!
//! Keeping this in one place means SQLite and PostgreSQL cannot disagree on a column's
//! order or encoding: a backend only supplies a [`CellSink`] (bind parameters, or write
//! `COPY` text) and a [`StoredRow`] (read one result row).
//!
//! - this file: table definitions, the cell types and the shared queries;
//! - [`fields`]: typed reading of a stored row, with corruption reported in place;
//! - [`records`]: each record type's encoding and decoding;
//! - [`text`]: dates and region codes as text without allocating.

mod fields;
mod records;
mod text;

pub(crate) use fields::Fields;
pub(crate) use records::decode_region;
pub(crate) use text::{RegionDigits, region_digits, with_iso_date};

use crate::{Keys, StoreError};
use minsheng_model::region::RegionTableError;
use minsheng_model::{Date, RecordSink, SinkError};
use minsheng_model::{Extra, Region, RegionTable, Relation};

/// One table: its name, its columns in the order every statement lists them, and the
/// columns of its primary key (also the export order).
pub(crate) struct TableDef {
    /// Position in [`TABLES`], used to index per-table caches of generated upsert SQL.
    pub index: usize,
    pub name: &'static str,
    pub columns: &'static [&'static str],
    pub key: &'static [&'static str],
}

pub(crate) const HOUSEHOLDS: TableDef = TableDef {
    index: 0,
    name: "households",
    columns: &[
        "household_id",
        "region_code",
        "area",
        "savings",
        "houses",
        "vehicles",
        "address",
        "extra",
    ],
    key: &["household_id"],
};

pub(crate) const PERSONS: TableDef = TableDef {
    index: 1,
    name: "persons",
    columns: &[
        "person_id",
        "household_id",
        "id_number",
        "name",
        "sex",
        "birth_date",
        "relation",
        "disability_grade",
        "disability_kind",
        "self_care",
        "employment",
        "wage_income",
        "business_income",
        "property_income",
        "transfer_income",
        "illness",
        "capable_supporter",
        "orphan",
        "deceased_on",
        "extra",
    ],
    key: &["person_id"],
};

pub(crate) const STAYS: TableDef = TableDef {
    index: 2,
    name: "hospital_stays",
    columns: &[
        "stay_id",
        "person_id",
        "admit_date",
        "discharge_date",
        "hospital_level",
        "in_district",
        "total_cost",
        "covered_cost",
        "extra",
    ],
    key: &["stay_id"],
};

pub(crate) const EVENTS: TableDef = TableDef {
    index: 3,
    name: "events",
    columns: &[
        "event_id",
        "person_id",
        "household_id",
        "kind",
        "date",
        "amount",
        "note",
        "extra",
    ],
    key: &["event_id"],
};

/// `person_key` is `person_id`, or `''` for a household-level enrollment: a primary key
/// column cannot be NULL, while `person_id` keeps NULL = "no person".
pub(crate) const ENROLLMENTS: TableDef = TableDef {
    index: 4,
    name: "enrollments",
    columns: &[
        "household_id",
        "person_id",
        "person_key",
        "program",
        "since",
        "monthly_amount",
        "until",
        "extra",
    ],
    key: &["household_id", "person_key", "program"],
};

/// [`TableDef::index`] of the definitions below, which no upsert uses.
const NO_UPSERT: usize = usize::MAX;

/// The region tree; `seq` (the source table's order) is written but not part of a record.
pub(crate) const REGIONS: TableDef = TableDef {
    index: NO_UPSERT,
    name: "regions",
    columns: &["code", "level", "name", "parent_code"],
    key: &["code"],
};

/// What `keys()` reads of a person.
pub(crate) const PERSON_KEYS: TableDef = TableDef {
    index: NO_UPSERT,
    name: "persons",
    columns: &["person_id", "household_id", "relation"],
    key: &["person_id"],
};

/// The record tables, indexed by [`TableDef::index`] (per-table caches of generated SQL).
pub(crate) const TABLES: [&TableDef; 5] = [&HOUSEHOLDS, &PERSONS, &STAYS, &EVENTS, &ENROLLMENTS];

impl TableDef {
    /// The export query: every column, ordered by the key.
    pub fn select_sql(&self) -> String {
        format!(
            "SELECT {} FROM {} ORDER BY {}",
            self.columns.join(", "),
            self.name,
            self.key.join(", ")
        )
    }

    /// The columns outside the key, which an upsert replaces.
    pub fn value_columns(&self) -> impl Iterator<Item = &'static str> + '_ {
        self.columns
            .iter()
            .copied()
            .filter(|c| !self.key.contains(c))
    }
}

/// One value on its way into the database. Enumerations arrive as their interchange code.
#[derive(Clone, Copy, Debug)]
pub(crate) enum Cell<'a> {
    Null,
    Text(&'a str),
    Int(i64),
    Bool(bool),
    Date(Date),
    /// A non-empty list of unknown columns; stored as a JSON array of `[column, value]`.
    Extra(&'a Extra),
}

/// Where a backend puts the cells of one row, in [`TableDef::columns`] order.
pub(crate) trait CellSink {
    fn put(&mut self, cell: Cell<'_>) -> Result<(), StoreError>;
}

/// One value read back, as the backend stored it.
#[derive(Clone, Debug)]
pub(crate) enum Stored<'a> {
    Null,
    Text(&'a str),
    Int(i64),
    Bool(bool),
    Date(Date),
    /// Something of an unexpected type, described for the error message.
    Other(String),
}

impl Stored<'_> {
    fn describe(&self) -> String {
        match self {
            Stored::Null => "NULL".to_owned(),
            Stored::Text(s) => (*s).to_owned(),
            Stored::Int(n) => n.to_string(),
            Stored::Bool(b) => b.to_string(),
            Stored::Date(d) => d.to_string(),
            Stored::Other(s) => s.clone(),
        }
    }
}

/// One result row of a `SELECT` listing a table's columns in [`TableDef::columns`] order.
pub(crate) trait StoredRow {
    fn get(&self, i: usize) -> Result<Stored<'_>, StoreError>;
}

/// A row seen through a reference (`&dyn StoredRow` included) reads as the row itself.
impl<T: StoredRow + ?Sized> StoredRow for &T {
    fn get(&self, i: usize) -> Result<Stored<'_>, StoreError> {
        (**self).get(i)
    }
}

/// A record type stored in one table.
pub(crate) trait Record: Sized {
    const DEF: &'static TableDef;
    fn encode(&self, s: &mut impl CellSink) -> Result<(), StoreError>;
    fn decode(f: &Fields<'_, impl StoredRow>) -> Result<Self, StoreError>;
    /// The primary key, padded with `""` for single-column keys.
    fn key(&self) -> (&str, &str, &str);
    /// Hands the record to the matching method of an export sink.
    fn emit(&self, sink: &mut dyn RecordSink) -> Result<(), SinkError>;
}

/// The JSON text of a non-empty extra list (`[["column","value"],…]`, order kept).
pub(crate) fn extra_json(e: &Extra) -> String {
    use serde_json::Value;
    Value::Array(
        e.iter()
            .map(|(k, v)| Value::Array(vec![Value::String(k.clone()), Value::String(v.clone())]))
            .collect(),
    )
    .to_string()
}

/// The queries behind `keys()`, `regions()` and `counts()`, the same on both backends.
pub(crate) const HOUSEHOLD_KEYS_SQL: &str = "SELECT household_id FROM households";
pub(crate) const PERSON_KEYS_SQL: &str = "SELECT person_id, household_id, relation FROM persons";
pub(crate) const REGIONS_SQL: &str =
    "SELECT code, level, name, parent_code FROM regions ORDER BY seq";
pub(crate) const COUNTS_SQL: &str = concat!(
    "SELECT (SELECT count(*) FROM regions), (SELECT count(*) FROM households), ",
    "(SELECT count(*) FROM persons), (SELECT count(*) FROM hospital_stays), ",
    "(SELECT count(*) FROM events), (SELECT count(*) FROM enrollments)",
);

/// Adds one row of [`HOUSEHOLD_KEYS_SQL`] to `keys`.
pub(crate) fn add_household_key(keys: &mut Keys, row: &impl StoredRow) -> Result<(), StoreError> {
    keys.households
        .insert(Fields::new(&HOUSEHOLDS, row).text(0)?);
    Ok(())
}

/// Adds one row of [`PERSON_KEYS_SQL`] to `keys`.
pub(crate) fn add_person_key(keys: &mut Keys, row: &impl StoredRow) -> Result<(), StoreError> {
    let f = Fields::new(&PERSON_KEYS, row);
    let relation = f.code(2, Relation::from_code)?;
    keys.persons
        .insert(f.text(0)?, (f.text(1)?, relation == Relation::Head));
    Ok(())
}

/// The stored rows as a [`RegionTable`]; a row whose parent is missing is corrupt.
pub(crate) fn region_table(list: Vec<Region>) -> Result<RegionTable, StoreError> {
    RegionTable::new(list).map_err(|e| match e {
        RegionTableError::Duplicate(code) => StoreError::Corrupt {
            table: REGIONS.name,
            key: code.to_string(),
            column: "code",
            value: code.to_string(),
        },
        RegionTableError::MissingParent { code, parent } => StoreError::Corrupt {
            table: REGIONS.name,
            key: code.to_string(),
            column: "parent_code",
            value: parent.to_string(),
        },
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_table_lists_its_key_columns() {
        for (i, t) in TABLES.iter().enumerate() {
            assert_eq!(t.index, i);
            assert!(t.key.iter().all(|k| t.columns.contains(k)), "{}", t.name);
        }
    }
}
