//! rasad's data model: an article, the spans that point into its text, and the analysis that the
//! extraction stages fill in. Plain serde types with no IO, shared by every other crate.
//!
//! Every fact rasad reports carries a [`Span`]: byte offsets into [`Article::text`], the cleaned text the
//! stages read. The JSON these types serialize to is a public contract, documented in `docs/schema.md`.

mod analysis;
mod id;

pub use analysis::{
    Analysis, Attribution, Calendar, DateMention, DateRole, Denial, Entity, EntityKind, Event, Framing,
    Granularity, Incident, Mention, NameUse, Quote, Response, Stance, Victim,
};
pub use id::{ArticleId, content_key};

use serde::{Deserialize, Serialize};

/// A half-open byte range `[start, end)` into an article's cleaned text.
///
/// Offsets are bytes, not characters, so that slicing is O(1) and exact; both ends always fall on
/// UTF-8 character boundaries of the text they were made from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct Span {
    pub start: usize,
    pub end: usize,
}

impl Span {
    /// Builds a span; `start` and `end` are swapped if given in the wrong order.
    #[must_use]
    pub fn new(start: usize, end: usize) -> Self {
        if start <= end {
            Self { start, end }
        } else {
            Self {
                start: end,
                end: start,
            }
        }
    }

    #[must_use]
    pub fn len(&self) -> usize {
        self.end - self.start
    }

    #[must_use]
    pub fn is_empty(&self) -> bool {
        self.start == self.end
    }

    /// The text this span covers, or `None` when it does not fit `text` or splits a character.
    #[must_use]
    pub fn slice<'t>(&self, text: &'t str) -> Option<&'t str> {
        text.get(self.start..self.end)
    }

    /// Whether the two spans share at least one byte.
    #[must_use]
    pub fn overlaps(&self, other: &Span) -> bool {
        self.start < other.end && other.start < self.end
    }

    /// Whether `other` lies within this span (an equal span does too).
    #[must_use]
    pub fn contains(&self, other: &Span) -> bool {
        self.start <= other.start && other.end <= self.end
    }
}

/// A language rasad knows, as an ISO 639-1 code. `Und` (undetermined) when identification fails.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, Default)]
#[serde(rename_all = "lowercase")]
pub enum Lang {
    Ar,
    Fa,
    Ur,
    En,
    #[default]
    Und,
}

impl Lang {
    pub const ALL: [Lang; 5] = [Lang::Ar, Lang::Fa, Lang::Ur, Lang::En, Lang::Und];

    #[must_use]
    pub fn code(self) -> &'static str {
        match self {
            Lang::Ar => "ar",
            Lang::Fa => "fa",
            Lang::Ur => "ur",
            Lang::En => "en",
            Lang::Und => "und",
        }
    }

    /// Parses an ISO 639-1 or 639-3 code or an English language name, case-insensitively.
    #[must_use]
    pub fn from_code(code: &str) -> Option<Lang> {
        let code = code.trim().to_ascii_lowercase();
        let primary = code.split(['-', '_']).next().unwrap_or("");
        match primary {
            "ar" | "ara" | "arb" | "arabic" => Some(Lang::Ar),
            "fa" | "fas" | "per" | "pes" | "prs" | "persian" | "farsi" => Some(Lang::Fa),
            "ur" | "urd" | "urdu" => Some(Lang::Ur),
            "en" | "eng" | "english" => Some(Lang::En),
            _ => None,
        }
    }

    /// Whether the language is written right to left.
    #[must_use]
    pub fn is_rtl(self) -> bool {
        matches!(self, Lang::Ar | Lang::Fa | Lang::Ur)
    }
}

impl std::fmt::Display for Lang {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.code())
    }
}

/// What kind of input an article came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum SourceFormat {
    Text,
    Html,
    Jsonl,
}

impl SourceFormat {
    #[must_use]
    pub fn as_str(self) -> &'static str {
        match self {
            SourceFormat::Text => "text",
            SourceFormat::Html => "html",
            SourceFormat::Jsonl => "jsonl",
        }
    }
}

/// A paragraph of the cleaned text with the language identified for it alone.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Paragraph {
    pub span: Span,
    pub lang: Lang,
    pub confidence: f32,
}

/// What the cleaner removed from the page, kept so that nothing is lost.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Boilerplate {
    /// Site header lines before the article (breaking-news tickers, the day's date, masthead).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub header: Vec<String>,
    /// Lines after the article (follow-us lines, related-story headlines).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub footer: Vec<String>,
    /// Author or byline lines.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub byline: Vec<String>,
    /// The article's own date lines ("تاریخ: ۱۸ شهریور ۱۴۰۱ - ۲۰:۰۰"). Unlike the other fields these stay
    /// in the text too, so that the publication date has its evidence span.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub dateline: Vec<String>,
    /// Date lines of the site's page header, above the headline ("الخميس 8 سبتمبر 2022 - 12 صفر 1444 هـ"):
    /// the day the page was rendered, not necessarily the article's. They stay in the text too, so that
    /// the date stage can give them role `page` with their evidence span.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub page_date: Vec<String>,
    /// Credit lines naming the outlet or the wire ("منبع: ایرنا", "وكالة مهر للأنباء").
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub credits: Vec<String>,
    /// Other lines dropped from the body (captions, repeated headlines, share buttons, news codes).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub other: Vec<String>,
}

impl Boilerplate {
    #[must_use]
    pub fn is_empty(&self) -> bool {
        self.header.is_empty()
            && self.footer.is_empty()
            && self.byline.is_empty()
            && self.dateline.is_empty()
            && self.page_date.is_empty()
            && self.credits.is_empty()
            && self.other.is_empty()
    }
}

/// Where a container delivered an article from: the feed and the item's GUID, or the web archive
/// record and when the page was captured. Empty for a plain file.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Provenance {
    /// The feed's own URL (or, read from a file, the feed's link to its site).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub feed: Option<String>,
    /// The feed item's GUID (RSS `guid`, Atom `id`, JSON Feed `id`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub guid: Option<String>,
    /// When a web archive captured the page (`WARC-Date`, ARC archive date), RFC 3339. Never the
    /// publication date.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub captured: Option<String>,
    /// The archive record's id (`WARC-Record-ID`) or byte offset in an ARC file.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub record: Option<String>,
}

impl Provenance {
    #[must_use]
    pub fn is_empty(&self) -> bool {
        self.feed.is_none() && self.guid.is_none() && self.captured.is_none() && self.record.is_none()
    }
}

/// One article: where it came from, its cleaned text, and the original bytes it was read from.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Article {
    /// Stable id derived from the normalized title, text and outlet (see [`ArticleId::derive`]).
    pub id: ArticleId,
    /// The path as given on the command line (or `-` for stdin), with `:LINE` for JSON Lines records.
    pub source: String,
    pub format: SourceFormat,
    /// The article's URL when the input named one.
    #[serde(default)]
    pub url: Option<String>,
    /// The outlet (site or agency) that published it, when known.
    #[serde(default)]
    pub outlet: Option<String>,
    /// The feed item or archive record it came from.
    #[serde(default, skip_serializing_if = "Provenance::is_empty")]
    pub provenance: Provenance,
    pub lang: Lang,
    pub lang_confidence: f32,
    #[serde(default)]
    pub title: Option<String>,
    /// The cleaned text every extraction stage reads; all spans point into it.
    pub text: String,
    /// Paragraph spans with a language each.
    #[serde(default)]
    pub paragraphs: Vec<Paragraph>,
    /// Publication date (ISO 8601 date or date-time) or `None` when nothing says.
    #[serde(default)]
    pub published: Option<String>,
    /// When rasad read the article (RFC 3339, UTC).
    pub ingested_at: String,
    /// What the cleaner removed.
    #[serde(default, skip_serializing_if = "Boilerplate::is_empty")]
    pub boilerplate: Boilerplate,
    /// The bytes the article was read from, byte for byte. Kept by the store, not serialized to JSON.
    #[serde(skip)]
    pub original: Vec<u8>,
}

/// An article together with what the stages found in it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AnalyzedArticle {
    pub article: Article,
    pub analysis: Analysis,
    /// Non-fatal problems met while analysing (a date that does not exist, a truncated page …).
    #[serde(default)]
    pub diagnostics: Vec<String>,
}

impl AnalyzedArticle {
    /// The public JSON record of this article (the `rasad analyze` contract, `docs/schema.md`).
    #[must_use]
    pub fn record(&self) -> Record<'_> {
        let a = &self.article;
        Record {
            id: &a.id,
            source: &a.source,
            format: a.format,
            url: a.url.as_deref(),
            outlet: a.outlet.as_deref(),
            lang: a.lang,
            lang_confidence: a.lang_confidence,
            title: a.title.as_deref(),
            published: a.published.as_deref(),
            ingested_at: &a.ingested_at,
            text: &a.text,
            paragraphs: &a.paragraphs,
            boilerplate: &a.boilerplate,
            analysis: &self.analysis,
            diagnostics: &self.diagnostics,
        }
    }
}

/// The JSON object rasad prints for one analysed article: the article's fields, then the analysis
/// (`dates`, `entities`, `quotes`, `events`, `incidents`) at the top level. All spans point into `text`.
#[derive(Debug, Serialize)]
pub struct Record<'a> {
    pub id: &'a ArticleId,
    pub source: &'a str,
    pub format: SourceFormat,
    pub url: Option<&'a str>,
    pub outlet: Option<&'a str>,
    pub lang: Lang,
    pub lang_confidence: f32,
    pub title: Option<&'a str>,
    pub published: Option<&'a str>,
    pub ingested_at: &'a str,
    pub text: &'a str,
    pub paragraphs: &'a [Paragraph],
    #[serde(skip_serializing_if = "Boilerplate::is_empty")]
    pub boilerplate: &'a Boilerplate,
    #[serde(flatten)]
    pub analysis: &'a Analysis,
    pub diagnostics: &'a [String],
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn span_slice_refuses_split_characters() {
        let text = "ألبانيا";
        assert_eq!(Span::new(0, 2).slice(text), Some("أ"));
        assert_eq!(Span::new(0, 1).slice(text), None);
        assert_eq!(Span::new(0, 100).slice(text), None);
    }

    #[test]
    fn span_new_orders_its_ends() {
        assert_eq!(Span::new(5, 2), Span { start: 2, end: 5 });
        assert!(Span::new(1, 3).overlaps(&Span::new(2, 9)));
        assert!(!Span::new(1, 3).overlaps(&Span::new(3, 9)));
    }

    #[test]
    fn lang_codes_round_trip() {
        for lang in Lang::ALL {
            if lang != Lang::Und {
                assert_eq!(Lang::from_code(lang.code()), Some(lang));
            }
        }
        assert_eq!(Lang::from_code("fa-IR"), Some(Lang::Fa));
        assert_eq!(Lang::from_code("xx"), None);
        assert_eq!(serde_json::to_string(&Lang::Fa).ok().as_deref(), Some("\"fa\""));
    }
}
