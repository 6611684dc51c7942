//! Search at scale: a synthetic index of RASAD_SCALE_ARTICLES (default 1,000,000) articles, made by
//! repeating the articles of an existing store with varied ids, then search latency from several
//! threads with and without snippets, and the index's size on disk.
//!
//! `RASAD_SCALE_DB=store.db cargo bench -p rasad-search --bench scale`, where the store is one
//! `rasad ingest` filled (say with all of SaudiNewsNet). The index is written to RASAD_SCALE_INDEX
//! (default: `<store>.scale-index`) and reused by later runs when it already holds that many
//! articles. RASAD_SCALE_CLIENTS (default 4) threads share each phase's RASAD_SCALE_QUERIES
//! (default 2000) queries. Without RASAD_SCALE_DB the bench says so and does nothing.
//!
//! The queries are the server's: `rasad serve` answers `/api/search` with [`SearchIndex::search`]
//! on the same reader; the HTTP layer adds well under a millisecond (see the `load` bench of
//! rasad-serve).

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing)]

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use rasad_model::{AnalyzedArticle, ArticleId};
use rasad_search::{SearchIndex, SearchQuery};

/// Articles per commit while the synthetic index is built.
const BUILD_BATCH: usize = 20_000;

fn env_usize(name: &str, default: usize) -> usize {
    std::env::var(name)
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

fn main() {
    let Ok(db) = std::env::var("RASAD_SCALE_DB") else {
        eprintln!("RASAD_SCALE_DB is not set: no store to repeat, nothing measured");
        return;
    };
    let wanted = env_usize("RASAD_SCALE_ARTICLES", 1_000_000);
    let clients = env_usize("RASAD_SCALE_CLIENTS", 4).max(1);
    let queries = env_usize("RASAD_SCALE_QUERIES", 2000).max(1);
    let dir = std::env::var("RASAD_SCALE_INDEX")
        .map_or_else(|_| PathBuf::from(format!("{db}.scale-index")), PathBuf::from);

    let store = rasad_store::Store::open(Path::new(&db)).expect("store");
    let mut originals: Vec<AnalyzedArticle> = Vec::new();
    store
        .scan::<rasad_store::StoreError>(&rasad_store::ArticleFilter::default(), |a| {
            originals.push(slim(a));
            Ok(())
        })
        .expect("scan");
    assert!(!originals.is_empty(), "{db} holds no articles");
    println!("{} stored articles in {db}", originals.len());

    let index = SearchIndex::open(&dir).expect("index");
    if index.len() == wanted as u64 {
        println!("reusing the index in {} ({wanted} articles)", dir.display());
    } else {
        build(&index, &originals, wanted);
    }
    println!(
        "index: {} articles, {:.2} GB on disk ({:.1} KB per article)",
        index.len(),
        dir_size(&dir) as f64 / 1e9,
        dir_size(&dir) as f64 / 1024.0 / index.len().max(1) as f64
    );

    let texts = query_texts(&originals);
    drop(originals);
    let plain: Vec<SearchQuery> = (0..queries)
        .map(|i| query(&texts[i % texts.len()], false))
        .collect();
    let bare: Vec<SearchQuery> = (0..queries)
        .map(|i| query(&texts[i % texts.len()], true))
        .collect();
    let filtered: Vec<SearchQuery> = (0..queries)
        .map(|i| SearchQuery {
            lang: Some("ar".into()),
            entity: Some("country:SAU".into()),
            ..query(&texts[i % texts.len()], false)
        })
        .collect();
    let deep: Vec<SearchQuery> = (0..queries)
        .map(|i| SearchQuery {
            offset: 1000,
            ..query(&texts[i % texts.len()], true)
        })
        .collect();
    println!(
        "{clients} threads, {queries} queries a phase ({} distinct):",
        texts.len()
    );
    phase("snippets", &index, &plain, clients);
    phase("no snippets", &index, &bare, clients);
    phase("lang+entity", &index, &filtered, clients);
    phase("offset 1000", &index, &deep, clients);
}

/// What the index reads of an article, without the analysis it does not index.
fn slim(mut a: AnalyzedArticle) -> AnalyzedArticle {
    a.analysis.quotes.clear();
    a.analysis.incidents.clear();
    a
}

/// Adds copies of `originals` (ids `<id>.<copy>`) until the index holds `wanted` articles.
fn build(index: &SearchIndex, originals: &[AnalyzedArticle], wanted: usize) {
    let started = Instant::now();
    index.clear().expect("clear");
    let mut batch: Vec<AnalyzedArticle> = Vec::with_capacity(BUILD_BATCH);
    for n in 0..wanted {
        let original = &originals[n % originals.len()];
        let copy = n / originals.len();
        let mut a = original.clone();
        if copy > 0 {
            a.article.id = ArticleId::from_string(format!("{}.{copy}", original.article.id.as_str()));
        }
        batch.push(a);
        if batch.len() == BUILD_BATCH || n + 1 == wanted {
            index.add(&batch).expect("add");
            batch.clear();
            if (n + 1) % 100_000 < BUILD_BATCH {
                println!(
                    "  {} articles indexed, {:.0} s",
                    n + 1,
                    started.elapsed().as_secs_f64()
                );
            }
        }
    }
    index.finish().expect("merge");
    index.reload().expect("reload");
    println!(
        "built {wanted} articles in {:.0} s ({:.0} articles/s)",
        started.elapsed().as_secs_f64(),
        wanted as f64 / started.elapsed().as_secs_f64()
    );
}

/// The load bench's queries: cross-script spellings, a phrase, then two longer words of titles.
fn query_texts(originals: &[AnalyzedArticle]) -> Vec<String> {
    let mut texts: Vec<String> = ["إيران", "ايران", "منافقین", "الخارجية", "\"مجلس الوزراء\""]
        .iter()
        .map(|q| (*q).to_string())
        .collect();
    for a in originals.iter().step_by((originals.len() / 400).max(1)) {
        let Some(title) = &a.article.title else { continue };
        let words: Vec<&str> = title
            .split_whitespace()
            .filter(|w| w.chars().count() > 3)
            .take(2)
            .collect();
        if !words.is_empty() {
            texts.push(words.join(" "));
        }
    }
    texts
}

fn query(text: &str, no_snippets: bool) -> SearchQuery {
    SearchQuery {
        text: text.to_string(),
        limit: 20,
        no_snippets,
        ..SearchQuery::default()
    }
}

fn percentile(sorted: &[Duration], p: f64) -> Duration {
    let at = ((sorted.len() as f64 - 1.0) * p).round() as usize;
    sorted.get(at).copied().unwrap_or_default()
}

fn phase(name: &str, index: &SearchIndex, queries: &[SearchQuery], clients: usize) {
    let started = Instant::now();
    let (mut latencies, totals): (Vec<Duration>, Vec<usize>) = std::thread::scope(|scope| {
        let handles: Vec<_> = (0..clients)
            .map(|c| {
                scope.spawn(move || {
                    queries
                        .iter()
                        .skip(c)
                        .step_by(clients)
                        .map(|q| {
                            let t = Instant::now();
                            let results = index.search(q).expect("search");
                            (t.elapsed(), results.total)
                        })
                        .collect::<Vec<_>>()
                })
            })
            .collect();
        handles
            .into_iter()
            .flat_map(|h| h.join().expect("search thread"))
            .unzip()
    });
    let seconds = started.elapsed().as_secs_f64();
    latencies.sort();
    let ms = |d: Duration| d.as_secs_f64() * 1000.0;
    println!(
        "{name:<12} {:>6} queries  {:>8.1} q/s  p50 {:>7.2} ms  p99 {:>7.2} ms  max {:>7.2} ms  mean hits {:.0}",
        latencies.len(),
        latencies.len() as f64 / seconds,
        ms(percentile(&latencies, 0.50)),
        ms(percentile(&latencies, 0.99)),
        ms(percentile(&latencies, 1.0)),
        totals.iter().sum::<usize>() as f64 / totals.len().max(1) as f64,
    );
}

fn dir_size(dir: &Path) -> u64 {
    std::fs::read_dir(dir)
        .map(|entries| {
            entries
                .filter_map(Result::ok)
                .filter_map(|e| e.metadata().ok())
                .filter(std::fs::Metadata::is_file)
                .map(|m| m.len())
                .sum()
        })
        .unwrap_or(0)
}
