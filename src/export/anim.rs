//! Animated GIF and APNG from rendered frames, each frame shown for its own delay, looping.
//!
//! Consecutive frames differ only where a label appeared, a node lit up or the caption
//! changed, so every frame after the first is stored as the rectangle around its changes,
//! the pixels in it that did not change left transparent: a viewer keeps the previous frame
//! under them. Decoded, each frame is exactly the one given (the GIF's, up to its palette).

use std::collections::{BTreeSet, HashMap, HashSet};

use png::{BitDepth, BlendOp, ColorType, DisposeOp, Encoder};
use rayon::prelude::*;
use resvg::tiny_skia::{Pixmap, PremultipliedColorU8};

use super::png::{DEFLATE, FILTER};

/// An animated GIF of `frames`, frame i shown `delays_ms[i]` milliseconds (rounded to the
/// GIF's hundredths of a second), looping forever.
///
/// # Errors
/// A sentence if there are no frames, they are larger than a GIF allows, or encoding fails.
pub fn gif(frames: &[Pixmap], delays_ms: &[u32]) -> Result<Vec<u8>, String> {
    let (width, height) = size(frames)?;
    let too_big = || format!("{width}×{height} is larger than a GIF allows");
    let (w, h) = (
        u16::try_from(width).map_err(|_| too_big())?,
        u16::try_from(height).map_err(|_| too_big())?,
    );
    let patches = patches(frames);
    let palette = Palette::of(frames, &patches);
    // Frames are compressed side by side, then written in order.
    let images: Vec<gif::Frame> = patches
        .par_iter()
        .zip(delays_ms)
        .enumerate()
        .map(|(i, (patch, &delay))| {
            let mut index = palette.indexer();
            let mut indices = Vec::with_capacity(patch.area());
            match i.checked_sub(1) {
                None => {
                    for row in patch.rows(&frames[i]) {
                        indices.extend(row.iter().map(|&p| index(p)));
                    }
                }
                Some(before) => {
                    for (old, new) in patch.rows(&frames[before]).zip(patch.rows(&frames[i])) {
                        indices.extend(old.iter().zip(new).map(|(o, &n)| {
                            if *o == n {
                                palette.transparent
                            } else {
                                index(n)
                            }
                        }));
                    }
                }
            }
            // The patch lies within the canvas, whose sides fit in u16.
            let (left, top, pw, ph) = (
                patch.x as u16,
                patch.y as u16,
                patch.width as u16,
                patch.height as u16,
            );
            let transparent = (i > 0).then_some(palette.transparent);
            let mut image = gif::Frame::from_indexed_pixels(pw, ph, indices, transparent);
            image.left = left;
            image.top = top;
            image.delay = u16::try_from(delay.div_ceil(10)).unwrap_or(u16::MAX);
            image.make_lzw_pre_encoded();
            image
        })
        .collect();
    let mut out = Vec::new();
    {
        let mut encoder =
            gif::Encoder::new(&mut out, w, h, &palette.rgb).map_err(|e| e.to_string())?;
        encoder
            .set_repeat(gif::Repeat::Infinite)
            .map_err(|e| e.to_string())?;
        for image in &images {
            encoder
                .write_lzw_pre_encoded_frame(image)
                .map_err(|e| e.to_string())?;
        }
    }
    Ok(out)
}

/// An animated PNG of `frames`, frame i shown `delays_ms[i]` milliseconds, looping forever.
/// Viewers without APNG support show the first frame.
///
/// # Errors
/// A sentence if there are no frames or encoding fails.
pub fn apng(frames: &[Pixmap], delays_ms: &[u32]) -> Result<Vec<u8>, String> {
    let (width, height) = size(frames)?;
    let count = u32::try_from(frames.len()).map_err(|e| e.to_string())?;
    let fail = |e: png::EncodingError| e.to_string();
    let mut out = Vec::new();
    {
        let mut encoder = Encoder::new(&mut out, width, height);
        encoder.set_color(ColorType::Rgba);
        encoder.set_depth(BitDepth::Eight);
        encoder.set_deflate_compression(DEFLATE);
        encoder.set_filter(FILTER);
        encoder.set_animated(count, 0).map_err(fail)?;
        let mut writer = encoder.write_header().map_err(fail)?;
        writer.set_dispose_op(DisposeOp::None).map_err(fail)?;
        let patches = patches(frames);
        for (i, (patch, &delay)) in patches.iter().zip(delays_ms).enumerate() {
            let (blend, data) = match i.checked_sub(1) {
                Some(before) if patch.opaque_changes(&frames[before], &frames[i]) => {
                    (BlendOp::Over, patch.changes(&frames[before], &frames[i]))
                }
                _ => (BlendOp::Source, patch.straight(&frames[i])),
            };
            writer.reset_frame_position().map_err(fail)?;
            writer
                .set_frame_dimension(patch.width, patch.height)
                .map_err(fail)?;
            writer.set_frame_position(patch.x, patch.y).map_err(fail)?;
            writer.set_blend_op(blend).map_err(fail)?;
            let delay = u16::try_from(delay).unwrap_or(u16::MAX);
            writer.set_frame_delay(delay, 1000).map_err(fail)?;
            writer.write_image_data(&data).map_err(fail)?;
        }
        writer.finish().map_err(fail)?;
    }
    Ok(out)
}

/// A rectangle of the canvas, in pixels, never empty.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Patch {
    x: u32,
    y: u32,
    width: u32,
    height: u32,
}

impl Patch {
    /// The smallest rectangle around every pixel in which `next` differs from `previous`
    /// (of the same size); one pixel at the origin if none does, as a frame is still needed
    /// for its delay.
    fn between(previous: &Pixmap, next: &Pixmap) -> Patch {
        let width = next.width() as usize;
        // Rows compare fastest as bytes.
        let rows: Vec<usize> = previous
            .data()
            .chunks_exact(width * 4)
            .zip(next.data().chunks_exact(width * 4))
            .enumerate()
            .filter(|(_, (old, new))| old != new)
            .map(|(y, _)| y)
            .collect();
        let (Some(&y0), Some(&y1)) = (rows.first(), rows.last()) else {
            return Patch {
                x: 0,
                y: 0,
                width: 1,
                height: 1,
            };
        };
        let (mut x0, mut x1) = (width, 0);
        for &y in &rows {
            let (old, new) = (
                &previous.pixels()[y * width..(y + 1) * width],
                &next.pixels()[y * width..(y + 1) * width],
            );
            let pairs = || old.iter().zip(new);
            x0 = x0.min(pairs().position(|(a, b)| a != b).unwrap_or(width));
            x1 = x1.max(pairs().rposition(|(a, b)| a != b).unwrap_or(0));
        }
        // Coordinates within a pixmap fit in u32.
        Patch {
            x: x0 as u32,
            y: y0 as u32,
            width: (x1 - x0 + 1) as u32,
            height: (y1 - y0 + 1) as u32,
        }
    }

    /// How many pixels it holds.
    fn area(self) -> usize {
        self.width as usize * self.height as usize
    }

    /// The rows of `image` inside the patch, top to bottom.
    fn rows(self, image: &Pixmap) -> impl Iterator<Item = &[PremultipliedColorU8]> {
        let (x, width) = (self.x as usize, self.width as usize);
        image
            .pixels()
            .chunks_exact(image.width() as usize)
            .skip(self.y as usize)
            .take(self.height as usize)
            .map(move |row| &row[x..x + width])
    }

    /// The pixels of `image` inside the patch, row by row, as RGBA with straight alpha.
    fn straight(self, image: &Pixmap) -> Vec<u8> {
        let mut data = Vec::with_capacity(self.area() * 4);
        for row in self.rows(image) {
            for p in row {
                let c = p.demultiply();
                data.extend_from_slice(&[c.red(), c.green(), c.blue(), c.alpha()]);
            }
        }
        data
    }

    /// Whether every pixel in which `next` differs from `previous` inside the patch is opaque,
    /// so that drawing [`Patch::changes`] over `previous` gives `next` exactly.
    fn opaque_changes(self, previous: &Pixmap, next: &Pixmap) -> bool {
        self.rows(previous)
            .zip(self.rows(next))
            .all(|(old, new)| old.iter().zip(new).all(|(o, n)| o == n || n.is_opaque()))
    }

    /// The pixels of `next` inside the patch as RGBA, those that are as in `previous`
    /// transparent.
    fn changes(self, previous: &Pixmap, next: &Pixmap) -> Vec<u8> {
        let mut data = Vec::with_capacity(self.area() * 4);
        for (old, new) in self.rows(previous).zip(self.rows(next)) {
            if old == new {
                data.resize(data.len() + new.len() * 4, 0);
                continue;
            }
            for (o, n) in old.iter().zip(new) {
                let c = if o == n {
                    [0; 4]
                } else {
                    [n.red(), n.green(), n.blue(), n.alpha()]
                };
                data.extend_from_slice(&c);
            }
        }
        data
    }
}

/// What each frame stores: the first, the whole canvas; each later one, the patch around
/// what changed since the frame before.
fn patches(frames: &[Pixmap]) -> Vec<Patch> {
    let first = frames.first().map(|f| Patch {
        x: 0,
        y: 0,
        width: f.width(),
        height: f.height(),
    });
    first
        .into_iter()
        .chain(frames.windows(2).map(|w| Patch::between(&w[0], &w[1])))
        .collect()
}

/// The colour a GIF gives a pixel: its colour on black (frames are opaque, drawn on white).
fn rgb(p: PremultipliedColorU8) -> [u8; 3] {
    [p.red(), p.green(), p.blue()]
}

/// The most colours a palette holds besides the transparent one.
const COLOURS: usize = 255;

/// One palette for all frames: at most 255 colours, and a last, transparent entry for the
/// pixels a frame leaves as they were. The exact colours when there are so few (flat figures
/// often have), else NeuQuant's choice from a sample of what the frames draw: the first
/// frame, and every pixel that each later one changes.
struct Palette {
    rgb: Vec<u8>,
    quantizer: Option<color_quant::NeuQuant>,
    exact: HashMap<[u8; 3], u8>,
    transparent: u8,
}

impl Palette {
    fn of(frames: &[Pixmap], patches: &[Patch]) -> Palette {
        let mut drawn: Vec<PremultipliedColorU8> = Vec::new();
        for (pair, patch) in frames.windows(2).zip(&patches[1..]) {
            for (old, new) in patch.rows(&pair[0]).zip(patch.rows(&pair[1])) {
                drawn.extend(old.iter().zip(new).filter(|(o, n)| o != n).map(|(_, &n)| n));
            }
        }
        let first = frames.first().map(|f| f.pixels()).unwrap_or_default();
        let mut colours = HashSet::new();
        let mut last = None;
        for &p in first.iter().chain(&drawn) {
            if last != Some(p) {
                colours.insert(rgb(p));
                last = Some(p);
                if colours.len() > COLOURS {
                    break;
                }
            }
        }
        if colours.len() <= COLOURS {
            let sorted: BTreeSet<[u8; 3]> = colours.into_iter().collect();
            let exact = sorted.iter().zip(0..).map(|(&c, i)| (c, i)).collect();
            return Palette::with(sorted.into_iter().flatten().collect(), None, exact);
        }
        let sample: Vec<u8> = first
            .iter()
            .step_by(31)
            .chain(&drawn)
            .flat_map(|&p| {
                let [r, g, b] = rgb(p);
                [r, g, b, u8::MAX]
            })
            .collect();
        let quantizer = color_quant::NeuQuant::new(30, COLOURS, &sample);
        Palette::with(quantizer.color_map_rgb(), Some(quantizer), HashMap::new())
    }

    /// The palette of `colours`, the transparent entry after them.
    fn with(
        mut rgb: Vec<u8>,
        quantizer: Option<color_quant::NeuQuant>,
        exact: HashMap<[u8; 3], u8>,
    ) -> Palette {
        // At most 255 colours came in, so their count fits in a u8.
        let transparent = (rgb.len() / 3) as u8;
        rgb.extend([0, 0, 0]);
        Palette {
            rgb,
            quantizer,
            exact,
            transparent,
        }
    }

    /// The index of each pixel's colour; each distinct colour is looked up once (in a map
    /// used for lookups only, so its order never shows).
    fn indexer(&self) -> impl FnMut(PremultipliedColorU8) -> u8 + '_ {
        let mut seen: HashMap<[u8; 3], u8> = HashMap::new();
        let mut last = None;
        move |p| {
            let c = rgb(p);
            if let Some((colour, index)) = last {
                if colour == c {
                    return index;
                }
            }
            let index = match &self.quantizer {
                None => self.exact.get(&c).copied().unwrap_or(0),
                Some(q) => *seen
                    .entry(c)
                    .or_insert_with(|| q.index_of(&[c[0], c[1], c[2], u8::MAX]) as u8),
            };
            last = Some((c, index));
            index
        }
    }
}

/// The common size of the frames.
fn size(frames: &[Pixmap]) -> Result<(u32, u32), String> {
    let first = frames.first().ok_or("there are no frames")?;
    if frames
        .iter()
        .any(|f| (f.width(), f.height()) != (first.width(), first.height()))
    {
        return Err("the frames differ in size".to_string());
    }
    Ok((first.width(), first.height()))
}

#[cfg(test)]
mod tests {
    use super::*;
    use resvg::tiny_skia::{Color, Paint, Rect, Transform};

    /// White frames with coloured boxes: one box more each frame, then a frame like the one
    /// before, then one half-transparent box, as at the edge of a canvas drawn at scale 1.5.
    fn frames() -> Vec<Pixmap> {
        let boxes = [
            (2.0, 2.0, Color::from_rgba8(200, 30, 30, 255)),
            (20.0, 12.0, Color::from_rgba8(30, 30, 200, 255)),
            (31.0, 3.0, Color::from_rgba8(30, 150, 30, 255)),
        ];
        let mut frames = Vec::new();
        let mut frame = Pixmap::new(40, 24).unwrap();
        frame.fill(Color::WHITE);
        frames.push(frame.clone());
        for (x, y, colour) in boxes {
            let mut paint = Paint::default();
            paint.set_color(colour);
            let rect = Rect::from_xywh(x, y, 6.5, 5.0).unwrap();
            frame.fill_rect(rect, &paint, Transform::identity(), None);
            frames.push(frame.clone());
        }
        frames.push(frame.clone());
        let edge = frame.pixels_mut().last_mut().unwrap();
        *edge = PremultipliedColorU8::from_rgba(60, 60, 60, 128).unwrap();
        frames.push(frame);
        frames
    }

    #[test]
    fn a_patch_bounds_the_changes() {
        let frames = frames();
        let patches = patches(&frames);
        assert_eq!(
            patches[0],
            Patch {
                x: 0,
                y: 0,
                width: 40,
                height: 24
            }
        );
        assert_eq!(
            patches[2],
            Patch {
                x: 20,
                y: 12,
                width: 7,
                height: 5
            }
        );
        assert_eq!(
            patches[4],
            Patch {
                x: 0,
                y: 0,
                width: 1,
                height: 1
            }
        );
        assert_eq!(
            patches[5],
            Patch {
                x: 39,
                y: 23,
                width: 1,
                height: 1
            }
        );
    }

    #[test]
    fn the_apng_decodes_to_every_frame() {
        let frames = frames();
        let bytes = apng(&frames, &[100; 6]).unwrap();
        let mut reader = png::Decoder::new(std::io::Cursor::new(bytes))
            .read_info()
            .unwrap();
        let mut canvas = vec![0u8; 40 * 24 * 4];
        let mut buffer = vec![0; reader.output_buffer_size().unwrap()];
        for frame in &frames {
            reader.next_frame(&mut buffer).unwrap();
            let fc = reader.info().frame_control.unwrap();
            let (x0, y0, w) = (
                fc.x_offset as usize,
                fc.y_offset as usize,
                fc.width as usize,
            );
            for (i, p) in buffer[..w * fc.height as usize * 4]
                .chunks_exact(4)
                .enumerate()
            {
                let at = ((y0 + i / w) * 40 + x0 + i % w) * 4;
                if fc.blend_op == BlendOp::Over {
                    assert!(p[3] == 0 || p[3] == u8::MAX, "{p:?} blended over");
                    if p[3] == 0 {
                        continue;
                    }
                }
                canvas[at..at + 4].copy_from_slice(p);
            }
            assert_eq!(canvas, frame.clone().take_demultiplied());
        }
    }

    #[test]
    fn the_gif_decodes_to_every_frame() {
        let frames = frames();
        let bytes = gif(&frames, &[100; 6]).unwrap();
        let mut options = gif::DecodeOptions::new();
        options.set_color_output(gif::ColorOutput::RGBA);
        let mut decoder = options.read_info(&bytes[..]).unwrap();
        let mut canvas = vec![0u8; 40 * 24 * 3];
        for frame in &frames {
            let decoded = decoder.read_next_frame().unwrap().unwrap();
            let (x0, y0, w) = (
                decoded.left as usize,
                decoded.top as usize,
                decoded.width as usize,
            );
            for (i, p) in decoded.buffer.chunks_exact(4).enumerate() {
                if p[3] != 0 {
                    let at = ((y0 + i / w) * 40 + x0 + i % w) * 3;
                    canvas[at..at + 3].copy_from_slice(&p[..3]);
                }
            }
            let want: Vec<u8> = frame.pixels().iter().flat_map(|&p| rgb(p)).collect();
            assert_eq!(canvas, want);
        }
    }

    #[test]
    fn many_colours_share_a_quantised_palette() {
        let mut first = Pixmap::new(32, 32).unwrap();
        for (i, p) in first.pixels_mut().iter_mut().enumerate() {
            *p = PremultipliedColorU8::from_rgba((i % 32 * 8) as u8, (i / 32 * 8) as u8, 128, 255)
                .unwrap();
        }
        let mut second = first.clone();
        second.fill_rect(
            Rect::from_xywh(4.0, 4.0, 3.0, 2.0).unwrap(),
            &Paint::default(),
            Transform::identity(),
            None,
        );
        let bytes = gif(&[first, second], &[100, 100]).unwrap();
        let mut decoder = gif::DecodeOptions::new().read_info(&bytes[..]).unwrap();
        assert_eq!(decoder.global_palette().unwrap().len(), 256 * 3);
        let whole = decoder.read_next_frame().unwrap().unwrap();
        assert_eq!(
            (whole.width, whole.height, whole.transparent),
            (32, 32, None)
        );
        let patch = decoder.read_next_frame().unwrap().unwrap();
        assert_eq!(
            (patch.left, patch.top, patch.width, patch.height),
            (4, 4, 3, 2)
        );
        assert_eq!(patch.transparent, Some(255));
    }
}
