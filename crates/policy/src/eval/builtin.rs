//! The medical built-in: every person's stays through the chain of their year
//! ([`crate::medical::chain`]), with their `medical_category` in the month — for
//! `medical_self_paid_12m` (the 12-month self-pay that 支出型困难家庭 reads) and for
//! `medical.csv`.

use super::value::Col;
use super::{Eval, EvalError, MedicalRow, Undecided};
use crate::check::MEDICAL_CATEGORY;
use crate::medical::{Category, ChainParams, ChainStay, Payment, chain};
use chrono::{Datelike, Months};
use minsheng_model::{Area, Fen, HospitalLevel};
use std::collections::HashMap;

/// First day of the 12-month window ending with the month starting `month`.
fn window_start(month: minsheng_model::Date) -> minsheng_model::Date {
    month.checked_sub_months(Months::new(11)).unwrap_or(month)
}

/// The chain's result for every stay of the frame (same order), and each person's
/// 12-month self-pay.
pub(crate) struct Medical {
    payments: Vec<Option<Payment>>,
    self_paid_12m: Col,
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

    pub(crate) fn medical_self_paid_12m(&mut self) -> Result<Col, EvalError> {
        Ok(self.run_medical()?.self_paid_12m.clone())
    }

    fn compute_medical(&mut self) -> Result<Medical, EvalError> {
        let f = self.frame;
        let np = f.persons.id.len();
        let category = self
            .variable(MEDICAL_CATEGORY)
            .cloned()
            .unwrap_or_else(|| Col::constant(np, -1));
        let window_start = window_start(f.month);
        let mut params: HashMap<minsheng_model::RegionCode, ChainParams> = HashMap::new();
        let mut payments = vec![None; f.stays.id.len()];
        let mut e = Col {
            v: vec![0; np],
            m: vec![0; np],
        };
        for p in 0..np {
            let range = f.persons.stays[p].clone();
            if range.is_empty() {
                continue;
            }
            if category.m[p] != 0 {
                // Unknown category: the 12-month self-pay is unknown only if a stay falls
                // in the window; older stays do not count towards it.
                if range
                    .clone()
                    .any(|s| f.stays.discharge_date[s as usize] >= window_start)
                {
                    e.m[p] = category.m[p];
                }
                continue;
            }
            let cat = match self.codes.name(category.v[p]) {
                "tekun" => Category::Tekun,
                "dibao" => Category::Dibao,
                "edge" => Category::Edge,
                "none" => Category::None,
                other => {
                    return Err(EvalError::MedicalCategory {
                        value: other.to_owned(),
                    });
                }
            };
            let h = f.persons.household[p] as usize;
            let region = f.households.region[h];
            let cp = match params.entry(region) {
                std::collections::hash_map::Entry::Occupied(o) => o.into_mut(),
                std::collections::hash_map::Entry::Vacant(v) => v.insert(ChainParams::resolve(
                    &self.pack.parameters,
                    f.month,
                    region,
                )?),
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
                let stays: Vec<ChainStay> = (start..end)
                    .map(|s| ChainStay {
                        level: match f.stays.level[s] {
                            HospitalLevel::L1 => 1,
                            HospitalLevel::L2 => 2,
                            HospitalLevel::L3 => 3,
                        },
                        in_district: f.stays.in_district[s],
                        total: f.stays.total_cost[s],
                        covered: f.stays.covered_cost[s],
                    })
                    .collect();
                for (k, pay) in chain(&stays, cat, urban, cp).into_iter().enumerate() {
                    let s = start + k;
                    if f.stays.discharge_date[s] >= window_start {
                        e.v[p] += pay.self_paid * 1_000_000;
                    }
                    payments[s] = Some(pay);
                }
                start = end;
            }
        }
        Ok(Medical {
            payments,
            self_paid_12m: e,
        })
    }
}

/// `medical.csv` rows (M's year up to the end of M) and the persons whose chain cannot be
/// decided (a stay that matters, an unknown category).
pub(crate) fn medical_rows(
    ev: &mut Eval<'_>,
) -> Result<(Vec<MedicalRow>, Vec<Undecided>), EvalError> {
    let f = ev.frame;
    let year = f.month.year();
    let window_start = window_start(f.month);
    let category = ev.variable(MEDICAL_CATEGORY).cloned();
    let medical = ev.run_medical()?;
    let mut rows = Vec::new();
    let mut undecided = Vec::new();
    for p in 0..f.persons.id.len() {
        let range = f.persons.stays[p].clone();
        let matters = range.clone().any(|s| {
            let d = f.stays.discharge_date[s as usize];
            d.year() == year || d >= window_start
        });
        let mask = category.as_ref().map_or(0, |c| c.m[p]);
        if matters && mask != 0 {
            let h = f.persons.household[p] as usize;
            undecided.push(Undecided {
                household_id: f.households.id[h].to_string(),
                person_id: Some(f.persons.id[p].to_string()),
                program: "medical".into(),
                missing: super::missing(mask),
            });
            continue;
        }
        for s in range {
            let s = s as usize;
            if f.stays.discharge_date[s].year() != year {
                continue;
            }
            if let Some(pay) = medical.payments[s] {
                rows.push(MedicalRow {
                    stay_id: f.stays.id[s].to_string(),
                    person_id: f.persons.id[p].to_string(),
                    basic_paid: Fen(pay.basic),
                    critical_paid: Fen(pay.critical),
                    assistance_paid: Fen(pay.assistance),
                    local_fund_paid: Fen(pay.local_fund),
                    self_paid: Fen(pay.self_paid),
                });
            }
        }
    }
    // Within a person the frame's order is the chain's; between persons, by person id.
    rows.sort_by(|a, b| a.person_id.cmp(&b.person_id));
    Ok((rows, undecided))
}
