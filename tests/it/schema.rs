//! The JSON Schema of scenario files (`chainrule schema`): the copy committed for editors,
//! `schema/scenario.schema.json`, is what the command prints; every shipped scenario is valid
//! under it and every scenario of `tests/schema/bad/` is not, by Python's `jsonschema`, a
//! validator that is not ours (`tests/schema/validate.py`); and chainrule refuses the bad ones
//! too.
//!
//! Needs `python3` with `jsonschema` (`pip install jsonschema`, which `.ci/run` does). Where it
//! is missing the validator's test says so and passes, except under CI (`CI` set), where it
//! fails.

use std::path::{Path, PathBuf};
use std::process::Command;

const COMMITTED: &str = "schema/scenario.schema.json";

fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

fn chainrule(args: &[&str]) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_chainrule"))
        .args(args)
        .current_dir(root())
        .output()
        .expect("chainrule runs")
}

/// The `*.json` files of a directory of the repository, in name order.
fn json_files(dir: &str) -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(root().join(dir))
        .unwrap_or_else(|e| panic!("{dir}: {e}"))
        .map(|entry| entry.expect("entry").path())
        .filter(|path| path.extension().is_some_and(|e| e == "json"))
        .collect();
    files.sort();
    files
}

/// The committed schema is the one chainrule prints (`UPDATE_GOLDEN=1 cargo test --release --
/// schema` rewrites it after a change to the scenario types).
#[test]
fn the_committed_schema_is_the_one_chainrule_prints() {
    let run = chainrule(&["schema"]);
    crate::succeeded(&run, "chainrule schema");
    let printed = String::from_utf8(run.stdout).expect("UTF-8");
    let path = root().join(COMMITTED);
    if std::env::var_os("UPDATE_GOLDEN").is_some_and(|v| v == "1") {
        std::fs::write(&path, &printed).expect("writes the schema");
    }
    let committed = std::fs::read_to_string(&path).unwrap_or_default();
    assert!(
        committed == printed,
        "{COMMITTED} differs from `chainrule schema` (UPDATE_GOLDEN=1 cargo test --release -- \
         schema rewrites it)"
    );
    let schema: serde_json::Value = serde_json::from_str(&printed).expect("the schema is JSON");
    assert_eq!(
        schema["$schema"],
        "https://json-schema.org/draft/2020-12/schema"
    );
    assert_eq!(schema["required"], serde_json::json!(["nodes"]));
    assert_eq!(schema["additionalProperties"], false);
    let ops: Vec<&str> = schema["$defs"]["NodeSpec"]["properties"]["op"]["enum"]
        .as_array()
        .expect("the ops are listed")
        .iter()
        .filter_map(serde_json::Value::as_str)
        .collect();
    assert_eq!(ops, chainrule::core::ops::NAMES);
}

/// Whether Python's jsonschema can be imported; if not, says so (or fails under CI).
fn python_jsonschema() -> bool {
    let found = Command::new("python3")
        .args(["-c", "import jsonschema"])
        .output()
        .is_ok_and(|o| o.status.success());
    if !found {
        let why = "needs python3 with jsonschema (pip install jsonschema; see .ci/run)";
        crate::skip("schema", why);
    }
    found
}

#[test]
fn an_independent_validator_accepts_every_shipped_scenario_and_refuses_the_bad_ones() {
    if !python_jsonschema() {
        return;
    }
    let good: Vec<PathBuf> = [json_files("scenarios"), json_files("tests/corpus")].concat();
    let bad = json_files("tests/schema/bad");
    assert!(good.len() >= 40, "{} shipped scenarios", good.len());
    assert!(bad.len() >= 15, "{} bad scenarios", bad.len());
    let run = Command::new("python3")
        .arg(root().join("tests/schema/validate.py"))
        .arg(root().join(COMMITTED))
        .args(good.iter().chain(&bad))
        .output()
        .expect("python3 runs");
    let stdout = String::from_utf8_lossy(&run.stdout);
    crate::succeeded(&run, "validate.py");
    let verdicts: Vec<&str> = stdout.lines().collect();
    assert_eq!(verdicts.len(), good.len() + bad.len(), "{stdout}");
    for (path, verdict) in good.iter().zip(&verdicts) {
        assert_eq!(
            *verdict,
            format!("valid {}", path.display()),
            "a shipped scenario"
        );
    }
    for (path, verdict) in bad.iter().zip(&verdicts[good.len()..]) {
        assert!(
            verdict.starts_with(&format!("invalid {}: ", path.display())),
            "a bad scenario the schema lets through: {verdict}"
        );
    }
}

/// What the schema refuses, chainrule refuses too, as bad input (exit 2) naming the file,
/// writing nothing, even where it needs no numbers (symbolic labels).
#[test]
fn chainrule_refuses_every_bad_scenario_too() {
    let out = Path::new(env!("CARGO_TARGET_TMPDIR")).join("schema-bad");
    let _ = std::fs::remove_dir_all(&out);
    for path in json_files("tests/schema/bad") {
        let shown = path.strip_prefix(root()).expect("in the repository");
        let shown = shown.to_str().expect("UTF-8");
        let run = chainrule(&[
            "render",
            "--annotate",
            "symbolic",
            "--format",
            "svg",
            "-o",
            out.to_str().expect("UTF-8"),
            shown,
        ]);
        let stderr = String::from_utf8_lossy(&run.stderr);
        assert_eq!(run.status.code(), Some(2), "{shown}: {stderr}");
        assert!(stderr.contains(shown), "{shown}: {stderr}");
        assert!(!out.exists(), "{shown}: something was written");
    }
}
