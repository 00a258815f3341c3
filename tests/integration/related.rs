//! `related` and `--links-to` on an archive generated with a known link structure: links to
//! absent articles, self-links, duplicate links and URL variants.

use serde::Deserialize;

use crate::contract::Hit;
use crate::harness::Archive;

#[derive(Debug, Deserialize, PartialEq, Eq)]
#[serde(tag = "relation", rename_all = "lowercase", deny_unknown_fields)]
enum Row {
    Outgoing {
        url: Option<String>,
        title: Option<String>,
        date: Option<String>,
        provider: Option<crate::contract::Provider>,
        id: Option<String>,
    },
    Incoming {
        id: String,
        path: String,
        title: Option<String>,
        url: Option<String>,
    },
    Cocited {
        id: String,
        path: String,
        title: Option<String>,
        url: Option<String>,
        shared: usize,
    },
}

/// An article linking to `links` (each a URL, written as given).
fn linking(title: &str, url: &str, date: &str, links: &[&str]) -> String {
    let related: String = links
        .iter()
        .map(|link| format!("  - title: \"Link to {link}\"\n    webUrl: \"{link}\"\n    publishedDateTime: 2020-01-01T00:00:00Z\n    provider:\n      name: Somewhere\n      domain: somewhere.example\n"))
        .collect();
    let related = if related.is_empty() {
        "related: []\n".to_owned()
    } else {
        format!("related:\n{related}")
    };
    format!("---\ntitle: \"{title}\"\nwebUrl: \"{url}\"\nampWebUrl: \"{url}amp\"\npublishedDateTime: {date}\n{related}---\nbody of {title}\n")
}

const A: &str = "https://news.example/a/";
const B: &str = "https://news.example/b/";
const C: &str = "https://news.example/c/";
const D: &str = "https://news.example/d/";
const OUT: &str = "https://elsewhere.example/story";

/// a → b, c, OUT (and itself, and b again as a variant)
/// b → c (through c's AMP URL), OUT
/// c → nothing
/// d → OUT, HTTPS://NEWS.EXAMPLE/a/?utm_source=feed#x (a variant of a)
fn archive() -> Archive {
    let archive = Archive::new();
    archive.file(
        "a.md",
        linking(
            "Alpha",
            A,
            "2021-01-01T00:00:00Z",
            &[B, C, OUT, A, "https://NEWS.example/b/#again"],
        ),
    );
    archive.file(
        "b.md",
        linking(
            "Bravo",
            B,
            "2021-02-01T00:00:00Z",
            &[&format!("{C}amp"), OUT],
        ),
    );
    archive.file("c.md", linking("Charlie", C, "2021-03-01T00:00:00Z", &[]));
    archive.file(
        "d.md",
        linking(
            "Delta",
            D,
            "2021-04-01T00:00:00Z",
            &[OUT, "HTTPS://NEWS.EXAMPLE/a/?utm_source=feed#x"],
        ),
    );
    archive.run(&["build", "."]).status(0);
    archive
}

fn rows(archive: &Archive, args: &[&str]) -> Vec<Row> {
    let mut full = vec!["related"];
    full.extend(args);
    full.push("--json");
    archive.run(&full).jsonl()
}

fn id_of(archive: &Archive, path: &str) -> String {
    let record: crate::contract::Record = archive.run(&["show", path, "--json"]).json();
    record.id
}

#[test]
fn outgoing_incoming_and_cocited() {
    let archive = archive();
    let (a, b, c, d) = (
        id_of(&archive, "a.md"),
        id_of(&archive, "b.md"),
        id_of(&archive, "c.md"),
        id_of(&archive, "d.md"),
    );
    let rows = rows(&archive, &["a.md"]);
    let outgoing: Vec<(Option<&str>, Option<&str>)> = rows
        .iter()
        .filter_map(|row| match row {
            Row::Outgoing { url, id, .. } => Some((url.as_deref(), id.as_deref())),
            _ => None,
        })
        .collect();
    // The variant of B is the same link as B: listed once. The self-link points at a itself.
    assert_eq!(
        outgoing,
        [
            (Some(B), Some(b.as_str())),
            (Some(C), Some(c.as_str())),
            (Some(OUT), None),
            (Some(A), Some(a.as_str()))
        ]
    );
    let incoming: Vec<&str> = rows
        .iter()
        .filter_map(|row| match row {
            Row::Incoming { id, .. } => Some(id.as_str()),
            _ => None,
        })
        .collect();
    assert_eq!(
        incoming,
        [d.as_str()],
        "d links to a variant of a; a's self-link is not incoming"
    );
    let cocited: Vec<(&str, usize)> = rows
        .iter()
        .filter_map(|row| match row {
            Row::Cocited { id, shared, .. } => Some((id.as_str(), *shared)),
            _ => None,
        })
        .collect();
    // b shares C (through its AMP URL) and OUT; d shares OUT and A (the self-link of a).
    assert_eq!(cocited, [(d.as_str(), 2), (b.as_str(), 2)]);
}

#[test]
fn incoming_by_amp_url_and_for_outside_urls() {
    let archive = archive();
    let (a, b, d) = (
        id_of(&archive, "a.md"),
        id_of(&archive, "b.md"),
        id_of(&archive, "d.md"),
    );
    let incoming_c: Vec<String> = rows(&archive, &["c.md"])
        .into_iter()
        .filter_map(|row| match row {
            Row::Incoming { id, .. } => Some(id),
            _ => None,
        })
        .collect();
    assert_eq!(
        incoming_c,
        [b.clone(), a.clone()],
        "newest first; b links through c's AMP URL"
    );
    let outside = rows(
        &archive,
        &["https://ELSEWHERE.example/story?utm_campaign=z"],
    );
    let ids: Vec<String> = outside
        .into_iter()
        .map(|row| match row {
            Row::Incoming { id, .. } => id,
            other => panic!("{other:?}"),
        })
        .collect();
    assert_eq!(ids, [d, b, a]);
    archive
        .run(&["related", "https://nowhere.example/x"])
        .status(1);
    archive.run(&["related", "no-such.md"]).status(1);
}

#[test]
fn links_to_filter_matches_every_variant() {
    let archive = archive();
    let paths = |url: &str| -> Vec<String> {
        let mut paths: Vec<String> = archive
            .run(&["search", "--links-to", url, "--json"])
            .jsonl::<Hit>()
            .into_iter()
            .map(|h| h.path)
            .collect();
        paths.sort();
        paths
    };
    assert_eq!(paths(OUT), ["a.md", "b.md", "d.md"]);
    assert_eq!(paths("https://news.EXAMPLE/a/#frag"), ["a.md", "d.md"]);
    // C's AMP URL stands for the archive article C: a cites it by its web URL.
    assert_eq!(paths(&format!("{C}amp")), ["a.md", "b.md"]);
    let facets: Vec<crate::contract::Facet> = archive
        .run(&["facets", "year", "--links-to", OUT, "--json"])
        .jsonl();
    assert_eq!(facets[0].count, 3);
    archive
        .run(&["export", "--links-to", "https://nowhere.example/"])
        .status(1);
}

#[test]
fn limit_applies_per_relation() {
    let archive = archive();
    let limited = rows(&archive, &["a.md", "--limit", "1"]);
    let count = |name: &str| {
        limited
            .iter()
            .filter(|row| {
                matches!(
                    (name, row),
                    ("out", Row::Outgoing { .. })
                        | ("in", Row::Incoming { .. })
                        | ("co", Row::Cocited { .. })
                )
            })
            .count()
    };
    assert_eq!((count("out"), count("in"), count("co")), (1, 1, 1));
}

#[test]
fn dot_graph_with_depth() {
    let archive = archive();
    let dot = archive.run(&["related", "c.md", "--format", "dot"]);
    dot.status(0);
    let text = dot.stdout();
    assert!(text.starts_with("digraph related {"), "{dot:?}");
    assert!(text.contains("label=\"Charlie\""));
    assert!(text.contains("label=\"Bravo\"") && text.contains("label=\"Alpha\""));
    assert!(
        !text.contains("label=\"Delta\""),
        "d is two steps away: {text}"
    );
    let deeper = archive
        .run(&["related", "c.md", "--format", "dot", "--depth", "2"])
        .stdout();
    assert!(deeper.contains("label=\"Delta\""), "{deeper}");
    let bounded = archive
        .run(&[
            "related",
            "c.md",
            "--format",
            "dot",
            "--depth",
            "5",
            "--max-nodes",
            "2",
        ])
        .stdout();
    assert_eq!(bounded.matches("[label=").count(), 2);
    assert!(bounded.contains("truncated"));
}

#[test]
fn csv_has_one_header_for_every_relation() {
    let archive = archive();
    let run = archive.run(&["related", "a.md", "--format", "csv"]);
    run.status(0);
    let stdout = run.stdout();
    let mut lines = stdout.lines();
    assert_eq!(lines.next(), Some("relation,id,path,title,url,date,shared"));
    assert!(
        stdout
            .lines()
            .any(|l| l.starts_with("cocited,") && l.ends_with(",2")),
        "{stdout}"
    );
}
