//! The integration tests, in one binary: each file is a module, so the library and its two
//! SVG stacks are linked once, not once per file.

mod accumulation;
mod bad_input;
mod browser;
mod corpus;
mod dot;
mod frames;
mod fuzz;
mod generate;
mod golden;
mod gradcheck;
mod hostile;
mod local_math;
mod naming;
mod output;
mod playground;
mod python;
mod readme;
mod render;
mod scalar_engine;
mod schema;
mod script;
mod shell;
mod structure;
mod symbolic_forms;
mod text_numbers;
mod typeset;
mod watch;

/// Skips a test that needs what this machine lacks (`why`): under CI (`CI` set), where
/// `.ci/run` installs everything, that is a failure; elsewhere the test says it is skipped,
/// where `cargo test` shows it even for a test that passes (its capture takes what `print!`
/// and `eprint!` write, not what is written to stderr itself).
#[track_caller]
fn skip(test: &str, why: &str) {
    use std::io::Write;
    assert!(
        std::env::var_os("CI").is_none(),
        "{test} test cannot run under CI: {why}"
    );
    let _ = writeln!(std::io::stderr().lock(), "skipped: {test}: {why}");
}

/// Asserts that `run` (`what`: the command, for the message) exited with 0, showing its exit
/// status and what it wrote on standard error if not.
#[track_caller]
fn succeeded(run: &std::process::Output, what: &str) {
    assert!(
        run.status.success(),
        "{what}: {}: {}",
        run.status,
        String::from_utf8_lossy(&run.stderr)
    );
}
