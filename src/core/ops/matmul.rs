//! `matmul`: numpy's `dot` for vectors and matrices: (k,)·(k,), (k,)·(k,m), (n,k)·(k,m),
//! (n,k)·(k,). Backward: ∂L/∂X = ∂L/∂Y · Wᵀ and ∂L/∂W = Xᵀ · ∂L/∂Y, vectors promoted to a row
//! (left) or a column (right) and the result given back its argument's shape.

use ndarray::Array2;

use super::shared::{fits, matrix};
use super::{Arity, Entry, LocalMath, Names, OpError, Operator, Shape};
use crate::core::tensor::Tensor;
use crate::text::math::Math;

#[derive(Debug, Clone)]
pub struct Matmul;

/// The two arguments as matrices, or why they can't be multiplied.
pub(super) fn operands(
    op: &'static str,
    a: &Tensor,
    b: &Tensor,
) -> Result<(Array2<f64>, Array2<f64>), OpError> {
    let why = || OpError::Multiply {
        op,
        left: a.shape().into(),
        right: b.shape().into(),
    };
    let a2 = matrix(a, true).ok_or_else(why)?;
    let b2 = matrix(b, false).ok_or_else(why)?;
    if a2.ncols() != b2.nrows() {
        return Err(why());
    }
    Ok((a2, b2))
}

/// X·W with numpy's shapes.
pub(super) fn product(op: &'static str, a: &Tensor, b: &Tensor) -> Result<Tensor, OpError> {
    let (a2, b2) = operands(op, a, b)?;
    let mut shape = Vec::new();
    if a.ndim() == 2 {
        shape.push(a2.nrows());
    }
    if b.ndim() == 2 {
        shape.push(b2.ncols());
    }
    fits(op, &shape)?;
    let c = a2.dot(&b2);
    Ok(Tensor::from_shape_vec(
        ndarray::IxDyn(&shape),
        c.iter().copied().collect(),
    )?)
}

/// The gradients of X·W with respect to X and W, given ∂L/∂Y.
pub(super) fn product_grads(a: &Tensor, b: &Tensor, up: &Tensor) -> Vec<Tensor> {
    let (Ok((a2, b2)), rows, cols) = (operands("matmul", a, b), a.ndim(), b.ndim()) else {
        return vec![Tensor::zeros(a.raw_dim()), Tensor::zeros(b.raw_dim())];
    };
    let (n, m) = (
        if rows == 2 { a2.nrows() } else { 1 },
        if cols == 2 { b2.ncols() } else { 1 },
    );
    let up2 = Array2::from_shape_vec((n, m), up.iter().copied().collect())
        .unwrap_or_else(|_| Array2::zeros((n, m)));
    let da = up2.dot(&b2.t());
    let db = a2.t().dot(&up2);
    let reshape = |m: Array2<f64>, like: &Tensor| {
        Tensor::from_shape_vec(like.raw_dim(), m.iter().copied().collect())
            .unwrap_or_else(|_| Tensor::zeros(like.raw_dim()))
    };
    vec![reshape(da, a), reshape(db, b)]
}

pub(super) const ENTRY: Entry = Entry {
    name: "matmul",
    takes: &[],
    make: |_| Ok(Box::new(Matmul)),
};

impl Operator for Matmul {
    fn name(&self) -> &'static str {
        "matmul"
    }
    fn symbol(&self) -> String {
        "dot".to_string()
    }
    fn arity(&self) -> Arity {
        Arity::Exactly(2)
    }
    fn shape(&self) -> Shape {
        Shape::Circle
    }
    fn local_math(&self, names: Names<'_>, i: usize) -> LocalMath {
        let other = Math::Transpose(Box::new(names.args[1 - i].clone()));
        if i == 0 {
            LocalMath::after(other)
        } else {
            LocalMath::before(other)
        }
    }
    fn forward(&self, args: &[&Tensor]) -> Result<Tensor, OpError> {
        product("matmul", args[0], args[1])
    }
    fn backward(&self, args: &[&Tensor], _: &Tensor, up: &Tensor) -> Vec<Tensor> {
        product_grads(args[0], args[1], up)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::ops::testing::{check_gradients, t};

    #[test]
    fn numpy_shapes() {
        let x = t(&[2], &[1., 2.]);
        let w = t(&[2, 3], &[1., 2., 3., 4., 5., 6.]);
        assert_eq!(Matmul.forward(&[&x, &w]).unwrap(), t(&[3], &[9., 12., 15.]));
        assert_eq!(Matmul.forward(&[&x, &x]).unwrap().shape(), &[] as &[usize]);
        let err = Matmul.forward(&[&w, &w]).unwrap_err().to_string();
        assert_eq!(err, "matmul cannot multiply (2, 3) by (2, 3)");
    }

    #[test]
    fn gradients_every_shape_pair() {
        let v2 = t(&[2], &[1., -2.]);
        let m23 = t(&[2, 3], &[1., 2., 3., 4., 5., 6.]);
        let m42 = t(&[4, 2], &[1., 2., 3., 4., 5., 6., 7., 8.]);
        check_gradients(&Matmul, &[v2.clone(), m23.clone()]);
        check_gradients(&Matmul, &[m42.clone(), m23]);
        check_gradients(&Matmul, &[m42, v2.clone()]);
        check_gradients(&Matmul, &[v2.clone(), v2]);
    }
}
