//! Bad scenarios given to the real `chainrule eval`: each is refused with exit code 2 (1 when
//! a value goes non-finite), nothing on stdout, and exactly one line on stderr naming the file
//! and the place (line:column for JSON syntax, the node's id for a node's problem), never a
//! panic. Then, as properties, random garbage, random edits of the shipped scenarios and random
//! well-formed but wrong scenarios go through `load::parse` and `load::evaluate` without a panic.

use std::io::Write;
use std::panic;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

use chainrule::core::load;
use chainrule::core::ops::{self, Arity};
use chainrule::text::report;
use proptest::prelude::*;
use serde_json::{json, Map, Value};

/// What one run of `chainrule eval` did.
struct Run {
    code: Option<i32>,
    stdout: String,
    stderr: String,
}

impl Run {
    /// Asserts the run failed with `code`, wrote nothing to stdout, and wrote one line to
    /// stderr holding `file` followed directly by `place`, and each of `words`.
    fn assert_refused(&self, code: i32, file: &str, place: &str, words: &[&str]) {
        let stderr = &self.stderr;
        assert!(!stderr.contains("panicked"), "panic: {stderr}");
        assert_eq!(self.code, Some(code), "exit code; stderr: {stderr}");
        assert!(self.stdout.is_empty(), "stdout: {}", self.stdout);
        let lines: Vec<&str> = stderr.lines().collect();
        assert_eq!(lines.len(), 1, "one line on stderr: {stderr:?}");
        let whole = format!("{file}{place}");
        assert!(lines[0].contains(&whole), "{:?} lacks {whole:?}", lines[0]);
        for word in words {
            assert!(lines[0].contains(word), "{:?} lacks {word:?}", lines[0]);
        }
    }
}

/// Runs `chainrule eval <path>`, giving it `stdin` (or an empty stdin).
fn eval(path: &Path, stdin: &str) -> Run {
    let mut child = Command::new(env!("CARGO_BIN_EXE_chainrule"))
        .arg("eval")
        .arg(path)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("start chainrule");
    child
        .stdin
        .take()
        .expect("piped stdin")
        .write_all(stdin.as_bytes())
        .expect("write stdin");
    let output = child.wait_with_output().expect("run chainrule");
    Run {
        code: output.status.code(),
        stdout: String::from_utf8_lossy(&output.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&output.stderr).into_owned(),
    }
}

/// Writes `text` as `<case>.json` into a directory of its own under the temp dir, runs
/// `chainrule eval` on it, removes the directory, and returns the file's name and the run.
fn eval_text(case: &str, text: &str) -> (String, Run) {
    let dir =
        std::env::temp_dir().join(format!("chainrule-bad-input-{}-{case}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("create the scratch directory");
    let path = dir.join(format!("{case}.json"));
    std::fs::write(&path, text).expect("write the scenario");
    let run = eval(&path, "");
    std::fs::remove_dir_all(&dir).expect("remove the scratch directory");
    (path.display().to_string(), run)
}

/// Runs `chainrule eval` on a scenario with these nodes (and extra top-level fields).
fn eval_nodes(case: &str, nodes: Value, extra: Value) -> (String, Run) {
    let mut scenario = json!({ "nodes": nodes });
    if let (Value::Object(all), Value::Object(extra)) = (&mut scenario, extra) {
        all.extend(extra);
    }
    eval_text(
        case,
        &serde_json::to_string_pretty(&scenario).expect("JSON"),
    )
}

/// The place of a node's problem in the message, right after the file's name.
fn node(id: &str) -> String {
    format!(": node \"{id}\": ")
}

#[test]
fn malformed_json_names_line_and_column() {
    let text = "{\n  \"nodes\": [\n    {\"id\": \"x\" \"input\": 1}\n  ]\n}\n";
    let (file, run) = eval_text("malformed", text);
    // Line 3, column 16: the quote that opens "input" where a comma belongs.
    run.assert_refused(2, &file, ":3:16: ", &["expected `,`"]);
}

#[test]
fn unknown_top_level_field_is_named() {
    let text = "{\n  \"nodes\": [{\"id\": \"x\", \"input\": 1}],\n  \"outptu\": \"x\"\n}\n";
    let (file, run) = eval_text("unknown_field", text);
    run.assert_refused(2, &file, ":3:10: ", &["unknown field `outptu`"]);
}

#[test]
fn misspelt_node_field_is_named() {
    let text = "{\"nodes\": [\n  {\"id\": \"x\", \"input\": 1},\n  {\"id\": \"y\", \"op\": \"neg\", \"agrs\": [\"x\"]}\n]}\n";
    let (file, run) = eval_text("agrs", text);
    run.assert_refused(2, &file, ":3:33: ", &["unknown field `agrs`", "`args`"]);
}

#[test]
fn node_with_no_kind() {
    let (file, run) = eval_nodes("no_kind", json!([{"id": "x", "label": "x"}]), json!({}));
    run.assert_refused(2, &file, &node("x"), &["found none"]);
}

#[test]
fn node_with_two_kinds() {
    let (file, run) = eval_nodes(
        "two_kinds",
        json!([{"id": "x", "input": 1, "const": 2}]),
        json!({}),
    );
    run.assert_refused(2, &file, &node("x"), &["\"input\" and \"const\""]);
}

#[test]
fn duplicate_id() {
    let nodes = json!([{"id": "x", "input": 1}, {"id": "x", "input": 2}]);
    let (file, run) = eval_nodes("duplicate", nodes, json!({}));
    run.assert_refused(2, &file, &node("x"), &["earlier node"]);
}

#[test]
fn unknown_op_lists_the_known_ones() {
    let nodes = json!([
        {"id": "x", "input": [1, 2]},
        {"id": "y", "op": "softmx", "args": ["x"]}
    ]);
    let (file, run) = eval_nodes("unknown_op", nodes, json!({}));
    run.assert_refused(2, &file, &node("y"), &["\"softmx\"", "softmax_with_loss"]);
}

#[test]
fn wrong_number_of_args() {
    let nodes = json!([
        {"id": "x", "input": 1},
        {"id": "h1", "op": "mul", "args": ["x"]}
    ]);
    let (file, run) = eval_nodes("arg_count", nodes, json!({}));
    run.assert_refused(2, &file, &node("h1"), &["mul expects 2 arguments, got 1"]);
    let nodes = json!([
        {"id": "x", "input": 1},
        {"id": "n", "op": "neg", "args": ["x", "x"]}
    ]);
    let (file, run) = eval_nodes("arg_count_one", nodes, json!({}));
    run.assert_refused(2, &file, &node("n"), &["neg expects 1 argument, got 2"]);
}

#[test]
fn arg_that_is_no_node() {
    let nodes = json!([
        {"id": "x", "input": 1},
        {"id": "y", "op": "neg", "args": ["z"]}
    ]);
    let (file, run) = eval_nodes("unknown_arg", nodes, json!({}));
    run.assert_refused(2, &file, &node("y"), &["\"z\""]);
}

#[test]
fn cycle_names_the_nodes_on_it() {
    let nodes = json!([
        {"id": "c", "input": 1},
        {"id": "a", "op": "add", "args": ["b", "c"]},
        {"id": "b", "op": "mul", "args": ["a", "c"]},
        {"id": "d", "op": "neg", "args": ["b"]}
    ]);
    let (file, run) = eval_nodes("cycle", nodes, json!({}));
    run.assert_refused(2, &file, ": ", &["cycle", "\"a\", \"b\""]);
    assert!(!run.stderr.contains("\"c\"") && !run.stderr.contains("\"d\""));
}

#[test]
fn pow_without_p() {
    let nodes = json!([
        {"id": "x", "input": 2},
        {"id": "sq", "op": "pow", "args": ["x"]}
    ]);
    let (file, run) = eval_nodes("pow_without_p", nodes, json!({}));
    run.assert_refused(2, &file, &node("sq"), &[POW_USAGE]);
}

/// What every misuse of `pow` says, on one line.
const POW_USAGE: &str =
    r#"pow takes one argument and its exponent as "p": {"op": "pow", "args": ["x"], "p": 2}"#;

#[test]
fn pow_with_two_args_says_how_to_give_the_exponent() {
    for p in [None, Some(2)] {
        let mut pow = json!({"id": "z", "op": "pow", "args": ["x", "y"]});
        if let Some(p) = p {
            pow["p"] = json!(p);
        }
        let nodes = json!([
            {"id": "x", "input": 2},
            {"id": "y", "input": 3},
            pow
        ]);
        let (file, run) = eval_nodes("pow_two_args", nodes, json!({}));
        run.assert_refused(2, &file, &node("z"), &[POW_USAGE]);
    }
}

#[test]
fn ragged_array() {
    let nodes = json!([{"id": "m", "input": [[1, 2], [3]]}]);
    let (file, run) = eval_nodes("ragged", nodes, json!({}));
    run.assert_refused(2, &file, &node("m"), &["ragged"]);
}

#[test]
fn shapes_that_do_not_broadcast() {
    let nodes = json!([
        {"id": "a", "input": [1, 2]},
        {"id": "b", "input": [1, 2, 3]},
        {"id": "s", "op": "add", "args": ["a", "b"]}
    ]);
    let (file, run) = eval_nodes("broadcast", nodes, json!({}));
    run.assert_refused(2, &file, &node("s"), &["(2,)", "(3,)"]);
}

#[test]
fn matrices_that_do_not_multiply() {
    let nodes = json!([
        {"id": "a", "input": [[1, 2, 3], [4, 5, 6]]},
        {"id": "b", "const": [[1, 2, 3], [4, 5, 6]]},
        {"id": "ab", "op": "matmul", "args": ["a", "b"]}
    ]);
    let (file, run) = eval_nodes("matmul", nodes, json!({}));
    run.assert_refused(2, &file, &node("ab"), &["(2, 3) by (2, 3)"]);
}

#[test]
fn unknown_output() {
    let nodes = json!([{"id": "x", "input": 1}]);
    let (file, run) = eval_nodes("unknown_output", nodes, json!({"output": "nope"}));
    run.assert_refused(2, &file, ": ", &["\"output\"", "\"nope\""]);
}

#[test]
fn seed_of_the_wrong_shape() {
    let nodes = json!([
        {"id": "x", "input": [1, 2]},
        {"id": "y", "op": "neg", "args": ["x"]}
    ]);
    let (file, run) = eval_nodes("seed_shape", nodes, json!({"seed": [1, 2, 3]}));
    run.assert_refused(2, &file, ": ", &["\"seed\"", "(3,)", "(2,)", "\"y\""]);
}

#[test]
fn empty_node_list() {
    let (file, run) = eval_nodes("empty", json!([]), json!({}));
    run.assert_refused(2, &file, ": ", &["\"nodes\" is empty"]);
}

/// The place of a figure's problem in the message, right after the file's name.
fn figure(name: &str) -> String {
    format!(": figure \"{name}\": ")
}

#[test]
fn a_step_beyond_the_last_names_the_figure_and_the_steps() {
    // x → exp → y: the seed, then exp; steps 0 (before the seed) to 2.
    let nodes = json!([{"id": "x", "input": 1}, {"id": "y", "op": "exp", "args": ["x"]}]);
    let figures = json!({"figures": [{"name": "fine", "step": 2}, {"name": "late", "step": 3}]});
    let (file, run) = eval_nodes("step_beyond", nodes, figures);
    run.assert_refused(
        2,
        &file,
        &figure("late"),
        &["\"step\" is 3", "the backward pass has 2 steps", "0 to 2"],
    );
}

#[test]
fn a_step_in_a_scenario_without_numbers_names_the_figure_and_the_steps() {
    let nodes = json!([
        {"id": "x", "input": null},
        {"id": "t", "op": "exp", "args": ["x"]},
        {"id": "y", "op": "neg", "args": ["t"]}
    ]);
    let figures = json!({"figures": [{"name": "fig3", "step": 1}]});
    let (file, run) = eval_nodes("step_no_numbers", nodes, figures);
    run.assert_refused(
        2,
        &file,
        &figure("fig3"),
        &["needs numbers", "input \"x\" has no value", "3 steps"],
    );
}

#[test]
fn a_step_is_a_frame_and_nothing_else() {
    let nodes = json!([
        {"id": "x", "input": 1},
        {"id": "y", "op": "exp", "args": ["x"], "group": "g"}
    ]);
    for (case, extra, what) in [
        (
            "forward",
            json!({"view": "forward"}),
            "\"view\": \"forward\"",
        ),
        (
            "highlight",
            json!({"highlight": ["x", "y"]}),
            "\"highlight\"",
        ),
        ("collapse", json!({"collapse": true}), "\"collapse\""),
    ] {
        let mut spec = json!({"name": case, "step": 1});
        if let (Value::Object(spec), Value::Object(extra)) = (&mut spec, extra) {
            spec.extend(extra);
        }
        let (file, run) = eval_nodes(
            &format!("step_{case}"),
            nodes.clone(),
            json!({"figures": [spec]}),
        );
        run.assert_refused(2, &file, &figure(case), &["a figure at a step", what]);
    }
}

#[test]
fn a_step_that_is_not_a_count_is_named() {
    let text = "{\"nodes\": [{\"id\": \"x\", \"input\": 1}],\n \"figures\": [{\"name\": \"f\", \"step\": -1}]}\n";
    let (file, run) = eval_text("step_negative", text);
    run.assert_refused(2, &file, ":2:", &["-1"]);
}

#[test]
fn missing_file() {
    let path = std::env::temp_dir().join(format!(
        "chainrule-bad-input-{}-missing/none.json",
        std::process::id()
    ));
    let run = eval(&path, "");
    run.assert_refused(2, &path.display().to_string(), ": ", &["cannot read"]);
}

#[test]
fn directory_instead_of_a_file() {
    let dir: PathBuf = std::env::temp_dir();
    let run = eval(&dir, "");
    run.assert_refused(2, &dir.display().to_string(), ": ", &["cannot read"]);
}

#[test]
fn standard_input_is_named_dash() {
    let run = eval(
        Path::new("-"),
        r#"{"nodes": [{"id": "x", "input": 1, "op": "neg"}]}"#,
    );
    run.assert_refused(2, "-", &node("x"), &["\"input\" and \"op\""]);
}

#[test]
fn log_of_zero_is_not_finite() {
    let nodes = json!([
        {"id": "x", "input": [1, 0]},
        {"id": "log_x", "op": "log", "args": ["x"]}
    ]);
    let (file, run) = eval_nodes("log_zero", nodes, json!({}));
    run.assert_refused(
        1,
        &file,
        &node("log_x"),
        &["log(0) is infinite (element [1])"],
    );
}

#[test]
fn log_of_minus_one_names_the_op_and_its_argument() {
    let nodes = json!([
        {"id": "x", "input": -1},
        {"id": "y", "op": "log", "args": ["x"]}
    ]);
    let (file, run) = eval_nodes("log_minus_one", nodes, json!({}));
    run.assert_refused(1, &file, &node("y"), &[": log(\u{2212}1) is not a number"]);
}

#[test]
fn division_by_zero_names_both_arguments() {
    let nodes = json!([
        {"id": "a", "input": 2.5},
        {"id": "b", "input": 0},
        {"id": "q", "op": "div", "args": ["a", "b"]}
    ]);
    let (file, run) = eval_nodes("div_zero", nodes, json!({}));
    run.assert_refused(1, &file, &node("q"), &[": div(2.5, 0) is infinite"]);
}

#[test]
fn exp_overflow_is_not_finite() {
    let nodes = json!([
        {"id": "x", "input": 1000},
        {"id": "e", "op": "exp", "args": ["x"]}
    ]);
    let (file, run) = eval_nodes("exp_overflow", nodes, json!({}));
    run.assert_refused(1, &file, &node("e"), &[": exp(1000) is infinite"]);
}

/// Parses and evaluates `text` and, if that works, writes every report: must never panic.
fn exercise(text: &str) {
    let path = Path::new("fuzz.json");
    let outcome = load::parse(path, text).and_then(|model| {
        let trace = load::evaluate(path, &model)?;
        Ok(report::table(&model, &trace, 4)
            + &report::steps(&model, &trace, 4, chainrule::text::steps::Lang::En))
    });
    if let Err(e) = outcome {
        assert!(e.to_string().starts_with("fuzz.json"), "{e}");
    }
}

/// Fails the case if `exercise` panics on `text`.
fn never_panics(text: &str) -> Result<(), TestCaseError> {
    let result = panic::catch_unwind(|| exercise(text));
    prop_assert!(result.is_ok(), "panicked on:\n{}", text);
    Ok(())
}

/// The shipped scenarios' texts.
fn shipped() -> Vec<String> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("scenarios");
    let mut texts: Vec<String> = std::fs::read_dir(&dir)
        .expect("read scenarios/")
        .map(|entry| entry.expect("a directory entry").path())
        .filter(|path| path.extension().is_some_and(|e| e == "json"))
        .map(|path| std::fs::read_to_string(path).expect("read a scenario"))
        .collect();
    texts.sort();
    texts
}

/// Pieces of scenario JSON to splice into a text.
const SPLICES: &[&str] = &[
    "\"",
    "{",
    "}",
    "[",
    "]",
    ",",
    ":",
    "-",
    "0",
    "1e999",
    "-1e308",
    "null",
    "true",
    "\"\"",
    "[]",
    "{}",
    "[[1], [2, 3]]",
    "\"op\"",
    "\"args\"",
    "\"id\"",
    "\"input\"",
    "\"const\"",
    "\"p\": 0.5",
    "\"axis\": 1",
    "\"seed\"",
    "\"output\"",
    "\"nodes\"",
    "\"x\"",
    "\"log\"",
    "\"matmul\"",
    "\"softmax\"",
    "\"sum\"",
    "1000",
    "0.0",
    "\\u0000",
    "é",
];

/// One edit of a text: at a fraction of its length, remove some chars and insert a splice.
#[derive(Debug, Clone)]
struct Edit {
    at: f64,
    remove: usize,
    insert: &'static str,
}

fn edits() -> impl Strategy<Value = Vec<Edit>> {
    let edit = (0.0..1.0, 0..8usize, prop::sample::select(SPLICES))
        .prop_map(|(at, remove, insert)| Edit { at, remove, insert });
    prop::collection::vec(edit, 1..6)
}

fn apply(text: &str, edits: &[Edit]) -> String {
    let mut chars: Vec<char> = text.chars().collect();
    for edit in edits {
        let at = ((chars.len() as f64) * edit.at) as usize;
        let end = (at + edit.remove).min(chars.len());
        chars.splice(at..end, edit.insert.chars());
    }
    chars.into_iter().collect()
}

/// A number, now and then one that overflows or underflows an op.
fn number() -> impl Strategy<Value = f64> {
    prop_oneof![
        8 => -3.0..3.0f64,
        1 => prop::sample::select(vec![0.0, 1e300, -1e300, 1e-300, 710.0, -745.0]),
    ]
}

/// A value where a tensor is expected: mostly a number, a vector or a matrix of random
/// dimensions (so shapes often don't fit), sometimes empty, ragged or of the wrong type.
fn value() -> impl Strategy<Value = Value> {
    let numbers = prop::collection::vec(number(), 9);
    let tensor =
        (0..=2usize, 1..=3usize, 1..=3usize, numbers).prop_map(|(rank, n, k, data)| match rank {
            0 => json!(data[0]),
            1 => json!(&data[..k]),
            _ => json!(data.chunks(k).take(n).collect::<Vec<_>>()),
        });
    let odd = prop_oneof![
        number().prop_map(Value::from),
        Just(Value::Null),
        Just(Value::from("1")),
        Just(Value::Bool(true)),
    ]
    .prop_recursive(3, 24, 4, |inner| {
        prop::collection::vec(inner, 0..4).prop_map(Value::Array)
    });
    prop_oneof![12 => tensor, 1 => odd]
}

/// Ids in the order nodes get them; the last is never used by a node.
const IDS: &[&str] = &["a", "b", "c", "d", "e", "f", "g", "zz"];

/// A node before it gets its id: its fields, and for an op the choices of its args.
#[derive(Debug, Clone)]
struct Draft {
    fields: Map<String, Value>,
    args: Vec<u8>,
}

fn fields(value: Value) -> Map<String, Value> {
    match value {
        Value::Object(map) => map,
        _ => Map::new(),
    }
}

/// An input or a const.
fn leaf() -> impl Strategy<Value = Draft> {
    (prop::bool::ANY, value()).prop_map(|(input, v)| Draft {
        fields: fields(json!({ if input { "input" } else { "const" }: v })),
        args: Vec::new(),
    })
}

/// A plausible node (one kind, args that mostly name earlier nodes) or, now and then, any
/// mix of fields.
fn draft() -> impl Strategy<Value = Draft> {
    let mut names: Vec<&'static str> = ops::NAMES.to_vec();
    names.push("bogus");
    let op = (
        prop::sample::select(names.clone()),
        prop::collection::vec(any::<u8>(), 4),
        any::<u8>(),
        prop::sample::select(vec![2.0, 3.0, 0.5, -1.0, 0.0, 1e300]),
        prop::option::of(0..=2usize),
    )
        .prop_map(|(op, mut args, count, p, axis)| {
            let p = (op == "pow").then_some(p);
            let axis = axis.filter(|_| op == "sum");
            // Mostly as many args as the op takes, sometimes any number.
            let arity = ops::lookup(op, ops::Params { p, axis }).map(|op| op.arity());
            let wanted = match arity {
                Ok(Arity::Exactly(k)) if count < 240 => k,
                Ok(Arity::AtLeast(k)) if count < 240 => k + usize::from(count % 2),
                _ => usize::from(count % 4),
            };
            args.truncate(wanted);
            let mut fields = fields(json!({ "op": op }));
            if let Some(p) = p {
                fields.insert("p".into(), p.into());
            }
            if let Some(axis) = axis {
                fields.insert("axis".into(), axis.into());
            }
            Draft { fields, args }
        });
    let anything = (
        prop::option::of(value()),
        prop::option::of(value()),
        prop::option::of(prop::sample::select(names)),
        prop::option::of(prop::collection::vec(prop::sample::select(IDS), 0..4)),
        prop::option::of(number()),
        prop::option::of(0..4usize),
        prop::option::of(prop::sample::select(IDS)),
    )
        .prop_map(|(input, constant, op, args, p, axis, id)| {
            let all = [
                ("input", input),
                ("const", constant),
                ("op", op.map(Value::from)),
                ("args", args.map(|a| json!(a))),
                ("p", p.map(Value::from)),
                ("axis", axis.map(Value::from)),
                ("id", id.map(Value::from)),
            ];
            let fields = all
                .into_iter()
                .filter_map(|(key, field)| field.map(|f| (key.to_string(), f)))
                .collect();
            Draft {
                fields,
                args: Vec::new(),
            }
        });
    prop_oneof![6 => leaf(), 8 => op, 1 => anything]
}

/// A well-formed scenario, starting with a leaf, whose nodes, output and seed may be wrong in
/// any way.
fn wrong_scenario() -> impl Strategy<Value = String> {
    (
        leaf(),
        prop::collection::vec(draft(), 0..6),
        prop::option::weighted(0.2, prop::sample::select(IDS)),
        prop::option::of(value()),
    )
        .prop_map(|(first, rest, output, seed)| {
            let nodes: Vec<Value> = std::iter::once(first)
                .chain(rest)
                .enumerate()
                .map(|(i, draft)| {
                    let mut node = fields(json!({ "id": IDS[i] }));
                    if !draft.args.is_empty() {
                        // Mostly an earlier node; else any id, which may be later (a cycle),
                        // the node itself, or no node at all.
                        let pick = |a: u8| match i {
                            _ if i > 0 && a < 240 => IDS[usize::from(a) % i],
                            _ => IDS[usize::from(a) % IDS.len()],
                        };
                        let args: Vec<&str> = draft.args.iter().map(|&a| pick(a)).collect();
                        node.insert("args".into(), json!(args));
                    }
                    node.extend(draft.fields);
                    Value::Object(node)
                })
                .collect();
            let mut scenario = json!({ "nodes": nodes });
            if let Some(output) = output {
                scenario["output"] = output.into();
            }
            if let Some(seed) = seed {
                scenario["seed"] = seed;
            }
            scenario.to_string()
        })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    /// Arbitrary text.
    #[test]
    fn garbage_never_panics(text in ".{0,200}") {
        never_panics(&text)?;
    }

    /// The shipped scenarios with a few random edits.
    #[test]
    fn edited_scenarios_never_panic(which in any::<prop::sample::Index>(), edits in edits()) {
        let texts = shipped();
        let text: &String = which.get(&texts);
        never_panics(&apply(text, &edits))?;
    }

    /// Well-formed scenarios with random nodes, ops, args, values, outputs and seeds.
    #[test]
    fn wrong_scenarios_never_panic(text in wrong_scenario()) {
        never_panics(&text)?;
    }
}
