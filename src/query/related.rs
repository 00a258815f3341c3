//! Related links, both ways: an article's outgoing `related` entries (with the archive record
//! each points at, matched on any of its URLs), the articles that list it (incoming), and the
//! articles that cite the same links (co-cited). Every lookup is a term query on the canonical
//! `url` and `links` fields, never a scan.

use std::collections::{BTreeMap, HashMap, HashSet, VecDeque};

use anyhow::Result;
use serde::Serialize;
use serde_json::Value;
use tantivy::query::{BooleanQuery, Occur, Query, TermQuery};
use tantivy::schema::IndexRecordOption;
use tantivy::{Searcher, TantivyDocument};

use super::{all_matches, lookup, record_of};
use crate::index::schema::lookup_term;
use crate::index::OpenIndex;
use crate::record::identity::{canonical_url, canonical_urls_of};
use crate::record::{Provider, Record};

/// One row of `related` output.
#[derive(Debug, Clone, Serialize)]
#[serde(tag = "relation", rename_all = "lowercase")]
pub enum RelatedRow {
    /// An entry of the article's own related list.
    Outgoing {
        url: Option<String>,
        title: Option<String>,
        date: Option<String>,
        provider: Option<Provider>,
        /// The archive record it points at, if any.
        id: Option<String>,
    },
    /// An archive article that lists this one as related.
    Incoming {
        id: String,
        path: String,
        title: Option<String>,
        url: Option<String>,
    },
    /// An archive article that shares related links with this one.
    Cocited {
        id: String,
        path: String,
        title: Option<String>,
        url: Option<String>,
        /// How many related links the two share.
        shared: usize,
    },
}

/// What `related` found.
#[derive(Debug)]
pub struct Related {
    /// The article asked about, when it is in the archive.
    pub article: Option<Record>,
    pub rows: Vec<RelatedRow>,
}

/// Canonical forms of every URL of a record (from its front matter).
pub fn record_urls(record: &Record) -> Vec<String> {
    let mut urls = urls_of(&Value::Object(record.meta.clone()));
    if let Some(url) = record.url.as_deref().and_then(canonical_url) {
        if !urls.contains(&url) {
            urls.push(url);
        }
    }
    urls
}

/// Canonical URLs under the URL keys of a mapping (an article or a related stub), or of a
/// plain URL string.
fn urls_of(value: &Value) -> Vec<String> {
    match value {
        Value::Object(map) => canonical_urls_of(map),
        Value::String(url) => canonical_url(url).into_iter().collect(),
        _ => Vec::new(),
    }
}

/// Canonical URL lists of each related entry, in the article's order.
pub fn related_entries(record: &Record) -> Vec<Vec<String>> {
    match record.meta.get("related") {
        // The same items the record's `related` list was made of, so the two line up.
        Some(Value::Array(items)) => items
            .iter()
            .filter(|item| matches!(item, Value::Object(_) | Value::String(_)))
            .map(urls_of)
            .collect(),
        Some(single @ Value::Object(_)) => vec![urls_of(single)],
        _ => Vec::new(),
    }
}

/// Each related link of a record with its canonical URLs (from the front matter's stub, else
/// from the link's own `url`).
fn links_with_urls(record: &Record) -> Vec<(&crate::record::RelatedLink, Vec<String>)> {
    let entries = related_entries(record);
    record
        .related
        .iter()
        .enumerate()
        .map(|(at, link)| {
            let urls = match entries.get(at) {
                Some(urls) if !urls.is_empty() => urls.clone(),
                _ => link
                    .url
                    .as_deref()
                    .and_then(canonical_url)
                    .into_iter()
                    .collect(),
            };
            (link, urls)
        })
        .collect()
}

/// Records whose `field` holds any of `values`, each once.
fn records_with_any(
    open: &OpenIndex,
    searcher: &Searcher,
    field: tantivy::schema::Field,
    values: &[String],
) -> Result<Vec<Record>> {
    if values.is_empty() {
        return Ok(Vec::new());
    }
    let clauses: Vec<(Occur, Box<dyn Query>)> = values
        .iter()
        .map(|value| {
            let term = lookup_term(field, value);
            (
                Occur::Should,
                Box::new(TermQuery::new(term, IndexRecordOption::Basic)) as Box<dyn Query>,
            )
        })
        .collect();
    let query = BooleanQuery::new(clauses);
    let mut records = Vec::new();
    for address in all_matches(searcher, &query)? {
        let doc: TantivyDocument = searcher.doc(address)?;
        records.push(record_of(open, &doc)?);
    }
    Ok(records)
}

/// Newest first, then by path, with undated records last.
fn by_date_desc(a: &Record, b: &Record) -> std::cmp::Ordering {
    match (&a.date, &b.date) {
        (Some(x), Some(y)) => y.cmp(x),
        (Some(_), None) => std::cmp::Ordering::Less,
        (None, Some(_)) => std::cmp::Ordering::Greater,
        (None, None) => std::cmp::Ordering::Equal,
    }
    .then_with(|| a.path.cmp(&b.path))
}

/// The outgoing, incoming and co-cited links of the record named by `key` (id, URL or path),
/// or, for a URL that is not an archive article, the articles linking to it. `None` when `key`
/// names nothing. `limit` applies to each relation.
pub fn related(open: &OpenIndex, key: &str, limit: Option<usize>) -> Result<Option<Related>> {
    let searcher = open.reader.searcher();
    let article = lookup(open, key)?.map(|(record, _)| record);
    let (own_urls, entries) = match &article {
        Some(record) => (record_urls(record), related_entries(record)),
        None => match canonical_url(key).filter(|u| u.contains("://")) {
            Some(url) => (vec![url], Vec::new()),
            None => return Ok(None),
        },
    };
    let own_id = article.as_ref().map(|r| r.id.clone());
    let limit = limit.unwrap_or(usize::MAX);
    let mut rows = Vec::new();

    if let Some(record) = &article {
        let mut seen: HashSet<Vec<String>> = HashSet::new();
        for (link, urls) in links_with_urls(record) {
            // The same link listed twice is one outgoing row.
            if !urls.is_empty() && !seen.insert(urls.clone()) {
                continue;
            }
            if rows.len() >= limit {
                break;
            }
            let target = records_with_any(open, &searcher, open.fields.url, &urls)?;
            rows.push(RelatedRow::Outgoing {
                url: link.url.clone(),
                title: link.title.clone(),
                date: link.date.clone(),
                provider: link.provider.clone(),
                id: target.first().map(|r| r.id.clone()),
            });
        }
    }

    let mut incoming = records_with_any(open, &searcher, open.fields.links, &own_urls)?;
    incoming.retain(|r| Some(&r.id) != own_id.as_ref());
    incoming.sort_by(by_date_desc);
    rows.extend(
        incoming
            .into_iter()
            .take(limit)
            .map(|r| RelatedRow::Incoming {
                id: r.id,
                path: r.path,
                title: r.title,
                url: r.url,
            }),
    );

    if article.is_some() {
        let mut shared: HashMap<String, (Record, usize)> = HashMap::new();
        // Count each related entry once, whichever of its URLs the other article used; an
        // entry that is an archive article stands for every URL of that article.
        for mut urls in unique_entries(&entries) {
            if let Some(target) = records_with_any(open, &searcher, open.fields.url, &urls)?.first()
            {
                for url in record_urls(target) {
                    if !urls.contains(&url) {
                        urls.push(url);
                    }
                }
            }
            for other in records_with_any(open, &searcher, open.fields.links, &urls)? {
                if Some(&other.id) == own_id.as_ref() {
                    continue;
                }
                shared.entry(other.id.clone()).or_insert((other, 0)).1 += 1;
            }
        }
        let mut cocited: Vec<(Record, usize)> = shared.into_values().collect();
        cocited.sort_by(|(a, n), (b, m)| m.cmp(n).then_with(|| by_date_desc(a, b)));
        rows.extend(
            cocited
                .into_iter()
                .take(limit)
                .map(|(r, shared)| RelatedRow::Cocited {
                    id: r.id,
                    path: r.path,
                    title: r.title,
                    url: r.url,
                    shared,
                }),
        );
    }
    Ok(Some(Related { article, rows }))
}

/// Related entries with duplicates (same canonical URLs) removed.
fn unique_entries(entries: &[Vec<String>]) -> Vec<Vec<String>> {
    let mut unique: Vec<Vec<String>> = Vec::new();
    for urls in entries {
        if !urls.is_empty()
            && !unique
                .iter()
                .any(|known| known.iter().any(|u| urls.contains(u)))
        {
            unique.push(urls.clone());
        }
    }
    unique
}

/// A node of the link graph: an archive article, or a URL outside the archive.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Node {
    /// Record id, or the canonical URL of an outside link.
    pub key: String,
    pub label: String,
    pub in_archive: bool,
}

/// The link graph around an article.
#[derive(Debug, Default)]
pub struct Graph {
    pub nodes: Vec<Node>,
    /// (from, to): `from` lists `to` as related.
    pub edges: Vec<(usize, usize)>,
    /// True when `max_nodes` stopped the walk.
    pub truncated: bool,
}

/// Follows outgoing and incoming links from `root` up to `depth` steps, with at most
/// `max_nodes` nodes so that a dense archive cannot explode the output.
pub fn link_graph(
    open: &OpenIndex,
    root: &Record,
    depth: usize,
    max_nodes: usize,
) -> Result<Graph> {
    let searcher = open.reader.searcher();
    let mut graph = Graph::default();
    let mut index_of: BTreeMap<String, usize> = BTreeMap::new();
    let mut edges: HashSet<(usize, usize)> = HashSet::new();
    let label = |record: &Record| record.title.clone().unwrap_or_else(|| record.path.clone());
    let mut add_node = |graph: &mut Graph, node: Node| -> Option<usize> {
        if let Some(&at) = index_of.get(&node.key) {
            return Some(at);
        }
        if graph.nodes.len() >= max_nodes {
            graph.truncated = true;
            return None;
        }
        index_of.insert(node.key.clone(), graph.nodes.len());
        graph.nodes.push(node);
        Some(graph.nodes.len() - 1)
    };
    let root_at = add_node(
        &mut graph,
        Node {
            key: root.id.clone(),
            label: label(root),
            in_archive: true,
        },
    )
    .unwrap_or_default();
    let mut queue = VecDeque::from([(root.clone(), root_at, 0usize)]);
    let mut expanded = HashSet::new();
    while let Some((record, at, level)) = queue.pop_front() {
        if level >= depth || !expanded.insert(record.id.clone()) {
            continue;
        }
        for (link, urls) in links_with_urls(&record) {
            let Some(first) = urls.first().cloned() else {
                continue;
            };
            let target = records_with_any(open, &searcher, open.fields.url, &urls)?
                .into_iter()
                .next();
            let to = match &target {
                Some(target) => add_node(
                    &mut graph,
                    Node {
                        key: target.id.clone(),
                        label: label(target),
                        in_archive: true,
                    },
                ),
                None => add_node(
                    &mut graph,
                    Node {
                        key: first,
                        label: link
                            .title
                            .clone()
                            .or_else(|| link.url.clone())
                            .unwrap_or_default(),
                        in_archive: false,
                    },
                ),
            };
            if let Some(to) = to {
                edges.insert((at, to));
                if let Some(target) = target {
                    queue.push_back((target, to, level + 1));
                }
            }
        }
        for source in records_with_any(open, &searcher, open.fields.links, &record_urls(&record))? {
            if source.id == record.id {
                continue;
            }
            if let Some(from) = add_node(
                &mut graph,
                Node {
                    key: source.id.clone(),
                    label: label(&source),
                    in_archive: true,
                },
            ) {
                edges.insert((from, at));
                queue.push_back((source, from, level + 1));
            }
        }
    }
    let mut edges: Vec<(usize, usize)> = edges.into_iter().collect();
    edges.sort_unstable();
    graph.edges = edges;
    Ok(graph)
}
