//! Front matter (as JSON) to `Record`, tolerantly: a scalar where a list is expected is a
//! one-element list, numbers may be strings, text fields accept numbers and booleans, and a
//! value that cannot be read becomes `null` with a warning. `meta` keeps everything verbatim.
//!
//! Dates and tags are looked for under the keys blogs use (Hugo, Jekyll, Astro, schema.org),
//! matched case-insensitively; SPEC §1 lists them in order.

use chrono::{NaiveDate, TimeZone, Utc};
use serde_json::{Map, Value};

use super::identity::{canonical_url, normalise_domain, record_id, url_domain, URL_KEYS};
use super::{date_text, IndexedRecord, Kind, Provider, Record, RelatedLink};
use crate::diag::Diagnostic;
use crate::parse::body::BodyText;
use crate::parse::date::{accepted_forms, file_name_day, read_date, ReadDate};

/// Keys that may hold the publication date, in the order they are tried (SPEC §1). `updated`,
/// `lastmod` and `modified` are never among them.
const DATE_KEYS: [&str; 7] = [
    "publishedDateTime",
    "date",
    "datePublished",
    "publishDate",
    "pubDate",
    "published",
    "created",
];

/// Keys whose values are the record's `tags`.
const TAG_KEYS: [&str; 3] = ["tags", "keywords", "categories"];

/// Builds the record of a body file standing alone.
pub fn body_record(rel: &str, body: &BodyText) -> IndexedRecord {
    let date = body
        .date
        .or_else(|| file_name_day(file_name(rel)))
        .map(midnight);
    IndexedRecord {
        record: Record {
            id: record_id(rel),
            kind: Kind::Body,
            path: rel.to_owned(),
            body_path: None,
            title: None,
            excerpt: None,
            date: date_text(date.as_ref()),
            url: None,
            provider: None,
            topics: Vec::new(),
            tags: Vec::new(),
            category: None,
            doc_type: None,
            quality: None,
            heat: None,
            related: Vec::new(),
            meta: Map::new(),
        },
        body: body.text.clone(),
        date: date.map(|d| d.utc),
        urls: Vec::new(),
        links: Vec::new(),
        domain: None,
    }
}

/// Where a front matter came from: its path, and the file line of each top-level key.
pub struct Source<'a> {
    pub rel: &'a str,
    pub key_lines: &'a [(String, usize)],
}

/// Builds the record of a front-matter file, with the body files paired to it.
pub fn article_record(
    source: &Source<'_>,
    meta: Map<String, Value>,
    own_body: &str,
    paired: &[(&str, &BodyText)],
    diagnostics: &mut Vec<Diagnostic>,
) -> IndexedRecord {
    let mut indexed = read_article(source, &meta, own_body, paired, diagnostics);
    indexed.record.meta = meta;
    indexed
}

/// The record of a front-matter file, all but its `meta`.
fn read_article(
    source: &Source<'_>,
    meta: &Map<String, Value>,
    own_body: &str,
    paired: &[(&str, &BodyText)],
    diagnostics: &mut Vec<Diagnostic>,
) -> IndexedRecord {
    let rel = source.rel;
    let mut fields = Fields {
        source,
        diagnostics,
        key: "",
    };
    let title = fields.at("title").text(meta, "title");
    let excerpt = fields.at("excerpt").text(meta, "excerpt");
    let category = fields.at("category").text(meta, "category");
    let doc_type = fields.at("type").text(meta, "type");
    let quality = fields.at("quality").integer(meta, "quality");
    let heat = fields.at("heat").integer(meta, "heat");
    let topics = fields.at("topics").list(meta, "topics");
    let tags = fields.tags(meta);
    let provider = fields
        .at("provider")
        .provider(meta.get("provider"), "provider");

    // The front matter's date wins, then the body file's, then a Jekyll file name's.
    let date = fields.publication_date(meta).or_else(|| {
        paired
            .iter()
            .find_map(|(_, body)| body.date)
            .or_else(|| file_name_day(file_name(rel)))
            .map(midnight)
    });

    let raw_urls: Vec<(&str, String)> = URL_KEYS
        .iter()
        .filter_map(|key| fields.at(key).url(meta, key).map(|url| (*key, url)))
        .collect();
    let url = raw_urls
        .iter()
        .find(|(key, _)| *key == "webUrl" || *key == "originalUrl")
        .map(|(_, url)| url.clone());
    let mut urls: Vec<String> = raw_urls
        .iter()
        .filter_map(|(_, u)| canonical_url(u))
        .collect();
    dedup_in_place(&mut urls);
    let id = match url.as_deref().and_then(canonical_url) {
        Some(canonical) => record_id(&canonical),
        None => record_id(rel),
    };

    let (related, mut links) = fields.at("related").related(meta.get("related"));
    dedup_in_place(&mut links);

    let domain = provider
        .as_ref()
        .and_then(|p| p.domain.as_deref())
        .map(normalise_domain)
        .filter(|d| !d.is_empty())
        .or_else(|| url.as_deref().and_then(url_domain));

    let mut body = own_body.to_owned();
    for (_, paired_body) in paired {
        if !paired_body.text.is_empty() {
            if !body.is_empty() {
                body.push_str("\n\n");
            }
            body.push_str(&paired_body.text);
        }
    }

    IndexedRecord {
        record: Record {
            id,
            kind: Kind::Article,
            path: rel.to_owned(),
            body_path: paired.first().map(|(path, _)| (*path).to_owned()),
            title,
            excerpt,
            date: date_text(date.as_ref()),
            url,
            provider,
            topics,
            tags,
            category,
            doc_type,
            quality,
            heat,
            related,
            meta: Map::new(),
        },
        body,
        date: date.map(|d| d.utc),
        urls,
        links,
        domain,
    }
}

/// The last component of a relative path.
fn file_name(rel: &str) -> &str {
    rel.rsplit('/').next().unwrap_or(rel)
}

/// Midnight UTC of a day, as a date read from an archive.
fn midnight(day: NaiveDate) -> ReadDate {
    ReadDate {
        utc: Utc.from_utc_datetime(&day.and_hms_opt(0, 0, 0).expect("midnight exists")),
        fraction_digits: 0,
    }
}

/// The entry of `map` under `wanted`, the exact spelling first, else any spelling in another
/// case (`Date`, `PubDate`).
fn find_key<'m>(map: &'m Map<String, Value>, wanted: &str) -> Option<(&'m str, &'m Value)> {
    if let Some((key, value)) = map.get_key_value(wanted) {
        return Some((key.as_str(), value));
    }
    map.iter()
        .find(|(key, _)| key.eq_ignore_ascii_case(wanted))
        .map(|(key, value)| (key.as_str(), value))
}

fn dedup_in_place(items: &mut Vec<String>) {
    let mut seen = std::collections::HashSet::new();
    items.retain(|item| seen.insert(item.clone()));
}

/// Field readers that note what they tolerated.
struct Fields<'a> {
    source: &'a Source<'a>,
    diagnostics: &'a mut Vec<Diagnostic>,
    /// The top-level key being read, whose line a warning names.
    key: &'a str,
}

impl<'a> Fields<'a> {
    /// Reads the top-level `key` next (its line goes into warnings).
    fn at(&mut self, key: &'a str) -> &mut Self {
        self.key = key;
        self
    }

    fn warn(&mut self, message: String) {
        let mut warning = Diagnostic::warning(self.source.rel, message);
        let top_key = self.key;
        if let Some((_, line)) = self.source.key_lines.iter().find(|(k, _)| k == top_key) {
            warning = warning.at(*line, None);
        }
        self.diagnostics.push(warning);
    }

    /// Text: strings (trimmed, empty = null), numbers and booleans as written.
    fn text(&mut self, map: &Map<String, Value>, key: &str) -> Option<String> {
        self.text_value(map.get(key)?, key)
    }

    fn text_value(&mut self, value: &Value, key: &str) -> Option<String> {
        match value {
            Value::Null => None,
            Value::String(text) => Some(text.trim().to_owned()).filter(|t| !t.is_empty()),
            Value::Number(number) => Some(number.to_string()),
            Value::Bool(flag) => Some(flag.to_string()),
            Value::Array(_) | Value::Object(_) => {
                self.warn(format!(
                    "`{key}` should be text, found a {}; ignored",
                    shape(value)
                ));
                None
            }
        }
    }

    /// A URL: text; a number or a boolean is no URL (warned, ignored).
    fn url(&mut self, map: &Map<String, Value>, key: &str) -> Option<String> {
        match map.get(key)? {
            value @ (Value::Number(_) | Value::Bool(_)) => {
                self.warn(format!(
                    "`{key}` is a {} ({}), not a URL; ignored, the raw value stays in meta",
                    shape(value),
                    preview(value)
                ));
                None
            }
            value => self.text_value(value, key),
        }
    }

    /// The publication date: the first key of `DATE_KEYS` that gives a readable date (each
    /// unreadable one warned); `published: true|false` is a flag, not a date.
    fn publication_date(&mut self, meta: &'a Map<String, Value>) -> Option<ReadDate> {
        for wanted in DATE_KEYS {
            let Some((key, value)) = find_key(meta, wanted) else {
                continue;
            };
            if wanted == "published" && is_flag(value) {
                continue;
            }
            if let Some(date) = self.at(key).date_value(value, key) {
                return Some(date);
            }
        }
        None
    }

    /// The tags: every value under `TAG_KEYS` (a list, or text split at commas), the first
    /// spelling of each kept, in order.
    fn tags(&mut self, meta: &'a Map<String, Value>) -> Vec<String> {
        let mut tags: Vec<String> = Vec::new();
        for wanted in TAG_KEYS {
            let Some((key, value)) = find_key(meta, wanted) else {
                continue;
            };
            let found = match value {
                Value::String(text) => text
                    .split(',')
                    .map(str::trim)
                    .filter(|t| !t.is_empty())
                    .map(str::to_owned)
                    .collect(),
                other => self.at(key).list_value(Some(other), key),
            };
            for tag in found {
                if !tags.iter().any(|t| t.to_lowercase() == tag.to_lowercase()) {
                    tags.push(tag);
                }
            }
        }
        tags
    }

    /// A list of text: a scalar is a one-element list, null or missing is empty.
    fn list(&mut self, map: &Map<String, Value>, key: &str) -> Vec<String> {
        self.list_value(map.get(key), key)
    }

    fn list_value(&mut self, value: Option<&Value>, key: &str) -> Vec<String> {
        match value {
            None | Some(Value::Null) => Vec::new(),
            Some(Value::Array(items)) => {
                let mut out = Vec::new();
                for item in items {
                    if let Some(text) = self.text_value(item, key) {
                        if !out.contains(&text) {
                            out.push(text);
                        }
                    }
                }
                out
            }
            Some(scalar) => self.text_value(scalar, key).into_iter().collect(),
        }
    }

    /// An integer: numbers, or text holding a number (`"32"`); a fraction is rounded, with a
    /// warning that says so.
    fn integer(&mut self, map: &Map<String, Value>, key: &str) -> Option<i64> {
        let value = map.get(key)?;
        if value.is_null() {
            return None;
        }
        if let Some(whole) = whole_number(value) {
            return Some(whole);
        }
        let fraction = match value {
            Value::Number(number) => number.as_f64(),
            Value::String(text) => text.trim().parse::<f64>().ok(),
            _ => None,
        }
        .filter(|f| f.is_finite());
        match fraction {
            Some(fraction) => {
                let rounded = fraction.round() as i64;
                self.warn(format!(
                    "`{key}` is not a whole number ({}); rounded to {rounded}, the raw value stays in meta",
                    preview(value)
                ));
                Some(rounded)
            }
            None => {
                self.warn(format!(
                    "`{key}` is not a number ({}); stored as null, the raw value stays in meta",
                    preview(value)
                ));
                None
            }
        }
    }

    fn date(&mut self, map: &Map<String, Value>, key: &str) -> Option<ReadDate> {
        self.date_value(map.get(key)?, key)
    }

    fn date_value(&mut self, value: &Value, key: &str) -> Option<ReadDate> {
        let text = match value {
            Value::Null => return None,
            Value::String(text) => text.clone(),
            other => other.to_string(),
        };
        let date = read_date(&text);
        if let (None, Some(year)) = (&date, crate::parse::date::year_out_of_range(&text)) {
            let (first, last) = crate::parse::date::YEARS;
            self.warn(format!(
                "`{key}` is in the year {year} ({}), outside the years {first} to {last} an \
                 index holds; the record has no date from it, the raw value stays in meta",
                preview(value),
            ));
        } else if date.is_none() {
            self.warn(format!(
                "`{key}` is not a date newsidx reads ({}): expected {}; the record has no date \
                 from it, the raw value stays in meta",
                preview(value),
                accepted_forms()
            ));
        }
        date
    }

    fn provider(&mut self, value: Option<&Value>, key: &str) -> Option<Provider> {
        let provider = match value? {
            Value::Null => return None,
            Value::Object(map) => Provider {
                name: self.text(map, "name"),
                domain: self.text(map, "domain"),
            },
            scalar => Provider {
                name: self.text_value(scalar, key),
                domain: None,
            },
        };
        (provider.name.is_some() || provider.domain.is_some()).then_some(provider)
    }

    /// The related list, and the canonical forms of every URL in it.
    fn related(&mut self, value: Option<&Value>) -> (Vec<RelatedLink>, Vec<String>) {
        let items: Vec<&Value> = match value {
            None | Some(Value::Null) => Vec::new(),
            Some(Value::Array(items)) => items.iter().collect(),
            // A scalar where a list is expected is a one-element list (`related: https://…`).
            Some(single @ (Value::Object(_) | Value::String(_))) => vec![single],
            Some(other) => {
                self.warn(format!(
                    "`related` should be a list of articles, found {}; ignored",
                    shape(other)
                ));
                Vec::new()
            }
        };
        let mut related = Vec::new();
        let mut links = Vec::new();
        for item in items {
            match item {
                Value::Object(map) => {
                    let urls: Vec<String> = URL_KEYS
                        .iter()
                        .filter_map(|key| self.url(map, key))
                        .collect();
                    links.extend(urls.iter().filter_map(|u| canonical_url(u)));
                    related.push(RelatedLink {
                        title: self.text(map, "title"),
                        url: urls.first().cloned(),
                        date: date_text(self.date(map, "publishedDateTime").as_ref()),
                        provider: self.provider(map.get("provider"), "related provider"),
                    });
                }
                Value::String(url) => {
                    links.extend(canonical_url(url));
                    related.push(RelatedLink {
                        title: None,
                        url: Some(url.trim().to_owned()),
                        date: None,
                        provider: None,
                    });
                }
                other => self.warn(format!(
                    "a `related` entry is {}, not an article; ignored",
                    shape(other)
                )),
            }
        }
        (related, links)
    }
}

/// True for `published: false` and its YAML 1.1 spellings (`no`, `off`, ...): a flag, not a
/// date, so no warning.
fn is_flag(value: &Value) -> bool {
    match value {
        Value::Bool(_) => true,
        Value::String(text) => matches!(
            text.trim().to_ascii_lowercase().as_str(),
            "true" | "false" | "yes" | "no" | "on" | "off" | "y" | "n"
        ),
        _ => false,
    }
}

/// The value as an integer when it is one exactly (`32`, `"32"`, `32.0`).
fn whole_number(value: &Value) -> Option<i64> {
    let number = match value {
        Value::Number(number) => return number.as_i64().or_else(|| exact(number.as_f64()?)),
        Value::String(text) => text.trim(),
        _ => return None,
    };
    number
        .parse::<i64>()
        .ok()
        .or_else(|| exact(number.parse::<f64>().ok()?))
}

/// A float that is a whole number an i64 holds exactly.
fn exact(number: f64) -> Option<i64> {
    (number.fract() == 0.0 && number.abs() < 9e15).then_some(number as i64)
}

fn shape(value: &Value) -> &'static str {
    match value {
        Value::Null => "null",
        Value::Bool(_) => "boolean",
        Value::Number(_) => "number",
        Value::String(_) => "text",
        Value::Array(_) => "list",
        Value::Object(_) => "mapping",
    }
}

/// A short, quoted rendering of a value for messages.
fn preview(value: &Value) -> String {
    let text = match value {
        Value::String(text) => text.clone(),
        other => other.to_string(),
    };
    let short: String = text.chars().take(40).collect();
    if short.len() < text.len() {
        format!("`{short}…`")
    } else {
        format!("`{short}`")
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn article(meta: Value) -> (IndexedRecord, Vec<Diagnostic>) {
        let mut diagnostics = Vec::new();
        let map = meta.as_object().unwrap().clone();
        let key_lines = vec![("heat".to_owned(), 9)];
        let source = Source {
            rel: "a/x.md",
            key_lines: &key_lines,
        };
        let record = article_record(&source, map, "", &[], &mut diagnostics);
        (record, diagnostics)
    }

    #[test]
    fn tolerant_fields() {
        let (rec, diags) = article(json!({
            "title": 1984, "topics": "AI", "quality": "32", "heat": "lots",
            "provider": {"name": "The Daily Dot", "domain": "www.DailyDot.com"},
            "publishedDateTime": "2021-06-11T23:45:00+02:00", "author": "Jane"
        }));
        let r = &rec.record;
        assert_eq!(r.title.as_deref(), Some("1984"));
        assert_eq!(r.topics, ["AI"]);
        assert_eq!(r.quality, Some(32));
        assert_eq!(r.heat, None);
        assert_eq!(r.date.as_deref(), Some("2021-06-11T21:45:00Z"));
        assert_eq!(r.meta["author"], "Jane");
        assert_eq!(r.meta["heat"], "lots");
        assert_eq!(rec.domain.as_deref(), Some("dailydot.com"));
        assert_eq!(diags.len(), 1);
        assert!(
            diags[0].message.contains("`heat` is not a number"),
            "{}",
            diags[0]
        );
        assert_eq!(diags[0].line, Some(9));
    }

    #[test]
    fn id_comes_from_the_canonical_url_else_the_path() {
        let (a, _) = article(json!({"webUrl": "https://WWW.X.com/p?utm_source=a#f"}));
        let (b, _) = article(json!({"originalUrl": "https://www.x.com/p"}));
        assert_eq!(a.record.id, b.record.id);
        assert_eq!(
            a.record.url.as_deref(),
            Some("https://WWW.X.com/p?utm_source=a#f")
        );
        let (c, _) = article(json!({"title": "no url"}));
        assert_eq!(c.record.id, record_id("a/x.md"));
    }

    #[test]
    fn bad_dates_warn_and_leave_no_date() {
        let (rec, diags) = article(json!({"publishedDateTime": "03/04/2021"}));
        assert_eq!(rec.record.date, None);
        assert_eq!(diags.len(), 1);
        assert_eq!(rec.record.meta["publishedDateTime"], "03/04/2021");
    }

    #[test]
    fn dates_come_from_the_listed_keys_in_any_case() {
        let date = |meta: Value| article(meta).0.record.date;
        assert_eq!(
            date(json!({"Date": "2020-05-06 10:00:00 +0000 UTC"})).as_deref(),
            Some("2020-05-06T10:00:00Z")
        );
        assert_eq!(
            date(json!({"published": false, "pubdate": "2021-01-02"})).as_deref(),
            Some("2021-01-02T00:00:00Z")
        );
        assert_eq!(
            date(json!({"published": "2021-01-03", "created": "2020-01-01"})).as_deref(),
            Some("2021-01-03T00:00:00Z")
        );
        let (rec, diags) = article(json!({"published": "no", "created": "2020-01-01"}));
        assert_eq!(rec.record.date.as_deref(), Some("2020-01-01T00:00:00Z"));
        assert!(diags.is_empty(), "{diags:?}");
        for never in ["updated", "lastmod", "modified", "updatedDateTime"] {
            assert_eq!(date(json!({ never: "2021-01-01" })), None, "{never}");
        }
        // An unreadable key is warned, and the next key still dates the record.
        let (rec, diags) = article(
            json!({"publishedDateTime": "soon", "datePublished": "2021-02-03T04:05:06.5Z"}),
        );
        assert_eq!(rec.record.date.as_deref(), Some("2021-02-03T04:05:06.5Z"));
        assert_eq!(diags.len(), 1);
        assert!(
            diags[0].message.contains("`YYYY年MM月DD日`"),
            "{}",
            diags[0]
        );
    }

    #[test]
    fn jekyll_file_names_date_what_the_keys_do_not() {
        let mut diagnostics = Vec::new();
        let source = Source {
            rel: "_posts/2019-04-11-rust-1.34.md",
            key_lines: &[],
        };
        let map = json!({"title": "T"}).as_object().unwrap().clone();
        let rec = article_record(&source, map, "", &[], &mut diagnostics);
        assert_eq!(rec.record.date.as_deref(), Some("2019-04-11T00:00:00Z"));
        let body = BodyText {
            date: None,
            text: "x".into(),
        };
        let rec = body_record("notes/2020-01-02-a.txt", &body);
        assert_eq!(rec.record.date.as_deref(), Some("2020-01-02T00:00:00Z"));
        let rec = body_record("2020-01-02/a.txt", &body);
        assert_eq!(rec.record.date, None, "folders never date a record");
    }

    #[test]
    fn tags_keywords_and_categories_merge() {
        let (rec, diags) = article(json!({
            "tags": "release, minor ,", "keywords": ["Release", "rust", 2024],
            "categories": "news", "topics": ["AI"]
        }));
        assert_eq!(
            rec.record.tags,
            ["release", "minor", "rust", "2024", "news"]
        );
        assert_eq!(rec.record.topics, ["AI"]);
        assert!(diags.is_empty());
        assert!(article(json!({"title": "t"})).0.record.tags.is_empty());
    }

    #[test]
    fn fractions_and_numbers_as_urls_are_warned() {
        let (rec, diags) = article(json!({"quality": 32.5, "heat": "7.0", "webUrl": 42}));
        assert_eq!((rec.record.quality, rec.record.heat), (Some(33), Some(7)));
        assert_eq!(rec.record.url, None);
        let messages: Vec<&str> = diags.iter().map(|d| d.message.as_str()).collect();
        assert_eq!(messages.len(), 2, "{messages:?}");
        assert!(messages[0].contains("rounded to 33"), "{messages:?}");
        assert!(messages[1].contains("not a URL"), "{messages:?}");
    }

    #[test]
    fn related_links_are_canonical() {
        let (rec, _) = article(json!({"related": [
            {"title": "t", "webUrl": "https://A.com/x#y", "ampWebUrl": "https://a.com/x.amp",
             "publishedDateTime": "2021-06-10T16:34:00Z", "provider": {"name": "A"}},
            "https://b.com/z?utm_medium=m"
        ]}));
        assert_eq!(
            rec.links,
            ["https://a.com/x", "https://a.com/x.amp", "https://b.com/z"]
        );
        assert_eq!(rec.record.related.len(), 2);
        assert_eq!(
            rec.record.related[0].date.as_deref(),
            Some("2021-06-10T16:34:00Z")
        );
    }

    #[test]
    fn a_date_outside_the_index_years_says_so() {
        for (text, year) in [
            ("0001-01-01T00:00:00Z", "year 1 "),
            ("9999-12-31", "year 9999 "),
        ] {
            let (rec, diagnostics) = article(json!({ "publishedDateTime": text }));
            assert!(rec.date.is_none());
            let message = format!("{diagnostics:?}");
            assert!(
                message.contains(year) && message.contains("1678 to 2261"),
                "{message}"
            );
        }
    }

    #[test]
    fn one_related_url_is_a_list_of_one() {
        let (rec, diagnostics) = article(json!({"related": "https://rw.example/a"}));
        assert_eq!(rec.links, ["https://rw.example/a"]);
        assert_eq!(rec.record.related.len(), 1);
        assert!(diagnostics.is_empty(), "{diagnostics:?}");
    }

    /// Found by `cargo fuzz run parse_file`: without serde_json's `float_roundtrip`, a float in
    /// the front matter came back from the stored record JSON one ulp off.
    #[test]
    fn floats_in_meta_survive_the_stored_json() {
        for text in [
            "x: 1.4444444444444444e+66\n",
            "x: 0.1\n",
            "x: 2.2250738585072014e-308\n",
        ] {
            let meta = crate::parse::front_matter::parse_yaml(text).unwrap().value;
            let (rec, _) = article(meta);
            let json = serde_json::to_string(&rec.record).unwrap();
            let back: Record = serde_json::from_str(&json).unwrap();
            assert_eq!(back.meta, rec.record.meta, "{text}");
        }
    }

    #[test]
    fn paired_body_fills_in_date_and_text() {
        let body = BodyText {
            date: chrono::NaiveDate::from_ymd_opt(2020, 6, 10),
            text: "Paired text.".into(),
        };
        let mut diagnostics = Vec::new();
        let map = json!({"title": "T"}).as_object().unwrap().clone();
        let source = Source {
            rel: "x.md",
            key_lines: &[],
        };
        let rec = article_record(
            &source,
            map,
            "Own text.",
            &[("x.txt", &body)],
            &mut diagnostics,
        );
        assert_eq!(rec.body, "Own text.\n\nPaired text.");
        assert_eq!(rec.record.date.as_deref(), Some("2020-06-10T00:00:00Z"));
        assert_eq!(rec.record.body_path.as_deref(), Some("x.txt"));
    }
}

#[cfg(test)]
mod properties {
    use super::*;
    use proptest::prelude::*;

    fn scalar() -> impl Strategy<Value = Value> {
        prop_oneof![
            Just(Value::Null),
            any::<bool>().prop_map(Value::Bool),
            any::<i64>().prop_map(Value::from),
            "[^\u{0}]{0,12}".prop_map(Value::from),
            "2021-0[1-9]-1[0-9]".prop_map(Value::from),
        ]
    }

    fn value() -> impl Strategy<Value = Value> {
        scalar().prop_recursive(3, 24, 4, |inner| {
            prop_oneof![
                proptest::collection::vec(inner.clone(), 0..4).prop_map(Value::Array),
                proptest::collection::vec(("[a-zA-Z]{1,12}", inner), 0..4)
                    .prop_map(|pairs| Value::Object(pairs.into_iter().collect())),
            ]
        })
    }

    fn key() -> impl Strategy<Value = String> {
        prop_oneof![
            Just("title".to_owned()),
            Just("topics".to_owned()),
            Just("quality".to_owned()),
            Just("heat".to_owned()),
            Just("provider".to_owned()),
            Just("related".to_owned()),
            Just("webUrl".to_owned()),
            Just("publishedDateTime".to_owned()),
            Just("category".to_owned()),
            "[a-z]{1,8}",
        ]
    }

    proptest! {
        #[test]
        fn record_json_round_trip_loses_nothing(pairs in proptest::collection::vec((key(), value()), 0..12)) {
            let meta: Map<String, Value> = pairs.into_iter().collect();
            let mut diagnostics = Vec::new();
            let source = Source { rel: "p/a.md", key_lines: &[] };
            let indexed = article_record(&source, meta.clone(), "body", &[], &mut diagnostics);
            let json = serde_json::to_string(&indexed.record).unwrap();
            let back: Record = serde_json::from_str(&json).unwrap();
            prop_assert_eq!(&back, &indexed.record);
            prop_assert_eq!(&back.meta, &meta, "meta keeps every key verbatim");
        }
    }
}
