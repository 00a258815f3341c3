//! Finding the `---` fences of front matter, and telling front matter from prose.

/// The result of looking for front-matter fences.
#[derive(Debug, PartialEq, Eq)]
pub enum Fences<'a> {
    /// No opening `---`: the text is a body file.
    None,
    /// A YAML block and the text after it.
    Yaml {
        /// The YAML between the fences.
        yaml: &'a str,
        /// 1-based file line of the opening `---`.
        open_line: usize,
        /// The text after the closing fence, trimmed.
        body: &'a str,
    },
    /// The block opens with `+++` (TOML), which is not supported.
    Toml {
        /// 1-based file line of the `+++`.
        line: usize,
    },
    /// An opening `---` with no closing `---` or `...`.
    Unclosed {
        /// 1-based file line of the opening `---`.
        line: usize,
        /// The text after the opening line.
        rest: &'a str,
    },
}

/// Lines with their byte range, without the `\n` and any `\r` before it.
pub(super) fn lines_with_offsets(text: &str) -> impl Iterator<Item = (usize, &str, usize)> {
    let mut start = 0;
    std::iter::from_fn(move || {
        if start >= text.len() {
            return None;
        }
        let end = text[start..]
            .find('\n')
            .map_or(text.len(), |at| start + at + 1);
        let line = text[start..end]
            .trim_end_matches('\n')
            .trim_end_matches('\r');
        let item = (start, line, end);
        start = end;
        Some(item)
    })
}

fn is_fence(line: &str, fence: &str) -> bool {
    line.trim_end_matches([' ', '\t']) == fence
}

/// Finds the front-matter fences of `text` (a BOM already removed). Blank lines may come
/// before the opening `---`; trailing spaces and tabs on fences are allowed; CRLF works.
pub fn split_front_matter(text: &str) -> Fences<'_> {
    let mut lines = lines_with_offsets(text).enumerate();
    let (open_index, yaml_start) = loop {
        match lines.next() {
            None => return Fences::None,
            Some((_, (_, line, _))) if line.trim().is_empty() => continue,
            Some((index, (_, line, end))) => {
                if is_fence(line, "---") {
                    break (index, end);
                }
                if is_fence(line, "+++") {
                    return Fences::Toml { line: index + 1 };
                }
                return Fences::None;
            }
        }
    };
    for (_, (start, line, end)) in lines {
        if is_fence(line, "---") || is_fence(line, "...") {
            return Fences::Yaml {
                yaml: &text[yaml_start..start],
                open_line: open_index + 1,
                body: text[end..].trim(),
            };
        }
    }
    Fences::Unclosed {
        line: open_index + 1,
        rest: &text[yaml_start..],
    }
}

/// True when the text under an unclosed `---` reads as YAML: its first line that is not blank
/// or a comment is a `key: value` line (a key of one word, or quoted). A signature or prose
/// under a rule is not.
pub fn looks_like_yaml(rest: &str) -> bool {
    match rest
        .lines()
        .map(str::trim_end)
        .find(|line| !line.trim().is_empty() && !line.starts_with('#'))
    {
        Some(first) => is_key_line(first),
        // Nothing under the fence: an unclosed (empty) block, not text.
        None => true,
    }
}

/// The file line of a `---` that closes what looks like front matter with no opening fence
/// (`layout: post` ... `---` at the top of a file): a body file, but worth a warning.
pub fn missing_opening_fence(text: &str) -> Option<usize> {
    let mut keys = 0;
    for (index, (_, line, _)) in lines_with_offsets(text).enumerate().take(60) {
        if is_fence(line, "---") {
            return (keys > 0).then_some(index + 1);
        }
        let continues = line.starts_with([' ', '\t', '#', '-']) || line.trim().is_empty();
        if is_key_line(line) {
            keys += 1;
        } else if !(keys > 0 && continues) {
            return None;
        }
    }
    None
}

/// A `key: value` (or `key:`) line at the left margin, the key one word or quoted.
fn is_key_line(line: &str) -> bool {
    let Some((key, after)) = line.trim_end().split_once(':') else {
        return false;
    };
    let key = key.trim_end();
    let quoted = key.len() >= 2
        && (key.starts_with('"') && key.ends_with('"')
            || key.starts_with('\'') && key.ends_with('\''));
    let word = key.starts_with(|c: char| c.is_alphanumeric() || c == '_')
        && key
            .chars()
            .all(|c| c.is_alphanumeric() || matches!(c, '_' | '-' | '.'));
    (quoted || word) && (after.is_empty() || after.starts_with([' ', '\t']))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn splits_the_common_shapes() {
        let cases: &[(&str, &str, usize, &str)] = &[
            ("---\ntitle: a\n---\nbody\n", "title: a\n", 1, "body"),
            (
                "---\r\ntitle: a\r\n---\r\nbody\r\n",
                "title: a\r\n",
                1,
                "body",
            ),
            ("\n\n---  \ntitle: a\n---\t\n", "title: a\n", 3, ""),
            (
                "---\ntitle: a\n...\nrest\n---\nmore",
                "title: a\n",
                1,
                "rest\n---\nmore",
            ),
            ("---\n---\n", "", 1, ""),
            ("---\ntitle: a\n---", "title: a\n", 1, ""),
            (
                "---\na: 1\n---\n\nPara one.\n\n---\n\nPara two.",
                "a: 1\n",
                1,
                "Para one.\n\n---\n\nPara two.",
            ),
        ];
        for (text, yaml, line, body) in cases {
            assert_eq!(
                split_front_matter(text),
                Fences::Yaml {
                    yaml,
                    open_line: *line,
                    body
                },
                "text {text:?}"
            );
        }
    }

    #[test]
    fn recognises_body_toml_and_unclosed() {
        assert_eq!(split_front_matter("date 2020-01-01 text"), Fences::None);
        assert_eq!(split_front_matter("--- not a fence\n"), Fences::None);
        assert_eq!(split_front_matter(""), Fences::None);
        assert_eq!(
            split_front_matter("\n+++\ntitle = 'a'\n+++\n"),
            Fences::Toml { line: 2 }
        );
        assert_eq!(
            split_front_matter("---\ntitle: a\nbody"),
            Fences::Unclosed {
                line: 1,
                rest: "title: a\nbody"
            }
        );
    }

    #[test]
    fn front_matter_without_its_opening_fence_is_noticed() {
        assert_eq!(
            missing_opening_fence("layout: post\ntitle: \"x\"\ntags:\n  - a\n---\n\nText"),
            Some(5)
        );
        for text in [
            "Plain text.\n---\nMore.",
            "---\ntitle: x\n---\n",
            "Note: a colon\nand prose\n---\n",
            "title: x\nno fence at all\n",
        ] {
            assert_eq!(missing_opening_fence(text), None, "{text:?}");
        }
    }

    #[test]
    fn unclosed_yaml_and_prose_are_told_apart() {
        for yaml in [
            "title: a\n",
            "# a comment\n\nlayout: post\ntitle: x",
            "\"quoted key\": 1",
            "tags:\n  - a",
            "",
            "\n\n",
        ] {
            assert!(looks_like_yaml(yaml), "{yaml:?}");
        }
        for prose in [
            "Tom Preston-Werner\ngithub.com/mojombo\n",
            "Some prose: with a colon.\n",
            "- a list under a rule\n",
            "http://example.com/x",
            "Thanks for reading!",
        ] {
            assert!(!looks_like_yaml(prose), "{prose:?}");
        }
    }
}

#[cfg(test)]
mod properties {
    use super::*;
    use proptest::prelude::*;

    proptest! {
        #[test]
        fn any_body_survives_the_split(
            body in "(.|\n|\r\n|---\n|\\.\\.\\.\n){0,40}",
            crlf in any::<bool>(),
            final_newline in any::<bool>(),
            blank_lines in 0usize..3,
        ) {
            let eol = if crlf { "\r\n" } else { "\n" };
            let mut text = eol.repeat(blank_lines);
            text.push_str(&format!("---{eol}title: x{eol}quality: 3{eol}---"));
            if final_newline || !body.is_empty() {
                text.push_str(eol);
            }
            text.push_str(&body);
            match split_front_matter(&text) {
                Fences::Yaml { yaml, open_line, body: split_body } => {
                    prop_assert_eq!(yaml, format!("title: x{eol}quality: 3{eol}"));
                    prop_assert_eq!(open_line, blank_lines + 1);
                    prop_assert_eq!(split_body, body.trim());
                }
                other => prop_assert!(false, "not split: {:?}", other),
            }
        }
    }
}
