//! Other departments' signals (`events.csv`), dated in the ~6 months ending with the
//! reference month so that monitoring finds some in the month itself.
//!
//! | kind | who | rate | amount |
//! |---|---|---|---|
//! | death | each deceased person | 90 % (10 % not yet reported) | none; date = deceased_on |
//! | unemployment_registered | unemployed persons | 35 % | none |
//! | disability_certified | disabled persons | 5 % (newly certified or re-issued) | none |
//! | income_change | employed / flexible persons | 1.5 % | the new monthly income (their current total) |
//! | disaster_loss | household | 0.8 % rural, 0.2 % urban (floods, landslides; 绵阳's mountain counties) | log-normal median 8 000 yuan, 500 – 200 000 |
//! | large_expense | household | 1 %, 2 % for poor and edge households | log-normal median 20 000 yuan, 2 000 – 300 000 |
//!
//! About 7 events per 100 households. 5 % of loss and expense events arrive without an
//! amount (monitoring then proposes the cap); 70 % carry a note.

use minsheng_model::{Employment, EventKind};

use crate::calendar::Calendar;
use crate::dist::{self, Rng};
use crate::household::{MAX_MEMBERS, Member};
use crate::income::Class;

/// Most events one household can get: ≤ 3 per person plus 2 household-level ones.
pub const MAX_EVENTS_PER_HOUSEHOLD: u64 = 3 * MAX_MEMBERS + 2;

/// A drafted event; `member` is `None` for household-level events. Money in fen.
#[derive(Clone, Copy, Debug)]
pub struct EventDraft {
    pub member: Option<usize>,
    pub kind: EventKind,
    pub day: i32,
    pub amount: Option<i64>,
    pub note: Option<&'static str>,
}

fn note(rng: &mut Rng, choices: &[&'static str]) -> Option<&'static str> {
    if dist::chance(rng, 0.7) {
        Some(choices[dist::between(rng, 0, choices.len() as i32 - 1) as usize])
    } else {
        None
    }
}

/// An amount, absent 5 % of the time for the kinds where monitoring proposes a default.
fn maybe(rng: &mut Rng, amount: i64) -> Option<i64> {
    if dist::chance(rng, 0.05) {
        None
    } else {
        Some(amount)
    }
}

/// Appends the household's events to `out`.
pub fn events(
    rng: &mut Rng,
    members: &[Member],
    class: Class,
    urban: bool,
    cal: &Calendar,
    out: &mut Vec<EventDraft>,
) {
    for (i, m) in members.iter().enumerate() {
        if let Some(day) = m.deceased_day {
            if dist::chance(rng, 0.9) {
                let note = note(rng, &["公安户籍注销", "医院死亡证明", "殡葬火化信息"]);
                out.push(EventDraft {
                    member: Some(i),
                    kind: EventKind::Death,
                    day,
                    amount: None,
                    note,
                });
            }
            continue;
        }
        if m.employment == Employment::Unemployed && dist::chance(rng, 0.35) {
            let day = cal.recent_day(rng).max(m.birth_day);
            let note = note(rng, &["人社部门失业登记", "公共就业服务机构登记"]);
            out.push(EventDraft {
                member: Some(i),
                kind: EventKind::UnemploymentRegistered,
                day,
                amount: None,
                note,
            });
        }
        if m.disability_grade > 0 && dist::chance(rng, 0.05) {
            let day = cal.recent_day(rng).max(m.birth_day);
            let note = note(rng, &["残联新办残疾人证", "残疾人证换发", "残疾等级调整"]);
            out.push(EventDraft {
                member: Some(i),
                kind: EventKind::DisabilityCertified,
                day,
                amount: None,
                note,
            });
        }
        if matches!(m.employment, Employment::Employed | Employment::Flexible)
            && dist::chance(rng, 0.015)
        {
            let day = cal.recent_day(rng).max(m.birth_day);
            let note = note(
                rng,
                &["社保缴费基数变化", "个税申报收入变化", "用工单位变更"],
            );
            out.push(EventDraft {
                member: Some(i),
                kind: EventKind::IncomeChange,
                day,
                amount: Some(m.income()),
                note,
            });
        }
    }
    if dist::chance(rng, if urban { 0.002 } else { 0.008 }) {
        let day = cal.recent_day(rng);
        let amount = dist::lognormal_fen(rng, 8000.0, 0.9).clamp(50_000, 20_000_000);
        let amount = maybe(rng, amount);
        let note = note(
            rng,
            &["暴雨洪涝受灾", "山体滑坡房屋受损", "地震房屋受损", "火灾"],
        );
        out.push(EventDraft {
            member: None,
            kind: EventKind::DisasterLoss,
            day,
            amount,
            note,
        });
    }
    let p_expense = if matches!(class, Class::Poor | Class::Edge) {
        0.02
    } else {
        0.01
    };
    if dist::chance(rng, p_expense) {
        let day = cal.recent_day(rng);
        let amount = dist::lognormal_fen(rng, 20_000.0, 0.8).clamp(200_000, 30_000_000);
        let amount = maybe(rng, amount);
        let note = note(
            rng,
            &["大额医疗支出", "子女大学学费", "丧葬支出", "住房修缮"],
        );
        out.push(EventDraft {
            member: None,
            kind: EventKind::LargeExpense,
            day,
            amount,
            note,
        });
    }
}
