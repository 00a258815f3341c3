//! Build stage: duplicate URLs. Every record id is claimed by the files whose record has it;
//! the index holds the record of the claimant whose relative path sorts first. A delete only
//! affects documents added before it, so "delete id, add record" is right whatever order the
//! parsed chunks arrive in, and the result never depends on thread timing.

use std::collections::{HashMap, HashSet};

use crate::index::manifest::Manifest;
use crate::record::identity::group_key;

/// Who holds each id, before this build and as it goes.
#[derive(Default)]
pub struct Claims<'m> {
    /// The path that held each id after the last build.
    old_holder: HashMap<&'m str, &'m str>,
    /// The best claimant known so far: files not read again, then records as they arrive.
    best: HashMap<String, String>,
    /// Ids that a re-read file claimed last time: if nobody claims them again, they go.
    in_doubt: HashSet<String>,
    /// Ids added to the writer in this build.
    added: HashSet<String>,
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

impl<'m> Claims<'m> {
    /// The claims of the last build; the files of `dirty_keys` groups are read again.
    pub fn from_manifest(manifest: &'m Manifest, dirty_keys: &HashSet<&str>) -> Claims<'m> {
        let mut claims = Claims::default();
        for entry in &manifest.files {
            let reread = dirty_keys.contains(group_key(&entry.rel));
            for id in &entry.claims {
                let holder = claims
                    .old_holder
                    .entry(id.as_str())
                    .or_insert(entry.rel.as_str());
                if entry.rel.as_str() < *holder {
                    *holder = entry.rel.as_str();
                }
                if reread {
                    claims.in_doubt.insert(id.clone());
                } else {
                    claims.offer(id, &entry.rel);
                }
            }
        }
        claims
    }

    /// Keeps `path` as the best claimant of `id` when it sorts first.
    fn offer(&mut self, id: &str, path: &str) {
        match self.best.get_mut(id) {
            Some(best) if path < best.as_str() => *best = path.to_owned(),
            Some(_) => {}
            None => {
                self.best.insert(id.to_owned(), path.to_owned());
            }
        }
    }

    /// Records a claim by a freshly parsed record.
    pub fn claim(&mut self, id: &str, path: &str) -> Verdict {
        if self
            .best
            .get(id)
            .is_some_and(|holder| holder.as_str() < path)
        {
            return Verdict::Loses;
        }
        let replaces = self.old_holder.contains_key(id) || self.added.contains(id);
        self.added.insert(id.to_owned());
        self.best.insert(id.to_owned(), path.to_owned());
        Verdict::Wins { replaces }
    }

    /// The ids whose holder was read again and did not claim them, in id order.
    pub fn orphans(&self) -> Vec<Orphan> {
        let mut ids: Vec<&String> = self.in_doubt.iter().collect();
        ids.sort();
        ids.into_iter()
            .filter(|id| !self.added.contains(*id))
            .filter_map(|id| match self.best.get(id) {
                Some(holder) if self.old_holder.get(id.as_str()) == Some(&holder.as_str()) => None,
                holder => Some(Orphan {
                    id: id.clone(),
                    next_holder: holder.cloned(),
                }),
            })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::index::manifest::FileEntry;

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
        let manifest = Manifest::default();
        let mut claims = Claims::from_manifest(&manifest, &HashSet::new());
        assert_eq!(
            claims.claim("id1", "b.md"),
            Verdict::Wins { replaces: false }
        );
        assert_eq!(
            claims.claim("id1", "a.md"),
            Verdict::Wins { replaces: true }
        );
        assert_eq!(claims.claim("id1", "c.md"), Verdict::Loses);
    }

    #[test]
    fn a_file_not_read_again_keeps_its_claim() {
        let manifest = Manifest {
            files: vec![entry("a.md", &["id1"]), entry("b.md", &["id1"])],
        };
        let dirty = HashSet::from(["b"]);
        let mut claims = Claims::from_manifest(&manifest, &dirty);
        assert_eq!(claims.claim("id1", "b.md"), Verdict::Loses);
        assert!(claims.orphans().is_empty());
    }

    #[test]
    fn the_next_claimant_takes_over_when_the_holder_drops_the_id() {
        let manifest = Manifest {
            files: vec![entry("a.md", &["id1"]), entry("b.md", &["id1"])],
        };
        let dirty = HashSet::from(["a"]);
        let claims = Claims::from_manifest(&manifest, &dirty);
        assert_eq!(
            claims.orphans(),
            [Orphan {
                id: "id1".into(),
                next_holder: Some("b.md".into())
            }]
        );
    }

    #[test]
    fn an_id_nobody_claims_any_more_goes() {
        let manifest = Manifest {
            files: vec![entry("a.md", &["id1"])],
        };
        let dirty = HashSet::from(["a"]);
        let claims = Claims::from_manifest(&manifest, &dirty);
        assert_eq!(
            claims.orphans(),
            [Orphan {
                id: "id1".into(),
                next_holder: None
            }]
        );
    }
}
