//! Commands: the glue between stages. Each turns its clap arguments into plain values, calls
//! the stages, and hands rows to the printer. The only layer that knows every stage.

pub mod build;
pub mod dups;
pub mod export;
pub mod facets;
pub mod generate;
pub mod related;
pub mod search;
pub mod show;
pub mod similar;
pub mod stats;
pub mod timeline;

use anyhow::Result;

use crate::cli::{ColorChoice, FilterArgs, FormatArg, GlobalArgs, KindArg, OutputArgs};
use crate::index::{find_index, open_index, OpenIndex};
use crate::output::ingest::Engine;
use crate::output::stdout::{self, Stdout};
use crate::output::{Format, OutputOptions, Printer};
use crate::query::filters::{date_range, today, DateFlag, Filters};
use crate::record::Kind;

/// Opens the index the global flags point at (or the nearest one).
pub fn open_from_flags(global: &GlobalArgs) -> Result<OpenIndex> {
    let path = find_index(global.index.as_deref())?;
    open_index(&path)
}

pub use crate::output::stdout::output_width;

/// The printer for a command that prints rows, over stdout, in the format the flags ask for
/// (`default` when none).
pub fn printer(
    global: &GlobalArgs,
    output: &OutputArgs,
    default: Format,
) -> Result<Printer<Stdout>> {
    printer_with(global, output, default, &[])
}

/// `printer`, for a command that also prints the formats in `own` (`related`'s dot graph,
/// `export`'s engine documents). Any other command's own format is refused by name.
pub fn printer_with(
    global: &GlobalArgs,
    output: &OutputArgs,
    default: Format,
    own: &[Format],
) -> Result<Printer<Stdout>> {
    let format = match (output.json, output.format) {
        (true, _) => Format::Jsonl,
        (false, None) => default,
        (false, Some(arg)) => format_of(arg),
    };
    if !format.prints_rows() && !own.contains(&format) {
        let (name, command) = match format {
            Format::Dot => ("dot", "related"),
            Format::Engine(Engine::Quickwit) => ("quickwit", "export"),
            _ => ("elasticsearch", "export"),
        };
        anyhow::bail!(
            "--format {name} is for `newsidx {command}`; this command prints table, jsonl, json, \
             csv or paths"
        );
    }
    let options = OutputOptions {
        format,
        // `--fields 'id, title'`: the space is the shell's, not part of a name.
        fields: output.fields.as_ref().map(|fields| {
            fields
                .iter()
                .map(|f| f.trim().to_owned())
                .filter(|f| !f.is_empty())
                .collect()
        }),
        null: output.null,
        color: stdout::use_color(match global.color {
            ColorChoice::Always => Some(true),
            ColorChoice::Never => Some(false),
            ColorChoice::Auto => None,
        }),
        width: output_width(),
        terminal: stdout::is_terminal(),
    };
    Ok(Printer::stdout(options))
}

fn format_of(arg: FormatArg) -> Format {
    match arg {
        FormatArg::Table => Format::Table,
        FormatArg::Jsonl => Format::Jsonl,
        FormatArg::Json => Format::Json,
        FormatArg::Csv => Format::Csv,
        FormatArg::Paths => Format::Paths,
        FormatArg::Dot => Format::Dot,
        FormatArg::Quickwit => Format::Engine(Engine::Quickwit),
        FormatArg::Elasticsearch => Format::Engine(Engine::Elasticsearch),
    }
}

/// Turns the filter flags into `Filters`, reading dates.
pub fn filters_from(args: &FilterArgs) -> Result<Filters> {
    let today = today();
    let mut filters = Filters {
        topics: args.topic.clone(),
        tags: args.tag.clone(),
        provider: args.provider.clone(),
        domain: args.domain.clone(),
        category: args.category.clone(),
        doc_type: args.doc_type.clone(),
        kind: args.kind.map(|k| match k {
            KindArg::Article => Kind::Article,
            KindArg::Body => Kind::Body,
        }),
        min_quality: args.min_quality,
        links_to: args.links_to.clone(),
        ..Filters::default()
    };
    let flag = |name: &str, value: &str, since, before| DateFlag {
        written: format!("--{name} {value}"),
        since,
        before,
    };
    if let Some(since) = &args.since {
        let (start, _) = date_range(since, today).map_err(|e| anyhow::anyhow!("--since: {e}"))?;
        filters.since = Some(start);
        filters
            .date_flags
            .push(flag("since", since, Some(start), None));
    }
    if let Some(until) = &args.until {
        let (_, end) = date_range(until, today).map_err(|e| anyhow::anyhow!("--until: {e}"))?;
        filters.before = Some(end);
        filters
            .date_flags
            .push(flag("until", until, None, Some(end)));
    }
    if let (Some(since), Some(before)) = (filters.since, filters.before) {
        if since >= before {
            anyhow::bail!(
                "--since {} is after --until {}: no date can match",
                args.since.as_deref().unwrap_or_default(),
                args.until.as_deref().unwrap_or_default()
            );
        }
    }
    if let Some(prefix) = &args.date {
        let (start, end) = date_range(prefix, today).map_err(|e| anyhow::anyhow!("--date: {e}"))?;
        filters.intersect_dates(start, end);
        filters
            .date_flags
            .push(flag("date", prefix, Some(start), Some(end)));
    }
    Ok(filters)
}

/// Query words joined as one query text.
pub fn query_text(words: &[String]) -> String {
    words.join(" ")
}

/// What `show`, `similar` and `related` say when `key` finds no record; a key that looks like
/// a short id prefix is told how long one must be.
fn no_record_message(key: &str) -> String {
    let key = crate::output::sanitize::sanitize(key);
    let short_hex = (1..6).contains(&key.len()) && key.bytes().all(|b| b.is_ascii_hexdigit());
    if short_hex {
        format!("newsidx: no record with id, URL or path `{key}` (an id prefix needs at least 6 hex digits)")
    } else {
        format!("newsidx: no record with id, URL or path `{key}`")
    }
}

/// Rows a table shows unless `--limit` says otherwise; other formats print every row.
const TABLE_LIMIT: usize = 20;

/// The rows to print for `--limit` in `format`: `None` is every row (`--limit 0`, or no
/// `--limit` outside a table: a pipe gets no hidden cap).
fn row_limit(limit: Option<usize>, format: Format) -> Option<usize> {
    match limit {
        Some(0) => None,
        Some(limit) => Some(limit),
        None if format == Format::Table => Some(TABLE_LIMIT),
        None => None,
    }
}

/// Says on stderr why a table shows nothing (the exit status, 1, says only that it does):
/// what `search` and `dups` say for theirs. Other formats stay silent, as an empty result.
fn say_nothing_shown(format: Format, global: &GlobalArgs, why: &str) {
    if format == Format::Table && !global.quiet {
        crate::output::eprint_line(why);
    }
}
