//! A typeset formula and its SVG: the outlines as one path.

use std::fmt::Write;

use crate::text::format::write_outline_coordinate;
use crate::text::xml::escape;

/// Stroke width, in ems, that [`Formula::svg`] adds around the outlines for bold.
const BOLD_STROKE: f64 = 0.045;

/// A typeset formula: its size relative to its baseline, and how to draw it.
///
/// Metrics are in pixels: `width` is the advance from the left end of the baseline,
/// `ascent` the height above the baseline and `descent` the depth below it (both positive),
/// those of TeX's box around the formula, which hugs the ink.
#[derive(Debug, Clone, PartialEq)]
pub struct Formula {
    /// Horizontal extent.
    pub width: f64,
    /// Height above the baseline.
    pub ascent: f64,
    /// Depth below the baseline.
    pub descent: f64,
    /// Pixels per em of the text it was set to match (the bold stroke scales with it).
    pub(super) size: f64,
    /// The outlines, relative to the left end of the baseline, y downwards.
    pub(super) outline: Vec<Segment>,
}

/// One command of an outline path, in pixels.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(super) enum Segment {
    Move(Point),
    Line(Point),
    Quad([Point; 2]),
    Cubic([Point; 3]),
    Close,
}

/// A point in pixels, y downwards.
pub(super) type Point = (f64, f64);

impl Segment {
    /// The SVG path command letter and the points that follow it.
    fn parts(&self) -> (char, &[Point]) {
        match self {
            Segment::Move(p) => ('M', std::slice::from_ref(p)),
            Segment::Line(p) => ('L', std::slice::from_ref(p)),
            Segment::Quad(points) => ('Q', points),
            Segment::Cubic(points) => ('C', points),
            Segment::Close => ('Z', &[]),
        }
    }

    /// The segment moved right by `dx`.
    pub(super) fn shifted(self, dx: f64) -> Segment {
        let m = |(x, y): Point| (x + dx, y);
        match self {
            Segment::Move(p) => Segment::Move(m(p)),
            Segment::Line(p) => Segment::Line(m(p)),
            Segment::Quad(points) => Segment::Quad(points.map(m)),
            Segment::Cubic(points) => Segment::Cubic(points.map(m)),
            Segment::Close => Segment::Close,
        }
    }
}

impl Formula {
    /// A formula with nothing in it yet, set to match text of `size` pixels per em.
    pub(super) fn empty(size: f64) -> Formula {
        Formula {
            width: 0.0,
            ascent: 0.0,
            descent: 0.0,
            size,
            outline: Vec::new(),
        }
    }

    /// The SVG elements drawing the formula with its baseline's left end at (`x`, `baseline`),
    /// filled with `colour` (e.g. `"#d62728"`). `bold` strokes the outlines in the same colour,
    /// 0.045 em wide (about 0.7 px at 16 px), which thickens every stroke of the glyphs and
    /// lets the ink grow past the metrics by half that width. STIX Two Math has no bold face,
    /// so this is the bold the figures' gradients get.
    ///
    /// One `<path>` element, or nothing for an empty formula.
    pub fn svg(&self, x: f64, baseline: f64, colour: &str, bold: bool) -> String {
        if self.outline.is_empty() {
            return String::new();
        }
        let mut d = String::with_capacity(16 * self.outline.len());
        for segment in &self.outline {
            let (command, points) = segment.parts();
            d.push(command);
            for (i, (px, py)) in points.iter().enumerate() {
                if i > 0 {
                    d.push(' ');
                }
                write_outline_coordinate(&mut d, x + px);
                d.push(' ');
                write_outline_coordinate(&mut d, baseline + py);
            }
        }
        let colour = escape(colour);
        let mut out = format!(r#"<path d="{d}" fill="{colour}""#);
        if bold {
            let _ = write!(
                out,
                r#" stroke="{colour}" stroke-linejoin="round" stroke-width=""#
            );
            write_outline_coordinate(&mut out, BOLD_STROKE * self.size);
            out.push('"');
        }
        out.push_str("/>");
        out
    }
}
