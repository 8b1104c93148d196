//! A household as the rules see it in month M: its living members, its standard, its
//! assets test, and — once tekun is known — the membership that the household programs
//! count (reference "Income and assets", and the 特困 exclusion under "tekun").

use crate::exact::{Q, Rate};
use crate::params;
use crate::person::{Member, counted_income};
use crate::tri::{Val, and, both, cell, every, not, or};
use minsheng_model::{Area, Fen, Household};

/// The household and its members alive in M (clarification 9), ordered by person_id.
pub struct HouseholdFacts<'a> {
    pub h: &'a Household,
    pub members: Vec<Member<'a>>,
    /// The area's dibao standard; an empty `area` leaves it unknown, which blocks every
    /// rule that reads the standard (incomes of workers, tekun, dibao, edge, hardship).
    pub standard: Val<Fen>,
}

impl<'a> HouseholdFacts<'a> {
    pub fn new(h: &'a Household, members: Vec<Member<'a>>) -> Self {
        let standard = cell(h.area, "area").map(|a| match a {
            Area::Urban => params::DIBAO_STANDARD_URBAN,
            Area::Rural => params::DIBAO_STANDARD_RURAL,
        });
        HouseholdFacts {
            h,
            members,
            standard,
        }
    }

    /// `savings ≤ months × standard × size ∧ houses ≤ max_houses ∧ vehicles ≤ max_vehicles`
    /// with the given savings months: 24 for `assets_ok`, 36 for dibao_edge. The house and
    /// vehicle limits are the same parameters for both (clarification 8).
    fn assets_within(&self, savings_months: i64, size: &Val<i64>) -> Val<bool> {
        let h = self.h;
        let savings_ok = both(
            cell(h.savings, "savings"),
            both(self.standard.clone(), size.clone()),
        )
        .map(|(savings, (standard, size))| {
            Q::fen(savings) <= Q::fen(standard).scale(savings_months * size)
        });
        and([
            savings_ok,
            cell(h.houses, "houses").map(|n| i64::from(n) <= params::ASSETS_MAX_HOUSES),
            cell(h.vehicles, "vehicles").map(|n| i64::from(n) <= params::ASSETS_MAX_VEHICLES),
        ])
    }

    /// `assets_ok(h)` for a head count `size`.
    pub fn assets_ok(&self, size: &Val<i64>) -> Val<bool> {
        self.assets_within(params::ASSETS_SAVINGS_MONTHS, size)
    }

    /// dibao_edge's assets test: savings ≤ 36 × standard × size, houses and vehicles as
    /// `assets_ok`.
    pub fn edge_assets_ok(&self, size: &Val<i64>) -> Val<bool> {
        self.assets_within(params::EDGE_SAVINGS_MONTHS, size)
    }

    /// The full membership's head count, which tekun's `assets_ok` uses ("computed with its
    /// full membership").
    pub fn full_size(&self) -> i64 {
        self.members.len() as i64
    }
}

/// The household after the 特困 exclusion: "Tekun members are excluded from their household
/// for every household program (their income and their head count)."
pub struct Composition<'a> {
    /// Whether some member is not tekun. Kleene `or`: one member known not tekun is enough.
    /// False for a household of only tekun members, which "has no household programs",
    /// and for a household with no living member.
    pub has_members: Val<bool>,
    /// The members that count, known only when every member's tekun status is known;
    /// otherwise unknown with the columns that keep a tekun status open.
    pub members: Val<Vec<Member<'a>>>,
    /// `size`.
    pub size: Val<i64>,
    /// `hh_income` = Σ counted_income over the members that count (exact).
    pub hh_income: Val<Q>,
}

impl<'a> Composition<'a> {
    /// `tekun[i]` is the tekun status of `facts.members[i]`.
    pub fn new(facts: &HouseholdFacts<'a>, tekun: &[Val<bool>]) -> Self {
        let has_members = or(tekun.iter().cloned().map(not));
        let members: Val<Vec<Member<'a>>> = every(tekun.iter().cloned()).map(|flags| {
            facts
                .members
                .iter()
                .zip(flags)
                .filter(|(_, t)| !t)
                .map(|(m, _)| *m)
                .collect()
        });
        let size = members
            .as_ref()
            .map(|ms| ms.len() as i64)
            .map_err(Clone::clone);
        // Interpretation (clarification 10): a member whose tekun status is open leaves
        // the sum unknown with that status's columns; the incomes of the members known to
        // count are read all the same, so every column a caseworker must fill is named at
        // once (an open status does not hide an empty wage elsewhere in the household).
        let hh_income = every(facts.members.iter().zip(tekun).map(|(m, t)| match t {
            Ok(true) => Ok(Q::ZERO),
            Ok(false) => counted_income(m, &facts.standard),
            Err(missing) => Err(missing.clone()),
        }))
        .map(|incomes| incomes.into_iter().sum());
        Composition {
            has_members,
            members,
            size,
            hh_income,
        }
    }

    /// `hh_income < multiple × standard × size`, exactly (no division: Conventions).
    pub fn income_below(&self, multiple: Rate, standard: &Val<Fen>) -> Val<bool> {
        let (income, (standard, size)) = both(
            self.hh_income.clone(),
            both(standard.clone(), self.size.clone()),
        )?;
        Ok(income < Q::fen(standard).scale(size).times(multiple))
    }

    /// `standard × size` (exact), for the dibao amount and the hardship test.
    pub fn standard_total(&self, standard: &Val<Fen>) -> Val<Q> {
        let (standard, size) = both(standard.clone(), self.size.clone())?;
        Ok(Q::fen(standard).scale(size))
    }
}
