//! Query text, read forgivingly: what a person types or pastes (`Amazon's`, `Long read: a
//! summer …`, an unbalanced quote) becomes a tantivy query and never an error, unless nothing
//! in it can be searched.
//!
//! tantivy's own grammar refuses apostrophes (it reads `'` as a quote), treats every `name:` as
//! a field and cannot hash the values of the `url`, `path` and `links` fields, so the text is
//! read here in two steps: `parse` turns it into a small tree (`Node`) without ever failing, and
//! `build` turns the tree into tantivy queries over the schema's fields. The grammar:
//! words are ANDed; `"a phrase"`; `a OR b`; `-word` or `NOT word` excludes; `(…)` groups;
//! `field:value`, `field:"a phrase"` and `field:(a OR b)` for the query fields only; `word*`
//! is a prefix, `word~1` allows one edit (`~2` two); a boost (`word^2`) is read and ignored,
//! not searched as the word `2`. Anything else is text.

use tantivy::query::{
    AllQuery, BooleanQuery, BoostQuery, EmptyQuery, FuzzyTermQuery, Occur, PhrasePrefixQuery,
    PhraseQuery, Query, TermQuery,
};
use tantivy::schema::{Field, IndexRecordOption};
use tantivy::tokenizer::TextAnalyzer;
use tantivy::Term;

use crate::index::schema::{lookup_term, text_analyzer, Fields};
use crate::record::identity::{canonical_url, normalise_domain};

/// The query fields a `name:` may name; any other `name:` is text.
pub const QUERY_FIELDS: [&str; 13] = [
    "title", "excerpt", "body", "topic", "tag", "provider", "domain", "category", "type", "kind",
    "url", "path", "links",
];

/// How a leaf matches words.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Match {
    /// The words of the text, in order (one word: a term; more: a phrase).
    Words(String),
    /// Words with the last one a prefix (`protest*`, `"climate chan"*`).
    Prefix(String),
    /// A word within this many edits (`hospitl~1`).
    Fuzzy(String, u8),
}

/// A node of a parsed query.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Node {
    /// Every clause with its occurrence (`Must` or `MustNot`).
    All(Vec<(Occur, Node)>),
    /// At least one.
    Any(Vec<Node>),
    /// Words in the text fields (`field: None`) or in one named query field.
    Leaf {
        field: Option<&'static str>,
        matching: Match,
    },
}

#[derive(Debug, Clone, PartialEq, Eq)]
enum Token {
    Open,
    Close,
    Minus,
    Plus,
    /// A quoted phrase; `star` when `*` follows the closing quote.
    Phrase {
        text: String,
        star: bool,
    },
    /// `name:"phrase"`.
    FieldPhrase {
        name: String,
        text: String,
    },
    Bare(String),
}

/// Splits query text into tokens. Quotes without a partner are dropped, so the words they
/// opened are searched as words.
fn lex(text: &str) -> Vec<Token> {
    let chars: Vec<char> = text.chars().collect();
    let closing = |from: usize| (from..chars.len()).find(|&j| chars[j] == '"');
    let mut tokens = Vec::new();
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        // `--detach`, `++i`: a pasted flag or operator is text, not a word to leave out.
        let next_is_word = chars
            .get(i + 1)
            .is_some_and(|n| !n.is_whitespace() && !matches!(n, '-' | '+'));
        match c {
            c if c.is_whitespace() => i += 1,
            '(' => {
                tokens.push(Token::Open);
                i += 1;
            }
            ')' => {
                tokens.push(Token::Close);
                i += 1;
            }
            '-' | '+' if next_is_word => {
                tokens.push(if c == '-' { Token::Minus } else { Token::Plus });
                i += 1;
            }
            '"' => match closing(i + 1) {
                Some(end) => {
                    let star = chars.get(end + 1) == Some(&'*');
                    tokens.push(Token::Phrase {
                        text: chars[i + 1..end].iter().collect(),
                        star,
                    });
                    i = end + 1 + usize::from(star);
                }
                None => i += 1,
            },
            _ => {
                let start = i;
                while i < chars.len() && !chars[i].is_whitespace() && !"()\"".contains(chars[i]) {
                    i += 1;
                }
                let word: String = chars[start..i].iter().collect();
                // A boost (`amazon^2`, `"a phrase"^2`) is not searched as a word.
                let word = match without_boost(&word) {
                    Some("") => continue,
                    Some(rest) => rest.to_owned(),
                    None => word,
                };
                let quoted_value =
                    word.len() > 1 && word.ends_with(':') && chars.get(i) == Some(&'"');
                match closing(i + 1).filter(|_| quoted_value) {
                    Some(end) => {
                        tokens.push(Token::FieldPhrase {
                            name: word[..word.len() - 1].to_owned(),
                            text: chars[i + 1..end].iter().collect(),
                        });
                        i = end + 1;
                    }
                    None => tokens.push(Token::Bare(word)),
                }
            }
        }
    }
    tokens
}

/// `word` without a `^2` or `^1.5` at its end; `None` when it has none.
fn without_boost(word: &str) -> Option<&str> {
    let (rest, boost) = word.rsplit_once('^')?;
    let is_number = !boost.is_empty()
        && boost.bytes().all(|b| b.is_ascii_digit() || b == b'.')
        && boost.bytes().any(|b| b.is_ascii_digit());
    is_number.then_some(rest)
}

/// Parses query text. Never fails: what is not syntax is text. `None` when nothing is left.
pub fn parse(text: &str) -> Option<Node> {
    let tokens = lex(text);
    let mut at = 0;
    let node = sequence(&tokens, &mut at, 0);
    simplify(node)
}

/// A sequence of clauses up to an unmatched `)` (or the end); `depth` is how many groups are
/// open, so a `)` with no `(` is skipped rather than ending the query.
fn sequence(tokens: &[Token], at: &mut usize, depth: usize) -> Node {
    let mut clauses: Vec<(Occur, Node)> = Vec::new();
    let mut pending_or = false;
    let mut negate = false;
    while *at < tokens.len() {
        let token = &tokens[*at];
        *at += 1;
        // `title:(amazon OR zebra)`: the group's words in that field.
        let field_group = match token {
            Token::Bare(word)
                if depth < MAX_GROUP_DEPTH && tokens.get(*at) == Some(&Token::Open) =>
            {
                group_field(word)
            }
            _ => None,
        };
        if let Some(field) = field_group {
            *at += 1;
            let group = in_field(sequence(tokens, at, depth + 1), field);
            push_clause(&mut clauses, (&mut negate, &mut pending_or), group);
            continue;
        }
        let node = match token {
            Token::Close if depth > 0 => break,
            Token::Close | Token::Plus => continue,
            Token::Minus => {
                negate = true;
                continue;
            }
            Token::Bare(word) if word == "OR" || word == "||" => {
                pending_or = !clauses.is_empty();
                continue;
            }
            Token::Bare(word) if word == "AND" || word == "&&" => continue,
            Token::Bare(word) if word == "NOT" => {
                negate = true;
                continue;
            }
            // Deeper groups are read as words: 20,000 `(` overflowed the stack.
            Token::Open if depth >= MAX_GROUP_DEPTH => continue,
            Token::Open => sequence(tokens, at, depth + 1),
            Token::Phrase { text, star } => text_leaf(None, text, *star),
            Token::FieldPhrase { name, text } => match query_field(name) {
                Some(field) => text_leaf(Some(field), text, false),
                // `Long read:"…"`: the name is a word, the phrase a phrase.
                None => Node::All(vec![
                    (Occur::Must, bare_leaf(name)),
                    (Occur::Must, text_leaf(None, text, false)),
                ]),
            },
            Token::Bare(word) => bare_leaf(word),
        };
        push_clause(&mut clauses, (&mut negate, &mut pending_or), node);
    }
    Node::All(clauses)
}

/// Adds `node` to a sequence's clauses: excluded after `-`/`NOT`, joined to the previous
/// clause after `OR`. Both flags are spent.
fn push_clause(
    clauses: &mut Vec<(Occur, Node)>,
    (negate, pending_or): (&mut bool, &mut bool),
    node: Node,
) {
    let occur = if std::mem::take(negate) {
        Occur::MustNot
    } else {
        Occur::Must
    };
    let join = std::mem::take(pending_or) && occur == Occur::Must;
    match clauses.last_mut() {
        Some((Occur::Must, previous)) if join => {
            let previous = std::mem::replace(previous, Node::Any(Vec::new()));
            let mut options = match previous {
                Node::Any(options) => options,
                other => vec![other],
            };
            options.push(node);
            if let Some(last) = clauses.last_mut() {
                last.1 = Node::Any(options);
            }
        }
        _ => clauses.push((occur, node)),
    }
}

/// Groups nested deeper than this are not groups (see `sequence`).
const MAX_GROUP_DEPTH: usize = 32;

/// The query field a `name:` before a group names, if it is one.
fn group_field(word: &str) -> Option<&'static str> {
    word.strip_suffix(':').and_then(query_field)
}

fn query_field(name: &str) -> Option<&'static str> {
    let lower = name.to_ascii_lowercase();
    QUERY_FIELDS.iter().copied().find(|f| *f == lower)
}

/// Endings English (Snowball) stemming takes off words, alone and as they combine: the
/// part of a prefix past a word's stem begins one of them.
const REMOVED_SUFFIXES: &[&str] = &[
    "ational", "ations", "ative", "ator", "ated", "ates", "ating", "ally", "als", "ance", "ence",
    "ements", "ments", "ent", "ant", "able", "ible", "ism", "ist", "ities", "ives", "izes", "ized",
    "izing", "izations", "ises", "ised", "ising", "isations", "ions", "ionally", "ously",
    "ousness", "ness", "fully", "fulness", "lessly", "ically", "icity", "ers", "edly", "ingly",
    "ings", "ies", "ied", "es", "iness", "ily", "ency", "ancy", "ery", "ory", "ary", "ality",
    "iveness", "ement", "ioned", "ioning", "s", "y",
];

/// A bare word: `field:value` when `field` is a query field, else text with an optional
/// `*` (prefix) or `~N` (edits) at its end.
fn bare_leaf(word: &str) -> Node {
    if let Some((name, value)) = word.split_once(':') {
        if let Some(field) = query_field(name) {
            if !value.is_empty() {
                // Exact values (`topic:McDonald's`, `url:…/it's`) stay as written.
                let value = if is_text_field(field) {
                    without_possessive(value)
                } else {
                    value
                };
                return text_leaf(Some(field), value, false);
            }
        }
    }
    text_leaf(None, without_possessive(word), false)
}

/// `glacier's` as `glacier`: the tokenizer splits a possessive into the word and `s`, which
/// would then have to follow it (`the retreating glacier's` found no record about the
/// glacier). Records that have `glacier's` have `glacier`, so they are still found. A quoted
/// phrase keeps its `'s`.
fn without_possessive(word: &str) -> &str {
    for ending in ["'s", "'S", "\u{2019}s", "\u{2019}S"] {
        if let Some(stem) = word.strip_suffix(ending) {
            if stem.chars().last().is_some_and(char::is_alphanumeric) {
                return stem;
            }
        }
    }
    word
}

fn text_leaf(field: Option<&'static str>, text: &str, star: bool) -> Node {
    let keyword = field.is_some_and(|f| !matches!(f, "title" | "excerpt" | "body"));
    let matching = if keyword {
        Match::Words(text.trim().to_owned())
    } else if star || (text.ends_with('*') && text.trim_end_matches('*').len() > 1) {
        Match::Prefix(text.trim_end_matches('*').to_owned())
    } else if let Some((word, edits)) = fuzzy_suffix(text) {
        Match::Fuzzy(word.to_owned(), edits)
    } else {
        Match::Words(text.to_owned())
    };
    Node::Leaf { field, matching }
}

/// `node` with its leaves that name no field searched in `field` instead.
fn in_field(node: Node, field: &'static str) -> Node {
    match node {
        Node::All(clauses) => Node::All(
            clauses
                .into_iter()
                .map(|(occur, node)| (occur, in_field(node, field)))
                .collect(),
        ),
        Node::Any(options) => Node::Any(options.into_iter().map(|n| in_field(n, field)).collect()),
        Node::Leaf {
            field: None,
            matching,
        } => {
            let text = match &matching {
                Match::Words(text) => text.clone(),
                Match::Prefix(text) => format!("{text}*"),
                Match::Fuzzy(text, edits) => format!("{text}~{edits}"),
            };
            let star = matches!(matching, Match::Prefix(_));
            text_leaf(Some(field), &text, star && is_text_field(field))
        }
        leaf => leaf,
    }
}

fn is_text_field(field: &str) -> bool {
    matches!(field, "title" | "excerpt" | "body")
}

/// `word~`, `word~1`, `word~2`: the word and its edits.
fn fuzzy_suffix(text: &str) -> Option<(&str, u8)> {
    let (word, edits) = text.rsplit_once('~')?;
    let edits = match edits {
        "" => 1,
        "0" | "1" | "2" => edits.parse().ok()?,
        _ => return None,
    };
    (word.chars().any(char::is_alphanumeric)).then_some((word, edits))
}

/// Drops empty groups and unwraps groups of one; `None` when nothing is left.
fn simplify(node: Node) -> Option<Node> {
    match node {
        Node::All(clauses) => {
            let mut kept: Vec<(Occur, Node)> = clauses
                .into_iter()
                .filter_map(|(occur, node)| simplify(node).map(|n| (occur, n)))
                .collect();
            match kept.len() {
                0 => None,
                1 if kept[0].0 == Occur::Must => Some(kept.pop().expect("one clause").1),
                _ => Some(Node::All(kept)),
            }
        }
        Node::Any(options) => {
            let mut kept: Vec<Node> = options.into_iter().filter_map(simplify).collect();
            match kept.len() {
                0 => None,
                1 => kept.pop(),
                _ => Some(Node::Any(kept)),
            }
        }
        Node::Leaf { field, matching } => {
            let text = match &matching {
                Match::Words(t) | Match::Prefix(t) | Match::Fuzzy(t, _) => t,
            };
            let searchable = text.chars().any(char::is_alphanumeric);
            searchable.then_some(Node::Leaf { field, matching })
        }
    }
}

/// What a query looks for in the text, for snippets and for the hint of an empty result:
/// the positive (not excluded) text leaves.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Wanted {
    /// Stemmed words of each word or phrase leaf (a CJK word's bigrams).
    pub words: Vec<Vec<String>>,
    /// The text of each of those leaves, as written, to name a CJK word whole in a hint.
    pub texts: Vec<String>,
    /// Unstemmed words of each prefix leaf, the last one the prefix.
    pub prefixes: Vec<Vec<String>>,
    /// A stemmed word and its allowed edits.
    pub fuzzy: Vec<(String, u8)>,
}

/// Builds tantivy queries from parsed query text.
pub struct QueryBuilder<'a> {
    fields: &'a Fields,
    stemmed: TextAnalyzer,
    plain: TextAnalyzer,
}

/// The text fields searched when a word names no field, with their boosts.
fn default_fields(fields: &Fields) -> [(Field, f32); 3] {
    [
        (fields.title, 2.0),
        (fields.excerpt, 1.5),
        (fields.body, 1.0),
    ]
}

impl<'a> QueryBuilder<'a> {
    /// A builder for an index with the newsidx schema, whose fields are `fields`.
    pub fn new(fields: &'a Fields) -> Self {
        QueryBuilder {
            fields,
            stemmed: text_analyzer(true),
            plain: text_analyzer(false),
        }
    }

    /// The query of a node.
    pub fn build(&mut self, node: &Node) -> Box<dyn Query> {
        match node {
            Node::All(clauses) => {
                let mut parts: Vec<(Occur, Box<dyn Query>)> = clauses
                    .iter()
                    .map(|(occur, node)| (*occur, self.build(node)))
                    .collect();
                if parts.iter().all(|(occur, _)| *occur == Occur::MustNot) {
                    // `-word` alone: everything but word.
                    parts.push((Occur::Must, Box::new(AllQuery)));
                }
                Box::new(BooleanQuery::new(parts))
            }
            Node::Any(options) => Box::new(BooleanQuery::new(
                options
                    .iter()
                    .map(|node| (Occur::Should, self.build(node)))
                    .collect(),
            )),
            Node::Leaf { field, matching } => self.leaf(*field, matching),
        }
    }

    fn leaf(&mut self, field: Option<&str>, matching: &Match) -> Box<dyn Query> {
        let fields = self.fields;
        let text_fields: Vec<(Field, f32)> = match field {
            None => default_fields(fields).to_vec(),
            Some("title") => vec![(fields.title, 1.0)],
            Some("excerpt") => vec![(fields.excerpt, 1.0)],
            Some("body") => vec![(fields.body, 1.0)],
            Some(name) => {
                let Match::Words(value) = matching else {
                    return Box::new(EmptyQuery);
                };
                return self.keyword(name, value);
            }
        };
        let clauses: Vec<(Occur, Box<dyn Query>)> = text_fields
            .into_iter()
            .filter_map(|(field, boost)| {
                let query = self.text(field, matching)?;
                let query: Box<dyn Query> = if boost == 1.0 {
                    query
                } else {
                    Box::new(BoostQuery::new(query, boost))
                };
                Some((Occur::Should, query))
            })
            .collect();
        if clauses.is_empty() {
            Box::new(EmptyQuery)
        } else {
            Box::new(BooleanQuery::new(clauses))
        }
    }

    /// The query of words in one text field; `None` when the text has no word.
    fn text(&mut self, field: Field, matching: &Match) -> Option<Box<dyn Query>> {
        let term = |word: &str| Term::from_field_text(field, word);
        match matching {
            Match::Words(text) => {
                let words = positioned_words(&mut self.stemmed, text);
                match words.as_slice() {
                    [] => None,
                    [(_, one)] => Some(Box::new(TermQuery::new(
                        term(one),
                        IndexRecordOption::WithFreqs,
                    ))),
                    many => Some(phrase(field, many)),
                }
            }
            Match::Prefix(text) => {
                let mut words = words(&mut self.plain, text);
                let last = words.pop()?;
                let mut leading: Vec<Term> = words
                    .iter()
                    .flat_map(|w| self::words(&mut self.stemmed, w))
                    .map(|w| term(&w))
                    .collect();
                if leading.is_empty() {
                    // The word itself (stemmed, as indexed) or any word it begins.
                    let stem = self::words(&mut self.stemmed, &last);
                    let mut options: Vec<(Occur, Box<dyn Query>)> = vec![(
                        Occur::Should,
                        Box::new(FuzzyTermQuery::new_prefix(term(&last), 0, false)),
                    )];
                    let mut stems: Vec<String> = stem.into_iter().filter(|s| *s != last).collect();
                    stems.extend(self.shorter_stems(&last));
                    stems.sort();
                    stems.dedup();
                    for stem in stems {
                        options.push((
                            Occur::Should,
                            Box::new(TermQuery::new(term(&stem), IndexRecordOption::WithFreqs)),
                        ));
                    }
                    Some(Box::new(BooleanQuery::new(options)))
                } else {
                    leading.push(term(&last));
                    Some(Box::new(PhrasePrefixQuery::new(leading)))
                }
            }
            Match::Fuzzy(text, edits) => {
                let words = words(&mut self.stemmed, text);
                match words.as_slice() {
                    [] => None,
                    [one] => Some(Box::new(FuzzyTermQuery::new(term(one), *edits, true))),
                    // `don't~1`: the edits make no sense across words; match the phrase.
                    _ => Some(phrase(field, &positioned_words(&mut self.stemmed, text))),
                }
            }
        }
    }

    /// Stems of words that begin with `prefix` but are indexed as a stem shorter than it
    /// (`integrations` as `integr`, so `integrat*` alone would miss it): each start of
    /// `prefix` of four letters or more that some word of `prefix` plus an ending English
    /// stemming removes stems to (`integr` from `integr` + `ations`). Such a stem also stands
    /// for its other words (`integr` for `integrity`): the index keeps only stems.
    fn shorter_stems(&mut self, prefix: &str) -> Vec<String> {
        let mut stems = Vec::new();
        for (at, _) in prefix.char_indices().skip(4) {
            let (start, rest) = prefix.split_at(at);
            let made = REMOVED_SUFFIXES
                .iter()
                .filter(|suffix| suffix.starts_with(rest))
                .any(|suffix| words(&mut self.stemmed, &format!("{start}{suffix}")) == [start]);
            if made {
                stems.push(start.to_owned());
            }
        }
        stems
    }

    /// `topic:`, `tag:`, `provider:`, … (exact, case-insensitive), `kind:`, and the hashed
    /// `url:`, `path:` and `links:`.
    fn keyword(&self, name: &str, value: &str) -> Box<dyn Query> {
        let fields = self.fields;
        let exact = |field: Field, text: &str| -> Box<dyn Query> {
            Box::new(TermQuery::new(
                Term::from_field_text(field, text),
                IndexRecordOption::Basic,
            ))
        };
        let hashed = |field: Field, text: &str| -> Box<dyn Query> {
            Box::new(TermQuery::new(
                lookup_term(field, text),
                IndexRecordOption::Basic,
            ))
        };
        let lower = value.to_lowercase();
        match name {
            "topic" => exact(fields.topic, &lower),
            "provider" => exact(fields.provider, &lower),
            "category" => exact(fields.category, &lower),
            "type" => exact(fields.doc_type, &lower),
            "domain" => exact(fields.domain, &normalise_domain(value)),
            "kind" => exact(fields.kind, &lower),
            "tag" => exact(fields.tag, &lower),
            "url" | "links" => {
                let field = if name == "url" {
                    fields.url
                } else {
                    fields.links
                };
                match canonical_url(value) {
                    Some(url) => hashed(field, &url),
                    None => Box::new(EmptyQuery),
                }
            }
            "path" => {
                let path = value.trim().replace('\\', "/");
                let path = path.trim_start_matches("./").trim_start_matches('/');
                hashed(fields.path, path)
            }
            _ => Box::new(EmptyQuery),
        }
    }

    /// What `node` looks for in the text (its positive text leaves).
    pub fn wanted(&mut self, node: &Node) -> Wanted {
        let mut wanted = Wanted::default();
        self.collect_wanted(node, &mut wanted);
        wanted
    }

    fn collect_wanted(&mut self, node: &Node, wanted: &mut Wanted) {
        match node {
            Node::All(clauses) => {
                for (occur, node) in clauses {
                    if *occur != Occur::MustNot {
                        self.collect_wanted(node, wanted);
                    }
                }
            }
            Node::Any(options) => {
                for node in options {
                    self.collect_wanted(node, wanted);
                }
            }
            Node::Leaf { field, matching } => {
                if field.is_some_and(|f| !matches!(f, "title" | "excerpt" | "body")) {
                    return;
                }
                match matching {
                    Match::Words(text) => {
                        let words = words(&mut self.stemmed, text);
                        if !words.is_empty() {
                            wanted.words.push(words);
                            wanted.texts.push(text.trim().to_owned());
                        }
                    }
                    Match::Prefix(text) => {
                        let words = words(&mut self.plain, text);
                        if !words.is_empty() {
                            wanted.prefixes.push(words);
                        }
                    }
                    Match::Fuzzy(text, edits) => {
                        for word in words(&mut self.stemmed, text) {
                            wanted.fuzzy.push((word, *edits));
                        }
                    }
                }
            }
        }
    }
}

/// The phrase of `words` at their positions: CJK text gives a character and its bigram at
/// one position (`index::words`), and a word too long to index leaves a gap, as in the index.
fn phrase(field: Field, words: &[(usize, String)]) -> Box<dyn Query> {
    let first = words.first().map_or(0, |(at, _)| *at);
    Box::new(PhraseQuery::new_with_offset(
        words
            .iter()
            .map(|(at, word)| (at - first, Term::from_field_text(field, word)))
            .collect(),
    ))
}

/// The words of `text` as `analyzer` gives them, with their positions.
pub fn positioned_words(analyzer: &mut TextAnalyzer, text: &str) -> Vec<(usize, String)> {
    let mut stream = analyzer.token_stream(text);
    let mut out = Vec::new();
    while stream.advance() {
        let token = stream.token();
        out.push((token.position, token.text.clone()));
    }
    out
}

/// The words of `text` as `analyzer` gives them.
pub fn words(analyzer: &mut TextAnalyzer, text: &str) -> Vec<String> {
    positioned_words(analyzer, text)
        .into_iter()
        .map(|(_, word)| word)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn leaf(field: Option<&'static str>, matching: Match) -> Node {
        Node::Leaf { field, matching }
    }

    fn words(text: &str) -> Node {
        leaf(None, Match::Words(text.into()))
    }

    #[test]
    fn pasted_text_parses_as_words() {
        assert_eq!(parse("Amazon's"), Some(words("Amazon")));
        assert_eq!(parse("Amazon\u{2019}s"), Some(words("Amazon")));
        assert_eq!(parse("\"Amazon's\""), Some(words("Amazon's")));
        assert_eq!(parse("'s"), Some(words("'s")));
        assert_eq!(parse("O'Brien"), Some(words("O'Brien")));
        assert_eq!(
            parse("Long read: a summer"),
            Some(Node::All(vec![
                (Occur::Must, words("Long")),
                (Occur::Must, words("read:")),
                (Occur::Must, words("a")),
                (Occur::Must, words("summer")),
            ]))
        );
        assert_eq!(
            parse("\"unbalanced quote"),
            parse("unbalanced quote"),
            "a lone quote is dropped"
        );
        assert_eq!(parse("(open group"), parse("open group"));
        assert_eq!(parse("closed) group"), parse("closed group"));
        assert_eq!(parse("\" ( ) -"), None);
        assert_eq!(parse(""), None);
        assert_eq!(parse("&"), None);
        // A pasted command-line flag is searched as its word, not left out.
        assert_eq!(parse("--detach"), Some(words("--detach")));
        assert_eq!(
            parse("jekyll --detach"),
            Some(Node::All(vec![
                (Occur::Must, words("jekyll")),
                (Occur::Must, words("--detach")),
            ]))
        );
        assert_eq!(parse("++i"), Some(words("++i")));
    }

    #[test]
    fn syntax_still_works() {
        assert_eq!(
            parse("tidal OR magnitude"),
            Some(Node::Any(vec![words("tidal"), words("magnitude")]))
        );
        assert_eq!(
            parse("hospital -ransomware"),
            Some(Node::All(vec![
                (Occur::Must, words("hospital")),
                (Occur::MustNot, words("ransomware")),
            ]))
        );
        assert_eq!(
            parse("title:\"café owners\""),
            Some(leaf(Some("title"), Match::Words("café owners".into())))
        );
        assert_eq!(
            parse("protest*"),
            Some(leaf(None, Match::Prefix("protest".into())))
        );
        assert_eq!(
            parse("\"climate chan\"*"),
            Some(leaf(None, Match::Prefix("climate chan".into())))
        );
        assert_eq!(
            parse("hospitl~1"),
            Some(leaf(None, Match::Fuzzy("hospitl".into(), 1)))
        );
        assert_eq!(
            parse("URL:https://x.example/a?b=1"),
            Some(leaf(
                Some("url"),
                Match::Words("https://x.example/a?b=1".into())
            ))
        );
        assert_eq!(parse("nosuch:thing"), Some(words("nosuch:thing")));
        assert_eq!(
            parse("(a OR b) -c"),
            Some(Node::All(vec![
                (Occur::Must, Node::Any(vec![words("a"), words("b")])),
                (Occur::MustNot, words("c")),
            ]))
        );
    }

    #[test]
    fn field_groups_and_boosts_as_tantivy_writes_them() {
        let title = |text: &str| leaf(Some("title"), Match::Words(text.into()));
        assert_eq!(
            parse("title:(amazon OR zebra)"),
            Some(Node::Any(vec![title("amazon"), title("zebra")]))
        );
        assert_eq!(parse("title:(amazon)"), Some(title("amazon")));
        assert_eq!(
            parse("Title:(\"aws ai\" lab*) -x"),
            Some(Node::All(vec![
                (
                    Occur::Must,
                    Node::All(vec![
                        (Occur::Must, title("aws ai")),
                        (
                            Occur::Must,
                            leaf(Some("title"), Match::Prefix("lab".into()))
                        ),
                    ])
                ),
                (Occur::MustNot, words("x")),
            ]))
        );
        assert_eq!(
            parse("topic:(Climate OR \"AWS AI\")"),
            Some(Node::Any(vec![
                leaf(Some("topic"), Match::Words("Climate".into())),
                leaf(Some("topic"), Match::Words("AWS AI".into())),
            ]))
        );
        // Not a query field: the name is a word, the group a group.
        assert_eq!(
            parse("note:(a b)"),
            Some(Node::All(vec![
                (Occur::Must, words("note:")),
                (
                    Occur::Must,
                    Node::All(vec![(Occur::Must, words("a")), (Occur::Must, words("b"))])
                ),
            ]))
        );
        assert_eq!(parse("amazon^2"), Some(words("amazon")));
        assert_eq!(parse("\"a b\"^2.5"), Some(words("a b")));
        assert_eq!(parse("x^y"), Some(words("x^y")));
        assert_eq!(parse("^2"), None);
        let deep = format!("{}x", "(".repeat(20_000));
        assert_eq!(parse(&deep), Some(words("x")));
        assert_eq!(
            parse("topic:McDonald's"),
            Some(leaf(Some("topic"), Match::Words("McDonald's".into())))
        );
    }

    #[test]
    fn a_word_of_several_tokens_is_a_phrase_of_them() {
        let index = tantivy::Index::create_in_ram(crate::index::schema::build_schema());
        crate::index::schema::register_tokenizers(&index);
        let fields = Fields::from_schema(&index.schema()).expect("the newsidx schema");
        let mut builder = QueryBuilder::new(&fields);
        let mut text = |query: &str| {
            let Node::Leaf { matching, .. } = parse(query).expect("a query") else {
                panic!("one leaf: {query}");
            };
            format!("{:?}", builder.text(fields.body, &matching))
        };
        // Bigrams of the CJK word, in order, as a phrase; a mixed word is its Latin part and
        // its bigrams.
        let cjk = text("运行时");
        assert!(cjk.contains("PhraseQuery"), "{cjk}");
        assert!(
            cjk.find("运行").unwrap() < cjk.find("行时").unwrap(),
            "{cjk}"
        );
        let mixed = text("Web3中文");
        assert!(mixed.contains("PhraseQuery") && mixed.contains("web3") && mixed.contains("中文"));
        // A CJK character alone, and a folded word, are one term.
        assert!(text("猫").contains("TermQuery"));
        let folded = text("ΑΘΗΝΑ");
        assert!(
            folded.contains("TermQuery") && folded.contains("αθηνα"),
            "{folded}"
        );
    }
}
