//! Every operator's symbolic label says what its gradient is. For each operator and each shape
//! case it supports (scalars, vectors, a batch matrix, a broadcast), a one-operator scenario
//! `z = op(a, …)` with an uneven seed is evaluated; the label on each argument's edge
//! (∂L/∂z times the operator's local math, summed over broadcast axes where the label says so)
//! is then evaluated numerically and compared with the gradient the engine sends along it.
//!
//! The evaluator binds a name to its node's value, ∂L/∂v to node v's gradient, and `y` in a
//! Softmax-with-Loss label to the softmax of its scores. Factors are multiplied elementwise
//! (numpy broadcasting) except next to a transpose, where `·` is the matrix product: two
//! vectors make an outer product (the transpose stands for a column), a vector next to a
//! matrix is a row on the left and a column on the right. A label that passes the gradient
//! through a shape-changing op (a `sum`, a `mean`) is copied back along the axis that op
//! removed.

use std::path::Path;

use chainrule::core::engine::Trace;
use chainrule::core::load;
use chainrule::core::model::Model;
use chainrule::core::tensor::{broadcast_shape, broadcast_to, to_json, Tensor};
use chainrule::text::math::Math;
use chainrule::text::symbolic;
use ndarray::{Array2, Axis, Dimension, Ix2, IxDyn};
use serde_json::{json, Value};

/// Allowed relative difference between a label's value and the gradient.
const TOLERANCE: f64 = 1e-9;

/// A scenario whose output node `z` is `op` of the inputs `args` (id, value), with `params`
/// (`p`, `axis`) added to the op node, seeded by `seed` (or by 1 if `None`).
fn scenario(op: &str, params: Value, args: &[(&str, Value)], seed: Option<&Tensor>) -> String {
    let mut nodes: Vec<Value> = args
        .iter()
        .map(|(id, value)| json!({"id": id, "input": value}))
        .collect();
    let mut node =
        json!({"id": "z", "op": op, "args": args.iter().map(|(id, _)| id).collect::<Vec<_>>()});
    if let (Some(node), Some(params)) = (node.as_object_mut(), params.as_object()) {
        node.extend(params.clone());
    }
    nodes.push(node);
    let mut doc = json!({"nodes": nodes, "symbolic": {"loss": "L"}});
    if let Some(seed) = seed {
        doc["seed"] = to_json(seed);
    }
    doc.to_string()
}

/// The model and trace of `op` on `args`, seeded unevenly: 0.5, 0.75, 1, … over the output.
fn run(op: &str, params: &Value, args: &[(&str, Value)]) -> (Model, Trace) {
    let path = Path::new("local_math.json");
    let plain = scenario(op, params.clone(), args, None);
    let model = load::parse(path, &plain).expect("parses");
    let trace = load::evaluate(path, &model).expect("evaluates");
    let out = &trace.values()[model.output.index()];
    let seed = Tensor::from_shape_fn(out.raw_dim(), |d| {
        0.5 + 0.25 * (d.slice().iter().sum::<usize>() as f64)
    });
    let seeded = scenario(op, params.clone(), args, Some(&seed));
    let model = load::parse(path, &seeded).expect("parses");
    let trace = load::evaluate(path, &model).expect("evaluates");
    (model, trace)
}

/// The numbers an expression is evaluated with.
struct Env<'a> {
    model: &'a Model,
    trace: &'a Trace,
    /// Names that are no node's: Softmax-with-Loss's `y`.
    extra: Vec<(&'static str, Tensor)>,
}

impl Env<'_> {
    fn value(&self, name: &str) -> Result<Tensor, String> {
        if let Some((_, t)) = self.extra.iter().find(|(n, _)| *n == name) {
            return Ok(t.clone());
        }
        let node = self
            .model
            .find(name)
            .ok_or(format!("no value for {name}"))?;
        Ok(self.trace.values()[node.index()].clone())
    }

    fn grad(&self, loss: &Math, of: &Math) -> Result<Tensor, String> {
        if *loss != Math::name("L") {
            return Err(format!(
                "∂{}/∂{} is not a gradient of L",
                loss.plain(),
                of.plain()
            ));
        }
        let node = self
            .model
            .find(&of.plain())
            .ok_or(format!("no node {}", of.plain()))?;
        Ok(self.trace.grads()[node.index()].clone())
    }
}

/// `f` applied elementwise to `a` and `b` broadcast together.
fn zip(a: &Tensor, b: &Tensor, f: impl Fn(f64, f64) -> f64) -> Result<Tensor, String> {
    let shape = broadcast_shape(a.shape(), b.shape()).ok_or(format!(
        "{:?} and {:?} don't broadcast",
        a.shape(),
        b.shape()
    ))?;
    let (a, b) = (broadcast_to(a, &shape), broadcast_to(b, &shape));
    let mut out = a.clone();
    out.zip_mut_with(&b, |x, &y| *x = f(*x, y));
    Ok(out)
}

/// `t` as a matrix: a vector as one row (`row`) or one column.
fn matrix(t: &Tensor, row: bool) -> Result<Array2<f64>, String> {
    let shape = match (t.ndim(), row) {
        (1, true) => vec![1, t.len()],
        (1, false) => vec![t.len(), 1],
        _ => t.shape().to_vec(),
    };
    t.to_shape(IxDyn(&shape))
        .map_err(|e| e.to_string())?
        .into_owned()
        .into_dimensionality::<Ix2>()
        .map_err(|e| e.to_string())
}

/// The matrix product as the labels use it (see the module's doc).
fn dot(a: &Tensor, b: &Tensor) -> Result<Tensor, String> {
    if a.ndim() == 0 || b.ndim() == 0 {
        return zip(a, b, |x, y| x * y);
    }
    let outer = a.ndim() == 1 && b.ndim() == 1;
    let (a2, b2) = (matrix(a, !outer)?, matrix(b, outer)?);
    if a2.ncols() != b2.nrows() {
        return Err(format!("can't multiply {:?} by {:?}", a.shape(), b.shape()));
    }
    let c = a2.dot(&b2);
    let shape: Vec<usize> = match (a.ndim(), b.ndim()) {
        (1, 1) | (2, 2) => vec![c.nrows(), c.ncols()],
        (1, _) => vec![c.ncols()],
        _ => vec![c.nrows()],
    };
    Tensor::from_shape_vec(IxDyn(&shape), c.iter().copied().collect()).map_err(|e| e.to_string())
}

/// The value of `m` in `env`.
fn eval(m: &Math, env: &Env) -> Result<Tensor, String> {
    let scalar = |x: f64| Tensor::from_elem(IxDyn(&[]), x);
    match m {
        Math::Var(v) => env.value(v),
        Math::Text(t) => t
            .replace('−', "-")
            .parse()
            .map(scalar)
            .or_else(|_| env.value(t)),
        Math::Sub(..) => env.value(&m.plain()),
        Math::Partial(of, by) => env.grad(of, by),
        Math::Frac(a, b) => zip(&eval(a, env)?, &eval(b, env)?, |x, y| x / y),
        Math::Pow(a, b) => zip(&eval(a, env)?, &eval(b, env)?, f64::powf),
        Math::Transpose(a) => Ok(eval(a, env)?.reversed_axes()),
        Math::Sqrt(a) => Ok(eval(a, env)?.mapv(f64::sqrt)),
        Math::Neg(a) => Ok(-eval(a, env)?),
        Math::Group(a) => eval(a, env),
        Math::Sum(ts) => ts.iter().try_fold(scalar(0.0), |sum, t| {
            zip(&sum, &eval(t, env)?, |x, y| x + y)
        }),
        Math::Juxt(fs) => fs
            .iter()
            .try_fold(scalar(1.0), |p, f| zip(&p, &eval(f, env)?, |x, y| x * y)),
        Math::Product(fs) => {
            let mut product = eval(&fs[0], env)?;
            for pair in fs.windows(2) {
                let next = eval(&pair[1], env)?;
                product = if pair.iter().any(|f| matches!(f, Math::Transpose(_))) {
                    dot(&product, &next)?
                } else {
                    zip(&product, &next, |x, y| x * y)?
                };
            }
            Ok(product)
        }
        Math::Apply(f, args) => match (f.as_str(), args.as_slice()) {
            ("exp", [x]) => Ok(eval(x, env)?.mapv(f64::exp)),
            ("log", [x]) => Ok(eval(x, env)?.mapv(f64::ln)),
            ("sin", [x]) => Ok(eval(x, env)?.mapv(f64::sin)),
            ("cos", [x]) => Ok(eval(x, env)?.mapv(f64::cos)),
            ("sign", [x]) => Ok(eval(x, env)?.mapv(|x| if x == 0.0 { 0.0 } else { x.signum() })),
            ("sum", [x]) => Ok(ndarray::arr0(eval(x, env)?.sum()).into_dyn()),
            ("sum", [x, Math::Text(spec)]) => {
                let mut x = eval(x, env)?;
                let keep = spec.ends_with(", keepdims");
                let axes: Vec<usize> = spec
                    .trim_end_matches(", keepdims")
                    .trim_start_matches("axis=")
                    .trim_matches(|c| c == '(' || c == ')')
                    .split(", ")
                    .map(|a| a.parse().map_err(|_| format!("bad axes in {spec}")))
                    .collect::<Result<_, _>>()?;
                for &axis in axes.iter().rev() {
                    if axis >= x.ndim() {
                        return Err(format!("sum over axis {axis} of {} axes", x.ndim()));
                    }
                    x = x.sum_axis(Axis(axis));
                    if keep {
                        x = x.insert_axis(Axis(axis));
                    }
                }
                Ok(x)
            }
            _ => Err(format!("no numeric meaning for {}", m.plain())),
        },
    }
}

/// Softmax over the last axis, written out independently of the library.
fn softmax(a: &Tensor) -> Tensor {
    let mut y = a.mapv(f64::exp);
    for mut lane in y.lanes_mut(Axis(a.ndim() - 1)) {
        let total = lane.sum();
        lane.mapv_inplace(|x| x / total);
    }
    y
}

/// Checks every argument's label of `op` on `args` against the gradient it sends; returns
/// the labels, so that a case can say what they read.
fn check(op: &str, params: Value, args: &[(&str, Value)]) -> Vec<String> {
    let (model, trace) = run(op, &params, args);
    let symbols = symbolic::derive(&model, Some(&trace));
    let z = model.output;
    let mut env = Env {
        model: &model,
        trace: &trace,
        extra: Vec::new(),
    };
    if op == "softmax_with_loss" {
        let scores = env.value("a").expect("scores");
        env.extra.push(("y", softmax(&scores)));
    }
    let case = format!("{op} {params} on {args:?}");
    let mut labels = Vec::new();
    for (edge, arg) in model.in_edges(z) {
        let label = &symbols.edges[edge.index()];
        let want = &trace.edge_grads()[edge.index()];
        let mut got =
            eval(label, &env).unwrap_or_else(|e| panic!("{case}: label {} : {e}", label.plain()));
        if (op == "sum" || op == "mean") && got.shape() != want.shape() {
            // Passed through: copied back along the axis the sum removed.
            if let Some(axis) = params["axis"].as_u64() {
                got = got.insert_axis(Axis(axis as usize));
            }
            got = broadcast_to(&got, want.shape());
        }
        assert_eq!(got.shape(), want.shape(), "{case}: label {}", label.plain());
        for (g, w) in got.iter().zip(want.iter()) {
            assert!(
                (g - w).abs() <= TOLERANCE * w.abs().max(1.0),
                "{case}: edge from {}: label {} is {got}, the gradient is {want}",
                model.graph[arg].id,
                label.plain()
            );
        }
        labels.push(label.plain());
    }
    labels
}

fn scalar(x: f64) -> Value {
    json!(x)
}

fn vector() -> Value {
    json!([0.7, -1.3, 2.1])
}

fn batch() -> Value {
    json!([[0.3, -1.2, 0.8], [1.5, 0.6, -0.9]])
}

fn other_batch() -> Value {
    json!([[1.1, 0.5, -2.0], [-0.4, 0.9, 1.7]])
}

/// Positive values for `log`, `pow` 0.5, and denominators.
fn positive(shape: &str) -> Value {
    match shape {
        "scalar" => json!(1.7),
        "vector" => json!([0.6, 1.4, 2.3]),
        _ => json!([[0.6, 1.4, 2.3], [0.9, 3.1, 0.45]]),
    }
}

fn no_params() -> Value {
    json!({})
}

#[test]
fn binary_elementwise_ops_in_every_shape_case() {
    for op in ["add", "sub", "mul", "div"] {
        for (a, b) in [
            (scalar(1.5), scalar(-0.8)),
            (vector(), positive("vector")),
            (batch(), positive("batch")),
            // The batch and one row broadcast over it, in both orders.
            (batch(), positive("vector")),
            (vector(), positive("batch")),
            // A number and a vector.
            (scalar(2.5), positive("vector")),
            (vector(), scalar(-0.7)),
        ] {
            check(op, no_params(), &[("a", a), ("b", b)]);
        }
    }
    check(
        "add",
        no_params(),
        &[("a", batch()), ("b", vector()), ("c", other_batch())],
    );
}

#[test]
fn unary_ops_in_every_shape_case() {
    let ops: [(&str, Value); 14] = [
        ("neg", no_params()),
        ("reciprocal", no_params()),
        ("exp", no_params()),
        ("log", no_params()),
        ("sqrt", no_params()),
        ("sin", no_params()),
        ("cos", no_params()),
        ("abs", no_params()),
        ("tanh", no_params()),
        ("sigmoid", no_params()),
        ("pow", json!({"p": 2})),
        ("pow", json!({"p": 3})),
        ("pow", json!({"p": 0.5})),
        ("pow", json!({"p": -1})),
    ];
    for (op, params) in ops {
        for shape in ["scalar", "vector", "batch"] {
            check(op, params.clone(), &[("a", positive(shape))]);
        }
    }
    // Signs matter to these: negative values and zeros too.
    for op in ["sin", "cos", "abs"] {
        for a in [
            scalar(-0.8),
            scalar(0.0),
            vector(),
            batch(),
            json!([0.0, -2.0, 3.5]),
        ] {
            check(op, no_params(), &[("a", a)]);
        }
    }
}

#[test]
fn square_roots_sines_and_absolute_values_read_as_a_textbook_writes_them() {
    let label = |op: &str, a: f64| check(op, no_params(), &[("a", scalar(a))]);
    assert_eq!(label("sqrt", 2.25), ["∂L/∂z · 1/(2√a)"]);
    assert_eq!(label("sin", 0.5), ["∂L/∂z · cos(a)"]);
    assert_eq!(label("cos", 0.5), ["∂L/∂z · (−sin(a))"]);
    assert_eq!(label("abs", -0.5), ["∂L/∂z · sign(a)"]);
}

#[test]
fn max_and_min_on_numbers_write_their_case() {
    let labels =
        |op: &str, a: f64, b: f64| check(op, no_params(), &[("a", scalar(a)), ("b", scalar(b))]);
    assert_eq!(labels("max", 0.8, -0.3), ["∂L/∂z · 1", "0"]);
    assert_eq!(labels("max", -0.8, -0.3), ["0", "∂L/∂z · 1"]);
    assert_eq!(labels("max", 1.5, 1.5), ["∂L/∂z · 1/2", "∂L/∂z · 1/2"]);
    assert_eq!(labels("min", 0.8, -0.3), ["0", "∂L/∂z · 1"]);
    assert_eq!(labels("min", -0.8, -0.3), ["∂L/∂z · 1", "0"]);
    assert_eq!(labels("min", 1.5, 1.5), ["∂L/∂z · 1/2", "∂L/∂z · 1/2"]);
}

#[test]
fn transposes_send_the_gradient_back_transposed() {
    let rows = json!([[0.5, -1.5, 2.5]]);
    for (a, want) in [
        (batch(), "(∂L/∂z)ᵀ"),
        (rows, "(∂L/∂z)ᵀ"),
        (vector(), "∂L/∂z"),
        (scalar(0.4), "∂L/∂z"),
    ] {
        assert_eq!(check("transpose", no_params(), &[("a", a)]), [want]);
    }
}

#[test]
fn relu_on_numbers_writes_its_case() {
    assert_eq!(
        check("relu", no_params(), &[("a", scalar(0.8))]),
        ["∂L/∂z · 1"]
    );
    assert_eq!(check("relu", no_params(), &[("a", scalar(-0.8))]), ["0"]);
}

#[test]
fn matrix_products_in_every_shape_pair() {
    let w = json!([[1.0, -2.0, 0.5], [0.3, 0.7, -1.1]]);
    let rows = json!([[0.2, -0.4], [1.3, 0.6], [-0.9, 1.8]]);
    for (a, b) in [
        (json!([0.4, -1.5]), w.clone()),
        (rows.clone(), w.clone()),
        (rows.clone(), json!([0.4, -1.5])),
        (json!([0.4, -1.5]), json!([2.0, 0.25])),
    ] {
        check("matmul", no_params(), &[("a", a), ("b", b)]);
    }
    for x in [json!([0.4, -1.5]), rows] {
        check(
            "affine",
            no_params(),
            &[("a", x), ("b", w.clone()), ("c", json!([0.1, -0.2, 0.3]))],
        );
    }
}

#[test]
fn sums_and_means_on_each_axis() {
    // A single row summed along axis 0 has the shape (1, 3) of a broadcast, but was not one:
    // its label is not summed again.
    let rows = json!([[0.5, -1.5, 2.5]]);
    for op in ["sum", "mean"] {
        check(op, no_params(), &[("a", batch())]);
        check(op, no_params(), &[("a", vector())]);
        check(op, no_params(), &[("a", scalar(1.5))]);
        check(op, json!({"axis": 0}), &[("a", batch())]);
        check(op, json!({"axis": 1}), &[("a", batch())]);
        check(op, json!({"axis": 0}), &[("a", vector())]);
        check(op, json!({"axis": 0}), &[("a", rows.clone())]);
    }
    assert_eq!(
        check("mean", no_params(), &[("a", batch())]),
        ["∂L/∂z · 1/6"]
    );
    assert_eq!(
        check("mean", json!({"axis": 0}), &[("a", batch())]),
        ["∂L/∂z · 1/2"]
    );
    assert_eq!(
        check("mean", no_params(), &[("a", scalar(1.5))]),
        ["∂L/∂z · 1"]
    );
}

#[test]
fn losses_for_one_sample_and_a_batch() {
    let one_hot = json!([0.0, 1.0, 0.0]);
    let batch_labels = json!([[0.0, 0.0, 1.0], [1.0, 0.0, 0.0]]);
    let soft_labels = json!([[0.2, 0.5, 0.3], [0.0, 0.9, 0.1]]);
    for (scores, labels) in [
        (vector(), one_hot.clone()),
        (batch(), batch_labels.clone()),
        (batch(), soft_labels.clone()),
    ] {
        check(
            "softmax_with_loss",
            no_params(),
            &[("a", scores), ("t", labels)],
        );
    }
    let probabilities = json!([[0.2, 0.5, 0.3], [0.6, 0.1, 0.3]]);
    for (y, labels) in [
        (json!([0.2, 0.5, 0.3]), one_hot),
        (probabilities.clone(), batch_labels),
        (probabilities, soft_labels),
    ] {
        check("cross_entropy", no_params(), &[("y", y), ("t", labels)]);
    }
}

#[test]
fn a_batch_loss_writes_its_division_by_the_rows() {
    let labels = check(
        "softmax_with_loss",
        no_params(),
        &[
            ("a", batch()),
            ("t", json!([[0.0, 0.0, 1.0], [1.0, 0.0, 0.0]])),
        ],
    );
    assert_eq!(labels, ["∂L/∂z · (y − t)/2", "∂L/∂z · (−log(y)/2)"]);
    let labels = check(
        "cross_entropy",
        no_params(),
        &[
            ("y", json!([[0.2, 0.5, 0.3], [0.6, 0.1, 0.3]])),
            ("t", json!([[0.0, 0.0, 1.0], [1.0, 0.0, 0.0]])),
        ],
    );
    assert_eq!(labels, ["∂L/∂z · (−t/(2y))", "∂L/∂z · (−log(y)/2)"]);
}

#[test]
fn one_sample_losses_keep_the_texts_form() {
    let labels = check(
        "softmax_with_loss",
        no_params(),
        &[("a", vector()), ("t", json!([0.0, 1.0, 0.0]))],
    );
    assert_eq!(labels, ["∂L/∂z · (y − t)", "∂L/∂z · (−log(y))"]);
}

#[test]
fn ops_without_a_factor_are_written_as_derivatives() {
    // ReLU on a tensor and Softmax have no one factor: their labels name the derivative.
    for (op, a) in [
        ("relu", vector()),
        ("softmax", vector()),
        ("softmax", batch()),
    ] {
        let (model, trace) = run(op, &no_params(), &[("a", a)]);
        let symbols = symbolic::derive(&model, Some(&trace));
        let (edge, _) = model.in_edges(model.output)[0];
        assert_eq!(symbols.edges[edge.index()].plain(), "∂L/∂z · ∂z/∂a", "{op}");
    }
    // Max and min of tensors: each element has its own case.
    for op in ["max", "min"] {
        let (model, trace) = run(op, &no_params(), &[("a", vector()), ("b", batch())]);
        let symbols = symbolic::derive(&model, Some(&trace));
        let labels: Vec<String> = model
            .in_edges(model.output)
            .iter()
            .map(|&(edge, _)| symbols.edges[edge.index()].plain())
            .collect();
        assert_eq!(
            labels,
            ["sum(∂L/∂z · ∂z/∂a, axis=0)", "∂L/∂z · ∂z/∂b"],
            "{op}"
        );
    }
}

/// The reduction over broadcast axes is written by `text::symbolic`, not by the operators: a
/// number broadcast over a batch is summed over everything (`sum(…)`), a (1, 3) row over the
/// batch and a (2, 1) column along the row, keeping their axes (`sum(…, axis=0, keepdims)`),
/// so each label has its argument's shape.
#[test]
fn broadcasts_that_keep_the_rank_or_drop_two_axes() {
    for b in [scalar(2.0), json!([[0.5, 1.5, 2.5]]), json!([[0.5], [1.5]])] {
        check("mul", no_params(), &[("a", batch()), ("b", b)]);
    }
}
