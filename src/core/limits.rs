//! What a scenario file may ask for, checked before any work is done: the file's size, the
//! length of every text, the arguments of one op, the numbers in a tensor, the nesting of a
//! name read as math. Each limit is far above what a figure for a course needs and keeps the
//! worst case a file can ask for within seconds and well under a gigabyte (measured in
//! release: at most 7 s and 350 MB, for 500 args drawn as frames). Texts that are drawn must not be empty or blank:
//! an empty label is a mistake, never a figure.

use crate::core::scenario::Scenario;
use crate::error::ScenarioError;
use crate::text::math::Math;

/// The most frames a set has: a step per frame is for graphs a class can follow, and every
/// frame is rasterised and kept (as runs of colours) until the GIF's palette is chosen.
pub const MAX_FRAMES: usize = 400;

/// The largest scenario file read, in bytes (64 MiB). The 986,756-node MLP of the benchmarks
/// takes 62 MB; a larger file is refused before it is parsed, and no more than this (plus one
/// byte, to tell) is ever read, even from a pipe or `/dev/zero`.
pub const MAX_FILE_BYTES: u64 = 64 * 1024 * 1024;

/// The longest id, label, symbol, name, group name or label, derivative, figure name or
/// title, in characters. A label is typeset and rasterised: 64,000 characters took 11 s.
pub const MAX_TEXT_CHARS: usize = 1_000;

/// The longest hand-written edge label (`labels`' `forward` and `backward`, TeX between
/// `$…$`), in characters.
pub const MAX_TEX_CHARS: usize = 1_000;

/// The most arguments one op takes (`add` is the only op with no fixed count). One `add` of
/// 30,000 arguments took 187 s to lay out and draw; of 500, it takes 6 s as SVG and PNG
/// (of 1,000, 18 s: the PNG of so wide a figure is what costs).
pub const MAX_ARGS: usize = 500;

/// The most numbers in one tensor (an input, a const or the seed): a 1000 × 1000 matrix.
pub const MAX_TENSOR_ELEMENTS: usize = 1_000_000;

/// The most numbers in all the tensors of one file together: each is held as JSON (about
/// 80 bytes a number) until it is converted.
pub const MAX_FILE_ELEMENTS: usize = 4_000_000;

/// The most numbers one evaluation holds: every node's value, and the gradient each edge
/// carries back (as large as its source's value). The backward pass keeps about three times
/// this many (values, gradients, and each step's), so 16 million numbers stay under 400 MB;
/// a million-node scalar network needs about 3 million.
pub const MAX_EVAL_ELEMENTS: usize = 16_000_000;

/// The deepest nesting of a name read as math (parentheses, leading minus signs, function
/// applications), and of braces in a hand-written label's TeX. The parsers are recursive;
/// this keeps them far from the end of the stack.
pub const MAX_NESTING: usize = 64;

/// The largest magnitude of an integer written in a file: 2⁵³, above which not every integer
/// is a floating-point number and would be rounded silently. Such a number is refused; write
/// it with a decimal point or an exponent (`9007199254740993.0`) to accept the rounding.
pub const MAX_EXACT_INTEGER: u64 = 1 << 53;

/// How many characters of a long value an error message quotes before it writes `…`.
pub const QUOTED_CHARS: usize = 60;

/// `value` in double quotes for a message, shortened to its first [`QUOTED_CHARS`]
/// characters and `…` if it is longer.
pub fn quote(value: &str) -> String {
    match value.char_indices().nth(QUOTED_CHARS) {
        Some((end, _)) => format!("\"{}…\"", &value[..end]),
        None => format!("\"{value}\""),
    }
}

/// What is wrong with one text, argument list or nesting of a scenario: blank, or past a
/// limit. Values are quoted, and shortened ([`quote`]).
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum LimitProblem {
    /// A text that is drawn is empty or only blanks.
    #[error("\"{field}\" is {}; write at least one visible character, or leave the field out", if *.empty { "empty" } else { "blank" })]
    Blank {
        /// The field.
        field: String,
        /// Empty, rather than blanks.
        empty: bool,
    },
    /// A text is longer than its limit.
    #[error("\"{field}\" {value} is longer than the limit of {limit} characters")]
    TooLong {
        /// The field.
        field: String,
        /// The text, quoted.
        value: String,
        /// The limit, in characters.
        limit: usize,
    },
    /// A name read as math nests deeper than [`MAX_NESTING`].
    #[error("\"{field}\" {value} nests deeper than the limit of {MAX_NESTING} levels (parentheses or signs)")]
    TooDeep {
        /// The field.
        field: String,
        /// The text, quoted.
        value: String,
    },
    /// A hand-written label of only blanks and `$` signs.
    #[error(
        "\"{field}\" {value} is blank; write at least one visible character, or \"\" for no label"
    )]
    BlankLabel {
        /// The field.
        field: String,
        /// The label, quoted.
        value: String,
    },
    /// A hand-written label's braces nest deeper than [`MAX_NESTING`].
    #[error("\"{field}\" {value} nests braces deeper than the limit of {MAX_NESTING} levels")]
    BracesTooDeep {
        /// The field.
        field: String,
        /// The label, quoted.
        value: String,
    },
    /// An op has more arguments than [`MAX_ARGS`].
    #[error("{op} has {args} arguments, more than the limit of {MAX_ARGS}")]
    Args {
        /// The op.
        op: String,
        /// How many it has.
        args: usize,
    },
}

/// Checks every text of `scenario` against the limits above (and for being blank) and every
/// op's argument count against [`MAX_ARGS`], before the model is built.
///
/// # Errors
/// [`ScenarioError::Limit`] naming the node (or the field) and the limit.
pub fn check(scenario: &Scenario<'_>) -> Result<(), ScenarioError> {
    let bad = |place: &str, problem: LimitProblem| {
        Err(ScenarioError::Limit {
            place: place.to_string(),
            problem,
        })
    };
    for (field, text) in [("title", &scenario.title), ("output", &scenario.output)] {
        if let Some(text) = text {
            if let Err(problem) = length(field, text, MAX_TEXT_CHARS) {
                return bad("the scenario", problem);
            }
        }
    }
    for (i, node) in scenario.nodes.iter().enumerate() {
        if let Err(problem) = text("id", &node.id) {
            return bad(&format!("item {} of \"nodes\"", i + 1), problem);
        }
        let place = || format!("node {}", quote(&node.id));
        for (field, value) in [
            ("label", &node.label),
            ("symbol", &node.symbol),
            ("name", &node.name),
            ("group", &node.group),
        ] {
            if let Some(value) = value {
                if let Err(problem) = text(field, value) {
                    return bad(&place(), problem);
                }
            }
        }
        // What symbolic labels read as math: the name, else the label.
        if let Some(name) = node.name.as_ref().or(node.label.as_ref()) {
            let field = if node.name.is_some() { "name" } else { "label" };
            if let Err(problem) = math(field, name) {
                return bad(&place(), problem);
            }
        }
        if let Some(args) = &node.args {
            if args.len() > MAX_ARGS {
                let op = node.op.as_ref().map_or("the op", |op| op.0.as_ref());
                return bad(
                    &place(),
                    LimitProblem::Args {
                        op: op.to_string(),
                        args: args.len(),
                    },
                );
            }
            for arg in args {
                if let Err(problem) = length("an arg", &arg.0, MAX_TEXT_CHARS) {
                    return bad(&place(), problem);
                }
            }
        }
    }
    for (name, group) in &scenario.groups {
        if let Err(problem) = text("name", name) {
            return bad("a group in \"groups\"", problem);
        }
        let place = format!("group {}", quote(name));
        for (field, value) in [("label", &group.label), ("derivative", &group.derivative)] {
            if let Some(value) = value {
                if let Err(problem) = text(field, value) {
                    return bad(&place, problem);
                }
            }
        }
        if let Some(derivative) = &group.derivative {
            if let Err(problem) = math("derivative", derivative) {
                return bad(&place, problem);
            }
        }
    }
    if let Some(symbolic) = &scenario.symbolic {
        for (field, value) in [("loss", &symbolic.loss), ("seed", &symbolic.seed)] {
            if let Some(value) = value {
                if let Err(problem) = text(field, value).and_then(|()| math(field, value)) {
                    return bad("\"symbolic\"", problem);
                }
            }
        }
    }
    for (i, figure) in scenario.figures.iter().enumerate() {
        let place = format!("item {} of \"figures\"", i + 1);
        if let Err(problem) = length("name", &figure.name, MAX_TEXT_CHARS) {
            return bad(&place, problem);
        }
        for id in figure.highlight.iter().flatten() {
            if let Err(problem) = length("a highlighted id", id, MAX_TEXT_CHARS) {
                return bad(&place, problem);
            }
        }
    }
    for (i, label) in scenario.labels.iter().enumerate() {
        let place = format!("item {} of \"labels\"", i + 1);
        for (field, id) in [("from", &label.from), ("to", &label.to)] {
            if let Err(problem) = length(field, id, MAX_TEXT_CHARS) {
                return bad(&place, problem);
            }
        }
        for (field, value) in [("forward", &label.forward), ("backward", &label.backward)] {
            if let Some(value) = value {
                if let Err(problem) = tex(field, value) {
                    return bad(&place, problem);
                }
            }
        }
    }
    Ok(())
}

/// A text that is drawn: not blank, and at most [`MAX_TEXT_CHARS`] long.
fn text(field: &str, value: &str) -> Result<(), LimitProblem> {
    length(field, value, MAX_TEXT_CHARS)?;
    if value.trim().is_empty() {
        return Err(LimitProblem::Blank {
            field: field.to_string(),
            empty: value.is_empty(),
        });
    }
    Ok(())
}

fn length(field: &str, value: &str, limit: usize) -> Result<(), LimitProblem> {
    // Counting stops past the limit: a 60 MB label is not counted to the end.
    let chars = value.chars().take(limit + 1).count();
    if chars > limit {
        return Err(LimitProblem::TooLong {
            field: field.to_string(),
            value: quote(value),
            limit,
        });
    }
    Ok(())
}

/// A text read as math nests at most [`MAX_NESTING`] deep.
fn math(field: &str, value: &str) -> Result<(), LimitProblem> {
    if Math::try_parse_name(value).is_err() {
        return Err(LimitProblem::TooDeep {
            field: field.to_string(),
            value: quote(value),
        });
    }
    Ok(())
}

/// A hand-written label: at most [`MAX_TEX_CHARS`] long, braces nested at most
/// [`MAX_NESTING`] deep, and, if it has any text, not only blanks and `$` signs (an empty
/// label, `""`, leaves the edge unlabelled).
fn tex(field: &str, value: &str) -> Result<(), LimitProblem> {
    length(field, value, MAX_TEX_CHARS)?;
    if !value.is_empty() && value.chars().all(|c| c == '$' || c.is_whitespace()) {
        return Err(LimitProblem::BlankLabel {
            field: field.to_string(),
            value: quote(value),
        });
    }
    let mut depth = 0usize;
    let mut deepest = 0usize;
    for c in value.chars() {
        match c {
            '{' => {
                depth += 1;
                deepest = deepest.max(depth);
            }
            '}' => depth = depth.saturating_sub(1),
            _ => {}
        }
    }
    if deepest > MAX_NESTING {
        return Err(LimitProblem::BracesTooDeep {
            field: field.to_string(),
            value: quote(value),
        });
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn long_values_are_quoted_shortened() {
        assert_eq!(quote("abc"), "\"abc\"");
        let long = "é".repeat(100);
        assert_eq!(quote(&long), format!("\"{}…\"", "é".repeat(QUOTED_CHARS)));
    }
}
