//! Columns of values with their unknowns, and the three-valued logic over them.
//!
//! A column holds one `i64` per unit — a [`Fixed`](crate::fixed::Fixed) raw value for
//! numbers, 0/1 for bools, an interned id for codes — and a `miss` mask per unit: the
//! input columns whose empty cells keep the value unknown (0 = known). Arithmetic and
//! comparisons are strict (any unknown operand → unknown, masks united); `and`/`or` follow
//! Kleene's logic (`false and unknown = false`, `true or unknown = true`), the semantics
//! the oracle and the policy test cases pin down.

/// Values and unknown-masks of one entity's units.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Col {
    pub v: Vec<i64>,
    pub m: Vec<u32>,
}

impl Col {
    pub fn constant(n: usize, v: i64) -> Col {
        Col {
            v: vec![v; n],
            m: vec![0; n],
        }
    }

    pub fn len(&self) -> usize {
        self.v.len()
    }

    pub fn is_empty(&self) -> bool {
        self.v.is_empty()
    }

    /// Strict combination: `f` on the known pairs; a failure of `f` is an error.
    pub fn zip<E>(&self, o: &Col, f: impl Fn(i64, i64) -> Result<i64, E>) -> Result<Col, E> {
        let mut out = Col {
            v: Vec::with_capacity(self.len()),
            m: Vec::with_capacity(self.len()),
        };
        for i in 0..self.len() {
            let m = self.m[i] | o.m[i];
            out.m.push(m);
            out.v.push(if m == 0 { f(self.v[i], o.v[i])? } else { 0 });
        }
        Ok(out)
    }

    pub fn map<E>(&self, f: impl Fn(i64) -> Result<i64, E>) -> Result<Col, E> {
        let mut out = Col {
            v: Vec::with_capacity(self.len()),
            m: self.m.clone(),
        };
        for i in 0..self.len() {
            out.v.push(if self.m[i] == 0 { f(self.v[i])? } else { 0 });
        }
        Ok(out)
    }

    /// Kleene `and`.
    pub fn and(&self, o: &Col) -> Col {
        self.kleene(o, 0)
    }

    /// Kleene `or`.
    pub fn or(&self, o: &Col) -> Col {
        self.kleene(o, 1)
    }

    /// `dominant` decides alone (0 for `and`, 1 for `or`).
    fn kleene(&self, o: &Col, dominant: i64) -> Col {
        let mut out = Col {
            v: Vec::with_capacity(self.len()),
            m: Vec::with_capacity(self.len()),
        };
        for i in 0..self.len() {
            let (a, b) = ((self.v[i], self.m[i]), (o.v[i], o.m[i]));
            let decided = (a.1 == 0 && a.0 == dominant) || (b.1 == 0 && b.0 == dominant);
            if decided {
                out.v.push(dominant);
                out.m.push(0);
            } else {
                out.m.push(a.1 | b.1);
                out.v.push(1 - dominant);
            }
        }
        out
    }

    /// Keeps units where `keep` and gathers by index (for `household.x` from persons).
    pub fn gather(&self, index: &[u32]) -> Col {
        Col {
            v: index.iter().map(|&i| self.v[i as usize]).collect(),
            m: index.iter().map(|&i| self.m[i as usize]).collect(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn col(units: &[(i64, u32)]) -> Col {
        Col {
            v: units.iter().map(|u| u.0).collect(),
            m: units.iter().map(|u| u.1).collect(),
        }
    }

    #[test]
    fn kleene_logic_decides_what_it_can() {
        // false, true, unknown(1) × false, true, unknown(2)
        let a = col(&[
            (0, 0),
            (0, 0),
            (0, 0),
            (1, 0),
            (1, 0),
            (1, 0),
            (0, 1),
            (0, 1),
            (0, 1),
        ]);
        let b = col(&[
            (0, 0),
            (1, 0),
            (0, 2),
            (0, 0),
            (1, 0),
            (0, 2),
            (0, 0),
            (1, 0),
            (0, 2),
        ]);
        let and = a.and(&b);
        assert_eq!(and.m, vec![0, 0, 0, 0, 0, 2, 0, 1, 3]);
        assert_eq!(&and.v[..5], &[0, 0, 0, 0, 1]);
        let or = a.or(&b);
        assert_eq!(or.m, vec![0, 0, 2, 0, 0, 0, 1, 0, 3]);
        assert_eq!(&or.v[..5], &[0, 1, 0, 1, 1]);
    }

    #[test]
    fn arithmetic_is_strict() {
        let a = col(&[(2, 0), (2, 4)]);
        let b = col(&[(3, 1), (3, 0)]);
        let s = a.zip(&b, |x, y| Ok::<_, ()>(x + y)).unwrap();
        assert_eq!(s.m, vec![1, 4]);
        let k = col(&[(2, 0)])
            .zip(&col(&[(3, 0)]), |x, y| Ok::<_, ()>(x + y))
            .unwrap();
        assert_eq!(k, col(&[(5, 0)]));
    }
}
