//! Who receives what today (`enrollments.csv`): plausible, deliberately imperfect
//! caseloads for monitoring to compare with the policy's outcome — not policy results.
//!
//! | program | who | rate | monthly amount |
//! |---|---|---|---|
//! | tekun (person) | unable to work, no capable supporter, not an orphan, own income below the standard | 85 % | ceil(1.3 × standard) + care (100 / 400 / 1 000 by self-care) |
//! | dibao (household, person empty) | poor households (tekun members left out) whose counted income is below standard × size | 85 % | standard × size − counted income + increments, to the yuan; 10 % of them a stale amount ± 20–150 |
//! | dibao, stale | edge households (income rose since) | 6 % | 10–40 % of standard × size |
//! | disability_living (person) | disabled member of an enrolled dibao household, not tekun | 90 % | 100 |
//! | disability_care (person) | disability grade 1 / 2 | 90 % | 100 / 80 |
//! | elderly_allowance (person) | aged 80–89 / 90–99 / 100+ | 92 % | 50 / 100 / 300 |
//! | orphan_support (person) | orphans under 18 | 95 % | 1 200 |
//!
//! `since` is the first day of a month in the past years (for elderly_allowance the month
//! after the 80th birthday). 3 % of enrollments have ended (`until` = a past month end),
//! and half of a deceased person's enrollments end with the month of death — the other
//! half are left open for monitoring to find.

use minsheng_model::{DisabilityKind, Employment, Fen, Illness, SelfCare};

use crate::calendar::Calendar;
use crate::dist::{self, Rng};
use crate::household::{MAX_MEMBERS, Member};
use crate::income::{Class, standard};

/// A drafted enrollment; `member` is `None` for household programs. Money in fen.
#[derive(Clone, Copy, Debug)]
pub struct EnrollmentDraft {
    pub member: Option<usize>,
    pub program: &'static str,
    pub since_day: i32,
    pub amount: i64,
    pub until_day: Option<i32>,
}

/// Counted income of one member (reference rules: minus the employment cost of 20 % of
/// wages, rounded half-up to the fen, capped at half the standard; never below 0).
fn counted(m: &Member, std: i64) -> i64 {
    let cost = if matches!(m.employment, Employment::Employed | Employment::Flexible) {
        ((m.wage * 20 + 50) / 100).min(std / 2)
    } else {
        0
    };
    (m.income() - cost).max(0)
}

/// The dibao increment of one member (分类施保): 20 % or 10 % of the standard.
fn increment(m: &Member, std: i64) -> i64 {
    if m.disability_grade == 1 || m.disability_grade == 2 || m.illness == Illness::Severe {
        std / 5
    } else if m.age >= 60 || m.age < 18 || m.disability_grade >= 3 {
        std / 10
    } else {
        0
    }
}

fn unable_to_work(m: &Member) -> bool {
    m.age >= 60
        || m.age < 16
        || m.disability_grade == 1
        || m.disability_grade == 2
        || (m.disability_grade == 3
            && matches!(
                m.disability_kind,
                DisabilityKind::Intellectual | DisabilityKind::Mental
            ))
}

/// Whole yuan, half-up.
fn to_yuan(fen: i64) -> i64 {
    Fen(fen).round_half_up_to(100).0
}

/// Appends the household's enrollments to `out`.
pub fn enrollments(
    rng: &mut Rng,
    members: &[Member],
    class: Class,
    urban: bool,
    cal: &Calendar,
    out: &mut Vec<EnrollmentDraft>,
) {
    let std = standard(urban);
    let start = out.len();
    // Which members are tekun: they leave the household's dibao head count and income.
    let mut tekun = [false; MAX_MEMBERS as usize];
    for (i, m) in members.iter().enumerate() {
        if unable_to_work(m)
            && !m.capable_supporter
            && !m.orphan
            && m.income() < std
            && dist::chance(rng, 0.85)
        {
            tekun[i] = true;
            let care = match m.self_care {
                SelfCare::Full => 10_000,
                SelfCare::Partial => 40_000,
                SelfCare::None => 100_000,
            };
            // ceil(1.3 × standard) to the whole yuan.
            let basic = (std * 13 + 999) / 1000 * 100;
            let since_day = cal.past_month_start(rng, 10, m.birth_day);
            out.push(EnrollmentDraft {
                member: Some(i),
                program: "tekun",
                since_day,
                amount: basic + care,
                until_day: None,
            });
        }
    }
    let rest = || {
        members
            .iter()
            .enumerate()
            .filter(|(i, _)| !tekun[*i])
            .map(|(_, m)| m)
    };
    let size = rest().count() as i64;
    let mut dibao = false;
    if size > 0 {
        let income: i64 = rest().map(|m| counted(m, std)).sum();
        let gap = std * size - income;
        if class == Class::Poor && gap > 0 && dist::chance(rng, 0.85) {
            let incr: i64 = rest().map(|m| increment(m, std)).sum();
            let mut amount = to_yuan(gap + incr);
            if dist::chance(rng, 0.10) {
                let off = i64::from(dist::between(rng, 20, 150)) * 100;
                amount = if dist::chance(rng, 0.5) {
                    amount + off
                } else {
                    (amount - off).max(0)
                };
            }
            dibao = true;
            let since_day = cal.past_month_start(rng, 8, cal.earliest_birth_day());
            out.push(EnrollmentDraft {
                member: None,
                program: "dibao",
                since_day,
                amount,
                until_day: None,
            });
        } else if class == Class::Edge && dist::chance(rng, 0.06) {
            let amount = to_yuan(dist::scale_fen(
                std * size,
                i64::from(dist::between(rng, 100, 400)),
                1000,
            ));
            dibao = true;
            let since_day = cal.past_month_start(rng, 8, cal.earliest_birth_day());
            out.push(EnrollmentDraft {
                member: None,
                program: "dibao",
                since_day,
                amount,
                until_day: None,
            });
        }
    }
    for (i, m) in members.iter().enumerate() {
        if m.disability_grade > 0 && dibao && !tekun[i] && dist::chance(rng, 0.9) {
            let since_day = cal.past_month_start(rng, 6, m.birth_day);
            out.push(EnrollmentDraft {
                member: Some(i),
                program: "disability_living",
                since_day,
                amount: 10_000,
                until_day: None,
            });
        }
        if (m.disability_grade == 1 || m.disability_grade == 2) && dist::chance(rng, 0.9) {
            let amount = if m.disability_grade == 1 {
                10_000
            } else {
                8_000
            };
            let since_day = cal.past_month_start(rng, 8, m.birth_day);
            out.push(EnrollmentDraft {
                member: Some(i),
                program: "disability_care",
                since_day,
                amount,
                until_day: None,
            });
        }
        if m.age >= 80 && dist::chance(rng, 0.92) {
            let amount = match m.age {
                80..=89 => 5_000,
                90..=99 => 10_000,
                _ => 30_000,
            };
            let eightieth = cal.years_after(m.birth_day, 80);
            let since_day = (cal.month_end_of(eightieth) + 1).min(cal.month_start_day);
            out.push(EnrollmentDraft {
                member: Some(i),
                program: "elderly_allowance",
                since_day,
                amount,
                until_day: None,
            });
        }
        if m.orphan && m.age < 18 && dist::chance(rng, 0.95) {
            let since_day = cal.past_month_start(rng, 10, m.birth_day);
            out.push(EnrollmentDraft {
                member: Some(i),
                program: "orphan_support",
                since_day,
                amount: 120_000,
                until_day: None,
            });
        }
    }
    for e in &mut out[start..] {
        let dead = e
            .member
            .and_then(|i| members.get(i))
            .and_then(|m| m.deceased_day);
        if let Some(d) = dead {
            let end = cal.month_end_of(d);
            if end >= e.since_day && dist::chance(rng, 0.5) {
                e.until_day = Some(end);
            }
        } else if e.since_day < cal.month_start_day && dist::chance(rng, 0.03) {
            // Ended at the end of some month between the start and last month.
            let day = dist::between(rng, e.since_day, cal.month_start_day - 1);
            e.until_day = Some(cal.month_end_of(day).min(cal.month_start_day - 1));
        }
    }
}
