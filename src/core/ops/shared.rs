//! Helpers the operators share: an elementwise rule applied to broadcast arguments, vectors
//! promoted to matrices, what losses average over, and how max and min share the gradient.

use ndarray::IxDyn;

use super::{one, LocalMath, Names, OpError, Scalar};
use crate::core::limits::MAX_TENSOR_ELEMENTS;
use crate::core::tensor::{broadcast_shape, broadcast_to, Tensor};
use crate::text::math::Math;

/// Applies an elementwise rule to arguments broadcast together, or says why their shapes
/// don't fit (naming the shape of the arguments so far and the next one's).
pub(super) fn elementwise(
    op: &'static str,
    rule: &dyn Scalar,
    args: &[&Tensor],
) -> Result<Tensor, OpError> {
    let (first, rest) = args.split_first().ok_or(OpError::NoArgs { op })?;
    let mut shape = first.shape().to_vec();
    for x in rest {
        shape = broadcast_shape(&shape, x.shape()).ok_or_else(|| OpError::Broadcast {
            op,
            left: shape.as_slice().into(),
            right: x.shape().into(),
        })?;
    }
    fits(op, &shape)?;
    let values = per_element(args, &shape, |_, xs| rule.value(xs));
    Ok(Tensor::from_shape_vec(IxDyn(&shape), values)?)
}

/// Refuses a result of `shape` larger than [`MAX_TENSOR_ELEMENTS`], before it is made: a
/// broadcast or a product can make far more numbers than its arguments hold.
pub(super) fn fits(op: &'static str, shape: &[usize]) -> Result<(), OpError> {
    let size = shape
        .iter()
        .try_fold(1usize, |n, &d| n.checked_mul(d))
        .unwrap_or(usize::MAX);
    if size > MAX_TENSOR_ELEMENTS {
        return Err(OpError::TooLarge {
            op,
            shape: shape.into(),
        });
    }
    Ok(())
}

/// `f(k, xs)` for each element `k` (row-major) of `shape`, where `xs` are the arguments'
/// elements there, each argument broadcast to `shape` (which must be a broadcast of theirs).
pub(super) fn per_element(
    args: &[&Tensor],
    shape: &[usize],
    f: impl Fn(usize, &[f64]) -> f64,
) -> Vec<f64> {
    let spread: Vec<Vec<f64>> = args
        .iter()
        .map(|a| broadcast_to(a, shape).iter().copied().collect())
        .collect();
    let mut xs = vec![0.0; args.len()];
    (0..shape.iter().product())
        .map(|k| {
            for (x, column) in xs.iter_mut().zip(&spread) {
                *x = column[k];
            }
            f(k, &xs)
        })
        .collect()
}

/// Promotes a rank-1 or rank-2 tensor to a matrix: a vector becomes one row (`as_row`) or
/// one column.
pub(super) fn matrix(t: &Tensor, as_row: bool) -> Option<ndarray::Array2<f64>> {
    match t.ndim() {
        1 if as_row => t.clone().into_shape_with_order((1, t.len())).ok(),
        1 => t.clone().into_shape_with_order((t.len(), 1)).ok(),
        2 => t.clone().into_dimensionality().ok(),
        _ => None,
    }
}

/// Number of rows a loss averages over: 1 for rank 1, the first axis for rank 2.
pub(super) fn rows(t: &Tensor) -> f64 {
    if t.ndim() == 2 {
        t.shape()[0] as f64
    } else {
        1.0
    }
}

/// The number of rows a loss averages over, as math, when the values of its arguments say
/// it is a batch (their first is a matrix); `None` for one sample or when there are no values.
pub(super) fn batch_rows(values: Option<&[&Tensor]>) -> Option<Math> {
    let first = values?.first()?;
    (first.ndim() == 2).then(|| Math::Text(first.shape()[0].to_string()))
}

/// `x` divided by the rows of a batch (`(y − t)/2`); `x` itself for one sample.
pub(super) fn per_row(x: Math, values: Option<&[&Tensor]>) -> Math {
    match batch_rows(values) {
        Some(n) => Math::Frac(Box::new(x), Box::new(n)),
        None => x,
    }
}

/// The single value of a scalar tensor (the upstream gradient of a loss).
pub(super) fn value(t: &Tensor) -> f64 {
    t.first().copied().unwrap_or(0.0)
}

/// The share of the upstream gradient that argument `i` of a two-argument max or min gets,
/// where `wins(mine, other)` says whether an argument is the one picked: all of it if it
/// wins, none if the other does, half at a tie (as PyTorch's `torch.maximum` and
/// `torch.minimum` split it, and as central differences measure it).
pub(super) fn share(args: &[f64], i: usize, wins: fn(f64, f64) -> bool) -> f64 {
    let (mine, other) = (args[i], args[1 - i]);
    if mine == other {
        0.5
    } else if wins(mine, other) {
        1.0
    } else {
        0.0
    }
}

/// [`share`] as math: its case (`1`, `0` or `1/2`) when both arguments are single numbers
/// with values, else the derivative itself, ∂y/∂a.
pub(super) fn share_math(names: Names<'_>, i: usize, wins: fn(f64, f64) -> bool) -> LocalMath {
    let case = names
        .values
        .and_then(|v| match (v[i].ndim(), v[1 - i].ndim()) {
            (0, 0) => Some(share(&[*v[i].first()?, *v[1 - i].first()?], 0, wins)),
            _ => None,
        });
    LocalMath::after(match case {
        Some(1.0) => one(),
        Some(0.0) => Math::Text("0".to_string()),
        Some(_) => Math::Frac(Box::new(one()), Box::new(Math::Text("2".to_string()))),
        None => Math::partial(names.out.clone(), names.args[i].clone()),
    })
}
