//! Where labels sit: the box of a label beside its edge, and, if the spacing slides labels,
//! the place along each edge where its labels are clear of nodes, arrows and other labels.

use super::diagram::{EdgeLabels, NodeShape, Placed, Side, Spacing};
use super::geometry::{Metrics, Point, Rect};
use super::routes::normal;

/// The box of a label of size `m` on `side` of the edge `route`, `at` the fraction of the
/// way along its longest segment.
pub(super) fn label_rect(
    route: &[Point],
    at: f64,
    m: Metrics,
    side: Side,
    spacing: &Spacing,
) -> Rect {
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
pub(super) fn place_labels(
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
