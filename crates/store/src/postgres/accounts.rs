//! [`crate::accounts::Sql`] on PostgreSQL (the account and audit tables, the web reads
//! and the stored results): statements inside one of [`super::PgStore`]'s transactions.

use super::copy::CopyText;
use super::read::{FETCH, PgRow};
use super::write::copy_error;
use crate::StoreError;
use crate::accounts::{Param, Sql, SqlRow, sql_row_via};
use crate::rows::{CellSink, StoredRow};
use ::postgres::Transaction;
use ::postgres::types::ToSql;
use std::io::Write;

/// Bytes of `COPY` text sent at a time by [`Sql::insert_rows`].
const COPY_FLUSH: usize = 1 << 20;

/// Statements inside an open transaction.
pub(super) struct PgSql<'a, 'c>(pub(super) &'a mut Transaction<'c>);

fn bind<'p>(params: &'p [Param<'_>]) -> Vec<&'p (dyn ToSql + Sync)> {
    params
        .iter()
        .map(|p| -> &'p (dyn ToSql + Sync) {
            match p {
                Param::Text(s) => s,
                Param::OptText(s) => s,
                Param::Int(n) => n,
            }
        })
        .collect()
}

sql_row_via!(::postgres::Row, try_get);

impl PgSql<'_, '_> {
    /// Pages through a portal, [`FETCH`] rows per round trip, as the export does, until
    /// `f` returns `false`.
    fn rows(
        &mut self,
        sql: &str,
        params: &[Param<'_>],
        f: &mut dyn FnMut(&::postgres::Row) -> Result<bool, StoreError>,
    ) -> Result<(), StoreError> {
        let portal = self.0.bind(sql, &bind(params))?;
        loop {
            let page = self.0.query_portal(&portal, FETCH)?;
            for row in &page {
                if !f(row)? {
                    return Ok(());
                }
            }
            if page.len() < FETCH as usize {
                return Ok(());
            }
        }
    }
}

impl Sql for PgSql<'_, '_> {
    fn execute(&mut self, sql: &str, params: &[Param<'_>]) -> Result<u64, StoreError> {
        Ok(self.0.execute(sql, &bind(params))?)
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
        self.rows(sql, params, &mut |row| f(&PgRow(row)).map(|()| true))
    }

    /// One `COPY … FROM STDIN`, sent [`COPY_FLUSH`] bytes at a time.
    fn insert_rows(
        &mut self,
        table: &str,
        columns: &[&str],
        n: usize,
        row: &mut dyn FnMut(usize, &mut dyn CellSink) -> Result<(), StoreError>,
    ) -> Result<u64, StoreError> {
        let sql = format!("COPY {table} ({}) FROM STDIN", columns.join(", "));
        let mut w = self.0.copy_in(&sql)?;
        let mut text = CopyText::new();
        for i in 0..n {
            text.row(|s| row(i, s))?;
            if text.buf.len() >= COPY_FLUSH {
                w.write_all(&text.buf).map_err(copy_error)?;
                text.buf.clear();
            }
        }
        w.write_all(&text.buf).map_err(copy_error)?;
        Ok(w.finish()?)
    }

    /// EXCLUSIVE mode conflicts with itself and with every write, not with plain reads:
    /// the audit pages keep working while an entry is appended.
    fn lock_audit(&mut self) -> Result<(), StoreError> {
        self.0
            .batch_execute("LOCK TABLE audit_log IN EXCLUSIVE MODE")?;
        Ok(())
    }
}
