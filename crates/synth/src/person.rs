//! Person attributes beyond composition: disability, illness, self-care, employment,
//! supporters, orphans and deaths.
//!
//! | attribute | distribution | why |
//! |---|---|---|
//! | disability | 1.6 % under 15, 3.2 % 15–44, 5.8 % 45–59, 12.5 % 60–79, 21 % 80+ → ≈ 6 % of persons | China's 2006 disability sample survey found 6.34 %, rising steeply with age |
//! | disability grade | 1: 15 %, 2: 25 %, 3: 28 %, 4: 32 % | 重度 (1–2) is about 40 % of certified disabled persons |
//! | disability kind | adults: physical 30, hearing 22, visual 15, multiple 12, mental 9, intellectual 8, speech 4; children: intellectual 35, physical 20, hearing 12, speech 10, multiple 10, visual 8, mental 5 | survey shares; intellectual and speech disabilities are found young, hearing loss old |
//! | illness | chronic 1 % (<15), 5.5 % (15–44), 17 % (45–59), 34 % (60–74), 45 % (75+) → ≈ 15 %; severe 0.4 / 0.6 / 2 / 4 / 6 % → ≈ 2 % | certified 慢性病 / 重病 (not self-reported), rising with age |
//! | self_care partial / none | 90+: 30 / 12 %, 80–89: 15 / 5 %, 70–79: 5 / 1.5 %; grade 1: 40 / 40 %, grade 2: 40 / 10 %, severe illness: 30 / 10 %; otherwise 0.3 / 0.1 % | 失能 concentrates among the very old and the severely disabled (the highest applicable rule wins) |
//! | employment | under 6 none; 6–15 student; 16–18 student 88 %; 19–22 student 45 %; working age by class and area (normal urban: employed 64, flexible 20, unemployed 3.5, none 12.5; rural: employed 32, flexible 46 — 务农 and 零工 —, unemployed 3.5, none 18.5; poor: unemployed 30 %; edge/low: 12 %); urban women 50–59 45 % retired; 65+ urban 80 % retired, rural 20 % | ≈ 5 % of working age unemployed; the rural elderly mostly have no employee pension |
//! | capable_supporter | false for 14 % of elderly living alone, 35 % of severely disabled single adults, orphans and 0.3 % of others | 无法定赡养、抚养、扶养义务人 or none able to support — the tekun population |
//! | orphan | 3 % of grandchildren living with grandparents only (≈ 0.1 % of households) | 孤儿 and 事实无人抚养儿童 are very rare |
//! | deceased_on | 0.05 % under 60, 0.3 % 60–69, 0.9 % 70–79, 2.6 % 80–89, 6.5 % 90+, × 3 with severe illness → ≈ 0.3 % of persons, within the ~6 months ending with the reference month | recent deaths not yet removed from the registry |

use minsheng_model::{DisabilityKind, Employment, Illness, SelfCare};

use crate::calendar::Calendar;
use crate::dist::{self, Rng};
use crate::household::{Member, Template};
use crate::income::Class;

const ADULT_KINDS: &[(DisabilityKind, u32)] = &[
    (DisabilityKind::Physical, 30),
    (DisabilityKind::Hearing, 22),
    (DisabilityKind::Visual, 15),
    (DisabilityKind::Multiple, 12),
    (DisabilityKind::Mental, 9),
    (DisabilityKind::Intellectual, 8),
    (DisabilityKind::Speech, 4),
];

const CHILD_KINDS: &[(DisabilityKind, u32)] = &[
    (DisabilityKind::Intellectual, 35),
    (DisabilityKind::Physical, 20),
    (DisabilityKind::Hearing, 12),
    (DisabilityKind::Speech, 10),
    (DisabilityKind::Multiple, 10),
    (DisabilityKind::Visual, 8),
    (DisabilityKind::Mental, 5),
];

/// Disability, illness and self-care of one member.
pub fn health(rng: &mut Rng, m: &mut Member) {
    let age = m.age;
    let p_disabled = match age {
        0..=14 => 0.016,
        15..=44 => 0.032,
        45..=59 => 0.058,
        60..=79 => 0.125,
        _ => 0.21,
    };
    if dist::chance(rng, p_disabled) {
        m.disability_grade = dist::pick(rng, &[(1u8, 15), (2, 25), (3, 28), (4, 32)]);
        m.disability_kind = dist::pick(rng, if age < 18 { CHILD_KINDS } else { ADULT_KINDS });
    }
    let (p_chronic, p_severe) = match age {
        0..=14 => (0.01, 0.004),
        15..=44 => (0.055, 0.006),
        45..=59 => (0.17, 0.02),
        60..=74 => (0.34, 0.04),
        _ => (0.45, 0.06),
    };
    let u = dist::uniform(rng, 0.0, 1.0);
    m.illness = if u < p_severe {
        Illness::Severe
    } else if u < p_severe + p_chronic {
        Illness::Chronic
    } else {
        Illness::None
    };
    // (partial, none): the rule with the highest total applies.
    let mut rule = match age {
        90.. => (0.30, 0.12),
        80..=89 => (0.15, 0.05),
        70..=79 => (0.05, 0.015),
        _ => (0.003, 0.001),
    };
    let heavier = |a: (f64, f64), b: (f64, f64)| if b.0 + b.1 > a.0 + a.1 { b } else { a };
    rule = match m.disability_grade {
        1 => heavier(rule, (0.40, 0.40)),
        2 => heavier(rule, (0.40, 0.10)),
        _ => rule,
    };
    if m.illness == Illness::Severe {
        rule = heavier(rule, (0.30, 0.10));
    }
    let u = dist::uniform(rng, 0.0, 1.0);
    m.self_care = if u < rule.1 {
        SelfCare::None
    } else if u < rule.0 + rule.1 {
        SelfCare::Partial
    } else {
        SelfCare::Full
    };
}

/// Who has a capable legal supporter, and the rare orphans.
pub fn supporters(rng: &mut Rng, members: &mut [Member], template: Template) {
    for m in members.iter_mut() {
        m.capable_supporter = !dist::chance(rng, 0.003);
    }
    match template {
        Template::ElderAlone => {
            members[0].capable_supporter = !dist::chance(rng, 0.14);
        }
        Template::SingleAdult => {
            let h = &members[0];
            let unable = h.disability_grade == 1
                || h.disability_grade == 2
                || (h.disability_grade == 3
                    && matches!(
                        h.disability_kind,
                        DisabilityKind::Intellectual | DisabilityKind::Mental
                    ));
            if unable && dist::chance(rng, 0.35) {
                members[0].capable_supporter = false;
            }
        }
        Template::GrandparentChild | Template::SkipGenCouple => {
            // Parents dead or missing and no one able to raise the child: 孤儿 / 事实无人抚养.
            if let Some(gc) = members
                .iter_mut()
                .find(|m| m.relation == minsheng_model::Relation::Grandchild)
                && dist::chance(rng, 0.03)
            {
                gc.orphan = true;
                gc.capable_supporter = false;
            }
        }
        _ => {}
    }
}

const URBAN_WORKING: &[(Employment, u32)] = &[
    (Employment::Employed, 640),
    (Employment::Flexible, 200),
    (Employment::None, 125),
    (Employment::Unemployed, 35),
];
const RURAL_WORKING: &[(Employment, u32)] = &[
    (Employment::Flexible, 460),
    (Employment::Employed, 320),
    (Employment::None, 185),
    (Employment::Unemployed, 35),
];
const POOR_WORKING: &[(Employment, u32)] = &[
    (Employment::None, 35),
    (Employment::Flexible, 30),
    (Employment::Unemployed, 30),
    (Employment::Employed, 5),
];
const EDGE_WORKING: &[(Employment, u32)] = &[
    (Employment::Flexible, 40),
    (Employment::Employed, 25),
    (Employment::None, 23),
    (Employment::Unemployed, 12),
];

/// Employment status of one member, by age, area, health and the household's class.
pub fn employment(rng: &mut Rng, m: &Member, urban: bool, class: Class) -> Employment {
    use Employment::*;
    let age = m.age;
    let severe_disability = m.disability_grade == 1 || m.disability_grade == 2;
    match age {
        0..=5 => None,
        6..=15 => Student,
        16..=18 => dist::pick(
            rng,
            &[(Student, 88), (Flexible, 6), (Employed, 3), (None, 3)],
        ),
        19..=22 => dist::pick(
            rng,
            &[
                (Student, 45),
                (Employed, 25),
                (Flexible, 15),
                (Unemployed, 8),
                (None, 7),
            ],
        ),
        23..=59 => {
            if severe_disability {
                return dist::pick(
                    rng,
                    &[(None, 70), (Flexible, 15), (Employed, 10), (Unemployed, 5)],
                );
            }
            if m.illness == Illness::Severe && dist::chance(rng, 0.5) {
                return None;
            }
            let early_retirement = match m.sex {
                minsheng_model::Sex::F if age >= 50 => 0.45,
                minsheng_model::Sex::M if age >= 55 => 0.10,
                _ => 0.0,
            };
            if urban && class == Class::Normal && dist::chance(rng, early_retirement) {
                return Retired;
            }
            let table = match class {
                Class::Poor => POOR_WORKING,
                Class::Edge | Class::Low => EDGE_WORKING,
                Class::Normal if urban => URBAN_WORKING,
                Class::Normal => RURAL_WORKING,
            };
            dist::pick(rng, table)
        }
        60..=64 => {
            let poor = class == Class::Poor;
            match (urban, poor) {
                (true, false) => dist::pick(
                    rng,
                    &[(Retired, 70), (None, 12), (Flexible, 10), (Employed, 8)],
                ),
                (true, true) => dist::pick(rng, &[(None, 60), (Retired, 25), (Flexible, 15)]),
                (false, false) => dist::pick(
                    rng,
                    &[(None, 55), (Flexible, 25), (Retired, 12), (Employed, 8)],
                ),
                (false, true) => dist::pick(rng, &[(None, 80), (Flexible, 17), (Retired, 3)]),
            }
        }
        _ => {
            let retired = match (urban, class == Class::Poor) {
                (true, false) => 0.80,
                (true, true) => 0.30,
                (false, false) => 0.20,
                (false, true) => 0.05,
            };
            if dist::chance(rng, retired) {
                Retired
            } else {
                None
            }
        }
    }
}

/// Marks a recent death, more likely for the old and the severely ill.
pub fn mortality(rng: &mut Rng, m: &mut Member, cal: &Calendar) {
    let mut p = match m.age {
        0..=59 => 0.0005,
        60..=69 => 0.003,
        70..=79 => 0.009,
        80..=89 => 0.026,
        _ => 0.065,
    };
    if m.illness == Illness::Severe {
        p *= 3.0;
    }
    if dist::chance(rng, p) {
        m.deceased_day = Some(cal.recent_day(rng).max(m.birth_day));
    }
}
