//! The parts a diagram is made of, which every layout phase shares: a figure's spacing,
//! node shapes and their places, the sides and sizes of an edge's labels, and the note under
//! a node.

use super::geometry::{Metrics, Point, Rect};

/// Spacing of a figure, in pixels at scale 1.
#[derive(Debug, Clone, PartialEq)]
pub struct Spacing {
    /// Smallest distance between the centres of two nodes in one rank.
    pub row: f64,
    /// Smallest free length of an edge, label or not.
    pub min_edge: f64,
    /// Free space left and right of an edge label.
    pub label_margin: f64,
    /// Gap between an edge and its label.
    pub label_gap: f64,
    /// Distance from a forward arrow to the backward arrow under it.
    pub back_offset: f64,
    /// Gap between a node and the end of an arrow.
    pub arrow_gap: f64,
    /// Where along its longest segment an edge's labels sit (0 = source, 1 = target).
    pub label_at: f64,
    /// Whether a label that would sit over something at `label_at` moves along its edge to
    /// where it is clear (the layout's `labels` phase).
    pub slide_labels: bool,
    /// Empty border around the figure.
    pub margin: f64,
}

impl Default for Spacing {
    /// The textbook's proportions for 16 px labels.
    fn default() -> Self {
        Spacing {
            row: 112.0,
            min_edge: 96.0,
            label_margin: 24.0,
            label_gap: 5.0,
            back_offset: 9.0,
            arrow_gap: 5.0,
            label_at: 0.45,
            slide_labels: false,
            margin: 16.0,
        }
    }
}

impl Spacing {
    /// The compact layout's: labels closer to their arrows, as every label has its own shelf,
    /// and a narrower border.
    pub fn compact() -> Self {
        Spacing {
            label_gap: 2.0,
            back_offset: 7.0,
            label_at: 0.5,
            margin: 8.0,
            ..Spacing::default()
        }
    }
}

/// How a node is drawn, with its size.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum NodeShape {
    /// A name written at the tail of its arrow (inputs, consts) or at the head (the output's
    /// label), with the text's measurements.
    Text(Metrics),
    /// An operator in a circle of this radius.
    Circle(f64),
    /// A layer in a rounded box of this width and height.
    Layer(f64, f64),
}

impl NodeShape {
    pub(super) fn width(&self) -> f64 {
        match *self {
            NodeShape::Text(m) => m.width,
            NodeShape::Circle(r) => 2.0 * r,
            NodeShape::Layer(w, _) => w,
        }
    }
    pub(super) fn height(&self) -> f64 {
        match *self {
            NodeShape::Text(m) => m.ascent + m.descent,
            NodeShape::Circle(r) => 2.0 * r,
            NodeShape::Layer(_, h) => h,
        }
    }
}

/// A node with its place.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Placed {
    /// Its centre.
    pub centre: Point,
    /// Its shape and size.
    pub shape: NodeShape,
}

impl Placed {
    /// The box it covers.
    pub fn rect(&self) -> Rect {
        Rect::centred(self.centre, self.shape.width(), self.shape.height())
    }
}

/// Which side of an edge a label is on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Side {
    /// Above the forward arrow: the value.
    Above,
    /// Under the backward arrow: the gradient.
    Below,
}

/// The labels' sizes on one edge: the value above, the gradient below.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct EdgeLabels {
    /// The value's size.
    pub above: Metrics,
    /// The gradient's size.
    pub below: Metrics,
}

/// The gap between a node and the note under it.
pub const NOTE_GAP: f64 = 4.0;

/// How far left of a name's end the note under it ends, clear of the arrows' heads there.
const NOTE_INSET: f64 = 8.0;

/// The box of a note of size `m` under the node `placed`: centred under an operator, and
/// under a name at an arrow's tail ending `NOTE_INSET` (8 px) before the name ends, clear of its
/// arrows.
pub fn note_rect(placed: &Placed, m: Metrics) -> Rect {
    let node = placed.rect();
    let x1 = match placed.shape {
        NodeShape::Text(_) => node.x1 - NOTE_INSET,
        _ => node.centre().x + m.width / 2.0,
    };
    Rect {
        x0: x1 - m.width,
        y0: node.y1 + NOTE_GAP,
        x1,
        y1: node.y1 + NOTE_GAP + m.ascent + m.descent,
    }
}
