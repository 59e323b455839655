//! The words and numbers a figure shows, from the model and its trace: each node's name or
//! symbol, each edge's value (above) and gradient (below), as numbers, as math, or both.
//! Numbers go through the one formatter; a small tensor is shown by its values
//! (`[[1, 2], [3, 4]]`), a larger one by its shape, as the text's Affine figures do (the
//! scenario's `tensor_values` sets where one ends and the other begins). A value used more than once has its gradient written at the node as
//! the sum of what arrives: `4 + 1 = 5`, `y + 1`, `y + 1 = 5`.

use crate::core::engine::Trace;
use crate::core::model::{Kind, Model};
use crate::core::scenario::Annotate;
use crate::core::tensor::{shape_text, Tensor};
use crate::text::format;
use crate::text::math::Math;
use crate::text::steps;
use crate::text::symbolic;

/// The most terms a sum at a node is written with (`4 + 1 = 5`); one of more terms, or of
/// more than [`MAX_SUM_CHARS`] characters, or of a tensor larger than
/// [`format::MAX_SHOWN_ELEMENTS`], is written as its total alone: `Σ = 5`, and as math the
/// total's name, ∂L/∂x. The terms are on the node's edges anyway.
pub const MAX_SUM_TERMS: usize = 4;

/// The most characters of a sum written out at a node (see [`MAX_SUM_TERMS`]).
pub const MAX_SUM_CHARS: usize = 40;

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
    /// Per node (the output's label has none): where the node's value is used more than once,
    /// its gradient as the sum of what arrives, written under the node in the gradients'
    /// style; empty for the others.
    pub sums: Vec<String>,
    /// Per node: the sum as math to typeset, where it is math.
    pub sums_tex: Vec<Option<Markup>>,
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
    /// Leaves every edge unlabelled (no value above, no gradient under, no sum at a node)
    /// if there are more than `up_to` edges; returns whether the edges keep their labels.
    pub fn limit_edge_labels(&mut self, up_to: usize) -> bool {
        if self.above.len() <= up_to {
            return true;
        }
        for text in self
            .above
            .iter_mut()
            .chain(&mut self.below)
            .chain(&mut self.sums)
        {
            text.clear();
        }
        for tex in self
            .above_tex
            .iter_mut()
            .chain(&mut self.below_tex)
            .chain(&mut self.sums_tex)
        {
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
            (texts.sums, texts.sums_tex) = sum_texts(model, trace, precision, annotate, &symbols);
            let grads = trace
                .edge_grads
                .iter()
                .chain([&trace.grads[model.output.index()]]);
            for (e, (math, grad)) in symbols.edges.iter().zip(grads).enumerate() {
                let number = std::mem::take(&mut texts.below[e]);
                let (text, tex) = with_number(math, grad, &number, annotate, model.tensor_values);
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
                        texts.above[e] = if value.ndim() == 0 {
                            String::new()
                        } else {
                            shape_text(value.shape())
                        };
                        continue;
                    }
                    let (text, tex) = if value.ndim() > 0 {
                        let shape = shape_text(value.shape());
                        (
                            format!("{} {shape}", name.plain()),
                            format!("{} \\; {}", name.tex(), tex_text(&shape)),
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
        let show = |t: &Tensor| shown(t, precision, model.tensor_values);
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
        let mut sums = vec![String::new(); graph.node_count()];
        for sum in steps::sums(model, trace) {
            let n = sum.node.index();
            let terms: Vec<&Tensor> = sum
                .edges
                .iter()
                .map(|e| &trace.edge_grads[e.index()])
                .collect();
            let total = &trace.grads[n];
            let written = format::sum(&terms, total, precision);
            let small = terms
                .iter()
                .chain([&total])
                .all(|t| t.len() <= model.tensor_values.min(format::MAX_SHOWN_ELEMENTS));
            sums[n] = if small && fits(terms.len(), &written) {
                written
            } else if total.ndim() == 0 || total.len() <= model.tensor_values {
                format!("Σ = {}", show(total))
            } else {
                // A shape beside the sum, never "equal" to it.
                format!("Σ {}", show(total))
            };
        }
        Texts {
            nodes,
            above,
            below,
            above_tex: Vec::new(),
            below_tex: Vec::new(),
            sums_tex: vec![None; sums.len()],
            sums,
        }
    }
}

/// Whether a sum of `terms` terms written as `text` is short enough to write out.
fn fits(terms: usize, text: &str) -> bool {
    terms <= MAX_SUM_TERMS && text.chars().count() <= MAX_SUM_CHARS
}

/// The sums at the nodes as math ([`Texts::sums`], [`Texts::sums_tex`]), as `annotate`
/// (symbolic or both) asks: `y + 1`, `y + 1 = 5`; one too long to write out as its total's
/// name, `∂L/∂x`, `∂L/∂x = 5`. A tensor's shape follows, as on the edges.
fn sum_texts(
    model: &Model,
    trace: &Trace,
    precision: usize,
    annotate: Annotate,
    symbols: &symbolic::Symbols,
) -> (Vec<String>, Vec<Option<Markup>>) {
    let n = model.graph.node_count();
    let (mut plain, mut tex) = (vec![String::new(); n], vec![None; n]);
    for sum in steps::sums(model, trace) {
        let i = sum.node.index();
        let Some(written) = &symbols.sums[i] else {
            continue;
        };
        let name;
        let math = if fits(sum.edges.len(), &written.plain()) {
            written
        } else {
            name = symbolic::gradient_name(model, sum.node);
            &name
        };
        let total = &trace.grads[i];
        let number = shown(total, precision, model.tensor_values);
        let (text, markup) = with_number(math, total, &number, annotate, model.tensor_values);
        plain[i] = text;
        tex[i] = Some(Markup::Tex(markup));
    }
    (plain, tex)
}

/// A gradient's `math` with its value `t`, written as `number`, as `annotate` asks (plain
/// text, then TeX): the math alone (`∂L/∂z · y`); for `both`, equal to its number
/// (`∂L/∂z · y = 6.5`); a tensor's shape is never "equal" to math, but written beside it
/// (`∂L/∂Y · Wᵀ (2, 2)`), in `symbolic` as in `both`. A tensor of at most `tensor_values`
/// elements is written by its values in `both` (`∂L/∂Y · Wᵀ = [1, 2]`), by its shape in
/// `symbolic`, which shows no numbers. Math that is its number already (the 0 a max gate
/// sends its loser) is written once, not `0 = 0`.
fn with_number(
    math: &Math,
    t: &Tensor,
    number: &str,
    annotate: Annotate,
    tensor_values: usize,
) -> (String, String) {
    let (plain, tex) = (math.plain(), math.tex());
    if t.ndim() > 0 && (annotate != Annotate::Both || t.len() > tensor_values) {
        let shape = shape_text(t.shape());
        (
            format!("{plain} {shape}"),
            format!("{tex} \\; {}", tex_text(&shape)),
        )
    } else if annotate == Annotate::Both && plain != number {
        (
            format!("{plain} = {number}"),
            format!("{tex} = {}", tex_text(number)),
        )
    } else {
        (plain, tex)
    }
}

/// A value or gradient as an edge shows it: a number, a tensor of at most `tensor_values`
/// elements by its values, a larger one by its shape.
fn shown(t: &Tensor, precision: usize, tensor_values: usize) -> String {
    if t.ndim() == 0 || t.len() <= tensor_values {
        format::values(t, precision)
    } else {
        shape_text(t.shape())
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

#[cfg(test)]
mod tests {
    use std::path::Path;

    use super::*;
    use crate::core::load;

    /// The texts of a scenario given as JSON, labels as `annotate` asks.
    fn texts_of(json: serde_json::Value, annotate: Annotate) -> Texts {
        let path = Path::new("test.json");
        let model = load::parse(path, &json.to_string()).expect("parses");
        let trace = load::evaluate(path, &model).expect("evaluates");
        Texts::annotated(&model, &trace, 4, annotate)
    }

    /// A batch of two rows through `X · W`, with `tensor_values` if given.
    fn affine(tensor_values: Option<usize>) -> serde_json::Value {
        let mut json = serde_json::json!({
            "nodes": [
                {"id": "X", "input": [[1, 2], [3, 4]]},
                {"id": "W", "input": [[1, 0, 2], [0, 1, 1]]},
                {"id": "Y", "op": "matmul", "args": ["X", "W"]},
            ],
        });
        if let Some(n) = tensor_values {
            json["tensor_values"] = n.into();
        }
        json
    }

    #[test]
    fn both_writes_a_shape_beside_the_math_not_equal_to_it() {
        let json = serde_json::json!({
            "nodes": [
                {"id": "X", "input": [[1, 2], [3, 4], [5, 6]]},
                {"id": "W", "input": [[1, 0, 2], [0, 1, 1]]},
                {"id": "Y", "op": "matmul", "args": ["X", "W"]},
            ],
        });
        let texts = texts_of(json, Annotate::Both);
        for below in &texts.below {
            assert!(
                !below.contains("= ("),
                "{below:?} is an expression equal to a shape"
            );
        }
        assert!(
            texts.below[0].ends_with("Wᵀ (3, 2)"),
            "{:?}",
            texts.below[0]
        );
    }

    #[test]
    fn small_tensors_show_their_values_large_ones_their_shape() {
        let texts = texts_of(affine(None), Annotate::Numeric);
        assert_eq!(texts.above[0], "[[1, 2], [3, 4]]");
        assert_eq!(texts.above[1], "(2, 3)");
        let both = texts_of(affine(None), Annotate::Both);
        assert!(
            both.below[0].ends_with(" = [[3, 2], [3, 2]]"),
            "{:?}",
            both.below[0]
        );
        let symbolic = texts_of(affine(None), Annotate::Symbolic);
        assert!(
            symbolic.below[0].ends_with(" (2, 2)"),
            "{:?}",
            symbolic.below[0]
        );
        let shapes = texts_of(affine(Some(0)), Annotate::Numeric);
        assert_eq!(shapes.above[0], "(2, 2)");
        let more = texts_of(affine(Some(6)), Annotate::Numeric);
        assert_eq!(more.above[1], "[[1, 0, 2], [0, 1, 1]]");
    }

    /// A large tensor used twice has its sum written by shape, beside the Σ, not equal to it.
    #[test]
    fn a_large_sum_is_written_beside_its_shape() {
        let json = serde_json::json!({
            "nodes": [
                {"id": "X", "input": [[1, 2, 3], [4, 5, 6]]},
                {"id": "Y", "op": "mul", "args": ["X", "X"]},
            ],
        });
        let texts = texts_of(json, Annotate::Numeric);
        assert_eq!(texts.sums[0], "Σ (2, 3)");
    }

    /// The loser of a max gate gets 0: in `both` it reads 0, not 0 = 0; the winner's
    /// gradient is math equal to its number.
    #[test]
    fn math_that_is_a_number_is_written_once() {
        let json = serde_json::json!({
            "nodes": [
                {"id": "z", "input": 2},
                {"id": "w", "input": -1},
                {"id": "m", "op": "max", "args": ["z", "w"]},
                {"id": "f", "op": "mul", "args": ["m", "z"]},
            ],
        });
        let texts = texts_of(json, Annotate::Both);
        assert!(texts.below.iter().any(|b| b == "0"), "{:?}", texts.below);
        for below in &texts.below {
            assert!(
                below.matches(" = ").count() <= 1 && !below.starts_with("0 ="),
                "{below:?}"
            );
        }
    }

    #[test]
    fn names_are_math_labels_are_text() {
        let json = serde_json::json!({
            "nodes": [
                {"id": "w", "input": 2, "name": "w_0"},
                {"id": "a", "input": 3, "name": "\\alpha"},
                {"id": "t", "input": 1, "label": "t (one-hot)"},
                {"id": "u", "input": 1, "label": "x+y"},
                {"id": "y", "op": "add", "args": ["w", "a", "t", "u"]},
            ],
            "symbolic": {"style": "chain"},
        });
        let texts = texts_of(json, Annotate::Symbolic);
        assert_eq!(texts.above[0], "w₀");
        assert_eq!(texts.above[1], "α");
        for (e, label) in [(2, "t (one-hot)"), (3, "x+y")] {
            let Some(Markup::Tex(tex)) = &texts.below_tex[e] else {
                panic!("edge {e} has no math");
            };
            assert!(tex.contains(&format!("\\text{{{label}}}")), "{tex:?}");
        }
    }
}
