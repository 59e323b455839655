//! Generated scenarios (`chainrule::core::generate`): they parse and evaluate like any scenario, their
//! gradients agree with central finite differences, the same seed gives the same bytes, and
//! their sizes are the documented ones.

use std::path::Path;

use chainrule::core::generate::{self, Activation, GenError};
use chainrule::core::load;
use serde_json::Value;

/// Every node's value and gradient, by id, from the scenario's text.
fn evaluate(scenario: &Value) -> (Value, Value) {
    let path = Path::new("generated.json");
    let model = load::parse(path, &generate::to_text(scenario)).expect("parses");
    let trace = load::evaluate(path, &model).expect("evaluates");
    let report = chainrule::text::report::json(&model, &trace);
    (report["values"].clone(), report["grads"].clone())
}

fn nodes(scenario: &Value) -> &Vec<Value> {
    scenario["nodes"].as_array().expect("nodes")
}

/// The loss with node `id`'s input value set to `value`.
fn loss_with(scenario: &Value, id: &str, value: f64) -> f64 {
    let mut changed = scenario.clone();
    let node = changed["nodes"]
        .as_array_mut()
        .expect("nodes")
        .iter_mut()
        .find(|n| n["id"] == id)
        .expect("node");
    node["input"] = Value::from(value);
    evaluate(&changed).0["loss"].as_f64().expect("loss")
}

fn check_gradients(act: Activation, seed: u64) {
    let net = generate::mlp(&[3, 4, 4, 2], act, seed).expect("mlp");
    let (values, grads) = evaluate(&net);
    for id in ["x1", "l1n0w2", "l1n3b", "l2n2w3", "l3n1w0", "l3n0b"] {
        let x = values[id].as_f64().expect("value");
        let h = 1e-6;
        let numeric = (loss_with(&net, id, x + h) - loss_with(&net, id, x - h)) / (2.0 * h);
        let analytic = grads[id].as_f64().expect("gradient");
        assert!(
            (numeric - analytic).abs() <= 1e-6 * (1.0 + analytic.abs()),
            "{act:?} seed {seed}: d loss / d {id}: finite differences {numeric}, chainrule {analytic}"
        );
    }
}

#[test]
fn mlp_gradients_match_finite_differences() {
    check_gradients(Activation::Tanh, 1);
    check_gradients(Activation::Relu, 7);
}

#[test]
fn an_mlp_is_micrograd_shaped() {
    let net = generate::mlp(&[2, 3, 1], Activation::Relu, 3).expect("mlp");
    let list = nodes(&net);
    let find = |id: &str| {
        list.iter()
            .find(|n| n["id"] == id)
            .unwrap_or_else(|| panic!("no node {id}"))
    };
    for id in ["x0", "x1", "l1n2b", "l1n2w1", "l2n0w2", "l2n0b"] {
        assert!(find(id)["input"].is_number(), "{id} is an input");
    }
    assert_eq!(find("l1n2m1")["args"], serde_json::json!(["l1n2w1", "x1"]));
    assert_eq!(
        find("l1n2s0")["args"],
        serde_json::json!(["l1n2b", "l1n2m0"])
    );
    assert_eq!(
        find("l1n2s1")["args"],
        serde_json::json!(["l1n2s0", "l1n2m1"])
    );
    assert_eq!(find("l1n2")["op"], "relu");
    assert_eq!(find("l2n0")["op"], "add", "the last layer is linear");
    assert_eq!(find("d0")["args"], serde_json::json!(["l2n0", "t0"]));
    assert!(find("t0")["const"].is_number());
    assert_eq!(find("loss")["op"], "pow");
    assert_eq!(net["output"], "loss");
    let (values, _) = evaluate(&net);
    let (y, t) = (values["l2n0"].as_f64(), values["t0"].as_f64());
    let expected = (y.expect("y") - t.expect("t")).powi(2);
    assert!((values["loss"].as_f64().expect("loss") - expected).abs() < 1e-12);

    let two = generate::mlp(&[2, 2], Activation::Tanh, 3).expect("mlp");
    let adds: Vec<&Value> = nodes(&two)
        .iter()
        .filter(|n| n["id"].as_str().is_some_and(|id| id.starts_with("loss")))
        .collect();
    assert_eq!(adds.len(), 1);
    assert_eq!(adds[0]["args"], serde_json::json!(["e0", "e1"]));
}

#[test]
fn values_are_moderate() {
    let net = generate::mlp(&[16, 48, 48, 4], Activation::Tanh, 1).expect("mlp");
    for node in nodes(&net) {
        for field in ["input", "const"] {
            if let Some(v) = node[field].as_f64() {
                assert!(v.abs() <= 1.0, "{}: {v}", node["id"]);
                assert_eq!(v, (v * 1e4).round() / 1e4, "{}: 4 decimals", node["id"]);
            }
        }
    }
}

#[test]
fn the_seed_decides_every_number() {
    let text =
        |seed| generate::to_text(&generate::mlp(&[4, 8, 1], Activation::Tanh, seed).expect("mlp"));
    assert_eq!(text(42), text(42));
    assert_ne!(text(42), text(43));
    let pinned = generate::mlp(&[1, 1], Activation::Tanh, 0).expect("mlp");
    let inputs: Vec<f64> = nodes(&pinned)
        .iter()
        .filter_map(|n| n["input"].as_f64().or(n["const"].as_f64()))
        .collect();
    assert_eq!(inputs.len(), 4, "x0, the bias, the weight, the target");
    assert!(inputs.windows(2).all(|w| w[0] != w[1]), "{inputs:?}");
}

#[test]
fn node_counts_are_as_documented() {
    let count =
        |sizes: &[usize]| nodes(&generate::mlp(sizes, Activation::Tanh, 1).expect("mlp")).len();
    assert_eq!(count(&[2, 3, 1]), 39);
    assert_eq!(count(&[3, 8, 8, 1]), 327);
    assert_eq!(count(&[4, 16, 16, 1]), 1_080);
    assert_eq!(count(&[6, 32, 24, 1]), 3_074);
    assert_eq!(count(&[16, 48, 48, 4]), 10_019);
    assert_eq!(nodes(&generate::chain(100).expect("chain")).len(), 151);
    assert_eq!(nodes(&generate::chain(1).expect("chain")).len(), 3);
}

#[test]
fn a_chain_evaluates() {
    let chain = generate::chain(7).expect("chain");
    let ids: Vec<&str> = nodes(&chain)
        .iter()
        .filter_map(|n| n["id"].as_str())
        .collect();
    assert_eq!(
        ids,
        ["x", "c1", "mul1", "tanh2", "c3", "mul3", "tanh4", "c5", "mul5", "tanh6", "c7", "mul7"]
    );
    let (values, grads) = evaluate(&chain);
    let mut y: f64 = 0.5;
    let mut dy = 1.0;
    for i in 1..=7 {
        if i % 2 == 1 {
            y *= 1.5;
            dy *= 1.5;
        } else {
            y = y.tanh();
            dy *= 1.0 - y * y;
        }
    }
    assert!((values["mul7"].as_f64().expect("value") - y).abs() < 1e-12);
    assert!((grads["x"].as_f64().expect("gradient") - dy).abs() < 1e-12);
}

#[test]
fn to_text_writes_one_node_a_line() {
    let chain = generate::chain(2).expect("chain");
    let text = generate::to_text(&chain);
    assert_eq!(serde_json::from_str::<Value>(&text).expect("JSON"), chain);
    assert!(
        text.contains("\n    {\"id\": \"mul1\", \"op\": \"mul\", \"args\": [\"x\", \"c1\"]},\n")
    );
    assert!(text.ends_with("]\n}\n"));
}

#[test]
fn bad_sizes_are_errors() {
    assert_eq!(
        generate::mlp(&[4], Activation::Tanh, 1),
        Err(GenError::TooFewSizes(1))
    );
    assert_eq!(
        generate::mlp(&[], Activation::Tanh, 1),
        Err(GenError::TooFewSizes(0))
    );
    let zero = generate::mlp(&[4, 0, 1], Activation::Tanh, 1).expect_err("a layer of 0");
    assert_eq!(zero, GenError::ZeroSize { position: 2 });
    assert_eq!(
        zero.to_string(),
        "size 2 of the MLP is 0: every layer needs at least one unit"
    );
    assert_eq!(
        generate::mlp(&[usize::MAX, 2], Activation::Tanh, 1),
        Err(GenError::TooLarge)
    );
    assert_eq!(
        generate::mlp(&[1000, 4000, 1], Activation::Tanh, 1),
        Err(GenError::TooLarge)
    );
    assert_eq!(generate::chain(0), Err(GenError::EmptyChain));
    assert_eq!(generate::chain(usize::MAX), Err(GenError::TooLarge));
}

#[test]
fn an_mlp_in_units_folds_into_one_box_per_unit() {
    let sizes = [2, 3, 1];
    let plain = generate::mlp(&sizes, Activation::Tanh, 5).expect("mlp");
    let units = generate::mlp_in_units(&sizes, Activation::Tanh, 5).expect("mlp");
    // The same network, the same numbers.
    assert_eq!(evaluate(&plain), evaluate(&units));
    let groups: std::collections::BTreeSet<&str> = nodes(&units)
        .iter()
        .filter_map(|n| n["group"].as_str())
        .collect();
    assert_eq!(
        groups,
        ["l1n0", "l1n1", "l1n2", "l2n0"].into_iter().collect()
    );
    // Every node of a unit (its id starts with l<layer>n<unit>) is in it; inputs, targets
    // and the loss are not.
    for node in nodes(&units) {
        let id = node["id"].as_str().expect("id");
        let in_unit = id.starts_with('l') && id[1..].starts_with(|c: char| c.is_ascii_digit());
        assert_eq!(node["group"].is_string(), in_unit, "{id}");
    }

    let path = Path::new("units.json");
    let model = load::parse(path, &generate::to_text(&units)).expect("parses");
    let trace = load::evaluate(path, &model).expect("evaluates");
    let (folded, _) = chainrule::core::collapse::collapse(&model, &trace).expect("folds");
    // x0, x1, three hidden units, the output unit, then t0, d0 and the loss.
    assert_eq!(folded.graph.node_count(), 2 + 3 + 1 + 3);
}
