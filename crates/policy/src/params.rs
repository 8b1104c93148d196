//! Parameters: named, dated, region-scoped values that an administrator edits.
//!
//! A parameter file is TOML. A table with a `values` array is a parameter; other tables
//! are namespaces, so `[dibao.standard.urban]` is the parameter `dibao.standard.urban`:
//!
//! ```toml
//! [dibao.standard.urban]
//! label = "城市低保标准"
//! unit = "元/人/月"
//! source = "[src] 绵阳"
//! values = [
//!   { since = "2020-01-01", region = "5107", value = 610 },
//!   { since = "2024-07-01", region = "5107", value = 650 },
//! ]
//! ```
//!
//! `since` (optional: from the beginning) is the first day the value applies; `region`
//! (optional: everywhere) is a code prefix — `5107` covers every code of 绵阳市. For a unit
//! in region R and month M, the value is the one whose region is the **most specific**
//! prefix of R and, among those, whose `since` is the **latest** on or before the first
//! day of M (so a change dated mid-month applies from the next month). Values are exact
//! decimals (`610`, `1.3`, `"20%"`).

use crate::decimal::Decimal;
use minsheng_model::{Date, RegionCode};
use std::collections::BTreeMap;
use std::fmt;
use toml_edit::{Document, Item, Table, Value};

/// Where something is in a policy file.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Location {
    pub file: String,
    pub line: usize,
    pub column: usize,
}

impl fmt::Display for Location {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}:{}:{}", self.file, self.line, self.column)
    }
}

/// A problem in a policy pack: where, and what is expected.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("{at}: {message}")]
pub struct PackError {
    pub at: Location,
    pub message: String,
}

/// One dated, region-scoped value of a parameter.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ParamValue {
    /// First day the value applies; `None` = from the beginning.
    pub since: Option<Date>,
    /// Region code prefix (2–12 digits); empty = everywhere.
    pub region: String,
    pub value: Decimal,
    pub at: Location,
}

/// A parameter with its history.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Parameter {
    pub id: String,
    pub label: String,
    pub unit: Option<String>,
    pub source: Option<String>,
    pub values: Vec<ParamValue>,
    pub at: Location,
}

/// The value in force for a unit, and why that one.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Resolved<'p> {
    pub value: Decimal,
    pub since: Option<Date>,
    pub region: &'p str,
}

/// Every parameter of a pack, by id.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Parameters {
    params: BTreeMap<String, Parameter>,
}

/// Turns a byte offset into a 1-based line and column (in characters).
pub fn location(file: &str, text: &str, offset: usize) -> Location {
    let before = &text[..offset.min(text.len())];
    let line = before.matches('\n').count() + 1;
    let column = before.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1;
    Location {
        file: file.to_owned(),
        line,
        column,
    }
}

/// Parses a pack file's TOML, or says where it is not TOML.
pub(crate) fn parse_toml<'t>(
    file: &str,
    text: &'t str,
) -> Result<Document<&'t str>, Vec<PackError>> {
    Document::parse(text).map_err(|e| {
        vec![PackError {
            at: location(file, text, e.span().map_or(0, |s| s.start)),
            message: format!("不是有效的 TOML：{} / not valid TOML", e.message()),
        }]
    })
}

impl Parameters {
    /// Reads a parameter file. Every problem is reported, not just the first.
    pub fn parse(file: &str, text: &str) -> Result<Parameters, Vec<PackError>> {
        let doc = parse_toml(file, text)?;
        Parameters::from_table(file, text, doc.as_table())
    }

    /// Reads the parameters of a parsed table of `text` (a reform reads its file's
    /// tables other than `[[replace]]` this way).
    pub(crate) fn from_table(
        file: &str,
        text: &str,
        table: &Table,
    ) -> Result<Parameters, Vec<PackError>> {
        let at = |offset: usize| location(file, text, offset);
        let mut out = Parameters::default();
        let mut errors = Vec::new();
        collect(table, &mut Vec::new(), &at, &mut out, &mut errors);
        if errors.is_empty() {
            Ok(out)
        } else {
            Err(errors)
        }
    }

    pub fn get(&self, id: &str) -> Option<&Parameter> {
        self.params.get(id)
    }

    pub fn iter(&self) -> impl Iterator<Item = &Parameter> {
        self.params.values()
    }

    pub fn len(&self) -> usize {
        self.params.len()
    }

    pub fn is_empty(&self) -> bool {
        self.params.is_empty()
    }

    /// Adds the parameters of `other`; with `replace`, values of a parameter already
    /// present are replaced (a reform), otherwise a second definition is an error.
    pub fn merge(&mut self, other: Parameters, replace: bool) -> Result<(), Vec<PackError>> {
        let mut errors = Vec::new();
        for (id, p) in other.params {
            match self.params.get_mut(&id) {
                Some(existing) if replace => {
                    // A reform keeps the label and history, and puts its values on top:
                    // a reform value is more recent than any baseline value it competes with.
                    existing.values.extend(p.values);
                }
                Some(existing) => errors.push(PackError {
                    at: p.at.clone(),
                    message: format!("参数 {id} 已在 {} 定义过 / parameter defined twice", existing.at),
                }),
                None if replace => errors.push(PackError {
                    at: p.at.clone(),
                    message: format!("改革方案中的参数 {id} 在政策包中不存在 / a reform may only change existing parameters"),
                }),
                None => {
                    self.params.insert(id, p);
                }
            }
        }
        if errors.is_empty() {
            Ok(())
        } else {
            Err(errors)
        }
    }

    /// The value of `id` for a unit in `region` during the month starting `month`.
    pub fn resolve(&self, id: &str, month: Date, region: RegionCode) -> Option<Resolved<'_>> {
        self.params.get(id)?.resolve(month, region)
    }
}

impl Parameter {
    /// The value for a unit in `region` during the month starting `month`. (Evaluations
    /// resolve every parameter for each of a district's thousands of villages: the code's
    /// digits are compared in place, no text is made.)
    pub fn resolve(&self, month: Date, region: RegionCode) -> Option<Resolved<'_>> {
        let code = region.digits();
        self.values
            .iter()
            .filter(|v| {
                // Byte by byte: a prefix of at most 12 digits (no call to compare).
                let prefix = v.region.as_bytes();
                prefix.len() <= code.len()
                    && prefix.iter().zip(&code).all(|(a, b)| a == b)
                    && v.since.is_none_or(|s| s <= month)
            })
            // Most specific region first; then the latest start; later entries win ties,
            // which lets a reform's values override the baseline's.
            .enumerate()
            .max_by_key(|(i, v)| (v.region.len(), v.since, *i))
            .map(|(_, v)| Resolved {
                value: v.value,
                since: v.since,
                region: &v.region,
            })
    }
}

fn collect(
    table: &Table,
    path: &mut Vec<String>,
    at: &dyn Fn(usize) -> Location,
    out: &mut Parameters,
    errors: &mut Vec<PackError>,
) {
    let here = table.span().map_or(0, |s| s.start);
    if table.contains_key("values") {
        match parameter(table, path.join("."), at) {
            Ok(p) => {
                out.params.insert(p.id.clone(), p);
            }
            Err(mut e) => errors.append(&mut e),
        }
        return;
    }
    for (key, item) in table.iter() {
        path.push(key.to_owned());
        match item {
            Item::Table(t) => collect(t, path, at, out, errors),
            _ => errors.push(PackError {
                at: at(item.span().unwrap_or(here..here).start),
                message: format!(
                    "{} 既不是参数（需要 values = [...]）也不是参数分组 / expected a parameter table with `values` or a group of them",
                    path.join(".")
                ),
            }),
        }
        path.pop();
    }
}

fn str_field(t: &Table, key: &str) -> Option<String> {
    t.get(key).and_then(Item::as_str).map(str::to_owned)
}

fn parameter(
    t: &Table,
    id: String,
    at: &dyn Fn(usize) -> Location,
) -> Result<Parameter, Vec<PackError>> {
    let here = at(t.span().map_or(0, |s| s.start));
    let mut errors = Vec::new();
    let err = |offset: Option<std::ops::Range<usize>>, message: String| PackError {
        at: offset.map_or_else(|| here.clone(), |s| at(s.start)),
        message,
    };
    let label = str_field(t, "label").unwrap_or_default();
    if label.is_empty() {
        errors.push(err(
            None,
            format!("参数 {id} 缺少中文名称 label / every parameter needs a `label`"),
        ));
    }
    for (key, item) in t.iter() {
        if !["label", "unit", "source", "values"].contains(&key) {
            errors.push(err(
                item.span(),
                format!("参数 {id} 中的 {key} 无法识别，可用：label、unit、source、values"),
            ));
        }
    }
    let mut values = Vec::new();
    match t.get("values").and_then(Item::as_array) {
        None => errors.push(err(
            t.get("values").and_then(Item::span),
            format!("参数 {id} 的 values 应为数组 / `values` must be an array"),
        )),
        Some(arr) => {
            for v in arr.iter() {
                match param_value(v, &id, at) {
                    Ok(pv) => values.push(pv),
                    Err(e) => errors.push(e),
                }
            }
            if arr.is_empty() {
                errors.push(err(
                    arr.span(),
                    format!("参数 {id} 没有任何取值 / no values"),
                ));
            }
        }
    }
    if errors.is_empty() {
        Ok(Parameter {
            id,
            label,
            unit: str_field(t, "unit"),
            source: str_field(t, "source"),
            values,
            at: here,
        })
    } else {
        Err(errors)
    }
}

fn param_value(
    v: &Value,
    id: &str,
    at: &dyn Fn(usize) -> Location,
) -> Result<ParamValue, PackError> {
    let loc = at(v.span().map_or(0, |s| s.start));
    let fail = |message: String| PackError {
        at: loc.clone(),
        message,
    };
    let t = v.as_inline_table().ok_or_else(|| {
        fail(format!(
            "参数 {id} 的取值应写成 {{ since = \"2024-01-01\", region = \"5107\", value = 610 }}"
        ))
    })?;
    for (key, _) in t.iter() {
        if !["since", "region", "value"].contains(&key) {
            return Err(fail(format!(
                "取值中的 {key} 无法识别，可用：since、region、value"
            )));
        }
    }
    let since = match t.get("since") {
        None => None,
        Some(s) => Some(
            s.as_str()
                .and_then(minsheng_model::date::parse_iso)
                .ok_or_else(|| {
                    fail(format!(
                        "since 应为 \"YYYY-MM-DD\" 格式的日期，实为 {}",
                        s.to_string().trim()
                    ))
                })?,
        ),
    };
    let region = match t.get("region") {
        None => String::new(),
        Some(r) => {
            let s = r.as_str().unwrap_or("").to_owned();
            if ![2, 4, 6, 9, 12].contains(&s.len()) || !s.bytes().all(|b| b.is_ascii_digit()) {
                return Err(fail(format!(
                    "region 应为区划代码的前 2、4、6、9 或 12 位（如 \"5107\" 表示绵阳市全市），实为 {}",
                    r.to_string().trim()
                )));
            }
            s
        }
    };
    let raw = t
        .get("value")
        .ok_or_else(|| fail("取值缺少 value".to_owned()))?;
    let text = match raw {
        Value::String(s) => s.value().clone(),
        Value::Integer(_) | Value::Float(_) => raw.to_string().trim().to_owned(),
        other => other.to_string(),
    };
    let value = Decimal::parse(&text).ok_or_else(|| {
        fail(format!(
            "value 应为精确的数（如 610、1.3 或 \"20%\"），实为 {}",
            text.trim()
        ))
    })?;
    Ok(ParamValue {
        since,
        region,
        value,
        at: loc,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    const FILE: &str = r#"
[dibao.standard.urban]
label = "城市低保标准"
unit = "元/人/月"
values = [
  { since = "2020-01-01", region = "5107", value = 610 },
  { since = "2024-07-01", region = "5107", value = 650 },
  { since = "2020-01-01", region = "510703", value = 630 },
]

[income.employment_cost_rate]
label = "必要就业成本扣除比例"
values = [{ value = "20%" }]

[tekun.basic_multiple]
label = "特困人员基本生活标准倍数"
values = [{ value = 1.3 }]
"#;

    fn d(s: &str) -> Date {
        minsheng_model::date::parse_iso(s).unwrap()
    }

    fn r(s: &str) -> RegionCode {
        RegionCode::parse(s).unwrap()
    }

    #[test]
    fn most_specific_region_then_latest_date() {
        let p = Parameters::parse("p.toml", FILE).unwrap();
        let id = "dibao.standard.urban";
        let v = |m: &str, code: &str| p.resolve(id, d(m), r(code)).map(|x| x.value.to_string());
        assert_eq!(v("2024-06-01", "510704001001").as_deref(), Some("610"));
        assert_eq!(v("2024-07-01", "510704001001").as_deref(), Some("650"));
        // 涪城区 has its own value, more specific than the city's newer one.
        assert_eq!(v("2024-07-01", "510703001003").as_deref(), Some("630"));
        assert_eq!(v("2019-12-01", "510704001001"), None);
        assert_eq!(v("2024-07-01", "510800001001"), None);
        let rate = p
            .resolve(
                "income.employment_cost_rate",
                d("1990-01-01"),
                r("110101001001"),
            )
            .unwrap();
        assert_eq!(
            (rate.value, rate.since, rate.region),
            (Decimal::new(2, 1), None, "")
        );
        assert_eq!(
            p.resolve("tekun.basic_multiple", d("2024-06-01"), r("510703001003"))
                .unwrap()
                .value,
            Decimal::new(13, 1)
        );
    }

    #[test]
    fn a_reform_adds_values_on_top() {
        let mut p = Parameters::parse("p.toml", FILE).unwrap();
        let reform = Parameters::parse(
            "reform.toml",
            "[dibao.standard.urban]\nlabel = \"城市低保标准\"\nvalues = [{ since = \"2024-07-01\", region = \"5107\", value = 700 }]\n",
        )
        .unwrap();
        p.merge(reform, true).unwrap();
        let v = p
            .resolve("dibao.standard.urban", d("2024-07-01"), r("510704001001"))
            .unwrap();
        assert_eq!(v.value.to_string(), "700");
        let unknown = Parameters::parse(
            "r.toml",
            "[nope]\nlabel = \"x\"\nvalues = [{ value = 1 }]\n",
        )
        .unwrap();
        let e = p.merge(unknown, true).unwrap_err();
        assert!(e[0].message.contains("不存在"), "{e:?}");
    }

    #[test]
    fn errors_name_file_line_and_column() {
        let text = "[a.b]\nlabel = \"x\"\nvalues = [\n  { since = \"2024-13-01\", value = 1 },\n  { region = \"51x\", value = 2 },\n  { value = \"1e3\" },\n]\n[c]\nvalues = [{ value = 1 }]\n";
        let errs = Parameters::parse("bad.toml", text).unwrap_err();
        let at: Vec<String> = errs.iter().map(|e| e.at.to_string()).collect();
        assert_eq!(
            at,
            [
                "bad.toml:4:3",
                "bad.toml:5:3",
                "bad.toml:6:3",
                "bad.toml:8:1"
            ],
            "{errs:#?}"
        );
        assert!(errs[0].message.contains("YYYY-MM-DD"));
        assert!(errs[1].message.contains("区划代码"));
        assert!(errs[2].message.contains("精确的数"));
        assert!(errs[3].message.contains("label"));
        let e = Parameters::parse("t.toml", "[a\n").unwrap_err();
        assert_eq!(e[0].at.line, 1);
    }
}

#[cfg(test)]
mod reference_pack {
    use super::*;

    /// Every parameter id of reference-rules.md's table, with the value it states.
    const REFERENCE: &[(&str, &str)] = &[
        ("dibao.standard.urban", "610"),
        ("dibao.standard.rural", "410"),
        ("income.employment_cost_rate", "0.2"),
        ("income.employment_cost_cap_rate", "0.5"),
        ("assets.savings_months", "24"),
        ("assets.max_houses", "1"),
        ("assets.max_vehicles", "0"),
        ("dibao.increment.high", "0.2"),
        ("dibao.increment.low", "0.1"),
        ("edge.income_multiple", "1.5"),
        ("edge.savings_months", "36"),
        ("tekun.basic_multiple", "1.3"),
        ("tekun.care.full", "100"),
        ("tekun.care.partial", "400"),
        ("tekun.care.none", "1000"),
        ("hardship.income_multiple", "2"),
        ("disability.living", "100"),
        ("disability.care.grade1", "100"),
        ("disability.care.grade2", "80"),
        ("elderly.80_89", "50"),
        ("elderly.90_99", "100"),
        ("elderly.100_plus", "300"),
        ("orphan.monthly", "1200"),
        ("med.basic.deductible.l1", "200"),
        ("med.basic.deductible.l2", "500"),
        ("med.basic.deductible.l3", "800"),
        ("med.basic.rate.l1", "0.9"),
        ("med.basic.rate.l2", "0.8"),
        ("med.basic.rate.l3", "0.6"),
        ("med.basic.annual_cap", "200000"),
        ("med.critical.threshold", "15000"),
        ("med.critical.rate", "0.6"),
        ("med.critical.annual_cap", "300000"),
        ("med.critical.needy_threshold_factor", "0.5"),
        ("med.critical.needy_rate_bonus", "0.05"),
        ("med.assist.rate.tekun", "1"),
        ("med.assist.rate.dibao", "0.7"),
        ("med.assist.rate.edge", "0.6"),
        ("med.assist.deductible.tekun", "0"),
        ("med.assist.deductible.dibao", "0"),
        ("med.assist.deductible.edge", "3000"),
        ("med.assist.annual_cap", "50000"),
        ("fucheng.self_pay_cap_rate", "0.1"),
    ];

    #[test]
    fn the_shipped_pack_has_every_reference_parameter() {
        let path = concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/../../policies/mianyang/parameters.toml"
        );
        let text = std::fs::read_to_string(path).unwrap();
        let p = Parameters::parse("parameters.toml", &text).unwrap();
        assert_eq!(p.len(), REFERENCE.len());
        let month = minsheng_model::date::parse_iso("2024-06-01").unwrap();
        let fucheng = RegionCode::parse("510703001003").unwrap();
        for (id, value) in REFERENCE {
            let got = p
                .resolve(id, month, fucheng)
                .unwrap_or_else(|| panic!("{id} has no value in 涪城区"));
            assert_eq!(got.value.to_string(), *value, "{id}");
            assert!(!p.get(id).unwrap().label.is_empty());
        }
        // The district top-up exists only in 涪城区.
        let youxian = RegionCode::parse("510704001001").unwrap();
        assert_eq!(p.resolve("fucheng.self_pay_cap_rate", month, youxian), None);
    }
}
