//! `newsidx related ID|URL|PATH`: follow a story's links both ways.

use anyhow::Result;
use serde_json::Value;

use super::{open_from_flags, printer_with};
use crate::cli::{FormatArg, GlobalArgs, RelatedArgs};
use crate::exit::Outcome;
use crate::output::{Cell, Format, Row, Style};
use crate::query::related::{link_graph, related, RelatedRow};

impl Row for RelatedRow {
    fn table_keys(&self) -> &'static [&'static str] {
        &["relation", "id", "title", "url"]
    }

    fn table_cell(&self, key: &str, value: &Value) -> Cell {
        match (key, self) {
            ("relation", RelatedRow::Cocited { shared, .. }) => {
                Cell::plain(format!("cocited ({shared})"))
            }
            ("id", _) => Cell::for_value(value).styled(Style::Dim),
            _ => Cell::for_value(value),
        }
    }

    /// The archive file of an incoming or co-cited article; an outgoing link has none to print.
    fn row_paths(&self) -> Option<Vec<&str>> {
        Some(match self {
            RelatedRow::Incoming { path, .. } | RelatedRow::Cocited { path, .. } => vec![path],
            RelatedRow::Outgoing { .. } => Vec::new(),
        })
    }

    fn field_names(&self, _: &Value) -> Vec<String> {
        ALL_KEYS.iter().map(|k| k.to_string()).collect()
    }
}

/// Every key any relation has, and the CSV columns (one header must fit every row).
const ALL_KEYS: [&str; 8] = [
    "relation", "id", "path", "title", "url", "date", "provider", "shared",
];

/// Runs `related`.
pub fn run(args: &RelatedArgs, global: &GlobalArgs) -> Result<Outcome> {
    let open = open_from_flags(global)?;
    let mut output = args.output.clone();
    if output.format == Some(FormatArg::Csv) && output.fields.is_none() {
        // One CSV header must fit every relation's row; the provider object has no column.
        output.fields = Some(
            ALL_KEYS
                .iter()
                .filter(|k| **k != "provider")
                .map(|k| k.to_string())
                .collect(),
        );
    }
    let mut printer = printer_with(global, &output, Format::Table, &[Format::Dot])?;
    let limit = (args.limit != 0).then_some(args.limit);
    let Some(found) = related(&open, &args.key, limit)? else {
        crate::output::eprint_line(&format!(
            "newsidx: no record with id, URL or path `{}`",
            crate::output::sanitize::sanitize(&args.key)
        ));
        return Ok(Outcome::NothingMatched);
    };
    if printer.options().format == Format::Dot {
        let Some(article) = &found.article else {
            anyhow::bail!(
                "--format dot needs an article of the archive; `{}` is not one",
                args.key
            );
        };
        let graph = link_graph(&open, article, args.depth, args.max_nodes.max(1))?;
        printer.graph(&graph)?;
        printer.finish()?;
        return Ok(Outcome::from_found(!graph.edges.is_empty()));
    }
    printer.set_archive_root(&open.payload.archive);
    for row in &found.rows {
        printer.row(row)?;
    }
    printer.finish()?;
    Ok(Outcome::from_found(!found.rows.is_empty()))
}
