//! Hostile scenarios given to the real binary: blank texts, deep nesting, sizes past the
//! limits of `chainrule::core::limits`, terminal escapes, odd encodings. Each is refused with
//! exit code 2 and one message naming the file and the place (never a panic, exit 101, or an
//! abort), or, where it is harmless, accepted.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use chainrule::core::limits::{MAX_ARGS, MAX_NESTING, MAX_TEXT_CHARS, MAX_TEX_CHARS};
use serde_json::{json, Value};

fn temp_dir(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("chainrule-hostile-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("temp dir");
    dir
}

/// Writes `text` as `<name>.json` in a fresh directory and returns its path.
fn file(name: &str, text: &str) -> PathBuf {
    let path = temp_dir(name).join(format!("{name}.json"));
    std::fs::write(&path, text).expect("write scenario");
    path
}

fn chainrule(args: &[&str], path: &Path) -> Output {
    Command::new(env!("CARGO_BIN_EXE_chainrule"))
        .args(args)
        .arg(path)
        .output()
        .expect("run chainrule")
}

/// The commands that read a scenario: each must refuse a bad one the same way.
fn every_command(path: &Path) -> Vec<(String, Output)> {
    let out = path.with_extension("out");
    let out = out.to_str().expect("utf-8 path");
    [
        vec!["eval"],
        vec!["render", "--format", "svg", "-o", out],
        vec![
            "render",
            "--format",
            "svg",
            "--annotate",
            "symbolic",
            "-o",
            out,
        ],
        vec!["frames", "--format", "svg", "-o", out],
    ]
    .into_iter()
    .map(|args| (args.join(" "), chainrule(&args, path)))
    .collect()
}

/// Asserts that `output` is a refusal: exit code 2, one line on stderr naming the file
/// (`<stem>.json`) and holding each of `words`, no panic.
fn assert_refused(what: &str, output: &Output, path: &Path, words: &[&str]) {
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(!stderr.contains("panicked"), "{what}: panic: {stderr}");
    assert_eq!(output.status.code(), Some(2), "{what}: exit code; {stderr}");
    let lines: Vec<&str> = stderr.lines().collect();
    assert_eq!(lines.len(), 1, "{what}: one line: {stderr:?}");
    let name = path.file_name().and_then(|n| n.to_str()).expect("a name");
    assert!(
        lines[0].contains(name),
        "{what}: {:?} lacks {name}",
        lines[0]
    );
    for word in words {
        assert!(
            lines[0].contains(word),
            "{what}: {:?} lacks {word:?}",
            lines[0]
        );
    }
}

fn refused_everywhere(name: &str, scenario: &Value, words: &[&str]) {
    let path = file(name, &scenario.to_string());
    for (what, output) in every_command(&path) {
        assert_refused(&format!("{name}: {what}"), &output, &path, words);
    }
}

/// Two nodes, `x` and `y = exp(x)`, with `x`'s fields extended by `extra`.
fn two_nodes(extra: Value) -> Value {
    let mut x = json!({"id": "x", "input": 1});
    for (k, v) in extra.as_object().expect("an object") {
        x[k] = v.clone();
    }
    json!({"nodes": [x, {"id": "y", "op": "exp", "args": ["x"]}]})
}

#[test]
fn blank_texts_are_refused_by_every_command() {
    for (name, extra, words) in [
        (
            "empty_label",
            json!({"label": ""}),
            vec!["node \"x\"", "\"label\" is empty"],
        ),
        (
            "blank_label",
            json!({"label": " "}),
            vec!["node \"x\"", "\"label\" is blank"],
        ),
        (
            "empty_name",
            json!({"name": ""}),
            vec!["node \"x\"", "\"name\" is empty"],
        ),
        (
            "empty_group",
            json!({"group": ""}),
            vec!["node \"x\"", "\"group\" is empty"],
        ),
    ] {
        refused_everywhere(name, &two_nodes(extra), &words);
    }
    let symbol = json!({"nodes": [{"id": "x", "input": 1},
        {"id": "y", "op": "exp", "args": ["x"], "symbol": ""}]});
    refused_everywhere(
        "empty_symbol",
        &symbol,
        &["node \"y\"", "\"symbol\" is empty"],
    );
    let id = json!({"nodes": [{"id": "", "input": 1}]});
    refused_everywhere("empty_id", &id, &["item 1 of \"nodes\"", "\"id\" is empty"]);
    let group = json!({"nodes": [{"id": "x", "input": 1, "group": "g"},
        {"id": "y", "op": "exp", "args": ["x"], "group": "g"}],
        "groups": {"g": {"label": ""}}});
    refused_everywhere(
        "empty_group_label",
        &group,
        &["group \"g\"", "\"label\" is empty"],
    );
    let mut tex = two_nodes(json!({}));
    tex["labels"] = json!([{"from": "x", "to": "y", "forward": "$ $"}]);
    refused_everywhere("blank_tex", &tex, &["item 1 of \"labels\"", "is blank"]);
}

#[test]
fn an_empty_hand_written_label_still_leaves_the_edge_unlabelled() {
    let mut scenario = two_nodes(json!({}));
    scenario["labels"] = json!([{"from": "x", "to": "y", "forward": ""}]);
    let path = file("empty_forward", &scenario.to_string());
    for (what, output) in every_command(&path) {
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert_eq!(output.status.code(), Some(0), "{what}: {stderr}");
    }
}

#[test]
fn deep_nesting_is_refused_not_a_stack_overflow() {
    let parens = format!("{}x{}", "(".repeat(20_000), ")".repeat(20_000));
    let minus = format!("{}x", "-".repeat(100_000));
    let within = format!(
        "{}x{}",
        "(".repeat(MAX_NESTING - 1),
        ")".repeat(MAX_NESTING - 1)
    );
    refused_everywhere(
        "deep_name",
        &two_nodes(json!({"name": &parens[..MAX_TEXT_CHARS]})),
        &["node \"x\"", "nests deeper than the limit of 64"],
    );
    refused_everywhere(
        "deep_label",
        &two_nodes(json!({"label": &minus[minus.len() - MAX_TEXT_CHARS..]})),
        &["node \"x\"", "nests deeper"],
    );
    let mut seed = two_nodes(json!({}));
    seed["symbolic"] = json!({"seed": &parens[..MAX_TEXT_CHARS]});
    refused_everywhere("deep_seed", &seed, &["\"symbolic\"", "nests deeper"]);
    let group = json!({"nodes": [{"id": "x", "input": 1, "group": "g"},
        {"id": "y", "op": "exp", "args": ["x"], "group": "g"}],
        "groups": {"g": {"derivative": &parens[..MAX_TEXT_CHARS]}}});
    refused_everywhere("deep_derivative", &group, &["group \"g\"", "nests deeper"]);
    // Past the text limit, the length is what is reported, before any parsing.
    refused_everywhere(
        "long_deep_name",
        &two_nodes(json!({"name": parens})),
        &["node \"x\"", "longer than the limit of 1000 characters"],
    );
    refused_everywhere(
        "long_minus",
        &two_nodes(json!({"name": minus})),
        &["longer than the limit"],
    );
    // Within the limit, the name is read and drawn.
    let path = file("within", &two_nodes(json!({"name": within})).to_string());
    for (what, output) in every_command(&path) {
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert_eq!(output.status.code(), Some(0), "{what}: {stderr}");
    }
}

#[test]
fn texts_args_and_tensors_past_the_limits_are_refused() {
    let long = "a".repeat(MAX_TEXT_CHARS + 1);
    refused_everywhere(
        "long_label",
        &two_nodes(json!({"label": long})),
        &[
            "node \"x\"",
            "\"label\"",
            "longer than the limit of 1000 characters",
            "…",
        ],
    );
    let mut tex = two_nodes(json!({}));
    tex["labels"] = json!([{"from": "x", "to": "y",
        "backward": format!("${}$", "x".repeat(MAX_TEX_CHARS))}]);
    refused_everywhere(
        "long_tex",
        &tex,
        &["item 1 of \"labels\"", "\"backward\"", "limit"],
    );
    let mut braces = two_nodes(json!({}));
    braces["labels"] = json!([{"from": "x", "to": "y",
        "forward": format!("${}x{}$", "{".repeat(200), "}".repeat(200))}]);
    refused_everywhere("deep_tex", &braces, &["nests braces deeper"]);
    assert_eq!(MAX_ARGS, 500);
    let args = vec!["x"; MAX_ARGS + 1];
    let add = json!({"nodes": [{"id": "x", "input": 1}, {"id": "y", "op": "add", "args": args}]});
    refused_everywhere(
        "many_args",
        &add,
        &["node \"y\"", "add has 501 arguments", "limit of 500"],
    );
    let row = vec![0; 1000];
    let tensor = json!({"nodes": [{"id": "x", "input": vec![row; 1001]}]});
    refused_everywhere(
        "big_tensor",
        &tensor,
        &["big_tensor.json:1:", "at most 1000000 numbers"],
    );
    let mut nodes = Vec::new();
    for i in 0..5 {
        nodes.push(json!({"id": format!("x{i}"), "input": vec![vec![0; 1000]; 1000]}));
    }
    let many = json!({"nodes": nodes});
    refused_everywhere(
        "many_tensors",
        &many,
        &["more than 4000000 numbers together"],
    );
}

#[test]
fn a_file_past_the_size_limit_is_refused_before_it_is_read() {
    let path = temp_dir("huge").join("huge.json");
    let file = std::fs::File::create(&path).expect("create");
    file.set_len(chainrule::core::limits::MAX_FILE_BYTES + 1)
        .expect("a sparse file");
    let output = chainrule(&["eval"], &path);
    assert_refused(
        "huge",
        &output,
        &path,
        &["more than the limit of 67108864 bytes"],
    );
}

#[cfg(unix)]
#[test]
fn an_endless_input_is_refused() {
    let path = Path::new("/dev/zero");
    let start = std::time::Instant::now();
    let output = chainrule(&["eval"], path);
    assert_refused("/dev/zero", &output, path, &["more than the limit"]);
    assert!(start.elapsed().as_secs() < 30, "{:?}", start.elapsed());
}

#[test]
fn terminal_escapes_are_printed_escaped() {
    let id = "a\u{1b}]0;pwned\u{7}b\u{1b}[2J\u{9b}c";
    let scenario = json!({"nodes": [{"id": id, "input": 1},
        {"id": "y", "op": "exp", "args": [id]}]});
    let path = file("escapes", &scenario.to_string());
    for args in [&["eval"][..], &["eval", "--steps"], &["eval", "--json"]] {
        let output = chainrule(args, &path);
        assert_eq!(output.status.code(), Some(0), "{args:?}");
        let stdout = String::from_utf8(output.stdout).expect("utf-8");
        assert!(
            !stdout.contains(['\u{1b}', '\u{7}', '\u{9b}']),
            "{args:?}: {stdout:?}"
        );
        if args.contains(&"--json") {
            let parsed: Value = serde_json::from_str(&stdout).expect("still JSON");
            assert_eq!(parsed["values"][id], json!(1.0));
        } else {
            assert!(
                stdout.contains("a\\u{1b}]0;pwned\\u{7}b\\u{1b}[2J\\u{9b}c"),
                "{stdout}"
            );
        }
    }
    // In an error message, and in a warning.
    let bad = json!({"nodes": [{"id": id, "input": 1},
        {"id": "y", "op": "exp", "args": [format!("{id}x")]}]});
    let path = file("escapes_error", &bad.to_string());
    let output = chainrule(&["eval"], &path);
    assert_refused("escapes", &output, &path, &["\\u{1b}[2J"]);
    assert!(!output.stderr.contains(&0x1b));
    let crowded = json!({"nodes": [{"id": "x", "input": 1, "label": format!("{id}{}", "w".repeat(300))},
        {"id": "y", "op": "exp", "args": ["x"]}]});
    let path = file("escapes_warning", &crowded.to_string());
    let out = path.with_extension("out");
    let output = chainrule(
        &[
            "render",
            "--format",
            "svg",
            "-o",
            out.to_str().expect("utf-8"),
        ],
        &path,
    );
    assert_eq!(output.status.code(), Some(0));
    assert!(
        !output.stderr.contains(&0x1b),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
}

#[test]
fn encodings_and_shapes_of_the_file_get_clear_messages() {
    let apple = std::fs::read_to_string("scenarios/apple.json").expect("apple");
    let path = file("bom", &format!("\u{feff}{apple}"));
    let output = chainrule(&["eval"], &path);
    assert_eq!(
        output.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let path = file("array", "[1, 2]");
    assert_refused(
        "array",
        &chainrule(&["eval"], &path),
        &path,
        &["array.json:1:1:", "must hold a JSON object"],
    );
    let path = file(
        "big_integer",
        r#"{"nodes": [{"id": "x", "input": 9007199254740993}]}"#,
    );
    assert_refused(
        "big",
        &chainrule(&["eval"], &path),
        &path,
        &["big_integer.json:1:", "larger than 2^53"],
    );
    let path = file(
        "exact_integer",
        r#"{"nodes": [{"id": "x", "input": 9007199254740992}, {"id": "y", "op": "pow", "p": 2, "args": ["x"]}]}"#,
    );
    assert_eq!(chainrule(&["eval"], &path).status.code(), Some(0));
    let path = file(
        "float",
        r#"{"nodes": [{"id": "x", "input": 9007199254740993.0}]}"#,
    );
    assert_eq!(chainrule(&["eval"], &path).status.code(), Some(0));
    let name = "n".repeat(1_000_000);
    let figure = json!({"nodes": [{"id": "x", "input": 1}], "figures": [{"name": name}]});
    let path = file("long_figure", &figure.to_string());
    let output = chainrule(
        &["render", "--format", "svg", "-o", "/nonexistent/never"],
        &path,
    );
    assert_refused("figure", &output, &path, &["item 1 of \"figures\"", "…"]);
    assert!(output.stderr.len() < 400, "{}", output.stderr.len());
}

/// Symbolic labels are written in full up to a bound, then the gradient arriving from above
/// is written by name: a 3,000-op chain's labels are all short, so drawing it is linear.
#[test]
fn symbolic_labels_of_a_long_chain_stay_short() {
    use chainrule::core::{generate, load};
    let text = generate::to_text(&generate::chain(3000).expect("chain"));
    let path = Path::new("chain.json");
    let model = load::parse(path, &text).expect("parses");
    let trace = load::evaluate(path, &model).expect("evaluates");
    let symbols = chainrule::text::symbolic::derive(&model, Some(&trace));
    let longest = symbols.edges.iter().map(|m| m.size()).max().unwrap_or(0);
    assert!(longest < 100, "{longest}");
    let last = &symbols.edges[0];
    assert!(last.plain().starts_with('∂'), "{}", last.plain());
}

#[test]
fn tensors_grown_by_the_passes_are_refused_before_they_are_made() {
    // A broadcast of (2000, 1) and (1, 1000) would make 2,000,000 numbers from 3,000.
    let column: Vec<Vec<f64>> = (0..2000).map(|i| vec![i as f64]).collect();
    let row: Vec<Vec<f64>> = vec![(0..1000).map(f64::from).collect()];
    let broadcast = json!({"nodes": [
        {"id": "a", "input": column},
        {"id": "b", "input": row},
        {"id": "s", "op": "add", "args": ["a", "b"]},
    ]});
    refused_everywhere("broadcast", &broadcast, &["\"s\"", "add", "(2000, 1000)"]);
    // And a product of a column by a row.
    let product = json!({"nodes": [
        {"id": "a", "input": column},
        {"id": "b", "input": row},
        {"id": "p", "op": "matmul", "args": ["a", "b"]},
    ]});
    refused_everywhere("product", &product, &["\"p\"", "matmul"]);
    // One 1000 x 1000 matrix used by 20 adds: each add's value and the gradient on each edge
    // stay within the limit of one tensor, but not together.
    let big: Vec<Vec<f64>> = (0..1000).map(|_| vec![1.0; 1000]).collect();
    let mut nodes = vec![json!({"id": "m", "input": big})];
    for k in 0..20 {
        nodes.push(json!({"id": format!("a{k}"), "op": "add", "args": ["m", "m"]}));
    }
    let total = json!({ "nodes": nodes });
    let path = file("total", &total.to_string());
    let output = chainrule(&["eval"], &path);
    assert_refused("eval", &output, &path, &["limit of 16000000"]);
}

#[test]
fn figure_errors_are_refused_by_every_command_eval_too() {
    let with_figures = |figures: Value| {
        json!({"nodes": [{"id": "x", "input": 1}, {"id": "y", "op": "exp", "args": ["x"]}],
               "figures": figures})
    };
    refused_everywhere(
        "twice",
        &with_figures(json!([{"name": "a"}, {"name": "a"}])),
        &["figure \"a\" is listed twice"],
    );
    refused_everywhere(
        "highlight",
        &with_figures(json!([{"name": "a", "highlight": ["x", "z"]}])),
        &["highlight names \"z\""],
    );
    refused_everywhere(
        "slash",
        &with_figures(json!([{"name": "a/b"}])),
        &["cannot be a file name"],
    );
}

#[test]
fn a_frame_set_too_large_to_write_in_seconds_is_refused() {
    let path = temp_dir("long-chain").join("chain.json");
    let gen = Command::new(env!("CARGO_BIN_EXE_chainrule"))
        .args(["gen", "chain", "100", "-o"])
        .arg(&path)
        .output()
        .expect("run chainrule gen");
    assert!(gen.status.success());
    let out = path.with_extension("out");
    let output = chainrule(&["frames", "-o", out.to_str().unwrap()], &path);
    assert_refused("frames", &output, &path, &["megapixels", "limit of 600"]);
    assert!(!out.exists(), "a refused frame set wrote files");
    // As SVG alone it is written: nothing is rasterised.
    let output = chainrule(
        &["frames", "--format", "svg", "-o", out.to_str().unwrap()],
        &path,
    );
    assert_eq!(output.status.code(), Some(0), "{output:?}");
}

#[test]
fn integers_past_two_to_the_64_are_refused_too() {
    // The JSON parser reads this as a floating-point number: only the file's text shows it
    // was written as an integer.
    let text = "{\"nodes\": [\n  {\"id\": \"x\", \"input\": 123456789012345678901234}\n]}";
    let path = file("huge-integer", text);
    let output = chainrule(&["eval"], &path);
    assert_refused(
        "eval",
        &output,
        &path,
        &["2:24", "123456789012345678901234", "2^53"],
    );
    // Written with a decimal point, the rounding is accepted; in a string, it is text.
    let text = "{\"nodes\": [{\"id\": \"x\", \"input\": 123456789012345678901234.0,\n  \"label\": \"123456789012345678901234\"}]}";
    let path = file("huge-float", text);
    assert_eq!(chainrule(&["eval"], &path).status.code(), Some(0));
}
