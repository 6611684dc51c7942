//! Versioned schema migrations, applied in order, each in its own transaction, tracked in
//! SQLite's `user_version`. A migration is never edited once released: add a new one.

use rusqlite::Connection;

use crate::{Result, StoreError};

/// Migration `i` brings the schema from version `i` to `i + 1`.
const MIGRATIONS: &[&str] = &[
    // 1: articles with their original bytes and their analysis as one JSON record.
    "CREATE TABLE articles (
        id          TEXT NOT NULL UNIQUE,
        source      TEXT NOT NULL,
        format      TEXT NOT NULL,
        url         TEXT,
        outlet      TEXT,
        lang        TEXT NOT NULL,
        title       TEXT,
        text        TEXT NOT NULL,
        original    BLOB NOT NULL,
        published   TEXT,
        ingested_at TEXT NOT NULL,
        record      TEXT NOT NULL
    );
    CREATE INDEX articles_published ON articles (published);
    CREATE INDEX articles_lang ON articles (lang);",
    // 2: one row per entity mention, so that entities can be listed across articles with the names
    // each outlet used. Filled from the records already stored (JSON1 is part of bundled SQLite).
    "CREATE TABLE entity_mentions (
        article_id  TEXT NOT NULL REFERENCES articles (id),
        entity_id   TEXT NOT NULL,
        label       TEXT NOT NULL,
        kind        TEXT NOT NULL,
        country     TEXT,
        surface     TEXT NOT NULL,
        alias       TEXT,
        framing     TEXT,
        adjective   INTEGER NOT NULL DEFAULT 0,
        start       INTEGER NOT NULL,
        end         INTEGER NOT NULL
    );
    CREATE INDEX entity_mentions_entity ON entity_mentions (entity_id);
    CREATE INDEX entity_mentions_article ON entity_mentions (article_id);
    INSERT INTO entity_mentions
        (article_id, entity_id, label, kind, country, surface, alias, framing, adjective, start, end)
    SELECT a.id,
           json_extract(e.value, '$.id'),
           json_extract(e.value, '$.label'),
           json_extract(e.value, '$.kind'),
           json_extract(e.value, '$.country'),
           json_extract(m.value, '$.text'),
           json_extract(m.value, '$.alias'),
           json_extract(m.value, '$.framing'),
           coalesce(json_extract(m.value, '$.adjective'), 0),
           json_extract(m.value, '$.span.start'),
           json_extract(m.value, '$.span.end')
    FROM articles a,
         json_each(a.record, '$.analysis.entities') e,
         json_each(e.value, '$.mentions') m;",
    // 3: incidents. Each article's incident signature (JSON, written by rasad-incidents) with the
    // incident it belongs to, and the keys other articles of the same operation are found by, with
    // the days the article spans so that a lookup reads only articles near in time. Existing
    // articles get their signatures when rasad next opens the store for writing (catch-up).
    "CREATE TABLE incident_signatures (
        article_id  TEXT NOT NULL PRIMARY KEY REFERENCES articles (id),
        signature   TEXT NOT NULL,
        incident_id TEXT
    );
    CREATE INDEX incident_signatures_incident ON incident_signatures (incident_id);
    CREATE TABLE incident_keys (
        key         TEXT NOT NULL,
        article_id  TEXT NOT NULL REFERENCES articles (id),
        lo          INTEGER,
        hi          INTEGER
    );
    CREATE INDEX incident_keys_key ON incident_keys (key, lo);",
    // 4: monitoring. Each watched source's state (conditional-GET validators, when it was last
    // polled and last succeeded, error counts, items seen), and the items already taken from it
    // (by GUID or URL key) so that a restarted watcher neither loses nor repeats one.
    "CREATE TABLE watch_sources (
        name                TEXT NOT NULL PRIMARY KEY,
        url                 TEXT NOT NULL,
        kind                TEXT NOT NULL,
        etag                TEXT,
        last_modified       TEXT,
        last_poll           TEXT,
        last_success        TEXT,
        last_error          TEXT,
        next_poll           TEXT,
        polls               INTEGER NOT NULL DEFAULT 0,
        errors              INTEGER NOT NULL DEFAULT 0,
        consecutive_errors  INTEGER NOT NULL DEFAULT 0,
        items_seen          INTEGER NOT NULL DEFAULT 0,
        items_ingested      INTEGER NOT NULL DEFAULT 0,
        item_errors         INTEGER NOT NULL DEFAULT 0
    );
    CREATE TABLE watch_items (
        source      TEXT NOT NULL,
        key         TEXT NOT NULL,
        article_id  TEXT,
        failures    INTEGER NOT NULL DEFAULT 0,
        last_error  TEXT,
        seen_at     TEXT NOT NULL,
        PRIMARY KEY (source, key)
    );",
];

/// The first migration, for tests that build a store as an older rasad left it.
#[cfg(test)]
pub(crate) const V1_FOR_TESTS: &str = MIGRATIONS[0];

#[allow(clippy::cast_possible_wrap)]
pub(crate) const LATEST: i64 = MIGRATIONS.len() as i64;

pub(crate) fn migrate(conn: &mut Connection) -> Result<()> {
    let current: i64 = conn.pragma_query_value(None, "user_version", |row| row.get(0))?;
    if current > LATEST {
        return Err(StoreError::TooNew {
            found: current,
            known: LATEST,
        });
    }
    for (version, sql) in (1..)
        .zip(MIGRATIONS.iter())
        .skip(usize::try_from(current).unwrap_or(0))
    {
        let tx = conn.transaction()?;
        tx.execute_batch(sql)?;
        tx.pragma_update(None, "user_version", version)?;
        tx.commit()?;
    }
    Ok(())
}
