//! What the index remembers besides the documents: the commit payload (archive root, schema
//! version, last build summary) and the per-file manifest (size, mtime, content hash, the ids
//! each file claims, its diagnostics), so that an unchanged file is never read again.
//!
//! Crash safety: a manifest is written to `manifest-N.json` (N = the next generation) and
//! synced *before* the tantivy commit whose payload names N. A build killed before the commit
//! leaves the payload naming the previous manifest, which is still there.

use std::fs;
use std::path::{Path, PathBuf};

use anyhow::{Context, Result};
use serde::{Deserialize, Serialize};

use crate::diag::Diagnostic;

/// The commit payload stored in tantivy's `meta.json`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Payload {
    /// Schema version the index was built with.
    pub schema_version: u32,
    /// Absolute archive root.
    pub archive: PathBuf,
    /// Generation of the manifest that goes with this commit.
    pub generation: u64,
    /// When the build that made this commit finished (RFC 3339 UTC).
    pub built_at: String,
    /// `--max-file-size` of that build: a change means skipped files must be looked at again.
    pub max_file_size: u64,
    /// Candidate extensions of that build.
    pub extensions: Vec<String>,
    /// Counts of that build.
    pub summary: BuildCounts,
}

/// The counts of a build summary.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct BuildCounts {
    pub seen: usize,
    pub indexed: usize,
    pub unchanged: usize,
    pub removed: usize,
    pub skipped: usize,
    pub duplicates: usize,
    pub errors: usize,
    pub warnings: usize,
    pub seconds: f64,
}

/// One candidate file as of the last build.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct FileEntry {
    /// Path relative to the archive root.
    pub rel: String,
    pub size: u64,
    pub mtime_ns: i64,
    /// xxh3-64 of the content (0 when the file was not read: too large, unreadable).
    pub hash: u64,
    /// Ids of the records whose `path` is this file (the index holds the one whose path sorts
    /// first among all claimants of an id).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub claims: Vec<String>,
    /// True when the file could not be read (permissions, gone): the next build tries again
    /// as soon as it can be opened, even though its size and mtime did not change.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub unreadable: bool,
    /// True when the file was skipped (error, empty, binary, too large, unreadable).
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub skipped: bool,
    /// Errors and warnings about this file.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub diagnostics: Vec<Diagnostic>,
}

/// Every candidate file of the last build, sorted by `rel`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Manifest {
    pub files: Vec<FileEntry>,
}

fn manifest_path(index_dir: &Path, generation: u64) -> PathBuf {
    index_dir.join(format!("manifest-{generation}.json"))
}

/// Reads the manifest of `generation`; `None` when it is missing or unreadable (the build then
/// starts over, which is always correct).
pub fn read_manifest(index_dir: &Path, generation: u64) -> Option<Manifest> {
    let bytes = fs::read(manifest_path(index_dir, generation)).ok()?;
    serde_json::from_slice(&bytes).ok()
}

/// Writes and syncs the manifest of `generation`, atomically (temporary file, then rename).
pub fn write_manifest(index_dir: &Path, generation: u64, manifest: &Manifest) -> Result<()> {
    let path = manifest_path(index_dir, generation);
    let temporary = index_dir.join(format!("manifest-{generation}.json.tmp"));
    let write = || -> std::io::Result<()> {
        let mut file = std::io::BufWriter::new(fs::File::create(&temporary)?);
        serde_json::to_writer(&mut file, manifest)?;
        let file = file.into_inner().map_err(|err| err.into_error())?;
        file.sync_all()?;
        fs::rename(&temporary, &path)?;
        if let Ok(dir) = fs::File::open(index_dir) {
            // Make the rename durable; not every platform can sync a folder, and that is fine.
            let _ = dir.sync_all();
        }
        Ok(())
    };
    write().with_context(|| format!("writing {}", path.display()))
}

/// Removes manifests of other generations (left by earlier or killed builds).
pub fn remove_other_manifests(index_dir: &Path, keep: u64) {
    let keep_name = format!("manifest-{keep}.json");
    let Ok(entries) = fs::read_dir(index_dir) else {
        return;
    };
    for entry in entries.flatten() {
        let name = entry.file_name().to_string_lossy().into_owned();
        if name.starts_with("manifest-") && name != keep_name {
            let _ = fs::remove_file(entry.path());
        }
    }
}

/// Serialises the payload; never fails for this plain struct.
pub fn payload_text(payload: &Payload) -> String {
    serde_json::to_string(payload).unwrap_or_default()
}
