//! Output stage: one `Printer`, built once from the output flags, that every command hands its
//! rows to. It writes table, jsonl, json, csv or paths to any `io::Write`, applies `--fields`
//! in one place for every format, and streams wherever the format allows (only the table
//! buffers, for its column widths).
#![allow(clippy::print_stdout, clippy::print_stderr)]

pub mod build_report;
pub mod dot;
pub mod ingest;
pub mod rows;
pub mod sanitize;
pub mod stdout;
mod table;
mod timeline;

use std::io::{self, Write};

use anyhow::{bail, Result};
use serde::Serialize;
use serde_json::{Map, Value};

pub use table::{Cell, Fit, Style};

/// An output format: the five row formats, and two that one command each prints whole.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Table,
    Jsonl,
    Json,
    Csv,
    Paths,
    /// `related`'s link graph, as Graphviz (`Printer::graph`).
    Dot,
    /// `export`'s documents for a search engine (`Printer::engine_doc`).
    Engine(ingest::Engine),
}

impl Format {
    /// True for the formats that print rows (`Printer::row`).
    pub fn prints_rows(self) -> bool {
        !matches!(self, Format::Dot | Format::Engine(_))
    }
}

/// How to print, resolved from flags and the terminal.
#[derive(Debug, Clone)]
pub struct OutputOptions {
    pub format: Format,
    /// `--fields`: keys to print, in order.
    pub fields: Option<Vec<String>>,
    /// `-0`: NUL after each path.
    pub null: bool,
    /// Colour in table output.
    pub color: bool,
    /// Width to fit the table to; `None` = no limit (not a terminal).
    pub width: Option<usize>,
    /// stdout is a terminal: archive text in every format is made safe to display.
    pub terminal: bool,
}

impl OutputOptions {
    /// Options for output no flag shapes (the build summary's JSON, generated text).
    pub fn plain(format: Format) -> Self {
        OutputOptions {
            format,
            fields: None,
            null: false,
            color: false,
            width: None,
            terminal: stdout::is_terminal(),
        }
    }
}

/// A row any command prints: `Serialize` is its JSON contract; the rest drives the table.
pub trait Row: Serialize {
    /// Keys shown as table columns when `--fields` is not given.
    fn table_keys(&self) -> &'static [&'static str];

    /// The table cell of `key`; the default renders the JSON value.
    fn table_cell(&self, key: &str, value: &Value) -> Cell {
        let _ = key;
        Cell::for_value(value)
    }

    /// The table cell of `key` in `row`, the row's JSON with paths already made relative to
    /// the current folder; the default is `table_cell` of the key's value.
    fn table_cell_in(&self, key: &str, row: &Value) -> Cell {
        self.table_cell(key, field_value(row, key).unwrap_or(&Value::Null))
    }

    /// How the column of `key` gives way when the table is wider than the terminal; by
    /// default by its name (ids and dates whole, a provider before a title).
    fn table_fit(&self, key: &str) -> Fit {
        Fit::for_key(key)
    }

    /// An extra line printed under the row in the table (a search snippet).
    fn table_detail(&self) -> Option<Cell> {
        None
    }

    /// The files that hold the row's record (a pair's body file too), for `--format paths`;
    /// `None` for rows that are not about files at all (a count), which that format refuses.
    fn row_paths(&self) -> Option<Vec<&str>> {
        None
    }

    /// Keys `--fields` may name; by default those of the row's JSON, and `key.sub` for the
    /// keys of its objects.
    fn field_names(&self, value: &Value) -> Vec<String> {
        let Some(map) = value.as_object() else {
            return Vec::new();
        };
        let mut names: Vec<String> = map.keys().cloned().collect();
        for (key, value) in map {
            if let Some(inner) = value.as_object() {
                names.extend(inner.keys().map(|sub| format!("{key}.{sub}")));
            }
        }
        names.extend(
            self.csv_objects()
                .iter()
                .flat_map(|(key, subs)| subs.iter().map(move |sub| format!("{key}.{sub}"))),
        );
        let mut seen = std::collections::HashSet::new();
        names.retain(|name| seen.insert(name.clone()));
        names
    }

    /// Object keys that CSV spreads into one column per part (`provider` → `provider_name`,
    /// `provider_domain`), so every row has the same columns even when the object is null.
    fn csv_objects(&self) -> &'static [(&'static str, &'static [&'static str])] {
        &[]
    }
}

/// The value at `key` of a row's JSON; `a.b` looks inside the object at `a`.
pub fn field_value<'v>(value: &'v Value, key: &str) -> Option<&'v Value> {
    if let Some(found) = value.get(key) {
        return Some(found);
    }
    let (outer, inner) = key.split_once('.')?;
    value.get(outer)?.get(inner)
}

/// Renders a JSON value as table text: null is empty, lists are comma-joined, a provider
/// shows its name.
pub fn render_value(value: &Value) -> String {
    match value {
        Value::Null => String::new(),
        Value::String(text) => text.clone(),
        Value::Array(items) => items
            .iter()
            .map(render_value)
            .collect::<Vec<_>>()
            .join(", "),
        Value::Object(map) => match map.get("name").or_else(|| map.get("title")) {
            Some(name) if !name.is_null() => render_value(name),
            _ => Value::Object(map.clone()).to_string(),
        },
        other => other.to_string(),
    }
}

/// Writes rows in one format.
pub struct Printer<W: Write> {
    out: W,
    options: OutputOptions,
    rows_written: usize,
    table: table::TableBuffer,
    csv_header: Option<Vec<String>>,
    /// The folders from the archive root down to the current folder, when it is below the
    /// root: record paths are printed relative to it.
    path_base: Option<Vec<String>>,
    /// The archive root, where `paths` finds the real bytes of names that are not UTF-8.
    archive_root: Option<std::path::PathBuf>,
}

impl Printer<stdout::Stdout> {
    /// A printer over standard output: the only way a command writes to it.
    pub fn stdout(options: OutputOptions) -> Self {
        Printer::new(stdout::stdout(), options)
    }
}

impl<W: Write> Printer<W> {
    /// A printer over `out`.
    pub fn new(out: W, options: OutputOptions) -> Self {
        Printer {
            out,
            table: table::TableBuffer::default(),
            options,
            rows_written: 0,
            csv_header: None,
            path_base: None,
            archive_root: None,
        }
    }

    /// Makes every format print record paths relative to the current folder when it lies
    /// inside the archive (`../2020/x.md` from `2021/`), and relative to the archive root
    /// otherwise, as the index stores them: the same base in `paths`, JSON and CSV.
    pub fn set_archive_root(&mut self, archive: &std::path::Path) {
        self.archive_root = Some(archive.to_path_buf());
        let Ok(cwd) = std::env::current_dir() else {
            return;
        };
        // Once here, not per printed path.
        let cwd = cwd.canonicalize().unwrap_or(cwd);
        let archive = archive
            .canonicalize()
            .unwrap_or_else(|_| archive.to_path_buf());
        let Ok(below) = cwd.strip_prefix(&archive) else {
            return;
        };
        let folders: Vec<String> = below
            .components()
            .map(|c| c.as_os_str().to_string_lossy().into_owned())
            .collect();
        self.path_base = (!folders.is_empty()).then_some(folders);
    }

    /// A path relative to the archive root, made relative to the current folder (see
    /// `set_archive_root`).
    pub fn usable_path(&self, rel: &str) -> String {
        let Some(folders) = &self.path_base else {
            return rel.to_owned();
        };
        let parts: Vec<&str> = rel.split('/').collect();
        let common = folders
            .iter()
            .zip(&parts)
            .take_while(|(a, b)| a == b)
            .count()
            // The file name itself is never a folder in common.
            .min(parts.len().saturating_sub(1));
        let mut out: Vec<&str> = vec![".."; folders.len() - common];
        out.extend(&parts[common..]);
        out.join("/")
    }

    /// The bytes of a path whose file name is not UTF-8 (the index holds it as text, each such
    /// byte as `\xNN`), found by reading its folders in the archive: `rel` as
    /// stored, `usable` as printed. `None` for a UTF-8 path, or when no such file is found.
    fn raw_path(&self, rel: &str, usable: &str) -> Option<Vec<u8>> {
        if !crate::walk::may_be_escaped(rel) {
            return None;
        }
        let root = self.archive_root.as_ref()?;
        let found = crate::walk::find_by_name_text(root, rel)?;
        let names: Vec<&std::ffi::OsStr> = found.strip_prefix(root).ok()?.iter().collect();
        // `usable` ends with the same names as `rel`, after its `..` parts.
        let usable_parts: Vec<&str> = usable.split('/').collect();
        let kept = usable_parts.len().min(names.len());
        let mut out = Vec::new();
        for part in &usable_parts[..usable_parts.len() - kept] {
            out.extend_from_slice(part.as_bytes());
            out.push(b'/');
        }
        let tail = &names[names.len() - kept..];
        for (i, name) in tail.iter().enumerate() {
            if i > 0 {
                out.push(b'/');
            }
            out.extend_from_slice(os_bytes(name)?);
        }
        Some(out)
    }

    /// Rewrites the `path` and `body_path` of a row's JSON for the current folder.
    fn rebase(&self, value: &mut Value) {
        if self.path_base.is_none() {
            return;
        }
        if let Value::Object(map) = value {
            for key in ["path", "body_path"] {
                if let Some(Value::String(path)) = map.get_mut(key) {
                    *path = self.usable_path(path);
                }
            }
            // A cluster's members (`dups`) and a record's copies (`show`) are records too;
            // nothing else is looked into (`meta` is the user's, with keys of any name).
            for key in ["members", "copies"] {
                if let Some(Value::Array(items)) = map.get_mut(key) {
                    items.iter_mut().for_each(|item| self.rebase(item));
                }
            }
        }
    }

    /// The options this printer was built with.
    pub fn options(&self) -> &OutputOptions {
        &self.options
    }

    /// True when `--fields` asks for `key`.
    pub fn wants_field(&self, key: &str) -> bool {
        self.options
            .fields
            .as_ref()
            .is_some_and(|fields| fields.iter().any(|f| f == key))
    }

    /// Prints one row.
    pub fn row<R: Row>(&mut self, row: &R) -> Result<()> {
        if self.rows_written == 0 && self.options.format != Format::Paths {
            if let Some(fields) = &self.options.fields {
                let value = serde_json::to_value(row)?;
                let known = row.field_names(&value);
                if let Some(unknown) = fields.iter().find(|f| !is_known_field(f, &known, &value)) {
                    bail!(
                        "--fields: no field `{unknown}`; the fields are {}",
                        known.join(", ")
                    );
                }
            }
        }
        match self.options.format {
            Format::Jsonl => {
                self.write_json(row)?;
                self.out.write_all(b"\n")?;
            }
            Format::Json => {
                self.out.write_all(if self.rows_written == 0 {
                    b"[\n"
                } else {
                    b",\n"
                })?;
                self.write_json(row)?;
            }
            Format::Csv => self.write_csv(row)?,
            Format::Paths => {
                let Some(paths) = row.row_paths() else {
                    bail!(
                        "--format paths prints records' file paths; this command prints no records"
                    );
                };
                for path in paths {
                    let usable = &self.usable_path(path);
                    if self.options.terminal {
                        // `new\x0aline.md`, never `new line.md`: that is another file.
                        self.out.write_all(sanitize::escape(usable).as_bytes())?;
                    } else if let Some(raw) = self.raw_path(path, usable) {
                        // For xargs: the file's own name, not its UTF-8 rendering.
                        self.out.write_all(&raw)?;
                    } else {
                        self.out.write_all(usable.as_bytes())?;
                    }
                    self.out
                        .write_all(if self.options.null { b"\0" } else { b"\n" })?;
                }
            }
            Format::Dot | Format::Engine(_) => {
                bail!("--format {:?} prints no rows", self.options.format)
            }
            Format::Table => {
                let mut value = serde_json::to_value(row)?;
                self.rebase(&mut value);
                let keys: Vec<String> = match &self.options.fields {
                    Some(fields) => fields.clone(),
                    None => row.table_keys().iter().map(|k| k.to_string()).collect(),
                };
                let cells = keys
                    .iter()
                    .map(|key| match row.table_cell_in(key, &value) {
                        cell if is_name_key(key) => cell.named(),
                        cell => cell,
                    })
                    .collect();
                let fits = keys.iter().map(|key| row.table_fit(key)).collect();
                // `--fields` picks every column; the snippet line comes only with the default.
                let detail = match self.options.fields {
                    Some(_) => None,
                    None => row.table_detail(),
                };
                self.table.push(keys, fits, cells, detail);
            }
        }
        self.rows_written += 1;
        Ok(())
    }

    /// Prints `related`'s link graph (`--format dot`).
    pub fn graph(&mut self, graph: &crate::query::related::Graph) -> Result<()> {
        dot::write_dot(&mut self.out, graph)?;
        self.rows_written += graph.edges.len();
        Ok(())
    }

    /// Prints one record as a search engine's document (`export --format quickwit` or
    /// `elasticsearch`); `index` names the Elasticsearch index in its action line.
    pub fn engine_doc(&mut self, doc: &ingest::EngineDoc<'_>, index: &str) -> Result<()> {
        let Format::Engine(engine) = self.options.format else {
            bail!(
                "--format {:?} is not a search engine's",
                self.options.format
            );
        };
        ingest::write_engine_doc(&mut self.out, engine, index, doc)?;
        self.rows_written += 1;
        Ok(())
    }

    /// The stream itself, for text clap generates whole (completions, the man page).
    pub fn generated_text(&mut self) -> &mut W {
        &mut self.out
    }

    /// Prints one row with `--fields` ignored (the lines of a single object's table view,
    /// which already picked its fields).
    pub fn row_ignoring_fields<R: Row>(&mut self, row: &R) -> Result<()> {
        let fields = self.options.fields.take();
        let printed = self.row(row);
        self.options.fields = fields;
        printed
    }

    /// Ends the output (closes the JSON array, draws the table) and flushes.
    pub fn finish(mut self) -> Result<()> {
        match self.options.format {
            Format::Json => {
                self.out.write_all(if self.rows_written == 0 {
                    b"[]\n"
                } else {
                    b"\n]\n"
                })?;
            }
            Format::Table => {
                let table = std::mem::take(&mut self.table);
                table.draw(&mut self.out, self.options.color, self.options.width)?;
            }
            _ => {}
        }
        self.out.flush()?;
        Ok(())
    }

    /// A line of the table format's own text, printed as it is (not dimmed); nothing in
    /// other formats.
    pub fn table_line(&mut self, line: &str) {
        if self.options.format == Format::Table {
            self.table.line(line.to_owned());
        }
    }

    /// Writes a line of text in table format only (a note such as "20 of 57 shown" goes to
    /// stdout under the table, where a person reads it; scripts never see it).
    pub fn table_note(&mut self, note: &str) {
        if self.options.format == Format::Table {
            self.table.note(note.to_owned());
        }
    }

    fn selected(&self, row: &impl Serialize) -> Result<Value> {
        let mut value = serde_json::to_value(row)?;
        self.rebase(&mut value);
        let Some(fields) = &self.options.fields else {
            return Ok(value);
        };
        let mut selected = Map::new();
        for key in fields {
            let found = field_value(&value, key).cloned().unwrap_or(Value::Null);
            selected.insert(key.clone(), found);
        }
        Ok(Value::Object(selected))
    }

    fn write_json(&mut self, row: &impl Serialize) -> Result<()> {
        let json = if self.options.fields.is_none() && self.path_base.is_none() {
            serde_json::to_string(row)?
        } else {
            serde_json::to_string(&self.selected(row)?)?
        };
        if self.options.terminal {
            self.out
                .write_all(sanitize::escape_json_for_terminal(&json).as_bytes())?;
        } else {
            self.out.write_all(json.as_bytes())?;
        }
        Ok(())
    }

    fn write_csv<R: Row>(&mut self, row: &R) -> Result<()> {
        let Value::Object(map) = self.selected(row)? else {
            bail!("internal: a row did not serialise to an object");
        };
        let map = flatten_for_csv(map, row.csv_objects());
        let mut writer = csv::WriterBuilder::new().from_writer(Vec::new());
        if self.csv_header.is_none() {
            let header: Vec<String> = map.keys().cloned().collect();
            writer.write_record(&header)?;
            self.csv_header = Some(header);
        }
        let header = self.csv_header.as_ref().expect("set above");
        let terminal = self.options.terminal;
        let cells: Vec<String> = header
            .iter()
            .map(|key| match map.get(key) {
                None | Some(Value::Null) => String::new(),
                Some(Value::String(text)) => csv_text(text, terminal),
                Some(Value::Array(items)) => items
                    .iter()
                    .map(|item| csv_item(item, terminal))
                    .collect::<Vec<_>>()
                    .join("; "),
                Some(other) => csv_json(other, terminal),
            })
            .collect();
        writer.write_record(&cells)?;
        let bytes = writer
            .into_inner()
            .map_err(|err| io::Error::other(err.to_string()))?;
        self.out.write_all(&bytes)?;
        Ok(())
    }
}

/// Spreads the objects CSV shows as columns (`provider` → `provider_name`,
/// `provider_domain`); other objects stay JSON text in one column.
fn flatten_for_csv(map: Map<String, Value>, objects: &[(&str, &[&str])]) -> Map<String, Value> {
    if objects.is_empty() {
        return map;
    }
    let mut flat = Map::new();
    for (key, value) in map {
        match objects.iter().find(|(name, _)| *name == key) {
            Some((_, parts)) => {
                for part in *parts {
                    let inner = value.get(part).cloned().unwrap_or(Value::Null);
                    flat.insert(format!("{key}_{part}"), inner);
                }
            }
            None => {
                flat.insert(key, value);
            }
        }
    }
    flat
}

/// One item of a list in a CSV cell: text as is, an object by its URL (related links) or
/// name, anything else as JSON.
fn csv_item(item: &Value, terminal: bool) -> String {
    match item {
        Value::String(text) => csv_text(text, terminal),
        Value::Object(map) => match ["url", "name", "title"]
            .iter()
            .find_map(|k| map.get(*k).and_then(Value::as_str))
        {
            Some(text) => csv_text(text, terminal),
            None => csv_json(item, terminal),
        },
        other => csv_json(other, terminal),
    }
}

/// Text in a CSV cell: on a terminal with control characters escaped, newlines and tabs
/// too (`\x0a`), as `paths` does; piped, the real characters, quoted by the CSV writer.
fn csv_text(text: &str, terminal: bool) -> String {
    if terminal {
        sanitize::escape(text)
    } else {
        text.to_owned()
    }
}

/// JSON in a CSV cell (`meta`): on a terminal with JSON's own `\u202e` escapes, as jsonl
/// writes them, so that the cell is still the same JSON.
fn csv_json(value: &Value, terminal: bool) -> String {
    let json = value.to_string();
    if terminal {
        sanitize::escape_json_for_terminal(&json)
    } else {
        json
    }
}

/// True for the keys whose values are file names, escaped whole on a terminal (`Cell::name`).
fn is_name_key(key: &str) -> bool {
    matches!(key, "path" | "body_path")
}

/// Prints a diagnostic or note on stderr (progress bars draw there too).
pub fn eprint_line(line: &str) {
    eprintln!("{line}");
}

/// Whether `--fields` may name `field` for a row whose JSON is `value` and whose fields are
/// `known`. The front matter's keys (`meta.date`) differ from record to record: one missing
/// from this row may be in the next, so any is accepted.
fn is_known_field(field: &str, known: &[String], value: &Value) -> bool {
    known.iter().any(|k| k == field)
        || (field.starts_with("meta.") && value.get("meta").is_some_and(Value::is_object))
}

/// A file name's bytes, where the OS has them as bytes (Unix); elsewhere `None`.
fn os_bytes(name: &std::ffi::OsStr) -> Option<&[u8]> {
    #[cfg(unix)]
    {
        use std::os::unix::ffi::OsStrExt;
        Some(name.as_bytes())
    }
    #[cfg(not(unix))]
    {
        let _ = name;
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Serialize)]
    struct Demo {
        name: String,
        count: u64,
        tags: Vec<String>,
        path: String,
    }

    impl Row for Demo {
        fn table_keys(&self) -> &'static [&'static str] {
            &["name", "count"]
        }
        fn row_paths(&self) -> Option<Vec<&str>> {
            Some(vec![&self.path])
        }
    }

    fn demo(name: &str, count: u64) -> Demo {
        Demo {
            name: name.into(),
            count,
            tags: vec!["a".into(), "b".into()],
            path: format!("{name}.md"),
        }
    }

    fn render(format: Format, fields: Option<&[&str]>) -> String {
        let options = OutputOptions {
            format,
            fields: fields.map(|f| f.iter().map(|s| s.to_string()).collect()),
            null: false,
            color: false,
            width: None,
            terminal: false,
        };
        let mut out = Vec::new();
        let mut printer = Printer::new(&mut out, options);
        printer.row(&demo("x", 1)).unwrap();
        printer.row(&demo("é", 22)).unwrap();
        printer.finish().unwrap();
        String::from_utf8(out).unwrap()
    }

    #[test]
    fn every_format() {
        assert_eq!(
            render(Format::Jsonl, None),
            "{\"name\":\"x\",\"count\":1,\"tags\":[\"a\",\"b\"],\"path\":\"x.md\"}\n\
             {\"name\":\"é\",\"count\":22,\"tags\":[\"a\",\"b\"],\"path\":\"é.md\"}\n"
        );
        assert_eq!(
            render(Format::Json, Some(&["count"])),
            "[\n{\"count\":1},\n{\"count\":22}\n]\n"
        );
        assert_eq!(
            render(Format::Csv, Some(&["name", "tags"])),
            "name,tags\nx,a; b\né,a; b\n"
        );
        assert_eq!(render(Format::Paths, None), "x.md\né.md\n");
        assert_eq!(
            render(Format::Table, None),
            "NAME  COUNT\nx         1\né        22\n"
        );
    }

    #[derive(Serialize)]
    struct Named {
        path: String,
        title: String,
        meta: Value,
    }

    impl Row for Named {
        fn table_keys(&self) -> &'static [&'static str] {
            &["path", "title"]
        }
        fn row_paths(&self) -> Option<Vec<&str>> {
            Some(vec![&self.path])
        }
    }

    fn render_named(format: Format, terminal: bool) -> String {
        let options = OutputOptions {
            format,
            fields: None,
            null: false,
            color: false,
            width: None,
            terminal,
        };
        let mut out = Vec::new();
        let mut printer = Printer::new(&mut out, options);
        for (path, title) in [
            ("new\nline.md", "new\nline"),
            ("tab\tname.md", "evil \u{202e}rlo"),
        ] {
            let meta = serde_json::json!({ "title": title });
            let row = Named {
                path: path.into(),
                title: title.into(),
                meta,
            };
            printer.row(&row).unwrap();
        }
        printer.finish().unwrap();
        String::from_utf8(out).unwrap()
    }

    #[test]
    fn paths_on_a_terminal_escape_newlines_and_tabs_and_pipes_keep_them() {
        assert_eq!(
            render_named(Format::Paths, true),
            "new\\x0aline.md\ntab\\x09name.md\n"
        );
        assert_eq!(
            render_named(Format::Paths, false),
            "new\nline.md\ntab\tname.md\n"
        );
    }

    #[test]
    fn csv_on_a_terminal_is_one_line_a_row_with_valid_json() {
        let shown = render_named(Format::Csv, true);
        assert!(
            !shown.chars().any(|c| c != '\n' && sanitize::is_unsafe(c)),
            "{shown:?}"
        );
        assert_eq!(shown.lines().count(), 3, "{shown}");
        let mut reader = csv::Reader::from_reader(shown.as_bytes());
        let rows: Vec<csv::StringRecord> = reader.records().map(Result::unwrap).collect();
        assert_eq!(&rows[0][0], "new\\x0aline.md");
        assert_eq!(&rows[1][1], "evil \\u{202e}rlo");
        // The meta column is still JSON, and the same JSON.
        let meta: Value = serde_json::from_str(&rows[1][2]).unwrap();
        assert_eq!(meta["title"], "evil \u{202e}rlo");
        // Piped: valid CSV with the real characters.
        let piped = render_named(Format::Csv, false);
        let mut reader = csv::Reader::from_reader(piped.as_bytes());
        let rows: Vec<csv::StringRecord> = reader.records().map(Result::unwrap).collect();
        assert_eq!(&rows[0][0], "new\nline.md");
        assert_eq!(&rows[1][0], "tab\tname.md");
        assert_eq!(&rows[1][1], "evil \u{202e}rlo");
    }

    #[test]
    fn unknown_fields_are_refused() {
        let options = OutputOptions {
            format: Format::Jsonl,
            fields: Some(vec!["nosuch".into()]),
            null: false,
            color: false,
            width: None,
            terminal: false,
        };
        let mut out = Vec::new();
        let err = Printer::new(&mut out, options)
            .row(&demo("x", 1))
            .unwrap_err();
        assert!(err.to_string().contains("no field `nosuch`"), "{err}");
    }

    #[test]
    fn empty_json_is_an_empty_array() {
        let options = OutputOptions {
            format: Format::Json,
            fields: None,
            null: false,
            color: false,
            width: None,
            terminal: false,
        };
        let mut out = Vec::new();
        Printer::new(&mut out, options).finish().unwrap();
        assert_eq!(out, b"[]\n");
    }
}
