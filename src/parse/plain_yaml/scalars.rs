//! One-line scalars of the fast YAML reader: plain, `"…"` and `'…'`, resolved as serde_yaml 0.9
//! resolves them (`visit_untagged_scalar` in its `de.rs`) for the forms front matter uses. The
//! rare forms are declined (`None`), so serde_yaml reads them and no copy of its rules for them
//! lives here: `\x`/`\u`/`\U` escapes, `0x`/`0o`/`0b` integers, integers beyond 64 bits,
//! `.inf` and `.nan`.

use serde_json::{Number, Value};

/// Plain keys that serde_yaml would not read as text.
pub(super) fn resolves_to_non_string(plain: &str) -> bool {
    matches!(
        plain,
        "null" | "Null" | "NULL" | "true" | "True" | "TRUE" | "false" | "False" | "FALSE"
    )
}

/// A one-line scalar (not empty, leading spaces removed).
pub(super) fn scalar(text: &str) -> Option<Value> {
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
            resolve_plain(text)
        }
    }
}

fn is_negative_number_start(text: &str) -> bool {
    text.strip_prefix('-')
        .is_some_and(|rest| rest.starts_with(|c: char| c.is_ascii_digit() || c == '.'))
}

/// `"…"` on one line, with the one-character escapes; anything after the closing quote, or a
/// numeric escape (`\x`, `\u`, `\U`), returns `None`.
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
                out.push(match escape {
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
                    _ => return None,
                });
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

/// What serde_yaml makes of an untagged plain scalar, as our visitor turns it into JSON: null,
/// booleans, decimal integers of 64 bits, finite floats, else text; `None` for the rare forms.
fn resolve_plain(text: &str) -> Option<Value> {
    match text {
        "~" | "null" | "Null" | "NULL" => return Some(Value::Null),
        "true" | "True" | "TRUE" => return Some(Value::Bool(true)),
        "false" | "False" | "FALSE" => return Some(Value::Bool(false)),
        _ => {}
    }
    // Every number starts with a digit, a sign or a dot; the common case is plain text.
    if !text.starts_with(|c: char| c.is_ascii_digit() || matches!(c, '+' | '-' | '.')) {
        return Some(Value::String(text.to_owned()));
    }
    let unsigned = text.strip_prefix(['+', '-']).unwrap_or(text);
    let lower = unsigned.to_ascii_lowercase();
    if ["0x", "0o", "0b", ".inf", ".nan"]
        .iter()
        .any(|rare| lower.starts_with(rare))
    {
        return None;
    }
    // Leading zeros followed by digits make a string in YAML 1.2 (`0123`).
    if unsigned.len() > 1
        && unsigned.starts_with('0')
        && unsigned[1..].bytes().all(|b| b.is_ascii_digit())
    {
        return Some(Value::String(text.to_owned()));
    }
    if !unsigned.is_empty() && unsigned.bytes().all(|b| b.is_ascii_digit()) {
        // `+-5` and `-+5` are text; beyond 64 bits is serde_yaml's to read.
        return if text.starts_with('-') {
            text.parse::<i64>().ok().map(Value::from)
        } else {
            unsigned.parse::<u64>().ok().map(Value::from)
        };
    }
    // `+` before a float is allowed once; Rust's parser takes what YAML's float rule does for
    // the forms left here, and overflow (`1e400`) stays text as in serde_yaml.
    let float = match text.strip_prefix('+') {
        Some(rest) if rest.starts_with(['+', '-']) => None,
        Some(rest) => rest.parse::<f64>().ok(),
        None => text.parse::<f64>().ok(),
    };
    Some(
        float
            .filter(|f| f.is_finite())
            .and_then(Number::from_f64)
            .map_or_else(|| Value::String(text.to_owned()), Value::Number),
    )
}
