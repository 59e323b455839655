//! From scenario files to figure files: what `chainrule render` and `chainrule check` do,
//! as a library so tests run exactly the same code.

mod batch;

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use rayon::prelude::*;

use crate::core::load;
use crate::core::model::Model;
use crate::core::scenario::{Annotate, ChainStyle, LayoutStyle, Pass, View};
use crate::draw::fonts::{Fonts, CJK_PACKAGES};
use crate::draw::sequence::{after_step, frame_count};
use crate::draw::texts::Texts;
use crate::draw::Figure;
use crate::draw::{overlap, DrawOptions, Drawing, CROWDING_CHECK_MAX_NODES};
use crate::error::{Error, ScenarioError, StepProblem};
use crate::export::{dot, png, svg};
use crate::pipeline::frames::MAX_FRAMES;
use crate::text::format::count;
use crate::text::steps::Lang;

pub use super::output::Rendered;
pub use super::progress::{Progress, Silent, Stage};
pub use batch::{render_all, render_sources};

/// The file formats `render` writes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
#[cfg_attr(feature = "cli", derive(clap::ValueEnum))]
pub enum Format {
    /// Scalable vector graphics.
    Svg,
    /// A PNG raster, through resvg.
    Png,
    /// Graphviz DOT of the same figure (values and gradients as edge labels), for `dot -Tsvg`
    /// or a side-by-side with Graphviz. Needs no layout, so it is fast for any size.
    Dot,
}

/// How to render.
#[derive(Debug, Clone, PartialEq)]
pub struct FigureOptions {
    /// Significant digits of numbers.
    pub precision: usize,
    /// PNG scale factor (2 for slides).
    pub scale: f32,
    /// Which files to write.
    pub formats: BTreeSet<Format>,
    /// If set, one figure per scenario in this view instead of the scenario's list.
    pub view: Option<View>,
    /// What labels show; `None` for the scenario's default.
    pub annotate: Option<Annotate>,
    /// Fold every group into one box, in every figure.
    pub collapse: bool,
    /// Edges carry their values and gradients only if there are at most this many.
    pub edge_labels_up_to: usize,
}

impl Default for FigureOptions {
    /// SVG and PNG at scale 1, four significant digits, the scenario's own figures.
    fn default() -> Self {
        FigureOptions {
            precision: crate::text::format::DEFAULT_PRECISION,
            scale: 1.0,
            formats: [Format::Svg, Format::Png].into_iter().collect(),
            view: None,
            annotate: None,
            collapse: false,
            edge_labels_up_to: crate::draw::EDGE_LABELS_UP_TO,
        }
    }
}

/// How many collisions of one figure are named before the rest are counted.
const SHOWN_COLLISIONS: usize = 3;

/// The warnings for the collisions `found` in figure `stem`: the first [`SHOWN_COLLISIONS`]
/// as they are, then how many more there are.
fn crowded(stem: &str, found: &[String]) -> Vec<String> {
    let mut warnings: Vec<String> = found
        .iter()
        .take(SHOWN_COLLISIONS)
        .map(|c| format!("{stem}: {c}"))
        .collect();
    if found.len() > SHOWN_COLLISIONS {
        let more = count(found.len() - SHOWN_COLLISIONS, "more thing", "more things");
        warnings.push(format!(
            "{stem}: and {more} drawn over each other; the figure is crowded"
        ));
    }
    warnings
}

/// Edge `e` of `model` as a warning names it, by the ids of its ends: `apple → apple_price`;
/// the output's edge to its label (the last) as `price → output`.
fn edge_ends(model: &Model, e: usize) -> String {
    let graph = &model.graph;
    match graph.raw_edges().get(e) {
        Some(edge) => format!("{} → {}", graph[edge.source()].id, graph[edge.target()].id),
        None => format!("{} → output", graph[model.output].id),
    }
}

/// What decides a figure's layout besides the graph: its labels and whether groups fold.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
struct Labelling {
    annotate: Annotate,
    style: ChainStyle,
    collapse: bool,
    /// Whether the layout makes room for gradients: a compact figure of values alone does not.
    gradients: bool,
}

/// Everything rendered from one scenario.
#[derive(Debug, Clone, Default)]
pub struct Report {
    /// The files.
    pub files: Vec<Rendered>,
    /// Warnings for the user (missing fonts).
    pub warnings: Vec<String>,
    /// Collisions found in the figures, with the figure's name.
    pub collisions: Vec<String>,
}

/// Renders every figure of the scenario at `path`: [`draw`], then [`DrawnFigures::finish`].
///
/// # Errors
/// Any error of loading, evaluating, laying out or rasterising the scenario, naming the file.
pub fn render(path: &Path, options: &FigureOptions) -> Result<Report, Error> {
    draw(path, options)?.finish(&Silent)
}

/// A scenario's figures drawn, written as SVG (and DOT), and checked for collisions: all of
/// [`render`] but the rasterising, which costs the most.
#[derive(Debug)]
pub struct DrawnFigures {
    path: PathBuf,
    scale: f32,
    /// The files made so far, the warnings and the collisions.
    report: Report,
    /// The figures to rasterise: each one's file stem and SVG.
    rasters: Vec<(String, String)>,
}

/// Draws every figure of the scenario at `path`, up to rasterising them.
///
/// # Errors
/// Any error of loading, evaluating or laying out the scenario, naming the file.
pub fn draw(path: &Path, options: &FigureOptions) -> Result<DrawnFigures, Error> {
    draw_source(&load::Source::file(path), options)
}

/// As [`draw`], for a file or an expression, with values for its inputs.
///
/// # Errors
/// As [`draw`].
pub fn draw_source(source: &load::Source, options: &FigureOptions) -> Result<DrawnFigures, Error> {
    let path = source.path.as_path();
    let model = source.model()?;
    let (trace, numbers) = load::trace_or_skeleton(path, &model, options.annotate)?;
    let fail = |source| Error::Scenario {
        path: path.to_path_buf(),
        source,
    };
    let figures = crate::draw::figures(&model, &source.stem(), options.view);
    let mut drawn = DrawnFigures {
        path: path.to_path_buf(),
        scale: options.scale,
        report: Report::default(),
        rasters: Vec::new(),
    };
    let unlabelled = |report: &mut Report, edges: usize| {
        report.warnings.push(format!(
            "{}: {edges} edges, more than --edge-labels {}: drawn without values and gradients on the edges",
            path.display(),
            options.edge_labels_up_to
        ));
    };
    let mut warned = false;
    // Each figure's layout (and DOT) is made for its labels (numbers, symbols, chain style) and for
    // whether its groups fold; figures that agree share one.
    let default_annotate = if numbers {
        model.annotate
    } else {
        Annotate::Symbolic
    };
    let default_style = model.symbolic.style;
    let groups = crate::core::collapse::has_groups(&model);
    // A figure at a step is that frame of `chainrule frames --pass backward`: labelled as the
    // frames are by default, never folded.
    let frames_annotate = model.frames.annotate.unwrap_or(default_annotate);
    let labelling = |f: &Figure| Labelling {
        annotate: match (numbers, f.step) {
            (false, _) => Annotate::Symbolic,
            (true, None) => options.annotate.or(f.annotate).unwrap_or(default_annotate),
            (true, Some(_)) => options.annotate.or(f.annotate).unwrap_or(frames_annotate),
        },
        style: f.style.unwrap_or(default_style),
        collapse: (options.collapse || f.collapse) && groups && f.step.is_none(),
        gradients: model.layout == LayoutStyle::Book || f.view == View::Backward,
    };
    // The model and trace a labelling draws: its chain style, its groups folded or not.
    let prepared = |key: &Labelling| {
        let mut model = model.clone();
        model.symbolic.style = key.style;
        if key.collapse {
            crate::core::collapse::collapse(&model, &trace).map_err(fail)
        } else {
            Ok((model, trace.clone()))
        }
    };
    if figures.iter().any(|f| f.step.is_some()) {
        let count = frame_count(&model, &trace, Pass::Backward);
        if count > MAX_FRAMES {
            return Err(Error::Usage(format!(
                "{}: a figure at a step is a frame of the backward pass, which has {count} \
                 frames, more than the {MAX_FRAMES} a frame set can hold",
                path.display(),
            )));
        }
    }
    if options.formats.contains(&Format::Dot) {
        // The DOT of each figure has the figure's own labels and its groups folded or not.
        let mut graphs: BTreeMap<Labelling, (crate::core::model::Model, Texts)> = BTreeMap::new();
        for figure in &figures {
            let key = labelling(figure);
            if let std::collections::btree_map::Entry::Vacant(slot) = graphs.entry(key) {
                let (model, trace) = prepared(&key)?;
                let mut texts = Texts::annotated(&model, &trace, options.precision, key.annotate);
                if !texts.limit_edge_labels(options.edge_labels_up_to) && !warned {
                    unlabelled(&mut drawn.report, texts.above.len());
                    warned = true;
                }
                slot.insert((model, texts));
            }
            let (model, texts) = &graphs[&key];
            let dot = dot::write(model, texts, figure.view == View::Backward);
            drawn.report.files.push(Rendered {
                name: format!("{}.dot", figure.file_stem),
                bytes: dot.into_bytes(),
            });
        }
    }
    if !options
        .formats
        .iter()
        .any(|f| matches!(f, Format::Svg | Format::Png))
    {
        return Ok(drawn);
    }
    let mut drawings: BTreeMap<Labelling, Drawing> = BTreeMap::new();
    for figure in &figures {
        let key = labelling(figure);
        if drawings.contains_key(&key) {
            continue;
        }
        let (model, trace) = prepared(&key)?;
        drawings.insert(
            key,
            Drawing::with_options(
                model,
                trace,
                &DrawOptions {
                    precision: options.precision,
                    annotate: Some(key.annotate),
                    edge_labels_up_to: options.edge_labels_up_to,
                    spacing: None,
                    gradients: key.gradients,
                },
            ),
        );
    }
    if let Some(d) = drawings.values().find(|d| !d.has_edge_labels() && !warned) {
        unlabelled(&mut drawn.report, d.texts.above.len());
    }
    let mut missing = BTreeSet::new();
    for figure in &figures {
        let drawing = &drawings[&labelling(figure)];
        let scene = match figure.step {
            Some(step) => {
                let frame = after_step(drawing, step, options.precision, Lang::En);
                let frame = frame.ok_or_else(|| {
                    fail(ScenarioError::Step {
                        figure: figure.file_stem.clone(),
                        problem: StepProblem::Beyond {
                            step,
                            steps: trace.steps.len(),
                        },
                    })
                })?;
                drawing.draw(&frame)
            }
            None => drawing.scene(figure),
        };
        if drawing.model.graph.node_count() <= CROWDING_CHECK_MAX_NODES {
            let mut found = overlap::named_collisions(&scene, &|e| edge_ends(&drawing.model, e));
            if drawing.has_edge_labels() {
                found.extend(drawing.unclear_labels(figure));
            }
            drawn
                .report
                .collisions
                .extend(crowded(&figure.file_stem, &found));
        }
        let text = svg::write(&scene);
        if options.formats.contains(&Format::Png) {
            for t in &scene.texts {
                missing.extend(Fonts::shared().missing(&t.content));
            }
            drawn.rasters.push((figure.file_stem.clone(), text.clone()));
        }
        if options.formats.contains(&Format::Svg) {
            drawn.report.files.push(Rendered {
                name: format!("{}.svg", figure.file_stem),
                bytes: text.into_bytes(),
            });
        }
    }
    for drawing in drawings.values() {
        for why in drawing.untypeset_labels() {
            let warning = format!("{}: {why}", path.display());
            if !drawn.report.warnings.contains(&warning) {
                drawn.report.warnings.push(warning);
            }
        }
    }
    if !missing.is_empty() {
        let chars: String = missing.iter().collect();
        drawn.report.warnings.push(format!(
            "{}: no installed font has glyphs for \"{chars}\"; they are boxes in the PNGs (install {CJK_PACKAGES})",
            path.display()
        ));
    }
    Ok(drawn)
}

impl DrawnFigures {
    /// How many files [`DrawnFigures::finish`] gives.
    pub fn files(&self) -> usize {
        self.report.files.len() + self.rasters.len()
    }

    /// The names of the files [`DrawnFigures::finish`] gives, in no particular order.
    pub fn names(&self) -> Vec<String> {
        self.report
            .files
            .iter()
            .map(|f| f.name.clone())
            .chain(self.rasters.iter().map(|(stem, _)| format!("{stem}.png")))
            .collect()
    }

    /// Rasterises the figures, in parallel, telling `progress` of each file; returns all the
    /// scenario's files in name order, its warnings and its collisions.
    ///
    /// # Errors
    /// The first figure that cannot be rasterised, naming the file and the figure.
    pub fn finish(self, progress: &dyn Progress) -> Result<Report, Error> {
        let DrawnFigures {
            path,
            scale,
            mut report,
            rasters,
        } = self;
        progress.done(report.files.len());
        let pngs: Vec<Result<Rendered, Error>> = rasters
            .par_iter()
            .map(|(stem, svg)| {
                let bytes = png::rasterise(svg, scale).map_err(|source| Error::Encode {
                    path: path.to_path_buf(),
                    what: format!("figure \"{stem}\""),
                    source,
                })?;
                progress.done(1);
                Ok(Rendered {
                    name: format!("{stem}.png"),
                    bytes,
                })
            })
            .collect();
        for png in pngs {
            report.files.push(png?);
        }
        report.files.sort_by(|a, b| a.name.cmp(&b.name));
        Ok(report)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::layout::Spacing;

    #[test]
    fn one_more_collision_is_one_more_thing() {
        let found: Vec<String> = (0..5).map(|k| format!("collision {k}")).collect();
        assert_eq!(
            crowded("fig", &found[..4]).last().unwrap(),
            "fig: and 1 more thing drawn over each other; the figure is crowded"
        );
        assert_eq!(
            crowded("fig", &found).last().unwrap(),
            "fig: and 2 more things drawn over each other; the figure is crowded"
        );
        assert_eq!(crowded("fig", &found[..3]).len(), 3);
    }

    /// Labels crammed over each other are named as the value or gradient of an edge, the
    /// edge by the ids of its ends; no sentence is said twice.
    #[test]
    fn a_collision_names_the_edges() {
        let path = Path::new("scenarios/apple_orange.json");
        let model = load::model(path).unwrap();
        let trace = load::evaluate(path, &model).unwrap();
        let cramped = Spacing {
            row: 20.0,
            min_edge: 4.0,
            label_margin: 0.0,
            ..Spacing::default()
        };
        let options = DrawOptions {
            spacing: Some(cramped),
            ..DrawOptions::default()
        };
        let drawing = Drawing::with_options(model, trace, &options);
        let figure = &drawing.figures("apple_orange", None)[0];
        let found =
            overlap::named_collisions(&drawing.scene(figure), &|e| edge_ends(&drawing.model, e));
        let named =
            "the gradient \"1.1\" on all_price → price overlaps the value \"1.1\" on tax → price";
        assert!(found.iter().any(|c| c == named), "{found:#?}");
        let mut once = found.clone();
        once.sort();
        once.dedup();
        assert_eq!(once.len(), found.len(), "repeated: {found:#?}");
    }
}
