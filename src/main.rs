//! The `newsidx` binary: parse the command line, run it, map the outcome to an exit status.
//! Errors are printed here, once, as one line with their causes, never as a backtrace.

use std::panic::{self, AssertUnwindSafe};
use std::process::ExitCode;
use std::sync::Mutex;

use clap::Parser;
use newsidx::cli::Cli;
use newsidx::exit::{error_exit_code, is_broken_pipe};
use newsidx::output::eprint_line;

/// The message and place of a panic, kept by the hook for `main` to report in one line.
static PANIC: Mutex<Option<String>> = Mutex::new(None);

fn main() -> ExitCode {
    let cli = Cli::parse();
    // tantivy asserts on the bytes of its files: a damaged index panics deep inside it. Report
    // that as one line with the fix, not as a backtrace.
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
    match panic::catch_unwind(AssertUnwindSafe(|| newsidx::run(&cli))) {
        Ok(Ok(outcome)) => outcome.exit_code(),
        // `newsidx export | head -1`: the reader left; that is not an error.
        Ok(Err(err)) if is_broken_pipe(&err) => ExitCode::SUCCESS,
        Ok(Err(err)) => {
            eprint_line(&format!("newsidx: {err:#}"));
            error_exit_code()
        }
        Err(_) => {
            let detail = PANIC
                .lock()
                .ok()
                .and_then(|mut slot| slot.take())
                .unwrap_or_default();
            eprint_line(&format!(
                "newsidx: internal error ({detail}); if the index is damaged, `newsidx build --rebuild` makes it anew"
            ));
            error_exit_code()
        }
    }
}

#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;
