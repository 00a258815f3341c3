//! Index stage: where the index lives (`--index`, `$NEWSIDX_INDEX`, the nearest `.newsidx`
//! here or above, as git finds `.git`), opening it for reading, and checking its version.

mod fold;
pub mod folder;
pub mod manifest;
mod queue;
pub mod schema;
mod stem;
pub(crate) mod words;
pub mod writer;

use std::path::{Path, PathBuf};

use anyhow::{Context, Result};
use std::sync::Arc;

use tantivy::directory::error::{DeleteError, LockError, OpenReadError, OpenWriteError};
use tantivy::directory::{
    Directory, DirectoryLock, FileHandle, Lock, MmapDirectory, WatchCallback, WatchHandle, WritePtr,
};
use tantivy::store::{Compressor, ZstdCompressor};
use tantivy::{Index, IndexReader, IndexSettings, ReloadPolicy};
use thiserror::Error;

use folder::clear_index_folder;
use manifest::Payload;
use schema::{build_schema, register_tokenizers, Fields, SCHEMA_VERSION};

/// Decompressed docstore blocks kept per segment.
const DOC_STORE_CACHE_BLOCKS: usize = 4;

/// Folder name of an index inside an archive.
pub const INDEX_DIR_NAME: &str = ".newsidx";

/// Index problems the user can fix, each with the fix in its message.
#[derive(Debug, Error)]
pub enum IndexError {
    #[error("no index found in {searched} or its parent folders; run `newsidx build DIR` to make one, or pass --index PATH")]
    NotFound { searched: PathBuf },
    #[error("no index at {path}; run `newsidx build DIR --index {path}` to make one")]
    Missing { path: PathBuf },
    #[error("the index at {path} has schema version {found}, this newsidx uses {expected}; run `newsidx build --rebuild`")]
    SchemaVersion {
        path: PathBuf,
        found: u32,
        expected: u32,
    },
    #[error("the index at {path} is damaged ({reason}); run `newsidx build --rebuild` to make it anew from the archive")]
    Damaged { path: PathBuf, reason: String },
    #[error("the folder {path} holds a tantivy index that newsidx did not write; pass --index with a newsidx index, or make one with `newsidx build DIR --index NEW-FOLDER`")]
    NotNewsidx { path: PathBuf },
    #[error("the index {path} holds the archive {archive}, which is still there; pass --rebuild to index {asked} in its place, or --index with another folder (nothing was changed)")]
    OtherArchive {
        path: PathBuf,
        archive: PathBuf,
        asked: PathBuf,
    },
    #[error("the index at {path} has no completed build yet; run `newsidx build DIR`")]
    Empty { path: PathBuf },
    #[error("another build is running on {path}; wait for it to finish")]
    Locked { path: PathBuf },
    #[error("the disk holding the index {path} is full ({reason}): the build stopped and removed what it had not committed, so the index is as the last build (or checkpoint) left it; free some space, or pass --index PATH on a larger disk, and build again")]
    DiskFull { path: PathBuf, reason: String },
}

/// Removes what a build that failed wrote before its commit (segment files the last commit
/// does not use), so that a disk it filled is free again. tantivy deletes only files it
/// created, listed in its `.managed.json`. The index is opened afresh: the failed build's
/// `Index` may still count its unfinished segments as alive. Best effort: a failure leaves the
/// files for the next commit's own clean-up.
pub fn remove_uncommitted_files(index_dir: &Path) {
    // tantivy's smallest budget: this writer indexes nothing.
    const SMALLEST_BUDGET: usize = 15_000_000;
    let Ok(index) = open_directory(index_dir) else {
        return;
    };
    if let Ok(writer) =
        index.writer_with_num_threads::<tantivy::TantivyDocument>(1, SMALLEST_BUDGET)
    {
        let _ = writer.garbage_collect_files().wait();
    }
}

/// The index a build writes to: `--index` (or `$NEWSIDX_INDEX`, which clap reads into it),
/// else `DIR/.newsidx`.
pub fn build_index_path(flag: Option<&Path>, archive: &Path) -> PathBuf {
    given(flag).map_or_else(|| archive.join(INDEX_DIR_NAME), Path::to_path_buf)
}

/// `--index` or `$NEWSIDX_INDEX`, unless empty (`NEWSIDX_INDEX= newsidx …` means unset).
fn given(flag: Option<&Path>) -> Option<&Path> {
    flag.filter(|path| !path.as_os_str().is_empty())
}

/// The index other commands read: `--index` (or `$NEWSIDX_INDEX`), else the nearest
/// `.newsidx` folder in the current folder or its ancestors.
pub fn find_index(flag: Option<&Path>) -> Result<PathBuf> {
    if let Some(path) = given(flag) {
        return Ok(path.to_path_buf());
    }
    let cwd = std::env::current_dir().context("reading the current folder")?;
    cwd.ancestors()
        .map(|dir| dir.join(INDEX_DIR_NAME))
        .find(|candidate| candidate.join("meta.json").is_file())
        .ok_or_else(|| IndexError::NotFound { searched: cwd }.into())
}

/// An index opened for reading.
pub struct OpenIndex {
    pub path: PathBuf,
    pub index: Index,
    pub fields: Fields,
    pub payload: Payload,
    pub reader: IndexReader,
}

/// Reads the commit payload of an index; `None` before the first commit.
pub fn read_payload(index: &Index, path: &Path) -> Result<Option<Payload>, IndexError> {
    let metas = index.load_metas().map_err(|err| IndexError::Damaged {
        path: path.to_path_buf(),
        reason: err.to_string(),
    })?;
    let Some(text) = metas.payload else {
        return Ok(None);
    };
    let value: serde_json::Value =
        serde_json::from_str(&text).map_err(|err| IndexError::Damaged {
            path: path.to_path_buf(),
            reason: format!("unreadable payload: {err}"),
        })?;
    let found = value
        .get("schema_version")
        .and_then(serde_json::Value::as_u64)
        .unwrap_or(0) as u32;
    if found != SCHEMA_VERSION {
        return Err(IndexError::SchemaVersion {
            path: path.to_path_buf(),
            found,
            expected: SCHEMA_VERSION,
        });
    }
    serde_json::from_value(value)
        .map(Some)
        .map_err(|err| IndexError::Damaged {
            path: path.to_path_buf(),
            reason: format!("unreadable payload: {err}"),
        })
}

/// Most threads a search uses: beyond a few, starting them costs more than they save on the
/// handful of segments an index has.
const SEARCH_THREADS: usize = 4;

/// Opens the index at `path` for reading.
pub fn open_index(path: &Path) -> Result<OpenIndex> {
    if !path.join("meta.json").is_file() {
        return Err(IndexError::Missing {
            path: path.to_path_buf(),
        }
        .into());
    }
    if !folder::is_newsidx_folder(path) {
        return Err(IndexError::NotNewsidx {
            path: path.to_path_buf(),
        }
        .into());
    }
    let damaged = |err: tantivy::TantivyError| IndexError::Damaged {
        path: path.to_path_buf(),
        reason: damage_of(&err),
    };
    let directory = MmapDirectory::open(path).map_err(|err| IndexError::Damaged {
        path: path.to_path_buf(),
        reason: err.to_string(),
    })?;
    let mut index = Index::open(ReadDirectory(directory)).map_err(damaged)?;
    // Segments are searched in parallel: a count over a million records (facets, timeline,
    // a common word) takes about half the time on two cores.
    let threads = std::thread::available_parallelism().map_or(1, |n| n.get().min(SEARCH_THREADS));
    if threads > 1 {
        index.set_multithread_executor(threads).map_err(damaged)?;
    }
    let _ = OPENED.set(path.to_path_buf());
    let payload = read_payload(&index, path)?.ok_or_else(|| IndexError::Empty {
        path: path.to_path_buf(),
    })?;
    register_tokenizers(&index);
    let fields = Fields::from_schema(&index.schema()).map_err(|err| IndexError::Damaged {
        path: path.to_path_buf(),
        reason: err.to_string(),
    })?;
    let reader = index
        .reader_builder()
        .reload_policy(ReloadPolicy::Manual)
        // Every command reads records either a handful at a time or in one pass in path
        // order (export), where each segment's next record is in its current block; the
        // default cache of 100 decompressed 64 KiB blocks per segment only cost memory.
        .doc_store_cache_num_blocks(DOC_STORE_CACHE_BLOCKS)
        .try_into()
        .map_err(damaged)?;
    Ok(OpenIndex {
        path: path.to_path_buf(),
        index,
        fields,
        payload,
        reader,
    })
}

/// Opens the index at `dir` for a build, with the last commit's payload, creating it when new, or recreating it when
/// `rebuild` meets an index of another schema version or a damaged one. The caller has checked
/// that the folder is newsidx's (`folder::check_index_folder`) and holds the build lock.
pub fn open_for_build(dir: &Path, rebuild: bool) -> Result<(Index, Option<Payload>)> {
    if dir.join("meta.json").is_file() {
        match open_existing(dir) {
            Ok((index, payload)) => {
                register_tokenizers(&index);
                return Ok((index, payload));
            }
            Err(err) if !rebuild => return Err(err.into()),
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

/// The tantivy index in `dir`, as a build opens it (reads go through `open_index`).
fn open_directory(dir: &Path) -> tantivy::Result<Index> {
    Index::open(MmapDirectory::open(dir)?)
}

/// An existing index with its payload, checked for version and schema.
fn open_existing(dir: &Path) -> Result<(Index, Option<Payload>), IndexError> {
    let damaged = |reason: String| IndexError::Damaged {
        path: dir.to_path_buf(),
        reason,
    };
    let index = open_directory(dir).map_err(|err| damaged(damage_of(&err)))?;
    let payload = read_payload(&index, dir)?;
    if Fields::from_schema(&index.schema()).is_err() {
        return Err(damaged("unexpected schema".into()));
    }
    // Opens every segment's files, so that a build on an index missing one says so instead of
    // finding the archive unchanged and leaving the index unreadable.
    let opened = crate::exit::catch_panic(|| {
        index
            .reader_builder()
            .reload_policy(ReloadPolicy::Manual)
            .try_into()
            .map(|_: IndexReader| ())
    });
    match opened {
        Ok(Ok(())) => {}
        Ok(Err(err)) => return Err(damaged(damage_of(&err))),
        Err(_) => return Err(damaged("a file of it is damaged".to_owned())),
    }
    Ok((index, payload))
}

/// What is wrong with a damaged index, in words: the file, not tantivy's error structs.
fn damage_of(err: &tantivy::TantivyError) -> String {
    use tantivy::directory::error::OpenReadError;
    use tantivy::TantivyError;
    match err {
        TantivyError::OpenReadError(OpenReadError::FileDoesNotExist(file)) => {
            format!("its file {} is missing", file.display())
        }
        TantivyError::OpenReadError(OpenReadError::IoError { io_error, filepath }) => {
            format!("its file {} cannot be read: {io_error}", filepath.display())
        }
        TantivyError::DataCorruption(_) => {
            // tantivy gives the file only in its Debug text: `Data corruption (in file `"x"`)`.
            let text = format!("{err:?}");
            let file = text
                .split_once("(in file `\"")
                .and_then(|(_, rest)| rest.split_once("\"`)"))
                .map(|(file, _)| file.to_owned());
            match file {
                Some(file) => format!("its file {file} is damaged"),
                None => "a file of it is damaged".to_owned(),
            }
        }
        TantivyError::IoError(io) => io_damage(io),
        TantivyError::DeserializeError(_) => "a stored record of it does not decode".to_owned(),
        other => {
            let text = other.to_string();
            let line = text.lines().next().unwrap_or_default();
            line.chars().take(200).collect()
        }
    }
}

/// The index a reading command opened (`open_index`), so that a damaged file found later, in
/// the middle of a search, is reported as such with the index's path (`as_damage`).
static OPENED: std::sync::OnceLock<PathBuf> = std::sync::OnceLock::new();

/// The index this process opened to read, if any.
pub fn opened_index() -> Option<&'static Path> {
    OPENED.get().map(PathBuf::as_path)
}

/// `err` as `IndexError::Damaged` when tantivy failed on the bytes of the index this process
/// reads (checksums, stored records, a block that does not decode), else `err` unchanged.
/// tantivy reports such reads as its own errors or as an `io::Error` saying "corruption".
pub fn as_damage(err: anyhow::Error) -> anyhow::Error {
    use tantivy::TantivyError;
    let Some(path) = opened_index() else {
        return err;
    };
    if err
        .chain()
        .any(|cause| cause.downcast_ref::<IndexError>().is_some())
    {
        return err;
    }
    let reason = err.chain().find_map(|cause| {
        if let Some(tantivy) = cause.downcast_ref::<TantivyError>() {
            return match tantivy {
                // The system's error (permissions, too many open files) is not damage: a
                // rebuild would not fix it, and it is shown as it is.
                TantivyError::IoError(io) if io.raw_os_error().is_some() => None,
                TantivyError::DeserializeError(_)
                | TantivyError::IoError(_)
                | TantivyError::DataCorruption(_)
                | TantivyError::OpenReadError(_)
                | TantivyError::InternalError(_) => Some(damage_of(tantivy)),
                _ => None,
            };
        }
        let io = cause.downcast_ref::<std::io::Error>()?;
        io.to_string()
            .to_lowercase()
            .contains("corrupt")
            .then(|| io_damage(io))
    });
    match reason {
        Some(reason) => anyhow::Error::new(IndexError::Damaged {
            path: path.to_path_buf(),
            reason,
        }),
        None => err,
    }
}

/// A failed read of the index in words: the system's error when there is one (permissions),
/// else tantivy found bytes that fail its checks or do not decode, and its own words for that
/// ("Reach end of buffer while reading VInt") mean nothing to a user.
fn io_damage(io: &std::io::Error) -> String {
    if io.raw_os_error().is_some() {
        format!("a file of it cannot be read: {io}")
    } else {
        "a file of it fails its checks".to_owned()
    }
}

/// The archive an index belongs to: the folder holding it when it is a `.newsidx` inside an
/// archive (so a moved or copied archive takes its index along), else the root its last commit
/// recorded. This reads the payload without checking the schema version, so that `build
/// --rebuild` without DIR works on an index of another version or a damaged one too.
pub fn archive_of_index(index: &Path) -> Option<PathBuf> {
    let index = index.canonicalize().ok()?;
    if index.file_name().is_some_and(|name| name == INDEX_DIR_NAME) {
        return index.parent().map(Path::to_path_buf);
    }
    let meta: serde_json::Value =
        serde_json::from_slice(&std::fs::read(index.join("meta.json")).ok()?).ok()?;
    let payload: serde_json::Value = serde_json::from_str(meta.get("payload")?.as_str()?).ok()?;
    payload.get("archive")?.as_str().map(PathBuf::from)
}

/// The directory readers open: `MmapDirectory`, except that an index the user may only read
/// (a shared archive, a read-only mount) can still be searched. tantivy takes a lock file while
/// a reader opens segments, to keep a writer's clean-up from deleting them; where the lock file
/// cannot be written, no writer can delete anything either, so reading goes on without it.
#[derive(Debug, Clone)]
struct ReadDirectory(MmapDirectory);

impl Directory for ReadDirectory {
    fn get_file_handle(&self, path: &Path) -> Result<Arc<dyn FileHandle>, OpenReadError> {
        self.0.get_file_handle(path)
    }
    fn delete(&self, path: &Path) -> Result<(), DeleteError> {
        self.0.delete(path)
    }
    fn exists(&self, path: &Path) -> Result<bool, OpenReadError> {
        self.0.exists(path)
    }
    fn open_write(&self, path: &Path) -> Result<WritePtr, OpenWriteError> {
        self.0.open_write(path)
    }
    fn atomic_read(&self, path: &Path) -> Result<Vec<u8>, OpenReadError> {
        self.0.atomic_read(path)
    }
    fn atomic_write(&self, path: &Path, data: &[u8]) -> std::io::Result<()> {
        self.0.atomic_write(path, data)
    }
    fn sync_directory(&self) -> std::io::Result<()> {
        self.0.sync_directory()
    }
    fn acquire_lock(&self, lock: &Lock) -> Result<DirectoryLock, LockError> {
        match self.0.acquire_lock(lock) {
            Err(LockError::IoError(io))
                if matches!(
                    io.kind(),
                    std::io::ErrorKind::PermissionDenied | std::io::ErrorKind::ReadOnlyFilesystem
                ) =>
            {
                Ok(DirectoryLock::from(Box::new(())))
            }
            other => other,
        }
    }
    fn watch(&self, callback: WatchCallback) -> tantivy::Result<WatchHandle> {
        self.0.watch(callback)
    }
}

/// Total size in bytes of the files in the index folder.
pub fn index_bytes(path: &Path) -> u64 {
    std::fs::read_dir(path)
        .map(|entries| {
            entries
                .flatten()
                .filter_map(|entry| entry.metadata().ok())
                .filter(|metadata| metadata.is_file())
                .map(|metadata| metadata.len())
                .sum()
        })
        .unwrap_or(0)
}
