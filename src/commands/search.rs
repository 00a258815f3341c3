//! `newsidx search [QUERY] [filters]`: ranked or sorted records.

use anyhow::Result;
use serde_json::Value;

use super::{filters_from, open_from_flags, printer, query_text};
use crate::cli::{GlobalArgs, SearchArgs, SortArg};
use crate::exit::Outcome;
use crate::output::{Cell, Format, Row, Style};
use crate::query::dups::DEFAULT_THRESHOLD;
use crate::query::{search, SearchHit, SearchRequest, Sort};

/// Runs `search`.
pub fn run(args: &SearchArgs, global: &GlobalArgs) -> Result<Outcome> {
    let open = open_from_flags(global)?;
    let mut printer = printer(global, &args.output, Format::Table);
    printer.set_archive_root(&open.payload.archive);
    let request = SearchRequest {
        text: query_text(&args.query),
        filters: filters_from(&args.filters)?,
        sort: match args.sort {
            SortArg::Relevance => Sort::Relevance,
            SortArg::Date => Sort::DateAscending,
            SortArg::DateDesc => Sort::DateDescending,
            SortArg::Quality => Sort::Quality,
            SortArg::Heat => Sort::Heat,
        },
        limit: (args.limit != 0).then_some(args.limit),
        offset: args.offset,
        with_body: printer.wants_field("body"),
        collapse: args.collapse.then_some(DEFAULT_THRESHOLD),
    };
    let started = std::time::Instant::now();
    let results = search(&open, &request)?;
    if global.verbose > 0 {
        crate::output::eprint_line(&format!(
            "newsidx: {} matches in {:.1} ms (index {})",
            results.total,
            started.elapsed().as_secs_f64() * 1000.0,
            open.path.display()
        ));
    }
    for hit in &results.hits {
        printer.row(hit)?;
    }
    let shown = results.hits.len();
    if shown < results.total && shown > 0 {
        printer.table_note(&format!(
            "{shown} of {} matches shown (from {}); use --limit 0 for all, or --offset",
            results.total,
            args.offset + 1
        ));
    }
    printer.finish()?;
    Ok(Outcome::from_found(shown > 0))
}

impl Row for SearchHit {
    fn table_keys(&self) -> &'static [&'static str] {
        if self.copies.is_some() {
            &["id", "date", "provider", "copies", "title"]
        } else if self.copy.is_some() {
            &["id", "score", "copy", "date", "provider", "title"]
        } else {
            &["id", "date", "provider", "title"]
        }
    }

    fn table_cell(&self, key: &str, value: &Value) -> Cell {
        match key {
            "id" => Cell::plain(&self.record.id).styled(Style::Dim),
            "date" => Cell::plain(
                self.record
                    .date
                    .as_deref()
                    .map_or("", |d| &d[..d.len().min(10)]),
            ),
            "score" => Cell::plain(self.score.map_or(String::new(), |s| format!("{s:.2}"))),
            "copy" => Cell::plain(if self.copy == Some(true) { "copy" } else { "" }),
            "title" => Cell::plain(match (&self.record.title, &self.opening) {
                (Some(title), _) => title.clone(),
                (None, Some(opening)) => opening.clone(),
                (None, None) => String::new(),
            }),
            _ => Cell::for_value(value),
        }
    }

    fn table_detail(&self) -> Option<Cell> {
        let snippet = self.snippet.as_ref()?;
        Some(Cell {
            text: snippet.clone(),
            style: Style::Dim,
            align_right: false,
            highlights: self.highlights.clone(),
        })
    }

    fn row_path(&self) -> Option<&str> {
        Some(&self.record.path)
    }
}
