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
];

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
