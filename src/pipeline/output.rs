//! Writing a run's results as one transaction: every file is first
//! written (and synced) to a temporary file in its final directory, and only when all of
//! them are there are they renamed into place. A run that fails, or is stopped by SIGINT or
//! SIGTERM ([`abort`]), removes its temporary files and the directories it created, so the
//! output directory is as it was; a reader never sees half a file.

use std::collections::BTreeSet;
use std::fs;
use std::io::{ErrorKind, Read, Write};
use std::path::{Component, Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Mutex, MutexGuard};

use rayon::prelude::*;

use super::names::check_names;
use crate::error::Error;

/// One file to write: its name (no directory) and contents.
#[derive(Debug, Clone, PartialEq)]
pub struct Rendered {
    /// The file name, e.g. `apple-forward.svg`.
    pub name: String,
    /// The bytes.
    pub bytes: Vec<u8>,
}

/// Why a path that exists and is not a directory cannot be one, or `None` if it is one or
/// does not exist.
fn not_a_dir(dir: &Path) -> Option<std::io::Error> {
    let meta = fs::symlink_metadata(dir).ok()?;
    if meta.is_dir() {
        return None;
    }
    if meta.file_type().is_symlink() {
        return match fs::metadata(dir) {
            Ok(target) if target.is_dir() => None,
            Ok(_) => Some(std::io::Error::other(
                "is a symbolic link to something that is not a directory",
            )),
            Err(_) => Some(std::io::Error::other(format!(
                "is a symbolic link to {}, which does not exist (or cannot be reached)",
                fs::read_link(dir).map_or_else(|_| "?".to_string(), |t| t.display().to_string())
            ))),
        };
    }
    Some(std::io::Error::other("exists and is not a directory"))
}

/// Checks that `dir` is a directory or can be created as one (it is not a file, nor a
/// symbolic link that leads nowhere): done before any work, so that a run does not fail only
/// once everything is rendered.
///
/// # Errors
/// [`Error::Write`] naming the directory.
pub fn check_dir(dir: &Path) -> Result<(), Error> {
    for path in dir.ancestors().filter(|p| !p.as_os_str().is_empty()) {
        if let Some(source) = not_a_dir(path) {
            return Err(Error::Write {
                path: path.to_path_buf(),
                source,
            });
        }
    }
    Ok(())
}

/// Makes sure `dir` is a directory, creating it if needed.
///
/// # Errors
/// [`Error::Write`] if it is a file or cannot be created.
pub fn ensure_dir(dir: &Path) -> Result<(), Error> {
    create_dirs(dir).map(|_| ())
}

/// Creates `dir` and whichever of its parents are missing; returns those it created, parents
/// first.
fn create_dirs(dir: &Path) -> Result<Vec<PathBuf>, Error> {
    check_dir(dir)?;
    let missing: Vec<&Path> = dir
        .ancestors()
        .filter(|p| !p.as_os_str().is_empty())
        .take_while(|p| fs::symlink_metadata(p).is_err())
        .collect();
    let mut created = Vec::new();
    for path in missing.into_iter().rev() {
        let mut registry = registry();
        match fs::create_dir(path) {
            Ok(()) => {
                registry.dirs.insert(path.to_path_buf());
                created.push(path.to_path_buf());
            }
            Err(e) if e.kind() == ErrorKind::AlreadyExists && path.is_dir() => {}
            Err(source) => {
                drop(registry);
                remove_dirs(&created);
                return Err(Error::Write {
                    path: path.to_path_buf(),
                    source,
                });
            }
        }
    }
    Ok(created)
}

/// The temporary files and directories of the runs under way, for [`abort`].
#[derive(Debug, Default)]
struct Registry {
    /// Set by [`abort`]: no more temporary files may be made.
    aborting: bool,
    temps: BTreeSet<PathBuf>,
    dirs: BTreeSet<PathBuf>,
}

static REGISTRY: Mutex<Registry> = Mutex::new(Registry {
    aborting: false,
    temps: BTreeSet::new(),
    dirs: BTreeSet::new(),
});

/// Numbers the temporary files of this process.
static COUNTER: AtomicU64 = AtomicU64::new(0);

fn registry() -> MutexGuard<'static, Registry> {
    REGISTRY
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner)
}

/// Removes `dirs` (created by this run, parents first) if they are empty, deepest first.
fn remove_dirs(dirs: &[PathBuf]) {
    let mut registry = registry();
    for dir in dirs.iter().rev() {
        let _ = fs::remove_dir(dir);
        registry.dirs.remove(dir);
    }
}

/// Removes every temporary file and directory of the runs under way, and lets no run make
/// more: for a signal handler, which then exits. Returns once a run that is renaming its
/// files into place has finished (a run is committed whole or not at all).
pub fn abort() {
    let mut registry = registry();
    registry.aborting = true;
    for temp in std::mem::take(&mut registry.temps) {
        let _ = fs::remove_file(temp);
    }
    let dirs = std::mem::take(&mut registry.dirs);
    let mut dirs: Vec<_> = dirs.into_iter().collect();
    dirs.sort_by_key(|d| std::cmp::Reverse(d.components().count()));
    for dir in dirs {
        let _ = fs::remove_dir(dir);
    }
    // Held until the process exits, so that no thread makes another temporary file.
    std::mem::forget(registry);
}

/// A file written under a temporary name in its final directory.
#[derive(Debug)]
struct Staged {
    temp: PathBuf,
    target: PathBuf,
}

/// Writes `bytes` to a new temporary file in `dir` (created exclusively: never through a
/// symbolic link or over another file), and syncs it.
fn stage(dir: &Path, target: &Path, bytes: &[u8]) -> Result<Staged, Error> {
    let fail = |source| Error::Write {
        path: target.to_path_buf(),
        source,
    };
    if fs::symlink_metadata(target).is_ok_and(|m| m.is_dir()) {
        return Err(fail(std::io::Error::other("is a directory")));
    }
    let (temp, mut file) = loop {
        let registry = &mut *registry();
        if registry.aborting {
            return Err(fail(std::io::Error::other("interrupted")));
        }
        let n = COUNTER.fetch_add(1, Ordering::Relaxed);
        let temp = dir.join(format!(".chainrule-{}-{n}.tmp", std::process::id()));
        match fs::OpenOptions::new()
            .write(true)
            .create_new(true)
            .open(&temp)
        {
            Ok(file) => {
                registry.temps.insert(temp.clone());
                break (temp, file);
            }
            Err(e) if e.kind() == ErrorKind::AlreadyExists => {}
            Err(source) => return Err(fail(source)),
        }
    };
    let staged = Staged {
        temp,
        target: target.to_path_buf(),
    };
    match file.write_all(bytes).and_then(|()| file.sync_all()) {
        Ok(()) => Ok(staged),
        Err(source) => {
            unstage(std::slice::from_ref(&staged));
            Err(fail(source))
        }
    }
}

/// Removes temporary files.
fn unstage(staged: &[Staged]) {
    let mut registry = registry();
    for file in staged {
        let _ = fs::remove_file(&file.temp);
        registry.temps.remove(&file.temp);
    }
}

/// Renames every staged file into place, holding the registry so that [`abort`] waits until
/// all are there; then syncs the directories.
fn commit(staged: &[Staged]) -> Result<(), Error> {
    let mut registry = registry();
    for (i, file) in staged.iter().enumerate() {
        if let Err(source) = fs::rename(&file.temp, &file.target) {
            drop(registry);
            unstage(&staged[i..]);
            return Err(Error::Write {
                path: file.target.clone(),
                source,
            });
        }
        registry.temps.remove(&file.temp);
    }
    drop(registry);
    let dirs: BTreeSet<&Path> = staged.iter().filter_map(|f| f.target.parent()).collect();
    for dir in dirs {
        let dir = if dir.as_os_str().is_empty() {
            Path::new(".")
        } else {
            dir
        };
        if let Ok(handle) = fs::File::open(dir) {
            let _ = handle.sync_all();
        }
    }
    Ok(())
}

/// Writes `bytes` to `path` atomically (a temporary file beside it, then a rename).
///
/// # Errors
/// [`Error::Write`] naming the path.
pub fn write_atomic(path: &Path, bytes: &[u8]) -> Result<(), Error> {
    let dir = path
        .parent()
        .filter(|d| !d.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    let staged = stage(dir, path, bytes)?;
    commit(std::slice::from_ref(&staged))
}

/// Whether `name` is that of a numbered frame file, `frame-<digits>.svg` or `.png`.
fn is_frame_file(name: &str) -> bool {
    let Some(rest) = name.strip_prefix("frame-") else {
        return false;
    };
    let Some((number, ext)) = rest.split_once('.') else {
        return false;
    };
    !number.is_empty() && number.bytes().all(|b| b.is_ascii_digit()) && matches!(ext, "svg" | "png")
}

/// Writes each file (its name may include one subdirectory) into `dir`, as one transaction:
/// all are staged as temporary files in their directories (several at a time, as each waits
/// for the disk to sync it), and only if every one was are they renamed into place. On a
/// failure the temporary files, and the directories this call created, are removed: `dir`
/// is as it was. Numbered frame files (`frame-NN.svg`, `.png`) in a directory this call
/// writes frames into that it did not write are removed after the renames: they are left
/// from a longer sequence.
///
/// # Errors
/// [`Error::Usage`] for a name that is not a plain file name inside `dir` or is given twice;
/// [`Error::Write`] naming the first file or directory (in the order given) that could not
/// be written.
pub fn write_all<'a>(
    dir: &Path,
    files: impl IntoIterator<Item = &'a Rendered>,
) -> Result<(), Error> {
    let files: Vec<_> = files.into_iter().collect();
    check_names(files.iter().map(|f| (f.name.as_str(), dir)))?;
    let mut created = create_dirs(dir)?;
    let parents: BTreeSet<&str> = files
        .iter()
        .filter_map(|file| file.name.rsplit_once('/').map(|(parent, _)| parent))
        .collect();
    for parent in &parents {
        match create_dirs(&dir.join(parent)) {
            Ok(more) => created.extend(more),
            Err(e) => {
                remove_dirs(&created);
                return Err(e);
            }
        }
    }
    let results: Vec<Result<Staged, Error>> = files
        .par_iter()
        .map(|file| {
            let target = dir.join(&file.name);
            let folder = target.parent().unwrap_or(dir).to_path_buf();
            stage(&folder, &target, &file.bytes)
        })
        .collect();
    let mut staged = Vec::with_capacity(results.len());
    let mut failure = None;
    for result in results {
        match result {
            Ok(file) => staged.push(file),
            Err(e) => {
                failure.get_or_insert(e);
            }
        }
    }
    if let Some(e) = failure {
        unstage(&staged);
        remove_dirs(&created);
        return Err(e);
    }
    if let Err(e) = commit(&staged) {
        remove_dirs(&created);
        return Err(e);
    }
    {
        let mut registry = registry();
        for d in &created {
            registry.dirs.remove(d);
        }
    }
    // Frames left from an earlier, longer sequence.
    let written: BTreeSet<&str> = files.iter().map(|f| f.name.as_str()).collect();
    for parent in parents {
        let ours = |name: &str| written.contains(format!("{parent}/{name}").as_str());
        if !written.iter().any(|w| {
            w.rsplit_once('/')
                .is_some_and(|(p, n)| p == parent && is_frame_file(n))
        }) {
            continue;
        }
        let Ok(entries) = fs::read_dir(dir.join(parent)) else {
            continue;
        };
        for entry in entries.flatten() {
            let name = entry.file_name();
            let Some(name) = name.to_str() else {
                continue;
            };
            if is_frame_file(name) && !ours(name) && entry.file_type().is_ok_and(|t| t.is_file()) {
                let _ = fs::remove_file(entry.path());
            }
        }
    }
    Ok(())
}

/// The most bytes [`read_limited`] reads.
pub const MAX_READ_BYTES: u64 = 16 << 20;

/// Reads the regular file at `path` (not through a symbolic link), up to [`MAX_READ_BYTES`];
/// `None` if there is no file there.
///
/// # Errors
/// [`Error::Read`] if it is not a regular file, is larger, or cannot be read.
pub fn read_limited(path: &Path) -> Result<Option<Vec<u8>>, Error> {
    let fail = |source| Error::Read {
        path: path.to_path_buf(),
        source,
    };
    match fs::symlink_metadata(path) {
        Err(e) if e.kind() == ErrorKind::NotFound => return Ok(None),
        Err(e) => return Err(fail(e)),
        Ok(meta) if !meta.is_file() => {
            return Err(fail(std::io::Error::other(
                "not a regular file (a symbolic link, a directory or a device is not read)",
            )))
        }
        Ok(_) => {}
    }
    let file = fs::File::open(path).map_err(fail)?;
    if !file.metadata().map_err(fail)?.is_file() {
        return Err(fail(std::io::Error::other("not a regular file")));
    }
    let mut bytes = Vec::new();
    file.take(MAX_READ_BYTES + 1)
        .read_to_end(&mut bytes)
        .map_err(fail)?;
    if bytes.len() as u64 > MAX_READ_BYTES {
        return Err(fail(std::io::Error::other(format!(
            "larger than {} MiB",
            MAX_READ_BYTES >> 20
        ))));
    }
    Ok(Some(bytes))
}

/// `path` made absolute with symbolic links resolved as far as it exists; the rest appended
/// (`..` taken lexically), for comparing directories that may not exist yet.
///
/// # Errors
/// [`Error::Read`] if the current directory cannot be known.
pub fn resolve(path: &Path) -> Result<PathBuf, Error> {
    let absolute = std::env::current_dir()
        .map_err(|source| Error::Read {
            path: PathBuf::from("."),
            source,
        })?
        .join(path);
    let mut existing = absolute.as_path();
    let mut rest = Vec::new();
    let base = loop {
        if let Ok(real) = fs::canonicalize(existing) {
            break real;
        }
        match (existing.parent(), existing.components().next_back()) {
            (Some(parent), Some(last)) => {
                rest.push(last);
                existing = parent;
            }
            _ => break existing.to_path_buf(),
        }
    };
    let mut resolved = base;
    for part in rest.into_iter().rev() {
        match part {
            Component::ParentDir => {
                resolved.pop();
            }
            Component::CurDir => {}
            other => resolved.push(other),
        }
    }
    Ok(resolved)
}
