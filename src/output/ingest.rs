//! Documents for distributed search engines: `export --format quickwit` (NDJSON for
//! `quickwit index ingest`) and `export --format elasticsearch` (the `_bulk` API: an action line
//! with `_id` = record id, then the document). Field names and types agree with the shipped
//! `deploy/quickwit/newsidx.yaml` and `deploy/elasticsearch/newsidx.mapping.json`.

use std::io::{self, Write};

use serde::Serialize;
use serde_json::{Map, Value};

use crate::query::related::{record_urls, related_entries};
use crate::record::Record;

/// One record flattened for an engine: no nested objects but `meta`, canonical URLs as keyword
/// lists, the body included.
#[derive(Debug, Serialize)]
pub struct EngineDoc<'a> {
    pub id: &'a str,
    pub kind: &'static str,
    pub path: &'a str,
    pub body_path: Option<&'a str>,
    pub title: Option<&'a str>,
    pub excerpt: Option<&'a str>,
    pub body: &'a str,
    /// RFC 3339 UTC, `Z`; fractional seconds only when the source had them.
    pub date: Option<&'a str>,
    pub url: Option<&'a str>,
    /// Canonical forms of every URL of the article.
    pub urls: Vec<String>,
    pub provider_name: Option<&'a str>,
    pub provider_domain: Option<&'a str>,
    pub topics: &'a [String],
    pub tags: &'a [String],
    pub category: Option<&'a str>,
    #[serde(rename = "type")]
    pub doc_type: Option<&'a str>,
    pub quality: Option<i64>,
    pub heat: Option<i64>,
    /// Canonical forms of every related URL.
    pub links: Vec<String>,
    pub related_titles: Vec<&'a str>,
    pub meta: &'a Map<String, Value>,
}

impl<'a> EngineDoc<'a> {
    /// The engine document of a record and its body.
    pub fn new(record: &'a Record, body: &'a str) -> Self {
        let provider = record.provider.as_ref();
        let mut links: Vec<String> = related_entries(record).into_iter().flatten().collect();
        links.sort();
        links.dedup();
        EngineDoc {
            id: &record.id,
            kind: record.kind.as_str(),
            path: &record.path,
            body_path: record.body_path.as_deref(),
            title: record.title.as_deref(),
            excerpt: record.excerpt.as_deref(),
            body,
            date: record.date.as_deref(),
            url: record.url.as_deref(),
            urls: record_urls(record),
            provider_name: provider.and_then(|p| p.name.as_deref()),
            provider_domain: provider.and_then(|p| p.domain.as_deref()),
            topics: &record.topics,
            tags: &record.tags,
            category: record.category.as_deref(),
            doc_type: record.doc_type.as_deref(),
            quality: record.quality,
            heat: record.heat,
            links,
            related_titles: record
                .related
                .iter()
                .filter_map(|r| r.title.as_deref())
                .collect(),
            meta: &record.meta,
        }
    }
}

/// Which engine to write for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Engine {
    Quickwit,
    /// Elasticsearch or OpenSearch `_bulk`, into the named index.
    Elasticsearch,
}

/// Writes one document in the engine's NDJSON form (every line ends with `\n`, as `_bulk`
/// requires of the last one too).
pub fn write_engine_doc(
    out: &mut impl Write,
    engine: Engine,
    index: &str,
    doc: &EngineDoc<'_>,
) -> io::Result<()> {
    if engine == Engine::Elasticsearch {
        let action = serde_json::json!({"index": {"_index": index, "_id": doc.id}});
        serde_json::to_writer(&mut *out, &action)?;
        out.write_all(b"\n")?;
    }
    serde_json::to_writer(&mut *out, doc)?;
    out.write_all(b"\n")
}
