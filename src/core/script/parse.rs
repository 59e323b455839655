//! From tokens to a [`Scenario`]: each statement becomes what its JSON would hold, checked by
//! the same serde types as it is read, so that an error names the place in the text.
//!
//! Expressions become nodes as they are read, each sub-expression when it is complete: the
//! nodes come out in post-order, as the JSON scenarios list them, and no tree of the
//! expression is ever built (a chain `a + b + … ` of any length is read in a loop; only
//! parentheses, calls, brackets and signs recurse, and they nest at most
//! [`MAX_NESTING`] deep).
//!
//! The parser is in four parts: this file reads the tokens and the statements one after
//! another; [`statement`] reads what each statement says, [`expr`] its expression and
//! literals, and [`nodes`] makes the nodes (naming each sub-expression) and the scenario.

use std::collections::{HashMap, HashSet, VecDeque};

use serde_json::{Map, Value};

use crate::core::limits::MAX_NESTING;
use crate::core::scenario::{NodeSpec, Scenario};
use crate::core::script::lexer::{Lexer, Spanned, Tok};
use crate::error::TextProblem;

mod expr;
mod names;
mod nodes;
mod statement;

/// The settings a statement of their own gives (`title "…"`), besides the statements that
/// make nodes (`const`, `input`) and those with attributes (`figure`, `group`, `label`,
/// `symbolic`, `frames`).
pub(super) const SETTINGS: &[&str] = &[
    "title",
    "description",
    "layout",
    "output",
    "seed",
    "annotate",
    "tensor_values",
];

/// The statements that make nodes without an expression.
pub(super) const NODES: &[&str] = &["const", "input"];

/// The statements with attributes.
pub(super) const WITH_ATTRIBUTES: &[&str] = &["symbolic", "frames", "figure", "group", "label"];

/// The name an expression standing alone as a statement gets: `(x + y) * z` is
/// `f = (x + y) * z`, as CS231n names the function it differentiates.
pub(super) const BARE: &str = "f";

/// Whether a statement starting with `first`, then `second`, is an expression standing alone:
/// a number, a bracket, a sign, or a name that is no statement's keyword followed by an
/// operator or a call's `(` (a name alone is not: it would only name a node again).
pub(super) fn starts_expression(first: &Tok, second: &Tok) -> bool {
    match first {
        Tok::Number(_) | Tok::LParen | Tok::LBracket | Tok::Minus => true,
        Tok::Name(word) => {
            let keyword = [NODES, SETTINGS, WITH_ATTRIBUTES]
                .iter()
                .any(|words| words.contains(&word.as_str()));
            !keyword
                && matches!(
                    second,
                    Tok::Plus
                        | Tok::Minus
                        | Tok::Star
                        | Tok::Power
                        | Tok::Slash
                        | Tok::At
                        | Tok::LParen
                )
        }
        _ => false,
    }
}

/// A problem and the byte offset of its place.
pub(crate) type Fail = (usize, TextProblem);

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
    /// Whether an expression standing alone made [`BARE`].
    bare: bool,
    /// Where in the text each node was made: its statement's name, or its operator.
    places: HashMap<String, usize>,
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
            bare: false,
            places: HashMap::new(),
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

    fn deeper(&mut self) -> Result<(), Fail> {
        self.depth += 1;
        if self.depth > MAX_NESTING {
            return Err((self.pos(), TextProblem::TooDeep));
        }
        Ok(())
    }

    /// Reads every statement and returns the scenario.
    /// The scenario, and where in the text each of its nodes was made.
    pub(crate) fn scenario(mut self) -> Result<(Scenario<'static>, HashMap<String, usize>), Fail> {
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
        let places = std::mem::take(&mut self.places);
        self.finish().map(|scenario| (scenario, places))
    }
}

/// Every name a statement assigns: `name = …`, `const name = …`, `input name`, and [`BARE`]
/// for an expression standing alone; read by a lexer of its own, before the statements are.
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
                [_, first, second] if starts_expression(first, second) => {
                    names.insert(BARE.to_string());
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
