//! The poll loop.
//!
//! One poll of a feed: a conditional GET (the validators of the last full answer); a 304 ends it.
//! Otherwise each item is keyed by its GUID and its URL (a URL that several items of the response
//! share is no key), items already taken (or failing too often) are passed over, and so are
//! repeats within the response; the rest, at most [`Watcher::max_items`] (the others wait for the
//! next poll), have their pages fetched when the source's `pages` policy says so and go to the
//! [`Sink`] in one batch. Only after the sink has stored them are the items recorded as taken, so
//! a watcher killed at any point loses nothing: the items it had not recorded come again on the
//! next poll and the store recognises the articles it already holds by their content id.
//!
//! Errors stay where they happen: a failing source is polled again after a growing backoff (or
//! the server's `Retry-After`), a failing item is tried again on later polls up to
//! [`Watcher::max_item_failures`] times, and neither stops the other sources.

use std::collections::HashSet;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

use chrono::{DateTime, SecondsFormat, Utc};
use rasad_ingest::{FeedEntry, Metadata, RawDocument, decode_html, parse_feed};
use rasad_model::{Provenance, SourceFormat};
use rasad_store::{ItemOutcome, PollRecord, Store};
use serde::Serialize;

use crate::Result;
use crate::http::{FetchFailure, Fetched, Fetcher, Page, Validators};
use crate::sitemap::{self, Sitemap};
use crate::sources::{Pages, SUMMARY_CHARS, Source, SourceKind, host_of};

/// What a sink made of one document.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Taken {
    /// The stored article's id.
    pub article_id: String,
    /// False when the store held the article already (the same text from another item or an
    /// earlier run).
    pub new: bool,
}

impl Taken {
    /// What `Store::insert_batch` made of analysed articles, in their order, as a sink reports it.
    #[must_use]
    pub fn from_stored(
        analysed: &[rasad_model::AnalyzedArticle],
        outcomes: Vec<rasad_store::Outcome>,
    ) -> Vec<Result<Taken, String>> {
        analysed
            .iter()
            .zip(outcomes)
            .map(|(a, o)| {
                Ok(Taken {
                    article_id: a.article.id.as_str().to_string(),
                    new: o == rasad_store::Outcome::Inserted,
                })
            })
            .collect()
    }
}

/// Where new items go: analysis and storage. The watcher records an item as taken only after
/// `take` has returned.
pub trait Sink {
    /// Analyses and stores the documents in one batch and says, per document in order, what
    /// became of it.
    ///
    /// # Errors
    /// A message when nothing could be stored (the items are then tried again on the next poll).
    fn take(
        &mut self,
        store: &mut Store,
        docs: Vec<RawDocument>,
    ) -> Result<Vec<Result<Taken, String>>, String>;
}

/// What one poll did, for the log, `--once`'s summary and tests.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct PollReport {
    pub source: String,
    /// The source answered 304 Not Modified.
    pub not_modified: bool,
    /// Why the poll failed, if it did.
    pub error: Option<String>,
    /// Items the source listed.
    pub listed: usize,
    /// Items new to rasad this poll.
    pub new: usize,
    /// New articles stored.
    pub ingested: usize,
    /// New items whose article the store already held.
    pub duplicates: usize,
    /// Items passed over as repeats within the response.
    pub repeats: usize,
    /// New items that failed (page not fetched, unreadable, refused); tried again later.
    pub item_errors: usize,
    /// New items beyond the per-poll maximum, left for the next poll.
    pub deferred: usize,
    /// Messages of item errors, for the log.
    pub errors: Vec<String>,
}

/// The most items taken from one source in one poll.
pub const MAX_ITEMS_PER_POLL: usize = 200;
/// Items handed to the sink at a time.
pub const BATCH: usize = 8;
/// An item that failed this often is given up.
pub const MAX_ITEM_FAILURES: u32 = 3;
/// The longest a failing source is left alone.
pub const MAX_BACKOFF: Duration = Duration::from_secs(24 * 3600);
/// The most child sitemaps read from one sitemap index per poll.
pub const MAX_CHILD_SITEMAPS: usize = 10;

/// Polls sources and hands their new items to a sink.
pub struct Watcher<S: Sink> {
    sources: Vec<Source>,
    fetcher: Fetcher,
    store: Store,
    sink: S,
    pub max_items: usize,
    pub max_item_failures: u32,
    /// Items handed to the sink (and then recorded) at a time.
    pub batch: usize,
}

impl<S: Sink> std::fmt::Debug for Watcher<S> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Watcher")
            .field("sources", &self.sources)
            .field("fetcher", &self.fetcher)
            .field("max_items", &self.max_items)
            .finish_non_exhaustive()
    }
}

/// One item of a poll before it is fetched.
struct Item {
    keys: Vec<String>,
    entry: FeedEntry,
}

impl<S: Sink> Watcher<S> {
    /// Registers the sources in the store (a source whose URL changed starts afresh).
    ///
    /// # Errors
    /// When the store cannot be written.
    pub fn new(sources: Vec<Source>, fetcher: Fetcher, mut store: Store, sink: S) -> Result<Self> {
        for source in &sources {
            store.register_watch_source(&source.name, &source.url, source.kind.as_str())?;
        }
        Ok(Self {
            sources,
            fetcher,
            store,
            sink,
            max_items: MAX_ITEMS_PER_POLL,
            max_item_failures: MAX_ITEM_FAILURES,
            batch: BATCH,
        })
    }

    #[must_use]
    pub fn store(&self) -> &Store {
        &self.store
    }

    pub fn store_mut(&mut self) -> &mut Store {
        &mut self.store
    }

    #[must_use]
    pub fn fetcher(&self) -> &Fetcher {
        &self.fetcher
    }

    #[must_use]
    pub fn sink(&self) -> &S {
        &self.sink
    }

    /// Polls every source once, whatever its schedule (`rasad watch --once`).
    ///
    /// # Errors
    /// Only when the store fails; a source's own failure is in its report.
    pub fn poll_all(&mut self) -> Result<Vec<PollReport>> {
        let mut reports = Vec::with_capacity(self.sources.len());
        for source in self.sources.clone() {
            reports.push(self.poll(&source)?);
        }
        Ok(reports)
    }

    /// Polls the sources as they fall due until `stop` is set, calling `report` after each poll.
    ///
    /// # Errors
    /// Only when the store fails.
    pub fn run(&mut self, stop: &AtomicBool, mut report: impl FnMut(&PollReport)) -> Result<()> {
        while !stop.load(Ordering::Relaxed) {
            let now = Utc::now();
            let mut soonest: Option<DateTime<Utc>> = None;
            for source in self.sources.clone() {
                if stop.load(Ordering::Relaxed) {
                    return Ok(());
                }
                let due = self.due_at(&source)?;
                if due.is_none_or(|d| d <= now) {
                    let r = self.poll(&source)?;
                    report(&r);
                }
                let next = self.due_at(&source)?.unwrap_or(now);
                soonest = Some(soonest.map_or(next, |s| s.min(next)));
            }
            let wait = soonest
                .and_then(|s| (s - Utc::now()).to_std().ok())
                .unwrap_or(Duration::ZERO);
            let until = std::time::Instant::now() + wait;
            while std::time::Instant::now() < until && !stop.load(Ordering::Relaxed) {
                std::thread::sleep(Duration::from_millis(200).min(until - std::time::Instant::now()));
            }
        }
        Ok(())
    }

    fn due_at(&self, source: &Source) -> Result<Option<DateTime<Utc>>> {
        let state = self.store.watch_source(&source.name)?;
        Ok(state
            .and_then(|s| s.next_poll)
            .and_then(|t| DateTime::parse_from_rfc3339(&t).ok())
            .map(|t| t.with_timezone(&Utc)))
    }

    /// Polls one source now and records what happened.
    ///
    /// # Errors
    /// Only when the store fails.
    pub fn poll(&mut self, source: &Source) -> Result<PollReport> {
        let state = self.store.watch_source(&source.name)?.unwrap_or_default();
        let mut report = PollReport {
            source: source.name.clone(),
            ..PollReport::default()
        };
        let validators = Validators {
            etag: state.etag.clone(),
            last_modified: state.last_modified.clone(),
        };
        let fetched = self.fetcher.get(&source.url, &validators);
        let mut record = PollRecord {
            at: now(),
            ..PollRecord::default()
        };
        let page = match fetched {
            Ok(Fetched::NotModified) => {
                report.not_modified = true;
                record.next_poll = Some(later(source.interval));
                self.store.record_poll(&source.name, &record)?;
                return Ok(report);
            }
            Ok(Fetched::Page(page)) => page,
            Err(failure) => {
                return self.failed_poll(
                    source,
                    state.consecutive_errors,
                    &failure.to_string(),
                    failure.retry_after,
                    report,
                );
            }
        };
        let items = match source.kind {
            SourceKind::Feed => match parse_feed(&page.bytes, Some(&page.url)) {
                Ok(feed) => feed.entries,
                Err(err) => {
                    let message = format!("{}: not a readable feed: {err}", page.url);
                    return self.failed_poll(source, state.consecutive_errors, &message, None, report);
                }
            },
            SourceKind::Sitemap => match self.sitemap_entries(&page) {
                Ok(entries) => entries,
                Err(message) => {
                    return self.failed_poll(source, state.consecutive_errors, &message, None, report);
                }
            },
            SourceKind::Page => Vec::new(),
        };
        let batches: Vec<Vec<(Vec<String>, FeedEntry)>> = if source.kind == SourceKind::Page {
            report.listed = 1;
            report.new = 1;
            Vec::new()
        } else {
            report.listed = items.len();
            let fresh = self.fresh_items(source, items, &mut report)?;
            let mut batches = Vec::new();
            let mut rest = fresh.into_iter().map(|i| (i.keys, i.entry)).peekable();
            while rest.peek().is_some() {
                batches.push(rest.by_ref().take(self.batch.max(1)).collect());
            }
            batches
        };
        if source.kind == SourceKind::Page {
            let doc = page_document(source, &page, None);
            match self.take(source, vec![(Vec::new(), doc)], &mut report) {
                Ok(outcomes) => self.store.record_items(&source.name, &outcomes, &now())?,
                Err(message) => {
                    return self.failed_poll(source, state.consecutive_errors, &message, None, report);
                }
            }
        }
        // Items go to the sink a batch at a time and are recorded after each: a long poll stores
        // as it goes, and a crash costs at most the batch in flight.
        for batch in batches {
            let docs = batch
                .into_iter()
                .map(|(keys, entry)| {
                    let doc = self.document(source, &entry);
                    (keys, doc)
                })
                .collect();
            match self.take(source, docs, &mut report) {
                Ok(outcomes) => self.store.record_items(&source.name, &outcomes, &now())?,
                Err(message) => {
                    return self.failed_poll(source, state.consecutive_errors, &message, None, report);
                }
            }
        }
        record.etag = page.etag;
        record.last_modified = page.last_modified;
        record.next_poll = Some(later(source.interval));
        record.items_seen = report.new as u64;
        record.items_ingested = report.ingested as u64;
        record.item_errors = report.item_errors as u64;
        self.store.record_poll(&source.name, &record)?;
        Ok(report)
    }

    fn failed_poll(
        &mut self,
        source: &Source,
        consecutive_errors: u64,
        message: &str,
        retry_after: Option<Duration>,
        mut report: PollReport,
    ) -> Result<PollReport> {
        let exponent = u32::try_from(consecutive_errors.min(16)).unwrap_or(16);
        let backoff = source.interval.saturating_mul(1 << exponent).min(MAX_BACKOFF);
        let wait = retry_after.map_or(backoff, |r| r.max(backoff));
        tracing::warn!(source = source.name, error = message, ?wait, "poll failed");
        let record = PollRecord {
            at: now(),
            error: Some(message.to_string()),
            next_poll: Some(later(wait)),
            items_seen: report.new as u64,
            items_ingested: report.ingested as u64,
            item_errors: report.item_errors as u64,
            ..PollRecord::default()
        };
        self.store.record_poll(&source.name, &record)?;
        report.error = Some(message.to_string());
        Ok(report)
    }

    /// A sitemap's pages, newest listed first as the sitemap gives them; an index is followed one
    /// level down.
    fn sitemap_entries(&mut self, page: &Page) -> Result<Vec<FeedEntry>, String> {
        let text = String::from_utf8_lossy(&page.bytes);
        let entries = match sitemap::parse(&text).map_err(|e| format!("{}: {e}", page.url))? {
            Sitemap::Urls(entries) => entries,
            Sitemap::Index(children) => {
                let mut all = Vec::new();
                for child in children.iter().take(MAX_CHILD_SITEMAPS) {
                    match self.fetcher.get(child, &Validators::default()) {
                        Ok(Fetched::Page(p)) => {
                            if let Ok(Sitemap::Urls(e)) = sitemap::parse(&String::from_utf8_lossy(&p.bytes)) {
                                all.extend(e);
                            }
                        }
                        Ok(Fetched::NotModified) => {}
                        Err(err) => tracing::warn!(%err, "child sitemap not read"),
                    }
                }
                all
            }
        };
        Ok(entries
            .into_iter()
            .map(|e| FeedEntry {
                guid: e.url.clone(),
                url: Some(e.url),
                title: e.title,
                published: e.published,
                body: None,
                language: e.language,
            })
            .collect())
    }

    /// The items not taken before, each once, at most `max_items`.
    fn fresh_items(
        &mut self,
        source: &Source,
        entries: Vec<FeedEntry>,
        report: &mut PollReport,
    ) -> Result<Vec<Item>> {
        // A URL several items share (a feed linking every item to its home page) is no key.
        let mut url_count = std::collections::HashMap::<String, usize>::new();
        for e in &entries {
            if let Some(u) = &e.url {
                *url_count.entry(u.clone()).or_default() += 1;
            }
        }
        let mut seen: HashSet<String> = HashSet::new();
        let mut fresh = Vec::new();
        for entry in entries {
            let mut keys = Vec::with_capacity(2);
            if !entry.guid.trim().is_empty() {
                keys.push(format!("guid:{}", entry.guid.trim()));
            }
            if let Some(url) = &entry.url
                && url_count.get(url) == Some(&1)
            {
                keys.push(format!("url:{url}"));
            }
            if keys.is_empty() {
                // Nothing to recognise the item by: its content id (in the store) still is.
                keys.push(format!("item:{}", entry.title.as_deref().unwrap_or("")));
            }
            if keys.iter().any(|k| seen.contains(k)) {
                report.repeats += 1;
                continue;
            }
            seen.extend(keys.iter().cloned());
            if self
                .store
                .item_done(&source.name, &keys, self.max_item_failures)?
            {
                continue;
            }
            report.new += 1;
            if fresh.len() >= self.max_items {
                report.deferred += 1;
                continue;
            }
            fresh.push(Item { keys, entry });
        }
        report.new -= report.deferred;
        Ok(fresh)
    }

    /// The item's document: its page when the policy asks for it, else (or when the page cannot
    /// be had) the feed's own text.
    fn document(&mut self, source: &Source, entry: &FeedEntry) -> Result<RawDocument, String> {
        let feed_doc = || {
            entry
                .document(format!("{}#{}", source.url, entry.guid), Some(&source.url))
                .map(|mut d| {
                    d.meta.outlet = outlet(source);
                    d
                })
        };
        let want_page = match source.pages {
            Pages::Never => false,
            Pages::Always => true,
            Pages::Auto => entry
                .body
                .as_ref()
                .is_none_or(|(b, _)| text_chars(b) < SUMMARY_CHARS),
        };
        let Some(url) = entry.url.as_deref().filter(|_| want_page) else {
            return feed_doc().ok_or_else(|| "the item has no text and no page to fetch".to_string());
        };
        match self.fetcher.get(url, &Validators::default()) {
            Ok(Fetched::Page(page)) => {
                page_document(source, &page, Some(entry)).or_else(|err| match feed_doc() {
                    Some(mut doc) => {
                        doc.meta
                            .notes
                            .push(format!("page not read ({err}); the feed's own text was used"));
                        Ok(doc)
                    }
                    None => Err(err),
                })
            }
            Ok(Fetched::NotModified) => Err(format!("{url}: 304 to an unconditional request")),
            Err(failure) => fallback(feed_doc(), &failure),
        }
    }

    fn take(
        &mut self,
        source: &Source,
        docs: Vec<(Vec<String>, Result<RawDocument, String>)>,
        report: &mut PollReport,
    ) -> Result<Vec<(Vec<String>, ItemOutcome)>, String> {
        let mut outcomes: Vec<(Vec<String>, Option<ItemOutcome>)> = Vec::with_capacity(docs.len());
        let mut batch = Vec::new();
        for (keys, doc) in docs {
            match doc {
                Ok(doc) => {
                    batch.push(doc);
                    outcomes.push((keys, None));
                }
                Err(message) => {
                    report.item_errors += 1;
                    report.errors.push(message.clone());
                    tracing::warn!(source = source.name, error = message, "item not taken");
                    outcomes.push((keys, Some(ItemOutcome::Failed(message))));
                }
            }
        }
        let taken = if batch.is_empty() {
            Vec::new()
        } else {
            let n = batch.len();
            let taken = self.sink.take(&mut self.store, batch)?;
            if taken.len() != n {
                return Err(format!("the sink answered for {} of {n} documents", taken.len()));
            }
            taken
        };
        let mut taken = taken.into_iter();
        Ok(outcomes
            .into_iter()
            .map(|(keys, outcome)| {
                let outcome = outcome.unwrap_or_else(|| match taken.next() {
                    Some(Ok(t)) => {
                        if t.new {
                            report.ingested += 1;
                        } else {
                            report.duplicates += 1;
                        }
                        ItemOutcome::Taken(Some(t.article_id))
                    }
                    Some(Err(message)) => {
                        report.item_errors += 1;
                        report.errors.push(message.clone());
                        ItemOutcome::Failed(message)
                    }
                    None => ItemOutcome::Failed("no answer from the sink".to_string()),
                });
                (keys, outcome)
            })
            .collect())
    }
}

/// The feed's own text when the page could not be fetched, with a note saying so.
fn fallback(feed_doc: Option<RawDocument>, failure: &FetchFailure) -> Result<RawDocument, String> {
    match feed_doc {
        Some(mut doc) => {
            doc.meta.notes.push(format!(
                "page not fetched ({failure}); the feed's own text was used"
            ));
            Ok(doc)
        }
        None => Err(failure.to_string()),
    }
}

/// A fetched page as a document to clean and analyse.
fn page_document(source: &Source, page: &Page, entry: Option<&FeedEntry>) -> Result<RawDocument, String> {
    let decoded =
        decode_html(&page.bytes, page.charset.as_deref()).map_err(|e| format!("{}: {e}", page.url))?;
    let plain = page
        .content_type
        .as_deref()
        .is_some_and(|t| t.to_ascii_lowercase().starts_with("text/plain"));
    let mut notes = Vec::new();
    if let Some(note) = decoded.note {
        notes.push(note);
    }
    Ok(RawDocument {
        source: page.url.clone(),
        format: if plain {
            SourceFormat::Text
        } else {
            SourceFormat::Html
        },
        original: page.bytes.clone(),
        body: decoded.text,
        meta: Metadata {
            title: entry.and_then(|e| e.title.clone()),
            url: Some(page.url.clone()),
            published: entry.and_then(|e| e.published.clone()),
            outlet: outlet(source),
            language: entry.and_then(|e| e.language.clone()),
            provenance: Provenance {
                feed: entry.map(|_| source.url.clone()),
                guid: entry.map(|e| e.guid.clone()),
                ..Provenance::default()
            },
            notes,
        },
    })
}

fn outlet(source: &Source) -> Option<String> {
    source.outlet.clone().or_else(|| {
        host_of(&source.url).map(|h| {
            let h = h.split(':').next().unwrap_or(&h).to_string();
            h.strip_prefix("www.").map_or(h.clone(), str::to_string)
        })
    })
}

/// Characters outside markup: how much text a feed item carries.
fn text_chars(body: &str) -> usize {
    let mut in_tag = false;
    let mut n = 0;
    for c in body.chars() {
        match c {
            '<' => in_tag = true,
            '>' => in_tag = false,
            c if !in_tag && !c.is_whitespace() => n += 1,
            _ => {}
        }
    }
    n
}

fn now() -> String {
    Utc::now().to_rfc3339_opts(SecondsFormat::Secs, true)
}

fn later(wait: Duration) -> String {
    let wait = chrono::Duration::from_std(wait).unwrap_or(chrono::Duration::days(1));
    (Utc::now() + wait).to_rfc3339_opts(SecondsFormat::Secs, true)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_is_counted_outside_markup() {
        assert_eq!(text_chars("<p>ab <b>c</b></p>"), 3);
        assert_eq!(text_chars("plain text"), 9);
    }

    #[test]
    fn the_outlet_defaults_to_the_sites_host() {
        let source = Source {
            name: "irna".into(),
            url: "https://www.IRNA.ir:443/rss".into(),
            kind: SourceKind::Feed,
            interval: Duration::from_secs(600),
            pages: Pages::Auto,
            outlet: None,
        };
        assert_eq!(outlet(&source).as_deref(), Some("irna.ir"));
        let named = Source {
            outlet: Some("IRNA".into()),
            ..source
        };
        assert_eq!(outlet(&named).as_deref(), Some("IRNA"));
    }
}
