//! The command line: clap types that mirror the flags, and `run`, which carries them out.

use std::io::Write;
use std::path::PathBuf;

use clap::{Parser, Subcommand};

use chainrule::format::DEFAULT_PRECISION;
use chainrule::{load, report, Error};

/// Draws backpropagation on computational graphs the way the textbook does.
#[derive(Debug, Parser)]
#[command(name = "chainrule", version, about, long_about = None)]
pub struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Computes every value and gradient of a scenario and prints them.
    ///
    /// Example: chainrule eval scenarios/apple.json --steps
    Eval {
        /// The scenario file, or - for standard input.
        file: PathBuf,
        /// Print one JSON object with every value and gradient at full precision.
        #[arg(long, conflicts_with = "steps")]
        json: bool,
        /// Print the backward pass as numbered steps, in the order it runs.
        #[arg(long)]
        steps: bool,
        /// Significant digits of the numbers shown.
        #[arg(long, default_value_t = DEFAULT_PRECISION as u8, value_parser = clap::value_parser!(u8).range(1..=17))]
        precision: u8,
    },
}

/// Carries out the command, writing its results to standard output.
pub fn run(cli: Cli) -> Result<(), Error> {
    match cli.command {
        Command::Eval {
            file,
            json,
            steps,
            precision,
        } => {
            let model = load::model(&file)?;
            let trace = load::evaluate(&file, &model)?;
            let precision = usize::from(precision);
            let text = if json {
                format!("{}\n", report::json(&model, &trace))
            } else if steps {
                report::steps(&model, &trace, precision)
            } else {
                report::table(&model, &trace, precision)
            };
            let mut stdout = std::io::stdout().lock();
            stdout
                .write_all(text.as_bytes())
                .map_err(|source| Error::Write {
                    path: PathBuf::from("<stdout>"),
                    source,
                })
        }
    }
}
