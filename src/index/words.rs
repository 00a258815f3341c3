//! The tokenizer of full text: words, and overlapping bigrams of CJK text.
//!
//! Its input is the text of a title, excerpt or body; its output is the tokens the rest of the
//! analyzer (`schema::text_analyzer`) lower-cases, folds and stems. It replaces tantivy's
//! `SimpleTokenizer` for two reasons:
//!
//! - Chinese and Japanese are written without spaces, so `SimpleTokenizer` made a whole
//!   sentence between two punctuation marks one token (which the 40-byte limit then dropped),
//!   and no query word matched it. Runs of Han ideographs, Hiragana, Katakana and Hangul
//!   become each character and the overlapping bigrams, the bigram at its first character's
//!   position (`地下鉄` → `地` `地下` at 0, `下` `下鉄` at 1, `鉄` at 2), as Lucene's
//!   `CJKBigramFilter` does with `outputUnigrams`. The query side analyzes a query word the
//!   same way and searches its tokens as a phrase at their positions, so a run in the text is
//!   found whether the query is one character (`猫` in `小猫咪`), a word, a word that ends a
//!   run (`2024年` in `2024年度`) or a pasted sentence. Bigrams alone missed the first three.
//! - A combining mark (U+0301 in a decomposed `école`) is not alphanumeric, so
//!   `SimpleTokenizer` cut the word at it (`e`, `cole`). A mark now stays in the word it follows,
//!   and folding (`fold.rs`) takes the accent off.
//!
//! Everything else is as `SimpleTokenizer` does it: a word is a run of alphanumeric characters,
//! anything else separates, and each token's position is the previous one plus one. Text
//! without CJK characters or combining marks gives exactly the tokens `SimpleTokenizer` gives
//! (a proptest checks it). ASCII is read byte by byte, without decoding characters.

use tantivy::tokenizer::{Token, TokenStream, Tokenizer};
use unicode_normalization::char::is_combining_mark;

/// Splits text into words and CJK bigrams.
#[derive(Clone, Default)]
pub struct WordTokenizer {
    token: Token,
}

/// What a character is to the tokenizer.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Class {
    /// Part of a word (alphanumeric, not CJK).
    Word,
    /// A Han, Hiragana, Katakana or Hangul letter: bigrammed.
    Cjk,
    /// A combining mark that is not alphanumeric: part of what it follows.
    Mark,
    Separator,
}

fn class(c: char) -> Class {
    if c.is_ascii() {
        if c.is_ascii_alphanumeric() {
            Class::Word
        } else {
            Class::Separator
        }
    } else if c.is_alphanumeric() {
        if is_cjk(c) {
            Class::Cjk
        } else {
            Class::Word
        }
    } else if is_combining_mark(c) {
        Class::Mark
    } else {
        Class::Separator
    }
}

/// What a byte of UTF-8 text is: an ASCII letter or digit, other ASCII (a separator), or a
/// byte of a character that is not ASCII (decoded to find out). A table, so that reading ASCII
/// text costs one load per byte.
const ASCII_WORD: u8 = 1;
const ASCII_SEPARATOR: u8 = 2;
const NOT_ASCII: u8 = 0;
static BYTE_CLASS: [u8; 256] = {
    let mut table = [NOT_ASCII; 256];
    let mut b = 0;
    while b < 128 {
        table[b] = if (b as u8).is_ascii_alphanumeric() {
            ASCII_WORD
        } else {
            ASCII_SEPARATOR
        };
        b += 1;
    }
    table
};

/// Blocks of the scripts written without spaces between words that are bigrammed (the
/// alphanumeric characters in them: punctuation such as `・` and `、` still separates).
fn is_cjk(c: char) -> bool {
    matches!(u32::from(c),
        0x1100..=0x11FF // Hangul Jamo
        | 0x3005..=0x3007 // 々 〆 〇
        | 0x3021..=0x3029 // Hangzhou numerals
        | 0x3031..=0x3035 // kana repeat marks
        | 0x303B..=0x303C // 〻 〼
        | 0x3040..=0x30FF // Hiragana, Katakana
        | 0x3130..=0x318F // Hangul compatibility Jamo
        | 0x31F0..=0x31FF // Katakana phonetic extensions
        | 0x3400..=0x4DBF // CJK Extension A
        | 0x4E00..=0x9FFF // CJK Unified Ideographs
        | 0xA960..=0xA97F // Hangul Jamo Extended-A
        | 0xAC00..=0xD7FF // Hangul syllables, Jamo Extended-B
        | 0xF900..=0xFAFF // CJK compatibility ideographs
        | 0xFF66..=0xFFDC // halfwidth Katakana and Hangul
        | 0x1B000..=0x1B16F // Kana supplement and extensions
        | 0x20000..=0x3FFFF // CJK Extensions B and later
    )
}

/// True when `text` is CJK characters only (a bigram or a CJK character alone, as the
/// tokenizer gives them).
pub(crate) fn is_cjk_text(text: &str) -> bool {
    let mut chars = text.chars();
    chars.next().is_some_and(|c| class(c) == Class::Cjk)
        && chars.all(|c| matches!(class(c), Class::Cjk | Class::Mark))
}

impl Tokenizer for WordTokenizer {
    type TokenStream<'a> = WordStream<'a>;

    fn token_stream<'a>(&'a mut self, text: &'a str) -> WordStream<'a> {
        self.token.reset();
        WordStream {
            text,
            at: 0,
            pending_bigram: None,
            token: &mut self.token,
        }
    }
}

/// The tokens of one text.
pub struct WordStream<'a> {
    text: &'a str,
    /// Where reading goes on.
    at: usize,
    /// After a CJK character that another follows: their bigram (its byte range), the next
    /// token, at the same position.
    pending_bigram: Option<(usize, usize)>,
    token: &'a mut Token,
}

impl WordStream<'_> {
    /// The character at byte `at` (a char boundary) and its class.
    fn char_at(&self, at: usize) -> Option<(char, Class)> {
        let c = self.text.get(at..)?.chars().next()?;
        Some((c, class(c)))
    }

    /// The end of the CJK character at `at` with the combining marks after it (a decomposed
    /// `が` is `か` and U+3099).
    fn unit_end(&self, at: usize) -> usize {
        let mut end = at + self.char_at(at).map_or(1, |(c, _)| c.len_utf8());
        while let Some((c, Class::Mark)) = self.char_at(end) {
            end += c.len_utf8();
        }
        end
    }

    /// The end of the word that starts at `start`: alphanumeric characters (not CJK) and
    /// combining marks.
    fn word_end(&self, start: usize) -> usize {
        let bytes = self.text.as_bytes();
        let mut end = start;
        loop {
            end += bytes
                .get(end..)
                .unwrap_or_default()
                .iter()
                .position(|&b| BYTE_CLASS[usize::from(b)] != ASCII_WORD)
                .unwrap_or(bytes.len().saturating_sub(end));
            match bytes.get(end) {
                Some(b) if !b.is_ascii() => match self.char_at(end) {
                    Some((c, Class::Word | Class::Mark)) => end += c.len_utf8(),
                    _ => return end,
                },
                _ => return end,
            }
        }
    }

    /// The CJK character at `first`, and its bigram with the next one, if any, as the token
    /// after it at the same position; reading goes on at the next character.
    fn cjk_unigram(&mut self, first: usize) -> bool {
        let second = self.unit_end(first);
        if let Some((_, Class::Cjk)) = self.char_at(second) {
            self.pending_bigram = Some((first, self.unit_end(second)));
        }
        self.at = second;
        self.emit(first, second);
        true
    }

    fn emit(&mut self, from: usize, to: usize) {
        self.token.offset_from = from;
        self.token.offset_to = to;
        self.token.text.push_str(&self.text[from..to]);
    }
}

impl TokenStream for WordStream<'_> {
    fn advance(&mut self) -> bool {
        self.token.text.clear();
        if let Some((from, to)) = self.pending_bigram.take() {
            self.emit(from, to);
            return true;
        }
        self.token.position = self.token.position.wrapping_add(1);
        let bytes = self.text.as_bytes();
        loop {
            let Some(skip) = bytes
                .get(self.at..)
                .unwrap_or_default()
                .iter()
                .position(|&b| BYTE_CLASS[usize::from(b)] != ASCII_SEPARATOR)
            else {
                self.at = bytes.len();
                return false;
            };
            let start = self.at + skip;
            if BYTE_CLASS[usize::from(bytes[start])] == ASCII_WORD {
                let end = self.word_end(start);
                self.at = end;
                self.emit(start, end);
                return true;
            }
            let Some((c, class)) = self.char_at(start) else {
                // Not a char boundary: cannot happen, reading only moves by whole characters.
                self.at = start + 1;
                continue;
            };
            match class {
                Class::Word => {
                    let end = self.word_end(start);
                    self.at = end;
                    self.emit(start, end);
                    return true;
                }
                Class::Cjk => return self.cjk_unigram(start),
                // A mark that follows no word separates, as it did.
                Class::Mark | Class::Separator => self.at = start + c.len_utf8(),
            }
        }
    }

    fn token(&self) -> &Token {
        self.token
    }

    fn token_mut(&mut self) -> &mut Token {
        self.token
    }
}

/// (text, position, from, to) of every token of `stream`: what the tokenizer tests compare.
#[cfg(test)]
pub(crate) fn token_tuples(mut stream: impl TokenStream) -> Vec<(String, usize, usize, usize)> {
    let mut out = Vec::new();
    while stream.advance() {
        let t = stream.token();
        out.push((t.text.clone(), t.position, t.offset_from, t.offset_to));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use tantivy::tokenizer::SimpleTokenizer;

    /// (text, position, from, to) of every token.
    fn tokens(mut tokenizer: impl Tokenizer, text: &str) -> Vec<(String, usize, usize, usize)> {
        token_tuples(tokenizer.token_stream(text))
    }

    fn texts(text: &str) -> Vec<String> {
        tokens(WordTokenizer::default(), text)
            .into_iter()
            .map(|t| t.0)
            .collect()
    }

    #[test]
    fn cjk_runs_become_characters_and_overlapping_bigrams() {
        assert_eq!(texts("运行时"), ["运", "运行", "行", "行时", "时"]);
        assert_eq!(
            tokens(WordTokenizer::default(), "地下鉄です。猫"),
            [
                ("地".to_owned(), 0, 0, 3),
                ("地下".to_owned(), 0, 0, 6),
                ("下".to_owned(), 1, 3, 6),
                ("下鉄".to_owned(), 1, 3, 9),
                ("鉄".to_owned(), 2, 6, 9),
                ("鉄で".to_owned(), 2, 6, 12),
                ("で".to_owned(), 3, 9, 12),
                ("です".to_owned(), 3, 9, 15),
                ("す".to_owned(), 4, 12, 15),
                ("猫".to_owned(), 5, 18, 21),
            ]
        );
        // Punctuation ends a run; a character alone is a token alone.
        assert_eq!(
            texts("北京，上海。中"),
            ["北", "北京", "京", "上", "上海", "海", "中"]
        );
        assert_eq!(
            texts("ウイルス"),
            ["ウ", "ウイ", "イ", "イル", "ル", "ルス", "ス"]
        );
        assert_eq!(texts("서울"), ["서", "서울", "울"]);
        assert_eq!(texts(""), Vec::<String>::new());
        assert_eq!(texts("。、"), Vec::<String>::new());
        assert!(is_cjk_text("运行") && is_cjk_text("が") && is_cjk_text("か\u{3099}"));
        assert!(!is_cjk_text("web3") && !is_cjk_text("") && !is_cjk_text("\u{3099}"));
    }

    #[test]
    fn words_and_cjk_split_where_the_script_changes() {
        assert_eq!(texts("Web3中文"), ["Web3", "中", "中文", "文"]);
        assert_eq!(texts("中文Web3 abc"), ["中", "中文", "文", "Web3", "abc"]);
        assert_eq!(
            texts("iPhone15发布会 2024年"),
            ["iPhone15", "发", "发布", "布", "布会", "会", "2024", "年"]
        );
    }

    #[test]
    fn combining_marks_stay_in_their_word() {
        assert_eq!(texts("une e\u{301}cole"), ["une", "e\u{301}cole"]);
        assert_eq!(texts("\u{301}abc"), ["abc"]);
        // A decomposed `が` is one character of a bigram.
        assert_eq!(texts("か\u{3099}く"), ["か\u{3099}", "か\u{3099}く", "く"]);
        assert_eq!(texts("İstanbul Αθήνα"), ["İstanbul", "Αθήνα"]);
    }

    proptest::proptest! {
        /// Text with no CJK character and no combining mark tokenizes as `SimpleTokenizer`
        /// tokenizes it: text, position and offsets.
        #[test]
        fn other_text_tokenizes_as_simple_tokenizer_does(
            text in "([a-zA-Z0-9]{1,12}|[ .,;:'\"()\\-\n\t]{1,3}|[éøßñçÆŒ¿¡—’½²Ωжم€]){0,60}"
        ) {
            let simple = SimpleTokenizer::default();
            proptest::prop_assert_eq!(tokens(WordTokenizer::default(), &text), tokens(simple, &text));
        }

        /// Any text: no panic, each token is the text at its offsets, positions count up by one
        /// except for a bigram, at the position of the character it starts with.
        #[test]
        fn any_text_is_read_whole(text in "\\PC{0,80}") {
            let ours = tokens(WordTokenizer::default(), &text);
            let mut last: Option<(usize, usize)> = None;
            for (token, position, from, to) in &ours {
                proptest::prop_assert_eq!(text.get(*from..*to), Some(token.as_str()));
                let expected = match last {
                    None => 0,
                    Some((at, start)) if start == *from => at,
                    Some((at, _)) => at + 1,
                };
                proptest::prop_assert_eq!(*position, expected);
                last = Some((*position, *from));
            }
        }
    }
}
