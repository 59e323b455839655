//! The playground page (`playground/build.sh` → `target/playground/index.html`) in a real
//! browser: Debian's headless Chromium, driven by Playwright (`tests/browser/playground.mjs`),
//! as a student uses it. Its figures must be byte for byte what `chainrule render` writes for
//! every shipped scenario and for the CS231n example typed in, before and after x changes;
//! its steps, quiz, shared URL, errors and PNG must work; and it must request nothing.
//!
//! Needs `chromium` (apt), `npm ci --prefix tests/browser` and the built page, all of which
//! `.ci/run` makes. Where they are missing the test says so and passes, except under CI (`CI`
//! set), where it fails.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use chainrule::core::scenario::View;
use chainrule::pipeline::figures::{self, FigureOptions, Format};
use chainrule::text::format::number;
use chainrule::{Annotate, Lang, Scenario};

/// The CS231n lecture's example, f = (x + y)·z at x = −2, y = 5, z = −4, as the page's editor
/// gets it (the test script edits its `"op": "mul"` and the `}` after z's value).
const CS231N: &str = r#"{
  "title": "CS231n: f = (x + y) z",
  "nodes": [
    {"id": "x", "input": -2},
    {"id": "y", "input": 5},
    {"id": "z", "input": -4},
    {"id": "q", "op": "add", "args": ["x", "y"]},
    {"id": "f", "op": "mul", "args": ["q", "z"]}
  ],
  "output": "f"
}"#;

/// The same example in the text format (the test script replaces `f = q * z` with an unknown
/// function).
const CS231N_TEXT: &str = "title \"CS231n: f = (x + y) z\"
x = -2
y = 5
z = -4
q = x + y
f = q * z
";

/// What `chainrule render --view VIEW [--annotate ANNOTATE] --format svg` writes for the
/// scenario at `path`, or its error.
fn render(path: &Path, view: View, annotate: Option<Annotate>) -> Result<String, chainrule::Error> {
    let options = FigureOptions {
        formats: [Format::Svg].into_iter().collect(),
        view: Some(view),
        annotate,
        ..FigureOptions::default()
    };
    let report = figures::render(path, &options)?;
    assert_eq!(report.files.len(), 1);
    Ok(String::from_utf8(report.files[0].bytes.clone()).unwrap())
}

/// What `chainrule render --view VIEW --format svg` writes for the scenario at `path`.
fn rendered(path: &Path, view: View) -> String {
    render(path, view, None).unwrap()
}

/// The texts of `svg` (from the page) as a sorted list.
fn sorted(texts: &serde_json::Value) -> Vec<String> {
    let mut texts: Vec<String> = texts
        .as_array()
        .unwrap()
        .iter()
        .map(|t| t.as_str().unwrap().to_string())
        .collect();
    texts.sort();
    texts
}

fn numbers(values: &[f64]) -> Vec<String> {
    let mut texts: Vec<String> = values.iter().map(|&v| number(v, 4)).collect();
    texts.sort();
    texts
}

#[test]
fn the_playground_in_chromium() {
    let page = Path::new("target/playground/index.html");
    if !crate::browser::can_drive() || !page.exists() {
        let why = "needs chromium, `npm ci --prefix tests/browser` and `playground/build.sh` (see .ci/run)";
        crate::skip("playground", why);
        return;
    }
    let page = std::fs::canonicalize(page).unwrap();
    let dir = std::env::temp_dir().join(format!("chainrule-playground-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let cs231n = dir.join("cs231n.json");
    std::fs::write(&cs231n, CS231N).unwrap();
    let moved = dir.join("cs231n-x1.json");
    let x1 = CS231N.replace(r#""x", "input": -2"#, r#""x", "input": 1"#);
    std::fs::write(&moved, &x1).unwrap();
    let text = dir.join("cs231n.chain");
    std::fs::write(&text, CS231N_TEXT).unwrap();
    let large = dir.join("large.json");
    let chain = chainrule::core::generate::chain(450).unwrap();
    std::fs::write(&large, chainrule::core::generate::to_text(&chain)).unwrap();

    let shots = PathBuf::from(env!("CARGO_TARGET_TMPDIR"));
    let seen = crate::browser::drive(
        "playground.mjs",
        &[
            page.as_os_str(),
            cs231n.as_os_str(),
            text.as_os_str(),
            large.as_os_str(),
            shots.as_os_str(),
        ],
    );
    assert_eq!(seen["errors"], serde_json::json!([]), "errors on the page");

    // Every shipped scenario is in the examples menu, and its figures are the command line's.
    let mut shipped: Vec<String> = std::fs::read_dir("scenarios")
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| !n.starts_with('.'))
        .collect();
    shipped.sort();
    assert_eq!(seen["examples"], serde_json::json!(shipped));
    // Where the command line fails (numbers asked of a scenario without them), the page says
    // what it says, naming the page's text instead of the file.
    let labels = [
        ("", None),
        ("numeric", Some(Annotate::Numeric)),
        ("symbolic", Some(Annotate::Symbolic)),
        ("both", Some(Annotate::Both)),
    ];
    let mut errors = 0;
    for name in &shipped {
        let path = Path::new("scenarios").join(name);
        for (view, word) in [(View::Forward, "forward"), (View::Backward, "backward")] {
            for (label, annotate) in labels {
                let on_page = &seen["figures"][format!("{name}:{word}:{label}")];
                match render(&path, view, annotate) {
                    Ok(svg) => assert!(
                        on_page["svg"].as_str() == Some(svg.as_str()),
                        "{name}, {word}, {label}: the page's SVG differs from chainrule render's"
                    ),
                    Err(error) => {
                        errors += 1;
                        let message = error.to_string();
                        let said = message
                            .strip_prefix(&format!("{}: ", path.display()))
                            .unwrap();
                        let shown = on_page["error"].as_str().unwrap_or_default();
                        assert!(
                            shown.starts_with(&format!("<json>: {said}")),
                            "{name}, {word}, {label}: {shown}"
                        );
                    }
                }
            }
        }
    }
    assert!(errors > 0, "no shipped scenario lacks numbers any more");

    // The CS231n example typed in: the command line's figure, and its gradients.
    assert_eq!(seen["inputs"], serde_json::json!(["x", "y", "z"]));
    assert!(seen["typed"]["svg"].as_str() == Some(&rendered(&cs231n, View::Backward)));
    assert_eq!(
        sorted(&seen["typed"]["gradients"]),
        numbers(&[-4.0, -4.0, -4.0, 3.0, 1.0])
    );
    // x changed to 1: q = 6, so z's gradient is 6, and the figure is the CLI's for x = 1.
    assert!(seen["changed"]["svg"].as_str() == Some(&rendered(&moved, View::Backward)));
    assert_eq!(
        sorted(&seen["changed"]["gradients"]),
        numbers(&[-4.0, -4.0, -4.0, 6.0, 1.0])
    );
    assert_eq!(seen["slider"], "1");
    // Clicking x: only the gradients on x → q → f (and the seed); clicking again: all.
    assert_eq!(
        sorted(&seen["clicked"]["gradients"]),
        numbers(&[-4.0, -4.0, 1.0])
    );
    assert!(seen["clicked"]["note"]
        .as_str()
        .unwrap()
        .contains("through x"));
    assert_eq!(seen["unclicked"]["gradients"], seen["changed"]["gradients"]);

    // Stepping: the frames and sentences of the library's backward pass, on that layout.
    let mut scenario = Scenario::from_json(CS231N).unwrap();
    scenario.set_input("x", 1.0).unwrap();
    let live = scenario.figure().live().unwrap();
    let frames = live.frames(Lang::En);
    let last = frames.len() - 1;
    for (seen, k) in seen["steps"].as_array().unwrap().iter().zip([0, 1, 2, 1]) {
        assert_eq!(seen["counter"], format!("step {k} of {last}").as_str());
        assert_eq!(seen["sentence"], frames[k].sentence.as_str());
        assert!(
            seen["svg"].as_str() == Some(frames[k].svg.as_str()),
            "frame {k}"
        );
    }

    assert_eq!(
        seen["played"]["counter"],
        format!("step 2 of {last}").as_str()
    );
    assert_eq!(seen["played"]["button"], "Play");

    // The quiz: four blanks, the seed given; a wrong answer marked, a hint, a right answer.
    let blanks = live.blanks();
    let quiz = &seen["quiz"];
    assert_eq!(quiz["blanks"], serde_json::json!([0, 1, 2, 3]));
    assert_eq!(sorted(&quiz["gradients"]), numbers(&[1.0]));
    assert_eq!(quiz["wrong"]["score"], "Score: 0 of 4 right, 1 wrong.");
    assert_eq!(quiz["wrong"]["marked"], true);
    assert_eq!(quiz["hint"], format!("Hint: {}", blanks[3].hint).as_str());
    assert!(blanks[3].hint.contains("the local derivative here is 6"));
    assert_eq!(quiz["right"]["score"], "Score: 1 of 4 right, 1 wrong.");
    assert_eq!(quiz["right"]["blanks"], serde_json::json!([0, 1, 2]));
    assert_eq!(sorted(&quiz["right"]["gradients"]), numbers(&[1.0, 6.0]));

    // The shared URL opens the same state.
    assert_eq!(seen["reopened"]["svg"], seen["shared"]["svg"]);
    assert_eq!(seen["reopened"]["text"], seen["shared"]["text"]);
    assert_eq!(seen["reopened"]["x"], "1");
    assert_eq!(seen["reopened"]["annotate"], "both");

    // The SVG downloaded is the figure shown; the PNG is a PNG.
    assert_eq!(seen["download"]["name"], "cs231n-f-x-y-z.svg");
    assert_eq!(seen["download"]["same"], true);
    assert!(seen["png"]["size"].as_u64().unwrap() > 1000);
    assert_eq!(
        seen["png"]["head"],
        serde_json::json!([137, 80, 78, 71, 13, 10, 26, 10])
    );

    // Bad input: the command line's message, at its line; the last figure kept.
    let unknown = CS231N.replace(r#""op": "mul""#, r#""op": "mull""#);
    let message = Scenario::from_json(&unknown).unwrap_err().to_string();
    let error = seen["unknownOp"]["error"].as_str().unwrap();
    assert!(error.starts_with(&message), "{error} / {message}");
    assert_eq!(seen["unknownOp"]["bad"], serde_json::json!(["8"]));
    assert_eq!(seen["unknownOp"]["kept"], true);
    let broken = CS231N.replace(r#""z", "input": -4}"#, r#""z", "input": -4"#);
    let error = Scenario::from_json(&broken).unwrap_err();
    let chainrule::Error::Syntax { line, .. } = &error else {
        panic!("not a syntax error: {error}")
    };
    assert!(seen["syntax"]["error"]
        .as_str()
        .unwrap()
        .starts_with(&error.to_string()));
    assert_eq!(seen["syntax"]["bad"], serde_json::json!([line.to_string()]));
    assert_eq!(seen["syntax"]["kept"], true);
    assert_eq!(seen["fixed"]["hidden"], true);

    // The text format typed in, its x still where the field left it (1): the command line's
    // figure for that file at x = 1; a misspelt function, with the command line's message,
    // at its line (6), the figure kept; the square root of q·z < 0, at the line of f.
    let typed = &seen["text"];
    let text_x1 = dir.join("cs231n-x1.chain");
    std::fs::write(&text_x1, CS231N_TEXT.replace("x = -2", "x = 1")).unwrap();
    assert!(typed["svg"].as_str() == Some(&rendered(&text_x1, View::Backward)));
    assert_eq!(
        sorted(&typed["gradients"]),
        numbers(&[-4.0, -4.0, -4.0, 6.0, 1.0])
    );
    let misspelt = CS231N_TEXT.replace("f = q * z", "f = mull(q, z)");
    let message = Scenario::from_text(&misspelt).unwrap_err().to_string();
    let shown = typed["error"].as_str().unwrap();
    assert!(shown.contains("unknown function \"mull\""), "{shown}");
    assert!(
        shown.starts_with(message.lines().next().unwrap()),
        "{shown} / {message}"
    );
    assert_eq!(typed["bad"], serde_json::json!(["6"]));
    assert_eq!(typed["kept"], true);
    let shown = typed["numeric"]["error"].as_str().unwrap();
    assert!(shown.contains("\"f\""), "{shown}");
    assert_eq!(typed["numeric"]["bad"], serde_json::json!(["6"]));

    // Too large to draw live, until asked.
    assert_eq!(seen["large"]["shown"], true);
    assert!(seen["large"]["text"]
        .as_str()
        .unwrap()
        .contains("more than the 400 drawn live"));
    assert_eq!(seen["large"]["drew"], false);
    assert_eq!(seen["large"]["once"], true);

    // Nothing but the page itself (and the PNG's in-memory image).
    let own = format!("file://{}", page.display());
    let requests: BTreeSet<&str> = seen["requests"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r.as_str().unwrap())
        .collect();
    assert!(!requests.is_empty());
    for url in requests {
        let page_itself = url.split('#').next() == Some(own.as_str());
        assert!(
            page_itself || url.starts_with("blob:"),
            "the page requested {url}"
        );
    }
    assert!(seen["firstFigureMs"].as_f64().is_some());
    for shot in ["figure", "steps", "quiz"] {
        assert!(shots.join(format!("playground-{shot}.png")).exists());
    }
}

/// What the page's quiz accepts: 0.1% of the gradient, or of 1 below 1.
#[test]
fn the_quiz_tolerance() {
    use chainrule::live::close_enough;
    assert!(close_enough(0.1966, 0.196_612));
    assert!(!close_enough(0.2, 0.196_612));
    assert!(close_enough(-4.000_000_1, -4.0));
    assert!(close_enough(1000.9, 1000.0));
    assert!(!close_enough(1002.0, 1000.0));
    assert!(!close_enough(f64::NAN, 1.0));
    assert!(!close_enough(4.0, -4.0));
}

/// Clicking x lights x → q → f; the edge z → f lights z and f; the edge q → f lights x, y, q
/// and f; the output's own edge lights everything the output depends on.
#[test]
fn paths_through_a_node_and_an_edge() {
    use chainrule::live::{paths_through_edge, paths_through_node};
    let scenario = Scenario::from_json(CS231N).unwrap();
    let model = scenario.model();
    let ids = |nodes: BTreeSet<petgraph::graph::NodeIndex>| -> Vec<String> {
        let mut ids: Vec<String> = nodes
            .into_iter()
            .map(|n| model.graph[n].id.clone())
            .collect();
        ids.sort();
        ids
    };
    let x = model.find("x").unwrap();
    assert_eq!(ids(paths_through_node(model, x)), ["f", "q", "x"]);
    assert_eq!(ids(paths_through_edge(model, 3)), ["f", "z"]);
    assert_eq!(ids(paths_through_edge(model, 2)), ["f", "q", "x", "y"]);
    assert_eq!(ids(paths_through_edge(model, 4)), ["f", "q", "x", "y", "z"]);
}

/// Setting an input gives the figure of the file with that value; only an input holding one
/// number, set to a finite one, can be set.
#[test]
fn setting_an_input_is_editing_the_file() {
    let mut scenario = Scenario::from_json(CS231N).unwrap();
    assert_eq!(
        scenario
            .scalar_inputs()
            .iter()
            .map(|i| (i.id.as_str(), i.value))
            .collect::<Vec<_>>(),
        [("x", -2.0), ("y", 5.0), ("z", -4.0)]
    );
    scenario.set_input("x", 1.0).unwrap();
    let x1 = CS231N.replace(r#""x", "input": -2"#, r#""x", "input": 1"#);
    let file = Scenario::from_json(&x1).unwrap();
    assert_eq!(
        scenario.figure().svg().unwrap(),
        file.figure().svg().unwrap()
    );
    assert!(scenario.set_input("q", 1.0).is_err());
    assert!(scenario.set_input("nothing", 1.0).is_err());
    assert!(scenario.set_input("x", f64::INFINITY).is_err());
}

/// A quiz with every blank answered is the figure; with none, it lacks their gradients; the
/// places cover every node and edge.
#[test]
fn the_live_figure_its_quiz_and_its_places() {
    let scenario = Scenario::from_json(CS231N).unwrap();
    let live = scenario.figure().live().unwrap();
    assert_eq!(live.svg(), scenario.figure().svg().unwrap());
    let blanks = live.blanks();
    let edges: BTreeSet<usize> = blanks.iter().map(|b| b.edge).collect();
    assert_eq!(edges, BTreeSet::from([0, 1, 2, 3]));
    assert_eq!(
        blanks.iter().map(|b| b.gradient).collect::<Vec<_>>(),
        [-4.0, -4.0, -4.0, 3.0]
    );
    assert_eq!(live.quiz_svg(&edges), live.svg());
    let open = live.quiz_svg(&BTreeSet::new());
    let red_three = r##"fill="#d62728">3</text>"##;
    assert!(!open.contains(red_three) && live.svg().contains(red_three));
    assert_eq!(live.nodes().len(), 5);
    let places = live.edges();
    assert_eq!(places.len(), 5);
    assert!(places
        .iter()
        .all(|e| e.route.len() >= 2 && e.labels.len() == 2));
}
