//! The textbook's numbers, computed from the scenario files shipped in `scenarios/`: the
//! payments and gradients of the apple examples, the add and mul nodes with 1.3 from above, the
//! chain rule, the sigmoid, Softmax-with-Loss, ReLU and the Affine layer (checked against
//! independent computations done here with plain loops), the order of the backward steps, and
//! what `chainrule eval` prints as steps, as JSON and as a table.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use chainrule::core::engine::Trace;
use chainrule::core::load;
use chainrule::core::model::Model;
use chainrule::core::tensor::Tensor;
use serde_json::Value;

/// Relative tolerance for numbers the text gives exactly.
const RELATIVE: f64 = 1e-9;

/// A shipped scenario, loaded and evaluated.
struct Evaluated {
    model: Model,
    trace: Trace,
}

impl Evaluated {
    fn load(name: &str) -> Evaluated {
        let path = scenario_path(name);
        let model = load::model(&path).unwrap_or_else(|e| panic!("{e}"));
        let trace = load::evaluate(&path, &model).unwrap_or_else(|e| panic!("{e}"));
        Evaluated { model, trace }
    }

    fn index(&self, id: &str) -> usize {
        self.model
            .find(id)
            .unwrap_or_else(|| panic!("no node \"{id}\""))
            .index()
    }

    fn value(&self, id: &str) -> &Tensor {
        &self.trace.values()[self.index(id)]
    }

    fn grad(&self, id: &str) -> &Tensor {
        &self.trace.grads()[self.index(id)]
    }

    /// The value of a scalar node.
    fn scalar_value(&self, id: &str) -> f64 {
        scalar(self.value(id), id)
    }

    /// The gradient of a scalar node.
    fn scalar_grad(&self, id: &str) -> f64 {
        scalar(self.grad(id), id)
    }

    /// Asserts the gradients of scalar nodes, by id.
    fn assert_grads(&self, want: &[(&str, f64)]) {
        for &(id, g) in want {
            assert_close(&format!("gradient of {id}"), self.scalar_grad(id), g);
        }
    }
}

fn scenario_path(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("scenarios")
        .join(name)
}

fn scalar(t: &Tensor, id: &str) -> f64 {
    assert_eq!(
        t.ndim(),
        0,
        "{id} should be a scalar, has shape {:?}",
        t.shape()
    );
    t[[]]
}

fn assert_close(what: &str, got: f64, want: f64) {
    assert!(
        (got - want).abs() <= RELATIVE * want.abs() + 1e-15,
        "{what}: got {got}, want {want}"
    );
}

/// Asserts a tensor equals a flat row-major list of numbers of the given shape.
fn assert_tensor(what: &str, got: &Tensor, shape: &[usize], want: &[f64]) {
    assert_eq!(got.shape(), shape, "{what}: shape");
    for (i, (&g, &w)) in got.iter().zip(want).enumerate() {
        assert_close(&format!("{what}[{i}]"), g, w);
    }
}

/// A rank-1 or rank-2 tensor as rows of numbers (a vector is one row).
fn rows(t: &Tensor) -> Vec<Vec<f64>> {
    match t.ndim() {
        1 => vec![t.iter().copied().collect()],
        2 => t
            .outer_iter()
            .map(|row| row.iter().copied().collect())
            .collect(),
        _ => panic!("expected a vector or a matrix, got shape {:?}", t.shape()),
    }
}

/// The numbers of a JSON number or nested arrays, row-major.
fn flatten(value: &Value) -> Vec<f64> {
    match value {
        Value::Array(items) => items.iter().flat_map(flatten).collect(),
        n => vec![n.as_f64().expect("a number")],
    }
}

/// Runs `chainrule eval` with `args` after the file, expecting success and a quiet stderr.
fn eval(name: &str, args: &[&str]) -> String {
    let output: Output = Command::new(env!("CARGO_BIN_EXE_chainrule"))
        .arg("eval")
        .arg(scenario_path(name))
        .args(args)
        .output()
        .expect("run chainrule");
    let stderr = String::from_utf8_lossy(&output.stderr);
    crate::succeeded(&output, &format!("chainrule {args:?}"));
    assert!(stderr.is_empty(), "stderr: {stderr}");
    String::from_utf8(output.stdout).expect("utf-8 stdout")
}

#[test]
fn apple_payment_and_gradients() {
    let s = Evaluated::load("apple.json");
    assert_close("apple_price", s.scalar_value("apple_price"), 200.0);
    assert_close("payment", s.scalar_value("price"), 220.0);
    s.assert_grads(&[
        ("price", 1.0),
        ("apple_price", 1.1),
        ("apple", 2.2),
        ("apple_num", 110.0),
        ("tax", 200.0),
    ]);
}

#[test]
fn apple_orange_payment_and_gradients() {
    let s = Evaluated::load("apple_orange.json");
    assert_close("all_price", s.scalar_value("all_price"), 650.0);
    assert_close("payment", s.scalar_value("price"), 715.0);
    s.assert_grads(&[
        ("apple_num", 110.0),
        ("apple", 2.2),
        ("orange", 3.3),
        ("orange_num", 165.0),
        ("tax", 650.0),
        ("all_price", 1.1),
        ("apple_price", 1.1),
        ("orange_price", 1.1),
    ]);
}

#[test]
fn apple_orange_backward_runs_in_the_texts_order() {
    let s = Evaluated::load("apple_orange.json");
    let order: Vec<&str> = s
        .trace
        .steps()
        .iter()
        .map(|step| s.model.graph[step.node].id.as_str())
        .collect();
    // The seed at the output, then the text's (4) (3) (2) (1).
    assert_eq!(
        order,
        ["price", "price", "all_price", "orange_price", "apple_price"]
    );
    assert!(s.trace.steps()[0].is_seed());
    assert!(s.trace.steps()[1..].iter().all(|step| !step.is_seed()));
}

#[test]
fn add_node_passes_the_gradient_on() {
    let s = Evaluated::load("add_node.json");
    assert_close("10 + 5", s.scalar_value("z"), 15.0);
    s.assert_grads(&[("x", 1.3), ("y", 1.3)]);
}

#[test]
fn mul_node_swaps_its_inputs() {
    let s = Evaluated::load("mul_node.json");
    assert_close("10 × 5", s.scalar_value("z"), 50.0);
    s.assert_grads(&[("x", 6.5), ("y", 13.0)]);
}

#[test]
fn chain_rule_gives_twice_the_sum() {
    let s = Evaluated::load("chain_rule.json");
    let (x, y) = (s.scalar_value("x"), s.scalar_value("y"));
    assert_close("z", s.scalar_value("z"), (x + y).powi(2));
    s.assert_grads(&[("x", 2.0 * (x + y)), ("y", 2.0 * (x + y))]);
}

#[test]
fn sigmoid_gradient_is_y_times_one_minus_y() {
    let s = Evaluated::load("sigmoid.json");
    let x = s.scalar_value("x");
    let y = s.scalar_value("y");
    assert_close("y", y, 1.0 / (1.0 + (-x).exp()));
    s.assert_grads(&[("x", y * (1.0 - y))]);
}

#[test]
fn softmax_with_loss_gradient_is_y_minus_t() {
    let s = Evaluated::load("softmax_with_loss.json");
    let a: Vec<f64> = s.value("a").iter().copied().collect();
    let t: Vec<f64> = s.value("t").iter().copied().collect();
    let total: f64 = a.iter().map(|x| x.exp()).sum();
    let y: Vec<f64> = a.iter().map(|x| x.exp() / total).collect();
    let loss: f64 = -t.iter().zip(&y).map(|(t, y)| t * y.ln()).sum::<f64>();
    assert_close("loss", s.scalar_value("L"), loss);
    let want: Vec<f64> = y.iter().zip(&t).map(|(y, t)| y - t).collect();
    assert_tensor("dL/da", s.grad("a"), &[a.len()], &want);
}

#[test]
fn softmax_with_loss_drawn_out_in_scalars_agrees_with_the_layer() {
    let layer = Evaluated::load("softmax_with_loss.json");
    let full = Evaluated::load("softmax_with_loss_expanded.json");
    assert_close("loss", full.scalar_value("L"), layer.scalar_value("L"));
    let want = layer.grad("a");
    for (i, &g) in want.iter().enumerate() {
        let id = format!("a{}", i + 1);
        assert_close(
            &format!("dL/d{id} = y{} − t{}", i + 1, i + 1),
            full.scalar_grad(&id),
            g,
        );
    }
}

#[test]
fn relu_passes_where_positive_and_stops_elsewhere() {
    let s = Evaluated::load("relu.json");
    let x = s.value("x");
    assert!(x.iter().any(|&v| v > 0.0), "the file should have an x > 0");
    assert!(x.iter().any(|&v| v == 0.0), "the file should have an x = 0");
    assert!(x.iter().any(|&v| v < 0.0), "the file should have an x < 0");
    for (&v, &g) in x.iter().zip(s.grad("x")) {
        assert_eq!(g, if v > 0.0 { 1.0 } else { 0.0 }, "gradient at x = {v}");
    }
}

/// Checks an Affine scenario (XW = X·W, Y = XW + B) against dX = dY·Wᵀ, dW = Xᵀ·dY and
/// dB = dY summed over the batch, computed here with plain loops.
fn check_affine(name: &str) {
    let s = Evaluated::load(name);
    let file: Value =
        serde_json::from_str(&std::fs::read_to_string(scenario_path(name)).expect("read scenario"))
            .expect("scenario JSON");
    let seed = flatten(&file["seed"]);
    let (x, w, b, dy) = (
        rows(s.value("X")),
        rows(s.value("W")),
        s.value("B").iter().copied().collect::<Vec<_>>(),
        rows(s.grad("Y")),
    );
    assert_eq!(
        dy.concat(),
        seed,
        "the gradient at the output is the file's seed"
    );
    let (n, k, m) = (x.len(), w.len(), b.len());

    let mut y = vec![vec![0.0; m]; n];
    let mut dx = vec![vec![0.0; k]; n];
    let mut dw = vec![vec![0.0; m]; k];
    let mut db = vec![0.0; m];
    for r in 0..n {
        for j in 0..m {
            y[r][j] = b[j];
            db[j] += dy[r][j];
            for i in 0..k {
                y[r][j] += x[r][i] * w[i][j];
                dx[r][i] += dy[r][j] * w[i][j];
                dw[i][j] += x[r][i] * dy[r][j];
            }
        }
    }
    let shape_of = |id: &str| s.value(id).shape().to_vec();
    assert_tensor("Y", s.value("Y"), &shape_of("Y"), &y.concat());
    assert_tensor("dX", s.grad("X"), &shape_of("X"), &dx.concat());
    assert_tensor("dW", s.grad("W"), &[k, m], &dw.concat());
    assert_tensor("dB", s.grad("B"), &[m], &db);
}

#[test]
fn affine_single_sample() {
    check_affine("affine.json");
}

#[test]
fn affine_batch_sums_the_bias_gradient_over_the_batch() {
    check_affine("affine_batch.json");
}

#[test]
fn eval_steps_reads_like_the_text() {
    assert_eq!(
        eval("apple.json", &["--steps"]),
        "step 1: payment starts with the seed 1\n\
         step 2: the × node (payment) got 1 from above; sends 1 × 1.1 = 1.1 to the × node (apple_price) and 1 × 200 = 200 to tax\n\
         step 3: the × node (apple_price) got 1.1 from above; sends 1.1 × 2 = 2.2 to apple and 1.1 × 100 = 110 to apple count\n"
    );
}

#[test]
fn eval_json_is_one_object_at_full_precision() {
    let text = eval("apple.json", &["--json"]);
    assert_eq!(text.lines().count(), 1, "one line: {text}");
    let json: Value = serde_json::from_str(&text).expect("exactly one JSON value");
    let object = json.as_object().expect("a JSON object");
    let keys: Vec<&str> = object.keys().map(String::as_str).collect();
    assert_eq!(keys, ["output", "values", "grads"]);
    // 100 × 2 × 1.1 in f64 is not 220: the JSON keeps every digit.
    assert_eq!(json["values"]["price"].as_f64(), Some(220.00000000000003));

    // Every node, in file order, each number the exact f64 the text's arithmetic gives (the
    // text is compared, since serde_json's default parser may round the last digit).
    let (apple, apple_num, tax) = (100.0, 2.0, 1.1);
    let apple_price = apple * apple_num;
    let price = apple_price * tax;
    let want = serde_json::json!({
        "output": "price",
        "values": {
            "apple": apple,
            "apple_num": apple_num,
            "tax": tax,
            "apple_price": apple_price,
            "price": price,
        },
        "grads": {
            "apple": tax * apple_num,
            "apple_num": tax * apple,
            "tax": apple_price,
            "apple_price": tax,
            "price": 1.0,
        },
    });
    assert_eq!(text, format!("{want}\n"));
    assert!(text.contains("220.00000000000003") && text.contains("110.00000000000001"));
}

#[test]
fn eval_table_shows_numbers_as_a_person_writes_them() {
    let text = eval("apple.json", &[]);
    assert!(!text.contains("00000"), "long digits in the table:\n{text}");
    let row = |id: &str| -> Vec<String> {
        text.lines()
            .map(|line| line.split_whitespace().map(str::to_string).collect())
            .find(|cells: &Vec<String>| cells.first().is_some_and(|c| c == id))
            .unwrap_or_else(|| panic!("no row for {id}:\n{text}"))
    };
    assert_eq!(row("price"), ["price", "mul", "220", "1"]);
    assert_eq!(row("apple"), ["apple", "input", "100", "2.2"]);
    assert_eq!(row("apple_num"), ["apple_num", "input", "2", "110"]);
    assert_eq!(row("tax"), ["tax", "input", "1.1", "200"]);
}
