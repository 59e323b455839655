//! Gradients as the text writes them: each backward label is the label arriving from above
//! times the node's local derivative (`local` style, `∂L/∂z · y`), or times the chain rule's
//! factor ∂out/∂arg (`chain` style). Each factor is written as its node contributes it
//! (`∂L/∂y · (−1)`), or, if the scenario asks to simplify, with signs pulled to the front
//! (`−∂L/∂y · y²`), where two minus signs cancel; factors of 1 are left out if it asks. The
//! label arriving from above is the whole product from the output down (the full form) or,
//! past [`COMPACT_ABOVE`] factors, its name (the compact form, `∂L/∂h · (1 − h²)`). What
//! arrives at a value used more than once is summed in the order of its uses in the file
//! (`y + 1`).

use petgraph::graph::NodeIndex;

use crate::core::engine::Trace;
use crate::core::model::{Kind, Model};
use crate::core::ops::{Names, Side};
use crate::core::scenario::{ChainStyle, Form, COMPACT_ABOVE};
use crate::core::tensor::{self, Tensor};
use crate::text::format;
use crate::text::math::Math;

mod product;

use product::Product;

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

/// The most factors the gradient arriving at a node is written with in a full form the
/// scenario asks for: beyond, it is written by name, ∂L/∂z, and the node's local derivative
/// multiplies that. Without this, a chain of
/// n ops writes n factors on its last edge, n²/2 in all (a 2,000-op chain took 2.3 GB).
pub const MAX_FACTORS: usize = 12;

/// The largest arriving gradient ([`Math::size`]) written out, for sums of several
/// gradients (a value used twice, then again): beyond, it too is written by name.
pub const MAX_SIZE: usize = 200;

/// The name of node `n` as math: its `name` (read as math), else its label (never read as
/// math, but kept as written), else its id; a const without either is written as its value.
pub fn node_name(model: &Model, n: NodeIndex) -> Math {
    let node = &model.graph[n];
    if let Some(name) = &node.math_name {
        return Math::parse_name(name);
    }
    if let Some(label) = &node.label {
        return Math::name(label);
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

/// The symbolic labels of `model`, in the form its scenario asks for, else in the full form
/// unless a label would then have more than [`COMPACT_ABOVE`] factors; `trace` gives the
/// values where a local derivative's case depends on them (ReLU) and where a gradient is
/// summed back over broadcast axes.
pub fn derive(model: &Model, trace: Option<&Trace>) -> Symbols {
    match model.symbolic.form {
        Some(form) => write(model, trace, form).0,
        None => match write(model, trace, Form::Full) {
            (_, longest) if longest > COMPACT_ABOVE => write(model, trace, Form::Compact).0,
            (full, _) => full,
        },
    }
}

/// The symbolic labels of `model` in `form`, and the most factors a label has.
fn write(model: &Model, trace: Option<&Trace>, form: Form) -> (Symbols, usize) {
    let graph = &model.graph;
    let names: Vec<Math> = graph.node_indices().map(|n| node_name(model, n)).collect();
    let spec = &model.symbolic;
    let ones = spec.ones.unwrap_or(true);
    let simplify = spec.simplify.unwrap_or(false);
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
    let mut longest = seed.factors.len();
    for node in model.backward_order() {
        let Kind::Op(op) = &graph[node].kind else {
            continue;
        };
        let up = match in_use_order(&mut arriving[node.index()]).as_slice() {
            _ if form == Form::Compact && node != out => by_name(node),
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
        // A figure without numbers has a trace of NaNs (`engine::skeleton`): no values then.
        let values: Option<Vec<&Tensor>> = trace
            .map(|t| {
                in_edges
                    .iter()
                    .map(|&(_, a)| &t.values[a.index()])
                    .collect::<Vec<_>>()
            })
            .filter(|v| v.iter().all(|t| tensor::is_finite(t)));
        for (i, &(edge, arg)) in in_edges.iter().enumerate() {
            let sent = match spec.style {
                ChainStyle::Chain => up.times(
                    &Math::partial(names[node.index()].clone(), names[arg.index()].clone()),
                    Side::After,
                    true,
                    simplify,
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
                    let up = if local.transposed {
                        up.transposed()
                    } else {
                        up.clone()
                    };
                    match &local.factor {
                        Some(f) => up.times(f, local.side, ones, simplify),
                        None => up,
                    }
                }
            };
            longest = longest.max(sent.factors.len());
            edges[edge.index()] = match trace {
                Some(t) if op.broadcasts() => reduced(
                    sent.math(),
                    t.values[arg.index()].shape(),
                    t.values[node.index()].shape(),
                ),
                _ => sent.math(),
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
    let symbols = Symbols {
        names,
        edges,
        arrived,
        sums,
    };
    (symbols, longest)
}

/// `gradient` (of the result's shape) summed back to the argument's shape where the argument
/// was broadcast: over the leading axes the argument lacks (`sum(…, axis=0)`), then, keeping
/// them, over its axes of length 1 that the result stretched (`sum(…, axis=1, keepdims)`);
/// a number's gradient is the sum of every element (`sum(…)`).
fn reduced(gradient: Math, arg: &[usize], result: &[usize]) -> Math {
    let sum = |inner: Math, axes: String| {
        let mut args = vec![inner];
        if !axes.is_empty() {
            args.push(Math::Text(axes));
        }
        Math::Apply("sum".to_string(), args)
    };
    let list = |axes: &[usize]| match axes {
        [one] => one.to_string(),
        many => format!(
            "({})",
            many.iter()
                .map(ToString::to_string)
                .collect::<Vec<_>>()
                .join(", ")
        ),
    };
    if arg.is_empty() {
        return if result.is_empty() {
            gradient
        } else {
            sum(gradient, String::new())
        };
    }
    let lead = result.len().saturating_sub(arg.len());
    let mut out = gradient;
    if lead > 0 {
        let axes: Vec<usize> = (0..lead).collect();
        out = sum(out, format!("axis={}", list(&axes)));
    }
    let stretched: Vec<usize> = arg
        .iter()
        .zip(&result[lead..])
        .enumerate()
        .filter(|(_, (&a, &r))| a == 1 && r > 1)
        .map(|(k, _)| k)
        .collect();
    if !stretched.is_empty() {
        out = sum(out, format!("axis={}, keepdims", list(&stretched)));
    }
    out
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
    fn without_numbers_cases_are_not_read_from_the_skeletons_nans() {
        let text = r#"{"nodes": [{"id": "x", "input": null}, {"id": "w", "input": null},
            {"id": "m", "op": "max", "args": ["x", "w"]}, {"id": "r", "op": "relu", "args": ["m"]},
            {"id": "t", "op": "transpose", "args": ["r"]}, {"id": "L", "op": "mean", "args": ["t"]}],
            "symbolic": {"loss": "L", "ones": false}}"#;
        let model = load::parse(Path::new("test.json"), text).unwrap();
        let skeleton = crate::core::engine::skeleton(&model);
        let s = derive(&model, Some(&skeleton));
        assert_eq!(edge(&model, &s, "t", "L"), "∂L/∂t");
        assert_eq!(edge(&model, &s, "r", "t"), "(∂L/∂t)ᵀ");
        assert_eq!(edge(&model, &s, "m", "r"), "(∂L/∂t)ᵀ · ∂r/∂m");
        assert_eq!(edge(&model, &s, "x", "m"), "(∂L/∂t)ᵀ · ∂r/∂m · ∂m/∂x");
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
               "symbolic": {"ones": false, "loss": "L", "simplify": true}}"#,
        );
        assert_eq!(edge(&m, &s, "d", "y"), "−∂L/∂y · y²");
        assert_eq!(edge(&m, &s, "e", "d"), "−∂L/∂y · y²");
        assert_eq!(edge(&m, &s, "a", "e"), "−∂L/∂y · y² · exp(−x)");
        assert_eq!(edge(&m, &s, "x", "a"), "∂L/∂y · y² · exp(−x)");
    }

    /// x − y, negated: the −1 of `sub`'s second input and that of `neg`.
    const MINUSES: &str = r#""nodes": [{"id": "x", "input": 3}, {"id": "y", "input": 2},
        {"id": "d", "op": "sub", "args": ["x", "y"]}, {"id": "n", "op": "neg", "args": ["d"]}]"#;

    #[test]
    fn each_minus_is_written_where_its_node_contributes_it() {
        let (m, s) = symbols(&format!(r#"{{{MINUSES}, "symbolic": {{"loss": "L"}}}}"#));
        assert_eq!(edge(&m, &s, "d", "n"), "∂L/∂n · (−1)");
        assert_eq!(edge(&m, &s, "x", "d"), "∂L/∂n · (−1) · 1");
        assert_eq!(edge(&m, &s, "y", "d"), "∂L/∂n · (−1) · (−1)");
    }

    #[test]
    fn simplifying_pulls_the_signs_to_the_front_where_they_cancel() {
        let spec = r#""symbolic": {"loss": "L", "ones": false, "simplify": true}"#;
        let (m, s) = symbols(&format!("{{{MINUSES}, {spec}}}"));
        assert_eq!(edge(&m, &s, "d", "n"), "−∂L/∂n");
        assert_eq!(edge(&m, &s, "x", "d"), "−∂L/∂n");
        assert_eq!(edge(&m, &s, "y", "d"), "∂L/∂n");
    }

    #[test]
    fn the_minus_signs_agree_with_the_gradients_either_way() {
        // Gradients of the output itself, without factors of 1: the labels are numbers.
        for simplify in [false, true] {
            let spec = format!(r#""symbolic": {{"ones": false, "simplify": {simplify}}}"#);
            let (m, s) = symbols(&format!("{{{MINUSES}, {spec}}}"));
            let trace = load::evaluate(Path::new("test.json"), &m).unwrap();
            for (from, to) in [("d", "n"), ("x", "d"), ("y", "d")] {
                let e = m
                    .graph
                    .find_edge(m.find(from).unwrap(), m.find(to).unwrap())
                    .unwrap();
                let gradient = trace.edge_grads[e.index()].sum();
                assert_eq!(s.edges[e.index()].eval(&|_| None), Some(gradient));
            }
        }
    }

    /// `n` tanh in a row, `h1` to `hn`; the output is `hn`.
    fn tanh_chain(n: usize, symbolic: &str) -> String {
        let mut nodes = vec![r#"{"id": "x", "input": 0.5}"#.to_string()];
        for k in 1..=n {
            let arg = if k == 1 {
                "x".to_string()
            } else {
                format!("h{}", k - 1)
            };
            nodes.push(format!(
                r#"{{"id": "h{k}", "op": "tanh", "args": ["{arg}"]}}"#
            ));
        }
        format!(
            r#"{{"nodes": [{}], "symbolic": {symbolic}}}"#,
            nodes.join(", ")
        )
    }

    #[test]
    fn a_deep_chain_is_written_compact_by_itself() {
        let (m, s) = symbols(&tanh_chain(8, r#"{"loss": "L"}"#));
        assert_eq!(edge(&m, &s, "h7", "h8"), "∂L/∂h₈ · (1 − h₈²)");
        assert_eq!(edge(&m, &s, "h3", "h4"), "∂L/∂h₄ · (1 − h₄²)");
        assert_eq!(edge(&m, &s, "x", "h1"), "∂L/∂h₁ · (1 − h₁²)");
        // No label is longer than the first one down: none grows with depth.
        let top = s.edges.iter().map(Math::size).max();
        assert_eq!(top, Some(s.edges[7].size()), "{:?}", s.edges);
    }

    #[test]
    fn a_shallow_chain_is_written_in_full_unless_asked() {
        let (m, s) = symbols(&tanh_chain(3, r#"{"loss": "L"}"#));
        assert_eq!(
            edge(&m, &s, "x", "h1"),
            "∂L/∂h₃ · (1 − h₃²) · (1 − h₂²) · (1 − h₁²)"
        );
        let (m, s) = symbols(&tanh_chain(3, r#"{"loss": "L", "form": "compact"}"#));
        assert_eq!(edge(&m, &s, "x", "h1"), "∂L/∂h₁ · (1 − h₁²)");
        assert_eq!(edge(&m, &s, "h2", "h3"), "∂L/∂h₃ · (1 − h₃²)");
        let (m, s) = symbols(&tanh_chain(8, r#"{"loss": "L", "form": "full"}"#));
        let full = edge(&m, &s, "x", "h1");
        assert!(full.starts_with("∂L/∂h₈ · (1 − h₈²) · (1 − h₇²)"), "{full}");
        assert_eq!(full.matches('·').count(), 8, "{full}");
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
