//! Reading inputs into raw documents: files and directories (recursively), stdin, plain text (UTF-8, or
//! UTF-16 with a BOM), HTML (with its declared charset), JSON Lines in news-please's field names, feeds
//! (RSS, RDF, Atom, JSON Feed: one document per item) and web archives (WARC, ARC: one per HTML page),
//! any of them gzip- or zstd-compressed (`.gz`, `.zst`).
//!
//! Every bad item (a binary file, invalid UTF-8, an empty file, a malformed JSON line, a file over the
//! size limit) becomes one [`IngestError`] naming the file and line, and the iteration goes on to the next
//! item. Nothing here parses article structure: that is the cleaner's job.

mod archive;
mod decode;
mod error;
mod feed;
mod jsonl;
mod walk;

pub use archive::{ArchiveKind, Records};
pub use decode::{Decoded, decode_html, decode_text};
pub use error::{ErrorKind, IngestError};
pub use feed::{FeedEntry, ParsedFeed, parse_feed};
pub use jsonl::{BatchError, parse_batch, parse_record};

use std::collections::VecDeque;
use std::fs::File;
use std::io::{self, BufReader, Read};
use std::path::{Path, PathBuf};

use rasad_model::{Provenance, SourceFormat};

/// Metadata that came with the input rather than from its text (JSON Lines fields, feed items, archive
/// records; the page's own meta tags are read by the cleaner).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Metadata {
    pub title: Option<String>,
    pub url: Option<String>,
    /// The publication date exactly as the input gave it.
    pub published: Option<String>,
    pub outlet: Option<String>,
    pub language: Option<String>,
    /// The feed item or archive record the document came from.
    pub provenance: Provenance,
    /// What reading the item noticed without refusing it (bytes replaced in a page that is not
    /// valid in its charset, a placeholder date left out); they become the article's diagnostics.
    pub notes: Vec<String>,
}

/// One input document before cleaning.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RawDocument {
    /// The path as given (or `-`), with `:LINE` appended for JSON Lines records.
    pub source: String,
    pub format: SourceFormat,
    /// The bytes the document was read from: the whole file, or the one JSON line.
    pub original: Vec<u8>,
    /// The decoded body: plain text, or HTML markup still to be cleaned.
    pub body: String,
    pub meta: Metadata,
}

/// Limits that keep one hostile input from exhausting memory.
#[derive(Debug, Clone, Copy)]
pub struct ReadOptions {
    /// Largest single-document file (`.txt`, `.html`) or stdin body accepted, in bytes.
    pub max_file_bytes: u64,
    /// Largest JSON line accepted, in bytes. JSON Lines files themselves are streamed and have no limit.
    pub max_line_bytes: usize,
}

impl Default for ReadOptions {
    fn default() -> Self {
        Self {
            max_file_bytes: 32 * 1024 * 1024,
            max_line_bytes: 16 * 1024 * 1024,
        }
    }
}

/// What a file holds, by its extension.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    /// One document: text or HTML.
    Single(SourceFormat),
    Jsonl,
    /// RSS, RDF, Atom (`.xml`, `.rss`, `.atom`, `.rdf`) or JSON Feed (`.json`).
    Feed,
    Archive(ArchiveKind),
}

/// How a file is compressed, from its last extension.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Compression {
    None,
    Gzip,
    Zstd,
}

/// Which reader a file goes to, by extension (`page.html.gz` is gzip-compressed HTML).
fn kind_of(path: &Path) -> Option<(Kind, Compression)> {
    let name = path.file_name()?.to_str()?.to_ascii_lowercase();
    let (name, compression) = if let Some(rest) = name.strip_suffix(".gz") {
        (rest, Compression::Gzip)
    } else if let Some(rest) = name.strip_suffix(".zst") {
        (rest, Compression::Zstd)
    } else {
        (name.as_str(), Compression::None)
    };
    let ext = name.rsplit_once('.')?.1;
    let kind = match ext {
        "txt" | "text" => Kind::Single(SourceFormat::Text),
        "html" | "htm" | "xhtml" => Kind::Single(SourceFormat::Html),
        "jsonl" | "ndjson" => Kind::Jsonl,
        "xml" | "rss" | "atom" | "rdf" | "json" => Kind::Feed,
        "warc" => Kind::Archive(ArchiveKind::Warc),
        "arc" => Kind::Archive(ArchiveKind::Arc),
        _ => return None,
    };
    Some((kind, compression))
}

/// A file's bytes as a stream, decompressed when its name says so.
fn decompressed(file: File, compression: Compression) -> io::Result<Box<dyn Read>> {
    Ok(match compression {
        Compression::None => Box::new(file),
        // Multi-member: WARC.gz files are one gzip member per record.
        Compression::Gzip => Box::new(flate2::read::MultiGzDecoder::new(BufReader::new(file))),
        Compression::Zstd => Box::new(
            ruzstd::decoding::StreamingDecoder::new(BufReader::new(file))
                .map_err(|e| io::Error::new(io::ErrorKind::InvalidData, e.to_string()))?,
        ),
    })
}

/// An input named by the user: a path, or `-` for standard input.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Input {
    Path(PathBuf),
    Stdin,
}

impl Input {
    #[must_use]
    pub fn parse(arg: &str) -> Self {
        if arg == "-" {
            Input::Stdin
        } else {
            Input::Path(PathBuf::from(arg))
        }
    }
}

/// An iterator over the documents of a list of inputs, yielding one result per document.
///
/// Directories are walked recursively in sorted order, skipping hidden entries and files of unknown
/// type (counted in [`Documents::skipped`]); a file named explicitly with an unknown type is an error.
pub struct Documents<R: Read = io::Stdin> {
    options: ReadOptions,
    pending: VecDeque<Pending>,
    current: Option<Current>,
    stdin: Option<R>,
    skipped: usize,
    not_articles: usize,
}

/// The file being read item by item.
enum Current {
    Lines(jsonl::Lines<Box<dyn Read>>),
    Records(Records<BufReader<Box<dyn Read>>>),
    Items(std::vec::IntoIter<Result<RawDocument, IngestError>>),
}

impl<R: Read> std::fmt::Debug for Documents<R> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Documents")
            .field("pending", &self.pending.len())
            .field("skipped", &self.skipped)
            .finish()
    }
}

#[derive(Debug)]
enum Pending {
    File(PathBuf),
    Stdin,
    Error(IngestError),
}

impl Documents<io::Stdin> {
    /// Reads the given inputs, with `-` meaning the process's standard input.
    #[must_use]
    pub fn new(inputs: &[Input], options: ReadOptions) -> Self {
        Self::with_stdin(inputs, options, io::stdin())
    }
}

impl<R: Read> Documents<R> {
    /// Like [`Documents::new`], with another reader standing in for standard input (for tests).
    pub fn with_stdin(inputs: &[Input], options: ReadOptions, stdin: R) -> Self {
        let mut pending = VecDeque::new();
        let mut skipped = 0;
        for input in inputs {
            match input {
                Input::Stdin => pending.push_back(Pending::Stdin),
                Input::Path(path) => match walk::expand(path) {
                    Ok(walk::Expanded::File(path)) => pending.push_back(Pending::File(path)),
                    Ok(walk::Expanded::Dir(files)) => {
                        for path in files {
                            if kind_of(&path).is_some() {
                                pending.push_back(Pending::File(path));
                            } else {
                                skipped += 1;
                            }
                        }
                    }
                    Err((path, err)) => {
                        pending.push_back(Pending::Error(IngestError::new(
                            display(&path),
                            ErrorKind::Io(err),
                        )));
                    }
                },
            }
        }
        Self {
            options,
            pending,
            current: None,
            stdin: Some(stdin),
            skipped,
            not_articles: 0,
        }
    }

    /// Items of feeds and archives that are not articles: feed items that carry no text (their
    /// pages are fetched by `rasad watch`), archive records that are not HTML pages. Final once the
    /// iteration has ended.
    #[must_use]
    pub fn not_articles(&self) -> usize {
        self.not_articles
    }

    /// Files left out of directory walks because their type is unknown.
    #[must_use]
    pub fn skipped(&self) -> usize {
        self.skipped
    }

    /// How many inputs are still queued (files, not documents): an estimate for progress bars.
    #[must_use]
    pub fn pending_files(&self) -> usize {
        self.pending.len()
    }

    fn open_file(&mut self, path: &Path) -> Option<Result<RawDocument, IngestError>> {
        let name = display(path);
        let Some((kind, compression)) = kind_of(path) else {
            // Only reachable for paths named explicitly: directory walks filter unknown types out.
            let ext = path
                .extension()
                .map(|e| e.to_string_lossy().into_owned())
                .unwrap_or_default();
            return Some(Err(IngestError::new(name, ErrorKind::Unsupported(ext))));
        };
        let file = match File::open(path) {
            Ok(file) => file,
            Err(err) => return Some(Err(IngestError::new(name, ErrorKind::Io(err)))),
        };
        let size = file.metadata().map(|m| m.len()).unwrap_or(0);
        let limit = self.options.max_file_bytes;
        // Uncompressed documents and feeds are refused by size before reading; compressed ones are
        // bounded as they are decompressed; archives and JSON Lines are streamed.
        if compression == Compression::None && matches!(kind, Kind::Single(_) | Kind::Feed) && size > limit {
            return Some(Err(IngestError::new(name, ErrorKind::TooLarge { size, limit })));
        }
        let reader = match decompressed(file, compression) {
            Ok(reader) => reader,
            Err(err) => return Some(Err(IngestError::new(name, ErrorKind::Io(err)))),
        };
        match kind {
            Kind::Jsonl => {
                self.current = Some(Current::Lines(jsonl::Lines::new(
                    name,
                    BufReader::with_capacity(64 * 1024, reader),
                    self.options.max_line_bytes,
                )));
                None
            }
            Kind::Archive(archive) => {
                self.current = Some(Current::Records(Records::new(
                    name,
                    archive,
                    BufReader::with_capacity(64 * 1024, reader),
                    limit,
                )));
                None
            }
            Kind::Feed => {
                let bytes = match read_limited(reader, limit) {
                    Ok(bytes) => bytes,
                    Err(kind) => return Some(Err(IngestError::new(name, kind))),
                };
                // A `.json` file holding an array of article objects (news-please's and
                // SaudiNewsNet's dumps, the body `POST /api/ingest` takes) is read as such.
                if is_json_name(&name) && bytes.trim_ascii_start().starts_with(b"[") {
                    return match jsonl::parse_batch(&bytes, &name, usize::MAX) {
                        Ok(items) => {
                            self.current = Some(Current::Items(items.into_iter()));
                            None
                        }
                        Err(err) => Some(Err(IngestError::new(
                            name,
                            ErrorKind::Feed(format!("a .json array that is not a list of articles: {err}")),
                        ))),
                    };
                }
                match feed_items(&name, &bytes) {
                    Ok(items) => {
                        self.not_articles += items.without_text;
                        self.current = Some(Current::Items(items.items.into_iter()));
                        None
                    }
                    Err(kind) => Some(Err(IngestError::new(name, kind))),
                }
            }
            Kind::Single(format) => Some(
                read_limited(reader, limit)
                    .map_err(|kind| IngestError::new(name.clone(), kind))
                    .and_then(|bytes| single_document(name, format, bytes)),
            ),
        }
    }

    fn open_stdin(&mut self) -> Option<Result<RawDocument, IngestError>> {
        let name = "-".to_string();
        let stdin = self.stdin.take()?;
        let bytes = match read_limited(stdin, self.options.max_file_bytes) {
            Ok(bytes) => bytes,
            Err(kind) => return Some(Err(IngestError::new(name, kind))),
        };
        let first = bytes.iter().copied().find(|b| !b.is_ascii_whitespace());
        match first {
            Some(b'{') => {
                let reader: Box<dyn Read> = Box::new(io::Cursor::new(bytes));
                self.current = Some(Current::Lines(jsonl::Lines::new(
                    name,
                    BufReader::new(reader),
                    self.options.max_line_bytes,
                )));
                None
            }
            Some(b'<') => Some(single_document(name, SourceFormat::Html, bytes)),
            _ => Some(single_document(name, SourceFormat::Text, bytes)),
        }
    }
}

impl<R: Read> Iterator for Documents<R> {
    type Item = Result<RawDocument, IngestError>;

    fn next(&mut self) -> Option<Self::Item> {
        loop {
            if let Some(current) = self.current.as_mut() {
                let next = match current {
                    Current::Lines(lines) => lines.next(),
                    Current::Records(records) => records.next(),
                    Current::Items(items) => items.next(),
                };
                match next {
                    Some(item) => return Some(item),
                    None => {
                        if let Some(Current::Records(records)) = self.current.take() {
                            self.not_articles += records.skipped();
                        }
                    }
                }
            }
            let next = match self.pending.pop_front()? {
                Pending::Error(err) => Some(Err(err)),
                Pending::File(path) => self.open_file(&path),
                Pending::Stdin => self.open_stdin(),
            };
            if next.is_some() {
                return next;
            }
        }
    }
}

/// Whether a file name is `.json` (under any compression suffix).
fn is_json_name(name: &str) -> bool {
    name.to_ascii_lowercase()
        .trim_end_matches(".gz")
        .trim_end_matches(".zst")
        .ends_with(".json")
}

/// A feed file's items; a sitemap or a `.json` file that is not a JSON Feed is named as such.
fn feed_items(name: &str, bytes: &[u8]) -> Result<feed::FeedItems, ErrorKind> {
    let head = String::from_utf8_lossy(bytes.get(..bytes.len().min(2048)).unwrap_or_default());
    if head.contains("<urlset") || head.contains("<sitemapindex") {
        return Err(ErrorKind::Sitemap);
    }
    if is_json_name(name) && !head.contains("jsonfeed.org") {
        return Err(ErrorKind::Feed(
            "a .json file is read as a JSON Feed or an array of articles, and this one is neither".into(),
        ));
    }
    feed::items_of_file(name, bytes)
}

/// Reads at most `limit` bytes; more than that is an error rather than a silent truncation.
pub(crate) fn read_limited(reader: impl Read, limit: u64) -> Result<Vec<u8>, ErrorKind> {
    let mut bytes = Vec::new();
    reader
        .take(limit.saturating_add(1))
        .read_to_end(&mut bytes)
        .map_err(ErrorKind::Io)?;
    if bytes.len() as u64 > limit {
        return Err(ErrorKind::TooLarge {
            size: bytes.len() as u64,
            limit,
        });
    }
    Ok(bytes)
}

fn single_document(name: String, format: SourceFormat, bytes: Vec<u8>) -> Result<RawDocument, IngestError> {
    let decoded = match format {
        SourceFormat::Html => decode_html(&bytes, None),
        _ => decode_text(&bytes).map(|text| Decoded { text, note: None }),
    }
    .map_err(|kind| IngestError::new(name.clone(), kind))?;
    let body = decoded.text;
    if body.trim().is_empty() {
        return Err(IngestError::new(name, ErrorKind::Empty));
    }
    Ok(RawDocument {
        source: name,
        format,
        original: bytes,
        body,
        meta: Metadata {
            notes: decoded.note.into_iter().collect(),
            ..Metadata::default()
        },
    })
}

fn display(path: &Path) -> String {
    path.to_string_lossy().into_owned()
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Write;

    fn collect(inputs: &[Input]) -> (Vec<RawDocument>, Vec<IngestError>) {
        let mut docs = Vec::new();
        let mut errors = Vec::new();
        for item in Documents::with_stdin(inputs, ReadOptions::default(), io::empty()) {
            match item {
                Ok(doc) => docs.push(doc),
                Err(err) => errors.push(err),
            }
        }
        (docs, errors)
    }

    fn write(dir: &Path, name: &str, bytes: &[u8]) -> PathBuf {
        let path = dir.join(name);
        let mut file = File::create(&path).unwrap();
        file.write_all(bytes).unwrap();
        path
    }

    #[test]
    fn a_json_array_of_articles_is_read_article_by_article() {
        let dir = tempfile::tempdir().unwrap();
        // SaudiNewsNet's daily files: an array of objects with title, content, url, source.
        let day = r#"[
            {"source": "aawsat", "url": "https://aawsat.com/1", "title": "عنوان", "content": "نص المقال الأول"},
            {"source": "aawsat", "url": "https://aawsat.com/2", "title": "بلا نص"},
            {"url": "https://aawsat.com/3", "content": "نص المقال الثالث"}
        ]"#;
        let path = write(dir.path(), "2015-07-21.json", day.as_bytes());
        let (docs, errors) = collect(&[Input::Path(path)]);
        let sources: Vec<_> = docs
            .iter()
            .map(|d| d.source.rsplit('/').next().unwrap().to_string())
            .collect();
        assert_eq!(sources, ["2015-07-21.json:1", "2015-07-21.json:3"]);
        assert_eq!(docs[0].meta.url.as_deref(), Some("https://aawsat.com/1"));
        assert_eq!(errors.len(), 1);
        assert!(
            errors[0].to_string().contains("2015-07-21.json:2"),
            "{}",
            errors[0]
        );
        // A .json object that is neither a JSON Feed nor an array says so.
        let other = write(dir.path(), "config.json", br#"{"a": 1}"#);
        let (docs, errors) = collect(&[Input::Path(other)]);
        assert!(docs.is_empty());
        assert!(errors[0].to_string().contains("neither"), "{}", errors[0]);
    }

    #[test]
    fn a_directory_is_walked_and_bad_items_do_not_stop_it() {
        let dir = tempfile::tempdir().unwrap();
        write(dir.path(), "a.txt", "سلام دنیا".as_bytes());
        write(dir.path(), "b.txt", b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR");
        write(dir.path(), "c.txt", b"caf\xe9 au lait");
        write(dir.path(), "d.txt", b"  \n ");
        write(
            dir.path(),
            "e.jsonl",
            b"{\"title\":\"t\",\"maintext\":\"body one\"}\n{broken\n\n{\"text\":\"body two\"}\n",
        );
        write(dir.path(), "notes.md", b"# not an article");
        std::fs::create_dir(dir.path().join("sub")).unwrap();
        write(
            &dir.path().join("sub"),
            "f.html",
            b"<html><body><p>hello</p></body></html>",
        );

        let docs = Documents::with_stdin(
            &[Input::Path(dir.path().into())],
            ReadOptions::default(),
            io::empty(),
        );
        assert_eq!(docs.skipped(), 1);
        let (docs, errors) = collect(&[Input::Path(dir.path().into())]);
        let sources: Vec<_> = docs
            .iter()
            .map(|d| d.source.rsplit('/').next().unwrap().to_string())
            .collect();
        assert_eq!(sources, ["a.txt", "e.jsonl:1", "e.jsonl:4", "f.html"]);
        let messages: Vec<_> = errors.iter().map(ToString::to_string).collect();
        assert_eq!(messages.len(), 4, "{messages:?}");
        assert!(
            messages[0].ends_with("b.txt: binary file (NUL bytes), not text"),
            "{}",
            messages[0]
        );
        assert!(
            messages[1].ends_with("c.txt: invalid UTF-8 at byte 3"),
            "{}",
            messages[1]
        );
        assert!(messages[2].ends_with("d.txt: empty document"), "{}", messages[2]);
        assert!(
            messages[3].contains("e.jsonl:2: malformed JSON"),
            "{}",
            messages[3]
        );
    }

    #[test]
    fn explicit_unknown_types_and_missing_files_are_errors() {
        let dir = tempfile::tempdir().unwrap();
        let md = write(dir.path(), "notes.md", b"# x");
        let (docs, errors) = collect(&[Input::Path(md), Input::Path(dir.path().join("missing.txt"))]);
        assert!(docs.is_empty());
        assert!(
            errors[0].to_string().contains("unsupported file type '.md'"),
            "{}",
            errors[0]
        );
        assert!(errors[1].to_string().contains("missing.txt"), "{}", errors[1]);
    }

    #[test]
    fn a_huge_sparse_file_is_refused_by_size_without_reading_it() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("huge.txt");
        File::create(&path).unwrap().set_len(500 * 1024 * 1024).unwrap();
        let (docs, errors) = collect(&[Input::Path(path)]);
        assert!(docs.is_empty());
        let message = errors[0].to_string();
        assert!(
            message.contains("huge.txt: file is 500.0 MiB, over the 32.0 MiB limit"),
            "{message}"
        );
    }

    #[test]
    fn stdin_is_sniffed() {
        let inputs = [Input::Stdin];
        let jsonl = b"{\"maintext\":\"x y\",\"url\":\"https://a.example/1\"}\n".to_vec();
        let docs: Vec<_> =
            Documents::with_stdin(&inputs, ReadOptions::default(), io::Cursor::new(jsonl)).collect();
        let doc = docs[0].as_ref().unwrap();
        assert_eq!(doc.source, "-:1");
        assert_eq!(doc.meta.url.as_deref(), Some("https://a.example/1"));

        let html = b"  <p>hi</p>".to_vec();
        let docs: Vec<_> =
            Documents::with_stdin(&inputs, ReadOptions::default(), io::Cursor::new(html)).collect();
        assert_eq!(docs[0].as_ref().unwrap().format, SourceFormat::Html);
    }
}
