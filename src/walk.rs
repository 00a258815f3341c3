//! Walk stage: the archive folder in, a sorted list of candidate files out.
//!
//! Hidden entries and the index folder are skipped; symbolic links are followed only when
//! asked (loops are reported, not fatal); only candidate extensions are kept, and the others
//! are counted as ignored without being read.

use std::borrow::Cow;
use std::ffi::OsStr;
use std::path::{Path, PathBuf};
use std::time::UNIX_EPOCH;

use rayon::prelude::*;
use walkdir::WalkDir;

use crate::diag::Diagnostic;

/// Extensions read by default; `""` stands for files with no extension.
pub const DEFAULT_EXTENSIONS: [&str; 6] = ["md", "markdown", "mdx", "txt", "text", ""];

/// What to walk and how.
#[derive(Debug, Clone)]
pub struct WalkOptions {
    /// Candidate extensions, lower-case, without the dot; `""` = no extension.
    pub extensions: Vec<String>,
    /// Follow symbolic links.
    pub follow_links: bool,
    /// Folder never to enter (the index, when it lives inside the archive).
    pub skip_dir: Option<PathBuf>,
}

/// A file that may hold a record.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Candidate {
    /// Path relative to the archive root, `/`-separated (lossy for non-UTF-8 names).
    pub rel: String,
    /// Size in bytes, from the walk.
    pub size: u64,
    /// Modification time in nanoseconds since the epoch (0 when unknown).
    pub mtime_ns: i64,
    /// The walked path, kept only when `rel` had to be decoded lossily: a walk of a million
    /// files holds a million candidates, and the absolute path doubled their size.
    raw: Option<Box<Path>>,
}

impl Candidate {
    /// A candidate whose relative path is exact.
    pub fn new(rel: impl Into<String>, size: u64, mtime_ns: i64) -> Self {
        Candidate {
            rel: rel.into(),
            size,
            mtime_ns,
            raw: None,
        }
    }

    /// Where to read it, in the archive at `root`.
    pub fn path(&self, root: &Path) -> PathBuf {
        match &self.raw {
            Some(raw) => raw.to_path_buf(),
            None => root.join(&self.rel),
        }
    }
}

/// Files stat'ed together on every core: enough to keep the cores busy, few enough that the
/// walk's own entries never outgrow the candidates they become.
const STAT_CHUNK: usize = 4096;

/// What a walk found.
#[derive(Debug, Default)]
pub struct Walked {
    /// Candidate files, sorted by relative path.
    pub candidates: Vec<Candidate>,
    /// Files that are not candidates (other extensions), never read.
    pub ignored: usize,
    /// Problems met on the way (unreadable folders, link loops).
    pub diagnostics: Vec<Diagnostic>,
}

/// Walks `root`: candidates sorted by relative path, diagnostics by path.
///
/// A no-change build of a million files is mostly this walk, so it is kept lean: files are
/// stat'ed a chunk at a time on every core, and names never go through `Path` parsing.
pub fn walk_archive(root: &Path, options: &WalkOptions) -> Walked {
    let walker = Walker {
        root,
        options,
        skip_dir: options
            .skip_dir
            .as_ref()
            .and_then(|dir| dir.canonicalize().ok()),
    };
    let mut walked = walker.walk();
    walked.candidates.sort_by(|a, b| a.rel.cmp(&b.rel));
    walked.diagnostics.sort_by(|a, b| a.path.cmp(&b.path));
    walked
}

/// One walk of an archive.
struct Walker<'a> {
    root: &'a Path,
    options: &'a WalkOptions,
    /// The index folder, canonical, when it must be skipped.
    skip_dir: Option<PathBuf>,
}

impl Walker<'_> {
    fn walk(&self) -> Walked {
        let mut walked = Walked::default();
        let entries = WalkDir::new(self.root)
            .follow_links(self.options.follow_links)
            // Not `sort_by_file_name`: it parses components (see `file_name`).
            .sort_by(|a, b| file_name(a.path()).cmp(&file_name(b.path())))
            .into_iter()
            .filter_entry(|entry| entry.depth() == 0 || self.enters(entry));
        let mut chunk = Vec::with_capacity(STAT_CHUNK);
        for entry in entries {
            let entry = match entry {
                Ok(entry) => entry,
                Err(err) => {
                    // An entry the walk would skip anyway (hidden, or a broken link to a
                    // `.png`) is no reason to warn; a folder or a loop always is.
                    let skipped_anyway = err.loop_ancestor().is_none()
                        && err.path().is_some_and(|path| {
                            file_name(path).starts_with('.')
                                || (!path.is_dir() && !self.wants(path))
                        });
                    if skipped_anyway {
                        walked.ignored += 1;
                    } else {
                        walked.diagnostics.push(walk_error(self.root, &err));
                    }
                    continue;
                }
            };
            if !entry.file_type().is_file() {
                continue;
            }
            if !self.wants(entry.path()) {
                walked.ignored += 1;
                continue;
            }
            chunk.push(entry);
            if chunk.len() == STAT_CHUNK {
                stat_chunk(self.root, &mut chunk, &mut walked);
            }
        }
        stat_chunk(self.root, &mut chunk, &mut walked);
        walked
    }

    /// Whether the walk goes on into (or on to) `entry`: not hidden, not the index folder.
    fn enters(&self, entry: &walkdir::DirEntry) -> bool {
        let hidden = file_name(entry.path()).starts_with('.');
        let is_index = entry.file_type().is_dir()
            && self
                .skip_dir
                .as_ref()
                .is_some_and(|skip| entry.path().canonicalize().ok().as_ref() == Some(skip));
        !hidden && !is_index
    }

    /// Whether a file's extension makes it a candidate.
    fn wants(&self, path: &Path) -> bool {
        let name = file_name(path);
        let extension = match name.rfind('.') {
            None | Some(0) => "",
            Some(dot) => &name[dot + 1..],
        };
        if extension.is_ascii() {
            let known = &self.options.extensions;
            known.iter().any(|e| e.eq_ignore_ascii_case(extension))
        } else {
            self.options.extensions.contains(&extension.to_lowercase())
        }
    }
}

/// The last part of `path`, lossily decoded: a walk asks it of every file, and `Path`'s own
/// component parsing was a fifth of a no-change build of a million files.
fn file_name(path: &Path) -> Cow<'_, str> {
    match path.to_str() {
        Some(text) if cfg!(unix) => Cow::Borrowed(text.rsplit('/').next().unwrap_or(text)),
        _ => path.file_name().map_or(Cow::Borrowed(""), name_text),
    }
}

/// The diagnostic of a walk error: an unreadable folder, a link loop.
fn walk_error(root: &Path, err: &walkdir::Error) -> Diagnostic {
    let path = err
        .path()
        .map(|p| relative(root, p))
        .unwrap_or_else(|| ".".to_owned());
    let message = if err.loop_ancestor().is_some() {
        "symbolic link loop, not followed".to_owned()
    } else {
        match err.io_error() {
            Some(io) => format!("cannot read: {io}"),
            None => err.to_string(),
        }
    };
    Diagnostic::warning(&path, message)
}

/// Stats the files of `chunk` on every core (one stat per file is most of a walk's time) and
/// turns them into candidates, emptying the chunk.
fn stat_chunk(root: &Path, chunk: &mut Vec<walkdir::DirEntry>, walked: &mut Walked) {
    let stated: Vec<Result<Candidate, Diagnostic>> = chunk
        .par_drain(..)
        .map(|entry| {
            let rel = relative(root, entry.path());
            let metadata = entry
                .metadata()
                .map_err(|err| Diagnostic::warning(&rel, format!("cannot read: {err}")))?;
            let mtime_ns = metadata
                .modified()
                .ok()
                .and_then(|t| t.duration_since(UNIX_EPOCH).ok())
                .map_or(0, |d| i64::try_from(d.as_nanos()).unwrap_or(i64::MAX));
            let raw = entry
                .path()
                .to_str()
                .is_none()
                .then(|| entry.into_path().into_boxed_path());
            Ok(Candidate {
                rel,
                size: metadata.len(),
                mtime_ns,
                raw,
            })
        })
        .collect();
    for result in stated {
        match result {
            Ok(candidate) => walked.candidates.push(candidate),
            Err(diagnostic) => walked.diagnostics.push(diagnostic),
        }
    }
}

/// A file name as text: itself when it is UTF-8, else its UTF-8 parts with every other byte
/// as `\xNN`. Unlike `to_string_lossy` (U+FFFD for any such byte), two names that differ only
/// in those bytes stay two texts, so two files never become one record path.
pub fn name_text(name: &OsStr) -> Cow<'_, str> {
    #[cfg(unix)]
    {
        use std::os::unix::ffi::OsStrExt;
        if let Some(text) = name.to_str() {
            return Cow::Borrowed(text);
        }
        let mut out = String::new();
        for chunk in name.as_bytes().utf8_chunks() {
            out.push_str(chunk.valid());
            for byte in chunk.invalid() {
                out.push_str(&format!("\\x{byte:02X}"));
            }
        }
        Cow::Owned(out)
    }
    #[cfg(not(unix))]
    {
        name.to_string_lossy()
    }
}

/// Whether `text` may hold a name `name_text` escaped (or one decoded with U+FFFD).
pub fn may_be_escaped(text: &str) -> bool {
    text.contains("\\x") || text.contains(char::REPLACEMENT_CHARACTER)
}

/// The file at `escaped` (a `/`-separated path under `base`, or absolute) whose names may be
/// `name_text`'s escapes of bytes that are not UTF-8, as the index holds them: each such name
/// is looked for among its folder's entries. `None` when nothing on disk matches.
pub fn find_by_name_text(base: &Path, escaped: &str) -> Option<PathBuf> {
    let mut found = if escaped.starts_with('/') {
        PathBuf::from("/")
    } else {
        base.to_path_buf()
    };
    for part in escaped.split('/').filter(|part| !part.is_empty()) {
        if may_be_escaped(part) {
            let name = std::fs::read_dir(&found)
                .ok()?
                .flatten()
                .map(|entry| entry.file_name())
                .find(|name| name_text(name) == part || name.to_string_lossy() == part)?;
            found.push(name);
        } else {
            found.push(part);
        }
    }
    Some(found)
}

/// `path` relative to `root`, `/`-separated. A walked path is `root` joined with names, so
/// on Unix it is `root`'s text, slashes and the names; other paths go through `Path`.
fn relative(root: &Path, path: &Path) -> String {
    if cfg!(unix) {
        if let (Some(root), Some(path)) = (root.to_str(), path.to_str()) {
            if let Some(rest) = path.strip_prefix(root) {
                let rest = rest.trim_start_matches('/');
                if !rest.is_empty()
                    && (root.is_empty()
                        || root.ends_with('/')
                        || path.as_bytes()[root.len()] == b'/')
                {
                    return rest.to_owned();
                }
            }
        }
    }
    let rel = path.strip_prefix(root).unwrap_or(path);
    let parts: Vec<String> = rel
        .components()
        .map(|c| name_text(c.as_os_str()).into_owned())
        .collect();
    if parts.is_empty() {
        ".".to_owned()
    } else {
        parts.join("/")
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::fs;

    fn options() -> WalkOptions {
        WalkOptions {
            extensions: DEFAULT_EXTENSIONS.iter().map(|s| s.to_string()).collect(),
            follow_links: false,
            skip_dir: None,
        }
    }

    #[test]
    fn skips_hidden_and_other_extensions_and_sorts() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        for rel in [
            "b.md",
            "a/z.TXT",
            "a-b/c.markdown",
            "noext",
            ".hidden.md",
            ".git/x.md",
            "pic.jpg",
        ] {
            let path = root.join(rel);
            fs::create_dir_all(path.parent().unwrap()).unwrap();
            fs::write(path, "x").unwrap();
        }
        let walked = walk_archive(root, &options());
        let rels: Vec<_> = walked.candidates.iter().map(|c| c.rel.as_str()).collect();
        assert_eq!(rels, ["a-b/c.markdown", "a/z.TXT", "b.md", "noext"]);
        assert_eq!(walked.ignored, 1);
    }

    #[test]
    fn nested_folders_come_out_as_one_sorted_walk() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        let mut expected = Vec::new();
        for year in ["2019", "2020", "2021"] {
            for month in ["01", "11"] {
                for name in ["b.md", "a.txt"] {
                    let rel = format!("{year}/{month}/{name}");
                    fs::create_dir_all(root.join(year).join(month)).unwrap();
                    fs::write(root.join(&rel), "x").unwrap();
                    expected.push(rel);
                }
            }
        }
        fs::write(root.join("top.md"), "x").unwrap();
        fs::write(root.join("2020/skip.jpg"), "x").unwrap();
        fs::create_dir_all(root.join(".hidden/inner")).unwrap();
        fs::write(root.join(".hidden/inner/x.md"), "x").unwrap();
        expected.push("top.md".to_owned());
        expected.sort();
        let walked = walk_archive(root, &options());
        let rels: Vec<_> = walked.candidates.iter().map(|c| c.rel.clone()).collect();
        assert_eq!(rels, expected);
        assert_eq!(walked.ignored, 1);
        assert!(walked.candidates.iter().all(|c| c.size == 1));
    }

    #[test]
    fn skips_the_index_folder() {
        let dir = tempfile::tempdir().unwrap();
        fs::create_dir_all(dir.path().join("idx")).unwrap();
        fs::write(dir.path().join("idx/meta.txt"), "x").unwrap();
        fs::write(dir.path().join("a.md"), "x").unwrap();
        let walked = walk_archive(
            dir.path(),
            &WalkOptions {
                skip_dir: Some(dir.path().join("idx")),
                ..options()
            },
        );
        assert_eq!(walked.candidates.len(), 1);
    }
}
