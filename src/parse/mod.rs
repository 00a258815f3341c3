//! Parse stage: one file's bytes in, a classified and parsed file out. Pure functions, no
//! filesystem, so every case is unit-testable.
//!
//! Classification is by content, never by extension: after an optional BOM and blank lines, a
//! `---` line opens front matter; anything else is a body file. Empty and binary files are
//! skipped with a warning; invalid UTF-8 is decoded lossily with a warning. A file that opens
//! with a UTF-16 byte-order mark is decoded as UTF-16 (encoding_rs) before any of this, since
//! its NUL bytes are those of the encoding, not of a binary file.

pub mod body;
pub mod date;
pub mod front_matter;
mod plain_yaml;

use serde_json::Value;

use crate::diag::Diagnostic;
use body::{parse_body, BodyText};
use front_matter::{parse_yaml, split_front_matter, Fences};

/// What a file turned out to be.
#[derive(Debug, Clone, PartialEq)]
pub enum Parsed {
    /// A front-matter file: the YAML mapping and the text after the closing fence.
    FrontMatter {
        /// The front matter as a JSON object, keys verbatim and in file order.
        meta: serde_json::Map<String, Value>,
        /// The text after the closing fence, trimmed (often empty).
        body: String,
        /// The file line of each top-level key, for warnings about fields.
        key_lines: Vec<(String, usize)>,
    },
    /// A body file.
    Body(BodyText),
}

/// A parsed file: `parsed` is `None` when the file was skipped; `diagnostics` says why, and
/// holds the warnings of a kept file.
#[derive(Debug, Clone, PartialEq)]
pub struct ParsedFile {
    /// The content, unless the file was skipped.
    pub parsed: Option<Parsed>,
    /// Errors and warnings, in file order.
    pub diagnostics: Vec<Diagnostic>,
}

const BOM: &str = "\u{feff}";

/// Duplicate keys named one by one in warnings; beyond this they are counted.
const MAX_DUPLICATE_WARNINGS: usize = 10;

/// Classifies and parses one file. `rel` is only used to name the file in diagnostics.
pub fn parse_file(rel: &str, bytes: &[u8]) -> ParsedFile {
    let mut diagnostics = Vec::new();
    let skipped = |diagnostic: Diagnostic| ParsedFile {
        parsed: None,
        diagnostics: vec![diagnostic],
    };
    let utf16 = decode_utf16(rel, bytes, &mut diagnostics);
    if utf16.is_none() && bytes.contains(&0) {
        return skipped(Diagnostic::warning(
            rel,
            "binary file (contains NUL bytes), skipped",
        ));
    }
    let text = match utf16 {
        Some(text) => std::borrow::Cow::Owned(text),
        None => decode_utf8(rel, bytes, &mut diagnostics),
    };
    let text = text.strip_prefix(BOM).unwrap_or(&text);
    if text.trim().is_empty() {
        return skipped(Diagnostic::warning(rel, "empty file, skipped"));
    }

    let parsed = match split_front_matter(text) {
        Fences::None => {
            if let Some(line) = front_matter::missing_opening_fence(text) {
                diagnostics.push(
                    Diagnostic::warning(
                        rel,
                        "`key: value` lines closed by `---` but never opened: front matter \
                         needs a `---` line above it; read as text",
                    )
                    .at(line, None),
                );
            }
            Ok(Parsed::Body(parse_body(text)))
        }
        Fences::Toml { line } => Err(Diagnostic::error(
            rel,
            "TOML front matter (`+++`) is not supported: expected YAML between `---` lines",
        )
        .at(line, Some(1))),
        Fences::Unclosed { line, rest } if !front_matter::looks_like_yaml(rest) => {
            diagnostics.push(
                Diagnostic::warning(
                    rel,
                    "a `---` line that is never closed, above text that is not `key: value` YAML; \
                     read as text, not front matter",
                )
                .at(line, None),
            );
            Ok(Parsed::Body(parse_body(rest)))
        }
        Fences::Unclosed { line, .. } => Err(Diagnostic::error(
            rel,
            "front matter opened here is never closed: expected a line `---` or `...` after the YAML",
        )
        .at(line, Some(1))),
        Fences::Yaml {
            yaml,
            open_line,
            body,
        } => read_front_matter(rel, yaml, open_line, body, &mut diagnostics),
    };
    match parsed {
        Ok(parsed) => ParsedFile {
            parsed: Some(parsed),
            diagnostics,
        },
        Err(error) => {
            diagnostics.insert(0, error);
            ParsedFile {
                parsed: None,
                diagnostics,
            }
        }
    }
}

/// The text of a file that opens with a UTF-16 byte-order mark (LE or BE), without the mark;
/// `None` for any other file. Malformed UTF-16 is decoded with replacement characters and a
/// warning, as invalid UTF-8 is.
fn decode_utf16(rel: &str, bytes: &[u8], diagnostics: &mut Vec<Diagnostic>) -> Option<String> {
    let (encoding, _) = encoding_rs::Encoding::for_bom(bytes)?;
    if encoding == encoding_rs::UTF_8 {
        return None;
    }
    let (text, had_errors) = encoding.decode_with_bom_removal(bytes);
    if had_errors {
        diagnostics.push(Diagnostic::warning(
            rel,
            format!(
                "not valid {}; decoded with replacement characters (the file is unchanged)",
                encoding.name()
            ),
        ));
    }
    Some(text.into_owned())
}

/// The text of a UTF-8 file, decoded lossily (with a warning naming the first bad line) when
/// it is not valid UTF-8.
fn decode_utf8<'b>(
    rel: &str,
    bytes: &'b [u8],
    diagnostics: &mut Vec<Diagnostic>,
) -> std::borrow::Cow<'b, str> {
    match std::str::from_utf8(bytes) {
        Ok(text) => std::borrow::Cow::Borrowed(text),
        Err(err) => {
            let line = 1 + bytes[..err.valid_up_to()]
                .iter()
                .filter(|&&b| b == b'\n')
                .count();
            diagnostics.push(
                Diagnostic::warning(
                    rel,
                    "not valid UTF-8; decoded with replacement characters (the file is unchanged)",
                )
                .at(line, None),
            );
            String::from_utf8_lossy(bytes)
        }
    }
}

fn read_front_matter(
    rel: &str,
    yaml: &str,
    open_line: usize,
    body: &str,
    diagnostics: &mut Vec<Diagnostic>,
) -> Result<Parsed, Diagnostic> {
    let parsed = parse_yaml(yaml).map_err(|err| {
        let message = format!("invalid YAML front matter: {}", err.message);
        match err.line {
            // The YAML's line 1 is the line after the opening fence.
            Some(line) => Diagnostic::error(rel, message).at(open_line + line, err.col),
            None => Diagnostic::error(rel, message).at(open_line, None),
        }
    })?;
    let meta = match parsed.value {
        Value::Object(map) => map,
        Value::Null => serde_json::Map::new(),
        other => {
            return Err(Diagnostic::error(
                rel,
                format!(
                    "front matter is {}, not a mapping of keys: expected `key: value` lines \
                     (a `---` above prose is a horizontal rule, not front matter)",
                    describe(&other)
                ),
            )
            .at(open_line + 1, Some(1)))
        }
    };
    let key_lines: Vec<(String, usize)> = parsed
        .key_lines
        .into_iter()
        .map(|(key, line)| (key, open_line + line))
        .collect();
    let duplicates = parsed.duplicate_keys.len();
    if duplicates > 0 {
        warn_duplicate_keys(rel, yaml, parsed.duplicate_keys, &key_lines, diagnostics);
    }
    Ok(Parsed::FrontMatter {
        meta,
        body: body.to_owned(),
        key_lines,
    })
}

/// Warns about keys that repeat (a hostile block may repeat thousands: name a few, count the
/// rest).
fn warn_duplicate_keys(
    rel: &str,
    yaml: &str,
    duplicate_keys: Vec<String>,
    key_lines: &[(String, usize)],
    diagnostics: &mut Vec<Diagnostic>,
) {
    let duplicates = duplicate_keys.len();
    let line_of: std::collections::HashMap<&str, usize> =
        key_lines.iter().map(|(k, l)| (k.as_str(), *l)).collect();
    let repeated = front_matter::repeated_top_level_keys(yaml);
    // A hostile block may repeat thousands of keys: name a few, count the rest.
    for key in duplicate_keys.into_iter().take(MAX_DUPLICATE_WARNINGS) {
        let warning = Diagnostic::warning(
            rel,
            format!("duplicate key `{key}` in front matter; the last value is kept"),
        );
        diagnostics.push(match line_of.get(key.as_str()) {
            Some(&line) if repeated.contains(&key) => warning.at(line, None),
            _ => warning,
        });
    }
    if duplicates > MAX_DUPLICATE_WARNINGS {
        diagnostics.push(Diagnostic::warning(
            rel,
            format!(
                "{} more duplicate keys in front matter; the last value of each is kept",
                duplicates - MAX_DUPLICATE_WARNINGS
            ),
        ));
    }
}

fn describe(value: &Value) -> &'static str {
    match value {
        Value::Null => "empty",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a line of text",
        Value::Array(_) => "a list",
        Value::Object(_) => "a mapping",
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diag::Severity;

    fn error_of(bytes: &[u8]) -> Diagnostic {
        let parsed = parse_file("f.md", bytes);
        assert!(parsed.parsed.is_none(), "{parsed:?}");
        parsed.diagnostics[0].clone()
    }

    #[test]
    fn front_matter_with_bom_and_crlf() {
        let parsed = parse_file(
            "f.md",
            "\u{feff}---\r\ntitle: Hi\r\n---\r\nText\r\n".as_bytes(),
        );
        match parsed.parsed {
            Some(Parsed::FrontMatter { meta, body, .. }) => {
                assert_eq!(meta["title"], "Hi");
                assert_eq!(body, "Text");
            }
            other => panic!("{other:?}"),
        }
        assert!(parsed.diagnostics.is_empty());
    }

    #[test]
    fn yaml_errors_point_at_the_file_line() {
        let err = error_of(b"\n---\ntitle: ok\nexcerpt: a: b\n---\n");
        assert_eq!(err.severity, Severity::Error);
        assert_eq!(err.line, Some(4));
        assert!(err.to_string().starts_with("f.md:4:"), "{err}");
    }

    #[test]
    fn skips_with_reasons() {
        let empty = error_of(b"");
        assert_eq!(empty.severity, Severity::Warning);
        assert!(empty.message.contains("empty"));
        assert!(error_of(b"  \n\n").message.contains("empty"));
        assert!(error_of(b"abc\0def").message.contains("binary"));
        let toml = error_of(b"+++\ntitle = 'x'\n+++\n");
        assert_eq!((toml.severity, toml.line), (Severity::Error, Some(1)));
        let unclosed = error_of(b"\n---\ntitle: x\n");
        assert_eq!(unclosed.line, Some(2));
        let rule = error_of(b"---\nJust some prose under a rule.\n---\n");
        assert!(rule.message.contains("not a mapping"), "{rule}");
    }

    #[test]
    fn lossy_utf8_is_kept_with_a_warning() {
        let parsed = parse_file("f.md", b"---\ntitle: caf\xe9\n---\n");
        match &parsed.parsed {
            Some(Parsed::FrontMatter { meta, .. }) => assert_eq!(meta["title"], "caf\u{fffd}"),
            other => panic!("{other:?}"),
        }
        assert_eq!(parsed.diagnostics.len(), 1);
        assert_eq!(parsed.diagnostics[0].line, Some(2));
    }

    #[test]
    fn utf16_with_a_bom_is_decoded() {
        let text = "\u{feff}---\r\ntitle: Caf\u{e9}\r\n---\r\nBody\r\n";
        let le: Vec<u8> = text.encode_utf16().flat_map(u16::to_le_bytes).collect();
        let be: Vec<u8> = text.encode_utf16().flat_map(u16::to_be_bytes).collect();
        for bytes in [le, be] {
            let parsed = parse_file("u.md", &bytes);
            match &parsed.parsed {
                Some(Parsed::FrontMatter { meta, body, .. }) => {
                    assert_eq!(
                        (meta["title"].as_str(), body.as_str()),
                        (Some("Caf\u{e9}"), "Body")
                    );
                }
                other => panic!("{other:?}"),
            }
            assert!(parsed.diagnostics.is_empty());
        }
        // Without a BOM, NUL bytes still mean binary.
        assert!(error_of(&[b'a', 0, b'b', 0]).message.contains("binary"));
        // A lone surrogate is decoded with a replacement character and a warning.
        let parsed = parse_file("s.txt", &[0xff, 0xfe, b'a', 0, 0x00, 0xd8]);
        assert_eq!(parsed.diagnostics.len(), 1);
        assert!(parsed.diagnostics[0].message.contains("UTF-16LE"));
    }

    #[test]
    fn unclosed_rule_above_prose_is_a_body_file() {
        let parsed = parse_file("sig.md", b"---\nTom Example\nexample.org/tom\n");
        match &parsed.parsed {
            Some(Parsed::Body(body)) => assert_eq!(body.text, "Tom Example\nexample.org/tom"),
            other => panic!("{other:?}"),
        }
        assert_eq!(parsed.diagnostics.len(), 1);
        assert_eq!(parsed.diagnostics[0].severity, Severity::Warning);
        assert_eq!(parsed.diagnostics[0].line, Some(1));
        let unclosed = error_of(b"---\nlayout: post\ntitle: x\n\nText.\n");
        assert_eq!(unclosed.severity, Severity::Error);
    }

    #[test]
    fn body_files_and_duplicates() {
        let parsed = parse_file("b.txt", b" date 2020-06-10 Text here.");
        assert!(matches!(
            parsed.parsed,
            Some(Parsed::Body(BodyText { date: Some(_), .. }))
        ));
        let parsed = parse_file("d.md", b"---\ntitle: a\ntitle: b\n---\n");
        assert_eq!(parsed.diagnostics.len(), 1);
        assert_eq!(parsed.diagnostics[0].severity, Severity::Warning);
        let many: String = (0..500).map(|i| format!("k{i}: 1\nk{i}: 2\n")).collect();
        let parsed = parse_file("m.md", format!("---\n{many}---\n").as_bytes());
        assert_eq!(parsed.diagnostics.len(), MAX_DUPLICATE_WARNINGS + 1);
        let nested = parse_file(
            "n.md",
            b"---\ntitle: t\nprovider:\n  name: a\n  name: b\n---\n",
        );
        assert_eq!(
            (nested.diagnostics.len(), nested.diagnostics[0].line),
            (1, None)
        );
        assert!(parsed.diagnostics[MAX_DUPLICATE_WARNINGS]
            .message
            .starts_with("490 more"));
    }
}
