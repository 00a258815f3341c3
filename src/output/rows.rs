//! How each kind of row looks: its table columns and cells, its files for `--format paths`,
//! and the flat shapes CSV needs. The rows themselves are the query stage's; their JSON is
//! their `Serialize` (docs/json.md).

use std::io::Write;

use anyhow::{bail, Result};
use serde::Serialize;
use serde_json::Value;
use unicode_width::UnicodeWidthStr;

use super::sanitize::{escape, sanitize};
use super::{render_value, Cell, Format, Printer, Row, Style};
use crate::query::dups::{ClusterMember, CopyCluster, RecordWithCopies};
use crate::query::facets::FacetCount;
use crate::query::related::RelatedRow;
use crate::query::stats::Stats;
use crate::query::{RecordPaths, SearchHit};
use crate::record::{Provider, RecordWithBody};

/// The day of an RFC 3339 date, for a table column.
fn day_of(date: Option<&str>) -> &str {
    date.map_or("", |d| d.get(..10).unwrap_or(d))
}

/// A title for the table: the record's, else the opening of its body.
fn title_or_opening(title: &Option<String>, opening: &Option<String>) -> String {
    match (title, opening) {
        (Some(title), _) => title.clone(),
        (None, Some(opening)) => opening.clone(),
        (None, None) => String::new(),
    }
}

const PROVIDER_COLUMNS: &[(&str, &[&str])] = &[("provider", &["name", "domain"])];

/// The header of `show`'s field column.
const FIELD_HEADER: &str = "FIELD";

/// Where `show` may break `text`: at spaces in ASCII text, so that a URL stays whole (the
/// Unicode rules break it at `/` and `-`); by the Unicode rules otherwise, so that Japanese or
/// Chinese, which has no spaces, wraps too.
fn separator_for(text: &str) -> textwrap::WordSeparator {
    if text.is_ascii() {
        textwrap::WordSeparator::AsciiSpace
    } else {
        textwrap::WordSeparator::UnicodeBreakProperties
    }
}

/// Narrowest value column `show` wraps to, however narrow the terminal.
const MIN_VALUE_COLUMNS: usize = 20;

impl Row for SearchHit {
    fn table_keys(&self) -> &'static [&'static str] {
        if self.copies.is_some() {
            &["id", "date", "provider", "copies", "title"]
        } else if self.copy.is_some() {
            &["id", "score", "copy", "date", "provider", "title"]
        } else {
            &["id", "date", "provider", "title"]
        }
    }

    fn table_cell(&self, key: &str, value: &Value) -> Cell {
        match key {
            "id" => Cell::plain(&self.record.id).styled(Style::Dim),
            "date" => Cell::plain(day_of(self.record.date.as_deref())),
            "score" => Cell::plain(self.score.map_or(String::new(), |s| format!("{s:.2}"))),
            "copy" => Cell::plain(if self.copy == Some(true) { "copy" } else { "" }),
            "title" => Cell::plain(title_or_opening(&self.record.title, &self.opening)),
            _ => Cell::for_value(value),
        }
    }

    fn table_detail(&self) -> Option<Cell> {
        let snippet = self.snippet.as_ref()?;
        Some(Cell {
            text: snippet.clone(),
            style: Style::Dim,
            align_right: false,
            highlights: self.highlights.clone(),
            name: false,
        })
    }

    fn row_paths(&self) -> Option<Vec<&str>> {
        Some(self.record.files())
    }

    fn csv_objects(&self) -> &'static [(&'static str, &'static [&'static str])] {
        PROVIDER_COLUMNS
    }
}

impl Row for RecordPaths {
    fn table_keys(&self) -> &'static [&'static str] {
        &["path", "body_path"]
    }

    fn row_paths(&self) -> Option<Vec<&str>> {
        Some(
            std::iter::once(self.path.as_str())
                .chain(self.body_path.as_deref())
                .collect(),
        )
    }
}

impl Row for RecordWithBody {
    fn table_keys(&self) -> &'static [&'static str] {
        &["id", "date", "title"]
    }

    fn table_cell(&self, key: &str, value: &Value) -> Cell {
        match key {
            "title" => Cell::plain(self.record.display_title(Some(&self.body))),
            _ => Cell::for_value(value),
        }
    }

    fn row_paths(&self) -> Option<Vec<&str>> {
        Some(self.record.files())
    }

    fn csv_objects(&self) -> &'static [(&'static str, &'static [&'static str])] {
        PROVIDER_COLUMNS
    }
}

impl Row for RecordWithCopies {
    fn table_keys(&self) -> &'static [&'static str] {
        self.inner.table_keys()
    }

    fn table_cell(&self, key: &str, value: &Value) -> Cell {
        self.inner.table_cell(key, value)
    }

    fn row_paths(&self) -> Option<Vec<&str>> {
        self.inner.row_paths()
    }

    fn csv_objects(&self) -> &'static [(&'static str, &'static [&'static str])] {
        self.inner.csv_objects()
    }
}

impl Row for CopyCluster {
    fn table_keys(&self) -> &'static [&'static str] {
        &["size", "date", "provider", "title", "copies"]
    }

    fn table_cell(&self, key: &str, value: &Value) -> Cell {
        let first = &self.members[0];
        match key {
            "date" => Cell::plain(day_of(first.date.as_deref())),
            "provider" => Cell::plain(
                first
                    .provider
                    .as_ref()
                    .and_then(|p| p.name.as_deref())
                    .unwrap_or_default(),
            ),
            "title" => Cell::plain(title_or_opening(&first.title, &first.opening)),
            _ => Cell::for_value(value),
        }
    }

    fn table_cell_in(&self, key: &str, row: &Value) -> Cell {
        if key != "copies" {
            return self.table_cell(key, super::field_value(row, key).unwrap_or(&Value::Null));
        }
        // From the row's JSON, whose member paths are relative to the current folder.
        let members = row.get("members").and_then(Value::as_array);
        let copies: Vec<String> = members
            .into_iter()
            .flatten()
            .skip(1)
            .map(|m| {
                let path = m.get("path").and_then(Value::as_str).unwrap_or_default();
                let similarity = m.get("similarity").and_then(Value::as_f64).unwrap_or(0.0);
                format!("{path} {similarity:.2}")
            })
            .collect();
        Cell::plain(copies.join(", ")).styled(Style::Dim).named()
    }
}

/// One member of a cluster of copies as a flat row: what a spreadsheet or `xargs` wants.
#[derive(Debug, Serialize)]
pub struct MemberRow<'a> {
    cluster: &'a str,
    size: usize,
    id: &'a str,
    path: &'a str,
    title: Option<&'a str>,
    provider_name: Option<&'a str>,
    provider_domain: Option<&'a str>,
    date: Option<&'a str>,
    similarity: f64,
}

impl<'a> MemberRow<'a> {
    pub fn new(cluster: &'a CopyCluster, member: &'a ClusterMember) -> Self {
        let provider: Option<&Provider> = member.provider.as_ref();
        MemberRow {
            cluster: &cluster.cluster,
            size: cluster.size,
            id: &member.id,
            path: &member.path,
            title: member.title.as_deref(),
            provider_name: provider.and_then(|p| p.name.as_deref()),
            provider_domain: provider.and_then(|p| p.domain.as_deref()),
            date: member.date.as_deref(),
            similarity: member.similarity,
        }
    }
}

impl Row for MemberRow<'_> {
    fn table_keys(&self) -> &'static [&'static str] {
        &["cluster", "similarity", "path", "title"]
    }

    fn row_paths(&self) -> Option<Vec<&str>> {
        Some(vec![self.path])
    }
}

/// Every key any relation has, and the CSV columns (one header must fit every row).
pub const RELATED_KEYS: [&str; 8] = [
    "relation", "id", "path", "title", "url", "date", "provider", "shared",
];

impl Row for RelatedRow {
    fn table_keys(&self) -> &'static [&'static str] {
        &["relation", "id", "title", "url"]
    }

    fn table_cell(&self, key: &str, value: &Value) -> Cell {
        match (key, self) {
            ("relation", RelatedRow::Cocited { shared, .. }) => {
                Cell::plain(format!("cocited ({shared})"))
            }
            ("id", _) => Cell::for_value(value).styled(Style::Dim),
            _ => Cell::for_value(value),
        }
    }

    /// The archive file of an incoming or co-cited article; an outgoing link has none to print.
    fn row_paths(&self) -> Option<Vec<&str>> {
        Some(match self {
            RelatedRow::Incoming { path, .. } | RelatedRow::Cocited { path, .. } => vec![path],
            RelatedRow::Outgoing { .. } => Vec::new(),
        })
    }

    fn field_names(&self, _: &Value) -> Vec<String> {
        RELATED_KEYS.iter().map(|k| k.to_string()).collect()
    }
}

impl Row for Stats {
    fn table_keys(&self) -> &'static [&'static str] {
        &[
            "records", "articles", "bodies", "undated", "date_min", "date_max",
        ]
    }
}

impl Row for FacetCount {
    fn table_keys(&self) -> &'static [&'static str] {
        &["value", "count"]
    }
}

/// One `key: value` line of the table view of a single object (`show`, `stats`).
#[derive(Debug, Serialize)]
struct Field {
    field: String,
    value: Value,
    /// The value is a file name (`Cell::name`).
    #[serde(skip)]
    name: bool,
}

impl Row for Field {
    fn table_keys(&self) -> &'static [&'static str] {
        &["field", "value"]
    }

    fn table_cell(&self, key: &str, value: &Value) -> Cell {
        match key {
            "field" => Cell::plain(value.as_str().unwrap_or_default()),
            _ if self.name => Cell::plain(render_value(value)).named(),
            _ => Cell::plain(render_value(value)),
        }
    }
}

/// One field of the table view of a single object: its name and the lines of its value.
struct ShownField {
    field: String,
    lines: Vec<String>,
    /// The lines are file names (`Cell::name`).
    names: bool,
}

impl ShownField {
    /// A field whose value is `value`: a list of records or links (`show --fields copies`)
    /// one item a line, so that a long list reads down the screen, not across it; anything
    /// else on one line.
    fn of(field: String, value: &Value) -> Self {
        let lines = match value {
            Value::Null => Vec::new(),
            Value::Array(items) if items.iter().any(Value::is_object) => {
                items.iter().map(render_value).collect()
            }
            other => vec![render_value(other)],
        };
        let names = super::is_name_key(&field);
        ShownField {
            field,
            lines,
            names,
        }
    }
}

impl<W: Write> Printer<W> {
    /// Prints one object: as `FIELD VALUE` lines in table format, as the object otherwise.
    pub fn object<R: Row>(&mut self, object: &R) -> Result<()> {
        if self.options().format != Format::Table {
            return self.row(object);
        }
        let mut value = serde_json::to_value(object)?;
        self.rebase(&mut value);
        let Value::Object(map) = &value else {
            return self.row(object);
        };
        let Some(wanted) = self.options().fields.clone() else {
            let fields = map
                .iter()
                .map(|(key, value)| ShownField::of(key.clone(), value))
                .collect();
            return self.field_view(fields, None);
        };
        // As in every other format: dotted keys (`provider.name`, `meta.layout`), in the
        // order asked, an unknown one an error.
        let known = object.field_names(&value);
        let mut fields = Vec::new();
        for field in &wanted {
            let found = super::field_value(&value, field);
            if found.is_none() && !super::is_known_field(field, &known, &value) {
                bail!(
                    "--fields: no field `{field}`; the fields are {}",
                    known.join(", ")
                );
            }
            fields.push(ShownField::of(field.clone(), found.unwrap_or(&Value::Null)));
        }
        self.field_view(fields, None)
    }

    /// `show`'s view for a person: the record's fields as a table (related links summed up,
    /// copies one a line), then the body.
    pub fn readable_record(&mut self, shown: &RecordWithCopies) -> Result<()> {
        let Value::Object(mut map) = serde_json::to_value(&shown.inner.record)? else {
            bail!("a record did not serialise to an object");
        };
        map.remove("meta");
        if let Some(Value::Array(related)) = map.get("related").cloned() {
            map.insert(
                "related".into(),
                Value::from(format!(
                    "{} links (see `newsidx show --json`)",
                    related.len()
                )),
            );
        }
        let mut fields: Vec<ShownField> = map
            .into_iter()
            .map(|(key, value)| {
                let value = match (key.as_str(), value) {
                    ("path" | "body_path", Value::String(path)) => {
                        Value::from(self.usable_path(&path))
                    }
                    (_, value) => value,
                };
                ShownField::of(key, &value)
            })
            .collect();
        if !shown.copies.is_empty() {
            let lines = shown
                .copies
                .iter()
                .map(|c| format!("{} ({:.2})", self.usable_path(&c.path), c.similarity))
                .collect();
            fields.push(ShownField {
                field: "copies".into(),
                lines,
                names: true,
            });
        }
        self.field_view(fields, Some(&shown.inner.body))
    }

    /// The table view of one object, then `body` under it. Piped, nothing is cut or wrapped;
    /// on a terminal, each line of a value is wrapped under itself and the body at words, so
    /// that nothing is cut either. A word longer than a line (a URL) stays whole, to be copied.
    fn field_view(&mut self, fields: Vec<ShownField>, body: Option<&str>) -> Result<()> {
        let key_width = fields
            .iter()
            .map(|f| f.field.width())
            .chain([FIELD_HEADER.len()])
            .max()
            .unwrap_or(0);
        let Some(width) = self.options.width else {
            for shown in fields {
                let mut lines = shown.lines.into_iter();
                let first = Field {
                    field: shown.field,
                    value: lines.next().map_or(Value::Null, Value::from),
                    name: shown.names,
                };
                self.row_ignoring_fields(&first)?;
                for line in lines {
                    self.row_ignoring_fields(&Field {
                        field: String::new(),
                        value: Value::from(line),
                        name: shown.names,
                    })?;
                }
            }
            if let Some(body) = body {
                let body: Vec<String> = body.lines().map(sanitize).collect();
                self.table_note("");
                self.table_note(&body.join("\n"));
            }
            return Ok(());
        };
        let indent = " ".repeat(key_width + 2);
        let wrap_width = width.max(key_width + 2 + MIN_VALUE_COLUMNS);
        let header = format!("{FIELD_HEADER:key_width$}  VALUE");
        if self.options.color {
            self.table_line(&format!("\x1b[1m{header}\x1b[0m"));
        } else {
            self.table_line(&header);
        }
        for shown in fields {
            let first = format!("{:key_width$}  ", shown.field);
            if shown.lines.is_empty() || shown.lines.iter().all(String::is_empty) {
                self.table_line(first.trim_end());
                continue;
            }
            for (n, line) in shown.lines.iter().enumerate() {
                let text = if shown.names {
                    escape(line)
                } else {
                    sanitize(line)
                };
                let options = textwrap::Options::new(wrap_width)
                    .initial_indent(if n == 0 { &first } else { &indent })
                    .subsequent_indent(&indent)
                    .break_words(false)
                    .word_separator(separator_for(&text))
                    .word_splitter(textwrap::WordSplitter::NoHyphenation);
                for piece in textwrap::wrap(&text, options) {
                    self.table_line(piece.trim_end());
                }
            }
        }
        let Some(body) = body else {
            return Ok(());
        };
        self.table_line("");
        for line in body.lines() {
            let line = sanitize(line);
            let options = textwrap::Options::new(width.max(MIN_VALUE_COLUMNS))
                .break_words(false)
                .word_separator(separator_for(&line))
                .word_splitter(textwrap::WordSplitter::NoHyphenation);
            let wrapped = textwrap::wrap(&line, options);
            if wrapped.is_empty() {
                self.table_line("");
            }
            for piece in wrapped {
                self.table_line(&piece);
            }
        }
        Ok(())
    }
}
