//! [`crate::accounts::Sql`] on SQLite (the account and audit tables, the web reads and
//! the stored results): statements on a connection inside one of
//! [`super::SqliteStore`]'s transactions.

use super::read::SqlRow as RecordRow;
use super::write::Binder;
use crate::StoreError;
use crate::accounts::{Param, Sql, SqlRow, sql_row_via};
use crate::rows::{CellSink, StoredRow};
use rusqlite::{Connection, ToSql, params_from_iter};

/// Statements on a connection whose transaction the caller holds.
pub(super) struct SqliteSql<'c>(pub(super) &'c Connection);

fn bind<'p>(params: &'p [Param<'_>]) -> impl Iterator<Item = &'p dyn ToSql> {
    params.iter().map(|p| -> &'p dyn ToSql {
        match p {
            Param::Text(s) => s,
            Param::OptText(s) => s,
            Param::Int(n) => n,
        }
    })
}

sql_row_via!(rusqlite::Row<'_>, get);

impl SqliteSql<'_> {
    /// Steps through the rows of `sql` until `f` returns `false`.
    fn rows(
        &mut self,
        sql: &str,
        params: &[Param<'_>],
        f: &mut dyn FnMut(&rusqlite::Row<'_>) -> Result<bool, StoreError>,
    ) -> Result<(), StoreError> {
        let mut stmt = self.0.prepare_cached(sql)?;
        let mut rows = stmt.query(params_from_iter(bind(params)))?;
        while let Some(row) = rows.next()? {
            if !f(row)? {
                break;
            }
        }
        Ok(())
    }
}

impl Sql for SqliteSql<'_> {
    fn execute(&mut self, sql: &str, params: &[Param<'_>]) -> Result<u64, StoreError> {
        let n = self
            .0
            .prepare_cached(sql)?
            .execute(params_from_iter(bind(params)))?;
        Ok(n as u64)
    }

    fn each(
        &mut self,
        sql: &str,
        params: &[Param<'_>],
        f: &mut dyn FnMut(&dyn SqlRow) -> Result<bool, StoreError>,
    ) -> Result<(), StoreError> {
        self.rows(sql, params, &mut |row| f(row))
    }

    fn each_stored(
        &mut self,
        sql: &str,
        params: &[Param<'_>],
        f: &mut dyn FnMut(&dyn StoredRow) -> Result<(), StoreError>,
    ) -> Result<(), StoreError> {
        self.rows(sql, params, &mut |row| f(&RecordRow(row)).map(|()| true))
    }

    fn insert_rows(
        &mut self,
        table: &str,
        columns: &[&str],
        n: usize,
        row: &mut dyn FnMut(usize, &mut dyn CellSink) -> Result<(), StoreError>,
    ) -> Result<u64, StoreError> {
        let params: Vec<String> = (1..=columns.len()).map(|i| format!("?{i}")).collect();
        let sql = format!(
            "INSERT INTO {table} ({}) VALUES ({})",
            columns.join(", "),
            params.join(", ")
        );
        let mut stmt = self.0.prepare_cached(&sql)?;
        let mut inserted = 0u64;
        for i in 0..n {
            row(i, &mut Binder::new(&mut stmt))?;
            inserted += stmt.raw_execute()? as u64;
        }
        Ok(inserted)
    }

    /// Nothing to do: write transactions begin `IMMEDIATE`, holding the database's one
    /// write lock from their first statement.
    fn lock_audit(&mut self) -> Result<(), StoreError> {
        Ok(())
    }
}
