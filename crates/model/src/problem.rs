//! Every reason the registry refuses a value or a row: a stable code (for counting and
//! for machines) and a sentence in Chinese that says what is wrong and what is expected.
//!
//! Import reports, the web pages and later the case workflow all print these, so a
//! caseworker reads the same words everywhere.

use crate::idnumber::IdNumberError;
use crate::money::MoneyError;
use std::fmt;

/// One refused value: which column, the value as written, and why.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Problem {
    /// Column name; empty when the problem concerns the whole row.
    pub column: String,
    pub value: String,
    pub kind: ProblemKind,
}

impl Problem {
    pub fn new(column: impl Into<String>, value: impl Into<String>, kind: ProblemKind) -> Problem {
        Problem {
            column: column.into(),
            value: value.into(),
            kind,
        }
    }
}

/// Why a value or a row is refused.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ProblemKind {
    /// A required cell is empty.
    Missing,
    /// An id longer than 64 characters or with characters outside `[A-Za-z0-9_-]`.
    BadId,
    Money(MoneyError),
    Date,
    Bool,
    /// Not one of the vocabulary's codes; `expected` lists them with labels.
    Enum {
        expected: String,
    },
    /// An integer outside `min..=max`.
    Integer {
        min: i64,
        max: i64,
    },
    IdNumber(IdNumberError),
    /// The birth date column differs from the one in the ID number.
    BirthDateMismatch {
        from_id: String,
    },
    /// The sex column differs from the one in the ID number.
    SexMismatch {
        from_id: &'static str,
    },
    /// Not 12 digits.
    RegionShape,
    /// 12 digits, but not in the deployment's region table.
    RegionUnknown,
    /// In the table, but a county or township, not a village/community.
    RegionNotVillage {
        level: &'static str,
    },
    /// covered_cost > total_cost.
    CoveredAboveTotal,
    /// A date that must not be before another (`other` names that column).
    DateOrder {
        other: &'static str,
    },
    /// The same id appears on another row of the batch (`other` says where); every copy
    /// is refused, since which one is right is for a person to decide.
    DuplicateId {
        other: String,
    },
    /// A referenced household is neither in the batch nor in the registry.
    UnknownHousehold,
    /// A referenced person is neither in the batch nor in the registry.
    UnknownPerson,
    /// The person exists but belongs to another household (`actual`).
    PersonNotInHousehold {
        actual: String,
    },
    /// The household has no person with relation `head`.
    NoHead,
    /// The household has more than one `head`; `lines` says where.
    SeveralHeads {
        lines: String,
    },
    /// The row depends on a row that was refused (`what` names it).
    DependsOnRejected {
        what: String,
    },
    /// A column the format does not know (a warning, not a refusal: the value is kept).
    UnknownColumn,
    /// A required column is absent from the header.
    MissingColumn,
    /// The same column twice in one header.
    DuplicateColumn,
    /// The file could not be read as CSV/XLSX at this point (`detail` from the reader).
    Unreadable {
        detail: String,
    },
}

impl ProblemKind {
    /// Stable code, used as key of `rejected_by_reason` and in tests.
    pub fn code(&self) -> &'static str {
        use ProblemKind::*;
        match self {
            Missing => "missing_value",
            BadId => "bad_id",
            Money(MoneyError::Negative) => "money_negative",
            Money(MoneyError::TooManyDecimals) => "money_decimals",
            Money(MoneyError::BadGrouping) => "money_grouping",
            Money(MoneyError::TooLarge) => "money_too_large",
            Money(MoneyError::NotANumber) => "money_not_a_number",
            Date => "bad_date",
            Bool => "bad_bool",
            Enum { .. } => "bad_code",
            Integer { .. } => "integer_out_of_range",
            IdNumber(IdNumberError::Length { .. }) => "id_number_length",
            IdNumber(IdNumberError::Characters) => "id_number_characters",
            IdNumber(IdNumberError::BirthDate) => "id_number_birth_date",
            IdNumber(IdNumberError::CheckDigit { .. }) => "id_number_check_digit",
            BirthDateMismatch { .. } => "birth_date_mismatch",
            SexMismatch { .. } => "sex_mismatch",
            RegionShape => "region_code_shape",
            RegionUnknown => "region_code_unknown",
            RegionNotVillage { .. } => "region_code_not_village",
            CoveredAboveTotal => "covered_above_total",
            DateOrder { .. } => "date_order",
            DuplicateId { .. } => "duplicate_id",
            UnknownHousehold => "unknown_household",
            UnknownPerson => "unknown_person",
            PersonNotInHousehold { .. } => "person_not_in_household",
            NoHead => "no_head",
            SeveralHeads { .. } => "several_heads",
            DependsOnRejected { .. } => "depends_on_rejected",
            UnknownColumn => "unknown_column",
            MissingColumn => "missing_column",
            DuplicateColumn => "duplicate_column",
            Unreadable { .. } => "unreadable",
        }
    }
}

impl fmt::Display for ProblemKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        use ProblemKind::*;
        match self {
            Missing => f.write_str("必填项为空"),
            BadId => f.write_str("编号只能由字母、数字、下划线和连字符组成，且不超过64个字符"),
            Money(MoneyError::Negative) => f.write_str("金额不能为负数"),
            Money(MoneyError::TooManyDecimals) => f.write_str("金额最多保留两位小数（单位：元）"),
            Money(MoneyError::BadGrouping) => {
                f.write_str("金额中的逗号不是正确的千分位（应如 1,234,567.50），请勿使用小数逗号")
            }
            Money(MoneyError::TooLarge) => f.write_str("金额过大，请检查单位是否为元"),
            Money(MoneyError::NotANumber) => {
                f.write_str("金额应为以元为单位的数字，如 1234.50（不要带“元”“¥”等符号）")
            }
            Date => f.write_str("日期应为 YYYY-MM-DD 格式的真实日期，如 2024-03-01"),
            Bool => f.write_str("应为 true/false（也可写 1/0 或 是/否）"),
            Enum { expected } => write!(f, "取值不在规定范围内，应为以下之一：{expected}"),
            Integer { min, max } => write!(f, "应为 {min} 到 {max} 之间的整数"),
            IdNumber(IdNumberError::Length { len: 15 }) => {
                f.write_str("身份证号为15位旧号码，请换用18位公民身份号码")
            }
            IdNumber(IdNumberError::Length { len }) => write!(f, "身份证号应为18位，实为{len}位"),
            IdNumber(IdNumberError::Characters) => {
                f.write_str("身份证号前17位应为数字，最后一位为数字或 X（请使用半角字符）")
            }
            IdNumber(IdNumberError::BirthDate) => {
                f.write_str("身份证号第7至14位不是有效的出生日期")
            }
            IdNumber(IdNumberError::CheckDigit { expected, found }) => write!(
                f,
                "身份证号校验位错误：按 GB 11643 计算最后一位应为 {expected}，实为 {found}，号码可能录错"
            ),
            BirthDateMismatch { from_id } => {
                write!(
                    f,
                    "出生日期与身份证号不一致：身份证号中的出生日期为 {from_id}"
                )
            }
            SexMismatch { from_id } => {
                write!(f, "性别与身份证号不一致：按身份证号第17位应为 {from_id}")
            }
            RegionShape => f.write_str("区划代码应为12位数字（统计用区划代码）"),
            RegionUnknown => f.write_str("区划代码不在本地区划表中，请核对，或先导入更新的区划表"),
            RegionNotVillage { level } => {
                write!(f, "区划代码是{level}代码，家庭所在地应填写村（社区）级代码")
            }
            CoveredAboveTotal => {
                f.write_str("政策范围内费用（covered_cost）不能大于总费用（total_cost）")
            }
            DateOrder { other } => write!(f, "该日期不能早于 {other}"),
            DuplicateId { other } => write!(
                f,
                "编号重复：同一编号也出现在{other}，各行均未接收，请核对后保留一行"
            ),
            UnknownHousehold => f.write_str("所属家庭编号在本批数据和登记库中都不存在"),
            UnknownPerson => f.write_str("人员编号在本批数据和登记库中都不存在"),
            PersonNotInHousehold { actual } => write!(f, "该人员不属于此家庭，而属于家庭 {actual}"),
            NoHead => {
                f.write_str("该家庭没有户主（relation 为 head 的成员），每户须有且仅有一名户主")
            }
            SeveralHeads { lines } => {
                write!(f, "该家庭有多名户主（见 {lines}），每户须有且仅有一名户主")
            }
            DependsOnRejected { what } => write!(f, "所依赖的{what}未被接收，本行一并退回"),
            UnknownColumn => f.write_str("文件格式中没有此列；该列数据已另行保存，未被丢弃"),
            MissingColumn => f.write_str("缺少必需的列"),
            DuplicateColumn => f.write_str("表头中该列重复出现"),
            Unreadable { detail } => write!(f, "文件无法读取：{detail}"),
        }
    }
}
