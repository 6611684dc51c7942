//! `cargo bench -p rasad --bench ingest`: `rasad ingest` on SaudiNewsNet (issue 18's measures).
//!
//! The corpus's records are written as JSON Lines (as they are: source, url, date_extracted, title,
//! author, content) to a temporary folder, then the release `rasad` binary ingests them:
//! 1. all records into a new store, on every core: wall time and stored articles per second;
//! 2. the same file again into that store: the re-ingest's wall time (every article a duplicate);
//! 3. all records into a new store on one core (`taskset -c 0`, the storing thread included), when
//!    `taskset` is there: the second core's gain;
//! 4. the first 5,000 records into a new store, and the peak process memory (RssAnon, sampled from
//!    /proc every 100 ms) of runs 1 and 4: memory should not grow with the input.
//!
//! `RASAD_INGEST_ARTICLES` limits the records of runs 1 to 3 (default: all 31,030). Reads the
//! corpus in place from `../shared/corpora/saudinewsnet` (or `RASAD_CORPORA`); without it, says so
//! and does nothing.

#![allow(clippy::expect_used)]

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

/// Records of the small run that memory is compared with.
const SMALL: usize = 5_000;

fn main() {
    let corpora = std::env::var_os("RASAD_CORPORA").map_or_else(
        || Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared/corpora"),
        PathBuf::from,
    );
    let dir = corpora.join("saudinewsnet");
    if !dir.is_dir() {
        println!("ingest bench: {} not found, nothing measured", dir.display());
        return;
    }
    let limit = std::env::var("RASAD_INGEST_ARTICLES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(usize::MAX);
    let work = std::env::temp_dir().join(format!("rasad-ingest-bench-{}", std::process::id()));
    std::fs::create_dir_all(&work).expect("a temporary folder");
    let all = work.join("all.jsonl");
    let small = work.join("small.jsonl");
    let records = write_records(&dir, limit, &all).expect("the corpus as JSON Lines");
    write_records(&dir, SMALL, &small).expect("the corpus as JSON Lines");
    println!("ingest bench: {records} SaudiNewsNet records, {}", work.display());

    let two = ingest(&work.join("two.db"), &all, false);
    let again = ingest(&work.join("two.db"), &all, false);
    let one = taskset_works().then(|| ingest(&work.join("one.db"), &all, true));
    let five = ingest(&work.join("small.db"), &small, false);

    println!("| run | wall | stored | articles/s | peak RssAnon |");
    println!("|---|---|---|---|---|");
    for (name, run) in [
        ("all records, every core", Some(&two)),
        ("re-ingest of the same file", Some(&again)),
        ("all records, one core", one.as_ref()),
        ("first 5,000 records, every core", Some(&five)),
    ] {
        if let Some(r) = run {
            println!(
                "| {name} | {:.2} s | {} | {:.0} | {} MB |",
                r.wall.as_secs_f64(),
                r.stored,
                r.stored as f64 / r.wall.as_secs_f64().max(1e-9),
                r.peak_anon_kb / 1024
            );
        }
    }
    println!(
        "re-ingest {:.1}x faster than the first ingest (target >= 10x)",
        two.wall.as_secs_f64() / again.wall.as_secs_f64().max(1e-9)
    );
    if let Some(one) = &one {
        println!(
            "second core's gain {:.2}x (target >= 1.8x)",
            one.wall.as_secs_f64() / two.wall.as_secs_f64().max(1e-9)
        );
    }
    println!(
        "peak RssAnon {} records vs {SMALL}: {:+.0}% (target within 20%)",
        records,
        (two.peak_anon_kb as f64 / five.peak_anon_kb.max(1) as f64 - 1.0) * 100.0
    );
    let _ = std::fs::remove_dir_all(&work);
}

/// Writes the first `limit` records of the corpus's day files, one JSON object a line; returns how
/// many.
fn write_records(dir: &Path, limit: usize, out: &Path) -> std::io::Result<usize> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(dir)?
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|e| e == "json"))
        .collect();
    files.sort();
    let mut w = std::io::BufWriter::new(std::fs::File::create(out)?);
    let mut n = 0;
    for file in files {
        let items: Vec<serde_json::Value> =
            serde_json::from_slice(&std::fs::read(&file)?).map_err(std::io::Error::other)?;
        for item in items {
            if n >= limit {
                return Ok(n);
            }
            writeln!(w, "{item}")?;
            n += 1;
        }
    }
    w.flush()?;
    Ok(n)
}

struct Run {
    wall: Duration,
    stored: u64,
    peak_anon_kb: u64,
}

fn taskset_works() -> bool {
    Command::new("taskset")
        .args(["-c", "0", "true"])
        .status()
        .is_ok_and(|s| s.success())
}

/// One `rasad ingest --format json`, timed, its peak RssAnon sampled.
fn ingest(db: &Path, input: &Path, one_core: bool) -> Run {
    let rasad = env!("CARGO_BIN_EXE_rasad");
    let mut command = if one_core {
        let mut c = Command::new("taskset");
        c.args(["-c", "0", rasad]);
        c
    } else {
        Command::new(rasad)
    };
    command
        .args(["--format", "json", "-q", "--db"])
        .arg(db)
        .arg("ingest")
        .arg(input)
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::null());
    let started = Instant::now();
    let mut child = command.spawn().expect("rasad runs");
    let mut peak = 0;
    while child.try_wait().ok().flatten().is_none() {
        peak = peak.max(rss_anon_kb(child.id()).unwrap_or(0));
        std::thread::sleep(Duration::from_millis(100));
    }
    let wall = started.elapsed();
    let out = child.wait_with_output().expect("rasad's summary");
    let summary: serde_json::Value = String::from_utf8_lossy(&out.stdout)
        .lines()
        .last()
        .and_then(|l| serde_json::from_str(l).ok())
        .unwrap_or_default();
    Run {
        wall,
        stored: summary
            .get("ingested")
            .and_then(serde_json::Value::as_u64)
            .unwrap_or(0),
        peak_anon_kb: peak,
    }
}

/// The process's anonymous resident memory, from /proc (the `rasad` process itself: under
/// `taskset` the pid is taskset's until it execs, which it does at once).
fn rss_anon_kb(pid: u32) -> Option<u64> {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).ok()?;
    status
        .lines()
        .find_map(|l| l.strip_prefix("RssAnon:"))
        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
}
