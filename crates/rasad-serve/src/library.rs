//! What the server reads from and writes to: the store, the search index kept in step with it, and
//! the story and incident tables computed from both. Every method is blocking; handlers call them
//! off the async workers.
//!
//! Stories are kept as articles arrive ([`LiveStories`]): a POST places its articles and publishes
//! new tables without reading the rest of the store. Whole-store work (the first computation when
//! the server opens, a rebuild after articles came out of (day, id) order, catching up with another
//! process's writes) runs on the watcher thread with a connection of its own, so no request waits
//! for it; until the first computation is done, `/api/health` says `ready: false`.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex, MutexGuard, RwLock};

use rasad_incidents::{IncidentTable, Signature};
use rasad_ingest::RawDocument;
use rasad_model::AnalyzedArticle;
use rasad_pipeline::{Options, Pipeline};
use rasad_search::SearchIndex;
use rasad_store::{Outcome, Store};
use rasad_stories::{LiveStories, StoryTable};

use crate::ServeError;

/// Stores up to this many articles are re-clustered at once when articles arrive out of (day, id)
/// order; larger ones are placed incrementally and rebuilt by the watcher.
const SMALL_REBUILD: usize = 2_000;

/// Articles read back from the store per index batch when the index is rebuilt.
const REBUILD_BATCH: usize = 512;

/// The shared state behind the API.
#[derive(Debug)]
pub struct Library {
    store: Mutex<Store>,
    index: SearchIndex,
    stories: RwLock<Arc<StoryTable>>,
    incidents: RwLock<Arc<IncidentTable>>,
    pipeline: Pipeline,
    db: PathBuf,
    /// The store's `data_version` and last article rowid when the views were last brought up to
    /// date: a change of the first means another process wrote.
    seen: Mutex<(i64, i64)>,
    /// The stories as articles arrive.
    live: Mutex<LiveStories>,
    /// Parsed incident signatures by article, so that a refresh parses only new ones.
    signatures: Mutex<HashMap<String, Signature>>,
    /// Whether the tables cover the whole store (false until the first computation is done).
    ready: AtomicBool,
    /// Whether articles were placed out of (day, id) order since the last rebuild.
    stale: AtomicBool,
    /// Whether articles were placed since the tables were last published (on a large store a POST
    /// leaves publishing to the watcher).
    unpublished: AtomicBool,
    /// Stores of at most this many articles are re-clustered and published within a POST.
    small: usize,
}

fn lock<T>(m: &Mutex<T>) -> MutexGuard<'_, T> {
    m.lock().unwrap_or_else(std::sync::PoisonError::into_inner)
}

/// What one POSTed article became.
#[derive(Debug, Clone, serde::Serialize)]
pub struct IngestItem {
    /// Position in the request (0-based).
    pub item: usize,
    pub id: Option<String>,
    /// `inserted`, `duplicate` or `error`.
    pub status: &'static str,
    pub lang: Option<String>,
    pub title: Option<String>,
    pub story: Option<String>,
    pub incident: Option<String>,
    pub error: Option<String>,
    pub warnings: Vec<String>,
}

/// The answer to an ingest request.
#[derive(Debug, Clone, serde::Serialize)]
pub struct IngestReport {
    pub inserted: usize,
    pub duplicates: usize,
    pub errors: usize,
    pub items: Vec<IngestItem>,
}

/// The index folder that goes with a store file: `rasad.db` → `rasad.db.index`.
#[must_use]
pub fn index_dir_for(db: &Path) -> PathBuf {
    let mut name = db
        .file_name()
        .map(std::ffi::OsStr::to_os_string)
        .unwrap_or_default();
    name.push(".index");
    db.with_file_name(name)
}

/// Rebuilds `index` from `store` when their counts differ (an ingest while the index was held by a
/// server, a deleted or damaged index folder). Returns whether it rebuilt.
///
/// # Errors
/// On a store or index failure.
pub fn sync_index(store: &Store, index: &SearchIndex) -> Result<bool, ServeError> {
    let stored = store.count()? as u64;
    if index.len() == stored {
        return Ok(false);
    }
    tracing::info!(stored, indexed = index.len(), "rebuilding the search index");
    index.clear()?;
    let ids: Vec<String> = store.article_keys()?.into_iter().map(|k| k.id).collect();
    for chunk in ids.chunks(REBUILD_BATCH) {
        let mut batch = Vec::with_capacity(chunk.len());
        for id in chunk {
            if let Some(a) = store.get(id)? {
                batch.push(a);
            }
        }
        index.add(&batch)?;
    }
    Ok(true)
}

impl Library {
    /// Opens the store and its index and computes everything before returning: the index rebuilt
    /// when it does not hold exactly the stored articles, every article placed into incidents, the
    /// stories.
    ///
    /// # Errors
    /// When the store or the index cannot be opened or read.
    pub fn open(db: &Path) -> Result<Self, ServeError> {
        let library = Self::open_lazy(db)?;
        library.warm_up()?;
        Ok(library)
    }

    /// Opens the store and its index and returns at once, with empty tables: [`Library::warm_up`]
    /// (or the watcher, [`Library::watch`]) computes them.
    ///
    /// # Errors
    /// When the store or the index cannot be opened.
    pub fn open_lazy(db: &Path) -> Result<Self, ServeError> {
        let store = Store::open(db)?;
        let index = SearchIndex::open(&index_dir_for(db))?;
        Ok(Self {
            store: Mutex::new(store),
            index,
            stories: RwLock::new(Arc::new(StoryTable::default())),
            incidents: RwLock::new(Arc::new(IncidentTable::default())),
            pipeline: Pipeline::standard(Options::default()),
            db: db.to_path_buf(),
            seen: Mutex::new((0, 0)),
            live: Mutex::new(LiveStories::new()),
            signatures: Mutex::new(HashMap::new()),
            ready: AtomicBool::new(false),
            stale: AtomicBool::new(false),
            unpublished: AtomicBool::new(false),
            small: SMALL_REBUILD,
        })
    }

    /// Sets how many articles a store may hold for a POST to re-cluster and publish at once (the
    /// default is 2,000; beyond it the watcher does both).
    #[must_use]
    pub fn with_small_store(mut self, articles: usize) -> Self {
        self.small = articles;
        self
    }

    /// Whether the story and incident tables cover the whole store.
    #[must_use]
    pub fn is_ready(&self) -> bool {
        self.ready.load(Ordering::Acquire)
    }

    /// The first whole-store computation, on a connection of its own: the index brought in step,
    /// stored articles placed into incidents, the stories. Requests are served meanwhile.
    ///
    /// # Errors
    /// On a store or index failure.
    pub fn warm_up(&self) -> Result<(), ServeError> {
        let mut reader = Store::open(&self.db)?;
        sync_index(&reader, &self.index)?;
        rasad_incidents::index::catch_up(&mut reader)?;
        self.mark_seen()?;
        self.rebuild_stories(&reader)?;
        self.ready.store(true, Ordering::Release);
        Ok(())
    }

    /// Recomputes the stories from the whole store (on `reader`, a connection of the caller's),
    /// then places what was stored meanwhile, and publishes the tables.
    fn rebuild_stories(&self, reader: &Store) -> Result<(), ServeError> {
        let snapshot = reader.last_rowid()?;
        let mut fresh = LiveStories::from_store(reader)?;
        self.stale.store(false, Ordering::Release);
        let mut live = lock(&self.live);
        for (_, id) in reader.ids_after(snapshot)? {
            if let Some(a) = reader.get(&id)?
                && !fresh.add(&a)
            {
                self.stale.store(true, Ordering::Release);
            }
        }
        *live = fresh;
        self.publish(&live, reader)
    }

    /// Publishes the story table of `live` and the incident table joined through it.
    fn publish(&self, live: &LiveStories, store: &Store) -> Result<(), ServeError> {
        // The caller holds the live stories' lock: nothing is placed while this runs.
        self.unpublished.store(false, Ordering::Release);
        let table = live.table();
        let incidents = IncidentTable::from_store_cached(store, Some(&table), &mut lock(&self.signatures))?;
        match self.stories.write() {
            Ok(mut t) => *t = Arc::new(table),
            Err(p) => *p.into_inner() = Arc::new(table),
        }
        match self.incidents.write() {
            Ok(mut t) => *t = Arc::new(incidents),
            Err(p) => *p.into_inner() = Arc::new(incidents),
        }
        Ok(())
    }

    /// Places articles into the live stories and publishes the tables (a no-op before the first
    /// computation, which will include them).
    fn place(&self, articles: &[&AnalyzedArticle]) -> Result<(), ServeError> {
        if !self.is_ready() {
            return Ok(());
        }
        let mut sorted = articles.to_vec();
        sorted.sort_by_key(|a| (rasad_stories::article_day(a), a.article.id.as_str().to_string()));
        let mut live = lock(&self.live);
        let mut in_order = true;
        for a in sorted {
            in_order &= live.add(a);
        }
        if !in_order {
            if live.len() <= self.small {
                // Small enough to redo now: the answer then carries the stories a rebuild gives.
                drop(live);
                return self.refresh_stories();
            }
            self.stale.store(true, Ordering::Release);
        }
        if live.len() <= self.small {
            self.publish(&live, &self.store())
        } else {
            // Publishing reads every story: the watcher does it within its period, and the answer
            // names the story each article was placed in.
            self.unpublished.store(true, Ordering::Release);
            Ok(())
        }
    }

    /// Publishes the tables when articles were placed since the last time.
    ///
    /// # Errors
    /// On a store failure.
    pub fn publish_placed(&self) -> Result<(), ServeError> {
        if self.unpublished.swap(false, Ordering::AcqRel) {
            let live = lock(&self.live);
            let reader = Store::open(&self.db)?;
            self.publish(&live, &reader)?;
        }
        Ok(())
    }

    /// The store file.
    #[must_use]
    pub fn db(&self) -> &Path {
        &self.db
    }

    /// A connection of its own to the store, for a long read (an export) that must neither wait
    /// for writers nor hold the shared connection.
    ///
    /// # Errors
    /// When the store cannot be opened.
    pub fn open_reader(&self) -> Result<Store, ServeError> {
        Ok(Store::open(&self.db)?)
    }

    /// The store, locked. A poisoned lock (a panicking handler) still holds a consistent store:
    /// every write is one transaction.
    pub fn store(&self) -> MutexGuard<'_, Store> {
        lock(&self.store)
    }

    #[must_use]
    pub fn index(&self) -> &SearchIndex {
        &self.index
    }

    /// The current story table.
    #[must_use]
    pub fn stories(&self) -> Arc<StoryTable> {
        self.stories
            .read()
            .map_or_else(|p| Arc::clone(&p.into_inner()), |t| Arc::clone(&t))
    }

    /// Brings the index in step with the store ([`sync_index`]). Returns whether it rebuilt.
    ///
    /// # Errors
    /// On a store or index failure.
    pub fn sync_index(&self) -> Result<bool, ServeError> {
        sync_index(&self.store(), &self.index)
    }

    fn mark_seen(&self) -> Result<(), ServeError> {
        let store = self.store();
        let now = (store.data_version()?, store.last_rowid()?);
        drop(store);
        *lock(&self.seen) = now;
        Ok(())
    }

    /// Brings the search index, incidents and stories up to date with what other processes wrote
    /// to the store since the last look (a `rasad ingest` beside the server). Returns whether
    /// anything had changed.
    ///
    /// # Errors
    /// On a store or index failure.
    pub fn catch_up(&self) -> Result<bool, ServeError> {
        let (version, last) = *lock(&self.seen);
        let store = self.store();
        if store.data_version()? == version {
            return Ok(false);
        }
        let new = store.ids_after(last)?;
        drop(store);
        let mut articles = Vec::with_capacity(new.len());
        for (_, id) in &new {
            if let Some(a) = self.store().get(id)? {
                articles.push(a);
            }
        }
        // The other process may have indexed its articles itself; else they are indexed here.
        self.index.reload()?;
        let stored = self.store().count()? as u64;
        if self.index.len() < stored {
            if self.index.len() + new.len() as u64 == stored {
                self.index.add(&articles)?;
            } else {
                self.sync_index()?;
            }
        }
        rasad_incidents::index::catch_up(&mut self.store())?;
        let refs: Vec<&AnalyzedArticle> = articles.iter().collect();
        self.place(&refs)?;
        self.mark_seen()?;
        tracing::info!(articles = new.len(), "caught up with writes by another process");
        Ok(true)
    }

    /// Computes the tables of a library opened with [`Library::open_lazy`], then looks for other
    /// processes' writes every `every` and rebuilds the stories when articles came out of order,
    /// until the library is dropped.
    pub fn watch(library: &Arc<Library>, every: std::time::Duration) -> std::thread::JoinHandle<()> {
        let weak = Arc::downgrade(library);
        std::thread::spawn(move || {
            loop {
                let Some(library) = weak.upgrade() else { break };
                if !library.is_ready() {
                    let started = std::time::Instant::now();
                    match library.warm_up() {
                        Ok(()) => tracing::info!(
                            seconds = started.elapsed().as_secs_f64(),
                            "stories and incidents ready"
                        ),
                        Err(err) => tracing::warn!("computing stories and incidents: {err}"),
                    }
                } else if let Err(err) = library.catch_up() {
                    tracing::warn!("catching up with the store: {err}");
                }
                if library.stale.load(Ordering::Acquire)
                    && let Err(err) = library.refresh_stories()
                {
                    tracing::warn!("rebuilding stories: {err}");
                }
                if let Err(err) = library.publish_placed() {
                    tracing::warn!("publishing stories: {err}");
                }
                drop(library);
                std::thread::sleep(every);
            }
        })
    }

    /// The current incident table.
    #[must_use]
    pub fn incidents(&self) -> Arc<IncidentTable> {
        self.incidents
            .read()
            .map_or_else(|p| Arc::clone(&p.into_inner()), |t| Arc::clone(&t))
    }

    /// Recomputes the stories from the whole store and the incident table joined through them.
    ///
    /// # Errors
    /// On a store failure.
    pub fn refresh_stories(&self) -> Result<(), ServeError> {
        let reader = Store::open(&self.db)?;
        self.rebuild_stories(&reader)
    }

    /// Analyses, stores and indexes documents; bad items are reported and the rest go on.
    ///
    /// # Errors
    /// When the store or the index fails (nothing of the batch is then reported as stored).
    pub fn ingest(&self, docs: Vec<Result<RawDocument, String>>) -> Result<IngestReport, ServeError> {
        let mut items = Vec::with_capacity(docs.len());
        let mut raws = Vec::with_capacity(docs.len());
        let mut positions = Vec::new();
        for (n, doc) in docs.into_iter().enumerate() {
            match doc {
                Ok(raw) => {
                    positions.push(n);
                    raws.push(raw);
                }
                Err(error) => items.push(IngestItem {
                    item: n,
                    id: None,
                    status: "error",
                    lang: None,
                    title: None,
                    story: None,
                    incident: None,
                    error: Some(error),
                    warnings: Vec::new(),
                }),
            }
        }
        // Analysed on every core, in order; a stored article is recognised after cleaning and not
        // analysed again.
        let workers = std::thread::available_parallelism().map_or(1, std::num::NonZeroUsize::get);
        let mut known: Vec<_> = (0..workers)
            .map(|_| |id: &rasad_model::ArticleId| self.store().contains(id).unwrap_or(false))
            .collect();
        let analysed: Vec<AnalyzedArticle> = self
            .pipeline
            .analyze_parallel(raws, &mut known)
            .into_iter()
            .map(|(a, _)| a)
            .collect();
        let outcomes = self.store().insert_batch(&analysed)?;
        let inserted = Store::inserted(&analysed, &outcomes);
        if !inserted.is_empty() {
            rasad_incidents::index::add(&mut self.store(), &inserted)?;
            if let Err(err) = self.index.add(inserted.iter().copied()) {
                // The store has them: the next start rebuilds the index from it.
                tracing::warn!("search index not updated: {err}");
            }
            self.place(&inserted)?;
        }
        // This server's own writes are in its views already.
        let last = self.store().last_rowid()?;
        lock(&self.seen).1 = last;
        let table = self.stories();
        let incidents = self.incidents();
        let pending = self.unpublished.load(Ordering::Acquire);
        for ((a, outcome), n) in analysed.iter().zip(&outcomes).zip(positions) {
            let id = a.article.id.as_str().to_string();
            // Until the watcher publishes, the live stories and the stored incident say where the
            // article went.
            let story = table.story_of(&id).map(|s| s.story.clone()).or_else(|| {
                pending
                    .then(|| lock(&self.live).placed(&id).map(|p| p.story.clone()))
                    .flatten()
            });
            let incident = match incidents.incident_of(&id) {
                Some(i) => Some(i.to_string()),
                None if pending => self.store().incident_of(&id)?,
                None => None,
            };
            items.push(IngestItem {
                item: n,
                story,
                incident,
                id: Some(id),
                status: match outcome {
                    Outcome::Inserted => "inserted",
                    Outcome::Duplicate => "duplicate",
                },
                lang: Some(a.article.lang.code().to_string()),
                title: a.article.title.clone(),
                error: None,
                warnings: a.diagnostics.clone(),
            });
        }
        items.sort_by_key(|i| i.item);
        let count = |s: &str| items.iter().filter(|i| i.status == s).count();
        Ok(IngestReport {
            inserted: count("inserted"),
            duplicates: count("duplicate"),
            errors: count("error"),
            items,
        })
    }
}
