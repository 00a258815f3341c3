//! `newsidx timeline [QUERY] [filters] [--by PERIOD] [--split FIELD]`: counts per period, as a
//! bar chart; with `--split`, one series per value of a field.

use std::collections::HashMap;

use anyhow::Result;
use serde::Serialize;
use serde_json::Value;
use tantivy::collector::Count;

use super::{filters_from, open_from_flags, output_width, printer, query_text};
use crate::cli::{GlobalArgs, PeriodArg, SplitArg, TimelineArgs};
use crate::exit::Outcome;
use crate::output::{Cell, Format, Row, Style};
use crate::query::build_query;
use crate::query::counts::{every_period, merge_case_variants, DayCounter, Period};
use crate::query::dups::{search_collapsed, Collapse};

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

/// Records with one value in one period (`--split`).
#[derive(Debug, Serialize)]
pub struct SeriesCount {
    pub period: String,
    pub value: String,
    pub count: u64,
    #[serde(skip)]
    pub bar: String,
    /// The first row of its period: the table names the period only there.
    #[serde(skip)]
    pub opens_period: bool,
}

impl Row for SeriesCount {
    fn table_keys(&self) -> &'static [&'static str] {
        &["period", "value", "count", "bar"]
    }

    fn table_cell(&self, key: &str, value: &Value) -> Cell {
        match key {
            "bar" => Cell::plain(&self.bar).styled(Style::Bar),
            "period" if !self.opens_period => Cell::plain(""),
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
    let split = args.split.map(|field| match field {
        SplitArg::Provider => "provider",
        SplitArg::Topic => "topic",
        SplitArg::Tag => "tag",
        SplitArg::Domain => "domain",
    });
    let searcher = open.reader.searcher();
    let collapse = Collapse::if_asked(args.collapse, &searcher, query.as_ref())?;
    let count = |split| {
        search_collapsed(
            &searcher,
            query.as_ref(),
            (DayCounter { split, period }, Count),
            collapse.as_ref(),
        )
    };
    let (counts, total) = count(split)?;
    let undated = if split.is_some() {
        total as u64 - count(None)?.0.values().sum::<u64>()
    } else {
        total as u64 - counts.values().sum::<u64>()
    };
    let mut printer = printer(global, &args.output, Format::Table)?;
    let found = match split {
        None => {
            let days: HashMap<i64, u64> = counts
                .into_iter()
                .map(|((_, day), count)| (day, count))
                .collect();
            let rows = period_rows(period, &days, 24);
            for row in &rows {
                printer.row(row)?;
            }
            !rows.is_empty()
        }
        Some(_) => {
            let rows = series_rows(period, counts, args.limit);
            for row in &rows {
                printer.row(row)?;
            }
            !rows.is_empty()
        }
    };
    if undated > 0 {
        printer.table_note(&format!(
            "{undated} matching records have no date and are not counted"
        ));
    }
    printer.finish()?;
    Ok(Outcome::from_found(found))
}

/// The length of the bar of `count` when `max` fills `room` columns.
fn bar(count: u64, max: u64, room: u64) -> String {
    let length = if max == 0 {
        0
    } else {
        (count * room).div_ceil(max)
    };
    "█".repeat(length as usize)
}

/// Columns the bars may take when the other columns take `used`.
fn bar_room(used: usize) -> u64 {
    output_width().map_or(50, |w| w.saturating_sub(used).clamp(10, 60)) as u64
}

fn period_rows(period: Period, days: &HashMap<i64, u64>, used: usize) -> Vec<PeriodCount> {
    let periods = every_period(period, days);
    let max = periods.iter().map(|(_, c)| *c).max().unwrap_or(0);
    let room = bar_room(used);
    periods
        .into_iter()
        .map(|(period, count)| PeriodCount {
            bar: bar(count, max, room),
            period,
            count,
        })
        .collect()
}

/// One row per period and top value (values that differ only in case are one), periods from
/// the first to the last date of any top value.
fn series_rows(
    period: Period,
    counts: HashMap<(String, i64), u64>,
    limit: usize,
) -> Vec<SeriesCount> {
    let mut totals: HashMap<String, u64> = HashMap::new();
    for ((value, _), count) in &counts {
        *totals.entry(value.clone()).or_insert(0) += count;
    }
    let mut top: Vec<(String, u64)> = merge_case_variants(totals).into_iter().collect();
    top.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
    if limit != 0 {
        top.truncate(limit);
    }
    let names: HashMap<String, &str> = top
        .iter()
        .map(|(name, _)| (name.to_lowercase(), name.as_str()))
        .collect();
    let mut per_value: HashMap<&str, HashMap<i64, u64>> = HashMap::new();
    let mut all_days: HashMap<i64, u64> = HashMap::new();
    for ((value, day), count) in &counts {
        if let Some(name) = names.get(&value.to_lowercase()) {
            *per_value.entry(name).or_default().entry(*day).or_insert(0) += count;
            *all_days.entry(*day).or_insert(0) += count;
        }
    }
    // Each series over the same span: the span of all top values together.
    let span: Vec<String> = every_period(period, &all_days)
        .into_iter()
        .map(|(label, _)| label)
        .collect();
    let series: Vec<(&str, HashMap<String, u64>)> = top
        .iter()
        .map(|(name, _)| {
            let days = per_value.remove(name.as_str()).unwrap_or_default();
            let labels = every_period(period, &with_span(&days, &all_days));
            (name.as_str(), labels.into_iter().collect())
        })
        .collect();
    let max = series
        .iter()
        .flat_map(|(_, counts)| counts.values().copied())
        .max()
        .unwrap_or(0);
    let width = top
        .iter()
        .map(|(name, _)| name.chars().count())
        .max()
        .unwrap_or(0);
    let room = bar_room(width + 24);
    let mut rows = Vec::new();
    for label in span {
        for (i, (name, counts)) in series.iter().enumerate() {
            let count = counts.get(&label).copied().unwrap_or(0);
            rows.push(SeriesCount {
                period: label.clone(),
                value: (*name).to_owned(),
                count,
                bar: bar(count, max, room),
                opens_period: i == 0,
            });
        }
    }
    rows
}

/// `days`, with zero counts on the first and last day of `span` so that every series covers
/// the same periods.
fn with_span(days: &HashMap<i64, u64>, span: &HashMap<i64, u64>) -> HashMap<i64, u64> {
    let mut out = days.clone();
    for edge in [span.keys().min(), span.keys().max()].into_iter().flatten() {
        out.entry(*edge).or_insert(0);
    }
    out
}
