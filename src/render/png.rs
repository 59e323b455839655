//! Rasterises SVG with resvg, using the shipped fonts first and the system's after them.

use resvg::tiny_skia;
use resvg::usvg;

use super::fonts::Fonts;

/// Renders `svg` at `scale` (2 for slides) to PNG bytes.
///
/// # Errors
/// A sentence if the SVG cannot be parsed, the canvas is empty or too large, or encoding fails.
pub fn rasterise(svg: &str, scale: f32, fonts: &Fonts) -> Result<Vec<u8>, String> {
    let options = usvg::Options {
        fontdb: fonts.database(),
        font_family: "DejaVu Sans".to_string(),
        ..usvg::Options::default()
    };
    let tree = usvg::Tree::from_str(svg, &options).map_err(|e| format!("invalid SVG: {e}"))?;
    let size = tree
        .size()
        .to_int_size()
        .scale_by(scale)
        .ok_or("the figure is empty")?;
    let mut pixmap = tiny_skia::Pixmap::new(size.width(), size.height())
        .ok_or("the figure is too large to rasterise")?;
    resvg::render(
        &tree,
        tiny_skia::Transform::from_scale(scale, scale),
        &mut pixmap.as_mut(),
    );
    pixmap
        .encode_png()
        .map_err(|e| format!("cannot encode PNG: {e}"))
}
