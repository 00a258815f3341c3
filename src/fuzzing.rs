//! The bodies of the cargo-fuzz targets in `fuzz/fuzz_targets/`, as library functions, so that
//! `cargo test` replays each target's seed corpus (`fuzz/seeds/<target>/`) and a target that
//! rots (an API change, a field of another type) fails CI instead of waiting to be run.
//!
//! Each function panics exactly when the fuzzer should report a finding.

use std::sync::OnceLock;

use tantivy::collector::{Count, TopDocs};
use tantivy::{doc, Index};

use crate::index::schema::{build_schema, lookup_key, register_tokenizers, Fields};
use crate::parse::front_matter::fast_path_agrees;
use crate::parse::parse_file;
use crate::query::filters::{combine, date_range, Filters};
use crate::query::text_query;
use crate::record::{records_of_group, GroupFile, Record};

/// Target `parse_file`: one file's bytes through classification, front matter, extraction, the
/// record JSON and the tantivy document. Nothing may panic; a record reads back as written.
pub fn parse_file_target(data: &[u8]) {
    let parsed = parse_file("fuzz/a.md", data);
    for diagnostic in &parsed.diagnostics {
        let _ = diagnostic.to_string();
    }
    // Paired with a body file of the same bytes, as `a.md` + `a.txt` would be.
    let files = vec![
        GroupFile {
            rel: "fuzz/a.md".into(),
            parsed,
        },
        GroupFile {
            rel: "fuzz/a.txt".into(),
            parsed: parse_file("fuzz/a.txt", data),
        },
    ];
    let mut diagnostics = Vec::new();
    let fields = Fields::from_schema(&build_schema()).expect("the schema has every field");
    for record in records_of_group(files, &mut diagnostics) {
        let json = serde_json::to_string(&record.record).expect("a record always serialises");
        let back: Record = serde_json::from_str(&json).expect("a record reads back");
        assert_eq!(back, record.record, "the record JSON round-trips");
        fields
            .document(&record)
            .expect("a record always makes a document");
    }
}

/// Target `yaml_fast_path`, differential: whatever YAML the fast reader takes, it reads exactly
/// as serde_yaml does.
pub fn yaml_fast_path_target(data: &[u8]) {
    if let Ok(yaml) = std::str::from_utf8(data) {
        assert!(
            fast_path_agrees(yaml),
            "the fast reader disagrees on {yaml:?}"
        );
    }
}

/// Target `query`: query text and filter arguments (separated by U+0001) through parsing into a
/// tantivy query, run on a one-document index in RAM. Bad input is an error, never a panic.
pub fn query_target(data: &[u8]) {
    let text = String::from_utf8_lossy(data);
    let mut parts = text.split('\u{1}');
    let query_text = parts.next().unwrap_or_default();
    let (index, fields) = query_index();
    let today = chrono::NaiveDate::from_ymd_opt(2026, 11, 23).expect("a valid date");
    let mut filters = Filters::default();
    for (i, part) in parts.enumerate() {
        match i % 6 {
            0 => filters.topics.push(part.to_owned()),
            1 => filters.provider = Some(part.to_owned()),
            2 => filters.links_to = Some(part.to_owned()),
            3 => filters.domain = Some(part.to_owned()),
            4 => {
                if let Ok((start, end)) = date_range(part, today) {
                    filters.intersect_dates(start, end);
                }
            }
            _ => filters.min_quality = part.parse().ok(),
        }
    }
    let Ok(text_part) = text_query(index, fields, query_text) else {
        return;
    };
    let query = combine(text_part, filters.queries(fields));
    let searcher = index.reader().expect("a RAM index opens").searcher();
    let _ = searcher.search(&query, &(Count, TopDocs::with_limit(5).order_by_score()));
}

/// The index the query target searches: one article, built once per process.
fn query_index() -> &'static (Index, Fields) {
    static INDEX: OnceLock<(Index, Fields)> = OnceLock::new();
    INDEX.get_or_init(|| {
        let index = Index::create_in_ram(build_schema());
        register_tokenizers(&index);
        let fields = Fields::from_schema(&index.schema()).expect("the schema has every field");
        let mut writer = index
            .writer_with_num_threads(1, 15_000_000)
            .expect("a RAM index takes a writer");
        writer
            .add_document(doc!(
                fields.id => "0123456789abcdef",
                fields.kind => "article",
                fields.title => "Harbour cranes idle",
                fields.body => "Dock workers waited for the cranes to restart on Tuesday.",
                fields.topic => "Ports",
                fields.provider => "Test Wire",
                fields.quality => 32i64,
                fields.date => tantivy::DateTime::from_timestamp_secs(1_623_447_900),
                fields.links => lookup_key("https://example.com/x"),
            ))
            .expect("adding the document");
        writer.commit().expect("committing a RAM index");
        (index, fields)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The input that crashed the query target from schema version 3 on: the first one.
    #[test]
    fn the_query_target_survives_its_first_input() {
        query_target(b"");
        query_target(b"cranes\x01Ports");
    }
}
