//! `newsidx build [DIR]`: index an archive, print what happened.

use std::io::IsTerminal;
use std::path::PathBuf;

use anyhow::{bail, Context, Result};

use crate::build::{build_archive, BuildOptions};
use crate::cli::{BuildArgs, GlobalArgs};
use crate::exit::Outcome;
use crate::index::{archive_of_index, build_index_path, find_index, IndexError};
use crate::output::build_report::{print_build_report, BarProgress, ReportOptions};
use crate::walk::{WalkOptions, DEFAULT_EXTENSIONS};

/// Most parsing threads a build starts, whatever `--jobs` asks.
const MAX_JOBS: usize = 256;

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
        // More parsing threads than this only waits on the indexing threads (and
        // `--jobs 100000` failed to start them all).
        jobs: args
            .jobs
            .unwrap_or_else(|| std::thread::available_parallelism().map_or(2, |n| n.get()))
            .clamp(1, MAX_JOBS),
        walk: WalkOptions {
            extensions,
            follow_links: args.follow_links,
            skip_dir: Some(index_dir),
        },
        max_file_size: args.max_file_size,
    };
    let progress = BarProgress::new(!global.quiet && std::io::stderr().is_terminal());
    let summary = build_archive(&options, &progress)?;
    let report = ReportOptions {
        quiet: global.quiet,
        verbose: global.verbose > 0,
        json: args.json,
    };
    print_build_report(&summary, &report)?;
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
