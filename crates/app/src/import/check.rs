//! Cross-row rules of one import batch, checked against the batch itself and what the
//! registry already holds ([`Keys`]): duplicate ids, references (person → household,
//! stay → person, event/enrollment → household and person), and exactly one head per
//! household. Pure logic, no IO: the importer feeds it decoded rows in table order and
//! drains the rejections it produces.
//!
//! The one-head rule is settled after the whole persons table, over the household's
//! membership *as it will be*: stored persons, minus those the batch updates or moves
//! away, plus the batch's persons. A household that breaks the rule is refused together
//! with every batch row that changes its membership, so what stays stored is always
//! consistent; refusing a person who moved can break or mend their other household, so
//! settling runs to a fixpoint.

use hashbrown::HashMap;
use minsheng_interchange::Table;
use minsheng_model::intern::Interner;
use minsheng_model::{
    Enrollment, Event, HospitalStay, Household, Person, Problem, ProblemKind, Relation,
};
use minsheng_store::Keys;

/// Where a row is: its source line (for people) and its index among the file's data rows
/// (unique, for bookkeeping).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct At {
    pub line: u64,
    pub index: u64,
}

/// A refused row: table, position, the problem.
pub type Rejection = (Table, At, Problem);

/// What the batch says about one household (numbered by the household interner).
#[derive(Clone, Copy, Debug, Default)]
struct BatchHousehold {
    /// The household's own row in this batch, if any.
    row: Option<At>,
    /// The row was refused (duplicate, head rule, or at row level).
    rejected: bool,
}

#[derive(Debug)]
struct BatchPerson {
    at: At,
    household: u32,
    is_head: bool,
    rejected: bool,
}

/// (household, person or empty, program).
type EnrollmentKey = (Box<str>, Box<str>, Box<str>);

/// The state of one batch while it is checked.
pub struct BatchCheck<'k> {
    keys: &'k Keys,
    household_ids: Interner,
    households: Vec<BatchHousehold>,
    /// Person ids, numbered in the order of `persons`.
    person_ids: Interner,
    persons: Vec<BatchPerson>,
    stays: HashMap<Box<str>, (At, bool)>,
    events: HashMap<Box<str>, (At, bool)>,
    enrollments: HashMap<EnrollmentKey, (At, bool)>,
    out: Vec<Rejection>,
}

fn lines_text(lines: &[u64]) -> String {
    let parts: Vec<String> = lines.iter().map(u64::to_string).collect();
    format!("第 {} 行", parts.join("、"))
}

impl<'k> BatchCheck<'k> {
    pub fn new(keys: &'k Keys) -> Self {
        BatchCheck {
            keys,
            household_ids: Interner::default(),
            households: Vec::new(),
            person_ids: Interner::default(),
            persons: Vec::new(),
            stays: HashMap::new(),
            events: HashMap::new(),
            enrollments: HashMap::new(),
            out: Vec::new(),
        }
    }

    /// Rejections found since the last call.
    pub fn take_rejections(&mut self) -> Vec<Rejection> {
        std::mem::take(&mut self.out)
    }

    fn reject(&mut self, table: Table, at: At, column: &str, value: &str, kind: ProblemKind) {
        self.out
            .push((table, at, Problem::new(column, value, kind)));
    }

    fn household_number(&mut self, id: &str) -> u32 {
        let (i, new) = self.household_ids.intern(id);
        if new {
            self.households.push(BatchHousehold::default());
        }
        i
    }

    /// Notes a row refused at row level whose id was readable: rows referring to it then
    /// say "depends on a refused row" rather than "unknown", and another row with the same
    /// id is still a duplicate (which copy is right is for a person to decide).
    pub fn refused_row(&mut self, table: Table, at: At, id: &str) {
        match table {
            Table::Households => self.household_row(at, id, true),
            Table::Persons => self.refuse_person_id(at, id),
            Table::HospitalStays => {
                if let Some((first, was)) = Self::sight(&mut self.stays, id.into(), at, true) {
                    self.duplicate(table, "stay_id", id, first, !was, at);
                }
            }
            Table::Events => {
                if let Some((first, was)) = Self::sight(&mut self.events, id.into(), at, true) {
                    self.duplicate(table, "event_id", id, first, !was, at);
                }
            }
            // An enrollment's key is three columns; a refused row has no reliable key.
            Table::Enrollments => {}
        }
    }

    /// Reports `at` and (if `report_first`) `first` as copies of one id.
    fn duplicate(
        &mut self,
        table: Table,
        column: &str,
        id: &str,
        first: At,
        report_first: bool,
        at: At,
    ) {
        let kind = ProblemKind::DuplicateId {
            other: lines_text(&[first.line]),
        };
        self.reject(table, at, column, id, kind);
        if report_first {
            let kind = ProblemKind::DuplicateId {
                other: lines_text(&[at.line]),
            };
            self.reject(table, first, column, id, kind);
        }
    }

    /// Records person `id` (row `at`) as refused, or refuses its earlier copy too.
    fn refuse_person_id(&mut self, at: At, id: &str) {
        let (i, new) = self.person_ids.intern(id);
        if new {
            // A refused person is never counted, so its household does not matter.
            self.persons.push(BatchPerson {
                at,
                household: u32::MAX,
                is_head: false,
                rejected: true,
            });
            return;
        }
        let first = &mut self.persons[i as usize];
        let (first_at, was_rejected) = (first.at, first.rejected);
        first.rejected = true;
        self.duplicate(Table::Persons, "person_id", id, first_at, !was_rejected, at);
    }

    pub fn household(&mut self, at: At, h: &Household) {
        self.household_row(at, &h.household_id, false);
    }

    /// Registers household row `at` (refused at row level or not); a second row with the
    /// same id refuses both.
    fn household_row(&mut self, at: At, id: &str, refused: bool) {
        let i = self.household_number(id) as usize;
        match self.households[i] {
            BatchHousehold {
                row: Some(first),
                rejected,
            } => {
                self.households[i].rejected = true;
                self.duplicate(Table::Households, "household_id", id, first, !rejected, at);
            }
            BatchHousehold { row: None, .. } => {
                self.households[i] = BatchHousehold {
                    row: Some(at),
                    rejected: refused,
                }
            }
        }
    }

    /// Whether a household will exist after the batch; `Err` says why not.
    fn household_exists(&self, id: &str) -> Result<(), ProblemKind> {
        let batch = self
            .household_ids
            .get(id)
            .map(|i| self.households[i as usize]);
        match batch {
            Some(BatchHousehold {
                row: Some(_),
                rejected: false,
            }) => Ok(()),
            _ if self.keys.households.contains(id) => Ok(()),
            Some(BatchHousehold { rejected: true, .. }) => Err(ProblemKind::DependsOnRejected {
                what: format!("家庭 {id}"),
            }),
            _ => Err(ProblemKind::UnknownHousehold),
        }
    }

    pub fn person(&mut self, at: At, p: &Person) {
        if let Err(kind) = self.household_exists(&p.household_id) {
            self.reject(Table::Persons, at, "household_id", &p.household_id, kind);
            self.refuse_person_id(at, &p.person_id);
            return;
        }
        let (i, new) = self.person_ids.intern(&p.person_id);
        if !new {
            let first = &mut self.persons[i as usize];
            let (first_at, was_rejected) = (first.at, first.rejected);
            first.rejected = true;
            self.duplicate(
                Table::Persons,
                "person_id",
                &p.person_id,
                first_at,
                !was_rejected,
                at,
            );
            return;
        }
        let household = self.household_number(&p.household_id);
        self.persons.push(BatchPerson {
            at,
            household,
            is_head: p.relation == Relation::Head,
            rejected: false,
        });
    }

    /// Settles the one-head rule once the whole persons table has been seen.
    pub fn settle_households(&mut self) {
        let keys = self.keys;
        // Persons who move: (person, the household they leave).
        let mut moves: Vec<(u32, u32)> = Vec::new();
        for pi in 0..self.persons.len() {
            let p = &self.persons[pi];
            if p.rejected {
                continue;
            }
            let new_hh = p.household;
            if let Some((old, _)) = keys.persons.get(self.person_ids.name(pi as u32))
                && *old != self.household_ids.name(new_hh)
            {
                let old = self.household_number(old);
                moves.push((pi as u32, old));
            }
        }
        let n = self.households.len();
        let mut touched = vec![false; n];
        let mut heads = vec![0i64; n];
        for (i, h) in self.households.iter().enumerate() {
            touched[i] = h.row.is_some() && !h.rejected;
        }
        for p in self.persons.iter().filter(|p| !p.rejected) {
            touched[p.household as usize] = true;
            heads[p.household as usize] += i64::from(p.is_head);
        }
        for &(_, old) in &moves {
            touched[old as usize] = true;
        }
        // Stored heads count unless the batch replaces them.
        for (pid, (hh, is_head)) in &keys.persons {
            if !is_head {
                continue;
            }
            let Some(h) = self.household_ids.get(hh) else {
                continue;
            };
            let replaced = self
                .person_ids
                .get(pid)
                .is_some_and(|i| !self.persons[i as usize].rejected);
            if touched[h as usize] && !replaced {
                heads[h as usize] += 1;
            }
        }
        let mut work: Vec<u32> = (0..n as u32)
            .filter(|&h| touched[h as usize] && heads[h as usize] != 1)
            .collect();
        if work.is_empty() {
            return;
        }
        // Somebody breaks the rule: now (and only now) index who moves in and out where.
        let mut by_new: HashMap<u32, Vec<u32>> = HashMap::new();
        for (pi, p) in self.persons.iter().enumerate().filter(|(_, p)| !p.rejected) {
            by_new.entry(p.household).or_default().push(pi as u32);
        }
        let mut by_old: HashMap<u32, Vec<u32>> = HashMap::new();
        for &(pi, old) in &moves {
            by_old.entry(old).or_default().push(pi);
        }
        // Settle in id order (pop takes from the end).
        work.sort_unstable_by(|a, b| self.household_ids.name(*b).cmp(self.household_ids.name(*a)));
        let mut settled_bad = vec![false; n];
        while let Some(h) = work.pop() {
            let count = heads[h as usize];
            if count == 1 || settled_bad[h as usize] {
                continue;
            }
            settled_bad[h as usize] = true;
            let hid = self.household_ids.name(h).to_owned();
            let kind = if count == 0 {
                ProblemKind::NoHead
            } else {
                let mut lines: Vec<u64> = by_new
                    .get(&h)
                    .into_iter()
                    .flatten()
                    .map(|&i| &self.persons[i as usize])
                    .filter(|p| !p.rejected && p.is_head)
                    .map(|p| p.at.line)
                    .collect();
                lines.sort_unstable();
                let mut where_ = format!("人员表{}", lines_text(&lines));
                if (lines.len() as i64) < count {
                    where_.push_str("及登记库中已有的户主");
                }
                ProblemKind::SeveralHeads { lines: where_ }
            };
            let row_in_batch = match self.households[h as usize] {
                BatchHousehold {
                    row: Some(at),
                    rejected: false,
                } => {
                    self.households[h as usize].rejected = true;
                    Some(at)
                }
                _ => None,
            };
            if let Some(at) = row_in_batch {
                self.reject(Table::Households, at, "household_id", &hid, kind.clone());
            }
            // Every batch person moving into or out of `h` is refused with it.
            let members: Vec<u32> = by_new
                .get(&h)
                .into_iter()
                .chain(by_old.get(&h))
                .flatten()
                .copied()
                .collect();
            for pi in members {
                let p = &mut self.persons[pi as usize];
                if p.rejected {
                    continue;
                }
                p.rejected = true;
                let (at, new_hh, is_head) = (p.at, p.household, p.is_head);
                let person_kind = if row_in_batch.is_some() && new_hh == h {
                    ProblemKind::DependsOnRejected {
                        what: format!("家庭 {hid}"),
                    }
                } else {
                    kind.clone()
                };
                let new_name = self.household_ids.name(new_hh).to_owned();
                self.reject(Table::Persons, at, "household_id", &new_name, person_kind);
                if is_head {
                    heads[new_hh as usize] -= 1;
                }
                work.push(new_hh);
                if let Some((old, old_head)) = keys.persons.get(self.person_ids.name(pi))
                    && let Some(old) = self.household_ids.get(old)
                {
                    heads[old as usize] += i64::from(*old_head);
                    work.push(old);
                }
            }
        }
    }

    /// Whether a person will exist after the batch, and in which household.
    fn person_household(&self, id: &str) -> Result<&str, ProblemKind> {
        match self.person_ids.get(id).map(|i| &self.persons[i as usize]) {
            Some(p) if !p.rejected => Ok(self.household_ids.name(p.household)),
            found => match self.keys.persons.get(id) {
                Some((hh, _)) => Ok(hh),
                None if found.is_some() => Err(ProblemKind::DependsOnRejected {
                    what: format!("人员 {id}"),
                }),
                None => Err(ProblemKind::UnknownPerson),
            },
        }
    }

    /// Registers `key` (row `at`, refused at row level or not) in `seen`; returns the
    /// earlier copy (its row and whether it was already refused) when the key repeats.
    fn sight<K: std::hash::Hash + Eq>(
        seen: &mut HashMap<K, (At, bool)>,
        key: K,
        at: At,
        refused: bool,
    ) -> Option<(At, bool)> {
        match seen.get_mut(&key) {
            None => {
                seen.insert(key, (at, refused));
                None
            }
            Some(first) => Some(std::mem::replace(&mut first.1, true)).map(|was| (first.0, was)),
        }
    }

    pub fn stay(&mut self, at: At, s: &HospitalStay) {
        let ok = match self.person_household(&s.person_id) {
            Ok(_) => true,
            Err(kind) => {
                self.reject(Table::HospitalStays, at, "person_id", &s.person_id, kind);
                false
            }
        };
        if let Some((first, was)) = Self::sight(&mut self.stays, s.stay_id.as_str().into(), at, !ok)
        {
            self.duplicate(Table::HospitalStays, "stay_id", &s.stay_id, first, !was, at);
        }
    }

    /// Household must exist; a named person must exist and belong to it.
    fn check_refs(&mut self, table: Table, at: At, household: &str, person: Option<&str>) -> bool {
        if let Err(kind) = self.household_exists(household) {
            self.reject(table, at, "household_id", household, kind);
            return false;
        }
        if let Some(pid) = person {
            match self.person_household(pid) {
                Err(kind) => {
                    self.reject(table, at, "person_id", pid, kind);
                    return false;
                }
                Ok(actual) if actual != household => {
                    let kind = ProblemKind::PersonNotInHousehold {
                        actual: actual.to_owned(),
                    };
                    self.reject(table, at, "person_id", pid, kind);
                    return false;
                }
                Ok(_) => {}
            }
        }
        true
    }

    pub fn event(&mut self, at: At, e: &Event) {
        let ok = self.check_refs(Table::Events, at, &e.household_id, e.person_id.as_deref());
        if let Some((first, was)) =
            Self::sight(&mut self.events, e.event_id.as_str().into(), at, !ok)
        {
            self.duplicate(Table::Events, "event_id", &e.event_id, first, !was, at);
        }
    }

    pub fn enrollment(&mut self, at: At, e: &Enrollment) {
        let ok = self.check_refs(
            Table::Enrollments,
            at,
            &e.household_id,
            e.person_id.as_deref(),
        );
        let (h, p, prog) = e.key();
        let key = (h.into(), p.into(), prog.into());
        if let Some((first, was)) = Self::sight(&mut self.enrollments, key, at, !ok) {
            self.duplicate(Table::Enrollments, "program", &e.program, first, !was, at);
        }
    }
}
