//! The formulas of the reference policy pack (shared/policy/reference-rules.md) as the
//! policy files will write them: each must parse to the tree the rule means.

use minsheng_policy_syntax::{BinaryOp, ExprKind, InSet, UnaryOp};

use crate::{at, bin, call, canon, index, name, num, p, sh, string, strip, unary};

/// counted_income(p) = max(0, wage + business + property + transfer − employment_cost).
#[test]
fn counted_income() {
    let text = "max(0, wage_income + business_income + property_income + transfer_income - employment_cost)";
    let sum = ["business_income", "property_income", "transfer_income"]
        .into_iter()
        .fold(name("wage_income"), |acc, term| {
            bin(BinaryOp::Add, acc, name(term))
        });
    assert_eq!(
        strip(&p(text)),
        call(
            "max",
            vec![num(0, 0), bin(BinaryOp::Sub, sum, name("employment_cost"))],
            vec![]
        )
    );
    assert_eq!(canon(text), text);
}

/// employment_cost(p), with clarification 1: the 20% product is rounded to the fen
/// before the `min`.
#[test]
fn employment_cost() {
    let text = "if employment in ['employed', 'flexible'] then min(round(wage_income * income.employment_cost_rate, 0.01), dibao.standard[area] * income.employment_cost_cap_rate) else 0";
    let condition = at(ExprKind::In {
        expr: Box::new(name("employment")),
        set: InSet::List(vec![string("employed"), string("flexible")]),
        negated: false,
    });
    let rounded = call(
        "round",
        vec![
            bin(
                BinaryOp::Mul,
                name("wage_income"),
                name("income.employment_cost_rate"),
            ),
            num(1, 2),
        ],
        vec![],
    );
    let cap = bin(
        BinaryOp::Mul,
        index(name("dibao.standard"), name("area")),
        name("income.employment_cost_cap_rate"),
    );
    assert_eq!(
        strip(&p(text)),
        at(ExprKind::If {
            branches: vec![(condition, call("min", vec![rounded, cap], vec![]))],
            otherwise: Box::new(num(0, 0)),
        })
    );
    assert_eq!(canon(text), text);
}

/// assets_ok(h) = savings ≤ 24 × standard × size ∧ houses ≤ 1 ∧ vehicles ≤ 0.
#[test]
fn assets_ok() {
    let text = "savings <= assets.savings_months * dibao.standard[area] * size and houses <= assets.max_houses and vehicles <= assets.max_vehicles";
    assert_eq!(
        sh(text),
        "(((savings <= ((assets.savings_months * dibao.standard[area]) * size)) \
         and (houses <= assets.max_houses)) and (vehicles <= assets.max_vehicles))"
    );
    assert_eq!(canon(text), text);
}

/// hh_income = Σ counted_income over members, tekun members excluded.
#[test]
fn household_income() {
    let text = "sum(members, counted_income, where: not tekun)";
    assert_eq!(
        strip(&p(text)),
        call(
            "sum",
            vec![name("members"), name("counted_income")],
            vec![("where", unary(UnaryOp::Not, name("tekun")))]
        )
    );
    assert_eq!(canon(text), text);
}

/// tekun amount = ceil_to_yuan(1.3 × standard) + care(self_care).
#[test]
fn tekun_amount() {
    let text = "ceil(tekun.basic_multiple * dibao.standard[area], 1) + tekun.care[self_care]";
    assert_eq!(
        strip(&p(text)),
        bin(
            BinaryOp::Add,
            call(
                "ceil",
                vec![
                    bin(
                        BinaryOp::Mul,
                        name("tekun.basic_multiple"),
                        index(name("dibao.standard"), name("area"))
                    ),
                    num(1, 0)
                ],
                vec![]
            ),
            index(name("tekun.care"), name("self_care"))
        )
    );
    assert_eq!(canon(text), text);
}

/// 高龄津贴: 80–89 → 50, 90–99 → 100, ≥ 100 → 300.
#[test]
fn elderly_allowance() {
    let text =
        "if age in 80..89 then 50 elif age in 90..99 then 100 elif age >= 100 then 300 else 0";
    let bracket = |lo, hi| {
        at(ExprKind::In {
            expr: Box::new(name("age")),
            set: InSet::Range {
                lo: Box::new(num(lo, 0)),
                hi: Box::new(num(hi, 0)),
            },
            negated: false,
        })
    };
    assert_eq!(
        strip(&p(text)),
        at(ExprKind::If {
            branches: vec![
                (bracket(80, 89), num(50, 0)),
                (bracket(90, 99), num(100, 0)),
                (bin(BinaryOp::Ge, name("age"), num(100, 0)), num(300, 0)),
            ],
            otherwise: Box::new(num(0, 0)),
        })
    );
    assert_eq!(canon(text), text);
    // The same rule, written with the pack's parameter ids.
    assert_eq!(
        sh(
            "if age in 80..89 then elderly.80_89 elif age in 90..99 then elderly.90_99 \
            elif age >= 100 then elderly.100_plus else 0"
        ),
        "(if (age in 80..89) then elderly.80_89 elif (age in 90..99) then elderly.90_99 \
         elif (age >= 100) then elderly.100_plus else 0)"
    );
}

/// The other rules of the pack, as a policy author would write them.
#[test]
fn the_rest_of_the_pack_parses() {
    for (text, shape) in [
        (
            // tekun: unable to work.
            "age >= 60 or age < 16 or disability_grade in 1..2 \
             or disability_grade == 3 and disability_kind in ['intellectual', 'mental']",
            "((((age >= 60) or (age < 16)) or (disability_grade in 1..2)) \
             or ((disability_grade == 3) and (disability_kind in ['intellectual', 'mental'])))",
        ),
        (
            // dibao increment: the larger applicable one.
            "if disability_grade in 1..2 or illness == 'severe' then dibao.increment.high * dibao.standard[area] \
             elif age >= 60 or age < 18 or disability_grade in 3..4 then dibao.increment.low * dibao.standard[area] \
             else 0",
            "(if ((disability_grade in 1..2) or (illness == 'severe')) \
             then (dibao.increment.high * dibao.standard[area]) \
             elif (((age >= 60) or (age < 18)) or (disability_grade in 3..4)) \
             then (dibao.increment.low * dibao.standard[area]) else 0)",
        ),
        (
            "round(dibao.standard[area] * size - hh_income + sum(members, increment, where: not tekun), 1)",
            "round((((dibao.standard[area] * size) - hh_income) \
             + sum(members, increment, where: (not tekun))), 1)",
        ),
        (
            "count(members, where: age >= 60)",
            "count(members, where: (age >= 60))",
        ),
        (
            "12 * hh_income - expenditure < 12 * dibao.standard[area] * size",
            "(((12 * hh_income) - expenditure) < ((12 * dibao.standard[area]) * size))",
        ),
        (
            "max(0, after - fucheng.self_pay_cap_rate * total_cost)",
            "max(0, (after - (fucheng.self_pay_cap_rate * total_cost)))",
        ),
        (
            "min(max(0, covered - med.basic.deductible[hospital_level]) * med.basic.rate[hospital_level], \
             med.basic.annual_cap - basic_paid_before)",
            "min((max(0, (covered - med.basic.deductible[hospital_level])) * med.basic.rate[hospital_level]), \
             (med.basic.annual_cap - basic_paid_before))",
        ),
        (
            "orphan and age < 18 and not tekun",
            "((orphan and (age < 18)) and (not tekun))",
        ),
    ] {
        assert_eq!(sh(text), shape, "{text}");
    }
}
