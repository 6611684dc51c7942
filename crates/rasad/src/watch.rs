//! `rasad watch`, `rasad sources` and `rasad serve --watch`: the watcher wired to the pipeline,
//! the store, the incident index and the search index.

use std::io::Write;
use std::path::Path;
use std::process::ExitCode;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};

use anyhow::{Context, Result};
use rasad_ingest::RawDocument;
use rasad_model::{AnalyzedArticle, ArticleId};
use rasad_pipeline::{Options, Pipeline};
use rasad_store::Store;
use rasad_watch::watcher::Taken;
use rasad_watch::{FetchOptions, Fetcher, PollReport, Sink, Sources, Watcher};

use crate::{Cli, Format};

/// Reads and checks a sources file.
pub(crate) fn read_sources(path: &Path) -> Result<Sources> {
    let text = std::fs::read_to_string(path).with_context(|| format!("reading {}", path.display()))?;
    Ok(Sources::parse(&text, &path.display().to_string())?)
}

fn fetcher(sources: &Sources) -> Fetcher {
    Fetcher::new(FetchOptions {
        user_agent: sources.user_agent.clone(),
        host_delay: sources.host_delay,
        ..FetchOptions::default()
    })
}

/// Analyses on every core, stores, places into incidents and indexes for search, as `rasad
/// ingest` does.
struct StoreSink {
    pipeline: Pipeline,
    index: Option<rasad_search::SearchIndex>,
    checkers: Vec<Store>,
}

impl Sink for StoreSink {
    fn take(
        &mut self,
        store: &mut Store,
        docs: Vec<RawDocument>,
    ) -> Result<Vec<Result<Taken, String>>, String> {
        let mut known: Vec<_> = self
            .checkers
            .iter_mut()
            .map(|s| move |id: &ArticleId| s.contains(id).unwrap_or(false))
            .collect();
        let analysed: Vec<AnalyzedArticle> = self
            .pipeline
            .analyze_parallel(docs, &mut known)
            .into_iter()
            .map(|(a, _)| a)
            .collect();
        let outcomes = store.insert_batch(&analysed).map_err(|e| e.to_string())?;
        let inserted = Store::inserted(&analysed, &outcomes);
        if let Err(err) = rasad_incidents::index::add(store, &inserted) {
            tracing::warn!("placing articles into incidents: {err}");
        }
        if let Some(index) = &self.index
            && let Err(err) = index.add(inserted.iter().copied())
        {
            eprintln!("warning: search index not updated ({err}); `rasad serve` rebuilds it");
        }
        for a in &inserted {
            for d in &a.diagnostics {
                tracing::info!(source = a.article.source, "{d}");
            }
        }
        Ok(Taken::from_stored(&analysed, outcomes))
    }
}

/// Hands items to a running server's library, which stores, indexes and places them.
struct LibrarySink(Arc<rasad_serve::Library>);

impl Sink for LibrarySink {
    fn take(
        &mut self,
        _store: &mut Store,
        docs: Vec<RawDocument>,
    ) -> Result<Vec<Result<Taken, String>>, String> {
        let report = self
            .0
            .ingest(docs.into_iter().map(Ok).collect())
            .map_err(|e| e.to_string())?;
        Ok(report
            .items
            .into_iter()
            .map(|item| match item.id {
                Some(id) => Ok(Taken {
                    article_id: id,
                    new: item.status == "inserted",
                }),
                None => Err(item.error.unwrap_or_else(|| "not stored".to_string())),
            })
            .collect())
    }
}

fn print_report(format: Format, out: &mut impl Write, r: &PollReport) -> std::io::Result<()> {
    match format {
        Format::Json => writeln!(out, "{}", serde_json::to_string(r).unwrap_or_default()),
        _ => {
            let line = if let Some(error) = &r.error {
                format!("{}: error: {error}", r.source)
            } else if r.not_modified {
                format!("{}: not modified", r.source)
            } else {
                let mut line = format!(
                    "{}: {} items, {} new: ingested {}, duplicates {}, errors {}",
                    r.source, r.listed, r.new, r.ingested, r.duplicates, r.item_errors
                );
                if r.repeats > 0 {
                    line.push_str(&format!(", repeated in the feed {}", r.repeats));
                }
                if r.deferred > 0 {
                    line.push_str(&format!(", left for the next poll {}", r.deferred));
                }
                line
            };
            writeln!(out, "{line}")?;
            for e in &r.errors {
                writeln!(out, "  item error: {e}")?;
            }
            Ok(())
        }
    }
}

/// `rasad watch SOURCES [--once]`.
pub(crate) fn watch(cli: &Cli, path: &Path, once: bool) -> Result<ExitCode> {
    let sources = read_sources(path)?;
    let store =
        Store::open(&cli.db).with_context(|| format!("cannot open the store at {}", cli.db.display()))?;
    let index = match rasad_search::SearchIndex::open(&rasad_serve::index_dir_for(&cli.db)) {
        Ok(index) => Some(index),
        Err(err) => {
            eprintln!("warning: search index not updated ({err}); `rasad serve` rebuilds it");
            None
        }
    };
    let workers = std::thread::available_parallelism().map_or(1, std::num::NonZeroUsize::get);
    let checkers = (0..workers)
        .map(|_| Store::open(&cli.db))
        .collect::<Result<Vec<_>, _>>()
        .context("opening read connections")?;
    let sink = StoreSink {
        pipeline: Pipeline::standard(Options::default()),
        index,
        checkers,
    };
    let fetcher = fetcher(&sources);
    let mut watcher = Watcher::new(sources.sources, fetcher, store, sink)?;
    let mut out = std::io::stdout().lock();
    let failed = if once {
        let reports = watcher.poll_all()?;
        for r in &reports {
            print_report(cli.format, &mut out, r)?;
        }
        !reports.is_empty() && reports.iter().all(|r| r.error.is_some())
    } else {
        let stop = Arc::new(AtomicBool::new(false));
        let flag = Arc::clone(&stop);
        std::thread::spawn(move || {
            if let Ok(runtime) = tokio::runtime::Builder::new_current_thread().enable_all().build() {
                let _ = runtime.block_on(tokio::signal::ctrl_c());
                flag.store(true, Ordering::Relaxed);
            }
        });
        if !cli.quiet {
            eprintln!("rasad: watching {} (Ctrl-C stops)", path.display());
        }
        watcher.run(&stop, |r| {
            let _ = print_report(cli.format, &mut out, r);
            let _ = out.flush();
        })?;
        false
    };
    if let Some(index) = &watcher.sink().index
        && let Err(err) = index.finish()
    {
        eprintln!("warning: search index merge failed ({err}); `rasad serve` rebuilds it");
    }
    Ok(if failed {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    })
}

/// Starts the watcher of `rasad serve --watch` on its own thread; it stops when `stop` is set.
pub(crate) fn watch_in_server(
    db: &Path,
    path: &Path,
    library: Arc<rasad_serve::Library>,
    stop: Arc<AtomicBool>,
) -> Result<std::thread::JoinHandle<()>> {
    let sources = read_sources(path)?;
    let store = Store::open(db).with_context(|| format!("cannot open the store at {}", db.display()))?;
    let fetcher = fetcher(&sources);
    let mut watcher = Watcher::new(sources.sources, fetcher, store, LibrarySink(library))?;
    Ok(std::thread::spawn(move || {
        let result = watcher.run(&stop, |r| match &r.error {
            Some(error) => tracing::warn!(source = r.source, "poll failed: {error}"),
            None => tracing::info!(
                source = r.source,
                new = r.new,
                ingested = r.ingested,
                errors = r.item_errors,
                "polled"
            ),
        });
        if let Err(err) = result {
            eprintln!("rasad: the watcher stopped: {err}");
        }
    }))
}

/// `rasad sources`: each watched source's state.
pub(crate) fn sources(cli: &Cli) -> Result<ExitCode> {
    let store =
        Store::open(&cli.db).with_context(|| format!("cannot open the store at {}", cli.db.display()))?;
    let rows = store.watch_sources()?;
    let mut out = std::io::stdout().lock();
    if rows.is_empty() && cli.format != Format::Json {
        writeln!(out, "no sources watched yet (rasad watch SOURCES.toml)")?;
    }
    for s in &rows {
        match cli.format {
            Format::Json => writeln!(out, "{}", serde_json::to_string(s)?)?,
            _ => {
                writeln!(
                    out,
                    "{}\t{}\t{}\tpolls {} (errors {}, {} in a row)\titems new {}, ingested {}, failed {}",
                    s.name,
                    s.kind,
                    s.url,
                    s.polls,
                    s.errors,
                    s.consecutive_errors,
                    s.items_seen,
                    s.items_ingested,
                    s.item_errors
                )?;
                writeln!(
                    out,
                    "\tlast poll {}\tlast success {}\tnext {}",
                    s.last_poll.as_deref().unwrap_or("never"),
                    s.last_success.as_deref().unwrap_or("never"),
                    s.next_poll.as_deref().unwrap_or("now")
                )?;
                if let Some(error) = &s.last_error {
                    writeln!(out, "\tlast error: {error}")?;
                }
            }
        }
    }
    Ok(ExitCode::SUCCESS)
}
