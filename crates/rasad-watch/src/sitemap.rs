//! Sitemaps (sitemaps.org 0.9) and Google News sitemaps: `<urlset>` with `<url><loc>`, `<lastmod>`
//! and `<news:news>` (`publication_date`, `title`, `language`), and `<sitemapindex>` pointing at
//! further sitemaps. A bounded scanner, not a full XML parser: a sitemap is a flat list, and one
//! that is malformed yields what it holds before the damage.

/// One page a sitemap lists.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SitemapEntry {
    pub url: String,
    /// `news:publication_date`, else `lastmod`, as written.
    pub published: Option<String>,
    pub title: Option<String>,
    pub language: Option<String>,
}

/// What a sitemap file is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Sitemap {
    /// A list of pages.
    Urls(Vec<SitemapEntry>),
    /// A list of further sitemaps.
    Index(Vec<String>),
}

/// The most entries read from one sitemap (the protocol's own limit).
pub const MAX_ENTRIES: usize = 50_000;

/// Reads a sitemap or sitemap index.
///
/// # Errors
/// A message when the text is neither a `<urlset>` nor a `<sitemapindex>`.
pub fn parse(text: &str) -> Result<Sitemap, String> {
    let head = element_start(text, "urlset", 0).map(|(s, _)| s);
    let index = element_start(text, "sitemapindex", 0).map(|(s, _)| s);
    match (head, index) {
        (Some(u), Some(i)) if i < u => Ok(Sitemap::Index(index_entries(text))),
        (Some(_), _) => Ok(Sitemap::Urls(url_entries(text))),
        (None, Some(_)) => Ok(Sitemap::Index(index_entries(text))),
        (None, None) => Err("neither a <urlset> nor a <sitemapindex>".to_string()),
    }
}

fn url_entries(text: &str) -> Vec<SitemapEntry> {
    blocks(text, "url")
        .filter_map(|block| {
            let url = first(block, "loc")?;
            let published = first(block, "publication_date").or_else(|| first(block, "lastmod"));
            Some(SitemapEntry {
                url,
                published,
                title: first(block, "title"),
                language: first(block, "language"),
            })
        })
        .take(MAX_ENTRIES)
        .collect()
}

fn index_entries(text: &str) -> Vec<String> {
    blocks(text, "sitemap")
        .filter_map(|block| first(block, "loc"))
        .take(MAX_ENTRIES)
        .collect()
}

/// The inner text of each `<name>…</name>` element (any namespace prefix), in order.
fn blocks<'a>(text: &'a str, name: &'a str) -> impl Iterator<Item = &'a str> + 'a {
    let mut at = 0;
    std::iter::from_fn(move || {
        let (_, inner_start) = element_start(text, name, at)?;
        let Some(end) = element_end(text, name, inner_start) else {
            at = text.len();
            return None;
        };
        at = end;
        text.get(inner_start..end)
    })
}

/// The first `<name>` element's text, unescaped and trimmed.
fn first(block: &str, name: &str) -> Option<String> {
    let (_, start) = element_start(block, name, 0)?;
    let end = element_end(block, name, start)?;
    let raw = block.get(start..end)?.trim();
    let raw = raw
        .strip_prefix("<![CDATA[")
        .and_then(|r| r.strip_suffix("]]>"))
        .map_or_else(|| unescape(raw), str::to_string);
    let value = raw.trim().to_string();
    (!value.is_empty()).then_some(value)
}

/// The byte offsets of the `<` of the next `<name …>` or `<prefix:name …>` at or after `from`, and
/// of the first byte after its `>`.
fn element_start(text: &str, name: &str, from: usize) -> Option<(usize, usize)> {
    let mut at = from;
    while let Some(pos) = text.get(at..)?.find('<') {
        let lt = at + pos;
        let rest = text.get(lt + 1..)?;
        let tag_name: &str = rest
            .split(|c: char| c.is_whitespace() || c == '>' || c == '/')
            .next()
            .unwrap_or("");
        let local = tag_name.rsplit(':').next().unwrap_or("");
        if local == name {
            let gt = rest.find('>')?;
            return Some((lt, lt + 1 + gt + 1));
        }
        at = lt + 1;
    }
    None
}

/// The offset of the `</name>` or `</prefix:name>` that closes the element whose text starts at
/// `from`.
fn element_end(text: &str, name: &str, from: usize) -> Option<usize> {
    let mut at = from;
    while let Some(pos) = text.get(at..)?.find("</") {
        let lt = at + pos;
        let rest = text.get(lt + 2..)?;
        let tag_name = rest.split(['>', ' ', '\t', '\n', '\r']).next().unwrap_or("");
        if tag_name.rsplit(':').next() == Some(name) {
            return Some(lt);
        }
        at = lt + 2;
    }
    None
}

/// XML's five entities and numeric references; anything else is kept as written.
fn unescape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(amp) = rest.find('&') {
        out.push_str(&rest[..amp]);
        let after = &rest[amp + 1..];
        let Some(semi) = after.find(';').filter(|&s| s <= 10) else {
            out.push('&');
            rest = after;
            continue;
        };
        let entity = &after[..semi];
        let decoded = match entity {
            "amp" => Some('&'),
            "lt" => Some('<'),
            "gt" => Some('>'),
            "quot" => Some('"'),
            "apos" => Some('\''),
            _ => entity
                .strip_prefix("#x")
                .or_else(|| entity.strip_prefix("#X"))
                .and_then(|h| u32::from_str_radix(h, 16).ok())
                .or_else(|| entity.strip_prefix('#').and_then(|d| d.parse().ok()))
                .and_then(char::from_u32),
        };
        match decoded {
            Some(c) => {
                out.push(c);
                rest = &after[semi + 1..];
            }
            None => {
                out.push('&');
                rest = after;
            }
        }
    }
    out.push_str(rest);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_news_sitemap_gives_urls_dates_and_titles() {
        let xml = r#"<?xml version="1.0" encoding="UTF-8"?>
<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"
        xmlns:news="http://www.google.com/schemas/sitemap-news/0.9">
  <url>
    <loc>https://www.irna.ir/news/1?a=1&amp;b=2</loc>
    <news:news>
      <news:publication><news:name>IRNA</news:name><news:language>fa</news:language></news:publication>
      <news:publication_date>2022-09-08T10:00:00+04:30</news:publication_date>
      <news:title><![CDATA[واکنش کنعانی به <ادعای> آلبانی]]></news:title>
    </news:news>
  </url>
  <url><loc> https://example.org/2 </loc><lastmod>2022-09-07</lastmod></url>
  <url><lastmod>2022-09-07</lastmod></url>
</urlset>"#;
        let Sitemap::Urls(entries) = parse(xml).unwrap() else {
            panic!("not a urlset")
        };
        assert_eq!(entries.len(), 2);
        assert_eq!(entries[0].url, "https://www.irna.ir/news/1?a=1&b=2");
        assert_eq!(entries[0].published.as_deref(), Some("2022-09-08T10:00:00+04:30"));
        assert_eq!(
            entries[0].title.as_deref(),
            Some("واکنش کنعانی به <ادعای> آلبانی")
        );
        assert_eq!(entries[0].language.as_deref(), Some("fa"));
        assert_eq!(entries[1].url, "https://example.org/2");
        assert_eq!(entries[1].published.as_deref(), Some("2022-09-07"));
    }

    #[test]
    fn an_index_lists_sitemaps() {
        let xml = "<sitemapindex><sitemap><loc>https://a/s1.xml</loc></sitemap>\
                   <sitemap><loc>https://a/s2.xml</loc><lastmod>x</lastmod></sitemap></sitemapindex>";
        assert_eq!(
            parse(xml).unwrap(),
            Sitemap::Index(vec!["https://a/s1.xml".into(), "https://a/s2.xml".into()])
        );
    }

    #[test]
    fn damage_keeps_what_came_before_it() {
        let xml = "<urlset><url><loc>https://a/1</loc></url><url><loc>https://a/2";
        let Sitemap::Urls(entries) = parse(xml).unwrap() else {
            panic!()
        };
        assert_eq!(entries.len(), 1);
        assert!(parse("<html><body>not found</body></html>").is_err());
        assert!(parse("").is_err());
    }

    #[test]
    fn unescape_leaves_unknown_entities() {
        assert_eq!(
            unescape("a &amp; b &#x41;&#66; &nbsp; & c"),
            "a & b AB &nbsp; & c"
        );
    }
}
