//! The errors of a value or gradient that is not finite, naming the node and, where the
//! numbers say it, the operation and its argument: `node "y": log(−1) is not a number`.

use petgraph::graph::NodeIndex;

use super::EvalError;
use crate::core::model::{Kind, Model};
use crate::core::tensor::Tensor;
use crate::error::NumericError;
use crate::text::format::{number, DEFAULT_PRECISION};

/// The value or gradient (`what`) of `node` is not finite.
pub(super) fn numeric(model: &Model, node: NodeIndex, what: &'static str) -> EvalError {
    EvalError::Numeric(NumericError {
        id: model.graph[node].id.clone(),
        what,
        cause: None,
    })
}

/// `"is not a number"` for NaN, `"is infinite"` otherwise.
fn not_finite(x: f64) -> &'static str {
    if x.is_nan() {
        "is not a number"
    } else {
        "is infinite"
    }
}

/// `op(a, b)`, its arguments written as a person reads them.
fn call(op: &str, args: &[f64]) -> String {
    let args: Vec<String> = args.iter().map(|&x| number(x, DEFAULT_PRECISION)).collect();
    format!("{op}({})", args.join(", "))
}

/// The value of operator node `node` from single-number arguments `args` is `value`, not
/// finite: `node "y": log(−1) is not a number`.
pub(super) fn numeric_call(model: &Model, node: NodeIndex, args: &[f64], value: f64) -> EvalError {
    let mut error = numeric(model, node, "value");
    if let (EvalError::Numeric(e), Kind::Op(op)) = (&mut error, &model.graph[node].kind) {
        e.cause = Some(format!("{} {}", call(op.name(), args), not_finite(value)));
    }
    error
}

/// The value of operator node `node` from `args` is `value`, not finite: names the operator,
/// the arguments when they are single numbers, and otherwise the first element not finite.
pub(super) fn numeric_value(
    model: &Model,
    node: NodeIndex,
    args: &[&Tensor],
    value: &Tensor,
) -> EvalError {
    if args.iter().all(|a| a.len() == 1) && value.len() == 1 {
        let args: Vec<f64> = args.iter().filter_map(|a| a.first().copied()).collect();
        return numeric_call(
            model,
            node,
            &args,
            value.first().copied().unwrap_or(f64::NAN),
        );
    }
    let mut error = numeric(model, node, "value");
    let (EvalError::Numeric(e), Kind::Op(op)) = (&mut error, &model.graph[node].kind) else {
        return error;
    };
    let Some((at, &x)) = value.indexed_iter().find(|(_, x)| !x.is_finite()) else {
        return error;
    };
    let at = ndarray::Dimension::slice(&at).to_vec();
    let place = format!("{at:?}");
    e.cause = Some(match args {
        [arg] if arg.shape() == value.shape() => format!(
            "{} {} (element {place})",
            call(op.name(), &[arg[at.as_slice()]]),
            not_finite(x)
        ),
        _ => format!(
            "{} gives a value that {} (element {place})",
            op.name(),
            not_finite(x)
        ),
    });
    error
}
