//! `rasad watch` as a user runs it, against a feed on loopback: `--once`, `rasad sources`, and a
//! watcher killed with SIGKILL in the middle of a poll and started again, which must lose and
//! duplicate nothing.

#![allow(
    clippy::unwrap_used,
    clippy::indexing_slicing,
    clippy::cast_possible_truncation
)]

use std::io::{BufRead, BufReader, Write};
use std::net::TcpListener;
use std::path::Path;
use std::process::{Command, Output, Stdio};
use std::time::Duration;

const ITEMS: usize = 24;

/// A feed of `ITEMS` items whose pages answer after `delay` each.
fn start_site(delay: Duration) -> String {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let base = format!("http://{}", listener.local_addr().unwrap());
    let site = base.clone();
    std::thread::spawn(move || {
        for stream in listener.incoming() {
            let Ok(stream) = stream else { continue };
            let site = site.clone();
            std::thread::spawn(move || {
                let mut reader = BufReader::new(stream.try_clone().unwrap());
                let mut line = String::new();
                let _ = reader.read_line(&mut line);
                let path = line.split_whitespace().nth(1).unwrap_or("/").to_string();
                loop {
                    let mut h = String::new();
                    if reader.read_line(&mut h).unwrap_or(0) == 0 || h == "\r\n" {
                        break;
                    }
                }
                let (status, body) = if path == "/feed" {
                    let items: String = (1..=ITEMS)
                        .map(|i| {
                            format!(
                                "<item><guid>item-{i}</guid><title>Item {i}</title><link>{site}/p/{i}</link>\
                                 <pubDate>Wed, 07 Sep 2022 10:00:00 GMT</pubDate></item>"
                            )
                        })
                        .collect();
                    (
                        200,
                        format!("<rss version=\"2.0\"><channel><title>t</title>{items}</channel></rss>"),
                    )
                } else if let Some(n) = path.strip_prefix("/p/") {
                    std::thread::sleep(delay);
                    (
                        200,
                        format!(
                            "<html><head><title>Item {n}</title></head><body><article><h1>Item {n}</h1>\
                             <p>Report number {n}: Albania cut diplomatic ties with Iran over the July \
                             cyberattack on its government services, and NATO condemned the attack.</p>\
                             <p>Iran's foreign ministry called the accusation baseless, report {n} said.</p>\
                             </article></body></html>"
                        ),
                    )
                } else {
                    (404, String::new())
                };
                let mut out = stream;
                let _ = write!(
                    out,
                    "HTTP/1.1 {status} X\r\nConnection: close\r\nContent-Type: text/html; charset=utf-8\r\n\
                     Content-Length: {}\r\n\r\n{body}",
                    body.len()
                );
            });
        }
    });
    base
}

fn sources_file(dir: &Path, base: &str) -> std::path::PathBuf {
    let path = dir.join("sources.toml");
    std::fs::write(
        &path,
        format!("[defaults]\nhost_delay = \"0s\"\n\n[[source]]\nname = \"site\"\nurl = \"{base}/feed\"\npages = \"always\"\n"),
    )
    .unwrap();
    path
}

fn rasad(db: &Path) -> Command {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_rasad"));
    cmd.arg("--db").arg(db).env_remove("RASAD_DB");
    cmd
}

/// `rasad watch SOURCES --once` on `db`.
fn watch_once(db: &Path, sources: &Path) -> Output {
    rasad(db)
        .arg("watch")
        .arg(sources)
        .arg("--once")
        .output()
        .unwrap()
}

fn stored(db: &Path) -> usize {
    let out = rasad(db).args(["articles", "--limit", "1000"]).output().unwrap();
    String::from_utf8_lossy(&out.stdout).lines().count()
}

#[test]
fn watch_once_ingests_a_feed_and_sources_shows_its_state() {
    let base = start_site(Duration::ZERO);
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("w.db");
    let sources = sources_file(dir.path(), &base);
    let out = watch_once(&db, &sources);
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "{text}{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(
        text.contains(&format!("site: {ITEMS} items, {ITEMS} new: ingested {ITEMS}")),
        "{text}"
    );
    assert_eq!(stored(&db), ITEMS);
    let again = watch_once(&db, &sources);
    assert!(String::from_utf8_lossy(&again.stdout).contains("0 new"));
    let state = rasad(&db).args(["sources", "--format", "json"]).output().unwrap();
    let state: serde_json::Value = serde_json::from_slice(&state.stdout).unwrap();
    assert_eq!(state["polls"], 2);
    assert_eq!(state["items_ingested"], ITEMS);
    assert_eq!(state["last_error"], serde_json::Value::Null);
}

#[test]
fn a_bad_sources_file_is_refused_with_its_reason() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("bad.toml");
    std::fs::write(&path, "[[source]]\nurl = \"ftp://x/feed\"\n").unwrap();
    let out = watch_once(&dir.path().join("w.db"), &path);
    assert!(!out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("bad.toml"), "{err}");
}

#[cfg(unix)]
#[test]
fn a_watcher_killed_with_sigkill_loses_and_duplicates_nothing() {
    // Each page takes 80 ms: the kill lands in the middle of the poll.
    let base = start_site(Duration::from_millis(80));
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("w.db");
    let sources = sources_file(dir.path(), &base);
    for kill_after in [700, 1500] {
        let mut child = rasad(&db)
            .arg("watch")
            .arg(&sources)
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        std::thread::sleep(Duration::from_millis(kill_after));
        child.kill().unwrap(); // SIGKILL
        child.wait().unwrap();
    }
    let before = stored(&db);
    println!("stored before the restart: {before} of {ITEMS}");
    let out = watch_once(&db, &sources);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    assert_eq!(
        stored(&db),
        ITEMS,
        "every item stored once: none lost, none twice"
    );
    let again = watch_once(&db, &sources);
    assert!(
        String::from_utf8_lossy(&again.stdout).contains("0 new"),
        "every item recorded as taken"
    );
    let integrity = rasad(&db).args(["articles", "--limit", "1000"]).output().unwrap();
    let mut titles: Vec<String> = String::from_utf8_lossy(&integrity.stdout)
        .lines()
        .filter_map(|l| {
            l.split("Item ")
                .nth(1)
                .map(|t| t.split_whitespace().next().unwrap_or("").to_string())
        })
        .collect();
    titles.sort();
    titles.dedup();
    assert_eq!(titles.len(), ITEMS);
}
