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

use ndarray::IxDyn;

use crate::core::tensor::{broadcast_shape, broadcast_to, shape_text, unbroadcast, Tensor};
use crate::text::math::Math;

mod add;
mod affine;
mod cross_entropy;
mod div;
mod exp;
mod generic;
mod log;
mod matmul;
mod mul;
mod neg;
mod pow;
mod reciprocal;
mod relu;
mod sigmoid;
mod softmax;
mod softmax_with_loss;
mod sub;
mod sum;
mod tanh;

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
}

impl LocalMath {
    /// A factor written after the upstream gradient.
    pub fn after(factor: Math) -> LocalMath {
        LocalMath {
            factor: Some(factor),
            side: Side::After,
        }
    }
    /// A factor written before the upstream gradient.
    pub fn before(factor: Math) -> LocalMath {
        LocalMath {
            factor: Some(factor),
            side: Side::Before,
        }
    }
    /// No factor: the gradient passes through.
    pub fn through() -> LocalMath {
        LocalMath {
            factor: None,
            side: Side::After,
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
    /// The arguments' values, when the scenario has numbers (ReLU's case depends on them).
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
    /// Circle or layer box.
    fn shape(&self) -> Shape {
        Shape::Circle
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
    fn forward(&self, args: &[&Tensor]) -> Result<Tensor, String> {
        match self.scalar() {
            Some(rule) => elementwise(self.name(), rule, args),
            None => Err(format!("{} has no numeric rule", self.name())),
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
    /// The axis of `sum`.
    pub axis: Option<usize>,
}

/// Every operator name a scenario may use, in the order the README lists them.
pub const NAMES: &[&str] = &[
    "add",
    "sub",
    "mul",
    "div",
    "neg",
    "reciprocal",
    "pow",
    "exp",
    "log",
    "tanh",
    "relu",
    "sigmoid",
    "matmul",
    "affine",
    "sum",
    "softmax",
    "cross_entropy",
    "softmax_with_loss",
    "fn",
];

/// Looks up the operator called `name` with its parameters.
///
/// Returns `Err` with a sentence for an unknown name (listing the known ones), a missing `p`
/// for `pow`, or a parameter the operator does not take.
pub fn lookup(name: &str, params: Params) -> Result<Box<dyn Operator>, String> {
    if params.p.is_some() && name != "pow" {
        return Err(format!("\"p\" is only for pow, not for {name}"));
    }
    if params.axis.is_some() && name != "sum" {
        return Err(format!("\"axis\" is only for sum, not for {name}"));
    }
    let op: Box<dyn Operator> = match name {
        "add" => Box::new(add::Add),
        "sub" => Box::new(sub::Sub),
        "mul" => Box::new(mul::Mul),
        "div" => Box::new(div::Div),
        "neg" => Box::new(neg::Neg),
        "reciprocal" => Box::new(reciprocal::Reciprocal),
        "pow" => match params.p {
            Some(p) if p.is_finite() => Box::new(pow::Pow { p }),
            Some(p) => return Err(format!("pow needs a finite \"p\", got {p}")),
            None => return Err("pow needs \"p\", the exponent (e.g. \"p\": 2)".to_string()),
        },
        "exp" => Box::new(exp::Exp),
        "log" => Box::new(log::Log),
        "tanh" => Box::new(tanh::Tanh),
        "relu" => Box::new(relu::Relu),
        "sigmoid" => Box::new(sigmoid::Sigmoid),
        "matmul" => Box::new(matmul::Matmul),
        "affine" => Box::new(affine::Affine),
        "sum" => match params.axis {
            None | Some(0) | Some(1) => Box::new(sum::Sum { axis: params.axis }),
            Some(a) => return Err(format!("sum takes \"axis\" 0 or 1, got {a}")),
        },
        "softmax" => Box::new(softmax::Softmax),
        "cross_entropy" => Box::new(cross_entropy::CrossEntropy),
        "softmax_with_loss" => Box::new(softmax_with_loss::SoftmaxWithLoss),
        "fn" => Box::new(generic::Generic),
        other => {
            return Err(format!(
                "unknown op \"{other}\"; known ops: {}",
                NAMES.join(", ")
            ))
        }
    };
    Ok(op)
}

/// Applies an elementwise rule to arguments broadcast together, or says why their shapes
/// don't fit (naming the shape of the arguments so far and the next one's).
fn elementwise(name: &str, rule: &dyn Scalar, args: &[&Tensor]) -> Result<Tensor, String> {
    let (first, rest) = args
        .split_first()
        .ok_or_else(|| format!("{name} needs arguments"))?;
    let mut shape = first.shape().to_vec();
    for x in rest {
        shape = broadcast_shape(&shape, x.shape()).ok_or_else(|| {
            format!(
                "{name} cannot broadcast {} with {}",
                shape_text(&shape),
                shape_text(x.shape())
            )
        })?;
    }
    let values = per_element(args, &shape, |_, xs| rule.value(xs));
    Tensor::from_shape_vec(IxDyn(&shape), values).map_err(|e| e.to_string())
}

/// `f(k, xs)` for each element `k` (row-major) of `shape`, where `xs` are the arguments'
/// elements there, each argument broadcast to `shape` (which must be a broadcast of theirs).
fn per_element(args: &[&Tensor], shape: &[usize], f: impl Fn(usize, &[f64]) -> f64) -> Vec<f64> {
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
fn matrix(t: &Tensor, as_row: bool) -> Option<ndarray::Array2<f64>> {
    match t.ndim() {
        1 if as_row => t.clone().into_shape_with_order((1, t.len())).ok(),
        1 => t.clone().into_shape_with_order((t.len(), 1)).ok(),
        2 => t.clone().into_dimensionality().ok(),
        _ => None,
    }
}

/// Number of rows a loss averages over: 1 for rank 1, the first axis for rank 2.
fn rows(t: &Tensor) -> f64 {
    if t.ndim() == 2 {
        t.shape()[0] as f64
    } else {
        1.0
    }
}

/// The single value of a scalar tensor (the upstream gradient of a loss).
fn value(t: &Tensor) -> f64 {
    t.first().copied().unwrap_or(0.0)
}

#[cfg(test)]
pub(crate) mod testing {
    //! Checks an operator's backward rule against central finite differences.

    use super::*;
    use ndarray::Dimension;

    /// Asserts that `op.backward` at `args` matches central differences of Σ up ⊙ forward.
    pub fn check_gradients(op: &dyn Operator, args: &[Tensor]) {
        let refs: Vec<&Tensor> = args.iter().collect();
        let out = op.forward(&refs).expect("forward");
        let up = Tensor::from_shape_fn(out.raw_dim(), |d| {
            0.5 + 0.25 * (d.slice().iter().sum::<usize>() as f64)
        });
        let grads = op.backward(&refs, &out, &up);
        assert_eq!(grads.len(), args.len());
        let loss = |args: &[Tensor]| {
            let refs: Vec<&Tensor> = args.iter().collect();
            (op.forward(&refs).expect("forward") * &up).sum()
        };
        for (i, grad) in grads.iter().enumerate() {
            assert_eq!(
                grad.shape(),
                args[i].shape(),
                "{} grad {i} shape",
                op.name()
            );
            for (j, &g) in grad.iter().enumerate() {
                let h = 1e-6;
                let mut plus = args.to_vec();
                plus[i].as_slice_mut().expect("standard layout")[j] += h;
                let mut minus = args.to_vec();
                minus[i].as_slice_mut().expect("standard layout")[j] -= h;
                let numeric = (loss(&plus) - loss(&minus)) / (2.0 * h);
                assert!(
                    (numeric - g).abs() <= 1e-5 * (1.0 + numeric.abs()),
                    "{}: d/d arg{i}[{j}]: analytic {g}, numeric {numeric}",
                    op.name()
                );
            }
        }
    }

    /// A tensor from a flat list and a shape.
    pub fn t(shape: &[usize], data: &[f64]) -> Tensor {
        Tensor::from_shape_vec(IxDyn(shape), data.to_vec()).expect("shape")
    }
}

#[cfg(test)]
mod symbolic_tests {
    //! Each op's local derivative as math, given the values of its names, equals the
    //! numeric gradient it sends back for an upstream gradient of 1.

    use super::*;
    use crate::core::tensor::scalar;

    fn check(name: &str, params: Params, args: &[f64], want: &[&str]) {
        check_shaped(name, params, args, &[], want);
    }

    /// As [`check`], with every argument a tensor of `shape` holding one number (losses take
    /// vectors).
    fn check_shaped(name: &str, params: Params, args: &[f64], shape: &[usize], want: &[&str]) {
        let op = lookup(name, params).unwrap();
        let values: Vec<Tensor> = args
            .iter()
            .map(|&x| Tensor::from_elem(IxDyn(shape), x))
            .collect();
        let refs: Vec<&Tensor> = values.iter().collect();
        let out = op.forward(&refs).unwrap();
        let grads = op.backward(&refs, &out, &scalar(1.0));
        let arg_names: Vec<Math> = ["x", "w", "b"][..args.len()]
            .iter()
            .map(|n| Math::name(n))
            .collect();
        let out_name = Math::name("y");
        let names = Names {
            args: &arg_names,
            out: &out_name,
            values: Some(&refs),
        };
        let env = |n: &str| match n {
            "x" => args.first().copied(),
            "w" => args.get(1).copied(),
            "b" => args.get(2).copied(),
            "y" => out.first().copied(),
            _ => None,
        };
        for (i, grad) in grads.iter().enumerate() {
            let local = op.local_math(names, i);
            let text = local
                .factor
                .as_ref()
                .map_or_else(|| "(through)".to_string(), Math::plain);
            assert_eq!(text, want[i], "{name} arg {i}");
            let value = local.factor.as_ref().map_or(Some(1.0), |f| f.eval(&env));
            let numeric = grad.first().copied().unwrap_or(f64::NAN);
            let value = value.unwrap_or_else(|| panic!("{name} arg {i}: {text} has no value"));
            assert!(
                (value - numeric).abs() <= 1e-12 * (1.0 + numeric.abs()),
                "{name} arg {i}: {text} = {value}, numeric {numeric}"
            );
        }
    }

    #[test]
    fn every_scalar_op_writes_its_derivative_as_the_text_does() {
        let none = Params::default();
        check("add", none, &[2.0, 3.0], &["1", "1"]);
        check("sub", none, &[2.0, 3.0], &["1", "−1"]);
        check("mul", none, &[10.0, 5.0], &["w", "x"]);
        check("div", none, &[3.0, 4.0], &["1/w", "−x/w²"]);
        check("neg", none, &[2.0], &["−1"]);
        check("reciprocal", none, &[4.0], &["−y²"]);
        check(
            "pow",
            Params {
                p: Some(2.0),
                axis: None,
            },
            &[3.0],
            &["2x"],
        );
        check(
            "pow",
            Params {
                p: Some(3.0),
                axis: None,
            },
            &[1.5],
            &["3x²"],
        );
        check("exp", none, &[0.5], &["y"]);
        check("log", none, &[2.5], &["1/x"]);
        check("tanh", none, &[0.3], &["1 − y²"]);
        check("relu", none, &[2.0], &["1"]);
        check("relu", none, &[-1.0], &["0"]);
        check("sigmoid", none, &[0.7], &["y(1 − y)"]);
        check("sum", none, &[4.0], &["(through)"]);
        check_shaped(
            "cross_entropy",
            none,
            &[0.3, 1.0],
            &[1],
            &["−w/x", "−log(x)"],
        );
    }

    #[test]
    fn matrix_ops_write_transposes_on_the_right_side() {
        let x = Math::name("X");
        let w = Math::name("W");
        let y = Math::name("Y");
        let names = Names {
            args: &[x, w, Math::name("B")],
            out: &y,
            values: None,
        };
        let matmul = lookup("matmul", Params::default()).unwrap();
        assert_eq!(
            matmul.local_math(names, 0),
            LocalMath::after(Math::Transpose(Box::new(Math::name("W"))))
        );
        assert_eq!(
            matmul.local_math(names, 1),
            LocalMath::before(Math::Transpose(Box::new(Math::name("X"))))
        );
        let affine = lookup("affine", Params::default()).unwrap();
        assert_eq!(affine.local_math(names, 2), LocalMath::through());
        let swl = lookup("softmax_with_loss", Params::default()).unwrap();
        let t = [Math::name("a"), Math::name("t")];
        let names = Names {
            args: &t,
            out: &Math::name("L"),
            values: None,
        };
        assert_eq!(
            swl.local_math(names, 0)
                .factor
                .map(|f| f.plain())
                .as_deref(),
            Some("y − t")
        );
    }
}
