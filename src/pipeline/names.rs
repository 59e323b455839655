//! What a run reads and writes, checked before any work: the scenario files named on the
//! command line, and the names of every output, each a plain file name inside the output
//! directory, no longer than a file system allows, and no two alike.

use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};

use crate::error::Error;

/// The scenario files named by `inputs`: files as given, directories as their `*.json`
/// and `*.chain` files in name order.
///
/// # Errors
/// [`Error::Read`] for a path that cannot be read, [`Error::Usage`] for a directory with no
/// scenarios or no inputs at all.
pub fn scenario_paths(inputs: &[PathBuf]) -> Result<Vec<PathBuf>, Error> {
    let mut paths = Vec::new();
    for input in inputs {
        if input == Path::new("-") {
            paths.push(input.clone());
            continue;
        }
        let meta = fs::metadata(input).map_err(|source| Error::Read {
            path: input.clone(),
            source,
        })?;
        if !meta.is_dir() {
            paths.push(input.clone());
            continue;
        }
        let mut found: Vec<PathBuf> = fs::read_dir(input)
            .map_err(|source| Error::Read {
                path: input.clone(),
                source,
            })?
            .filter_map(|entry| entry.ok().map(|e| e.path()))
            .filter(|p| {
                p.extension()
                    .is_some_and(|e| crate::core::load::EXTENSIONS.iter().any(|x| e == *x))
                    && p.is_file()
            })
            .collect();
        if found.is_empty() {
            return Err(Error::Usage(format!(
                "{}: no scenarios (*.json, *.chain) in this directory",
                input.display()
            )));
        }
        found.sort();
        paths.extend(found);
    }
    if paths.is_empty() {
        return Err(Error::Usage("no scenario files given".to_string()));
    }
    Ok(paths)
}

/// The longest file name most file systems allow, in bytes.
pub const MAX_NAME_BYTES: usize = 255;

/// `name` as it is shown in a message: whole if short, else its start and its length, so
/// that a huge name is not echoed.
fn shown(name: &str) -> String {
    const SHOWN_CHARS: usize = 40;
    if name.chars().count() <= SHOWN_CHARS + 20 {
        format!("\"{name}\"")
    } else {
        let start: String = name.chars().take(SHOWN_CHARS).collect();
        format!("\"{start}…\" ({} bytes)", name.len())
    }
}

/// What is wrong with `part` as one file name inside the output directory, if anything:
/// empty, `.`, `..`, a path separator or NUL, or longer than [`MAX_NAME_BYTES`].
fn bad_part(part: &str) -> Option<String> {
    if part.is_empty() || part == "." || part == ".." || part.contains(['/', '\\', '\0']) {
        Some(format!("{} is not a plain file name", shown(part)))
    } else if part.len() > MAX_NAME_BYTES {
        Some(format!(
            "{} is longer than the {MAX_NAME_BYTES} bytes a file name can have",
            shown(part)
        ))
    } else {
        None
    }
}

/// What is wrong with the output name `name` (a file name, or `dir/file` for a file in a
/// subdirectory), if anything.
fn bad_name(name: &str) -> Option<String> {
    name.split('/').find_map(bad_part)
}

/// Checks that the name each scenario gives its outputs (its file stem) is a plain file
/// name: this is done before any work, so that a scenario named `...json` is refused at once.
///
/// # Errors
/// [`Error::Usage`] naming the scenario file.
pub fn check_stems(paths: &[PathBuf]) -> Result<(), Error> {
    for path in paths {
        check_stem(path, &crate::core::load::stem(path))?;
    }
    Ok(())
}

/// As [`check_stems`], for files and expressions: each one's outputs are named by
/// [`Source::stem`](crate::core::load::Source::stem).
///
/// # Errors
/// As [`check_stems`].
pub fn check_source_stems(sources: &[crate::core::load::Source]) -> Result<(), Error> {
    if sources.is_empty() {
        return Err(Error::Usage("no scenario files given".to_string()));
    }
    for source in sources {
        match (&source.name, bad_part(&source.stem())) {
            (Some(name), Some(why)) => {
                return Err(Error::Usage(format!(
                    "--name {}: the outputs are named after it, and {why}",
                    shown(name)
                )))
            }
            _ => check_stem(&source.path, &source.stem())?,
        }
    }
    Ok(())
}

fn check_stem(path: &Path, stem: &str) -> Result<(), Error> {
    match bad_part(stem) {
        Some(why) => Err(Error::Usage(format!(
            "{}: the scenario's outputs are named after the file, and its name {why}; rename the file",
            path.display()
        ))),
        None => Ok(()),
    }
}

/// Checks the names of every output of a run, each with the scenario it comes from, before
/// anything is written: each must be a plain file name (or `dir/file`) inside the output
/// directory, and no two outputs may have the same name, nor may a file have the name of
/// another output's directory.
///
/// # Errors
/// [`Error::Usage`] naming the scenario, or both scenarios of a collision.
pub fn check_names<'a>(names: impl IntoIterator<Item = (&'a str, &'a Path)>) -> Result<(), Error> {
    let mut files: BTreeMap<&str, &Path> = BTreeMap::new();
    let mut dirs: BTreeMap<&str, (&str, &Path)> = BTreeMap::new();
    let collision = |name: &str, first: &Path, second: &Path| {
        if first == second {
            Error::Usage(format!(
                "{}: given twice; its outputs (such as {}) would be written twice",
                first.display(),
                shown(name)
            ))
        } else {
            Error::Usage(format!(
                "{} and {} both make the output {}; rename one of them",
                first.display(),
                second.display(),
                shown(name)
            ))
        }
    };
    for (name, source) in names {
        if let Some(why) = bad_name(name) {
            return Err(Error::Usage(format!(
                "{}: an output's name {why}",
                source.display()
            )));
        }
        if let Some(first) = files.insert(name, source) {
            return Err(collision(name, first, source));
        }
        if let Some((dir, _)) = name.rsplit_once('/') {
            dirs.entry(dir).or_insert((name, source));
        }
    }
    for (dir, (name, source)) in &dirs {
        if let Some(first) = files.get(dir) {
            return Err(collision(
                &format!("{dir} (a file, and the directory of {name})"),
                first,
                source,
            ));
        }
    }
    Ok(())
}
