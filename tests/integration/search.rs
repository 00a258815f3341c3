//! Issue 12: search a journalist can rely on. Word forms, pasted text, query fields, no hidden
//! caps in a pipe, paths of pairs, flat CSV, empty results that speak, snippets, id prefixes.
//! Each test writes its own small archive.

use crate::contract::Hit;
use crate::harness::{article, run_in, Archive};

/// An article from `provider` with its own title, URL, date and body.
fn story(title: &str, url: &str, date: &str, provider: &str, body: &str) -> String {
    format!(
        "---\ntitle: \"{title}\"\nwebUrl: \"{url}\"\npublishedDateTime: {date}\ntype: article\n\
         provider:\n  name: {provider}\n  domain: example.org\ntopics:\n  - Town\n---\n{body}\n"
    )
}

/// A built archive of a few stories about a town.
fn town() -> Archive {
    let archive = Archive::new();
    archive
        .file(
            "2021/06/hospitals.md",
            story(
                "Two hospitals merge",
                "https://news.example.org/2021/hospitals",
                "2021-06-02T10:00:00Z",
                "Dasko Telegraph",
                "The hospitals of the valley will merge next year, officials said.",
            ),
        )
        .file(
            "2021/06/protest.md",
            story(
                "Protesters march on city hall",
                "https://news.example.org/2021/protest",
                "2021-06-05T10:00:00Z",
                "Dasko Telegraph",
                "Hundreds of protesters gathered. Amazon's warehouse workers joined; O'Brien spoke. \
                 \"We don't back down,\" she said.",
            ),
        )
        .file(
            "2021/08/glacier.md",
            story(
                "Long read: a summer on the retreating glacier",
                "https://news.example.org/2021/glacier",
                "2021-08-20T10:00:00Z",
                "Northern Ledger",
                "The ice has pulled back a kilometre since the survey began, and the meltwater lake grows.",
            ),
        )
        .file(
            "2022/pair.md",
            "---\ntitle: \"Council budget vote\"\nwebUrl: \"https://news.example.org/2022/budget\"\n\
             publishedDateTime: 2022-01-10T09:00:00Z\nprovider:\n  name: Northern Ledger\n  domain: ledger.example\n\
             related:\n  - webUrl: https://news.example.org/2021/hospitals\n---\n",
        )
        .file(
            "2022/pair.txt",
            "The council voted on the budget. The vote passed after the mayor spoke.\n",
        );
    archive.run(&["build", "."]).status(0);
    archive
}

fn paths_of(archive: &Archive, args: &[&str]) -> Vec<String> {
    let mut full = args.to_vec();
    full.extend(["--json", "--limit", "0"]);
    let run = archive.run(&full);
    let mut paths: Vec<String> = run.jsonl::<Hit>().into_iter().map(|h| h.path).collect();
    paths.sort();
    paths
}

#[test]
fn word_forms_match_by_stem_prefix_and_edits() {
    let archive = town();
    for query in [
        "hospital",
        "Hospitals",
        "HOSPITAL",
        "\"merge two hospitals\"",
    ] {
        let found = paths_of(&archive, &["search", query]);
        if query.starts_with('"') {
            assert!(found.is_empty(), "{query} is not in that order: {found:?}");
        } else {
            assert_eq!(found, ["2021/06/hospitals.md"], "{query}");
        }
    }
    assert_eq!(
        paths_of(&archive, &["search", "\"two hospital merge\""]),
        ["2021/06/hospitals.md"],
        "a phrase matches word forms in order"
    );
    assert_eq!(
        paths_of(&archive, &["search", "protest"]),
        ["2021/06/protest.md"]
    );
    assert_eq!(
        paths_of(&archive, &["search", "retreat*"]),
        ["2021/08/glacier.md"]
    );
    // `officials` is indexed as `offici`, shorter than the prefix.
    for query in ["officia*", "offici*", "official*"] {
        assert_eq!(
            paths_of(&archive, &["search", query]),
            ["2021/06/hospitals.md"],
            "{query}"
        );
    }
    assert_eq!(
        paths_of(&archive, &["search", "glacer~1"]),
        ["2021/08/glacier.md"]
    );
    archive.run(&["search", "glacer"]).status(1);
    archive.run(&["search", "glcer~1"]).status(1);
    let prefix_phrase = archive.run(&["search", "\"meltwater la\"*", "--json"]);
    prefix_phrase.status(0);
    assert!(!prefix_phrase.stderr().contains("tokenizer"));
}

#[test]
fn pasted_text_never_fails() {
    let archive = town();
    for (query, path) in [
        ("Amazon's", "2021/06/protest.md"),
        ("O'Brien", "2021/06/protest.md"),
        ("don't", "2021/06/protest.md"),
        (
            "Long read: a summer on the retreating glacier",
            "2021/08/glacier.md",
        ),
        ("\"retreating glacier", "2021/08/glacier.md"),
        ("(retreating glacier", "2021/08/glacier.md"),
        ("glacier)", "2021/08/glacier.md"),
        ("summer: glacier", "2021/08/glacier.md"),
        ("retreating:glacier", "2021/08/glacier.md"),
        ("\"protest\"*", "2021/06/protest.md"),
        ("the retreating glacier's", "2021/08/glacier.md"),
        ("glacier’s meltwater", "2021/08/glacier.md"),
        ("\"Amazon's warehouse\"", "2021/06/protest.md"),
    ] {
        assert_eq!(paths_of(&archive, &["search", query]), [path], "{query}");
        let table = archive.run(&["search", query]);
        table.status(0);
        assert!(table.stderr().is_empty(), "{table:?}");
    }
    let unknown = archive.run(&["search", "nosuchfield:glacier"]);
    unknown.status(1);
    assert!(unknown.stderr().starts_with("0 matches for"), "{unknown:?}");
    for query in ["\"", "( )", "-", "\"\"*"] {
        let run = archive.run(&["search", query]);
        run.status(2);
        assert!(run.stderr().contains("nothing to search for"), "{run:?}");
        for internal in ["tokenizer", "ParseIntError", "Syntax Error", "newsidx_"] {
            assert!(!run.stderr().contains(internal), "{run:?}");
        }
    }
}

#[test]
fn url_path_and_links_fields_take_the_value_as_written() {
    let archive = town();
    let one = |query: &str| paths_of(&archive, &["search", query]);
    assert_eq!(
        one("url:https://news.example.org/2021/glacier"),
        ["2021/08/glacier.md"]
    );
    assert_eq!(
        one("url:\"HTTPS://News.Example.org/2021/glacier?utm_source=x#top\""),
        ["2021/08/glacier.md"],
        "any canonical variant"
    );
    assert_eq!(one("path:2021/08/glacier.md"), ["2021/08/glacier.md"]);
    assert_eq!(
        one("path:\"2022/pair.txt\""),
        ["2022/pair.md"],
        "a body file"
    );
    assert_eq!(
        one("links:https://news.example.org/2021/hospitals"),
        ["2022/pair.md"]
    );
    assert_eq!(
        one("glacier OR path:2022/pair.md"),
        ["2021/08/glacier.md", "2022/pair.md"]
    );
    assert_eq!(one("provider:\"northern ledger\" vote"), ["2022/pair.md"]);
    let run = archive.run(&["search", "path:nowhere.md"]);
    run.status(1);
    assert!(!run.stderr().contains("ParseIntError"), "{run:?}");
}

/// An archive of `n` articles that all say "harbour".
fn many(n: usize) -> Archive {
    let archive = Archive::new();
    for i in 0..n {
        archive.file(
            &format!("a/{i:03}.md"),
            article(
                &format!("Harbour report {i}"),
                &format!("https://harbour.example/{i}"),
                "2021-03-04T05:06:07Z",
                &["Sea"],
                "The harbour was busy.",
            ),
        );
    }
    archive.run(&["build", "."]).status(0);
    archive
}

#[test]
fn pipes_get_every_match_and_the_table_says_when_cut() {
    let archive = many(45);
    let jsonl = archive.run(&["search", "harbour", "--json"]);
    assert_eq!(jsonl.jsonl::<Hit>().len(), 45);
    let json = archive.run(&["search", "harbour", "--format", "json"]);
    assert_eq!(json.json::<Vec<Hit>>().len(), 45);
    let csv = archive.run(&["search", "harbour", "--format", "csv"]);
    assert_eq!(csv.stdout().lines().count(), 46, "a header and 45 rows");
    let paths = archive.run(&["search", "harbour", "--format", "paths"]);
    assert_eq!(paths.stdout().lines().count(), 45);
    let limited = archive.run(&["search", "harbour", "--json", "--limit", "7"]);
    assert_eq!(limited.jsonl::<Hit>().len(), 7);
    let sorted = archive.run(&["search", "harbour", "--format", "paths", "--sort", "-date"]);
    assert_eq!(sorted.stdout().lines().count(), 45);
    let table = archive.run(&["search", "harbour"]);
    table.status(0);
    let stdout = table.stdout();
    assert_eq!(
        stdout
            .lines()
            .filter(|l| l.contains("Harbour report"))
            .count(),
        20
    );
    assert!(stdout.contains("20 of 45 matches shown"), "{table:?}");
    let all = archive.run(&["search", "harbour", "--limit", "0"]);
    assert_eq!(
        all.stdout()
            .lines()
            .filter(|l| l.contains("Harbour report"))
            .count(),
        45
    );
}

/// Stories that rank differently for `harbour` (one to five mentions), on four dates, one
/// undated, several alike in score and date, written in an order that is neither.
fn ranked() -> Archive {
    let archive = Archive::new();
    for i in 0..30 {
        let date = [
            "2020-01-01T00:00:00Z",
            "2023-05-06T07:08:09Z",
            "2021-02-03T04:05:06Z",
        ][i % 3];
        let body = format!(
            "{} The quay was quiet.",
            "The harbour was busy. ".repeat(i % 5 + 1)
        );
        let text = article(
            &format!("Report {i}"),
            &format!("https://port.example/{i}"),
            date,
            &["Sea"],
            &body,
        );
        let text = if i == 7 {
            text.replace(&format!("publishedDateTime: {date}\n"), "")
        } else {
            text
        };
        archive.file(&format!("{}/{i}.md", ["c", "a", "b"][i % 3]), text);
    }
    archive.run(&["build", "."]).status(0);
    archive
}

#[test]
fn every_format_and_limit_give_one_order() {
    let archive = ranked();
    let paths = |args: &[&str]| -> Vec<String> {
        let run = archive.run(args);
        run.status(0);
        run.stdout().lines().map(str::to_owned).collect()
    };
    // Relevance: best first, equal scores in path order, the same with or without a limit.
    let hits: Vec<Hit> = archive
        .run(&["search", "harbour", "--json"])
        .status(0)
        .jsonl();
    assert_eq!(hits.len(), 30);
    let scores: Vec<f64> = hits.iter().map(|h| h.score.unwrap_or(f64::NAN)).collect();
    assert!(scores.windows(2).all(|w| w[0] >= w[1]), "{scores:?}");
    for pair in hits.windows(2) {
        if pair[0].score == pair[1].score {
            assert!(
                pair[0].path < pair[1].path,
                "{} {}",
                pair[0].path,
                pair[1].path
            );
        }
    }
    let by_score: Vec<String> = hits.iter().map(|h| h.path.clone()).collect();
    assert_eq!(paths(&["search", "harbour", "--format", "paths"]), by_score);
    assert_eq!(
        paths(&["search", "harbour", "--format", "paths", "--limit", "0"]),
        by_score
    );
    assert_eq!(
        paths(&["search", "harbour", "--format", "paths", "-n", "4"]),
        by_score[..4]
    );
    let page = paths(&["search", "harbour", "--format", "paths", "--offset", "25"]);
    assert_eq!(page, by_score[25..]);
    // No query: newest first, the undated record last, equal dates in path order.
    let newest: Vec<Hit> = archive.run(&["search", "--json"]).status(0).jsonl();
    let dates: Vec<Option<String>> = newest.iter().map(|h| h.date.clone()).collect();
    assert_eq!(dates[0].as_deref(), Some("2023-05-06T07:08:09Z"));
    assert_eq!(newest[29].path, "a/7.md", "{dates:?}");
    let by_date: Vec<String> = newest.iter().map(|h| h.path.clone()).collect();
    assert_eq!(by_date[..3], ["a/1.md", "a/10.md", "a/13.md"]);
    assert_eq!(
        paths(&["search", "--format", "paths", "-n", "3"]),
        by_date[..3]
    );
    // Limits and offsets past every record are fine, not an allocation of their size.
    let huge = "18446744073709551615";
    for args in [
        &["search", "harbour", "--limit", huge][..],
        &["search", "--sort", "date", "--limit", huge],
        &["similar", "a/1.md", "--limit", huge],
        &["dups", "--limit", huge],
        &["facets", "topic", "--limit", huge],
        &["timeline", "--split", "topic", "--limit", huge],
    ] {
        let run = archive.run(args);
        run.no_panic();
        assert!(run.code() < 2, "{args:?} {run:?}");
    }
    let past = archive.run(&["search", "--offset", "1000000000000", "--limit", "5"]);
    past.status(1);
    assert!(past.stderr().contains("none from --offset"), "{past:?}");
}

#[test]
fn paths_print_both_files_of_a_pair_from_one_base() {
    let archive = town();
    let paths = archive.run(&["search", "budget", "--format", "paths"]);
    paths.status(0);
    assert_eq!(paths.stdout(), "2022/pair.md\n2022/pair.txt\n");
    let nul = archive.run(&["search", "budget", "--format", "paths", "-0"]);
    assert_eq!(
        nul.stdout(),
        "2022/pair.md\0".to_owned() + "2022/pair.txt\0"
    );
    // From a subfolder, every format gives paths relative to it.
    let sub = archive.path().join("2021");
    let from_sub = run_in(
        &sub,
        &[
            "search",
            "budget OR glacier",
            "--format",
            "paths",
            "--sort",
            "date",
        ],
    );
    assert_eq!(
        from_sub.stdout(),
        "08/glacier.md\n../2022/pair.md\n../2022/pair.txt\n"
    );
    let json = run_in(&sub, &["search", "budget", "--json"]);
    let hits: Vec<Hit> = json.jsonl();
    assert_eq!(hits[0].path, "../2022/pair.md");
    let csv = run_in(
        &sub,
        &[
            "search",
            "budget",
            "--format",
            "csv",
            "--fields",
            "path,body_path",
        ],
    );
    assert_eq!(
        csv.stdout(),
        "path,body_path\n../2022/pair.md,../2022/pair.txt\n"
    );
    for path in from_sub.stdout().lines() {
        assert!(sub.join(path).is_file(), "{path}");
    }
}

#[test]
fn csv_is_flat_and_dotted_fields_work_everywhere() {
    let archive = town();
    let csv = archive.run(&["search", "glacier", "--format", "csv"]);
    csv.status(0);
    let mut reader = csv::Reader::from_reader(csv.output.stdout.as_slice());
    let header: Vec<String> = reader.headers().unwrap().iter().map(String::from).collect();
    assert!(header.contains(&"provider_name".to_owned()), "{header:?}");
    assert!(header.contains(&"provider_domain".to_owned()), "{header:?}");
    assert!(!header.contains(&"provider".to_owned()), "{header:?}");
    let row = reader.records().next().unwrap().unwrap();
    let cell = |name: &str| row[header.iter().position(|h| h == name).unwrap()].to_owned();
    assert_eq!(cell("provider_name"), "Northern Ledger");
    assert_eq!(cell("topics"), "Town");
    let dotted = archive.run(&[
        "search",
        "glacier",
        "--json",
        "--fields",
        "title,provider.name",
    ]);
    let value: serde_json::Value = serde_json::from_str(dotted.stdout().trim()).unwrap();
    assert_eq!(value["provider.name"], "Northern Ledger");
    let csv = archive.run(&[
        "search",
        "glacier",
        "--format",
        "csv",
        "--fields",
        "provider.name",
    ]);
    assert_eq!(csv.stdout(), "provider.name\nNorthern Ledger\n");
    let table = archive.run(&["search", "glacier", "--fields", "id,provider.name"]);
    assert!(table.stdout().contains("Northern Ledger"), "{table:?}");
    archive
        .run(&["search", "glacier", "--json", "--fields", "provider.nosuch"])
        .status(2);
    // A front-matter key only the second row has; a space after the comma.
    let csv = archive.run(&[
        "search",
        "--format",
        "csv",
        "--sort",
        "date",
        "--fields",
        "path, meta.webUrl",
        "-n",
        "2",
    ]);
    assert_eq!(
        csv.stdout(),
        "path,meta.webUrl\n2021/06/hospitals.md,https://news.example.org/2021/hospitals\n\
         2021/06/protest.md,https://news.example.org/2021/protest\n"
    );
    let shown = archive.run(&["show", "2021/08/glacier.md", "--format", "csv"]);
    let header = shown.stdout().lines().next().unwrap_or_default().to_owned();
    assert!(header.contains("provider_name,provider_domain"), "{header}");
    let table = archive.run(&["search", "glacier", "--fields", "title,snippet"]);
    let lines = table.stdout().lines().count();
    assert_eq!(lines, 2, "a header and one row, no snippet line: {table:?}");
}

#[test]
fn empty_results_speak_on_stderr() {
    let archive = town();
    let typo = archive.run(&["search", "glaicer"]);
    typo.status(1);
    assert_eq!(typo.stdout(), "");
    assert!(
        typo.stderr().contains("0 matches for `glaicer`"),
        "{typo:?}"
    );
    assert!(
        typo.stderr().contains("did you mean `glacier`?"),
        "{typo:?}"
    );
    // A lone letter (the `d` of a pasted `D'Arcy`) gets no guess: any letter is one edit away.
    let name = archive.run(&["search", "D'Arcy"]);
    name.status(1);
    assert!(
        name.stderr().contains("no record has the word `d`")
            && !name.stderr().contains("did you mean"),
        "{name:?}"
    );
    let provider = archive.run(&["search", "vote", "--provider", "Dasko"]);
    provider.status(1);
    assert!(
        provider.stderr().contains(
            "`--provider Dasko` alone matches no record; did you mean `Dasko Telegraph`?"
        ),
        "{provider:?}"
    );
    let both = archive.run(&["search", "glacier", "--provider", "Dasko Telegraph"]);
    both.status(1);
    assert!(
        both.stderr().contains("none of them within the filters"),
        "{both:?}"
    );
    let quiet = archive.run(&["-q", "search", "glaicer"]);
    quiet.status(1);
    assert_eq!(quiet.stderr(), "");
    let json = archive.run(&["search", "glaicer", "--json"]);
    json.status(1);
    assert_eq!(
        (json.stdout(), json.stderr()),
        (String::new(), String::new())
    );
}

#[test]
fn empty_results_name_the_date_flag_as_given() {
    let archive = town();
    for (flag, value) in [
        ("--since", "2030"),
        ("--date", "2013"),
        ("--until", "2001-05"),
    ] {
        let run = archive.run(&["search", "glacier", flag, value]);
        run.status(1);
        assert!(
            run.stderr()
                .contains(&format!("`{flag} {value}` alone matches no record")),
            "{run:?}"
        );
    }
    // Each matches alone; their days do not meet.
    let apart = archive.run(&["search", "--since", "2021-06-03", "--date", "2021-06-02"]);
    apart.status(1);
    assert!(
        apart
            .stderr()
            .contains("`--since 2021-06-03 --date 2021-06-02` together match no record"),
        "{apart:?}"
    );
    let kind = archive.run(&["search", "--kind", "body"]);
    kind.status(1);
    assert!(
        kind.stderr()
            .contains("`--kind body` alone matches no record"),
        "{kind:?}"
    );
}

#[test]
fn an_empty_index_says_so_not_that_filters_match_nothing() {
    let archive = Archive::new();
    archive.run(&["build", "."]).status(0);
    let plain = archive.run(&["search"]);
    plain.status(1);
    assert_eq!(
        plain.stderr().trim_end(),
        "0 matches: the index has no records",
        "{plain:?}"
    );
    let filtered = archive.run(&["search", "--topic", "x"]);
    filtered.status(1);
    assert!(
        filtered.stderr().contains("the index has no records"),
        "{filtered:?}"
    );
}

#[test]
fn snippets_fit_the_width_and_centre_on_the_hit() {
    let archive = Archive::new();
    let filler = "Words about nothing in particular fill this opening paragraph. ".repeat(6);
    archive.file(
        "long.md",
        article(
            "A long one",
            "https://long.example/1",
            "2021-01-01T00:00:00Z",
            &["X"],
            &format!("{filler} The turbine failed at dawn. {filler} the the the"),
        ),
    );
    archive.run(&["build", "."]).status(0);
    let run = crate::harness::newsidx(archive.path())
        .env("COLUMNS", "80")
        .args(["search", "turbine"])
        .output()
        .unwrap();
    let stdout = String::from_utf8(run.stdout).unwrap();
    let snippet = stdout.lines().nth(2).unwrap();
    assert!(snippet.contains("turbine"), "{stdout}");
    assert!(unicode_width(snippet) <= 80, "{snippet}");
    let at = snippet.find("turbine").unwrap();
    assert!((20..60).contains(&at), "centred: {snippet}");
    let phrase = archive.run(&["search", "\"the turbine\"", "--color", "always"]);
    let marked = phrase.stdout().matches("\u{1b}[1;31m").count();
    assert_eq!(
        marked, 1,
        "only the phrase is marked, not every `the`: {phrase:?}"
    );
}

fn unicode_width(text: &str) -> usize {
    text.chars().count()
}

/// Two URLs whose record ids share their first six hex digits (found by trying; about 5,000
/// tries by the birthday bound).
fn colliding_urls() -> (String, String) {
    use newsidx::record::identity::{canonical_url, record_id};
    let mut seen = std::collections::HashMap::new();
    for i in 0.. {
        let url = format!("https://collide.example/{i}");
        let id = record_id(&canonical_url(&url).unwrap());
        if let Some(other) = seen.insert(id[..6].to_owned(), url.clone()) {
            return (other, url);
        }
    }
    unreachable!("the loop returns")
}

#[test]
fn id_prefixes_work_as_in_git() {
    let archive = Archive::new();
    let (first, second) = colliding_urls();
    for (i, url) in [&first, &second].into_iter().enumerate() {
        archive.file(
            &format!("{i}.md"),
            article(
                &format!("Twin {i}"),
                url,
                "2021-03-04T05:06:07Z",
                &["X"],
                "Twins.",
            ),
        );
    }
    archive.run(&["build", "."]).status(0);
    let hits: Vec<Hit> = archive.run(&["search", "twins", "--json"]).jsonl();
    let (a, b) = (&hits[0].id, &hits[1].id);
    assert_eq!(a[..6], b[..6]);
    let unique = (6..16).find(|&n| a[..n] != b[..n]).unwrap();
    let shown = archive.run(&["show", &a[..unique], "--json"]);
    shown.status(0);
    assert!(shown.stdout().contains(a.as_str()), "{shown:?}");
    let upper = archive.run(&["show", &a[..unique].to_uppercase(), "--json"]);
    upper.status(0);
    archive.run(&["related", &a[..unique]]).no_panic();
    let ambiguous = archive.run(&["show", &a[..6]]);
    ambiguous.status(2);
    let stderr = ambiguous.stderr();
    assert!(
        stderr.contains("ambiguous") && stderr.contains(a.as_str()) && stderr.contains(b.as_str()),
        "{ambiguous:?}"
    );
    archive.run(&["related", &a[..6]]).status(2);
    archive.run(&["show", &a[..5]]).status(1);
}

#[test]
fn timeline_lists_every_period_and_splits_into_series() {
    let archive = town();
    archive.file(
        "undated.md",
        "---\ntitle: \"Undated glacier note\"\nprovider:\n  name: Northern Ledger\n---\nIce.\n",
    );
    archive.run(&["build", "."]).status(0);
    let months: Vec<serde_json::Value> = archive
        .run(&["timeline", "--by", "month", "--json"])
        .jsonl();
    let periods: Vec<(&str, u64)> = months
        .iter()
        .map(|m| (m["period"].as_str().unwrap(), m["count"].as_u64().unwrap()))
        .collect();
    assert_eq!(periods.len(), 8, "2021-06 to 2022-01: {periods:?}");
    assert_eq!(periods[0], ("2021-06", 2));
    assert_eq!(periods[1], ("2021-07", 0));
    assert_eq!(periods[2], ("2021-08", 1));
    assert_eq!(periods[7], ("2022-01", 1));
    let table = archive.run(&["timeline", "--by", "month"]);
    table.status(0);
    assert!(
        table.stdout().contains("1 matching records have no date"),
        "{table:?}"
    );
    assert!(table.stdout().contains("2021-07      0"), "{table:?}");

    let split = archive.run(&["timeline", "--by", "year", "--split", "provider", "--json"]);
    split.status(0);
    let rows: Vec<serde_json::Value> = split.jsonl();
    let triples: Vec<(&str, &str, u64)> = rows
        .iter()
        .map(|r| {
            assert_eq!(r.as_object().unwrap().len(), 3, "{r}");
            (
                r["period"].as_str().unwrap(),
                r["value"].as_str().unwrap(),
                r["count"].as_u64().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        triples,
        [
            ("2021", "Dasko Telegraph", 2),
            ("2021", "Northern Ledger", 1),
            ("2022", "Dasko Telegraph", 0),
            ("2022", "Northern Ledger", 1),
        ]
    );
    let top = archive.run(&[
        "timeline", "--by", "year", "--split", "provider", "--limit", "1", "--json",
    ]);
    let top: Vec<serde_json::Value> = top.jsonl();
    // A tie at two records goes to the first name; its series spans its own years.
    assert_eq!(top.len(), 1, "{top:?}");
    assert_eq!(top[0]["value"], "Dasko Telegraph");
    let grouped = archive.run(&["timeline", "--by", "year", "--split", "provider"]);
    let stdout = grouped.stdout();
    assert!(stdout.starts_with("PERIOD  VALUE"), "{grouped:?}");
    assert_eq!(
        stdout.lines().filter(|l| l.starts_with("2021")).count(),
        1,
        "{grouped:?}"
    );
    archive
        .run(&["timeline", "--split", "domain", "--json"])
        .status(0);
}

#[test]
fn tags_are_a_query_field_a_split_and_a_hint() {
    let archive = town();
    archive.file(
        "2022/tagged.md",
        "---\ntitle: \"Ferry timetable changes\"\npublishedDateTime: 2022-03-01T08:00:00Z\n\
         tags:\n  - Transport\n  - Winter Service\n---\nThe ferry sails twice a day.\n",
    );
    archive.run(&["build", "."]).status(0);
    assert_eq!(
        paths_of(&archive, &["search", "tag:\"winter service\""]),
        ["2022/tagged.md"]
    );
    assert_eq!(
        paths_of(&archive, &["search", "ferry tag:transport"]),
        ["2022/tagged.md"]
    );
    let split: Vec<serde_json::Value> = archive
        .run(&["timeline", "--by", "year", "--split", "tag", "--json"])
        .jsonl();
    assert!(
        split
            .iter()
            .any(|r| r["period"] == "2022" && r["value"] == "Winter Service" && r["count"] == 1),
        "{split:?}"
    );
    let hint = archive.run(&["search", "ferry", "--tag", "winter"]);
    hint.status(1);
    assert!(
        hint.stderr().contains("did you mean `Winter Service`?"),
        "{hint:?}"
    );
}

#[cfg(unix)]
#[test]
fn a_name_that_is_not_utf8_comes_out_as_its_bytes() {
    use std::os::unix::ffi::OsStrExt;
    let archive = Archive::new();
    archive.file(
        "misc/plain.md",
        article(
            "Plain",
            "https://x.example/p",
            "2021-01-01T00:00:00Z",
            &["X"],
            "A harbour.",
        ),
    );
    // A lighthouse story under a name that is not UTF-8, in `misc/`.
    let odd_story = |name: &'static [u8], title: &str, day: u32| {
        let text = article(
            title,
            &format!("https://x.example/{day}"),
            &format!("2021-01-0{day}T00:00:00Z"),
            &["X"],
            "A lighthouse.",
        );
        let name = std::ffi::OsStr::from_bytes(name);
        std::fs::write(archive.path().join("misc").join(name), text).unwrap();
        name
    };
    let name = odd_story(b"latin1-\xe9.md", "Odd name", 2);
    archive.run(&["build", "."]).status(0);
    // As xargs needs it: the file's own bytes, from the root and from inside the archive.
    for (cwd, expected) in [
        (archive.path().to_path_buf(), &b"misc/latin1-\xe9.md\n"[..]),
        (archive.path().join("misc"), &b"latin1-\xe9.md\n"[..]),
    ] {
        let out = crate::harness::newsidx(&cwd)
            .args(["search", "lighthouse", "--format", "paths"])
            .output()
            .unwrap();
        assert_eq!(
            out.stdout,
            expected,
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
    }
    let shown = crate::harness::newsidx(&archive.path().join("misc"))
        .arg("show")
        .arg(name)
        .arg("--json")
        .output()
        .unwrap();
    assert_eq!(shown.status.code(), Some(0), "{shown:?}");
    let record: serde_json::Value = serde_json::from_slice(&shown.stdout).unwrap();
    assert_eq!(record["title"], "Odd name");
    // A name that differs from it only in a byte that is not UTF-8 is another record.
    odd_story(b"latin1-\xe8.md", "Twin", 3);
    archive.run(&["build", "."]).status(0);
    let hits: Vec<Hit> = archive
        .run(&["search", "lighthouse", "--json"])
        .status(0)
        .jsonl();
    let mut paths: Vec<&str> = hits.iter().map(|h| h.path.as_str()).collect();
    paths.sort();
    assert_eq!(paths, ["misc/latin1-\\xE8.md", "misc/latin1-\\xE9.md"]);
}

#[test]
fn facets_pipes_have_no_hidden_cap_and_empty_tables_speak() {
    let archive = Archive::new();
    for i in 0..25 {
        archive.file(
            &format!("t/{i}.md"),
            article(
                &format!("Story {i}"),
                &format!("https://t.example/{i}"),
                "2021-03-04T05:06:07Z",
                &[&format!("Topic {i}")],
                "Words.",
            ),
        );
    }
    archive.run(&["build", "."]).status(0);
    let json = archive.run(&["facets", "topic", "--json"]);
    assert_eq!(json.jsonl::<serde_json::Value>().len(), 25, "{json:?}");
    let table = archive.run(&["facets", "topic"]).status(0).stdout();
    assert!(table.contains("20 of 25 values shown"), "{table}");
    let limited = archive.run(&["facets", "topic", "--json", "-n", "3"]);
    assert_eq!(limited.jsonl::<serde_json::Value>().len(), 3);
    for (args, says) in [
        (&["facets", "tag"][..], "no matching record has a tag"),
        (&["timeline", "zzzqqq"], "0 periods"),
        (&["related", "t/1.md"], "0 links"),
    ] {
        let run = archive.run(args);
        run.status(1);
        assert!(run.stderr().contains(says), "{args:?} {run:?}");
    }
}
