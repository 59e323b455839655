//! The errors chainrule reports. Every message is lowercase, quotes the bad value and names
//! the place: the file, then line:column for JSON syntax or the node's id for everything else.

use std::path::PathBuf;

use thiserror::Error;

use crate::core::ops::{Arity, OpError};
use crate::core::tensor::TensorError;
use crate::text::format::count;

/// What is wrong with one node of a scenario.
#[derive(Debug, Error, Clone, PartialEq)]
pub enum NodeProblem {
    /// The node has none, or more than one, of `input`, `const` and `op`.
    #[error("needs exactly one of \"input\", \"const\" or \"op\", found {0}")]
    Kind(String),
    /// Another node already has this id.
    #[error("the id is used by an earlier node too")]
    DuplicateId,
    /// The value is null where a value is required.
    #[error("bad value: a value is required, got null")]
    NullValue,
    /// The value is not a number or a rectangular array of numbers.
    #[error("bad value: {0}")]
    Value(TensorError),
    /// The op is unknown, or its parameters are wrong.
    #[error(transparent)]
    Op(OpError),
    /// An input or const node has `args` (or op parameters).
    #[error("only op nodes take \"{0}\"")]
    NotAnOp(&'static str),
    /// The op got the wrong number of arguments.
    #[error("{op} expects {expected} {}, got {got}", if *.expected == Arity::Exactly(1) { "argument" } else { "arguments" })]
    ArgCount {
        /// The op's name.
        op: String,
        /// How many it takes.
        expected: Arity,
        /// How many the node gives.
        got: usize,
    },
    /// An argument names a node that does not exist.
    #[error("arg \"{0}\" is not the id of any node")]
    UnknownArg(String),
    /// The arguments' shapes do not fit the op (the message names both).
    #[error(transparent)]
    Shapes(OpError),
}

/// Why a figure's `step` cannot be drawn.
#[derive(Debug, Error, Clone, PartialEq)]
pub enum StepProblem {
    /// The step is past the last step of the backward pass.
    #[error("\"step\" is {step}, beyond the last step: the backward pass has {}, so \"step\" is 0 to {steps}", count(*.steps, "step", "steps"))]
    Beyond {
        /// The step asked for.
        step: usize,
        /// How many steps the backward pass has.
        steps: usize,
    },
    /// The scenario has no numbers (an input without a value, a generic function).
    #[error("\"step\" needs numbers, and the scenario has none ({why}); its backward pass has {}", count(*.steps, "step", "steps"))]
    NoNumbers {
        /// Why there are none: the node that keeps them away.
        why: String,
        /// How many steps the backward pass has.
        steps: usize,
    },
    /// The figure also asks for something a frame does not show: `"view": "forward"`,
    /// `highlight` or `collapse`.
    #[error("a figure at a step is drawn as that frame, and cannot also have {0}")]
    Conflict(&'static str),
}

/// What is wrong with a scenario as a whole.
#[derive(Debug, Error, Clone, PartialEq)]
pub enum ScenarioError {
    /// The `nodes` list is empty.
    #[error("\"nodes\" is empty: a scenario needs at least one node")]
    NoNodes,
    /// One node is wrong.
    #[error("node \"{id}\": {problem}")]
    Node {
        /// The node's id.
        id: String,
        /// What is wrong with it.
        problem: NodeProblem,
    },
    /// `output` names no node.
    #[error("\"output\" is \"{0}\", which is not the id of any node")]
    UnknownOutput(String),
    /// The nodes' arguments form a cycle; the ids on it, in file order.
    #[error("the graph has a cycle through {} {}", if .0.len() == 1 { "node" } else { "nodes" }, .0.iter().map(|id| format!("\"{id}\"")).collect::<Vec<_>>().join(", "))]
    Cycle(Vec<String>),
    /// `seed` is not a number or an array of the output's shape.
    #[error("\"seed\" {0}")]
    Seed(String),
    /// A figure or frame setting is wrong.
    #[error("{0}")]
    Setting(String),
    /// A figure's `step` cannot be drawn.
    #[error("figure {}: {problem}", crate::core::limits::quote(figure))]
    Step {
        /// The figure's name.
        figure: String,
        /// What is wrong.
        problem: StepProblem,
    },
    /// A text that must not be blank is, or a text, an argument list or a nesting is beyond
    /// what [`crate::core::limits`] allows.
    #[error("{place}: {problem}")]
    Limit {
        /// Where: the node, group, figure or label.
        place: String,
        /// What.
        problem: crate::core::limits::LimitProblem,
    },
    /// An evaluation would hold more numbers than
    /// [`crate::core::limits::MAX_EVAL_ELEMENTS`].
    #[error("node \"{node}\": the values so far and the gradients of their edges would hold {held} numbers, more than the limit of {}", crate::core::limits::MAX_EVAL_ELEMENTS)]
    TooManyNumbers {
        /// The node whose value went past the limit.
        node: String,
        /// How many numbers that would be.
        held: usize,
    },
    /// The scenario has no numbers to compute: a node has no value or no numeric rule.
    #[error("the scenario has no numbers to compute: {0}; it can only be drawn with symbols (chainrule render --annotate symbolic)")]
    NoNumbers(String),
}

/// A value or gradient that became NaN or infinite.
#[derive(Debug, Error, Clone, PartialEq)]
#[error("node \"{id}\": {}", match cause {
    Some(cause) => cause.clone(),
    None => format!("its {what} is not finite (e.g. log of 0, division by 0 or overflow)"),
})]
pub struct NumericError {
    /// The node's id.
    pub id: String,
    /// `"value"` or `"gradient"`.
    pub what: &'static str,
    /// What was computed, when known: `log(−1) is not a number`, `log(0) is infinite (element
    /// [1])`, `matmul gives a value that is infinite (element [0, 1])`.
    pub cause: Option<String>,
}

/// What is wrong at one place of a scenario in the text format (`.chain`).
#[derive(Debug, Error, Clone, PartialEq)]
pub enum TextProblem {
    /// The text does not follow the grammar: what was expected, and what was found.
    #[error("{0}")]
    Syntax(String),
    /// A call of a function that is not an operator.
    #[error("unknown function \"{name}\"; the functions are {}", known.join(", "))]
    UnknownFunction {
        /// The name called.
        name: String,
        /// Every operator's name.
        known: &'static [&'static str],
    },
    /// What is wrong with the node made at this place, as the scenario's checks found it
    /// (`node "f": matmul cannot multiply (2,) by (3, 1)`).
    #[error("{0}")]
    Scenario(Box<ScenarioError>),
    /// A name that an earlier statement assigns too (`bare`: an expression standing alone,
    /// which is named `f`).
    #[error(
        "\"{name}\" is assigned twice: {}",
        if *bare {
            "an earlier expression standing alone is named f; give one of them another name"
        } else {
            "an earlier statement made it already"
        }
    )]
    AssignedTwice {
        /// The name.
        name: String,
        /// Whether the earlier one is an expression standing alone.
        bare: bool,
    },
    /// A name that no statement assigns.
    #[error("\"{0}\" is not defined: no statement assigns it (write \"{0} = 1\" for an input, or \"input {0}\" for one without a value)")]
    Undefined(String),
    /// Parentheses, brackets or signs nested deeper than
    /// [`MAX_NESTING`](crate::core::limits::MAX_NESTING).
    #[error(
        "nested deeper than the limit of {} levels (parentheses, brackets, calls or signs)",
        crate::core::limits::MAX_NESTING
    )]
    TooDeep,
    /// A tensor literal, or all of them together, past
    /// [`MAX_TENSOR_ELEMENTS`](crate::core::limits::MAX_TENSOR_ELEMENTS) or
    /// [`MAX_FILE_ELEMENTS`](crate::core::limits::MAX_FILE_ELEMENTS).
    #[error("{0}")]
    TooManyNumbers(String),
    /// More nodes than [`MAX_TEXT_NODES`](crate::core::limits::MAX_TEXT_NODES).
    #[error(
        "the scenario makes more than {} nodes (the limit)",
        crate::core::limits::MAX_TEXT_NODES
    )]
    TooManyNodes,
    /// A setting given twice, or a name given a value twice with `--set`.
    #[error("{0} is given twice")]
    Twice(String),
}

/// Any error of a chainrule command, with the file it concerns.
#[derive(Debug, Error)]
pub enum Error {
    /// A file could not be read.
    #[error("{path}: cannot read: {source}")]
    Read {
        /// The file.
        path: PathBuf,
        /// Why.
        source: std::io::Error,
    },
    /// The scenario is not valid JSON, or has an unknown or mistyped field.
    #[error("{path}:{line}:{column}: {message}")]
    Syntax {
        /// The file.
        path: PathBuf,
        /// 1-based line.
        line: usize,
        /// 1-based column.
        column: usize,
        /// What serde_json said, without its position.
        message: String,
    },
    /// A scenario in the text format does not follow its grammar, or names what does not
    /// exist; the message shows the line with a caret under the place.
    #[error("{path}:{line}:{column}: {problem}\n{}", caret(excerpt, *mark))]
    Text {
        /// The file (`-e` for an expression given on the command line).
        path: PathBuf,
        /// 1-based line.
        line: usize,
        /// 1-based column, in characters.
        column: usize,
        /// The line, or the part of a long line around the place.
        excerpt: String,
        /// The place's column in `excerpt` (1-based, in characters).
        mark: usize,
        /// What is wrong.
        problem: TextProblem,
    },
    /// The scenario is well-formed JSON but not a valid scenario.
    #[error("{path}: {source}")]
    Scenario {
        /// The file.
        path: PathBuf,
        /// What is wrong.
        source: ScenarioError,
    },
    /// A value or gradient is not finite.
    #[error("{path}: {source}")]
    Numeric {
        /// The file.
        path: PathBuf,
        /// Which node.
        source: NumericError,
    },
    /// A command-line request that cannot be met (e.g. a directory with no scenarios).
    #[error("{0}")]
    Usage(String),
    /// A figure or frame could not be rasterised or encoded: a failure of chainrule or of an
    /// encoder, not of the input.
    #[cfg(any(feature = "raster", feature = "pdf"))]
    #[error("{path}: {what}: {source}")]
    Encode {
        /// The scenario.
        path: PathBuf,
        /// What was being made: `figure "apple-fig01"`, `frames`.
        what: String,
        /// Why.
        source: crate::export::EncodeError,
    },
    /// An output could not be written.
    #[error("{path}: cannot write: {source}")]
    Write {
        /// The file or directory.
        path: PathBuf,
        /// Why.
        source: std::io::Error,
    },
}

impl Error {
    /// The process exit code for this error: 2 for bad input (the file, its syntax or its
    /// meaning, or the command line), 1 for a computation that went non-finite, 3 for a
    /// failure that is not the input's: an output that could not be written or encoded.
    pub fn exit_code(&self) -> i32 {
        match self {
            Error::Numeric { .. } => 1,
            Error::Write { .. } => 3,
            #[cfg(any(feature = "raster", feature = "pdf"))]
            Error::Encode { .. } => 3,
            _ => 2,
        }
    }
}

/// The line `excerpt` indented, and under it a caret at column `column` (1-based, in characters);
/// tabs before the place are kept so that the caret lines up in a terminal.
fn caret(excerpt: &str, column: usize) -> String {
    let pad: String = excerpt
        .chars()
        .take(column.saturating_sub(1))
        .map(|c| if c == '\t' { '\t' } else { ' ' })
        .collect();
    format!("  | {excerpt}\n  | {pad}^")
}
