//! `newsidx timeline [QUERY] [filters] [--by PERIOD] [--split FIELD]`: counts per period, as a
//! bar chart; with `--split`, one series per value of a field.

use anyhow::Result;

use super::{filters_from, open_from_flags, printer, query_text};
use crate::cli::{GlobalArgs, PeriodArg, SplitArg, TimelineArgs};
use crate::exit::Outcome;
use crate::output::Format;
use crate::query::build_query;
use crate::query::counts::Period;
use crate::query::dups::Collapse;
use crate::query::timeline::{timeline, SplitField, TimelineRequest};

/// Runs `timeline`.
pub fn run(args: &TimelineArgs, global: &GlobalArgs) -> Result<Outcome> {
    let open = open_from_flags(global)?;
    let mut printer = printer(global, &args.output, Format::Table)?;
    let filters = filters_from(&args.filters)?;
    let (query, _) = build_query(&open, &query_text(&args.query), &filters)?;
    let request = TimelineRequest {
        period: match args.by {
            PeriodArg::Year => Period::Year,
            PeriodArg::Month => Period::Month,
            PeriodArg::Week => Period::Week,
            PeriodArg::Day => Period::Day,
        },
        split: args.split.map(|field| match field {
            SplitArg::Provider => SplitField::Provider,
            SplitArg::Topic => SplitField::Topic,
            SplitArg::Tag => SplitField::Tag,
            SplitArg::Domain => SplitField::Domain,
        }),
        series: args.limit,
    };
    let searcher = open.reader.searcher();
    let collapse = Collapse::if_asked(args.collapse, &searcher, query.as_ref())?;
    let counted = timeline(&searcher, query.as_ref(), request, collapse.as_ref())?;
    let found = printer.timeline(&counted)?;
    let format = printer.options().format;
    printer.finish()?;
    if !found {
        super::say_nothing_shown(format, global, "0 periods: no matching record has a date");
    }
    Ok(Outcome::from_found(found))
}
