//! The token filter that lower-cases words and takes accents off them, in every script.
//!
//! It takes the place of tantivy's `LowerCaser` in the full-text analyzer
//! (`schema::text_analyzer`), before `AsciiFoldingFilter`. That filter folds Latin letters
//! only, and only precomposed ones: `Αθήνα` kept its tonos (so `αθηνα` and `ΑΘΗΝΑ` missed it),
//! `İstanbul` lower-cased to `i` + U+0307 and kept the dot, and a decomposed `école` kept its
//! U+0301. Here a token that is not ASCII is lower-cased, decomposed (NFD), stripped of its
//! accents and recomposed (NFC): precomposed and decomposed forms, Greek tonos and dialytika,
//! Turkish `İ`, Vietnamese tones all come to the bare letters. `AsciiFoldingFilter` then
//! folds what has no decomposition (`ø`, `ß`, `æ`, fullwidth Latin), as before.
//!
//! Only the marks of the combining diacritical blocks are accents. Other combining marks are
//! letters' parts, not accents: Devanagari vowel signs and virama, the Japanese voiced marks
//! (`が` is `か` + U+3099 decomposed, a different word from `か`). They stay, and NFC puts
//! them back on their letters, so the decomposed and precomposed forms still agree.
//!
//! An ASCII token takes the path `LowerCaser` took (`is_ascii`, then `make_ascii_lowercase`):
//! most tokens are ASCII, and they cost what they cost before.

use std::mem;

use tantivy::tokenizer::{Token, TokenFilter, TokenStream, Tokenizer};
use unicode_normalization::UnicodeNormalization;

/// Lower-cases tokens and folds their accents.
#[derive(Clone, Default)]
pub struct FoldCaseAndAccents;

impl TokenFilter for FoldCaseAndAccents {
    type Tokenizer<T: Tokenizer> = FoldFilter<T>;

    fn transform<T: Tokenizer>(self, tokenizer: T) -> FoldFilter<T> {
        FoldFilter {
            inner: tokenizer,
            buffer: String::new(),
        }
    }
}

/// The tokenizer the filter wraps around another.
#[derive(Clone)]
pub struct FoldFilter<T> {
    inner: T,
    buffer: String,
}

impl<T: Tokenizer> Tokenizer for FoldFilter<T> {
    type TokenStream<'a> = FoldStream<'a, T::TokenStream<'a>>;

    fn token_stream<'a>(&'a mut self, text: &'a str) -> Self::TokenStream<'a> {
        FoldStream {
            tail: self.inner.token_stream(text),
            buffer: &mut self.buffer,
        }
    }
}

/// The token stream, folding each token of the stream it wraps.
pub struct FoldStream<'a, T> {
    tail: T,
    buffer: &'a mut String,
}

impl<T: TokenStream> TokenStream for FoldStream<'_, T> {
    fn advance(&mut self) -> bool {
        if !self.tail.advance() {
            return false;
        }
        let text = &mut self.tail.token_mut().text;
        if text.is_ascii() {
            text.make_ascii_lowercase();
        } else if !is_caseless_cjk(text) {
            fold(text, self.buffer);
            mem::swap(text, self.buffer);
        }
        true
    }

    fn token(&self) -> &Token {
        self.tail.token()
    }

    fn token_mut(&mut self) -> &mut Token {
        self.tail.token_mut()
    }
}

/// `text` lower-cased, without accents, in NFC, into `out`.
pub(crate) fn fold(text: &str, out: &mut String) {
    out.clear();
    out.extend(
        text.chars()
            .flat_map(char::to_lowercase)
            // Lower-casing maps `Σ` to `σ` wherever it stands; the text's final `ς` must meet
            // it (`ΑΘΗΝΑΣ`, `Αθήνας`).
            .map(|c| if c == 'ς' { 'σ' } else { c })
            .nfd()
            .filter(|&c| !is_accent(c))
            .nfc(),
    );
}

/// A combining mark of the diacritical blocks: an accent to drop.
fn is_accent(c: char) -> bool {
    matches!(u32::from(c),
        0x0300..=0x036F // Combining Diacritical Marks
        | 0x1AB0..=0x1AFF // Extended
        | 0x1DC0..=0x1DFF // Supplement
        | 0x20D0..=0x20FF // for Symbols
        | 0xFE20..=0xFE2F // Half Marks
    )
}

/// Han ideographs, precomposed kana and Hangul syllables only: no case, no accent, already NFC,
/// so folding leaves them as they are. The bigrams of CJK text skip the work.
fn is_caseless_cjk(text: &str) -> bool {
    text.chars().all(|c| {
        matches!(u32::from(c),
            0x3041..=0x3096 | 0x30A1..=0x30FA | 0x30FC..=0x30FF
            | 0x3400..=0x4DBF | 0x4E00..=0x9FFF | 0xAC00..=0xD7A3)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn folded(text: &str) -> String {
        let mut out = String::new();
        fold(text, &mut out);
        out
    }

    #[test]
    fn accents_come_off_in_every_script() {
        assert_eq!(folded("İstanbul"), "istanbul");
        assert_eq!(folded("Αθήνα"), "αθηνα");
        assert_eq!(folded("ΑΘΉΝΑ"), "αθηνα");
        assert_eq!(folded("Αθήνας"), folded("ΑΘΗΝΑΣ"));
        assert_eq!(folded("e\u{301}cole"), "ecole");
        assert_eq!(folded("École"), "ecole");
        assert_eq!(folded("Hà Nội"), "ha noi");
        assert_eq!(folded("Ελλάδα"), folded("ελλαδα"));
        assert_eq!(folded("ΰ"), "υ");
        // Letters without a decomposition are left to `AsciiFoldingFilter`.
        assert_eq!(folded("Øre"), "øre");
    }

    #[test]
    fn marks_that_are_not_accents_stay() {
        assert_eq!(folded("か\u{3099}"), "が");
        assert_eq!(folded("が"), "が");
        assert_eq!(folded("हिन्दी"), "हिन्दी");
        assert_eq!(folded("한국"), "한국");
        assert!(is_caseless_cjk("運行時"));
        assert!(!is_caseless_cjk("か\u{3099}"));
    }
}
