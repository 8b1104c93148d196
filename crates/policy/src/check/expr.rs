//! Typing one formula: names resolved in an entity's context, operators, calls and
//! aggregations, vocabularies of code literals.

use super::{
    AGGREGATIONS, Checker, HOUSEHOLD_INPUTS, Item, MEDICAL_CATEGORY, PERSON_BUILTINS,
    PERSON_INPUTS, Ty, entity_name, locate,
};
use crate::pack::{Entity, Formula};
use crate::params::PackError;
use minsheng_policy_syntax::{BinaryOp, Expr, ExprKind, InSet, Span, UnaryOp};

impl Checker<'_> {
    pub(crate) fn err(&mut self, f: &Formula, span: Span, message: String) {
        self.errors.push(PackError {
            at: locate(f, span),
            message,
        });
    }

    pub(crate) fn formula(&mut self, f: &Formula, entity: Entity) -> Option<Ty> {
        self.expr(&f.expr, entity, f)
    }

    /// Resolves a plain name in `entity`'s context.
    fn name(&mut self, path: &[String], entity: Entity, f: &Formula, span: Span) -> Option<Ty> {
        let joined = path.join(".");
        if path.len() == 1 {
            let n = path[0].as_str();
            let inputs = match entity {
                Entity::Person => PERSON_INPUTS.iter().chain(PERSON_BUILTINS),
                Entity::Household => HOUSEHOLD_INPUTS.iter().chain(&[][..]),
            };
            if let Some((_, t)) = inputs.into_iter().find(|(k, _)| *k == n) {
                if n == "medical_self_paid_12m"
                    && !self.pack.variables.iter().any(|v| v.id == MEDICAL_CATEGORY)
                {
                    self.err(f, span, format!("使用 {n} 需要先定义人员变量 {MEDICAL_CATEGORY} / needs `{MEDICAL_CATEGORY}`"));
                    return None;
                }
                if n == "medical_self_paid_12m"
                    && let Some(&item) = self.names.get(MEDICAL_CATEGORY)
                {
                    self.deps.push(item);
                }
                return Some(*t);
            }
            if let Some(&item) = self.names.get(n) {
                let (e, t) = match item {
                    Item::Variable(k) => (
                        self.pack.variables[k].entity,
                        Ty::from(self.pack.variables[k].ty),
                    ),
                    Item::Program(k) => (self.pack.programs[k].entity, Ty::Bool),
                };
                if e != entity {
                    let hint = if e == Entity::Household {
                        format!("，人员公式中请写 household.{n}")
                    } else {
                        String::new()
                    };
                    self.err(
                        f,
                        span,
                        format!(
                            "{n} 属于{}，不能在{}公式中直接使用{hint}",
                            entity_name(e),
                            entity_name(entity)
                        ),
                    );
                    return None;
                }
                self.deps.push(item);
                return Some(t);
            }
        }
        if path.len() == 2 && path[0] == "household" && entity == Entity::Person {
            return self.name(&path[1..], Entity::Household, f, span);
        }
        if self.params.contains(joined.as_str()) {
            return Some(Ty::Number);
        }
        if self.groups.contains(&joined) {
            self.err(f, span, format!("{joined} 是一组参数，请写出具体参数或用 [代码] 选择，如 {joined}[area] / a parameter group needs an index"));
            return None;
        }
        let known: Vec<&str> = match entity {
            Entity::Person => PERSON_INPUTS
                .iter()
                .chain(PERSON_BUILTINS)
                .map(|(n, _)| *n)
                .collect(),
            Entity::Household => HOUSEHOLD_INPUTS.iter().map(|(n, _)| *n).collect(),
        };
        self.err(
            f,
            span,
            format!(
                "未知的名称 {joined}：不是{}输入列（{}），也不是变量、项目或参数 / unknown name",
                entity_name(entity),
                known.join("、")
            ),
        );
        None
    }

    fn expr(&mut self, e: &Expr, entity: Entity, f: &Formula) -> Option<Ty> {
        match &e.kind {
            ExprKind::Number { .. } => Some(Ty::Number),
            ExprKind::Str(_) => Some(Ty::Code(None)),
            ExprKind::Bool(_) => Some(Ty::Bool),
            ExprKind::Name(path) => {
                if path.len() == 1 && path[0] == "members" {
                    self.err(f, e.span, "members 只能作为汇总函数的第一个参数，如 count(members) / only inside an aggregation".into());
                    return None;
                }
                self.name(path, entity, f, e.span)
            }
            ExprKind::Index { base, index } => {
                let ExprKind::Name(path) = &base.kind else {
                    self.err(
                        f,
                        base.span,
                        "只有参数组可以用 [代码] 选择 / only a parameter group can be indexed"
                            .into(),
                    );
                    return None;
                };
                let group = path.join(".");
                if !self.groups.contains(&group) {
                    self.err(
                        f,
                        base.span,
                        format!("{group} 不是参数组 / not a parameter group"),
                    );
                    return None;
                }
                match self.expr(index, entity, f)? {
                    Ty::Code(Some(vocab)) => {
                        let missing: Vec<String> = vocab
                            .iter()
                            .map(|c| format!("{group}.{c}"))
                            .filter(|id| !self.params.contains(id.as_str()))
                            .collect();
                        if !missing.is_empty() {
                            self.err(
                                f,
                                e.span,
                                format!(
                                    "缺少参数 {}：{group}[…] 的每个可能取值都需要一个参数",
                                    missing.join("、")
                                ),
                            );
                            return None;
                        }
                        Some(Ty::Number)
                    }
                    Ty::Code(None) => Some(Ty::Number),
                    t => {
                        self.err(
                            f,
                            index.span,
                            format!("参数组的下标应为代码，实为 {}", t.name()),
                        );
                        None
                    }
                }
            }
            ExprKind::Unary { op, expr } => {
                let t = self.expr(expr, entity, f)?;
                let want = if *op == UnaryOp::Not {
                    Ty::Bool
                } else {
                    Ty::Number
                };
                self.expect(t, want, f, expr.span, op.symbol())
            }
            ExprKind::Binary { op, lhs, rhs } => self.binary(*op, lhs, rhs, entity, f),
            ExprKind::In { expr, set, .. } => {
                let t = self.expr(expr, entity, f)?;
                match set {
                    InSet::Range { lo, hi } => {
                        self.expect(t, Ty::Number, f, expr.span, "in a..b")?;
                        for b in [lo, hi] {
                            let bt = self.expr(b, entity, f)?;
                            self.expect(bt, Ty::Number, f, b.span, "in a..b")?;
                        }
                    }
                    InSet::List(items) => {
                        for it in items {
                            let it_t = self.expr(it, entity, f)?;
                            self.same(t, it_t, it, f)?;
                        }
                    }
                }
                Some(Ty::Bool)
            }
            ExprKind::If {
                branches,
                otherwise,
            } => {
                let mut result: Option<Ty> = None;
                for (cond, then) in branches {
                    let ct = self.expr(cond, entity, f)?;
                    self.expect(ct, Ty::Bool, f, cond.span, "if")?;
                    let tt = self.expr(then, entity, f)?;
                    result = Some(match result {
                        None => tt,
                        Some(r) => self.same(r, tt, then, f)?,
                    });
                }
                let ot = self.expr(otherwise, entity, f)?;
                match result {
                    None => Some(ot),
                    Some(r) => self.same(r, ot, otherwise, f),
                }
            }
            ExprKind::Call { name, args, named } => self.call(name, args, named, e.span, entity, f),
        }
    }

    fn expect(&mut self, got: Ty, want: Ty, f: &Formula, span: Span, what: &str) -> Option<Ty> {
        if got.same_kind(want) {
            Some(got)
        } else {
            self.err(
                f,
                span,
                format!("{what} 需要{}，这里是{}", want.name(), got.name()),
            );
            None
        }
    }

    /// Two operands that must agree; a string literal against a known vocabulary must be
    /// one of its codes.
    fn same(&mut self, a: Ty, b: Ty, b_expr: &Expr, f: &Formula) -> Option<Ty> {
        if !a.same_kind(b) {
            self.err(
                f,
                b_expr.span,
                format!("类型不一致：{} 与 {}", a.name(), b.name()),
            );
            return None;
        }
        if let (Ty::Code(Some(vocab)), ExprKind::Str(s)) = (a, &b_expr.kind)
            && !vocab.contains(&s.as_str())
        {
            self.err(
                f,
                b_expr.span,
                format!("{s:?} 不是可用的代码，应为以下之一：{}", vocab.join("、")),
            );
            return None;
        }
        Some(if let Ty::Code(Some(_)) = b { b } else { a })
    }

    fn binary(
        &mut self,
        op: BinaryOp,
        lhs: &Expr,
        rhs: &Expr,
        entity: Entity,
        f: &Formula,
    ) -> Option<Ty> {
        let lt = self.expr(lhs, entity, f);
        let rt = self.expr(rhs, entity, f);
        let (lt, rt) = (lt?, rt?);
        match op {
            BinaryOp::And | BinaryOp::Or => {
                self.expect(lt, Ty::Bool, f, lhs.span, op.symbol())?;
                self.expect(rt, Ty::Bool, f, rhs.span, op.symbol())?;
                Some(Ty::Bool)
            }
            BinaryOp::Eq | BinaryOp::Ne => {
                // Check the literal side against the vocabulary of the other.
                if matches!(lhs.kind, ExprKind::Str(_)) {
                    self.same(rt, lt, lhs, f)?
                } else {
                    self.same(lt, rt, rhs, f)?
                };
                Some(Ty::Bool)
            }
            BinaryOp::Lt | BinaryOp::Le | BinaryOp::Gt | BinaryOp::Ge => {
                self.expect(lt, Ty::Number, f, lhs.span, op.symbol())?;
                self.expect(rt, Ty::Number, f, rhs.span, op.symbol())?;
                Some(Ty::Bool)
            }
            BinaryOp::Add | BinaryOp::Sub | BinaryOp::Mul | BinaryOp::Div => {
                self.expect(lt, Ty::Number, f, lhs.span, op.symbol())?;
                self.expect(rt, Ty::Number, f, rhs.span, op.symbol())?;
                Some(Ty::Number)
            }
        }
    }

    fn call(
        &mut self,
        name: &str,
        args: &[Expr],
        named: &[(String, Span, Expr)],
        span: Span,
        entity: Entity,
        f: &Formula,
    ) -> Option<Ty> {
        let is_members =
            |e: &Expr| matches!(&e.kind, ExprKind::Name(p) if p.len() == 1 && p[0] == "members");
        if AGGREGATIONS.contains(&name) && args.first().is_some_and(is_members) {
            if entity != Entity::Household {
                self.err(f, span, format!("{name}(members, …) 只能用在家庭公式中 / aggregations are household formulas"));
                return None;
            }
            for (key, kspan, _) in named {
                if key != "where" {
                    self.err(
                        f,
                        *kspan,
                        format!("{name} 只接受 where: 条件 / only `where:` is allowed"),
                    );
                    return None;
                }
            }
            if let Some((_, _, cond)) = named.first() {
                let t = self.expr(cond, Entity::Person, f)?;
                self.expect(t, Ty::Bool, f, cond.span, "where:")?;
            }
            let want_value = name != "count";
            if args.len() != if want_value { 2 } else { 1 } {
                let form = if want_value {
                    format!("{name}(members, 值, where: 条件)")
                } else {
                    "count(members, where: 条件)".into()
                };
                self.err(
                    f,
                    span,
                    format!("应写成 {form} / wrong number of arguments"),
                );
                return None;
            }
            return match name {
                "count" => Some(Ty::Number),
                "any" | "all" => {
                    let t = self.expr(&args[1], Entity::Person, f)?;
                    self.expect(t, Ty::Bool, f, args[1].span, name)
                }
                _ => {
                    let t = self.expr(&args[1], Entity::Person, f)?;
                    self.expect(t, Ty::Number, f, args[1].span, name)
                }
            };
        }
        if let Some((_, kspan, _)) = named.first() {
            self.err(
                f,
                *kspan,
                format!("{name} 不接受命名参数 / no named arguments"),
            );
            return None;
        }
        let arity_ok = match name {
            "min" | "max" => args.len() >= 2,
            "round" | "ceil" | "floor" => args.len() == 2,
            _ => {
                self.err(
                    f,
                    span,
                    format!("未知的函数 {name}：可用 min、max、round、ceil、floor，以及 count/sum/any/all/max/min(members, …) / unknown function"),
                );
                return None;
            }
        };
        if !arity_ok {
            self.err(
                f,
                span,
                format!("{name} 的参数个数不对：min/max 至少两个，round/ceil/floor 为 (值, 单位)"),
            );
            return None;
        }
        for a in args {
            let t = self.expr(a, entity, f)?;
            self.expect(t, Ty::Number, f, a.span, name)?;
        }
        if matches!(name, "round" | "ceil" | "floor")
            && !matches!(args[1].kind, ExprKind::Number { mantissa, .. } if mantissa > 0)
        {
            self.err(
                f,
                args[1].span,
                format!(
                    "{name} 的单位应为正数常量，如 1 或 0.01 / the unit must be a positive literal"
                ),
            );
            return None;
        }
        Some(Ty::Number)
    }
}
