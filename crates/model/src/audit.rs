//! The audit log as a hash chain: every entry carries the SHA-256 of its own fields and
//! of the entry before it, so editing, deleting or reordering stored entries breaks the
//! chain at a point [`verify`] names.
//!
//! What the chain cannot show on its own: the *newest* entries being cut off, or the
//! last entry being rewritten together with its hash. Anchoring the newest hash outside
//! the database (a printed report, another system) covers that; the database triggers
//! that refuse `UPDATE` and `DELETE` only stop accidents and tools, not someone who can
//! drop them.
//!
//! ```
//! use minsheng_model::audit::{GENESIS, NewAuditEntry, verify};
//! let e = NewAuditEntry {
//!     at: "2024-06-01T08:00:00Z".into(),
//!     actor: "cli".into(),
//!     action: "user_add".into(),
//!     target: "user:wang".into(),
//!     detail: "street 510703001000".into(),
//!     source: "cli".into(),
//! };
//! let first = e.clone().chained(1, GENESIS);
//! let second = e.chained(2, &first.hash);
//! assert_eq!(verify([first, second].into_iter()), Ok(2));
//! ```

use chrono::{DateTime, SecondsFormat, Utc};
use sha2::{Digest, Sha256};

/// The `prev_hash` of the first entry: 64 zeros.
pub const GENESIS: &str = "0000000000000000000000000000000000000000000000000000000000000000";

/// Separates this encoding from any other use of SHA-256 over the same bytes, and names
/// its version should the encoding ever change.
const DOMAIN: &[u8] = b"minsheng-audit-v1";

/// A stored entry of the audit log.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct AuditEntry {
    /// 1, 2, 3 … without gaps.
    pub seq: i64,
    /// RFC 3339 UTC to the second, see [`timestamp`].
    pub at: String,
    /// A username, or `system` / `cli`.
    pub actor: String,
    /// What happened: `view_household`, `reveal_id`, `login`, `login_failed`, `user_add`,
    /// `export` …
    pub action: String,
    /// What it happened to, e.g. `household:H0000016`, `user:wang`.
    pub target: String,
    pub detail: String,
    /// An IP address, or `cli`.
    pub source: String,
    /// [`GENESIS`] for the first entry, else the previous entry's `hash`.
    pub prev_hash: String,
    /// [`chain_hash`] of this entry's fields, 64 lowercase hex digits.
    pub hash: String,
}

/// An entry to append; the store gives it its `seq` and hashes.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NewAuditEntry {
    pub at: String,
    pub actor: String,
    pub action: String,
    pub target: String,
    pub detail: String,
    pub source: String,
}

impl NewAuditEntry {
    /// The entry at position `seq` after an entry whose hash is `prev_hash`.
    pub fn chained(self, seq: i64, prev_hash: &str) -> AuditEntry {
        let hash = chain_hash(seq, &self, prev_hash);
        AuditEntry {
            seq,
            at: self.at,
            actor: self.actor,
            action: self.action,
            target: self.target,
            detail: self.detail,
            source: self.source,
            prev_hash: prev_hash.to_owned(),
            hash,
        }
    }
}

/// Which entries an audit page lists. Text filters match exactly (`target_prefix` as a
/// prefix); `from` is inclusive and `to` exclusive, both timestamps as stored. Results
/// come newest first.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct AuditQuery {
    pub actor: Option<String>,
    pub action: Option<String>,
    pub target_prefix: Option<String>,
    pub from: Option<String>,
    pub to: Option<String>,
    pub limit: u32,
    pub offset: u64,
}

impl Default for AuditQuery {
    /// Everything, 100 entries a page.
    fn default() -> Self {
        AuditQuery {
            actor: None,
            action: None,
            target_prefix: None,
            from: None,
            to: None,
            limit: 100,
            offset: 0,
        }
    }
}

/// A moment as the audit log and the account tables write it: RFC 3339, UTC, whole
/// seconds (`2024-06-01T08:00:00Z`).
pub fn timestamp(t: DateTime<Utc>) -> String {
    t.to_rfc3339_opts(SecondsFormat::Secs, true)
}

/// Lowercase hex SHA-256 of `bytes` (session and API token hashes use it too).
pub fn sha256_hex(bytes: &[u8]) -> String {
    hex(&Sha256::digest(bytes))
}

fn hex(bytes: &[u8]) -> String {
    const DIGITS: &[u8; 16] = b"0123456789abcdef";
    let mut s = String::with_capacity(bytes.len() * 2);
    for b in bytes {
        s.push(char::from(DIGITS[usize::from(b >> 4)]));
        s.push(char::from(DIGITS[usize::from(b & 0xf)]));
    }
    s
}

/// The hash of the entry at `seq` with the fields of `entry` after `prev_hash`.
///
/// The encoding is unambiguous: a domain tag, `seq` as 8 bytes big-endian, then each
/// text field (at, actor, action, target, detail, source, prev_hash) as its UTF-8 length
/// in 8 bytes big-endian followed by its bytes — so no two different entries encode the
/// same, however their texts are split.
pub fn chain_hash(seq: i64, entry: &NewAuditEntry, prev_hash: &str) -> String {
    digest(
        seq,
        [
            &entry.at,
            &entry.actor,
            &entry.action,
            &entry.target,
            &entry.detail,
            &entry.source,
            prev_hash,
        ],
    )
}

fn digest(seq: i64, fields: [&str; 7]) -> String {
    let mut h = Sha256::new();
    h.update(DOMAIN);
    h.update(seq.to_be_bytes());
    for f in fields {
        h.update((f.len() as u64).to_be_bytes());
        h.update(f.as_bytes());
    }
    hex(&h.finalize())
}

impl AuditEntry {
    /// What `hash` should be for the fields as they are now.
    pub fn expected_hash(&self) -> String {
        digest(
            self.seq,
            [
                &self.at,
                &self.actor,
                &self.action,
                &self.target,
                &self.detail,
                &self.source,
                &self.prev_hash,
            ],
        )
    }
}

/// Why the chain is broken at an entry.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum BreakReason {
    #[error(
        "序号应为 {expected}（有条目被删除或调换）/ expected seq {expected}: an entry was deleted or moved"
    )]
    SeqGap { expected: i64 },
    #[error(
        "上一条的哈希不符（上一条被改动、删除或调换）/ prev_hash does not match the previous entry"
    )]
    PrevMismatch,
    #[error("内容与哈希不符（本条被改动）/ the fields do not match the hash: the entry was edited")]
    HashMismatch,
}

/// The first entry at which the chain does not hold.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("审计链在第 {seq} 条断开：{reason} / audit chain broken at seq {seq}")]
pub struct ChainBroken {
    pub seq: i64,
    pub reason: BreakReason,
}

/// Checks a chain one entry at a time, in seq order, so a log too large for memory can
/// be streamed through it.
#[derive(Clone, Debug)]
pub struct ChainVerifier {
    count: u64,
    next_seq: i64,
    prev_hash: String,
}

impl Default for ChainVerifier {
    fn default() -> Self {
        ChainVerifier {
            count: 0,
            next_seq: 1,
            prev_hash: GENESIS.to_owned(),
        }
    }
}

impl ChainVerifier {
    pub fn new() -> ChainVerifier {
        ChainVerifier::default()
    }

    /// Checks the next entry: its seq follows, it points at the previous hash, and its
    /// own hash matches its fields.
    pub fn push(&mut self, e: &AuditEntry) -> Result<(), ChainBroken> {
        let broken = |reason| ChainBroken { seq: e.seq, reason };
        if e.seq != self.next_seq {
            return Err(broken(BreakReason::SeqGap {
                expected: self.next_seq,
            }));
        }
        if e.prev_hash != self.prev_hash {
            return Err(broken(BreakReason::PrevMismatch));
        }
        if e.hash != e.expected_hash() {
            return Err(broken(BreakReason::HashMismatch));
        }
        self.count += 1;
        self.next_seq += 1;
        self.prev_hash.clone_from(&e.hash);
        Ok(())
    }

    /// Entries checked so far.
    pub fn count(&self) -> u64 {
        self.count
    }
}

/// Checks a whole chain given in seq order; the number of entries when it holds.
pub fn verify(entries: impl Iterator<Item = AuditEntry>) -> Result<u64, ChainBroken> {
    let mut v = ChainVerifier::new();
    for e in entries {
        v.push(&e)?;
    }
    Ok(v.count())
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn entry(i: i64) -> NewAuditEntry {
        NewAuditEntry {
            at: format!("2024-06-01T08:00:{:02}Z", i % 60),
            actor: "wang".into(),
            action: "view_household".into(),
            target: format!("household:H{i:07}"),
            detail: String::new(),
            source: "10.0.0.1".into(),
        }
    }

    fn chain(new: Vec<NewAuditEntry>) -> Vec<AuditEntry> {
        let mut out: Vec<AuditEntry> = Vec::new();
        for (i, e) in new.into_iter().enumerate() {
            let prev = out.last().map_or(GENESIS.to_owned(), |p| p.hash.clone());
            out.push(e.chained(i as i64 + 1, &prev));
        }
        out
    }

    #[test]
    fn hash_is_fixed_and_fields_are_length_prefixed() {
        let e = entry(1).chained(1, GENESIS);
        assert_eq!(e.hash.len(), 64);
        assert_eq!(e.hash, e.expected_hash());
        // A byte moved from one field to the next gives another hash.
        let mut moved = entry(1);
        moved.actor = "wan".into();
        moved.action = "gview_household".into();
        assert_ne!(chain_hash(1, &moved, GENESIS), e.hash);
        assert_eq!(
            sha256_hex(b"abc"),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
        );
    }

    #[test]
    fn timestamps_are_utc_seconds() {
        let t = DateTime::parse_from_rfc3339("2024-06-01T16:30:05.75+08:00").unwrap();
        assert_eq!(timestamp(t.with_timezone(&Utc)), "2024-06-01T08:30:05Z");
    }

    #[test]
    fn intact_chain_verifies_and_empty_is_zero() {
        assert_eq!(
            verify(chain((1..=5).map(entry).collect()).into_iter()),
            Ok(5)
        );
        assert_eq!(verify(std::iter::empty()), Ok(0));
    }

    #[test]
    fn edited_entry_is_named() {
        let mut c = chain((1..=5).map(entry).collect());
        c[2].detail = "改过".into();
        assert_eq!(
            verify(c.into_iter()),
            Err(ChainBroken {
                seq: 3,
                reason: BreakReason::HashMismatch
            })
        );
    }

    #[test]
    fn edited_and_rehashed_entry_breaks_the_next_link() {
        let mut c = chain((1..=5).map(entry).collect());
        c[1].actor = "li".into();
        c[1].hash = c[1].expected_hash();
        assert_eq!(
            verify(c.into_iter()),
            Err(ChainBroken {
                seq: 3,
                reason: BreakReason::PrevMismatch
            })
        );
    }

    #[test]
    fn deleted_entry_is_a_gap() {
        let mut c = chain((1..=5).map(entry).collect());
        c.remove(1);
        let err = verify(c.into_iter()).unwrap_err();
        assert_eq!(
            err,
            ChainBroken {
                seq: 3,
                reason: BreakReason::SeqGap { expected: 2 }
            }
        );
        assert_eq!(
            err.to_string(),
            "审计链在第 3 条断开：序号应为 2（有条目被删除或调换）/ expected seq 2: an entry was deleted or moved / audit chain broken at seq 3"
        );
    }

    #[test]
    fn reordered_entries_are_detected() {
        let mut c = chain((1..=5).map(entry).collect());
        c.swap(1, 2);
        assert_eq!(
            verify(c.clone().into_iter()).unwrap_err(),
            ChainBroken {
                seq: 3,
                reason: BreakReason::SeqGap { expected: 2 }
            }
        );
        // Contents swapped but seq numbers kept in place: the hashes cover seq.
        let (a, b) = (c[1].seq, c[2].seq);
        c[1].seq = b;
        c[2].seq = a;
        assert_eq!(verify(c.into_iter()).unwrap_err().seq, 2);
    }

    fn text() -> impl Strategy<Value = String> {
        "[a-z0-9_:. 审计]{0,12}"
    }

    fn new_entry() -> impl Strategy<Value = NewAuditEntry> {
        (text(), text(), text(), text(), text(), text()).prop_map(
            |(at, actor, action, target, detail, source)| NewAuditEntry {
                at,
                actor,
                action,
                target,
                detail,
                source,
            },
        )
    }

    proptest! {
        /// Editing any field of any entry of a chain is detected at that entry.
        #[test]
        fn any_edit_is_detected(
            entries in prop::collection::vec(new_entry(), 1..12),
            pick in any::<prop::sample::Index>(),
            field in 0usize..9,
        ) {
            let mut c = chain(entries);
            prop_assert_eq!(verify(c.clone().into_iter()), Ok(c.len() as u64));
            let i = pick.index(c.len());
            let e = &mut c[i];
            let original_seq = e.seq;
            match field {
                0 => e.seq += 1,
                1 => e.at.push('x'),
                2 => e.actor.push('x'),
                3 => e.action.push('x'),
                4 => e.target.push('x'),
                5 => e.detail.push('x'),
                6 => e.source.push('x'),
                7 => e.prev_hash.replace_range(0..1, if e.prev_hash.starts_with('f') { "e" } else { "f" }),
                _ => e.hash.replace_range(0..1, if e.hash.starts_with('f') { "e" } else { "f" }),
            }
            let claimed = e.seq;
            let err = verify(c.clone().into_iter()).unwrap_err();
            // An edited seq is reported under the seq it now claims.
            let expected = if field == 0 { claimed } else { original_seq };
            prop_assert_eq!(err.seq, expected);
        }
    }
}
