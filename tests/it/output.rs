//! Writing outputs: every name stays inside the output directory, temporary files are made
//! exclusively, two scenarios never make the same file, a failed or stopped run leaves the
//! directory as it was, and `check` neither rewrites goldens without `--bless` nor reads
//! anything but the goldens.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::time::{Duration, Instant};

fn temp_dir(name: &str) -> PathBuf {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join(format!("output-{name}"));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("temp dir");
    dir
}

fn chainrule(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_chainrule"))
        .args(args)
        .output()
        .expect("run chainrule")
}

fn s(path: &Path) -> &str {
    path.to_str().expect("utf-8 path")
}

fn stderr(out: &Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

/// Every file under `dir` (symbolic links as their targets' paths), with its contents.
fn tree(dir: &Path) -> BTreeMap<PathBuf, Vec<u8>> {
    let mut files = BTreeMap::new();
    let Ok(entries) = std::fs::read_dir(dir) else {
        return files;
    };
    for entry in entries.flatten() {
        let path = entry.path();
        let kind = entry.file_type().unwrap();
        if kind.is_symlink() {
            let target = std::fs::read_link(&path).unwrap();
            files.insert(path.clone(), target.into_os_string().into_encoded_bytes());
        } else if kind.is_dir() {
            files.insert(path.clone(), b"<dir>".to_vec());
            files.extend(tree(&path));
        } else {
            files.insert(path.clone(), std::fs::read(&path).unwrap());
        }
    }
    files
}

fn temporaries(dir: &Path) -> Vec<PathBuf> {
    tree(dir)
        .into_keys()
        .filter(|p| p.to_string_lossy().ends_with(".tmp"))
        .collect()
}

fn apple() -> String {
    std::fs::read_to_string("scenarios/apple.json").unwrap()
}

#[test]
fn a_scenario_named_dot_dot_writes_nothing_outside() {
    let dir = temp_dir("dotdot");
    let scenarios = dir.join("in");
    std::fs::create_dir_all(&scenarios).unwrap();
    std::fs::write(scenarios.join("...json"), apple()).unwrap();
    let out = dir.join("out/sub");
    let file = scenarios.join("...json");
    let run = chainrule(&["frames", s(&file), "-o", s(&out), "--format", "svg"]);
    assert_eq!(run.status.code(), Some(2), "{}", stderr(&run));
    assert!(stderr(&run).contains("...json"), "{}", stderr(&run));
    let run = chainrule(&["render", s(&scenarios), "-o", s(&out), "--frames"]);
    assert_eq!(run.status.code(), Some(2), "{}", stderr(&run));
    assert!(stderr(&run).contains("...json"), "{}", stderr(&run));
    assert!(
        tree(&dir.join("out")).is_empty(),
        "{:?}",
        tree(&dir.join("out"))
    );
}

#[test]
fn a_planted_symlink_is_not_followed_and_long_names_fit() {
    let dir = temp_dir("symlink");
    let out = dir.join("out");
    std::fs::create_dir_all(&out).unwrap();
    let victim = dir.join("victim");
    std::fs::write(&victim, "precious").unwrap();
    // The shell plants links at the temporary names, then becomes chainrule (same pid).
    let script = format!(
        "for n in 0 1 2 3; do ln -s '{v}' \"{o}/.chainrule-$$-$n.tmp\"; done; \
         ln -s '{v}' \"{o}/.apple-fig01.svg.$$.tmp\"; \
         exec '{bin}' render scenarios/apple.json -o '{o}' --format svg",
        v = s(&victim),
        o = s(&out),
        bin = env!("CARGO_BIN_EXE_chainrule"),
    );
    let run = Command::new("sh").arg("-c").arg(script).output().unwrap();
    assert_eq!(run.status.code(), Some(0), "{}", stderr(&run));
    assert_eq!(std::fs::read_to_string(&victim).unwrap(), "precious");
    let written = std::fs::symlink_metadata(out.join("apple-fig01.svg")).unwrap();
    assert!(written.is_file());

    // A 247-byte scenario name makes 251-byte file names: they fit.
    let long = "a".repeat(247);
    let scenarios = dir.join("long");
    std::fs::create_dir_all(&scenarios).unwrap();
    let scenario = scenarios.join(format!("{long}.json"));
    let square = r#"{"nodes": [{"id": "x", "input": 2}, {"id": "y", "op": "mul", "args": ["x", "x"]}], "output": "y"}"#;
    std::fs::write(&scenario, square).unwrap();
    let run = chainrule(&["render", s(&scenario), "-o", s(&out), "--format", "svg,png"]);
    assert_eq!(run.status.code(), Some(0), "{}", stderr(&run));
    assert!(out.join(format!("{long}.svg")).is_file());

    // A huge figure name is refused up front, and not echoed whole.
    let huge = "f".repeat(1 << 20);
    let scenario = scenarios.join("huge.json");
    let text = square.replacen(
        "\"output\"",
        &format!(r#""figures": [{{"name": "{huge}", "view": "forward"}}], "output""#),
        1,
    );
    std::fs::write(&scenario, text).unwrap();
    let run = chainrule(&["render", s(&scenario), "-o", s(&dir.join("huge-out"))]);
    let text = stderr(&run);
    assert_eq!(
        run.status.code(),
        Some(2),
        "{}",
        &text[..200.min(text.len())]
    );
    assert!(text.len() < 1000, "{} bytes of errors", text.len());
    assert!(text.contains("huge.json"), "{text}");
    assert!(!dir.join("huge-out").exists());
}

#[test]
fn colliding_outputs_are_refused_naming_both() {
    let dir = temp_dir("collide");
    std::fs::write(dir.join("apple.json"), apple()).unwrap();
    std::fs::write(
        dir.join("apple-fig01.json"),
        r#"{"nodes": [{"id": "x", "input": 2}], "output": "x"}"#,
    )
    .unwrap();
    let out = dir.join("out");
    let run = chainrule(&["render", s(&dir), "-o", s(&out)]);
    assert_eq!(run.status.code(), Some(2), "{}", stderr(&run));
    let text = stderr(&run);
    assert!(
        text.contains("apple.json") && text.contains("apple-fig01.json"),
        "{text}"
    );
    assert!(!out.exists());

    for (a, b) in [("a", "b"), ("a", "a")] {
        std::fs::create_dir_all(dir.join(a)).unwrap();
        std::fs::create_dir_all(dir.join(b)).unwrap();
        std::fs::write(dir.join(a).join("same.json"), apple()).unwrap();
        std::fs::write(dir.join(b).join("same.json"), apple()).unwrap();
        let run = chainrule(&[
            "render",
            s(&dir.join(a).join("same.json")),
            s(&dir.join(b).join("same.json")),
            "-o",
            s(&out),
            "--frames",
        ]);
        assert_eq!(run.status.code(), Some(2), "{}", stderr(&run));
        assert!(stderr(&run).contains("same.json"), "{}", stderr(&run));
        assert!(!stderr(&run).contains("No such file"), "{}", stderr(&run));
        assert!(!out.exists());
    }
}

/// Runs chainrule under a file size limit (`blocks` of 512 bytes), as a disk that is full
/// for any larger file.
fn with_size_limit(blocks: u32, args: &str) -> Output {
    let script = format!(
        "ulimit -f {blocks}; trap '' XFSZ; exec '{}' {args}",
        env!("CARGO_BIN_EXE_chainrule")
    );
    Command::new("sh").arg("-c").arg(script).output().unwrap()
}

#[test]
fn a_failed_run_leaves_the_directory_as_it_was() {
    let dir = temp_dir("failed");
    let out = dir.join("out");
    let render = format!("render scenarios/apple.json -o '{}' --frames", s(&out));
    // Into a new directory: nothing at all, not even the directory.
    let run = with_size_limit(8, &render);
    assert_eq!(run.status.code(), Some(3), "{}", stderr(&run));
    assert!(!out.exists(), "{:?}", tree(&out).keys());
    // Into an old output: every old file as it was.
    let args = ["render", "scenarios/apple.json", "-o", s(&out), "--frames"];
    let run = chainrule(&[&args[..], &["--scale", "0.5"]].concat());
    assert_eq!(run.status.code(), Some(0), "{}", stderr(&run));
    let before = tree(&out);
    let run = with_size_limit(8, &render);
    assert_eq!(run.status.code(), Some(3), "{}", stderr(&run));
    assert!(tree(&out) == before, "old files replaced");
    // A directory where a file goes: nothing else is written either.
    std::fs::remove_file(out.join("apple-fig10.png")).unwrap();
    std::fs::create_dir(out.join("apple-fig10.png")).unwrap();
    let before = tree(&out);
    let run = chainrule(&args);
    assert_eq!(run.status.code(), Some(3), "{}", stderr(&run));
    assert!(stderr(&run).contains("apple-fig10.png"), "{}", stderr(&run));
    assert!(tree(&out) == before, "old files replaced");
    // A file where the frames' directory goes.
    std::fs::remove_dir(out.join("apple-fig10.png")).unwrap();
    std::fs::remove_dir_all(out.join("apple")).unwrap();
    std::fs::write(out.join("apple"), "a file").unwrap();
    let before = tree(&out);
    let run = chainrule(&args);
    assert_eq!(run.status.code(), Some(3), "{}", stderr(&run));
    assert!(tree(&out) == before, "old files replaced");
}

#[test]
fn stale_frames_are_removed_and_nothing_else() {
    let dir = temp_dir("stale");
    let out = dir.join("out");
    std::fs::create_dir_all(out.join("apple")).unwrap();
    for name in ["frame-99.svg", "frame-99.png", "notes.txt"] {
        std::fs::write(out.join("apple").join(name), "old").unwrap();
    }
    let run = chainrule(&[
        "frames",
        "scenarios/apple.json",
        "-o",
        s(&out),
        "--format",
        "svg,png",
    ]);
    assert_eq!(run.status.code(), Some(0), "{}", stderr(&run));
    assert!(!out.join("apple/frame-99.svg").exists());
    assert!(!out.join("apple/frame-99.png").exists());
    assert!(out.join("apple/notes.txt").exists());
    assert!(out.join("apple/frame-00.svg").exists());
}

#[test]
fn a_dangling_symlink_output_gets_a_clear_message() {
    let dir = temp_dir("dangling");
    let out = dir.join("out");
    std::os::unix::fs::symlink(dir.join("nowhere"), &out).unwrap();
    let run = chainrule(&["render", "scenarios/apple.json", "-o", s(&out)]);
    assert_ne!(run.status.code(), Some(0));
    let text = stderr(&run);
    assert!(
        text.contains("symbolic link") && !text.contains("File exists"),
        "{text}"
    );
}

#[test]
fn sigterm_removes_the_temporaries() {
    let dir = temp_dir("sigterm");
    let out = dir.join("out");
    let args = [
        "render",
        "scenarios",
        "-o",
        s(&out),
        "--frames",
        "--scale",
        "2",
    ];
    let run = chainrule(&args);
    assert_eq!(run.status.code(), Some(0), "{}", stderr(&run));
    let whole = tree(&out).len();
    std::fs::remove_dir_all(&out).unwrap();
    for delay in [50, 300, 700, 1000] {
        let mut child = Command::new(env!("CARGO_BIN_EXE_chainrule"))
            .args(args)
            .stderr(std::process::Stdio::null())
            .spawn()
            .unwrap();
        std::thread::sleep(Duration::from_millis(delay));
        Command::new("kill")
            .args(["-TERM", &child.id().to_string()])
            .status()
            .unwrap();
        let status = child.wait().unwrap();
        assert!(temporaries(&out).is_empty(), "{:?}", temporaries(&out));
        if status.code() != Some(0) {
            assert_eq!(status.code(), Some(143), "{status:?}");
            let files = tree(&out).len();
            assert!(
                files == 0 || files == whole,
                "a partial set: {files} of {whole}"
            );
        }
        let _ = std::fs::remove_dir_all(&out);
    }
}

/// Runs `check` on apple.json against `golden`, with `more` arguments.
fn check(golden: &Path, more: &[&str]) -> Output {
    let args = ["check", "scenarios/apple.json", "--golden", s(golden)];
    chainrule(&[&args[..], more].concat())
}

#[test]
fn check_neither_rewrites_goldens_without_bless_nor_reads_other_files() {
    let dir = temp_dir("check");
    let golden = dir.join("golden");
    let args = [
        "render",
        "scenarios/apple.json",
        "-o",
        s(&golden),
        "--format",
        "svg,png",
    ];
    let run = chainrule(&args);
    assert_eq!(run.status.code(), Some(0), "{}", stderr(&run));
    let picture = golden.join("apple-fig01.png");
    let svg = std::fs::read_to_string(golden.join("apple-fig01.svg")).unwrap();
    let square = "<rect x=\"0\" y=\"0\" width=\"5\" height=\"5\"/></svg>";
    let changed = svg.replacen("</svg>", square, 1);
    std::fs::write(golden.join("apple-fig01.svg"), &changed).unwrap();
    std::fs::remove_file(golden.join("apple-fig02.svg")).unwrap();
    let before = tree(&golden);
    for diff in [golden.clone(), golden.join("sub"), golden.join("../golden")] {
        let run = check(&golden, &["--diff", s(&diff)]);
        assert_eq!(run.status.code(), Some(2), "{}", stderr(&run));
        assert!(tree(&golden) == before, "goldens rewritten");
    }

    // An image in a golden is not loaded into the diff PNG.
    let image = format!(
        "<image x=\"0\" y=\"0\" width=\"300\" height=\"300\" href=\"{0}\"/></svg>",
        s(&picture)
    );
    let with_image = changed.replacen("</svg>", &image, 1);
    let diffs: Vec<Vec<u8>> = [&changed, &with_image]
        .iter()
        .enumerate()
        .map(|(i, text)| {
            std::fs::write(golden.join("apple-fig01.svg"), text).unwrap();
            let diff = dir.join(format!("diff{i}"));
            let run = check(&golden, &["--diff", s(&diff)]);
            assert_eq!(run.status.code(), Some(1), "{}", stderr(&run));
            std::fs::read(diff.join("apple-fig01.svg.png")).unwrap()
        })
        .collect();
    assert!(diffs[0] == diffs[1], "the image was loaded");

    // A golden that is a link to an endless device is refused, not read forever.
    std::fs::remove_file(golden.join("apple-fig01.svg")).unwrap();
    std::os::unix::fs::symlink("/dev/zero", golden.join("apple-fig01.svg")).unwrap();
    let diff = dir.join("diff2");
    let mut child = Command::new(env!("CARGO_BIN_EXE_chainrule"))
        .args(["check", "scenarios/apple.json", "--golden", s(&golden)])
        .args(["--diff", s(&diff)])
        .stderr(std::process::Stdio::null())
        .spawn()
        .unwrap();
    let start = Instant::now();
    let status = loop {
        if let Some(status) = child.try_wait().unwrap() {
            break Some(status);
        }
        if start.elapsed() > Duration::from_secs(60) {
            let _ = child.kill();
            let _ = child.wait();
            break None;
        }
        std::thread::sleep(Duration::from_millis(50));
    };
    assert_eq!(
        status.and_then(|s| s.code()),
        Some(2),
        "read /dev/zero for a minute"
    );
    std::fs::remove_file(golden.join("apple-fig01.svg")).unwrap();

    // A bless that fails part-way leaves every golden as it was.
    std::fs::write(golden.join("apple-fig01.svg"), &changed).unwrap();
    std::fs::remove_file(golden.join("apple-fig10.svg")).unwrap();
    std::fs::create_dir(golden.join("apple-fig10.svg")).unwrap();
    let before = tree(&golden);
    let run = check(&golden, &["--bless"]);
    assert_ne!(run.status.code(), Some(0), "{}", stderr(&run));
    assert!(tree(&golden) == before, "goldens rewritten");
}
