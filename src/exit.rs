//! The outcome of a command, and the only place that maps outcomes to exit statuses (as grep:
//! 0 found or done, 1 nothing matched, 2 error).

use std::process::ExitCode;

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
pub fn error_exit_code() -> ExitCode {
    ExitCode::from(2)
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
