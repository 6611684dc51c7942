//! The one error type of the ingest crate: a bad item, named by file and line.

use std::io;

/// Why one input item could not be read. The batch goes on after each of these.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum ErrorKind {
    #[error("{0}")]
    Io(#[from] io::Error),
    #[error("file is {}, over the {} limit", mib(*size), mib(*limit))]
    TooLarge { size: u64, limit: u64 },
    #[error("line is over the {} limit", mib(*limit as u64))]
    LineTooLong { limit: usize },
    #[error("binary file (NUL bytes), not text")]
    Binary,
    #[error("invalid UTF-8 at byte {offset}")]
    InvalidUtf8 { offset: usize },
    #[error("invalid UTF-16 (unpaired surrogate or odd length)")]
    InvalidUtf16,
    #[error("empty document")]
    Empty,
    #[error("malformed JSON: {0}")]
    Json(#[source] serde_json::Error),
    #[error("JSON record is not an object")]
    NotAnObject,
    #[error("JSON record has no article text (expected one of: maintext, text, content, body)")]
    MissingText,
    #[error(
        "unsupported file type '.{0}' (expected .txt, .html, .jsonl, a feed (.xml, .rss, .atom, .rdf, .json) or an archive (.warc, .arc), any of them optionally .gz or .zst)"
    )]
    Unsupported(String),
    #[error("not a feed rasad can read: {0}")]
    Feed(String),
    #[error("the feed has no items")]
    EmptyFeed,
    #[error("a sitemap lists pages without their text; follow it with `rasad watch` (kind = \"sitemap\")")]
    Sitemap,
    #[error("bad archive record: {0}")]
    Archive(String),
}

/// A size for people: bytes below a mebibyte, MiB with one decimal above.
fn mib(bytes: u64) -> String {
    if bytes < 1024 * 1024 {
        return format!("{bytes} B");
    }
    #[allow(clippy::cast_precision_loss)]
    let value = bytes as f64 / (1024.0 * 1024.0);
    format!("{value:.1} MiB")
}

/// An input item that could not be read, with where it came from.
#[derive(Debug, thiserror::Error)]
#[error("{input}{}: {kind}", line.map(|l| format!(":{l}")).unwrap_or_default())]
pub struct IngestError {
    /// The path as given, or `-`.
    pub input: String,
    /// 1-based line number, for JSON Lines records.
    pub line: Option<usize>,
    #[source]
    pub kind: ErrorKind,
}

impl IngestError {
    #[must_use]
    pub fn new(input: String, kind: ErrorKind) -> Self {
        Self {
            input,
            line: None,
            kind,
        }
    }

    #[must_use]
    pub fn at_line(input: String, line: usize, kind: ErrorKind) -> Self {
        Self {
            input,
            line: Some(line),
            kind,
        }
    }
}
