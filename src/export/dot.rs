//! The figure as Graphviz DOT, for readers who want to lay it out with Graphviz and for a
//! side-by-side with `dot`: left to right, operators in circles (layers in rounded boxes),
//! inputs and constants as bare names, the output flowing into its label, each edge labelled
//! with its value and, in the backward view, its gradient in bold red under it; a value used
//! more than once has the sum of its gradient as the node's `xlabel`, in bold red. Each group
//! of operators is a dashed cluster, as the figure frames it, and text is in the figure's own
//! sizes (16 for names and labels), so that one unit of its drawing is one pixel of ours.
//!
//! The texts are the figure's own ([`Texts`]); DOT node names are `n0`, `n1`, … by node index
//! (the output's label is `n{node count}`), each node's scenario id in its `comment`.
//! Nodes and edges are written in file order, so the same scenario gives the same bytes.

use std::fmt::Write;

use petgraph::graph::NodeIndex;

use crate::core::model::{Kind, Model};
use crate::draw::scene::{Style, GROUP};
use crate::draw::texts::Texts;
use crate::text::xml::escape;

/// The DOT text of `model`'s figure with its `texts`; with `show_gradients`, every edge that
/// the backward figure draws a gradient on (edges out of inputs and operators that the output
/// depends on, and the output's own) shows it under its value. A figure's `highlight` is not
/// applied: every such gradient is shown.
pub fn write(model: &Model, texts: &Texts, show_gradients: bool) -> String {
    let graph = &model.graph;
    let sink = graph.node_count();
    let red = Style::default().gradient;
    let mut needed = vec![false; sink];
    for n in model.backward_order() {
        needed[n.index()] = true;
    }

    let mut out = String::from("digraph chainrule {\n");
    out.push_str("  graph [rankdir=LR, fontname=\"DejaVu Sans\"");
    // The figure draws no title: the DOT keeps it as a comment, so that both are the same size.
    if !model.title.is_empty() {
        let _ = write!(out, ", comment={}", quote(&model.title));
    }
    out.push_str("];\n");
    out.push_str("  node [fontname=\"DejaVu Sans\", fontsize=16];\n");
    out.push_str("  edge [fontname=\"DejaVu Sans\", fontsize=16, arrowsize=0.7];\n");
    for n in graph.node_indices() {
        let node = &graph[n];
        let shape = match node.kind {
            Kind::Op(_) if node.is_layer() => "box, style=rounded",
            Kind::Op(_) => "circle",
            Kind::Input(_) | Kind::Const(_) => "plaintext",
        };
        let sum = texts.sums[n.index()].as_str();
        let xlabel = match edge_label("", sum, red) {
            Some(text) if show_gradients => format!(", xlabel={text}"),
            _ => String::new(),
        };
        let _ = writeln!(
            out,
            "  n{} [shape={shape}, label={}{xlabel}, comment={}];",
            n.index(),
            label(&texts.nodes[n.index()]),
            quote(&node.id)
        );
    }
    let _ = writeln!(
        out,
        "  n{sink} [shape=plaintext, label={}, comment=\"output label\"];",
        label(&texts.nodes[sink])
    );

    // Each group of operators as a cluster, framed as the figure frames it.
    let mut groups: std::collections::BTreeMap<&str, Vec<usize>> = Default::default();
    for n in graph.node_indices() {
        if let (Kind::Op(_), Some(g)) = (&graph[n].kind, graph[n].group.as_deref()) {
            groups.entry(g).or_default().push(n.index());
        }
    }
    for (k, (g, members)) in groups.iter().enumerate() {
        let caption = model
            .groups
            .get(*g)
            .and_then(|s| s.label.as_deref())
            .unwrap_or(g);
        let _ = write!(
            out,
            "  subgraph cluster_{k} {{ label={}; labeljust=l; style=dashed; color=\"{GROUP}\"; fontcolor=\"{GROUP}\"; fontsize=14;",
            label(caption)
        );
        for i in members {
            let _ = write!(out, " n{i};");
        }
        out.push_str(" }\n");
    }

    let edges = graph
        .raw_edges()
        .iter()
        .map(|e| (e.source().index(), e.target().index()))
        .chain([(model.output.index(), sink)]);
    for (e, (from, to)) in edges.enumerate() {
        let gradient = show_gradients
            && (to == sink
                || (needed[to] && !matches!(graph[NodeIndex::new(from)].kind, Kind::Const(_))));
        let value = texts.above[e].as_str();
        let below = if gradient {
            texts.below[e].as_str()
        } else {
            ""
        };
        let _ = write!(out, "  n{from} -> n{to}");
        if let Some(text) = edge_label(value, below, red) {
            let _ = write!(out, " [label={text}]");
        }
        out.push_str(";\n");
    }
    out.push_str("}\n");
    out
}

/// An edge's label: its value, and its gradient in bold `red` under it; `None` when neither
/// has anything to show. Graphviz rejects an empty `<B></B>`, so a gradient with no visible
/// text is left out, and a value alone is a plain quoted label. A label too long for one
/// HTML-like string (Graphviz reads at most about 16 KB in one) is written as a quoted one,
/// the gradient on its own line, neither bold nor red.
fn edge_label(value: &str, gradient: &str, red: &str) -> Option<String> {
    let (value_html, gradient_html) = (html(value), html(gradient));
    if gradient_html.trim().is_empty() {
        return (!value.is_empty()).then(|| label(value));
    }
    if value_html.len() + gradient_html.len() > HTML_UP_TO {
        return Some(label(&format!("{value}\n{gradient}")));
    }
    let br = if value_html.is_empty() { "" } else { "<BR/>" };
    Some(format!(
        "<{value_html}{br}<FONT COLOR=\"{red}\"><B>{gradient_html}</B></FONT>>"
    ))
}

/// The longest HTML-like label text written; Graphviz 2.43 fails on a string of 16 KB.
const HTML_UP_TO: usize = 8000;

/// The longest piece of a quoted string; longer strings are written as pieces joined by DOT's
/// `+`, since Graphviz 2.43 fails on a single string of 16 KB.
const QUOTED_PIECE: usize = 4000;

/// A DOT quoted string: `"` and `\` escaped, line breaks as `\n`, other control characters and
/// the non-characters U+FFFE and U+FFFF dropped; a long string in pieces joined by `+`.
fn quote(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 2);
    out.push('"');
    let mut piece = 0;
    for c in text.chars() {
        if piece >= QUOTED_PIECE {
            out.push_str("\" + \"");
            piece = 0;
        }
        let start = out.len();
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\u{FFFE}' | '\u{FFFF}' => {}
            c if c.is_control() => {}
            c => out.push(c),
        }
        piece += out.len() - start;
    }
    out.push('"');
    out
}

/// A quoted label: as [`quote`], with `&` written `&amp;` since Graphviz reads entities in
/// labels.
fn label(text: &str) -> String {
    quote(&text.replace('&', "&amp;"))
}

/// Text inside an HTML-like label: escaped as XML ([`escape`]), tabs as spaces (Graphviz
/// rejects a text of tabs alone), line breaks as `<BR/>`.
fn html(text: &str) -> String {
    escape(&text.replace('\t', " ")).replace('\n', "<BR/>")
}
