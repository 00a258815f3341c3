//! Every `newsidx …` example in README.md runs on the fixture archive and exits 0 (found) or
//! 1 (nothing matched), never 2: no documented flag, field or query form is refused.
//! `~/news` stands for the archive; the part of a line after a pipe or a redirection is the
//! shell's, not newsidx's, and is left out.

use crate::harness::{newsidx, Archive};

/// The `newsidx` command lines of the README's `sh` blocks.
fn readme_examples() -> Vec<String> {
    let readme = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/README.md"))
        .expect("reading README.md");
    let mut examples = Vec::new();
    let mut in_sh = false;
    for line in readme.lines() {
        if line.starts_with("```") {
            in_sh = line == "```sh";
            continue;
        }
        if in_sh && line.starts_with("newsidx ") {
            examples.push(line.to_owned());
        }
    }
    examples
}

/// Splits a shell line into words (single and double quotes, backslash escapes), up to the
/// first unquoted `|`, `>`, `<`, `&&`, `;` or `#`.
fn shell_words(line: &str) -> Vec<String> {
    let mut words = Vec::new();
    let mut word = String::new();
    let mut in_word = false;
    let mut chars = line.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\'' => {
                in_word = true;
                for q in chars.by_ref() {
                    if q == '\'' {
                        break;
                    }
                    word.push(q);
                }
            }
            '"' => {
                in_word = true;
                while let Some(q) = chars.next() {
                    match q {
                        '"' => break,
                        '\\' => word.extend(chars.next()),
                        _ => word.push(q),
                    }
                }
            }
            '\\' => {
                in_word = true;
                word.extend(chars.next());
            }
            '|' | '>' | '<' | ';' | '#' | '&' if !in_word => break,
            c if c.is_whitespace() => {
                if in_word {
                    words.push(std::mem::take(&mut word));
                    in_word = false;
                }
            }
            c => {
                in_word = true;
                word.push(c);
            }
        }
    }
    if in_word {
        words.push(word);
    }
    words
}

#[test]
fn shell_words_follow_the_shell() {
    assert_eq!(
        shell_words(r#"newsidx search '"a b" OR c' --x "O'Brien" | jq ."#),
        ["newsidx", "search", "\"a b\" OR c", "--x", "O'Brien"]
    );
    assert_eq!(
        shell_words("newsidx export > out.jsonl   # all"),
        ["newsidx", "export"]
    );
}

#[test]
fn every_readme_example_runs() {
    let archive = Archive::fixtures();
    archive.run(&["build", "."]);
    let examples = readme_examples();
    assert!(examples.len() > 30, "found only {examples:?}");
    let root = archive
        .path()
        .to_str()
        .expect("a UTF-8 temp path")
        .to_owned();
    for line in &examples {
        let words: Vec<String> = shell_words(line)
            .into_iter()
            .skip(1)
            .map(|w| w.replace("~/news", &root))
            .collect();
        // Files the examples write (completions, man pages) go nowhere here.
        let output = newsidx(archive.path())
            .args(&words)
            .output()
            .expect("running newsidx");
        let code = output.status.code();
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert!(
            matches!(code, Some(0 | 1)) && !stderr.contains("panicked"),
            "README example `{line}` exited {code:?}:\n{stderr}"
        );
    }
}
