//! Back-pressure on the `IndexWriter`'s queue.
//!
//! tantivy 0.27 queues up to 10,000 documents before `add_document` blocks. Parsing outruns
//! indexing, so that queue is always full, and at about 7 KB per document it held some 70 MB of
//! a build's memory for nothing. Each document now carries a token that counts it until
//! tantivy drops it after indexing, and the feeder waits while `MAX_QUEUED` are waiting.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::Duration;

use tantivy::schema::document::CompactDocValue;
use tantivy::schema::{Document, Field};
use tantivy::TantivyDocument;

/// Documents queued for the indexing threads at most: a fraction of a second of their work.
const MAX_QUEUED: usize = 1_000;

/// A document on its way to an indexing thread.
pub struct QueuedDocument {
    document: TantivyDocument,
    _token: Token,
}

/// Counts one queued document until it is dropped.
struct Token(Arc<AtomicUsize>);

impl Drop for Token {
    fn drop(&mut self) {
        self.0.fetch_sub(1, Ordering::Release);
    }
}

impl Document for QueuedDocument {
    type Value<'a> = CompactDocValue<'a>;
    // tantivy does not export the iterator type of `TantivyDocument`; a box per call (a few
    // per document) costs nothing next to indexing it.
    type FieldsValuesIter<'a> = Box<dyn Iterator<Item = (Field, CompactDocValue<'a>)> + 'a>;

    fn iter_fields_and_values(&self) -> Self::FieldsValuesIter<'_> {
        Box::new(self.document.iter_fields_and_values())
    }
}

/// Admits documents to the writer's queue, waiting while it is full.
#[derive(Default)]
pub struct Gate {
    queued: Arc<AtomicUsize>,
}

impl Gate {
    /// Waits until the queue has room, then wraps `document` so that it is counted until
    /// tantivy has indexed it.
    pub fn admit(&self, document: TantivyDocument) -> QueuedDocument {
        while self.queued.load(Ordering::Acquire) >= MAX_QUEUED {
            std::thread::sleep(Duration::from_micros(200));
        }
        self.queued.fetch_add(1, Ordering::AcqRel);
        QueuedDocument {
            document,
            _token: Token(Arc::clone(&self.queued)),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_document_is_counted_until_dropped() {
        let gate = Gate::default();
        let first = gate.admit(TantivyDocument::default());
        let second = gate.admit(TantivyDocument::default());
        assert_eq!(gate.queued.load(Ordering::Acquire), 2);
        drop(first);
        assert_eq!(gate.queued.load(Ordering::Acquire), 1);
        drop(second);
        assert_eq!(gate.queued.load(Ordering::Acquire), 0);
    }
}
