//! `newsidx stats`: what the index holds.

use anyhow::Result;

use super::{open_from_flags, printer};
use crate::cli::{GlobalArgs, StatsArgs};
use crate::exit::Outcome;
use crate::output::Format;
use crate::query::stats::stats;

/// Runs `stats`.
pub fn run(args: &StatsArgs, global: &GlobalArgs) -> Result<Outcome> {
    let open = open_from_flags(global)?;
    let mut printer = printer(global, &args.output, Format::Table)?;
    printer.object(&stats(&open)?)?;
    printer.finish()?;
    Ok(Outcome::Found)
}
