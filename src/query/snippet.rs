//! Snippets: the passage of a text around its first matched word, cut to a width, with the
//! matched words marked.
//!
//! tantivy's `SnippetGenerator` picks the passage with the most matched terms and marks every
//! term of the query on its own, so a phrase query marks every `the`, and the passage it picks
//! is often cut off before the hit in a narrow table. Here the words are matched as the query
//! matched them (a phrase only where its words stand in order), and the passage is centred on
//! the first match.

use std::ops::Range;

use tantivy::tokenizer::TextAnalyzer;
use unicode_width::UnicodeWidthChar;

use super::text::Wanted;
use crate::index::schema::text_analyzer;

/// A passage of text with byte ranges of the matched words in it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Snippet {
    pub text: String,
    pub highlights: Vec<Range<usize>>,
}

/// Finds matched words in texts and cuts passages around them.
pub struct Snippeter {
    wanted: Wanted,
    stemmed: TextAnalyzer,
    plain: TextAnalyzer,
}

struct Word {
    span: Range<usize>,
    stem: String,
    plain: String,
}

impl Snippeter {
    /// A snippeter for what a query wants.
    pub fn new(wanted: Wanted) -> Self {
        Snippeter {
            wanted,
            stemmed: text_analyzer(true),
            plain: text_analyzer(false),
        }
    }

    /// True when the query looks for any word in the text.
    pub fn is_empty(&self) -> bool {
        self.wanted == Wanted::default()
    }

    /// The passage of `text` of at most `width` display columns centred on the first match;
    /// `None` when nothing in `text` matches.
    pub fn snippet(&mut self, text: &str, width: usize) -> Option<Snippet> {
        let matches = self.matches(text, width)?;
        let first = matches.first()?.clone();
        let (start, end) = if text.chars().count() <= width {
            (0, text.len())
        } else {
            // Room for the `…` at either end.
            window(text, first, width.saturating_sub(2).max(1))
        };
        Some(render(text, start, end, &matches))
    }

    /// Byte spans of matches in `text`, in order; scanning stops a width past the first one.
    fn matches(&mut self, text: &str, width: usize) -> Option<Vec<Range<usize>>> {
        let mut stemmed = self.stemmed.token_stream(text);
        let mut plain = self.plain.token_stream(text);
        let mut words: Vec<Word> = Vec::new();
        let mut spans: Vec<Range<usize>> = Vec::new();
        let mut stop_at = usize::MAX;
        while stemmed.advance() && plain.advance() {
            let (s, p) = (stemmed.token(), plain.token());
            if s.offset_from >= stop_at {
                break;
            }
            words.push(Word {
                span: s.offset_from..s.offset_to,
                stem: s.text.clone(),
                plain: p.text.clone(),
            });
            if let Some(length) = match_ending(&self.wanted, &words) {
                let first = &words[words.len() - length];
                let span = first.span.start..s.offset_to;
                if spans.is_empty() {
                    // Four widths of bytes is ample for any window around this match.
                    stop_at = span.end.saturating_add(width.saturating_mul(4));
                }
                match spans.last_mut() {
                    // Overlapping matches (`哈哈` twice in `哈哈哈`, whose bigrams overlap) are
                    // marked as one: the table skips a mark that starts inside another.
                    Some(last) if span.start < last.end => last.end = last.end.max(span.end),
                    _ => spans.push(span),
                }
            }
        }
        (!spans.is_empty()).then_some(spans)
    }
}

/// How many words of a match end at the last of `words`, if one does (the longest).
fn match_ending(wanted: &Wanted, words: &[Word]) -> Option<usize> {
    let last = words.last()?;
    let ends_with = |wanted: &[String], prefix_last: bool| -> bool {
        let n = wanted.len();
        if n == 0 || n > words.len() {
            return false;
        }
        let tail = &words[words.len() - n..];
        tail.iter()
            .zip(wanted)
            .enumerate()
            .all(|(i, (word, want))| {
                if !prefix_last {
                    word.stem == *want
                } else if i + 1 == n {
                    word.plain.starts_with(want.as_str())
                } else {
                    word.plain == *want
                }
            })
    };
    let mut best: Option<usize> = None;
    for phrase in &wanted.words {
        if ends_with(phrase, false) {
            best = best.max(Some(phrase.len()));
        }
    }
    for phrase in &wanted.prefixes {
        if ends_with(phrase, true) {
            best = best.max(Some(phrase.len()));
        }
    }
    if best.is_none()
        && wanted
            .fuzzy
            .iter()
            .any(|(word, edits)| edit_distance(&last.stem, word) <= usize::from(*edits))
    {
        best = Some(1);
    }
    best
}

/// The byte range of `text` to show: `width` columns with the match in the middle, starting
/// at a word when it can.
fn window(text: &str, matched: Range<usize>, width: usize) -> (usize, usize) {
    let columns = |s: &str| s.chars().map(|c| c.width().unwrap_or(0)).sum::<usize>();
    let match_width = columns(&text[matched.clone()]).min(width);
    let mut before = width.saturating_sub(match_width) / 2;
    let mut start = matched.start;
    for (at, c) in text[..matched.start].char_indices().rev() {
        let w = c.width().unwrap_or(0);
        if w > before {
            break;
        }
        before -= w;
        start = at;
    }
    if start > 0 {
        // Begin at the next word rather than inside one.
        if let Some(space) = text[start..matched.start].find(char::is_whitespace) {
            start += space;
        }
    }
    let mut used = 0;
    let mut end = start;
    for (at, c) in text[start..].char_indices() {
        let w = if c.is_whitespace() {
            1
        } else {
            c.width().unwrap_or(0)
        };
        if used + w > width {
            break;
        }
        used += w;
        end = start + at + c.len_utf8();
    }
    (start, end)
}

/// The passage `start..end` of `text` with runs of white space made one space and `…` where
/// it was cut; the matches inside it mapped to the new byte positions.
fn render(text: &str, start: usize, end: usize, matches: &[Range<usize>]) -> Snippet {
    let mut out = String::new();
    let cut_before = text[..start].chars().any(|c| !c.is_whitespace());
    let cut_after = text[end..].chars().any(|c| !c.is_whitespace());
    if cut_before {
        out.push('…');
    }
    // (source byte, output byte) at every character kept.
    let mut positions: Vec<(usize, usize)> = Vec::new();
    let mut last_space = true;
    for (at, c) in text[start..end].char_indices() {
        positions.push((start + at, out.len()));
        if c.is_whitespace() || c.is_control() {
            if !last_space {
                out.push(' ');
            }
            last_space = true;
        } else {
            out.push(c);
            last_space = false;
        }
    }
    let body_end = out.trim_end().len();
    out.truncate(body_end);
    positions.push((end, out.len()));
    if cut_after {
        out.push('…');
    }
    let map = |byte: usize| -> usize {
        let i = positions.partition_point(|(source, _)| *source < byte);
        positions.get(i).map_or(body_end, |p| p.1).min(body_end)
    };
    let highlights = matches
        .iter()
        .filter(|m| m.start >= start && m.end <= end)
        .map(|m| map(m.start)..map(m.end))
        .filter(|r| r.start < r.end)
        .collect();
    Snippet {
        text: out,
        highlights,
    }
}

/// Levenshtein distance in characters (words are short).
pub(crate) fn edit_distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut previous: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut current = vec![i + 1; b.len() + 1];
        for (j, cb) in b.iter().enumerate() {
            let substitute = previous[j] + usize::from(ca != *cb);
            current[j + 1] = substitute.min(previous[j + 1] + 1).min(current[j] + 1);
        }
        previous = current;
    }
    previous[b.len()]
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::index::schema::{build_schema, register_tokenizers, Fields};
    use crate::query::text::{parse, QueryBuilder};

    fn snippeter(query: &str) -> Snippeter {
        let index = tantivy::Index::create_in_ram(build_schema());
        register_tokenizers(&index);
        let fields = Fields::from_schema(&index.schema()).unwrap();
        let node = parse(query).unwrap();
        Snippeter::new(QueryBuilder::new(&fields).wanted(&node))
    }

    fn marked(snippet: &Snippet) -> String {
        let mut out = String::new();
        let mut at = 0;
        for r in &snippet.highlights {
            out.push_str(&snippet.text[at..r.start]);
            out.push('[');
            out.push_str(&snippet.text[r.clone()]);
            out.push(']');
            at = r.end;
        }
        out.push_str(&snippet.text[at..]);
        out
    }

    #[test]
    fn centres_on_the_first_match_within_the_width() {
        let text = format!(
            "{} the hospitals were full. {}",
            "Word ".repeat(40),
            "End ".repeat(40)
        );
        let snippet = snippeter("hospital").snippet(&text, 40).unwrap();
        assert!(snippet.text.chars().count() <= 40, "{snippet:?}");
        assert!(marked(&snippet).contains("[hospitals]"), "{snippet:?}");
        assert!(snippet.text.starts_with('…') && snippet.text.ends_with('…'));
        let middle = snippet.text.find("hospitals").unwrap();
        assert!((10..30).contains(&middle), "{snippet:?}");
    }

    #[test]
    fn a_phrase_marks_the_phrase_only() {
        let text = "the cat sat on the mat while the dog barked";
        let snippet = snippeter("\"the dog\"").snippet(text, 100).unwrap();
        assert_eq!(
            marked(&snippet),
            "the cat sat on the mat while [the dog] barked"
        );
    }

    #[test]
    fn prefix_fuzzy_and_white_space() {
        let text = "Protesters\n\n  gathered near the hospitl";
        let mut prefix = snippeter("protest*");
        assert_eq!(
            marked(&prefix.snippet(text, 80).unwrap()),
            "[Protesters] gathered near the hospitl"
        );
        let mut fuzzy = snippeter("hospital~1");
        assert_eq!(
            marked(&fuzzy.snippet(text, 80).unwrap()),
            "Protesters gathered near the [hospitl]"
        );
        assert_eq!(snippeter("absent").snippet(text, 80), None);
        assert_eq!(edit_distance("kitten", "sitting"), 3);
    }

    #[test]
    fn cjk_and_folded_words_are_marked_where_they_stand() {
        let text = "新线路连接机场和火车站，全程运行时间约为二十五分钟。哈哈哈";
        assert_eq!(
            marked(&snippeter("运行时").snippet(text, 100).unwrap()),
            "新线路连接机场和火车站，全程[运行时]间约为二十五分钟。哈哈哈"
        );
        assert_eq!(
            marked(&snippeter("哈哈").snippet(text, 100).unwrap()),
            "新线路连接机场和火车站，全程运行时间约为二十五分钟。[哈哈哈]"
        );
        let folded = "Ferries in İstanbul; la nouvelle e\u{301}cole; Αθήνα";
        for (query, word) in [
            ("istanbul", "İstanbul"),
            ("ecole", "e\u{301}cole"),
            ("ΑΘΗΝΑ", "Αθήνα"),
        ] {
            let snippet = snippeter(query).snippet(folded, 100).unwrap();
            assert_eq!(
                snippet
                    .highlights
                    .iter()
                    .map(|r| &snippet.text[r.clone()])
                    .collect::<Vec<_>>(),
                [word],
                "{query}"
            );
        }
    }
}
