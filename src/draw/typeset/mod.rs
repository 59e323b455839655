//! Math typesetting: TeX math to glyph outlines with exact metrics.
//!
//! [`typeset`] parses a TeX string and lays it out by TeX's rules with
//! [latex-rust](https://docs.rs/latex-rust), in STIX Two Math (compiled into that crate), then
//! writes the resulting boxes as one SVG path of glyph outlines. A formula therefore looks the
//! same in every viewer and through resvg, whatever fonts a machine has, and its metrics are
//! the TeX box's: width, height above the baseline, depth below it. Sizes are those of the
//! figure's DejaVu Sans text; the math font is scaled to the same x-height.
//! [`typeset_label`] does the same for a hand-written label that mixes plain text, drawn with
//! the outlines of the shipped DejaVu Sans, and `$...$` math.
//!
//! Outline coordinates are written with two decimals: glyphs need finer steps than the one
//! decimal of the figure's other elements, and a fixed precision keeps the bytes the same on
//! every run.

use std::collections::BTreeMap;
use std::fmt::Write;
use std::sync::{Mutex, OnceLock};

use latex_rust::ttf_parser::{self, GlyphId, OutlineBuilder};
use latex_rust::{BoxContent, Dim, MathBox, MathFont, MathStyle};

use super::fonts::SHIPPED;
use crate::text::xml::escape;

/// Math style of the whole formula: text style, as in a line of a book, so that a stacked
/// fraction is set with smaller numerator and denominator and stays compact under an arrow.
const STYLE: MathStyle = MathStyle::Text;

/// Stroke width, in ems, that [`Formula::svg`] adds around the outlines for bold.
const BOLD_STROKE: f64 = 0.045;

/// The largest size accepted, in pixels per em; larger sizes are surely a mistake.
const MAX_SIZE: f64 = 10_000.0;

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
    size: f64,
    /// The outlines, relative to the left end of the baseline, y downwards.
    outline: Vec<Segment>,
}

/// One command of an outline path, in pixels.
#[derive(Debug, Clone, Copy, PartialEq)]
enum Segment {
    Move(Point),
    Line(Point),
    Quad([Point; 2]),
    Cubic([Point; 3]),
    Close,
}

type Point = (f64, f64);

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
    fn shifted(self, dx: f64) -> Segment {
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
                push_num(&mut d, x + px);
                d.push(' ');
                push_num(&mut d, baseline + py);
            }
        }
        let colour = escape(colour);
        let mut out = format!(r#"<path d="{d}" fill="{colour}""#);
        if bold {
            let _ = write!(
                out,
                r#" stroke="{colour}" stroke-linejoin="round" stroke-width=""#
            );
            push_num(&mut out, BOLD_STROKE * self.size);
            out.push('"');
        }
        out.push_str("/>");
        out
    }
}

/// Appends a coordinate rounded to two decimals, without trailing zeros and without `-0`.
fn push_num(out: &mut String, v: f64) {
    let hundredths = (v * 100.0).round() as i64;
    if hundredths < 0 {
        out.push('-');
    }
    let (whole, fraction) = (
        hundredths.unsigned_abs() / 100,
        hundredths.unsigned_abs() % 100,
    );
    let _ = write!(out, "{whole}");
    match fraction {
        0 => {}
        f if f % 10 == 0 => {
            let _ = write!(out, ".{}", f / 10);
        }
        f => {
            let _ = write!(out, ".{f:02}");
        }
    }
}

/// Typesets TeX math (without surrounding `$...$`) to sit with DejaVu Sans text of `size`
/// pixels per em: STIX Two Math is set with the same x-height as that text, at an em of about
/// 1.16 × `size`, as a book sets its formulas with its prose.
///
/// Handles what TeX math mode does, as far as latex-rust implements it: `\frac{a}{b}`,
/// `x^{2}`, `x_{0}`, `\partial`, `\cdot`, `\mathrm{exp}`, `\left( ... \right)`, Greek,
/// `\sum` and so on. The Unicode minus `−`, middle dot `·` and `×` are read as `-`, `\cdot`
/// and `\times`. `\color` is ignored: a formula is drawn in the one colour given to
/// [`Formula::svg`]. Results are cached, so typesetting a formula again costs a map lookup.
///
/// # Errors
/// A sentence quoting `tex` if it is empty, is not valid TeX, uses a command latex-rust does
/// not know or draws a character STIX Two Math lacks (such as CJK), or if `size` is not a
/// positive number of pixels.
///
/// # Example
/// ```
/// use chainrule::draw::typeset::typeset;
///
/// let f = typeset(r"\frac{\partial L}{\partial z} \cdot y", 16.0).unwrap();
/// assert!(f.width > 0.0 && f.ascent + f.descent > 16.0);
/// assert!(f.svg(10.0, 40.0, "#d62728", true).starts_with("<path"));
/// ```
pub fn typeset(tex: &str, size: f64) -> Result<Formula, String> {
    static CACHE: OnceLock<Mutex<Cache>> = OnceLock::new();
    let cache = CACHE.get_or_init(|| Mutex::new(BTreeMap::new()));
    let key = (tex.to_string(), size.to_bits());
    if let Some(done) = cache.lock().ok().and_then(|c| c.get(&key).cloned()) {
        return done;
    }
    let result = typeset_uncached(tex, size);
    if let Ok(mut c) = cache.lock() {
        c.insert(key, result.clone());
    }
    result
}

/// Every formula typeset so far, keyed by TeX and the bits of the size.
type Cache = BTreeMap<(String, u64), Result<Formula, String>>;

fn typeset_uncached(tex: &str, size: f64) -> Result<Formula, String> {
    check_size(size)?;
    if tex.trim().is_empty() {
        return Err("cannot typeset an empty formula".to_string());
    }
    let fail = |e: &dyn std::fmt::Display| format!("cannot typeset \"{tex}\": {e}");
    let font = math_font()?;
    let em = size * x_height_ratio()?;
    let source = normalise(tex);
    let ast = latex_rust::parse(&source).map_err(|e| fail(&e))?;
    let em_pt = Dim::ratio((em * 100.0).round() as i64, 100);
    let tree =
        latex_rust::layout_with_em_size_pt(&ast, font, STYLE, &em_pt).map_err(|e| fail(&e))?;
    let mut pen = Pen {
        font,
        em,
        outline: Vec::new(),
    };
    pen.draw(&tree, 0.0, 0.0).map_err(|e| fail(&e))?;
    Ok(Formula {
        width: pixels(&tree.width)? * em,
        ascent: pixels(&tree.height)? * em,
        descent: pixels(&tree.depth)? * em,
        size,
        outline: pen.outline,
    })
}

fn check_size(size: f64) -> Result<(), String> {
    if size > 0.0 && size <= MAX_SIZE {
        Ok(())
    } else {
        Err(format!(
            "cannot typeset at {size} pixels per em: the size must be above 0 and at most {MAX_SIZE}"
        ))
    }
}

/// Unicode operators written as their TeX commands, which set the right spacing.
fn normalise(tex: &str) -> String {
    let mut out = String::with_capacity(tex.len());
    for c in tex.chars() {
        match c {
            '−' => out.push('-'),
            '·' | '⋅' => out.push_str(r"\cdot "),
            '×' => out.push_str(r"\times "),
            c => out.push(c),
        }
    }
    out
}

/// STIX Two Math, parsed once.
fn math_font() -> Result<&'static MathFont, String> {
    static FONT: OnceLock<Result<MathFont, String>> = OnceLock::new();
    FONT.get_or_init(|| {
        MathFont::stix_two_math().map_err(|e| format!("cannot load STIX Two Math: {e}"))
    })
    .as_ref()
    .map_err(Clone::clone)
}

/// The em of STIX Two Math per em of DejaVu Sans that gives both the same x-height (about
/// 1.16), so that math sits with the figure's text as a book sets it with its prose.
fn x_height_ratio() -> Result<f64, String> {
    static RATIO: OnceLock<Result<f64, String>> = OnceLock::new();
    RATIO
        .get_or_init(|| {
            let x_height = |face: &ttf_parser::Face<'_>| {
                let ink = face.glyph_bounding_box(face.glyph_index('x')?)?;
                Some(f64::from(ink.y_max) / f64::from(face.units_per_em()))
            };
            match (x_height(text_font()?), x_height(math_font()?.face())) {
                (Some(text), Some(math)) if math > 0.0 => Ok(text / math),
                _ => Err("cannot find the x-height of DejaVu Sans and STIX Two Math".to_string()),
            }
        })
        .clone()
}

/// A layout dimension (in ems) as a number.
fn pixels(d: &Dim) -> Result<f64, String> {
    d.as_ratio()
        .map(|(num, den)| num as f64 / den as f64)
        .ok_or_else(|| "the layout overflowed".to_string())
}

/// Walks a laid-out box tree, collecting glyph outlines and rules in pixels.
struct Pen<'a> {
    font: &'a MathFont,
    em: f64,
    outline: Vec<Segment>,
}

impl Pen<'_> {
    /// Draws `bx` with its left end at `x` on a parent baseline at `parent` (pixels, y down);
    /// the box's shift raises it off that baseline. The same walk as latex-rust's SVG writer.
    fn draw(&mut self, bx: &MathBox, x: f64, parent: f64) -> Result<(), String> {
        let em = self.em;
        let baseline = parent - pixels(&bx.shift)? * em;
        match &bx.content {
            BoxContent::Empty | BoxContent::Kern(_) => {}
            BoxContent::Glyph {
                glyph_id, scale, ..
            } => {
                let k = em * pixels(scale)? / f64::from(self.font.units_per_em());
                outline_glyph(
                    self.font.face(),
                    *glyph_id,
                    (x, baseline),
                    k,
                    &mut self.outline,
                );
            }
            BoxContent::Rule => {
                let (w, h, d) = (
                    pixels(&bx.width)? * em,
                    pixels(&bx.height)? * em,
                    pixels(&bx.depth)? * em,
                );
                if w > 0.0 && h + d > 0.0 {
                    rectangle(x, baseline - h, w, h + d, &mut self.outline);
                }
            }
            BoxContent::HList(kids) => {
                let mut at = x;
                for kid in kids {
                    self.draw(kid, at, baseline)?;
                    at += pixels(&kid.width)? * em;
                }
            }
            BoxContent::VList(kids) => {
                let mut below = 0.0;
                for (i, kid) in kids.iter().enumerate() {
                    if i == 0 {
                        self.draw(kid, x, baseline)?;
                        below = pixels(&kid.depth)? * em;
                    } else {
                        let height = pixels(&kid.height)? * em;
                        self.draw(kid, x, baseline + below + height)?;
                        below += height + pixels(&kid.depth)? * em;
                    }
                }
            }
            BoxContent::Overlap(kids) => {
                for kid in kids {
                    self.draw(kid, x, baseline)?;
                }
            }
            BoxContent::Color(_, inner) => self.draw(inner, x, baseline)?,
            BoxContent::BackColor(..) | BoxContent::Line { .. } | BoxContent::Frame { .. } => {
                return Err("boxes, lines and background colours are not drawn in labels".into())
            }
        }
        Ok(())
    }
}

/// Appends the outline of glyph `id` of `face`, scaled by `k` pixels per font unit, with its
/// origin at `origin`.
fn outline_glyph(
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
fn rectangle(x: f64, y: f64, w: f64, h: f64, out: &mut Vec<Segment>) {
    out.extend([
        Segment::Move((x, y)),
        Segment::Line((x + w, y)),
        Segment::Line((x + w, y + h)),
        Segment::Line((x, y + h)),
        Segment::Close,
    ]);
}

/// Hand-written labels: `$...$` segments are math, the rest plain text in DejaVu Sans, all
/// at `size` pixels per em on one baseline. `\$` outside math is a literal dollar sign.
/// Returns `None` if `label` has no `$`, so the caller draws it as ordinary text.
///
/// # Errors
/// (Inside the `Some`.) An unmatched `$`, a math segment [`typeset`] rejects, or a plain
/// character DejaVu Sans lacks (such as CJK: write those labels without math).
///
/// # Example
/// ```
/// use chainrule::draw::typeset::typeset_label;
///
/// let f = typeset_label(r"gradient $\frac{\partial L}{\partial x}$", 16.0).unwrap().unwrap();
/// assert!(f.width > 80.0);
/// assert!(typeset_label("apple", 16.0).is_none());
/// ```
pub fn typeset_label(label: &str, size: f64) -> Option<Result<Formula, String>> {
    label.contains('$').then(|| label_formula(label, size))
}

fn label_formula(label: &str, size: f64) -> Result<Formula, String> {
    check_size(size)?;
    let text = text_font()?;
    let mut label_box = Formula {
        width: 0.0,
        ascent: 0.0,
        descent: 0.0,
        size,
        outline: Vec::new(),
    };
    for (i, segment) in split_dollars(label)?.iter().enumerate() {
        let part = if i % 2 == 1 {
            typeset(segment, size)?
        } else {
            plain(text, segment, size)
                .map_err(|c| format!("cannot typeset \"{label}\": DejaVu Sans has no {c:?}"))?
        };
        let dx = label_box.width;
        label_box
            .outline
            .extend(part.outline.iter().map(|s| s.shifted(dx)));
        label_box.width += part.width;
        label_box.ascent = label_box.ascent.max(part.ascent);
        label_box.descent = label_box.descent.max(part.descent);
    }
    Ok(label_box)
}

/// The label cut at each unescaped `$`: text, math, text, ... (`\$` becomes `$` in text).
fn split_dollars(label: &str) -> Result<Vec<String>, String> {
    let mut parts = Vec::new();
    let mut current = String::new();
    let mut chars = label.chars().peekable();
    while let Some(c) = chars.next() {
        let in_text = parts.len() % 2 == 0;
        if c == '\\' && in_text && chars.peek() == Some(&'$') {
            chars.next();
            current.push('$');
        } else if c == '$' {
            parts.push(std::mem::take(&mut current));
        } else {
            current.push(c);
        }
    }
    parts.push(current);
    if parts.len() % 2 == 0 {
        return Err(format!("label \"{label}\" has an unmatched $"));
    }
    Ok(parts)
}

/// The shipped DejaVu Sans, parsed once.
fn text_font() -> Result<&'static ttf_parser::Face<'static>, String> {
    static FONT: OnceLock<Result<ttf_parser::Face<'static>, String>> = OnceLock::new();
    FONT.get_or_init(|| {
        ttf_parser::Face::parse(SHIPPED[0], 0).map_err(|e| format!("cannot read DejaVu Sans: {e}"))
    })
    .as_ref()
    .map_err(Clone::clone)
}

/// Plain text set in `face` with its advances and pair kerning, as a formula whose ascent and
/// descent are the ink's. `Err` names the first character the font lacks.
fn plain(face: &ttf_parser::Face<'_>, text: &str, size: f64) -> Result<Formula, char> {
    let k = size / f64::from(face.units_per_em());
    let mut formula = Formula {
        width: 0.0,
        ascent: 0.0,
        descent: 0.0,
        size,
        outline: Vec::new(),
    };
    let mut previous = None;
    for c in text.chars() {
        let id = face.glyph_index(c).ok_or(c)?;
        if let Some(left) = previous {
            formula.width += f64::from(kerning(face, left, id)) * k;
        }
        outline_glyph(face, id.0, (formula.width, 0.0), k, &mut formula.outline);
        if let Some(ink) = face.glyph_bounding_box(id) {
            formula.ascent = formula.ascent.max(f64::from(ink.y_max) * k);
            formula.descent = formula.descent.max(-f64::from(ink.y_min) * k);
        }
        formula.width += f64::from(face.glyph_hor_advance(id).unwrap_or(0)) * k;
        previous = Some(id);
    }
    Ok(formula)
}

/// The `kern` table's adjustment between two glyphs, in font units.
fn kerning(face: &ttf_parser::Face<'_>, left: GlyphId, right: GlyphId) -> i32 {
    face.tables().kern.map_or(0, |kern| {
        kern.subtables
            .into_iter()
            .filter(|s| s.horizontal && !s.variable && !s.has_cross_stream)
            .filter_map(|s| s.glyphs_kerning(left, right))
            .map(i32::from)
            .sum()
    })
}
