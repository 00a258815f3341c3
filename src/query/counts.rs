//! Collectors that count inside the index, from fast fields, without loading any stored
//! document: values of a keyword field (facets, distinct topics) and periods of the date field
//! (timeline, year and month facets).

use std::collections::HashMap;

use chrono::{DateTime, Datelike, Utc};
use tantivy::collector::{Collector, Count, SegmentCollector};
use tantivy::columnar::{Column, StrColumn};
use tantivy::index::SegmentReader;
use tantivy::query::{BooleanQuery, ExistsQuery, Occur, Query};
use tantivy::{DateTime as TantivyDateTime, DocId, Score, Searcher, SegmentOrdinal};

/// Counts per value of a keyword field (`topic`, `tag`, `provider`, `domain`, `category`,
/// `type`) among the documents `query` matches, case variants merged as the filters match
/// them. Facets, stats and split timelines all count values this one way.
pub fn count_values(
    searcher: &Searcher,
    query: &dyn Query,
    field: &'static str,
) -> tantivy::Result<HashMap<String, u64>> {
    Ok(merge_case_variants(
        searcher.search(query, &ValueCounter { field })?,
    ))
}

/// How many of the documents `query` matches have no date (the period counts leave them out).
pub fn count_undated(searcher: &Searcher, query: &dyn Query) -> tantivy::Result<u64> {
    let undated = BooleanQuery::new(vec![
        (Occur::Must, query.box_clone()),
        (
            Occur::MustNot,
            Box::new(ExistsQuery::new("date".to_owned(), false)),
        ),
    ]);
    Ok(searcher.search(&undated, &Count)? as u64)
}

/// The period a date falls in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Period {
    Year,
    Month,
    /// ISO week, `2021-W23`.
    Week,
    Day,
}

impl Period {
    /// The label of the period holding `date`: `2021`, `2021-06`, `2021-W23`, `2021-06-11`.
    pub fn label(self, date: &DateTime<Utc>) -> String {
        match self {
            Period::Year => format!("{:04}", date.year()),
            Period::Month => format!("{:04}-{:02}", date.year(), date.month()),
            Period::Week => {
                let week = date.iso_week();
                format!("{:04}-W{:02}", week.year(), week.week())
            }
            Period::Day => format!("{:04}-{:02}-{:02}", date.year(), date.month(), date.day()),
        }
    }
}

/// Counts documents per value of a keyword fast field (multi-valued fields count each value).
pub struct ValueCounter {
    pub field: &'static str,
}

pub struct ValueSegmentCounter {
    column: Option<StrColumn>,
    counts: Vec<u64>,
}

impl Collector for ValueCounter {
    type Fruit = HashMap<String, u64>;
    type Child = ValueSegmentCounter;

    fn for_segment(
        &self,
        _: SegmentOrdinal,
        segment: &SegmentReader,
    ) -> tantivy::Result<Self::Child> {
        let column = segment.fast_fields().str(self.field)?;
        let terms = column.as_ref().map_or(0, |c| c.num_terms());
        Ok(ValueSegmentCounter {
            column,
            counts: vec![0; terms],
        })
    }

    fn requires_scoring(&self) -> bool {
        false
    }

    fn merge_fruits(&self, fruits: Vec<HashMap<String, u64>>) -> tantivy::Result<Self::Fruit> {
        let mut merged = HashMap::new();
        for fruit in fruits {
            for (value, count) in fruit {
                *merged.entry(value).or_insert(0) += count;
            }
        }
        Ok(merged)
    }
}

impl SegmentCollector for ValueSegmentCounter {
    type Fruit = HashMap<String, u64>;

    fn collect(&mut self, doc: DocId, _: Score) {
        if let Some(column) = &self.column {
            for ord in column.term_ords(doc) {
                if let Some(count) = self.counts.get_mut(ord as usize) {
                    *count += 1;
                }
            }
        }
    }

    fn harvest(self) -> Self::Fruit {
        let mut out = HashMap::new();
        let Some(column) = self.column else {
            return out;
        };
        // One sorted pass over the dictionary: looking ords up one by one would open (and
        // decompress) a dictionary block per value.
        let (ords, counts): (Vec<u64>, Vec<u64>) = self
            .counts
            .into_iter()
            .enumerate()
            .filter(|(_, count)| *count > 0)
            .map(|(ord, count)| (ord as u64, count))
            .unzip();
        let mut counts = counts.into_iter();
        let _ = column.dictionary().sorted_ords_to_term_cb(&ords, |bytes| {
            if let Some(count) = counts.next() {
                out.insert(String::from_utf8_lossy(bytes).into_owned(), count);
            }
        });
        out
    }
}

/// Merges values that differ only in case (`Climate` and `climate`), as the filters do: the
/// count is the sum, the name the most frequent spelling (the first in order on a tie).
pub fn merge_case_variants(counts: HashMap<String, u64>) -> HashMap<String, u64> {
    let mut groups: HashMap<String, (String, u64, u64)> = HashMap::new();
    let mut sorted: Vec<(String, u64)> = counts.into_iter().collect();
    sorted.sort();
    for (value, count) in sorted {
        let group = groups
            .entry(value.to_lowercase())
            .or_insert_with(|| (value.clone(), 0, 0));
        if count > group.2 {
            group.0 = value;
            group.2 = count;
        }
        group.1 += count;
    }
    groups
        .into_values()
        .map(|(name, total, _)| (name, total))
        .collect()
}

/// Counts documents per period of the `date` fast field; undated documents are not counted.
pub struct PeriodCounter {
    pub period: Period,
}

pub struct PeriodSegmentCounter {
    period: Period,
    column: Option<Column<TantivyDateTime>>,
    /// Counts per day (seconds / 86400), turned into periods at harvest: cheaper per doc.
    days: HashMap<i64, u64>,
}

impl Collector for PeriodCounter {
    type Fruit = HashMap<String, u64>;
    type Child = PeriodSegmentCounter;

    fn for_segment(
        &self,
        _: SegmentOrdinal,
        segment: &SegmentReader,
    ) -> tantivy::Result<Self::Child> {
        let column = segment.fast_fields().date("date").ok();
        Ok(PeriodSegmentCounter {
            period: self.period,
            column,
            days: HashMap::new(),
        })
    }

    fn requires_scoring(&self) -> bool {
        false
    }

    fn merge_fruits(&self, fruits: Vec<HashMap<String, u64>>) -> tantivy::Result<Self::Fruit> {
        ValueCounter { field: "" }.merge_fruits(fruits)
    }
}

impl SegmentCollector for PeriodSegmentCounter {
    type Fruit = HashMap<String, u64>;

    fn collect(&mut self, doc: DocId, _: Score) {
        if let Some(date) = self.column.as_ref().and_then(|c| c.first(doc)) {
            *self
                .days
                .entry(date.into_timestamp_secs().div_euclid(86_400))
                .or_insert(0) += 1;
        }
    }

    fn harvest(self) -> Self::Fruit {
        let mut out = HashMap::new();
        for (day, count) in self.days {
            if let Some(date) = DateTime::<Utc>::from_timestamp(day * 86_400, 0) {
                *out.entry(self.period.label(&date)).or_insert(0) += count;
            }
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    #[test]
    fn case_variants_merge_under_the_common_spelling() {
        let counts: HashMap<String, u64> =
            [("Climate", 3), ("climate", 2), ("CLIMATE", 1), ("AI", 1)]
                .into_iter()
                .map(|(v, c)| (v.to_owned(), c))
                .collect();
        let merged = merge_case_variants(counts);
        assert_eq!(merged.len(), 2);
        assert_eq!(merged["Climate"], 6);
        assert_eq!(merged["AI"], 1);
    }

    #[test]
    fn period_labels() {
        let date = Utc.with_ymd_and_hms(2021, 6, 11, 21, 45, 0).unwrap();
        assert_eq!(Period::Year.label(&date), "2021");
        assert_eq!(Period::Month.label(&date), "2021-06");
        assert_eq!(Period::Week.label(&date), "2021-W23");
        assert_eq!(Period::Day.label(&date), "2021-06-11");
        let new_year = Utc.with_ymd_and_hms(2021, 1, 1, 0, 0, 0).unwrap();
        assert_eq!(Period::Week.label(&new_year), "2020-W53");
    }
}
