//! Checkpoints of a build that starts from nothing (a first build, `--rebuild`, a new schema):
//! every `CHECKPOINT_FILES` files read, the records so far are committed with a manifest of
//! the files they came from. A build killed after a checkpoint leaves an index that holds that
//! much, and the next build, finding those files unchanged, reads only the rest.
//!
//! Only such builds checkpoint: there every record is new, so no record waits on a file not
//! yet read (an update may move an id from one file to another, which only its end settles).

use std::cell::Cell;
use std::collections::HashMap;

use anyhow::Result;

use super::summary::Summarizer;
use super::{payload, write_next_manifest, BuildOptions};
use crate::index::manifest::{open_manifest, remove_other_manifests, BuildCounts, FileEntry};
use crate::index::writer::DocumentWriter;
use crate::walk::Walked;

/// Files read between two checkpoints. A commit flushes the indexing threads' segments (about
/// a second at this size), so a 1M-article archive (1.25M files) checkpoints five times.
const CHECKPOINT_FILES: usize = 250_000;

/// Overrides `CHECKPOINT_FILES`, for tests on small archives.
const EVERY_VAR: &str = "NEWSIDX_CHECKPOINT_FILES";

/// Set, the build stops dead (as if killed) right after its first checkpoint: the tests'
/// way to kill a build at a known point.
const HALT_VAR: &str = "NEWSIDX_HALT_AFTER_CHECKPOINT";

/// The checkpoints of one build.
pub struct Checkpoints<'a> {
    options: &'a BuildOptions,
    walked: &'a Walked,
    /// The generation the next commit writes; shared with the build, whose final commit
    /// takes the one after the last checkpoint.
    generation: &'a Cell<u64>,
    every: usize,
    since_last: usize,
    /// The generation of the last checkpoint, whose manifest lists every file read before it.
    last: Option<u64>,
}

impl<'a> Checkpoints<'a> {
    pub fn new(options: &'a BuildOptions, walked: &'a Walked, generation: &'a Cell<u64>) -> Self {
        let every = std::env::var(EVERY_VAR)
            .ok()
            .and_then(|v| v.parse().ok())
            .filter(|&n: &usize| n > 0)
            .unwrap_or(CHECKPOINT_FILES);
        Checkpoints {
            options,
            walked,
            generation,
            every,
            since_last: 0,
            last: None,
        }
    }

    /// The generation of the last checkpoint, if there was one.
    pub fn last(&self) -> Option<u64> {
        self.last
    }

    /// Counts `files` more read, and commits once enough were read since the last commit.
    /// The manifest of the commit is the last one's plus the files in `read`, which it takes:
    /// memory holds only the entries read since the last checkpoint.
    pub fn after_files(
        &mut self,
        files: usize,
        writer: &mut DocumentWriter,
        read: &mut HashMap<String, FileEntry>,
    ) -> Result<()> {
        self.since_last += files;
        if self.since_last < self.every {
            return Ok(());
        }
        self.since_last = 0;
        let generation = self.generation.get();
        let index_dir = &self.options.index_dir;
        write_next_manifest(
            index_dir,
            generation,
            self.walked,
            self.last.and_then(|last| open_manifest(index_dir, last)),
            std::mem::take(read),
            &mut Summarizer::new(self.walked),
        )?;
        writer.checkpoint(&payload(self.options, generation, BuildCounts::default()))?;
        remove_other_manifests(index_dir, generation);
        self.generation.set(generation + 1);
        self.last = Some(generation);
        if std::env::var_os(HALT_VAR).is_some() {
            std::process::exit(137);
        }
        Ok(())
    }
}
