//! Evaluations of small packs over a few households: operators whose fast paths the
//! reference pack does not reach, and amounts computed only where paid.

use crate::check::{Item, check};
use crate::eval::{EvalError, evaluate, evaluate_all};
use crate::frame::Frame;
use crate::frame::tests::{d, household, person};
use crate::pack::Pack;
use crate::params::Parameters;
use minsheng_model::{Employment, Fen, Registry};

/// A pack of `variables` (TOML) with no parameters, checked.
fn pack(variables: &str) -> (Pack, crate::check::Checked) {
    let mut pack = Pack {
        parameters: Parameters::parse("p.toml", "").unwrap(),
        ..Pack::default()
    };
    pack.add_variables("v.toml", variables).unwrap();
    let checked = check(&pack).unwrap_or_else(|e| panic!("{e:#?}"));
    (pack, checked)
}

/// A variable's table in a policy file.
fn var(id: &str, entity: &str, ty: &str, formula: &str) -> String {
    format!(
        "[{id}]\nentity = \"{entity}\"\ntype = \"{ty}\"\nlabel = \"x\"\nformula = \"{formula}\"\n"
    )
}

/// A program paying 1 000 yuan divided by the savings to households with savings:
/// the division fails only where nobody is paid.
#[test]
fn amounts_are_computed_where_they_are_paid() {
    let program = r#"
[program.help]
entity = "household"
label = "x"
eligible = "savings > 0"
amount = "share"
"#;
    let (pack, checked) = pack(&(var("share", "household", "money", "1000 / savings") + program));
    let (mut h1, mut h2) = (household("H1"), household("H2"));
    h1.savings = Some(Fen(0));
    h2.savings = Some(Fen(25_000));
    let reg = Registry {
        households: vec![h1, h2],
        ..Registry::default()
    };
    let frame = Frame::build(&reg, d("2024-06-01")).unwrap();
    let out = evaluate(&pack, &checked, &frame).unwrap();
    assert_eq!(out.results.len(), 1);
    assert_eq!(out.results[0].household_id.as_str(), "H2");
    assert_eq!(out.results[0].monthly_amount, Fen(400));
    assert_eq!(out.all.len(), 2, "H1 decided, not eligible");
    // Keeping every column computes the share of H1 too, where it cannot be.
    assert!(matches!(
        evaluate_all(&pack, &checked, &frame),
        Err(EvalError::Arithmetic { .. })
    ));
}

/// Membership in constant ranges and lists (one pass) and in computed ones (the general
/// way) gives the same answers, negated or not, unknown where the value is.
#[test]
fn membership_tests_agree_on_constant_and_computed_sets() {
    let formulas = [
        ("range", "disability_grade in 1..2"),
        ("range_computed", "disability_grade in 1..(age - age + 2)"),
        ("not_range", "disability_grade not in 1..2"),
        ("list", "employment in ['employed', 'flexible']"),
        ("not_list", "employment not in ['employed', 'flexible']"),
        ("five", "disability_grade in [0, 1, 2, 3, 4]"),
        ("list_computed", "disability_grade in [1, age - age + 2]"),
        (
            "not_list_computed",
            "disability_grade not in [1, age - age + 2]",
        ),
    ];
    let text: String = formulas
        .iter()
        .map(|(id, f)| var(id, "person", "bool", f))
        .collect();
    let (pack, checked) = pack(&text);
    let mut persons = Vec::new();
    for (k, (grade, employment)) in [
        (Some(0), Some(Employment::Employed)),
        (Some(1), Some(Employment::Flexible)),
        (Some(2), Some(Employment::Retired)),
        (Some(3), None),
        (None, Some(Employment::Unemployed)),
    ]
    .into_iter()
    .enumerate()
    {
        let mut p = person(&format!("P{k}"), "H1", "1980-01-01", None);
        p.disability_grade = grade;
        p.employment = employment;
        p.relation = if k == 0 {
            minsheng_model::Relation::Head
        } else {
            minsheng_model::Relation::Child
        };
        persons.push(p);
    }
    let reg = Registry {
        households: vec![household("H1")],
        persons,
        ..Registry::default()
    };
    let frame = Frame::build(&reg, d("2024-06-01")).unwrap();
    let ev = evaluate_all(&pack, &checked, &frame).unwrap();
    // Each person's value: Some(true/false), None where unknown.
    let column = |id: &str| {
        let k = pack.variables.iter().position(|v| v.id == id).unwrap();
        let c = &ev.values[&Item::Variable(k)];
        (0..c.len())
            .map(|u| (c.m[u] == 0).then_some(c.v[u] == 1))
            .collect::<Vec<_>>()
    };
    let (t, f) = (Some(true), Some(false));
    let grade_1_2 = vec![f, t, t, f, None];
    assert_eq!(column("range"), grade_1_2);
    assert_eq!(column("range_computed"), grade_1_2);
    assert_eq!(column("list_computed"), grade_1_2);
    assert_eq!(column("not_range"), vec![t, f, f, t, None]);
    assert_eq!(column("not_list_computed"), vec![t, f, f, t, None]);
    assert_eq!(column("five"), vec![t, t, t, t, None]);
    assert_eq!(column("list"), vec![t, t, f, None, f]);
    assert_eq!(column("not_list"), vec![f, f, t, None, t]);
}

/// Household-only parts of person formulas are computed per household and spread to the
/// members; a household whose only member died before the month has nobody to read
/// them, so its division by a size of 0 is no error.
#[test]
fn household_parts_of_person_formulas_spread_to_members() {
    let (pack, checked) = pack(
        &[
            var("hh_total", "household", "money", "sum(members, wage_income)"),
            var("hh_size", "household", "number", "count(members)"),
            var("per_capita", "person", "money", "household.hh_total / household.hh_size"),
            var(
                "poor_adult",
                "person",
                "bool",
                "household.hh_total / household.hh_size < 300 and age >= 18 and household.hh_size > 1",
            ),
        ]
        .concat(),
    );
    let mut persons = Vec::new();
    for (id, hh, birth, wage, died) in [
        ("P1", "H1", "1980-01-01", Some(50_000), None),
        ("P2", "H1", "2010-01-01", None, None),
        ("P3", "H2", "1950-01-01", Some(0), Some("2024-01-05")),
        ("P4", "H3", "1970-01-01", Some(10_000), None),
        ("P5", "H3", "1975-01-01", Some(20_000), None),
    ] {
        let mut p = person(id, hh, birth, died);
        p.wage_income = wage.map(Fen);
        p.relation = if matches!(id, "P1" | "P3" | "P4") {
            minsheng_model::Relation::Head
        } else {
            minsheng_model::Relation::Spouse
        };
        persons.push(p);
    }
    let reg = Registry {
        households: vec![household("H1"), household("H2"), household("H3")],
        persons,
        ..Registry::default()
    };
    let frame = Frame::build(&reg, d("2024-06-01")).unwrap();
    assert_eq!(
        frame.households.members[1],
        2..2,
        "H2 has no member in June"
    );
    let ev = evaluate_all(&pack, &checked, &frame).unwrap();
    let column = |id: &str| {
        let k = pack.variables.iter().position(|v| v.id == id).unwrap();
        let c = &ev.values[&Item::Variable(k)];
        (0..c.len())
            .map(|u| (c.m[u] == 0).then_some(c.v[u]))
            .collect::<Vec<_>>()
    };
    let yuan = |y: i64| Some(y * crate::fixed::Fixed::ONE.0);
    // P2's wage is unknown: H1's total, and all that reads it, is unknown.
    assert_eq!(column("per_capita"), vec![None, None, yuan(150), yuan(150)]);
    // P1 is an adult of unknown means; P2 a child, whatever the means (Kleene's `and`);
    // P4 and P5 are adults of a household of two with 150 a head: poor adults.
    assert_eq!(column("poor_adult"), vec![None, Some(0), Some(1), Some(1)]);
    assert_eq!(
        evaluate(&pack, &checked, &frame).unwrap().undecided.len(),
        0
    );
}
