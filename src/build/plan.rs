//! Build stage 1, plan: the walked files against the last build's manifest give what to read,
//! what was removed and what stays. Both are sorted by relative path, so the plan is one merge
//! of two streams and never holds the old manifest; it is pure apart from the `FileProbe` it
//! is handed, so it is unit-tested without tantivy or a real archive.

use std::collections::HashSet;
use std::ops::Range;

use rayon::prelude::*;
use xxhash_rust::xxh3::xxh3_64;

use crate::index::manifest::FileEntry;
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
    candidates: &'a [Candidate],
    /// Candidate positions ordered by (group key, path): each pairing group is one run.
    by_group: Vec<u32>,
    /// The hashes of the group keys to read again: a file in them changed, appeared or went
    /// away. (A hash collision only re-reads one more group, which is always correct.)
    dirty_keys: HashSet<u64>,
    /// The dirty groups, as ranges of `by_group`, in key order.
    dirty: Vec<Range<usize>>,
    /// Files of the manifest that the walk no longer finds.
    pub removed_files: usize,
    /// Files whose mtime changed but whose content did not: only the manifest is updated.
    pub mtime_updates: usize,
    /// Files in groups that are not read again.
    pub unchanged_files: usize,
    /// Without a manifest, the documents in the index cannot be matched to files: start over.
    pub clear_all: bool,
}

impl<'a> Plan<'a> {
    /// True when nothing in the archive changed since the last build.
    pub fn nothing_to_do(&self) -> bool {
        !self.clear_all
            && self.dirty.is_empty()
            && self.removed_files == 0
            && self.mtime_updates == 0
    }

    /// The files of each group to read again, in key order.
    pub fn dirty_groups(&self) -> Vec<Vec<&'a Candidate>> {
        self.dirty
            .iter()
            .map(|run| self.files(run.clone()))
            .collect()
    }

    /// Whether the group of the file at `rel` is read again.
    pub fn is_dirty(&self, rel: &str) -> bool {
        self.dirty_keys.contains(&key_hash(group_key(rel)))
    }

    /// The files of the group whose key is `key`, in path order.
    pub fn group(&self, key: &str) -> Vec<&'a Candidate> {
        let key_of = |position: &u32| group_key(&self.candidates[*position as usize].rel);
        let start = self.by_group.partition_point(|p| key_of(p) < key);
        let end = start + self.by_group[start..].partition_point(|p| key_of(p) == key);
        self.files(start..end)
    }

    fn files(&self, run: Range<usize>) -> Vec<&'a Candidate> {
        self.by_group[run]
            .iter()
            .map(|position| &self.candidates[*position as usize])
            .collect()
    }
}

fn key_hash(key: &str) -> u64 {
    xxh3_64(key.as_bytes())
}

/// Plans a build of `candidates` (sorted by relative path) over the last build's manifest
/// entries (sorted the same way; `None` when there is no usable manifest). `options_changed`
/// (another `--ext` or `--max-file-size`) makes every file dirty.
pub fn plan_build<'a>(
    candidates: &'a [Candidate],
    previous: Option<impl Iterator<Item = FileEntry>>,
    options_changed: bool,
    probe: &dyn FileProbe,
) -> Plan<'a> {
    let mut dirty_keys: HashSet<u64> = HashSet::new();
    let mut removed_files = 0;
    let mut touched: Vec<(usize, u64)> = Vec::new();
    let mut matched = vec![false; candidates.len()];
    let mut had_entries = false;
    let mut at = 0;
    for entry in previous.into_iter().flatten() {
        had_entries = true;
        while at < candidates.len() && candidates[at].rel < entry.rel {
            at += 1;
        }
        let Some(candidate) = candidates.get(at).filter(|c| c.rel == entry.rel) else {
            removed_files += 1;
            dirty_keys.insert(key_hash(group_key(&entry.rel)));
            continue;
        };
        matched[at] = true;
        // Permissions change without touching size or mtime: retry a file once it opens.
        let retry = entry.unreadable && probe.opens(candidate);
        let unchanged = !(options_changed || retry) && entry.size == candidate.size;
        if unchanged && entry.mtime_ns == candidate.mtime_ns {
            continue;
        }
        if unchanged && entry.hash != 0 {
            // Same size, new mtime: compare the content hash (below, on every core).
            touched.push((at, entry.hash));
        } else {
            dirty_keys.insert(key_hash(group_key(&candidate.rel)));
        }
    }
    let same_content: HashSet<usize> = touched
        .par_iter()
        .filter(|(at, hash)| probe.hash(&candidates[*at]) == Some(*hash))
        .map(|(at, _)| *at)
        .collect();
    for (at, _) in &touched {
        if !same_content.contains(at) {
            dirty_keys.insert(key_hash(group_key(&candidates[*at].rel)));
        }
    }
    // New files.
    for (candidate, _) in candidates.iter().zip(&matched).filter(|(_, m)| !**m) {
        dirty_keys.insert(key_hash(group_key(&candidate.rel)));
    }

    let mut by_group: Vec<u32> = (0..candidates.len() as u32).collect();
    by_group.sort_by(|a, b| {
        let (a, b) = (&candidates[*a as usize].rel, &candidates[*b as usize].rel);
        (group_key(a), a).cmp(&(group_key(b), b))
    });
    let mut dirty = Vec::new();
    let mut unchanged_files = 0;
    let mut start = 0;
    while start < by_group.len() {
        let key = group_key(&candidates[by_group[start] as usize].rel);
        let mut end = start + 1;
        while end < by_group.len() && group_key(&candidates[by_group[end] as usize].rel) == key {
            end += 1;
        }
        if dirty_keys.contains(&key_hash(key)) {
            dirty.push(start..end);
        } else {
            unchanged_files += end - start;
        }
        start = end;
    }
    Plan {
        candidates,
        by_group,
        dirty_keys,
        dirty,
        removed_files,
        mtime_updates: same_content.len(),
        unchanged_files,
        clear_all: !had_entries,
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

    fn plan<'a>(files: &'a [Candidate], entries: Option<Vec<FileEntry>>) -> Plan<'a> {
        plan_build(files, entries.map(Vec::into_iter), false, &SameHash)
    }

    fn dirty_rels(plan: &Plan) -> Vec<String> {
        plan.dirty_groups()
            .iter()
            .flatten()
            .map(|c| c.rel.clone())
            .collect()
    }

    #[test]
    fn no_manifest_reads_everything_and_clears() {
        let files = [candidate("a.md", 10, 1), candidate("b.md", 20, 1)];
        let plan = plan(&files, None);
        assert!(plan.clear_all);
        assert_eq!(dirty_rels(&plan), ["a.md", "b.md"]);
    }

    #[test]
    fn unchanged_archive_has_nothing_to_do() {
        let files = [candidate("a.md", 10, 1), candidate("b.md", 20, 1)];
        let plan = plan(
            &files,
            Some(vec![entry("a.md", 10, 1), entry("b.md", 20, 1)]),
        );
        assert!(plan.nothing_to_do());
        assert_eq!(plan.unchanged_files, 2);
    }

    #[test]
    fn touched_file_with_the_same_content_only_updates_the_manifest() {
        let files = [candidate("a.md", 10, 5)];
        let plan = plan(&files, Some(vec![entry("a.md", 10, 1)]));
        assert_eq!(plan.mtime_updates, 1);
        assert!(dirty_rels(&plan).is_empty());
        assert!(!plan.nothing_to_do());
    }

    #[test]
    fn a_changed_body_file_makes_its_pair_dirty() {
        let files = [
            candidate("x.md", 10, 1),
            candidate("x.txt", 30, 2),
            candidate("y.md", 10, 1),
        ];
        let entries = vec![
            entry("x.md", 10, 1),
            entry("x.txt", 20, 1),
            entry("y.md", 10, 1),
        ];
        let plan = plan(&files, Some(entries));
        assert_eq!(dirty_rels(&plan), ["x.md", "x.txt"]);
        assert_eq!(plan.unchanged_files, 1);
        assert!(plan.is_dirty("x.txt") && !plan.is_dirty("y.md"));
    }

    #[test]
    fn a_removed_file_is_counted_and_dirties_its_group() {
        let files = [candidate("x.md", 10, 1)];
        let entries = vec![
            entry("gone.md", 5, 1),
            entry("x.md", 10, 1),
            entry("x.txt", 20, 1),
        ];
        let plan = plan(&files, Some(entries));
        assert_eq!(plan.removed_files, 2);
        assert_eq!(dirty_rels(&plan), ["x.md"]);
    }

    #[test]
    fn a_new_file_is_dirty() {
        let files = [candidate("a.md", 10, 1), candidate("new.md", 3, 1)];
        let plan = plan(&files, Some(vec![entry("a.md", 10, 1)]));
        assert_eq!(dirty_rels(&plan), ["new.md"]);
    }

    #[test]
    fn changed_options_make_every_file_dirty() {
        let files = [candidate("a.md", 10, 1)];
        let plan = plan_build(
            &files,
            Some(vec![entry("a.md", 10, 1)].into_iter()),
            true,
            &SameHash,
        );
        assert_eq!(dirty_rels(&plan), ["a.md"]);
    }

    #[test]
    fn groups_that_interleave_in_path_order_are_found_whole() {
        // `x-y.md` sorts between nothing of `x`, but `x.a.md` (group `x` under the first-dot
        // rule) and `x.txt` may be apart in path order; the group lookup finds all of them.
        let files = [
            candidate("x-y.md", 1, 1),
            candidate("x.md", 1, 1),
            candidate("x.txt", 1, 1),
        ];
        let plan = plan(&files, None);
        let group: Vec<&str> = plan
            .group(group_key("x.md"))
            .iter()
            .map(|c| c.rel.as_str())
            .collect();
        assert!(group.contains(&"x.md") && group.contains(&"x.txt"));
        assert!(!group.contains(&"x-y.md"));
    }
}
