//! `chainrule render` on the shipped scenarios: no figure has a label over another label, an
//! arrow or a node; the check catches a crowded figure; output is byte-for-byte repeatable;
//! bad input gets a clear error and leaves nothing half-written; fonts are never dropped
//! silently.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::process::Command;

use chainrule::core::load;
use chainrule::core::scenario::Annotate;
use chainrule::draw::{overlap, DrawOptions, Drawing};
use chainrule::layout::diagram::Spacing;
use chainrule::pipeline::figures::{self, FigureOptions, Format};

fn scenarios() -> Vec<PathBuf> {
    chainrule::pipeline::names::scenario_paths(&[PathBuf::from("scenarios")]).expect("scenarios/")
}

fn svg_only() -> FigureOptions {
    FigureOptions {
        formats: BTreeSet::from([Format::Svg]),
        ..FigureOptions::default()
    }
}

fn temp_dir(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("chainrule-render-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("temp dir");
    dir
}

fn chainrule(args: &[&str]) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_chainrule"))
        .args(args)
        .output()
        .expect("run chainrule")
}

#[test]
fn no_shipped_figure_has_overlapping_labels() {
    let mut figures = 0;
    for path in scenarios() {
        let report = figures::render(&path, &svg_only()).expect("renders");
        assert!(
            report.collisions.is_empty(),
            "{}: {:#?}",
            path.display(),
            report.collisions
        );
        figures += report.files.len();
    }
    assert!(figures >= 12, "only {figures} figures");
}

#[test]
fn a_crowded_figure_is_caught() {
    let path = Path::new("scenarios/apple_orange.json");
    let model = load::model(path).unwrap();
    let trace = load::evaluate(path, &model).unwrap();
    let cramped = Spacing {
        row: 20.0,
        min_edge: 4.0,
        label_margin: 0.0,
        ..Spacing::default()
    };
    let drawing = Drawing::with_options(
        model,
        trace,
        &DrawOptions {
            spacing: Some(cramped),
            ..DrawOptions::default()
        },
    );
    let figure = &drawing.figures("apple_orange", None)[0];
    let found = overlap::collisions(&drawing.scene(figure));
    assert!(
        found.iter().any(|c| c.contains(" overlaps the value ")),
        "{found:#?}"
    );
    // The same sentence twice (a label over two arrows) tells nothing more: each is said once.
    let mut once = found.clone();
    once.sort();
    once.dedup();
    assert_eq!(once.len(), found.len(), "repeated: {found:#?}");
}

/// A small generated network (laid out compact, as generated scenarios are) is drawn with no
/// label over another label, an arrow or a node, and every label reads as its own edge's.
#[test]
fn generated_networks_are_drawn_clean() {
    for sizes in [[2, 2, 1], [2, 3, 1], [3, 3, 1]] {
        let path = Path::new("mlp.json");
        let text = chainrule::core::generate::to_text(
            &chainrule::core::generate::mlp(&sizes, chainrule::core::generate::Activation::Tanh, 1)
                .unwrap(),
        );
        let model = load::parse(path, &text).unwrap();
        let trace = load::evaluate(path, &model).unwrap();
        let options = DrawOptions {
            annotate: Some(Annotate::Numeric),
            ..DrawOptions::default()
        };
        let drawing = Drawing::with_options(model, trace, &options);
        let figure = &drawing.figures("mlp", None)[0];
        let found = overlap::collisions(&drawing.scene(figure));
        assert!(found.is_empty(), "{sizes:?}: {found:#?}");
        let unclear = drawing.unclear_labels(figure);
        assert!(unclear.is_empty(), "{sizes:?}: {unclear:#?}");
    }
}

#[test]
fn rendering_twice_gives_identical_bytes() {
    for path in scenarios() {
        let a = figures::render(&path, &FigureOptions::default()).unwrap();
        let b = figures::render(&path, &FigureOptions::default()).unwrap();
        assert_eq!(a.files, b.files, "{}", path.display());
    }
}

#[test]
fn every_view_and_figure_shares_one_layout() {
    let path = Path::new("scenarios/apple.json");
    let model = load::model(path).unwrap();
    let trace = load::evaluate(path, &model).unwrap();
    let drawing = Drawing::new(model, trace);
    let scenes: Vec<_> = drawing
        .figures("apple", None)
        .iter()
        .map(|f| drawing.scene(f))
        .collect();
    assert_eq!(scenes.len(), 3);
    for s in &scenes[1..] {
        assert_eq!(s.outlines, scenes[0].outlines);
        assert_eq!((s.width, s.height), (scenes[0].width, scenes[0].height));
    }
}

#[test]
fn backward_view_draws_every_gradient_and_forward_none() {
    let out = temp_dir("views");
    let o = out.to_str().unwrap();
    assert!(chainrule(&["render", "scenarios/apple.json", "-o", o])
        .status
        .success());
    let backward = std::fs::read_to_string(out.join("apple-fig10.svg")).unwrap();
    let forward = std::fs::read_to_string(out.join("apple-fig01.svg")).unwrap();
    let path = std::fs::read_to_string(out.join("apple-fig02.svg")).unwrap();
    assert_eq!(backward.matches("class=\"backward\"").count(), 5);
    assert_eq!(forward.matches("class=\"backward\"").count(), 0);
    // The price path: apple → × → × → payment, as figure 2 of the text.
    assert_eq!(path.matches("class=\"backward\"").count(), 3);
    for label in [
        ">2.2<",
        ">110<",
        ">200<",
        ">1.1<",
        ">220<",
        ">100<",
        "<title>Apples with consumption tax</title>",
    ] {
        assert!(backward.contains(label), "missing {label}");
    }
    assert!(!path.contains(">110<") && path.contains(">2.2<"));
    assert!(!forward.contains(">2.2<") && forward.contains(">220<"));
}

#[test]
fn formats_and_scale() {
    let out = temp_dir("formats");
    let o = out.to_str().unwrap();
    let run = chainrule(&[
        "render",
        "scenarios/mul_node.json",
        "-o",
        o,
        "--format",
        "svg",
    ]);
    assert!(run.status.success());
    assert!(out.join("mul_node-fig09.svg").exists() && !out.join("mul_node-fig09.png").exists());
    let width = |scale: &str| {
        let run = chainrule(&[
            "render",
            "scenarios/mul_node.json",
            "-o",
            o,
            "--format",
            "png",
            "--scale",
            scale,
        ]);
        assert!(run.status.success());
        let png = std::fs::read(out.join("mul_node-fig09.png")).unwrap();
        u32::from_be_bytes([png[16], png[17], png[18], png[19]])
    };
    assert_eq!(width("2"), 2 * width("1"));
}

#[test]
fn cjk_labels_render_as_text() {
    let out = temp_dir("cjk");
    let run = chainrule(&[
        "render",
        "scenarios/apple_zh.json",
        "-o",
        out.to_str().unwrap(),
    ]);
    assert!(run.status.success());
    let svg = std::fs::read_to_string(out.join("apple_zh.svg")).unwrap();
    assert!(svg.contains(">苹果<") && svg.contains(">支付金额<"));
    assert!(out.join("apple_zh.png").exists());
}

#[test]
fn a_character_no_font_has_is_reported_not_dropped() {
    let dir = temp_dir("nofont");
    let scenario = dir.join("private.json");
    std::fs::write(&scenario, r#"{"nodes": [{"id": "a", "input": 1, "label": "\ue000"}, {"id": "b", "op": "exp", "args": ["a"]}]}"#).unwrap();
    let run = chainrule(&[
        "render",
        scenario.to_str().unwrap(),
        "-o",
        dir.join("out").to_str().unwrap(),
    ]);
    assert!(run.status.success());
    let stderr = String::from_utf8_lossy(&run.stderr);
    assert!(
        stderr.contains("warning")
            && stderr.contains('\u{e000}')
            && stderr.contains("fonts-noto-cjk"),
        "{stderr}"
    );
}

#[test]
fn bad_input_is_an_error_and_writes_nothing() {
    let dir = temp_dir("bad");
    let out = dir.join("out");
    let o = out.to_str().unwrap();

    let run = chainrule(&["render", "no/such/file.json", "-o", o]);
    assert_eq!(run.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&run.stderr).contains("no/such/file.json"));

    let empty = dir.join("empty");
    std::fs::create_dir_all(&empty).unwrap();
    let run = chainrule(&["render", empty.to_str().unwrap(), "-o", o]);
    assert_eq!(run.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&run.stderr).contains("no scenarios"));

    let broken = dir.join("broken.json");
    std::fs::write(
        &broken,
        r#"{"nodes": [{"id": "x", "op": "mul", "args": ["x"]}]}"#,
    )
    .unwrap();
    let run = chainrule(&[
        "render",
        "scenarios/apple.json",
        broken.to_str().unwrap(),
        "-o",
        o,
    ]);
    assert_eq!(run.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&run.stderr).contains("broken.json"));
    assert!(!out.exists(), "a failed render wrote files");

    let file = dir.join("a_file");
    std::fs::write(&file, "keep me").unwrap();
    let run = chainrule(&[
        "render",
        "scenarios/apple.json",
        "-o",
        file.to_str().unwrap(),
    ]);
    // An output that cannot be written is not the input's fault: exit 3.
    assert_eq!(run.status.code(), Some(3));
    assert!(String::from_utf8_lossy(&run.stderr).contains("not a directory"));
    assert_eq!(std::fs::read_to_string(&file).unwrap(), "keep me");

    let run = chainrule(&["check", empty.to_str().unwrap(), "--golden", o]);
    assert_eq!(run.status.code(), Some(2));
    assert!(!String::from_utf8_lossy(&run.stderr).contains("panicked"));
}

#[test]
fn a_scenario_without_numbers_is_drawn_with_symbols_and_eval_explains() {
    let run = chainrule(&["eval", "scenarios/generic_node.json"]);
    assert_eq!(run.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&run.stderr);
    assert!(
        stderr.contains("no numbers")
            && stderr.contains("\"x\"")
            && stderr.contains("--annotate symbolic"),
        "{stderr}"
    );

    let out = temp_dir("symbolic-only");
    let o = out.to_str().unwrap();
    assert!(chainrule(&[
        "render",
        "scenarios/generic_node.json",
        "-o",
        o,
        "--format",
        "svg"
    ])
    .status
    .success());
    let svg = std::fs::read_to_string(out.join("generic_node-fig03.svg")).unwrap();
    assert!(
        svg.contains("<title>E · ∂y/∂x</title>"),
        "the backward label is E · ∂y/∂x"
    );
    assert!(!svg.contains("NaN"));
    let run = chainrule(&[
        "render",
        "scenarios/generic_node.json",
        "-o",
        o,
        "--annotate",
        "numeric",
    ]);
    assert_eq!(
        run.status.code(),
        Some(2),
        "numbers cannot be drawn from a scenario without them"
    );
}

#[test]
fn groups_are_framed_and_fold_into_one_box() {
    let out = temp_dir("collapse");
    let o = out.to_str().unwrap();
    let run = chainrule(&[
        "render",
        "scenarios/sigmoid.json",
        "-o",
        o,
        "--format",
        "svg",
    ]);
    assert!(run.status.success());
    let framed = std::fs::read_to_string(out.join("sigmoid-backward.svg")).unwrap();
    assert_eq!(framed.matches("class=\"group\"").count(), 1);
    assert!(framed.contains(">sigmoid</text>"));
    let folded = std::fs::read_to_string(out.join("sigmoid-collapsed.svg")).unwrap();
    assert_eq!(
        folded.matches("<circle").count(),
        0,
        "the operators are folded into the box"
    );
    assert_eq!(folded.matches("class=\"backward\"").count(), 2);
    // The box's input edge carries the group's end-to-end gradient, y(1 − y) at x = 1.
    assert!(folded.contains(">0.1966<"), "{folded}");
    let symbolic = std::fs::read_to_string(out.join("sigmoid-fig18.svg")).unwrap();
    assert!(symbolic.contains("<title>∂L/∂y · y(1 − y)</title>"));

    let run = chainrule(&[
        "render",
        "scenarios/sigmoid.json",
        "-o",
        o,
        "--view",
        "backward",
        "--collapse",
        "--format",
        "svg",
    ]);
    assert!(run.status.success());
    assert_eq!(
        std::fs::read_to_string(out.join("sigmoid.svg"))
            .unwrap()
            .matches("<circle")
            .count(),
        0
    );
}

#[test]
fn a_thousand_node_network_is_laid_out_with_straight_edges() {
    let dir = temp_dir("large");
    let scenario = dir.join("mlp.json");
    let run = chainrule(&[
        "gen",
        "mlp",
        "--sizes",
        "4,16,16,1",
        "-o",
        scenario.to_str().unwrap(),
    ]);
    crate::succeeded(&run, "chainrule");
    let out = dir.join("out");
    let run = chainrule(&[
        "render",
        scenario.to_str().unwrap(),
        "-o",
        out.to_str().unwrap(),
        "--format",
        "svg",
    ]);
    crate::succeeded(&run, "chainrule");
    let svg = std::fs::read_to_string(out.join("mlp.svg")).unwrap();
    assert!(!svg.contains("NaN") && !svg.contains("inf"));
    let model = load::model(&scenario).unwrap();
    assert!(model.graph.node_count() > chainrule::draw::drawing::COMPACT_MAX_NODES);
    let operators = model
        .graph
        .node_weights()
        .filter(|n| n.op().is_some())
        .count();
    assert_eq!(
        svg.matches("<circle").count(),
        operators - svg.matches("rx=\"8\"").count()
    );
}

#[test]
fn above_the_edge_label_limit_edges_go_unlabelled_and_it_says_so() {
    let path = Path::new("scenarios/apple.json");
    let svg = |options: &FigureOptions| {
        let report = figures::render(path, options).expect("apple renders");
        let svg = report
            .files
            .iter()
            .find(|f| f.name == "apple-fig10.svg")
            .map(|f| String::from_utf8(f.bytes.clone()).expect("UTF-8"))
            .expect("apple-fig10.svg");
        (svg, report.warnings)
    };
    let (labelled, warnings) = svg(&svg_only());
    assert!(
        labelled.contains(">220<") && labelled.contains(">1.1<"),
        "{labelled}"
    );
    assert!(warnings.is_empty(), "{warnings:?}");

    let few = FigureOptions {
        edge_labels_up_to: 3,
        formats: BTreeSet::from([Format::Svg, Format::Dot]),
        ..FigureOptions::default()
    };
    let (bare, warnings) = svg(&few);
    assert!(!bare.contains(">220<") && !bare.contains(">1.1<"), "{bare}");
    assert!(bare.contains(">apple<"), "node names stay: {bare}");
    assert_eq!(warnings.len(), 1, "{warnings:?}");
    assert!(warnings[0].contains("--edge-labels 3"), "{warnings:?}");
}

#[test]
fn math_that_cannot_be_typeset_is_drawn_as_written_with_a_warning() {
    let dir = temp_dir("bad-tex");
    let scenario = dir.join("bad_tex.json");
    std::fs::write(
        &scenario,
        r#"{"nodes": [{"id": "x", "input": 1}, {"id": "y", "op": "exp", "args": ["x"]}],
            "labels": [{"from": "x", "to": "y", "forward": "$\\nosuchcommand x$"}]}"#,
    )
    .unwrap();
    let out = dir.join("out");
    let run = chainrule(&[
        "render",
        scenario.to_str().unwrap(),
        "-o",
        out.to_str().unwrap(),
        "--format",
        "svg",
    ]);
    assert_eq!(run.status.code(), Some(0));
    let stderr = String::from_utf8_lossy(&run.stderr);
    assert!(
        stderr.contains("the edge x → y: cannot typeset") && stderr.contains("drawn as written"),
        "{stderr}"
    );
}

#[test]
fn counts_agree_with_their_nouns() {
    let out = temp_dir("one-file");
    let out_arg = out.display().to_string();
    let run = chainrule(&[
        "frames",
        "scenarios/apple_orange.json",
        "-o",
        &out_arg,
        "--format",
        "html",
    ]);
    assert!(run.status.success(), "{run:?}");
    let stderr = String::from_utf8_lossy(&run.stderr);
    assert!(
        stderr.contains(&format!("wrote 1 file into {out_arg}")),
        "{stderr}"
    );
    let _ = std::fs::remove_dir_all(&out);
}
