//! A fast reader for the plain, block-style YAML that front matter nearly always is: `key:
//! value` lines, nested mappings and `- item` lists by indentation, plain and quoted one-line
//! scalars. serde_yaml (libyaml) spends most of a build's parsing time building an event list
//! and a value tree for exactly this shape; this reader does it in one pass over the lines.
//!
//! It never guesses: anything outside that subset (comments, flow `[...]`/`{...}`, block
//! scalars `|`/`>`, anchors, tags, multi-line scalars, tabs, odd indentation, control
//! characters, duplicate keys, quoted keys…) returns `None`, and the caller parses the block
//! with serde_yaml, which also produces the errors with their lines. So the result of a block
//! this reader accepts must be exactly serde_yaml's: `scalars` resolves the common plain
//! scalars as serde_yaml 0.9 does and declines the rare forms, and a property test and a fuzz
//! target (`yaml_fast_path`) compare both readers.

mod scalars;
#[cfg(test)]
mod tests;

use serde_json::{Map, Value};

use scalars::{resolves_to_non_string, scalar};

/// A block read by the fast path.
#[derive(Debug, Clone, PartialEq)]
pub struct PlainYaml {
    /// The top-level mapping, keys in file order.
    pub map: Map<String, Value>,
    /// The 1-based line (within the block) of each top-level key, in order.
    pub key_lines: Vec<(String, usize)>,
}

/// One non-blank line: its indentation (spaces) and the rest, trailing spaces kept.
#[derive(Debug, Clone, Copy)]
struct Line<'a> {
    indent: usize,
    content: &'a str,
    /// 1-based line within the block.
    number: usize,
}

/// Reads `yaml` if it is plain block-style YAML whose top level is a mapping at the left
/// margin; `None` means "use the full parser".
pub fn parse_plain(yaml: &str) -> Option<PlainYaml> {
    if !only_plain_characters(yaml) {
        return None;
    }
    let mut lines = Vec::with_capacity(64);
    for (index, raw) in yaml.split('\n').enumerate() {
        let raw = raw.strip_suffix('\r').unwrap_or(raw);
        let content = raw.trim_start_matches(' ');
        if content.trim_end_matches(' ').is_empty() {
            continue;
        }
        lines.push(Line {
            indent: raw.len() - content.len(),
            content,
            number: index + 1,
        });
    }
    let first = lines.first()?;
    if first.indent != 0 {
        return None;
    }
    let mut reader = Reader {
        lines,
        at: 0,
        key_lines: Vec::new(),
        depth: 0,
    };
    let map = reader.mapping(0, true)?;
    (reader.at == reader.lines.len()).then_some(PlainYaml {
        map,
        key_lines: reader.key_lines,
    })
}

/// Whether every character is one libyaml takes without complaint and the line structure is
/// `\n` or `\r\n` only. Tabs are refused too: they are legal in some places and an error in
/// others, and front matter rarely has them.
fn only_plain_characters(yaml: &str) -> bool {
    let bytes = yaml.as_bytes();
    for (at, &byte) in bytes.iter().enumerate() {
        match byte {
            b' '..=b'~' | b'\n' => {}
            b'\r' if bytes.get(at + 1) == Some(&b'\n') => {}
            0x80.. => {}
            _ => return false,
        }
    }
    // Non-ASCII: C1 controls (NEL is a line break to libyaml), the Unicode line and paragraph
    // separators, a BOM inside the text, and the non-characters.
    yaml.is_ascii()
        || !yaml.chars().any(|c| {
            matches!(
                c,
                '\u{80}'
                    ..='\u{9f}' | '\u{2028}' | '\u{2029}' | '\u{feff}' | '\u{fffe}' | '\u{ffff}'
            )
        })
}

/// Nesting deeper than this is left to serde_yaml, which refuses more than 128 levels; the
/// recursion here must not get near the thread's stack either (`- - - - …` on one line).
const MAX_DEPTH: usize = 64;

/// Keys longer than this are left to serde_yaml: libyaml refuses implicit keys of 1024
/// characters or more.
const MAX_KEY_LEN: usize = 512;

struct Reader<'a> {
    lines: Vec<Line<'a>>,
    at: usize,
    key_lines: Vec<(String, usize)>,
    /// Mappings and lists open around the current line.
    depth: usize,
}

impl<'a> Reader<'a> {
    fn peek(&self) -> Option<Line<'a>> {
        self.lines.get(self.at).copied()
    }

    /// The block that starts at the next line, which must be indented more than `parent`.
    fn nested(&mut self, parent: usize) -> Option<Value> {
        let line = self.peek()?;
        if line.indent <= parent {
            return None;
        }
        if is_item(line.content) {
            self.sequence(line.indent).map(Value::Array)
        } else {
            self.mapping(line.indent, false).map(Value::Object)
        }
    }

    /// A mapping whose keys are at column `indent`.
    fn mapping(&mut self, indent: usize, top: bool) -> Option<Map<String, Value>> {
        self.depth += 1;
        if self.depth > MAX_DEPTH {
            return None;
        }
        let mut map = Map::new();
        while let Some(line) = self.peek() {
            if line.indent < indent {
                break;
            }
            if line.indent > indent {
                return None;
            }
            if is_item(line.content) {
                // A list at the key's own column only belongs to a key with no value, which
                // is handled below; anywhere else it ends this mapping (in a list item) or is
                // an error.
                if top {
                    return None;
                }
                break;
            }
            let (key, rest) = split_key(line.content)?;
            if map.contains_key(key) {
                return None;
            }
            self.at += 1;
            let value = if rest.is_empty() {
                match self.peek() {
                    Some(next) if next.indent > indent => self.nested(indent)?,
                    Some(next) if next.indent == indent && is_item(next.content) => {
                        Value::Array(self.sequence(indent)?)
                    }
                    _ => Value::Null,
                }
            } else {
                self.scalar_alone(rest, indent)?
            };
            if top {
                self.key_lines.push((key.to_owned(), line.number));
            }
            map.insert(key.to_owned(), value);
        }
        self.depth -= 1;
        (!map.is_empty()).then_some(map)
    }

    /// A list whose `-` are at column `indent`.
    fn sequence(&mut self, indent: usize) -> Option<Vec<Value>> {
        self.depth += 1;
        if self.depth > MAX_DEPTH {
            return None;
        }
        let mut items = Vec::new();
        while let Some(line) = self.peek() {
            if line.indent < indent || (line.indent == indent && !is_item(line.content)) {
                break;
            }
            if line.indent > indent {
                return None;
            }
            let after_dash = &line.content[1..];
            let rest = after_dash.trim_start_matches(' ');
            if rest.trim_end_matches(' ').is_empty() {
                self.at += 1;
                items.push(match self.peek() {
                    Some(next) if next.indent > indent => self.nested(indent)?,
                    _ => Value::Null,
                });
                continue;
            }
            // A list in a list item (`- - x`) is rare in front matter: serde_yaml reads it.
            if is_item(rest) {
                return None;
            }
            // `- key: v` opens a mapping at the column of `key`: re-read this line from there.
            if split_key(rest).is_some() {
                let column = indent + 1 + (after_dash.len() - rest.len());
                self.lines[self.at] = Line {
                    indent: column,
                    content: rest,
                    number: line.number,
                };
                items.push(Value::Object(self.mapping(column, false)?));
                continue;
            }
            self.at += 1;
            items.push(self.scalar_alone(rest, indent)?);
        }
        self.depth -= 1;
        Some(items)
    }

    /// A one-line scalar; a following line indented under its parent would continue it (or be
    /// an error), which this reader leaves to the full parser.
    fn scalar_alone(&self, text: &str, parent: usize) -> Option<Value> {
        if self.peek().is_some_and(|next| next.indent > parent) {
            return None;
        }
        scalar(text)
    }
}

/// A list item line: `-` then a space or the end of the line.
fn is_item(content: &str) -> bool {
    content
        .strip_prefix('-')
        .is_some_and(|rest| rest.is_empty() || rest.starts_with(' '))
}

/// Splits `key: rest` (or `key:`), for keys of letters, digits, `_`, `-` and `.` starting
/// with a letter or `_` that serde_yaml reads as that very text. `rest` is trimmed.
fn split_key(content: &str) -> Option<(&str, &str)> {
    let end = content
        .bytes()
        .position(|b| !(b.is_ascii_alphanumeric() || matches!(b, b'_' | b'-' | b'.')))?;
    let (key, after) = content.split_at(end);
    if key.len() > MAX_KEY_LEN {
        return None;
    }
    let first = key.bytes().next()?;
    if !(first.is_ascii_alphabetic() || first == b'_') || resolves_to_non_string(key) {
        return None;
    }
    let rest = after.strip_prefix(':')?;
    if !(rest.is_empty() || rest.starts_with(' ')) {
        return None;
    }
    Some((key, rest.trim_matches(' ')))
}
