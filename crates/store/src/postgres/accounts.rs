//! The account and audit tables on PostgreSQL: [`crate::accounts::Sql`] over one of
//! [`super::PgStore`]'s transactions.

use super::read::FETCH;
use crate::StoreError;
use crate::accounts::{Param, Sql, SqlRow, sql_row_via};
use ::postgres::Transaction;
use ::postgres::types::ToSql;

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

impl Sql for PgSql<'_, '_> {
    fn execute(&mut self, sql: &str, params: &[Param<'_>]) -> Result<u64, StoreError> {
        Ok(self.0.execute(sql, &bind(params))?)
    }

    /// Pages through a portal, [`FETCH`] rows per round trip, as the export does.
    fn each(
        &mut self,
        sql: &str,
        params: &[Param<'_>],
        f: &mut dyn FnMut(&dyn SqlRow) -> Result<bool, StoreError>,
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

    /// EXCLUSIVE mode conflicts with itself and with every write, not with plain reads:
    /// the audit pages keep working while an entry is appended.
    fn lock_audit(&mut self) -> Result<(), StoreError> {
        self.0
            .batch_execute("LOCK TABLE audit_log IN EXCLUSIVE MODE")?;
        Ok(())
    }
}
