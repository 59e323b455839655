//! Reading scenario files: from a path or standard input (`-`) to a validated [`Model`] and
//! its [`Trace`], every error wrapped with the file's name. A file is JSON or the text
//! format ([`crate::core::script`]): a `.chain` file is text, a `.json` file JSON, and
//! anything else (standard input) is JSON if it starts with `{`.

use std::io::Read;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use crate::core::check;
use crate::core::engine::{self, EvalError, Numbers, Trace};
use crate::core::limits::{MAX_EXACT_INTEGER, MAX_FILE_BYTES};
use crate::core::model::Model;
use crate::core::scenario::{Annotate, FileBudget, Scenario};
use crate::core::script::{self, Places};
use crate::error::{Error, ScenarioError};

/// The extension of the text format.
pub const TEXT_EXTENSION: &str = "chain";

/// The extensions of scenario files, which a directory of scenarios is searched for.
pub const EXTENSIONS: &[&str] = &["json", TEXT_EXTENSION];

/// A scenario to read: a file (`-` for standard input) or an expression given on the
/// command line, with values for its inputs.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Source {
    /// The file; for an expression, the name its errors give (`-e`).
    pub path: PathBuf,
    /// An expression in the text format, read instead of the file; a name it uses without
    /// assigning is an input.
    pub expression: Option<String>,
    /// The name of its outputs, instead of the file's stem.
    pub name: Option<String>,
    /// Values for inputs, by name, each a number or a tensor in the text format
    /// (`--set x=-2`); they replace the values the scenario gives.
    pub set: Vec<(String, String)>,
}

impl Source {
    /// The file at `path`, as it is.
    pub fn file(path: impl Into<PathBuf>) -> Source {
        Source {
            path: path.into(),
            ..Source::default()
        }
    }

    /// Reads and validates the scenario.
    ///
    /// # Errors
    /// As [`model`], and [`Error::Usage`] for a value set on a name that is not an input.
    pub fn model(&self) -> Result<Model, Error> {
        match &self.expression {
            Some(text) => {
                let (mut scenario, places) = script::read_placed(&self.path, text, true)?;
                script::set_inputs(&mut scenario, &self.set)?;
                build(&self.path, scenario, Some(places))
            }
            None => {
                let text = read(&self.path)?;
                parse_with(&self.path, &text, &self.set)
            }
        }
    }

    /// The name of its outputs: [`Source::name`], else the file's [`stem`].
    pub fn stem(&self) -> String {
        self.name.clone().unwrap_or_else(|| stem(&self.path))
    }
}

/// Whether the scenario text from `path` is in the text format: by the extension, else
/// by what it starts with.
fn is_text(path: &Path, text: &str) -> bool {
    match path.extension().and_then(|e| e.to_str()) {
        Some(TEXT_EXTENSION) => true,
        Some("json") => false,
        _ => !script::is_json(text),
    }
}

/// Reads `path` (or standard input for `-`), validates it, and writes it in the other
/// format: JSON as text, text as JSON; or, with `to_json` given, in that format.
///
/// # Errors
/// As [`model`], and [`Error::Usage`] for an id the text format cannot write.
pub fn convert(path: &Path, to_json: Option<bool>) -> Result<String, Error> {
    let text = read(path)?;
    let to_json = to_json.unwrap_or(is_text(path, &text));
    let (scenario, places) = either(path, &text)?;
    let written = write(&scenario, to_json);
    build(path, scenario, places)?;
    written.map_err(|why| Error::Usage(format!("{}: {why}", path.display())))
}

fn write(scenario: &Scenario<'_>, to_json: bool) -> Result<String, String> {
    if to_json {
        Ok(script::to_json(scenario))
    } else {
        script::to_text(scenario)
    }
}

/// Reads `path` (or standard input for `-`) and validates it.
///
/// # Errors
/// [`Error::Read`], [`Error::Syntax`] with line and column, or [`Error::Scenario`].
pub fn model(path: &Path) -> Result<Model, Error> {
    let text = read(path)?;
    parse(path, &text)
}

/// Validates scenario text that came from `path`, JSON or the text format.
///
/// # Errors
/// [`Error::Syntax`] with line and column (JSON), [`Error::Text`] with the line shown (the
/// text format), or [`Error::Scenario`].
pub fn parse(path: &Path, text: &str) -> Result<Model, Error> {
    parse_with(path, text, &[])
}

/// As [`parse`], with values for inputs in place of the scenario's ([`Source::set`]).
///
/// # Errors
/// As [`parse`], and [`Error::Usage`] for a value set on a name that is not an input.
pub fn parse_with(path: &Path, text: &str, set: &[(String, String)]) -> Result<Model, Error> {
    let (mut scenario, places) = either(path, text)?;
    script::set_inputs(&mut scenario, set)?;
    build(path, scenario, places)
}

/// Reads scenario text that came from `path`, in the format [`is_text`] says, and, for the
/// text format, where its nodes were made.
fn either<'t>(path: &Path, text: &'t str) -> Result<(Scenario<'t>, Option<Places>), Error> {
    if is_text(path, text) {
        let (scenario, places) = script::read_placed(path, text, false)?;
        Ok((scenario, Some(places)))
    } else {
        Ok((json(path, text)?, None))
    }
}

/// Validates JSON scenario text that came from `path`, whatever its name.
///
/// # Errors
/// [`Error::Syntax`] with line and column, or [`Error::Scenario`].
pub fn parse_json(path: &Path, text: &str) -> Result<Model, Error> {
    build(path, json(path, text)?, None)
}

/// Validates scenario text in the text format that came from `path`, whatever its name.
///
/// # Errors
/// [`Error::Text`] with the line shown, or [`Error::Scenario`].
pub fn parse_text(path: &Path, text: &str) -> Result<Model, Error> {
    let (scenario, places) = script::read_placed(path, text, false)?;
    build(path, scenario, Some(places))
}

/// Checks a scenario against the limits and builds its model; an error about a node of a
/// text-format scenario is put at the place its `places` say the node was made.
fn build(path: &Path, scenario: Scenario<'_>, places: Option<Places>) -> Result<Model, Error> {
    let invalid = |source| located(path, places.as_ref(), source);
    check::check(&scenario).map_err(invalid)?;
    let mut model = Model::build(scenario).map_err(invalid)?;
    model.places = places.map(Arc::new);
    Ok(model)
}

/// `source`, an error about the scenario from `path`, at the place of the node it names
/// where `places` know it.
fn located(path: &Path, places: Option<&Places>, source: ScenarioError) -> Error {
    match places {
        Some(places) => places.locate(source),
        None => Error::Scenario {
            path: path.to_path_buf(),
            source,
        },
    }
}

/// Reads JSON scenario text that came from `path`.
fn json<'t>(path: &Path, text: &'t str) -> Result<Scenario<'t>, Error> {
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
    Ok(scenario)
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
    engine::evaluate(model).map_err(|e| eval_error(path, model, e))
}

/// Every value and gradient of a model that came from `path`, without the steps (see
/// [`engine::numbers`]).
///
/// # Errors
/// As [`evaluate`].
pub fn numbers(path: &Path, model: &Model) -> Result<Numbers, Error> {
    engine::numbers(model).map_err(|e| eval_error(path, model, e))
}

/// An evaluation's error: a scenario error at its node's place in a text-format file, a
/// value that is not finite as it is (exit code 1, not 2).
fn eval_error(path: &Path, model: &Model, error: EvalError) -> Error {
    match error {
        EvalError::Invalid(source) => located(path, model.places.as_deref(), source),
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
