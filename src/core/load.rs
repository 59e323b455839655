//! Reading scenario files: from a path or standard input (`-`) to a validated [`Model`] and
//! its [`Trace`], every error wrapped with the file's name.

use std::io::Read;
use std::path::Path;

use crate::core::engine::{self, EvalError, Numbers, Trace};
use crate::core::limits::{self, MAX_EXACT_INTEGER, MAX_FILE_BYTES};
use crate::core::model::Model;
use crate::core::scenario::{Annotate, FileBudget, Scenario};
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
    // A byte-order mark is no part of the JSON; editors on Windows write one.
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let syntax = |line, column, message: String| Error::Syntax {
        path: path.to_path_buf(),
        line,
        column,
        message,
    };
    if let Some((line, column, found)) = not_an_object(text) {
        return Err(syntax(
            line,
            column,
            format!(
                "the file must hold a JSON object (a scenario: {{\"nodes\": [...]}}), not {found}"
            ),
        ));
    }
    if let Some((line, column, digits)) = huge_integer(text) {
        return Err(syntax(
            line,
            column,
            format!(
                "the integer {digits} is larger than 2^53 = {MAX_EXACT_INTEGER} and would be \
                 rounded; write it with a decimal point ({digits}.0) to accept the rounding"
            ),
        ));
    }
    let budget = FileBudget::start();
    let scenario: Scenario = serde_json::from_str(text).map_err(|e| {
        let full = e.to_string();
        let suffix = format!(" at line {} column {}", e.line(), e.column());
        syntax(
            e.line(),
            e.column(),
            full.strip_suffix(&suffix).unwrap_or(&full).to_string(),
        )
    })?;
    drop(budget);
    let invalid = |source| Error::Scenario {
        path: path.to_path_buf(),
        source,
    };
    limits::check(&scenario).map_err(invalid)?;
    Model::build(scenario).map_err(invalid)
}

/// Where the file's first value starts and what it is, if it is JSON but not an object.
fn not_an_object(text: &str) -> Option<(usize, usize, &'static str)> {
    let (start, first) = text.char_indices().find(|(_, c)| !c.is_whitespace())?;
    let found = match first {
        '{' => return None,
        '[' => "an array",
        '"' => "a string",
        '0'..='9' | '-' => "a number",
        't' | 'f' => "true or false",
        'n' => "null",
        _ => return None,
    };
    let before = &text[..start];
    let line = before.matches('\n').count() + 1;
    let column = before.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1;
    Some((line, column, found))
}

/// The first integer literal of 20 digits or more outside a string, with its line and column:
/// past 2⁶⁴, which the JSON parser reads as a floating-point number before any check of
/// chainrule's sees it (smaller ones past 2⁵³ are refused as they are read).
fn huge_integer(text: &str) -> Option<(usize, usize, &str)> {
    let bytes = text.as_bytes();
    let (mut in_string, mut escaped, mut i) = (false, false, 0);
    while i < bytes.len() {
        let b = bytes[i];
        if in_string {
            match (escaped, b) {
                (true, _) => escaped = false,
                (false, b'\\') => escaped = true,
                (false, b'"') => in_string = false,
                _ => {}
            }
            i += 1;
            continue;
        }
        match b {
            b'"' => in_string = true,
            b'-' | b'0'..=b'9' => {
                let start = i;
                while i < bytes.len()
                    && matches!(bytes[i], b'-' | b'+' | b'.' | b'e' | b'E' | b'0'..=b'9')
                {
                    i += 1;
                }
                let token = &text[start..i];
                let integer = !token.contains(['.', 'e', 'E']);
                if integer && token.bytes().filter(u8::is_ascii_digit).count() >= 20 {
                    let before = &text[..start];
                    let line = before.matches('\n').count() + 1;
                    let column = before.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1;
                    return Some((line, column, token));
                }
                continue;
            }
            _ => {}
        }
        i += 1;
    }
    None
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

/// Reads at most [`MAX_FILE_BYTES`] and one byte more, to tell a file that is too large
/// (or endless, as `/dev/zero`) without reading it all.
fn read(path: &Path) -> Result<String, Error> {
    let fail = |source| Error::Read {
        path: path.to_path_buf(),
        source,
    };
    let mut bytes = Vec::new();
    if path == Path::new("-") {
        std::io::stdin()
            .lock()
            .take(MAX_FILE_BYTES + 1)
            .read_to_end(&mut bytes)
            .map_err(fail)?;
    } else {
        let file = std::fs::File::open(path).map_err(fail)?;
        if let Ok(meta) = file.metadata() {
            if meta.is_file() && meta.len() > MAX_FILE_BYTES {
                return Err(too_large(path, meta.len()));
            }
        }
        file.take(MAX_FILE_BYTES + 1)
            .read_to_end(&mut bytes)
            .map_err(fail)?;
    }
    if bytes.len() as u64 > MAX_FILE_BYTES {
        return Err(too_large(path, bytes.len() as u64));
    }
    String::from_utf8(bytes).map_err(|_| {
        fail(std::io::Error::new(
            std::io::ErrorKind::InvalidData,
            "stream did not contain valid UTF-8",
        ))
    })
}

fn too_large(path: &Path, bytes: u64) -> Error {
    let what = if bytes > MAX_FILE_BYTES + 1 {
        format!("the file holds {bytes} bytes,")
    } else {
        "the input holds".to_string()
    };
    Error::Read {
        path: path.to_path_buf(),
        source: std::io::Error::new(
            std::io::ErrorKind::FileTooLarge,
            format!("{what} more than the limit of {MAX_FILE_BYTES} bytes (64 MiB) for a scenario"),
        ),
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
