//! Rasterises SVG with resvg, using the shipped fonts first and the system's after them, and
//! encodes the result as PNG.

use png::{BitDepth, ColorType, DeflateCompression, Encoder, Filter};
use resvg::tiny_skia;

use super::EncodeError;

/// The deflate level of every PNG chainrule writes (figures, frames, animations), through
/// zlib-rs (the png crate's `zlib-rs` feature; twice as fast as its default, miniz_oxide). On
/// the gallery's largest frames, level 4 with [`FILTER`] encodes four times as fast as the png
/// crate's defaults (level 6, a filter chosen per row) into files of the same size.
pub const DEFLATE: DeflateCompression = DeflateCompression::Level(4);

/// The row filter of every PNG chainrule writes: for flat figures, predicting each row from
/// the one above compresses as well as trying every filter on every row, at a fraction of
/// the cost.
pub const FILTER: Filter = Filter::Up;

/// Renders `svg` at `scale` (2 for slides) to PNG bytes.
///
/// # Errors
/// [`EncodeError::Svg`], [`EncodeError::Empty`], [`EncodeError::TooLarge`] or
/// [`EncodeError::Png`].
pub fn rasterise(svg: &str, scale: f32) -> Result<Vec<u8>, EncodeError> {
    encode(&pixmap(svg, scale)?)
}

/// Encodes `image` as PNG: RGB when every pixel is opaque (as figures on their white
/// background are), else RGBA with straight alpha.
///
/// # Errors
/// [`EncodeError::Png`] if encoding fails.
pub fn encode(image: &tiny_skia::Pixmap) -> Result<Vec<u8>, EncodeError> {
    let opaque = image.pixels().iter().all(|p| p.alpha() == u8::MAX);
    let (colour, data) = if opaque {
        let mut rgb = Vec::with_capacity(image.data().len() / 4 * 3);
        for p in image.data().chunks_exact(4) {
            rgb.extend_from_slice(&p[..3]);
        }
        (ColorType::Rgb, rgb)
    } else {
        (ColorType::Rgba, image.clone().take_demultiplied())
    };
    let mut out = Vec::new();
    let mut encoder = Encoder::new(&mut out, image.width(), image.height());
    encoder.set_color(colour);
    encoder.set_depth(BitDepth::Eight);
    encoder.set_deflate_compression(DEFLATE);
    encoder.set_filter(FILTER);
    let mut writer = encoder.write_header()?;
    writer.write_image_data(&data)?;
    writer.finish()?;
    Ok(out)
}

/// Places PNG-ready images side by side on white, with a gap between them.
///
/// # Errors
/// [`EncodeError::ComparisonTooLarge`] or [`EncodeError::Png`].
pub fn side_by_side(images: &[tiny_skia::Pixmap]) -> Result<Vec<u8>, EncodeError> {
    let gap = 24;
    let width = images.iter().map(|p| p.width() + gap).sum::<u32>();
    let height = images
        .iter()
        .map(tiny_skia::Pixmap::height)
        .max()
        .unwrap_or(1);
    let mut canvas =
        tiny_skia::Pixmap::new(width.max(1), height).ok_or(EncodeError::ComparisonTooLarge)?;
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
    encode(&canvas)
}

/// The most pixels a raster has: a larger figure is drawn at the smaller scale that fits
/// (its SVG zooms without limit). 32 megapixels take 128 MB.
pub const MAX_PIXELS: f64 = 32e6;

/// Renders `svg` at `scale` to a pixmap, or smaller if it would have more than
/// [`MAX_PIXELS`].
///
/// # Errors
/// [`EncodeError::Svg`], [`EncodeError::Empty`] or [`EncodeError::TooLarge`].
pub fn pixmap(svg: &str, scale: f32) -> Result<tiny_skia::Pixmap, EncodeError> {
    let tree = super::parse(svg)?;
    let full = f64::from(tree.size().width()) * f64::from(tree.size().height());
    let fits = (MAX_PIXELS / (full * f64::from(scale) * f64::from(scale))).sqrt();
    let scale = if fits < 1.0 {
        (f64::from(scale) * fits) as f32
    } else {
        scale
    };
    let size = tree
        .size()
        .to_int_size()
        .scale_by(scale)
        .ok_or(EncodeError::Empty)?;
    let mut pixmap =
        tiny_skia::Pixmap::new(size.width(), size.height()).ok_or(EncodeError::TooLarge)?;
    // A figure is drawn on white, and so is the canvas: a size of 288.6 px is rasterised
    // 289 px high, and a last row left half transparent turns grey in a GIF.
    pixmap.fill(tiny_skia::Color::WHITE);
    resvg::render(
        &tree,
        tiny_skia::Transform::from_scale(scale, scale),
        &mut pixmap.as_mut(),
    );
    Ok(pixmap)
}

#[cfg(test)]
mod tests {
    use super::pixmap;

    #[test]
    fn a_fractional_size_leaves_no_pixel_transparent() {
        let svg = r#"<svg xmlns="http://www.w3.org/2000/svg" width="20.0" height="10.6" viewBox="0 0 20.0 10.6"><rect width="20.0" height="10.6" fill="white"/></svg>"#;
        let image = pixmap(svg, 1.0).unwrap();
        assert_eq!((image.width(), image.height()), (20, 11));
        assert!(image
            .pixels()
            .iter()
            .all(|p| (p.red(), p.green(), p.blue(), p.alpha()) == (255, 255, 255, 255)));
    }
}
