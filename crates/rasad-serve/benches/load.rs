//! Load benchmark: a bounded request loop against `rasad serve` on loopback, reporting requests/s
//! and latency percentiles for search, story pages and the story list.
//!
//! `cargo bench -p rasad-serve --bench load`. The store holds the examples plus, when
//! ../shared/corpora/saudinewsnet is present, the first RASAD_BENCH_ARTICLES (default 3000) of its
//! articles. RASAD_BENCH_CLIENTS (default 4) keep-alive connections share each phase's requests.
//!
//! With RASAD_BENCH_DB=path, an existing store is served instead (say one `rasad ingest` filled
//! with all 31,030 SaudiNewsNet articles): the bench reports how long the port takes to open and the
//! stories and incidents to be ready, then the phases, then POSTs of one new article each (p50/p99)
//! and search while those POSTs run.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing)]

use std::io::{BufRead, BufReader, Read, Write};
use std::net::{SocketAddr, TcpStream};
use std::path::Path;
use std::sync::Arc;
use std::time::{Duration, Instant};

use rasad_ingest::RawDocument;
use rasad_serve::{Config, Library, Server};

fn env_usize(name: &str, default: usize) -> usize {
    std::env::var(name)
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

/// The first `limit` SaudiNewsNet articles, when the corpora are present.
fn saudinewsnet(limit: usize) -> Vec<Result<RawDocument, String>> {
    let Some(corpora) = rasad_eval::find_corpora(None) else {
        eprintln!("(no ../shared/corpora: examples only)");
        return Vec::new();
    };
    match rasad_eval::saudinewsnet(&corpora, limit) {
        Ok(docs) => docs.into_iter().map(Ok).collect(),
        Err(err) => {
            eprintln!("(SaudiNewsNet not read: {err}; examples only)");
            Vec::new()
        }
    }
}

/// One keep-alive connection.
struct Client {
    reader: BufReader<TcpStream>,
    writer: TcpStream,
}

impl Client {
    fn connect(addr: SocketAddr) -> Self {
        let stream = TcpStream::connect(addr).expect("connect");
        stream.set_nodelay(true).expect("nodelay");
        Self {
            reader: BufReader::new(stream.try_clone().expect("clone")),
            writer: stream,
        }
    }

    /// GETs a path; returns the status and the body length.
    fn get(&mut self, path: &str) -> (u16, usize) {
        write!(self.writer, "GET {path} HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n").expect("write");
        self.answer()
    }

    /// POSTs a JSON body to /api/ingest.
    fn post(&mut self, body: &str) -> (u16, usize) {
        write!(
            self.writer,
            "POST /api/ingest HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nContent-Length: {}\r\n\r\n{body}",
            body.len()
        )
        .expect("write");
        self.answer()
    }

    fn answer(&mut self) -> (u16, usize) {
        let mut line = String::new();
        self.reader.read_line(&mut line).expect("status");
        let status = line.split(' ').nth(1).and_then(|s| s.parse().ok()).unwrap_or(0);
        let mut length = 0;
        loop {
            line.clear();
            self.reader.read_line(&mut line).expect("header");
            if line == "\r\n" || line.is_empty() {
                break;
            }
            if let Some((name, value)) = line.split_once(':')
                && name.eq_ignore_ascii_case("content-length")
            {
                length = value.trim().parse().unwrap_or(0);
            }
        }
        let mut body = vec![0; length];
        self.reader.read_exact(&mut body).expect("body");
        (status, length)
    }
}

fn percentile(sorted: &[Duration], p: f64) -> Duration {
    let at = ((sorted.len() as f64 - 1.0) * p).round() as usize;
    sorted.get(at).copied().unwrap_or_default()
}

/// Runs `paths` over `clients` connections, each path once, and prints the numbers.
fn phase(name: &str, addr: SocketAddr, paths: &[String], clients: usize) {
    let paths = Arc::new(paths.to_vec());
    let started = Instant::now();
    let handles: Vec<_> = (0..clients)
        .map(|c| {
            let paths = Arc::clone(&paths);
            std::thread::spawn(move || {
                let mut client = Client::connect(addr);
                let mut latencies = Vec::new();
                let mut bytes = 0;
                for path in paths.iter().skip(c).step_by(clients) {
                    let t = Instant::now();
                    let (status, len) = client.get(path);
                    latencies.push(t.elapsed());
                    assert_eq!(status, 200, "{path}");
                    bytes += len;
                }
                (latencies, bytes)
            })
        })
        .collect();
    let mut latencies = Vec::new();
    let mut bytes = 0;
    for h in handles {
        let (l, b) = h.join().expect("client thread");
        latencies.extend(l);
        bytes += b;
    }
    let seconds = started.elapsed().as_secs_f64();
    latencies.sort_unstable();
    let ms = |d: Duration| d.as_secs_f64() * 1000.0;
    println!(
        "{name:<12} {:>6} requests  {:>8.1} req/s  p50 {:>7.2} ms  p99 {:>7.2} ms  max {:>7.2} ms  {:>6.1} KB/response",
        latencies.len(),
        latencies.len() as f64 / seconds,
        ms(percentile(&latencies, 0.50)),
        ms(percentile(&latencies, 0.99)),
        ms(percentile(&latencies, 1.0)),
        bytes as f64 / latencies.len().max(1) as f64 / 1024.0,
    );
}

fn encode(q: &str) -> String {
    q.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' => (b as char).to_string(),
            _ => format!("%{b:02X}"),
        })
        .collect()
}

fn main() {
    let articles = env_usize("RASAD_BENCH_ARTICLES", 3000);
    let clients = env_usize("RASAD_BENCH_CLIENTS", 4);
    if let Ok(db) = std::env::var("RASAD_BENCH_DB") {
        existing(Path::new(&db), clients);
        return;
    }
    let dir = tempfile::tempdir().expect("tempdir");
    let library = Library::open(&dir.path().join("bench.db")).expect("library");
    let examples = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../examples");
    let mut docs: Vec<Result<RawDocument, String>> = rasad_ingest::Documents::new(
        &[rasad_ingest::Input::parse(&examples.to_string_lossy())],
        rasad_ingest::ReadOptions::default(),
    )
    .map(|d| d.map_err(|e| e.to_string()))
    .collect();
    docs.extend(saudinewsnet(articles));
    let started = Instant::now();
    let report = library.ingest(docs).expect("ingest");
    // On a store over the small-store size a POST leaves publishing the story tables to the
    // server's watcher, which is not running yet: publish them here before reading them.
    library.publish_placed().expect("publish stories");
    println!(
        "store: {} articles ingested (analysed, stored, indexed, stories placed) in {:.1} s; {} stories",
        report.inserted,
        started.elapsed().as_secs_f64(),
        library.stories().len()
    );
    let titles: Vec<String> = library
        .store()
        .list(&rasad_store::ListQuery {
            lang: None,
            limit: 400,
            offset: 0,
        })
        .expect("list")
        .into_iter()
        .filter_map(|a| a.title)
        .collect();
    let story_ids: Vec<String> = library
        .stories()
        .summaries()
        .iter()
        .take(300)
        .map(|s| s.id.clone())
        .collect();

    let server = serve(Arc::new(library));
    let addr = server.addr;

    let queries = queries_of(
        &[
            "إيران",
            "ايران",
            "منافقین",
            "الخارجية",
            "cyberattack",
            "\"الهجوم الإلكتروني\"",
        ],
        &titles,
    );
    let search: Vec<String> = (0..2000)
        .map(|i| format!("/api/search?q={}", encode(&queries[i % queries.len()])))
        .collect();
    let filtered: Vec<String> = (0..1000)
        .map(|i| {
            format!(
                "/api/search?q={}&lang=ar&entity=country:SAU",
                encode(&queries[i % queries.len()])
            )
        })
        .collect();
    let story: Vec<String> = (0..1000)
        .map(|i| format!("/api/stories/{}", story_ids[i % story_ids.len()]))
        .collect();
    let list: Vec<String> = (0..1000)
        .map(|i| format!("/api/stories?limit=50&offset={}", (i % 4) * 50))
        .collect();
    println!("{clients} keep-alive clients on {addr}:");
    phase("search", addr, &search, clients);
    phase("search+filt", addr, &filtered, clients);
    let bare: Vec<String> = search.iter().map(|p| format!("{p}&snippets=false")).collect();
    phase("no snippets", addr, &bare, clients);
    phase("story", addr, &story, clients);
    phase("story list", addr, &list, clients);
    server.stop();
}

/// Queries: the `fixed` ones (cross-script spellings, a phrase), then two longer words of each
/// stored title.
fn queries_of(fixed: &[&str], titles: &[String]) -> Vec<String> {
    let mut queries: Vec<String> = fixed.iter().map(|q| (*q).to_string()).collect();
    for t in titles {
        let words: Vec<&str> = t
            .split_whitespace()
            .filter(|w| w.chars().count() > 3)
            .take(2)
            .collect();
        if !words.is_empty() {
            queries.push(words.join(" "));
        }
    }
    queries
}

/// A server on a loopback port, run on its own thread until [`Running::stop`].
struct Running {
    addr: SocketAddr,
    stop: tokio::sync::oneshot::Sender<()>,
    thread: std::thread::JoinHandle<Result<(), rasad_serve::ServeError>>,
}

impl Running {
    fn stop(self) {
        let _ = self.stop.send(());
        let _ = self.thread.join();
    }
}

fn serve(library: Arc<Library>) -> Running {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .expect("runtime");
    let config = Config {
        addr: SocketAddr::from(([127, 0, 0, 1], 0)),
        ..Config::default()
    };
    let server = runtime.block_on(Server::bind(config, library)).expect("bind");
    let addr = server.local_addr().expect("addr");
    let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
    let thread = std::thread::spawn(move || {
        runtime.block_on(server.run(async {
            let _ = stopped.await;
        }))
    });
    Running { addr, stop, thread }
}

/// Serves an existing store: opening, readiness, reads, then one-article POSTs with search beside.
fn existing(db: &Path, clients: usize) {
    let started = Instant::now();
    let library = Arc::new(Library::open_lazy(db).expect("library"));
    let server = serve(Arc::clone(&library));
    let addr = server.addr;
    println!(
        "{}: port open after {:.0} ms",
        db.display(),
        started.elapsed().as_secs_f64() * 1000.0
    );
    let _watcher = Library::watch(&library, Duration::from_secs(2));
    while !library.is_ready() {
        std::thread::sleep(Duration::from_millis(100));
    }
    println!(
        "stories and incidents ready after {:.1} s: {} articles, {} stories, {} incidents, index {} docs",
        started.elapsed().as_secs_f64(),
        library.store().count().expect("count"),
        library.stories().len(),
        library.incidents().len(),
        library.index().len()
    );
    let titles: Vec<String> = library
        .store()
        .list(&rasad_store::ListQuery {
            lang: None,
            limit: 1000,
            offset: 0,
        })
        .expect("list")
        .into_iter()
        .filter_map(|a| a.title)
        // Earlier runs' POSTed articles are not queries.
        .filter(|t| !t.starts_with("bench "))
        .collect();
    let queries = queries_of(&["إيران", "ايران", "الخارجية", "\"الهجوم الإلكتروني\""], &titles);
    let search: Vec<String> = (0..2000)
        .map(|i| format!("/api/search?q={}", encode(&queries[i % queries.len()])))
        .collect();
    let bare: Vec<String> = search.iter().map(|p| format!("{p}&snippets=false")).collect();
    println!("{clients} keep-alive clients on {addr}:");
    phase("search", addr, &search, clients);
    phase("no snippets", addr, &bare, clients);
    phase(
        "story list",
        addr,
        &(0..500)
            .map(|i| format!("/api/stories?limit=50&offset={}", (i % 4) * 50))
            .collect::<Vec<_>>(),
        clients,
    );
    phase(
        "incidents",
        addr,
        &(0..500)
            .map(|_| "/api/incidents?limit=50".to_string())
            .collect::<Vec<_>>(),
        clients,
    );
    // One new article per POST, dated after everything stored, while two clients search.
    let posts = 60;
    let searching = {
        let search = search.clone();
        std::thread::spawn(move || phase("search+POST", addr, &search, 2))
    };
    let mut client = Client::connect(addr);
    let mut latencies = Vec::with_capacity(posts);
    let stamp = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_nanos());
    for i in 0..posts {
        let body = format!(
            "[{{\"title\": \"bench {stamp} {i}\", \"text\": \"قالت وزارة الداخلية إن هجوما إلكترونيا استهدف أنظمة شركة الكهرباء {stamp} رقم {i}، وإن الفرق الفنية أعادت الخدمة.\", \"published\": \"2030-01-01\"}}]"
        );
        let t = Instant::now();
        let (status, _) = client.post(&body);
        latencies.push(t.elapsed());
        assert!((200..300).contains(&status), "POST answered {status}");
    }
    let _ = searching.join();
    latencies.sort_unstable();
    let ms = |d: Duration| d.as_secs_f64() * 1000.0;
    println!(
        "POST 1 article {posts} requests  p50 {:.1} ms  p99 {:.1} ms  max {:.1} ms",
        ms(percentile(&latencies, 0.5)),
        ms(percentile(&latencies, 0.99)),
        ms(percentile(&latencies, 1.0))
    );
    server.stop();
}
