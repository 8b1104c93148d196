//! Use cases: what a person asks minsheng to do, wired from the lower crates.
//!
//! - [`registry`]: open a store by URL and make sure it has a region table;
//! - [`import`]: interchange files → validated, typed rows in the store, all-or-nothing
//!   or partial, with every rejected row explained;
//! - [`evaluate`]: a registry and a policy pack → the month's outcome;
//! - [`export`]: the store → interchange CSV;
//! - [`policy_test`]: the case files next to a pack, run through the engine;
//! - [`synth`]: a synthetic district written as interchange CSV;
//! - [`demo`]: the newcomer's one command — a demo district in SQLite;
//! - [`accounts`]: user accounts, throttled logins, sessions, the audit log;
//! - [`access`]: [`access::Scope`], the one jurisdiction check;
//! - [`selfcheck`]: the public self-check (服务找人): a form in, an estimate per program out, nothing stored.
//! - [`households`]: a household's page and the household search, within a scope and
//!   audited.
//!
//! This is where later capabilities (monitoring, cases, the web pages) are wired; the
//! crates below stay free of each other.

pub mod access;
pub mod accounts;
pub mod demo;
pub mod demo_users;
pub mod error;
pub mod evaluate;
pub mod export;
pub mod households;
pub mod import;
pub mod policy_test;
pub mod registry;
pub mod selfcheck;
pub mod synth;
