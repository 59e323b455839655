//! The frames of a scenario as files: a frame sequence ([`crate::draw::sequence`]) written as
//! numbered SVG/PNG files, an animated GIF and APNG, a PDF with a page per frame and a web
//! page.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use resvg::tiny_skia::Pixmap;

use crate::core::load;
use crate::core::model::Model;
use crate::core::scenario::{Annotate, Pass};
use crate::draw::scene::Show;
use crate::draw::sequence::{frame_count, sequence};
use crate::draw::{DrawOptions, Drawing};
use crate::error::Error;
use crate::export::anim::Step;
use crate::export::apng::ApngWriter;
use crate::export::gif::GifWriter;
use crate::export::{html, pdf, png, svg, EncodeError};
use crate::pipeline::output::Rendered;
use crate::pipeline::progress::{Progress, Silent};
use crate::text::format;
use crate::text::steps::Lang;

/// What a frame sequence can be written as.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
#[cfg_attr(feature = "cli", derive(clap::ValueEnum))]
pub enum FrameFormat {
    /// Numbered SVG files, `<scenario>/frame-00.svg`.
    Svg,
    /// Numbered PNG files, `<scenario>/frame-00.png`.
    Png,
    /// An animated GIF, `<scenario>-frames.gif`.
    Gif,
    /// An animated PNG, `<scenario>-frames.apng`.
    Apng,
    /// A PDF with one frame per page, `<scenario>-frames.pdf`.
    Pdf,
    /// A self-contained web page to click through, `<scenario>.html`.
    Html,
}

pub use crate::core::limits::MAX_FRAMES;

/// The most pixels a frame set rasterises, all frames together (each frame counted at its
/// size in the PNGs, at most [`png::MAX_PIXELS`]): the work of the PNG, GIF and APNG grows
/// with it. 600 megapixels take about 6 s on two cores.
pub const MAX_FRAME_SET_PIXELS: f64 = 6e8;

/// The most SVG a frame set writes, all frames together, in bytes (counted as the frame count
/// times the last frame, which shows the most): the SVG files, the web page and the PDF grow
/// with it.
pub const MAX_FRAME_SET_SVG_BYTES: usize = 128 * 1024 * 1024;

/// How to step.
#[derive(Debug, Clone, PartialEq)]
pub struct FrameOptions {
    /// Which pass; `None` for the scenario's default (backward unless it says otherwise).
    pub pass: Option<Pass>,
    /// What to write.
    pub formats: BTreeSet<FrameFormat>,
    /// Time each frame is shown in animations, in milliseconds (the last is held longer).
    pub delay_ms: u32,
    /// Significant digits of numbers.
    pub precision: usize,
    /// Scale of PNG frames and animations.
    pub scale: f32,
    /// What labels show; `None` for the scenario's default.
    pub annotate: Option<Annotate>,
    /// The language of the captions.
    pub lang: Lang,
    /// Edges carry their values and gradients only if there are at most this many.
    pub edge_labels_up_to: usize,
}

impl Default for FrameOptions {
    /// Every format, 1.5 s a frame, the scenario's pass.
    fn default() -> Self {
        FrameOptions {
            pass: None,
            formats: [
                FrameFormat::Svg,
                FrameFormat::Png,
                FrameFormat::Gif,
                FrameFormat::Apng,
                FrameFormat::Pdf,
                FrameFormat::Html,
            ]
            .into_iter()
            .collect(),
            delay_ms: 1500,
            precision: format::DEFAULT_PRECISION,
            scale: 1.0,
            annotate: None,
            lang: Lang::En,
            edge_labels_up_to: crate::draw::EDGE_LABELS_UP_TO,
        }
    }
}

/// How many times longer the last frame of an animation is held.
pub const HOLD_LAST: u32 = 3;

/// Renders the frames of the scenario at `path` in every format asked for: [`draw`], then
/// [`DrawnFrames::finish`].
///
/// # Errors
/// Any error of loading or evaluating the scenario, or of encoding a format, naming the file.
pub fn render(path: &Path, options: &FrameOptions) -> Result<Vec<Rendered>, Error> {
    draw(path, options)?.finish(&Silent)
}

/// A scenario's frames drawn and written as SVG, and its web page: all of [`render`] but
/// the rasterising and encoding, which cost the most.
#[derive(Debug)]
pub struct DrawnFrames {
    path: PathBuf,
    stem: String,
    options: FrameOptions,
    /// Each frame's SVG.
    svgs: Vec<String>,
    /// The web page, if asked for.
    html: Option<Rendered>,
}

/// Refuses a frame set too large to write in seconds: past [`MAX_FRAME_SET_SVG_BYTES`] of
/// SVG, or, if a raster format is asked for, past [`MAX_FRAME_SET_PIXELS`].
fn check_size(
    path: &Path,
    drawing: &Drawing,
    shows: &[Show],
    options: &FrameOptions,
) -> Result<(), Error> {
    let Some(last) = shows.last() else {
        return Ok(());
    };
    let scene = drawing.draw(last);
    let frames = shows.len();
    let too_large = |what: String| {
        Err(Error::Usage(format!(
            "{}: {} of {} × {} px {} too large to write: {what}; step through a \
             smaller graph, or draw this one whole with `chainrule render`",
            path.display(),
            format::count(frames, "frame", "frames"),
            scene.width.round(),
            scene.height.round(),
            if frames == 1 { "is" } else { "are" },
        )))
    };
    let bytes = frames * svg::write(&scene).len();
    if bytes > MAX_FRAME_SET_SVG_BYTES {
        return too_large(format!(
            "about {} MB of SVG, more than the limit of {} MB",
            bytes >> 20,
            MAX_FRAME_SET_SVG_BYTES >> 20
        ));
    }
    let scale = f64::from(options.scale);
    let pixels = frames as f64 * (scene.width * scene.height * scale * scale).min(png::MAX_PIXELS);
    let raster = options.formats.iter().any(|f| {
        matches!(
            f,
            FrameFormat::Png | FrameFormat::Gif | FrameFormat::Apng | FrameFormat::Pdf
        )
    });
    if raster && pixels > MAX_FRAME_SET_PIXELS {
        return too_large(format!(
            "{:.0} megapixels to rasterise, more than the limit of {:.0} (SVG and HTML alone are \
             not rasterised: --format svg,html)",
            pixels / 1e6,
            MAX_FRAME_SET_PIXELS / 1e6
        ));
    }
    Ok(())
}

/// Draws the frames of the scenario at `path`, up to rasterising and encoding them.
///
/// # Errors
/// Any error of loading or evaluating the scenario, naming the file.
pub fn draw(path: &Path, options: &FrameOptions) -> Result<DrawnFrames, Error> {
    draw_source(&load::Source::file(path), options)
}

/// As [`draw`], for a file or an expression, with values for its inputs.
///
/// # Errors
/// As [`draw`].
pub fn draw_source(source: &load::Source, options: &FrameOptions) -> Result<DrawnFrames, Error> {
    let path = source.path.as_path();
    let (drawing, shows) = stepped(path, source.model()?, options)?;
    let stem = source.stem();
    check_size(path, &drawing, &shows, options)?;
    let svgs = shows.iter().map(|s| svg::write(&drawing.draw(s))).collect();
    let html = options.formats.contains(&FrameFormat::Html).then(|| {
        let page = html::page(&drawing, &shows, options.delay_ms);
        Rendered {
            name: format!("{stem}.html"),
            bytes: page.into_bytes(),
        }
    });
    Ok(DrawnFrames {
        path: path.to_path_buf(),
        stem,
        options: options.clone(),
        svgs,
        html,
    })
}

/// The drawing of `model` (read from `path`) and its frames, as `options` ask: their pass
/// and labels, else the scenario's, and symbols where it has no numbers.
///
/// # Errors
/// As [`load::trace_or_skeleton`], and [`Error::Usage`] for more than [`MAX_FRAMES`] frames.
pub fn stepped(
    path: &Path,
    model: Model,
    options: &FrameOptions,
) -> Result<(Drawing, Vec<Show>), Error> {
    let (trace, numbers) = load::trace_or_skeleton(path, &model, options.annotate)?;
    let pass = options.pass.or(model.frames.pass).unwrap_or_default();
    let annotate = match (options.annotate, numbers) {
        (Some(asked), _) => asked,
        (None, true) => model.frames.annotate.unwrap_or(model.annotate),
        (None, false) => Annotate::Symbolic,
    };
    // Counted before the layout, which is what takes long for a graph this size.
    let count = frame_count(&model, &trace, pass);
    if count > MAX_FRAMES {
        return Err(Error::Usage(format!(
            "{}: {count} frames, more than the {MAX_FRAMES} a frame set can hold; step through a \
             smaller graph, or draw this one whole as a figure (`chainrule render`)",
            path.display(),
        )));
    }
    let drawing = Drawing::with_options(
        model,
        trace,
        &DrawOptions {
            precision: options.precision,
            annotate: Some(annotate),
            edge_labels_up_to: options.edge_labels_up_to,
            spacing: None,
            gradients: true,
        },
    );
    let shows = sequence(&drawing, pass, options.precision, options.lang);
    Ok((drawing, shows))
}

impl DrawnFrames {
    /// How many files [`DrawnFrames::finish`] gives.
    pub fn files(&self) -> usize {
        let wants = |f| usize::from(self.options.formats.contains(&f));
        let each = wants(FrameFormat::Svg) + wants(FrameFormat::Png);
        let once = wants(FrameFormat::Gif) + wants(FrameFormat::Apng) + wants(FrameFormat::Pdf);
        self.svgs.len() * each + once + usize::from(self.html.is_some())
    }

    /// The names of the files [`DrawnFrames::finish`] gives, in its order.
    pub fn names(&self) -> Vec<String> {
        let wants = |f| self.options.formats.contains(&f);
        let mut names = Vec::new();
        for i in 0..self.svgs.len() {
            for (format, ext) in [(FrameFormat::Svg, "svg"), (FrameFormat::Png, "png")] {
                if wants(format) {
                    names.push(frame_name(&self.stem, i, ext));
                }
            }
        }
        for (format, suffix) in ANIMATIONS {
            if wants(format) {
                names.push(format!("{}-{suffix}", self.stem));
            }
        }
        names.extend(self.html.iter().map(|h| h.name.clone()));
        names
    }

    /// Rasterises the frames and encodes them in every format asked for (`animate`; the PDF
    /// meanwhile), telling `progress` of each file: numbered SVG and PNG frames, then the GIF,
    /// the APNG, the PDF and the web page.
    ///
    /// # Errors
    /// A frame that cannot be rasterised, or a format that cannot be encoded, naming the file.
    pub fn finish(self, progress: &dyn Progress) -> Result<Vec<Rendered>, Error> {
        let DrawnFrames {
            path,
            stem,
            options,
            svgs,
            html,
        } = self;
        // Where an encoding error becomes the crate's error, as a sentence naming the file.
        let fail = |source: EncodeError| Error::Encode {
            path: path.to_path_buf(),
            what: "frames".to_string(),
            source,
        };
        let wants = |f| options.formats.contains(&f);
        // The SVG frames and the page are made already.
        progress
            .done(usize::from(wants(FrameFormat::Svg)) * svgs.len() + usize::from(html.is_some()));
        // The PDF needs only the SVGs: it is written while the frames are rasterised.
        let (animated, pdf) = rayon::join(
            || animate(&svgs, &options, progress),
            || {
                let pdf = wants(FrameFormat::Pdf).then(|| pdf::pages(&svgs));
                progress.done(usize::from(pdf.is_some()));
                pdf.transpose()
            },
        );
        let Animated { pngs, gif, apng } = animated.map_err(fail)?;
        let pdf = pdf.map_err(fail)?;
        let mut files = Vec::new();
        for (i, (text, png)) in svgs.into_iter().zip(pngs).enumerate() {
            if wants(FrameFormat::Svg) {
                files.push(Rendered {
                    name: frame_name(&stem, i, "svg"),
                    bytes: text.into_bytes(),
                });
            }
            if let Some(bytes) = png {
                files.push(Rendered {
                    name: frame_name(&stem, i, "png"),
                    bytes,
                });
            }
        }
        for (bytes, (_, suffix)) in [gif, apng, pdf].into_iter().zip(ANIMATIONS) {
            if let Some(bytes) = bytes {
                files.push(Rendered {
                    name: format!("{stem}-{suffix}"),
                    bytes,
                });
            }
        }
        files.extend(html);
        Ok(files)
    }
}

/// The name of frame `i` of the scenario `stem` as an `ext` file.
fn frame_name(stem: &str, i: usize, ext: &str) -> String {
    format!("{stem}/frame-{i:02}.{ext}")
}

/// The files of the whole sequence, as `<scenario>-<suffix>`, in the order they are written.
const ANIMATIONS: [(FrameFormat, &str); 3] = [
    (FrameFormat::Gif, "frames.gif"),
    (FrameFormat::Apng, "frames.apng"),
    (FrameFormat::Pdf, "frames.pdf"),
];

/// What [`animate`] makes of the frames: each one's PNG, the GIF and the APNG, those asked
/// for.
#[derive(Debug, Default)]
struct Animated {
    /// Frame i's PNG, if PNG frames are asked for.
    pngs: Vec<Option<Vec<u8>>>,
    gif: Option<Vec<u8>>,
    apng: Option<Vec<u8>>,
}

/// Rasterises the frames one after the other, each while the one before is added to the GIF
/// and the APNG, so that at most three are held at once however many there are (a frame of
/// a large graph takes tens of megabytes); encodes each as PNG right after rasterising it.
///
/// # Errors
/// The first frame that cannot be rasterised or encoded.
fn animate(
    svgs: &[String],
    options: &FrameOptions,
    progress: &dyn Progress,
) -> Result<Animated, EncodeError> {
    let wants = |f| options.formats.contains(&f);
    let mut animated = Animated {
        pngs: vec![None; svgs.len()],
        ..Animated::default()
    };
    if !(wants(FrameFormat::Png) || wants(FrameFormat::Gif) || wants(FrameFormat::Apng)) {
        return Ok(animated);
    }
    let raster = |i: usize| -> Result<(Pixmap, Option<Vec<u8>>), EncodeError> {
        let pixmap = png::pixmap(&svgs[i], options.scale)?;
        let bytes = wants(FrameFormat::Png)
            .then(|| png::encode(&pixmap))
            .transpose()?;
        progress.done(usize::from(bytes.is_some()));
        Ok((pixmap, bytes))
    };
    let count = svgs.len();
    if count == 0 {
        return if wants(FrameFormat::Gif) || wants(FrameFormat::Apng) {
            Err(EncodeError::NoFrames)
        } else {
            Ok(animated)
        };
    }
    let delay = |i: usize| {
        if i + 1 == count {
            options.delay_ms * HOLD_LAST
        } else {
            options.delay_ms
        }
    };
    let first = raster(0)?;
    let (width, height) = (first.0.width(), first.0.height());
    let mut gif = wants(FrameFormat::Gif)
        .then(|| GifWriter::new(width, height))
        .transpose()?;
    let mut apng_bytes = Vec::new();
    let mut apng = wants(FrameFormat::Apng)
        .then(|| ApngWriter::new(&mut apng_bytes, width, height, count))
        .transpose()?;
    let mut previous: Option<Pixmap> = None;
    let mut current = Some(first);
    for i in 0..count {
        let Some((pixmap, png)) = current.take() else {
            break;
        };
        animated.pngs[i] = png;
        let (ahead, added) = rayon::join(
            || (i + 1 < count).then(|| raster(i + 1)).transpose(),
            || -> Result<(), EncodeError> {
                if gif.is_none() && apng.is_none() {
                    return Ok(());
                }
                let step = Step::new(previous.as_ref(), &pixmap)?;
                if let Some(gif) = &mut gif {
                    gif.push(&step, delay(i));
                }
                if let Some(apng) = &mut apng {
                    apng.push(&step, delay(i))?;
                }
                Ok(())
            },
        );
        added?;
        current = ahead?;
        previous = Some(pixmap);
    }
    drop(previous);
    if let Some(gif) = gif {
        animated.gif = Some(gif.finish()?);
        progress.done(1);
    }
    if apng.map(ApngWriter::finish).transpose()?.is_some() {
        animated.apng = Some(apng_bytes);
        progress.done(1);
    }
    Ok(animated)
}
