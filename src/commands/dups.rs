//! `newsidx dups [QUERY] [filters] [--threshold J] [--limit N]`: clusters of copies of one
//! story, largest first, each with its earliest-dated member first.

use anyhow::Result;

use super::{filters_from, open_from_flags, printer, query_text};
use crate::cli::{DupsArgs, GlobalArgs};
use crate::exit::Outcome;
use crate::output::rows::MemberRow;
use crate::output::Format;
use crate::query::build_query;
use crate::query::dups::{copy_clusters, describe_cluster};

/// Runs `dups`.
pub fn run(args: &DupsArgs, global: &GlobalArgs) -> Result<Outcome> {
    let open = open_from_flags(global)?;
    let mut printer = printer(global, &args.output, Format::Table)?;
    printer.set_archive_root(&open.payload.archive);
    let format = printer.options().format;
    let filters = filters_from(&args.filters)?;
    let (query, _) = build_query(&open, &query_text(&args.query), &filters)?;
    let searcher = open.reader.searcher();
    let started = std::time::Instant::now();
    let clusters = copy_clusters(&searcher, query.as_ref(), args.threshold)?;
    if global.verbose > 0 {
        crate::output::eprint_line(&format!(
            "newsidx: {} clusters of copies in {:.1} ms",
            clusters.len(),
            started.elapsed().as_secs_f64() * 1000.0
        ));
    }
    let limit = super::row_limit(args.limit, format).unwrap_or(clusters.len());
    for cluster in clusters.iter().take(limit) {
        let row = describe_cluster(&open, cluster)?;
        match format {
            // A spreadsheet wants flat rows: one per member.
            Format::Csv | Format::Paths => {
                for member in &row.members {
                    printer.row(&MemberRow::new(&row, member))?;
                }
            }
            _ => printer.row(&row)?,
        }
    }
    let shown = clusters.len().min(limit);
    if shown < clusters.len() {
        printer.table_note(&format!(
            "{shown} of {} clusters shown; use --limit 0 for all",
            clusters.len()
        ));
    }
    printer.finish()?;
    if shown == 0 && !global.quiet && format == Format::Table {
        crate::output::eprint_line(&format!(
            "newsidx: no copies found at --threshold {}",
            args.threshold
        ));
    }
    Ok(Outcome::from_found(shown > 0))
}
