//! What every request shares: the store pool, the checked policy pack, the region table
//! and the month the pages show; and [`with_store`], which runs synchronous store work on
//! tokio's blocking pool with a pooled connection.

use crate::error::WebError;
use minsheng_model::{Date, RegionTable};
use minsheng_policy::check::Checked;
use minsheng_policy::pack::Pack;
use minsheng_store::Store;
use std::path::Path;
use std::sync::{Arc, Mutex};

/// Connections to the registry, opened on demand and reused.
pub struct Pool {
    url: String,
    idle: Mutex<Vec<Box<dyn Store>>>,
}

impl Pool {
    /// Opens (and migrates) the registry once, so a bad URL fails at start-up.
    pub fn open(url: &str) -> Result<Pool, minsheng_app::error::AppError> {
        let first = minsheng_app::registry::open(url)?;
        Ok(Pool {
            url: url.to_owned(),
            idle: Mutex::new(vec![first]),
        })
    }

    fn take(&self) -> Result<Box<dyn Store>, WebError> {
        let idle = self.idle.lock().unwrap_or_else(|e| e.into_inner()).pop();
        match idle {
            Some(s) => Ok(s),
            None => minsheng_app::registry::open(&self.url).map_err(WebError::from),
        }
    }

    fn give(&self, s: Box<dyn Store>) {
        self.idle.lock().unwrap_or_else(|e| e.into_inner()).push(s);
    }
}

/// The application's shared state.
pub struct AppState {
    pub pool: Pool,
    pub pack: Pack,
    pub checked: Checked,
    pub regions: RegionTable,
    /// The month the pages evaluate and show.
    pub month: Date,
    /// Mark cookies `Secure` (on by default; browsers accept it on http://localhost).
    pub secure_cookies: bool,
    /// Failed sign-ins per source address.
    pub throttle: crate::auth::Throttle,
}

pub type Shared = Arc<AppState>;

/// How `minsheng serve` is started.
pub struct Config<'a> {
    pub db: &'a str,
    pub policy: &'a Path,
    /// The month to show; default: the newest month with stored results, else the
    /// current month.
    pub month: Option<Date>,
    pub secure_cookies: bool,
}

impl AppState {
    pub fn load(c: &Config<'_>) -> Result<Shared, String> {
        let pool = Pool::open(c.db).map_err(|e| e.to_string())?;
        let (pack, checked) =
            minsheng_app::evaluate::load_pack(c.policy).map_err(|e| e.to_string())?;
        let mut store = pool.take().map_err(|e| format!("{e:?}"))?;
        let regions = store.regions().map_err(|e| e.to_string())?;
        let month = match c.month {
            Some(m) => m,
            None => store
                .result_months()
                .map_err(|e| e.to_string())?
                .first()
                .and_then(|m| minsheng_model::date::parse_iso(&format!("{m}-01")))
                .unwrap_or_else(|| {
                    let today = chrono::Utc::now().date_naive();
                    chrono::Datelike::with_day(&today, 1).unwrap_or(today)
                }),
        };
        pool.give(store);
        Ok(Arc::new(AppState {
            pool,
            pack,
            checked,
            regions,
            month,
            secure_cookies: c.secure_cookies,
            throttle: crate::auth::Throttle::default(),
        }))
    }

    /// "2024-06".
    pub fn month_key(&self) -> String {
        self.month.format("%Y-%m").to_string()
    }
}

/// Store work running at once: a few per core. More only adds context switches and
/// lock convoys on SQLite's one writer; waiting requests queue in order (tokio's
/// semaphore is fair), which keeps the slowest answers close to the typical one.
fn store_slots() -> &'static tokio::sync::Semaphore {
    static SLOTS: std::sync::OnceLock<tokio::sync::Semaphore> = std::sync::OnceLock::new();
    SLOTS.get_or_init(|| {
        let cores = std::thread::available_parallelism().map_or(2, |n| n.get());
        tokio::sync::Semaphore::new(cores * 2)
    })
}

/// Runs `f` with a pooled store on the blocking pool.
pub async fn with_store<T, F>(state: &Shared, f: F) -> Result<T, WebError>
where
    T: Send + 'static,
    F: FnOnce(&mut dyn Store, &AppState) -> Result<T, WebError> + Send + 'static,
{
    let _slot = store_slots().acquire().await.map_err(WebError::internal)?;
    let state = state.clone();
    tokio::task::spawn_blocking(move || {
        let mut store = state.pool.take()?;
        let r = f(store.as_mut(), &state);
        state.pool.give(store);
        r
    })
    .await
    .map_err(WebError::internal)?
}
