//! A figure as a flat list of things to draw, with the box each one covers: what the SVG
//! writer writes and what the overlap check inspects. Building one does no calculus: the
//! texts come from [`Texts`], the places from the [`Diagram`].

use std::collections::{BTreeMap, BTreeSet};

use super::fonts::{Fonts, Metrics};
use super::texts::{Markup, Texts};
use super::typeset::{self, Formula};
use crate::layout::diagram::{note_rect, Diagram, NodeShape, Side, NOTE_GAP};
use crate::layout::geometry::{Point, Rect};

/// Colours and sizes of a figure.
#[derive(Debug, Clone, PartialEq)]
pub struct Style {
    /// Size of labels and values, in pixels.
    pub font_size: f64,
    /// Size of a one- or two-character operator symbol (`×`, `+`).
    pub symbol_size: f64,
    /// Forward arrows, values and node outlines.
    pub ink: &'static str,
    /// Backward arrows and gradients.
    pub gradient: &'static str,
    /// Width of a forward arrow.
    pub forward_width: f64,
    /// Width of a backward arrow.
    pub backward_width: f64,
}

impl Default for Style {
    /// Dark forward ink, bold red gradients, 16 px text: the textbook's look.
    fn default() -> Self {
        Style {
            font_size: 16.0,
            symbol_size: 22.0,
            ink: "#222222",
            gradient: "#d62728",
            forward_width: 1.5,
            backward_width: 3.0,
        }
    }
}

/// Distance between caption lines, in ems.
pub const CAPTION_LEADING: f64 = 1.4;

/// The colour of group frames and their labels.
pub const GROUP: &str = "#777777";

/// How a piece of text is aligned on its anchor point.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Anchor {
    /// Text starts at the point.
    Start,
    /// Text is centred on the point.
    Middle,
    /// Text ends at the point.
    End,
}

/// A piece of text.
#[derive(Debug, Clone, PartialEq)]
pub struct Text {
    /// Anchor point on the baseline.
    pub at: Point,
    /// Alignment on the anchor.
    pub anchor: Anchor,
    /// What it says.
    pub content: String,
    /// Font size in pixels.
    pub size: f64,
    /// Bold or not.
    pub bold: bool,
    /// Fill colour.
    pub colour: &'static str,
    /// The box it covers.
    pub rect: Rect,
    /// The node it is drawn inside, if it is an operator's symbol.
    pub inside: Option<usize>,
    /// The typeset formula drawn instead of the plain content, for math labels.
    pub formula: Option<Formula>,
}

/// What a line is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LineKind {
    /// A forward arrow.
    Forward,
    /// A backward (gradient) arrow.
    Backward,
}

/// An arrow along a polyline, head at the last point.
#[derive(Debug, Clone, PartialEq)]
pub struct Line {
    /// The points it passes through.
    pub points: Vec<Point>,
    /// Forward or backward.
    pub kind: LineKind,
}

/// A node's outline.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Outline {
    /// A circle.
    Circle {
        /// Centre.
        centre: Point,
        /// Radius.
        r: f64,
    },
    /// A rounded box.
    Layer(Rect),
}

/// Everything one figure draws.
#[derive(Debug, Clone, PartialEq)]
pub struct Scene {
    /// Canvas width.
    pub width: f64,
    /// Canvas height.
    pub height: f64,
    /// The SVG's `<title>`.
    pub title: String,
    /// Node outlines, with the index of their node.
    pub outlines: Vec<(usize, Outline)>,
    /// Arrows.
    pub lines: Vec<Line>,
    /// Texts.
    pub texts: Vec<Text>,
    /// Boxes drawn behind texts that just appeared, to point them out.
    pub marks: Vec<Rect>,
    /// The node acting in this frame, drawn highlighted.
    pub active: Option<usize>,
    /// Frames drawn around the nodes of each group (layer).
    pub groups: Vec<Rect>,
    /// The style it is drawn in.
    pub style: Style,
    /// The edge each edge label is written on, and on which side (the value above, the
    /// gradient below), by the label's index in `texts`.
    pub edge_labels: BTreeMap<usize, (usize, Side)>,
}

/// What a figure shows on top of the forward values.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Show {
    /// Edges (by index; the output's edge is the last index) whose value is drawn; `None`
    /// for all of them.
    pub values: Option<BTreeSet<usize>>,
    /// Edges whose gradient is drawn.
    pub gradients: BTreeSet<usize>,
    /// Edges whose labels just appeared: they are pointed out.
    pub fresh: BTreeSet<usize>,
    /// Nodes whose gradient is written under them as the sum of what arrives
    /// ([`Texts::sums`]).
    pub sums: BTreeSet<usize>,
    /// Nodes whose sum just appeared: it is pointed out.
    pub fresh_sums: BTreeSet<usize>,
    /// The node acting in this frame.
    pub active: Option<usize>,
    /// Lines of a caption under the figure.
    pub caption: Vec<String>,
    /// Height of the band under the figure that holds the caption (the same for every frame
    /// of a sequence, so the canvas never changes size).
    pub caption_band: f64,
}

/// Builds the scene of one figure.
pub fn build(diagram: &Diagram, texts: &Texts, style: &Style, show: &Show, title: &str) -> Scene {
    let mut scene = Scene {
        width: diagram.width,
        height: diagram.height + show.caption_band,
        title: title.to_string(),
        outlines: Vec::new(),
        lines: Vec::new(),
        texts: Vec::new(),
        marks: Vec::new(),
        active: show.active,
        groups: Vec::new(),
        style: style.clone(),
        edge_labels: BTreeMap::new(),
    };
    for (e, route) in diagram.routes.iter().enumerate() {
        scene.lines.push(Line {
            points: route.clone(),
            kind: LineKind::Forward,
        });
        let fresh = show.fresh.contains(&e);
        let above = &texts.above[e];
        if !above.is_empty() && show.values.as_ref().is_none_or(|v| v.contains(&e)) {
            let (m, formula) = measure_label(above, texts.above_tex[e].as_ref(), false, style);
            let mut text = label(diagram, e, above, m, Side::Above, style);
            text.formula = formula;
            if fresh && !show.gradients.contains(&e) {
                scene.marks.push(text.rect.grown(2.0));
            }
            scene
                .edge_labels
                .insert(scene.texts.len(), (e, Side::Above));
            scene.texts.push(text);
        }
        if show.gradients.contains(&e) {
            let back = diagram.back_routes[e].clone();
            scene.lines.push(Line {
                points: back,
                kind: LineKind::Backward,
            });
            let below = &texts.below[e];
            if !below.is_empty() {
                let (m, formula) = measure_label(below, texts.below_tex[e].as_ref(), true, style);
                let mut text = label(diagram, e, below, m, Side::Below, style);
                text.formula = formula;
                if fresh {
                    scene.marks.push(text.rect.grown(2.0));
                }
                scene
                    .edge_labels
                    .insert(scene.texts.len(), (e, Side::Below));
                scene.texts.push(text);
            }
        }
    }
    for (i, placed) in diagram.nodes.iter().enumerate() {
        let content = &texts.nodes[i];
        match placed.shape {
            NodeShape::Text(m) => {
                let rect = placed.rect();
                scene.texts.push(Text {
                    at: Point::new(rect.centre().x, baseline(rect, m)),
                    anchor: Anchor::Middle,
                    content: content.clone(),
                    size: style.font_size,
                    bold: false,
                    colour: style.ink,
                    rect,
                    inside: None,
                    formula: None,
                });
            }
            NodeShape::Circle(r) => {
                scene.outlines.push((
                    i,
                    Outline::Circle {
                        centre: placed.centre,
                        r,
                    },
                ));
                scene.texts.push(symbol(content, placed.rect(), i, style));
            }
            NodeShape::Layer(..) => {
                scene.outlines.push((i, Outline::Layer(placed.rect())));
                scene.texts.push(symbol(content, placed.rect(), i, style));
            }
        }
    }
    for &i in &show.sums {
        let content = &texts.sums[i];
        if content.is_empty() {
            continue;
        }
        let (m, formula) = measure_label(content, texts.sums_tex[i].as_ref(), true, style);
        let rect = sum_place(diagram, i, m);
        if show.fresh_sums.contains(&i) {
            scene.marks.push(rect.grown(2.0));
        }
        scene.texts.push(Text {
            at: Point::new(rect.centre().x, baseline(rect, m)),
            anchor: Anchor::Middle,
            content: content.clone(),
            size: style.font_size,
            bold: true,
            colour: style.gradient,
            rect,
            inside: None,
            formula,
        });
    }
    let line_height = style.font_size * CAPTION_LEADING;
    for (k, line) in show.caption.iter().enumerate() {
        let m = Fonts::shared().measure(line, style.font_size, false);
        let x = diagram.spacing.margin;
        let baseline = diagram.height + line_height * (k as f64 + 1.0);
        scene.texts.push(Text {
            at: Point::new(x, baseline),
            anchor: Anchor::Start,
            content: line.clone(),
            size: style.font_size,
            bold: false,
            colour: style.ink,
            rect: Rect {
                x0: x,
                y0: baseline - m.ascent,
                x1: x + m.width,
                y1: baseline + m.descent,
            },
            inside: None,
            formula: None,
        });
    }
    scene
}

/// Where node `i`'s sum of size `m` is written: under the node, where the layout made room
/// for it; where an arrow passes there anyway (a long edge of the book's layout), over the
/// node or left of it, whichever is clear of every arrow and node first. Only the layout
/// decides, so the sum stays in one place from frame to frame.
fn sum_place(diagram: &Diagram, i: usize, m: Metrics) -> Rect {
    let placed = &diagram.nodes[i];
    let under = note_rect(placed, m);
    let node = placed.rect();
    let height = under.height();
    let above = Rect {
        y0: node.y0 - NOTE_GAP - height,
        y1: node.y0 - NOTE_GAP,
        ..under
    };
    let left = Rect {
        x0: node.x0 - NOTE_GAP - m.width,
        x1: node.x0 - NOTE_GAP,
        y0: node.centre().y - height / 2.0,
        y1: node.centre().y + height / 2.0,
    };
    let canvas = Rect {
        x0: 0.0,
        y0: 0.0,
        x1: diagram.width,
        y1: diagram.height,
    };
    let clear = |r: &Rect| {
        let wide = r.grown(1.5);
        r.x0 >= canvas.x0
            && r.y0 >= canvas.y0
            && r.x1 <= canvas.x1
            && r.y1 <= canvas.y1
            && !diagram
                .routes
                .iter()
                .chain(&diagram.back_routes)
                .any(|route| route.windows(2).any(|w| wide.meets_segment(w[0], w[1])))
            && !diagram
                .nodes
                .iter()
                .enumerate()
                .any(|(j, p)| j != i && wide.overlaps(&p.rect()))
    };
    [under, above, left]
        .into_iter()
        .find(|r| clear(r))
        .unwrap_or(under)
}

/// How a label measures, and its formula if it is typeset math. Math that cannot be typeset
/// (a name in Chinese, say) falls back to the plain text.
pub fn measure_label(
    plain: &str,
    markup: Option<&Markup>,
    bold: bool,
    style: &Style,
) -> (Metrics, Option<Formula>) {
    let typeset = markup.and_then(|m| match m {
        Markup::Tex(tex) => typeset::typeset(tex, style.font_size).ok(),
        Markup::Mixed(label) => typeset::typeset_label(label, style.font_size).and_then(Result::ok),
    });
    match typeset {
        Some(f) => (
            Metrics {
                width: f.width,
                ascent: f.ascent,
                descent: f.descent,
            },
            Some(f),
        ),
        None if plain.is_empty() => (Metrics::default(), None),
        None => (Fonts::shared().measure(plain, style.font_size, bold), None),
    }
}

/// The size a node's symbol is drawn at: large for `×` and `+`, smaller for words.
pub fn symbol_size(content: &str, style: &Style) -> f64 {
    if content.chars().count() <= 2 {
        style.symbol_size
    } else {
        style.font_size
    }
}

fn symbol(content: &str, rect: Rect, node: usize, style: &Style) -> Text {
    let size = symbol_size(content, style);
    let m = Fonts::shared().measure(content, size, false);
    let c = rect.centre();
    let text_rect = Rect::centred(c, m.width, m.ascent + m.descent);
    Text {
        at: Point::new(c.x, baseline(text_rect, m)),
        anchor: Anchor::Middle,
        content: content.to_string(),
        size,
        bold: false,
        colour: style.ink,
        rect: text_rect,
        inside: Some(node),
        formula: None,
    }
}

/// The label `content` of size `m` on `side` of the edge `e`, where the layout put it.
fn label(
    diagram: &Diagram,
    e: usize,
    content: &str,
    m: Metrics,
    side: Side,
    style: &Style,
) -> Text {
    let rect = diagram.label_rect(e, m, side);
    let below = side == Side::Below;
    Text {
        at: Point::new(rect.centre().x, baseline(rect, m)),
        anchor: Anchor::Middle,
        content: content.to_string(),
        size: style.font_size,
        bold: below,
        colour: if below { style.gradient } else { style.ink },
        rect,
        inside: None,
        formula: None,
    }
}

/// The baseline of text of metrics `m` filling `rect` vertically.
fn baseline(rect: Rect, m: Metrics) -> f64 {
    rect.y0 + m.ascent
}
