//! Math names for the operator nodes an expression makes without a name of their own: the
//! expression they compute, written from their operands' names (`x+y`, `exp(−x)`,
//! `(x+y)·z`), so that a symbolic figure of `f = (x + y) * z` reads ∂f/∂f · (x + y), not
//! ∂f/∂f · x_plus_y. A node keeps its id where this cannot be written as a name that
//! symbolic labels read back as math (see `Math::parse_name`): an operand with a label or a
//! TeX name, a tensor constant, an op other than those below, or a name too long to read.

use std::collections::{HashMap, HashSet};

use crate::core::scenario::NodeSpec;

/// Names longer than this are not given: the node keeps its id.
const MAX_NAME_CHARS: usize = 40;

/// How tightly a name binds as an operand, loosest first: where an operator binds tighter,
/// the operand goes in parentheses.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Binding {
    Sum,
    Neg,
    Product,
    Atom,
}

/// Gives each generated operator node of `nodes` (an op node whose id is in `generated`)
/// the math name of what it computes, where its operands' names allow it.
pub(super) fn name_generated(nodes: &mut [NodeSpec<'static>], generated: &HashSet<String>) {
    let made = |n: &NodeSpec<'_>| n.op.is_some() && generated.contains(n.id.as_ref());
    // Only the operands of generated nodes need a name: a text of a million statements that
    // generate nothing keeps no second table of its ids.
    let operands: HashSet<&str> = nodes
        .iter()
        .filter(|n| made(n))
        .flat_map(|n| n.args.iter().flatten().map(|a| a.0.as_ref()))
        .collect();
    let mut names: HashMap<String, (String, Binding)> = nodes
        .iter()
        .filter(|n| !made(n) && operands.contains(n.id.as_ref()))
        .filter_map(|n| Some((n.id.to_string(), written(n)?)))
        .collect();
    drop(operands);
    // Generated nodes come after their operands (post-order), so one pass names them all.
    for node in nodes.iter_mut() {
        if !made(node) {
            continue;
        }
        let operands: Option<Vec<&(String, Binding)>> = node
            .args
            .iter()
            .flatten()
            .map(|a| names.get(a.0.as_ref()))
            .collect();
        let op = node.op.as_ref().map_or("", |o| o.0.as_ref());
        let name = operands
            .and_then(|o| compose(op, &o, node.p.is_none() && node.axis.is_none()))
            .filter(|(text, _)| text.chars().count() <= MAX_NAME_CHARS);
        if let Some(name) = name {
            node.name = Some(name.0.clone());
            names.insert(node.id.to_string(), name);
        }
    }
}

/// The name of a node a statement made (or an input or a number), as math text, if it can
/// be part of a generated name: its `name`, a plain id, or a number's text.
fn written(node: &NodeSpec<'_>) -> Option<(String, Binding)> {
    let plain = |s: &str| {
        !s.is_empty()
            && s.chars().all(|c| {
                c.is_alphanumeric()
                    || matches!(c, '_' | '.' | '(' | ')' | '+' | '−' | '-' | '·' | '*')
            })
    };
    if let Some(name) = &node.name {
        return plain(name).then(|| (name.replace('-', "−"), binding(name)));
    }
    if let Some(label) = &node.label {
        let number = node.constant.is_some()
            && label
                .trim_start_matches('-')
                .chars()
                .all(|c| c.is_ascii_digit() || c == '.');
        return number.then(|| (label.replace('-', "−"), binding(label)));
    }
    let id = node.id.as_ref();
    let simple = id.chars().all(|c| c.is_alphanumeric() || c == '_');
    (simple && node.constant.is_none() && !id.starts_with(|c: char| c.is_ascii_digit()))
        .then(|| (id.to_string(), Binding::Atom))
}

/// How `text` binds: by the loosest operator outside parentheses.
fn binding(text: &str) -> Binding {
    let mut depth = 0_i32;
    let mut found = Binding::Atom;
    for (i, c) in text.chars().enumerate() {
        match c {
            '(' => depth += 1,
            ')' => depth -= 1,
            '+' | '−' | '-' if depth == 0 && i > 0 => return Binding::Sum,
            '−' | '-' if depth == 0 => found = Binding::Neg,
            '·' | '*' if depth == 0 && found == Binding::Atom => found = Binding::Product,
            _ => {}
        }
    }
    found
}

/// `op` applied to `operands` as math text, if it is one written that way (`simple`: the
/// node has no parameter).
fn compose(op: &str, operands: &[&(String, Binding)], simple: bool) -> Option<(String, Binding)> {
    // An operand in parentheses where it binds no tighter than `loosest`.
    let wrap = |(text, b): &(String, Binding), loosest: Binding| {
        if *b <= loosest {
            format!("({text})")
        } else {
            text.clone()
        }
    };
    let function = match op {
        "exp" | "log" | "tanh" | "sin" | "cos" | "sqrt" | "abs" | "sigmoid" => Some(op),
        "relu" => Some("ReLU"),
        _ => None,
    };
    match (op, operands) {
        _ if !simple => None,
        ("add", [a, b]) => Some(match b.0.strip_prefix('−') {
            Some(rest) if b.1 == Binding::Neg => (format!("{}−{rest}", a.0), Binding::Sum),
            _ => (format!("{}+{}", a.0, b.0), Binding::Sum),
        }),
        ("sub", [a, b]) => Some((format!("{}−{}", a.0, wrap(b, Binding::Neg)), Binding::Sum)),
        ("mul" | "matmul", [a, b]) => Some((
            format!("{}·{}", wrap(a, Binding::Neg), wrap(b, Binding::Neg)),
            Binding::Product,
        )),
        ("neg", [a]) => Some((format!("−{}", wrap(a, Binding::Neg)), Binding::Neg)),
        (_, [a]) => function.map(|f| (format!("{f}({})", a.0), Binding::Atom)),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bindings_by_the_loosest_operator_outside_parentheses() {
        assert_eq!(binding("x"), Binding::Atom);
        assert_eq!(binding("exp(−x+1)"), Binding::Atom);
        assert_eq!(binding("−x"), Binding::Neg);
        assert_eq!(binding("x·y"), Binding::Product);
        assert_eq!(binding("−x·y"), Binding::Neg);
        assert_eq!(binding("(x+y)·z"), Binding::Product);
        assert_eq!(binding("1+exp(−x)"), Binding::Sum);
        assert_eq!(binding("x−y"), Binding::Sum);
    }

    #[test]
    fn operands_in_parentheses_where_the_operator_binds_tighter() {
        let sum = ("x+y".to_string(), Binding::Sum);
        let neg = ("−x".to_string(), Binding::Neg);
        let z = ("z".to_string(), Binding::Atom);
        let c = |op: &str, o: &[&(String, Binding)]| compose(op, o, true).map(|(t, _)| t);
        assert_eq!(c("mul", &[&sum, &z]).as_deref(), Some("(x+y)·z"));
        assert_eq!(c("mul", &[&z, &neg]).as_deref(), Some("z·(−x)"));
        assert_eq!(c("sub", &[&z, &sum]).as_deref(), Some("z−(x+y)"));
        assert_eq!(c("sub", &[&sum, &z]).as_deref(), Some("x+y−z"));
        assert_eq!(c("add", &[&z, &neg]).as_deref(), Some("z−x"));
        assert_eq!(c("neg", &[&sum]).as_deref(), Some("−(x+y)"));
        assert_eq!(c("exp", &[&neg]).as_deref(), Some("exp(−x)"));
        assert_eq!(c("relu", &[&z]).as_deref(), Some("ReLU(z)"));
        assert_eq!(c("div", &[&z, &z]), None);
        assert_eq!(compose("mul", &[&z, &z], false), None);
    }
}
