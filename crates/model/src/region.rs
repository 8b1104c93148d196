//! 统计用区划代码: 12-digit region codes and the region tree (province → city → county →
//! township → village/community).
//!
//! A jurisdiction is a subtree, and subtree membership is a prefix test on the code:
//! [`RegionCode::contains`] is the one jurisdiction check every later layer uses.

use std::collections::HashMap;
use std::fmt;

/// A 12-digit region code (province 2, city 2, county 2, township 3, village 3).
/// `Default` (all zeros) is only a filler for columnar storage, like the vocabularies'
/// defaults: no region has that code.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct RegionCode(u64);

/// Level in the tree, derived from which parts of the code are zero.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum RegionLevel {
    Province,
    City,
    County,
    Township,
    Village,
}

impl RegionLevel {
    pub const fn code(self) -> &'static str {
        match self {
            RegionLevel::Province => "province",
            RegionLevel::City => "city",
            RegionLevel::County => "county",
            RegionLevel::Township => "township",
            RegionLevel::Village => "village",
        }
    }

    pub fn from_code(s: &str) -> Option<RegionLevel> {
        Some(match s {
            "province" => RegionLevel::Province,
            "city" => RegionLevel::City,
            "county" => RegionLevel::County,
            "township" => RegionLevel::Township,
            "village" => RegionLevel::Village,
            _ => return None,
        })
    }

    pub const fn label(self) -> &'static str {
        match self {
            RegionLevel::Province => "省级",
            RegionLevel::City => "地级",
            RegionLevel::County => "县级",
            RegionLevel::Township => "乡级",
            RegionLevel::Village => "村级",
        }
    }

    /// How many leading digits of the code are significant at this level.
    pub const fn prefix_len(self) -> u32 {
        match self {
            RegionLevel::Province => 2,
            RegionLevel::City => 4,
            RegionLevel::County => 6,
            RegionLevel::Township => 9,
            RegionLevel::Village => 12,
        }
    }
}

impl RegionCode {
    /// Parses exactly 12 ASCII digits.
    pub fn parse(s: &str) -> Option<RegionCode> {
        let b = s.trim().as_bytes();
        if b.len() != 12 || !b.iter().all(u8::is_ascii_digit) {
            return None;
        }
        let v = b.iter().fold(0u64, |a, c| a * 10 + u64::from(c - b'0'));
        (v >= 10_000_000_000).then_some(RegionCode(v))
    }

    pub const fn value(self) -> u64 {
        self.0
    }

    /// The level the code's shape says (trailing zero groups).
    pub const fn level(self) -> RegionLevel {
        let v = self.0;
        if !v.is_multiple_of(1000) {
            RegionLevel::Village
        } else if !v.is_multiple_of(1_000_000) {
            RegionLevel::Township
        } else if !v.is_multiple_of(100_000_000) {
            RegionLevel::County
        } else if !v.is_multiple_of(10_000_000_000) {
            RegionLevel::City
        } else {
            RegionLevel::Province
        }
    }

    /// The significant leading digits as text, by the code's level (province 2, city 4,
    /// county 6, township 9, village 12): every code of the subtree starts with it, e.g.
    /// `"510703"` for 涪城区 510703000000. What a store's prefix or range query reads.
    pub fn prefix(&self) -> String {
        let mut s = self.to_string();
        s.truncate(self.level().prefix_len() as usize);
        s
    }

    /// The code of the enclosing region at `level` (self if already at or above it).
    pub const fn ancestor_at(self, level: RegionLevel) -> RegionCode {
        let unit = 10u64.pow(12 - level.prefix_len());
        RegionCode(self.0 / unit * unit)
    }

    /// Whether `other` lies in the subtree rooted at `self` (itself included).
    pub const fn contains(self, other: RegionCode) -> bool {
        let unit = 10u64.pow(12 - self.level().prefix_len());
        other.0 / unit == self.0 / unit
    }

    /// The code's 12 digits as ASCII, made without allocating.
    pub const fn digits(self) -> [u8; 12] {
        let (mut v, mut out, mut i) = (self.0, [b'0'; 12], 12);
        while i > 0 {
            i -= 1;
            out[i] = b'0' + (v % 10) as u8;
            v /= 10;
        }
        out
    }

    /// The 6-digit county part, as used at the start of ID numbers.
    pub const fn county6(self) -> u32 {
        (self.0 / 1_000_000) as u32
    }
}

impl fmt::Display for RegionCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:012}", self.0)
    }
}

/// One row of a region table.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Region {
    pub code: RegionCode,
    pub level: RegionLevel,
    pub name: String,
    pub parent: Option<RegionCode>,
}

/// A deployment's region tree.
#[derive(Clone, Debug, Default)]
pub struct RegionTable {
    regions: Vec<Region>,
    index: HashMap<RegionCode, usize>,
    children: HashMap<RegionCode, Vec<usize>>,
}

/// Why a region table is not a tree.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum RegionTableError {
    #[error("区划代码 {0} 重复出现")]
    Duplicate(RegionCode),
    #[error("区划代码 {code} 的上级 {parent} 不在表中")]
    MissingParent {
        code: RegionCode,
        parent: RegionCode,
    },
}

impl RegionTable {
    /// Builds the tree; every parent must be present and codes unique.
    pub fn new(regions: Vec<Region>) -> Result<RegionTable, RegionTableError> {
        let mut index = HashMap::with_capacity(regions.len());
        for (i, r) in regions.iter().enumerate() {
            if index.insert(r.code, i).is_some() {
                return Err(RegionTableError::Duplicate(r.code));
            }
        }
        let mut children: HashMap<RegionCode, Vec<usize>> = HashMap::new();
        for (i, r) in regions.iter().enumerate() {
            if let Some(p) = r.parent {
                if !index.contains_key(&p) {
                    return Err(RegionTableError::MissingParent {
                        code: r.code,
                        parent: p,
                    });
                }
                children.entry(p).or_default().push(i);
            }
        }
        Ok(RegionTable {
            regions,
            index,
            children,
        })
    }

    pub fn get(&self, code: RegionCode) -> Option<&Region> {
        self.index.get(&code).map(|&i| &self.regions[i])
    }

    pub fn is_village(&self, code: RegionCode) -> bool {
        self.get(code)
            .is_some_and(|r| r.level == RegionLevel::Village)
    }

    pub fn iter(&self) -> impl Iterator<Item = &Region> {
        self.regions.iter()
    }

    pub fn len(&self) -> usize {
        self.regions.len()
    }

    pub fn is_empty(&self) -> bool {
        self.regions.is_empty()
    }

    /// Direct children, in table order.
    pub fn children(&self, code: RegionCode) -> impl Iterator<Item = &Region> {
        self.children
            .get(&code)
            .into_iter()
            .flatten()
            .map(|&i| &self.regions[i])
    }

    /// All regions of a level, in table order.
    pub fn at_level(&self, level: RegionLevel) -> impl Iterator<Item = &Region> {
        self.regions.iter().filter(move |r| r.level == level)
    }

    /// "四川省 绵阳市 涪城区 城厢街道 …", the path from the root to `code`.
    pub fn path_name(&self, code: RegionCode) -> String {
        let mut names = Vec::new();
        let mut cur = self.get(code);
        while let Some(r) = cur {
            names.push(r.name.as_str());
            cur = r.parent.and_then(|p| self.get(p));
        }
        names.reverse();
        names.join(" ")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn levels_and_prefixes_follow_the_code_shape() {
        let v = RegionCode::parse("510703001001").unwrap();
        assert_eq!(v.level(), RegionLevel::Village);
        assert_eq!(
            v.ancestor_at(RegionLevel::County).to_string(),
            "510703000000"
        );
        assert_eq!(
            RegionCode::parse("510703000000").unwrap().prefix(),
            "510703"
        );
        assert_eq!(
            RegionCode::parse("510700000000").unwrap().level(),
            RegionLevel::City
        );
        assert_eq!(v.county6(), 510703);
        assert_eq!(&v.digits(), b"510703001001");
        let first = RegionCode::parse("100000000009").unwrap();
        assert_eq!(first.digits(), *first.to_string().as_bytes());
    }

    #[test]
    fn prefix_is_what_every_code_of_the_subtree_starts_with() {
        let p = |s: &str| RegionCode::parse(s).unwrap().prefix();
        assert_eq!(p("510000000000"), "51");
        assert_eq!(p("510700000000"), "5107");
        assert_eq!(p("510703000000"), "510703");
        assert_eq!(p("510703001000"), "510703001");
        assert_eq!(p("510703001001"), "510703001001");
        assert_eq!(p("510100000000"), "5101");
        let county = RegionCode::parse("510703000000").unwrap();
        for code in [
            "510703001001",
            "510703102200",
            "510704001001",
            "510713001001",
        ] {
            let c = RegionCode::parse(code).unwrap();
            assert_eq!(
                c.to_string().starts_with(&county.prefix()),
                county.contains(c)
            );
        }
    }

    #[test]
    fn subtree_contains_is_a_prefix_test() {
        let county = RegionCode::parse("510703000000").unwrap();
        let street = RegionCode::parse("510703001000").unwrap();
        let v = RegionCode::parse("510703001001").unwrap();
        let other = RegionCode::parse("510704001001").unwrap();
        assert!(county.contains(v) && street.contains(v) && v.contains(v));
        assert!(
            !county.contains(other) && !street.contains(RegionCode::parse("510703003001").unwrap())
        );
    }

    #[test]
    fn parse_refuses_wrong_shapes() {
        assert_eq!(RegionCode::parse("51070300100"), None);
        assert_eq!(RegionCode::parse("5107030010011"), None);
        assert_eq!(RegionCode::parse("51070300100a"), None);
        assert_eq!(RegionCode::parse("000000000001"), None);
    }

    #[test]
    fn table_requires_parents() {
        let r = |c: &str, p: Option<&str>| Region {
            code: RegionCode::parse(c).unwrap(),
            level: RegionCode::parse(c).unwrap().level(),
            name: c.into(),
            parent: p.map(|p| RegionCode::parse(p).unwrap()),
        };
        let err = RegionTable::new(vec![r("510703001001", Some("510703001000"))]).unwrap_err();
        assert!(matches!(err, RegionTableError::MissingParent { .. }));
        let t = RegionTable::new(vec![
            r("510703001000", None),
            r("510703001001", Some("510703001000")),
        ])
        .unwrap();
        assert_eq!(
            t.children(RegionCode::parse("510703001000").unwrap())
                .count(),
            1
        );
        assert!(t.is_village(RegionCode::parse("510703001001").unwrap()));
    }
}
