//! LSH banding: the pairs of signatures worth comparing, without comparing every pair.
//!
//! The signature's first `BANDS * ROWS` bins are cut into bands; two signatures that agree on
//! every bin of any one band are a candidate pair. With 42 bands of 3 rows, a pair of Jaccard
//! similarity J is a candidate with probability 1 - (1 - J^3)^42: 0.99 at J = 0.48 (a copy
//! spun at 20%), 0.94 at 0.4, 0.28 at 0.2.
//!
//! A band value shared by very many texts comes from 2-grams nearly every text has ("of the",
//! "in the" winning three bins at once), not from copies; such buckets are skipped rather than
//! compared pair by pair, since real copies also agree on other bands.

use xxhash_rust::xxh3::xxh3_64_with_seed;

use super::minhash::BINS;

/// Bands of the signature.
pub const BANDS: usize = 42;

/// Bins per band.
pub const ROWS: usize = 3;

/// Buckets with more signatures than this are skipped (see the module doc).
pub const MAX_BUCKET: usize = 500;

const _: () = assert!(BANDS * ROWS <= BINS);

/// The key of band `band` of a signature.
fn band_key(bins: &[u16; BINS], band: usize) -> u64 {
    let mut bytes = [0u8; 2 * ROWS];
    for (row, chunk) in bytes.chunks_exact_mut(2).enumerate() {
        chunk.copy_from_slice(&bins[band * ROWS + row].to_le_bytes());
    }
    xxh3_64_with_seed(&bytes, band as u64)
}

/// Candidate pairs `(i, j)`, `i < j`, of indices into `signatures`, each once, sorted.
pub fn candidate_pairs(signatures: &[&[u16; BINS]]) -> Vec<(u32, u32)> {
    let mut pairs = Vec::new();
    let mut keyed: Vec<(u64, u32)> = Vec::with_capacity(signatures.len());
    for band in 0..BANDS {
        keyed.clear();
        keyed.extend(
            signatures
                .iter()
                .enumerate()
                .map(|(i, bins)| (band_key(bins, band), i as u32)),
        );
        keyed.sort_unstable();
        for bucket in keyed.chunk_by(|a, b| a.0 == b.0) {
            if bucket.len() < 2 || bucket.len() > MAX_BUCKET {
                continue;
            }
            for (n, &(_, first)) in bucket.iter().enumerate() {
                pairs.extend(bucket[n + 1..].iter().map(|&(_, second)| (first, second)));
            }
        }
    }
    pairs.sort_unstable();
    pairs.dedup();
    pairs
}

#[cfg(test)]
mod tests {
    use super::*;

    fn signature(seed: u16) -> [u16; BINS] {
        std::array::from_fn(|i| {
            (i as u16)
                .wrapping_mul(31)
                .wrapping_add(seed.wrapping_mul(977))
        })
    }

    #[test]
    fn equal_bands_make_candidates_and_others_do_not() {
        let a = signature(1);
        let mut b = signature(2);
        b[..ROWS].copy_from_slice(&a[..ROWS]); // agrees on band 0 only
        let c = signature(3);
        let pairs = candidate_pairs(&[&a, &b, &c]);
        assert_eq!(pairs, vec![(0, 1)]);
    }

    #[test]
    fn a_pair_is_listed_once() {
        let a = signature(7);
        assert_eq!(candidate_pairs(&[&a, &a]), vec![(0, 1)]);
    }

    #[test]
    fn oversized_buckets_are_skipped() {
        let many = vec![signature(5); MAX_BUCKET + 1];
        let refs: Vec<&[u16; BINS]> = many.iter().collect();
        assert!(candidate_pairs(&refs).is_empty());
    }
}
