//! `newsidx dups [QUERY] [filters] [--threshold J] [--limit N]`: clusters of copies of one
//! story, largest first, each with its earliest-dated member first.

use anyhow::Result;
use serde::Serialize;
use serde_json::Value;

use super::{filters_from, open_from_flags, printer, query_text};
use crate::cli::{DupsArgs, GlobalArgs};
use crate::exit::Outcome;
use crate::output::{Cell, Format, Row, Style};
use crate::query::build_query;
use crate::query::dups::{copy_clusters, describe_cluster, ClusterMember, CopyCluster};
use crate::record::Provider;

/// Clusters a table shows unless `--limit` says otherwise.
const TABLE_LIMIT: usize = 20;

/// Runs `dups`.
pub fn run(args: &DupsArgs, global: &GlobalArgs) -> Result<Outcome> {
    let open = open_from_flags(global)?;
    let mut printer = printer(global, &args.output, Format::Table)?;
    printer.set_archive_root(&open.payload.archive);
    let format = printer.options().format;
    let filters = filters_from(&args.filters)?;
    let (query, _) = build_query(&open, &query_text(&args.query), &filters)?;
    let searcher = open.reader.searcher();
    let started = std::time::Instant::now();
    let clusters = copy_clusters(&searcher, query.as_ref(), args.threshold)?;
    if global.verbose > 0 {
        crate::output::eprint_line(&format!(
            "newsidx: {} clusters of copies in {:.1} ms",
            clusters.len(),
            started.elapsed().as_secs_f64() * 1000.0
        ));
    }
    let limit = match (args.limit, format) {
        (Some(0), _) => clusters.len(),
        (Some(limit), _) => limit,
        (None, Format::Table) => TABLE_LIMIT,
        (None, _) => clusters.len(),
    };
    for cluster in clusters.iter().take(limit) {
        let row = describe_cluster(&open, cluster)?;
        match format {
            // A spreadsheet wants flat rows: one per member.
            Format::Csv | Format::Paths => {
                for member in &row.members {
                    printer.row(&MemberRow::new(&row, member))?;
                }
            }
            _ => printer.row(&row)?,
        }
    }
    let shown = clusters.len().min(limit);
    if shown < clusters.len() {
        printer.table_note(&format!(
            "{shown} of {} clusters shown; use --limit 0 for all",
            clusters.len()
        ));
    }
    printer.finish()?;
    if shown == 0 && !global.quiet && format == Format::Table {
        crate::output::eprint_line(&format!(
            "newsidx: no copies found at --threshold {}",
            args.threshold
        ));
    }
    Ok(Outcome::from_found(shown > 0))
}

impl Row for CopyCluster {
    fn table_keys(&self) -> &'static [&'static str] {
        &["size", "date", "provider", "title", "copies"]
    }

    fn table_cell(&self, key: &str, value: &Value) -> Cell {
        let first = &self.members[0];
        match key {
            "date" => Cell::plain(date_day(first)),
            "provider" => Cell::plain(provider_name(first)),
            "title" => Cell::plain(member_title(first)),
            "copies" => Cell::plain(
                self.members[1..]
                    .iter()
                    .map(|m| format!("{} {:.2}", m.path, m.similarity))
                    .collect::<Vec<_>>()
                    .join(", "),
            )
            .styled(Style::Dim),
            _ => Cell::for_value(value),
        }
    }
}

/// One member of a cluster as a flat row (csv, paths).
#[derive(Debug, Serialize)]
struct MemberRow<'a> {
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
    fn new(cluster: &'a CopyCluster, member: &'a ClusterMember) -> Self {
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

fn date_day(member: &ClusterMember) -> &str {
    member.date.as_deref().map_or("", |d| &d[..d.len().min(10)])
}

fn provider_name(member: &ClusterMember) -> &str {
    member
        .provider
        .as_ref()
        .and_then(|p| p.name.as_deref())
        .unwrap_or_default()
}

fn member_title(member: &ClusterMember) -> String {
    match (&member.title, &member.opening) {
        (Some(title), _) => title.clone(),
        (None, Some(opening)) => opening.clone(),
        (None, None) => String::new(),
    }
}
