//! Many scenarios rendered into one directory, as `chainrule render` and `chainrule frames`
//! do: all drawn first, then all encoded, telling a [`Progress`] how far they have come, and
//! written together.

use std::path::{Path, PathBuf};

use rayon::prelude::*;

use super::{draw_source, DrawnFigures, FigureOptions, Report};
use crate::core::load;
use crate::error::Error;
use crate::pipeline::progress::{Progress, Stage};

/// Renders every scenario named by `inputs` (files or directories), and their frames if
/// `frames` is given, then writes all files into `out` as one transaction
/// ([`crate::pipeline::output::write_all`]). Nothing is written unless every scenario
/// rendered and every file could be written. The names of all files are checked once the
/// scenarios are drawn, before the costly encoding: each must be a plain file name inside
/// `out`, and no two scenarios may make the same file.
///
/// Every scenario is drawn first ([`draw`](super::draw), [`crate::pipeline::frames::draw`]), so that the number of
/// files is known before the costly rasterising and encoding. Scenarios, figures and frames
/// are worked on in parallel; each file's bytes depend only on its input, never on the order
/// in which threads ran.
///
/// # Errors
/// A scenario whose name cannot name files, an output directory that cannot be one; the
/// first scenario (in order) that cannot be loaded or drawn; two scenarios that make the same
/// file; else the first whose figures or frames cannot be encoded; else a write error naming
/// the file.
pub fn render_all(
    inputs: &[PathBuf],
    out: &Path,
    options: Option<&FigureOptions>,
    frames: Option<&crate::pipeline::frames::FrameOptions>,
    progress: &dyn Progress,
) -> Result<Vec<Report>, Error> {
    let sources: Vec<load::Source> = crate::pipeline::names::scenario_paths(inputs)?
        .into_iter()
        .map(load::Source::file)
        .collect();
    render_sources(&sources, out, options, frames, progress)
}

/// As [`render_all`], for scenarios that are files or expressions, with values for their
/// inputs ([`load::Source`]).
///
/// # Errors
/// As [`render_all`].
pub fn render_sources(
    sources: &[load::Source],
    out: &Path,
    options: Option<&FigureOptions>,
    frames: Option<&crate::pipeline::frames::FrameOptions>,
    progress: &dyn Progress,
) -> Result<Vec<Report>, Error> {
    crate::pipeline::names::check_source_stems(sources)?;
    crate::pipeline::output::check_dir(out)?;
    progress.begin(Stage::Drawing, sources.len());
    let drawn = sources
        .par_iter()
        .map(|source| {
            let figures = options.map(|o| draw_source(source, o)).transpose()?;
            let frames = frames
                .map(|o| crate::pipeline::frames::draw_source(source, o))
                .transpose()?;
            progress.done(1);
            Ok((figures, frames))
        })
        .collect::<Vec<Result<_, Error>>>()
        .into_iter()
        .collect::<Result<Vec<_>, _>>()?;
    let names: Vec<(String, &Path)> = drawn
        .iter()
        .zip(sources.iter().map(|s| &s.path))
        .flat_map(|((figures, frames), path)| {
            figures
                .iter()
                .flat_map(DrawnFigures::names)
                .chain(
                    frames
                        .iter()
                        .flat_map(crate::pipeline::frames::DrawnFrames::names),
                )
                .map(move |name| (name, path.as_path()))
        })
        .collect();
    crate::pipeline::names::check_names(names.iter().map(|(n, p)| (n.as_str(), *p)))?;
    let files = drawn
        .iter()
        .map(|(figures, frames)| {
            figures.as_ref().map_or(0, DrawnFigures::files)
                + frames
                    .as_ref()
                    .map_or(0, crate::pipeline::frames::DrawnFrames::files)
        })
        .sum();
    progress.begin(Stage::Encoding, files);
    let reports = drawn
        .into_par_iter()
        .map(|(figures, frames)| {
            let mut report = match figures {
                Some(figures) => figures.finish(progress)?,
                None => Report::default(),
            };
            if let Some(frames) = frames {
                report.files.extend(frames.finish(progress)?);
            }
            Ok(report)
        })
        .collect::<Vec<Result<_, Error>>>()
        .into_iter()
        .collect::<Result<Vec<_>, _>>()?;
    crate::pipeline::output::write_all(out, reports.iter().flat_map(|r| &r.files))?;
    Ok(reports)
}
