//! The process's standard output. This is the one module that touches it: clippy's
//! `disallowed-methods` (clippy.toml) refuses `std::io::stdout` everywhere else, so every byte
//! a command prints goes through the printer.
#![allow(clippy::disallowed_methods)]

use std::io::{self, BufWriter, IsTerminal, StdoutLock};

/// Buffered standard output.
pub type Stdout = BufWriter<StdoutLock<'static>>;

/// Standard output, locked and buffered: the printer's alone.
pub(super) fn stdout() -> Stdout {
    BufWriter::new(io::stdout().lock())
}

/// Whether standard output is a terminal.
pub fn is_terminal() -> bool {
    io::stdout().is_terminal()
}

/// Whether tables are coloured: `forced` (`--color always|never`), else anstream's reading of
/// `NO_COLOR`, `CLICOLOR_FORCE`, `CLICOLOR`, `TERM` and whether stdout is a terminal.
pub fn use_color(forced: Option<bool>) -> bool {
    forced.unwrap_or_else(|| {
        matches!(
            anstream::AutoStream::choice(&io::stdout()),
            anstream::ColorChoice::Always | anstream::ColorChoice::AlwaysAnsi
        )
    })
}

/// The width to fit tables to: `$COLUMNS`, else the terminal's, else none (piped output is
/// never cut).
pub fn output_width() -> Option<usize> {
    if let Some(columns) = std::env::var("COLUMNS")
        .ok()
        .and_then(|c| c.trim().parse().ok())
    {
        return Some(columns);
    }
    if is_terminal() {
        terminal_size::terminal_size().map(|(w, _)| usize::from(w.0))
    } else {
        None
    }
}
