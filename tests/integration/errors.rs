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
        (&["search", "\" ( ) -"][..], "nothing to search for"),
        (&["search", "x", "--since", "2021-13-45"][..], "--since"),
        (&["search", "x", "--until", "tomorrow"][..], "--until"),
        (&["facets", "topic", "--date", "20x1"][..], "--date"),
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
    // Whatever the current version, make it one no build writes.
    archive.set_schema_version("999");
    let run = archive.run(&["stats"]);
    run.status(2);
    assert!(run.stderr().contains("build --rebuild"), "{run:?}");
    archive.run(&["build", "."]).status(2);
    // The fix the message names works as written, without DIR.
    archive.run(&["build", "--rebuild"]).status(0);
    archive.run(&["stats"]).status(0);
}

#[test]
fn damaged_index_suggests_rebuild() {
    let archive = built();
    std::fs::write(archive.path().join(".newsidx/meta.json"), "{ not json").unwrap();
    let run = archive.run(&["search", "x"]);
    run.status(2);
    assert!(run.stderr().contains("build --rebuild"), "{run:?}");
    archive.run(&["build", "--rebuild"]).status(0);
    archive.run(&["search", "arbitration"]).status(0);
}

#[test]
fn a_build_on_an_index_missing_a_file_says_so() {
    let archive = built();
    let index = archive.path().join(".newsidx");
    for entry in std::fs::read_dir(&index).unwrap() {
        let path = entry.unwrap().path();
        if path.extension().is_some_and(|e| e == "store") {
            std::fs::remove_file(&path).unwrap();
        }
    }
    // Not "archive unchanged": the index cannot be read, and the message says which file.
    for args in [&["build"][..], &["search", "arbitration"]] {
        let run = archive.run(args);
        run.status(2);
        let stderr = run.stderr();
        assert!(stderr.contains(".store is missing"), "{run:?}");
        assert!(stderr.contains("build --rebuild"), "{run:?}");
        assert!(
            !stderr.contains("IoError") && !stderr.contains("{"),
            "{run:?}"
        );
    }
    archive.run(&["build", "--rebuild"]).status(0);
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

#[test]
fn corrupted_segments_give_a_clear_error_and_rebuild_fixes_them() {
    let archive = built();
    let index = archive.path().join(".newsidx");
    // Scramble the middle, keep the footer: the worst case for a reader.
    damage_segments(
        &index,
        &["idx", "term", "pos", "fast", "fieldnorm", "store"],
        |bytes| {
            let len = bytes.len();
            for (i, byte) in bytes[len / 10..len * 8 / 10].iter_mut().enumerate() {
                *byte = (i as u8).wrapping_mul(31).wrapping_add(7);
            }
        },
    );
    reads_of_a_damaged_index_say_so(&archive);
    archive.run(&["build", ".", "--rebuild"]).status(0);
    // Scattered flipped bytes, as a failing disk leaves them.
    damage_segments(&index, &["idx", "term", "pos", "fast", "store"], |bytes| {
        let len = bytes.len();
        for k in 0..20 {
            bytes[len / 4 + (k * 7919) % (len / 2).max(1)] ^= 0xFF;
        }
    });
    reads_of_a_damaged_index_say_so(&archive);
    archive.run(&["build", ".", "--rebuild"]).status(0);
    archive.run(&["search", "arbitration"]).status(0);

    damage_segments(&index, &["store"], |bytes| bytes.truncate(10));
    let truncated = archive.run(&["search", "arbitration"]);
    truncated.status(2);
    assert!(
        truncated.stderr().contains("build --rebuild"),
        "{truncated:?}"
    );
}

/// Rewrites every segment file of `index` with one of `extensions` through `damage`.
fn damage_segments(index: &std::path::Path, extensions: &[&str], damage: impl Fn(&mut Vec<u8>)) {
    for entry in std::fs::read_dir(index).unwrap() {
        let path = entry.unwrap().path();
        let extension = path
            .extension()
            .and_then(|e| e.to_str())
            .unwrap_or_default();
        if extensions.contains(&extension) {
            let mut bytes = std::fs::read(&path).unwrap();
            damage(&mut bytes);
            std::fs::write(&path, bytes).unwrap();
        }
    }
}

/// Every read of a damaged index either works on its intact parts or says the index is
/// damaged and how to fix it, in one line: never a panic, tantivy's words or a source place.
fn reads_of_a_damaged_index_say_so(archive: &Archive) {
    let mut damaged = 0;
    for args in [
        &["search", "strike"][..],
        &["search"],
        &["search", "--json", "--limit", "0"],
        &["facets", "topic"],
        &["timeline"],
        &["stats"],
        &["export"],
        &["dups"],
        &["similar", "dup/copy-a.md"],
        &["show", "dup/copy-a.md"],
    ] {
        let run = archive.run(args);
        run.no_panic();
        if run.code() == 2 {
            let stderr = run.stderr();
            assert!(stderr.contains("is damaged"), "{run:?}");
            assert!(stderr.contains("build --rebuild"), "{run:?}");
            for internal in [
                "internal error",
                "unwrap",
                "IO error",
                "Deserialize",
                ".rs:",
            ] {
                assert!(!stderr.contains(internal), "{run:?}");
            }
            assert_eq!(stderr.trim_end().lines().count(), 1, "{run:?}");
            damaged += 1;
        }
    }
    assert!(damaged > 0, "no read noticed the damage");
}

#[test]
fn hostile_yaml_is_bounded_per_file() {
    let archive = Archive::new();
    let mut bomb = String::from("---\na0: &a0 [x, x, x, x, x, x, x, x, x, x]\n");
    for level in 1..12 {
        let prev = level - 1;
        bomb.push_str(&format!("a{level}: &a{level} [*a{prev}, *a{prev}, *a{prev}, *a{prev}, *a{prev}, *a{prev}, *a{prev}, *a{prev}, *a{prev}, *a{prev}]\n"));
    }
    bomb.push_str("---\n");
    archive.file("bomb.md", bomb);
    archive.file(
        "deep.md",
        format!(
            "---\ntitle: deep\nx: {}{}\n---\n",
            "[".repeat(10_000),
            "]".repeat(10_000)
        ),
    );
    archive.file(
        "deep-map.md",
        format!(
            "---\n{}x: 1\n---\n",
            (0..10_000)
                .map(|i| format!("{}k:\n", " ".repeat(i % 200)))
                .collect::<String>()
        ),
    );
    // One line of a million nested list items: no parser may recurse that deep.
    archive.file(
        "deep-list.md",
        format!(
            "---\ntitle: deep\nx: 1\nl:\n{}x\n---\n",
            "- ".repeat(1_000_000)
        ),
    );
    let mut many = String::from("---\ntitle: Many keys\n");
    for i in 0..100_000 {
        many.push_str(&format!("key{i}: {i}\n"));
    }
    many.push_str("---\nmanykeysbody\n");
    archive.file("many-keys.md", many);
    archive.file(
        "big-scalar.md",
        format!(
            "---\ntitle: big\nblob: \"{}\"\n---\nbigscalarbody\n",
            "y".repeat(5_000_000)
        ),
    );
    archive.file(
        "latin1-quoted.md",
        b"---\ntitle: \"caf\xe9 cr\xe8me\"\n---\nlatinbody\n",
    );
    archive.file(
        "ok.md",
        crate::harness::article(
            "Fine",
            "https://x.example/ok",
            "2021-01-01",
            &[],
            "survivor",
        ),
    );
    let huge = archive.path().join("huge.md");
    std::fs::File::create(&huge)
        .unwrap()
        .set_len(100 * 1024 * 1024)
        .unwrap();

    let started = std::time::Instant::now();
    let run = archive.run(&["build", ".", "--json"]);
    run.status(0);
    assert!(
        started.elapsed() < std::time::Duration::from_secs(60),
        "hostile input took {:?}",
        started.elapsed()
    );
    let summary: crate::contract::BuildSummary = run.json();
    let errors: Vec<&str> = summary.errors.iter().map(|e| e.path.as_str()).collect();
    assert_eq!(
        errors,
        ["bomb.md", "deep-list.md", "deep-map.md", "deep.md"],
        "{run:?}"
    );
    assert!(summary
        .warnings
        .iter()
        .any(|w| w.path == "huge.md" && w.message.contains("larger than")));
    assert!(summary
        .warnings
        .iter()
        .any(|w| w.path == "latin1-quoted.md" && w.message.contains("UTF-8")));
    for word in ["survivor", "manykeysbody", "bigscalarbody", "latinbody"] {
        archive.run(&["search", word]).status(0);
    }
    let many: crate::contract::Record = archive.run(&["show", "many-keys.md", "--json"]).json();
    assert_eq!(many.meta.len(), 100_001);
}

#[test]
fn dates_far_outside_the_index_range_are_clamped() {
    let archive = built();
    archive.run(&["search", "--until", "9999"]).status(0);
    archive.run(&["search", "--since", "1000"]).status(0);
    archive.run(&["search", "--since", "3000"]).status(1);
    archive.run(&["search", "--date", "1500-01-01"]).status(1);
    archive
        .run(&["facets", "year", "--until", "9999-12"])
        .status(0);
    let backwards = archive.run(&["search", "--since", "2022", "--until", "2021"]);
    backwards.status(2);
    assert!(
        backwards.stderr().contains("is after --until"),
        "{backwards:?}"
    );
}

#[test]
fn a_moved_archive_takes_its_index_along() {
    let parent = tempfile::tempdir().unwrap();
    let before = parent.path().join("before");
    std::fs::create_dir(&before).unwrap();
    std::fs::write(
        before.join("a.md"),
        article("Moved", "https://x.example/m", "2021-01-01", &[], "movable"),
    )
    .unwrap();
    run_in(&before, &["build", "."]).status(0);
    let after = parent.path().join("after");
    std::fs::rename(&before, &after).unwrap();
    std::fs::write(
        after.join("b.md"),
        article("New", "https://x.example/n", "2021-01-01", &[], "arrived"),
    )
    .unwrap();
    run_in(&after, &["build"]).status(0);
    run_in(&after, &["search", "movable"]).status(0);
    run_in(&after, &["search", "arrived"]).status(0);
}

#[test]
fn unknown_fields_are_an_error() {
    let archive = built();
    let run = archive.run(&["search", "strike", "--fields", "nosuch"]);
    run.status(2);
    assert!(run.stderr().contains("no field `nosuch`"), "{run:?}");
}

#[test]
fn small_mistakes_get_a_clear_answer() {
    let archive = built();
    // An empty NEWSIDX_INDEX is no index given.
    let stats = crate::harness::newsidx(archive.path())
        .env("NEWSIDX_INDEX", "")
        .args(["stats"])
        .output()
        .unwrap();
    assert_eq!(stats.status.code(), Some(0), "{stats:?}");
    let negative = archive.run(&["dups", "--threshold", "-0.1"]);
    negative.status(2);
    assert!(negative.stderr().contains("from 0 to 1"), "{negative:?}");
    archive
        .run(&["build", ".", "--max-file-size", "1.5M", "-q"])
        .status(0);
    let dotted = archive.run(&["show", "dup/copy-a.md", "--fields", "path,provider.name"]);
    dotted.status(0);
    assert!(dotted.stdout().contains("provider.name"), "{dotted:?}");
    let unknown = archive.run(&["stats", "--fields", "nope"]);
    unknown.status(2);
    assert!(unknown.stderr().contains("no field `nope`"), "{unknown:?}");
    let short = archive.run(&["show", "e8"]);
    short.status(1);
    assert!(
        short.stderr().contains("at least 6 hex digits"),
        "{short:?}"
    );
}

#[test]
fn a_word_to_leave_out_taken_for_options_is_named_whole() {
    let archive = built();
    for args in [
        &["search", "-ring", "police"][..],
        &["search", "police", "-nuclear"],
        &["facets", "topic", "-vote"],
    ] {
        let run = archive.run(args);
        run.status(2);
        let word = args.iter().find(|a| a.starts_with('-')).unwrap();
        assert!(
            run.stderr()
                .contains(&format!("`{word}` was read as options")),
            "{run:?}"
        );
        assert!(run.stderr().contains(&format!("-- {word}")), "{run:?}");
    }
    // A name that is not UTF-8 beside a mistake gets clap's message, not a panic.
    use std::os::unix::ffi::OsStrExt;
    let odd = std::ffi::OsStr::from_bytes(b"/tmp/\xff");
    let output = crate::harness::newsidx(archive.path())
        .args([
            std::ffi::OsStr::new("search"),
            std::ffi::OsStr::new("--bogus"),
            odd,
        ])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(2), "{output:?}");
    assert!(
        !String::from_utf8_lossy(&output.stderr).contains("panicked"),
        "{output:?}"
    );
    // After `--` it is a word to leave out, and other errors keep clap's message.
    archive.run(&["search", "--", "-ring", "glacier"]).status(0);
    let other = archive.run(&["search", "--limit", "x", "glacier"]);
    other.status(2);
    assert!(other.stderr().contains("--limit"), "{other:?}");
}
