//! Exports read back by the analysts' own tools: `tools/export/check_exports.py` runs
//! stix2-validator 3.2.0 and `stix2.parse` on the STIX bundles and DuckDB on the Parquet and CSV
//! tables, and compares what they read with the counts `rasad export` printed. Two stores: the
//! seeds, and the first 3,000 SaudiNewsNet articles when ../shared/corpora is present. `.ci/run`
//! installs the Python packages (pinned) and sets RASAD_EXPORT_CHECK=1 and RASAD_PYTHON, which
//! turns missing tools into a failure instead of a skip.

#![allow(clippy::unwrap_used)]

use std::collections::BTreeMap;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::Command;

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

fn rasad(db: &Path, args: &[&str]) -> String {
    let out = Command::new(env!("CARGO_BIN_EXE_rasad"))
        .arg("--db")
        .arg(db)
        .args(args)
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr).into_owned();
    assert!(out.status.success(), "rasad {args:?}: {stderr}");
    stderr
}

/// The counts in `exported … (N kind, M kind, …)`.
fn counts(stderr: &str) -> BTreeMap<String, usize> {
    let line = stderr.lines().find(|l| l.starts_with("exported ")).unwrap();
    let inner = line.split_once('(').unwrap().1.rsplit_once(')').unwrap().0;
    let inner = inner.split_once(": ").map_or(inner, |(_, rest)| rest);
    inner
        .split(", ")
        .map(|part| {
            let (n, kind) = part.split_once(' ').unwrap();
            (kind.to_string(), n.parse().unwrap())
        })
        .collect()
}

/// Exports `db` as STIX, Parquet and CSV into `dir`; the plan's checks for them.
fn export_all(db: &Path, dir: &Path) -> Vec<serde_json::Value> {
    let bundle = dir.join("bundle.json");
    let stix = counts(&rasad(
        db,
        &["export", "--format", "stix", "--out", bundle.to_str().unwrap()],
    ));
    let parsed: serde_json::Value = serde_json::from_slice(&std::fs::read(&bundle).unwrap()).unwrap();
    let objects = parsed.get("objects").and_then(|o| o.as_array()).unwrap();
    assert_eq!(objects.len(), stix.values().sum::<usize>());
    let pq = dir.join("parquet");
    let rows = counts(&rasad(
        db,
        &["export", "--format", "parquet", "--out", pq.to_str().unwrap()],
    ));
    assert_eq!(stix.get("report"), rows.get("articles"), "a report per article");
    let csv = dir.join("csv");
    let csv_rows = counts(&rasad(
        db,
        &["export", "--format", "csv", "--out", csv.to_str().unwrap()],
    ));
    assert_eq!(rows, csv_rows);
    vec![
        serde_json::json!({ "stix": bundle, "objects": stix }),
        serde_json::json!({ "parquet": pq, "rows": rows }),
        serde_json::json!({ "csv": csv, "rows": csv_rows }),
    ]
}

/// The first `limit` SaudiNewsNet articles as JSON Lines rasad ingests.
fn saudinewsnet(limit: usize, out: &Path) -> bool {
    let dir = root().join("../shared/corpora/saudinewsnet");
    let Ok(entries) = std::fs::read_dir(&dir) else {
        return false;
    };
    let mut files: Vec<PathBuf> = entries.flatten().map(|e| e.path()).collect();
    files.sort();
    let mut w = std::io::BufWriter::new(std::fs::File::create(out).unwrap());
    let mut n = 0;
    for f in files
        .iter()
        .filter(|p| p.extension().is_some_and(|e| e == "json"))
    {
        let items: Vec<serde_json::Value> = serde_json::from_slice(&std::fs::read(f).unwrap()).unwrap();
        for item in items {
            if n >= limit {
                return true;
            }
            let field = |k: &str| item.get(k).cloned().unwrap_or(serde_json::Value::Null);
            let line = serde_json::json!({
                "title": field("title"), "content": field("content"), "url": field("url"),
                "source": field("source"), "published": field("date_extracted"), "language": "ar",
            });
            writeln!(w, "{line}").unwrap();
            n += 1;
        }
    }
    n > 0
}

#[test]
fn exports_read_back_with_stix2_validator_stix2_and_duckdb() {
    let required = std::env::var_os("RASAD_EXPORT_CHECK").is_some_and(|v| v == "1");
    let python = std::env::var("RASAD_PYTHON").unwrap_or_else(|_| "python3".into());
    let tools = Command::new(&python)
        .args(["-c", "import duckdb, stix2, stix2validator"])
        .output()
        .is_ok_and(|o| o.status.success());
    let scratch = tempfile::tempdir().unwrap();
    let mut plan = Vec::new();
    // The seeds.
    let seeds = scratch.path().join("seeds");
    std::fs::create_dir_all(&seeds).unwrap();
    let db = seeds.join("rasad.db");
    rasad(&db, &["ingest", root().join("examples").to_str().unwrap()]);
    plan.extend(export_all(&db, &seeds));
    // A few thousand real articles (for the Python readers: a debug build takes minutes on them).
    let snn = scratch.path().join("snn");
    std::fs::create_dir_all(&snn).unwrap();
    let jsonl = snn.join("snn.jsonl");
    if tools && saudinewsnet(3000, &jsonl) {
        let db = snn.join("rasad.db");
        rasad(&db, &["ingest", jsonl.to_str().unwrap()]);
        plan.extend(export_all(&db, &snn));
    } else if tools {
        eprintln!("SaudiNewsNet not found under ../shared/corpora: only the seeds are exported");
    }
    if !tools {
        assert!(
            !required,
            "RASAD_EXPORT_CHECK=1 but {python} cannot import duckdb, stix2, stix2validator"
        );
        eprintln!(
            "skipped the Python readers: {python} lacks duckdb, stix2 or stix2validator (set RASAD_EXPORT_CHECK=1 to require)"
        );
        return;
    }
    let plan_file = scratch.path().join("plan.json");
    std::fs::write(&plan_file, serde_json::to_vec(&plan).unwrap()).unwrap();
    let out = Command::new(&python)
        .arg(root().join("tools/export/check_exports.py"))
        .arg(&plan_file)
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    println!("{stdout}");
    assert!(
        out.status.success(),
        "{stdout}\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(stdout.contains("exports: all checks passed"), "{stdout}");
}
