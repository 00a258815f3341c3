//! Escaping archive text for terminals: control characters, escape sequences and bidi
//! overrides are shown as visible escapes, never written raw (fd's `sanitize.rs` does the same
//! for file names).

/// True for characters that must not reach a terminal raw.
pub fn is_unsafe(c: char) -> bool {
    c.is_control()
        || matches!(c,
            '\u{200e}' | '\u{200f}'              // left-to-right / right-to-left marks
            | '\u{202a}'..='\u{202e}'           // bidi embeddings and overrides
            | '\u{2066}'..='\u{2069}'           // bidi isolates
            | '\u{061c}'                         // Arabic letter mark
            | '\u{2028}' | '\u{2029}'           // line and paragraph separators
            | '\u{feff}')
}

/// `text` with every unsafe character replaced: newlines and tabs by a space, the rest by a
/// `\x1b` or `\u{202e}` style escape. For prose (a title, a snippet, a body line), which
/// reads on with a space where its line broke.
pub fn sanitize(text: &str) -> String {
    replace_unsafe(text, true)
}

/// `text` with every unsafe character escaped, newlines and tabs too (`new\x0aline.md`). For
/// names and data (a path, a CSV cell), where a space in their place would pass for a real
/// space: `new line.md` is another file.
pub fn escape(text: &str) -> String {
    replace_unsafe(text, false)
}

fn replace_unsafe(text: &str, spaces: bool) -> String {
    if !text.chars().any(is_unsafe) {
        return text.to_owned();
    }
    let mut out = String::with_capacity(text.len() + 8);
    for c in text.chars() {
        match c {
            '\n' | '\t' | '\r' if spaces => out.push(' '),
            c if is_unsafe(c) && (c as u32) < 0x100 => {
                out.push_str(&format!("\\x{:02x}", c as u32))
            }
            c if is_unsafe(c) => out.push_str(&format!("\\u{{{:x}}}", c as u32)),
            c => out.push(c),
        }
    }
    out
}

/// JSON text with the characters JSON leaves raw (C1 controls, bidi overrides, line
/// separators) written as `\uXXXX` escapes: still the same JSON, but safe on a terminal.
pub fn escape_json_for_terminal(json: &str) -> String {
    if !json.chars().any(is_unsafe) {
        return json.to_owned();
    }
    let mut out = String::with_capacity(json.len() + 16);
    for c in json.chars() {
        if is_unsafe(c) {
            let mut units = [0u16; 2];
            for unit in c.encode_utf16(&mut units) {
                out.push_str(&format!("\\u{:04x}", unit));
            }
        } else {
            out.push(c);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_control_and_bidi() {
        assert_eq!(sanitize("plain café 中文"), "plain café 中文");
        assert_eq!(sanitize("\u{1b}[31mRed\u{1b}[0m"), "\\x1b[31mRed\\x1b[0m");
        assert_eq!(sanitize("a\u{202e}b"), "a\\u{202e}b");
        assert_eq!(sanitize("line\none\ttab"), "line one tab");
        assert_eq!(sanitize("\u{9b}x"), "\\x9bx");
    }

    #[test]
    fn escape_keeps_newlines_and_tabs_visible() {
        assert_eq!(escape("new\nline.md"), "new\\x0aline.md");
        assert_eq!(escape("tab\tname.md\r"), "tab\\x09name.md\\x0d");
        assert_eq!(escape("a\u{202e}b\u{1b}"), "a\\u{202e}b\\x1b");
        assert_eq!(escape("sp ace.md"), "sp ace.md");
    }

    #[test]
    fn json_stays_json_on_a_terminal() {
        let json = serde_json::to_string("a\u{202e}b\u{9b}c\u{1b}").unwrap();
        let safe = escape_json_for_terminal(&json);
        assert_eq!(safe, "\"a\\u202eb\\u009bc\\u001b\"");
        assert_eq!(
            serde_json::from_str::<String>(&safe).unwrap(),
            "a\u{202e}b\u{9b}c\u{1b}"
        );
    }
}
