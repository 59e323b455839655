//! What can go wrong typesetting a formula or a label, and the size limit it checks.

use thiserror::Error;

/// Why a formula or a label could not be typeset. Messages are lowercase sentences that
/// quote the bad input; the figures fall back to plain text on any of them.
#[derive(Debug, Error, Clone, PartialEq)]
pub enum TypesetError {
    /// The size is not a positive number of pixels per em of at most 10 000.
    #[error("cannot typeset at {size} pixels per em: the size must be above 0 and at most {max}", max = MAX_SIZE)]
    Size {
        /// The size asked for, in pixels per em.
        size: f64,
    },
    /// The formula is empty or only spaces.
    #[error("cannot typeset an empty formula")]
    Empty,
    /// latex-rust could not parse or lay out the TeX (bad syntax, an unknown command, a
    /// character STIX Two Math lacks), or the laid-out formula holds something that is not
    /// drawn (the reason is then one of [`TypesetError::Overflow`] and
    /// [`TypesetError::Unsupported`], as text).
    #[error("cannot typeset \"{tex}\": {reason}")]
    Tex {
        /// The TeX as given.
        tex: String,
        /// latex-rust's message, or what could not be drawn.
        reason: String,
    },
    /// STIX Two Math, compiled into latex-rust, cannot be loaded.
    #[error("cannot load STIX Two Math: {0}")]
    MathFont(String),
    /// The shipped DejaVu Sans cannot be parsed.
    #[error("cannot read DejaVu Sans: {0}")]
    TextFont(String),
    /// One of the two fonts has no `x` to measure the x-height by.
    #[error("cannot find the x-height of DejaVu Sans and STIX Two Math")]
    XHeight,
    /// A layout dimension is too large to be a ratio of two integers.
    #[error("the layout overflowed")]
    Overflow,
    /// The layout holds a framed box, a line or a background colour, which labels do not
    /// draw.
    #[error("boxes, lines and background colours are not drawn in labels")]
    Unsupported,
    /// A label has an odd number of unescaped `$`.
    #[error("label \"{label}\" has an unmatched $")]
    UnmatchedDollar {
        /// The label as given.
        label: String,
    },
    /// A label's plain text has a character DejaVu Sans lacks (such as CJK).
    #[error("cannot typeset \"{label}\": DejaVu Sans has no {missing:?}")]
    MissingCharacter {
        /// The label as given.
        label: String,
        /// The first character the font lacks.
        missing: char,
    },
}

/// The largest size accepted, in pixels per em; larger sizes are surely a mistake.
pub(super) const MAX_SIZE: f64 = 10_000.0;

/// `Ok` if `size` is above 0 and at most [`MAX_SIZE`] pixels per em.
pub(super) fn check_size(size: f64) -> Result<(), TypesetError> {
    if size > 0.0 && size <= MAX_SIZE {
        Ok(())
    } else {
        Err(TypesetError::Size { size })
    }
}
