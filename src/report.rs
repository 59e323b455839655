//! What `chainrule eval` prints: a table for people, JSON for programs, or the backward pass
//! as numbered steps.

use serde_json::{Map, Value};

use crate::engine::Trace;
use crate::format;
use crate::model::Model;
use crate::steps;
use crate::tensor::{self, shape_text};

/// A table of every node in file order: id, kind, value and gradient, numbers in the short
/// form the figures use, tensors with their shape.
pub fn table(model: &Model, trace: &Trace, precision: usize) -> String {
    let cell = |t: &tensor::Tensor| {
        let text = format::tensor(t, precision);
        if t.ndim() == 0 || text.ends_with("tensor") {
            text
        } else {
            format!("{} {text}", shape_text(t.shape()))
        }
    };
    let mut rows = vec![[
        "id".to_string(),
        "op".to_string(),
        "value".to_string(),
        "gradient".to_string(),
    ]];
    for n in model.graph.node_indices() {
        let node = &model.graph[n];
        rows.push([
            node.id.clone(),
            node.kind_name().to_string(),
            cell(&trace.values[n.index()]),
            cell(&trace.grads[n.index()]),
        ]);
    }
    let width = |c: usize| rows.iter().map(|r| r[c].chars().count()).max().unwrap_or(0);
    let widths = [width(0), width(1), width(2)];
    let mut out = String::new();
    if !model.title.is_empty() {
        out.push_str(&model.title);
        out.push('\n');
    }
    for row in &rows {
        for (c, w) in widths.iter().enumerate() {
            out.push_str(&row[c]);
            out.push_str(&" ".repeat(w - row[c].chars().count() + 2));
        }
        out.push_str(&row[3]);
        out.push('\n');
    }
    out
}

/// `{"output": ID, "values": {ID: V, ...}, "grads": {ID: G, ...}}`, full `f64` precision,
/// nodes in file order.
pub fn json(model: &Model, trace: &Trace) -> Value {
    let map = |of: &[tensor::Tensor]| {
        model
            .graph
            .node_indices()
            .map(|n| (model.graph[n].id.clone(), tensor::to_json(&of[n.index()])))
            .collect::<Map<String, Value>>()
    };
    serde_json::json!({
        "output": model.graph[model.output].id,
        "values": map(&trace.values),
        "grads": map(&trace.grads),
    })
}

/// The backward pass as numbered sentences, one per line.
pub fn steps(model: &Model, trace: &Trace, precision: usize, lang: steps::Lang) -> String {
    let name = |n: petgraph::graph::NodeIndex| model.graph[n].id.clone();
    trace
        .steps
        .iter()
        .enumerate()
        .map(|(i, step)| {
            format!(
                "step {}: {}\n",
                i + 1,
                steps::sentence(model, step, precision, &name, lang)
            )
        })
        .collect()
}
