//! Layers that fold: each group of nodes becomes one box. The folded model's values and
//! gradients are taken from the full model's trace, so the box's input edges carry the
//! group's end-to-end gradients (numbers from the engine), and its symbolic derivative is the
//! group's `derivative` label.

use std::collections::BTreeMap;

use petgraph::graph::{DiGraph, NodeIndex};
use petgraph::visit::EdgeRef;
use petgraph::Direction;

use crate::core::engine::Trace;
use crate::core::model::{Kind, Model, Node};
use crate::core::ops::{self, Arity, LocalMath, Names, OpError, Operator, Shape};
use crate::core::tensor::Tensor;
use crate::error::ScenarioError;
use crate::text::math::Math;

/// A folded group, drawn as a box with the layer's name.
#[derive(Debug, Clone)]
struct Layer {
    label: String,
    derivative: Option<Math>,
}

impl Operator for Layer {
    fn name(&self) -> &'static str {
        "layer"
    }
    fn symbol(&self) -> String {
        self.label.clone()
    }
    fn arity(&self) -> Arity {
        Arity::AtLeast(1)
    }
    fn shape(&self) -> Shape {
        Shape::Layer
    }
    fn forward(&self, _: &[&Tensor]) -> Result<Tensor, OpError> {
        Err(OpError::Folded {
            label: self.label.as_str().into(),
        })
    }
    fn local_math(&self, names: Names<'_>, i: usize) -> LocalMath {
        match &self.derivative {
            Some(d) => LocalMath::after(d.clone()),
            None => LocalMath::after(Math::partial(names.out.clone(), names.args[i].clone())),
        }
    }
}

/// Whether the model has any group to fold.
pub fn has_groups(model: &Model) -> bool {
    model.graph.node_weights().any(|n| n.group.is_some())
}

/// The model with each group folded into one node, and its trace taken from the full one.
///
/// A group whose values leave it from several nodes (softmax's y1, y2, y3) folds into one
/// box with an edge per value, each carrying its own value and gradient.
///
/// # Errors
/// [`ScenarioError::Setting`] if the output is lost in folding.
pub fn collapse(model: &Model, trace: &Trace) -> Result<(Model, Trace), ScenarioError> {
    let graph = &model.graph;
    let group_of = |n: NodeIndex| graph[n].group.clone();
    // The members whose values leave each group; the box takes the place of the last one
    // (the output's, if the output is in the group).
    let mut outputs: BTreeMap<String, NodeIndex> = BTreeMap::new();
    for n in graph.node_indices() {
        let Some(g) = group_of(n) else { continue };
        let leaves = n == model.output
            || graph
                .neighbors_directed(n, Direction::Outgoing)
                .any(|u| group_of(u).as_ref() != Some(&g));
        let keep = outputs.get(&g).is_some_and(|&o| o == model.output);
        if leaves && !keep {
            outputs.insert(g.clone(), n);
        }
    }

    // New nodes in file order; a group takes the place of its output member.
    let mut folded: DiGraph<Node, usize> = DiGraph::new();
    let mut new_index: Vec<Option<NodeIndex>> = vec![None; graph.node_count()];
    let mut source_of: Vec<NodeIndex> = Vec::new();
    // Each box with a derivative: its index, its group and the derivative.
    let mut derivatives: Vec<(usize, String, Math)> = Vec::new();
    for n in graph.node_indices() {
        let node = &graph[n];
        match &node.group {
            None => {
                new_index[n.index()] = Some(folded.add_node(node.clone()));
                source_of.push(n);
            }
            Some(g) if outputs.get(g) == Some(&n) => {
                let spec = model.groups.get(g).cloned().unwrap_or_default();
                let layer = Layer {
                    label: spec.label.clone().unwrap_or_else(|| g.clone()),
                    derivative: spec.derivative.as_deref().map(Math::parse_name),
                };
                if let Some(derivative) = &layer.derivative {
                    derivatives.push((folded.node_count(), g.clone(), derivative.clone()));
                }
                // The box stands for the group's output: the same name after it.
                let index = folded.add_node(Node {
                    id: g.clone(),
                    label: Some(node.label.clone().unwrap_or_else(|| node.id.clone())),
                    symbol: None,
                    math_name: node.math_name.clone(),
                    group: None,
                    params: ops::Params::default(),
                    kind: Kind::Op(Box::new(layer)),
                });
                new_index[n.index()] = Some(index);
                source_of.push(n);
            }
            Some(_) => {}
        }
    }
    for n in graph.node_indices() {
        if let Some(g) = &graph[n].group {
            new_index[n.index()] = outputs.get(g).and_then(|&o| new_index[o.index()]);
        }
    }

    let mut edge_grads = Vec::new();
    let mut edge_values = Vec::new();
    let mut edge_names = Vec::new();
    let mut slots: BTreeMap<NodeIndex, usize> = BTreeMap::new();
    let mut edges: Vec<_> = graph.edge_references().collect();
    edges.sort_by_key(|e| (e.target(), *e.weight()));
    for e in edges {
        let (Some(from), Some(to)) = (new_index[e.source().index()], new_index[e.target().index()])
        else {
            continue;
        };
        if from == to {
            continue;
        }
        let slot = slots.entry(to).or_insert(0);
        folded.add_edge(from, to, *slot);
        *slot += 1;
        edge_grads.push(trace.edge_grads[e.id().index()].clone());
        edge_values.push(trace.values[e.source().index()].clone());
        let source = &graph[e.source()];
        edge_names.push(source.group.as_ref().map(|_| {
            source
                .math_name
                .clone()
                .or_else(|| source.label.clone())
                .unwrap_or_else(|| source.id.clone())
        }));
    }

    let output = new_index[model.output.index()]
        .ok_or_else(|| ScenarioError::Setting("the output is lost in folding".to_string()))?;
    let folded_model = Model {
        title: model.title.clone(),
        description: model.description.clone(),
        graph: folded,
        output,
        seed: model.seed.clone(),
        figures: Vec::new(),
        frames: model.frames,
        annotate: model.annotate,
        layout: model.layout,
        symbolic: model.symbolic.clone(),
        tensor_values: model.tensor_values,
        labels: Vec::new(),
        groups: BTreeMap::new(),
        edge_names,
        places: None,
    };
    let pick = |of: &[Tensor]| {
        source_of
            .iter()
            .map(|n| of[n.index()].clone())
            .collect::<Vec<_>>()
    };
    let folded_trace = Trace {
        values: pick(&trace.values),
        grads: pick(&trace.grads),
        edge_grads,
        forward: folded_model.topological_order(),
        steps: Vec::new(),
        edge_values: Some(edge_values),
    };
    check_derivatives(model, trace, &folded_model, &folded_trace, &derivatives)?;
    Ok((folded_model, folded_trace))
}

/// Checks each folded box's `derivative` against the numbers: on every input edge that
/// carries a number, the gradient there over the gradient at the box is the box's local
/// derivative, and the derivative written for it, evaluated with the nodes' values, must be
/// that number. A derivative that names something without a value, or a box or edge with a
/// tensor or no gradient, is not checked.
///
/// # Errors
/// [`ScenarioError::Setting`] naming the group, its derivative, what it comes to and what
/// the gradients say.
fn check_derivatives(
    model: &Model,
    trace: &Trace,
    folded: &Model,
    folded_trace: &Trace,
    derivatives: &[(usize, String, Math)],
) -> Result<(), ScenarioError> {
    let scalar = |t: &Tensor| (t.ndim() == 0).then(|| t.first().copied()).flatten();
    let value = |name: &str| {
        model.graph.node_indices().find_map(|n| {
            let node = &model.graph[n];
            let named = [
                node.math_name.as_deref(),
                node.label.as_deref(),
                Some(&node.id),
            ]
            .contains(&Some(name));
            named.then(|| scalar(&trace.values[n.index()])).flatten()
        })
    };
    for (n, group, derivative) in derivatives {
        let n = NodeIndex::new(*n);
        let Some(out) = scalar(&folded_trace.grads[n.index()]).filter(|g| *g != 0.0) else {
            continue;
        };
        let Some(says) = derivative.eval(&value) else {
            continue;
        };
        for e in folded.graph.edges_directed(n, Direction::Incoming) {
            if matches!(folded.graph[e.source()].kind, Kind::Const(_)) {
                continue;
            }
            let Some(arrived) = scalar(&folded_trace.edge_grads[e.id().index()]) else {
                continue;
            };
            let local = arrived / out;
            if (says - local).abs() > 1e-9 * local.abs().max(1.0) {
                return Err(ScenarioError::Setting(format!(
                    "group {}: its derivative {} comes to {} here, but the gradients through \
                     the folded box from {} give {}",
                    crate::core::limits::quote(group),
                    derivative.plain(),
                    crate::text::format::number(says, crate::text::format::DEFAULT_PRECISION),
                    crate::core::limits::quote(&folded.graph[e.source()].id),
                    crate::text::format::number(local, crate::text::format::DEFAULT_PRECISION),
                )));
            }
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::load;
    use std::path::Path;

    #[test]
    fn the_sigmoid_folds_into_one_box_with_the_same_gradient() {
        let path = Path::new("scenarios/sigmoid.json");
        let model = load::model(path).unwrap();
        let trace = load::evaluate(path, &model).unwrap();
        let (folded, t) = collapse(&model, &trace).unwrap();
        assert_eq!(folded.graph.node_count(), 2, "x and the sigmoid box");
        let x = folded.find("x").unwrap();
        let y = trace.values[model.output.index()][[]];
        assert!((t.grads[x.index()][[]] - y * (1.0 - y)).abs() < 1e-12);
        assert_eq!(t.edge_grads.len(), 1);
        assert_eq!(
            t.edge_grads[0],
            trace.grads[model.find("x").unwrap().index()]
        );
        assert_eq!(folded.graph[folded.output].symbol(), "sigmoid");
    }

    /// The sigmoid's y(1−y) agrees with its numbers; y(1+y) does not, and is refused naming
    /// the group and both numbers; a derivative naming no node's value is not checked.
    #[test]
    fn a_derivative_is_checked_against_the_numbers() {
        let text = std::fs::read_to_string("scenarios/sigmoid.json").unwrap();
        let fold = |derivative: &str| {
            let changed = text.replace("y(1−y)", derivative);
            let path = Path::new("sigmoid.json");
            let model = load::parse(path, &changed).unwrap();
            let trace = load::evaluate(path, &model).unwrap();
            collapse(&model, &trace).map(drop)
        };
        assert!(fold("y(1−y)").is_ok());
        assert!(fold("q(1−q)").is_ok(), "q has no value: not checked");
        let err = fold("y(1+y)").unwrap_err().to_string();
        for part in ["group \"sigmoid\"", "y(1 + y)", "1.266", "0.1966"] {
            assert!(err.contains(part), "{err}");
        }
    }
}
