//! `cross_entropy`: −Σ t·log y for one sample (rank 1), the same divided by the number of rows
//! for a batch (rank 2); no epsilon is added, so log 0 is reported, not hidden.
//! Backward: −t/y to y and −log y to t, each divided by the rows (written `−t/(2y)` and
//! `−log(y)/2` for a batch of 2).

use super::shared::{batch_rows, per_row, rows, value};
use super::softmax::check_rank;
use super::{neg, Arity, Entry, LocalMath, Names, OpError, Operator, Shape};
use crate::core::tensor::{scalar, Tensor};
use crate::text::math::Math;

#[derive(Debug, Clone)]
pub struct CrossEntropy;

/// Checks that the labels `t` have the same shape as the predictions `y`.
pub(super) fn check_labels(op: &'static str, y: &Tensor, t: &Tensor) -> Result<(), OpError> {
    check_rank(op, y)?;
    if y.shape() == t.shape() {
        Ok(())
    } else {
        Err(OpError::Labels {
            op,
            input: y.shape().into(),
            labels: t.shape().into(),
        })
    }
}

pub(super) const ENTRY: Entry = Entry {
    name: "cross_entropy",
    takes: &[],
    make: |_| Ok(Box::new(CrossEntropy)),
};

impl Operator for CrossEntropy {
    fn name(&self) -> &'static str {
        "cross_entropy"
    }
    fn symbol(&self) -> String {
        "Cross Entropy Error".to_string()
    }
    fn arity(&self) -> Arity {
        Arity::Exactly(2)
    }
    fn shape(&self) -> Shape {
        Shape::Layer
    }
    fn local_math(&self, names: Names<'_>, i: usize) -> LocalMath {
        let (y, t) = (names.args[0].clone(), names.args[1].clone());
        LocalMath::after(neg(if i == 0 {
            let below = match batch_rows(names.values) {
                Some(n) => Math::Juxt(vec![n, y]),
                None => y,
            };
            Math::Frac(Box::new(t), Box::new(below))
        } else {
            per_row(Math::Apply("log".to_string(), vec![y]), names.values)
        }))
    }
    fn forward(&self, args: &[&Tensor]) -> Result<Tensor, OpError> {
        let (y, t) = (args[0], args[1]);
        check_labels("cross_entropy", y, t)?;
        Ok(scalar(-(t * &y.mapv(f64::ln)).sum() / rows(y)))
    }
    fn backward(&self, args: &[&Tensor], _: &Tensor, up: &Tensor) -> Vec<Tensor> {
        let (y, t) = (args[0], args[1]);
        let k = -value(up) / rows(y);
        vec![t / y * k, y.mapv(f64::ln) * k]
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::ops::testing::{check_gradients, t};

    #[test]
    fn one_hot_loss() {
        let y = t(&[3], &[0.1, 0.6, 0.3]);
        let l = CrossEntropy
            .forward(&[&y, &t(&[3], &[0., 1., 0.])])
            .unwrap();
        assert!((l[[]] + 0.6f64.ln()).abs() < 1e-15);
    }

    #[test]
    fn gradients() {
        check_gradients(
            &CrossEntropy,
            &[t(&[3], &[0.1, 0.6, 0.3]), t(&[3], &[0., 1., 0.])],
        );
        check_gradients(
            &CrossEntropy,
            &[
                t(&[2, 2], &[0.2, 0.8, 0.5, 0.5]),
                t(&[2, 2], &[1., 0., 0.3, 0.7]),
            ],
        );
    }
}
