//! The registry fixture shared by the web crate's test binaries (`tests/it`, the HTTP
//! tests, and `tests/browser.rs`): a demo-like registry in a temporary SQLite file — a
//! synthetic district of 1 500 households (with some in both demo streets), stored
//! results of 2024-06 and the demo accounts — and the application state over a fresh
//! copy of it.

use minsheng_app::accounts::Origin;
use minsheng_web::state::Shared;
use std::path::{Path, PathBuf};
use std::sync::OnceLock;

/// The password of every demo account.
pub const PASSWORD: &str = minsheng_app::demo_users::DEMO_PASSWORD;

/// The pack the tests evaluate with.
pub fn pack_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../policies/mianyang")
}

/// The registry file shared by the tests of one binary, built once. Each test copies it
/// ([`Registry::new`]) so that audit entries and lockouts do not leak between tests.
fn template() -> &'static Path {
    static T: OnceLock<(tempfile::TempDir, PathBuf)> = OnceLock::new();
    &T.get_or_init(|| {
        let dir = tempfile::tempdir().unwrap();
        let db = dir.path().join("template.sqlite");
        let data = dir.path().join("data");
        let cfg = minsheng_synth::SynthConfig {
            households: 1500,
            seed: 5,
            month: minsheng_model::date::parse_iso("2024-06-01").unwrap(),
        };
        minsheng_app::synth::synth_to_dir(&cfg, &data).unwrap();
        let url = db.display().to_string();
        let mut store = minsheng_app::registry::open(&url).unwrap();
        let s = minsheng_app::import::import(
            store.as_mut(),
            &[data],
            Default::default(),
            &minsheng_app::import::NoProgress,
            &mut |_| {},
        )
        .unwrap();
        assert_eq!(s.rows_rejected, 0);
        minsheng_app::demo_users::ensure(store.as_mut(), &Origin::cli(chrono::Utc::now())).unwrap();
        drop(store);
        minsheng_app::evaluate::evaluate_and_store(
            &url,
            &pack_dir(),
            cfg.month,
            &minsheng_app::import::NoProgress,
        )
        .unwrap();
        (dir, db)
    })
    .1
}

/// A fresh copy of the template registry, deleted on drop.
pub struct Registry {
    _dir: tempfile::TempDir,
    /// The copy's store URL (a file path).
    pub db: String,
}

impl Registry {
    pub fn new() -> Registry {
        let dir = tempfile::tempdir().unwrap();
        let db = dir.path().join("registry.sqlite");
        std::fs::copy(template(), &db).unwrap();
        Registry {
            _dir: dir,
            db: db.display().to_string(),
        }
    }

    /// The application's state over this registry, with `Secure` cookies as in
    /// production; the month is the newest with stored results (2024-06).
    pub fn state(&self) -> Shared {
        minsheng_web::state::AppState::load(&minsheng_web::state::Config {
            db: &self.db,
            policy: &pack_dir(),
            month: None,
            secure_cookies: true,
        })
        .unwrap()
    }

    /// The ids of the households under `region` (a region code), in registry order.
    pub fn households_under(&self, region: &str) -> Vec<String> {
        let reg = minsheng_app::evaluate::load_registry(&minsheng_app::evaluate::Source::Db(
            self.db.clone(),
        ))
        .unwrap();
        let root = minsheng_model::RegionCode::parse(region).unwrap();
        reg.households
            .iter()
            .filter(|h| root.contains(h.region_code))
            .map(|h| h.household_id.clone())
            .collect()
    }
}
