//! Where households live: every village/community of the region table gets a weight, a
//! household draws one, and its `area` and address follow from the kind of unit.
//!
//! | what | value | why |
//! |---|---|---|
//! | county weight | 户籍 population, thousands: 涪城 900, 游仙 700, 安州 510, 三台 1 470, 盐亭 600, 梓潼 380, 北川 160, 平武 185, 江油 880 | registered (户籍) population of 绵阳's counties around 2017, with the 高新/经开 parks counted into 涪城 and 科创园/仙海 into 游仙, rounded — the registry is 户籍-based; approximate |
//! | share living in communities (居委会) | 涪城 85 %, 游仙 55 %, 江油 50 %, 安州/北川 35 %, 三台/盐亭/梓潼/平武 30 % | the urban core is 涪城 (and 游仙); county seats hold the rest; gives ≈ 45 % urban households: 户籍 urbanisation runs below the ≈ 53 % of 常住 residents |
//! | counties not listed (another deployment's table) | 2 500 persons per unit, communities weighted 2.5 × villages | a neutral default |
//! | unit size spread | × 0.5–1.5, fixed per code | real units differ in size; a hash of the code keeps it deterministic |
//! | `area` | communities urban 95 %, villages rural 95 % | "a small mix": 城中村 and 农转非 households |
//!
//! Village codes 001–199 are 居民委员会 (communities), 200–399 村民委员会 (villages).

use minsheng_model::{Area, RegionCode, RegionLevel, RegionTable};

use crate::dist::{self, Rng};
use crate::text;

/// (county code, 户籍 population in thousands, per-mille of it living in communities).
const COUNTIES: &[(u32, u64, u64)] = &[
    (510703, 900, 850),
    (510704, 700, 550),
    (510705, 510, 350),
    (510722, 1470, 300),
    (510723, 600, 300),
    (510725, 380, 300),
    (510726, 160, 350),
    (510727, 185, 300),
    (510781, 880, 500),
];

/// One village or community households can be placed in.
#[derive(Clone, Debug)]
pub struct Village {
    pub code: RegionCode,
    /// Index of its county in [`Places::county_codes`].
    pub county: usize,
    pub county6: u32,
    /// 居民委员会 (code 001–199) rather than 村民委员会.
    pub community: bool,
    /// "城厢街道红庙社区": the start of a household's address.
    pub address_prefix: String,
}

/// The weighted villages of a region table.
#[derive(Debug)]
pub struct Places {
    villages: Vec<Village>,
    cumulative: Vec<u64>,
    /// Distinct 6-digit county codes of the villages (the ID number's home regions).
    pub county_codes: Vec<u32>,
}

impl Places {
    /// Weighs every village-level unit of `table`; `None` when it has none.
    pub fn new(table: &RegionTable) -> Option<Places> {
        let mut villages = Vec::new();
        let mut county_codes: Vec<u32> = Vec::new();
        for r in table.at_level(RegionLevel::Village) {
            let county6 = r.code.county6();
            let county = county_codes
                .iter()
                .position(|&c| c == county6)
                .unwrap_or_else(|| {
                    county_codes.push(county6);
                    county_codes.len() - 1
                });
            let township = r
                .parent
                .and_then(|p| table.get(p))
                .map_or("", |t| t.name.as_str());
            let short = r
                .name
                .trim_end_matches("居民委员会")
                .trim_end_matches("村民委员会");
            villages.push(Village {
                code: r.code,
                county,
                county6,
                community: r.code.value() % 1000 < 200,
                address_prefix: format!("{township}{short}"),
            });
        }
        if villages.is_empty() {
            return None;
        }
        let weights = unit_weights(&villages, &county_codes);
        let mut total = 0u64;
        let cumulative = weights
            .iter()
            .map(|w| {
                total += w;
                total
            })
            .collect();
        Some(Places {
            villages,
            cumulative,
            county_codes,
        })
    }

    /// The first village of the table (a placeholder before the first draw).
    pub fn first(&self) -> &Village {
        &self.villages[0]
    }

    /// A village drawn with probability proportional to its weight.
    pub fn pick(&self, rng: &mut Rng) -> &Village {
        let total = self.cumulative.last().copied().unwrap_or(0);
        let x = dist::uniform_u64(rng, total);
        let i = self
            .cumulative
            .partition_point(|&c| c <= x)
            .min(self.villages.len() - 1);
        &self.villages[i]
    }
}

/// Each unit's weight: its county's population × the community/village share, split
/// evenly over the county's units of that kind, times a fixed per-code size factor.
fn unit_weights(villages: &[Village], county_codes: &[u32]) -> Vec<u64> {
    let mut counts = vec![(0u64, 0u64); county_codes.len()];
    for v in villages {
        let c = &mut counts[v.county];
        if v.community { c.0 += 1 } else { c.1 += 1 }
    }
    villages
        .iter()
        .map(|v| {
            let (n_comm, n_vill) = counts[v.county];
            let (population, mut comm_permille) =
                COUNTIES.iter().find(|c| c.0 == v.county6).map_or_else(
                    || {
                        (
                            2_500 * (n_comm + n_vill),
                            1000 * 5 * n_comm / (5 * n_comm + 2 * n_vill).max(1),
                        )
                    },
                    |c| (c.1 * 1000, c.2),
                );
            // A county with only one kind of unit puts everybody there.
            if n_vill == 0 {
                comm_permille = 1000;
            } else if n_comm == 0 {
                comm_permille = 0;
            }
            let (share, n) = if v.community {
                (comm_permille, n_comm)
            } else {
                (1000 - comm_permille, n_vill)
            };
            population * share / n.max(1) * size_factor(v.code) / 1000
        })
        .collect()
}

/// 500–1500 ‰, a fixed function of the code (a multiplicative hash), so unit sizes vary
/// but a given village always weighs the same.
fn size_factor(code: RegionCode) -> u64 {
    let h = code.value().wrapping_mul(0x9E37_79B9_7F4A_7C15) >> 40;
    500 + h % 1001
}

/// 城镇 or 农村 for a household of `v`: the unit's kind, with a 5 % mix.
pub fn area(rng: &mut Rng, v: &Village) -> Area {
    let urban = if v.community {
        !dist::chance(rng, 0.05)
    } else {
        dist::chance(rng, 0.05)
    };
    if urban { Area::Urban } else { Area::Rural }
}

/// Writes a plausible street or hamlet address for a household of `v` into `out`:
/// "…社区12栋3单元502号" or "…村4组37号".
pub fn write_address(rng: &mut Rng, out: &mut String, v: &Village) {
    let num = |rng: &mut Rng, lo: i32, hi: i32| dist::between(rng, lo, hi) as u64;
    out.clear();
    out.push_str(&v.address_prefix);
    if v.community {
        text::push_num(out, num(rng, 1, 40));
        out.push('栋');
        text::push_num(out, num(rng, 1, 4));
        out.push_str("单元");
        text::push_num(out, num(rng, 1, 18));
        text::push_padded(out, num(rng, 1, 4), 2);
        out.push('号');
    } else {
        text::push_num(out, num(rng, 1, 12));
        out.push('组');
        text::push_num(out, num(rng, 1, 120));
        out.push('号');
    }
}
