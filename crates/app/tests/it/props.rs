//! Properties: random valid households survive import unchanged; random garbage never
//! makes the importer panic.

use crate::support::*;
use minsheng_interchange::CsvDirWriter;
use minsheng_model::*;
use proptest::prelude::*;

fn opt<T: std::fmt::Debug + Clone>(
    s: impl Strategy<Value = T>,
) -> impl Strategy<Value = Option<T>> {
    prop::option::weighted(0.8, s)
}

fn money() -> impl Strategy<Value = Fen> {
    (0i64..100_000_000).prop_map(Fen)
}

fn pick<T: Copy + std::fmt::Debug + 'static>(all: &'static [T]) -> impl Strategy<Value = T> {
    prop::sample::select(all)
}

/// The random part of a person; ids, household and ID number follow from its position.
#[derive(Clone, Debug)]
struct PersonSeed {
    sex: Sex,
    birth_days: u32,
    disability: (Option<u8>, Option<DisabilityKind>),
    care_work: (Option<SelfCare>, Option<Employment>),
    incomes: [Option<Fen>; 4],
    illness: Option<Illness>,
    flags: (Option<bool>, Option<bool>),
    name: String,
}

impl PersonSeed {
    fn person(self, n: usize, i: usize, hid: &str) -> Person {
        let birth = date("1920-01-01") + chrono::Days::new(u64::from(self.birth_days));
        Person {
            person_id: format!("P{n}-{i}"),
            household_id: hid.to_owned(),
            id_number: idnumber::make(510703, birth, (n * 8 + i) as u32, self.sex),
            name: self.name,
            sex: self.sex,
            birth_date: birth,
            relation: if i == 0 {
                Relation::Head
            } else {
                Relation::ALL[1 + i % 7]
            },
            disability_grade: self.disability.0,
            disability_kind: self.disability.1,
            self_care: self.care_work.0,
            employment: self.care_work.1,
            wage_income: self.incomes[0],
            business_income: self.incomes[1],
            property_income: self.incomes[2],
            transfer_income: self.incomes[3],
            illness: self.illness,
            capable_supporter: self.flags.0,
            orphan: self.flags.1,
            deceased_on: None,
            extra: vec![],
        }
    }
}

fn person_seed() -> impl Strategy<Value = PersonSeed> {
    (
        pick(Sex::ALL),
        0u32..40_000,
        (opt(0u8..=4), opt(pick(DisabilityKind::ALL))),
        (opt(pick(SelfCare::ALL)), opt(pick(Employment::ALL))),
        [opt(money()), opt(money()), opt(money()), opt(money())],
        opt(pick(Illness::ALL)),
        (opt(any::<bool>()), opt(any::<bool>())),
        "[\\p{Han}]{1,4}",
    )
        .prop_map(
            |(sex, birth_days, disability, care_work, incomes, illness, flags, name)| PersonSeed {
                sex,
                birth_days,
                disability,
                care_work,
                incomes,
                illness,
                flags,
                name,
            },
        )
}

prop_compose! {
    fn household_with_members(n: usize)(
        area in opt(pick(Area::ALL)),
        savings in opt(money()),
        houses in opt(0u32..5),
        vehicles in opt(0u32..3),
        address in opt("[\\p{Han}0-9 ,\"]{1,12}"),
        village in 0usize..2071,
        members in prop::collection::vec(person_seed(), 1..5),
    ) -> (Household, Vec<Person>) {
        let villages: Vec<RegionCode> = minsheng_interchange::regions::default_table()
            .at_level(RegionLevel::Village).map(|r| r.code).collect();
        let hid = format!("H{n}");
        let h = Household {
            household_id: hid.clone(),
            region_code: villages[village],
            area, savings, houses, vehicles,
            address: address.map(|a| a.trim().to_owned()).filter(|a| !a.is_empty()),
            extra: vec![],
        };
        let persons = members.into_iter().enumerate().map(|(i, seed)| seed.person(n, i, &hid)).collect();
        (h, persons)
    }
}

fn households() -> impl Strategy<Value = Vec<(Household, Vec<Person>)>> {
    (1usize..6).prop_flat_map(|k| (0..k).map(household_with_members).collect::<Vec<_>>())
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 24, ..ProptestConfig::default() })]

    #[test]
    fn random_valid_households_survive_import_unchanged(hs in households()) {
        let dir = tempfile::tempdir().unwrap();
        let input = dir.path().join("in");
        let mut w = CsvDirWriter::create(&input).unwrap();
        let mut want = Registry::default();
        for (h, ps) in &hs {
            w.household(h).unwrap();
            want.household(h).unwrap();
            for p in ps {
                w.person(p).unwrap();
                want.person(p).unwrap();
            }
        }
        w.finish().unwrap();
        want.sort();
        let mut store = sqlite(dir.path());
        let out = run_import(store.as_mut(), &input, false);
        prop_assert!(out.rejected.is_empty(), "{:?}", out.rejected);
        let mut got = Registry::default();
        store.export(&mut got as &mut dyn RecordSink).unwrap();
        prop_assert_eq!(got, want);
    }

    #[test]
    fn garbage_never_panics(
        table in pick(&["households", "persons", "hospital_stays", "events", "enrollments"]),
        header in prop::collection::vec(prop_oneof![
            pick(&["household_id", "person_id", "region_code", "id_number", "relation", "stay_id", "total_cost", "covered_cost", "event_id", "kind", "program", "since", "birth_date", "sex", "name"]).prop_map(str::to_owned),
            "\\PC{0,8}",
        ], 0..12),
        cells in prop::collection::vec(prop::collection::vec("\\PC{0,12}|[0-9.,-]{0,14}|\"[^\"]*", 0..14), 0..20),
        raw in prop::collection::vec(any::<u8>(), 0..200),
        use_raw in any::<bool>(),
    ) {
        let dir = tempfile::tempdir().unwrap();
        let input = dir.path().join("in");
        std::fs::create_dir_all(&input).unwrap();
        let mut text = header.join(",");
        for row in &cells {
            text.push('\n');
            text.push_str(&row.join(","));
        }
        let bytes = if use_raw { raw } else { text.into_bytes() };
        std::fs::write(input.join(format!("{table}.csv")), bytes).unwrap();
        let mut store = sqlite(dir.path());
        let mut n = 0u64;
        let r = minsheng_app::import::import(
            store.as_mut(), &[input], minsheng_app::import::ImportOptions { partial: true },
            &minsheng_app::import::NoProgress, &mut |_| n += 1,
        );
        // Whatever it was, the importer answered, and the counts add up.
        if let Ok(s) = r {
            prop_assert_eq!(s.rows_read, s.rows_rejected + s.rows_imported + s.rows_unchanged);
        }
    }
}
