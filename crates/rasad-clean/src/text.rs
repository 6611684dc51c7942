//! Plain-text pages, line by line: site headers, kickers and headlines, date lines, news codes, share
//! lines, credit lines, end markers and trailing lists of related-story headlines.
//!
//! Which lines are furniture is data (`data/clean/boilerplate.tsv`); the shapes (a run of short
//! headline-like lines closing the page, a kicker ending in a colon above the headline) are code.

use std::sync::OnceLock;

use rasad_model::{Boilerplate, Granularity, Lang};
use rasad_normalize::search_key;

use crate::{Cleaned, join_paragraphs};

const DATA: &str = include_str!("../../../data/clean/boilerplate.tsv");

/// Longest line (in characters) still taken for a headline.
const MAX_TITLE_CHARS: usize = 220;
/// Most words in a headline-like line.
const MAX_HEADLINE_WORDS: usize = 30;
/// Most words in a kicker (the line above a headline that names the speaker or the topic).
const MAX_KICKER_WORDS: usize = 12;
/// A trailing run of headline-like lines must be at least this long to be taken for a related list.
const MIN_TRAILING_RUN: usize = 3;
/// Page-header date lines are short; a long line with a date in it is a sentence.
const MAX_PAGE_DATE_CHARS: usize = 90;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    Header,
    End,
    Related,
    Share,
    Code,
    Dateline,
    Credit,
    Byline,
    Separator,
}

#[derive(Debug)]
struct Pattern {
    kind: Kind,
    exact: bool,
    key: String,
}

fn patterns() -> &'static [Pattern] {
    static TABLE: OnceLock<Vec<Pattern>> = OnceLock::new();
    TABLE.get_or_init(|| {
        DATA.lines()
            .filter(|l| !l.starts_with('#') && !l.trim().is_empty())
            .filter_map(|line| {
                let mut fields = line.split('\t');
                let kind = match fields.next()? {
                    "header" => Kind::Header,
                    "end" => Kind::End,
                    "related" => Kind::Related,
                    "share" => Kind::Share,
                    "code" => Kind::Code,
                    "dateline" => Kind::Dateline,
                    "credit" => Kind::Credit,
                    "byline" => Kind::Byline,
                    "separator" => Kind::Separator,
                    _ => return None,
                };
                let exact = fields.next()? == "exact";
                // Keep a trailing space in prefixes ("by "): it stops "by" matching "Byzantium".
                let key = search_key(fields.next()?.trim_start()).text;
                Some(Pattern { kind, exact, key })
            })
            .collect()
    })
}

/// A line of the page with its search key and what it is, computed once.
#[derive(Debug, Clone)]
struct Line<'a> {
    text: &'a str,
    key: String,
    kind: Option<Kind>,
}

impl<'a> Line<'a> {
    fn new(text: &'a str) -> Self {
        let key = search_key(text).text;
        let kind = classify(&key);
        Self { text, key, kind }
    }

    fn is(&self, kind: Kind) -> bool {
        self.kind == Some(kind)
    }
}

/// What a line is, from its search key: the kind of the longest pattern that matches it.
fn classify(key: &str) -> Option<Kind> {
    patterns()
        .iter()
        .filter(|p| {
            if p.exact {
                key == p.key
            } else {
                key.starts_with(&p.key)
            }
        })
        .max_by_key(|p| p.key.len())
        .map(|p| p.kind)
}

/// Whether a line has the shape of a headline: short, and not closed like a sentence.
fn headline_like(line: &str) -> bool {
    let words = line.split_whitespace().count();
    let closing = line.trim_end_matches(['"', '\'', '»', '”', '’', ')', ']', ' ']);
    let sentence_end = closing.ends_with(['.', '!', ':', '؛', ';', '…']);
    words <= MAX_HEADLINE_WORDS && line.chars().count() <= MAX_TITLE_CHARS && !sentence_end
}

/// The name after a credit label ("منبع: ایرنا" → "ایرنا").
fn credit_name(line: &str) -> Option<String> {
    let (_, name) = line.split_once([':', '：'])?;
    let name = name.trim().trim_matches(['*', '"', '«', '»']).trim();
    (!name.is_empty()).then(|| name.to_string())
}

/// Outlets and wires credited inside body lines: "به گزارش X،", "وأفادت وكالة X للأنباء".
fn inline_credits(line: &str, credits: &mut Vec<String>) {
    let mut add = |name: &str| {
        let name = name.trim().trim_matches(['*', '"', '«', '»', '،', ',']).trim();
        if !name.is_empty() && name.split_whitespace().count() <= 6 && !credits.iter().any(|c| c == name) {
            credits.push(name.to_string());
        }
    };
    if let Some(rest) = line.strip_prefix("به گزارش ")
        && let Some(end) = rest.find(['،', ','])
    {
        add(rest.get(..end).unwrap_or(""));
    }
    if let Some(name) = dateline_credit(line) {
        add(name);
    }
    let mut rest = line;
    while let Some(at) = rest.find("وكالة ") {
        let tail = rest.get(at..).unwrap_or("");
        let window: String = tail.chars().take(60).collect();
        if let Some(end) = window.find("للأنباء") {
            add(window.get(..end + "للأنباء".len()).unwrap_or(""));
        }
        rest = tail.get("وكالة ".len()..).unwrap_or("");
    }
}

/// The wire of a wire dateline: "TEHRAN (Reuters) - …", "طهران (رويترز) - …", "(AFP) —": a short
/// place (at most three words), a parenthesised name of at most four words, then a dash.
fn dateline_credit(line: &str) -> Option<&str> {
    let open = line.find('(')?;
    let place = line.get(..open)?;
    if place.split_whitespace().count() > 3 || place.contains(['.', '،', ',', ':']) {
        return None;
    }
    let inside = line.get(open + 1..)?;
    let close = inside.find(')')?;
    let name = inside.get(..close)?.trim();
    let after = inside.get(close + 1..)?.trim_start();
    let words = name.split_whitespace().count();
    ((1..=4).contains(&words) && after.starts_with(['-', '–', '—'])).then_some(name)
}

/// Cleans a plain-text article. With `detect_title`, the headline (and a kicker above it) is taken
/// for the title; pass `false` when the input already named one.
#[must_use]
pub fn clean_text(body: &str, detect_title: bool) -> Cleaned {
    // Markdown emphasis markers survive copy-paste from some sites; they are formatting, not text.
    let texts: Vec<String> = body
        .lines()
        .map(|l| l.replace("**", "").trim().to_string())
        .filter(|l| !l.is_empty())
        .collect();
    let lines: Vec<Line<'_>> = texts.iter().map(|t| Line::new(t)).collect();
    let mut bp = Boilerplate::default();
    let mut kept: Vec<&Line<'_>> = Vec::new();

    // The site header: leading lines that match header patterns, and the page's own date lines, which
    // stay in the text (like the article's date line) so that their dates keep an evidence span.
    let header = lines
        .iter()
        .take_while(|l| l.is(Kind::Header) || page_date_line(l.text))
        .count();
    for line in lines.iter().take(header) {
        if line.is(Kind::Header) {
            bp.header.push(line.text.to_string());
        } else {
            bp.page_date.push(line.text.to_string());
            kept.push(line);
        }
    }
    let mut rest: Vec<&Line<'_>> = lines.iter().skip(header).collect();

    let title = if detect_title {
        take_title(&mut rest, &mut bp)
    } else {
        None
    };

    // An end marker or a "related stories" heading: what follows is footer.
    if let Some(cut) = rest.iter().position(|l| l.is(Kind::End) || l.is(Kind::Related)) {
        let mut tail = rest.split_off(cut).into_iter();
        if let Some(marker) = tail.next() {
            if marker.is(Kind::End) {
                bp.other.push(marker.text.to_string());
            } else {
                bp.footer.push(marker.text.to_string());
            }
        }
        bp.footer.extend(tail.map(|l| l.text.to_string()));
    }

    for line in rest {
        match line.kind {
            Some(Kind::Share | Kind::Code | Kind::Header) => bp.other.push(line.text.to_string()),
            // The date line stays in the text, so that the date stage can point at it as evidence.
            Some(Kind::Dateline) => {
                bp.dateline.push(line.text.to_string());
                kept.push(line);
            }
            Some(Kind::Credit) => {
                bp.credits.extend(credit_name(line.text));
                bp.other.push(line.text.to_string());
            }
            Some(Kind::Byline) if headline_like(line.text) => bp.byline.push(line.text.to_string()),
            _ => kept.push(line),
        }
    }

    drop_trailing_headlines(&mut kept, &mut bp);
    kept.retain(|l| !l.is(Kind::Separator));
    for line in &kept {
        inline_credits(line.text, &mut bp.credits);
    }
    Cleaned {
        title,
        text: join_paragraphs(kept.iter().map(|l| l.text)),
        boilerplate: bp,
        ..Cleaned::default()
    }
}

/// Whether a line is only a date, as page headers print the day ("الخميس 8 سبتمبر 2022 م - 12 صفر
/// 1444 هـ", "Thursday, 8 September 2022"): a full day date, and dates covering most of its letters.
fn page_date_line(line: &str) -> bool {
    if line.chars().count() > MAX_PAGE_DATE_CHARS {
        return false;
    }
    let mentions = rasad_dates::extract(line, Lang::Und, None);
    if !mentions
        .iter()
        .any(|m| matches!(m.granularity, Granularity::Day | Granularity::Time) && m.value.is_some())
    {
        return false;
    }
    let covered: usize = mentions
        .iter()
        .map(|m| m.text.chars().filter(|c| c.is_alphanumeric()).count())
        .sum();
    let total = line.chars().filter(|c| c.is_alphanumeric()).count();
    covered * 10 >= total * 7
}

/// Takes the headline off the top of `rest`: a kicker ending in a colon joins the headline under it
/// ("سفارت … در بروکسل: ناتو …"); a first line that reads like a sentence is not a title.
fn take_title(rest: &mut Vec<&Line<'_>>, bp: &mut Boilerplate) -> Option<String> {
    let first = *rest.first()?;
    let second = rest.get(1).copied();
    let is_kicker = first.text.trim_end().ends_with([':', '：'])
        && first.text.split_whitespace().count() <= MAX_KICKER_WORDS
        && second.is_some_and(|l| headline_like(l.text))
        && rest.len() > 2;
    if let (true, Some(headline)) = (is_kicker, second) {
        rest.drain(..2);
        drop_repeats(rest, headline, bp);
        return Some(format!("{} {}", first.text.trim_end(), headline.text));
    }
    if rest.len() > 1 && headline_like(first.text) {
        rest.remove(0);
        drop_repeats(rest, first, bp);
        return Some(first.text.to_string());
    }
    None
}

/// Removes later lines that only repeat the headline.
fn drop_repeats(rest: &mut Vec<&Line<'_>>, headline: &Line<'_>, bp: &mut Boilerplate) {
    rest.retain(|line| {
        let repeat = line.key == headline.key;
        if repeat {
            bp.other.push(line.text.to_string());
        }
        !repeat
    });
}

/// A page that ends in a list of unrelated headlines: a separator line followed only by headline-like
/// lines, or a run of at least [`MIN_TRAILING_RUN`] of them after the last sentence.
fn drop_trailing_headlines(kept: &mut Vec<&Line<'_>>, bp: &mut Boilerplate) {
    let run = kept.iter().rev().take_while(|l| headline_like(l.text)).count();
    let start = kept.len() - run;
    // The run may begin at a separator; everything from it on is the related list.
    let separator = kept
        .iter()
        .enumerate()
        .skip(start)
        .find(|(_, l)| l.is(Kind::Separator))
        .map(|(i, _)| i);
    let cut = match separator {
        Some(i) if i + 1 < kept.len() => Some(i),
        _ if run >= MIN_TRAILING_RUN && start > 0 => Some(start),
        _ => None,
    };
    if let Some(cut) = cut {
        let footer: Vec<String> = kept.drain(cut..).map(|l| l.text.to_string()).collect();
        bp.footer.splice(0..0, footer);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    proptest! {
        #[test]
        fn any_text_cleans_without_panic(body in "(\\PC{0,40}\n){0,12}") {
            let cleaned = clean_text(&body, true);
            prop_assert!(!cleaned.text.contains("\n\n\n"));
            prop_assert_eq!(cleaned.text.trim(), cleaned.text.as_str());
        }
    }

    #[test]
    fn page_header_date_lines_stay_in_the_text_and_are_recorded() {
        let cleaned = clean_text(
            "Thursday, 8 September 2022\nNATO backs Albania\nNATO condemned the attack on 7 September 2022 in a statement.",
            true,
        );
        assert_eq!(cleaned.title.as_deref(), Some("NATO backs Albania"));
        assert_eq!(cleaned.boilerplate.page_date, ["Thursday, 8 September 2022"]);
        assert!(
            cleaned
                .text
                .starts_with("Thursday, 8 September 2022\n\nNATO condemned")
        );
        // A sentence that carries a date is not a page date line.
        assert!(!page_date_line("NATO condemned the attack on 7 September 2022."));
        assert!(
            !page_date_line("September 2022"),
            "a month is not the day a page was rendered"
        );
    }

    #[test]
    fn first_short_line_is_the_title() {
        let cleaned = clean_text("\r\nعنوان خبر\r\n\r\nبند اول.\nبند دوم.\n\n\n", true);
        assert_eq!(cleaned.title.as_deref(), Some("عنوان خبر"));
        assert_eq!(cleaned.text, "بند اول.\n\nبند دوم.");
    }

    #[test]
    fn a_single_line_is_text_not_title() {
        let cleaned = clean_text("Only one line.", true);
        assert_eq!(cleaned.title, None);
        assert_eq!(cleaned.text, "Only one line.");
    }

    #[test]
    fn a_known_title_leaves_the_first_line_in_the_text() {
        let cleaned = clean_text("Line one\nLine two", false);
        assert_eq!(cleaned.title, None);
        assert_eq!(cleaned.text, "Line one\n\nLine two");
    }

    #[test]
    fn a_sentence_is_not_a_title() {
        let cleaned = clean_text("قال السفير إن بلاده ضحية.\nوأضاف أن الهجوم مرفوض.", true);
        assert_eq!(cleaned.title, None);
    }

    #[test]
    fn wire_datelines_credit_their_wire() {
        assert_eq!(
            dateline_credit("TEHRAN (Reuters) - Iran denied it."),
            Some("Reuters")
        );
        assert_eq!(dateline_credit("طهران (رويترز) - نفت إيران"), Some("رويترز"));
        assert_eq!(dateline_credit("(AFP) — A statement"), Some("AFP"));
        assert_eq!(dateline_credit("The ministry (MFA) said - nothing"), None);
        assert_eq!(dateline_credit("Iran (the country) denied it."), None);
        assert_eq!(dateline_credit("no parenthesis - here"), None);
        assert_eq!(dateline_credit("TEHRAN (Reuters"), None);
    }

    #[test]
    fn header_lines_share_lines_and_credits_leave_the_text() {
        let page = "عاجل\nرئيس التحرير: فلان\nعنوان الخبر\nالفقرة الأولى من الخبر.\nتابع موقع الجريدة على جوجل نيوز\nالمصدر: وكالة الأنباء\nالفقرة الثانية.";
        let cleaned = clean_text(page, true);
        assert_eq!(cleaned.boilerplate.header, ["عاجل", "رئيس التحرير: فلان"]);
        assert_eq!(cleaned.title.as_deref(), Some("عنوان الخبر"));
        assert_eq!(cleaned.text, "الفقرة الأولى من الخبر.\n\nالفقرة الثانية.");
        assert_eq!(cleaned.boilerplate.credits, ["وكالة الأنباء"]);
        assert!(
            cleaned
                .boilerplate
                .other
                .iter()
                .any(|l| l.starts_with("تابع موقع"))
        );
    }

    #[test]
    fn a_short_last_paragraph_without_a_period_stays() {
        let cleaned = clean_text(
            "Title\nFirst paragraph ends here.\nA closing line without a period",
            true,
        );
        assert!(cleaned.text.ends_with("A closing line without a period"));
        assert!(cleaned.boilerplate.footer.is_empty());
    }

    #[test]
    fn patterns_ignore_yeh_and_kaf_spelling() {
        // "کد خبر" typed with Arabic kaf still matches.
        assert_eq!(Line::new("كد خبر: ۱۲۳").kind, Some(Kind::Code));
        assert_eq!(Line::new("Byzantium fell").kind, None);
        assert_eq!(Line::new("By Jane Doe").kind, Some(Kind::Byline));
    }
}
