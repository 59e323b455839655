//! Sentences name nodes as a figure shows them (issue 14, item 7): an operator as `the ×
//! node`, never by its glyph followed by an id (`− ns got …` reads "minus ns"), a constant by
//! its value, and, in captions, never by an id the figure does not show.

use std::path::Path;
use std::process::Command;

use chainrule::core::load;
use chainrule::core::model::Kind;
use chainrule::core::scenario::{Annotate, Pass};
use chainrule::draw::sequence::sequence;
use chainrule::draw::{DrawOptions, Drawing};
use chainrule::text::steps::Lang;

fn eval_steps(scenario: &str, lang: &str) -> Vec<String> {
    let out = Command::new(env!("CARGO_BIN_EXE_chainrule"))
        .args(["eval", scenario, "--steps", "--lang", lang])
        .output()
        .expect("run chainrule");
    assert!(out.status.success(), "{scenario}");
    let text = String::from_utf8(out.stdout).expect("UTF-8");
    text.lines().map(str::to_string).collect()
}

/// The scenario at `path` drawn with numbers; `None` if it has none.
fn numeric(path: &str) -> Option<Drawing> {
    let path = Path::new(path);
    let model = load::model(path).unwrap();
    let trace = load::evaluate(path, &model).ok()?;
    let options = DrawOptions {
        annotate: Some(Annotate::Numeric),
        ..DrawOptions::default()
    };
    Some(Drawing::with_options(model, trace, &options))
}

#[test]
fn eval_steps_name_operators_as_nodes_in_english() {
    let steps = eval_steps("scenarios/sigmoid.json", "en");
    assert_eq!(
        steps[1..],
        [
            "step 2: the / node (y) got 1 from above; sends 1 × −0.5344 = −0.5344 to the + node (denominator)",
            "step 3: the + node (denominator) got −0.5344 from above; sends −0.5344 × 1 = −0.5344 to the exp node (exp_neg_x) and −0.5344 × 1 = −0.5344 to the constant 1",
            "step 4: the exp node (exp_neg_x) got −0.5344 from above; sends −0.5344 × 0.3679 = −0.1966 to the × node (neg_x)",
            "step 5: the × node (neg_x) got −0.1966 from above; sends −0.1966 × −1 = 0.1966 to x and −0.1966 × 1 = −0.1966 to the constant −1",
        ]
    );
}

#[test]
fn eval_steps_name_operators_as_nodes_in_chinese() {
    let steps = eval_steps("scenarios/sigmoid.json", "zh");
    assert_eq!(
        steps[4],
        "step 5: × 节点（neg_x）从上游得到 −0.1966，传给下游：x 得到 −0.1966 × −1 = 0.1966，常数 −1 得到 −0.1966 × 1 = −0.1966"
    );
}

/// No caption of any shipped scenario names an operator by an id the figure does not show,
/// and none starts with an operator's glyph (but for the Chinese `× 节点`).
#[test]
fn captions_name_nodes_as_the_figure_shows_them() {
    let mut paths: Vec<_> = std::fs::read_dir("scenarios")
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    paths.sort();
    for path in paths {
        let path = path.to_str().unwrap();
        let Some(drawing) = numeric(path) else {
            continue;
        };
        let model = drawing.model();
        for lang in [Lang::En, Lang::Zh] {
            for frame in sequence(&drawing, Pass::Both, 4, lang) {
                let caption = frame.caption.join(" ");
                let scene = drawing.draw(&frame);
                let figure = scene.texts.iter().map(|t| t.content.as_str());
                let shown: Vec<&str> = figure
                    .filter(|t| !frame.caption.iter().any(|line| line == t))
                    .flat_map(words)
                    .collect();
                let words = words(&caption);
                for node in model.graph.node_weights() {
                    if matches!(node.kind, Kind::Op(_)) && !shown.contains(&node.id.as_str()) {
                        assert!(
                            !words.contains(&node.id.as_str()),
                            "{path}: {caption:?} names {:?}",
                            node.id
                        );
                    }
                    // `× 节点` is Chinese for "the × node".
                    let glyph = node.symbol();
                    assert!(
                        glyph.is_empty()
                            || !caption.starts_with(&format!("{glyph} "))
                            || caption.starts_with(&format!("{glyph} 节点")),
                        "{path}: {caption:?}"
                    );
                }
            }
        }
    }
}

/// The words of `text`: its runs of letters, digits and `_`.
fn words(text: &str) -> Vec<&str> {
    text.split(|c: char| !(c.is_alphanumeric() || c == '_'))
        .filter(|w| !w.is_empty())
        .collect()
}

#[test]
fn a_caption_names_the_output_by_its_label_and_a_constant_by_its_value() {
    let drawing = numeric("scenarios/apple_orange.json").unwrap();
    let frames = sequence(&drawing, Pass::Backward, 4, Lang::Zh);
    assert_eq!(
        frames[2].caption.join(" "),
        "× 节点（payment）从上游得到 1，传给下游：+ 节点 得到 1 × 1.1 = 1.1，tax 得到 1 × 650 = 650"
    );
    let sigmoid = numeric("scenarios/sigmoid.json").unwrap();
    let frames = sequence(&sigmoid, Pass::Backward, 4, Lang::En);
    assert_eq!(
        frames[5].caption.join(" "),
        "the × node got −0.1966 from above; sends −0.1966 × −1 = 0.1966 to x and −0.1966 × 1 = −0.1966 to the constant −1"
    );
    let forward = sequence(&sigmoid, Pass::Forward, 4, Lang::En);
    assert_eq!(
        forward[2].caption.join(" "),
        "the exp node computes exp(−1) = 0.3679"
    );
}
