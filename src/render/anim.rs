//! Animated GIF and APNG from rendered frames, each frame shown for its own delay, looping.

use std::collections::{BTreeMap, BTreeSet, HashMap};

use png::{BitDepth, ColorType, Encoder};
use resvg::tiny_skia::Pixmap;

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
    let palette = Palette::of(frames);
    let mut out = Vec::new();
    {
        let mut encoder =
            gif::Encoder::new(&mut out, w, h, &palette.rgb).map_err(|e| e.to_string())?;
        encoder
            .set_repeat(gif::Repeat::Infinite)
            .map_err(|e| e.to_string())?;
        let mut seen = HashMap::new();
        for (frame, &delay) in frames.iter().zip(delays_ms) {
            let indices = palette.indices(frame, &mut seen);
            let mut image = gif::Frame::from_indexed_pixels(w, h, indices, None);
            image.delay = u16::try_from(delay.div_ceil(10)).unwrap_or(u16::MAX);
            encoder.write_frame(&image).map_err(|e| e.to_string())?;
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
    let mut out = Vec::new();
    {
        let mut encoder = Encoder::new(&mut out, width, height);
        encoder.set_color(ColorType::Rgba);
        encoder.set_depth(BitDepth::Eight);
        encoder.set_animated(count, 0).map_err(|e| e.to_string())?;
        let mut writer = encoder.write_header().map_err(|e| e.to_string())?;
        for (frame, &delay) in frames.iter().zip(delays_ms) {
            let delay = u16::try_from(delay).unwrap_or(u16::MAX);
            writer
                .set_frame_delay(delay, 1000)
                .map_err(|e| e.to_string())?;
            writer
                .write_image_data(frame.data())
                .map_err(|e| e.to_string())?;
        }
        writer.finish().map_err(|e| e.to_string())?;
    }
    Ok(out)
}

/// One palette of at most 256 colours for all frames: the exact colours when there are so
/// few (flat figures often have), else NeuQuant's choice from a sample of every frame. Each
/// distinct colour is looked up once (a map used for lookups only, so its order never shows).
struct Palette {
    rgb: Vec<u8>,
    quantizer: Option<color_quant::NeuQuant>,
    exact: BTreeMap<[u8; 3], u8>,
}

impl Palette {
    fn of(frames: &[Pixmap]) -> Palette {
        let mut colours = BTreeSet::new();
        for frame in frames {
            colours.extend(frame.data().chunks_exact(4).map(|p| [p[0], p[1], p[2]]));
            if colours.len() > 256 {
                break;
            }
        }
        if colours.len() <= 256 {
            let exact: BTreeMap<[u8; 3], u8> = colours
                .iter()
                .enumerate()
                .map(|(i, &c)| (c, i as u8))
                .collect();
            let rgb = colours.iter().flatten().copied().collect();
            return Palette {
                rgb,
                quantizer: None,
                exact,
            };
        }
        let sample: Vec<u8> = frames
            .iter()
            .flat_map(|f| {
                f.data()
                    .chunks_exact(4)
                    .step_by(31)
                    .flat_map(|p| [p[0], p[1], p[2], 255])
                    .collect::<Vec<_>>()
            })
            .collect();
        let quantizer = color_quant::NeuQuant::new(30, 256, &sample);
        Palette {
            rgb: quantizer.color_map_rgb(),
            quantizer: Some(quantizer),
            exact: BTreeMap::new(),
        }
    }

    fn indices(&self, frame: &Pixmap, seen: &mut HashMap<[u8; 3], u8>) -> Vec<u8> {
        let mut last = None;
        frame
            .data()
            .chunks_exact(4)
            .map(|p| {
                let c = [p[0], p[1], p[2]];
                if let Some((colour, index)) = last {
                    if colour == c {
                        return index;
                    }
                }
                let index = match &self.quantizer {
                    None => self.exact.get(&c).copied().unwrap_or(0),
                    Some(q) => *seen
                        .entry(c)
                        .or_insert_with(|| q.index_of(&[c[0], c[1], c[2], 255]) as u8),
                };
                last = Some((c, index));
                index
            })
            .collect()
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
