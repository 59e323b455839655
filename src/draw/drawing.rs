//! Drawing: from a model and its trace to figures in the textbook's style.
//!
//! [`Drawing::new`] measures every text and lays the graph out once ([`crate::layout`]); each figure
//! is then a [`super::scene::Scene`] built from that one layout, written as SVG ([`crate::export::svg`]) and
//! rasterised to PNG (`export::png`). [`super::overlap`] checks a scene for collisions.

use std::collections::BTreeSet;

use petgraph::graph::NodeIndex;

use super::fonts::Fonts;
use super::scene::{Scene, Show, Style};
use super::texts::{Markup, Texts};
use super::typeset;
use crate::core::engine::Trace;
use crate::core::model::{Kind, Model};
use crate::core::scenario::{Annotate, ChainStyle, LayoutStyle, View};
use crate::layout::diagram::{Diagram, EdgeLabels, Layering, NodeShape, Spacing};
use crate::layout::geometry::Metrics;
use crate::text::format::DEFAULT_PRECISION;

/// How many times a crowded layout is spread out, with labels in their places and then with
/// labels sliding, before the least crowded of them is kept.
const SPREAD_TRIES: usize = 6;

/// How much each spreading widens the rows and lengthens the edges.
const SPREAD: f64 = 1.25;

/// Up to this many nodes (the output's label counted) a scenario's layout is compact, if it
/// asks for one; larger graphs are laid out with straight edges.
pub const COMPACT_MAX_NODES: usize = 200;

/// Above this many nodes, figures are not checked for crowding (the check is quadratic).
pub const CROWDING_CHECK_MAX_NODES: usize = 200;

/// Above this many edges (the output's own counted), edges are drawn without their values
/// and gradients unless asked otherwise: thousands of labels are a smear, not a figure.
pub const EDGE_LABELS_UP_TO: usize = 200;

/// One figure to draw.
#[derive(Debug, Clone, PartialEq)]
pub struct Figure {
    /// The file name without extension: `apple` or `apple-forward`.
    pub file_stem: String,
    /// Forward values only, or gradients too.
    pub view: View,
    /// If set, only gradients on edges between these nodes are drawn.
    pub highlight: Option<BTreeSet<NodeIndex>>,
    /// What its labels show, if the figure says.
    pub annotate: Option<Annotate>,
    /// How it writes symbolic gradients, if the figure says.
    pub style: Option<ChainStyle>,
    /// Whether each group is folded into one box.
    pub collapse: bool,
    /// If set, the figure is the frame after this step of the backward pass
    /// ([`super::sequence::after_step`]).
    pub step: Option<usize>,
}

/// A scenario ready to draw: its model, trace, texts and the one layout all figures share.
#[derive(Debug)]
pub struct Drawing {
    /// The model.
    pub(crate) model: Model,
    /// Its values and gradients.
    pub(crate) trace: Trace,
    /// Every text its figures may show.
    pub(crate) texts: Texts,
    /// The layout.
    pub(crate) diagram: Diagram,
    /// The style.
    pub(crate) style: Style,
    /// What the labels show.
    pub(crate) annotate: Annotate,
    /// Whether edges carry their values and gradients (see [`EDGE_LABELS_UP_TO`]).
    pub(crate) edge_labels: bool,
    /// The labels' sizes the layout made room for, one per edge.
    pub(crate) labels: Vec<EdgeLabels>,
}

/// How a [`Drawing`] is labelled and spaced. The default is what `chainrule render` does.
#[derive(Debug, Clone, PartialEq)]
pub struct DrawOptions {
    /// Significant digits of the numbers (default 4).
    pub precision: usize,
    /// What the labels show; `None` (the default) as the scenario says.
    pub annotate: Option<Annotate>,
    /// Above this many edges, edges carry no labels (default [`EDGE_LABELS_UP_TO`]).
    pub edge_labels_up_to: usize,
    /// Exactly this spacing, crowded or not; `None` (the default): a compact layout's own
    /// ([`Spacing::compact`]), or for the book's layout the default spacing, spread out until
    /// no label is crowded or could be read as another edge's.
    pub spacing: Option<Spacing>,
    /// Whether a compact layout makes room for the gradients (default true); a figure of
    /// values alone is smaller without. A book layout always makes room.
    pub gradients: bool,
}

impl Default for DrawOptions {
    fn default() -> DrawOptions {
        DrawOptions {
            precision: DEFAULT_PRECISION,
            annotate: None,
            edge_labels_up_to: EDGE_LABELS_UP_TO,
            spacing: None,
            gradients: true,
        }
    }
}

impl Drawing {
    /// The model drawn (folded, if its groups were folded).
    pub fn model(&self) -> &Model {
        &self.model
    }

    /// Whether edges carry their values and gradients (not above
    /// [`DrawOptions::edge_labels_up_to`] edges).
    pub fn has_edge_labels(&self) -> bool {
        self.edge_labels
    }

    /// One sentence for each math label that cannot be typeset (and is drawn as written
    /// instead), naming its edge (or the node, for a sum) and why.
    pub fn untypeset_labels(&self) -> Vec<String> {
        let graph = &self.model.graph;
        let edge = |e: usize| match graph.raw_edges().get(e) {
            Some(edge) => format!(
                "the edge {} → {}",
                graph[edge.source()].id,
                graph[edge.target()].id
            ),
            None => "the output's edge".to_string(),
        };
        let size = self.style.font_size;
        let why = |markup: &Option<Markup>| match markup {
            Some(Markup::Tex(tex)) => typeset::typeset(tex, size).err(),
            Some(Markup::Mixed(label)) => typeset::typeset_label(label, size).and_then(Result::err),
            None => None,
        };
        let mut found = Vec::new();
        for (e, markup) in self
            .texts
            .above_tex
            .iter()
            .chain(&self.texts.below_tex)
            .enumerate()
        {
            if let Some(why) = why(markup) {
                found.push(format!(
                    "{}: {why}; drawn as written",
                    edge(e % self.texts.above_tex.len())
                ));
            }
        }
        for (n, markup) in self.texts.sums_tex.iter().enumerate() {
            if let Some(why) = why(markup) {
                found.push(format!(
                    "the sum at node {}: {why}; drawn as written",
                    graph[NodeIndex::new(n)].id
                ));
            }
        }
        found
    }

    /// One sentence for each label of `figure` that a reader could take for another edge's
    /// (nearer another edge than its own, or beside a crossing), naming its edge.
    pub fn unclear_labels(&self, figure: &Figure) -> Vec<String> {
        let graph = &self.model.graph;
        let shown = self.gradient_edges(figure);
        self.diagram
            .unclear_labels(&self.labels, &|e| shown.contains(&e))
            .into_iter()
            .filter(|&(e, side)| side == crate::layout::diagram::Side::Above || shown.contains(&e))
            .map(|(e, side)| {
                let what = match side {
                    crate::layout::diagram::Side::Above => "value",
                    crate::layout::diagram::Side::Below => "gradient",
                };
                let edge = match graph.raw_edges().get(e) {
                    Some(edge) => {
                        format!("{} → {}", graph[edge.source()].id, graph[edge.target()].id)
                    }
                    None => "the output's edge".to_string(),
                };
                format!("the {what} on {edge} is nearer another edge than its own")
            })
            .collect()
    }

    /// The layout: where every node, edge and label is.
    pub fn diagram(&self) -> &Diagram {
        &self.diagram
    }

    /// Measures every text and lays the graph out as [`DrawOptions::default`] says.
    pub fn new(model: Model, trace: Trace) -> Drawing {
        Drawing::with_options(model, trace, &DrawOptions::default())
    }

    /// Measures every text, labelled as `options` asks (edges unlabelled if there are more
    /// than `options.edge_labels_up_to`), and lays the graph out as the scenario's `layout`
    /// says (compact up to [`COMPACT_MAX_NODES`] nodes), with exactly `options.spacing` if
    /// given (see [`DrawOptions::spacing`]).
    pub fn with_options(model: Model, trace: Trace, options: &DrawOptions) -> Drawing {
        let DrawOptions {
            precision,
            annotate,
            edge_labels_up_to,
            ref spacing,
            gradients,
        } = *options;
        let annotate = annotate.unwrap_or(model.annotate);
        let style = Style::default();
        let mut texts = Texts::annotated(&model, &trace, precision, annotate);
        let edge_labels = texts.limit_edge_labels(edge_labels_up_to);
        let shapes: Vec<NodeShape> = texts
            .nodes
            .iter()
            .enumerate()
            .map(|(i, text)| {
                // Inputs, consts and the output's label (past the last node) are names at arrow ends.
                let op = model
                    .graph
                    .node_weight(NodeIndex::new(i))
                    .and_then(|n| n.op().map(|_| n.is_layer()));
                match op {
                    Some(layer) => {
                        let m = Fonts::shared().measure(
                            text,
                            super::scene::symbol_size(text, &style),
                            false,
                        );
                        if layer {
                            NodeShape::Layer(m.width + 28.0, 40.0)
                        } else {
                            NodeShape::Circle((m.width / 2.0 + 9.0).max(23.0))
                        }
                    }
                    None => NodeShape::Text(Fonts::shared().measure(text, style.font_size, false)),
                }
            })
            .collect();
        let labels: Vec<EdgeLabels> = (0..texts.above.len())
            .map(|e| EdgeLabels {
                above: super::scene::measure_label(
                    &texts.above[e],
                    texts.above_tex[e].as_ref(),
                    false,
                    &style,
                )
                .0,
                below: super::scene::measure_label(
                    &texts.below[e],
                    texts.below_tex[e].as_ref(),
                    true,
                    &style,
                )
                .0,
            })
            .collect();
        // Long labels (symbolic ones above all) can reach a neighbouring edge: spread the
        // layout out until the fullest figure, every gradient shown, is clean, each label in
        // its place as the book has it. Where no spread is clean (a generated network, say),
        // labels slide along their edges too, from the tightest spread again; failing that,
        // the layout with the fewest collisions is kept.
        let compact = model.layout == LayoutStyle::Compact && shapes.len() <= COMPACT_MAX_NODES;
        let labels: Vec<EdgeLabels> = if compact && !gradients {
            labels
                .into_iter()
                .map(|l| EdgeLabels {
                    below: Metrics::default(),
                    ..l
                })
                .collect()
        } else {
            labels
        };
        // Room under each node whose gradient is written as a sum, where gradients show.
        let notes: Vec<Metrics> = texts
            .sums
            .iter()
            .zip(&texts.sums_tex)
            .map(|(sum, tex)| {
                if !sum.is_empty() && (gradients || !compact) {
                    super::scene::measure_label(sum, tex.as_ref(), true, &style).0
                } else {
                    Metrics::default()
                }
            })
            .collect();
        let layering = Layering::new(&model, compact).with_notes(notes);
        let diagram = match spacing {
            Some(spacing) => layering.diagram(&shapes, &labels, spacing.clone()),
            None if compact => layering.diagram(&shapes, &labels, Spacing::compact()),
            None if shapes.len() > CROWDING_CHECK_MAX_NODES => {
                layering.diagram(&shapes, &labels, Spacing::default())
            }
            None => {
                let all: BTreeSet<usize> = (0..labels.len()).collect();
                let show = Show {
                    gradients: all,
                    sums: (0..texts.sums.len())
                        .filter(|&i| !texts.sums[i].is_empty())
                        .collect(),
                    ..Show::default()
                };
                let layout = |spacing: Spacing| {
                    let diagram = layering.diagram(&shapes, &labels, spacing);
                    let scene = super::scene::build(&diagram, &texts, &style, &show, "");
                    let unclear = diagram.unclear_labels(&labels, &|_| true).len();
                    (super::overlap::collisions(&scene).len() + unclear, diagram)
                };
                let spacings = [false, true].into_iter().flat_map(|slide_labels| {
                    let first = Spacing {
                        slide_labels,
                        ..Spacing::default()
                    };
                    std::iter::successors(Some(first), |s| {
                        Some(Spacing {
                            row: s.row * SPREAD,
                            min_edge: s.min_edge * SPREAD,
                            ..s.clone()
                        })
                    })
                    .take(SPREAD_TRIES + 1)
                });
                let mut best = layout(Spacing::default());
                for spacing in spacings.skip(1) {
                    if best.0 == 0 {
                        break;
                    }
                    let tried = layout(spacing);
                    if tried.0 < best.0 {
                        best = tried;
                    }
                }
                best.1
            }
        };
        let mut drawing = Drawing {
            model,
            trace,
            texts,
            diagram,
            style,
            annotate,
            edge_labels,
            labels,
        };
        // Make room for the group frames and their labels at the canvas's edges.
        let mut reach = crate::layout::geometry::Rect {
            x0: 0.0,
            y0: 0.0,
            x1: drawing.diagram.width,
            y1: drawing.diagram.height,
        };
        let label_height = drawing.style.font_size * 1.2;
        for (_, frame) in drawing.group_frames() {
            reach = reach.union(&crate::layout::geometry::Rect {
                y0: frame.y0 - label_height,
                ..frame.grown(4.0)
            });
        }
        drawing.diagram.extend(
            -reach.x0,
            -reach.y0,
            reach.x1 - drawing.diagram.width,
            reach.y1 - drawing.diagram.height,
        );
        drawing
    }

    /// The figures the scenario asks for, or one backward figure named after the scenario.
    /// `view` overrides: one figure in that view.
    pub fn figures(&self, stem: &str, view: Option<View>) -> Vec<Figure> {
        figures(&self.model, stem, view)
    }

    /// The scene of one figure.
    pub fn scene(&self, figure: &Figure) -> Scene {
        let gradients = self.gradient_edges(figure);
        let show = Show {
            sums: self.sums(&gradients),
            gradients,
            ..Show::default()
        };
        self.draw(&show)
    }

    /// The nodes whose gradient is written as a sum ([`Texts::sums`]) when the gradients of
    /// `gradients` are drawn: those whose every contribution is among them.
    pub fn sums(&self, gradients: &BTreeSet<usize>) -> BTreeSet<usize> {
        crate::text::steps::sums(&self.model, &self.trace)
            .into_iter()
            .filter(|sum| {
                !self.texts.sums[sum.node.index()].is_empty()
                    && sum.edges.iter().all(|e| gradients.contains(&e.index()))
            })
            .map(|sum| sum.node.index())
            .collect()
    }

    /// The scene showing what `show` asks for, on this drawing's layout.
    pub fn draw(&self, show: &Show) -> Scene {
        let mut scene = super::scene::build(
            &self.diagram,
            &self.texts,
            &self.style,
            show,
            &self.model.title,
        );
        self.frame_groups(&mut scene);
        scene
    }

    /// The edges whose gradient a figure shows: in the backward view, every edge out of a
    /// non-const node that the output depends on, limited to the highlighted nodes if any.
    pub fn gradient_edges(&self, figure: &Figure) -> BTreeSet<usize> {
        if figure.view == View::Forward {
            return BTreeSet::new();
        }
        let graph = &self.model.graph;
        let needed: BTreeSet<NodeIndex> = self.model.backward_order().into_iter().collect();
        let lit = |n: &NodeIndex| figure.highlight.as_ref().is_none_or(|h| h.contains(n));
        let mut edges: BTreeSet<usize> = graph
            .raw_edges()
            .iter()
            .enumerate()
            .filter(|(_, e)| {
                !matches!(graph[e.source()].kind, Kind::Const(_))
                    && needed.contains(&e.target())
                    && lit(&e.source())
                    && lit(&e.target())
            })
            .map(|(i, _)| i)
            .collect();
        if lit(&self.model.output) {
            edges.insert(graph.edge_count());
        }
        edges
    }
}

/// The figures the scenario asks for (checked when the model was built), or one backward
/// figure named after the scenario. `view` overrides: one figure in that view.
pub fn figures(model: &Model, stem: &str, view: Option<View>) -> Vec<Figure> {
    if let Some(view) = view {
        return vec![Figure {
            file_stem: stem.to_string(),
            view,
            highlight: None,
            annotate: None,
            style: None,
            collapse: false,
            step: None,
        }];
    }
    if model.figures.is_empty() {
        return vec![Figure {
            file_stem: stem.to_string(),
            view: View::Backward,
            highlight: None,
            annotate: None,
            style: None,
            collapse: false,
            step: None,
        }];
    }
    model
        .figures
        .iter()
        .map(|spec| Figure {
            file_stem: format!("{stem}-{}", spec.name),
            view: spec.view,
            highlight: spec
                .highlight
                .as_ref()
                .map(|ids| ids.iter().filter_map(|id| model.find(id)).collect()),
            annotate: spec.annotate,
            style: spec.style,
            collapse: spec.collapse,
            step: spec.step,
        })
        .collect()
}
