//! `newsidx show ID|URL|PATH`: one record with its body and its copies.

use anyhow::Result;

use super::{open_from_flags, printer};
use crate::cli::{GlobalArgs, ShowArgs};
use crate::exit::Outcome;
use crate::output::Format;
use crate::query::dups::{copies_of_record, RecordWithCopies, DEFAULT_THRESHOLD};
use crate::query::lookup;
use crate::record::RecordWithBody;

/// Runs `show`.
pub fn run(args: &ShowArgs, global: &GlobalArgs) -> Result<Outcome> {
    let open = open_from_flags(global)?;
    let mut printer = printer(global, &args.output, Format::Table)?;
    printer.set_archive_root(&open.payload.archive);
    let Some((record, body)) = lookup(&open, &args.key)? else {
        printer.finish()?;
        if !global.quiet {
            crate::output::eprint_line(&super::no_record_message(&args.key));
        }
        return Ok(Outcome::NothingMatched);
    };
    let copies = copies_of_record(&open, &record.id, DEFAULT_THRESHOLD)?;
    let shown = RecordWithCopies {
        inner: RecordWithBody { record, body },
        copies,
    };
    if printer.options().format == Format::Table && printer.options().fields.is_none() {
        printer.readable_record(&shown)?;
    } else {
        printer.object(&shown)?;
    }
    printer.finish()?;
    Ok(Outcome::Found)
}
