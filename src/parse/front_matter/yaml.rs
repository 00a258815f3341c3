//! Reading the YAML between the fences. This is the only module that uses `serde_yaml`
//! (archived upstream, so keep it contained: a switch to a maintained fork is a one-file
//! change). The YAML is read straight into a `serde_json::Value`, which is what `meta` is
//! anyway, through a seed that lets a duplicate key win last and records it, where
//! serde_yaml's own `Value` refuses the block.

use std::fmt;

use serde::de::{self, DeserializeSeed, Deserializer, MapAccess, SeqAccess, Visitor};
use serde_json::{Map, Number, Value};

use super::fences::lines_with_offsets;
use crate::parse::plain_yaml::parse_plain;

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
pub(crate) fn parse_yaml_fully(yaml: &str) -> Result<Yaml, YamlError> {
    let mut duplicate_keys = Vec::new();
    let parsed = serde_yaml::Deserializer::from_str(yaml)
        .next()
        .map(|document| {
            Lenient {
                duplicate_keys: &mut duplicate_keys,
            }
            .deserialize(document)
        })
        .transpose();
    match parsed {
        Ok(value) => Ok(Yaml {
            value: value.unwrap_or(Value::Null),
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

/// Reads a JSON value from YAML with duplicate keys tolerated: the last value wins and the
/// key is noted in `duplicate_keys`, which every nested value shares.
struct Lenient<'k> {
    duplicate_keys: &'k mut Vec<String>,
}

impl<'k> Lenient<'k> {
    /// A seed for a value inside this one, noting its duplicates in the same list.
    fn inner(&mut self) -> Lenient<'_> {
        Lenient {
            duplicate_keys: self.duplicate_keys,
        }
    }
}

impl<'de> DeserializeSeed<'de> for Lenient<'_> {
    type Value = Value;

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<Value, D::Error> {
        deserializer.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for Lenient<'_> {
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
        self.deserialize(d)
    }
    fn visit_newtype_struct<D: Deserializer<'de>>(self, d: D) -> Result<Value, D::Error> {
        self.deserialize(d)
    }

    fn visit_seq<A: SeqAccess<'de>>(mut self, mut seq: A) -> Result<Value, A::Error> {
        let mut items = Vec::new();
        while let Some(item) = seq.next_element_seed(self.inner())? {
            items.push(item);
        }
        Ok(Value::Array(items))
    }

    fn visit_map<A: MapAccess<'de>>(mut self, mut map: A) -> Result<Value, A::Error> {
        let mut object = Map::new();
        while let Some(key) = map.next_key_seed(self.inner())? {
            let key = match key {
                Value::String(text) => text,
                Value::Null => "null".to_owned(),
                other => other.to_string(),
            };
            let value = map.next_value_seed(self.inner())?;
            // Last value wins, in the first key's place (moving it would cost O(n) per duplicate).
            match object.get_mut(&key) {
                Some(slot) => {
                    *slot = value;
                    self.duplicate_keys.push(key);
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
        variant.newtype_variant_seed(self)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::{json, Value};

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
    fn duplicates_inside_nested_values_are_noted_too() {
        let parsed = parse_yaml_fully("a:\n  x: 1\n  x: 2\nb: [{y: 1, y: 3}]\nb: 4\n").unwrap();
        assert_eq!(parsed.value, json!({"a": {"x": 2}, "b": 4}));
        assert_eq!(parsed.duplicate_keys, ["x", "y", "b"]);
        // Each parse starts with its own list.
        assert!(parse_yaml_fully("a: 1\n")
            .unwrap()
            .duplicate_keys
            .is_empty());
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
    use crate::parse::front_matter::fences::split_front_matter;
    use proptest::prelude::*;

    proptest! {
        #[test]
        fn arbitrary_text_never_panics(text in "(.|\n|---\n|\\+\\+\\+\n){0,60}") {
            let _ = split_front_matter(&text);
            let _ = parse_yaml(&text);
        }
    }
}
