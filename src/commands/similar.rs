//! `newsidx similar ID|URL|PATH [filters] [--limit N]`: the articles most like one record, as
//! search hits with `score`, near-duplicates marked `copy: true`.

use anyhow::Result;

use super::{filters_from, open_from_flags, printer};
use crate::cli::{GlobalArgs, SimilarArgs};
use crate::exit::Outcome;
use crate::output::Format;
use crate::query::lookup;
use crate::query::similar::{similar, SimilarRequest};

/// Runs `similar`.
pub fn run(args: &SimilarArgs, global: &GlobalArgs) -> Result<Outcome> {
    let open = open_from_flags(global)?;
    let mut printer = printer(global, &args.output, Format::Table)?;
    printer.set_archive_root(&open.payload.archive);
    let Some((record, body)) = lookup(&open, &args.key)? else {
        printer.finish()?;
        crate::output::eprint_line(&super::no_record_message(&args.key));
        return Ok(Outcome::NothingMatched);
    };
    let request = SimilarRequest {
        filters: filters_from(&args.filters)?,
        limit: args.limit,
    };
    let started = std::time::Instant::now();
    let hits = similar(&open, &record, &body, &request)?;
    if global.verbose > 0 {
        crate::output::eprint_line(&format!(
            "newsidx: {} similar records in {:.1} ms",
            hits.len(),
            started.elapsed().as_secs_f64() * 1000.0
        ));
    }
    for hit in &hits {
        printer.row(hit)?;
    }
    let format = printer.options().format;
    printer.finish()?;
    if hits.is_empty() {
        let why = "0 similar records: no other record (within the filters) shares a word of it";
        super::say_nothing_shown(format, global, why);
    }
    Ok(Outcome::from_found(!hits.is_empty()))
}
