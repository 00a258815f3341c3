//! An English stemmer token filter that remembers the stems it has computed.
//!
//! tantivy's `Stemmer` runs the Snowball algorithm on every token. News text repeats a small
//! vocabulary (a few thousand words make up most tokens), so each analyzer (one per indexing
//! thread) keeps the stems of the words it has seen, up to `CACHE_WORDS`, and copies them
//! instead. The stems are the same as tantivy's `Stemmer::new(Language::English)` gives (a unit
//! test checks this). Stemming was a quarter of a 100k build (19 s without, 25 s with); the
//! cache took about a tenth off it in alternating runs (user CPU 45-47 s against 51-53 s at
//! 100k; one pair went the other way: this VM's speed drifts, see BENCHMARKS.md).

use frostem::{Algorithm, Stemmer};
use rustc_hash::FxHashMap;
use tantivy::tokenizer::{Token, TokenFilter, TokenStream, Tokenizer};

/// Words remembered per analyzer; when full, the cache starts over (about 2-3 MB at most).
const CACHE_WORDS: usize = 50_000;

/// The token filter: Snowball English, with a cache of stems.
#[derive(Clone, Default)]
pub struct CachedEnglishStemmer;

impl TokenFilter for CachedEnglishStemmer {
    type Tokenizer<T: Tokenizer> = CachedStemmerFilter<T>;

    fn transform<T: Tokenizer>(self, tokenizer: T) -> CachedStemmerFilter<T> {
        CachedStemmerFilter {
            inner: tokenizer,
            cache: FxHashMap::default(),
        }
    }
}

/// The tokenizer the filter wraps around another.
#[derive(Clone)]
pub struct CachedStemmerFilter<T> {
    inner: T,
    cache: FxHashMap<String, String>,
}

impl<T: Tokenizer> Tokenizer for CachedStemmerFilter<T> {
    type TokenStream<'a> = CachedStemmerStream<'a, T::TokenStream<'a>>;

    fn token_stream<'a>(&'a mut self, text: &'a str) -> Self::TokenStream<'a> {
        if self.cache.len() >= CACHE_WORDS {
            self.cache.clear();
        }
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
    cache: &'a mut FxHashMap<String, String>,
    stemmer: Stemmer,
}

impl<T: TokenStream> TokenStream for CachedStemmerStream<'_, T> {
    fn advance(&mut self) -> bool {
        if !self.tail.advance() {
            return false;
        }
        let token = self.tail.token_mut();
        if let Some(stem) = self.cache.get(token.text.as_str()) {
            token.text.clear();
            token.text.push_str(stem);
            return true;
        }
        let stem = self.stemmer.stem(&token.text).into_owned();
        let word = std::mem::replace(&mut token.text, stem.clone());
        self.cache.insert(word, stem);
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

    fn stems(mut analyzer: TextAnalyzer, text: &str) -> Vec<String> {
        let mut stream = analyzer.token_stream(text);
        let mut out = Vec::new();
        while stream.advance() {
            out.push(stream.token().text.clone());
        }
        out
    }

    #[test]
    fn same_stems_as_tantivy() {
        let text = "Protesters protested; the hospitals' running runners ran. Protesters again, \
                    generously generous generations, and hospitals again.";
        let cached = TextAnalyzer::builder(SimpleTokenizer::default())
            .filter(LowerCaser)
            .filter(CachedEnglishStemmer)
            .build();
        let plain = TextAnalyzer::builder(SimpleTokenizer::default())
            .filter(LowerCaser)
            .filter(tantivy::tokenizer::Stemmer::new(Language::English))
            .build();
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
