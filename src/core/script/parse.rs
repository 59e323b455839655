//! From tokens to a [`Scenario`]: each statement becomes what its JSON would hold, checked by
//! the same serde types as it is read, so that an error names the place in the text.
//!
//! Expressions become nodes as they are read, each sub-expression when it is complete: the
//! nodes come out in post-order, as the JSON scenarios list them, and no tree of the
//! expression is ever built (a chain `a + b + … ` of any length is read in a loop; only
//! parentheses, calls, brackets and signs recurse, and they nest at most
//! [`MAX_NESTING`] deep).

use std::collections::{HashMap, HashSet, VecDeque};

use serde::Deserialize;
use serde_json::{Map, Number, Value};

use crate::core::limits::{MAX_EXACT_INTEGER, MAX_FILE_ELEMENTS, MAX_NESTING, MAX_TENSOR_ELEMENTS};
use crate::core::ops::NAMES;
use crate::core::scenario::{
    FigureSpec, FramesSpec, GroupSpec, LabelSpec, NodeSpec, Scenario, SymbolicSpec,
};
use crate::core::script::lexer::{Lexer, Spanned, Tok};
use crate::error::TextProblem;

/// A problem and the byte offset of its place.
pub(crate) type Fail = (usize, TextProblem);

/// The settings a statement of their own gives (`title "…"`), besides the statements that
/// make nodes (`const`, `input`) and those with attributes (`figure`, `group`, `label`,
/// `symbolic`, `frames`).
const SETTINGS: &[&str] = &[
    "title",
    "description",
    "layout",
    "output",
    "seed",
    "annotate",
    "tensor_values",
];

/// Every word that starts a statement other than an assignment.
const KEYWORDS: &[&str] = &[
    "const",
    "input",
    "title",
    "description",
    "layout",
    "output",
    "seed",
    "annotate",
    "tensor_values",
    "symbolic",
    "frames",
    "figure",
    "group",
    "label",
];

/// The fields of a node that are not an op's parameters.
const NODE_FIELDS: &[&str] = &[
    "id", "input", "const", "op", "args", "label", "symbol", "name", "group",
];

/// The most nodes a scenario in the text format makes: about what a JSON file of
/// [`MAX_FILE_BYTES`](crate::core::limits::MAX_FILE_BYTES) holds (the 986,756-node MLP of
/// the benchmarks takes 62 MB), though the text is four times shorter.
pub const MAX_TEXT_NODES: usize = 1_000_000;

/// Generated ids longer than this are replaced by the op's name (and a number).
const MAX_GENERATED_CHARS: usize = 32;

/// What an expression read so far stands for.
enum Operand {
    /// A node, by id; `fresh` if this statement made it (and may rename it).
    Node { id: String, fresh: bool },
    /// A number or a tensor not yet made into a node, as written (`text`) and as JSON.
    Literal { text: String, value: Value },
}

/// Reads a whole text.
pub(crate) struct Parser<'t> {
    lexer: Lexer<'t>,
    /// The current token and any read ahead of it: never empty.
    ahead: VecDeque<Spanned>,
    /// Names used without being assigned are inputs (an expression on the command line).
    inline: bool,
    /// Every name some statement assigns, found before the statements are read.
    assigned: HashSet<String>,
    /// Every id generated so far, and every input found (inline).
    taken: HashSet<String>,
    /// The last suffix given to each generated id's base (`const_1_3`: 3).
    suffixes: HashMap<String, usize>,
    nodes: Vec<NodeSpec<'static>>,
    /// The last operator node made, as JSON, to be named by the statement it ends.
    last_op: Map<String, Value>,
    /// With `inline`, the inputs found so far, in the order of their first use.
    inputs: Vec<NodeSpec<'static>>,
    depth: usize,
    /// How many numbers the tensor literals hold so far.
    numbers: usize,
    /// The scenario's fields other than its nodes, as JSON.
    top: Map<String, Value>,
    /// Group memberships from `group NAME: a, b`, with the place of each member.
    members: Vec<(String, String, usize)>,
}

impl<'t> Parser<'t> {
    pub(crate) fn new(text: &'t str, inline: bool) -> Parser<'t> {
        let assigned = assigned_names(text);
        let mut lexer = Lexer::new(text);
        let first = lexer.next_token();
        Parser {
            lexer,
            ahead: VecDeque::from([first]),
            inline,
            taken: HashSet::new(),
            suffixes: HashMap::new(),
            assigned,
            nodes: Vec::new(),
            last_op: Map::new(),
            inputs: Vec::new(),
            depth: 0,
            numbers: 0,
            top: Map::new(),
            members: Vec::new(),
        }
    }

    fn peek(&self) -> &Tok {
        &self.ahead[0].0
    }

    fn peek_at(&mut self, k: usize) -> &Tok {
        while self.ahead.len() <= k {
            let next = self.lexer.next_token();
            self.ahead.push_back(next);
        }
        &self.ahead[k].0
    }

    fn pos(&self) -> usize {
        self.ahead[0].1
    }

    fn bump(&mut self) {
        if self.ahead.len() == 1 {
            let next = self.lexer.next_token();
            self.ahead.push_back(next);
        }
        if self.ahead[0].0 != Tok::Eof {
            self.ahead.pop_front();
        }
    }

    /// A syntax error at the current token, or the lexer's own if that token is bad.
    fn fail<T>(&self, message: impl Into<String>) -> Result<T, Fail> {
        match self.peek() {
            Tok::Bad(problem) => Err((self.pos(), (**problem).clone())),
            _ => Err((self.pos(), TextProblem::Syntax(message.into()))),
        }
    }

    fn expected<T>(&self, what: &str) -> Result<T, Fail> {
        self.fail(format!("expected {what}, found {}", self.peek().describe()))
    }

    fn expect(&mut self, tok: &Tok, what: &str) -> Result<(), Fail> {
        if self.peek() == tok {
            self.bump();
            Ok(())
        } else {
            self.expected(what)
        }
    }

    fn name(&mut self, what: &str) -> Result<(String, usize), Fail> {
        match self.peek().clone() {
            Tok::Name(n) => {
                let at = self.pos();
                self.bump();
                Ok((n, at))
            }
            _ => self.expected(what),
        }
    }

    /// Reads every statement and returns the scenario.
    pub(crate) fn scenario(mut self) -> Result<Scenario<'static>, Fail> {
        loop {
            match self.peek() {
                Tok::Eof => break,
                Tok::End => {
                    self.bump();
                }
                _ => {
                    self.statement()?;
                    match self.peek() {
                        Tok::End | Tok::Eof => {}
                        _ => return self.expected("the end of the statement (a new line or ;)"),
                    }
                }
            }
        }
        self.finish()
    }

    fn statement(&mut self) -> Result<(), Fail> {
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
                    KEYWORDS.join(", ")
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

    fn push_node(&mut self, node: Map<String, Value>, at: usize) -> Result<(), Fail> {
        let spec = node_spec(node, at)?;
        self.add(spec, at)
    }

    /// Adds a node, unless the scenario has [`MAX_TEXT_NODES`] already.
    fn add(&mut self, spec: NodeSpec<'static>, at: usize) -> Result<(), Fail> {
        if self.nodes.len() + self.inputs.len() >= MAX_TEXT_NODES {
            return Err((at, TextProblem::TooManyNodes));
        }
        self.nodes.push(spec);
        Ok(())
    }

    fn deeper(&mut self) -> Result<(), Fail> {
        self.depth += 1;
        if self.depth > MAX_NESTING {
            return Err((self.pos(), TextProblem::TooDeep));
        }
        Ok(())
    }

    /// `term (('+' | '-') term)*`
    fn expr(&mut self) -> Result<Operand, Fail> {
        let mut left = self.term()?;
        loop {
            let (op, word) = match self.peek() {
                Tok::Plus => ("add", "plus"),
                Tok::Minus => ("sub", "minus"),
                _ => return Ok(left),
            };
            let at = self.pos();
            self.bump();
            let left_id = self.materialize(left, at)?;
            let right = self.term()?;
            left = self.binary(op, word, left_id, right, at)?;
        }
    }

    /// `unary (('*' | '/' | '@') unary)*`
    fn term(&mut self) -> Result<Operand, Fail> {
        let mut left = self.unary()?;
        loop {
            let (op, word) = match self.peek() {
                Tok::Star => ("mul", "times"),
                Tok::Slash => ("div", "over"),
                Tok::At => ("matmul", "at"),
                _ => return Ok(left),
            };
            let at = self.pos();
            self.bump();
            let left_id = self.materialize(left, at)?;
            let right = self.unary()?;
            left = self.binary(op, word, left_id, right, at)?;
        }
    }

    /// `'-' unary | power`: a minus sign before a number is part of the number.
    fn unary(&mut self) -> Result<Operand, Fail> {
        if self.peek() != &Tok::Minus {
            return self.power();
        }
        let at = self.pos();
        self.bump();
        self.deeper()?;
        let inner = self.unary()?;
        self.depth -= 1;
        match inner {
            Operand::Literal {
                text,
                value: Value::Number(n),
            } => {
                let value = negate(&n);
                Ok(Operand::Literal {
                    text: format!("-{text}"),
                    value,
                })
            }
            other => {
                let arg = self.materialize(other, at)?;
                let id = format!("neg_{arg}");
                self.op_node("neg", &id, vec![arg], Map::new(), at)
            }
        }
    }

    /// `atom ('**' number)?`: the exponent of `pow` is a parameter, so it is a number.
    fn power(&mut self) -> Result<Operand, Fail> {
        let base = self.atom()?;
        if self.peek() != &Tok::Power {
            return Ok(base);
        }
        self.bump();
        let at = self.pos();
        let negative = self.peek() == &Tok::Minus;
        if negative {
            self.bump();
        }
        let Tok::Number(text) = self.peek().clone() else {
            return Err((
                at,
                TextProblem::Syntax(format!(
                    "the exponent after ** is a number (pow's p), found {}",
                    self.peek().describe()
                )),
            ));
        };
        let value = self.literal_value_at(at)?;
        let value = match value {
            Value::Number(n) if negative => negate(&n),
            v => v,
        };
        let base = self.materialize(base, at)?;
        let text = if negative {
            format!("minus_{text}")
        } else {
            text
        };
        let id = format!("{base}_pow_{}", tidy(&text));
        let mut params = Map::new();
        params.insert("p".into(), value);
        self.op_node("pow", &id, vec![base], params, at)
    }

    /// A number, a tensor, a name, a call, or an expression in parentheses.
    fn atom(&mut self) -> Result<Operand, Fail> {
        let at = self.pos();
        match self.peek().clone() {
            Tok::Number(text) => {
                let value = self.literal_value()?;
                Ok(Operand::Literal { text, value })
            }
            Tok::LBracket => {
                let value = self.literal_value()?;
                Ok(Operand::Literal {
                    text: "tensor".into(),
                    value,
                })
            }
            Tok::LParen => {
                self.bump();
                self.deeper()?;
                let inner = self.expr()?;
                self.depth -= 1;
                self.expect(&Tok::RParen, "\")\" to close the parenthesis")?;
                Ok(inner)
            }
            Tok::Name(name) => {
                self.bump();
                if self.peek() == &Tok::LParen {
                    return self.call(name, at);
                }
                Ok(Operand::Node {
                    id: self.reference(name, at)?,
                    fresh: false,
                })
            }
            _ => self.expected("a number, a name, a call or \"(\""),
        }
    }

    /// A name used in an expression: a node some statement assigns, or (inline) an input.
    fn reference(&mut self, name: String, at: usize) -> Result<String, Fail> {
        if self.assigned.contains(&name) || self.inputs.iter().any(|n| n.id == name) {
            return Ok(name);
        }
        if !self.inline {
            return Err((at, TextProblem::Undefined(name)));
        }
        let mut node = Map::new();
        node.insert("id".into(), Value::String(name.clone()));
        node.insert("input".into(), Value::Null);
        self.inputs.push(node_spec(node, at)?);
        self.taken.insert(name.clone());
        Ok(name)
    }

    /// `name(arg, …, key=value, …)`: the op called `name`, its parameters by keyword.
    fn call(&mut self, name: String, at: usize) -> Result<Operand, Fail> {
        let Some(op) = NAMES.iter().find(|n| **n == name).copied() else {
            return Err((at, TextProblem::UnknownFunction { name, known: NAMES }));
        };
        self.bump();
        self.deeper()?;
        let mut args = Vec::new();
        let mut params = Map::new();
        while self.peek() != &Tok::RParen {
            if let (Tok::Name(key), Tok::Assign) = (self.peek().clone(), self.peek_at(1).clone()) {
                let kat = self.pos();
                self.bump();
                self.bump();
                if NODE_FIELDS.contains(&key.as_str()) {
                    return Err((
                        kat,
                        TextProblem::Syntax(format!(
                            "\"{key}\" is not a parameter of {op}; write it after the expression: f = {op}(…) {key}=…"
                        )),
                    ));
                }
                let value = self.literal_value()?;
                if params.insert(key.clone(), value).is_some() {
                    return Err((kat, TextProblem::Twice(format!("\"{key}\""))));
                }
            } else {
                if !params.is_empty() {
                    return self.fail("an argument comes before the parameters (key=value)");
                }
                let aat = self.pos();
                let arg = self.expr()?;
                args.push(self.materialize(arg, aat)?);
            }
            if self.peek() != &Tok::Comma {
                break;
            }
            self.bump();
        }
        self.expect(&Tok::RParen, "\")\" to close the call")?;
        self.depth -= 1;
        let id = format!("{op}_{}", args.join("_"));
        self.op_node(op, &id, args, params, at)
    }

    /// `left op right` as a node; the left operand is made a node before the right one is
    /// read, so that the nodes come in post-order.
    fn binary(
        &mut self,
        op: &str,
        word: &str,
        left: String,
        right: Operand,
        at: usize,
    ) -> Result<Operand, Fail> {
        let right = self.materialize(right, at)?;
        let id = format!("{left}_{word}_{right}");
        self.op_node(op, &id, vec![left, right], Map::new(), at)
    }

    /// An operator node with a fresh id made from `id` (or from `op` if that is too long);
    /// a parameter that is not the op's, or not of its type, is an error at `at`.
    fn op_node(
        &mut self,
        op: &str,
        id: &str,
        args: Vec<String>,
        params: Map<String, Value>,
        at: usize,
    ) -> Result<Operand, Fail> {
        let id = self.fresh(id, op);
        let mut node = params;
        node.insert("id".into(), Value::String(id.clone()));
        node.insert("op".into(), Value::String(op.to_string()));
        node.insert(
            "args".into(),
            Value::Array(args.into_iter().map(Value::String).collect()),
        );
        let spec = node_spec(node.clone(), at)?;
        self.add(spec, at)?;
        self.last_op = node;
        Ok(Operand::Node { id, fresh: true })
    }

    /// The id of `operand`, made into a const node if it is a literal (used at `at`).
    fn materialize(&mut self, operand: Operand, at: usize) -> Result<String, Fail> {
        match operand {
            Operand::Node { id, .. } => Ok(id),
            Operand::Literal { text, value } => {
                let scalar = value.is_number();
                let id = self.fresh(&format!("const_{}", tidy(&text)), "const");
                let mut node = Map::new();
                node.insert("id".into(), Value::String(id.clone()));
                node.insert("const".into(), value);
                if scalar {
                    node.insert("label".into(), Value::String(text));
                }
                let spec = node_spec(node, at)?;
                self.add(spec, at)?;
                Ok(id)
            }
        }
    }

    /// `wanted` if no node has it, else `wanted_2`, `wanted_3`, …; `fallback` for a
    /// `wanted` longer than [`MAX_GENERATED_CHARS`].
    fn fresh(&mut self, wanted: &str, fallback: &str) -> String {
        let base = if wanted.chars().count() > MAX_GENERATED_CHARS {
            fallback
        } else {
            wanted
        };
        let mut id = base.to_string();
        // Suffixes already tried for this base are not tried again.
        let k = self.suffixes.entry(base.to_string()).or_insert(1);
        while self.taken.contains(&id) || self.assigned.contains(&id) {
            *k += 1;
            id = format!("{base}_{k}");
        }
        self.taken.insert(id.clone());
        id
    }

    /// A number or a tensor, with an optional minus sign, as JSON.
    fn literal_value(&mut self) -> Result<Value, Fail> {
        let at = self.pos();
        self.literal_value_at(at)
    }

    fn literal_value_at(&mut self, at: usize) -> Result<Value, Fail> {
        let mut count = 0usize;
        let value = self.literal(&mut count)?;
        if count > 0 {
            self.numbers += count;
            if self.numbers > MAX_FILE_ELEMENTS {
                return Err((
                    at,
                    TextProblem::TooManyNumbers(format!(
                        "the tensors of the file hold more than {MAX_FILE_ELEMENTS} numbers together (the limit)"
                    )),
                ));
            }
        }
        Ok(value)
    }

    fn literal(&mut self, count: &mut usize) -> Result<Value, Fail> {
        let at = self.pos();
        match self.peek().clone() {
            Tok::Minus => {
                self.bump();
                match self.literal(count)? {
                    Value::Number(n) => Ok(negate(&n)),
                    _ => Err((
                        at,
                        TextProblem::Syntax(
                            "a minus sign before a tensor: write the sign of each number".into(),
                        ),
                    )),
                }
            }
            Tok::Number(text) => {
                self.bump();
                *count += 1;
                if *count > MAX_TENSOR_ELEMENTS {
                    return Err((
                        at,
                        TextProblem::TooManyNumbers(format!(
                            "a tensor holds at most {MAX_TENSOR_ELEMENTS} numbers (the limit); this one holds more"
                        )),
                    ));
                }
                number(&text)
                    .map(Value::Number)
                    .map_err(|m| (at, TextProblem::Syntax(m)))
            }
            Tok::LBracket => {
                self.bump();
                self.deeper()?;
                let mut items = Vec::new();
                while self.peek() != &Tok::RBracket {
                    items.push(self.literal(count)?);
                    if self.peek() != &Tok::Comma {
                        break;
                    }
                    self.bump();
                }
                self.expect(&Tok::RBracket, "\"]\" to close the tensor")?;
                self.depth -= 1;
                Ok(Value::Array(items))
            }
            _ => self.expected("a number or a tensor [..]"),
        }
    }

    /// The scenario: the inputs found (inline), the nodes, the group memberships, and the
    /// settings.
    fn finish(mut self) -> Result<Scenario<'static>, Fail> {
        let mut nodes = std::mem::take(&mut self.inputs);
        nodes.append(&mut self.nodes);
        let index: HashMap<&str, usize> = nodes
            .iter()
            .enumerate()
            .rev()
            .map(|(i, n)| (n.id.as_ref(), i))
            .collect();
        let mut memberships = Vec::new();
        for (group, member, at) in self.members {
            match index.get(member.as_str()) {
                Some(&i) => memberships.push((i, group)),
                None => return Err((at, TextProblem::Undefined(member))),
            }
        }
        for (i, group) in memberships {
            nodes[i].group = Some(group);
        }
        self.top.insert("nodes".into(), Value::Array(Vec::new()));
        let mut scenario = Scenario::deserialize(Value::Object(self.top))
            .map_err(|e| (0, TextProblem::Syntax(e.to_string())))?;
        scenario.nodes = nodes;
        Ok(scenario)
    }
}

/// Checks `value` against the serde type of what it is, as the JSON is checked.
fn check<'de, T: Deserialize<'de>>(value: &'de Value, at: usize) -> Result<(), Fail> {
    T::deserialize(value)
        .map(drop)
        .map_err(|e| (at, TextProblem::Syntax(e.to_string())))
}

/// A node as its JSON would give it, or what is wrong with it at `at` (a parameter the
/// node does not take, or of the wrong type: `sum(a, axis=-1)`).
fn node_spec(node: Map<String, Value>, at: usize) -> Result<NodeSpec<'static>, Fail> {
    NodeSpec::deserialize(Value::Object(node)).map_err(|e| (at, TextProblem::Syntax(e.to_string())))
}

/// Every name a statement assigns: `name = …`, `const name = …`, `input name`; read by a
/// lexer of its own, before the statements are.
fn assigned_names(text: &str) -> HashSet<String> {
    let mut names = HashSet::new();
    let mut lexer = Lexer::new(text);
    let mut window = [Tok::End, lexer.next_token().0, lexer.next_token().0];
    loop {
        if window[0] == Tok::End {
            match &window {
                [_, Tok::Name(n), Tok::Assign] => {
                    names.insert(n.clone());
                }
                [_, Tok::Name(k), Tok::Name(n)] if k == "input" || k == "const" => {
                    names.insert(n.clone());
                }
                _ => {}
            }
        }
        if matches!(window[1], Tok::Eof | Tok::Bad(_)) {
            return names;
        }
        window.rotate_left(1);
        window[2] = lexer.next_token().0;
    }
}

/// A number token as JSON, refusing an integer past 2⁵³ and a number past `f64`.
pub(crate) fn number(text: &str) -> Result<Number, String> {
    let integer = !text.contains(['.', 'e', 'E']);
    if integer {
        return match text.parse::<u64>() {
            Ok(n) if n <= MAX_EXACT_INTEGER => Ok(Number::from(n)),
            _ => Err(format!(
                "the integer {text} is larger than 2^53 = {MAX_EXACT_INTEGER} and would be \
                 rounded; write it with a decimal point ({text}.0) to accept the rounding"
            )),
        };
    }
    text.parse::<f64>()
        .ok()
        .and_then(Number::from_f64)
        .filter(|n| n.as_f64().is_some_and(f64::is_finite))
        .ok_or_else(|| format!("{text} is too large for a number"))
}

/// `-n`, keeping an integer an integer.
fn negate(n: &Number) -> Value {
    if let Some(i) = n.as_u64() {
        if i == 0 {
            return Value::Number(n.clone());
        }
        return Value::from(-(i as i64));
    }
    if let Some(i) = n.as_i64() {
        return Value::from(i.unsigned_abs());
    }
    let x = n.as_f64().unwrap_or(0.0);
    Number::from_f64(-x).map_or(Value::Null, Value::Number)
}

/// A number's text as part of an id: `-1.5` is `minus_1_5`.
fn tidy(text: &str) -> String {
    text.replace('-', "minus_").replace(['.', '+'], "_")
}

/// A value given on the command line (`--set x=-2`): a number or a tensor, with an optional
/// minus sign, as the text format writes it.
pub(crate) fn value(text: &str) -> Result<crate::core::scenario::Literal, String> {
    use crate::core::scenario::Literal;
    let mut parser = Parser::new(text, false);
    let value = parser.literal_value().map_err(|(_, p)| p.to_string())?;
    if parser.peek() != &Tok::Eof {
        return Err(format!("{} after the value", parser.peek().describe()));
    }
    Ok(match value.as_f64() {
        Some(x) => Literal::Number(x),
        None => Literal::Json(Box::new(value)),
    })
}
