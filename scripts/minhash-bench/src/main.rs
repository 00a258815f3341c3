//! minhash-bench: how long newsidx's fingerprints take, against the gaoya crate's MinHash, on
//! the articles of a folder (a gen-corpus archive). A benchmark, never a timed test.
//!
//! ```text
//! minhash-bench DIR [LIMIT]
//! ```
//!
//! Reads every `.md` file under DIR (title line and body after the front matter), then times,
//! on one thread: newsidx's shingling alone; its whole fingerprint (shingles, one-permutation
//! MinHash of 256 bins, containment sample); gaoya's `MinHasher32` with 256 hash functions on
//! the same pre-hashed shingles; and gaoya on the word 2-grams as strings. It also checks
//! that the two estimate the same Jaccard similarity on neighbouring documents.

#[allow(dead_code)]
#[path = "../../../src/fingerprint/mod.rs"]
mod fingerprint;

use std::path::Path;
use std::time::Instant;

use gaoya::minhash::{MinHasher, MinHasher32};

fn read_articles(dir: &Path, out: &mut Vec<(String, String)>, limit: usize) {
    let Ok(entries) = std::fs::read_dir(dir) else { return };
    let mut entries: Vec<_> = entries.flatten().map(|e| e.path()).collect();
    entries.sort();
    for path in entries {
        if out.len() >= limit {
            return;
        }
        if path.is_dir() {
            read_articles(&path, out, limit);
        } else if path.extension().is_some_and(|e| e == "md") {
            let Ok(text) = std::fs::read_to_string(&path) else { continue };
            let title = text
                .lines()
                .find_map(|l| l.strip_prefix("title: "))
                .unwrap_or("")
                .trim_matches('"')
                .to_owned();
            let body = text.splitn(3, "\n---\n").nth(1).unwrap_or("").to_owned();
            out.push((title, body));
        }
    }
}

fn seconds<T>(label: &str, docs: usize, f: impl FnOnce() -> T) -> T {
    let started = Instant::now();
    let value = f();
    let secs = started.elapsed().as_secs_f64();
    println!("{label:<48} {secs:>7.3} s   {:>6.1} µs/doc", secs * 1e6 / docs as f64);
    value
}

fn main() {
    let mut args = std::env::args().skip(1);
    let dir = args.next().expect("usage: minhash-bench DIR [LIMIT]");
    let limit = args.next().and_then(|l| l.parse().ok()).unwrap_or(usize::MAX);
    let mut articles = Vec::new();
    read_articles(Path::new(&dir), &mut articles, limit);
    let n = articles.len();
    let bytes: usize = articles.iter().map(|(t, b)| t.len() + b.len()).sum();
    println!("{n} articles, {:.1} MB of text", bytes as f64 / 1e6);

    let shingles: Vec<Vec<u64>> = seconds("newsidx shingles (word 2-grams, xxh3)", n, || {
        articles.iter().map(|(t, b)| fingerprint::shingle::shingles(Some(t), b)).collect()
    });
    let ours: Vec<_> = seconds("newsidx fingerprint (shingles + OPH 256 + sample)", n, || {
        articles.iter().map(|(t, b)| fingerprint::Fingerprint::of_text(Some(t), b)).collect::<Vec<_>>()
    });
    seconds("newsidx OPH 256 alone, on pre-hashed shingles", n, || {
        shingles.iter().map(|s| fingerprint::minhash::signature(s)).count()
    });
    let hasher = MinHasher32::new(256);
    let theirs: Vec<Vec<u32>> = seconds("gaoya MinHasher32(256), on pre-hashed shingles", n, || {
        shingles.iter().map(|s| hasher.create_signature(s.iter())).collect()
    });
    seconds("gaoya MinHasher32(256), on 2-gram strings", n, || {
        articles
            .iter()
            .map(|(t, b)| {
                let text = format!("{t} {b}").to_lowercase();
                let words: Vec<&str> = text.split(|c: char| !c.is_alphanumeric()).filter(|w| !w.is_empty()).collect();
                let grams: Vec<String> = words.windows(2).map(|w| format!("{} {}", w[0], w[1])).collect();
                hasher.create_signature(grams.iter())
            })
            .count()
    });

    // Agreement: both estimates against the exact Jaccard on neighbouring articles that overlap.
    let (mut err_ours, mut err_theirs, mut pairs) = (0.0f64, 0.0f64, 0usize);
    for i in 1..n {
        let (a, b) = (&shingles[i - 1], &shingles[i]);
        let set: std::collections::HashSet<u64> = a.iter().copied().collect();
        let common = b.iter().filter(|h| set.contains(h)).count();
        let union = a.len() + b.len() - common;
        if union == 0 {
            continue;
        }
        let exact = common as f64 / union as f64;
        // Unrelated neighbours (J near 0) say nothing; planted copies sit side by side.
        if exact < 0.1 {
            continue;
        }
        if let (Some(x), Some(y)) = (&ours[i - 1], &ours[i]) {
            err_ours += (f64::from(x.jaccard(y)) - exact).abs();
        }
        let same = theirs[i - 1].iter().zip(&theirs[i]).filter(|(x, y)| x == y).count();
        err_theirs += (same as f64 / 256.0 - exact).abs();
        pairs += 1;
    }
    println!(
        "mean |estimate - exact J| over {pairs} neighbouring pairs: newsidx {:.4}, gaoya {:.4}",
        err_ours / pairs as f64,
        err_theirs / pairs as f64
    );
}
