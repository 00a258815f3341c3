//! `newsidx build [DIR]`: index an archive, print what happened.

use std::io::{IsTerminal, Write};
use std::path::PathBuf;
use std::time::Duration;

use anyhow::{bail, Context, Result};
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use serde::Serialize;

use crate::build::{build_archive, BuildOptions, BuildSummary, Progress};
use crate::cli::{BuildArgs, GlobalArgs};
use crate::diag::Diagnostic;
use crate::exit::Outcome;
use crate::index::{archive_of_index, build_index_path, find_index, IndexError};
use crate::output::eprint_line;
use crate::walk::{WalkOptions, DEFAULT_EXTENSIONS};

/// Runs `build`.
pub fn run(args: &BuildArgs, global: &GlobalArgs) -> Result<Outcome> {
    let (archive, index_dir) = locate(args, global)?;
    let extensions = match &args.ext {
        Some(list) => list
            .iter()
            .map(|ext| ext.trim().trim_start_matches('.').to_lowercase())
            .collect(),
        None => DEFAULT_EXTENSIONS.iter().map(|e| e.to_string()).collect(),
    };
    let options = BuildOptions {
        archive,
        index_dir: index_dir.clone(),
        rebuild: args.rebuild,
        jobs: args
            .jobs
            .unwrap_or_else(|| std::thread::available_parallelism().map_or(2, |n| n.get())),
        walk: WalkOptions {
            extensions,
            follow_links: args.follow_links,
            skip_dir: Some(index_dir),
        },
        max_file_size: args.max_file_size,
    };
    let progress = BarProgress::new(!global.quiet && std::io::stderr().is_terminal());
    let summary = build_archive(&options, &progress)?;
    report(&summary, args, global)?;
    let bad_files = !summary.errors.is_empty();
    Ok(if args.strict && bad_files {
        Outcome::NothingMatched
    } else {
        Outcome::Found
    })
}

/// The archive folder and the index folder of this build.
fn locate(args: &BuildArgs, global: &GlobalArgs) -> Result<(PathBuf, PathBuf)> {
    if let Some(dir) = &args.dir {
        if !dir.is_dir() {
            bail!(
                "archive folder {} does not exist or is not a folder",
                dir.display()
            );
        }
        let archive = dir
            .canonicalize()
            .with_context(|| format!("reading archive folder {}", dir.display()))?;
        let index = build_index_path(global.index.as_deref(), &archive);
        return Ok((archive, index));
    }
    let index =
        find_index(global.index.as_deref()).map_err(|err| match err.downcast::<IndexError>() {
            Ok(IndexError::NotFound { searched }) => anyhow::anyhow!(
            "no archive folder given and no index found in {} or above; run `newsidx build DIR`",
            searched.display()
        ),
            Ok(other) => other.into(),
            Err(other) => other,
        })?;
    let archive = archive_of_index(&index).ok_or_else(|| {
        anyhow::anyhow!(
            "cannot tell which archive the index at {} belongs to; run `newsidx build DIR`",
            index.display()
        )
    })?;
    if !archive.is_dir() {
        bail!(
            "the archive of the index at {} ({}) is gone; run `newsidx build DIR` with its new place",
            index.display(),
            archive.display()
        );
    }
    Ok((archive, index))
}

/// The JSON summary of SPEC §4.
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
    message: &'a str,
}

impl<'a> From<&'a Diagnostic> for DiagnosticJson<'a> {
    fn from(d: &'a Diagnostic) -> Self {
        DiagnosticJson {
            path: &d.path,
            line: d.line,
            message: &d.message,
        }
    }
}

fn report(summary: &BuildSummary, args: &BuildArgs, global: &GlobalArgs) -> Result<()> {
    for error in &summary.errors {
        eprint_line(&crate::output::sanitize::sanitize(&error.to_string()));
    }
    if !global.quiet {
        for warning in &summary.warnings {
            eprint_line(&crate::output::sanitize::sanitize(&warning.to_string()));
        }
    }
    let c = &summary.counts;
    if !global.quiet {
        let problems = format!(
            "{} error{}, {} warning{}",
            c.errors,
            plural(c.errors),
            c.warnings,
            plural(c.warnings)
        );
        if summary.up_to_date {
            eprint_line(&format!(
                "newsidx: archive unchanged ({} files), nothing to index; {problems} ({:.2}s)",
                c.seen, c.seconds
            ));
        } else {
            let benign = c.skipped.saturating_sub(c.errors);
            eprint_line(&format!(
                "newsidx: {} files seen: {} records indexed, {} files unchanged, {} records removed, \
                 {} files skipped ({} bad, {benign} empty, binary, too large or unreadable), \
                 {} duplicates, {} other files ignored; {problems} ({:.2}s)",
                c.seen, c.indexed, c.unchanged, c.removed, c.skipped, c.errors, c.duplicates, summary.ignored, c.seconds
            ));
        }
    }
    if global.verbose > 0 && !global.quiet {
        for (phase, seconds) in &summary.phases {
            eprint_line(&format!("newsidx: {phase}: {seconds:.3}s"));
        }
        eprint_line(&format!("newsidx: index {}", summary.index.display()));
    }
    if args.json {
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
        let mut stdout = std::io::stdout().lock();
        serde_json::to_writer(&mut stdout, &json)?;
        stdout.write_all(b"\n")?;
        stdout.flush()?;
    }
    Ok(())
}

fn plural(n: usize) -> &'static str {
    if n == 1 {
        ""
    } else {
        "s"
    }
}

/// A progress bar on stderr, drawn only on a terminal.
struct BarProgress {
    bar: ProgressBar,
}

impl BarProgress {
    fn new(visible: bool) -> Self {
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
