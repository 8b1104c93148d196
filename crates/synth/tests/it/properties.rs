//! Property tests: the record rules hold for any seed, small district and reference date.

use std::collections::HashSet;

use chrono::Datelike;
use minsheng_model::{Relation, idnumber};
use minsheng_synth::{SynthConfig, generate};
use proptest::prelude::*;

use crate::regions;

proptest! {
    #![proptest_config(ProptestConfig { cases: 24, ..ProptestConfig::default() })]

    #[test]
    fn any_seed_gives_valid_records(seed: u64, households in 1u64..60, days in 0u64..6_000) {
        let month = minsheng_model::Date::from_ymd_opt(2010, 1, 1).unwrap() + chrono::Days::new(days);
        let cfg = SynthConfig { households, seed, month };
        let mut reg = minsheng_model::Registry::default();
        let summary = generate(&cfg, regions(), &mut reg).unwrap();
        prop_assert_eq!(summary.households, households);
        prop_assert_eq!(summary.persons as usize, reg.persons.len());
        let mut numbers = HashSet::new();
        for p in &reg.persons {
            let facts = idnumber::check(&p.id_number).unwrap();
            prop_assert_eq!((facts.birth_date, facts.sex), (p.birth_date, p.sex));
            prop_assert!(p.birth_date <= month);
            prop_assert!(numbers.insert(p.id_number.clone()));
        }
        for h in &reg.households {
            prop_assert!(regions().is_village(h.region_code));
            let heads = reg.persons.iter().filter(|p| p.household_id == h.household_id && p.relation == Relation::Head).count();
            prop_assert_eq!(heads, 1);
        }
        let month_end = month.with_day(1).unwrap().checked_add_months(chrono::Months::new(1)).unwrap().pred_opt().unwrap();
        for s in &reg.stays {
            prop_assert!(s.covered_cost <= s.total_cost && s.admit_date <= s.discharge_date);
            prop_assert!(s.discharge_date <= month_end);
        }
        for e in &reg.enrollments {
            prop_assert!(e.since <= month && e.until.is_none_or(|u| u >= e.since));
        }
    }
}
