//! The passes over a graph whose every value is a single number, on plain `f64`: no tensor,
//! no allocation per node, the arguments sorted once. Each operator's [`Scalar`] rule is the
//! one its tensor rule applies element by element, and the passes visit the nodes and add up
//! the gradients in the same order as [`super::evaluate`], so every value and gradient is bit
//! for bit the same.

use petgraph::graph::NodeIndex;

use super::{numeric, numeric_call, resolve_seed, EvalError, Numbers};
use crate::core::model::{Arguments, Kind, Model};
use crate::core::ops::Scalar;
use crate::core::tensor;

/// What a node does, on numbers.
enum Rule<'a> {
    /// An input or a constant.
    Leaf(f64),
    /// An elementwise operator.
    Op(&'a dyn Scalar),
}

/// A model whose every value is a single number, ready for the passes on `f64`.
pub(super) struct Graph<'a> {
    model: &'a Model,
    rules: Vec<Rule<'a>>,
    arguments: Arguments,
}

impl<'a> Graph<'a> {
    /// The model's rules on numbers, or `None` when some value is not a single number: an
    /// input or constant that is a tensor of rank 1 or more, an input without a value, an
    /// operator that is not elementwise (or has no numeric rule).
    pub(super) fn new(model: &'a Model) -> Option<Graph<'a>> {
        let rules = model
            .graph
            .node_weights()
            .map(|node| match &node.kind {
                Kind::Input(Some(v)) | Kind::Const(v) if v.ndim() == 0 => {
                    v.first().map(|&x| Rule::Leaf(x))
                }
                Kind::Op(op) => op.scalar().map(Rule::Op),
                _ => None,
            })
            .collect::<Option<Vec<Rule>>>()?;
        Some(Graph {
            model,
            rules,
            arguments: model.arguments(),
        })
    }

    /// Runs the forward and the backward pass.
    ///
    /// # Errors
    /// [`EvalError::Invalid`] when the seed doesn't fit the output, [`EvalError::Numeric`]
    /// naming the first node whose value or gradient is not finite.
    pub(super) fn evaluate(&self) -> Result<Numbers, EvalError> {
        let model = self.model;
        let mut values = vec![0.0; self.rules.len()];
        let mut args = Vec::new();
        for node in model.topological_order() {
            let value = match self.rules[node.index()] {
                Rule::Leaf(x) => x,
                Rule::Op(rule) => {
                    self.gather(node, &values, &mut args);
                    let value = rule.value(&args);
                    if !value.is_finite() {
                        return Err(numeric_call(model, node, &args, value));
                    }
                    value
                }
            };
            if !value.is_finite() {
                return Err(numeric(model, node, "value"));
            }
            values[node.index()] = value;
        }

        let output = tensor::scalar(values[model.output.index()]);
        let seed = resolve_seed(model, &output).map_err(EvalError::Invalid)?;
        let mut grads = vec![0.0; self.rules.len()];
        grads[model.output.index()] = seed.first().copied().unwrap_or(f64::NAN);
        for node in model.backward_order() {
            let Rule::Op(rule) = self.rules[node.index()] else {
                continue;
            };
            let upstream = grads[node.index()];
            let out = values[node.index()];
            self.gather(node, &values, &mut args);
            let edges = self.arguments.of(node);
            for (i, &(_, to)) in edges.iter().enumerate() {
                grads[to.index()] += upstream * rule.derivative(&args, out, i);
            }
            if let Some(&(_, to)) = edges.iter().find(|(_, to)| !grads[to.index()].is_finite()) {
                return Err(numeric(model, to, "gradient"));
            }
        }
        Ok(Numbers::Scalars { values, grads })
    }

    /// The values of `node`'s arguments, in argument order, into `args`.
    fn gather(&self, node: NodeIndex, values: &[f64], args: &mut Vec<f64>) {
        args.clear();
        args.extend(
            self.arguments
                .of(node)
                .iter()
                .map(|&(_, a)| values[a.index()]),
        );
    }
}
