//! The medical chain — 三重保障 plus the 涪城区 top-up (per hospital stay): reference
//! "Medical chain", clarifications 2, 4 and 5.
//!
//! Per person, the stays discharged up to the last day of M are taken in (discharge date,
//! stay_id) order — stay_id compared as strings, byte order, so "S10" < "S9"
//! (clarification 5) — and grouped by calendar year of discharge; every "annual" amount
//! accumulates within its year. Only two years matter in M: M's own year (medical.csv) and
//! the previous one, whose stays inside the 12-month window of M feed `E` of
//! expenditure_hardship. A previous-year stay goes through the chain of *its* year — all
//! that year's stays of the person, also those before the window, count towards its
//! annual accumulations — with the person's category in M and M's parameters
//! (clarification 4). Older stays and stays discharged after M are ignored.
//!
//! Every payment is rounded half-up to the fen at the step that computes it; `self_paid`
//! is the remainder, so the five columns add up to total_cost exactly.
//!
//! Interpretation: the previous year's chain is run over *all* that year's stays of the
//! person (its annual totals start on 1 January), and only the stays inside the window
//! count in `E`; "dibao" in the category includes dibao_single (the rule says so), and the
//! needy terms of critical illness (halved threshold, +5 points, no cap) apply to the
//! categories tekun and dibao, i.e. also to a dibao_single person.
//!
//! Columns read: none of the stay (its columns are required); the person's category reads
//! everything the tekun, dibao, dibao_single and dibao_edge decisions read, and the top-up
//! reads the household's `area`. A person whose category is unknown has all their stays
//! unknown (the oracle reports the person as undecided for "medical").

use crate::exact::{Q, Rate};
use crate::params;
use crate::tri::{Val, and};
use crate::{MedicalRow, Month};
use chrono::Datelike;
use minsheng_model::{Fen, HospitalLevel, HospitalStay};

/// A person's category for the chain: "its status in month M: tekun, else dibao (member of
/// a dibao household or dibao_single), else edge (member of a dibao_edge household), else
/// none."
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Category {
    Tekun,
    Dibao,
    Edge,
    NoStatus,
}

impl Category {
    /// Kleene-style choice: each "else" is an `if` on a status, strict in that status.
    pub fn of(tekun: &Val<bool>, dibao: &Val<bool>, edge: &Val<bool>) -> Val<Category> {
        if tekun.clone()? {
            return Ok(Category::Tekun);
        }
        if dibao.clone()? {
            return Ok(Category::Dibao);
        }
        Ok(if edge.clone()? {
            Category::Edge
        } else {
            Category::NoStatus
        })
    }

    /// Halved critical-illness threshold, +5 points and no cap: "for dibao and tekun members".
    fn needy(self) -> bool {
        matches!(self, Category::Tekun | Category::Dibao)
    }

    /// Medical assistance rate and annual deductible; `None` for persons without status.
    fn assistance(self) -> Option<(Rate, Fen)> {
        match self {
            Category::Tekun => Some((
                params::MED_ASSIST_RATE_TEKUN,
                params::MED_ASSIST_DEDUCTIBLE_TEKUN,
            )),
            Category::Dibao => Some((
                params::MED_ASSIST_RATE_DIBAO,
                params::MED_ASSIST_DEDUCTIBLE_DIBAO,
            )),
            Category::Edge => Some((
                params::MED_ASSIST_RATE_EDGE,
                params::MED_ASSIST_DEDUCTIBLE_EDGE,
            )),
            Category::NoStatus => None,
        }
    }
}

/// One stay after the chain.
pub struct Settled<'a> {
    pub stay: &'a HospitalStay,
    pub row: MedicalRow,
}

/// What one person has paid so far in one calendar year.
#[derive(Default)]
struct YearTotals {
    basic_paid: Fen,
    /// `S`: policy-range self-pay after basic insurance.
    s: Fen,
    critical_paid: Fen,
    /// `R`: policy-range remainder after basic and critical.
    r: Fen,
    assistance_paid: Fen,
}

/// Settles the stays of one person that matter in M: those of M's year discharged up to
/// the last day of M, and those of the previous year, in chain order. `topup_household`
/// says whether the person's household qualifies for the district top-up (urban and in
/// 涪城区). Returns no stays (and needs no category) when the person has none in M's year
/// up to M and none in the 12-month window.
pub fn settle_person<'a>(
    stays: &[&'a HospitalStay],
    category: &Val<Category>,
    topup_household: &Val<bool>,
    month: &Month,
) -> Val<Vec<Settled<'a>>> {
    let mut in_scope: Vec<&HospitalStay> = stays
        .iter()
        .copied()
        .filter(|s| s.discharge_date <= month.last && s.discharge_date.year() >= month.year - 1)
        .collect();
    let matters = in_scope
        .iter()
        .any(|s| s.discharge_date.year() == month.year || month.in_window(s.discharge_date));
    if !matters {
        return Ok(Vec::new());
    }
    let category = category.clone()?;
    // Chain order: discharge date, then stay_id as bytes (clarification 5). Years are
    // settled one after the other, each with fresh annual totals.
    in_scope.sort_by(|a, b| {
        (a.discharge_date, a.stay_id.as_bytes()).cmp(&(b.discharge_date, b.stay_id.as_bytes()))
    });
    let mut out = Vec::with_capacity(in_scope.len());
    let mut totals = YearTotals::default();
    let mut year = None;
    for stay in in_scope {
        let y = stay.discharge_date.year();
        if year != Some(y) {
            year = Some(y);
            totals = YearTotals::default();
        }
        // District top-up ([src] 涪城区): tekun/dibao/edge persons of an urban household in
        // 510703, at a stay with in_district = true.
        let topup = and([
            Ok(category.assistance().is_some()),
            topup_household.clone(),
            Ok(stay.in_district),
        ])?;
        let row = settle(stay, category, topup, &mut totals);
        out.push(Settled { stay, row });
    }
    Ok(out)
}

/// Whether a household gets the district top-up for its tekun/dibao/edge members: urban,
/// with a region_code starting with 510703. Only `area` can be unknown.
pub fn topup_household(area_urban: Val<bool>, county6: u32) -> Val<bool> {
    and([area_urban, Ok(county6 == params::FUCHENG_COUNTY)])
}

fn basic_terms(level: HospitalLevel) -> (Fen, Rate) {
    match level {
        HospitalLevel::L1 => (params::MED_BASIC_DEDUCTIBLE_L1, params::MED_BASIC_RATE_L1),
        HospitalLevel::L2 => (params::MED_BASIC_DEDUCTIBLE_L2, params::MED_BASIC_RATE_L2),
        HospitalLevel::L3 => (params::MED_BASIC_DEDUCTIBLE_L3, params::MED_BASIC_RATE_L3),
    }
}

/// `max(0, after − T) − max(0, before − T)`: the part of this stay's amount that lies above
/// the annual threshold `T`, given the year's total before and after it.
fn part_above(before: Fen, after: Fen, threshold: Q) -> Q {
    (Q::fen(after) - threshold).max(Q::ZERO) - (Q::fen(before) - threshold).max(Q::ZERO)
}

/// The chain for one stay, updating the person's totals of the stay's year.
fn settle(stay: &HospitalStay, category: Category, topup: bool, t: &mut YearTotals) -> MedicalRow {
    let covered = stay.covered_cost;
    let total = stay.total_cost;

    // 1. basic = min(max(0, covered − deductible) × rate, annual_cap − basic paid earlier).
    let (deductible, rate) = basic_terms(stay.hospital_level);
    let basic = (Q::fen(covered) - Q::fen(deductible))
        .max(Q::ZERO)
        .times(rate)
        .min(Q::fen(params::MED_BASIC_ANNUAL_CAP - t.basic_paid))
        .round_half_up_fen();
    t.basic_paid += basic;

    // 2. critical: s = covered − basic accumulates as S; the part above T times the rate,
    //    within the cap left. Needy (tekun, dibao): T × 50 %, rate + 5 points, no cap.
    let s = covered - basic;
    let (s_before, s_after) = (t.s, t.s + s);
    t.s = s_after;
    let threshold = Q::fen(params::MED_CRITICAL_THRESHOLD);
    let critical = if category.needy() {
        let a = part_above(
            s_before,
            s_after,
            threshold.times(params::MED_CRITICAL_NEEDY_THRESHOLD_FACTOR),
        );
        a.times(params::MED_CRITICAL_RATE.plus(params::MED_CRITICAL_NEEDY_RATE_BONUS))
            .round_half_up_fen()
    } else {
        let a = part_above(s_before, s_after, threshold);
        a.times(params::MED_CRITICAL_RATE)
            .min(Q::fen(params::MED_CRITICAL_ANNUAL_CAP - t.critical_paid))
            .round_half_up_fen()
    };
    t.critical_paid += critical;

    // 3. assistance (tekun, dibao, edge): r = covered − basic − critical accumulates as R;
    //    the part above the category's annual deductible D times its rate, within
    //    50 000 − assistance paid earlier this year.
    let assistance = match category.assistance() {
        None => Fen::ZERO,
        Some((rate, deductible)) => {
            let r = covered - basic - critical;
            let (r_before, r_after) = (t.r, t.r + r);
            t.r = r_after;
            part_above(r_before, r_after, Q::fen(deductible))
                .times(rate)
                .min(Q::fen(params::MED_ASSIST_ANNUAL_CAP - t.assistance_paid))
                .round_half_up_fen()
        }
    };
    t.assistance_paid += assistance;

    // 4. District top-up: after = total − basic − critical − assistance;
    //    local_fund = round_half_up_to_fen(max(0, after − 10 % × total)) — the payment is
    //    rounded, not the 10 % cap (clarification 2).
    let local_fund = if topup {
        let after = total - basic - critical - assistance;
        (Q::fen(after) - Q::fen(total).times(params::FUCHENG_SELF_PAY_CAP_RATE))
            .max(Q::ZERO)
            .round_half_up_fen()
    } else {
        Fen::ZERO
    };

    // 5. self_paid is the exact remainder.
    let self_paid = total - basic - critical - assistance - local_fund;
    MedicalRow {
        stay_id: stay.stay_id.clone(),
        person_id: stay.person_id.clone(),
        basic_paid: basic,
        critical_paid: critical,
        assistance_paid: assistance,
        local_fund_paid: local_fund,
        self_paid,
    }
}
