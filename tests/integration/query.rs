//! search, show, stats, facets, timeline and export on the fixture archive: filters, sorts,
//! paging, formats and the JSON contract.

use std::sync::OnceLock;

use crate::contract::{Facet, Hit, Period, Record, Stats};
use crate::harness::{run_in, Archive, Run};

/// One built copy of the fixtures, shared by the read-only tests here.
fn fixtures() -> &'static Archive {
    static BUILT: OnceLock<Archive> = OnceLock::new();
    BUILT.get_or_init(|| {
        let archive = Archive::fixtures();
        archive.run(&["build", "."]).status(0);
        archive
    })
}

fn run(args: &[&str]) -> Run {
    run_in(fixtures().path(), args)
}

fn paths(args: &[&str]) -> Vec<String> {
    let mut full = args.to_vec();
    full.extend(["--json", "--limit", "0"]);
    let run = run(&full);
    let mut paths: Vec<String> = run.jsonl::<Hit>().into_iter().map(|h| h.path).collect();
    paths.sort();
    paths
}

#[test]
fn search_words_find_the_right_records() {
    let anchors = [
        ("arbitration", "2021/06/rail-strike-talks.md"),
        ("quadcopter", "2021/06/drone-delivery-pilot.md"),
        ("terminus", "2023/glacier-long-read.md"),
        ("tidal", "bodies/2020-01-15-flood-barrier.txt"),
        ("magnitude", "bodies/wire-report"),
        ("kissaten", "2021/03/kyoto-cafe-reopening.md"),
        ("fermentation", "messy/latin1-cafe.md"),
        ("Orwell", "messy/tolerant-fields.md"),
        ("floats", "2020/04/ocean-heat-record.md"),
    ];
    for (word, path) in anchors {
        assert_eq!(paths(&["search", word]), [path], "{word}");
    }
    for word in ["spillway", "syndicated", "zebrafinch", "Hugo"] {
        run(&["search", word]).status(1);
    }
}

#[test]
fn search_hits_carry_score_and_snippet() {
    let run = run(&["search", "arbitration", "--json"]);
    run.status(0);
    let hits: Vec<Hit> = run.jsonl();
    assert_eq!(hits.len(), 1);
    assert!(hits[0].score.unwrap() > 0.0);
    assert!(hits[0].snippet.as_deref().unwrap().contains("arbitration"));
    let listing: Vec<Hit> = crate::query::run(&["search", "--json", "--limit", "1"]).jsonl();
    assert_eq!(
        (listing[0].score, listing[0].snippet.as_ref()),
        (None, None)
    );
}

#[test]
fn phrases_or_and_not() {
    let one = paths(&["search", "hospital"]);
    let phrase = paths(&["search", "\"refused to pay\""]);
    assert_eq!(phrase, ["messy/escape-title.md"]);
    let either = paths(&["search", "tidal OR magnitude"]);
    assert_eq!(
        either,
        ["bodies/2020-01-15-flood-barrier.txt", "bodies/wire-report"]
    );
    let both = paths(&["search", "tidal", "magnitude"]);
    assert!(both.is_empty());
    let not = paths(&["search", "hospital -ransomware"]);
    assert_eq!(not.len() + 1, one.len());
    // A pasted flag is its word, not a word to leave out.
    let count_after_dashes = |query: &str| {
        let run = run(&["search", "--format", "paths", "--limit", "0", "--", query]);
        run.stdout().lines().count()
    };
    assert_eq!(count_after_dashes("--hospital -ransomware"), not.len());
    assert_eq!(count_after_dashes("--hospital"), one.len());
    assert_eq!(paths(&["search", "hospital --ransomware"]).len(), 1);
    assert_eq!(
        paths(&["search", "title:kyoto"]),
        ["2021/03/kyoto-cafe-reopening.md"],
        "accents fold"
    );
    assert_eq!(
        paths(&["search", "title:café owners"]),
        ["2021/03/kyoto-cafe-reopening.md"]
    );
}

#[test]
fn each_filter_alone_and_combined() {
    assert_eq!(paths(&["search", "--topic", "aws ai"]).len(), 2);
    assert_eq!(
        paths(&["search", "--topic", "AI", "--topic", "Health"]),
        ["2021/09/hospital-ai-triage-trial.md"]
    );
    assert_eq!(paths(&["search", "--provider", "kestrel science"]).len(), 8);
    assert_eq!(paths(&["search", "--domain", "ledgerpost.com"]).len(), 3);
    assert_eq!(
        paths(&["search", "--domain", "www.LedgerPost.com"]).len(),
        3
    );
    assert_eq!(paths(&["search", "--category", "BUSINESS"]).len(), 6);
    assert_eq!(paths(&["search", "--type", "article"]).len(), 27);
    assert_eq!(paths(&["search", "--kind", "body"]).len(), 3);
    assert_eq!(paths(&["search", "--kind", "article"]).len(), 27);
    assert_eq!(paths(&["search", "--date", "2021-06-11"]).len(), 3);
    assert_eq!(paths(&["search", "--date", "2021-06"]).len(), 5);
    assert_eq!(paths(&["search", "--date", "2021"]).len(), 11);
    assert_eq!(paths(&["search", "--since", "2023"]).len(), 5);
    assert_eq!(paths(&["search", "--until", "2020-04-14"]).len(), 2);
    assert_eq!(
        paths(&["search", "--since", "2021-03", "--until", "2021-03"]).len(),
        3
    );
    assert_eq!(paths(&["search", "--since", "100y"]).len(), 26);
    assert_eq!(paths(&["search", "--min-quality", "50"]).len(), 3);
    assert_eq!(
        paths(&["search", "--provider", "Civic Wire", "--date", "2021-03-04"]),
        [
            "2021/03/crlf-council-budget.md",
            "2021/03/transit-fare-freeze.md"
        ]
    );
    assert_eq!(
        paths(&[
            "search",
            "strike",
            "--category",
            "business",
            "--since",
            "2021-06-01"
        ]),
        ["2021/06/rail-strike-talks.md", "dup/copy-a.md"]
    );
    run(&["search", "--topic", "no such topic"]).status(1);
}

#[test]
fn sorts_and_paging() {
    let dates = |args: &[&str]| -> Vec<Option<String>> {
        run(args)
            .jsonl::<Hit>()
            .into_iter()
            .map(|h| h.date)
            .collect()
    };
    let newest = dates(&["search", "--sort", "-date", "--limit", "0", "--json"]);
    assert_eq!(newest.len(), 30);
    assert_eq!(newest[0].as_deref(), Some("2023-10-02T05:00:00Z"));
    assert!(
        newest[26..].iter().all(Option::is_none),
        "undated last: {newest:?}"
    );
    let oldest = dates(&["search", "--sort", "date", "--limit", "0", "--json"]);
    assert_eq!(oldest[0].as_deref(), Some("2020-01-15T00:00:00Z"));
    assert!(
        oldest[26..].iter().all(Option::is_none),
        "undated last: {oldest:?}"
    );
    let heat: Vec<Option<i64>> = run(&["search", "--sort", "heat", "--limit", "0", "--json"])
        .jsonl::<Hit>()
        .into_iter()
        .map(|h| h.heat)
        .collect();
    assert_eq!(heat[0], Some(95));
    assert!(heat[26..].iter().all(Option::is_none));
    assert!(heat[..26].windows(2).all(|w| w[0] >= w[1]));
    let quality: Vec<Option<i64>> = run(&["search", "--sort", "quality", "--limit", "3", "--json"])
        .jsonl::<Hit>()
        .into_iter()
        .map(|h| h.quality)
        .collect();
    assert_eq!(quality, [Some(61), Some(57), Some(52)]);

    let page = |offset: &str| -> Vec<String> {
        run(&[
            "search", "--sort", "-date", "--limit", "5", "--offset", offset, "--json",
        ])
        .jsonl::<Hit>()
        .into_iter()
        .map(|h| h.id)
        .collect()
    };
    let all: Vec<String> = run(&["search", "--sort", "-date", "--limit", "0", "--json"])
        .jsonl::<Hit>()
        .into_iter()
        .map(|h| h.id)
        .collect();
    assert_eq!(page("0"), all[0..5]);
    assert_eq!(page("5"), all[5..10]);
    run(&["search", "--offset", "100"]).status(1);

    let table = run(&["search"]);
    table.status(0);
    assert!(
        table.stdout().contains("20 of 30 matches shown"),
        "{table:?}"
    );
}

#[test]
fn output_formats() {
    let csv = run(&[
        "search",
        "kissaten",
        "--format",
        "csv",
        "--fields",
        "id,title,topics",
    ]);
    csv.status(0);
    let stdout = csv.stdout();
    let lines: Vec<&str> = stdout.lines().collect();
    assert_eq!(lines[0], "id,title,topics");
    assert!(
        lines[1].contains("Kyoto") || lines[1].contains("Kansai") || lines[1].len() > 20,
        "{csv:?}"
    );
    assert_eq!(lines.len(), 2);

    let json = run(&["search", "hospital", "--format", "json"]);
    json.status(0);
    let array: Vec<Hit> = json.json();
    assert!(!array.is_empty());

    let fields = run(&["search", "hospital", "--json", "--fields", "id,body"]);
    for line in fields.stdout().lines() {
        let value: serde_json::Value = serde_json::from_str(line).unwrap();
        let keys: Vec<&String> = value.as_object().unwrap().keys().collect();
        assert_eq!(keys, ["id", "body"]);
        assert!(value["body"].is_string());
    }
    assert!(
        fields.stdout().contains("Hospital admissions"),
        "{fields:?}"
    );

    let paths = run(&[
        "search", "--kind", "body", "--format", "paths", "--sort", "date",
    ]);
    assert_eq!(
        paths.stdout(),
        "bodies/2020-01-15-flood-barrier.txt\nbodies/market-close-notes.txt\nbodies/wire-report\n"
    );
    let nul = run(&[
        "search", "--kind", "body", "--format", "paths", "-0", "--limit", "1", "--sort", "date",
    ]);
    assert_eq!(nul.stdout(), "bodies/2020-01-15-flood-barrier.txt\0");

    let utf8 = run(&["search", "kissaten", "--json"]);
    assert!(
        utf8.stdout().contains("観光客") || utf8.stdout().contains('ō'),
        "non-ASCII stays UTF-8: {utf8:?}"
    );
}

#[test]
fn table_never_shows_raw_escapes() {
    for args in [
        &["search", "ransomware"][..],
        &["search", "volumes"],
        &["show", "messy/escape-title.md"],
        &["show", "bodies/market-close-notes.txt"],
        &["search", "ransomware", "--color", "always"],
    ] {
        let run = run(args);
        run.status(0);
        let out = run.stdout();
        let cleaned = out
            .replace("\u{1b}[1m", "")
            .replace("\u{1b}[0m", "")
            .replace("\u{1b}[2m", "")
            .replace("\u{1b}[1;31m", "")
            .replace("\u{1b}[36m", "");
        assert!(!cleaned.contains('\u{1b}'), "raw ESC in {args:?}: {out:?}");
        assert!(
            out.contains("\\x1b") || args[0] == "search" && args[1] == "volumes",
            "{out}"
        );
    }
    let plain = run(&["search", "ransomware"]);
    assert!(
        !plain.stdout().contains('\u{1b}'),
        "no colour when not a terminal"
    );
}

#[test]
fn show_by_id_url_and_path() {
    let record: Record = run(&["show", "2021/06/cloud-vision-bias-audit.md", "--json"]).json();
    for key in [
        record.id.as_str(),
        "https://www.northwinddispatch.com/tech/2021/06/11/cloud-vision-bias-audit/",
        "HTTPS://WWW.NorthwindDispatch.com/tech/2021/06/11/cloud-vision-bias-audit/?utm_source=x#top",
        "./2021/06/cloud-vision-bias-audit.md",
    ] {
        let found: Record = run(&["show", key, "--json"]).json();
        assert_eq!(found.id, record.id, "{key}");
    }
    let by_amp: Record = run(&[
        "show",
        "https://kestrelscience.org/health/2021/09/emergency-triage-risk-software/?amp",
        "--json",
    ])
    .json();
    assert_eq!(by_amp.path, "2021/09/hospital-ai-triage-trial.md");
    let by_body_half: Record = run(&["show", "2021/06/drone-delivery-pilot.txt", "--json"]).json();
    assert_eq!(by_body_half.path, "2021/06/drone-delivery-pilot.md");
    let absolute = fixtures().path().join("2023/glacier-long-read.md");
    let by_absolute: Record = run(&["show", absolute.to_str().unwrap(), "--json"]).json();
    assert_eq!(by_absolute.path, "2023/glacier-long-read.md");

    let missing = run(&["show", "no/such/file.md"]);
    missing.status(1);
    assert!(missing.stderr().contains("no record"));

    let table = run(&["show", "2023/glacier-long-read.md"]);
    table.status(0);
    assert!(
        table.stdout().contains("terminus"),
        "the body is shown: {table:?}"
    );
}

#[test]
fn stats_describe_the_index() {
    let stats: Stats = run(&["stats", "--json"]).json();
    assert_eq!((stats.records, stats.articles, stats.bodies), (30, 27, 3));
    assert_eq!(stats.date_min.as_deref(), Some("2020-01-15T00:00:00Z"));
    assert_eq!(stats.date_max.as_deref(), Some("2023-10-02T05:00:00Z"));
    assert_eq!(stats.topics, 30);
    assert_eq!(stats.providers, 8);
    assert!(stats.index_bytes > 10_000);
    assert_eq!(
        std::path::Path::new(&stats.archive),
        fixtures().path().canonicalize().unwrap()
    );
    assert!(stats.last_build.ends_with('Z'));
    let table = run(&["stats"]);
    assert!(table.stdout().contains("records") && table.stdout().contains("30"));
}

#[test]
fn facets_count_every_field() {
    let facets = |args: &[&str]| -> Vec<Facet> {
        let mut full = vec!["facets"];
        full.extend(args);
        full.extend(["--json", "--limit", "0"]);
        run(&full).jsonl()
    };
    let topics = facets(&["topic"]);
    assert_eq!(topics.len(), 30);
    assert_eq!(
        topics[0],
        Facet {
            value: "AI".into(),
            count: 5
        }
    );
    assert_eq!(
        topics[1],
        Facet {
            value: "Climate".into(),
            count: 4
        }
    );
    let providers = facets(&["provider"]);
    assert_eq!(
        providers[0],
        Facet {
            value: "Kestrel Science".into(),
            count: 8
        }
    );
    assert_eq!(providers.len(), 8);
    let domains = facets(&["domain"]);
    assert!(
        domains.contains(&Facet {
            value: "ledgerpost.com".into(),
            count: 3
        }),
        "{domains:?}"
    );
    assert_eq!(
        facets(&["category"])[0],
        Facet {
            value: "news".into(),
            count: 20
        }
    );
    assert_eq!(
        facets(&["type"]),
        [Facet {
            value: "article".into(),
            count: 27
        }]
    );
    let years = facets(&["year"]);
    assert_eq!(
        years[0],
        Facet {
            value: "2021".into(),
            count: 11
        }
    );
    assert_eq!(years.iter().map(|f| f.count).sum::<u64>(), 26);
    assert_eq!(
        facets(&["month"])[0],
        Facet {
            value: "2021-06".into(),
            count: 5
        }
    );
    assert_eq!(
        facets(&[
            "topic",
            "--provider",
            "Kestrel Science",
            "--topic",
            "Health"
        ])[0]
            .value,
        "Health"
    );
    assert_eq!(
        facets(&["provider", "hospital"])
            .iter()
            .map(|f| f.count)
            .sum::<u64>(),
        paths(&["search", "hospital"]).len() as u64
    );
    let limited: Vec<Facet> = run(&["facets", "topic", "--limit", "2", "--json"]).jsonl();
    assert_eq!(limited.len(), 2);
    run(&["facets", "topic", "--topic", "nothing here"]).status(1);
}

#[test]
fn timeline_periods() {
    let timeline = |by: &str| -> Vec<Period> { run(&["timeline", "--by", by, "--json"]).jsonl() };
    let years = timeline("year");
    assert_eq!(
        years,
        [
            Period {
                period: "2020".into(),
                count: 3
            },
            Period {
                period: "2021".into(),
                count: 11
            },
            Period {
                period: "2022".into(),
                count: 7
            },
            Period {
                period: "2023".into(),
                count: 5
            },
        ]
    );
    assert_eq!(
        timeline("month")[0],
        Period {
            period: "2020-01".into(),
            count: 1
        }
    );
    assert!(timeline("week")
        .iter()
        .any(|p| p.period == "2021-W23" && p.count == 4));
    assert!(timeline("day")
        .iter()
        .any(|p| p.period == "2021-06-11" && p.count == 3));
    let table = run(&["timeline", "--by", "year"]);
    table.status(0);
    assert!(
        table.stdout().lines().nth(2).unwrap().contains('█'),
        "{table:?}"
    );
    let filtered: Vec<Period> =
        run(&["timeline", "--by", "year", "--topic", "AI", "--json"]).jsonl();
    assert_eq!(filtered.iter().map(|p| p.count).sum::<u64>(), 5);
}

#[test]
fn export_streams_every_record_with_body() {
    let all = run(&["export"]);
    all.status(0);
    let records: Vec<Record> = all.jsonl();
    assert_eq!(records.len(), 30);
    assert!(records
        .iter()
        .all(|r| r.kind == "body" || r.title.is_some()));
    let filtered: Vec<Record> = run(&["export", "--topic", "climate"]).jsonl();
    assert_eq!(filtered.len(), 4);
    let queried: Vec<Record> = run(&["export", "terminus"]).jsonl();
    assert_eq!(queried.len(), 1);
    run(&["export", "--topic", "nothing"]).status(1);
}

#[test]
fn paths_work_from_a_subfolder_and_from_elsewhere() {
    let from_sub = run_in(
        &fixtures().path().join("2021"),
        &["search", "arbitration", "--format", "paths"],
    );
    from_sub.status(0);
    assert_eq!(
        from_sub.stdout(),
        "06/rail-strike-talks.md\n06/rail-strike-talks.body.txt\n"
    );
    let elsewhere = tempfile::tempdir().unwrap();
    let index = fixtures().path().join(".newsidx");
    let outside = run_in(
        elsewhere.path(),
        &[
            "--index",
            index.to_str().unwrap(),
            "search",
            "arbitration",
            "--format",
            "paths",
        ],
    );
    // Outside the archive, paths are relative to its root, as in every other format.
    assert_eq!(
        outside.stdout(),
        "2021/06/rail-strike-talks.md\n2021/06/rail-strike-talks.body.txt\n",
        "{outside:?}"
    );
}
