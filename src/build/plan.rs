//! Build stage 1, plan: the walked files against the last build's manifest give what to read,
//! what was removed and what stays. Pure apart from the `FileProbe` it is handed, so it is
//! unit-tested without tantivy or a real archive.

use std::collections::{BTreeMap, HashMap, HashSet};

use rayon::prelude::*;

use crate::index::manifest::{FileEntry, Manifest};
use crate::record::identity::group_key;
use crate::walk::Candidate;

/// The two questions a plan asks of the file system.
pub trait FileProbe: Sync {
    /// Whether the file opens now (an unreadable file is retried once it does).
    fn opens(&self, candidate: &Candidate) -> bool;
    /// The content hash of the file, when it can be read.
    fn hash(&self, candidate: &Candidate) -> Option<u64>;
}

/// What a build has to do.
pub struct Plan<'a> {
    /// Every pairing group of the archive, by key, in key order.
    pub groups: BTreeMap<&'a str, Vec<&'a Candidate>>,
    /// The keys of the groups to read again: a file in them changed, appeared or went away.
    pub dirty_keys: HashSet<&'a str>,
    /// The dirty groups' files, in key order.
    pub dirty: Vec<Vec<&'a Candidate>>,
    /// Files of the manifest that the walk no longer finds.
    pub removed_files: usize,
    /// Files whose mtime changed but whose content did not: only the manifest is updated.
    pub mtime_updates: usize,
    /// Files in groups that are not read again.
    pub unchanged_files: usize,
    /// Without a manifest, the documents in the index cannot be matched to files: start over.
    pub clear_all: bool,
}

impl Plan<'_> {
    /// True when nothing in the archive changed since the last build.
    pub fn nothing_to_do(&self) -> bool {
        !self.clear_all
            && self.dirty.is_empty()
            && self.removed_files == 0
            && self.mtime_updates == 0
    }
}

/// A file's state against the manifest.
enum FileState {
    Unchanged,
    /// Same size, new mtime: read it and compare the hash.
    Touched,
    Changed,
}

/// Plans a build of `candidates` (sorted by relative path) over the last build's `manifest`.
/// `options_changed` (another `--ext` or `--max-file-size`) makes every file dirty.
pub fn plan_build<'a>(
    candidates: &'a [Candidate],
    manifest: &'a Manifest,
    options_changed: bool,
    probe: &dyn FileProbe,
) -> Plan<'a> {
    let previous: HashMap<&str, &FileEntry> =
        manifest.files.iter().map(|e| (e.rel.as_str(), e)).collect();
    let states: Vec<FileState> = candidates
        .iter()
        .map(|c| match previous.get(c.rel.as_str()) {
            _ if options_changed => FileState::Changed,
            // Permissions change without touching size or mtime: retry once it opens.
            Some(e) if e.unreadable && probe.opens(c) => FileState::Changed,
            Some(e) if e.size == c.size && e.mtime_ns == c.mtime_ns => FileState::Unchanged,
            Some(e) if e.size == c.size && e.hash != 0 => FileState::Touched,
            _ => FileState::Changed,
        })
        .collect();
    // Hashing reads the file: do it on every core.
    let same_content: HashSet<usize> = states
        .par_iter()
        .enumerate()
        .filter(|(_, state)| matches!(state, FileState::Touched))
        .filter(|(i, _)| {
            let candidate = &candidates[*i];
            probe.hash(candidate) == Some(previous[candidate.rel.as_str()].hash)
        })
        .map(|(i, _)| i)
        .collect();

    let mut mtime_updates = 0;
    let mut dirty_keys: HashSet<&str> = HashSet::new();
    for (i, state) in states.iter().enumerate() {
        match state {
            FileState::Unchanged => {}
            FileState::Touched if same_content.contains(&i) => mtime_updates += 1,
            _ => {
                dirty_keys.insert(group_key(&candidates[i].rel));
            }
        }
    }
    let walked: HashSet<&str> = candidates.iter().map(|c| c.rel.as_str()).collect();
    let mut removed_files = 0;
    for entry in manifest
        .files
        .iter()
        .filter(|e| !walked.contains(e.rel.as_str()))
    {
        removed_files += 1;
        dirty_keys.insert(group_key(&entry.rel));
    }

    let mut groups: BTreeMap<&str, Vec<&Candidate>> = BTreeMap::new();
    for candidate in candidates {
        groups
            .entry(group_key(&candidate.rel))
            .or_default()
            .push(candidate);
    }
    let dirty = groups
        .iter()
        .filter(|(key, _)| dirty_keys.contains(*key))
        .map(|(_, files)| files.clone())
        .collect();
    let unchanged_files = candidates
        .iter()
        .filter(|c| !dirty_keys.contains(group_key(&c.rel)))
        .count();
    Plan {
        groups,
        dirty_keys,
        dirty,
        removed_files,
        mtime_updates,
        unchanged_files,
        clear_all: manifest.files.is_empty(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::path::PathBuf;

    /// A file system where every file opens and has the hash its size gives.
    struct SameHash;

    impl FileProbe for SameHash {
        fn opens(&self, _: &Candidate) -> bool {
            true
        }
        fn hash(&self, candidate: &Candidate) -> Option<u64> {
            Some(candidate.size * 7)
        }
    }

    fn candidate(rel: &str, size: u64, mtime_ns: i64) -> Candidate {
        Candidate {
            abs: PathBuf::from("/archive").join(rel),
            rel: rel.to_owned(),
            size,
            mtime_ns,
        }
    }

    fn entry(rel: &str, size: u64, mtime_ns: i64) -> FileEntry {
        FileEntry {
            rel: rel.to_owned(),
            size,
            mtime_ns,
            hash: size * 7,
            claims: Vec::new(),
            unreadable: false,
            skipped: false,
            diagnostics: Vec::new(),
        }
    }

    fn dirty_rels(plan: &Plan) -> Vec<String> {
        plan.dirty.iter().flatten().map(|c| c.rel.clone()).collect()
    }

    #[test]
    fn no_manifest_reads_everything_and_clears() {
        let files = [candidate("a.md", 10, 1), candidate("b.md", 20, 1)];
        let manifest = Manifest::default();
        let plan = plan_build(&files, &manifest, false, &SameHash);
        assert!(plan.clear_all);
        assert_eq!(dirty_rels(&plan), ["a.md", "b.md"]);
    }

    #[test]
    fn unchanged_archive_has_nothing_to_do() {
        let files = [candidate("a.md", 10, 1), candidate("b.md", 20, 1)];
        let manifest = Manifest {
            files: vec![entry("a.md", 10, 1), entry("b.md", 20, 1)],
        };
        let plan = plan_build(&files, &manifest, false, &SameHash);
        assert!(plan.nothing_to_do());
        assert_eq!(plan.unchanged_files, 2);
    }

    #[test]
    fn touched_file_with_the_same_content_only_updates_the_manifest() {
        let files = [candidate("a.md", 10, 5)];
        let manifest = Manifest {
            files: vec![entry("a.md", 10, 1)],
        };
        let plan = plan_build(&files, &manifest, false, &SameHash);
        assert_eq!(plan.mtime_updates, 1);
        assert!(plan.dirty.is_empty());
        assert!(!plan.nothing_to_do());
    }

    #[test]
    fn a_changed_body_file_makes_its_pair_dirty() {
        let files = [
            candidate("x.md", 10, 1),
            candidate("x.txt", 30, 2),
            candidate("y.md", 10, 1),
        ];
        let manifest = Manifest {
            files: vec![
                entry("x.md", 10, 1),
                entry("x.txt", 20, 1),
                entry("y.md", 10, 1),
            ],
        };
        let plan = plan_build(&files, &manifest, false, &SameHash);
        assert_eq!(dirty_rels(&plan), ["x.md", "x.txt"]);
        assert_eq!(plan.unchanged_files, 1);
    }

    #[test]
    fn a_removed_file_is_counted_and_dirties_its_group() {
        let files = [candidate("x.md", 10, 1)];
        let manifest = Manifest {
            files: vec![
                entry("x.md", 10, 1),
                entry("x.txt", 20, 1),
                entry("gone.md", 5, 1),
            ],
        };
        let plan = plan_build(&files, &manifest, false, &SameHash);
        assert_eq!(plan.removed_files, 2);
        assert_eq!(dirty_rels(&plan), ["x.md"]);
    }

    #[test]
    fn changed_options_make_every_file_dirty() {
        let files = [candidate("a.md", 10, 1)];
        let manifest = Manifest {
            files: vec![entry("a.md", 10, 1)],
        };
        let plan = plan_build(&files, &manifest, true, &SameHash);
        assert_eq!(dirty_rels(&plan), ["a.md"]);
    }
}
