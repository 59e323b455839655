//! Animated PNG, written one frame at a time ([`ApngWriter`]): each frame after the first is
//! the patch around its changes, drawn over the frame before where every changed pixel is
//! opaque, else replacing the patch.

use std::io::Write;

use png::{BitDepth, BlendOp, ColorType, DisposeOp, Encoder, Writer};
use resvg::tiny_skia::Pixmap;

use super::anim::{Patch, Step};
use super::png::{DEFLATE, FILTER};
use super::EncodeError;

/// An animated PNG of `frames`, frame i shown `delays_ms[i]` milliseconds, looping forever.
/// Viewers without APNG support show the first frame.
///
/// # Errors
/// [`EncodeError::NoFrames`], [`EncodeError::FrameSize`], or the png crate's error.
pub fn apng(frames: &[Pixmap], delays_ms: &[u32]) -> Result<Vec<u8>, EncodeError> {
    let (width, height) = super::anim::size(frames)?;
    let mut out = Vec::new();
    let mut writer = ApngWriter::new(&mut out, width, height, frames.len())?;
    let mut delays = delays_ms.iter();
    Step::through(frames, |step| {
        writer.push(&step, delays.next().copied().unwrap_or_default())
    })?;
    writer.finish()?;
    Ok(out)
}

/// An APNG being written into `W`, its frames given one at a time.
pub struct ApngWriter<W: Write> {
    writer: Writer<W>,
}

impl<W: Write> ApngWriter<W> {
    /// Starts an APNG of `count` frames of `width`×`height` into `out`, looping forever.
    ///
    /// # Errors
    /// [`EncodeError::FrameCount`] if `count` does not fit the format, or the png crate's
    /// error.
    pub fn new(out: W, width: u32, height: u32, count: usize) -> Result<Self, EncodeError> {
        let frames = u32::try_from(count).map_err(|_| EncodeError::FrameCount(count))?;
        let mut encoder = Encoder::new(out, width, height);
        encoder.set_color(ColorType::Rgba);
        encoder.set_depth(BitDepth::Eight);
        encoder.set_deflate_compression(DEFLATE);
        encoder.set_filter(FILTER);
        encoder.set_animated(frames, 0)?;
        let mut writer = encoder.write_header()?;
        writer.set_dispose_op(DisposeOp::None)?;
        Ok(ApngWriter { writer })
    }

    /// Writes the frame of `step`, shown `delay_ms` milliseconds.
    ///
    /// # Errors
    /// The png crate's error, e.g. for more frames than announced.
    pub fn push(&mut self, step: &Step<'_>, delay_ms: u32) -> Result<(), EncodeError> {
        let Step {
            previous,
            next,
            patch,
        } = *step;
        let (blend, data) = match previous {
            Some(before) if opaque_changes(patch, before, next) => {
                (BlendOp::Over, changes(patch, before, next))
            }
            _ => (BlendOp::Source, straight(patch, next)),
        };
        let writer = &mut self.writer;
        writer.reset_frame_position()?;
        writer.set_frame_dimension(patch.width, patch.height)?;
        writer.set_frame_position(patch.x, patch.y)?;
        writer.set_blend_op(blend)?;
        let (numerator, denominator) = delay_fraction(delay_ms);
        writer.set_frame_delay(numerator, denominator)?;
        writer.write_image_data(&data)?;
        Ok(())
    }

    /// Ends the file; every announced frame must have been written.
    ///
    /// # Errors
    /// The png crate's error.
    pub fn finish(self) -> Result<(), EncodeError> {
        Ok(self.writer.finish()?)
    }
}

/// The pixels of `image` inside `patch`, row by row, as RGBA with straight alpha.
fn straight(patch: Patch, image: &Pixmap) -> Vec<u8> {
    let mut data = Vec::with_capacity(patch.area() * 4);
    for row in patch.rows(image) {
        for p in row {
            let c = p.demultiply();
            data.extend_from_slice(&[c.red(), c.green(), c.blue(), c.alpha()]);
        }
    }
    data
}

/// Whether every pixel in which `next` differs from `previous` inside `patch` is opaque, so
/// that drawing [`changes`] over `previous` gives `next` exactly.
fn opaque_changes(patch: Patch, previous: &Pixmap, next: &Pixmap) -> bool {
    patch
        .rows(previous)
        .zip(patch.rows(next))
        .all(|(old, new)| old.iter().zip(new).all(|(o, n)| o == n || n.is_opaque()))
}

/// The pixels of `next` inside `patch` as RGBA, those that are as in `previous` transparent.
fn changes(patch: Patch, previous: &Pixmap, next: &Pixmap) -> Vec<u8> {
    let mut data = Vec::with_capacity(patch.area() * 4);
    for (old, new) in patch.rows(previous).zip(patch.rows(next)) {
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

/// A delay of `ms` milliseconds as APNG's fraction of a second (two 16-bit numbers): in
/// milliseconds where it fits, else in hundredths or tenths of a second or in seconds, so a
/// long hold is not cut short at 65.5 s (at most 65,535 s).
fn delay_fraction(ms: u32) -> (u16, u16) {
    for (denominator, per) in [(1000, 1), (100, 10), (10, 100), (1, 1000)] {
        if let Ok(n) = u16::try_from(ms.div_ceil(per)) {
            return (n, denominator);
        }
    }
    (u16::MAX, 1)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::export::anim::tests::frames;

    #[test]
    fn long_delays_keep_their_length() {
        assert_eq!(delay_fraction(1500), (1500, 1000));
        assert_eq!(delay_fraction(65_535), (65_535, 1000));
        assert_eq!(delay_fraction(90_000), (9_000, 100));
        assert_eq!(delay_fraction(10_000_000), (10_000, 1));
        assert_eq!(delay_fraction(u32::MAX), (u16::MAX, 1));
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
}
