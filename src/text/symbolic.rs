//! Gradients as the text writes them: each backward label is the label arriving from above
//! times the node's local derivative (`local` style, `∂L/∂z · y`), or times the chain rule's
//! factor ∂out/∂arg (`chain` style), with a leading sign pulled to the front
//! (`−∂L/∂y · y²`) and, if the scenario asks, factors of 1 left out. What arrives at a value
//! used more than once is summed in the order of its uses in the file (`y + 1`).

use petgraph::graph::NodeIndex;

use crate::core::engine::{backward_order, Trace};
use crate::core::model::{Kind, Model};
use crate::core::ops::{Names, Side};
use crate::core::scenario::ChainStyle;
use crate::core::tensor::Tensor;
use crate::text::format;
use crate::text::math::Math;

/// The symbolic labels of a model.
#[derive(Debug, Clone, PartialEq)]
pub struct Symbols {
    /// Each node's name as math.
    pub names: Vec<Math>,
    /// Per edge, then the output's edge: the gradient it carries back, as math.
    pub edges: Vec<Math>,
    /// Per node: the gradient that reaches it from above (a sum where several edges bring
    /// one), for nodes the output depends on.
    pub arrived: Vec<Option<Math>>,
    /// Per node used more than once: the sum of what arrives (`y + 1`), or, beyond
    /// [`MAX_SIZE`], the total's name (∂L/∂x); `None` for the others.
    pub sums: Vec<Option<Math>>,
}

/// The most factors the gradient arriving at a node is written with: beyond, it is written
/// by name, ∂L/∂z, and the node's local derivative multiplies that. Without this, a chain of
/// n ops writes n factors on its last edge, n²/2 in all (a 2,000-op chain took 2.3 GB).
pub const MAX_FACTORS: usize = 12;

/// The largest arriving gradient ([`Math::size`]) written out, for sums of several
/// gradients (a value used twice, then again): beyond, it too is written by name.
pub const MAX_SIZE: usize = 200;

/// A product with its sign kept apart, so that a leading minus can be written in front.
#[derive(Debug, Clone, PartialEq)]
struct Product {
    negative: bool,
    factors: Vec<Math>,
}

impl Product {
    fn math(&self) -> Math {
        let body = match self.factors.as_slice() {
            [] => Math::Text("1".to_string()),
            [one] => one.clone(),
            many => Math::Product(many.to_vec()),
        };
        if self.negative {
            Math::Neg(Box::new(body))
        } else {
            body
        }
    }

    /// Multiplies by `factor` on `side`: a leading minus flips the sign, and 1 is dropped
    /// unless `ones` is set.
    fn times(&self, factor: &Math, side: Side, ones: bool) -> Product {
        let mut next = self.clone();
        let mut factor = factor.clone();
        while let Math::Neg(inner) = factor {
            next.negative = !next.negative;
            factor = *inner;
        }
        if !ones && factor == Math::Text("1".to_string()) {
            return next;
        }
        let zero = Math::Text("0".to_string());
        if factor == zero || next.factors == [zero.clone()] {
            // Nothing passes: the text writes the gradient as 0 (ReLU with x ≤ 0).
            return Product {
                negative: false,
                factors: vec![zero],
            };
        }
        match side {
            Side::After => next.factors.push(factor),
            Side::Before => next.factors.insert(0, factor),
        }
        next
    }
}

/// The name of node `n` as math: its `name`, else its label, else its id; a const without
/// either is written as its value.
pub fn node_name(model: &Model, n: NodeIndex) -> Math {
    let node = &model.graph[n];
    if let Some(name) = node.math_name.as_ref().or(node.label.as_ref()) {
        return Math::parse_name(name);
    }
    match &node.kind {
        Kind::Const(v) if v.ndim() == 0 => {
            let text = format::tensor(v, format::DEFAULT_PRECISION);
            match text.strip_prefix('−') {
                Some(rest) => Math::Neg(Box::new(Math::Text(rest.to_string()))),
                None => Math::Text(text),
            }
        }
        _ => Math::name(&node.id),
    }
}

/// The name of the gradient at node `n` as math: ∂L/∂x, of the scenario's `loss` (default:
/// the output's name).
pub fn gradient_name(model: &Model, n: NodeIndex) -> Math {
    let loss = model
        .symbolic
        .loss
        .as_deref()
        .map_or_else(|| node_name(model, model.output), Math::name);
    Math::partial(loss, node_name(model, n))
}

/// The symbolic labels of `model`; `trace` gives the values where a local derivative's case
/// depends on them (ReLU) and where a gradient is summed back over broadcast axes.
pub fn derive(model: &Model, trace: Option<&Trace>) -> Symbols {
    let graph = &model.graph;
    let names: Vec<Math> = graph.node_indices().map(|n| node_name(model, n)).collect();
    let spec = &model.symbolic;
    let ones = spec.ones.unwrap_or(true);
    let out = model.output;
    let loss = spec
        .loss
        .as_deref()
        .map_or_else(|| names[out.index()].clone(), Math::name);
    // ∂L/∂L is 1, written so only where factors of 1 are written (figure 4's ∂z/∂z).
    let seed_factors = if let Some(seed) = &spec.seed {
        vec![Math::parse_name(seed)]
    } else if !ones && loss == names[out.index()] {
        Vec::new()
    } else {
        vec![Math::partial(loss.clone(), names[out.index()].clone())]
    };
    let seed = Product {
        negative: false,
        factors: seed_factors,
    };
    // The gradient arriving at a node, written by name: ∂L/∂z.
    let by_name = |node: NodeIndex| Product {
        negative: false,
        factors: vec![Math::partial(loss.clone(), names[node.index()].clone())],
    };

    // What arrives at each node, with the index of the edge it comes along (the seed's is
    // past the last edge): summed in edge order, the order of the node's uses in the file.
    let mut arriving: Vec<Vec<(usize, Product)>> = vec![Vec::new(); graph.node_count()];
    arriving[out.index()].push((graph.edge_count(), seed.clone()));
    let in_use_order = |arrived: &mut Vec<(usize, Product)>| -> Vec<Product> {
        arrived.sort_by_key(|&(e, _)| e);
        arrived.iter().map(|(_, p)| p.clone()).collect()
    };
    let mut edges = vec![Math::Text(String::new()); graph.edge_count()];
    for node in backward_order(model) {
        let Kind::Op(op) = &graph[node].kind else {
            continue;
        };
        let up = match in_use_order(&mut arriving[node.index()]).as_slice() {
            [one] => one.clone(),
            many if many.iter().map(|p| p.factors.len()).sum::<usize>() <= MAX_SIZE => Product {
                negative: false,
                factors: vec![Math::Group(Box::new(Math::Sum(
                    many.iter().map(Product::math).collect(),
                )))],
            },
            _ => by_name(node),
        };
        let up = if up.factors.len() > MAX_FACTORS
            || up.factors.iter().map(Math::size).sum::<usize>() > MAX_SIZE
        {
            by_name(node)
        } else {
            up
        };
        let in_edges = model.in_edges(node);
        let arg_names: Vec<Math> = in_edges
            .iter()
            .map(|&(_, a)| names[a.index()].clone())
            .collect();
        let values: Option<Vec<&Tensor>> = trace.map(|t| {
            in_edges
                .iter()
                .map(|&(_, a)| &t.values[a.index()])
                .collect()
        });
        for (i, &(edge, arg)) in in_edges.iter().enumerate() {
            let sent = match spec.style {
                ChainStyle::Chain => up.times(
                    &Math::partial(names[node.index()].clone(), names[arg.index()].clone()),
                    Side::After,
                    true,
                ),
                ChainStyle::Local => {
                    let local = op.local_math(
                        Names {
                            args: &arg_names,
                            out: &names[node.index()],
                            values: values.as_deref(),
                        },
                        i,
                    );
                    match &local.factor {
                        Some(f) => up.times(f, local.side, ones),
                        None => up.clone(),
                    }
                }
            };
            let summed =
                trace.is_some_and(|t| t.values[arg.index()].ndim() < t.values[node.index()].ndim());
            edges[edge.index()] = if summed {
                Math::Apply(
                    "sum".to_string(),
                    vec![sent.math(), Math::Text("axis=0".to_string())],
                )
            } else {
                sent.math()
            };
            arriving[arg.index()].push((edge.index(), sent));
        }
    }
    edges.push(seed.math());
    let arrived: Vec<Option<Math>> = arriving
        .iter_mut()
        .map(|arrived| match in_use_order(arrived).as_slice() {
            [] => None,
            [one] => Some(one.math()),
            many => Some(Math::Sum(many.iter().map(Product::math).collect())),
        })
        .collect();
    let sums = arrived
        .iter()
        .zip(graph.node_indices())
        .map(|(arrived, node)| match arrived {
            Some(sum @ Math::Sum(_)) if sum.size() <= MAX_SIZE => Some(sum.clone()),
            Some(Math::Sum(_)) => Some(Math::partial(loss.clone(), names[node.index()].clone())),
            _ => None,
        })
        .collect();
    Symbols {
        names,
        edges,
        arrived,
        sums,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::load;
    use std::path::Path;

    fn symbols(text: &str) -> (Model, Symbols) {
        let model = load::parse(Path::new("test.json"), text).unwrap();
        let trace = load::evaluate(Path::new("test.json"), &model).unwrap();
        let symbols = derive(&model, Some(&trace));
        (model, symbols)
    }

    fn edge(model: &Model, s: &Symbols, from: &str, to: &str) -> String {
        let e = model
            .graph
            .find_edge(model.find(from).unwrap(), model.find(to).unwrap())
            .unwrap();
        s.edges[e.index()].plain()
    }

    #[test]
    fn mul_node_sends_the_other_factor() {
        let (m, s) = symbols(
            r#"{"nodes": [{"id": "x", "input": 10}, {"id": "y", "input": 5},
               {"id": "z", "op": "mul", "args": ["x", "y"]}], "symbolic": {"loss": "L"}}"#,
        );
        assert_eq!(edge(&m, &s, "x", "z"), "∂L/∂z · y");
        assert_eq!(edge(&m, &s, "y", "z"), "∂L/∂z · x");
        assert_eq!(s.edges.last().unwrap().plain(), "∂L/∂z");
    }

    #[test]
    fn chain_rule_in_both_styles() {
        let nodes = r#""nodes": [{"id": "x", "input": 3}, {"id": "y", "input": 2},
            {"id": "t", "op": "add", "args": ["x", "y"]}, {"id": "z", "op": "pow", "p": 2, "args": ["t"]}]"#;
        let (m, s) = symbols(&format!("{{{nodes}}}"));
        assert_eq!(edge(&m, &s, "t", "z"), "∂z/∂z · 2t");
        assert_eq!(edge(&m, &s, "x", "t"), "∂z/∂z · 2t · 1");
        let (m, s) = symbols(&format!(r#"{{{nodes}, "symbolic": {{"style": "chain"}}}}"#));
        assert_eq!(edge(&m, &s, "t", "z"), "∂z/∂z · ∂z/∂t");
        assert_eq!(edge(&m, &s, "y", "t"), "∂z/∂z · ∂z/∂t · ∂t/∂y");
    }

    #[test]
    fn the_sigmoid_steps_pull_the_sign_to_the_front() {
        let (m, s) = symbols(
            r#"{"nodes": [{"id": "x", "input": 1}, {"id": "m", "const": -1},
               {"id": "a", "op": "mul", "args": ["x", "m"], "name": "−x"},
               {"id": "e", "op": "exp", "args": ["a"], "name": "exp(−x)"},
               {"id": "one", "const": 1},
               {"id": "d", "op": "add", "args": ["e", "one"], "name": "1+exp(−x)"},
               {"id": "y", "op": "reciprocal", "args": ["d"]}],
               "symbolic": {"ones": false, "loss": "L"}}"#,
        );
        assert_eq!(edge(&m, &s, "d", "y"), "−∂L/∂y · y²");
        assert_eq!(edge(&m, &s, "e", "d"), "−∂L/∂y · y²");
        assert_eq!(edge(&m, &s, "a", "e"), "−∂L/∂y · y² · exp(−x)");
        assert_eq!(edge(&m, &s, "x", "a"), "∂L/∂y · y² · exp(−x)");
    }

    #[test]
    fn a_value_used_twice_sums_what_arrives_in_the_order_of_its_uses() {
        let (m, s) = symbols(
            r#"{"nodes": [{"id": "x", "input": 3}, {"id": "y", "input": 4},
               {"id": "xy", "op": "mul", "args": ["x", "y"]},
               {"id": "f", "op": "add", "args": ["xy", "x"]}], "symbolic": {"ones": false}}"#,
        );
        let x = m.find("x").unwrap().index();
        assert_eq!(
            s.sums[x].as_ref().map(Math::plain).as_deref(),
            Some("y + 1")
        );
        assert_eq!(s.arrived[x], s.sums[x]);
        assert!(s.sums.iter().filter(|sum| sum.is_some()).count() == 1);
        // The sum is the gradient: y + 1 = 5 at x = 3, y = 4.
        let env = |name: &str| match name {
            "x" => Some(3.0),
            "y" => Some(4.0),
            _ => None,
        };
        assert_eq!(s.sums[x].as_ref().and_then(|sum| sum.eval(&env)), Some(5.0));
    }

    #[test]
    fn matrix_products_keep_their_order() {
        let (m, s) = symbols(
            r#"{"nodes": [{"id": "X", "input": [1, 2]}, {"id": "W", "input": [[1, 2, 3], [4, 5, 6]]},
               {"id": "B", "input": [1, 2, 3]},
               {"id": "XW", "op": "matmul", "args": ["X", "W"]},
               {"id": "Y", "op": "add", "args": ["XW", "B"]}], "symbolic": {"loss": "L", "ones": false}}"#,
        );
        assert_eq!(edge(&m, &s, "X", "XW"), "∂L/∂Y · Wᵀ");
        assert_eq!(edge(&m, &s, "W", "XW"), "Xᵀ · ∂L/∂Y");
    }
}
