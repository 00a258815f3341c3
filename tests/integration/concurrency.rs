//! Concurrent and killed builds: a second build fails at once, readers see the last commit,
//! and a build killed at any moment leaves the index readable and the next build complete.

use std::process::Stdio;
use std::time::{Duration, Instant};

use crate::contract::{BuildSummary, Stats};
use crate::harness::{article, newsidx, Archive};

fn generated(count: usize, tag: &str) -> Archive {
    let archive = Archive::new();
    for i in 0..count {
        archive.file(
            &format!("d{:02}/a{i:05}.md", i / 500),
            article(
                &format!("Story {i} {tag}"),
                &format!("https://gen.example/{i}"),
                &format!("2021-{:02}-{:02}", 1 + i % 12, 1 + i % 28),
                &[&format!("topic{}", i % 7)],
                &format!(
                    "{tag} body {i} {}",
                    "lorem ipsum dolor sit amet ".repeat(40)
                ),
            ),
        );
    }
    archive
}

#[test]
fn a_second_build_fails_at_once_while_one_holds_the_lock() {
    let archive = Archive::fixtures();
    archive.run(&["build", "."]).status(0);
    let lock = std::fs::File::options()
        .write(true)
        .open(archive.path().join(".newsidx/build.lock"))
        .unwrap();
    lock.try_lock().unwrap();
    let started = Instant::now();
    let second = archive.run(&["build", "."]);
    second.status(2);
    assert!(started.elapsed() < Duration::from_secs(5));
    assert!(
        second.stderr().contains("another build is running"),
        "{second:?}"
    );
    // Readers never wait for the writer.
    archive.run(&["search", "arbitration"]).status(0);
    drop(lock);
    archive.run(&["build", "."]).status(0);
}

#[test]
fn concurrent_builds_one_wins_one_says_busy() {
    let archive = generated(1500, "busy");
    let mut first = newsidx(archive.path())
        .args(["build", "."])
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    std::thread::sleep(Duration::from_millis(150));
    let second = archive.run(&["build", "."]);
    let first = first.wait().unwrap();
    // On a loaded machine the second build may take the lock before the first does: either may
    // be the one told to wait, but never both, and whichever ran built everything.
    if second.code() == 2 {
        assert!(
            second.stderr().contains("another build is running"),
            "{second:?}"
        );
        assert_eq!(first.code(), Some(0));
    } else {
        second.status(0);
        assert!(
            matches!(first.code(), Some(0 | 2)),
            "first build: {first:?}"
        );
    }
    let stats: Stats = archive.run(&["stats", "--json"]).json();
    assert_eq!(stats.records, 1500);
}

#[test]
fn killed_builds_leave_the_last_commit_and_the_next_build_completes() {
    let archive = generated(2000, "first");
    let started = Instant::now();
    archive.run(&["build", "."]).status(0);
    // Kills are drawn over the time an update takes on this machine, loaded or not (an update
    // re-reads a fifth of the files), so that most land mid-build on a fast machine too.
    let window_ms = (started.elapsed().as_millis() as u64 * 2 / 5).clamp(20, 250);
    let mut committed = 2000u64;
    // Twenty kills at moments spread over a build (a fixed pseudo-random sequence, so a failure
    // can be replayed), each after changing, adding and deleting some files.
    let mut state = 0x2545_f491_4f6c_dd1du64;
    let mut next = move || {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        state
    };
    let mut on_disk = 2000u64;
    let mut killed_mid_build = 0;
    for round in 0..20u64 {
        for _ in 0..400 {
            let i = next() % 2000;
            archive.file(
                &format!("d{:02}/a{i:05}.md", i / 500),
                article(
                    &format!("Story {i} second"),
                    &format!("https://gen.example/{i}"),
                    "2022-02-02",
                    &["changed"],
                    "second body",
                ),
            );
        }
        let added = format!("extra/r{round:02}.md");
        archive.file(
            &added,
            article(
                &format!("Extra {round}"),
                &format!("https://gen.example/extra/{round}"),
                "2023-03-03",
                &["extra"],
                "extra body",
            ),
        );
        on_disk += 1;
        if round % 4 == 3 {
            archive.remove(&format!("extra/r{:02}.md", round - 1));
            on_disk -= 1;
        }
        let delay = Duration::from_millis(next() % window_ms);
        let mut child = newsidx(archive.path())
            .args(["build", "."])
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        std::thread::sleep(delay);
        let _ = child.kill();
        let finished = child.wait().unwrap().success();
        killed_mid_build += usize::from(!finished);
        let stats = archive.run(&["stats", "--json"]);
        stats.status(0);
        let records = stats.json::<Stats>().records;
        // Either the build finished (the new state) or it left the last commit intact.
        assert!(
            records == committed || records == on_disk,
            "round {round} after {delay:?}: {records} records, expected {committed} or {on_disk}"
        );
        if finished || records == on_disk {
            committed = records;
        }
        archive.run(&["search", "body"]).status(0);
    }
    assert!(
        killed_mid_build >= 10,
        "only {killed_mid_build} of 20 builds were killed before they ended"
    );
    let summary: BuildSummary = archive.run(&["build", ".", "--json"]).json();
    assert_eq!(summary.errors.len(), 0);
    let mut after: Vec<String> = archive
        .run(&["export"])
        .stdout()
        .lines()
        .map(str::to_owned)
        .collect();
    let facets = archive
        .run(&["facets", "topic", "--json", "--limit", "0"])
        .stdout();
    let search = archive
        .run(&[
            "search", "second", "--json", "--limit", "0", "--fields", "id",
        ])
        .stdout();
    archive.run(&["build", ".", "--rebuild"]).status(0);
    let mut rebuilt: Vec<String> = archive
        .run(&["export"])
        .stdout()
        .lines()
        .map(str::to_owned)
        .collect();
    after.sort();
    rebuilt.sort();
    assert_eq!(after.len() as u64, on_disk);
    assert!(
        after == rebuilt,
        "the build after kills differs from a clean rebuild"
    );
    assert_eq!(
        facets,
        archive
            .run(&["facets", "topic", "--json", "--limit", "0"])
            .stdout()
    );
    let mut search_lines: Vec<&str> = search.lines().collect();
    let rebuilt_search = archive
        .run(&[
            "search", "second", "--json", "--limit", "0", "--fields", "id",
        ])
        .stdout();
    let mut rebuilt_lines: Vec<&str> = rebuilt_search.lines().collect();
    search_lines.sort();
    rebuilt_lines.sort();
    assert_eq!(search_lines, rebuilt_lines);
}
