//! Full-text search over analysed articles: a tantivy index beside the store.
//!
//! Each language group (Arabic, Persian and Urdu, English, undetermined) has its own title and body
//! fields analysed by [`analyzer::RasadTokenizer`]; a query is analysed once per group and searched
//! in all of them, so one query finds its words in every language's spelling. Filters (language,
//! outlet, entity, event type, day range) are exact terms and a range on the article's day. Hits
//! carry a snippet with the byte ranges of the matched words, never markup: the caller renders them.
//!
//! The index is derived data: the store is the record. [`SearchIndex::open`] recreates an index
//! whose schema changed, and callers rebuild it from the store when the two disagree on the count.

pub mod analyzer;
mod snippet;

use snippet::QueryTerms;

use std::ops::Bound;
use std::path::Path;

use analyzer::{Group, RasadTokenizer};
use rasad_model::AnalyzedArticle;
use tantivy::collector::{Count, TopDocs};
use tantivy::query::{AllQuery, BooleanQuery, BoostQuery, Occur, PhraseQuery, Query, RangeQuery, TermQuery};
use tantivy::schema::{
    FAST, Field, INDEXED, IndexRecordOption, STORED, STRING, Schema, TextFieldIndexing, TextOptions, Value,
};
use tantivy::{DocAddress, Index, IndexReader, Order, ReloadPolicy, TantivyDocument, Term};

/// The one error type of the search crate.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum SearchError {
    #[error("search index error: {0}")]
    Tantivy(#[from] tantivy::TantivyError),
    #[error("cannot open the search index folder: {0}")]
    Directory(#[from] tantivy::directory::error::OpenDirectoryError),
    #[error("cannot reset the search index folder {path}: {source}")]
    Reset { path: String, source: std::io::Error },
    #[error("invalid search query: {0}")]
    Query(String),
}

pub type Result<T> = std::result::Result<T, SearchError>;

/// Memory the index writer may use before it flushes a segment.
const WRITER_BUDGET: usize = 64 * 1024 * 1024;
/// Characters of text around the matched words in a snippet.
const SNIPPET_CHARS: usize = 220;
/// Largest page of hits.
pub const MAX_LIMIT: usize = 200;

#[derive(Debug, Clone, Copy)]
struct GroupFields {
    group: Group,
    title: Field,
    body: Field,
}

#[derive(Debug, Clone)]
struct Fields {
    id: Field,
    lang: Field,
    outlet: Field,
    entity: Field,
    event: Field,
    day: Field,
    title: Field,
    published: Field,
    groups: Vec<GroupFields>,
}

fn schema() -> (Schema, Fields) {
    let mut b = Schema::builder();
    let id = b.add_text_field("id", STRING | STORED);
    let lang = b.add_text_field("lang", STRING | STORED);
    let outlet = b.add_text_field("outlet", STRING | STORED);
    let entity = b.add_text_field("entity", STRING);
    let event = b.add_text_field("event", STRING);
    let day = b.add_i64_field("day", INDEXED | FAST | STORED);
    let title = b.add_text_field("title", STORED);
    let published = b.add_text_field("published", STORED);
    let mut groups = Vec::new();
    for group in Group::ALL {
        let indexing = TextFieldIndexing::default()
            .set_tokenizer(&tokenizer_name(group))
            .set_index_option(IndexRecordOption::WithFreqsAndPositions);
        let indexed = TextOptions::default().set_indexing_options(indexing);
        let title = b.add_text_field(&format!("title_{}", group.code()), indexed.clone());
        let body = b.add_text_field(&format!("body_{}", group.code()), indexed.set_stored());
        groups.push(GroupFields { group, title, body });
    }
    let fields = Fields {
        id,
        lang,
        outlet,
        entity,
        event,
        day,
        title,
        published,
        groups,
    };
    (b.build(), fields)
}

fn tokenizer_name(group: Group) -> String {
    format!("rasad_{}", group.code())
}

/// What to look for. Empty `text` with filters lists the matching articles, latest first.
#[derive(Debug, Clone, Default, serde::Deserialize)]
pub struct SearchQuery {
    /// Words (all must match, in any language's spelling); "quoted words" must follow each other.
    #[serde(default, rename = "q")]
    pub text: String,
    pub lang: Option<String>,
    pub outlet: Option<String>,
    /// A canonical entity id (country:IRN, group:mek).
    pub entity: Option<String>,
    /// A PLOVER event type (ACCUSE, COERCE …).
    pub event: Option<String>,
    /// First day, as days since 1970-01-01 (see [`rasad_stories::day_number`] for the mapping).
    #[serde(skip)]
    pub from_day: Option<i64>,
    #[serde(skip)]
    pub to_day: Option<i64>,
    #[serde(default)]
    pub limit: usize,
    #[serde(default)]
    pub offset: usize,
    /// Leave the snippets out (they cost most of a query's time).
    #[serde(default)]
    pub no_snippets: bool,
}

/// A matched stretch of text: the fragment and the byte ranges of the matched words inside it.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Snippet {
    pub text: String,
    pub highlights: Vec<[usize; 2]>,
}

/// One hit.
#[derive(Debug, Clone, serde::Serialize)]
pub struct Hit {
    pub id: String,
    pub score: f32,
    pub lang: String,
    pub title: Option<String>,
    pub outlet: Option<String>,
    pub published: Option<String>,
    pub snippet: Option<Snippet>,
}

/// A page of hits and how many matched in all.
#[derive(Debug, Clone, serde::Serialize)]
pub struct Results {
    pub total: usize,
    pub hits: Vec<Hit>,
}

/// An open index.
pub struct SearchIndex {
    index: Index,
    reader: IndexReader,
    fields: Fields,
    /// One writer for the life of the index (or until [`SearchIndex::finish`]): its memory budget
    /// is reused and its merges run in the background, so a long ingest neither grows nor piles
    /// up small segments.
    writer: std::sync::Mutex<Option<tantivy::IndexWriter>>,
    /// Articles added since the last commit.
    staged: std::sync::atomic::AtomicUsize,
}

impl std::fmt::Debug for SearchIndex {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SearchIndex").field("docs", &self.len()).finish()
    }
}

impl SearchIndex {
    /// Opens the index in `dir`, creating it when missing, and recreating it (empty) when it was
    /// written with another schema or cannot be read: the caller then refills it from the store.
    ///
    /// # Errors
    /// When the folder cannot be created or written.
    pub fn open(dir: &Path) -> Result<Self> {
        let (schema, fields) = schema();
        std::fs::create_dir_all(dir).map_err(|source| SearchError::Reset {
            path: dir.display().to_string(),
            source,
        })?;
        let opened = tantivy::directory::MmapDirectory::open(dir)
            .map_err(SearchError::from)
            .and_then(|d| Index::open_or_create(d, schema.clone()).map_err(SearchError::from));
        let index = match opened {
            Ok(index) => index,
            Err(_) => {
                std::fs::remove_dir_all(dir)
                    .and_then(|()| std::fs::create_dir_all(dir))
                    .map_err(|source| SearchError::Reset {
                        path: dir.display().to_string(),
                        source,
                    })?;
                Index::create_in_dir(dir, schema)?
            }
        };
        Self::with_index(index, fields)
    }

    /// An index in memory, for tests and one-off runs.
    ///
    /// # Errors
    /// Never in practice; tantivy's reader setup is fallible.
    pub fn in_memory() -> Result<Self> {
        let (schema, fields) = schema();
        Self::with_index(Index::create_in_ram(schema), fields)
    }

    fn with_index(index: Index, fields: Fields) -> Result<Self> {
        for group in Group::ALL {
            index
                .tokenizers()
                .register(&tokenizer_name(group), RasadTokenizer { group });
        }
        let reader = index
            .reader_builder()
            .reload_policy(ReloadPolicy::Manual)
            .try_into()?;
        Ok(Self {
            index,
            reader,
            fields,
            writer: std::sync::Mutex::new(None),
            staged: std::sync::atomic::AtomicUsize::new(0),
        })
    }

    /// Reads the index's latest commit, which another process (a `rasad ingest` beside a server)
    /// may have made.
    ///
    /// # Errors
    /// When the index files cannot be read.
    pub fn reload(&self) -> Result<()> {
        self.reader.reload()?;
        Ok(())
    }

    /// Articles in the index.
    #[must_use]
    pub fn len(&self) -> u64 {
        self.reader.searcher().num_docs()
    }

    #[must_use]
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Adds articles and commits. The caller adds each stored article once (the store reports
    /// duplicates); [`SearchIndex::clear`] starts over.
    ///
    /// # Errors
    /// When the writer cannot be taken (another process is writing) or the commit fails.
    pub fn add<'a>(&self, articles: impl IntoIterator<Item = &'a AnalyzedArticle>) -> Result<usize> {
        let added = self.stage(articles)?;
        self.commit()?;
        Ok(added)
    }

    /// Adds articles without committing: they are searched after the next [`SearchIndex::commit`]
    /// or [`SearchIndex::finish`]. A long ingest commits now and then rather than per chunk, since
    /// every commit writes a segment that merges then rewrite.
    ///
    /// # Errors
    /// When the writer cannot be taken (another process is writing).
    pub fn stage<'a>(&self, articles: impl IntoIterator<Item = &'a AnalyzedArticle>) -> Result<usize> {
        let docs: Vec<TantivyDocument> = articles.into_iter().map(|a| self.document(a)).collect();
        if docs.is_empty() {
            return Ok(0);
        }
        let added = docs.len();
        self.with_writer(|writer| {
            for doc in docs {
                writer.add_document(doc)?;
            }
            Ok(())
        })?;
        self.staged.fetch_add(added, std::sync::atomic::Ordering::Relaxed);
        Ok(added)
    }

    /// Commits the staged articles, if any, and reads them.
    ///
    /// # Errors
    /// When the commit fails.
    pub fn commit(&self) -> Result<()> {
        if self.staged.load(std::sync::atomic::Ordering::Relaxed) == 0 {
            return Ok(());
        }
        self.with_writer(|writer| {
            writer.commit()?;
            Ok(())
        })?;
        self.staged.store(0, std::sync::atomic::Ordering::Relaxed);
        self.reader.reload()?;
        Ok(())
    }

    /// Articles added and not yet committed.
    #[must_use]
    pub fn staged(&self) -> usize {
        self.staged.load(std::sync::atomic::Ordering::Relaxed)
    }

    /// Removes every article.
    ///
    /// # Errors
    /// As [`SearchIndex::add`].
    pub fn clear(&self) -> Result<()> {
        self.with_writer(|writer| {
            writer.delete_all_documents()?;
            writer.commit()?;
            Ok(())
        })?;
        self.staged.store(0, std::sync::atomic::Ordering::Relaxed);
        self.reader.reload()?;
        Ok(())
    }

    /// Commits what is staged, waits for the writer's merges and lets the writer (and its lock)
    /// go: the end of an ingest run. The next write takes a writer again.
    ///
    /// # Errors
    /// When the commit or a merge failed.
    pub fn finish(&self) -> Result<()> {
        self.commit()?;
        let writer = self
            .writer
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .take();
        if let Some(writer) = writer {
            writer.wait_merging_threads()?;
            self.reader.reload()?;
        }
        Ok(())
    }

    fn with_writer<T>(&self, f: impl FnOnce(&mut tantivy::IndexWriter) -> Result<T>) -> Result<T> {
        let mut slot = self
            .writer
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        let writer = match slot.take() {
            Some(w) => w,
            // One indexing thread: the analysis has the other cores, and each thread would write
            // a segment of its own at every commit.
            None => self.index.writer_with_num_threads(1, WRITER_BUDGET)?,
        };
        let writer = slot.insert(writer);
        f(writer)
    }

    fn document(&self, a: &AnalyzedArticle) -> TantivyDocument {
        let f = &self.fields;
        let article = &a.article;
        let mut doc = TantivyDocument::default();
        doc.add_text(f.id, article.id.as_str());
        doc.add_text(f.lang, article.lang.code());
        if let Some(outlet) = &article.outlet {
            doc.add_text(f.outlet, outlet);
        }
        if let Some(title) = &article.title {
            doc.add_text(f.title, title);
        }
        if let Some(published) = &article.published {
            doc.add_text(f.published, published);
        }
        if let Some(day) = rasad_stories::article_day(a) {
            doc.add_i64(f.day, day);
        }
        let mut entities: Vec<&str> = a.analysis.entities.iter().map(|e| e.id.as_str()).collect();
        entities.sort_unstable();
        entities.dedup();
        for id in entities {
            doc.add_text(f.entity, id);
        }
        let mut events: Vec<&str> = a.analysis.events.iter().map(|e| e.event_type.as_str()).collect();
        events.sort_unstable();
        events.dedup();
        for event in events {
            doc.add_text(f.event, event);
        }
        let group = Group::of(article.lang);
        if let Some(g) = f.groups.iter().find(|g| g.group == group) {
            if let Some(title) = &article.title {
                doc.add_text(g.title, title);
            }
            doc.add_text(g.body, &article.text);
        }
        doc
    }

    /// Runs a query.
    ///
    /// # Errors
    /// On an index read failure.
    pub fn search(&self, q: &SearchQuery) -> Result<Results> {
        let f = &self.fields;
        let words = self.word_query(&q.text)?;
        let mut clauses: Vec<(Occur, Box<dyn Query>)> = Vec::new();
        let has_words = words.is_some();
        clauses.push((Occur::Must, words.unwrap_or_else(|| Box::new(AllQuery))));
        for (field, value) in [
            (f.lang, &q.lang),
            (f.outlet, &q.outlet),
            (f.entity, &q.entity),
            (f.event, &q.event),
        ] {
            if let Some(value) = value.as_deref().filter(|v| !v.is_empty()) {
                let term = Term::from_field_text(field, value);
                clauses.push((
                    Occur::Must,
                    Box::new(TermQuery::new(term, IndexRecordOption::Basic)),
                ));
            }
        }
        if q.from_day.is_some() || q.to_day.is_some() {
            let bound = |d: Option<i64>| match d {
                Some(d) => Bound::Included(Term::from_field_i64(f.day, d)),
                None => Bound::Unbounded,
            };
            clauses.push((
                Occur::Must,
                Box::new(RangeQuery::new(bound(q.from_day), bound(q.to_day))),
            ));
        }
        let query = BooleanQuery::new(clauses);
        let searcher = self.reader.searcher();
        let limit = if q.limit == 0 { 20 } else { q.limit.min(MAX_LIMIT) };
        let top = TopDocs::with_limit(limit).and_offset(q.offset);
        let (total, addresses): (usize, Vec<(f32, DocAddress)>) = if has_words {
            searcher.search(&query, &(Count, top.order_by_score()))?
        } else {
            let (total, by_day) = searcher.search(
                &query,
                &(Count, top.order_by_fast_field::<i64>("day", Order::Desc)),
            )?;
            (
                total,
                by_day.into_iter().map(|(_, address)| (0.0, address)).collect(),
            )
        };
        let wanted = if has_words && !q.no_snippets {
            Some(QueryTerms::new(&q.text))
        } else {
            None
        };
        let mut hits = Vec::with_capacity(addresses.len());
        for (score, address) in addresses {
            let doc: TantivyDocument = searcher.doc(address)?;
            let text = |field: Field| doc.get_first(field).and_then(|v| v.as_str()).map(str::to_owned);
            let snippet = wanted.as_ref().and_then(|wanted| {
                f.groups.iter().find_map(|g| {
                    let body = doc.get_first(g.body)?.as_str()?;
                    Some(snippet::best(body, g.group, wanted, SNIPPET_CHARS))
                })
            });
            hits.push(Hit {
                id: text(f.id).unwrap_or_default(),
                score,
                lang: text(f.lang).unwrap_or_default(),
                title: text(f.title),
                outlet: text(f.outlet),
                published: text(f.published),
                snippet,
            });
        }
        Ok(Results { total, hits })
    }

    /// The query for the words of `text`: every word (or quoted phrase) must match in some
    /// group's title or body. `None` when the text has no words.
    fn word_query(&self, text: &str) -> Result<Option<Box<dyn Query>>> {
        let mut musts: Vec<Box<dyn Query>> = Vec::new();
        for (i, part) in text.split('"').enumerate() {
            let phrase = i % 2 == 1;
            let words = rasad_normalize::tokenize(part);
            if phrase && words.len() > 1 {
                let keys: Vec<String> = words.iter().map(|w| w.key.clone()).collect();
                musts.push(self.phrase_query(&keys));
                continue;
            }
            for word in words {
                musts.push(self.word_clause(&word.key));
            }
        }
        if musts.len() > 64 {
            return Err(SearchError::Query(format!(
                "{} words; at most 64 are searched at once",
                musts.len()
            )));
        }
        Ok(match musts.len() {
            0 => None,
            _ => Some(Box::new(BooleanQuery::intersection(musts))),
        })
    }

    /// One word in any group's fields: its exact key scores above a shared stem, titles above bodies.
    fn word_clause(&self, key: &str) -> Box<dyn Query> {
        let mut shoulds: Vec<Box<dyn Query>> = Vec::new();
        for g in &self.fields.groups {
            for (n, term) in g.group.terms(key).into_iter().enumerate() {
                let weight = if n == 0 { 1.0 } else { 0.6 };
                for (field, boost) in [(g.title, 2.0), (g.body, 1.0)] {
                    let q = TermQuery::new(Term::from_field_text(field, &term), IndexRecordOption::WithFreqs);
                    shoulds.push(Box::new(BoostQuery::new(Box::new(q), weight * boost)));
                }
            }
        }
        Box::new(BooleanQuery::union(shoulds))
    }

    /// The words of a phrase in this order, by their keys, in any group's fields.
    fn phrase_query(&self, keys: &[String]) -> Box<dyn Query> {
        let mut shoulds: Vec<Box<dyn Query>> = Vec::new();
        for g in &self.fields.groups {
            for field in [g.title, g.body] {
                let terms = keys.iter().map(|k| Term::from_field_text(field, k)).collect();
                shoulds.push(Box::new(PhraseQuery::new(terms)));
            }
        }
        Box::new(BooleanQuery::union(shoulds))
    }
}

#[cfg(test)]
mod tests;
