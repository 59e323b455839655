//! Why an operator cannot be built from a scenario's node, or cannot compute its output from
//! the arguments it was given. Every message is lowercase and names the op and, for shapes,
//! both shapes involved, as people write them (`(2, 3)`).

use ndarray::ShapeError;
use thiserror::Error;

use crate::core::tensor::shape_text;

/// What is wrong with an operator node: its name, its parameters, or its arguments' shapes.
#[derive(Debug, Error, Clone, PartialEq)]
pub enum OpError {
    /// No operator has this name; `known` lists the ones that exist.
    #[error("unknown op \"{name}\"; known ops: {}", .known.join(", "))]
    Unknown {
        /// The name the scenario gives.
        name: Box<str>,
        /// Every known name ([`super::NAMES`]).
        known: &'static [&'static str],
    },
    /// A parameter given to an op that does not take it.
    #[error("\"{param}\" is only for {}, not for {op}", .takers.join(" or "))]
    NotTaken {
        /// The parameter (`p`).
        param: &'static str,
        /// The ops that take it (`pow`).
        takers: Box<[&'static str]>,
        /// The op it was given to (which may be unknown).
        op: Box<str>,
    },
    /// An op given a parameter it needs as an argument, or not given it at all: says in one
    /// sentence what it takes, with an example (`pow takes one argument and its exponent as
    /// "p": …`).
    #[error("{op} takes {usage}")]
    Usage {
        /// The op.
        op: &'static str,
        /// What it takes, with an example node.
        usage: &'static str,
    },
    /// A parameter's value is not one the op accepts.
    #[error("{op} {rule}, got {got}")]
    BadParam {
        /// The op.
        op: &'static str,
        /// What the op needs, naming the parameter (`needs a finite "p"`).
        rule: &'static str,
        /// The value given.
        got: Box<str>,
    },
    /// The result would hold more numbers than a tensor may
    /// ([`crate::core::limits::MAX_TENSOR_ELEMENTS`]).
    #[error("{op} would make a tensor of shape {}, more than the limit of {} numbers", crate::core::tensor::shape_text(.shape), crate::core::limits::MAX_TENSOR_ELEMENTS)]
    TooLarge {
        /// The op.
        op: &'static str,
        /// The result's shape.
        shape: Box<[usize]>,
    },
    /// An elementwise op called with no arguments.
    #[error("{op} needs arguments")]
    NoArgs {
        /// The op.
        op: &'static str,
    },
    /// Arguments of an elementwise op whose shapes don't broadcast together.
    #[error("{op} cannot broadcast {} with {}", shape_text(.left), shape_text(.right))]
    Broadcast {
        /// The op.
        op: &'static str,
        /// The shape of the arguments before this one, broadcast together.
        left: Box<[usize]>,
        /// The shape of the argument that does not fit.
        right: Box<[usize]>,
    },
    /// A matrix product whose operands don't fit.
    #[error("{op} cannot multiply {} by {}", shape_text(.left), shape_text(.right))]
    Multiply {
        /// The op.
        op: &'static str,
        /// The left operand's shape.
        left: Box<[usize]>,
        /// The right operand's shape.
        right: Box<[usize]>,
    },
    /// An Affine layer's bias that does not fit x·W.
    #[error("{op} cannot add a bias of shape {} to x·W of shape {}", shape_text(.bias), shape_text(.product))]
    Bias {
        /// The op.
        op: &'static str,
        /// The bias's shape.
        bias: Box<[usize]>,
        /// The shape of x·W.
        product: Box<[usize]>,
    },
    /// A sum along an axis the argument does not have.
    #[error("{op} along axis {axis} needs at least {} axes, got shape {}", .axis + 1, shape_text(.shape))]
    Axis {
        /// The op.
        op: &'static str,
        /// The axis.
        axis: usize,
        /// The argument's shape.
        shape: Box<[usize]>,
    },
    /// An op on vectors or matrices given an argument of another rank.
    #[error("{op} needs a vector or a matrix, got shape {}", shape_text(.shape))]
    Rank {
        /// The op.
        op: &'static str,
        /// The argument's shape.
        shape: Box<[usize]>,
    },
    /// A loss whose labels' shape differs from its input's.
    #[error("{op} needs labels of the same shape as its input: {} vs {}", shape_text(.input), shape_text(.labels))]
    Labels {
        /// The op.
        op: &'static str,
        /// The input's shape.
        input: Box<[usize]>,
        /// The labels' shape.
        labels: Box<[usize]>,
    },
    /// An op with no numeric rule.
    #[error("{op} has no numeric rule")]
    NoRule {
        /// The op.
        op: &'static str,
    },
    /// The generic function of symbolic figures, which has no numbers.
    #[error("{op} has no numeric rule: it stands for any function in symbolic figures")]
    Symbolic {
        /// The op (`fn`).
        op: &'static str,
    },
    /// A folded layer, whose values come from the nodes it folds.
    #[error("the folded layer {label} is computed by its nodes")]
    Folded {
        /// The layer's label.
        label: Box<str>,
    },
    /// An output whose element count does not fit its shape (a bug, not bad input).
    #[error(transparent)]
    Layout(#[from] ShapeError),
}
