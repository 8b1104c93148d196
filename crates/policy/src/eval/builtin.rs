//! The medical built-in: every person's stays through the chain of their year
//! ([`crate::medical::chain`]), with their `medical_category` in the month — for
//! `medical_self_paid_12m` (the 12-month self-pay that 支出型困难家庭 reads) and for
//! `medical.csv`.

use super::value::{Val, Walk, sparse};
use super::{Eval, EvalError, MedicalRow};
use crate::check::MEDICAL_CATEGORY;
use crate::medical::{Category, ChainStay, Payment, chain_into};
use crate::pack::Entity;
use chrono::{Datelike, Months};
use minsheng_model::{Area, Fen, HospitalLevel};

/// The persons of `f` with stays, ascending (stays are ordered by person: a few in ten
/// persons have one, so the chain's loops go over the stays, not over every person).
fn with_stays(f: &crate::frame::Frame) -> impl Iterator<Item = usize> + '_ {
    f.stays
        .person
        .chunk_by(|a, b| a == b)
        .map(|g| g[0] as usize)
}

/// First day of the 12-month window ending with the month starting `month`.
fn window_start(month: minsheng_model::Date) -> minsheng_model::Date {
    month.checked_sub_months(Months::new(11)).unwrap_or(month)
}

/// The chain's result for every stay of the frame (same order), and each person's
/// 12-month self-pay.
pub(crate) struct Medical {
    payments: Vec<Option<Payment>>,
    pub(crate) self_paid_12m: Val,
}

impl Eval<'_> {
    fn run_medical(&mut self) -> Result<&Medical, EvalError> {
        if self.medical.is_none() {
            let m = self.compute_medical()?;
            self.medical = Some(m);
        }
        Ok(self
            .medical
            .as_ref()
            .unwrap_or_else(|| unreachable!("computed above")))
    }

    pub(crate) fn medical_self_paid_12m(&mut self) -> Result<Val, EvalError> {
        if let Some(parent) = &self.parent {
            return Ok(parent.at(Entity::Person, &parent.medical_self_paid_12m));
        }
        Ok(self.run_medical()?.self_paid_12m.clone())
    }

    fn compute_medical(&mut self) -> Result<Medical, EvalError> {
        let f = self.frame;
        let np = f.persons.id.len();
        let category = self
            .person_variable(MEDICAL_CATEGORY)?
            .unwrap_or(Val::Const(-1));
        let window_start = window_start(f.month);
        let mut payments = vec![None; f.stays.id.len()];
        let (mut self_paid, mut unknown) = (vec![0i64; np], Vec::new());
        let mut category_unknown_at = Walk::new(category.mask_ref());
        // Each interned code's category, looked up once rather than per person.
        let categories: Vec<Option<Category>> = (0..self.codes.len())
            .map(|id| match self.codes.name(id as i64) {
                "tekun" => Some(Category::Tekun),
                "dibao" => Some(Category::Dibao),
                "edge" => Some(Category::Edge),
                "none" => Some(Category::None),
                _ => None,
            })
            .collect();
        // One person-year at a time, through buffers reused for the whole frame.
        let (mut stays, mut paid) = (Vec::new(), Vec::new());
        for p in with_stays(f) {
            let range = f.persons.stays[p].clone();
            let self_paid = &mut self_paid[p];
            let (code, category_unknown) = (category.value(p), category_unknown_at.bits(p));
            if category_unknown != 0 {
                // Unknown category: the 12-month self-pay is unknown only if a stay falls
                // in the window; older stays do not count towards it.
                if range
                    .clone()
                    .any(|s| f.stays.discharge_date[s as usize] >= window_start)
                {
                    unknown.push((p as u32, category_unknown));
                }
                continue;
            }
            let cat = match categories.get(code as usize).copied().flatten() {
                Some(cat) => cat,
                None => {
                    return Err(EvalError::MedicalCategory {
                        value: self.codes.name(code).to_owned(),
                    });
                }
            };
            let h = f.persons.household[p] as usize;
            let region = self.region_at[h];
            let cp = match self.params.chain(region) {
                Ok(cp) => cp,
                Err(e) => return Err(e.clone().into()),
            };
            let urban = f.households.area.get(h) == Some(Area::Urban);
            // Stays are in discharge order: each calendar year is one chain.
            let mut start = range.start as usize;
            while start < range.end as usize {
                let year = f.stays.discharge_date[start].year();
                let mut end = start;
                while end < range.end as usize && f.stays.discharge_date[end].year() == year {
                    end += 1;
                }
                stays.clear();
                stays.extend((start..end).map(|s| ChainStay {
                    level: match f.stays.level[s] {
                        HospitalLevel::L1 => 1,
                        HospitalLevel::L2 => 2,
                        HospitalLevel::L3 => 3,
                    },
                    in_district: f.stays.in_district[s],
                    total: f.stays.total_cost[s],
                    covered: f.stays.covered_cost[s],
                }));
                paid.clear();
                chain_into(&stays, cat, urban, cp, &mut paid);
                for (k, &pay) in paid.iter().enumerate() {
                    let s = start + k;
                    if f.stays.discharge_date[s] >= window_start {
                        *self_paid += pay.self_paid * 1_000_000;
                    }
                    payments[s] = Some(pay);
                }
                start = end;
            }
        }
        Ok(Medical {
            payments,
            self_paid_12m: Val::many(self_paid, sparse(unknown)),
        })
    }
}

/// `medical.csv` rows, and the undecided persons by index with the unknown bits of
/// their category.
pub(crate) type MedicalOutcome = (Vec<MedicalRow>, Vec<(usize, u32)>);

/// The program name of an undecided medical chain.
pub(crate) const MEDICAL: &str = "medical";

/// `medical.csv` rows (M's year up to the end of M) and the persons (by index) whose
/// chain cannot be decided (a stay that matters, an unknown category).
pub(crate) fn medical_rows(ev: &mut Eval<'_>) -> Result<MedicalOutcome, EvalError> {
    let f = ev.frame;
    let year = f.month.year();
    let window_start = window_start(f.month);
    let category = ev.person_variable(MEDICAL_CATEGORY)?;
    let medical = ev.run_medical()?;
    // The stays with a row (stay, person), then the rows made in a pass of their own:
    // the id columns are not in the cache, and a pass of reads independent of each other
    // fetches their lines together.
    let mut with_row: Vec<(u32, u32)> = Vec::new();
    let mut undecided = Vec::new();
    let mut category_unknown = category.as_ref().map(|c| Walk::new(c.mask_ref()));
    for p in with_stays(f) {
        let range = f.persons.stays[p].clone();
        let matters = range.clone().any(|s| {
            let d = f.stays.discharge_date[s as usize];
            d.year() == year || d >= window_start
        });
        let mask = category_unknown.as_mut().map_or(0, |w| w.bits(p));
        if matters && mask != 0 {
            undecided.push((p, mask));
            continue;
        }
        with_row.extend(
            range
                .filter(|&s| {
                    f.stays.discharge_date[s as usize].year() == year
                        && medical.payments[s as usize].is_some()
                })
                .map(|s| (s, p as u32)),
        );
    }
    // Within a person the frame's order is the chain's; between persons, by person id
    // (stable).
    with_row.sort_by(|a, b| f.persons.id[a.1 as usize].cmp(&f.persons.id[b.1 as usize]));
    let rows = with_row
        .iter()
        .filter_map(|&(s, p)| {
            let pay = medical.payments[s as usize]?;
            Some(MedicalRow {
                stay_id: f.stays.id[s as usize].clone(),
                person_id: f.persons.id[p as usize].clone(),
                basic_paid: Fen(pay.basic),
                critical_paid: Fen(pay.critical),
                assistance_paid: Fen(pay.assistance),
                local_fund_paid: Fen(pay.local_fund),
                self_paid: Fen(pay.self_paid),
            })
        })
        .collect();
    Ok((rows, undecided))
}
