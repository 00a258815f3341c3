//! Build stage: duplicate URLs. Every record id is claimed by the files whose record has it;
//! the index holds the record of the claimant whose relative path sorts first. A delete only
//! affects documents added before it, so "delete id, add record" is right whatever order the
//! parsed chunks arrive in, and the result never depends on thread timing.
//!
//! Kept compact for archives of millions of files: ids are their 64-bit value and files their
//! position in the walk, so a claim costs a few dozen bytes, not two strings.

use std::collections::{HashMap, HashSet};

use crate::index::manifest::FileEntry;
use crate::record::identity::{id_from_key, id_key};
use crate::walk::Candidate;

/// A file, as its position in the walk's candidates.
type FileAt = u32;

/// Who holds each id, before this build and as it goes.
pub struct Claims<'c> {
    candidates: &'c [Candidate],
    /// The first claimant of each id in the last build; `None` when that file is gone.
    old_holder: HashMap<u64, Option<FileAt>>,
    /// The best claimant known so far: files not read again, then records as they arrive.
    best: HashMap<u64, FileAt>,
    /// Ids that a re-read file claimed last time: if nobody claims them again, they go.
    in_doubt: HashSet<u64>,
    /// Ids added to the writer in this build.
    added: HashSet<u64>,
}

/// What a claim means for the index.
#[derive(Debug, PartialEq, Eq)]
pub enum Verdict {
    /// Another file sorts first: the record is a duplicate, not indexed.
    Loses,
    /// The record is indexed; `replaces` when a document with this id may already exist.
    Wins { replaces: bool },
}

/// An id whose holder was read again without claiming it.
#[derive(Debug, PartialEq, Eq)]
pub struct Orphan {
    pub id: String,
    /// The claimant that takes over (a duplicate until now), or `None`: the record goes.
    pub next_holder: Option<String>,
}

impl<'c> Claims<'c> {
    /// No claims: the build starts over.
    pub fn new(candidates: &'c [Candidate]) -> Self {
        Claims {
            candidates,
            old_holder: HashMap::new(),
            best: HashMap::new(),
            in_doubt: HashSet::new(),
            added: HashSet::new(),
        }
    }

    /// The claims of the last build's `entries` (in path order); files for which `reread`
    /// is true are read again in this build.
    pub fn from_manifest(
        candidates: &'c [Candidate],
        entries: impl Iterator<Item = FileEntry>,
        reread: impl Fn(&str) -> bool,
    ) -> Self {
        let mut claims = Claims::new(candidates);
        let mut at = 0;
        for entry in entries {
            if entry.claims.is_empty() {
                continue;
            }
            while at < candidates.len() && candidates[at].rel < entry.rel {
                at += 1;
            }
            let file = (candidates.get(at).is_some_and(|c| c.rel == entry.rel)).then_some(at);
            let reread = file.is_none() || reread(&entry.rel);
            for id in &entry.claims {
                let id = id_key(id);
                // Entries come in path order: the first claimant is the holder.
                claims
                    .old_holder
                    .entry(id)
                    .or_insert(file.map(|f| f as FileAt));
                match file {
                    Some(file) if !reread => claims.offer(id, file as FileAt),
                    _ => {
                        claims.in_doubt.insert(id);
                    }
                }
            }
        }
        claims
    }

    fn rel(&self, file: FileAt) -> &str {
        &self.candidates[file as usize].rel
    }

    /// Keeps `file` as the best claimant of `id` when it sorts first.
    fn offer(&mut self, id: u64, file: FileAt) {
        let better = match self.best.get(&id) {
            Some(best) => self.rel(file) < self.rel(*best),
            None => true,
        };
        if better {
            self.best.insert(id, file);
        }
    }

    /// Records a claim by a freshly parsed record of the file at `path`.
    pub fn claim(&mut self, id: &str, path: &str) -> Verdict {
        let id = id_key(id);
        if self
            .best
            .get(&id)
            .is_some_and(|best| self.rel(*best) < path)
        {
            return Verdict::Loses;
        }
        let replaces = self.old_holder.contains_key(&id) || self.added.contains(&id);
        self.added.insert(id);
        if let Ok(file) = self
            .candidates
            .binary_search_by(|c| c.rel.as_str().cmp(path))
        {
            self.best.insert(id, file as FileAt);
        }
        Verdict::Wins { replaces }
    }

    /// The ids whose holder was read again and did not claim them, in id order.
    pub fn orphans(&self) -> Vec<Orphan> {
        let mut ids: Vec<u64> = self
            .in_doubt
            .iter()
            .copied()
            .filter(|id| !self.added.contains(id))
            .collect();
        ids.sort_unstable();
        ids.into_iter()
            .filter_map(|id| match self.best.get(&id) {
                Some(best) if self.old_holder.get(&id) == Some(&Some(*best)) => None,
                best => Some(Orphan {
                    id: id_from_key(id),
                    next_holder: best.map(|file| self.rel(*file).to_owned()),
                }),
            })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::path::PathBuf;

    const ID: &str = "00000000000000a1";

    fn candidates(rels: &[&str]) -> Vec<Candidate> {
        rels.iter()
            .map(|rel| Candidate {
                abs: PathBuf::from(rel),
                rel: rel.to_string(),
                size: 1,
                mtime_ns: 1,
            })
            .collect()
    }

    fn entry(rel: &str, claims: &[&str]) -> FileEntry {
        FileEntry {
            rel: rel.to_owned(),
            size: 1,
            mtime_ns: 1,
            hash: 1,
            claims: claims.iter().map(|c| c.to_string()).collect(),
            unreadable: false,
            skipped: false,
            diagnostics: Vec::new(),
        }
    }

    #[test]
    fn first_path_wins_whatever_the_arrival_order() {
        let files = candidates(&["a.md", "b.md", "c.md"]);
        let mut claims = Claims::new(&files);
        assert_eq!(claims.claim(ID, "b.md"), Verdict::Wins { replaces: false });
        assert_eq!(claims.claim(ID, "a.md"), Verdict::Wins { replaces: true });
        assert_eq!(claims.claim(ID, "c.md"), Verdict::Loses);
    }

    #[test]
    fn a_file_not_read_again_keeps_its_claim() {
        let files = candidates(&["a.md", "b.md"]);
        let entries = vec![entry("a.md", &[ID]), entry("b.md", &[ID])];
        let mut claims = Claims::from_manifest(&files, entries.into_iter(), |rel| rel == "b.md");
        assert_eq!(claims.claim(ID, "b.md"), Verdict::Loses);
        assert!(claims.orphans().is_empty());
    }

    #[test]
    fn the_next_claimant_takes_over_when_the_holder_drops_the_id() {
        let files = candidates(&["a.md", "b.md"]);
        let entries = vec![entry("a.md", &[ID]), entry("b.md", &[ID])];
        let claims = Claims::from_manifest(&files, entries.into_iter(), |rel| rel == "a.md");
        assert_eq!(
            claims.orphans(),
            [Orphan {
                id: ID.into(),
                next_holder: Some("b.md".into())
            }]
        );
    }

    #[test]
    fn an_id_nobody_claims_any_more_goes() {
        let files = candidates(&[]);
        let entries = vec![entry("gone.md", &[ID])];
        let claims = Claims::from_manifest(&files, entries.into_iter(), |_| false);
        assert_eq!(
            claims.orphans(),
            [Orphan {
                id: ID.into(),
                next_holder: None
            }]
        );
    }
}
