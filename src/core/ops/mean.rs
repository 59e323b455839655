//! `mean`: the mean of all elements, or along axis 0 or 1, as `sum` takes them. Backward
//! copies the upstream gradient back to every element that was averaged, divided by how many
//! there were, n: its local derivative is 1/n.

use ndarray::{Axis, IxDyn};

use super::{one, Arity, Entry, LocalMath, Names, OpError, Operator};
use crate::core::tensor::{broadcast_to, scalar, Tensor};
use crate::text::math::Math;

#[derive(Debug, Clone)]
pub struct Mean {
    pub axis: Option<usize>,
}

pub(super) const ENTRY: Entry = Entry {
    name: "mean",
    takes: &["axis"],
    make: |params| match params.axis {
        None | Some(0) | Some(1) => Ok(Box::new(Mean { axis: params.axis })),
        Some(a) => Err(OpError::BadParam {
            op: "mean",
            rule: "takes \"axis\" 0 or 1",
            got: a.to_string().into(),
        }),
    },
};

impl Mean {
    /// How many elements of `x` each output element averages, if `x` has the axis.
    fn count(&self, x: &Tensor) -> Option<usize> {
        match self.axis {
            None => Some(x.len()),
            Some(axis) => x.shape().get(axis).copied(),
        }
    }
}

impl Operator for Mean {
    fn name(&self) -> &'static str {
        "mean"
    }
    fn symbol(&self) -> String {
        "mean".to_string()
    }
    fn arity(&self) -> Arity {
        Arity::Exactly(1)
    }
    fn broadcasts(&self) -> bool {
        false
    }
    /// 1/n with the number n of elements averaged, when the values say it (1 for a mean of
    /// one number); else the derivative itself, ∂y/∂x.
    fn local_math(&self, names: Names<'_>, i: usize) -> LocalMath {
        match names.values.and_then(|v| self.count(v[i])) {
            Some(1) => LocalMath::after(one()),
            Some(n) => LocalMath::after(Math::Frac(
                Box::new(one()),
                Box::new(Math::Text(n.to_string())),
            )),
            None => LocalMath::after(Math::partial(names.out.clone(), names.args[i].clone())),
        }
    }
    fn forward(&self, args: &[&Tensor]) -> Result<Tensor, OpError> {
        let x = args[0];
        match self.axis {
            None => Ok(scalar(x.sum() / x.len() as f64)),
            Some(axis) if axis < x.ndim() => Ok(x.sum_axis(Axis(axis)) / x.shape()[axis] as f64),
            Some(axis) => Err(OpError::Axis {
                op: "mean",
                axis,
                shape: x.shape().into(),
            }),
        }
    }
    fn backward(&self, args: &[&Tensor], _: &Tensor, up: &Tensor) -> Vec<Tensor> {
        let x = args[0];
        let n = self.count(x).unwrap_or(1) as f64;
        let spread = match self.axis {
            None => Tensor::from_elem(IxDyn(x.shape()), up.first().copied().unwrap_or(0.0)),
            Some(axis) => broadcast_to(&up.clone().insert_axis(Axis(axis)), x.shape()),
        };
        vec![spread / n]
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::ops::testing::{check_gradients, t};

    #[test]
    fn means_of_all_and_along_each_axis() {
        let m = t(&[2, 3], &[1., 2., 3., 4., 5., 6.]);
        let mean = |axis| Mean { axis }.forward(&[&m]).unwrap();
        assert_eq!(mean(None), scalar(3.5));
        assert_eq!(mean(Some(0)), t(&[3], &[2.5, 3.5, 4.5]));
        assert_eq!(mean(Some(1)), t(&[2], &[2., 5.]));
        assert_eq!(
            Mean { axis: Some(1) }.backward(&[&m], &mean(Some(1)), &t(&[2], &[3., 6.])),
            vec![t(&[2, 3], &[1., 1., 1., 2., 2., 2.])]
        );
    }

    #[test]
    fn gradients() {
        let m = t(&[2, 3], &[1., 2., 3., 4., 5., 6.]);
        check_gradients(&Mean { axis: None }, std::slice::from_ref(&m));
        check_gradients(&Mean { axis: Some(0) }, std::slice::from_ref(&m));
        check_gradients(&Mean { axis: Some(1) }, &[m]);
        check_gradients(&Mean { axis: Some(0) }, &[t(&[3], &[1., 2., 3.])]);
        check_gradients(&Mean { axis: None }, &[scalar(2.0)]);
    }

    #[test]
    fn axis_out_of_range() {
        let err = Mean { axis: Some(1) }
            .forward(&[&t(&[3], &[1., 2., 3.])])
            .unwrap_err()
            .to_string();
        assert_eq!(
            err,
            "mean along axis 1 needs at least 2 axes, got shape (3,)"
        );
    }
}
