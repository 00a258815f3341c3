//! What the index holds: record counts, the date span, how many topics and providers.

use anyhow::Result;
use serde::Serialize;
use tantivy::collector::{Count, TopDocs};
use tantivy::query::{AllQuery, TermQuery};
use tantivy::schema::IndexRecordOption;
use tantivy::{DateTime as TantivyDateTime, Order, Term};

use super::counts::{count_undated, count_values};
use crate::index::{index_bytes, OpenIndex};
use crate::parse::date::format_date;

/// The `stats` JSON (docs/json.md).
#[derive(Debug, Serialize)]
pub struct Stats {
    pub records: u64,
    pub articles: usize,
    pub bodies: usize,
    /// Records with no date (they appear in no timeline period).
    pub undated: u64,
    pub date_min: Option<String>,
    pub date_max: Option<String>,
    pub topics: usize,
    pub providers: usize,
    pub index_bytes: u64,
    pub archive: String,
    pub last_build: String,
}

/// Reads the statistics of an open index.
pub fn stats(open: &OpenIndex) -> Result<Stats> {
    let searcher = open.reader.searcher();
    let count_kind = |kind: &str| {
        let query = TermQuery::new(
            Term::from_field_text(open.fields.kind, kind),
            IndexRecordOption::Basic,
        );
        searcher.search(&query, &Count)
    };
    let edge = |order: Order| -> Result<Option<String>> {
        let top = TopDocs::with_limit(1).order_by_fast_field::<TantivyDateTime>("date", order);
        let found = searcher.search(&AllQuery, &top)?;
        Ok(found
            .into_iter()
            .next()
            .and_then(|(date, _)| date)
            .and_then(|d| chrono::DateTime::from_timestamp(d.into_timestamp_secs(), 0))
            .map(|d| format_date(&d)))
    };
    Ok(Stats {
        records: searcher.num_docs(),
        articles: count_kind("article")?,
        bodies: count_kind("body")?,
        undated: count_undated(&searcher, &AllQuery)?,
        date_min: edge(Order::Asc)?,
        date_max: edge(Order::Desc)?,
        topics: count_values(&searcher, &AllQuery, "topic")?.len(),
        providers: count_values(&searcher, &AllQuery, "provider")?.len(),
        index_bytes: index_bytes(&open.path),
        archive: open.payload.archive.display().to_string(),
        last_build: open.payload.built_at.clone(),
    })
}
