//! Word shingles: the text of a record (title and body) as a set of hashed word 2-grams.
//!
//! Words are runs of letters and digits, lower-cased, so punctuation, case and spacing never
//! make two copies differ. A 2-gram is the pair of two neighbouring words (not both function
//! words: `shingles_of` says why); each is reduced to
//! a 64-bit hash (xxh3 of each word, then mixed), and the set of distinct hashes is what the
//! MinHash and containment sketches summarise.
//!
//! The skeleton of a text keeps its function words and replaces every other word by one
//! placeholder: "the board voted to raise charges" is "the * * to * *". A spinner swaps
//! content words for synonyms and leaves the function words and the word count alone, so a
//! spun copy keeps its skeleton while most of its word pairs change. Skeleton shingles are
//! windows of `SKELETON_WINDOW` tokens with at least `SKELETON_MIN_FUNCTION` function words, long
//! enough that two unrelated texts rarely share one.

use std::sync::LazyLock;

use rustc_hash::{FxHashMap, FxHashSet};
use xxhash_rust::xxh3::xxh3_64;

/// A fast 64-bit finaliser (splitmix64's), used to derive independent hashes from one.
pub fn mix(mut z: u64) -> u64 {
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}

/// Hashes of the normalised words of `text`, in order: runs of letters and digits,
/// lower-cased. ASCII is lower-cased byte by byte, the rest by `char::to_lowercase`; both give
/// what lower-casing the whole word as a string gives (a differential test holds them equal).
pub fn word_hashes(text: &str, out: &mut Vec<u64>) {
    let mut word: Vec<u8> = Vec::with_capacity(32);
    let mut utf8 = [0u8; 4];
    for c in text.chars() {
        if c.is_ascii_alphanumeric() {
            word.push(c.to_ascii_lowercase() as u8);
        } else if !c.is_ascii() && c.is_alphanumeric() {
            for lower in c.to_lowercase() {
                word.extend_from_slice(lower.encode_utf8(&mut utf8).as_bytes());
            }
        } else if !word.is_empty() {
            out.push(xxh3_64(&word));
            word.clear();
        }
    }
    if !word.is_empty() {
        out.push(xxh3_64(&word));
    }
}

/// The word hashes of a record's title followed by its body.
pub fn record_words(title: Option<&str>, body: &str) -> Vec<u64> {
    let mut words = Vec::with_capacity(body.len() / 5 + 16);
    if let Some(title) = title {
        word_hashes(title, &mut words);
    }
    word_hashes(body, &mut words);
    words
}

/// Tokens per skeleton shingle.
pub const SKELETON_WINDOW: usize = 8;

/// Fewest function words in a skeleton shingle: runs of placeholders say nothing.
const SKELETON_MIN_FUNCTION: usize = 3;

/// Function words of English that spinners leave alone: articles, pronouns, prepositions,
/// conjunctions, auxiliaries. Content verbs such as "said" are not here: spinners swap them.
const FUNCTION_WORDS: &[&str] = &[
    "a",
    "about",
    "above",
    "after",
    "again",
    "against",
    "all",
    "am",
    "an",
    "and",
    "any",
    "are",
    "as",
    "at",
    "be",
    "because",
    "been",
    "before",
    "being",
    "below",
    "between",
    "both",
    "but",
    "by",
    "can",
    "could",
    "did",
    "do",
    "does",
    "doing",
    "down",
    "during",
    "each",
    "few",
    "for",
    "from",
    "further",
    "had",
    "has",
    "have",
    "having",
    "he",
    "her",
    "here",
    "hers",
    "herself",
    "him",
    "himself",
    "his",
    "how",
    "i",
    "if",
    "in",
    "into",
    "is",
    "it",
    "its",
    "itself",
    "me",
    "more",
    "most",
    "my",
    "myself",
    "no",
    "nor",
    "not",
    "of",
    "off",
    "on",
    "once",
    "only",
    "or",
    "other",
    "our",
    "ours",
    "ourselves",
    "out",
    "over",
    "own",
    "same",
    "she",
    "should",
    "so",
    "some",
    "such",
    "than",
    "that",
    "the",
    "their",
    "theirs",
    "them",
    "themselves",
    "then",
    "there",
    "these",
    "they",
    "this",
    "those",
    "through",
    "to",
    "too",
    "under",
    "until",
    "up",
    "very",
    "was",
    "we",
    "were",
    "what",
    "when",
    "where",
    "which",
    "while",
    "who",
    "whom",
    "why",
    "will",
    "with",
    "would",
    "you",
    "your",
    "yours",
    "yourself",
    "yourselves",
];

/// Function-word ids of the words' hashes: 1 + its place in `FUNCTION_WORDS`, made once.
static FUNCTION_IDS: LazyLock<FxHashMap<u64, u8>> = LazyLock::new(|| {
    const { assert!(FUNCTION_WORDS.len() < 256) };
    FUNCTION_WORDS
        .iter()
        .zip(1u8..)
        .map(|(w, id)| (xxh3_64(w.as_bytes()), id))
        .collect()
});

/// For each word hash, its function-word id, or 0 for a content word.
pub fn function_ids(words: &[u64]) -> Vec<u8> {
    let ids = &*FUNCTION_IDS;
    words
        .iter()
        .map(|w| ids.get(w).copied().unwrap_or(0))
        .collect()
}

/// Seed of the skeleton shingle hash, so it is not the 2-gram hash of anything.
const SKELETON_SEED: u64 = 0x243F_6A88_85A3_08D3;

/// Skeleton shingle hashes of the title followed by the body (see the module doc).
pub fn skeleton_shingles(title: Option<&str>, body: &str) -> Vec<u64> {
    skeleton_shingles_of(&function_ids(&record_words(title, body)))
}

/// Skeleton shingle hashes of a text's function-word ids (`function_ids`), in order; a
/// shingle that recurs is listed each time (MinHash does not count repeats). A window of
/// `SKELETON_WINDOW` ids is exactly one u64, content words being 0, so each shingle costs one
/// mix, and two windows share a hash only when they are equal (`mix` is a bijection).
pub fn skeleton_shingles_of(ids: &[u8]) -> Vec<u64> {
    const { assert!(SKELETON_WINDOW == 8) };
    let mut shingles = Vec::with_capacity(ids.len().saturating_sub(SKELETON_WINDOW - 1));
    let (mut window, mut function) = (0u64, 0usize);
    for (at, &id) in ids.iter().enumerate() {
        let leaving = (window >> 56) as u8;
        window = (window << 8) | u64::from(id);
        function += usize::from(id != 0);
        if at >= SKELETON_WINDOW {
            function -= usize::from(leaving != 0);
        }
        if at + 1 >= SKELETON_WINDOW && function >= SKELETON_MIN_FUNCTION {
            shingles.push(mix(window ^ SKELETON_SEED));
        }
    }
    shingles
}

/// The hash of the 2-gram (first, second); order matters.
fn pair_hash(first: u64, second: u64) -> u64 {
    mix(first.rotate_left(23) ^ second.wrapping_mul(0x9E37_79B9_7F4A_7C15))
}

/// Distinct 2-gram hashes of the title followed by the body, in order of first appearance. A
/// text of one word is that word alone; no word at all gives an empty list.
pub fn shingles(title: Option<&str>, body: &str) -> Vec<u64> {
    let words = record_words(title, body);
    shingles_of(&words, &function_ids(&words))
}

/// Distinct 2-gram hashes of a text's word hashes (see `shingles`). Pairs of two function
/// words ("of the", "in a") are left out: nearly every text has them, so they won MinHash bins
/// in unrelated texts alike, and LSH then paired unrelated texts by the million (3 million
/// candidate pairs at 100,000 records, 75,000 without them). A text with no other pair keeps
/// them.
pub fn shingles_of(words: &[u64], function_ids: &[u8]) -> Vec<u64> {
    if words.len() == 1 {
        return vec![mix(words[0])];
    }
    let mut seen = FxHashSet::with_capacity_and_hasher(words.len(), Default::default());
    let all: Vec<u64> = words
        .windows(2)
        .zip(function_ids.windows(2))
        .filter(|(_, ids)| ids[0] == 0 || ids[1] == 0)
        .map(|(pair, _)| pair_hash(pair[0], pair[1]))
        .filter(|hash| seen.insert(*hash))
        .collect();
    if all.is_empty() {
        return words
            .windows(2)
            .map(|pair| pair_hash(pair[0], pair[1]))
            .collect();
    }
    all
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    /// `word_hashes` as first written: every character lower-cased into a `String`.
    fn word_hashes_by_string(text: &str) -> Vec<u64> {
        let (mut out, mut word) = (Vec::new(), String::new());
        for c in text.chars() {
            if c.is_alphanumeric() {
                word.extend(c.to_lowercase());
            } else if !word.is_empty() {
                out.push(xxh3_64(word.as_bytes()));
                word.clear();
            }
        }
        if !word.is_empty() {
            out.push(xxh3_64(word.as_bytes()));
        }
        out
    }

    /// `skeleton_shingles_of` written plainly: every window packed and counted anew.
    fn skeleton_shingles_by_windows(ids: &[u8]) -> Vec<u64> {
        ids.windows(SKELETON_WINDOW)
            .filter(|w| w.iter().filter(|&&id| id != 0).count() >= SKELETON_MIN_FUNCTION)
            .map(|w| mix(w.iter().fold(0u64, |key, &id| key << 8 | u64::from(id)) ^ SKELETON_SEED))
            .collect()
    }

    proptest! {
        #[test]
        fn rolling_skeleton_windows_agree_with_plain_ones(
            ids in proptest::collection::vec(prop_oneof![3 => Just(0u8), 1 => 1u8..=255], 0..60)
        ) {
            prop_assert_eq!(skeleton_shingles_of(&ids), skeleton_shingles_by_windows(&ids));
        }

        #[test]
        fn ascii_fast_path_agrees_with_lowercasing_strings(text in "(\\PC|[A-Za-z0-9 ,.'İΣẞ])*") {
            let mut fast = Vec::new();
            word_hashes(&text, &mut fast);
            prop_assert_eq!(fast, word_hashes_by_string(&text));
        }
    }

    #[test]
    fn case_punctuation_and_spacing_do_not_matter() {
        let a = shingles(Some("Storm hits coast"), "Ships, said the port,   stay in.");
        let b = shingles(Some("storm HITS coast"), "ships said the port stay in");
        let (mut a, mut b) = (a, b);
        a.sort_unstable();
        b.sort_unstable();
        assert_eq!(a, b);
    }

    #[test]
    fn word_order_matters_and_repeats_count_once() {
        let ab = shingles(None, "alpha beta");
        let ba = shingles(None, "beta alpha");
        assert_ne!(ab, ba);
        assert_eq!(shingles(None, "alpha beta alpha beta").len(), 2);
    }

    #[test]
    fn skeletons_ignore_content_words_but_not_function_words() {
        let text = "the board voted to raise charges for all of the farms in the valley";
        let spun = "the panel decided to increase fees for all of the holdings in the region";
        let other = "a board voted with raise charges for all in those farms of the valley";
        let (mut a, mut b) = (skeleton_shingles(None, text), skeleton_shingles(None, spun));
        a.sort_unstable();
        b.sort_unstable();
        assert!(!a.is_empty());
        assert_eq!(a, b);
        let c = skeleton_shingles(None, other);
        assert!(c.iter().all(|h| !a.contains(h)));
        assert!(skeleton_shingles(None, "storm hits coast").is_empty());
    }

    #[test]
    fn short_texts() {
        assert!(shingles(None, "  ... ").is_empty());
        assert_eq!(shingles(None, "alone").len(), 1);
        assert_eq!(shingles(Some("Köln"), "").len(), 1);
    }
}
