//! Watching scenario files, for `render --watch` and `frames --watch`: the files are looked at
//! every [`INTERVAL`], and the work runs again once they have changed and then stayed the same
//! for one more look.
//!
//! Polling rather than the operating system's file events: it needs no dependency, it sees
//! the same thing on every file system (network mounts and containers' bind mounts too, where
//! events are often missing), and an editor that saves by writing a new file and renaming it
//! over the old one is seen like any other change, since each look starts from the paths.

use std::path::{Path, PathBuf};
use std::time::{Duration, SystemTime};

use crate::pipeline::names::scenario_paths;

/// How long between two looks at the watched files.
pub const INTERVAL: Duration = Duration::from_millis(250);

/// What one look at the inputs saw: the scenario files they name (as a run would find them:
/// a directory's files come and go) with each one's [`Stamp`], or why they could not be
/// listed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Snapshot(Result<Vec<(PathBuf, Option<Stamp>)>, String>);

/// What tells one version of a file from the next: its length, its time of last change and,
/// on Unix, its inode (a file renamed over it is another file, even within one tick of a
/// coarse clock).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Stamp {
    len: u64,
    modified: SystemTime,
    inode: u64,
}

impl Snapshot {
    /// Looks at the scenario files that `inputs` name.
    pub fn take(inputs: &[PathBuf]) -> Snapshot {
        Snapshot(
            scenario_paths(inputs)
                .map(|paths| {
                    paths
                        .into_iter()
                        .map(|path| {
                            let seen = stamp(&path);
                            (path, seen)
                        })
                        .collect()
                })
                .map_err(|e| e.to_string()),
        )
    }
}

/// A file's [`Stamp`], if it can be read.
fn stamp(path: &Path) -> Option<Stamp> {
    let meta = std::fs::metadata(path).ok()?;
    #[cfg(unix)]
    let inode = std::os::unix::fs::MetadataExt::ino(&meta);
    #[cfg(not(unix))]
    let inode = 0;
    Some(Stamp {
        len: meta.len(),
        modified: meta.modified().ok()?,
        inode,
    })
}

/// Runs `pass` at once, and again after each change to the scenario files of `inputs`, every
/// [`INTERVAL`], for as long as `pass` returns `true`. A change counts once the files have
/// stayed the same for one more look, so that a file being written is not read half-way.
pub fn watch(inputs: &[PathBuf], interval: Duration, mut pass: impl FnMut() -> bool) {
    let mut last = Snapshot::take(inputs);
    if !pass() {
        return;
    }
    loop {
        std::thread::sleep(interval);
        let mut now = Snapshot::take(inputs);
        if now == last {
            continue;
        }
        loop {
            std::thread::sleep(interval);
            let again = Snapshot::take(inputs);
            if again == now {
                break;
            }
            now = again;
        }
        last = now;
        if !pass() {
            return;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn dir(name: &str) -> PathBuf {
        let dir =
            std::env::temp_dir().join(format!("chainrule-watch-{name}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap();
        dir
    }

    #[test]
    fn a_snapshot_sees_an_edit_a_rename_over_a_new_file_and_a_removal() {
        let dir = dir("snapshot");
        let a = dir.join("a.json");
        std::fs::write(&a, "{}").unwrap();
        let inputs = [dir.clone()];
        let first = Snapshot::take(&inputs);
        assert_eq!(first, Snapshot::take(&inputs), "nothing changed");

        std::fs::write(&a, "{\"nodes\": [0]}").unwrap();
        let edited = Snapshot::take(&inputs);
        assert_ne!(edited, first);

        // An editor's save: a new file renamed over the old one, the same length.
        let temp = dir.join(".a.json.swp");
        std::fs::write(&temp, "{\"nodes\": [1]}").unwrap();
        assert_eq!(
            Snapshot::take(&inputs),
            edited,
            "a file that is not a scenario"
        );
        std::thread::sleep(Duration::from_millis(20));
        std::fs::write(&temp, "{\"nodes\": [2]}").unwrap();
        std::fs::rename(&temp, &a).unwrap();
        let renamed = Snapshot::take(&inputs);
        assert_ne!(renamed, edited);

        std::fs::write(dir.join("b.json"), "{}").unwrap();
        let added = Snapshot::take(&inputs);
        assert_ne!(added, renamed);

        std::fs::remove_file(&a).unwrap();
        assert_ne!(Snapshot::take(&inputs), added);
        std::fs::remove_dir_all(&dir).unwrap();
    }

    #[test]
    fn a_file_that_goes_away_is_a_change_and_so_is_its_return() {
        let dir = dir("gone");
        let a = dir.join("a.json");
        std::fs::write(&a, "{}").unwrap();
        let inputs = [a.clone()];
        let there = Snapshot::take(&inputs);
        std::fs::remove_file(&a).unwrap();
        let gone = Snapshot::take(&inputs);
        assert_ne!(gone, there);
        std::fs::write(&a, "{}").unwrap();
        assert_ne!(Snapshot::take(&inputs), gone);
        std::fs::remove_dir_all(&dir).unwrap();
    }

    #[test]
    fn the_pass_runs_at_once_and_the_watch_ends_when_it_says_so() {
        let dir = dir("stop");
        let a = dir.join("a.json");
        std::fs::write(&a, "{}").unwrap();
        let mut passes = 0;
        watch(&[a], Duration::from_millis(1), || {
            passes += 1;
            false
        });
        assert_eq!(passes, 1);
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
