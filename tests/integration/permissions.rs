//! Filesystem faults that need permissions: unreadable files and folders, a read-only index.
//! Root reads everything, so under root these runs drop to the `nobody` user.

#![cfg(unix)]

use std::os::unix::fs::{chown, MetadataExt, PermissionsExt};
use std::os::unix::process::CommandExt;
use std::path::Path;

use crate::contract::BuildSummary;
use crate::harness::{article, newsidx, Archive, Run};

const NOBODY: u32 = 65534;

fn running_as_root() -> bool {
    std::fs::metadata("/proc/self")
        .map(|m| m.uid() == 0)
        .unwrap_or(false)
}

fn set_mode(path: &Path, mode: u32) {
    std::fs::set_permissions(path, std::fs::Permissions::from_mode(mode)).unwrap();
}

/// Runs newsidx as an unprivileged user (`nobody` when the tests run as root).
fn run_unprivileged(archive: &Archive, args: &[&str]) -> Run {
    let mut command = newsidx(archive.path());
    if running_as_root() {
        command.uid(NOBODY).gid(NOBODY);
    }
    let output = command.args(args).output().expect("running newsidx");
    Run {
        args: args.iter().map(|s| s.to_string()).collect(),
        cwd: archive.path().to_path_buf(),
        output,
    }
}

/// Gives the whole archive to the unprivileged user.
fn hand_over(archive: &Archive) {
    if running_as_root() {
        for entry in walkdir::WalkDir::new(archive.path()) {
            let entry = entry.unwrap();
            chown(entry.path(), Some(NOBODY), Some(NOBODY)).unwrap();
        }
    }
    set_mode(archive.path(), 0o755);
}

#[test]
fn unreadable_files_and_folders_are_reported_and_the_rest_indexed() {
    let archive = Archive::new();
    archive.file(
        "ok.md",
        article(
            "Readable",
            "https://x.example/ok",
            "2021-01-01",
            &[],
            "readable words",
        ),
    );
    archive.file(
        "secret.md",
        article(
            "Secret",
            "https://x.example/s",
            "2021-01-01",
            &[],
            "secret words",
        ),
    );
    archive.file(
        "closed/inner.md",
        article(
            "Inner",
            "https://x.example/i",
            "2021-01-01",
            &[],
            "inner words",
        ),
    );
    hand_over(&archive);
    set_mode(&archive.path().join("secret.md"), 0o000);
    set_mode(&archive.path().join("closed"), 0o000);

    let run = run_unprivileged(&archive, &["build", ".", "--json"]);
    run.status(0);
    let summary: BuildSummary = run.json();
    assert_eq!(summary.indexed, 1, "{run:?}");
    let warned: Vec<(&str, &str)> = summary
        .warnings
        .iter()
        .map(|w| (w.path.as_str(), w.message.as_str()))
        .collect();
    assert!(
        warned
            .iter()
            .any(|(p, m)| *p == "secret.md" && m.contains("Permission denied")),
        "{run:?}"
    );
    assert!(
        warned
            .iter()
            .any(|(p, m)| *p == "closed" && m.contains("Permission denied")),
        "{run:?}"
    );
    run_unprivileged(&archive, &["search", "readable"]).status(0);
    run_unprivileged(&archive, &["search", "secret"]).status(1);

    // Readable again: the next build picks the files up.
    set_mode(&archive.path().join("secret.md"), 0o644);
    set_mode(&archive.path().join("closed"), 0o755);
    let again: BuildSummary = run_unprivileged(&archive, &["build", ".", "--json"]).json();
    assert_eq!(again.indexed, 2);
    assert!(again.warnings.is_empty(), "{:?}", again.warnings);
}

#[test]
fn a_read_only_index_can_be_searched_but_not_built() {
    let archive = Archive::fixtures();
    hand_over(&archive);
    run_unprivileged(&archive, &["build", "."]).status(0);
    let index = archive.path().join(".newsidx");
    for entry in std::fs::read_dir(&index).unwrap() {
        set_mode(&entry.unwrap().path(), 0o444);
    }
    set_mode(&index, 0o555);
    run_unprivileged(&archive, &["search", "arbitration"]).status(0);
    run_unprivileged(&archive, &["stats"]).status(0);
    let build = run_unprivileged(&archive, &["build", "."]);
    build.status(2);
    assert!(build.stderr().contains(".newsidx"), "{build:?}");
    assert_eq!(build.stderr().trim_end().lines().count(), 1, "{build:?}");
    set_mode(&index, 0o755);
}
