//! The build, as a pipeline of the stages below it:
//!
//! ```text
//! walk ──> plan ──> pipeline (read → parse → record → document) ──> claims ──> index writer
//! files    what to    in parallel, in order                          first path   one commit
//! sorted   read,                                                     wins a URL   + manifest
//!          delete, keep
//! ```
//!
//! `index/` knows tantivy (the folder, the schema, the writer, the manifest store); this module
//! decides what goes into it, and reports through `Progress` and the summary, never printing.

pub mod claims;
pub mod pipeline;
pub mod plan;
pub mod summary;

use std::fs::{self, File};
use std::path::PathBuf;
use std::time::Instant;

use anyhow::{Context, Result};
use xxhash_rust::xxh3::xxh3_64;

use crate::index::folder::check_index_folder;
use crate::index::manifest::{remove_other_manifests, write_manifest, Manifest, Payload};
use crate::index::schema::{Fields, SCHEMA_VERSION};
use crate::index::writer::{lock_index, DocumentWriter};
use crate::index::{open_for_build, Previous};
use crate::parse::date::format_date;
use crate::record::identity::group_key;
use crate::walk::{walk_archive, Candidate, WalkOptions, Walked};
use claims::{Claims, Verdict};
use pipeline::{parse_group, parse_groups};
use plan::{plan_build, FileProbe, Plan};
pub use summary::BuildSummary;
use summary::{summarise, Work};

/// What to build.
#[derive(Debug, Clone)]
pub struct BuildOptions {
    /// Absolute archive root.
    pub archive: PathBuf,
    /// Index folder.
    pub index_dir: PathBuf,
    /// Start over.
    pub rebuild: bool,
    /// Parsing threads.
    pub jobs: usize,
    /// Walk options (extensions, links, the index folder to skip).
    pub walk: WalkOptions,
    /// Files larger than this are skipped unread.
    pub max_file_size: u64,
}

/// Progress callbacks, so the build never prints.
pub trait Progress: Sync {
    /// The number of files that will be read.
    fn start(&self, files: u64);
    /// `files` more were read.
    fn advance(&self, files: u64);
    /// Reading is done; committing.
    fn finish(&self);
}

/// The real file system, for the plan.
struct Disk;

impl FileProbe for Disk {
    fn opens(&self, candidate: &Candidate) -> bool {
        File::open(&candidate.abs).is_ok()
    }
    fn hash(&self, candidate: &Candidate) -> Option<u64> {
        fs::read(&candidate.abs).ok().map(|bytes| xxh3_64(&bytes))
    }
}

/// Seconds per phase, for `build -v`.
struct Phases {
    laps: Vec<(&'static str, f64)>,
    since: Instant,
}

impl Phases {
    fn new() -> Self {
        Phases {
            laps: Vec::new(),
            since: Instant::now(),
        }
    }
    fn lap(&mut self, name: &'static str) {
        self.laps.push((name, self.since.elapsed().as_secs_f64()));
        self.since = Instant::now();
    }
}

/// Builds or updates the index of an archive.
pub fn build_archive(options: &BuildOptions, progress: &dyn Progress) -> Result<BuildSummary> {
    let started = Instant::now();
    check_index_folder(&options.index_dir, &options.archive)?;
    fs::create_dir_all(&options.index_dir)
        .with_context(|| format!("creating index folder {}", options.index_dir.display()))?;
    let _lock = lock_index(&options.index_dir)?;
    let (index, previous) = open_for_build(&options.index_dir, options.rebuild)?;
    let fields = Fields::from_schema(&index.schema()).context("reading the index schema")?;
    let mut phases = Phases::new();
    phases.lap("open index");

    let walked = walk_archive(&options.archive, &options.walk);
    phases.lap("walk");
    let (previous_payload, manifest) = usable_previous(options, previous);
    let options_changed = previous_payload.as_ref().is_some_and(|p| {
        p.max_file_size != options.max_file_size || p.extensions != options.walk.extensions
    });
    let plan = plan_build(&walked.candidates, &manifest, options_changed, &Disk);
    phases.lap("compare with manifest");
    if plan.nothing_to_do() {
        let work = Work {
            indexed: 0,
            unchanged: plan.unchanged_files,
            removed: 0,
            up_to_date: true,
        };
        return Ok(finish_summary(
            options, &walked, &manifest, work, started, phases,
        ));
    }

    let mut writer = DocumentWriter::open(&index, &options.index_dir, fields.id, options.jobs)?;
    let mut claims = if plan.clear_all {
        writer.delete_all()?;
        Claims::default()
    } else {
        Claims::from_manifest(&manifest, &plan.dirty_keys)
    };
    progress.start(plan.dirty.iter().map(|g| g.len() as u64).sum());
    let mut new_entries = Vec::new();
    let mut indexed = 0usize;
    parse_groups(
        &plan.dirty,
        &fields,
        options.max_file_size,
        options.jobs,
        progress,
        |group| {
            for record in group.records {
                if let Verdict::Wins { replaces } = claims.claim(&record.id, &record.path) {
                    if replaces {
                        writer.delete_id(&record.id);
                    }
                    writer.add(record.document)?;
                    indexed += 1;
                }
            }
            new_entries.extend(group.entries);
            Ok(())
        },
    )?;
    progress.finish();
    phases.lap("read, parse, index");

    let (promoted, removed) = settle_orphans(&claims, &plan, &fields, options, &mut writer)?;
    indexed += promoted;
    let new_manifest = next_manifest(&walked, &manifest, new_entries);
    let generation = previous_payload.as_ref().map_or(1, |p| p.generation + 1);
    phases.lap("resolve duplicates");
    write_manifest(&options.index_dir, generation, &new_manifest)?;
    phases.lap("write manifest");

    let work = Work {
        indexed,
        unchanged: plan.unchanged_files,
        removed,
        up_to_date: false,
    };
    let summary = summarise(
        options.archive.clone(),
        options.index_dir.clone(),
        &walked,
        &new_manifest,
        work,
    );
    let payload = Payload {
        schema_version: SCHEMA_VERSION,
        archive: options.archive.clone(),
        generation,
        built_at: format_date(&chrono::Utc::now()),
        max_file_size: options.max_file_size,
        extensions: options.walk.extensions.clone(),
        summary: summary.counts.clone(),
    };
    writer.commit(&payload)?;
    remove_other_manifests(&options.index_dir, generation);
    phases.lap("commit and merge");
    Ok(with_time(summary, started, phases))
}

/// The last build's payload and manifest, unless this build starts over or the archive moved.
fn usable_previous(
    options: &BuildOptions,
    previous: Option<Previous>,
) -> (Option<Payload>, Manifest) {
    let Some((payload, manifest)) = previous.filter(|_| !options.rebuild) else {
        return (None, Manifest::default());
    };
    let manifest = manifest
        .filter(|_| payload.archive == options.archive)
        .unwrap_or_default();
    (Some(payload), manifest)
}

/// Ids whose holder was read again without claiming them: the next claimant, a duplicate until
/// now, takes over, or the record is removed. Returns (records promoted, records removed).
fn settle_orphans(
    claims: &Claims,
    plan: &Plan,
    fields: &Fields,
    options: &BuildOptions,
    writer: &mut DocumentWriter,
) -> Result<(usize, usize)> {
    let (mut promoted, mut removed) = (0, 0);
    for orphan in claims.orphans() {
        writer.delete_id(&orphan.id);
        let record = orphan.next_holder.and_then(|holder| {
            let group = plan.groups.get(group_key(&holder))?;
            parse_group(group, fields, options.max_file_size)
                .records
                .into_iter()
                .find(|r| r.id == orphan.id && r.path == holder)
        });
        match record {
            Some(record) => {
                writer.add(record.document)?;
                promoted += 1;
            }
            None => removed += 1,
        }
    }
    Ok((promoted, removed))
}

/// The manifest of this build: the entries of the files read, and the unchanged entries
/// carried over with their new mtimes.
fn next_manifest(
    walked: &Walked,
    previous: &Manifest,
    read: Vec<crate::index::manifest::FileEntry>,
) -> Manifest {
    let mut read: std::collections::HashMap<String, _> =
        read.into_iter().map(|e| (e.rel.clone(), e)).collect();
    let previous: std::collections::HashMap<&str, _> =
        previous.files.iter().map(|e| (e.rel.as_str(), e)).collect();
    let mut files = Vec::with_capacity(walked.candidates.len());
    for candidate in &walked.candidates {
        if let Some(entry) = read.remove(&candidate.rel) {
            files.push(entry);
        } else if let Some(entry) = previous.get(candidate.rel.as_str()) {
            let mut entry = (*entry).clone();
            entry.mtime_ns = candidate.mtime_ns;
            files.push(entry);
        }
    }
    Manifest { files }
}

fn finish_summary(
    options: &BuildOptions,
    walked: &Walked,
    manifest: &Manifest,
    work: Work,
    started: Instant,
    phases: Phases,
) -> BuildSummary {
    let summary = summarise(
        options.archive.clone(),
        options.index_dir.clone(),
        walked,
        manifest,
        work,
    );
    with_time(summary, started, phases)
}

fn with_time(mut summary: BuildSummary, started: Instant, phases: Phases) -> BuildSummary {
    summary.counts.seconds = started.elapsed().as_secs_f64();
    summary.phases = phases.laps;
    summary
}
