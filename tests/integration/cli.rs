//! The command line itself: help, version, and flags every command shares.

use crate::harness::Archive;

#[test]
fn help_and_version() {
    let archive = Archive::new();
    let help = archive.run(&["--help"]);
    help.status(0);
    for command in [
        "build", "search", "show", "facets", "timeline", "stats", "export",
    ] {
        assert!(help.stdout().contains(command), "{help:?}");
        let sub = archive.run(&[command, "--help"]);
        sub.status(0);
        assert!(sub.stdout().contains("Examples:"), "{sub:?}");
    }
    let version = archive.run(&["--version"]);
    version.status(0);
    assert!(version.stdout().starts_with("newsidx "));
    archive.run(&["frobnicate"]).status(2);
}

#[test]
fn color_follows_flags_and_no_color() {
    let archive = Archive::fixtures();
    archive.run(&["build", "."]).status(0);
    let always = archive.run(&["search", "arbitration", "--color", "always"]);
    assert!(always.stdout().contains("\u{1b}["), "{always:?}");
    let never = archive.run(&["search", "arbitration", "--color", "never"]);
    assert!(!never.stdout().contains('\u{1b}'));
    let no_color = crate::harness::newsidx(archive.path())
        .env("NO_COLOR", "1")
        .env("CLICOLOR_FORCE", "1")
        .args(["search", "arbitration"])
        .output()
        .unwrap();
    assert!(!String::from_utf8_lossy(&no_color.stdout).contains('\u{1b}'));
    let forced = crate::harness::newsidx(archive.path())
        .env("CLICOLOR_FORCE", "1")
        .args(["search", "arbitration"])
        .output()
        .unwrap();
    assert!(String::from_utf8_lossy(&forced.stdout).contains('\u{1b}'));
}

#[test]
fn quiet_build_prints_only_errors() {
    let archive = Archive::fixtures();
    let run = archive.run(&["build", ".", "-q"]);
    run.status(0);
    let stderr = run.stderr();
    assert!(stderr.contains("broken/unclosed.md:1:1:"));
    assert!(!stderr.contains("warning"), "{run:?}");
    assert!(!stderr.contains("files seen"), "{run:?}");
}

#[test]
fn table_fits_columns() {
    let archive = Archive::fixtures();
    archive.run(&["build", "."]).status(0);
    let narrow = crate::harness::newsidx(archive.path())
        .env("COLUMNS", "60")
        .args(["search", "--limit", "5"])
        .output()
        .unwrap();
    let text = String::from_utf8(narrow.stdout).unwrap();
    for line in text.lines().take(6) {
        assert!(unicode_width(line) <= 60, "{line:?} is wider than 60");
    }
}

#[test]
fn narrow_tables_keep_ids_and_dates_whole_and_give_the_title_room_first() {
    let archive = Archive::new();
    let front = |title: &str, provider: &str, day: &str| {
        format!(
            "---\ntitle: \"{title}\"\npublishedDateTime: 2021-05-{day}T00:00:00Z\n\
             provider:\n  name: \"{provider}\"\n---\nwater body\n"
        )
    };
    let long_provider = "The International Consortium of Investigative Journalists";
    let long_title = "Plain ascii title that is long enough to need cutting somewhere";
    archive
        .file("a.md", front("Short title here", long_provider, "07"))
        .file("b.md", front(long_title, "Reuters", "06"));
    archive.run(&["build", "."]).status(0);
    let ids: Vec<String> = archive
        .run(&["search", "--json", "--fields", "id"])
        .jsonl::<serde_json::Value>()
        .iter()
        .map(|v| v["id"].as_str().unwrap().to_owned())
        .collect();
    let table = |columns: &str| {
        let out = crate::harness::newsidx(archive.path())
            .env("COLUMNS", columns)
            .args(["search", "--sort", "-date"])
            .output()
            .unwrap();
        String::from_utf8(out.stdout).unwrap()
    };
    let wide = table("80");
    assert!(wide.contains("Short title here\n"), "{wide}");
    assert!(
        !wide.contains(long_provider),
        "the provider gives way: {wide}"
    );
    for columns in ["80", "50"] {
        let text = table(columns);
        for id in &ids {
            assert!(
                text.contains(id.as_str()),
                "{id} is whole at {columns}: {text}"
            );
        }
        assert!(
            text.contains("2021-05-07") && text.contains("2021-05-06"),
            "{text}"
        );
        for line in text.lines().take(3) {
            assert!(unicode_width(line) <= columns.parse().unwrap(), "{line:?}");
        }
    }
}

#[test]
fn show_wraps_to_the_terminal_and_cuts_nothing() {
    let archive = Archive::new();
    let url = "https://news.example/2023/10/a-very-long-address-for-one-story-that-goes-on/";
    let excerpt =
        "Scientists camped on the ice for eleven weeks to measure how fast it is thinning.";
    let body = "The camp sat on a moraine ridge, two hours' walk from the snout of the glacier, \
                and every morning the team drilled stakes into the ice.";
    archive.file(
        "glacier.md",
        format!(
            "---\ntitle: Glacier\nexcerpt: \"{excerpt}\"\nwebUrl: \"{url}\"\n\
             publishedDateTime: 2023-10-02T05:00:00Z\n---\n{body}\n"
        ),
    );
    archive.run(&["build", "."]).status(0);
    let shown = crate::harness::newsidx(archive.path())
        .env("COLUMNS", "50")
        .args(["show", "glacier.md"])
        .output()
        .unwrap();
    let text = String::from_utf8(shown.stdout).unwrap();
    assert!(!text.contains('…'), "nothing is cut: {text}");
    assert!(
        text.lines().any(|l| l.ends_with(url)),
        "the URL stays whole: {text}"
    );
    for line in text.lines().filter(|l| !l.contains(url)) {
        assert!(unicode_width(line) <= 50, "{line:?} is wider than 50");
    }
    let words = |t: &str| t.split_whitespace().map(str::to_owned).collect::<Vec<_>>();
    let printed = words(&text);
    for word in words(excerpt).iter().chain(&words(body)) {
        assert!(printed.contains(word), "{word} is missing: {text}");
    }
}

fn unicode_width(line: &str) -> usize {
    line.chars().count()
}

#[test]
fn verbose_prints_phases_and_counts() {
    let archive = Archive::fixtures();
    let run = archive.run(&["build", ".", "-v"]);
    run.status(0);
    assert!(run.stderr().contains("read, parse, index:"), "{run:?}");
    let search = archive.run(&["search", "strike", "-v"]);
    search.status(0);
    assert!(search.stderr().contains("2 matches in"), "{search:?}");
}

#[test]
fn bidi_and_escapes_in_titles_and_paths_are_escaped_in_tables() {
    let archive = Archive::new();
    archive.file(
        "evil\u{202e}gpj.md",
        "---\ntitle: \"Safe \\u202Eevil\\e]0;pwned\\a title\"\n---\nbidibody \u{1b}[2J\n",
    );
    archive.run(&["build", "."]).status(0);
    for args in [
        &["search", "bidibody", "--fields", "path,title"][..],
        &["show", "evil\u{202e}gpj.md"],
        &["facets", "type"],
    ] {
        let run = archive.run(args);
        let out = run.stdout();
        assert!(
            !out.contains('\u{202e}') && !out.contains('\u{1b}') && !out.contains('\u{7}'),
            "{run:?}"
        );
    }
    let table = archive
        .run(&["search", "bidibody", "--fields", "path,title"])
        .stdout();
    assert!(table.contains("\\u{202e}"), "{table}");
    let json = archive
        .run(&["search", "bidibody", "--json", "--fields", "title"])
        .stdout();
    assert!(
        json.contains("\\u001b") && json.contains('\u{202e}'),
        "JSON escapes control characters only: {json}"
    );
}

#[test]
fn a_newline_in_a_file_name_is_escaped_in_tables_and_raw_in_pipes() {
    let archive = Archive::new();
    archive
        .file("new\nline.md", "---\ntitle: newline name\n---\nnamebody\n")
        .file("tab\tname.md", "---\ntitle: tab name\n---\nnamebody\n");
    archive.run(&["build", "."]).status(0);
    let table = archive
        .run(&["search", "namebody", "--fields", "path,title"])
        .status(0)
        .stdout();
    assert!(
        table.contains("new\\x0aline.md") && table.contains("tab\\x09name.md"),
        "{table}"
    );
    assert!(!table.contains("new line.md"), "{table}");
    let shown = archive.run(&["show", "new\nline.md"]).status(0).stdout();
    assert!(
        shown
            .lines()
            .any(|l| l.starts_with("path") && l.ends_with("new\\x0aline.md")),
        "{shown}"
    );
    // Piped, `paths` is the real name, for xargs -0.
    let paths = archive
        .run(&["search", "namebody", "--format", "paths", "-0"])
        .status(0)
        .stdout();
    let mut names: Vec<&str> = paths.split_terminator('\0').collect();
    names.sort_unstable();
    assert_eq!(names, ["new\nline.md", "tab\tname.md"], "{paths:?}");
}
