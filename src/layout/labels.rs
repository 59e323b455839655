//! Where labels sit: the box of a label beside its edge, and, if the spacing slides labels,
//! the place along each edge where its labels are clear of nodes, arrows and other labels;
//! and whether a label reads as its own edge's ([`unclear`]).

use super::geometry::{crossing, Metrics, Point, Rect};
use super::parts::{EdgeLabels, NodeShape, Placed, Side, Spacing};
use super::routes::segment;

/// The box of a label of size `m` on `side` of the edge `route`, `at` the fraction of the
/// way along its segment `k`.
pub(super) fn label_rect(
    route: &[Point],
    k: usize,
    at: f64,
    m: Metrics,
    side: Side,
    spacing: &Spacing,
) -> Rect {
    let (a, b, up) = segment(route, k);
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

/// How much nearer its own edge (forward or backward arrow) than any other edge a label must
/// be, so that a reader cannot take it for the other edge's.
const NEARER: f64 = 6.0;

/// The free length kept along a labelled segment between a label and a point where another
/// edge crosses it.
const CROSSING_CLEARANCE: f64 = 6.0;

/// Whether the label box `rect` of edge `e` (on its segment `k`) could be taken for another
/// edge's, where `backed(f)` says whether edge f's backward arrow is drawn: it is not at least [`NEARER`] closer to its own arrows than to any other edge's, or
/// it sits beside a stretch of its segment that another edge crosses (within
/// [`CROSSING_CLEARANCE`]).
pub(super) fn unclear(
    rect: &Rect,
    e: usize,
    k: usize,
    routes: &[Vec<Point>],
    back_routes: &[Vec<Point>],
    backed: &dyn Fn(usize) -> bool,
) -> bool {
    let distance = |route: &[Point]| {
        route
            .windows(2)
            .map(|w| rect.segment_distance(w[0], w[1]))
            .fold(f64::INFINITY, f64::min)
    };
    let arrows = |f: usize| {
        let forward = distance(&routes[f]);
        if backed(f) {
            forward.min(distance(&back_routes[f]))
        } else {
            forward
        }
    };
    let own = arrows(e);
    let nearest_other = (0..routes.len())
        .filter(|&f| f != e)
        .map(arrows)
        .fold(f64::INFINITY, f64::min);
    // A hundredth of a pixel's grace: the compact layout keeps exactly this much apart, and
    // where the figure is moved on its canvas, rounding must not tip it.
    if nearest_other < own + NEARER - 0.01 {
        return true;
    }
    let (a, b, _) = segment(&routes[e], k);
    let length = a.distance(b);
    let dir = a.towards(b);
    let along = |p: Point| (p.x - a.x) * dir.x + (p.y - a.y) * dir.y;
    let corners = rect.corners();
    let lo = corners
        .iter()
        .map(|&p| along(p))
        .fold(f64::INFINITY, f64::min);
    let hi = corners
        .iter()
        .map(|&p| along(p))
        .fold(f64::NEG_INFINITY, f64::max);
    routes
        .iter()
        .enumerate()
        .filter(|&(f, _)| f != e)
        .flat_map(|(_, route)| route.windows(2))
        .filter_map(|w| crossing(a, b, w[0], w[1]))
        // Edges leaving one name start at one point: that is no crossing.
        .filter(|t| (0.01..=0.99).contains(t))
        .any(|t| {
            let at = t * length;
            at > lo - CROSSING_CLEARANCE && at < hi + CROSSING_CLEARANCE
        })
}

/// Where along its labelled segment each route's labels sit, if the spacing slides labels.
/// Route by route, the first of [`LABEL_PLACES`] (around `spacing.label_at`) at which
/// neither label meets a node or an arrow (by the tests [`super::overlap`] makes of the
/// finished figure), comes within [`LABEL_CLEARANCE`] of a name or a label already placed,
/// or is [`unclear`]; where every place meets something, the place that meets the fewest.
pub(super) fn place_labels(
    nodes: &[Placed],
    routes: &[Vec<Point>],
    labelled: &[usize],
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
                .map(move |(side, m)| label_rect(route, labelled[e], at, m, side, spacing))
        };
        let mut best = (usize::MAX, spacing.label_at);
        for offset in LABEL_PLACES {
            let at = (spacing.label_at + offset).clamp(0.0, 1.0);
            let hits: usize = rects(at)
                .map(|r| {
                    meets(&r, &placed)
                        + usize::from(unclear(&r, e, labelled[e], routes, back_routes, &|_| true))
                })
                .sum();
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
