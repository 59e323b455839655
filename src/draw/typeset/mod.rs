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
//! Outline coordinates are written with two decimals
//! ([`write_outline_coordinate`](crate::text::format::write_outline_coordinate)): glyphs need
//! finer steps than the one decimal of the figure's other elements, and a fixed precision
//! keeps the bytes the same on every run.
//!
//! The parts: `formula` (a [`Formula`] and its SVG), `math` (TeX through latex-rust),
//! `label` (plain text with `$...$` math), `outline` (glyphs and rules as path segments) and
//! `error` ([`TypesetError`]).

mod error;
mod formula;
mod label;
mod math;
mod outline;

pub use error::TypesetError;
pub use formula::Formula;
pub use label::typeset_label;
pub use math::typeset;
