//! 服务找人 — the public self-check: a short form a resident fills in without logging in,
//! evaluated by the same policy engine as the registry, and nothing stored.
//!
//! The flow is [`parse`] (the raw strings of the form → a typed [`SelfCheckInput`], or
//! every [`FieldError`] at once, each naming its field) and [`evaluate`] (a one-household
//! registry built in memory → [`SelfCheckAnswer`]: per program likely / unlikely / cannot
//! tell, the estimated monthly amount, the reasons in the words of
//! [`minsheng_policy::explain`], and where to apply).
//!
//! How the form's answers become registry facts (stated again in the answer's notes):
//!
//! - An empty `savings`, `houses`, `vehicles` or `monthly_income` is read as **0** (the
//!   registry would treat it as unknown; a self-check has nobody to ask). The answer lists
//!   every field that was read this way.
//! - `monthly_income` is everything a member receives in a month (wages, business,
//!   property and transfer income together). For an `employed` or `flexible` member it is
//!   entered as wage income, so the employment-cost deduction applies to it; for any other
//!   member as transfer income (pensions, support from relatives), which has none.
//! - Empty `disability_grade` is 0, empty `disability_kind` is `none`, empty `self_care`
//!   is `full`, empty `illness` is `none`, empty `sex` is `M` (no rule reads sex; the
//!   synthetic ID number needs one). `relation`, `age` and `employment` are required.
//! - Field names are `region`, `area`, `savings`, `houses`, `vehicles`, `members` and
//!   `members[i].<name>` with `i` counted from 0 as the page numbers its inputs; the
//!   messages count members from 1 (成员 1 …) as a person does.

mod answer;
mod apply;

pub use answer::{Outcome, ProgramAnswer, SelfCheckAnswer, SelfCheckError, evaluate, registry};
pub use apply::{WHERE_TO_APPLY, WhereToApply, where_to_apply};

use minsheng_model::problem::ProblemKind;
use minsheng_model::{
    Area, Date, DisabilityKind, Employment, Fen, Illness, RegionCode, RegionLevel, RegionTable,
    Relation, SelfCare, Sex,
};
use std::sync::OnceLock;

/// The district a form without a region is checked in: 涪城区.
pub const DEFAULT_REGION: &str = "510703000000";
/// Members a form may have.
pub const MAX_MEMBERS: usize = 10;
/// The oldest age accepted.
pub const MAX_AGE: u32 = 120;
/// Houses or vehicles accepted in one form (far above any rule's limit).
pub const MAX_COUNT: u32 = 99;

/// The form as a browser submits it: raw text, so the page can show back what was typed.
#[derive(Clone, Debug, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(default)]
pub struct SelfCheckForm {
    /// A 12-digit code of a county, township or village of the region table; empty =
    /// [`DEFAULT_REGION`].
    pub region: String,
    /// `urban` or `rural` ([`Area`] codes).
    pub area: String,
    /// Deposits and securities of all members, yuan; empty = 0.
    pub savings: String,
    /// Homes owned by members; empty = 0.
    pub houses: String,
    /// Motor vehicles owned (not a disabled member's mobility vehicle); empty = 0.
    pub vehicles: String,
    /// 1 to [`MAX_MEMBERS`] members, exactly one of them `head`.
    pub members: Vec<MemberForm>,
}

/// One member's row of the form.
#[derive(Clone, Debug, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(default)]
pub struct MemberForm {
    /// A [`Relation`] code (`head`, `spouse`, `child`, `parent`, …).
    pub relation: String,
    /// Whole years, 0–120.
    pub age: String,
    /// `M` or `F` ([`Sex`] codes); empty = `M`.
    pub sex: String,
    /// All income of a month, yuan; empty = 0.
    pub monthly_income: String,
    /// An [`Employment`] code.
    pub employment: String,
    /// 0–4 (0 = none, 1 = most severe); empty = 0.
    pub disability_grade: String,
    /// A [`DisabilityKind`] code; empty = `none`.
    pub disability_kind: String,
    /// A [`SelfCare`] code; empty = `full`.
    pub self_care: String,
    /// An [`Illness`] code; empty = `none`.
    pub illness: String,
    /// 孤儿或事实无人抚养儿童 (a checkbox).
    pub orphan: bool,
    /// Has a legal supporter able to support them (a checkbox).
    pub capable_supporter: bool,
}

/// A problem with one field, shown next to it.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
pub struct FieldError {
    /// `savings`, `members`, `members[2].age` …
    pub field: String,
    /// Chinese first, then English; names the value and what is expected.
    pub message: String,
}

/// The form, checked and typed.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SelfCheckInput {
    pub region: RegionCode,
    pub area: Area,
    pub savings: Fen,
    pub houses: u32,
    pub vehicles: u32,
    pub members: Vec<MemberInput>,
    /// Fields left empty and read as 0 (their form names), for the answer's notes.
    pub assumed_zero: Vec<String>,
}

/// One member, checked and typed.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct MemberInput {
    pub relation: Relation,
    pub age: u32,
    pub sex: Sex,
    pub monthly_income: Fen,
    pub employment: Employment,
    pub disability_grade: u8,
    pub disability_kind: DisabilityKind,
    pub self_care: SelfCare,
    pub illness: Illness,
    pub orphan: bool,
    pub capable_supporter: bool,
}

/// The built-in 绵阳 region table, read once.
pub fn builtin_regions() -> &'static RegionTable {
    static TABLE: OnceLock<RegionTable> = OnceLock::new();
    TABLE.get_or_init(minsheng_interchange::regions::default_table)
}

/// The regions a resident may choose, as (code, name): every county and township of
/// `table` in table order, townships named with their county ("涪城区 城厢街道").
pub fn region_choices(table: &RegionTable) -> Vec<(String, String)> {
    table
        .iter()
        .filter_map(|r| match r.level {
            RegionLevel::County => Some((r.code.to_string(), r.name.clone())),
            RegionLevel::Township => {
                let county = r.code.ancestor_at(RegionLevel::County);
                let county = table.get(county).map_or("", |c| c.name.as_str());
                Some((r.code.to_string(), format!("{county} {}", r.name)))
            }
            _ => None,
        })
        .collect()
}

/// The first day of the month of `today`: the month a self-check evaluates by default.
pub fn default_month(today: Date) -> Date {
    use chrono::Datelike;
    today.with_day(1).unwrap_or(today)
}

/// Checks `form` against the built-in 绵阳 region table ([`parse_in`]).
pub fn parse(form: &SelfCheckForm) -> Result<SelfCheckInput, Vec<FieldError>> {
    parse_in(form, builtin_regions())
}

/// Checks `form` with the regions of `table`: the typed input, or every problem at once.
pub fn parse_in(
    form: &SelfCheckForm,
    table: &RegionTable,
) -> Result<SelfCheckInput, Vec<FieldError>> {
    let mut p = Parser::default();
    let region = p.region(&form.region, table);
    let area = p.code(
        "area",
        "城乡类别",
        "area",
        &form.area,
        None,
        Area::from_code,
        Area::expected_list,
    );
    let savings = p.money("savings", "存款及有价证券", "savings", &form.savings);
    let houses = p.count("houses", "住房套数", "houses", &form.houses);
    let vehicles = p.count("vehicles", "机动车数", "vehicles", &form.vehicles);
    let n = form.members.len();
    if !(1..=MAX_MEMBERS).contains(&n) {
        p.error(
            "members",
            format!(
                "家庭成员为 {n} 人：应填写 1 至 {MAX_MEMBERS} 名成员 / {n} members: enter 1 to {MAX_MEMBERS} members"
            ),
        );
    }
    let members: Vec<Option<MemberInput>> = form
        .members
        .iter()
        .take(MAX_MEMBERS)
        .enumerate()
        .map(|(i, m)| p.member(i, m))
        .collect();
    p.heads(&form.members[..n.min(MAX_MEMBERS)]);
    match (region, area, savings, houses, vehicles) {
        (Some(region), Some(area), Some(savings), Some(houses), Some(vehicles))
            if p.errors.is_empty() =>
        {
            Ok(SelfCheckInput {
                region,
                area,
                savings,
                houses,
                vehicles,
                members: members.into_iter().flatten().collect(),
                assumed_zero: p.assumed_zero,
            })
        }
        _ => Err(p.errors),
    }
}

#[derive(Default)]
struct Parser {
    errors: Vec<FieldError>,
    assumed_zero: Vec<String>,
}

/// Trims blanks (also the ideographic space) and reads full-width digits as ASCII.
fn normalise(text: &str) -> String {
    text.trim_matches(|c: char| c.is_whitespace() || c == '\u{3000}')
        .chars()
        .map(|c| match c {
            '０'..='９' => char::from_u32(c as u32 - '０' as u32 + '0' as u32).unwrap_or(c),
            other => other,
        })
        .collect()
}

/// `"abc"` with a long value cut, for messages.
fn shown(text: &str) -> String {
    let t: String = text.chars().take(40).collect();
    if t.len() < text.len() {
        format!("“{t}…”")
    } else {
        format!("“{t}”")
    }
}

impl Parser {
    fn error(&mut self, field: impl Into<String>, message: String) {
        self.errors.push(FieldError {
            field: field.into(),
            message,
        });
    }

    fn region(&mut self, text: &str, table: &RegionTable) -> Option<RegionCode> {
        let t = normalise(text);
        let t = if t.is_empty() { DEFAULT_REGION } else { &t };
        let code = RegionCode::parse(t).filter(|c| {
            table.get(*c).is_some_and(|r| {
                matches!(
                    r.level,
                    RegionLevel::County | RegionLevel::Township | RegionLevel::Village
                )
            })
        });
        if code.is_none() {
            self.error(
                "region",
                format!(
                    "所在地区 {} 无效：应为本地区县（市、区）、乡镇（街道）或村（社区）的 12 位区划代码，请从列表中选择 / region {}: expected the 12-digit code of a county, township or village of the deployment",
                    shown(text),
                    shown(text)
                ),
            );
        }
        code
    }

    #[allow(clippy::too_many_arguments)]
    fn code<T>(
        &mut self,
        field: &str,
        what: &str,
        what_en: &str,
        text: &str,
        default: Option<T>,
        from_code: fn(&str) -> Option<T>,
        expected: fn() -> String,
    ) -> Option<T> {
        let t = normalise(text);
        if t.is_empty() {
            if default.is_some() {
                return default;
            }
            self.error(
                field,
                format!(
                    "{what}未填写：应为以下之一：{} / {what_en} is required",
                    expected()
                ),
            );
            return None;
        }
        let v = from_code(&t);
        if v.is_none() {
            self.error(
                field,
                format!(
                    "{what} {} 无效：{} / {what_en} {}: not one of the listed codes",
                    shown(text),
                    ProblemKind::Enum {
                        expected: expected()
                    },
                    shown(text)
                ),
            );
        }
        v
    }

    fn money(&mut self, field: &str, what: &str, what_en: &str, text: &str) -> Option<Fen> {
        if normalise(text).is_empty() {
            self.assumed_zero.push(field.to_owned());
            return Some(Fen::ZERO);
        }
        match Fen::parse_yuan(text) {
            Ok(f) => Some(f),
            Err(e) => {
                self.error(
                    field,
                    format!(
                        "{what} {} 无效：{} / {what_en} {}: expected yuan, not negative, at most two decimals (e.g. 1234.50)",
                        shown(text),
                        ProblemKind::Money(e),
                        shown(text)
                    ),
                );
                None
            }
        }
    }

    /// A whole number in `0..=max`; empty is `empty` (None = required).
    fn integer(
        &mut self,
        field: &str,
        what: &str,
        what_en: &str,
        text: &str,
        max: u32,
        empty: Option<u32>,
    ) -> Option<u32> {
        let t = normalise(text);
        if t.is_empty() {
            if empty.is_none() {
                self.error(
                    field,
                    format!(
                        "{what}未填写：应为 0 到 {max} 之间的整数 / {what_en} is required: a whole number 0 to {max}"
                    ),
                );
            }
            return empty;
        }
        let v = (t.len() <= 4 && t.bytes().all(|b| b.is_ascii_digit()))
            .then(|| t.parse::<u32>().ok())
            .flatten()
            .filter(|v| *v <= max);
        if v.is_none() {
            self.error(
                field,
                format!(
                    "{what} {} 无效：{} / {what_en} {}: expected a whole number 0 to {max}",
                    shown(text),
                    ProblemKind::Integer {
                        min: 0,
                        max: i64::from(max)
                    },
                    shown(text)
                ),
            );
        }
        v
    }

    fn count(&mut self, field: &str, what: &str, what_en: &str, text: &str) -> Option<u32> {
        if normalise(text).is_empty() {
            self.assumed_zero.push(field.to_owned());
        }
        self.integer(field, what, what_en, text, MAX_COUNT, Some(0))
    }

    fn member(&mut self, i: usize, m: &MemberForm) -> Option<MemberInput> {
        let n = i + 1;
        let f = |name: &str| format!("members[{i}].{name}");
        let relation = self.code(
            &f("relation"),
            &format!("成员 {n} 的与户主关系"),
            &format!("member {n}: relation"),
            &m.relation,
            None,
            Relation::from_code,
            Relation::expected_list,
        );
        let age = self.integer(
            &f("age"),
            &format!("成员 {n} 的年龄（周岁）"),
            &format!("member {n}: age"),
            &m.age,
            MAX_AGE,
            None,
        );
        let sex = self.code(
            &f("sex"),
            &format!("成员 {n} 的性别"),
            &format!("member {n}: sex"),
            &m.sex,
            Some(Sex::M),
            Sex::from_code,
            Sex::expected_list,
        );
        let income_field = f("monthly_income");
        let monthly_income = self.money(
            &income_field,
            &format!("成员 {n} 的月收入"),
            &format!("member {n}: monthly income"),
            &m.monthly_income,
        );
        let employment = self.code(
            &f("employment"),
            &format!("成员 {n} 的就业状况"),
            &format!("member {n}: employment"),
            &m.employment,
            None,
            Employment::from_code,
            Employment::expected_list,
        );
        let disability_grade = self.integer(
            &f("disability_grade"),
            &format!("成员 {n} 的残疾等级"),
            &format!("member {n}: disability grade"),
            &m.disability_grade,
            4,
            Some(0),
        );
        let disability_kind = self.code(
            &f("disability_kind"),
            &format!("成员 {n} 的残疾类别"),
            &format!("member {n}: disability kind"),
            &m.disability_kind,
            Some(DisabilityKind::None),
            DisabilityKind::from_code,
            DisabilityKind::expected_list,
        );
        let self_care = self.code(
            &f("self_care"),
            &format!("成员 {n} 的生活自理能力"),
            &format!("member {n}: self-care"),
            &m.self_care,
            Some(SelfCare::Full),
            SelfCare::from_code,
            SelfCare::expected_list,
        );
        let illness = self.code(
            &f("illness"),
            &format!("成员 {n} 的患病情况"),
            &format!("member {n}: illness"),
            &m.illness,
            Some(Illness::None),
            Illness::from_code,
            Illness::expected_list,
        );
        Some(MemberInput {
            relation: relation?,
            age: age?,
            sex: sex?,
            monthly_income: monthly_income?,
            employment: employment?,
            disability_grade: u8::try_from(disability_grade?).ok()?,
            disability_kind: disability_kind?,
            self_care: self_care?,
            illness: illness?,
            orphan: m.orphan,
            capable_supporter: m.capable_supporter,
        })
    }

    /// Exactly one head, read from the relations as typed (a member with another bad
    /// field still counts): none is reported at `members`, every further head at its
    /// relation.
    fn heads(&mut self, members: &[MemberForm]) {
        let codes: Vec<Option<Relation>> = members
            .iter()
            .map(|m| Relation::from_code(&normalise(&m.relation)))
            .collect();
        let heads: Vec<usize> = (0..codes.len())
            .filter(|&i| codes[i] == Some(Relation::Head))
            .collect();
        match heads.as_slice() {
            // A relation that did not parse may be the head the user meant.
            [] if !members.is_empty() && codes.iter().all(Option::is_some) => self.error(
                "members",
                "没有户主：请将其中一名成员的与户主关系选为“户主” / no member is the head: mark exactly one member as head".to_owned(),
            ),
            [first, rest @ ..] => {
                for &i in rest {
                    self.error(
                        format!("members[{i}].relation"),
                        format!(
                            "成员 {} 与成员 {} 都填为“户主”：每户只能有一名户主 / members {} and {} are both head: a household has exactly one head",
                            first + 1,
                            i + 1,
                            first + 1,
                            i + 1
                        ),
                    );
                }
            }
            _ => {}
        }
    }
}
