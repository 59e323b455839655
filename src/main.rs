//! The `chainrule` binary: parse the command line, run it, map the result to an exit code.

mod cli;

use clap::Parser;

/// On SIGINT or SIGTERM, removes the temporary files of the run under way (the output
/// directory is left as it was) and exits with 128 + the signal's number (130, 143).
#[cfg(unix)]
fn remove_temporaries_on_signal() {
    use signal_hook::consts::{SIGINT, SIGTERM};
    let Ok(mut signals) = signal_hook::iterator::Signals::new([SIGINT, SIGTERM]) else {
        return;
    };
    std::thread::spawn(move || {
        if let Some(signal) = signals.forever().next() {
            chainrule::pipeline::output::abort();
            std::process::exit(128 + signal);
        }
    });
}

fn main() {
    #[cfg(unix)]
    remove_temporaries_on_signal();
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
