//! Golden files: the SVG of every figure kept beside the scenarios, compared byte for byte.
//! What `chainrule check` and the golden test both run. On a mismatch the new SVG and a PNG
//! of old | new side by side are written into a separate folder for a person to look at;
//! blessing rewrites the goldens.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use crate::error::Error;
use crate::export::png;
use crate::pipeline::figures::{self, FigureOptions, Format, Rendered};
use crate::pipeline::output::{self, read_limited, write_all};

/// The result of comparing figures with their goldens.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Outcome {
    /// Figures whose SVG equals the golden.
    pub same: Vec<String>,
    /// Figures that differ from their golden, with what is wrong.
    pub differ: Vec<String>,
    /// Figures (re)written by blessing.
    pub blessed: Vec<String>,
}

/// Renders every scenario in `inputs` as SVG and compares each figure with `golden/<name>`.
/// With `bless`, writes the goldens that differ or are missing instead. Without, writes
/// `<name>` and `<name>.png` (old | new) into `diff` for each figure that differs.
///
/// # Errors
/// Any scenario's error, or a write error.
pub fn check(
    inputs: &[PathBuf],
    golden: &Path,
    diff: &Path,
    bless: bool,
) -> Result<Outcome, Error> {
    let options = FigureOptions {
        formats: BTreeSet::from([Format::Svg]),
        ..FigureOptions::default()
    };
    let paths = crate::pipeline::names::scenario_paths(inputs)?;
    crate::pipeline::names::check_stems(&paths)?;
    check_diff_dir(golden, diff, bless)?;
    let mut files = Vec::new();
    let mut sources = Vec::new();
    for path in &paths {
        let rendered = figures::render(path, &options)?.files;
        sources.extend(std::iter::repeat_n(path.as_path(), rendered.len()));
        files.extend(rendered);
    }
    crate::pipeline::names::check_names(files.iter().map(|f| f.name.as_str()).zip(sources))?;
    compare(&files, golden, diff, bless)
}

/// Refuses a diff directory that is the golden directory or inside it: writing the new
/// figures there would rewrite the goldens without `--bless`. Paths are compared with their
/// symbolic links resolved.
fn check_diff_dir(golden: &Path, diff: &Path, bless: bool) -> Result<(), Error> {
    if bless {
        return Ok(());
    }
    if output::resolve(diff)?.starts_with(output::resolve(golden)?) {
        return Err(Error::Usage(format!(
            "the diff directory {} is the golden directory {} or inside it: the new figures \
             would overwrite the goldens; give another --diff (or --bless to rewrite them)",
            diff.display(),
            golden.display()
        )));
    }
    Ok(())
}

/// Compares SVG files with `golden/<name>` (names may include subdirectories), as [`check`]
/// does. Goldens are read only if they are regular files of at most
/// [`output::MAX_READ_BYTES`], and rasterised with nothing they refer to loaded. The
/// blessed goldens, or the diff files, are written as one transaction: all or none.
///
/// # Errors
/// A diff directory inside the golden directory (without `bless`), a golden that is not a
/// regular file or is too large, or a write error.
pub fn compare(
    files: &[Rendered],
    golden: &Path,
    diff: &Path,
    bless: bool,
) -> Result<Outcome, Error> {
    check_diff_dir(golden, diff, bless)?;
    let mut outcome = Outcome::default();
    let mut differ = Vec::new();
    let mut sides = Vec::new();
    for file in files {
        let path = golden.join(&file.name);
        let old = read_limited(&path)?;
        if old.as_deref() == Some(&file.bytes[..]) {
            outcome.same.push(file.name.clone());
        } else if bless {
            outcome.blessed.push(file.name.clone());
        } else {
            differ.push(file);
            let why = match &old {
                None => format!("{}: no golden file at {}", file.name, path.display()),
                Some(old) => {
                    let new = String::from_utf8_lossy(&file.bytes);
                    let old = String::from_utf8_lossy(old);
                    let line = old
                        .lines()
                        .zip(new.lines())
                        .position(|(a, b)| a != b)
                        .map_or_else(
                            || old.lines().count().min(new.lines().count()) + 1,
                            |i| i + 1,
                        );
                    let images = [png::pixmap(&old, 1.0).ok(), png::pixmap(&new, 1.0).ok()];
                    if let [Some(a), Some(b)] = images {
                        let side = png::side_by_side(&[a, b]).map_err(|source| Error::Encode {
                            path: path.clone(),
                            what: "old | new PNG".to_string(),
                            source,
                        })?;
                        sides.push(Rendered {
                            name: format!("{}.png", file.name),
                            bytes: side,
                        });
                    }
                    format!(
                        "{}: differs from {} from line {line}; new SVG and old | new PNG in {}",
                        file.name,
                        path.display(),
                        diff.display()
                    )
                }
            };
            outcome.differ.push(why);
        }
    }
    // Every golden is written again when any changed: the frames of a sequence are replaced
    // as a set (see `write_all`), and those that did not change must stay.
    if !outcome.blessed.is_empty() {
        write_all(golden, files)?;
    }
    if !differ.is_empty() {
        write_all(diff, differ.into_iter().chain(&sides))?;
    }
    Ok(outcome)
}
