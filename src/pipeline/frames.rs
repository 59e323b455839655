//! Stepping through the passes frame by frame, on the one layout of a scenario: the forward
//! pass computes the values node by node, the backward pass sends the gradients back from the
//! seed, node by node, in the engine's order. Each frame is a [`Show`] (what is drawn, what
//! just appeared, which node acts) with a caption; [`write`] turns a sequence into numbered
//! SVG/PNG files, an animated GIF and APNG, a PDF with a page per frame and a web page.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use petgraph::graph::NodeIndex;
use petgraph::Direction;
use resvg::tiny_skia::Pixmap;

use crate::core::engine::Trace;
use crate::core::load;
use crate::core::model::{Kind, Model};
use crate::core::scenario::{Annotate, Pass, View};
use crate::draw::fonts::Fonts;
use crate::draw::scene::{Show, CAPTION_LEADING};
use crate::draw::{DrawOptions, Drawing, Figure};
use crate::error::Error;
use crate::export::anim::Step;
use crate::export::apng::ApngWriter;
use crate::export::gif::GifWriter;
use crate::export::{html, pdf, png, svg, EncodeError};
use crate::pipeline::figures::{Progress, Rendered, Silent};
use crate::text::format;
use crate::text::steps::{self, Lang};
use crate::text::symbolic;

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

/// The most frames a set has: a step per frame is for graphs a class can follow, and every
/// frame is rasterised and kept (as runs of colours) until the GIF's palette is chosen.
pub const MAX_FRAMES: usize = 400;

/// How to step.
#[derive(Debug, Clone, PartialEq)]
pub struct Options {
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

impl Default for Options {
    /// Every format, 1.5 s a frame, the scenario's pass.
    fn default() -> Self {
        Options {
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

/// The frames of `pass` through `drawing`, captions wrapped to the figure's width.
pub fn sequence(
    drawing: &Drawing,
    pass: Pass,
    precision: usize,
    lang: Lang,
    fonts: &Fonts,
) -> Vec<Show> {
    let mut frames = match pass {
        Pass::Forward => forward(drawing, precision, lang),
        Pass::Backward => backward(drawing, precision, lang),
        Pass::Both => {
            let mut both = forward(drawing, precision, lang);
            both.extend(backward(drawing, precision, lang).into_iter().skip(1));
            both
        }
    };
    let width = drawing.diagram.width - 2.0 * drawing.diagram.spacing.margin;
    let size = drawing.style.font_size;
    for frame in &mut frames {
        frame.caption = wrap(&frame.caption.concat(), width, |s| {
            fonts.measure(s, size, false).width
        });
    }
    let lines = frames.iter().map(|f| f.caption.len()).max().unwrap_or(0);
    let band = if lines == 0 {
        0.0
    } else {
        size * CAPTION_LEADING * lines as f64 + size * 0.8
    };
    for frame in &mut frames {
        frame.caption_band = band;
    }
    frames
}

/// How many frames [`sequence`] makes of `pass`: the inputs, then one per operator
/// forward; the output's value, then one per step backward; both share the output's frame.
pub fn frame_count(model: &Model, trace: &Trace, pass: Pass) -> usize {
    let forward = || {
        let ops = trace.forward.iter();
        1 + ops
            .filter(|&&n| matches!(model.graph[n].kind, Kind::Op(_)))
            .count()
    };
    let backward = || 1 + trace.steps.len();
    match pass {
        Pass::Forward => forward(),
        Pass::Backward => backward(),
        Pass::Both => forward() + backward() - 1,
    }
}

fn name(drawing: &Drawing) -> impl Fn(NodeIndex) -> String + '_ {
    |n| drawing.model.graph[n].name().to_string()
}

/// The output edges of `node` (the edge to the output's label included).
fn out_edges(drawing: &Drawing, node: NodeIndex) -> BTreeSet<usize> {
    let graph = &drawing.model.graph;
    let mut edges: BTreeSet<usize> = graph
        .edges_directed(node, Direction::Outgoing)
        .map(|e| petgraph::visit::EdgeRef::id(&e).index())
        .collect();
    if node == drawing.model.output {
        edges.insert(graph.edge_count());
    }
    edges
}

fn forward(drawing: &Drawing, precision: usize, lang: Lang) -> Vec<Show> {
    let model = &drawing.model;
    let graph = &model.graph;
    let name = name(drawing);
    let sources: Vec<NodeIndex> = graph
        .node_indices()
        .filter(|&n| !matches!(graph[n].kind, Kind::Op(_)))
        .collect();
    let mut values: BTreeSet<usize> = sources
        .iter()
        .flat_map(|&n| out_edges(drawing, n))
        .collect();
    let symbols = (drawing.annotate == Annotate::Symbolic)
        .then(|| symbolic::derive(model, Some(&drawing.trace)));
    let given: Vec<String> = sources
        .iter()
        .filter(|&&n| !(matches!(graph[n].kind, Kind::Const(_)) && graph[n].label.is_none()))
        .map(|&n| {
            let value = format::tensor(&drawing.trace.values[n.index()], precision);
            match &symbols {
                Some(symbols) => symbols.names[n.index()].plain(),
                None => format!("{} = {value}", name(n)),
            }
        })
        .collect();
    let mut frames = vec![Show {
        values: Some(values.clone()),
        caption: vec![lang.inputs(&given)],
        ..Show::default()
    }];
    for &node in &drawing.trace.forward {
        if !matches!(graph[node].kind, Kind::Op(_)) {
            continue;
        }
        let fresh = out_edges(drawing, node);
        values.extend(&fresh);
        frames.push(Show {
            values: Some(values.clone()),
            fresh,
            active: Some(node.index()),
            caption: vec![match &symbols {
                Some(symbols) => symbolic_forward_sentence(drawing, symbols, node, lang),
                None => steps::forward_sentence(
                    model,
                    &drawing.trace.values,
                    node,
                    precision,
                    &name,
                    lang,
                ),
            }],
            ..Show::default()
        });
    }
    frames
}

fn backward(drawing: &Drawing, precision: usize, lang: Lang) -> Vec<Show> {
    let model = &drawing.model;
    let name = name(drawing);
    let shown = drawing.gradient_edges(&Figure {
        file_stem: String::new(),
        view: View::Backward,
        highlight: None,
        annotate: None,
        style: None,
        collapse: false,
    });
    let output = model.output;
    let mut frames = vec![Show {
        caption: vec![lang.forward_done(
            &name(output),
            &format::tensor(&drawing.trace.values[output.index()], precision),
        )],
        ..Show::default()
    }];
    let symbols = (drawing.annotate == Annotate::Symbolic)
        .then(|| symbolic::derive(model, Some(&drawing.trace)));
    let mut sent = BTreeSet::new();
    for step in &drawing.trace.steps {
        let caption = match &symbols {
            Some(symbols) => symbolic_sentence(drawing, symbols, step, lang),
            None => steps::sentence(model, step, precision, &name, lang),
        };
        let fresh: BTreeSet<usize> = if step.is_seed() {
            BTreeSet::from([model.graph.edge_count()])
        } else {
            step.sends.iter().map(|s| s.edge.index()).collect()
        };
        sent.extend(&fresh);
        frames.push(Show {
            gradients: sent.intersection(&shown).copied().collect(),
            fresh: fresh.intersection(&shown).copied().collect(),
            active: (!step.is_seed()).then_some(step.node.index()),
            caption: vec![caption],
            ..Show::default()
        });
    }
    frames
}

/// A forward step in symbols: `× z computes x × y`.
fn symbolic_forward_sentence(
    drawing: &Drawing,
    symbols: &symbolic::Symbols,
    node: NodeIndex,
    lang: Lang,
) -> String {
    let model = &drawing.model;
    let expression = steps::applied(model, node, &|a| symbols.names[a.index()].plain());
    lang.computes_symbolically(
        &model.graph[node].symbol(),
        &symbols.names[node.index()].plain(),
        &expression,
    )
}

/// A backward step in symbols: `/ y got ∂L/∂y from above; sends −∂L/∂y · y² to 1+exp(−x)`.
fn symbolic_sentence(
    drawing: &Drawing,
    symbols: &symbolic::Symbols,
    step: &crate::core::engine::Step,
    lang: Lang,
) -> String {
    let node = &drawing.model.graph[step.node];
    let up = symbols.arrived[step.node.index()]
        .as_ref()
        .map_or_else(String::new, crate::text::math::Math::plain);
    if step.is_seed() {
        return lang.seed(node.name(), &up);
    }
    let sends: Vec<String> = step
        .sends
        .iter()
        .map(|s| {
            lang.send(
                &symbols.edges[s.edge.index()].plain(),
                &symbols.names[s.to.index()].plain(),
            )
        })
        .collect();
    lang.step(
        &node.symbol(),
        &symbols.names[step.node.index()].plain(),
        &up,
        &sends,
    )
}

/// Breaks `text` into lines no wider than `width`, at spaces.
fn wrap(text: &str, width: f64, measure: impl Fn(&str) -> f64) -> Vec<String> {
    let mut lines: Vec<String> = Vec::new();
    let mut line = String::new();
    for word in text.split(' ') {
        let candidate = if line.is_empty() {
            word.to_string()
        } else {
            format!("{line} {word}")
        };
        if !line.is_empty() && measure(&candidate) > width {
            lines.push(std::mem::replace(&mut line, word.to_string()));
        } else {
            line = candidate;
        }
    }
    if !line.is_empty() {
        lines.push(line);
    }
    lines
}

/// Renders the frames of the scenario at `path` in every format asked for: [`draw`], then
/// [`Drawn::finish`].
///
/// # Errors
/// Any error of loading or evaluating the scenario, or of encoding a format, naming the file.
pub fn render(path: &Path, fonts: &Fonts, options: &Options) -> Result<Vec<Rendered>, Error> {
    draw(path, fonts, options)?.finish(fonts, &Silent)
}

/// A scenario's frames drawn and written as SVG, and its web page: all of [`render`] but
/// the rasterising and encoding, which cost the most.
#[derive(Debug)]
pub struct Drawn {
    path: PathBuf,
    stem: String,
    options: Options,
    /// Each frame's SVG.
    svgs: Vec<String>,
    /// The web page, if asked for.
    html: Option<Rendered>,
}

/// Draws the frames of the scenario at `path`, up to rasterising and encoding them.
///
/// # Errors
/// Any error of loading or evaluating the scenario, naming the file.
pub fn draw(path: &Path, fonts: &Fonts, options: &Options) -> Result<Drawn, Error> {
    let model = load::model(path)?;
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
             smaller graph, or draw this one whole with `chainrule render`",
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
        },
        fonts,
    );
    let stem = load::stem(path);
    let shows = sequence(&drawing, pass, options.precision, options.lang, fonts);
    let svgs = shows
        .iter()
        .map(|s| svg::write(&drawing.draw(s, fonts)))
        .collect();
    let html = options.formats.contains(&FrameFormat::Html).then(|| {
        // The page shows the caption itself, under the frame.
        let bare: Vec<_> = shows
            .iter()
            .map(|s| {
                drawing.draw(
                    &Show {
                        caption: Vec::new(),
                        caption_band: 0.0,
                        ..s.clone()
                    },
                    fonts,
                )
            })
            .collect();
        let captions: Vec<String> = shows.iter().map(|s| s.caption.join(" ")).collect();
        let page = html::stepper(&drawing.model.title, &bare, &captions, options.delay_ms);
        Rendered {
            name: format!("{stem}.html"),
            bytes: page.into_bytes(),
        }
    });
    Ok(Drawn {
        path: path.to_path_buf(),
        stem,
        options: options.clone(),
        svgs,
        html,
    })
}

impl Drawn {
    /// How many files [`Drawn::finish`] gives.
    pub fn files(&self) -> usize {
        let wants = |f| usize::from(self.options.formats.contains(&f));
        let each = wants(FrameFormat::Svg) + wants(FrameFormat::Png);
        let once = wants(FrameFormat::Gif) + wants(FrameFormat::Apng) + wants(FrameFormat::Pdf);
        self.svgs.len() * each + once + usize::from(self.html.is_some())
    }

    /// Rasterises the frames and encodes them in every format asked for ([`animate`]; the PDF
    /// meanwhile), telling `progress` of each file: numbered SVG and PNG frames, then the GIF,
    /// the APNG, the PDF and the web page.
    ///
    /// # Errors
    /// A frame that cannot be rasterised, or a format that cannot be encoded, naming the file.
    pub fn finish(self, fonts: &Fonts, progress: &dyn Progress) -> Result<Vec<Rendered>, Error> {
        let Drawn {
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
            || animate(&svgs, &options, fonts, progress),
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
                    name: format!("{stem}/frame-{i:02}.svg"),
                    bytes: text.into_bytes(),
                });
            }
            if let Some(bytes) = png {
                files.push(Rendered {
                    name: format!("{stem}/frame-{i:02}.png"),
                    bytes,
                });
            }
        }
        for (bytes, suffix) in [
            (gif, "frames.gif"),
            (apng, "frames.apng"),
            (pdf, "frames.pdf"),
        ] {
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
    options: &Options,
    fonts: &Fonts,
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
        let pixmap = png::pixmap(&svgs[i], options.scale, fonts)?;
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wraps_at_spaces_within_the_width() {
        let measure = |s: &str| s.chars().count() as f64;
        assert_eq!(wrap("aa bb cc dd", 5.0, measure), vec!["aa bb", "cc dd"]);
        assert_eq!(
            wrap("toolongword x", 5.0, measure),
            vec!["toolongword", "x"]
        );
        assert_eq!(wrap("", 5.0, measure), Vec::<String>::new());
    }

    /// The count checked before the layout is the number of frames made after it.
    #[test]
    fn frame_count_is_the_sequence_length() {
        let fonts = Fonts::load();
        for name in ["apple_orange", "sigmoid", "affine", "softmax_with_loss"] {
            let path = PathBuf::from(format!("scenarios/{name}.json"));
            let model = load::model(&path).unwrap();
            let (trace, _) = load::trace_or_skeleton(&path, &model, None).unwrap();
            let counts: Vec<usize> = [Pass::Forward, Pass::Backward, Pass::Both]
                .iter()
                .map(|&pass| frame_count(&model, &trace, pass))
                .collect();
            let drawing = Drawing::with_options(
                model,
                trace,
                &DrawOptions {
                    annotate: Some(Annotate::Numeric),
                    ..DrawOptions::default()
                },
                &fonts,
            );
            for (pass, count) in [Pass::Forward, Pass::Backward, Pass::Both]
                .into_iter()
                .zip(counts)
            {
                let made = sequence(&drawing, pass, 4, Lang::En, &fonts).len();
                assert_eq!(count, made, "{name}, {pass:?}");
            }
        }
    }
}
