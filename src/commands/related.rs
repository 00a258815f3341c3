//! `newsidx related ID|URL|PATH`: follow a story's links both ways.

use anyhow::Result;

use super::{open_from_flags, printer_with};
use crate::cli::{FormatArg, GlobalArgs, RelatedArgs};
use crate::exit::Outcome;
use crate::output::rows::RELATED_KEYS;
use crate::output::Format;
use crate::query::related::{link_graph, related};

/// Runs `related`.
pub fn run(args: &RelatedArgs, global: &GlobalArgs) -> Result<Outcome> {
    let open = open_from_flags(global)?;
    let mut output = args.output.clone();
    if output.format == Some(FormatArg::Csv) && output.fields.is_none() {
        // One CSV header must fit every relation's row; the provider object has no column.
        output.fields = Some(
            RELATED_KEYS
                .iter()
                .filter(|k| **k != "provider")
                .map(|k| k.to_string())
                .collect(),
        );
    }
    let mut printer = printer_with(global, &output, Format::Table, &[Format::Dot])?;
    let limit = super::row_limit(args.limit, printer.options().format);
    let Some(found) = related(&open, &args.key, limit)? else {
        crate::output::eprint_line(&super::no_record_message(&args.key));
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
    let format = printer.options().format;
    printer.finish()?;
    if found.rows.is_empty() {
        let why = "0 links: it lists no related article, and no article lists it or shares one";
        super::say_nothing_shown(format, global, why);
    }
    Ok(Outcome::from_found(!found.rows.is_empty()))
}
