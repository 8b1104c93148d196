//! Test support for code that runs against PostgreSQL: [`fresh_database`] gives each
//! test its own empty database on the throwaway server that `cargo xtask test` starts.
//!
//! Tests against PostgreSQL are never skipped silently: without `MINSHENG_TEST_PG_URL`
//! the call panics and says how to run the suite, so a green run always means both
//! backends were exercised.
//!
//! ```no_run
//! let url = minsheng_testpg::fresh_database();
//! assert!(url.starts_with("postgres"));
//! ```

use std::sync::atomic::{AtomicU32, Ordering};
use std::time::{SystemTime, UNIX_EPOCH};

/// The environment variable naming the test server, e.g.
/// `postgres://postgres@127.0.0.1:55432/postgres`.
pub const ENV: &str = "MINSHENG_TEST_PG_URL";

/// Creates a new, uniquely named, empty database on the server named by
/// `MINSHENG_TEST_PG_URL` and returns its URL.
///
/// # Panics
///
/// When the variable is not set, when the server cannot be reached, or when the
/// database cannot be created — a test that needs PostgreSQL cannot go on without it.
pub fn fresh_database() -> String {
    let server = std::env::var(ENV).unwrap_or_else(|_| {
        panic!(
            "{ENV} is not set: run the suite with `cargo xtask test`, which starts a throwaway PostgreSQL"
        )
    });
    let name = unique_name();
    let mut client = postgres::Client::connect(&server, postgres::NoTls).unwrap_or_else(|e| {
        panic!("cannot connect to the test PostgreSQL at {server} ({ENV}): {e}")
    });
    // The name is made of [a-z0-9_] only, so quoting it is enough.
    client
        .batch_execute(&format!("CREATE DATABASE \"{name}\""))
        .unwrap_or_else(|e| panic!("cannot create test database {name} on {server}: {e}"));
    database_url(&server, &name)
}

/// `t_<pid>_<counter>_<nanos>`: unique across the tests of one process (the counter)
/// and across processes and runs sharing one server (pid and clock).
fn unique_name() -> String {
    static COUNTER: AtomicU32 = AtomicU32::new(0);
    let n = COUNTER.fetch_add(1, Ordering::Relaxed);
    let nanos = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.subsec_nanos());
    format!("t_{}_{n}_{nanos}", std::process::id())
}

/// The server URL with its database path replaced by `name`, query parameters kept.
fn database_url(server: &str, name: &str) -> String {
    let (base, query) = match server.find('?') {
        Some(q) => server.split_at(q),
        None => (server, ""),
    };
    let authority_start = base.find("://").map_or(0, |i| i + 3);
    let authority_end = base[authority_start..]
        .find('/')
        .map_or(base.len(), |i| authority_start + i);
    format!("{}/{name}{query}", &base[..authority_end])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn url_gets_the_new_database_name() {
        assert_eq!(
            database_url("postgres://postgres@127.0.0.1:55432/postgres", "t_1"),
            "postgres://postgres@127.0.0.1:55432/t_1"
        );
        assert_eq!(
            database_url("postgres://u@h:1", "t_1"),
            "postgres://u@h:1/t_1"
        );
        assert_eq!(
            database_url("postgresql://u:p@h/db?sslmode=disable", "t_2"),
            "postgresql://u:p@h/t_2?sslmode=disable"
        );
    }

    #[test]
    fn names_are_unique_and_plain() {
        let a = unique_name();
        let b = unique_name();
        assert_ne!(a, b);
        assert!(
            a.bytes()
                .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == b'_'),
            "{a}"
        );
    }
}
