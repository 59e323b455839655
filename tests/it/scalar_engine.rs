//! The scalar fast path (`engine::numbers` on a graph of single numbers) against the general
//! path (`engine::evaluate` on tensors): every value and gradient is bit for bit the same, and
//! a graph that overflows fails at the same node either way. Random graphs use every scalar
//! operator, in file orders where nodes use nodes below them too.

use std::path::Path;

use chainrule::core::engine::{self, Numbers};
use chainrule::core::generate::{self, Activation};
use chainrule::core::load;
use chainrule::core::model::Model;
use proptest::prelude::*;
use serde_json::{json, Value};

/// Evaluates `model` both ways and checks that they agree exactly; returns whether it
/// evaluated.
fn same_both_ways(model: &Model) -> Result<bool, TestCaseError> {
    match (engine::evaluate(model), engine::numbers(model)) {
        (Ok(trace), Ok(Numbers::Scalars { values, grads })) => {
            for (n, node) in model.graph.node_weights().enumerate() {
                for (what, tensor, number) in [
                    ("value", &trace.values()[n], values[n]),
                    ("gradient", &trace.grads()[n], grads[n]),
                ] {
                    prop_assert_eq!(tensor.ndim(), 0, "{} of {} is a tensor", what, node.id);
                    let general = tensor.first().copied().unwrap_or(f64::NAN);
                    prop_assert_eq!(
                        general.to_bits(),
                        number.to_bits(),
                        "{} of {}: {} on tensors, {} on numbers",
                        what,
                        node.id,
                        general,
                        number
                    );
                }
            }
            Ok(true)
        }
        (Err(general), Err(fast)) => {
            prop_assert_eq!(general, fast);
            Ok(false)
        }
        (general, fast) => Err(TestCaseError::fail(format!(
            "the paths disagree: {:?} on tensors, {:?} on numbers",
            general.map(|t| t.values().len()),
            fast.map(|n| matches!(n, Numbers::Scalars { .. }))
        ))),
    }
}

fn model(scenario: &Value) -> Model {
    load::parse(Path::new("generated.json"), &scenario.to_string()).expect("parses")
}

#[test]
fn generated_networks_are_the_same_both_ways() {
    for scenario in [
        generate::mlp(&[4, 16, 16, 1], Activation::Tanh, 1).unwrap(),
        generate::mlp(&[3, 8, 8, 3], Activation::Relu, 2).unwrap(),
        generate::chain(500).unwrap(),
    ] {
        let evaluated = same_both_ways(&model(&scenario)).unwrap_or_else(|e| panic!("{e}"));
        assert!(evaluated, "{}", scenario["title"]);
    }
}

#[test]
fn graphs_with_tensors_take_the_general_path() {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("scenarios/affine.json");
    let model = load::model(&path).unwrap();
    let trace = engine::evaluate(&model).unwrap();
    assert_eq!(
        engine::numbers(&model),
        Ok(Numbers::Tensors {
            values: trace.values().to_vec(),
            grads: trace.grads().to_vec()
        })
    );
}

/// The scalar operators, with how many arguments each takes here.
const OPS: &[(&str, usize)] = &[
    ("add", 2),
    ("add", 3),
    ("sub", 2),
    ("mul", 2),
    ("div", 2),
    ("neg", 1),
    ("reciprocal", 1),
    ("pow", 1),
    ("exp", 1),
    ("log", 1),
    ("sqrt", 1),
    ("abs", 1),
    ("sin", 1),
    ("cos", 1),
    ("tanh", 1),
    ("relu", 1),
    ("sigmoid", 1),
    ("max", 2),
    ("min", 2),
];

/// A scenario of `leaves` inputs and constants and one op per entry of `ops` (an operator,
/// picks of its arguments among the nodes before it, and an exponent for pow), written in
/// the order `order` (a permutation of the nodes, so that nodes may use nodes below them).
fn scenario(leaves: &[(f64, bool)], ops: &[(usize, Vec<usize>, i8)], order: &[usize]) -> Value {
    let mut nodes: Vec<Value> = leaves
        .iter()
        .enumerate()
        .map(|(i, &(x, input))| {
            if input {
                json!({"id": format!("n{i}"), "input": x})
            } else {
                json!({"id": format!("n{i}"), "const": x})
            }
        })
        .collect();
    for (k, (op, picks, p)) in ops.iter().enumerate() {
        let here = leaves.len() + k;
        let (name, arity) = OPS[op % OPS.len()];
        let args: Vec<String> = picks[..arity]
            .iter()
            .map(|pick| format!("n{}", pick % here))
            .collect();
        let mut node = json!({"id": format!("n{here}"), "op": name, "args": args});
        if name == "pow" {
            node["p"] = json!(f64::from(*p) / 2.0);
        }
        nodes.push(node);
    }
    let last = format!("n{}", nodes.len() - 1);
    let mut written: Vec<(usize, Value)> = order.iter().copied().zip(nodes).collect();
    written.sort_by_key(|(position, _)| *position);
    json!({
        "nodes": written.into_iter().map(|(_, node)| node).collect::<Vec<_>>(),
        "output": last,
    })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    #[test]
    fn random_scalar_graphs_are_the_same_both_ways(
        leaves in prop::collection::vec((-3.0..3.0f64, any::<bool>()), 1..5),
        ops in prop::collection::vec((0..OPS.len(), prop::collection::vec(0..64usize, 3), -4..6i8), 1..25),
        shuffle in any::<bool>(),
        seed in any::<f64>(),
    ) {
        let n = leaves.len() + ops.len();
        let mut order: Vec<usize> = (0..n).collect();
        if shuffle {
            order.sort_by_key(|&i| ((i as f64 + 1.0) * (seed.abs() + 1.618)).fract().to_bits());
        }
        let model = model(&scenario(&leaves, &ops, &order));
        same_both_ways(&model)?;
    }
}
