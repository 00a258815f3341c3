//! The Graphviz format of `related --format dot`: a `digraph` whose nodes are labelled with
//! titles and whose edges are related links. Archive articles are boxes; outside URLs are
//! dashed ellipses.

use std::io::{self, Write};

use crate::query::related::Graph;

/// Quotes `text` as a DOT string. Control characters and bidi controls from the archive
/// become spaces: a label is display text, and the graph may be read on a terminal.
fn quote(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 2);
    out.push('"');
    for c in text.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            c if super::sanitize::is_unsafe(c) => out.push(' '),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// Writes `graph` as DOT.
pub fn write_dot(out: &mut impl Write, graph: &Graph) -> io::Result<()> {
    writeln!(out, "digraph related {{")?;
    writeln!(out, "  rankdir=LR;")?;
    writeln!(out, "  node [fontsize=10];")?;
    for (at, node) in graph.nodes.iter().enumerate() {
        let label: String = node.label.chars().take(80).collect();
        let style = if at == 0 {
            "shape=box, style=bold"
        } else if node.in_archive {
            "shape=box"
        } else {
            "shape=ellipse, style=dashed"
        };
        writeln!(
            out,
            "  n{at} [label={}, tooltip={}, {style}];",
            quote(&label),
            quote(&node.key)
        )?;
    }
    for (from, to) in &graph.edges {
        writeln!(out, "  n{from} -> n{to};")?;
    }
    if graph.truncated {
        writeln!(out, "  // truncated: more nodes than --max-nodes")?;
    }
    writeln!(out, "}}")?;
    out.flush()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::query::related::Node;

    #[test]
    fn writes_a_digraph() {
        let graph = Graph {
            nodes: vec![
                Node {
                    key: "a".into(),
                    label: "Say \"hi\"\u{1b}".into(),
                    in_archive: true,
                },
                Node {
                    key: "https://x/".into(),
                    label: "X\u{202e}Y".into(),
                    in_archive: false,
                },
            ],
            edges: vec![(0, 1)],
            truncated: false,
        };
        let mut out = Vec::new();
        write_dot(&mut out, &graph).unwrap();
        let text = String::from_utf8(out).unwrap();
        assert!(text.starts_with("digraph related {\n"));
        assert!(text.contains("n0 [label=\"Say \\\"hi\\\" \""));
        assert!(
            text.contains("n1 [label=\"X Y\""),
            "a bidi override is no label: {text}"
        );
        assert!(text.contains("n0 -> n1;"));
        assert!(text.ends_with("}\n"));
    }
}
