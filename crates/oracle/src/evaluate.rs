//! [`evaluate`]: one month M over a whole registry, household by household, in the rules'
//! order (tekun → dibao, dibao_single → dibao_edge → medical chain → expenditure_hardship →
//! person subsidies), collecting decided units, undecided units and settled stays.

use crate::decision::Decision;
use crate::household::{Composition, HouseholdFacts};
use crate::medical::{Category, Settled};
use crate::person::Member;
use crate::program as p;
use crate::tri::{Val, cell, every, or};
use crate::{
    MedicalRow, Month, Outcome, ResultRow, Undecided, dibao, hardship, medical, subsidies, tekun,
};
use chrono::{Datelike, NaiveDate};
use minsheng_model::{Area, Fen, HospitalStay, Household, Person, Registry, date::age_on};
use std::collections::HashMap;

/// Evaluates month M (`month` is any day of it, normally the first) over `registry`.
pub fn evaluate(registry: &Registry, month: NaiveDate) -> Outcome {
    let month = Month::of(month);
    let mut persons_of: HashMap<&str, Vec<&Person>> = HashMap::new();
    for person in registry.persons.iter().filter(|q| month.counts(q)) {
        persons_of
            .entry(person.household_id.as_str())
            .or_default()
            .push(person);
    }
    let mut stays_of: HashMap<&str, Vec<&HospitalStay>> = HashMap::new();
    for stay in &registry.stays {
        stays_of
            .entry(stay.person_id.as_str())
            .or_default()
            .push(stay);
    }
    let mut out = Collector::default();
    for h in &registry.households {
        let members = persons_of
            .get(h.household_id.as_str())
            .map_or(&[][..], Vec::as_slice);
        household(h, members, &stays_of, &month, &mut out);
    }
    out.finish()
}

/// All programs of one household and its members, and its members' stays.
fn household(
    h: &Household,
    persons: &[&Person],
    stays_of: &HashMap<&str, Vec<&HospitalStay>>,
    month: &Month,
    out: &mut Collector,
) {
    let mut members: Vec<Member<'_>> = persons
        .iter()
        .map(|q| Member {
            p: q,
            age: age_on(q.birth_date, month.first),
        })
        .collect();
    members.sort_by(|a, b| a.p.person_id.cmp(&b.p.person_id));
    let facts = HouseholdFacts::new(h, members);
    let hid = h.household_id.as_str();

    // tekun, with the household's assets computed with its full membership.
    let assets_full = facts.assets_ok(&Ok(facts.full_size()));
    let tekun: Vec<Decision> = facts
        .members
        .iter()
        .map(|m| tekun::evaluate(m, &facts, &assets_full))
        .collect();
    let is_tekun: Vec<Val<bool>> = tekun.iter().map(|d| d.eligible.clone()).collect();

    // dibao, dibao_single, dibao_edge over the members that count.
    let comp = Composition::new(&facts, &is_tekun);
    let d = dibao::evaluate(&facts, &comp, &is_tekun);
    // The dibao status of each member: member of a dibao household or dibao_single.
    let dibao_member: Vec<Val<bool>> = d
        .single
        .iter()
        .map(|s| or([d.dibao.eligible.clone(), s.eligible.clone()]))
        .collect();

    // Medical chain, per member, with the member's category in M.
    let area_urban = cell(h.area, "area").map(|a| a == Area::Urban);
    let topup = medical::topup_household(area_urban, h.region_code.county6());
    let no_stays = Vec::new();
    let settled: Vec<Val<Vec<Settled<'_>>>> = facts
        .members
        .iter()
        .enumerate()
        .map(|(i, m)| {
            let category = Category::of(&is_tekun[i], &dibao_member[i], &d.edge.eligible);
            let stays = stays_of.get(m.p.person_id.as_str()).unwrap_or(&no_stays);
            medical::settle_person(stays, &category, &topup, month)
        })
        .collect();
    for (m, s) in facts.members.iter().zip(&settled) {
        match s {
            Ok(stays) => out.medical.extend(
                stays
                    .iter()
                    .filter(|s| s.stay.discharge_date.year() == month.year)
                    .map(|s| (s.stay.discharge_date, s.row.clone())),
            ),
            Err(missing) => out.undecided.push(Undecided {
                household_id: hid.to_owned(),
                person_id: Some(m.p.person_id.clone()),
                program: p::MEDICAL,
                missing: missing.columns(),
            }),
        }
    }

    // E: self-pay of the counted members' stays in the 12-month window — tekun members'
    // self-pay is left out (clarification 3), deceased persons are not members (9).
    let e: Val<Fen> = every(is_tekun.iter().cloned()).and_then(|flags| {
        let parts = flags
            .iter()
            .zip(&settled)
            .filter(|(t, _)| !**t)
            .map(|(_, s)| {
                s.as_ref().map_err(Clone::clone).map(|stays| {
                    stays
                        .iter()
                        .filter(|s| month.in_window(s.stay.discharge_date))
                        .map(|s| s.row.self_paid)
                        .sum::<Fen>()
                })
            });
        every(parts).map(|v| v.into_iter().sum())
    });
    let hardship = hardship::evaluate(&facts, &comp, &d, &e);

    out.push(hid, None, p::DIBAO, &d.dibao);
    out.push(hid, None, p::DIBAO_EDGE, &d.edge);
    out.push(hid, None, p::EXPENDITURE_HARDSHIP, &hardship);
    for (i, m) in facts.members.iter().enumerate() {
        let pid = Some(m.p.person_id.as_str());
        out.push(hid, pid, p::TEKUN, &tekun[i]);
        out.push(hid, pid, p::DIBAO_SINGLE, &d.single[i]);
        let living = subsidies::disability_living(m, &is_tekun[i], &dibao_member[i]);
        out.push(hid, pid, p::DISABILITY_LIVING, &living);
        out.push(hid, pid, p::DISABILITY_CARE, &subsidies::disability_care(m));
        out.push(
            hid,
            pid,
            p::ELDERLY_ALLOWANCE,
            &subsidies::elderly_allowance(m),
        );
        out.push(hid, pid, p::ORPHAN_SUPPORT, &subsidies::orphan_support(m));
    }
}

/// Decided units, undecided units and settled stays, sorted at the end.
#[derive(Default)]
struct Collector {
    all: Vec<ResultRow>,
    undecided: Vec<Undecided>,
    medical: Vec<(NaiveDate, MedicalRow)>,
}

impl Collector {
    fn push(&mut self, household: &str, person: Option<&str>, program: &'static str, d: &Decision) {
        let decided = match (&d.eligible, &d.amount) {
            (Err(missing), _) | (Ok(true), Err(missing)) => Err(missing),
            (Ok(true), Ok(amount)) => Ok((true, *amount)),
            (Ok(false), _) => Ok((false, Fen::ZERO)),
        };
        match decided {
            Ok((eligible, monthly_amount)) => self.all.push(ResultRow {
                household_id: household.to_owned(),
                person_id: person.map(str::to_owned),
                program,
                eligible,
                monthly_amount,
            }),
            Err(missing) => self.undecided.push(Undecided {
                household_id: household.to_owned(),
                person_id: person.map(str::to_owned),
                program,
                missing: missing.columns(),
            }),
        }
    }

    fn finish(mut self) -> Outcome {
        fn key<'a>(
            h: &'a str,
            p: &'a Option<String>,
            prog: &'a str,
        ) -> (&'a str, &'a str, &'a str) {
            (h, p.as_deref().unwrap_or(""), prog)
        }
        self.all.sort_by(|a, b| {
            key(&a.household_id, &a.person_id, a.program).cmp(&key(
                &b.household_id,
                &b.person_id,
                b.program,
            ))
        });
        self.undecided.sort_by(|a, b| {
            key(&a.household_id, &a.person_id, a.program).cmp(&key(
                &b.household_id,
                &b.person_id,
                b.program,
            ))
        });
        self.medical.sort_by(|(da, a), (db, b)| {
            (a.person_id.as_bytes(), *da, a.stay_id.as_bytes()).cmp(&(
                b.person_id.as_bytes(),
                *db,
                b.stay_id.as_bytes(),
            ))
        });
        Outcome {
            results: self.all.iter().filter(|r| r.eligible).cloned().collect(),
            all: self.all,
            medical: self.medical.into_iter().map(|(_, r)| r).collect(),
            undecided: self.undecided,
        }
    }
}
