//! The one tantivy schema, justified field by field, and the conversion of a record into a
//! tantivy document.
//!
//! | field | how | why |
//! |---|---|---|
//! | `id` | raw, indexed, stored | upserts (`delete_term`), `show ID` |
//! | `kind` | raw, indexed | `--kind` |
//! | `path` | u64 key, indexed | `show PATH` (record path and paired body path) |
//! | `url` | u64 key, indexed | `show URL`, related lookups (canonical web, original, AMP, CDN URLs) |
//! | `links` | u64 key, indexed | `--links-to`, incoming and co-cited links (canonical related URLs) |
//! | `title`, `excerpt` | words, lower-cased, accents folded, stemmed (English), positions | ranked full text and phrases over word forms |
//! | `body` | same, stored | full text; stored for `show`, `export`, snippets |
//! | `topic`, `tag`, `provider`, `domain`, `category`, `type` | lower-cased keyword, indexed; original text as fast field | case-insensitive exact filters; facet counts without loading documents |
//! | `date` | date, indexed + fast, seconds | range filters, sort, timeline |
//! | `quality`, `heat` | i64, indexed + fast | `--min-quality`, sort |
//! | `record` | stored only | the record JSON, printed as is |
//! | `sort_path` | fast only (raw) | the record path, so `export` has an order that does not depend on threads, and `--format paths` needs no stored document |
//! | `body_path` | fast only (raw) | a pair's body file, for `--format paths` without the docstore |
//! | `fingerprint` | bytes, fast only | MinHash signature and containment sample of title + body (`crate::fingerprint`), read by `dups`, `--collapse`, `similar` without loading documents |
//!
//! Paths and URLs are only ever looked up whole, so they are indexed as their xxh3-64 hash
//! (`lookup_term`) rather than as text: each article has up to a dozen of them, all unique and
//! 50-100 bytes long, and building their term dictionary took 8% of a build's CPU. Two
//! different URLs share a hash with odds of about 1 in 10^7 in an archive of a million URLs.

use tantivy::schema::{
    BytesOptions, DateOptions, DateTimePrecision, Field, IndexRecordOption, NumericOptions, Schema,
    TextFieldIndexing, TextOptions, FAST, INDEXED, STORED, STRING,
};
use tantivy::tokenizer::{
    AsciiFoldingFilter, LowerCaser, RawTokenizer, RemoveLongFilter, TextAnalyzer,
};
use tantivy::{DateTime as TantivyDateTime, Index, TantivyDocument, Term};
use xxhash_rust::xxh3::xxh3_64;

use super::fold::FoldCaseAndAccents;
use super::stem::CachedEnglishStemmer;
use super::words::WordTokenizer;
use crate::fingerprint::Fingerprint;
use crate::record::IndexedRecord;

/// Bumped whenever the schema or the meaning of a field changes; an index of another version
/// must be rebuilt. 9: accents folded in every script, CJK text as bigrams, fingerprints
/// that keep their skeleton's size.
pub const SCHEMA_VERSION: u32 = 9;

/// Name of the tokenizer for case-insensitive exact values (the whole value, lower-cased).
pub const KEYWORD_TOKENIZER: &str = "newsidx_keyword";

/// Name of the tokenizer of full text: words, lower-cased, accents folded in every script
/// (`Kyōto` matches `kyoto`, `Αθήνα` matches `αθηνα`, a decomposed `école` matches `ecole`),
/// stemmed in English (`hospitals` matches `hospital`), words of 40 bytes or more dropped;
/// Chinese, Japanese and Korean text as overlapping bigrams (`运行时` is `运行`, `行时`).
pub const TEXT_TOKENIZER: &str = "newsidx_text";

/// Handles of every field.
#[derive(Debug, Clone, Copy)]
pub struct Fields {
    pub id: Field,
    pub kind: Field,
    pub path: Field,
    pub url: Field,
    pub links: Field,
    pub title: Field,
    pub excerpt: Field,
    pub body: Field,
    pub topic: Field,
    pub tag: Field,
    pub provider: Field,
    pub domain: Field,
    pub category: Field,
    pub doc_type: Field,
    pub date: Field,
    pub quality: Field,
    pub heat: Field,
    pub record: Field,
    pub sort_path: Field,
    pub body_path: Field,
    pub fingerprint: Field,
}

/// Builds the schema.
pub fn build_schema() -> Schema {
    let mut builder = Schema::builder();
    let keyword = TextOptions::default()
        .set_indexing_options(
            TextFieldIndexing::default()
                .set_tokenizer(KEYWORD_TOKENIZER)
                .set_index_option(IndexRecordOption::Basic)
                .set_fieldnorms(false),
        )
        .set_fast(tantivy::tokenizer::RAW_TOKENIZER_NAME);
    let text = TextOptions::default().set_indexing_options(
        TextFieldIndexing::default()
            .set_tokenizer(TEXT_TOKENIZER)
            .set_index_option(IndexRecordOption::WithFreqsAndPositions),
    );
    let number = NumericOptions::from(INDEXED) | FAST;
    builder.add_text_field("id", STRING | STORED);
    builder.add_text_field("kind", STRING);
    builder.add_u64_field("path", INDEXED);
    builder.add_u64_field("url", INDEXED);
    builder.add_u64_field("links", INDEXED);
    builder.add_text_field("title", text.clone());
    builder.add_text_field("excerpt", text.clone());
    builder.add_text_field("body", text.set_stored());
    builder.add_text_field("topic", keyword.clone());
    builder.add_text_field("tag", keyword.clone());
    builder.add_text_field("provider", keyword.clone());
    builder.add_text_field("domain", keyword.clone());
    builder.add_text_field("category", keyword.clone());
    builder.add_text_field("type", keyword);
    builder.add_date_field(
        "date",
        DateOptions::from(INDEXED)
            .set_fast()
            .set_precision(DateTimePrecision::Seconds),
    );
    builder.add_i64_field("quality", number.clone());
    builder.add_i64_field("heat", number);
    builder.add_text_field("record", STORED);
    let fast_path = TextOptions::default().set_fast(tantivy::tokenizer::RAW_TOKENIZER_NAME);
    builder.add_text_field("sort_path", fast_path.clone());
    builder.add_text_field("body_path", fast_path);
    builder.add_bytes_field(FINGERPRINT_FIELD, BytesOptions::default().set_fast());
    builder.build()
}

/// Name of the fingerprint fast field.
pub const FINGERPRINT_FIELD: &str = "fingerprint";

impl Fields {
    /// Looks the fields up in `schema` (which must come from `build_schema`).
    pub fn from_schema(schema: &Schema) -> tantivy::Result<Fields> {
        let get = |name: &str| schema.get_field(name);
        Ok(Fields {
            id: get("id")?,
            kind: get("kind")?,
            path: get("path")?,
            url: get("url")?,
            links: get("links")?,
            title: get("title")?,
            excerpt: get("excerpt")?,
            body: get("body")?,
            topic: get("topic")?,
            tag: get("tag")?,
            provider: get("provider")?,
            domain: get("domain")?,
            category: get("category")?,
            doc_type: get("type")?,
            date: get("date")?,
            quality: get("quality")?,
            heat: get("heat")?,
            record: get("record")?,
            sort_path: get("sort_path")?,
            body_path: get("body_path")?,
            fingerprint: get(FINGERPRINT_FIELD)?,
        })
    }

    /// The tantivy document of a record.
    pub fn document(&self, indexed: &IndexedRecord) -> serde_json::Result<TantivyDocument> {
        let record = &indexed.record;
        let mut doc = TantivyDocument::default();
        doc.add_text(self.id, &record.id);
        doc.add_text(self.kind, record.kind.as_str());
        doc.add_u64(self.path, lookup_key(&record.path));
        doc.add_text(self.sort_path, &record.path);
        if let Some(body_path) = &record.body_path {
            doc.add_u64(self.path, lookup_key(body_path));
            doc.add_text(self.body_path, body_path);
        }
        for url in &indexed.urls {
            doc.add_u64(self.url, lookup_key(url));
        }
        for link in &indexed.links {
            doc.add_u64(self.links, lookup_key(link));
        }
        for (field, text) in [
            (self.title, &record.title),
            (self.excerpt, &record.excerpt),
            (self.category, &record.category),
            (self.doc_type, &record.doc_type),
            (self.domain, &indexed.domain),
        ] {
            if let Some(text) = text {
                doc.add_text(field, text);
            }
        }
        if let Some(name) = record.provider.as_ref().and_then(|p| p.name.as_ref()) {
            doc.add_text(self.provider, name);
        }
        for topic in &record.topics {
            doc.add_text(self.topic, topic);
        }
        for tag in &record.tags {
            doc.add_text(self.tag, tag);
        }
        doc.add_text(self.body, &indexed.body);
        if let Some(date) = indexed.date {
            doc.add_date(
                self.date,
                TantivyDateTime::from_timestamp_secs(date.timestamp()),
            );
        }
        if let Some(quality) = record.quality {
            doc.add_i64(self.quality, quality);
        }
        if let Some(heat) = record.heat {
            doc.add_i64(self.heat, heat);
        }
        // Computed here, on the parsing threads, not on the writer's.
        if let Some(fingerprint) = Fingerprint::of_text(record.title.as_deref(), &indexed.body) {
            doc.add_bytes(self.fingerprint, &fingerprint.to_bytes());
        }
        doc.add_text(self.record, serde_json::to_string(record)?);
        Ok(doc)
    }
}

/// The indexed form of a path or canonical URL in the `path`, `url` and `links` fields.
pub fn lookup_key(text: &str) -> u64 {
    xxh3_64(text.as_bytes())
}

/// The term that finds a path or canonical URL in the `path`, `url` or `links` field.
pub fn lookup_term(field: Field, text: &str) -> Term {
    Term::from_field_u64(field, lookup_key(text))
}

/// The analyzer of full text. `stemmed: false` gives the same words unstemmed, which the query
/// stage needs for prefixes (`protest*` must not become `protest` stemmed to a shorter form)
/// and snippets need to line words up with the text.
///
/// The stages (`words.rs`, `fold.rs`): words and CJK bigrams; the long ones dropped;
/// lower-cased and, when not ASCII, stripped of accents; what is left of Latin folded to ASCII
/// (`ø`, `ß`); stemmed.
pub fn text_analyzer(stemmed: bool) -> TextAnalyzer {
    let words = TextAnalyzer::builder(WordTokenizer::default())
        .filter(RemoveLongFilter::limit(40))
        .filter(FoldCaseAndAccents)
        .filter(AsciiFoldingFilter);
    if stemmed {
        words.filter(CachedEnglishStemmer).build()
    } else {
        words.build()
    }
}

/// Registers the tokenizers the schema names; needed on every opened `Index`.
pub fn register_tokenizers(index: &Index) {
    index
        .tokenizers()
        .register(TEXT_TOKENIZER, text_analyzer(true));
    index.tokenizers().register(
        KEYWORD_TOKENIZER,
        TextAnalyzer::builder(RawTokenizer::default())
            .filter(LowerCaser)
            .build(),
    );
}

#[cfg(test)]
mod tests {
    use super::*;
    use tantivy::tokenizer::SimpleTokenizer;

    /// The analyzer of schema version 8, before CJK bigrams and folding in every script.
    fn version_8_analyzer(stemmed: bool) -> TextAnalyzer {
        let words = TextAnalyzer::builder(SimpleTokenizer::default())
            .filter(RemoveLongFilter::limit(40))
            .filter(LowerCaser)
            .filter(AsciiFoldingFilter);
        if stemmed {
            words.filter(CachedEnglishStemmer).build()
        } else {
            words.build()
        }
    }

    /// (text, position, from, to) of every token.
    fn tokens(analyzer: &mut TextAnalyzer, text: &str) -> Vec<(String, usize, usize, usize)> {
        crate::index::words::token_tuples(analyzer.token_stream(text))
    }

    fn texts(text: &str) -> Vec<String> {
        tokens(&mut text_analyzer(true), text)
            .into_iter()
            .map(|t| t.0)
            .collect()
    }

    proptest::proptest! {
        /// ASCII and precomposed Latin text gives the tokens it gave (texts, positions,
        /// offsets), stemmed and not: indexes of such text search as before.
        #[test]
        fn latin_text_tokenizes_as_before(
            text in "([a-zA-Z0-9]{1,14}|[ .,;:'\"()\\-/\n]{1,3}|[A-Za-zÀ-ɏḀ-ỿ]{1,10}|[a-z]{35,45}){0,50}",
            stemmed in proptest::bool::ANY,
        ) {
            proptest::prop_assume!(!text.contains(|c| FOLDED_OTHERWISE.iter().any(|f| f.0 == c)));
            proptest::prop_assert_eq!(
                tokens(&mut text_analyzer(stemmed), &text),
                tokens(&mut version_8_analyzer(stemmed), &text)
            );
        }
    }

    /// Latin letters that fold otherwise than they did: `İ` kept its dot (`i` + U+0307), and
    /// tantivy's `AsciiFoldingFilter` folds `ǧ` to a capital `G`, `ẛ` to `f`, and leaves `ǯ`.
    /// Decomposing first gives the bare letter.
    const FOLDED_OTHERWISE: [(char, &str); 6] = [
        ('İ', "i"),
        ('Ǧ', "g"),
        ('ǧ', "g"),
        ('Ǯ', "ʒ"),
        ('ǯ', "ʒ"),
        ('ẛ', "s"),
    ];

    #[test]
    fn every_latin_letter_folds_as_before() {
        // Each letter of Latin-1 to Latin Extended-B and Latin Extended Additional, alone and
        // inside a word.
        let letters = (0xC0..=0x24F)
            .chain(0x1E00..=0x1EFF)
            .filter_map(char::from_u32);
        let mut changed = Vec::new();
        for c in letters {
            let text = format!("{c} a{c}b {c}{c}s");
            let (mut new, mut old) = (text_analyzer(false), version_8_analyzer(false));
            if tokens(&mut new, &text) != tokens(&mut old, &text) {
                changed.push((c, texts(&c.to_string()).concat()));
            }
        }
        let expected: Vec<(char, String)> = FOLDED_OTHERWISE
            .iter()
            .map(|(c, folded)| (*c, folded.to_string()))
            .collect();
        assert_eq!(changed, expected);
    }

    #[test]
    fn accents_fold_in_every_script() {
        assert_eq!(texts("İstanbul"), ["istanbul"]);
        assert_eq!(texts("Αθήνα ΑΘΗΝΑ αθηνα"), ["αθηνα", "αθηνα", "αθηνα"]);
        assert_eq!(texts("e\u{301}cole école ecole"), ["ecol", "ecol", "ecol"]);
        assert_eq!(texts("Straße Øre"), ["strass", "ore"]);
    }

    #[test]
    fn cjk_is_bigrams_and_mixed_words_split() {
        assert_eq!(
            texts("地铁运行"),
            ["地", "地铁", "铁", "铁运", "运", "运行", "行"]
        );
        assert_eq!(texts("Web3中文"), ["web3", "中", "中文", "文"]);
        // Fullwidth Latin is a word, folded to ASCII.
        assert_eq!(texts("ＡＢＣ電車"), ["abc", "電", "電車", "車"]);
    }
}
