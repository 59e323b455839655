//! The operators a scenario can use, one file each. Each file holds the operator's forward
//! rule, its local derivative (or its whole backward rule when it is not elementwise), the
//! symbol drawn in its node, and its unit tests.
//!
//! Elementwise operators only supply their rule on single numbers ([`Scalar`]): the default
//! [`Operator::forward`] and [`Operator::local`] apply it element by element to the arguments
//! broadcast together, and the default [`Operator::backward`] multiplies the upstream gradient
//! by the local derivative and sums the product back to each argument's shape, undoing
//! numpy-style broadcasting. Since a rule is written once, a graph of single numbers gets bit
//! for bit the same results on tensors as on plain numbers ([`crate::core::engine::numbers`]).

use std::fmt;

use crate::core::tensor::{unbroadcast, Tensor};
use crate::text::math::Math;

mod error;
mod shared;
#[cfg(test)]
pub(crate) mod testing;
#[cfg(test)]
mod tests;

pub use error::OpError;
use shared::{elementwise, per_element};

/// How many arguments an operator takes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Arity {
    /// Exactly this many.
    Exactly(usize),
    /// This many or more.
    AtLeast(usize),
}

impl Arity {
    /// Whether `n` arguments are acceptable.
    pub fn accepts(self, n: usize) -> bool {
        match self {
            Arity::Exactly(k) => n == k,
            Arity::AtLeast(k) => n >= k,
        }
    }
}

impl fmt::Display for Arity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Arity::Exactly(k) => write!(f, "{k}"),
            Arity::AtLeast(k) => write!(f, "{k} or more"),
        }
    }
}

/// How an operator node is drawn.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Shape {
    /// A circle with the symbol inside (`×`, `+`, `exp`).
    Circle,
    /// A rounded box with the layer's name (`Affine`, `Softmax`).
    Layer,
}

/// Which side of the upstream gradient a local derivative is written on: after it
/// (`∂L/∂Y · Wᵀ`, the usual) or before it (`Xᵀ · ∂L/∂Y`, for matrix products).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Side {
    /// Written after the upstream gradient.
    After,
    /// Written before it.
    Before,
}

/// A local derivative as the text writes it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LocalMath {
    /// The factor; `None` when the gradient passes through unchanged in shape-changing ops
    /// (the bias of an Affine layer, a sum) where writing `· 1` would say nothing.
    pub factor: Option<Math>,
    /// Where it stands.
    pub side: Side,
    /// Whether the upstream gradient is transposed (before any factor multiplies it): a
    /// transpose node sends back (∂L/∂Y)ᵀ.
    pub transposed: bool,
}

impl LocalMath {
    /// A factor written after the upstream gradient.
    pub fn after(factor: Math) -> LocalMath {
        LocalMath {
            factor: Some(factor),
            side: Side::After,
            transposed: false,
        }
    }
    /// A factor written before the upstream gradient.
    pub fn before(factor: Math) -> LocalMath {
        LocalMath {
            factor: Some(factor),
            side: Side::Before,
            transposed: false,
        }
    }
    /// No factor: the gradient passes through.
    pub fn through() -> LocalMath {
        LocalMath {
            factor: None,
            side: Side::After,
            transposed: false,
        }
    }
    /// No factor: the gradient passes through, transposed.
    pub fn transposed() -> LocalMath {
        LocalMath {
            factor: None,
            side: Side::After,
            transposed: true,
        }
    }
}

/// The names an operator's symbolic derivative is written with.
#[derive(Debug, Clone, Copy)]
pub struct Names<'a> {
    /// The arguments' names.
    pub args: &'a [Math],
    /// The output's name.
    pub out: &'a Math,
    /// The arguments' values, when the scenario has numbers: the cases of ReLU, max and min,
    /// the n of a mean and whether a transpose changes anything depend on them.
    pub values: Option<&'a [&'a Tensor]>,
}

/// `1` as math.
pub(crate) fn one() -> Math {
    Math::Text("1".to_string())
}

/// `−x`.
pub(crate) fn neg(x: Math) -> Math {
    Math::Neg(Box::new(x))
}

/// `x²`.
pub(crate) fn squared(x: &Math) -> Math {
    Math::Pow(Box::new(x.clone()), Box::new(Math::Text("2".to_string())))
}

/// Copies a boxed operator (every operator is plain data).
pub trait BoxClone {
    /// A copy in a new box.
    fn box_clone(&self) -> Box<dyn Operator>;
}

impl<T: Operator + Clone + 'static> BoxClone for T {
    fn box_clone(&self) -> Box<dyn Operator> {
        Box::new(self.clone())
    }
}

impl Clone for Box<dyn Operator> {
    fn clone(&self) -> Self {
        self.box_clone()
    }
}

/// An elementwise operator's rule on single numbers, from which its rule on tensors follows.
pub trait Scalar {
    /// The value at `args`.
    fn value(&self, args: &[f64]) -> f64;
    /// ∂out/∂args\[i\] at `args`, where the value is `out`.
    fn derivative(&self, args: &[f64], out: f64, i: usize) -> f64;
}

/// One operator: forward rule, backward rule and how it is drawn.
pub trait Operator: fmt::Debug + Send + Sync + BoxClone {
    /// The name used in scenario files (`mul`).
    fn name(&self) -> &'static str;
    /// What is drawn in the node (`×`).
    fn symbol(&self) -> String;
    /// How many arguments it takes.
    fn arity(&self) -> Arity;
    /// What to say instead of "expects 1 args" when the node gives the wrong number of
    /// arguments, for an op whose parameter is easily given as an argument (`pow`'s `p`).
    fn misused(&self) -> Option<OpError> {
        None
    }
    /// Circle or layer box.
    fn shape(&self) -> Shape {
        Shape::Circle
    }
    /// Whether its arguments are broadcast to its output's shape (numpy-style), so that the
    /// gradient written on an argument's edge is summed back over the broadcast axes: true
    /// for elementwise operators and an Affine layer's bias; false for operators whose
    /// output's shape is their own rule's (a sum, a mean, a transpose), whose gradients
    /// already have their arguments' shapes.
    fn broadcasts(&self) -> bool {
        true
    }
    /// For an elementwise operator, its rule on single numbers; `None` for the others. An
    /// operator with such a rule keeps the default [`Operator::forward`], [`Operator::local`]
    /// and [`Operator::backward`], so that evaluating on numbers gives what they give.
    fn scalar(&self) -> Option<&dyn Scalar> {
        None
    }
    /// Computes the output, or says why the arguments' shapes don't fit (naming both). By
    /// default, the scalar rule applied to the arguments broadcast together; operators that
    /// are not elementwise have their own.
    fn forward(&self, args: &[&Tensor]) -> Result<Tensor, OpError> {
        match self.scalar() {
            Some(rule) => elementwise(self.name(), rule, args),
            None => Err(OpError::NoRule { op: self.name() }),
        }
    }
    /// For an elementwise operator: ∂out/∂args\[i\] element by element, broadcast to the
    /// output's shape. `None` for operators that are not elementwise.
    fn local(&self, args: &[&Tensor], out: &Tensor, i: usize) -> Option<Tensor> {
        let rule = self.scalar()?;
        let outs: Vec<f64> = out.iter().copied().collect();
        let locals = per_element(args, out.shape(), |k, xs| rule.derivative(xs, outs[k], i));
        Tensor::from_shape_vec(out.raw_dim(), locals).ok()
    }
    /// ∂out/∂args\[i\] as the text writes it (`y` for the first argument of `x · y`,
    /// `−y²` for `1/x`). Without a rule of its own, the derivative itself: ∂out/∂arg.
    fn local_math(&self, names: Names<'_>, i: usize) -> LocalMath {
        LocalMath::after(Math::partial(names.out.clone(), names.args[i].clone()))
    }
    /// The gradient sent to each argument, given the gradient `up` arriving at the output.
    fn backward(&self, args: &[&Tensor], out: &Tensor, up: &Tensor) -> Vec<Tensor> {
        (0..args.len())
            .map(|i| {
                let local = self
                    .local(args, out, i)
                    .unwrap_or_else(|| Tensor::zeros(out.raw_dim()));
                unbroadcast(up * &local, args[i].shape())
            })
            .collect()
    }
}

/// Optional parameters of an operator node in a scenario.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct Params {
    /// The exponent of `pow`.
    pub p: Option<f64>,
    /// The axis of `sum` and `mean`.
    pub axis: Option<usize>,
}

impl Params {
    /// Each parameter's name in scenario files and whether it is given.
    fn given(&self) -> [(&'static str, bool); 2] {
        [("p", self.p.is_some()), ("axis", self.axis.is_some())]
    }
}

/// One operator as scenarios know it; each op's file defines its own as `ENTRY`.
#[derive(Clone, Copy)]
struct Entry {
    /// The name used in scenario files.
    name: &'static str,
    /// The [`Params`] it takes, by their names in scenario files (`p`).
    takes: &'static [&'static str],
    /// Builds it from its parameters (only those it takes are given), or says what is wrong
    /// with them.
    make: fn(Params) -> Result<Box<dyn Operator>, OpError>,
}

/// Declares each operator's module and collects their entries, in the order given: the
/// order of [`NAMES`]. Adding an operator is its file plus its module's name here.
///
/// `cargo fmt` does not follow modules declared in a macro: format the op files with
/// `rustfmt --edition 2021 src/core/ops/*.rs`.
macro_rules! ops {
    ($($op:ident),* $(,)?) => {
        $(mod $op;)*

        /// Every operator, in the order the README lists them.
        const REGISTRY: &[Entry] = &[$($op::ENTRY),*];

        /// Every operator name a scenario may use, in the order the README lists them.
        pub const NAMES: &[&str] = &[$($op::ENTRY.name),*];
    };
}

ops! {
    add,
    sub,
    mul,
    div,
    neg,
    reciprocal,
    pow,
    exp,
    log,
    sqrt,
    abs,
    sin,
    cos,
    tanh,
    relu,
    sigmoid,
    max,
    min,
    matmul,
    transpose,
    affine,
    sum,
    mean,
    softmax,
    cross_entropy,
    softmax_with_loss,
    generic,
}

/// Looks up the operator called `name` with its parameters.
///
/// # Errors
/// [`OpError::NotTaken`] for a parameter the operator does not take (checked first, in the
/// order of [`Params`]' fields), [`OpError::Unknown`] for an unknown name (listing the known
/// ones), and what the operator's constructor says of its parameters (a missing or bad `p`
/// for `pow`, an `axis` other than 0 or 1 for `sum` and `mean`).
pub fn lookup(name: &str, params: Params) -> Result<Box<dyn Operator>, OpError> {
    let entry = REGISTRY.iter().find(|e| e.name == name);
    for (param, given) in params.given() {
        if given && !entry.is_some_and(|e| e.takes.contains(&param)) {
            return Err(OpError::NotTaken {
                param,
                takers: REGISTRY
                    .iter()
                    .filter(|e| e.takes.contains(&param))
                    .map(|e| e.name)
                    .collect(),
                op: name.into(),
            });
        }
    }
    match entry {
        Some(entry) => (entry.make)(params),
        None => Err(OpError::Unknown {
            name: name.into(),
            known: NAMES,
        }),
    }
}
