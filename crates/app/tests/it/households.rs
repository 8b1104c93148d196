//! A household's page and the household search within a caseworker's jurisdiction, on
//! both backends: what is outside is answered like what does not exist, and every
//! look is in the audit log.

use crate::support::{Batch, backends, household, run_import, with};
use chrono::{DateTime, Utc};
use minsheng_app::access::Scope;
use minsheng_app::accounts::Origin;
use minsheng_app::households::{self, DENIED, SEARCH, VIEW};
use minsheng_model::RegionCode;
use minsheng_model::access::Role;
use minsheng_model::audit::AuditQuery;
use minsheng_store::Store;

fn origin() -> Origin {
    Origin {
        actor: "wang".into(),
        source: "10.0.0.7".into(),
        at: DateTime::parse_from_rfc3339("2024-06-03T09:00:00Z")
            .unwrap()
            .with_timezone(&Utc),
    }
}

/// (action, target, detail) of the audit log, oldest first.
fn audit(store: &mut dyn Store) -> Vec<(String, String, String)> {
    let mut entries = store
        .audit_entries(&AuditQuery {
            limit: 100,
            ..AuditQuery::default()
        })
        .unwrap();
    entries.reverse();
    entries
        .into_iter()
        .map(|e| (e.action, e.target, e.detail))
        .collect()
}

fn entry(action: &str, target: &str, detail: &str) -> (String, String, String) {
    (action.into(), target.into(), detail.into())
}

#[test]
fn a_caseworker_sees_and_finds_only_households_of_the_jurisdiction() {
    let dir = tempfile::tempdir().unwrap();
    // H1 in 城厢街道 of 涪城区; H2 in 涪江街道 of 游仙区.
    let data = Batch::new()
        .family("H1", "P1", 1)
        .add(
            "households",
            with(household("H2"), &[("region_code", "510704001001")]),
        )
        .add("persons", crate::support::person("P2", "H2", "head", 2))
        .write(&dir.path().join("data"));
    for (name, mut store) in backends(dir.path()) {
        let store = store.as_mut();
        let outcome = run_import(store, &data, false);
        assert!(outcome.rejected.is_empty(), "{name}");
        let scope = Scope {
            username: "wang".into(),
            role: Role::Street,
            region: RegionCode::parse("510703001000").unwrap(),
        };
        let o = origin();

        let h1 = households::view(store, &scope, "H1", &o).unwrap().unwrap();
        assert_eq!(h1.household.household_id, "H1", "{name}");
        assert_eq!(h1.persons.len(), 1, "{name}");
        assert_eq!(h1.persons[0].person_id, "P1", "{name}");
        assert_eq!(households::view(store, &scope, "H2", &o).unwrap(), None);
        assert_eq!(households::view(store, &scope, "H9", &o).unwrap(), None);

        let hits = households::search(store, &scope, "张", 10, &o).unwrap();
        let ids: Vec<&str> = hits.iter().map(|h| h.household_id.as_str()).collect();
        assert_eq!(ids, ["H1"], "{name}");
        assert_eq!(hits[0].head_name.as_deref(), Some("张三"), "{name}");
        assert!(
            households::search(store, &scope, "H2", 10, &o)
                .unwrap()
                .is_empty()
        );

        assert_eq!(
            audit(store),
            [
                entry(VIEW, "H1", ""),
                entry(DENIED, "H2", "region 510704001001"),
                entry(SEARCH, "张", "1 hits"),
                entry(SEARCH, "H2", "0 hits"),
            ],
            "{name}"
        );
        let first = store
            .audit_entries(&AuditQuery {
                limit: 1,
                ..AuditQuery::default()
            })
            .unwrap();
        assert_eq!(
            (first[0].actor.as_str(), first[0].source.as_str()),
            ("wang", "10.0.0.7")
        );
    }
}
