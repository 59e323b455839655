//! The statements of the text format other than what an expression makes: the settings
//! (`title "…"`), `symbolic`, `frames`, `figure`, `label` and `group` with their attributes,
//! `input name` and `const name = …`, and an assignment's target, label and attributes.

use serde::Deserialize;
use serde_json::{Map, Value};

use super::{starts_expression, Fail, Operand, Parser, BARE, NODES, SETTINGS, WITH_ATTRIBUTES};
use crate::core::scenario::{FigureSpec, FramesSpec, GroupSpec, LabelSpec, SymbolicSpec};
use crate::core::script::lexer::Tok;
use crate::error::TextProblem;

impl Parser<'_> {
    pub(super) fn statement(&mut self) -> Result<(), Fail> {
        let (first, second) = (self.peek().clone(), self.peek_at(1).clone());
        if starts_expression(&first, &second) {
            let at = self.pos();
            if self.places.contains_key(BARE) {
                return Err((
                    at,
                    TextProblem::Syntax(format!(
                        "an expression standing alone is named {BARE}, which an earlier \
                         statement made: give this one a name (g = …)"
                    )),
                ));
            }
            self.assignment(BARE.to_string(), at, "input")?;
            self.bare = true;
            return Ok(());
        }
        let (word, at) = self.name("a statement: name = expression, or a setting such as title")?;
        if self.peek() == &Tok::Assign {
            self.bump();
            return self.assignment(word, at, "input");
        }
        match word.as_str() {
            "const" => {
                let (target, at) = self.name("the constant's name")?;
                self.expect(&Tok::Assign, "\"=\" and the constant's value")?;
                self.assignment(target, at, "const")
            }
            "input" => {
                let (target, at) = self.name("the input's name")?;
                let mut node = Map::new();
                node.insert("id".into(), Value::String(target));
                node.insert("input".into(), Value::Null);
                self.node_attributes(&mut node)?;
                self.push_node(node, at)
            }
            "symbolic" | "frames" => {
                let attrs = self.attributes(None)?;
                let key = if word == "symbolic" { "symbolic" } else { "frames" };
                let value = Value::Object(attrs);
                if key == "symbolic" {
                    check::<SymbolicSpec>(&value, at)?;
                } else {
                    check::<FramesSpec>(&value, at)?;
                }
                self.setting(key, value, at)
            }
            "figure" => {
                let (name, _) = self.name("the figure's name")?;
                let mut attrs = self.attributes(None)?;
                attrs.insert("name".into(), Value::String(name));
                let value = Value::Object(attrs);
                check::<FigureSpec>(&value, at)?;
                self.list("figures", value);
                Ok(())
            }
            "label" => {
                let (from, _) = self.name("the edge's source node")?;
                self.expect(&Tok::Arrow, "\"->\" and the edge's target node")?;
                let (to, _) = self.name("the edge's target node")?;
                let mut attrs = self.attributes(None)?;
                attrs.insert("from".into(), Value::String(from));
                attrs.insert("to".into(), Value::String(to));
                let value = Value::Object(attrs);
                check::<LabelSpec>(&value, at)?;
                self.list("labels", value);
                Ok(())
            }
            "group" => self.group(at),
            setting if SETTINGS.contains(&setting) => {
                let key = SETTINGS.iter().find(|k| **k == setting).copied().unwrap_or("");
                let vat = self.pos();
                let value = match (key, self.peek().clone()) {
                    ("seed", _) => self.literal_value()?,
                    (_, Tok::Str(s)) | (_, Tok::Name(s)) => {
                        self.bump();
                        Value::String(s)
                    }
                    (_, Tok::Number(_)) => self.literal_value()?,
                    _ => return self.expected(&format!("the value of {key}")),
                };
                match key {
                    "layout" => check::<crate::core::scenario::LayoutStyle>(&value, vat)?,
                    "annotate" => check::<crate::core::scenario::Annotate>(&value, vat)?,
                    "tensor_values" => check::<usize>(&value, vat)?,
                    "seed" => {}
                    _ => check::<String>(&value, vat)?,
                }
                self.setting(key, value, at)
            }
            _ => Err((
                at,
                TextProblem::Syntax(format!(
                    "unknown statement \"{word}\": a statement is name = expression, or starts with one of {}",
                    NODES
                        .iter()
                        .chain(SETTINGS)
                        .chain(WITH_ATTRIBUTES)
                        .copied()
                        .collect::<Vec<_>>()
                        .join(", ")
                )),
            )),
        }
    }

    fn setting(&mut self, key: &str, value: Value, at: usize) -> Result<(), Fail> {
        if self.top.insert(key.to_string(), value).is_some() {
            return Err((at, TextProblem::Twice(format!("\"{key}\""))));
        }
        Ok(())
    }

    fn list(&mut self, key: &str, value: Value) {
        if let Value::Array(items) = self
            .top
            .entry(key.to_string())
            .or_insert_with(|| Value::Array(Vec::new()))
        {
            items.push(value);
        }
    }

    /// `group NAME [key=value …] [: member, …]`
    fn group(&mut self, at: usize) -> Result<(), Fail> {
        let (name, _) = self.name("the group's name")?;
        let attrs = self.attributes(Some(&Tok::Colon))?;
        let mut has_members = false;
        if self.peek() == &Tok::Colon {
            self.bump();
            loop {
                let (member, mat) = self.name("the name of a node in the group")?;
                self.members.push((name.clone(), member, mat));
                has_members = true;
                if self.peek() != &Tok::Comma {
                    break;
                }
                self.bump();
            }
        }
        if !attrs.is_empty() || !has_members {
            let value = Value::Object(attrs);
            check::<GroupSpec>(&value, at)?;
            let groups = self
                .top
                .entry("groups")
                .or_insert_with(|| Value::Object(Map::new()));
            if let Value::Object(groups) = groups {
                if groups.insert(name.clone(), value).is_some() {
                    return Err((at, TextProblem::Twice(format!("group \"{name}\""))));
                }
            }
        }
        Ok(())
    }

    /// `key=value` pairs (a key alone is `true`) up to the end of the statement or `stop`.
    fn attributes(&mut self, stop: Option<&Tok>) -> Result<Map<String, Value>, Fail> {
        let mut attrs = Map::new();
        loop {
            match self.peek().clone() {
                Tok::End | Tok::Eof => break,
                t if Some(&t) == stop => break,
                Tok::Name(key) => {
                    let at = self.pos();
                    self.bump();
                    let value = if self.peek() == &Tok::Assign {
                        self.bump();
                        self.attribute_value()?
                    } else {
                        Value::Bool(true)
                    };
                    if attrs.insert(key.clone(), value).is_some() {
                        return Err((at, TextProblem::Twice(format!("\"{key}\""))));
                    }
                }
                _ => return self.expected("a setting (key=value)"),
            }
        }
        Ok(attrs)
    }

    /// A string, a name (`true` and `false` are booleans), a number or a list of them.
    fn attribute_value(&mut self) -> Result<Value, Fail> {
        match self.peek().clone() {
            Tok::Str(s) => {
                self.bump();
                Ok(Value::String(s))
            }
            Tok::Name(n) => {
                self.bump();
                Ok(match n.as_str() {
                    "true" => Value::Bool(true),
                    "false" => Value::Bool(false),
                    _ => Value::String(n),
                })
            }
            Tok::Number(_) | Tok::Minus => self.literal_value(),
            Tok::LBracket => {
                self.bump();
                let mut items = Vec::new();
                while self.peek() != &Tok::RBracket {
                    items.push(match self.peek().clone() {
                        Tok::Name(n) | Tok::Str(n) => {
                            self.bump();
                            Value::String(n)
                        }
                        _ => return self.expected("a name in the list"),
                    });
                    if self.peek() != &Tok::Comma {
                        break;
                    }
                    self.bump();
                }
                self.expect(&Tok::RBracket, "\"]\" to close the list")?;
                Ok(Value::Array(items))
            }
            _ => self.expected("a value: a string, a name or a number"),
        }
    }

    /// The attributes of a node after its expression: a string alone is its label.
    fn node_attributes(&mut self, node: &mut Map<String, Value>) -> Result<(), Fail> {
        if let Tok::Str(label) = self.peek().clone() {
            self.bump();
            node.insert("label".into(), Value::String(label));
        }
        let attrs = self.attributes(None)?;
        for (key, value) in attrs {
            if matches!(key.as_str(), "id" | "op" | "args" | "input" | "const") {
                return self.fail(format!(
                    "\"{key}\" is not written as an attribute: the statement itself says it"
                ));
            }
            node.insert(key, value);
        }
        Ok(())
    }

    /// `target = expression [attributes]`: `kind` is what a literal value makes, an input
    /// or a const.
    fn assignment(&mut self, target: String, at: usize, kind: &str) -> Result<(), Fail> {
        let eat = self.pos();
        let operand = self.expr()?;
        let mut node = Map::new();
        match operand {
            Operand::Literal { value, .. } => {
                node.insert("id".into(), Value::String(target));
                node.insert(kind.into(), value);
            }
            Operand::Node { .. } if kind == "const" => {
                return Err((
                    eat,
                    TextProblem::Syntax(
                        "a constant's value is a number or a tensor, not an expression".into(),
                    ),
                ))
            }
            Operand::Node { id, fresh: true } => {
                // The node the expression ended with takes the name assigned.
                self.nodes.pop();
                let mut last = std::mem::take(&mut self.last_op);
                self.taken.remove(&id);
                self.places.remove(&id);
                last.insert("id".into(), Value::String(target));
                node = last;
            }
            Operand::Node { id, fresh: false } => {
                return Err((
                    eat,
                    TextProblem::Syntax(format!(
                        "\"{target} = {id}\" would only give \"{id}\" a second name; use \"{id}\" itself"
                    )),
                ))
            }
        }
        self.node_attributes(&mut node)?;
        self.push_node(node, at)
    }
}

/// Checks `value` against the serde type of what it is, as the JSON is checked.
fn check<'de, T: Deserialize<'de>>(value: &'de Value, at: usize) -> Result<(), Fail> {
    T::deserialize(value)
        .map(drop)
        .map_err(|e| (at, TextProblem::Syntax(e.to_string())))
}
