//! Export: a scene written as SVG ([`svg`]), rasterised to PNG (`png`), frames encoded as
//! GIF (`gif`) and APNG (`apng`), one frame at a time, over the changes between them
//! (`anim`), and a PDF (`pdf`), a page to click through ([`html`]), and a figure's graph as
//! Graphviz DOT ([`dot`]). The encoders are behind the `raster`, `anim` and `pdf` features.

#[cfg(feature = "anim")]
pub mod anim;
#[cfg(feature = "anim")]
pub mod apng;
pub mod dot;
#[cfg(feature = "anim")]
pub mod gif;
pub mod html;
#[cfg(feature = "anim")]
mod palette;
#[cfg(feature = "pdf")]
pub mod pdf;
#[cfg(feature = "raster")]
pub mod png;
pub mod svg;

/// Parses an SVG for an encoder: its text laid out and turned into outlines with the shipped
/// fonts first and the system's after them (as PNG and PDF show it), and nothing it refers
/// to loaded (chainrule's own SVGs refer to nothing, and a golden that `check` rasterises
/// may come from anywhere).
#[cfg(any(feature = "raster", feature = "pdf"))]
fn parse(svg: &str) -> Result<usvg::Tree, usvg::Error> {
    let options = usvg::Options {
        fontdb: crate::draw::fonts::Fonts::shared().database(),
        font_family: "DejaVu Sans".to_string(),
        resources_dir: None,
        image_href_resolver: usvg::ImageHrefResolver {
            resolve_data: Box::new(|_, _, _| None),
            resolve_string: Box::new(|_, _| None),
        },
        ..usvg::Options::default()
    };
    usvg::Tree::from_str(svg, &options)
}

/// Why a figure or frames could not be rasterised or encoded. Messages are lowercase and
/// name what failed; the caller adds the file.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum EncodeError {
    /// The SVG could not be parsed for rasterising or for the PDF.
    #[error("invalid SVG: {0}")]
    Svg(#[from] usvg::Error),
    #[cfg(feature = "pdf")]
    /// The SVG of a page, its text already outlines, could not be read back by svg2pdf's
    /// own SVG parser.
    #[error("invalid SVG: {0}")]
    PdfSvg(#[from] svg2pdf::usvg::Error),
    /// The figure has no area at the scale asked for.
    #[error("the figure is empty")]
    Empty,
    /// The canvas could not be made: too large to rasterise.
    #[error("the figure is too large to rasterise")]
    TooLarge,
    /// The side-by-side comparison of two images could not be made: too large.
    #[error("the comparison is too large")]
    ComparisonTooLarge,
    /// An animation was asked for with no frames.
    #[error("there are no frames")]
    NoFrames,
    /// A frame of an animation is not the size of the first.
    #[error("the frames differ in size")]
    FrameSize,
    /// An animation or a PDF has more frames than its format can count.
    #[error("{0} frames are more than the format can count")]
    FrameCount(usize),
    /// The canvas is larger than a GIF allows (65,535 pixels a side).
    #[error("{width}×{height} is larger than a GIF allows")]
    TooLargeForGif {
        /// The canvas's width in pixels.
        width: u32,
        /// The canvas's height in pixels.
        height: u32,
    },
    #[cfg(feature = "raster")]
    /// The png crate could not encode a PNG or an APNG.
    #[error("cannot encode PNG: {0}")]
    Png(#[from] ::png::EncodingError),
    #[cfg(feature = "anim")]
    /// The gif crate could not encode a GIF.
    #[error("cannot encode GIF: {0}")]
    Gif(#[from] ::gif::EncodingError),
    #[cfg(feature = "pdf")]
    /// svg2pdf could not convert a page.
    #[error("cannot convert to PDF: {0}")]
    Pdf(svg2pdf::ConversionError),
    #[cfg(feature = "pdf")]
    /// svg2pdf returned a page without its drawing.
    #[error("svg2pdf returned no drawing")]
    PdfDrawing,
}
