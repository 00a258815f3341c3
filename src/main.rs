//! The `newsidx` binary: parse the command line, run it, map the outcome to an exit status.
//! Errors are printed here, once, as one line with their causes, never as a backtrace.

use std::process::ExitCode;

use clap::Parser;
use newsidx::cli::Cli;
use newsidx::exit::{error_exit_code, is_broken_pipe};

fn main() -> ExitCode {
    let cli = Cli::parse();
    match newsidx::run(&cli) {
        Ok(outcome) => outcome.exit_code(),
        // `newsidx export | head -1`: the reader left; that is not an error.
        Err(err) if is_broken_pipe(&err) => ExitCode::SUCCESS,
        Err(err) => {
            newsidx::output::eprint_line(&format!("newsidx: {err:#}"));
            error_exit_code()
        }
    }
}
