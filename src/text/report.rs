//! What `chainrule eval` prints: a table for people, JSON for programs, or the backward pass
//! as numbered steps. The table and the JSON read only values and gradients, from a whole
//! [`Trace`] or from the [`Numbers`](crate::core::engine::Numbers) of a faster evaluation, and are
//! written straight into one string: a graph of a million nodes prints in a fraction of a
//! second.

#[cfg(feature = "parallel")]
use rayon::prelude::*;
use serde::ser::{Serialize, SerializeMap, Serializer};
use serde_json::Value;

use crate::core::engine::{Evaluated, Number, Trace};
use crate::core::model::{Kind, Model};
use crate::core::tensor::{self, shape_text};
use crate::text::format;
use crate::text::steps;

/// A table of every node in file order: id, kind, value and gradient, numbers in the short
/// form the figures use, tensors with their shape.
pub fn table(model: &Model, numbers: &(impl Evaluated + Sync), precision: usize) -> String {
    let nodes = || model.graph.node_weights();
    let n = model.graph.node_count();
    let (cells, ends) = cells(numbers, n, precision);
    let cell = |k: usize| &cells[if k == 0 { 0 } else { ends[k - 1] }..ends[k]];
    let mut widths = [width("id"), width("op"), width("value")];
    for node in nodes() {
        widths[0] = widths[0].max(width(&node.id));
        widths[1] = widths[1].max(width(node.kind_name()));
    }
    for i in 0..n {
        widths[2] = widths[2].max(width(cell(2 * i)));
    }
    let mut out = String::with_capacity(cells.len() + n * (widths.iter().sum::<usize>() + 8));
    if !model.title.is_empty() {
        out.push_str(&model.title);
        out.push('\n');
    }
    row(&mut out, ["id", "op", "value", "gradient"], widths);
    for (i, node) in nodes().enumerate() {
        let texts = [&node.id, node.kind_name(), cell(2 * i), cell(2 * i + 1)];
        row(&mut out, texts, widths);
    }
    out
}

#[cfg(feature = "parallel")]
/// Nodes per thread below which formatting the cells on one more thread doesn't pay.
const NODES_PER_THREAD: usize = 50_000;

/// Every node's value cell and gradient cell, one after another in one string, and where each
/// ends; formatted on as many threads as the machine has and the graph's size warrants.
fn cells(numbers: &(impl Evaluated + Sync), n: usize, precision: usize) -> (String, Vec<usize>) {
    let format = |nodes: std::ops::Range<usize>| {
        let mut cells = String::with_capacity(16 * nodes.len());
        let mut ends = Vec::with_capacity(2 * nodes.len());
        for i in nodes {
            cell(&mut cells, numbers.value(i), precision);
            ends.push(cells.len());
            cell(&mut cells, numbers.grad(i), precision);
            ends.push(cells.len());
        }
        (cells, ends)
    };
    #[cfg(feature = "parallel")]
    {
        let threads = rayon::current_num_threads().min(n / NODES_PER_THREAD);
        if threads > 1 {
            let block = n.div_ceil(threads);
            let blocks: Vec<(String, Vec<usize>)> = (0..threads)
                .into_par_iter()
                .map(|t| format(t * block..n.min((t + 1) * block)))
                .collect();
            let mut cells = String::with_capacity(blocks.iter().map(|(c, _)| c.len()).sum());
            let mut ends = Vec::with_capacity(2 * n);
            for (text, block_ends) in blocks {
                ends.extend(block_ends.iter().map(|end| cells.len() + end));
                cells.push_str(&text);
            }
            return (cells, ends);
        }
    }
    format(0..n)
}

/// Writes one value or gradient as a table cell: a number, or a tensor after its shape.
fn cell(out: &mut String, number: Number<'_>, precision: usize) {
    match number {
        Number::Scalar(x) => format::write_number(out, x, precision),
        Number::Tensor(t) => {
            let text = format::tensor(t, precision);
            if t.ndim() > 0 && !text.ends_with("tensor") {
                out.push_str(&shape_text(t.shape()));
                out.push(' ');
            }
            out.push_str(&text);
        }
    }
}

/// Writes one line of the table: each of the first three texts padded to its column's width
/// and two spaces, then the last.
fn row(out: &mut String, texts: [&str; 4], widths: [usize; 3]) {
    for (text, w) in texts.iter().zip(widths) {
        out.push_str(text);
        let mut pad = w - width(text) + 2;
        while pad > 0 {
            let spaces = &SPACES[..pad.min(SPACES.len())];
            out.push_str(spaces);
            pad -= spaces.len();
        }
    }
    out.push_str(texts[3]);
    out.push('\n');
}

/// Spaces to pad the table's cells with.
const SPACES: &str = "                                ";

/// The width of a text in a terminal, as the table counts it: one column per character.
fn width(text: &str) -> usize {
    if text.is_ascii() {
        text.len()
    } else {
        text.chars().count()
    }
}

/// `{"output": ID, "values": {ID: V, ...}, "grads": {ID: G, ...}}`, full `f64` precision,
/// nodes in file order.
pub fn json(model: &Model, numbers: &impl Evaluated) -> Value {
    serde_json::to_value(Report { model, numbers }).expect("a report's keys are strings")
}

/// [`json`] as the text `chainrule eval --json` prints, ending with a newline; written
/// directly, without building the [`Value`].
pub fn json_text(model: &Model, numbers: &impl Evaluated) -> String {
    let mut text =
        serde_json::to_string(&Report { model, numbers }).expect("a report's keys are strings");
    text.push('\n');
    text
}

/// The JSON report of [`json`], serialised node by node.
struct Report<'a, E> {
    model: &'a Model,
    numbers: &'a E,
}

impl<E: Evaluated> Serialize for Report<'_, E> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let model = self.model;
        let mut map = serializer.serialize_map(Some(3))?;
        map.serialize_entry("output", &model.graph[model.output].id)?;
        map.serialize_entry("values", &PerNode(self, E::value))?;
        map.serialize_entry("grads", &PerNode(self, E::grad))?;
        map.end()
    }
}

/// `{ID: number, ...}` for every node, the number picked by the function.
struct PerNode<'r, 'a, E>(&'r Report<'a, E>, fn(&E, usize) -> Number<'_>);

impl<E: Evaluated> Serialize for PerNode<'_, '_, E> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let PerNode(Report { model, numbers }, pick) = self;
        let mut map = serializer.serialize_map(Some(model.graph.node_count()))?;
        for (i, node) in model.graph.node_weights().enumerate() {
            match pick(numbers, i) {
                Number::Scalar(x) => map.serialize_entry(&node.id, &x)?,
                Number::Tensor(t) => map.serialize_entry(&node.id, &tensor::to_json(t))?,
            }
        }
        map.end()
    }
}

/// The backward pass as numbered sentences, one per line; a step in which the last
/// contribution to a value used more than once arrives says what it collects. Nodes are
/// named as a figure shows them (`the × node`, `the constant 1`, an input's label), an
/// operator with its label or id after it, as the table names it, to tell one `×` from
/// another: `the × node (apple_price)`.
pub fn steps(model: &Model, trace: &Trace, precision: usize, lang: steps::Lang) -> String {
    let name = |n: petgraph::graph::NodeIndex| {
        let node = &model.graph[n];
        let word = match &node.kind {
            Kind::Const(v) if node.label.is_none() => format::tensor(v, precision),
            _ => node.name().to_string(),
        };
        steps::called(model, n, word, Some(node.name().to_string()))
    };
    let sums = steps::sums_by_step(model, trace);
    trace
        .steps
        .iter()
        .zip(&sums)
        .enumerate()
        .map(|(i, (step, sums))| {
            let collected: Vec<String> = sums
                .iter()
                .map(|sum| steps::collects(trace, sum, precision, &name, lang))
                .collect();
            let sentence = steps::sentence(step, precision, &name, lang);
            format!(
                "step {}: {}\n",
                i + 1,
                lang.and_collects(sentence, &collected)
            )
        })
        .collect()
}
