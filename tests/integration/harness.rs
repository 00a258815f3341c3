//! Test harness: archives in temp folders and the real `newsidx` binary run on them.

use std::fmt;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use serde::de::DeserializeOwned;

/// An archive in a temporary folder.
pub struct Archive {
    dir: tempfile::TempDir,
}

impl Archive {
    /// An empty archive.
    pub fn new() -> Self {
        Archive {
            dir: tempfile::tempdir().expect("creating a temp dir"),
        }
    }

    /// A copy of `fixtures/archive`.
    pub fn fixtures() -> Self {
        let archive = Archive::new();
        copy_tree(&fixture_root(), archive.path());
        archive
    }

    /// A copy of another fixture tree, `fixtures/NAME`.
    pub fn fixture_tree(name: &str) -> Self {
        let archive = Archive::new();
        copy_tree(&fixture_root().with_file_name(name), archive.path());
        archive
    }

    pub fn path(&self) -> &Path {
        self.dir.path()
    }

    /// Writes `text` to `rel`, creating folders.
    pub fn file(&self, rel: &str, text: impl AsRef<[u8]>) -> &Self {
        let path = self.path().join(rel);
        fs::create_dir_all(path.parent().expect("a file has a parent")).expect("creating folders");
        fs::write(&path, text).expect("writing a file");
        self
    }

    /// Removes `rel`.
    pub fn remove(&self, rel: &str) {
        fs::remove_file(self.path().join(rel)).expect("removing a file");
    }

    /// Rewrites the schema version that the built index's payload records, as an index
    /// built by another newsidx would hold it.
    pub fn set_schema_version(&self, version: &str) {
        let meta_path = self.path().join(".newsidx/meta.json");
        let meta = std::fs::read_to_string(&meta_path).expect("reading meta.json");
        let marker = "\\\"schema_version\\\":";
        let at = meta
            .find(marker)
            .expect("the payload names its schema version")
            + marker.len();
        let digits = meta[at..].bytes().take_while(u8::is_ascii_digit).count();
        let changed = format!("{}{version}{}", &meta[..at], &meta[at + digits..]);
        std::fs::write(&meta_path, changed).expect("writing meta.json");
    }

    /// `newsidx ARGS` run in the archive folder.
    pub fn run(&self, args: &[&str]) -> Run {
        run_in(self.path(), args)
    }
}

/// The fixture archive in the repository.
pub fn fixture_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/archive")
}

fn copy_tree(from: &Path, to: &Path) {
    for entry in fs::read_dir(from).expect("reading fixtures") {
        let entry = entry.expect("a fixture entry");
        let target = to.join(entry.file_name());
        if entry.file_name() == ".newsidx" {
            continue;
        }
        if entry.file_type().expect("a file type").is_dir() {
            fs::create_dir_all(&target).expect("creating a folder");
            copy_tree(&entry.path(), &target);
        } else {
            fs::copy(entry.path(), &target).expect("copying a fixture");
        }
    }
}

/// The command for the binary, with a clean environment.
pub fn newsidx(cwd: &Path) -> Command {
    let mut command = Command::new(env!("CARGO_BIN_EXE_newsidx"));
    command
        .current_dir(cwd)
        .env_remove("NEWSIDX_INDEX")
        .env_remove("NO_COLOR")
        .env_remove("CLICOLOR_FORCE")
        .env("COLUMNS", "100")
        .env("RUST_BACKTRACE", "1");
    command
}

/// Runs `newsidx ARGS` in `cwd`.
pub fn run_in(cwd: &Path, args: &[&str]) -> Run {
    let output = newsidx(cwd).args(args).output().expect("running newsidx");
    Run {
        args: args.iter().map(|s| s.to_string()).collect(),
        cwd: cwd.to_path_buf(),
        output,
    }
}

/// A finished run.
pub struct Run {
    pub args: Vec<String>,
    pub cwd: PathBuf,
    pub output: Output,
}

impl fmt::Debug for Run {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "\n$ newsidx {}\n(cwd {})\nstatus: {:?}\n--- stdout ---\n{}\n--- stderr ---\n{}\n",
            self.args.join(" "),
            self.cwd.display(),
            self.output.status.code(),
            self.stdout(),
            self.stderr()
        )
    }
}

impl Run {
    pub fn code(&self) -> i32 {
        self.output.status.code().unwrap_or(-1)
    }

    pub fn stdout(&self) -> String {
        String::from_utf8_lossy(&self.output.stdout).into_owned()
    }

    pub fn stderr(&self) -> String {
        String::from_utf8_lossy(&self.output.stderr).into_owned()
    }

    /// Asserts the exit status, printing the whole run when it differs.
    #[track_caller]
    pub fn status(&self, code: i32) -> &Self {
        assert_eq!(self.code(), code, "{self:?}");
        self.no_panic()
    }

    /// Asserts nothing panicked or printed a backtrace.
    #[track_caller]
    pub fn no_panic(&self) -> &Self {
        let stderr = self.stderr();
        assert!(
            !stderr.contains("panicked")
                && !stderr.contains("stack backtrace")
                && !stderr.contains("RUST_BACKTRACE"),
            "{self:?}"
        );
        self
    }

    /// Decodes every stdout line as `T`.
    #[track_caller]
    pub fn jsonl<T: DeserializeOwned>(&self) -> Vec<T> {
        self.stdout()
            .lines()
            .map(|line| match serde_json::from_str(line) {
                Ok(value) => value,
                Err(err) => panic!("line {line:?} does not decode: {err}{self:?}"),
            })
            .collect()
    }

    /// Decodes stdout as one `T`.
    #[track_caller]
    pub fn json<T: DeserializeOwned>(&self) -> T {
        match serde_json::from_str(&self.stdout()) {
            Ok(value) => value,
            Err(err) => panic!("stdout does not decode: {err}{self:?}"),
        }
    }
}

/// A front-matter article in the seeds' shape.
pub fn article(title: &str, url: &str, date: &str, topics: &[&str], body: &str) -> String {
    let topics: String = topics.iter().map(|t| format!("  - {t}\n")).collect();
    format!(
        "---\ncategory: news\ntitle: \"{title}\"\nexcerpt: \"About {title}.\"\npublishedDateTime: {date}\n\
         webUrl: \"{url}\"\ntype: article\nquality: 30\nheat: 10\nprovider:\n  name: Test Wire\n  domain: testwire.example\n\
         topics:\n{topics}---\n{body}\n"
    )
}
