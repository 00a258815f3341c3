//! What the index remembers besides the documents: the commit payload (archive root, schema
//! version, last build summary) and the per-file manifest (size, mtime, content hash, the ids
//! each file claims, its diagnostics), so that an unchanged file is never read again.
//!
//! Crash safety: a manifest is written to `manifest-N.bin` (N = the next generation) and
//! synced *before* the tantivy commit whose payload names N. A build killed before the commit
//! leaves the payload naming the previous manifest, which is still there.

use std::fs;
use std::io::{BufReader, BufWriter, Read, Write};
use std::path::{Path, PathBuf};

use anyhow::{Context, Result};
use serde::{Deserialize, Serialize};
use xxhash_rust::xxh3::Xxh3;

use crate::diag::{Diagnostic, Severity};

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
    index_dir.join(format!("manifest-{generation}.bin"))
}

/// The first bytes of a manifest file, with the format's version.
const MAGIC: &[u8; 8] = b"NXMANIF1";

/// Tags before each record of the file.
const ENTRY: u8 = 1;
const END: u8 = 0;

/// A manifest file stores one length-prefixed postcard record per file, in path order, so
/// that a build streams it instead of holding the whole archive's entries (about 200 bytes
/// each) in memory. This is the stored form of a `FileEntry`: postcard needs every field.
#[derive(Serialize, Deserialize)]
struct StoredEntry {
    rel: String,
    size: u64,
    mtime_ns: i64,
    hash: u64,
    claims: Vec<String>,
    unreadable: bool,
    skipped: bool,
    diagnostics: Vec<StoredDiagnostic>,
}

/// The stored form of a `Diagnostic` (whose JSON form skips an unknown column).
#[derive(Serialize, Deserialize)]
struct StoredDiagnostic {
    path: String,
    line: Option<usize>,
    col: Option<usize>,
    severity: Severity,
    message: String,
}

impl From<&Diagnostic> for StoredDiagnostic {
    fn from(d: &Diagnostic) -> Self {
        StoredDiagnostic {
            path: d.path.clone(),
            line: d.line,
            col: d.col,
            severity: d.severity,
            message: d.message.clone(),
        }
    }
}

impl From<StoredDiagnostic> for Diagnostic {
    fn from(d: StoredDiagnostic) -> Self {
        Diagnostic {
            path: d.path,
            line: d.line,
            col: d.col,
            severity: d.severity,
            message: d.message,
        }
    }
}

impl From<&FileEntry> for StoredEntry {
    fn from(entry: &FileEntry) -> Self {
        StoredEntry {
            rel: entry.rel.clone(),
            size: entry.size,
            mtime_ns: entry.mtime_ns,
            hash: entry.hash,
            claims: entry.claims.clone(),
            unreadable: entry.unreadable,
            skipped: entry.skipped,
            diagnostics: entry
                .diagnostics
                .iter()
                .map(StoredDiagnostic::from)
                .collect(),
        }
    }
}

impl From<StoredEntry> for FileEntry {
    fn from(entry: StoredEntry) -> Self {
        FileEntry {
            rel: entry.rel,
            size: entry.size,
            mtime_ns: entry.mtime_ns,
            hash: entry.hash,
            claims: entry.claims,
            unreadable: entry.unreadable,
            skipped: entry.skipped,
            diagnostics: entry
                .diagnostics
                .into_iter()
                .map(Diagnostic::from)
                .collect(),
        }
    }
}

/// The entries of a manifest file, read one at a time.
pub struct ManifestReader {
    file: BufReader<fs::File>,
    buffer: Vec<u8>,
    done: bool,
}

/// Opens the manifest of `generation`, checked whole (length and checksum) first, so that the
/// entries it yields can be trusted; `None` when it is missing, of another format or damaged
/// (the build then starts over, which is always correct).
pub fn open_manifest(index_dir: &Path, generation: u64) -> Option<ManifestReader> {
    let path = manifest_path(index_dir, generation);
    if !is_intact(&path) {
        return None;
    }
    let mut file = BufReader::new(fs::File::open(&path).ok()?);
    let mut magic = [0u8; 8];
    file.read_exact(&mut magic).ok()?;
    Some(ManifestReader {
        file,
        buffer: Vec::new(),
        done: false,
    })
}

/// Whether the file ends with the checksum of all that precedes it.
fn is_intact(path: &Path) -> bool {
    let Ok(mut file) = fs::File::open(path) else {
        return false;
    };
    let Ok(length) = file.metadata().map(|m| m.len()) else {
        return false;
    };
    if length < (MAGIC.len() + 1 + 8) as u64 {
        return false;
    }
    let mut hasher = Xxh3::new();
    let mut remaining = length - 8;
    let mut chunk = vec![0u8; 1 << 16];
    let mut first = true;
    while remaining > 0 {
        let take = remaining.min(chunk.len() as u64) as usize;
        if file.read_exact(&mut chunk[..take]).is_err() {
            return false;
        }
        if first && &chunk[..MAGIC.len()] != MAGIC {
            return false;
        }
        first = false;
        hasher.update(&chunk[..take]);
        remaining -= take as u64;
    }
    let mut stored = [0u8; 8];
    file.read_exact(&mut stored).is_ok() && u64::from_le_bytes(stored) == hasher.digest()
}

impl Iterator for ManifestReader {
    type Item = FileEntry;

    fn next(&mut self) -> Option<FileEntry> {
        if self.done {
            return None;
        }
        let mut tag = [0u8; 1];
        let mut length = [0u8; 4];
        let read = self.file.read_exact(&mut tag).and_then(|()| {
            if tag[0] != ENTRY {
                return Err(std::io::ErrorKind::UnexpectedEof.into());
            }
            self.file.read_exact(&mut length)?;
            self.buffer.resize(u32::from_le_bytes(length) as usize, 0);
            self.file.read_exact(&mut self.buffer)
        });
        let entry = read
            .ok()
            .and_then(|()| postcard::from_bytes::<StoredEntry>(&self.buffer).ok());
        if entry.is_none() {
            self.done = true;
        }
        entry.map(FileEntry::from)
    }
}

/// Reads every entry of the manifest of `generation` into memory (tests, small archives).
pub fn read_manifest(index_dir: &Path, generation: u64) -> Option<Manifest> {
    open_manifest(index_dir, generation).map(|reader| Manifest {
        files: reader.collect(),
    })
}

/// Writes the manifest of `generation` entry by entry, then syncs it and renames it into
/// place, so a killed build never leaves a half-written manifest under the real name.
pub struct ManifestWriter {
    file: BufWriter<fs::File>,
    hasher: Xxh3,
    temporary: PathBuf,
    path: PathBuf,
    index_dir: PathBuf,
}

impl ManifestWriter {
    /// Starts the manifest of `generation` in `index_dir`.
    pub fn create(index_dir: &Path, generation: u64) -> Result<Self> {
        let path = manifest_path(index_dir, generation);
        let temporary = index_dir.join(format!("manifest-{generation}.bin.tmp"));
        let file = fs::File::create(&temporary)
            .with_context(|| format!("writing {}", temporary.display()))?;
        let mut writer = ManifestWriter {
            file: BufWriter::new(file),
            hasher: Xxh3::new(),
            temporary,
            path,
            index_dir: index_dir.to_path_buf(),
        };
        writer.write(MAGIC)?;
        Ok(writer)
    }

    fn write(&mut self, bytes: &[u8]) -> Result<()> {
        self.hasher.update(bytes);
        self.file
            .write_all(bytes)
            .with_context(|| format!("writing {}", self.temporary.display()))
    }

    /// Appends one entry; entries must come in path order.
    pub fn push(&mut self, entry: &FileEntry) -> Result<()> {
        let bytes =
            postcard::to_stdvec(&StoredEntry::from(entry)).context("encoding a manifest entry")?;
        let length = u32::try_from(bytes.len()).context("a manifest entry over 4 GB")?;
        self.write(&[ENTRY])?;
        self.write(&length.to_le_bytes())?;
        self.write(&bytes)
    }

    /// Ends, syncs and renames the file into place.
    pub fn finish(mut self) -> Result<()> {
        self.write(&[END])?;
        let checksum = self.hasher.digest().to_le_bytes();
        let context = || format!("writing {}", self.path.display());
        self.file.write_all(&checksum).with_context(context)?;
        let file = self
            .file
            .into_inner()
            .map_err(|err| err.into_error())
            .with_context(context)?;
        file.sync_all().with_context(context)?;
        fs::rename(&self.temporary, &self.path).with_context(context)?;
        if let Ok(dir) = fs::File::open(&self.index_dir) {
            // Make the rename durable; not every platform can sync a folder, and that is fine.
            let _ = dir.sync_all();
        }
        Ok(())
    }
}

/// Writes the whole `manifest` of `generation` (tests, small archives).
pub fn write_manifest(index_dir: &Path, generation: u64, manifest: &Manifest) -> Result<()> {
    let mut writer = ManifestWriter::create(index_dir, generation)?;
    for entry in &manifest.files {
        writer.push(entry)?;
    }
    writer.finish()
}

/// Removes manifests of other generations (left by earlier or killed builds), only those that
/// read as newsidx's (`is_manifest_file`): a user's `manifest-9.bin` stays.
pub fn remove_other_manifests(index_dir: &Path, keep: u64) {
    let keep_name = format!("manifest-{keep}.bin");
    let Ok(entries) = fs::read_dir(index_dir) else {
        return;
    };
    for entry in entries.flatten() {
        let name = entry.file_name().to_string_lossy().into_owned();
        if name != keep_name
            && (is_manifest_file(&entry.path()) || is_manifest_in_progress_name(&name))
        {
            let _ = fs::remove_file(entry.path());
        }
    }
}

/// Whether the file at `path` is a manifest newsidx wrote, by its name (`manifest-N.bin`,
/// `manifest-N.json` before schema version 4, either with `.tmp` while being written) and by
/// its first bytes: the binary manifest's magic, or the JSON one's opening. A `.tmp` may be
/// empty: a build killed before its first buffered write leaves it so.
pub fn is_manifest_file(path: &Path) -> bool {
    let Some(name) = path.file_name().and_then(|name| name.to_str()) else {
        return false;
    };
    let Some(rest) = name.strip_prefix("manifest-") else {
        return false;
    };
    let (rest, temporary) = match rest.strip_suffix(".tmp") {
        Some(rest) => (rest, true),
        None => (rest, false),
    };
    let (number, opening): (&str, &[u8]) = if let Some(number) = rest.strip_suffix(".bin") {
        (number, MAGIC)
    } else if let Some(number) = rest.strip_suffix(".json") {
        (number, JSON_OPENING)
    } else {
        return false;
    };
    if number.is_empty() || !number.bytes().all(|b| b.is_ascii_digit()) {
        return false;
    }
    let mut start = [0u8; 16];
    let Ok(read) = fs::File::open(path).and_then(|mut file| file.read(&mut start)) else {
        return false;
    };
    (temporary && read == 0) || start[..read].starts_with(opening)
}

/// `manifest-N.bin.tmp` (or `.json.tmp`): the name of a manifest being written.
pub fn is_manifest_in_progress_name(name: &str) -> bool {
    let Some(number) = name
        .strip_prefix("manifest-")
        .and_then(|rest| rest.strip_suffix(".tmp"))
        .and_then(|rest| {
            rest.strip_suffix(".bin")
                .or_else(|| rest.strip_suffix(".json"))
        })
    else {
        return false;
    };
    !number.is_empty() && number.bytes().all(|b| b.is_ascii_digit())
}

/// How the JSON manifests of schema versions before 4 began (`{"files":[…]}`).
const JSON_OPENING: &[u8] = b"{\"files\":";

/// Removes the manifest of `generation`, finished or not: that of a build that failed before
/// its commit.
pub fn remove_manifest(index_dir: &Path, generation: u64) {
    let path = manifest_path(index_dir, generation);
    let _ = fs::remove_file(path.with_extension("bin.tmp"));
    let _ = fs::remove_file(path);
}

/// Serialises the payload; never fails for this plain struct.
pub fn payload_text(payload: &Payload) -> String {
    serde_json::to_string(payload).unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn entry(rel: &str, diagnostics: Vec<Diagnostic>) -> FileEntry {
        FileEntry {
            rel: rel.to_owned(),
            size: 12,
            mtime_ns: -5,
            hash: u64::MAX,
            claims: vec!["0123456789abcdef".into()],
            unreadable: true,
            skipped: false,
            diagnostics,
        }
    }

    #[test]
    fn a_manifest_reads_back_as_written() {
        let dir = tempfile::tempdir().expect("a temp dir");
        let manifest = Manifest {
            files: vec![
                entry("a.md", vec![Diagnostic::warning("a.md", "w")]),
                entry("b.md", vec![Diagnostic::error("b.md", "e").at(3, Some(4))]),
                entry("c.md", Vec::new()),
            ],
        };
        write_manifest(dir.path(), 7, &manifest).expect("written");
        assert_eq!(read_manifest(dir.path(), 7), Some(manifest));
        assert_eq!(read_manifest(dir.path(), 8), None);
    }

    #[test]
    fn a_damaged_manifest_is_not_used() {
        let dir = tempfile::tempdir().expect("a temp dir");
        let manifest = Manifest {
            files: vec![entry("a.md", Vec::new()), entry("b.md", Vec::new())],
        };
        write_manifest(dir.path(), 1, &manifest).expect("written");
        let path = manifest_path(dir.path(), 1);
        let mut bytes = fs::read(&path).expect("readable");
        let middle = bytes.len() / 2;
        bytes[middle] ^= 0x40;
        fs::write(&path, &bytes).expect("writable");
        assert!(open_manifest(dir.path(), 1).is_none());
        fs::write(&path, &bytes[..middle]).expect("writable");
        assert!(open_manifest(dir.path(), 1).is_none());
    }
}
