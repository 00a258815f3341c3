//! Filters: the plain values behind `--topic`, `--provider`, `--since`, ... and their tantivy
//! queries over indexed fields (never a scan of stored documents).

use std::ops::Bound;

use chrono::{DateTime, Days, Months, NaiveDate, TimeZone, Utc};
use tantivy::query::{BooleanQuery, ConstScoreQuery, Occur, Query, RangeQuery, TermQuery};
use tantivy::schema::{Field, IndexRecordOption};
use tantivy::{DateTime as TantivyDateTime, Term};

use crate::index::schema::{lookup_term, Fields};
use crate::record::identity::{canonical_url, normalise_domain};
use crate::record::Kind;

/// Filters shared by search, facets, timeline and export.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Filters {
    /// All must match (case-insensitive, exact).
    pub topics: Vec<String>,
    /// All must match (case-insensitive, exact).
    pub tags: Vec<String>,
    pub provider: Option<String>,
    pub domain: Option<String>,
    pub category: Option<String>,
    pub doc_type: Option<String>,
    pub kind: Option<Kind>,
    /// Dated at or after this instant.
    pub since: Option<DateTime<Utc>>,
    /// Dated strictly before this instant.
    pub before: Option<DateTime<Utc>>,
    pub min_quality: Option<i64>,
    /// The date flags `since` and `before` were made from, as the user wrote them, so that a
    /// hint can name the one that matches nothing (`--since 2030`, not "the date range").
    pub date_flags: Vec<DateFlag>,
    /// Articles whose related list holds this URL (canonicalised).
    pub links_to: Option<String>,
    /// Every URL `links_to` stands for (its canonical form and, when it is an archive article,
    /// all that article's URLs); filled in by the query stage, which can look it up.
    pub links_to_any: Vec<String>,
}

/// One date flag (`--since`, `--until`, `--date`) as written, and the range it alone allows.
#[derive(Debug, Clone, PartialEq)]
pub struct DateFlag {
    /// The flag and its value as given: `--since 2030`.
    pub written: String,
    /// Dated at or after this instant.
    pub since: Option<DateTime<Utc>>,
    /// Dated strictly before this instant.
    pub before: Option<DateTime<Utc>>,
}

/// A date argument could not be read.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error(
    "`{0}` is not a date: expected YYYY-MM-DD, YYYY-MM, YYYY, or a time ago such as 7d, 4w, 6m, 1y"
)]
pub struct BadDate(pub String);

/// The UTC half-open range `[start, end)` a date argument covers: a year, a month, a day, or
/// for `7d` / `4w` / `6m` / `1y`, the day that long before `today`.
pub fn date_range(text: &str, today: NaiveDate) -> Result<(DateTime<Utc>, DateTime<Utc>), BadDate> {
    let bad = || BadDate(text.to_owned());
    let text = text.trim();
    let (first, last_exclusive) = if let Some(day) = relative_day(text, today) {
        (day, day.checked_add_days(Days::new(1)).ok_or_else(bad)?)
    } else {
        let parts: Vec<&str> = text.split('-').collect();
        let number = |part: &str, len: usize| -> Option<u32> {
            (part.len() == len && part.bytes().all(|b| b.is_ascii_digit()))
                .then(|| part.parse().ok())
                .flatten()
        };
        match parts.as_slice() {
            [year] => {
                let year = number(year, 4).ok_or_else(bad)? as i32;
                let start = NaiveDate::from_ymd_opt(year, 1, 1).ok_or_else(bad)?;
                (
                    start,
                    start.checked_add_months(Months::new(12)).ok_or_else(bad)?,
                )
            }
            [year, month] => {
                let year = number(year, 4).ok_or_else(bad)? as i32;
                let month = number(month, 2).ok_or_else(bad)?;
                let start = NaiveDate::from_ymd_opt(year, month, 1).ok_or_else(bad)?;
                (
                    start,
                    start.checked_add_months(Months::new(1)).ok_or_else(bad)?,
                )
            }
            [year, month, day] => {
                let year = number(year, 4).ok_or_else(bad)? as i32;
                let month = number(month, 2).ok_or_else(bad)?;
                let day = number(day, 2).ok_or_else(bad)?;
                let start = NaiveDate::from_ymd_opt(year, month, day).ok_or_else(bad)?;
                (start, start.checked_add_days(Days::new(1)).ok_or_else(bad)?)
            }
            _ => return Err(bad()),
        }
    };
    let midnight =
        |day: NaiveDate| Utc.from_utc_datetime(&day.and_hms_opt(0, 0, 0).expect("midnight exists"));
    Ok((midnight(first), midnight(last_exclusive)))
}

fn relative_day(text: &str, today: NaiveDate) -> Option<NaiveDate> {
    let unit = text.chars().last()?;
    let amount: u32 = text[..text.len() - unit.len_utf8()].parse().ok()?;
    match unit {
        'd' => today.checked_sub_days(Days::new(amount.into())),
        'w' => today.checked_sub_days(Days::new(u64::from(amount) * 7)),
        'm' => today.checked_sub_months(Months::new(amount)),
        'y' => today.checked_sub_months(Months::new(amount.checked_mul(12)?)),
        _ => None,
    }
}

/// Today in UTC.
pub fn today() -> NaiveDate {
    Utc::now().date_naive()
}

impl Filters {
    /// Narrows the date range to `[start, end)`.
    pub fn intersect_dates(&mut self, start: DateTime<Utc>, end: DateTime<Utc>) {
        self.since = Some(self.since.map_or(start, |s| s.max(start)));
        self.before = Some(self.before.map_or(end, |b| b.min(end)));
    }

    /// One constant-score query per filter, so filters never change relevance.
    pub fn queries(&self, fields: &Fields) -> Vec<Box<dyn Query>> {
        let mut queries: Vec<Box<dyn Query>> = Vec::new();
        let keyword = |field: Field, value: &str| -> Box<dyn Query> {
            Box::new(TermQuery::new(
                Term::from_field_text(field, &value.trim().to_lowercase()),
                IndexRecordOption::Basic,
            ))
        };
        for topic in &self.topics {
            queries.push(keyword(fields.topic, topic));
        }
        for tag in &self.tags {
            queries.push(keyword(fields.tag, tag));
        }
        if let Some(provider) = &self.provider {
            queries.push(keyword(fields.provider, provider));
        }
        if let Some(domain) = &self.domain {
            queries.push(keyword(fields.domain, &normalise_domain(domain)));
        }
        if let Some(category) = &self.category {
            queries.push(keyword(fields.category, category));
        }
        if let Some(doc_type) = &self.doc_type {
            queries.push(keyword(fields.doc_type, doc_type));
        }
        if let Some(kind) = self.kind {
            queries.push(Box::new(TermQuery::new(
                Term::from_field_text(fields.kind, kind.as_str()),
                IndexRecordOption::Basic,
            )));
        }
        if self.since.is_some() || self.before.is_some() {
            // tantivy dates hold nanoseconds in an i64 (years 1677..2262): clamp, so that
            // `--until 9999` means "no upper bound" rather than an overflow.
            let term = |date: &DateTime<Utc>| {
                let seconds = date.timestamp().clamp(-9_000_000_000, 9_000_000_000);
                Term::from_field_date(fields.date, TantivyDateTime::from_timestamp_secs(seconds))
            };
            let lower = self
                .since
                .as_ref()
                .map_or(Bound::Unbounded, |d| Bound::Included(term(d)));
            let upper = self
                .before
                .as_ref()
                .map_or(Bound::Unbounded, |d| Bound::Excluded(term(d)));
            queries.push(Box::new(RangeQuery::new(lower, upper)));
        }
        if let Some(min) = self.min_quality {
            queries.push(Box::new(RangeQuery::new(
                Bound::Included(Term::from_field_i64(fields.quality, min)),
                Bound::Unbounded,
            )));
        }
        if let Some(url) = &self.links_to {
            let mut urls = self.links_to_any.clone();
            if urls.is_empty() {
                urls.extend(canonical_url(url));
            }
            let clauses: Vec<(Occur, Box<dyn Query>)> = urls
                .iter()
                .map(|u| {
                    let term = lookup_term(fields.links, u);
                    (
                        Occur::Should,
                        Box::new(TermQuery::new(term, IndexRecordOption::Basic)) as Box<dyn Query>,
                    )
                })
                .collect();
            queries.push(Box::new(BooleanQuery::new(clauses)));
        }
        queries
            .into_iter()
            .map(|q| Box::new(ConstScoreQuery::new(q, 0.0)) as Box<dyn Query>)
            .collect()
    }
}

/// `text` (if any) and every filter, all required.
pub fn combine(text: Option<Box<dyn Query>>, filters: Vec<Box<dyn Query>>) -> Box<dyn Query> {
    let mut clauses: Vec<(Occur, Box<dyn Query>)> = Vec::new();
    if let Some(text) = text {
        clauses.push((Occur::Must, text));
    }
    clauses.extend(filters.into_iter().map(|f| (Occur::Must, f)));
    match clauses.len() {
        0 => Box::new(tantivy::query::AllQuery),
        1 => clauses.pop().expect("one clause").1,
        _ => Box::new(BooleanQuery::new(clauses)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::Datelike;

    fn range(text: &str) -> Result<(String, String), BadDate> {
        let today = NaiveDate::from_ymd_opt(2026, 11, 23).unwrap();
        date_range(text, today).map(|(a, b)| (a.to_rfc3339(), b.to_rfc3339()))
    }

    #[test]
    fn date_arguments() {
        let r =
            |a: &str, b: &str| Ok((format!("{a}T00:00:00+00:00"), format!("{b}T00:00:00+00:00")));
        assert_eq!(range("2021"), r("2021-01-01", "2022-01-01"));
        assert_eq!(range("2021-12"), r("2021-12-01", "2022-01-01"));
        assert_eq!(range("2021-06-11"), r("2021-06-11", "2021-06-12"));
        assert_eq!(range("7d"), r("2026-11-16", "2026-11-17"));
        assert_eq!(range("4w"), r("2026-10-26", "2026-10-27"));
        assert_eq!(range("6m"), r("2026-05-23", "2026-05-24"));
        assert_eq!(range("1y"), r("2025-11-23", "2025-11-24"));
        for bad in [
            "2021-13-45",
            "2021-13",
            "21",
            "yesterday",
            "2021-6",
            "",
            "5x",
            "2021-02-30",
        ] {
            assert!(range(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn intersecting_dates_narrows() {
        let mut filters = Filters::default();
        let (a, b) = date_range("2021", NaiveDate::MIN).unwrap();
        let (c, d) = date_range("2021-06", NaiveDate::MIN).unwrap();
        filters.intersect_dates(a, b);
        filters.intersect_dates(c, d);
        assert_eq!((filters.since, filters.before), (Some(c), Some(d)));
        assert_ne!(filters, Filters::default());
        assert_eq!(a.year(), 2021);
    }
}
