//! The one jurisdiction check: [`Scope::allows`].
//!
//! Every use case that reads or changes a household, a case or a report asks the scope
//! of the user acting whether the record's region is theirs, and nothing else decides
//! it: no page, query or export carries a second, differently written test. A user's
//! jurisdiction is the subtree of the region stored with the account; the test is the
//! prefix test [`RegionCode::contains`]. An administrator or auditor of the whole
//! deployment is given its root region (the city or the county), not a bypass.

use minsheng_model::RegionCode;
use minsheng_model::access::{Role, User};

/// Who is acting and where they may act.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Scope {
    pub username: String,
    pub role: Role,
    /// The root of the jurisdiction.
    pub region: RegionCode,
}

impl Scope {
    /// The scope of a logged-in user.
    pub fn of(user: &User) -> Scope {
        Scope {
            username: user.username.clone(),
            role: user.role,
            region: user.region,
        }
    }

    /// Whether a record in `region` lies in this scope's jurisdiction (its root
    /// included). THE jurisdiction check of minsheng.
    pub fn allows(&self, region: RegionCode) -> bool {
        self.region.contains(region)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn code(s: &str) -> RegionCode {
        RegionCode::parse(s).unwrap()
    }

    #[test]
    fn a_township_scope_covers_its_villages_only() {
        let s = Scope {
            username: "wang".into(),
            role: Role::Street,
            region: code("510703001000"),
        };
        assert!(s.allows(code("510703001000")));
        assert!(s.allows(code("510703001003")));
        assert!(!s.allows(code("510703002001")));
        assert!(!s.allows(code("510703000000")));
        let county = Scope {
            region: code("510703000000"),
            ..s
        };
        assert!(county.allows(code("510703002001")));
        assert!(!county.allows(code("510704001001")));
    }
}
