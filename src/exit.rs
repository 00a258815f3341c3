//! The outcome of a command, and the only place that maps outcomes to exit statuses (as grep:
//! 0 found or done, 1 nothing matched, 2 error). Errors are printed here, once, as one line with
//! their causes (`{:#}`), never as a backtrace, even with `RUST_BACKTRACE=1`.

use std::panic::{self, AssertUnwindSafe};
use std::process::ExitCode;
use std::sync::Mutex;

use anyhow::Result;

use crate::output::eprint_line;

/// How a command that did not fail ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome {
    /// Results were found, or the work was done.
    Found,
    /// Nothing matched (or `build --strict` skipped bad files).
    NothingMatched,
}

impl Outcome {
    /// `Found` when `found`, else `NothingMatched`.
    pub fn from_found(found: bool) -> Self {
        if found {
            Outcome::Found
        } else {
            Outcome::NothingMatched
        }
    }

    /// The process exit code of this outcome.
    pub fn exit_code(self) -> ExitCode {
        match self {
            Outcome::Found => ExitCode::SUCCESS,
            Outcome::NothingMatched => ExitCode::from(1),
        }
    }
}

/// The exit code of a fatal error.
fn error_exit_code() -> ExitCode {
    ExitCode::from(2)
}

/// The exit status of a run, printing its error: a closed stdout (`newsidx export | head -1`)
/// is not an error, everything else is one line on stderr and status 2.
pub fn exit_status(result: Result<Outcome>) -> ExitCode {
    match result {
        Ok(outcome) => outcome.exit_code(),
        Err(err) if is_broken_pipe(&err) => ExitCode::SUCCESS,
        Err(err) => {
            let err = crate::index::as_damage(err);
            eprint_line(&format!("newsidx: {err:#}"));
            error_exit_code()
        }
    }
}

/// The message and place of a panic, kept by the hook for `run_reporting_panics`.
static PANIC: Mutex<Option<String>> = Mutex::new(None);

/// Runs `run`, turning a panic into an error. tantivy asserts on the bytes of its files, so a
/// damaged index panics deep inside it: that is reported as one line with the fix, not as a
/// backtrace.
pub fn run_reporting_panics(run: impl FnOnce() -> Result<Outcome>) -> Result<Outcome> {
    panic::set_hook(Box::new(|info| {
        let place = info
            .location()
            .map(|l| format!(" at {}:{}", l.file(), l.line()))
            .unwrap_or_default();
        let message = info
            .payload()
            .downcast_ref::<&str>()
            .map(|s| s.to_string())
            .or_else(|| info.payload().downcast_ref::<String>().cloned())
            .unwrap_or_else(|| "unknown panic".to_owned());
        if let Ok(mut slot) = PANIC.lock() {
            slot.get_or_insert(format!("{message}{place}"));
        }
    }));
    panic::catch_unwind(AssertUnwindSafe(run)).unwrap_or_else(|_| {
        let detail = PANIC
            .lock()
            .ok()
            .and_then(|mut slot| slot.take())
            .unwrap_or_default();
        // A panic in a dependency from the registry (tantivy, or a crate it reads bytes
        // with, asserting on what it read) while an index is open is that index's damage; one
        // in newsidx's own code or in std is a bug, reported with its place.
        match crate::index::opened_index() {
            Some(path) if detail.contains("/registry/src/") => {
                Err(anyhow::Error::new(crate::index::IndexError::Damaged {
                    path: path.to_path_buf(),
                    reason: "a file of it does not decode".to_owned(),
                }))
            }
            _ => Err(anyhow::anyhow!(
                "internal error ({detail}); if the index is damaged, `newsidx build --rebuild` makes it anew"
            )),
        }
    })
}

/// Runs `run`, turning a panic into `Err` with its message: for reads of index files that
/// tantivy asserts on, where a damaged file is an answer (the index is damaged), not a crash.
pub fn catch_panic<T>(run: impl FnOnce() -> T) -> Result<T, String> {
    panic::catch_unwind(AssertUnwindSafe(run)).map_err(|_| {
        // Taken, so that a later panic reports its own message.
        PANIC
            .lock()
            .ok()
            .and_then(|mut slot| slot.take())
            .unwrap_or_default()
    })
}

/// True when `err` was caused by a closed stdout (`newsidx export | head -1`), which ends
/// quietly with status 0, as ripgrep does.
pub fn is_broken_pipe(err: &anyhow::Error) -> bool {
    use std::io::ErrorKind::BrokenPipe;
    err.chain().any(|cause| {
        cause
            .downcast_ref::<std::io::Error>()
            .is_some_and(|io| io.kind() == BrokenPipe)
            || cause
                .downcast_ref::<serde_json::Error>()
                .is_some_and(|json| json.io_error_kind() == Some(BrokenPipe))
    })
}
