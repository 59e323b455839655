//! Tests of building and validating a model.

use crate::core::scenario::Scenario;

use super::*;

/// Ids are borrowed from the file's text unless they have escapes; either way an
/// argument finds its node.
#[test]
fn ids_with_escapes_are_found() {
    let text = r#"{"nodes": [
        {"id": "a\"b", "input": 2},
        {"id": "\u00e9", "input": 3},
        {"id": "y", "op": "mul", "args": ["a\"b", "é"]}
    ]}"#;
    let scenario: Scenario = serde_json::from_str(text).expect("parses");
    let model = Model::build(scenario).expect("builds");
    assert_eq!(model.graph[NodeIndex::new(0)].id, "a\"b");
    assert_eq!(model.graph[NodeIndex::new(1)].id, "é");
    let sources: Vec<&str> = model
        .in_edges(NodeIndex::new(2))
        .into_iter()
        .map(|(_, from)| model.graph[from].id.as_str())
        .collect();
    assert_eq!(sources, ["a\"b", "é"]);
}

/// A graph large enough for its ids to be looked up on several threads gets every
/// argument right, and an unknown id in the last node is the one named.
#[test]
fn many_ids_are_looked_up_in_parallel() {
    let mut chain = crate::core::generate::chain(10_000).expect("chain");
    let text = crate::core::generate::to_text(&chain);
    let model = Model::build(serde_json::from_str(&text).expect("parses")).expect("builds");
    let nodes = chain["nodes"].as_array_mut().expect("nodes");
    for (i, node) in nodes.iter().enumerate() {
        let args: Vec<&str> = node["args"].as_array().map_or(Vec::new(), |a| {
            a.iter().filter_map(|a| a.as_str()).collect()
        });
        let found: Vec<&str> = model
            .in_edges(NodeIndex::new(i))
            .into_iter()
            .map(|(_, from)| model.graph[from].id.as_str())
            .collect();
        assert_eq!(found, args, "node {i}");
    }
    let last = nodes.last_mut().expect("a last node");
    last["args"][0] = "nowhere".into();
    let id = last["id"].as_str().expect("an id").to_string();
    let text = crate::core::generate::to_text(&chain);
    match Model::build(serde_json::from_str(&text).expect("parses")) {
        Err(ScenarioError::Node {
            id: named,
            problem: NodeProblem::UnknownArg(arg),
        }) => assert_eq!((named, arg.as_str()), (id, "nowhere")),
        other => panic!("{other:?}"),
    }
}

/// Arguments come in slot order whatever order their edges were added in, as
/// [`Model::in_edges`] gives them.
#[test]
fn arguments_in_slot_order() {
    let text = r#"{"nodes": [
        {"id": "a", "input": 2},
        {"id": "b", "input": 3},
        {"id": "d", "op": "sub", "args": ["b", "a"]},
        {"id": "y", "op": "mul", "args": ["d", "d"]}
    ]}"#;
    let mut model = Model::build(serde_json::from_str(text).expect("parses")).expect("builds");
    let n = NodeIndex::new;
    model.graph.clear_edges();
    for (from, to, slot) in [(2, 3, 1), (0, 2, 1), (2, 3, 0), (1, 2, 0)] {
        model.graph.add_edge(n(from), n(to), slot);
    }
    let arguments = model.arguments();
    for node in model.graph.node_indices() {
        assert_eq!(arguments.of(node), model.in_edges(node), "{node:?}");
    }
    let sources: Vec<usize> = arguments.of(n(2)).iter().map(|&(_, a)| a.index()).collect();
    assert_eq!(sources, [1, 0]);
    let edges: Vec<usize> = arguments.of(n(3)).iter().map(|&(e, _)| e.index()).collect();
    assert_eq!(edges, [2, 0]);
}
