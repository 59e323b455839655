//! Where everything goes, computed once per scenario so that every view and every frame
//! puts each node in the same place.
//!
//! The graph is ranked left to right by network simplex and each rank ordered for the fewest
//! crossings (found outright for small graphs); edges that skip ranks get waypoints there
//! ([`Layering`], once per scenario). Then one of two placements: compact (`shelves`: every
//! edge's labels on a level stretch of their own between two ranks of nodes) or the book's
//! (`straight`: straight edges with their labels along them, ranks spaced so that every edge
//! has room for its labels). Either way nodes in a rank are pulled towards the mean of their
//! neighbours (`coords`: alternating sweeps, each an order-preserving least-squares
//! projection), which centres each operator between its inputs as the book draws them.
//!
//! This module holds the diagram and puts the phases together ([`Layering::diagram`]), its
//! parts are in `parts` (re-exported here); each phase has its own module: ranks and orders (`layers`,
//! `rank`, `order`, `exact`), placements (`shelves`, `straight`), vertical positions
//! (`coords`), arrows' routes and their ends (`routes`), and where labels sit along them and
//! whether they read as their own edge's (`labels`).

use petgraph::graph::NodeIndex;

use super::geometry::{Metrics, Point, Rect};
use super::labels::{label_rect, place_labels, unclear};
use super::layers::{layers, shelve, Layers};
pub use super::parts::{note_rect, EdgeLabels, NodeShape, Placed, Side, Spacing, NOTE_GAP};
use super::routes::{boundary, clear_of, longest, segment, spread_parallel};
use super::shelves::arrange;
use super::straight::straight;
use crate::core::model::Model;

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
    /// Which segment of each route its labels sit on: the longest, or in a compact layout its
    /// shelf.
    pub label_segments: Vec<usize>,
    /// Where along its labelled segment each route's labels sit (0 = its start, 1 = its end):
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

/// A graph's ranks and the order within each, found once: every spacing a figure tries
/// lays the graph out on them.
#[derive(Debug, Clone)]
pub struct Layering {
    /// Each model edge (source, target by index), then the output's edge to its label.
    edges: Vec<(usize, usize)>,
    layers: Layers,
    /// A note written under each node (the sum of its gradients), by node index; none where
    /// it has no width.
    notes: Vec<Metrics>,
}

impl Layering {
    /// Ranks `model` (its output's label one rank after the output) and orders each rank;
    /// `compact` puts a rank of shelves for the labels between every two (see
    /// the `shelves` phase), else labels sit along straight edges as the book draws them.
    pub fn new(model: &Model, compact: bool) -> Layering {
        let graph = &model.graph;
        let sink = graph.node_count();
        let mut edges: Vec<(usize, usize)> = graph
            .raw_edges()
            .iter()
            .map(|e| (e.source().index(), e.target().index()))
            .collect();
        edges.push((model.output.index(), sink));
        let layers = layers(model, sink + 1, &edges);
        let layers = if compact { shelve(layers) } else { layers };
        Layering {
            edges,
            layers,
            notes: Vec::new(),
        }
    }

    /// The same layering, with room under nodes for `notes` (one per node by index; one of
    /// no width is none).
    pub fn with_notes(mut self, notes: Vec<Metrics>) -> Layering {
        self.notes = notes;
        self
    }

    /// The layout with `spacing`. `shapes` has one entry per node and one more for the
    /// output's label; `labels` one per edge and one more for the output's edge.
    pub fn diagram(
        &self,
        shapes: &[NodeShape],
        labels: &[EdgeLabels],
        spacing: Spacing,
    ) -> Diagram {
        let edges = &self.edges;
        let (mut nodes, mut routes, label_segments) = if self.layers.shelved {
            let shelved = arrange(&self.layers, shapes, labels, &self.notes, &spacing);
            (shelved.nodes, shelved.routes, Some(shelved.segments))
        } else {
            let (nodes, mut routes) = straight(&self.layers, shapes, labels, &self.notes, &spacing);
            spread_parallel(edges, &mut routes);
            (nodes, routes, None)
        };
        for (route, &(from, to)) in routes.iter_mut().zip(edges) {
            let n = route.len();
            let (a, b) = (route[0], route[n - 1]);
            route[0] = boundary(&nodes[from], a, route[1], spacing.arrow_gap, true);
            route[n - 1] = boundary(&nodes[to], b, route[n - 2], spacing.arrow_gap, false);
        }
        let label_segments =
            label_segments.unwrap_or_else(|| routes.iter().map(|r| longest(r)).collect());

        let mut back_routes: Vec<Vec<Point>> = routes
            .iter()
            .zip(edges)
            .zip(&label_segments)
            .map(|((route, &(from, to)), &k)| {
                let (_, _, up) = segment(route, k);
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

        let label_places = if self.layers.shelved {
            vec![0.5; routes.len()]
        } else {
            place_labels(
                &nodes,
                &routes,
                &label_segments,
                &back_routes,
                labels,
                &spacing,
            )
        };

        // Translate so that everything, labels on both sides included, is on the canvas.
        let mut bounds = nodes[0].rect();
        for p in &nodes {
            bounds = bounds.union(&p.rect());
        }
        for (p, &m) in nodes.iter().zip(&self.notes) {
            if m.width > 0.0 {
                bounds = bounds.union(&note_rect(p, m));
            }
        }
        for (((route, l), &at), &k) in routes
            .iter()
            .zip(labels)
            .zip(&label_places)
            .zip(&label_segments)
        {
            for (side, m) in [(Side::Above, l.above), (Side::Below, l.below)] {
                bounds = bounds.union(&label_rect(route, k, at, m, side, &spacing));
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
            label_segments,
            label_places,
            width: (bounds.width() + 2.0 * spacing.margin).ceil(),
            height: (bounds.height() + 2.0 * spacing.margin).ceil(),
            spacing,
        }
    }
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
        Layering::new(model, false).diagram(shapes, labels, spacing)
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
            self.label_segments[e],
            self.label_places[e],
            m,
            side,
            &self.spacing,
        )
    }

    /// The labels (edge, side) that a reader could take for another edge's: nearer another
    /// edge than their own, or beside a crossing. `labels` as for [`Layering::diagram`];
    /// empty labels do not count; `backed(e)` says whether edge e's backward arrow is drawn.
    pub fn unclear_labels(
        &self,
        labels: &[EdgeLabels],
        backed: &dyn Fn(usize) -> bool,
    ) -> Vec<(usize, Side)> {
        let mut found = Vec::new();
        for (e, l) in labels.iter().enumerate() {
            for (side, m) in [(Side::Above, l.above), (Side::Below, l.below)] {
                if m.width > 0.0
                    && unclear(
                        &self.label_rect(e, m, side),
                        e,
                        self.label_segments[e],
                        &self.routes,
                        &self.back_routes,
                        backed,
                    )
                {
                    found.push((e, side));
                }
            }
        }
        found
    }

    /// The route of the edge from the output to its label.
    pub fn sink_route(&self) -> &[Point] {
        &self.routes[self.routes.len() - 1]
    }
}
