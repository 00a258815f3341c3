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

mod checkpoint;
pub mod claims;
pub mod pipeline;
pub mod plan;
pub mod summary;

use std::cell::Cell;
use std::collections::HashMap;
use std::fs::{self, File};
use std::path::{Path, PathBuf};
use std::time::Instant;

use anyhow::{Context, Result};
use xxhash_rust::xxh3::xxh3_64;

use crate::index::folder::check_index_folder;
use crate::index::manifest::{
    open_manifest, remove_manifest, remove_other_manifests, BuildCounts, FileEntry, ManifestReader,
    ManifestWriter, Payload,
};
use crate::index::schema::{Fields, SCHEMA_VERSION};
use crate::index::writer::{disk_full_as_such, lock_index, DocumentWriter};
use crate::index::{open_for_build, remove_uncommitted_files};
use crate::parse::date::format_date;
use crate::record::identity::group_key;
use crate::walk::{walk_archive, Candidate, WalkOptions, Walked};
use checkpoint::Checkpoints;
use claims::{Claims, Verdict};
use pipeline::{parse_group, parse_groups};
use plan::{plan_build, FileProbe, Plan};
pub use summary::BuildSummary;
use summary::{Summarizer, Work};

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

/// The archive on disk, for the plan.
struct Disk<'a>(&'a Path);

impl FileProbe for Disk<'_> {
    fn opens(&self, candidate: &Candidate) -> bool {
        File::open(candidate.path(self.0)).is_ok()
    }
    fn hash(&self, candidate: &Candidate) -> Option<u64> {
        fs::read(candidate.path(self.0))
            .ok()
            .map(|bytes| xxh3_64(&bytes))
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
    build(options, progress).map_err(|err| disk_full_as_such(err, &options.index_dir))
}

fn build(options: &BuildOptions, progress: &dyn Progress) -> Result<BuildSummary> {
    let started = Instant::now();
    check_index_folder(&options.index_dir, &options.archive)?;
    fs::create_dir_all(&options.index_dir)
        .with_context(|| format!("creating index folder {}", options.index_dir.display()))?;
    let _lock = lock_index(&options.index_dir)?;
    let (index, previous) = open_for_build(&options.index_dir, options.rebuild)?;
    check_same_archive(options, previous.as_ref())?;
    let fields = Fields::from_schema(&index.schema()).context("reading the index schema")?;
    let mut phases = Phases::new();
    phases.lap("open index");

    let walked = walk_archive(&options.archive, &options.walk);
    phases.lap("walk");
    let previous = usable_previous(options, previous);
    let previous_manifest = || {
        previous
            .as_ref()
            .and_then(|p| p.manifest)
            .and_then(|generation| open_manifest(&options.index_dir, generation))
    };
    let options_changed = previous.as_ref().is_some_and(|p| {
        p.payload.max_file_size != options.max_file_size
            || p.payload.extensions != options.walk.extensions
    });
    let plan = plan_build(
        &walked.candidates,
        previous_manifest(),
        options_changed,
        &Disk(&options.archive),
    );
    phases.lap("compare with manifest");
    if plan.nothing_to_do() {
        let summary = up_to_date(options, &walked, &plan, previous_manifest());
        return Ok(with_time(summary, started, phases));
    }

    let generation = Cell::new(previous.as_ref().map_or(1, |p| p.payload.generation + 1));
    let unfinished = Unfinished {
        index_dir: &options.index_dir,
        generation: &generation,
    };
    let mut writer = DocumentWriter::open(&index, &options.index_dir, fields.id, options.jobs)?;
    let (mut claims, checkpoints) = match previous_manifest() {
        Some(entries) if !plan.clear_all => (
            Claims::from_manifest(&walked.candidates, entries, |rel| plan.is_dirty(rel)),
            None,
        ),
        _ => {
            writer.start_over()?;
            let checkpoints = Checkpoints::new(options, &walked, &generation);
            (Claims::new(&walked.candidates), Some(checkpoints))
        }
    };
    let (mut indexed, read_entries, checkpointed) = index_dirty(
        &plan,
        options,
        &fields,
        (&mut claims, &mut writer),
        checkpoints,
        progress,
    )?;
    phases.lap("read, parse, index");

    let (promoted, removed) = settle_orphans(&claims, &plan, &fields, options, &mut writer)?;
    indexed += promoted;
    phases.lap("resolve duplicates");
    let generation = generation.get();
    let mut summarizer = Summarizer::new(&walked);
    write_next_manifest(
        &options.index_dir,
        generation,
        &walked,
        // Files read before the last checkpoint are in its manifest, not in memory.
        match checkpointed {
            Some(generation) => open_manifest(&options.index_dir, generation),
            None => previous_manifest(),
        },
        read_entries,
        &mut summarizer,
    )?;
    phases.lap("write manifest");

    let work = Work {
        indexed,
        unchanged: plan.unchanged_files,
        removed,
        up_to_date: false,
    };
    let summary = summarizer.finish(options.archive.clone(), options.index_dir.clone(), work);
    writer.commit(&payload(options, generation, summary.counts.clone()))?;
    unfinished.disarm();
    remove_other_manifests(&options.index_dir, generation);
    phases.lap("commit and merge");
    Ok(with_time(summary, started, phases))
}

/// The payload of a commit of generation `generation`.
fn payload(options: &BuildOptions, generation: u64, counts: BuildCounts) -> Payload {
    Payload {
        schema_version: SCHEMA_VERSION,
        archive: options.archive.clone(),
        generation,
        built_at: format_date(&chrono::Utc::now()),
        max_file_size: options.max_file_size,
        extensions: options.walk.extensions.clone(),
        summary: counts,
    }
}

/// Armed while a build writes: when the build fails (a `?` drops it, after the writer), the
/// segments and the manifest it wrote are removed, so that a full disk is freed and the last
/// commit stays as it was. A commit disarms it.
struct Unfinished<'a> {
    index_dir: &'a Path,
    /// The generation being written (after a checkpoint, the one after it).
    generation: &'a Cell<u64>,
}

impl Unfinished<'_> {
    /// The build committed: nothing of it is to be removed.
    fn disarm(self) {
        std::mem::forget(self);
    }
}

impl Drop for Unfinished<'_> {
    fn drop(&mut self) {
        remove_uncommitted_files(self.index_dir);
        remove_manifest(self.index_dir, self.generation.get());
    }
}

/// The summary of a build that found nothing to do.
fn up_to_date(
    options: &BuildOptions,
    walked: &Walked,
    plan: &Plan<'_>,
    manifest: Option<impl Iterator<Item = FileEntry>>,
) -> BuildSummary {
    let mut summarizer = Summarizer::new(walked);
    manifest
        .into_iter()
        .flatten()
        .for_each(|entry| summarizer.add(&entry));
    let work = Work {
        indexed: 0,
        unchanged: plan.unchanged_files,
        removed: 0,
        up_to_date: true,
    };
    summarizer.finish(options.archive.clone(), options.index_dir.clone(), work)
}

/// Reads, parses and indexes the files the plan marks dirty, a record going in only when it
/// wins its id's claim. Returns how many records went in, the manifest entries of the files
/// read since the last checkpoint, and that checkpoint's generation.
fn index_dirty(
    plan: &Plan<'_>,
    options: &BuildOptions,
    fields: &Fields,
    (claims, writer): (&mut Claims, &mut DocumentWriter),
    mut checkpoints: Option<Checkpoints<'_>>,
    progress: &dyn Progress,
) -> Result<(usize, HashMap<String, FileEntry>, Option<u64>)> {
    let dirty = plan.dirty_groups();
    progress.start(dirty.iter().map(|g| g.len() as u64).sum());
    let mut read_entries: HashMap<String, FileEntry> = HashMap::new();
    let mut indexed = 0usize;
    parse_groups(
        &dirty,
        &options.archive,
        fields,
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
            let files = group.entries.len();
            read_entries.extend(group.entries.into_iter().map(|e| (e.rel.clone(), e)));
            if let Some(checkpoints) = checkpoints.as_mut() {
                checkpoints.after_files(files, writer, &mut read_entries)?;
            }
            Ok(())
        },
    )?;
    progress.finish();
    let checkpointed = checkpoints.and_then(|c| c.last());
    Ok((indexed, read_entries, checkpointed))
}

/// The last build, as far as this build can use it.
struct Usable {
    payload: Payload,
    /// The generation of its manifest, unless the build starts over or the archive moved.
    manifest: Option<u64>,
}

/// Refuses to index another archive into an index that holds one still on disk, unless
/// `--rebuild` says so: `newsidx build sub/ --index .newsidx` would replace the whole archive's
/// records with a part of them. An archive that moved (its old path gone, or the index its
/// `.newsidx` that moved with it) is the same archive.
fn check_same_archive(options: &BuildOptions, previous: Option<&Payload>) -> Result<()> {
    let Some(previous) = previous.filter(|_| !options.rebuild) else {
        return Ok(());
    };
    let own_index = options.archive.join(crate::index::INDEX_DIR_NAME);
    let moved_along = options.index_dir.canonicalize().ok() == own_index.canonicalize().ok();
    if previous.archive == options.archive || moved_along || !previous.archive.is_dir() {
        return Ok(());
    }
    Err(crate::index::IndexError::OtherArchive {
        path: options.index_dir.clone(),
        archive: previous.archive.clone(),
        asked: options.archive.clone(),
    }
    .into())
}

fn usable_previous(options: &BuildOptions, previous: Option<Payload>) -> Option<Usable> {
    let payload = previous.filter(|_| !options.rebuild)?;
    let manifest = (payload.archive == options.archive).then_some(payload.generation);
    Some(Usable { payload, manifest })
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
            let group = plan.group(group_key(&holder));
            parse_group(&group, &options.archive, fields, options.max_file_size)
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

/// Writes the manifest of this build, in path order: the entries of the files read, and the
/// last build's entries of the others, with their new mtimes. Each entry is also summarised.
pub(super) fn write_next_manifest(
    index_dir: &Path,
    generation: u64,
    walked: &Walked,
    previous: Option<ManifestReader>,
    mut read: HashMap<String, FileEntry>,
    summarizer: &mut Summarizer,
) -> Result<()> {
    let mut writer = ManifestWriter::create(index_dir, generation)?;
    let mut previous = previous.into_iter().flatten().peekable();
    for candidate in &walked.candidates {
        let entry = match read.remove(&candidate.rel) {
            Some(entry) => Some(entry),
            None => {
                while previous.next_if(|e| e.rel < candidate.rel).is_some() {}
                previous
                    .next_if(|e| e.rel == candidate.rel)
                    .map(|mut entry| {
                        entry.mtime_ns = candidate.mtime_ns;
                        entry
                    })
            }
        };
        if let Some(entry) = entry {
            summarizer.add(&entry);
            writer.push(&entry)?;
        }
    }
    writer.finish()
}

fn with_time(mut summary: BuildSummary, started: Instant, phases: Phases) -> BuildSummary {
    summary.counts.seconds = started.elapsed().as_secs_f64();
    summary.phases = phases.laps;
    summary
}
