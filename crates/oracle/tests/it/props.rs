//! Property tests over random registries: the [`crate::laws`] hold, input order does not
//! matter, and unknown values are never guessed — filling the empty cells of a registry
//! with any values leaves every unit that was decided exactly as it was.
//!
//! The generator draws every optional cell together with a "blank" flag, so the same draw
//! gives a registry with empty cells and its completed twin. Amounts cluster around the
//! thresholds (standards, savings limits, caps) where the branches are.

use crate::laws;
use chrono::{Days, NaiveDate};
use minsheng_model::{
    Area, DisabilityKind, Employment, Fen, HospitalLevel, HospitalStay, Household, Illness, Person,
    RegionCode, Registry, Relation, SelfCare, Sex,
};
use minsheng_oracle::evaluate;
use proptest::prelude::*;

const REGIONS: [&str; 4] = [
    "510703001003", // 涪城区 urban community
    "510703100201", // 涪城区 village
    "510704001001", // 游仙区 community
    "510722101201", // 三台县 village
];

#[derive(Clone, Debug)]
struct StaySpec {
    discharge: u64,
    days: u64,
    level: HospitalLevel,
    in_district: bool,
    total: i64,
    covered_share: i64,
}

#[derive(Clone, Debug)]
struct PersonSpec {
    age_days: u64,
    grade: u8,
    kind: DisabilityKind,
    self_care: SelfCare,
    employment: Employment,
    incomes: [i64; 4],
    illness: Illness,
    capable: bool,
    orphan: bool,
    died: Option<u64>,
    blank: Vec<bool>,
    stays: Vec<StaySpec>,
}

#[derive(Clone, Debug)]
struct HouseholdSpec {
    region: usize,
    area: Area,
    savings: i64,
    houses: u32,
    vehicles: u32,
    blank: Vec<bool>,
    persons: Vec<PersonSpec>,
}

fn pick<T: Clone + std::fmt::Debug + 'static>(all: &'static [T]) -> impl Strategy<Value = T> {
    proptest::sample::select(all)
}

fn money() -> impl Strategy<Value = i64> {
    prop_oneof![
        3 => Just(0i64),
        3 => 0i64..150_000,
        1 => prop::sample::select(vec![41_000i64, 61_000, 61_001, 60_999, 91_500, 122_000]),
    ]
}

fn stay() -> impl Strategy<Value = StaySpec> {
    (
        0u64..640, // discharge: 2022-12-01 + n days, up to 2024-08
        0u64..30,
        pick(HospitalLevel::ALL),
        any::<bool>(),
        prop_oneof![3 => 0i64..5_000_000, 1 => 0i64..200_000_000],
        0i64..=100,
    )
        .prop_map(
            |(discharge, days, level, in_district, total, covered_share)| StaySpec {
                discharge,
                days,
                level,
                in_district,
                total,
                covered_share,
            },
        )
}

fn person() -> impl Strategy<Value = PersonSpec> {
    (
        (
            0u64..38_500,
            0u8..=4,
            pick(DisabilityKind::ALL),
            pick(SelfCare::ALL),
            pick(Employment::ALL),
            [money(), money(), money(), money()],
            pick(Illness::ALL),
        ),
        (
            any::<bool>(),
            prop::bool::weighted(0.1),
            prop::option::weighted(0.1, 0u64..400),
            prop::collection::vec(prop::bool::weighted(0.08), 11),
            prop::collection::vec(stay(), 0..3),
        ),
    )
        .prop_map(
            |(
                (age_days, grade, kind, self_care, employment, incomes, illness),
                (capable, orphan, died, blank, stays),
            )| PersonSpec {
                age_days,
                grade,
                kind,
                self_care,
                employment,
                incomes,
                illness,
                capable,
                orphan,
                died,
                blank,
                stays,
            },
        )
}

fn household() -> impl Strategy<Value = HouseholdSpec> {
    (
        0..REGIONS.len(),
        pick(Area::ALL),
        prop_oneof![0i64..6_000_000, Just(2_928_000), Just(984_000)],
        0u32..3,
        prop_oneof![3 => Just(0u32), 1 => 1u32..3],
        prop::collection::vec(prop::bool::weighted(0.05), 4),
        prop::collection::vec(person(), 1..5),
    )
        .prop_map(
            |(region, area, savings, houses, vehicles, blank, persons)| HouseholdSpec {
                region,
                area,
                savings,
                houses,
                vehicles,
                blank,
                persons,
            },
        )
}

fn month() -> impl Strategy<Value = NaiveDate> {
    prop::sample::select(vec![
        NaiveDate::from_ymd_opt(2024, 1, 1).expect("date"),
        NaiveDate::from_ymd_opt(2024, 6, 1).expect("date"),
        NaiveDate::from_ymd_opt(2024, 12, 1).expect("date"),
    ])
}

/// A value, or `None` where the cell is blanked (and blanks are applied).
fn cell<T>(v: T, blank: bool, apply: bool) -> Option<T> {
    (!(blank && apply)).then_some(v)
}

/// The registry of the specs; `blanks` applies the blank flags (empty cells).
fn registry(specs: &[HouseholdSpec], blanks: bool) -> Registry {
    let base = NaiveDate::from_ymd_opt(2024, 6, 1).expect("date");
    let stay_base = NaiveDate::from_ymd_opt(2022, 12, 1).expect("date");
    let death_base = NaiveDate::from_ymd_opt(2023, 12, 1).expect("date");
    let mut reg = Registry::default();
    for (hi, h) in specs.iter().enumerate() {
        let hid = format!("H{hi}");
        reg.households.push(Household {
            household_id: hid.clone(),
            region_code: RegionCode::parse(REGIONS[h.region]).expect("region"),
            area: cell(h.area, h.blank[0], blanks),
            savings: cell(Fen(h.savings), h.blank[1], blanks),
            houses: cell(h.houses, h.blank[2], blanks),
            vehicles: cell(h.vehicles, h.blank[3], blanks),
            address: None,
            extra: Vec::new(),
        });
        for (pi, p) in h.persons.iter().enumerate() {
            let pid = format!("P{hi}x{pi}");
            let b = |i: usize| p.blank[i];
            reg.persons.push(Person {
                person_id: pid.clone(),
                household_id: hid.clone(),
                id_number: format!("{hi:09}{pi:09}"),
                name: "测试".to_owned(),
                sex: Sex::F,
                birth_date: base - Days::new(p.age_days),
                relation: if pi == 0 {
                    Relation::Head
                } else {
                    Relation::Child
                },
                disability_grade: cell(p.grade, b(0), blanks),
                disability_kind: cell(p.kind, b(1), blanks),
                self_care: cell(p.self_care, b(2), blanks),
                employment: cell(p.employment, b(3), blanks),
                wage_income: cell(Fen(p.incomes[0]), b(4), blanks),
                business_income: cell(Fen(p.incomes[1]), b(5), blanks),
                property_income: cell(Fen(p.incomes[2]), b(6), blanks),
                transfer_income: cell(Fen(p.incomes[3]), b(7), blanks),
                illness: cell(p.illness, b(8), blanks),
                capable_supporter: cell(p.capable, b(9), blanks),
                orphan: cell(p.orphan, b(10), blanks),
                deceased_on: p.died.map(|d| death_base + Days::new(d)),
                extra: Vec::new(),
            });
            for (si, s) in p.stays.iter().enumerate() {
                let discharge = stay_base + Days::new(s.discharge);
                // Ids like S9 and S10 on one person exercise the byte-order tie rule.
                reg.stays.push(HospitalStay {
                    stay_id: format!("S{hi}x{pi}x{}", [9, 10, 1][si]),
                    person_id: pid.clone(),
                    admit_date: discharge - Days::new(s.days),
                    discharge_date: discharge,
                    hospital_level: s.level,
                    in_district: s.in_district,
                    total_cost: Fen(s.total),
                    covered_cost: Fen(s.total * s.covered_share / 100),
                    extra: Vec::new(),
                });
            }
        }
    }
    reg
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 300, ..ProptestConfig::default() })]

    #[test]
    fn laws_hold_for_random_registries(
        specs in prop::collection::vec(household(), 1..5),
        m in month(),
    ) {
        for blanks in [true, false] {
            let reg = registry(&specs, blanks);
            let out = evaluate(&reg, m);
            let bad = laws::check(&reg, m, &out);
            prop_assert!(bad.is_empty(), "{}", bad.join("\n"));
        }
    }

    #[test]
    fn input_order_does_not_matter(
        specs in prop::collection::vec(household(), 1..5),
        m in month(),
    ) {
        let reg = registry(&specs, true);
        let mut reversed = reg.clone();
        reversed.households.reverse();
        reversed.persons.reverse();
        reversed.stays.reverse();
        prop_assert_eq!(evaluate(&reg, m), evaluate(&reversed, m));
    }

    #[test]
    fn unknowns_are_never_guessed(
        specs in prop::collection::vec(household(), 1..5),
        m in month(),
    ) {
        let with_blanks = evaluate(&registry(&specs, true), m);
        let complete = evaluate(&registry(&specs, false), m);
        prop_assert!(complete.undecided.is_empty(), "{:?}", complete.undecided);
        for row in &with_blanks.all {
            prop_assert!(
                complete.all.contains(row),
                "decided with empty cells as {:?}, but not so once they are filled",
                row
            );
        }
        for row in &with_blanks.medical {
            prop_assert!(
                complete.medical.contains(row),
                "settled with empty cells as {:?}, but not so once they are filled",
                row
            );
        }
    }
}
