//! The validated graph: a petgraph [`DiGraph`] whose nodes are the scenario's nodes, in file
//! order (so a node's index is its position in the file), and whose edges run from an argument
//! to the node that uses it, weighted by the argument's slot. A value used twice has two edges.

use std::collections::BTreeMap;

use petgraph::algo::{tarjan_scc, toposort};
use petgraph::graph::{DiGraph, EdgeIndex, NodeIndex};
use petgraph::visit::EdgeRef;
use petgraph::Direction;

use crate::error::{NodeProblem, ScenarioError};
use crate::ops::{self, Operator, Params, Shape};
use crate::scenario::{
    Annotate, FigureSpec, FramesSpec, GroupSpec, NodeSpec, Scenario, SymbolicSpec,
};
use crate::tensor::{self, Tensor};

/// What a node is.
#[derive(Debug, Clone)]
pub enum Kind {
    /// A variable: its gradient is reported and drawn. `None` for a variable without a value
    /// (`"input": null`), in a scenario drawn only with symbols.
    Input(Option<Tensor>),
    /// A fixed value: its gradient is computed but not drawn by default.
    Const(Tensor),
    /// An operator applied to the node's arguments.
    Op(Box<dyn Operator>),
}

/// One node of the model.
#[derive(Debug, Clone)]
pub struct Node {
    /// The id from the file.
    pub id: String,
    /// The display name from the file, if any.
    pub label: Option<String>,
    /// The symbol drawn in an operator node, if the file overrides the op's own.
    pub symbol: Option<String>,
    /// The mathematical name of the node's value, if the file gives one.
    pub math_name: Option<String>,
    /// The group (layer) the node belongs to, if any.
    pub group: Option<String>,
    /// The op's parameters as written (`p`, `axis`).
    pub params: Params,
    /// Input, const or op.
    pub kind: Kind,
}

impl Node {
    /// The label if there is one, otherwise the id.
    pub fn name(&self) -> &str {
        self.label.as_deref().unwrap_or(&self.id)
    }

    /// What is drawn inside an operator node (empty for inputs and consts).
    pub fn symbol(&self) -> String {
        match (&self.symbol, &self.kind) {
            (Some(s), _) => s.clone(),
            (None, Kind::Op(op)) => op.symbol(),
            (None, _) => String::new(),
        }
    }

    /// The operator, for op nodes.
    pub fn op(&self) -> Option<&dyn Operator> {
        match &self.kind {
            Kind::Op(op) => Some(op.as_ref()),
            _ => None,
        }
    }

    /// Whether the node is drawn as a rounded box rather than a circle.
    pub fn is_layer(&self) -> bool {
        self.op().is_some_and(|op| op.shape() == Shape::Layer)
    }

    /// The short kind name used in tables: `input`, `const` or the op's name.
    pub fn kind_name(&self) -> &str {
        match &self.kind {
            Kind::Input(_) => "input",
            Kind::Const(_) => "const",
            Kind::Op(op) => op.name(),
        }
    }
}

/// A validated scenario, ready to evaluate.
#[derive(Debug, Clone)]
pub struct Model {
    /// The title, or "" if none.
    pub title: String,
    /// The description, or "" if none.
    pub description: String,
    /// Nodes in file order; edges from argument to user, weighted by argument slot.
    pub graph: DiGraph<Node, usize>,
    /// The node whose gradient is taken.
    pub output: NodeIndex,
    /// The seed as written (resolved against the output's shape by the engine).
    pub seed: Option<serde_json::Value>,
    /// The figures the scenario asks for.
    pub figures: Vec<FigureSpec>,
    /// The scenario's defaults for frames.
    pub frames: FramesSpec,
    /// What labels show by default.
    pub annotate: Annotate,
    /// How symbolic gradients are written.
    pub symbolic: SymbolicSpec,
    /// Hand-written labels: (edge index, forward, backward).
    pub labels: Vec<(EdgeIndex, Option<String>, Option<String>)>,
    /// The groups' settings, by name.
    pub groups: BTreeMap<String, GroupSpec>,
    /// Per edge, the name of what it carries where that is not its source's name (the edges
    /// out of a folded layer with several outputs); empty when every edge carries its
    /// source's.
    pub edge_names: Vec<Option<String>>,
}

impl Model {
    /// Validates a parsed scenario and builds its graph.
    ///
    /// # Errors
    /// A [`ScenarioError`] for the first problem found, naming the node: an empty node list, a
    /// node with none or two of input/const/op, a duplicate id, a bad value, an unknown op, a
    /// wrong arg count, an unknown arg, a cycle, an unknown output.
    pub fn build(scenario: Scenario) -> Result<Model, ScenarioError> {
        if scenario.nodes.is_empty() {
            return Err(ScenarioError::NoNodes);
        }
        let mut graph = DiGraph::new();
        let mut ids: BTreeMap<String, NodeIndex> = BTreeMap::new();
        let mut args = Vec::new();
        for spec in scenario.nodes {
            let fail = |problem| ScenarioError::Node {
                id: spec.id.clone(),
                problem,
            };
            if ids.contains_key(&spec.id) {
                return Err(fail(NodeProblem::DuplicateId));
            }
            let kind = kind(&spec).map_err(fail)?;
            args.push(spec.args.unwrap_or_default());
            let index = graph.add_node(Node {
                id: spec.id.clone(),
                label: spec.label,
                symbol: spec.symbol,
                math_name: spec.name,
                group: spec.group,
                params: Params {
                    p: spec.p,
                    axis: spec.axis,
                },
                kind,
            });
            ids.insert(spec.id, index);
        }
        for (user, names) in args.iter().enumerate() {
            let user = NodeIndex::new(user);
            for (slot, name) in names.iter().enumerate() {
                let arg = *ids.get(name).ok_or_else(|| ScenarioError::Node {
                    id: graph[user].id.clone(),
                    problem: NodeProblem::UnknownArg(name.clone()),
                })?;
                graph.add_edge(arg, user, slot);
            }
        }
        if let Err(cycle) = toposort(&graph, None) {
            let mut on_cycle: Vec<NodeIndex> = tarjan_scc(&graph)
                .into_iter()
                .find(|scc| scc.contains(&cycle.node_id()))
                .unwrap_or_else(|| vec![cycle.node_id()]);
            on_cycle.sort();
            return Err(ScenarioError::Cycle(
                on_cycle.iter().map(|&n| graph[n].id.clone()).collect(),
            ));
        }
        let mut labels = Vec::new();
        for spec in &scenario.labels {
            let edge = match (ids.get(&spec.from), ids.get(&spec.to)) {
                (Some(&from), Some(&to)) => graph.find_edge(from, to),
                _ => None,
            };
            let edge = edge.ok_or_else(|| {
                ScenarioError::Setting(format!(
                    "\"labels\": there is no edge from \"{}\" to \"{}\"",
                    spec.from, spec.to
                ))
            })?;
            labels.push((edge, spec.forward.clone(), spec.backward.clone()));
        }
        let output = match &scenario.output {
            Some(id) => *ids
                .get(id)
                .ok_or_else(|| ScenarioError::UnknownOutput(id.clone()))?,
            None => NodeIndex::new(graph.node_count() - 1),
        };
        Ok(Model {
            title: scenario.title.unwrap_or_default(),
            description: scenario.description.unwrap_or_default(),
            graph,
            output,
            seed: scenario.seed,
            figures: scenario.figures,
            frames: scenario.frames.unwrap_or_default(),
            annotate: scenario.annotate.unwrap_or_default(),
            symbolic: scenario.symbolic.unwrap_or_default(),
            labels,
            groups: scenario.groups,
            edge_names: Vec::new(),
        })
    }

    /// The edges into `node`, in argument order.
    pub fn in_edges(&self, node: NodeIndex) -> Vec<(EdgeIndex, NodeIndex)> {
        let mut edges: Vec<_> = self
            .graph
            .edges_directed(node, Direction::Incoming)
            .map(|e| (*e.weight(), e.id(), e.source()))
            .collect();
        edges.sort();
        edges.into_iter().map(|(_, e, n)| (e, n)).collect()
    }

    /// The first node that keeps the scenario from having numbers (an input without a value
    /// or an operator without a numeric rule), if any.
    pub fn symbolic_only(&self) -> Option<&Node> {
        self.graph.node_weights().find(|node| match &node.kind {
            Kind::Input(None) => true,
            Kind::Op(op) => op.name() == "fn",
            _ => false,
        })
    }

    /// Looks a node up by id.
    pub fn find(&self, id: &str) -> Option<NodeIndex> {
        self.graph.node_indices().find(|&n| self.graph[n].id == id)
    }
}

/// The node's kind from its spec, checking that exactly one of input/const/op is given and
/// that op-only fields appear only on ops.
fn kind(spec: &NodeSpec) -> Result<Kind, NodeProblem> {
    let given: Vec<&str> = [
        ("\"input\"", spec.input.is_some()),
        ("\"const\"", spec.constant.is_some()),
        ("\"op\"", spec.op.is_some()),
    ]
    .into_iter()
    .filter_map(|(name, there)| there.then_some(name))
    .collect();
    let value = |v: &serde_json::Value| match v {
        serde_json::Value::Null => Err(NodeProblem::Value("a value is required, got null".into())),
        v => tensor::from_json(v).map_err(NodeProblem::Value),
    };
    match (&spec.input, &spec.constant, &spec.op) {
        (Some(v), None, None) | (None, Some(v), None) => {
            for (field, there) in [
                ("args", spec.args.is_some()),
                ("p", spec.p.is_some()),
                ("axis", spec.axis.is_some()),
            ] {
                if there {
                    return Err(NodeProblem::NotAnOp(field));
                }
            }
            if spec.input.is_some() && v.is_null() {
                return Ok(Kind::Input(None));
            }
            let t = value(v)?;
            Ok(if spec.input.is_some() {
                Kind::Input(Some(t))
            } else {
                Kind::Const(t)
            })
        }
        (None, None, Some(name)) => {
            let op = ops::lookup(
                name,
                Params {
                    p: spec.p,
                    axis: spec.axis,
                },
            )
            .map_err(NodeProblem::Op)?;
            let got = spec.args.as_ref().map_or(0, Vec::len);
            if !op.arity().accepts(got) {
                return Err(NodeProblem::ArgCount {
                    op: name.clone(),
                    expected: op.arity(),
                    got,
                });
            }
            Ok(Kind::Op(op))
        }
        _ if given.is_empty() => Err(NodeProblem::Kind("none".to_string())),
        _ => Err(NodeProblem::Kind(given.join(" and "))),
    }
}
