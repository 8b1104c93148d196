//! The versioned schema migrations of both backends and the rules every runner follows.
//!
//! A migration is an SQL file under `migrations/{sqlite,postgres}/NNNN_name.sql`, compiled
//! into the binary. Each backend's runner records applied versions in
//! `schema_migrations(version, name, applied_at)` and applies the missing ones in version
//! order inside one transaction, so a failed migration leaves the database as it was.
//! Both lists must always have the same versions with the same meaning.

use crate::StoreError;

/// One schema change.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Migration {
    pub version: u32,
    pub name: &'static str,
    pub sql: &'static str,
}

pub(crate) const SQLITE: &[Migration] = &[
    Migration {
        version: 1,
        name: "registry",
        sql: include_str!("../migrations/sqlite/0001_registry.sql"),
    },
    Migration {
        version: 2,
        name: "accounts",
        sql: include_str!("../migrations/sqlite/0002_accounts.sql"),
    },
    Migration {
        version: 3,
        name: "web",
        sql: include_str!("../migrations/sqlite/0003_web.sql"),
    },
];

pub(crate) const POSTGRES: &[Migration] = &[
    Migration {
        version: 1,
        name: "registry",
        sql: include_str!("../migrations/postgres/0001_registry.sql"),
    },
    Migration {
        version: 2,
        name: "accounts",
        sql: include_str!("../migrations/postgres/0002_accounts.sql"),
    },
    Migration {
        version: 3,
        name: "web",
        sql: include_str!("../migrations/postgres/0003_web.sql"),
    },
];

/// The migrations of `all` not yet in `applied`, in version order. A database that
/// records a version this program does not know was migrated by a newer minsheng:
/// writing to it with this one could break it, so that is an error.
pub(crate) fn pending(
    all: &'static [Migration],
    applied: &[(u32, String)],
) -> Result<Vec<Migration>, StoreError> {
    let latest = all.iter().map(|m| m.version).max().unwrap_or(0);
    if let Some((version, name)) = applied.iter().find(|(v, _)| *v > latest) {
        return Err(StoreError::Migration {
            version: *version,
            name: name.clone(),
            detail: format!(
                "the database was migrated by a newer version of minsheng; this one knows versions up to {latest}"
            ),
        });
    }
    let mut todo: Vec<Migration> = all
        .iter()
        .filter(|m| !applied.iter().any(|(v, _)| *v == m.version))
        .copied()
        .collect();
    todo.sort_by_key(|m| m.version);
    Ok(todo)
}

/// Wraps a backend error raised while applying `m`.
pub(crate) fn failed(m: &Migration, detail: impl std::fmt::Display) -> StoreError {
    StoreError::Migration {
        version: m.version,
        name: m.name.to_owned(),
        detail: detail.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn both_backends_have_the_same_versions() {
        let v = |l: &[Migration]| l.iter().map(|m| (m.version, m.name)).collect::<Vec<_>>();
        assert_eq!(v(SQLITE), v(POSTGRES));
    }

    #[test]
    fn pending_skips_applied_and_refuses_newer() {
        assert_eq!(pending(SQLITE, &[]).unwrap().len(), SQLITE.len());
        let after_first: Vec<u32> = pending(SQLITE, &[(1, "registry".into())])
            .unwrap()
            .iter()
            .map(|m| m.version)
            .collect();
        assert_eq!(after_first, [2, 3]);
        assert!(
            pending(
                SQLITE,
                &[
                    (1, "registry".into()),
                    (2, "accounts".into()),
                    (3, "web".into())
                ]
            )
            .unwrap()
            .is_empty()
        );
        let err = pending(SQLITE, &[(1, "registry".into()), (999, "future".into())]).unwrap_err();
        assert!(
            matches!(err, StoreError::Migration { version: 999, .. }),
            "{err}"
        );
    }
}
