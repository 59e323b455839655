//! A frame sequence: the passes stepped through node by node on the one layout of a
//! drawing. The forward pass computes the values node by node; the backward pass sends the
//! gradients back from the seed, node by node, in the engine's order (the same order and
//! sentences as `eval --steps`). Each frame is a [`Show`] (what is drawn, what just appeared,
//! which node acts) with a caption wrapped to the figure's width. Captions name the nodes
//! as the figure shows them: an operator by the symbol in its circle (`the × node`), with the
//! name of its value where the figure shows that name (the output's label; every value's name
//! in a figure drawn with symbols), an input by its name, a constant by its value.

use std::collections::BTreeSet;

use petgraph::graph::NodeIndex;
use petgraph::Direction;

use super::fonts::Fonts;
use super::scene::{Show, CAPTION_LEADING};
use super::{Drawing, Figure};
use crate::core::engine::Trace;
use crate::core::model::{Kind, Model};
use crate::core::scenario::{Annotate, Pass, View};
use crate::core::tensor;
use crate::text::format;
use crate::text::steps::{self, Called, Lang};
use crate::text::symbolic;

/// The frames of `pass` through `drawing`, captions wrapped to the figure's width.
pub fn sequence(drawing: &Drawing, pass: Pass, precision: usize, lang: Lang) -> Vec<Show> {
    let mut frames = match pass {
        Pass::Forward => forward(drawing, precision, lang),
        Pass::Backward => backward(drawing, precision, lang),
        Pass::Both => {
            let mut both = forward(drawing, precision, lang);
            both.extend(backward(drawing, precision, lang).into_iter().skip(1));
            both
        }
    };
    let width = drawing.diagram.width - 2.0 * drawing.diagram.spacing.margin;
    let size = drawing.style.font_size;
    for frame in &mut frames {
        frame.caption = wrap(&frame.caption.concat(), width, |s| {
            Fonts::shared().measure(s, size, false).width
        });
    }
    let lines = frames.iter().map(|f| f.caption.len()).max().unwrap_or(0);
    let band = if lines == 0 {
        0.0
    } else {
        size * CAPTION_LEADING * lines as f64 + size * 0.8
    };
    for frame in &mut frames {
        frame.caption_band = band;
    }
    frames
}

/// The frame after step `k` of the backward pass, exactly as [`sequence`] makes it for
/// [`Pass::Backward`] (caption and caption band included); `None` past the last step.
pub fn after_step(drawing: &Drawing, k: usize, precision: usize, lang: Lang) -> Option<Show> {
    let mut frames = sequence(drawing, Pass::Backward, precision, lang);
    (k < frames.len()).then(|| frames.swap_remove(k))
}

/// How many frames [`sequence`] makes of `pass`: the inputs, then one per operator
/// forward; the output's value, then one per step backward; both share the output's frame.
pub fn frame_count(model: &Model, trace: &Trace, pass: Pass) -> usize {
    let forward = || {
        let ops = trace.forward.iter();
        1 + ops
            .filter(|&&n| matches!(model.graph[n].kind, Kind::Op(_)))
            .count()
    };
    let backward = || 1 + trace.steps.len();
    match pass {
        Pass::Forward => forward(),
        Pass::Backward => backward(),
        Pass::Both => forward() + backward() - 1,
    }
}

/// The name drawn at the output's arrow.
fn output_name(drawing: &Drawing) -> &str {
    drawing.texts.nodes.last().map_or("", String::as_str)
}

/// How a caption of a figure drawn with numbers names a node: by its text in the figure, an
/// operator with the output's label if it is the output.
fn called(drawing: &Drawing) -> impl Fn(NodeIndex) -> Called + '_ {
    |n| {
        let output = (n == drawing.model.output).then(|| output_name(drawing).to_string());
        let word = drawing.texts.nodes[n.index()].clone();
        steps::called(&drawing.model, n, word, output)
    }
}

/// How a caption of a figure drawn with symbols names a node: by the name of its value, an
/// operator by its symbol and that name.
fn called_symbolically<'a>(
    drawing: &'a Drawing,
    symbols: &'a symbolic::Symbols,
) -> impl Fn(NodeIndex) -> Called + 'a {
    |n| {
        let name = symbols.names[n.index()].plain();
        steps::called(&drawing.model, n, name.clone(), Some(name))
    }
}

/// The output edges of `node` (the edge to the output's label included).
fn out_edges(drawing: &Drawing, node: NodeIndex) -> BTreeSet<usize> {
    let graph = &drawing.model.graph;
    let mut edges: BTreeSet<usize> = graph
        .edges_directed(node, Direction::Outgoing)
        .map(|e| petgraph::visit::EdgeRef::id(&e).index())
        .collect();
    if node == drawing.model.output {
        edges.insert(graph.edge_count());
    }
    edges
}

fn forward(drawing: &Drawing, precision: usize, lang: Lang) -> Vec<Show> {
    let model = &drawing.model;
    let graph = &model.graph;
    let name = called(drawing);
    let sources: Vec<NodeIndex> = graph
        .node_indices()
        .filter(|&n| !matches!(graph[n].kind, Kind::Op(_)))
        .collect();
    let mut values: BTreeSet<usize> = sources
        .iter()
        .flat_map(|&n| out_edges(drawing, n))
        .collect();
    let symbols = (drawing.annotate == Annotate::Symbolic)
        .then(|| symbolic::derive(model, Some(&drawing.trace)));
    let given: Vec<String> = sources
        .iter()
        .filter(|&&n| !(matches!(graph[n].kind, Kind::Const(_)) && graph[n].label.is_none()))
        .map(|&n| {
            let value = format::tensor(&drawing.trace.values[n.index()], precision);
            match &symbols {
                Some(symbols) => symbols.names[n.index()].plain(),
                None => format!("{} = {value}", drawing.texts.nodes[n.index()]),
            }
        })
        .collect();
    let mut frames = vec![Show {
        values: Some(values.clone()),
        caption: vec![lang.inputs(&given)],
        ..Show::default()
    }];
    for &node in &drawing.trace.forward {
        if !matches!(graph[node].kind, Kind::Op(_)) {
            continue;
        }
        let fresh = out_edges(drawing, node);
        values.extend(&fresh);
        frames.push(Show {
            values: Some(values.clone()),
            fresh,
            active: Some(node.index()),
            caption: vec![match &symbols {
                Some(symbols) => symbolic_forward_sentence(drawing, symbols, node, lang),
                None => steps::forward_sentence(
                    model,
                    &drawing.trace.values,
                    node,
                    precision,
                    &name,
                    lang,
                ),
            }],
            ..Show::default()
        });
    }
    frames
}

fn backward(drawing: &Drawing, precision: usize, lang: Lang) -> Vec<Show> {
    let model = &drawing.model;
    let name = called(drawing);
    let shown = drawing.gradient_edges(&Figure {
        file_stem: String::new(),
        view: View::Backward,
        highlight: None,
        annotate: None,
        style: None,
        collapse: false,
        step: None,
    });
    let output = model.output;
    let symbols = (drawing.annotate == Annotate::Symbolic)
        .then(|| symbolic::derive(model, Some(&drawing.trace)));
    let value = &drawing.trace.values[output.index()];
    let value = match &symbols {
        // No numbers (inputs known only by their names): what the output computes, f(x).
        Some(symbols) if !tensor::is_finite(value) => {
            steps::applied(model, output, &|a| operand(model, symbols, output, a))
        }
        _ => format::tensor(value, precision),
    };
    let mut frames = vec![Show {
        caption: vec![lang.forward_done(output_name(drawing), &value)],
        ..Show::default()
    }];
    let sums = steps::sums_by_step(model, &drawing.trace);
    let mut sent = BTreeSet::new();
    let mut summed = BTreeSet::new();
    for (step, sums) in drawing.trace.steps.iter().zip(&sums) {
        let (sentence, collected): (String, Vec<String>) = match &symbols {
            Some(symbols) => (
                symbolic_sentence(drawing, symbols, step, lang),
                sums.iter()
                    .filter_map(|sum| {
                        let math = symbols.sums[sum.node.index()].as_ref()?;
                        let node = called_symbolically(drawing, symbols)(sum.node);
                        Some(lang.collects(&lang.called(&node), &math.plain()))
                    })
                    .collect(),
            ),
            None => (
                steps::sentence(step, precision, &name, lang),
                sums.iter()
                    .map(|sum| steps::collects(&drawing.trace, sum, precision, &name, lang))
                    .collect(),
            ),
        };
        let fresh: BTreeSet<usize> = if step.is_seed() {
            BTreeSet::from([model.graph.edge_count()])
        } else {
            step.sends.iter().map(|s| s.edge.index()).collect()
        };
        sent.extend(&fresh);
        let gradients: BTreeSet<usize> = sent.intersection(&shown).copied().collect();
        let sums = drawing.sums(&gradients);
        let fresh_sums = sums.difference(&summed).copied().collect();
        summed.clone_from(&sums);
        frames.push(Show {
            gradients,
            fresh: fresh.intersection(&shown).copied().collect(),
            sums,
            fresh_sums,
            active: (!step.is_seed()).then_some(step.node.index()),
            caption: vec![lang.and_collects(sentence, &collected)],
            ..Show::default()
        });
    }
    frames
}

/// A forward step in symbols: `the × node computes x × y = z`.
fn symbolic_forward_sentence(
    drawing: &Drawing,
    symbols: &symbolic::Symbols,
    node: NodeIndex,
    lang: Lang,
) -> String {
    let model = &drawing.model;
    let expression = steps::applied(model, node, &|a| operand(model, symbols, node, a));
    let name = symbols.names[node.index()].plain();
    let doer = steps::called(model, node, name.clone(), None);
    lang.computes(&lang.called(&doer), &expression, &name)
}

/// The name of `arg` as an operand of `node` in a sentence: in parentheses where `node`'s
/// operator is written between its operands and binds tighter than a sum, `(x + y) × z`.
fn operand(model: &Model, symbols: &symbolic::Symbols, node: NodeIndex, arg: NodeIndex) -> String {
    let name = &symbols.names[arg.index()];
    match model.graph[node].kind_name() {
        "sub" | "mul" | "div" => name.plain_atom(),
        _ => name.plain(),
    }
}

/// A backward step in symbols: `the / node (y) got ∂L/∂y from above; sends −∂L/∂y · y² to
/// the + node (1 + exp(−x))`.
fn symbolic_sentence(
    drawing: &Drawing,
    symbols: &symbolic::Symbols,
    step: &crate::core::engine::Step,
    lang: Lang,
) -> String {
    let node = &drawing.model.graph[step.node];
    let up = symbols.arrived[step.node.index()]
        .as_ref()
        .map_or_else(String::new, crate::text::math::Math::plain);
    if step.is_seed() {
        return lang.seed(node.name(), &up);
    }
    let said = |n| lang.called(&called_symbolically(drawing, symbols)(n));
    let sends: Vec<String> = step
        .sends
        .iter()
        .map(|s| lang.send(&symbols.edges[s.edge.index()].plain(), &said(s.to)))
        .collect();
    lang.step(&said(step.node), &up, &sends)
}

/// Signs that keep their neighbours on their line: an equation (`1.1 × 2 = 2.2`) is not
/// broken.
const BINDING_SIGNS: [&str; 7] = ["=", "×", "+", "−", "·", "/", "→"];

/// Breaks `text` into lines no wider than `width`, at spaces, but not at a space beside one
/// of the [`BINDING_SIGNS`] or inside brackets (a tensor, `[1, 0, 1]`) unless what they
/// hold together is wider than a line.
fn wrap(text: &str, width: f64, measure: impl Fn(&str) -> f64) -> Vec<String> {
    let mut chunks: Vec<String> = Vec::new();
    let (mut glue, mut depth) = (false, 0_i32);
    for word in text.split(' ') {
        let sign = BINDING_SIGNS.contains(&word);
        match chunks.last_mut() {
            Some(last) if glue || sign || depth > 0 => {
                last.push(' ');
                last.push_str(word);
            }
            _ => chunks.push(word.to_string()),
        }
        glue = sign;
        for c in word.chars() {
            match c {
                '[' | '(' => depth += 1,
                ']' | ')' => depth -= 1,
                _ => {}
            }
        }
        depth = depth.max(0);
    }
    let words = chunks.into_iter().flat_map(|chunk| {
        if measure(&chunk) > width {
            chunk.split(' ').map(str::to_string).collect()
        } else {
            vec![chunk]
        }
    });
    let mut lines: Vec<String> = Vec::new();
    let mut line = String::new();
    for word in words {
        let candidate = if line.is_empty() {
            word.to_string()
        } else {
            format!("{line} {word}")
        };
        if !line.is_empty() && measure(&candidate) > width {
            lines.push(std::mem::replace(&mut line, word));
        } else {
            line = candidate;
        }
    }
    if !line.is_empty() {
        lines.push(line);
    }
    lines
}

#[cfg(test)]
mod tests {
    use std::path::PathBuf;

    use super::*;
    use crate::core::load;
    use crate::draw::DrawOptions;

    #[test]
    fn wraps_at_spaces_within_the_width() {
        let measure = |s: &str| s.chars().count() as f64;
        assert_eq!(wrap("aa bb cc dd", 5.0, measure), vec!["aa bb", "cc dd"]);
        assert_eq!(
            wrap("toolongword x", 5.0, measure),
            vec!["toolongword", "x"]
        );
        assert_eq!(wrap("", 5.0, measure), Vec::<String>::new());
        assert_eq!(
            wrap("got 1.1 × 1 = 1.1 and more", 13.0, measure),
            vec!["got", "1.1 × 1 = 1.1", "and more"]
        );
        assert_eq!(
            wrap("sends [1, 1] × [1, 0] to x", 16.0, measure),
            vec!["sends", "[1, 1] × [1, 0]", "to x"]
        );
        // Held together it would not fit: broken at its spaces after all.
        assert_eq!(
            wrap("sends [1, 1] × [1, 0] to x", 10.0, measure),
            vec!["sends [1,", "1] × [1,", "0] to x"]
        );
    }

    /// The count checked before the layout is the number of frames made after it.
    #[test]
    fn frame_count_is_the_sequence_length() {
        for name in ["apple_orange", "sigmoid", "affine", "softmax_with_loss"] {
            let path = PathBuf::from(format!("scenarios/{name}.json"));
            let model = load::model(&path).unwrap();
            let (trace, _) = load::trace_or_skeleton(&path, &model, None).unwrap();
            let counts: Vec<usize> = [Pass::Forward, Pass::Backward, Pass::Both]
                .iter()
                .map(|&pass| frame_count(&model, &trace, pass))
                .collect();
            let drawing = Drawing::with_options(
                model,
                trace,
                &DrawOptions {
                    annotate: Some(Annotate::Numeric),
                    ..DrawOptions::default()
                },
            );
            for (pass, count) in [Pass::Forward, Pass::Backward, Pass::Both]
                .into_iter()
                .zip(counts)
            {
                let made = sequence(&drawing, pass, 4, Lang::En).len();
                assert_eq!(count, made, "{name}, {pass:?}");
            }
        }
    }
}
