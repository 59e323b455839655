//! Fuzzing whole scenario files: shipped scenarios, the kept corpus and random small graphs,
//! mutated (fields dropped, duplicated, renamed or retyped; numbers huge, tiny, negative or
//! written as strings; Unicode, control and empty strings; deep nesting; many arguments;
//! cycles; unknown operators), each run through the library in-process: parse and validate,
//! evaluate, draw as SVG (which must parse as XML) and write DOT. No input may panic.
//!
//! `cargo test` runs ten thousand cases (about three seconds) and every file of `tests/fuzz-corpus/`; more with
//! `FUZZ_CASES=10000` (and another seed with `FUZZ_SEED`). A case that panics is minimised
//! and written to `target/tmp/fuzz-found/`, to be kept in the corpus once its cause is fixed.

use std::cell::{Cell, RefCell};
use std::collections::{BTreeMap, BTreeSet};
use std::panic::{self, AssertUnwindSafe};
use std::path::{Path, PathBuf};
use std::sync::Once;

use chainrule::core::load;
use chainrule::core::ops::NAMES;
use chainrule::draw::texts::Texts;
use chainrule::export::dot;
use chainrule::{Annotate, Scenario, View};
use serde_json::{json, Map, Value};

const CORPUS: &str = "tests/fuzz-corpus";

// ---------------------------------------------------------------------------------------------
// Panics: caught, with their message and place.

thread_local! {
    static CAPTURING: Cell<bool> = const { Cell::new(false) };
    static CAUGHT: RefCell<Option<String>> = const { RefCell::new(None) };
    /// How many cases got how far: parsed, evaluated, drawn as SVG.
    static REACHED: Cell<[usize; 3]> = const { Cell::new([0; 3]) };
}

/// A panic hook that, on a thread running a fuzz case, records the panic's place and message
/// instead of printing them; other threads' panics are printed as before.
fn install_hook() {
    static ONCE: Once = Once::new();
    ONCE.call_once(|| {
        let previous = panic::take_hook();
        panic::set_hook(Box::new(move |info| {
            if CAPTURING.with(Cell::get) {
                let mut place = info
                    .location()
                    .map_or_else(|| "?".to_string(), |l| format!("{}:{}", l.file(), l.line()));
                if !place.starts_with("src/") && !place.starts_with("tests/") {
                    // In the standard library or a dependency: name our caller as well.
                    if let Some(ours) = our_frame() {
                        place = format!("{ours} via {place}");
                    }
                }
                let message = payload_text(info.payload());
                CAUGHT.with(|c| *c.borrow_mut() = Some(format!("{place}: {message}")));
            } else {
                previous(info);
            }
        }));
    });
}

/// The innermost function of this crate on the stack (symbol names are there without debug
/// information too).
fn our_frame() -> Option<String> {
    let trace = std::backtrace::Backtrace::force_capture().to_string();
    trace.lines().find_map(|line| {
        let (_, symbol) = line.trim_start().split_once(": ")?;
        let symbol = symbol.trim();
        let symbol = symbol.strip_prefix('<').unwrap_or(symbol);
        symbol.starts_with("chainrule::").then(|| {
            // Without the trailing hash.
            symbol
                .rsplit_once("::h")
                .map_or(symbol, |(name, _)| name)
                .to_string()
        })
    })
}

fn payload_text(payload: &(dyn std::any::Any + Send)) -> String {
    payload
        .downcast_ref::<&str>()
        .map(|s| (*s).to_string())
        .or_else(|| payload.downcast_ref::<String>().cloned())
        .unwrap_or_else(|| "(not a string)".to_string())
}

/// A panic: where (`file:line`, the key that tells panics apart) and what it said.
#[derive(Debug, Clone)]
struct Panic {
    place: String,
    message: String,
}

/// Runs `f`, catching a panic.
fn catching(f: impl FnOnce()) -> Option<Panic> {
    install_hook();
    CAPTURING.with(|c| c.set(true));
    CAUGHT.with(|c| *c.borrow_mut() = None);
    let result = panic::catch_unwind(AssertUnwindSafe(f));
    CAPTURING.with(|c| c.set(false));
    let payload = result.err()?;
    let caught = CAUGHT.with(|c| c.borrow_mut().take());
    // A panic on another thread (rayon's) is resumed here without our record of its place.
    let text = caught.unwrap_or_else(|| format!("(another thread): {}", payload_text(&*payload)));
    let (place, message) = text.split_once(": ").unwrap_or(("?", &text));
    Some(Panic {
        place: place.to_string(),
        message: message.to_string(),
    })
}

// ---------------------------------------------------------------------------------------------
// The pipeline under test.

/// Which figure a case draws.
#[derive(Debug, Clone, Copy)]
struct Look {
    view: View,
    annotate: Option<Annotate>,
    collapse: bool,
    edge_labels_up_to: usize,
}

impl Default for Look {
    fn default() -> Self {
        Look {
            view: View::Backward,
            annotate: None,
            collapse: false,
            edge_labels_up_to: chainrule::draw::EDGE_LABELS_UP_TO,
        }
    }
}

/// Parses, validates, evaluates, draws SVG (checked as XML: a malformed SVG panics here too)
/// and writes DOT; errors are fine, panics are not.
fn pipeline(text: &str, look: Look) {
    let path = Path::new("fuzz.json");
    let reached = |stage: usize| {
        REACHED.with(|r| {
            let mut counts = r.get();
            counts[stage] += 1;
            r.set(counts);
        });
    };
    let model = match load::parse(path, text) {
        Ok(model) => model,
        Err(e) => {
            if std::env::var_os("FUZZ_DEBUG").is_some() {
                eprintln!("{e}");
            }
            return;
        }
    };
    reached(0);
    if let Ok(trace) = load::evaluate(path, &model) {
        reached(1);
        let mut texts = Texts::new(&model, &trace, 4);
        texts.limit_edge_labels(look.edge_labels_up_to);
        let dot = dot::write(&model, &texts, look.view == View::Backward);
        assert!(
            !dot.contains("COLOR=\"#d62728\"><B></B>"),
            "DOT with an empty <B></B>"
        );
    }
    let Ok(scenario) = Scenario::from_json(text) else {
        panic!("load::parse accepts it but Scenario::from_json does not");
    };
    let _ = scenario.evaluate();
    let mut figure = scenario
        .figure()
        .view(look.view)
        .collapse(look.collapse)
        .edge_labels_up_to(look.edge_labels_up_to);
    if let Some(annotate) = look.annotate {
        figure = figure.annotate(annotate);
    }
    if let Ok(svg) = figure.svg() {
        reached(2);
        if let Err(e) = usvg::Tree::from_str(&svg, &usvg::Options::default()) {
            panic!("the SVG does not parse: {e}");
        }
    }
}

/// The panic, if any, of `text` drawn in the default look and with every option changed.
fn check(text: &str, look: Look) -> Option<Panic> {
    catching(|| pipeline(text, look))
}

// ---------------------------------------------------------------------------------------------
// Random inputs: a small deterministic generator, so that a case is its seed and number.

struct Rng(u64);

impl Rng {
    fn new(seed: u64, case: u64) -> Rng {
        Rng(seed ^ case.wrapping_mul(0x9E37_79B9_7F4A_7C15) ^ 0xD1B5_4A32_D192_ED03)
    }
    fn bits(&mut self) -> u64 {
        // SplitMix64.
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }
    fn below(&mut self, n: usize) -> usize {
        (self.bits() % n.max(1) as u64) as usize
    }
    fn chance(&mut self, percent: usize) -> bool {
        self.below(100) < percent
    }
    fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len())]
    }
}

const FIELDS: &[&str] = &[
    "id",
    "input",
    "const",
    "op",
    "args",
    "label",
    "symbol",
    "name",
    "group",
    "p",
    "axis",
    "title",
    "description",
    "nodes",
    "output",
    "seed",
    "figures",
    "frames",
    "annotate",
    "symbolic",
    "labels",
    "groups",
    "view",
    "highlight",
    "style",
    "collapse",
    "step",
    "loss",
    "ones",
    "pass",
    "from",
    "to",
    "forward",
    "backward",
    "derivative",
];

const STRINGS: &[&str] = &[
    "",
    " ",
    "x",
    "NaN",
    "nan",
    "inf",
    "-inf",
    "Infinity",
    "1e999",
    "-1e-999",
    "0x10",
    "١٢",
    "\u{0}",
    "\u{1}\u{7}\u{1b}[0m",
    "\t\r\n",
    "\u{FFFE}\u{FFFF}",
    "\u{200B}\u{202E}\u{FEFF}",
    "é ∂L/∂x 中文 😀",
    "]]>",
    "<![CDATA[",
    "<svg>&amp;&#0;",
    "\"'\\",
    "$",
    "$$",
    "$\\frac{$",
    "$x^{$",
    "$\\frac{\\partial L}{\\partial x}$",
    "$\\undefinedmacro$",
    "{}",
    "\\",
    "numeric",
    "symbolic",
    "both",
    "forward",
    "backward",
    "chain",
    "local",
];

fn number(rng: &mut Rng) -> Value {
    let x: f64 = match rng.below(14) {
        0 => 0.0,
        1 => -0.0,
        2 => 1e308,
        3 => -1e308,
        4 => 5e-324,
        5 => f64::MAX,
        6 => f64::MIN_POSITIVE,
        7 => 1e-300,
        8 => -(rng.below(1000) as f64),
        9 => 2f64.powi(63),
        10 => 1e20,
        _ => (rng.below(2001) as f64 - 1000.0) / 100.0,
    };
    if rng.chance(10) {
        return json!(u64::MAX - rng.below(3) as u64);
    }
    if rng.chance(10) {
        return json!(-(rng.below(1 << 20) as i64));
    }
    json!(x)
}

fn string(rng: &mut Rng) -> String {
    match rng.below(6) {
        0 => format!("{}{}", rng.pick(STRINGS), rng.pick(STRINGS)),
        1 => (*rng.pick(NAMES)).to_string(),
        2 => (*rng.pick(FIELDS)).to_string(),
        3 => "ab".repeat(rng.below(60)),
        _ => (*rng.pick(STRINGS)).to_string(),
    }
}

/// A small tensor literal: a number, a vector or a matrix, sometimes ragged or empty.
fn tensor(rng: &mut Rng) -> Value {
    let small = |rng: &mut Rng| json!((rng.below(2001) as f64 - 1000.0) / 250.0);
    match rng.below(16) {
        0..=4 => small(rng),
        10..=14 => {
            let (r, c) = (1 + rng.below(3), 1 + rng.below(4));
            Value::Array(
                (0..r)
                    .map(|_| Value::Array((0..c).map(|_| small(rng)).collect()))
                    .collect(),
            )
        }
        5..=9 => Value::Array((0..1 + rng.below(4)).map(|_| small(rng)).collect()),
        _ => match rng.below(4) {
            0 => json!([]),
            1 => json!([[]]),
            2 => json!([[1, 2], [3]]),
            _ => json!([[[1.0, 2.0]], [[3.0, 4.0]]]),
        },
    }
}

fn any_value(rng: &mut Rng, depth: usize) -> Value {
    match rng.below(if depth > 3 { 4 } else { 7 }) {
        0 => Value::Null,
        1 => json!(rng.chance(50)),
        2 => number(rng),
        3 => Value::String(string(rng)),
        4 => tensor(rng),
        5 => Value::Array(
            (0..rng.below(4))
                .map(|_| any_value(rng, depth + 1))
                .collect(),
        ),
        _ => {
            let mut map = Map::new();
            for _ in 0..rng.below(4) {
                map.insert(string(rng), any_value(rng, depth + 1));
            }
            Value::Object(map)
        }
    }
}

/// A random small graph that is mostly valid: inputs and constants, then operators on
/// earlier nodes, with the optional parts of a scenario now and then.
fn random_graph(rng: &mut Rng) -> Value {
    let mut nodes = Vec::new();
    let mut ids: Vec<String> = Vec::new();
    let leaves = 1 + rng.below(4);
    for i in 0..leaves {
        let id = format!("x{i}");
        let kind = if rng.chance(75) { "input" } else { "const" };
        let value = if rng.chance(5) {
            Value::Null
        } else {
            tensor(rng)
        };
        let mut node = json!({"id": id, kind: value});
        if rng.chance(30) {
            node["label"] = Value::String(string(rng));
        }
        if rng.chance(20) {
            node["name"] = Value::String(string(rng));
        }
        nodes.push(node);
        ids.push(id);
    }
    let groups = ["g1", "g2"];
    for i in 0..1 + rng.below(7) {
        let id = format!("n{i}");
        let op = *rng.pick(NAMES);
        let arity = match op {
            "add" | "mul" => 1 + rng.below(3),
            "sub" | "div" | "matmul" | "cross_entropy" | "softmax_with_loss" => 2,
            "affine" => 3,
            "fn" => 1 + rng.below(2),
            _ => 1,
        };
        let args: Vec<Value> = (0..arity)
            .map(|_| Value::String(rng.pick(&ids).clone()))
            .collect();
        let mut node = json!({"id": id, "op": op, "args": args});
        if op == "pow" || rng.chance(3) {
            node["p"] = json!(*rng.pick(&[2.0, 0.5, -1.0, 3.0, 0.0]));
        }
        if (op == "sum" && rng.chance(60)) || rng.chance(3) {
            node["axis"] = json!(rng.below(3));
        }
        if rng.chance(15) {
            node["label"] = Value::String(string(rng));
        }
        if rng.chance(10) {
            node["symbol"] = Value::String(string(rng));
        }
        if rng.chance(15) {
            node["name"] = Value::String(string(rng));
        }
        if rng.chance(25) {
            node["group"] = json!(*rng.pick(&groups));
        }
        nodes.push(node);
        ids.push(id);
    }
    let mut scenario = json!({"title": string(rng), "nodes": nodes});
    if rng.chance(20) {
        scenario["output"] = Value::String(rng.pick(&ids).clone());
    }
    if rng.chance(15) {
        scenario["seed"] = tensor(rng);
    }
    if rng.chance(25) {
        scenario["annotate"] = json!(*rng.pick(&["numeric", "symbolic", "both"]));
    }
    if rng.chance(20) {
        scenario["symbolic"] = json!({
            "style": *rng.pick(&["local", "chain"]),
            "ones": rng.chance(50),
            "loss": string(rng),
        });
    }
    if rng.chance(20) {
        scenario["groups"] = json!({"g1": {"label": string(rng), "derivative": string(rng)}});
    }
    if rng.chance(20) {
        let from = rng.pick(&ids).clone();
        let to = rng.pick(&ids).clone();
        scenario["labels"] =
            json!([{"from": from, "to": to, "forward": string(rng), "backward": string(rng)}]);
    }
    if rng.chance(20) {
        scenario["figures"] = json!([{
            "name": "f",
            "view": *rng.pick(&["forward", "backward"]),
            "collapse": rng.chance(50),
            "highlight": [rng.pick(&ids).clone()],
        }]);
    }
    if rng.chance(20) {
        scenario["figures"] = json!([{"name": "s", "step": rng.below(ids.len() + 2)}]);
    }
    scenario
}

/// Every place in `value`: the path of keys and indices to it.
fn places(value: &Value, path: &mut Vec<Step>, out: &mut Vec<Vec<Step>>) {
    out.push(path.clone());
    match value {
        Value::Array(items) => {
            for (i, item) in items.iter().enumerate() {
                path.push(Step::Index(i));
                places(item, path, out);
                path.pop();
            }
        }
        Value::Object(map) => {
            for (k, item) in map {
                path.push(Step::Key(k.clone()));
                places(item, path, out);
                path.pop();
            }
        }
        _ => {}
    }
}

#[derive(Debug, Clone)]
enum Step {
    Key(String),
    Index(usize),
}

fn at<'a>(value: &'a mut Value, path: &[Step]) -> &'a mut Value {
    path.iter().fold(value, |v, step| match step {
        Step::Key(k) => &mut v[k.as_str()],
        Step::Index(i) => &mut v[*i],
    })
}

/// One random change to `scenario`.
fn mutate(rng: &mut Rng, scenario: &mut Value) {
    // Changes that know what a scenario is.
    let node_count = scenario["nodes"].as_array().map_or(0, Vec::len);
    if node_count > 0 && rng.chance(45) {
        let ids: Vec<Value> = scenario["nodes"]
            .as_array()
            .unwrap()
            .iter()
            .map(|n| n["id"].clone())
            .collect();
        let i = rng.below(node_count);
        if rng.chance(10) {
            scenario["output"] = ids[rng.below(node_count)].clone();
            return;
        }
        let node = &mut scenario["nodes"][i];
        if !node.is_object() {
            return;
        }
        match rng.below(8) {
            // An unknown or another operator.
            0 => node["op"] = Value::String(string(rng)),
            1 => node["op"] = json!(*rng.pick(NAMES)),
            // Arguments: a cycle through itself or a later node, many, none, dangling.
            2 => node["args"] = json!([ids[i].clone()]),
            3 => {
                let j = rng.below(node_count);
                node["args"] = json!([ids[j].clone(), ids[rng.below(node_count)].clone()]);
            }
            4 => {
                let many: Vec<Value> = (0..rng.below(40))
                    .map(|_| ids[rng.below(node_count)].clone())
                    .collect();
                node["args"] = Value::Array(many);
            }
            5 => node["id"] = Value::String(string(rng)),
            6 => node["id"] = ids[rng.below(node_count)].clone(),
            // A value of another kind.
            _ => {
                let kind = *rng.pick(&["input", "const"]);
                node[kind] = tensor(rng);
            }
        }
        return;
    }
    if rng.chance(5) {
        // Deep nesting somewhere.
        let mut paths = Vec::new();
        places(scenario, &mut Vec::new(), &mut paths);
        let path = rng.pick(&paths).clone();
        let target = at(scenario, &path);
        for _ in 0..1 + rng.below(200) {
            *target = json!([target.take()]);
        }
        return;
    }
    let mut paths = Vec::new();
    places(scenario, &mut Vec::new(), &mut paths);
    let path = rng.pick(&paths).clone();
    let (parent_path, last) = match path.split_last() {
        Some((last, parent)) => (parent.to_vec(), Some(last.clone())),
        None => (Vec::new(), None),
    };
    match rng.below(6) {
        // Drop it.
        0 => {
            let parent = at(scenario, &parent_path);
            match (parent, last) {
                (Value::Object(map), Some(Step::Key(k))) => {
                    map.shift_remove(&k);
                }
                (Value::Array(items), Some(Step::Index(i))) => {
                    items.remove(i);
                }
                _ => {}
            }
        }
        // Duplicate it (in an array) or rename it (in an object).
        1 => {
            let parent = at(scenario, &parent_path);
            match (parent, last) {
                (Value::Object(map), Some(Step::Key(k))) => {
                    if let Some(v) = map.shift_remove(&k) {
                        let key = if rng.chance(50) {
                            (*rng.pick(FIELDS)).to_string()
                        } else {
                            string(rng)
                        };
                        map.insert(key, v);
                    }
                }
                (Value::Array(items), Some(Step::Index(i))) => {
                    let copy = items[i].clone();
                    items.insert(i, copy);
                }
                _ => {}
            }
        }
        // Insert a field, known or not.
        2 => {
            if let Value::Object(map) = at(scenario, &path) {
                let key = if rng.chance(70) {
                    (*rng.pick(FIELDS)).to_string()
                } else {
                    string(rng)
                };
                map.insert(key, any_value(rng, 0));
            }
        }
        // Another type, or a nasty number or string.
        3 => *at(scenario, &path) = any_value(rng, 0),
        4 => *at(scenario, &path) = number(rng),
        _ => *at(scenario, &path) = Value::String(string(rng)),
    }
}

/// Now and then, the text itself: cut short, a character dropped or inserted.
fn mutate_text(rng: &mut Rng, text: &mut String) {
    let cut = |text: &String, at: usize| {
        let mut at = at.min(text.len());
        while !text.is_char_boundary(at) {
            at -= 1;
        }
        at
    };
    let i = cut(text, rng.below(text.len() + 1));
    match rng.below(3) {
        0 => text.truncate(i),
        1 => {
            let c = *rng.pick(&['"', '{', ']', '\\', ',', '\u{0}', 'é', '1', '-', 'e']);
            text.insert(i, c);
        }
        _ => {
            if i < text.len() {
                text.remove(i);
            }
        }
    }
}

fn random_look(rng: &mut Rng) -> Look {
    Look {
        view: if rng.chance(70) {
            View::Backward
        } else {
            View::Forward
        },
        annotate: *rng.pick(&[
            None,
            None,
            Some(Annotate::Numeric),
            Some(Annotate::Symbolic),
            Some(Annotate::Both),
        ]),
        collapse: rng.chance(20),
        edge_labels_up_to: if rng.chance(10) {
            rng.below(4)
        } else {
            chainrule::draw::EDGE_LABELS_UP_TO
        },
    }
}

/// Case `case` of seed `seed`: its text and look.
fn case_input(seeds: &[Value], seed: u64, case: u64) -> (String, Look) {
    let mut rng = Rng::new(seed, case);
    let mut scenario = if rng.chance(45) || seeds.is_empty() {
        random_graph(&mut rng)
    } else {
        rng.pick(seeds).clone()
    };
    let mutations = match rng.below(20) {
        0..=6 => 0,
        7..=15 => 1,
        16..=18 => 2 + rng.below(2),
        _ => 4 + rng.below(6),
    };
    for _ in 0..mutations {
        mutate(&mut rng, &mut scenario);
    }
    let mut text = if rng.chance(50) {
        serde_json::to_string_pretty(&scenario).unwrap()
    } else {
        scenario.to_string()
    };
    if rng.chance(4) {
        mutate_text(&mut rng, &mut text);
    }
    (text, random_look(&mut rng))
}

// ---------------------------------------------------------------------------------------------
// Minimising: drop and simplify parts of the JSON while it still panics at the same place.

fn minimise(text: &str, look: Look, place: &str) -> String {
    let still = |t: &str| check(t, look).is_some_and(|p| p.place == place);
    let Ok(mut value) = serde_json::from_str::<Value>(text) else {
        return text.to_string();
    };
    let mut budget = 400;
    loop {
        let mut smaller = false;
        let mut paths = Vec::new();
        places(&value, &mut Vec::new(), &mut paths);
        // Shallowest first, so that whole nodes go before their fields.
        paths.sort_by_key(Vec::len);
        for path in paths {
            let Some((last, parent)) = path.split_last() else {
                continue;
            };
            let mut candidate = value.clone();
            let gone = match (at(&mut candidate, parent), last) {
                (Value::Object(map), Step::Key(k)) => map.shift_remove(k).is_some(),
                (Value::Array(items), Step::Index(i)) if *i < items.len() => {
                    items.remove(*i);
                    true
                }
                _ => false,
            };
            if !gone {
                continue;
            }
            budget -= 1;
            if budget == 0 {
                return serde_json::to_string_pretty(&value).unwrap();
            }
            if still(&candidate.to_string()) {
                value = candidate;
                smaller = true;
                break;
            }
        }
        if !smaller {
            return serde_json::to_string_pretty(&value).unwrap();
        }
    }
}

// ---------------------------------------------------------------------------------------------
// The corpus.

fn corpus_files(dir: &Path) -> Vec<PathBuf> {
    let mut files: Vec<_> = std::fs::read_dir(dir)
        .map(|d| {
            d.map(|e| e.expect("entry").path())
                .filter(|p| p.extension().is_some_and(|e| e == "json"))
                .collect()
        })
        .unwrap_or_default();
    files.sort();
    files
}

fn read(path: &Path) -> String {
    // Lossy: a corpus file may hold what a scenario must not (it is still read as text).
    String::from_utf8_lossy(&std::fs::read(path).expect("corpus file")).into_owned()
}

/// The look a corpus file asks for in its name: `…-forward`, `…-symbolic`, `…-both`,
/// `…-numeric`, `…-collapse`, `…-nolabels` anywhere in the stem.
fn look_of(path: &Path) -> Look {
    let stem = path.file_stem().unwrap().to_string_lossy();
    let mut look = Look::default();
    for part in stem.split(['-', '.']) {
        match part {
            "forward" => look.view = View::Forward,
            "symbolic" => look.annotate = Some(Annotate::Symbolic),
            "both" => look.annotate = Some(Annotate::Both),
            "numeric" => look.annotate = Some(Annotate::Numeric),
            "collapse" => look.collapse = true,
            "nolabels" => look.edge_labels_up_to = 0,
            _ => {}
        }
    }
    look
}

#[test]
fn the_corpus_does_not_panic() {
    let files = corpus_files(Path::new(CORPUS));
    assert!(files.len() >= 16, "{files:?}");
    let mut failures = Vec::new();
    for path in files {
        for look in [
            look_of(&path),
            Look {
                view: View::Forward,
                annotate: Some(Annotate::Both),
                collapse: true,
                edge_labels_up_to: 1,
            },
        ] {
            if let Some(p) = check(&read(&path), look) {
                failures.push(format!(
                    "{} ({look:?}): panicked at {}: {}",
                    path.display(),
                    p.place,
                    p.message
                ));
            }
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn fuzzed_scenarios_do_not_panic() {
    let cases: u64 = std::env::var("FUZZ_CASES")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(10_000);
    let seed: u64 = std::env::var("FUZZ_SEED")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(0x00C4_A1A5);
    let mut seeds: Vec<Value> = Vec::new();
    for dir in ["scenarios", CORPUS] {
        for path in corpus_files(Path::new(dir)) {
            if let Ok(v) = serde_json::from_str(&read(&path)) {
                seeds.push(v);
            }
        }
    }
    let mut found: BTreeMap<String, (Panic, u64, String, Look)> = BTreeMap::new();
    let mut hits: BTreeMap<String, usize> = BTreeMap::new();
    let start = std::time::Instant::now();
    for case in 0..cases {
        let (text, look) = case_input(&seeds, seed, case);
        let Some(p) = check(&text, look) else {
            continue;
        };
        *hits.entry(p.place.clone()).or_default() += 1;
        found
            .entry(p.place.clone())
            .or_insert_with(|| (p, case, text, look));
    }
    let elapsed = start.elapsed();
    let [parsed, evaluated, drawn] = REACHED.with(Cell::get);
    let out = Path::new(env!("CARGO_TARGET_TMPDIR")).join("fuzz-found");
    let mut report = Vec::new();
    for (place, (p, case, text, look)) in &found {
        let small = minimise(text, *look, place);
        std::fs::create_dir_all(&out).expect("fuzz-found");
        let file = out.join(format!("seed{seed}-case{case}.json"));
        std::fs::write(&file, &small).expect("write");
        report.push(format!(
            "{} cases panic at {place}: {}\n  first: case {case}, look {look:?}, minimised in {}",
            hits[place],
            p.message,
            file.display()
        ));
    }
    let distinct: BTreeSet<_> = found.keys().collect();
    eprintln!(
        "fuzz: {cases} cases (seed {seed}) in {:.1} s ({parsed} parsed, {evaluated} evaluated, {drawn} drawn): {} panics at {} places",
        elapsed.as_secs_f64(),
        hits.values().sum::<usize>(),
        distinct.len(),
    );
    assert!(report.is_empty(), "{}", report.join("\n"));
}
