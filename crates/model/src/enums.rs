//! The closed vocabularies of interchange-v1, each with its file code and Chinese label.
//!
//! One macro defines every enum so that parsing, writing, help text and error messages
//! ("应为以下之一：head 户主、spouse 配偶 …") come from the same table.

/// What every closed vocabulary offers generic code (columnar readers, lookup tables).
pub trait Vocabulary: Copy + 'static {
    /// Every value, in file order.
    const ALL: &'static [Self];
    /// The code written in interchange files.
    fn code(self) -> &'static str;
    /// The value's position in [`Self::ALL`].
    fn index(self) -> usize;
}

macro_rules! vocabulary {
    ($(#[$meta:meta])* $name:ident { $($variant:ident = $code:literal, $label:literal;)+ }) => {
        $(#[$meta])*
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub enum $name { $($variant),+ }

        impl $name {
            /// Every value, in file order.
            pub const ALL: &'static [$name] = &[$($name::$variant),+];
            /// The codes accepted in files, in the order of [`Self::ALL`].
            pub const CODES: &'static [&'static str] = &[$($code),+];

            /// The code written in interchange files.
            pub const fn code(self) -> &'static str {
                match self { $($name::$variant => $code),+ }
            }

            /// The Chinese term used on pages and in reports.
            pub const fn label(self) -> &'static str {
                match self { $($name::$variant => $label),+ }
            }

            /// Reads a file code (exact, case-sensitive as the spec writes them).
            #[inline]
            pub fn from_code(s: &str) -> Option<$name> {
                match s { $($code => Some($name::$variant),)+ _ => None }
            }

            /// "head 户主、spouse 配偶、…" — the list a caseworker sees when a value is wrong.
            pub fn expected_list() -> String {
                $name::ALL.iter().map(|v| format!("{} {}", v.code(), v.label())).collect::<Vec<_>>().join("、")
            }
        }

        impl $crate::enums::Vocabulary for $name {
            const ALL: &'static [$name] = $name::ALL;
            fn code(self) -> &'static str {
                $name::code(self)
            }
            fn index(self) -> usize {
                self as usize
            }
        }

        /// The first value. Only a filler for the unknown cells of columnar storage (whose
        /// `known` flag is false); an empty cell never *means* this value.
        impl Default for $name {
            fn default() -> Self {
                $name::ALL[0]
            }
        }

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(self.code())
            }
        }
    };
}

// Other modules of the crate (e.g. `access`) define their vocabularies with it too.
pub(crate) use vocabulary;

vocabulary!(
    /// 城镇 or 农村: which local standard applies to a household.
    Area { Urban = "urban", "城镇"; Rural = "rural", "农村"; }
);

vocabulary!(
    /// Sex as recorded on the ID card.
    Sex { M = "M", "男"; F = "F", "女"; }
);

vocabulary!(
    /// Relation to the head of household.
    Relation {
        Head = "head", "户主";
        Spouse = "spouse", "配偶";
        Child = "child", "子女";
        Parent = "parent", "父母";
        Grandchild = "grandchild", "孙子女";
        Grandparent = "grandparent", "祖父母";
        Sibling = "sibling", "兄弟姐妹";
        Other = "other", "其他";
    }
);

vocabulary!(
    /// 残疾类别 from the disability certificate.
    DisabilityKind {
        None = "none", "无";
        Visual = "visual", "视力残疾";
        Hearing = "hearing", "听力残疾";
        Speech = "speech", "言语残疾";
        Physical = "physical", "肢体残疾";
        Intellectual = "intellectual", "智力残疾";
        Mental = "mental", "精神残疾";
        Multiple = "multiple", "多重残疾";
    }
);

vocabulary!(
    /// 生活自理能力.
    SelfCare { Full = "full", "生活自理"; Partial = "partial", "部分失能"; None = "none", "完全失能"; }
);

vocabulary!(
    /// Employment status.
    Employment {
        Employed = "employed", "就业";
        Flexible = "flexible", "灵活就业";
        Unemployed = "unemployed", "失业";
        Retired = "retired", "退休";
        Student = "student", "在校学生";
        None = "none", "无业";
    }
);

vocabulary!(
    /// Certified illness: 慢性病 / 重病.
    Illness { None = "none", "无"; Chronic = "chronic", "慢性病"; Severe = "severe", "重病"; }
);

vocabulary!(
    /// Hospital level: 一级 / 二级 / 三级.
    HospitalLevel { L1 = "1", "一级医院"; L2 = "2", "二级医院"; L3 = "3", "三级医院"; }
);

vocabulary!(
    /// Kinds of signals other departments send.
    EventKind {
        UnemploymentRegistered = "unemployment_registered", "失业登记";
        DisabilityCertified = "disability_certified", "残疾认定";
        Death = "death", "死亡";
        DisasterLoss = "disaster_loss", "受灾损失";
        LargeExpense = "large_expense", "大额支出";
        IncomeChange = "income_change", "收入变化";
    }
);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_round_trip() {
        for r in Relation::ALL {
            assert_eq!(Relation::from_code(r.code()), Some(*r));
        }
        assert_eq!(Relation::from_code("Head"), None);
        assert_eq!(HospitalLevel::from_code("3"), Some(HospitalLevel::L3));
        assert_eq!(Area::expected_list(), "urban 城镇、rural 农村");
    }
}
