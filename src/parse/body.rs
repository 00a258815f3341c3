//! Body files: plain text, optionally opening with ` date YYYY-MM-DD ` (the archive's body
//! format, see the seeds). The date, when present, becomes the record's date.

use chrono::NaiveDate;

use super::date::parse_day;

/// The text of a body file, split from its date prefix.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BodyText {
    /// The `date YYYY-MM-DD` prefix, when the text opens with one.
    pub date: Option<NaiveDate>,
    /// The rest of the text, trimmed.
    pub text: String,
}

/// Splits an optional leading `date YYYY-MM-DD` from `text`.
pub fn parse_body(text: &str) -> BodyText {
    let trimmed = text.trim_start();
    if let Some(rest) = trimmed.strip_prefix("date") {
        let after_word = rest.trim_start();
        let had_space = after_word.len() < rest.len();
        if had_space && after_word.len() >= 10 && after_word.is_char_boundary(10) {
            let (day, tail) = after_word.split_at(10);
            let ends_word = tail.chars().next().is_none_or(char::is_whitespace);
            if let (Some(date), true) = (parse_day(day), ends_word) {
                return BodyText {
                    date: Some(date),
                    text: tail.trim().to_owned(),
                };
            }
        }
    }
    BodyText {
        date: None,
        text: text.trim().to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_the_date_prefix() {
        let body = parse_body(" date 2020-06-10 A coalition of teams.\n\nMore text.\n");
        assert_eq!(body.date, NaiveDate::from_ymd_opt(2020, 6, 10));
        assert_eq!(body.text, "A coalition of teams.\n\nMore text.");
    }

    #[test]
    fn date_alone_or_with_newline() {
        let body = parse_body("date\t2021-01-02\nText");
        assert_eq!(body.date, NaiveDate::from_ymd_opt(2021, 1, 2));
        assert_eq!(body.text, "Text");
        assert_eq!(parse_body("date 2021-01-02").text, "");
    }

    #[test]
    fn other_text_is_all_body() {
        for text in [
            "dated 2020-06-10 text",
            "date 2020-06-1x text",
            "date 2020-06-10text",
            "The date 2020-06-10 is here",
            "date: 2020-06-10",
            "",
        ] {
            let body = parse_body(text);
            assert_eq!(body.date, None, "{text:?}");
            assert_eq!(body.text, text.trim());
        }
    }
}
