//! The API against a real server on loopback, over the examples.

use std::io::{Read, Write};
use std::net::{SocketAddr, TcpStream};
use std::path::Path;

use serde_json::Value;

use super::*;

/// A running server over a fresh store holding the examples; stops when dropped.
struct Running {
    addr: SocketAddr,
    _dir: tempfile::TempDir,
    stop: Option<tokio::sync::oneshot::Sender<()>>,
    thread: Option<std::thread::JoinHandle<()>>,
}

impl Drop for Running {
    fn drop(&mut self) {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
        if let Some(t) = self.thread.take() {
            let _ = t.join();
        }
    }
}

fn examples() -> std::path::PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../examples")
}

/// Reads, analyses, stores and indexes the examples through the library.
fn ingest_examples(library: &Library) -> IngestReport {
    let docs = rasad_ingest::Documents::new(
        &[rasad_ingest::Input::parse(examples().to_str().unwrap())],
        rasad_ingest::ReadOptions::default(),
    );
    library
        .ingest(docs.map(|d| d.map_err(|e| e.to_string())).collect())
        .unwrap()
}

fn start(config: Config) -> Running {
    start_with(config, |_| {})
}

/// Like [`start`], with `prepare` run on the library before the server binds.
fn start_with(config: Config, prepare: impl FnOnce(&Library)) -> Running {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("rasad.db");
    let library = Library::open(&db).unwrap();
    let report = ingest_examples(&library);
    assert_eq!(report.inserted, 4, "{report:?}");
    prepare(&library);
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .unwrap();
    let server = runtime.block_on(Server::bind(config, Arc::new(library))).unwrap();
    let addr = server.local_addr().unwrap();
    let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
    let thread = std::thread::spawn(move || {
        runtime
            .block_on(server.run(async {
                let _ = stopped.await;
            }))
            .unwrap();
    });
    Running {
        addr,
        _dir: dir,
        stop: Some(stop),
        thread: Some(thread),
    }
}

fn loopback() -> Config {
    Config {
        addr: SocketAddr::from(([127, 0, 0, 1], 0)),
        ..Config::default()
    }
}

/// What came back: status, lower-cased headers, body.
struct Reply {
    status: u16,
    headers: Vec<(String, String)>,
    body: Vec<u8>,
}

impl Reply {
    fn json(&self) -> Value {
        serde_json::from_slice(&self.body)
            .unwrap_or_else(|e| panic!("not JSON ({e}): {}", String::from_utf8_lossy(&self.body)))
    }
    fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.as_str())
    }
}

/// A request as a browser or client would send it; a POST without a content type is sent as JSON.
fn request(addr: SocketAddr, method: &str, path: &str, headers: &[(&str, &str)], body: &[u8]) -> Reply {
    let mut head = format!(
        "{method} {path} HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\nContent-Length: {}\r\n",
        body.len()
    );
    for (n, v) in headers {
        head.push_str(&format!("{n}: {v}\r\n"));
    }
    if method == "POST"
        && !headers
            .iter()
            .any(|(n, _)| n.eq_ignore_ascii_case("content-type"))
    {
        head.push_str("Content-Type: application/json\r\n");
    }
    head.push_str("\r\n");
    raw(addr, &head, body)
}

/// Sends a request head exactly as given, then the body.
fn raw(addr: SocketAddr, head: &str, body: &[u8]) -> Reply {
    let mut stream = TcpStream::connect(addr).unwrap();
    stream.write_all(head.as_bytes()).unwrap();
    // A server may answer before reading a body it refuses; a failed write is then fine.
    let _ = stream.write_all(body);
    let mut raw = Vec::new();
    stream.read_to_end(&mut raw).unwrap();
    let split = raw.windows(4).position(|w| w == b"\r\n\r\n").unwrap();
    let head = String::from_utf8_lossy(raw.get(..split).unwrap()).to_string();
    let mut lines = head.lines();
    let status = lines
        .next()
        .and_then(|l| l.split(' ').nth(1))
        .and_then(|s| s.parse().ok())
        .unwrap();
    let headers = lines
        .filter_map(|l| l.split_once(':'))
        .map(|(n, v)| (n.trim().to_lowercase(), v.trim().to_string()))
        .collect();
    Reply {
        status,
        headers,
        body: raw.get(split + 4..).unwrap().to_vec(),
    }
}

fn get(addr: SocketAddr, path: &str) -> Reply {
    request(addr, "GET", path, &[], b"")
}

fn albania_story(addr: SocketAddr) -> Value {
    let list = get(addr, "/api/stories").json();
    let items = list["items"].as_array().unwrap();
    let story = items
        .iter()
        .find(|s| s["articles"].as_array().unwrap().len() == 3)
        .unwrap_or_else(|| panic!("no three-article story: {list}"));
    get(addr, &format!("/api/stories/{}", story["id"].as_str().unwrap())).json()
}

#[test]
fn the_albania_story_has_its_incident_record_timeline_and_three_languages() {
    let server = start(loopback());
    let health = get(server.addr, "/api/health").json();
    assert_eq!(health["articles"], 4);
    assert_eq!(health["indexed"], 4);
    assert_eq!(health["stories"], 2);
    let story = albania_story(server.addr);
    let langs: Vec<&str> = story["languages"]
        .as_array()
        .unwrap()
        .iter()
        .map(|l| l.as_str().unwrap())
        .collect();
    for lang in ["ar", "fa", "en"] {
        assert!(langs.contains(&lang), "{langs:?}");
    }
    let attributions = story["attributions"].as_array().unwrap();
    assert!(
        attributions
            .iter()
            .any(|a| a["attributing_actor"] == "country:ALB"
                && a["accused_actor"] == "country:IRN"
                && a["stance"] == "disputed")
    );
    assert!(attributions.iter().any(|a| a["attributing_actor"] == "vendor:mandiant"
        && a["basis"].as_array().unwrap().len() == 3));
    assert!(!story["denials"].as_array().unwrap().is_empty());
    assert!(
        story["responses"]
            .as_array()
            .unwrap()
            .iter()
            .any(|r| r["type"] == "diplomatic_rupture")
    );
    assert!(!story["timeline"].as_array().unwrap().is_empty());
    assert_eq!(story["labels"]["country:IRN"], "Iran");
    // Every piece of evidence is a span of its article's text.
    for fact in attributions {
        for e in fact["evidence"].as_array().unwrap() {
            let article = get(
                server.addr,
                &format!("/api/articles/{}", e["article"].as_str().unwrap()),
            )
            .json();
            let text = article["text"].as_str().unwrap();
            let (start, end) = (
                e["start"].as_u64().unwrap() as usize,
                e["end"].as_u64().unwrap() as usize,
            );
            assert!(text.get(start..end).is_some_and(|s| !s.is_empty()));
        }
    }
}

#[test]
fn articles_entities_and_search() {
    let server = start(loopback());
    let list = get(server.addr, "/api/articles?limit=2").json();
    assert_eq!(list["total"], 4);
    assert_eq!(list["items"].as_array().unwrap().len(), 2);
    let id = list["items"][0]["id"].as_str().unwrap().to_string();
    let article = get(server.addr, &format!("/api/articles/{}", id.get(..10).unwrap())).json();
    assert_eq!(article["id"], id.as_str());
    assert!(article["story"].is_string());
    assert!(article["events"].is_array());

    let mek = get(server.addr, "/api/entities/group:mek").json();
    assert_eq!(mek["entity"]["id"], "group:mek");
    let names: Vec<&str> = mek["names"]
        .as_array()
        .unwrap()
        .iter()
        .map(|n| n["name"].as_str().unwrap())
        .collect();
    assert!(names.iter().any(|n| n.contains("منافقین")), "{names:?}");
    assert!(!mek["stories"].as_array().unwrap().is_empty());
    assert!(
        !get(server.addr, "/api/entities?kind=country").json()["items"]
            .as_array()
            .unwrap()
            .is_empty()
    );

    // Arabic yeh in the query, Persian yeh in the text; the hit names its story.
    let hits = get(
        server.addr,
        "/api/search?q=%D9%85%D9%86%D8%A7%D9%81%D9%82%D9%8A%D9%86",
    )
    .json();
    assert_eq!(hits["total"], 1, "{hits}");
    assert!(hits["items"][0]["story"].is_string());
    assert!(
        !hits["items"][0]["snippet"]["highlights"]
            .as_array()
            .unwrap()
            .is_empty()
    );
    let en = get(
        server.addr,
        "/api/search?q=attacks&lang=en&from=2022-09-01&to=2022-09-30",
    )
    .json();
    assert_eq!(en["total"], 1, "{en}");
    let none = get(server.addr, "/api/search?q=attacks&lang=en&to=2022-01-01").json();
    assert_eq!(none["total"], 0);
}

#[test]
fn the_albania_incident_joins_its_three_languages_with_the_attribution_timeline() {
    let server = start(loopback());
    let health = get(server.addr, "/api/health").json();
    assert!(health["incidents"].as_u64().unwrap() >= 1, "{health}");
    let list = get(server.addr, "/api/incidents?country=ALB").json();
    assert_eq!(list["total"], 1, "{list}");
    let row = &list["items"][0];
    for lang in ["ar", "fa", "en"] {
        assert!(
            row["languages"].as_array().unwrap().iter().any(|l| l == lang),
            "{row}"
        );
    }
    let none = get(server.addr, "/api/incidents?country=ALB&year=2015").json();
    assert_eq!(none["total"], 0);
    let accused = get(
        server.addr,
        "/api/incidents?accused=country:IRN&type=disruption&lang=fa",
    )
    .json();
    assert_eq!(accused["total"], 1, "{accused}");
    let id = row["id"].as_str().unwrap();
    let record = get(server.addr, &format!("/api/incidents/{id}")).json();
    assert_eq!(record["id"], id);
    let attributions = record["attributions"].as_array().unwrap();
    let blamed = attributions
        .iter()
        .find(|a| a["attributing_actor"] == "country:ALB" && a["accused_actor"] == "country:IRN")
        .unwrap_or_else(|| panic!("{record}"));
    assert!(!blamed["first_reported"].is_null());
    assert!(!blamed["contested_by"].as_array().unwrap().is_empty(), "{blamed}");
    assert!(
        record["victims"]
            .as_array()
            .unwrap()
            .iter()
            .any(|v| v["id"] == "country:ALB")
    );
    // Each article names the story it is in; the article answer names its incident.
    let first = &record["article_list"][0];
    assert!(first["story"].is_string(), "{first}");
    let article = get(
        server.addr,
        &format!("/api/articles/{}", first["id"].as_str().unwrap()),
    )
    .json();
    assert_eq!(article["incident"], id);
    // Every piece of evidence is a span of its article's text.
    for fact in attributions {
        for ev in fact["evidence"].as_array().unwrap() {
            let a = get(
                server.addr,
                &format!("/api/articles/{}", ev["article"].as_str().unwrap()),
            )
            .json();
            let text = a["text"].as_str().unwrap();
            let (start, end) = (
                ev["start"].as_u64().unwrap() as usize,
                ev["end"].as_u64().unwrap() as usize,
            );
            assert!(text.get(start..end).is_some_and(|t| !t.is_empty()), "{ev}");
        }
    }
}

#[test]
fn errors_are_json_with_clear_messages() {
    let server = start(loopback());
    for (path, status, code) in [
        ("/api/stories/s000000000000", 404, "not_found"),
        ("/api/articles/ffffffff", 404, "not_found"),
        ("/api/entities/country:XXX", 404, "not_found"),
        ("/api/nothing", 404, "not_found"),
        ("/api/stories?limit=many", 400, "bad_request"),
        ("/api/incidents/inc-000000000000", 404, "not_found"),
        ("/api/incidents?year=99999", 400, "bad_request"),
        ("/api/incidents?offset=100001", 400, "bad_request"),
        ("/api/search?q=x&from=2022-13-45", 400, "bad_request"),
    ] {
        let reply = get(server.addr, path);
        assert_eq!(reply.status, status, "{path}");
        let body = reply.json();
        assert_eq!(body["error"]["code"], code, "{path}: {body}");
        assert!(!body["error"]["message"].as_str().unwrap().is_empty());
        assert!(
            reply
                .header("content-type")
                .unwrap()
                .starts_with("application/json")
        );
    }
    let words = "word ".repeat(80);
    let reply = get(server.addr, &format!("/api/search?q={}", words.replace(' ', "+")));
    assert_eq!(reply.status, 400);
}

#[test]
fn ingest_stores_reports_and_is_idempotent() {
    let server = start(loopback());
    let body = serde_json::json!([
        {"title": "Iran denies hacking Albania", "text": "Iran's foreign ministry spokesman Nasser Kanaani rejected the accusations that Tehran was behind the cyberattack on Albania.", "published": "2022-09-08", "outlet": "example.org"},
        {"title": "nothing to read"},
    ]);
    let bytes = body.to_string().into_bytes();
    let reply = request(
        server.addr,
        "POST",
        "/api/ingest",
        &[("content-type", "application/json")],
        &bytes,
    );
    assert_eq!(reply.status, 201, "{}", String::from_utf8_lossy(&reply.body));
    let report = reply.json();
    assert_eq!(report["inserted"], 1);
    assert_eq!(report["errors"], 1);
    assert_eq!(report["items"][1]["status"], "error");
    assert!(report["items"][0]["story"].is_string());
    // Stored, indexed and placed at once.
    assert_eq!(get(server.addr, "/api/health").json()["indexed"], 5);
    let hits = get(server.addr, "/api/search?q=Kanaani&outlet=example.org").json();
    assert_eq!(hits["total"], 1);
    let again = request(server.addr, "POST", "/api/ingest", &[], &bytes);
    assert_eq!(again.status, 200);
    assert_eq!(again.json()["duplicates"], 1);
    let bad = request(server.addr, "POST", "/api/ingest", &[], b"[{\"text\": ");
    assert_eq!(bad.status, 400);
    assert_eq!(bad.json()["error"]["code"], "bad_request");
}

#[test]
fn hostile_html_in_an_article_comes_back_as_text_and_pages_forbid_inline_script() {
    let server = start(loopback());
    let hostile = "<p>Hackers <img src=x onerror=\"document.title='pwned'\"> struck <script>alert(1)</script> Albania's \
                   government servers, officials said.</p>";
    let body =
        serde_json::json!([{"title": "<b onmouseover=alert(2)>Title</b>", "text": hostile}]).to_string();
    let report = request(server.addr, "POST", "/api/ingest", &[], body.as_bytes()).json();
    let id = report["items"][0]["id"].as_str().unwrap().to_string();
    let article = get(server.addr, &format!("/api/articles/{id}")).json();
    // The API hands the text over as a JSON string; the UI renders it with textContent.
    assert!(article["text"].as_str().unwrap().contains("onerror"));
    let ui = get(server.addr, "/");
    assert_eq!(ui.status, 200);
    let csp = ui.header("content-security-policy").unwrap();
    assert!(
        csp.contains("script-src 'self'") && !csp.contains("unsafe-inline"),
        "{csp}"
    );
    assert_eq!(ui.header("x-content-type-options"), Some("nosniff"));
    let js = get(server.addr, "/ui/app.js");
    let js = String::from_utf8(js.body).unwrap();
    for sink in [
        "innerHTML =",
        "outerHTML",
        "insertAdjacentHTML",
        "document.write",
        "eval(",
    ] {
        assert!(!js.contains(sink), "app.js uses {sink}");
    }
}

#[test]
fn the_body_limit_and_the_token_are_enforced() {
    let small = start(Config {
        max_body: 1024,
        ..loopback()
    });
    let big = format!("[{{\"text\": \"{}\"}}]", "x".repeat(4096));
    let reply = request(small.addr, "POST", "/api/ingest", &[], big.as_bytes());
    assert_eq!(reply.status, 413);
    assert_eq!(reply.json()["error"]["code"], "payload_too_large");

    let guarded = start(Config {
        token: Some("s3cret".into()),
        ..loopback()
    });
    let body = br#"[{"text": "Albania expelled Iranian diplomats after the cyberattack."}]"#;
    let refused = request(guarded.addr, "POST", "/api/ingest", &[], body);
    assert_eq!(refused.status, 401);
    assert_eq!(refused.json()["error"]["code"], "unauthorized");
    let wrong = request(
        guarded.addr,
        "POST",
        "/api/ingest",
        &[("authorization", "Bearer nope")],
        body,
    );
    assert_eq!(wrong.status, 401);
    let ok = request(
        guarded.addr,
        "POST",
        "/api/ingest",
        &[("authorization", "Bearer s3cret")],
        body,
    );
    assert_eq!(ok.status, 201);
    // Reading needs no token.
    assert_eq!(get(guarded.addr, "/api/stories").status, 200);
}

#[test]
fn a_public_address_needs_a_token() {
    let dir = tempfile::tempdir().unwrap();
    let library = Arc::new(Library::open(&dir.path().join("r.db")).unwrap());
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    let config = Config {
        addr: SocketAddr::from(([0, 0, 0, 0], 0)),
        ..Config::default()
    };
    let err = runtime.block_on(Server::bind(config, library)).unwrap_err();
    assert!(matches!(err, ServeError::TokenRequired(_)), "{err}");
}

#[test]
fn the_openapi_document_covers_every_route() {
    let server = start(loopback());
    let served = get(server.addr, "/api/openapi.json").json();
    let kept: Value = serde_json::from_str(OPENAPI).unwrap();
    assert_eq!(served, kept);
    let paths = kept["paths"].as_object().unwrap();
    for route in [
        "/api/health",
        "/api/stories",
        "/api/stories/{id}",
        "/api/incidents",
        "/api/incidents/{id}",
        "/api/articles",
        "/api/articles/{id}",
        "/api/entities",
        "/api/entities/{id}",
        "/api/search",
        "/api/sources",
        "/api/ingest",
        "/api/export",
        "/api/openapi.json",
    ] {
        assert!(paths.contains_key(route), "{route} is not documented");
    }
    assert_eq!(paths.len(), 14, "a documented path is not routed");
}

#[test]
fn sources_shows_each_watched_source_with_its_polls_and_last_error() {
    let empty = start(loopback());
    let none = get(empty.addr, "/api/sources").json();
    assert_eq!(none["total"], 0);
    drop(empty);
    let server = start_with(loopback(), |library| {
        let mut store = library.store();
        store
            .register_watch_source("irna", "https://en.irna.ir/rss", "feed")
            .unwrap();
        store
            .register_watch_source("broken", "https://example.org/feed", "feed")
            .unwrap();
        let ok = rasad_store::PollRecord {
            at: "2026-12-04T10:00:00Z".into(),
            items_seen: 5,
            items_ingested: 4,
            ..rasad_store::PollRecord::default()
        };
        store.record_poll("irna", &ok).unwrap();
        let failed = rasad_store::PollRecord {
            at: "2026-12-04T10:00:00Z".into(),
            error: Some("HTTP 503".into()),
            ..rasad_store::PollRecord::default()
        };
        store.record_poll("broken", &failed).unwrap();
    });
    let list = get(server.addr, "/api/sources").json();
    assert_eq!(list["total"], 2);
    let by_name = |name: &str| {
        list["items"]
            .as_array()
            .unwrap()
            .iter()
            .find(|s| s["name"] == name)
            .cloned()
            .unwrap()
    };
    let irna = by_name("irna");
    assert_eq!(irna["polls"], 1);
    assert_eq!(irna["items_ingested"], 4);
    assert_eq!(irna["last_success"], "2026-12-04T10:00:00Z");
    let broken = by_name("broken");
    assert_eq!(broken["last_error"], "HTTP 503");
    assert_eq!(broken["consecutive_errors"], 1);
    assert_eq!(broken["last_success"], Value::Null);
}

#[test]
fn stale_views_writes_by_another_process_are_searchable_and_placed_after_catch_up() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("rasad.db");
    let library = Library::open(&db).unwrap();
    ingest_examples(&library);
    assert!(!library.catch_up().unwrap(), "its own writes are no change");
    let stories_before = library.stories().len();
    // Another process (as `rasad ingest` does): its own store connection, and the index written
    // by it or not at all.
    let pipeline = rasad_pipeline::Pipeline::standard(rasad_pipeline::Options::default());
    let raw = |text: &str| rasad_ingest::RawDocument {
        source: "other.txt".into(),
        format: rasad_model::SourceFormat::Text,
        original: text.as_bytes().to_vec(),
        body: text.into(),
        meta: rasad_ingest::Metadata {
            published: Some("2016-12-01".into()),
            ..rasad_ingest::Metadata::default()
        },
    };
    let other = pipeline.analyze(raw(
        "Shamoon returns\nHackers attacked the computers of Saudi Arabia's General Authority of Civil Aviation with the Shamoon wiper, officials said on Thursday.",
    ));
    let mut store = rasad_store::Store::open(&db).unwrap();
    store.insert_batch(std::slice::from_ref(&other)).unwrap();
    drop(store);
    let q = rasad_search::SearchQuery {
        text: "Shamoon".into(),
        ..rasad_search::SearchQuery::default()
    };
    assert_eq!(library.index().search(&q).unwrap().total, 0);
    assert!(library.catch_up().unwrap());
    assert_eq!(library.index().search(&q).unwrap().total, 1);
    assert_eq!(library.index().len(), 5);
    assert!(library.stories().len() > stories_before);
    assert!(
        library
            .incidents()
            .incident_of(other.article.id.as_str())
            .is_some()
    );
    assert!(!library.catch_up().unwrap(), "nothing new the second time");
}

#[test]
fn the_index_is_rebuilt_when_it_lags_the_store() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("rasad.db");
    ingest_examples(&Library::open(&db).unwrap());
    std::fs::remove_dir_all(index_dir_for(&db)).unwrap();
    let library = Library::open(&db).unwrap();
    assert_eq!(library.index().len(), 4);
    assert!(!library.sync_index().unwrap());
}

#[test]
fn a_huge_offset_is_a_400_not_a_crash() {
    let server = start(loopback());
    for path in [
        "/api/search?q=x&offset=10000000000",
        "/api/search?q=x&offset=18446744073709551615",
        "/api/articles?offset=18446744073709551615",
        "/api/stories?offset=100001",
        "/api/entities?offset=99999999999999999999999",
    ] {
        let reply = get(server.addr, path);
        assert_eq!(reply.status, 400, "{path}");
        assert_eq!(reply.json()["error"]["code"], "bad_request", "{path}");
    }
    // The deepest allowed page answers, empty.
    let deep = get(server.addr, "/api/search?q=x&offset=100000");
    assert_eq!(deep.status, 200);
    // And the server is still there.
    assert_eq!(get(server.addr, "/api/health").status, 200);
}

#[test]
fn foreign_hosts_origins_and_content_types_are_refused() {
    let server = start(loopback());
    let port = server.addr.port();
    // DNS rebinding: a foreign name pointing at 127.0.0.1.
    let rebound = raw(
        server.addr,
        &format!("GET /api/stories HTTP/1.1\r\nHost: evil.example:{port}\r\nConnection: close\r\n\r\n"),
        b"",
    );
    assert_eq!(rebound.status, 421);
    assert_eq!(rebound.json()["error"]["code"], "unknown_host");
    assert!(rebound.header("content-security-policy").is_some());
    let named = raw(
        server.addr,
        &format!("GET /api/health HTTP/1.1\r\nHost: localhost:{port}\r\nConnection: close\r\n\r\n"),
        b"",
    );
    assert_eq!(named.status, 200);

    let body = br#"[{"text": "Albania expelled Iranian diplomats after the cyberattack."}]"#;
    // CSRF: a form or a no-preflight fetch from a foreign page.
    let plain = request(
        server.addr,
        "POST",
        "/api/ingest",
        &[("content-type", "text/plain")],
        body,
    );
    assert_eq!(plain.status, 415);
    assert_eq!(plain.json()["error"]["code"], "unsupported_media_type");
    let foreign = request(
        server.addr,
        "POST",
        "/api/ingest",
        &[("origin", "http://evil.example")],
        body,
    );
    assert_eq!(foreign.status, 403);
    assert_eq!(foreign.json()["error"]["code"], "foreign_origin");
    let own_origin = format!("http://127.0.0.1:{port}");
    let own = request(
        server.addr,
        "POST",
        "/api/ingest",
        &[("origin", own_origin.as_str())],
        body,
    );
    assert_eq!(own.status, 201);
    let lines = request(
        server.addr,
        "POST",
        "/api/ingest",
        &[("content-type", "application/x-ndjson; charset=utf-8")],
        b"{\"text\": \"NATO condemned the cyberattack on Albania.\"}\n",
    );
    assert_eq!(lines.status, 201);
}

#[test]
fn a_declared_length_over_the_limit_is_refused_up_front() {
    let server = start(Config {
        max_body: 1024,
        ..loopback()
    });
    // Claims a gigabyte and sends nothing: the answer must not wait for the body.
    let reply = raw(
        server.addr,
        &format!(
            "POST /api/ingest HTTP/1.1\r\nHost: {}\r\nConnection: close\r\nContent-Type: application/json\r\nContent-Length: 1000000000\r\n\r\n",
            server.addr
        ),
        b"",
    );
    assert_eq!(reply.status, 413);
    assert_eq!(reply.json()["error"]["code"], "payload_too_large");
}

#[test]
fn a_wrong_method_gets_a_json_405_with_the_security_headers() {
    let server = start(loopback());
    let reply = get(server.addr, "/api/ingest");
    assert_eq!(reply.status, 405);
    assert_eq!(reply.json()["error"]["code"], "method_not_allowed");
    assert!(reply.header("content-security-policy").is_some());
    assert_eq!(reply.header("x-content-type-options"), Some("nosniff"));
}

#[test]
fn host_names_are_read_without_ports() {
    assert_eq!(host_name("LocalHost:8484"), "localhost");
    assert_eq!(host_name("127.0.0.1"), "127.0.0.1");
    assert_eq!(host_name("[::1]:80"), "[::1]");
    assert_eq!(host_name("evil.example"), "evil.example");
    let loopback = App::hosts_for(SocketAddr::from(([127, 0, 0, 1], 0)), &[]).unwrap();
    assert!(loopback.contains(&"localhost".to_string()));
    assert!(App::hosts_for(SocketAddr::from(([0, 0, 0, 0], 0)), &[]).is_none());
    let named = App::hosts_for(SocketAddr::from(([0, 0, 0, 0], 0)), &["News.Example".into()]).unwrap();
    assert!(named.contains(&"news.example".to_string()));
}

#[test]
fn idle_and_slow_connections_cannot_lock_clients_out() {
    let server = start(Config {
        max_connections: 4,
        header_timeout: std::time::Duration::from_millis(800),
        ..loopback()
    });
    // Twice the cap of sockets that say nothing, and one that sends half a request head.
    let idle: Vec<TcpStream> = (0..8).map(|_| TcpStream::connect(server.addr).unwrap()).collect();
    let mut slow = TcpStream::connect(server.addr).unwrap();
    slow.write_all(b"GET /api/health HTTP/1.1\r\nHost: 127.0.0.1\r\n")
        .unwrap();
    // A real client is served once the silent ones have timed out.
    let started = std::time::Instant::now();
    let reply = get(server.addr, "/api/health");
    assert_eq!(reply.status, 200);
    assert!(started.elapsed() < std::time::Duration::from_secs(20));
    // The slow one was closed: reading finds the end of the stream (or a reset).
    slow.set_read_timeout(Some(std::time::Duration::from_secs(20)))
        .unwrap();
    let mut buf = Vec::new();
    let closed = match slow.read_to_end(&mut buf) {
        Ok(_) => true,
        Err(e) => e.kind() != std::io::ErrorKind::WouldBlock && e.kind() != std::io::ErrorKind::TimedOut,
    };
    assert!(closed, "a half-sent request head holds its connection");
    drop(idle);
}

#[test]
fn an_overlong_target_or_header_block_gets_a_json_error_with_the_security_headers() {
    let server = start(loopback());
    let long = format!("/api/search?q={}", "a".repeat(crate::MAX_URI));
    let reply = get(server.addr, &long);
    assert_eq!(reply.status, 414);
    assert_eq!(reply.json()["error"]["code"], "uri_too_long");
    assert!(reply.header("content-security-policy").is_some());
    let big = "b".repeat(crate::MAX_HEADERS);
    let reply = request(
        server.addr,
        "GET",
        "/api/health",
        &[("X-Filler", big.as_str())],
        b"",
    );
    assert_eq!(reply.status, 431);
    assert_eq!(reply.json()["error"]["code"], "headers_too_large");
    assert_eq!(reply.header("x-content-type-options"), Some("nosniff"));
}

#[test]
fn a_lazy_library_answers_at_once_and_its_warm_up_includes_articles_posted_meanwhile() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("rasad.db");
    ingest_examples(&Library::open(&db).unwrap());
    let library = Arc::new(Library::open_lazy(&db).unwrap());
    assert!(!library.is_ready());
    assert!(library.stories().is_empty());
    let body = rasad_ingest::RawDocument {
        source: "late.txt".into(),
        format: rasad_model::SourceFormat::Text,
        original: Vec::new(),
        body: "Hackers attacked the computers of Saudi Arabia's General Authority of Civil Aviation with the Shamoon wiper, officials said.".into(),
        meta: rasad_ingest::Metadata::default(),
    };
    let report = library.ingest(vec![Ok(body)]).unwrap();
    assert_eq!(report.inserted, 1);
    let late = report.items[0].id.clone().unwrap();
    let watcher = Library::watch(&library, std::time::Duration::from_millis(50));
    for _ in 0..400 {
        if library.is_ready() {
            break;
        }
        std::thread::sleep(std::time::Duration::from_millis(25));
    }
    assert!(library.is_ready());
    assert_eq!(
        library.stories().len(),
        3,
        "the two stories of the examples and the late article's"
    );
    assert!(library.stories().story_of(&late).is_some());
    assert!(library.incidents().incident_of(&late).is_some());
    drop(library);
    watcher.join().unwrap();
}

#[test]
fn on_a_large_store_a_post_answers_with_its_placement_and_the_watcher_publishes() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("rasad.db");
    ingest_examples(&Library::open(&db).unwrap());
    // Every store counts as large here.
    let library = Library::open(&db).unwrap().with_small_store(0);
    let stories_before = library.stories().len();
    let doc = rasad_ingest::RawDocument {
        source: "later.txt".into(),
        format: rasad_model::SourceFormat::Text,
        original: Vec::new(),
        body: "Hackers attacked the computers of Saudi Arabia's General Authority of Civil Aviation with the Shamoon wiper, officials said.".into(),
        meta: rasad_ingest::Metadata {
            published: Some("2030-01-01".into()),
            ..rasad_ingest::Metadata::default()
        },
    };
    let report = library.ingest(vec![Ok(doc)]).unwrap();
    let item = &report.items[0];
    let id = item.id.clone().unwrap();
    assert!(item.story.is_some(), "{item:?}");
    assert!(item.incident.is_some(), "{item:?}");
    // Not yet in the published tables; the watcher's step publishes them.
    assert_eq!(library.stories().len(), stories_before);
    assert!(library.stories().story_of(&id).is_none());
    library.publish_placed().unwrap();
    assert_eq!(
        library.stories().story_of(&id).map(|p| p.story.clone()),
        item.story
    );
    assert!(library.incidents().incident_of(&id).is_some());
}

/// A chunked body's bytes.
fn dechunk(reply: &Reply) -> Vec<u8> {
    if reply.header("transfer-encoding") != Some("chunked") {
        return reply.body.clone();
    }
    let (mut out, mut rest) = (Vec::new(), reply.body.as_slice());
    loop {
        let line = rest.windows(2).position(|w| w == b"\r\n").unwrap();
        let size = usize::from_str_radix(std::str::from_utf8(rest.get(..line).unwrap()).unwrap().trim(), 16)
            .unwrap();
        if size == 0 {
            return out;
        }
        out.extend_from_slice(rest.get(line + 2..line + 2 + size).unwrap());
        rest = rest.get(line + 4 + size..).unwrap();
    }
}

#[test]
fn exports_stream_a_stix_bundle_tables_and_json_lines() {
    let server = start(loopback());
    let reply = get(server.addr, "/api/export?format=stix");
    assert_eq!(reply.status, 200);
    assert_eq!(
        reply.header("content-type"),
        Some("application/stix+json;version=2.1")
    );
    assert!(
        reply
            .header("content-disposition")
            .unwrap()
            .contains("rasad-bundle.json")
    );
    assert_eq!(reply.header("x-content-type-options"), Some("nosniff"));
    let bundle: Value = serde_json::from_slice(&dechunk(&reply)).unwrap();
    let objects = bundle["objects"].as_array().unwrap();
    assert_eq!(objects.iter().filter(|o| o["type"] == "report").count(), 4);
    assert!(objects.iter().any(|o| o["type"] == "opinion"));
    // One language's articles only.
    let fa: Value =
        serde_json::from_slice(&dechunk(&get(server.addr, "/api/export?format=stix&lang=fa"))).unwrap();
    let fa_reports = fa["objects"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|o| o["type"] == "report")
        .count();
    assert_eq!(fa_reports, 1);
    // A Parquet table is a whole Parquet file.
    let pq = dechunk(&get(server.addr, "/api/export?format=parquet&table=attributions"));
    assert!(
        pq.starts_with(b"PAR1") && pq.ends_with(b"PAR1"),
        "{} bytes",
        pq.len()
    );
    let csv = String::from_utf8(dechunk(&get(server.addr, "/api/export?format=csv&table=quotes"))).unwrap();
    assert!(csv.starts_with("quote_id,article_id,"), "{csv}");
    // The incidents of the articles, one record per line.
    let lines = String::from_utf8(dechunk(&get(
        server.addr,
        "/api/export?format=jsonl&table=incidents",
    )))
    .unwrap();
    assert!(!lines.is_empty());
    for line in lines.lines() {
        let record: Value = serde_json::from_str(line).unwrap();
        assert!(record["id"].as_str().unwrap().starts_with("inc-"));
    }
    // Clear errors before anything is streamed.
    let bad = get(server.addr, "/api/export?format=xml");
    assert_eq!(bad.status, 400);
    assert!(bad.json()["error"]["message"].as_str().unwrap().contains("xml"));
    assert_eq!(get(server.addr, "/api/export?format=csv&table=nope").status, 400);
    assert_eq!(
        get(server.addr, "/api/export?format=stix&incident=inc-000000000000").status,
        404
    );
    assert_eq!(
        get(server.addr, "/api/export?format=stix&from=2022-13-45").status,
        400
    );
}
