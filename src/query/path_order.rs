//! Matching documents in order of record path, for `export` and other full listings, so that
//! the order never depends on which indexing thread took which document.
//!
//! Sorting by the `sort_path` strings held every path in memory (about 190 bytes per record);
//! this keeps 4-byte ranks instead. Each segment's `sort_path` dictionary is sorted, so one
//! merged pass over the dictionaries ranks every path across segments, and the matches are
//! then sorted by (rank, segment, document).

use std::cmp::Reverse;
use std::collections::BinaryHeap;

use anyhow::Result;
use tantivy::collector::{Collector, Count, SegmentCollector, TopDocs};
use tantivy::columnar::StrColumn;
use tantivy::index::SegmentReader;
use tantivy::query::Query;
use tantivy::{DocAddress, DocId, Order, Score, Searcher, SegmentOrdinal};

const SORT_FIELD: &str = "sort_path";

/// Below this many matches, sorting by the strings themselves is cheaper than ranking whole
/// dictionaries.
const SMALL: usize = 2_000;

/// Every document address matching `query`, in order of record path.
pub fn all_matches(searcher: &Searcher, query: &dyn Query) -> Result<Vec<DocAddress>> {
    matches_in_path_order(searcher, query, SMALL)
}

fn matches_in_path_order(
    searcher: &Searcher,
    query: &dyn Query,
    small: usize,
) -> Result<Vec<DocAddress>> {
    let total = searcher.search(query, &Count)?;
    if total == 0 {
        return Ok(Vec::new());
    }
    if total <= small {
        let sorted = TopDocs::with_limit(total).order_by_string_fast_field(SORT_FIELD, Order::Asc);
        return Ok(searcher
            .search(query, &sorted)?
            .into_iter()
            .map(|(_, address)| address)
            .collect());
    }
    let per_segment = searcher.search(query, &PathOrds)?;
    let ranks = global_ranks(searcher, &per_segment)?;
    let mut order: Vec<(u32, SegmentOrdinal, DocId)> = Vec::with_capacity(total);
    for (segment, matches) in per_segment {
        let segment_ranks = &ranks[segment as usize];
        for (ord, doc) in matches {
            let rank = segment_ranks.get(ord as usize).copied().unwrap_or(u32::MAX);
            order.push((rank, segment, doc));
        }
    }
    order.sort_unstable();
    Ok(order
        .into_iter()
        .map(|(_, segment, doc)| DocAddress::new(segment, doc))
        .collect())
}

/// For each segment, the rank of each of its `sort_path` terms among the terms of all
/// segments (equal paths share a rank).
fn global_ranks(
    searcher: &Searcher,
    per_segment: &[(SegmentOrdinal, Vec<(u32, DocId)>)],
) -> Result<Vec<Vec<u32>>> {
    let readers = searcher.segment_readers();
    let columns: Vec<Option<StrColumn>> = readers
        .iter()
        .map(|reader| reader.fast_fields().str(SORT_FIELD))
        .collect::<tantivy::Result<_>>()?;
    let mut ranks: Vec<Vec<u32>> = vec![Vec::new(); readers.len()];
    let mut streams = Vec::new();
    for (segment, _) in per_segment {
        if let Some(column) = &columns[*segment as usize] {
            ranks[*segment as usize] = vec![u32::MAX; column.num_terms()];
            streams.push((*segment, column.dictionary().stream()?));
        }
    }
    let mut heads = BinaryHeap::new();
    for (index, (_, stream)) in streams.iter_mut().enumerate() {
        if stream.advance() {
            heads.push(Reverse((stream.key().to_vec(), index)));
        }
    }
    let mut rank = 0u32;
    let mut previous: Option<Vec<u8>> = None;
    while let Some(Reverse((key, index))) = heads.pop() {
        if previous.as_ref().is_some_and(|p| *p != key) {
            rank += 1;
        }
        let (segment, stream) = &mut streams[index];
        if let Some(slot) = ranks[*segment as usize].get_mut(stream.term_ord() as usize) {
            *slot = rank;
        }
        previous = Some(key);
        if stream.advance() {
            heads.push(Reverse((stream.key().to_vec(), index)));
        }
    }
    Ok(ranks)
}

/// Collects, per segment, each match with the dictionary ordinal of its path.
struct PathOrds;

struct SegmentPathOrds {
    segment: SegmentOrdinal,
    column: Option<StrColumn>,
    matches: Vec<(u32, DocId)>,
}

impl Collector for PathOrds {
    type Fruit = Vec<(SegmentOrdinal, Vec<(u32, DocId)>)>;
    type Child = SegmentPathOrds;

    fn for_segment(
        &self,
        segment: SegmentOrdinal,
        reader: &SegmentReader,
    ) -> tantivy::Result<Self::Child> {
        Ok(SegmentPathOrds {
            segment,
            column: reader.fast_fields().str(SORT_FIELD)?,
            matches: Vec::new(),
        })
    }

    fn requires_scoring(&self) -> bool {
        false
    }

    fn merge_fruits(&self, fruits: Vec<Self::Fruit>) -> tantivy::Result<Self::Fruit> {
        Ok(fruits.into_iter().flatten().collect())
    }
}

impl SegmentCollector for SegmentPathOrds {
    type Fruit = Vec<(SegmentOrdinal, Vec<(u32, DocId)>)>;

    fn collect(&mut self, doc: DocId, _: Score) {
        let ord = self
            .column
            .as_ref()
            .and_then(|column| column.term_ords(doc).next())
            .and_then(|ord| u32::try_from(ord).ok())
            .unwrap_or(u32::MAX);
        self.matches.push((ord, doc));
    }

    fn harvest(self) -> Self::Fruit {
        if self.matches.is_empty() {
            Vec::new()
        } else {
            vec![(self.segment, self.matches)]
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use tantivy::query::AllQuery;
    use tantivy::schema::{Schema, TextOptions, Value, STORED, STRING};
    use tantivy::{Index, IndexWriter, TantivyDocument};

    /// Paths spread over three segments, out of order within each, with one deleted.
    fn index_of(paths: &[Vec<&str>]) -> (Index, tantivy::schema::Field) {
        let mut builder = Schema::builder();
        let stored = builder.add_text_field("p", STRING | STORED);
        let sort = builder.add_text_field(
            SORT_FIELD,
            TextOptions::default().set_fast(tantivy::tokenizer::RAW_TOKENIZER_NAME),
        );
        let index = Index::create_in_ram(builder.build());
        let mut writer: IndexWriter = index.writer_with_num_threads(1, 15_000_000).unwrap();
        for segment in paths {
            for path in segment {
                let mut doc = TantivyDocument::default();
                doc.add_text(stored, path);
                doc.add_text(sort, path);
                writer.add_document(doc).unwrap();
            }
            writer.commit().unwrap();
        }
        writer.delete_term(tantivy::Term::from_field_text(stored, "b/gone.md"));
        writer.commit().unwrap();
        (index, stored)
    }

    #[test]
    fn ranks_give_the_same_order_as_strings() {
        let (index, stored) = index_of(&[
            vec!["b/2.md", "a/1.md", "c/9.md", "b/gone.md"],
            vec!["a/0.md", "c/1.md", "b/10.md"],
            vec!["z.md", "a/1.md", "0.md"],
        ]);
        let searcher = index.reader().unwrap().searcher();
        let paths = |small| -> Vec<String> {
            matches_in_path_order(&searcher, &AllQuery, small)
                .unwrap()
                .into_iter()
                .map(|address| {
                    let doc: TantivyDocument = searcher.doc(address).unwrap();
                    doc.get_first(stored).unwrap().as_str().unwrap().to_owned()
                })
                .collect()
        };
        let by_ranks = paths(0);
        assert_eq!(
            by_ranks,
            [
                "0.md", "a/0.md", "a/1.md", "a/1.md", "b/10.md", "b/2.md", "c/1.md", "c/9.md",
                "z.md"
            ]
        );
        assert_eq!(by_ranks, paths(usize::MAX), "both ways agree");
    }
}
