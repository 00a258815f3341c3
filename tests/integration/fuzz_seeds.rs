//! Every fuzz target replayed over its seed corpus (issue 11): `fuzz/seeds/<target>/`, plus the
//! fixture archive for the targets that read files. A target whose body no longer fits the
//! code fails here, in CI, not the next time someone runs the fuzzer.

use std::fs;
use std::path::{Path, PathBuf};

use newsidx::fuzzing::{parse_file_target, query_target, yaml_fast_path_target};

use crate::harness::fixture_root;

fn files_under(dir: &Path) -> Vec<PathBuf> {
    let mut found = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(dir) = stack.pop() {
        for entry in fs::read_dir(&dir).expect("reading a seed folder") {
            let path = entry.expect("an entry").path();
            if path.is_dir() {
                stack.push(path);
            } else {
                found.push(path);
            }
        }
    }
    found.sort();
    found
}

fn seeds(target: &str) -> Vec<PathBuf> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("fuzz/seeds")
        .join(target);
    let found = files_under(&dir);
    assert!(!found.is_empty(), "no seeds in {}", dir.display());
    found
}

/// Runs `target` on each file, naming the file when it panics.
fn replay(files: &[PathBuf], target: fn(&[u8])) {
    for file in files {
        let data = fs::read(file).expect("reading a seed");
        if std::panic::catch_unwind(|| target(&data)).is_err() {
            panic!("fuzz target failed on seed {}", file.display());
        }
    }
}

/// The YAML block of a front-matter file, as the fuzz README seeds `yaml_fast_path`.
fn front_matter_block(text: &str) -> Option<String> {
    let mut lines = text.lines();
    (lines.next()?.trim_end() == "---").then(|| {
        lines
            .take_while(|line| !matches!(line.trim_end(), "---" | "..."))
            .map(|line| format!("{line}\n"))
            .collect()
    })
}

#[test]
fn parse_file_target_replays_its_seeds_and_the_fixtures() {
    replay(&seeds("parse_file"), parse_file_target);
    replay(&files_under(&fixture_root()), parse_file_target);
}

#[test]
fn query_target_replays_its_seeds() {
    replay(&seeds("query"), query_target);
}

#[test]
fn yaml_fast_path_target_replays_its_seeds_and_the_fixtures_front_matter() {
    replay(&seeds("yaml_fast_path"), yaml_fast_path_target);
    for file in files_under(&fixture_root()) {
        let text =
            String::from_utf8_lossy(&fs::read(&file).expect("reading a fixture")).into_owned();
        if let Some(block) = front_matter_block(&text) {
            assert!(
                std::panic::catch_unwind(|| yaml_fast_path_target(block.as_bytes())).is_ok(),
                "yaml_fast_path failed on the front matter of {}",
                file.display()
            );
        }
    }
}
