//! Typed reading of one stored row: each accessor turns a [`Stored`] value into a model
//! type, or into [`StoreError::Corrupt`] naming the table, key, column and value.

use super::{Stored, StoredRow, TableDef};
use crate::StoreError;
use minsheng_model::{Date, Extra, Fen, RegionCode};

/// Typed access to the cells of one stored row; every failure names table, key, column
/// and value.
pub(crate) struct Fields<'r, R> {
    row: &'r R,
    def: &'static TableDef,
}

impl<'r, R: StoredRow> Fields<'r, R> {
    pub fn new(def: &'static TableDef, row: &'r R) -> Self {
        Fields { row, def }
    }

    /// The row's key as text (`H1/P1/dibao` for a composite key), for error messages.
    fn key_text(&self) -> String {
        let mut parts = Vec::with_capacity(self.def.key.len());
        for k in self.def.key {
            let i = self.def.columns.iter().position(|c| c == k);
            let v = i
                .and_then(|i| self.row.get(i).ok())
                .map_or_else(|| "?".to_owned(), |v| v.describe());
            parts.push(v);
        }
        parts.join("/")
    }

    fn corrupt(&self, i: usize, value: &Stored<'_>) -> StoreError {
        StoreError::Corrupt {
            table: self.def.name,
            key: self.key_text(),
            column: self.def.columns.get(i).copied().unwrap_or("?"),
            value: value.describe(),
        }
    }

    fn opt<T>(
        &self,
        i: usize,
        read: impl FnOnce(&Stored<'_>) -> Option<T>,
    ) -> Result<Option<T>, StoreError> {
        let v = self.row.get(i)?;
        if matches!(v, Stored::Null) {
            return Ok(None);
        }
        read(&v).map(Some).ok_or_else(|| self.corrupt(i, &v))
    }

    fn req<T>(
        &self,
        i: usize,
        read: impl FnOnce(&Stored<'_>) -> Option<T>,
    ) -> Result<T, StoreError> {
        let v = self.row.get(i)?;
        read(&v).ok_or_else(|| self.corrupt(i, &v))
    }

    pub fn opt_text(&self, i: usize) -> Result<Option<String>, StoreError> {
        self.opt(i, |v| match v {
            Stored::Text(s) => Some((*s).to_owned()),
            _ => None,
        })
    }

    pub fn text(&self, i: usize) -> Result<String, StoreError> {
        self.req(i, |v| match v {
            Stored::Text(s) => Some((*s).to_owned()),
            _ => None,
        })
    }

    pub fn opt_int(&self, i: usize) -> Result<Option<i64>, StoreError> {
        self.opt(i, |v| match v {
            Stored::Int(n) => Some(*n),
            _ => None,
        })
    }

    pub fn int(&self, i: usize) -> Result<i64, StoreError> {
        self.req(i, |v| match v {
            Stored::Int(n) => Some(*n),
            _ => None,
        })
    }

    /// An integer that must fit `T` (counts, grades); anything else is corrupt.
    pub fn opt_small<T: TryFrom<i64>>(&self, i: usize) -> Result<Option<T>, StoreError> {
        self.opt(i, |v| match v {
            Stored::Int(n) => T::try_from(*n).ok(),
            _ => None,
        })
    }

    pub fn opt_money(&self, i: usize) -> Result<Option<Fen>, StoreError> {
        Ok(self.opt_int(i)?.map(Fen))
    }

    pub fn money(&self, i: usize) -> Result<Fen, StoreError> {
        self.int(i).map(Fen)
    }

    /// PostgreSQL returns `BOOLEAN`; SQLite stores `0`/`1`.
    fn read_bool(v: &Stored<'_>) -> Option<bool> {
        match v {
            Stored::Bool(b) => Some(*b),
            Stored::Int(0) => Some(false),
            Stored::Int(1) => Some(true),
            _ => None,
        }
    }

    pub fn opt_bool(&self, i: usize) -> Result<Option<bool>, StoreError> {
        self.opt(i, Self::read_bool)
    }

    pub fn bool(&self, i: usize) -> Result<bool, StoreError> {
        self.req(i, Self::read_bool)
    }

    /// PostgreSQL returns `DATE`; SQLite stores exactly `YYYY-MM-DD`.
    fn read_date(v: &Stored<'_>) -> Option<Date> {
        match v {
            Stored::Date(d) => Some(*d),
            Stored::Text(s) if s.len() == 10 => minsheng_model::date::parse_iso(s),
            _ => None,
        }
    }

    pub fn opt_date(&self, i: usize) -> Result<Option<Date>, StoreError> {
        self.opt(i, Self::read_date)
    }

    pub fn date(&self, i: usize) -> Result<Date, StoreError> {
        self.req(i, Self::read_date)
    }

    pub fn opt_code<T>(
        &self,
        i: usize,
        from_code: fn(&str) -> Option<T>,
    ) -> Result<Option<T>, StoreError> {
        self.opt(i, |v| match v {
            Stored::Text(s) => from_code(s),
            _ => None,
        })
    }

    pub fn code<T>(&self, i: usize, from_code: fn(&str) -> Option<T>) -> Result<T, StoreError> {
        self.req(i, |v| match v {
            Stored::Text(s) => from_code(s),
            _ => None,
        })
    }

    pub fn region(&self, i: usize) -> Result<RegionCode, StoreError> {
        self.code(i, RegionCode::parse)
    }

    pub fn opt_region(&self, i: usize) -> Result<Option<RegionCode>, StoreError> {
        self.opt_code(i, RegionCode::parse)
    }

    pub fn extra(&self, i: usize) -> Result<Extra, StoreError> {
        Ok(self
            .opt(i, |v| match v {
                Stored::Text(s) => serde_json::from_str::<Extra>(s).ok(),
                _ => None,
            })?
            .unwrap_or_default())
    }
}
