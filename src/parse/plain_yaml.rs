//! A fast reader for the plain, block-style YAML that front matter nearly always is: `key:
//! value` lines, nested mappings and `- item` lists by indentation, plain and quoted one-line
//! scalars. serde_yaml (libyaml) spends most of a build's parsing time building an event list
//! and a value tree for exactly this shape; this reader does it in one pass over the lines.
//!
//! It never guesses: anything outside that subset (comments, flow `[...]`/`{...}`, block
//! scalars `|`/`>`, anchors, tags, multi-line scalars, tabs, odd indentation, control
//! characters, duplicate keys, quoted keys…) returns `None`, and the caller parses the block
//! with serde_yaml, which also produces the errors with their lines. So the result of a block
//! this reader accepts must be exactly serde_yaml's: plain scalars are resolved by a copy of
//! serde_yaml 0.9's own rules (`resolve_plain`), and tests compare both readers on generated
//! blocks.

use serde_json::{Map, Number, Value};

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
            // The item's content starts a node at its own column: re-read this line from there
            // (`- key: v` opens a mapping at that column, `- - x` a nested list).
            let column = indent + 1 + (after_dash.len() - rest.len());
            if is_item(rest) || split_key(rest).is_some() {
                self.lines[self.at] = Line {
                    indent: column,
                    content: rest,
                    number: line.number,
                };
                let value = if is_item(rest) {
                    Value::Array(self.sequence(column)?)
                } else {
                    Value::Object(self.mapping(column, false)?)
                };
                items.push(value);
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

fn resolves_to_non_string(plain: &str) -> bool {
    matches!(
        plain,
        "null" | "Null" | "NULL" | "true" | "True" | "TRUE" | "false" | "False" | "FALSE"
    )
}

/// A one-line scalar (not empty, leading spaces removed).
fn scalar(text: &str) -> Option<Value> {
    let text = text.trim_end_matches(' ');
    let first = text.as_bytes()[0];
    match first {
        b'"' => double_quoted(text).map(Value::String),
        b'\'' => single_quoted(text).map(Value::String),
        // Indicators that start something else (flow collections, block scalars, anchors,
        // aliases, tags, comments, directives, reserved characters, complex keys).
        b'[' | b']' | b'{' | b'}' | b',' | b'|' | b'>' | b'&' | b'*' | b'!' | b'#' | b'%'
        | b'@' | b'`' | b'?' | b':' | b'-'
            if !is_negative_number_start(text) =>
        {
            None
        }
        _ => {
            // `: ` would open a mapping and ` #` a comment; a trailing `:` is a key.
            if text.contains(": ") || text.contains(" #") || text.ends_with(':') {
                return None;
            }
            Some(resolve_plain(text))
        }
    }
}

fn is_negative_number_start(text: &str) -> bool {
    text.strip_prefix('-')
        .is_some_and(|rest| rest.starts_with(|c: char| c.is_ascii_digit() || c == '.'))
}

/// `"…"` on one line, with the usual escapes; anything else after the closing quote, or an
/// escape this reader does not know, returns `None`.
fn double_quoted(text: &str) -> Option<String> {
    let inner = &text[1..];
    let mut out = String::with_capacity(inner.len());
    let mut chars = inner.char_indices();
    while let Some((at, c)) = chars.next() {
        match c {
            '"' => {
                return inner[at + 1..]
                    .trim_end_matches(' ')
                    .is_empty()
                    .then_some(out);
            }
            '\\' => {
                let (_, escape) = chars.next()?;
                let decoded = match escape {
                    '"' => '"',
                    '\\' => '\\',
                    '/' => '/',
                    'n' => '\n',
                    't' => '\t',
                    'r' => '\r',
                    '0' => '\0',
                    'a' => '\u{7}',
                    'b' => '\u{8}',
                    'e' => '\u{1b}',
                    'f' => '\u{c}',
                    'v' => '\u{b}',
                    ' ' => ' ',
                    'N' => '\u{85}',
                    '_' => '\u{a0}',
                    'L' => '\u{2028}',
                    'P' => '\u{2029}',
                    'x' | 'u' | 'U' => {
                        let digits = match escape {
                            'x' => 2,
                            'u' => 4,
                            _ => 8,
                        };
                        let mut code = 0u32;
                        for _ in 0..digits {
                            let (_, digit) = chars.next()?;
                            code = code * 16 + digit.to_digit(16)?;
                        }
                        char::from_u32(code)?
                    }
                    _ => return None,
                };
                out.push(decoded);
            }
            _ => out.push(c),
        }
    }
    None
}

/// `'…'` on one line, `''` standing for `'`.
fn single_quoted(text: &str) -> Option<String> {
    let inner = &text[1..];
    let mut out = String::with_capacity(inner.len());
    let mut rest = inner;
    loop {
        let quote = rest.find('\'')?;
        out.push_str(&rest[..quote]);
        rest = &rest[quote + 1..];
        match rest.strip_prefix('\'') {
            Some(after) => {
                out.push('\'');
                rest = after;
            }
            None => return rest.trim_end_matches(' ').is_empty().then_some(out),
        }
    }
}

/// What serde_yaml 0.9 makes of an untagged plain scalar (`visit_untagged_scalar` in its
/// `de.rs`), as our visitor turns it into JSON: null, booleans, integers (decimal, `0x`, `0o`,
/// `0b`; those beyond 64 bits as text), finite floats, `.inf`/`.nan` as text, else text.
fn resolve_plain(text: &str) -> Value {
    if text == "~" || text == "null" || text == "Null" || text == "NULL" {
        return Value::Null;
    }
    match text {
        "true" | "True" | "TRUE" => return Value::Bool(true),
        "false" | "False" | "FALSE" => return Value::Bool(false),
        _ => {}
    }
    // Every number starts with a digit, a sign or a dot; the common case is plain text.
    if !text.starts_with(|c: char| c.is_ascii_digit() || matches!(c, '+' | '-' | '.')) {
        return Value::String(text.to_owned());
    }
    if let Some(int) = parse_unsigned_int(text, u64::from_str_radix) {
        return Value::Number(int.into());
    }
    if let Some(int) = parse_negative_int(text, i64::from_str_radix) {
        return Value::Number(int.into());
    }
    if let Some(int) = parse_unsigned_int(text, u128::from_str_radix) {
        return Value::String(int.to_string());
    }
    if let Some(int) = parse_negative_int(text, i128::from_str_radix) {
        return Value::String(int.to_string());
    }
    if !digits_but_not_number(text) {
        if let Some(float) = parse_f64(text) {
            return Number::from_f64(float)
                .map_or_else(|| Value::String(float.to_string()), Value::Number);
        }
    }
    Value::String(text.to_owned())
}

type FromStrRadix<T> = fn(&str, u32) -> Result<T, std::num::ParseIntError>;

fn parse_unsigned_int<T>(scalar: &str, from_str_radix: FromStrRadix<T>) -> Option<T> {
    let unpositive = scalar.strip_prefix('+').unwrap_or(scalar);
    for (prefix, radix) in [("0x", 16), ("0o", 8), ("0b", 2)] {
        if let Some(rest) = unpositive.strip_prefix(prefix) {
            if rest.starts_with(['+', '-']) {
                return None;
            }
            if let Ok(int) = from_str_radix(rest, radix) {
                return Some(int);
            }
        }
    }
    if unpositive.starts_with(['+', '-']) {
        return None;
    }
    if digits_but_not_number(scalar) {
        return None;
    }
    from_str_radix(unpositive, 10).ok()
}

fn parse_negative_int<T>(scalar: &str, from_str_radix: FromStrRadix<T>) -> Option<T> {
    for (prefix, radix) in [("-0x", 16), ("-0o", 8), ("-0b", 2)] {
        if let Some(rest) = scalar.strip_prefix(prefix) {
            if let Ok(int) = from_str_radix(&format!("-{rest}"), radix) {
                return Some(int);
            }
        }
    }
    if digits_but_not_number(scalar) {
        return None;
    }
    from_str_radix(scalar, 10).ok()
}

fn parse_f64(scalar: &str) -> Option<f64> {
    let unpositive = match scalar.strip_prefix('+') {
        Some(unpositive) if unpositive.starts_with(['+', '-']) => return None,
        Some(unpositive) => unpositive,
        None => scalar,
    };
    if let ".inf" | ".Inf" | ".INF" = unpositive {
        return Some(f64::INFINITY);
    }
    if let "-.inf" | "-.Inf" | "-.INF" = scalar {
        return Some(f64::NEG_INFINITY);
    }
    if let ".nan" | ".NaN" | ".NAN" = scalar {
        return Some(f64::NAN.copysign(1.0));
    }
    unpositive.parse::<f64>().ok().filter(|f| f.is_finite())
}

/// Leading zeros followed by digits make a string in YAML 1.2 (`0123`).
fn digits_but_not_number(scalar: &str) -> bool {
    let scalar = scalar.strip_prefix(['-', '+']).unwrap_or(scalar);
    scalar.len() > 1 && scalar.starts_with('0') && scalar[1..].bytes().all(|b| b.is_ascii_digit())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::parse::front_matter::parse_yaml_fully;

    /// The fast reader takes `yaml` and agrees with serde_yaml on it.
    fn assert_same(yaml: &str) -> PlainYaml {
        let plain = parse_plain(yaml).unwrap_or_else(|| panic!("declined: {yaml:?}"));
        let full = parse_yaml_fully(yaml).unwrap_or_else(|e| panic!("{e:?} for {yaml:?}"));
        assert_eq!(Value::Object(plain.map.clone()), full.value, "{yaml:?}");
        assert_eq!(plain.key_lines, full.key_lines, "{yaml:?}");
        assert!(full.duplicate_keys.is_empty());
        plain
    }

    fn assert_declined(yaml: &str) {
        assert!(parse_plain(yaml).is_none(), "accepted: {yaml:?}");
    }

    const ARTICLE: &str = r#"category: news
title: "Port authority \"reviews\" night ferries – again"
excerpt: 'It''s the third review in a year: the board meets on Monday.'
publishedDateTime: 2022-03-04T05:06:07Z
webUrl: "https://example.com/a?x=1&y=2#frag"
type: article
quality: 57
heat: -3
published: false
score: 1.5e3

provider:
  name: Harbour Times
  domain: harbour.example

topics:
  - Ports
  - 2024
  - "Ferries"

images:
  - url: "https://img.example/a.jpg"
    width: 700
    isCached: true
  -
    url: b.jpg

related:
- title: Other story, with commas [and brackets]
  webUrl: https://other.example/x
  empty:
- - nested
  - list
secured: abc+def/ghi==
"#;

    #[test]
    fn reads_a_seed_shaped_block_like_serde_yaml() {
        let plain = assert_same(ARTICLE);
        assert_eq!(plain.key_lines[0], ("category".to_owned(), 1));
        assert_eq!(plain.map["topics"][1], Value::from(2024));
        assert_same(&ARTICLE.replace('\n', "\r\n"));
    }

    #[test]
    fn plain_scalars_resolve_as_serde_yaml_does() {
        for value in [
            "~",
            "null",
            "Null",
            "NULL",
            "true",
            "True",
            "FALSE",
            "yes",
            "no",
            "on",
            "0",
            "00",
            "0123",
            "-0123",
            "+12",
            "-12",
            "1_000",
            "0x1F",
            "-0x1F",
            "0o17",
            "0b101",
            "+0x1F",
            "0x",
            "1.5",
            "-1.5",
            ".5",
            "5.",
            "1e3",
            "-1E-3",
            ".inf",
            "-.Inf",
            "+.inf",
            ".nan",
            ".NaN",
            "nan",
            "inf",
            "infinity",
            "+",
            ".",
            "1.2.3",
            "2022-03-04",
            "2022-03-04T05:06:07Z",
            "12:30",
            "18446744073709551615",
            "18446744073709551616",
            "-9223372036854775808",
            "-9223372036854775809",
            "99999999999999999999999999999999999999999",
            "1e400",
            "-1e400",
            "0.1",
            "Kyōto café",
            "a'b\"c",
            "x[1]{2},3",
            "-5 apples",
        ] {
            assert_same(&format!("k: {value}\n"));
        }
    }

    #[test]
    fn quoted_scalars_decode_escapes() {
        for value in [
            r#""""#,
            r#""a \"b\" \\ \/ \t \n \r \0 \a \b \e \f \v \  \N \_ \L \P""#,
            r#""\x41\u00e9\U0001F600""#,
            r##""# not a comment""##,
            "''",
            "'a''b'",
            "'\\n stays'",
            "\"trailing spaces\"   ",
        ] {
            assert_same(&format!("k: {value}\n"));
        }
    }

    #[test]
    fn declines_what_it_does_not_read() {
        for yaml in [
            "# comment\nk: v\n",
            "k: v # comment\n",
            "k: [a, b]\n",
            "k: {a: 1}\n",
            "k: |\n  text\n",
            "k: >\n  text\n",
            "k: &a v\nl: *a\n",
            "k: !tag v\n",
            "k: v\n  continued\n",
            "k: \"open\n  close\"\n",
            "k:\tv\n",
            "\"k\": v\n",
            "k : v\n",
            "k: a: b\n",
            "k: v:\n",
            "k: -\n",
            "k: v\nk: w\n",
            "  k: v\n",
            "- a\n- b\n",
            "just text\n",
            "k: \"a\" b\n",
            "k: \"\\q\"\n",
            "k: \"\\ud800\"\n",
            "k: a\rb\n",
            "k: a\u{85}b\n",
            "k: a\u{2028}b\n",
            "k:\n    a: 1\n  b: 2\n",
            "k:\n  - a\n    - b\n",
            "Null: v\n",
            "True: v\n",
            "1: v\n",
            "%YAML 1.2\nk: v\n",
            "",
            "\n  \n",
        ] {
            assert_declined(yaml);
        }
    }

    #[test]
    fn deep_nesting_and_long_keys_go_to_serde_yaml() {
        let dashes = format!("k: x\nl:\n{}x\n", "- ".repeat(100_000));
        assert_declined(&dashes);
        let mut deep = String::new();
        for level in 0..200 {
            deep.push_str(&format!("{}k{level}:\n", " ".repeat(level)));
        }
        deep.push_str(&format!("{}leaf: 1\n", " ".repeat(200)));
        assert_declined(&deep);
        assert!(
            parse_yaml_fully(&deep).is_err(),
            "serde_yaml refuses it too"
        );
        assert_same(&format!("{}: 1\n", "k".repeat(MAX_KEY_LEN)));
        assert_declined(&format!("{}: 1\n", "k".repeat(2_000)));
        assert!(parse_yaml_fully(&format!("{}: 1\n", "k".repeat(2_000))).is_err());
    }

    #[test]
    fn a_list_may_sit_at_its_key_column() {
        let plain = assert_same("topics:\n- a\n- b\nnext: 1\n");
        assert_eq!(plain.map["topics"], serde_json::json!(["a", "b"]));
    }

    #[test]
    fn every_fixture_and_seed_agrees() {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
        let mut accepted = 0;
        let mut files = Vec::new();
        for dir in ["fixtures/archive", "../shared/seeds"] {
            let Ok(walk) = std::fs::read_dir(root.join(dir)) else {
                continue;
            };
            files.extend(walk.flatten().map(|e| e.path()));
        }
        let mut more: Vec<_> = files.clone();
        while let Some(path) = more.pop() {
            if path.is_dir() {
                for entry in std::fs::read_dir(&path).unwrap().flatten() {
                    more.push(entry.path());
                    files.push(entry.path());
                }
            }
        }
        for path in files.iter().filter(|p| p.is_file()) {
            let bytes = std::fs::read(path).unwrap();
            let Ok(text) = std::str::from_utf8(&bytes) else {
                continue;
            };
            let text = text.strip_prefix('\u{feff}').unwrap_or(text);
            if let crate::parse::front_matter::Fences::Yaml { yaml, .. } =
                crate::parse::front_matter::split_front_matter(text)
            {
                if parse_plain(yaml).is_some() {
                    assert_same(yaml);
                    accepted += 1;
                }
            }
        }
        assert!(
            accepted >= 20,
            "only {accepted} fixtures took the fast path"
        );
    }
}

#[cfg(test)]
mod properties {
    use crate::parse::front_matter::fast_path_agrees;
    use proptest::prelude::*;

    #[derive(Debug, Clone)]
    enum Node {
        Scalar(String),
        Map(Vec<(String, Node)>),
        Seq(Vec<Node>),
    }

    /// Keys and scalars the fast reader takes, and ones on the edges of its subset.
    const KEYS: &[&str] = &["a", "b", "title", "k-1", "_x", "a.b", "c", "d", "e", "f"];
    const EDGE_KEYS: &[&str] = &["null", "True", "1", "\"q\"", "k x", "a"];
    const SCALARS: &[&str] = &[
        "v",
        "0",
        "-1",
        "1.5",
        ".inf",
        "0x1f",
        "012",
        "~",
        "yes",
        "true",
        "\"q \\\" x\"",
        "'it''s'",
        "2024-01-02T03:04:05Z",
        "é ü",
        "\\u00e9",
        "\"\\u00e9\"",
        "a,b",
        "-5",
        "+.5",
        "1e9",
        "Kyōto",
        "\"a#b\"",
        "a'b",
        "null",
        "\"\"",
        "''",
        "v  ",
        "a:b",
        "x]",
        "18446744073709551616",
        "-0x10",
        ".NaN",
        "+12",
        "1_0",
    ];
    const EDGE_SCALARS: &[&str] = &[
        "'open",
        "\"open",
        "a: b",
        "a #c",
        "#c",
        "[1]",
        "{a: 1}",
        "|",
        ">",
        "&x v",
        "*x",
        "!t v",
        "- x",
        "-",
        "x:",
        "\"\\x\"",
        "% a",
        "@a",
        "?",
        ":x",
        "\u{85}",
        "x\ry",
        "\"\\ud800\"",
        "\"a\" b",
    ];

    fn key() -> impl Strategy<Value = &'static str> {
        prop_oneof![
            9 => prop::sample::select(KEYS),
            1 => prop::sample::select(EDGE_KEYS),
        ]
    }

    fn node() -> impl Strategy<Value = Node> {
        let scalar = prop_oneof![
            19 => prop::sample::select(SCALARS),
            1 => prop::sample::select(EDGE_SCALARS),
        ]
        .prop_map(|s| Node::Scalar(s.to_owned()));
        scalar.prop_recursive(4, 40, 5, |inner| {
            prop_oneof![
                prop::collection::vec((key(), inner.clone()), 1..5).prop_map(|entries| Node::Map(
                    entries
                        .into_iter()
                        .map(|(k, v)| (k.to_owned(), v))
                        .collect()
                )),
                prop::collection::vec(inner, 1..4).prop_map(Node::Seq),
            ]
        })
    }

    fn pick(state: &mut u64, n: u64) -> u64 {
        *state = state
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        (*state >> 33) % n
    }

    /// Renders `node` in block style, varying the layout with `choice`.
    fn render(node: &Node, indent: usize, choice: &mut u64, out: &mut Vec<String>) {
        let pad = " ".repeat(indent);
        match node {
            Node::Scalar(text) => out.push(format!("{pad}{text}")),
            Node::Map(entries) => {
                for (key, value) in entries {
                    match value {
                        Node::Scalar(text) => out.push(format!("{pad}{key}: {text}")),
                        Node::Map(_) => {
                            out.push(format!("{pad}{key}:"));
                            let step = [1, 2, 4][pick(choice, 3) as usize];
                            render(value, indent + step, choice, out);
                        }
                        Node::Seq(_) => {
                            out.push(format!("{pad}{key}:"));
                            let step = [0, 2][pick(choice, 2) as usize];
                            render(value, indent + step, choice, out);
                        }
                    }
                }
            }
            Node::Seq(items) => {
                for item in items {
                    let mut inner = Vec::new();
                    if matches!(item, Node::Scalar(_)) || pick(choice, 2) == 0 {
                        render(item, indent + 2, choice, &mut inner);
                        let first = inner[0][indent + 2..].to_owned();
                        out.push(format!("{pad}- {first}"));
                        out.extend(inner.into_iter().skip(1));
                    } else {
                        out.push(format!("{pad}-"));
                        render(item, indent + 2, choice, out);
                    }
                }
            }
        }
    }

    /// Small damage to one line, so that blocks just outside the subset are tried too.
    fn mutate(lines: &mut [String], choice: u64) {
        let at = (choice as usize / 7) % lines.len();
        let line = &mut lines[at];
        match choice % 7 {
            0 => line.insert(0, ' '),
            1 => {
                if let Some(c) = line.pop() {
                    if !c.is_ascii() {
                        line.push(c);
                    }
                }
            }
            2 => line.push_str(" #c"),
            3 => line.push(':'),
            4 => *line = line.trim_start().to_owned(),
            _ => {}
        }
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(3000))]

        #[test]
        fn whatever_it_accepts_serde_yaml_reads_the_same(
            entries in prop::collection::vec((key(), node()), 1..6),
            choice in any::<u64>(),
            damage in prop::bool::weighted(0.2),
            crlf in any::<bool>(),
        ) {
            let top = Node::Map(entries.into_iter().map(|(k, v)| (k.to_owned(), v)).collect());
            let mut lines = Vec::new();
            let mut state = choice;
            render(&top, 0, &mut state, &mut lines);
            if damage {
                mutate(&mut lines, choice);
            }
            let eol = if crlf { "\r\n" } else { "\n" };
            let yaml = lines.join(eol) + eol;
            prop_assert!(fast_path_agrees(&yaml), "the readers disagree on {:?}", yaml);
        }
    }
}
