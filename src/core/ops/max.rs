//! `max`: the larger of a and b elementwise, CS231n's max gate. Backward routes the upstream
//! gradient to the larger argument and sends 0 to the other; at a tie (a = b) each gets half,
//! as PyTorch's `torch.maximum` does and as central differences measure. Its local derivative
//! is written as its case on numbers (`1`, `0`, `1/2`), else as ∂y/∂a.

use super::shared::{share, share_math};
use super::{Arity, Entry, LocalMath, Names, Operator, Scalar};

#[derive(Debug, Clone)]
pub struct Max;

pub(super) const ENTRY: Entry = Entry {
    name: "max",
    takes: &[],
    make: |_| Ok(Box::new(Max)),
};

/// Whether `mine` is the one max picks over `other`.
fn larger(mine: f64, other: f64) -> bool {
    mine > other
}

impl Operator for Max {
    fn name(&self) -> &'static str {
        "max"
    }
    fn symbol(&self) -> String {
        "max".to_string()
    }
    fn arity(&self) -> Arity {
        Arity::Exactly(2)
    }
    fn local_math(&self, names: Names<'_>, i: usize) -> LocalMath {
        share_math(names, i, larger)
    }
    fn scalar(&self) -> Option<&dyn Scalar> {
        Some(self)
    }
}

impl Scalar for Max {
    fn value(&self, args: &[f64]) -> f64 {
        args[0].max(args[1])
    }
    fn derivative(&self, args: &[f64], _: f64, i: usize) -> f64 {
        share(args, i, larger)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::ops::testing::{check_gradients, t};
    use crate::core::tensor::scalar;

    #[test]
    fn the_larger_input_takes_the_gradient() {
        // CS231n: max(x, y) with x = 4, y = 2 sends the whole gradient to x.
        let (x, y) = (scalar(4.0), scalar(2.0));
        let out = Max.forward(&[&x, &y]).unwrap();
        assert_eq!(out, scalar(4.0));
        assert_eq!(
            Max.backward(&[&x, &y], &out, &scalar(2.0)),
            vec![scalar(2.0), scalar(0.0)]
        );
    }

    #[test]
    fn a_tie_splits_the_gradient_equally() {
        let (a, b) = (t(&[3], &[1., 5., -2.]), t(&[3], &[1., 2., 0.]));
        let out = Max.forward(&[&a, &b]).unwrap();
        assert_eq!(out, t(&[3], &[1., 5., 0.]));
        assert_eq!(
            Max.backward(&[&a, &b], &out, &t(&[3], &[4., 4., 4.])),
            vec![t(&[3], &[2., 4., 0.]), t(&[3], &[2., 0., 4.])]
        );
    }

    #[test]
    fn gradients() {
        check_gradients(&Max, &[t(&[3], &[1., -2., 3.]), t(&[3], &[0.5, -1., 4.])]);
        // Broadcast: a row against a batch, a number against a vector.
        check_gradients(
            &Max,
            &[
                t(&[2, 3], &[1., 2., 3., -4., 5., -6.]),
                t(&[3], &[0.5, 2.5, -1.]),
            ],
        );
        check_gradients(&Max, &[scalar(0.25), t(&[3], &[1., -2., 0.])]);
    }
}
