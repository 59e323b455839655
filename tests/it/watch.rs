//! `render --watch` as a lecturer uses it: the figure is drawn, drawn again when the scenario
//! is saved (by an editor's rename), and kept as it was when a save breaks the scenario, whose
//! error is printed as without `--watch`; Ctrl-C (SIGINT) stops it and leaves no temporary
//! file. Waits poll generously, for noisy machines; nothing is timed.

use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

/// How long any one wait may take before the test gives up.
const PATIENCE: Duration = Duration::from_secs(180);

fn scenario(x: f64) -> String {
    format!(
        r#"{{"title": "Watched", "nodes": [{{"id": "x", "input": {x}}}, {{"id": "y", "op": "mul", "args": ["x", "x"]}}]}}"#
    )
}

/// Saves `text` as an editor does: a new file renamed over the old one.
fn save(path: &Path, text: &str) {
    let temp = path.with_extension("json.tmp");
    std::fs::write(&temp, text).unwrap();
    std::fs::rename(&temp, path).unwrap();
}

/// Waits until `done` holds, or fails with `what` (and stops `child`).
fn wait_for(child: &mut Child, what: &str, mut done: impl FnMut() -> bool) {
    let start = Instant::now();
    while !done() {
        if start.elapsed() > PATIENCE {
            let _ = child.kill();
            panic!("gave up waiting for {what}");
        }
        if let Ok(Some(status)) = child.try_wait() {
            panic!("chainrule stopped ({status}) while waiting for {what}");
        }
        std::thread::sleep(Duration::from_millis(100));
    }
}

fn chainrule() -> Command {
    Command::new(env!("CARGO_BIN_EXE_chainrule"))
}

/// The SVG that `render` without `--watch` draws of `file`, or its error message.
fn once(file: &Path, out: &Path) -> Result<Vec<u8>, String> {
    let run = chainrule()
        .args(["render", "--format", "svg", "-o"])
        .arg(out)
        .arg(file)
        .output()
        .unwrap();
    if run.status.success() {
        Ok(std::fs::read(out.join("watched.svg")).unwrap())
    } else {
        Err(String::from_utf8(run.stderr).unwrap())
    }
}

#[cfg(unix)]
#[test]
fn render_watch_redraws_on_save_keeps_the_last_good_figure_and_stops_on_ctrl_c() {
    let dir = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("watch");
    let _ = std::fs::remove_dir_all(&dir);
    let (src, out, reference) = (dir.join("src"), dir.join("out"), dir.join("reference"));
    std::fs::create_dir_all(&src).unwrap();
    let file = src.join("watched.json");
    save(&file, &scenario(2.0));
    let log = dir.join("stderr.txt");
    let mut child = chainrule()
        .args(["render", "--watch", "--format", "svg", "-o"])
        .arg(&out)
        .arg(&src)
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(std::fs::File::create(&log).unwrap())
        .spawn()
        .unwrap();
    let svg = out.join("watched.svg");
    let stderr = || std::fs::read_to_string(&log).unwrap_or_default();
    let passes = || stderr().matches("watching for changes").count();

    wait_for(&mut child, "the first figure", || passes() >= 1);
    let first = std::fs::read(&svg).expect("the first figure is written");
    assert_eq!(Ok(first.clone()), once(&file, &reference));

    save(&file, &scenario(3.0));
    wait_for(&mut child, "the figure of the edit", || passes() >= 2);
    let second = std::fs::read(&svg).unwrap();
    assert_ne!(second, first, "the edit is drawn");
    assert_eq!(Ok(second.clone()), once(&file, &reference));

    let broken = &scenario(4.0)[..40];
    save(&file, broken);
    wait_for(&mut child, "the broken save to be seen", || passes() >= 3);
    let error = once(&file, &reference).expect_err("the broken scenario is refused");
    assert!(error.contains("watched.json"), "{error}");
    assert!(
        stderr().contains(&error),
        "the same error as without --watch: {error}\nin\n{}",
        stderr()
    );
    assert_eq!(std::fs::read(&svg).unwrap(), second, "the last good figure");

    save(&file, &scenario(5.0));
    wait_for(&mut child, "the figure of the fix", || passes() >= 4);
    assert_eq!(Ok(std::fs::read(&svg).unwrap()), once(&file, &reference));

    let interrupted = Command::new("kill")
        .args(["-INT", &child.id().to_string()])
        .status()
        .unwrap();
    assert!(interrupted.success());
    let start = Instant::now();
    let status = loop {
        if let Some(status) = child.try_wait().unwrap() {
            break status;
        }
        if start.elapsed() > PATIENCE {
            let _ = child.kill();
            panic!("chainrule --watch did not stop on SIGINT");
        }
        std::thread::sleep(Duration::from_millis(100));
    };
    assert_eq!(status.code(), Some(130), "128 + SIGINT");
    let left: Vec<String> = std::fs::read_dir(&out)
        .unwrap()
        .map(|entry| entry.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    assert_eq!(left, ["watched.svg"]);
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn watching_standard_input_is_bad_input() {
    let run = chainrule()
        .args(["render", "--watch", "-"])
        .stdin(Stdio::null())
        .output()
        .unwrap();
    assert_eq!(run.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&run.stderr).contains("standard input"));
}
