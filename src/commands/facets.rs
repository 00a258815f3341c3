//! `newsidx facets FIELD [QUERY] [filters]`: counts per value, most first.

use anyhow::Result;

use super::{filters_from, open_from_flags, printer, query_text};
use crate::cli::{FacetFieldArg, FacetsArgs, GlobalArgs};
use crate::exit::Outcome;
use crate::output::{eprint_line, Format};
use crate::query::build_query;
use crate::query::dups::Collapse;
use crate::query::facets::{facets, FacetField};

/// Runs `facets`.
pub fn run(args: &FacetsArgs, global: &GlobalArgs) -> Result<Outcome> {
    let open = open_from_flags(global)?;
    let mut printer = printer(global, &args.output, Format::Table)?;
    let filters = filters_from(&args.filters)?;
    let (query, _) = build_query(&open, &query_text(&args.query), &filters)?;
    let searcher = open.reader.searcher();
    let collapse = Collapse::if_asked(args.collapse, &searcher, query.as_ref())?;
    let field = match args.field {
        FacetFieldArg::Topic => FacetField::Topic,
        FacetFieldArg::Tag => FacetField::Tag,
        FacetFieldArg::Provider => FacetField::Provider,
        FacetFieldArg::Domain => FacetField::Domain,
        FacetFieldArg::Category => FacetField::Category,
        FacetFieldArg::Type => FacetField::Type,
        FacetFieldArg::Year => FacetField::Year,
        FacetFieldArg::Month => FacetField::Month,
    };
    let found = facets(&searcher, query.as_ref(), field, collapse.as_ref())?;
    let total = found.counts.len();
    let format = printer.options().format;
    let shown = super::row_limit(args.limit, format).map_or(total, |limit| limit.min(total));
    for row in &found.counts[..shown] {
        printer.row(row)?;
    }
    if shown < total {
        printer.table_note(&format!(
            "{shown} of {total} values shown; use --limit 0 for all"
        ));
    }
    let table = printer.options().format == Format::Table;
    printer.finish()?;
    let undated = found.undated;
    if table && undated > 0 && !global.quiet {
        // Undated records fall in no period; say so, or a count looks like the whole archive.
        eprint_line(&format!(
            "{undated} matching record{} ha{} no date and {} not counted",
            if undated == 1 { "" } else { "s" },
            if undated == 1 { "s" } else { "ve" },
            if undated == 1 { "is" } else { "are" },
        ));
    }
    if shown == 0 {
        let what = match args.field {
            FacetFieldArg::Year | FacetFieldArg::Month => "a date".to_owned(),
            other => {
                let name = clap::ValueEnum::to_possible_value(&other);
                format!("a {}", name.as_ref().map_or("value", |v| v.get_name()))
            }
        };
        super::say_nothing_shown(
            format,
            global,
            &format!("0 values: no matching record has {what}"),
        );
    }
    Ok(Outcome::from_found(shown > 0))
}
