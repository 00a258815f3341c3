//! Counts per period over the records a query matches, every period from the first to the
//! last listed (empty ones with 0); with a split, one series per top value of a field.

use std::collections::HashMap;

use anyhow::Result;
use serde::Serialize;
use tantivy::collector::Count;
use tantivy::query::Query;
use tantivy::Searcher;

use super::counts::{every_period, merge_case_variants, DayCounter, Period};
use super::dups::{search_collapsed, Collapse};

/// The field whose values make the series of `--split`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SplitField {
    Provider,
    Topic,
    Tag,
    Domain,
}

impl SplitField {
    fn name(self) -> &'static str {
        match self {
            SplitField::Provider => "provider",
            SplitField::Topic => "topic",
            SplitField::Tag => "tag",
            SplitField::Domain => "domain",
        }
    }
}

/// Records in one period.
#[derive(Debug, Serialize)]
pub struct PeriodCount {
    pub period: String,
    pub count: u64,
}

/// Records with one value in one period (`--split`).
#[derive(Debug, Serialize)]
pub struct SeriesCount {
    pub period: String,
    pub value: String,
    pub count: u64,
    /// The first row of its period: the table names the period only there.
    #[serde(skip)]
    pub opens_period: bool,
}

/// The rows of a timeline.
#[derive(Debug)]
pub enum TimelineRows {
    Periods(Vec<PeriodCount>),
    /// Period by period, the top values in the same order in each.
    Series(Vec<SeriesCount>),
}

/// A timeline, and how many matching records have no date (they are in no period).
#[derive(Debug)]
pub struct Timeline {
    pub rows: TimelineRows,
    pub undated: u64,
}

/// What to count: the period, the split, and how many series (`0` = all).
#[derive(Debug, Clone, Copy)]
pub struct TimelineRequest {
    pub period: Period,
    pub split: Option<SplitField>,
    pub series: usize,
}

/// Counts what `query` matches per period.
pub fn timeline(
    searcher: &Searcher,
    query: &dyn Query,
    request: TimelineRequest,
    collapse: Option<&Collapse>,
) -> Result<Timeline> {
    let period = request.period;
    let count = |split| {
        search_collapsed(
            searcher,
            query,
            (DayCounter { split, period }, Count),
            collapse,
        )
    };
    let split = request.split.map(SplitField::name);
    let (counts, total) = count(split)?;
    let dated = if split.is_some() {
        count(None)?.0.values().sum::<u64>()
    } else {
        counts.values().sum::<u64>()
    };
    let rows = match split {
        None => {
            let days: HashMap<i64, u64> = counts
                .into_iter()
                .map(|((_, day), count)| (day, count))
                .collect();
            TimelineRows::Periods(
                every_period(period, &days)
                    .into_iter()
                    .map(|(period, count)| PeriodCount { period, count })
                    .collect(),
            )
        }
        Some(_) => TimelineRows::Series(series_rows(period, counts, request.series)),
    };
    Ok(Timeline {
        rows,
        undated: (total as u64).saturating_sub(dated),
    })
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
    let mut rows = Vec::new();
    for label in span {
        for (i, (name, counts)) in series.iter().enumerate() {
            rows.push(SeriesCount {
                period: label.clone(),
                value: (*name).to_owned(),
                count: counts.get(&label).copied().unwrap_or(0),
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
