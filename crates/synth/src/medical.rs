//! Hospital stays (医保结算 records) of the 18 calendar months ending with the reference
//! month.
//!
//! | what | distribution | why |
//! |---|---|---|
//! | stays per person in 18 months | Poisson, mean 0.10 (<5), 0.04 (5–14), 0.06 (15–44), 0.12 (45–59), 0.22 (60–69), 0.32 (70–79), 0.45 (80+); × 1.8 chronic, × 4 severe, × 1.4 disability grade 1–2; at most 6 → ≈ 0.45 per household | inpatient care concentrates on the old and the ill; the target mean is the benchmark's |
//! | discharge date | uniform over the window, never after the person's death | the chain needs the previous year too |
//! | length of stay | 2 + exponential days, mean 4 / 6 / 8 more at level 1 / 2 / 3, + 5 when severely ill | China's mean stay is ≈ 9 days |
//! | hospital level | urban 10 / 40 / 50 %, rural 25 / 50 / 25 % (levels 1 / 2 / 3); severely ill: 5 / 25 / 70 % | townships use 一级 卫生院, the city 三甲 hospitals |
//! | in_district | 98 % (level 1), 92 % (level 2), 70 % (level 3) | serious cases go to 成都 (华西) |
//! | total cost | log-normal, median 2 500 / 6 000 / 13 000 yuan by level, σ 0.75, × 2.2 severely ill; 300 – 300 000 | most stays 2 000–30 000 yuan, a thin tail to 300 000 |
//! | covered cost | 60–95 % of total (whole per-mille, rounded down) | 政策范围内费用; never above total |

use minsheng_model::{HospitalLevel, Illness};

use crate::calendar::Calendar;
use crate::dist::{self, Rng};
use crate::household::Member;

/// Most stays one person gets in the window; bounds the width of stay ids.
pub const MAX_STAYS_PER_PERSON: u32 = 6;

/// A drafted stay of member `member`. Money in fen.
#[derive(Clone, Copy, Debug)]
pub struct StayDraft {
    pub member: usize,
    pub admit_day: i32,
    pub discharge_day: i32,
    pub level: HospitalLevel,
    pub in_district: bool,
    pub total: i64,
    pub covered: i64,
}

/// Appends the stays of member `index` to `out`.
pub fn stays(
    rng: &mut Rng,
    index: usize,
    m: &Member,
    urban: bool,
    cal: &Calendar,
    out: &mut Vec<StayDraft>,
) {
    let mut lambda = match m.age {
        0..=4 => 0.10,
        5..=14 => 0.04,
        15..=44 => 0.06,
        45..=59 => 0.12,
        60..=69 => 0.22,
        70..=79 => 0.32,
        _ => 0.45,
    };
    let severe = m.illness == Illness::Severe;
    lambda *= match m.illness {
        Illness::None => 1.0,
        Illness::Chronic => 1.8,
        Illness::Severe => 4.0,
    };
    if m.disability_grade == 1 || m.disability_grade == 2 {
        lambda *= 1.4;
    }
    let n = dist::poisson(rng, lambda, MAX_STAYS_PER_PERSON);
    // Stays end by the end of the reference month, and never after a death.
    let last = m
        .deceased_day
        .map_or(cal.month_end_day, |d| d.min(cal.month_end_day));
    let first = cal.stay_window_start_day.max(m.birth_day);
    if last < first {
        return;
    }
    for _ in 0..n {
        let level = if severe {
            dist::pick(
                rng,
                &[
                    (HospitalLevel::L3, 70),
                    (HospitalLevel::L2, 25),
                    (HospitalLevel::L1, 5),
                ],
            )
        } else if urban {
            dist::pick(
                rng,
                &[
                    (HospitalLevel::L3, 50),
                    (HospitalLevel::L2, 40),
                    (HospitalLevel::L1, 10),
                ],
            )
        } else {
            dist::pick(
                rng,
                &[
                    (HospitalLevel::L2, 50),
                    (HospitalLevel::L1, 25),
                    (HospitalLevel::L3, 25),
                ],
            )
        };
        let (extra_mean, median, in_district) = match level {
            HospitalLevel::L1 => (4.0, 2500.0, 0.98),
            HospitalLevel::L2 => (6.0, 6000.0, 0.92),
            HospitalLevel::L3 => (8.0, 13000.0, 0.70),
        };
        let discharge_day = dist::between(rng, first, last);
        let los = 2 + dist::days_with_mean(rng, extra_mean) + if severe { 5 } else { 0 };
        let admit_day = (discharge_day - los).max(m.birth_day);
        let median = if severe { median * 2.2 } else { median };
        let total = dist::lognormal_fen(rng, median, 0.75).clamp(30_000, 30_000_000);
        let covered = dist::scale_fen(total, i64::from(dist::between(rng, 600, 950)), 1000);
        out.push(StayDraft {
            member: index,
            admit_day,
            discharge_day,
            level,
            in_district: dist::chance(rng, in_district),
            total,
            covered,
        });
    }
}
