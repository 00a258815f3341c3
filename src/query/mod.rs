//! Query stage: an open index and plain values in (query text, `Filters`, sort, paging), typed
//! rows out (`SearchHit`, `FacetCount`, `PeriodCount`, `Stats`). No clap types, no printing.

pub mod counts;
pub mod dups;
pub mod facets;
pub mod filters;
pub mod hints;
mod path_order;
pub mod related;
pub mod similar;
pub mod snippet;
pub mod stats;
pub mod text;
pub mod timeline;

pub use path_order::all_matches;

use anyhow::{anyhow, Context, Result};
use serde::Serialize;
use tantivy::collector::sort_key::{SortBySimilarityScore, SortByStaticFastValue, SortByString};
use tantivy::collector::{Collector, Count, SegmentCollector, TopDocs};
use tantivy::columnar::StrColumn;
use tantivy::index::SegmentReader;
use tantivy::query::{Query, TermQuery};
use tantivy::schema::{IndexRecordOption, Value as _};
use tantivy::{
    DateTime as TantivyDateTime, DocAddress, DocId, Order, Score, Searcher, TantivyDocument, Term,
};

use crate::index::schema::{lookup_term, Fields};
use crate::index::OpenIndex;
use crate::record::identity::{canonical_url, is_record_id};
use crate::record::Record;
use dups::{search_collapsed, Collapse};
use filters::{combine, Filters};
use snippet::Snippeter;
use text::{Node, QueryBuilder};

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
    /// Query text; empty = every record matching the filters.
    pub text: String,
    pub filters: Filters,
    /// Relevance without query text lists the newest first.
    pub sort: Sort,
    /// `None` = all.
    pub limit: Option<usize>,
    pub offset: usize,
    /// `--collapse`: one hit per cluster of copies whose resemblance reaches this threshold.
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

/// Query text in which nothing can be searched (only quotes, brackets or signs).
#[derive(Debug, thiserror::Error)]
#[error("nothing to search for in `{query}`: give a word, a \"phrase\", or field:value with the fields title, excerpt, body, topic, tag, provider, domain, category, type, kind, url, path, links")]
pub struct BadQuery {
    pub query: String,
}

/// Parses query text. Empty text: `None`; text with nothing to search for: `BadQuery`.
fn parse_text(text: &str) -> Result<Option<Node>> {
    if text.trim().is_empty() {
        return Ok(None);
    }
    match text::parse(text) {
        Some(node) => Ok(Some(node)),
        None => Err(BadQuery {
            query: text.to_owned(),
        }
        .into()),
    }
}

/// Parses query text over title, excerpt and body (words ANDed) for any index with the
/// newsidx schema (tests and fuzzing use one in RAM). Empty text: `None`.
pub fn text_query(fields: &Fields, text: &str) -> Result<Option<Box<dyn Query>>> {
    Ok(parse_text(text)?.map(|node| QueryBuilder::new(fields).build(&node)))
}

/// The full query (text and filters), and the parsed text alone (for snippets and hints).
pub type BuiltQuery = (Box<dyn Query>, Option<Node>);

/// The full query of a request: text and filters.
pub fn build_query(open: &OpenIndex, text: &str, filters: &Filters) -> Result<BuiltQuery> {
    let node = parse_text(text)?;
    let text_query = node
        .as_ref()
        .map(|node| QueryBuilder::new(&open.fields).build(node));
    let filters = resolve_filters(open, filters)?;
    let query = combine(text_query, filters.queries(&open.fields));
    Ok((query, node))
}

/// Fills in what filters need from the index: every URL of a `--links-to` article.
pub fn resolve_filters(open: &OpenIndex, filters: &Filters) -> Result<Filters> {
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
    Ok(filters)
}

/// A search ready to run: its query, what it looks for, and with `--collapse` its clusters.
pub struct PreparedSearch {
    pub query: Box<dyn Query>,
    pub node: Option<Node>,
    /// With `--collapse`: the copies left out, and the cluster size of each shown record.
    pub collapse: Option<Collapse>,
}

/// Builds a search.
pub fn prepare(open: &OpenIndex, request: &SearchRequest) -> Result<PreparedSearch> {
    let (query, node) = build_query(open, &request.text, &request.filters)?;
    let collapse = match request.collapse {
        Some(threshold) => Some(Collapse::of_query(
            &open.reader.searcher(),
            query.as_ref(),
            threshold,
        )?),
        None => None,
    };
    Ok(PreparedSearch {
        query,
        node,
        collapse,
    })
}

/// How many records match a prepared search; with `--collapse`, how many clusters.
pub fn count(searcher: &Searcher, prepared: &PreparedSearch) -> Result<usize> {
    Ok(search_collapsed(
        searcher,
        prepared.query.as_ref(),
        Count,
        prepared.collapse.as_ref(),
    )?)
}

/// A match: its score (when ranked by relevance) and address.
pub type Match = (Option<f32>, DocAddress);

/// The matches of a search, and how many there are.
pub struct Matches<'s> {
    pub found: Box<dyn Iterator<Item = Match> + 's>,
    /// Every match (or cluster, with `--collapse`), before `--offset` and `--limit`.
    pub total: usize,
}

/// The matches of a prepared search, in the order asked, as addresses only (no document is
/// loaded). Every format and every limit gets the same order, equal keys in path order: a
/// pipe's first lines are the table's rows. Without a limit the sort holds one key and one
/// address per match, never a document.
pub fn matches<'s>(
    searcher: &'s Searcher,
    request: &SearchRequest,
    prepared: &'s PreparedSearch,
) -> Result<Matches<'s>> {
    // Relevance without query text ranks every record alike: show the newest first instead.
    let sort = match (request.sort, &prepared.node) {
        (Sort::Relevance, None) => Sort::DateDescending,
        (sort, _) => sort,
    };
    let Some(limit) = request.limit else {
        let sorted = if sort == Sort::Relevance {
            sorted_by_score(searcher, prepared)?
        } else {
            let sorted = sorted_by_key(searcher, prepared, sort)?;
            sorted.into_iter().map(|address| (None, address)).collect()
        };
        let total = sorted.len();
        return Ok(Matches {
            found: Box::new(sorted.into_iter().skip(request.offset)),
            total,
        });
    };
    // A limit or an offset past the last record asks for no more than every record.
    let records = usize::try_from(searcher.num_docs()).unwrap_or(usize::MAX);
    let wanted = limit.min(records.saturating_sub(request.offset));
    if wanted == 0 {
        return Ok(Matches {
            found: Box::new(std::iter::empty()),
            total: count(searcher, prepared)?,
        });
    }
    let (sorted, total) = sorted_matches(
        searcher,
        prepared.query.as_ref(),
        (sort, prepared.collapse.as_ref()),
        request.offset,
        wanted,
    )?;
    Ok(Matches {
        found: Box::new(sorted.into_iter()),
        total,
    })
}

/// Every match of a prepared search in path order, less those `--collapse` hides: what
/// the sorts without a limit start from.
fn shown_in_path_order(searcher: &Searcher, prepared: &PreparedSearch) -> Result<Vec<DocAddress>> {
    let mut docs = all_matches(searcher, prepared.query.as_ref())?;
    if let Some(collapse) = &prepared.collapse {
        docs.retain(|&address| !collapse.hides(address));
    }
    Ok(docs)
}

/// Every match of a prepared search by score, best first, equal scores in path order: the
/// order `sorted_matches` gives, holding a score and an address per match.
fn sorted_by_score(searcher: &Searcher, prepared: &PreparedSearch) -> Result<Vec<Match>> {
    let docs = shown_in_path_order(searcher, prepared)?;
    let scores = searcher.search(prepared.query.as_ref(), &SegmentScores)?;
    let mut scored: Vec<Match> = docs
        .into_iter()
        .map(|address| {
            let segment = scores.get(address.segment_ord as usize);
            let score = segment.and_then(|docs| {
                docs.binary_search_by_key(&address.doc_id, |&(doc, _)| doc)
                    .ok()
                    .map(|at| docs[at].1)
            });
            (Some(score.unwrap_or(0.0)), address)
        })
        .collect();
    // Stable: equal scores keep the path order of `all_matches`.
    scored.sort_by(|a, b| b.0.unwrap_or(0.0).total_cmp(&a.0.unwrap_or(0.0)));
    Ok(scored)
}

/// Collects each segment's matches with their scores, in document order.
struct SegmentScores;

struct SegmentScoresChild {
    segment: u32,
    scores: Vec<(DocId, Score)>,
}

impl Collector for SegmentScores {
    /// Indexed by segment ordinal.
    type Fruit = Vec<Vec<(DocId, Score)>>;
    type Child = SegmentScoresChild;

    fn for_segment(&self, segment: u32, _: &SegmentReader) -> tantivy::Result<Self::Child> {
        Ok(SegmentScoresChild {
            segment,
            scores: Vec::new(),
        })
    }

    fn requires_scoring(&self) -> bool {
        true
    }

    fn merge_fruits(
        &self,
        fruits: Vec<(u32, Vec<(DocId, Score)>)>,
    ) -> tantivy::Result<Self::Fruit> {
        let mut by_segment = Vec::new();
        for (segment, scores) in fruits {
            let segment = segment as usize;
            by_segment.resize_with(by_segment.len().max(segment + 1), Vec::new);
            by_segment[segment] = scores;
        }
        Ok(by_segment)
    }
}

impl SegmentCollector for SegmentScoresChild {
    type Fruit = (u32, Vec<(DocId, Score)>);

    fn collect(&mut self, doc: DocId, score: Score) {
        self.scores.push((doc, score));
    }

    fn harvest(self) -> Self::Fruit {
        (self.segment, self.scores)
    }
}

/// Every match of a prepared search in `sort` order (date, quality or heat), records lacking
/// the key last, equal keys in path order: the order `sorted_matches` gives, without a heap of
/// a million entries (30 s for every record at a million). Holds an address and a key per match.
fn sorted_by_key(
    searcher: &Searcher,
    prepared: &PreparedSearch,
    sort: Sort,
) -> Result<Vec<DocAddress>> {
    let docs = shown_in_path_order(searcher, prepared)?;
    let readers = searcher.segment_readers();
    let mut keyed = Vec::with_capacity(docs.len());
    let field = match sort {
        Sort::Quality => "quality",
        Sort::Heat => "heat",
        _ => "date",
    };
    let columns: Vec<_> = readers
        .iter()
        .map(|reader| match sort {
            Sort::Quality | Sort::Heat => reader.fast_fields().i64(field).map(Either::Number),
            _ => reader.fast_fields().date(field).map(Either::Date),
        })
        .collect::<tantivy::Result<_>>()?;
    let descending = sort != Sort::DateAscending;
    for address in docs {
        let key = match &columns[address.segment_ord as usize] {
            Either::Number(column) => column.first(address.doc_id),
            Either::Date(column) => column
                .first(address.doc_id)
                .map(|date| date.into_timestamp_nanos()),
        };
        // Present keys first, in the order asked; then the records lacking one.
        let key = match key {
            Some(key) if descending => (0u8, -i128::from(key)),
            Some(key) => (0, i128::from(key)),
            None => (1, 0),
        };
        keyed.push((key, address));
    }
    // Stable: equal keys keep the path order of `all_matches`.
    keyed.sort_by_key(|&(key, _)| key);
    Ok(keyed.into_iter().map(|(_, address)| address).collect())
}

/// A fast-field column of numbers or dates.
enum Either {
    Number(tantivy::columnar::Column<i64>),
    Date(tantivy::columnar::Column<TantivyDateTime>),
}

/// The `wanted` matches after `offset` in `sort` order, and how many match in all (counted in
/// the same pass).
fn sorted_matches(
    searcher: &Searcher,
    query: &dyn Query,
    (sort, collapse): (Sort, Option<&Collapse>),
    offset: usize,
    wanted: usize,
) -> Result<(Vec<Match>, usize)> {
    let top = TopDocs::with_limit(wanted).and_offset(offset);
    // Every order ends with the record path, so equal keys (the same date, an equal score)
    // come out the same way whichever thread indexed which document.
    let by_path = (SortByString::for_field("sort_path"), Order::Asc);
    Ok(match sort {
        Sort::Relevance => {
            let by_score = top.order_by(((SortBySimilarityScore, Order::Desc), by_path));
            let (top, total) = search_collapsed(searcher, query, (by_score, Count), collapse)?;
            let top = top.into_iter();
            (
                top.map(|((score, _), at)| (Some(score), at)).collect(),
                total,
            )
        }
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
            let by_date = top.order_by((by_date, by_path));
            let (top, total) = search_collapsed(searcher, query, (by_date, Count), collapse)?;
            (top.into_iter().map(|(_, at)| (None, at)).collect(), total)
        }
        Sort::Quality | Sort::Heat => {
            let field = if sort == Sort::Quality {
                "quality"
            } else {
                "heat"
            };
            let by_number = (SortByStaticFastValue::<i64>::for_field(field), Order::Desc);
            let by_number = top.order_by((by_number, by_path));
            let (top, total) = search_collapsed(searcher, query, (by_number, Count), collapse)?;
            (top.into_iter().map(|(_, at)| (None, at)).collect(), total)
        }
    })
}

/// Turns matches into hits: loads each document, cuts its snippet.
pub struct HitLoader<'a> {
    open: &'a OpenIndex,
    searcher: Searcher,
    snippets: Option<Snippeter>,
    /// Width of snippets, in display columns.
    pub snippet_width: usize,
    /// Load the body into each hit.
    pub with_body: bool,
    /// With `--collapse`: each hit's cluster size.
    collapse: Option<&'a Collapse>,
}

impl<'a> HitLoader<'a> {
    /// A loader for the hits of `prepared`.
    pub fn new(open: &'a OpenIndex, prepared: &'a PreparedSearch) -> Self {
        let snippets = prepared
            .node
            .as_ref()
            .map(|node| Snippeter::new(QueryBuilder::new(&open.fields).wanted(node)));
        HitLoader {
            open,
            searcher: open.reader.searcher(),
            snippets: snippets.filter(|s| !s.is_empty()),
            snippet_width: 160,
            with_body: false,
            collapse: prepared.collapse.as_ref(),
        }
    }

    /// The hit of one match.
    pub fn hit(&mut self, (score, address): Match) -> Result<SearchHit> {
        let doc: TantivyDocument = self.searcher.doc(address)?;
        let record = record_of(self.open, &doc)?;
        let body_text = doc
            .get_first(self.open.fields.body)
            .and_then(|v| v.as_str())
            .unwrap_or("");
        let width = self.snippet_width;
        // The passage comes from the body, else from the excerpt or title that matched.
        let snippet = self.snippets.as_mut().and_then(|snippets| {
            [
                Some(body_text),
                record.excerpt.as_deref(),
                record.title.as_deref(),
            ]
            .into_iter()
            .flatten()
            .find_map(|text| snippets.snippet(text, width))
        });
        let opening = record
            .title
            .is_none()
            .then(|| crate::record::opening_words(body_text, 12));
        let (snippet, highlights) =
            snippet.map_or((None, Vec::new()), |s| (Some(s.text), s.highlights));
        Ok(SearchHit {
            record,
            body: self.with_body.then(|| body_text.to_owned()),
            score,
            snippet,
            copies: self.collapse.map(|collapse| collapse.copies(address)),
            copy: None,
            highlights,
            opening,
        })
    }
}

/// A record's files, read from fast fields (no stored document is opened).
#[derive(Debug, Clone, Serialize)]
pub struct RecordPaths {
    pub path: String,
    pub body_path: Option<String>,
}

/// Reads `RecordPaths` of matches.
pub struct PathReader {
    columns: Vec<(Option<StrColumn>, Option<StrColumn>)>,
}

impl PathReader {
    /// A reader over every segment of `searcher`.
    pub fn new(searcher: &Searcher) -> Result<Self> {
        let columns = searcher
            .segment_readers()
            .iter()
            .map(|reader| {
                let fast = reader.fast_fields();
                Ok((fast.str("sort_path")?, fast.str("body_path")?))
            })
            .collect::<tantivy::Result<_>>()?;
        Ok(PathReader { columns })
    }

    /// The files of every match, in order, handed to `emit`; returns how many. Matches are
    /// resolved in batches: each dictionary block is then decompressed once per batch, not
    /// once per record (that was 70% of the time of a million paths).
    pub fn each(
        &self,
        matches: impl Iterator<Item = Match>,
        mut emit: impl FnMut(&RecordPaths) -> Result<()>,
    ) -> Result<usize> {
        let mut matches = matches.peekable();
        let mut batch = Vec::with_capacity(PATH_BATCH);
        let mut count = 0;
        while matches.peek().is_some() {
            batch.clear();
            for found in matches.by_ref().take(PATH_BATCH) {
                batch.push(found.1);
            }
            for paths in self.paths_of(&batch)? {
                emit(&paths)?;
                count += 1;
            }
        }
        Ok(count)
    }

    /// The files of the records at `addresses`, in that order.
    pub fn paths_of(&self, addresses: &[DocAddress]) -> Result<Vec<RecordPaths>> {
        let mut paths: Vec<RecordPaths> = addresses
            .iter()
            .map(|_| RecordPaths {
                path: String::new(),
                body_path: None,
            })
            .collect();
        read_in_ord_order(
            addresses,
            |s| self.columns[s].0.as_ref(),
            |at, text| {
                paths[at].path = text;
            },
        )?;
        read_in_ord_order(
            addresses,
            |s| self.columns[s].1.as_ref(),
            |at, text| {
                paths[at].body_path = Some(text);
            },
        )?;
        Ok(paths)
    }
}

/// Matches whose paths are read together: a few megabytes of paths. Sorted output (by date)
/// scatters a batch over the whole dictionary, so each batch decompresses most of its blocks;
/// 65,536 took a million paths by date from 24 s (4,096) to 5.5 s.
const PATH_BATCH: usize = 65_536;

/// Reads the value of a string column for each of `addresses` (those that have one), looking
/// the values up segment by segment in dictionary order, and hands each to `set` with the
/// position of its address.
fn read_in_ord_order<'c>(
    addresses: &[DocAddress],
    column_of: impl Fn(usize) -> Option<&'c StrColumn>,
    mut set: impl FnMut(usize, String),
) -> Result<()> {
    let mut wanted: Vec<(u32, u64, usize)> = Vec::with_capacity(addresses.len());
    for (at, address) in addresses.iter().enumerate() {
        let segment = address.segment_ord;
        let Some(column) = column_of(segment as usize) else {
            continue;
        };
        if let Some(ord) = column.term_ords(address.doc_id).next() {
            wanted.push((segment, ord, at));
        }
    }
    wanted.sort_unstable();
    for group in wanted.chunk_by(|a, b| a.0 == b.0) {
        let Some(column) = column_of(group[0].0 as usize) else {
            continue;
        };
        let ords: Vec<u64> = group.iter().map(|&(_, ord, _)| ord).collect();
        let mut next = group.iter();
        column.dictionary().sorted_ords_to_term_cb(&ords, |bytes| {
            if let Some(&(_, _, at)) = next.next() {
                set(at, String::from_utf8_lossy(bytes).into_owned());
            }
        })?;
    }
    Ok(())
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
    if is_id_prefix(&lower) {
        match ids_with_prefix(&searcher, open.fields.id, &lower)?.as_slice() {
            [] => {}
            [one] => terms.push(Term::from_field_text(open.fields.id, one)),
            many => {
                // Exact names win over a prefix, as in git.
                if let Some(found) = first_of(open, &searcher, &terms)? {
                    return Ok(Some(found));
                }
                return Err(AmbiguousId {
                    prefix: lower.clone(),
                    ids: many.to_vec(),
                }
                .into());
            }
        }
    }
    first_of(open, &searcher, &terms)
}

/// An id prefix that several records share.
#[derive(Debug, thiserror::Error)]
#[error("the id prefix `{prefix}` is ambiguous: it matches {}; give more digits", .ids.join(", "))]
pub struct AmbiguousId {
    pub prefix: String,
    pub ids: Vec<String>,
}

/// Six to fifteen hex digits: a prefix of a record id (git's rule, with a floor of six).
fn is_id_prefix(text: &str) -> bool {
    (6..16).contains(&text.len()) && text.bytes().all(|b| matches!(b, b'0'..=b'9' | b'a'..=b'f'))
}

/// The ids of live records that start with `prefix`, from the id term dictionaries.
fn ids_with_prefix(
    searcher: &Searcher,
    field: tantivy::schema::Field,
    prefix: &str,
) -> Result<Vec<String>> {
    let mut upper = prefix.as_bytes().to_vec();
    // Hex digits and `f` + 1 is `g`, so bumping the last byte bounds the range.
    if let Some(last) = upper.last_mut() {
        *last += 1;
    }
    let mut ids: Vec<String> = Vec::new();
    for reader in searcher.segment_readers() {
        let inverted = reader.inverted_index(field)?;
        let mut stream = inverted
            .terms()
            .range()
            .ge(prefix.as_bytes())
            .lt(&upper)
            .into_stream()?;
        while stream.advance() {
            let id = String::from_utf8_lossy(stream.key()).into_owned();
            if !ids.contains(&id) {
                ids.push(id);
            }
        }
    }
    // The dictionary keeps terms of deleted documents until a merge: keep live ones only.
    let mut live = Vec::new();
    for id in ids {
        if first_match(searcher, Term::from_field_text(field, &id))?.is_some() {
            live.push(id);
        }
    }
    live.sort();
    Ok(live)
}

fn first_of(
    open: &OpenIndex,
    searcher: &Searcher,
    terms: &[Term],
) -> Result<Option<(Record, String)>> {
    for term in terms {
        if let Some(address) = first_match(searcher, term.clone())? {
            let doc: TantivyDocument = searcher.doc(address)?;
            return Ok(Some((record_of(open, &doc)?, body_of(open, &doc))));
        }
    }
    Ok(None)
}

/// A path given from anywhere (absolute, or relative to the current folder) made relative to
/// the archive root, when it lies inside it.
fn relative_to_archive(open: &OpenIndex, key: &str) -> Option<String> {
    // A name that is not UTF-8 reached here decoded (see `cli::file_name_text`).
    let on_disk = match crate::walk::may_be_escaped(key) {
        true => crate::walk::find_by_name_text(&std::env::current_dir().ok()?, key)?,
        false => std::path::PathBuf::from(key),
    };
    let absolute = on_disk.canonicalize().ok()?;
    let rel = absolute.strip_prefix(&open.payload.archive).ok()?;
    let parts: Vec<String> = rel
        .components()
        .map(|c| crate::walk::name_text(c.as_os_str()).into_owned())
        .collect();
    Some(parts.join("/"))
}

fn first_match(searcher: &Searcher, term: Term) -> Result<Option<DocAddress>> {
    let query = TermQuery::new(term, IndexRecordOption::Basic);
    let found = searcher.search(&query, &TopDocs::with_limit(1).order_by_score())?;
    Ok(found.into_iter().next().map(|(_, address)| address))
}
