//! The text format (`.chain`): a graph written as math, one assignment a line, read into the
//! same [`Scenario`] its JSON would give, and written back from any scenario.
//!
//! ```text
//! # CS231n: the first example
//! x = -2; y = 5; z = -4
//! q = x + y
//! f = q * z
//! ```
//!
//! A name assigned a number or a tensor is an input (`const name = …` makes a constant, whose
//! gradient is not drawn; `input name` an input without a value); a name assigned an
//! expression is the node of its last operation, and every other operation gets a node of
//! its own, with an id made from what it does (`exp_x`, `x_plus_y`). See the README for the
//! whole grammar.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use crate::core::scenario::Scenario;
use crate::error::{Error, ScenarioError, TextProblem};

mod lexer;
mod parse;
mod write;

pub use crate::core::limits::MAX_TEXT_NODES;
pub use write::{to_json, to_text};

/// How many characters of a long line an error shows on each side of the place.
const EXCERPT_CHARS: usize = 60;

/// Reads a scenario in the text format; errors name `path`.
///
/// # Errors
/// [`Error::Text`] with the line, the column and the line itself, for a syntax error, an
/// unknown function, a name no statement assigns, a setting given twice, nesting deeper than
/// [`MAX_NESTING`](crate::core::limits::MAX_NESTING) or a tensor past the limits.
pub fn read(path: &Path, text: &str) -> Result<Scenario<'static>, Error> {
    read_as(path, text, false)
}

/// Reads an expression given on the command line (`-e`): as [`read`], but a name used and
/// never assigned is an input without a value (give it one with [`set_inputs`]).
///
/// # Errors
/// As [`read`].
pub fn read_expression(path: &Path, text: &str) -> Result<Scenario<'static>, Error> {
    read_as(path, text, true)
}

fn read_as(path: &Path, text: &str, inline: bool) -> Result<Scenario<'static>, Error> {
    read_placed(path, text, inline).map(|(scenario, _)| scenario)
}

/// Where the nodes of a text were made, to put an error about one of them at its line.
#[derive(Debug)]
pub(crate) struct Places {
    path: PathBuf,
    text: String,
    at: HashMap<String, usize>,
}

impl Places {
    /// `error` at the place of the node it names, if this text made that node; else as it
    /// is, naming the file.
    pub(crate) fn locate(&self, error: ScenarioError) -> Error {
        let at = match &error {
            ScenarioError::Node { id, .. } => self.at.get(id).copied(),
            _ => None,
        };
        match at {
            Some(at) => located(
                &self.path,
                &self.text,
                at,
                TextProblem::Scenario(Box::new(error)),
            ),
            None => Error::Scenario {
                path: self.path.clone(),
                source: error,
            },
        }
    }
}

/// As [`read`] (`inline`: as [`read_expression`]), with the place each node was made.
pub(crate) fn read_placed(
    path: &Path,
    text: &str,
    inline: bool,
) -> Result<(Scenario<'static>, Places), Error> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let place = |(at, problem): (usize, TextProblem)| located(path, text, at, problem);
    let (scenario, at) = parse::Parser::new(text, inline).scenario().map_err(place)?;
    let places = Places {
        path: path.to_path_buf(),
        text: text.to_string(),
        at,
    };
    Ok((scenario, places))
}

/// Whether `text` is JSON rather than the text format: its first character that is not a
/// blank (or a byte-order mark) is `{`, `[` or `"`, none of which starts a statement.
pub fn is_json(text: &str) -> bool {
    text.trim_start_matches(|c: char| c.is_whitespace() || c == '\u{feff}')
        .starts_with(['{', '[', '"'])
}

/// Gives the inputs named in `values` their values (a number or a tensor, as JSON), in
/// place of those the scenario has: `--set x=-2,y=5`.
///
/// # Errors
/// [`Error::Usage`] for a name that is not an input of the scenario (listing the inputs),
/// a name given twice, or a value that is not a number or a tensor in the text format.
pub fn set_inputs(scenario: &mut Scenario<'_>, values: &[(String, String)]) -> Result<(), Error> {
    let mut seen = std::collections::HashSet::new();
    for (name, text) in values {
        if !seen.insert(name) {
            return Err(Error::Usage(format!("--set: \"{name}\" is given twice")));
        }
        let value = parse::value(text).map_err(|why| {
            Error::Usage(format!(
                "--set {name}={text}: {why}; a value is a number (-2) or a tensor ([[1, 2], [3, 4]])"
            ))
        })?;
        let node = scenario
            .nodes
            .iter_mut()
            .find(|n| n.id == name.as_str() && n.op.is_none() && n.constant.is_none());
        match node {
            Some(node) => node.input = Some(value),
            None => {
                let inputs: Vec<String> = scenario
                    .nodes
                    .iter()
                    .filter(|n| n.input.is_some())
                    .map(|n| format!("\"{}\"", n.id))
                    .collect();
                return Err(Error::Usage(format!(
                    "--set: \"{name}\" is not an input of the scenario; its inputs are {}",
                    if inputs.is_empty() {
                        "none".to_string()
                    } else {
                        inputs.join(", ")
                    }
                )));
            }
        }
    }
    Ok(())
}

/// The error for `problem` at byte `at` of `text`: its line and column, and the line (or,
/// of a long line, the part around the place) to show with a caret.
fn located(path: &Path, text: &str, at: usize, problem: TextProblem) -> Error {
    let at = at.min(text.len());
    let line_start = text[..at].rfind('\n').map_or(0, |k| k + 1);
    let line_end = text[at..].find('\n').map_or(text.len(), |k| at + k);
    let line = text[..line_start].matches('\n').count() + 1;
    let before: Vec<char> = text[line_start..at].chars().collect();
    let column = before.len() + 1;
    let skip = before.len().saturating_sub(EXCERPT_CHARS);
    let mut excerpt: String = if skip > 0 {
        "…".to_string()
    } else {
        String::new()
    };
    excerpt.extend(before[skip..].iter());
    let rest = &text[at..line_end];
    let mut after = rest.chars();
    excerpt.extend(after.by_ref().take(EXCERPT_CHARS));
    if after.next().is_some() {
        excerpt.push('…');
    }
    let excerpt = excerpt.trim_end_matches('\r').to_string();
    Error::Text {
        path: path.to_path_buf(),
        line,
        column,
        mark: before.len() - skip + 1 + usize::from(skip > 0),
        excerpt,
        problem,
    }
}

#[cfg(test)]
mod tests;
