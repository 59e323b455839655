//! Fonts and text measurement. The shipped DejaVu Sans (in `fonts/`, compiled into the
//! binary) is the font of every figure, so layouts and PNGs are the same on every machine.
//! System fonts are added after it for the scripts it lacks (CJK), for rasterising only:
//! layout measures such characters as one em wide, the width of a CJK glyph in every CJK
//! font, so that an SVG's bytes do not depend on which fonts a machine has.

use std::collections::{BTreeMap, BTreeSet};
use std::sync::{Arc, Mutex, MutexGuard, OnceLock, PoisonError};

use usvg::fontdb;

pub use crate::layout::geometry::Metrics;

/// The family name written into SVGs, with fallbacks for viewers that lack it.
pub const FAMILY: &str = "DejaVu Sans, WenQuanYi Micro Hei, Noto Sans CJK SC, sans-serif";

const REGULAR: &[u8] = include_bytes!("../../fonts/DejaVuSans.ttf");
const BOLD: &[u8] = include_bytes!("../../fonts/DejaVuSans-Bold.ttf");

/// The font files compiled into chainrule: DejaVu Sans, regular and bold.
pub const SHIPPED: [&[u8]; 2] = [REGULAR, BOLD];

/// Debian packages that provide fonts for characters DejaVu Sans lacks.
pub const CJK_PACKAGES: &str = "fonts-noto-cjk or fonts-wqy-microhei";

/// Measured texts, by text, size in hundredths of a pixel, and boldness.
type Measured = BTreeMap<(String, u32, bool), Metrics>;

/// The fonts chainrule draws with, and a cache of measured texts; shared by the threads that
/// draw scenarios side by side.
pub struct Fonts {
    shipped: Arc<fontdb::Database>,
    all: Arc<fontdb::Database>,
    measured: Mutex<Measured>,
}

impl std::fmt::Debug for Fonts {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Fonts")
            .field("faces", &self.all.len())
            .finish()
    }
}

impl Fonts {
    /// The fonts every figure of this process is measured and drawn with: loaded once, on
    /// first use, and shared by every thread, so no caller has to carry them.
    pub fn shared() -> &'static Fonts {
        static FONTS: OnceLock<Fonts> = OnceLock::new();
        FONTS.get_or_init(Fonts::load)
    }

    /// The shipped fonts, then the system's (except other copies of DejaVu Sans, so the
    /// shipped one is always the one used).
    fn load() -> Fonts {
        let mut shipped = fontdb::Database::new();
        shipped.load_font_data(REGULAR.to_vec());
        shipped.load_font_data(BOLD.to_vec());
        shipped.set_sans_serif_family("DejaVu Sans");
        let mut all = shipped.clone();
        all.load_system_fonts();
        let duplicates: Vec<fontdb::ID> = all
            .faces()
            .filter(|face| {
                matches!(
                    face.source,
                    fontdb::Source::File(_) | fontdb::Source::SharedFile(..)
                ) && face.families.iter().any(|(name, _)| name == "DejaVu Sans")
            })
            .map(|face| face.id)
            .collect();
        for id in duplicates {
            all.remove_face(id);
        }
        Fonts {
            shipped: Arc::new(shipped),
            all: Arc::new(all),
            measured: Mutex::new(BTreeMap::new()),
        }
    }

    /// Every font available for rasterising: the shipped ones first, then the system's.
    pub fn database(&self) -> Arc<fontdb::Database> {
        Arc::clone(&self.all)
    }

    /// Measures `text` at `size` pixels, bold or not, with the shipped font; characters it
    /// lacks count one em each.
    pub fn measure(&self, text: &str, size: f64, bold: bool) -> Metrics {
        let text = &same_width(text);
        let key = (text.to_string(), (size * 100.0).round() as u32, bold);
        if let Some(m) = self.measured().get(&key) {
            return *m;
        }
        let laid = layout(&self.shipped, text, size, bold);
        let missing = missing_glyphs(text, laid.as_ref());
        let bbox = if missing.is_empty() {
            laid.map(|(bbox, _)| bbox)
        } else {
            let stand_in: String = text
                .chars()
                .map(|c| if missing.contains(&c) { '—' } else { c })
                .collect();
            layout(&self.shipped, &stand_in, size, bold).map(|(bbox, _)| bbox)
        };
        let width = bbox.map_or(0.0, |bbox| f64::from(bbox.right()).max(0.0));
        let metrics = Metrics {
            width,
            ascent: 0.76 * size,
            descent: 0.24 * size,
        };
        self.measured().insert(key, metrics);
        metrics
    }

    /// The cache of measured texts. It is locked only to look up and to insert, never while
    /// measuring, so a thread that panicked cannot have left it half-written.
    fn measured(&self) -> MutexGuard<'_, Measured> {
        self.measured.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// The characters of `text` that no available font (shipped or system) can draw.
    pub fn missing(&self, text: &str) -> BTreeSet<char> {
        lacking(&self.all, text, 16.0, false)
    }
}

/// Characters between which a digit is set exactly like 0: the same advance, no kerning and
/// no ligature with them in the shipped font (a test checks every pair).
const DIGIT_NEIGHBOURS: &str =
    "0123456789.,−-+×/()∂_' eEabcdfghijklmnopqrstuvwxyzABCDFGHIJKLMNOPQRSTUVWXYZ";

/// A text as wide as `text` (to the last bit) that many texts share: in a text made only of
/// [`DIGIT_NEIGHBOURS`], every digit but the last character reads 0. The many numbers of a
/// large figure then cost a few measurements instead of one each.
fn same_width(text: &str) -> String {
    if !text.chars().all(|c| DIGIT_NEIGHBOURS.contains(c)) {
        return text.to_string();
    }
    let last = text.char_indices().last().map_or(0, |(i, _)| i);
    text.char_indices()
        .map(|(i, c)| {
            if i < last && c.is_ascii_digit() {
                '0'
            } else {
                c
            }
        })
        .collect()
}

/// Characters of `text` that come out as the missing-glyph box with the fonts in `db`.
fn lacking(db: &Arc<fontdb::Database>, text: &str, size: f64, bold: bool) -> BTreeSet<char> {
    missing_glyphs(text, layout(db, text, size, bold).as_ref())
}

/// Characters of `text` that its layout `laid` draws as the missing-glyph box (all of them
/// when nothing was laid out).
fn missing_glyphs(text: &str, laid: Option<&(usvg::Rect, Vec<(u32, String)>)>) -> BTreeSet<char> {
    let Some((_, glyphs)) = laid else {
        return text.chars().filter(|c| !c.is_whitespace()).collect();
    };
    glyphs
        .iter()
        .filter(|(id, _)| *id == 0)
        .flat_map(|(_, text)| text.chars())
        .filter(|c| !c.is_whitespace())
        .collect()
}

/// Lays `text` out with usvg: its bounding box (baseline at y = 0, starting at x = 0) and its
/// glyphs (id, source text). `None` when nothing is drawn.
fn layout(
    db: &Arc<fontdb::Database>,
    text: &str,
    size: f64,
    bold: bool,
) -> Option<(usvg::Rect, Vec<(u32, String)>)> {
    if text.trim().is_empty() {
        return None;
    }
    let svg = format!(
        r#"<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"><text x="0" y="0" font-family="DejaVu Sans" font-size="{size}" font-weight="{}">{}</text></svg>"#,
        if bold { "bold" } else { "normal" },
        crate::text::xml::escape(text)
    );
    let options = usvg::Options {
        fontdb: Arc::clone(db),
        ..usvg::Options::default()
    };
    let tree = usvg::Tree::from_str(&svg, &options).ok()?;
    tree.root().children().iter().find_map(|node| match node {
        usvg::Node::Text(t) => Some((
            t.bounding_box(),
            t.layouted()
                .iter()
                .flat_map(|span| {
                    span.positioned_glyphs
                        .iter()
                        .map(|g| (g.id.0, g.text.clone()))
                })
                .collect(),
        )),
        _ => None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wider_text_measures_wider() {
        let fonts = Fonts::load();
        let one = fonts.measure("1", 16.0, false).width;
        let many = fonts.measure("apple count", 16.0, false).width;
        assert!(one > 4.0 && many > 5.0 * one, "{one} {many}");
        assert!(fonts.measure("220", 16.0, true).width > fonts.measure("220", 16.0, false).width);
    }

    #[test]
    fn cjk_counts_one_em_each_whatever_is_installed() {
        let fonts = Fonts::load();
        let w = fonts.measure("苹果", 16.0, false).width;
        assert!((w - 32.0).abs() < 2.0, "{w}");
    }

    #[test]
    fn a_digit_is_set_like_zero_between_its_neighbours() {
        let fonts = Fonts::load();
        let width = |text: &str, bold| {
            let m = lacking(&fonts.shipped, text, 14.0, bold);
            assert!(m.is_empty(), "{text}");
            layout(&fonts.shipped, text, 14.0, bold).map(|(bbox, _)| bbox.right().to_bits())
        };
        for bold in [false, true] {
            for c in DIGIT_NEIGHBOURS.chars() {
                let zero = width(&format!("{c}0{c}"), bold);
                for d in '1'..='9' {
                    assert_eq!(width(&format!("{c}{d}{c}"), bold), zero, "{c}{d}{c}");
                }
            }
        }
        assert_eq!(same_width("−0.1234"), "−0.0004");
        assert_eq!(same_width("x12"), "x02");
        assert_eq!(same_width("苹果 12"), "苹果 12");
    }

    #[test]
    fn shipped_font_covers_the_figures_symbols() {
        let fonts = Fonts::load();
        assert!(fonts.missing("× ÷ − ∂ Σ exp ** ᵀ").is_empty());
    }
}
