//! Where a resident applies for each program: one table, each row with its basis.
//!
//! Basis marks as in `policies/mianyang/parameters.toml`: **[nat]** a national rule,
//! **[src]** a source document of `shared/sources/`, **[typ]** the usual local practice,
//! to be confirmed by the deployment. The source documents of the sample city describe the
//! programs but not the application channels (only 涪城区's 先诊疗后付费 for hospital stays,
//! and the plan to let residents apply where they live, 推动实现居住地申请救助); the
//! channels below therefore follow the national rules named in each row.

/// Where to apply for one program.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct WhereToApply {
    /// Program id of the pack (`medical_assistance`: the medical chain's 医疗救助).
    pub program: &'static str,
    /// What the resident reads.
    pub text: &'static str,
    /// What the text rests on.
    pub basis: &'static str,
}

const BASIC_LIVING: &str = "向户籍所在地乡镇人民政府（街道办事处）提出书面申请；家庭成员申请有困难的，可以委托村（居）民委员会代为提出申请。";
const BASIC_LIVING_BASIS: &str =
    "[nat] 《社会救助暂行办法》（国务院令第649号）最低生活保障的申请程序";
const LOW_INCOME: &str = "向户籍所在地乡镇人民政府（街道办事处）提出申请，由乡镇（街道）认定；也可以委托村（居）民委员会代为提出。";
const LOW_INCOME_BASIS: &str =
    "[typ] 低收入人口认定与低保使用同一申请渠道（《社会救助暂行办法》的申请程序）";
const DISABILITY: &str = "持第二代《中华人民共和国残疾人证》，向户籍所在地乡镇人民政府（街道办事处）提出书面申请；本人申请有困难的，可以由法定赡养、抚养、扶养义务人、近亲属或村（居）民委员会代为办理。";
const DISABILITY_BASIS: &str = "[nat] 《国务院关于全面建立困难残疾人生活补贴和重度残疾人护理补贴制度的意见》（国发〔2015〕52号）";

/// Every program of the reference pack, and 医疗救助.
pub const WHERE_TO_APPLY: &[WhereToApply] = &[
    WhereToApply {
        program: "dibao",
        text: BASIC_LIVING,
        basis: BASIC_LIVING_BASIS,
    },
    WhereToApply {
        program: "dibao_single",
        text: BASIC_LIVING,
        basis: BASIC_LIVING_BASIS,
    },
    WhereToApply {
        program: "tekun",
        text: "由本人向户籍所在地乡镇人民政府（街道办事处）提出书面申请；本人申请有困难的，可以委托村（居）民委员会代为提出申请。",
        basis: "[nat] 《社会救助暂行办法》（国务院令第649号）特困人员供养的申请程序",
    },
    WhereToApply {
        program: "dibao_edge",
        text: LOW_INCOME,
        basis: LOW_INCOME_BASIS,
    },
    WhereToApply {
        program: "expenditure_hardship",
        text: LOW_INCOME,
        basis: LOW_INCOME_BASIS,
    },
    WhereToApply {
        program: "disability_living",
        text: DISABILITY,
        basis: DISABILITY_BASIS,
    },
    WhereToApply {
        program: "disability_care",
        text: DISABILITY,
        basis: DISABILITY_BASIS,
    },
    WhereToApply {
        program: "elderly_allowance",
        text: "凭身份证、户口簿向户籍所在地村（社区）或乡镇人民政府（街道办事处）提出申请。",
        basis: "[typ] 高龄津贴按当地办法申领（《绵阳市“十四五”基本公共服务体系规划》：完善老年人高龄津贴制度）",
    },
    WhereToApply {
        program: "orphan_support",
        text: "由监护人向孤儿户籍所在地乡镇人民政府（街道办事处）提出申请。",
        basis: "[nat] 《国务院办公厅关于加强孤儿保障工作的意见》（国办发〔2010〕54号）",
    },
    WhereToApply {
        program: "medical_assistance",
        text: "低保对象、特困人员、低保边缘家庭成员在定点医疗机构住院，基本医保、大病保险、医疗救助“一站式”结算，出院时直接减免；涪城区城镇困难群众在区内定点公立医疗机构住院实行“先诊疗后付费”，三重保障后个人自付超过当次住院总费用10%的部分由精准帮扶资金和医疗救助基金统筹解决。其他情况向户籍所在地乡镇人民政府（街道办事处）申请。",
        basis: "[src] 《涪城多点发力 推动民生事业高质量发展》（绵阳日报，2022-03-29）；[nat] 《社会救助暂行办法》医疗救助",
    },
];

/// For programs the table does not know (a deployment's own).
const FALLBACK: &str = "向户籍所在地乡镇人民政府（街道办事处）或村（居）民委员会咨询申请办法。";

/// The text a resident reads for `program`.
pub fn where_to_apply(program: &str) -> &'static str {
    WHERE_TO_APPLY
        .iter()
        .find(|w| w.program == program)
        .map_or(FALLBACK, |w| w.text)
}
