//! Golden files: the SVG of every figure kept beside the scenarios, compared byte for byte.
//! What `chainrule check` and the golden test both run. On a mismatch the new SVG and a PNG
//! of old | new side by side are written into a separate folder for a person to look at;
//! blessing rewrites the goldens.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use crate::draw::fonts::Fonts;
use crate::error::Error;
use crate::export::png;
use crate::pipeline::figures::{self, FigureOptions, Format, Rendered};
use crate::pipeline::output::{write_all, write_atomic};

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
    fonts: &Fonts,
) -> Result<Outcome, Error> {
    let options = FigureOptions {
        formats: BTreeSet::from([Format::Svg]),
        ..FigureOptions::default()
    };
    let paths = crate::pipeline::output::scenario_paths(inputs)?;
    let mut files = Vec::new();
    for path in &paths {
        files.extend(figures::render(path, fonts, &options)?.files);
    }
    compare(&files, golden, diff, bless, fonts)
}

/// Compares SVG files with `golden/<name>` (names may include subdirectories), as [`check`]
/// does.
///
/// # Errors
/// A write error.
pub fn compare(
    files: &[Rendered],
    golden: &Path,
    diff: &Path,
    bless: bool,
    fonts: &Fonts,
) -> Result<Outcome, Error> {
    let mut outcome = Outcome::default();
    for file in files {
        let path = golden.join(&file.name);
        let old = std::fs::read(&path).ok();
        if old.as_deref() == Some(&file.bytes[..]) {
            outcome.same.push(file.name.clone());
        } else if bless {
            write_all(golden, [file])?;
            outcome.blessed.push(file.name.clone());
        } else {
            write_all(diff, [file])?;
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
                    let images = [png::pixmap(&old, 1.0, fonts), png::pixmap(&new, 1.0, fonts)];
                    if let [Ok(a), Ok(b)] = images {
                        let side = png::side_by_side(&[a, b]).map_err(|source| Error::Encode {
                            path: path.clone(),
                            what: "old | new PNG".to_string(),
                            source,
                        })?;
                        write_atomic(&diff.join(format!("{}.png", file.name)), &side)?;
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
    Ok(outcome)
}
