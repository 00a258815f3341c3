//! Query stage: an open index and plain values in (query text, `Filters`, sort, paging), typed
//! rows out (`SearchHit`, `FacetCount`, `PeriodCount`, `Stats`). No clap types, no printing.

pub mod counts;
pub mod dups;
pub mod filters;
mod path_order;
pub mod related;
pub mod similar;

pub use path_order::all_matches;

use anyhow::{anyhow, Context, Result};
use serde::Serialize;
use tantivy::collector::sort_key::{SortBySimilarityScore, SortByStaticFastValue, SortByString};
use tantivy::collector::{Count, TopDocs};
use tantivy::query::{Query, QueryParser, QueryParserError, TermQuery};
use tantivy::schema::{IndexRecordOption, Value as _};
use tantivy::snippet::SnippetGenerator;
use tantivy::{
    DateTime as TantivyDateTime, DocAddress, Index, Order, Searcher, TantivyDocument, Term,
};

use crate::index::schema::{lookup_term, Fields};
use crate::index::OpenIndex;
use crate::record::identity::{canonical_url, is_record_id};
use crate::record::Record;
use dups::{search_collapsed, Collapse};
use filters::{combine, Filters};

/// The order of search results.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Sort {
    Relevance,
    DateAscending,
    DateDescending,
    Quality,
    Heat,
}

/// A search request.
#[derive(Debug, Clone)]
pub struct SearchRequest {
    /// Query text in tantivy syntax; empty = every record matching the filters.
    pub text: String,
    pub filters: Filters,
    pub sort: Sort,
    /// `None` = all.
    pub limit: Option<usize>,
    pub offset: usize,
    /// Load the body into each hit.
    pub with_body: bool,
    /// One hit per cluster of copies (resemblance at least this), with `copies`.
    pub collapse: Option<f32>,
}

/// One search result: the record, plus `score` and `snippet` (null without query text, and
/// `score` null when sorted by something other than relevance).
#[derive(Debug, Clone, Serialize)]
pub struct SearchHit {
    #[serde(flatten)]
    pub record: Record,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub body: Option<String>,
    pub score: Option<f32>,
    pub snippet: Option<String>,
    /// With `--collapse`: how many matching records this hit stands for (its cluster's size).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub copies: Option<usize>,
    /// `similar` only: true when the hit is a near-duplicate of the record asked about.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub copy: Option<bool>,
    /// Byte ranges of matched words in `snippet`, for highlighting.
    #[serde(skip)]
    pub highlights: Vec<std::ops::Range<usize>>,
    /// Opening words of the body, shown for body records that have no title.
    #[serde(skip)]
    pub opening: Option<String>,
}

/// Search results and how many matched in all.
#[derive(Debug)]
pub struct SearchResults {
    pub total: usize,
    pub hits: Vec<SearchHit>,
}

/// A query the user wrote could not be read.
#[derive(Debug, thiserror::Error)]
#[error("cannot read the query `{query}`: {reason}; words are ANDed, use \"phrases\", OR, -word, and field:value with the fields title, excerpt, body, topic, provider, domain, category, type, kind, url, links, path")]
pub struct BadQuery {
    pub query: String,
    pub reason: String,
}

/// Parses query text over title, excerpt and body (words ANDed). Empty text: `None`.
pub fn parse_text_query(open: &OpenIndex, text: &str) -> Result<Option<Box<dyn Query>>> {
    text_query(&open.index, &open.fields, text)
}

/// `parse_text_query` for any index with the newsidx schema (tests and fuzzing use one in RAM).
pub fn text_query(index: &Index, fields: &Fields, text: &str) -> Result<Option<Box<dyn Query>>> {
    if text.trim().is_empty() {
        return Ok(None);
    }
    // SPEC §4: title, excerpt and body. Topics are reached with `topic:AI` or `--topic`.
    let mut parser = QueryParser::for_index(index, vec![fields.title, fields.excerpt, fields.body]);
    parser.set_conjunction_by_default();
    parser.set_field_boost(fields.title, 2.0);
    parser.set_field_boost(fields.excerpt, 1.5);
    let parsed = match parser.parse_query(text) {
        // `-word` alone means "everything but word".
        Err(QueryParserError::AllButQueryForbidden) => parser.parse_query(&format!("* {text}")),
        other => other,
    };
    parsed.map(Some).map_err(|err| {
        BadQuery {
            query: text.to_owned(),
            reason: err.to_string(),
        }
        .into()
    })
}

/// The full query (text and filters), and the text part alone (for snippets).
pub type BuiltQuery = (Box<dyn Query>, Option<Box<dyn Query>>);

/// The full query of a request: text and filters.
pub fn build_query(open: &OpenIndex, text: &str, filters: &Filters) -> Result<BuiltQuery> {
    let text_query = parse_text_query(open, text)?;
    let mut filters = filters.clone();
    if let Some(url) = &filters.links_to {
        // An archive article is linked under any of its URLs (web, original, AMP, CDN).
        let mut urls: Vec<String> = canonical_url(url).into_iter().collect();
        if let Some((record, _)) = lookup(open, url)? {
            for other in related::record_urls(&record) {
                if !urls.contains(&other) {
                    urls.push(other);
                }
            }
        }
        filters.links_to_any = urls;
    }
    let filters = &filters;
    let query = combine(
        text_query.as_ref().map(|q| q.box_clone()),
        filters.queries(&open.fields),
    );
    Ok((query, text_query))
}

/// Runs a search.
pub fn search(open: &OpenIndex, request: &SearchRequest) -> Result<SearchResults> {
    let searcher = open.reader.searcher();
    let (query, text_query) = build_query(open, &request.text, &request.filters)?;
    let collapse = match request.collapse {
        Some(threshold) => Some(Collapse::of_query(&searcher, query.as_ref(), threshold)?),
        None => None,
    };
    let collapse = collapse.as_ref();
    let total = search_collapsed(&searcher, query.as_ref(), Count, collapse)?;
    let wanted = request
        .limit
        .unwrap_or(total)
        .min(total.saturating_sub(request.offset));
    if wanted == 0 {
        return Ok(SearchResults {
            total,
            hits: Vec::new(),
        });
    }
    let top = TopDocs::with_limit(wanted).and_offset(request.offset);
    // Relevance without query text ranks every record alike: show the newest first instead.
    let sort = match (request.sort, &text_query) {
        (Sort::Relevance, None) => Sort::DateDescending,
        (sort, _) => sort,
    };
    // Every order ends with the record path, so equal keys (the same date, an equal score)
    // come out the same way whichever thread indexed which document.
    let by_path = (SortByString::for_field("sort_path"), Order::Asc);
    let addresses: Vec<(Option<f32>, DocAddress)> = match sort {
        Sort::Relevance => search_collapsed(
            &searcher,
            query.as_ref(),
            top.order_by(((SortBySimilarityScore, Order::Desc), by_path)),
            collapse,
        )?
        .into_iter()
        .map(|((score, _), address)| (Some(score), address))
        .collect(),
        Sort::DateAscending | Sort::DateDescending => {
            let order = if sort == Sort::DateAscending {
                Order::Asc
            } else {
                Order::Desc
            };
            let by_date = (
                SortByStaticFastValue::<TantivyDateTime>::for_field("date"),
                order,
            );
            search_collapsed(
                &searcher,
                query.as_ref(),
                top.order_by((by_date, by_path)),
                collapse,
            )?
            .into_iter()
            .map(|(_, address)| (None, address))
            .collect()
        }
        Sort::Quality | Sort::Heat => {
            let field = if sort == Sort::Quality {
                "quality"
            } else {
                "heat"
            };
            let by_number = (SortByStaticFastValue::<i64>::for_field(field), Order::Desc);
            search_collapsed(
                &searcher,
                query.as_ref(),
                top.order_by((by_number, by_path)),
                collapse,
            )?
            .into_iter()
            .map(|(_, address)| (None, address))
            .collect()
        }
    };
    let snippets = match &text_query {
        Some(text_query) => {
            let mut generator =
                SnippetGenerator::create(&searcher, text_query.as_ref(), open.fields.body)?;
            generator.set_max_num_chars(160);
            Some(generator)
        }
        None => None,
    };
    let mut hits = Vec::with_capacity(addresses.len());
    for (score, address) in addresses {
        let doc: TantivyDocument = searcher.doc(address)?;
        let record = record_of(open, &doc)?;
        let body_text = doc
            .get_first(open.fields.body)
            .and_then(|v| v.as_str())
            .unwrap_or("");
        let (snippet, highlights) = match &snippets {
            // The passage comes from the body, else from the excerpt or title that matched.
            Some(generator) => [
                Some(body_text),
                record.excerpt.as_deref(),
                record.title.as_deref(),
            ]
            .into_iter()
            .flatten()
            .map(|text| generator.snippet(text))
            .find(|snippet| !snippet.is_empty())
            .map_or((None, Vec::new()), |snippet| {
                (
                    Some(snippet.fragment().to_owned()),
                    snippet.highlighted().to_vec(),
                )
            }),
            None => (None, Vec::new()),
        };
        let opening = record
            .title
            .is_none()
            .then(|| crate::record::opening_words(body_text, 12));
        hits.push(SearchHit {
            record,
            body: request.with_body.then(|| body_text.to_owned()),
            score,
            snippet,
            copies: collapse.map(|c| c.copies(address)),
            copy: None,
            highlights,
            opening,
        });
    }
    Ok(SearchResults { total, hits })
}

/// Reads the record JSON stored in a document.
pub fn record_of(open: &OpenIndex, doc: &TantivyDocument) -> Result<Record> {
    let json = doc
        .get_first(open.fields.record)
        .and_then(|v| v.as_str())
        .ok_or_else(|| {
            anyhow!("a document of the index has no record; run `newsidx build --rebuild`")
        })?;
    serde_json::from_str(json).context("reading a stored record; run `newsidx build --rebuild`")
}

/// Reads the body stored in a document.
pub fn body_of(open: &OpenIndex, doc: &TantivyDocument) -> String {
    doc.get_first(open.fields.body)
        .and_then(|v| v.as_str())
        .unwrap_or_default()
        .to_owned()
}

/// Finds the record a user named by id, by any of its URLs, or by its path (or its paired
/// body file's path) relative to the archive root.
pub fn lookup(open: &OpenIndex, key: &str) -> Result<Option<(Record, String)>> {
    let searcher = open.reader.searcher();
    let key = key.trim();
    let lower = key.to_ascii_lowercase();
    let key = if is_record_id(&lower) {
        lower.as_str()
    } else {
        key
    };
    let mut terms = Vec::new();
    if is_record_id(key) {
        terms.push(Term::from_field_text(open.fields.id, key));
    }
    if let Some(url) = canonical_url(key) {
        terms.push(lookup_term(open.fields.url, &url));
    }
    let path = key.strip_prefix("./").unwrap_or(key).replace('\\', "/");
    terms.push(lookup_term(open.fields.path, &path));
    if let Some(relative) = relative_to_archive(open, key) {
        terms.push(lookup_term(open.fields.path, &relative));
    }
    for term in terms {
        if let Some(address) = first_match(&searcher, term)? {
            let doc: TantivyDocument = searcher.doc(address)?;
            return Ok(Some((record_of(open, &doc)?, body_of(open, &doc))));
        }
    }
    Ok(None)
}

/// A path given from anywhere (absolute, or relative to the current folder) made relative to
/// the archive root, when it lies inside it.
fn relative_to_archive(open: &OpenIndex, key: &str) -> Option<String> {
    let absolute = std::path::Path::new(key).canonicalize().ok()?;
    let rel = absolute.strip_prefix(&open.payload.archive).ok()?;
    let parts: Vec<String> = rel
        .components()
        .map(|c| c.as_os_str().to_string_lossy().into_owned())
        .collect();
    Some(parts.join("/"))
}

fn first_match(searcher: &Searcher, term: Term) -> Result<Option<DocAddress>> {
    let query = TermQuery::new(term, IndexRecordOption::Basic);
    let found = searcher.search(&query, &TopDocs::with_limit(1).order_by_score())?;
    Ok(found.into_iter().next().map(|(_, address)| address))
}
