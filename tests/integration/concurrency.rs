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
    assert_eq!(first.code(), Some(0));
    if second.code() == 2 {
        assert!(
            second.stderr().contains("another build is running"),
            "{second:?}"
        );
    } else {
        second.status(0);
    }
    let stats: Stats = archive.run(&["stats", "--json"]).json();
    assert_eq!(stats.records, 1500);
}

#[test]
fn killed_builds_leave_the_last_commit_and_the_next_build_completes() {
    let archive = generated(2000, "first");
    archive.run(&["build", "."]).status(0);
    let reference = archive
        .run(&["search", "first", "--json", "--limit", "0"])
        .stdout()
        .lines()
        .count();
    assert_eq!(reference, 2000);
    for (round, delay_ms) in [5u64, 40, 120, 250, 400, 700].into_iter().enumerate() {
        // Change a slice of the archive, then kill the build that indexes it.
        for i in (round * 300)..(round * 300 + 300) {
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
        let mut child = newsidx(archive.path())
            .args(["build", "."])
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        std::thread::sleep(Duration::from_millis(delay_ms));
        let _ = child.kill();
        let _ = child.wait();
        let stats = archive.run(&["stats", "--json"]);
        stats.status(0);
        assert_eq!(stats.json::<Stats>().records, 2000, "round {round}");
        archive.run(&["search", "body"]).status(0);
    }
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
    archive.run(&["build", ".", "--rebuild"]).status(0);
    let mut rebuilt: Vec<String> = archive
        .run(&["export"])
        .stdout()
        .lines()
        .map(str::to_owned)
        .collect();
    after.sort();
    rebuilt.sort();
    assert_eq!(after.len(), 2000);
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
    assert_eq!(
        archive
            .run(&["search", "second", "--json", "--limit", "0"])
            .stdout()
            .lines()
            .count(),
        1800
    );
}
