//! Glyph outlines and rules as path segments in pixels, and the text font they come from.

use std::sync::OnceLock;

use latex_rust::ttf_parser::{self, GlyphId, OutlineBuilder};

use super::error::TypesetError;
use super::formula::{Point, Segment};
use crate::draw::fonts::SHIPPED;

/// Appends the outline of glyph `id` of `face`, scaled by `k` pixels per font unit, with its
/// origin at `origin`.
pub(super) fn outline_glyph(
    face: &ttf_parser::Face<'_>,
    id: u16,
    origin: Point,
    k: f64,
    out: &mut Vec<Segment>,
) {
    let mut builder = Builder { origin, k, out };
    face.outline_glyph(GlyphId(id), &mut builder);
}

/// Receives outline points in font units (y up) and stores them in pixels (y down).
struct Builder<'a> {
    origin: Point,
    k: f64,
    out: &'a mut Vec<Segment>,
}

impl Builder<'_> {
    fn at(&self, x: f32, y: f32) -> Point {
        (
            self.origin.0 + f64::from(x) * self.k,
            self.origin.1 - f64::from(y) * self.k,
        )
    }
}

impl OutlineBuilder for Builder<'_> {
    fn move_to(&mut self, x: f32, y: f32) {
        let p = self.at(x, y);
        self.out.push(Segment::Move(p));
    }

    fn line_to(&mut self, x: f32, y: f32) {
        let p = self.at(x, y);
        self.out.push(Segment::Line(p));
    }

    fn quad_to(&mut self, x1: f32, y1: f32, x: f32, y: f32) {
        let (c, p) = (self.at(x1, y1), self.at(x, y));
        self.out.push(Segment::Quad([c, p]));
    }

    fn curve_to(&mut self, x1: f32, y1: f32, x2: f32, y2: f32, x: f32, y: f32) {
        let (c1, c2, p) = (self.at(x1, y1), self.at(x2, y2), self.at(x, y));
        self.out.push(Segment::Cubic([c1, c2, p]));
    }

    fn close(&mut self) {
        self.out.push(Segment::Close);
    }
}

/// Appends a filled rectangle (a fraction bar).
pub(super) fn rectangle(x: f64, y: f64, w: f64, h: f64, out: &mut Vec<Segment>) {
    out.extend([
        Segment::Move((x, y)),
        Segment::Line((x + w, y)),
        Segment::Line((x + w, y + h)),
        Segment::Line((x, y + h)),
        Segment::Close,
    ]);
}

/// The shipped DejaVu Sans, parsed once.
pub(super) fn text_font() -> Result<&'static ttf_parser::Face<'static>, TypesetError> {
    static FONT: OnceLock<Result<ttf_parser::Face<'static>, TypesetError>> = OnceLock::new();
    FONT.get_or_init(|| {
        ttf_parser::Face::parse(SHIPPED[0], 0).map_err(|e| TypesetError::TextFont(e.to_string()))
    })
    .as_ref()
    .map_err(Clone::clone)
}
