//! Output of `build`: each diagnostic on stderr (`path:line:col: message`), the one-line summary,
//! the phases of `-v`, the JSON summary of `--json` on stdout (SPEC §4 `build`, documented in
//! `docs/json.md`), and the progress bar, drawn on stderr only when it is a terminal.

use std::time::Duration;

use anyhow::Result;
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use serde::Serialize;

use super::eprint_line;
use super::sanitize::sanitize;
use crate::build::{BuildSummary, Progress};
use crate::diag::Diagnostic;

/// What to print about a build.
pub struct ReportOptions {
    /// `-q`: errors only.
    pub quiet: bool,
    /// `-v`: seconds per phase.
    pub verbose: bool,
    /// `--json`: the summary as JSON on stdout.
    pub json: bool,
}

/// The JSON summary.
#[derive(Serialize)]
struct SummaryJson<'a> {
    archive: String,
    index: String,
    seen: usize,
    indexed: usize,
    unchanged: usize,
    removed: usize,
    skipped: usize,
    duplicates: usize,
    errors: Vec<DiagnosticJson<'a>>,
    warnings: Vec<DiagnosticJson<'a>>,
    seconds: f64,
}

#[derive(Serialize)]
struct DiagnosticJson<'a> {
    path: &'a str,
    line: Option<usize>,
    col: Option<usize>,
    message: &'a str,
}

impl super::Row for SummaryJson<'_> {
    fn table_keys(&self) -> &'static [&'static str] {
        &["indexed", "unchanged", "removed", "skipped", "errors"]
    }
}

impl<'a> From<&'a Diagnostic> for DiagnosticJson<'a> {
    fn from(d: &'a Diagnostic) -> Self {
        DiagnosticJson {
            path: &d.path,
            line: d.line,
            col: d.col,
            message: &d.message,
        }
    }
}

/// Prints what a build did.
pub fn print_build_report(summary: &BuildSummary, options: &ReportOptions) -> Result<()> {
    for error in &summary.errors {
        eprint_line(&sanitize(&error.to_string()));
    }
    if !options.quiet {
        for warning in &summary.warnings {
            eprint_line(&sanitize(&warning.to_string()));
        }
        // With --json the summary is the JSON on stdout, not also a line here.
        if !options.json {
            eprint_line(&summary_line(summary));
        }
        if options.verbose {
            for (phase, seconds) in &summary.phases {
                eprint_line(&format!("newsidx: {phase}: {seconds:.3}s"));
            }
            eprint_line(&format!("newsidx: index {}", summary.index.display()));
        }
    }
    if options.json {
        let c = &summary.counts;
        let json = SummaryJson {
            archive: summary.archive.display().to_string(),
            index: summary.index.display().to_string(),
            seen: c.seen,
            indexed: c.indexed,
            unchanged: c.unchanged,
            removed: c.removed,
            skipped: c.skipped,
            duplicates: c.duplicates,
            errors: summary.errors.iter().map(DiagnosticJson::from).collect(),
            warnings: summary.warnings.iter().map(DiagnosticJson::from).collect(),
            seconds: (c.seconds * 1000.0).round() / 1000.0,
        };
        let mut printer = super::Printer::stdout(super::OutputOptions::plain(super::Format::Jsonl));
        printer.row(&json)?;
        printer.finish()?;
    }
    Ok(())
}

/// The one line that says what the build did.
fn summary_line(summary: &BuildSummary) -> String {
    let c = &summary.counts;
    let problems = format!(
        "{} error{}, {} warning{}",
        c.errors,
        plural(c.errors),
        c.warnings,
        plural(c.warnings)
    );
    if summary.up_to_date {
        return format!(
            "newsidx: archive unchanged ({} files), nothing to index; {problems} ({:.2}s)",
            c.seen, c.seconds
        );
    }
    let benign = c.skipped.saturating_sub(c.errors);
    format!(
        "newsidx: {} files seen: {} records indexed, {} files unchanged, {} records removed, \
         {} files skipped ({} bad, {benign} empty, binary, too large or unreadable), \
         {} duplicates, {} other files ignored; {problems} ({:.2}s)",
        c.seen,
        c.indexed,
        c.unchanged,
        c.removed,
        c.skipped,
        c.errors,
        c.duplicates,
        summary.ignored,
        c.seconds
    )
}

fn plural(n: usize) -> &'static str {
    if n == 1 {
        ""
    } else {
        "s"
    }
}

/// A progress bar on stderr, drawn only when `visible` (a terminal, not `-q`).
pub struct BarProgress {
    bar: ProgressBar,
}

impl BarProgress {
    pub fn new(visible: bool) -> Self {
        let bar = if visible {
            let bar = ProgressBar::with_draw_target(Some(0), ProgressDrawTarget::stderr());
            bar.set_style(
                ProgressStyle::with_template(
                    "{spinner} indexing [{bar:30}] {pos}/{len} files {per_sec} eta {eta}",
                )
                .unwrap_or_else(|_| ProgressStyle::default_bar())
                .progress_chars("=> "),
            );
            bar.enable_steady_tick(Duration::from_millis(200));
            bar
        } else {
            ProgressBar::hidden()
        };
        BarProgress { bar }
    }
}

impl Progress for BarProgress {
    fn start(&self, files: u64) {
        self.bar.set_length(files);
    }
    fn advance(&self, files: u64) {
        self.bar.inc(files);
    }
    fn finish(&self) {
        self.bar.finish_and_clear();
    }
}
