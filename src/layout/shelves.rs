//! The compact layout: every edge's labels sit on a level stretch of their own (its shelf, in
//! a rank of shelves between two ranks of nodes), so that labels are stacked like the items of
//! a rank, never on each other, each directly over and under its own arrow; edges bend only in
//! the gaps between ranks, where they may cross, clear of every label.
//!
//! Ranks are as narrow as what is in them: a rank of nodes as wide as its widest node, a rank
//! of shelves as wide as its widest label; the gaps between ranks grow with how steeply the
//! edges in them climb, so that no arrow runs nearly upright. Vertically, items are as close
//! as their boxes allow: a shelf's box is its value above the arrow and its gradient under
//! the backward arrow.

use super::coords::{place, ranks, vertical, weights};
use super::geometry::{Metrics, Point};
use super::layers::Layers;
use super::parts::{EdgeLabels, NodeShape, Placed, Spacing, NOTE_GAP};

/// Free space between two items of a rank, beyond their boxes: enough that a label is
/// clearly nearer its own arrow than the next one.
const PAD: f64 = 4.0;

/// Room kept above and below a waypoint's arrows beyond the arrows themselves, where no label
/// is.
const BARE: f64 = 6.0;

/// Room between items of two different groups in one rank: two frames' padding and the
/// lower frame's caption.
const FRAMES_APART: f64 = 44.0;

/// Room between an item of a group and one of none: the frame's padding and its caption.
const FRAME_APART: f64 = 30.0;

/// Free space between two nodes of a rank.
const NODE_PAD: f64 = 14.0;

/// Free length of a shelf left and right of its widest label.
const SHELF_MARGIN: f64 = 8.0;

/// The least and the most horizontal room of a gap between two ranks.
const GAP: (f64, f64) = (10.0, 100.0);

/// How much horizontal room a gap gets per pixel that its steepest edge climbs.
const SLOPE: f64 = 0.4;

/// A shelved layout before its arrows get their ends: nodes, routes through every waypoint,
/// and for each route the index of its shelf's segment.
pub(super) struct Shelved {
    pub(super) nodes: Vec<Placed>,
    pub(super) routes: Vec<Vec<Point>>,
    pub(super) segments: Vec<usize>,
}

/// Places `layers` (shelved, see [`super::layers::shelve`]) with `shapes` and `labels`.
pub(super) fn arrange(
    layers: &Layers,
    shapes: &[NodeShape],
    labels: &[EdgeLabels],
    notes: &[Metrics],
    spacing: &Spacing,
) -> Shelved {
    let Layers {
        rows,
        preds,
        succs,
        chains,
        group,
        ..
    } = layers;
    let count = preds.len();
    // Each item's extent above and below its line, and its shelf's label width; a bare arrow
    // keeps [`BARE`] clear, so that a neighbour's label is plainly nearer its own.
    let mut top = vec![BARE; count];
    let mut bottom = vec![spacing.back_offset + 2.0 + BARE; count];
    let mut run = vec![0.0_f64; count];
    for (i, s) in shapes.iter().enumerate() {
        top[i] = s.height() / 2.0;
        bottom[i] = s.height() / 2.0;
    }
    // A note under a node (the sum of its gradients) widens its rank and deepens it.
    let mut note_width = vec![0.0_f64; count];
    for (i, m) in notes.iter().enumerate().filter(|(_, m)| m.width > 0.0) {
        bottom[i] += NOTE_GAP + m.ascent + m.descent;
        note_width[i] = m.width;
    }
    for (e, chain) in chains.iter().enumerate() {
        let shelf = chain[chain.len() - 2];
        let l = &labels[e];
        let height = |m: Metrics| m.ascent + m.descent;
        if l.above.width > 0.0 {
            top[shelf] = spacing.label_gap + height(l.above);
        }
        if l.below.width > 0.0 {
            bottom[shelf] = spacing.back_offset + 2.0 + spacing.label_gap + height(l.below);
        }
        run[shelf] = l.above.width.max(l.below.width);
    }
    // Each item's group: a node's own; a waypoint's, if its edge is inside one group.
    let mut framed: Vec<Option<usize>> = (0..count)
        .map(|i| group.get(i).copied().flatten())
        .collect();
    for chain in chains {
        let (from, to) = (chain[0], chain[chain.len() - 1]);
        let inside = framed[from].filter(|&g| framed[to] == Some(g));
        for &i in &chain[1..chain.len() - 1] {
            framed[i] = inside;
        }
    }
    let is_node = |i: usize| i < shapes.len();
    let gap = |a: usize, b: usize| {
        let pad = if is_node(a) && is_node(b) {
            NODE_PAD
        } else {
            PAD
        };
        let frames = match (framed[a], framed[b]) {
            (Some(g), Some(h)) if g != h => FRAMES_APART,
            (g, h) if g == h => 0.0,
            _ => FRAME_APART,
        };
        bottom[a] + top[b] + pad + frames
    };
    let weight = weights(shapes, count);
    let y = vertical(rows, &weight, preds, succs, &gap);

    // Widths of ranks; gaps as wide as their steepest edge asks.
    let rank_width: Vec<f64> = rows
        .iter()
        .map(|row| {
            row.iter()
                .map(|&i| match shapes.get(i) {
                    Some(s) => s.width().max(note_width[i]),
                    None if run[i] > 0.0 => run[i] + 2.0 * SHELF_MARGIN,
                    None => 0.0,
                })
                .fold(0.0, f64::max)
        })
        .collect();
    let mut x = vec![0.0_f64; rows.len()];
    for r in 1..rows.len() {
        let y = &y;
        let climb = rows[r - 1]
            .iter()
            .flat_map(|&a| succs[a].iter().map(move |&b| (y[a] - y[b]).abs()))
            .fold(0.0, f64::max);
        let room = (SLOPE * climb)
            .clamp(GAP.0, GAP.1)
            .max(spacing.min_edge / 4.0);
        x[r] = x[r - 1] + (rank_width[r - 1] + rank_width[r]) / 2.0 + room;
    }
    let rank = ranks(rows, count);
    let nodes = place(shapes, &rank, &x, &rank_width, &y);
    // A waypoint is a level stretch across its whole rank. An operator narrower than its
    // rank is reached (and left) at the rank's edge first, so that edges bend in the gaps
    // only; its arrows there are spread over its height in the order of their other ends.
    let stub = |node: usize, other: usize, incoming: bool| -> Option<Point> {
        let placed = &nodes[node];
        let r = rank[node];
        if matches!(placed.shape, NodeShape::Text(_)) || placed.shape.width() >= rank_width[r] {
            return None;
        }
        let side = if incoming { &preds[node] } else { &succs[node] };
        let mut ends: Vec<(f64, usize)> = side.iter().map(|&j| (y[j], j)).collect();
        ends.sort_by(|a, b| a.0.total_cmp(&b.0).then(a.1.cmp(&b.1)));
        let k = ends.iter().position(|&(_, j)| j == other).unwrap_or(0) as f64;
        let step = (placed.shape.height() / 2.0 / ends.len() as f64).min(8.0);
        let dy = (k - (ends.len() - 1) as f64 / 2.0) * step;
        let half = rank_width[r] / 2.0;
        let x_edge = if incoming { x[r] - half } else { x[r] + half };
        Some(Point::new(x_edge, y[node] + dy))
    };
    let mut segments = Vec::with_capacity(chains.len());
    let routes: Vec<Vec<Point>> = chains
        .iter()
        .map(|chain| {
            let n = chain.len();
            let mut points = vec![nodes[chain[0]].centre];
            points.extend(stub(chain[0], chain[1], false));
            for &i in &chain[1..n - 1] {
                let half = rank_width[rank[i]] / 2.0;
                points.push(Point::new(x[rank[i]] - half, y[i]));
                points.push(Point::new(x[rank[i]] + half, y[i]));
            }
            segments.push(points.len() - 2);
            points.extend(stub(chain[n - 1], chain[n - 2], true));
            points.push(nodes[chain[n - 1]].centre);
            points
        })
        .collect();
    Shelved {
        nodes,
        routes,
        segments,
    }
}
