//! `GET /api/export`: the exports of `rasad export`, streamed. The export runs on a blocking
//! thread with its own read connection to the store (WAL: it never waits for a writer and no one
//! waits for it) and writes into a bounded channel that the response body drains, so memory stays
//! flat whatever the store's size; a client that goes away stops the export.

use std::io::Write;
use std::sync::Arc;

use axum::body::{Body, Bytes};
use axum::extract::State;
use axum::http::header;
use axum::response::{IntoResponse, Response};
use rasad_export::jsonl::Records;
use rasad_export::{ExportQuery, Format, Joins, Table};
use serde::Deserialize;
use tokio::sync::mpsc;

use crate::App;
use crate::api::{Bounded, Params};
use crate::error::ApiError;

/// Bytes sent to the client at a time.
const CHUNK: usize = 64 * 1024;

#[derive(Debug, Deserialize)]
pub struct ExportParams {
    format: String,
    /// For csv and parquet, one table; for jsonl, `articles`, `stories` or `incidents`.
    table: Option<String>,
    lang: Option<String>,
    outlet: Option<String>,
    entity: Option<String>,
    event: Option<String>,
    from: Option<String>,
    to: Option<String>,
    story: Option<String>,
    incident: Option<String>,
}

impl Bounded for ExportParams {
    fn check(&self) -> Result<(), ApiError> {
        for (name, v) in [("from", &self.from), ("to", &self.to)] {
            if let Some(v) = v.as_deref().filter(|v| !v.is_empty())
                && rasad_stories::day_number(v).is_none()
            {
                return Err(ApiError::bad_request(format!(
                    "'{name}' must be a date as YYYY-MM-DD, not '{v}'"
                )));
            }
        }
        Ok(())
    }
}

/// What one request exports.
enum Job {
    Stix,
    Table(Format, Table),
    Jsonl(Records),
}

/// A writer that sends its bytes down the channel in chunks; fails once the client is gone.
struct Sender {
    tx: mpsc::Sender<Result<Bytes, std::io::Error>>,
    buf: Vec<u8>,
}

impl Write for Sender {
    fn write(&mut self, data: &[u8]) -> std::io::Result<usize> {
        self.buf.extend_from_slice(data);
        if self.buf.len() >= CHUNK {
            self.flush()?;
        }
        Ok(data.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        if self.buf.is_empty() {
            return Ok(());
        }
        let chunk = Bytes::from(std::mem::take(&mut self.buf));
        self.tx
            .blocking_send(Ok(chunk))
            .map_err(|_| std::io::Error::new(std::io::ErrorKind::BrokenPipe, "the client went away"))
    }
}

fn given(v: Option<String>) -> Option<String> {
    v.filter(|x| !x.trim().is_empty())
}

pub async fn export(
    State(app): State<Arc<App>>,
    Params(p): Params<ExportParams>,
) -> Result<Response, ApiError> {
    let format: Format = p
        .format
        .parse()
        .map_err(|e: rasad_export::ExportError| ApiError::bad_request(e.to_string()))?;
    let table = given(p.table.clone());
    let job = match format {
        Format::Stix => Job::Stix,
        Format::Csv | Format::Parquet => {
            let name = table.unwrap_or_else(|| "articles".into());
            let t = Table::from_name(&name).ok_or_else(|| {
                let names: Vec<&str> = Table::ALL.iter().map(|t| t.name()).collect();
                ApiError::bad_request(format!("no table '{name}'; tables: {}", names.join(", ")))
            })?;
            Job::Table(format, t)
        }
        Format::Jsonl => {
            let name = table.unwrap_or_else(|| "articles".into());
            Job::Jsonl(Records::from_name(&name).ok_or_else(|| {
                ApiError::bad_request(format!(
                    "no JSON Lines export '{name}'; articles, stories or incidents"
                ))
            })?)
        }
    };
    let (content_type, file) = match &job {
        Job::Stix => (
            "application/stix+json;version=2.1",
            "rasad-bundle.json".to_string(),
        ),
        Job::Table(Format::Parquet, t) => (
            "application/vnd.apache.parquet",
            format!("rasad-{}.parquet", t.name()),
        ),
        Job::Table(_, t) => ("text/csv; charset=utf-8", format!("rasad-{}.csv", t.name())),
        Job::Jsonl(r) => (
            "application/x-ndjson",
            format!("rasad-{}.jsonl", records_name(*r)),
        ),
    };
    let query = ExportQuery {
        filter: rasad_store::ArticleFilter {
            lang: given(p.lang),
            outlet: given(p.outlet),
            entity: given(p.entity),
            event: given(p.event),
            from: given(p.from),
            to: given(p.to),
            ids: None,
        },
        story: given(p.story),
        incident: given(p.incident),
    };
    let library = Arc::clone(&app.library);
    let joins = Joins {
        stories: Some(library.stories()),
        incidents: library.incidents(),
    };
    // Unknown stories and incidents are a 404 before anything is sent.
    query.resolve(&joins).map_err(|e| match e {
        rasad_export::ExportError::NoStory(_) | rasad_export::ExportError::NoIncident(_) => {
            ApiError::not_found(e.to_string())
        }
        other => ApiError::bad_request(other.to_string()),
    })?;
    let store = library.open_reader().map_err(ApiError::from)?;
    let (tx, mut rx) = mpsc::channel::<Result<Bytes, std::io::Error>>(8);
    tokio::task::spawn_blocking(move || {
        let err_tx = tx.clone();
        let mut out = Sender { tx, buf: Vec::new() };
        if let Err(e) = run(&store, &joins, &query, job, &mut out).and_then(|()| Ok(out.flush()?)) {
            tracing::warn!("export stopped: {e}");
            let _ = err_tx.blocking_send(Err(std::io::Error::other(e.to_string())));
        }
    });
    let stream = futures_util::stream::poll_fn(move |cx| rx.poll_recv(cx));
    Ok((
        [
            (header::CONTENT_TYPE, content_type.to_string()),
            (
                header::CONTENT_DISPOSITION,
                format!("attachment; filename=\"{file}\""),
            ),
        ],
        Body::from_stream(stream),
    )
        .into_response())
}

fn records_name(r: Records) -> &'static str {
    match r {
        Records::Articles => "articles",
        Records::Stories => "stories",
        Records::Incidents => "incidents",
    }
}

fn run(
    store: &rasad_store::Store,
    joins: &Joins,
    query: &ExportQuery,
    job: Job,
    out: &mut Sender,
) -> rasad_export::Result<()> {
    match job {
        Job::Stix => {
            let key = format!("{query:?}@{}", chrono_now());
            rasad_export::stix::write_bundle(store, joins, query, &key, out)?;
        }
        Job::Table(Format::Parquet, t) => {
            let mut sink =
                rasad_export::parquet::ParquetSink::with_writers([(t, out)].into_iter().collect())?;
            rasad_export::write_tables(store, joins, query, &mut sink)?;
            sink.finish()?;
        }
        Job::Table(_, t) => {
            let mut sink = rasad_export::csv::CsvSink::with_writers([(t, out)].into_iter().collect())?;
            rasad_export::write_tables(store, joins, query, &mut sink)?;
            sink.finish()?;
        }
        Job::Jsonl(Records::Articles) => {
            rasad_export::jsonl::write_articles(store, joins, query, out)?;
        }
        Job::Jsonl(r) => {
            let seen = rasad_export::jsonl::write_articles(store, joins, query, &mut std::io::sink())?;
            if r == Records::Stories {
                rasad_export::jsonl::write_stories(store, joins, &seen, out)?;
            } else {
                rasad_export::jsonl::write_incidents(store, joins, &seen, out)?;
            }
        }
    }
    Ok(())
}

/// The time a bundle is made (its id is unique per export).
fn chrono_now() -> String {
    let t = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap_or_default();
    format!("{}.{:09}", t.as_secs(), t.subsec_nanos())
}
