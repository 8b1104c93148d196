//! One formula over one entity's units: names (inputs, variables, programs, built-ins,
//! `household.x`, parameters), operators, calls and member aggregations.

use super::value::Col;
use super::{Eval, EvalError};
use crate::check::{HOUSEHOLD_INPUTS, Item, PERSON_INPUTS};
use crate::fixed::{Fixed, FixedError};
use crate::frame::Column;
use crate::pack::Entity;
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

fn fen_col(c: &Column<i64>, name: &str) -> Col {
    let b = bit(name);
    Col {
        v: c.values
            .iter()
            .map(|&f| f.saturating_mul(1_000_000))
            .collect(),
        m: c.known.iter().map(|&k| if k { 0 } else { b }).collect(),
    }
}

fn int_col(c: &Column<i64>, name: &str) -> Col {
    let b = bit(name);
    Col {
        v: c.values
            .iter()
            .map(|&n| n.saturating_mul(Fixed::ONE.0))
            .collect(),
        m: c.known.iter().map(|&k| if k { 0 } else { b }).collect(),
    }
}

fn bool_col(c: &Column<bool>, name: &str) -> Col {
    let b = bit(name);
    Col {
        v: c.values.iter().map(|&x| i64::from(x)).collect(),
        m: c.known.iter().map(|&k| if k { 0 } else { b }).collect(),
    }
}

impl Eval<'_> {
    fn code_col<T: Copy + PartialEq>(
        &mut self,
        values: &[T],
        known: Option<&[bool]>,
        name: &str,
        code: fn(T) -> &'static str,
    ) -> Col {
        let b = bit(name);
        // A vocabulary has a handful of values: intern each once, not once per unit.
        let mut seen: Vec<(T, i64)> = Vec::new();
        let v = values
            .iter()
            .map(|&x| match seen.iter().find(|s| s.0 == x) {
                Some(s) => s.1,
                None => {
                    let id = self.codes.id(code(x));
                    seen.push((x, id));
                    id
                }
            })
            .collect();
        let m = match known {
            Some(k) => k.iter().map(|&k| if k { 0 } else { b }).collect(),
            None => vec![0; values.len()],
        };
        Col { v, m }
    }

    fn input(&mut self, entity: Entity, name: &str) -> Option<Col> {
        let f = self.frame;
        let (p, h) = (&f.persons, &f.households);
        Some(match (entity, name) {
            (Entity::Person, "wage_income") => fen_col(&p.wage_income, name),
            (Entity::Person, "business_income") => fen_col(&p.business_income, name),
            (Entity::Person, "property_income") => fen_col(&p.property_income, name),
            (Entity::Person, "transfer_income") => fen_col(&p.transfer_income, name),
            (Entity::Person, "disability_grade") => int_col(&p.disability_grade, name),
            (Entity::Person, "age") => Col {
                v: p.age.iter().map(|&a| i64::from(a) * Fixed::ONE.0).collect(),
                m: vec![0; p.age.len()],
            },
            (Entity::Person, "disability_kind") => self.code_col(
                &p.disability_kind.values,
                Some(&p.disability_kind.known),
                name,
                |x| x.code(),
            ),
            (Entity::Person, "self_care") => {
                self.code_col(&p.self_care.values, Some(&p.self_care.known), name, |x| {
                    x.code()
                })
            }
            (Entity::Person, "employment") => {
                self.code_col(&p.employment.values, Some(&p.employment.known), name, |x| {
                    x.code()
                })
            }
            (Entity::Person, "illness") => {
                self.code_col(&p.illness.values, Some(&p.illness.known), name, |x| {
                    x.code()
                })
            }
            (Entity::Person, "sex") => self.code_col(&p.sex, None, name, |x| x.code()),
            (Entity::Person, "relation") => self.code_col(&p.relation, None, name, |x| x.code()),
            (Entity::Person, "capable_supporter") => bool_col(&p.capable_supporter, name),
            (Entity::Person, "orphan") => bool_col(&p.orphan, name),
            (Entity::Household, "area") => {
                self.code_col(&h.area.values, Some(&h.area.known), name, |x| x.code())
            }
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
            Entity::Person => self.frame.persons.household[i] as usize,
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

    fn name(&mut self, path: &[String], entity: Entity) -> Result<Col, EvalError> {
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
                && let Some(c) = self.values.get(&item)
            {
                return Ok(c.clone());
            }
        }
        if path.len() == 2 && path[0] == "household" && entity == Entity::Person {
            let hh = self.name(&path[1..], Entity::Household)?;
            return Ok(hh.gather(&self.frame.persons.household));
        }
        let id = path.join(".");
        let n = self.len(entity);
        let table = self.params.table(&id);
        // Most parameters have one value for the whole district: fill, don't look up.
        if let Some(x) = table.uniform {
            return Ok(Col::constant(n, x));
        }
        let mut v = Vec::with_capacity(n);
        for i in 0..n {
            v.push(self.param_at(&table, &id, entity, i)?);
        }
        Ok(Col { v, m: vec![0; n] })
    }

    pub(crate) fn expr(&mut self, e: &Expr, entity: Entity, owner: &str) -> Result<Col, EvalError> {
        let n = self.len(entity);
        match &e.kind {
            ExprKind::Number { mantissa, scale } => {
                let d = crate::decimal::Decimal::new(*mantissa, *scale);
                let x = Fixed::from_decimal(d).map_err(arith(owner, entity))?;
                Ok(Col::constant(n, x.0))
            }
            ExprKind::Str(s) => {
                let id = self.codes.id(s);
                Ok(Col::constant(n, id))
            }
            ExprKind::Bool(b) => Ok(Col::constant(n, i64::from(*b))),
            ExprKind::Name(path) => self.name(path, entity),
            ExprKind::Index { base, index } => {
                let ExprKind::Name(path) = &base.kind else {
                    return Ok(Col::constant(n, 0));
                };
                let group = path.join(".");
                let codes = self.expr(index, entity, owner)?;
                let mut out = Col {
                    v: Vec::with_capacity(n),
                    m: codes.m.clone(),
                };
                // One parameter per code value met, each resolved per region.
                let mut tables: Vec<(i64, String, super::params::Table)> = Vec::new();
                for i in 0..n {
                    if codes.m[i] != 0 {
                        out.v.push(0);
                        continue;
                    }
                    let code = codes.v[i];
                    let k = match tables.iter().position(|t| t.0 == code) {
                        Some(k) => k,
                        None => {
                            let id = format!("{group}.{}", self.codes.name(code));
                            let table = self.params.table(&id);
                            tables.push((code, id, table));
                            tables.len() - 1
                        }
                    };
                    let (_, id, table) = &tables[k];
                    out.v.push(self.param_at(table, id, entity, i)?);
                }
                Ok(out)
            }
            ExprKind::Unary { op, expr } => {
                let c = self.expr(expr, entity, owner)?;
                let err = arith(owner, entity);
                match op {
                    UnaryOp::Not => c.map(|x| Ok::<_, FixedError>(1 - x)).map_err(err),
                    UnaryOp::Neg => c
                        .map(|x| x.checked_neg().ok_or(FixedError::Overflow))
                        .map_err(err),
                }
            }
            ExprKind::Binary { op, lhs, rhs } => {
                let (a, b) = (
                    self.expr(lhs, entity, owner)?,
                    self.expr(rhs, entity, owner)?,
                );
                let err = arith(owner, entity);
                let cmp = |f: fn(&i64, &i64) -> bool| {
                    a.zip(&b, |x, y| Ok::<_, FixedError>(i64::from(f(&x, &y))))
                };
                match op {
                    BinaryOp::And => Ok(a.and(&b)),
                    BinaryOp::Or => Ok(a.or(&b)),
                    BinaryOp::Eq => cmp(i64::eq).map_err(err),
                    BinaryOp::Ne => cmp(i64::ne).map_err(err),
                    BinaryOp::Lt => cmp(i64::lt).map_err(err),
                    BinaryOp::Le => cmp(i64::le).map_err(err),
                    BinaryOp::Gt => cmp(i64::gt).map_err(err),
                    BinaryOp::Ge => cmp(i64::ge).map_err(err),
                    BinaryOp::Add => a
                        .zip(&b, |x, y| Fixed(x).checked_add(Fixed(y)).map(|r| r.0))
                        .map_err(err),
                    BinaryOp::Sub => a
                        .zip(&b, |x, y| Fixed(x).checked_sub(Fixed(y)).map(|r| r.0))
                        .map_err(err),
                    BinaryOp::Mul => a
                        .zip(&b, |x, y| Fixed(x).checked_mul(Fixed(y)).map(|r| r.0))
                        .map_err(err),
                    BinaryOp::Div => a
                        .zip(&b, |x, y| Fixed(x).checked_div(Fixed(y)).map(|r| r.0))
                        .map_err(err),
                }
            }
            ExprKind::In { expr, set, negated } => {
                let x = self.expr(expr, entity, owner)?;
                let err = arith(owner, entity);
                let mut hit = match set {
                    InSet::Range { lo, hi } => {
                        let (lo, hi) =
                            (self.expr(lo, entity, owner)?, self.expr(hi, entity, owner)?);
                        let ge = x
                            .zip(&lo, |a, b| Ok::<_, FixedError>(i64::from(a >= b)))
                            .map_err(&err)?;
                        let le = x
                            .zip(&hi, |a, b| Ok::<_, FixedError>(i64::from(a <= b)))
                            .map_err(&err)?;
                        ge.zip(&le, |a, b| Ok::<_, FixedError>(a & b))
                            .map_err(&err)?
                    }
                    InSet::List(items) => {
                        let mut acc = Col::constant(n, 0);
                        for it in items {
                            let c = self.expr(it, entity, owner)?;
                            let eq = x
                                .zip(&c, |a, b| Ok::<_, FixedError>(i64::from(a == b)))
                                .map_err(&err)?;
                            acc = acc
                                .zip(&eq, |a, b| Ok::<_, FixedError>(a | b))
                                .map_err(&err)?;
                        }
                        acc
                    }
                };
                if *negated {
                    hit = hit.map(|v| Ok::<_, FixedError>(1 - v)).map_err(&err)?;
                }
                Ok(hit)
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
                    for i in 0..n {
                        if c.m[i] != 0 {
                            result.v[i] = 0;
                            result.m[i] = c.m[i];
                        } else if c.v[i] == 1 {
                            result.v[i] = t.v[i];
                            result.m[i] = t.m[i];
                        }
                    }
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
    ) -> Result<Col, EvalError> {
        let is_members =
            |e: &Expr| matches!(&e.kind, ExprKind::Name(p) if p.len() == 1 && p[0] == "members");
        if args.first().is_some_and(is_members) {
            return self.aggregate(name, args.get(1), named.first().map(|n| &n.2), owner);
        }
        let err = arith(owner, entity);
        let mut cols = Vec::with_capacity(args.len());
        for a in args {
            cols.push(self.expr(a, entity, owner)?);
        }
        match name {
            "min" | "max" => {
                let pick: fn(i64, i64) -> i64 = if name == "min" { i64::min } else { i64::max };
                let mut acc = cols[0].clone();
                for c in &cols[1..] {
                    acc = acc
                        .zip(c, |a, b| Ok::<_, FixedError>(pick(a, b)))
                        .map_err(&err)?;
                }
                Ok(acc)
            }
            _ => {
                let unit = Fixed(cols[1].v.first().copied().unwrap_or(Fixed::ONE.0));
                let f: fn(Fixed, Fixed) -> Result<Fixed, FixedError> = match name {
                    "ceil" => Fixed::ceil_to,
                    "floor" => Fixed::floor_to,
                    _ => Fixed::round_to,
                };
                cols[0].map(|x| f(Fixed(x), unit).map(|r| r.0)).map_err(err)
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
    ) -> Result<Col, EvalError> {
        let np = self.len(Entity::Person);
        let value = match value {
            Some(v) => self.expr(v, Entity::Person, owner)?,
            None => Col::constant(np, 0),
        };
        let cond = match cond {
            Some(c) => self.expr(c, Entity::Person, owner)?,
            None => Col::constant(np, 1),
        };
        let members = &self.frame.households.members;
        let mut out = Col {
            v: Vec::with_capacity(members.len()),
            m: Vec::with_capacity(members.len()),
        };
        for r in members {
            let (mut acc, mut mask, mut any_seen) = (0i64, 0u32, false);
            // any: Kleene or of (cond and value); all: Kleene and of (not cond or value).
            let (mut decided_any, mut decided_all_false) = (false, false);
            for p in r.start as usize..r.end as usize {
                let (c, cm, v, vm) = (cond.v[p], cond.m[p], value.v[p], value.m[p]);
                match name {
                    "any" | "all" => {
                        let cond_false = cm == 0 && c == 0;
                        let val_known = vm == 0;
                        if name == "any" {
                            if cm == 0 && c == 1 && val_known && v == 1 {
                                decided_any = true;
                            } else if !(cond_false || val_known && v == 0) {
                                mask |= cm | vm;
                            }
                        } else if cm == 0 && c == 1 && val_known && v == 0 {
                            decided_all_false = true;
                        } else if !(cond_false || val_known && v == 1) {
                            mask |= cm | vm;
                        }
                    }
                    _ => {
                        if cm != 0 {
                            mask |= cm;
                            continue;
                        }
                        if c == 0 {
                            continue;
                        }
                        match name {
                            "count" => acc += Fixed::ONE.0,
                            _ => {
                                mask |= vm;
                                acc = match name {
                                    "sum" => {
                                        acc.checked_add(v).ok_or_else(|| EvalError::Arithmetic {
                                            owner: owner.to_owned(),
                                            unit: "sum".into(),
                                            source: FixedError::Overflow,
                                        })?
                                    }
                                    "max" if any_seen => acc.max(v),
                                    "min" if any_seen => acc.min(v),
                                    _ => v,
                                };
                                any_seen = true;
                            }
                        }
                    }
                }
            }
            match name {
                "any" if decided_any => (acc, mask) = (1, 0),
                "any" => acc = 0,
                "all" if decided_all_false => (acc, mask) = (0, 0),
                "all" => acc = 1,
                _ => {}
            }
            out.v.push(if mask == 0 { acc } else { 0 });
            out.m.push(mask);
        }
        Ok(out)
    }

    /// The person-level value of a variable already computed (for the built-ins).
    pub(crate) fn variable(&self, id: &str) -> Option<&Col> {
        self.names
            .get(id)
            .and_then(|item: &Item| self.values.get(item))
    }
}
