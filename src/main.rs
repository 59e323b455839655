//! The `chainrule` binary: parse the command line, run it, map the result to an exit code.

mod cli;

use clap::Parser;

fn main() {
    let cli = cli::Cli::parse();
    if let Err(err) = cli::run(cli) {
        eprintln!("chainrule: {err}");
        std::process::exit(err.exit_code());
    }
}
