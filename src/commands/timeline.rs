//! `newsidx timeline [QUERY] [filters] [--by PERIOD]`: counts per period, as a bar chart.

use anyhow::Result;
use serde::Serialize;
use serde_json::Value;

use super::{filters_from, open_from_flags, output_width, printer, query_text};
use crate::cli::{GlobalArgs, PeriodArg, TimelineArgs};
use crate::exit::Outcome;
use crate::output::{Cell, Format, Row, Style};
use crate::query::build_query;
use crate::query::counts::{Period, PeriodCounter};
use crate::query::dups::{search_collapsed, Collapse, DEFAULT_THRESHOLD};

/// Records in one period.
#[derive(Debug, Serialize)]
pub struct PeriodCount {
    pub period: String,
    pub count: u64,
    /// The bar, drawn in the table only.
    #[serde(skip)]
    pub bar: String,
}

impl Row for PeriodCount {
    fn table_keys(&self) -> &'static [&'static str] {
        &["period", "count", "bar"]
    }

    fn table_cell(&self, key: &str, value: &Value) -> Cell {
        match key {
            "bar" => Cell::plain(&self.bar).styled(Style::Bar),
            _ => Cell::for_value(value),
        }
    }
}

/// Runs `timeline`.
pub fn run(args: &TimelineArgs, global: &GlobalArgs) -> Result<Outcome> {
    let open = open_from_flags(global)?;
    let filters = filters_from(&args.filters)?;
    let (query, _) = build_query(&open, &query_text(&args.query), &filters)?;
    let period = match args.by {
        PeriodArg::Year => Period::Year,
        PeriodArg::Month => Period::Month,
        PeriodArg::Week => Period::Week,
        PeriodArg::Day => Period::Day,
    };
    let searcher = open.reader.searcher();
    let collapse = match args.collapse {
        true => Some(Collapse::of_query(
            &searcher,
            query.as_ref(),
            DEFAULT_THRESHOLD,
        )?),
        false => None,
    };
    let counts = search_collapsed(
        &searcher,
        query.as_ref(),
        PeriodCounter { period },
        collapse.as_ref(),
    )?;
    let mut rows: Vec<PeriodCount> = counts
        .into_iter()
        .map(|(period, count)| PeriodCount {
            period,
            count,
            bar: String::new(),
        })
        .collect();
    rows.sort_by(|a, b| a.period.cmp(&b.period));
    let max = rows.iter().map(|r| r.count).max().unwrap_or(0);
    let room = output_width().map_or(50, |w| w.saturating_sub(24).clamp(10, 60)) as u64;
    for row in &mut rows {
        let length = if max == 0 {
            0
        } else {
            (row.count * room).div_ceil(max)
        };
        row.bar = "█".repeat(length as usize);
    }
    let mut printer = printer(global, &args.output, Format::Table);
    for row in &rows {
        printer.row(row)?;
    }
    printer.finish()?;
    Ok(Outcome::from_found(!rows.is_empty()))
}
