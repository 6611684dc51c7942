//! What a page says about itself in its markup: canonical URL (`<link rel=canonical>`, `og:url`),
//! publication time (`article:published_time`, JSON-LD `datePublished`, `itemprop`, Dublin Core and
//! the common `name=` conventions), headline, site name, author and `<html lang>`.
//!
//! One linear scan over the tags, no DOM: it runs on pages too deep for the DOM parser as well.
//! JSON-LD blocks are parsed with serde_json (whose recursion limit bounds nesting) and searched for
//! `NewsArticle`-like objects, `@graph` included. Values are kept as written; dates are judged
//! (readable, plausible) by the pipeline's publication stage.

use serde_json::Value;

/// The most JSON-LD blocks read from one page, and the largest one.
const MAX_LD_BLOCKS: usize = 16;
const MAX_LD_BYTES: usize = 1024 * 1024;

/// Meta keys that carry the publication time, most trusted first (after `article:published_time`
/// and JSON-LD, which come first). Compared lowercased.
const PUBLISHED_KEYS: &[&str] = &[
    "article:published_time",
    "og:article:published_time",
    "og:published_time",
    "article:published",
    "datepublished",
    "article.published",
    "article_date_original",
    "parsely-pub-date",
    "sailthru.date",
    "pubdate",
    "publishdate",
    "publish-date",
    "publish_date",
    "publication_date",
    "original-publish-date",
    "dc.date.issued",
    "dcterms.issued",
    "dc.date",
    "dcterms.date",
    "dcterms.created",
    "citation_publication_date",
    "date",
];

/// Metadata the page declares, as written.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PageMeta {
    /// The page's canonical, absolute http(s) URL.
    pub url: Option<String>,
    /// Declared publication times, most trusted first (duplicates removed).
    pub published: Vec<String>,
    pub headline: Option<String>,
    pub site_name: Option<String>,
    pub author: Option<String>,
    /// `<html lang>`, else `og:locale`, else JSON-LD `inLanguage`.
    pub lang: Option<String>,
}

#[derive(Default)]
struct Found {
    canonical: Option<String>,
    og_url: Option<String>,
    /// (rank in PUBLISHED_KEYS, value)
    meta_dates: Vec<(usize, String)>,
    time_published: Option<String>,
    /// The first `<time datetime>` that is not marked as an update: the last resort.
    time_any: Option<String>,
    og_title: Option<String>,
    site_name: Option<String>,
    author: Option<String>,
    html_lang: Option<String>,
    og_locale: Option<String>,
    ld: Vec<Value>,
}

/// Reads the page's declared metadata. `base` (the URL the page came from, if any) resolves a relative
/// canonical link.
#[must_use]
pub fn page_meta(html: &str, base: Option<&str>) -> PageMeta {
    let mut found = Found::default();
    let mut rest = html;
    let mut ld_blocks = 0;
    while let Some(at) = rest.find('<') {
        rest = rest.get(at + 1..).unwrap_or("");
        let name = tag_name(rest);
        let Some(end) = rest.find('>') else { break };
        let tag = rest.get(..end).unwrap_or("");
        match name.as_str() {
            "meta" => meta_tag(&attributes(tag), &mut found),
            "link" => {
                let attrs = attributes(tag);
                if attr(&attrs, "rel").is_some_and(|r| r.eq_ignore_ascii_case("canonical")) {
                    found.canonical = found.canonical.or_else(|| attr(&attrs, "href"));
                }
            }
            "html" => {
                if found.html_lang.is_none() {
                    found.html_lang = attr(&attributes(tag), "lang");
                }
            }
            "time" => {
                let attrs = attributes(tag);
                if found.time_published.is_none() && is_date_published(&attrs) {
                    found.time_published = attr(&attrs, "datetime");
                }
                let updated = attr(&attrs, "class").is_some_and(|c| {
                    let c = c.to_ascii_lowercase();
                    c.contains("updated") || c.contains("modified")
                });
                if found.time_any.is_none() && !updated {
                    found.time_any = attr(&attrs, "datetime");
                }
            }
            "script" => {
                let attrs = attributes(tag);
                let body_start = end + 1;
                let body_end = rest
                    .get(body_start..)
                    .and_then(|b| find_ci(b, "</script"))
                    .map_or(rest.len(), |e| body_start + e);
                let is_ld = attr(&attrs, "type")
                    .is_some_and(|t| t.trim().eq_ignore_ascii_case("application/ld+json"));
                if is_ld && ld_blocks < MAX_LD_BLOCKS {
                    ld_blocks += 1;
                    let body = rest.get(body_start..body_end).unwrap_or("");
                    if body.len() <= MAX_LD_BYTES
                        && let Ok(value) = serde_json::from_str::<Value>(body.trim())
                    {
                        found.ld.push(value);
                    }
                }
                rest = rest.get(body_end..).unwrap_or("");
                continue;
            }
            _ => {
                // Microdata on any element: `<span itemprop="datePublished">Fri 6:45 PM, Feb 16, 2018</span>`.
                if found.time_published.is_none() && find_ci(tag, "itemprop").is_some() {
                    let attrs = attributes(tag);
                    if is_date_published(&attrs) {
                        let text = rest.get(end + 1..).unwrap_or("");
                        let text = text.get(..text.find('<').unwrap_or(text.len())).unwrap_or("");
                        found.time_published = attr(&attrs, "content")
                            .or_else(|| attr(&attrs, "datetime"))
                            .or_else(|| {
                                Some(decode_entities(text.trim())).filter(|t| !t.is_empty() && t.len() < 80)
                            });
                    }
                }
            }
        }
        rest = rest.get(end..).unwrap_or("");
    }
    finish(found, base)
}

/// `…post-date`, `…publish_date`, `…:publishtime` and the like, after any site prefix; not an
/// update or expiry date.
fn is_prefixed_published_key(key: &str) -> bool {
    let folded: String = key
        .chars()
        .filter(|c| !matches!(c, '-' | '_' | '.' | ':'))
        .collect();
    [
        "postdate",
        "publishdate",
        "publisheddate",
        "pubdate",
        "publicationdate",
        "publishtime",
        "publishedtime",
    ]
    .iter()
    .any(|suffix| folded.ends_with(suffix))
}

fn is_date_published(attrs: &[(String, String)]) -> bool {
    attr(attrs, "itemprop").is_some_and(|p| {
        p.split_ascii_whitespace()
            .any(|name| name.eq_ignore_ascii_case("datepublished"))
    })
}

fn finish(mut found: Found, base: Option<&str>) -> PageMeta {
    let mut ld = LdArticle::default();
    for value in &found.ld {
        collect_ld(value, &mut ld, 0);
    }
    found.meta_dates.sort_by_key(|(rank, _)| *rank);
    let mut published: Vec<String> = Vec::new();
    let mut push = |value: Option<String>| {
        if let Some(v) = value.map(|v| v.trim().to_string())
            && !v.is_empty()
            && !published.contains(&v)
        {
            published.push(v);
        }
    };
    // article:published_time and its spellings (ranks 0-3), then JSON-LD, then the rest.
    let (first, later): (Vec<_>, Vec<_>) = found.meta_dates.into_iter().partition(|(rank, _)| *rank < 4);
    for (_, v) in first {
        push(Some(v));
    }
    push(ld.published);
    push(found.time_published);
    for (_, v) in later {
        push(Some(v));
    }
    push(found.time_any);
    let url = [found.canonical, found.og_url, ld.url]
        .into_iter()
        .flatten()
        .find_map(|u| absolute(&u, base));
    PageMeta {
        url,
        published,
        headline: found.og_title.or(ld.headline),
        site_name: found.site_name.or(ld.publisher),
        author: found.author.or(ld.author),
        lang: found.html_lang.or(found.og_locale).or(ld.lang),
    }
}

fn meta_tag(attrs: &[(String, String)], found: &mut Found) {
    let Some(content) = attr(attrs, "content").map(|c| c.trim().to_string()) else {
        return;
    };
    if content.is_empty() {
        return;
    }
    // One tag may name its value several ways (`property="article:published"
    // itemprop="datePublished dateCreated"`): every name is tried.
    let keys: Vec<String> = ["property", "name", "itemprop"]
        .iter()
        .filter_map(|a| attr(attrs, a))
        .flat_map(|v| {
            v.split_whitespace()
                .map(str::to_ascii_lowercase)
                .collect::<Vec<_>>()
        })
        .collect();
    if let Some(rank) = keys
        .iter()
        .filter_map(|k| PUBLISHED_KEYS.iter().position(|p| p == k))
        .min()
    {
        found.meta_dates.push((rank, content));
        return;
    }
    // A site's own prefix on a publication-date key (`sn-post-date`, `cXenseParse:recs:publishtime`)
    // is trusted last.
    if keys.iter().any(|k| is_prefixed_published_key(k)) {
        found.meta_dates.push((PUBLISHED_KEYS.len(), content));
        return;
    }
    for key in &keys {
        let slot = match key.as_str() {
            "og:url" | "twitter:url" => &mut found.og_url,
            "og:title" | "twitter:title" => &mut found.og_title,
            "og:site_name" | "application-name" => &mut found.site_name,
            "author" | "article:author" | "byl" | "dc.creator" => &mut found.author,
            "og:locale" => &mut found.og_locale,
            _ => continue,
        };
        if slot.is_none() {
            *slot = Some(content);
        }
        return;
    }
}

#[derive(Default)]
struct LdArticle {
    published: Option<String>,
    url: Option<String>,
    headline: Option<String>,
    author: Option<String>,
    publisher: Option<String>,
    lang: Option<String>,
}

const LD_ARTICLE_TYPES: &[&str] = &[
    "newsarticle",
    "article",
    "reportagenewsarticle",
    "analysisnewsarticle",
    "opinionnewsarticle",
    "backgroundnewsarticle",
    "blogposting",
    "liveblogposting",
    "claimreview",
    "report",
    "scholarlyarticle",
    "techarticle",
    "medicalwebpage",
    "webpage",
];

/// Finds the first article-like object (depth-first, arrays and `@graph` included) and takes its
/// fields; a `NewsArticle` is preferred over a `WebPage` by filling only what is still empty.
fn collect_ld(value: &Value, out: &mut LdArticle, depth: usize) {
    if depth > 8 {
        return;
    }
    match value {
        Value::Array(items) => {
            for item in items {
                collect_ld(item, out, depth + 1);
            }
        }
        Value::Object(map) => {
            let is_article = match map.get("@type") {
                Some(Value::String(t)) => is_article_type(t),
                Some(Value::Array(types)) => types.iter().any(|t| t.as_str().is_some_and(is_article_type)),
                _ => false,
            };
            // A page's fields fill only what its article left empty.
            let is_page =
                matches!(map.get("@type"), Some(Value::String(t)) if t.eq_ignore_ascii_case("webpage"));
            if is_article && !is_page {
                take_article(map, out);
            }
            if let Some(graph) = map.get("@graph") {
                collect_ld(graph, out, depth + 1);
            }
            if is_page {
                take_article(map, out);
            }
        }
        _ => {}
    }
}

fn is_article_type(t: &str) -> bool {
    LD_ARTICLE_TYPES.iter().any(|k| t.eq_ignore_ascii_case(k))
}

fn take_article(map: &serde_json::Map<String, Value>, out: &mut LdArticle) {
    let text = |key: &str| match map.get(key) {
        Some(Value::String(s)) if !s.trim().is_empty() => Some(s.trim().to_string()),
        _ => None,
    };
    let name_of = |key: &str| {
        match map.get(key) {
            Some(Value::String(s)) => Some(s.trim().to_string()),
            Some(Value::Object(o)) => o
                .get("name")
                .and_then(Value::as_str)
                .map(|s| s.trim().to_string()),
            Some(Value::Array(items)) => {
                let names: Vec<&str> = items
                    .iter()
                    .filter_map(|i| i.as_str().or_else(|| i.get("name").and_then(Value::as_str)))
                    .collect();
                (!names.is_empty()).then(|| names.join(", "))
            }
            _ => None,
        }
        .filter(|s| !s.is_empty())
    };
    let url = text("url").or_else(|| match map.get("mainEntityOfPage") {
        Some(Value::String(s)) => Some(s.clone()),
        Some(Value::Object(o)) => o.get("@id").and_then(Value::as_str).map(str::to_string),
        _ => None,
    });
    fill(&mut out.published, text("datePublished"));
    fill(&mut out.url, url);
    fill(&mut out.headline, text("headline"));
    fill(&mut out.author, name_of("author"));
    fill(&mut out.publisher, name_of("publisher"));
    fill(&mut out.lang, text("inLanguage"));
}

fn fill(slot: &mut Option<String>, value: Option<String>) {
    if slot.is_none() {
        *slot = value;
    }
}

/// An absolute http(s) URL: as given, or a root-relative or scheme-relative one resolved against
/// `base`.
fn absolute(url: &str, base: Option<&str>) -> Option<String> {
    let url = url.trim();
    if url.starts_with("https://") || url.starts_with("http://") {
        return Some(url.to_string()).filter(|u| !u.contains(char::is_whitespace));
    }
    let base = base?;
    let (scheme, after) = base.split_once("://")?;
    if !matches!(scheme, "http" | "https") {
        return None;
    }
    if let Some(rest) = url.strip_prefix("//") {
        return Some(format!("{scheme}://{rest}"));
    }
    if url.starts_with('/') {
        let host = after.split(['/', '?', '#']).next()?;
        return Some(format!("{scheme}://{host}{url}"));
    }
    None
}

/// The element name at the start of a tag (after `<`), lowercased; empty for closing tags,
/// comments and doctypes.
fn tag_name(rest: &str) -> String {
    rest.chars()
        .take_while(|c| c.is_ascii_alphanumeric())
        .take(16)
        .collect::<String>()
        .to_ascii_lowercase()
}

/// A tag's attributes as (lowercased name, value with entities decoded). Unquoted, single- and
/// double-quoted values are read; a bare attribute has an empty value.
fn attributes(tag: &str) -> Vec<(String, String)> {
    let mut out = Vec::new();
    // Skip the element name.
    let mut rest = tag.trim_start_matches(|c: char| c.is_ascii_alphanumeric());
    loop {
        rest = rest.trim_start_matches(|c: char| c.is_whitespace() || c == '/');
        if rest.is_empty() {
            break;
        }
        let name_end = rest
            .find(|c: char| c.is_whitespace() || c == '=' || c == '/')
            .unwrap_or(rest.len());
        let name = rest.get(..name_end).unwrap_or("").to_ascii_lowercase();
        rest = rest.get(name_end..).unwrap_or("").trim_start();
        let mut value = String::new();
        if let Some(after) = rest.strip_prefix('=') {
            let after = after.trim_start();
            let (raw, remaining) = match after.chars().next() {
                Some(q @ ('"' | '\'')) => {
                    let body = after.get(1..).unwrap_or("");
                    match body.find(q) {
                        Some(close) => (
                            body.get(..close).unwrap_or(""),
                            body.get(close + 1..).unwrap_or(""),
                        ),
                        None => (body, ""),
                    }
                }
                _ => {
                    let end = after.find(char::is_whitespace).unwrap_or(after.len());
                    (after.get(..end).unwrap_or(""), after.get(end..).unwrap_or(""))
                }
            };
            value = decode_entities(raw);
            rest = remaining;
        }
        if name.is_empty() {
            // A stray character: step over it so the loop always advances.
            rest = rest
                .get(rest.chars().next().map_or(0, char::len_utf8)..)
                .unwrap_or("");
            continue;
        }
        out.push((name, value));
        if out.len() > 64 {
            break;
        }
    }
    out
}

fn attr(attrs: &[(String, String)], name: &str) -> Option<String> {
    attrs.iter().find(|(n, _)| n == name).map(|(_, v)| v.clone())
}

/// Case-insensitive ASCII search.
fn find_ci(haystack: &str, needle: &str) -> Option<usize> {
    haystack
        .as_bytes()
        .windows(needle.len())
        .position(|w| w.eq_ignore_ascii_case(needle.as_bytes()))
}

/// The entities attribute values use: `&amp; &quot; &apos; &#39; &lt; &gt;` and numeric ones.
fn decode_entities(raw: &str) -> String {
    if !raw.contains('&') {
        return raw.to_string();
    }
    let mut out = String::with_capacity(raw.len());
    let mut rest = raw;
    while let Some(at) = rest.find('&') {
        out.push_str(rest.get(..at).unwrap_or(""));
        rest = rest.get(at..).unwrap_or("");
        let end = rest.find(';').filter(|e| *e <= 10);
        let decoded = end.and_then(|e| {
            let name = rest.get(1..e)?;
            let c = match name {
                "amp" => '&',
                "quot" => '"',
                "apos" => '\'',
                "lt" => '<',
                "gt" => '>',
                "nbsp" => '\u{a0}',
                _ => {
                    let num = name.strip_prefix('#')?;
                    let code = match num.strip_prefix(['x', 'X']) {
                        Some(hex) => u32::from_str_radix(hex, 16).ok()?,
                        None => num.parse().ok()?,
                    };
                    char::from_u32(code)?
                }
            };
            Some((c, e + 1))
        });
        match decoded {
            Some((c, len)) => {
                out.push(c);
                rest = rest.get(len..).unwrap_or("");
            }
            None => {
                out.push('&');
                rest = rest.get(1..).unwrap_or("");
            }
        }
    }
    out.push_str(rest);
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn canonical_og_and_json_ld_are_read() {
        let page = r#"<!doctype html><html lang="ar"><head>
<link rel="canonical" href="https://www.aljazeera.net/news/2022/9/7/albania">
<meta property="og:url" content="https://other.example/x">
<meta property="og:site_name" content="الجزيرة نت">
<meta property="og:title" content="ألبانيا تقطع علاقاتها مع إيران">
<script type="application/ld+json">{"@context":"https://schema.org","@graph":[{"@type":"WebPage","url":"https://www.aljazeera.net/p"},
{"@type":"NewsArticle","headline":"h","datePublished":"2022-09-07T12:00:00+03:00","author":[{"@type":"Person","name":"A"},{"name":"B"}],"publisher":{"name":"Al Jazeera"}}]}</script>
</head><body><p>x</p></body></html>"#;
        let meta = page_meta(page, None);
        assert_eq!(
            meta.url.as_deref(),
            Some("https://www.aljazeera.net/news/2022/9/7/albania")
        );
        assert_eq!(meta.published, ["2022-09-07T12:00:00+03:00"]);
        assert_eq!(meta.site_name.as_deref(), Some("الجزيرة نت"));
        assert_eq!(meta.headline.as_deref(), Some("ألبانيا تقطع علاقاتها مع إيران"));
        assert_eq!(meta.author.as_deref(), Some("A, B"));
        assert_eq!(meta.lang.as_deref(), Some("ar"));
    }

    #[test]
    fn dates_come_in_order_of_trust_and_relative_canonicals_resolve() {
        let page = r#"<meta name="date" content="2019-01-01">
<meta property='article:published_time' content='2019-11-19T12:05:31+0000'/>
<time itemprop="datePublished" datetime="2019-11-19">Nov 19</time>
<meta property="article:published" itemprop="datePublished dateCreated" content="2019-11-19T11:00:09.000Z">
<link href="/a/b?c=1&amp;d=2" rel=canonical>"#;
        let meta = page_meta(page, Some("https://n.example/x/y"));
        assert_eq!(
            meta.published,
            [
                "2019-11-19T12:05:31+0000",
                "2019-11-19T11:00:09.000Z",
                "2019-11-19",
                "2019-01-01"
            ]
        );
        assert_eq!(meta.url.as_deref(), Some("https://n.example/a/b?c=1&d=2"));
        assert_eq!(page_meta(r#"<link rel="canonical" href="/a">"#, None).url, None);
    }

    #[test]
    fn a_site_prefixed_publication_key_is_read_last() {
        let page = r#"<meta name="sn-post-date" content="2019/11/19"><meta name="last-update-date" content="2019-12-01">"#;
        assert_eq!(page_meta(page, None).published, vec!["2019/11/19".to_string()]);
        let both = r#"<meta name="sn-post-date" content="2019/11/19"><meta property="article:published_time" content="2019-11-18T10:00:00Z">"#;
        assert_eq!(
            page_meta(both, None).published.first().map(String::as_str),
            Some("2019-11-18T10:00:00Z")
        );
    }

    #[test]
    fn dates_in_the_body_markup_are_the_last_resort() {
        let microdata = r#"<span class="storyDate">Posted: <span itemprop="datePublished">Fri 6:45 PM, Feb 16, 2018</span></span>
<span itemprop="dateModified">Sat</span>"#;
        assert_eq!(
            page_meta(microdata, None).published,
            ["Fri 6:45 PM, Feb 16, 2018"]
        );
        let times = r#"<time class="updated" datetime="2018-08-13T08:04:08+00:00">Aug 13</time>
<time datetime="2019-11-19T11:45:59.000Z">1 day ago</time><time datetime="2020-01-01">x</time>"#;
        assert_eq!(page_meta(times, None).published, ["2019-11-19T11:45:59.000Z"]);
        let with_meta = r#"<time datetime="2019-11-19">x</time><meta name="pubdate" content="2019-11-18">"#;
        assert_eq!(page_meta(with_meta, None).published, ["2019-11-18", "2019-11-19"]);
    }

    #[test]
    fn broken_json_ld_and_markup_are_ignored() {
        let page = r#"<script type="application/ld+json">{"@type":"NewsArticle",</script><meta content="x" property="og:url"><meta name=pubdate content=2020-05-01>"#;
        let meta = page_meta(page, None);
        assert_eq!(meta.published, ["2020-05-01"]);
        assert_eq!(meta.url, None, "og:url 'x' is not absolute");
    }

    proptest! {
        #[test]
        fn any_text_is_scanned_without_panic(text in ".{0,400}") {
            let _ = page_meta(&text, Some("https://a.example/"));
            let _ = page_meta(&format!("<meta {text}>"), None);
        }
    }
}
