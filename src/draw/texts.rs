//! The words and numbers a figure shows, from the model and its trace: each node's name or
//! symbol, each edge's value (above) and gradient (below), as numbers, as math, or both.
//! Numbers go through the one formatter; tensors are shown by their shape, as the text's
//! Affine figures do.

use crate::core::engine::Trace;
use crate::core::model::{Kind, Model};
use crate::core::scenario::Annotate;
use crate::core::tensor::{shape_text, Tensor};
use crate::text::format;
use crate::text::math::Math;
use crate::text::symbolic;

/// Every text of a scenario's figures.
#[derive(Debug, Clone, PartialEq)]
pub struct Texts {
    /// Per node, then the output's label: the name at an input's arrow, or an op's symbol.
    pub nodes: Vec<String>,
    /// Per edge, then the output's edge: the value written above the arrow.
    pub above: Vec<String>,
    /// Per edge, then the output's edge: the gradient written under the backward arrow.
    pub below: Vec<String>,
    /// Per edge, then the output's edge: the value as math to typeset, where it is math.
    pub above_tex: Vec<Option<Markup>>,
    /// Per edge, then the output's edge: the gradient as math to typeset, where it is math.
    pub below_tex: Vec<Option<Markup>>,
}

/// A label to typeset rather than write as plain text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Markup {
    /// TeX math, as generated from a [`Math`].
    Tex(String),
    /// A hand-written label: plain text with TeX math between `$…$`.
    Mixed(String),
}

impl Texts {
    /// Leaves every edge unlabelled (no value above, no gradient under) if there are more
    /// than `up_to` edges; returns whether the edges keep their labels.
    pub fn limit_edge_labels(&mut self, up_to: usize) -> bool {
        if self.above.len() <= up_to {
            return true;
        }
        for text in self.above.iter_mut().chain(&mut self.below) {
            text.clear();
        }
        for tex in self.above_tex.iter_mut().chain(&mut self.below_tex) {
            *tex = None;
        }
        false
    }

    /// The texts of `model` evaluated as `trace`, as numbers with `precision` significant
    /// digits; hand-written labels from the scenario replace generated ones.
    pub fn new(model: &Model, trace: &Trace, precision: usize) -> Texts {
        Texts::annotated(model, trace, precision, Annotate::Numeric)
    }

    /// The texts of `model` evaluated as `trace`, labels as `annotate` asks.
    pub fn annotated(model: &Model, trace: &Trace, precision: usize, annotate: Annotate) -> Texts {
        let mut texts = Texts::numeric(model, trace, precision);
        let edges = texts.above.len();
        texts.above_tex = vec![None; edges];
        texts.below_tex = vec![None; edges];
        if annotate != Annotate::Numeric {
            let symbols = symbolic::derive(model, Some(trace));
            let grads = trace
                .edge_grads
                .iter()
                .chain([&trace.grads[model.output.index()]]);
            for (e, (math, grad)) in symbols.edges.iter().zip(grads).enumerate() {
                let number = std::mem::take(&mut texts.below[e]);
                let (text, tex) = match annotate {
                    Annotate::Both => (
                        format!("{} = {number}", math.plain()),
                        format!("{} = {}", math.tex(), tex_text(&number)),
                    ),
                    _ if grad.ndim() > 0 => (
                        format!("{} {number}", math.plain()),
                        format!("{} \\; {}", math.tex(), tex_text(&number)),
                    ),
                    _ => (math.plain(), math.tex()),
                };
                texts.below[e] = text;
                texts.below_tex[e] = Some(Markup::Tex(tex));
            }
            if annotate == Annotate::Symbolic {
                let graph = &model.graph;
                let sources = graph
                    .raw_edges()
                    .iter()
                    .map(|e| e.source())
                    .chain([model.output]);
                for (e, source) in sources.enumerate() {
                    if texts.above[e].is_empty() {
                        continue;
                    }
                    let carried = model
                        .edge_names
                        .get(e)
                        .and_then(Option::as_deref)
                        .map(Math::parse_name);
                    let name: &Math = carried.as_ref().unwrap_or(&symbols.names[source.index()]);
                    let value = trace.edge_value(e, source);
                    if name.plain() == texts.nodes[graph_end(model, e)] {
                        // The name is already written at the arrow's tail (or head): keep
                        // only the shape of a tensor.
                        if value.ndim() == 0 {
                            texts.above[e] = String::new();
                        }
                        continue;
                    }
                    let (text, tex) = if value.ndim() > 0 {
                        (
                            format!("{} {}", name.plain(), texts.above[e]),
                            format!("{} \\; {}", name.tex(), tex_text(&texts.above[e])),
                        )
                    } else {
                        (name.plain(), name.tex())
                    };
                    texts.above[e] = text;
                    texts.above_tex[e] = Some(Markup::Tex(tex));
                }
            }
        }
        for (edge, forward, backward) in &model.labels {
            if let Some(f) = forward {
                texts.above[edge.index()] = f.replace('$', "");
                texts.above_tex[edge.index()] = f.contains('$').then(|| Markup::Mixed(f.clone()));
            }
            if let Some(b) = backward {
                texts.below[edge.index()] = b.replace('$', "");
                texts.below_tex[edge.index()] = b.contains('$').then(|| Markup::Mixed(b.clone()));
            }
        }
        texts
    }

    fn numeric(model: &Model, trace: &Trace, precision: usize) -> Texts {
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
            .enumerate()
            .map(|(i, e)| {
                let source = &graph[e.source()];
                match &source.kind {
                    Kind::Const(v) if source.label.is_none() && v.ndim() == 0 => String::new(),
                    _ => show(trace.edge_value(i, e.source())),
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
            above_tex: Vec::new(),
            below_tex: Vec::new(),
        }
    }
}

/// The node whose name is written at an end of edge `e`: the source of a model edge (an
/// input's name at its tail), or the output's label for the output's edge.
fn graph_end(model: &Model, e: usize) -> usize {
    model
        .graph
        .raw_edges()
        .get(e)
        .map_or(model.graph.node_count(), |edge| edge.source().index())
}

/// Plain text (a number, a shape) inside TeX math.
fn tex_text(text: &str) -> String {
    format!("\\mathrm{{{}}}", text.replace('−', "-").replace(' ', "\\ "))
}
