//! Build stage: read → parse → record → document, in parallel. A producer thread parses chunks
//! of pairing groups on a rayon pool (`--jobs` threads) and sends each chunk, in order, over a
//! bounded channel; the calling thread consumes them (claims, the writer). Memory stays bounded
//! by the chunk size and the channel's capacity, whatever the archive's size.

use std::fs;

use anyhow::{Context, Result};
use rayon::prelude::*;
use tantivy::TantivyDocument;
use xxhash_rust::xxh3::xxh3_64;

use super::Progress;
use crate::diag::Diagnostic;
use crate::index::manifest::FileEntry;
use crate::index::schema::Fields;
use crate::parse::parse_file;
use crate::record::{records_of_group, GroupFile};
use crate::walk::Candidate;

/// Groups parsed per chunk: large enough to keep every core busy, small enough that a chunk
/// of parsed documents stays a few megabytes.
const GROUPS_PER_CHUNK: usize = 256;

/// Parsed chunks waiting for the consumer.
const CHUNKS_IN_FLIGHT: usize = 2;

/// The files of one pairing group, read and parsed.
pub struct ParsedGroup {
    /// The manifest entry of each file.
    pub entries: Vec<FileEntry>,
    pub records: Vec<ParsedRecord>,
}

/// A record ready for the index.
pub struct ParsedRecord {
    pub id: String,
    pub path: String,
    pub document: TantivyDocument,
}

/// Parses `groups` on `jobs` threads and hands each parsed group to `consume`, in order.
/// Stops at the first error `consume` returns.
pub fn parse_groups(
    groups: &[Vec<&Candidate>],
    fields: &Fields,
    max_file_size: u64,
    jobs: usize,
    progress: &dyn Progress,
    mut consume: impl FnMut(ParsedGroup) -> Result<()>,
) -> Result<()> {
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(jobs.max(1))
        .build()
        .context("starting parser threads")?;
    let (sender, receiver) = crossbeam_channel::bounded::<Vec<ParsedGroup>>(CHUNKS_IN_FLIGHT);
    std::thread::scope(|scope| -> Result<()> {
        let pool = &pool;
        scope.spawn(move || {
            for chunk in groups.chunks(GROUPS_PER_CHUNK) {
                let parsed: Vec<ParsedGroup> = pool.install(|| {
                    chunk
                        .par_iter()
                        .map(|group| parse_group(group, fields, max_file_size))
                        .collect()
                });
                progress.advance(chunk.iter().map(|g| g.len() as u64).sum());
                // The consumer stopped (an error): stop parsing.
                if sender.send(parsed).is_err() {
                    return;
                }
            }
        });
        for parsed in receiver {
            for group in parsed {
                consume(group)?;
            }
        }
        Ok(())
    })
}

/// Reads and parses the files of one group, and makes its records' documents.
pub fn parse_group(group: &[&Candidate], fields: &Fields, max_file_size: u64) -> ParsedGroup {
    let mut entries = Vec::with_capacity(group.len());
    let mut files = Vec::with_capacity(group.len());
    for candidate in group {
        let (entry, file) = read_file(candidate, max_file_size);
        entries.push(entry);
        files.extend(file);
    }

    let mut extraction = Vec::new();
    let records = records_of_group(files, &mut extraction);
    for diagnostic in extraction {
        if let Some(entry) = entries.iter_mut().find(|e| e.rel == diagnostic.path) {
            entry.diagnostics.push(diagnostic);
        }
    }
    let mut parsed_records = Vec::with_capacity(records.len());
    for record in records {
        let Some(entry) = entries.iter_mut().find(|e| e.rel == record.record.path) else {
            continue;
        };
        match fields.document(&record) {
            Ok(document) => {
                entry.claims.push(record.record.id.clone());
                parsed_records.push(ParsedRecord {
                    id: record.record.id,
                    path: record.record.path,
                    document,
                });
            }
            Err(err) => {
                entry.skipped = true;
                entry.diagnostics.push(Diagnostic::error(
                    &entry.rel,
                    format!("cannot encode the record: {err}"),
                ));
            }
        }
    }
    ParsedGroup {
        entries,
        records: parsed_records,
    }
}

/// Reads and parses one file: its manifest entry, and the parsed file unless it was skipped
/// unread (too large, unreadable).
fn read_file(candidate: &Candidate, max_file_size: u64) -> (FileEntry, Option<GroupFile>) {
    let mut entry = FileEntry {
        rel: candidate.rel.clone(),
        size: candidate.size,
        mtime_ns: candidate.mtime_ns,
        hash: 0,
        claims: Vec::new(),
        unreadable: false,
        skipped: true,
        diagnostics: Vec::new(),
    };
    if candidate.size > max_file_size {
        entry.diagnostics.push(Diagnostic::warning(
            &candidate.rel,
            format!(
                "file is larger than --max-file-size ({} > {} bytes), skipped",
                candidate.size, max_file_size
            ),
        ));
        return (entry, None);
    }
    match fs::read(&candidate.abs) {
        Ok(bytes) => {
            entry.hash = xxh3_64(&bytes);
            let parsed = parse_file(&candidate.rel, &bytes);
            entry.skipped = parsed.parsed.is_none();
            entry.diagnostics = parsed.diagnostics.clone();
            let file = GroupFile {
                rel: candidate.rel.clone(),
                parsed,
            };
            (entry, Some(file))
        }
        Err(err) => {
            entry.unreadable = true;
            entry.diagnostics.push(Diagnostic::warning(
                &candidate.rel,
                format!("cannot read: {err}, skipped"),
            ));
            (entry, None)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diag::Severity;
    use crate::index::schema::build_schema;
    use std::path::Path;

    fn candidate(dir: &Path, rel: &str, size: u64) -> Candidate {
        Candidate {
            abs: dir.join(rel),
            rel: rel.to_owned(),
            size,
            mtime_ns: 1,
        }
    }

    #[test]
    fn files_gone_or_grown_between_walk_and_read_are_skipped_with_a_warning() {
        let dir = tempfile::tempdir().unwrap();
        fs::write(dir.path().join("x.md"), "---\ntitle: kept\n---\nbody").unwrap();
        let fields = Fields::from_schema(&build_schema()).unwrap();
        let gone = candidate(dir.path(), "gone.md", 10);
        let kept = candidate(dir.path(), "x.md", 24);
        let outcome = parse_group(&[&gone, &kept], &fields, 1 << 20);
        assert_eq!(outcome.records.len(), 1);
        let gone_entry = &outcome.entries[0];
        assert!(gone_entry.skipped);
        assert_eq!(gone_entry.diagnostics[0].severity, Severity::Warning);
        assert!(gone_entry.diagnostics[0].message.starts_with("cannot read"));

        let big = candidate(dir.path(), "x.md", 5000);
        let outcome = parse_group(&[&big], &fields, 100);
        assert!(outcome.records.is_empty());
        assert!(outcome.entries[0].diagnostics[0]
            .message
            .contains("larger than"));
    }

    #[test]
    fn a_folder_where_a_file_was_is_a_warning() {
        let dir = tempfile::tempdir().unwrap();
        fs::create_dir(dir.path().join("now-a-dir.md")).unwrap();
        let fields = Fields::from_schema(&build_schema()).unwrap();
        let outcome = parse_group(
            &[&candidate(dir.path(), "now-a-dir.md", 3)],
            &fields,
            1 << 20,
        );
        assert!(outcome.entries[0].skipped);
        assert!(outcome.records.is_empty());
    }
}
