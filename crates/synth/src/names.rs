//! Chinese personal names: a weighted surname table and given-name characters by sex and
//! birth cohort, so that a 1950s grandmother is 秀英 and her granddaughter 欣怡.
//!
//! Surname weights are per 10 000 people, approximately the Sichuan ranking (李 ahead of
//! 王, and the south-western 罗 何 邓 唐 谢 蒋 廖 曾 文 敬 苟 母 more frequent than
//! nationally) — realistic, not an official statistic. The rest of the 10 000 is spread
//! over the tail of the table.

use minsheng_model::Sex;

use crate::dist::{self, Rng};

/// (surname, weight per 10 000), sorted by falling weight so the linear pick stops early.
const SURNAMES: dist::Table<&str> = dist::Table::new(&[
    ("李", 770),
    ("王", 660),
    ("张", 600),
    ("刘", 570),
    ("陈", 560),
    ("杨", 400),
    ("黄", 250),
    ("罗", 240),
    ("何", 200),
    ("吴", 190),
    ("周", 180),
    ("赵", 180),
    ("邓", 170),
    ("唐", 160),
    ("谢", 150),
    ("蒋", 140),
    ("冯", 130),
    ("曾", 130),
    ("徐", 120),
    ("胡", 120),
    ("彭", 110),
    ("郑", 100),
    ("廖", 100),
    ("袁", 100),
    ("杜", 100),
    ("雷", 90),
    ("文", 80),
    ("任", 80),
    ("马", 80),
    ("朱", 80),
    ("郭", 80),
    ("林", 70),
    ("高", 70),
    ("梁", 60),
    ("宋", 60),
    ("许", 60),
    ("韩", 60),
    ("曹", 60),
    ("肖", 60),
    ("田", 60),
    ("苏", 50),
    ("敬", 50),
    ("苟", 50),
    ("母", 40),
    ("董", 50),
    ("潘", 50),
    ("余", 50),
    ("蔡", 50),
    ("程", 50),
    ("魏", 40),
    ("吕", 40),
    ("丁", 40),
    ("沈", 40),
    ("姚", 40),
    ("卢", 40),
    ("钟", 40),
    ("谭", 40),
    ("贾", 30),
    ("夏", 30),
    ("付", 30),
    ("方", 30),
    ("白", 30),
    ("邹", 30),
    ("熊", 30),
    ("秦", 30),
    ("邱", 30),
    ("江", 30),
    ("尹", 30),
    ("段", 30),
    ("侯", 30),
    ("龙", 30),
    ("陶", 30),
    ("贺", 30),
    ("毛", 30),
    ("龚", 30),
    ("严", 30),
    ("向", 30),
    ("汤", 30),
    ("岳", 20),
    ("姜", 20),
    ("石", 20),
    ("陆", 20),
    ("汪", 20),
    ("范", 20),
    ("金", 20),
    ("孟", 20),
    ("薛", 20),
    ("史", 20),
    ("黎", 20),
    ("万", 20),
    ("戴", 20),
    ("孔", 20),
    ("左", 20),
    ("刁", 20),
]);

/// Given-name characters by cohort: born before 1965, 1965–1994, from 1995.
const MALE: [&[&str]; 3] = [
    &[
        "德", "明", "国", "建", "华", "文", "志", "永", "福", "贵", "成", "忠", "树", "清", "春",
        "富", "云", "海", "金", "山", "友", "元", "兴", "昌",
    ],
    &[
        "伟", "勇", "军", "强", "磊", "涛", "斌", "杰", "鹏", "波", "平", "刚", "辉", "俊", "峰",
        "东", "亮", "林", "超", "明", "兵", "川", "洪", "江",
    ],
    &[
        "浩", "宇", "轩", "子", "睿", "泽", "博", "梓", "俊", "宸", "皓", "航", "然", "逸", "辰",
        "一", "铭", "晨", "嘉", "豪", "鑫", "杰", "阳", "锦",
    ],
];
const FEMALE: [&[&str]; 3] = [
    &[
        "秀", "英", "兰", "芳", "桂", "珍", "淑", "华", "玉", "凤", "琼", "素", "翠", "会", "群",
        "碧", "琴", "蓉", "明", "菊", "莲", "清", "萍", "惠",
    ],
    &[
        "丽", "静", "敏", "燕", "艳", "娟", "霞", "琴", "梅", "红", "莉", "玲", "婷", "雪", "英",
        "芳", "蓉", "丹", "莎", "利", "晓", "春", "小", "艳",
    ],
    &[
        "欣", "怡", "雨", "萱", "涵", "梓", "诗", "可", "佳", "思", "语", "琪", "悦", "彤", "馨",
        "若", "晨", "一", "子", "婉", "紫", "依", "沐", "妍",
    ],
];

/// A surname drawn from the weighted table.
pub fn surname(rng: &mut Rng) -> &'static str {
    SURNAMES.pick(rng)
}

/// Writes `surname` + a one- or two-character given name into `out` (cleared first).
/// Single-character given names were commoner in the middle cohort.
pub fn write_full_name(rng: &mut Rng, out: &mut String, surname: &str, sex: Sex, birth_year: i32) {
    let cohort = match birth_year {
        ..1965 => 0,
        1965..1995 => 1,
        _ => 2,
    };
    let chars = if sex == Sex::M {
        MALE[cohort]
    } else {
        FEMALE[cohort]
    };
    let single = [0.15, 0.35, 0.12][cohort];
    out.clear();
    out.push_str(surname);
    let first = chars[dist::between(rng, 0, chars.len() as i32 - 1) as usize];
    out.push_str(first);
    if !dist::chance(rng, single) {
        let second = chars[dist::between(rng, 0, chars.len() as i32 - 1) as usize];
        // A doubled character (婷婷, 浩浩) is a real pattern; keep it at its natural rate.
        out.push_str(second);
    }
}
