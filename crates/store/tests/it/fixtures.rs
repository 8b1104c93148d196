//! Records for the tests: every field both unknown and known, every vocabulary value,
//! money at the edges (0.01 and 12345678.90), and text that a careless encoder would
//! break (tabs, newlines, backslashes, a literal `\N`, quotes, Chinese).

use crate::support::region;
use minsheng_model::{
    Area, Date, DisabilityKind, Employment, Enrollment, Event, EventKind, Fen, HospitalLevel,
    HospitalStay, Household, Illness, Person, Registry, Relation, SelfCare, Sex,
};

pub fn date(y: i32, m: u32, d: u32) -> Date {
    Date::from_ymd_opt(y, m, d).unwrap()
}

/// Text that must come back byte for byte.
pub const AWKWARD: &str = "张三\t制表\n换行\r回车 \\ 反斜杠 \\N 'single' \"double\" ,;|";

pub fn extra() -> Vec<(String, String)> {
    vec![
        ("旧系统编号".to_owned(), "A\t0001".to_owned()),
        ("remark".to_owned(), String::new()),
        (
            "zz_first_in_alphabet_last_in_file".to_owned(),
            AWKWARD.to_owned(),
        ),
    ]
}

pub fn household_full(id: &str) -> Household {
    Household {
        household_id: id.to_owned(),
        region_code: region("510703001001"),
        area: Some(Area::Urban),
        savings: Some(Fen(1_234_567_890)),
        houses: Some(2),
        vehicles: Some(0),
        address: Some(AWKWARD.to_owned()),
        extra: extra(),
    }
}

pub fn household_bare(id: &str) -> Household {
    Household {
        household_id: id.to_owned(),
        region_code: region("510704002003"),
        area: None,
        savings: None,
        houses: None,
        vehicles: None,
        address: None,
        extra: Vec::new(),
    }
}

pub fn person_full(id: &str, household: &str) -> Person {
    Person {
        person_id: id.to_owned(),
        household_id: household.to_owned(),
        id_number: "11010519491231002X".to_owned(),
        name: "王小明".to_owned(),
        sex: Sex::F,
        birth_date: date(1949, 12, 31),
        relation: Relation::Head,
        disability_grade: Some(4),
        disability_kind: Some(DisabilityKind::Multiple),
        self_care: Some(SelfCare::Partial),
        employment: Some(Employment::Flexible),
        wage_income: Some(Fen(1)),
        business_income: Some(Fen(0)),
        property_income: Some(Fen(1_234_567_890)),
        transfer_income: Some(Fen(61_050)),
        illness: Some(Illness::Severe),
        capable_supporter: Some(false),
        orphan: Some(true),
        deceased_on: Some(date(2024, 2, 29)),
        extra: extra(),
    }
}

pub fn person_bare(id: &str, household: &str) -> Person {
    Person {
        person_id: id.to_owned(),
        household_id: household.to_owned(),
        id_number: "510703200001010011".to_owned(),
        name: AWKWARD.to_owned(),
        sex: Sex::M,
        birth_date: date(2000, 1, 1),
        relation: Relation::Child,
        disability_grade: None,
        disability_kind: None,
        self_care: None,
        employment: None,
        wage_income: None,
        business_income: None,
        property_income: None,
        transfer_income: None,
        illness: None,
        capable_supporter: None,
        orphan: None,
        deceased_on: None,
        extra: Vec::new(),
    }
}

/// Enough persons that every value of every vocabulary, and both booleans, occurs.
pub fn persons_every_value(household: &str) -> Vec<Person> {
    (0..8)
        .map(|i| {
            let mut p = person_bare(&format!("PV{i}"), household);
            p.sex = Sex::ALL[i % Sex::ALL.len()];
            p.relation = Relation::ALL[i % Relation::ALL.len()];
            p.disability_grade = Some(u8::try_from(i % 5).unwrap());
            p.disability_kind = Some(DisabilityKind::ALL[i % DisabilityKind::ALL.len()]);
            p.self_care = Some(SelfCare::ALL[i % SelfCare::ALL.len()]);
            p.employment = Some(Employment::ALL[i % Employment::ALL.len()]);
            p.illness = Some(Illness::ALL[i % Illness::ALL.len()]);
            p.capable_supporter = Some(i % 2 == 0);
            p.orphan = Some(i % 2 == 1);
            p.birth_date = date(
                1930 + 10 * i32::try_from(i).unwrap(),
                1 + u32::try_from(i).unwrap(),
                28,
            );
            p
        })
        .collect()
}

pub fn stays(person: &str) -> Vec<HospitalStay> {
    HospitalLevel::ALL
        .iter()
        .enumerate()
        .map(|(i, level)| HospitalStay {
            stay_id: format!("S{i}"),
            person_id: person.to_owned(),
            admit_date: date(2023, 12, 30),
            discharge_date: date(2024, 1, 2 + u32::try_from(i).unwrap()),
            hospital_level: *level,
            in_district: i % 2 == 0,
            total_cost: Fen(1_234_567_890),
            covered_cost: Fen(i64::try_from(i).unwrap()),
            extra: if i == 0 { extra() } else { Vec::new() },
        })
        .collect()
}

pub fn events(household: &str, person: &str) -> Vec<Event> {
    EventKind::ALL
        .iter()
        .enumerate()
        .map(|(i, kind)| Event {
            event_id: format!("E{i}"),
            person_id: (i % 2 == 0).then(|| person.to_owned()),
            household_id: household.to_owned(),
            kind: *kind,
            date: date(2024, 3, 1 + u32::try_from(i).unwrap()),
            amount: (i % 3 != 0).then_some(Fen(1)),
            note: (i % 2 == 1).then(|| AWKWARD.to_owned()),
            extra: if i == 1 { extra() } else { Vec::new() },
        })
        .collect()
}

pub fn enrollments(household: &str, person: &str) -> Vec<Enrollment> {
    vec![
        Enrollment {
            household_id: household.to_owned(),
            person_id: None,
            program: "dibao".to_owned(),
            since: date(2020, 7, 1),
            monthly_amount: Some(Fen(1_234_567_890)),
            until: None,
            extra: extra(),
        },
        Enrollment {
            household_id: household.to_owned(),
            person_id: Some(person.to_owned()),
            program: "dibao".to_owned(),
            since: date(2021, 1, 1),
            monthly_amount: None,
            until: Some(date(2024, 12, 31)),
            extra: Vec::new(),
        },
        Enrollment {
            household_id: household.to_owned(),
            person_id: Some(person.to_owned()),
            program: "disability_living".to_owned(),
            since: date(2022, 5, 17),
            monthly_amount: Some(Fen(1)),
            until: None,
            extra: Vec::new(),
        },
    ]
}

/// A small registry touching every table, column and vocabulary value.
pub fn registry() -> Registry {
    let mut persons = vec![person_full("P1", "H1"), person_bare("P2", "H2")];
    persons.extend(persons_every_value("H1"));
    let mut events = events("H1", "P1");
    events.extend(self::events("H2", "P2").into_iter().map(|mut e| {
        e.event_id.push_str("-h2");
        e
    }));
    Registry {
        households: vec![household_full("H1"), household_bare("H2")],
        persons,
        stays: stays("P1"),
        events,
        enrollments: enrollments("H1", "P1"),
    }
}
