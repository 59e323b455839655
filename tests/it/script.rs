//! The text format (`.chain`): every shipped scenario survives the round trip through the
//! other format with the same numbers and byte-identical figures; the text rewrites of the
//! apple, apple + orange and sigmoid scenarios are at most a third of their JSON and draw the
//! same figures; `-e`, `--set` and `convert` on the command line; hostile text refused with
//! its place.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

use chainrule::core::load;
use chainrule::pipeline::figures::{self, FigureOptions, Format, Rendered};
use chainrule::text::report;

fn temp_dir(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("chainrule-script-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("temp dir");
    dir
}

fn chainrule(args: &[&str], stdin: &str) -> Output {
    use std::io::Write;
    let mut child = Command::new(env!("CARGO_BIN_EXE_chainrule"))
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("run chainrule");
    let mut input = child.stdin.take().expect("stdin");
    input.write_all(stdin.as_bytes()).expect("write stdin");
    drop(input);
    child.wait_with_output().expect("chainrule ends")
}

/// Every figure of the scenario at `path`, as SVG.
fn figures(path: &Path) -> Vec<Rendered> {
    let options = FigureOptions {
        formats: BTreeSet::from([Format::Svg]),
        ..FigureOptions::default()
    };
    figures::render(path, &options)
        .unwrap_or_else(|e| panic!("{e}"))
        .files
}

/// Every value and gradient at full precision, or the error that there are none.
fn numbers(path: &Path) -> String {
    let model = load::model(path).unwrap_or_else(|e| panic!("{e}"));
    match load::numbers(path, &model) {
        Ok(numbers) => report::json_text(&model, &numbers),
        Err(e) => e.to_string().replace(&path.display().to_string(), "<file>"),
    }
}

/// Asserts that two scenario files mean the same: the same numbers, and the same figures
/// byte for byte (they have the same stem, so the same file names).
fn assert_same_meaning(a: &Path, b: &Path) {
    assert_eq!(
        numbers(a),
        numbers(b),
        "{} and {}",
        a.display(),
        b.display()
    );
    let (fa, fb) = (figures(a), figures(b));
    assert_eq!(fa.len(), fb.len(), "{} and {}", a.display(), b.display());
    for (x, y) in fa.iter().zip(&fb) {
        assert_eq!(x.name, y.name);
        assert!(x.bytes == y.bytes, "{} differs after conversion", x.name);
    }
}

/// `path` written in the other format (or in `to`) into `dir`, under the same stem.
fn converted(path: &Path, dir: &Path, to_json: bool) -> PathBuf {
    let text = load::convert(path, Some(to_json)).unwrap_or_else(|e| panic!("{e}"));
    let ext = if to_json { "json" } else { "chain" };
    let out = dir.join(format!("{}.{ext}", load::stem(path)));
    std::fs::write(&out, text).expect("write converted");
    out
}

#[test]
fn every_shipped_scenario_survives_the_round_trip() {
    let paths = chainrule::pipeline::names::scenario_paths(&[PathBuf::from("scenarios")])
        .expect("scenarios/");
    assert!(paths
        .iter()
        .any(|p| p.extension().is_some_and(|e| e == "chain")));
    let (once, twice) = (temp_dir("round-trip-1"), temp_dir("round-trip-2"));
    for path in &paths {
        let json = path.extension().is_some_and(|e| e == "json");
        // JSON → text → JSON, or text → JSON → text.
        let other = converted(path, &once, !json);
        let back = converted(&other, &twice, json);
        assert_same_meaning(path, &other);
        assert_same_meaning(path, &back);
        // Converting what came back gives the same file again.
        let again = load::convert(&back, Some(json)).expect("converts");
        assert_eq!(
            again,
            std::fs::read_to_string(&back).unwrap(),
            "{}",
            path.display()
        );
    }
}

#[test]
fn the_text_examples_are_a_third_of_their_json_and_draw_the_same_figures() {
    for (name, most) in [("apple", 6), ("apple_orange", 6), ("sigmoid", 9)] {
        let json = PathBuf::from(format!("scenarios/{name}.json"));
        let text = PathBuf::from(format!("examples/{name}.chain"));
        let lines = |p: &Path| std::fs::read_to_string(p).unwrap().lines().count();
        assert!(
            lines(&text) <= most && lines(&text) * 3 <= lines(&json),
            "{name}"
        );
        assert_same_meaning(&json, &text);
    }
}

#[test]
fn eval_an_expression_with_values_set() {
    let out = chainrule(
        &[
            "eval",
            "-e",
            "f = (x + y) * z",
            "--set",
            "x=-2,y=5,z=-4",
            "--json",
        ],
        "",
    );
    crate::succeeded(&out, "chainrule eval -e");
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let text = v.to_string();
    for expected in [r#""f""#, r#""x_plus_y""#, "-12", "-4"] {
        assert!(text.contains(expected), "{text} lacks {expected}");
    }
    // An expression standing alone is f: the same output as "f = …", byte for byte.
    let bare = chainrule(
        &[
            "eval",
            "-e",
            "(x + y) * z",
            "--set",
            "x=-2,y=5,z=-4",
            "--json",
        ],
        "",
    );
    assert_eq!(bare.status.code(), Some(0));
    assert_eq!(bare.stdout, out.stdout);
    for (text, same) in [
        ("x = 2\ny = 3\nx * y + 1\n", "x = 2\ny = 3\nf = x * y + 1\n"),
        ("-x * 2", "f = -x * 2"),
        ("max(x, 2) ** 2", "f = max(x, 2) ** 2"),
    ] {
        let bare = chainrule::core::script::read_expression(Path::new("-e"), text).unwrap();
        let named = chainrule::core::script::read_expression(Path::new("-e"), same).unwrap();
        assert_eq!(
            chainrule::core::script::to_json(&bare),
            chainrule::core::script::to_json(&named),
            "{text}"
        );
    }
    // f taken already: the expression must be named.
    for text in ["f = 2; x * f", "x * 2; x * 3"] {
        let out = chainrule(&["eval", "-e", text, "--set", "x=1"], "");
        assert_eq!(out.status.code(), Some(2), "{text}");
        assert!(
            String::from_utf8_lossy(&out.stderr).contains("give this one a name"),
            "{text}"
        );
    }
    // Not an expression: a misspelt keyword, a name alone.
    for text in ["titel \"x\"", "x"] {
        let out = chainrule(&["eval", "-e", text], "");
        assert_eq!(out.status.code(), Some(2), "{text}");
        assert!(String::from_utf8_lossy(&out.stderr).contains("unknown statement"));
    }
    // --set also replaces the value a file gives an input.
    let out = chainrule(
        &["eval", "scenarios/apple.json", "--set", "tax=2", "--json"],
        "",
    );
    assert!(String::from_utf8_lossy(&out.stdout).contains("400"));
    let out = chainrule(&["eval", "scenarios/apple.json", "--set", "price=2"], "");
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("\"price\" is not an input") && err.contains("\"tax\""),
        "{err}"
    );
}

#[test]
fn render_an_expression_names_its_files_and_writes_nothing_on_error() {
    let dir = temp_dir("render");
    let out_dir = dir.join("out");
    let out = out_dir.to_str().unwrap();
    let run = chainrule(
        &[
            "render",
            "-e",
            "f = 1 / (1 + exp(-x))",
            "--set",
            "x=1",
            "-o",
            out,
            "--format",
            "svg",
        ],
        "",
    );
    crate::succeeded(&run, "chainrule render -e");
    assert!(out_dir.join("expression.svg").is_file());
    let run = chainrule(
        &[
            "frames",
            "-e",
            "f = x * y",
            "--name",
            "xy",
            "-o",
            out,
            "--format",
            "svg",
        ],
        "",
    );
    crate::succeeded(&run, "chainrule frames -e");
    assert!(out_dir.join("xy/frame-00.svg").is_file());
    let run = chainrule(
        &["render", "-e", "f = x * y", "--name", "../up", "-o", out],
        "",
    );
    assert_eq!(run.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&run.stderr).contains("--name \"../up\""));
    let fresh = dir.join("fresh");
    let run = chainrule(
        &[
            "render",
            "scenarios",
            "-e",
            "f = (x +",
            "-o",
            fresh.to_str().unwrap(),
        ],
        "",
    );
    assert_eq!(run.status.code(), Some(2));
    let err = String::from_utf8_lossy(&run.stderr);
    assert!(err.starts_with("chainrule: -e:1:9: expected"), "{err}");
    assert!(err.contains("  | f = (x +\n  |         ^"), "{err}");
    assert!(!fresh.exists(), "nothing is written");
}

#[test]
fn convert_both_ways_and_read_text_from_standard_input() {
    let text = chainrule(&["convert", "scenarios/chain_rule.json"], "");
    assert_eq!(text.status.code(), Some(0));
    let text = String::from_utf8(text.stdout).unwrap();
    assert!(text.contains("t = x + y\nz = t ** 2\n"), "{text}");
    let json = chainrule(&["convert", "-", "--to", "json"], &text);
    crate::succeeded(&json, "chainrule convert --to json");
    let json = String::from_utf8(json.stdout).unwrap();
    assert!(
        json.contains(r#"{"id": "z", "op": "pow", "p": 2, "args": ["t"]}"#),
        "{json}"
    );
    let from_stdin = chainrule(&["eval", "-"], &text);
    let from_file = chainrule(&["eval", "scenarios/chain_rule.json"], "");
    assert_eq!(from_stdin.stdout, from_file.stdout);
}

/// Writes `text` as `<name>.chain` in a fresh directory.
fn chain_file(name: &str, text: &str) -> PathBuf {
    let path = temp_dir(name).join(format!("{name}.chain"));
    std::fs::write(&path, text).expect("write scenario");
    path
}

/// Runs every command that reads a scenario on `text` and asserts each refuses it with exit
/// code 2, the file's name, line and column, and `words`.
fn refused(name: &str, text: &str, place: &str, words: &[&str]) {
    let path = chain_file(name, text);
    let file = path.to_str().unwrap();
    let out = path.with_extension("out");
    let out = out.to_str().unwrap();
    for args in [
        vec!["eval", file],
        vec!["render", file, "-o", out, "--format", "svg"],
        vec!["frames", file, "-o", out, "--format", "svg"],
        vec!["convert", file],
    ] {
        let run = chainrule(&args, "");
        let err = String::from_utf8_lossy(&run.stderr);
        assert!(!err.contains("panicked"), "{args:?}: {err}");
        assert_eq!(run.status.code(), Some(2), "{args:?}: {err}");
        assert!(run.stdout.is_empty(), "{args:?}");
        assert!(
            err.contains(&format!("{name}.chain{place}")),
            "{args:?}: {err}"
        );
        for word in words {
            assert!(err.contains(word), "{args:?}: {err} lacks {word}");
        }
        assert!(!Path::new(out).exists(), "{args:?} wrote {out}");
    }
}

#[test]
fn hostile_text_is_refused_with_its_place() {
    let deep = format!("f = {}x", "(".repeat(100_000));
    refused("parens", &deep, ":1:", &["nested deeper than the limit"]);
    let deep = format!("x = {}1]", "[".repeat(100_000));
    refused("brackets", &deep, ":1:", &["nested deeper than the limit"]);
    let signs = format!("x = 1\nf = {}x", "-".repeat(100_000));
    refused("signs", &signs, ":2:", &["nested deeper than the limit"]);
    refused(
        "unknown",
        "x = 1\nf = exq(x)",
        ":2:5:",
        &["unknown function", "exp, log"],
    );
    refused(
        "undefined",
        "x = 1\nf = x * y",
        ":2:9:",
        &["\"y\" is not defined"],
    );
    refused(
        "twice",
        "x = 1\nx = 2",
        ":2:1:",
        &["\"x\" is assigned twice", "earlier statement"],
    );
    refused(
        "bare_then_f",
        "x = 1\nx * 2\nf = x + 1",
        ":3:1:",
        &[
            "\"f\" is assigned twice",
            "expression standing alone is named f",
        ],
    );
    refused("cycle", "a = b + 1\nb = a * 2", ":", &["cycle"]);
    refused("string", "title \"open", ":1:7:", &["not closed"]);
    refused(
        "axis",
        "a = [1, 2]\nb = sum(a, axis=-1)",
        ":2:5:",
        &["axis"],
    );
    refused(
        "param",
        "a = 1\nb = exp(a, q=1)",
        ":2:5:",
        &["unknown field `q`"],
    );
    refused(
        "labelled",
        "a = 1\nb = exp(a, label=\"x\")",
        ":2:12:",
        &["not a parameter"],
    );
    refused("alias", "x = 1\ny = x", ":2:5:", &["second name"]);
    refused("huge", "x = 123456789012345678901", ":1:5:", &["2^53"]);
    refused("pow", "x = 1\ny = x ** x", ":2:10:", &["exponent"]);
    refused(
        "field",
        "x = 1\nfigure f colour=red",
        ":2:1:",
        &["unknown field `colour`"],
    );
    let shapes = chain_file("shapes", "a = [1, 2]\nb = [1, 2, 3]\nc = a + b");
    let run = chainrule(&["eval", shapes.to_str().unwrap()], "");
    assert_eq!(run.status.code(), Some(2));
    // Found when evaluating, and still put at its statement's line.
    let stderr = String::from_utf8_lossy(&run.stderr);
    assert!(stderr.contains("shapes.chain:3:1: node \"c\""), "{stderr}");
    assert!(stderr.contains("| c = a + b"), "{stderr}");
    // A generated node's error is at its operator; a value that is not finite stays exit 1.
    let generated = chain_file("generated", "a = [1, 2]\nb = [1, 2, 3]\nf = exp(a + b)");
    let run = chainrule(&["eval", generated.to_str().unwrap()], "");
    assert_eq!(run.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&run.stderr);
    assert!(
        stderr.contains("generated.chain:3:11: node \"a_plus_b\""),
        "{stderr}"
    );
    let infinite = chain_file("infinite", "x = 0\nf = log(x)");
    let run = chainrule(&["eval", infinite.to_str().unwrap()], "");
    assert_eq!(run.status.code(), Some(1));
    let wide = format!("x = [{}]", vec!["1"; 1_000_001].join(","));
    refused("tensor", &wide, ":1:", &["at most 1000000 numbers"]);
    // A text four times shorter than its JSON may not make more nodes than JSON can hold.
    let many = chain_file("many", &format!("x = 1\nf = x{}", " + x".repeat(1_000_000)));
    let err = load::model(&many).unwrap_err().to_string();
    assert!(
        err.contains("many.chain:2:") && err.contains("more than 1000000 nodes"),
        "{err}"
    );
    // A long line is shown around the place, not whole.
    let long = format!("x = 1 {}\n", "+ x ".repeat(10_000) + "+ )");
    let path = chain_file("long", &long);
    let err = load::model(&path).unwrap_err().to_string();
    assert!(err.lines().all(|l| l.chars().count() < 200), "{err}");
    assert!(err.ends_with('^'), "{err}");
}

#[test]
fn a_directory_may_mix_json_and_text() {
    let dir = temp_dir("mixed");
    std::fs::copy("scenarios/apple.json", dir.join("apple.json")).unwrap();
    std::fs::copy("scenarios/cs231n.chain", dir.join("cs231n.chain")).unwrap();
    let out = dir.join("out");
    let run = chainrule(
        &[
            "render",
            dir.to_str().unwrap(),
            "-o",
            out.to_str().unwrap(),
            "--format",
            "svg",
        ],
        "",
    );
    crate::succeeded(&run, "chainrule render <directory>");
    assert!(out.join("apple-fig01.svg").is_file() && out.join("cs231n-backward.svg").is_file());
}

#[test]
fn the_front_door_reads_either_format() {
    use chainrule::Scenario;
    let text = Scenario::from_text("x = 3; y = x ** 2").unwrap();
    let json = Scenario::parse(
        r#"{"nodes": [{"id": "x", "input": 3}, {"id": "y", "op": "pow", "p": 2, "args": ["x"]}]}"#,
    )
    .unwrap();
    let grad = |s: &Scenario| s.evaluate().unwrap().grad("x").unwrap().sum();
    assert_eq!(grad(&text), 6.0);
    assert_eq!(grad(&json), 6.0);
    assert_eq!(text.figure().svg().unwrap(), json.figure().svg().unwrap());
    assert!(Scenario::parse("y = x")
        .unwrap_err()
        .to_string()
        .starts_with("<text>:1:5:"));
}

proptest::proptest! {
    #![proptest_config(proptest::prelude::ProptestConfig::with_cases(2000))]

    /// Any text, and any splice into a shipped text scenario, is read or refused with a
    /// place, never a panic.
    #[test]
    fn any_text_is_read_or_refused(
        noise in "[ -~\n\t→−]{0,80}",
        at in 0usize..400,
    ) {
        let _ = chainrule::core::script::read(Path::new("t.chain"), &noise);
        let base = std::fs::read_to_string("examples/sigmoid.chain").unwrap();
        let mut cut = at.min(base.len());
        while !base.is_char_boundary(cut) {
            cut -= 1;
        }
        let spliced = format!("{}{noise}{}", &base[..cut], &base[cut..]);
        if let Err(e) = load::parse(Path::new("t.chain"), &spliced) {
            let e = e.to_string();
            proptest::prop_assert!(e.starts_with("t.chain"), "{}", e);
        }
    }
}

/// An operator node an expression makes without a name is named by the math it computes
/// (`x+y`, `exp(−x)`), and that math, read back as symbolic labels read it, evaluates to the
/// node's value; where it cannot be written (a division, a power, a labelled operand) the
/// node keeps its id.
#[test]
fn generated_nodes_are_named_by_the_math_they_compute() {
    use chainrule::text::math::Math;
    let text = "x = 1.5; y = -2; z = 0.5; w = 3 \"weight\"
        f = (x + y) * z - exp(-x) * tanh(y - -z) + sin(x) * (x + y) / 2 + z ** 2 + w * x
        g = relu(x) * sigmoid(y) + sqrt(abs(y)) - log(x) * cos(-(x + y))";
    let scenario = chainrule::Scenario::from_text(text).unwrap();
    let numbers = scenario.evaluate().unwrap();
    let model = scenario.model();
    let value = |id: &str| numbers.value(id).and_then(|t| t.first().copied());
    let mut named = BTreeSet::new();
    for node in model.graph.node_weights() {
        let Some(name) = &node.math_name else {
            continue;
        };
        named.insert(name.as_str());
        let math = Math::parse_name(name);
        let env = |n: &str| value(n);
        let got = math.eval(&env);
        let want = value(&node.id);
        assert!(
            matches!((got, want), (Some(g), Some(w)) if (g - w).abs() <= 1e-12 * w.abs().max(1.0)),
            "{}: {name} is {got:?}, the node {want:?}",
            node.id
        );
    }
    for expected in [
        "x+y",
        "(x+y)·z",
        "−x",
        "exp(−x)",
        "y−(−z)",
        "tanh(y−(−z))",
        "sin(x)·(x+y)",
        "ReLU(x)·sigmoid(y)",
        "sqrt(abs(y))",
        "log(x)·cos(−(x+y))",
    ] {
        assert!(named.contains(expected), "{expected} not among {named:?}");
    }
    // The symbolic figure of CS231n's f = (x + y) · z, written as one expression.
    let cs231n = chainrule::Scenario::from_text("x = -2; y = 5; z = -4; (x + y) * z").unwrap();
    let svg = cs231n
        .figure()
        .annotate(chainrule::Annotate::Symbolic)
        .svg()
        .unwrap();
    for title in ["<title>x + y</title>", "<title>∂f/∂f · (x + y)</title>"] {
        assert!(svg.contains(title), "{title} not in the figure");
    }
    assert!(!svg.contains("x_plus_y"));
    // A division, a power and an operand with a label keep their ids.
    for id in ["div", "z_pow_2", "w_times_x"] {
        let node = model.graph.node_weights().find(|n| n.id == id);
        assert!(
            node.is_some_and(|n| n.math_name.is_none()),
            "{id}: {node:?}"
        );
    }
}
