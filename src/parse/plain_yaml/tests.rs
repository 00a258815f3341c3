//! The fast reader against serde_yaml: examples, what it declines, and generated blocks.

mod examples {
    use super::super::*;
    use crate::parse::front_matter::{fast_path_agrees, parse_yaml_fully};

    /// The fast reader takes `yaml` and agrees with serde_yaml on it.
    fn assert_same(yaml: &str) -> PlainYaml {
        let plain = parse_plain(yaml).unwrap_or_else(|| panic!("declined: {yaml:?}"));
        let full = parse_yaml_fully(yaml).unwrap_or_else(|e| panic!("{e:?} for {yaml:?}"));
        assert_eq!(Value::Object(plain.map.clone()), full.value, "{yaml:?}");
        assert_eq!(plain.key_lines, full.key_lines, "{yaml:?}");
        assert!(full.duplicate_keys.is_empty());
        plain
    }

    fn assert_declined(yaml: &str) {
        assert!(parse_plain(yaml).is_none(), "accepted: {yaml:?}");
    }

    const ARTICLE: &str = r#"category: news
title: "Port authority \"reviews\" night ferries – again"
excerpt: 'It''s the third review in a year: the board meets on Monday.'
publishedDateTime: 2022-03-04T05:06:07Z
webUrl: "https://example.com/a?x=1&y=2#frag"
type: article
quality: 57
heat: -3
published: false
score: 1.5e3

provider:
  name: Harbour Times
  domain: harbour.example

topics:
  - Ports
  - 2024
  - "Ferries"

images:
  - url: "https://img.example/a.jpg"
    width: 700
    isCached: true
  -
    url: b.jpg

related:
- title: Other story, with commas [and brackets]
  webUrl: https://other.example/x
  empty:
- plain item
secured: abc+def/ghi==
"#;

    #[test]
    fn reads_a_seed_shaped_block_like_serde_yaml() {
        let plain = assert_same(ARTICLE);
        assert_eq!(plain.key_lines[0], ("category".to_owned(), 1));
        assert_eq!(plain.map["topics"][1], Value::from(2024));
        assert_same(&ARTICLE.replace('\n', "\r\n"));
    }

    #[test]
    fn plain_scalars_resolve_as_serde_yaml_does() {
        for value in [
            "~",
            "null",
            "Null",
            "NULL",
            "true",
            "True",
            "FALSE",
            "yes",
            "no",
            "on",
            "0",
            "00",
            "0123",
            "-0123",
            "+12",
            "-12",
            "1_000",
            "1.5",
            "-1.5",
            ".5",
            "5.",
            "1e3",
            "-1E-3",
            "nan",
            "inf",
            "infinity",
            "+",
            ".",
            "1.2.3",
            "2022-03-04",
            "2022-03-04T05:06:07Z",
            "12:30",
            "18446744073709551615",
            "-9223372036854775808",
            "1e400",
            "-1e400",
            "0.1",
            "Kyōto café",
            "a'b\"c",
            "x[1]{2},3",
            "-5 apples",
        ] {
            assert_same(&format!("k: {value}\n"));
        }
    }

    #[test]
    fn rare_forms_are_left_to_serde_yaml() {
        for yaml in [
            "k: 0x1F\n",
            "k: -0x1F\n",
            "k: +0o17\n",
            "k: 0b101\n",
            "k: 0x\n",
            "k: .inf\n",
            "k: -.Inf\n",
            "k: .NaN\n",
            "k: 18446744073709551616\n",
            "k: -9223372036854775809\n",
            "k: \"\\x41\"\n",
            "k: \"\\u00e9\"\n",
            "k: \"\\U0001F600\"\n",
            "k:\n- - nested\n  - list\n",
        ] {
            assert_declined(yaml);
            assert!(fast_path_agrees(yaml), "{yaml:?}");
        }
    }

    #[test]
    fn quoted_scalars_decode_escapes() {
        for value in [
            r#""""#,
            r#""a \"b\" \\ \/ \t \n \r \0 \a \b \e \f \v \  \N \_ \L \P""#,
            r##""# not a comment""##,
            "''",
            "'a''b'",
            "'\\n stays'",
            "\"trailing spaces\"   ",
        ] {
            assert_same(&format!("k: {value}\n"));
        }
    }

    #[test]
    fn declines_what_it_does_not_read() {
        for yaml in [
            "# comment\nk: v\n",
            "k: v # comment\n",
            "k: [a, b]\n",
            "k: {a: 1}\n",
            "k: |\n  text\n",
            "k: >\n  text\n",
            "k: &a v\nl: *a\n",
            "k: !tag v\n",
            "k: v\n  continued\n",
            "k: \"open\n  close\"\n",
            "k:\tv\n",
            "\"k\": v\n",
            "k : v\n",
            "k: a: b\n",
            "k: v:\n",
            "k: -\n",
            "k: v\nk: w\n",
            "  k: v\n",
            "- a\n- b\n",
            "just text\n",
            "k: \"a\" b\n",
            "k: \"\\q\"\n",
            "k: \"\\ud800\"\n",
            "k: a\rb\n",
            "k: a\u{85}b\n",
            "k: a\u{2028}b\n",
            "k:\n    a: 1\n  b: 2\n",
            "k:\n  - a\n    - b\n",
            "Null: v\n",
            "True: v\n",
            "1: v\n",
            "%YAML 1.2\nk: v\n",
            "",
            "\n  \n",
        ] {
            assert_declined(yaml);
        }
    }

    #[test]
    fn deep_nesting_and_long_keys_go_to_serde_yaml() {
        let dashes = format!("k: x\nl:\n{}x\n", "- ".repeat(100_000));
        assert_declined(&dashes);
        let mut deep = String::new();
        for level in 0..200 {
            deep.push_str(&format!("{}k{level}:\n", " ".repeat(level)));
        }
        deep.push_str(&format!("{}leaf: 1\n", " ".repeat(200)));
        assert_declined(&deep);
        assert!(
            parse_yaml_fully(&deep).is_err(),
            "serde_yaml refuses it too"
        );
        assert_same(&format!("{}: 1\n", "k".repeat(MAX_KEY_LEN)));
        assert_declined(&format!("{}: 1\n", "k".repeat(2_000)));
        assert!(parse_yaml_fully(&format!("{}: 1\n", "k".repeat(2_000))).is_err());
    }

    #[test]
    fn a_list_may_sit_at_its_key_column() {
        let plain = assert_same("topics:\n- a\n- b\nnext: 1\n");
        assert_eq!(plain.map["topics"], serde_json::json!(["a", "b"]));
    }

    #[test]
    fn every_fixture_and_seed_agrees() {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
        let mut accepted = 0;
        let mut files = Vec::new();
        for dir in ["fixtures/archive", "../shared/seeds"] {
            let Ok(walk) = std::fs::read_dir(root.join(dir)) else {
                continue;
            };
            files.extend(walk.flatten().map(|e| e.path()));
        }
        let mut more: Vec<_> = files.clone();
        while let Some(path) = more.pop() {
            if path.is_dir() {
                for entry in std::fs::read_dir(&path).unwrap().flatten() {
                    more.push(entry.path());
                    files.push(entry.path());
                }
            }
        }
        for path in files.iter().filter(|p| p.is_file()) {
            let bytes = std::fs::read(path).unwrap();
            let Ok(text) = std::str::from_utf8(&bytes) else {
                continue;
            };
            let text = text.strip_prefix('\u{feff}').unwrap_or(text);
            if let crate::parse::front_matter::Fences::Yaml { yaml, .. } =
                crate::parse::front_matter::split_front_matter(text)
            {
                if parse_plain(yaml).is_some() {
                    assert_same(yaml);
                    accepted += 1;
                }
            }
        }
        assert!(
            accepted >= 20,
            "only {accepted} fixtures took the fast path"
        );
    }
}

mod properties {
    use crate::parse::front_matter::fast_path_agrees;
    use proptest::prelude::*;

    #[derive(Debug, Clone)]
    enum Node {
        Scalar(String),
        Map(Vec<(String, Node)>),
        Seq(Vec<Node>),
    }

    /// Keys and scalars the fast reader takes, and ones on the edges of its subset.
    const KEYS: &[&str] = &["a", "b", "title", "k-1", "_x", "a.b", "c", "d", "e", "f"];
    const EDGE_KEYS: &[&str] = &["null", "True", "1", "\"q\"", "k x", "a"];
    const SCALARS: &[&str] = &[
        "v",
        "0",
        "-1",
        "1.5",
        ".inf",
        "0x1f",
        "012",
        "~",
        "yes",
        "true",
        "\"q \\\" x\"",
        "'it''s'",
        "2024-01-02T03:04:05Z",
        "é ü",
        "\\u00e9",
        "\"\\u00e9\"",
        "a,b",
        "-5",
        "+.5",
        "1e9",
        "Kyōto",
        "\"a#b\"",
        "a'b",
        "null",
        "\"\"",
        "''",
        "v  ",
        "a:b",
        "x]",
        "18446744073709551616",
        "-0x10",
        ".NaN",
        "+12",
        "1_0",
    ];
    const EDGE_SCALARS: &[&str] = &[
        "'open",
        "\"open",
        "a: b",
        "a #c",
        "#c",
        "[1]",
        "{a: 1}",
        "|",
        ">",
        "&x v",
        "*x",
        "!t v",
        "- x",
        "-",
        "x:",
        "\"\\x\"",
        "% a",
        "@a",
        "?",
        ":x",
        "\u{85}",
        "x\ry",
        "\"\\ud800\"",
        "\"a\" b",
    ];

    fn key() -> impl Strategy<Value = &'static str> {
        prop_oneof![
            9 => prop::sample::select(KEYS),
            1 => prop::sample::select(EDGE_KEYS),
        ]
    }

    fn node() -> impl Strategy<Value = Node> {
        let scalar = prop_oneof![
            19 => prop::sample::select(SCALARS),
            1 => prop::sample::select(EDGE_SCALARS),
        ]
        .prop_map(|s| Node::Scalar(s.to_owned()));
        scalar.prop_recursive(4, 40, 5, |inner| {
            prop_oneof![
                prop::collection::vec((key(), inner.clone()), 1..5).prop_map(|entries| Node::Map(
                    entries
                        .into_iter()
                        .map(|(k, v)| (k.to_owned(), v))
                        .collect()
                )),
                prop::collection::vec(inner, 1..4).prop_map(Node::Seq),
            ]
        })
    }

    fn pick(state: &mut u64, n: u64) -> u64 {
        *state = state
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        (*state >> 33) % n
    }

    /// Renders `node` in block style, varying the layout with `choice`.
    fn render(node: &Node, indent: usize, choice: &mut u64, out: &mut Vec<String>) {
        let pad = " ".repeat(indent);
        match node {
            Node::Scalar(text) => out.push(format!("{pad}{text}")),
            Node::Map(entries) => {
                for (key, value) in entries {
                    match value {
                        Node::Scalar(text) => out.push(format!("{pad}{key}: {text}")),
                        Node::Map(_) => {
                            out.push(format!("{pad}{key}:"));
                            let step = [1, 2, 4][pick(choice, 3) as usize];
                            render(value, indent + step, choice, out);
                        }
                        Node::Seq(_) => {
                            out.push(format!("{pad}{key}:"));
                            let step = [0, 2][pick(choice, 2) as usize];
                            render(value, indent + step, choice, out);
                        }
                    }
                }
            }
            Node::Seq(items) => {
                for item in items {
                    let mut inner = Vec::new();
                    if matches!(item, Node::Scalar(_)) || pick(choice, 2) == 0 {
                        render(item, indent + 2, choice, &mut inner);
                        let first = inner[0][indent + 2..].to_owned();
                        out.push(format!("{pad}- {first}"));
                        out.extend(inner.into_iter().skip(1));
                    } else {
                        out.push(format!("{pad}-"));
                        render(item, indent + 2, choice, out);
                    }
                }
            }
        }
    }

    /// Small damage to one line, so that blocks just outside the subset are tried too.
    fn mutate(lines: &mut [String], choice: u64) {
        let at = (choice as usize / 7) % lines.len();
        let line = &mut lines[at];
        match choice % 7 {
            0 => line.insert(0, ' '),
            1 => {
                if let Some(c) = line.pop() {
                    if !c.is_ascii() {
                        line.push(c);
                    }
                }
            }
            2 => line.push_str(" #c"),
            3 => line.push(':'),
            4 => *line = line.trim_start().to_owned(),
            _ => {}
        }
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(3000))]

        #[test]
        fn whatever_it_accepts_serde_yaml_reads_the_same(
            entries in prop::collection::vec((key(), node()), 1..6),
            choice in any::<u64>(),
            damage in prop::bool::weighted(0.2),
            crlf in any::<bool>(),
        ) {
            let top = Node::Map(entries.into_iter().map(|(k, v)| (k.to_owned(), v)).collect());
            let mut lines = Vec::new();
            let mut state = choice;
            render(&top, 0, &mut state, &mut lines);
            if damage {
                mutate(&mut lines, choice);
            }
            let eol = if crlf { "\r\n" } else { "\n" };
            let yaml = lines.join(eol) + eol;
            prop_assert!(fast_path_agrees(&yaml), "the readers disagree on {:?}", yaml);
        }
    }
}
