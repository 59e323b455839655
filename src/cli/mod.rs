//! The command line: clap types that mirror the flags ([`args`]), and `run`, which carries
//! them out ([`commands`]), once or again whenever the scenarios change; what it prints goes
//! through [`print`], and long runs show a bar ([`progress`]).

mod args;
mod commands;
mod inline;
mod print;
mod progress;

use std::path::PathBuf;

use chainrule::pipeline::watch;
use chainrule::Error;

pub use args::Cli;
use args::Command;
use commands::run_once;
use print::printable;

/// Carries out the command, writing its results to standard output; returns the exit code.
/// An error is printed here, its control characters escaped, and becomes the exit code.
pub fn run(cli: Cli) -> Result<i32, Error> {
    match run_command(cli) {
        Ok(code) => Ok(code),
        Err(err) => {
            eprintln!("chainrule: {}", printable(&err.to_string()));
            Ok(err.exit_code())
        }
    }
}

fn run_command(cli: Cli) -> Result<i32, Error> {
    match &cli.command {
        Command::Render {
            targets,
            watch: true,
            ..
        }
        | Command::Frames {
            targets,
            watch: true,
            ..
        } => watching(&targets.inputs, &cli.command),
        _ => run_once(cli.command),
    }
}

/// Runs `command` now and again whenever the scenarios of `inputs` change, printing its
/// errors as [`run`] does; returns only on a usage error (Ctrl-C ends the process).
fn watching(inputs: &[PathBuf], command: &Command) -> Result<i32, Error> {
    if inputs.is_empty() {
        return Err(Error::Usage(
            "--watch watches files: an expression given with -e has none".to_string(),
        ));
    }
    if inputs.iter().any(|input| input.as_os_str() == "-") {
        return Err(Error::Usage(
            "--watch watches files: standard input (-) cannot be watched".to_string(),
        ));
    }
    watch::watch(inputs, watch::INTERVAL, || {
        if let Err(err) = run_once(command.clone()) {
            eprintln!("chainrule: {}", printable(&err.to_string()));
        }
        eprintln!("chainrule: watching for changes (Ctrl-C stops)");
        true
    });
    Ok(0)
}
