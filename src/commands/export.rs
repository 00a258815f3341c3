//! `newsidx export [QUERY] [filters]`: every matching record with its body, as JSON lines.
//! Streams: one stored document is loaded, printed and dropped at a time.

use anyhow::Result;
use tantivy::TantivyDocument;

use super::show::RecordWithBody;
use super::{filters_from, open_from_flags, printer, query_text};
use crate::cli::{ExportArgs, GlobalArgs};
use crate::exit::Outcome;
use crate::output::Format;
use crate::query::{all_matches, body_of, build_query, record_of};

/// Runs `export`.
pub fn run(args: &ExportArgs, global: &GlobalArgs) -> Result<Outcome> {
    let open = open_from_flags(global)?;
    let filters = filters_from(&args.filters)?;
    let (query, _) = build_query(&open, &query_text(&args.query), &filters)?;
    let searcher = open.reader.searcher();
    let addresses = all_matches(&searcher, query.as_ref())?;
    let mut printer = printer(global, &args.output, Format::Jsonl);
    for address in &addresses {
        let doc: TantivyDocument = searcher.doc(*address)?;
        let row = RecordWithBody {
            record: record_of(&open, &doc)?,
            body: body_of(&open, &doc),
        };
        printer.row(&row)?;
    }
    printer.finish()?;
    Ok(Outcome::from_found(!addresses.is_empty()))
}
