//! Planted copies and hard negatives, for the `newsidx dups` benchmark (`--copies`, `--negatives`,
//! `--labels`).
//!
//! A share of the generated articles get 1-3 copies, each of one kind:
//! - `exact`: the same title and body under another provider's URL;
//! - `retitled`: the same body under a new headline (syndicated);
//! - `truncated`: the first 40-70% of the body;
//! - `padded`: the body between newsletter boilerplate that adds 30-60% to its length;
//! - `spun10` ... `spun50`: that share of all words swapped for a synonym, as article spinners
//!   do: only content words, never function words, each by a fixed thesaurus entry.
//!
//! Hard negatives are families of monthly release notes: twelve distinct articles per family that
//! share the family's opening and closing paragraphs (about a third of each text).
//!
//! The labels file has one JSON object per planted or original file:
//! `{"path": …, "story": …, "kind": …}`; files with the same `story` are copies of one story
//! (`kind` is `original`, a copy kind, or `negative`, each negative its own story).

use std::fmt::Write as _;

use super::{capitalize, slugify, yaml_str, Date, Generated, Rng, World};

/// Copy kinds and how likely each is.
pub const KINDS: &[&str] =
    &["exact", "retitled", "truncated", "padded", "spun10", "spun20", "spun30", "spun50"];

const STREAM_COPIES: u64 = 10;
const STREAM_NEGATIVES: u64 = 11;
const STREAM_BOILERPLATE: u64 = 12;

/// One file to write and its label.
pub struct Planted {
    pub rel: String,
    pub text: String,
    pub label: String,
}

/// The copies of article `i` (none for most), and the original's own label when it has copies.
pub fn copies_of(world: &World, seed: u64, i: u64, g: &Generated, share: f64) -> (Vec<Planted>, Option<String>) {
    let mut rng = Rng::new(seed, STREAM_COPIES, i);
    if !rng.chance(share) {
        return (Vec::new(), None);
    }
    let mut planted = Vec::new();
    let count = rng.range(1, 3);
    for c in 0..count {
        let kind = rng.pick(KINDS);
        let (title, body) = match kind {
            "exact" => (g.title.clone(), g.body.clone()),
            "retitled" => (headline(world, &mut rng), g.body.clone()),
            "truncated" => (g.title.clone(), truncate(&g.body, 0.4 + 0.3 * rng.f64())),
            "padded" => (g.title.clone(), pad(world, seed, &mut rng, &g.body)),
            spun => {
                let rate: f64 = spun.trim_start_matches("spun").parse::<f64>().unwrap_or(20.0) / 100.0;
                (g.title.clone(), spin(world, &mut rng, &g.body, rate))
            }
        };
        let provider = rng.below(world.providers.len() as u64) as usize;
        let date = Date::from_ts(g.ts + 3600 * rng.range(1, 72) as i64);
        let rel = format!("copies/{:04}/c{:06}-{c}-{kind}.md", i / 1000, i);
        let url = format!("https://www.{}/wire/{}-c{i}-{c}", world.providers[provider].domain, slugify(&title, 5));
        let text = article(world, &title, &url, &date, provider, &g.topics, &body);
        planted.push(Planted { label: label(&rel, &g.rel_md, kind), rel, text });
    }
    (planted, Some(label(&g.rel_md, &g.rel_md, "original")))
}

/// The twelve release notes of family `f`.
pub fn negatives(world: &World, seed: u64, f: u64) -> Vec<Planted> {
    let mut rng = Rng::new(seed, STREAM_NEGATIVES, f);
    let product = capitalize(world.title_word(&mut rng));
    let opening = paragraph(world, &mut rng, 45);
    let closing = paragraph(world, &mut rng, 45);
    let provider = rng.below(world.providers.len() as u64) as usize;
    let year = 2016 + rng.below(8) as i64;
    (1..=12)
        .map(|month| {
            let words = rng.range(150, 250) as usize;
            let changes = paragraph(world, &mut rng, words);
            let body = format!("{opening}\n\n{changes}\n\n{closing}");
            let title = format!("{product} {year}.{month} release notes");
            let days = (year - 1970) * 365 + (year - 1969) / 4 + 30 * (month as i64 - 1) + 10;
            let date = Date::from_ts(days * 86_400 + 9 * 3600);
            let rel = format!("negatives/f{f:04}/{year}-{month:02}.md");
            let url = format!("https://www.{}/releases/{}-{year}-{month}", world.providers[provider].domain, product.to_lowercase());
            let text = article(world, &title, &url, &date, provider, &["Technology".to_owned()], &body);
            Planted { label: label(&rel, &rel, "negative"), rel, text }
        })
        .collect()
}

fn label(path: &str, story: &str, kind: &str) -> String {
    format!(
        "{{\"path\":{},\"story\":{},\"kind\":\"{kind}\"}}\n",
        serde_json::to_string(path).expect("a string serialises"),
        serde_json::to_string(story).expect("a string serialises")
    )
}

fn article(world: &World, title: &str, url: &str, date: &Date, provider: usize, topics: &[String], body: &str) -> String {
    let p = &world.providers[provider];
    let mut out = String::with_capacity(body.len() + 512);
    out.push_str("---\n");
    let _ = writeln!(out, "title: \"{title}\"");
    let _ = writeln!(out, "publishedDateTime: {}", date.rfc3339());
    let _ = writeln!(out, "webUrl: \"{url}\"");
    let _ = writeln!(out, "provider:\n  name: {}\n  domain: {}", yaml_str(&p.name), p.domain);
    out.push_str("topics:\n");
    for t in topics {
        let _ = writeln!(out, "  - {}", yaml_str(t));
    }
    out.push_str("---\n");
    out.push_str(body);
    out.push('\n');
    out
}

fn headline(world: &World, rng: &mut Rng) -> String {
    let n = rng.range(5, 10);
    let words: Vec<String> = (0..n)
        .map(|k| {
            let w = world.title_word(rng);
            if k == 0 { capitalize(w) } else { w.to_owned() }
        })
        .collect();
    words.join(" ")
}

fn paragraph(world: &World, rng: &mut Rng, words: usize) -> String {
    let mut out = String::new();
    for k in 0..words {
        let w = world.word(rng);
        if k == 0 {
            out.push_str(&capitalize(w));
        } else {
            out.push(' ');
            out.push_str(w);
            if rng.chance(0.07) {
                out.push('.');
            }
        }
    }
    out.push('.');
    out
}

/// The first `share` of the words.
fn truncate(body: &str, share: f64) -> String {
    let words: Vec<&str> = body.split(' ').collect();
    let keep = ((words.len() as f64) * share).round().max(1.0) as usize;
    words[..keep].join(" ")
}

/// The body between two pieces of boilerplate, adding 30-60% to its length in words.
fn pad(world: &World, seed: u64, rng: &mut Rng, body: &str) -> String {
    // Four newsletters' boilerplate, fixed per seed: many padded copies share one.
    let which = rng.below(4);
    let mut fixed = Rng::new(seed, STREAM_BOILERPLATE, which);
    let boilerplate = paragraph(world, &mut fixed, 600);
    let words = body.split(' ').count();
    let extra = (words as f64 * (0.3 + 0.3 * rng.f64())) as usize;
    let pieces: Vec<&str> = boilerplate.split(' ').collect();
    let head = extra / 3;
    let top = pieces[..head].join(" ");
    let bottom = pieces[pieces.len() - (extra - head)..].join(" ");
    format!("{top}\n\n{body}\n\n{bottom}")
}

/// `rate` of all words swapped for their thesaurus entry (content words only).
fn spin(world: &World, rng: &mut Rng, body: &str, rate: f64) -> String {
    let is_content = |w: &str| {
        let bare = w.trim_end_matches(['.', ',', '?']).to_lowercase();
        !world.vocab[..world.first_content].contains(&bare)
    };
    let words: Vec<&str> = body.split(' ').collect();
    let content = words.iter().filter(|w| is_content(w)).count().max(1);
    let chance = (rate * words.len() as f64 / content as f64).min(1.0);
    words
        .iter()
        .map(|w| {
            if !is_content(w) || !rng.chance(chance) {
                return (*w).to_owned();
            }
            let bare = w.trim_end_matches(['.', ',', '?']);
            let tail = &w[bare.len()..];
            let synonym = thesaurus(world, &bare.to_lowercase());
            let synonym = if bare.starts_with(|c: char| c.is_uppercase()) { capitalize(synonym) } else { synonym.to_owned() };
            format!("{synonym}{tail}")
        })
        .collect::<Vec<_>>()
        .join(" ")
}

/// The fixed synonym of a content word: another content word, chosen by the word's hash.
fn thesaurus<'a>(world: &'a World, word: &str) -> &'a str {
    let hash = word.bytes().fold(0xcbf2_9ce4_8422_2325u64, |h, b| (h ^ u64::from(b)).wrapping_mul(0x100_0000_01b3));
    let content = world.vocab.len() - world.first_content;
    let pick = &world.vocab[world.first_content + (super::splitmix64(hash) % content as u64) as usize];
    if pick == word {
        &world.vocab[world.first_content + ((super::splitmix64(hash) + 1) % content as u64) as usize]
    } else {
        pick
    }
}
