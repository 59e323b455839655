//! What the command line prints: text with its control characters escaped, written to
//! standard output or a file, and what a render wrote.

use std::io::Write;
use std::path::PathBuf;

use chainrule::pipeline::figures;
use chainrule::text::format::count;
use chainrule::Error;

/// `text` with every control character but the newline written as a Rust escape
/// (`\u{1b}`), so that an id or label from a file cannot move the cursor, clear the screen
/// or retitle the terminal. Every text printed goes through here.
pub(super) fn printable(text: &str) -> std::borrow::Cow<'_, str> {
    escape_controls(text, |c| format!("\\u{{{:x}}}", u32::from(c)))
}

/// `text` with the control characters that JSON may carry raw (DEL and U+0080–U+009F; the
/// others serde_json escapes) written as JSON escapes, so the output stays the same JSON.
pub(super) fn printable_json(text: &str) -> std::borrow::Cow<'_, str> {
    escape_controls(text, |c| format!("\\u{:04x}", u32::from(c)))
}

fn escape_controls(text: &str, escape: impl Fn(char) -> String) -> std::borrow::Cow<'_, str> {
    let control = |c: char| c.is_control() && c != '\n';
    if !text.contains(control) {
        return std::borrow::Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len() + 16);
    for c in text.chars() {
        if control(c) {
            out.push_str(&escape(c));
        } else {
            out.push(c);
        }
    }
    std::borrow::Cow::Owned(out)
}

/// Prints `text` on standard output.
pub(super) fn print(text: &[u8]) -> Result<i32, Error> {
    std::io::stdout()
        .lock()
        .write_all(text)
        .map_err(|source| Error::Write {
            path: PathBuf::from("<stdout>"),
            source,
        })?;
    Ok(0)
}

/// Writes `text` into the file `out` (atomically), or to standard output.
pub(super) fn write_out(out: Option<&std::path::Path>, text: &str) -> Result<(), Error> {
    match out {
        Some(path) => chainrule::pipeline::output::write_atomic(path, text.as_bytes()),
        None => std::io::stdout()
            .lock()
            .write_all(text.as_bytes())
            .map_err(|source| Error::Write {
                path: PathBuf::from("<stdout>"),
                source,
            }),
    }
}

/// Prints the warnings of a render and how many files it wrote.
pub(super) fn report_written(reports: &[figures::Report], out: &std::path::Path) {
    let mut written = 0;
    // The same warning from several figures or runs is printed once.
    let mut said = std::collections::HashSet::new();
    for report in reports {
        for warning in report.warnings.iter().chain(&report.collisions) {
            if said.insert(warning) {
                eprintln!("chainrule: warning: {}", printable(warning));
            }
        }
        written += report.files.len();
    }
    eprintln!(
        "chainrule: wrote {} into {}",
        count(written, "file", "files"),
        printable(&out.display().to_string())
    );
}
