//! `newsidx show ID|URL|PATH`: one record with its body.

use std::io::Write;

use anyhow::{bail, Result};
use serde::Serialize;
use serde_json::Value;

use super::{open_from_flags, print_object, printer};
use crate::cli::{GlobalArgs, ShowArgs};
use crate::exit::Outcome;
use crate::output::sanitize::sanitize;
use crate::output::{Format, Printer, Row};
use crate::query::dups::{copies_of_record, RecordCopy, DEFAULT_THRESHOLD};
use crate::query::lookup;
use crate::record::Record;

/// A record with its body: what `show` and `export` print.
#[derive(Debug, Serialize)]
pub struct RecordWithBody {
    #[serde(flatten)]
    pub record: Record,
    pub body: String,
}

impl Row for RecordWithBody {
    fn table_keys(&self) -> &'static [&'static str] {
        &["id", "date", "title"]
    }

    fn table_cell(&self, key: &str, value: &Value) -> crate::output::Cell {
        match key {
            "title" => crate::output::Cell::plain(self.record.display_title(Some(&self.body))),
            _ => crate::output::Cell::for_value(value),
        }
    }

    fn row_paths(&self) -> Option<Vec<&str>> {
        Some(self.record.files())
    }

    fn csv_objects(&self) -> &'static [(&'static str, &'static [&'static str])] {
        &[("provider", &["name", "domain"])]
    }
}

/// What `show` prints: the record, its body and its copies in the archive.
#[derive(Debug, Serialize)]
struct Shown {
    #[serde(flatten)]
    inner: RecordWithBody,
    copies: Vec<RecordCopy>,
}

impl Row for Shown {
    fn table_keys(&self) -> &'static [&'static str] {
        self.inner.table_keys()
    }

    fn table_cell(&self, key: &str, value: &Value) -> crate::output::Cell {
        self.inner.table_cell(key, value)
    }

    fn row_paths(&self) -> Option<Vec<&str>> {
        self.inner.row_paths()
    }
}

/// Runs `show`.
pub fn run(args: &ShowArgs, global: &GlobalArgs) -> Result<Outcome> {
    let open = open_from_flags(global)?;
    let mut printer = printer(global, &args.output, Format::Table)?;
    printer.set_archive_root(&open.payload.archive);
    let Some((record, body)) = lookup(&open, &args.key)? else {
        printer.finish()?;
        if !global.quiet {
            crate::output::eprint_line(&format!(
                "newsidx: no record with id, URL or path `{}`",
                sanitize(&args.key)
            ));
        }
        return Ok(Outcome::NothingMatched);
    };
    let copies = copies_of_record(&open, &record.id, DEFAULT_THRESHOLD)?;
    let shown = Shown {
        inner: RecordWithBody { record, body },
        copies,
    };
    if printer.options().format == Format::Table && printer.options().fields.is_none() {
        print_readable(printer, &shown)?;
    } else {
        print_object(&mut printer, &shown)?;
        printer.finish()?;
    }
    Ok(Outcome::Found)
}

/// The human view: the record's fields as a table, then the body.
fn print_readable<W: Write>(mut printer: Printer<W>, shown: &Shown) -> Result<()> {
    let Value::Object(mut map) = serde_json::to_value(&shown.inner.record)? else {
        bail!("internal: a record did not serialise to an object");
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
    if !shown.copies.is_empty() {
        let copies: Vec<String> = shown
            .copies
            .iter()
            .map(|c| format!("{} ({:.2})", c.path, c.similarity))
            .collect();
        map.insert("copies".into(), Value::from(copies.join(", ")));
    }
    for (key, value) in map {
        let value = match (key.as_str(), value) {
            ("path" | "body_path", Value::String(path)) => Value::from(printer.usable_path(&path)),
            (_, value) => value,
        };
        printer.row(&super::Field { field: key, value })?;
    }
    let body = shown
        .inner
        .body
        .lines()
        .map(sanitize)
        .collect::<Vec<_>>()
        .join("\n");
    printer.table_note("");
    printer.table_note(&body);
    printer.finish()
}
