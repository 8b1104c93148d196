//! Household composition: which kind of household (a template), who is in it, how they
//! relate to the head, their sex, age, birth date and surname.
//!
//! Shares are per mille of households, by area (rural 绵阳 has more elderly living alone
//! and more skip-generation households — 留守 grandparents with grandchildren — while the
//! city has more young singles and nuclear families):
//!
//! | template | members | urban ‰ | rural ‰ |
//! |---|---|---|---|
//! | elderly living alone (60+, 62 % women: widows) | 1 | 90 | 120 |
//! | single adult 18–59 | 1 | 165 | 95 |
//! | siblings / adult with a grandparent | 2 | 13 | 15 |
//! | elderly couple (60+) | 2 | 110 | 130 |
//! | couple without children (young or empty nest) | 2 | 95 | 70 |
//! | widowed parent + adult child / single parent + child | 2 | 70 | 60 |
//! | grandparent + grandchild (留守) | 2 | 15 | 40 |
//! | couple + 1 child | 3 | 200 | 130 |
//! | couple + a parent of the head | 3 | 30 | 35 |
//! | elderly couple + grandchild | 3 | 15 | 45 |
//! | couple + 2 children / three generations of 4 | 4 | 130 | 140 |
//! | three generations of 5 (incl. head, spouse, son, 儿媳 as `other`, grandchild) | 5 | 52 | 80 |
//! | three generations of 6 / 7 | 6–7 | 15 | 40 |
//!
//! Mean size ≈ 2.6 overall (2.60 measured on 200 000 households; 23 % single-person,
//! 31 % two-person) — 绵阳 family households averaged
//! 2.62 in the 2010 census (六普) and Sichuan 2.61 in 2020 (七普); registry households also
//! count members who work away. 1 % of households of three or more add an `other`
//! relative (nephew, cousin).
//!
//! Ages follow the relations: husbands ≈ 2 years older than wives (sd 2.5); a first child
//! is born when the mother is 21–34, later ones 1–7 years apart; the head's parents are
//! 22–33 years older than the head; grandchildren 45–62 years younger than grandparents.
//! Surnames: children take the father's (92 %), so mostly the head's; spouses, mothers
//! and in-laws keep their own.

use minsheng_model::{DisabilityKind, Employment, Illness, Relation, SelfCare, Sex};

use crate::calendar::{Calendar, MAX_AGE};
use crate::dist::{self, Rng};
use crate::names;

/// The kinds of households generated (see the table in the module comment).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Template {
    ElderAlone,
    SingleAdult,
    Siblings,
    WithGrandparent,
    ElderCouple,
    Couple,
    ParentAdultChild,
    SingleParent,
    GrandparentChild,
    Nuclear1,
    CoupleParent,
    SkipGenCouple,
    Nuclear2,
    ThreeGen4,
    ThreeGenOld5,
    ThreeGen5,
    ThreeGen5b,
    ThreeGen6,
    ThreeGen7,
}

use Template::*;

const URBAN: dist::Table<Template> = dist::Table::new(&[
    (Nuclear1, 200),
    (SingleAdult, 165),
    (ElderCouple, 110),
    (Couple, 95),
    (ElderAlone, 90),
    (Nuclear2, 75),
    (ThreeGen4, 55),
    (ParentAdultChild, 40),
    (SingleParent, 30),
    (CoupleParent, 30),
    (ThreeGen5b, 22),
    (ThreeGen5, 20),
    (GrandparentChild, 15),
    (SkipGenCouple, 15),
    (ThreeGen6, 12),
    (ThreeGenOld5, 10),
    (Siblings, 8),
    (WithGrandparent, 5),
    (ThreeGen7, 3),
]);

const RURAL: dist::Table<Template> = dist::Table::new(&[
    (ElderCouple, 130),
    (Nuclear1, 130),
    (ElderAlone, 120),
    (SingleAdult, 95),
    (Nuclear2, 75),
    (Couple, 70),
    (ThreeGen4, 65),
    (SkipGenCouple, 45),
    (ParentAdultChild, 40),
    (GrandparentChild, 40),
    (CoupleParent, 35),
    (ThreeGenOld5, 30),
    (ThreeGen6, 30),
    (ThreeGen5, 25),
    (ThreeGen5b, 25),
    (SingleParent, 20),
    (Siblings, 10),
    (ThreeGen7, 10),
    (WithGrandparent, 5),
]);

/// Most members a household can have (ThreeGen7 plus an `other` relative); bounds the
/// width of person ids.
pub const MAX_MEMBERS: u64 = 8;

/// One member as drafted before becoming a [`minsheng_model::Person`]. Money in fen.
#[derive(Clone, Debug)]
pub struct Member {
    pub relation: Relation,
    pub sex: Sex,
    /// Full years today.
    pub age: u8,
    pub birth_day: i32,
    pub surname: &'static str,
    pub disability_grade: u8,
    pub disability_kind: DisabilityKind,
    pub illness: Illness,
    pub self_care: SelfCare,
    pub employment: Employment,
    pub wage: i64,
    pub business: i64,
    pub property: i64,
    pub transfer: i64,
    pub capable_supporter: bool,
    pub orphan: bool,
    pub deceased_day: Option<i32>,
    /// ID number issued outside the district (in-migrant).
    pub born_elsewhere: bool,
}

impl Member {
    fn new(
        rng: &mut Rng,
        cal: &Calendar,
        relation: Relation,
        sex: Sex,
        age: i32,
        surname: &'static str,
    ) -> Member {
        let age = age.clamp(0, i32::from(MAX_AGE)) as u8;
        Member {
            relation,
            sex,
            age,
            birth_day: cal.birth_day(rng, age),
            surname,
            disability_grade: 0,
            disability_kind: DisabilityKind::None,
            illness: Illness::None,
            self_care: SelfCare::Full,
            employment: Employment::None,
            wage: 0,
            business: 0,
            property: 0,
            transfer: 0,
            capable_supporter: true,
            orphan: false,
            deceased_day: None,
            born_elsewhere: false,
        }
    }

    /// Total monthly income in fen (all four components).
    pub fn income(&self) -> i64 {
        self.wage + self.business + self.property + self.transfer
    }
}

/// An age from `(lo, hi, weight)` bands.
fn age_in(rng: &mut Rng, bands: &[(i32, i32, u32)]) -> i32 {
    let total: u32 = bands.iter().map(|b| b.2).sum();
    let mut x = dist::between(rng, 0, total as i32 - 1) as u32;
    for &(lo, hi, w) in bands {
        if x < w {
            return dist::between(rng, lo, hi);
        }
        x -= w;
    }
    bands[0].0
}

fn sex_with_female_share(rng: &mut Rng, p: f64) -> Sex {
    if dist::chance(rng, p) { Sex::F } else { Sex::M }
}

/// A child's sex: about 52 % boys (绵阳's sex ratio at birth was high for decades).
fn child_sex(rng: &mut Rng) -> Sex {
    sex_with_female_share(rng, 0.48)
}

fn opposite(s: Sex) -> Sex {
    if s == Sex::M { Sex::F } else { Sex::M }
}

/// Builds one household's members into `out` (cleared first) and returns its template.
pub fn compose(rng: &mut Rng, urban: bool, cal: &Calendar, out: &mut Vec<Member>) -> Template {
    out.clear();
    let t = if urban {
        URBAN.pick(rng)
    } else {
        RURAL.pick(rng)
    };
    let sur = names::surname(rng);
    let mut b = Builder { rng, cal, out, sur };
    match t {
        ElderAlone => {
            let age = age_in(
                b.rng,
                &[(60, 69, 42), (70, 79, 36), (80, 89, 18), (90, 100, 4)],
            );
            let sex = sex_with_female_share(b.rng, 0.62);
            b.head(sex, age);
        }
        SingleAdult => {
            let age = age_in(b.rng, &[(18, 29, 40), (30, 44, 33), (45, 59, 27)]);
            let sex = sex_with_female_share(b.rng, 0.4);
            b.head(sex, age);
        }
        Siblings => {
            let age = dist::between(b.rng, 35, 75);
            let sex = sex_with_female_share(b.rng, 0.45);
            b.head(sex, age);
            let sib_age = (age + dist::between(b.rng, -8, 8)).max(18);
            let sib_sex = child_sex(b.rng);
            b.push(Relation::Sibling, sib_sex, sib_age, sur);
        }
        WithGrandparent => {
            let age = dist::between(b.rng, 20, 38);
            let sex = sex_with_female_share(b.rng, 0.4);
            b.head(sex, age);
            let gp_sex = sex_with_female_share(b.rng, 0.65);
            let gp_age = age + dist::between(b.rng, 45, 60);
            let gp_sur = if gp_sex == Sex::M {
                sur
            } else {
                names::surname(b.rng)
            };
            b.push(Relation::Grandparent, gp_sex, gp_age, gp_sur);
        }
        ElderCouple => {
            let age = age_in(b.rng, &[(60, 69, 52), (70, 79, 35), (80, 92, 13)]);
            b.couple(0.15, age);
        }
        Couple => {
            let age = age_in(b.rng, &[(22, 35, 40), (36, 44, 10), (45, 59, 50)]);
            b.couple(0.2, age);
        }
        ParentAdultChild => {
            let age = age_in(b.rng, &[(55, 69, 50), (70, 79, 33), (80, 92, 17)]);
            let sex = sex_with_female_share(b.rng, 0.65);
            b.head(sex, age);
            // The child is born when the head was 21–34, so at least 21 now.
            b.children(1, None, sex == Sex::M);
        }
        SingleParent => {
            let age = dist::between(b.rng, 30, 52);
            let sex = sex_with_female_share(b.rng, 0.7);
            b.head(sex, age);
            b.children(1, None, true);
        }
        GrandparentChild => {
            let age = dist::between(b.rng, 55, 82);
            let sex = sex_with_female_share(b.rng, 0.55);
            b.head(sex, age);
            b.grandchild();
        }
        Nuclear1 | Nuclear2 => {
            let age = age_in(b.rng, &[(25, 34, 40), (35, 44, 35), (45, 55, 25)]);
            let mother = b.couple(0.15, age);
            b.children(if t == Nuclear1 { 1 } else { 2 }, mother, true);
        }
        CoupleParent => {
            let age = dist::between(b.rng, 28, 60);
            b.couple(0.15, age);
            b.parents(1);
        }
        SkipGenCouple => {
            let age = dist::between(b.rng, 55, 80);
            b.couple(0.12, age);
            b.grandchild();
        }
        ThreeGen4 | ThreeGen5 | ThreeGen5b | ThreeGen6 | ThreeGen7 => {
            let age = dist::between(b.rng, 26, 52);
            let mother = b.couple(0.15, age);
            let (kids, parents) = match t {
                ThreeGen4 => (1, 1),
                ThreeGen5 => (2, 1),
                ThreeGen5b => (1, 2),
                ThreeGen6 => (2, 2),
                _ => (3, 2),
            };
            b.children(kids, mother, true);
            b.parents(parents);
        }
        ThreeGenOld5 => {
            let age = dist::between(b.rng, 50, 75);
            let mother = b.couple(0.1, age);
            let head_sex = b.out[0].sex;
            // Usually a married son (with 儿媳, relation `other`) stays with the parents.
            let son = dist::chance(b.rng, 0.75);
            let kid_sex = if son { Sex::M } else { Sex::F };
            let child_age = (mother.unwrap_or(age) - dist::between(b.rng, 21, 32)).max(20);
            let child_sur = if head_sex == Sex::M || !son {
                sur
            } else {
                b.out[1].surname
            };
            b.push(Relation::Child, kid_sex, child_age, child_sur);
            let in_law_age = (child_age + dist::between(b.rng, -4, 4)).max(20);
            let in_law_sur = names::surname(b.rng);
            b.push(Relation::Other, opposite(kid_sex), in_law_age, in_law_sur);
            let mother_age = if son { in_law_age } else { child_age };
            let gc_age = (mother_age - dist::between(b.rng, 21, 32)).max(0);
            let gc_sex = child_sex(b.rng);
            let gc_sur = if son { child_sur } else { in_law_sur };
            b.push(Relation::Grandchild, gc_sex, gc_age, gc_sur);
        }
    }
    if out.len() >= 3 && dist::chance(rng, 0.01) {
        let head_age = i32::from(out[0].age);
        let age = (head_age - dist::between(rng, 5, 30)).max(16);
        let sex = child_sex(rng);
        let sur = names::surname(rng);
        out.push(Member::new(rng, cal, Relation::Other, sex, age, sur));
    }
    debug_assert!(
        out.len() as u64 <= MAX_MEMBERS,
        "{t:?} has {} members",
        out.len()
    );
    t
}

/// Adds members one relation at a time, keeping ages and surnames consistent.
struct Builder<'a> {
    rng: &'a mut Rng,
    cal: &'a Calendar,
    out: &'a mut Vec<Member>,
    /// The head's surname.
    sur: &'static str,
}

impl Builder<'_> {
    fn push(&mut self, relation: Relation, sex: Sex, age: i32, surname: &'static str) {
        let m = Member::new(self.rng, self.cal, relation, sex, age, surname);
        self.out.push(m);
    }

    fn head(&mut self, sex: Sex, age: i32) {
        self.push(Relation::Head, sex, age, self.sur);
    }

    /// Head and spouse (the head is a woman with probability `female_head`); returns the
    /// wife's age, from which children's ages are drawn.
    fn couple(&mut self, female_head: f64, head_age: i32) -> Option<i32> {
        let head_sex = sex_with_female_share(self.rng, female_head);
        // Husband minus wife: ≈ 2 years, sd 2.5, kept within −3..10 so that both parents
        // are adults when their first child is born.
        let gap = dist::normal_int(self.rng, 2.0, 2.5).clamp(-3, 10);
        // Legal marriage ages: 22 for men, 20 for women.
        let (husband, wife) = if head_sex == Sex::M {
            let wife = (head_age - gap).max(20);
            ((wife + gap).max(22), wife)
        } else {
            let wife = head_age.max(20);
            ((wife + gap).max(22), wife)
        };
        let (head_age, spouse_age) = if head_sex == Sex::M {
            (husband, wife)
        } else {
            (wife, husband)
        };
        self.head(head_sex, head_age);
        let spouse_sur = names::surname(self.rng);
        self.push(Relation::Spouse, opposite(head_sex), spouse_age, spouse_sur);
        Some(i32::from(
            self.out[if head_sex == Sex::F { 0 } else { 1 }].age,
        ))
    }

    /// `n` children of the head; the first born when the mother (or the head, when
    /// `mother` is unknown) was 21–34, the next 1–7 years later. With `father_is_head`
    /// they mostly carry the head's surname, otherwise the spouse's.
    fn children(&mut self, n: usize, mother: Option<i32>, father_is_head: bool) {
        let base = mother.unwrap_or(i32::from(self.out[0].age));
        let father_sur = if father_is_head || self.out.len() < 2 {
            self.sur
        } else {
            self.out[1].surname
        };
        let mother_sur = if father_is_head && self.out.len() >= 2 {
            self.out[1].surname
        } else {
            self.sur
        };
        let mut age = base - dist::between(self.rng, 21, 34);
        for _ in 0..n {
            let sex = child_sex(self.rng);
            let sur = if dist::chance(self.rng, 0.92) {
                father_sur
            } else {
                mother_sur
            };
            self.push(Relation::Child, sex, age.max(0), sur);
            age -= dist::between(self.rng, 1, 7);
        }
    }

    /// One or two parents of the head, 22–33 years older (a father carries the head's
    /// surname; a mother her own).
    fn parents(&mut self, n: usize) {
        let head_age = i32::from(self.out[0].age);
        let older = (head_age + dist::between(self.rng, 22, 33)).min(i32::from(MAX_AGE));
        if n >= 2 {
            let gap = dist::normal_int(self.rng, 2.0, 2.5).clamp(-3, 10);
            let mother = (older - gap.max(0)).max(head_age + 19);
            self.push(Relation::Parent, Sex::M, older, self.sur);
            let s = names::surname(self.rng);
            self.push(Relation::Parent, Sex::F, mother, s);
        } else {
            // A parent living with a grown child is more often a widowed mother.
            let sex = sex_with_female_share(self.rng, 0.65);
            let s = if sex == Sex::M {
                self.sur
            } else {
                names::surname(self.rng)
            };
            self.push(Relation::Parent, sex, older, s);
        }
    }

    /// A grandchild of the head, 45–62 years younger, aged 1–17 (留守儿童).
    fn grandchild(&mut self) {
        let head_age = i32::from(self.out[0].age);
        let age = (head_age - dist::between(self.rng, 45, 62)).clamp(1, 17);
        let sex = child_sex(self.rng);
        let s = if dist::chance(self.rng, 0.75) {
            self.sur
        } else {
            names::surname(self.rng)
        };
        self.push(Relation::Grandchild, sex, age, s);
    }
}
