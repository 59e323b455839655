//! Generated scenarios: a micrograd-style multilayer perceptron expanded into scalar nodes,
//! and a long chain of simple ops. Lecturers use them to show a whole network in one figure;
//! the benchmarks use them as workloads of a known size.
//!
//! Both are ordinary scenario files (a [`serde_json::Value`] in the format of
//! [`crate::core::scenario`]), so everything that reads a scenario reads them; [`to_text`] writes one
//! node per line. The same arguments always give the same file: the numbers come from a small
//! built-in generator (splitmix64), not from the system.

use std::fmt::Write;

use serde_json::{json, Value};
use thiserror::Error;

/// The most nodes a generated scenario may have (its JSON is about 50 bytes a node).
pub const MAX_NODES: usize = 10_000_000;

/// Why a scenario could not be generated.
#[derive(Debug, Error, Clone, PartialEq, Eq)]
pub enum GenError {
    /// An MLP needs the number of inputs and at least one layer.
    #[error("an MLP needs at least 2 sizes (the inputs, then each layer), got {0}")]
    TooFewSizes(usize),
    /// A layer (or the input) of size 0.
    #[error("size {position} of the MLP is 0: every layer needs at least one unit")]
    ZeroSize {
        /// 1-based position in the list of sizes.
        position: usize,
    },
    /// A chain of no ops.
    #[error("a chain needs at least 1 op, got 0")]
    EmptyChain,
    /// The scenario would be too large to write or evaluate.
    #[error("the scenario would have more than {MAX_NODES} nodes")]
    TooLarge,
}

/// The activation of an MLP's hidden layers.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
#[cfg_attr(feature = "cli", derive(clap::ValueEnum))]
pub enum Activation {
    /// tanh, as in micrograd's lecture.
    #[default]
    Tanh,
    /// max(x, 0), as in micrograd's library.
    Relu,
}

impl Activation {
    /// The scenario's op name.
    fn op(self) -> &'static str {
        match self {
            Activation::Tanh => "tanh",
            Activation::Relu => "relu",
        }
    }
}

/// A multilayer perceptron with a squared-error loss, expanded into scalar nodes exactly as
/// micrograd builds it.
///
/// `sizes` lists the number of inputs and then the units of each layer: `[4, 16, 16, 1]` is
/// 4 inputs, two hidden layers of 16 and one output. Each unit of layer `l` computes
/// `act(b + w₀x₀ + w₁x₁ + …)` from the previous layer's outputs, the sum built left to right
/// from two-argument `add` nodes as micrograd's `sum(…, b)` does; the last layer is linear.
/// The loss is `Σⱼ (yⱼ − tⱼ)²` against constant targets, summed left to right, in the output
/// node `loss`.
///
/// Ids (layers count from 1, units and inputs from 0): inputs `x0`…; unit `j` of layer `l`
/// has the bias `l{l}n{j}b`, the weights `l{l}n{j}w{i}`, the products `l{l}n{j}m{i}`, the
/// running sums `l{l}n{j}s{i}` and its output `l{l}n{j}` (the activation, or in the linear
/// last layer the last sum). The loss has the targets `t{j}`, the differences `d{j}`, the
/// squares `e{j}` and the running sums `loss{j}`; the last node is `loss` (for one output,
/// the square itself). Inputs, weights and biases are `input` nodes, so their gradients are
/// reported; targets are `const`.
///
/// Values (4 decimals): inputs and targets uniform in [−1, 1]; the weights and bias of a unit
/// with `k` inputs uniform in [−1/√k, 1/√k], as PyTorch's `nn.Linear` starts. They are drawn
/// in file order from `seed`.
///
/// A unit with `k` inputs has `3k + 2` nodes (`3k + 1` in the last layer) and the loss
/// `4m − 1` for `m` outputs: `[4, 16, 16, 1]` has 1,080 nodes, `[16, 48, 48, 4]` 10,019.
///
/// # Errors
/// [`GenError::TooFewSizes`] for fewer than 2 sizes, [`GenError::ZeroSize`] for a size of 0,
/// [`GenError::TooLarge`] beyond [`MAX_NODES`].
///
/// # Example
/// ```
/// let net = chainrule::core::generate::mlp(&[2, 3, 1], chainrule::core::generate::Activation::Tanh, 1).unwrap();
/// assert_eq!(net["output"], "loss");
/// assert_eq!(net["nodes"].as_array().unwrap().len(), 2 + 3 * 8 + 10 + 3);
/// ```
pub fn mlp(sizes: &[usize], act: Activation, seed: u64) -> Result<Value, GenError> {
    build_mlp(sizes, act, seed, false)
}

/// [`mlp`] with each unit's nodes (its weights, bias, products, sums and activation) in a
/// group named after the unit, so that `render --collapse` draws the network the way
/// textbooks draw one: a box per unit, one arrow per connection, with its value and gradient.
///
/// # Errors
/// As [`mlp`].
pub fn mlp_in_units(sizes: &[usize], act: Activation, seed: u64) -> Result<Value, GenError> {
    build_mlp(sizes, act, seed, true)
}

fn build_mlp(
    sizes: &[usize],
    act: Activation,
    seed: u64,
    grouped: bool,
) -> Result<Value, GenError> {
    if sizes.len() < 2 {
        return Err(GenError::TooFewSizes(sizes.len()));
    }
    if let Some(i) = sizes.iter().position(|&s| s == 0) {
        return Err(GenError::ZeroSize { position: i + 1 });
    }
    mlp_node_count(sizes)
        .filter(|&n| n <= MAX_NODES)
        .ok_or(GenError::TooLarge)?;

    let mut rng = SplitMix64(seed);
    let mut nodes = Vec::new();
    let mut previous: Vec<String> = (0..sizes[0]).map(|i| format!("x{i}")).collect();
    for id in &previous {
        nodes.push(json!({"id": id, "input": rng.uniform(1.0)}));
    }
    for (l, &units) in sizes.iter().enumerate().skip(1) {
        let fan_in = previous.len();
        let scale = 1.0 / (fan_in as f64).sqrt();
        let last = l + 1 == sizes.len();
        let mut outputs = Vec::with_capacity(units);
        for j in 0..units {
            let unit = format!("l{l}n{j}");
            let first = nodes.len();
            let bias = format!("{unit}b");
            nodes.push(json!({"id": bias, "input": rng.uniform(scale)}));
            for i in 0..fan_in {
                nodes.push(json!({"id": format!("{unit}w{i}"), "input": rng.uniform(scale)}));
            }
            for (i, x) in previous.iter().enumerate() {
                nodes.push(op(
                    &format!("{unit}m{i}"),
                    "mul",
                    &[&format!("{unit}w{i}"), x],
                ));
            }
            let mut sum = bias;
            for i in 0..fan_in {
                let id = if last && i + 1 == fan_in {
                    unit.clone()
                } else {
                    format!("{unit}s{i}")
                };
                nodes.push(op(&id, "add", &[&sum, &format!("{unit}m{i}")]));
                sum = id;
            }
            if !last {
                nodes.push(op(&unit, act.op(), &[&sum]));
            }
            if grouped {
                for node in &mut nodes[first..] {
                    node["group"] = json!(unit);
                }
            }
            outputs.push(unit);
        }
        previous = outputs;
    }
    let m = previous.len();
    let square_id = |j: usize| {
        if m == 1 {
            "loss".to_string()
        } else {
            format!("e{j}")
        }
    };
    for (j, y) in previous.iter().enumerate() {
        nodes.push(json!({"id": format!("t{j}"), "const": rng.uniform(1.0)}));
        nodes.push(op(&format!("d{j}"), "sub", &[y, &format!("t{j}")]));
        let mut square = op(&square_id(j), "pow", &[&format!("d{j}")]);
        square["p"] = json!(2);
        nodes.push(square);
    }
    let mut sum = square_id(0);
    for j in 1..m {
        let id = if j + 1 == m {
            "loss".to_string()
        } else {
            format!("loss{j}")
        };
        nodes.push(op(&id, "add", &[&sum, &square_id(j)]));
        sum = id;
    }
    let shown: Vec<String> = sizes.iter().map(usize::to_string).collect();
    Ok(json!({
        "title": format!("MLP {}, {}, seed {seed}", shown.join("-"), act.op()),
        "description": "Generated by chainrule gen mlp: each unit act(b + Σ wᵢxᵢ) from mul and \
            add nodes, the last layer linear, loss Σ (y − t)² against the targets t.",
        "nodes": nodes,
        "output": "loss",
    }))
}

/// How many nodes [`mlp`] makes for `sizes` (valid ones), or `None` if it overflows.
fn mlp_node_count(sizes: &[usize]) -> Option<usize> {
    let mut count = sizes[0];
    for (l, pair) in sizes.windows(2).enumerate() {
        let last = l + 2 == sizes.len();
        let per_unit = pair[0]
            .checked_mul(3)?
            .checked_add(if last { 1 } else { 2 })?;
        count = count.checked_add(pair[1].checked_mul(per_unit)?)?;
    }
    count.checked_add(sizes[sizes.len() - 1].checked_mul(4)? - 1)
}

/// A chain of `n` ops from one input `x`, alternately a multiplication by a constant 1.5
/// (`mul1`, `c1`; `mul3`, `c3`; …) and a `tanh` (`tanh2`, `tanh4`, …): `1 + n + ⌈n/2⌉`
/// nodes, as deep as a graph of that size can be. The last op is the output.
///
/// # Errors
/// [`GenError::EmptyChain`] for `n = 0`, [`GenError::TooLarge`] beyond [`MAX_NODES`].
///
/// # Example
/// ```
/// let chain = chainrule::core::generate::chain(3).unwrap();
/// assert_eq!(chain["nodes"].as_array().unwrap().len(), 1 + 3 + 2);
/// ```
pub fn chain(n: usize) -> Result<Value, GenError> {
    if n == 0 {
        return Err(GenError::EmptyChain);
    }
    if n > MAX_NODES / 2 {
        return Err(GenError::TooLarge);
    }
    let mut nodes = vec![json!({"id": "x", "input": 0.5})];
    let mut previous = "x".to_string();
    for i in 1..=n {
        let id = if i % 2 == 1 {
            let c = format!("c{i}");
            nodes.push(json!({"id": c, "const": 1.5}));
            let id = format!("mul{i}");
            nodes.push(op(&id, "mul", &[&previous, &c]));
            id
        } else {
            let id = format!("tanh{i}");
            nodes.push(op(&id, "tanh", &[&previous]));
            id
        };
        previous = id;
    }
    Ok(json!({
        "title": format!("A chain of {n} ops"),
        "description": "Generated by chainrule gen chain: alternately × 1.5 and tanh.",
        "nodes": nodes,
    }))
}

/// A scenario as text: the top-level fields one per line and each node on a line of its own,
/// as the shipped scenarios are written, ending with a newline.
pub fn to_text(scenario: &Value) -> String {
    let Value::Object(fields) = scenario else {
        return format!("{scenario:#}\n");
    };
    let mut out = String::from("{\n");
    for (k, (key, value)) in fields.iter().enumerate() {
        let _ = write!(out, "  {}: ", Value::from(key.as_str()));
        match (key.as_str(), value) {
            ("nodes", Value::Array(nodes)) if !nodes.is_empty() => {
                out.push_str("[\n");
                for (i, node) in nodes.iter().enumerate() {
                    let comma = if i + 1 < nodes.len() { "," } else { "" };
                    let _ = writeln!(out, "    {}{comma}", inline(node));
                }
                out.push_str("  ]");
            }
            _ => out.push_str(&inline(value)),
        }
        out.push_str(if k + 1 < fields.len() { ",\n" } else { "\n" });
    }
    out.push_str("}\n");
    out
}

/// A value on one line, with a space after each `:` and `,`.
fn inline(value: &Value) -> String {
    match value {
        Value::Array(items) => {
            let items: Vec<String> = items.iter().map(inline).collect();
            format!("[{}]", items.join(", "))
        }
        Value::Object(fields) => {
            let fields: Vec<String> = fields
                .iter()
                .map(|(k, v)| format!("{}: {}", Value::from(k.as_str()), inline(v)))
                .collect();
            format!("{{{}}}", fields.join(", "))
        }
        scalar => scalar.to_string(),
    }
}

/// An op node.
fn op(id: &str, name: &str, args: &[&str]) -> Value {
    json!({"id": id, "op": name, "args": args})
}

/// splitmix64 (Steele, Lea and Flood 2014): tiny, fast and good enough for weights.
struct SplitMix64(u64);

impl SplitMix64 {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// Uniform in [−scale, scale], rounded to 4 decimals (and never −0).
    fn uniform(&mut self, scale: f64) -> f64 {
        let unit = (self.next() >> 11) as f64 / (1u64 << 53) as f64;
        ((unit * 2.0 - 1.0) * scale * 1e4).round() / 1e4 + 0.0
    }
}
