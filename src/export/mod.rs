//! Export: a scene written as SVG ([`svg`]), rasterised to PNG ([`png`]), frames encoded as
//! GIF and APNG ([`anim`]) and a PDF ([`pdf`]), a page to click through ([`html`]), and a
//! figure's graph as Graphviz DOT ([`dot`]).

#[cfg(feature = "anim")]
pub mod anim;
pub mod dot;
pub mod html;
#[cfg(feature = "pdf")]
pub mod pdf;
#[cfg(feature = "raster")]
pub mod png;
pub mod svg;
