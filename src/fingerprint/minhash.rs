//! One-permutation MinHash with optimal densification (Shrivastava, ICML 2017), and a
//! coordinated sample of shingle hashes for containment.
//!
//! One hash per shingle (the shingle hash itself) picks one of `BINS` bins by its top bits and
//! competes for that bin's minimum with its low bits: one pass over the shingles instead of
//! `BINS` hash functions per shingle. Bins no shingle fell in borrow the value of another bin,
//! chosen by a probe sequence that depends only on the bin, so two texts borrow alike and
//! equal bins still estimate the Jaccard similarity. Each bin keeps a 16-bit digest of its
//! minimum: two different minima agree by chance with odds 1 in 65,536.
//!
//! The containment sample keeps the shingles whose (re-mixed) hash falls in the lowest eighth,
//! at most `SAMPLE_MAX` of them, smallest first. Two texts sample the same shingles, so the
//! sampled shingles of a truncated copy are all found in the original's sample: containment
//! 1.0, where the Jaccard similarity is only the copy's share of the original.

use super::shingle::mix;

/// MinHash bins per signature.
pub const BINS: usize = 128;

/// Most sampled shingle keys kept per text.
pub const SAMPLE_MAX: usize = 48;

/// Fewest sampled keys of the smaller text for a containment estimate: fewer is noise.
pub const SAMPLE_MIN: usize = 8;

/// Low bits of a shingle hash that compete for the minimum of its bin.
const VALUE_MASK: u64 = (1 << 57) - 1;

/// Seed that makes the sample's hash independent of the bin choice.
const SAMPLE_SEED: u64 = 0x6A09_E667_F3BC_C908;

/// The MinHash signature of a set of shingle hashes (none: `None`).
pub fn signature(shingles: &[u64]) -> Option<[u16; BINS]> {
    if shingles.is_empty() {
        return None;
    }
    let mut minima = [u64::MAX; BINS];
    for &hash in shingles {
        let bin = (hash >> 57) as usize;
        let value = hash & VALUE_MASK;
        if value < minima[bin] {
            minima[bin] = value;
        }
    }
    let mut bins = [0u16; BINS];
    for (bin, minimum) in bins.iter_mut().zip(minima) {
        if minimum != u64::MAX {
            *bin = (mix(minimum) >> 48) as u16;
        }
    }
    for empty in 0..BINS {
        if minima[empty] == u64::MAX {
            bins[empty] = bins[donor(empty, &minima)];
        }
    }
    Some(bins)
}

/// The filled bin an empty bin borrows from: the first filled one of its probe sequence.
fn donor(empty: usize, minima: &[u64; BINS]) -> usize {
    for attempt in 1..=4 * BINS as u64 {
        let probe = (mix(((empty as u64) << 32) | attempt) % BINS as u64) as usize;
        if minima[probe] != u64::MAX {
            return probe;
        }
    }
    // Only reached when nearly every bin is empty; any fixed rule keeps two texts alike.
    (0..BINS)
        .map(|step| (empty + step) % BINS)
        .find(|&bin| minima[bin] != u64::MAX)
        .unwrap_or(empty)
}

/// The fraction of equal bins: the estimated Jaccard similarity of the two shingle sets.
pub fn jaccard(a: &[u16; BINS], b: &[u16; BINS]) -> f32 {
    let equal = a.iter().zip(b).filter(|(x, y)| x == y).count();
    equal as f32 / BINS as f32
}

/// The coordinated sample of a set of shingle hashes: sorted keys, at most `SAMPLE_MAX`.
pub fn sample(shingles: &[u64]) -> Vec<u32> {
    let mut keys: Vec<u32> = shingles
        .iter()
        .map(|&hash| mix(hash ^ SAMPLE_SEED))
        .filter(|&hash| hash >> 61 == 0)
        .map(|hash| (hash >> 29) as u32)
        .collect();
    keys.sort_unstable();
    keys.dedup();
    keys.truncate(SAMPLE_MAX);
    keys
}

/// The estimated share of `inner`'s shingles that are also in `outer`, from their samples;
/// `None` when `inner` has too few sampled keys in the range both samples cover.
pub fn containment(inner: &[u32], outer: &[u32]) -> Option<f32> {
    // A full sample covers keys up to its largest; a short one covers every key.
    let covered = |keys: &[u32]| match keys.len() {
        SAMPLE_MAX => keys[SAMPLE_MAX - 1],
        _ => u32::MAX,
    };
    let limit = covered(inner).min(covered(outer));
    let mut total = 0usize;
    let mut common = 0usize;
    let mut others = outer.iter().peekable();
    for &key in inner.iter().take_while(|&&k| k <= limit) {
        total += 1;
        while others.next_if(|&&other| other < key).is_some() {}
        if others.peek() == Some(&&key) {
            common += 1;
        }
    }
    (total >= SAMPLE_MIN).then(|| common as f32 / total as f32)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn hashes(range: std::ops::Range<u64>) -> Vec<u64> {
        range.map(|i| mix(i.wrapping_mul(7919) + 1)).collect()
    }

    #[test]
    fn identical_sets_are_equal_and_disjoint_sets_nearly_never() {
        let a = signature(&hashes(0..400)).unwrap();
        let b = signature(&hashes(1000..1400)).unwrap();
        assert_eq!(jaccard(&a, &a), 1.0);
        assert!(jaccard(&a, &b) < 0.05, "{}", jaccard(&a, &b));
        assert!(signature(&[]).is_none());
    }

    #[test]
    fn half_overlap_estimates_a_third() {
        // |A ∩ B| = 200, |A ∪ B| = 600.
        let a = signature(&hashes(0..400)).unwrap();
        let b = signature(&hashes(200..600)).unwrap();
        let estimate = jaccard(&a, &b);
        assert!((estimate - 1.0 / 3.0).abs() < 0.15, "{estimate}");
    }

    #[test]
    fn densification_keeps_short_texts_comparable() {
        // 10 shingles fill at most 10 of 128 bins; the rest are borrowed alike.
        let a = signature(&hashes(0..10)).unwrap();
        let b = signature(&hashes(0..10)).unwrap();
        assert_eq!(jaccard(&a, &b), 1.0);
        let c = signature(&hashes(5..15)).unwrap();
        let estimate = jaccard(&a, &c);
        assert!(estimate > 0.05 && estimate < 0.75, "{estimate}");
    }

    #[test]
    fn a_truncated_copy_is_wholly_contained() {
        let original = sample(&hashes(0..800));
        let first_half = sample(&hashes(0..400));
        assert_eq!(containment(&first_half, &original), Some(1.0));
        let other = sample(&hashes(5000..5400));
        assert!(containment(&other, &original).unwrap_or(0.0) < 0.1);
    }

    #[test]
    fn containment_needs_enough_samples() {
        let tiny = sample(&hashes(0..20));
        assert!(tiny.len() < SAMPLE_MIN);
        assert_eq!(containment(&tiny, &sample(&hashes(0..800))), None);
    }
}
