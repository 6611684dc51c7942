//! The watcher's tables: each source's polling state and the items already taken from it. The
//! polling itself is rasad-watch's; the store only keeps the rows, each change in one transaction.

use rusqlite::{OptionalExtension, params};
use serde::Serialize;

use crate::{Result, Store};

/// A watched source's state, as `rasad sources` and the API show it.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct SourceState {
    pub name: String,
    pub url: String,
    /// `feed`, `sitemap` or `page`.
    pub kind: String,
    /// The validators of the last full answer, sent back as `If-None-Match` / `If-Modified-Since`.
    pub etag: Option<String>,
    pub last_modified: Option<String>,
    /// RFC 3339 times.
    pub last_poll: Option<String>,
    pub last_success: Option<String>,
    pub last_error: Option<String>,
    /// When the source is due again (its interval, or later after errors or a Retry-After).
    pub next_poll: Option<String>,
    pub polls: u64,
    pub errors: u64,
    /// Errors since the last success (the backoff grows with it).
    pub consecutive_errors: u64,
    /// Items the source has listed that were new to rasad.
    pub items_seen: u64,
    /// Articles stored from it (new ones; copies of stored articles are not counted).
    pub items_ingested: u64,
    /// Items that could not be fetched or read.
    pub item_errors: u64,
}

/// What one poll of a source did.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PollRecord {
    /// RFC 3339.
    pub at: String,
    /// `None` when the poll succeeded (a 304 is a success), else what went wrong.
    pub error: Option<String>,
    /// New validators; `None` keeps the stored ones.
    pub etag: Option<String>,
    pub last_modified: Option<String>,
    pub next_poll: Option<String>,
    pub items_seen: u64,
    pub items_ingested: u64,
    pub item_errors: u64,
}

/// One item's outcome: taken (with the article it became, if any) or failed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ItemOutcome {
    /// Stored (or already stored) as this article; `None` when the item had nothing to store.
    Taken(Option<String>),
    Failed(String),
}

fn to_u64(v: i64) -> u64 {
    u64::try_from(v).unwrap_or(0)
}

fn to_i64(v: u64) -> i64 {
    i64::try_from(v).unwrap_or(i64::MAX)
}

const STATE_COLUMNS: &str = "name, url, kind, etag, last_modified, last_poll, last_success, last_error, \
     next_poll, polls, errors, consecutive_errors, items_seen, items_ingested, item_errors";

fn state_of(row: &rusqlite::Row<'_>) -> rusqlite::Result<SourceState> {
    Ok(SourceState {
        name: row.get(0)?,
        url: row.get(1)?,
        kind: row.get(2)?,
        etag: row.get(3)?,
        last_modified: row.get(4)?,
        last_poll: row.get(5)?,
        last_success: row.get(6)?,
        last_error: row.get(7)?,
        next_poll: row.get(8)?,
        polls: to_u64(row.get(9)?),
        errors: to_u64(row.get(10)?),
        consecutive_errors: to_u64(row.get(11)?),
        items_seen: to_u64(row.get(12)?),
        items_ingested: to_u64(row.get(13)?),
        item_errors: to_u64(row.get(14)?),
    })
}

impl Store {
    /// Registers a source, or updates its URL and kind; a changed URL forgets the validators and
    /// the schedule (the items taken stay taken).
    ///
    /// # Errors
    /// Only if SQLite fails.
    pub fn register_watch_source(&mut self, name: &str, url: &str, kind: &str) -> Result<()> {
        self.conn.execute(
            "INSERT INTO watch_sources (name, url, kind) VALUES (?1, ?2, ?3)
             ON CONFLICT (name) DO UPDATE SET
               etag = CASE WHEN url = excluded.url THEN etag END,
               last_modified = CASE WHEN url = excluded.url THEN last_modified END,
               next_poll = CASE WHEN url = excluded.url THEN next_poll END,
               url = excluded.url, kind = excluded.kind",
            params![name, url, kind],
        )?;
        Ok(())
    }

    /// One source's state.
    ///
    /// # Errors
    /// Only if SQLite fails.
    pub fn watch_source(&self, name: &str) -> Result<Option<SourceState>> {
        Ok(self
            .conn
            .query_row(
                &format!("SELECT {STATE_COLUMNS} FROM watch_sources WHERE name = ?1"),
                [name],
                state_of,
            )
            .optional()?)
    }

    /// Every source's state, by name.
    ///
    /// # Errors
    /// Only if SQLite fails.
    pub fn watch_sources(&self) -> Result<Vec<SourceState>> {
        let mut stmt = self.conn.prepare(&format!(
            "SELECT {STATE_COLUMNS} FROM watch_sources ORDER BY name"
        ))?;
        let rows = stmt.query_map([], state_of)?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// Adds one poll's outcome to the source's state.
    ///
    /// # Errors
    /// Only if SQLite fails.
    pub fn record_poll(&mut self, name: &str, poll: &PollRecord) -> Result<()> {
        let ok = poll.error.is_none();
        self.conn.execute(
            "UPDATE watch_sources SET
               last_poll = ?2,
               last_success = CASE WHEN ?3 THEN ?2 ELSE last_success END,
               last_error = ?4,
               etag = CASE WHEN ?3 AND ?5 IS NOT NULL THEN ?5 ELSE etag END,
               last_modified = CASE WHEN ?3 AND ?6 IS NOT NULL THEN ?6 ELSE last_modified END,
               next_poll = ?7,
               polls = polls + 1,
               errors = errors + CASE WHEN ?3 THEN 0 ELSE 1 END,
               consecutive_errors = CASE WHEN ?3 THEN 0 ELSE consecutive_errors + 1 END,
               items_seen = items_seen + ?8,
               items_ingested = items_ingested + ?9,
               item_errors = item_errors + ?10
             WHERE name = ?1",
            params![
                name,
                poll.at,
                ok,
                poll.error,
                poll.etag,
                poll.last_modified,
                poll.next_poll,
                to_i64(poll.items_seen),
                to_i64(poll.items_ingested),
                to_i64(poll.item_errors),
            ],
        )?;
        Ok(())
    }

    /// Whether any of an item's keys (`guid:…`, `url:…`) was taken from the source, or failed
    /// `max_failures` times (it is then given up).
    ///
    /// # Errors
    /// Only if SQLite fails.
    pub fn item_done(&self, source: &str, keys: &[String], max_failures: u32) -> Result<bool> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT 1 FROM watch_items WHERE source = ?1 AND key = ?2
               AND (failures = 0 OR failures >= ?3)",
        )?;
        for key in keys {
            if stmt.exists(params![source, key, max_failures])? {
                return Ok(true);
            }
        }
        Ok(false)
    }

    /// Records items' outcomes in one transaction: a taken item is never fetched again; a failed
    /// one counts a failure and is tried again on the next poll until it has failed too often.
    ///
    /// # Errors
    /// Only if SQLite fails; nothing is recorded then.
    pub fn record_items(
        &mut self,
        source: &str,
        items: &[(Vec<String>, ItemOutcome)],
        at: &str,
    ) -> Result<()> {
        let tx = self.conn.transaction()?;
        {
            let mut taken = tx.prepare_cached(
                "INSERT INTO watch_items (source, key, article_id, failures, seen_at) VALUES (?1, ?2, ?3, 0, ?4)
                 ON CONFLICT (source, key) DO UPDATE SET
                   article_id = excluded.article_id, failures = 0, last_error = NULL, seen_at = excluded.seen_at",
            )?;
            let mut failed = tx.prepare_cached(
                "INSERT INTO watch_items (source, key, failures, last_error, seen_at) VALUES (?1, ?2, 1, ?3, ?4)
                 ON CONFLICT (source, key) DO UPDATE SET
                   failures = failures + 1, last_error = excluded.last_error, seen_at = excluded.seen_at",
            )?;
            for (keys, outcome) in items {
                for key in keys {
                    match outcome {
                        ItemOutcome::Taken(article) => {
                            taken.execute(params![source, key, article, at])?;
                        }
                        ItemOutcome::Failed(error) => {
                            failed.execute(params![source, key, error, at])?;
                        }
                    }
                }
            }
        }
        tx.commit()?;
        Ok(())
    }

    /// How many of a source's items were taken, and how many are failing.
    ///
    /// # Errors
    /// Only if SQLite fails.
    pub fn item_counts(&self, source: &str) -> Result<(u64, u64)> {
        let (taken, failing): (i64, i64) = self.conn.query_row(
            "SELECT coalesce(sum(failures = 0), 0), coalesce(sum(failures > 0), 0)
             FROM watch_items WHERE source = ?1",
            [source],
            |row| Ok((row.get(0)?, row.get(1)?)),
        )?;
        Ok((to_u64(taken), to_u64(failing)))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sources_and_items_are_kept_across_reopening() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("w.db");
        {
            let mut store = Store::open(&path).unwrap();
            store
                .register_watch_source("irna", "http://a/rss", "feed")
                .unwrap();
            store
                .record_poll(
                    "irna",
                    &PollRecord {
                        at: "2026-12-04T00:00:00Z".into(),
                        etag: Some("\"v1\"".into()),
                        items_seen: 3,
                        items_ingested: 2,
                        item_errors: 1,
                        ..PollRecord::default()
                    },
                )
                .unwrap();
            let keys = vec!["guid:1".to_string(), "url:http://a/1".to_string()];
            store
                .record_items("irna", &[(keys, ItemOutcome::Taken(Some("abc".into())))], "t")
                .unwrap();
            store
                .record_items(
                    "irna",
                    &[(vec!["guid:2".into()], ItemOutcome::Failed("500".into()))],
                    "t",
                )
                .unwrap();
        }
        let mut store = Store::open(&path).unwrap();
        let s = store.watch_source("irna").unwrap().unwrap();
        assert_eq!(
            (s.polls, s.items_seen, s.items_ingested, s.item_errors),
            (1, 3, 2, 1)
        );
        assert_eq!(s.etag.as_deref(), Some("\"v1\""));
        assert!(store.item_done("irna", &["url:http://a/1".into()], 3).unwrap());
        assert!(!store.item_done("other", &["url:http://a/1".into()], 3).unwrap());
        // A failed item is tried again until it has failed three times.
        assert!(!store.item_done("irna", &["guid:2".into()], 3).unwrap());
        for _ in 0..2 {
            store
                .record_items(
                    "irna",
                    &[(vec!["guid:2".into()], ItemOutcome::Failed("500".into()))],
                    "t",
                )
                .unwrap();
        }
        assert!(store.item_done("irna", &["guid:2".into()], 3).unwrap());
        assert_eq!(store.item_counts("irna").unwrap(), (2, 1));
        // An error keeps the validators and counts; a new URL forgets them.
        store
            .record_poll(
                "irna",
                &PollRecord {
                    at: "t2".into(),
                    error: Some("HTTP 500".into()),
                    ..PollRecord::default()
                },
            )
            .unwrap();
        let s = store.watch_source("irna").unwrap().unwrap();
        assert_eq!((s.errors, s.consecutive_errors), (1, 1));
        assert_eq!(s.last_success.as_deref(), Some("2026-12-04T00:00:00Z"));
        assert_eq!(s.etag.as_deref(), Some("\"v1\""));
        store
            .register_watch_source("irna", "http://b/rss", "feed")
            .unwrap();
        assert_eq!(store.watch_source("irna").unwrap().unwrap().etag, None);
        assert_eq!(store.watch_sources().unwrap().len(), 1);
    }
}
