//! Hand-written labels: plain text in the shipped DejaVu Sans with `$...$` math segments.

use latex_rust::ttf_parser::{self, GlyphId};

use super::error::{check_size, TypesetError};
use super::formula::Formula;
use super::math::typeset;
use super::outline::{outline_glyph, text_font};

/// Hand-written labels: `$...$` segments are math, the rest plain text in DejaVu Sans, all
/// at `size` pixels per em on one baseline. `\$` outside math is a literal dollar sign.
/// Returns `None` if `label` has no `$`, so the caller draws it as ordinary text.
///
/// # Errors
/// (Inside the `Some`.) [`TypesetError::UnmatchedDollar`] for an unmatched `$`, the error
/// [`typeset`] gives a math segment it rejects, or [`TypesetError::MissingCharacter`] for a
/// plain character DejaVu Sans lacks (such as CJK: write those labels without math).
///
/// # Example
/// ```
/// use chainrule::draw::typeset::typeset_label;
///
/// let f = typeset_label(r"gradient $\frac{\partial L}{\partial x}$", 16.0).unwrap().unwrap();
/// assert!(f.width > 80.0);
/// assert!(typeset_label("apple", 16.0).is_none());
/// ```
pub fn typeset_label(label: &str, size: f64) -> Option<Result<Formula, TypesetError>> {
    label.contains('$').then(|| label_formula(label, size))
}

fn label_formula(label: &str, size: f64) -> Result<Formula, TypesetError> {
    check_size(size)?;
    let text = text_font()?;
    let mut label_box = Formula::empty(size);
    for (i, segment) in split_dollars(label)?.iter().enumerate() {
        let part = if i % 2 == 1 {
            typeset(segment, size)?
        } else {
            plain(text, segment, size).map_err(|missing| TypesetError::MissingCharacter {
                label: label.to_string(),
                missing,
            })?
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
fn split_dollars(label: &str) -> Result<Vec<String>, TypesetError> {
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
        return Err(TypesetError::UnmatchedDollar {
            label: label.to_string(),
        });
    }
    Ok(parts)
}

/// Plain text set in `face` with its advances and pair kerning, as a formula whose ascent and
/// descent are the ink's. `Err` names the first character the font lacks.
fn plain(face: &ttf_parser::Face<'_>, text: &str, size: f64) -> Result<Formula, char> {
    let k = size / f64::from(face.units_per_em());
    let mut formula = Formula::empty(size);
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
