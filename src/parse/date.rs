//! Tolerant date reading: every date form SPEC §1 lists, normalised to UTC. A bare date is
//! midnight UTC and is never shifted by the local time zone; ambiguous forms such as
//! `03/04/2021` are refused rather than guessed.
//!
//! The accepted forms are one table, `FORMS`: the parser walks it, and the warning about an
//! unreadable date lists it, so the two cannot disagree. A date-time of the table may end with
//! a zone from `ZONES` (glued or after a space), read apart from the table because blogs write
//! every zone after every layout.

use chrono::{DateTime, FixedOffset, NaiveDate, NaiveDateTime, TimeZone, Timelike, Utc};

/// The earliest and latest instants tantivy's date type holds (years 1677..2262); dates
/// outside are refused so that indexing never fails on them.
const MIN_YEAR: i32 = 1678;
const MAX_YEAR: i32 = 2261;

/// How one form of `FORMS` is read.
#[derive(Debug, Clone, Copy)]
enum Reader {
    /// RFC 3339, zone required (chrono's reader).
    Rfc3339,
    /// RFC 2822 (chrono's reader, which knows `GMT`, `EST`, ... too).
    Rfc2822,
    /// A chrono format of a date and time, optionally followed by a zone of `ZONES`.
    DateTime(&'static str),
    /// A chrono format of a day: midnight UTC.
    Day(&'static str),
}

/// One accepted form: how the warning shows it, and how it is read.
struct Form {
    shows: &'static str,
    reads: Reader,
}

/// Every accepted form, tried in this order.
const FORMS: &[Form] = &[
    Form {
        shows: "RFC 3339 `2021-06-11T21:45:00Z`",
        reads: Reader::Rfc3339,
    },
    Form {
        shows: "`YYYY-MM-DDTHH:MM:SS[.fff]`",
        reads: Reader::DateTime("%Y-%m-%dT%H:%M:%S%.f"),
    },
    Form {
        shows: "`YYYY-MM-DD HH:MM:SS[.fff]`",
        reads: Reader::DateTime("%Y-%m-%d %H:%M:%S%.f"),
    },
    Form {
        shows: "`YYYY-MM-DDTHH:MM`",
        reads: Reader::DateTime("%Y-%m-%dT%H:%M"),
    },
    Form {
        shows: "`YYYY-MM-DD HH:MM`",
        reads: Reader::DateTime("%Y-%m-%d %H:%M"),
    },
    Form {
        shows: "`YYYY/MM/DD HH:MM:SS`",
        reads: Reader::DateTime("%Y/%m/%d %H:%M:%S%.f"),
    },
    Form {
        shows: "`YYYY/MM/DD HH:MM`",
        reads: Reader::DateTime("%Y/%m/%d %H:%M"),
    },
    Form {
        shows: "`YYYY-MM-DD`",
        reads: Reader::Day("%Y-%m-%d"),
    },
    Form {
        shows: "`YYYY/MM/DD`",
        reads: Reader::Day("%Y/%m/%d"),
    },
    Form {
        shows: "`YYYY.MM.DD`",
        reads: Reader::Day("%Y.%m.%d"),
    },
    Form {
        shows: "`YYYY年MM月DD日`",
        reads: Reader::Day("%Y年%m月%d日"),
    },
    Form {
        shows: "RFC 2822 `Fri, 11 Jun 2021 21:45:00 +0000`",
        reads: Reader::Rfc2822,
    },
    // Month names make these unambiguous (Astro's starter writes `Jul 08 2022`).
    Form {
        shows: "`Jul 08 2022`",
        reads: Reader::Day("%b %d %Y"),
    },
    Form {
        shows: "`July 8, 2022`",
        reads: Reader::Day("%B %d, %Y"),
    },
    Form {
        shows: "`8 July 2022`",
        reads: Reader::Day("%d %B %Y"),
    },
];

/// The zones a date-time of `FORMS` may end with, as the warning shows them.
const ZONES: &str = "`Z`, `UTC`, `GMT`, `+02:00`, `+0200`, YAML's `-5`, Go's `+0000 UTC`";

/// A date read from an archive, and how many digits of a second its text gave (the record
/// prints them as written: `.000`, `.10`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ReadDate {
    /// The instant, in UTC.
    pub utc: DateTime<Utc>,
    /// Digits of fractional seconds in the text, 0 to 9.
    pub fraction_digits: u8,
}

impl ReadDate {
    /// RFC 3339 in UTC with `Z`; fractional seconds only when the source had them, with as
    /// many digits as it gave.
    pub fn to_record_text(&self) -> String {
        if self.fraction_digits == 0 {
            return format_date(&self.utc);
        }
        let nanos = format!("{:09}", self.utc.nanosecond() % 1_000_000_000);
        format!(
            "{}.{}Z",
            self.utc.format("%Y-%m-%dT%H:%M:%S"),
            &nanos[..usize::from(self.fraction_digits.min(9))]
        )
    }
}

/// The digits of fractional seconds in a date's text: those after `:SS.`.
fn fraction_digits(text: &str) -> u8 {
    let bytes = text.as_bytes();
    let seconds_end = (3..bytes.len()).find(|&at| {
        bytes[at - 3] == b':'
            && bytes[at - 2].is_ascii_digit()
            && bytes[at - 1].is_ascii_digit()
            && bytes[at] == b'.'
    });
    let Some(dot) = seconds_end else {
        return 0;
    };
    let digits = bytes[dot + 1..]
        .iter()
        .take_while(|b| b.is_ascii_digit())
        .count();
    digits.min(9) as u8
}

/// The accepted forms, for a warning: "A, B, ... or Z; a time may end with a zone: ...".
pub fn accepted_forms() -> String {
    let shown: Vec<&str> = FORMS.iter().map(|form| form.shows).collect();
    let (last, rest) = shown.split_last().expect("FORMS is not empty");
    format!(
        "{} or {last}; a time may end with a zone: {ZONES}",
        rest.join(", ")
    )
}

/// Reads `text` as a date, or `None` when it is not one of the accepted forms (`FORMS`).
pub fn parse_date(text: &str) -> Option<DateTime<Utc>> {
    read_date(text).map(|date| date.utc)
}

/// `parse_date`, remembering how many digits of a second the text gave.
pub fn read_date(text: &str) -> Option<ReadDate> {
    let utc = read_any_year(text)?;
    if !(MIN_YEAR..=MAX_YEAR).contains(&chrono::Datelike::year(&utc)) {
        return None;
    }
    Some(ReadDate {
        utc,
        fraction_digits: fraction_digits(text),
    })
}

/// The year of a date `read_date` refuses only for its year (`0001-01-01`, Go's and Hugo's
/// zero date, or `9999-12-31`), so that the warning can say so.
pub fn year_out_of_range(text: &str) -> Option<i32> {
    let year = chrono::Datelike::year(&read_any_year(text)?);
    (!(MIN_YEAR..=MAX_YEAR).contains(&year)).then_some(year)
}

/// The years `read_date` takes.
pub const YEARS: (i32, i32) = (MIN_YEAR, MAX_YEAR);

fn read_any_year(text: &str) -> Option<DateTime<Utc>> {
    let text = text.trim();
    if text.is_empty() || text.len() > 64 {
        return None;
    }
    FORMS.iter().find_map(|form| read_form(form.reads, text))
}

fn read_form(reader: Reader, text: &str) -> Option<DateTime<Utc>> {
    match reader {
        Reader::Rfc3339 => DateTime::parse_from_rfc3339(text)
            .ok()
            .map(|d| d.with_timezone(&Utc)),
        Reader::Rfc2822 => DateTime::parse_from_rfc2822(text)
            .ok()
            .map(|d| d.with_timezone(&Utc)),
        Reader::Day(format) => {
            let day = NaiveDate::parse_from_str(text, format).ok()?;
            // chrono accepts a 1- or 5-digit year for %Y; a news date always has four digits.
            let year = format!("{:04}", chrono::Datelike::year(&day));
            text.contains(&year)
                .then(|| Utc.from_utc_datetime(&day.and_hms_opt(0, 0, 0).expect("midnight exists")))
        }
        Reader::DateTime(format) => {
            // `t` and `z` in lower case are RFC 3339 too; upper-casing leaves 年月日 alone.
            let upper = text.to_ascii_uppercase();
            let (local, zone) = split_zone(&upper);
            let naive = naive_date_time(local, format)?;
            zone.from_local_datetime(&naive)
                .single()
                .map(|d| d.with_timezone(&Utc))
        }
    }
}

fn naive_date_time(text: &str, format: &str) -> Option<NaiveDateTime> {
    if !text.as_bytes().get(..4)?.iter().all(u8::is_ascii_digit) {
        return None;
    }
    NaiveDateTime::parse_from_str(text, format).ok()
}

/// Splits a trailing zone off a date-time: `Z`, `UTC`, `GMT`, `+02:00`, `+0200`, `-5`, and
/// Go's `+0000 UTC` (a numeric offset and its abbreviation), glued to the time or after a
/// space. No zone: UTC, as SPEC §1 says of a date-time without zone.
fn split_zone(text: &str) -> (&str, FixedOffset) {
    let utc = FixedOffset::east_opt(0).expect("zero offset exists");
    let mut rest = text.trim_end();
    let mut named_utc = false;
    // A trailing word of letters: a zone abbreviation (Go writes one after the offset).
    let word_start = rest.len()
        - rest
            .bytes()
            .rev()
            .take_while(u8::is_ascii_alphabetic)
            .count();
    let word = &rest[word_start..];
    if !word.is_empty() && word.len() <= 5 && word_start > 0 {
        named_utc = matches!(word, "Z" | "UTC" | "GMT" | "UT");
        rest = rest[..word_start].trim_end();
    }
    if let Some((local, offset)) = split_offset(rest) {
        return (local, offset);
    }
    if named_utc {
        return (rest, utc);
    }
    // An abbreviation without an offset (`PST`) cannot be read: keep it, so that parsing fails.
    if word_start > 0 && !word.is_empty() && word.len() <= 5 {
        return (text, utc);
    }
    (rest, utc)
}

/// A numeric offset at the end of a date-time (`+02:00`, `+0200`, `+02`, `-5`), only after a
/// time (`HH:MM`), so that a bare date's `-11` is never taken for one.
fn split_offset(text: &str) -> Option<(&str, FixedOffset)> {
    let sign_at = text.rfind(['+', '-'])?;
    let (local, offset) = (text[..sign_at].trim_end(), &text[sign_at + 1..]);
    if !local.rsplit([' ', 'T']).next()?.contains(':') {
        return None;
    }
    let (hours, minutes) = match offset.split_once(':') {
        Some((h, m)) => (h, m),
        None if offset.len() == 4 && offset.is_ascii() => offset.split_at(2),
        None => (offset, "0"),
    };
    let digits = |s: &str, max: usize| {
        (!s.is_empty() && s.len() <= max && s.bytes().all(|b| b.is_ascii_digit()))
            .then(|| s.parse::<i32>().ok())
            .flatten()
    };
    let seconds = digits(hours, 2)? * 3600 + digits(minutes, 2)? * 60;
    let seconds = if text.as_bytes()[sign_at] == b'-' {
        -seconds
    } else {
        seconds
    };
    Some((local, FixedOffset::east_opt(seconds)?))
}

/// Reads a `YYYY-MM-DD` day (the body-file prefix and filter arguments).
pub fn parse_day(text: &str) -> Option<NaiveDate> {
    if text.len() != 10 {
        return None;
    }
    NaiveDate::parse_from_str(text, "%Y-%m-%d").ok()
}

/// The day of a Jekyll-style file name, `2019-04-11-rust-1.34.md`: a `YYYY-MM-DD-` prefix
/// (month and day may have one digit, `2017-2-5-`, as Jekyll allows).
pub fn file_name_day(name: &str) -> Option<NaiveDate> {
    let mut parts = name.splitn(4, '-');
    let (year, month, day) = (parts.next()?, parts.next()?, parts.next()?);
    parts.next()?;
    let number = |part: &str, lengths: std::ops::RangeInclusive<usize>| {
        (lengths.contains(&part.len()) && part.bytes().all(|b| b.is_ascii_digit()))
            .then(|| part.parse::<u32>().ok())
            .flatten()
    };
    let year = i32::try_from(number(year, 4..=4)?).ok()?;
    NaiveDate::from_ymd_opt(year, number(month, 1..=2)?, number(day, 1..=2)?)
        .filter(|_| (MIN_YEAR..=MAX_YEAR).contains(&year))
}

/// RFC 3339 in UTC with `Z` and whole seconds (index dates, build times).
pub fn format_date(date: &DateTime<Utc>) -> String {
    date.format("%Y-%m-%dT%H:%M:%SZ").to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn utc(text: &str) -> Option<String> {
        read_date(text).map(|d| d.to_record_text())
    }

    #[test]
    fn accepts_every_listed_form_and_normalises_to_utc() {
        let cases = [
            ("2021-06-11T21:45:00Z", "2021-06-11T21:45:00Z"),
            ("2021-06-11T21:45:00+02:00", "2021-06-11T19:45:00Z"),
            ("2021-06-11T21:45:00.123-05:00", "2021-06-12T02:45:00.123Z"),
            ("2021-06-11t21:45:00z", "2021-06-11T21:45:00Z"),
            ("2021-06-11T21:45:00", "2021-06-11T21:45:00Z"),
            ("2021-06-11T21:45", "2021-06-11T21:45:00Z"),
            ("2021-06-11T21:45+02:00", "2021-06-11T19:45:00Z"),
            ("2021-03-04 10:30", "2021-03-04T10:30:00Z"),
            ("2023-12-08 17:02:02", "2023-12-08T17:02:02Z"),
            ("2023-12-08 17:02:02 +0200", "2023-12-08T15:02:02Z"),
            ("2013-05-06 02:12:52 +0200", "2013-05-06T00:12:52Z"),
            ("2020-05-06 10:00:00 Z", "2020-05-06T10:00:00Z"),
            ("2020-05-06 10:00:00 UTC", "2020-05-06T10:00:00Z"),
            ("2020-05-06 10:00:00 +0000 UTC", "2020-05-06T10:00:00Z"),
            ("2020-05-06 10:00:00 -0700 MST", "2020-05-06T17:00:00Z"),
            ("2001-12-14 21:59:43.10 -5", "2001-12-15T02:59:43.10Z"),
            ("2001-12-14t21:59:43.10-05:00", "2001-12-15T02:59:43.10Z"),
            ("2001-12-15 2:59:43.10", "2001-12-15T02:59:43.10Z"),
            ("2024-01-09T15:00:00.000Z", "2024-01-09T15:00:00.000Z"),
            ("2021-06-11T21:45:00.123456Z", "2021-06-11T21:45:00.123456Z"),
            ("2022-02-02", "2022-02-02T00:00:00Z"),
            ("2021/03/04", "2021-03-04T00:00:00Z"),
            ("2021/03/04 10:30:05", "2021-03-04T10:30:05Z"),
            ("2021年03月23日", "2021-03-23T00:00:00Z"),
            ("2021年3月5日", "2021-03-05T00:00:00Z"),
            ("Fri, 11 Jun 2021 21:45:00 +0000", "2021-06-11T21:45:00Z"),
            ("11 Jun 2021 21:45:00 GMT", "2021-06-11T21:45:00Z"),
            ("  2022-02-02  ", "2022-02-02T00:00:00Z"),
            ("Jul 08 2022", "2022-07-08T00:00:00Z"),
            ("July 8, 2022", "2022-07-08T00:00:00Z"),
            ("8 July 2022", "2022-07-08T00:00:00Z"),
            ("8 Jul 2022", "2022-07-08T00:00:00Z"),
        ];
        for (input, expected) in cases {
            assert_eq!(utc(input).as_deref(), Some(expected), "input {input:?}");
        }
    }

    #[test]
    fn refuses_ambiguous_and_garbage() {
        for input in [
            "03/04/2021",
            "04-03-2021",
            "next tuesday",
            "",
            "2021-13-45",
            "21-06-11",
            "1066-10-14",
            "99999-01-01",
            "2020-05-06 10:00:00 PST",
            "2020-05-06 10:00:00 +99",
            "2021-06-11-05",
            "2021-06-11 10:00+\u{90c55}",
            "Jul 08 22",
            "Smarch 08 2022",
        ] {
            assert_eq!(utc(input), None, "input {input:?}");
        }
    }

    #[test]
    fn the_warning_lists_every_form_of_the_table() {
        let listed = accepted_forms();
        for form in FORMS {
            assert!(listed.contains(form.shows), "{listed}");
        }
        assert!(listed.contains("+0000 UTC"), "{listed}");
    }

    #[test]
    fn days_are_exact() {
        assert!(parse_day("2020-06-10").is_some());
        assert!(parse_day("2020-6-10").is_none());
        assert!(parse_day("2020-02-30").is_none());
    }

    #[test]
    fn jekyll_file_names_give_a_day() {
        assert_eq!(
            file_name_day("2019-04-11-rust-1.34.md"),
            NaiveDate::from_ymd_opt(2019, 4, 11)
        );
        for name in [
            "2019-04-11.md",
            "2019-04-1x-a.md",
            "rust-2019-04-11-a.md",
            "2019",
        ] {
            assert_eq!(file_name_day(name), None, "{name}");
        }
    }
}

#[cfg(test)]
mod properties {
    use super::*;
    use chrono::{FixedOffset, NaiveDate};
    use proptest::prelude::*;

    proptest! {
        #[test]
        fn every_written_form_reads_back_as_the_same_instant(
            days in 0i64..150_000,
            seconds in 0u32..86_400,
            offset_minutes in -14 * 60i32..=14 * 60,
        ) {
            let day = NaiveDate::from_ymd_opt(1700, 1, 1).unwrap() + chrono::Days::new(days as u64);
            let utc = Utc.from_utc_datetime(&day.and_hms_opt(seconds / 3600, (seconds / 60) % 60, seconds % 60).unwrap());
            prop_assume!((MIN_YEAR..=MAX_YEAR).contains(&chrono::Datelike::year(&utc)));
            let zone = FixedOffset::east_opt(offset_minutes * 60).unwrap();
            let local = utc.with_timezone(&zone);
            for text in [
                local.to_rfc3339(),
                local.to_rfc2822(),
                format_date(&utc),
                utc.format("%Y-%m-%d %H:%M:%S").to_string(),
                utc.format("%Y-%m-%dT%H:%M:%S").to_string(),
            ] {
                prop_assert_eq!(parse_date(&text), Some(utc), "{}", text);
            }
            let midnight = Utc.from_utc_datetime(&day.and_hms_opt(0, 0, 0).unwrap());
            for text in [day.format("%Y-%m-%d").to_string(), day.format("%Y/%m/%d").to_string(), day.format("%Y年%m月%d日").to_string()] {
                prop_assert_eq!(parse_date(&text), Some(midnight), "{}", text);
            }
        }

        #[test]
        fn never_panics(text in ".{0,80}") {
            let _ = parse_date(&text);
        }

        /// Date-like text with multi-byte characters where zones and offsets are cut.
        #[test]
        fn date_like_text_never_panics(text in "[0-9:+ TZz.,/年月日é\u{90c55}-]{0,32}(UTC|GMT|PST)?") {
            let _ = read_date(&text);
            let _ = file_name_day(&text);
        }
    }
}
