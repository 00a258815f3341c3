//! Exit statuses and messages for user mistakes: always one clear line, never a panic.

use std::io::{BufRead, BufReader};
use std::process::Stdio;

use crate::harness::{article, newsidx, run_in, Archive};

fn built() -> Archive {
    let archive = Archive::fixtures();
    archive.run(&["build", "."]).status(0);
    archive
}

#[test]
fn no_index_says_how_to_build_one() {
    let empty = Archive::new();
    for args in [
        &["search", "x"][..],
        &["stats"],
        &["show", "abc"],
        &["facets", "topic"],
        &["timeline"],
        &["export"],
    ] {
        let run = empty.run(args);
        run.status(2);
        assert!(run.stderr().contains("newsidx build"), "{run:?}");
        assert_eq!(run.stderr().lines().count(), 1, "{run:?}");
    }
    let missing = empty.run(&["--index", "/nonexistent/idx", "stats"]);
    missing.status(2);
    assert!(missing.stderr().contains("/nonexistent/idx"));
    let no_dir = empty.run(&["build", "no-such-folder"]);
    no_dir.status(2);
    assert!(no_dir.stderr().contains("no-such-folder"));
    empty.run(&["build"]).status(2);
}

#[test]
fn index_location_flag_env_and_discovery() {
    let archive = Archive::new();
    archive.file(
        "deep/er/a.md",
        article("A", "https://x.example/a", "2021-01-01", &[], "alpha"),
    );
    let elsewhere = tempfile::tempdir().unwrap();
    let index = elsewhere.path().join("idx");
    let index_arg = index.to_str().unwrap();
    archive.run(&["build", ".", "--index", index_arg]).status(0);
    assert!(!archive.path().join(".newsidx").exists());
    archive.run(&["search", "alpha"]).status(2);
    archive
        .run(&["search", "alpha", "--index", index_arg])
        .status(0);
    let with_env = newsidx(archive.path())
        .env("NEWSIDX_INDEX", &index)
        .args(["search", "alpha"])
        .output()
        .unwrap();
    assert_eq!(with_env.status.code(), Some(0));

    archive.run(&["build", "."]).status(0);
    run_in(&archive.path().join("deep/er"), &["search", "alpha"]).status(0);
}

#[test]
fn bad_queries_dates_and_numbers_exit_2_with_one_line() {
    let archive = built();
    for (args, needle) in [
        (&["search", "title:("][..], "cannot read the query"),
        (&["search", "x", "--since", "2021-13-45"][..], "--since"),
        (&["search", "x", "--until", "tomorrow"][..], "--until"),
        (&["facets", "topic", "--date", "20x1"][..], "--date"),
        (&["search", "nosuchfield:x"][..], "nosuchfield"),
    ] {
        let run = archive.run(args);
        run.status(2);
        let stderr = run.stderr();
        assert!(stderr.contains(needle), "{run:?}");
        assert_eq!(stderr.trim_end().lines().count(), 1, "{run:?}");
    }
    for args in [
        &["search", "--min-quality", "lots"][..],
        &["search", "--limit", "-1"],
        &["facets", "colour"],
        &["timeline", "--by", "hour"],
    ] {
        archive.run(args).status(2);
    }
}

#[test]
fn schema_version_mismatch_asks_for_rebuild() {
    let archive = built();
    let meta_path = archive.path().join(".newsidx/meta.json");
    let meta = std::fs::read_to_string(&meta_path).unwrap();
    std::fs::write(
        &meta_path,
        meta.replace("\\\"schema_version\\\":1", "\\\"schema_version\\\":999"),
    )
    .unwrap();
    let run = archive.run(&["stats"]);
    run.status(2);
    assert!(run.stderr().contains("build --rebuild"), "{run:?}");
    archive.run(&["build", "."]).status(2);
    archive.run(&["build", ".", "--rebuild"]).status(0);
    archive.run(&["stats"]).status(0);
}

#[test]
fn damaged_index_suggests_rebuild() {
    let archive = built();
    std::fs::write(archive.path().join(".newsidx/meta.json"), "{ not json").unwrap();
    let run = archive.run(&["search", "x"]);
    run.status(2);
    assert!(run.stderr().contains("build --rebuild"), "{run:?}");
    archive.run(&["build", ".", "--rebuild"]).status(0);
    archive.run(&["search", "arbitration"]).status(0);
}

#[test]
fn closing_stdout_early_is_quiet() {
    let archive = built();
    let mut child = newsidx(archive.path())
        .args(["export"])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut line = String::new();
    BufReader::new(child.stdout.take().unwrap())
        .read_line(&mut line)
        .unwrap();
    // The reader is dropped here, like `| head -1`.
    let output = child.wait_with_output().unwrap();
    assert!(line.starts_with('{'));
    assert_eq!(output.status.code(), Some(0));
    assert!(
        output.stderr.is_empty(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
}
