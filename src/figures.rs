//! From scenario files to figure files: what `chainrule render` and `chainrule check` do,
//! as a library so tests run exactly the same code.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use crate::error::Error;
use crate::load;
use crate::render::fonts::{Fonts, CJK_PACKAGES};
use crate::render::texts::Texts;
use crate::render::Figure;
use crate::render::{dot, overlap, png, svg, Drawing, CROWDING_CHECK_MAX_NODES};
use crate::scenario::{Annotate, ChainStyle, View};

/// The file formats `render` writes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, clap::ValueEnum)]
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
pub struct Options {
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
}

impl Default for Options {
    /// SVG and PNG at scale 1, four significant digits, the scenario's own figures.
    fn default() -> Self {
        Options {
            precision: crate::format::DEFAULT_PRECISION,
            scale: 1.0,
            formats: [Format::Svg, Format::Png].into_iter().collect(),
            view: None,
            annotate: None,
            collapse: false,
        }
    }
}

/// How many collisions of one figure are named before the rest are counted.
const SHOWN_COLLISIONS: usize = 3;

/// What decides a figure's layout besides the graph: its labels and whether groups fold.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
struct Labelling {
    annotate: Annotate,
    style: ChainStyle,
    collapse: bool,
}

/// One file to write: its name (no directory) and contents.
#[derive(Debug, Clone, PartialEq)]
pub struct Rendered {
    /// The file name, e.g. `apple-forward.svg`.
    pub name: String,
    /// The bytes.
    pub bytes: Vec<u8>,
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

/// Renders every figure of the scenario at `path`.
///
/// # Errors
/// Any error of loading, evaluating or laying out the scenario, naming the file.
pub fn render(path: &Path, fonts: &Fonts, options: &Options) -> Result<Report, Error> {
    let model = load::model(path)?;
    let (trace, numbers) = load::trace_or_skeleton(path, &model, options.annotate)?;
    let fail = |source| Error::Scenario {
        path: path.to_path_buf(),
        source,
    };
    let figures = crate::render::figures(&model, &load::stem(path), options.view).map_err(fail)?;
    let mut report = Report::default();
    if options.formats.contains(&Format::Dot) {
        let texts = Texts::new(&model, &trace, options.precision);
        for figure in &figures {
            let dot = dot::write(&model, &texts, figure.view == View::Backward);
            report.files.push(Rendered {
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
        return Ok(report);
    }
    // Each figure's layout is made for its labels (numbers, symbols, chain style) and for
    // whether its groups fold; figures that agree share one.
    let default_annotate = if numbers {
        model.annotate
    } else {
        Annotate::Symbolic
    };
    let default_style = model.symbolic.style;
    let groups = crate::collapse::has_groups(&model);
    let labelling = |f: &Figure| Labelling {
        annotate: if numbers {
            options.annotate.or(f.annotate).unwrap_or(default_annotate)
        } else {
            Annotate::Symbolic
        },
        style: f.style.unwrap_or(default_style),
        collapse: (options.collapse || f.collapse) && groups,
    };
    let mut drawings: BTreeMap<Labelling, Drawing> = BTreeMap::new();
    for figure in &figures {
        let key = labelling(figure);
        if drawings.contains_key(&key) {
            continue;
        }
        let mut model = model.clone();
        model.symbolic.style = key.style;
        let (model, trace) = if key.collapse {
            crate::collapse::collapse(&model, &trace).map_err(fail)?
        } else {
            (model, trace.clone())
        };
        drawings.insert(
            key,
            Drawing::build(model, trace, options.precision, key.annotate, fonts, None),
        );
    }
    let mut missing = BTreeSet::new();
    for figure in &figures {
        let drawing = &drawings[&labelling(figure)];
        let scene = drawing.scene(figure, fonts);
        if drawing.model.graph.node_count() <= CROWDING_CHECK_MAX_NODES {
            let found = overlap::collisions(&scene);
            report.collisions.extend(
                found
                    .iter()
                    .take(SHOWN_COLLISIONS)
                    .map(|c| format!("{}: {c}", figure.file_stem)),
            );
            if found.len() > SHOWN_COLLISIONS {
                report.collisions.push(format!(
                    "{}: and {} more things drawn over each other; the figure is crowded",
                    figure.file_stem,
                    found.len() - SHOWN_COLLISIONS
                ));
            }
        }
        let text = svg::write(&scene);
        if options.formats.contains(&Format::Png) {
            for t in &scene.texts {
                missing.extend(fonts.missing(&t.content));
            }
            let bytes = png::rasterise(&text, options.scale, fonts).map_err(|e| {
                Error::Usage(format!(
                    "{}: figure \"{}\": {e}",
                    path.display(),
                    figure.file_stem
                ))
            })?;
            report.files.push(Rendered {
                name: format!("{}.png", figure.file_stem),
                bytes,
            });
        }
        if options.formats.contains(&Format::Svg) {
            report.files.push(Rendered {
                name: format!("{}.svg", figure.file_stem),
                bytes: text.into_bytes(),
            });
        }
    }
    if !missing.is_empty() {
        let chars: String = missing.iter().collect();
        report.warnings.push(format!(
            "{}: no installed font has glyphs for \"{chars}\"; they are boxes in the PNGs (install {CJK_PACKAGES})",
            path.display()
        ));
    }
    report.files.sort_by(|a, b| a.name.cmp(&b.name));
    Ok(report)
}

/// Renders every scenario named by `inputs` (files or directories), and their frames if
/// `frames` is given, then writes all files into `out`. Nothing is written unless every
/// scenario rendered.
///
/// # Errors
/// The first scenario's error, or a write error naming the file.
pub fn render_all(
    inputs: &[PathBuf],
    out: &Path,
    fonts: &Fonts,
    options: Option<&Options>,
    frames: Option<&crate::frames::Options>,
) -> Result<Vec<Report>, Error> {
    let paths = crate::output::scenario_paths(inputs)?;
    let mut reports = Vec::new();
    for path in &paths {
        let mut report = match options {
            Some(options) => render(path, fonts, options)?,
            None => Report::default(),
        };
        if let Some(frames) = frames {
            report
                .files
                .extend(crate::frames::render(path, fonts, frames)?);
        }
        reports.push(report);
    }
    crate::output::write_all(out, reports.iter().flat_map(|r| &r.files))?;
    Ok(reports)
}
