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

/// A program paying 1 000 yuan divided by the savings to households with savings:
/// the division fails only where nobody is paid.
#[test]
fn amounts_are_computed_where_they_are_paid() {
    let (pack, checked) = pack(
        r#"
[share]
entity = "household"
type = "money"
label = "x"
formula = "1000 / savings"

[program.help]
entity = "household"
label = "x"
eligible = "savings > 0"
amount = "share"
"#,
    );
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
    let var = |id: &str, formula: &str| {
        format!(
            "[{id}]\nentity = \"person\"\ntype = \"bool\"\nlabel = \"x\"\nformula = \"{formula}\"\n"
        )
    };
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
    let text: String = formulas.iter().map(|(id, f)| var(id, f)).collect();
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
