//! The words and numbers a figure shows, from the model and its trace: each node's name or
//! symbol, each edge's value (above) and gradient (below). Numbers go through the one
//! formatter; tensors are shown by their shape, as the text's Affine figures do.

use crate::engine::Trace;
use crate::format;
use crate::model::{Kind, Model};
use crate::tensor::{shape_text, Tensor};

/// Every text of a scenario's figures.
#[derive(Debug, Clone, PartialEq)]
pub struct Texts {
    /// Per node, then the output's label: the name at an input's arrow, or an op's symbol.
    pub nodes: Vec<String>,
    /// Per edge, then the output's edge: the value written above the arrow.
    pub above: Vec<String>,
    /// Per edge, then the output's edge: the gradient written under the backward arrow.
    pub below: Vec<String>,
}

impl Texts {
    /// The texts of `model` evaluated as `trace`, numbers with `precision` significant digits.
    pub fn new(model: &Model, trace: &Trace, precision: usize) -> Texts {
        let graph = &model.graph;
        let show = |t: &Tensor| {
            if t.ndim() == 0 {
                format::tensor(t, precision)
            } else {
                shape_text(t.shape())
            }
        };
        let mut nodes: Vec<String> = graph
            .node_indices()
            .map(|n| {
                let node = &graph[n];
                match (&node.kind, &node.label) {
                    (Kind::Op(_), _) => node.symbol(),
                    (_, Some(label)) => label.clone(),
                    (Kind::Const(v), None) if v.ndim() == 0 => show(v),
                    _ => node.id.clone(),
                }
            })
            .collect();
        nodes.push(graph[model.output].name().to_string());
        let mut above: Vec<String> = graph
            .raw_edges()
            .iter()
            .map(|e| {
                let source = &graph[e.source()];
                match &source.kind {
                    Kind::Const(v) if source.label.is_none() && v.ndim() == 0 => String::new(),
                    _ => show(&trace.values[e.source().index()]),
                }
            })
            .collect();
        above.push(show(&trace.values[model.output.index()]));
        let mut below: Vec<String> = trace.edge_grads.iter().map(show).collect();
        below.push(show(&trace.grads[model.output.index()]));
        Texts {
            nodes,
            above,
            below,
        }
    }
}
