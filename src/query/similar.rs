//! `similar`: the records most like one record, by a query built from its own text.
//!
//! The query is the record's top terms by tf-idf (title words count twice), tokenised as the
//! index tokenises title and body, each a `Should` clause boosted by its weight, plus its
//! topics as boosted exact terms. Document frequencies and the document count both include
//! deleted, unmerged documents (`max_doc`), so the idf is consistent after incremental
//! builds; tantivy's `MoreLikeThisQuery` mixes the two and panics there (tantivy PR #2964).

use std::collections::HashMap;

use anyhow::Result;
use tantivy::collector::TopDocs;
use tantivy::query::{BooleanQuery, BoostQuery, Occur, Query, TermQuery};
use tantivy::schema::IndexRecordOption;
use tantivy::tokenizer::TokenStream;
use tantivy::{DocAddress, Searcher, TantivyDocument, Term};

use super::dups::{fingerprint_at, DEFAULT_THRESHOLD};
use super::filters::Filters;
use super::{body_of, record_of, SearchHit};
use crate::fingerprint::Fingerprint;
use crate::index::OpenIndex;
use crate::record::Record;

/// Terms of the record that make the query.
const QUERY_TERMS: usize = 30;

/// Title words count this many times a body word.
const TITLE_WEIGHT: f32 = 2.0;

/// A topic clause weighs this much against the heaviest term.
const TOPIC_BOOST: f32 = 0.5;

/// Terms shorter than this are left out (initials, stray digits).
const MIN_TERM_CHARS: usize = 2;

/// A `similar` request.
#[derive(Debug, Clone)]
pub struct SimilarRequest {
    pub filters: Filters,
    pub limit: usize,
}

/// The records most like `record` (whose stored body is `body`), best first, each scored
/// against the record's own score; the record itself is left out, and near-duplicates carry
/// `copy: true`.
pub fn similar(
    open: &OpenIndex,
    record: &Record,
    body: &str,
    request: &SimilarRequest,
) -> Result<Vec<SearchHit>> {
    let searcher = open.reader.searcher();
    let Some(SimilarityQuery {
        query: text_query,
        shared,
    }) = similarity_query(open, &searcher, record, body)?
    else {
        return Ok(Vec::new());
    };
    let own_id = Term::from_field_text(open.fields.id, &record.id);
    let (self_score, own_address) = self_score(&searcher, text_query.as_ref(), &own_id)?;
    let mut clauses: Vec<(Occur, Box<dyn Query>)> = vec![(Occur::Must, text_query)];
    clauses.extend(
        request
            .filters
            .queries(&open.fields)
            .into_iter()
            .map(|q| (Occur::Must, q)),
    );
    let query = BooleanQuery::new(clauses);
    // 0 = all; no limit asks for more than every other record.
    let records = usize::try_from(searcher.num_docs()).unwrap_or(usize::MAX);
    let limit = match request.limit {
        0 => records,
        limit => limit.min(records),
    };
    let top = searcher.search(&query, &TopDocs::with_limit(limit + 1).order_by_score())?;
    let own = Fingerprint::of_text(record.title.as_deref(), body);
    let mut hits = Vec::with_capacity(top.len());
    let others = top
        .into_iter()
        .filter(|(_, address)| Some(*address) != own_address);
    for (score, address) in others.take(limit) {
        let doc: TantivyDocument = searcher.doc(address)?;
        let hit_record = record_of(open, &doc)?;
        // BM25 can score a short record above the record itself; past 1 means nothing.
        let score = (score / self_score).min(1.0) * shared;
        let resemblance = match (&own, fingerprint_at(&searcher, address)?) {
            (Some(own), Some(other)) => own.resemblance(&other),
            _ => 0.0,
        };
        let copy = resemblance >= DEFAULT_THRESHOLD;
        let opening = hit_record
            .title
            .is_none()
            .then(|| crate::record::opening_words(&body_of(open, &doc), 12));
        let hit = SearchHit {
            record: hit_record,
            body: None,
            score: Some(score),
            snippet: None,
            copies: None,
            copy: Some(copy),
            highlights: Vec::new(),
            opening,
        };
        hits.push((hit, resemblance));
    }
    // Capped scores tie (a short record that has the query's words scores 1 as a copy does):
    // the closer text comes first.
    hits.sort_by(|(a, a_like), (b, b_like)| {
        let score = |hit: &SearchHit| hit.score.unwrap_or(0.0);
        score(b)
            .total_cmp(&score(a))
            .then(b_like.total_cmp(a_like))
            .then_with(|| a.record.path.cmp(&b.record.path))
    });
    Ok(hits.into_iter().map(|(hit, _)| hit).collect())
}

/// The score of the record itself under its own query, and where it is: hits' scores are
/// divided by it, so that they compare across records (1 = as alike as the record is to
/// itself). BM25 scores divided by the best hit's instead gave r = 0.51 on the Lee corpus of
/// BENCHMARKS.md, these 0.59.
fn self_score(
    searcher: &Searcher,
    query: &dyn Query,
    own_id: &Term,
) -> Result<(f32, Option<DocAddress>)> {
    let own = TermQuery::new(own_id.clone(), IndexRecordOption::Basic);
    let both = BooleanQuery::new(vec![
        (Occur::Must, query.box_clone()),
        // Scores nothing: it only picks the record out.
        (Occur::Must, Box::new(BoostQuery::new(Box::new(own), 0.0))),
    ]);
    let top = searcher.search(&both, &TopDocs::with_limit(1).order_by_score())?;
    Ok(match top.first() {
        Some(&(score, address)) => (score.max(f32::MIN_POSITIVE), Some(address)),
        None => (1.0, None),
    })
}

/// The query `similar` runs, and what share of the record's text it can find elsewhere.
struct SimilarityQuery {
    query: Box<dyn Query>,
    /// The tf-idf weight of the record's terms that other records have, over that of all its
    /// terms: a hit's score is scaled by it, so that a record whose telling words are its
    /// own does not score 1 against one that shares only its common words.
    shared: f32,
}

/// The tf-idf query of a record's text; `None` when no term of it is found elsewhere.
fn similarity_query(
    open: &OpenIndex,
    searcher: &Searcher,
    record: &Record,
    body: &str,
) -> Result<Option<SimilarityQuery>> {
    // Per term: its weighted frequency, and in how many of the record's own fields it is.
    let mut frequencies: HashMap<String, (f32, u64)> = HashMap::new();
    let mut analyzer = open.index.tokenizer_for_field(open.fields.body)?;
    for (text, weight) in [
        (record.title.as_deref().unwrap_or(""), TITLE_WEIGHT),
        (body, 1.0),
    ] {
        let mut seen_here = std::collections::HashSet::new();
        let mut stream = analyzer.token_stream(text);
        while let Some(token) = stream.next() {
            if token.text.chars().count() >= MIN_TERM_CHARS {
                let entry = frequencies.entry(token.text.clone()).or_default();
                entry.0 += weight;
                if seen_here.insert(token.text.clone()) {
                    entry.1 += 1;
                }
            }
        }
    }
    let max_doc: u64 = searcher
        .segment_readers()
        .iter()
        .map(|s| u64::from(s.max_doc()))
        .sum();
    // Each segment's two term dictionaries are fetched once, and looked up in term order
    // (neighbouring lookups share FST nodes): these lookups were a fifth of a call (perf).
    let dictionaries = searcher
        .segment_readers()
        .iter()
        .map(|segment| {
            Ok((
                segment.inverted_index(open.fields.body)?,
                segment.inverted_index(open.fields.title)?,
            ))
        })
        .collect::<tantivy::Result<Vec<_>>>()?;
    let mut terms: Vec<(String, (f32, u64))> = frequencies.into_iter().collect();
    terms.sort_unstable_by(|a, b| a.0.cmp(&b.0));
    let mut weighted: Vec<(String, f32)> = Vec::with_capacity(terms.len());
    let (mut all_weight, mut shared_weight) = (0.0f32, 0.0f32);
    for (term, (tf, own_fields)) in terms {
        let (in_body, in_title) = (
            Term::from_field_text(open.fields.body, &term),
            Term::from_field_text(open.fields.title, &term),
        );
        let mut df = 0u64;
        for (body, title) in &dictionaries {
            df += u64::from(body.doc_freq(&in_body)?) + u64::from(title.doc_freq(&in_title)?);
        }
        // Smoothed (BM25's form), so that a term every record has still weighs a little:
        // with `ln(N / df)` it weighed 0, and an archive of copies gave an empty query.
        let clamped = df.clamp(1, max_doc.max(1)) as f32;
        let idf = (1.0 + (max_doc as f32 - clamped + 0.5) / (clamped + 0.5)).ln();
        let weight = (1.0 + tf.ln()) * idf;
        all_weight += weight;
        // A term only this record has cannot find another. (The record itself counts once
        // per field it has the term in; a deleted, unmerged copy of it may count too.)
        if df <= own_fields {
            continue;
        }
        shared_weight += weight;
        weighted.push((term, weight));
    }
    weighted.sort_by(|a, b| b.1.total_cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
    weighted.truncate(QUERY_TERMS);
    let Some(&(_, heaviest)) = weighted.first() else {
        return Ok(None);
    };
    let heaviest = if heaviest > 0.0 { heaviest } else { 1.0 };
    let mut clauses: Vec<(Occur, Box<dyn Query>)> = Vec::new();
    for (term, weight) in &weighted {
        for field in [open.fields.body, open.fields.title] {
            let query = TermQuery::new(
                Term::from_field_text(field, term),
                IndexRecordOption::WithFreqs,
            );
            clauses.push((
                Occur::Should,
                Box::new(BoostQuery::new(Box::new(query), weight / heaviest)),
            ));
        }
    }
    for topic in &record.topics {
        let query = TermQuery::new(
            Term::from_field_text(open.fields.topic, &topic.trim().to_lowercase()),
            IndexRecordOption::Basic,
        );
        clauses.push((
            Occur::Should,
            Box::new(BoostQuery::new(Box::new(query), TOPIC_BOOST)),
        ));
    }
    let shared = if all_weight > 0.0 {
        (shared_weight / all_weight).clamp(0.0, 1.0)
    } else {
        1.0
    };
    Ok(Some(SimilarityQuery {
        query: Box::new(BooleanQuery::new(clauses)),
        shared,
    }))
}
