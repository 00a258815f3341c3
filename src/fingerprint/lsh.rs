//! LSH banding: the pairs of signatures worth comparing, without comparing every pair.
//!
//! The signature's first `BANDS * ROWS` bins are cut into bands; two signatures that agree on
//! every bin of any one band are a candidate pair. With 85 bands of 3 rows, a pair of Jaccard
//! similarity J is a candidate with probability about 1 - (1 - J^3)^85: 0.999 at J = 0.42 (a
//! copy spun at 20%), 0.90 at 0.3, 0.49 at 0.2. A band is 24 bits, so two unrelated texts
//! share one by chance with odds 1 in 16.8 million per band: at 100,000 texts, a few hundred
//! spurious pairs per band, each rejected by one comparison of signatures.
//!
//! A band value shared by very many texts comes from 2-grams nearly every text has ("of the",
//! "in the" winning three bins at once), not from copies; such buckets are skipped rather than
//! compared pair by pair, since real copies also agree on other bands.

use rayon::prelude::*;

use super::minhash::BINS;

/// Bands of the signature.
pub const BANDS: usize = 85;

/// Bins per band.
pub const ROWS: usize = 3;

/// Buckets with more signatures than this are skipped (see the module doc).
pub const MAX_BUCKET: usize = 500;

const _: () = assert!(BANDS * ROWS <= BINS);

/// The key of band `band` of a signature.
fn band_key(bins: &[u8], band: usize) -> u32 {
    bins[band * ROWS..(band + 1) * ROWS]
        .iter()
        .fold(0u32, |key, &bin| (key << 8) | u32::from(bin))
}

/// Candidate pairs `(i, j)`, `i < j`, of indices into `signatures`, each once, sorted.
pub fn candidate_pairs(signatures: &[&[u8; BINS]]) -> Vec<(u32, u32)> {
    let slices: Vec<&[u8]> = signatures.iter().map(|s| &s[..]).collect();
    candidate_pairs_in_bands(&slices, BANDS)
}

/// `candidate_pairs` over the first `bands` bands of `ROWS` bins of signatures of any length.
/// Bands are cut on the parsing pool's threads; keys and pairs are packed in `u64`s, whose
/// sorts took half of `dups` as tuples.
pub fn candidate_pairs_in_bands(signatures: &[&[u8]], bands: usize) -> Vec<(u32, u32)> {
    let mut packed: Vec<u64> = (0..bands)
        .into_par_iter()
        .map(|band| band_pairs(signatures, band))
        .reduce(Vec::new, |mut all, mut more| {
            all.append(&mut more);
            all
        });
    packed.par_sort_unstable();
    packed.dedup();
    packed
        .into_iter()
        .map(|pair| ((pair >> 32) as u32, pair as u32))
        .collect()
}

/// The pairs (`first << 32 | second`, first < second) that agree on every bin of `band`.
fn band_pairs(signatures: &[&[u8]], band: usize) -> Vec<u64> {
    let mut keyed: Vec<u64> = signatures
        .iter()
        .enumerate()
        .map(|(i, bins)| (u64::from(band_key(bins, band)) << 32) | i as u64)
        .collect();
    keyed.sort_unstable();
    let mut pairs = Vec::new();
    for bucket in keyed.chunk_by(|a, b| a >> 32 == b >> 32) {
        if bucket.len() < 2 || bucket.len() > MAX_BUCKET {
            continue;
        }
        for (n, &first) in bucket.iter().enumerate() {
            let first = first & u64::from(u32::MAX);
            pairs.extend(
                bucket[n + 1..]
                    .iter()
                    .map(|&second| (first << 32) | (second & u64::from(u32::MAX))),
            );
        }
    }
    pairs
}

#[cfg(test)]
mod tests {
    use super::*;

    fn signature(seed: u8) -> [u8; BINS] {
        std::array::from_fn(|i| {
            (i as u8)
                .wrapping_mul(31)
                .wrapping_add(seed.wrapping_mul(97))
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
        let refs: Vec<&[u8; BINS]> = many.iter().collect();
        assert!(candidate_pairs(&refs).is_empty());
    }
}
