//! Why a search found nothing, in words a person can act on: a filter that alone matches no
//! record (with the nearest value the index has: `--provider Dasko` → `Dasko Telegraph`), or
//! a word the index does not have (with the nearest word it has, found by edit distance in the
//! term dictionary).

use anyhow::Result;
use tantivy::collector::{Count, TopDocs};
use tantivy::query::{FuzzyTermQuery, Query, TermQuery};
use tantivy::schema::{Field, IndexRecordOption};
use tantivy::{Searcher, TantivyDocument, Term};

use super::filters::{combine, DateFlag, Filters};
use super::snippet::edit_distance;
use super::text::{Node, QueryBuilder};
use super::{body_of, record_of};
use crate::index::schema::text_analyzer;
use crate::index::words::is_cjk_text;
use crate::index::OpenIndex;

/// The hint for a search of `node` and `filters` that matched nothing, if one can be given.
pub fn empty_hint(
    open: &OpenIndex,
    node: Option<&Node>,
    filters: &Filters,
) -> Result<Option<String>> {
    let searcher = open.reader.searcher();
    if searcher.num_docs() == 0 {
        return Ok(Some("the index has no records".to_owned()));
    }
    if let Some(hint) = filter_hint(open, &searcher, filters)? {
        return Ok(Some(hint));
    }
    let Some(node) = node else {
        return Ok(Some("the filters together match no record".to_owned()));
    };
    let wanted = QueryBuilder::new(&open.fields).wanted(node);
    let fields = [open.fields.title, open.fields.excerpt, open.fields.body];
    for (words, text) in wanted.words.iter().zip(&wanted.texts) {
        for word in words {
            if doc_freq(&searcher, &fields, word)? > 0 {
                continue;
            }
            if is_cjk_text(word) {
                // A bigram is not a word the user wrote: name what they wrote.
                return Ok(Some(format!("no record has `{text}`")));
            }
            let quoted = format!("no record has the word `{word}`");
            return Ok(Some(match nearest_term(open, &searcher, &fields, word)? {
                Some(near) => format!("{quoted}; did you mean `{near}`?"),
                None => quoted,
            }));
        }
    }
    let text_alone = QueryBuilder::new(&open.fields).build(node);
    let text_count = searcher.search(text_alone.as_ref(), &Count)?;
    Ok(Some(if text_count > 0 {
        format!("the query alone matches {text_count} records, none of them within the filters")
    } else if wanted.words.is_empty() {
        "no record has that value".to_owned()
    } else if wanted.words.iter().any(|words| words.len() > 1) {
        "every word is in the index, but not in that order or not all in one record".to_owned()
    } else {
        "every word is in the index, but no record matches them all; try fewer words or OR"
            .to_owned()
    }))
}

/// One filter alone: how the user wrote it, the filter, and for a keyword filter its field
/// and value.
type SingleFilter = (String, Filters, Option<(&'static str, String)>);

/// A filter that on its own matches nothing, with the nearest indexed value when it is a
/// keyword filter.
fn filter_hint(open: &OpenIndex, searcher: &Searcher, filters: &Filters) -> Result<Option<String>> {
    let mut singles: Vec<SingleFilter> = Vec::new();
    let one = |f: &dyn Fn(&mut Filters)| {
        let mut single = Filters::default();
        f(&mut single);
        single
    };
    for topic in &filters.topics {
        singles.push((
            format!("--topic {topic}"),
            one(&|f| f.topics = vec![topic.clone()]),
            Some(("topic", topic.clone())),
        ));
    }
    for tag in &filters.tags {
        singles.push((
            format!("--tag {tag}"),
            one(&|f| f.tags = vec![tag.clone()]),
            Some(("tag", tag.clone())),
        ));
    }
    let keywords = [
        ("provider", &filters.provider),
        ("domain", &filters.domain),
        ("category", &filters.category),
        ("type", &filters.doc_type),
    ];
    for (name, value) in keywords {
        if let Some(value) = value {
            let mut single = Filters::default();
            match name {
                "provider" => single.provider = Some(value.clone()),
                "domain" => single.domain = Some(value.clone()),
                "category" => single.category = Some(value.clone()),
                _ => single.doc_type = Some(value.clone()),
            }
            singles.push((
                format!("--{name} {value}"),
                single,
                Some((name, value.clone())),
            ));
        }
    }
    if let Some(kind) = filters.kind {
        singles.push((
            format!("--kind {}", kind.as_str()),
            one(&|f| f.kind = Some(kind)),
            None,
        ));
    }
    let date_flags = if filters.date_flags.is_empty() {
        written_dates(filters)
    } else {
        filters.date_flags.clone()
    };
    for flag in &date_flags {
        let single = one(&|f| {
            f.since = flag.since;
            f.before = flag.before;
        });
        singles.push((flag.written.clone(), single, None));
    }
    if let Some(min) = filters.min_quality {
        singles.push((
            format!("--min-quality {min}"),
            one(&|f| f.min_quality = Some(min)),
            None,
        ));
    }
    if let Some(url) = &filters.links_to {
        let single = one(&|f| {
            f.links_to = Some(url.clone());
            f.links_to_any = filters.links_to_any.clone();
        });
        singles.push((format!("--links-to {url}"), single, None));
    }
    for (flag, single, keyword) in singles {
        let query = combine(None, single.queries(&open.fields));
        if searcher.search(query.as_ref(), &Count)? > 0 {
            continue;
        }
        let near = match keyword {
            Some((field, value)) => nearest_value(searcher, field, &value)?,
            None => None,
        };
        return Ok(Some(match near {
            Some(near) => format!("`{flag}` alone matches no record; did you mean `{near}`?"),
            None => format!("`{flag}` alone matches no record"),
        }));
    }
    // Each date flag matches something, but their days do not meet (`--since 2020 --date 2013`).
    if date_flags.len() > 1 {
        let single = one(&|f| {
            f.since = filters.since;
            f.before = filters.before;
        });
        let query = combine(None, single.queries(&open.fields));
        if searcher.search(query.as_ref(), &Count)? == 0 {
            let written: Vec<&str> = date_flags.iter().map(|f| f.written.as_str()).collect();
            return Ok(Some(format!(
                "`{}` together match no record",
                written.join(" ")
            )));
        }
    }
    Ok(None)
}

/// The date range of filters made without flags, written as the flags that give it.
fn written_dates(filters: &Filters) -> Vec<DateFlag> {
    let mut flags = Vec::new();
    if let Some(since) = filters.since {
        flags.push(DateFlag {
            written: format!("--since {}", since.format("%Y-%m-%d")),
            since: Some(since),
            before: None,
        });
    }
    if let Some(before) = filters.before {
        let last = before - chrono::Duration::nanoseconds(1);
        flags.push(DateFlag {
            written: format!("--until {}", last.format("%Y-%m-%d")),
            since: None,
            before: Some(before),
        });
    }
    flags
}

/// The indexed value of a keyword field nearest to `value`: one that contains it (the
/// shortest), else the one fewest edits away.
fn nearest_value(searcher: &Searcher, field: &str, value: &str) -> Result<Option<String>> {
    let wanted = value.trim().to_lowercase();
    let mut best: Option<(usize, usize, String)> = None;
    for reader in searcher.segment_readers() {
        let Some(column) = reader.fast_fields().str(field)? else {
            continue;
        };
        let mut stream = column.dictionary().stream()?;
        while stream.advance() {
            let candidate = String::from_utf8_lossy(stream.key()).into_owned();
            let lower = candidate.to_lowercase();
            let rank = if lower.contains(&wanted) || wanted.contains(&lower) {
                (0, lower.len().abs_diff(wanted.len()))
            } else {
                let distance = edit_distance(&lower, &wanted);
                if distance > (wanted.chars().count() / 3).max(2) {
                    continue;
                }
                (distance, lower.len())
            };
            if best.as_ref().is_none_or(|(a, b, _)| rank < (*a, *b)) {
                best = Some((rank.0, rank.1, candidate));
            }
        }
    }
    Ok(best.map(|(_, _, value)| value))
}

fn doc_freq(searcher: &Searcher, fields: &[Field], word: &str) -> Result<u64> {
    let mut total = 0;
    for field in fields {
        total += searcher.doc_freq(&Term::from_field_text(*field, word))?;
    }
    Ok(total)
}

/// The most frequent indexed word one edit from `stem` (else two), as it is written in a
/// record that has it.
fn nearest_term(
    open: &OpenIndex,
    searcher: &Searcher,
    fields: &[Field],
    stem: &str,
) -> Result<Option<String>> {
    // Two edits away from a short word is almost any other short word, and one edit away
    // from a letter (the `o` of `O'Brien`) is any letter.
    let distances: &[u8] = match stem.chars().count() {
        0..=2 => &[],
        3..=5 => &[1],
        _ => &[1, 2],
    };
    for &distance in distances {
        let mut best: Option<(u64, String, Field)> = None;
        for field in fields {
            let automaton =
                FuzzyTermQuery::new(Term::from_field_text(*field, stem), distance, true)
                    .automaton()?;
            for reader in searcher.segment_readers() {
                let inverted = reader.inverted_index(*field)?;
                let mut stream = inverted.terms().search(&automaton).into_stream()?;
                while stream.advance() {
                    let term = String::from_utf8_lossy(stream.key()).into_owned();
                    let freq = u64::from(stream.value().doc_freq);
                    if best
                        .as_ref()
                        .is_none_or(|(f, t, _)| (freq, &term) > (*f, t))
                    {
                        best = Some((freq, term, *field));
                    }
                }
            }
        }
        if let Some((_, term, field)) = best {
            return Ok(Some(
                written_form(open, searcher, field, &term)?.unwrap_or(term),
            ));
        }
    }
    Ok(None)
}

/// How an indexed (stemmed) word is written in the first record that has it.
fn written_form(
    open: &OpenIndex,
    searcher: &Searcher,
    field: Field,
    stem: &str,
) -> Result<Option<String>> {
    let query = TermQuery::new(Term::from_field_text(field, stem), IndexRecordOption::Basic);
    let Some((_, address)) = searcher
        .search(
            &query as &dyn Query,
            &TopDocs::with_limit(1).order_by_score(),
        )?
        .into_iter()
        .next()
    else {
        return Ok(None);
    };
    let doc: TantivyDocument = searcher.doc(address)?;
    let record = record_of(open, &doc)?;
    let text = if field == open.fields.title {
        record.title.unwrap_or_default()
    } else if field == open.fields.excerpt {
        record.excerpt.unwrap_or_default()
    } else {
        body_of(open, &doc)
    };
    let (mut stemmed, mut plain) = (text_analyzer(true), text_analyzer(false));
    let mut stems = stemmed.token_stream(&text);
    let mut words = plain.token_stream(&text);
    while stems.advance() && words.advance() {
        if stems.token().text == stem {
            return Ok(Some(words.token().text.clone()));
        }
    }
    Ok(None)
}
