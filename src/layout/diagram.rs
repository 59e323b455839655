//! Where everything goes, computed once per scenario so that every view and every frame
//! puts each node in the same place.
//!
//! layout-rs ranks the graph left to right and orders each rank to avoid crossings (its
//! public lowering phases: `to_valid_dag`, `split_long_edges`); edges that skip ranks get
//! waypoints there. Coordinates are our own: ranks are spaced so that every edge has room
//! for its labels, and within a rank nodes are pulled towards the mean of their neighbours
//! (alternating sweeps, each an order-preserving least-squares projection), which centres
//! each operator between its inputs as the book draws them instead of a staircase.

use std::collections::BTreeMap;

use layout::core::base::Orientation;
use layout::core::geometry::Point as LPoint;
use layout::core::style::StyleAttr;
use layout::std_shapes::shapes::{Arrow, Element, ShapeKind};
use layout::topo::layout::VisualGraph;
use petgraph::graph::NodeIndex;

use super::geometry::{Metrics, Point, Rect};
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
    fn width(&self) -> f64 {
        match *self {
            NodeShape::Text(m) => m.width,
            NodeShape::Circle(r) => 2.0 * r,
            NodeShape::Layer(w, _) => w,
        }
    }
    fn height(&self) -> f64 {
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
/// [`own_layers`] instead of layout-rs: layout-rs's crossing optimiser grows about n^3.5, and
/// from about 30 nodes up our path crosses less (generated MLPs of 49 to 106 nodes: 2 to 3
/// times fewer crossings; random graphs of 30 to 60 nodes: a third fewer). The book's
/// figures, the largest of 22 nodes, keep layout-rs's look.
pub const LAYOUT_RS_MAX_NODES: usize = 30;

/// A layered graph: items (the nodes, the output's label, then waypoints of edges that skip
/// ranks) in ranks left to right, each rank in order top to bottom.
struct Layers {
    /// The items of each rank, in order.
    rows: Vec<Vec<usize>>,
    /// Each item's neighbours in the rank before.
    preds: Vec<Vec<usize>>,
    /// Each item's neighbours in the rank after.
    succs: Vec<Vec<usize>>,
    /// Each edge's items: source, waypoints, target.
    chains: Vec<Vec<usize>>,
}

/// Ranks and orders with layout-rs's own phases (its `DAG` validation off, edges added in
/// topological order).
fn layout_rs_layers(model: &Model, shapes: &[NodeShape], edges: &[(usize, usize)]) -> Layers {
    let sink = shapes.len() - 1;
    let mut vg = VisualGraph::new(Orientation::LeftToRight);
    vg.dag.set_validate(false);
    let handles: Vec<_> = shapes
        .iter()
        .map(|s| {
            let size = LPoint::new(s.width(), s.height());
            vg.add_node(Element::create(
                ShapeKind::new_box(""),
                StyleAttr::simple(),
                Orientation::LeftToRight,
                size,
            ))
        })
        .collect();
    let mut in_order: Vec<usize> = (0..edges.len()).collect();
    let rank_of: Vec<usize> = {
        let order = crate::core::engine::topological_order(model);
        let mut pos = vec![0; sink + 1];
        for (i, n) in order.iter().enumerate() {
            pos[n.index()] = i;
        }
        pos[sink] = sink + 1;
        pos
    };
    in_order.sort_by_key(|&e| (rank_of[edges[e].1], e));
    for &e in &in_order {
        vg.add_edge(Arrow::simple(""), handles[edges[e].0], handles[edges[e].1]);
    }
    vg.to_valid_dag();
    vg.split_text_edges();
    vg.split_long_edges(false);

    let count = vg.num_nodes();
    let rows: Vec<Vec<usize>> = vg
        .dag
        .ranks()
        .iter()
        .map(|row| row.iter().map(|h| h.get_index()).collect())
        .collect();
    let preds: Vec<Vec<usize>> = (0..count)
        .map(|i| {
            vg.dag
                .predecessors(layout::adt::dag::NodeHandle::new(i))
                .iter()
                .map(|h| h.get_index())
                .collect()
        })
        .collect();
    let succs: Vec<Vec<usize>> = (0..count)
        .map(|i| {
            vg.dag
                .successors(layout::adt::dag::NodeHandle::new(i))
                .iter()
                .map(|h| h.get_index())
                .collect()
        })
        .collect();

    // Each model edge's chain of items: source, waypoints, target.
    let mut used = vec![false; count];
    let chains: Vec<Vec<usize>> = edges
        .iter()
        .map(|&(from, to)| chain(from, to, shapes.len(), &succs, &mut used))
        .collect();
    Layers {
        rows,
        preds,
        succs,
        chains,
    }
}

/// Ranks and orders a large graph: ranks by network simplex ([`super::rank`], the ranking
/// with the shortest edges, from each node as late as its users allow), waypoints on edges
/// that skip ranks, then each rank ordered for few crossings ([`super::order`]).
fn own_layers(model: &Model, real: usize, edges: &[(usize, usize)]) -> Layers {
    let sink = real - 1;
    let mut rank = vec![0usize; real];
    let mut order: Vec<usize> = crate::core::engine::topological_order(model)
        .iter()
        .map(|n| n.index())
        .collect();
    order.push(sink);
    let mut incoming: Vec<Vec<usize>> = vec![Vec::new(); real];
    let mut outgoing: Vec<Vec<usize>> = vec![Vec::new(); real];
    for &(from, to) in edges {
        incoming[to].push(from);
        outgoing[from].push(to);
    }
    for &v in &order {
        rank[v] = incoming[v].iter().map(|&u| rank[u] + 1).max().unwrap_or(0);
    }
    // Then, from the output back, each node moves up to just before its first user: a
    // feasible start with many tight edges.
    for &v in order.iter().rev() {
        if let Some(first_use) = outgoing[v].iter().map(|&u| rank[u]).min() {
            rank[v] = first_use.saturating_sub(1);
        }
    }
    let rank = super::rank::network_simplex(real, edges, &rank);
    let ranks = rank.iter().max().map_or(1, |r| r + 1);
    let mut item_rank = rank.clone();
    let mut preds: Vec<Vec<usize>> = vec![Vec::new(); real];
    let mut succs: Vec<Vec<usize>> = vec![Vec::new(); real];
    let chains: Vec<Vec<usize>> = edges
        .iter()
        .map(|&(from, to)| {
            let mut path = vec![from];
            for r in rank[from] + 1..rank[to] {
                item_rank.push(r);
                preds.push(Vec::new());
                succs.push(Vec::new());
                path.push(item_rank.len() - 1);
            }
            path.push(to);
            for w in path.windows(2) {
                succs[w[0]].push(w[1]);
                preds[w[1]].push(w[0]);
            }
            path
        })
        .collect();
    let rows = super::order::order(
        &super::order::Layered {
            rank: &item_rank,
            preds: &preds,
            succs: &succs,
        },
        ranks,
        sink,
    );
    Layers {
        rows,
        preds,
        succs,
        chains,
    }
}

/// The items from `from` to `to`, through waypoints (items at index `real` and above).
fn chain(
    from: usize,
    to: usize,
    real: usize,
    succs: &[Vec<usize>],
    used: &mut [bool],
) -> Vec<usize> {
    let mut path = vec![from];
    let mut at = from;
    while at != to {
        let next = succs[at]
            .iter()
            .copied()
            .find(|&s| s == to || (s >= real && !used[s] && leads_to(s, to, real, succs)));
        match next {
            Some(s) => {
                if s >= real {
                    used[s] = true;
                }
                path.push(s);
                at = s;
            }
            None => {
                path.push(to);
                break;
            }
        }
    }
    path
}

fn leads_to(from: usize, to: usize, real: usize, succs: &[Vec<usize>]) -> bool {
    let mut at = from;
    loop {
        match succs[at].first() {
            Some(&s) if s == to => return true,
            Some(&s) if s >= real => at = s,
            _ => return false,
        }
    }
}

/// Vertical positions: start from layout-rs's order, then pull every item towards its
/// neighbours, sweeping right to left (towards the mean of its users) and left to right
/// (towards the mean of its operator arguments, so a chain of operators stays straight and
/// inputs join it from the side), keeping each rank's order and minimum spacing. Heavier
/// items move less when two want the same place.
fn vertical(
    rows: &[Vec<usize>],
    height: &[f64],
    weight: &[f64],
    preds: &[Vec<usize>],
    succs: &[Vec<usize>],
    spacing: &Spacing,
) -> Vec<f64> {
    let mut y = vec![0.0; height.len()];
    let gap = |a: usize, b: usize| {
        let both_real = height[a] > 0.0 && height[b] > 0.0;
        ((height[a] + height[b]) / 2.0 + 24.0).max(if both_real {
            spacing.row
        } else {
            spacing.row / 2.0
        })
    };
    for row in rows {
        let mut at = 0.0;
        for (k, &i) in row.iter().enumerate() {
            if k > 0 {
                at += gap(row[k - 1], i);
            }
            y[i] = at;
        }
    }
    let mean = |ys: &[f64], of: &[usize]| -> Option<f64> {
        (!of.is_empty()).then(|| of.iter().map(|&j| ys[j]).sum::<f64>() / of.len() as f64)
    };
    let main_preds: Vec<Vec<usize>> = preds
        .iter()
        .map(|p| {
            let heavy: Vec<usize> = p.iter().copied().filter(|&j| weight[j] > 1.0).collect();
            if heavy.is_empty() {
                p.clone()
            } else {
                heavy
            }
        })
        .collect();
    let sweep =
        |y: &mut Vec<f64>, rows: &mut dyn Iterator<Item = &Vec<usize>>, towards: &[Vec<usize>]| {
            for row in rows {
                let desired: Vec<f64> = row
                    .iter()
                    .map(|&i| mean(y, &towards[i]).unwrap_or(y[i]))
                    .collect();
                let weights: Vec<f64> = row.iter().map(|&i| weight[i]).collect();
                let gaps: Vec<f64> = row.windows(2).map(|w| gap(w[0], w[1])).collect();
                for (&i, v) in row.iter().zip(project(&desired, &weights, &gaps)) {
                    y[i] = v;
                }
            }
        };
    for _ in 0..8 {
        sweep(&mut y, &mut rows.iter().rev(), succs);
        sweep(&mut y, &mut rows.iter(), &main_preds);
    }
    y
}

/// The positions closest (weighted least squares) to `desired` that keep their order with at
/// least `gaps[k]` between item k and k+1: isotonic regression by pooling adjacent violators.
fn project(desired: &[f64], weights: &[f64], gaps: &[f64]) -> Vec<f64> {
    let mut offset = vec![0.0; desired.len()];
    for k in 1..desired.len() {
        offset[k] = offset[k - 1] + gaps[k - 1];
    }
    // Blocks of (Σ w·z, Σ w, count), their means non-decreasing.
    let mut blocks: Vec<(f64, f64, usize)> = Vec::new();
    for ((d, o), w) in desired.iter().zip(&offset).zip(weights) {
        blocks.push((w * (d - o), *w, 1));
        while let [.., (s1, w1, n1), (s2, w2, n2)] = blocks[..] {
            if s1 / w1 <= s2 / w2 {
                break;
            }
            blocks.truncate(blocks.len() - 2);
            blocks.push((s1 + s2, w1 + w2, n1 + n2));
        }
    }
    let mut out = Vec::with_capacity(desired.len());
    for (sum, w, n) in blocks {
        for _ in 0..n {
            out.push(sum / w + offset[out.len()]);
        }
    }
    out
}

/// Vertical distance between edges that join the same two nodes.
const PARALLEL_GAP: f64 = 64.0;

/// Edges between the same two nodes (a value used twice by one op) are drawn side by side.
fn spread_parallel(edges: &[(usize, usize)], routes: &mut [Vec<Point>]) {
    let mut between: BTreeMap<(usize, usize), Vec<usize>> = BTreeMap::new();
    for (e, &ends) in edges.iter().enumerate() {
        between.entry(ends).or_default().push(e);
    }
    for e in 0..edges.len() {
        let same = &between[&edges[e]];
        if same.len() < 2 {
            continue;
        }
        let k = same.iter().position(|&f| f == e).unwrap_or(0) as f64;
        let dy = (k - (same.len() - 1) as f64 / 2.0) * PARALLEL_GAP;
        let n = routes[e].len();
        for p in &mut routes[e][1..n - 1] {
            p.y += dy;
        }
        if n == 2 {
            // Out, along, and in: the labels sit on the middle run, clear of the others.
            let (a, b) = (routes[e][0], routes[e][1]);
            let down = Point::new(0.0, 1.0);
            routes[e].splice(
                1..1,
                [a.lerp(b, 0.2).plus(down, dy), a.lerp(b, 0.8).plus(down, dy)],
            );
        }
    }
}

/// Where an arrow leaves (`leaving`) or reaches a node whose centre is `centre`, heading
/// from or to `other`.
fn boundary(node: &Placed, centre: Point, other: Point, gap: f64, leaving: bool) -> Point {
    let dir = centre.towards(other);
    match node.shape {
        NodeShape::Text(m) => {
            let x = if leaving {
                centre.x + m.width / 2.0 + gap
            } else {
                centre.x - m.width / 2.0 - gap
            };
            Point::new(x, centre.y)
        }
        NodeShape::Circle(r) => centre.plus(dir, r + gap),
        NodeShape::Layer(w, h) => {
            let tx = if dir.x == 0.0 {
                f64::INFINITY
            } else {
                (w / 2.0 + gap) / dir.x.abs()
            };
            let ty = if dir.y == 0.0 {
                f64::INFINITY
            } else {
                (h / 2.0 + gap) / dir.y.abs()
            };
            centre.plus(dir, tx.min(ty))
        }
    }
}

/// `end` moved along the segment towards `other` until it is at least `gap` clear of `node`.
fn clear_of(node: &Placed, end: Point, other: Point, gap: f64) -> Point {
    let inside = |p: Point| match node.shape {
        NodeShape::Circle(r) => p.distance(node.centre) < r + gap,
        _ => node.rect().grown(gap).meets_circle(p, 0.001),
    };
    if !inside(end) {
        return end;
    }
    let (mut lo, mut hi) = (0.0, 1.0);
    if inside(end.lerp(other, hi)) {
        return end;
    }
    for _ in 0..40 {
        let mid = (lo + hi) / 2.0;
        if inside(end.lerp(other, mid)) {
            lo = mid;
        } else {
            hi = mid;
        }
    }
    end.lerp(other, hi)
}

/// The labelled segment of a route (its longest; the first of equals), and its unit normal that
/// points up, away from the backward arrow.
pub fn normal(route: &[Point]) -> (Point, Point, Point) {
    let longest = route
        .windows(2)
        .enumerate()
        .fold((0, -1.0), |(best, length), (i, w)| {
            let l = w[0].distance(w[1]);
            if l > length + 1e-9 {
                (i, l)
            } else {
                (best, length)
            }
        })
        .0;
    let (a, b) = (route[longest], route[longest + 1]);
    let d = a.towards(b);
    let up = if d.x >= 0.0 {
        Point::new(d.y, -d.x)
    } else {
        Point::new(-d.y, d.x)
    };
    (a, b, up)
}

/// The box of a label of size `m` on `side` of the edge `route`, `at` the fraction of the
/// way along its longest segment.
fn label_rect(route: &[Point], at: f64, m: Metrics, side: Side, spacing: &Spacing) -> Rect {
    let (a, b, up) = normal(route);
    let at = a.lerp(b, at);
    let (w, h) = (m.width, m.ascent + m.descent);
    let reach = up.x.abs() * w / 2.0 + up.y.abs() * h / 2.0;
    let centre = match side {
        Side::Above => at.plus(up, spacing.label_gap + reach),
        Side::Below => at.plus(up, -(spacing.back_offset + 2.0 + spacing.label_gap + reach)),
    };
    Rect::centred(centre, w, h)
}

/// How far from the spacing's `label_at` a label may sit along its segment, as fractions of
/// the segment, in order of preference: its own place first, then ever further from it.
const LABEL_PLACES: [f64; 15] = [
    0.0, -0.05, 0.05, -0.1, 0.1, -0.15, 0.15, -0.2, 0.2, -0.25, 0.25, -0.3, 0.3, -0.35, 0.35,
];

/// The least free space a slid label keeps from other labels and from names, so that labels
/// read apart: more than the crowding check asks (against nodes and arrows it asks the
/// check's own half a pixel).
const LABEL_CLEARANCE: f64 = 4.0;

/// Where along its longest segment each route's labels sit, if the spacing slides labels.
/// Route by route, the first of [`LABEL_PLACES`] (around `spacing.label_at`) at which
/// neither label meets a node or an arrow (by the tests [`super::overlap`] makes of the
/// finished figure) or comes within [`LABEL_CLEARANCE`] of a name or a label already placed;
/// where every place meets something, the place that meets the fewest.
fn place_labels(
    nodes: &[Placed],
    routes: &[Vec<Point>],
    back_routes: &[Vec<Point>],
    labels: &[EdgeLabels],
    spacing: &Spacing,
) -> Vec<f64> {
    let mut places = vec![spacing.label_at; routes.len()];
    if !spacing.slide_labels {
        return places;
    }
    let segments: Vec<(Point, Point)> = routes
        .iter()
        .chain(back_routes)
        .flat_map(|r| r.windows(2).map(|w| (w[0], w[1])))
        .collect();
    let mut placed: Vec<Rect> = nodes
        .iter()
        .filter(|p| matches!(p.shape, NodeShape::Text(_)))
        .map(|p| p.rect().grown(LABEL_CLEARANCE))
        .collect();
    let meets = |r: &Rect, placed: &[Rect]| {
        let r = r.grown(-0.5);
        let wide = r.grown(1.0);
        let over_node = nodes.iter().any(|p| match p.shape {
            NodeShape::Circle(radius) => r.meets_circle(p.centre, radius),
            NodeShape::Layer(..) => r.overlaps(&p.rect()),
            NodeShape::Text(_) => false,
        });
        usize::from(over_node)
            + placed.iter().filter(|o| r.overlaps(o)).count()
            + segments
                .iter()
                .filter(|&&(a, b)| wide.meets_segment(a, b))
                .count()
    };
    for (e, (route, l)) in routes.iter().zip(labels).enumerate() {
        if l.above.width == 0.0 && l.below.width == 0.0 {
            continue;
        }
        let rects = |at: f64| {
            [(Side::Above, l.above), (Side::Below, l.below)]
                .into_iter()
                .filter(|(_, m)| m.width > 0.0)
                .map(move |(side, m)| label_rect(route, at, m, side, spacing))
        };
        let mut best = (usize::MAX, spacing.label_at);
        for offset in LABEL_PLACES {
            let at = (spacing.label_at + offset).clamp(0.0, 1.0);
            let hits: usize = rects(at).map(|r| meets(&r, &placed)).sum();
            if hits < best.0 {
                best = (hits, at);
            }
            if hits == 0 {
                break;
            }
        }
        places[e] = best.1;
        placed.extend(rects(best.1).map(|r| r.grown(LABEL_CLEARANCE)));
    }
    places
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn projection_keeps_order_and_gaps() {
        let y = project(&[0.0, 0.0, 0.0], &[1.0; 3], &[10.0, 10.0]);
        assert_eq!(y, vec![-10.0, 0.0, 10.0]);
        let y = project(&[0.0, 100.0], &[1.0; 2], &[10.0]);
        assert_eq!(y, vec![0.0, 100.0]);
        let y = project(&[5.0, 0.0], &[1.0; 2], &[10.0]);
        assert_eq!(y, vec![-2.5, 7.5]);
        let y = project(&[0.0, 0.0], &[9.0, 1.0], &[10.0]);
        assert_eq!(y, vec![-1.0, 9.0]);
    }
}
