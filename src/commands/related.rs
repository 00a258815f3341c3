//! `newsidx related ID|URL|PATH`: follow a story's links both ways.

use std::io::Write;

use anyhow::Result;
use serde_json::Value;

use super::{open_from_flags, printer};
use crate::cli::{FormatArg, GlobalArgs, OutputArgs, RelatedArgs, RelatedFormatArg};
use crate::exit::Outcome;
use crate::output::dot::write_dot;
use crate::output::{stdout, Cell, Format, Row, Style};
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
    let limit = (args.limit != 0).then_some(args.limit);
    let Some(found) = related(&open, &args.key, limit)? else {
        crate::output::eprint_line(&format!(
            "newsidx: no record with id, URL or path `{}`",
            crate::output::sanitize::sanitize(&args.key)
        ));
        return Ok(Outcome::NothingMatched);
    };
    if args.format == Some(RelatedFormatArg::Dot) {
        let Some(article) = &found.article else {
            anyhow::bail!(
                "--format dot needs an article of the archive; `{}` is not one",
                args.key
            );
        };
        let graph = link_graph(&open, article, args.depth, args.max_nodes.max(1))?;
        let mut out = stdout::stdout();
        write_dot(&mut out, &graph)?;
        out.flush()?;
        return Ok(Outcome::from_found(!graph.edges.is_empty()));
    }
    let output = OutputArgs {
        format: args.format.map(|f| match f {
            RelatedFormatArg::Table | RelatedFormatArg::Dot => FormatArg::Table,
            RelatedFormatArg::Jsonl => FormatArg::Jsonl,
            RelatedFormatArg::Json => FormatArg::Json,
            RelatedFormatArg::Csv => FormatArg::Csv,
        }),
        json: args.json,
        fields: args.fields.clone().or_else(|| {
            (args.format == Some(RelatedFormatArg::Csv)).then(|| {
                ALL_KEYS
                    .iter()
                    .filter(|k| **k != "provider")
                    .map(|k| k.to_string())
                    .collect()
            })
        }),
        null: false,
    };
    let mut printer = printer(global, &output, Format::Table);
    printer.set_archive_root(&open.payload.archive);
    for row in &found.rows {
        printer.row(row)?;
    }
    printer.finish()?;
    Ok(Outcome::from_found(!found.rows.is_empty()))
}
