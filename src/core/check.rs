//! A scenario's texts and arguments checked against the limits of [`crate::core::limits`],
//! before the model is built.

use super::limits::{quote, LimitProblem, MAX_ARGS, MAX_NESTING, MAX_TEXT_CHARS, MAX_TEX_CHARS};
use crate::core::scenario::Scenario;
use crate::error::ScenarioError;
use crate::text::math::Math;

/// Checks every text of `scenario` against the limits (and for being blank) and every
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
