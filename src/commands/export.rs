//! `newsidx export [QUERY] [filters]`: every matching record with its body, as JSON lines, or
//! as documents for Quickwit or Elasticsearch. Streams: one stored document is loaded, printed
//! and dropped at a time.

use std::io::Write;

use anyhow::Result;
use tantivy::TantivyDocument;

use super::show::RecordWithBody;
use super::{filters_from, open_from_flags, printer, query_text};
use crate::cli::{ExportArgs, ExportFormatArg, FormatArg, GlobalArgs, OutputArgs};
use crate::exit::Outcome;
use crate::output::ingest::{write_engine_doc, Engine, EngineDoc};
use crate::output::{stdout, Format};
use crate::query::{all_matches, body_of, build_query, record_of};

/// Runs `export`.
pub fn run(args: &ExportArgs, global: &GlobalArgs) -> Result<Outcome> {
    let open = open_from_flags(global)?;
    let filters = filters_from(&args.filters)?;
    let (query, _) = build_query(&open, &query_text(&args.query), &filters)?;
    let searcher = open.reader.searcher();
    let addresses = all_matches(&searcher, query.as_ref())?;
    let engine = match args.format {
        Some(ExportFormatArg::Quickwit) => Some(Engine::Quickwit),
        Some(ExportFormatArg::Elasticsearch) => Some(Engine::Elasticsearch),
        _ => None,
    };
    if let Some(engine) = engine {
        let mut out = stdout::stdout();
        for address in &addresses {
            let doc: TantivyDocument = searcher.doc(*address)?;
            let record = record_of(&open, &doc)?;
            let body = body_of(&open, &doc);
            write_engine_doc(
                &mut out,
                engine,
                &args.es_index,
                &EngineDoc::new(&record, &body),
            )?;
        }
        out.flush()?;
        return Ok(Outcome::from_found(!addresses.is_empty()));
    }
    let output = OutputArgs {
        format: args.format.map(|f| match f {
            ExportFormatArg::Json => FormatArg::Json,
            ExportFormatArg::Csv => FormatArg::Csv,
            ExportFormatArg::Paths => FormatArg::Paths,
            ExportFormatArg::Table => FormatArg::Table,
            _ => FormatArg::Jsonl,
        }),
        json: args.json,
        fields: args.fields.clone(),
        null: args.null,
    };
    let mut printer = printer(global, &output, Format::Jsonl);
    printer.set_archive_root(&open.payload.archive);
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
