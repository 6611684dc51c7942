//! The sources file: what to watch and how often, as TOML.
//!
//! ```toml
//! [defaults]
//! interval = "15m"        # how often each source is polled
//! host_delay = "2s"       # at least this long between two requests to one host
//!
//! [[source]]
//! name = "irna-en"
//! url = "https://en.irna.ir/rss"
//! kind = "feed"           # feed (RSS, RDF, Atom, JSON Feed) | sitemap (news sitemap) | page
//! interval = "10m"
//! pages = "auto"          # fetch each item's page: auto (when the feed carries little text) | always | never
//! ```

use std::time::Duration;

use serde::Deserialize;

use crate::error::{Result, WatchError};

/// What a source is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum SourceKind {
    /// RSS 2.0, RSS 1.0/RDF, Atom or JSON Feed.
    Feed,
    /// A (news) sitemap or sitemap index: each listed URL is a page to take.
    Sitemap,
    /// One page, taken again whenever it changes.
    Page,
}

impl SourceKind {
    #[must_use]
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Feed => "feed",
            Self::Sitemap => "sitemap",
            Self::Page => "page",
        }
    }
}

/// When an item's page is fetched.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Pages {
    /// When the feed carries no text, or only a summary (under [`SUMMARY_CHARS`] characters).
    #[default]
    Auto,
    Always,
    Never,
}

/// What rasad calls itself; robots.txt groups for `rasad` apply to it.
pub const DEFAULT_USER_AGENT: &str = concat!(
    "rasad/",
    env!("CARGO_PKG_VERSION"),
    " (news monitoring; robots.txt honoured)"
);

/// A feed item with less text than this is a summary: its page is fetched (with `pages = "auto"`).
pub const SUMMARY_CHARS: usize = 600;

/// One source to watch.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Source {
    /// Unique; the key of the source's state in the store.
    pub name: String,
    pub url: String,
    pub kind: SourceKind,
    pub interval: Duration,
    pub pages: Pages,
    /// The outlet its articles are stored under (default: the site's host).
    pub outlet: Option<String>,
}

/// The whole file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Sources {
    pub sources: Vec<Source>,
    /// The least time between two requests to one host (robots.txt's Crawl-delay may ask more).
    pub host_delay: Duration,
    pub user_agent: String,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct File {
    #[serde(default)]
    defaults: Defaults,
    #[serde(default, rename = "source")]
    sources: Vec<SourceEntry>,
}

#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields)]
struct Defaults {
    interval: Option<String>,
    host_delay: Option<String>,
    user_agent: Option<String>,
    pages: Option<Pages>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct SourceEntry {
    name: Option<String>,
    url: String,
    #[serde(default = "default_kind")]
    kind: SourceKind,
    interval: Option<String>,
    pages: Option<Pages>,
    outlet: Option<String>,
}

fn default_kind() -> SourceKind {
    SourceKind::Feed
}

/// The shortest interval accepted: polling more often than this is impolite to any site.
pub const MIN_INTERVAL: Duration = Duration::from_secs(60);

/// Reads a duration: `90`, `90s`, `15m`, `2h`, `1d`.
///
/// # Errors
/// When it is none of those.
pub fn parse_duration(text: &str) -> Result<Duration, String> {
    let text = text.trim();
    let (number, unit) = text
        .find(|c: char| !c.is_ascii_digit())
        .map_or((text, ""), |at| text.split_at(at));
    let n: u64 = number
        .parse()
        .map_err(|_| format!("'{text}' is not a duration (like 90s, 15m, 2h, 1d)"))?;
    let seconds = match unit.trim() {
        "" | "s" => Some(n),
        "m" | "min" => n.checked_mul(60),
        "h" => n.checked_mul(3600),
        "d" => n.checked_mul(86_400),
        _ => None,
    }
    .ok_or_else(|| format!("'{text}' is not a duration (like 90s, 15m, 2h, 1d)"))?;
    Ok(Duration::from_secs(seconds))
}

impl Sources {
    /// Reads a sources file's text; `path` only names it in errors.
    ///
    /// # Errors
    /// When the TOML is malformed, a field is unknown, a URL is not http(s), a duration cannot be
    /// read, an interval is under a minute, or two sources share a name.
    pub fn parse(text: &str, path: &str) -> Result<Self> {
        let err = |message: String| WatchError::Sources {
            path: path.to_string(),
            message,
        };
        let file: File = toml::from_str(text).map_err(|e| err(e.to_string()))?;
        let duration = |v: Option<&String>, default: Duration| -> Result<Duration> {
            v.map_or(Ok(default), |v| parse_duration(v).map_err(err))
        };
        let interval = duration(file.defaults.interval.as_ref(), Duration::from_secs(15 * 60))?;
        let host_delay = duration(file.defaults.host_delay.as_ref(), Duration::from_secs(1))?;
        let mut sources: Vec<Source> = Vec::new();
        for entry in file.sources {
            let url = entry.url.trim().to_string();
            let host = host_of(&url).ok_or_else(|| err(format!("'{url}' is not an http(s) URL")))?;
            let name = entry.name.unwrap_or_else(|| host.clone());
            if sources.iter().any(|s| s.name == name) {
                return Err(err(format!(
                    "two sources are named '{name}'; give each a unique `name`"
                )));
            }
            let interval = duration(entry.interval.as_ref(), interval)?;
            if interval < MIN_INTERVAL {
                return Err(err(format!(
                    "source '{name}': an interval under {}s is too often",
                    MIN_INTERVAL.as_secs()
                )));
            }
            sources.push(Source {
                name,
                url,
                kind: entry.kind,
                interval,
                pages: entry.pages.or(file.defaults.pages).unwrap_or_default(),
                outlet: entry.outlet,
            });
        }
        if sources.is_empty() {
            return Err(err("no [[source]] is listed".to_string()));
        }
        Ok(Self {
            sources,
            host_delay,
            user_agent: file
                .defaults
                .user_agent
                .unwrap_or_else(|| DEFAULT_USER_AGENT.to_string()),
        })
    }
}

/// The host (and port, if given) of an http(s) URL, lowercased.
#[must_use]
pub fn host_of(url: &str) -> Option<String> {
    let rest = url
        .strip_prefix("http://")
        .or_else(|| url.strip_prefix("https://"))
        .or_else(|| {
            let lower = url.get(..8)?.to_ascii_lowercase();
            if lower.starts_with("https://") {
                url.get(8..)
            } else if lower.starts_with("http://") {
                url.get(7..)
            } else {
                None
            }
        })?;
    let authority = rest.split(['/', '?', '#']).next()?;
    let host = authority.rsplit('@').next()?;
    (!host.is_empty()).then(|| host.to_ascii_lowercase())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_example_sources_file_and_the_readme_snippet_are_valid() {
        let example = Sources::parse(
            include_str!("../../../sources.example.toml"),
            "sources.example.toml",
        )
        .unwrap();
        assert!(example.sources.len() >= 4);
        let readme = include_str!("../../../README.md");
        let snippet = readme
            .split("```toml\n")
            .nth(1)
            .and_then(|rest| rest.split("```").next())
            .unwrap();
        let parsed = Sources::parse(snippet, "README.md").unwrap();
        assert_eq!(parsed.sources.len(), 2);
        assert_eq!(parsed.sources[1].kind, SourceKind::Sitemap);
    }

    #[test]
    fn a_sources_file_is_read_with_defaults() {
        let text = r#"
[defaults]
interval = "30m"
host_delay = "3s"

[[source]]
name = "irna"
url = "https://en.irna.ir/rss"

[[source]]
url = "http://example.org/news-sitemap.xml"
kind = "sitemap"
interval = "2h"
pages = "never"
"#;
        let s = Sources::parse(text, "s.toml").unwrap();
        assert_eq!(s.host_delay, Duration::from_secs(3));
        assert_eq!(s.sources[0].interval, Duration::from_secs(1800));
        assert_eq!(s.sources[0].kind, SourceKind::Feed);
        assert_eq!(s.sources[1].name, "example.org");
        assert_eq!(s.sources[1].kind, SourceKind::Sitemap);
        assert_eq!(s.sources[1].pages, Pages::Never);
        assert_eq!(s.sources[1].interval, Duration::from_secs(7200));
    }

    #[test]
    fn bad_files_say_what_is_wrong() {
        let cases = [
            ("", "no [[source]]"),
            ("[[source]]\nurl = \"ftp://x/\"", "not an http(s) URL"),
            ("[[source]]\nurl = \"http://x/\"\ninterval = \"5s\"", "too often"),
            (
                "[[source]]\nurl = \"http://x/\"\ninterval = \"soon\"",
                "not a duration",
            ),
            (
                "[[source]]\nurl = \"http://x/\"\n[[source]]\nurl = \"http://x/b\"",
                "two sources",
            ),
            (
                "[[source]]\nurl = \"http://x/\"\nkind = \"podcast\"",
                "unknown variant",
            ),
            (
                "[[source]]\nurl = \"http://x/\"\nintreval = \"1h\"",
                "unknown field",
            ),
        ];
        for (text, expected) in cases {
            let err = Sources::parse(text, "s.toml").unwrap_err().to_string();
            assert!(err.contains(expected), "{text:?}: {err}");
        }
    }

    #[test]
    fn hosts_and_durations() {
        assert_eq!(
            host_of("https://User@News.Example:8080/a?b").as_deref(),
            Some("news.example:8080")
        );
        assert_eq!(host_of("HTTP://x.org").as_deref(), Some("x.org"));
        assert_eq!(host_of("mailto:a@b"), None);
        assert_eq!(parse_duration("1d").unwrap(), Duration::from_secs(86_400));
        assert!(parse_duration("99999999999999999999h").is_err());
    }
}
