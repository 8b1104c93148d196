//! The demo district's accounts: one per role, with jurisdictions chosen so that the
//! access rules can be seen at work (two street offices side by side in 涪城区, a grid
//! worker in one village, the district bureau, and city-wide planner, auditor and
//! administrator). Created once, with one published password — for the demo only.

use crate::accounts::{Origin, UserSpec, add_user};
use crate::error::AppError;
use minsheng_model::RegionCode;
use minsheng_model::access::Role;
use minsheng_store::Store;

/// The password of every demo account (printed by `minsheng demo`).
pub const DEMO_PASSWORD: &str = "minsheng-demo";

/// A demo account: username, role, region code, display name.
pub const DEMO_ACCOUNTS: [(&str, Role, &str, &str); 7] = [
    (
        "wangge",
        Role::Community,
        "510703001003",
        "警钟街社区网格员",
    ),
    ("chengxiang", Role::Street, "510703001000", "城厢街道审核员"),
    ("gongqu", Role::Street, "510703003000", "工区街道审核员"),
    ("fucheng", Role::County, "510703000000", "涪城区民政局"),
    ("planner", Role::Planner, "510700000000", "绵阳市规划人员"),
    ("auditor", Role::Auditor, "510700000000", "绵阳市审计人员"),
    ("admin", Role::Admin, "510700000000", "系统管理员"),
];

/// Creates the demo accounts that do not exist yet; returns how many were created.
pub fn ensure(store: &mut dyn Store, origin: &Origin) -> Result<usize, AppError> {
    let mut created = 0;
    for (username, role, region, display_name) in DEMO_ACCOUNTS {
        if store.user(username)?.is_some() {
            continue;
        }
        let region = RegionCode::parse(region).expect("demo region codes are valid (tested)");
        add_user(
            store,
            &UserSpec {
                username,
                role,
                region,
                password: DEMO_PASSWORD,
                display_name,
            },
            origin,
        )?;
        created += 1;
    }
    Ok(created)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn demo_regions_are_valid_and_the_streets_are_disjoint() {
        let code = |i: usize| RegionCode::parse(DEMO_ACCOUNTS[i].2).unwrap();
        let (chengxiang, gongqu) = (code(1), code(2));
        assert!(!chengxiang.contains(gongqu) && !gongqu.contains(chengxiang));
        assert!(
            chengxiang.contains(code(0)),
            "the grid worker's village is in 城厢街道"
        );
        assert!(code(3).contains(chengxiang) && code(3).contains(gongqu));
        assert!(DEMO_PASSWORD.chars().count() >= crate::accounts::MIN_PASSWORD_CHARS);
    }
}
