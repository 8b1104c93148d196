//! Household-only parts of person formulas, computed per household. A person formula often
//! reads values that are the same for every member of a household —
//! `household.hh_income < edge.income_multiple * household.standard * household.size` —
//! and computing them per person repeats each household's arithmetic for every member.
//! Such a part is computed once per household and spread to the members
//! ([`Val::gather`]); a chain of `and` (or of `or`) is split into its household-only
//! terms and its person terms first, since Kleene's `and`/`or` depend on the order of
//! their terms neither for values nor for unknowns. Results are the same, unit for unit.
//!
//! A household without members (all dead before the month) is unknown to such a part
//! (bit [`NO_MEMBER`], which names no input and reaches no person): the part must not fail
//! for a household nobody reads (`household.hh_income / household.size` with no member)
//! where the per-person formula never ran.

use super::value::{Val, kleene, sparse, union};
use super::{Eval, EvalError};
use crate::check::PERSON_INPUTS;
use crate::pack::Entity;
use minsheng_policy_syntax::{BinaryOp, Expr, ExprKind, InSet};

/// The unknown bit of a household without members, in a part computed per household
/// (above every input column's bit).
pub(crate) const NO_MEMBER: u32 = 1 << 31;

/// The terms of a chain of `op` (`a and b and c` → `a`, `b`, `c`), in order.
fn terms<'e>(e: &'e Expr, op: BinaryOp, out: &mut Vec<&'e Expr>) {
    match &e.kind {
        ExprKind::Binary { op: o, lhs, rhs } if *o == op => {
            terms(lhs, op, out);
            terms(rhs, op, out);
        }
        _ => out.push(e),
    }
}

impl Eval<'_> {
    /// Whether `e`, read by a person, depends only on their household: household values,
    /// literals and parameters — no person input, variable, program or built-in.
    fn household_only(&self, e: &Expr) -> bool {
        match &e.kind {
            ExprKind::Number { .. } | ExprKind::Str(_) | ExprKind::Bool(_) => true,
            ExprKind::Name(path) => match path.as_slice() {
                [h, _] if h == "household" => true,
                [n] => {
                    !PERSON_INPUTS.iter().any(|(k, _)| k == n)
                        && n != "medical_self_paid_12m"
                        && !self.names.contains_key(n.as_str())
                }
                // A dotted name other than `household.x` is a parameter.
                _ => true,
            },
            ExprKind::Index { index, .. } => self.household_only(index),
            ExprKind::Unary { expr, .. } => self.household_only(expr),
            ExprKind::Binary { lhs, rhs, .. } => {
                self.household_only(lhs) && self.household_only(rhs)
            }
            ExprKind::In { expr, set, .. } => {
                self.household_only(expr)
                    && match set {
                        InSet::Range { lo, hi } => {
                            self.household_only(lo) && self.household_only(hi)
                        }
                        InSet::List(items) => items.iter().all(|i| self.household_only(i)),
                    }
            }
            ExprKind::If {
                branches,
                otherwise,
            } => {
                self.household_only(otherwise)
                    && branches
                        .iter()
                        .all(|(c, t)| self.household_only(c) && self.household_only(t))
            }
            ExprKind::Call { args, named, .. } => {
                let members = |e: &Expr| matches!(&e.kind, ExprKind::Name(p) if p.len() == 1 && p[0] == "members");
                !args.iter().any(members)
                    && args.iter().all(|a| self.household_only(a))
                    && named.iter().all(|(_, _, a)| self.household_only(a))
            }
        }
    }

    /// `e` of a person formula computed per household, where that saves work; `None`
    /// where it does not (a single name is gathered once per frame already; a part that
    /// reads the person is the person's).
    pub(crate) fn per_household(
        &mut self,
        e: &Expr,
        owner: &str,
    ) -> Result<Option<Val>, EvalError> {
        if let ExprKind::Binary {
            op: op @ (BinaryOp::And | BinaryOp::Or),
            ..
        } = &e.kind
        {
            return self.split_chain(e, *op, owner).map(Some);
        }
        let leaf = matches!(
            e.kind,
            ExprKind::Name(_) | ExprKind::Number { .. } | ExprKind::Str(_) | ExprKind::Bool(_)
        );
        if leaf || !self.household_only(e) {
            return Ok(None);
        }
        let v = self.lifted(e, owner)?;
        Ok(Some(self.spread(&v)))
    }

    /// A chain of `and` (`or`) of a person formula, its terms joined left to right; when
    /// two or more of them are household-only, those are joined per household first and
    /// spread once. (The whole chain is taken here, so no sub-chain is split again.)
    fn split_chain(&mut self, e: &Expr, op: BinaryOp, owner: &str) -> Result<Val, EvalError> {
        let mut all = Vec::new();
        terms(e, op, &mut all);
        let dominant = i64::from(op == BinaryOp::Or);
        let join = |acc: Option<Val>, v: Val, n: usize| match acc {
            None => v,
            Some(a) => kleene(n, a, &v, dominant),
        };
        let (household, person): (Vec<&Expr>, Vec<&Expr>) =
            all.iter().partition(|t| self.household_only(t));
        let mut acc = None;
        let person = if household.len() >= 2 {
            let nh = self.len(Entity::Household);
            let mut joined = None;
            for t in household {
                let v = self.lifted(t, owner)?;
                joined = Some(join(joined, v, nh));
            }
            acc = joined.map(|v| self.spread(&v));
            person
        } else {
            all
        };
        let np = self.len(Entity::Person);
        for t in person {
            let v = self.expr(t, Entity::Person, owner)?;
            acc = Some(join(acc, v, np));
        }
        Ok(acc.unwrap_or_else(|| unreachable!("a chain has two terms or more")))
    }

    /// `e` (household-only, of a person formula) per household: `household.x` read as
    /// the household's `x`.
    fn lifted(&mut self, e: &Expr, owner: &str) -> Result<Val, EvalError> {
        let was = std::mem::replace(&mut self.lifted, true);
        let v = self.expr(e, Entity::Household, owner);
        self.lifted = was;
        v
    }

    /// A household value for each person.
    fn spread(&self, v: &Val) -> Val {
        v.gather(&self.shape.household_of, &self.shape.members)
    }

    /// A household column read in a part computed per household, unknown ([`NO_MEMBER`])
    /// at the households without members.
    pub(crate) fn unknown_without_members(&mut self, v: Val) -> Val {
        let empty = match &self.no_members {
            Some(m) => m.clone(),
            None => {
                let m = sparse(
                    (0u32..)
                        .zip(self.shape.members.iter())
                        .filter(|(_, r)| r.is_empty())
                        .map(|(h, _)| (h, NO_MEMBER))
                        .collect(),
                );
                self.no_members = Some(m.clone());
                m
            }
        };
        match (&v, &empty) {
            (Val::Many(c), Some(_)) => Val::many(c.v.clone(), union(&c.m, &empty)),
            _ => v,
        }
    }
}
