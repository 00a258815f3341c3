//! Front matter: finding the `---` fences and reading the YAML between them.
//!
//! This is the only module that uses `serde_yaml` (archived upstream, so keep it contained: a
//! switch to a maintained fork is a one-file change). The YAML is read straight into a
//! `serde_json::Value`, which is what `meta` is anyway, through a visitor that lets a
//! duplicate key win last and remembers it, where serde_yaml's own `Value` refuses the block.

use std::cell::RefCell;
use std::fmt;

use serde::de::{self, Deserialize, Deserializer, MapAccess, SeqAccess, Visitor};
use serde_json::{Map, Number, Value};

use super::plain_yaml::parse_plain;

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
fn lines_with_offsets(text: &str) -> impl Iterator<Item = (usize, &str, usize)> {
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

/// The 1-based line within `yaml` of each top-level key (the last one when a key repeats).
fn top_level_key_lines(yaml: &str) -> Vec<(String, usize)> {
    let mut lines: Vec<(String, usize)> = Vec::new();
    let mut position: std::collections::HashMap<String, usize> = std::collections::HashMap::new();
    for (key, line) in top_level_keys(yaml) {
        // A repeated key keeps its last line (where the winning value is).
        match position.get(&key) {
            Some(&at) => lines[at].1 = line,
            None => {
                position.insert(key.clone(), lines.len());
                lines.push((key, line));
            }
        }
    }
    lines
}

/// Top-level keys that appear more than once (duplicates inside nested mappings are not here,
/// so their warnings name no line rather than a wrong one).
pub fn repeated_top_level_keys(yaml: &str) -> std::collections::HashSet<String> {
    let mut seen = std::collections::HashSet::new();
    top_level_keys(yaml)
        .filter_map(|(key, _)| (!seen.insert(key.clone())).then_some(key))
        .collect()
}

/// Every `key:` line at the left margin, with its 1-based line.
fn top_level_keys(yaml: &str) -> impl Iterator<Item = (String, usize)> + '_ {
    lines_with_offsets(yaml)
        .enumerate()
        .filter_map(|(index, (_, line, _))| {
            let starts_key = line.chars().next().is_some_and(|c| {
                !c.is_whitespace() && !matches!(c, '#' | '-' | '[' | '{' | '|' | '>')
            });
            let colon = line.find(':').filter(|_| starts_key)?;
            Some((
                line[..colon].trim().trim_matches(['"', '\'']).to_owned(),
                index + 1,
            ))
        })
}

/// A YAML error, positioned within the YAML text (1-based).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct YamlError {
    /// 1-based line within the YAML block, when known.
    pub line: Option<usize>,
    /// 1-based column, when known.
    pub col: Option<usize>,
    /// The parser's message, without its own position.
    pub message: String,
}

/// A parsed YAML block.
#[derive(Debug, Clone, PartialEq)]
pub struct Yaml {
    /// The block as JSON, keys in file order.
    pub value: Value,
    /// Keys that appeared more than once in one mapping (the last value was kept).
    pub duplicate_keys: Vec<String>,
    /// The 1-based line (within the block) of each top-level key, the last one when a key
    /// repeats, so that warnings about a field can name its line.
    pub key_lines: Vec<(String, usize)>,
}

thread_local! {
    /// Duplicate keys seen by the visitor during the current `parse_yaml` call on this thread.
    static DUPLICATE_KEYS: RefCell<Vec<String>> = const { RefCell::new(Vec::new()) };
}

/// Parses one YAML block into JSON. Duplicate keys are kept (last wins) and reported.
///
/// Plain block-style YAML, which is nearly all front matter, goes through the fast reader of
/// `plain_yaml`; the rest (and every error) through serde_yaml.
pub fn parse_yaml(yaml: &str) -> Result<Yaml, YamlError> {
    if let Some(plain) = parse_plain(yaml) {
        return Ok(Yaml {
            value: Value::Object(plain.map),
            duplicate_keys: Vec::new(),
            key_lines: plain.key_lines,
        });
    }
    parse_yaml_fully(yaml)
}

/// For the fuzzer: false when the fast reader takes `yaml` but reads it otherwise than
/// serde_yaml.
#[doc(hidden)]
pub fn fast_path_agrees(yaml: &str) -> bool {
    match (parse_plain(yaml), parse_yaml_fully(yaml)) {
        (None, _) => true,
        (Some(plain), Ok(full)) => {
            Value::Object(plain.map) == full.value
                && plain.key_lines == full.key_lines
                && full.duplicate_keys.is_empty()
        }
        (Some(_), Err(_)) => false,
    }
}

/// Parses one YAML block with serde_yaml.
pub(super) fn parse_yaml_fully(yaml: &str) -> Result<Yaml, YamlError> {
    DUPLICATE_KEYS.with(|keys| keys.borrow_mut().clear());
    let parsed = serde_yaml::Deserializer::from_str(yaml)
        .next()
        .map(Lenient::deserialize)
        .transpose();
    let duplicate_keys = DUPLICATE_KEYS.with(|keys| std::mem::take(&mut *keys.borrow_mut()));
    match parsed {
        Ok(value) => Ok(Yaml {
            value: value.map_or(Value::Null, |lenient| lenient.0),
            duplicate_keys,
            key_lines: top_level_key_lines(yaml),
        }),
        Err(err) => {
            let location = err.location();
            let full = err.to_string();
            let message = match full.find(" at line ") {
                Some(at) => full[..at].to_owned(),
                None => full,
            };
            Err(YamlError {
                line: location.as_ref().map(|l| l.line()),
                col: location.as_ref().map(|l| l.column()),
                message,
            })
        }
    }
}

/// A JSON value read from YAML with duplicate keys tolerated.
struct Lenient(Value);

impl<'de> Deserialize<'de> for Lenient {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_any(LenientVisitor).map(Lenient)
    }
}

struct LenientVisitor;

impl<'de> Visitor<'de> for LenientVisitor {
    type Value = Value;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("any YAML value")
    }

    fn visit_bool<E>(self, v: bool) -> Result<Value, E> {
        Ok(Value::Bool(v))
    }
    fn visit_i64<E>(self, v: i64) -> Result<Value, E> {
        Ok(Value::Number(v.into()))
    }
    fn visit_u64<E>(self, v: u64) -> Result<Value, E> {
        Ok(Value::Number(v.into()))
    }
    fn visit_i128<E>(self, v: i128) -> Result<Value, E> {
        Ok(Value::String(v.to_string()))
    }
    fn visit_u128<E>(self, v: u128) -> Result<Value, E> {
        Ok(Value::String(v.to_string()))
    }
    fn visit_f64<E>(self, v: f64) -> Result<Value, E> {
        // JSON has no NaN or infinity: keep them as the text YAML would print.
        Ok(Number::from_f64(v).map_or_else(|| Value::String(v.to_string()), Value::Number))
    }
    fn visit_str<E>(self, v: &str) -> Result<Value, E> {
        Ok(Value::String(v.to_owned()))
    }
    fn visit_string<E>(self, v: String) -> Result<Value, E> {
        Ok(Value::String(v))
    }
    fn visit_unit<E>(self) -> Result<Value, E> {
        Ok(Value::Null)
    }
    fn visit_none<E>(self) -> Result<Value, E> {
        Ok(Value::Null)
    }
    fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<Value, D::Error> {
        Lenient::deserialize(d).map(|l| l.0)
    }
    fn visit_newtype_struct<D: Deserializer<'de>>(self, d: D) -> Result<Value, D::Error> {
        Lenient::deserialize(d).map(|l| l.0)
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Value, A::Error> {
        let mut items = Vec::new();
        while let Some(item) = seq.next_element::<Lenient>()? {
            items.push(item.0);
        }
        Ok(Value::Array(items))
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Value, A::Error> {
        let mut object = Map::new();
        while let Some(key) = map.next_key::<Lenient>()? {
            let key = match key.0 {
                Value::String(text) => text,
                Value::Null => "null".to_owned(),
                other => other.to_string(),
            };
            let value = map.next_value::<Lenient>()?.0;
            // Last value wins, in the first key's place (moving it would cost O(n) per duplicate).
            match object.get_mut(&key) {
                Some(slot) => {
                    *slot = value;
                    DUPLICATE_KEYS.with(|keys| keys.borrow_mut().push(key));
                }
                None => {
                    object.insert(key, value);
                }
            }
        }
        Ok(Value::Object(object))
    }

    fn visit_enum<A: de::EnumAccess<'de>>(self, data: A) -> Result<Value, A::Error> {
        // A tagged value (`!custom x`): keep the value, drop the tag.
        use de::VariantAccess;
        let (_tag, variant) = data.variant::<de::IgnoredAny>()?;
        variant.newtype_variant::<Lenient>().map(|l| l.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

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

    #[test]
    fn key_lines_are_found() {
        let lines = top_level_key_lines("title: a\ntopics:\n  - x\n# note\n'heat': 3\ntitle: b\n");
        assert_eq!(
            lines,
            [
                ("title".to_owned(), 6),
                ("topics".to_owned(), 2),
                ("heat".to_owned(), 5)
            ]
        );
    }

    #[test]
    fn yaml_becomes_json_in_file_order() {
        let parsed = parse_yaml("b: 1\na: [x, 2]\nc: {d: null}\ne: 1.5\n").unwrap();
        assert_eq!(
            parsed.value,
            json!({"b": 1, "a": ["x", 2], "c": {"d": null}, "e": 1.5})
        );
        let keys: Vec<_> = parsed.value.as_object().unwrap().keys().cloned().collect();
        assert_eq!(keys, ["b", "a", "c", "e"]);
        assert!(parsed.duplicate_keys.is_empty());
    }

    #[test]
    fn duplicate_keys_last_wins() {
        let parsed = parse_yaml("title: one\nquality: 3\ntitle: two\n").unwrap();
        assert_eq!(parsed.value, json!({"title": "two", "quality": 3}));
        assert_eq!(parsed.duplicate_keys, ["title"]);
    }

    #[test]
    fn errors_carry_a_position_without_repeating_it() {
        let err = parse_yaml("title: ok\nexcerpt: a: b\n").unwrap_err();
        assert_eq!(err.line, Some(2));
        assert!(err.col.is_some());
        assert!(!err.message.contains(" at line "), "{}", err.message);
    }

    #[test]
    fn empty_and_odd_values() {
        assert_eq!(parse_yaml("").unwrap().value, Value::Null);
        assert_eq!(parse_yaml("x: .nan\n").unwrap().value, json!({"x": "NaN"}));
        assert_eq!(parse_yaml("x: !tag 5\n").unwrap().value, json!({"x": 5}));
        assert_eq!(parse_yaml("1: a\n").unwrap().value, json!({"1": "a"}));
    }

    #[test]
    fn alias_bombs_are_refused() {
        let mut yaml = String::from("a0: &a0 [x, x, x, x, x, x, x, x, x, x]\n");
        for level in 1..12 {
            let prev = level - 1;
            yaml.push_str(&format!(
                "a{level}: &a{level} [*a{prev}, *a{prev}, *a{prev}, *a{prev}, *a{prev}, *a{prev}, *a{prev}, *a{prev}, *a{prev}, *a{prev}]\n"
            ));
        }
        assert!(parse_yaml(&yaml).is_err());
    }

    #[test]
    fn deep_nesting_is_refused() {
        let yaml = format!("a: {}{}\n", "[".repeat(10_000), "]".repeat(10_000));
        assert!(parse_yaml(&yaml).is_err());
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

        #[test]
        fn arbitrary_text_never_panics(text in "(.|\n|---\n|\\+\\+\\+\n){0,60}") {
            let _ = split_front_matter(&text);
            let _ = parse_yaml(&text);
        }
    }
}
