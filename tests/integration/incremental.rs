//! Incremental builds: unchanged files are not read again, changed files are re-indexed,
//! deleted files are removed, duplicates are re-decided, and the result always equals a
//! clean `--rebuild`.

use std::time::{Duration, SystemTime};

use crate::contract::{BuildSummary, Record};
use crate::harness::{article, Archive};

fn build(archive: &Archive, extra: &[&str]) -> BuildSummary {
    let mut args = vec!["build", ".", "--json"];
    args.extend(extra);
    let run = archive.run(&args);
    run.status(0);
    run.json()
}

/// Every record, sorted by path, as JSON text (the whole observable state of the index).
fn snapshot(archive: &Archive) -> Vec<String> {
    let mut lines: Vec<String> = archive
        .run(&["export"])
        .stdout()
        .lines()
        .map(str::to_owned)
        .collect();
    lines.sort();
    lines
}

fn assert_same_as_rebuild(archive: &Archive) {
    let incremental = snapshot(archive);
    let facets = archive
        .run(&["facets", "topic", "--json", "--limit", "0"])
        .stdout();
    build(archive, &["--rebuild"]);
    assert_eq!(
        incremental,
        snapshot(archive),
        "incremental state differs from a rebuild"
    );
    assert_eq!(
        facets,
        archive
            .run(&["facets", "topic", "--json", "--limit", "0"])
            .stdout()
    );
}

#[test]
fn unchanged_archive_does_no_work() {
    let archive = Archive::fixtures();
    build(&archive, &[]);
    let run = archive.run(&["build", ".", "--json"]);
    run.status(0);
    // With --json the summary is on stdout only.
    assert!(!run.stderr().contains("files seen"), "{run:?}");
    let second: BuildSummary = run.json();
    assert_eq!(
        (second.indexed, second.unchanged, second.removed),
        (0, 40, 0)
    );
    assert_eq!(
        (second.skipped, second.duplicates, second.errors.len()),
        (7, 1, 5),
        "problems are replayed"
    );
}

#[test]
fn changed_added_and_deleted_files() {
    let archive = Archive::new();
    for i in 0..5 {
        archive.file(
            &format!("a{i}.md"),
            article(
                &format!("Story {i}"),
                &format!("https://x.example/{i}"),
                "2021-01-01",
                &["T"],
                &format!("original{i} text"),
            ),
        );
    }
    assert_eq!(build(&archive, &[]).indexed, 5);

    archive.file(
        "a1.md",
        article(
            "Story 1",
            "https://x.example/1",
            "2021-01-01",
            &["T"],
            "rewritten text",
        ),
    );
    archive.file(
        "new.md",
        article(
            "New",
            "https://x.example/new",
            "2022-01-01",
            &["T"],
            "freshly added",
        ),
    );
    archive.remove("a3.md");
    let summary = build(&archive, &[]);
    assert_eq!(
        (summary.indexed, summary.removed, summary.unchanged),
        (2, 1, 3)
    );
    archive.run(&["search", "original1"]).status(1);
    archive.run(&["search", "rewritten"]).status(0);
    archive.run(&["search", "freshly"]).status(0);
    archive.run(&["show", "a3.md"]).status(1);
    archive.run(&["search", "original3"]).status(1);
    assert_eq!(archive.run(&["export"]).jsonl::<Record>().len(), 5);
    assert_same_as_rebuild(&archive);
}

#[test]
fn touched_but_identical_files_are_not_reindexed() {
    let archive = Archive::new();
    archive.file(
        "a.md",
        article("A", "https://x.example/a", "2021-01-01", &[], "alpha"),
    );
    build(&archive, &[]);
    let file = std::fs::File::options()
        .write(true)
        .open(archive.path().join("a.md"))
        .unwrap();
    file.set_modified(SystemTime::now() + Duration::from_secs(60))
        .unwrap();
    let summary = build(&archive, &[]);
    assert_eq!(summary.indexed, 0);
    let again = archive.run(&["build", "."]);
    assert!(again.stderr().contains("nothing to index"), "{again:?}");
}

#[test]
fn duplicates_are_redecided_when_the_winner_goes() {
    let archive = Archive::new();
    archive.file(
        "b.md",
        article(
            "B copy",
            "https://x.example/same?utm_source=a",
            "2021-01-01",
            &[],
            "second copy",
        ),
    );
    archive.file(
        "c.md",
        article(
            "C copy",
            "https://X.example/same#frag",
            "2021-01-01",
            &[],
            "third copy",
        ),
    );
    let first = build(&archive, &[]);
    assert_eq!((first.indexed, first.duplicates), (1, 1));
    let show = |key: &str| -> Record { archive.run(&["show", key, "--json"]).json() };
    assert_eq!(show("https://x.example/same").path, "b.md");

    // A copy whose path sorts first takes over.
    archive.file(
        "a.md",
        article(
            "A copy",
            "https://x.example/same",
            "2021-01-01",
            &[],
            "first copy",
        ),
    );
    let summary = build(&archive, &[]);
    assert_eq!(summary.duplicates, 2);
    assert_eq!(show("https://x.example/same").path, "a.md");
    archive.run(&["search", "second"]).status(1);

    // The winner goes: the next claimant, unchanged on disk, is promoted.
    archive.remove("a.md");
    build(&archive, &[]);
    assert_eq!(show("https://x.example/same").path, "b.md");
    archive.remove("b.md");
    let summary = build(&archive, &[]);
    assert_eq!(summary.duplicates, 0);
    assert_eq!(show("https://x.example/same").path, "c.md");
    assert_same_as_rebuild(&archive);

    // The URL changes: the old id goes, the new one comes.
    archive.file(
        "c.md",
        article(
            "C moved",
            "https://x.example/other",
            "2021-01-01",
            &[],
            "third copy",
        ),
    );
    let summary = build(&archive, &[]);
    assert_eq!((summary.indexed, summary.removed), (1, 1));
    archive.run(&["show", "https://x.example/same"]).status(1);
    assert_same_as_rebuild(&archive);
}

#[test]
fn pairs_follow_their_files() {
    let archive = Archive::new();
    archive.file("p.md", "---\ntitle: Paired later\n---\n");
    build(&archive, &[]);
    archive.file("p.txt", " date 2019-09-09 words from the body file");
    build(&archive, &[]);
    let record: Record = archive.run(&["show", "p.md", "--json"]).json();
    assert_eq!(record.body_path.as_deref(), Some("p.txt"));
    assert_eq!(record.date.as_deref(), Some("2019-09-09T00:00:00Z"));
    archive.remove("p.md");
    build(&archive, &[]);
    let body: Record = archive.run(&["show", "p.txt", "--json"]).json();
    assert_eq!(body.kind, "body");
    assert_same_as_rebuild(&archive);
}

#[test]
fn fixture_edits_match_a_rebuild() {
    let archive = Archive::fixtures();
    build(&archive, &[]);
    archive.remove("dup/copy-a.md");
    archive.remove("2021/06/rail-strike-talks.body.txt");
    archive.file(
        "broken/colon-in-title.md",
        "---\ntitle: \"Breaking: fixed now\"\n---\nspillway\n",
    );
    archive.file("misc/empty.md", "now with words");
    let summary = build(&archive, &[]);
    assert_eq!(summary.duplicates, 0);
    assert_eq!(summary.errors.len(), 4);
    archive.run(&["search", "spillway"]).status(0);
    archive.run(&["search", "syndicated"]).status(0);
    archive.run(&["search", "arbitration"]).status(1);
    assert_same_as_rebuild(&archive);
}

#[test]
fn build_without_dir_rebuilds_the_found_index() {
    let archive = Archive::new();
    archive.file(
        "sub/a.md",
        article("A", "https://x.example/a", "2021-01-01", &[], "alpha"),
    );
    build(&archive, &[]);
    archive.file(
        "sub/b.md",
        article("B", "https://x.example/b", "2021-01-01", &[], "bravo"),
    );
    let run = crate::harness::run_in(&archive.path().join("sub"), &["build", "--json"]);
    run.status(0);
    let summary: BuildSummary = run.json();
    assert_eq!(summary.indexed, 1);
    archive.run(&["search", "bravo"]).status(0);
}

#[test]
fn a_first_build_killed_after_a_checkpoint_resumes_where_it_stopped() {
    let archive = Archive::new();
    for n in 0..60 {
        archive.file(
            &format!("{:02}/story-{n}.md", n / 10),
            article(
                &format!("Checkpointed story {n}"),
                &format!("https://wire.example/{n}"),
                "2024-03-01T08:00:00Z",
                &["Checkpoints"],
                &format!("Body of story {n}, about harbour cranes."),
            ),
        );
    }
    // Two copies of one story across the checkpoint: the second stays a duplicate.
    archive.file(
        "05/story-55-copy.md",
        article(
            "Checkpointed story 5",
            "https://wire.example/5",
            "2024-03-01T08:00:00Z",
            &["Checkpoints"],
            "A copy under the same URL.",
        ),
    );
    let killed = crate::harness::newsidx(archive.path())
        .args(["build", ".", "-q"])
        .env("NEWSIDX_CHECKPOINT_FILES", "20")
        .env("NEWSIDX_HALT_AFTER_CHECKPOINT", "1")
        .output()
        .expect("running newsidx");
    assert_eq!(killed.status.code(), Some(137), "the build did not stop");
    let stats: serde_json::Value = archive.run(&["stats", "--json"]).json();
    let committed = stats["records"].as_u64().expect("records");
    assert!(
        (15..=20).contains(&committed),
        "{committed} records committed"
    );

    let resumed = build(&archive, &[]);
    assert!(resumed.unchanged >= 20, "{resumed:?}");
    assert_eq!(resumed.indexed + committed, 60, "{resumed:?}");
    assert_eq!(resumed.duplicates, 1, "{resumed:?}");
    let hits: Vec<crate::contract::Hit> = archive
        .run(&["search", "harbour", "--format", "jsonl"])
        .jsonl();
    assert_eq!(hits.len(), 60);
    assert_same_as_rebuild(&archive);

    // A whole build through three checkpoints keeps every file in its last manifest: the next
    // build has nothing to do, and the index is the same.
    let before = snapshot(&archive);
    let checkpointed = crate::harness::newsidx(archive.path())
        .args(["build", ".", "--rebuild", "-q"])
        .env("NEWSIDX_CHECKPOINT_FILES", "20")
        .output()
        .expect("running newsidx");
    assert_eq!(checkpointed.status.code(), Some(0));
    let again = build(&archive, &[]);
    assert_eq!((again.unchanged, again.indexed), (61, 0), "{again:?}");
    assert_eq!(snapshot(&archive), before);
}
