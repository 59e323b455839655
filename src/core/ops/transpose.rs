//! `transpose`: Xᵀ of a matrix; backward transposes the upstream gradient back, (∂L/∂Y)ᵀ. As
//! numpy's `.T` and PyTorch's `t()` do, a number or a vector (which has no orientation here,
//! as in `matmul`) is given back as it is, and its gradient passes through unchanged; a
//! tensor of more than two axes is refused.

use super::{Arity, Entry, LocalMath, Names, OpError, Operator};
use crate::core::tensor::Tensor;

#[derive(Debug, Clone)]
pub struct Transpose;

pub(super) const ENTRY: Entry = Entry {
    name: "transpose",
    takes: &[],
    make: |_| Ok(Box::new(Transpose)),
};

/// `t` with its axes reversed, in standard (row-major) layout.
fn transposed(t: &Tensor) -> Tensor {
    t.t().as_standard_layout().into_owned()
}

impl Operator for Transpose {
    fn name(&self) -> &'static str {
        "transpose"
    }
    fn symbol(&self) -> String {
        "T".to_string()
    }
    fn arity(&self) -> Arity {
        Arity::Exactly(1)
    }
    fn broadcasts(&self) -> bool {
        false
    }
    /// (∂L/∂Y)ᵀ; for a number or a vector, whose transpose is itself, ∂L/∂Y.
    fn local_math(&self, names: Names<'_>, i: usize) -> LocalMath {
        match names.values {
            Some(v) if v[i].ndim() < 2 => LocalMath::through(),
            _ => LocalMath::transposed(),
        }
    }
    fn forward(&self, args: &[&Tensor]) -> Result<Tensor, OpError> {
        let x = args[0];
        if x.ndim() > 2 {
            return Err(OpError::Rank {
                op: "transpose",
                shape: x.shape().into(),
            });
        }
        Ok(transposed(x))
    }
    fn backward(&self, _: &[&Tensor], _: &Tensor, up: &Tensor) -> Vec<Tensor> {
        vec![transposed(up)]
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::ops::testing::{check_gradients, t};
    use crate::core::tensor::scalar;

    #[test]
    fn a_matrix_is_transposed_a_vector_kept() {
        let m = t(&[2, 3], &[1., 2., 3., 4., 5., 6.]);
        let mt = Transpose.forward(&[&m]).unwrap();
        assert_eq!(mt, t(&[3, 2], &[1., 4., 2., 5., 3., 6.]));
        assert!(mt.is_standard_layout());
        let v = t(&[3], &[1., 2., 3.]);
        assert_eq!(Transpose.forward(&[&v]).unwrap(), v);
        assert_eq!(Transpose.forward(&[&scalar(2.0)]).unwrap(), scalar(2.0));
        let cube = t(&[1, 1, 2], &[1., 2.]);
        assert_eq!(
            Transpose.forward(&[&cube]).unwrap_err().to_string(),
            "transpose needs a vector or a matrix, got shape (1, 1, 2)"
        );
    }

    #[test]
    fn gradients() {
        check_gradients(&Transpose, &[t(&[2, 3], &[1., 2., 3., 4., 5., 6.])]);
        check_gradients(&Transpose, &[t(&[1, 3], &[1., -2., 3.])]);
        check_gradients(&Transpose, &[t(&[3], &[1., -2., 3.])]);
        check_gradients(&Transpose, &[scalar(-1.5)]);
    }
}
