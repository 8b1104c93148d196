//! The documented shares hold on a 20 000-household sample (bands wide enough for
//! sampling noise, narrow enough to catch a broken distribution).

use std::collections::HashMap;

use minsheng_model::date::age_on;
use minsheng_model::{Area, Employment, Household, Illness, Person, Relation};

use crate::{regions, sample, standard_fen, today};

fn share(n: usize, of: usize) -> f64 {
    n as f64 / of as f64
}

fn assert_band(what: &str, value: f64, lo: f64, hi: f64) {
    assert!(
        (lo..=hi).contains(&value),
        "{what} = {value:.4}, expected {lo}–{hi}"
    );
}

#[test]
fn household_size_and_composition() {
    let reg = sample();
    let households = reg.households.len();
    assert_band(
        "average household size",
        share(reg.persons.len(), households),
        2.45,
        2.75,
    );
    let mut sizes: HashMap<&str, usize> = HashMap::new();
    for p in &reg.persons {
        *sizes.entry(&p.household_id).or_default() += 1;
    }
    let singles = sizes.values().filter(|&&n| n == 1).count();
    let big = sizes.values().filter(|&&n| n >= 5).count();
    assert_band(
        "single-person households",
        share(singles, households),
        0.18,
        0.30,
    );
    assert_band("households of 5+", share(big, households), 0.06, 0.14);
    let three_generations = reg
        .persons
        .iter()
        .filter(|p| p.relation == Relation::Parent)
        .count();
    assert!(
        three_generations > households / 20,
        "few parents living with the head: {three_generations}"
    );
    let ages: Vec<i32> = reg
        .persons
        .iter()
        .map(|p| age_on(p.birth_date, today()))
        .collect();
    assert_band(
        "share aged 60+",
        share(ages.iter().filter(|&&a| a >= 60).count(), ages.len()),
        0.20,
        0.30,
    );
    assert_band(
        "share aged 0–14",
        share(ages.iter().filter(|&&a| a <= 14).count(), ages.len()),
        0.11,
        0.20,
    );
}

#[test]
fn regions_are_weighted_towards_the_city() {
    let reg = sample();
    let table = regions();
    let n = reg.households.len();
    let in_county = |c: u32| {
        reg.households
            .iter()
            .filter(|h| h.region_code.county6() == c)
            .count()
    };
    // 涪城 has fewer villages than 三台 but more households per village.
    let villages_of = |c: u32| {
        table
            .iter()
            .filter(|r| r.level == minsheng_model::RegionLevel::Village && r.code.county6() == c)
            .count()
    };
    let per_unit = |c: u32| in_county(c) as f64 / villages_of(c) as f64;
    assert!(
        per_unit(510703) > 1.5 * per_unit(510722),
        "涪城 {} vs 三台 {}",
        per_unit(510703),
        per_unit(510722)
    );
    assert_band(
        "涪城 + 游仙",
        share(in_county(510703) + in_county(510704), n),
        0.22,
        0.35,
    );
    let urban = reg
        .households
        .iter()
        .filter(|h| h.area == Some(Area::Urban))
        .count();
    assert_band("urban households", share(urban, n), 0.38, 0.55);
    let mixed = reg
        .households
        .iter()
        .filter(|h| {
            h.area
                .is_some_and(|a| (a == Area::Urban) != (h.region_code.value() % 1000 < 200))
        })
        .count();
    assert_band(
        "area differing from the unit kind",
        share(mixed, n),
        0.02,
        0.09,
    );
}

/// Each household whose area and incomes are all known, with its raw monthly income
/// (wage + business + property + transfer of all members) and standard × size, in fen.
fn household_incomes() -> Vec<(&'static Household, i64, i64)> {
    let reg = sample();
    let mut members: HashMap<&str, Vec<&Person>> = HashMap::new();
    for p in &reg.persons {
        members.entry(&p.household_id).or_default().push(p);
    }
    reg.households
        .iter()
        .filter_map(|h| {
            let ms = &members[h.household_id.as_str()];
            let mut total = 0;
            for p in ms {
                for m in [
                    p.wage_income,
                    p.business_income,
                    p.property_income,
                    p.transfer_income,
                ] {
                    total += m?.0;
                }
            }
            Some((h, total, standard_fen(h.area?) * ms.len() as i64))
        })
        .collect()
}

#[test]
fn a_few_percent_of_households_are_below_the_dibao_line_and_a_few_more_near_it() {
    let incomes = household_incomes();
    let n = incomes.len();
    assert!(n > 18_000, "most households have known incomes: {n}");
    let below = incomes.iter().filter(|(_, inc, need)| inc < need).count();
    let edge = incomes
        .iter()
        .filter(|(_, inc, need)| inc >= need && 2 * inc < 3 * need)
        .count();
    let high = incomes
        .iter()
        .filter(|(_, inc, need)| *inc >= 2 * need)
        .count();
    assert_band("below standard × size", share(below, n), 0.02, 0.08);
    assert_band(
        "between 1 and 1.5 × standard × size",
        share(edge, n),
        0.02,
        0.09,
    );
    assert_band("at least 2 × standard × size", share(high, n), 0.75, 0.92);
}

#[test]
fn assets_follow_income() {
    let reg = sample();
    let n = reg.households.len();
    let no_vehicle = reg
        .households
        .iter()
        .filter(|h| h.vehicles == Some(0))
        .count();
    assert_band(
        "households without a vehicle",
        share(no_vehicle, n),
        0.40,
        0.65,
    );
    let one_house = reg
        .households
        .iter()
        .filter(|h| h.houses == Some(1))
        .count();
    assert_band("households with one house", share(one_house, n), 0.60, 0.80);

    let incomes = household_incomes();
    type Row<'a> = &'a (&'static Household, i64, i64);
    let (poor, rest): (Vec<Row>, Vec<Row>) = incomes.iter().partition(|(_, inc, need)| inc < need);
    let poor_without_vehicle = poor.iter().filter(|(h, ..)| h.vehicles == Some(0)).count();
    assert_band(
        "poor households without a vehicle",
        share(poor_without_vehicle, poor.len()),
        0.85,
        1.0,
    );
    // Savings within the dibao limit (24 months of standard × size).
    let within = |v: &[Row]| {
        let known: Vec<_> = v
            .iter()
            .filter_map(|(h, _, need)| Some((h.savings?.0, *need)))
            .collect();
        share(
            known.iter().filter(|(s, need)| *s <= 24 * need).count(),
            known.len(),
        )
    };
    assert_band(
        "poor households with savings within the limit",
        within(&poor),
        0.80,
        0.97,
    );
    assert!(
        within(&rest) < 0.5,
        "most better-off households save more: {}",
        within(&rest)
    );
}

#[test]
fn health_employment_and_deaths() {
    let reg = sample();
    let persons = &reg.persons;
    let n = persons.len();
    let disabled = persons
        .iter()
        .filter(|p| p.disability_grade.is_some_and(|g| g > 0))
        .count();
    assert_band("disabled", share(disabled, n), 0.045, 0.075);
    let chronic = persons
        .iter()
        .filter(|p| p.illness == Some(Illness::Chronic))
        .count();
    let severe = persons
        .iter()
        .filter(|p| p.illness == Some(Illness::Severe))
        .count();
    assert_band("chronic illness", share(chronic, n), 0.12, 0.18);
    assert_band("severe illness", share(severe, n), 0.012, 0.03);
    let working: Vec<&Person> = persons
        .iter()
        .filter(|p| (16..60).contains(&age_on(p.birth_date, today())))
        .collect();
    let unemployed = working
        .iter()
        .filter(|p| p.employment == Some(Employment::Unemployed))
        .count();
    assert_band(
        "unemployed among 16–59",
        share(unemployed, working.len()),
        0.03,
        0.07,
    );
    let students = persons
        .iter()
        .filter(|p| (7..=15).contains(&age_on(p.birth_date, today())))
        .all(|p| p.employment.is_none_or(|e| e == Employment::Student));
    assert!(students, "school-age children are students");
    let deceased = persons.iter().filter(|p| p.deceased_on.is_some()).count();
    assert_band("deceased", share(deceased, n), 0.001, 0.006);
    let orphans = persons.iter().filter(|p| p.orphan == Some(true)).count();
    assert!(
        orphans > 0 && share(orphans, n) < 0.003,
        "orphans: {orphans}"
    );
}

#[test]
fn stays_per_household_and_their_costs() {
    let reg = sample();
    assert_band(
        "stays per household",
        share(reg.stays.len(), reg.households.len()),
        0.35,
        0.55,
    );
    let typical = reg
        .stays
        .iter()
        .filter(|s| (200_000..=3_000_000).contains(&s.total_cost.0))
        .count();
    assert_band(
        "stays costing 2 000–30 000 yuan",
        share(typical, reg.stays.len()),
        0.65,
        0.92,
    );
    let in_district = reg.stays.iter().filter(|s| s.in_district).count();
    assert_band(
        "stays in district",
        share(in_district, reg.stays.len()),
        0.75,
        0.95,
    );
}

#[test]
fn events_and_enrollments_are_a_few_per_hundred_households() {
    let reg = sample();
    let n = reg.households.len();
    assert_band(
        "events per household",
        share(reg.events.len(), n),
        0.03,
        0.12,
    );
    let dibao = reg
        .enrollments
        .iter()
        .filter(|e| e.program == "dibao")
        .count();
    assert_band("dibao households", share(dibao, n), 0.02, 0.07);
    let tekun = reg
        .enrollments
        .iter()
        .filter(|e| e.program == "tekun")
        .count();
    assert!(tekun > 20 && share(tekun, n) < 0.02, "tekun: {tekun}");
    let ended = reg.enrollments.iter().filter(|e| e.until.is_some()).count();
    assert!(
        ended > 0 && share(ended, reg.enrollments.len()) < 0.1,
        "ended: {ended}"
    );
}

#[test]
fn about_one_percent_of_optional_cells_are_unknown() {
    let reg = sample();
    let person_cells = |p: &Person| {
        [
            p.disability_grade.is_none(),
            p.disability_kind.is_none(),
            p.self_care.is_none(),
            p.employment.is_none(),
            p.wage_income.is_none(),
            p.business_income.is_none(),
            p.property_income.is_none(),
            p.transfer_income.is_none(),
            p.illness.is_none(),
            p.capable_supporter.is_none(),
            p.orphan.is_none(),
        ]
        .into_iter()
        .filter(|&b| b)
        .count()
    };
    let empty: usize = reg.persons.iter().map(person_cells).sum();
    assert_band(
        "unknown person cells",
        share(empty, reg.persons.len() * 11),
        0.004,
        0.02,
    );
    let hh_empty: usize = reg
        .households
        .iter()
        .map(|h| {
            [
                h.area.is_none(),
                h.savings.is_none(),
                h.houses.is_none(),
                h.vehicles.is_none(),
            ]
            .into_iter()
            .filter(|&b| b)
            .count()
        })
        .sum();
    assert_band(
        "unknown household cells",
        share(hh_empty, reg.households.len() * 4),
        0.004,
        0.02,
    );
}
