//! Forward and backward passes over a [`Model`], as the text does them by hand: values in
//! topological order, then, from the seed at the output, each node multiplies the gradient
//! arriving from above by its local derivative and sends the product to each of its inputs;
//! a value used twice adds up both contributions. The engine knows nothing about drawing.
//!
//! [`evaluate`] records everything a figure shows: the values, the gradients, what each edge
//! carries and the steps; [`accumulations`] names the nodes whose gradient is such a sum.
//! [`numbers`] computes only the values and gradients, on plain `f64` when every value is a
//! single number (`engine/scalar.rs`), bit for bit the same as [`evaluate`].

mod accumulation;
mod not_finite;
mod scalar;

use petgraph::graph::{EdgeIndex, NodeIndex};
use petgraph::Direction;
use thiserror::Error;

use crate::core::limits::MAX_EVAL_ELEMENTS;
use crate::core::model::{Kind, Model};
use crate::core::tensor::{self, shape_text, Tensor};
use crate::error::{NodeProblem, NumericError, ScenarioError};
pub use accumulation::{accumulations, Accumulation};
use not_finite::{numeric, numeric_call, numeric_value};

/// Why a model could not be evaluated.
#[derive(Debug, Error, Clone, PartialEq)]
pub enum EvalError {
    /// The shapes don't fit an op, or the seed doesn't fit the output: bad input.
    #[error(transparent)]
    Invalid(ScenarioError),
    /// A value or gradient became NaN or infinite.
    #[error(transparent)]
    Numeric(NumericError),
}

/// Everything one evaluation computed, indexed by the model's node and edge indices.
#[derive(Debug, Clone)]
pub struct Trace {
    /// Each node's forward value.
    pub(crate) values: Vec<Tensor>,
    /// Each node's gradient: d(Σ seed ⊙ output)/d(node), zero for nodes the output doesn't use.
    pub(crate) grads: Vec<Tensor>,
    /// The gradient each edge carries back to its argument (one contribution of a value used
    /// more than once).
    pub(crate) edge_grads: Vec<Tensor>,
    /// The nodes in the order the forward pass computes them.
    pub(crate) forward: Vec<NodeIndex>,
    /// The backward pass as it runs: the seed, then one step per operator node.
    pub(crate) steps: Vec<Step>,
    /// What each edge carries forward, where that is not its source's value (the edges out
    /// of a folded layer with several outputs); `None` when every edge carries its source's.
    pub(crate) edge_values: Option<Vec<Tensor>>,
}

impl Trace {
    /// Each node's forward value, by node index.
    pub fn values(&self) -> &[Tensor] {
        &self.values
    }

    /// Each node's gradient, by node index: d(Σ seed ⊙ output)/d(node).
    pub fn grads(&self) -> &[Tensor] {
        &self.grads
    }

    /// The gradient each edge carries back to its argument, by edge index.
    pub fn edge_grads(&self) -> &[Tensor] {
        &self.edge_grads
    }

    /// The backward pass as it runs: the seed, then one step per operator node.
    pub fn steps(&self) -> &[Step] {
        &self.steps
    }

    /// The value carried forward along edge `e` from `source`.
    pub fn edge_value(&self, e: usize, source: NodeIndex) -> &Tensor {
        self.edge_values
            .as_ref()
            .and_then(|v| v.get(e))
            .unwrap_or(&self.values[source.index()])
    }
}

/// One step of the backward pass.
#[derive(Debug, Clone)]
pub struct Step {
    /// The node acting in this step (for the seed step, the output).
    pub node: NodeIndex,
    /// The gradient that arrived at the node (for the seed step, the seed).
    pub upstream: Tensor,
    /// What it sends to each of its arguments, in argument order (empty for the seed step).
    pub sends: Vec<Send>,
}

impl Step {
    /// Whether this is the first step, which only places the seed at the output.
    pub fn is_seed(&self) -> bool {
        self.sends.is_empty()
    }
}

/// A gradient sent along one edge in a step.
#[derive(Debug, Clone)]
pub struct Send {
    /// The edge it travels along (backwards).
    pub edge: EdgeIndex,
    /// The argument it reaches.
    pub to: NodeIndex,
    /// The local derivative it was multiplied by, for elementwise ops.
    pub local: Option<Tensor>,
    /// The gradient sent.
    pub grad: Tensor,
}

/// Runs the forward and the backward pass.
///
/// # Errors
/// [`EvalError::Invalid`] when an op's argument shapes don't fit or the seed doesn't fit the
/// output; [`EvalError::Numeric`] naming the first node whose value or gradient is not finite.
pub fn evaluate(model: &Model) -> Result<Trace, EvalError> {
    if let Some(node) = model.symbolic_only() {
        let why = match &node.kind {
            Kind::Op(_) => format!(
                "node \"{}\" is a generic function with no numeric rule",
                node.id
            ),
            _ => format!("input \"{}\" has no value (\"input\": null)", node.id),
        };
        return Err(EvalError::Invalid(ScenarioError::NoNumbers(why)));
    }
    let graph = &model.graph;
    let n = graph.node_count();
    let arguments = model.arguments();
    let forward = model.topological_order();
    let mut values = vec![Tensor::zeros(ndarray::IxDyn(&[])); n];
    let mut held = 0;
    for &node in &forward {
        let value = match &graph[node].kind {
            Kind::Input(Some(v)) | Kind::Const(v) => Tensor::clone(v),
            Kind::Input(None) => {
                let why = format!("input \"{}\" has no value", graph[node].id);
                return Err(EvalError::Invalid(ScenarioError::NoNumbers(why)));
            }
            Kind::Op(op) => {
                let args: Vec<&Tensor> = arguments
                    .of(node)
                    .iter()
                    .map(|&(_, a)| &values[a.index()])
                    .collect();
                op.forward(&args).map_err(|message| {
                    EvalError::Invalid(ScenarioError::Node {
                        id: graph[node].id.clone(),
                        problem: NodeProblem::Shapes(message),
                    })
                })?
            }
        };
        if !tensor::is_finite(&value) {
            return Err(match &graph[node].kind {
                Kind::Op(_) => {
                    let args: Vec<&Tensor> = arguments
                        .of(node)
                        .iter()
                        .map(|&(_, a)| &values[a.index()])
                        .collect();
                    numeric_value(model, node, &args, &value)
                }
                _ => numeric(model, node, "value"),
            });
        }
        // The value, and the gradient each edge out of it will carry back.
        held += value.len() * (1 + graph.edges_directed(node, Direction::Outgoing).count());
        if held > MAX_EVAL_ELEMENTS {
            return Err(EvalError::Invalid(ScenarioError::TooManyNumbers {
                node: graph[node].id.clone(),
                held,
            }));
        }
        values[node.index()] = value;
    }

    let seed = resolve_seed(model, &values[model.output.index()]).map_err(EvalError::Invalid)?;
    let mut grads: Vec<Tensor> = values.iter().map(|v| Tensor::zeros(v.raw_dim())).collect();
    let mut edge_grads: Vec<Tensor> = graph
        .raw_edges()
        .iter()
        .map(|e| Tensor::zeros(values[e.source().index()].raw_dim()))
        .collect();
    grads[model.output.index()] = seed.clone();
    let mut steps = vec![Step {
        node: model.output,
        upstream: seed,
        sends: Vec::new(),
    }];
    for node in model.backward_order() {
        let Kind::Op(op) = &graph[node].kind else {
            continue;
        };
        let upstream = grads[node.index()].clone();
        let edges = arguments.of(node);
        let args: Vec<&Tensor> = edges.iter().map(|&(_, a)| &values[a.index()]).collect();
        let out = &values[node.index()];
        let sent = op.backward(&args, out, &upstream);
        let mut sends = Vec::with_capacity(edges.len());
        for (i, ((edge, to), grad)) in edges.iter().zip(sent).enumerate() {
            grads[to.index()] = &grads[to.index()] + &grad;
            edge_grads[edge.index()] = grad.clone();
            sends.push(Send {
                edge: *edge,
                to: *to,
                local: op.local(&args, out, i),
                grad,
            });
        }
        for &(_, to) in edges {
            if !tensor::is_finite(&grads[to.index()]) {
                return Err(numeric(model, to, "gradient"));
            }
        }
        steps.push(Step {
            node,
            upstream,
            sends,
        });
    }
    Ok(Trace {
        values,
        grads,
        edge_grads,
        forward,
        steps,
        edge_values: None,
    })
}

/// Every node's value and gradient, without what edges carry or the steps: what
/// `chainrule eval` prints. See [`numbers`].
#[derive(Debug, Clone, PartialEq)]
pub enum Numbers {
    /// Every value is a single number: values and gradients by node index.
    Scalars {
        /// Each node's forward value.
        values: Vec<f64>,
        /// Each node's gradient.
        grads: Vec<f64>,
    },
    /// Values and gradients as tensors, by node index.
    Tensors {
        /// Each node's forward value.
        values: Vec<Tensor>,
        /// Each node's gradient.
        grads: Vec<Tensor>,
    },
}

/// One node's value or gradient.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Number<'a> {
    /// A single number.
    Scalar(f64),
    /// A tensor (perhaps of rank 0).
    Tensor(&'a Tensor),
}

/// Each node's value and gradient by node index, as a [`Trace`] or [`Numbers`] holds them:
/// what a report reads.
pub trait Evaluated {
    /// The value of node `n`.
    fn value(&self, n: usize) -> Number<'_>;
    /// The gradient of node `n`.
    fn grad(&self, n: usize) -> Number<'_>;
}

impl Evaluated for Trace {
    fn value(&self, n: usize) -> Number<'_> {
        Number::Tensor(&self.values[n])
    }
    fn grad(&self, n: usize) -> Number<'_> {
        Number::Tensor(&self.grads[n])
    }
}

impl Evaluated for Numbers {
    fn value(&self, n: usize) -> Number<'_> {
        match self {
            Numbers::Scalars { values, .. } => Number::Scalar(values[n]),
            Numbers::Tensors { values, .. } => Number::Tensor(&values[n]),
        }
    }
    fn grad(&self, n: usize) -> Number<'_> {
        match self {
            Numbers::Scalars { grads, .. } => Number::Scalar(grads[n]),
            Numbers::Tensors { grads, .. } => Number::Tensor(&grads[n]),
        }
    }
}

/// Runs the forward and the backward pass for the values and gradients only: on plain `f64`
/// when every input and constant is a single number and every operator is elementwise, which
/// needs no allocation per node; otherwise as [`evaluate`] does. Either way the numbers are
/// exactly those of [`evaluate`].
///
/// # Errors
/// Those of [`evaluate`], for the same node.
pub fn numbers(model: &Model) -> Result<Numbers, EvalError> {
    match scalar::Graph::new(model) {
        Some(graph) => graph.evaluate(),
        None => evaluate(model).map(|trace| Numbers::Tensors {
            values: trace.values,
            grads: trace.grads,
        }),
    }
}

/// The structure of the passes without numbers, for a scenario drawn only with symbols: the
/// forward order and the backward steps, every value and gradient NaN.
pub fn skeleton(model: &Model) -> Trace {
    let graph = &model.graph;
    let unknown = || tensor::scalar(f64::NAN);
    let arguments = model.arguments();
    let mut steps = vec![Step {
        node: model.output,
        upstream: unknown(),
        sends: Vec::new(),
    }];
    for node in model.backward_order() {
        if let Kind::Op(_) = graph[node].kind {
            let sends = arguments
                .of(node)
                .iter()
                .map(|&(edge, to)| Send {
                    edge,
                    to,
                    local: None,
                    grad: unknown(),
                })
                .collect();
            steps.push(Step {
                node,
                upstream: unknown(),
                sends,
            });
        }
    }
    Trace {
        values: vec![unknown(); graph.node_count()],
        grads: vec![unknown(); graph.node_count()],
        edge_grads: vec![unknown(); graph.edge_count()],
        forward: model.topological_order(),
        steps,
        edge_values: None,
    }
}

/// The seed as a tensor of the output's shape: a number broadcast, or an array of that shape.
fn resolve_seed(model: &Model, output: &Tensor) -> Result<Tensor, ScenarioError> {
    let Some(written) = &model.seed else {
        return Ok(Tensor::ones(output.raw_dim()));
    };
    let seed = tensor::from_json(written).map_err(|e| ScenarioError::Seed(e.to_string()))?;
    if seed.ndim() == 0 {
        Ok(Tensor::from_elem(output.raw_dim(), seed[[]]))
    } else if seed.shape() == output.shape() {
        Ok(seed)
    } else {
        Err(ScenarioError::Seed(format!(
            "has shape {} but output \"{}\" has shape {}",
            shape_text(seed.shape()),
            model.graph[model.output].id,
            shape_text(output.shape())
        )))
    }
}
