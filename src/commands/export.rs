//! `newsidx export [QUERY] [filters]`: every matching record with its body, as JSON lines, or
//! as documents for Quickwit or Elasticsearch. Streams: one stored document is loaded, printed
//! and dropped at a time.

use anyhow::Result;
use tantivy::TantivyDocument;

use super::{filters_from, open_from_flags, printer_with, query_text};
use crate::cli::{ExportArgs, GlobalArgs};
use crate::exit::Outcome;
use crate::output::ingest::{Engine, EngineDoc};
use crate::output::Format;
use crate::query::{all_matches, body_of, build_query, record_of};
use crate::record::RecordWithBody;

/// Runs `export`.
pub fn run(args: &ExportArgs, global: &GlobalArgs) -> Result<Outcome> {
    let open = open_from_flags(global)?;
    let engines = [
        Format::Engine(Engine::Quickwit),
        Format::Engine(Engine::Elasticsearch),
    ];
    let mut printer = printer_with(global, &args.output, Format::Jsonl, &engines)?;
    let filters = filters_from(&args.filters)?;
    let (query, _) = build_query(&open, &query_text(&args.query), &filters)?;
    let searcher = open.reader.searcher();
    let addresses = all_matches(&searcher, query.as_ref())?;
    let for_engine = !printer.options().format.prints_rows();
    printer.set_archive_root(&open.payload.archive);
    for address in &addresses {
        let doc: TantivyDocument = searcher.doc(*address)?;
        let record = record_of(&open, &doc)?;
        let body = body_of(&open, &doc);
        if for_engine {
            printer.engine_doc(&EngineDoc::new(&record, &body), &args.es_index)?;
        } else {
            printer.row(&RecordWithBody { record, body })?;
        }
    }
    printer.finish()?;
    Ok(Outcome::from_found(!addresses.is_empty()))
}
