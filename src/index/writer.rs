//! Index stage, writing: the build lock, one `IndexWriter` fed documents and deletes by id,
//! and one commit that carries the payload. Knows tantivy, not the walk or the parser.

use std::fs::{self, File};
use std::path::Path;

use anyhow::{Context, Result};
use tantivy::indexer::{IndexWriterOptions, LogMergePolicy};
use tantivy::schema::Field;
use tantivy::{Index, IndexWriter, TantivyDocument, Term};

use super::folder::BUILD_LOCK;
use super::manifest::{payload_text, Payload};
use super::queue::{Gate, QueuedDocument};
use super::IndexError;

/// Memory budget of the writer, shared by its indexing threads. tantivy's RSS can reach about
/// twice this while flushing; a 100k-article build peaks near 440 MB. At 100k articles this
/// makes 6 segments and no merge: 100 MB made 9 segments and a merge (3 s slower), 300 MB was
/// no faster.
const WRITER_MEMORY_BUDGET: usize = 150_000_000;

/// Segments of a size that a build from nothing merges at once (see `start_over`).
const FULL_BUILD_MERGE_SEGMENTS: usize = 16;

/// Indexing threads: two, when there are two cores. tantivy's indexing thread is the critical
/// path of a build (half its CPU); a second one cut a 100k-article build from 17 s to 14 s here.
fn index_threads(jobs: usize) -> usize {
    jobs.clamp(1, 2)
}

/// Takes the build lock, so that a second build fails at once instead of waiting. The OS
/// releases it when the process ends, however it ends, so a killed build never blocks the next.
pub fn lock_index(index_dir: &Path) -> Result<File> {
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

/// `err` as `IndexError::DiskFull` when the disk (or the user's quota) ran out under it.
/// tantivy passes an I/O error on as text (`Internal error: 'No space left on device'`), so
/// its message is what can be read.
pub fn disk_full_as_such(err: anyhow::Error, index_dir: &Path) -> anyhow::Error {
    let text = format!("{err:#}");
    let full = [
        "No space left on device",
        "os error 28",
        "Disk quota exceeded",
    ]
    .iter()
    .any(|sign| text.contains(sign));
    if !full {
        return err;
    }
    let reason = if text.contains("quota") {
        "disk quota exceeded"
    } else {
        "no space left on device"
    };
    anyhow::Error::new(IndexError::DiskFull {
        path: index_dir.to_path_buf(),
        reason: reason.to_owned(),
    })
}

/// Documents in, deletes by record id, one commit.
pub struct DocumentWriter {
    writer: IndexWriter<QueuedDocument>,
    gate: Gate,
    id: Field,
}

impl DocumentWriter {
    /// Opens the writer of `index` (at `index_dir`) with indexing threads for `jobs` cores.
    pub fn open(index: &Index, index_dir: &Path, id: Field, jobs: usize) -> Result<Self> {
        let threads = index_threads(jobs);
        let writer = index
            .writer_with_options(
                IndexWriterOptions::builder()
                    .num_worker_threads(threads)
                    .num_merge_threads(1)
                    .memory_budget_per_thread(WRITER_MEMORY_BUDGET / threads)
                    .build(),
            )
            .map_err(|err| match err {
                tantivy::TantivyError::LockFailure(..) => anyhow::Error::new(IndexError::Locked {
                    path: index_dir.to_path_buf(),
                }),
                other => anyhow::Error::new(other).context("opening the index writer"),
            })?;
        Ok(DocumentWriter {
            writer,
            gate: Gate::default(),
            id,
        })
    }

    /// Removes every document: the build starts over. Such a build merges less than tantivy's
    /// default (8 segments of a size): 100k front-matter-heavy articles make 8 segments, which
    /// the default merged into one after the commit, 7.7 to 11.6 s of a 30 to 40 s build, for
    /// searches a millisecond or two faster. At 1M articles (checkpoints commit and merge as
    /// the build goes) it left 15 segments instead of 12 and took as long (182 s against
    /// 173 s, within this VM's drift); top-20 search, facets and timeline stayed under 21 ms.
    /// Updates keep the default, so that their small segments are merged sooner.
    pub fn start_over(&mut self) -> Result<()> {
        let mut policy = LogMergePolicy::default();
        policy.set_min_num_segments(FULL_BUILD_MERGE_SEGMENTS);
        self.writer.set_merge_policy(Box::new(policy));
        self.writer
            .delete_all_documents()
            .context("clearing the index")?;
        Ok(())
    }

    /// Removes the documents of record `id` added before this call. A delete costs about
    /// 1.3 KB until the commit in tantivy 0.27: callers issue one only when such a document may
    /// exist.
    pub fn delete_id(&mut self, id: &str) {
        self.writer.delete_term(Term::from_field_text(self.id, id));
    }

    /// Adds a document, waiting while the indexing threads' queue is full.
    pub fn add(&mut self, document: TantivyDocument) -> Result<()> {
        self.writer
            .add_document(self.gate.admit(document)?)
            .context("indexing a document")?;
        Ok(())
    }

    /// Commits what was added so far with `payload`, and goes on.
    pub fn checkpoint(&mut self, payload: &Payload) -> Result<()> {
        let mut prepared = self
            .writer
            .prepare_commit()
            .context("writing index segments")?;
        prepared.set_payload(&payload_text(payload));
        prepared.commit().context("committing the index")?;
        Ok(())
    }

    /// Commits everything with `payload`, then waits for merges.
    pub fn commit(mut self, payload: &Payload) -> Result<()> {
        self.checkpoint(payload)?;
        self.writer
            .wait_merging_threads()
            .context("finishing index merges")?;
        Ok(())
    }
}
