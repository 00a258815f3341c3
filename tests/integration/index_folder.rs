//! The index folder is newsidx's alone (issue 11, the `--rebuild` data-loss bug): `build`
//! refuses a folder that holds the user's files, or one inside the archive, and writes and
//! deletes nothing when it does; `--rebuild` removes only what newsidx and tantivy wrote.

use std::collections::BTreeMap;
use std::fs;
use std::path::Path;

use crate::harness::{article, run_in, Archive};

/// Every file under `root`, with its bytes, and every folder (as `None`).
fn snapshot(root: &Path) -> BTreeMap<String, Option<Vec<u8>>> {
    let mut found = BTreeMap::new();
    let mut stack = vec![root.to_path_buf()];
    while let Some(dir) = stack.pop() {
        for entry in fs::read_dir(&dir).expect("reading a folder") {
            let entry = entry.expect("an entry");
            let path = entry.path();
            let rel = path
                .strip_prefix(root)
                .expect("inside")
                .display()
                .to_string();
            let kind = fs::symlink_metadata(&path).expect("metadata").file_type();
            if kind.is_dir() {
                found.insert(rel, None);
                stack.push(path);
            } else if kind.is_symlink() {
                let target = fs::read_link(&path).expect("a link");
                found.insert(rel, Some(target.display().to_string().into_bytes()));
            } else {
                found.insert(rel, Some(fs::read(&path).expect("reading a file")));
            }
        }
    }
    found
}

fn small_archive() -> Archive {
    let archive = Archive::new();
    archive.file(
        "2021/harbour.md",
        article(
            "Harbour cranes idle",
            "https://news.example/harbour",
            "2021-06-11T08:00:00Z",
            &["Ports"],
            "Dock workers waited for the cranes to restart.",
        ),
    );
    archive
}

/// The small archive, built into `idx` in a temp folder outside it: (archive, that folder,
/// the index).
fn built_elsewhere() -> (Archive, tempfile::TempDir, std::path::PathBuf) {
    let archive = small_archive();
    let elsewhere = tempfile::tempdir().expect("a temp dir");
    let index = elsewhere.path().join("idx");
    let index_arg = index.display().to_string();
    let archive_dir = archive.path().display().to_string();
    run_in(
        elsewhere.path(),
        &["--index", &index_arg, "build", &archive_dir],
    )
    .status(0);
    (archive, elsewhere, index)
}

/// A user's folder of the kind the bug emptied: a static site with its own `meta.json`.
fn users_site(parent: &Path) -> std::path::PathBuf {
    let site = parent.join("site");
    fs::create_dir_all(site.join("drafts")).expect("creating the site");
    fs::write(site.join("notes.txt"), "my notes\n").expect("writing");
    fs::write(site.join("meta.json"), "{\"name\": \"my-site\"}\n").expect("writing");
    fs::write(site.join("drafts/one.md"), "draft\n").expect("writing");
    site
}

#[test]
fn issue_11_rebuild_into_a_users_folder_deletes_nothing() {
    let archive = small_archive();
    let elsewhere = tempfile::tempdir().expect("a temp dir");
    let site = users_site(elsewhere.path());
    let before = snapshot(&site);
    let archive_dir = archive.path().display().to_string();
    for flags in [&["--rebuild"][..], &[][..]] {
        let mut args = vec!["--index", "site", "build", archive_dir.as_str()];
        args.extend_from_slice(flags);
        let run = run_in(elsewhere.path(), &args);
        run.status(2);
        let stderr = run.stderr();
        assert!(
            stderr.contains("meta.json"),
            "names the foreign file{run:?}"
        );
        assert!(stderr.contains("nothing was changed"), "{run:?}");
        assert_eq!(
            snapshot(&site),
            before,
            "the user's folder is untouched{run:?}"
        );
    }
}

#[test]
fn a_users_file_in_a_real_index_is_kept_and_refused() {
    let (archive, elsewhere, index) = built_elsewhere();
    let index_arg = index.display().to_string();
    let archive_dir = archive.path().display().to_string();
    fs::write(index.join("todo.txt"), "keep me\n").expect("writing");
    let before = snapshot(&index);
    let run = run_in(
        elsewhere.path(),
        &["--index", &index_arg, "build", &archive_dir, "--rebuild"],
    );
    run.status(2);
    assert!(run.stderr().contains("todo.txt"), "{run:?}");
    assert_eq!(snapshot(&index), before);
}

#[test]
fn a_users_file_named_like_a_manifest_is_kept_and_refused() {
    let archive = small_archive();
    archive.run(&["build", "."]).status(0);
    let index = archive.path().join(".newsidx");
    fs::write(index.join("manifest-99.bin"), "mine\n").expect("writing");
    archive.file(
        "2021/harbour.md",
        "---\ntitle: Harbour cranes restart\n---\nThey did.\n",
    );
    let before = snapshot(&index);
    for args in [&["build", "."][..], &["build", ".", "--rebuild"]] {
        let run = archive.run(args);
        run.status(2);
        assert!(run.stderr().contains("manifest-99.bin"), "{run:?}");
        assert_eq!(snapshot(&index), before, "{run:?}");
    }
}

#[test]
fn a_manifest_cut_short_by_a_crash_does_not_lock_the_user_out() {
    let archive = small_archive();
    archive.run(&["build", "."]).status(0);
    let leftover = archive.path().join(".newsidx/manifest-7.bin.tmp");
    fs::write(&leftover, [0u8; 4096]).expect("writing");
    // A build with nothing to do writes no manifest and leaves it; one that writes removes it.
    archive.run(&["build", "."]).status(0);
    archive.run(&["build", ".", "--rebuild"]).status(0);
    assert!(!leftover.exists());
}

#[test]
fn the_archive_folder_or_a_folder_inside_it_is_refused_as_index() {
    let archive = small_archive();
    let before = snapshot(archive.path());
    for index in [".", "2021", "new/index"] {
        let run = archive.run(&["--index", index, "build", "."]);
        run.status(2);
        assert!(run.stderr().contains("archive"), "{run:?}");
        assert_eq!(snapshot(archive.path()), before, "nothing written{run:?}");
    }
    // The default `.newsidx` inside the archive is the one allowed place.
    archive.run(&["build", "."]).status(0);
}

#[cfg(unix)]
#[test]
fn rebuild_never_follows_a_symlink_out_of_the_index() {
    let archive = small_archive();
    archive.run(&["build", "."]).status(0);
    let outside = tempfile::tempdir().expect("a temp dir");
    fs::write(outside.path().join("precious.txt"), "mine\n").expect("writing");
    std::os::unix::fs::symlink(outside.path(), archive.path().join(".newsidx/link"))
        .expect("a symlink");
    let before = snapshot(outside.path());
    let run = archive.run(&["build", ".", "--rebuild"]);
    run.status(2);
    assert!(run.stderr().contains("link"), "{run:?}");
    assert_eq!(snapshot(outside.path()), before);
    assert!(archive.path().join(".newsidx/link").exists());
}

#[test]
fn rebuild_of_newsidxs_own_index_still_starts_over() {
    let archive = small_archive();
    archive.run(&["build", "."]).status(0);
    archive.run(&["build", ".", "--rebuild"]).status(0);
    archive.run(&["search", "cranes"]).status(0);
}

#[test]
fn another_programs_tantivy_index_is_refused_not_rebuilt() {
    let (archive, elsewhere, index) = built_elsewhere();
    let index_arg = index.display().to_string();
    let archive_dir = archive.path().display().to_string();
    // What tantivy-cli leaves: tantivy's files, another schema, no newsidx lock or manifest.
    for entry in fs::read_dir(&index).expect("reading the index") {
        let path = entry.expect("an entry").path();
        let name = path
            .file_name()
            .expect("a name")
            .to_string_lossy()
            .into_owned();
        if name == "build.lock" || name.starts_with("manifest-") {
            fs::remove_file(&path).expect("removing");
        }
    }
    let meta = fs::read_to_string(index.join("meta.json")).expect("meta.json");
    let meta = meta.replace("\"name\": \"record\"", "\"name\": \"myfield\"");
    assert!(meta.contains("myfield"));
    fs::write(index.join("meta.json"), meta).expect("writing");
    let before = snapshot(&index);
    for flags in [&["--rebuild"][..], &[][..]] {
        let mut args = vec!["--index", index_arg.as_str(), "build", archive_dir.as_str()];
        args.extend_from_slice(flags);
        let run = run_in(elsewhere.path(), &args);
        run.status(2);
        assert!(run.stderr().contains("tantivy index"), "{run:?}");
        assert!(run.stderr().contains("nothing was changed"), "{run:?}");
        assert_eq!(snapshot(&index), before, "{flags:?}");
    }
    let search = run_in(
        elsewhere.path(),
        &["--index", &index_arg, "search", "cranes"],
    );
    search.status(2);
    assert!(!search.stderr().contains("--rebuild"), "{search:?}");
}

#[test]
fn another_archive_into_a_built_index_needs_rebuild() {
    let archive = small_archive();
    archive.file(
        "sub/one.md",
        article(
            "Ferry timetable",
            "https://news.example/ferry",
            "2021-07-01T08:00:00Z",
            &["Ports"],
            "The ferry runs twice a day.",
        ),
    );
    let elsewhere = tempfile::tempdir().expect("a temp dir");
    let index = elsewhere.path().join("idx").display().to_string();
    let root = archive.path().display().to_string();
    let sub = archive.path().join("sub").display().to_string();
    let run = |args: &[&str]| run_in(elsewhere.path(), args);
    run(&["--index", &index, "build", &root]).status(0);
    let refused = run(&["--index", &index, "build", &sub]);
    refused.status(2);
    assert!(refused.stderr().contains("--rebuild"), "{refused:?}");
    let stats: serde_json::Value = run(&["--index", &index, "stats", "--json"]).json();
    assert_eq!(stats["records"], 2, "nothing was changed: {stats}");
    run(&["--index", &index, "build", &sub, "--rebuild"]).status(0);
    let stats: serde_json::Value = run(&["--index", &index, "stats", "--json"]).json();
    assert_eq!(stats["records"], 1, "{stats}");
    // A copied archive takes its own index along: no refusal.
    archive.run(&["build", "."]).status(0);
    let copy = elsewhere.path().join("copy");
    fs::create_dir(&copy).expect("a folder");
    for rel in ["2021/harbour.md", "sub/one.md"] {
        fs::create_dir_all(copy.join(rel).parent().expect("a parent")).expect("folders");
        fs::copy(archive.path().join(rel), copy.join(rel)).expect("copying");
    }
    fs::create_dir(copy.join(".newsidx")).expect("a folder");
    for entry in fs::read_dir(archive.path().join(".newsidx")).expect("the index") {
        let path = entry.expect("an entry").path();
        fs::copy(
            &path,
            copy.join(".newsidx")
                .join(path.file_name().expect("a name")),
        )
        .expect("copying");
    }
    run_in(&copy, &["build", "--index", ".newsidx", "."]).status(0);
}
