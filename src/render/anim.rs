//! Animated GIF and APNG from rendered frames, each frame shown for its own delay, looping.

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
    let mut out = Vec::new();
    {
        let mut encoder = gif::Encoder::new(&mut out, w, h, &[]).map_err(|e| e.to_string())?;
        encoder
            .set_repeat(gif::Repeat::Infinite)
            .map_err(|e| e.to_string())?;
        for (frame, &delay) in frames.iter().zip(delays_ms) {
            let mut rgba = frame.data().to_vec();
            let mut image = gif::Frame::from_rgba_speed(w, h, &mut rgba, 10);
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
