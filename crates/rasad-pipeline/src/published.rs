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
    // ISO 8601 with an offset RFC 3339 does not allow (`+0000`), without seconds, or a space for the
    // `T`; JavaScript's Date.toString (`Tue Nov 19 2019 03:05:46 GMT+0000`).
    let zulu = raw
        .strip_suffix('Z')
        .or_else(|| raw.strip_suffix(" GMT"))
        .or_else(|| raw.strip_suffix(" UTC"))
        .map(|r| format!("{r}+0000"));
    let with_offset = zulu.as_deref().unwrap_or(raw);
    for format in [
        "%Y-%m-%dT%H:%M:%S%.f%z",
        "%Y-%m-%d %H:%M:%S%.f%z",
        "%Y-%m-%dT%H:%M%z",
        "%a %b %d %Y %H:%M:%S GMT%z",
    ] {
        if let Ok(dt) = DateTime::parse_from_str(with_offset, format) {
            return Some(dt.with_timezone(&Utc).to_rfc3339_opts(SecondsFormat::Secs, true));
        }
    }
    for format in [
        "%Y-%m-%dT%H:%M:%S%.f",
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
    // English month names with a local time and perhaps a zone abbreviation, which is not an
    // offset rasad can trust (IST is India's and Israel's): the local time is kept, without a zone.
    let local: Vec<&str> = raw
        .split_whitespace()
        .filter(|t| {
            let zone = (2..=5).contains(&t.len()) && t.chars().all(|c| c.is_ascii_uppercase());
            !zone || *t == "AM" || *t == "PM"
        })
        .collect();
    let local = local.join(" ");
    for format in [
        "%B %d, %Y %H:%M",
        "%B %d, %Y, %I:%M %p",
        "%B %d, %Y %I:%M %p",
        "%b %d, %Y %H:%M",
        "%I:%M:%S %p %b %d, %Y",
        "%a %I:%M %p, %b %d, %Y",
    ] {
        if let Ok(dt) = NaiveDateTime::parse_from_str(&local, format) {
            return Some(dt.format("%Y-%m-%dT%H:%M:%S").to_string());
        }
    }
    for format in ["%B %d, %Y", "%b %d, %Y", "%d %B %Y"] {
        if let Ok(date) = NaiveDate::parse_from_str(&local, format) {
            return Some(date.format("%Y-%m-%d").to_string());
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
            ("2019-11-19T12:05:31+0000", Some("2019-11-19T12:05:31Z")),
            ("2019-11-19T12:05:31.123-0500", Some("2019-11-19T17:05:31Z")),
            ("2019-11-19 12:05:31+03:00", Some("2019-11-19T09:05:31Z")),
            ("2019-11-19T12:05:31.5", Some("2019-11-19T12:05:31")),
            ("2019-11-20T10:43Z", Some("2019-11-20T10:43:00Z")),
            ("Tue Nov 19 2019 03:05:46 GMT+0000", Some("2019-11-19T03:05:46Z")),
            ("November 20, 2019 13:42", Some("2019-11-20T13:42:00")),
            ("November 19, 2019, 07:47 PM EST", Some("2019-11-19T19:47:00")),
            ("01:38:07 PM IST Nov 20, 2019", Some("2019-11-20T13:38:07")),
            ("2019-11-18 17:19:53 GMT", Some("2019-11-18T17:19:53Z")),
            ("Fri 6:45 PM, Feb 16, 2018", Some("2018-02-16T18:45:00")),
            ("November 19, 2019", Some("2019-11-19")),
            ("Fri 6:45 PM, Feb 17, 2018", None),
            ("2022-02-30", None),
            ("yesterday", None),
            ("", None),
        ];
        for (input, expected) in cases {
            assert_eq!(normalize_published(input).as_deref(), expected, "{input}");
        }
    }
}
