//! The book's placement: straight edges with their labels along them.

use super::coords::{place, ranks, vertical, weights};
use super::geometry::{Metrics, Point};
use super::layers::Layers;
use super::parts::{EdgeLabels, NodeShape, Placed, Spacing, NOTE_GAP};

/// Places `layers` (not shelved) for straight edges: ranks far enough apart for every edge's
/// labels, nodes in a rank at least `spacing.row` apart (and the notes under them more).
/// Returns the nodes and each edge's
/// route through its waypoints, from centre to centre.
pub(super) fn straight(
    layers: &Layers,
    shapes: &[NodeShape],
    labels: &[EdgeLabels],
    notes: &[Metrics],
    spacing: &Spacing,
) -> (Vec<Placed>, Vec<Vec<Point>>) {
    let Layers {
        rows,
        preds,
        succs,
        chains,
        ..
    } = layers;
    let count = preds.len();
    let mut height = vec![0.0; count];
    let mut width = vec![0.0; count];
    for (i, s) in shapes.iter().enumerate() {
        height[i] = s.height();
        width[i] = s.width();
    }
    let rank = ranks(rows, count);

    let weight = weights(shapes, count);
    let under = |a: usize| {
        notes
            .get(a)
            .filter(|m| m.width > 0.0)
            .map_or(0.0, |m| NOTE_GAP + m.ascent + m.descent)
    };
    let gap = |a: usize, b: usize| {
        let both_real = height[a] > 0.0 && height[b] > 0.0;
        ((height[a] + height[b]) / 2.0 + 24.0).max(if both_real {
            spacing.row
        } else {
            spacing.row / 2.0
        }) + under(a)
    };
    let y = vertical(rows, &weight, preds, succs, &gap);

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
                x[r - 1] + rank_width[r - 1] / 2.0 + width[b] / 2.0 + need[b].max(spacing.min_edge),
            );
        }
        x[r] = at;
    }

    let nodes = place(shapes, &rank, &x, &rank_width, &y);
    let routes: Vec<Vec<Point>> = chains
        .iter()
        .map(|ch| {
            let mut pts: Vec<Point> = ch.iter().map(|&i| Point::new(x[rank[i]], y[i])).collect();
            let n = pts.len();
            pts[0] = nodes[ch[0]].centre;
            pts[n - 1] = nodes[ch[n - 1]].centre;
            pts
        })
        .collect();
    (nodes, routes)
}
