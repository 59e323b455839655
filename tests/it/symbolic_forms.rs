//! Symbolic labels as a figure draws them (issue #14, items 3 and 4): each minus sign where
//! its node contributes it unless the scenario asks to simplify, and a deep graph's labels in
//! the compact form, ∂L/∂h times the local derivative.

use std::path::{Path, PathBuf};
use std::process::Command;

use serde_json::{json, Value};

/// The edge labels (`<title>`s) of the one symbolic figure `scenario` draws.
fn titles(name: &str, scenario: &Value) -> Vec<String> {
    let dir: PathBuf =
        std::env::temp_dir().join(format!("chainrule-symbolic-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("temp dir");
    let file = dir.join(format!("{name}.json"));
    std::fs::write(&file, scenario.to_string()).expect("scenario written");
    let run = Command::new(env!("CARGO_BIN_EXE_chainrule"))
        .args(["render", "--format", "svg", "--annotate", "symbolic", "-o"])
        .arg(&dir)
        .arg(&file)
        .output()
        .expect("run chainrule");
    crate::succeeded(&run, "chainrule render");
    let svg = std::fs::read_to_string(Path::new(&dir).join(format!("{name}.svg"))).unwrap();
    svg.split("<title>")
        .skip(1)
        .filter_map(|s| s.split("</title>").next())
        .map(str::to_string)
        .collect()
}

/// x − y, negated.
fn minuses(symbolic: Value) -> Value {
    json!({"nodes": [
        {"id": "x", "input": 3}, {"id": "y", "input": 2},
        {"id": "d", "op": "sub", "args": ["x", "y"]},
        {"id": "n", "op": "neg", "args": ["d"]},
    ], "symbolic": symbolic})
}

#[test]
fn minus_signs_stay_where_their_nodes_put_them() {
    let titles = titles("minuses", &minuses(json!({"loss": "L", "ones": false})));
    assert!(titles.contains(&"∂L/∂n · (−1)".to_string()), "{titles:?}");
    assert!(
        titles.contains(&"∂L/∂n · (−1) · (−1)".to_string()),
        "{titles:?}"
    );
}

#[test]
fn simplified_minus_signs_cancel() {
    let spec = json!({"loss": "L", "ones": false, "simplify": true});
    let titles = titles("simplified", &minuses(spec));
    assert!(titles.contains(&"−∂L/∂n".to_string()), "{titles:?}");
    assert!(titles.contains(&"∂L/∂n".to_string()), "{titles:?}");
    assert!(!titles.iter().any(|t| t.contains("(−1)")), "{titles:?}");
}

#[test]
fn eight_tanh_in_a_row_are_labelled_compactly() {
    let mut nodes = vec![json!({"id": "x", "input": 0.5})];
    for k in 1..=8 {
        let arg = if k == 1 {
            "x".to_string()
        } else {
            format!("h{}", k - 1)
        };
        nodes.push(json!({"id": format!("h{k}"), "op": "tanh", "args": [arg]}));
    }
    let titles = titles("tanh8", &json!({"nodes": nodes, "symbolic": {"loss": "L"}}));
    for k in 1..=8 {
        let sub = char::from_u32(0x2080 + k).unwrap();
        let label = format!("∂L/∂h{sub} · (1 − h{sub}²)");
        assert!(titles.contains(&label), "{label} not in {titles:?}");
    }
    assert!(
        titles.iter().all(|t| t.matches('·').count() <= 1),
        "{titles:?}"
    );
}
