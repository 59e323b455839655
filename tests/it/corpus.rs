//! The lecturer's corpus (`tests/corpus/*.json`): graphs as courses draw them, each checked
//! against numbers computed without chainrule. `tests/corpus/reference.py` writes each graph's
//! formula by hand in plain Python and takes its gradients by central finite differences
//! (checked against hand-derived gradients where there are some); its output,
//! `tests/corpus/reference/reference.json` (in a directory of its own, so that
//! `chainrule render tests/corpus` sees only scenarios), holds the output value and the gradient of Σ seed ⊙ output
//! with respect to every input of every graph. Here each file is read and evaluated through the
//! public API, and every one of those numbers must agree.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use chainrule::core::model::Kind;
use chainrule::{Scenario, Tensor};
use serde_json::Value;

/// Relative tolerance: what finite differences with Richardson extrapolation reach with room
/// to spare (they agree with the hand-derived gradients to 1e-8).
const RELATIVE: f64 = 1e-6;
/// Absolute tolerance, for numbers that are (nearly) 0.
const ABSOLUTE: f64 = 1e-8;
/// The corpus is meant to be a corpus: at least this many graphs.
const AT_LEAST_GRAPHS: usize = 20;
/// The sizes of graph a lecturer draws, in nodes.
const NODES: std::ops::RangeInclusive<usize> = 3..=60;

fn dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/corpus")
}

/// Every scenario of the corpus, by file stem, in name order.
fn corpus() -> Vec<(String, PathBuf)> {
    let mut files: Vec<(String, PathBuf)> = std::fs::read_dir(dir())
        .expect("tests/corpus")
        .map(|entry| entry.expect("entry").path())
        .filter(|path| path.extension().is_some_and(|e| e == "json"))
        .map(|path| {
            let stem = path
                .file_stem()
                .expect("stem")
                .to_string_lossy()
                .into_owned();
            (stem, path)
        })
        .collect();
    files.sort();
    files
}

fn reference() -> serde_json::Map<String, Value> {
    let text =
        std::fs::read_to_string(dir().join("reference/reference.json")).expect("reference.json");
    match serde_json::from_str(&text).expect("reference.json is JSON") {
        Value::Object(map) => map,
        other => panic!("reference.json is not an object: {other}"),
    }
}

/// A number or a nested list as its shape and its numbers in row-major order.
fn flatten(value: &Value) -> (Vec<usize>, Vec<f64>) {
    match value {
        Value::Number(n) => (vec![], vec![n.as_f64().expect("a finite number")]),
        Value::Array(items) => {
            let parts: Vec<_> = items.iter().map(flatten).collect();
            let inner = parts
                .first()
                .map(|(shape, _)| shape.clone())
                .unwrap_or_default();
            assert!(
                parts.iter().all(|(shape, _)| *shape == inner),
                "ragged array in reference.json: {value}"
            );
            let mut shape = vec![items.len()];
            shape.extend(inner);
            (shape, parts.into_iter().flat_map(|(_, xs)| xs).collect())
        }
        other => panic!("not a number or an array in reference.json: {other}"),
    }
}

/// Where `got` and `want` (a number or nested list from reference.json) disagree, if they do.
fn mismatch(got: &Tensor, want: &Value) -> Option<String> {
    let (shape, numbers) = flatten(want);
    if got.shape() != shape.as_slice() {
        return Some(format!(
            "shape {:?}, the reference has {shape:?}",
            got.shape()
        ));
    }
    let bad: Vec<String> = got
        .iter()
        .zip(&numbers)
        .enumerate()
        .filter(|(_, (g, w))| !g.is_finite() || (*g - *w).abs() > ABSOLUTE + RELATIVE * w.abs())
        .map(|(k, (g, w))| format!("element {k}: chainrule {g}, reference {w}"))
        .collect();
    (!bad.is_empty()).then(|| bad.join("; "))
}

#[test]
fn corpus_matches_the_independent_reference() {
    let files = corpus();
    let reference = reference();
    assert!(
        files.len() >= AT_LEAST_GRAPHS,
        "the corpus has {} graphs, fewer than {AT_LEAST_GRAPHS}",
        files.len()
    );
    let stems: BTreeSet<&str> = files.iter().map(|(stem, _)| stem.as_str()).collect();
    let referenced: BTreeSet<&str> = reference.keys().map(String::as_str).collect();
    assert_eq!(
        stems, referenced,
        "reference.json must have an entry for exactly the corpus files (run python3 tests/corpus/reference.py)"
    );

    let mut failures = Vec::new();
    for (stem, path) in &files {
        let text = std::fs::read_to_string(path).expect("corpus file");
        let scenario =
            Scenario::from_json(&text).unwrap_or_else(|e| panic!("{stem}.json does not load: {e}"));
        let model = scenario.model();
        let nodes = model.graph.node_count();
        assert!(
            NODES.contains(&nodes),
            "{stem}.json has {nodes} nodes, not between {} and {}",
            NODES.start(),
            NODES.end()
        );
        let numbers = scenario
            .evaluate()
            .unwrap_or_else(|e| panic!("{stem}.json does not evaluate: {e}"));
        let want = &reference[stem.as_str()];

        let output = &model.graph[model.output].id;
        let value = numbers.value(output).expect("the output's value");
        if let Some(why) = mismatch(value, &want["output"]) {
            failures.push(format!("{stem}: output {output}: {why}"));
        }

        let inputs: BTreeSet<&str> = model
            .graph
            .node_weights()
            .filter(|node| matches!(node.kind, Kind::Input(_)))
            .map(|node| node.id.as_str())
            .collect();
        let gradients = want["gradients"].as_object().expect("gradients by input");
        let referenced: BTreeSet<&str> = gradients.keys().map(String::as_str).collect();
        assert_eq!(
            inputs, referenced,
            "{stem}: the reference must give the gradient of every input and only of inputs"
        );
        for (id, want) in gradients {
            let grad = numbers.grad(id).expect("the input's gradient");
            if let Some(why) = mismatch(grad, want) {
                failures.push(format!("{stem}: gradient of {id}: {why}"));
            }
        }
    }
    assert!(
        failures.is_empty(),
        "chainrule and tests/corpus/reference/reference.json disagree:\n{}",
        failures.join("\n")
    );
}

/// Every figure of the corpus equals its golden SVG in `tests/golden/corpus/` (rewritten, after
/// a deliberate change to the drawing, by `UPDATE_GOLDEN=1 cargo test --release -- corpus`).
#[test]
fn every_corpus_figure_matches_its_golden() {
    let bless = std::env::var_os("UPDATE_GOLDEN").is_some_and(|v| v == "1");
    let outcome = chainrule::pipeline::golden::check(
        &[dir()],
        &Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/golden/corpus"),
        &Path::new(env!("CARGO_TARGET_TMPDIR")).join("corpus-golden-diff"),
        bless,
    )
    .expect("the corpus renders");
    assert!(
        outcome.differ.is_empty(),
        "corpus figures differ from their goldens (UPDATE_GOLDEN=1 cargo test --release -- corpus rewrites them):\n{}",
        outcome.differ.join("\n")
    );
    assert!(outcome.same.len() + outcome.blessed.len() >= 20);
}

/// The gallery's check on the corpus: no figure has anything drawn over anything else, and
/// every label is nearer its own edge than any other.
#[test]
fn no_corpus_figure_is_crowded_or_unclear() {
    let options = chainrule::pipeline::figures::FigureOptions {
        formats: std::collections::BTreeSet::from([chainrule::pipeline::figures::Format::Svg]),
        ..Default::default()
    };
    let mut figures = 0;
    for (stem, path) in corpus() {
        let report = chainrule::pipeline::figures::render(&path, &options).expect("renders");
        assert!(
            report.collisions.is_empty(),
            "{stem}: {:#?}",
            report.collisions
        );
        figures += report.files.len();
    }
    assert!(figures >= 40, "only {figures} figures");
}
