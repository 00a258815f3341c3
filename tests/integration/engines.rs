//! `export --format quickwit|elasticsearch` agrees with the shipped Quickwit index config and
//! Elasticsearch mapping: every field exists there, with a value of the declared type.

use std::collections::HashMap;
use std::path::Path;

use serde_json::Value;

use crate::harness::Archive;

fn built() -> Archive {
    let archive = Archive::fixtures();
    archive.run(&["build", "."]).status(0);
    archive
}

fn is_rfc3339_utc(text: &str) -> bool {
    let bytes = text.as_bytes();
    text.len() == 20
        && bytes[10] == b'T'
        && bytes[19] == b'Z'
        && text.chars().enumerate().all(|(i, c)| match i {
            4 | 7 => c == '-',
            10 => c == 'T',
            13 | 16 => c == ':',
            19 => c == 'Z',
            _ => c.is_ascii_digit(),
        })
}

fn check(field: &str, declared: &str, value: &Value) {
    let ok = match (declared, value) {
        (_, Value::Null) => field != "id" && field != "body",
        ("text" | "keyword", Value::String(_)) => true,
        ("array<text>" | "keyword" | "text", Value::Array(items)) => {
            items.iter().all(Value::is_string)
        }
        ("datetime" | "date", Value::String(text)) => is_rfc3339_utc(text),
        ("i64" | "long", Value::Number(n)) => n.is_i64(),
        ("json" | "object", Value::Object(_)) => true,
        _ => false,
    };
    assert!(ok, "field {field} declared {declared} has {value}");
}

#[test]
fn quickwit_documents_match_the_index_config() {
    let config: serde_yaml::Value = serde_yaml::from_str(
        &std::fs::read_to_string(
            Path::new(env!("CARGO_MANIFEST_DIR")).join("deploy/quickwit/newsidx.yaml"),
        )
        .unwrap(),
    )
    .unwrap();
    let mapping = &config["doc_mapping"];
    assert_eq!(mapping["mode"].as_str(), Some("strict"));
    let fields: HashMap<String, String> = mapping["field_mappings"]
        .as_sequence()
        .unwrap()
        .iter()
        .map(|f| {
            (
                f["name"].as_str().unwrap().to_owned(),
                f["type"].as_str().unwrap().to_owned(),
            )
        })
        .collect();
    assert_eq!(
        fields[mapping["timestamp_field"].as_str().unwrap()],
        "datetime"
    );
    for default in config["search_settings"]["default_search_fields"]
        .as_sequence()
        .unwrap()
    {
        assert!(fields.contains_key(default.as_str().unwrap()));
    }

    let run = built().run(&["export", "--format", "quickwit"]);
    run.status(0);
    let docs: Vec<serde_json::Map<String, Value>> = run.jsonl();
    assert_eq!(docs.len(), 30);
    for doc in &docs {
        for (key, value) in doc {
            let declared = fields
                .get(key)
                .unwrap_or_else(|| panic!("{key} is not in the Quickwit config"));
            check(key, declared, value);
        }
        assert!(
            fields.keys().all(|name| doc.contains_key(name)),
            "every mapped field is present"
        );
    }
    let c3 = docs
        .iter()
        .find(|d| d["path"] == "2021/09/hospital-ai-triage-trial.md")
        .unwrap();
    assert!(
        c3["links"]
            .as_array()
            .unwrap()
            .iter()
            .any(|l| l
                == "https://www.northwinddispatch.com/tech/2021/06/11/cloud-vision-bias-audit/")
    );
    let glacier = docs
        .iter()
        .find(|d| d["path"] == "2023/glacier-long-read.md")
        .unwrap();
    assert!(glacier["body"].as_str().unwrap().contains("terminus"));
}

#[test]
fn elasticsearch_bulk_matches_the_mapping() {
    let mapping: Value = serde_json::from_str(
        &std::fs::read_to_string(
            Path::new(env!("CARGO_MANIFEST_DIR")).join("deploy/elasticsearch/newsidx.mapping.json"),
        )
        .unwrap(),
    )
    .unwrap();
    assert_eq!(mapping["mappings"]["dynamic"], "strict");
    let properties = mapping["mappings"]["properties"].as_object().unwrap();
    for (_, property) in properties {
        if property["type"] == "date" {
            // Record dates keep the source's fractional seconds, when it had them.
            assert_eq!(property["format"], "strict_date_optional_time");
        }
    }
    let run = built().run(&["export", "--format", "elasticsearch", "--es-index", "news"]);
    run.status(0);
    let stdout = run.stdout();
    assert!(stdout.ends_with('\n'), "_bulk needs a final newline");
    let lines: Vec<Value> = run.jsonl();
    assert_eq!(lines.len(), 60);
    for pair in lines.chunks(2) {
        let (action, doc) = (&pair[0], &pair[1]);
        assert_eq!(action["index"]["_index"], "news");
        assert_eq!(action["index"]["_id"], doc["id"]);
        for (key, value) in doc.as_object().unwrap() {
            let property = properties
                .get(key)
                .unwrap_or_else(|| panic!("{key} is not in the mapping"));
            check(key, property["type"].as_str().unwrap(), value);
        }
    }
    let filtered = built().run(&["export", "--format", "elasticsearch", "--topic", "AI"]);
    assert_eq!(filtered.stdout().lines().count(), 10);
}

#[test]
fn completions_and_man_page() {
    let archive = Archive::new();
    for shell in ["bash", "zsh", "fish", "elvish", "powershell"] {
        let run = archive.run(&["completions", shell]);
        run.status(0);
        assert!(run.stdout().contains("newsidx"), "{shell}");
        assert!(
            run.stdout().contains("links-to"),
            "{shell} completes every flag"
        );
    }
    let bash = archive.run(&["completions", "bash"]);
    let dir = tempfile::tempdir().unwrap();
    let script = dir.path().join("newsidx.bash");
    std::fs::write(&script, bash.stdout()).unwrap();
    let parsed = std::process::Command::new("bash")
        .arg("-n")
        .arg(&script)
        .status()
        .unwrap();
    assert!(
        parsed.success(),
        "bash could not parse the completion script"
    );

    let man = archive.run(&["man"]);
    man.status(0);
    assert!(man.stdout().contains("\n.TH newsidx 1"), "roff title");
    let page = dir.path().join("newsidx.1");
    std::fs::write(&page, man.stdout()).unwrap();
    let rendered = std::process::Command::new("man")
        .arg("-l")
        .arg(&page)
        .env("MANWIDTH", "80")
        .env("MANPAGER", "cat")
        .env("PAGER", "cat")
        .output();
    match rendered {
        Ok(output) => {
            assert!(
                output.status.success(),
                "{}",
                String::from_utf8_lossy(&output.stderr)
            );
            let text = String::from_utf8_lossy(&output.stdout);
            assert!(
                text.contains("NEWSIDX SEARCH") && text.contains("--min-quality"),
                "{text}"
            );
        }
        Err(err) => assert!(
            std::env::var_os("CI").is_none(),
            "man is needed in CI: {err}"
        ),
    }
}
