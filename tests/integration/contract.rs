//! Mirror structs of the JSON contract (SPEC §2 and §4) that reject unknown keys, so a missing
//! or an extra key fails the test that decodes it.

#![allow(dead_code)] // Fields exist to be decoded: a missing key must fail the test.

use serde::Deserialize;
use serde_json::{Map, Value};

#[derive(Debug, Deserialize, PartialEq, Eq, Clone)]
#[serde(deny_unknown_fields)]
pub struct Provider {
    pub name: Option<String>,
    pub domain: Option<String>,
}

#[derive(Debug, Deserialize, Clone)]
#[serde(deny_unknown_fields)]
pub struct Related {
    pub title: Option<String>,
    pub url: Option<String>,
    pub date: Option<String>,
    pub provider: Option<Provider>,
}

/// A record as `show --json` and `export` print it (with body).
#[derive(Debug, Deserialize, Clone)]
#[serde(deny_unknown_fields)]
pub struct Record {
    pub id: String,
    pub kind: String,
    pub path: String,
    pub body_path: Option<String>,
    pub title: Option<String>,
    pub excerpt: Option<String>,
    pub date: Option<String>,
    pub url: Option<String>,
    pub provider: Option<Provider>,
    pub topics: Vec<String>,
    pub category: Option<String>,
    #[serde(rename = "type")]
    pub doc_type: Option<String>,
    pub quality: Option<i64>,
    pub heat: Option<i64>,
    pub related: Vec<Related>,
    pub meta: Map<String, Value>,
    pub body: String,
    /// `show` only: the record's copies.
    #[serde(default)]
    pub copies: Option<Vec<RecordCopy>>,
}

/// A copy of a record, as `show` lists it.
#[derive(Debug, Deserialize, Clone)]
#[serde(deny_unknown_fields)]
pub struct RecordCopy {
    pub id: String,
    pub path: String,
    pub title: Option<String>,
    pub date: Option<String>,
    pub similarity: f64,
}

/// A record as `search --json` prints it.
#[derive(Debug, Deserialize, Clone)]
#[serde(deny_unknown_fields)]
pub struct Hit {
    pub id: String,
    pub kind: String,
    pub path: String,
    pub body_path: Option<String>,
    pub title: Option<String>,
    pub excerpt: Option<String>,
    pub date: Option<String>,
    pub url: Option<String>,
    pub provider: Option<Provider>,
    pub topics: Vec<String>,
    pub category: Option<String>,
    #[serde(rename = "type")]
    pub doc_type: Option<String>,
    pub quality: Option<i64>,
    pub heat: Option<i64>,
    pub related: Vec<Related>,
    pub meta: Map<String, Value>,
    pub score: Option<f64>,
    pub snippet: Option<String>,
    /// `search --collapse` only: the records this hit stands for.
    #[serde(default)]
    pub copies: Option<usize>,
    /// `similar` only: a near-duplicate of the record asked about.
    #[serde(default)]
    pub copy: Option<bool>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Problem {
    pub path: String,
    pub line: Option<u64>,
    pub message: String,
}

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

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Stats {
    pub records: u64,
    pub articles: u64,
    pub bodies: u64,
    pub date_min: Option<String>,
    pub date_max: Option<String>,
    pub topics: u64,
    pub providers: u64,
    pub index_bytes: u64,
    pub archive: String,
    pub last_build: String,
}

#[derive(Debug, Deserialize, PartialEq, Eq)]
#[serde(deny_unknown_fields)]
pub struct Facet {
    pub value: String,
    pub count: u64,
}

#[derive(Debug, Deserialize, PartialEq, Eq)]
#[serde(deny_unknown_fields)]
pub struct Period {
    pub period: String,
    pub count: u64,
}
