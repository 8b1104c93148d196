//! Test databases for both backends, raw SQL access for tests that inspect or damage
//! what is stored, and the macro that runs one test body on SQLite and on PostgreSQL.

use minsheng_model::{RegionCode, Registry};
use minsheng_store::Store;
use tempfile::TempDir;

/// An empty database of one backend, alive as long as this value.
pub struct TestDb {
    url: String,
    /// The SQLite file's directory, deleted on drop; `None` for PostgreSQL.
    _dir: Option<TempDir>,
}

impl TestDb {
    pub fn sqlite() -> TestDb {
        let dir = tempfile::tempdir().unwrap();
        let url = dir.path().join("registry.db").to_str().unwrap().to_owned();
        TestDb {
            url,
            _dir: Some(dir),
        }
    }

    /// A fresh database on the server of `MINSHENG_TEST_PG_URL` (panics when it is unset).
    pub fn postgres() -> TestDb {
        TestDb {
            url: minsheng_testpg::fresh_database(),
            _dir: None,
        }
    }

    pub fn is_postgres(&self) -> bool {
        self._dir.is_none()
    }

    /// Opens (and migrates) the store, as an application would.
    pub fn open(&self) -> Box<dyn Store> {
        minsheng_store::open(&self.url).unwrap()
    }

    /// Runs statements behind the store's back.
    pub fn exec(&self, sql: &str) {
        self.try_exec(sql).unwrap();
    }

    /// Runs statements behind the store's back; the database's refusal as text.
    pub fn try_exec(&self, sql: &str) -> Result<(), String> {
        if self.is_postgres() {
            let mut c = postgres::Client::connect(&self.url, postgres::NoTls).unwrap();
            c.batch_execute(sql).map_err(|e| {
                e.as_db_error()
                    .map_or_else(|| e.to_string(), |d| d.message().to_owned())
            })
        } else {
            rusqlite::Connection::open(&self.url)
                .unwrap()
                .execute_batch(sql)
                .map_err(|e| e.to_string())
        }
    }

    /// The single text column of every row of `sql`.
    pub fn strings(&self, sql: &str) -> Vec<String> {
        if self.is_postgres() {
            let mut c = postgres::Client::connect(&self.url, postgres::NoTls).unwrap();
            c.query(sql, &[])
                .unwrap()
                .iter()
                .map(|r| r.get::<_, String>(0))
                .collect()
        } else {
            let c = rusqlite::Connection::open(&self.url).unwrap();
            let mut stmt = c.prepare(sql).unwrap();
            stmt.query_map([], |r| r.get::<_, String>(0))
                .unwrap()
                .map(Result::unwrap)
                .collect()
        }
    }
}

/// Everything stored, in export order.
pub fn export(store: &mut dyn Store) -> Registry {
    let mut out = Registry::default();
    store.export(&mut out).unwrap();
    out
}

pub fn region(code: &str) -> RegionCode {
    RegionCode::parse(code).unwrap()
}

/// Defines, for each named test body `fn name(db: &TestDb)`, a module `name` with one
/// test per backend, so every behaviour is checked on both.
macro_rules! on_both_backends {
    ($($name:ident),+ $(,)?) => {
        $(
            mod $name {
                #[test]
                fn sqlite() {
                    super::$name(&crate::support::TestDb::sqlite());
                }

                #[test]
                fn postgres() {
                    super::$name(&crate::support::TestDb::postgres());
                }
            }
        )+
    };
}
pub(crate) use on_both_backends;
