//! Gradients that add up, shown: a value used more than once has its gradient written under
//! the node as the sum of what arrives (`4 + 1 = 5`, `y + 1`, `y + 1 = 5`), in figures, in
//! the frame where the last contribution arrives and after it, in `eval --steps` (English and
//! Chinese) and in DOT; and every sum is the node's gradient.

use std::collections::BTreeSet;
use std::path::Path;
use std::process::Command;

use chainrule::core::engine::{self, Evaluated, Number};
use chainrule::core::generate::{self, Activation};
use chainrule::core::load;
use chainrule::core::model::Kind;
use chainrule::core::scenario::{Annotate, Pass, View};
use chainrule::draw::scene::{Scene, Style, Text};
use chainrule::draw::sequence::sequence;
use chainrule::draw::texts::Texts;
use chainrule::draw::{DrawOptions, Drawing, Figure};
use chainrule::layout::diagram::NOTE_GAP;
use chainrule::text::report;
use chainrule::text::steps::Lang;
use petgraph::graph::NodeIndex;
use petgraph::Direction;

const SCENARIO: &str = "scenarios/accumulation.json";

fn drawing(annotate: Annotate) -> Drawing {
    let path = Path::new(SCENARIO);
    let model = load::model(path).unwrap();
    let trace = load::evaluate(path, &model).unwrap();
    let options = DrawOptions {
        annotate: Some(annotate),
        ..DrawOptions::default()
    };
    Drawing::with_options(model, trace, &options)
}

fn backward(highlight: Option<BTreeSet<NodeIndex>>) -> Figure {
    Figure {
        file_stem: "accumulation".to_string(),
        view: View::Backward,
        highlight,
        annotate: None,
        style: None,
        collapse: false,
        step: None,
    }
}

/// The texts of a scene drawn bold in the gradients' colour, as they read.
fn gradients(scene: &Scene) -> Vec<&Text> {
    let red = Style::default().gradient;
    scene
        .texts
        .iter()
        .filter(|t| t.bold && t.colour == red)
        .collect()
}

fn find<'a>(scene: &'a Scene, content: &str) -> Option<&'a Text> {
    gradients(scene).into_iter().find(|t| t.content == content)
}

#[test]
fn x_collects_its_two_contributions_under_its_name() {
    for (annotate, sum) in [
        (Annotate::Numeric, "4 + 1 = 5"),
        (Annotate::Symbolic, "y + 1"),
        (Annotate::Both, "y + 1 = 5"),
    ] {
        let drawing = drawing(annotate);
        let x = drawing.model().find("x").unwrap().index();
        let scene = drawing.scene(&backward(None));
        let text = find(&scene, sum).unwrap_or_else(|| panic!("{annotate:?}: no {sum:?}"));
        // Under the name, ending a little before it ends (clear of its arrows), NOTE_GAP
        // under its box.
        let name = drawing.diagram().nodes[x].rect();
        assert!(text.rect.x1 < name.x1 && text.rect.x1 > name.x1 - 10.0);
        assert!((text.rect.y0 - (name.y1 + NOTE_GAP)).abs() < 1e-9);
        assert_eq!(
            text.formula.is_some(),
            annotate != Annotate::Numeric,
            "{annotate:?}: symbols are typeset"
        );
        // Only x is used twice.
        let sums = gradients(&scene)
            .into_iter()
            .filter(|t| t.content.contains('+'))
            .count();
        assert_eq!(sums, 1, "{annotate:?}");
    }
}

#[test]
fn the_sum_is_drawn_only_where_every_contribution_is() {
    let drawing = drawing(Annotate::Numeric);
    let forward = Figure {
        view: View::Forward,
        ..backward(None)
    };
    assert!(find(&drawing.scene(&forward), "4 + 1 = 5").is_none());
    // Lit: x, y and x·y; the contribution that x's other use, +, sends is not drawn.
    let lit = ["x", "y", "xy"]
        .iter()
        .map(|id| drawing.model().find(id).unwrap())
        .collect();
    let scene = drawing.scene(&backward(Some(lit)));
    assert!(find(&scene, "4").is_some());
    assert!(find(&scene, "4 + 1 = 5").is_none());
}

#[test]
fn the_frame_where_the_last_contribution_arrives_shows_the_sum() {
    let drawing = drawing(Annotate::Numeric);
    let x = drawing.model().find("x").unwrap().index();
    let frames = sequence(&drawing, Pass::Backward, 4, Lang::En);
    assert_eq!(frames.len(), 4, "forward done, seed, +, ×");
    for (k, frame) in frames.iter().enumerate() {
        assert_eq!(frame.sums.contains(&x), k >= 3, "frame {k}");
        assert_eq!(frame.fresh_sums.contains(&x), k == 3, "frame {k}");
        let caption = frame.caption.join(" ");
        assert_eq!(caption.contains("collects"), k == 3, "frame {k}: {caption}");
    }
    assert_eq!(
        frames[3].caption.join(" "),
        "the × node got 1 from above; sends 1 × 4 = 4 to x and 1 × 3 = 3 to y; x collects 4 + 1 = 5"
    );
    // Pointed out as new labels are.
    let scene = drawing.draw(&frames[3]);
    let sum = find(&scene, "4 + 1 = 5").expect("the sum in frame 3");
    assert!(scene.marks.contains(&sum.rect.grown(2.0)));
    let zh = sequence(&drawing, Pass::Backward, 4, Lang::Zh);
    assert!(zh[3].caption.join(" ").ends_with("；x 共得到 4 + 1 = 5"));
    let symbolic = self::drawing(Annotate::Symbolic);
    let frames = sequence(&symbolic, Pass::Backward, 4, Lang::En);
    assert!(frames[3].caption.join(" ").ends_with("; x collects y + 1"));
}

fn chainrule(args: &[&str]) -> String {
    let out = Command::new(env!("CARGO_BIN_EXE_chainrule"))
        .args(args)
        .output()
        .expect("run chainrule");
    crate::succeeded(&out, &format!("chainrule {args:?}"));
    String::from_utf8(out.stdout).expect("UTF-8")
}

#[test]
fn eval_steps_says_what_x_collects() {
    let en = chainrule(&["eval", SCENARIO, "--steps"]);
    assert_eq!(
        en.lines().collect::<Vec<_>>(),
        [
            "step 1: f starts with the seed 1",
            "step 2: the + node (f) got 1 from above; sends 1 × 1 = 1 to the × node (xy) and 1 × 1 = 1 to x",
            "step 3: the × node (xy) got 1 from above; sends 1 × 4 = 4 to x and 1 × 3 = 3 to y; x collects 4 + 1 = 5",
        ]
    );
    let zh = chainrule(&["eval", SCENARIO, "--steps", "--lang", "zh"]);
    assert!(
        zh.lines()
            .nth(2)
            .is_some_and(|l| l.ends_with("；x 共得到 4 + 1 = 5")),
        "{zh}"
    );
    // The table agrees: x's gradient is 5.
    let table = chainrule(&["eval", SCENARIO]);
    assert!(table
        .lines()
        .any(|l| l.split_whitespace().collect::<Vec<_>>() == ["x", "input", "3", "5"]));
}

#[test]
fn dot_writes_the_sum_at_the_node() {
    let dir = std::env::temp_dir().join(format!("chainrule-accumulation-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    let out = dir.to_str().expect("UTF-8 temp dir");
    chainrule(&["render", SCENARIO, "-o", out, "--format", "dot"]);
    let dot = std::fs::read_to_string(dir.join("accumulation-numeric.dot")).unwrap();
    std::fs::remove_dir_all(&dir).unwrap();
    let x = dot.lines().find(|l| l.contains("comment=\"x\"")).unwrap();
    assert!(
        x.contains("xlabel=<<FONT COLOR=\"#d62728\"><B>4 + 1 = 5</B></FONT>>"),
        "{x}"
    );
    assert_eq!(dot.matches("xlabel").count(), 1);
}

/// Reads a sum as written (`1.5 + 2 − 0.25 = 3.25`): its terms and its total.
fn read_sum(text: &str) -> (Vec<f64>, f64) {
    let number = |s: &str| s.replace('−', "-").parse::<f64>().unwrap();
    let (terms, total) = text.rsplit_once(" = ").expect("a total");
    let terms = terms
        .replace(" − ", " + −")
        .split(" + ")
        .map(number)
        .collect();
    (terms, number(total))
}

/// Whether `terms` written with `digits` significant digits add up to `grad` written so.
fn adds_up(terms: &[f64], total: f64, grad: f64, digits: i32) -> bool {
    let rounding = 10f64.powi(1 - digits);
    let scale: f64 = terms.iter().map(|t| t.abs()).sum();
    (total - grad).abs() <= rounding * grad.abs()
        && (terms.iter().sum::<f64>() - grad).abs() <= rounding * (scale + grad.abs())
}

/// In a network every input and hidden unit feeds each unit of the next layer. The sum at
/// each, as `eval --steps` writes it with 12 digits and as the figure writes it with 4, adds
/// up to the gradient that the scalar engine (a path of its own) computes, term by term,
/// one term per use.
#[test]
fn every_sum_in_a_network_adds_up_to_the_gradient() {
    for sizes in [&[2, 2, 2, 1][..], &[3, 4, 4, 2][..]] {
        let path = Path::new("mlp.json");
        let text = generate::to_text(&generate::mlp(sizes, Activation::Tanh, 7).unwrap());
        let model = load::parse(path, &text).unwrap();
        let trace = load::evaluate(path, &model).unwrap();
        let numbers = engine::numbers(&model).unwrap();
        let grad = |n: NodeIndex| match numbers.grad(n.index()) {
            Number::Scalar(g) => g,
            Number::Tensor(_) => panic!("an MLP of scalars"),
        };
        let used_often: BTreeSet<NodeIndex> = model
            .graph
            .node_indices()
            .filter(|&n| !matches!(model.graph[n].kind, Kind::Const(_)))
            .filter(|&n| {
                model
                    .graph
                    .neighbors_directed(n, Direction::Outgoing)
                    .count()
                    > 1
            })
            .collect();
        let uses = |n: NodeIndex| {
            model
                .graph
                .neighbors_directed(n, Direction::Outgoing)
                .count()
        };
        // The inputs and the hidden units of each layer that feeds more than one unit.
        let feeding: usize = sizes.windows(2).filter(|w| w[1] > 1).map(|w| w[0]).sum();
        assert_eq!(used_often.len(), feeding, "{sizes:?}: {used_often:?}");

        let steps = report::steps(&model, &trace, 12, Lang::En);
        let mut collected = BTreeSet::new();
        for clause in steps.lines().flat_map(|l| l.split("; ")) {
            let Some((called, sum)) = clause.split_once(" collects ") else {
                continue;
            };
            // An input by its id, a hidden unit as `the σ node (h1_2)`.
            let id = called
                .split_once(" (")
                .map_or(called, |(_, id)| id.trim_end_matches(')'));
            let n = model.find(id).unwrap();
            let (terms, total) = read_sum(sum);
            assert_eq!(terms.len(), uses(n), "{id}: {sum}");
            assert!(
                adds_up(&terms, total, grad(n), 12),
                "{id}: {sum} vs {}",
                grad(n)
            );
            assert!(collected.insert(n), "{id} collects twice");
        }
        assert_eq!(collected, used_often, "{sizes:?}");

        let texts = Texts::new(&model, &trace, 4);
        let mut written = 0;
        for &n in &used_often {
            let sum = &texts.sums[n.index()];
            let want = chainrule::text::format::number(grad(n), 4);
            assert!(sum.ends_with(&format!(" = {want}")), "{sum} vs {want}");
            if !sum.starts_with("Σ = ") {
                let (terms, total) = read_sum(sum);
                assert_eq!(terms.len(), uses(n), "{sum}");
                assert!(adds_up(&terms, total, grad(n), 4), "{sum} vs {}", grad(n));
                written += 1;
            }
        }
        assert_eq!(
            texts.sums.iter().filter(|s| !s.is_empty()).count(),
            used_often.len()
        );
        if sizes[1] == 2 {
            assert!(written > 0, "{sizes:?}: sums of two terms are written out");
        }
    }
}
