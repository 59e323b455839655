//! Expressions and literals: the grammar of `a + b * exp(-c) ** 2`, its calls with their
//! parameters, and the numbers and tensors written in it, each sub-expression handed to
//! [`nodes`](super::nodes) as soon as it is read.

use serde_json::{Map, Number, Value};

use super::nodes::{node_spec, tidy};
use super::{Fail, Operand, Parser};
use crate::core::limits::{MAX_EXACT_INTEGER, MAX_FILE_ELEMENTS, MAX_TENSOR_ELEMENTS};
use crate::core::ops::NAMES;
use crate::core::script::lexer::Tok;
use crate::error::TextProblem;

/// The fields of a node that are not an op's parameters.
const NODE_FIELDS: &[&str] = &[
    "id", "input", "const", "op", "args", "label", "symbol", "name", "group",
];

impl Parser<'_> {
    /// `term (('+' | '-') term)*`
    pub(super) fn expr(&mut self) -> Result<Operand, Fail> {
        self.left_to_right(Self::term, |tok| match tok {
            Tok::Plus => Some(("add", "plus")),
            Tok::Minus => Some(("sub", "minus")),
            _ => None,
        })
    }

    /// `unary (('*' | '/' | '@') unary)*`
    fn term(&mut self) -> Result<Operand, Fail> {
        self.left_to_right(Self::unary, |tok| match tok {
            Tok::Star => Some(("mul", "times")),
            Tok::Slash => Some(("div", "over")),
            Tok::At => Some(("matmul", "at")),
            _ => None,
        })
    }

    /// `operand (op operand)*` for the binary operators `op_of` names (each as its op and the
    /// word its node's id uses), left to right.
    fn left_to_right(
        &mut self,
        operand: fn(&mut Self) -> Result<Operand, Fail>,
        op_of: fn(&Tok) -> Option<(&'static str, &'static str)>,
    ) -> Result<Operand, Fail> {
        let mut left = operand(self)?;
        while let Some((op, word)) = op_of(self.peek()) {
            let at = self.pos();
            self.bump();
            let left_id = self.materialize(left, at)?;
            let right = operand(self)?;
            left = self.binary(op, word, left_id, right, at)?;
        }
        Ok(left)
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

    /// A number or a tensor, with an optional minus sign, as JSON.
    pub(super) fn literal_value(&mut self) -> Result<Value, Fail> {
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
}

/// A number token as JSON, refusing an integer past 2⁵³ and a number past `f64`.
fn number(text: &str) -> Result<Number, String> {
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
