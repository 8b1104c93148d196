//! The parameters of the reference policy pack (reference-rules.md, "Parameters"), one
//! constant per row of its table, each named after the parameter id and carrying it in
//! its doc comment.
//!
//! The oracle evaluates only the reference pack, so these are constants rather than data:
//! a deployment that changes a value changes the engine's policy file, and its tests then
//! compare against their own expectations, not against this oracle. Thresholds that the
//! rules write into the formulas themselves (ages, grades, the county code of the district
//! top-up) are listed at the end, apart from the parameter table.

use crate::exact::Rate;
use minsheng_model::Fen;

// ---- Standards and income ----

/// `dibao.standard.urban`: 610 yuan/person/month [src] 城市低保标准.
pub const DIBAO_STANDARD_URBAN: Fen = Fen::yuan(610);
/// `dibao.standard.rural`: 410 yuan/person/month [src] 农村低保标准.
pub const DIBAO_STANDARD_RURAL: Fen = Fen::yuan(410);
/// `income.employment_cost_rate`: 20 % of wage_income (必要就业成本).
pub const EMPLOYMENT_COST_RATE: Rate = Rate::percent(20);
/// `income.employment_cost_cap_rate`: 50 % of the area's dibao standard, per worker.
pub const EMPLOYMENT_COST_CAP_RATE: Rate = Rate::percent(50);

// ---- Assets ----

/// `assets.savings_months`: 24 months of standard per member.
pub const ASSETS_SAVINGS_MONTHS: i64 = 24;
/// `assets.max_houses`: 1 (also dibao_edge's limit, clarification 8).
pub const ASSETS_MAX_HOUSES: i64 = 1;
/// `assets.max_vehicles`: 0 (also dibao_edge's limit, clarification 8).
pub const ASSETS_MAX_VEHICLES: i64 = 0;

// ---- dibao, edge, tekun, hardship ----

/// `dibao.increment.high`: 20 % of standard (disability grade 1–2 or severe illness).
pub const DIBAO_INCREMENT_HIGH: Rate = Rate::percent(20);
/// `dibao.increment.low`: 10 % of standard (age ≥ 60, age < 18, or grade 3–4).
pub const DIBAO_INCREMENT_LOW: Rate = Rate::percent(10);
/// `edge.income_multiple`: 1.5 × standard (低保边缘).
pub const EDGE_INCOME_MULTIPLE: Rate = Rate::new(3, 2);
/// `edge.savings_months`: 36 months of standard per member.
pub const EDGE_SAVINGS_MONTHS: i64 = 36;
/// `tekun.basic_multiple`: 1.3 × standard, rounded up to whole yuan.
pub const TEKUN_BASIC_MULTIPLE: Rate = Rate::new(13, 10);
/// `tekun.care.full`: 100 yuan/month.
pub const TEKUN_CARE_FULL: Fen = Fen::yuan(100);
/// `tekun.care.partial`: 400 yuan/month.
pub const TEKUN_CARE_PARTIAL: Fen = Fen::yuan(400);
/// `tekun.care.none`: 1000 yuan/month.
pub const TEKUN_CARE_NONE: Fen = Fen::yuan(1000);
/// `hardship.income_multiple`: 2 × standard (支出型困难家庭 income ceiling).
pub const HARDSHIP_INCOME_MULTIPLE: Rate = Rate::new(2, 1);

// ---- Person subsidies ----

/// `disability.living`: 100 yuan/month (困难残疾人生活补贴).
pub const DISABILITY_LIVING: Fen = Fen::yuan(100);
/// `disability.care.grade1`: 100 yuan/month (重度残疾人护理补贴).
pub const DISABILITY_CARE_GRADE1: Fen = Fen::yuan(100);
/// `disability.care.grade2`: 80 yuan/month.
pub const DISABILITY_CARE_GRADE2: Fen = Fen::yuan(80);
/// `elderly.80_89`: 50 yuan/month (高龄津贴).
pub const ELDERLY_80_89: Fen = Fen::yuan(50);
/// `elderly.90_99`: 100 yuan/month.
pub const ELDERLY_90_99: Fen = Fen::yuan(100);
/// `elderly.100_plus`: 300 yuan/month.
pub const ELDERLY_100_PLUS: Fen = Fen::yuan(300);
/// `orphan.monthly`: 1200 yuan/month (分散供养孤儿基本生活费).
pub const ORPHAN_MONTHLY: Fen = Fen::yuan(1200);

// ---- Medical chain ----

/// `med.basic.deductible.l1`: 200 yuan per stay (起付线).
pub const MED_BASIC_DEDUCTIBLE_L1: Fen = Fen::yuan(200);
/// `med.basic.deductible.l2`: 500 yuan per stay.
pub const MED_BASIC_DEDUCTIBLE_L2: Fen = Fen::yuan(500);
/// `med.basic.deductible.l3`: 800 yuan per stay.
pub const MED_BASIC_DEDUCTIBLE_L3: Fen = Fen::yuan(800);
/// `med.basic.rate.l1`: 90 %.
pub const MED_BASIC_RATE_L1: Rate = Rate::percent(90);
/// `med.basic.rate.l2`: 80 %.
pub const MED_BASIC_RATE_L2: Rate = Rate::percent(80);
/// `med.basic.rate.l3`: 60 %.
pub const MED_BASIC_RATE_L3: Rate = Rate::percent(60);
/// `med.basic.annual_cap`: 200 000 yuan per person per year.
pub const MED_BASIC_ANNUAL_CAP: Fen = Fen::yuan(200_000);
/// `med.critical.threshold`: 15 000 yuan per person per year.
pub const MED_CRITICAL_THRESHOLD: Fen = Fen::yuan(15_000);
/// `med.critical.rate`: 60 %.
pub const MED_CRITICAL_RATE: Rate = Rate::percent(60);
/// `med.critical.annual_cap`: 300 000 yuan (not applied to needy persons).
pub const MED_CRITICAL_ANNUAL_CAP: Fen = Fen::yuan(300_000);
/// `med.critical.needy_threshold_factor`: 50 % (起付线降低50%) for dibao and tekun members.
pub const MED_CRITICAL_NEEDY_THRESHOLD_FACTOR: Rate = Rate::percent(50);
/// `med.critical.needy_rate_bonus`: +5 percentage points for dibao and tekun members.
pub const MED_CRITICAL_NEEDY_RATE_BONUS: Rate = Rate::percent(5);
/// `med.assist.rate.tekun`: 100 %.
pub const MED_ASSIST_RATE_TEKUN: Rate = Rate::percent(100);
/// `med.assist.rate.dibao`: 70 %.
pub const MED_ASSIST_RATE_DIBAO: Rate = Rate::percent(70);
/// `med.assist.rate.edge`: 60 %.
pub const MED_ASSIST_RATE_EDGE: Rate = Rate::percent(60);
/// `med.assist.deductible.tekun`: 0 yuan per person per year.
pub const MED_ASSIST_DEDUCTIBLE_TEKUN: Fen = Fen::yuan(0);
/// `med.assist.deductible.dibao`: 0 yuan per person per year.
pub const MED_ASSIST_DEDUCTIBLE_DIBAO: Fen = Fen::yuan(0);
/// `med.assist.deductible.edge`: 3000 yuan per person per year.
pub const MED_ASSIST_DEDUCTIBLE_EDGE: Fen = Fen::yuan(3000);
/// `med.assist.annual_cap`: 50 000 yuan per person per year.
pub const MED_ASSIST_ANNUAL_CAP: Fen = Fen::yuan(50_000);
/// `fucheng.self_pay_cap_rate`: 10 % of the stay's total_cost [src] 涪城区.
pub const FUCHENG_SELF_PAY_CAP_RATE: Rate = Rate::percent(10);

// ---- Thresholds written into the formulas (not in the parameter table) ----

/// tekun "unable to work": age ≥ 60 …
pub const TEKUN_OLD_AGE: i32 = 60;
/// … or age < 16.
pub const TEKUN_YOUNG_AGE: i32 = 16;
/// dibao increment low: age ≥ 60 …
pub const INCREMENT_OLD_AGE: i32 = 60;
/// … or age < 18.
pub const INCREMENT_YOUNG_AGE: i32 = 18;
/// dibao_single: members aged ≥ 18.
pub const SINGLE_MIN_AGE: i32 = 18;
/// orphan_support: age < 18.
pub const ORPHAN_MAX_AGE: i32 = 18;
/// The county whose households get the district top-up: 涪城区.
pub const FUCHENG_COUNTY: u32 = 510_703;
