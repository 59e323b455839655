//! `affine`: the Affine layer x·W + b, for one sample (x of shape (k,)) or a batch ((N, k)).
//! Backward: ∂L/∂x = ∂L/∂Y · Wᵀ, ∂L/∂W = xᵀ · ∂L/∂Y, and ∂L/∂b = ∂L/∂Y summed over the rows.

use super::matmul::{product, product_grads};
use super::{Arity, Entry, LocalMath, Names, OpError, Operator, Shape};
use crate::core::tensor::{broadcast_shape, unbroadcast, Tensor};
use crate::text::math::Math;

#[derive(Debug, Clone)]
pub struct Affine;

pub(super) const ENTRY: Entry = Entry {
    name: "affine",
    takes: &[],
    make: |_| Ok(Box::new(Affine)),
};

impl Operator for Affine {
    fn name(&self) -> &'static str {
        "affine"
    }
    fn symbol(&self) -> String {
        "Affine".to_string()
    }
    fn arity(&self) -> Arity {
        Arity::Exactly(3)
    }
    fn shape(&self) -> Shape {
        Shape::Layer
    }
    fn local_math(&self, names: Names<'_>, i: usize) -> LocalMath {
        let t = |k: usize| Math::Transpose(Box::new(names.args[k].clone()));
        match i {
            0 => LocalMath::after(t(1)),
            1 => LocalMath::before(t(0)),
            _ => LocalMath::through(),
        }
    }
    fn forward(&self, args: &[&Tensor]) -> Result<Tensor, OpError> {
        let xw = product("affine", args[0], args[1])?;
        match broadcast_shape(xw.shape(), args[2].shape()) {
            Some(shape) if shape == xw.shape() => Ok(xw + args[2]),
            _ => Err(OpError::Bias {
                op: "affine",
                bias: args[2].shape().into(),
                product: xw.shape().into(),
            }),
        }
    }
    fn backward(&self, args: &[&Tensor], _: &Tensor, up: &Tensor) -> Vec<Tensor> {
        let mut grads = product_grads(args[0], args[1], up);
        grads.push(unbroadcast(up.clone(), args[2].shape()));
        grads
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::ops::testing::{check_gradients, t};

    #[test]
    fn bias_gradient_sums_over_the_batch() {
        let x = t(&[2, 2], &[1., 2., 3., 4.]);
        let w = t(&[2, 3], &[1., 0., 1., 0., 1., 1.]);
        let b = t(&[3], &[0.5, 0.5, 0.5]);
        let y = Affine.forward(&[&x, &w, &b]).unwrap();
        assert_eq!(y, t(&[2, 3], &[1.5, 2.5, 3.5, 3.5, 4.5, 7.5]));
        let up = t(&[2, 3], &[1., 2., 3., 4., 5., 6.]);
        assert_eq!(
            Affine.backward(&[&x, &w, &b], &y, &up)[2],
            t(&[3], &[5., 7., 9.])
        );
    }

    #[test]
    fn gradients() {
        let w = t(&[2, 3], &[1., 2., 3., 4., 5., -6.]);
        let b = t(&[3], &[0.1, 0.2, 0.3]);
        check_gradients(&Affine, &[t(&[2], &[1., -2.]), w.clone(), b.clone()]);
        check_gradients(
            &Affine,
            &[t(&[4, 2], &[1., 2., 3., 4., 5., 6., 7., 8.]), w, b],
        );
    }

    #[test]
    fn wrong_bias_is_named() {
        let err = Affine
            .forward(&[
                &t(&[2], &[1., 2.]),
                &t(&[2, 3], &[0.; 6]),
                &t(&[2], &[1., 2.]),
            ])
            .unwrap_err()
            .to_string();
        assert!(err.contains("(2,)") && err.contains("(3,)"), "{err}");
    }
}
