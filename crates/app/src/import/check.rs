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

use minsheng_interchange::Table;
use minsheng_model::{
    Enrollment, Event, HospitalStay, Household, Person, Problem, ProblemKind, Relation,
};
use minsheng_store::Keys;
use std::collections::{HashMap, HashSet};

/// Where a row is: its source line (for people) and its index among the file's data rows
/// (unique, for bookkeeping).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct At {
    pub line: u64,
    pub index: u64,
}

/// A refused row: table, position, the problem.
pub type Rejection = (Table, At, Problem);

#[derive(Debug)]
struct BatchHousehold {
    at: At,
    rejected: bool,
}

#[derive(Debug)]
struct BatchPerson {
    id: String,
    at: At,
    household: String,
    is_head: bool,
    rejected: bool,
}

/// The state of one batch while it is checked.
pub struct BatchCheck<'k> {
    keys: &'k Keys,
    households: HashMap<String, BatchHousehold>,
    /// Household ids whose row was refused at row level (so references say why).
    refused_households: HashSet<String>,
    persons: Vec<BatchPerson>,
    person_index: HashMap<String, usize>,
    refused_persons: HashSet<String>,
    stays: HashMap<String, (At, bool)>,
    events: HashMap<String, (At, bool)>,
    enrollments: HashMap<(String, String, String), (At, bool)>,
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
            households: HashMap::new(),
            refused_households: HashSet::new(),
            persons: Vec::new(),
            person_index: HashMap::new(),
            refused_persons: HashSet::new(),
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

    /// Notes the id of a household row refused at row level (if its id was readable).
    pub fn household_refused(&mut self, id: &str) {
        self.refused_households.insert(id.to_owned());
    }

    /// Notes the id of a person row refused at row level.
    pub fn person_refused(&mut self, id: &str) {
        self.refused_persons.insert(id.to_owned());
    }

    pub fn household(&mut self, at: At, h: &Household) {
        let id = &h.household_id;
        if let Some(first) = self.households.get_mut(id) {
            let (first_at, was_rejected) = (first.at, first.rejected);
            first.rejected = true;
            let kind = ProblemKind::DuplicateId {
                other: lines_text(&[first_at.line]),
            };
            self.reject(Table::Households, at, "household_id", id, kind);
            if !was_rejected {
                let kind = ProblemKind::DuplicateId {
                    other: lines_text(&[at.line]),
                };
                self.reject(Table::Households, first_at, "household_id", id, kind);
            }
            return;
        }
        self.households.insert(
            id.clone(),
            BatchHousehold {
                at,
                rejected: false,
            },
        );
    }

    /// Whether a household will exist after the batch; `Err` says why not.
    fn household_exists(&self, id: &str) -> Result<(), ProblemKind> {
        match self.households.get(id) {
            Some(h) if !h.rejected => Ok(()),
            _ if self.keys.households.contains(id) => Ok(()),
            Some(_) => Err(ProblemKind::DependsOnRejected {
                what: format!("家庭 {id}"),
            }),
            None if self.refused_households.contains(id) => Err(ProblemKind::DependsOnRejected {
                what: format!("家庭 {id}"),
            }),
            None => Err(ProblemKind::UnknownHousehold),
        }
    }

    pub fn person(&mut self, at: At, p: &Person) {
        if let Err(kind) = self.household_exists(&p.household_id) {
            self.reject(Table::Persons, at, "household_id", &p.household_id, kind);
            self.refused_persons.insert(p.person_id.clone());
            return;
        }
        if let Some(&i) = self.person_index.get(&p.person_id) {
            let (first_at, was_rejected) = (self.persons[i].at, self.persons[i].rejected);
            self.persons[i].rejected = true;
            let kind = ProblemKind::DuplicateId {
                other: lines_text(&[first_at.line]),
            };
            self.reject(Table::Persons, at, "person_id", &p.person_id, kind);
            if !was_rejected {
                let kind = ProblemKind::DuplicateId {
                    other: lines_text(&[at.line]),
                };
                self.reject(Table::Persons, first_at, "person_id", &p.person_id, kind);
            }
            return;
        }
        self.person_index
            .insert(p.person_id.clone(), self.persons.len());
        self.persons.push(BatchPerson {
            id: p.person_id.clone(),
            at,
            household: p.household_id.clone(),
            is_head: p.relation == Relation::Head,
            rejected: false,
        });
    }

    /// Settles the one-head rule once the whole persons table has been seen.
    pub fn settle_households(&mut self) {
        let keys = self.keys;
        let mut heads: HashMap<String, i64> = HashMap::new();
        // Stored persons keep counting unless the batch replaces them.
        for (pid, (hh, is_head)) in &keys.persons {
            let replaced = self
                .person_index
                .get(pid)
                .is_some_and(|&i| !self.persons[i].rejected);
            if *is_head && !replaced {
                *heads.entry(hh.clone()).or_default() += 1;
            }
        }
        let mut by_new: HashMap<String, Vec<usize>> = HashMap::new();
        let mut by_old: HashMap<String, Vec<usize>> = HashMap::new();
        let mut work: Vec<String> = Vec::new();
        for (i, p) in self.persons.iter().enumerate() {
            if p.rejected {
                continue;
            }
            if p.is_head {
                *heads.entry(p.household.clone()).or_default() += 1;
            }
            by_new.entry(p.household.clone()).or_default().push(i);
            work.push(p.household.clone());
            if let Some((old, _)) = keys.persons.get(&p.id)
                && *old != p.household
            {
                by_old.entry(old.clone()).or_default().push(i);
                work.push(old.clone());
            }
        }
        work.extend(
            self.households
                .iter()
                .filter(|(_, h)| !h.rejected)
                .map(|(id, _)| id.clone()),
        );
        work.sort_unstable();
        work.dedup();
        // Reverse so that households are settled in id order (pop takes from the end).
        work.reverse();
        let mut settled_bad: HashSet<String> = HashSet::new();
        while let Some(h) = work.pop() {
            let count = heads.get(&h).copied().unwrap_or(0);
            if count == 1 || settled_bad.contains(&h) {
                continue;
            }
            settled_bad.insert(h.clone());
            let kind = if count == 0 {
                ProblemKind::NoHead
            } else {
                let mut lines: Vec<u64> = by_new
                    .get(&h)
                    .into_iter()
                    .flatten()
                    .filter(|&&i| !self.persons[i].rejected && self.persons[i].is_head)
                    .map(|&i| self.persons[i].at.line)
                    .collect();
                lines.sort_unstable();
                let mut where_ = format!("人员表{}", lines_text(&lines));
                if (lines.len() as i64) < count {
                    where_.push_str("及登记库中已有的户主");
                }
                ProblemKind::SeveralHeads { lines: where_ }
            };
            let row_in_batch = match self.households.get_mut(&h) {
                Some(b) if !b.rejected => {
                    b.rejected = true;
                    Some(b.at)
                }
                _ => None,
            };
            if let Some(at) = row_in_batch {
                self.reject(Table::Households, at, "household_id", &h, kind.clone());
            }
            // Every batch person moving into or out of `h` is refused with it.
            let members: Vec<usize> = by_new
                .get(&h)
                .into_iter()
                .chain(by_old.get(&h))
                .flatten()
                .copied()
                .collect();
            for i in members {
                if self.persons[i].rejected {
                    continue;
                }
                self.persons[i].rejected = true;
                let (pid, at, new_hh, is_head) = (
                    self.persons[i].id.clone(),
                    self.persons[i].at,
                    self.persons[i].household.clone(),
                    self.persons[i].is_head,
                );
                let person_kind = if row_in_batch.is_some() && new_hh == h {
                    ProblemKind::DependsOnRejected {
                        what: format!("家庭 {h}"),
                    }
                } else {
                    kind.clone()
                };
                self.reject(Table::Persons, at, "household_id", &new_hh, person_kind);
                if is_head {
                    *heads.entry(new_hh.clone()).or_default() -= 1;
                }
                work.push(new_hh);
                if let Some((old, old_head)) = keys.persons.get(&pid) {
                    if *old_head {
                        *heads.entry(old.clone()).or_default() += 1;
                    }
                    work.push(old.clone());
                }
            }
        }
    }

    /// Whether a person will exist after the batch, and in which household.
    fn person_household(&self, id: &str) -> Result<&str, ProblemKind> {
        match self.person_index.get(id).map(|&i| &self.persons[i]) {
            Some(p) if !p.rejected => Ok(&p.household),
            found => match self.keys.persons.get(id) {
                Some((hh, _)) => Ok(hh),
                None if found.is_some() || self.refused_persons.contains(id) => {
                    Err(ProblemKind::DependsOnRejected {
                        what: format!("人员 {id}"),
                    })
                }
                None => Err(ProblemKind::UnknownPerson),
            },
        }
    }

    /// Registers `key` in `seen`; on a repeat, refuses this row and (once) the first.
    fn first_sight<K: std::hash::Hash + Eq>(
        seen: &mut HashMap<K, (At, bool)>,
        out: &mut Vec<Rejection>,
        key: K,
        table: Table,
        at: At,
        column: &str,
        value: &str,
    ) {
        match seen.get_mut(&key) {
            None => {
                seen.insert(key, (at, false));
            }
            Some((first_at, first_refused)) => {
                let other = lines_text(&[first_at.line]);
                out.push((
                    table,
                    at,
                    Problem::new(column, value, ProblemKind::DuplicateId { other }),
                ));
                if !*first_refused {
                    *first_refused = true;
                    let other = lines_text(&[at.line]);
                    out.push((
                        table,
                        *first_at,
                        Problem::new(column, value, ProblemKind::DuplicateId { other }),
                    ));
                }
            }
        }
    }

    pub fn stay(&mut self, at: At, s: &HospitalStay) {
        if let Err(kind) = self.person_household(&s.person_id) {
            return self.reject(Table::HospitalStays, at, "person_id", &s.person_id, kind);
        }
        Self::first_sight(
            &mut self.stays,
            &mut self.out,
            s.stay_id.clone(),
            Table::HospitalStays,
            at,
            "stay_id",
            &s.stay_id,
        );
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
        if self.check_refs(Table::Events, at, &e.household_id, e.person_id.as_deref()) {
            Self::first_sight(
                &mut self.events,
                &mut self.out,
                e.event_id.clone(),
                Table::Events,
                at,
                "event_id",
                &e.event_id,
            );
        }
    }

    pub fn enrollment(&mut self, at: At, e: &Enrollment) {
        if self.check_refs(
            Table::Enrollments,
            at,
            &e.household_id,
            e.person_id.as_deref(),
        ) {
            let (h, p, prog) = e.key();
            let key = (h.to_owned(), p.to_owned(), prog.to_owned());
            Self::first_sight(
                &mut self.enrollments,
                &mut self.out,
                key,
                Table::Enrollments,
                at,
                "program",
                &e.program,
            );
        }
    }
}
