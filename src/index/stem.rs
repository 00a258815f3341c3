//! An English stemmer token filter that remembers the stems it has computed.
//!
//! tantivy's `Stemmer` runs the Snowball algorithm on every token. News text repeats a small
//! vocabulary (a few thousand words make up most tokens), so each analyzer (one per indexing
//! thread) keeps the stems of the words it has seen in a direct-mapped cache of `SLOTS`
//! slots, and copies them instead. The stems are the same as tantivy's
//! `Stemmer::new(Language::English)` gives (a unit test and a proptest check this). Stemming
//! was a quarter of a 100k build (19 s without, 25 s with); a `HashMap<String, String>` cache
//! took about a tenth off it. This one reads a word as two integers (no byte loop, no memcpy
//! or memcmp call: a byte loop that copied the key became a memcpy call, 4.7% of a build) and
//! finds it in one 32-byte slot, which never straddles two cache lines.

use frostem::{Algorithm, Stemmer};
use tantivy::tokenizer::{Token, TokenFilter, TokenStream, Tokenizer};

/// Longest word the cache holds (longer ones are stemmed every time: they are rare).
const KEY_BYTES: usize = 16;

/// Longest stem ending a slot holds, after the part of the word the stem keeps.
const TAIL_BYTES: usize = 13;

/// Slots of the cache, a power of two: 32,768 slots of 32 bytes, 1 MB per analyzer.
const SLOT_BITS: u32 = 15;
const SLOTS: usize = 1 << SLOT_BITS;

/// One remembered word and its stem: the word packed (`packed`), and the stem as the number
/// of the word's bytes it keeps plus what it puts after them (`happy` → keep 4, tail `i`;
/// most stems keep a prefix and add nothing: Snowball strips suffixes).
#[derive(Clone, Copy)]
#[repr(C, align(32))]
struct Slot {
    lo: u64,
    hi: u64,
    tail: [u8; TAIL_BYTES],
    /// 0 marks a free slot: no word is empty.
    word_len: u8,
    keep: u8,
    tail_len: u8,
}

const EMPTY: Slot = Slot {
    lo: 0,
    hi: 0,
    tail: [0; TAIL_BYTES],
    word_len: 0,
    keep: 0,
    tail_len: 0,
};

/// A word of 1 to `KEY_BYTES` bytes as two integers that, with its length, tell it from every
/// other word: its first and last eight bytes (overlapping when shorter than 16), its first
/// and last four (when shorter than 8), or its first, middle and last byte (shorter than 4).
/// Each covers every byte of a word of its lengths.
fn packed(word: &[u8]) -> Option<(u64, u64)> {
    let n = word.len();
    match n {
        1..=3 => {
            let bytes =
                u64::from(word[0]) | u64::from(word[n / 2]) << 8 | u64::from(word[n - 1]) << 16;
            Some((bytes, 0))
        }
        4..=7 => {
            let first = u32::from_le_bytes(*word.first_chunk::<4>()?);
            let last = u32::from_le_bytes(*word.last_chunk::<4>()?);
            Some((u64::from(first) | u64::from(last) << 32, 0))
        }
        8..=KEY_BYTES => {
            let first = u64::from_le_bytes(*word.first_chunk::<8>()?);
            let last = u64::from_le_bytes(*word.last_chunk::<8>()?);
            Some((first, last))
        }
        _ => None,
    }
}

/// The slot of a packed word.
fn slot_of(lo: u64, hi: u64, len: usize) -> usize {
    let mixed = (lo ^ hi.rotate_left(29) ^ (len as u64) << 58).wrapping_mul(0x9e37_79b9_7f4a_7c15);
    (mixed >> (64 - SLOT_BITS)) as usize
}

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
        let len = text.len();
        let Some((lo, hi)) = packed(text.as_bytes()) else {
            *text = stem(text);
            return;
        };
        if self.slots.is_empty() {
            self.slots = vec![EMPTY; SLOTS];
        }
        let slot = &mut self.slots[slot_of(lo, hi, len)];
        if usize::from(slot.word_len) == len && slot.lo == lo && slot.hi == hi {
            let keep = usize::from(slot.keep);
            let tail = &slot.tail[..usize::from(slot.tail_len)];
            // `keep` is a char boundary of the word and the tail is whole chars of the stem
            // (`remember`), so neither check fails; they only keep this free of `unsafe`.
            if text.is_char_boundary(keep) {
                if let Ok(tail) = std::str::from_utf8(tail) {
                    text.truncate(keep);
                    text.push_str(tail);
                    return;
                }
            }
        }
        let stemmed = stem(text);
        remember(slot, lo, hi, text, &stemmed);
        *text = stemmed;
    }
}

/// Puts `word` and its stem in `slot`, if the stem's ending fits.
fn remember(slot: &mut Slot, lo: u64, hi: u64, word: &str, stemmed: &str) {
    let mut keep = word
        .bytes()
        .zip(stemmed.bytes())
        .take_while(|(a, b)| a == b)
        .count();
    while !stemmed.is_char_boundary(keep) {
        keep -= 1;
    }
    let tail = &stemmed.as_bytes()[keep..];
    if tail.len() > TAIL_BYTES {
        return;
    }
    *slot = Slot {
        lo,
        hi,
        tail: [0; TAIL_BYTES],
        word_len: word.len() as u8,
        keep: keep as u8,
        tail_len: tail.len() as u8,
    };
    slot.tail[..tail.len()].copy_from_slice(tail);
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
        /// slots, long ones (which bypass it) and non-ASCII ones (folded Greek, CJK bigrams),
        /// stems as tantivy stems it.
        #[test]
        fn the_cache_never_changes_a_stem(
            words in proptest::collection::vec(
                "([a-zéø]{1,12}|[α-ω]{1,6}|[运行时地铁]{1,2})(ing|ed|s|ly|ness|ation|ies|y|ational|izer|)",
                1..300),
            long in "[a-z]{17,40}",
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

    proptest::proptest! {
        /// Two different words never share a packed key.
        #[test]
        fn packed_words_differ(pairs in proptest::collection::vec((0u8..3, 0u8..3), 1..=KEY_BYTES)) {
            let a: Vec<u8> = pairs.iter().map(|p| b'a' + p.0).collect();
            let b: Vec<u8> = pairs.iter().map(|p| b'a' + p.1).collect();
            proptest::prop_assume!(a != b);
            proptest::prop_assert_ne!(packed(&a), packed(&b));
        }
    }

    #[test]
    fn words_of_every_length_are_told_apart() {
        // Words that differ in one byte, at every position, for every length the cache holds.
        for len in 1..=KEY_BYTES {
            let word = vec![b'a'; len];
            for at in 0..len {
                let mut other = word.clone();
                other[at] = b'b';
                assert_ne!(packed(&word), packed(&other), "length {len}, byte {at}");
            }
        }
        assert_eq!(packed(&[b'a'; KEY_BYTES + 1]), None);
        assert_eq!(std::mem::size_of::<Slot>(), 32);
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
