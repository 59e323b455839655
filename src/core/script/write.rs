//! Writing a scenario back out: as the text format (binary operators infix, the others as
//! calls, attributes only where they differ from the defaults) or as JSON in the style of
//! the shipped scenarios (a node, a figure or a label a line).

use std::fmt::{Debug, Write as _};

use serde_json::{Map, Number, Value};

use crate::core::limits::MAX_EXACT_INTEGER;
use crate::core::scenario::{ChainStyle, Literal, NodeSpec, Scenario, View};

/// The scenario in the text format. Read back with [`crate::core::script::read`], it is the
/// same scenario, but for what has no meaning: a figure's view written as the default
/// `backward`, a group declared with no settings, the order of the groups.
///
/// # Errors
/// An id or a name that the text format cannot write: one holding a backtick or a control
/// character.
pub fn to_text(scenario: &Scenario<'_>) -> Result<String, String> {
    let mut out = String::new();
    let mut line = |s: String| {
        out.push_str(&s);
        out.push('\n');
    };
    if let Some(title) = &scenario.title {
        line(format!("title {}", string(title)));
    }
    if let Some(description) = &scenario.description {
        line(format!("description {}", string(description)));
    }
    if let Some(layout) = scenario.layout {
        line(format!("layout {}", word(layout)));
    }
    if let Some(annotate) = scenario.annotate {
        line(format!("annotate {}", word(annotate)));
    }
    if let Some(n) = scenario.tensor_values {
        line(format!("tensor_values {n}"));
    }
    for node in &scenario.nodes {
        line(node_text(node)?);
    }
    if let Some(output) = &scenario.output {
        line(format!("output {}", bare(output)));
    }
    if let Some(seed) = &scenario.seed {
        line(format!("seed {}", value_text(seed)));
    }
    let mut groups: Vec<&str> = scenario.groups.keys().map(String::as_str).collect();
    for node in &scenario.nodes {
        if let Some(group) = node.group.as_deref() {
            if !groups.contains(&group) {
                groups.push(group);
            }
        }
    }
    for group in groups {
        let mut text = format!("group {}", name(group)?);
        if let Some(spec) = scenario.groups.get(group) {
            attr(&mut text, "label", spec.label.as_deref().map(string));
            attr(
                &mut text,
                "derivative",
                spec.derivative.as_deref().map(string),
            );
        }
        let members: Vec<String> = scenario
            .nodes
            .iter()
            .filter(|n| n.group.as_deref() == Some(group))
            .map(|n| name(&n.id))
            .collect::<Result<_, _>>()?;
        if !members.is_empty() {
            let _ = write!(text, ": {}", members.join(", "));
        }
        line(text);
    }
    for figure in &scenario.figures {
        let mut text = format!("figure {}", name(&figure.name)?);
        if figure.view != View::default() {
            attr(&mut text, "view", Some(word(figure.view)));
        }
        if let Some(highlight) = &figure.highlight {
            let ids: Vec<String> = highlight.iter().map(|id| bare(id)).collect();
            attr(
                &mut text,
                "highlight",
                Some(format!("[{}]", ids.join(", "))),
            );
        }
        attr(&mut text, "annotate", figure.annotate.map(word));
        attr(&mut text, "style", figure.style.map(word));
        if figure.collapse {
            text.push_str(" collapse");
        }
        attr(&mut text, "step", figure.step.map(|s| s.to_string()));
        line(text);
    }
    if let Some(symbolic) = &scenario.symbolic {
        let mut text = "symbolic".to_string();
        if symbolic.style != ChainStyle::default() {
            attr(&mut text, "style", Some(word(symbolic.style)));
        }
        attr(&mut text, "ones", symbolic.ones.map(|b| b.to_string()));
        attr(&mut text, "loss", symbolic.loss.as_deref().map(bare));
        attr(&mut text, "seed", symbolic.seed.as_deref().map(bare));
        attr(
            &mut text,
            "simplify",
            symbolic.simplify.map(|b| b.to_string()),
        );
        attr(&mut text, "form", symbolic.form.map(word));
        line(text);
    }
    if let Some(frames) = &scenario.frames {
        let mut text = "frames".to_string();
        attr(&mut text, "pass", frames.pass.map(word));
        attr(&mut text, "annotate", frames.annotate.map(word));
        line(text);
    }
    for label in &scenario.labels {
        let mut text = format!("label {} -> {}", name(&label.from)?, name(&label.to)?);
        attr(&mut text, "forward", label.forward.as_deref().map(string));
        attr(&mut text, "backward", label.backward.as_deref().map(string));
        line(text);
    }
    Ok(out)
}

/// ` key=value`, if there is a value.
fn attr(text: &mut String, key: &str, value: Option<String>) {
    if let Some(value) = value {
        let _ = write!(text, " {key}={value}");
    }
}

/// An enum's value as the files write it: its name in lowercase.
fn word(value: impl Debug) -> String {
    format!("{value:?}").to_lowercase()
}

/// One node as a statement.
fn node_text(node: &NodeSpec<'_>) -> Result<String, String> {
    let id = name(&node.id)?;
    let mut text = match (&node.input, &node.constant, &node.op) {
        (Some(Literal::Json(v)), None, None) if v.is_null() => format!("input {id}"),
        (Some(value), None, None) => format!("{id} = {}", literal_text(value)),
        (None, Some(value), None) => format!("const {id} = {}", literal_text(value)),
        (None, None, Some(op)) => {
            let args = node
                .args
                .iter()
                .flatten()
                .map(|a| name(&a.0))
                .collect::<Result<Vec<_>, _>>()?;
            format!("{id} = {}", expression(&op.0, &args, node))
        }
        _ => {
            return Err(format!(
                "node \"{}\" needs exactly one of \"input\", \"const\" or \"op\"",
                node.id
            ))
        }
    };
    if let Some(label) = node.label.as_deref() {
        let _ = write!(text, " {}", string(label));
    }
    attr(&mut text, "name", node.name.as_deref().map(string));
    attr(&mut text, "symbol", node.symbol.as_deref().map(string));
    Ok(text)
}

/// An op applied to its arguments: infix for the binary operators, a call for the rest.
fn expression(op: &str, args: &[String], node: &NodeSpec<'_>) -> String {
    let infix = match op {
        "add" => Some("+"),
        "sub" => Some("-"),
        "mul" => Some("*"),
        "div" => Some("/"),
        "matmul" => Some("@"),
        _ => None,
    };
    if let (Some(symbol), [a, b], None, None) = (infix, args, node.p, node.axis) {
        return format!("{a} {symbol} {b}");
    }
    match (op, args, node.p, node.axis) {
        ("neg", [a], None, None) => format!("-{a}"),
        ("pow", [a], Some(p), None) => format!("{a} ** {}", number_text(p)),
        _ => {
            let mut parts = args.to_vec();
            if let Some(p) = node.p {
                parts.push(format!("p={}", number_text(p)));
            }
            if let Some(axis) = node.axis {
                parts.push(format!("axis={axis}"));
            }
            format!("{op}({})", parts.join(", "))
        }
    }
}

/// A value as the text format writes it.
fn literal_text(value: &Literal) -> String {
    match value {
        Literal::Number(x) => number_text(*x),
        Literal::Json(v) => value_text(v),
    }
}

/// A number or nested arrays of numbers, each number as it was read.
fn value_text(value: &Value) -> String {
    match value {
        Value::Array(items) => {
            let items: Vec<String> = items.iter().map(value_text).collect();
            format!("[{}]", items.join(", "))
        }
        other => other.to_string(),
    }
}

/// A number, as an integer where it is one (`100`, not `100.0`), else as the shortest text
/// that reads back as the same number.
fn number_text(x: f64) -> String {
    number_value(x).to_string()
}

/// A number as JSON: an integer where it is one exactly.
fn number_value(x: f64) -> Value {
    if x.fract() == 0.0
        && x.abs() <= MAX_EXACT_INTEGER as f64
        && !(x == 0.0 && x.is_sign_negative())
    {
        Value::from(x as i64)
    } else {
        Number::from_f64(x).map_or(Value::Null, Value::Number)
    }
}

/// Whether `s` can be written as a bare name.
fn plain(s: &str) -> bool {
    !s.is_empty()
        && !s.starts_with(|c: char| c.is_numeric())
        && s.chars().all(|c| c.is_alphanumeric() || c == '_')
}

/// An id as a name: bare if it can be, else between backticks.
fn name(id: &str) -> Result<String, String> {
    if plain(id) {
        Ok(id.to_string())
    } else if id.contains(|c: char| c == '`' || c.is_control()) {
        Err(format!(
            "the id {} holds a backtick or a control character, which the text format cannot write",
            string(id)
        ))
    } else {
        Ok(format!("`{id}`"))
    }
}

/// A setting's value: bare if it is a plain name other than `true` and `false`, else quoted.
fn bare(s: &str) -> String {
    if plain(s) && s != "true" && s != "false" {
        s.to_string()
    } else {
        string(s)
    }
}

/// A string: in double quotes, or in single quotes where that spares escaping a backslash.
fn string(s: &str) -> String {
    let control = |c: char| c.is_control();
    if s.contains('\\') && !s.contains(['\'']) && !s.contains(control) {
        return format!("'{s}'");
    }
    let mut out = String::with_capacity(s.len() + 2);
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\t' => out.push_str("\\t"),
            c if c.is_control() => {
                let _ = write!(out, "\\u{{{:x}}}", u32::from(c));
            }
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// The scenario as JSON in the style of the shipped scenarios: each setting on a line of
/// its own, and each node, figure and label on one line.
pub fn to_json(scenario: &Scenario<'_>) -> String {
    let mut fields: Vec<(&str, String)> = Vec::new();
    let text = |s: &str| Value::String(s.to_string()).to_string();
    if let Some(title) = &scenario.title {
        fields.push(("title", text(title)));
    }
    if let Some(description) = &scenario.description {
        fields.push(("description", text(description)));
    }
    if let Some(layout) = scenario.layout {
        fields.push(("layout", text(&word(layout))));
    }
    if let Some(annotate) = scenario.annotate {
        fields.push(("annotate", text(&word(annotate))));
    }
    if let Some(n) = scenario.tensor_values {
        fields.push(("tensor_values", n.to_string()));
    }
    fields.push((
        "nodes",
        lines(scenario.nodes.iter().map(|n| inline(&node_json(n)))),
    ));
    if let Some(output) = &scenario.output {
        fields.push(("output", text(output)));
    }
    if let Some(seed) = &scenario.seed {
        fields.push(("seed", inline(seed)));
    }
    if !scenario.figures.is_empty() {
        let figures = scenario.figures.iter().map(|f| {
            let mut o = Map::new();
            o.insert("name".into(), Value::String(f.name.clone()));
            if f.view != View::default() {
                o.insert("view".into(), Value::String(word(f.view)));
            }
            if let Some(h) = &f.highlight {
                o.insert("highlight".into(), Value::from(h.clone()));
            }
            put(
                &mut o,
                "annotate",
                f.annotate.map(|a| Value::String(word(a))),
            );
            put(&mut o, "style", f.style.map(|s| Value::String(word(s))));
            if f.collapse {
                o.insert("collapse".into(), Value::Bool(true));
            }
            put(&mut o, "step", f.step.map(Value::from));
            inline(&Value::Object(o))
        });
        fields.push(("figures", lines(figures)));
    }
    if let Some(s) = &scenario.symbolic {
        let mut o = Map::new();
        if s.style != ChainStyle::default() {
            o.insert("style".into(), Value::String(word(s.style)));
        }
        put(&mut o, "ones", s.ones.map(Value::Bool));
        put(&mut o, "loss", s.loss.clone().map(Value::String));
        put(&mut o, "seed", s.seed.clone().map(Value::String));
        put(&mut o, "simplify", s.simplify.map(Value::Bool));
        put(&mut o, "form", s.form.map(|f| Value::String(word(f))));
        fields.push(("symbolic", inline(&Value::Object(o))));
    }
    if let Some(f) = &scenario.frames {
        let mut o = Map::new();
        put(&mut o, "pass", f.pass.map(|p| Value::String(word(p))));
        put(
            &mut o,
            "annotate",
            f.annotate.map(|a| Value::String(word(a))),
        );
        fields.push(("frames", inline(&Value::Object(o))));
    }
    if !scenario.labels.is_empty() {
        let labels = scenario.labels.iter().map(|l| {
            let mut o = Map::new();
            o.insert("from".into(), Value::String(l.from.clone()));
            o.insert("to".into(), Value::String(l.to.clone()));
            put(&mut o, "forward", l.forward.clone().map(Value::String));
            put(&mut o, "backward", l.backward.clone().map(Value::String));
            inline(&Value::Object(o))
        });
        fields.push(("labels", lines(labels)));
    }
    if !scenario.groups.is_empty() {
        let mut o = Map::new();
        for (name, g) in &scenario.groups {
            let mut spec = Map::new();
            put(&mut spec, "label", g.label.clone().map(Value::String));
            put(
                &mut spec,
                "derivative",
                g.derivative.clone().map(Value::String),
            );
            o.insert(name.clone(), Value::Object(spec));
        }
        fields.push(("groups", inline(&Value::Object(o))));
    }
    let body: Vec<String> = fields
        .into_iter()
        .map(|(key, value)| format!("  {}: {value}", text(key)))
        .collect();
    format!("{{\n{}\n}}\n", body.join(",\n"))
}

fn put(o: &mut Map<String, Value>, key: &str, value: Option<Value>) {
    if let Some(value) = value {
        o.insert(key.to_string(), value);
    }
}

/// A list with an item a line.
fn lines(items: impl Iterator<Item = String>) -> String {
    let items: Vec<String> = items.map(|i| format!("    {i}")).collect();
    if items.is_empty() {
        return "[]".to_string();
    }
    format!("[\n{}\n  ]", items.join(",\n"))
}

/// A node as a JSON object, its fields in the order the shipped scenarios write them.
fn node_json(node: &NodeSpec<'_>) -> Value {
    let mut o = Map::new();
    let literal = |v: &Literal| match v {
        Literal::Number(x) => number_value(*x),
        Literal::Json(v) => (**v).clone(),
    };
    o.insert("id".into(), Value::String(node.id.to_string()));
    put(&mut o, "input", node.input.as_ref().map(literal));
    put(&mut o, "const", node.constant.as_ref().map(literal));
    put(
        &mut o,
        "op",
        node.op.as_ref().map(|op| Value::String(op.0.to_string())),
    );
    put(&mut o, "p", node.p.map(number_value));
    put(&mut o, "axis", node.axis.map(Value::from));
    put(
        &mut o,
        "args",
        node.args.as_ref().map(|args| {
            Value::Array(
                args.iter()
                    .map(|a| Value::String(a.0.to_string()))
                    .collect(),
            )
        }),
    );
    put(&mut o, "label", node.label.clone().map(Value::String));
    put(&mut o, "name", node.name.clone().map(Value::String));
    put(&mut o, "symbol", node.symbol.clone().map(Value::String));
    put(&mut o, "group", node.group.clone().map(Value::String));
    Value::Object(o)
}

/// JSON on one line, with a space after each `:` and `,`.
fn inline(value: &Value) -> String {
    match value {
        Value::Array(items) => {
            let items: Vec<String> = items.iter().map(inline).collect();
            format!("[{}]", items.join(", "))
        }
        Value::Object(map) => {
            let items: Vec<String> = map
                .iter()
                .map(|(k, v)| format!("{}: {}", Value::String(k.clone()), inline(v)))
                .collect();
            format!("{{{}}}", items.join(", "))
        }
        other => other.to_string(),
    }
}
