//! Build stage: the summary of a build (SPEC §4 `build`), made from the manifest entries as
//! they are written (or, when nothing changed, read), so that skipped files, duplicates and
//! diagnostics describe the archive as it is now: a file still bad is reported again, as cargo
//! replays warnings. It holds one small record per claimed id, never the entries.

use std::collections::HashMap;
use std::path::PathBuf;

use crate::diag::Diagnostic;
use crate::index::manifest::{BuildCounts, FileEntry};
use crate::record::identity::id_key;
use crate::walk::Walked;

/// The result of a build.
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

/// The work a build did.
pub struct Work {
    pub indexed: usize,
    pub unchanged: usize,
    pub removed: usize,
    pub up_to_date: bool,
}

/// Collects a summary from manifest entries given in path order.
pub struct Summarizer<'w> {
    walked: &'w Walked,
    diagnostics: Vec<Diagnostic>,
    skipped: usize,
    duplicates: usize,
    /// The first claimant of each id, as its position in the walk.
    holders: HashMap<u64, u32>,
    at: usize,
}

impl<'w> Summarizer<'w> {
    pub fn new(walked: &'w Walked) -> Self {
        Summarizer {
            walked,
            diagnostics: walked.diagnostics.clone(),
            // What the walk could not read (a dangling link, a folder without permission, a
            // link loop) is seen and skipped, with its warning as the reason.
            skipped: walked.diagnostics.len(),
            duplicates: 0,
            holders: HashMap::new(),
            at: 0,
        }
    }

    /// Counts one entry; entries must come in path order.
    pub fn add(&mut self, entry: &FileEntry) {
        self.diagnostics.extend(entry.diagnostics.iter().cloned());
        self.skipped += usize::from(entry.skipped);
        if entry.claims.is_empty() {
            return;
        }
        let candidates = &self.walked.candidates;
        while self.at < candidates.len() && candidates[self.at].rel < entry.rel {
            self.at += 1;
        }
        for id in &entry.claims {
            match self.holders.get(&id_key(id)) {
                Some(holder) => {
                    self.duplicates += 1;
                    let winner = &candidates[*holder as usize].rel;
                    self.diagnostics.push(Diagnostic::warning(
                        &entry.rel,
                        format!("duplicate of {winner} (same URL), not indexed"),
                    ));
                }
                None => {
                    self.holders.insert(id_key(id), self.at as u32);
                }
            }
        }
    }

    /// The summary of the entries added.
    pub fn finish(self, archive: PathBuf, index: PathBuf, work: Work) -> BuildSummary {
        let mut diagnostics = self.diagnostics;
        diagnostics.sort_by(|a, b| (&a.path, a.line).cmp(&(&b.path, b.line)));
        let (errors, warnings): (Vec<_>, Vec<_>) =
            diagnostics.into_iter().partition(Diagnostic::is_error);
        BuildSummary {
            archive,
            index,
            counts: BuildCounts {
                seen: self.walked.candidates.len() + self.walked.diagnostics.len(),
                indexed: work.indexed,
                unchanged: work.unchanged,
                removed: work.removed,
                skipped: self.skipped,
                duplicates: self.duplicates,
                errors: errors.len(),
                warnings: warnings.len(),
                seconds: 0.0,
            },
            ignored: self.walked.ignored,
            up_to_date: work.up_to_date,
            errors,
            warnings,
            phases: Vec::new(),
        }
    }
}
