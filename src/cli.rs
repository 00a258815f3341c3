//! Every clap type of the command line, and nothing else: `Cli` (global flags), the `Command`
//! enum, one `Args` struct per command, and the shared `FilterArgs` / `OutputArgs`.
//! Commands turn these into plain values before any stage sees them.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand, ValueEnum};

/// Index a folder of news articles, then search it by text, topic, provider, date or links.
#[derive(Debug, Parser)]
#[command(name = "newsidx", version, about, max_term_width = 100)]
#[command(
    after_help = "Examples:\n  newsidx build ~/news\n  newsidx search 'surveillance amazon' --limit 5\n  newsidx show e81de375007907f1 --json | jq .title"
)]
pub struct Cli {
    #[command(flatten)]
    pub global: GlobalArgs,

    #[command(subcommand)]
    pub command: Command,
}

/// Flags every command accepts.
#[derive(Debug, Args, Clone)]
pub struct GlobalArgs {
    /// Index folder [default: the nearest .newsidx here or above; for build, DIR/.newsidx]
    #[arg(long, global = true, value_name = "PATH", env = "NEWSIDX_INDEX")]
    pub index: Option<PathBuf>,

    /// When to colour table output
    #[arg(long, global = true, value_enum, default_value_t = ColorChoice::Auto)]
    pub color: ColorChoice,

    /// Print no progress or summary on stderr (errors are still printed)
    #[arg(short, long, global = true)]
    pub quiet: bool,

    /// Print more detail on stderr (build phases and timings, match counts)
    #[arg(short, long, global = true, action = clap::ArgAction::Count)]
    pub verbose: u8,
}

/// `--color` values.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ColorChoice {
    Auto,
    Always,
    Never,
}

/// The commands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Index an archive folder (incremental: only changed files are read again)
    #[command(
        after_help = "Examples:\n  newsidx build ~/news\n  newsidx build --rebuild --json | jq .seconds\n  newsidx build ~/news --strict --ext md,txt"
    )]
    Build(BuildArgs),

    /// Full-text search over title, excerpt and body
    #[command(
        after_help = "Examples:\n  newsidx search amazon surveillance\n  newsidx search '\"facial recognition\" -ring' --topic AI --since 2021\n  newsidx search --provider 'The Daily Dot' --sort -date --json | jq -r .url"
    )]
    Search(SearchArgs),

    /// Print one record, with its body, by id, URL or path
    #[command(
        after_help = "Examples:\n  newsidx show e81de375007907f1\n  newsidx show https://www.dailydot.com/debug/civil-rights-amazon/ --json\n  newsidx show 2021/06/amazon.md"
    )]
    Show(ShowArgs),

    /// Count records per topic, tag, provider, domain, category, type, year or month
    #[command(
        after_help = "Examples:\n  newsidx facets topic --limit 10\n  newsidx facets provider climate --since 2021\n  newsidx facets year --json"
    )]
    Facets(FacetsArgs),

    /// Count records per year, month, week or day, drawn as a bar chart
    #[command(
        after_help = "Examples:\n  newsidx timeline --by month\n  newsidx timeline election --by week --since 2020-09 --until 2020-11"
    )]
    Timeline(TimelineArgs),

    /// Summary of the index: records, date range, topics, providers, size, last build
    #[command(after_help = "Examples:\n  newsidx stats\n  newsidx stats --json | jq .records")]
    Stats(StatsArgs),

    /// An article's related links: outgoing, incoming and co-cited, or a Graphviz graph
    #[command(
        after_help = "Examples:\n  newsidx related e81de375007907f1\n  newsidx related https://www.reuters.com/world/some-story/ --json\n  newsidx related 2021/06/amazon.md --format dot --depth 2 | dot -Tsvg > story.svg"
    )]
    Related(RelatedArgs),

    /// Every matching record as JSON lines, body included (streams)
    #[command(
        after_help = "Examples:\n  newsidx export > archive.jsonl\n  newsidx export --topic AI --since 2021 | jq -r .title\n  newsidx export --format quickwit | quickwit index ingest --index newsidx --input-path -\n  newsidx export --format elasticsearch | curl -H 'Content-Type: application/x-ndjson' -XPOST localhost:9200/_bulk --data-binary @-"
    )]
    Export(ExportArgs),

    /// Clusters of copies of one story: the same text under other URLs, new headlines,
    /// rewrites, truncated or padded copies
    #[command(
        after_help = "Examples:\n  newsidx dups\n  newsidx dups election --since 2020 --threshold 0.6\n  newsidx dups --json | jq -r '.members[].path'"
    )]
    Dups(DupsArgs),

    /// The articles most like one record (tf-idf terms of its title and body, topics boosted)
    #[command(
        after_help = "Examples:\n  newsidx similar e81de375007907f1\n  newsidx similar 2021/06/amazon.md --since 2021 --limit 5\n  newsidx similar https://www.dailydot.com/debug/civil-rights-amazon/ --json | jq 'select(.copy | not) | .title'"
    )]
    Similar(SimilarArgs),

    /// Print a shell completion script (bash, zsh, fish, elvish, powershell)
    #[command(
        after_help = "Examples:\n  newsidx completions bash > ~/.local/share/bash-completion/completions/newsidx\n  newsidx completions zsh > ~/.zfunc/_newsidx\n  newsidx completions fish > ~/.config/fish/completions/newsidx.fish"
    )]
    Completions(CompletionsArgs),

    /// Print the man page (roff)
    #[command(
        after_help = "Examples:\n  newsidx man | man -l -\n  newsidx man > ~/.local/share/man/man1/newsidx.1"
    )]
    Man,
}

/// `build` flags.
#[derive(Debug, Args)]
pub struct BuildArgs {
    /// Archive folder [default: the archive of the index found here]
    pub dir: Option<PathBuf>,

    /// Start the index over instead of updating it
    #[arg(long)]
    pub rebuild: bool,

    /// Parsing threads [default: number of cores]
    #[arg(long, short = 'j', value_name = "N")]
    pub jobs: Option<usize>,

    /// Exit with status 1 when any file was skipped as bad
    #[arg(long)]
    pub strict: bool,

    /// Follow symbolic links (loops are reported, not fatal)
    #[arg(long)]
    pub follow_links: bool,

    /// Candidate extensions, replacing md,markdown,mdx,txt,text and no-extension files
    /// (an empty item, as in `md,`, keeps files with no extension)
    #[arg(long, value_name = "EXT,...", value_delimiter = ',')]
    pub ext: Option<Vec<String>>,

    /// Skip files larger than this many bytes (suffixes K, M, G allowed)
    #[arg(long, value_name = "SIZE", default_value = "16M", value_parser = parse_size)]
    pub max_file_size: u64,

    /// Print the summary as one JSON object on stdout
    #[arg(long)]
    pub json: bool,
}

/// Output flags shared by every command that prints rows.
#[derive(Debug, Args, Clone)]
pub struct OutputArgs {
    /// Output format
    #[arg(long, value_enum, value_name = "FORMAT")]
    pub format: Option<FormatArg>,

    /// Same as --format jsonl
    #[arg(long, conflicts_with = "format")]
    pub json: bool,

    /// Keys to print, in this order (applies to every format)
    #[arg(long, value_name = "a,b,c", value_delimiter = ',')]
    pub fields: Option<Vec<String>>,

    /// Separate paths with NUL instead of newline (with --format paths)
    #[arg(short = '0', long)]
    pub null: bool,
}

/// `--format` values. Every command that prints rows takes the first five; the others are
/// the output of one command each.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum FormatArg {
    Table,
    Jsonl,
    Json,
    Csv,
    Paths,
    /// A Graphviz digraph of the links (related only)
    Dot,
    /// NDJSON for `quickwit index ingest` (export only; deploy/quickwit/newsidx.yaml)
    Quickwit,
    /// Elasticsearch / OpenSearch `_bulk` body (export only;
    /// deploy/elasticsearch/newsidx.mapping.json)
    Elasticsearch,
}

/// Filters shared by `search`, `facets`, `timeline` and `export`.
#[derive(Debug, Args, Clone, Default)]
pub struct FilterArgs {
    /// Records with this topic (repeatable; all must match; case-insensitive)
    #[arg(long, value_name = "T")]
    pub topic: Vec<String>,

    /// Records with this tag (from tags, keywords, categories; repeatable; all must match;
    /// case-insensitive)
    #[arg(long, value_name = "T")]
    pub tag: Vec<String>,

    /// Records from this provider name (case-insensitive, exact)
    #[arg(long, value_name = "NAME")]
    pub provider: Option<String>,

    /// Records from this provider domain (`www.` ignored)
    #[arg(long, value_name = "D")]
    pub domain: Option<String>,

    /// Records of this category (case-insensitive, exact)
    #[arg(long, value_name = "C")]
    pub category: Option<String>,

    /// Records of this type (case-insensitive, exact)
    #[arg(long = "type", value_name = "T")]
    pub doc_type: Option<String>,

    /// Only front-matter articles or only body-only records
    #[arg(long, value_enum)]
    pub kind: Option<KindArg>,

    /// Dated on or after DATE (YYYY-MM-DD, YYYY-MM, YYYY, or 7d, 4w, 6m, 1y ago; UTC)
    #[arg(long, value_name = "DATE")]
    pub since: Option<String>,

    /// Dated on or before DATE, inclusive (same forms as --since)
    #[arg(long, value_name = "DATE")]
    pub until: Option<String>,

    /// Dated within this year, month or day (2021, 2021-06, 2021-06-11)
    #[arg(long, value_name = "PREFIX")]
    pub date: Option<String>,

    /// Quality of at least N
    #[arg(long, value_name = "N")]
    pub min_quality: Option<i64>,

    /// Articles whose related list links to URL (any canonical variant)
    #[arg(long, value_name = "URL")]
    pub links_to: Option<String>,
}

/// `--kind` values.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum KindArg {
    Article,
    Body,
}

/// `search` flags.
#[derive(Debug, Args)]
pub struct SearchArgs {
    /// Query (words are ANDed; "phrases", OR, -not, field:value). Omit to list by filters only
    pub query: Vec<String>,

    #[command(flatten)]
    pub filters: FilterArgs,

    /// Order of results, the same in every format; records lacking the key come last, equal
    /// keys in path order [default: relevance; newest first with no query]
    #[arg(long, value_enum, allow_hyphen_values = true)]
    pub sort: Option<SortArg>,

    /// Most results to print; 0 = all [default: 20 in a table, all in other formats]
    #[arg(long, short = 'n', value_name = "N")]
    pub limit: Option<usize>,

    /// Skip this many results first
    #[arg(long, default_value_t = 0, value_name = "N")]
    pub offset: usize,

    /// One row per cluster of copies of one story (as `dups` finds them): its earliest record,
    /// with `copies`
    #[arg(long)]
    pub collapse: bool,

    #[command(flatten)]
    pub output: OutputArgs,
}

/// `--sort` values.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum SortArg {
    Relevance,
    /// Oldest first
    Date,
    /// Newest first
    #[value(name = "-date")]
    DateDesc,
    /// Highest quality first
    Quality,
    /// Highest heat first
    Heat,
}

/// `show` flags.
#[derive(Debug, Args)]
pub struct ShowArgs {
    /// Record id (16 hex digits), any of its URLs, or its path relative to the archive
    #[arg(value_parser = file_name_text())]
    pub key: String,

    #[command(flatten)]
    pub output: OutputArgs,
}

/// `facets` fields.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum FacetFieldArg {
    Topic,
    Tag,
    Provider,
    Domain,
    Category,
    Type,
    Year,
    Month,
}

/// `facets` flags.
#[derive(Debug, Args)]
pub struct FacetsArgs {
    /// What to count
    #[arg(value_enum)]
    pub field: FacetFieldArg,

    /// Count only records matching this query
    pub query: Vec<String>,

    #[command(flatten)]
    pub filters: FilterArgs,

    /// Most values to print; 0 = all [default: 20 in a table, all in other formats]
    #[arg(long, short = 'n', value_name = "N")]
    pub limit: Option<usize>,

    /// Count each cluster of copies of one story (as `dups` finds them)
    #[arg(long)]
    pub collapse: bool,

    #[command(flatten)]
    pub output: OutputArgs,
}

/// `timeline` periods.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum PeriodArg {
    Year,
    Month,
    Week,
    Day,
}

/// `timeline --split` fields.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum SplitArg {
    Provider,
    Topic,
    Tag,
    Domain,
}

/// `timeline` flags.
#[derive(Debug, Args)]
pub struct TimelineArgs {
    /// Count only records matching this query
    pub query: Vec<String>,

    #[command(flatten)]
    pub filters: FilterArgs,

    /// Period of each bar
    #[arg(long, value_enum, default_value_t = PeriodArg::Month)]
    pub by: PeriodArg,

    /// One series per value of this field: the top --limit values by count
    #[arg(long, value_enum, value_name = "FIELD")]
    pub split: Option<SplitArg>,

    /// With --split, how many values get a series; 0 = all
    #[arg(long, short = 'n', default_value_t = 5, value_name = "N")]
    pub limit: usize,

    /// Count each cluster of copies of one story once (as `dups` finds them)
    #[arg(long)]
    pub collapse: bool,

    #[command(flatten)]
    pub output: OutputArgs,
}

/// `stats` flags.
#[derive(Debug, Args)]
pub struct StatsArgs {
    #[command(flatten)]
    pub output: OutputArgs,
}

/// `related` flags.
#[derive(Debug, Args)]
pub struct RelatedArgs {
    /// Record id, any of its URLs or its path; or a URL outside the archive (incoming only)
    #[arg(value_parser = file_name_text())]
    pub key: String,

    /// Most rows per relation; 0 = all [default: 20 in a table, all in other formats]
    #[arg(long, short = 'n', value_name = "N")]
    pub limit: Option<usize>,

    /// Steps of outgoing and incoming links the dot graph follows
    #[arg(long, default_value_t = 1, value_name = "N")]
    pub depth: usize,

    /// Most nodes in the dot graph
    #[arg(long, default_value_t = 200, value_name = "N")]
    pub max_nodes: usize,

    #[command(flatten)]
    pub output: OutputArgs,
}

/// `export` flags.
#[derive(Debug, Args)]
pub struct ExportArgs {
    /// Export only records matching this query
    pub query: Vec<String>,

    #[command(flatten)]
    pub filters: FilterArgs,

    /// Index name in the action lines of --format elasticsearch
    #[arg(long, value_name = "NAME", default_value = "newsidx")]
    pub es_index: String,

    #[command(flatten)]
    pub output: OutputArgs,
}

/// `similar` flags.
#[derive(Debug, Args)]
pub struct SimilarArgs {
    /// Record id (or a unique prefix of 6+ hex digits), any of its URLs, or its path
    #[arg(value_parser = file_name_text())]
    pub key: String,

    #[command(flatten)]
    pub filters: FilterArgs,

    /// Most results to print; 0 = all
    #[arg(long, short = 'n', default_value_t = 10, value_name = "N")]
    pub limit: usize,

    #[command(flatten)]
    pub output: OutputArgs,
}

/// `dups` flags.
#[derive(Debug, Args)]
pub struct DupsArgs {
    /// Look for copies only among records matching this query
    pub query: Vec<String>,

    #[command(flatten)]
    pub filters: FilterArgs,

    /// Least resemblance to a cluster's first record, 0-1 (estimated Jaccard similarity of
    /// word pairs, or containment of 0.8 and more for truncated and padded copies)
    #[arg(long, value_name = "J", default_value_t = 0.4, value_parser = parse_threshold,
          allow_negative_numbers = true)]
    pub threshold: f32,

    /// Most clusters to print; 0 = all [default: 20 in a table, all in other formats]
    #[arg(long, short = 'n', value_name = "N")]
    pub limit: Option<usize>,

    #[command(flatten)]
    pub output: OutputArgs,
}

impl Cli {
    /// Parses the command line. Call before any thread starts: an empty `NEWSIDX_INDEX`
    /// (`NEWSIDX_INDEX= newsidx …`) is removed from the environment, as an empty variable
    /// means unset for most tools, where clap would call it a missing value of --index.
    pub fn from_args_and_env() -> Cli {
        if std::env::var_os(INDEX_VAR).is_some_and(|v| v.is_empty()) {
            std::env::remove_var(INDEX_VAR);
        }
        match Cli::try_parse() {
            Ok(cli) => cli,
            Err(err) => {
                // `args()` would panic on an argument that is not UTF-8.
                let args: Vec<String> = std::env::args_os()
                    .skip(1)
                    .map(|arg| arg.to_string_lossy().into_owned())
                    .collect();
                if let Some(message) = excluded_word_message(&err, &args) {
                    crate::output::eprint_line(&message);
                    std::process::exit(err.exit_code());
                }
                err.exit()
            }
        }
    }
}

/// Commands whose positional arguments are a query.
const QUERY_COMMANDS: [&str; 6] = ["search", "facets", "timeline", "export", "dups", "stats"];

/// The message for a query word to leave out (`-ring`) that clap took for short flags and
/// refused: clap's own tip names only `-r`. `None` for any other error.
fn excluded_word_message(err: &clap::Error, args: &[String]) -> Option<String> {
    use clap::error::{ContextKind, ContextValue, ErrorKind};
    let context = |kind| match err.get(kind) {
        Some(ContextValue::String(text)) => Some(text.as_str()),
        _ => None,
    };
    // What clap refused: a letter of the word (`-r` of `-ring`), or the rest of it as the
    // value of a short option that takes one (`uclear` of `-nuclear`, read as `-n uclear`).
    let refused: Box<dyn Fn(&str) -> bool> = match err.kind() {
        ErrorKind::UnknownArgument => {
            let flag = context(ContextKind::InvalidArg)?
                .strip_prefix('-')?
                .to_owned();
            Box::new(move |word: &str| {
                flag.chars().count() == 1 && word[1..].contains(flag.as_str())
            })
        }
        ErrorKind::ValueValidation | ErrorKind::InvalidValue => {
            let value = context(ContextKind::InvalidValue)?.to_owned();
            Box::new(move |word: &str| word.get(2..) == Some(value.as_str()))
        }
        _ => return None,
    };
    let command = args.iter().find(|a| QUERY_COMMANDS.contains(&a.as_str()))?;
    let word = args
        .iter()
        .take_while(|a| *a != "--")
        .find(|a| looks_like_excluded_word(a) && refused(a))?;
    Some(format!(
        "error: `{word}` was read as options, not as a word to leave out\n\n  \
         tip: end the options with `--` before the query (newsidx {command} -- {word} ...), \
         or quote the query (newsidx {command} '... {word}')"
    ))
}

/// `-ring`, `-covid19`: a dash and a word of three or more letters and digits, starting with a
/// letter. Short flags clustered that long (`-qvv`) parse, so they never reach this.
fn looks_like_excluded_word(arg: &str) -> bool {
    let Some(word) = arg.strip_prefix('-') else {
        return false;
    };
    word.chars().next().is_some_and(char::is_alphabetic)
        && word.chars().count() >= 3
        && word.chars().all(char::is_alphanumeric)
}

/// The environment variable that gives `--index`.
const INDEX_VAR: &str = "NEWSIDX_INDEX";

/// Any argument as text: a file name that is not UTF-8 becomes what the index holds for it
/// (`\xNN` for each byte that is not UTF-8), instead of clap's refusal.
fn file_name_text() -> impl clap::builder::TypedValueParser<Value = String> {
    use clap::builder::TypedValueParser;
    clap::builder::OsStringValueParser::new().map(|text| match text.to_str() {
        Some(text) => text.to_owned(),
        // Escaped name by name, as the walk names files (`crate::walk::name_text`).
        None => {
            let names: Vec<String> = std::path::Path::new(&text)
                .iter()
                .map(|name| crate::walk::name_text(name).into_owned())
                .collect();
            let joined = names.join("/");
            // An absolute path's first part is `/` itself.
            match joined.strip_prefix("//") {
                Some(rest) => format!("/{rest}"),
                None => joined,
            }
        }
    })
}

/// Parses a similarity threshold between 0 and 1.
fn parse_threshold(text: &str) -> Result<f32, String> {
    match text.trim().parse::<f32>() {
        Ok(value) if (0.0..=1.0).contains(&value) => Ok(value),
        _ => Err(format!(
            "`{text}` is not a similarity: expected a number from 0 to 1"
        )),
    }
}

/// `completions` flags.
#[derive(Debug, Args)]
pub struct CompletionsArgs {
    /// The shell to complete for
    #[arg(value_enum)]
    pub shell: clap_complete::Shell,
}

/// Parses `16M`, `512K`, `1G` or a plain number of bytes.
fn parse_size(text: &str) -> Result<u64, String> {
    let text = text.trim();
    let (digits, unit) = match text
        .char_indices()
        .find(|(_, c)| !c.is_ascii_digit() && *c != '.')
    {
        Some((at, _)) => text.split_at(at),
        None => (text, ""),
    };
    // `1.5M` as well as `16M`.
    let number: f64 = digits
        .parse()
        .ok()
        .filter(|n: &f64| n.is_finite() && *n >= 0.0)
        .ok_or_else(|| {
            format!("`{text}` is not a size: expected bytes, or a number with K, M or G")
        })?;
    let factor = match unit.to_ascii_uppercase().trim_end_matches(['B', 'I']) {
        "" => 1,
        "K" => 1 << 10,
        "M" => 1 << 20,
        "G" => 1 << 30,
        _ => return Err(format!("`{text}` has an unknown unit: use K, M or G")),
    };
    // A float cast saturates: an absurd size is the largest, not an error.
    let bytes = (number * factor as f64) as u64;
    if bytes == 0 && number > 0.0 {
        return Err(format!("`{text}` is less than one byte"));
    }
    Ok(bytes)
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::CommandFactory;

    #[test]
    fn cli_definition_is_consistent() {
        Cli::command().debug_assert();
    }

    #[test]
    fn sizes_accept_units() {
        assert_eq!(parse_size("16M"), Ok(16 << 20));
        assert_eq!(parse_size("512k"), Ok(512 << 10));
        assert_eq!(parse_size("100"), Ok(100));
        assert_eq!(parse_size("2GiB"), Ok(2 << 30));
        assert_eq!(parse_size("1.5M"), Ok(3 << 19));
        assert!(parse_size("1.2.3M").is_err());
        assert!(parse_size("0.5").is_err());
        assert_eq!(parse_size("0"), Ok(0));
        assert!(parse_size("lots").is_err());
    }

    #[test]
    fn thresholds_are_between_zero_and_one() {
        assert_eq!(parse_threshold("0.5"), Ok(0.5));
        assert_eq!(parse_threshold("1"), Ok(1.0));
        assert!(parse_threshold("1.5").is_err());
        assert!(parse_threshold("-0.1").is_err());
        assert!(parse_threshold("most").is_err());
    }

    #[test]
    fn sort_accepts_minus_date() {
        let cli = Cli::try_parse_from(["newsidx", "search", "x", "--sort", "-date"]).unwrap();
        match cli.command {
            Command::Search(args) => assert_eq!(args.sort, Some(SortArg::DateDesc)),
            other => panic!("parsed as {other:?}"),
        }
    }

    #[test]
    fn json_is_jsonl_and_conflicts_with_format() {
        assert!(Cli::try_parse_from(["newsidx", "stats", "--json", "--format", "csv"]).is_err());
        let cli = Cli::try_parse_from(["newsidx", "search", "a", "--json"]).unwrap();
        match cli.command {
            Command::Search(args) => assert!(args.output.json),
            other => panic!("parsed as {other:?}"),
        }
    }
}
