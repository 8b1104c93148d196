//! Determinism, streaming order and errors.

use minsheng_model::{
    Date, Enrollment, Event, HospitalStay, Household, Person, RecordSink, Region, RegionCode,
    RegionLevel, RegionTable, Registry, SinkError,
};
use minsheng_synth::{SynthConfig, SynthError, SynthSummary, generate};

use crate::{config, regions, run};

#[test]
fn same_config_gives_identical_records() {
    let cfg = config(3_000, 7);
    let a = run(&cfg);
    let b = run(&cfg);
    assert_eq!(a.households.len(), 3_000);
    assert!(a == b, "two runs of the same config differ");
}

#[test]
fn different_seeds_or_months_give_different_districts() {
    let a = run(&config(500, 1));
    let b = run(&config(500, 2));
    assert_ne!(a.persons, b.persons);
    assert_ne!(
        a.households
            .iter()
            .map(|h| h.region_code)
            .collect::<Vec<_>>(),
        b.households
            .iter()
            .map(|h| h.region_code)
            .collect::<Vec<_>>()
    );
    let later = SynthConfig {
        month: Date::from_ymd_opt(2025, 1, 1).unwrap(),
        ..config(500, 1)
    };
    let c = run(&later);
    assert_ne!(a.persons, c.persons);
}

#[test]
fn each_household_comes_from_its_own_stream() {
    // The first 300 households of a 600-household run are those of a 300-household run:
    // a household's records depend on the seed and its index only.
    let short = run(&config(300, 11));
    let long = run(&config(600, 11));
    assert_eq!(short.households[..], long.households[..300]);
    assert_eq!(short.persons[..], long.persons[..short.persons.len()]);
    assert_eq!(short.stays[..], long.stays[..short.stays.len()]);
    assert_eq!(short.events[..], long.events[..short.events.len()]);
    assert_eq!(
        short.enrollments[..],
        long.enrollments[..short.enrollments.len()]
    );
}

/// Checks that records arrive household by household: the household first, then its
/// persons, then stays, events and enrollments that refer only to it and its persons.
#[derive(Default)]
struct OrderCheck {
    household: String,
    persons: Vec<String>,
    phase: u8,
    counts: SynthSummary,
}

impl RecordSink for OrderCheck {
    fn household(&mut self, r: &Household) -> Result<(), SinkError> {
        assert!(
            r.household_id > self.household,
            "household ids rise: {} after {}",
            r.household_id,
            self.household
        );
        self.household.clone_from(&r.household_id);
        self.persons.clear();
        self.phase = 1;
        self.counts.households += 1;
        Ok(())
    }
    fn person(&mut self, r: &Person) -> Result<(), SinkError> {
        assert_eq!(
            self.phase, 1,
            "person {} after its household's other records",
            r.person_id
        );
        assert_eq!(r.household_id, self.household);
        self.persons.push(r.person_id.clone());
        self.counts.persons += 1;
        Ok(())
    }
    fn stay(&mut self, r: &HospitalStay) -> Result<(), SinkError> {
        assert!(self.phase <= 2, "stay after events or enrollments");
        self.phase = 2;
        assert!(
            self.persons.contains(&r.person_id),
            "stay {} of a person of another household",
            r.stay_id
        );
        self.counts.stays += 1;
        Ok(())
    }
    fn event(&mut self, r: &Event) -> Result<(), SinkError> {
        assert!(self.phase <= 3, "event after enrollments");
        self.phase = 3;
        assert_eq!(r.household_id, self.household);
        assert!(
            r.person_id
                .as_ref()
                .is_none_or(|p| self.persons.contains(p))
        );
        self.counts.events += 1;
        Ok(())
    }
    fn enrollment(&mut self, r: &Enrollment) -> Result<(), SinkError> {
        self.phase = 4;
        assert_eq!(r.household_id, self.household);
        assert!(
            r.person_id
                .as_ref()
                .is_none_or(|p| self.persons.contains(p))
        );
        self.counts.enrollments += 1;
        Ok(())
    }
}

#[test]
fn records_stream_household_by_household_and_the_summary_counts_them() {
    let mut sink = OrderCheck::default();
    let summary = generate(&config(4_000, 3), regions(), &mut sink).unwrap();
    assert_eq!(summary, sink.counts);
    assert_eq!(summary.households, 4_000);
    assert!(
        summary.stays > 0 && summary.events > 0 && summary.enrollments > 0,
        "{summary:?}"
    );
}

/// Fails on the n-th person.
struct FailAfter(u64);

impl RecordSink for FailAfter {
    fn household(&mut self, _: &Household) -> Result<(), SinkError> {
        Ok(())
    }
    fn person(&mut self, _: &Person) -> Result<(), SinkError> {
        if self.0 == 0 {
            return Err("disk full".into());
        }
        self.0 -= 1;
        Ok(())
    }
    fn stay(&mut self, _: &HospitalStay) -> Result<(), SinkError> {
        Ok(())
    }
    fn event(&mut self, _: &Event) -> Result<(), SinkError> {
        Ok(())
    }
    fn enrollment(&mut self, _: &Enrollment) -> Result<(), SinkError> {
        Ok(())
    }
}

#[test]
fn a_sink_error_stops_generation_and_is_returned() {
    let err = generate(&config(1_000, 1), regions(), &mut FailAfter(25)).unwrap_err();
    assert_eq!(err.to_string(), "disk full");
}

#[test]
fn a_table_without_villages_or_an_unsupported_month_is_refused() {
    let code = |c: &str| RegionCode::parse(c).unwrap();
    let county = Region {
        code: code("510703000000"),
        level: RegionLevel::County,
        name: "涪城区".into(),
        parent: None,
    };
    let table = RegionTable::new(vec![county]).unwrap();
    let err = generate(&config(10, 1), &table, &mut Registry::default()).unwrap_err();
    assert_eq!(
        err.downcast_ref::<SynthError>(),
        Some(&SynthError::NoVillages)
    );

    let old = SynthConfig {
        month: Date::from_ymd_opt(1950, 1, 1).unwrap(),
        ..config(10, 1)
    };
    let err = generate(&old, regions(), &mut Registry::default()).unwrap_err();
    assert!(
        matches!(
            err.downcast_ref::<SynthError>(),
            Some(SynthError::UnsupportedMonth(_))
        ),
        "{err}"
    );
}

#[test]
fn a_small_foreign_region_table_works_and_is_used() {
    // Another deployment's table: one township with a community and a village.
    let r = |c: &str, p: Option<&str>, name: &str| Region {
        code: RegionCode::parse(c).unwrap(),
        level: RegionCode::parse(c).unwrap().level(),
        name: name.into(),
        parent: p.map(|p| RegionCode::parse(p).unwrap()),
    };
    let table = RegionTable::new(vec![
        r("110105000000", None, "朝阳区"),
        r("110105001000", Some("110105000000"), "建外街道"),
        r("110105001001", Some("110105001000"), "永安里社区居民委员会"),
        r("110105001201", Some("110105001000"), "某村村民委员会"),
    ])
    .unwrap();
    let mut reg = Registry::default();
    generate(&config(400, 5), &table, &mut reg).unwrap();
    assert!(
        reg.households
            .iter()
            .all(|h| table.is_village(h.region_code))
    );
    let in_community = reg
        .households
        .iter()
        .filter(|h| h.region_code.value() % 1000 == 1)
        .count();
    assert!(in_community > 0 && in_community < 400, "{in_community}");
    assert!(
        reg.persons
            .iter()
            .all(|p| minsheng_model::idnumber::check(&p.id_number).is_ok())
    );
}
