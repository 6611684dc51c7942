//! Web archives: WARC 1.0/1.1 and ARC v1/v2 files, read record by record from a stream (the caller
//! undoes gzip, member by member). HTML pages become documents, with the record's target URL, capture
//! date and record id kept; every other record (warcinfo, requests, metadata, revisits, images,
//! redirects and errors) is counted as skipped.
//!
//! Written here rather than taken from the `warc` crate: that crate reads a record line by line with
//! no bound on a header line or a body, has no ARC reader, and loses its place after one bad record.
//! This reader bounds every line and record, skips an oversized record without holding it, and stops
//! with one error at a truncated or unreadable record (a stream cannot be resynchronised safely).

use std::io::{self, BufRead, Read};

use rasad_model::{Provenance, SourceFormat};

use crate::{ErrorKind, IngestError, Metadata, RawDocument, decode_html};

/// The longest header line (WARC named field, ARC URL line or HTTP header) accepted.
const MAX_LINE: usize = 64 * 1024;
/// The most header lines one record or HTTP response may have.
const MAX_HEADERS: usize = 512;

/// Which archive format a stream holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ArchiveKind {
    Warc,
    Arc,
}

/// The documents of one archive, as an iterator: one item per HTML page, or per bad record.
pub struct Records<R> {
    name: String,
    kind: ArchiveKind,
    reader: R,
    /// Bytes consumed from the (decompressed) stream: records are named by their offset.
    offset: u64,
    max_record: u64,
    arc_version: u8,
    started: bool,
    done: bool,
    skipped: usize,
}

impl<R> std::fmt::Debug for Records<R> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Records")
            .field("name", &self.name)
            .field("kind", &self.kind)
            .field("offset", &self.offset)
            .finish_non_exhaustive()
    }
}

/// What one record turned out to be.
enum Step {
    Page(Box<RawDocument>),
    /// Not an HTML page: a request, an image, a redirect, metadata.
    Skipped,
    /// The description that opens an ARC file.
    Described,
}

/// One record's envelope: what the archive says about the bytes that follow.
#[derive(Debug, Default)]
struct Envelope {
    record_type: Option<String>,
    url: Option<String>,
    date: Option<String>,
    id: Option<String>,
    content_type: Option<String>,
    length: u64,
}

impl<R: BufRead> Records<R> {
    /// Reads the (already decompressed) archive `reader`, naming its pages `name@offset`; a record
    /// longer than `max_record` bytes is an error for that record and is skipped over.
    #[must_use]
    pub fn new(name: String, kind: ArchiveKind, reader: R, max_record: u64) -> Self {
        Self {
            name,
            kind,
            reader,
            offset: 0,
            max_record,
            arc_version: 1,
            started: false,
            done: false,
            skipped: 0,
        }
    }

    /// Records that were not HTML pages (and so not articles).
    #[must_use]
    pub fn skipped(&self) -> usize {
        self.skipped
    }

    fn error(&self, at: u64, kind: ErrorKind) -> IngestError {
        IngestError::new(format!("{}@{at}", self.name), kind)
    }

    /// Reads one line (up to and without its `\n`, `\r` trimmed). `None` at the end of the stream.
    fn line(&mut self) -> Result<Option<String>, ErrorKind> {
        let mut buf = Vec::new();
        let read = (&mut self.reader)
            .take(MAX_LINE as u64 + 1)
            .read_until(b'\n', &mut buf)
            .map_err(ErrorKind::Io)?;
        self.offset += read as u64;
        if read == 0 {
            return Ok(None);
        }
        if buf.len() > MAX_LINE {
            return Err(ErrorKind::Archive(format!(
                "a header line is over {MAX_LINE} bytes"
            )));
        }
        while buf.last().is_some_and(|b| *b == b'\n' || *b == b'\r') {
            buf.pop();
        }
        Ok(Some(String::from_utf8_lossy(&buf).into_owned()))
    }

    /// The next non-empty line (records are separated by blank lines), with the offset it starts at.
    fn first_line(&mut self) -> Result<Option<(String, u64)>, ErrorKind> {
        loop {
            let at = self.offset;
            match self.line()? {
                None => return Ok(None),
                Some(line) if line.trim().is_empty() => {}
                Some(line) => return Ok(Some((line, at))),
            }
        }
    }

    fn envelope(&mut self, first: &str) -> Result<Envelope, ErrorKind> {
        match self.kind {
            ArchiveKind::Warc => self.warc_envelope(first),
            ArchiveKind::Arc => arc_envelope(first, self.arc_version),
        }
    }

    fn warc_envelope(&mut self, first: &str) -> Result<Envelope, ErrorKind> {
        if !first.starts_with("WARC/") {
            return Err(ErrorKind::Archive(format!(
                "expected a WARC version line, found '{}'",
                first.chars().take(40).collect::<String>()
            )));
        }
        let mut env = Envelope::default();
        let mut length = None;
        for _ in 0..MAX_HEADERS {
            let line = self
                .line()?
                .ok_or_else(|| ErrorKind::Archive("truncated in the record header".into()))?;
            if line.is_empty() {
                env.length =
                    length.ok_or_else(|| ErrorKind::Archive("record without Content-Length".into()))?;
                return Ok(env);
            }
            let Some((name, value)) = line.split_once(':') else {
                continue;
            };
            let value = value.trim().to_string();
            match name.trim().to_ascii_lowercase().as_str() {
                "warc-type" => env.record_type = Some(value),
                "warc-target-uri" => env.url = Some(clean_uri(&value)),
                "warc-date" => env.date = Some(value),
                "warc-record-id" => env.id = Some(value),
                "content-type" => env.content_type = Some(value),
                "content-length" => {
                    length = Some(value.parse::<u64>().map_err(|_| {
                        ErrorKind::Archive(format!("Content-Length '{value}' is not a number"))
                    })?);
                }
                _ => {}
            }
        }
        Err(ErrorKind::Archive(format!(
            "more than {MAX_HEADERS} header lines"
        )))
    }

    /// Reads the filedesc record that opens an ARC file, for its version.
    fn arc_preamble(&mut self, first: &str) -> Result<(), ErrorKind> {
        let env = arc_envelope(first, 1)?;
        if !env.url.as_deref().is_some_and(|u| u.starts_with("filedesc:")) {
            return Err(ErrorKind::Archive(
                "an ARC file starts with a filedesc:// record".into(),
            ));
        }
        let (block, _) = self.body(env.length)?;
        if block.starts_with(b"2") {
            self.arc_version = 2;
        }
        Ok(())
    }

    /// Reads a record body of `length` bytes whole; `true` when the stream ended before it did.
    fn body(&mut self, length: u64) -> Result<(Vec<u8>, bool), ErrorKind> {
        let mut body = Vec::new();
        let read = (&mut self.reader)
            .take(length)
            .read_to_end(&mut body)
            .map_err(ErrorKind::Io)?;
        self.offset += read as u64;
        Ok((body, (read as u64) < length))
    }

    /// Skips a record body without holding it.
    fn skip(&mut self, length: u64) -> Result<(), ErrorKind> {
        let skipped =
            io::copy(&mut (&mut self.reader).take(length), &mut io::sink()).map_err(ErrorKind::Io)?;
        self.offset += skipped;
        if skipped < length {
            return Err(ErrorKind::Archive(format!(
                "truncated: the record promises {length} bytes, {skipped} are there"
            )));
        }
        Ok(())
    }

    /// The next record, `Err` for a bad one with its offset and whether reading can go on.
    fn record(&mut self) -> Option<Result<Step, (ErrorKind, u64, bool)>> {
        let at = self.offset;
        let (first, at) = match self.first_line() {
            Ok(Some(line)) => line,
            Ok(None) => return None,
            Err(err) => return Some(Err((err, at, false))),
        };
        if !self.started && self.kind == ArchiveKind::Arc {
            self.started = true;
            return Some(
                self.arc_preamble(&first)
                    .map(|()| Step::Described)
                    .map_err(|e| (e, at, false)),
            );
        }
        self.started = true;
        if self.kind == ArchiveKind::Warc && !first.starts_with("WARC/") {
            return Some(self.resync(&first, at));
        }
        let env = match self.envelope(&first) {
            Ok(env) => env,
            Err(err) => return Some(Err((err, at, false))),
        };
        if !env.wants_body() {
            return Some(
                self.skip(env.length)
                    .map(|()| Step::Skipped)
                    .map_err(|e| (e, at, false)),
            );
        }
        if env.length > self.max_record {
            let err = ErrorKind::TooLarge {
                size: env.length,
                limit: self.max_record,
            };
            return Some(match self.skip(env.length) {
                Ok(()) => Err((err, at, true)),
                Err(e) => Err((e, at, false)),
            });
        }
        let (body, short) = match self.body(env.length) {
            Ok(read) => read,
            Err(err) => return Some(Err((err, at, false))),
        };
        let mut notes = Vec::new();
        if short {
            // The stream ends inside this record: what is there is kept, and nothing follows it.
            self.done = true;
            notes.push(format!(
                "archive record truncated: {} of {} bytes are there",
                body.len(),
                env.length
            ));
        }
        let page = match page_of(&env, &body, self.max_record) {
            Ok(Some(page)) => page,
            Ok(None) => return Some(Ok(Step::Skipped)),
            Err(err) => return Some(Err((err, at, !short))),
        };
        notes.extend(page.notes);
        let record = match self.kind {
            ArchiveKind::Warc => env.id.clone(),
            ArchiveKind::Arc => Some(format!("offset {at}")),
        };
        Some(Ok(Step::Page(Box::new(RawDocument {
            source: format!("{}@{at}", self.name),
            format: SourceFormat::Html,
            original: page.original,
            body: page.text,
            meta: Metadata {
                url: env.url,
                provenance: Provenance {
                    captured: env.date.as_deref().and_then(capture_date),
                    record,
                    ..Provenance::default()
                },
                notes,
                ..Metadata::default()
            },
        }))))
    }

    /// After a record that did not end where its length said (a truncated or miscounted record), skips
    /// to the next line that starts a WARC record and reports the skipped bytes as one error.
    fn resync(&mut self, first: &str, at: u64) -> Result<Step, (ErrorKind, u64, bool)> {
        let found = first.chars().take(40).collect::<String>();
        loop {
            let before = self.offset;
            match self.reader.fill_buf() {
                Ok(buf) if buf.starts_with(b"WARC/") => {
                    let err = ErrorKind::Archive(format!(
                        "expected a WARC record, found '{found}'; {} bytes skipped to the next record",
                        before - at
                    ));
                    return Err((err, at, true));
                }
                Ok(_) => {}
                Err(err) => return Err((ErrorKind::Io(err), at, false)),
            }
            match self.line() {
                Ok(Some(_)) => {}
                Ok(None) => {
                    let err = ErrorKind::Archive(format!(
                        "expected a WARC record, found '{found}', and no record follows"
                    ));
                    return Err((err, at, false));
                }
                Err(err) => return Err((err, at, false)),
            }
        }
    }
}

impl<R: BufRead> Iterator for Records<R> {
    type Item = Result<RawDocument, IngestError>;

    fn next(&mut self) -> Option<Self::Item> {
        while !self.done {
            match self.record() {
                None => self.done = true,
                Some(Ok(Step::Page(doc))) => return Some(Ok(*doc)),
                Some(Ok(Step::Skipped)) => self.skipped += 1,
                Some(Ok(Step::Described)) => {}
                Some(Err((err, at, go_on))) => {
                    self.done = !go_on;
                    return Some(Err(self.error(at, err)));
                }
            }
        }
        None
    }
}

impl Envelope {
    /// Whether the record can hold a page: WARC responses and resources, ARC records.
    fn wants_body(&self) -> bool {
        match self.record_type.as_deref() {
            Some(t) => t.eq_ignore_ascii_case("response") || t.eq_ignore_ascii_case("resource"),
            // ARC records have no type: every one is a capture.
            None => true,
        }
    }
}

/// An ARC record's header line: URL, IP, date, content type and length (v1), or the ten fields of v2.
/// Fields are read from the right, so a URL with spaces in it stays whole.
fn arc_envelope(line: &str, version: u8) -> Result<Envelope, ErrorKind> {
    let fields: Vec<&str> = line.split(' ').filter(|f| !f.is_empty()).collect();
    let after_url = if version == 2 { 9 } else { 4 };
    if fields.len() < after_url + 1 {
        return Err(ErrorKind::Archive(format!(
            "ARC header line has {} fields, expected {}",
            fields.len(),
            after_url + 1
        )));
    }
    let url_end = fields.len() - after_url;
    let get = |i: usize| fields.get(i).copied().unwrap_or_default();
    let length_field = get(fields.len() - 1);
    let length = length_field
        .parse::<u64>()
        .map_err(|_| ErrorKind::Archive(format!("ARC record length '{length_field}' is not a number")))?;
    let date = get(url_end + 1);
    Ok(Envelope {
        record_type: None,
        url: Some(fields.get(..url_end).unwrap_or_default().join("%20")),
        date: Some(date.to_string()),
        id: None,
        content_type: Some(get(url_end + 2).to_string()),
        length,
    })
}

/// `<http://x>` (WARC 1.0 drafts) to `http://x`, spaces escaped.
fn clean_uri(uri: &str) -> String {
    let uri = uri.trim();
    let uri = uri
        .strip_prefix('<')
        .and_then(|u| u.strip_suffix('>'))
        .unwrap_or(uri);
    uri.replace(' ', "%20")
}

/// A capture date as RFC 3339: WARC's `2017-03-06T16:54:09Z` as given, ARC's `20140216050221` rewritten.
fn capture_date(raw: &str) -> Option<String> {
    let raw = raw.trim();
    if raw.contains('T') {
        return chrono::DateTime::parse_from_rfc3339(raw)
            .ok()
            .map(|d| d.to_utc().to_rfc3339_opts(chrono::SecondsFormat::Secs, true));
    }
    chrono::NaiveDateTime::parse_from_str(raw.get(..14)?, "%Y%m%d%H%M%S")
        .ok()
        .map(|d| d.and_utc().to_rfc3339_opts(chrono::SecondsFormat::Secs, true))
}

/// A decoded page with the bytes it came from and what decoding it noticed.
struct Page {
    text: String,
    original: Vec<u8>,
    notes: Vec<String>,
}

/// The HTML page a record holds, if it holds one: an HTTP 200 response with an HTML type (its chunked
/// transfer and gzip coding undone), or an HTML resource.
fn page_of(env: &Envelope, block: &[u8], max: u64) -> Result<Option<Page>, ErrorKind> {
    let record_type = env.record_type.as_deref().unwrap_or("");
    let is_http = env
        .content_type
        .as_deref()
        .is_some_and(|t| t.to_ascii_lowercase().starts_with("application/http"))
        || (env.record_type.is_none() && block.starts_with(b"HTTP/"));
    let mut notes = Vec::new();
    let (content_type, payload) = if is_http {
        let Some(response) = http_response(block, max)? else {
            return Ok(None);
        };
        notes.extend(response.note);
        (response.content_type, response.body)
    } else if record_type.eq_ignore_ascii_case("resource") || env.record_type.is_none() {
        (env.content_type.clone(), block.to_vec())
    } else {
        return Ok(None);
    };
    let html_type = content_type.as_deref().map(str::to_ascii_lowercase);
    let is_html = match html_type.as_deref() {
        Some(t) => t.contains("html"),
        None => payload.trim_ascii_start().starts_with(b"<"),
    };
    if !is_html {
        return Ok(None);
    }
    let charset = html_type
        .as_deref()
        .and_then(|t| t.split(';').find_map(|p| p.trim().strip_prefix("charset=")))
        .map(|c| c.trim_matches('"').to_string());
    let decoded = decode_html(&payload, charset.as_deref())?;
    if decoded.text.trim().is_empty() {
        return Err(ErrorKind::Empty);
    }
    notes.extend(decoded.note);
    Ok(Some(Page {
        text: decoded.text,
        original: payload,
        notes,
    }))
}

struct Response {
    content_type: Option<String>,
    body: Vec<u8>,
    /// Set when the content coding broke off and only its first part could be undone.
    note: Option<String>,
}

/// Parses an HTTP response block; `None` when it is not a 200 (redirects, errors, not-modified).
fn http_response(block: &[u8], max: u64) -> Result<Option<Response>, ErrorKind> {
    let mut reader = io::Cursor::new(block);
    let mut status_line = String::new();
    (&mut reader)
        .take(MAX_LINE as u64)
        .read_line(&mut status_line)
        .map_err(|_| ErrorKind::Archive("HTTP status line is not text".into()))?;
    let status = status_line
        .split_whitespace()
        .nth(1)
        .and_then(|s| s.parse::<u16>().ok())
        .ok_or_else(|| {
            ErrorKind::Archive(format!(
                "not an HTTP response: '{}'",
                status_line.trim().chars().take(40).collect::<String>()
            ))
        })?;
    let mut content_type = None;
    let mut chunked = false;
    let mut encoding = None;
    for _ in 0..MAX_HEADERS {
        let mut line = Vec::new();
        (&mut reader)
            .take(MAX_LINE as u64)
            .read_until(b'\n', &mut line)
            .map_err(ErrorKind::Io)?;
        let line = String::from_utf8_lossy(&line);
        let line = line.trim_end();
        if line.is_empty() {
            break;
        }
        if let Some((name, value)) = line.split_once(':') {
            let value = value.trim();
            match name.trim().to_ascii_lowercase().as_str() {
                "content-type" => content_type = Some(value.to_string()),
                "transfer-encoding" => chunked = value.to_ascii_lowercase().contains("chunked"),
                "content-encoding" => encoding = Some(value.to_ascii_lowercase()),
                _ => {}
            }
        }
    }
    if status != 200 {
        return Ok(None);
    }
    let start = usize::try_from(reader.position()).unwrap_or(block.len());
    let mut body = block.get(start..).unwrap_or_default().to_vec();
    if chunked && let Some(joined) = dechunk(&body) {
        // Archives often keep the chunked framing; some tools already removed it while saying it.
        body = joined;
    }
    let (body, note) = match encoding.as_deref() {
        Some("gzip" | "x-gzip") => inflate(flate2::read::MultiGzDecoder::new(&body[..]), max)?,
        Some("deflate") => inflate(flate2::read::ZlibDecoder::new(&body[..]), max)?,
        _ => (body, None),
    };
    Ok(Some(Response {
        content_type,
        body,
        note,
    }))
}

/// Undoes a content coding, up to `max` bytes. A coding that breaks off (a truncated capture) keeps
/// what came out before the break, with a note; one that yields nothing is an error.
fn inflate(reader: impl Read, max: u64) -> Result<(Vec<u8>, Option<String>), ErrorKind> {
    let mut out = Vec::new();
    let mut limited = reader.take(max.saturating_add(1));
    let mut chunk = [0u8; 16 * 1024];
    loop {
        match limited.read(&mut chunk) {
            Ok(0) => break,
            Ok(n) => out.extend_from_slice(chunk.get(..n).unwrap_or_default()),
            Err(err) if out.is_empty() => {
                return Err(ErrorKind::Archive(format!("bad gzip or deflate coding: {err}")));
            }
            Err(err) => {
                let note = format!(
                    "content coding broke off after {} bytes ({err}); the page is kept up to there",
                    out.len()
                );
                return Ok((out, Some(note)));
            }
        }
    }
    if out.len() as u64 > max {
        return Err(ErrorKind::TooLarge {
            size: out.len() as u64,
            limit: max,
        });
    }
    Ok((out, None))
}

/// Joins an HTTP/1.1 chunked body; `None` when the bytes are not chunked after all.
fn dechunk(body: &[u8]) -> Option<Vec<u8>> {
    let mut out = Vec::with_capacity(body.len());
    let mut rest = body;
    loop {
        let end = rest.iter().position(|b| *b == b'\n')?;
        let line = std::str::from_utf8(rest.get(..end)?).ok()?.trim();
        let size_hex = line.split(';').next()?.trim();
        let size = usize::from_str_radix(size_hex, 16).ok()?;
        rest = rest.get(end + 1..)?;
        if size == 0 {
            return Some(out);
        }
        // A last chunk cut short keeps what is there.
        let take = size.min(rest.len());
        out.extend_from_slice(rest.get(..take)?);
        rest = rest.get(take..)?;
        if rest.is_empty() {
            return Some(out);
        }
        rest = rest
            .strip_prefix(b"\r\n")
            .or_else(|| rest.strip_prefix(b"\n"))
            .unwrap_or(rest);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn warc_record(kind: &str, uri: &str, content_type: &str, block: &[u8]) -> Vec<u8> {
        let mut out = format!(
            "WARC/1.0\r\nWARC-Type: {kind}\r\nWARC-Record-ID: <urn:uuid:{kind}-{}>\r\nWARC-Date: 2022-09-08T10:00:00Z\r\nWARC-Target-URI: {uri}\r\nContent-Type: {content_type}\r\nContent-Length: {}\r\n\r\n",
            block.len(),
            block.len()
        )
        .into_bytes();
        out.extend_from_slice(block);
        out.extend_from_slice(b"\r\n\r\n");
        out
    }

    fn read(bytes: &[u8], kind: ArchiveKind) -> (Vec<RawDocument>, Vec<String>, usize) {
        let mut records = Records::new("a.warc".into(), kind, io::Cursor::new(bytes.to_vec()), 1 << 20);
        let mut docs = Vec::new();
        let mut errors = Vec::new();
        for item in records.by_ref() {
            match item {
                Ok(doc) => docs.push(doc),
                Err(err) => errors.push(err.to_string()),
            }
        }
        (docs, errors, records.skipped())
    }

    const PAGE: &str =
        "<html><head><title>t</title></head><body><p>Tirana cut ties with Tehran.</p></body></html>";

    #[test]
    fn a_first_line_without_a_newline_is_an_error_not_a_panic() {
        // Found by the `archive` fuzz target: an ARC description line cut before its newline made
        // the record's offset underflow.
        let bytes = b"filedesc://live-web-example.arc.gz 127.0.0.1 20140216050221 text/filedesp";
        for kind in [ArchiveKind::Arc, ArchiveKind::Warc] {
            let (docs, _, _) = read(bytes, kind);
            assert!(docs.is_empty());
        }
        // Invalid UTF-8 on the first line (decoded longer than its bytes) likewise.
        let (docs, errors, _) = read(b"\xff\xfe\xfd", ArchiveKind::Warc);
        assert!(docs.is_empty() && errors.len() == 1, "{errors:?}");
    }

    proptest::proptest! {
        #[test]
        fn any_bytes_end_in_pages_or_errors(bytes in proptest::collection::vec(proptest::prelude::any::<u8>(), 0..600), arc in proptest::prelude::any::<bool>()) {
            let kind = if arc { ArchiveKind::Arc } else { ArchiveKind::Warc };
            let mut records = Records::new("p".into(), kind, io::Cursor::new(bytes.clone()), 256);
            let mut n = 0;
            for _ in records.by_ref() {
                n += 1;
                proptest::prop_assert!(n <= bytes.len() + 1);
            }
        }
    }

    #[test]
    fn html_responses_become_documents_and_other_records_are_skipped() {
        let mut bytes = warc_record("warcinfo", "", "application/warc-fields", b"software: x\r\n");
        let http = format!("HTTP/1.1 200 OK\r\nContent-Type: text/html; charset=utf-8\r\n\r\n{PAGE}");
        bytes.extend(warc_record(
            "request",
            "https://n.example/a",
            "application/http;msgtype=request",
            b"GET /a HTTP/1.1\r\n\r\n",
        ));
        bytes.extend(warc_record(
            "response",
            "https://n.example/a",
            "application/http;msgtype=response",
            http.as_bytes(),
        ));
        let redirect = "HTTP/1.1 301 Moved\r\nLocation: /b\r\n\r\n";
        bytes.extend(warc_record(
            "response",
            "https://n.example/r",
            "application/http;msgtype=response",
            redirect.as_bytes(),
        ));
        let image = "HTTP/1.1 200 OK\r\nContent-Type: image/png\r\n\r\n\u{1}PNG";
        bytes.extend(warc_record(
            "response",
            "https://n.example/i.png",
            "application/http;msgtype=response",
            image.as_bytes(),
        ));
        bytes.extend(warc_record(
            "resource",
            "file:///p.html",
            "text/html",
            PAGE.as_bytes(),
        ));
        let (docs, errors, skipped) = read(&bytes, ArchiveKind::Warc);
        assert!(errors.is_empty(), "{errors:?}");
        assert_eq!(docs.len(), 2);
        assert_eq!(skipped, 4);
        let doc = &docs[0];
        assert_eq!(doc.meta.url.as_deref(), Some("https://n.example/a"));
        assert_eq!(
            doc.meta.provenance.captured.as_deref(),
            Some("2022-09-08T10:00:00Z")
        );
        assert!(
            doc.meta
                .provenance
                .record
                .as_deref()
                .unwrap()
                .contains("response")
        );
        assert!(
            doc.meta.published.is_none(),
            "a capture date is not a publication date"
        );
        assert!(doc.body.contains("Tirana"));
        assert!(doc.source.starts_with("a.warc@"));
    }

    #[test]
    fn chunked_and_gzipped_payloads_are_undone() {
        use std::io::Write;
        let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
        gz.write_all(PAGE.as_bytes()).unwrap();
        let zipped = gz.finish().unwrap();
        let mut chunked = format!("{:x}\r\n", 10).into_bytes();
        chunked.extend_from_slice(&zipped[..10]);
        chunked.extend(format!("\r\n{:x}\r\n", zipped.len() - 10).into_bytes());
        chunked.extend_from_slice(&zipped[10..]);
        chunked.extend_from_slice(b"\r\n0\r\n\r\n");
        let mut http = b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nTransfer-Encoding: chunked\r\nContent-Encoding: gzip\r\n\r\n".to_vec();
        http.extend(chunked);
        let bytes = warc_record(
            "response",
            "https://n.example/z",
            "application/http; msgtype=response",
            &http,
        );
        let (docs, errors, _) = read(&bytes, ArchiveKind::Warc);
        assert!(errors.is_empty(), "{errors:?}");
        assert!(docs[0].body.contains("Tirana cut ties"));
    }

    #[test]
    fn a_truncated_last_record_keeps_its_text_with_a_note() {
        let http = format!("HTTP/1.1 200 OK\r\nContent-Type: text/html\r\n\r\n{PAGE}");
        let mut bytes = warc_record(
            "response",
            "https://n.example/a",
            "application/http",
            http.as_bytes(),
        );
        let second = warc_record(
            "response",
            "https://n.example/b",
            "application/http",
            http.as_bytes(),
        );
        bytes.extend_from_slice(&second[..second.len() - 40]);
        let (docs, errors, _) = read(&bytes, ArchiveKind::Warc);
        assert!(errors.is_empty(), "{errors:?}");
        assert_eq!(docs.len(), 2);
        assert!(docs[1].body.contains("Tirana"));
        assert!(
            docs[1].meta.notes[0].contains("truncated"),
            "{:?}",
            docs[1].meta.notes
        );
    }

    #[test]
    fn a_record_longer_than_its_length_is_skipped_to_the_next_record() {
        let http = format!("HTTP/1.1 200 OK\r\nContent-Type: text/html\r\n\r\n{PAGE}");
        let mut first = warc_record(
            "response",
            "https://n.example/a",
            "application/http",
            http.as_bytes(),
        );
        // Twenty stray bytes after the first record's block, as a miscounted length leaves them.
        let end = first.len() - 4;
        first.splice(end..end, *b"stray bytes here....");
        first.extend(warc_record(
            "response",
            "https://n.example/b",
            "application/http",
            http.as_bytes(),
        ));
        let (docs, errors, _) = read(&first, ArchiveKind::Warc);
        assert_eq!(docs.len(), 2, "{errors:?}");
        assert_eq!(errors.len(), 1);
        assert!(errors[0].contains("skipped to the next record"), "{errors:?}");
    }

    #[test]
    fn an_oversized_record_is_skipped_and_reading_goes_on() {
        let big = format!(
            "HTTP/1.1 200 OK\r\nContent-Type: text/html\r\n\r\n{}",
            "x".repeat(3 << 20)
        );
        let small = format!("HTTP/1.1 200 OK\r\nContent-Type: text/html\r\n\r\n{PAGE}");
        let mut bytes = warc_record(
            "response",
            "https://n.example/big",
            "application/http",
            big.as_bytes(),
        );
        bytes.extend(warc_record(
            "response",
            "https://n.example/s",
            "application/http",
            small.as_bytes(),
        ));
        let (docs, errors, _) = read(&bytes, ArchiveKind::Warc);
        assert_eq!(docs.len(), 1);
        assert!(errors[0].contains("over the 1.0 MiB limit"), "{errors:?}");
    }

    #[test]
    fn arc_files_are_read_with_urls_that_have_spaces() {
        let http = format!("HTTP/1.1 200 OK\r\nContent-Type: text/html\r\n\r\n{PAGE}");
        let desc = "1 0 Capture\nURL IP-address Archive-date Content-type Archive-length\n";
        let bytes = format!(
            "filedesc://x.arc 0.0.0.0 20140216050221 text/plain {}\n{desc}\nhttp://n.example/a b.html 1.2.3.4 20140216050221 text/html {}\n{http}\n",
            desc.len(),
            http.len()
        );
        let (docs, errors, _) = read(bytes.as_bytes(), ArchiveKind::Arc);
        assert!(errors.is_empty(), "{errors:?}");
        assert_eq!(docs[0].meta.url.as_deref(), Some("http://n.example/a%20b.html"));
        assert_eq!(
            docs[0].meta.provenance.captured.as_deref(),
            Some("2014-02-16T05:02:21Z")
        );
    }

    #[test]
    fn garbage_is_one_error() {
        for bad in [
            &b"not an archive\n"[..],
            b"WARC/1.0\r\nContent-Length: x\r\n\r\n",
            b"WARC/1.0\r\n",
        ] {
            let (docs, errors, _) = read(bad, ArchiveKind::Warc);
            assert!(docs.is_empty());
            assert_eq!(errors.len(), 1, "{errors:?}");
        }
    }
}
