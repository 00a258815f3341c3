//! Record stage: the one shape every command prints (SPEC §2), and how parsed files become
//! records (pairing a front-matter file with its body file).
//!
//! # The record JSON
//!
//! Every key is always present; unknown values are `null` or `[]`:
//!
//! | key | value |
//! |---|---|
//! | `id` | 16 lowercase hex digits, from the canonical URL, else the relative path |
//! | `kind` | `"article"` (front matter) or `"body"` (body file alone) |
//! | `path` | path of the record's file, relative to the archive root, `/`-separated |
//! | `body_path` | the paired body file, or `null` |
//! | `title`, `excerpt` | text or `null` |
//! | `date` | RFC 3339 UTC with `Z`, or `null` |
//! | `url` | `webUrl`, else `originalUrl`, or `null` |
//! | `provider` | `{"name": …, "domain": …}` or `null` |
//! | `topics` | list of text (the provider's topics) |
//! | `tags` | list of text, from `tags`, `keywords` and `categories` |
//! | `category`, `type` | text or `null` |
//! | `quality`, `heat` | integer or `null` |
//! | `related` | list of `{"title", "url", "date", "provider"}` |
//! | `meta` | the whole front matter as parsed, keys verbatim (`{}` for body records) |
//!
//! `show`, `export` and `--fields body` add `body`; `search` adds `score` and `snippet`.

pub mod extract;
pub mod identity;

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

use crate::diag::Diagnostic;
use crate::parse::date::ReadDate;
use crate::parse::{Parsed, ParsedFile};

/// Whether a record came from front matter or from a body file alone.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Kind {
    /// A front-matter file (with its paired body file, if any).
    Article,
    /// A body file with no front matter beside it.
    Body,
}

impl Kind {
    /// The JSON spelling.
    pub fn as_str(self) -> &'static str {
        match self {
            Kind::Article => "article",
            Kind::Body => "body",
        }
    }
}

/// A news provider.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Provider {
    /// Display name (`The Daily Dot`).
    pub name: Option<String>,
    /// Domain as written in the front matter (`dailydot.com`).
    pub domain: Option<String>,
}

/// One entry of an article's `related` list.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RelatedLink {
    /// Title of the linked article.
    pub title: Option<String>,
    /// `webUrl` of the linked article (else its first other URL).
    pub url: Option<String>,
    /// Its publication date, RFC 3339 UTC.
    pub date: Option<String>,
    /// Its provider.
    pub provider: Option<Provider>,
}

/// A record: the JSON contract of SPEC §2 (see the module docs for every key).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Record {
    pub id: String,
    pub kind: Kind,
    pub path: String,
    pub body_path: Option<String>,
    pub title: Option<String>,
    pub excerpt: Option<String>,
    pub date: Option<String>,
    pub url: Option<String>,
    pub provider: Option<Provider>,
    pub topics: Vec<String>,
    pub tags: Vec<String>,
    pub category: Option<String>,
    #[serde(rename = "type")]
    pub doc_type: Option<String>,
    pub quality: Option<i64>,
    pub heat: Option<i64>,
    pub related: Vec<RelatedLink>,
    pub meta: Map<String, Value>,
}

/// A record with everything the index needs besides the JSON: the body and the normalised
/// keys that filters and lookups match on.
#[derive(Debug, Clone, PartialEq)]
pub struct IndexedRecord {
    pub record: Record,
    /// Full text: the front matter's body, then the paired body file's text.
    pub body: String,
    /// The date as a value (the record holds its text).
    pub date: Option<DateTime<Utc>>,
    /// Canonical forms of every URL of the article (web, original, AMP, CDN AMP).
    pub urls: Vec<String>,
    /// Canonical forms of every URL in the related list.
    pub links: Vec<String>,
    /// Provider domain (else the URL's host), lower-case, without `www.`.
    pub domain: Option<String>,
}

impl Record {
    /// Every file that holds the record's text: its file and, for a pair, the body file.
    pub fn files(&self) -> Vec<&str> {
        std::iter::once(self.path.as_str())
            .chain(self.body_path.as_deref())
            .collect()
    }

    /// The title, or for body records the opening words of `body` (for human output).
    pub fn display_title<'a>(&'a self, body: Option<&'a str>) -> String {
        match (&self.title, body) {
            (Some(title), _) => title.clone(),
            (None, Some(body)) => opening_words(body, 12),
            (None, None) => String::new(),
        }
    }
}

/// The first `count` words of `text`, with `…` when there were more.
pub fn opening_words(text: &str, count: usize) -> String {
    let mut words = text.split_whitespace();
    let mut out: Vec<&str> = words.by_ref().take(count).collect();
    if words.next().is_some() {
        out.push("…");
    }
    out.join(" ")
}

/// One file of a pairing group, parsed.
#[derive(Debug, Clone)]
pub struct GroupFile {
    /// Relative path.
    pub rel: String,
    /// What parsing made of it.
    pub parsed: ParsedFile,
}

/// Path, front matter, own body and key lines of a front-matter file.
type ArticleParts = (String, Map<String, Value>, String, Vec<(String, usize)>);

/// Turns the files of one group (same folder, same stem: see `identity::group_key`; sorted by
/// path) into records. The first front-matter file takes every body file of the group as its
/// body; other front-matter files are articles of their own, each warned that the body file is
/// not theirs; with no front matter, each body file is a body record. Warnings of field extraction are appended to `diagnostics`. The files are
/// consumed: each front matter moves into its record's `meta` rather than being copied.
pub fn records_of_group(
    files: Vec<GroupFile>,
    diagnostics: &mut Vec<Diagnostic>,
) -> Vec<IndexedRecord> {
    let mut articles: Vec<ArticleParts> = Vec::new();
    let mut bodies: Vec<(String, crate::parse::body::BodyText)> = Vec::new();
    for file in files {
        match file.parsed.parsed {
            Some(Parsed::FrontMatter {
                meta,
                body,
                key_lines,
            }) => articles.push((file.rel, meta, body, key_lines)),
            Some(Parsed::Body(text)) => bodies.push((file.rel, text)),
            None => {}
        }
    }
    let mut records = Vec::new();
    if articles.is_empty() {
        for (rel, body) in &bodies {
            records.push(extract::body_record(rel, body));
        }
        return records;
    }
    let bodies: Vec<(&str, &crate::parse::body::BodyText)> = bodies
        .iter()
        .map(|(rel, text)| (rel.as_str(), text))
        .collect();
    for (index, (rel, meta, own_body, key_lines)) in articles.into_iter().enumerate() {
        let paired: &[(&str, &crate::parse::body::BodyText)] =
            if index == 0 { &bodies } else { &[] };
        if index > 0 {
            warn_unpaired(&rel, &records, &bodies, diagnostics);
        }
        let source = extract::Source {
            rel: &rel,
            key_lines: &key_lines,
        };
        records.push(extract::article_record(
            &source,
            meta,
            &own_body,
            paired,
            diagnostics,
        ));
    }
    records
}

/// Warns a second front-matter file of a group that the group's body files went to the first.
fn warn_unpaired(
    rel: &str,
    records: &[IndexedRecord],
    bodies: &[(&str, &crate::parse::body::BodyText)],
    diagnostics: &mut Vec<Diagnostic>,
) {
    let (Some((body, _)), Some(first)) = (bodies.first(), records.first()) else {
        return;
    };
    diagnostics.push(Diagnostic::warning(
        rel,
        format!(
            "`{body}` has the name of this file and of `{}`; it is paired with `{}`, the first in \
             path order, not with this file",
            first.record.path, first.record.path
        ),
    ));
}

/// Serialises a date for the record: fractions of a second only when the source had them.
pub(crate) fn date_text(date: Option<&ReadDate>) -> Option<String> {
    date.map(ReadDate::to_record_text)
}

/// A record with its body: what `show` and `export` print.
#[derive(Debug, Serialize)]
pub struct RecordWithBody {
    #[serde(flatten)]
    pub record: Record,
    pub body: String,
}

#[cfg(test)]
mod tests {
    use super::*;

    fn file(rel: &str, bytes: &str) -> GroupFile {
        GroupFile {
            rel: rel.to_owned(),
            parsed: crate::parse::parse_file(rel, bytes.as_bytes()),
        }
    }

    #[test]
    fn the_first_front_matter_file_takes_the_body_file_and_the_next_is_warned() {
        let mut diagnostics = Vec::new();
        let files = vec![
            file("p/x.markdown", "---\ntitle: First\n---\n"),
            file("p/x.md", "---\ntitle: Second\n---\n"),
            file("p/x.txt", "date 2021-02-03 Text."),
        ];
        let records = records_of_group(files, &mut diagnostics);
        assert_eq!(records.len(), 2);
        assert_eq!(records[0].record.body_path.as_deref(), Some("p/x.txt"));
        assert_eq!(records[0].body, "Text.");
        assert_eq!(records[1].record.body_path, None);
        assert_eq!(diagnostics.len(), 1);
        assert_eq!(diagnostics[0].path, "p/x.md");
        assert!(diagnostics[0]
            .message
            .contains("paired with `p/x.markdown`"));
        let mut diagnostics = Vec::new();
        let alone = vec![
            file("p/y.markdown", "---\ntitle: First\n---\n"),
            file("p/y.md", "---\ntitle: Second\n---\n"),
        ];
        assert_eq!(records_of_group(alone, &mut diagnostics).len(), 2);
        assert!(diagnostics.is_empty(), "no body file, nothing to warn");
    }
}
