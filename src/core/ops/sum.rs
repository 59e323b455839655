//! `sum`: the sum of all elements, or along axis 0 or 1. Backward copies the upstream
//! gradient back to every element that was summed.

use ndarray::{Axis, IxDyn};

use super::{Arity, Entry, LocalMath, Names, OpError, Operator};
use crate::core::tensor::{broadcast_to, scalar, Tensor};

#[derive(Debug, Clone)]
pub struct Sum {
    pub axis: Option<usize>,
}

pub(super) const ENTRY: Entry = Entry {
    name: "sum",
    takes: &["axis"],
    make: |params| match params.axis {
        None | Some(0) | Some(1) => Ok(Box::new(Sum { axis: params.axis })),
        Some(a) => Err(OpError::BadParam {
            op: "sum",
            rule: "takes \"axis\" 0 or 1",
            got: a.to_string().into(),
        }),
    },
};

impl Operator for Sum {
    fn name(&self) -> &'static str {
        "sum"
    }
    fn symbol(&self) -> String {
        "Σ".to_string()
    }
    fn arity(&self) -> Arity {
        Arity::Exactly(1)
    }
    fn broadcasts(&self) -> bool {
        false
    }
    fn local_math(&self, _: Names<'_>, _: usize) -> LocalMath {
        LocalMath::through()
    }
    fn forward(&self, args: &[&Tensor]) -> Result<Tensor, OpError> {
        let x = args[0];
        match self.axis {
            None => Ok(scalar(x.sum())),
            Some(axis) if axis < x.ndim() => Ok(x.sum_axis(Axis(axis))),
            Some(axis) => Err(OpError::Axis {
                op: "sum",
                axis,
                shape: x.shape().into(),
            }),
        }
    }
    fn backward(&self, args: &[&Tensor], _: &Tensor, up: &Tensor) -> Vec<Tensor> {
        let shape = args[0].shape();
        let spread = match self.axis {
            None => Tensor::from_elem(IxDyn(shape), up.first().copied().unwrap_or(0.0)),
            Some(axis) => broadcast_to(&up.clone().insert_axis(Axis(axis)), shape),
        };
        vec![spread]
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::ops::testing::{check_gradients, t};

    #[test]
    fn gradients() {
        let m = t(&[2, 3], &[1., 2., 3., 4., 5., 6.]);
        check_gradients(&Sum { axis: None }, std::slice::from_ref(&m));
        check_gradients(&Sum { axis: Some(0) }, std::slice::from_ref(&m));
        check_gradients(&Sum { axis: Some(1) }, &[m]);
        check_gradients(&Sum { axis: Some(0) }, &[t(&[3], &[1., 2., 3.])]);
    }

    #[test]
    fn axis_out_of_range() {
        let err = Sum { axis: Some(1) }
            .forward(&[&t(&[3], &[1., 2., 3.])])
            .unwrap_err()
            .to_string();
        assert!(err.contains("(3,)"), "{err}");
    }
}
