//! Text in other scripts: accents folded beyond Latin (Turkish `İ`, Greek tonos, decomposed
//! accents) and Chinese and Japanese text searched by bigrams, as a word, a pasted sentence,
//! or mixed with Latin letters; the table's snippet marks what matched.

use crate::contract::Hit;
use crate::harness::{article, Archive};

const CHINESE: &str =
    "城市地铁的新线路今天开通。新线路连接机场和火车站，全程运行时间约为二十五分钟。\
                       市民表示，地铁让出行更加方便。";
const JAPANESE: &str = "東京の地下鉄は毎朝とても混雑しています。";

/// A built archive of one article per script.
fn archive() -> Archive {
    let archive = Archive::new();
    let story = |name: &str, title: &str, body: &str| {
        let url = format!("https://scripts.example/{name}");
        archive.file(
            &format!("{name}.md"),
            article(title, &url, "2024-03-01T08:00:00Z", &["World"], body),
        );
    };
    story(
        "istanbul",
        "Ferries run late",
        "Ferries across the Bosphorus in İstanbul will run until midnight.",
    );
    story(
        "athens",
        "Metro station opens",
        "Η Αθήνα άνοιξε νέο σταθμό του μετρό.",
    );
    // `e` followed by U+0301 COMBINING ACUTE ACCENT, as some editors and macOS file names write it.
    story(
        "ecole",
        "Rentrée",
        "La nouvelle e\u{301}cole du quartier ouvre en septembre.",
    );
    story("subway", "New line", CHINESE);
    story("tokyo", "Rush hour", JAPANESE);
    story("web3", "Meetup", "本周 Web3中文社区 在上海举办聚会。");
    story(
        "market",
        "Briefs",
        "小猫咪在家。A股上涨。2024年度报告发布。iPhone发布会在九月。",
    );
    story(
        "plain",
        "Council vote",
        "The council voted on the school budget.",
    );
    archive.run(&["build", "."]).status(0);
    archive
}

/// The paths `search QUERY` finds, sorted.
fn found(archive: &Archive, query: &str) -> Vec<String> {
    let run = archive.run(&["search", query, "--json"]);
    let mut paths: Vec<String> = run.jsonl::<Hit>().into_iter().map(|h| h.path).collect();
    paths.sort();
    paths
}

#[test]
fn accents_fold_in_every_script() {
    let archive = archive();
    for (query, path) in [
        ("istanbul", "istanbul.md"),
        ("İstanbul", "istanbul.md"),
        ("ISTANBUL", "istanbul.md"),
        ("αθηνα", "athens.md"),
        ("ΑΘΗΝΑ", "athens.md"),
        ("Αθήνα", "athens.md"),
        ("ecole", "ecole.md"),
        ("école", "ecole.md"),
        ("e\u{301}cole", "ecole.md"),
        ("ÉCOLE", "ecole.md"),
        ("\"nouvelle école\"", "ecole.md"),
    ] {
        assert_eq!(found(&archive, query), [path], "search {query}");
    }
}

#[test]
fn chinese_and_japanese_are_found_by_words_and_sentences() {
    let archive = archive();
    for (query, path) in [
        ("火车站", "subway.md"),
        ("运行时", "subway.md"),
        ("地铁", "subway.md"),
        // A whole sentence pasted, with its punctuation.
        (
            "新线路连接机场和火车站，全程运行时间约为二十五分钟。",
            "subway.md",
        ),
        ("\"全程运行时间\"", "subway.md"),
        ("地下鉄", "tokyo.md"),
        ("混雑", "tokyo.md"),
        ("東京の地下鉄", "tokyo.md"),
        ("Web3中文", "web3.md"),
        ("web3", "web3.md"),
        ("上海", "web3.md"),
        // One character, and words that end inside a run: bigrams alone missed these.
        ("猫", "market.md"),
        ("A股", "market.md"),
        ("2024年", "market.md"),
        ("iPhone发", "market.md"),
        ("\"年度报告\"", "market.md"),
    ] {
        assert_eq!(found(&archive, query), [path], "search {query}");
    }
}

#[test]
fn unrelated_cjk_words_find_nothing() {
    let archive = archive();
    // 图书馆 (library) shares no character pair with the text; 地铁站 shares 地铁 but not 铁站;
    // 运时行 has the characters of 运行时 in another order.
    for query in ["图书馆", "地铁站", "运时行", "京都"] {
        let run = archive.run(&["search", query]);
        run.status(1);
        // The hint names the word as written, not one of its bigrams.
        assert!(
            run.stderr().contains(&format!("0 matches for `{query}`")),
            "{run:?}"
        );
    }
    let run = archive.run(&["search", "图书馆"]);
    assert!(run.stderr().contains("no record has `图书馆`"), "{run:?}");
}

#[test]
fn an_index_of_the_old_tokenizer_asks_for_a_rebuild() {
    // Schema version 8 made a CJK run one token and kept Greek accents: its terms cannot
    // answer these queries, so it must be rebuilt, not searched.
    let archive = archive();
    archive.set_schema_version("8");
    let run = archive.run(&["search", "火车站"]);
    run.status(2);
    assert!(run.stderr().contains("build --rebuild"), "{run:?}");
    archive.run(&["build", "--rebuild"]).status(0);
    assert_eq!(found(&archive, "火车站"), ["subway.md"]);
}

#[test]
fn snippets_mark_cjk_and_folded_words() {
    let archive = archive();
    for (query, marked) in [
        ("火车站", "火车站"),
        ("运行时", "运行时"),
        ("地下鉄", "地下鉄"),
        ("istanbul", "İstanbul"),
        ("αθηνα", "Αθήνα"),
        ("ecole", "e\u{301}cole"),
    ] {
        let run = archive.run(&["search", query, "--color", "always"]);
        run.status(0);
        let stdout = run.stdout();
        assert!(
            stdout.contains(&format!("\u{1b}[1;31m{marked}\u{1b}[0m")),
            "search {query} marks {marked}: {run:?}"
        );
    }
    let run = archive.run(&["search", "运行时", "--json"]);
    let hits = run.jsonl::<Hit>();
    let snippet = hits[0].snippet.as_deref().unwrap_or_default();
    assert!(snippet.contains("全程运行时间"), "{run:?}");
}
