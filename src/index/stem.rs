//! An English stemmer token filter that remembers the stems it has computed.
//!
//! tantivy's `Stemmer` runs the Snowball algorithm on every token. News text repeats a small
//! vocabulary (a few thousand words make up most tokens), so each analyzer (one per indexing
//! thread) keeps the stems of the words it has seen in a direct-mapped cache of `SLOTS`
//! slots, and copies them instead. The stems are the same as tantivy's
//! `Stemmer::new(Language::English)` gives (a unit test and a proptest check this). Stemming
//! was a quarter of a 100k build (19 s without, 25 s with); a `HashMap<String, String>` cache
//! took about a tenth off it, and this one, with no pointer to follow and no memcmp or memmove
//! call, about 8% of the build's CPU more (user 22.5 s against 24.4 s, three alternating pairs
//! at 100k).

use frostem::{Algorithm, Stemmer};
use tantivy::tokenizer::{Token, TokenFilter, TokenStream, Tokenizer};

/// Longest word the cache holds (longer ones are stemmed every time: they are rare).
const KEY_BYTES: usize = 22;

/// Slots of the cache, a power of two: 32,768 slots of 47 bytes, 1.5 MB per analyzer.
const SLOTS: usize = 1 << 15;

/// One remembered word and its stem, inline: a lookup reads one slot and compares three
/// words, with no pointer to follow (a `HashMap<String, String>` missed the CPU cache on its
/// bucket, its key and its value, and called memcmp).
#[derive(Clone, Copy)]
struct Slot {
    word: [u8; KEY_BYTES],
    word_len: u8,
    stem: [u8; KEY_BYTES],
    stem_len: u8,
    /// The stem is the word cut short (most are: Snowball strips suffixes).
    is_prefix: bool,
}

/// No word is empty, so a length of 0 marks a free slot.
const EMPTY: Slot = Slot {
    word: [0; KEY_BYTES],
    word_len: 0,
    stem: [0; KEY_BYTES],
    stem_len: 0,
    is_prefix: false,
};

/// A direct-mapped cache of stems: each word has one slot, by its hash, and a new word takes
/// the slot over. Frequent words stay; no clearing, no growth. The slots are allocated on
/// first use: tantivy clones an analyzer for every segment writer and every query.
#[derive(Clone, Default)]
struct StemCache {
    slots: Vec<Slot>,
}

impl StemCache {
    /// Rewrites `text` to its stem; `stem` computes it when the cache does not know it.
    fn stem_in_place(&mut self, text: &mut String, stem: impl FnOnce(&str) -> String) {
        let word = text.as_bytes();
        if word.len() > KEY_BYTES {
            *text = stem(text);
            return;
        }
        // The key and its hash (FNV-1a) in one pass: a loop that only copied would become a
        // call to memmove, which was 5% of a build for these few bytes.
        let mut key = [0u8; KEY_BYTES];
        let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
        for (to, &byte) in key.iter_mut().zip(word) {
            *to = byte;
            hash = (hash ^ u64::from(byte)).wrapping_mul(0x0100_0000_01b3);
        }
        if self.slots.is_empty() {
            self.slots = vec![EMPTY; SLOTS];
        }
        let slot = &mut self.slots[(hash >> 32) as usize & (SLOTS - 1)];
        if usize::from(slot.word_len) == word.len() && slot.word == key {
            if slot.is_prefix {
                // Most words are their own stem or end in a suffix it drops: nothing to copy.
                text.truncate(usize::from(slot.stem_len));
                return;
            }
            let stemmed = &slot.stem[..usize::from(slot.stem_len)];
            // The slot holds the bytes of a `str` stem: it is UTF-8.
            if let Ok(stemmed) = std::str::from_utf8(stemmed) {
                text.clear();
                text.push_str(stemmed);
                return;
            }
        }
        let stemmed = stem(text);
        // A stem no longer than its word fits; Snowball never lengthens one.
        if stemmed.len() <= KEY_BYTES {
            slot.word = key;
            slot.word_len = word.len() as u8;
            slot.stem = [0; KEY_BYTES];
            slot.stem[..stemmed.len()].copy_from_slice(stemmed.as_bytes());
            slot.stem_len = stemmed.len() as u8;
            slot.is_prefix = word.starts_with(stemmed.as_bytes());
        }
        *text = stemmed;
    }
}

/// The token filter: Snowball English, with a cache of stems.
#[derive(Clone, Default)]
pub struct CachedEnglishStemmer;

impl TokenFilter for CachedEnglishStemmer {
    type Tokenizer<T: Tokenizer> = CachedStemmerFilter<T>;

    fn transform<T: Tokenizer>(self, tokenizer: T) -> CachedStemmerFilter<T> {
        CachedStemmerFilter {
            inner: tokenizer,
            cache: StemCache::default(),
        }
    }
}

/// The tokenizer the filter wraps around another.
#[derive(Clone)]
pub struct CachedStemmerFilter<T> {
    inner: T,
    cache: StemCache,
}

impl<T: Tokenizer> Tokenizer for CachedStemmerFilter<T> {
    type TokenStream<'a> = CachedStemmerStream<'a, T::TokenStream<'a>>;

    fn token_stream<'a>(&'a mut self, text: &'a str) -> Self::TokenStream<'a> {
        CachedStemmerStream {
            tail: self.inner.token_stream(text),
            cache: &mut self.cache,
            stemmer: Stemmer::new(Algorithm::English),
        }
    }
}

/// The token stream, stemming each token of the stream it wraps.
pub struct CachedStemmerStream<'a, T> {
    tail: T,
    cache: &'a mut StemCache,
    stemmer: Stemmer,
}

impl<T: TokenStream> TokenStream for CachedStemmerStream<'_, T> {
    fn advance(&mut self) -> bool {
        if !self.tail.advance() {
            return false;
        }
        let stemmer = &self.stemmer;
        self.cache
            .stem_in_place(&mut self.tail.token_mut().text, |word| {
                stemmer.stem(word).into_owned()
            });
        true
    }

    fn token(&self) -> &Token {
        self.tail.token()
    }

    fn token_mut(&mut self) -> &mut Token {
        self.tail.token_mut()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use tantivy::tokenizer::{Language, LowerCaser, SimpleTokenizer, TextAnalyzer};

    /// Lower-casing analyzers with the cached stemmer and with tantivy's.
    fn analyzers() -> (TextAnalyzer, TextAnalyzer) {
        let cached = TextAnalyzer::builder(SimpleTokenizer::default())
            .filter(LowerCaser)
            .filter(CachedEnglishStemmer)
            .build();
        let plain = TextAnalyzer::builder(SimpleTokenizer::default())
            .filter(LowerCaser)
            .filter(tantivy::tokenizer::Stemmer::new(Language::English))
            .build();
        (cached, plain)
    }

    fn stems(mut analyzer: TextAnalyzer, text: &str) -> Vec<String> {
        let mut stream = analyzer.token_stream(text);
        let mut out = Vec::new();
        while stream.advance() {
            out.push(stream.token().text.clone());
        }
        out
    }

    proptest::proptest! {
        /// Any run of words, repeated so that they come from the cache and colliding in its
        /// slots, long ones (which bypass it) and non-ASCII ones, stems as tantivy stems it.
        #[test]
        fn the_cache_never_changes_a_stem(
            words in proptest::collection::vec("[a-zé]{1,4}(ing|ed|s|ly|ness|ation|)", 1..300),
            long in "[a-z]{23,40}",
        ) {
            let mut text = words.join(" ");
            text.push(' ');
            text.push_str(&long);
            text.push(' ');
            text.push_str(&words.join(" "));
            let (cached, plain) = analyzers();
            proptest::prop_assert_eq!(stems(cached, &text), stems(plain, &text));
        }
    }

    #[test]
    fn a_small_cache_still_gives_every_stem() {
        // More distinct words than slots: every slot is taken over many times.
        let words: Vec<String> = (0..(SLOTS * 2)).map(|n| format!("w{n}ing")).collect();
        let text = words.join(" ");
        let (cached, plain) = analyzers();
        assert_eq!(stems(cached, &text), stems(plain, &text));
    }

    #[test]
    fn same_stems_as_tantivy() {
        let text = "Protesters protested; the hospitals' running runners ran. Protesters again, \
                    generously generous generations, and hospitals again.";
        let (cached, plain) = analyzers();
        let ours = stems(cached.clone(), text);
        assert_eq!(ours, stems(plain, text));
        assert_eq!(ours[0], "protest");
        // The second pass comes from the cache.
        let mut reused = cached;
        let mut first = Vec::new();
        {
            let mut stream = reused.token_stream(text);
            while stream.advance() {
                first.push(stream.token().text.clone());
            }
        }
        assert_eq!(first, ours);
        assert_eq!(stems(reused, text), ours);
    }
}
