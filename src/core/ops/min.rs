//! `min`: the smaller of a and b elementwise, the mirror of CS231n's max gate. Backward routes
//! the upstream gradient to the smaller argument and sends 0 to the other; at a tie (a = b)
//! each gets half, as PyTorch's `torch.minimum` does and as central differences measure. Its
//! local derivative is written as its case on numbers (`1`, `0`, `1/2`), else as ∂y/∂a.

use super::shared::{share, share_math};
use super::{Arity, Entry, LocalMath, Names, Operator, Scalar};

#[derive(Debug, Clone)]
pub struct Min;

pub(super) const ENTRY: Entry = Entry {
    name: "min",
    takes: &[],
    make: |_| Ok(Box::new(Min)),
};

/// Whether `mine` is the one min picks over `other`.
fn smaller(mine: f64, other: f64) -> bool {
    mine < other
}

impl Operator for Min {
    fn name(&self) -> &'static str {
        "min"
    }
    fn symbol(&self) -> String {
        "min".to_string()
    }
    fn arity(&self) -> Arity {
        Arity::Exactly(2)
    }
    fn local_math(&self, names: Names<'_>, i: usize) -> LocalMath {
        share_math(names, i, smaller)
    }
    fn scalar(&self) -> Option<&dyn Scalar> {
        Some(self)
    }
}

impl Scalar for Min {
    fn value(&self, args: &[f64]) -> f64 {
        args[0].min(args[1])
    }
    fn derivative(&self, args: &[f64], _: f64, i: usize) -> f64 {
        share(args, i, smaller)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::ops::testing::{check_gradients, t};
    use crate::core::tensor::scalar;

    #[test]
    fn the_smaller_input_takes_the_gradient() {
        let (x, y) = (scalar(4.0), scalar(2.0));
        let out = Min.forward(&[&x, &y]).unwrap();
        assert_eq!(out, scalar(2.0));
        assert_eq!(
            Min.backward(&[&x, &y], &out, &scalar(2.0)),
            vec![scalar(0.0), scalar(2.0)]
        );
    }

    #[test]
    fn a_tie_splits_the_gradient_equally() {
        let (a, b) = (t(&[3], &[1., 5., -2.]), t(&[3], &[1., 2., 0.]));
        let out = Min.forward(&[&a, &b]).unwrap();
        assert_eq!(out, t(&[3], &[1., 2., -2.]));
        assert_eq!(
            Min.backward(&[&a, &b], &out, &t(&[3], &[4., 4., 4.])),
            vec![t(&[3], &[2., 0., 4.]), t(&[3], &[2., 4., 0.])]
        );
    }

    #[test]
    fn gradients() {
        check_gradients(&Min, &[t(&[3], &[1., -2., 3.]), t(&[3], &[0.5, -1., 4.])]);
        check_gradients(
            &Min,
            &[
                t(&[2, 3], &[1., 2., 3., -4., 5., -6.]),
                t(&[3], &[0.5, 2.5, -1.]),
            ],
        );
        check_gradients(&Min, &[scalar(0.25), t(&[3], &[1., -2., 0.])]);
    }
}
