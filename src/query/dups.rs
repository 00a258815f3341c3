//! Copies of one story among the records matching a query: their fingerprints read from the
//! `fingerprint` fast field (no stored document is loaded), LSH candidates verified against
//! the signatures, and star clusters around each cluster's earliest record
//! (`crate::fingerprint`). Feeds `dups`, `--collapse` and `show`'s copies.

use std::collections::HashMap;

use anyhow::Result;
use serde::Serialize;
use tantivy::collector::{Collector, SegmentCollector};
use tantivy::index::SegmentReader;
use tantivy::query::Query;
use tantivy::schema::Value as _;
use tantivy::{DocAddress, DocId, Score, Searcher, SegmentOrdinal, TantivyDocument};

use super::{all_matches, record_of};
use crate::fingerprint::cluster::{star_clusters_with, Member};
use crate::fingerprint::lsh::{candidate_pairs, candidate_pairs_in_bands};
use crate::fingerprint::minhash::BINS;
use crate::fingerprint::Fingerprint;
use crate::index::schema::FINGERPRINT_FIELD;
use crate::index::OpenIndex;
use crate::record::{opening_words, Provider};

/// The default resemblance for two records to count as copies: a copy spun at 20% (a fifth
/// of its words swapped for synonyms) has a 2-gram Jaccard similarity of about 0.48, while
/// distinct stories of one template stay below 0.3 (BENCHMARKS.md, copies).
pub const DEFAULT_THRESHOLD: f32 = 0.4;

/// LSH bands over the skeleton signature: 42 of 3 bins find a skeleton similarity of 0.6
/// with probability 1 - (1 - 0.6^3)^42 > 0.9999.
const SKELETON_BANDS: usize = 42;

/// A cluster of copies: documents with their resemblance to the first, the earliest-dated
/// (then first by path).
pub type AddressCluster = Vec<(DocAddress, f32)>;

/// The fingerprints of the matching records, and who has which.
struct Fingerprints {
    /// Matching documents, earliest date first, then by path.
    docs: Vec<DocAddress>,
    /// For each document, its node: an index into `nodes`, or `None` (a text without words).
    node_of: Vec<Option<u32>>,
    /// Distinct fingerprints (one per segment dictionary entry used).
    nodes: Vec<Fingerprint>,
}

/// Clusters of copies among the records matching `query` (resemblance at least `threshold`),
/// largest first.
pub fn copy_clusters(
    searcher: &Searcher,
    query: &dyn Query,
    threshold: f32,
) -> Result<Vec<AddressCluster>> {
    let prints = read_fingerprints(searcher, query)?;
    let signatures: Vec<&[u8; BINS]> = prints.nodes.iter().map(|f| &f.bins).collect();
    let mut pairs = candidate_pairs(&signatures);
    // Spun copies share too few 2-grams for the bands above; their skeletons are alike.
    let skeletons: Vec<&[u8]> = prints.nodes.iter().map(|f| &f.skeleton[..]).collect();
    pairs.extend(candidate_pairs_in_bands(&skeletons, SKELETON_BANDS));
    pairs.sort_unstable();
    pairs.dedup();
    let mut node_edges: Vec<Vec<(u32, f32)>> = vec![Vec::new(); prints.nodes.len()];
    for (a, b) in pairs {
        let similarity = prints.nodes[a as usize].resemblance(&prints.nodes[b as usize]);
        if similarity >= threshold {
            node_edges[a as usize].push((b, similarity));
            node_edges[b as usize].push((a, similarity));
        }
    }
    let mut docs_of_node: Vec<Vec<u32>> = vec![Vec::new(); prints.nodes.len()];
    for (doc, node) in prints.node_of.iter().enumerate() {
        if let Some(node) = node {
            docs_of_node[*node as usize].push(doc as u32);
        }
    }
    let order: Vec<u32> = (0..prints.docs.len() as u32).collect();
    let clusters = star_clusters_with(prints.docs.len(), &order, |doc, out| {
        let Some(node) = prints.node_of[doc as usize] else {
            return;
        };
        out.extend(
            docs_of_node[node as usize]
                .iter()
                .filter(|&&other| other != doc)
                .map(|&other| (other, 1.0)),
        );
        for &(near, similarity) in &node_edges[node as usize] {
            out.extend(
                docs_of_node[near as usize]
                    .iter()
                    .map(|&other| (other, similarity)),
            );
        }
    });
    Ok(clusters
        .into_iter()
        .map(|members| {
            members
                .into_iter()
                .map(|Member { node, similarity }| (prints.docs[node as usize], similarity))
                .collect()
        })
        .collect())
}

/// Reads the fingerprint and date of every matching document.
fn read_fingerprints(searcher: &Searcher, query: &dyn Query) -> Result<Fingerprints> {
    let mut docs = all_matches(searcher, query)?;
    let readers = searcher.segment_readers();
    let mut dates = Vec::with_capacity(readers.len());
    let mut columns = Vec::with_capacity(readers.len());
    for reader in readers {
        dates.push(reader.fast_fields().date("date")?);
        columns.push(reader.fast_fields().bytes(FINGERPRINT_FIELD)?);
    }
    // Stable: equal dates keep the path order `all_matches` gave; undated records come last.
    docs.sort_by_key(|address| {
        dates[address.segment_ord as usize]
            .first(address.doc_id)
            .map_or((1, 0), |date| (0, date.into_timestamp_nanos()))
    });
    let mut wanted: Vec<Vec<u64>> = vec![Vec::new(); readers.len()];
    let ords: Vec<Option<u64>> = docs
        .iter()
        .map(|address| {
            let column = columns[address.segment_ord as usize].as_ref()?;
            let ord = column.ords().first(address.doc_id)?;
            wanted[address.segment_ord as usize].push(ord);
            Some(ord)
        })
        .collect();
    let mut nodes = Vec::new();
    let mut node_of_ord: Vec<HashMap<u64, u32>> = vec![HashMap::new(); readers.len()];
    for (segment, mut ords) in wanted.into_iter().enumerate() {
        let Some(column) = &columns[segment] else {
            continue;
        };
        ords.sort_unstable();
        ords.dedup();
        let mut next = ords.iter().peekable();
        // One pass over the dictionary: looking each ord up on its own is far slower.
        let mut stream = column.dictionary().stream()?;
        while next.peek().is_some() && stream.advance() {
            if next.peek() == Some(&&stream.term_ord()) {
                next.next();
                if let Some(fingerprint) = Fingerprint::from_bytes(stream.key()) {
                    node_of_ord[segment].insert(stream.term_ord(), nodes.len() as u32);
                    nodes.push(fingerprint);
                }
            }
        }
    }
    let node_of = docs
        .iter()
        .zip(ords)
        .map(|(address, ord)| {
            node_of_ord[address.segment_ord as usize]
                .get(&ord?)
                .copied()
        })
        .collect();
    Ok(Fingerprints {
        docs,
        node_of,
        nodes,
    })
}

/// One member of a `dups` cluster (SPEC §4).
#[derive(Debug, Clone, Serialize)]
pub struct ClusterMember {
    pub id: String,
    pub path: String,
    pub title: Option<String>,
    pub provider: Option<Provider>,
    pub date: Option<String>,
    /// Estimated resemblance to the cluster's first member, 0-1 (1 for the first).
    pub similarity: f64,
    /// Opening words of the body, for body records without a title (table output).
    #[serde(skip)]
    pub opening: Option<String>,
}

/// One `dups` row: a cluster of copies of one story, the earliest-dated member first.
#[derive(Debug, Clone, Serialize)]
pub struct CopyCluster {
    /// The id of the first member.
    pub cluster: String,
    pub size: usize,
    pub members: Vec<ClusterMember>,
}

/// The `dups` row of a cluster, loading its members' records.
pub fn describe_cluster(open: &OpenIndex, cluster: &AddressCluster) -> Result<CopyCluster> {
    let searcher = open.reader.searcher();
    let mut members = Vec::with_capacity(cluster.len());
    for &(address, similarity) in cluster {
        let doc: TantivyDocument = searcher.doc(address)?;
        let record = record_of(open, &doc)?;
        let opening = record.title.is_none().then(|| {
            let body = doc.get_first(open.fields.body).and_then(|v| v.as_str());
            opening_words(body.unwrap_or_default(), 12)
        });
        members.push(ClusterMember {
            id: record.id,
            path: record.path,
            title: record.title,
            provider: record.provider,
            date: record.date,
            similarity: rounded(similarity),
            opening,
        });
    }
    Ok(CopyCluster {
        cluster: members.first().map(|m| m.id.clone()).unwrap_or_default(),
        size: members.len(),
        members,
    })
}

/// A similarity to three decimals: the estimate is not finer than that.
pub fn rounded(similarity: f32) -> f64 {
    (f64::from(similarity) * 1000.0).round() / 1000.0
}

/// What `--collapse` needs: which matching documents stand for their cluster, and how many
/// records each stands for.
#[derive(Debug, Default, Clone)]
pub struct Collapse {
    /// Members other than the first, per segment: left out of collapsed results.
    hidden: HashMap<SegmentOrdinal, std::collections::HashSet<DocId>>,
    /// Cluster size of each first member.
    sizes: HashMap<DocAddress, usize>,
}

impl Collapse {
    /// The collapse of the records matching `query` when `asked` (`--collapse`), else `None`.
    pub fn if_asked(
        asked: bool,
        searcher: &Searcher,
        query: &dyn Query,
    ) -> Result<Option<Collapse>> {
        Ok(match asked {
            true => Some(Collapse::of_query(searcher, query, DEFAULT_THRESHOLD)?),
            false => None,
        })
    }

    /// The collapse of the records matching `query`.
    pub fn of_query(searcher: &Searcher, query: &dyn Query, threshold: f32) -> Result<Collapse> {
        let mut collapse = Collapse::default();
        for cluster in copy_clusters(searcher, query, threshold)? {
            collapse.sizes.insert(cluster[0].0, cluster.len());
            for (address, _) in &cluster[1..] {
                collapse
                    .hidden
                    .entry(address.segment_ord)
                    .or_default()
                    .insert(address.doc_id);
            }
        }
        Ok(collapse)
    }

    /// Whether `address` is a copy that its cluster's first member stands for.
    pub fn hides(&self, address: DocAddress) -> bool {
        self.hidden
            .get(&address.segment_ord)
            .is_some_and(|docs| docs.contains(&address.doc_id))
    }

    /// How many matching records are left out.
    pub fn hidden_count(&self) -> usize {
        self.hidden.values().map(|docs| docs.len()).sum()
    }

    /// How many records a shown document stands for: its cluster's size, 1 when it has no
    /// copies.
    pub fn copies(&self, address: DocAddress) -> usize {
        self.sizes.get(&address).copied().unwrap_or(1)
    }

    /// `collector` over the documents that stand for their cluster only.
    pub fn wrap<C: Collector>(&self, collector: C) -> Collapsed<'_, C> {
        Collapsed {
            inner: collector,
            collapse: self,
        }
    }
}

/// Runs `collector` over the matches of `query`, leaving out the copies `collapse` hides
/// (all matches without one).
pub fn search_collapsed<C: Collector>(
    searcher: &Searcher,
    query: &dyn Query,
    collector: C,
    collapse: Option<&Collapse>,
) -> tantivy::Result<C::Fruit> {
    match collapse {
        Some(collapse) => searcher.search(query, &collapse.wrap(collector)),
        None => searcher.search(query, &collector),
    }
}

/// A collector that skips the copies a `Collapse` hides.
pub struct Collapsed<'a, C> {
    inner: C,
    collapse: &'a Collapse,
}

/// The segment collector of `Collapsed`.
pub struct CollapsedSegment<S> {
    inner: S,
    hidden: Option<std::collections::HashSet<DocId>>,
}

impl<C: Collector> Collector for Collapsed<'_, C> {
    type Fruit = C::Fruit;
    type Child = CollapsedSegment<C::Child>;

    fn for_segment(
        &self,
        segment: SegmentOrdinal,
        reader: &SegmentReader,
    ) -> tantivy::Result<Self::Child> {
        Ok(CollapsedSegment {
            inner: self.inner.for_segment(segment, reader)?,
            hidden: self.collapse.hidden.get(&segment).cloned(),
        })
    }

    fn requires_scoring(&self) -> bool {
        self.inner.requires_scoring()
    }

    fn merge_fruits(
        &self,
        fruits: Vec<<Self::Child as SegmentCollector>::Fruit>,
    ) -> tantivy::Result<Self::Fruit> {
        self.inner.merge_fruits(fruits)
    }
}

impl<S: SegmentCollector> SegmentCollector for CollapsedSegment<S> {
    type Fruit = S::Fruit;

    fn collect(&mut self, doc: DocId, score: Score) {
        if self.hidden.as_ref().is_some_and(|h| h.contains(&doc)) {
            return;
        }
        self.inner.collect(doc, score);
    }

    fn harvest(self) -> Self::Fruit {
        self.inner.harvest()
    }
}

/// The copies of one document among all records: every record whose resemblance to it
/// reaches `threshold`, most alike first, then earliest, then by path. Compared directly, not
/// through LSH (one text against all is cheap), and streamed: each segment's distinct
/// fingerprints are read once from its dictionary, and nothing per record is held.
pub fn copies_of(
    searcher: &Searcher,
    target: DocAddress,
    threshold: f32,
) -> Result<Vec<(DocAddress, f32)>> {
    let Some(own) = fingerprint_at(searcher, target)? else {
        return Ok(Vec::new());
    };
    let mut copies = Vec::new();
    for (segment, reader) in searcher.segment_readers().iter().enumerate() {
        let Some(column) = reader.fast_fields().bytes(FINGERPRINT_FIELD)? else {
            continue;
        };
        let mut near: HashMap<u64, f32> = HashMap::new();
        let mut stream = column.dictionary().stream()?;
        while stream.advance() {
            if let Some(other) = Fingerprint::from_bytes(stream.key()) {
                let similarity = own.resemblance(&other);
                if similarity >= threshold {
                    near.insert(stream.term_ord(), similarity);
                }
            }
        }
        if near.is_empty() {
            continue;
        }
        let alive = reader.alive_bitset();
        for doc in 0..reader.max_doc() {
            let address = DocAddress::new(segment as SegmentOrdinal, doc);
            if address == target || alive.is_some_and(|alive| !alive.is_alive(doc)) {
                continue;
            }
            let similarity = column.ords().first(doc).and_then(|ord| near.get(&ord));
            if let Some(&similarity) = similarity {
                copies.push((address, similarity));
            }
        }
    }
    let mut keyed = Vec::with_capacity(copies.len());
    for (address, similarity) in copies {
        keyed.push((order_key(searcher, address)?, address, similarity));
    }
    keyed.sort_by(|a, b| b.2.total_cmp(&a.2).then_with(|| a.0.cmp(&b.0)));
    Ok(keyed
        .into_iter()
        .map(|(_, at, similarity)| (at, similarity))
        .collect())
}

/// The fingerprint of one document, if its text has words.
pub fn fingerprint_at(searcher: &Searcher, address: DocAddress) -> Result<Option<Fingerprint>> {
    let reader = searcher.segment_reader(address.segment_ord);
    let Some(column) = reader.fast_fields().bytes(FINGERPRINT_FIELD)? else {
        return Ok(None);
    };
    let Some(ord) = column.ords().first(address.doc_id) else {
        return Ok(None);
    };
    let mut bytes = Vec::new();
    column.ord_to_bytes(ord, &mut bytes)?;
    Ok(Fingerprint::from_bytes(&bytes))
}

/// Earliest first, undated last, then by path: the order of `read_fingerprints`.
fn order_key(searcher: &Searcher, address: DocAddress) -> Result<((u8, i64), String)> {
    let fast = searcher.segment_reader(address.segment_ord).fast_fields();
    let date = fast
        .date("date")?
        .first(address.doc_id)
        .map_or((1, 0), |date| (0, date.into_timestamp_nanos()));
    let mut path = String::new();
    if let Some(column) = fast.str("sort_path")? {
        if let Some(ord) = column.term_ords(address.doc_id).next() {
            column.ord_to_str(ord, &mut path)?;
        }
    }
    Ok((date, path))
}

/// What `show` prints: a record, its body and its copies in the archive.
#[derive(Debug, Serialize)]
pub struct RecordWithCopies {
    #[serde(flatten)]
    pub inner: crate::record::RecordWithBody,
    pub copies: Vec<RecordCopy>,
}

/// A copy of a record, as `show` lists it.
#[derive(Debug, Clone, Serialize)]
pub struct RecordCopy {
    pub id: String,
    pub path: String,
    pub title: Option<String>,
    pub date: Option<String>,
    /// Estimated resemblance to the record shown, 0-1.
    pub similarity: f64,
}

/// The copies of the record with id `id` (resemblance at least `threshold`), most alike
/// first.
pub fn copies_of_record(open: &OpenIndex, id: &str, threshold: f32) -> Result<Vec<RecordCopy>> {
    let searcher = open.reader.searcher();
    let term = tantivy::Term::from_field_text(open.fields.id, id);
    let query = tantivy::query::TermQuery::new(term, tantivy::schema::IndexRecordOption::Basic);
    let found = searcher.search(
        &query,
        &tantivy::collector::TopDocs::with_limit(1).order_by_score(),
    )?;
    let Some(&(_, address)) = found.first() else {
        return Ok(Vec::new());
    };
    let mut copies = Vec::new();
    for (copy, similarity) in copies_of(&searcher, address, threshold)? {
        let record = record_of(open, &searcher.doc(copy)?)?;
        copies.push(RecordCopy {
            id: record.id,
            path: record.path,
            title: record.title,
            date: record.date,
            similarity: rounded(similarity),
        });
    }
    Ok(copies)
}
