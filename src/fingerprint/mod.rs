//! Fingerprints of a record's text, for finding copies of one story (`dups`, `--collapse`,
//! `similar`'s `copy` flag). Pure functions, no tantivy: text in, bytes out at build time;
//! bytes in, similarities and clusters out at query time.
//!
//! ```text
//! title + body ──> word 2-gram hashes ──> MinHash signature (256 x 8 bits)   ── Jaccard
//!                  (shingle)              + coordinated sample (<= 48 keys)   ── containment
//! signatures ──> LSH bands (lsh) ──> candidate pairs ──> verified ──> star clusters (cluster)
//! ```
//!
//! A copy of a story resembles it when the estimated Jaccard similarity of their 2-gram sets
//! reaches the threshold, or when the smaller one's 2-grams are nearly all inside the larger
//! (containment at least `CONTAINMENT_MIN`): a copy cut short, or the story padded with
//! boilerplate; or when their skeletons (function words in place, content words blanked) are
//! alike, `SKELETON_MIN` at least, and they still share `SKELETON_FLOOR` of their 2-grams: a
//! spun copy, whose synonyms broke most of its 2-grams but none of its skeleton.

pub mod cluster;
pub mod lsh;
pub mod minhash;
pub mod shingle;

use minhash::BINS;

/// Bins of the skeleton signature.
pub const SKELETON_BINS: usize = 128;

/// Skeleton similarity from which two texts that share `SKELETON_FLOOR` of their 2-grams
/// count as copies. Distinct stories of one template share their template's skeleton only
/// (about a third here); a copy spun at 30-50% keeps 0.8 or more of it.
pub const SKELETON_MIN: f32 = 0.6;

/// Least 2-gram Jaccard similarity for the skeleton to count: two unrelated texts may share
/// a run of sentence shapes, but hardly any content word pairs (pairs of two function words
/// are not in the sets). A copy spun at 50% keeps about 3% of them.
pub const SKELETON_FLOOR: f32 = 0.02;

/// Fewest distinct skeleton shingles each text needs for the skeleton to count, and the least
/// share of its 2-grams they must make. Prose keeps function words in most windows (about one
/// skeleton shingle a 2-gram); a list of commits or code, or text in a language whose
/// function words are not English, has a handful, shared by every text of its kind: Node.js
/// release notes six years apart had 3 to 6 each, of 258 to 469 2-grams, and their skeletons
/// matched at 1.0 while their 2-grams shared 0.12 to 0.19.
pub const SKELETON_MIN_SHINGLES: u32 = 16;
pub const SKELETON_MIN_SHARE: f32 = 0.3;

/// Containment above which a smaller text counts as a copy of a larger one, whatever their
/// Jaccard similarity. Two distinct stories of one template rarely share 80% of their 2-grams.
pub const CONTAINMENT_MIN: f32 = 0.8;

/// The first byte of an encoded fingerprint; another value is not read.
const FORMAT: u8 = 4;

/// The fingerprint of one record's text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Fingerprint {
    /// Distinct 2-grams of the text (saturating).
    pub shingles: u32,
    /// Distinct skeleton shingles of the text (saturating).
    pub skeleton_shingles: u32,
    /// MinHash signature.
    pub bins: [u8; BINS],
    /// MinHash signature of the skeleton (all zero when the text has no skeleton shingle).
    pub skeleton: [u8; SKELETON_BINS],
    /// Coordinated sample for containment, sorted.
    pub sample: Vec<u32>,
}

impl Fingerprint {
    /// The fingerprint of a title and body; `None` for a text without words.
    pub fn of_text(title: Option<&str>, body: &str) -> Option<Fingerprint> {
        // The words are read once for both sets.
        let words = shingle::record_words(title, body);
        let function_ids = shingle::function_ids(&words);
        let shingles = shingle::shingles_of(&words, &function_ids);
        let skeleton = shingle::skeleton_shingles_of(&function_ids);
        Some(Fingerprint {
            bins: minhash::signature(&shingles)?,
            skeleton: minhash::signature_of(&skeleton).unwrap_or([0; SKELETON_BINS]),
            skeleton_shingles: distinct_count(&skeleton),
            sample: minhash::sample(&shingles),
            shingles: u32::try_from(shingles.len()).unwrap_or(u32::MAX),
        })
    }

    /// The stored form: format byte, shingle and skeleton shingle counts, the bins, the
    /// skeleton's bins, the sample's length and keys (little-endian).
    pub fn to_bytes(&self) -> Vec<u8> {
        let mut bytes = Vec::with_capacity(10 + BINS + SKELETON_BINS + 4 * self.sample.len());
        bytes.push(FORMAT);
        bytes.extend_from_slice(&self.shingles.to_le_bytes());
        bytes.extend_from_slice(&self.skeleton_shingles.to_le_bytes());
        bytes.extend_from_slice(&self.bins);
        bytes.extend_from_slice(&self.skeleton);
        bytes.push(self.sample.len() as u8);
        for key in &self.sample {
            bytes.extend_from_slice(&key.to_le_bytes());
        }
        bytes
    }

    /// Reads the stored form; `None` when it is not one `to_bytes` wrote.
    pub fn from_bytes(bytes: &[u8]) -> Option<Fingerprint> {
        let (&format, rest) = bytes.split_first()?;
        if format != FORMAT || rest.len() < 9 + BINS + SKELETON_BINS {
            return None;
        }
        let (count, rest) = rest.split_at(4);
        let (skeleton_count, rest) = rest.split_at(4);
        let (bin_bytes, rest) = rest.split_at(BINS);
        let (skeleton_bytes, rest) = rest.split_at(SKELETON_BINS);
        let (&len, keys) = rest.split_first()?;
        if keys.len() != 4 * usize::from(len) {
            return None;
        }
        let bins: [u8; BINS] = bin_bytes.try_into().ok()?;
        let skeleton: [u8; SKELETON_BINS] = skeleton_bytes.try_into().ok()?;
        Some(Fingerprint {
            shingles: u32::from_le_bytes([count[0], count[1], count[2], count[3]]),
            skeleton_shingles: u32::from_le_bytes(skeleton_count.try_into().ok()?),
            bins,
            skeleton,
            sample: keys
                .chunks_exact(4)
                .map(|k| u32::from_le_bytes([k[0], k[1], k[2], k[3]]))
                .collect(),
        })
    }

    /// The estimated Jaccard similarity of the two 2-gram sets.
    pub fn jaccard(&self, other: &Fingerprint) -> f32 {
        minhash::jaccard(&self.bins, &other.bins)
    }

    /// The estimated share of the smaller text's 2-grams found in the larger one, when the
    /// samples allow an estimate.
    pub fn containment(&self, other: &Fingerprint) -> Option<f32> {
        let (inner, outer) = if self.shingles <= other.shingles {
            (self, other)
        } else {
            (other, self)
        };
        minhash::containment(&inner.sample, &outer.sample)
    }

    /// The estimated Jaccard similarity of the two skeletons (0 when either has too small a
    /// one to say anything: `SKELETON_MIN_SHINGLES`, `SKELETON_MIN_SHARE`).
    pub fn skeleton_jaccard(&self, other: &Fingerprint) -> f32 {
        if !self.has_skeleton() || !other.has_skeleton() {
            return 0.0;
        }
        minhash::jaccard(&self.skeleton, &other.skeleton)
    }

    /// Whether the text's skeleton is prose's: enough shingles, and enough of its 2-grams.
    fn has_skeleton(&self) -> bool {
        self.skeleton_shingles >= SKELETON_MIN_SHINGLES
            && self.skeleton_shingles as f32 >= SKELETON_MIN_SHARE * self.shingles as f32
    }

    /// How much the two texts resemble each other, 0-1: the Jaccard similarity; or the
    /// containment when it reaches `CONTAINMENT_MIN` (a truncated or padded copy); or the
    /// skeleton similarity when it reaches `SKELETON_MIN` and the Jaccard similarity
    /// `SKELETON_FLOOR` (a spun copy).
    pub fn resemblance(&self, other: &Fingerprint) -> f32 {
        let jaccard = self.jaccard(other);
        let mut best = jaccard;
        if let Some(contained) = self.containment(other) {
            if contained >= CONTAINMENT_MIN {
                best = best.max(contained);
            }
        }
        if jaccard >= SKELETON_FLOOR {
            let skeleton = self.skeleton_jaccard(other);
            if skeleton >= SKELETON_MIN {
                best = best.max(skeleton);
            }
        }
        best
    }
}

/// How many distinct values `hashes` holds (saturating).
fn distinct_count(hashes: &[u64]) -> u32 {
    let mut sorted = hashes.to_vec();
    sorted.sort_unstable();
    sorted.dedup();
    u32::try_from(sorted.len()).unwrap_or(u32::MAX)
}

#[cfg(test)]
mod tests {
    use std::collections::HashSet;

    use proptest::prelude::*;

    use super::*;

    const STORY: &str = "The harbour authority said on Tuesday that container traffic fell by a \
        fifth in the first quarter, as shipping lines rerouted vessels around the southern cape \
        to avoid the strait. Dock workers warned that further cuts would follow if the decline \
        went on, and the port's chief executive promised a review of fees before the summer. \
        Analysts expect the slowdown to weigh on the regional economy for the rest of the year, \
        with warehouse operators already reporting empty floors and fewer lorries at the gates.";

    #[test]
    fn bytes_round_trip_and_reject_garbage() {
        let fp = Fingerprint::of_text(Some("Port traffic falls"), STORY).unwrap();
        assert_eq!(Fingerprint::from_bytes(&fp.to_bytes()), Some(fp.clone()));
        assert_eq!(Fingerprint::from_bytes(&[]), None);
        assert_eq!(Fingerprint::from_bytes(&[9; 300]), None);
        let mut cut = fp.to_bytes();
        cut.pop();
        assert_eq!(Fingerprint::from_bytes(&cut), None);
        assert!(Fingerprint::of_text(None, " -- ").is_none());
    }

    #[test]
    fn copies_under_a_new_title_resemble_the_story() {
        let a = Fingerprint::of_text(Some("Port traffic falls"), STORY).unwrap();
        let b = Fingerprint::of_text(Some("Shipping slump hits harbour"), STORY).unwrap();
        assert!(a.resemblance(&b) > 0.8, "{}", a.resemblance(&b));
    }

    #[test]
    fn a_heavily_spun_copy_keeps_its_skeleton() {
        // Every other long word swapped (a few function words too, as "their"): few 2-grams
        // survive.
        let spun: String = STORY
            .split(' ')
            .enumerate()
            .map(|(i, w)| match (i % 2, w.len() > 4) {
                (0, true) => format!("x{w}"),
                _ => w.to_owned(),
            })
            .collect::<Vec<_>>()
            .join(" ");
        let a = Fingerprint::of_text(None, STORY).unwrap();
        let b = Fingerprint::of_text(None, &spun).unwrap();
        assert!(a.jaccard(&b) < 0.4, "{}", a.jaccard(&b));
        assert!(a.skeleton_jaccard(&b) > 0.7, "{}", a.skeleton_jaccard(&b));
        assert!(a.resemblance(&b) > 0.7);
        // A text of other words in another order shares neither.
        let c =
            Fingerprint::of_text(None, "Ships of the line sailed at dawn to the north.").unwrap();
        assert!(a.resemblance(&c) < 0.1);
    }

    #[test]
    fn lists_of_one_template_with_few_function_words_are_not_copies() {
        // Release notes: commit lines of one shape, other modules, authors and versions.
        let notes = |seed: usize| -> String {
            let opening = "This is a security release. It is for all of the users. Fixed:\n";
            let modules = [
                "crypto", "http2", "tls", "deps", "napi", "dns", "lib", "test",
            ];
            let people = [
                "Ada Byron",
                "Linus Koch",
                "Mira Stone",
                "Omar Diaz",
                "Yuki Sato",
            ];
            let lines: String = (0..60)
                .map(|i| {
                    let k = i * 7 + seed * 13;
                    format!(
                        "- [{:x}] - **{}**: update {} to {}.{}.{} ({}) #{}\n",
                        k * 2_654_435_761 % 1_000_000_007,
                        modules[k % modules.len()],
                        ["nghttp2", "openssl", "undici", "npm", "ada", "acorn"][(k / 3) % 6],
                        seed + 1,
                        k % 41,
                        k % 7,
                        people[(k / 5) % people.len()],
                        30_000 + k * 17,
                    )
                })
                .collect();
            format!("{opening}{lines}")
        };
        let (a, b) = (notes(1), notes(9));
        let fa = Fingerprint::of_text(Some("Version 14.4.0 (Current)"), &a).unwrap();
        let fb = Fingerprint::of_text(Some("Version 26.3.1 (Current)"), &b).unwrap();
        assert!(fa.jaccard(&fb) < 0.3, "{}", fa.jaccard(&fb));
        assert!(
            (1..SKELETON_MIN_SHINGLES).contains(&fa.skeleton_shingles),
            "{}",
            fa.skeleton_shingles
        );
        // Their few skeleton shingles are the template's, alike in both: not a spun copy.
        let raw_skeleton = minhash::jaccard(&fa.skeleton, &fb.skeleton);
        assert!(raw_skeleton >= SKELETON_MIN, "{raw_skeleton}");
        assert!(fa.jaccard(&fb) >= SKELETON_FLOOR, "{}", fa.jaccard(&fb));
        assert_eq!(fa.skeleton_jaccard(&fb), 0.0);
        assert!(fa.resemblance(&fb) < 0.3, "{}", fa.resemblance(&fb));
    }

    #[test]
    fn a_truncated_copy_is_caught_by_containment() {
        let long: String = (0..4)
            .map(|i| format!("{STORY} Part {i} follows. "))
            .collect();
        let long = long
            .replace("Part 1", "Chapter one")
            .replace("Part 2", "Second");
        let half = &long[..long.len() / 2];
        let a = Fingerprint::of_text(None, &long).unwrap();
        let b = Fingerprint::of_text(None, half).unwrap();
        assert!(b.containment(&a).unwrap() >= 0.95);
        assert!(a.resemblance(&b) >= 0.95);
    }

    fn exact_jaccard(a: &[u64], b: &[u64]) -> f64 {
        let a: HashSet<u64> = a.iter().copied().collect();
        let b: HashSet<u64> = b.iter().copied().collect();
        let union = a.union(&b).count();
        if union == 0 {
            return 1.0;
        }
        a.intersection(&b).count() as f64 / union as f64
    }

    /// Texts over a small vocabulary: the second shares a prefix of the first, so the pair
    /// covers every overlap from none to total.
    fn text_pair() -> impl Strategy<Value = (String, String)> {
        let word = prop::sample::select(vec![
            "rain", "court", "vote", "bank", "strike", "fire", "road", "school", "price", "team",
            "river", "mayor", "storm", "plant", "union", "trade", "ship", "crop", "loan", "film",
        ]);
        (
            prop::collection::vec(word.clone(), 20..400),
            prop::collection::vec(word, 0..400),
            0.0f64..=1.0,
        )
            .prop_map(|(a, tail, keep)| {
                let kept = (a.len() as f64 * keep) as usize;
                let b: Vec<&str> = a[..kept].iter().chain(tail.iter()).copied().collect();
                (a.join(" "), b.join(" "))
            })
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(200))]

        /// The hand-written MinHash against the exact Jaccard similarity of the shingle sets:
        /// 256 bins give a standard error of at most 0.031 (more for short texts, whose bins
        /// are mostly borrowed), so 0.2 is more than 6 of them.
        #[test]
        fn minhash_estimates_exact_jaccard((a, b) in text_pair()) {
            let sa = shingle::shingles(None, &a);
            let sb = shingle::shingles(None, &b);
            let exact = exact_jaccard(&sa, &sb);
            let (Some(fa), Some(fb)) = (Fingerprint::of_text(None, &a), Fingerprint::of_text(None, &b)) else {
                return Ok(());
            };
            let estimate = f64::from(fa.jaccard(&fb));
            prop_assert!((estimate - exact).abs() <= 0.2, "exact {exact}, estimate {estimate}");
        }
    }

    #[test]
    fn minhash_is_unbiased_on_average() {
        // 200 independent pairs of sets of 50 to 3,000 shingles, overlapping by 0-100%.
        let mut total_error = 0.0;
        for trial in 0..200u64 {
            let size = [50, 300, 3000][(trial % 3) as usize];
            let shift = size * (trial % 11) / 10;
            let base = trial * 1_000_000;
            let a: Vec<u64> = (base..base + size).map(shingle::mix).collect();
            let b: Vec<u64> = (base + shift..base + shift + size)
                .map(shingle::mix)
                .collect();
            let exact = exact_jaccard(&a, &b);
            let estimate = f64::from(minhash::jaccard(
                &minhash::signature(&a).unwrap(),
                &minhash::signature(&b).unwrap(),
            ));
            total_error += estimate - exact;
        }
        let mean = total_error / 200.0;
        assert!(mean.abs() < 0.01, "mean error {mean}");
    }
}
