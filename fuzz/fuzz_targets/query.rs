//! Query text and filter arguments through parsing into a tantivy query, then run on a small
//! index in RAM: bad input must be an error, never a panic.
#![no_main]

use std::sync::OnceLock;

use libfuzzer_sys::fuzz_target;
use newsidx::index::schema::{build_schema, register_tokenizers, Fields};
use newsidx::query::filters::{combine, date_range, Filters};
use newsidx::query::text_query;
use tantivy::collector::{Count, TopDocs};
use tantivy::{doc, Index};

fn index() -> &'static (Index, Fields) {
    static INDEX: OnceLock<(Index, Fields)> = OnceLock::new();
    INDEX.get_or_init(|| {
        let index = Index::create_in_ram(build_schema());
        register_tokenizers(&index);
        let fields = Fields::from_schema(&index.schema()).unwrap();
        let mut writer = index.writer_with_num_threads(1, 15_000_000).unwrap();
        writer
            .add_document(doc!(
                fields.id => "0123456789abcdef", fields.kind => "article", fields.title => "Amazon surveillance",
                fields.body => "A coalition of groups asked Amazon to cut ties with police.",
                fields.topic => "AI", fields.provider => "The Daily Dot", fields.quality => 32i64,
                fields.date => tantivy::DateTime::from_timestamp_secs(1_623_447_900),
                fields.links => "https://example.com/x",
            ))
            .unwrap();
        writer.commit().unwrap();
        (index, fields)
    })
}

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    let mut parts = text.split('\u{1}');
    let query_text = parts.next().unwrap_or_default();
    let (index, fields) = index();
    let today = chrono::NaiveDate::from_ymd_opt(2026, 11, 23).unwrap();
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
    let searcher = index.reader().unwrap().searcher();
    let _ = searcher.search(&query, &(Count, TopDocs::with_limit(5).order_by_score()));
});
