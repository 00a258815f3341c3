//! Back-pressure on the `IndexWriter`'s queue.
//!
//! tantivy 0.27 queues up to 10,000 documents before `add_document` blocks. Parsing outruns
//! indexing, so that queue is always full, and at about 7 KB per document it held some 70 MB of
//! a build's memory for nothing. Each document now holds a slot of a bounded channel until
//! tantivy drops it after indexing; the feeder waits for a free slot, and gives up with an
//! error when none frees for `STALL_LIMIT` (the indexing threads died), instead of hanging.

use std::time::Duration;

use anyhow::{bail, Result};
use crossbeam_channel::{Receiver, Sender};
use tantivy::schema::document::CompactDocValue;
use tantivy::schema::{Document, Field};
use tantivy::TantivyDocument;

/// Documents queued for the indexing threads at most: a fraction of a second of their work.
const MAX_QUEUED: usize = 1_000;

/// How long the feeder waits for the indexing threads to take one document before it calls the
/// build stuck. Flushing a segment takes seconds; a minute without progress means the indexing
/// threads died (issue 5's hang), and waiting longer would only hang the build.
const STALL_LIMIT: Duration = Duration::from_secs(120);

/// A document on its way to an indexing thread.
pub struct QueuedDocument {
    document: TantivyDocument,
    _token: Token,
}

/// Holds one slot of the queue until the document is dropped.
struct Token(Receiver<()>);

impl Drop for Token {
    fn drop(&mut self) {
        // Frees the slot this document took; there is always one, since it was sent first.
        let _ = self.0.try_recv();
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

/// Admits documents to the writer's queue, waiting while it is full: a bounded channel used as
/// a counting semaphore (a slot is a message in it).
pub struct Gate {
    slots: Sender<()>,
    taken: Receiver<()>,
}

impl Default for Gate {
    fn default() -> Self {
        let (slots, taken) = crossbeam_channel::bounded(MAX_QUEUED);
        Gate { slots, taken }
    }
}

impl Gate {
    /// Waits until the queue has room, then wraps `document` so that it holds its slot until
    /// tantivy has indexed it. Fails when the indexing threads take nothing for `STALL_LIMIT`.
    pub fn admit(&self, document: TantivyDocument) -> Result<QueuedDocument> {
        self.admit_within(document, STALL_LIMIT)
    }

    fn admit_within(&self, document: TantivyDocument, limit: Duration) -> Result<QueuedDocument> {
        match self.slots.send_timeout((), limit) {
            Ok(()) => Ok(QueuedDocument {
                document,
                _token: Token(self.taken.clone()),
            }),
            Err(_) => bail!(
                "the indexing threads stopped taking documents for {} s; the index is unchanged, run the build again",
                limit.as_secs()
            ),
        }
    }

    #[cfg(test)]
    fn queued(&self) -> usize {
        self.taken.len()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_document_is_counted_until_dropped() {
        let gate = Gate::default();
        let first = gate.admit(TantivyDocument::default()).unwrap();
        let second = gate.admit(TantivyDocument::default()).unwrap();
        assert_eq!(gate.queued(), 2);
        drop(first);
        assert_eq!(gate.queued(), 1);
        drop(second);
        assert_eq!(gate.queued(), 0);
    }

    #[test]
    fn a_queue_nobody_empties_is_an_error_not_a_hang() {
        let gate = Gate::default();
        let held: Vec<QueuedDocument> = (0..MAX_QUEUED)
            .map(|_| gate.admit(TantivyDocument::default()).unwrap())
            .collect();
        let stuck = gate.admit_within(TantivyDocument::default(), Duration::from_millis(50));
        assert!(stuck.is_err());
        drop(held);
        assert!(gate
            .admit_within(TantivyDocument::default(), Duration::from_millis(50))
            .is_ok());
    }
}
