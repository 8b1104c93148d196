//! The public self-check (服务找人): forms through `selfcheck::parse` and `evaluate`.

use minsheng_app::selfcheck::{
    FieldError, MemberForm, Outcome, SelfCheckAnswer, SelfCheckForm, evaluate, parse,
    region_choices,
};
use minsheng_model::{Date, Fen};
use proptest::prelude::*;
use std::path::Path;

fn pack() -> (minsheng_policy::pack::Pack, minsheng_policy::check::Checked) {
    let dir = Path::new(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../policies/mianyang"
    ));
    minsheng_app::evaluate::load_pack(dir).unwrap()
}

fn june() -> Date {
    Date::from_ymd_opt(2024, 6, 1).unwrap()
}

fn member(relation: &str, age: &str, employment: &str, income: &str) -> MemberForm {
    MemberForm {
        relation: relation.into(),
        age: age.into(),
        sex: "F".into(),
        monthly_income: income.into(),
        employment: employment.into(),
        capable_supporter: true,
        ..MemberForm::default()
    }
}

fn check(form: &SelfCheckForm) -> SelfCheckAnswer {
    let (pack, checked) = pack();
    let input = parse(form).unwrap();
    evaluate(&pack, &checked, &input, june()).unwrap()
}

fn outcome<'a>(
    a: &'a SelfCheckAnswer,
    program: &str,
) -> &'a minsheng_app::selfcheck::ProgramAnswer {
    a.programs.iter().find(|p| p.program == program).unwrap()
}

/// Worked example 1 of reference-rules.md: urban household in 涪城区, savings 10 000,
/// head 45 employed wage 1000, spouse 43 unemployed, child 10 ⇒ 低保 1091.
fn example_1() -> SelfCheckForm {
    SelfCheckForm {
        region: "510703000000".into(),
        area: "urban".into(),
        savings: "10,000".into(),
        houses: "1".into(),
        vehicles: "0".into(),
        members: vec![
            member("head", "45", "employed", "1000"),
            member("spouse", "43", "unemployed", ""),
            member("child", "１０", "student", "0"),
        ],
    }
}

#[test]
fn worked_example_1_through_the_form_gives_dibao_1091() {
    let a = check(&example_1());
    assert_eq!(a.month, june());
    let first = &a.programs[0];
    assert_eq!(first.program, "dibao");
    assert_eq!(first.label, "最低生活保障");
    assert_eq!(first.outcome, Outcome::Likely);
    assert_eq!(first.monthly_amount, Fen(109_100));
    assert_eq!(
        first.reasons[0],
        "可能符合，估算月金额 1091.00 元。条件：家庭人数（3） > 0 ，且 家庭月收入（800） < 当地低保标准（610） × 家庭人数（3） ，且 家庭财产符合规定（是）"
    );
    assert!(
        first
            .where_to_apply
            .starts_with("向户籍所在地乡镇人民政府（街道办事处）提出书面申请")
    );
    // 低保 makes every member a 医疗救助 (dibao) member.
    let med = outcome(&a, "medical_assistance");
    assert_eq!(med.outcome, Outcome::Likely);
    assert_eq!(med.monthly_amount, Fen(0));
    assert_eq!(med.reasons.len(), 3);
    assert!(
        med.reasons[0].starts_with("成员 1（45 岁）：医疗救助对象类别：低保对象"),
        "{}",
        med.reasons[0]
    );
    // Likely programs first, then the others; nothing else is likely for this household.
    let likely: Vec<&str> = a
        .programs
        .iter()
        .filter(|p| p.outcome == Outcome::Likely)
        .map(|p| p.program.as_str())
        .collect();
    assert_eq!(likely, ["dibao", "medical_assistance"]);
    assert_eq!(outcome(&a, "tekun").outcome, Outcome::Unlikely);
    assert_eq!(outcome(&a, "tekun").monthly_amount, Fen(0));
    assert_eq!(outcome(&a, "tekun").reasons.len(), 3, "one line per member");
    assert!(a.notes[0].contains("只是估算") && a.notes[0].contains("以乡镇（街道）审核确认为准"));
    assert!(a.notes[1].contains("没有保存"));
    assert!(
        a.notes[2].contains("四川省 绵阳市 涪城区") && a.notes[2].contains("2024 年 6 月"),
        "{}",
        a.notes[2]
    );
    assert_eq!(
        a.notes[4],
        "以下未填写的项目按 0 计算：成员 2 的月收入 / empty fields counted as 0: members[1].monthly_income"
    );
}

#[test]
fn an_elderly_person_of_85_gets_the_elderly_allowance() {
    let mut head = member("head", "85", "retired", "3000");
    head.sex = "M".into();
    let form = SelfCheckForm {
        area: "rural".into(),
        members: vec![head],
        ..SelfCheckForm::default()
    };
    let a = check(&form);
    let e = outcome(&a, "elderly_allowance");
    assert_eq!(e.label, "高龄津贴");
    assert_eq!(e.outcome, Outcome::Likely);
    assert_eq!(e.monthly_amount, Fen(5_000));
    assert_eq!(
        e.reasons,
        [
            "成员 1（85 岁）：可能符合，估算月金额 50.00 元。条件：年龄（85） ≥ 80",
            "成员 1（85 岁）：金额：若 年龄（85） ≥ 100 则 高龄津贴（100岁及以上）（300）；若 年龄（85） ≥ 90 则 高龄津贴（90–99岁）（100）；否则 高龄津贴（80–89岁）（50）",
        ]
    );
    assert!(e.where_to_apply.contains("村（社区）"));
    // A pension of 3000 is far above the rural standard: the allowance is all that is likely.
    assert_eq!(a.programs[0].program, "elderly_allowance");
    assert_eq!(
        a.programs
            .iter()
            .filter(|p| p.outcome == Outcome::Likely)
            .count(),
        1
    );
    // Empty region is 涪城区; empty savings, houses and vehicles are read as 0.
    assert!(
        a.notes[4].contains("存款及有价证券、住房套数、机动车数"),
        "{}",
        a.notes[4]
    );
}

#[test]
fn persons_programs_sum_over_members_and_sort_by_amount() {
    // Worked example 3: 低保边缘 household; the spouse (grade 1) is 单人户 低保 732 and gets
    // both disability subsidies (100 + 100).
    let mut spouse = member("spouse", "48", "unemployed", "0");
    spouse.disability_grade = "1".into();
    spouse.disability_kind = "physical".into();
    let form = SelfCheckForm {
        area: "urban".into(),
        savings: "20000".into(),
        houses: "1".into(),
        vehicles: "0".into(),
        members: vec![
            member("head", "50", "employed", "3000"),
            spouse,
            member("child", "20", "student", "0"),
            member("parent", "78", "retired", "0"),
        ],
        ..SelfCheckForm::default()
    };
    let a = check(&form);
    let order: Vec<(&str, i64)> = a
        .programs
        .iter()
        .filter(|p| p.outcome == Outcome::Likely)
        .map(|p| (p.program.as_str(), p.monthly_amount.0))
        .collect();
    assert_eq!(
        order,
        [
            ("dibao_single", 73_200),
            ("disability_living", 10_000),
            ("disability_care", 10_000),
            ("dibao_edge", 0),
            ("medical_assistance", 0),
        ]
    );
    let single = &outcome(&a, "dibao_single").reasons;
    assert!(
        single[0].starts_with("成员 1（50 岁）：不符合。条件："),
        "{single:?}"
    );
    assert!(
        single[1].starts_with("成员 2（48 岁）：可能符合，估算月金额 732.00 元。条件："),
        "{single:?}"
    );
    assert!(
        single[2].starts_with("成员 2（48 岁）：金额："),
        "{single:?}"
    );
    assert_eq!(single.len(), 5, "{single:?}");
    assert_eq!(outcome(&a, "dibao").outcome, Outcome::Unlikely);
}

#[test]
fn the_household_is_built_with_valid_id_numbers_and_the_entered_ages() {
    let input = parse(&example_1()).unwrap();
    let reg = minsheng_app::selfcheck::registry(&input, june());
    let ages: Vec<i32> = reg
        .persons
        .iter()
        .map(|p| {
            let facts = minsheng_model::idnumber::check(&p.id_number).unwrap();
            assert_eq!((facts.birth_date, facts.sex), (p.birth_date, p.sex));
            assert!(p.id_number.starts_with("510703"));
            minsheng_model::date::age_on(p.birth_date, june())
        })
        .collect();
    assert_eq!(ages, [45, 43, 10]);
    // The employed head's income is wages (employment cost applies); others' transfers.
    assert_eq!(reg.persons[0].wage_income, Some(Fen(100_000)));
    assert_eq!(reg.persons[0].transfer_income, Some(Fen(0)));
    assert_eq!(reg.households[0].savings, Some(Fen(1_000_000)));
}

#[test]
fn a_lone_elderly_person_without_supporter_is_likely_tekun() {
    // Worked example 4: rural, 68, transfer 250, partial self-care, no capable supporter,
    // savings 3000 ⇒ 特困 533 + 400 = 933; no 低保 (the only member is tekun).
    let mut head = member("head", "68", "retired", "250");
    head.self_care = "partial".into();
    head.capable_supporter = false;
    let form = SelfCheckForm {
        region: "510722000000".into(),
        area: "rural".into(),
        savings: "3000".into(),
        houses: "1".into(),
        vehicles: "0".into(),
        members: vec![head],
    };
    let a = check(&form);
    assert_eq!(a.programs[0].program, "tekun");
    assert_eq!(a.programs[0].monthly_amount, Fen(93_300));
    assert_eq!(outcome(&a, "dibao").outcome, Outcome::Unlikely);
    assert!(outcome(&a, "medical_assistance").reasons[0].contains("特困人员"));
}

#[test]
fn a_household_with_high_income_gets_nothing_likely() {
    let form = SelfCheckForm {
        area: "urban".into(),
        savings: "50000".into(),
        houses: "1".into(),
        vehicles: "1".into(),
        members: vec![
            member("head", "40", "employed", "8,000"),
            member("spouse", "38", "employed", "6000.50"),
            member("child", "12", "student", ""),
        ],
        ..SelfCheckForm::default()
    };
    let a = check(&form);
    assert!(
        a.programs
            .iter()
            .all(|p| p.outcome == Outcome::Unlikely && p.monthly_amount == Fen(0)),
        "{:?}",
        a.programs
    );
    // 9 programs of the pack and 医疗救助, each with where to apply.
    assert_eq!(a.programs.len(), 10);
    assert!(a.programs.iter().all(|p| !p.where_to_apply.is_empty()));
}

#[test]
fn every_bad_field_is_reported_at_once() {
    let mut form = example_1();
    form.area = "city".into();
    form.members[1].age = "abc".into();
    form.members[2].monthly_income = "-50".into();
    form.members[2].relation = "head".into();
    let errors = parse(&form).unwrap_err();
    let fields: Vec<&str> = errors.iter().map(|e| e.field.as_str()).collect();
    assert_eq!(
        fields,
        [
            "area",
            "members[1].age",
            "members[2].monthly_income",
            "members[2].relation"
        ]
    );
    assert_eq!(
        errors[0],
        FieldError {
            field: "area".into(),
            message: "城乡类别 “city” 无效：取值不在规定范围内，应为以下之一：urban 城镇、rural 农村 / area “city”: not one of the listed codes".into(),
        }
    );
    assert_eq!(
        errors[1].message,
        "成员 2 的年龄（周岁） “abc” 无效：应为 0 到 120 之间的整数 / member 2: age “abc”: expected a whole number 0 to 120"
    );
    assert!(
        errors[2]
            .message
            .starts_with("成员 3 的月收入 “-50” 无效：金额不能为负数 / "),
        "{}",
        errors[2].message
    );
    assert!(
        errors[3]
            .message
            .starts_with("成员 1 与成员 3 都填为“户主”"),
        "{}",
        errors[3].message
    );
}

#[test]
fn sizes_regions_and_required_fields_are_checked() {
    let empty = SelfCheckForm {
        area: "urban".into(),
        ..SelfCheckForm::default()
    };
    let e = parse(&empty).unwrap_err();
    assert_eq!(e.len(), 1);
    assert_eq!(e[0].field, "members");
    assert!(
        e[0].message
            .starts_with("家庭成员为 0 人：应填写 1 至 10 名成员")
    );

    let mut form = example_1();
    form.region = "510703001".into();
    form.members = vec![member("spouse", "121", "", "1.234"); 11];
    let fields: Vec<String> = parse(&form)
        .unwrap_err()
        .into_iter()
        .map(|e| e.field)
        .collect();
    assert_eq!(
        fields[..5],
        [
            "region",
            "members",
            "members[0].age",
            "members[0].monthly_income",
            "members[0].employment"
        ]
    );
    // 10 members read (the 11th is not), each with 3 problems, and no head among them.
    assert_eq!(fields.len(), 2 + 30 + 1);
    assert_eq!(fields.last().unwrap(), "members");

    // A township, and full-width digits with an ideographic space.
    form = example_1();
    form.region = "５１０７０３００１０００\u{3000}".into();
    assert_eq!(parse(&form).unwrap().region.to_string(), "510703001000");
    form.region = "510703001003".into();
    assert!(parse(&form).is_ok(), "a village is accepted too");
    form.region = "999999000000".into();
    assert_eq!(parse(&form).unwrap_err()[0].field, "region");
}

#[test]
fn region_choices_list_counties_and_townships() {
    let table = minsheng_interchange::regions::default_table();
    let choices = region_choices(&table);
    assert!(choices.contains(&("510703000000".to_owned(), "涪城区".to_owned())));
    let town = choices.iter().find(|(c, _)| c == "510703001000").unwrap();
    assert!(town.1.starts_with("涪城区 "), "{}", town.1);
    let levels: std::collections::BTreeSet<_> = choices
        .iter()
        .map(|(c, _)| minsheng_model::RegionCode::parse(c).unwrap().level())
        .collect();
    assert_eq!(
        levels.into_iter().collect::<Vec<_>>(),
        [
            minsheng_model::RegionLevel::County,
            minsheng_model::RegionLevel::Township
        ]
    );
    assert!(
        !choices.iter().any(|(c, _)| c == "510703001003"),
        "no villages"
    );
}

fn text() -> impl Strategy<Value = String> {
    prop_oneof![
        any::<String>(),
        "[0-9０-９,，.．\\- ]{0,12}",
        Just(String::new()),
        Just("head".to_owned()),
    ]
}

proptest! {
    #[test]
    fn parse_never_panics(region in text(), area in text(), savings in text(), houses in text(),
                          fields in proptest::collection::vec(proptest::collection::vec(text(), 9), 0..12),
                          flags in any::<(bool, bool)>()) {
        let members = fields.into_iter().map(|f| MemberForm {
            relation: f[0].clone(), age: f[1].clone(), sex: f[2].clone(),
            monthly_income: f[3].clone(), employment: f[4].clone(),
            disability_grade: f[5].clone(), disability_kind: f[6].clone(),
            self_care: f[7].clone(), illness: f[8].clone(),
            orphan: flags.0, capable_supporter: flags.1,
        }).collect();
        let form = SelfCheckForm { region, area, savings, houses, vehicles: String::new(), members };
        match parse(&form) {
            Ok(input) => prop_assert!((1..=10).contains(&input.members.len())),
            Err(errors) => prop_assert!(!errors.is_empty() && errors.iter().all(|e| !e.field.is_empty() && e.message.contains(" / "))),
        }
    }
}

#[test]
fn the_answer_serialises_for_the_json_api() {
    let a = check(&example_1());
    let v = serde_json::to_value(&a).unwrap();
    assert_eq!(v["month"], "2024-06-01");
    assert_eq!(v["programs"][0]["program"], "dibao");
    assert_eq!(v["programs"][0]["outcome"], "likely");
    assert_eq!(v["programs"][0]["monthly_amount"], "1091.00");
    assert_eq!(v["programs"][2]["outcome"], "unlikely");
    let form: SelfCheckForm = serde_json::from_str(
        r#"{"area":"urban","members":[{"relation":"head","age":"30","employment":"none"}]}"#,
    )
    .unwrap();
    assert_eq!(form.members[0].monthly_income, "");
    assert!(!form.members[0].capable_supporter);
    assert_eq!(parse(&form).unwrap().members[0].age, 30);
}
