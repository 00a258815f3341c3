//! Golden files: `--help` of newsidx and of every command, and one table, compared byte for
//! byte with `tests/golden/`. After a deliberate change, regenerate them and review the diff:
//! `UPDATE_EXPECT=1 cargo test --test integration golden`.

use expect_test::expect_file;

use crate::harness::Archive;

/// Every subcommand (`help` prints the same as `--help`).
const COMMANDS: [&str; 12] = [
    "build",
    "search",
    "show",
    "facets",
    "timeline",
    "stats",
    "related",
    "export",
    "dups",
    "similar",
    "completions",
    "man",
];

#[test]
fn help_of_newsidx_and_of_every_command() {
    let archive = Archive::new();
    let top = archive.run(&["--help"]);
    top.status(0);
    expect_file!["../golden/help.txt"].assert_eq(&top.stdout());
    for command in COMMANDS {
        let help = archive.run(&[command, "--help"]);
        help.status(0);
        expect_file![format!("../golden/help-{command}.txt")].assert_eq(&help.stdout());
    }
}

#[test]
fn a_facets_table_at_100_columns() {
    let archive = Archive::fixtures();
    archive.run(&["build", "-q", "."]).status(0);
    let table = archive.run(&["facets", "topic", "--color", "never"]);
    table.status(0);
    expect_file!["../golden/facets-topic.txt"].assert_eq(&table.stdout());
}
