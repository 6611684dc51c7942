//! The subcommands: each turns parsed arguments into calls on the library crates and prints results.

use std::io::{IsTerminal, Write};
use std::process::ExitCode;
use std::time::Instant;

use anyhow::{Context, Result};
use indicatif::{ProgressBar, ProgressStyle};
use rasad_ingest::{Documents, Input, ReadOptions};
use rasad_model::{AnalyzedArticle, Lang};
use rasad_pipeline::{Options, Pipeline};
use rasad_store::{EntityQuery, ListQuery, Outcome, Store};

use crate::{Cli, Command, EvalCommand, Format, InputArgs, TrainCommand};

/// Batches larger than this (in queued files) get a progress bar when stderr is a terminal.
const PROGRESS_THRESHOLD: usize = 50;

pub(crate) fn run(cli: Cli) -> Result<ExitCode> {
    // The table and bundle formats are `export`'s; any other command given one would print text
    // as if it had not been asked.
    let export_only = match cli.format {
        Format::Stix => Some("stix"),
        Format::Csv => Some("csv"),
        Format::Parquet => Some("parquet"),
        Format::Text | Format::Json | Format::Jsonl => None,
    };
    let exporting = matches!(cli.command, Command::Export { .. });
    if let Some(name) = export_only
        && !exporting
    {
        eprintln!("rasad: --format {name} is only for `rasad export`");
        return Ok(ExitCode::from(2));
    }
    // And the other way: `export` writes files for other tools, never the readable summary.
    if exporting && matches!(cli.format, Format::Text | Format::Json) {
        eprintln!("rasad: `rasad export` needs --format stix, csv, parquet or jsonl");
        return Ok(ExitCode::from(2));
    }
    match cli.command {
        Command::Ingest {
            ref input,
            chunk_size,
        } => ingest(&cli, input, chunk_size.max(1)),
        Command::Analyze { ref input } => analyze(&cli, input),
        Command::Articles {
            limit,
            offset,
            ref lang,
        } => articles(&cli, limit, offset, lang.clone()),
        Command::Show { ref id, original } => show(&cli, id, original),
        Command::Entities {
            ref kind,
            limit,
            offset,
        } => entities(&cli, kind.clone(), limit, offset),
        Command::Entity { ref id } => entity(&cli, id),
        Command::Stories { limit, offset } => stories(&cli, limit, offset),
        Command::Story { ref id } => story(&cli, id),
        Command::Incidents {
            ref country,
            ref accused,
            ref incident_type,
            year,
            ref lang,
            limit,
            offset,
            rebuild,
        } => {
            let query = rasad_incidents::IncidentQuery {
                country: country.clone(),
                accused: accused.clone(),
                incident_type: incident_type.clone(),
                year,
                lang: lang.clone(),
            };
            incidents(&cli, &query, limit, offset, rebuild)
        }
        Command::Incident { ref id } => incident(&cli, id),
        Command::Search {
            ref query,
            ref filters,
            limit,
            offset,
        } => {
            let day =
                |d: Option<chrono::NaiveDate>| d.and_then(|d| rasad_stories::day_number(&d.to_string()));
            let q = rasad_search::SearchQuery {
                text: query.clone(),
                lang: filters.lang.clone(),
                outlet: filters.outlet.clone(),
                entity: filters.entity.clone(),
                event: filters.event.clone(),
                from_day: day(filters.from),
                to_day: day(filters.to),
                limit,
                offset,
                no_snippets: false,
            };
            search(&cli, &q)
        }
        Command::Serve {
            ref paths,
            addr,
            ref token,
            max_body,
            ref allow_host,
            ref watch,
        } => serve(
            &cli,
            paths,
            (addr, token.clone(), max_body, allow_host.clone()),
            watch.as_deref(),
        ),
        Command::Watch { ref sources, once } => crate::watch::watch(&cli, sources, once),
        Command::Sources => crate::watch::sources(&cli),
        Command::Export {
            ref out,
            ref filters,
            ref story,
            ref incident,
            no_stories,
        } => {
            let query = rasad_export::ExportQuery {
                filter: rasad_store::ArticleFilter {
                    lang: filters.lang.clone(),
                    outlet: filters.outlet.clone(),
                    entity: filters.entity.clone(),
                    event: filters.event.clone(),
                    from: filters.from.map(|d| d.to_string()),
                    to: filters.to.map(|d| d.to_string()),
                    ids: None,
                },
                story: story.clone(),
                incident: incident.clone(),
            };
            export(&cli, out.as_deref(), &query, !no_stories || story.is_some())
        }
        Command::Eval { ref what } => eval(what),
        Command::Train { ref what } => train(what),
    }
}

fn open_store(cli: &Cli) -> Result<Store> {
    Store::open(&cli.db).with_context(|| format!("cannot open the store at {}", cli.db.display()))
}

fn documents(input: &InputArgs) -> Documents {
    let inputs: Vec<Input> = input.paths.iter().map(|p| Input::parse(p)).collect();
    let options = ReadOptions {
        max_file_bytes: input.max_file_size,
        ..ReadOptions::default()
    };
    Documents::new(&inputs, options)
}

/// The analysing threads: `--jobs`, else one per core.
fn jobs(input: &InputArgs) -> usize {
    if input.jobs > 0 {
        input.jobs
    } else {
        std::thread::available_parallelism().map_or(1, std::num::NonZeroUsize::get)
    }
}

fn pipeline(input: &InputArgs) -> Pipeline {
    Pipeline::standard(Options {
        reference_date: input.reference_date,
        now: None,
    })
}

fn progress(docs: &Documents, quiet: bool) -> Option<ProgressBar> {
    if quiet || !std::io::stderr().is_terminal() || docs.pending_files() < PROGRESS_THRESHOLD {
        return None;
    }
    let bar = ProgressBar::new(docs.pending_files() as u64);
    let style = ProgressStyle::with_template("{spinner} {pos} documents {elapsed} {per_sec} {msg}")
        .unwrap_or_else(|_| ProgressStyle::default_spinner());
    bar.set_style(style);
    Some(bar)
}

/// Counts for the summary line.
#[derive(Debug, Default, serde::Serialize)]
struct Summary {
    ingested: usize,
    duplicates: usize,
    errors: usize,
    skipped: usize,
    /// Feed items without text and archive records that are not HTML pages.
    not_articles: usize,
}

/// How often a long ingest makes its newly stored articles searchable (a search index commit
/// writes a segment that merges rewrite, so not every chunk commits). The index only trails the
/// store: `rasad serve` adds what it lacks.
const INDEX_COMMIT_EVERY: std::time::Duration = std::time::Duration::from_secs(5);
/// ... or after this many articles, which bounds the index writer's memory between commits.
const INDEX_COMMIT_ARTICLES: usize = 2048;

fn ingest(cli: &Cli, input: &InputArgs, chunk_size: usize) -> Result<ExitCode> {
    let started = Instant::now();
    let mut store = open_store(cli)?;
    let index = open_index(cli);
    let pipeline = pipeline(input);
    let mut docs = documents(input);
    let bar = progress(&docs, cli.quiet);
    let mut summary = Summary {
        skipped: docs.skipped(),
        ..Summary::default()
    };
    let mut failed_strict = false;
    // One read connection per analysing thread answers "is this article stored already?", so a
    // stored article is recognised after cleaning and reported as a duplicate without analysis.
    let mut checkers: Vec<Store> = (0..jobs(input)).map(|_| open_store(cli)).collect::<Result<_>>()?;
    let mut known: Vec<_> = checkers
        .iter_mut()
        .map(|s| move |id: &rasad_model::ArticleId| s.contains(id).unwrap_or(false))
        .collect();
    let mut pending: Vec<rasad_ingest::RawDocument> = Vec::with_capacity(chunk_size);
    let mut items = docs.by_ref().peekable();
    // Storing, indexing and placing a chunk run on a thread of their own while the next chunk is
    // analysed; one chunk waits between them at most, so memory stays bounded.
    let (to_store, stored) = std::sync::mpsc::sync_channel::<Vec<AnalyzedArticle>>(1);
    let stored_counts = std::thread::scope(|scope| {
        let storer = scope.spawn(|| -> Result<Summary> {
            let mut counts = Summary::default();
            let mut out = std::io::stdout().lock();
            let mut committed = Instant::now();
            for mut batch in stored {
                flush(
                    cli,
                    (&mut store, index.as_ref()),
                    &mut batch,
                    &mut counts,
                    &mut out,
                    bar.as_ref(),
                )?;
                if let Some(index) = &index
                    && (committed.elapsed() >= INDEX_COMMIT_EVERY || index.staged() >= INDEX_COMMIT_ARTICLES)
                {
                    committed = Instant::now();
                    if let Err(err) = index.commit() {
                        report(
                            bar.as_ref(),
                            &format!("warning: search index not updated ({err}); `rasad serve` rebuilds it"),
                        );
                    }
                }
            }
            Ok(counts)
        });
        while items.peek().is_some() || !pending.is_empty() {
            let mut stop = false;
            while pending.len() < chunk_size {
                let Some(item) = items.next() else { break };
                if let Some(bar) = &bar {
                    bar.inc(1);
                }
                match item {
                    Ok(raw) => pending.push(raw),
                    Err(err) => {
                        summary.errors += 1;
                        report(bar.as_ref(), &format!("error: {err}"));
                        if input.strict {
                            // Under --strict the articles read before the bad one are still stored.
                            failed_strict = true;
                            stop = true;
                            break;
                        }
                    }
                }
            }
            let raws = std::mem::take(&mut pending);
            let batch: Vec<AnalyzedArticle> = pipeline
                .analyze_parallel(raws, &mut known)
                .into_iter()
                .map(|(a, _)| a)
                .collect();
            // A closed channel means storing failed: its error is the run's.
            if to_store.send(batch).is_err() || stop {
                break;
            }
        }
        drop(to_store);
        match storer.join() {
            Ok(counts) => counts,
            Err(panic) => std::panic::resume_unwind(panic),
        }
    });
    // The index commits what was stored, also when storing stopped the run.
    if let Some(index) = &index
        && let Err(err) = index.finish()
    {
        eprintln!("warning: search index not updated ({err}); `rasad serve` rebuilds it");
    }
    let stored_counts = stored_counts?;
    summary.ingested = stored_counts.ingested;
    summary.duplicates = stored_counts.duplicates;
    drop(items);
    summary.not_articles = docs.not_articles();
    if let Some(bar) = bar {
        bar.finish_and_clear();
    }
    let total = store.count()?;
    let mut out = std::io::stdout().lock();
    match cli.format {
        Format::Json => {
            let line = serde_json::json!({
                "ingested": summary.ingested, "duplicates": summary.duplicates,
                "errors": summary.errors, "skipped": summary.skipped,
                "not_articles": summary.not_articles, "stored": total,
                "db": cli.db.display().to_string(),
            });
            writeln!(out, "{line}")?;
        }
        Format::Text | Format::Stix | Format::Csv | Format::Parquet | Format::Jsonl => writeln!(
            out,
            "ingested {}, duplicates {}, errors {}, skipped {}{} in {:.2} s; {} articles in {}",
            summary.ingested,
            summary.duplicates,
            summary.errors,
            summary.skipped,
            if summary.not_articles > 0 {
                format!(
                    ", not articles {} (feed items without text, archive records that are not pages)",
                    summary.not_articles
                )
            } else {
                String::new()
            },
            started.elapsed().as_secs_f64(),
            total,
            cli.db.display()
        )?,
    }
    Ok(exit_code(failed_strict, &summary))
}

/// 1 when nothing could be done (only errors) or `--strict` stopped the run, else 0.
fn exit_code(failed_strict: bool, summary: &Summary) -> ExitCode {
    let nothing_done = summary.ingested + summary.duplicates == 0 && summary.errors > 0;
    if failed_strict || nothing_done {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    }
}

/// The search index beside the store, when it can be written now; when it cannot (a server holds
/// it), the articles are only stored and `rasad serve` brings the index up to date when it starts.
fn open_index(cli: &Cli) -> Option<rasad_search::SearchIndex> {
    match rasad_search::SearchIndex::open(&rasad_serve::index_dir_for(&cli.db)) {
        Ok(index) => Some(index),
        Err(err) => {
            eprintln!("warning: search index not updated ({err}); `rasad serve` rebuilds it");
            None
        }
    }
}

fn flush(
    cli: &Cli,
    (store, index): (&mut Store, Option<&rasad_search::SearchIndex>),
    batch: &mut Vec<AnalyzedArticle>,
    summary: &mut Summary,
    out: &mut impl Write,
    bar: Option<&ProgressBar>,
) -> Result<()> {
    if batch.is_empty() {
        return Ok(());
    }
    let outcomes = store.insert_batch(batch).context("storing a batch of articles")?;
    let inserted = Store::inserted(batch, &outcomes);
    rasad_incidents::index::add(store, &inserted).context("placing articles into incidents")?;
    if let Some(index) = index
        && let Err(err) = index.stage(inserted.iter().copied())
    {
        report(
            bar,
            &format!("warning: search index not updated ({err}); `rasad serve` rebuilds it"),
        );
    }
    for (item, outcome) in batch.iter().zip(outcomes) {
        match outcome {
            Outcome::Inserted => summary.ingested += 1,
            Outcome::Duplicate => summary.duplicates += 1,
        }
        for diagnostic in &item.diagnostics {
            report(bar, &format!("warning: {}: {diagnostic}", item.article.source));
        }
        if cli.quiet || bar.is_some() {
            continue;
        }
        let a = &item.article;
        match cli.format {
            Format::Json => {
                let line = serde_json::json!({
                    "id": a.id, "source": a.source, "lang": a.lang, "title": a.title,
                    "duplicate": outcome == Outcome::Duplicate,
                });
                writeln!(out, "{line}")?;
            }
            Format::Text | Format::Stix | Format::Csv | Format::Parquet | Format::Jsonl => {
                let mark = if outcome == Outcome::Duplicate {
                    "= duplicate"
                } else {
                    "+"
                };
                writeln!(
                    out,
                    "{mark} {} {} {} {}  ({})",
                    a.id.as_str().get(..12).unwrap_or(a.id.as_str()),
                    a.lang,
                    a.published.as_deref().unwrap_or("----------"),
                    a.title.as_deref().unwrap_or("(no title)"),
                    a.source
                )?;
            }
        }
    }
    batch.clear();
    Ok(())
}

fn report(bar: Option<&ProgressBar>, line: &str) {
    match bar {
        Some(bar) => bar.suspend(|| eprintln!("{line}")),
        None => eprintln!("{line}"),
    }
}

/// Documents analysed together by the threads of `rasad analyze` (printed in input order).
const ANALYZE_CHUNK: usize = 64;

fn analyze(cli: &Cli, input: &InputArgs) -> Result<ExitCode> {
    let pipeline = pipeline(input);
    let mut summary = Summary::default();
    let mut out = std::io::stdout().lock();
    let mut failed_strict = false;
    let mut known: Vec<_> = (0..jobs(input))
        .map(|_| |_: &rasad_model::ArticleId| false)
        .collect();
    let mut docs = documents(input).peekable();
    while docs.peek().is_some() && !failed_strict {
        let mut raws = Vec::with_capacity(ANALYZE_CHUNK);
        while raws.len() < ANALYZE_CHUNK {
            match docs.next() {
                Some(Ok(raw)) => raws.push(raw),
                Some(Err(err)) => {
                    summary.errors += 1;
                    eprintln!("error: {err}");
                    if input.strict {
                        failed_strict = true;
                        break;
                    }
                }
                None => break,
            }
        }
        for (analyzed, _) in pipeline.analyze_parallel(raws, &mut known) {
            summary.ingested += 1;
            for diagnostic in &analyzed.diagnostics {
                eprintln!("warning: {}: {diagnostic}", analyzed.article.source);
            }
            match cli.format {
                Format::Json | Format::Jsonl => {
                    writeln!(out, "{}", serde_json::to_string(&analyzed.record())?)?;
                }
                // Export-only formats are refused in `run`.
                Format::Text | Format::Stix | Format::Csv | Format::Parquet => {
                    print_article(&mut out, &analyzed)?
                }
            }
        }
    }
    Ok(exit_code(failed_strict, &summary))
}

fn articles(cli: &Cli, limit: usize, offset: usize, lang: Option<String>) -> Result<ExitCode> {
    let store = open_store(cli)?;
    let rows = store.list(&ListQuery { lang, limit, offset })?;
    print_rows(cli.format, &rows, |row| {
        format!(
            "{} {} {} {}  ({})",
            row.id.get(..12).unwrap_or(&row.id),
            row.lang,
            row.published.as_deref().unwrap_or("----------"),
            row.title.as_deref().unwrap_or("(no title)"),
            row.outlet.as_deref().unwrap_or(&row.source)
        )
    })
}

/// Prints a listing: one JSON object per line, or one text line per row.
fn print_rows<T: serde::Serialize>(
    format: Format,
    rows: &[T],
    text: impl Fn(&T) -> String,
) -> Result<ExitCode> {
    let mut out = std::io::stdout().lock();
    for row in rows {
        match format {
            Format::Json => writeln!(out, "{}", serde_json::to_string(row)?)?,
            Format::Text | Format::Stix | Format::Csv | Format::Parquet | Format::Jsonl => {
                writeln!(out, "{}", text(row))?
            }
        }
    }
    Ok(ExitCode::SUCCESS)
}

fn search(cli: &Cli, query: &rasad_search::SearchQuery) -> Result<ExitCode> {
    let store = open_store(cli)?;
    let index = rasad_search::SearchIndex::open(&rasad_serve::index_dir_for(&cli.db))
        .context("opening the search index")?;
    rasad_serve::sync_index(&store, &index).context("bringing the search index up to date")?;
    let results = index.search(query)?;
    let mut out = std::io::stdout().lock();
    if cli.format == Format::Json {
        writeln!(out, "{}", serde_json::to_string(&results)?)?;
        return Ok(ExitCode::SUCCESS);
    }
    writeln!(out, "{} articles", results.total)?;
    for h in &results.hits {
        writeln!(
            out,
            "{}  [{}] {} {}  {}",
            h.id.get(..12).unwrap_or(&h.id),
            h.lang,
            h.published
                .as_deref()
                .map_or("----------", |p| p.get(..10).unwrap_or(p)),
            h.outlet.as_deref().unwrap_or("-"),
            h.title.as_deref().unwrap_or("(no title)")
        )?;
        if let Some(s) = &h.snippet {
            let mut line = String::new();
            let mut at = 0;
            for [from, to] in &s.highlights {
                line.push_str(s.text.get(at..*from).unwrap_or(""));
                line.push('[');
                line.push_str(s.text.get(*from..*to).unwrap_or(""));
                line.push(']');
                at = *to;
            }
            line.push_str(s.text.get(at..).unwrap_or(""));
            writeln!(
                out,
                "    {}",
                line.split_whitespace().collect::<Vec<_>>().join(" ")
            )?;
        }
    }
    Ok(ExitCode::SUCCESS)
}

fn serve(
    cli: &Cli,
    paths: &[String],
    (addr, token, max_body, allowed_hosts): (std::net::SocketAddr, Option<String>, usize, Vec<String>),
    watch: Option<&std::path::Path>,
) -> Result<ExitCode> {
    // A bad sources file is reported before anything else happens.
    if let Some(path) = watch {
        crate::watch::read_sources(path)?;
    }
    if !paths.is_empty() {
        let input = InputArgs {
            paths: paths.to_vec(),
            strict: false,
            max_file_size: 32 * 1024 * 1024,
            reference_date: None,
            jobs: 0,
        };
        ingest(cli, &input, 256)?;
    }
    // The port opens at once; stories and incidents are computed in the background.
    let library = rasad_serve::Library::open_lazy(&cli.db)
        .with_context(|| format!("opening the store at {}", cli.db.display()))?;
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .context("starting the server runtime")?;
    runtime.block_on(async {
        let config = rasad_serve::Config {
            addr,
            token,
            max_body,
            allowed_hosts,
            ..rasad_serve::Config::default()
        };
        let library = std::sync::Arc::new(library);
        // Computes the stories and incidents, then shows a `rasad ingest` into the same store
        // within seconds.
        rasad_serve::Library::watch(&library, std::time::Duration::from_secs(2));
        let stop = std::sync::Arc::new(std::sync::atomic::AtomicBool::new(false));
        let watcher = match watch {
            Some(path) => Some(crate::watch::watch_in_server(
                &cli.db,
                path,
                std::sync::Arc::clone(&library),
                std::sync::Arc::clone(&stop),
            )?),
            None => None,
        };
        let server = rasad_serve::Server::bind(config, library).await?;
        let bound = server.local_addr()?;
        eprintln!(
            "rasad: serving {} on http://{bound}/ (Ctrl-C stops)",
            cli.db.display()
        );
        server
            .run(async {
                let _ = tokio::signal::ctrl_c().await;
            })
            .await?;
        stop.store(true, std::sync::atomic::Ordering::Relaxed);
        if let Some(watcher) = watcher {
            let _ = watcher.join();
        }
        Ok::<_, anyhow::Error>(())
    })?;
    Ok(ExitCode::SUCCESS)
}

fn stories(cli: &Cli, limit: usize, offset: usize) -> Result<ExitCode> {
    let store = open_store(cli)?;
    let table = rasad_stories::StoryTable::from_store(&store)?;
    let page: Vec<&rasad_stories::Summary> = table.summaries().iter().skip(offset).take(limit).collect();
    print_rows(cli.format, &page, |row| {
        let langs: Vec<&str> = row.languages.iter().map(|l| l.code()).collect();
        let last = row.last_seen.as_deref().unwrap_or("");
        format!(
            "{}  {}  {} articles, {} outlets [{}]  {}",
            row.id,
            last.get(..10).unwrap_or(last),
            row.articles.len(),
            row.outlets.len(),
            langs.join(","),
            row.title.as_deref().unwrap_or("(untitled)")
        )
    })
}

/// The store with every article placed into incidents (articles stored by an older rasad, or by a
/// run stopped between storing and placing, are placed now), its stories and its incidents.
fn incident_tables(cli: &Cli) -> Result<(Store, rasad_stories::StoryTable, rasad_incidents::IncidentTable)> {
    let mut store = open_store(cli)?;
    rasad_incidents::index::catch_up(&mut store).context("placing stored articles into incidents")?;
    let stories = rasad_stories::StoryTable::from_store(&store)?;
    let incidents = rasad_incidents::IncidentTable::from_store(&store, Some(&stories))?;
    Ok((store, stories, incidents))
}

fn incidents(
    cli: &Cli,
    query: &rasad_incidents::IncidentQuery,
    limit: usize,
    offset: usize,
    rebuild: bool,
) -> Result<ExitCode> {
    if rebuild {
        let mut store = open_store(cli)?;
        let r = rasad_incidents::index::rebuild(&mut store).context("rebuilding incidents")?;
        eprintln!(
            "rebuilt {} incidents from {} articles; {} articles were in another incident before the rebuild",
            r.incidents, r.articles, r.changed
        );
        if r.changed > 0 {
            return Ok(ExitCode::from(1));
        }
    }
    let (_, _, table) = incident_tables(cli)?;
    let page: Vec<&rasad_incidents::IncidentSummary> =
        table.select(query).into_iter().skip(offset).take(limit).collect();
    print_rows(cli.format, &page, |row| {
        let accused: Vec<&str> = row.accused.iter().take(3).map(|n| n.label.as_str()).collect();
        format!(
            "{}  {:<10}  {} articles [{}]  {}{}",
            row.id,
            row.start.as_deref().unwrap_or("?"),
            row.articles,
            row.languages.join(","),
            row.name,
            if accused.is_empty() {
                String::new()
            } else {
                format!("  accused: {}", accused.join(", "))
            }
        )
    })
}

fn incident(cli: &Cli, id: &str) -> Result<ExitCode> {
    let (store, stories, table) = incident_tables(cli)?;
    let Some(record) = table.incident(&store, Some(&stories), id)? else {
        eprintln!("rasad: no incident {id} (see `rasad incidents`)");
        return Ok(ExitCode::from(2));
    };
    let mut out = std::io::stdout().lock();
    if cli.format == Format::Json {
        serde_json::to_writer_pretty(&mut out, &record)?;
        writeln!(out)?;
        return Ok(ExitCode::SUCCESS);
    }
    let s = &record.summary;
    let label = |id: &str| record.labels.get(id).cloned().unwrap_or_else(|| id.to_string());
    let opt = |id: &Option<String>| id.as_deref().map_or_else(|| "(unnamed)".to_string(), label);
    writeln!(out, "incident {}: {}", s.id, s.name)?;
    writeln!(
        out,
        "started {} ({}); {} articles in {}; reported {} to {}",
        s.start.as_deref().unwrap_or("?"),
        s.granularity,
        s.articles,
        s.languages.join(", "),
        s.first_seen.as_deref().unwrap_or("?"),
        s.last_seen.as_deref().unwrap_or("?")
    )?;
    if !s.types.is_empty() {
        writeln!(out, "types: {}", s.types.join(", "))?;
    }
    writeln!(out, "\nreceivers:")?;
    for v in &record.victims {
        writeln!(
            out,
            "  {} ({}, {}) in {} articles: {}",
            label(&v.id),
            v.country.as_deref().unwrap_or("?"),
            v.category,
            v.articles.len(),
            v.names.join(" | ")
        )?;
    }
    writeln!(out, "\nattributions, oldest first:")?;
    for a in &record.attributions {
        writeln!(
            out,
            "  {}  {} -> {} [{}]{}{}  ({} articles)",
            a.first_reported.as_deref().unwrap_or("????-??-??"),
            opt(&a.attributing_actor),
            opt(&a.accused_actor),
            a.stance,
            if a.basis.is_empty() {
                String::new()
            } else {
                format!(" basis: {}", a.basis.join(", "))
            },
            if a.contested_by.is_empty() {
                String::new()
            } else {
                let by: Vec<String> = a.contested_by.iter().map(|c| label(c)).collect();
                format!(" contested by {}", by.join(", "))
            },
            a.articles.len()
        )?;
    }
    if !record.denials.is_empty() {
        writeln!(out, "\ndenials:")?;
        for d in &record.denials {
            writeln!(out, "  {} ({} articles)", opt(&d.actor), d.articles.len())?;
        }
    }
    if !record.responses.is_empty() {
        writeln!(out, "\nresponses:")?;
        for r in &record.responses {
            writeln!(
                out,
                "  {}  {} by {} against {}",
                r.first_reported.as_deref().unwrap_or("????-??-??"),
                r.response.response_type,
                opt(&r.response.actor),
                opt(&r.response.target)
            )?;
        }
    }
    writeln!(out, "\narticles:")?;
    for a in &record.article_list {
        writeln!(
            out,
            "  {} [{}] {}  story {}  {}",
            a.article
                .published
                .as_deref()
                .map_or("----------", |p| p.get(..10).unwrap_or(p)),
            a.article.lang.code(),
            a.article.outlet.as_deref().unwrap_or(&a.article.source),
            a.story.as_deref().unwrap_or("-"),
            a.article.title.as_deref().unwrap_or("(untitled)")
        )?;
    }
    Ok(ExitCode::SUCCESS)
}

fn story(cli: &Cli, id: &str) -> Result<ExitCode> {
    let store = open_store(cli)?;
    let table = rasad_stories::StoryTable::from_store(&store)?;
    let Some(story) = table.story(&store, id)? else {
        eprintln!("rasad: no story {id} (see `rasad stories`)");
        return Ok(ExitCode::from(2));
    };
    let s = &story.summary;
    let mut out = std::io::stdout().lock();
    if cli.format == Format::Json {
        serde_json::to_writer_pretty(&mut out, &story)?;
        writeln!(out)?;
        return Ok(ExitCode::SUCCESS);
    }
    writeln!(
        out,
        "story {}: {}",
        s.id,
        s.title.as_deref().unwrap_or("(untitled)")
    )?;
    let langs: Vec<&str> = s.languages.iter().map(|l| l.code()).collect();
    writeln!(
        out,
        "{} articles from {} outlets ({} independent) in {}; {} to {}",
        s.articles.len(),
        s.outlets.len(),
        s.independent_sources,
        langs.join(", "),
        s.first_seen.as_deref().unwrap_or("?"),
        s.last_seen.as_deref().unwrap_or("?")
    )?;
    writeln!(out, "\narticles:")?;
    for a in &s.articles {
        let copy = a
            .copy_of
            .as_deref()
            .map(|c| format!(" (copy of {c})"))
            .unwrap_or_default();
        writeln!(
            out,
            "  {} [{}] {}  {}{copy}",
            a.id.get(..12).unwrap_or(&a.id),
            a.lang.code(),
            a.outlet.as_deref().unwrap_or(&a.source),
            a.title.as_deref().unwrap_or("")
        )?;
    }
    writeln!(out, "\nkey entities:")?;
    for e in story.entities.iter().take(10) {
        writeln!(
            out,
            "  {} ({}): {} articles, {} mentions",
            e.label, e.id, e.articles, e.mentions
        )?;
    }
    writeln!(out, "\nevents:")?;
    for e in &story.events {
        writeln!(
            out,
            "  {}/{} {} -> {}  ({} articles)",
            e.event_type,
            e.mode.as_deref().unwrap_or("-"),
            e.sources.join(", "),
            e.targets.join(", "),
            e.articles.len()
        )?;
    }
    writeln!(out, "\nattributions:")?;
    for a in &story.attributions {
        writeln!(
            out,
            "  {} -> {}  [{}] basis: {}  ({} articles)",
            a.attributing_actor.as_deref().unwrap_or("?"),
            a.accused_actor.as_deref().unwrap_or("?"),
            a.stance,
            if a.basis.is_empty() {
                "-".to_string()
            } else {
                a.basis.join(", ")
            },
            a.articles.len()
        )?;
    }
    writeln!(out, "\nhow each outlet named the actors:")?;
    for f in &story.framing {
        writeln!(out, "  {}", f.outlet)?;
        for (entity, names) in &f.names {
            writeln!(out, "    {entity}: {}", names.join(" | "))?;
        }
        for (speaker, verb, stance) in &f.verbs {
            writeln!(
                out,
                "    {} {verb} ({stance:?})",
                speaker.as_deref().unwrap_or("?")
            )?;
        }
    }
    Ok(ExitCode::SUCCESS)
}

fn entities(cli: &Cli, kind: Option<String>, limit: usize, offset: usize) -> Result<ExitCode> {
    let store = open_store(cli)?;
    let rows = store.entities(&EntityQuery { kind, limit, offset })?;
    print_rows(cli.format, &rows, |row| {
        format!(
            "{:<32} {:<16} {:>4} articles {:>5} mentions  {}{}",
            row.id,
            row.kind,
            row.articles,
            row.mentions,
            row.label,
            row.country
                .as_deref()
                .map(|c| format!(" ({c})"))
                .unwrap_or_default()
        )
    })
}

fn entity(cli: &Cli, id: &str) -> Result<ExitCode> {
    let store = open_store(cli)?;
    let Some((summary, names)) = store.entity(id)? else {
        eprintln!("rasad: no stored article names entity {id}");
        return Ok(ExitCode::from(1));
    };
    let mut out = std::io::stdout().lock();
    match cli.format {
        Format::Json => {
            let value = serde_json::json!({ "entity": summary, "names": names });
            writeln!(out, "{value}")?;
        }
        Format::Text | Format::Stix | Format::Csv | Format::Parquet | Format::Jsonl => {
            writeln!(
                out,
                "{} — {} ({}), {} articles, {} mentions",
                summary.id, summary.label, summary.kind, summary.articles, summary.mentions
            )?;
            writeln!(out, "names by outlet:")?;
            for n in names {
                let mut flags = Vec::new();
                if let Some(f) = &n.framing {
                    flags.push(f.clone());
                }
                if n.adjective {
                    flags.push("adjective".into());
                }
                let flags = if flags.is_empty() {
                    String::new()
                } else {
                    format!("  [{}]", flags.join(", "))
                };
                writeln!(
                    out,
                    "  {:<28} \u{2068}{}\u{2069} ×{}{flags}",
                    n.outlet, n.name, n.mentions
                )?;
            }
        }
    }
    Ok(ExitCode::SUCCESS)
}

fn show(cli: &Cli, id: &str, original: bool) -> Result<ExitCode> {
    let store = open_store(cli)?;
    let Some(item) = store.get(id)? else {
        eprintln!("error: no stored article with id '{id}'");
        return Ok(ExitCode::from(1));
    };
    let mut out = std::io::stdout().lock();
    if original {
        out.write_all(&item.article.original)?;
        return Ok(ExitCode::SUCCESS);
    }
    match cli.format {
        Format::Json => writeln!(out, "{}", serde_json::to_string_pretty(&item.record())?)?,
        Format::Text | Format::Stix | Format::Csv | Format::Parquet | Format::Jsonl => {
            print_article(&mut out, &item)?
        }
    }
    Ok(ExitCode::SUCCESS)
}

/// The human-readable view of one article and what was found in it.
fn print_article(out: &mut impl Write, item: &AnalyzedArticle) -> Result<()> {
    let a = &item.article;
    writeln!(out, "id:        {}", a.id)?;
    writeln!(out, "source:    {}", a.source)?;
    writeln!(out, "title:     {}", a.title.as_deref().unwrap_or("(none)"))?;
    writeln!(out, "language:  {} ({:.2})", a.lang, a.lang_confidence)?;
    writeln!(out, "outlet:    {}", a.outlet.as_deref().unwrap_or("(unknown)"))?;
    writeln!(
        out,
        "published: {}",
        a.published.as_deref().unwrap_or("(unknown)")
    )?;
    let an = &item.analysis;
    writeln!(
        out,
        "found:     {} dates, {} entities, {} quotes, {} events, {} incidents",
        an.dates.len(),
        an.entities.len(),
        an.quotes.len(),
        an.events.len(),
        an.incidents.len()
    )?;
    for (name, lines) in [
        ("header", &a.boilerplate.header),
        ("byline", &a.boilerplate.byline),
        ("credit", &a.boilerplate.credits),
        ("footer", &a.boilerplate.footer),
        ("removed", &a.boilerplate.other),
    ] {
        for line in lines {
            writeln!(out, "{name:<10} {line}")?;
        }
    }
    writeln!(out)?;
    writeln!(out, "{}", a.text)?;
    writeln!(out)?;
    Ok(())
}

fn eval(what: &EvalCommand) -> Result<ExitCode> {
    match what {
        EvalCommand::Langid { corpora, limit } => {
            let Some(corpora) = corpora_or_skip(corpora.as_ref()) else {
                return Ok(ExitCode::SUCCESS);
            };
            let lingua = rasad_langid::Lingua::default();
            let whatlang = rasad_langid::Whatlang::default();
            let identifiers: [(&str, &dyn rasad_langid::Identifier); 3] = [
                ("script-profile", &rasad_langid::ScriptProfile),
                ("lingua", &lingua),
                ("whatlang", &whatlang),
            ];
            println!(
                "language identification on {} (ANERcorp test ar, PEYMA fa, ECB+ en)\n",
                corpora.display()
            );
            for report in rasad_eval::evaluate_langid(&corpora, &identifiers, *limit)? {
                println!("{report}");
            }
            Ok(ExitCode::SUCCESS)
        }
        EvalCommand::Dates {
            corpora,
            dateparser,
            hijri_converter,
        } => {
            if let Some(checkout) = dateparser {
                print!("{}", rasad_eval::evaluate_dateparser(checkout)?);
            }
            if let Some(checkout) = hijri_converter {
                print!("{}", rasad_eval::evaluate_umm_al_qura(checkout)?);
            }
            let Some(corpora) = corpora_or_skip(corpora.as_ref()) else {
                return Ok(ExitCode::SUCCESS);
            };
            print!("{}", rasad_eval::evaluate_dates(&corpora)?);
            Ok(ExitCode::SUCCESS)
        }
        EvalCommand::Extraction { benchmark } => {
            print!("{}", rasad_eval::evaluate_extraction(benchmark)?);
            Ok(ExitCode::SUCCESS)
        }
        EvalCommand::Stories { corpora } => {
            let Some(corpora) = corpora_or_skip(corpora.as_ref()) else {
                return Ok(ExitCode::SUCCESS);
            };
            print!("{}", rasad_eval::evaluate_stories(&corpora)?);
            Ok(ExitCode::SUCCESS)
        }
        EvalCommand::Duplicates { corpora, limit } => {
            let Some(corpora) = corpora_or_skip(corpora.as_ref()) else {
                return Ok(ExitCode::SUCCESS);
            };
            print!("{}", rasad_eval::evaluate_duplicates(&corpora, *limit)?);
            Ok(ExitCode::SUCCESS)
        }
        EvalCommand::Incidents { set, misses, show } => {
            let Some(dir) = rasad_eval::incident_set_dir(set.clone()) else {
                println!("skipped: eval/incidents not found (give --set)");
                return Ok(ExitCode::SUCCESS);
            };
            if let Some(id) = show {
                let set = rasad_eval::load_incident_set(&dir)?;
                let Some(gold) = set.articles.iter().find(|a| &a.id == id) else {
                    anyhow::bail!("no article {id} in {}", dir.display());
                };
                let analysed = rasad_eval::analyse_gold(gold);
                let text = &analysed.article.text;
                let at = |s: rasad_model::Span| s.slice(text).unwrap_or("").replace('\n', " ");
                for q in &analysed.analysis.quotes {
                    println!("quote  {:?} {:?}: {}", q.speaker, q.verb, at(q.span));
                }
                for e in &analysed.analysis.events {
                    println!(
                        "event  {} {:?} {:?} -> {:?}: {}",
                        e.event_type,
                        e.mode,
                        e.sources,
                        e.targets,
                        at(e.evidence)
                    );
                }
                for m in rasad_eval::trace_incident_patterns(&analysed) {
                    println!("match  {} {:?}: {}", m.role, m.slots, at(m.span));
                }
                {
                    let sig = rasad_incidents::Signature::of(&analysed);
                    println!("signature {}", serde_json::to_string(&sig).unwrap_or_default());
                }
                for (n, i) in analysed.analysis.incidents.iter().enumerate() {
                    println!("record {n}: receivers {:?}", i.receivers);
                    for v in &i.victims {
                        println!(
                            "  victim {} {:?} {}: {}",
                            v.id,
                            v.country,
                            v.category,
                            at(v.evidence)
                        );
                    }
                    for a in &i.attributions {
                        println!(
                            "  attribution {:?} -> {:?} [{} {}{}] {:?}: {}",
                            a.attributing_actor,
                            a.accused_actor,
                            a.attributor_type,
                            a.stance,
                            if a.hedged { " hedged" } else { "" },
                            a.cue,
                            at(a.evidence)
                        );
                    }
                    for d in &i.denials {
                        println!("  denial {:?} of {:?}: {}", d.actor, d.denies, at(d.evidence));
                    }
                }
                return Ok(ExitCode::SUCCESS);
            }
            let report = rasad_eval::evaluate_incidents(&dir)?;
            print!("{report}");
            if let Some(split) = misses {
                let set = rasad_eval::load_incident_set(&dir)?;
                let split_of: std::collections::HashMap<&str, &str> = set
                    .articles
                    .iter()
                    .map(|a| (a.id.as_str(), a.split.as_str()))
                    .collect();
                println!("\nmisses ({split}):");
                for m in &report.misses {
                    if split == "all" || split_of.get(m.article.as_str()) == Some(&split.as_str()) {
                        println!("  {:<8} {:<8} {:<18} {}", m.field, m.kind, m.article, m.item);
                    }
                }
                for (s, g) in &report.grouping {
                    if split == "all" || split == s {
                        println!("\ngrouping ({s}): article, annotated incident, incident found");
                        for (article, gold, found) in &g.errors {
                            println!("  {article:<18} {gold:<24} {found}");
                        }
                        println!("links across annotated incidents ({s}):");
                        for (a, b, why) in &g.wrong_links {
                            println!("  {a:<18} {b:<18} {why}");
                        }
                    }
                }
            }
            Ok(ExitCode::SUCCESS)
        }
        EvalCommand::Entities { corpora } => {
            let Some(corpora) = corpora_or_skip(corpora.as_ref()) else {
                return Ok(ExitCode::SUCCESS);
            };
            for report in rasad_eval::evaluate_ner(&corpora)? {
                println!("{report}");
            }
            Ok(ExitCode::SUCCESS)
        }
    }
}

fn train(what: &TrainCommand) -> Result<ExitCode> {
    match what {
        TrainCommand::Tagger {
            corpora,
            epochs,
            runs,
            prune,
            lexicon,
            text,
            lang,
            holdout,
            folds,
            out,
        } => {
            let settings = rasad_eval::TrainSettings {
                epochs: *epochs,
                runs: *runs,
                prune: *prune,
                lexicon_step: *lexicon,
            };
            let Some(corpora) = corpora_or_skip(corpora.as_ref()) else {
                return Ok(ExitCode::SUCCESS);
            };
            let text = unlabelled(text);
            for lang in tagger_langs(lang.as_deref())? {
                let started = std::time::Instant::now();
                let clusters_path = out.join(format!("clusters-{}.tsv", lang.code()));
                let clusters = match std::fs::read_to_string(&clusters_path) {
                    Ok(text) => rasad_eval::Clusters::parse(&text)
                        .with_context(|| format!("reading {}", clusters_path.display()))?,
                    Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                        eprintln!("no {}: training without word clusters", clusters_path.display());
                        rasad_eval::Clusters::default()
                    }
                    Err(e) => return Err(e).with_context(|| format!("reading {}", clusters_path.display())),
                };
                // Persian without unlabelled text of its own reads the Arabic lexicon (the
                // scripts' folded keys agree, foreign names are written alike).
                let lexicon_path = out.join("lexicon-ar.tsv");
                let (lexicon, lexicon_file) = if lang == Lang::Fa && *lexicon > 0 && text.articles.is_empty()
                {
                    let text = std::fs::read_to_string(&lexicon_path)
                        .with_context(|| format!("reading {}", lexicon_path.display()))?;
                    let parsed = rasad_eval::Lexicon::parse(&text)
                        .with_context(|| format!("reading {}", lexicon_path.display()))?;
                    (parsed, Some(text))
                } else {
                    (rasad_eval::Lexicon::default(), None)
                };
                let resources = rasad_eval::Resources {
                    clusters: &clusters,
                    lexicon: &lexicon,
                    text: &text,
                };
                if let Some(folds) = *folds {
                    let (report, alone) =
                        rasad_eval::cross_validate(&corpora, lang, resources, settings, folds)?;
                    println!(
                        "{} tagger: {}-fold cross-validation on the train split, {epochs} epochs, {:.1} s; folds pooled:",
                        lang.code(),
                        folds.max(2),
                        started.elapsed().as_secs_f64()
                    );
                    println!("{report}");
                    println!("the tagger's names alone:\n{alone}");
                    continue;
                }
                let on = if *holdout {
                    rasad_eval::ScoredOn::Fold { index: 9, of: 10 }
                } else {
                    rasad_eval::ScoredOn::Test
                };
                let run = rasad_eval::train_tagger(&corpora, lang, resources, settings, on)?;
                println!(
                    "{} tagger: {} sentences, {} epochs, {:.1} s; scored on {}:",
                    lang.code(),
                    run.train_sentences,
                    epochs,
                    started.elapsed().as_secs_f64(),
                    run.scored_on
                );
                println!("{}", run.report);
                println!("the tagger's names alone:\n{}", run.alone);
                if !*holdout {
                    let path = out.join(format!("tagger-{}.tsv", lang.code()));
                    std::fs::write(&path, &run.model)
                        .with_context(|| format!("writing {}", path.display()))?;
                    println!("wrote {} ({} bytes)", path.display(), run.model.len());
                    // The lexicon the model was trained with is the one it reads when tagging:
                    // learnt here, or the Arabic one it was given.
                    if let Some(lexicon) = run.lexicon.as_ref().or(lexicon_file.as_ref()) {
                        let path = out.join(format!("lexicon-{}.tsv", lang.code()));
                        std::fs::write(&path, lexicon)
                            .with_context(|| format!("writing {}", path.display()))?;
                        println!("wrote {} ({} bytes)", path.display(), lexicon.len());
                    }
                }
            }
            Ok(ExitCode::SUCCESS)
        }
        TrainCommand::Clusters {
            corpora,
            lang,
            classes,
            min_count,
            passes,
            text,
            out,
        } => {
            let Some(corpora) = corpora_or_skip(corpora.as_ref()) else {
                return Ok(ExitCode::SUCCESS);
            };
            let extra = unlabelled(text);
            for lang in tagger_langs(lang.as_deref())? {
                let started = std::time::Instant::now();
                // Persian from PEYMA alone (0.24M words) is small for 256 classes.
                let small = lang == Lang::Fa;
                let settings = rasad_eval::ClusterSettings {
                    classes: if classes.is_empty() {
                        if small && extra.articles.is_empty() {
                            vec![64, 16]
                        } else {
                            vec![256, 64, 16]
                        }
                    } else {
                        classes.clone()
                    },
                    min_count: min_count.unwrap_or(if small { 2 } else { 3 }),
                    passes: *passes,
                };
                let file = rasad_eval::train_clusters(&corpora, lang, settings, &extra)?;
                let path = out.join(format!("clusters-{}.tsv", lang.code()));
                std::fs::write(&path, &file).with_context(|| format!("writing {}", path.display()))?;
                println!(
                    "{} clusters: wrote {} ({} bytes) in {:.1} s",
                    lang.code(),
                    path.display(),
                    file.len(),
                    started.elapsed().as_secs_f64()
                );
            }
            Ok(ExitCode::SUCCESS)
        }
    }
}

/// The unlabelled text at `paths`, saying what was read and what was skipped.
fn unlabelled(paths: &[std::path::PathBuf]) -> rasad_eval::UnlabelledText {
    let text = rasad_eval::read_unlabelled(paths);
    for (path, why) in &text.skipped {
        eprintln!("skipped {}: {why}", path.display());
    }
    if !paths.is_empty() {
        println!(
            "unlabelled text: {} articles, {} lines, from {} files",
            text.articles.len(),
            text.lines(),
            text.files
        );
    }
    text
}

/// The languages a tagger command covers: both, or the one asked for.
fn tagger_langs(lang: Option<&str>) -> Result<Vec<Lang>> {
    Ok(match lang {
        None => vec![Lang::Ar, Lang::Fa],
        Some("ar") => vec![Lang::Ar],
        Some("fa") => vec![Lang::Fa],
        Some(other) => anyhow::bail!("no tagger for language {other:?} (ar or fa)"),
    })
}

/// The corpora folder, or `None` after saying the evaluation is skipped because it is absent.
fn corpora_or_skip(given: Option<&std::path::PathBuf>) -> Option<std::path::PathBuf> {
    let found = rasad_eval::find_corpora(given.cloned());
    if found.is_none() {
        println!(
            "skipped: corpora not found (give --corpora, or place ../shared/corpora beside the project)"
        );
    }
    found
}

fn export(
    cli: &Cli,
    out: Option<&std::path::Path>,
    query: &rasad_export::ExportQuery,
    with_stories: bool,
) -> Result<ExitCode> {
    use rasad_export::{Format as F, csv::CsvSink, jsonl, parquet::ParquetSink, stix};
    let format = match cli.format {
        Format::Stix => F::Stix,
        Format::Csv => F::Csv,
        Format::Parquet => F::Parquet,
        Format::Jsonl => F::Jsonl,
        // `run` refuses these before any command runs (a usage error, exit 2).
        Format::Text | Format::Json => anyhow::bail!("export needs --format stix, csv, parquet or jsonl"),
    };
    let started = Instant::now();
    let mut store = open_store(cli)?;
    rasad_incidents::index::catch_up(&mut store).context("placing stored articles into incidents")?;
    let joins =
        rasad_export::Joins::from_store(&store, with_stories).context("reading stories and incidents")?;
    let dir =
        || out.context("--out DIR is needed: CSV, Parquet and JSON Lines exports write one file per table");
    let (seen, what) = match format {
        F::Stix => {
            let key = format!("{query:?}@{}", chrono::Utc::now().to_rfc3339());
            let summary = match out {
                Some(path) => {
                    let file = std::fs::File::create(path)
                        .with_context(|| format!("cannot create {}", path.display()))?;
                    stix::write_bundle(&store, &joins, query, &key, std::io::BufWriter::new(file))?.1
                }
                None => {
                    let stdout = std::io::stdout().lock();
                    stix::write_bundle(&store, &joins, query, &key, std::io::BufWriter::new(stdout))?.1
                }
            };
            let objects: Vec<String> = summary.objects.iter().map(|(k, v)| format!("{v} {k}")).collect();
            (summary.seen, objects.join(", "))
        }
        F::Csv => {
            let mut sink = CsvSink::create_dir(dir()?)?;
            let seen = rasad_export::write_tables(&store, &joins, query, &mut sink)?;
            sink.finish()?;
            let what = rows_of(&seen);
            (seen, format!("CSV: {what}"))
        }
        F::Parquet => {
            let mut sink = ParquetSink::create_dir(dir()?)?;
            let seen = rasad_export::write_tables(&store, &joins, query, &mut sink)?;
            sink.finish()?;
            let what = rows_of(&seen);
            (seen, format!("Parquet: {what}"))
        }
        F::Jsonl => (
            jsonl::write_dir(&store, &joins, query, dir()?)?,
            "JSON Lines".to_string(),
        ),
    };
    eprintln!(
        "exported {} articles, {} incidents, {} stories ({what}){} in {:.1} s",
        seen.articles,
        seen.incidents.len(),
        seen.stories.len(),
        out.map(|p| format!(" to {}", p.display())).unwrap_or_default(),
        started.elapsed().as_secs_f64()
    );
    Ok(ExitCode::SUCCESS)
}

/// `4 articles, 120 mentions, …`: the rows of each table an export wrote.
fn rows_of(seen: &rasad_export::Seen) -> String {
    rasad_export::Table::ALL
        .iter()
        .map(|t| format!("{} {}", seen.rows.get(t.name()).copied().unwrap_or(0), t.name()))
        .collect::<Vec<_>>()
        .join(", ")
}
