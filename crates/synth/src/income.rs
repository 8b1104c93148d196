//! Monthly incomes (yuan, integer fen), the household's economic class, and its assets.
//!
//! The share of low-income households is what the policy engine is measured on, so it is
//! set explicitly rather than left to the tails of the income model. Each household first
//! draws a class, more likely "poor" for the elderly alone, the severely disabled or ill,
//! the unsupported and rural households; then members get *natural* incomes from their
//! employment; finally the total is moved into the class's band when it is outside it
//! (a shortfall is added where it plausibly comes from — a worker's wage, an old
//! person's support from children elsewhere —, an excess scales every component down).
//! "Raw income" below is wage + business + property + transfer of all members; the
//! bands are in multiples of standard × size (urban 610, rural 410 yuan/person/month):
//!
//! | class | raw income band | share of households |
//! |---|---|---|
//! | poor (dibao candidates) | < 1 × | ≈ 4.4 % |
//! | edge (低保边缘) | 1 – 1.5 × | ≈ 4.7 % |
//! | low (支出型困难 candidates) | 1.5 – 2 × | ≈ 5.3 % |
//! | normal | ≥ 2 × | the rest |
//!
//! Natural incomes (monthly, yuan):
//!
//! | who | income | why |
//! |---|---|---|
//! | employed | wage log-normal, median 4 200 urban / 3 300 rural, σ 0.45, ×0.7 under 23, floor 1 870 | 绵阳 average urban wages ≈ 5 000–6 000, medians lower; Sichuan's lowest minimum-wage tier is 1 870 (2022) |
//! | flexible urban | wage median 2 400 (σ 0.55); 20 % also business median 2 500 (σ 0.8) | 零工, 个体户 |
//! | flexible rural | 60 % wage median 2 000 (σ 0.6, 外出务工); 85 % business median 600 (σ 0.7, farming) | 经营净收入 of small farms |
//! | unemployed | 25 % urban / 10 % rural get 失业保险金 1 500–1 800 as transfer | ≈ 90 % of the minimum wage, for those insured |
//! | retired | pension median 3 000 urban / 2 300 rural (σ 0.35), floor 1 200 | 企业职工养老金 in 绵阳 ≈ 3 000 |
//! | no employment, 60+ | 城乡居民养老金 200–400 urban, 150–300 rural; rural 60–74: 50 % farm business median 400 | the basic residents' pension is small |
//! | 60+ with a supporter | 35 % get support from children elsewhere, median 400 (σ 0.6) | counted 转移性收入 (赡养费) |
//! | adults | property income for 10 % urban (median 300) / 3 % rural (median 150), σ 0.9 | rent, interest |
//!
//! Assets:
//!
//! | class | savings | houses 0/1/2/3 (%) | vehicles 0/1/2 (%) |
//! |---|---|---|---|
//! | poor | 10 % none; else ≈ 3 months of standard × size (σ 1.0); 8 % hold 25–60 months (above the 24-month limit) | 15/82/3/0 | 93/7/0 |
//! | edge | ≈ 8 months (σ 0.9); 10 % hold 37–80 months (above the 36-month edge limit) | 10/80/10/0 | 78/22/0 |
//! | low | ≈ 10 months of income (σ 0.9) | 8/77/13/2 | 60/38/2 |
//! | normal | ≈ 16 months of income (σ 1.0) | urban 10/62/23/5, rural 3/80/15/2 | 45/45/10 |

use crate::dist::{self, Rng};
use crate::household::{Member, Template};
use minsheng_model::{Employment, Illness};

/// 城市低保标准 and 农村低保标准 of 绵阳 (reference-rules.md), fen per person per month.
pub const STANDARD_URBAN: i64 = 61_000;
pub const STANDARD_RURAL: i64 = 41_000;

/// The dibao standard of an area, fen per person per month.
pub fn standard(urban: bool) -> i64 {
    if urban {
        STANDARD_URBAN
    } else {
        STANDARD_RURAL
    }
}

/// A household's economic class (see the module comment).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Class {
    Poor,
    Edge,
    Low,
    Normal,
}

/// Calibration factor of the poverty risk, set so that ≈ 4.5 % of households are poor
/// over the whole template mix (measured on 200 000 households).
const RISK_SCALE: f64 = 0.63;

/// Draws the class from the household's risk factors.
pub fn class(rng: &mut Rng, members: &[Member], template: Template, urban: bool) -> Class {
    use Template::*;
    let mut risk = match template {
        ElderAlone | SingleParent | GrandparentChild => 0.10,
        Siblings => 0.08,
        SkipGenCouple => 0.07,
        ElderCouple | ParentAdultChild => 0.05,
        WithGrandparent => 0.04,
        CoupleParent => 0.03,
        SingleAdult | Nuclear2 | ThreeGen4 | ThreeGenOld5 | ThreeGen5 | ThreeGen5b | ThreeGen6
        | ThreeGen7 => 0.025,
        Nuclear1 => 0.02,
        Couple => 0.015,
    };
    risk *= if urban { 0.8 } else { 1.4 };
    if members
        .iter()
        .any(|m| m.disability_grade == 1 || m.disability_grade == 2)
    {
        risk *= 2.5;
    } else if members.iter().any(|m| m.disability_grade >= 3) {
        risk *= 1.4;
    }
    if members.iter().any(|m| m.illness == Illness::Severe) {
        risk *= 2.5;
    } else if members.iter().any(|m| m.illness == Illness::Chronic) {
        risk *= 1.2;
    }
    if members.len() == 1 && !members[0].capable_supporter {
        risk *= 4.0;
    }
    let poor = (risk * RISK_SCALE).min(0.85);
    let edge = (poor * 1.1).min(0.9 - poor).max(0.0);
    let low = (poor * 1.3).min(0.95 - poor - edge).max(0.0);
    let u = dist::uniform(rng, 0.0, 1.0);
    if u < poor {
        Class::Poor
    } else if u < poor + edge {
        Class::Edge
    } else if u < poor + edge + low {
        Class::Low
    } else {
        Class::Normal
    }
}

/// Natural monthly incomes of one member from their employment, age and area.
fn natural(rng: &mut Rng, m: &mut Member, urban: bool) {
    let age = m.age;
    match m.employment {
        Employment::Employed => {
            let median = if urban { 4200.0 } else { 3300.0 } * if age < 23 { 0.7 } else { 1.0 };
            m.wage = dist::lognormal_fen(rng, median, 0.45).max(187_000);
        }
        Employment::Flexible if urban => {
            m.wage = dist::lognormal_fen(rng, 2400.0, 0.55);
            if dist::chance(rng, 0.2) {
                m.business = dist::lognormal_fen(rng, 2500.0, 0.8);
            }
        }
        Employment::Flexible => {
            if dist::chance(rng, 0.6) {
                m.wage = dist::lognormal_fen(rng, 2000.0, 0.6);
            }
            if dist::chance(rng, 0.85) {
                m.business = dist::lognormal_fen(rng, 600.0, 0.7);
            }
        }
        Employment::Unemployed => {
            if dist::chance(rng, if urban { 0.25 } else { 0.10 }) {
                m.transfer = dist::uniform_fen(rng, 1500, 1800);
            }
        }
        Employment::Retired => {
            m.transfer =
                dist::lognormal_fen(rng, if urban { 3000.0 } else { 2300.0 }, 0.35).max(120_000);
        }
        Employment::Student => {}
        Employment::None => {
            if age >= 60 {
                m.transfer = if urban {
                    dist::uniform_fen(rng, 200, 400)
                } else {
                    dist::uniform_fen(rng, 150, 300)
                };
                if !urban && age < 75 && dist::chance(rng, 0.5) {
                    m.business = dist::lognormal_fen(rng, 400.0, 0.7);
                }
            } else if age >= 18 && !urban && dist::chance(rng, 0.6) {
                m.business = dist::lognormal_fen(rng, 500.0, 0.8);
            }
        }
    }
    if age >= 60 && m.capable_supporter && dist::chance(rng, 0.35) {
        m.transfer += dist::lognormal_fen(rng, 400.0, 0.6);
    }
    if age >= 18 && dist::chance(rng, if urban { 0.10 } else { 0.03 }) {
        m.property = dist::lognormal_fen(rng, if urban { 300.0 } else { 150.0 }, 0.9);
    }
}

/// Gives every member an income and moves the household total into its class's band.
/// Returns the household's raw monthly income in fen.
pub fn incomes(rng: &mut Rng, members: &mut [Member], urban: bool, class: Class) -> i64 {
    for m in members.iter_mut() {
        natural(rng, m, urban);
    }
    let need = standard(urban) * members.len() as i64;
    let total: i64 = members.iter().map(Member::income).sum();
    // Band limits in per mille of standard × size; the target is drawn inside the band
    // (at least a yuan clear of the lower edge so that flooring cannot cross it).
    let (lo, hi) = match class {
        Class::Poor => (0, 1000),
        Class::Edge => (1000, 1500),
        Class::Low => (1500, 2000),
        Class::Normal => (2000, i64::MAX),
    };
    let in_band = total >= dist::scale_fen(need, lo, 1000)
        && (hi == i64::MAX || total < dist::scale_fen(need, hi, 1000));
    if in_band {
        return total;
    }
    let permille = match class {
        Class::Poor => i64::from(dist::between(rng, 200, 970)),
        Class::Edge => i64::from(dist::between(rng, 1005, 1490)),
        Class::Low => i64::from(dist::between(rng, 1505, 1990)),
        Class::Normal => i64::from(dist::between(rng, 2050, 3500)),
    };
    let target = dist::scale_fen(need, permille, 1000);
    if target < total {
        scale_down(members, total, target)
    } else {
        top_up(members, target - total);
        target
    }
}

/// Scales every income component by `target / total`, rounding down; returns the new total.
fn scale_down(members: &mut [Member], total: i64, target: i64) -> i64 {
    let mut sum = 0;
    for m in members.iter_mut() {
        for c in [
            &mut m.wage,
            &mut m.business,
            &mut m.property,
            &mut m.transfer,
        ] {
            *c = dist::scale_fen(*c, target, total);
            sum += *c;
        }
    }
    sum
}

/// Adds `amount` where it plausibly comes from: a working-age worker's wage (or a rural
/// flexible worker's business), else the oldest member's support from children living
/// elsewhere, else the head's transfers.
fn top_up(members: &mut [Member], amount: i64) {
    if let Some(w) = members.iter_mut().find(|m| {
        (18..65).contains(&m.age)
            && matches!(m.employment, Employment::Employed | Employment::Flexible)
    }) {
        if w.employment == Employment::Flexible && w.business > w.wage {
            w.business += amount;
        } else {
            w.wage += amount;
        }
        return;
    }
    let oldest = members
        .iter_mut()
        .filter(|m| m.age >= 60)
        .max_by_key(|m| m.age);
    match oldest {
        Some(o) => o.transfer += amount,
        None => {
            if let Some(h) = members.first_mut() {
                h.transfer += amount;
            }
        }
    }
}

/// A household's savings (fen), houses and vehicles.
#[derive(Clone, Copy, Debug)]
pub struct Assets {
    pub savings: i64,
    pub houses: u32,
    pub vehicles: u32,
}

/// Assets correlated with the class and income (see the module comment).
pub fn assets(rng: &mut Rng, urban: bool, class: Class, size: usize, income: i64) -> Assets {
    let need_yuan = (standard(urban) * size as i64) as f64 / 100.0;
    let income_yuan = income as f64 / 100.0;
    let savings = match class {
        Class::Poor if dist::chance(rng, 0.10) => 0,
        Class::Poor if dist::chance(rng, 0.08) => {
            dist::yuan_to_fen(need_yuan * dist::uniform(rng, 25.0, 60.0))
        }
        Class::Poor => dist::lognormal_fen(rng, need_yuan * 3.0, 1.0),
        Class::Edge if dist::chance(rng, 0.10) => {
            dist::yuan_to_fen(need_yuan * dist::uniform(rng, 37.0, 80.0))
        }
        Class::Edge => dist::lognormal_fen(rng, need_yuan * 8.0, 0.9),
        Class::Low => dist::lognormal_fen(rng, income_yuan * 10.0, 0.9),
        Class::Normal => dist::lognormal_fen(rng, income_yuan * 16.0, 1.0),
    };
    let houses = match class {
        Class::Poor => dist::pick(rng, &[(1, 82), (0, 15), (2, 3)]),
        Class::Edge => dist::pick(rng, &[(1, 80), (0, 10), (2, 10)]),
        Class::Low => dist::pick(rng, &[(1, 77), (2, 13), (0, 8), (3, 2)]),
        Class::Normal if urban => dist::pick(rng, &[(1, 62), (2, 23), (0, 10), (3, 5)]),
        Class::Normal => dist::pick(rng, &[(1, 80), (2, 15), (0, 3), (3, 2)]),
    };
    let vehicles = match class {
        Class::Poor => dist::pick(rng, &[(0, 93), (1, 7)]),
        Class::Edge => dist::pick(rng, &[(0, 78), (1, 22)]),
        Class::Low => dist::pick(rng, &[(0, 60), (1, 38), (2, 2)]),
        Class::Normal => dist::pick(rng, &[(0, 45), (1, 45), (2, 10)]),
    };
    Assets {
        savings,
        houses,
        vehicles,
    }
}
