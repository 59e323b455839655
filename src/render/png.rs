//! Rasterises SVG with resvg, using the shipped fonts first and the system's after them.

use resvg::tiny_skia;
use resvg::usvg;

use super::fonts::Fonts;

/// Renders `svg` at `scale` (2 for slides) to PNG bytes.
///
/// # Errors
/// A sentence if the SVG cannot be parsed, the canvas is empty or too large, or encoding fails.
pub fn rasterise(svg: &str, scale: f32, fonts: &Fonts) -> Result<Vec<u8>, String> {
    pixmap(svg, scale, fonts)?
        .encode_png()
        .map_err(|e| format!("cannot encode PNG: {e}"))
}

/// Places PNG-ready images side by side on white, with a gap between them.
///
/// # Errors
/// A sentence if the result would be empty or too large, or encoding fails.
pub fn side_by_side(images: &[tiny_skia::Pixmap]) -> Result<Vec<u8>, String> {
    let gap = 24;
    let width = images.iter().map(|p| p.width() + gap).sum::<u32>();
    let height = images
        .iter()
        .map(tiny_skia::Pixmap::height)
        .max()
        .unwrap_or(1);
    let mut canvas =
        tiny_skia::Pixmap::new(width.max(1), height).ok_or("the comparison is too large")?;
    canvas.fill(tiny_skia::Color::from_rgba8(200, 200, 200, 255));
    let mut x = 0;
    for image in images {
        canvas.draw_pixmap(
            i32::try_from(x).unwrap_or(i32::MAX),
            0,
            image.as_ref(),
            &tiny_skia::PixmapPaint::default(),
            tiny_skia::Transform::identity(),
            None,
        );
        x += image.width() + gap;
    }
    canvas
        .encode_png()
        .map_err(|e| format!("cannot encode PNG: {e}"))
}

/// Renders `svg` at `scale` to a pixmap.
///
/// # Errors
/// A sentence if the SVG cannot be parsed or the canvas is empty or too large.
pub fn pixmap(svg: &str, scale: f32, fonts: &Fonts) -> Result<tiny_skia::Pixmap, String> {
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
    Ok(pixmap)
}
