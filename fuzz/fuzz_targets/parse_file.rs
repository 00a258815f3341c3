//! One file's bytes through classification, front-matter parsing, field extraction, the
//! record JSON and the tantivy document: nothing may panic, hang or blow up memory.
#![no_main]

use libfuzzer_sys::fuzz_target;
use newsidx::index::schema::{build_schema, Fields};
use newsidx::parse::parse_file;
use newsidx::record::{records_of_group, GroupFile};

fuzz_target!(|data: &[u8]| {
    let parsed = parse_file("fuzz/a.md", data);
    for diagnostic in &parsed.diagnostics {
        let _ = diagnostic.to_string();
    }
    // Pair it with a body file made of the same bytes, as `a.md` + `a.txt` would be.
    let files = vec![
        GroupFile { rel: "fuzz/a.md".into(), parsed },
        GroupFile { rel: "fuzz/a.txt".into(), parsed: parse_file("fuzz/a.txt", data) },
    ];
    let mut diagnostics = Vec::new();
    let fields = Fields::from_schema(&build_schema()).expect("the schema has every field");
    for record in records_of_group(files, &mut diagnostics) {
        let json = serde_json::to_string(&record.record).expect("a record always serialises");
        let back: newsidx::record::Record = serde_json::from_str(&json).expect("and reads back");
        assert_eq!(back, record.record);
        fields.document(&record).expect("a record always makes a document");
    }
});
