//! The table format: aligned columns fitted to the terminal width, archive text sanitised,
//! colour only when asked. The only writer that buffers, because it needs column widths.

use std::io::{self, Write};
use std::ops::Range;

use serde_json::Value;
use unicode_width::{UnicodeWidthChar, UnicodeWidthStr};

use super::render_value;
use super::sanitize::sanitize;

/// How a cell is drawn.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Style {
    #[default]
    Plain,
    /// Secondary text (ids, snippets).
    Dim,
    /// A bar of a chart.
    Bar,
}

/// One table cell.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Cell {
    pub text: String,
    pub style: Style,
    pub align_right: bool,
    /// Byte ranges of `text` to highlight (matched words).
    pub highlights: Vec<Range<usize>>,
}

impl Cell {
    /// Plain text.
    pub fn plain(text: impl Into<String>) -> Self {
        Cell {
            text: text.into(),
            ..Cell::default()
        }
    }

    /// The default cell of a JSON value: numbers right-aligned.
    pub fn for_value(value: &Value) -> Self {
        Cell {
            text: render_value(value),
            align_right: value.is_number(),
            ..Cell::default()
        }
    }

    /// The same cell in `style`.
    pub fn styled(mut self, style: Style) -> Self {
        self.style = style;
        self
    }
}

#[derive(Debug, Default)]
pub(super) struct TableBuffer {
    keys: Vec<String>,
    rows: Vec<(Vec<Cell>, Option<Cell>)>,
    /// Lines after the rows, each dimmed (a note) or not (text of its own).
    notes: Vec<(String, bool)>,
}

const GAP: usize = 2;
const MIN_FLEX: usize = 12;

impl TableBuffer {
    pub(super) fn push(&mut self, keys: Vec<String>, cells: Vec<Cell>, detail: Option<Cell>) {
        if self.keys.is_empty() {
            self.keys = keys;
        }
        self.rows.push((cells, detail));
    }

    pub(super) fn note(&mut self, note: String) {
        self.notes.push((note, true));
    }

    /// A line of text printed as it is, after the rows (already sanitised and fitted).
    pub(super) fn line(&mut self, line: String) {
        self.notes.push((line, false));
    }

    pub(super) fn draw(
        self,
        out: &mut impl Write,
        color: bool,
        width: Option<usize>,
    ) -> io::Result<()> {
        if !self.rows.is_empty() {
            let headers: Vec<String> = self.keys.iter().map(|k| k.to_uppercase()).collect();
            let rows: Vec<(Vec<Cell>, Option<Cell>)> = self
                .rows
                .into_iter()
                .map(|(cells, detail)| (cells.into_iter().map(clean).collect(), detail.map(clean)))
                .collect();
            let mut widths: Vec<usize> = headers.iter().map(|h| h.width()).collect();
            for (cells, _) in &rows {
                for (i, cell) in cells.iter().enumerate() {
                    widths[i] = widths[i].max(cell.text.width());
                }
            }
            if let Some(limit) = width {
                fit(&mut widths, limit);
            }
            let header_cells: Vec<Cell> = headers.into_iter().map(Cell::plain).collect();
            write_line(out, &header_cells, &widths, color, true)?;
            for (cells, detail) in &rows {
                write_line(out, cells, &widths, color, false)?;
                if let Some(detail) = detail {
                    let room = width.map_or(usize::MAX, |w| w.saturating_sub(4));
                    let (text, highlights) = truncate(&detail.text, &detail.highlights, room);
                    out.write_all(b"    ")?;
                    write_styled(out, &text, &highlights, Style::Dim, color)?;
                    out.write_all(b"\n")?;
                }
            }
        }
        for (note, dim) in &self.notes {
            if color && *dim {
                writeln!(out, "\x1b[2m{note}\x1b[0m")?;
            } else {
                writeln!(out, "{note}")?;
            }
        }
        Ok(())
    }
}

/// Sanitises a cell's text, keeping highlights only when nothing had to be escaped.
fn clean(mut cell: Cell) -> Cell {
    let safe = sanitize(&cell.text);
    if safe != cell.text {
        cell.highlights.clear();
        cell.text = safe;
    }
    cell
}

/// Shrinks the widest column until the table fits in `limit` columns.
fn fit(widths: &mut [usize], limit: usize) {
    let total = |w: &[usize]| w.iter().sum::<usize>() + GAP * w.len().saturating_sub(1);
    while total(widths) > limit {
        let Some((widest, &current)) = widths.iter().enumerate().max_by_key(|(_, w)| **w) else {
            return;
        };
        if current <= MIN_FLEX {
            return;
        }
        let excess = total(widths) - limit;
        widths[widest] = current.saturating_sub(excess).max(MIN_FLEX);
    }
}

/// Cuts `text` to `room` display columns, ending with `…` when cut.
fn truncate(text: &str, highlights: &[Range<usize>], room: usize) -> (String, Vec<Range<usize>>) {
    if text.width() <= room {
        return (text.to_owned(), highlights.to_vec());
    }
    let mut used = 0;
    let mut end = 0;
    for (at, c) in text.char_indices() {
        let w = c.width().unwrap_or(0);
        if used + w + 1 > room {
            break;
        }
        used += w;
        end = at + c.len_utf8();
    }
    let mut cut = text[..end].to_owned();
    cut.push('…');
    let kept = highlights
        .iter()
        .filter(|r| r.start < end)
        .map(|r| r.start..r.end.min(end))
        .collect();
    (cut, kept)
}

fn write_line(
    out: &mut impl Write,
    cells: &[Cell],
    widths: &[usize],
    color: bool,
    header: bool,
) -> io::Result<()> {
    let mut line = Vec::new();
    let last = cells.len().saturating_sub(1);
    for (i, cell) in cells.iter().enumerate() {
        let width = widths[i];
        let (text, highlights) = truncate(&cell.text, &cell.highlights, width);
        let pad = width.saturating_sub(text.width());
        if cell.align_right {
            line.extend(std::iter::repeat_n(b' ', pad));
        }
        if header && color {
            write!(line, "\x1b[1m{text}\x1b[0m")?;
        } else {
            write_styled(&mut line, &text, &highlights, cell.style, color)?;
        }
        if i != last {
            if !cell.align_right {
                line.extend(std::iter::repeat_n(b' ', pad));
            }
            line.extend(std::iter::repeat_n(b' ', GAP));
        }
    }
    out.write_all(&line)?;
    out.write_all(b"\n")
}

fn write_styled(
    out: &mut impl Write,
    text: &str,
    highlights: &[Range<usize>],
    style: Style,
    color: bool,
) -> io::Result<()> {
    if !color {
        return out.write_all(text.as_bytes());
    }
    let base = match style {
        Style::Plain => "",
        Style::Dim => "\x1b[2m",
        Style::Bar => "\x1b[36m",
    };
    out.write_all(base.as_bytes())?;
    let mut at = 0;
    for range in highlights {
        if range.start < at
            || range.end > text.len()
            || !text.is_char_boundary(range.start)
            || !text.is_char_boundary(range.end)
        {
            continue;
        }
        out.write_all(&text.as_bytes()[at..range.start])?;
        write!(
            out,
            "\x1b[0m\x1b[1;31m{}\x1b[0m{base}",
            &text[range.start..range.end]
        )?;
        at = range.end;
    }
    out.write_all(&text.as_bytes()[at..])?;
    if !base.is_empty() {
        out.write_all(b"\x1b[0m")?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fits_the_widest_column() {
        let mut widths = vec![10, 60, 8];
        fit(&mut widths, 50);
        assert_eq!(widths, vec![10, 28, 8]);
    }

    #[test]
    fn truncates_by_display_width() {
        let (text, _) = truncate("中文中文中文", &[], 5);
        assert_eq!(text, "中文…");
        assert_eq!(truncate("short", &[], 10).0, "short");
    }

    #[test]
    fn escapes_reach_the_table_sanitised() {
        let mut table = TableBuffer::default();
        table.push(
            vec!["title".into()],
            vec![Cell::plain("\u{1b}[31mRed")],
            None,
        );
        let mut out = Vec::new();
        table.draw(&mut out, false, None).unwrap();
        assert_eq!(String::from_utf8(out).unwrap(), "TITLE\n\\x1b[31mRed\n");
    }
}
