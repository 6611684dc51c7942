//! The stages that build the article itself: cleaning, language, publication date and identity.
//! Extraction stages (dates, entities, claims) live in their own crates.

use chrono::{Datelike, NaiveDate};
use rasad_clean::{clean_html, clean_text};
use rasad_langid::{Guess, Lingua, paragraphs};
use rasad_model::{ArticleId, DateMention, DateRole, Granularity, Lang, SourceFormat};

use crate::{Document, Options, Stage, normalize_published};

/// Main text, title and boilerplate, from HTML or plain text.
#[derive(Debug, Clone, Copy, Default)]
pub struct Clean;

impl Stage for Clean {
    fn name(&self) -> &'static str {
        "clean"
    }

    /// Outlet, title and text are final after cleaning: no later stage changes them.
    fn settles_identity(&self) -> bool {
        true
    }

    fn run(&self, doc: &mut Document, _options: &Options) {
        let known_title = doc.raw.meta.title.clone();
        let cleaned = match doc.raw.format {
            SourceFormat::Html => clean_html(&doc.raw.body, doc.raw.meta.url.as_deref()),
            // A JSON record's body is text; news-please's maintext is already the main text.
            SourceFormat::Text | SourceFormat::Jsonl => clean_text(&doc.raw.body, known_title.is_none()),
        };
        let a = &mut doc.article;
        // A title that came with the input wins over one found in the page.
        a.title = known_title.or(cleaned.title);
        a.text = cleaned.text;
        a.boilerplate = cleaned.boilerplate;
        // So does a URL (the feed's link, the archive's target URI); the page's canonical fills in.
        if a.url.is_none() {
            a.url = cleaned.url;
        }
        if a.outlet.is_none() {
            a.outlet = cleaned.site_name.or_else(|| a.url.as_deref().and_then(host_of));
        }
        // Publication times: the input's own first, then what the page declares, most trusted first.
        doc.published = doc.raw.meta.published.iter().cloned().collect();
        for time in cleaned.published {
            if !doc.published.contains(&time) {
                doc.published.push(time);
            }
        }
        if doc.raw.meta.language.is_none() {
            doc.raw.meta.language = cleaned.declared_lang;
        }
        doc.diagnostics.extend(cleaned.diagnostics);
        if a.text.is_empty() {
            doc.diagnostics.push("no article text left after cleaning".into());
        }
    }
}

/// The host of a URL without `www.`, as an outlet name.
fn host_of(url: &str) -> Option<String> {
    let rest = url.split_once("://").map_or(url, |(_, rest)| rest);
    let host = rest
        .split(['/', '?', '#'])
        .next()?
        .rsplit('@')
        .next()?
        .split(':')
        .next()?;
    let host = host.strip_prefix("www.").unwrap_or(host).to_ascii_lowercase();
    (!host.is_empty() && host.contains('.')).then_some(host)
}

/// Language of the article and of each paragraph, by `lingua` restricted to ar, fa, ur and en
/// (chosen by measurement: docs/evaluation.md).
#[derive(Debug, Default)]
pub struct LangId {
    identifier: Lingua,
}

impl Stage for LangId {
    fn name(&self) -> &'static str {
        "langid"
    }

    fn run(&self, doc: &mut Document, _options: &Options) {
        let a = &mut doc.article;
        let mut guess = rasad_langid::article(&a.text, &self.identifier);
        if guess.lang == Lang::Und
            && let Some(declared) = doc.raw.meta.language.as_deref().and_then(Lang::from_code)
        {
            guess = Guess {
                lang: declared,
                confidence: 0.5,
            };
        }
        a.lang = guess.lang;
        a.lang_confidence = guess.confidence;
        a.paragraphs = paragraphs(&a.text, &self.identifier, guess);
    }
}

/// The publication date: the first declared time (the input's, then the page's) that is readable and
/// plausible. A placeholder (`0001-01-01T00:00:00Z`, anything before 1990) or a time in the future is
/// passed over with a note, and so is one rasad cannot read.
#[derive(Debug, Clone, Copy, Default)]
pub struct Publication;

/// Publication times before this year are placeholders, not dates.
const EARLIEST_YEAR: i32 = 1990;

impl Stage for Publication {
    fn name(&self) -> &'static str {
        "published"
    }

    fn run(&self, doc: &mut Document, options: &Options) {
        let now = options.now.unwrap_or_else(chrono::Utc::now);
        let latest = (now + chrono::Duration::days(1)).date_naive();
        for raw in &doc.published {
            let Some(iso) = normalize_published(raw) else {
                doc.diagnostics.push(format!(
                    "publication date '{raw}' is not a date rasad can read; left out"
                ));
                continue;
            };
            match day_of(&iso) {
                Some(day) if day.year() < EARLIEST_YEAR => doc.diagnostics.push(format!(
                    "publication date '{raw}' is a placeholder (before {EARLIEST_YEAR}); left out"
                )),
                Some(day) if day > latest => doc
                    .diagnostics
                    .push(format!("publication date '{raw}' is in the future; left out")),
                _ => {
                    doc.article.published = Some(iso);
                    return;
                }
            }
        }
    }
}

/// Date expressions, resolved against the reference date: `--reference-date`, else the publication
/// date. When metadata gave no publication date, the article's own date line gives it.
#[derive(Debug, Clone, Copy, Default)]
pub struct Dates;

impl Stage for Dates {
    fn name(&self) -> &'static str {
        "dates"
    }

    fn run(&self, doc: &mut Document, options: &Options) {
        let a = &mut doc.article;
        let lang = a.lang;
        let datelines = line_ranges(&a.text, &a.boilerplate.dateline);
        let page_lines = line_ranges(&a.text, &a.boilerplate.page_date);
        if a.published.is_none() {
            a.published = datelines
                .iter()
                .find_map(|&range| first_day(&a.text, range, lang));
        }
        let reference = options
            .reference_date
            .or_else(|| a.published.as_deref().and_then(day_of));
        let inside = |m: &DateMention, ranges: &[(usize, usize)]| {
            ranges
                .iter()
                .any(|(start, end)| m.span.start >= *start && m.span.end <= *end)
        };
        // The page header's date is the day the page was rendered. It is never the publication date,
        // but when nothing else gives a reference it may resolve relative dates, unless the text's own
        // weekdays show the article is from another day ("أمس الأربعاء" on a page dated a Monday).
        let page_day = if reference.is_none() {
            page_lines
                .iter()
                .find_map(|&range| first_day(&a.text, range, lang))
                .as_deref()
                .and_then(day_of)
        } else {
            None
        };
        let mut page_note = None;
        let mut dates = match page_day {
            None => rasad_dates::extract(&a.text, lang, reference),
            Some(page_day) => {
                let mut trial = rasad_dates::extract(&a.text, lang, Some(page_day));
                let contradicted = trial.iter().any(|m| {
                    !inside(m, &page_lines) && m.note.as_deref().is_some_and(|n| n.contains("contradicts"))
                });
                if contradicted {
                    page_note = Some(format!(
                        "page date {page_day}: the text's weekdays show the article is from another day; \
                         not used as its date"
                    ));
                    rasad_dates::extract(&a.text, lang, None)
                } else {
                    for m in trial.iter_mut().filter(|m| m.relative && m.value.is_some()) {
                        m.note = Some(format!("resolved against the page date {page_day}"));
                    }
                    trial
                }
            }
        };
        for m in &mut dates {
            if inside(m, &datelines) {
                m.role = DateRole::Published;
            } else if inside(m, &page_lines) {
                m.role = DateRole::Page;
                if let Some(note) = &page_note {
                    m.note = Some(note.clone());
                }
            }
        }
        doc.analysis.dates = dates;
    }
}

/// The day of an ISO 8601 date or date-time.
fn day_of(iso: &str) -> Option<NaiveDate> {
    iso.get(..10)?.parse().ok()
}

/// Byte ranges in `text` of lines the cleaner kept there.
fn line_ranges(text: &str, lines: &[String]) -> Vec<(usize, usize)> {
    lines
        .iter()
        .filter_map(|line| text.find(line.as_str()).map(|at| (at, at + line.len())))
        .collect()
}

/// The first day (or time) value written in `text[range]`.
fn first_day(text: &str, (start, end): (usize, usize), lang: Lang) -> Option<String> {
    let line = text.get(start..end)?;
    rasad_dates::extract(line, lang, None).into_iter().find_map(|m| {
        matches!(m.granularity, Granularity::Day | Granularity::Time)
            .then_some(m.value)
            .flatten()
    })
}

/// Actors, places and things, resolved to the catalog's canonical entities; people and organisations
/// outside it found by their titles.
#[derive(Debug, Clone, Copy, Default)]
pub struct Entities;

impl Stage for Entities {
    fn name(&self) -> &'static str {
        "entities"
    }

    fn run(&self, doc: &mut Document, _options: &Options) {
        doc.analysis.entities = rasad_entities::extract(&doc.article.text, doc.article.lang);
    }
}

/// Quotes: speaker (from the entities), speech verb, stance and content.
#[derive(Debug, Clone, Copy, Default)]
pub struct Quotes;

impl Stage for Quotes {
    fn name(&self) -> &'static str {
        "quotes"
    }

    fn run(&self, doc: &mut Document, _options: &Options) {
        let a = &doc.article;
        doc.analysis.quotes = rasad_claims::quotes(&a.text, a.lang, &doc.analysis.entities);
    }
}

/// PLOVER events (verb patterns with their source and target actors from the entities, dated by
/// the date stage, reported by the quoted speaker, the wire or the outlet) and the cyber-incident
/// records built from them, in one pass over the text.
#[derive(Debug, Clone, Copy, Default)]
pub struct Events;

impl Stage for Events {
    fn name(&self) -> &'static str {
        "events"
    }

    fn run(&self, doc: &mut Document, _options: &Options) {
        let a = &doc.article;
        let an = &doc.analysis;
        let claims = rasad_claims::events_and_incidents(
            &a.text,
            a.lang,
            &an.entities,
            &an.quotes,
            &an.dates,
            a.outlet.as_deref(),
        );
        doc.analysis.events = claims.events;
        doc.analysis.incidents = claims.incidents;
        // Victims and groups the catalog does not know join the article's entities.
        doc.analysis.entities.extend(claims.discovered);
    }
}

/// The article's stable id, from its outlet, title and cleaned text.
#[derive(Debug, Clone, Copy, Default)]
pub struct Identify;

impl Stage for Identify {
    fn name(&self) -> &'static str {
        "identify"
    }

    fn run(&self, doc: &mut Document, _options: &Options) {
        let a = &mut doc.article;
        a.id = ArticleId::derive(a.outlet.as_deref(), a.title.as_deref(), &a.text);
    }
}

#[cfg(test)]
mod tests {
    use super::host_of;

    #[test]
    fn hosts_are_outlet_names() {
        assert_eq!(host_of("https://www.irna.ir/news/1").as_deref(), Some("irna.ir"));
        assert_eq!(
            host_of("http://user@Example.COM:8080/x?y").as_deref(),
            Some("example.com")
        );
        assert_eq!(host_of("not a url"), None);
    }
}
