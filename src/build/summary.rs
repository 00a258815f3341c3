//! Build stage: the summary of a build (SPEC §4 `build`), made from the new manifest, so that
//! skipped files, duplicates and diagnostics describe the archive as it is now: a file still
//! bad is reported again, as cargo replays warnings.

use std::collections::BTreeMap;
use std::path::PathBuf;

use crate::diag::Diagnostic;
use crate::index::manifest::{BuildCounts, Manifest};
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

/// Summarises a build of `walked` whose new manifest is `manifest`.
pub fn summarise(
    archive: PathBuf,
    index: PathBuf,
    walked: &Walked,
    manifest: &Manifest,
    work: Work,
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
        archive,
        index,
        counts: BuildCounts {
            seen: walked.candidates.len(),
            indexed: work.indexed,
            unchanged: work.unchanged,
            removed: work.removed,
            skipped,
            duplicates,
            errors: errors.len(),
            warnings: warnings.len(),
            seconds: 0.0,
        },
        ignored: walked.ignored,
        up_to_date: work.up_to_date,
        errors,
        warnings,
        phases: Vec::new(),
    }
}
