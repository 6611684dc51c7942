//! Feeds: RSS 0.9x/1.0 (RDF)/2.0, Atom and JSON Feed, parsed by `feed-rs`, one document per item.
//!
//! An item's body is its full content (`content:encoded`, Atom `content`, JSON Feed `content_html`),
//! else its summary or description, else a media description. An item with none of these carries no
//! article text: it is counted as skipped here (`rasad watch` fetches such items' pages), never
//! turned into an article made of its title.

use feed_rs::model::{Entry, Feed, Link};
use rasad_model::{Provenance, SourceFormat};

use crate::{ErrorKind, IngestError, Metadata, RawDocument};

/// What one feed file gave: its documents (or per-item errors) and the items left out for lack of
/// text.
#[derive(Debug, Default)]
pub struct FeedItems {
    pub items: Vec<Result<RawDocument, IngestError>>,
    pub without_text: usize,
}

/// One feed item with what it says about itself, before any page is fetched.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FeedEntry {
    /// The item's GUID as the feed gives it (feed-rs derives a stable one from link and title when
    /// the feed has none).
    pub guid: String,
    /// The item's link to its page (the `alternate` link when there are several).
    pub url: Option<String>,
    pub title: Option<String>,
    /// RFC 3339, from `pubDate`/`published`, else `updated`.
    pub published: Option<String>,
    /// The full text or summary the feed carries, and whether it is markup.
    pub body: Option<(String, SourceFormat)>,
    pub language: Option<String>,
}

/// A parsed feed: its link to its site, its language, and its items in feed order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ParsedFeed {
    pub title: Option<String>,
    pub link: Option<String>,
    pub language: Option<String>,
    pub entries: Vec<FeedEntry>,
}

/// Parses a feed document (any of the supported formats, detected from its content). `base` resolves
/// relative links.
///
/// # Errors
/// [`ErrorKind::Feed`] when the bytes are not a feed feed-rs can read.
pub fn parse_feed(bytes: &[u8], base: Option<&str>) -> Result<ParsedFeed, ErrorKind> {
    let parser = feed_rs::parser::Builder::new().base_uri(base).build();
    let feed = parser
        .parse(bytes)
        .map_err(|err| ErrorKind::Feed(err.to_string()))?;
    Ok(convert(feed))
}

fn convert(feed: Feed) -> ParsedFeed {
    let language = feed.language.clone();
    let entries = feed
        .entries
        .into_iter()
        .map(|entry| entry_of(entry, language.as_deref()))
        .collect();
    ParsedFeed {
        title: feed
            .title
            .map(|t| t.content.trim().to_string())
            .filter(|t| !t.is_empty()),
        link: alternate(&feed.links),
        language,
        entries,
    }
}

fn entry_of(entry: Entry, feed_language: Option<&str>) -> FeedEntry {
    let url = alternate(&entry.links);
    let title = entry
        .title
        .map(|t| t.content.trim().to_string())
        .filter(|t| !t.is_empty());
    let published = entry
        .published
        .or(entry.updated)
        .map(|d| d.to_rfc3339_opts(chrono::SecondsFormat::Secs, true));
    let content = entry
        .content
        .and_then(|c| c.body)
        .filter(|b| !b.trim().is_empty());
    let summary = entry.summary.map(|s| s.content).filter(|b| !b.trim().is_empty());
    let media = entry
        .media
        .into_iter()
        .find_map(|m| m.description.map(|d| d.content))
        .filter(|b| !b.trim().is_empty());
    let body = content.or(summary).or(media).map(|b| {
        let format = if looks_like_markup(&b) {
            SourceFormat::Html
        } else {
            SourceFormat::Text
        };
        (b, format)
    });
    FeedEntry {
        guid: entry.id,
        url,
        title,
        published,
        body,
        language: entry.language.or_else(|| feed_language.map(str::to_string)),
    }
}

/// The link a reader follows: `alternate` (or no `rel`) first, then any.
fn alternate(links: &[Link]) -> Option<String> {
    links
        .iter()
        .find(|l| l.rel.as_deref().is_none_or(|r| r == "alternate"))
        .or_else(|| links.first())
        .map(|l| l.href.trim().to_string())
        .filter(|h| !h.is_empty())
}

/// True when the text holds an element tag or an entity a page would (`<p>`, `<br/>`, `&amp;`).
fn looks_like_markup(text: &str) -> bool {
    let bytes = text.as_bytes();
    bytes.windows(2).any(|w| match w {
        [b'<', next] => next.is_ascii_alphabetic() || *next == b'/' || *next == b'!',
        _ => false,
    })
}

impl FeedEntry {
    /// The item as a raw document to clean and analyse, when the feed carries its text.
    #[must_use]
    pub fn document(&self, source: String, feed: Option<&str>) -> Option<RawDocument> {
        let (body, format) = self.body.clone()?;
        Some(RawDocument {
            source,
            format,
            original: body.as_bytes().to_vec(),
            body,
            meta: Metadata {
                title: self.title.clone(),
                url: self.url.clone(),
                published: self.published.clone(),
                language: self.language.clone(),
                provenance: Provenance {
                    feed: feed.map(str::to_string),
                    guid: Some(self.guid.clone()),
                    ..Provenance::default()
                },
                ..Metadata::default()
            },
        })
    }
}

/// Every item of a feed file as a document, named `PATH#N` (N from 1, in feed order).
pub(crate) fn items_of_file(name: &str, bytes: &[u8]) -> Result<FeedItems, ErrorKind> {
    let feed = parse_feed(bytes, None)?;
    let mut out = FeedItems::default();
    for (n, entry) in feed.entries.iter().enumerate() {
        let source = format!("{name}#{}", n + 1);
        match entry.document(source, feed.link.as_deref()) {
            Some(doc) => out.items.push(Ok(doc)),
            None => out.without_text += 1,
        }
    }
    if feed.entries.is_empty() {
        out.items
            .push(Err(IngestError::new(name.to_string(), ErrorKind::EmptyFeed)));
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    const RSS: &str = r#"<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/">
<channel><title>وكالة</title><link>https://news.example/</link><language>ar</language>
<item><title>ألبانيا تقطع علاقاتها مع إيران</title><link>https://news.example/a/1</link>
<guid isPermaLink="false">item-1</guid><pubDate>Wed, 07 Sep 2022 10:00:00 GMT</pubDate>
<description>&lt;p&gt;أعلنت ألبانيا قطع العلاقات.&lt;/p&gt;</description></item>
<item><title>Only a title</title><link>https://news.example/a/2</link><guid>item-2</guid></item>
<item><title>Plain</title><guid>item-3</guid><description>Plain words only.</description></item>
</channel></rss>"#;

    #[test]
    fn rss_items_become_documents_with_their_guid_link_and_date() {
        let items = items_of_file("feed.xml", RSS.as_bytes()).unwrap();
        assert_eq!(items.without_text, 1);
        let docs: Vec<_> = items.items.into_iter().map(Result::unwrap).collect();
        assert_eq!(docs.len(), 2);
        let first = &docs[0];
        assert_eq!(first.source, "feed.xml#1");
        assert_eq!(first.format, SourceFormat::Html);
        assert!(first.body.contains("<p>أعلنت ألبانيا"));
        assert_eq!(first.meta.url.as_deref(), Some("https://news.example/a/1"));
        assert_eq!(first.meta.published.as_deref(), Some("2022-09-07T10:00:00Z"));
        assert_eq!(first.meta.language.as_deref(), Some("ar"));
        assert_eq!(first.meta.provenance.guid.as_deref(), Some("item-1"));
        assert_eq!(
            first.meta.provenance.feed.as_deref(),
            Some("https://news.example/")
        );
        assert_eq!(docs[1].source, "feed.xml#3");
        assert_eq!(docs[1].format, SourceFormat::Text);
    }

    #[test]
    fn atom_and_json_feed_are_read() {
        let atom = r#"<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom"><title>t</title><id>urn:f</id><updated>2022-09-08T00:00:00Z</updated>
<entry><title>e</title><id>urn:e1</id><link href="https://x.example/e1"/><updated>2022-09-08T01:00:00Z</updated>
<content type="html">&lt;p&gt;Body of the entry.&lt;/p&gt;</content></entry></feed>"#;
        let feed = parse_feed(atom.as_bytes(), None).unwrap();
        assert_eq!(feed.entries[0].guid, "urn:e1");
        assert_eq!(feed.entries[0].published.as_deref(), Some("2022-09-08T01:00:00Z"));
        let json = r#"{"version":"https://jsonfeed.org/version/1.1","title":"j","items":[{"id":"1","url":"https://j.example/1","content_text":"Text of one."}]}"#;
        let feed = parse_feed(json.as_bytes(), None).unwrap();
        assert_eq!(
            feed.entries[0].body,
            Some(("Text of one.".to_string(), SourceFormat::Text))
        );
    }

    #[test]
    fn malformed_feeds_are_one_error() {
        for bad in ["<rss><channel><item>", "not xml at all", "{\"version\":1}", ""] {
            assert!(items_of_file("f.xml", bad.as_bytes()).is_err(), "{bad}");
        }
    }

    #[test]
    fn markup_is_told_from_text() {
        assert!(looks_like_markup("<p>x</p>"));
        assert!(looks_like_markup("a<br/>b"));
        assert!(!looks_like_markup("3 < 4 and 5 > 2"));
    }
}
