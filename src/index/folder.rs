//! The index folder is newsidx's alone: which files in it newsidx and tantivy wrote, the check
//! that a build may write there, and the clean-up of `--rebuild`, which removes only those.
//!
//! A user who passes `--index site` where `site/` holds their own `meta.json` and notes must
//! get a refusal, not an empty folder. So a file counts as ours only by evidence: newsidx's own
//! names (`build.lock`, `manifest-N.bin`), tantivy's locks and `.managed.json`, and the files
//! `.managed.json` lists (tantivy registers every file before it writes it, `meta.json`
//! included). A `meta.json` that is not listed counts as ours only when it reads as tantivy's.
//! tantivy's files count only in a folder that is newsidx's: one that holds newsidx's build
//! lock or a manifest, or whose `meta.json` has newsidx's fields. Another program's tantivy
//! index (tantivy-cli's, say) is the user's, and `--rebuild` must not empty it.

use std::collections::HashSet;
use std::fs;
use std::path::{Component, Path, PathBuf};

use anyhow::{Context, Result};

use super::manifest::{is_manifest_file, is_manifest_in_progress_name};
use super::INDEX_DIR_NAME;

/// The build lock newsidx takes in the index folder.
pub const BUILD_LOCK: &str = "build.lock";

/// tantivy's list of the files it wrote.
const MANAGED_LIST: &str = ".managed.json";

/// Names only tantivy and newsidx give files, whatever the folder holds.
const FIXED_NAMES: [&str; 4] = [
    BUILD_LOCK,
    MANAGED_LIST,
    ".tantivy-writer.lock",
    ".tantivy-meta.lock",
];

/// Why a folder cannot be an index folder.
#[derive(Debug, thiserror::Error)]
pub enum FolderError {
    #[error("the index folder {index} is the archive folder; pass --index with a folder outside the archive, or leave it out to use {archive}/.newsidx (nothing was changed)")]
    IsArchive { index: PathBuf, archive: PathBuf },
    #[error("the index folder {index} is inside the archive {archive}, where its files would be read as articles; pass --index with a folder outside the archive, or leave it out to use {archive}/.newsidx (nothing was changed)")]
    InsideArchive { index: PathBuf, archive: PathBuf },
    #[error("the index folder {index} holds {names}, which newsidx did not write; pass --index with an empty or new folder (nothing was changed)", names = list_names(foreign))]
    Foreign {
        index: PathBuf,
        foreign: Vec<String>,
    },
    #[error("the index folder {index} holds a tantivy index that newsidx did not write (its schema is not newsidx's); pass --index with an empty or new folder (nothing was changed)")]
    OtherIndex { index: PathBuf },
    #[error(
        "the index path {index} is not a folder; pass --index with a folder (nothing was changed)"
    )]
    NotAFolder { index: PathBuf },
}

/// Checks that a build may write to `index_dir` for the archive at `archive` (absolute,
/// canonical): the folder is outside the archive or is its `.newsidx`, and holds nothing that
/// newsidx or tantivy did not write. Reads only; a missing folder is fine.
pub fn check_index_folder(index_dir: &Path, archive: &Path) -> Result<()> {
    let resolved = resolve(index_dir)?;
    if resolved == archive {
        return Err(FolderError::IsArchive {
            index: index_dir.to_path_buf(),
            archive: archive.to_path_buf(),
        }
        .into());
    }
    if resolved.starts_with(archive) && resolved != archive.join(INDEX_DIR_NAME) {
        return Err(FolderError::InsideArchive {
            index: index_dir.to_path_buf(),
            archive: archive.to_path_buf(),
        }
        .into());
    }
    match fs::symlink_metadata(index_dir) {
        Err(err) if err.kind() == std::io::ErrorKind::NotFound => return Ok(()),
        Err(err) => {
            return Err(err).with_context(|| format!("reading {}", index_dir.display()));
        }
        Ok(_) if !index_dir.is_dir() => {
            return Err(FolderError::NotAFolder {
                index: index_dir.to_path_buf(),
            }
            .into());
        }
        Ok(_) => {}
    }
    let foreign = foreign_entries(index_dir)?;
    if foreign.iter().any(|name| name == "meta.json")
        && is_tantivy_meta(&index_dir.join("meta.json"))
    {
        return Err(FolderError::OtherIndex {
            index: index_dir.to_path_buf(),
        }
        .into());
    }
    if !foreign.is_empty() {
        return Err(FolderError::Foreign {
            index: index_dir.to_path_buf(),
            foreign,
        }
        .into());
    }
    Ok(())
}

/// Removes what newsidx and tantivy wrote in `index_dir`, except the build lock this build
/// holds. Anything else stays: folders, symlinks (never followed) and files of other names.
pub fn clear_index_folder(index_dir: &Path) -> Result<()> {
    let owned = OwnedFiles::read(index_dir)?;
    for entry in
        fs::read_dir(index_dir).with_context(|| format!("reading {}", index_dir.display()))?
    {
        let entry = entry.with_context(|| format!("reading {}", index_dir.display()))?;
        let name = entry.file_name();
        let Some(name) = name.to_str() else { continue };
        let is_file = entry.file_type().is_ok_and(|kind| kind.is_file());
        if name == BUILD_LOCK || !is_file || !owned.contains(index_dir, name) {
            continue;
        }
        let path = entry.path();
        fs::remove_file(&path).with_context(|| format!("removing {}", path.display()))?;
    }
    Ok(())
}

/// How many foreign names an error lists.
const NAMES_SHOWN: usize = 3;

/// `a, b and 4 more`.
fn list_names(names: &[String]) -> String {
    let shown = names[..names.len().min(NAMES_SHOWN)].join(", ");
    match names.len().saturating_sub(NAMES_SHOWN) {
        0 => shown,
        more => format!("{shown} and {more} more"),
    }
}

/// The names of the entries of `index_dir` that newsidx did not write, in name order.
fn foreign_entries(index_dir: &Path) -> Result<Vec<String>> {
    let owned = OwnedFiles::read(index_dir)?;
    let mut entries: Vec<fs::DirEntry> = fs::read_dir(index_dir)
        .with_context(|| format!("reading {}", index_dir.display()))?
        .collect::<std::io::Result<_>>()
        .with_context(|| format!("reading {}", index_dir.display()))?;
    entries.sort_by_key(fs::DirEntry::file_name);
    let foreign = entries
        .iter()
        .filter(|entry| {
            let is_file = entry.file_type().is_ok_and(|kind| kind.is_file());
            let ours = is_file
                && entry
                    .file_name()
                    .to_str()
                    .is_some_and(|name| owned.contains(index_dir, name));
            !ours
        })
        .map(|entry| entry.file_name().to_string_lossy().into_owned())
        .collect();
    Ok(foreign)
}

/// What an index folder's own records say newsidx and tantivy wrote there.
struct OwnedFiles {
    /// The names `.managed.json` lists.
    managed: HashSet<String>,
    /// tantivy's files here are newsidx's (see the module's comment).
    newsidx_folder: bool,
}

impl OwnedFiles {
    fn read(index_dir: &Path) -> Result<OwnedFiles> {
        let managed = match fs::read(index_dir.join(MANAGED_LIST)) {
            Ok(bytes) => serde_json::from_slice::<Vec<String>>(&bytes).unwrap_or_default(),
            Err(err) if err.kind() == std::io::ErrorKind::NotFound => Vec::new(),
            Err(err) => {
                return Err(err)
                    .with_context(|| format!("reading {}", index_dir.join(MANAGED_LIST).display()))
            }
        };
        Ok(OwnedFiles {
            managed: managed.into_iter().collect(),
            newsidx_folder: is_newsidx_folder(index_dir),
        })
    }

    fn contains(&self, index_dir: &Path, name: &str) -> bool {
        if name == BUILD_LOCK || is_manifest_file(&index_dir.join(name)) {
            return true;
        }
        if !self.newsidx_folder {
            return false;
        }
        if FIXED_NAMES.contains(&name) || self.managed.contains(name) {
            return true;
        }
        // A manifest being written when the machine lost power may hold anything (zeros, a
        // short write); in a folder that is newsidx's its name is enough.
        if is_manifest_in_progress_name(name) {
            return true;
        }
        if name == "meta.json" {
            return is_tantivy_meta(&index_dir.join(name));
        }
        // tantivy's atomic writes go through a `.tmpXXXXXX` file beside the target, left behind
        // only by a crash; it is ours only in a folder tantivy manages.
        !self.managed.is_empty() && is_atomic_write_leftover(name)
    }
}

/// tempfile's default name: `.tmp` and six letters or digits.
fn is_atomic_write_leftover(name: &str) -> bool {
    name.strip_prefix(".tmp")
        .is_some_and(|rest| rest.len() == 6 && rest.bytes().all(|b| b.is_ascii_alphanumeric()))
}

/// Whether `index_dir` is newsidx's: it holds the build lock (taken before anything is
/// written) or a manifest, or its `meta.json` has newsidx's fields, which every schema
/// version has had. A folder with no tantivy index at all is newsidx's to make one in.
pub fn is_newsidx_folder(index_dir: &Path) -> bool {
    let Ok(entries) = fs::read_dir(index_dir) else {
        return true;
    };
    let mut has_meta = false;
    for entry in entries.flatten() {
        let name = entry.file_name();
        let name = name.to_string_lossy();
        if name == BUILD_LOCK || is_manifest_file(&entry.path()) {
            return true;
        }
        has_meta |= name == "meta.json";
    }
    if !has_meta {
        return !index_dir.join(MANAGED_LIST).exists();
    }
    let Ok(bytes) = fs::read(index_dir.join("meta.json")) else {
        return false;
    };
    serde_json::from_slice::<serde_json::Value>(&bytes).is_ok_and(|meta| {
        let names: HashSet<&str> = meta
            .get("schema")
            .and_then(serde_json::Value::as_array)
            .into_iter()
            .flatten()
            .filter_map(|field| field.get("name")?.as_str())
            .collect();
        ["id", "kind", "record"]
            .iter()
            .all(|name| names.contains(name))
    })
}

/// A `meta.json` that reads as tantivy's index metadata.
fn is_tantivy_meta(path: &Path) -> bool {
    let Ok(bytes) = fs::read(path) else {
        return false;
    };
    serde_json::from_slice::<serde_json::Value>(&bytes).is_ok_and(|meta| {
        meta.get("segments")
            .is_some_and(serde_json::Value::is_array)
            && meta.get("schema").is_some_and(serde_json::Value::is_array)
    })
}

/// `path` made absolute with symlinks resolved, also when its last parts do not exist yet
/// (a new index folder): the nearest existing ancestor is canonicalised, the rest appended.
fn resolve(path: &Path) -> Result<PathBuf> {
    let absolute = if path.is_absolute() {
        path.to_path_buf()
    } else {
        std::env::current_dir()
            .context("reading the current folder")?
            .join(path)
    };
    let mut missing: Vec<std::ffi::OsString> = Vec::new();
    let mut existing = absolute.as_path();
    loop {
        if let Ok(canonical) = existing.canonicalize() {
            let mut resolved = canonical;
            for part in missing.iter().rev() {
                match Path::new(part).components().next() {
                    Some(Component::ParentDir) => {
                        resolved.pop();
                    }
                    Some(Component::CurDir) | None => {}
                    Some(_) => resolved.push(part),
                }
            }
            return Ok(resolved);
        }
        match (existing.parent(), existing.file_name()) {
            (Some(parent), Some(name)) => {
                missing.push(name.to_os_string());
                existing = parent;
            }
            _ => return Ok(absolute),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn folder(files: &[(&str, &str)]) -> tempfile::TempDir {
        let dir = tempfile::tempdir().expect("a temp dir");
        for (name, text) in files {
            fs::write(dir.path().join(name), text).expect("writing a file");
        }
        dir
    }

    /// The `meta.json` of a newsidx index, cut to what the checks read.
    const TANTIVY_META: &str = r#"{"index_settings":{},"segments":[],"schema":[{"name":"id"},{"name":"kind"},{"name":"record"}],"opstamp":0}"#;

    /// The `meta.json` of another program's tantivy index.
    const OTHER_META: &str =
        r#"{"index_settings":{},"segments":[],"schema":[{"name":"myfield"}],"opstamp":0}"#;

    #[test]
    fn newsidx_and_tantivy_files_are_ours_by_name_and_content() {
        let dir = folder(&[
            ("manifest-1.bin", "NXMANIF1 and the rest"),
            ("manifest-12.bin.tmp", ""),
            ("manifest-13.bin.tmp", "NXMANIF1"),
            ("manifest-3.json", r#"{"files":[]}"#),
            ("build.lock", ""),
            ("manifest-9.bin", "mine"),
            ("manifest-8.bin.tmp", "\0\0\0\0 a power loss"),
            ("manifest-4.json", r#"{"name":"mine"}"#),
            ("manifest-.json", r#"{"files":[]}"#),
            ("manifest-x.json", r#"{"files":[]}"#),
            ("notes.txt", "mine"),
            (".tmpabcdef", ""),
        ]);
        assert!(OwnedFiles::read(Path::new("/nonexistent")).is_ok());
        let owned = OwnedFiles {
            managed: HashSet::new(),
            newsidx_folder: true,
        };
        for name in [
            "manifest-1.bin",
            "manifest-12.bin.tmp",
            "manifest-13.bin.tmp",
            "manifest-8.bin.tmp",
            "manifest-3.json",
            "build.lock",
        ] {
            assert!(owned.contains(dir.path(), name), "{name}");
        }
        for name in [
            "manifest-9.bin",
            "manifest-4.json",
            "manifest-.json",
            "manifest-x.json",
            "notes.txt",
            ".tmpabcdef",
        ] {
            assert!(!owned.contains(dir.path(), name), "{name}");
        }
    }

    #[test]
    fn a_users_meta_json_is_foreign() {
        let dir = folder(&[("meta.json", r#"{"name": "my-site"}"#)]);
        let foreign = foreign_entries(dir.path()).expect("readable");
        assert_eq!(foreign, ["meta.json"]);
    }

    #[test]
    fn tantivys_meta_json_is_ours() {
        let dir = folder(&[("meta.json", TANTIVY_META)]);
        assert!(foreign_entries(dir.path()).expect("readable").is_empty());
    }

    #[test]
    fn another_programs_tantivy_index_is_foreign_and_stays() {
        let dir = folder(&[
            ("meta.json", OTHER_META),
            (".managed.json", r#"["meta.json","abc.idx"]"#),
            ("abc.idx", "x"),
        ]);
        let foreign = foreign_entries(dir.path()).expect("readable");
        assert_eq!(foreign, [".managed.json", "abc.idx", "meta.json"]);
        let err =
            check_index_folder(dir.path(), Path::new("/nonexistent-archive")).expect_err("refused");
        assert!(format!("{err:#}").contains("tantivy index"), "{err:#}");
        clear_index_folder(dir.path()).expect("cleared");
        assert!(dir.path().join("abc.idx").exists() && dir.path().join("meta.json").exists());
        // Once newsidx has locked it, the folder is newsidx's (a first build killed early).
        fs::write(dir.path().join(BUILD_LOCK), "").expect("a lock");
        assert!(foreign_entries(dir.path()).expect("readable").is_empty());
    }

    #[test]
    fn a_damaged_meta_json_that_tantivy_listed_is_ours() {
        let dir = folder(&[
            ("build.lock", ""),
            ("meta.json", "{ not json"),
            (".managed.json", r#"["meta.json","abc.idx"]"#),
            ("abc.idx", "x"),
        ]);
        assert!(foreign_entries(dir.path()).expect("readable").is_empty());
    }

    #[test]
    fn clearing_keeps_everything_newsidx_did_not_write() {
        let dir = folder(&[
            ("meta.json", TANTIVY_META),
            (".managed.json", r#"["meta.json","abc.idx"]"#),
            ("abc.idx", "x"),
            ("manifest-3.bin", "NXMANIF1"),
            ("manifest-4.bin", "mine"),
            ("build.lock", ""),
            ("notes.txt", "mine"),
        ]);
        fs::create_dir(dir.path().join("drafts")).expect("a folder");
        clear_index_folder(dir.path()).expect("cleared");
        let mut left: Vec<String> = fs::read_dir(dir.path())
            .expect("readable")
            .map(|e| {
                e.expect("an entry")
                    .file_name()
                    .to_string_lossy()
                    .into_owned()
            })
            .collect();
        left.sort();
        assert_eq!(
            left,
            ["build.lock", "drafts", "manifest-4.bin", "notes.txt"]
        );
    }

    #[test]
    fn placement_inside_the_archive_is_refused_except_dot_newsidx() {
        let archive = tempfile::tempdir().expect("a temp dir");
        let root = archive.path().canonicalize().expect("canonical");
        let refused = |index: PathBuf| check_index_folder(&index, &root).is_err();
        assert!(refused(root.clone()));
        assert!(refused(root.join("2021")));
        assert!(refused(root.join("new/deeper")));
        assert!(refused(root.join(".newsidx/../elsewhere")));
        assert!(!refused(root.join(".newsidx")));
        assert!(!refused(root.join("../outside-index")));
    }
}
