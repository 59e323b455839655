//! The passes in words: one sentence per [`Step`], for `eval --steps` and for the captions
//! of frames, e.g. `the × node got 1.1 from above; sends 1.1 × 2 = 2.2 to apple and
//! 1.1 × 100 = 110 to apple count`, in English or in Chinese, the language of the text. A
//! sentence never starts with an operator's glyph: a node is [`Called`] as a figure shows it.
//! In the step where the last contribution to a value used more than once arrives, the
//! sentence adds what it collects: `…; x collects 4 + 1 = 5`.

use petgraph::graph::NodeIndex;

use crate::core::engine::{accumulations, Accumulation, Send, Step, Trace};
use crate::core::model::{Kind, Model};
use crate::core::tensor::Tensor;
use crate::text::format;

/// The language of the sentences chainrule writes.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
#[cfg_attr(feature = "cli", derive(clap::ValueEnum))]
pub enum Lang {
    /// English.
    #[default]
    En,
    /// Chinese (简体中文), the language of the lecture notes.
    Zh,
}

/// How a sentence names a node: as a figure shows it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Called {
    /// An operator, by the symbol drawn in its circle, and the name of its value where that
    /// is shown too: `the × node`, `the × node (payment)`.
    Op {
        /// The symbol in the node's circle: `×`, `exp`.
        symbol: String,
        /// The name of the node's value, where one is shown.
        value: Option<String>,
    },
    /// A constant drawn as its value: `the constant −1`.
    Const(String),
    /// A node drawn with its name (an input, a labelled constant): `apple count`.
    Named(String),
}

/// How a sentence names node `n` of `model`: an operator by its symbol, `value` the name of
/// its value where that is shown; a constant without a label by `word`, its value as drawn;
/// any other node by `word`, its name as drawn.
pub fn called(model: &Model, n: NodeIndex, word: String, value: Option<String>) -> Called {
    let node = &model.graph[n];
    match &node.kind {
        Kind::Op(_) => Called::Op {
            symbol: node.symbol(),
            value,
        },
        Kind::Const(v) if node.label.is_none() && v.ndim() == 0 => Called::Const(word),
        _ => Called::Named(word),
    }
}

impl Lang {
    /// A node in words: `the × node (payment)`, `the constant −1`, `apple`; in Chinese
    /// `× 节点（payment）`, `常数 −1`, `apple`.
    pub fn called(self, called: &Called) -> String {
        match (self, called) {
            (Lang::En, Called::Op { symbol, value }) => match value {
                Some(value) => format!("the {symbol} node ({value})"),
                None => format!("the {symbol} node"),
            },
            (Lang::Zh, Called::Op { symbol, value }) => match value {
                Some(value) => format!("{symbol} 节点（{value}）"),
                None => format!("{symbol} 节点"),
            },
            (Lang::En, Called::Const(value)) => format!("the constant {value}"),
            (Lang::Zh, Called::Const(value)) => format!("常数 {value}"),
            (_, Called::Named(name)) => name.clone(),
        }
    }
    /// `payment starts with the seed 1`.
    pub fn seed(self, name: &str, seed: &str) -> String {
        match self {
            Lang::En => format!("{name} starts with the seed {seed}"),
            Lang::Zh => format!("{name} 从初始值 {seed} 开始"),
        }
    }
    /// `the × node (payment) got 1 from above; sends …`, `node` as [`Lang::called`] writes it.
    pub fn step(self, node: &str, up: &str, sends: &[String]) -> String {
        match self {
            Lang::En => format!(
                "{node} got {up} from above; sends {}",
                join(sends, ", ", " and ")
            ),
            Lang::Zh => format!(
                "{node}{}从上游得到 {up}，传给下游：{}",
                gap(node),
                join(sends, "，", "，")
            ),
        }
    }
    /// `1 × 1.1 = 1.1 to the + node`.
    pub fn send(self, amount: &str, to: &str) -> String {
        match self {
            Lang::En => format!("{amount} to {to}"),
            Lang::Zh => format!("{to}{}得到 {amount}", gap(to)),
        }
    }
    /// `the × node computes 100 × 2 = 200`; for figures drawn with symbols, `the × node
    /// computes x × y = z` (the value's name left out where it is the expression).
    pub fn computes(self, node: &str, expression: &str, value: &str) -> String {
        let result = if value == expression {
            value.to_string()
        } else {
            format!("{expression} = {value}")
        };
        match self {
            Lang::En => format!("{node} computes {result}"),
            Lang::Zh => format!("{node}{}计算 {result}", gap(node)),
        }
    }
    /// `x collects 4 + 1 = 5`: a value used more than once adds up what arrives.
    pub fn collects(self, name: &str, sum: &str) -> String {
        match self {
            Lang::En => format!("{name} collects {sum}"),
            Lang::Zh => format!("{name}{}共得到 {sum}", gap(name)),
        }
    }
    /// A step's sentence and what is collected in it, one clause each:
    /// `the × node got 1 from above; sends …; x collects 4 + 1 = 5`.
    pub fn and_collects(self, sentence: String, collected: &[String]) -> String {
        let separator = match self {
            Lang::En => "; ",
            Lang::Zh => "；",
        };
        collected
            .iter()
            .fold(sentence, |all, c| format!("{all}{separator}{c}"))
    }
    /// `The inputs: apple = 100, tax = 1.1.`
    pub fn inputs(self, given: &[String]) -> String {
        match self {
            Lang::En => format!("The inputs: {}.", given.join(", ")),
            Lang::Zh => format!("输入：{}。", given.join("，")),
        }
    }
    /// `The forward pass gives payment = 220; …`
    pub fn forward_done(self, name: &str, value: &str) -> String {
        match self {
            Lang::En => format!(
                "The forward pass gives {name} = {value}; the backward pass starts at the output."
            ),
            Lang::Zh => format!("正向传播得到 {name} = {value}，反向传播从输出开始。"),
        }
    }
}

/// The space between a name and the Chinese word after it: none after a full-width bracket
/// (`× 节点（y）从上游得到`), which has its own.
fn gap(name: &str) -> &'static str {
    if name.ends_with('）') {
        ""
    } else {
        " "
    }
}

/// The sentence for one step. `name` says how each node is [`Called`]; the seed is said of the
/// output's value, by its name where that is shown.
pub fn sentence(
    step: &Step,
    precision: usize,
    name: &dyn Fn(NodeIndex) -> Called,
    lang: Lang,
) -> String {
    let t = |x| format::tensor(x, precision);
    let said = |n| lang.called(&name(n));
    if step.is_seed() {
        let output = match name(step.node) {
            Called::Op {
                value: Some(value), ..
            } => value,
            other => lang.called(&other),
        };
        return lang.seed(&output, &t(&step.upstream));
    }
    let sends: Vec<String> = step
        .sends
        .iter()
        .map(|send| lang.send(&amount(step, send, precision), &said(send.to)))
        .collect();
    lang.step(&said(step.node), &t(&step.upstream), &sends)
}

/// The nodes whose gradient is written as a sum of what arrives: those used more than once
/// ([`accumulations`]), constants left out (their gradients are not drawn).
pub fn sums(model: &Model, trace: &Trace) -> Vec<Accumulation> {
    let mut found = accumulations(model, trace);
    found.retain(|a| !matches!(model.graph[a.node].kind, Kind::Const(_)));
    found
}

/// [`sums`] by the index of the step in which each one's last contribution arrives.
pub fn sums_by_step(model: &Model, trace: &Trace) -> Vec<Vec<Accumulation>> {
    let mut by_step = vec![Vec::new(); trace.steps.len()];
    for sum in sums(model, trace) {
        if let Some(k) = sum.step {
            by_step[k].push(sum);
        }
    }
    by_step
}

/// `x collects 4 + 1 = 5`: the contributions in the order of the uses, and the gradient.
pub fn collects(
    trace: &Trace,
    sum: &Accumulation,
    precision: usize,
    name: &dyn Fn(NodeIndex) -> Called,
    lang: Lang,
) -> String {
    let terms: Vec<&Tensor> = sum
        .edges
        .iter()
        .map(|e| &trace.edge_grads[e.index()])
        .collect();
    let total = &trace.grads[sum.node.index()];
    lang.collects(
        &lang.called(&name(sum.node)),
        &format::sum(&terms, total, precision),
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

/// `a`, `a and b`, `a, b and c` (with the language's separators).
pub fn join(items: &[String], comma: &str, and: &str) -> String {
    match items {
        [] => String::new(),
        [one] => one.clone(),
        [init @ .., last] => format!("{}{and}{last}", init.join(comma)),
    }
}

/// The sentence for computing one operator node in the forward pass, e.g.
/// `the × node computes 100 × 2 = 200` or `the exp node computes exp(−1) = 0.3679`.
pub fn forward_sentence(
    model: &Model,
    values: &[Tensor],
    node: NodeIndex,
    precision: usize,
    name: &dyn Fn(NodeIndex) -> Called,
    lang: Lang,
) -> String {
    let t = |n: NodeIndex| format::tensor(&values[n.index()], precision);
    let expression = applied(model, node, &|a| t(a));
    lang.computes(&lang.called(&name(node)), &expression, &t(node))
}

/// Operator `node` applied to its arguments, each written by `arg`: `100 × 2` for the
/// arithmetic operators, `exp(−1)` for the others.
pub fn applied(model: &Model, node: NodeIndex, arg: &dyn Fn(NodeIndex) -> String) -> String {
    let symbol = model.graph[node].symbol();
    let args: Vec<String> = model.in_edges(node).iter().map(|&(_, a)| arg(a)).collect();
    if matches!(model.graph[node].kind_name(), "add" | "sub" | "mul" | "div") {
        args.join(&format!(" {symbol} "))
    } else {
        format!("{symbol}({})", args.join(", "))
    }
}
