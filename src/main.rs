//! The `chainrule` binary: parse the command line, run it, map the result to an exit code.

mod cli;

use clap::Parser;

fn main() {
    let cli = cli::Cli::parse();
    match cli::run(cli) {
        Ok(0) => {}
        Ok(code) => std::process::exit(code),
        Err(err) => {
            eprintln!("chainrule: {err}");
            std::process::exit(err.exit_code());
        }
    }
}
