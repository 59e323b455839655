//! The text format's unit tests: reading, errors with their places, and writing back.

use std::path::Path;

use super::*;
use crate::core::scenario::Literal;

fn read_ok(text: &str) -> Scenario<'static> {
    read(Path::new("t.chain"), text).unwrap_or_else(|e| panic!("{e}"))
}

fn ids(s: &Scenario<'_>) -> Vec<String> {
    s.nodes.iter().map(|n| n.id.to_string()).collect()
}

fn error(text: &str) -> String {
    read(Path::new("t.chain"), text).unwrap_err().to_string()
}

#[test]
fn sub_expressions_get_nodes_in_post_order_with_readable_ids() {
    let s = read_ok("x = -2; y = 5; z = -4\nf = (x + y) * z\n");
    assert_eq!(ids(&s), ["x", "y", "z", "x_plus_y", "f"]);
    assert_eq!(s.nodes[0].input, Some(Literal::Number(-2.0)));
    assert_eq!(s.nodes[4].op.as_ref().unwrap().0, "mul");
    let s = read_ok("x = 1\ny = 1 / (1 + exp(-x))\n");
    assert_eq!(
        ids(&s),
        [
            "x",
            "const_1",
            "const_1_2",
            "neg_x",
            "exp_neg_x",
            "const_1_2_plus_exp_neg_x",
            "y"
        ]
    );
    assert_eq!(s.nodes[1].label.as_deref(), Some("1"));
}

#[test]
fn precedence_power_and_calls() {
    let s = read_ok("a = 2; b = 3\nc = -a ** 2 + sum(a * b, axis=0) @ b\n");
    let ops: Vec<String> = s
        .nodes
        .iter()
        .filter_map(|n| n.op.as_ref().map(|o| o.0.to_string()))
        .collect();
    assert_eq!(ops, ["pow", "neg", "mul", "sum", "matmul", "add"]);
    assert_eq!(s.nodes[2].p, Some(2.0));
    assert_eq!(s.nodes[5].axis, Some(0));
}

#[test]
fn settings_figures_groups_and_labels() {
    let s = read_ok(
        "title \"T\"; layout book; output f; seed 2\nx = 1 \"the x\" name=\"ξ\"\nconst k = [[1, 2], [3, 4]]\n\
         f = x * k\ngroup g label=\"G\": f\nfigure a view=forward highlight=[x, f]; figure b step=1 collapse\n\
         symbolic loss=L ones=false; frames pass=both\nlabel x -> f forward='$\\alpha$'\n",
    );
    assert_eq!(s.title.as_deref(), Some("T"));
    assert_eq!(s.nodes[0].label.as_deref(), Some("the x"));
    assert_eq!(s.nodes[0].name.as_deref(), Some("ξ"));
    assert!(s.nodes[1].constant.is_some());
    assert_eq!(s.nodes[2].group.as_deref(), Some("g"));
    assert_eq!(s.figures.len(), 2);
    assert_eq!(s.figures[0].highlight.as_ref().unwrap().len(), 2);
    assert!(s.figures[1].collapse);
    assert_eq!(s.labels[0].forward.as_deref(), Some("$\\alpha$"));
    assert_eq!(s.groups["g"].label.as_deref(), Some("G"));
}

#[test]
fn errors_name_the_line_and_column_with_a_caret() {
    let e = error("x = 1\nf = (x + * 2)\n");
    assert!(e.starts_with("t.chain:2:10: expected a number"), "{e}");
    assert!(e.ends_with("  | f = (x + * 2)\n  |          ^"), "{e}");
    let e = error("x = 1\nf = expp(x)\n");
    assert!(
        e.contains("2:5: unknown function \"expp\"; the functions are add, sub"),
        "{e}"
    );
    let e = error("f = x * 2\n");
    assert!(e.contains("1:5: \"x\" is not defined"), "{e}");
    assert!(error("title \"a\"\ntitle \"b\"").contains("2:1: \"title\" is given twice"));
    assert!(error("x = 1\nfigure f colour=red").contains("unknown field `colour`"));
}

#[test]
fn nesting_is_bounded() {
    for deep in [
        "(".repeat(100_000),
        "-".repeat(100_000),
        "[".repeat(100_000),
    ] {
        let e = error(&format!("f = {deep}1"));
        assert!(e.contains("nested deeper than the limit"), "{e}");
    }
    // A long chain is read in a loop, not by recursion.
    let chain = format!("x = 1\nf = x{}\n", " + x".repeat(10_000));
    assert_eq!(read_ok(&chain).nodes.len(), 10_001);
}

#[test]
fn expressions_make_inputs_of_names_never_assigned() {
    let mut s = read_expression(Path::new("-e"), "f = (x + y) * z").unwrap();
    assert_eq!(ids(&s), ["x", "y", "z", "x_plus_y", "f"]);
    set_inputs(
        &mut s,
        &[("x".into(), "-2".into()), ("y".into(), "[1, 2]".into())],
    )
    .unwrap();
    assert_eq!(s.nodes[0].input, Some(Literal::Number(-2.0)));
    assert!(matches!(s.nodes[1].input, Some(Literal::Json(_))));
    let e = set_inputs(&mut s, &[("q".into(), "1".into())]).unwrap_err();
    assert!(e.to_string().contains("\"q\" is not an input"), "{e}");
}

#[test]
fn written_text_reads_back_the_same() {
    let text = "title \"T\"\nx = 1.5 \"the x\"\ninput w\nconst k = [[1.0, 2], [3, 4]]\n\
                y = x ** -1 name=\"1/x\"\nz = sum(k, axis=1)\nf = add(y, z, x)\ng = -f\n\
                group `a b` derivative=\"y\": y\nfigure one view=forward\nlabel x -> y backward='\\x'\n";
    let s = read_ok(text);
    let written = to_text(&s).unwrap();
    assert_eq!(written, text);
    let json = to_json(&s);
    let back: Scenario = serde_json::from_str(&json).unwrap();
    assert_eq!(to_text(&back).unwrap(), written);
}
