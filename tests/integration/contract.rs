//! Mirror structs of the JSON contract documented in `docs/json.md`. They reject unknown keys
//! (`deny_unknown_fields`) and missing ones: serde reads an absent `Option` as `None`, so every
//! `Option` field goes through `present`, which makes the key required while its value may be
//! null. A missing or an extra key fails the test that decodes it.

#![allow(dead_code)] // Fields exist to be decoded: a missing key must fail the test.

use serde::{Deserialize, Deserializer};
use serde_json::{Map, Value};

/// An `Option` whose key must be present (its value may be null).
pub fn present<'de, D, T>(deserializer: D) -> Result<Option<T>, D::Error>
where
    D: Deserializer<'de>,
    T: Deserialize<'de>,
{
    Option::<T>::deserialize(deserializer)
}

/// `provider` of a record (docs/json.md#record).
#[derive(Debug, Deserialize, PartialEq, Eq, Clone)]
#[serde(deny_unknown_fields)]
pub struct Provider {
    #[serde(deserialize_with = "present")]
    pub name: Option<String>,
    #[serde(deserialize_with = "present")]
    pub domain: Option<String>,
}

/// An entry of a record's `related` list (docs/json.md#record).
#[derive(Debug, Deserialize, Clone)]
#[serde(deny_unknown_fields)]
pub struct Related {
    #[serde(deserialize_with = "present")]
    pub title: Option<String>,
    #[serde(deserialize_with = "present")]
    pub url: Option<String>,
    #[serde(deserialize_with = "present")]
    pub date: Option<String>,
    #[serde(deserialize_with = "present")]
    pub provider: Option<Provider>,
}

/// A record as `show --json` and `export` print it, with body (docs/json.md#record).
#[derive(Debug, Deserialize, Clone)]
#[serde(deny_unknown_fields)]
pub struct Record {
    pub id: String,
    pub kind: String,
    pub path: String,
    #[serde(deserialize_with = "present")]
    pub body_path: Option<String>,
    #[serde(deserialize_with = "present")]
    pub title: Option<String>,
    #[serde(deserialize_with = "present")]
    pub excerpt: Option<String>,
    #[serde(deserialize_with = "present")]
    pub date: Option<String>,
    #[serde(deserialize_with = "present")]
    pub url: Option<String>,
    #[serde(deserialize_with = "present")]
    pub provider: Option<Provider>,
    pub topics: Vec<String>,
    pub tags: Vec<String>,
    #[serde(deserialize_with = "present")]
    pub category: Option<String>,
    #[serde(rename = "type", deserialize_with = "present")]
    pub doc_type: Option<String>,
    #[serde(deserialize_with = "present")]
    pub quality: Option<i64>,
    #[serde(deserialize_with = "present")]
    pub heat: Option<i64>,
    pub related: Vec<Related>,
    pub meta: Map<String, Value>,
    pub body: String,
    /// `show` only: the record's copies.
    #[serde(default)]
    pub copies: Option<Vec<RecordCopy>>,
}

/// A copy of a record, as `show` lists it (docs/json.md#record).
#[derive(Debug, Deserialize, Clone)]
#[serde(deny_unknown_fields)]
pub struct RecordCopy {
    pub id: String,
    pub path: String,
    pub title: Option<String>,
    pub date: Option<String>,
    pub similarity: f64,
}

/// A record as `search --json` prints it (docs/json.md#search-hit).
#[derive(Debug, Deserialize, Clone)]
#[serde(deny_unknown_fields)]
pub struct Hit {
    pub id: String,
    pub kind: String,
    pub path: String,
    #[serde(deserialize_with = "present")]
    pub body_path: Option<String>,
    #[serde(deserialize_with = "present")]
    pub title: Option<String>,
    #[serde(deserialize_with = "present")]
    pub excerpt: Option<String>,
    #[serde(deserialize_with = "present")]
    pub date: Option<String>,
    #[serde(deserialize_with = "present")]
    pub url: Option<String>,
    #[serde(deserialize_with = "present")]
    pub provider: Option<Provider>,
    pub topics: Vec<String>,
    pub tags: Vec<String>,
    #[serde(deserialize_with = "present")]
    pub category: Option<String>,
    #[serde(rename = "type", deserialize_with = "present")]
    pub doc_type: Option<String>,
    #[serde(deserialize_with = "present")]
    pub quality: Option<i64>,
    #[serde(deserialize_with = "present")]
    pub heat: Option<i64>,
    pub related: Vec<Related>,
    pub meta: Map<String, Value>,
    #[serde(deserialize_with = "present")]
    pub score: Option<f64>,
    #[serde(deserialize_with = "present")]
    pub snippet: Option<String>,
    /// `search --collapse` only: the records this hit stands for.
    #[serde(default)]
    pub copies: Option<usize>,
    /// `similar` only: a near-duplicate of the record asked about.
    #[serde(default)]
    pub copy: Option<bool>,
}

/// A problem object of the build summary (docs/json.md#build-summary).
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Problem {
    pub path: String,
    #[serde(deserialize_with = "present")]
    pub line: Option<u64>,
    #[serde(deserialize_with = "present")]
    pub col: Option<u64>,
    pub message: String,
}

/// `build --json` (docs/json.md#build-summary).
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct BuildSummary {
    pub archive: String,
    pub index: String,
    pub seen: u64,
    pub indexed: u64,
    pub unchanged: u64,
    pub removed: u64,
    pub skipped: u64,
    pub duplicates: u64,
    pub errors: Vec<Problem>,
    pub warnings: Vec<Problem>,
    pub seconds: f64,
}

/// `stats --json` (docs/json.md#stats).
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Stats {
    pub records: u64,
    pub articles: u64,
    pub bodies: u64,
    pub undated: u64,
    #[serde(deserialize_with = "present")]
    pub date_min: Option<String>,
    #[serde(deserialize_with = "present")]
    pub date_max: Option<String>,
    pub topics: u64,
    pub providers: u64,
    pub index_bytes: u64,
    pub archive: String,
    pub last_build: String,
}

/// A `facets` row (docs/json.md#facets).
#[derive(Debug, Deserialize, PartialEq, Eq)]
#[serde(deny_unknown_fields)]
pub struct Facet {
    pub value: String,
    pub count: u64,
}

/// A `timeline` row (docs/json.md#timeline).
#[derive(Debug, Deserialize, PartialEq, Eq)]
#[serde(deny_unknown_fields)]
pub struct Period {
    pub period: String,
    pub count: u64,
}

#[cfg(test)]
mod tests {
    use super::*;

    const RECORD: &str = r#"{"id":"0123456789abcdef","kind":"article","path":"a.md","body_path":null,
        "title":"t","excerpt":null,"date":null,"url":null,"provider":null,"topics":[],"tags":[],
        "category":null,"type":null,"quality":null,"heat":null,"related":[],"meta":{},"body":""}"#;

    #[test]
    fn a_complete_record_decodes() {
        serde_json::from_str::<Record>(RECORD).expect("every key present");
    }

    #[test]
    fn a_missing_nullable_key_fails() {
        for key in ["body_path", "excerpt", "provider", "type", "tags"] {
            let mut value: Map<String, Value> = serde_json::from_str(RECORD).expect("json");
            value.remove(key);
            let text = serde_json::to_string(&value).expect("json");
            assert!(
                serde_json::from_str::<Record>(&text).is_err(),
                "a record without {key} must not decode"
            );
        }
    }

    #[test]
    fn an_extra_key_fails() {
        let text = RECORD.replacen('{', r#"{"extra":1,"#, 1);
        assert!(serde_json::from_str::<Record>(&text).is_err());
    }
}
