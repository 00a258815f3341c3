//! newsidx: index a folder of news articles, then search it from the terminal.
//!
//! Data flows through one module per stage:
//!
//! ```text
//! walk ──> parse ──> record ──> index ──> query ──> output
//! files    bytes to   Record +   tantivy   filters,  table, jsonl,
//! sorted   front      body,      index +   search,   json, csv,
//!          matter or  ids,       manifest  counts    paths
//!          body text  pairing
//! ```
//!
//! `commands` glues the stages for each subcommand; `cli` holds every clap type; `diag` carries
//! per-file problems; `exit` maps outcomes to exit statuses.
#![warn(clippy::print_stdout, clippy::print_stderr)]

pub mod build;
pub mod cli;
pub mod commands;
pub mod diag;
pub mod exit;
pub mod fingerprint;
#[doc(hidden)]
pub mod fuzzing;
pub mod index;
pub mod output;
pub mod parse;
pub mod query;
pub mod record;
pub mod walk;

use anyhow::Result;

use cli::{Cli, Command};
use exit::Outcome;

/// Runs one command line.
pub fn run(cli: &Cli) -> Result<Outcome> {
    let global = &cli.global;
    match &cli.command {
        Command::Build(args) => commands::build::run(args, global),
        Command::Search(args) => commands::search::run(args, global),
        Command::Show(args) => commands::show::run(args, global),
        Command::Facets(args) => commands::facets::run(args, global),
        Command::Timeline(args) => commands::timeline::run(args, global),
        Command::Stats(args) => commands::stats::run(args, global),
        Command::Related(args) => commands::related::run(args, global),
        Command::Export(args) => commands::export::run(args, global),
        Command::Dups(args) => commands::dups::run(args, global),
        Command::Similar(args) => commands::similar::run(args, global),
        Command::Completions(args) => commands::generate::completions(args),
        Command::Man => commands::generate::man_page(),
    }
}
