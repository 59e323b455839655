//! What animated GIF ([`super::gif`]) and APNG ([`super::apng`]) share: frames are given one
//! at a time, each as a [`Step`] from the frame before, so that only two frames need be held
//! at once.
//!
//! Consecutive frames differ only where a label appeared, a node lit up or the caption
//! changed, so every frame after the first is stored as the rectangle around its changes,
//! the pixels in it that did not change left transparent: a viewer keeps the previous frame
//! under them. Decoded, each frame is exactly the one given (the GIF's, up to its palette).

use resvg::tiny_skia::{Pixmap, PremultipliedColorU8};

use super::EncodeError;

/// One frame of an animation and how it differs from the frame before.
#[derive(Debug, Clone, Copy)]
pub struct Step<'a> {
    /// The frame before, `None` for the first.
    pub previous: Option<&'a Pixmap>,
    /// The frame.
    pub next: &'a Pixmap,
    /// What the frame stores: for the first, the whole canvas; else the rectangle around
    /// what changed.
    pub patch: Patch,
}

impl<'a> Step<'a> {
    /// The step to `next` from `previous` (`None` for the first frame).
    ///
    /// # Errors
    /// [`EncodeError::FrameSize`] if the two differ in size.
    pub fn new(previous: Option<&'a Pixmap>, next: &'a Pixmap) -> Result<Step<'a>, EncodeError> {
        let patch = match previous {
            None => Patch {
                x: 0,
                y: 0,
                width: next.width(),
                height: next.height(),
            },
            Some(before) => {
                if (before.width(), before.height()) != (next.width(), next.height()) {
                    return Err(EncodeError::FrameSize);
                }
                Patch::between(before, next)
            }
        };
        Ok(Step {
            previous,
            next,
            patch,
        })
    }

    /// Calls `each` with the steps through `frames`, in order.
    ///
    /// # Errors
    /// [`EncodeError::NoFrames`] if there are none, the first error of a size or of `each`.
    pub fn through(
        frames: &[Pixmap],
        mut each: impl FnMut(Step<'_>) -> Result<(), EncodeError>,
    ) -> Result<(), EncodeError> {
        let first = frames.first().ok_or(EncodeError::NoFrames)?;
        each(Step::new(None, first)?)?;
        for pair in frames.windows(2) {
            each(Step::new(Some(&pair[0]), &pair[1])?)?;
        }
        Ok(())
    }
}

/// A rectangle of the canvas, in pixels, never empty.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Patch {
    /// Left edge.
    pub x: u32,
    /// Top edge.
    pub y: u32,
    /// Width, at least 1.
    pub width: u32,
    /// Height, at least 1.
    pub height: u32,
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
    pub fn area(self) -> usize {
        self.width as usize * self.height as usize
    }

    /// The rows of `image` inside the patch, top to bottom.
    pub fn rows(self, image: &Pixmap) -> impl Iterator<Item = &[PremultipliedColorU8]> {
        let (x, width) = (self.x as usize, self.width as usize);
        image
            .pixels()
            .chunks_exact(image.width() as usize)
            .skip(self.y as usize)
            .take(self.height as usize)
            .map(move |row| &row[x..x + width])
    }
}

/// The common size of the frames.
///
/// # Errors
/// [`EncodeError::NoFrames`] if there are none, [`EncodeError::FrameSize`] if they differ.
pub fn size(frames: &[Pixmap]) -> Result<(u32, u32), EncodeError> {
    let first = frames.first().ok_or(EncodeError::NoFrames)?;
    if frames
        .iter()
        .any(|f| (f.width(), f.height()) != (first.width(), first.height()))
    {
        return Err(EncodeError::FrameSize);
    }
    Ok((first.width(), first.height()))
}

#[cfg(test)]
pub(super) mod tests {
    use super::*;
    use resvg::tiny_skia::{Color, Paint, Rect, Transform};

    /// White frames with coloured boxes: one box more each frame, then a frame like the one
    /// before, then one half-transparent box, as at the edge of a canvas drawn at scale 1.5.
    pub(in crate::export) fn frames() -> Vec<Pixmap> {
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
        let mut patches = Vec::new();
        Step::through(&frames, |step| {
            patches.push(step.patch);
            Ok(())
        })
        .unwrap();
        let patch = |x, y, width, height| Patch {
            x,
            y,
            width,
            height,
        };
        assert_eq!(patches[0], patch(0, 0, 40, 24));
        assert_eq!(patches[2], patch(20, 12, 7, 5));
        assert_eq!(patches[4], patch(0, 0, 1, 1));
        assert_eq!(patches[5], patch(39, 23, 1, 1));
    }

    #[test]
    fn frames_of_another_size_are_refused() {
        let (a, b) = (Pixmap::new(4, 4).unwrap(), Pixmap::new(4, 5).unwrap());
        assert!(matches!(
            Step::new(Some(&a), &b),
            Err(EncodeError::FrameSize)
        ));
        assert!(matches!(size(&[]), Err(EncodeError::NoFrames)));
    }
}
