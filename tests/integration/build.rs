//! `build` on the fixture archive and on generated messy archives; the records it makes.

use std::collections::HashMap;

use crate::contract::{BuildSummary, Record};
use crate::harness::{article, Archive};

fn built_fixtures() -> (Archive, BuildSummary) {
    let archive = Archive::fixtures();
    let run = archive.run(&["build", ".", "--json"]);
    run.status(0);
    let summary = run.json();
    (archive, summary)
}

fn records(archive: &Archive) -> HashMap<String, Record> {
    let run = archive.run(&["export"]);
    run.status(0);
    run.jsonl::<Record>()
        .into_iter()
        .map(|r| (r.path.clone(), r))
        .collect()
}

#[test]
fn fixture_summary_counts_and_problems() {
    let (_archive, summary) = built_fixtures();
    assert_eq!(summary.seen, 40);
    assert_eq!(summary.indexed, 30);
    assert_eq!(summary.unchanged, 0);
    assert_eq!(summary.removed, 0);
    assert_eq!(summary.skipped, 7);
    assert_eq!(summary.duplicates, 1);
    let errors: Vec<(&str, Option<u64>)> = summary
        .errors
        .iter()
        .map(|e| (e.path.as_str(), e.line))
        .collect();
    assert_eq!(
        errors,
        [
            ("broken/bad-indent.md", Some(6)),
            ("broken/colon-in-title.md", Some(3)),
            ("broken/horizontal-rule.md", Some(2)),
            ("broken/hugo-toml.md", Some(1)),
            ("broken/unclosed.md", Some(1)),
        ]
    );
    assert!(summary.errors[1]
        .message
        .contains("mapping values are not allowed"));
    assert!(summary.errors[3].message.contains("TOML"));
    let warnings: Vec<(&str, Option<u64>)> = summary
        .warnings
        .iter()
        .map(|w| (w.path.as_str(), w.line))
        .collect();
    assert_eq!(
        warnings,
        [
            ("dup/copy-b.md", None),
            ("messy/ambiguous-date.md", Some(5)),
            ("messy/duplicate-title.md", Some(15)),
            ("messy/heat-not-a-number.md", Some(9)),
            ("messy/latin1-cafe.md", Some(16)),
            ("messy/vague-date.md", Some(5)),
            ("misc/blob.txt", None),
            ("misc/empty.md", None),
        ]
    );
    assert!(summary.warnings[0]
        .message
        .contains("duplicate of dup/copy-a.md"));
    assert!(summary.index.ends_with(".newsidx"));
}

#[test]
fn human_summary_names_file_line_and_column() {
    let archive = Archive::fixtures();
    let run = archive.run(&["build", "."]);
    run.status(0);
    let stderr = run.stderr();
    assert!(
        stderr.contains("broken/colon-in-title.md:3:16: invalid YAML front matter: mapping values are not allowed in this context"),
        "{run:?}"
    );
    assert!(
        stderr.contains("misc/empty.md: warning: empty file, skipped"),
        "{run:?}"
    );
    assert!(
        stderr.contains("40 files seen: 30 records indexed"),
        "{run:?}"
    );
    assert!(
        run.stdout().is_empty(),
        "human output of build goes to stderr"
    );
}

#[test]
fn strict_exits_1_when_files_were_bad() {
    let archive = Archive::fixtures();
    archive.run(&["build", ".", "--strict"]).status(1);
    let clean = Archive::new();
    clean.file(
        "a.md",
        article("Clean", "https://x.example/a", "2021-01-01", &["T"], "text"),
    );
    clean.run(&["build", ".", "--strict"]).status(0);
}

#[test]
fn fixture_records_are_read_as_the_spec_says() {
    let (archive, _) = built_fixtures();
    let records = records(&archive);
    assert_eq!(records.len(), 30);
    assert_eq!(records.values().filter(|r| r.kind == "article").count(), 27);
    assert_eq!(records.values().filter(|r| r.kind == "body").count(), 3);

    let pair = &records["2021/06/drone-delivery-pilot.md"];
    assert_eq!(
        pair.body_path.as_deref(),
        Some("2021/06/drone-delivery-pilot.txt")
    );
    assert_eq!(pair.date.as_deref(), Some("2021-06-10T00:00:00Z"));
    assert!(pair.body.contains("quadcopter"), "{}", pair.body);
    assert!(!records.contains_key("2021/06/drone-delivery-pilot.txt"));

    let rail = &records["2021/06/rail-strike-talks.md"];
    assert_eq!(rail.date.as_deref(), Some("2021-06-11T19:45:00Z"));
    assert_eq!(
        rail.body_path.as_deref(),
        Some("2021/06/rail-strike-talks.body.txt")
    );
    assert!(rail.body.starts_with("Editor's summary"), "{}", rail.body);
    assert!(rail.body.contains("arbitration"));
    assert!(!rail.body.contains("date 2021-06-09"));

    let dates = [
        ("2021/03/crlf-council-budget.md", "2021-03-04T10:30:00Z"),
        ("2021/03/kyoto-cafe-reopening.md", "2021-03-23T00:00:00Z"),
        ("2021/03/transit-fare-freeze.md", "2021-03-04T00:00:00Z"),
        ("2021/05/bom-vaccine-cold-chain.md", "2021-05-06T07:08:09Z"),
        (
            "2021/06/satellite-broadband-rural.markdown",
            "2021-06-11T21:45:00Z",
        ),
        ("2022/wildfire-smoke-schools.md", "2022-02-02T00:00:00Z"),
        ("2023/flu-season-forecast.text", "2023-08-30T06:00:00Z"),
        (
            "bodies/2020-01-15-flood-barrier.txt",
            "2020-01-15T00:00:00Z",
        ),
        ("messy/tolerant-fields.md", "2021-10-01T08:00:00Z"),
    ];
    for (path, date) in dates {
        assert_eq!(records[path].date.as_deref(), Some(date), "{path}");
    }
    for path in [
        "messy/ambiguous-date.md",
        "messy/vague-date.md",
        "bodies/wire-report",
    ] {
        assert_eq!(records[path].date, None, "{path}");
    }

    let crlf = &records["2021/03/crlf-council-budget.md"];
    assert!(
        !crlf.body.contains('\r') || crlf.body.contains("\r\n"),
        "trimmed ends"
    );
    assert!(!crlf.body.ends_with('\r') && !crlf.body.starts_with('\r'));
    assert!(records["2021/05/bom-vaccine-cold-chain.md"].title.is_some());

    let tolerant = &records["messy/tolerant-fields.md"];
    assert_eq!(tolerant.title.as_deref(), Some("1984"));
    assert_eq!(tolerant.quality, Some(57));
    assert_eq!(tolerant.topics, ["AI"]);
    assert_eq!(tolerant.meta["tags"], "a, b");
    assert!(tolerant.meta.contains_key("author") && tolerant.meta.contains_key("wordCount"));

    let heat = &records["messy/heat-not-a-number.md"];
    assert_eq!(heat.heat, None);
    assert_eq!(heat.meta["heat"], "lots");
    assert_eq!(
        records["messy/ambiguous-date.md"].meta["publishedDateTime"],
        "03/04/2021"
    );
    assert_eq!(
        records["messy/duplicate-title.md"].title.as_deref(),
        Some("Turnout rises in regional by-election")
    );
    assert!(records["messy/latin1-cafe.md"].body.contains("caf\u{fffd}"));
    assert!(records["messy/escape-title.md"]
        .title
        .as_deref()
        .unwrap()
        .contains('\u{1b}'));

    let vague = &records["messy/vague-date.md"];
    assert_eq!(vague.url, None);
    assert!(vague.id.len() == 16 && vague.id.bytes().all(|b| b.is_ascii_hexdigit()));

    let winner = &records["dup/copy-a.md"];
    assert!(!records.contains_key("dup/copy-b.md"));
    assert_eq!(
        winner.url.as_deref(),
        Some("https://www.example-news.com/a/b?utm_source=rss#top")
    );

    let clean = &records["2021/06/cloud-vision-bias-audit.md"];
    assert_eq!(
        clean.provider.as_ref().and_then(|p| p.name.as_deref()),
        Some("Northwind Dispatch")
    );
    assert_eq!(clean.topics, ["AWS AI", "AI"]);
    assert_eq!(clean.related.len(), 1);
    assert_eq!(clean.meta["quality"], clean.quality.unwrap());

    let body = &records["bodies/market-close-notes.txt"];
    assert_eq!(
        (body.title.as_ref(), body.topics.len(), body.meta.len()),
        (None, 0, 0)
    );
}

#[test]
fn ids_are_stable_across_builds_and_locations() {
    let (first, _) = built_fixtures();
    let (second, _) = built_fixtures();
    let ids = |archive: &Archive| {
        let mut ids: Vec<(String, String)> = records(archive)
            .into_values()
            .map(|r| (r.path, r.id))
            .collect();
        ids.sort();
        ids
    };
    assert_eq!(ids(&first), ids(&second));
    let copy_a = records(&first)["dup/copy-a.md"].id.clone();
    let other = Archive::new();
    other.file(
        "z.md",
        article(
            "Same",
            "HTTPS://WWW.Example-News.com/a/b#x",
            "2021-01-01",
            &[],
            "b",
        ),
    );
    other.run(&["build", "."]).status(0);
    assert_eq!(
        records(&other)["z.md"].id,
        copy_a,
        "same canonical URL, same id"
    );
}

#[test]
fn hidden_files_and_other_extensions_are_not_read() {
    let (archive, _) = built_fixtures();
    archive.run(&["search", "zebrafinch"]).status(1);
    let only_md = Archive::fixtures();
    let run = only_md.run(&["build", ".", "--ext", "md", "--json"]);
    run.status(0);
    let summary: BuildSummary = run.json();
    assert!(summary.seen < 40);
    only_md.run(&["search", "magnitude"]).status(1);
    let with_bare = Archive::fixtures();
    with_bare.run(&["build", ".", "--ext", "md,"]).status(0);
    with_bare.run(&["search", "magnitude"]).status(0);
}

#[test]
fn messy_generated_archive() {
    let archive = Archive::new();
    archive
        .file("crlf.md", "---\r\ntitle: Windows line endings\r\nwebUrl: https://a.example/crlf\r\n---\r\nBody with crlf words\r\n")
        .file("bom.md", "\u{feff}---\ntitle: Byte order mark\n---\nbom body\n")
        .file("empty-fm.md", "---\n---\nonly a body under empty front matter\n")
        .file("scalar.md", "---\ntitle: Scalars\ntopics: Solo\nquality: \"12\"\nprovider: Plain Provider\n---\n")
        .file("toml.md", "+++\ntitle = \"x\"\n+++\n")
        .file("big.txt", "x".repeat(5000))
        .file("notes/x.md", "---\ntitle: Paired\n---\n")
        .file("notes/x.body.txt", " date 2020-02-02 paired words here")
        .file("deep.md", format!("---\ntitle: deep\nx: {}{}\n---\n", "[".repeat(1000), "]".repeat(1000)));
    let run = archive.run(&["build", ".", "--json", "--max-file-size", "4K"]);
    run.status(0);
    let summary: BuildSummary = run.json();
    let error_paths: Vec<&str> = summary.errors.iter().map(|e| e.path.as_str()).collect();
    assert_eq!(error_paths, ["deep.md", "toml.md"]);
    assert!(summary
        .warnings
        .iter()
        .any(|w| w.path == "big.txt" && w.message.contains("larger than")));
    let all: HashMap<String, Record> = archive
        .run(&["export"])
        .jsonl::<Record>()
        .into_iter()
        .map(|r| (r.path.clone(), r))
        .collect();
    assert_eq!(
        all["crlf.md"].title.as_deref(),
        Some("Windows line endings")
    );
    assert_eq!(all["crlf.md"].body, "Body with crlf words");
    assert_eq!(all["bom.md"].title.as_deref(), Some("Byte order mark"));
    assert_eq!(all["empty-fm.md"].kind, "article");
    assert_eq!(all["scalar.md"].topics, ["Solo"]);
    assert_eq!(all["scalar.md"].quality, Some(12));
    assert_eq!(
        all["scalar.md"]
            .provider
            .as_ref()
            .and_then(|p| p.name.as_deref()),
        Some("Plain Provider")
    );
    assert_eq!(
        all["notes/x.md"].body_path.as_deref(),
        Some("notes/x.body.txt")
    );
    assert_eq!(
        all["notes/x.md"].date.as_deref(),
        Some("2020-02-02T00:00:00Z")
    );
}

#[cfg(unix)]
#[test]
fn odd_file_names_keep_output_well_formed() {
    use std::os::unix::ffi::OsStrExt;
    let archive = Archive::new();
    archive.file(
        "with space.md",
        article("Spaced", "https://x.example/s", "2021-01-01", &[], "spacey"),
    );
    archive.file(
        "new\nline.md",
        article(
            "Newline",
            "https://x.example/n",
            "2021-01-01",
            &[],
            "newliney",
        ),
    );
    let raw = std::ffi::OsStr::from_bytes(b"bad\xffname.md");
    std::fs::write(
        archive.path().join(raw),
        article("Raw", "https://x.example/r", "2021-01-01", &[], "rawbytes"),
    )
    .unwrap();
    archive.run(&["build", "."]).status(0);
    let all = archive.run(&["export"]);
    all.status(0);
    let records: Vec<Record> = all.jsonl();
    assert_eq!(records.len(), 3);
    assert!(records.iter().any(|r| r.path == "new\nline.md"));
    // A byte that is not UTF-8 is escaped, so that no two such names make one path.
    assert!(records.iter().any(|r| r.path == "bad\\xFFname.md"));
    let table = archive.run(&["search", "newliney", "--fields", "path"]);
    table.status(0);
    // Escaped, not a space: `new line.md` would be another file.
    assert!(table.stdout().contains("new\\x0aline.md"), "{table:?}");
}

#[cfg(unix)]
#[test]
fn symlink_loops_are_reported_not_fatal() {
    let archive = Archive::new();
    archive.file(
        "a/x.md",
        article("Looped", "https://x.example/l", "2021-01-01", &[], "loopy"),
    );
    std::os::unix::fs::symlink(archive.path().join("a"), archive.path().join("a/back")).unwrap();
    let run = archive.run(&["build", ".", "--follow-links", "--json"]);
    run.status(0);
    let summary: BuildSummary = run.json();
    assert!(
        summary.warnings.iter().any(|w| w.message.contains("loop")),
        "{run:?}"
    );
    assert_eq!(summary.indexed, 1);
    // A dangling link is seen and skipped, its warning the reason.
    std::os::unix::fs::symlink(
        archive.path().join("gone.md"),
        archive.path().join("a/dead.md"),
    )
    .unwrap();
    let run = archive.run(&["build", ".", "--follow-links", "--json", "--rebuild"]);
    let summary: BuildSummary = run.json();
    assert_eq!((summary.seen, summary.skipped), (3, 2), "{run:?}");
}

#[test]
fn facets_merge_case_variants_like_the_filters() {
    let archive = Archive::new();
    for (i, topic) in ["Climate", "Climate", "Climate", "climate", "CLIMATE"]
        .iter()
        .enumerate()
    {
        archive.file(
            &format!("c{i}.md"),
            article(
                &format!("T{i}"),
                &format!("https://x.example/{i}"),
                "2021-01-01",
                &[topic],
                "words",
            ),
        );
    }
    archive.run(&["build", "."]).status(0);
    let facets: Vec<crate::contract::Facet> = archive.run(&["facets", "topic", "--json"]).jsonl();
    assert_eq!(
        facets,
        [crate::contract::Facet {
            value: "Climate".into(),
            count: 5
        }]
    );
    assert_eq!(
        archive
            .run(&["search", "--topic", "climate", "--json"])
            .stdout()
            .lines()
            .count(),
        5
    );
}

#[test]
fn export_order_does_not_depend_on_threads() {
    let archive = Archive::new();
    for i in 0..300 {
        archive.file(
            &format!("d{}/a{i:03}.md", i % 7),
            article(
                &format!("T{i}"),
                &format!("https://x.example/{i}"),
                "2021-01-01",
                &["t"],
                "same words",
            ),
        );
    }
    let mut exports = Vec::new();
    for jobs in ["1", "2", "4"] {
        archive
            .run(&["build", ".", "--rebuild", "--jobs", jobs])
            .status(0);
        exports.push(archive.run(&["export", "--fields", "path"]).stdout());
    }
    assert!(exports.windows(2).all(|w| w[0] == w[1]));
    let paths: Vec<&str> = exports[0].lines().collect();
    let mut sorted = paths.clone();
    sorted.sort();
    assert_eq!(paths, sorted);
}
