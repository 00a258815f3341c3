//! The table format: aligned columns fitted to the terminal width, archive text sanitised,
//! colour only when asked. The only writer that buffers, because it needs column widths.

use std::io::{self, Write};
use std::ops::Range;

use serde_json::Value;
use unicode_width::{UnicodeWidthChar, UnicodeWidthStr};

use super::render_value;
use super::sanitize::{escape, sanitize};

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
    /// The text is a name (a path): every control character is escaped, a newline too, never
    /// shown as a space that would make it another name.
    pub name: bool,
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

    /// The same cell, its text a name (see `Cell::name`).
    pub fn named(mut self) -> Self {
        self.name = true;
        self
    }

    /// The same cell in `style`.
    pub fn styled(mut self, style: Style) -> Self {
        self.style = style;
        self
    }
}

/// How a column gives way when the table is wider than the terminal.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Fit {
    /// Never cut: a value that is copied or compared whole (an id, a date, a number).
    Whole,
    /// Cut first, before any `Keep` column (a provider's name beside a title).
    Shrink,
    /// Cut only when the `Shrink` columns have given what they can; `Keep` columns share the
    /// room that is left fairly (a title, a path, a URL).
    Keep,
}

impl Fit {
    /// The fit of a column named `key`, for rows that do not say otherwise.
    pub fn for_key(key: &str) -> Fit {
        match key {
            "id" | "cluster" | "date" | "date_min" | "date_max" | "score" | "similarity"
            | "shared" | "relation" | "copy" => Fit::Whole,
            "provider" | "provider.name" | "provider.domain" | "provider_name"
            | "provider_domain" | "domain" | "category" | "type" | "kind" | "topics" | "tags"
            | "locale" => Fit::Shrink,
            _ => Fit::Keep,
        }
    }
}

#[derive(Debug, Default)]
pub(super) struct TableBuffer {
    keys: Vec<String>,
    fits: Vec<Fit>,
    rows: Vec<(Vec<Cell>, Option<Cell>)>,
    /// Lines after the rows, each dimmed (a note) or not (text of its own).
    notes: Vec<(String, bool)>,
}

const GAP: usize = 2;
const MIN_FLEX: usize = 12;

impl TableBuffer {
    pub(super) fn push(
        &mut self,
        keys: Vec<String>,
        fits: Vec<Fit>,
        cells: Vec<Cell>,
        detail: Option<Cell>,
    ) {
        if self.keys.is_empty() {
            self.keys = keys;
            self.fits = fits;
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
            let header_widths: Vec<usize> = headers.iter().map(|h| h.width()).collect();
            let mut widths = header_widths.clone();
            // A column of numbers is never cut, whatever its name.
            let mut fits = self.fits;
            fits.resize(widths.len(), Fit::Keep);
            for (i, fit) in fits.iter_mut().enumerate() {
                if rows
                    .iter()
                    .all(|(cells, _)| cells.get(i).is_some_and(|c| c.align_right))
                {
                    *fit = Fit::Whole;
                }
            }
            for (cells, _) in &rows {
                for (i, cell) in cells.iter().enumerate() {
                    widths[i] = widths[i].max(cell.text.width());
                }
            }
            if let Some(limit) = width {
                fit(&mut widths, &header_widths, &fits, limit);
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
    let safe = if cell.name {
        escape(&cell.text)
    } else {
        sanitize(&cell.text)
    };
    if safe != cell.text {
        cell.highlights.clear();
        cell.text = safe;
    }
    cell
}

/// Narrows the columns until the table fits in `limit` columns: `Whole` columns never; first
/// the `Shrink` columns, down to `MIN_FLEX`; then the `Keep` columns, down to `MIN_FLEX`; then
/// both, down to their headers. Each step takes from the widest columns first, so that the
/// room left is shared fairly. A table that still does not fit is left wider than `limit`.
fn fit(widths: &mut [usize], headers: &[usize], fits: &[Fit], limit: usize) {
    let total = widths.iter().sum::<usize>() + GAP * widths.len().saturating_sub(1);
    let Some(mut excess) = total.checked_sub(limit).filter(|e| *e > 0) else {
        return;
    };
    let soft: Vec<usize> = widths
        .iter()
        .zip(headers)
        .map(|(w, h)| (*w).min(MIN_FLEX.max(*h)))
        .collect();
    let count = widths.len();
    let columns = |wanted: &[Fit]| -> Vec<usize> {
        (0..count).filter(|i| wanted.contains(&fits[*i])).collect()
    };
    excess = shrink(widths, &soft, &columns(&[Fit::Shrink]), excess);
    excess = shrink(widths, &soft, &columns(&[Fit::Keep]), excess);
    shrink(widths, headers, &columns(&[Fit::Shrink, Fit::Keep]), excess);
}

/// Takes up to `excess` columns of width from `columns`, the widest first and none below its
/// `floors` entry; returns what could not be taken.
fn shrink(widths: &mut [usize], floors: &[usize], columns: &[usize], mut excess: usize) -> usize {
    while excess > 0 {
        let givers: Vec<usize> = columns
            .iter()
            .copied()
            .filter(|&i| widths[i] > floors[i])
            .collect();
        let Some(top) = givers.iter().map(|&i| widths[i]).max() else {
            break;
        };
        let widest: Vec<usize> = givers
            .iter()
            .copied()
            .filter(|&i| widths[i] == top)
            .collect();
        // Down to the next narrower giver, or to the highest floor among the widest.
        let next = givers
            .iter()
            .map(|&i| widths[i])
            .filter(|&w| w < top)
            .max()
            .unwrap_or(0);
        let level = widest.iter().map(|&i| floors[i]).fold(next, usize::max);
        let room = (top - level) * widest.len();
        if room >= excess {
            // What does not divide evenly comes from the columns on the right.
            let (each, extra) = (excess / widest.len(), excess % widest.len());
            let first_extra = widest.len() - extra;
            for (n, &i) in widest.iter().enumerate() {
                widths[i] -= each + usize::from(n >= first_extra);
            }
            return 0;
        }
        for &i in &widest {
            widths[i] = level;
        }
        excess -= room;
    }
    excess
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
        fit(&mut widths, &[2, 5, 4], &[Fit::Keep; 3], 50);
        assert_eq!(widths, vec![10, 28, 8]);
    }

    #[test]
    fn the_widest_columns_share_what_is_left() {
        // Path and URL beside each other: both cut to the same width, not one to the minimum.
        let mut widths = vec![11, 16, 40, 60];
        let fits = [Fit::Whole, Fit::Whole, Fit::Keep, Fit::Keep];
        fit(&mut widths, &[8, 2, 5, 3], &fits, 80);
        assert_eq!(widths, vec![11, 16, 24, 23]);
        // A narrow column keeps its width while the wide one gives.
        let mut widths = vec![16, 20, 60];
        fit(
            &mut widths,
            &[2, 5, 3],
            &[Fit::Whole, Fit::Keep, Fit::Keep],
            60,
        );
        assert_eq!(widths, vec![16, 20, 20]);
    }

    #[test]
    fn whole_columns_are_never_cut() {
        let mut widths = vec![16, 10, 8, 25];
        let fits = [Fit::Whole, Fit::Whole, Fit::Shrink, Fit::Keep];
        fit(&mut widths, &[2, 4, 8, 5], &fits, 50);
        assert_eq!(widths, vec![16, 10, 8, 10]);
        // Too narrow for even the headers: the table is left wide, ids still whole.
        let mut widths = vec![16, 10, 8, 25];
        fit(&mut widths, &[2, 4, 8, 5], &fits, 20);
        assert_eq!(widths, vec![16, 10, 8, 5]);
    }

    #[test]
    fn a_provider_gives_way_before_the_title() {
        // id, date, provider, title at 80 columns: the provider goes down to MIN_FLEX first.
        let mut widths = vec![16, 10, 57, 40];
        let fits = [Fit::Whole, Fit::Whole, Fit::Shrink, Fit::Keep];
        fit(&mut widths, &[2, 4, 8, 5], &fits, 80);
        assert_eq!(widths, vec![16, 10, 12, 36]);
        let mut widths = vec![16, 10, 57, 16];
        fit(&mut widths, &[2, 4, 8, 5], &fits, 80);
        assert_eq!(widths, vec![16, 10, 32, 16]);
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
            vec![Fit::Keep],
            vec![Cell::plain("\u{1b}[31mRed")],
            None,
        );
        let mut out = Vec::new();
        table.draw(&mut out, false, None).unwrap();
        assert_eq!(String::from_utf8(out).unwrap(), "TITLE\n\\x1b[31mRed\n");
    }

    #[test]
    fn a_newline_in_a_name_is_escaped_not_a_space() {
        let mut table = TableBuffer::default();
        table.push(
            vec!["path".into(), "title".into()],
            vec![Fit::Keep, Fit::Keep],
            vec![
                Cell::plain("new\nline.md").named(),
                Cell::plain("two\nlines"),
            ],
            None,
        );
        let mut out = Vec::new();
        table.draw(&mut out, false, None).unwrap();
        assert_eq!(
            String::from_utf8(out).unwrap(),
            "PATH            TITLE\nnew\\x0aline.md  two lines\n"
        );
    }
}
