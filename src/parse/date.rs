//! Tolerant date reading: every date form SPEC §1 lists, normalised to UTC. A bare date is
//! midnight UTC and is never shifted by the local time zone; ambiguous forms such as
//! `03/04/2021` are refused rather than guessed.

use chrono::{DateTime, NaiveDate, NaiveDateTime, TimeZone, Utc};

/// The earliest and latest instants tantivy's date type holds (years 1677..2262); dates
/// outside are refused so that indexing never fails on them.
const MIN_YEAR: i32 = 1678;
const MAX_YEAR: i32 = 2261;

/// Reads `text` as a date, or `None` when it is not one of the accepted forms.
///
/// Accepted: RFC 3339 (`2021-06-11T21:45:00Z`, with an offset, with fractions), a date-time
/// without zone (taken as UTC, `T` or space, with or without seconds), a bare `YYYY-MM-DD`,
/// `YYYY/MM/DD`, `2021年03月23日`, and RFC 2822 (`Fri, 11 Jun 2021 21:45:00 +0000`).
pub fn parse_date(text: &str) -> Option<DateTime<Utc>> {
    let text = text.trim();
    if text.is_empty() || text.len() > 64 {
        return None;
    }
    let parsed = parse_any(text)?;
    (MIN_YEAR..=MAX_YEAR)
        .contains(&chrono::Datelike::year(&parsed))
        .then_some(parsed)
}

fn parse_any(text: &str) -> Option<DateTime<Utc>> {
    if let Ok(with_zone) = DateTime::parse_from_rfc3339(text) {
        return Some(with_zone.with_timezone(&Utc));
    }
    // RFC 3339 with a lower-case `t`/`z` or a space before the zone, and zoned "date time" forms.
    for format in [
        "%Y-%m-%dT%H:%M:%S%.f%:z",
        "%Y-%m-%d %H:%M:%S%.f%:z",
        "%Y-%m-%d %H:%M:%S%.f %:z",
        "%Y-%m-%d %H:%M:%S%.f %z",
        "%Y-%m-%dT%H:%M%:z",
        "%Y-%m-%d %H:%M%:z",
    ] {
        if let Ok(with_zone) = DateTime::parse_from_str(text, format) {
            return Some(with_zone.with_timezone(&Utc));
        }
    }
    let upper = text.to_ascii_uppercase();
    if let Some(naive) = upper.strip_suffix('Z').and_then(parse_naive_date_time) {
        return Some(Utc.from_utc_datetime(&naive));
    }
    if let Some(naive) = parse_naive_date_time(text) {
        return Some(Utc.from_utc_datetime(&naive));
    }
    if let Some(day) = parse_bare_date(text) {
        return Some(Utc.from_utc_datetime(&day.and_hms_opt(0, 0, 0)?));
    }
    DateTime::parse_from_rfc2822(text)
        .ok()
        .map(|with_zone| with_zone.with_timezone(&Utc))
}

fn parse_naive_date_time(text: &str) -> Option<NaiveDateTime> {
    [
        "%Y-%m-%dT%H:%M:%S%.f",
        "%Y-%m-%d %H:%M:%S%.f",
        "%Y-%m-%dT%H:%M",
        "%Y-%m-%d %H:%M",
        "%Y/%m/%d %H:%M:%S",
        "%Y/%m/%d %H:%M",
    ]
    .iter()
    .find_map(|format| NaiveDateTime::parse_from_str(text, format).ok())
}

fn parse_bare_date(text: &str) -> Option<NaiveDate> {
    ["%Y-%m-%d", "%Y/%m/%d", "%Y年%m月%d日", "%Y.%m.%d"]
        .iter()
        .find_map(|format| NaiveDate::parse_from_str(text, format).ok())
        // chrono accepts a 1- or 5-digit year for %Y; a news date always has four digits.
        .filter(|_| text.len() >= 8 && text.as_bytes()[..4].iter().all(u8::is_ascii_digit))
}

/// Reads a `YYYY-MM-DD` day (the body-file prefix and filter arguments).
pub fn parse_day(text: &str) -> Option<NaiveDate> {
    if text.len() != 10 {
        return None;
    }
    NaiveDate::parse_from_str(text, "%Y-%m-%d").ok()
}

/// RFC 3339 in UTC with `Z` and whole seconds, the one date form newsidx prints.
pub fn format_date(date: &DateTime<Utc>) -> String {
    date.format("%Y-%m-%dT%H:%M:%SZ").to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn utc(text: &str) -> Option<String> {
        parse_date(text).map(|d| format_date(&d))
    }

    #[test]
    fn accepts_every_listed_form_and_normalises_to_utc() {
        let cases = [
            ("2021-06-11T21:45:00Z", "2021-06-11T21:45:00Z"),
            ("2021-06-11T21:45:00+02:00", "2021-06-11T19:45:00Z"),
            ("2021-06-11T21:45:00.123-05:00", "2021-06-12T02:45:00Z"),
            ("2021-06-11t21:45:00z", "2021-06-11T21:45:00Z"),
            ("2021-06-11T21:45:00", "2021-06-11T21:45:00Z"),
            ("2021-06-11T21:45", "2021-06-11T21:45:00Z"),
            ("2021-03-04 10:30", "2021-03-04T10:30:00Z"),
            ("2023-12-08 17:02:02", "2023-12-08T17:02:02Z"),
            ("2023-12-08 17:02:02 +0200", "2023-12-08T15:02:02Z"),
            ("2022-02-02", "2022-02-02T00:00:00Z"),
            ("2021/03/04", "2021-03-04T00:00:00Z"),
            ("2021年03月23日", "2021-03-23T00:00:00Z"),
            ("2021年3月5日", "2021-03-05T00:00:00Z"),
            ("Fri, 11 Jun 2021 21:45:00 +0000", "2021-06-11T21:45:00Z"),
            ("11 Jun 2021 21:45:00 GMT", "2021-06-11T21:45:00Z"),
            ("  2022-02-02  ", "2022-02-02T00:00:00Z"),
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
        ] {
            assert_eq!(utc(input), None, "input {input:?}");
        }
    }

    #[test]
    fn days_are_exact() {
        assert!(parse_day("2020-06-10").is_some());
        assert!(parse_day("2020-6-10").is_none());
        assert!(parse_day("2020-02-30").is_none());
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
    }
}
