//! The build: walk, diff against the manifest, read and parse changed files in parallel, feed
//! one `IndexWriter`, commit once.
//!
//! Pipeline: a producer thread parses chunks of pairing groups on a rayon pool (`--jobs`
//! threads) and sends each chunk, in order, over a bounded channel; the calling thread decides
//! duplicates and feeds the writer. Memory stays bounded by the chunk size and the writer's
//! budget, whatever the archive's size.
//!
//! Duplicates: every record id is claimed by the files whose record has it; the index holds
//! the record of the claimant whose relative path sorts first. Since a delete only affects
//! documents added before it, "delete id, add record" is right whatever order chunks arrive in,
//! so the result never depends on thread timing.

use std::collections::{BTreeMap, HashMap, HashSet};
use std::fs::{self, File};
use std::path::{Path, PathBuf};
use std::time::Instant;

use anyhow::{Context, Result};
use rayon::prelude::*;
use tantivy::directory::MmapDirectory;
use tantivy::indexer::IndexWriterOptions;
use tantivy::store::{Compressor, ZstdCompressor};
use tantivy::{Index, IndexSettings, IndexWriter, TantivyDocument, Term};
use xxhash_rust::xxh3::xxh3_64;

use super::folder::{check_index_folder, clear_index_folder, BUILD_LOCK};
use super::manifest::{
    payload_text, read_manifest, remove_other_manifests, write_manifest, BuildCounts, FileEntry,
    Manifest, Payload,
};
use super::queue::{Gate, QueuedDocument};
use super::schema::{build_schema, register_tokenizers, Fields, SCHEMA_VERSION};
use super::{read_payload, IndexError};
use crate::diag::Diagnostic;
use crate::parse::date::format_date;
use crate::parse::parse_file;
use crate::record::identity::group_key;
use crate::record::{records_of_group, GroupFile};
use crate::walk::{walk_archive, Candidate, WalkOptions};

/// Groups parsed per chunk: large enough to keep every core busy, small enough that a chunk
/// of parsed documents stays a few megabytes.
const GROUPS_PER_CHUNK: usize = 256;

/// Memory budget of the writer, shared by its indexing threads. tantivy's RSS can reach about
/// twice this while flushing; a 100k-article build peaks near 440 MB. At 100k articles this
/// makes 6 segments and no merge: 100 MB made 9 segments and a merge (3 s slower), 300 MB was
/// no faster.
const WRITER_MEMORY_BUDGET: usize = 150_000_000;

/// Indexing threads: two, when there are two cores. tantivy's indexing thread is the critical
/// path of a build (half its CPU); a second one cut a 100k-article build from 17 s to 14 s here.
fn index_threads(jobs: usize) -> usize {
    jobs.clamp(1, 2)
}

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

/// The result of a build (SPEC §4 `build` JSON).
#[derive(Debug, Clone, Default)]
pub struct BuildSummary {
    pub archive: PathBuf,
    pub index: PathBuf,
    pub counts: BuildCounts,
    /// Files with another extension, never read.
    pub ignored: usize,
    /// True when nothing had changed, so nothing was written.
    pub up_to_date: bool,
    pub errors: Vec<Diagnostic>,
    pub warnings: Vec<Diagnostic>,
    /// Seconds spent in each phase, for `-v`.
    pub phases: Vec<(&'static str, f64)>,
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

/// A file's state against the manifest.
enum FileState {
    Unchanged,
    /// Same size, new mtime: read it and compare the hash.
    Touched,
    Changed,
}

/// The parse result of one group.
struct GroupOutcome {
    entries: Vec<FileEntry>,
    records: Vec<ParsedRecord>,
}

struct ParsedRecord {
    id: String,
    path: String,
    document: TantivyDocument,
}

/// Runs a build.
pub fn build_index(options: &BuildOptions, progress: &dyn Progress) -> Result<BuildSummary> {
    let started = Instant::now();
    check_index_folder(&options.index_dir, &options.archive)?;
    fs::create_dir_all(&options.index_dir)
        .with_context(|| format!("creating index folder {}", options.index_dir.display()))?;
    let _lock = lock_index(&options.index_dir)?;
    let (index, previous) = open_for_build(options)?;
    let fields = Fields::from_schema(&index.schema()).context("reading the index schema")?;

    let mut phases: Vec<(&'static str, f64)> = Vec::new();
    let mut phase_start = Instant::now();
    let mut lap = |name: &'static str| {
        phases.push((name, phase_start.elapsed().as_secs_f64()));
        phase_start = Instant::now();
    };
    lap("open index");
    let walked = walk_archive(&options.archive, &options.walk);
    lap("walk");
    let (previous_payload, previous_manifest) = match previous {
        Some((payload, manifest)) if !options.rebuild => (Some(payload), manifest),
        _ => (None, None),
    };
    let same_archive = previous_payload
        .as_ref()
        .is_some_and(|p| p.archive == options.archive);
    let manifest = previous_manifest
        .filter(|_| same_archive)
        .unwrap_or_default();
    let options_changed = previous_payload.as_ref().is_some_and(|p| {
        p.max_file_size != options.max_file_size || p.extensions != options.walk.extensions
    });
    // Without a usable manifest, the documents in the index cannot be matched to files: clear.
    let clear_all = manifest.files.is_empty();

    let previous_files: HashMap<&str, &FileEntry> =
        manifest.files.iter().map(|e| (e.rel.as_str(), e)).collect();

    // Which files changed, by size and mtime, then by hash for files that were only touched.
    let states: Vec<FileState> = walked
        .candidates
        .iter()
        .map(|c| match previous_files.get(c.rel.as_str()) {
            _ if options_changed => FileState::Changed,
            // Permissions change without touching size or mtime: retry once it opens.
            Some(e) if e.unreadable && File::open(&c.abs).is_ok() => FileState::Changed,
            Some(e) if e.size == c.size && e.mtime_ns == c.mtime_ns => FileState::Unchanged,
            Some(e) if e.size == c.size && e.hash != 0 => FileState::Touched,
            _ => FileState::Changed,
        })
        .collect();
    let touched_same: HashSet<usize> = states
        .par_iter()
        .enumerate()
        .filter(|(_, s)| matches!(s, FileState::Touched))
        .filter_map(|(i, _)| {
            let candidate = &walked.candidates[i];
            let bytes = fs::read(&candidate.abs).ok()?;
            (xxh3_64(&bytes) == previous_files[candidate.rel.as_str()].hash).then_some(i)
        })
        .collect();
    let mut mtime_updates = 0;
    let mut dirty_groups: HashSet<&str> = HashSet::new();
    for (i, state) in states.iter().enumerate() {
        let candidate = &walked.candidates[i];
        match state {
            FileState::Unchanged => {}
            FileState::Touched if touched_same.contains(&i) => mtime_updates += 1,
            _ => {
                dirty_groups.insert(group_key(&candidate.rel));
            }
        }
    }
    let walked_rels: HashSet<&str> = walked.candidates.iter().map(|c| c.rel.as_str()).collect();
    let removed_files: Vec<&FileEntry> = manifest
        .files
        .iter()
        .filter(|e| !walked_rels.contains(e.rel.as_str()))
        .collect();
    for entry in &removed_files {
        dirty_groups.insert(group_key(&entry.rel));
    }

    // Groups in order; the dirty ones get parsed.
    let mut groups: BTreeMap<&str, Vec<&Candidate>> = BTreeMap::new();
    for candidate in &walked.candidates {
        groups
            .entry(group_key(&candidate.rel))
            .or_default()
            .push(candidate);
    }
    let dirty: Vec<Vec<&Candidate>> = groups
        .iter()
        .filter(|(key, _)| dirty_groups.contains(*key))
        .map(|(_, files)| files.clone())
        .collect();

    // Claims of the files that will not be read again, and who holds each id now.
    let mut old_winner: HashMap<&str, &str> = HashMap::new();
    let mut best: HashMap<String, String> = HashMap::new();
    let mut touched_ids: HashSet<String> = HashSet::new();
    for entry in &manifest.files {
        for id in &entry.claims {
            let holder = old_winner.entry(id.as_str()).or_insert(entry.rel.as_str());
            if entry.rel.as_str() < *holder {
                *holder = entry.rel.as_str();
            }
            if dirty_groups.contains(group_key(&entry.rel)) {
                touched_ids.insert(id.clone());
            } else {
                let best_path = best.entry(id.clone()).or_insert_with(|| entry.rel.clone());
                if entry.rel < *best_path {
                    *best_path = entry.rel.clone();
                }
            }
        }
    }

    let unchanged_files = walked
        .candidates
        .iter()
        .filter(|c| !dirty_groups.contains(group_key(&c.rel)))
        .count();
    let nothing_to_do = !clear_all
        && dirty.is_empty()
        && removed_files.is_empty()
        && mtime_updates == 0
        && previous_payload.is_some()
        && !options.rebuild;
    lap("compare with manifest");
    if nothing_to_do {
        let mut summary = summarise(
            options,
            &walked,
            &manifest,
            SummaryWork {
                indexed: 0,
                unchanged: unchanged_files,
                removed: 0,
                up_to_date: true,
                seconds: started.elapsed().as_secs_f64(),
            },
        );
        summary.phases = phases;
        return Ok(summary);
    }

    let mut writer: IndexWriter<QueuedDocument> = index
        .writer_with_options(
            IndexWriterOptions::builder()
                .num_worker_threads(index_threads(options.jobs))
                .num_merge_threads(1)
                .memory_budget_per_thread(WRITER_MEMORY_BUDGET / index_threads(options.jobs))
                .build(),
        )
        .map_err(|err| match err {
            tantivy::TantivyError::LockFailure(..) => anyhow::Error::new(IndexError::Locked {
                path: options.index_dir.clone(),
            }),
            other => anyhow::Error::new(other).context("opening the index writer"),
        })?;
    if clear_all {
        writer.delete_all_documents()?;
        old_winner.clear();
        best.clear();
        touched_ids.clear();
    }

    let file_total: u64 = dirty.iter().map(|g| g.len() as u64).sum();
    progress.start(file_total);
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(options.jobs.max(1))
        .build()
        .context("starting parser threads")?;

    let gate = Gate::default();
    let mut new_entries: HashMap<String, FileEntry> = HashMap::new();
    let mut indexed = 0usize;
    let mut added: HashSet<String> = HashSet::new();
    let (sender, receiver) = crossbeam_channel::bounded::<Vec<GroupOutcome>>(2);
    let max_file_size = options.max_file_size;
    std::thread::scope(|scope| -> Result<()> {
        let dirty = &dirty;
        let pool = &pool;
        scope.spawn(move || {
            for chunk in dirty.chunks(GROUPS_PER_CHUNK) {
                let outcomes: Vec<GroupOutcome> = pool.install(|| {
                    chunk
                        .par_iter()
                        .map(|group| parse_group(group, &fields, max_file_size))
                        .collect()
                });
                progress.advance(chunk.iter().map(|g| g.len() as u64).sum());
                if sender.send(outcomes).is_err() {
                    return;
                }
            }
        });
        for outcomes in receiver {
            for outcome in outcomes {
                for record in outcome.records {
                    let wins = best
                        .get(&record.id)
                        .is_none_or(|holder| record.path < *holder);
                    if wins {
                        // A delete costs about 1.3 KB until the commit in tantivy 0.27: only
                        // issue one when a document with this id may exist.
                        if old_winner.contains_key(record.id.as_str()) || added.contains(&record.id)
                        {
                            writer.delete_term(Term::from_field_text(fields.id, &record.id));
                        }
                        writer.add_document(gate.admit(record.document))?;
                        indexed += 1;
                        added.insert(record.id.clone());
                        best.insert(record.id, record.path);
                    }
                }
                for entry in outcome.entries {
                    new_entries.insert(entry.rel.clone(), entry);
                }
            }
        }
        Ok(())
    })?;
    progress.finish();
    lap("read, parse, index");

    // Ids whose holder was re-read and did not claim them again: promote the next claimant,
    // which was a duplicate until now, or remove the record.
    let mut removed = 0usize;
    let mut touched_ids: Vec<String> = touched_ids.into_iter().collect();
    touched_ids.sort();
    for id in touched_ids {
        if added.contains(&id) {
            continue;
        }
        match best.get(&id) {
            Some(holder) if old_winner.get(id.as_str()) == Some(&holder.as_str()) => {}
            Some(holder) => {
                let group: Vec<&Candidate> =
                    groups.get(group_key(holder)).cloned().unwrap_or_default();
                let outcome = parse_group(&group, &fields, max_file_size);
                let promoted = outcome
                    .records
                    .into_iter()
                    .find(|r| r.id == id && r.path == *holder);
                writer.delete_term(Term::from_field_text(fields.id, &id));
                match promoted {
                    Some(record) => {
                        writer.add_document(gate.admit(record.document))?;
                        indexed += 1;
                    }
                    None => removed += 1,
                }
            }
            None => {
                writer.delete_term(Term::from_field_text(fields.id, &id));
                removed += 1;
            }
        }
    }

    // The new manifest: unchanged entries carried over (with new mtimes where only touched).
    let mut files = Vec::with_capacity(walked.candidates.len());
    for candidate in &walked.candidates {
        if let Some(entry) = new_entries.remove(&candidate.rel) {
            files.push(entry);
        } else if let Some(previous) = previous_files.get(candidate.rel.as_str()) {
            let mut entry = (*previous).clone();
            entry.mtime_ns = candidate.mtime_ns;
            files.push(entry);
        }
    }
    let new_manifest = Manifest { files };
    let generation = previous_payload.as_ref().map_or(1, |p| p.generation + 1);
    lap("resolve duplicates");
    write_manifest(&options.index_dir, generation, &new_manifest)?;
    lap("write manifest");

    let mut summary = summarise(
        options,
        &walked,
        &new_manifest,
        SummaryWork {
            indexed,
            unchanged: unchanged_files,
            removed,
            up_to_date: false,
            seconds: 0.0,
        },
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
    let mut prepared = writer.prepare_commit().context("writing index segments")?;
    prepared.set_payload(&payload_text(&payload));
    prepared.commit().context("committing the index")?;
    writer
        .wait_merging_threads()
        .context("finishing index merges")?;
    remove_other_manifests(&options.index_dir, generation);
    lap("commit and merge");
    summary.counts.seconds = started.elapsed().as_secs_f64();
    summary.phases = phases;
    Ok(summary)
}

/// Takes the build lock, so that a second build fails at once instead of waiting. The OS
/// releases it when the process ends, however it ends, so a killed build never blocks the next.
fn lock_index(index_dir: &Path) -> Result<File> {
    let path = index_dir.join(BUILD_LOCK);
    let file = File::options()
        .create(true)
        .truncate(false)
        .write(true)
        .open(&path)
        .with_context(|| {
            format!(
                "cannot write to the index folder {} (pass --index PATH to build somewhere writable)",
                index_dir.display()
            )
        })?;
    match file.try_lock() {
        Ok(()) => Ok(file),
        Err(fs::TryLockError::WouldBlock) => Err(IndexError::Locked {
            path: index_dir.to_path_buf(),
        }
        .into()),
        Err(fs::TryLockError::Error(err)) => {
            Err(err).with_context(|| format!("locking {}", path.display()))
        }
    }
}

/// The last commit's payload and, when it could be read, its manifest.
type Previous = (Payload, Option<Manifest>);

/// Opens the index for a build, creating it when new, or recreating it when `--rebuild` meets
/// an index of another schema version or a damaged one.
fn open_for_build(options: &BuildOptions) -> Result<(Index, Option<Previous>)> {
    let dir = &options.index_dir;
    if dir.join("meta.json").is_file() {
        let opened = MmapDirectory::open(dir)
            .map_err(|err| err.to_string())
            .and_then(|d| Index::open(d).map_err(|err| err.to_string()));
        let checked = opened.map_err(|reason| IndexError::Damaged {
            path: dir.clone(),
            reason,
        });
        let checked = checked.and_then(|index| {
            let payload = read_payload(&index, dir)?;
            if Fields::from_schema(&index.schema()).is_err() {
                return Err(IndexError::Damaged {
                    path: dir.clone(),
                    reason: "unexpected schema".into(),
                });
            }
            Ok((index, payload))
        });
        match checked {
            Ok((index, payload)) => {
                register_tokenizers(&index);
                let previous = payload.map(|p| {
                    let manifest = read_manifest(dir, p.generation);
                    (p, manifest)
                });
                return Ok((index, previous));
            }
            Err(err) if !options.rebuild => return Err(err.into()),
            Err(_) => clear_index_folder(dir)?,
        }
    }
    let settings = IndexSettings {
        // The docstore is a tenth of a build's CPU. zstd level 1 on 64 KiB blocks (about ten
        // stored records each) measured faster than the default level 3 on 16 KiB blocks
        // (20.5 vs 22-25 CPU-seconds at 100k articles) with a 3% smaller index; lz4 was 0.4 s
        // faster still but made the index 27% larger. Reading one record decompresses one
        // block: tens of microseconds.
        docstore_compression: Compressor::Zstd(ZstdCompressor {
            compression_level: Some(1),
        }),
        docstore_blocksize: 65_536,
        ..IndexSettings::default()
    };
    let index = Index::builder()
        .schema(build_schema())
        .settings(settings)
        .create_in_dir(dir)
        .with_context(|| format!("creating an index in {}", dir.display()))?;
    register_tokenizers(&index);
    Ok((index, None))
}

/// Reads and parses the files of one group, and makes its records' documents.
fn parse_group(group: &[&Candidate], fields: &Fields, max_file_size: u64) -> GroupOutcome {
    let mut entries = Vec::with_capacity(group.len());
    let mut files = Vec::with_capacity(group.len());
    for candidate in group {
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
            entries.push(entry);
            continue;
        }
        match fs::read(&candidate.abs) {
            Ok(bytes) => {
                entry.hash = xxh3_64(&bytes);
                let parsed = parse_file(&candidate.rel, &bytes);
                entry.skipped = parsed.parsed.is_none();
                entry.diagnostics = parsed.diagnostics.clone();
                files.push(GroupFile {
                    rel: candidate.rel.clone(),
                    parsed,
                });
            }
            Err(err) => {
                entry.unreadable = true;
                entry.diagnostics.push(Diagnostic::warning(
                    &candidate.rel,
                    format!("cannot read: {err}, skipped"),
                ));
            }
        }
        entries.push(entry);
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
    GroupOutcome {
        entries,
        records: parsed_records,
    }
}

/// The work a build did, for its summary.
struct SummaryWork {
    indexed: usize,
    unchanged: usize,
    removed: usize,
    up_to_date: bool,
    seconds: f64,
}

/// Builds the summary from the manifest: skipped files, duplicates and diagnostics describe
/// the archive as it is now (a file still bad is reported again, as cargo replays warnings).
fn summarise(
    options: &BuildOptions,
    walked: &crate::walk::Walked,
    manifest: &Manifest,
    work: SummaryWork,
) -> BuildSummary {
    let mut diagnostics: Vec<Diagnostic> = walked.diagnostics.clone();
    let mut claimants: BTreeMap<&str, Vec<&str>> = BTreeMap::new();
    let mut skipped = 0;
    for entry in &manifest.files {
        diagnostics.extend(entry.diagnostics.iter().cloned());
        skipped += usize::from(entry.skipped);
        for id in &entry.claims {
            claimants
                .entry(id.as_str())
                .or_default()
                .push(entry.rel.as_str());
        }
    }
    let mut duplicates = 0;
    for paths in claimants.values_mut() {
        if paths.len() > 1 {
            paths.sort_unstable();
            for loser in &paths[1..] {
                duplicates += 1;
                diagnostics.push(Diagnostic::warning(
                    loser,
                    format!("duplicate of {} (same URL), not indexed", paths[0]),
                ));
            }
        }
    }
    diagnostics.sort_by(|a, b| (&a.path, a.line).cmp(&(&b.path, b.line)));
    let (errors, warnings): (Vec<_>, Vec<_>) =
        diagnostics.into_iter().partition(Diagnostic::is_error);
    BuildSummary {
        archive: options.archive.clone(),
        index: options.index_dir.clone(),
        counts: BuildCounts {
            seen: walked.candidates.len(),
            indexed: work.indexed,
            unchanged: work.unchanged,
            removed: work.removed,
            skipped,
            duplicates,
            errors: errors.len(),
            warnings: warnings.len(),
            seconds: work.seconds,
        },
        ignored: walked.ignored,
        up_to_date: work.up_to_date,
        errors,
        warnings,
        phases: Vec::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diag::Severity;

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
