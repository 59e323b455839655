//! Animated GIF, its frames given one at a time ([`GifWriter`]). The palette is chosen from
//! every frame, so frames can only be indexed once all are given: until then each is kept as
//! runs of the colours it draws (a flat figure has few, long runs), not as a pixmap.

use ::gif::{Encoder, Frame, Repeat};
use rayon::prelude::*;
use resvg::tiny_skia::Pixmap;

use super::anim::Step;
use super::palette::{rgb, Kept, Palette, Run};
use super::EncodeError;

/// An animated GIF of `frames`, frame i shown `delays_ms[i]` milliseconds (rounded to the
/// GIF's hundredths of a second), looping forever.
///
/// # Errors
/// [`EncodeError::NoFrames`], [`EncodeError::FrameSize`], [`EncodeError::TooLargeForGif`], or
/// the gif crate's error.
pub fn gif(frames: &[Pixmap], delays_ms: &[u32]) -> Result<Vec<u8>, EncodeError> {
    let (width, height) = super::anim::size(frames)?;
    let mut writer = GifWriter::new(width, height)?;
    let mut delays = delays_ms.iter();
    Step::through(frames, |step| {
        writer.push(&step, delays.next().copied().unwrap_or_default());
        Ok(())
    })?;
    writer.finish()
}

/// A GIF being made, its frames given one at a time.
#[derive(Debug)]
pub struct GifWriter {
    width: u16,
    height: u16,
    frames: Vec<Kept>,
}

impl GifWriter {
    /// Starts a GIF of frames of `width`×`height`.
    ///
    /// # Errors
    /// [`EncodeError::TooLargeForGif`] if a side does not fit in the GIF's 16 bits.
    pub fn new(width: u32, height: u32) -> Result<Self, EncodeError> {
        let too_big = || EncodeError::TooLargeForGif { width, height };
        Ok(GifWriter {
            width: u16::try_from(width).map_err(|_| too_big())?,
            height: u16::try_from(height).map_err(|_| too_big())?,
            frames: Vec::new(),
        })
    }

    /// Keeps the frame of `step`, shown `delay_ms` milliseconds, as runs of what it draws.
    pub fn push(&mut self, step: &Step<'_>, delay_ms: u32) {
        let Step {
            previous,
            next,
            patch,
        } = *step;
        let mut runs: Vec<Run> = Vec::new();
        let mut add = |run: Run| match runs.last_mut() {
            Some(last) if (last.rgb, last.drawn) == (run.rgb, run.drawn) => last.len += run.len,
            _ => runs.push(run),
        };
        let pixel = |rgb, drawn| Run { rgb, drawn, len: 1 };
        match previous {
            None => {
                for row in patch.rows(next) {
                    row.iter().for_each(|&p| add(pixel(rgb(p), true)));
                }
            }
            Some(before) => {
                for (old, new) in patch.rows(before).zip(patch.rows(next)) {
                    for (o, &n) in old.iter().zip(new) {
                        add(if *o == n {
                            pixel([0; 3], false)
                        } else {
                            pixel(rgb(n), true)
                        });
                    }
                }
            }
        }
        self.frames.push(Kept {
            patch,
            delay_ms,
            runs,
        });
    }

    /// Chooses the palette, indexes and compresses the frames (side by side), and writes
    /// them in order.
    ///
    /// # Errors
    /// [`EncodeError::NoFrames`] if none was given, or the gif crate's error.
    pub fn finish(self) -> Result<Vec<u8>, EncodeError> {
        if self.frames.is_empty() {
            return Err(EncodeError::NoFrames);
        }
        let palette = Palette::of(&self.frames);
        let images: Vec<Frame> = self
            .frames
            .par_iter()
            .enumerate()
            .map(|(i, kept)| {
                let mut index = palette.indexer();
                let mut indices = Vec::with_capacity(kept.patch.area());
                for run in &kept.runs {
                    let at = if run.drawn {
                        index(run.rgb)
                    } else {
                        palette.transparent
                    };
                    indices.resize(indices.len() + run.len as usize, at);
                }
                let patch = kept.patch;
                // The patch lies within the canvas, whose sides fit in u16.
                let (left, top, pw, ph) = (
                    patch.x as u16,
                    patch.y as u16,
                    patch.width as u16,
                    patch.height as u16,
                );
                let transparent = (i > 0).then_some(palette.transparent);
                let mut image = Frame::from_indexed_pixels(pw, ph, indices, transparent);
                image.left = left;
                image.top = top;
                image.delay = u16::try_from(kept.delay_ms.div_ceil(10)).unwrap_or(u16::MAX);
                image.make_lzw_pre_encoded();
                image
            })
            .collect();
        let mut out = Vec::new();
        {
            let mut encoder = Encoder::new(&mut out, self.width, self.height, &palette.rgb)?;
            encoder.set_repeat(Repeat::Infinite)?;
            for image in &images {
                encoder.write_lzw_pre_encoded_frame(image)?;
            }
        }
        Ok(out)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::export::anim::tests::frames;
    use resvg::tiny_skia::{Paint, PremultipliedColorU8, Rect, Transform};

    #[test]
    fn the_gif_decodes_to_every_frame() {
        let frames = frames();
        let bytes = gif(&frames, &[100; 6]).unwrap();
        let mut options = ::gif::DecodeOptions::new();
        options.set_color_output(::gif::ColorOutput::RGBA);
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
        let mut decoder = ::gif::DecodeOptions::new().read_info(&bytes[..]).unwrap();
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

    #[test]
    fn a_frame_is_kept_as_runs() {
        let frames = frames();
        let mut writer = GifWriter::new(40, 24).unwrap();
        writer.push(&Step::new(None, &frames[0]).unwrap(), 100);
        assert_eq!(
            writer.frames[0].runs,
            vec![Run {
                rgb: [255; 3],
                drawn: true,
                len: 40 * 24
            }]
        );
        assert!(matches!(
            GifWriter::new(70_000, 1),
            Err(EncodeError::TooLargeForGif { .. })
        ));
    }
}
