//! The generation loop's state: per-household random streams, the drafting order, id
//! numbering, unknown cells, and the reused record buffers handed to the sink.
//!
//! Records are built in buffers that live as long as the generator: their `String`s are
//! cleared and refilled rather than reallocated, so a household costs few allocations
//! (event notes are the exception).

use minsheng_model::{
    Area, Enrollment, Event, Fen, HospitalStay, Household, Person, RecordSink, RegionTable,
    Relation, Sex, SinkError,
};
use rand::SeedableRng;
use rand_chacha::ChaCha8Rng;

use crate::calendar::Calendar;
use crate::dist::{self, Rng};
use crate::enrollments::{self, EnrollmentDraft};
use crate::events::{self, EventDraft, MAX_EVENTS_PER_HOUSEHOLD};
use crate::household::{self, MAX_MEMBERS, Member};
use crate::idnum::IdAllocator;
use crate::income;
use crate::medical::{self, MAX_STAYS_PER_PERSON, StayDraft};
use crate::names;
use crate::person;
use crate::place::{self, Places};
use crate::text;
use crate::{SynthConfig, SynthError, SynthSummary};

/// Share of persons / households with some unknown optional cells, and of persons whose
/// ID number was issued elsewhere in Sichuan (in-migrants).
const P_INCOMPLETE_PERSON: f64 = 0.03;
const P_INCOMPLETE_HOUSEHOLD: f64 = 0.03;
const P_ADDRESS: f64 = 0.85;
const P_BORN_ELSEWHERE: f64 = 0.05;

/// Digits of each id kind: the examples' widths, or more when the run could exceed them.
struct Widths {
    household: usize,
    person: usize,
    stay: usize,
    event: usize,
}

fn digits(n: u64) -> usize {
    n.checked_ilog10().map_or(1, |d| d as usize + 1)
}

impl Widths {
    fn for_households(n: u64) -> Widths {
        let persons = n.saturating_mul(MAX_MEMBERS);
        Widths {
            household: digits(n).max(7),
            person: digits(persons).max(8),
            stay: digits(persons.saturating_mul(u64::from(MAX_STAYS_PER_PERSON))).max(8),
            event: digits(n.saturating_mul(MAX_EVENTS_PER_HOUSEHOLD)).max(8),
        }
    }
}

/// `prefix` + `n` zero-padded to `width`, written into `s` (cleared first).
fn write_id(s: &mut String, prefix: char, n: u64, width: usize) {
    s.clear();
    s.push(prefix);
    text::push_padded(s, n, width);
}

pub struct Generator {
    cal: Calendar,
    places: Places,
    ids: IdAllocator,
    key: [u8; 32],
    widths: Widths,
    summary: SynthSummary,
    members: Vec<Member>,
    stays: Vec<StayDraft>,
    events: Vec<EventDraft>,
    enrollments: Vec<EnrollmentDraft>,
    household: Household,
    person: Person,
    stay: HospitalStay,
    event: Event,
    enrollment: Enrollment,
    /// Spare buffer for the household address while the record holds `None`.
    address: String,
    /// The current household's person ids, by member index.
    person_ids: Vec<String>,
}

impl Generator {
    pub fn new(cfg: &SynthConfig, regions: &RegionTable) -> Result<Generator, SynthError> {
        let cal = Calendar::new(cfg.month).ok_or(SynthError::UnsupportedMonth(cfg.month))?;
        let places = Places::new(regions).ok_or(SynthError::NoVillages)?;
        let ids = IdAllocator::new(
            cal.earliest_birth_day(),
            cal.today_day,
            &places.county_codes,
        );
        let date = cal.today;
        let code = places.first().code;
        Ok(Generator {
            ids,
            places,
            // The seed is expanded to a ChaCha key once; households differ by stream.
            key: ChaCha8Rng::seed_from_u64(cfg.seed).get_seed(),
            widths: Widths::for_households(cfg.households),
            summary: SynthSummary::default(),
            members: Vec::with_capacity(MAX_MEMBERS as usize),
            stays: Vec::new(),
            events: Vec::new(),
            enrollments: Vec::new(),
            household: Household {
                household_id: String::new(),
                region_code: code,
                area: None,
                savings: None,
                houses: None,
                vehicles: None,
                address: None,
                extra: Vec::new(),
            },
            person: Person {
                person_id: String::new(),
                household_id: String::new(),
                id_number: String::new(),
                name: String::new(),
                sex: Sex::M,
                birth_date: date,
                relation: Relation::Head,
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
            },
            stay: HospitalStay {
                stay_id: String::new(),
                person_id: String::new(),
                admit_date: date,
                discharge_date: date,
                hospital_level: minsheng_model::HospitalLevel::L1,
                in_district: true,
                total_cost: Fen::ZERO,
                covered_cost: Fen::ZERO,
                extra: Vec::new(),
            },
            event: Event {
                event_id: String::new(),
                person_id: None,
                household_id: String::new(),
                kind: minsheng_model::EventKind::Death,
                date,
                amount: None,
                note: None,
                extra: Vec::new(),
            },
            enrollment: Enrollment {
                household_id: String::new(),
                person_id: None,
                program: String::new(),
                since: date,
                monthly_amount: None,
                until: None,
                extra: Vec::new(),
            },
            address: String::new(),
            person_ids: Vec::new(),
            cal,
        })
    }

    pub fn summary(&self) -> SynthSummary {
        self.summary
    }

    /// Drafts household `index` from its own random stream and emits it.
    pub fn household(&mut self, index: u64, sink: &mut dyn RecordSink) -> Result<(), SinkError> {
        let mut rng = ChaCha8Rng::from_seed(self.key);
        rng.set_stream(index);
        let rng = &mut rng;
        let cal = &self.cal;

        let village = self.places.pick(rng);
        let area = place::area(rng, village);
        let urban = area == Area::Urban;
        let members = &mut self.members;
        let template = household::compose(rng, urban, cal, members);
        for m in members.iter_mut() {
            person::health(rng, m);
        }
        person::supporters(rng, members, template);
        let class = income::class(rng, members, template, urban);
        for m in members.iter_mut() {
            m.employment = person::employment(rng, m, urban, class);
        }
        let income = income::incomes(rng, members, urban, class);
        for m in members.iter_mut() {
            person::mortality(rng, m, cal);
        }
        let assets = income::assets(rng, urban, class, members.len(), income);
        self.stays.clear();
        for (i, m) in members.iter().enumerate() {
            medical::stays(rng, i, m, urban, cal, &mut self.stays);
        }
        self.events.clear();
        events::events(rng, members, class, urban, cal, &mut self.events);
        self.enrollments.clear();
        enrollments::enrollments(rng, members, class, urban, cal, &mut self.enrollments);

        // The household.
        let h = &mut self.household;
        write_id(&mut h.household_id, 'H', index + 1, self.widths.household);
        h.region_code = village.code;
        h.area = Some(area);
        h.savings = Some(Fen(assets.savings));
        h.houses = Some(assets.houses);
        h.vehicles = Some(assets.vehicles);
        if dist::chance(rng, P_INCOMPLETE_HOUSEHOLD) {
            for _ in 0..dist::between(rng, 1, 2) {
                match dist::between(rng, 0, 3) {
                    0 => h.area = None,
                    1 => h.savings = None,
                    2 => h.houses = None,
                    _ => h.vehicles = None,
                }
            }
        }
        if dist::chance(rng, P_ADDRESS) {
            place::write_address(rng, &mut self.address, village);
            h.address = Some(std::mem::take(&mut self.address));
        }
        sink.household(h)?;
        if let Some(a) = h.address.take() {
            self.address = a;
        }

        // Its persons.
        let first_person = self.summary.persons + 1;
        let home6 = village.county6;
        let p = &mut self.person;
        p.household_id.clone_from(&h.household_id);
        for (i, m) in members.iter().enumerate() {
            write_id(
                &mut p.person_id,
                'P',
                first_person + i as u64,
                self.widths.person,
            );
            if self.person_ids.len() <= i {
                self.person_ids.push(String::new());
            }
            self.person_ids[i].clone_from(&p.person_id);
            let birth = cal.date(m.birth_day);
            let elsewhere = dist::chance(rng, P_BORN_ELSEWHERE);
            self.ids
                .assign(
                    &mut p.id_number,
                    home6,
                    birth,
                    m.birth_day,
                    m.sex,
                    elsewhere,
                )
                .ok_or(SynthError::IdNumbersExhausted(birth))?;
            names::write_full_name(
                rng,
                &mut p.name,
                m.surname,
                m.sex,
                chrono::Datelike::year(&birth),
            );
            p.sex = m.sex;
            p.birth_date = birth;
            p.relation = m.relation;
            p.disability_grade = Some(m.disability_grade);
            p.disability_kind = Some(m.disability_kind);
            p.self_care = Some(m.self_care);
            p.employment = Some(m.employment);
            p.wage_income = Some(Fen(m.wage));
            p.business_income = Some(Fen(m.business));
            p.property_income = Some(Fen(m.property));
            p.transfer_income = Some(Fen(m.transfer));
            p.illness = Some(m.illness);
            p.capable_supporter = Some(m.capable_supporter);
            p.orphan = Some(m.orphan);
            p.deceased_on = m.deceased_day.map(|d| cal.date(d));
            if dist::chance(rng, P_INCOMPLETE_PERSON) {
                blank_some(rng, p);
            }
            sink.person(p)?;
        }

        // Their stays, events and enrollments.
        let s = &mut self.stay;
        for d in &self.stays {
            self.summary.stays += 1;
            write_id(&mut s.stay_id, 'S', self.summary.stays, self.widths.stay);
            s.person_id.clone_from(&self.person_ids[d.member]);
            s.admit_date = cal.date(d.admit_day);
            s.discharge_date = cal.date(d.discharge_day);
            s.hospital_level = d.level;
            s.in_district = d.in_district;
            s.total_cost = Fen(d.total);
            s.covered_cost = Fen(d.covered);
            sink.stay(s)?;
        }
        let e = &mut self.event;
        e.household_id.clone_from(&h.household_id);
        for d in &self.events {
            self.summary.events += 1;
            write_id(&mut e.event_id, 'E', self.summary.events, self.widths.event);
            set_person(
                &mut e.person_id,
                d.member.map(|i| self.person_ids[i].as_str()),
            );
            e.kind = d.kind;
            e.date = cal.date(d.day);
            e.amount = d.amount.map(Fen);
            e.note = d.note.map(str::to_owned);
            sink.event(e)?;
        }
        let r = &mut self.enrollment;
        r.household_id.clone_from(&h.household_id);
        for d in &self.enrollments {
            self.summary.enrollments += 1;
            set_person(
                &mut r.person_id,
                d.member.map(|i| self.person_ids[i].as_str()),
            );
            r.program.clear();
            r.program.push_str(d.program);
            r.since = cal.date(d.since_day);
            r.monthly_amount = Some(Fen(d.amount));
            r.until = d.until_day.map(|u| cal.date(u));
            sink.enrollment(r)?;
        }

        self.summary.households += 1;
        self.summary.persons += members.len() as u64;
        Ok(())
    }
}

/// Sets an optional person id, reusing the `String` already there.
fn set_person(slot: &mut Option<String>, id: Option<&str>) {
    match (slot.as_mut(), id) {
        (Some(s), Some(id)) => {
            s.clear();
            s.push_str(id);
        }
        (None, Some(id)) => *slot = Some(id.to_owned()),
        (_, None) => *slot = None,
    }
}

/// Empties 2–5 of a person's optional columns (never the required ones).
fn blank_some(rng: &mut Rng, p: &mut Person) {
    for _ in 0..dist::between(rng, 2, 5) {
        match dist::between(rng, 0, 10) {
            0 => p.disability_grade = None,
            1 => p.disability_kind = None,
            2 => p.self_care = None,
            3 => p.employment = None,
            4 => p.wage_income = None,
            5 => p.business_income = None,
            6 => p.property_income = None,
            7 => p.transfer_income = None,
            8 => p.illness = None,
            9 => p.capable_supporter = None,
            _ => p.orphan = None,
        }
    }
}
