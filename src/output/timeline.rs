//! The timeline's bar chart: each row of counts with a bar scaled to the largest count and
//! to the room the terminal leaves.

use std::io::Write;

use anyhow::Result;
use serde::{Serialize, Serializer};
use serde_json::Value;

use super::{Cell, Printer, Row, Style};
use crate::query::timeline::{PeriodCount, SeriesCount, Timeline, TimelineRows};

/// A row with its bar; its JSON is the row's (the bar is drawn in the table only).
struct Barred<'a, R> {
    row: &'a R,
    bar: String,
}

impl<R: Serialize> Serialize for Barred<'_, R> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        self.row.serialize(serializer)
    }
}

impl Row for Barred<'_, PeriodCount> {
    fn table_keys(&self) -> &'static [&'static str] {
        &["period", "count", "bar"]
    }

    fn table_cell(&self, key: &str, value: &Value) -> Cell {
        match key {
            "bar" => Cell::plain(&self.bar).styled(Style::Bar),
            _ => Cell::for_value(value),
        }
    }
}

impl Row for Barred<'_, SeriesCount> {
    fn table_keys(&self) -> &'static [&'static str] {
        &["period", "value", "count", "bar"]
    }

    fn table_cell(&self, key: &str, value: &Value) -> Cell {
        match key {
            "bar" => Cell::plain(&self.bar).styled(Style::Bar),
            "period" if !self.row.opens_period => Cell::plain(""),
            _ => Cell::for_value(value),
        }
    }
}

/// The bar of `count` when `max` fills `room` columns.
fn bar(count: u64, max: u64, room: u64) -> String {
    let length = if max == 0 {
        0
    } else {
        (count * room).div_ceil(max)
    };
    "█".repeat(length as usize)
}

impl<W: Write> Printer<W> {
    /// Prints a timeline's rows, with bars in the table and a note of the undated records.
    /// Returns whether any row was printed.
    pub fn timeline(&mut self, timeline: &Timeline) -> Result<bool> {
        // Columns the bars may take when the other columns take `used`.
        let width = self.options().width;
        let room = |used: usize| width.map_or(50, |w| w.saturating_sub(used).clamp(10, 60)) as u64;
        let printed = match &timeline.rows {
            TimelineRows::Periods(rows) => {
                let max = rows.iter().map(|r| r.count).max().unwrap_or(0);
                let room = room(24);
                for row in rows {
                    let bar = bar(row.count, max, room);
                    self.row(&Barred { row, bar })?;
                }
                !rows.is_empty()
            }
            TimelineRows::Series(rows) => {
                let max = rows.iter().map(|r| r.count).max().unwrap_or(0);
                let name_width = rows.iter().map(|r| r.value.chars().count()).max();
                let room = room(name_width.unwrap_or(0) + 24);
                for row in rows {
                    let bar = bar(row.count, max, room);
                    self.row(&Barred { row, bar })?;
                }
                !rows.is_empty()
            }
        };
        if timeline.undated > 0 {
            self.table_note(&format!(
                "{} matching records have no date and are not counted",
                timeline.undated
            ));
        }
        Ok(printed)
    }
}
