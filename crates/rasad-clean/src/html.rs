//! HTML pages: Readability main-content extraction, with a guard that sends hostile markup (too deep,
//! too many elements) to a flat tag stripper instead of a recursive DOM.

use std::sync::OnceLock;

use dom_smoothie::{Config, Readability, TextMode};

use crate::{Cleaned, join_paragraphs, page_meta};

/// Nesting deeper than this is not given to the DOM parser: real articles stay far below it.
const MAX_DEPTH: usize = 256;
/// Pages with more elements than this are stripped rather than parsed.
const MAX_ELEMENTS: usize = 60_000;

const FURNITURE: &str = include_str!("../../../data/clean/furniture.tsv");
const TEASERS: &str = include_str!("../../../data/clean/teasers.tsv");

/// A teaser heading is at most this many characters.
const TEASER_HEADING_CHARS: usize = 40;

fn teasers() -> &'static [String] {
    static PHRASES: OnceLock<Vec<String>> = OnceLock::new();
    PHRASES.get_or_init(|| {
        TEASERS
            .lines()
            .filter(|l| !l.starts_with('#') && !l.trim().is_empty())
            .filter_map(|l| l.split('\t').next())
            .map(|p| p.trim().to_lowercase())
            .filter(|p| !p.is_empty())
            .collect()
    })
}

/// The share of an element's letters that sit inside links.
fn link_share(node: &dom_query::NodeRef<'_>) -> f64 {
    let count = |t: &str| t.chars().filter(|c| c.is_alphanumeric()).count();
    let all = count(&node.text());
    if all == 0 {
        return 0.0;
    }
    let linked: usize = dom_query::Selection::from(*node)
        .select("a")
        .nodes()
        .iter()
        .map(|a| count(&a.text()))
        .sum();
    #[allow(clippy::cast_precision_loss)]
    let share = linked as f64 / all as f64;
    share
}

/// Removes related-story teasers: a short heading that opens with a teaser phrase (with the link
/// lists right after it), or an element that opens with one and is mostly a link.
fn remove_teasers(doc: &dom_query::Document) -> usize {
    let mut removed = 0;
    for node in doc.select("p, div, li, h2, h3, h4, h5, h6, strong, span").nodes() {
        let text = node.text();
        let trimmed = text.trim().trim_start_matches(['[', '(']).to_lowercase();
        if !teasers().iter().any(|p| trimmed.starts_with(p.as_str())) {
            continue;
        }
        let heading = trimmed.chars().count() <= TEASER_HEADING_CHARS;
        if heading {
            let mut next = node.next_element_sibling();
            while let Some(sibling) = next {
                next = sibling.next_element_sibling();
                let list = sibling.node_name().is_some_and(|n| &*n == "ul" || &*n == "ol");
                if list || link_share(&sibling) >= 0.7 {
                    sibling.remove_from_parent();
                    removed += 1;
                } else {
                    break;
                }
            }
            node.remove_from_parent();
            removed += 1;
        } else if link_share(node) >= 0.6 && trimmed.chars().count() <= 300 {
            node.remove_from_parent();
            removed += 1;
        }
    }
    removed
}

/// A furniture rule of `data/clean/furniture.tsv`: a selector and the longest text it may take.
struct Furniture {
    matcher: dom_query::Matcher,
    max_chars: usize,
}

fn furniture() -> &'static [Furniture] {
    static RULES: OnceLock<Vec<Furniture>> = OnceLock::new();
    RULES.get_or_init(|| {
        FURNITURE
            .lines()
            .filter(|l| !l.starts_with('#') && !l.trim().is_empty())
            .filter_map(|l| {
                let mut cols = l.split('\t');
                // A selector the engine cannot read is left out (a test checks every rule parses).
                let matcher = dom_query::Matcher::new(cols.next()?.trim()).ok()?;
                let max_chars = cols.next()?.trim().parse().ok()?;
                Some(Furniture { matcher, max_chars })
            })
            .collect()
    })
}

/// Removes the page furniture the rules name, each element only when its text is short enough
/// that it cannot be the article.
fn remove_furniture(doc: &dom_query::Document) -> usize {
    let mut removed = 0;
    for rule in furniture() {
        let found = doc.select_matcher(&rule.matcher);
        for node in found.nodes() {
            // Inside the body only, and never the body or the html element itself.
            if node.node_name().is_some_and(|n| &*n == "body" || &*n == "html") {
                continue;
            }
            if node.text().chars().filter(|c| !c.is_whitespace()).count() <= rule.max_chars {
                node.remove_from_parent();
                removed += 1;
            }
        }
    }
    removed
}

/// Extracts the main text of an HTML page, with its title and declared metadata.
#[must_use]
pub fn clean_html(html: &str, url: Option<&str>) -> Cleaned {
    let meta = page_meta(html, url);
    let mut cleaned = main_content(html, url);
    // The page's own declarations (meta tags, JSON-LD) are read by one scan that works on every page,
    // the stripped ones included; Readability's reading of them comes last.
    let mut published = meta.published;
    for time in cleaned.published.drain(..) {
        if !published.contains(&time) {
            published.push(time);
        }
    }
    cleaned.published = published;
    cleaned.url = meta.url;
    cleaned.site_name = meta.site_name.or(cleaned.site_name.take());
    cleaned.declared_lang = meta.lang.or(cleaned.declared_lang.take());
    if cleaned.title.is_none() {
        cleaned.title = meta.headline;
    }
    cleaned
}

fn main_content(html: &str, url: Option<&str>) -> Cleaned {
    let shape = scan(html);
    if shape.max_depth > MAX_DEPTH || shape.elements > MAX_ELEMENTS {
        let mut cleaned = strip(html);
        cleaned.diagnostics.push(format!(
            "HTML too deep or too large for main-content extraction (depth {}, {} elements); tags stripped instead",
            shape.max_depth, shape.elements
        ));
        return cleaned;
    }
    let config = Config {
        text_mode: TextMode::Formatted,
        max_elements_to_parse: MAX_ELEMENTS,
        ..Config::default()
    };
    // Relative or malformed URLs make Readability refuse the page; the URL only resolves links, so drop it.
    let url = url.filter(|u| u.starts_with("http://") || u.starts_with("https://"));
    let doc = dom_query::Document::from(html);
    remove_furniture(&doc);
    let parsed = Readability::with_document(doc, url, Some(config)).and_then(|mut r| r.parse());
    match parsed {
        Ok(article) => {
            // Teasers are cut from the content Readability chose, not before: a page's choice of
            // content block must not turn on them.
            let content = dom_query::Document::from(&*article.content);
            let text = if remove_teasers(&content) > 0 {
                join_paragraphs(content.formatted_text().lines())
            } else {
                join_paragraphs(article.text_content.lines())
            };
            if text.is_empty() {
                return strip(html);
            }
            let mut boilerplate = rasad_model::Boilerplate::default();
            boilerplate
                .byline
                .extend(article.byline.clone().filter(|b| !b.trim().is_empty()));
            Cleaned {
                title: Some(article.title.trim().to_string()).filter(|t| !t.is_empty()),
                text,
                boilerplate,
                published: article.published_time.into_iter().collect(),
                url: None,
                site_name: article.site_name,
                declared_lang: article.lang,
                diagnostics: Vec::new(),
            }
        }
        Err(err) => {
            let mut cleaned = strip(html);
            cleaned.diagnostics.push(format!(
                "main-content extraction failed ({err}); tags stripped instead"
            ));
            cleaned
        }
    }
}

struct Shape {
    max_depth: usize,
    elements: usize,
}

/// Counts elements and estimates nesting depth in one pass, without building a tree.
fn scan(html: &str) -> Shape {
    const VOID: &[&str] = &[
        "area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr",
    ];
    // Elements that never nest in the parser's tree: those whose end tag may be left out (a new
    // `<p>` closes the open one) and `<a>` (a new link closes the open one).
    const OPTIONAL_END: &[&str] = &[
        "p", "li", "dt", "dd", "tr", "td", "th", "tbody", "thead", "tfoot", "option", "optgroup", "rb", "rt",
        "rp", "colgroup", "caption", "a",
    ];
    // Elements whose content is text, not markup: a `<` inside a script is no tag.
    const RAW_TEXT: &[&str] = &["script", "style", "textarea", "xmp"];
    let mut depth: usize = 0;
    let mut shape = Shape {
        max_depth: 0,
        elements: 0,
    };
    let mut rest = html;
    while let Some(at) = rest.find('<') {
        rest = rest.get(at + 1..).unwrap_or("");
        let closing = rest.starts_with('/');
        let name = tag_name(rest);
        if name.is_empty() {
            continue;
        }
        if closing {
            // The end tag of an element that was not counted takes nothing off either, so that
            // `<div><p></p>` cannot hide the div's depth.
            if !OPTIONAL_END.contains(&name.as_str()) {
                depth = depth.saturating_sub(1);
            }
        } else {
            shape.elements += 1;
            let self_closing = rest
                .find('>')
                .and_then(|end| rest.get(..end))
                .is_some_and(|tag| tag.ends_with('/'));
            if RAW_TEXT.contains(&name.as_str()) && !self_closing {
                let close = format!("</{name}");
                rest = find_ascii_ci(rest, &close)
                    .and_then(|end| rest.get(end..))
                    .unwrap_or("");
                continue;
            }
            // Elements whose end tag may be left out close themselves at the next sibling in
            // the parser (`<p>a<p>b` is two paragraphs, not nested), so they add no depth here.
            if !VOID.contains(&name.as_str()) && !OPTIONAL_END.contains(&name.as_str()) && !self_closing {
                depth += 1;
                shape.max_depth = shape.max_depth.max(depth);
            }
        }
    }
    shape
}

/// A flat, linear-time tag stripper: block tags become paragraph breaks, script and style are dropped,
/// common entities are decoded. Used when the DOM route is unsafe or fails.
fn strip(html: &str) -> Cleaned {
    const BLOCK: &[&str] = &[
        "p",
        "div",
        "br",
        "li",
        "tr",
        "h1",
        "h2",
        "h3",
        "h4",
        "h5",
        "h6",
        "section",
        "article",
        "blockquote",
        "header",
        "footer",
        "table",
        "ul",
        "ol",
        "title",
    ];
    let mut out = String::with_capacity(html.len() / 2);
    let mut title = None;
    let mut rest = html;
    while let Some(at) = rest.find('<') {
        out.push_str(&decode_entities(rest.get(..at).unwrap_or("")));
        rest = rest.get(at..).unwrap_or("");
        let end = rest.find('>').map_or(rest.len(), |e| e + 1);
        let tag = rest.get(1..end.saturating_sub(1)).unwrap_or("");
        rest = rest.get(end..).unwrap_or("");
        let closing = tag.starts_with('/');
        let name = tag_name(tag);
        if !closing
            && matches!(
                name.as_str(),
                "script" | "style" | "noscript" | "template" | "title"
            )
        {
            let close = format!("</{name}");
            let stop = find_ascii_ci(rest, &close).unwrap_or(rest.len());
            if name == "title" && title.is_none() {
                let t = decode_entities(rest.get(..stop).unwrap_or("")).trim().to_string();
                title = Some(t).filter(|t| !t.is_empty());
            }
            rest = rest.get(stop..).unwrap_or("");
            continue;
        }
        if BLOCK.contains(&name.as_str()) {
            out.push('\n');
        }
    }
    out.push_str(&decode_entities(rest));
    Cleaned {
        title,
        text: join_paragraphs(out.lines()),
        ..Cleaned::default()
    }
}

/// The lowercase element name at the start of a tag's inside (`/p class=x` → `p`).
fn tag_name(tag: &str) -> String {
    tag.trim_start_matches('/')
        .chars()
        .take_while(char::is_ascii_alphanumeric)
        .map(|c| c.to_ascii_lowercase())
        .collect()
}

fn find_ascii_ci(haystack: &str, needle: &str) -> Option<usize> {
    let needle = needle.as_bytes();
    haystack
        .as_bytes()
        .windows(needle.len())
        .position(|w| w.eq_ignore_ascii_case(needle))
}

/// Decodes the handful of entities that matter for text: named basics and numeric references.
fn decode_entities(text: &str) -> String {
    if !text.contains('&') {
        return text.to_string();
    }
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(at) = rest.find('&') {
        out.push_str(rest.get(..at).unwrap_or(""));
        rest = rest.get(at..).unwrap_or("");
        let end = rest.get(..12.min(rest.len())).and_then(|head| head.find(';'));
        let decoded = end.and_then(|end| {
            let name = rest.get(1..end)?;
            let ch = match name {
                "amp" => '&',
                "lt" => '<',
                "gt" => '>',
                "quot" => '"',
                "apos" => '\'',
                "nbsp" => ' ',
                "zwnj" => '\u{200C}',
                _ => {
                    let num = name.strip_prefix('#')?;
                    let code = match num.strip_prefix(['x', 'X']) {
                        Some(hex) => u32::from_str_radix(hex, 16).ok()?,
                        None => num.parse().ok()?,
                    };
                    char::from_u32(code).filter(|c| *c != '\0')?
                }
            };
            Some((ch, end + 1))
        });
        match decoded {
            Some((ch, len)) => {
                out.push(ch);
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

    const PAGE: &str = r#"<!doctype html><html lang="ar" dir="rtl"><head><meta charset="utf-8">
        <title>الناتو يدعم ألبانيا | موقع</title>
        <meta property="article:published_time" content="2022-09-08T12:00:00Z"></head>
        <body><nav><a href="/">الرئيسية</a> <a href="/x">اقتصاد</a></nav>
        <article><h1>الناتو يدعم ألبانيا</h1>
        <p>دان أعضاء حلف شمال الأطلسي الهجوم الإلكتروني الذي استهدف ألبانيا مؤخراً والذي ألقت حكومتا واشنطن وتيرانا باللوم فيه على إيران، وقالوا إنهم يدعمون ألبانيا.</p>
        <p>وقطعت ألبانيا العلاقات الدبلوماسية مع طهران، أمس الأربعاء، وحمّل رئيس وزرائها إيران المسؤولية عن الهجوم الإلكتروني الذي وقع في يوليو.</p>
        </article><footer>جميع الحقوق محفوظة</footer></body></html>"#;

    #[test]
    fn readability_keeps_the_article_and_drops_the_furniture() {
        let cleaned = clean_html(PAGE, Some("https://example.com/a"));
        assert!(
            cleaned.text.contains("دان أعضاء حلف شمال الأطلسي"),
            "{}",
            cleaned.text
        );
        assert!(
            cleaned.text.contains("\n\n"),
            "paragraphs kept apart: {}",
            cleaned.text
        );
        assert!(!cleaned.text.contains("جميع الحقوق محفوظة"), "{}", cleaned.text);
        assert!(!cleaned.text.contains("اقتصاد"), "{}", cleaned.text);
        assert_eq!(cleaned.published, ["2022-09-08T12:00:00Z"]);
        assert_eq!(cleaned.declared_lang.as_deref(), Some("ar"));
        assert!(cleaned.title.is_some_and(|t| t.contains("الناتو يدعم ألبانيا")));
    }

    #[test]
    fn a_cookie_banner_or_a_form_is_never_taken_for_the_article() {
        let banner = "We use cookies and similar technologies to improve your experience, measure traffic and personalise content. By clicking accept you agree to our use of cookies as described in our policy. ".repeat(3);
        let article = "Albania cut diplomatic ties with Iran on Wednesday over a cyberattack in July that disrupted government services. ".repeat(4);
        let html = format!(
            r#"<html><body><div class="cookie-consent"><p>{banner}</p><button>Accept</button></div>
            <form action="/signup"><p>Sign up to get our daily briefing in your inbox every morning, free of charge.</p><input name="email"></form>
            <main><p>{article}</p></main></body></html>"#
        );
        let cleaned = clean_html(&html, None);
        assert!(
            cleaned.text.contains("Albania cut diplomatic ties"),
            "{}",
            cleaned.text
        );
        assert!(!cleaned.text.contains("cookies"), "{}", cleaned.text);
        assert!(!cleaned.text.contains("Sign up"), "{}", cleaned.text);
    }

    #[test]
    fn teasers_in_the_chosen_content_go_and_prose_that_opens_alike_stays() {
        let body = "Instagram began hiding like counts on Thursday for users around the world. ".repeat(12);
        let html = format!(
            r#"<html><body><article><p>{body}</p>
            <p>Read more: <a href="/a">Alibaba poised to launch a record listing in Hong Kong</a></p>
            <p>Related to this, the company said the change would reach every market by next year, and that advertisers had been told.</p>
            <p>{body}</p>
            <div class="heading-h3">More Great WIRED Stories</div>
            <ul><li><a href="/b">The strange life of a coder</a></li><li><a href="/c">How to opt out</a></li></ul>
            </article></body></html>"#
        );
        let cleaned = clean_html(&html, None);
        assert!(
            cleaned.text.contains("Related to this, the company said"),
            "{}",
            cleaned.text
        );
        for gone in ["Alibaba poised", "More Great WIRED", "strange life", "opt out"] {
            assert!(!cleaned.text.contains(gone), "{gone} stayed: {}", cleaned.text);
        }
        assert_eq!(cleaned.text.matches("Instagram began hiding").count(), 24);
    }

    #[test]
    fn every_furniture_rule_parses() {
        let lines = FURNITURE
            .lines()
            .filter(|l| !l.starts_with('#') && !l.trim().is_empty())
            .count();
        assert_eq!(furniture().len(), lines);
    }

    #[test]
    fn captions_credits_and_teasers_leave_but_a_wrapper_named_like_them_stays() {
        let body = "The foreign ministry rejected the accusations as baseless on Thursday. ".repeat(30);
        let html = format!(
            r#"<html><head><title>t</title></head><body><div class="article-share-wrapper"><article>
            <h1>Headline</h1><div class="byline">By A. Writer, Nov. 19, 2019</div>
            <figure><img src="a.jpg"><figcaption>Officials at the meeting. Photo: AP</figcaption></figure>
            <p>{body}</p><p>{body}</p>
            <div class="related-stories"><a href="/x">Another story people read</a></div>
            <aside>Sign up for our newsletter</aside></article></div></body></html>"#
        );
        let cleaned = clean_html(&html, None);
        assert!(
            cleaned.text.contains("rejected the accusations"),
            "{}",
            cleaned.text
        );
        for gone in ["Photo: AP", "By A. Writer", "Another story", "newsletter"] {
            assert!(!cleaned.text.contains(gone), "{gone} stayed: {}", cleaned.text);
        }
    }

    #[test]
    fn deeply_nested_html_is_stripped_not_parsed() {
        let html = format!(
            "{}<p>deep text &amp; more</p>{}",
            "<div>".repeat(100_000),
            "</div>".repeat(100_000)
        );
        let cleaned = clean_html(&html, None);
        assert_eq!(cleaned.text, "deep text & more");
        assert!(cleaned.diagnostics[0].contains("too deep"));
    }

    #[test]
    fn unclosed_paragraphs_are_no_depth_but_divs_between_them_are() {
        let body = "The ministry denied the report on Thursday, calling it baseless. ".repeat(20);
        let paragraphs = format!("<p>{body}").repeat(600);
        let html = format!("<html><body><article>{paragraphs}</article></body></html>");
        let cleaned = clean_html(&html, None);
        assert!(
            cleaned.diagnostics.iter().all(|d| !d.contains("too deep")),
            "{:?}",
            cleaned.diagnostics
        );
        let hiding = format!("{}deep{}", "<div><p></p>".repeat(300), "</div>".repeat(300));
        assert!(clean_html(&hiding, None).diagnostics[0].contains("too deep"));
    }

    #[test]
    fn tags_inside_scripts_and_repeated_links_are_no_depth() {
        // `a<t` in a script is no tag; an unclosed link closes at the next one.
        let script = "<script>for (var i=0;i<t.length;i++){if(a<r){x<arguments.length}}</script>".repeat(100);
        let links = "<a href=/x>more ".repeat(400);
        let body = "The court heard the case on Monday and adjourned it to next week. ".repeat(20);
        let html =
            format!("<html><head>{script}</head><body><article><p>{body}</p>{links}</article></body></html>");
        let cleaned = clean_html(&html, None);
        assert!(
            cleaned.diagnostics.iter().all(|d| !d.contains("too deep")),
            "{:?}",
            cleaned.diagnostics
        );
        assert!(cleaned.text.contains("The court heard the case"));
    }

    #[test]
    fn stripper_drops_scripts_and_decodes_entities() {
        let cleaned = strip(
            "<title>T &#1587;</title><script>alert('<p>x</p>')</script><p>a&nbsp;b &#x633; &bogus; &</p>",
        );
        assert_eq!(cleaned.title.as_deref(), Some("T س"));
        assert_eq!(cleaned.text, "a b س &bogus; &");
    }

    proptest! {
        #[test]
        fn any_markup_cleans_without_panic(html in "(<[a-z/!]{0,6}[^<>]{0,8}>|[^<]{0,12}|&#?[a-z0-9]{0,6};?){0,40}") {
            let cleaned = clean_html(&html, None);
            prop_assert!(!cleaned.text.contains("\n\n\n"));
        }
    }
}
