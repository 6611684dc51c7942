//! JSON Lines: one article per line, in news-please's field names (and a few common others).

use std::io::{BufRead, ErrorKind as IoErrorKind};

use rasad_model::SourceFormat;
use serde_json::{Map, Value};

use crate::{ErrorKind, IngestError, Metadata, RawDocument, decode_text};

/// Field names read for each piece of metadata, first present non-empty string wins.
const TEXT_FIELDS: &[&str] = &["maintext", "text", "content", "body"];
const TITLE_FIELDS: &[&str] = &["title", "headline"];
const URL_FIELDS: &[&str] = &["url", "link"];
const DATE_FIELDS: &[&str] = &["date_publish", "published", "date", "pubDate", "date_published"];
const OUTLET_FIELDS: &[&str] = &["source_domain", "outlet", "source", "site_name"];
const LANGUAGE_FIELDS: &[&str] = &["language", "lang"];

/// Streams the records of one JSON Lines input, a result per non-blank line.
pub(crate) struct Lines<R> {
    name: String,
    reader: std::io::BufReader<R>,
    max_line_bytes: usize,
    line_no: usize,
    done: bool,
}

impl<R: std::io::Read> Lines<R> {
    pub(crate) fn new(name: String, reader: std::io::BufReader<R>, max_line_bytes: usize) -> Self {
        Self {
            name,
            reader,
            max_line_bytes,
            line_no: 0,
            done: false,
        }
    }

    /// Reads one line into `buf` (without its newline), keeping at most `max_line_bytes`.
    /// Returns `Ok(None)` at the end of input and `Ok(Some(false))` for a line that was too long
    /// (whose remainder has been skipped).
    fn read_line(&mut self, buf: &mut Vec<u8>) -> std::io::Result<Option<bool>> {
        buf.clear();
        let mut fits = true;
        let mut any = false;
        loop {
            let available = match self.reader.fill_buf() {
                Ok(bytes) => bytes,
                Err(err) if err.kind() == IoErrorKind::Interrupted => continue,
                Err(err) => return Err(err),
            };
            if available.is_empty() {
                return Ok(if any { Some(fits) } else { None });
            }
            any = true;
            let (chunk, found_newline) = match available.iter().position(|&b| b == b'\n') {
                Some(at) => (available.get(..at).unwrap_or_default(), true),
                None => (available, false),
            };
            if fits && buf.len() + chunk.len() <= self.max_line_bytes {
                buf.extend_from_slice(chunk);
            } else {
                fits = false;
                buf.clear();
            }
            let consumed = chunk.len() + usize::from(found_newline);
            self.reader.consume(consumed);
            if found_newline {
                return Ok(Some(fits));
            }
        }
    }
}

impl<R: std::io::Read> Iterator for Lines<R> {
    type Item = Result<RawDocument, IngestError>;

    fn next(&mut self) -> Option<Self::Item> {
        let mut buf = Vec::new();
        while !self.done {
            self.line_no += 1;
            let line_no = self.line_no;
            match self.read_line(&mut buf) {
                Err(err) => {
                    self.done = true;
                    return Some(Err(IngestError::at_line(
                        self.name.clone(),
                        line_no,
                        ErrorKind::Io(err),
                    )));
                }
                Ok(None) => self.done = true,
                Ok(Some(false)) => {
                    let kind = ErrorKind::LineTooLong {
                        limit: self.max_line_bytes,
                    };
                    return Some(Err(IngestError::at_line(self.name.clone(), line_no, kind)));
                }
                Ok(Some(true)) => {
                    if buf.iter().all(u8::is_ascii_whitespace) {
                        continue;
                    }
                    let source = format!("{}:{line_no}", self.name);
                    return Some(
                        parse_record(&buf, source)
                            .map_err(|kind| IngestError::at_line(self.name.clone(), line_no, kind)),
                    );
                }
            }
        }
        None
    }
}

/// Parses one JSON Lines record into a raw document named `source`.
///
/// # Errors
/// Malformed JSON, a record that is not an object, or one with no article text.
pub fn parse_record(line: &[u8], source: String) -> Result<RawDocument, ErrorKind> {
    let text = decode_text(line)?;
    let value: Value = serde_json::from_str(text.trim_end_matches('\r')).map_err(ErrorKind::Json)?;
    let Value::Object(record) = value else {
        return Err(ErrorKind::NotAnObject);
    };
    let body = first_string(&record, TEXT_FIELDS).ok_or(ErrorKind::MissingText)?;
    let meta = Metadata {
        title: first_string(&record, TITLE_FIELDS),
        url: first_string(&record, URL_FIELDS),
        published: first_string(&record, DATE_FIELDS),
        outlet: first_string(&record, OUTLET_FIELDS),
        language: first_string(&record, LANGUAGE_FIELDS),
        ..Metadata::default()
    };
    Ok(RawDocument {
        source,
        format: SourceFormat::Jsonl,
        original: line.to_vec(),
        body,
        meta,
    })
}

fn first_string(record: &Map<String, Value>, fields: &[&str]) -> Option<String> {
    fields.iter().find_map(|field| match record.get(*field) {
        Some(Value::String(s)) if !s.trim().is_empty() => Some(s.trim().to_string()),
        _ => None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lines(input: &str, max: usize) -> Vec<Result<RawDocument, String>> {
        let reader = std::io::BufReader::with_capacity(8, input.as_bytes());
        Lines::new("f.jsonl".into(), reader, max)
            .map(|r| r.map_err(|e| e.to_string()))
            .collect()
    }

    #[test]
    fn news_please_fields_are_read() {
        let line = r#"{"title":"Albania cuts ties","maintext":"Tirana said…","url":"https://x.example/a","date_publish":"2022-09-07 10:00:00","source_domain":"x.example","language":"en"}"#;
        let doc = parse_record(line.as_bytes(), "f.jsonl:1".into()).unwrap();
        assert_eq!(doc.body, "Tirana said…");
        assert_eq!(doc.meta.title.as_deref(), Some("Albania cuts ties"));
        assert_eq!(doc.meta.published.as_deref(), Some("2022-09-07 10:00:00"));
        assert_eq!(doc.meta.outlet.as_deref(), Some("x.example"));
        assert_eq!(doc.meta.language.as_deref(), Some("en"));
    }

    #[test]
    fn text_falls_back_through_the_field_list() {
        let doc = parse_record(br#"{"maintext":null,"text":"","content":"c"}"#, "s".into()).unwrap();
        assert_eq!(doc.body, "c");
        assert!(matches!(
            parse_record(br#"{"title":"t"}"#, "s".into()),
            Err(ErrorKind::MissingText)
        ));
        assert!(matches!(
            parse_record(b"[1]", "s".into()),
            Err(ErrorKind::NotAnObject)
        ));
    }

    #[test]
    fn long_lines_are_skipped_with_an_error_and_reading_goes_on() {
        let long = format!("{{\"text\":\"{}\"}}", "x".repeat(100));
        let input = format!("{long}\n{{\"text\":\"ok\"}}\r\n\n{{\"text\":\"last, no newline\"}}");
        let out = lines(&input, 50);
        assert_eq!(out.len(), 3);
        assert_eq!(
            out[0].as_ref().unwrap_err(),
            "f.jsonl:1: line is over the 50 B limit"
        );
        assert_eq!(out[1].as_ref().unwrap().source, "f.jsonl:2");
        assert_eq!(out[2].as_ref().unwrap().source, "f.jsonl:4");
    }
}

/// Why a whole batch body could not be split into records.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum BatchError {
    #[error("the body is not a JSON array of articles: {0}")]
    NotAnArray(#[source] serde_json::Error),
    #[error("no articles in the body: send a JSON array of article objects or JSON Lines")]
    Empty,
    #[error("{count} articles in one body; at most {limit}")]
    TooMany { count: usize, limit: usize },
}

/// Splits a body of articles (a JSON array of objects, or JSON Lines) into one raw document per
/// article, each named `{name}:{n}` (1-based). A bad article is an error in its place; a body that is
/// not an array or lines of records, or holds more than `max_items`, is an error for the whole.
///
/// # Errors
/// See [`BatchError`].
pub fn parse_batch(
    body: &[u8],
    name: &str,
    max_items: usize,
) -> Result<Vec<Result<RawDocument, IngestError>>, BatchError> {
    let trimmed = body.trim_ascii_start();
    let records: Vec<Vec<u8>> = if trimmed.starts_with(b"[") {
        let values: Vec<Value> = serde_json::from_slice(trimmed).map_err(BatchError::NotAnArray)?;
        values.iter().map(|v| v.to_string().into_bytes()).collect()
    } else {
        trimmed
            .split(|b| *b == b'\n')
            .filter(|line| !line.trim_ascii().is_empty())
            .map(<[u8]>::to_vec)
            .collect()
    };
    if records.is_empty() {
        return Err(BatchError::Empty);
    }
    if records.len() > max_items {
        return Err(BatchError::TooMany {
            count: records.len(),
            limit: max_items,
        });
    }
    Ok(records
        .iter()
        .enumerate()
        .map(|(i, r)| {
            parse_record(r, format!("{name}:{}", i + 1))
                .map_err(|kind| IngestError::at_line(name.to_string(), i + 1, kind))
        })
        .collect())
}

#[cfg(test)]
mod batch_tests {
    use super::*;

    #[test]
    fn arrays_and_lines_split_into_named_articles() {
        let docs = parse_batch(
            br#" [{"text": "one", "title": "t"}, {"title": "no text"}, 3]"#,
            "api",
            10,
        )
        .unwrap();
        assert_eq!(docs.len(), 3);
        assert_eq!(docs[0].as_ref().unwrap().source, "api:1");
        assert!(matches!(
            docs[1].as_ref().unwrap_err().kind,
            ErrorKind::MissingText
        ));
        assert!(matches!(
            docs[2].as_ref().unwrap_err().kind,
            ErrorKind::NotAnObject
        ));
        let lines = parse_batch(b"{\"text\": \"a\"}\n\n{\"text\": \"b\"}\r\n", "api", 10).unwrap();
        assert_eq!(lines.len(), 2);
        assert!(lines.iter().all(Result::is_ok));
    }

    #[test]
    fn bad_bodies_are_errors_for_the_whole() {
        assert!(matches!(
            parse_batch(b"[{", "api", 10),
            Err(BatchError::NotAnArray(_))
        ));
        assert!(matches!(
            parse_batch(b" \n \n", "api", 10),
            Err(BatchError::Empty)
        ));
        assert!(matches!(parse_batch(b"[]", "api", 10), Err(BatchError::Empty)));
        let many = "{\"text\": \"x\"}\n".repeat(11);
        assert!(matches!(
            parse_batch(many.as_bytes(), "api", 10),
            Err(BatchError::TooMany { count: 11, limit: 10 })
        ));
    }

    proptest::proptest! {
        #[test]
        fn any_bytes_give_a_bounded_answer(body in proptest::collection::vec(proptest::num::u8::ANY, 0..400)) {
            if let Ok(docs) = parse_batch(&body, "api", 5) {
                proptest::prop_assert!(!docs.is_empty() && docs.len() <= 5);
            }
        }
    }
}
