//! Finding scenario files and writing results atomically: each file is written to a
//! temporary name in its directory, then renamed, so a reader never sees half a file.

use std::collections::BTreeSet;
use std::fs;
use std::io::Write;
use std::path::{Path, PathBuf};

use rayon::prelude::*;

use crate::error::Error;

/// The scenario files named by `inputs`: files as given, directories as their `*.json`
/// files in name order.
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
            .filter(|p| p.extension().is_some_and(|e| e == "json") && p.is_file())
            .collect();
        if found.is_empty() {
            return Err(Error::Usage(format!(
                "{}: no scenarios (*.json) in this directory",
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

/// Makes sure `dir` is a directory, creating it if needed.
///
/// # Errors
/// [`Error::Write`] if it is a file or cannot be created.
pub fn ensure_dir(dir: &Path) -> Result<(), Error> {
    if dir.exists() && !dir.is_dir() {
        return Err(Error::Write {
            path: dir.to_path_buf(),
            source: std::io::Error::new(
                std::io::ErrorKind::AlreadyExists,
                "exists and is not a directory",
            ),
        });
    }
    fs::create_dir_all(dir).map_err(|source| Error::Write {
        path: dir.to_path_buf(),
        source,
    })
}

/// Writes `bytes` to `path` atomically (a temporary file beside it, then a rename).
///
/// # Errors
/// [`Error::Write`] naming the path.
pub fn write_atomic(path: &Path, bytes: &[u8]) -> Result<(), Error> {
    let fail = |source| Error::Write {
        path: path.to_path_buf(),
        source,
    };
    let dir = path
        .parent()
        .filter(|d| !d.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let temp = dir.join(format!(".{name}.{}.tmp", std::process::id()));
    let result = fs::File::create(&temp)
        .and_then(|mut f| f.write_all(bytes).and_then(|()| f.sync_all()))
        .and_then(|()| fs::rename(&temp, path));
    if result.is_err() {
        let _ = fs::remove_file(&temp);
    }
    result.map_err(fail)
}

/// Writes each file (its name may include subdirectories) into `dir`, atomically; several
/// at a time, as each waits for the disk to sync it.
///
/// # Errors
/// [`Error::Write`] naming the first file or directory (in the order given) that could not be
/// written.
pub fn write_all<'a>(
    dir: &Path,
    files: impl IntoIterator<Item = &'a crate::pipeline::figures::Rendered>,
) -> Result<(), Error> {
    ensure_dir(dir)?;
    let files: Vec<_> = files.into_iter().collect();
    let parents: BTreeSet<&Path> = files
        .iter()
        .filter_map(|file| Path::new(&file.name).parent())
        .collect();
    for parent in parents {
        ensure_dir(&dir.join(parent))?;
    }
    files
        .par_iter()
        .map(|file| write_atomic(&dir.join(&file.name), &file.bytes))
        .collect::<Vec<_>>()
        .into_iter()
        .collect()
}
