//! Reading scenario files: from a path or standard input (`-`) to a validated [`Model`] and
//! its [`Trace`], every error wrapped with the file's name.

use std::io::Read;
use std::path::Path;

use crate::core::engine::{self, EvalError, Numbers, Trace};
use crate::core::model::Model;
use crate::core::scenario::{Annotate, Scenario};
use crate::error::{Error, ScenarioError};

/// Reads `path` (or standard input for `-`) and validates it.
///
/// # Errors
/// [`Error::Read`], [`Error::Syntax`] with line and column, or [`Error::Scenario`].
pub fn model(path: &Path) -> Result<Model, Error> {
    let text = read(path)?;
    parse(path, &text)
}

/// Validates scenario text that came from `path`.
///
/// # Errors
/// [`Error::Syntax`] with line and column, or [`Error::Scenario`].
pub fn parse(path: &Path, text: &str) -> Result<Model, Error> {
    let scenario: Scenario = serde_json::from_str(text).map_err(|e| {
        let full = e.to_string();
        let suffix = format!(" at line {} column {}", e.line(), e.column());
        Error::Syntax {
            path: path.to_path_buf(),
            line: e.line(),
            column: e.column(),
            message: full.strip_suffix(&suffix).unwrap_or(&full).to_string(),
        }
    })?;
    Model::build(scenario).map_err(|source| Error::Scenario {
        path: path.to_path_buf(),
        source,
    })
}

/// Evaluates a model that came from `path`.
///
/// # Errors
/// [`Error::Scenario`] for shapes that don't fit, [`Error::Numeric`] for non-finite results.
pub fn evaluate(path: &Path, model: &Model) -> Result<Trace, Error> {
    engine::evaluate(model).map_err(|e| eval_error(path, e))
}

/// Every value and gradient of a model that came from `path`, without the steps (see
/// [`engine::numbers`]).
///
/// # Errors
/// As [`evaluate`].
pub fn numbers(path: &Path, model: &Model) -> Result<Numbers, Error> {
    engine::numbers(model).map_err(|e| eval_error(path, e))
}

fn eval_error(path: &Path, error: EvalError) -> Error {
    match error {
        EvalError::Invalid(source) => Error::Scenario {
            path: path.to_path_buf(),
            source,
        },
        EvalError::Numeric(source) => Error::Numeric {
            path: path.to_path_buf(),
            source,
        },
    }
}

fn read(path: &Path) -> Result<String, Error> {
    let fail = |source| Error::Read {
        path: path.to_path_buf(),
        source,
    };
    if path == Path::new("-") {
        let mut text = String::new();
        std::io::stdin().read_to_string(&mut text).map_err(fail)?;
        Ok(text)
    } else {
        std::fs::read_to_string(path).map_err(fail)
    }
}

/// The scenario's short name, used for output files: the file stem, or `stdin`.
pub fn stem(path: &Path) -> String {
    if path == Path::new("-") {
        return "stdin".to_string();
    }
    path.file_stem().map_or_else(
        || "scenario".to_string(),
        |s| s.to_string_lossy().into_owned(),
    )
}

/// The trace of a model that came from `path`, or, for a scenario without numbers (inputs
/// without values, generic functions) that is to be drawn with symbols, the passes'
/// structure without numbers; the flag says whether there are numbers.
///
/// # Errors
/// Any error of [`evaluate`], and [`ScenarioError::NoNumbers`] when numbers are asked for
/// (`annotate` numeric or both) from a scenario without them.
pub fn trace_or_skeleton(
    path: &Path,
    model: &Model,
    annotate: Option<Annotate>,
) -> Result<(Trace, bool), Error> {
    match evaluate(path, model) {
        Ok(trace) => Ok((trace, true)),
        Err(Error::Scenario {
            source: ScenarioError::NoNumbers(_),
            ..
        }) if matches!(annotate, None | Some(Annotate::Symbolic)) => {
            Ok((engine::skeleton(model), false))
        }
        Err(e) => Err(e),
    }
}
