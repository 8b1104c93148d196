//! One formula over one entity's units: names (inputs, variables, programs, built-ins,
//! `household.x`, parameters), operators, calls and member aggregations.

use super::value::{
    Mask, Val, Walk, choose, fallible, fallible_of, kleene, mask_of, sparse, total, total_of,
};
use super::{Eval, EvalError};
use crate::check::{HOUSEHOLD_INPUTS, PERSON_INPUTS};
use crate::fixed::{Fixed, FixedError};
use crate::frame::Column;
use crate::pack::Entity;
use minsheng_model::enums::Vocabulary;
use minsheng_policy_syntax::{BinaryOp, Expr, ExprKind, InSet, UnaryOp};

/// Turns an arithmetic failure into an error naming the variable or program.
fn arith(owner: &str, entity: Entity) -> impl Fn(FixedError) -> EvalError + use<> {
    let owner = owner.to_owned();
    move |source| EvalError::Arithmetic {
        owner: owner.clone(),
        unit: format!("{entity:?}"),
        source,
    }
}

fn bit(name: &str) -> u32 {
    let i = super::bit_names().position(|n| n == name).unwrap_or(31);
    1 << i
}

/// The unknowns of an input column: bit `b` where a cell is empty.
fn known_mask(known: &[bool], b: u32) -> Mask {
    const BLOCK: usize = 64;
    let mut unknown = Vec::new();
    for (i, block) in known.chunks(BLOCK).enumerate() {
        // Most blocks are all known: one branch-free pass over the block says so.
        if block.iter().fold(true, |all, &k| all & k) {
            continue;
        }
        let start = i * BLOCK;
        unknown.extend(
            block
                .iter()
                .enumerate()
                .filter(|(_, k)| !**k)
                .map(|(j, _)| ((start + j) as u32, b)),
        );
    }
    sparse(unknown)
}

/// An input column scaled to fixed point (`scale` raw units per stored unit).
fn scaled_col(c: &Column<i64>, name: &str, scale: i64) -> Val {
    Val::many(
        c.values.iter().map(|&f| f.saturating_mul(scale)).collect(),
        known_mask(&c.known, bit(name)),
    )
}

fn fen_col(c: &Column<i64>, name: &str) -> Val {
    scaled_col(c, name, 1_000_000)
}

fn int_col(c: &Column<i64>, name: &str) -> Val {
    scaled_col(c, name, Fixed::ONE.0)
}

fn bool_col(c: &Column<bool>, name: &str) -> Val {
    Val::many(
        c.values.iter().map(|&x| i64::from(x)).collect(),
        known_mask(&c.known, bit(name)),
    )
}

/// `a × b`. By a constant that is not a whole number (a rate), through its reduced
/// fraction ([`crate::fixed::Factor`]), the denominators rates have made constants.
fn multiply(n: usize, a: Val, b: Val) -> Result<Val, FixedError> {
    let product = |x: i64, y: i64| Fixed(x).checked_mul(Fixed(y)).map(|r| r.0);
    let (x, c) = match (a, b) {
        (x @ Val::Many(_), Val::Const(c)) | (Val::Const(c), x @ Val::Many(_))
            if c % Fixed::ONE.0 != 0 =>
        {
            (x, c)
        }
        (a, b) => return fallible_of(n, a, b, product),
    };
    let f = Fixed(c).factor();
    let unused = Val::Const(0);
    macro_rules! by {
        ($($den:literal)*) => {
            match f.den {
                $($den => fallible(n, x, &unused, move |x, _| f.times::<$den>(x).map(|r| r.0)),)*
                _ => fallible(n, x, &Val::Const(c), product),
            }
        };
    }
    by!(2 4 5 10 20 25 50 100)
}

/// Which multiple of the unit `round`, `ceil` and `floor` pick.
#[derive(Clone, Copy)]
enum Rounding {
    Half,
    Ceil,
    Floor,
}

/// `x` rounded to a multiple of `unit` per unit. The units rules name most (a fen, a
/// yuan) become compile-time constants, so the division by them is a multiplication;
/// any other unit divides per unit.
fn rounded(n: usize, x: Val, unit: Fixed, mode: Rounding) -> Result<Val, FixedError> {
    fn with(
        n: usize,
        x: Val,
        mode: Rounding,
        unit: impl Fn() -> Fixed + Copy,
    ) -> Result<Val, FixedError> {
        let unused = Val::Const(0);
        match mode {
            Rounding::Half => fallible(n, x, &unused, |x, _| Ok(Fixed(x).round_to(unit())?.0)),
            Rounding::Ceil => fallible(n, x, &unused, |x, _| Ok(Fixed(x).ceil_to(unit())?.0)),
            Rounding::Floor => fallible(n, x, &unused, |x, _| Ok(Fixed(x).floor_to(unit())?.0)),
        }
    }
    const FEN: i64 = Fixed::ONE.0 / 100;
    const YUAN: i64 = Fixed::ONE.0;
    match unit.0 {
        FEN => with(n, x, mode, || Fixed(FEN)),
        YUAN => with(n, x, mode, || Fixed(YUAN)),
        _ => with(n, x, mode, move || unit),
    }
}

impl Eval<'_> {
    /// A code column as interned ids: the vocabulary interned once, each unit a lookup.
    fn code_col<T: Vocabulary>(&mut self, values: &[T], known: Option<&[bool]>, name: &str) -> Val {
        let ids: Vec<i64> = T::ALL.iter().map(|&x| self.codes.id(x.code())).collect();
        let v = values.iter().map(|&x| ids[x.index()]).collect();
        Val::many(v, known.and_then(|k| known_mask(k, bit(name))))
    }

    /// An input column, converted once per frame (and, in an evaluation of some
    /// households, selected once).
    fn input(&mut self, entity: Entity, name: &str) -> Option<Val> {
        if let Some(v) = self.inputs.get(&(entity, name.to_owned())) {
            return Some(v.clone());
        }
        let selected = self.parent.as_ref().map(|p| p.input(entity, name));
        let v = match selected {
            Some(Some(v)) => v,
            // Not read by the whole frame: converted for it, then selected.
            Some(None) => {
                let whole = self.convert_input(entity, name)?;
                self.parent.as_ref()?.at(entity, &whole)
            }
            None => self.convert_input(entity, name)?,
        };
        self.inputs.insert((entity, name.to_owned()), v.clone());
        Some(v)
    }

    fn convert_input(&mut self, entity: Entity, name: &str) -> Option<Val> {
        let f = self.frame;
        let (p, h) = (&f.persons, &f.households);
        Some(match (entity, name) {
            (Entity::Person, "wage_income") => fen_col(&p.wage_income, name),
            (Entity::Person, "business_income") => fen_col(&p.business_income, name),
            (Entity::Person, "property_income") => fen_col(&p.property_income, name),
            (Entity::Person, "transfer_income") => fen_col(&p.transfer_income, name),
            (Entity::Person, "disability_grade") => int_col(&p.disability_grade, name),
            (Entity::Person, "age") => Val::many(
                p.age.iter().map(|&a| i64::from(a) * Fixed::ONE.0).collect(),
                None,
            ),
            (Entity::Person, "disability_kind") => self.code_col(
                &p.disability_kind.values,
                Some(&p.disability_kind.known),
                name,
            ),
            (Entity::Person, "self_care") => {
                self.code_col(&p.self_care.values, Some(&p.self_care.known), name)
            }
            (Entity::Person, "employment") => {
                self.code_col(&p.employment.values, Some(&p.employment.known), name)
            }
            (Entity::Person, "illness") => {
                self.code_col(&p.illness.values, Some(&p.illness.known), name)
            }
            (Entity::Person, "sex") => self.code_col(&p.sex, None, name),
            (Entity::Person, "relation") => self.code_col(&p.relation, None, name),
            (Entity::Person, "capable_supporter") => bool_col(&p.capable_supporter, name),
            (Entity::Person, "orphan") => bool_col(&p.orphan, name),
            (Entity::Household, "area") => self.code_col(&h.area.values, Some(&h.area.known), name),
            (Entity::Household, "savings") => fen_col(&h.savings, name),
            (Entity::Household, "houses") => int_col(&h.houses, name),
            (Entity::Household, "vehicles") => int_col(&h.vehicles, name),
            _ => return None,
        })
    }

    /// The region index of unit `i`; a person's is their household's.
    fn region_index(&self, entity: Entity, i: usize) -> usize {
        let h = match entity {
            Entity::Household => i,
            Entity::Person => self.shape.household_of[i] as usize,
        };
        self.region_at[h] as usize
    }

    /// The value of parameter `id` (resolved per region by `table`) for unit `i`.
    fn param_at(
        &self,
        table: &super::params::ParamTable,
        id: &str,
        entity: Entity,
        i: usize,
    ) -> Result<i64, EvalError> {
        let r = self.region_index(entity, i);
        table.values[r].ok_or_else(|| EvalError::NoParameter {
            id: id.to_owned(),
            region: self.params.region(r).to_string(),
            month: self.params.month().to_string(),
        })
    }

    fn name(&mut self, path: &[String], entity: Entity) -> Result<Val, EvalError> {
        if path.len() == 1 {
            let n = path[0].as_str();
            let is_input = match entity {
                Entity::Person => PERSON_INPUTS.iter().any(|(k, _)| *k == n),
                Entity::Household => HOUSEHOLD_INPUTS.iter().any(|(k, _)| *k == n),
            };
            if is_input && let Some(c) = self.input(entity, n) {
                return Ok(c);
            }
            if entity == Entity::Person && n == "medical_self_paid_12m" {
                return self.medical_self_paid_12m();
            }
            if let Some(item) = self.names.get(n).copied()
                && let Some(c) = self.computed(item, entity)?
            {
                return Ok(c);
            }
        }
        if path.len() == 2 && path[0] == "household" && entity == Entity::Person {
            // Formulas read the same household values many times: gather each once.
            if let Some(v) = self.gathered.get(&path[1]) {
                return Ok(v.clone());
            }
            let hh = self.name(&path[1..], Entity::Household)?;
            let v = hh.gather(&self.shape.household_of, &self.shape.members);
            self.gathered.insert(path[1].clone(), v.clone());
            return Ok(v);
        }
        if self.lifted && entity == Entity::Household && path.len() == 2 && path[0] == "household" {
            return self.name(&path[1..], Entity::Household);
        }
        let id = path.join(".");
        let n = self.len(entity);
        let table = self.params.table(&id);
        // Most parameters have one value for the whole district.
        if let Some(x) = table.uniform {
            return Ok(Val::Const(x));
        }
        let mut v = Vec::with_capacity(n);
        for i in 0..n {
            v.push(self.param_at(&table, &id, entity, i)?);
        }
        Ok(Val::many(v, None))
    }

    pub(crate) fn expr(&mut self, e: &Expr, entity: Entity, owner: &str) -> Result<Val, EvalError> {
        if entity == Entity::Person
            && let Some(v) = self.per_household(e, owner)?
        {
            return Ok(v);
        }
        let n = self.len(entity);
        match &e.kind {
            ExprKind::Number { mantissa, scale } => {
                let d = crate::decimal::Decimal::new(*mantissa, *scale);
                let x = Fixed::from_decimal(d).map_err(arith(owner, entity))?;
                Ok(Val::Const(x.0))
            }
            ExprKind::Str(s) => Ok(Val::Const(self.codes.id(s))),
            ExprKind::Bool(b) => Ok(Val::Const(i64::from(*b))),
            ExprKind::Name(path) => {
                let v = self.name(path, entity)?;
                Ok(if self.lifted {
                    self.unknown_without_members(v)
                } else {
                    v
                })
            }
            ExprKind::Index { base, index } => {
                let ExprKind::Name(path) = &base.kind else {
                    return Ok(Val::Const(0));
                };
                let group = path.join(".");
                let codes = self.expr(index, entity, owner)?;
                let values = codes.values(n);
                // The codes met (interned ids are small), each with its parameter.
                let mut met: Vec<bool> = Vec::new();
                let mut unknown = Walk::new(codes.mask_ref());
                for (i, &c) in values.iter().enumerate() {
                    if unknown.bits(i) == 0 {
                        let c = c as usize;
                        if c >= met.len() {
                            met.resize(c + 1, false);
                        }
                        met[c] = true;
                    }
                }
                let mut tables = Vec::new();
                for (c, _) in met.iter().enumerate().filter(|m| *m.1) {
                    let id = format!("{group}.{}", self.codes.name(c as i64));
                    let table = self.params.table(&id);
                    tables.push((c, id, table));
                }
                // One value per code everywhere (the usual case): a table lookup per unit.
                let v = if tables.iter().all(|t| t.2.uniform.is_some()) {
                    let mut by_code = vec![0i64; met.len()];
                    for (c, _, t) in &tables {
                        by_code[*c] = t.uniform.unwrap_or_default();
                    }
                    values
                        .iter()
                        .map(|&c| by_code.get(c as usize).copied().unwrap_or(0))
                        .collect()
                } else {
                    let mut v = Vec::with_capacity(n);
                    let mut unknown = Walk::new(codes.mask_ref());
                    for (i, &c) in values.iter().enumerate() {
                        if unknown.bits(i) != 0 {
                            v.push(0);
                            continue;
                        }
                        let (_, id, table) = tables
                            .iter()
                            .find(|t| t.0 == c as usize)
                            .unwrap_or_else(|| unreachable!("every code met has its table"));
                        v.push(self.param_at(table, id, entity, i)?);
                    }
                    v
                };
                let v = Val::many(v, codes.mask_ref().clone());
                Ok(if self.lifted {
                    self.unknown_without_members(v)
                } else {
                    v
                })
            }
            ExprKind::Unary { op, expr } => {
                let c = self.expr(expr, entity, owner)?;
                match op {
                    UnaryOp::Not => Ok(total(n, c, &Val::Const(1), |x, one| one - x)),
                    UnaryOp::Neg => fallible(n, c, &Val::Const(0), |x, _| {
                        x.checked_neg().ok_or(FixedError::Overflow)
                    })
                    .map_err(arith(owner, entity)),
                }
            }
            ExprKind::Binary { op, lhs, rhs } => {
                let (a, b) = (
                    self.expr(lhs, entity, owner)?,
                    self.expr(rhs, entity, owner)?,
                );
                // Each operator is its own closure so that the kernels inline it (a
                // function pointer would be one indirect call per unit).
                let err = arith(owner, entity);
                match op {
                    BinaryOp::And => Ok(kleene(n, a, &b, 0)),
                    BinaryOp::Or => Ok(kleene(n, a, &b, 1)),
                    BinaryOp::Eq => Ok(total_of(n, a, b, |x, y| i64::from(x == y))),
                    BinaryOp::Ne => Ok(total_of(n, a, b, |x, y| i64::from(x != y))),
                    BinaryOp::Lt => Ok(total_of(n, a, b, |x, y| i64::from(x < y))),
                    BinaryOp::Le => Ok(total_of(n, a, b, |x, y| i64::from(x <= y))),
                    BinaryOp::Gt => Ok(total_of(n, a, b, |x, y| i64::from(x > y))),
                    BinaryOp::Ge => Ok(total_of(n, a, b, |x, y| i64::from(x >= y))),
                    BinaryOp::Add => {
                        fallible_of(n, a, b, |x, y| x.checked_add(y).ok_or(FixedError::Overflow))
                            .map_err(err)
                    }
                    BinaryOp::Sub => {
                        fallible_of(n, a, b, |x, y| x.checked_sub(y).ok_or(FixedError::Overflow))
                            .map_err(err)
                    }
                    BinaryOp::Mul => multiply(n, a, b).map_err(err),
                    BinaryOp::Div => {
                        fallible_of(n, a, b, |x, y| Fixed(x).checked_div(Fixed(y)).map(|r| r.0))
                            .map_err(err)
                    }
                }
            }
            ExprKind::In { expr, set, negated } => {
                let x = self.expr(expr, entity, owner)?;
                // `not in` flips the bit in the same pass.
                let flip = Val::Const(i64::from(*negated));
                let hit = match set {
                    InSet::Range { lo, hi } => {
                        let (lo, hi) =
                            (self.expr(lo, entity, owner)?, self.expr(hi, entity, owner)?);
                        // Constant bounds (`disability_grade in 1..2`): one pass.
                        if let (&Val::Const(lo), &Val::Const(hi)) = (&lo, &hi) {
                            return Ok(total(n, x, &flip, move |v, f| {
                                i64::from((lo <= v) & (v <= hi)) ^ f
                            }));
                        }
                        let ge = total(n, x.clone(), &lo, |a, b| i64::from(a >= b));
                        let le = total(n, x, &hi, |a, b| i64::from(a <= b));
                        total(n, ge, &le, |a, b| a & b)
                    }
                    InSet::List(items) => {
                        let items = items
                            .iter()
                            .map(|it| self.expr(it, entity, owner))
                            .collect::<Result<Vec<Val>, _>>()?;
                        // Up to four constants (`employment in ['employed', 'flexible']`):
                        // one pass, each unit compared with all four (repeats fill the rest).
                        let consts: Vec<i64> = items
                            .iter()
                            .filter_map(|c| match c {
                                Val::Const(c) => Some(*c),
                                Val::Many(_) => None,
                            })
                            .collect();
                        if consts.len() == items.len() && (1..=4).contains(&consts.len()) {
                            let s: [i64; 4] =
                                std::array::from_fn(|i| consts[i.min(consts.len() - 1)]);
                            return Ok(total(n, x, &flip, move |v, f| {
                                i64::from((v == s[0]) | (v == s[1]) | (v == s[2]) | (v == s[3])) ^ f
                            }));
                        }
                        let mut acc = Val::Const(0);
                        for c in &items {
                            let eq = total(n, x.clone(), c, |a, b| i64::from(a == b));
                            acc = total(n, acc, &eq, |a, b| a | b);
                        }
                        // An empty list: the value is still read (strict).
                        total(n, acc, &x, |a, _| a)
                    }
                };
                Ok(if *negated {
                    total(n, hit, &flip, |h, f| h ^ f)
                } else {
                    hit
                })
            }
            ExprKind::If {
                branches,
                otherwise,
            } => {
                let mut result = self.expr(otherwise, entity, owner)?;
                // From the last branch back: each condition picks its branch or what follows.
                for (cond, then) in branches.iter().rev() {
                    let c = self.expr(cond, entity, owner)?;
                    let t = self.expr(then, entity, owner)?;
                    result = choose(n, c, &t, result);
                }
                Ok(result)
            }
            ExprKind::Call { name, args, named } => self.call(name, args, named, entity, owner),
        }
    }

    fn call(
        &mut self,
        name: &str,
        args: &[Expr],
        named: &[(String, minsheng_policy_syntax::Span, Expr)],
        entity: Entity,
        owner: &str,
    ) -> Result<Val, EvalError> {
        let is_members =
            |e: &Expr| matches!(&e.kind, ExprKind::Name(p) if p.len() == 1 && p[0] == "members");
        if args.first().is_some_and(is_members) {
            return self.aggregate(name, args.get(1), named.first().map(|n| &n.2), owner);
        }
        let n = self.len(entity);
        let mut cols = Vec::with_capacity(args.len());
        for a in args {
            cols.push(self.expr(a, entity, owner)?);
        }
        match name {
            "min" | "max" => {
                let mut acc = cols[0].clone();
                for c in &cols[1..] {
                    acc = if name == "min" {
                        total(n, acc, c, i64::min)
                    } else {
                        total(n, acc, c, i64::max)
                    };
                }
                Ok(acc)
            }
            _ => {
                let mode = match name {
                    "ceil" => Rounding::Ceil,
                    "floor" => Rounding::Floor,
                    _ => Rounding::Half,
                };
                // The unit is read before the value is taken (it comes second).
                let unit = Fixed(cols[1].at(0).0);
                rounded(n, cols.swap_remove(0), unit, mode).map_err(arith(owner, entity))
            }
        }
    }

    /// `count/sum/any/all/max/min(members, value, where: condition)`, per household.
    fn aggregate(
        &mut self,
        name: &str,
        value: Option<&Expr>,
        cond: Option<&Expr>,
        owner: &str,
    ) -> Result<Val, EvalError> {
        let value = match value {
            Some(v) => self.expr(v, Entity::Person, owner)?,
            None => Val::Const(0),
        };
        let cond = match cond {
            Some(c) => self.expr(c, Entity::Person, owner)?,
            None => Val::Const(1),
        };
        let members: &[std::ops::Range<u32>] = &self.shape.members;
        let overflow = || EvalError::Arithmetic {
            owner: owner.to_owned(),
            unit: "sum".into(),
            source: FixedError::Overflow,
        };
        let np = self.shape.household_of.len();
        #[derive(PartialEq)]
        enum Agg {
            Any,
            All,
            Count,
            Sum,
            Max,
            Min,
        }
        // Decided once, not per member.
        let agg = match name {
            "any" => Agg::Any,
            "all" => Agg::All,
            "count" => Agg::Count,
            "sum" => Agg::Sum,
            "max" => Agg::Max,
            _ => Agg::Min,
        };
        let cv = cond.values(np);
        // A count reads no member's value.
        let vv = if agg == Agg::Count {
            std::borrow::Cow::Borrowed(&[][..])
        } else {
            value.values(np)
        };
        if matches!(agg, Agg::Count | Agg::Sum) {
            let one = (agg == Agg::Count).then_some(Fixed::ONE.0);
            return count_or_sum(
                &self.shape,
                one,
                (&cv, cond.mask_ref()),
                (&vv, value.mask_ref()),
            )
            .ok_or_else(overflow);
        }
        let (cm, vm) = (cond.masks(np), value.masks(np));
        let mut out = Vec::with_capacity(members.len());
        let mut masks = Vec::with_capacity(members.len());
        for r in members {
            let (mut acc, mut mask, mut any_seen) = (0i64, 0u32, false);
            // any: Kleene or of (cond and value); all: Kleene and of (not cond or value).
            let (mut decided_any, mut decided_all_false) = (false, false);
            for p in r.start as usize..r.end as usize {
                let (c, cm, v, vm) = (cv[p], cm[p], vv[p], vm[p]);
                let cond_false = cm == 0 && c == 0;
                let val_known = vm == 0;
                match agg {
                    Agg::Any => {
                        if cm == 0 && c == 1 && val_known && v == 1 {
                            decided_any = true;
                        } else if !(cond_false || val_known && v == 0) {
                            mask |= cm | vm;
                        }
                    }
                    Agg::All => {
                        if cm == 0 && c == 1 && val_known && v == 0 {
                            decided_all_false = true;
                        } else if !(cond_false || val_known && v == 1) {
                            mask |= cm | vm;
                        }
                    }
                    _ if cm != 0 => mask |= cm,
                    _ if c == 0 => {}
                    _ => {
                        mask |= vm;
                        acc = match agg {
                            Agg::Max if any_seen => acc.max(v),
                            Agg::Min if any_seen => acc.min(v),
                            _ => v,
                        };
                        any_seen = true;
                    }
                }
            }
            match agg {
                Agg::Any if decided_any => (acc, mask) = (1, 0),
                Agg::Any => acc = 0,
                Agg::All if decided_all_false => (acc, mask) = (0, 0),
                Agg::All => acc = 1,
                _ => {}
            }
            out.push(if mask == 0 { acc } else { 0 });
            masks.push(mask);
        }
        Ok(Val::many(out, mask_of(&masks)))
    }

    /// The person-level value of a variable already computed (for the built-ins).
    /// The value of person variable `id`, if computed.
    pub(crate) fn person_variable(&mut self, id: &str) -> Result<Option<Val>, EvalError> {
        match self.names.get(id) {
            Some(&item) => self.computed(item, Entity::Person),
            None => Ok(None),
        }
    }
}

/// The running (wrapping) totals of `n` shares from 0, and the largest share's size.
fn running_totals(shares: impl Iterator<Item = i64>, n: usize) -> (Vec<i64>, u64) {
    let mut running = Vec::with_capacity(n + 1);
    running.push(0i64);
    let (mut acc, mut largest) = (0i64, 0u64);
    for x in shares {
        largest = largest.max(x.unsigned_abs());
        acc = acc.wrapping_add(x);
        running.push(acc);
    }
    (running, largest)
}

/// `count` (`one`: the fixed-point 1) or `sum` of the members' values (`value`, with
/// its unknowns) where `cond` holds, per household; `None` on overflow. A member counts
/// where its condition is known true; an unknown condition, or the unknown value of a
/// member that counts, makes the household unknown.
///
/// Every household is first summed as if all its members were known (selects, not
/// branches: which members count is as random as the data); only the households with
/// an unknown member, or whose sum overflowed, are then summed again member by member
/// with their unknowns.
fn count_or_sum(
    shape: &super::Shape<'_>,
    one: Option<i64>,
    (cv, cm): (&[i64], &Mask),
    (vv, vm): (&[i64], &Mask),
) -> Option<Val> {
    let members = &shape.members;
    // Each member's share (0 where its condition is false) added to a running total,
    // then each household's sum as the difference of the totals at its ends: no loop
    // per household.
    let (running, largest) = match one {
        Some(one) => running_totals(cv.iter().map(|&c| if c == 1 { one } else { 0 }), cv.len()),
        None => running_totals(
            cv.iter().zip(vv).map(|(&c, &x)| if c == 1 { x } else { 0 }),
            cv.len(),
        ),
    };
    let mut again: Vec<u32> = Vec::new();
    // Running totals wrap; a difference is exact where the household's true sum fits,
    // which it does wherever no household could overflow — else every household is
    // summed again, checked.
    let most = members.iter().map(|r| r.len() as u64).max().unwrap_or(0);
    let mut out: Vec<i64> = if largest.checked_mul(most).is_some_and(|m| m < 1 << 63) {
        members
            .iter()
            .map(|r| running[r.end as usize].wrapping_sub(running[r.start as usize]))
            .collect()
    } else {
        again.extend(0..members.len() as u32);
        vec![0; members.len()]
    };
    let household = &shape.household_of;
    for m in [cm, vm] {
        again.extend(
            super::value::entries(m)
                .iter()
                .map(|&(p, _)| household[p as usize]),
        );
    }
    again.sort_unstable();
    again.dedup();
    let (mut c_unknown, mut v_unknown) = (Walk::new(cm), Walk::new(vm));
    let mut unknown = Vec::new();
    for h in again {
        let (mut acc, mut mask) = (0i64, 0u32);
        for p in members[h as usize].clone() {
            let p = p as usize;
            let (c, v) = (c_unknown.bits(p), v_unknown.bits(p));
            let take = c == 0 && cv[p] == 1;
            mask |= c | if take { v } else { 0 };
            acc = acc.checked_add(if take {
                one.unwrap_or_else(|| vv[p])
            } else {
                0
            })?;
        }
        out[h as usize] = if mask == 0 { acc } else { 0 };
        if mask != 0 {
            unknown.push((h, mask));
        }
    }
    Some(Val::many(out, sparse(unknown)))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Input amounts become fixed point exactly, saturating only past the limit.
    #[test]
    fn inputs_scale_exactly_and_saturate_at_the_limit() {
        let col = Column {
            values: vec![1, -2, 0],
            known: vec![true, false, true],
        };
        let v = scaled_col(&col, "wage_income", 1_000_000);
        assert_eq!(v.values(3)[..], [1_000_000, -2_000_000, 0]);
        assert_eq!(v.at(1).1, bit("wage_income"));
        let big = Column {
            values: vec![3, i64::MAX / 10, i64::MIN / 10],
            known: vec![true; 3],
        };
        let v = scaled_col(&big, "wage_income", 1_000_000);
        assert_eq!(v.values(3)[..], [3_000_000, i64::MAX, i64::MIN]);
    }

    /// Unknown cells are found wherever they fall: in blocks of their own, at block
    /// edges, in the last partial block, everywhere or nowhere.
    #[test]
    fn known_masks_list_every_unknown_cell() {
        for n in [0, 1, 63, 64, 65, 200] {
            for pattern in [0usize, 1, 7, 63, 64] {
                let known: Vec<bool> = (0..n)
                    .map(|i| match pattern {
                        0 => true,
                        1 => false,
                        p => i % p != 3 % p,
                    })
                    .collect();
                let want: Vec<(u32, u32)> = (0..n)
                    .filter(|&i| !known[i])
                    .map(|i| (i as u32, 8))
                    .collect();
                let got = known_mask(&known, 8);
                assert_eq!(
                    super::super::value::entries(&got),
                    &want[..],
                    "n {n}, pattern {pattern}"
                );
                assert_eq!(got.is_none(), want.is_empty());
            }
        }
    }
}
