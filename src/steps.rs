//! The backward pass in words: one sentence per [`Step`], for `eval --steps` and for the
//! captions of frames, e.g. `× apple_price got 1.1 from above; sends 1.1 × 2 = 2.2 to apple
//! and 1.1 × 100 = 110 to apple_num`.

use petgraph::graph::NodeIndex;

use crate::engine::{Send, Step};
use crate::format;
use crate::model::Model;

/// The sentence for one step. `name` gives the word used for each node (its id, or its label
/// in a figure).
pub fn sentence(
    model: &Model,
    step: &Step,
    precision: usize,
    name: &dyn Fn(NodeIndex) -> String,
) -> String {
    let t = |x| format::tensor(x, precision);
    let node = &model.graph[step.node];
    if step.is_seed() {
        return format!(
            "{} starts with the seed {}",
            name(step.node),
            t(&step.upstream)
        );
    }
    let sends: Vec<String> = step
        .sends
        .iter()
        .map(|send| format!("{} to {}", amount(step, send, precision), name(send.to)))
        .collect();
    format!(
        "{} {} got {} from above; sends {}",
        node.symbol(),
        name(step.node),
        t(&step.upstream),
        join(&sends)
    )
}

/// `1.1 × 2 = 2.2` where the local derivative is known and shapes agree, else just the value.
fn amount(step: &Step, send: &Send, precision: usize) -> String {
    let t = |x| format::tensor(x, precision);
    match &send.local {
        Some(local)
            if local.shape() == send.grad.shape() && step.upstream.shape() == send.grad.shape() =>
        {
            format!("{} × {} = {}", t(&step.upstream), t(local), t(&send.grad))
        }
        _ => t(&send.grad),
    }
}

/// `a`, `a and b`, `a, b and c`.
fn join(items: &[String]) -> String {
    match items {
        [] => String::new(),
        [one] => one.clone(),
        [init @ .., last] => format!("{} and {last}", init.join(", ")),
    }
}

/// The sentence for computing one operator node in the forward pass, e.g.
/// `× apple_price computes 100 × 2 = 200` or `exp exp_neg_x computes exp(−1) = 0.3679`.
pub fn forward_sentence(
    model: &Model,
    values: &[crate::tensor::Tensor],
    node: NodeIndex,
    precision: usize,
    name: &dyn Fn(NodeIndex) -> String,
) -> String {
    let t = |n: NodeIndex| format::tensor(&values[n.index()], precision);
    let op = &model.graph[node];
    let symbol = op.symbol();
    let args: Vec<String> = model.in_edges(node).iter().map(|&(_, a)| t(a)).collect();
    let infix = matches!(op.kind_name(), "add" | "sub" | "mul" | "div");
    let expression = if infix {
        args.join(&format!(" {symbol} "))
    } else {
        format!("{symbol}({})", args.join(", "))
    };
    format!(
        "{symbol} {} computes {expression} = {}",
        name(node),
        t(node)
    )
}
