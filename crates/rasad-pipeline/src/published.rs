//! Normalizing a publication date given in metadata (JSON Lines, HTML meta, feeds) to ISO 8601.

use chrono::{DateTime, NaiveDate, NaiveDateTime, SecondsFormat, Utc};

/// Reads the common machine formats of publication dates and writes them as ISO 8601: an instant
/// with a zone becomes UTC (`2022-09-07T08:00:00Z`), a local date-time stays local
/// (`2022-09-07T10:00:00`), a date stays a date. Anything else is `None`: no guessing.
#[must_use]
pub fn normalize_published(raw: &str) -> Option<String> {
    let raw = raw.trim();
    if let Ok(dt) = DateTime::parse_from_rfc3339(raw) {
        return Some(dt.with_timezone(&Utc).to_rfc3339_opts(SecondsFormat::Secs, true));
    }
    if let Ok(dt) = DateTime::parse_from_rfc2822(raw) {
        return Some(dt.with_timezone(&Utc).to_rfc3339_opts(SecondsFormat::Secs, true));
    }
    for format in [
        "%Y-%m-%d %H:%M:%S",
        "%Y-%m-%dT%H:%M:%S",
        "%Y-%m-%d %H:%M",
        "%Y-%m-%dT%H:%M",
        "%Y/%m/%d %H:%M:%S",
    ] {
        if let Ok(dt) = NaiveDateTime::parse_from_str(raw, format) {
            return Some(dt.format("%Y-%m-%dT%H:%M:%S").to_string());
        }
    }
    for format in ["%Y-%m-%d", "%Y/%m/%d"] {
        if let Ok(date) = NaiveDate::parse_from_str(raw, format) {
            return Some(date.format("%Y-%m-%d").to_string());
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn machine_formats() {
        let cases = [
            ("2022-09-07T10:00:00+02:00", Some("2022-09-07T08:00:00Z")),
            ("Wed, 07 Sep 2022 10:00:00 GMT", Some("2022-09-07T10:00:00Z")),
            ("2022-09-07 10:00:00", Some("2022-09-07T10:00:00")),
            ("2022-09-07", Some("2022-09-07")),
            ("2022-02-30", None),
            ("yesterday", None),
            ("", None),
        ];
        for (input, expected) in cases {
            assert_eq!(normalize_published(input).as_deref(), expected, "{input}");
        }
    }
}
