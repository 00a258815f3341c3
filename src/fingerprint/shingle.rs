//! Word shingles: the text of a record (title and body) as a set of hashed word 2-grams.
//!
//! Words are runs of letters and digits, lower-cased, so punctuation, case and spacing never
//! make two copies differ. A 2-gram is the pair of two neighbouring words; each is reduced to
//! a 64-bit hash (xxh3 of each word, then mixed), and the set of distinct hashes is what the
//! MinHash and containment sketches summarise.

use std::collections::HashSet;

use xxhash_rust::xxh3::xxh3_64;

/// A fast 64-bit finaliser (splitmix64's), used to derive independent hashes from one.
pub fn mix(mut z: u64) -> u64 {
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}

/// Hashes of the normalised words of `text`, in order.
pub fn word_hashes(text: &str, out: &mut Vec<u64>) {
    let mut word = String::new();
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
}

/// The hash of the 2-gram (first, second); order matters.
fn pair_hash(first: u64, second: u64) -> u64 {
    mix(first.rotate_left(23) ^ second.wrapping_mul(0x9E37_79B9_7F4A_7C15))
}

/// Distinct 2-gram hashes of the title followed by the body, unsorted. A text of one word is
/// that word alone; no word at all gives an empty list.
pub fn shingles(title: Option<&str>, body: &str) -> Vec<u64> {
    let mut words = Vec::with_capacity(body.len() / 5 + 16);
    if let Some(title) = title {
        word_hashes(title, &mut words);
    }
    word_hashes(body, &mut words);
    if words.len() == 1 {
        return vec![mix(words[0])];
    }
    let mut seen = HashSet::with_capacity(words.len());
    words
        .windows(2)
        .map(|pair| pair_hash(pair[0], pair[1]))
        .filter(|hash| seen.insert(*hash))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

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
    fn short_texts() {
        assert!(shingles(None, "  ... ").is_empty());
        assert_eq!(shingles(None, "alone").len(), 1);
        assert_eq!(shingles(Some("Köln"), "").len(), 1);
    }
}
