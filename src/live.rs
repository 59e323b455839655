//! What a live page (the playground) needs beside a figure's SVG, all from the one drawing
//! that SVG comes from: where each node and edge is, to click on; the backward pass's frames
//! with their sentences, on that layout; and the blanks of a quiz, each edge's gradient with
//! the local derivative as a hint. [`crate::FigureBuilder::live`] makes a [`Live`].

use std::collections::BTreeSet;

use petgraph::graph::NodeIndex;
use petgraph::visit::{Dfs, Reversed};

use crate::core::model::Model;
use crate::core::scenario::Pass;
use crate::draw::scene::{Scene, Show};
use crate::draw::sequence::sequence;
use crate::draw::{Drawing, Figure};
use crate::export::svg;
use crate::layout::diagram::Side;
use crate::layout::geometry::{Point, Rect};
use crate::text::format;
use crate::text::steps::Lang;
use crate::text::symbolic;

/// How near a typed gradient must be to the true one to count: within this fraction of the
/// gradient's size, or of 1 for gradients smaller than 1 (so `0.1966` passes for 0.196612,
/// `-4` for −4.0000001, and `0.2` fails for 0.196612).
pub const QUIZ_TOLERANCE: f64 = 1e-3;

/// Whether `answer` is `gradient` within [`QUIZ_TOLERANCE`].
pub fn close_enough(answer: f64, gradient: f64) -> bool {
    answer.is_finite() && (answer - gradient).abs() <= QUIZ_TOLERANCE * gradient.abs().max(1.0)
}

/// `node` and every node after it (`downward`) or before it.
fn reach(model: &Model, node: NodeIndex, downward: bool) -> BTreeSet<NodeIndex> {
    let mut found = BTreeSet::new();
    if downward {
        let mut walk = Dfs::new(&model.graph, node);
        while let Some(n) = walk.next(&model.graph) {
            found.insert(n);
        }
    } else {
        let up = Reversed(&model.graph);
        let mut walk = Dfs::new(up, node);
        while let Some(n) = walk.next(up) {
            found.insert(n);
        }
    }
    found
}

/// The nodes on some path through `node`: its ancestors, itself and its descendants.
pub fn paths_through_node(model: &Model, node: NodeIndex) -> BTreeSet<NodeIndex> {
    let mut on = reach(model, node, false);
    on.extend(reach(model, node, true));
    on
}

/// The nodes on some path through edge `e`: its source and the source's ancestors, its
/// target and the target's descendants. The output's edge to its label, past the model's
/// edges, runs through the output.
pub fn paths_through_edge(model: &Model, e: usize) -> BTreeSet<NodeIndex> {
    match model.graph.raw_edges().get(e) {
        Some(edge) => {
            let mut on = reach(model, edge.source(), false);
            on.extend(reach(model, edge.target(), true));
            on
        }
        None => reach(model, model.output, false),
    }
}

/// Where a node is drawn.
#[derive(Debug, Clone, PartialEq)]
pub struct NodePlace {
    /// The node's id.
    pub id: String,
    /// The box it covers.
    pub rect: Rect,
}

/// Where an edge is drawn: its forward arrow, and its labels where the figure writes them.
#[derive(Debug, Clone, PartialEq)]
pub struct EdgePlace {
    /// The edge's index (the output's edge to its label is the last).
    pub edge: usize,
    /// The points its forward arrow passes through.
    pub route: Vec<Point>,
    /// The boxes of its labels in the figure.
    pub labels: Vec<Rect>,
}

/// One frame of the backward pass.
#[derive(Debug, Clone, PartialEq)]
pub struct Frame {
    /// The frame as SVG.
    pub svg: String,
    /// What happens in it, in one sentence (as the frames' captions say it).
    pub sentence: String,
}

/// One blank of a quiz: an edge whose gradient the student types.
#[derive(Debug, Clone, PartialEq)]
pub struct Blank {
    /// The edge's index.
    pub edge: usize,
    /// Where its gradient is written in the full figure.
    pub rect: Rect,
    /// The gradient it carries.
    pub gradient: f64,
    /// The gradient as the figure writes it.
    pub written: String,
    /// The local derivative, as a hint: what it is, and its value where it is one number.
    pub hint: String,
}

/// A figure drawn for a live page: its SVG, its places, its frames and its quiz.
#[derive(Debug)]
pub struct Live {
    drawing: Drawing,
    figure: Figure,
    scene: Scene,
    precision: usize,
}

impl Live {
    /// `figure` of `drawing`, its numbers written to `precision` significant digits.
    pub(crate) fn new(drawing: Drawing, figure: Figure, precision: usize) -> Live {
        let scene = drawing.scene(&figure);
        Live {
            drawing,
            figure,
            scene,
            precision,
        }
    }

    /// The figure as SVG: what [`crate::FigureBuilder::svg`] returns.
    pub fn svg(&self) -> String {
        svg::write(&self.scene)
    }

    /// The drawing the figure comes from.
    pub fn drawing(&self) -> &Drawing {
        &self.drawing
    }

    /// Where each node is drawn (the output's label not counted), by node index.
    pub fn nodes(&self) -> Vec<NodePlace> {
        let model = &self.drawing.model;
        model
            .graph
            .node_indices()
            .map(|n| NodePlace {
                id: model.graph[n].id.clone(),
                rect: self.drawing.diagram.node(n).rect(),
            })
            .collect()
    }

    /// Where each edge is drawn, by edge index, the output's edge to its label last.
    pub fn edges(&self) -> Vec<EdgePlace> {
        let scene = &self.scene;
        let mut places: Vec<EdgePlace> = self
            .drawing
            .diagram
            .routes
            .iter()
            .enumerate()
            .map(|(edge, route)| EdgePlace {
                edge,
                route: route.clone(),
                labels: Vec::new(),
            })
            .collect();
        for (&text, &(e, _)) in &scene.edge_labels {
            if let Some(place) = places.get_mut(e) {
                place.labels.push(scene.texts[text].rect);
            }
        }
        places
    }

    /// The frames of the backward pass on this figure's layout, each with its sentence: what
    /// `chainrule frames --pass backward` draws for the same labels.
    pub fn frames(&self, lang: Lang) -> Vec<Frame> {
        sequence(&self.drawing, Pass::Backward, self.precision, lang)
            .into_iter()
            .map(|show| Frame {
                sentence: show.caption.join(" "),
                svg: svg::write(&self.drawing.draw(&show)),
            })
            .collect()
    }

    /// The quiz's blanks: every gradient of the figure written as one number, but the seed
    /// at the output (given, as the book gives it), in edge order.
    pub fn blanks(&self) -> Vec<Blank> {
        let drawing = &self.drawing;
        let model = &drawing.model;
        let trace = &drawing.trace;
        let scene = &self.scene;
        let shown = drawing.gradient_edges(&self.figure);
        let symbols = symbolic::derive(model, Some(trace));
        let edge_count = model.graph.edge_count();
        let mut blanks = Vec::new();
        for (&text, &(e, side)) in &scene.edge_labels {
            if side != Side::Below || e >= edge_count || !shown.contains(&e) {
                continue;
            }
            let grad = &trace.edge_grads[e];
            let Some(&gradient) = (grad.len() == 1).then(|| grad.iter().next()).flatten() else {
                continue;
            };
            let sent = trace
                .steps
                .iter()
                .find_map(|step| step.sends.iter().find(|s| s.edge.index() == e));
            let local = sent
                .and_then(|s| s.local.as_ref())
                .filter(|l| l.len() == 1)
                .and_then(|l| l.iter().next().copied());
            let math = symbols.edges[e].plain();
            let hint = match local {
                Some(local) => format!(
                    "this edge carries {math}; the local derivative here is {}",
                    format::number(local, self.precision)
                ),
                None => format!("this edge carries {math}"),
            };
            blanks.push(Blank {
                edge: e,
                rect: scene.texts[text].rect,
                gradient,
                written: drawing.texts.below[e].clone(),
                hint,
            });
        }
        blanks.sort_by_key(|b| b.edge);
        blanks
    }

    /// The figure with the gradients of the blanks not in `answered` left out.
    pub fn quiz_svg(&self, answered: &BTreeSet<usize>) -> String {
        let blanks: BTreeSet<usize> = self.blanks().iter().map(|b| b.edge).collect();
        let gradients: BTreeSet<usize> = self
            .drawing
            .gradient_edges(&self.figure)
            .into_iter()
            .filter(|e| !blanks.contains(e) || answered.contains(e))
            .collect();
        let show = Show {
            sums: self.drawing.sums(&gradients),
            gradients,
            ..Show::default()
        };
        svg::write(&self.drawing.draw(&show))
    }
}
