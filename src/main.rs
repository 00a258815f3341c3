//! The `newsidx` binary: parse the command line, run it, exit with its status (see `exit.rs`).

use std::process::ExitCode;

use clap::Parser;
use newsidx::cli::Cli;
use newsidx::exit::{exit_status, run_reporting_panics};

fn main() -> ExitCode {
    let cli = Cli::parse();
    exit_status(run_reporting_panics(|| newsidx::run(&cli)))
}

#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;
