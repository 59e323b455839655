//! The figure as Graphviz DOT (`chainrule::export::dot`): every label, value and gradient of
//! a shipped figure is in it, the output is repeatable, labels are escaped, and Graphviz reads
//! every DOT file written: of each shipped scenario, of a graph drawn without edge labels, and
//! of nasty texts. Graphviz's `dot` is needed: without it these tests fail under CI (`CI`
//! set) and are skipped, saying so, elsewhere.

use std::io::Write;
use std::path::Path;
use std::process::{Command, Stdio};

use chainrule::core::generate::{self, Activation};
use chainrule::core::load;
use chainrule::core::scenario::Annotate;
use chainrule::draw::texts::Texts;
use chainrule::export::dot;
use chainrule::pipeline::figures::{self, FigureOptions, Format};

fn dot_of(path: &Path, text: &str, show_gradients: bool) -> String {
    let model = load::parse(path, text).expect("parses");
    let trace = load::evaluate(path, &model).expect("evaluates");
    let texts = Texts::new(&model, &trace, 4);
    dot::write(&model, &texts, show_gradients)
}

fn apple_orange_text() -> String {
    std::fs::read_to_string("scenarios/apple_orange.json").expect("scenario")
}

fn apple_orange(show_gradients: bool) -> String {
    let path = Path::new("scenarios/apple_orange.json");
    dot_of(path, &apple_orange_text(), show_gradients)
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
    assert!(out.contains("comment=\"Apples and oranges with consumption tax\""));
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
        out.contains("comment=\"quotes \\\" and \\\\ & <b>\""),
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

/// Runs Graphviz (`dot -Tsvg`) on `source`; `None` when it is not installed, which fails
/// under CI (`CI` set, where `.ci/run` installs it) and otherwise says the test is skipped.
fn graphviz(source: &str) -> Option<std::process::Output> {
    let child = Command::new("dot")
        .arg("-Tsvg")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn();
    let Ok(mut child) = child else {
        let why = "Graphviz's dot is not installed (apt-get install graphviz; .ci/run does)";
        crate::skip("dot", why);
        return None;
    };
    let mut stdin = child.stdin.take().expect("stdin");
    let input = source.to_string();
    // Written from a thread, so that a large source cannot fill both pipes and deadlock.
    let writer = std::thread::spawn(move || {
        let _ = stdin.write_all(input.as_bytes());
    });
    let out = child.wait_with_output().expect("dot runs");
    writer.join().expect("writer");
    Some(out)
}

/// Asserts that Graphviz reads `source` without an error or a warning, and draws one SVG
/// node per DOT node; false when Graphviz is not installed.
fn graphviz_accepts(what: &str, source: &str) -> bool {
    let Some(out) = graphviz(source) else {
        return false;
    };
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        out.status.success() && stderr.is_empty(),
        "Graphviz rejects the DOT of {what}: {stderr}\n{source}"
    );
    let svg = String::from_utf8_lossy(&out.stdout);
    assert_eq!(
        svg.matches("<g id=\"node").count(),
        source.matches(" [shape=").count(),
        "{what}: {svg}"
    );
    true
}

/// The DOT files `chainrule render --format dot` writes for the scenario at `path`.
fn rendered_dot(path: &Path, edge_labels_up_to: usize) -> Vec<(String, String)> {
    let options = FigureOptions {
        formats: [Format::Dot].into_iter().collect(),
        edge_labels_up_to,
        ..FigureOptions::default()
    };
    let report = figures::render(path, &options).expect("renders");
    let files: Vec<_> = report
        .files
        .into_iter()
        .map(|f| (f.name, String::from_utf8(f.bytes).expect("UTF-8")))
        .collect();
    assert!(!files.is_empty(), "{}", path.display());
    files
}

#[test]
fn graphviz_reads_it() {
    let sources = [
        apple_orange(true),
        apple_orange(false),
        dot_of(Path::new("awkward.json"), AWKWARD, true),
    ];
    for source in sources {
        if !graphviz_accepts("a test scenario", &source) {
            return;
        }
    }
}

#[test]
fn graphviz_reads_every_shipped_scenario() {
    let mut paths: Vec<_> = std::fs::read_dir("scenarios")
        .expect("scenarios")
        .map(|e| e.expect("entry").path())
        .filter(|p| p.extension().is_some_and(|e| e == "json"))
        .collect();
    paths.sort();
    assert!(paths.len() >= 10, "{paths:?}");
    for path in paths {
        // As drawn, and with every edge unlabelled.
        for up_to in [chainrule::draw::EDGE_LABELS_UP_TO, 0] {
            for (name, source) in rendered_dot(&path, up_to) {
                if !graphviz_accepts(&format!("{name} (edge labels up to {up_to})"), &source) {
                    return;
                }
            }
        }
    }
}

/// A generated MLP with more edges than `--edge-labels` allows: its edges are unlabelled, and
/// an unlabelled edge is written without a label (Graphviz rejects the empty `<B></B>` of
/// an empty gradient).
#[test]
fn graphviz_reads_an_mlp_drawn_without_edge_labels() {
    let net = generate::mlp(&[8, 24, 28, 4], Activation::Tanh, 1).expect("mlp");
    let path = Path::new(env!("CARGO_TARGET_TMPDIR")).join("dot-mlp-8-24-28-4.json");
    std::fs::write(&path, generate::to_text(&net)).expect("write");
    let files = rendered_dot(&path, chainrule::draw::EDGE_LABELS_UP_TO);
    for (name, source) in &files {
        assert!(!source.contains("<B></B>"), "{name}");
        assert!(
            !source.contains("label=<"),
            "{name}: an unlabelled edge has a label"
        );
        assert!(source.contains("  n0 -> "), "{name}");
    }
    for (name, source) in files {
        if !graphviz_accepts(&name, &source) {
            return;
        }
    }
}

/// Edge texts that once made Graphviz fail, or could: empty and blank gradients, tabs alone,
/// text that escaping leaves empty, markup, entities, quotes, backslashes, `]]>`, control
/// characters, non-characters, Unicode, and labels longer than Graphviz reads in one string.
#[test]
fn graphviz_reads_nasty_edge_texts() {
    let long = format!("{}\n", "0123456789".repeat(10)).repeat(200);
    let nasty = [
        "",
        " ",
        "\t",
        "\t\t",
        "\n",
        "\r",
        "\u{1}",
        "\u{FFFE}\u{FFFF}",
        "\u{7}\u{1b}[31m",
        "<B></B>",
        "</FONT>",
        "<BR/>",
        "a & b &amp; &#0; &#xFFFE; &lt",
        "\"quoted\" 'single'",
        "\\",
        "back\\slash\\",
        "\\N \\G \\E \\l \\r \\n",
        "]]>",
        "<![CDATA[x]]>",
        "é ∂L/∂x 中文 😀 \u{200B}\u{FEFF}\u{2028}\u{85}",
        "line one\nline two\n",
        long.as_str(),
    ];
    let model = load::parse(Path::new("apple_orange.json"), &apple_orange_text()).expect("parses");
    let trace = load::evaluate(Path::new("apple_orange.json"), &model).expect("evaluates");
    let plain = Texts::new(&model, &trace, 4);
    // Each nasty text as the value with a few gradients, and as the gradient with a few values.
    let pairs = nasty
        .iter()
        .flat_map(|&v| [(v, ""), (v, "1"), (v, v)])
        .chain(nasty.iter().flat_map(|&g| [("", g), ("1", g)]));
    for (value, gradient) in pairs {
        {
            let mut texts = plain.clone();
            for t in &mut texts.above {
                value.clone_into(t);
            }
            for t in &mut texts.below {
                gradient.clone_into(t);
            }
            for t in &mut texts.nodes {
                *t = format!("{value}{gradient}");
            }
            let source = dot::write(&model, &texts, true);
            let empty_bold = "COLOR=\"#d62728\"><B></B>";
            assert!(!source.contains(empty_bold), "{source}");
            if !graphviz_accepts(&format!("value {value:?}, gradient {gradient:?}"), &source) {
                return;
            }
        }
    }
}

/// Titles, labels and ids that need escaping, written in a scenario file.
#[test]
fn graphviz_reads_nasty_scenario_texts() {
    let long = "x".repeat(20_000);
    for text in [
        "",
        "\\",
        "a\\\"b",
        "]]>",
        "\t\r\n\u{1}\u{7f}\u{85}",
        "<B></B> &amp; &#1;",
        "\u{FFFE}",
        "中文 😀",
        long.as_str(),
    ] {
        let json = serde_json::json!({
            "title": text,
            "nodes": [
                {"id": text, "input": 2, "label": text},
                {"id": "c", "const": 3, "label": text},
                {"id": "y", "op": "mul", "args": [text, "c"], "label": text},
            ],
            "labels": [{"from": text, "to": "y", "forward": text, "backward": text}],
        });
        let path = Path::new("nasty.json");
        let Ok(model) = load::parse(path, &json.to_string()) else {
            continue;
        };
        let trace = load::evaluate(path, &model).expect("evaluates");
        for annotate in [Annotate::Numeric, Annotate::Symbolic, Annotate::Both] {
            let texts = Texts::annotated(&model, &trace, 4, annotate);
            for show_gradients in [true, false] {
                let source = dot::write(&model, &texts, show_gradients);
                if !graphviz_accepts(&format!("text {text:?}, {annotate:?}"), &source) {
                    return;
                }
            }
        }
    }
}
