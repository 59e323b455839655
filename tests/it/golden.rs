//! Golden snapshot test: every figure of every shipped scenario must equal its SVG in
//! `tests/golden/`, byte for byte. After a deliberate change to the drawing, rewrite them with
//! `UPDATE_GOLDEN=1 cargo test --test golden` (or `chainrule check scenarios --golden
//! tests/golden --bless`) and look at the new figures before committing. On a mismatch the new
//! SVG and an old | new PNG are written to `target/tmp/golden-diff/`.

use std::path::{Path, PathBuf};
use std::process::Command;

use chainrule::pipeline::golden;

#[test]
fn every_figure_matches_its_golden() {
    let bless = std::env::var_os("UPDATE_GOLDEN").is_some_and(|v| v == "1");
    let outcome = golden::check(
        &[PathBuf::from("scenarios")],
        Path::new("tests/golden"),
        &Path::new(env!("CARGO_TARGET_TMPDIR")).join("golden-diff"),
        bless,
    )
    .expect("scenarios render");
    assert!(
        outcome.differ.is_empty(),
        "figures differ from their goldens (UPDATE_GOLDEN=1 cargo test --test golden rewrites them):\n{}",
        outcome.differ.join("\n")
    );
    assert!(outcome.same.len() + outcome.blessed.len() >= 12);
}

#[test]
fn check_fails_and_shows_the_difference() {
    let dir = std::env::temp_dir().join(format!("chainrule-golden-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    let (golden, diff) = (dir.join("golden"), dir.join("diff"));
    let run = |extra: &[&str]| {
        Command::new(env!("CARGO_BIN_EXE_chainrule"))
            .args(["check", "scenarios/mul_node.json", "--golden"])
            .arg(&golden)
            .arg("--diff")
            .arg(&diff)
            .args(extra)
            .output()
            .expect("run chainrule")
    };
    assert_eq!(run(&[]).status.code(), Some(1), "missing goldens must fail");
    assert_eq!(run(&["--bless"]).status.code(), Some(0));
    assert_eq!(run(&[]).status.code(), Some(0));
    let file = golden.join("mul_node-fig09.svg");
    let changed = std::fs::read_to_string(&file)
        .unwrap()
        .replace(">6.5<", ">6.4<");
    std::fs::write(&file, changed).unwrap();
    let out = run(&[]);
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains("mul_node-fig09.svg: differs"));
    assert!(
        diff.join("mul_node-fig09.svg").exists() && diff.join("mul_node-fig09.svg.png").exists()
    );
}

/// Blessing a sequence in which one frame changed rewrites that frame and keeps the others:
/// the frames of a directory are replaced as a set, so the unchanged ones are written too.
#[test]
fn blessing_one_changed_frame_keeps_the_others() {
    use chainrule::pipeline::figures::Rendered;
    let dir = std::env::temp_dir().join(format!("chainrule-bless-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    let frame = |k: usize, text: &str| Rendered {
        name: format!("seq/frame-{k:02}.svg"),
        bytes: text.as_bytes().to_vec(),
    };
    let (golden, diff) = (dir.join("golden"), dir.join("diff"));
    let first = [frame(0, "<svg>a</svg>"), frame(1, "<svg>b</svg>")];
    golden::compare(&first, &golden, &diff, true).expect("bless");
    let second = [frame(0, "<svg>a</svg>"), frame(1, "<svg>c</svg>")];
    let outcome = golden::compare(&second, &golden, &diff, true).expect("bless again");
    assert_eq!(outcome.blessed, vec!["seq/frame-01.svg".to_string()]);
    for (k, text) in [(0, "<svg>a</svg>"), (1, "<svg>c</svg>")] {
        let path = golden.join(format!("seq/frame-{k:02}.svg"));
        assert_eq!(
            std::fs::read_to_string(&path).ok().as_deref(),
            Some(text),
            "{path:?}"
        );
    }
    let _ = std::fs::remove_dir_all(&dir);
}
