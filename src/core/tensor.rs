//! Tensor values: scalars, vectors and matrices as `ndarray` arrays of `f64`, with numpy-style
//! broadcasting and its inverse (summing a gradient back to the shape of an operand).

use ndarray::{ArrayD, Axis, IxDyn, ShapeError};
use serde_json::{Number, Value};
use thiserror::Error;

/// Every value and gradient in chainrule: an n-dimensional array of `f64` (rank 0 for a scalar).
pub type Tensor = ArrayD<f64>;

/// A scalar tensor.
pub fn scalar(x: f64) -> Tensor {
    ArrayD::from_elem(IxDyn(&[]), x)
}

/// Why a JSON value is not a tensor.
#[derive(Debug, Error, Clone, PartialEq)]
pub enum TensorError {
    /// An array with no elements (at any depth).
    #[error("an empty array has no value")]
    Empty,
    /// A JSON number that does not fit an `f64`.
    #[error("{0} is not a number")]
    NotANumber(Number),
    /// A row whose length differs from the first row's at the same depth.
    #[error("ragged array: a row has {len} elements where the first has {first}")]
    RowLength {
        /// The row's length.
        len: usize,
        /// The first row's length.
        first: usize,
    },
    /// An array deeper than the first element's nesting.
    #[error("ragged array: an array stands where a number was expected")]
    ArrayForNumber,
    /// A non-array where the first element's nesting has an array.
    #[error("ragged array: {0} stands where an array was expected")]
    ValueForArray(Box<Value>),
    /// Something other than a number or an array (a string, a boolean, null, an object).
    #[error("expected a number, found {0}")]
    NotNumeric(Box<Value>),
    /// The elements don't fill the shape (a bug, not bad input).
    #[error(transparent)]
    Layout(#[from] ShapeError),
}

/// Parses a JSON number or nested arrays of numbers (row-major) into a tensor.
///
/// # Errors
/// A [`TensorError`] naming what is wrong: a ragged array, a non-number, or an empty array.
pub fn from_json(value: &Value) -> Result<Tensor, TensorError> {
    let mut shape = Vec::new();
    let mut probe = value;
    while let Value::Array(items) = probe {
        shape.push(items.len());
        match items.first() {
            Some(first) => probe = first,
            None => return Err(TensorError::Empty),
        }
    }
    let mut data = Vec::new();
    collect(value, &shape, &mut data)?;
    Ok(ArrayD::from_shape_vec(IxDyn(&shape), data)?)
}

fn collect(value: &Value, shape: &[usize], out: &mut Vec<f64>) -> Result<(), TensorError> {
    match (value, shape.split_first()) {
        (Value::Number(n), None) => {
            out.push(
                n.as_f64()
                    .ok_or_else(|| TensorError::NotANumber(n.clone()))?,
            );
            Ok(())
        }
        (Value::Array(items), Some((&len, rest))) if items.len() == len => {
            items.iter().try_for_each(|item| collect(item, rest, out))
        }
        (Value::Array(items), Some((&first, _))) => Err(TensorError::RowLength {
            len: items.len(),
            first,
        }),
        (Value::Array(_), None) => Err(TensorError::ArrayForNumber),
        (other, Some(_)) => Err(TensorError::ValueForArray(Box::new(other.clone()))),
        (other, None) => Err(TensorError::NotNumeric(Box::new(other.clone()))),
    }
}

/// The tensor as a JSON number or nested arrays, at full `f64` precision.
pub fn to_json(t: &Tensor) -> Value {
    fn rec(view: ndarray::ArrayViewD<'_, f64>) -> Value {
        if view.ndim() == 0 {
            return serde_json::json!(view.first().copied().unwrap_or(f64::NAN));
        }
        Value::Array(view.outer_iter().map(rec).collect())
    }
    rec(t.view())
}

/// A shape as people write it: `()`, `(3,)`, `(2, 3)`.
pub fn shape_text(shape: &[usize]) -> String {
    match shape {
        [one] => format!("({one},)"),
        _ => {
            let dims: Vec<String> = shape.iter().map(usize::to_string).collect();
            format!("({})", dims.join(", "))
        }
    }
}

/// The shape two operands broadcast to under numpy's rules, or `None` if they don't fit.
pub fn broadcast_shape(a: &[usize], b: &[usize]) -> Option<Vec<usize>> {
    let rank = a.len().max(b.len());
    let dim = |s: &[usize], i: usize| (i + s.len()).checked_sub(rank).map_or(1, |j| s[j]);
    (0..rank)
        .map(|i| match (dim(a, i), dim(b, i)) {
            (x, y) if x == y => Some(x),
            (1, y) => Some(y),
            (x, 1) => Some(x),
            _ => None,
        })
        .collect()
}

/// `t` broadcast to `shape` (which must be a broadcast of `t`'s shape) as an owned tensor.
pub fn broadcast_to(t: &Tensor, shape: &[usize]) -> Tensor {
    match t.broadcast(IxDyn(shape)) {
        Some(view) => view.to_owned(),
        None => unreachable!("broadcast_to called with a shape that was not checked"),
    }
}

/// Sums a gradient of a broadcast result back to `shape`, the shape of the operand that was
/// broadcast: over the leading axes it lacked and over the axes where it had length 1.
pub fn unbroadcast(grad: Tensor, shape: &[usize]) -> Tensor {
    let mut g = grad;
    while g.ndim() > shape.len() {
        g = g.sum_axis(Axis(0));
    }
    for (axis, &len) in shape.iter().enumerate() {
        if len == 1 && g.shape()[axis] != 1 {
            g = g.sum_axis(Axis(axis)).insert_axis(Axis(axis));
        }
    }
    g
}

/// True when every element is finite.
pub fn is_finite(t: &Tensor) -> bool {
    t.iter().all(|x| x.is_finite())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_nested_arrays_row_major() {
        let t = from_json(&serde_json::json!([[1, 2, 3], [4, 5, 6]])).unwrap();
        assert_eq!(t.shape(), &[2, 3]);
        assert_eq!(t[[1, 0]], 4.0);
    }

    #[test]
    fn rejects_ragged_arrays() {
        let err = from_json(&serde_json::json!([[1, 2], [3]]))
            .unwrap_err()
            .to_string();
        assert!(err.contains("ragged"), "{err}");
        assert!(from_json(&serde_json::json!([1, [2]])).is_err());
        assert!(from_json(&serde_json::json!([[1], 2])).is_err());
    }

    #[test]
    fn broadcasts_like_numpy() {
        assert_eq!(broadcast_shape(&[4, 3], &[3]), Some(vec![4, 3]));
        assert_eq!(broadcast_shape(&[], &[2, 2]), Some(vec![2, 2]));
        assert_eq!(broadcast_shape(&[4, 1], &[1, 5]), Some(vec![4, 5]));
        assert_eq!(broadcast_shape(&[2], &[3]), None);
    }

    #[test]
    fn unbroadcast_sums_the_broadcast_axes() {
        let g = Tensor::ones(IxDyn(&[4, 3]));
        assert_eq!(
            unbroadcast(g.clone(), &[3]),
            ndarray::arr1(&[4.0, 4.0, 4.0]).into_dyn()
        );
        assert_eq!(unbroadcast(g.clone(), &[]), scalar(12.0));
        assert_eq!(unbroadcast(g, &[4, 1]).shape(), &[4, 1]);
    }

    #[test]
    fn shapes_read_like_python() {
        assert_eq!(shape_text(&[3]), "(3,)");
        assert_eq!(shape_text(&[2, 3]), "(2, 3)");
        assert_eq!(shape_text(&[]), "()");
    }
}
