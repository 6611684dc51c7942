//! End-to-end tests of the `rasad` binary: the analyze contract, idempotent ingest, bad input, exit
//! codes, and a store that survives a SIGKILL in the middle of an ingest.

#![allow(
    clippy::unwrap_used,
    clippy::indexing_slicing,
    clippy::cast_possible_truncation
)]

use std::fs;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use std::time::{Duration, Instant};

use serde_json::Value;

fn rasad(db: &Path) -> Command {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_rasad"));
    cmd.arg("--db").arg(db).env_remove("RASAD_DB");
    cmd
}

fn examples() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../examples")
}

fn stdout(output: &Output) -> String {
    String::from_utf8_lossy(&output.stdout).into_owned()
}

fn stderr(output: &Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
}

fn json_lines(output: &Output) -> Vec<Value> {
    stdout(output)
        .lines()
        .map(|l| serde_json::from_str(l).unwrap_or_else(|e| panic!("{e}: {l}")))
        .collect()
}

fn count(db: &Path) -> i64 {
    let conn = rusqlite::Connection::open(db).unwrap();
    conn.query_row("SELECT count(*) FROM articles", [], |r| r.get(0))
        .unwrap()
}

#[test]
fn analyze_prints_one_contract_object_per_seed() {
    let dir = tempfile::tempdir().unwrap();
    let mut paths: Vec<PathBuf> = fs::read_dir(examples())
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    paths.sort();
    let output = rasad(&dir.path().join("unused.db"))
        .arg("analyze")
        .arg("--format")
        .arg("json")
        .args(&paths)
        .output()
        .unwrap();
    assert!(output.status.success(), "{}", stderr(&output));
    let records = json_lines(&output);
    assert_eq!(records.len(), paths.len());
    for (record, path) in records.iter().zip(&paths) {
        assert_eq!(record["source"], path.to_string_lossy().as_ref());
        for field in ["dates", "entities", "quotes", "events", "incidents"] {
            assert!(record[field].is_array(), "{field} missing in {record}");
        }
        assert!(record["lang"].is_string());
        assert!(record["title"].is_string() || record["title"].is_null());
        assert!(
            record.get("published").is_some(),
            "published must be present, even when null"
        );
        let text = record["text"].as_str().unwrap();
        assert!(!text.is_empty());
        for p in record["paragraphs"].as_array().unwrap() {
            let (s, e) = (
                p["span"]["start"].as_u64().unwrap() as usize,
                p["span"]["end"].as_u64().unwrap() as usize,
            );
            assert!(
                text.get(s..e).is_some(),
                "paragraph span {s}..{e} is not inside the text"
            );
        }
    }
    let langs: Vec<&str> = records.iter().map(|r| r["lang"].as_str().unwrap()).collect();
    assert_eq!(langs, ["fa", "ar", "ar", "en"]);
    let titles: Vec<&Value> = records.iter().map(|r| &r["title"]).collect();
    assert!(
        titles[0]
            .as_str()
            .unwrap()
            .starts_with("سفارت جمهوری اسلامی ایران در بروکسل: ناتو")
    );
    assert_eq!(titles[1], "بعد الهجوم الإلكتروني الإيراني.. الناتو يدعم ألبانيا");
    assert!(
        titles[2].is_null(),
        "004 opens with its lead sentence and has no headline"
    );
    // Seed 000's date line (18 Shahrivar 1401, 20:00) is its publication date, and "yesterday
    // (Thursday)" resolves against it to Thursday 8 September 2022.
    assert_eq!(records[0]["published"], "2022-09-09T20:00");
    let dates = records[0]["dates"].as_array().unwrap();
    assert!(
        dates
            .iter()
            .any(|d| d["role"] == "published" && d["calendar"] == "persian")
    );
    assert!(
        dates
            .iter()
            .any(|d| d["text"] == "دیروز (پنجشنبه" && d["value"] == "2022-09-08")
    );
    // Nothing in seed 002 says when it was published: relative dates stay unresolved, with a note.
    assert!(records[1]["published"].is_null());
    let yesterday = records[1]["dates"]
        .as_array()
        .unwrap()
        .iter()
        .find(|d| d["text"] == "أمس الأربعاء")
        .unwrap();
    assert!(yesterday["value"].is_null() && yesterday["note"].is_string());
    // Page furniture never reaches the analysed text.
    assert!(!records[1]["text"].as_str().unwrap().contains("أرامكو"));
    assert!(
        !dir.path().join("unused.db").exists(),
        "analyze must not create a store"
    );
}

#[test]
fn analyze_writes_json_lines_for_jsonl_as_for_json_and_text_by_default() {
    let dir = tempfile::tempdir().unwrap();
    let seed = examples().join("002_69fb2a966d6a8770.txt");
    let run = |format: Option<&str>| {
        let mut cmd = rasad(&dir.path().join("unused.db"));
        cmd.arg("analyze");
        if let Some(format) = format {
            cmd.args(["--format", format]);
        }
        let output = cmd.arg(&seed).output().unwrap();
        assert!(output.status.success(), "{}", stderr(&output));
        output
    };
    // The same records, whenever each was analysed.
    let records = |format| {
        let mut lines = json_lines(&run(Some(format)));
        for line in &mut lines {
            line.as_object_mut().unwrap().remove("ingested_at");
        }
        lines
    };
    let json = records("json");
    assert_eq!(json.len(), 1);
    assert_eq!(records("jsonl"), json);
    let text = stdout(&run(None));
    assert!(
        text.starts_with("id:"),
        "the default is the readable summary: {text}"
    );
}

#[test]
fn export_formats_outside_export_are_usage_errors() {
    let dir = tempfile::tempdir().unwrap();
    let seed = examples().join("002_69fb2a966d6a8770.txt");
    for format in ["stix", "csv", "parquet"] {
        let output = rasad(&dir.path().join("unused.db"))
            .args(["analyze", "--format", format])
            .arg(&seed)
            .output()
            .unwrap();
        assert_eq!(output.status.code(), Some(2), "{format}");
        assert!(stdout(&output).is_empty(), "{format}: nothing printed as text");
        assert!(
            stderr(&output).contains("rasad export"),
            "{format}: {}",
            stderr(&output)
        );
    }
    let output = rasad(&dir.path().join("unused.db"))
        .args(["articles", "--format", "csv"])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(2));
    // And the other way round: export given a listing's format is the same kind of error, before
    // any store is opened.
    for format in ["text", "json"] {
        let db = dir.path().join(format!("export-{format}.db"));
        let output = rasad(&db).args(["export", "--format", format]).output().unwrap();
        assert_eq!(output.status.code(), Some(2), "{format}");
        assert!(stderr(&output).contains("needs --format"), "{}", stderr(&output));
        assert!(!db.exists(), "{format}: no store created for a usage error");
    }
}

#[test]
fn reference_date_resolves_relative_dates() {
    let dir = tempfile::tempdir().unwrap();
    let output = rasad(&dir.path().join("r.db"))
        .args(["analyze", "--format", "json", "--reference-date", "2022-09-08"])
        .arg(examples().join("002_69fb2a966d6a8770.txt"))
        .output()
        .unwrap();
    let record = &json_lines(&output)[0];
    let dates = record["dates"].as_array().unwrap();
    let value = |text: &str| {
        dates
            .iter()
            .find(|d| d["text"] == text)
            .map(|d| d["value"].clone())
    };
    assert_eq!(value("أمس الأربعاء"), Some(Value::from("2022-09-07")));
    assert_eq!(value("اليوم الخميس"), Some(Value::from("2022-09-08")));
    assert_eq!(value("عام 2014"), Some(Value::from("2014")));
    let bad = rasad(&dir.path().join("r.db"))
        .args(["analyze", "--reference-date", "2022-13-01", "x.txt"])
        .output()
        .unwrap();
    assert_eq!(
        bad.status.code(),
        Some(2),
        "a malformed reference date is a usage error"
    );
}

#[test]
fn ingest_is_idempotent_and_reports_duplicates() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("r.db");
    let first = rasad(&db)
        .args(["--format", "json", "ingest"])
        .arg(examples())
        .output()
        .unwrap();
    assert!(first.status.success(), "{}", stderr(&first));
    let lines = json_lines(&first);
    let summary = lines.last().unwrap();
    assert_eq!(summary["ingested"], 4);
    assert_eq!(summary["duplicates"], 0);

    let second = rasad(&db)
        .args(["--format", "json", "ingest"])
        .arg(examples())
        .output()
        .unwrap();
    let lines = json_lines(&second);
    let summary = lines.last().unwrap();
    assert_eq!(summary["ingested"], 0);
    assert_eq!(summary["duplicates"], 4);
    assert_eq!(summary["stored"], 4);
    assert!(lines[..4].iter().all(|l| l["duplicate"] == true));
    assert_eq!(count(&db), 4);

    // Listing and showing read what was stored, with the original bytes kept byte for byte.
    let list = rasad(&db)
        .args(["--format", "json", "articles"])
        .output()
        .unwrap();
    let rows = json_lines(&list);
    assert_eq!(rows.len(), 4);
    let id = rows[0]["id"].as_str().unwrap();
    let shown = rasad(&db)
        .args(["show", &id[..10], "--original"])
        .output()
        .unwrap();
    let source = rows[0]["source"].as_str().unwrap();
    assert_eq!(shown.stdout, fs::read(source).unwrap());
}

#[test]
fn entities_are_listed_across_articles_with_each_outlets_names() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("r.db");
    let ingest = rasad(&db)
        .args(["-q", "ingest"])
        .arg(examples())
        .output()
        .unwrap();
    assert!(ingest.status.success(), "{}", stderr(&ingest));
    let listed = rasad(&db)
        .args(["--format", "json", "entities", "--kind", "armed_group"])
        .output()
        .unwrap();
    let rows = json_lines(&listed);
    assert_eq!(rows[0]["id"], "group:mek");
    assert_eq!(
        rows[0]["articles"], 3,
        "the Persian and the Arabic seeds and the English example name the MEK"
    );
    let shown = rasad(&db)
        .args(["--format", "json", "entity", "group:mek"])
        .output()
        .unwrap();
    let value = &json_lines(&shown)[0];
    let names: Vec<(&str, Option<&str>)> = value["names"]
        .as_array()
        .unwrap()
        .iter()
        .map(|n| (n["name"].as_str().unwrap(), n["framing"].as_str()))
        .collect();
    assert!(names.contains(&("منافقین", Some("pejorative"))), "{names:?}");
    assert!(names.contains(&("منظمة مجاهدي خلق", None)), "{names:?}");
    let missing = rasad(&db).args(["entity", "country:XXX"]).output().unwrap();
    assert_eq!(missing.status.code(), Some(1));
}

#[test]
fn bad_items_are_reported_and_the_batch_goes_on() {
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("in");
    fs::create_dir(&input).unwrap();
    fs::write(input.join("a_binary.txt"), b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR\0\0").unwrap();
    fs::write(input.join("b_latin1.txt"), b"Caf\xe9 au lait, Tirana").unwrap();
    fs::write(input.join("c_empty.txt"), b"").unwrap();
    fs::write(
        input.join("d_records.jsonl"),
        "{\"maintext\":\"Albania cut ties with Iran.\"}\n{\"maintext\": \"trunc\n",
    )
    .unwrap();
    fs::File::create(input.join("e_huge.txt"))
        .unwrap()
        .set_len(500 * 1024 * 1024)
        .unwrap();
    fs::copy(
        examples().join("002_69fb2a966d6a8770.txt"),
        input.join("f_good.txt"),
    )
    .unwrap();

    let db = dir.path().join("r.db");
    let output = rasad(&db).arg("ingest").arg(&input).output().unwrap();
    let err = stderr(&output);
    assert!(output.status.success(), "a batch with good items exits 0: {err}");
    for expected in [
        "a_binary.txt: binary file",
        "b_latin1.txt: invalid UTF-8 at byte 3",
        "c_empty.txt: empty document",
        "d_records.jsonl:2: malformed JSON",
        "e_huge.txt: file is 500.0 MiB, over the 32.0 MiB limit",
    ] {
        assert!(err.contains(expected), "expected '{expected}' in stderr:\n{err}");
    }
    assert!(
        stdout(&output).contains("ingested 2, duplicates 0, errors 5"),
        "{}",
        stdout(&output)
    );
    assert_eq!(count(&db), 2);
}

#[test]
fn exit_codes_tell_nothing_done_strict_and_usage_apart() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("r.db");
    let bad = dir.path().join("bad.txt");
    fs::write(&bad, b"\xff\xfe\xfd").unwrap();
    let good = examples().join("000_d2c4ce68fa1361f3.txt");

    let only_bad = rasad(&db).arg("ingest").arg(&bad).output().unwrap();
    assert_eq!(only_bad.status.code(), Some(1), "nothing could be done");

    let strict = rasad(&db)
        .arg("ingest")
        .arg("--strict")
        .arg(&good)
        .arg(&bad)
        .output()
        .unwrap();
    assert_eq!(strict.status.code(), Some(1), "--strict makes a bad item fatal");
    assert_eq!(count(&db), 1, "the good article read before the bad one is kept");

    let usage = rasad(&db).arg("ingest").output().unwrap();
    assert_eq!(usage.status.code(), Some(2), "no paths is a usage error");
    let usage = rasad(&db).arg("frobnicate").output().unwrap();
    assert_eq!(usage.status.code(), Some(2));
}

#[test]
fn stdin_jsonl_is_ingested() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("r.db");
    let mut child = rasad(&db)
        .args(["--format", "json", "ingest", "-"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    child
        .stdin
        .take()
        .unwrap()
        .write_all(b"{\"title\":\"Albania cuts ties\",\"maintext\":\"Albania cut ties with Iran.\",\"date_publish\":\"2022-09-07 10:00:00\",\"url\":\"https://www.example.org/a\"}\n")
        .unwrap();
    let output = child.wait_with_output().unwrap();
    let lines = json_lines(&output);
    assert_eq!(lines[0]["source"], "-:1");
    assert_eq!(lines.last().unwrap()["ingested"], 1);
    let shown = rasad(&db)
        .args(["--format", "json", "show", lines[0]["id"].as_str().unwrap()])
        .output()
        .unwrap();
    let record: Value = serde_json::from_slice(&shown.stdout).unwrap();
    assert_eq!(record["published"], "2022-09-07T10:00:00");
    assert_eq!(record["outlet"], "example.org");
}

/// Storing runs on its own thread beside the analysis: when it fails, the run stops with that
/// error and a failing exit code, and the chunks stored before the failure are kept.
#[test]
fn a_storing_failure_stops_the_ingest_and_keeps_the_chunks_before_it() {
    let dir = tempfile::tempdir().unwrap();
    let corpus = dir.path().join("corpus.jsonl");
    let mut file = std::io::BufWriter::new(fs::File::create(&corpus).unwrap());
    for i in 0..40 {
        writeln!(
            file,
            "{{\"title\":\"Report {i}\",\"maintext\":\"Report number {i}: NATO condemned the cyberattack on Albania.\",\"source_domain\":\"example.org\"}}"
        )
        .unwrap();
    }
    drop(file);
    let db = dir.path().join("r.db");
    // Create the store, then make it refuse a fifth article, as a full disk would.
    let first = rasad(&db)
        .arg("-q")
        .arg("ingest")
        .arg(examples().join("000_d2c4ce68fa1361f3.txt"))
        .output()
        .unwrap();
    assert!(first.status.success(), "{}", stderr(&first));
    let conn = rusqlite::Connection::open(&db).unwrap();
    conn.execute_batch(
        "CREATE TRIGGER full BEFORE INSERT ON articles WHEN (SELECT count(*) FROM articles) >= 5 \
         BEGIN SELECT RAISE(ABORT, 'database or disk is full (test)'); END;",
    )
    .unwrap();
    drop(conn);

    let run = rasad(&db)
        .args(["-q", "ingest", "--chunk-size", "2"])
        .arg(&corpus)
        .output()
        .unwrap();
    assert!(!run.status.success(), "a storing failure must fail the run");
    let err = stderr(&run);
    assert!(err.contains("storing a batch of articles"), "{err}");
    assert!(err.contains("disk is full (test)"), "{err}");
    assert_eq!(
        count(&db),
        5,
        "the seed and the two chunks before the failure are kept"
    );
    let index = rasad_search::SearchIndex::open(&rasad_serve::index_dir_for(&db)).unwrap();
    assert_eq!(index.len(), 5, "and they are searched: the index committed them");
}

/// The store survives a SIGKILL in the middle of an ingest: it opens cleanly, holds whole chunks only,
/// and a re-run completes the ingest without duplicates.
#[test]
fn a_killed_ingest_leaves_a_sound_store_and_a_rerun_completes_it() {
    const TOTAL: i64 = 40_000;
    const CHUNK: i64 = 50;
    let dir = tempfile::tempdir().unwrap();
    let corpus = dir.path().join("corpus.jsonl");
    let mut file = std::io::BufWriter::new(fs::File::create(&corpus).unwrap());
    for i in 0..TOTAL {
        writeln!(
            file,
            "{{\"title\":\"Report {i}\",\"maintext\":\"Report number {i}: Albania cut diplomatic ties with Iran over the July cyberattack, and NATO condemned it.\",\"source_domain\":\"example.org\"}}"
        )
        .unwrap();
    }
    drop(file);
    let db = dir.path().join("r.db");

    let mut child = rasad(&db)
        .args(["-q", "ingest", "--chunk-size", &CHUNK.to_string()])
        .arg(&corpus)
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    // Wait until a few chunks are committed, then kill without warning.
    let deadline = Instant::now() + Duration::from_secs(120);
    loop {
        assert!(Instant::now() < deadline, "ingest never committed a chunk");
        if db.exists()
            && let Ok(conn) = rusqlite::Connection::open(&db)
            && conn
                .query_row("SELECT count(*) FROM articles", [], |r| r.get::<_, i64>(0))
                .is_ok_and(|n| n >= 5 * CHUNK)
        {
            break;
        }
        std::thread::sleep(Duration::from_millis(2));
    }
    assert!(
        child.try_wait().unwrap().is_none(),
        "the ingest finished before it could be killed; enlarge the corpus"
    );
    child.kill().unwrap(); // SIGKILL on Unix.
    let status = child.wait().unwrap();
    assert!(!status.success());

    // The store opens cleanly and holds only whole chunks.
    let conn = rusqlite::Connection::open(&db).unwrap();
    let check: String = conn
        .query_row("PRAGMA integrity_check", [], |r| r.get(0))
        .unwrap();
    assert_eq!(check, "ok");
    drop(conn);
    let kept = count(&db);
    assert!(kept > 0 && kept < TOTAL, "kept {kept}");
    assert_eq!(kept % CHUNK, 0, "a chunk was half committed: {kept} articles");

    // A re-run stores the rest and sees the kept ones as duplicates.
    let rerun = rasad(&db)
        .args(["-q", "--format", "json", "ingest"])
        .arg(&corpus)
        .output()
        .unwrap();
    assert!(rerun.status.success(), "{}", stderr(&rerun));
    let summary = json_lines(&rerun).pop().unwrap();
    assert_eq!(summary["duplicates"], kept);
    assert_eq!(summary["ingested"], TOTAL - kept);
    assert_eq!(count(&db), TOTAL);
}

#[test]
fn stories_group_the_albania_seeds_and_keep_the_un_seed_apart() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("s.db");
    let ingest = rasad(&db).arg("ingest").arg(examples()).output().unwrap();
    assert!(ingest.status.success(), "{}", stderr(&ingest));
    let list = |db: &Path| {
        let out = rasad(db).args(["stories", "--format", "json"]).output().unwrap();
        assert!(out.status.success(), "{}", stderr(&out));
        json_lines(&out)
    };
    let stories = list(&db);
    assert_eq!(stories.len(), 2, "{stories:#?}");
    let sources = |s: &Value| -> Vec<String> {
        s["articles"]
            .as_array()
            .unwrap()
            .iter()
            .map(|a| {
                assert!(a["id"].is_string());
                a["source"].as_str().unwrap().to_string()
            })
            .collect()
    };
    let albania = stories
        .iter()
        .find(|s| sources(s).iter().any(|p| p.contains("002_")))
        .unwrap();
    let names = sources(albania);
    assert!(names.iter().any(|p| p.contains("000_")), "{names:?}");
    assert!(names.iter().any(|p| p.contains("006_")), "{names:?}");
    assert!(!names.iter().any(|p| p.contains("004_")), "{names:?}");
    assert_eq!(albania["languages"].as_array().unwrap().len(), 3);

    // Ingesting the same files in two halves gives the same stories and ids.
    let halves = dir.path().join("h.db");
    for name in [
        "000_d2c4ce68fa1361f3.txt",
        "006_albania_iran_en.html",
        "002_69fb2a966d6a8770.txt",
    ] {
        let out = rasad(&halves)
            .arg("ingest")
            .arg(examples().join(name))
            .output()
            .unwrap();
        assert!(out.status.success());
    }
    let out = rasad(&halves)
        .arg("ingest")
        .arg(examples().join("004_7e47baae7ec09d11.txt"))
        .output()
        .unwrap();
    assert!(out.status.success());
    let ids = |v: &[Value]| {
        let mut ids: Vec<String> = v.iter().map(|s| s["id"].as_str().unwrap().to_string()).collect();
        ids.sort();
        ids
    };
    assert_eq!(ids(&stories), ids(&list(&halves)));

    let id = albania["id"].as_str().unwrap();
    let one = rasad(&db).args(["story", id]).output().unwrap();
    assert!(one.status.success(), "{}", stderr(&one));
    let text = String::from_utf8(one.stdout).unwrap();
    assert!(text.contains("SANCTION/break_relations"), "{text}");
    assert!(text.contains("منافقین [pejorative]"), "{text}");
    let missing = rasad(&db).args(["story", "s000000000000"]).output().unwrap();
    assert_eq!(missing.status.code(), Some(2));
}
