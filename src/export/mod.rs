//! Export: a scene written as SVG ([`svg`]), rasterised to PNG ([`png`]), frames encoded as
//! GIF and APNG ([`anim`]) and a PDF ([`pdf`]), a page to click through ([`html`]), and a
//! figure's graph as Graphviz DOT ([`dot`]).

pub mod anim;
pub mod dot;
pub mod html;
pub mod pdf;
pub mod png;
pub mod svg;
