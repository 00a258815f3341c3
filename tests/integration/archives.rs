//! Regression tests for issue 13 (real archives: dates, tags, pairing and encodings as blogs and
//! newsrooms write them), on `fixtures/blogs`: files written in the shapes of a Jekyll blog, a
//! Hugo site, an Astro site, a project's release notes and a notepad's UTF-16 file.

use std::collections::HashMap;

use crate::contract::{BuildSummary, Facet, Record, Stats};
use crate::harness::Archive;

fn built() -> (Archive, BuildSummary) {
    let archive = Archive::fixture_tree("blogs");
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

fn paths(archive: &Archive, args: &[&str]) -> Vec<String> {
    let mut args = args.to_vec();
    args.extend(["--format", "paths"]);
    let run = archive.run(&args);
    run.no_panic();
    // `paths` also prints a pair's body file (SPEC §4); these tests compare record paths.
    let printed: Vec<String> = run.stdout().lines().map(str::to_owned).collect();
    printed
        .iter()
        .filter(|p| {
            !(p.ends_with(".txt")
                && printed.contains(&format!("{}.md", p.trim_end_matches(".txt"))))
        })
        .cloned()
        .collect()
}

#[test]
fn issue13_blog_shapes_give_these_errors_and_warnings() {
    let (_archive, summary) = built();
    assert_eq!(
        (summary.seen, summary.indexed, summary.skipped),
        (22, 19, 1)
    );
    let errors: Vec<(&str, Option<u64>)> = summary
        .errors
        .iter()
        .map(|e| (e.path.as_str(), e.line))
        .collect();
    assert_eq!(errors, [("broken/unclosed-yaml.md", Some(1))]);
    assert!(summary.errors[0].message.contains("never closed"));
    let warnings: Vec<(&str, Option<u64>, &str)> = summary
        .warnings
        .iter()
        .map(|w| (w.path.as_str(), w.line, w.message.as_str()))
        .collect();
    let expected: [(&str, Option<u64>, &str); 6] = [
        (
            "_includes/signature.md",
            Some(1),
            "read as text, not front matter",
        ),
        (
            "_posts/2020-09-17-missing-fence.md",
            Some(4),
            "never opened",
        ),
        (
            "_posts/2023-01-29-typo-in-date.markdown",
            Some(3),
            "`date` is not a date",
        ),
        ("messy/odd-numbers.md", Some(3), "rounded to 33"),
        ("messy/odd-numbers.md", Some(5), "not a URL; ignored"),
        ("pairs/ferry.md", None, "paired with `pairs/ferry.markdown`"),
    ];
    assert_eq!(warnings.len(), expected.len(), "{warnings:#?}");
    for ((path, line, message), (want_path, want_line, want_words)) in warnings.iter().zip(expected)
    {
        assert_eq!((*path, *line), (want_path, want_line));
        assert!(message.contains(want_words), "{message}");
    }
    // The list of accepted forms is the parser's own table: the forms it was missing are in it.
    let date_warning = summary.warnings[2].message.as_str();
    for form in [
        "`YYYY-MM-DD`",
        "`YYYY/MM/DD`",
        "`YYYY年MM月DD日`",
        "RFC 2822",
        "`+0000 UTC`",
    ] {
        assert!(date_warning.contains(form), "{date_warning}");
    }
}

#[test]
fn issue13_pairing_is_on_the_whole_stem() {
    let (archive, _) = built();
    let records = records(&archive);
    let release = &records["release/v20.12.0.md"];
    assert_eq!(release.body_path.as_deref(), Some("release/v20.12.0.txt"));
    assert!(release.body.contains("notable changes"), "{}", release.body);
    assert!(release.body.contains("watch mode"), "{}", release.body);
    // The next release's notes are a record of their own, found under their own path.
    let patch = &records["release/v20.12.2.md"];
    assert_eq!(patch.kind, "body");
    assert!(patch.body.contains("resolver"));
    assert!(!release.body.contains("resolver"));
    assert_eq!(
        paths(&archive, &["search", "resolver"]),
        ["release/v20.12.2.md"]
    );
    // Two front-matter files could claim ferry.txt: the first in path order gets it.
    let first = &records["pairs/ferry.markdown"];
    assert_eq!(first.body_path.as_deref(), Some("pairs/ferry.txt"));
    assert_eq!(first.date.as_deref(), Some("2021-02-03T00:00:00Z"));
    assert_eq!(records["pairs/ferry.md"].body_path, None);
}

#[test]
fn issue13_body_suffix_pairs_and_other_stems_do_not() {
    let archive = Archive::new();
    archive
        .file("n/x.md", "---\ntitle: X\n---\nOwn words.\n")
        .file("n/x.body.txt", "Paired words.\n")
        .file("n/x-y.txt", "Another story.\n");
    archive.run(&["build", "."]).status(0);
    let records = records(&archive);
    assert_eq!(records.len(), 2);
    assert_eq!(records["n/x.md"].body_path.as_deref(), Some("n/x.body.txt"));
    assert_eq!(records["n/x.md"].body, "Own words.\n\nPaired words.");
    assert_eq!(records["n/x-y.txt"].kind, "body");
}

#[test]
fn issue13_dates_come_from_the_blog_keys_then_the_file_name() {
    let (archive, _) = built();
    let records = records(&archive);
    let cases = [
        // Jekyll: no date key, the file name's prefix (one-digit month and day too).
        (
            "_posts/2019-04-11-engine-0.34-released.md",
            Some("2019-04-11T00:00:00Z"),
        ),
        (
            "_posts/2017-2-5-unpadded-name.md",
            Some("2017-02-05T00:00:00Z"),
        ),
        // An unreadable date key is warned, and the file name still dates the post.
        (
            "_posts/2023-01-29-typo-in-date.markdown",
            Some("2023-01-29T00:00:00Z"),
        ),
        // Hugo's `Date` (any case) with Go's zone; `lastmod` is never the date.
        ("hugo/tide-tables.md", Some("2020-05-06T10:00:00Z")),
        // Astro's `pubDate` with a month name; `updated` is never the date.
        ("astro/launch-week.mdx", Some("2022-07-08T00:00:00Z")),
        // schema.org: `published: false` is a flag; fractions are kept.
        (
            "feed/schema-org-item.md",
            Some("2021-03-04T04:06:07.123456Z"),
        ),
        ("feed/rss-item.md", Some("2021-06-11T21:45:00Z")),
        // YAML's own example: fractions and a one-digit zone; `date` wins over `published`.
        ("feed/yaml-timestamp.md", Some("2001-12-15T02:59:43.10Z")),
        ("feed/metro-line.md", Some("2021-03-23T00:00:00Z")),
        ("release/v20.12.0.md", Some("2024-03-26T17:56:21.783Z")),
        ("utf16/harbour-notice-le.md", Some("2017-04-06T00:08:01Z")),
        ("feed/about.md", None),
        ("release/v20.12.2.md", None),
    ];
    for (path, date) in cases {
        assert_eq!(records[path].date.as_deref(), date, "{path}");
    }
    assert_eq!(
        records["_posts/2023-01-29-typo-in-date.markdown"].meta["date"],
        "2023-01-29 18:30:22 2023 -0800"
    );
    assert_eq!(records["feed/schema-org-item.md"].meta["published"], false);
    assert_eq!(
        paths(&archive, &["search", "--date", "2001-12-15"]),
        ["feed/yaml-timestamp.md"]
    );
}

#[test]
fn issue13_tags_keywords_and_categories_are_tags() {
    let (archive, _) = built();
    let records = records(&archive);
    assert_eq!(records["release/v20.12.0.md"].tags, ["release", "lts"]);
    assert_eq!(
        records["hugo/tide-tables.md"].tags,
        ["infrastructure", "Ops"]
    );
    assert_eq!(
        records["_posts/2023-01-29-typo-in-date.markdown"].tags,
        ["release", "security"]
    );
    assert_eq!(records["utf16/harbour-notice-le.md"].tags, ["notices"]);
    assert!(records["feed/about.md"].tags.is_empty());

    let tagged = [
        "_posts/2019-04-11-engine-0.34-released.md",
        "_posts/2023-01-29-typo-in-date.markdown",
        "astro/launch-week.mdx",
        "release/v20.12.0.md",
    ];
    assert_eq!(
        paths(&archive, &["search", "--tag", "RELEASE", "--sort", "date"]),
        {
            let mut by_date = tagged.to_vec();
            by_date.sort_by_key(|p| records[*p].date.clone());
            by_date
        }
    );
    assert_eq!(
        paths(&archive, &["search", "--tag", "release", "--tag", "LTS"]),
        ["release/v20.12.0.md"]
    );
    assert_eq!(
        paths(&archive, &["search", "tag:ops"]),
        ["hugo/tide-tables.md"]
    );
    assert_eq!(
        paths(&archive, &["export", "--tag", "security"]),
        ["_posts/2023-01-29-typo-in-date.markdown"]
    );
    let nothing = archive.run(&["search", "--tag", "no-such-tag"]);
    nothing.status(1);

    let run = archive.run(&["facets", "tag", "--json"]);
    run.status(0);
    let facets: Vec<Facet> = run.jsonl();
    assert_eq!(
        facets[0],
        Facet {
            value: "release".into(),
            count: 4
        }
    );
    assert_eq!(facets.len(), 7, "{facets:?}");
}

#[test]
fn issue13_undated_records_are_counted_and_told() {
    let (archive, _) = built();
    let run = archive.run(&["stats", "--json"]);
    run.status(0);
    let stats: Stats = run.json();
    assert_eq!((stats.records, stats.undated), (19, 5));

    let run = archive.run(&["facets", "year"]);
    run.status(0);
    assert!(run.stdout().contains("2021"), "{run:?}");
    assert_eq!(
        run.stderr().trim(),
        "5 matching records have no date and are not counted"
    );
    // Only matching records are told of, and scripts are not.
    let run = archive.run(&["facets", "month", "--tag", "release"]);
    run.status(0);
    assert_eq!(run.stderr(), "");
    let run = archive.run(&["facets", "year", "--kind", "body", "--json"]);
    run.status(0);
    assert_eq!(run.stderr(), "");
    let run = archive.run(&["facets", "year", "--kind", "body"]);
    assert_eq!(
        run.stderr().trim(),
        "2 matching records have no date and are not counted"
    );
}

#[test]
fn issue13_unclosed_rule_above_prose_is_a_body_file() {
    let (archive, _) = built();
    let records = records(&archive);
    let signature = &records["_includes/signature.md"];
    assert_eq!(signature.kind, "body");
    assert_eq!(signature.body, "Ada Example\nexample.org/ada");
    assert!(!records.contains_key("broken/unclosed-yaml.md"));
    // Front matter that lost its opening fence is text too (warned), dated by its file name.
    let unopened = &records["_posts/2020-09-17-missing-fence.md"];
    assert_eq!(unopened.kind, "body");
    assert_eq!(unopened.date.as_deref(), Some("2020-09-17T00:00:00Z"));
}

#[test]
fn issue13_utf16_files_are_decoded_not_skipped() {
    let (archive, _) = built();
    let records = records(&archive);
    let notice = &records["utf16/harbour-notice-le.md"];
    assert_eq!(notice.title.as_deref(), Some("Harbour notice"));
    assert!(notice.body.contains("closes at dusk"), "{}", notice.body);
    let note = &records["utf16/ferry-note-be.txt"];
    assert_eq!(note.date.as_deref(), Some("2018-09-10T00:00:00Z"));
    assert!(
        note.body.starts_with("The ferry timetable"),
        "{}",
        note.body
    );
    assert_eq!(
        paths(&archive, &["search", "timetable"]),
        ["utf16/ferry-note-be.txt"]
    );
}

#[test]
fn issue13_odd_numbers_and_urls_are_warned() {
    let (archive, _) = built();
    let records = records(&archive);
    let odd = &records["messy/odd-numbers.md"];
    assert_eq!(
        (odd.quality, odd.heat, odd.url.as_deref()),
        (Some(33), Some(12), None)
    );
    assert_eq!(odd.meta["quality"], 32.5);
    assert_eq!(odd.meta["webUrl"], 42);
}

#[test]
fn issue13_mdx_is_a_default_extension() {
    let (archive, _) = built();
    assert!(records(&archive).contains_key("astro/launch-week.mdx"));
    let run = archive.run(&["build", ".", "--rebuild", "--ext", "md", "--json"]);
    run.status(0);
    let summary: BuildSummary = run.json();
    assert_eq!(summary.seen, 16);
    assert!(!records(&archive).contains_key("astro/launch-week.mdx"));
}
