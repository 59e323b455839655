//! Every gradient the engine computes, checked against central finite differences of
//! Σ seed ⊙ output on random graphs that use every operator.
//!
//! A graph is built from a random [`Plan`]: a starting input, then a chain of motifs (one per
//! operator and shape case: `add` with 2 or 3 args, `pow` with each exponent, `matmul` with
//! each shape pair, single and batch `affine`, `sum` on each axis, ...). Motifs take their
//! other operands from fresh inputs or consts of the same shape, a scalar, a trailing shape
//! ((N, k) ⊕ (k,)) or a larger one, or from nodes already in the graph (so values are used
//! twice, sometimes as both args of one op). Values are kept moderate so that finite
//! differences are well-conditioned: a node whose magnitude bound exceeds [`TAME`] is squashed
//! by `tanh` or `sigmoid` first, `log`, `sqrt`, `pow 0.5`, `pow −1`, `reciprocal` and
//! denominators get arguments built to be at least [`POSITIVE_MIN`] away from 0, `relu` and
//! `abs` never get an input near 0, and the arguments of `max` and `min` are built to differ
//! by at least [`POSITIVE_MIN`] everywhere (away from a tie).
//!
//! The scenario is written as JSON text and read by `chainrule::core::load::parse`. Each element of
//! each node (inputs, consts and intermediate results alike) is then nudged by ±[`STEP`] by
//! replacing the node with an input holding the nudged value, and the change in Σ seed ⊙
//! output is compared with the node's gradient.

use std::collections::BTreeSet;
use std::path::Path;

use chainrule::core::engine::Trace;
use chainrule::core::load;
use chainrule::core::model::Model;
use chainrule::core::tensor::{self, broadcast_shape, Tensor};
use ndarray::IxDyn;
use proptest::prelude::*;
use proptest::test_runner::{Config, TestCaseError, TestRunner};
use serde_json::{json, Map, Value};

/// The finite-difference step.
const STEP: f64 = 1e-6;
/// Allowed difference between analytic and numeric gradients, relative and absolute.
const TOLERANCE: f64 = 1e-5;
/// A node whose magnitude may exceed this is squashed before a motif uses it.
const TAME: f64 = 3.0;
/// The smallest magnitude of a value built for `log`, `reciprocal`, `pow` and `div`.
const POSITIVE_MIN: f64 = 0.35;

/// One step of a random graph: an operator in one of its shape cases.
#[derive(Debug, Clone, Copy, PartialEq)]
enum Motif {
    /// `add` with this many args.
    Add(usize),
    Sub,
    Mul,
    Div,
    Neg,
    Reciprocal,
    /// `pow` with this exponent.
    Pow(f64),
    Exp,
    Log,
    Sqrt,
    Abs,
    Sin,
    Cos,
    Tanh,
    Relu,
    Sigmoid,
    Max,
    Min,
    /// `matmul` of a left and a right argument of these ranks.
    Matmul(usize, usize),
    /// `affine` with x of this rank: 1 for one sample, 2 for a batch.
    Affine(usize),
    /// `sum` along this axis, or over everything.
    Sum(Option<usize>),
    /// `mean` along this axis, or over everything.
    Mean(Option<usize>),
    /// `transpose` of the current value, whatever its rank.
    Transpose,
    Softmax,
    CrossEntropy,
    SoftmaxWithLoss,
}

/// Every motif: every operator, and every case of it the engine treats differently.
const MOTIFS: [Motif; 38] = [
    Motif::Add(2),
    Motif::Add(3),
    Motif::Sub,
    Motif::Mul,
    Motif::Div,
    Motif::Neg,
    Motif::Reciprocal,
    Motif::Pow(2.0),
    Motif::Pow(3.0),
    Motif::Pow(0.5),
    Motif::Pow(-1.0),
    Motif::Exp,
    Motif::Log,
    Motif::Sqrt,
    Motif::Abs,
    Motif::Sin,
    Motif::Cos,
    Motif::Tanh,
    Motif::Relu,
    Motif::Sigmoid,
    Motif::Max,
    Motif::Min,
    Motif::Matmul(1, 1),
    Motif::Matmul(1, 2),
    Motif::Matmul(2, 2),
    Motif::Matmul(2, 1),
    Motif::Affine(1),
    Motif::Affine(2),
    Motif::Sum(None),
    Motif::Sum(Some(0)),
    Motif::Sum(Some(1)),
    Motif::Mean(None),
    Motif::Mean(Some(0)),
    Motif::Mean(Some(1)),
    Motif::Transpose,
    Motif::Softmax,
    Motif::CrossEntropy,
    Motif::SoftmaxWithLoss,
];

/// What a random graph is made of.
#[derive(Debug, Clone)]
struct Plan {
    /// The rank of the first input: 0, 1 or 2.
    start_rank: usize,
    /// The motifs applied in turn, each to the result of the one before.
    motifs: Vec<Motif>,
    /// Random words for every other choice (dimensions, values, operands, the seed).
    entropy: Vec<u32>,
}

fn entropy() -> impl Strategy<Value = Vec<u32>> {
    prop::collection::vec(any::<u32>(), 1..64)
}

fn plans() -> impl Strategy<Value = Plan> {
    (
        0..=2usize,
        prop::collection::vec(prop::sample::select(MOTIFS.to_vec()), 1..=5),
        entropy(),
    )
        .prop_map(|(start_rank, motifs, entropy)| Plan {
            start_rank,
            motifs,
            entropy,
        })
}

/// Choices read in turn from the plan's words (so that a failing case shrinks towards the
/// first option of every choice), then from words mixed out of them once they run out.
struct Dice {
    words: Vec<u32>,
    next: usize,
}

impl Dice {
    fn word(&mut self) -> u32 {
        let i = self.next;
        self.next += 1;
        let w = self.words[i % self.words.len()];
        if i < self.words.len() {
            w
        } else {
            mix(w, i)
        }
    }

    fn below(&mut self, n: usize) -> usize {
        self.word() as usize % n
    }

    fn coin(&mut self) -> bool {
        self.below(2) == 0
    }

    fn uniform(&mut self, lo: f64, hi: f64) -> f64 {
        lo + (hi - lo) * f64::from(self.word()) / f64::from(u32::MAX)
    }

    /// A dimension: 1, 2 or 3.
    fn dim(&mut self) -> usize {
        1 + self.below(3)
    }
}

/// A fresh word from a used one and its position (splitmix64's finaliser).
fn mix(w: u32, i: usize) -> u32 {
    let mut z = (u64::from(w) << 32 | i as u64).wrapping_add(0x9E37_79B9_7F4A_7C15);
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    (z ^ (z >> 31)) as u32
}

/// Where a fresh leaf's values come from.
#[derive(Debug, Clone, Copy)]
enum Domain {
    Any,
    Positive,
    AwayFromZero,
}

/// A node of the graph being built: its id, its shape, and a bound on its magnitude.
#[derive(Debug, Clone)]
struct Var {
    id: String,
    shape: Vec<usize>,
    bound: f64,
}

/// Builds a scenario's node list one node at a time.
struct Builder {
    dice: Dice,
    nodes: Vec<Value>,
    vars: Vec<Var>,
}

impl Builder {
    fn new(entropy: Vec<u32>) -> Builder {
        Builder {
            dice: Dice {
                words: entropy,
                next: 0,
            },
            nodes: Vec::new(),
            vars: Vec::new(),
        }
    }

    /// Adds a node with `fields` (everything but its id).
    fn push(&mut self, fields: Value, shape: Vec<usize>, bound: f64) -> Var {
        let id = format!("v{}", self.nodes.len());
        let mut node = Map::new();
        node.insert("id".to_string(), Value::from(id.clone()));
        if let Value::Object(fields) = fields {
            node.extend(fields);
        }
        self.nodes.push(Value::Object(node));
        let var = Var { id, shape, bound };
        self.vars.push(var.clone());
        var
    }

    /// A fresh input or const.
    fn leaf(&mut self, shape: &[usize], domain: Domain) -> Var {
        let len = shape.iter().product();
        let data: Vec<f64> = (0..len)
            .map(|_| match domain {
                Domain::Any => self.dice.uniform(-1.5, 1.5),
                Domain::Positive => self.dice.uniform(0.5, 2.0),
                Domain::AwayFromZero => {
                    let x = self.dice.uniform(0.2, 1.5);
                    if self.dice.coin() {
                        x
                    } else {
                        -x
                    }
                }
            })
            .collect();
        self.leaf_with(shape, data)
    }

    /// A fresh input or const of labels for a loss: each row one-hot or uniform in [0, 1].
    fn labels(&mut self, shape: &[usize]) -> Var {
        let k = shape.last().copied().unwrap_or(1);
        let rows = shape.iter().product::<usize>() / k;
        let mut data = Vec::new();
        for _ in 0..rows {
            if self.dice.coin() {
                let hot = self.dice.below(k);
                data.extend((0..k).map(|i| if i == hot { 1.0 } else { 0.0 }));
            } else {
                data.extend((0..k).map(|_| self.dice.uniform(0.0, 1.0)));
            }
        }
        self.leaf_with(shape, data)
    }

    fn leaf_with(&mut self, shape: &[usize], data: Vec<f64>) -> Var {
        let bound = data.iter().fold(0.0, |m: f64, x| m.max(x.abs()));
        let value = Tensor::from_shape_vec(IxDyn(shape), data).expect("data fits the shape");
        let kind = if self.dice.coin() { "input" } else { "const" };
        self.push(
            json!({ kind: tensor::to_json(&value) }),
            shape.to_vec(),
            bound,
        )
    }

    fn op(&mut self, op: &str, args: &[&Var], shape: Vec<usize>, bound: f64) -> Var {
        let ids: Vec<&str> = args.iter().map(|a| a.id.as_str()).collect();
        self.push(json!({"op": op, "args": ids}), shape, bound)
    }

    fn pow(&mut self, x: &Var, p: f64) -> Var {
        let bound = if p > 0.0 {
            x.bound.powf(p)
        } else {
            1.0 / POSITIVE_MIN
        };
        self.push(
            json!({"op": "pow", "args": [x.id], "p": p}),
            x.shape.clone(),
            bound,
        )
    }

    fn sum(&mut self, x: &Var, axis: Option<usize>) -> Var {
        self.reduce("sum", x, axis)
    }

    /// `sum` or `mean` (`op`) of `x` along `axis`, or over everything.
    fn reduce(&mut self, op: &str, x: &Var, axis: Option<usize>) -> Var {
        let (fields, shape, summed) = match axis {
            None => (
                json!({"op": op, "args": [x.id]}),
                Vec::new(),
                x.shape.iter().product::<usize>(),
            ),
            Some(a) => {
                let mut shape = x.shape.clone();
                let summed = shape.remove(a);
                (json!({"op": op, "args": [x.id], "axis": a}), shape, summed)
            }
        };
        let bound = if op == "mean" {
            x.bound
        } else {
            x.bound * summed as f64
        };
        self.push(fields, shape, bound)
    }

    /// Both orders of two args are tried, so broadcasting is tested on either side.
    fn ordered(&mut self, a: Var, b: Var) -> (Var, Var) {
        if self.dice.coin() {
            (a, b)
        } else {
            (b, a)
        }
    }

    /// `x` itself if its bound is at most [`TAME`], else `tanh(x)` or `sigmoid(x)`.
    fn tame(&mut self, x: Var) -> Var {
        if x.bound <= TAME {
            x
        } else {
            let op = if self.dice.coin() { "tanh" } else { "sigmoid" };
            self.op(op, &[&x], x.shape.clone(), 1.0)
        }
    }

    /// A node at least [`POSITIVE_MIN`] computed from `x`.
    fn positive(&mut self, x: Var) -> Var {
        let x = self.tame(x);
        match self.dice.below(3) {
            0 => {
                let t = self.op("tanh", &[&x], x.shape.clone(), 1.0);
                self.op("exp", &[&t], x.shape.clone(), std::f64::consts::E)
            }
            1 => {
                let s = self.op("sigmoid", &[&x], x.shape.clone(), 1.0);
                let c = self.positive_constant(&x.shape);
                self.op("add", &[&s, &c], x.shape.clone(), 1.0 + c.bound)
            }
            _ => {
                let square = self.op("mul", &[&x, &x], x.shape.clone(), x.bound * x.bound);
                let c = self.positive_constant(&x.shape);
                self.op(
                    "add",
                    &[&square, &c],
                    x.shape.clone(),
                    square.bound + c.bound,
                )
            }
        }
    }

    /// A positive leaf of `shape` or a scalar one.
    fn positive_constant(&mut self, shape: &[usize]) -> Var {
        let shape = if self.dice.coin() { shape } else { &[] };
        self.leaf(shape, Domain::Positive)
    }

    /// [`Builder::positive`] or its negation.
    fn signed_positive(&mut self, x: Var) -> Var {
        let p = self.positive(x);
        if self.dice.coin() {
            p
        } else {
            self.op("neg", &[&p], p.shape.clone(), p.bound)
        }
    }

    /// A second operand for an elementwise op on a value of shape `target`: a fresh leaf of
    /// the same shape, a scalar, the trailing shape or a larger shape, or a node already in the
    /// graph whose shape broadcasts to `target` (most often the value itself).
    fn operand(&mut self, target: &[usize]) -> Var {
        let fits = |v: &Var| broadcast_shape(&v.shape, target).as_deref() == Some(target);
        match self.dice.below(6) {
            1 => self.leaf(&[], Domain::Any),
            2 if target.len() == 2 => self.leaf(&target[1..], Domain::Any),
            3 => match self.vars.iter().rev().find(|v| fits(v)).cloned() {
                Some(v) => self.tame(v),
                None => self.leaf(target, Domain::Any),
            },
            4 => {
                let fitting: Vec<Var> = self.vars.iter().filter(|v| fits(v)).cloned().collect();
                if fitting.is_empty() {
                    self.leaf(target, Domain::Any)
                } else {
                    let v = fitting[self.dice.below(fitting.len())].clone();
                    self.tame(v)
                }
            }
            5 => {
                let mut shape = target.to_vec();
                while shape.len() < 2 && self.dice.coin() {
                    shape.insert(0, self.dice.dim());
                }
                self.leaf(&shape, Domain::Any)
            }
            _ => self.leaf(target, Domain::Any),
        }
    }

    /// A denominator for a value of shape `target`: a positive leaf or a signed positive
    /// node computed from an operand.
    fn positive_operand(&mut self, target: &[usize]) -> Var {
        if self.dice.coin() {
            self.positive_constant(target)
        } else {
            let x = self.operand(target);
            self.signed_positive(x)
        }
    }

    /// `x` as a tensor of the given rank: summed down, or broadcast up against a fresh leaf
    /// with more leading axes by `add` or `mul`.
    fn at_rank(&mut self, x: Var, rank: usize) -> Var {
        if x.shape.len() > rank {
            let axis = (rank == 1).then(|| self.dice.below(2));
            return self.sum(&x, axis);
        }
        if x.shape.len() == rank {
            return x;
        }
        let mut shape = x.shape.clone();
        while shape.len() < rank {
            shape.insert(0, self.dice.dim());
        }
        let other = self.leaf(&shape, Domain::Any);
        let (bound_add, bound_mul) = (x.bound + other.bound, x.bound * other.bound);
        let (a, b) = self.ordered(x, other);
        if self.dice.coin() {
            self.op("add", &[&a, &b], shape, bound_add)
        } else {
            self.op("mul", &[&a, &b], shape, bound_mul)
        }
    }

    /// `x` as a vector or a matrix, tamed, for the ops that need one.
    fn vector_or_matrix(&mut self, x: Var) -> Var {
        let rank = match x.shape.len() {
            0 => 1 + self.dice.below(2),
            r => r,
        };
        let x = self.at_rank(x, rank);
        self.tame(x)
    }

    /// Applies `motif` to `cur` and returns the new current node.
    fn apply(&mut self, motif: Motif, cur: Var) -> Var {
        let cur = self.tame(cur);
        let shape = cur.shape.clone();
        match motif {
            Motif::Add(arity) => {
                let mut out = shape;
                let mut args = vec![cur];
                for _ in 1..arity {
                    let other = self.operand(&out);
                    out = broadcast_shape(&out, &other.shape).expect("operands broadcast");
                    args.push(other);
                }
                let rotation = self.dice.below(arity);
                args.rotate_left(rotation);
                let bound = args.iter().map(|a| a.bound).sum();
                self.op("add", &args.iter().collect::<Vec<_>>(), out, bound)
            }
            Motif::Sub | Motif::Mul => {
                let other = self.operand(&shape);
                let bound = if motif == Motif::Sub {
                    cur.bound + other.bound
                } else {
                    cur.bound * other.bound
                };
                let out = broadcast_shape(&shape, &other.shape).expect("operands broadcast");
                let (a, b) = self.ordered(cur, other);
                let name = if motif == Motif::Sub { "sub" } else { "mul" };
                self.op(name, &[&a, &b], out, bound)
            }
            Motif::Div => {
                let (num, den) = if self.dice.coin() {
                    let den = self.positive_operand(&shape);
                    (cur, den)
                } else {
                    let num = self.operand(&shape);
                    (num, self.signed_positive(cur))
                };
                let out = broadcast_shape(&num.shape, &den.shape).expect("operands broadcast");
                self.op("div", &[&num, &den], out, num.bound / POSITIVE_MIN)
            }
            Motif::Neg => self.op("neg", &[&cur], shape, cur.bound),
            Motif::Reciprocal => {
                let x = self.signed_positive(cur);
                self.op("reciprocal", &[&x], shape, 1.0 / POSITIVE_MIN)
            }
            Motif::Pow(p) => {
                let x = if p == 0.5 {
                    self.positive(cur)
                } else if p < 0.0 {
                    self.signed_positive(cur)
                } else {
                    cur
                };
                self.pow(&x, p)
            }
            Motif::Exp => self.op("exp", &[&cur], shape, cur.bound.exp()),
            Motif::Log => {
                let x = self.positive(cur);
                let bound = x.bound.ln().max(-POSITIVE_MIN.ln());
                self.op("log", &[&x], shape, bound)
            }
            Motif::Sqrt => {
                let x = self.positive(cur);
                self.op("sqrt", &[&x], shape, x.bound.sqrt())
            }
            Motif::Sin => self.op("sin", &[&cur], shape, 1.0),
            Motif::Cos => self.op("cos", &[&cur], shape, 1.0),
            Motif::Abs => {
                if self.dice.coin() {
                    let x = self.signed_positive(cur);
                    self.op("abs", &[&x], shape, x.bound)
                } else {
                    let sign = self.leaf(&shape, Domain::AwayFromZero);
                    let a = self.op("abs", &[&sign], shape.clone(), sign.bound);
                    let (a, b) = self.ordered(cur, a);
                    self.op("mul", &[&a, &b], shape, a.bound * b.bound)
                }
            }
            Motif::Max | Motif::Min => {
                // other + gap against other, where |gap| ≥ POSITIVE_MIN: never a tie.
                let other = self.operand(&shape);
                let gap = self.signed_positive(cur);
                let out = broadcast_shape(&other.shape, &gap.shape).expect("operands broadcast");
                let bound = other.bound + gap.bound;
                let shifted = self.op("add", &[&other, &gap], out.clone(), bound);
                let (a, b) = self.ordered(shifted, other);
                let name = if motif == Motif::Max { "max" } else { "min" };
                self.op(name, &[&a, &b], out, bound)
            }
            Motif::Tanh => self.op("tanh", &[&cur], shape, 1.0),
            Motif::Sigmoid => self.op("sigmoid", &[&cur], shape, 1.0),
            Motif::Relu => {
                if self.dice.coin() {
                    let x = self.signed_positive(cur);
                    self.op("relu", &[&x], shape, x.bound)
                } else {
                    let gate = self.leaf(&shape, Domain::AwayFromZero);
                    let r = self.op("relu", &[&gate], shape.clone(), gate.bound);
                    let (a, b) = self.ordered(cur, r);
                    self.op("mul", &[&a, &b], shape, a.bound * b.bound)
                }
            }
            Motif::Matmul(left, right) => self.matmul(cur, left, right),
            Motif::Affine(rank) => self.affine(cur, rank),
            Motif::Sum(axis) | Motif::Mean(axis) => {
                let rank = match axis {
                    None => shape.len(),
                    Some(0) => shape.len().max(1),
                    Some(_) => 2,
                };
                let x = self.at_rank(cur, rank);
                let op = if matches!(motif, Motif::Sum(_)) {
                    "sum"
                } else {
                    "mean"
                };
                self.reduce(op, &x, axis)
            }
            Motif::Transpose => {
                let mut out = shape;
                out.reverse();
                self.op("transpose", &[&cur], out, cur.bound)
            }
            Motif::Softmax => {
                let x = self.vector_or_matrix(cur);
                self.op("softmax", &[&x], x.shape.clone(), 1.0)
            }
            Motif::CrossEntropy => {
                let x = self.vector_or_matrix(cur);
                let y = if self.dice.coin() {
                    self.op("softmax", &[&x], x.shape.clone(), 1.0)
                } else {
                    self.positive(x)
                };
                let t = self.labels(&y.shape);
                let bound = loss_bound(&y.shape);
                self.op("cross_entropy", &[&y, &t], Vec::new(), bound)
            }
            Motif::SoftmaxWithLoss => {
                let x = self.vector_or_matrix(cur);
                let t = self.labels(&x.shape);
                let bound = loss_bound(&x.shape);
                self.op("softmax_with_loss", &[&x, &t], Vec::new(), bound)
            }
        }
    }

    /// `matmul` with `cur` (brought to the needed rank) on a random side and a fresh leaf, or
    /// `cur` itself for a dot product, on the other.
    fn matmul(&mut self, cur: Var, left: usize, right: usize) -> Var {
        let (a, b) = if self.dice.coin() {
            let x = self.at_rank(cur, left);
            let x = self.tame(x);
            let k = x.shape[left - 1];
            let other = if right == 1 && left == 1 && self.dice.coin() {
                x.clone()
            } else if right == 1 {
                self.leaf(&[k], Domain::Any)
            } else {
                let m = self.dice.dim();
                self.leaf(&[k, m], Domain::Any)
            };
            (x, other)
        } else {
            let x = self.at_rank(cur, right);
            let x = self.tame(x);
            let k = x.shape[0];
            let other = if left == 1 {
                self.leaf(&[k], Domain::Any)
            } else {
                let n = self.dice.dim();
                self.leaf(&[n, k], Domain::Any)
            };
            (other, x)
        };
        let k = a.shape[left - 1];
        let mut shape = a.shape[..left - 1].to_vec();
        shape.extend_from_slice(&b.shape[1..]);
        let bound = k as f64 * a.bound * b.bound;
        self.op("matmul", &[&a, &b], shape, bound)
    }

    /// `affine` with `cur` as x (of the given rank) or as W, the rest fresh leaves; the bias
    /// has shape (m,) or is a scalar.
    fn affine(&mut self, cur: Var, rank: usize) -> Var {
        let (x, w) = if self.dice.coin() {
            let x = self.at_rank(cur, rank);
            let x = self.tame(x);
            let k = x.shape[rank - 1];
            let m = self.dice.dim();
            let w = self.leaf(&[k, m], Domain::Any);
            (x, w)
        } else {
            let w = self.at_rank(cur, 2);
            let w = self.tame(w);
            let mut shape = vec![w.shape[0]];
            if rank == 2 {
                shape.insert(0, self.dice.dim());
            }
            (self.leaf(&shape, Domain::Any), w)
        };
        let (k, m) = (w.shape[0], w.shape[1]);
        let b = if self.dice.coin() {
            self.leaf(&[m], Domain::Any)
        } else {
            self.leaf(&[], Domain::Any)
        };
        let mut shape = x.shape[..rank - 1].to_vec();
        shape.push(m);
        let bound = k as f64 * x.bound * w.bound + b.bound;
        self.op("affine", &[&x, &w, &b], shape, bound)
    }
}

/// A bound on a loss over predictions of `shape` from tamed scores: |log y| stays below 8.
fn loss_bound(shape: &[usize]) -> f64 {
    8.0 * shape.last().copied().unwrap_or(1) as f64
}

/// The scenario a plan describes, with a random seed and, sometimes, an explicit output
/// followed by a node the output does not use.
fn scenario(plan: &Plan) -> Value {
    let mut b = Builder::new(plan.entropy.clone());
    let shape: Vec<usize> = (0..plan.start_rank).map(|_| b.dice.dim()).collect();
    let mut cur = b.leaf(&shape, Domain::Any);
    for &motif in &plan.motifs {
        cur = b.apply(motif, cur);
    }
    let explicit_output = b.dice.below(4) == 0;
    if explicit_output {
        b.leaf(&[2], Domain::Any);
    }
    let seed = match b.dice.below(3) {
        0 => None,
        1 => Some(Value::from(b.dice.uniform(-2.0, 2.0))),
        _ => {
            let len = cur.shape.iter().product();
            let data = (0..len).map(|_| b.dice.uniform(-2.0, 2.0)).collect();
            let seed = Tensor::from_shape_vec(IxDyn(&cur.shape), data).expect("seed shape");
            Some(tensor::to_json(&seed))
        }
    };
    let mut scenario = json!({"title": "a random graph", "nodes": b.nodes});
    if explicit_output {
        scenario["output"] = Value::from(cur.id);
    }
    if let Some(seed) = seed {
        scenario["seed"] = seed;
    }
    scenario
}

/// Parses and evaluates scenario JSON through the library's full pipeline.
fn evaluate(scenario: &Value) -> Result<(Model, Trace), TestCaseError> {
    let path = Path::new("random.json");
    let fail = |e: chainrule::Error| TestCaseError::fail(format!("{e}\n{scenario:#}"));
    let model = load::parse(path, &scenario.to_string()).map_err(fail)?;
    let trace = load::evaluate(path, &model).map_err(fail)?;
    Ok((model, trace))
}

/// The seed as the scenario gives it, spread over `len` output elements.
fn seed_values(scenario: &Value, len: usize) -> Vec<f64> {
    fn flatten(v: &Value, out: &mut Vec<f64>) {
        match v {
            Value::Array(items) => items.iter().for_each(|item| flatten(item, out)),
            n => out.push(n.as_f64().expect("a number")),
        }
    }
    match &scenario["seed"] {
        Value::Null => vec![1.0; len],
        Value::Number(n) => vec![n.as_f64().expect("a number"); len],
        array => {
            let mut out = Vec::new();
            flatten(array, &mut out);
            out
        }
    }
}

/// Σ seed ⊙ output.
fn loss(scenario: &Value, seed: &[f64]) -> Result<f64, TestCaseError> {
    let (model, trace) = evaluate(scenario)?;
    let out = &trace.values()[model.output.index()];
    Ok(out.iter().zip(seed).map(|(o, s)| o * s).sum())
}

/// The scenario with node `index` replaced by an input holding `value` with element `j`
/// moved by `delta`.
fn nudged(scenario: &Value, index: usize, value: &Tensor, j: usize, delta: f64) -> Value {
    let mut value = value.clone();
    if let Some(x) = value.iter_mut().nth(j) {
        *x += delta;
    }
    let mut scenario = scenario.clone();
    let id = scenario["nodes"][index]["id"].clone();
    scenario["nodes"][index] = json!({"id": id, "input": tensor::to_json(&value)});
    scenario
}

/// Compares every element of every node's gradient with central differences.
fn check(scenario: &Value) -> Result<(), TestCaseError> {
    let (model, trace) = evaluate(scenario)?;
    let out_len = trace.values()[model.output.index()].len();
    let seed = seed_values(scenario, out_len);
    prop_assert_eq!(seed.len(), out_len, "seed length\n{:#}", scenario);
    for node in model.graph.node_indices() {
        let id = &model.graph[node].id;
        let (value, grad) = (&trace.values()[node.index()], &trace.grads()[node.index()]);
        prop_assert_eq!(grad.shape(), value.shape(), "gradient shape of {}", id);
        for (j, &analytic) in grad.iter().enumerate() {
            let plus = loss(&nudged(scenario, node.index(), value, j, STEP), &seed)?;
            let minus = loss(&nudged(scenario, node.index(), value, j, -STEP), &seed)?;
            let numeric = (plus - minus) / (2.0 * STEP);
            prop_assert!(
                (analytic - numeric).abs() <= TOLERANCE * (1.0 + numeric.abs()),
                "d/d {}[{}]: analytic {}, numeric {}\n{:#}",
                id,
                j,
                analytic,
                numeric,
                scenario
            );
        }
    }
    Ok(())
}

/// The op names a scenario uses.
fn ops(scenario: &Value) -> BTreeSet<String> {
    scenario["nodes"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|node| node["op"].as_str().map(str::to_string))
        .collect()
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(96))]

    /// Chains of random motifs on random shapes, values and seeds.
    #[test]
    fn random_graphs_match_finite_differences(plan in plans()) {
        check(&scenario(&plan))?;
    }
}

/// Each motif alone, from each starting rank, on a few random draws: every operator and shape
/// case is checked on every run, whatever the random chains above happen to pick.
#[test]
fn every_motif_from_every_rank_matches_finite_differences() {
    let mut used = BTreeSet::new();
    for motif in MOTIFS {
        for start_rank in 0..=2 {
            let plan = move |entropy| Plan {
                start_rank,
                motifs: vec![motif],
                entropy,
            };
            used.extend(ops(&scenario(&plan(vec![0]))));
            let mut runner = TestRunner::new(Config::with_cases(4));
            if let Err(e) = runner.run(&entropy().prop_map(plan), |p| check(&scenario(&p))) {
                panic!("{motif:?} from rank {start_rank}: {e}");
            }
        }
    }
    // `fn` has no numeric rule (it is for figures drawn only with symbols).
    let missing: Vec<&str> = chainrule::core::ops::NAMES
        .iter()
        .copied()
        .filter(|name| *name != "fn" && !used.contains(*name))
        .collect();
    assert!(missing.is_empty(), "ops no motif uses: {missing:?}");
}
