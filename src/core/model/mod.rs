//! The validated graph: a petgraph [`DiGraph`] whose nodes are the scenario's nodes, in file
//! order (so a node's index is its position in the file), and whose edges run from an argument
//! to the node that uses it, weighted by the argument's slot. A value used twice has two edges.

use std::collections::BTreeMap;
use std::sync::Arc;

use petgraph::algo::{tarjan_scc, toposort};
use petgraph::graph::{DiGraph, EdgeIndex, NodeIndex};
use petgraph::visit::EdgeRef;
use petgraph::Direction;
#[cfg(feature = "parallel")]
use rayon::prelude::*;
use rustc_hash::{FxBuildHasher, FxHashMap};

use crate::core::ops::{self, Operator, Params, Shape};
use crate::core::scenario::{
    Annotate, FigureSpec, FramesSpec, GroupSpec, Id, LayoutStyle, Literal, NodeSpec, Scenario,
    SymbolicSpec,
};
use crate::core::script::Places;
use crate::core::tensor::{self, Tensor};
use crate::error::{NodeProblem, ScenarioError};

#[cfg(feature = "parallel")]
/// Nodes per task when their arguments are looked up in parallel.
const RESOLVE_CHUNK: usize = 4096;

/// What a node is.
#[derive(Debug, Clone)]
pub enum Kind {
    /// A variable: its gradient is reported and drawn. `None` for a variable without a value
    /// (`"input": null`), in a scenario drawn only with symbols. (Boxed, as the constant's,
    /// to keep every node small: a graph may have a million.)
    Input(Option<Box<Tensor>>),
    /// A fixed value: its gradient is computed but not drawn by default.
    Const(Box<Tensor>),
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
    /// How the graph is laid out.
    pub layout: LayoutStyle,
    /// How symbolic gradients are written.
    pub symbolic: SymbolicSpec,
    /// Tensors of at most this many elements are labelled by their values, larger ones by
    /// their shape.
    pub tensor_values: usize,
    /// Hand-written labels: (edge index, forward, backward).
    pub labels: Vec<(EdgeIndex, Option<String>, Option<String>)>,
    /// The groups' settings, by name.
    pub groups: BTreeMap<String, GroupSpec>,
    /// Per edge, the name of what it carries where that is not its source's name (the edges
    /// out of a folded layer with several outputs); empty when every edge carries its
    /// source's.
    pub edge_names: Vec<Option<String>>,
    /// For a scenario in the text format, where each node was made: an error about a node
    /// found later (a shape that does not fit) names its line.
    pub(crate) places: Option<Arc<Places>>,
}

impl Model {
    /// Validates a parsed scenario and builds its graph.
    ///
    /// # Errors
    /// A [`ScenarioError`] for the first problem found, naming the node: an empty node list, a
    /// node with none or two of input/const/op, a duplicate id, a bad value, an unknown op, a
    /// wrong arg count, an unknown arg, a cycle, an unknown output.
    pub fn build(scenario: Scenario<'_>) -> Result<Model, ScenarioError> {
        if scenario.nodes.is_empty() {
            return Err(ScenarioError::NoNodes);
        }
        let mut graph = DiGraph::with_capacity(scenario.nodes.len(), 0);
        let mut args = Vec::with_capacity(scenario.nodes.len());
        let mut bad_kind = None;
        for spec in scenario.nodes {
            let kind = match kind(&spec) {
                Ok(kind) => kind,
                Err(problem) => {
                    bad_kind = Some((spec.id.into_owned(), problem));
                    break;
                }
            };
            args.push(spec.args.unwrap_or_default());
            graph.add_node(Node {
                id: spec.id.into_owned(),
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
        }
        // The first problem in file order: a duplicate id among the nodes built, else the
        // node that stopped the building (a duplicate id is reported before a bad kind).
        let mut ids: FxHashMap<&str, NodeIndex> =
            FxHashMap::with_capacity_and_hasher(graph.node_count(), FxBuildHasher);
        for (i, node) in graph.node_weights().enumerate() {
            if ids.insert(&node.id, NodeIndex::new(i)).is_some() {
                return Err(ScenarioError::Node {
                    id: node.id.clone(),
                    problem: NodeProblem::DuplicateId,
                });
            }
        }
        if let Some((id, problem)) = bad_kind {
            let problem = if ids.contains_key(id.as_str()) {
                NodeProblem::DuplicateId
            } else {
                problem
            };
            return Err(ScenarioError::Node { id, problem });
        }
        // Looking millions of ids up is waiting on memory: it is done in parallel.
        #[cfg(feature = "parallel")]
        let resolved: Vec<Result<Vec<NodeIndex>, &str>> = args
            .par_iter()
            .with_min_len(RESOLVE_CHUNK)
            .map(|names| resolve(&ids, names))
            .collect();
        #[cfg(not(feature = "parallel"))]
        let resolved: Vec<Result<Vec<NodeIndex>, &str>> =
            args.iter().map(|names| resolve(&ids, names)).collect();
        let mut edges = Vec::new();
        for (user, arguments) in resolved.into_iter().enumerate() {
            let user = NodeIndex::new(user);
            let arguments = arguments.map_err(|name| ScenarioError::Node {
                id: graph[user].id.clone(),
                problem: NodeProblem::UnknownArg(name.to_string()),
            })?;
            edges.extend(
                arguments
                    .into_iter()
                    .enumerate()
                    .map(|(slot, arg)| (arg, user, slot)),
            );
        }
        let find = |id: &str| ids.get(id).copied();
        let label_ends: Vec<_> = scenario
            .labels
            .iter()
            .map(|spec| find(&spec.from).zip(find(&spec.to)))
            .collect();
        let output = scenario
            .output
            .map(|id| find(&id).ok_or(ScenarioError::UnknownOutput(id)));
        graph.reserve_edges(edges.len());
        for (arg, user, slot) in edges {
            graph.add_edge(arg, user, slot);
        }
        if !uses_only_earlier(&graph) {
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
        }
        let mut labels = Vec::new();
        for (spec, ends) in scenario.labels.into_iter().zip(label_ends) {
            let edge = ends.and_then(|(from, to)| graph.find_edge(from, to));
            let edge = edge.ok_or_else(|| {
                ScenarioError::Setting(format!(
                    "\"labels\": there is no edge from \"{}\" to \"{}\"",
                    spec.from, spec.to
                ))
            })?;
            labels.push((edge, spec.forward, spec.backward));
        }
        let output = output.unwrap_or(Ok(NodeIndex::new(graph.node_count() - 1)))?;
        let model = Model {
            title: scenario.title.unwrap_or_default(),
            description: scenario.description.unwrap_or_default(),
            graph,
            output,
            seed: scenario.seed,
            figures: scenario.figures,
            frames: scenario.frames.unwrap_or_default(),
            annotate: scenario.annotate.unwrap_or_default(),
            layout: scenario.layout.unwrap_or_default(),
            symbolic: scenario.symbolic.unwrap_or_default(),
            tensor_values: scenario
                .tensor_values
                .unwrap_or(crate::core::scenario::DEFAULT_TENSOR_VALUES),
            labels,
            groups: scenario.groups,
            edge_names: Vec::new(),
            places: None,
        };
        model.check_figures()?;
        Ok(model)
    }

    /// Whether every node uses only nodes above it in the file, as generated scenarios do.
    /// Then the graph has no cycle, and the file's order is the topological order that
    /// [`Model::topological_order`] gives.
    pub fn uses_only_earlier(&self) -> bool {
        uses_only_earlier(&self.graph)
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

    /// Every node's in-edges in argument order, sorted once for the whole graph: the same
    /// lists as [`Model::in_edges`] gives node by node.
    pub fn arguments(&self) -> Arguments {
        let graph = &self.graph;
        let mut starts = vec![0; graph.node_count() + 1];
        for edge in graph.raw_edges() {
            starts[edge.target().index() + 1] += 1;
        }
        for n in 0..graph.node_count() {
            starts[n + 1] += starts[n];
        }
        let mut placed = starts.clone();
        let mut edges = vec![(EdgeIndex::end(), NodeIndex::end()); graph.edge_count()];
        for (e, edge) in graph.raw_edges().iter().enumerate() {
            let at = &mut placed[edge.target().index()];
            edges[*at] = (EdgeIndex::new(e), edge.source());
            *at += 1;
        }
        // Edges are added in argument order as a rule, so most lists are sorted already.
        let slot = |&(e, _): &(EdgeIndex, NodeIndex)| (graph[e], e);
        for n in 0..graph.node_count() {
            let list = &mut edges[starts[n]..starts[n + 1]];
            if !list.is_sorted_by_key(slot) {
                list.sort_unstable_by_key(slot);
            }
        }
        Arguments { starts, edges }
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

/// Every node's in-edges in argument order, each with the argument it comes from: what
/// [`Model::arguments`] computes once so that a pass over the graph needn't sort them per node.
#[derive(Debug, Clone)]
pub struct Arguments {
    /// Where each node's edges start in `edges`, and one past the last node's end.
    starts: Vec<usize>,
    /// The edges, node by node, each node's in argument order.
    edges: Vec<(EdgeIndex, NodeIndex)>,
}

impl Arguments {
    /// The edges into `node` and the arguments they come from, in argument order.
    pub fn of(&self, node: NodeIndex) -> &[(EdgeIndex, NodeIndex)] {
        &self.edges[self.starts[node.index()]..self.starts[node.index() + 1]]
    }
}

/// Whether every edge runs from a node to one further down the file.
fn uses_only_earlier(graph: &DiGraph<Node, usize>) -> bool {
    graph.raw_edges().iter().all(|e| e.source() < e.target())
}

/// The node's kind from its spec, checking that exactly one of input/const/op is given and
/// that op-only fields appear only on ops.
fn kind(spec: &NodeSpec) -> Result<Kind, NodeProblem> {
    let value = |v: &Literal| match v {
        Literal::Number(x) => Ok(tensor::scalar(*x)),
        Literal::Json(v) if v.is_null() => Err(NodeProblem::NullValue),
        Literal::Json(v) => tensor::from_json(v).map_err(NodeProblem::Value),
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
            if spec.input.is_some() && matches!(v, Literal::Json(v) if v.is_null()) {
                return Ok(Kind::Input(None));
            }
            let t = Box::new(value(v)?);
            Ok(if spec.input.is_some() {
                Kind::Input(Some(t))
            } else {
                Kind::Const(t)
            })
        }
        (None, None, Some(Id(name))) => {
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
                if let Some(usage) = op.misused() {
                    return Err(NodeProblem::Op(usage));
                }
                return Err(NodeProblem::ArgCount {
                    op: name.to_string(),
                    expected: op.arity(),
                    got,
                });
            }
            Ok(Kind::Op(op))
        }
        _ => {
            let given: Vec<&str> = [
                ("\"input\"", spec.input.is_some()),
                ("\"const\"", spec.constant.is_some()),
                ("\"op\"", spec.op.is_some()),
            ]
            .into_iter()
            .filter_map(|(name, there)| there.then_some(name))
            .collect();
            Err(NodeProblem::Kind(if given.is_empty() {
                "none".to_string()
            } else {
                given.join(" and ")
            }))
        }
    }
}

/// Looks up the nodes that `names` name: their indices, or the first name that names none.
fn resolve<'a>(
    ids: &FxHashMap<&str, NodeIndex>,
    names: &'a [Id<'_>],
) -> Result<Vec<NodeIndex>, &'a str> {
    names
        .iter()
        .map(|Id(name)| ids.get(name.as_ref()).copied().ok_or(name.as_ref()))
        .collect()
}

mod figures;
mod order;
#[cfg(test)]
mod tests;
