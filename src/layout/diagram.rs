//! Where everything goes, computed once per scenario so that every view and every frame
//! puts each node in the same place.
//!
//! layout-rs ranks the graph left to right and orders each rank to avoid crossings (its
//! public lowering phases: `to_valid_dag`, `split_long_edges`); edges that skip ranks get
//! waypoints there. Coordinates are our own: ranks are spaced so that every edge has room
//! for its labels, and within a rank nodes are pulled towards the mean of their neighbours
//! (alternating sweeps, each an order-preserving least-squares projection), which centres
//! each operator between its inputs as the book draws them instead of a staircase.
//!
//! This module holds the public types and puts the phases together ([`Diagram::new`]); each
//! phase has its own module: ranks and orders (`layers`), vertical positions (`coords`),
//! arrows' routes and their ends (`routes`), and where labels sit along them (`labels`).

use petgraph::graph::NodeIndex;

use super::coords::vertical;
use super::geometry::{Metrics, Point, Rect};
use super::labels::{label_rect, place_labels};
use super::layers::{layout_rs_layers, own_layers, Layers};
pub use super::routes::normal;
use super::routes::{boundary, clear_of, spread_parallel};
use crate::core::model::Model;

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
    /// where it is clear (see [`Diagram::label_places`]).
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

/// The finished layout.
#[derive(Debug, Clone, PartialEq)]
pub struct Diagram {
    /// One per model node, by index, then the output's label (the sink) last.
    pub nodes: Vec<Placed>,
    /// One per model edge, by index, then the edge from the output to its label last: the
    /// points an arrow passes through, from the source's boundary to the target's.
    pub routes: Vec<Vec<Point>>,
    /// The backward arrow under each route: parallel to it, pointing the other way, its ends
    /// kept clear of the nodes.
    pub back_routes: Vec<Vec<Point>>,
    /// Where along its longest segment each route's labels sit (0 = its start, 1 = its end):
    /// the spacing's `label_at`, or, if the spacing slides labels, nearby where that would
    /// put a label over something.
    pub label_places: Vec<f64>,
    /// Canvas width.
    pub width: f64,
    /// Canvas height.
    pub height: f64,
    /// The spacing it was made with.
    pub spacing: Spacing,
}

impl Diagram {
    /// Lays out `model`. `shapes` has one entry per node and one more for the output's label;
    /// `labels` one per edge and one more for the output's edge.
    pub fn new(
        model: &Model,
        shapes: &[NodeShape],
        labels: &[EdgeLabels],
        spacing: Spacing,
    ) -> Diagram {
        let graph = &model.graph;
        let sink = graph.node_count();
        let mut edges: Vec<(usize, usize)> = graph
            .raw_edges()
            .iter()
            .map(|e| (e.source().index(), e.target().index()))
            .collect();
        edges.push((model.output.index(), sink));

        let layers = if shapes.len() > LAYOUT_RS_MAX_NODES {
            own_layers(model, shapes.len(), &edges)
        } else {
            layout_rs_layers(model, shapes, &edges)
        };
        let Layers {
            rows,
            preds,
            succs,
            chains,
        } = layers;
        let count = preds.len();
        let mut height = vec![0.0; count];
        let mut width = vec![0.0; count];
        for (i, s) in shapes.iter().enumerate() {
            height[i] = s.height();
            width[i] = s.width();
        }
        let mut rank = vec![0; count];
        for (r, row) in rows.iter().enumerate() {
            for &i in row {
                rank[i] = r;
            }
        }

        // Operators and waypoints hold the main path; names at arrow tails give way to them.
        let weight: Vec<f64> = (0..count)
            .map(|i| match shapes.get(i) {
                Some(NodeShape::Text(_)) => 1.0,
                Some(_) => 10.0,
                None => 5.0,
            })
            .collect();
        let y = vertical(&rows, &height, &weight, &preds, &succs, &spacing);

        // Horizontal: each rank far enough right of the previous for every edge's labels.
        let rank_width: Vec<f64> = rows
            .iter()
            .map(|row| row.iter().map(|&i| width[i]).fold(0.0, f64::max))
            .collect();
        let mut need = vec![0.0_f64; count];
        for (e, ch) in chains.iter().enumerate() {
            let l = &labels[e];
            if let [.., _, last] = ch[..] {
                need[last] =
                    need[last].max(l.above.width.max(l.below.width) + 2.0 * spacing.label_margin);
            }
        }
        let mut x = vec![0.0_f64; rows.len()];
        for r in 1..rows.len() {
            let mut at = x[r - 1] + (rank_width[r - 1] + rank_width[r]) / 2.0 + spacing.min_edge;
            for &b in &rows[r] {
                at = at.max(
                    x[r - 1]
                        + rank_width[r - 1] / 2.0
                        + width[b] / 2.0
                        + need[b].max(spacing.min_edge),
                );
            }
            x[r] = at;
        }

        let mut nodes: Vec<Placed> = shapes
            .iter()
            .enumerate()
            .map(|(i, &shape)| {
                let r = rank[i];
                let cx = match shape {
                    NodeShape::Text(m) if i == sink => x[r] - rank_width[r] / 2.0 + m.width / 2.0,
                    NodeShape::Text(m) => x[r] + rank_width[r] / 2.0 - m.width / 2.0,
                    _ => x[r],
                };
                Placed {
                    centre: Point::new(cx, y[i]),
                    shape,
                }
            })
            .collect();

        let mut routes: Vec<Vec<Point>> = chains
            .iter()
            .map(|ch| {
                let mut pts: Vec<Point> =
                    ch.iter().map(|&i| Point::new(x[rank[i]], y[i])).collect();
                let n = pts.len();
                pts[0] = nodes[ch[0]].centre;
                pts[n - 1] = nodes[ch[n - 1]].centre;
                pts
            })
            .collect();
        spread_parallel(&edges, &mut routes);
        for (route, &(from, to)) in routes.iter_mut().zip(&edges) {
            let n = route.len();
            let (a, b) = (route[0], route[n - 1]);
            route[0] = boundary(&nodes[from], a, route[1], spacing.arrow_gap, true);
            route[n - 1] = boundary(&nodes[to], b, route[n - 2], spacing.arrow_gap, false);
        }

        let mut back_routes: Vec<Vec<Point>> = routes
            .iter()
            .zip(&edges)
            .map(|(route, &(from, to))| {
                let (_, _, up) = normal(route);
                let mut back: Vec<Point> = route
                    .iter()
                    .rev()
                    .map(|p| p.plus(up, -spacing.back_offset))
                    .collect();
                let n = back.len();
                back[0] = clear_of(&nodes[to], back[0], back[1], spacing.arrow_gap + 2.0);
                back[n - 1] = clear_of(
                    &nodes[from],
                    back[n - 1],
                    back[n - 2],
                    spacing.arrow_gap + 2.0,
                );
                back
            })
            .collect();

        let label_places = place_labels(&nodes, &routes, &back_routes, labels, &spacing);

        // Translate so that everything, labels on both sides included, is on the canvas.
        let mut bounds = nodes[0].rect();
        for p in &nodes {
            bounds = bounds.union(&p.rect());
        }
        for ((route, l), &at) in routes.iter().zip(labels).zip(&label_places) {
            for (side, m) in [(Side::Above, l.above), (Side::Below, l.below)] {
                bounds = bounds.union(&label_rect(route, at, m, side, &spacing));
            }
            for p in route {
                bounds = bounds.union(&Rect::centred(*p, 0.0, 0.0));
            }
        }
        let shift = Point::new(spacing.margin - bounds.x0, spacing.margin - bounds.y0);
        for p in &mut nodes {
            p.centre = p.centre.plus(shift, 1.0);
        }
        for route in routes.iter_mut().chain(back_routes.iter_mut()) {
            for p in route.iter_mut() {
                *p = p.plus(shift, 1.0);
            }
        }
        Diagram {
            nodes,
            routes,
            back_routes,
            label_places,
            width: (bounds.width() + 2.0 * spacing.margin).ceil(),
            height: (bounds.height() + 2.0 * spacing.margin).ceil(),
            spacing,
        }
    }

    /// Adds empty space at the left, top, right and bottom (negative amounts are ignored),
    /// moving everything accordingly.
    pub fn extend(&mut self, left: f64, top: f64, right: f64, bottom: f64) {
        let (left, top) = (left.max(0.0).ceil(), top.max(0.0).ceil());
        let shift = Point::new(left, top);
        for p in &mut self.nodes {
            p.centre = p.centre.plus(shift, 1.0);
        }
        for route in self.routes.iter_mut().chain(self.back_routes.iter_mut()) {
            for p in route.iter_mut() {
                *p = p.plus(shift, 1.0);
            }
        }
        self.width += left + right.max(0.0).ceil();
        self.height += top + bottom.max(0.0).ceil();
    }

    /// The place of a model node.
    pub fn node(&self, n: NodeIndex) -> &Placed {
        &self.nodes[n.index()]
    }

    /// The output's label.
    pub fn sink(&self) -> &Placed {
        &self.nodes[self.nodes.len() - 1]
    }

    /// The box of a label of size `m` on `side` of route `e`, where the layout put it.
    pub fn label_rect(&self, e: usize, m: Metrics, side: Side) -> Rect {
        label_rect(
            &self.routes[e],
            self.label_places[e],
            m,
            side,
            &self.spacing,
        )
    }

    /// The route of the edge from the output to its label.
    pub fn sink_route(&self) -> &[Point] {
        &self.routes[self.routes.len() - 1]
    }
}

/// Above this many nodes (the output's label counted) the graph is ranked and ordered by
/// [`own_layers`](super::layers::own_layers) instead of layout-rs: layout-rs's crossing
/// optimiser grows about n^3.5, and from about 30 nodes up our path crosses less (generated
/// MLPs of 49 to 106 nodes: 2 to 3 times fewer crossings; random graphs of 30 to 60 nodes: a
/// third fewer). The book's figures, the largest of 22 nodes, keep layout-rs's look.
pub const LAYOUT_RS_MAX_NODES: usize = 30;
