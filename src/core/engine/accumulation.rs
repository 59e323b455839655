//! Where gradients add up: a node whose value is used more than once gets a contribution
//! along each edge out of it, and its gradient is their sum (the engine's `+=`). This names
//! those nodes, the edges their contributions arrive along and the step in which the last
//! one arrives, for the texts that show the sum.

use petgraph::graph::{EdgeIndex, NodeIndex};
use petgraph::visit::EdgeRef;
use petgraph::Direction;

use super::Trace;
use crate::core::model::Model;

/// A node whose gradient is the sum of several contributions.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Accumulation {
    /// The node.
    pub node: NodeIndex,
    /// The edges out of it along which a contribution arrives, in the order of the uses in
    /// the file (by edge index): at least two.
    pub edges: Vec<EdgeIndex>,
    /// The index in [`Trace::steps`] of the step in which the last contribution arrives;
    /// `None` when the trace has no steps (a folded model's).
    pub step: Option<usize>,
}

/// Every node of `model` whose value is used more than once by nodes the output depends on,
/// in node order. Its gradient in `trace` is the sum of what its [`Accumulation::edges`]
/// carry back (`trace.edge_grads`). A folded layer whose edges carry different values
/// (softmax's y1, y2 and y3, see [`Model::edge_names`]) is not one value used several times,
/// and is left out.
///
/// Linear in the size of the graph.
pub fn accumulations(model: &Model, trace: &Trace) -> Vec<Accumulation> {
    let graph = &model.graph;
    let mut needed = vec![false; graph.node_count()];
    for node in model.backward_order() {
        needed[node.index()] = true;
    }
    let mut sent_in = vec![None; graph.edge_count()];
    for (k, step) in trace.steps.iter().enumerate() {
        for send in &step.sends {
            sent_in[send.edge.index()] = Some(k);
        }
    }
    graph
        .node_indices()
        .filter_map(|node| {
            let mut edges: Vec<EdgeIndex> = graph
                .edges_directed(node, Direction::Outgoing)
                .filter(|e| needed[e.target().index()])
                .map(|e| e.id())
                .collect();
            let carried = |e: &EdgeIndex| model.edge_names.get(e.index()).and_then(Option::as_ref);
            if edges.len() < 2 || edges.iter().any(|e| carried(e) != carried(&edges[0])) {
                return None;
            }
            edges.sort_unstable();
            let step = edges
                .iter()
                .map(|e| sent_in[e.index()])
                .collect::<Option<Vec<usize>>>()
                .and_then(|steps| steps.into_iter().max());
            Some(Accumulation { node, edges, step })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use std::path::Path;

    use super::*;
    use crate::core::load;

    fn model(text: &str) -> (Model, Trace) {
        let model = load::parse(Path::new("t.json"), text).unwrap();
        let trace = load::evaluate(Path::new("t.json"), &model).unwrap();
        (model, trace)
    }

    #[test]
    fn x_in_x_times_y_plus_x_collects_two_contributions() {
        let (model, trace) = model(
            r#"{"nodes": [{"id": "x", "input": 3}, {"id": "y", "input": 4},
               {"id": "xy", "op": "mul", "args": ["x", "y"]},
               {"id": "f", "op": "add", "args": ["xy", "x"]}]}"#,
        );
        let found = accumulations(&model, &trace);
        assert_eq!(found.len(), 1);
        let x = &found[0];
        assert_eq!(x.node, model.find("x").unwrap());
        // The uses in file order: x·y first, then + x.
        let parts: Vec<f64> = x
            .edges
            .iter()
            .map(|e| trace.edge_grads[e.index()][[]])
            .collect();
        assert_eq!(parts, [4.0, 1.0]);
        assert_eq!(parts.iter().sum::<f64>(), trace.grads[x.node.index()][[]]);
        // Step 0 is the seed at f, step 1 is + (sends 1 to x), step 2 is × (sends 4).
        assert_eq!(x.step, Some(2));
    }

    #[test]
    fn a_value_used_twice_by_one_op_and_unused_edges() {
        let (model, trace) = model(
            r#"{"nodes": [{"id": "x", "input": 3},
               {"id": "sq", "op": "mul", "args": ["x", "x"]},
               {"id": "unused", "op": "exp", "args": ["x"]}],
               "output": "sq"}"#,
        );
        let found = accumulations(&model, &trace);
        assert_eq!(
            found.len(),
            1,
            "the edge to a node the output ignores is no use"
        );
        assert_eq!(found[0].edges.len(), 2);
        let sum: f64 = found[0]
            .edges
            .iter()
            .map(|e| trace.edge_grads[e.index()][[]])
            .sum();
        assert_eq!(sum, 6.0);
        assert_eq!(trace.grads[0][[]], 6.0);
    }

    #[test]
    fn a_folded_layer_with_several_outputs_sums_nothing() {
        let path = Path::new("scenarios/softmax_with_loss_expanded.json");
        let model = load::model(path).unwrap();
        let trace = load::evaluate(path, &model).unwrap();
        let ids = |model: &Model, found: Vec<Accumulation>| -> Vec<String> {
            found
                .iter()
                .map(|a| model.graph[a.node].id.clone())
                .collect()
        };
        assert_eq!(
            ids(&model, accumulations(&model, &trace)),
            ["e1", "e2", "e3", "S"]
        );
        let (folded, folded_trace) = crate::core::collapse::collapse(&model, &trace).unwrap();
        assert!(accumulations(&folded, &folded_trace).is_empty());
    }

    #[test]
    fn every_shipped_sum_is_the_node_s_gradient() {
        for entry in std::fs::read_dir("scenarios").unwrap() {
            let path = entry.unwrap().path();
            let model = load::model(&path).unwrap();
            let Ok(trace) = load::evaluate(&path, &model) else {
                continue;
            };
            for acc in accumulations(&model, &trace) {
                let sum = acc
                    .edges
                    .iter()
                    .map(|e| &trace.edge_grads[e.index()])
                    .fold(trace.grads[acc.node.index()].clone() * 0.0, |s, g| s + g);
                let grad = &trace.grads[acc.node.index()];
                assert!(
                    sum.iter().zip(grad).all(|(a, b)| (a - b).abs() <= 1e-12),
                    "{}: node {}",
                    path.display(),
                    model.graph[acc.node].id
                );
                assert!(acc.step.is_some());
            }
        }
    }
}
