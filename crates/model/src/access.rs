//! Who may do what: the roles of the web application's users, what each role may see, the
//! masking of ID and phone numbers, and the stored rows of users, sessions and API tokens.
//!
//! Where a user may act (the jurisdiction) is a region subtree; the one check of it is
//! `app::access::Scope::allows`, built on [`crate::RegionCode::contains`]. This module
//! only says what a role may do anywhere in its jurisdiction.

use crate::enums::vocabulary;
use crate::region::RegionCode;

vocabulary!(
    /// The role of a user account. Codes are stored in `users.role` and typed on the
    /// command line (`minsheng user add --role street`).
    Role {
        Community = "community", "社区/网格员";
        Street = "street", "街道/乡镇审核";
        County = "county", "区县民政局确认";
        Planner = "planner", "规划人员";
        Auditor = "auditor", "审计人员";
        Admin = "admin", "系统管理员";
    }
);

impl Role {
    /// Whether the role may see full ID numbers (each reveal is audited as `reveal_id`).
    ///
    /// Street and county reviewers compare applications with the documents and with
    /// other departments' records, which needs the whole number; auditors check records
    /// against the originals; administrators repair data. Community workers (网格员)
    /// gather information face to face with the card in hand and are the most numerous
    /// accounts, so their lists show masked numbers; planners work with aggregates and
    /// never need a person's number.
    pub const fn may_reveal_id_numbers(self) -> bool {
        matches!(
            self,
            Role::Street | Role::County | Role::Auditor | Role::Admin
        )
    }

    /// Whether the role may read the audit log.
    pub const fn may_read_audit(self) -> bool {
        matches!(self, Role::Auditor | Role::Admin)
    }

    /// Whether the role may change policy parameters.
    pub const fn may_edit_policy(self) -> bool {
        matches!(self, Role::Admin)
    }
}

/// Keeps the first `head` and last `tail` characters of `s` and replaces the others by
/// `*`, one per character; a value too short to hide anything that way
/// (`head + tail` characters or fewer) is masked entirely.
fn mask(s: &str, head: usize, tail: usize) -> String {
    let n = s.chars().count();
    if n <= head + tail {
        return "*".repeat(n);
    }
    s.chars()
        .enumerate()
        .map(|(i, c)| if i < head || i >= n - tail { c } else { '*' })
        .collect()
}

/// An ID number for display to a role that may not reveal it: the first 6 characters
/// (the county of registration) and the last 4 stay, the birth date and sequence are
/// hidden — `510703199001011234` → `510703********1234`.
///
/// A value of 10 characters or fewer is not a valid ID number and any part of it could
/// be the secret, so it is masked entirely (`"12345"` → `"*****"`).
pub fn mask_id_number(s: &str) -> String {
    mask(s, 6, 4)
}

/// A phone number for display: the first 3 (the carrier's prefix) and last 4 characters
/// stay — `13812345678` → `138****5678`. Values of 7 characters or fewer are masked
/// entirely.
pub fn mask_phone(s: &str) -> String {
    mask(s, 3, 4)
}

/// A stored user account.
///
/// Timestamps here and in the other rows are RFC 3339 UTC to the second
/// (`2024-06-01T08:00:00Z`): fixed width, so their text order is their time order.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct User {
    pub username: String,
    /// Argon2id in PHC string format (`$argon2id$v=19$…`); never the password.
    pub password_hash: String,
    pub role: Role,
    /// The root of the user's jurisdiction.
    pub region: RegionCode,
    pub display_name: String,
    /// Consecutive failed logins since the last success or lock.
    pub failed_logins: u32,
    /// Logins are refused until this moment, when set.
    pub locked_until: Option<String>,
    pub created_at: String,
    pub disabled: bool,
}

/// A user account to create (login state starts clear, the account enabled).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NewUser {
    pub username: String,
    pub password_hash: String,
    pub role: Role,
    pub region: RegionCode,
    pub display_name: String,
    pub created_at: String,
}

/// A stored login session. Only the SHA-256 of the session token is stored, so a copy of
/// the database does not let anyone log in.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SessionRow {
    /// Lowercase hex SHA-256 of the token the browser holds.
    pub token_hash: String,
    pub username: String,
    /// The token forms must echo (double submit), stored as given.
    pub csrf_token: String,
    pub created_at: String,
    pub expires_at: String,
    /// Where the session was opened from (IP address, or `cli`).
    pub source: String,
}

/// A stored API token (for scripts and other departments' systems); hashed like sessions.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ApiTokenRow {
    pub token_hash: String,
    pub username: String,
    pub label: String,
    pub created_at: String,
    /// `None`: valid until deleted.
    pub expires_at: Option<String>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn roles_have_codes_labels_and_rights() {
        assert_eq!(
            Role::CODES,
            [
                "community",
                "street",
                "county",
                "planner",
                "auditor",
                "admin"
            ]
        );
        assert_eq!(Role::from_code("street"), Some(Role::Street));
        assert_eq!(Role::County.label(), "区县民政局确认");
        let reveal: Vec<&str> = Role::ALL
            .iter()
            .filter(|r| r.may_reveal_id_numbers())
            .map(|r| r.code())
            .collect();
        assert_eq!(reveal, ["street", "county", "auditor", "admin"]);
        let audit: Vec<&str> = Role::ALL
            .iter()
            .filter(|r| r.may_read_audit())
            .map(|r| r.code())
            .collect();
        assert_eq!(audit, ["auditor", "admin"]);
        let policy: Vec<Role> = Role::ALL
            .iter()
            .copied()
            .filter(|r| r.may_edit_policy())
            .collect();
        assert_eq!(policy, [Role::Admin]);
    }

    #[test]
    fn id_numbers_keep_county_and_last_four() {
        assert_eq!(mask_id_number("510703199001011234"), "510703********1234");
        assert_eq!(mask_id_number("11010519491231002X"), "110105********002X");
        // Too short to be an ID number: nothing is shown.
        assert_eq!(mask_id_number("5107031234"), "**********");
        assert_eq!(mask_id_number("12345"), "*****");
        assert_eq!(mask_id_number(""), "");
        // Characters, not bytes.
        assert_eq!(
            mask_id_number("甲乙丙丁戊己庚辛壬癸子"),
            "甲乙丙丁戊己*辛壬癸子"
        );
    }

    #[test]
    fn phones_keep_prefix_and_last_four() {
        assert_eq!(mask_phone("13812345678"), "138****5678");
        assert_eq!(mask_phone("0816-2345678"), "081*****5678");
        assert_eq!(mask_phone("1234567"), "*******");
    }
}
