//! Stepping through the passes frame by frame, on the one layout of a scenario: the forward
//! pass computes the values node by node, the backward pass sends the gradients back from the
//! seed, node by node, in the engine's order. Each frame is a [`Show`] (what is drawn, what
//! just appeared, which node acts) with a caption; [`write`] turns a sequence into numbered
//! SVG/PNG files, an animated GIF and APNG, a PDF with a page per frame and a web page.

use std::collections::BTreeSet;
use std::path::Path;

use petgraph::graph::NodeIndex;
use petgraph::Direction;

use crate::error::Error;
use crate::figures::Rendered;
use crate::format;
use crate::load;
use crate::model::Kind;
use crate::render::fonts::Fonts;
use crate::render::scene::{Show, CAPTION_LEADING};
use crate::render::{anim, html, pdf, png, svg, Drawing, Figure};
use crate::scenario::{Annotate, Pass, View};
use crate::steps::{self, Lang};
use crate::symbolic;

/// What a frame sequence can be written as.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, clap::ValueEnum)]
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
    step: &crate::engine::Step,
    lang: Lang,
) -> String {
    let node = &drawing.model.graph[step.node];
    let up = symbols.arrived[step.node.index()]
        .as_ref()
        .map_or_else(String::new, crate::math::Math::plain);
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

/// Renders the frames of the scenario at `path` in every format asked for.
///
/// # Errors
/// Any error of loading or evaluating the scenario, or of encoding a format, naming the file.
pub fn render(path: &Path, fonts: &Fonts, options: &Options) -> Result<Vec<Rendered>, Error> {
    let model = load::model(path)?;
    let (trace, numbers) = load::trace_or_skeleton(path, &model, options.annotate)?;
    let pass = options.pass.or(model.frames.pass).unwrap_or_default();
    let annotate = match (options.annotate, numbers) {
        (Some(asked), _) => asked,
        (None, true) => model.frames.annotate.unwrap_or(model.annotate),
        (None, false) => Annotate::Symbolic,
    };
    let drawing = Drawing::build(model, trace, options.precision, annotate, fonts, None);
    let stem = load::stem(path);
    let shows = sequence(&drawing, pass, options.precision, options.lang, fonts);
    let scenes: Vec<_> = shows.iter().map(|s| drawing.draw(s, fonts)).collect();
    let svgs: Vec<String> = scenes.iter().map(svg::write).collect();
    let fail = |e: String| Error::Usage(format!("{}: frames: {e}", path.display()));
    let wants = |f| options.formats.contains(&f);
    let mut files = Vec::new();
    let raster = wants(FrameFormat::Png) || wants(FrameFormat::Gif) || wants(FrameFormat::Apng);
    let pixmaps = if raster {
        svgs.iter()
            .map(|s| png::pixmap(s, options.scale, fonts))
            .collect::<Result<Vec<_>, _>>()
            .map_err(fail)?
    } else {
        Vec::new()
    };
    for (i, text) in svgs.iter().enumerate() {
        if wants(FrameFormat::Svg) {
            files.push(Rendered {
                name: format!("{stem}/frame-{i:02}.svg"),
                bytes: text.clone().into_bytes(),
            });
        }
        if wants(FrameFormat::Png) {
            let bytes = png::encode(&pixmaps[i]).map_err(fail)?;
            files.push(Rendered {
                name: format!("{stem}/frame-{i:02}.png"),
                bytes,
            });
        }
    }
    let delays: Vec<u32> = (0..svgs.len())
        .map(|i| {
            if i + 1 == svgs.len() {
                options.delay_ms * HOLD_LAST
            } else {
                options.delay_ms
            }
        })
        .collect();
    if wants(FrameFormat::Gif) {
        files.push(Rendered {
            name: format!("{stem}-frames.gif"),
            bytes: anim::gif(&pixmaps, &delays).map_err(fail)?,
        });
    }
    if wants(FrameFormat::Apng) {
        files.push(Rendered {
            name: format!("{stem}-frames.apng"),
            bytes: anim::apng(&pixmaps, &delays).map_err(fail)?,
        });
    }
    if wants(FrameFormat::Pdf) {
        files.push(Rendered {
            name: format!("{stem}-frames.pdf"),
            bytes: pdf::pages(&svgs).map_err(fail)?,
        });
    }
    if wants(FrameFormat::Html) {
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
        files.push(Rendered {
            name: format!("{stem}.html"),
            bytes: page.into_bytes(),
        });
    }
    Ok(files)
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
}
