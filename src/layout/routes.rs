//! The arrows' routes and their ends: edges between the same two nodes drawn side by side,
//! arrow ends on a node's boundary or clear of it, and the segment a route's labels sit on.

use std::collections::BTreeMap;

use super::geometry::Point;
use super::parts::{NodeShape, Placed};

/// Vertical distance between edges that join the same two nodes.
const PARALLEL_GAP: f64 = 64.0;

/// Edges between the same two nodes (a value used twice by one op) are drawn side by side.
pub(super) fn spread_parallel(edges: &[(usize, usize)], routes: &mut [Vec<Point>]) {
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
pub(super) fn boundary(
    node: &Placed,
    centre: Point,
    other: Point,
    gap: f64,
    leaving: bool,
) -> Point {
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
pub(super) fn clear_of(node: &Placed, end: Point, other: Point, gap: f64) -> Point {
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

/// The index of a route's longest segment (the first of equals): where a straight layout
/// labels it.
pub fn longest(route: &[Point]) -> usize {
    route
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
        .0
}

/// Segment `k` of a route, and its unit normal that points up, away from the backward arrow.
pub fn segment(route: &[Point], k: usize) -> (Point, Point, Point) {
    let (a, b) = (route[k], route[k + 1]);
    let d = a.towards(b);
    let up = if d.x >= 0.0 {
        Point::new(d.y, -d.x)
    } else {
        Point::new(-d.y, d.x)
    };
    (a, b, up)
}
