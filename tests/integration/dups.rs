//! `dups`, `--collapse`, `show`'s copies and `similar` on an archive with planted copies of
//! each kind (exact under another URL, new headline, truncated, padded, spun) and hard
//! negatives (monthly release notes written from one template).

use serde::Deserialize;

use crate::contract::{Hit, Record};
use crate::harness::{article, run_in, Archive};

/// A wire story, written for these tests.
pub const STORY: &str = "The regional water board voted on Thursday to raise charges for farms \
that draw more than their share from the river, ending a decade in which the largest growers \
paid the same rate as small family plots. Board members said the new tiers would take effect \
in the spring, after a public hearing in the valley's three county seats. Growers' groups \
warned that the increase would push some orchards out of business and promised to challenge \
the decision in court. Environmental campaigners welcomed the vote but said it came too late \
for the wetlands downstream, where the salmon run has shrunk every year since the drought. \
The board's chair told reporters that the money raised would pay for new meters on every \
pump and for repairs to the canals that lose a third of their water before it reaches the \
fields. She added that households would see no change to their bills this year. A farmer \
who spoke at the meeting said his family had worked the same land for four generations and \
could not absorb another rise in costs while prices for fruit stayed low. Officials \
estimated that about two hundred farms would pay more under the plan, while most of the \
valley's growers would pay slightly less. The state agriculture department has asked for a \
report on the effects of the change by the end of next year, and lawmakers in the capital \
are watching the outcome as they draft rules for other river basins facing the same \
shortages.";

/// Another story, copied once under a new headline.
const SECOND: &str = "A fire that started in a warehouse near the old railway yard spread to \
four neighbouring buildings overnight, forcing the evacuation of more than sixty residents \
from a block of flats. Firefighters from three stations fought the blaze for six hours before \
bringing it under control shortly after dawn. No one was hurt, but the council said the \
flats would stay closed until engineers had checked the roof and the walls. Investigators \
have not said what caused the fire, although neighbours reported hearing a loud bang just \
before midnight. The warehouse had been empty since the spring, when the furniture company \
that rented it moved to a new site on the ring road.";

/// A story with no copy.
const LONE: &str = "The city library will open on Sundays from next month, the first time in \
twenty years that its doors have been open seven days a week. The chief librarian said \
volunteers and a grant from a local trust had made the longer hours possible, and that the \
reading rooms would host homework clubs for schoolchildren in the afternoons.";

/// Newsletter boilerplate that a padded copy appends.
const PADDING: &str = "Subscribe to our morning briefing for the stories that matter, \
delivered to your inbox before breakfast every weekday. Our journalism is supported by \
readers like you: become a member today and get unlimited access to our archive, puzzles and \
events. Follow us on social media and share your tips with our newsroom at any time of the \
day or night. Advertising enquiries should be sent to our commercial team. Terms and \
conditions apply to all offers.";

/// Release notes from one template: distinct stories that share most of their wording.
fn release_notes(month: &str, version: &str, fixes: &str) -> String {
    format!(
        "Version {version} of the Harbor database is out today as the {month} release. The \
         changes: {fixes}. Read the upgrade guide before upgrading; packages are signed with \
         the project's release key."
    )
}

/// Swaps words for synonyms, one in every `every` swappable words, as a spinner does (all of
/// them: a fifth of `STORY`'s words).
pub fn spin(text: &str, every: usize) -> String {
    const SYNONYMS: &[(&str, &str)] = &[
        ("voted", "decided"),
        ("raise", "increase"),
        ("charges", "fees"),
        ("farms", "holdings"),
        ("largest", "biggest"),
        ("said", "stated"),
        ("new", "fresh"),
        ("take", "come"),
        ("warned", "cautioned"),
        ("increase", "rise"),
        ("push", "drive"),
        ("promised", "vowed"),
        ("challenge", "contest"),
        ("welcomed", "praised"),
        ("came", "arrived"),
        ("late", "slowly"),
        ("shrunk", "dwindled"),
        ("told", "informed"),
        ("money", "funds"),
        ("repairs", "fixes"),
        ("lose", "waste"),
        ("reaches", "arrives at"),
        ("added", "noted"),
        ("change", "shift"),
        ("worked", "farmed"),
        ("absorb", "bear"),
        ("stayed", "remained"),
        ("estimated", "reckoned"),
        ("slightly", "a little"),
        ("asked", "requested"),
        ("effects", "impact"),
        ("watching", "following"),
        ("draft", "write"),
        ("facing", "confronting"),
        ("shortages", "deficits"),
        ("decade", "period"),
        ("spring", "springtime"),
        ("public", "open"),
        ("business", "trade"),
        ("decision", "ruling"),
        ("meeting", "session"),
        ("prices", "rates"),
        ("report", "study"),
        ("rules", "regulations"),
        ("fields", "farmland"),
    ];
    let mut seen = 0;
    text.split(' ')
        .map(|word| {
            let bare = word.trim_end_matches(['.', ',', ':']);
            match SYNONYMS.iter().find(|(from, _)| *from == bare) {
                Some((_, to)) => {
                    seen += 1;
                    if seen % every == 0 {
                        return word.replacen(bare, to, 1);
                    }
                    word.to_owned()
                }
                None => word.to_owned(),
            }
        })
        .collect::<Vec<_>>()
        .join(" ")
}

/// The first `share` of a text's words.
fn truncated(text: &str, share: f64) -> String {
    let words: Vec<&str> = text.split(' ').collect();
    words[..(words.len() as f64 * share) as usize].join(" ")
}

const WIRE: &str = "https://wire.example/2021/03/water-board-vote";

/// The planted archive.
pub fn planted() -> Archive {
    let archive = Archive::new();
    let headline = "Water board raises farm charges";
    archive
        .file("wire/original.md", article(headline, WIRE, "2021-03-04T09:00:00Z", &["Water"], STORY))
        .file("mirror/exact.md", article(headline, "https://mirror.example/water", "2021-03-04T11:00:00Z", &["Water"], STORY))
        .file("daily/retitled.md", article("Growers face higher bills for river water", "https://daily.example/growers", "2021-03-05T06:00:00Z", &["Farming"], STORY))
        .file("brief/truncated.md", article("Water charges rise", "https://brief.example/w", "2021-03-05T07:00:00Z", &["Water"], &truncated(STORY, 0.4)))
        .file("letter/padded.md", article(headline, "https://letter.example/w", "2021-03-06T07:00:00Z", &["Water"], &format!("{STORY} {PADDING}")))
        .file("spin/spun.md", article("Water board increases farm fees", "https://spin.example/w", "2021-03-07T07:00:00Z", &["Water"], &spin(STORY, 1)))
        .file("fire/first.md", article("Warehouse fire forces evacuation", "https://city.example/fire", "2021-04-01T08:00:00Z", &["Fire"], SECOND))
        .file("fire/copy.md", article("Sixty residents evacuated as blaze spreads", "https://other.example/fire", "2021-04-02T08:00:00Z", &["Fire"], SECOND))
        .file("library.md", article("Library opens on Sundays", "https://city.example/library", "2021-04-03T08:00:00Z", &["Books"], LONE))
        .file("notes/2021-01.md", article("Harbor 4.1 released", "https://harbor.example/4.1", "2021-01-15T00:00:00Z", &["Releases"], &release_notes("January", "4.1", "a faster query planner that reorders joins by their estimated cost, fixes for two crashes that could happen when a backup ran during heavy writes, a new option to compress the write-ahead log on slow disks, and a rewritten chapter of the manual on tuning memory for servers with many cores")))
        .file("notes/2021-02.md", article("Harbor 4.2 released", "https://harbor.example/4.2", "2021-02-15T00:00:00Z", &["Releases"], &release_notes("February", "4.2", "support for encrypted replicas in other regions, an improved command-line client with history search and colour themes, clearer error messages when a disk fills up or a certificate expires, and the first preview of the long-awaited plugin interface for custom storage")))
        .file("notes/2021-03.md", article("Harbor 4.3 released", "https://harbor.example/4.3", "2021-03-15T00:00:00Z", &["Releases"], &release_notes("March", "4.3", "parallel index creation on tables larger than memory, a small web dashboard that graphs throughput and lag for each node, the removal of the storage engine deprecated two years ago, and a security fix for an authentication bypass reported by a university research team")))
        .file("notes/2021-04.md", article("Harbor 4.4 released", "https://harbor.example/4.4", "2021-04-15T00:00:00Z", &["Releases"], &release_notes("April", "4.4", "corrected handling of daylight saving changes in scheduled jobs, a third less memory used while importing large spreadsheets, translations of the interface into six more languages including Welsh and Basque, and an end to the old habit of logging passwords in debug mode")));
    archive.run(&["build", "-q", "."]).status(0);
    archive
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Cluster {
    cluster: String,
    size: usize,
    members: Vec<Member>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Member {
    id: String,
    path: String,
    title: Option<String>,
    provider: Option<crate::contract::Provider>,
    date: Option<String>,
    similarity: f64,
}

fn paths(cluster: &Cluster) -> Vec<&str> {
    cluster.members.iter().map(|m| m.path.as_str()).collect()
}

#[test]
fn dups_finds_every_kind_of_copy_and_no_template_sibling() {
    let archive = planted();
    let clusters: Vec<Cluster> = archive.run(&["dups", "--json"]).status(0).jsonl();
    assert_eq!(clusters.len(), 2, "{clusters:#?}");
    let water = &clusters[0];
    assert_eq!(
        paths(water),
        [
            "wire/original.md",
            "mirror/exact.md",
            "daily/retitled.md",
            "brief/truncated.md",
            "letter/padded.md",
            "spin/spun.md"
        ],
        "the earliest first, then by date"
    );
    assert_eq!(water.size, 6);
    assert_eq!(water.cluster, water.members[0].id);
    assert_eq!(water.members[0].similarity, 1.0);
    assert_eq!(water.members[1].similarity, 1.0, "exact copy");
    assert_eq!(
        water.members[0].date.as_deref(),
        Some("2021-03-04T09:00:00Z")
    );
    assert_eq!(
        water.members[0].title.as_deref(),
        Some("Water board raises farm charges")
    );
    assert!(water.members[0].provider.is_some());
    for member in &water.members[1..] {
        assert!((0.4..=1.0).contains(&member.similarity), "{member:?}");
    }
    assert_eq!(paths(&clusters[1]), ["fire/first.md", "fire/copy.md"]);
}

#[test]
fn threshold_and_filters_narrow_the_clusters() {
    let archive = planted();
    // At 0.95 only the exact copy and the contained ones stay with the original.
    let strict: Vec<Cluster> = archive
        .run(&["dups", "--json", "--threshold", "0.95"])
        .status(0)
        .jsonl();
    let water = paths(&strict[0]);
    assert!(
        water.contains(&"mirror/exact.md") && !water.contains(&"spin/spun.md"),
        "{water:?}"
    );
    // A filter limits which records are compared.
    let fire: Vec<Cluster> = archive
        .run(&["dups", "--json", "--topic", "fire"])
        .status(0)
        .jsonl();
    assert_eq!(fire.len(), 1);
    assert_eq!(fire[0].size, 2);
    // A query that leaves one copy of each story finds none.
    archive.run(&["dups", "library"]).status(1);
    archive.run(&["dups", "--threshold", "2"]).status(2);
}

#[test]
fn dups_prints_every_format() {
    let archive = planted();
    let table = archive.run(&["dups"]).status(0).stdout();
    assert!(
        table.contains("SIZE") && table.contains("Water board raises farm charges"),
        "{table}"
    );
    assert!(table.contains("mirror/exact.md 1.00"), "{table}");
    let json: Vec<Cluster> = archive.run(&["dups", "--format", "json"]).status(0).json();
    assert_eq!(json.len(), 2);
    let csv = archive.run(&["dups", "--format", "csv"]).status(0).stdout();
    let mut lines = csv.lines();
    assert_eq!(
        lines.next(),
        Some("cluster,size,id,path,title,provider_name,provider_domain,date,similarity")
    );
    assert_eq!(lines.count(), 8, "one line per member: {csv}");
    let limited: Vec<Cluster> = archive
        .run(&["dups", "--json", "--limit", "1"])
        .status(0)
        .jsonl();
    assert_eq!(limited.len(), 1);
    // From a folder inside the archive, every format gives paths relative to it.
    let inside = archive.path().join("mirror");
    let run = |args: &[&str]| run_in(&inside, args).status(0).stdout();
    let json: Vec<Cluster> = serde_json::from_str(&run(&["dups", "--format", "json"])).unwrap();
    let member_paths: Vec<String> = json
        .iter()
        .flat_map(|c| c.members.iter().map(|m| m.path.clone()))
        .collect();
    assert!(
        member_paths.contains(&"exact.md".to_owned()),
        "{member_paths:?}"
    );
    assert!(
        member_paths.contains(&"../wire/original.md".to_owned()),
        "{member_paths:?}"
    );
    let paths = run(&["dups", "--format", "paths"]);
    for path in &member_paths {
        assert!(paths.lines().any(|line| line == path), "{path} {paths}");
    }
    assert!(run(&["dups"]).contains("exact.md 1.00"));
    assert!(!run(&["dups"]).contains("mirror/exact.md"));
    let shown: serde_json::Value =
        serde_json::from_str(&run(&["show", "../wire/original.md", "--json"])).unwrap();
    let copies = shown["copies"].as_array().expect("copies");
    assert!(copies.iter().any(|c| c["path"] == "exact.md"), "{shown}");
}

#[test]
fn a_chain_of_near_copies_does_not_merge_unrelated_stories() {
    // Each text shares half its words with the next; the ends share nothing.
    let parts: Vec<String> = (0..6).map(distinct_words).collect();
    let archive = Archive::new();
    for i in 0..5 {
        let body = format!("{} {}", parts[i], parts[i + 1]);
        archive.file(
            &format!("chain/{i}.md"),
            article(
                &format!("Part {i}"),
                &format!("https://chain.example/{i}"),
                &format!("2021-05-0{}T00:00:00Z", i + 1),
                &["Chain"],
                &body,
            ),
        );
    }
    archive.run(&["build", "-q", "."]).status(0);
    let clusters: Vec<Cluster> = archive
        .run(&["dups", "--json", "--threshold", "0.3"])
        .status(0)
        .jsonl();
    for cluster in &clusters {
        assert!(
            cluster.size <= 2,
            "a chain grew into one cluster: {clusters:#?}"
        );
    }
}

/// Text of distinct words for the chain test.
fn distinct_words(i: usize) -> String {
    (0..60)
        .map(|w| format!("w{i}x{w}"))
        .collect::<Vec<_>>()
        .join(" ")
}

#[test]
fn facets_and_timeline_count_a_story_once_with_collapse() {
    let archive = planted();
    let count = |args: &[&str], value: &str| -> u64 {
        let rows: Vec<serde_json::Value> = archive.run(args).status(0).jsonl();
        let row = rows
            .iter()
            .find(|r| r["value"] == value || r["period"] == value);
        row.map_or(0, |r| r["count"].as_u64().unwrap_or(0))
    };
    assert_eq!(count(&["facets", "topic", "--json"], "Water"), 5);
    assert_eq!(
        count(&["facets", "topic", "--json", "--collapse"], "Water"),
        1
    );
    assert_eq!(
        count(&["facets", "topic", "--json", "--collapse"], "Releases"),
        4
    );
    assert_eq!(count(&["timeline", "--json"], "2021-03"), 7);
    assert_eq!(count(&["timeline", "--json", "--collapse"], "2021-03"), 2);
    // Split by topic: the water story counts once, under its first record's topic.
    let series: Vec<serde_json::Value> = archive
        .run(&["timeline", "--json", "--collapse", "--split", "topic"])
        .status(0)
        .jsonl();
    let water: u64 = series
        .iter()
        .filter(|r| r["value"] == "Water")
        .map(|r| r["count"].as_u64().unwrap_or(0))
        .sum();
    assert_eq!(water, 1, "{series:#?}");
}

#[test]
fn search_collapse_shows_one_row_per_story_with_its_copies() {
    let archive = planted();
    let all: Vec<Hit> = archive.run(&["search", "--json"]).status(0).jsonl();
    assert_eq!(all.len(), 13);
    assert!(all.iter().all(|h| h.copies.is_none()));
    // By relevance (newest first without a query) and by date: the same seven stories.
    for order in [&[][..], &["--sort", "date"][..]] {
        let mut args = vec!["search", "--json", "--collapse"];
        args.extend_from_slice(order);
        let collapsed: Vec<Hit> = archive.run(&args).status(0).jsonl();
        assert_eq!(collapsed.len(), 13 - 5 - 1, "{order:?} {collapsed:#?}");
        let copies_of = |path: &str| {
            collapsed
                .iter()
                .find(|h| h.path == path)
                .and_then(|h| h.copies)
        };
        assert_eq!(copies_of("wire/original.md"), Some(6), "{order:?}");
        assert_eq!(copies_of("fire/first.md"), Some(2), "{order:?}");
        assert_eq!(copies_of("library.md"), Some(1), "{order:?}");
        assert!(!collapsed.iter().any(|h| h.path == "spin/spun.md"));
    }
    let paths = archive
        .run(&["search", "--collapse", "--format", "paths"])
        .status(0)
        .stdout();
    assert_eq!(paths.lines().count(), 7, "{paths}");
    // A query: the copies among its matches collapse, and a limit counts stories.
    let orchards: Vec<Hit> = archive
        .run(&["search", "orchards", "--json", "--collapse"])
        .status(0)
        .jsonl();
    assert_eq!(orchards.len(), 1, "{orchards:#?}");
    assert_eq!(orchards[0].copies, Some(6));
    let table = archive.run(&["search", "--collapse", "--limit", "2", "--sort", "date"]);
    table.status(0);
    assert!(table.stdout().contains("COPIES"), "{}", table.stdout());
    assert!(
        table.stdout().contains("2 of 7 matches"),
        "{}",
        table.stdout()
    );
}

#[test]
fn show_lists_a_records_copies() {
    let archive = planted();
    let shown: Record = archive
        .run(&["show", "wire/original.md", "--json"])
        .status(0)
        .json();
    let copies = shown.copies.expect("show lists copies");
    let paths: Vec<&str> = copies.iter().map(|c| c.path.as_str()).collect();
    assert!(
        paths.len() == 5 && paths[0] == "mirror/exact.md" && paths.contains(&"spin/spun.md"),
        "{paths:?}"
    );
    assert!(copies
        .windows(2)
        .all(|w| w[0].similarity >= w[1].similarity));
    let lone: Record = archive
        .run(&["show", "library.md", "--json"])
        .status(0)
        .json();
    assert_eq!(lone.copies.map(|c| c.len()), Some(0));
    let table = archive.run(&["show", "fire/copy.md"]).status(0).stdout();
    assert!(
        table.contains("copies") && table.contains("fire/first.md"),
        "{table}"
    );
}

#[test]
fn shows_table_lists_copies_one_a_line() {
    let archive = planted();
    let shown: Record = archive
        .run(&["show", "wire/original.md", "--json"])
        .status(0)
        .json();
    let paths: Vec<String> = shown.copies.unwrap().into_iter().map(|c| c.path).collect();
    assert_eq!(paths.len(), 5, "{paths:?}");
    // On a terminal 80 or 40 columns wide, and piped (no width).
    for columns in [Some("80"), Some("40"), None] {
        let mut command = crate::harness::newsidx(archive.path());
        match columns {
            Some(columns) => command.env("COLUMNS", columns),
            None => command.env_remove("COLUMNS"),
        };
        let out = command.args(["show", "wire/original.md"]).output().unwrap();
        let table = String::from_utf8(out.stdout).unwrap();
        let lines: Vec<&str> = table.lines().collect();
        let first = lines
            .iter()
            .position(|l| l.starts_with("copies "))
            .unwrap_or_else(|| panic!("no copies row: {table}"));
        let indent = lines[first]
            .find("mirror/")
            .expect("first copy on the copies row");
        // Each copy on a line of its own, under the first, never two on one line.
        let copy_lines: Vec<&str> = lines[first..]
            .iter()
            .take_while(|l| !l.is_empty())
            .copied()
            .collect();
        assert_eq!(copy_lines.len(), 5, "{table}");
        for line in &copy_lines[1..] {
            assert_eq!(line.len() - line.trim_start().len(), indent, "{table}");
        }
        for path in &paths {
            assert!(
                copy_lines
                    .iter()
                    .any(|l| l[indent..].starts_with(&format!("{path} ("))),
                "{path} on a line of its own: {table}"
            );
        }
    }
    // `--fields copies` too: a list of records, one a line.
    let picked = archive
        .run(&["show", "wire/original.md", "--fields", "id,copies"])
        .status(0)
        .stdout();
    assert_eq!(picked.lines().count(), 1 + 1 + 5, "{picked}");
}

#[test]
fn similar_ranks_copies_and_related_stories_and_leaves_the_record_out() {
    let archive = planted();
    let hits: Vec<Hit> = archive
        .run(&["similar", "wire/original.md", "--json"])
        .status(0)
        .jsonl();
    assert!(
        !hits.iter().any(|h| h.path == "wire/original.md"),
        "{hits:#?}"
    );
    // Since stemming, the retitled copy and the exact one can tie for first: either is a copy.
    assert!(
        ["mirror/exact.md", "daily/retitled.md"].contains(&hits[0].path.as_str()),
        "{hits:#?}"
    );
    let copies: Vec<&str> = hits
        .iter()
        .filter(|h| h.copy == Some(true))
        .map(|h| h.path.as_str())
        .collect();
    assert_eq!(copies.len(), 5, "{hits:#?}");
    assert!(hits
        .iter()
        .all(|h| h.score.is_some_and(|s| s > 0.0 && s <= 1.0)));
    assert!(hits.windows(2).all(|w| w[0].score >= w[1].score));
    // Scores are relative to the record's own: an exact copy scores about 1, and the least
    // alike hit far less.
    let exact = hits.iter().find(|h| h.path == "mirror/exact.md");
    let exact_score = exact.and_then(|h| h.score).unwrap_or_default();
    assert!((0.9..=1.1).contains(&exact_score), "{hits:#?}");
    let last = hits.last().and_then(|h| h.score).unwrap_or_default();
    assert!(last < 0.5, "{hits:#?}");
    // A release note finds its siblings first, and none is a copy.
    let notes: Vec<Hit> = archive
        .run(&["similar", "notes/2021-02.md", "--json", "--limit", "3"])
        .status(0)
        .jsonl();
    assert_eq!(notes.len(), 3);
    assert!(
        notes
            .iter()
            .all(|h| h.path.starts_with("notes/") && h.copy == Some(false)),
        "{notes:#?}"
    );
    // Filters apply; a missing record exits 1.
    let fire: Vec<Hit> = archive
        .run(&["similar", "fire/first.md", "--json", "--topic", "fire"])
        .status(0)
        .jsonl();
    assert_eq!(
        fire.iter().map(|h| h.path.as_str()).collect::<Vec<_>>(),
        ["fire/copy.md"]
    );
    archive.run(&["similar", "nothing/here.md"]).status(1);
    let table = archive
        .run(&["similar", "fire/first.md"])
        .status(0)
        .stdout();
    assert!(table.contains("SCORE") && table.contains("copy"), "{table}");
}

#[test]
fn similar_finds_copies_when_every_word_is_common() {
    // Three copies and one other story: every word of the copies is in most records, so a
    // plain ln(N/df) weighed each 0 and the query came out empty.
    let archive = Archive::new();
    for i in 1..=3 {
        archive.file(
            &format!("s{i}.md"),
            format!(
                "---\ntitle: Council budget\nwebUrl: https://s.example/{i}\n---\nCouncil budget.\n"
            ),
        );
    }
    archive.file(
        "g.md",
        "---\ntitle: Glacier\nwebUrl: https://s.example/g\n---\nGlacier ice.\n",
    );
    archive.run(&["build", "-q", "."]).status(0);
    let hits: Vec<Hit> = archive
        .run(&["similar", "s1.md", "--json"])
        .status(0)
        .jsonl();
    let paths: Vec<&str> = hits.iter().map(|h| h.path.as_str()).collect();
    assert_eq!(paths, ["s2.md", "s3.md"], "{hits:#?}");
    assert!(hits.iter().all(|h| h.copy == Some(true)), "{hits:#?}");
}

#[test]
fn similar_works_after_an_incremental_build_deleted_documents() {
    // tantivy's MoreLikeThisQuery panics when deleted documents are not merged away yet.
    let archive = planted();
    let edited = article(
        "Water board raises farm charges",
        WIRE,
        "2021-03-04T09:00:00Z",
        &["Water"],
        &format!("{STORY} Updated at noon."),
    );
    archive.file("wire/original.md", edited);
    archive.remove("fire/copy.md");
    archive.run(&["build", "-q", "."]).status(0);
    let hits: Vec<Hit> = archive
        .run(&["similar", "wire/original.md", "--json"])
        .status(0)
        .jsonl();
    assert!(
        hits.iter().filter(|h| h.copy == Some(true)).count() >= 4,
        "{hits:#?}"
    );
    archive
        .run(&["similar", "fire/first.md", "--json", "--topic", "fire"])
        .status(1);
    let clusters: Vec<Cluster> = archive.run(&["dups", "--json"]).status(0).jsonl();
    assert_eq!(
        clusters.len(),
        1,
        "the fire story lost its copy: {clusters:#?}"
    );
}
