//! Points, rectangles and the few geometric tests the layout and the overlap check need.

/// A point in SVG user units (pixels at scale 1), y pointing down.
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct Point {
    /// Horizontal, to the right.
    pub x: f64,
    /// Vertical, downwards.
    pub y: f64,
}

impl Point {
    /// A point.
    pub fn new(x: f64, y: f64) -> Point {
        Point { x, y }
    }
    /// `self + v·k`.
    pub fn plus(self, v: Point, k: f64) -> Point {
        Point::new(self.x + v.x * k, self.y + v.y * k)
    }
    /// The unit vector from `self` towards `to` (zero if they coincide).
    pub fn towards(self, to: Point) -> Point {
        let (dx, dy) = (to.x - self.x, to.y - self.y);
        let len = dx.hypot(dy);
        if len == 0.0 {
            Point::default()
        } else {
            Point::new(dx / len, dy / len)
        }
    }
    /// Distance to another point.
    pub fn distance(self, to: Point) -> f64 {
        (to.x - self.x).hypot(to.y - self.y)
    }
    /// The point a fraction `t` of the way to `to`.
    pub fn lerp(self, to: Point, t: f64) -> Point {
        Point::new(self.x + (to.x - self.x) * t, self.y + (to.y - self.y) * t)
    }
}

/// An axis-aligned rectangle.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Rect {
    /// Left.
    pub x0: f64,
    /// Top.
    pub y0: f64,
    /// Right.
    pub x1: f64,
    /// Bottom.
    pub y1: f64,
}

impl Rect {
    /// The rectangle of the given size centred on `c`.
    pub fn centred(c: Point, width: f64, height: f64) -> Rect {
        Rect {
            x0: c.x - width / 2.0,
            y0: c.y - height / 2.0,
            x1: c.x + width / 2.0,
            y1: c.y + height / 2.0,
        }
    }
    /// Width.
    pub fn width(&self) -> f64 {
        self.x1 - self.x0
    }
    /// Height.
    pub fn height(&self) -> f64 {
        self.y1 - self.y0
    }
    /// The centre.
    pub fn centre(&self) -> Point {
        Point::new((self.x0 + self.x1) / 2.0, (self.y0 + self.y1) / 2.0)
    }
    /// Grown by `d` on every side.
    pub fn grown(&self, d: f64) -> Rect {
        Rect {
            x0: self.x0 - d,
            y0: self.y0 - d,
            x1: self.x1 + d,
            y1: self.y1 + d,
        }
    }
    /// The smallest rectangle holding both.
    pub fn union(&self, o: &Rect) -> Rect {
        Rect {
            x0: self.x0.min(o.x0),
            y0: self.y0.min(o.y0),
            x1: self.x1.max(o.x1),
            y1: self.y1.max(o.y1),
        }
    }
    /// Whether the interiors overlap.
    pub fn overlaps(&self, o: &Rect) -> bool {
        self.x0 < o.x1 && o.x0 < self.x1 && self.y0 < o.y1 && o.y0 < self.y1
    }
    /// Whether the segment from `a` to `b` passes through the interior (Liang–Barsky clipping).
    pub fn meets_segment(&self, a: Point, b: Point) -> bool {
        let (dx, dy) = (b.x - a.x, b.y - a.y);
        let mut t0: f64 = 0.0;
        let mut t1: f64 = 1.0;
        for (p, q) in [
            (-dx, a.x - self.x0),
            (dx, self.x1 - a.x),
            (-dy, a.y - self.y0),
            (dy, self.y1 - a.y),
        ] {
            if p == 0.0 {
                if q <= 0.0 {
                    return false;
                }
            } else {
                let r = q / p;
                if p < 0.0 {
                    t0 = t0.max(r);
                } else {
                    t1 = t1.min(r);
                }
            }
        }
        t0 < t1
    }
    /// The four corners, clockwise from the top left.
    pub fn corners(&self) -> [Point; 4] {
        [
            Point::new(self.x0, self.y0),
            Point::new(self.x1, self.y0),
            Point::new(self.x1, self.y1),
            Point::new(self.x0, self.y1),
        ]
    }
    /// Distance from the segment `a`–`b` to the rectangle (0 if it passes through or
    /// touches it).
    pub fn segment_distance(&self, a: Point, b: Point) -> f64 {
        if self.meets_segment(a, b) {
            return 0.0;
        }
        let to_ends = [a, b].map(|p| {
            let q = Point::new(p.x.clamp(self.x0, self.x1), p.y.clamp(self.y0, self.y1));
            p.distance(q)
        });
        self.corners()
            .iter()
            .map(|&c| segment_distance(c, a, b))
            .chain(to_ends)
            .fold(f64::INFINITY, f64::min)
    }
    /// Whether a circle overlaps the interior.
    pub fn meets_circle(&self, c: Point, r: f64) -> bool {
        let nx = c.x.clamp(self.x0, self.x1);
        let ny = c.y.clamp(self.y0, self.y1);
        (nx - c.x).hypot(ny - c.y) < r
    }
}

/// Distance from point `p` to the segment `a`–`b`.
pub fn segment_distance(p: Point, a: Point, b: Point) -> f64 {
    let (dx, dy) = (b.x - a.x, b.y - a.y);
    let len2 = dx * dx + dy * dy;
    let t = if len2 == 0.0 {
        0.0
    } else {
        (((p.x - a.x) * dx + (p.y - a.y) * dy) / len2).clamp(0.0, 1.0)
    };
    p.distance(a.lerp(b, t))
}

/// Where the segments `a`–`b` and `c`–`d` cross, as the fraction of the way from `a` to `b`;
/// `None` if they do not (parallel ones never do).
pub fn crossing(a: Point, b: Point, c: Point, d: Point) -> Option<f64> {
    let (rx, ry) = (b.x - a.x, b.y - a.y);
    let (sx, sy) = (d.x - c.x, d.y - c.y);
    let denom = rx * sy - ry * sx;
    if denom.abs() < 1e-12 {
        return None;
    }
    let (qx, qy) = (c.x - a.x, c.y - a.y);
    let t = (qx * sy - qy * sx) / denom;
    let u = (qx * ry - qy * rx) / denom;
    ((0.0..=1.0).contains(&t) && (0.0..=1.0).contains(&u)).then_some(t)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn segments_cross_or_not() {
        let p = Point::new;
        assert_eq!(
            crossing(p(0.0, 0.0), p(10.0, 10.0), p(0.0, 10.0), p(10.0, 0.0)),
            Some(0.5)
        );
        assert_eq!(
            crossing(p(0.0, 0.0), p(10.0, 0.0), p(0.0, 1.0), p(10.0, 1.0)),
            None
        );
        assert_eq!(
            crossing(p(0.0, 0.0), p(10.0, 0.0), p(12.0, -1.0), p(12.0, 1.0)),
            None
        );
    }

    #[test]
    fn distance_from_a_rectangle_to_a_segment() {
        let r = Rect {
            x0: 0.0,
            y0: 0.0,
            x1: 10.0,
            y1: 10.0,
        };
        let p = Point::new;
        assert_eq!(r.segment_distance(p(-5.0, 5.0), p(15.0, 5.0)), 0.0);
        assert_eq!(r.segment_distance(p(-5.0, 13.0), p(15.0, 13.0)), 3.0);
        assert_eq!(r.segment_distance(p(14.0, 5.0), p(20.0, 5.0)), 4.0);
        assert!((r.segment_distance(p(13.0, 14.0), p(20.0, 14.0)) - 5.0).abs() < 1e-12);
    }

    #[test]
    fn segment_through_a_rectangle() {
        let r = Rect {
            x0: 0.0,
            y0: 0.0,
            x1: 10.0,
            y1: 10.0,
        };
        assert!(r.meets_segment(Point::new(-5.0, 5.0), Point::new(15.0, 5.0)));
        assert!(r.meets_segment(Point::new(-5.0, -5.0), Point::new(15.0, 15.0)));
        assert!(!r.meets_segment(Point::new(-5.0, 12.0), Point::new(15.0, 12.0)));
        assert!(!r.meets_segment(Point::new(-5.0, 0.0), Point::new(-1.0, 20.0)));
        assert!(r.meets_segment(Point::new(5.0, 5.0), Point::new(6.0, 6.0)));
    }

    #[test]
    fn circle_and_rectangle() {
        let r = Rect {
            x0: 0.0,
            y0: 0.0,
            x1: 10.0,
            y1: 10.0,
        };
        assert!(r.meets_circle(Point::new(12.0, 5.0), 3.0));
        assert!(!r.meets_circle(Point::new(13.0, 13.0), 3.0));
    }
}

/// Width and vertical extent of a piece of text, in pixels, relative to its baseline.
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct Metrics {
    /// Horizontal extent.
    pub width: f64,
    /// Height above the baseline (positive).
    pub ascent: f64,
    /// Depth below the baseline (positive).
    pub descent: f64,
}
