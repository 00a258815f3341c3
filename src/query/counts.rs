//! Collectors that count inside the index, from fast fields, without loading any stored
//! document: values of a keyword field (facets, distinct topics) and periods of the date field
//! (timeline, year and month facets).

use std::collections::HashMap;

use rustc_hash::FxHashMap;

use chrono::{DateTime, Datelike, Days, Months, NaiveDate, Utc};
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

impl Period {
    /// The first day of the period holding `day`.
    pub fn start(self, day: NaiveDate) -> NaiveDate {
        match self {
            Period::Year => day.with_ordinal(1).unwrap_or(day),
            Period::Month => day.with_day(1).unwrap_or(day),
            Period::Week => day - Days::new(u64::from(day.weekday().num_days_from_monday())),
            Period::Day => day,
        }
    }

    /// The first day of the period holding `day`, both as days since 1970.
    pub fn start_day(self, day: i64) -> i64 {
        let Some(date) = DateTime::<Utc>::from_timestamp(day * 86_400, 0) else {
            return day;
        };
        let start = self.start(date.date_naive());
        (start - NaiveDate::default()).num_days()
    }

    /// The first day of the period after the one starting on `start`.
    pub fn next(self, start: NaiveDate) -> Option<NaiveDate> {
        match self {
            Period::Year => start.checked_add_months(Months::new(12)),
            Period::Month => start.checked_add_months(Months::new(1)),
            Period::Week => start.checked_add_days(Days::new(7)),
            Period::Day => start.checked_add_days(Days::new(1)),
        }
    }
}

/// Every period from the first to the last day in `days` (days since 1970), in order, each
/// with the sum of its days' counts: empty periods are listed with 0.
pub fn every_period(period: Period, days: &HashMap<i64, u64>) -> Vec<(String, u64)> {
    let day_of = |n: i64| DateTime::<Utc>::from_timestamp(n * 86_400, 0).map(|d| d.date_naive());
    let (Some(first), Some(last)) = (
        days.keys().min().copied().and_then(day_of),
        days.keys().max().copied().and_then(day_of),
    ) else {
        return Vec::new();
    };
    let mut sums: HashMap<NaiveDate, u64> = HashMap::new();
    for (day, count) in days {
        if let Some(date) = day_of(*day) {
            *sums.entry(period.start(date)).or_insert(0) += count;
        }
    }
    let mut out = Vec::new();
    let mut start = period.start(first);
    while start <= last {
        let midnight = start
            .and_hms_opt(0, 0, 0)
            .expect("midnight exists")
            .and_utc();
        out.push((
            period.label(&midnight),
            sums.get(&start).copied().unwrap_or(0),
        ));
        match period.next(start) {
            Some(next) => start = next,
            None => break,
        }
    }
    out
}

/// Counts documents per day of the `date` fast field (days since 1970), and per value of a
/// keyword field too when `split` names one; undated documents are not counted.
pub struct DayCounter {
    pub split: Option<&'static str>,
    /// Days are counted under the first day of their period: a split timeline over a million
    /// records then holds a count per (month, value), not per (day, value).
    pub period: Period,
}

pub struct DaySegmentCounter {
    dates: Option<Column<TantivyDateTime>>,
    values: Option<StrColumn>,
    split: bool,
    period: Period,
    /// Each day seen, and the first day of its period (computing it per record took half the
    /// time of a timeline).
    starts: FxHashMap<i64, i64>,
    /// (day, value ordinal or 0) -> count. FxHash: SipHash took half the time of a
    /// timeline over a million records.
    counts: FxHashMap<(i64, u64), u64>,
}

/// Counts per (value, day); the value is empty without a split.
pub type DayCounts = HashMap<(String, i64), u64>;

impl Collector for DayCounter {
    type Fruit = DayCounts;
    type Child = DaySegmentCounter;

    fn for_segment(
        &self,
        _: SegmentOrdinal,
        segment: &SegmentReader,
    ) -> tantivy::Result<Self::Child> {
        let values = match self.split {
            // A field this index does not have (an older schema) has no values.
            Some(field) => segment.fast_fields().str(field).ok().flatten(),
            None => None,
        };
        Ok(DaySegmentCounter {
            dates: segment.fast_fields().date("date").ok(),
            values,
            split: self.split.is_some(),
            period: self.period,
            starts: FxHashMap::default(),
            counts: FxHashMap::default(),
        })
    }

    fn requires_scoring(&self) -> bool {
        false
    }

    fn merge_fruits(&self, fruits: Vec<DayCounts>) -> tantivy::Result<Self::Fruit> {
        let mut merged = HashMap::new();
        for fruit in fruits {
            for (key, count) in fruit {
                *merged.entry(key).or_insert(0) += count;
            }
        }
        Ok(merged)
    }
}

impl SegmentCollector for DaySegmentCounter {
    type Fruit = DayCounts;

    fn collect(&mut self, doc: DocId, _: Score) {
        let Some(date) = self.dates.as_ref().and_then(|c| c.first(doc)) else {
            return;
        };
        let day = date.into_timestamp_secs().div_euclid(86_400);
        let period = self.period;
        let day = *self
            .starts
            .entry(day)
            .or_insert_with(|| period.start_day(day));
        if !self.split {
            *self.counts.entry((day, 0)).or_insert(0) += 1;
            return;
        }
        if let Some(values) = &self.values {
            for ord in values.term_ords(doc) {
                *self.counts.entry((day, ord)).or_insert(0) += 1;
            }
        }
    }

    fn harvest(self) -> Self::Fruit {
        let mut out = HashMap::new();
        let values = match &self.values {
            Some(values) if self.split => values,
            _ => {
                for ((day, _), count) in self.counts {
                    *out.entry((String::new(), day)).or_insert(0) += count;
                }
                return out;
            }
        };
        // The names of the ordinals counted, in one sorted pass over the dictionary: looking
        // each up alone decompressed a block per (day, value), 11 s at a million records.
        let mut ords: Vec<u64> = self.counts.keys().map(|&(_, ord)| ord).collect();
        ords.sort_unstable();
        ords.dedup();
        let mut names = Vec::with_capacity(ords.len());
        let _ = values.dictionary().sorted_ords_to_term_cb(&ords, |bytes| {
            names.push(String::from_utf8_lossy(bytes).into_owned());
        });
        for ((day, ord), count) in self.counts {
            let Ok(at) = ords.binary_search(&ord) else {
                continue;
            };
            let Some(name) = names.get(at) else {
                continue;
            };
            *out.entry((name.clone(), day)).or_insert(0) += count;
        }
        out
    }
}

/// Counts documents per period of the `date` fast field; undated documents are not counted.
pub struct PeriodCounter {
    pub period: Period,
}

pub struct PeriodSegmentCounter {
    period: Period,
    column: Option<Column<TantivyDateTime>>,
    /// Counts per day (seconds / 86400), turned into periods at harvest: cheaper per doc.
    days: FxHashMap<i64, u64>,
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
            days: FxHashMap::default(),
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

    #[test]
    fn start_day_is_the_first_day_of_the_period_in_days_since_1970() {
        // 2021-06-16 is a Wednesday, day 18,794 since 1970-01-01.
        let day = 18_794;
        assert_eq!(Period::Day.start_day(day), day);
        assert_eq!(Period::Week.start_day(day), day - 2);
        assert_eq!(Period::Month.start_day(day), day - 15);
        assert_eq!(Period::Year.start_day(day), 18_628);
        assert_eq!(
            Period::Month.start_day(-1),
            -31,
            "1969-12-31 is in December 1969"
        );
    }
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
    fn every_period_is_listed() {
        let day = |y, m, d| {
            NaiveDate::from_ymd_opt(y, m, d)
                .unwrap()
                .and_hms_opt(0, 0, 0)
                .unwrap()
                .and_utc()
                .timestamp()
                / 86_400
        };
        let days: HashMap<i64, u64> = [
            (day(2021, 1, 31), 2),
            (day(2021, 4, 2), 1),
            (day(2021, 4, 30), 1),
        ]
        .into_iter()
        .collect();
        let months = every_period(Period::Month, &days);
        let expected: Vec<(String, u64)> = [
            ("2021-01", 2),
            ("2021-02", 0),
            ("2021-03", 0),
            ("2021-04", 2),
        ]
        .into_iter()
        .map(|(p, c)| (p.to_owned(), c))
        .collect();
        assert_eq!(months, expected);
        let weeks = every_period(Period::Week, &days);
        assert_eq!(weeks.first().unwrap().0, "2021-W04");
        assert_eq!(weeks.last().unwrap().0, "2021-W17");
        assert_eq!(weeks.len(), 14);
        assert_eq!(every_period(Period::Year, &days), [("2021".to_owned(), 4)]);
        assert!(every_period(Period::Day, &HashMap::new()).is_empty());
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
