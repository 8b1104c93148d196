//! Integration tests of the store. Every behaviour is written once against
//! `Box<dyn Store>` and run twice: on SQLite (a file in a temporary directory) and on
//! PostgreSQL (a fresh database on the server named by `MINSHENG_TEST_PG_URL`, which
//! `cargo xtask test` provides; without it the PostgreSQL tests fail, never skip).

mod accounts;
mod bulk;
mod fixtures;
mod records;
mod regions;
mod support;
mod transactions;
mod upsert;
mod web;
