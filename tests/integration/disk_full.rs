//! A disk that fills during a build (issue 15): the build exits 2 with a message that says so,
//! the previous index is left exactly as it was and still answers, what the failed build wrote
//! is removed, and once there is room the next build completes. The index folder is a small
//! tmpfs, mounted in a user and mount namespace of its own (`unshare`), so the test needs no
//! root and leaves no mount behind.

use std::fs;
use std::process::Command;

use crate::harness::{article, Archive};

/// Text that compresses little: words drawn from a large made-up vocabulary.
fn noisy_body(seed: u64, words: usize) -> String {
    let mut state = seed
        .wrapping_mul(6364136223846793005)
        .wrapping_add(1442695040888963407);
    let mut body = String::new();
    for _ in 0..words {
        state = state
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        let word = (state >> 33) % 200_000;
        body.push_str(&format!("w{word:x} "));
    }
    body
}

fn write_articles(archive: &Archive, folder: &str, range: std::ops::Range<u64>, words: usize) {
    for n in range {
        archive.file(
            &format!("{folder}/a{n}.md"),
            article(
                &format!("Story {n}"),
                &format!("https://wire.example/{folder}/{n}"),
                "2024-05-01T10:00:00Z",
                &["Filling"],
                &noisy_body(n, words),
            ),
        );
    }
}

const SCRIPT: &str = r#"
set -u
mount -t tmpfs -o size=1m tmpfs "$MNT" || { echo "no-mount"; exit 0; }
snapshot() { (cd "$MNT/ix" && find . -type f -printf '%P %s\n' | sort && cksum meta.json); }
"$BIN" build "$ARCHIVE" --index "$MNT/ix" -q; echo "first=$?"
"$BIN" --index "$MNT/ix" stats --json > "$OUT/stats-before.json"
snapshot > "$OUT/files-before"
mv "$MORE" "$ARCHIVE/more"
"$BIN" build "$ARCHIVE" --index "$MNT/ix" -q 2> "$OUT/full-stderr"; echo "full=$?"
snapshot > "$OUT/files-after"
"$BIN" --index "$MNT/ix" stats --json > "$OUT/stats-after.json"
"$BIN" --index "$MNT/ix" search story --format jsonl | wc -l > "$OUT/search-after"
mount -o remount,size=64m "$MNT"
"$BIN" build "$ARCHIVE" --index "$MNT/ix" -q; echo "roomy=$?"
"$BIN" --index "$MNT/ix" stats --json > "$OUT/stats-roomy.json"
"#;

#[test]
fn a_full_disk_fails_the_build_cleanly_and_keeps_the_previous_index() {
    let archive = Archive::new();
    write_articles(&archive, "first", 0..20, 40);
    let spare = Archive::new();
    write_articles(&spare, "more", 0..400, 600);
    let work = tempfile::tempdir().expect("a temp dir");
    let mount_point = work.path().join("mnt");
    fs::create_dir(&mount_point).expect("mount point");
    let output = Command::new("unshare")
        .args(["--user", "--map-root-user", "--mount", "sh", "-c", SCRIPT])
        .env("BIN", env!("CARGO_BIN_EXE_newsidx"))
        .env("ARCHIVE", archive.path())
        .env("MORE", spare.path().join("more"))
        .env("MNT", &mount_point)
        .env("OUT", work.path())
        .env("RUST_BACKTRACE", "1")
        .output();
    let stdout = match output {
        Ok(output) => String::from_utf8_lossy(&output.stdout).into_owned(),
        Err(err) => {
            eprintln!("skipped: cannot run unshare here ({err})");
            return;
        }
    };
    if stdout.contains("no-mount") || stdout.trim().is_empty() {
        eprintln!("skipped: this machine allows no tmpfs in a user namespace");
        return;
    }
    let read = |name: &str| fs::read_to_string(work.path().join(name)).unwrap_or_default();
    assert!(stdout.contains("first=0"), "{stdout}");
    assert!(stdout.contains("full=2"), "{stdout}");
    let stderr = read("full-stderr");
    assert!(stderr.contains("is full"), "{stderr}");
    assert!(stderr.contains("as the last build"), "{stderr}");
    assert!(
        !stderr.contains("panicked") && !stderr.contains("Internal error"),
        "{stderr}"
    );
    assert_eq!(
        read("files-before"),
        read("files-after"),
        "the index folder changed; the build said {stderr}"
    );
    let records = |name: &str| -> u64 {
        let stats: serde_json::Value =
            serde_json::from_str(&read(name)).unwrap_or_else(|e| panic!("{name}: {e}"));
        stats["records"].as_u64().expect("records")
    };
    assert_eq!(records("stats-before.json"), 20);
    assert_eq!(records("stats-after.json"), 20);
    assert_eq!(read("search-after").trim(), "20");
    assert!(stdout.contains("roomy=0"), "{stdout}");
    assert_eq!(records("stats-roomy.json"), 420);
}
