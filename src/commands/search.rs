//! `newsidx search [QUERY] [filters]`: ranked or sorted records, or every match streamed.

use anyhow::Result;

use super::{filters_from, open_from_flags, output_width, printer, query_text};
use crate::cli::{GlobalArgs, SearchArgs, SortArg};
use crate::exit::Outcome;
use crate::output::sanitize::sanitize;
use crate::output::Format;
use crate::query::dups::DEFAULT_THRESHOLD;
use crate::query::hints::empty_hint;
use crate::query::{matches, prepare, HitLoader, PathReader, SearchRequest, Sort};

/// Runs `search`.
pub fn run(args: &SearchArgs, global: &GlobalArgs) -> Result<Outcome> {
    let open = open_from_flags(global)?;
    let mut printer = printer(global, &args.output, Format::Table)?;
    printer.set_archive_root(&open.payload.archive);
    let format = printer.options().format;
    let limit = super::row_limit(args.limit, format);
    let request = SearchRequest {
        text: query_text(&args.query),
        filters: filters_from(&args.filters)?,
        sort: match args.sort.unwrap_or(SortArg::Relevance) {
            SortArg::Relevance => Sort::Relevance,
            SortArg::Date => Sort::DateAscending,
            SortArg::DateDesc => Sort::DateDescending,
            SortArg::Quality => Sort::Quality,
            SortArg::Heat => Sort::Heat,
        },
        limit,
        offset: args.offset,
        collapse: args.collapse.then_some(DEFAULT_THRESHOLD),
    };
    let started = std::time::Instant::now();
    let prepared = prepare(&open, &request)?;
    let searcher = open.reader.searcher();
    let found = matches(&searcher, &request, &prepared)?;
    let shown = if format == Format::Paths {
        // Paths come from fast fields: no stored document is read.
        PathReader::new(&searcher)?.each(found.found, |paths| printer.row(paths))?
    } else {
        let mut loader = HitLoader::new(&open, &prepared);
        loader.with_body = printer.wants_field("body");
        if format == Format::Table {
            // The snippet line is indented by four columns.
            loader.snippet_width = output_width().map_or(160, |w| w.saturating_sub(4).max(20));
        }
        let mut shown = 0;
        for hit in found.found {
            printer.row(&loader.hit(hit)?)?;
            shown += 1;
        }
        shown
    };
    let total = found.total;
    if global.verbose > 0 {
        crate::output::eprint_line(&format!(
            "newsidx: {total} matches in {:.1} ms (index {})",
            started.elapsed().as_secs_f64() * 1000.0,
            open.path.display()
        ));
    }
    if shown < total && shown > 0 {
        printer.table_note(&format!(
            "{shown} of {total} matches shown (from {}); use --limit 0 for all, or --offset",
            args.offset + 1
        ));
    }
    printer.finish()?;
    if shown == 0 && format == Format::Table && !global.quiet {
        let what = if !request.text.trim().is_empty() {
            format!(" for `{}`", sanitize(&request.text))
        } else if request.filters != crate::query::filters::Filters::default() {
            " for the filters".to_owned()
        } else {
            // Plain `search`: every record, and none came.
            String::new()
        };
        let hint = if total > 0 {
            Some(format!(
                "{total} records match, none from --offset {}",
                args.offset
            ))
        } else {
            empty_hint(&open, prepared.node.as_ref(), &request.filters)?
        };
        let line = match hint {
            Some(hint) => format!("0 matches{what}: {}", sanitize(&hint)),
            None => format!("0 matches{what}"),
        };
        crate::output::eprint_line(&line);
    }
    Ok(Outcome::from_found(shown > 0))
}
