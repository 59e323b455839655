//! `softmax_with_loss`: cross_entropy(softmax(a), t), the text's Softmax-with-Loss layer.
//! Its gradient to the scores is (y − t) / rows for labels whose rows sum to 1 (one-hot, as the
//! text uses); in general it is (y·Σt − t) / rows, which is what is computed, so that it stays
//! the true derivative for any t. The gradient to t is −log y / rows. The labels write the
//! division by the rows as the number of rows of the batch: `(y − t)/2`.

use ndarray::Axis;

use super::cross_entropy::check_labels;
use super::shared::{per_row, rows, value};
use super::softmax::softmax;
use super::{neg, Arity, Entry, LocalMath, Names, OpError, Operator, Shape};
use crate::core::tensor::{scalar, Tensor};
use crate::text::math::Math;

#[derive(Debug, Clone)]
pub struct SoftmaxWithLoss;

/// log softmax(a) over the last axis, computed without forming softmax(a) first, so that a
/// vanishing probability still has a finite logarithm.
fn log_softmax(a: &Tensor) -> Tensor {
    let mut out = a.clone();
    for mut lane in out.lanes_mut(Axis(a.ndim() - 1)) {
        let max = lane.fold(f64::NEG_INFINITY, |m, &x| m.max(x));
        let log_total = lane.fold(0.0, |s, &x| s + (x - max).exp()).ln();
        lane.mapv_inplace(|x| x - max - log_total);
    }
    out
}

pub(super) const ENTRY: Entry = Entry {
    name: "softmax_with_loss",
    takes: &[],
    make: |_| Ok(Box::new(SoftmaxWithLoss)),
};

impl Operator for SoftmaxWithLoss {
    fn name(&self) -> &'static str {
        "softmax_with_loss"
    }
    fn symbol(&self) -> String {
        "Softmax-with-Loss".to_string()
    }
    fn arity(&self) -> Arity {
        Arity::Exactly(2)
    }
    fn shape(&self) -> Shape {
        Shape::Layer
    }
    fn local_math(&self, names: Names<'_>, i: usize) -> LocalMath {
        let y = Math::Var("y".to_string());
        let local = if i == 0 {
            Math::Sum(vec![y, neg(names.args[1].clone())])
        } else {
            Math::Apply("log".to_string(), vec![y])
        };
        let local = per_row(local, names.values);
        LocalMath::after(if i == 0 { local } else { neg(local) })
    }
    fn forward(&self, args: &[&Tensor]) -> Result<Tensor, OpError> {
        let (a, t) = (args[0], args[1]);
        check_labels("softmax_with_loss", a, t)?;
        Ok(scalar(-(t * &log_softmax(a)).sum() / rows(a)))
    }
    fn backward(&self, args: &[&Tensor], _: &Tensor, up: &Tensor) -> Vec<Tensor> {
        let (a, t) = (args[0], args[1]);
        let k = value(up) / rows(a);
        let last = Axis(a.ndim() - 1);
        let label_mass = t.sum_axis(last).insert_axis(last);
        let da = (softmax(a) * &label_mass - t) * k;
        let dt = log_softmax(a) * -k;
        vec![da, dt]
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::ops::testing::{check_gradients, t};

    #[test]
    fn one_hot_gradient_is_y_minus_t() {
        let a = t(&[3], &[0.3, 2.9, 4.0]);
        let labels = t(&[3], &[0., 0., 1.]);
        let out = SoftmaxWithLoss.forward(&[&a, &labels]).unwrap();
        let grads = SoftmaxWithLoss.backward(&[&a, &labels], &out, &scalar(1.0));
        let want = softmax(&a) - &labels;
        assert!(grads[0]
            .iter()
            .zip(want.iter())
            .all(|(g, w)| (g - w).abs() < 1e-15));
    }

    #[test]
    fn gradients() {
        check_gradients(
            &SoftmaxWithLoss,
            &[t(&[3], &[0.3, 2.9, 4.0]), t(&[3], &[0., 1., 0.])],
        );
        check_gradients(
            &SoftmaxWithLoss,
            &[
                t(&[2, 3], &[1., 2., 3., 0., -1., 1.]),
                t(&[2, 3], &[0.2, 0.3, 0.1, 0., 0., 1.]),
            ],
        );
    }
}
