//! gen-corpus: a deterministic generator of synthetic news archives for the newsidx benchmark.
//!
//! ```text
//! gen-corpus --articles N [--seed S] --out DIR [--jsonl FILE] [--clean]
//! ```
//!
//! Writes N articles shaped like `../shared/seeds/` (YAML front matter of about 2 KB, 2-4 KB of
//! body), 1,000 articles per folder (`DIR/0000/a000000-slug.md`, ...). Three quarters are a single
//! `.md` file; one quarter is a `.md` front-matter file with an empty body plus a paired
//! `same-name.txt` body file that starts with ` date YYYY-MM-DD `. With `--jsonl FILE`, the same
//! records are also written as one JSON object per line (tantivy-cli ingestion format).
//!
//! Determinism: every article is generated from its own PCG stream derived from (seed, article
//! number), with hand-written sampling helpers (no `rand` distributions whose algorithms could
//! change between versions), so the same seed gives byte-identical output. The vocabulary, topic
//! and provider lists are fixed (independent of the seed). A hidden `DIR/.gen-corpus.json` holds
//! the counts (files, bytes, marker-word document frequencies); newsidx and ripgrep skip it.
//!
//! Marker words with known document frequencies, for benchmark queries:
//! `halcyon` (~10% of articles), `zeppelin` (~1%), `quasar` (~0.1%). They never appear
//! elsewhere (not in the vocabulary, titles or topics).

use std::collections::HashSet;
use std::fmt::Write as _;
use std::io::Write as _;
use std::path::{Path, PathBuf};
use std::time::Instant;

mod copies;

use rand_core::{RngCore, SeedableRng};
use rand_pcg::Pcg64Mcg;

// ---------------------------------------------------------------------------------------------
// Deterministic RNG

fn splitmix64(mut z: u64) -> u64 {
    z = z.wrapping_add(0x9E37_79B9_7F4A_7C15);
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}

struct Rng(Pcg64Mcg);

impl Rng {
    /// A stream for (seed, purpose, index); independent streams make each article reproducible
    /// on its own (needed to describe article j inside article i's `related` list).
    fn new(seed: u64, stream: u64, index: u64) -> Rng {
        let s = splitmix64(seed ^ splitmix64(stream.wrapping_mul(0x100_0000_01B3) ^ splitmix64(index)));
        Rng(Pcg64Mcg::seed_from_u64(s))
    }
    fn u64(&mut self) -> u64 {
        self.0.next_u64()
    }
    /// Uniform in [0, 1).
    fn f64(&mut self) -> f64 {
        (self.u64() >> 11) as f64 * (1.0 / (1u64 << 53) as f64)
    }
    /// Uniform in [0, n) (multiply-shift; the bias is far below anything measurable here).
    fn below(&mut self, n: u64) -> u64 {
        ((self.u64() as u128 * n as u128) >> 64) as u64
    }
    /// Uniform in [lo, hi] inclusive.
    fn range(&mut self, lo: u64, hi: u64) -> u64 {
        lo + self.below(hi - lo + 1)
    }
    fn chance(&mut self, p: f64) -> bool {
        self.f64() < p
    }
    fn pick<T: Copy>(&mut self, items: &[T]) -> T {
        items[self.below(items.len() as u64) as usize]
    }
}

/// Zipf(s) over ranks 0..n, sampled by binary search over the cumulative weights.
struct Zipf {
    cdf: Vec<f64>,
}

impl Zipf {
    fn new(n: usize, s: f64) -> Zipf {
        let mut cdf = Vec::with_capacity(n);
        let mut acc = 0.0;
        for r in 0..n {
            acc += 1.0 / ((r + 1) as f64).powf(s);
            cdf.push(acc);
        }
        for c in &mut cdf {
            *c /= acc;
        }
        Zipf { cdf }
    }
    fn sample(&self, rng: &mut Rng) -> usize {
        let u = rng.f64();
        self.cdf.partition_point(|&c| c <= u).min(self.cdf.len() - 1)
    }
}

// ---------------------------------------------------------------------------------------------
// Fixed word lists

/// Function words: the most frequent ranks of the Zipf vocabulary, in this order.
const FUNCTION_WORDS: &[&str] = &[
    "the", "of", "and", "to", "a", "in", "that", "is", "for", "on", "it", "with", "as", "was",
    "said", "by", "at", "from", "he", "his", "be", "has", "have", "are", "an", "not", "but",
    "this", "which", "they", "were", "its", "their", "will", "who", "been", "had", "more", "also",
    "would", "about", "after", "than", "one", "new", "two", "first", "over", "there", "up", "out",
    "all", "when", "people", "can", "into", "year", "years", "could", "other", "last", "some",
    "them", "so", "we", "her", "she", "what", "most", "only", "just", "time", "such", "like",
    "three", "may", "now", "because", "before", "while", "under", "since", "between", "during",
    "these", "against", "where", "those", "many", "very", "how", "our", "any", "much", "then",
];

/// Real content words, interleaved with pseudo-words in the upper ranks (so `market` and
/// `government` are common but not stop-word common).
const CONTENT_WORDS: &[&str] = &[
    "government", "market", "president", "company", "percent", "state", "country", "police",
    "minister", "public", "world", "report", "city", "week", "million", "billion", "officials",
    "national", "election", "business", "health", "court", "party", "says", "according",
    "economy", "prices", "workers", "security", "support", "military", "including", "group",
    "federal", "house", "plan", "season", "game", "team", "home", "school", "money", "power",
    "energy", "oil", "bank", "data", "technology", "software", "climate", "water", "food",
    "family", "women", "children", "students", "law", "rights", "office", "media", "news",
    "social", "online", "service", "services", "industry", "growth", "trade", "deal", "talks",
    "policy", "sales", "shares", "investors", "stocks", "inflation", "rates", "interest",
    "demand", "supply", "costs", "budget", "tax", "taxes", "spending", "debt", "crisis", "war",
    "peace", "forces", "troops", "attack", "vote", "voters", "campaign", "senate", "congress",
    "parliament", "leader", "leaders", "director", "chief", "executive", "board", "members",
    "union", "strike", "jobs", "unemployment", "research", "scientists", "study", "university",
    "hospital", "patients", "doctors", "vaccine", "virus", "pandemic", "disease", "cancer",
    "drug", "drugs", "care", "insurance", "housing", "rent", "property", "land", "farmers",
    "weather", "storm", "flood", "fire", "emissions", "carbon", "solar", "wind", "electric",
    "cars", "vehicle", "airline", "flights", "travel", "tourism", "hotel", "film", "music",
    "artist", "album", "festival", "museum", "book", "author", "television", "streaming",
    "internet", "phone", "apple", "google", "amazon", "microsoft", "facebook", "twitter",
    "cloud", "computer", "chip", "chips", "artificial", "intelligence", "robot", "space",
    "rocket", "satellite", "moon", "planet", "ocean", "island", "border", "immigration",
    "refugees", "protest", "protesters", "justice", "judge", "trial", "prison", "crime",
    "murder", "victims", "investigation", "evidence", "sources", "statement", "interview",
    "announced", "expected", "reported", "million", "dollars", "euros", "quarter", "profit",
    "revenue", "losses", "growth", "record", "highest", "lowest", "increase", "decline",
    "recovery", "reform", "agreement", "sanctions", "exports", "imports", "tariffs", "currency",
    "central", "regional", "local", "global", "international", "foreign", "domestic", "private",
    "community", "village", "region", "province", "capital", "street", "road", "bridge",
    "railway", "airport", "port", "station", "stadium", "championship", "league", "coach",
    "players", "match", "goal", "victory", "defeat", "final", "tournament", "olympic", "medal",
    "surveillance", "privacy", "facial", "recognition", "cameras", "civil", "coalition",
    "petition", "shareholders", "proposals", "accountable", "standards", "program", "programs",
    "population", "census", "survey", "poll", "results", "analysis", "experts", "warned",
    "concerns", "risk", "safety", "future", "history", "culture", "science", "nature", "animals",
    "forest", "river", "mountain", "summer", "winter", "spring", "autumn", "morning", "night",
];

/// Marker words (word, probability that an article contains it).
const MARKERS: &[(&str, f64)] = &[("halcyon", 0.10), ("zeppelin", 0.01), ("quasar", 0.001)];

const REAL_TOPICS: &[&str] = &[
    "AI", "AWS AI", "Climate", "Elections", "Football", "Stock Market", "Covid-19", "Economy",
    "Technology", "Health", "Science", "Space", "Politics", "Immigration", "Crime", "Education",
    "Energy", "Oil", "Banking", "Crypto", "Startups", "Privacy", "Surveillance", "Amazon",
    "Google", "Apple", "Microsoft", "Tesla", "Music", "Movies", "Television", "Travel", "Food",
    "Weather", "Housing", "Inflation", "Trade", "Ukraine", "China", "India", "Brazil", "Europe",
    "Africa", "Olympics", "Tennis", "Basketball", "Baseball", "Cricket", "Formula 1", "Golf",
];

const SECTIONS: &[&str] = &[
    "news", "politics", "business", "tech", "world", "sports", "culture", "science", "health",
    "opinion", "local", "markets",
];

const PROVIDER_NOUNS: &[&str] = &[
    "Times", "Post", "Herald", "Tribune", "Daily", "Journal", "Chronicle", "Gazette", "News",
    "Observer", "Courier", "Wire", "Review", "Report", "Dispatch", "Ledger", "Express", "Star",
    "Sentinel", "Monitor", "Bulletin", "Press", "Register", "Telegraph", "Standard", "Insider",
];

const TLDS: &[&str] = &["com", "com", "com", "org", "net", "co.uk", "com.au", "io"];

const CATEGORIES: &[(&str, f64)] = &[
    ("news", 0.70),
    ("business", 0.10),
    ("sports", 0.07),
    ("technology", 0.06),
    ("entertainment", 0.04),
    ("opinion", 0.03),
];

const TYPES: &[(&str, f64)] = &[("article", 0.90), ("video", 0.06), ("slideshow", 0.04)];

const B64: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

/// 2015-01-01T00:00:00Z and 2025-12-31T23:59:00Z.
const DATE_MIN: i64 = 1_420_070_400;
const DATE_MAX: i64 = 1_767_225_540;

fn weighted<'a>(rng: &mut Rng, table: &'a [(&'a str, f64)]) -> &'a str {
    let mut u = rng.f64();
    for (v, p) in table {
        if u < *p {
            return v;
        }
        u -= p;
    }
    table[table.len() - 1].0
}

fn capitalize(w: &str) -> String {
    let mut c = w.chars();
    match c.next() {
        Some(f) => f.to_uppercase().collect::<String>() + c.as_str(),
        None => String::new(),
    }
}

struct Provider {
    name: String,
    domain: String,
}

struct World {
    /// Ranked vocabulary (rank 0 = most frequent).
    vocab: Vec<String>,
    vocab_zipf: Zipf,
    /// Index of the first non-function word (titles draw from here).
    first_content: usize,
    title_zipf: Zipf,
    topics: Vec<String>,
    topic_zipf: Zipf,
    providers: Vec<Provider>,
    provider_zipf: Zipf,
    /// `--front-matter heavy`: long `related` lists and `secured` strings.
    heavy: bool,
}

fn pseudo_word(rng: &mut Rng) -> String {
    const ONSETS: &[&str] = &[
        "b", "c", "d", "f", "g", "h", "j", "k", "l", "m", "n", "p", "r", "s", "t", "v", "w", "z",
        "b", "d", "g", "k", "l", "m", "n", "p", "r", "s", "t", "br", "cr", "dr", "fr", "gr", "pr",
        "tr", "bl", "cl", "fl", "pl", "st", "sp", "ch", "sh", "th", "", "", "",
    ];
    const VOWELS: &[&str] = &["a", "e", "i", "o", "u", "a", "e", "i", "o", "ai", "ea", "ou", "y"];
    const CODAS: &[&str] = &["", "", "", "", "", "", "n", "r", "s", "l", "t", "m", "nd", "st", "x", "ng"];
    let syllables = match rng.below(20) {
        0..=3 => 1,
        4..=14 => 2,
        _ => 3,
    };
    let mut w = String::new();
    for _ in 0..syllables {
        w.push_str(rng.pick(ONSETS));
        w.push_str(rng.pick(VOWELS));
        w.push_str(rng.pick(CODAS));
    }
    w
}

impl World {
    fn new() -> World {
        // Fixed stream: the word lists do not depend on --seed.
        let mut rng = Rng::new(0x6E65_7773_6964_78, 0, 0);
        let mut seen: HashSet<String> = HashSet::new();
        for w in FUNCTION_WORDS.iter().chain(CONTENT_WORDS) {
            seen.insert(w.to_string());
        }
        for (m, _) in MARKERS {
            seen.insert(m.to_string());
        }
        const PSEUDO: usize = 30_000;
        let mut pseudo = Vec::with_capacity(PSEUDO);
        while pseudo.len() < PSEUDO {
            let w = pseudo_word(&mut rng);
            if w.len() >= 3 && w.len() <= 14 && seen.insert(w.clone()) {
                pseudo.push(w);
            }
        }
        // Ranks: function words, then pseudo-words with one content word in every 4 slots
        // until the content words run out, then the remaining pseudo-words.
        let mut vocab: Vec<String> = FUNCTION_WORDS.iter().map(|s| s.to_string()).collect();
        let first_content = vocab.len();
        let mut content: Vec<&str> = Vec::new();
        let mut cseen = HashSet::new();
        for w in CONTENT_WORDS {
            if cseen.insert(*w) {
                content.push(w);
            }
        }
        let mut ci = content.into_iter();
        let mut pi = pseudo.into_iter();
        let mut slot = 0usize;
        loop {
            let next = if slot % 4 == 0 {
                ci.next().map(|s| s.to_string()).or_else(|| pi.next())
            } else {
                pi.next()
            };
            match next {
                Some(w) => vocab.push(w),
                None => match ci.next() {
                    Some(w) => vocab.push(w.to_string()),
                    None => break,
                },
            }
            slot += 1;
        }
        let vocab_zipf = Zipf::new(vocab.len(), 1.0);
        let title_zipf = Zipf::new(vocab.len() - first_content, 0.9);

        let mut topics: Vec<String> = REAL_TOPICS.iter().map(|s| s.to_string()).collect();
        let mut tseen: HashSet<String> = topics.iter().map(|t| t.to_lowercase()).collect();
        while topics.len() < 300 {
            let mut t = capitalize(&pseudo_word(&mut rng));
            if rng.chance(0.3) {
                t.push(' ');
                t.push_str(&capitalize(&pseudo_word(&mut rng)));
            }
            if tseen.insert(t.to_lowercase()) {
                topics.push(t);
            }
        }
        // Interleave real topics with pseudo ones in rank order so popular topics are mixed.
        let (real, fake) = topics.split_at(REAL_TOPICS.len());
        let mut ranked = Vec::with_capacity(300);
        let (mut r, mut f) = (real.iter(), fake.iter());
        for i in 0.. {
            let n = if i % 3 == 0 { r.next().or_else(|| f.next()) } else { f.next().or_else(|| r.next()) };
            match n {
                Some(t) => ranked.push(t.clone()),
                None => break,
            }
        }
        let topics = ranked;
        let topic_zipf = Zipf::new(topics.len(), 1.0);

        let mut providers = Vec::with_capacity(200);
        let mut dseen = HashSet::new();
        while providers.len() < 200 {
            let stem = capitalize(&pseudo_word(&mut rng));
            let noun = rng.pick(PROVIDER_NOUNS);
            let the = rng.chance(0.4);
            let name = if the { format!("The {stem} {noun}") } else { format!("{stem} {noun}") };
            let tld = rng.pick(TLDS);
            let domain = format!("{}{}.{}", stem.to_lowercase(), noun.to_lowercase(), tld);
            if dseen.insert(domain.clone()) {
                providers.push(Provider { name, domain });
            }
        }
        let provider_zipf = Zipf::new(providers.len(), 0.8);
        World {
            vocab,
            vocab_zipf,
            first_content,
            title_zipf,
            topics,
            topic_zipf,
            providers,
            provider_zipf,
            heavy: false,
        }
    }

    fn word(&self, rng: &mut Rng) -> &str {
        &self.vocab[self.vocab_zipf.sample(rng)]
    }
    fn title_word(&self, rng: &mut Rng) -> &str {
        &self.vocab[self.first_content + self.title_zipf.sample(rng)]
    }
}

// ---------------------------------------------------------------------------------------------
// Dates

fn civil_from_days(z: i64) -> (i64, u32, u32) {
    let z = z + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let y = yoe + era * 400;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let m = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    (if m <= 2 { y + 1 } else { y }, m, d)
}

struct Date {
    y: i64,
    m: u32,
    d: u32,
    hh: u32,
    mm: u32,
}

impl Date {
    fn from_ts(ts: i64) -> Date {
        let (y, m, d) = civil_from_days(ts.div_euclid(86_400));
        let secs = ts.rem_euclid(86_400);
        Date { y, m, d, hh: (secs / 3600) as u32, mm: ((secs % 3600) / 60) as u32 }
    }
    fn rfc3339(&self) -> String {
        format!("{:04}-{:02}-{:02}T{:02}:{:02}:00Z", self.y, self.m, self.d, self.hh, self.mm)
    }
    fn day(&self) -> String {
        format!("{:04}-{:02}-{:02}", self.y, self.m, self.d)
    }
}

// ---------------------------------------------------------------------------------------------
// Articles

/// The part of an article that other articles quote in their `related` stubs.
struct Core {
    ts: i64,
    title: String,
    excerpt: String,
    date: Date,
    provider: usize,
    url: String,
    slug: String,
}

const STREAM_CORE: u64 = 1;
const STREAM_BODY: u64 = 2;
const STREAM_EXTERNAL: u64 = 3;

fn sentence(world: &World, rng: &mut Rng, min: u64, max: u64, out: &mut String) {
    let n = rng.range(min, max);
    for i in 0..n {
        let w = world.word(rng);
        if i == 0 {
            out.push_str(&capitalize(w));
        } else {
            out.push(' ');
            out.push_str(w);
            if i + 1 < n && rng.chance(0.06) {
                out.push(',');
            }
        }
    }
    out.push('.');
}

fn slugify(title: &str, words: usize) -> String {
    let mut s = String::new();
    for w in title
        .split(|c: char| !c.is_ascii_alphanumeric())
        .filter(|w| !w.is_empty())
        .take(words)
    {
        if !s.is_empty() {
            s.push('-');
        }
        s.push_str(&w.to_ascii_lowercase());
    }
    s
}

fn make_core(world: &World, seed: u64, stream: u64, index: u64, tag: &str) -> Core {
    let mut rng = Rng::new(seed, stream, index);
    let provider = world.provider_zipf.sample(&mut rng);
    let ts = DATE_MIN + (rng.below(((DATE_MAX - DATE_MIN) / 60) as u64 + 1) as i64) * 60;
    let date = Date::from_ts(ts);
    let n = rng.range(5, 11);
    let mut title = String::new();
    for i in 0..n {
        let w = world.title_word(&mut rng);
        if i > 0 {
            title.push(' ');
        }
        if i == 0 || rng.chance(0.35) {
            title.push_str(&capitalize(w));
        } else {
            title.push_str(w);
        }
        if i == 2 && n > 8 && rng.chance(0.15) {
            title.push(':');
        }
    }
    if rng.chance(0.1) {
        // a curly-quoted tail, as in real headlines ("... its ‘surveillance empire’")
        title.push_str(&format!(" ‘{} {}’", world.title_word(&mut rng), world.title_word(&mut rng)));
    }
    let mut excerpt = String::new();
    sentence(world, &mut rng, 12, 28, &mut excerpt);
    let section = rng.pick(SECTIONS);
    let slug = slugify(&title, 5);
    let url = format!(
        "https://www.{}/{}/{:04}/{:02}/{}-{}{}",
        world.providers[provider].domain, section, date.y, date.m, slug, tag, index
    );
    Core { ts, title, excerpt, date, provider, url, slug }
}

fn amp_urls(world: &World, core: &Core) -> (String, String) {
    let domain = &world.providers[core.provider].domain;
    let amp = format!("{}?amp", core.url);
    let path = core.url.trim_start_matches("https://");
    let cdn = format!("https://www-{}.cdn.ampproject.org/c/s/{}?amp", domain.replace(['.', '-'], "-"), path);
    (amp, cdn)
}

fn yaml_str(s: &str) -> String {
    // Our strings never contain '"' or '\\'; quote anything that is not a plain word list.
    let plain = s.chars().all(|c| c.is_ascii_alphanumeric() || c == ' ' || c == '-')
        && s.chars().next().is_some_and(|c| c.is_ascii_alphabetic())
        && !matches!(
            s.to_ascii_lowercase().as_str(),
            "true" | "false" | "yes" | "no" | "on" | "off" | "null" | "y" | "n"
        );
    if plain {
        s.to_string()
    } else {
        format!("\"{s}\"")
    }
}

fn write_images(out: &mut String, world: &World, rng: &mut Rng, core: &Core, indent: &str, n: u64) {
    let _ = writeln!(out, "{indent}images:");
    for k in 0..n {
        let w = rng.pick(&[640u32, 700, 800, 1024, 1200, 1280]);
        let h = if rng.chance(0.5) { w / 2 } else { w * 9 / 16 };
        let query = if indent.is_empty() { format!("?fit=scale&h={h}&w={w}") } else { String::new() };
        let _ = writeln!(
            out,
            "{indent}  - url: \"https://img.{}/{:04}/{:02}/{}-{}.jpg{}\"",
            world.providers[core.provider].domain,
            core.date.y,
            core.date.m,
            slugify(&core.slug, 3),
            k,
            query
        );
        let _ = writeln!(out, "{indent}    width: {w}");
        let _ = writeln!(out, "{indent}    height: {h}");
        let _ = writeln!(out, "{indent}    isCached: {}", rng.chance(0.8));
    }
}

struct Generated {
    ts: i64,
    title: String,
    body: String,
    topics: Vec<String>,
    rel_md: String,
    md: String,
    rel_txt: Option<String>,
    txt: Option<String>,
    json: String,
    markers: [bool; 3],
    internal_links: usize,
}

fn json_str(out: &mut String, s: &str) {
    out.push_str(&serde_json::to_string(s).expect("string serialises"));
}

fn generate(world: &World, seed: u64, n: u64, i: u64) -> Generated {
    let core = make_core(world, seed, STREAM_CORE, i, "a");
    let mut rng = Rng::new(seed, STREAM_BODY, i);
    let provider = &world.providers[core.provider];
    let category = weighted(&mut rng, CATEGORIES);
    let typ = weighted(&mut rng, TYPES);
    let quality = rng.range(0, 100);
    let heat = rng.range(0, 100);
    let published = rng.chance(0.5);
    let paired = rng.chance(0.25);

    // topics: 1-3 distinct, Zipf
    let ntopics = rng.range(1, 3) as usize;
    let mut topics: Vec<&str> = Vec::new();
    while topics.len() < ntopics {
        let t = world.topics[world.topic_zipf.sample(&mut rng)].as_str();
        if !topics.contains(&t) {
            topics.push(t);
        }
    }

    let (amp, cdn) = amp_urls(world, &core);
    let mut fm = String::with_capacity(4096);
    fm.push_str("---\n");
    let _ = writeln!(fm, "category: {category}");
    let _ = writeln!(fm, "title: \"{}\"", core.title);
    let _ = writeln!(fm, "excerpt: \"{}\"", core.excerpt);
    let _ = writeln!(fm, "publishedDateTime: {}", core.date.rfc3339());
    let _ = writeln!(fm, "originalUrl: \"{}\"", core.url);
    let _ = writeln!(fm, "webUrl: \"{}\"", core.url);
    let _ = writeln!(fm, "ampWebUrl: \"{amp}\"");
    let _ = writeln!(fm, "cdnAmpWebUrl: \"{cdn}\"");
    let _ = writeln!(fm, "type: {typ}");
    let _ = writeln!(fm, "quality: {quality}");
    let _ = writeln!(fm, "heat: {heat}");
    let _ = writeln!(fm, "published: {published}");
    fm.push('\n');
    let _ = writeln!(fm, "provider:\n  name: {}\n  domain: {}", yaml_str(&provider.name), provider.domain);
    fm.push('\n');
    fm.push_str("topics:\n");
    for t in &topics {
        let _ = writeln!(fm, "  - {}", yaml_str(t));
    }
    fm.push('\n');
    let nimg = rng.range(1, 2);
    write_images(&mut fm, world, &mut rng, &core, "", nimg);

    // related: 0-3 stubs, ~30% pointing at other generated articles
    let nrel = if world.heavy {
        rng.range(6, 12)
    } else {
        match rng.below(100) {
            0..=29 => 0,
            30..=64 => 1,
            65..=89 => 2,
            _ => 3,
        }
    };
    let mut links = Vec::new();
    let mut internal_links = 0;
    if nrel > 0 {
        fm.push('\n');
        fm.push_str("related:\n");
        let external_pool = (n / 2).max(100);
        for _ in 0..nrel {
            let stub = if n > 1 && rng.chance(0.3) {
                let mut j = rng.below(n - 1);
                if j >= i {
                    j += 1;
                }
                internal_links += 1;
                make_core(world, seed, STREAM_CORE, j, "a")
            } else {
                make_core(world, seed, STREAM_EXTERNAL, rng.below(external_pool), "x")
            };
            let (samp, scdn) = amp_urls(world, &stub);
            let sp = &world.providers[stub.provider];
            let _ = writeln!(fm, "  - title: \"{}\"", stub.title);
            let _ = writeln!(fm, "    excerpt: \"{}\"", stub.excerpt);
            let _ = writeln!(fm, "    publishedDateTime: {}", stub.date.rfc3339());
            let _ = writeln!(fm, "    webUrl: \"{}\"", stub.url);
            if world.heavy || rng.chance(0.5) {
                let _ = writeln!(fm, "    ampWebUrl: \"{samp}\"");
                let _ = writeln!(fm, "    cdnAmpWebUrl: \"{scdn}\"");
            }
            let _ = writeln!(fm, "    type: article");
            let _ = writeln!(fm, "    provider:\n      name: {}\n      domain: {}", yaml_str(&sp.name), sp.domain);
            let _ = writeln!(fm, "    quality: {}", rng.range(0, 100));
            write_images(&mut fm, world, &mut rng, &stub, "    ", if world.heavy { 3 } else { 1 });
            links.push(stub.url);
        }
    }
    fm.push('\n');
    let mut secured = String::with_capacity(1400);
    for _ in 0..if world.heavy { 1376 } else { 344 } {
        secured.push(B64[rng.below(64) as usize] as char);
    }
    secured.push_str("=;");
    for _ in 0..22 {
        secured.push(B64[rng.below(64) as usize] as char);
    }
    secured.push_str("==");
    let _ = writeln!(fm, "secured: \"{secured}\"");
    fm.push_str("---\n");

    // body: 2-4 KB, Zipf words, sentences and paragraphs, marker words at chosen word positions
    let target = rng.range(1900, 3700) as usize;
    let mut inserts: Vec<(usize, &str)> = Vec::new();
    let mut markers = [false; 3];
    for (k, (word, p)) in MARKERS.iter().enumerate() {
        if rng.chance(*p) {
            markers[k] = true;
            for _ in 0..rng.range(1, 3) {
                inserts.push((rng.below((target / 10) as u64) as usize, word));
            }
        }
    }
    inserts.sort();
    let mut body = String::with_capacity(target + 200);
    let mut wordno = 0usize;
    let mut next_insert = 0usize;
    while body.len() < target {
        if !body.is_empty() {
            body.push_str("\n\n");
        }
        let nsent = rng.range(2, 6);
        for s in 0..nsent {
            if s > 0 {
                body.push(' ');
            }
            let nw = rng.range(6, 24);
            for k in 0..nw {
                let w: &str = if next_insert < inserts.len() && inserts[next_insert].0 <= wordno {
                    next_insert += 1;
                    inserts[next_insert - 1].1
                } else {
                    world.word(&mut rng)
                };
                wordno += 1;
                if k == 0 {
                    body.push_str(&capitalize(w));
                } else {
                    body.push(' ');
                    body.push_str(w);
                    if k + 1 < nw && rng.chance(0.06) {
                        body.push(',');
                    }
                }
            }
            body.push(if rng.chance(0.03) { '?' } else { '.' });
        }
    }
    debug_assert_eq!(next_insert, inserts.len());

    let dir = format!("{:04}", i / 1000);
    let stem = format!("a{:06}-{}", i, slugify(&core.title, 4));
    let rel_md = format!("{dir}/{stem}.md");
    let (md, rel_txt, txt) = if paired {
        fm.push('\n');
        let txt = format!(" date {} {}\n", core.date.day(), body);
        (fm, Some(format!("{dir}/{stem}.txt")), Some(txt))
    } else {
        fm.push('\n');
        fm.push_str(&body);
        fm.push('\n');
        (fm, None, None)
    };

    let mut json = String::with_capacity(body.len() + 1024);
    json.push_str("{\"id\":");
    json_str(&mut json, &format!("a{i:06}"));
    json.push_str(",\"title\":");
    json_str(&mut json, &core.title);
    json.push_str(",\"excerpt\":");
    json_str(&mut json, &core.excerpt);
    json.push_str(",\"body\":");
    json_str(&mut json, &body);
    json.push_str(",\"topics\":[");
    for (k, t) in topics.iter().enumerate() {
        if k > 0 {
            json.push(',');
        }
        json_str(&mut json, t);
    }
    json.push_str("],\"provider\":");
    json_str(&mut json, &provider.name);
    json.push_str(",\"domain\":");
    json_str(&mut json, &provider.domain);
    json.push_str(",\"category\":");
    json_str(&mut json, category);
    json.push_str(",\"type\":");
    json_str(&mut json, typ);
    let _ = write!(json, ",\"date\":\"{}\",\"quality\":{quality},\"heat\":{heat},\"links\":[", core.date.rfc3339());
    for (k, l) in links.iter().enumerate() {
        if k > 0 {
            json.push(',');
        }
        json_str(&mut json, l);
    }
    json.push_str("],\"url\":");
    json_str(&mut json, &core.url);
    json.push_str("}\n");

    let topics = topics.iter().map(|t| t.to_string()).collect();
    Generated { ts: core.ts, title: core.title, body, topics, rel_md, md, rel_txt, txt, json, markers, internal_links }
}

// ---------------------------------------------------------------------------------------------
// CLI

struct Args {
    articles: u64,
    seed: u64,
    out: PathBuf,
    jsonl: Option<PathBuf>,
    clean: bool,
    copies: f64,
    negatives: u64,
    labels: Option<PathBuf>,
    heavy: bool,
}

const USAGE: &str = "usage: gen-corpus --articles N [--seed S] --out DIR [--jsonl FILE] [--clean]

  --articles N   number of articles to generate
  --seed S       RNG seed (default 42); same seed => byte-identical output
  --out DIR      output folder (must be empty or missing unless --clean)
  --jsonl FILE   also write the records as JSON lines (tantivy-cli ingestion)
  --clean        delete DIR first if it exists
  --copies P     give a share P (0-1) of the articles 1-3 planted copies each (copies/),
                 of the kinds in src/copies.rs (default 0: none)
  --negatives F  add F families of 12 release notes from one template (negatives/)
  --labels FILE  write which file is a copy of which story, as JSON lines
  --front-matter normal|heavy
                 heavy: 6-12 `related` stubs, each with AMP URLs and 3 images, and a
                 `secured` string 4x as long (front matter of about 8-10 KB; default normal)";

fn parse_args() -> Result<Args, String> {
    let mut articles = None;
    let mut seed = 42u64;
    let mut out = None;
    let mut jsonl = None;
    let mut clean = false;
    let mut copies = 0.0f64;
    let mut negatives = 0u64;
    let mut labels = None;
    let mut heavy = false;
    let mut it = std::env::args().skip(1);
    while let Some(a) = it.next() {
        let (key, inline) = match a.split_once('=') {
            Some((k, v)) if k.starts_with("--") => (k.to_string(), Some(v.to_string())),
            _ => (a.clone(), None),
        };
        let mut value = |name: &str| -> Result<String, String> {
            inline.clone().or_else(|| it.next()).ok_or_else(|| format!("{name} needs a value"))
        };
        match key.as_str() {
            "--articles" | "-n" => {
                let v = value("--articles")?;
                articles = Some(v.replace('_', "").parse::<u64>().map_err(|e| format!("--articles {v}: {e}"))?);
            }
            "--seed" | "-s" => {
                let v = value("--seed")?;
                seed = v.parse::<u64>().map_err(|e| format!("--seed {v}: {e}"))?;
            }
            "--out" | "-o" => out = Some(PathBuf::from(value("--out")?)),
            "--jsonl" => jsonl = Some(PathBuf::from(value("--jsonl")?)),
            "--clean" => clean = true,
            "--copies" => {
                let v = value("--copies")?;
                copies = v.parse::<f64>().map_err(|e| format!("--copies {v}: {e}"))?;
            }
            "--negatives" => {
                let v = value("--negatives")?;
                negatives = v.parse::<u64>().map_err(|e| format!("--negatives {v}: {e}"))?;
            }
            "--labels" => labels = Some(PathBuf::from(value("--labels")?)),
            "--front-matter" => match value("--front-matter")?.as_str() {
                "normal" => heavy = false,
                "heavy" => heavy = true,
                v => return Err(format!("--front-matter {v}: expected normal or heavy")),
            },
            "-h" | "--help" => {
                println!("{USAGE}");
                std::process::exit(0);
            }
            other => return Err(format!("unknown argument '{other}'")),
        }
    }
    Ok(Args {
        articles: articles.ok_or("--articles is required")?,
        seed,
        out: out.ok_or("--out is required")?,
        jsonl,
        clean,
        copies,
        negatives,
        labels,
        heavy,
    })
}

fn run(args: Args) -> Result<(), String> {
    let start = Instant::now();
    let out = &args.out;
    if out.exists() {
        if args.clean {
            std::fs::remove_dir_all(out).map_err(|e| format!("removing {}: {e}", out.display()))?;
        } else if std::fs::read_dir(out).map_err(|e| format!("{}: {e}", out.display()))?.next().is_some() {
            return Err(format!("{} is not empty (use --clean to replace it)", out.display()));
        }
    }
    std::fs::create_dir_all(out).map_err(|e| format!("{}: {e}", out.display()))?;
    let mut jsonl = match &args.jsonl {
        Some(p) => {
            if let Some(parent) = p.parent().filter(|p| !p.as_os_str().is_empty()) {
                std::fs::create_dir_all(parent).map_err(|e| format!("{}: {e}", parent.display()))?;
            }
            let f = std::fs::File::create(p).map_err(|e| format!("{}: {e}", p.display()))?;
            Some(std::io::BufWriter::with_capacity(1 << 20, f))
        }
        None => None,
    };
    let mut world = World::new();
    world.heavy = args.heavy;
    let write = |rel: &str, data: &str| -> Result<(), String> {
        let p: PathBuf = out.join(rel);
        std::fs::write(&p, data).map_err(|e| format!("{}: {e}", p.display()))
    };
    let (mut files, mut bytes, mut paired, mut internal, mut jbytes) = (0u64, 0u64, 0u64, 0u64, 0u64);
    let mut labels: Vec<String> = Vec::new();
    let planted_files = std::cell::Cell::new(0u64);
    let planted_labels = std::cell::RefCell::new(Vec::new());
    let plant = |p: &copies::Planted| -> Result<(), String> {
        let path = out.join(&p.rel);
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent).map_err(|e| format!("{}: {e}", parent.display()))?;
        }
        planted_files.set(planted_files.get() + 1);
        planted_labels.borrow_mut().push(p.label.clone());
        write(&p.rel, &p.text)
    };
    let mut marker_counts = [0u64; 3];
    for i in 0..args.articles {
        if i % 1000 == 0 {
            let d = out.join(format!("{:04}", i / 1000));
            std::fs::create_dir_all(&d).map_err(|e| format!("{}: {e}", d.display()))?;
        }
        let g = generate(&world, args.seed, args.articles, i);
        write(&g.rel_md, &g.md)?;
        files += 1;
        bytes += g.md.len() as u64;
        if let (Some(rel), Some(txt)) = (&g.rel_txt, &g.txt) {
            write(rel, txt)?;
            files += 1;
            bytes += txt.len() as u64;
            paired += 1;
        }
        for k in 0..3 {
            marker_counts[k] += g.markers[k] as u64;
        }
        internal += g.internal_links as u64;
        if let Some(w) = jsonl.as_mut() {
            w.write_all(g.json.as_bytes()).map_err(|e| format!("jsonl: {e}"))?;
            jbytes += g.json.len() as u64;
        }
        if args.copies > 0.0 {
            let (planted, original) = copies::copies_of(&world, args.seed, i, &g, args.copies);
            for p in &planted {
                plant(p)?;
            }
            labels.extend(original);
        }
    }
    for f in 0..args.negatives {
        for p in copies::negatives(&world, args.seed, f) {
            plant(&p)?;
        }
    }
    labels.extend(planted_labels.take());
    if planted_files.get() > 0 {
        eprintln!("gen-corpus: {} planted copies and negatives", planted_files.get());
    }
    if let Some(path) = &args.labels {
        std::fs::write(path, labels.concat()).map_err(|e| format!("{}: {e}", path.display()))?;
    }
    if let Some(mut w) = jsonl {
        w.flush().map_err(|e| format!("jsonl: {e}"))?;
    }
    let mut stats = String::new();
    let _ = write!(
        stats,
        "{{\"generator\":\"gen-corpus {}\",\"seed\":{},\"articles\":{},\"files\":{},\"bytes\":{},\"paired\":{},\"internal_links\":{},\"jsonl_bytes\":{},\"markers\":{{",
        env!("CARGO_PKG_VERSION"),
        args.seed,
        args.articles,
        files,
        bytes,
        paired,
        internal,
        jbytes
    );
    for (k, (w, _)) in MARKERS.iter().enumerate() {
        let _ = write!(stats, "{}\"{}\":{}", if k > 0 { "," } else { "" }, w, marker_counts[k]);
    }
    stats.push_str("}}\n");
    std::fs::write(Path::new(out).join(".gen-corpus.json"), &stats).map_err(|e| format!("stats: {e}"))?;
    eprintln!(
        "gen-corpus: {} articles, {} files, {:.1} MB in {} ({:.1} s)",
        args.articles,
        files,
        bytes as f64 / 1e6,
        out.display(),
        start.elapsed().as_secs_f64()
    );
    print!("{stats}");
    Ok(())
}

fn main() {
    let args = match parse_args() {
        Ok(a) => a,
        Err(e) => {
            eprintln!("gen-corpus: {e}\n\n{USAGE}");
            std::process::exit(2);
        }
    };
    if let Err(e) = run(args) {
        eprintln!("gen-corpus: {e}");
        std::process::exit(1);
    }
}
