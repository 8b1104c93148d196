//! Building frames from a stream of records: [`FrameBuilder`] is a [`RecordSink`], so an
//! import's checking pass, a store's export or an in-memory [`Registry`] can feed it
//! directly, and [`FrameBuilder::finish`] lays the population out for one month in chunks
//! of whole households (the unit of parallel evaluation). A loader that decoded its
//! persons into chunk columns already hands them to [`assemble_in_order`], which only adds
//! the households and the stays.
//!
//! Records are kept compactly (ids interned once, values as they will be laid out) and
//! may arrive in any order and interleaved across tables. Ordering is checked before it
//! is imposed: files written household by household in id order, as exports and the
//! synthetic districts are, are never sorted.

use super::{Frame, FrameError, Persons, counted_in};
use chrono::Months;
use minsheng_model::intern::Interner;
use minsheng_model::{
    Area, Date, DisabilityKind, Employment, Enrollment, Event, HospitalLevel, HospitalStay,
    Household, Id, Illness, Person, RecordSink, RegionCode, Registry, Relation, SelfCare, Sex,
    SinkError,
};
use rayon::prelude::*;

/// What the frame keeps of a household record. (`Default`: a filler for slots a loader
/// fills in place.)
#[derive(Default)]
pub struct HouseholdRow {
    region: RegionCode,
    area: Option<Area>,
    savings: Option<i64>,
    houses: Option<i64>,
    vehicles: Option<i64>,
}

impl<S> From<&Household<S>> for HouseholdRow {
    fn from(h: &Household<S>) -> Self {
        HouseholdRow {
            region: h.region_code,
            area: h.area,
            savings: h.savings.map(|f| f.0),
            houses: h.houses.map(i64::from),
            vehicles: h.vehicles.map(i64::from),
        }
    }
}

/// What the frame keeps of a person record; `household` is the household's number.
/// Compact (millions of them are held while a district loads): the four incomes as fen
/// with one bit each for "known".
#[derive(Default)]
pub struct PersonRow {
    pub household: u32,
    sex: Sex,
    birth_date: Date,
    deceased_on: Option<Date>,
    relation: Relation,
    disability_grade: Option<u8>,
    disability_kind: Option<DisabilityKind>,
    self_care: Option<SelfCare>,
    employment: Option<Employment>,
    incomes: [i64; 4],
    incomes_known: u8,
    illness: Option<Illness>,
    capable_supporter: Option<bool>,
    orphan: Option<bool>,
}

impl PersonRow {
    /// Wage, business, property and transfer income (fen), `None` where unknown.
    fn incomes(&self) -> [Option<i64>; 4] {
        let mut out = [None; 4];
        for (i, o) in out.iter_mut().enumerate() {
            *o = (self.incomes_known & (1 << i) != 0).then_some(self.incomes[i]);
        }
        out
    }

    /// Whether the person is the head of their household.
    pub fn is_head(&self) -> bool {
        self.relation == Relation::Head
    }

    /// The day of death, if the row names one.
    pub fn deceased_on(&self) -> Option<Date> {
        self.deceased_on
    }

    /// Person `p` (a record or a view) of household number `household`.
    pub fn new<S>(p: &Person<S>, household: u32) -> Self {
        let incomes = [
            p.wage_income,
            p.business_income,
            p.property_income,
            p.transfer_income,
        ];
        PersonRow {
            household,
            sex: p.sex,
            birth_date: p.birth_date,
            deceased_on: p.deceased_on,
            relation: p.relation,
            disability_grade: p.disability_grade,
            disability_kind: p.disability_kind,
            self_care: p.self_care,
            employment: p.employment,
            incomes: incomes.map(|f| f.map_or(0, |f| f.0)),
            incomes_known: (0..4).fold(0, |k, i| k | u8::from(incomes[i].is_some()) << i),
            illness: p.illness,
            capable_supporter: p.capable_supporter,
            orphan: p.orphan,
        }
    }
}

/// What the frame keeps of a stay record; `person` is the person's number.
#[derive(Default)]
pub struct StayRow {
    id: Id,
    pub person: u32,
    admit_date: Date,
    discharge_date: Date,
    level: HospitalLevel,
    in_district: bool,
    total_cost: i64,
    covered_cost: i64,
}

impl StayRow {
    pub fn id(&self) -> &str {
        &self.id
    }

    /// Stay `s` (a record or a view) of person number `person`.
    pub fn new<S: AsRef<str>>(s: &HospitalStay<S>, person: u32) -> Self {
        StayRow {
            person,
            admit_date: s.admit_date,
            discharge_date: s.discharge_date,
            level: s.hospital_level,
            in_district: s.in_district,
            total_cost: s.total_cost.0,
            covered_cost: s.covered_cost.0,
            id: Id::new(s.stay_id.as_ref()),
        }
    }
}

/// A registry numbered for the frame, every reference resolved: household `i` is
/// `household_ids[i]` and `households[i]`; persons and stays refer by number.
pub struct Parts {
    pub household_ids: Vec<Id>,
    pub households: Vec<HouseholdRow>,
    pub person_ids: Vec<Id>,
    pub persons: Vec<PersonRow>,
    pub stays: Vec<StayRow>,
}

/// Collects households, persons and stays; see the module docs.
#[derive(Default)]
pub struct FrameBuilder {
    household_ids: Interner,
    /// By household number; `None` for a household only referred to so far.
    households: Vec<Option<HouseholdRow>>,
    person_ids: Interner,
    /// By person number; `None` for a person only referred to so far.
    persons: Vec<Option<PersonRow>>,
    stays: Vec<StayRow>,
    duplicate: Option<FrameError>,
}

/// Grows `v` so that index `i` exists.
fn slot<T>(v: &mut Vec<Option<T>>, i: u32) -> &mut Option<T> {
    let i = i as usize;
    if v.len() <= i {
        v.resize_with(i + 1, || None);
    }
    &mut v[i]
}

/// Fills an empty slot, or notes the id as a duplicate.
fn fill<T>(
    slot: &mut Option<T>,
    row: T,
    duplicate: &mut Option<FrameError>,
    what: impl FnOnce() -> FrameError,
) {
    if slot.is_some() {
        duplicate.get_or_insert_with(what);
    } else {
        *slot = Some(row);
    }
}

impl RecordSink for FrameBuilder {
    fn household(&mut self, h: &Household) -> Result<(), SinkError> {
        let (i, _) = self.household_ids.intern(&h.household_id);
        let row = HouseholdRow::from(h);
        fill(
            slot(&mut self.households, i),
            row,
            &mut self.duplicate,
            || FrameError::Duplicate {
                id: h.household_id.clone(),
            },
        );
        Ok(())
    }

    fn person(&mut self, p: &Person) -> Result<(), SinkError> {
        let (household, _) = self.household_ids.intern(&p.household_id);
        slot(&mut self.households, household);
        let (i, _) = self.person_ids.intern(&p.person_id);
        let row = PersonRow::new(p, household);
        fill(slot(&mut self.persons, i), row, &mut self.duplicate, || {
            FrameError::Duplicate {
                id: p.person_id.clone(),
            }
        });
        Ok(())
    }

    fn stay(&mut self, s: &HospitalStay) -> Result<(), SinkError> {
        let (person, _) = self.person_ids.intern(&s.person_id);
        slot(&mut self.persons, person);
        self.stays.push(StayRow::new(s, person));
        Ok(())
    }

    fn event(&mut self, _: &Event) -> Result<(), SinkError> {
        Ok(())
    }

    fn enrollment(&mut self, _: &Enrollment) -> Result<(), SinkError> {
        Ok(())
    }
}

/// Sorts `order` by `cmp` unless it already is in that order.
fn order_by(order: &mut [u32], cmp: impl Fn(u32, u32) -> std::cmp::Ordering + Sync) {
    if !order.par_windows(2).all(|w| cmp(w[0], w[1]).is_le()) {
        order.par_sort_unstable_by(|&a, &b| cmp(a, b));
    }
}

impl FrameBuilder {
    /// A builder fed with every record of `registry`.
    pub fn from_registry(registry: &Registry) -> FrameBuilder {
        let mut b = FrameBuilder::default();
        registry
            .replay(&mut b)
            .expect("the frame builder accepts every record");
        b
    }

    /// Households collected so far.
    pub fn households(&self) -> usize {
        self.households.len()
    }

    /// The population of the month starting `month` (its first day), in chunks of at
    /// most `per_chunk` households (at least one chunk, possibly empty).
    pub fn finish(self, month: Date, per_chunk: usize) -> Result<Vec<Frame>, FrameError> {
        if let Some(e) = self.duplicate {
            return Err(e);
        }
        let FrameBuilder {
            household_ids,
            households,
            person_ids,
            persons,
            stays,
            ..
        } = self;
        if let Some(h) = households.iter().position(Option::is_none) {
            let p = persons
                .iter()
                .position(|p| p.as_ref().is_some_and(|p| p.household as usize == h))
                .unwrap_or(0);
            return Err(FrameError::UnknownHousehold {
                person: person_ids.name(p as u32).to_owned(),
                household: household_ids.name(h as u32).to_owned(),
            });
        }
        if let Some(p) = persons.iter().position(Option::is_none) {
            let s = stays.iter().find(|s| s.person as usize == p);
            return Err(FrameError::UnknownPerson {
                stay: s.map_or_else(String::new, |s| s.id.to_string()),
                person: person_ids.name(p as u32).to_owned(),
            });
        }
        let parts = Parts {
            household_ids: household_ids.into_names(),
            households: households.into_iter().flatten().collect(),
            person_ids: person_ids.into_names(),
            persons: persons.into_iter().flatten().collect(),
            stays,
        };
        Ok(assemble(parts, month, per_chunk))
    }
}

/// Lays `parts` out for the month starting `month` (its first day), in chunks of at most
/// `per_chunk` households (at least one chunk, possibly empty): households by id, persons
/// counted in the month by household then id, stays up to the month's end in
/// medical-chain order. Input already in that order is never sorted.
pub fn assemble(parts: Parts, month: Date, per_chunk: usize) -> Vec<Frame> {
    let month_end = last_day(month);
    let Parts {
        household_ids: hh_names,
        households,
        person_ids: p_names,
        persons,
        stays,
    } = parts;
    let mut hh_order: Vec<u32> = (0..households.len() as u32).collect();
    order_by(&mut hh_order, |a, b| {
        hh_names[a as usize].cmp(&hh_names[b as usize])
    });
    let mut hh_pos = vec![0u32; households.len()];
    for (k, &h) in hh_order.iter().enumerate() {
        hh_pos[h as usize] = k as u32;
    }

    let mut p_order: Vec<u32> = (0..persons.len() as u32)
        .into_par_iter()
        .filter(|&p| counted_in(persons[p as usize].deceased_on, month))
        .collect();
    order_by(&mut p_order, |a, b| {
        let key = |p: u32| {
            (
                hh_pos[persons[p as usize].household as usize],
                &*p_names[p as usize],
            )
        };
        key(a).cmp(&key(b))
    });
    let mut p_pos = vec![u32::MAX; persons.len()];
    for (k, &p) in p_order.iter().enumerate() {
        p_pos[p as usize] = k as u32;
    }

    let mut s_order: Vec<u32> = (0..stays.len() as u32)
        .into_par_iter()
        .filter(|&s| {
            let s = &stays[s as usize];
            s.discharge_date <= month_end && p_pos[s.person as usize] != u32::MAX
        })
        .collect();
    order_by(&mut s_order, |a, b| {
        let key = |s: u32| {
            let s = &stays[s as usize];
            chain_order(p_pos[s.person as usize], s)
        };
        key(a).cmp(&key(b))
    });

    let per_chunk = per_chunk.max(1);
    // Persons and stays per chunk: each chunk's share of the orders, and exact sizes.
    let chunks = hh_order.len().div_ceil(per_chunk).max(1);
    let (mut chunk_persons, mut chunk_stays) = (vec![0usize; chunks], vec![0usize; chunks]);
    let chunk_of_person =
        |p: u32| hh_pos[persons[p as usize].household as usize] as usize / per_chunk;
    for &p in &p_order {
        chunk_persons[chunk_of_person(p)] += 1;
    }
    for &s in &s_order {
        chunk_stays[chunk_of_person(stays[s as usize].person)] += 1;
    }
    struct Chunk<'a> {
        households: &'a [u32],
        persons: &'a [u32],
        stays: &'a [u32],
    }
    let mut work = Vec::with_capacity(chunks);
    let (mut hh_rest, mut p_rest, mut s_rest) = (&hh_order[..], &p_order[..], &s_order[..]);
    for k in 0..chunks {
        let (households, hh_tail) = hh_rest.split_at(per_chunk.min(hh_rest.len()));
        let (persons, p_tail) = p_rest.split_at(chunk_persons[k]);
        let (stays, s_tail) = s_rest.split_at(chunk_stays[k]);
        work.push(Chunk {
            households,
            persons,
            stays,
        });
        (hh_rest, p_rest, s_rest) = (hh_tail, p_tail, s_tail);
    }
    // Chunks are independent: laid out on every core. Ids are copied (most are held
    // inline), not moved: a move would need each chunk's ids in a slice of its own.
    work.into_par_iter()
        .map(|c| {
            let mut f =
                Frame::with_capacity(month, c.households.len(), c.persons.len(), c.stays.len());
            let (mut p_at, mut s_at) = (0usize, 0usize);
            for (local, &h) in c.households.iter().enumerate() {
                push_household(
                    &mut f,
                    hh_names[h as usize].clone(),
                    &households[h as usize],
                );
                let begin = p_at as u32;
                while let Some(&p) = c.persons.get(p_at)
                    && persons[p as usize].household == h
                {
                    let id = p_names[p as usize].clone();
                    f.persons
                        .push(id, local as u32, &persons[p as usize], month);
                    let first = s_at as u32;
                    while let Some(&s) = c.stays.get(s_at)
                        && stays[s as usize].person == p
                    {
                        push_stay(&mut f, &stays[s as usize], p_at as u32);
                        s_at += 1;
                    }
                    f.persons.stays.push(first..s_at as u32);
                    p_at += 1;
                }
                f.households.members.push(begin..p_at as u32);
            }
            f
        })
        .collect()
}

/// Where stay `s` of the person placed at `person` comes in the medical chain's order:
/// by person, discharge date, then stay id as bytes (reference-rules clarification 5).
fn chain_order(person: u32, s: &StayRow) -> (u32, Date, &[u8]) {
    (person, s.discharge_date, s.id.as_bytes())
}

/// The last day of the month starting `month`.
fn last_day(month: Date) -> Date {
    month
        .checked_add_months(Months::new(1))
        .and_then(|d| d.pred_opt())
        .unwrap_or(month)
}

/// What [`assemble_in_order`] lays out: a registry read in frame order, its persons
/// already in chunk columns.
pub struct InOrder {
    /// Every household, sorted by id: chunk `k` holds households
    /// `k * per_chunk .. (k + 1) * per_chunk`.
    pub household_ids: Vec<Id>,
    pub households: Vec<HouseholdRow>,
    /// Chunk `k`'s persons counted in the month, grouped by household and in id order
    /// within it, `household` numbered within the chunk, `stays` still empty. One entry
    /// per chunk.
    pub persons: Vec<Persons>,
    /// Every stay, `person` numbering the persons of `persons` one chunk after the
    /// other; a number past them all is a person not counted in the month.
    pub stays: Vec<StayRow>,
}

/// The frames [`assemble`] makes, from parts already in frame order (a loader that read
/// files written in id order): only the stays are filtered and, unless they came in
/// medical-chain order, sorted; households and persons are moved, not copied. There must
/// be at least one household.
pub fn assemble_in_order(parts: InOrder, month: Date, per_chunk: usize) -> Vec<Frame> {
    let InOrder {
        mut household_ids,
        households,
        persons,
        mut stays,
    } = parts;
    let per_chunk = per_chunk.max(1);
    assert_eq!(
        persons.len(),
        household_ids.len().div_ceil(per_chunk),
        "one person chunk per household chunk"
    );
    let mut starts = Vec::with_capacity(persons.len() + 1);
    starts.push(0u32);
    for ps in &persons {
        starts.push(starts[starts.len() - 1] + ps.id.len() as u32);
    }
    let counted = starts[persons.len()];
    let month_end = last_day(month);
    stays.retain(|s| s.discharge_date <= month_end && s.person < counted);
    let order = |a: &StayRow, b: &StayRow| chain_order(a.person, a).cmp(&chain_order(b.person, b));
    if !stays.is_sorted_by(|a, b| order(a, b).is_le()) {
        stays.par_sort_unstable_by(order);
    }
    let mut chunk_stays = Vec::with_capacity(persons.len());
    let mut rest = &stays[..];
    for &end in &starts[1..] {
        let (now, later) = rest.split_at(rest.partition_point(|s| s.person < end));
        chunk_stays.push(now);
        rest = later;
    }
    household_ids
        .par_chunks_mut(per_chunk)
        .zip(households.par_chunks(per_chunk))
        .zip(persons)
        .zip(chunk_stays)
        .zip(starts)
        .map(|((((ids, rows), persons), stays), first)| {
            let mut f = Frame {
                month,
                persons,
                ..Frame::default()
            };
            f.households.reserve(ids.len());
            f.stays.reserve(stays.len());
            let n = f.persons.id.len();
            let mut p_at = 0;
            for (local, (id, row)) in ids.iter_mut().zip(rows).enumerate() {
                push_household(&mut f, std::mem::take(id), row);
                let begin = p_at as u32;
                while p_at < n && f.persons.household[p_at] == local as u32 {
                    p_at += 1;
                }
                f.households.members.push(begin..p_at as u32);
            }
            f.persons.stays.reserve_exact(n);
            let mut s_at = 0;
            for p in 0..n as u32 {
                let begin = s_at as u32;
                while let Some(s) = stays.get(s_at)
                    && s.person == first + p
                {
                    push_stay(&mut f, s, p);
                    s_at += 1;
                }
                f.persons.stays.push(begin..s_at as u32);
            }
            f
        })
        .collect()
}

fn push_household(f: &mut Frame, id: Id, row: &HouseholdRow) {
    let hs = &mut f.households;
    hs.id.push(id);
    hs.region.push(row.region);
    hs.area.push(row.area);
    hs.savings.push(row.savings);
    hs.houses.push(row.houses);
    hs.vehicles.push(row.vehicles);
}

impl Persons {
    /// Empty columns with room for `n` persons.
    pub fn with_capacity(n: usize) -> Persons {
        let mut ps = Persons::default();
        ps.reserve(n);
        ps
    }

    /// Appends person `p` with id `id`, of household number `household` (within its
    /// chunk), as counted in the month starting `month`. Their stays' range is pushed
    /// when the stays are laid out.
    #[inline]
    pub fn push(&mut self, id: Id, household: u32, p: &PersonRow, month: Date) {
        self.id.push(id);
        self.household.push(household);
        self.sex.push(p.sex);
        self.birth_date.push(p.birth_date);
        self.age
            .push(minsheng_model::date::age_on(p.birth_date, month));
        self.relation.push(p.relation);
        self.disability_grade
            .push(p.disability_grade.map(i64::from));
        self.disability_kind.push(p.disability_kind);
        self.self_care.push(p.self_care);
        self.employment.push(p.employment);
        let [wage, business, property, transfer] = p.incomes();
        self.wage_income.push(wage);
        self.business_income.push(business);
        self.property_income.push(property);
        self.transfer_income.push(transfer);
        self.illness.push(p.illness);
        self.capable_supporter.push(p.capable_supporter);
        self.orphan.push(p.orphan);
    }
}

fn push_stay(f: &mut Frame, s: &StayRow, person: u32) {
    let ss = &mut f.stays;
    ss.id.push(s.id.clone());
    ss.person.push(person);
    ss.admit_date.push(s.admit_date);
    ss.discharge_date.push(s.discharge_date);
    ss.level.push(s.level);
    ss.in_district.push(s.in_district);
    ss.total_cost.push(s.total_cost);
    ss.covered_cost.push(s.covered_cost);
}
