//! The medical chain — 三重保障 plus the district top-up — as a bounded built-in.
//!
//! The chain is sequential (per person, per calendar year, in discharge order, with
//! annual accumulations), which a columnar formula language expresses badly; so it is
//! one function here, with every rate, deductible and cap a parameter of the pack.
//! reference-rules.md, "Medical chain":
//!
//! 1. basic insurance: `min(max(0, covered − deductible(level)) × rate(level), cap left)`;
//! 2. critical illness on the year's accumulated policy-range self-pay `S` above the
//!    threshold T (halved, +5 points and no cap for tekun and dibao);
//! 3. medical assistance (tekun, dibao, edge) on the accumulated remainder `R` above the
//!    category's annual deductible, up to the annual cap;
//! 4. the district top-up where its parameter has a value (涪城区: 510703), for urban
//!    tekun/dibao/edge persons at an in-district stay: what is left above 10 % of the
//!    stay's total;
//! 5. self-pay is the remainder, so the five always add up to the total exactly.
//!
//! Every payment is rounded half-up to the fen at the step that computes it.

use crate::decimal::Decimal;
use crate::params::{Parameter, Parameters};
use minsheng_model::{Date, RegionCode};

/// A person's standing for the chain in the evaluated month.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Category {
    None,
    Tekun,
    Dibao,
    Edge,
}

impl Category {
    /// Tekun and dibao members get the halved threshold, the higher rate and no cap.
    fn needy(self) -> bool {
        matches!(self, Category::Tekun | Category::Dibao)
    }
}

/// The chain's parameters, resolved for one month and region. Money in fen.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ChainParams {
    /// By hospital level 1, 2, 3.
    pub basic_deductible: [i64; 3],
    pub basic_rate: [Decimal; 3],
    pub basic_annual_cap: i64,
    pub critical_threshold: i64,
    pub critical_rate: Decimal,
    pub critical_annual_cap: i64,
    pub needy_threshold_factor: Decimal,
    pub needy_rate_bonus: Decimal,
    /// By category tekun, dibao, edge.
    pub assist_rate: [Decimal; 3],
    pub assist_deductible: [i64; 3],
    pub assist_annual_cap: i64,
    /// The district's self-pay cap rate, where the district has one.
    pub local_self_pay_cap_rate: Option<Decimal>,
}

/// The parameter ids the chain reads (reference-rules.md's names); a pack that uses the
/// chain must define them. `fucheng.self_pay_cap_rate` may lack a value for a region: the
/// district top-up then does not apply there.
pub const PARAMETER_IDS: [&str; 19] = [
    "med.basic.deductible.l1",
    "med.basic.deductible.l2",
    "med.basic.deductible.l3",
    "med.basic.rate.l1",
    "med.basic.rate.l2",
    "med.basic.rate.l3",
    "med.basic.annual_cap",
    "med.critical.threshold",
    "med.critical.rate",
    "med.critical.annual_cap",
    "med.critical.needy_threshold_factor",
    "med.critical.needy_rate_bonus",
    "med.assist.rate.tekun",
    "med.assist.rate.dibao",
    "med.assist.rate.edge",
    "med.assist.deductible.tekun",
    "med.assist.deductible.dibao",
    "med.assist.deductible.edge",
    "med.assist.annual_cap",
];

/// The optional parameter of the district top-up.
pub const LOCAL_RATE_ID: &str = "fucheng.self_pay_cap_rate";

/// A parameter the chain needs has no value (or a money value is not whole fen).
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error(
    "医疗救助链所需参数 {id} 在 {region} 于 {month} 没有可用的取值 / parameter {id} has no usable value"
)]
pub struct MissingParameter {
    pub id: &'static str,
    pub region: String,
    pub month: String,
}

impl ChainParams {
    /// Resolves the chain's parameters for a unit in `region` in the month starting `month`.
    pub fn resolve(
        p: &Parameters,
        month: Date,
        region: RegionCode,
    ) -> Result<ChainParams, MissingParameter> {
        ChainParameters::of(p).resolve(month, region)
    }
}

/// The chain's parameters of a pack, found by name once: an evaluation resolves them for
/// each of a district's thousands of villages.
pub struct ChainParameters<'a> {
    params: [Option<&'a Parameter>; 19],
    local: Option<&'a Parameter>,
}

impl<'a> ChainParameters<'a> {
    pub fn of(p: &'a Parameters) -> Self {
        ChainParameters {
            params: PARAMETER_IDS.map(|id| p.get(id)),
            local: p.get(LOCAL_RATE_ID),
        }
    }

    /// The chain's parameters for a unit in `region` in the month starting `month`.
    pub fn resolve(
        &self,
        month: Date,
        region: RegionCode,
    ) -> Result<ChainParams, MissingParameter> {
        let missing = |k: usize| MissingParameter {
            id: PARAMETER_IDS[k],
            region: region.to_string(),
            month: month.to_string(),
        };
        let rate = |k: usize| {
            self.params[k]
                .and_then(|p| p.resolve(month, region))
                .map(|r| r.value)
                .ok_or_else(|| missing(k))
        };
        let fen = |k: usize| rate(k)?.to_fen().ok_or_else(|| missing(k));
        // Each parameter's place in `PARAMETER_IDS`.
        let [
            d1,
            d2,
            d3,
            r1,
            r2,
            r3,
            bcap,
            thr,
            crate_,
            ccap,
            nf,
            nb,
            at,
            ad,
            ae,
            dt,
            dd,
            de,
            acap,
        ]: [usize; 19] = std::array::from_fn(|k| k);
        Ok(ChainParams {
            basic_deductible: [fen(d1)?, fen(d2)?, fen(d3)?],
            basic_rate: [rate(r1)?, rate(r2)?, rate(r3)?],
            basic_annual_cap: fen(bcap)?,
            critical_threshold: fen(thr)?,
            critical_rate: rate(crate_)?,
            critical_annual_cap: fen(ccap)?,
            needy_threshold_factor: rate(nf)?,
            needy_rate_bonus: rate(nb)?,
            assist_rate: [rate(at)?, rate(ad)?, rate(ae)?],
            assist_deductible: [fen(dt)?, fen(dd)?, fen(de)?],
            assist_annual_cap: fen(acap)?,
            local_self_pay_cap_rate: self
                .local
                .and_then(|p| p.resolve(month, region))
                .map(|r| r.value),
        })
    }
}

/// One stay as the chain reads it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ChainStay {
    /// 1, 2 or 3.
    pub level: u8,
    pub in_district: bool,
    pub total: i64,
    pub covered: i64,
}

/// Who pays what for one stay, in fen; the five add up to the stay's total.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Payment {
    pub basic: i64,
    pub critical: i64,
    pub assistance: i64,
    pub local_fund: i64,
    pub self_paid: i64,
}

/// `fen × rate`, rounded half-up to the fen (amounts here are never negative).
pub fn times(fen: i64, rate: Decimal) -> i64 {
    /// The quotient rounded half-up, `DEN` a constant (a multiplication, not a division).
    fn by<const DEN: i64>(num: i64) -> i64 {
        let (q, r) = (num.div_euclid(DEN), num.rem_euclid(DEN));
        if r * 2 >= DEN { q + 1 } else { q }
    }
    // The rules' rates have a few decimals and the amounts are far from the limits: the
    // product fits in 64 bits and the power of ten is one of five constants.
    if let Some(num) = i64::try_from(rate.mantissa())
        .ok()
        .and_then(|m| fen.checked_mul(m))
    {
        match rate.scale() {
            0 => return num,
            1 => return by::<10>(num),
            2 => return by::<100>(num),
            3 => return by::<1_000>(num),
            4 => return by::<10_000>(num),
            _ => {}
        }
    }
    times_wide(fen, rate)
}

/// [`times`] in 128 bits, for any rate.
fn times_wide(fen: i64, rate: Decimal) -> i64 {
    let num = i128::from(fen) * rate.mantissa();
    let den = 10i128.pow(rate.scale());
    let q = num.div_euclid(den);
    let r = num.rem_euclid(den);
    let rounded = if r * 2 >= den { q + 1 } else { q };
    i64::try_from(rounded).unwrap_or(i64::MAX)
}

/// The part of an accumulation from `before` to `after` that lies above `threshold`.
fn above(before: i64, after: i64, threshold: i64) -> i64 {
    (after - threshold).max(0) - (before - threshold).max(0)
}

/// Runs the chain over one person's stays of one calendar year, in discharge order.
/// `urban` is whether the person's household is urban (for the district top-up).
pub fn chain(
    stays: &[ChainStay],
    category: Category,
    urban: bool,
    p: &ChainParams,
) -> Vec<Payment> {
    let mut out = Vec::with_capacity(stays.len());
    chain_into(stays, category, urban, p, &mut out);
    out
}

/// [`chain`], appending the payments to `out` (a population's chains reuse one buffer).
pub fn chain_into(
    stays: &[ChainStay],
    category: Category,
    urban: bool,
    p: &ChainParams,
    out: &mut Vec<Payment>,
) {
    let needy = category.needy();
    let assist = match category {
        Category::Tekun => Some(0),
        Category::Dibao => Some(1),
        Category::Edge => Some(2),
        Category::None => None,
    };
    let threshold = if needy {
        times(p.critical_threshold, p.needy_threshold_factor)
    } else {
        p.critical_threshold
    };
    let critical_rate = if needy {
        // Rates are exact decimals: 60% + 5 points = 65%.
        let scale = p.critical_rate.scale().max(p.needy_rate_bonus.scale());
        let widen = |d: Decimal| d.mantissa() * 10i128.pow(scale - d.scale());
        Decimal::new(widen(p.critical_rate) + widen(p.needy_rate_bonus), scale)
    } else {
        p.critical_rate
    };
    let (mut basic_paid, mut s_acc, mut critical_paid, mut r_acc, mut assist_paid) =
        (0i64, 0i64, 0i64, 0i64, 0i64);
    for st in stays {
        let lvl = usize::from(st.level.clamp(1, 3) - 1);
        let basic = times(
            (st.covered - p.basic_deductible[lvl]).max(0),
            p.basic_rate[lvl],
        )
        .min(p.basic_annual_cap - basic_paid)
        .max(0);
        basic_paid += basic;

        let s = st.covered - basic;
        let part = above(s_acc, s_acc + s, threshold);
        s_acc += s;
        let mut critical = times(part, critical_rate);
        if !needy {
            critical = critical.min(p.critical_annual_cap - critical_paid).max(0);
        }
        critical_paid += critical;

        let assistance = match assist {
            None => 0,
            Some(c) => {
                let r = st.covered - basic - critical;
                let part = above(r_acc, r_acc + r, p.assist_deductible[c]);
                r_acc += r;
                times(part, p.assist_rate[c])
                    .min(p.assist_annual_cap - assist_paid)
                    .max(0)
            }
        };
        assist_paid += assistance;

        let local_fund = match (assist, p.local_self_pay_cap_rate) {
            (Some(_), Some(rate)) if urban && st.in_district => {
                let after = st.total - basic - critical - assistance;
                // The 10 % cap stays exact; only the payment is rounded (clarification 2).
                let cap_num = i128::from(st.total) * rate.mantissa();
                let den = 10i128.pow(rate.scale());
                let excess_num = (i128::from(after) * den - cap_num).max(0);
                let q = excess_num / den;
                let rem = excess_num % den;
                i64::try_from(if rem * 2 >= den { q + 1 } else { q }).unwrap_or(0)
            }
            _ => 0,
        };
        let self_paid = st.total - basic - critical - assistance - local_fund;
        out.push(Payment {
            basic,
            critical,
            assistance,
            local_fund,
            self_paid,
        });
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn dec(s: &str) -> Decimal {
        Decimal::parse(s).unwrap()
    }

    /// The reference pack's values (reference-rules.md, Parameters).
    pub(crate) fn reference(fucheng: bool) -> ChainParams {
        ChainParams {
            basic_deductible: [20_000, 50_000, 80_000],
            basic_rate: [dec("90%"), dec("80%"), dec("60%")],
            basic_annual_cap: 20_000_000,
            critical_threshold: 1_500_000,
            critical_rate: dec("60%"),
            critical_annual_cap: 30_000_000,
            needy_threshold_factor: dec("50%"),
            needy_rate_bonus: dec("5%"),
            assist_rate: [dec("100%"), dec("70%"), dec("60%")],
            assist_deductible: [0, 0, 300_000],
            assist_annual_cap: 5_000_000,
            local_self_pay_cap_rate: fucheng.then(|| dec("10%")),
        }
    }

    const EXAMPLE_STAY: ChainStay = ChainStay {
        level: 3,
        in_district: true,
        total: 5_000_000,
        covered: 4_000_000,
    };

    #[test]
    fn the_shipped_pack_gives_the_reference_values() {
        let path = concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/../../policies/mianyang/parameters.toml"
        );
        let p =
            Parameters::parse("parameters.toml", &std::fs::read_to_string(path).unwrap()).unwrap();
        let month = minsheng_model::date::parse_iso("2024-06-01").unwrap();
        let code = |s: &str| RegionCode::parse(s).unwrap();
        assert_eq!(
            ChainParams::resolve(&p, month, code("510703001003")),
            Ok(reference(true))
        );
        assert_eq!(
            ChainParams::resolve(&p, month, code("510722101201")),
            Ok(reference(false))
        );
        let e =
            ChainParams::resolve(&Parameters::default(), month, code("510703001003")).unwrap_err();
        assert_eq!(e.id, "med.basic.deductible.l1");
    }

    #[test]
    fn worked_example_5_dibao_member_in_fucheng() {
        let pay = chain(&[EXAMPLE_STAY], Category::Dibao, true, &reference(true));
        assert_eq!(
            pay,
            vec![Payment {
                basic: 2_352_000,
                critical: 583_700,
                assistance: 745_010,
                local_fund: 819_290,
                self_paid: 500_000
            }]
        );
    }

    #[test]
    fn worked_example_6_no_status() {
        let pay = chain(&[EXAMPLE_STAY], Category::None, true, &reference(true));
        assert_eq!(
            pay,
            vec![Payment {
                basic: 2_352_000,
                critical: 88_800,
                assistance: 0,
                local_fund: 0,
                self_paid: 2_559_200
            }]
        );
    }

    #[test]
    fn no_top_up_outside_the_district_or_for_rural_households_or_out_of_district_stays() {
        let outside = chain(&[EXAMPLE_STAY], Category::Dibao, true, &reference(false));
        let rural = chain(&[EXAMPLE_STAY], Category::Dibao, false, &reference(true));
        let elsewhere = chain(
            &[ChainStay {
                in_district: false,
                ..EXAMPLE_STAY
            }],
            Category::Dibao,
            true,
            &reference(true),
        );
        for pay in [outside, rural, elsewhere] {
            assert_eq!(
                (pay[0].local_fund, pay[0].self_paid),
                (0, 819_290 + 500_000)
            );
        }
    }

    #[test]
    fn the_basic_cap_is_crossed_mid_year() {
        let big = ChainStay {
            level: 1,
            in_district: false,
            total: 20_000_000,
            covered: 15_000_000,
        };
        let pay = chain(&[big, big], Category::None, false, &reference(false));
        // (150 000 − 200) × 90% = 134 820; the second stay gets only what is left of 200 000.
        assert_eq!(pay[0].basic, 13_482_000);
        assert_eq!(pay[1].basic, 20_000_000 - 13_482_000);
    }

    proptest! {
        #[test]
        fn the_five_columns_add_up_to_the_total(
            stays in prop::collection::vec((1u8..=3, any::<bool>(), 0i64..50_000_000, 0u32..=100), 1..6),
            cat in prop::sample::select(vec![Category::None, Category::Tekun, Category::Dibao, Category::Edge]),
            urban: bool, fucheng: bool,
        ) {
            let stays: Vec<ChainStay> = stays.into_iter()
                .map(|(level, in_district, total, pct)| ChainStay { level, in_district, total, covered: total * i64::from(pct) / 100 })
                .collect();
            let pay = chain(&stays, cat, urban, &reference(fucheng));
            for (s, p) in stays.iter().zip(&pay) {
                prop_assert_eq!(p.basic + p.critical + p.assistance + p.local_fund + p.self_paid, s.total);
                prop_assert!(p.basic >= 0 && p.critical >= 0 && p.assistance >= 0 && p.local_fund >= 0 && p.self_paid >= 0);
            }
        }

        #[test]
        fn times_in_64_bits_is_times_in_128(
            fen in -10_000_000_000i64..10_000_000_000, mantissa in -2_000_000i128..2_000_000, scale in 0u32..=6,
        ) {
            let rate = Decimal::new(mantissa, scale);
            prop_assert_eq!(times(fen, rate), times_wide(fen, rate));
        }
    }
}
