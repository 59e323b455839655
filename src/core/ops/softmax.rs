//! `softmax`: exp(a) / Σ exp(a) over the last axis (shifted by the maximum for stability).
//! Backward: ∂L/∂a = y ⊙ (g − Σ g ⊙ y) along the same axis.

use ndarray::Axis;

use super::{Arity, Entry, OpError, Operator, Shape};
use crate::core::tensor::Tensor;

#[derive(Debug, Clone)]
pub struct Softmax;

/// Softmax of `a` over its last axis; `a` must have rank 1 or 2.
pub(super) fn softmax(a: &Tensor) -> Tensor {
    let mut y = a.clone();
    let last = Axis(a.ndim().saturating_sub(1));
    for mut lane in y.lanes_mut(last) {
        let max = lane.fold(f64::NEG_INFINITY, |m, &x| m.max(x));
        lane.mapv_inplace(|x| (x - max).exp());
        let total = lane.sum();
        lane.mapv_inplace(|x| x / total);
    }
    y
}

/// Checks that `a` has rank 1 or 2, naming `op` and the shape if not.
pub(super) fn check_rank(op: &'static str, a: &Tensor) -> Result<(), OpError> {
    match a.ndim() {
        1 | 2 => Ok(()),
        _ => Err(OpError::Rank {
            op,
            shape: a.shape().into(),
        }),
    }
}

pub(super) const ENTRY: Entry = Entry {
    name: "softmax",
    takes: &[],
    make: |_| Ok(Box::new(Softmax)),
};

impl Operator for Softmax {
    fn name(&self) -> &'static str {
        "softmax"
    }
    fn symbol(&self) -> String {
        "Softmax".to_string()
    }
    fn arity(&self) -> Arity {
        Arity::Exactly(1)
    }
    fn shape(&self) -> Shape {
        Shape::Layer
    }
    fn forward(&self, args: &[&Tensor]) -> Result<Tensor, OpError> {
        check_rank("softmax", args[0])?;
        Ok(softmax(args[0]))
    }
    fn backward(&self, _: &[&Tensor], out: &Tensor, up: &Tensor) -> Vec<Tensor> {
        let last = Axis(out.ndim() - 1);
        let gy = up * out;
        let dot = gy.sum_axis(last).insert_axis(last);
        vec![out * &(up - &dot)]
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::ops::testing::{check_gradients, t};

    #[test]
    fn rows_sum_to_one() {
        let y = Softmax
            .forward(&[&t(&[2, 3], &[1., 2., 3., 1000., 0., -1000.])])
            .unwrap();
        for row in y.outer_iter() {
            assert!((row.sum() - 1.0).abs() < 1e-12);
        }
    }

    #[test]
    fn gradients() {
        check_gradients(&Softmax, &[t(&[3], &[0.3, 2.9, 4.0])]);
        check_gradients(&Softmax, &[t(&[2, 3], &[1., 2., 3., -1., 0., 0.5])]);
    }
}
