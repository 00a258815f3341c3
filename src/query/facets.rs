//! Counts per value of a field (or per year or month) over the records a query matches, most
//! first; with a collapse, one count per cluster of copies.

use anyhow::Result;
use serde::Serialize;
use tantivy::query::Query;
use tantivy::Searcher;

use super::counts::{
    count_undated, count_values, merge_case_variants, Period, PeriodCounter, ValueCounter,
};
use super::dups::{search_collapsed, Collapse};

/// What `facets` counts by.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FacetField {
    Topic,
    Tag,
    Provider,
    Domain,
    Category,
    Type,
    Year,
    Month,
}

/// One facet value and how many matching records have it.
#[derive(Debug, Serialize)]
pub struct FacetCount {
    pub value: String,
    pub count: u64,
}

/// The counts, most first (ties by value), and the matching records that have no date when
/// counting by year or month (they fall in no period).
#[derive(Debug)]
pub struct Facets {
    pub counts: Vec<FacetCount>,
    pub undated: u64,
}

/// Counts the values of `field` over what `query` matches.
pub fn facets(
    searcher: &Searcher,
    query: &dyn Query,
    field: FacetField,
    collapse: Option<&Collapse>,
) -> Result<Facets> {
    let by_period = |period| search_collapsed(searcher, query, PeriodCounter { period }, collapse);
    let counts = match field {
        FacetField::Year => by_period(Period::Year)?,
        FacetField::Month => by_period(Period::Month)?,
        field => {
            let name = match field {
                FacetField::Topic => "topic",
                FacetField::Tag => "tag",
                FacetField::Provider => "provider",
                FacetField::Domain => "domain",
                FacetField::Category => "category",
                _ => "type",
            };
            match collapse {
                Some(collapse) => merge_case_variants(search_collapsed(
                    searcher,
                    query,
                    ValueCounter { field: name },
                    Some(collapse),
                )?),
                None => count_values(searcher, query, name)?,
            }
        }
    };
    let undated = if matches!(field, FacetField::Year | FacetField::Month) {
        count_undated(searcher, query)?
    } else {
        0
    };
    let mut counts: Vec<FacetCount> = counts
        .into_iter()
        .map(|(value, count)| FacetCount { value, count })
        .collect();
    counts.sort_by(|a, b| b.count.cmp(&a.count).then_with(|| a.value.cmp(&b.value)));
    Ok(Facets { counts, undated })
}
