//! The figure as Graphviz DOT (`chainrule::export::dot`): every label, value and gradient of
//! a shipped figure is in it, the output is repeatable, labels are escaped, and Graphviz reads
//! it (when `dot` is installed).

use std::io::Write;
use std::path::Path;
use std::process::{Command, Stdio};

use chainrule::core::load;
use chainrule::draw::texts::Texts;
use chainrule::export::dot;

fn dot_of(path: &Path, text: &str, show_gradients: bool) -> String {
    let model = load::parse(path, text).expect("parses");
    let trace = load::evaluate(path, &model).expect("evaluates");
    let texts = Texts::new(&model, &trace, 4);
    dot::write(&model, &texts, show_gradients)
}

fn apple_orange(show_gradients: bool) -> String {
    let path = Path::new("scenarios/apple_orange.json");
    dot_of(
        path,
        &std::fs::read_to_string(path).expect("scenario"),
        show_gradients,
    )
}

#[test]
fn every_label_value_and_gradient_is_there() {
    let out = apple_orange(true);
    for label in [
        "apple",
        "apple count",
        "orange",
        "orange count",
        "tax",
        "payment",
        "×",
        "+",
    ] {
        assert!(
            out.contains(&format!("label=\"{label}\"")),
            "{label}:\n{out}"
        );
    }
    for (edge, value, gradient) in [
        ("n0 -> n5", "100", "2.2"),
        ("n1 -> n5", "2", "110"),
        ("n2 -> n6", "150", "3.3"),
        ("n3 -> n6", "3", "165"),
        ("n5 -> n7", "200", "1.1"),
        ("n6 -> n7", "450", "1.1"),
        ("n7 -> n8", "650", "1.1"),
        ("n4 -> n8", "1.1", "650"),
        ("n8 -> n9", "715", "1"),
    ] {
        let line = format!(
            "  {edge} [label=<{value}<BR/><FONT COLOR=\"#d62728\"><B>{gradient}</B></FONT>>];\n"
        );
        assert!(out.contains(&line), "{line}in\n{out}");
    }
    assert!(out.starts_with("digraph chainrule {\n  graph [rankdir=LR"));
    assert!(out.contains("label=\"Apples and oranges with consumption tax\""));
    assert!(out.contains("  n5 [shape=circle, label=\"×\", comment=\"apple_price\"];\n"));
    assert!(out.contains("  n9 [shape=plaintext, label=\"payment\", comment=\"output label\"];\n"));
    assert_eq!(out.matches(" -> ").count(), 9);
}

#[test]
fn the_forward_view_has_values_only() {
    let out = apple_orange(false);
    assert!(out.contains("  n0 -> n5 [label=\"100\"];\n"), "{out}");
    assert!(out.contains("  n8 -> n9 [label=\"715\"];\n"), "{out}");
    assert!(!out.contains("<B>"), "{out}");
}

#[test]
fn output_is_repeatable() {
    assert_eq!(apple_orange(true), apple_orange(true));
    assert_eq!(apple_orange(false), apple_orange(false));
}

/// A scenario whose labels and ids need escaping, a layer, and an unlabelled constant.
const AWKWARD: &str = r#"{
  "title": "quotes \" and \\ & <b>",
  "nodes": [
    {"id": "x \"1\"", "input": 2, "label": "say \"hi\" \\ there\nnow & then"},
    {"id": "c", "const": 3},
    {"id": "y", "op": "mul", "args": ["x \"1\"", "c"]},
    {"id": "s", "op": "sigmoid", "args": ["y"], "label": "a<b>"}
  ]
}"#;

#[test]
fn labels_are_escaped() {
    let out = dot_of(Path::new("awkward.json"), AWKWARD, true);
    assert!(
        out.contains(
            "label=\"say \\\"hi\\\" \\\\ there\\nnow &amp; then\", comment=\"x \\\"1\\\"\""
        ),
        "{out}"
    );
    assert!(
        out.contains("label=\"quotes \\\" and \\\\ &amp; <b>\""),
        "{out}"
    );
    assert!(
        out.contains("  n3 [shape=box, style=rounded, label=\"sigmoid\""),
        "{out}"
    );
    assert!(
        out.contains("  n1 [shape=plaintext, label=\"3\", comment=\"c\"];\n"),
        "{out}"
    );
    assert!(
        out.contains("  n1 -> n2;\n"),
        "a constant's edge has no label: {out}"
    );
    assert!(
        out.contains("  n4 [shape=plaintext, label=\"a<b>\""),
        "{out}"
    );
}

/// Runs Graphviz on `source`; `None` when it is not installed.
fn graphviz(source: &str) -> Option<std::process::Output> {
    let mut child = Command::new("dot")
        .arg("-Tplain")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .ok()?;
    child
        .stdin
        .take()
        .expect("stdin")
        .write_all(source.as_bytes())
        .expect("write to dot");
    Some(child.wait_with_output().expect("dot runs"))
}

#[test]
fn graphviz_reads_it() {
    let sources = [
        apple_orange(true),
        dot_of(Path::new("awkward.json"), AWKWARD, true),
    ];
    for source in sources {
        let Some(out) = graphviz(&source) else {
            eprintln!("skipped: Graphviz's dot is not installed (apt-get install graphviz)");
            return;
        };
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(
            out.status.success() && stderr.is_empty(),
            "{stderr}\n{source}"
        );
        let plain = String::from_utf8_lossy(&out.stdout);
        let nodes = plain.lines().filter(|l| l.starts_with("node ")).count();
        assert_eq!(nodes, source.matches(" [shape=").count(), "{plain}");
    }
}
