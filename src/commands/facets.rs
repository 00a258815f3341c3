//! `newsidx facets FIELD [QUERY] [filters]`: counts per value, most first.

use anyhow::Result;
use serde::Serialize;

use super::{filters_from, open_from_flags, printer, query_text};
use crate::cli::{FacetFieldArg, FacetsArgs, GlobalArgs};
use crate::exit::Outcome;
use crate::output::eprint_line;
use crate::output::{Format, Row};
use crate::query::build_query;
use crate::query::counts::{
    count_undated, count_values, merge_case_variants, Period, PeriodCounter, ValueCounter,
};
use crate::query::dups::{search_collapsed, Collapse};

/// One facet value and how many matching records have it.
#[derive(Debug, Serialize)]
pub struct FacetCount {
    pub value: String,
    pub count: u64,
}

impl Row for FacetCount {
    fn table_keys(&self) -> &'static [&'static str] {
        &["value", "count"]
    }
}

/// Runs `facets`.
pub fn run(args: &FacetsArgs, global: &GlobalArgs) -> Result<Outcome> {
    let open = open_from_flags(global)?;
    let filters = filters_from(&args.filters)?;
    let (query, _) = build_query(&open, &query_text(&args.query), &filters)?;
    let searcher = open.reader.searcher();
    let collapse = Collapse::if_asked(args.collapse, &searcher, query.as_ref())?;
    let count = |counter| search_collapsed(&searcher, query.as_ref(), counter, collapse.as_ref());
    let counts = match args.field {
        FacetFieldArg::Year => count(PeriodCounter {
            period: Period::Year,
        })?,
        FacetFieldArg::Month => count(PeriodCounter {
            period: Period::Month,
        })?,
        field => {
            let name = match field {
                FacetFieldArg::Topic => "topic",
                FacetFieldArg::Tag => "tag",
                FacetFieldArg::Provider => "provider",
                FacetFieldArg::Domain => "domain",
                FacetFieldArg::Category => "category",
                _ => "type",
            };
            match &collapse {
                Some(collapse) => merge_case_variants(search_collapsed(
                    &searcher,
                    query.as_ref(),
                    ValueCounter { field: name },
                    Some(collapse),
                )?),
                None => count_values(&searcher, query.as_ref(), name)?,
            }
        }
    };
    let dates = matches!(args.field, FacetFieldArg::Year | FacetFieldArg::Month);
    let undated = if dates {
        count_undated(&searcher, query.as_ref())?
    } else {
        0
    };
    let mut rows: Vec<FacetCount> = counts
        .into_iter()
        .map(|(value, count)| FacetCount { value, count })
        .collect();
    rows.sort_by(|a, b| b.count.cmp(&a.count).then_with(|| a.value.cmp(&b.value)));
    let total = rows.len();
    if args.limit != 0 {
        rows.truncate(args.limit);
    }
    let mut printer = printer(global, &args.output, Format::Table)?;
    for row in &rows {
        printer.row(row)?;
    }
    if rows.len() < total {
        printer.table_note(&format!(
            "{} of {total} values shown; use --limit 0 for all",
            rows.len()
        ));
    }
    let table = printer.options().format == Format::Table;
    printer.finish()?;
    if table && undated > 0 && !global.quiet {
        // Undated records fall in no period; say so, or a count looks like the whole archive.
        eprint_line(&format!(
            "{undated} matching record{} ha{} no date and {} not counted",
            if undated == 1 { "" } else { "s" },
            if undated == 1 { "s" } else { "ve" },
            if undated == 1 { "is" } else { "are" },
        ));
    }
    Ok(Outcome::from_found(!rows.is_empty()))
}
