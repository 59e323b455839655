//! TeX math laid out by latex-rust in STIX Two Math, drawn as outlines.

use std::collections::BTreeMap;
use std::sync::{Mutex, OnceLock};

use latex_rust::ttf_parser;
use latex_rust::{BoxContent, Dim, MathBox, MathFont, MathStyle};

use super::error::check_size;
use super::error::TypesetError;
use super::formula::{Formula, Segment};
use super::outline::{outline_glyph, rectangle, text_font};

/// Math style of the whole formula: text style, as in a line of a book, so that a stacked
/// fraction is set with smaller numerator and denominator and stays compact under an arrow.
const STYLE: MathStyle = MathStyle::Text;

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
/// A [`TypesetError`] whose message quotes `tex`: [`TypesetError::Empty`] if it is empty,
/// [`TypesetError::Tex`] if it is not valid TeX, uses a command latex-rust does not know or
/// draws a character STIX Two Math lacks (such as CJK), [`TypesetError::Size`] if `size` is
/// not a positive number of pixels.
///
/// # Example
/// ```
/// use chainrule::draw::typeset::typeset;
///
/// let f = typeset(r"\frac{\partial L}{\partial z} \cdot y", 16.0).unwrap();
/// assert!(f.width > 0.0 && f.ascent + f.descent > 16.0);
/// assert!(f.svg(10.0, 40.0, "#d62728", true).starts_with("<path"));
/// ```
pub fn typeset(tex: &str, size: f64) -> Result<Formula, TypesetError> {
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
type Cache = BTreeMap<(String, u64), Result<Formula, TypesetError>>;

fn typeset_uncached(tex: &str, size: f64) -> Result<Formula, TypesetError> {
    check_size(size)?;
    if tex.trim().is_empty() {
        return Err(TypesetError::Empty);
    }
    let fail = |e: &dyn std::fmt::Display| TypesetError::Tex {
        tex: tex.to_string(),
        reason: e.to_string(),
    };
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
fn math_font() -> Result<&'static MathFont, TypesetError> {
    static FONT: OnceLock<Result<MathFont, TypesetError>> = OnceLock::new();
    FONT.get_or_init(|| {
        MathFont::stix_two_math().map_err(|e| TypesetError::MathFont(e.to_string()))
    })
    .as_ref()
    .map_err(Clone::clone)
}

/// The em of STIX Two Math per em of DejaVu Sans that gives both the same x-height (about
/// 1.16), so that math sits with the figure's text as a book sets it with its prose.
fn x_height_ratio() -> Result<f64, TypesetError> {
    static RATIO: OnceLock<Result<f64, TypesetError>> = OnceLock::new();
    RATIO
        .get_or_init(|| {
            let x_height = |face: &ttf_parser::Face<'_>| {
                let ink = face.glyph_bounding_box(face.glyph_index('x')?)?;
                Some(f64::from(ink.y_max) / f64::from(face.units_per_em()))
            };
            match (x_height(text_font()?), x_height(math_font()?.face())) {
                (Some(text), Some(math)) if math > 0.0 => Ok(text / math),
                _ => Err(TypesetError::XHeight),
            }
        })
        .clone()
}

/// A layout dimension (in ems) as a number.
fn pixels(d: &Dim) -> Result<f64, TypesetError> {
    d.as_ratio()
        .map(|(num, den)| num as f64 / den as f64)
        .ok_or(TypesetError::Overflow)
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
    fn draw(&mut self, bx: &MathBox, x: f64, parent: f64) -> Result<(), TypesetError> {
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
                return Err(TypesetError::Unsupported)
            }
        }
        Ok(())
    }
}
