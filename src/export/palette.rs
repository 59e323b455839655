//! The one palette of an animated GIF ([`super::gif`]), chosen from all its frames, and the
//! frames as the GIF keeps them until it is known: runs of the colours each draws.

use std::collections::{BTreeSet, HashMap, HashSet};

use resvg::tiny_skia::PremultipliedColorU8;

use super::anim::Patch;

/// A stretch of pixels in a row-by-row walk through a patch: `len` pixels of colour `rgb`,
/// or, if not `drawn`, as in the frame before.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) struct Run {
    /// The colour (see [`rgb`]); zero where not drawn.
    pub rgb: [u8; 3],
    /// Whether the pixels are drawn, not left as they were.
    pub drawn: bool,
    /// How many pixels.
    pub len: u32,
}

/// A frame as given, until the palette is known.
#[derive(Debug)]
pub(super) struct Kept {
    /// Where it is drawn.
    pub patch: Patch,
    /// How long it is shown, in milliseconds.
    pub delay_ms: u32,
    /// Its pixels inside the patch, row by row.
    pub runs: Vec<Run>,
}

impl Kept {
    /// The pixels that the frame draws, in order: `(colour, how many)`.
    pub fn drawn(&self) -> impl Iterator<Item = ([u8; 3], u32)> + '_ {
        self.runs.iter().filter(|r| r.drawn).map(|r| (r.rgb, r.len))
    }
}

/// The colour a GIF gives a pixel: its colour on black (frames are opaque, drawn on white).
pub(super) fn rgb(p: PremultipliedColorU8) -> [u8; 3] {
    [p.red(), p.green(), p.blue()]
}

/// The most colours a palette holds besides the transparent one.
const COLOURS: usize = 255;

/// One palette for all frames: at most 255 colours, and a last, transparent entry for the
/// pixels a frame leaves as they were. The exact colours when there are so few (flat figures
/// often have), else NeuQuant's choice from a sample of what the frames draw: every 31st
/// pixel of the first frame, and every pixel that each later one changes.
pub(super) struct Palette {
    /// The entries, three bytes each.
    pub rgb: Vec<u8>,
    quantizer: Option<color_quant::NeuQuant>,
    exact: HashMap<[u8; 3], u8>,
    /// The index of the transparent entry, the last.
    pub transparent: u8,
}

impl Palette {
    /// The palette of `frames`, the first of which draws the whole canvas.
    pub fn of(frames: &[Kept]) -> Palette {
        let first = || frames.iter().take(1).flat_map(Kept::drawn);
        let later = || frames.iter().skip(1).flat_map(Kept::drawn);
        let mut colours = HashSet::new();
        for (c, _) in first().chain(later()) {
            colours.insert(c);
            if colours.len() > COLOURS {
                break;
            }
        }
        if colours.len() <= COLOURS {
            let sorted: BTreeSet<[u8; 3]> = colours.into_iter().collect();
            let exact = sorted.iter().zip(0..).map(|(&c, i)| (c, i)).collect();
            return Palette::with(sorted.into_iter().flatten().collect(), None, exact);
        }
        let pixels = |(c, len): ([u8; 3], u32)| std::iter::repeat_n(c, len as usize);
        let sample: Vec<u8> = first()
            .flat_map(pixels)
            .step_by(31)
            .chain(later().flat_map(pixels))
            .flat_map(|[r, g, b]| [r, g, b, u8::MAX])
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

    /// The index of each colour; each distinct colour is looked up once (in a map used for
    /// lookups only, so its order never shows).
    pub fn indexer(&self) -> impl FnMut([u8; 3]) -> u8 + '_ {
        let mut seen: HashMap<[u8; 3], u8> = HashMap::new();
        move |c| match &self.quantizer {
            None => self.exact.get(&c).copied().unwrap_or(0),
            Some(q) => *seen
                .entry(c)
                .or_insert_with(|| q.index_of(&[c[0], c[1], c[2], u8::MAX]) as u8),
        }
    }
}
