//! The watcher against a server on loopback that misbehaves the ways real sites do: slow and
//! stalled answers, 5xx and 429 with Retry-After, malformed XML, duplicate GUIDs, redirect loops,
//! wrong or missing charsets, a 100 MB body, a feed that changes between polls, robots.txt rules,
//! and a watcher that dies between storing articles and recording them.

#![allow(
    clippy::unwrap_used,
    clippy::indexing_slicing,
    clippy::cast_possible_truncation
)]

use std::collections::HashMap;
use std::io::{BufRead, BufReader, Write};
use std::net::{TcpListener, TcpStream};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex, OnceLock};
use std::time::{Duration, Instant};

use rasad_ingest::RawDocument;
use rasad_pipeline::{Options, Pipeline};
use rasad_store::Store;
use rasad_watch::watcher::Taken;
use rasad_watch::{FetchOptions, Fetcher, Pages, PollReport, Sink, Source, SourceKind, Watcher};

// ---------------------------------------------------------------------------------------------
// A small HTTP/1.1 server: one thread per connection, `Connection: close`, a handler per test.

#[derive(Clone)]
enum Body {
    Bytes(Vec<u8>),
    /// Headers are sent, then nothing for this long.
    StallAfterHeaders(Duration),
    /// `n` bytes, with or without a `Content-Length` saying so.
    Huge {
        len: usize,
        declared: bool,
    },
}

#[derive(Clone)]
struct Reply {
    status: u16,
    headers: Vec<(String, String)>,
    /// Wait this long before answering at all.
    delay: Duration,
    body: Body,
}

impl Reply {
    fn ok(content_type: &str, body: impl Into<Vec<u8>>) -> Self {
        Self {
            status: 200,
            headers: vec![("Content-Type".into(), content_type.into())],
            delay: Duration::ZERO,
            body: Body::Bytes(body.into()),
        }
    }

    fn status(status: u16) -> Self {
        Self {
            status,
            headers: Vec::new(),
            delay: Duration::ZERO,
            body: Body::Bytes(Vec::new()),
        }
    }

    fn header(mut self, name: &str, value: &str) -> Self {
        self.headers.push((name.into(), value.into()));
        self
    }

    fn redirect(to: &str) -> Self {
        Self::status(302).header("Location", to)
    }
}

struct Request {
    path: String,
    headers: HashMap<String, String>,
}

type Handler = dyn Fn(&Request, usize) -> Reply + Send + Sync;

struct Server {
    base: String,
    hits: Arc<Mutex<HashMap<String, usize>>>,
}

impl Server {
    /// Serves `handler(request, n)`, where n counts the requests for that path from 1; an unknown
    /// `/robots.txt` is a 404 unless the handler answers it.
    fn start(handler: impl Fn(&Request, usize) -> Reply + Send + Sync + 'static) -> Self {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let base = format!("http://{}", listener.local_addr().unwrap());
        let hits: Arc<Mutex<HashMap<String, usize>>> = Arc::default();
        let handler: Arc<Handler> = Arc::new(handler);
        let counts = Arc::clone(&hits);
        std::thread::spawn(move || {
            for stream in listener.incoming() {
                let Ok(stream) = stream else { continue };
                let handler = Arc::clone(&handler);
                let counts = Arc::clone(&counts);
                std::thread::spawn(move || serve(stream, &*handler, &counts));
            }
        });
        Self { base, hits }
    }

    fn url(&self, path: &str) -> String {
        format!("{}{path}", self.base)
    }

    fn hits(&self, path: &str) -> usize {
        self.hits.lock().unwrap().get(path).copied().unwrap_or(0)
    }
}

fn serve(stream: TcpStream, handler: &Handler, hits: &Mutex<HashMap<String, usize>>) {
    let mut reader = BufReader::new(stream.try_clone().unwrap());
    let mut line = String::new();
    if reader.read_line(&mut line).is_err() {
        return;
    }
    let path = line.split_whitespace().nth(1).unwrap_or("/").to_string();
    let mut headers = HashMap::new();
    loop {
        let mut h = String::new();
        if reader.read_line(&mut h).unwrap_or(0) == 0 || h == "\r\n" {
            break;
        }
        if let Some((k, v)) = h.split_once(':') {
            headers.insert(k.trim().to_ascii_lowercase(), v.trim().to_string());
        }
    }
    let n = {
        let mut hits = hits.lock().unwrap();
        let n = hits.entry(path.clone()).or_default();
        *n += 1;
        *n
    };
    let reply = handler(&Request { path, headers }, n);
    std::thread::sleep(reply.delay);
    let mut out = stream;
    let mut head = format!("HTTP/1.1 {} X\r\nConnection: close\r\n", reply.status);
    for (k, v) in &reply.headers {
        head.push_str(&format!("{k}: {v}\r\n"));
    }
    match &reply.body {
        Body::Bytes(b) => head.push_str(&format!("Content-Length: {}\r\n\r\n", b.len())),
        Body::StallAfterHeaders(_) => head.push_str("Content-Length: 1000\r\n\r\n"),
        Body::Huge { len, declared: true } => head.push_str(&format!("Content-Length: {len}\r\n\r\n")),
        Body::Huge { declared: false, .. } => head.push_str("\r\n"),
    }
    if out.write_all(head.as_bytes()).is_err() {
        return;
    }
    match reply.body {
        Body::Bytes(b) => {
            let _ = out.write_all(&b);
        }
        Body::StallAfterHeaders(wait) => {
            let _ = out.write_all(b"<rss>");
            std::thread::sleep(wait);
        }
        Body::Huge { len, .. } => {
            let chunk = vec![b'a'; 64 * 1024];
            let mut sent = 0;
            while sent < len {
                if out.write_all(&chunk).is_err() {
                    return; // the client hung up, as it should
                }
                sent += chunk.len();
            }
        }
    }
}

// ---------------------------------------------------------------------------------------------
// The watcher under test: the real pipeline and store.

fn pipeline() -> &'static Pipeline {
    static PIPELINE: OnceLock<Pipeline> = OnceLock::new();
    PIPELINE.get_or_init(|| Pipeline::standard(Options::default()))
}

/// Analyses and stores, as `rasad watch` does (without the search index); can be told to die
/// after storing, before the watcher records the items.
#[derive(Default)]
struct StoreSink {
    die_after_storing: bool,
}

impl Sink for StoreSink {
    fn take(
        &mut self,
        store: &mut Store,
        docs: Vec<RawDocument>,
    ) -> Result<Vec<Result<Taken, String>>, String> {
        let analyzed: Vec<_> = docs.into_iter().map(|d| pipeline().analyze(d)).collect();
        let outcomes = store.insert_batch(&analyzed).map_err(|e| e.to_string())?;
        assert!(!self.die_after_storing, "killed after storing");
        Ok(Taken::from_stored(&analyzed, outcomes))
    }
}

fn options() -> FetchOptions {
    FetchOptions {
        host_delay: Duration::ZERO,
        timeout: Duration::from_secs(2),
        connect_timeout: Duration::from_secs(1),
        max_bytes: 1024 * 1024,
        retries: 2,
        backoff: Duration::from_millis(50),
        max_retry_after: Duration::from_secs(5),
        ..FetchOptions::default()
    }
}

fn source(name: &str, url: String, kind: SourceKind) -> Source {
    Source {
        name: name.into(),
        url,
        kind,
        interval: Duration::from_secs(600),
        pages: Pages::Auto,
        outlet: Some("Test".into()),
    }
}

fn watcher(db: &std::path::Path, sources: Vec<Source>, fetch: FetchOptions) -> Watcher<StoreSink> {
    Watcher::new(
        sources,
        Fetcher::new(fetch),
        Store::open(db).unwrap(),
        StoreSink::default(),
    )
    .unwrap()
}

fn count(store: &Store) -> usize {
    store.count().unwrap()
}

fn stored(store: &Store) -> Vec<rasad_model::Article> {
    store
        .ids_after(0)
        .unwrap()
        .into_iter()
        .map(|(_, id)| store.get(&id).unwrap().unwrap().article)
        .collect()
}

/// A paragraph of real-looking text, long enough to be a full article in a feed.
fn story(n: usize) -> String {
    format!(
        "Story {n}. Albania cut diplomatic ties with Iran on Wednesday over a cyberattack in July that \
         disrupted government services, Prime Minister Edi Rama said. NATO condemned the attack and \
         said it stood with its ally. Iran's foreign ministry called the accusation baseless. The \
         investigation found that the attackers had been inside the network for fourteen months before \
         the ransomware and wiper were deployed against the government's online services. Officials \
         said the attack aimed to destroy public infrastructure, paralyse services and steal data. \
         The government said it had informed its allies and asked the Iranian embassy staff to leave \
         within twenty-four hours; the United States said it would take further action to hold Iran \
         accountable. Number {n} of the series."
    )
}

fn rss(items: &[(&str, Option<&str>, &str, Option<String>)]) -> String {
    let mut out = String::from(
        r#"<?xml version="1.0" encoding="UTF-8"?><rss version="2.0"><channel><title>T</title><link>http://x/</link>"#,
    );
    for (guid, link, date, body) in items {
        out.push_str("<item>");
        out.push_str(&format!(
            "<guid isPermaLink=\"false\">{guid}</guid><title>Title {guid}</title>"
        ));
        if let Some(link) = link {
            out.push_str(&format!("<link>{link}</link>"));
        }
        out.push_str(&format!("<pubDate>{date}</pubDate>"));
        if let Some(body) = body {
            out.push_str(&format!("<description><![CDATA[<p>{body}</p>]]></description>"));
        }
        out.push_str("</item>");
    }
    out.push_str("</channel></rss>");
    out
}

fn page(title: &str, body: &str) -> String {
    format!(
        "<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>{title}</title></head>\
         <body><nav>Home | World | Sport</nav><article><h1>{title}</h1><p>{body}</p></article>\
         <footer>Copyright</footer></body></html>"
    )
}

const DATE: &str = "Wed, 07 Sep 2022 10:00:00 GMT";

// ---------------------------------------------------------------------------------------------

#[test]
fn items_are_taken_once_pages_fetched_for_summaries_and_a_304_costs_nothing() {
    let server = Server::start(|req, _| match req.path.as_str() {
        "/feed" => {
            if req.headers.get("if-none-match").map(String::as_str) == Some("\"v1\"") {
                return Reply::status(304);
            }
            let a = "/a".to_string();
            let items = [
                // Full text in the feed: no page fetch.
                ("g1", Some("/full"), DATE, Some(story(1))),
                // A summary: the page is fetched.
                (
                    "g2",
                    Some(a.as_str()),
                    DATE,
                    Some("Albania cuts ties.".to_string()),
                ),
                // The same GUID again: one item.
                ("g1", Some("/full"), DATE, Some(story(1))),
                // Same pubDate as the others, different items: both taken.
                ("g3", None, DATE, Some(story(3))),
                ("g4", None, DATE, Some(story(4))),
            ];
            Reply::ok("application/rss+xml", rss(&items)).header("ETag", "\"v1\"")
        }
        "/a" => Reply::ok("text/html; charset=utf-8", page("Albania cuts ties", &story(2))),
        _ => Reply::status(404),
    });
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("w.db");
    let feed = source("feed", server.url("/feed"), SourceKind::Feed);
    let mut w = watcher(&db, vec![feed], options());
    let first = w.poll_all().unwrap().remove(0);
    println!("{first:?}");
    assert_eq!(first.error, None);
    assert_eq!((first.listed, first.new, first.repeats), (5, 4, 1));
    assert_eq!((first.ingested, first.item_errors), (4, 0));
    assert_eq!(count(w.store()), 4);
    assert_eq!(server.hits("/a"), 1);
    assert_eq!(
        server.hits("/full"),
        0,
        "a feed with full text needs no page fetch"
    );
    let stored = stored(w.store());
    let fetched = stored
        .iter()
        .find(|a| a.url.as_deref() == Some(&*server.url("/a")))
        .unwrap();
    assert_eq!(fetched.provenance.guid.as_deref(), Some("g2"));
    assert!(fetched.text.contains("Story 2"), "{}", fetched.text);

    let second = w.poll_all().unwrap().remove(0);
    assert!(second.not_modified, "{second:?}");
    assert_eq!(server.hits("/feed"), 2);
    assert_eq!(count(w.store()), 4);
    let state = w.store().watch_source("feed").unwrap().unwrap();
    assert_eq!((state.polls, state.items_seen, state.items_ingested), (2, 4, 4));
    assert_eq!(state.etag.as_deref(), Some("\"v1\""));
}

#[test]
fn a_feed_that_changes_between_polls_gives_only_its_new_items() {
    let server = Server::start(|req, n| match req.path.as_str() {
        "/feed" if n == 1 => Reply::ok(
            "text/xml",
            rss(&[
                ("1", None, DATE, Some(story(1))),
                ("2", None, DATE, Some(story(2))),
            ]),
        ),
        "/feed" => Reply::ok(
            "text/xml",
            rss(&[
                ("3", None, DATE, Some(story(3))),
                ("2", None, DATE, Some(story(2))),
            ]),
        ),
        _ => Reply::status(404),
    });
    let dir = tempfile::tempdir().unwrap();
    let mut w = watcher(
        &dir.path().join("w.db"),
        vec![source("f", server.url("/feed"), SourceKind::Feed)],
        options(),
    );
    assert_eq!(w.poll_all().unwrap()[0].ingested, 2);
    let second = w.poll_all().unwrap().remove(0);
    assert_eq!(
        (second.listed, second.new, second.ingested),
        (2, 1, 1),
        "{second:?}"
    );
    assert_eq!(count(w.store()), 3);
}

#[test]
fn server_errors_are_retried_with_backoff_and_then_succeed() {
    let server = Server::start(|req, n| match req.path.as_str() {
        "/feed" if n <= 2 => Reply::status(500),
        "/feed" => Reply::ok("application/rss+xml", rss(&[("1", None, DATE, Some(story(1)))])),
        _ => Reply::status(404),
    });
    let dir = tempfile::tempdir().unwrap();
    let mut w = watcher(
        &dir.path().join("w.db"),
        vec![source("f", server.url("/feed"), SourceKind::Feed)],
        options(),
    );
    let report = w.poll_all().unwrap().remove(0);
    assert_eq!(report.error, None);
    assert_eq!(report.ingested, 1);
    assert_eq!(server.hits("/feed"), 3);
    assert_eq!(w.fetcher().stats.retries, 2);
}

#[test]
fn a_source_that_keeps_failing_is_backed_off_and_the_others_go_on() {
    let server = Server::start(|req, _| match req.path.as_str() {
        "/down" => Reply::status(503),
        "/feed" => Reply::ok("application/rss+xml", rss(&[("1", None, DATE, Some(story(1)))])),
        _ => Reply::status(404),
    });
    let dir = tempfile::tempdir().unwrap();
    let sources = vec![
        source("down", server.url("/down"), SourceKind::Feed),
        source("up", server.url("/feed"), SourceKind::Feed),
    ];
    let mut w = watcher(&dir.path().join("w.db"), sources, options());
    let reports = w.poll_all().unwrap();
    assert!(
        reports[0].error.as_deref().unwrap().contains("HTTP 503"),
        "{:?}",
        reports[0]
    );
    assert_eq!(server.hits("/down"), 3, "one request and two retries");
    assert_eq!(reports[1].ingested, 1);
    w.poll_all().unwrap();
    let state = w.store().watch_source("down").unwrap().unwrap();
    assert_eq!((state.errors, state.consecutive_errors), (2, 2));
    // Interval 10 min; the second error in a row doubles it.
    let next = chrono::DateTime::parse_from_rfc3339(state.next_poll.as_deref().unwrap()).unwrap();
    let wait = next.with_timezone(&chrono::Utc) - chrono::Utc::now();
    assert!(
        wait > chrono::Duration::minutes(19) && wait <= chrono::Duration::minutes(20),
        "{wait}"
    );
}

#[test]
fn a_429_retry_after_is_honoured_and_a_long_one_postpones_the_source() {
    let server = Server::start(|req, n| match req.path.as_str() {
        "/feed" if n == 1 => Reply::status(429).header("Retry-After", "1"),
        "/feed" => Reply::ok("application/rss+xml", rss(&[("1", None, DATE, Some(story(1)))])),
        "/busy" => Reply::status(429).header("Retry-After", "7200"),
        _ => Reply::status(404),
    });
    let dir = tempfile::tempdir().unwrap();
    let sources = vec![
        source("f", server.url("/feed"), SourceKind::Feed),
        source("busy", server.url("/busy"), SourceKind::Feed),
    ];
    let mut w = watcher(&dir.path().join("w.db"), sources, options());
    let started = Instant::now();
    let reports = w.poll_all().unwrap();
    assert_eq!(reports[0].ingested, 1);
    assert!(
        started.elapsed() >= Duration::from_secs(1),
        "Retry-After: 1 was not waited for"
    );
    assert_eq!(
        server.hits("/busy"),
        1,
        "a Retry-After beyond the bound is not waited out in place"
    );
    let state = w.store().watch_source("busy").unwrap().unwrap();
    let next = chrono::DateTime::parse_from_rfc3339(state.next_poll.as_deref().unwrap()).unwrap();
    assert!(next.with_timezone(&chrono::Utc) - chrono::Utc::now() > chrono::Duration::minutes(119));
}

#[test]
fn stalled_and_slow_answers_cost_at_most_the_timeout() {
    let server = Server::start(|req, _| match req.path.as_str() {
        "/stalled" => Reply {
            delay: Duration::from_secs(30),
            ..Reply::status(200)
        },
        "/half" => Reply {
            body: Body::StallAfterHeaders(Duration::from_secs(30)),
            ..Reply::status(200)
        },
        _ => Reply::status(404),
    });
    let dir = tempfile::tempdir().unwrap();
    let sources = vec![
        source("stalled", server.url("/stalled"), SourceKind::Feed),
        source("half", server.url("/half"), SourceKind::Feed),
    ];
    let fetch = FetchOptions {
        timeout: Duration::from_millis(700),
        retries: 1,
        ..options()
    };
    let mut w = watcher(&dir.path().join("w.db"), sources, fetch);
    let started = Instant::now();
    let reports = w.poll_all().unwrap();
    let elapsed = started.elapsed();
    for r in &reports {
        let error = r.error.as_deref().unwrap_or_default();
        assert!(
            error.contains("timed out") || error.contains("reading the body"),
            "{r:?}"
        );
    }
    assert_eq!(server.hits("/stalled"), 2, "a timeout is retried once");
    // Two sources, two attempts each at 0.7 s, plus backoff: far below the servers' 30 s.
    assert!(elapsed < Duration::from_secs(8), "{elapsed:?}");
}

#[test]
fn malformed_xml_fails_the_poll_and_keeps_what_was_stored() {
    let server = Server::start(|req, n| match req.path.as_str() {
        "/feed" if n == 1 => Reply::ok("text/xml", rss(&[("1", None, DATE, Some(story(1)))])),
        "/feed" if n == 2 => Reply::ok("text/xml", "<rss><channel><item><title>cut he"),
        "/feed" => Reply::ok(
            "text/xml",
            rss(&[
                ("1", None, DATE, Some(story(1))),
                ("2", None, DATE, Some(story(2))),
            ]),
        ),
        _ => Reply::status(404),
    });
    let dir = tempfile::tempdir().unwrap();
    let mut w = watcher(
        &dir.path().join("w.db"),
        vec![source("f", server.url("/feed"), SourceKind::Feed)],
        options(),
    );
    assert_eq!(w.poll_all().unwrap()[0].ingested, 1);
    let bad = w.poll_all().unwrap().remove(0);
    assert!(
        bad.error.as_deref().unwrap().contains("not a readable feed"),
        "{bad:?}"
    );
    assert_eq!(
        server.hits("/feed"),
        2,
        "a malformed feed is not retried in place"
    );
    assert_eq!(count(w.store()), 1);
    let good = w.poll_all().unwrap().remove(0);
    assert_eq!((good.new, good.ingested), (1, 1));
    let state = w.store().watch_source("f").unwrap().unwrap();
    assert_eq!((state.errors, state.consecutive_errors), (1, 0));
}

#[test]
fn redirects_are_followed_a_few_times_and_loops_refused() {
    let server = Server::start(|req, _| match req.path.as_str() {
        "/old" => Reply::redirect("/older"),
        "/older" => Reply::redirect("/feed"),
        "/feed" => Reply::ok("text/xml", rss(&[("1", Some("/story"), DATE, None)])),
        "/story" => Reply::status(301).header("Location", "/story/"),
        "/story/" => Reply::ok("text/html", page("Moved", &story(5))),
        "/loop1" => Reply::redirect("/loop2"),
        "/loop2" => Reply::redirect("/loop1"),
        p if p.starts_with("/chain") => {
            let n: usize = p[6..].parse().unwrap_or(0);
            Reply::redirect(&format!("/chain{}", n + 1))
        }
        _ => Reply::status(404),
    });
    let dir = tempfile::tempdir().unwrap();
    let sources = vec![
        source("moved", server.url("/old"), SourceKind::Feed),
        source("loop", server.url("/loop1"), SourceKind::Feed),
        source("chain", server.url("/chain0"), SourceKind::Feed),
    ];
    let mut w = watcher(&dir.path().join("w.db"), sources, options());
    let reports = w.poll_all().unwrap();
    assert_eq!(reports[0].ingested, 1, "{:?}", reports[0]);
    let article = &stored(w.store())[0];
    assert_eq!(
        article.url.as_deref(),
        Some(&*server.url("/story/")),
        "the page's URL after redirects"
    );
    assert!(
        reports[1].error.as_deref().unwrap().contains("redirect loop"),
        "{:?}",
        reports[1]
    );
    assert_eq!(server.hits("/loop1"), 1);
    assert!(
        reports[2]
            .error
            .as_deref()
            .unwrap()
            .contains("more than 5 redirects"),
        "{:?}",
        reports[2]
    );
    assert_eq!(server.hits("/chain6"), 0);
}

#[test]
fn wrong_and_missing_charsets() {
    let arabic = "وزارة الخارجية الإيرانية تنفي الاتهامات الألبانية وتصفها بأنها لا أساس لها";
    let server = Server::start(move |req, _| {
        let html = page("Arabic", &format!("{arabic}. {}", story(9)));
        let (cp1256, _, _) = encoding_rs::WINDOWS_1256.encode(&html);
        match req.path.as_str() {
            "/feed" => Reply::ok(
                "text/xml",
                rss(&[
                    ("declared", Some("/declared"), DATE, None),
                    ("lie", Some("/lie"), DATE, None),
                    ("meta", Some("/meta"), DATE, None),
                    ("none", Some("/none"), DATE, None),
                ]),
            ),
            // windows-1256, said so by the server.
            "/declared" => Reply::ok("text/html; charset=windows-1256", cp1256.to_vec()),
            // UTF-8 sent as ISO-8859-1, the commonest server default.
            "/lie" => Reply::ok(
                "text/html; charset=iso-8859-1",
                page("Lie", &format!("{arabic}! {}", story(8))),
            ),
            // windows-1256 declared in the page; the server claims UTF-8.
            "/meta" => {
                let html = page("Meta", &format!("{arabic}؟ {}", story(7))).replace("utf-8", "windows-1256");
                let (bytes, _, _) = encoding_rs::WINDOWS_1256.encode(&html);
                Reply::ok("text/html; charset=utf-8", bytes.to_vec())
            }
            // windows-1256 declared nowhere (the page says utf-8): refused, not guessed.
            "/none" => Reply::ok("text/html", cp1256.to_vec()),
            _ => Reply::status(404),
        }
    });
    let dir = tempfile::tempdir().unwrap();
    let mut w = watcher(
        &dir.path().join("w.db"),
        vec![source("f", server.url("/feed"), SourceKind::Feed)],
        options(),
    );
    let report = w.poll_all().unwrap().remove(0);
    println!("{report:?}");
    assert_eq!((report.ingested, report.item_errors), (3, 1), "{report:?}");
    assert!(report.errors[0].contains("/none"), "{:?}", report.errors);
    for a in stored(w.store()) {
        assert!(a.text.contains("وزارة الخارجية"), "{}: {}", a.source, a.text);
    }
}

#[test]
fn a_100_mb_body_is_refused_without_being_read() {
    let server = Server::start(|req, _| match req.path.as_str() {
        "/declared" => Reply {
            body: Body::Huge {
                len: 100 << 20,
                declared: true,
            },
            ..Reply::status(200)
        },
        "/undeclared" => Reply {
            body: Body::Huge {
                len: 100 << 20,
                declared: false,
            },
            ..Reply::status(200)
        },
        _ => Reply::status(404),
    });
    let dir = tempfile::tempdir().unwrap();
    let sources = vec![
        source("declared", server.url("/declared"), SourceKind::Feed),
        source("undeclared", server.url("/undeclared"), SourceKind::Feed),
    ];
    let mut w = watcher(&dir.path().join("w.db"), sources, options());
    let reports = w.poll_all().unwrap();
    assert!(
        reports[0].error.as_deref().unwrap().contains("over the limit"),
        "{:?}",
        reports[0]
    );
    assert!(
        reports[1].error.as_deref().unwrap().contains("over the limit"),
        "{:?}",
        reports[1]
    );
    assert_eq!(
        server.hits("/declared") + server.hits("/undeclared"),
        2,
        "refusals are not retried"
    );
    assert_eq!(w.fetcher().stats.refused, 2);
}

#[test]
fn robots_txt_is_honoured_and_the_feeds_own_text_used_instead() {
    let server = Server::start(|req, _| match req.path.as_str() {
        "/robots.txt" => Reply::ok(
            "text/plain",
            "User-agent: *\nDisallow: /private/\nCrawl-delay: 0\n",
        ),
        "/feed" => Reply::ok(
            "text/xml",
            rss(&[
                (
                    "1",
                    Some("/private/1"),
                    DATE,
                    Some("Only a summary of story one.".into()),
                ),
                ("2", Some("/private/2"), DATE, None),
                ("3", Some("/public/3"), DATE, None),
            ]),
        ),
        "/public/3" => Reply::ok("text/html", page("Three", &story(3))),
        _ => Reply::ok("text/html", page("Private", &story(99))),
    });
    let dir = tempfile::tempdir().unwrap();
    let mut w = watcher(
        &dir.path().join("w.db"),
        vec![source("f", server.url("/feed"), SourceKind::Feed)],
        options(),
    );
    let report = w.poll_all().unwrap().remove(0);
    assert_eq!(server.hits("/private/1") + server.hits("/private/2"), 0);
    assert_eq!(server.hits("/robots.txt"), 1, "robots.txt is read once per host");
    // Item 1 falls back to its summary (with a note); item 2 has nothing; item 3 is fetched.
    assert_eq!((report.ingested, report.item_errors), (2, 1), "{report:?}");
    assert!(report.errors[0].contains("robots.txt"), "{:?}", report.errors);
}

#[test]
fn an_unreadable_robots_txt_stops_the_host_and_says_why() {
    // RFC 9309: a robots.txt that answers 5xx means "disallow everything" until it can be read.
    let server = Server::start(|req, _| match req.path.as_str() {
        "/robots.txt" => Reply::status(503),
        "/feed" => Reply::ok("text/xml", rss(&[("1", None, DATE, Some(story(1)))])),
        _ => Reply::status(404),
    });
    let dir = tempfile::tempdir().unwrap();
    let mut w = watcher(
        &dir.path().join("w.db"),
        vec![source("f", server.url("/feed"), SourceKind::Feed)],
        options(),
    );
    let report = w.poll_all().unwrap().remove(0);
    assert_eq!(
        server.hits("/feed"),
        0,
        "nothing is fetched while robots.txt is unreadable"
    );
    let error = report.error.unwrap_or_default();
    assert!(
        error.contains("robots.txt could not be read") && error.contains("503"),
        "{error}"
    );
}

#[test]
fn a_watcher_killed_between_storing_and_recording_neither_loses_nor_repeats() {
    let items = || {
        rss(&[
            ("1", None, DATE, Some(story(1))),
            ("2", None, DATE, Some(story(2))),
        ])
    };
    let polls = Arc::new(AtomicUsize::new(0));
    let seen = Arc::clone(&polls);
    let server = Server::start(move |req, _| match req.path.as_str() {
        "/feed" => {
            seen.fetch_add(1, Ordering::SeqCst);
            Reply::ok("text/xml", items())
        }
        _ => Reply::status(404),
    });
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("w.db");
    let feed = source("f", server.url("/feed"), SourceKind::Feed);
    let killed = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
        let mut w = Watcher::new(
            vec![feed.clone()],
            Fetcher::new(options()),
            Store::open(&db).unwrap(),
            StoreSink {
                die_after_storing: true,
            },
        )
        .unwrap();
        w.poll_all()
    }));
    assert!(killed.is_err());
    let mut w = watcher(&db, vec![feed], options());
    assert_eq!(
        count(w.store()),
        2,
        "the articles stored before the crash are kept"
    );
    let report: PollReport = w.poll_all().unwrap().remove(0);
    assert_eq!(
        (report.new, report.ingested, report.duplicates),
        (2, 0, 2),
        "{report:?}"
    );
    assert_eq!(count(w.store()), 2);
    let third = w.poll_all().unwrap().remove(0);
    assert_eq!(third.new, 0, "recorded now");
    assert_eq!(polls.load(Ordering::SeqCst), 3);
}

#[test]
fn a_news_sitemap_is_followed_through_its_index() {
    let server = Server::start(|req, _| {
        let base = format!("http://{}", req.headers.get("host").cloned().unwrap_or_default());
        match req.path.as_str() {
            "/sitemap.xml" => Reply::ok(
                "application/xml",
                format!("<sitemapindex><sitemap><loc>{base}/news.xml</loc></sitemap></sitemapindex>"),
            ),
            "/news.xml" => Reply::ok(
                "application/xml",
                format!(
                    "<urlset xmlns:news=\"http://www.google.com/schemas/sitemap-news/0.9\">\
                     <url><loc>{base}/p1</loc><news:news>\
                     <news:publication_date>2022-09-07T10:00:00Z</news:publication_date>\
                     <news:title>Albania</news:title></news:news></url>\
                     <url><loc>{base}/p2</loc></url></urlset>"
                ),
            ),
            "/p1" => Reply::ok("text/html", page("Albania", &story(1))),
            "/p2" => Reply::ok("text/html", page("Iran", &story(2))),
            _ => Reply::status(404),
        }
    });
    let dir = tempfile::tempdir().unwrap();
    let mut w = watcher(
        &dir.path().join("w.db"),
        vec![source("s", server.url("/sitemap.xml"), SourceKind::Sitemap)],
        options(),
    );
    let report = w.poll_all().unwrap().remove(0);
    assert_eq!((report.listed, report.ingested), (2, 2), "{report:?}");
    let articles = stored(w.store());
    let p1 = articles
        .iter()
        .find(|a| a.url.as_deref() == Some(&*server.url("/p1")))
        .unwrap();
    assert_eq!(p1.published.as_deref().map(|p| &p[..10]), Some("2022-09-07"));
    assert_eq!(w.poll_all().unwrap()[0].new, 0);
}
