//! JSON Lines: one analysed article, story record or incident record per line, in the JSON the API
//! serves (docs/schema.md). Stories and incidents are those the selected articles belong to.

use std::fs::File;
use std::io::{BufWriter, Write};
use std::path::Path;

use rasad_store::Store;

use crate::{ExportQuery, Joins, Result, Seen};

/// Which records a JSON Lines export holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Records {
    Articles,
    Stories,
    Incidents,
}

impl Records {
    /// By name (`articles`, `stories`, `incidents`).
    #[must_use]
    pub fn from_name(name: &str) -> Option<Records> {
        match name {
            "articles" => Some(Records::Articles),
            "stories" => Some(Records::Stories),
            "incidents" => Some(Records::Incidents),
            _ => None,
        }
    }
}

/// Writes the selected articles, one per line; returns what they belong to.
///
/// # Errors
/// When the store cannot be read or `out` fails.
pub fn write_articles(
    store: &Store,
    joins: &Joins,
    query: &ExportQuery,
    out: &mut impl Write,
) -> Result<Seen> {
    let filter = query.resolve(joins)?;
    let mut seen = Seen::default();
    store.scan(&filter, |a| -> Result<()> {
        seen.note(&a, joins);
        serde_json::to_writer(&mut *out, &a)?;
        out.write_all(b"\n")?;
        Ok(())
    })?;
    Ok(seen)
}

/// Writes the record of each story in `seen`, one per line.
///
/// # Errors
/// When the store cannot be read or `out` fails.
pub fn write_stories(store: &Store, joins: &Joins, seen: &Seen, out: &mut impl Write) -> Result<usize> {
    let Some(table) = &joins.stories else {
        return Ok(0);
    };
    let mut n = 0;
    for id in &seen.stories {
        if let Some(story) = table.story(store, id)? {
            serde_json::to_writer(&mut *out, &story)?;
            out.write_all(b"\n")?;
            n += 1;
        }
    }
    Ok(n)
}

/// Writes the record of each incident in `seen`, one per line.
///
/// # Errors
/// When the store cannot be read or `out` fails.
pub fn write_incidents(store: &Store, joins: &Joins, seen: &Seen, out: &mut impl Write) -> Result<usize> {
    let mut n = 0;
    for id in &seen.incidents {
        if let Some(record) = joins.incidents.incident(store, joins.stories.as_deref(), id)? {
            serde_json::to_writer(&mut *out, &record)?;
            out.write_all(b"\n")?;
            n += 1;
        }
    }
    Ok(n)
}

/// `articles.jsonl`, `stories.jsonl` and `incidents.jsonl` in `dir` (created if missing).
///
/// # Errors
/// When the store cannot be read or a file cannot be written.
pub fn write_dir(store: &Store, joins: &Joins, query: &ExportQuery, dir: &Path) -> Result<Seen> {
    std::fs::create_dir_all(dir)?;
    let file = |name: &str| -> Result<BufWriter<File>> { Ok(BufWriter::new(File::create(dir.join(name))?)) };
    let mut articles = file("articles.jsonl")?;
    let seen = write_articles(store, joins, query, &mut articles)?;
    articles.flush()?;
    let mut stories = file("stories.jsonl")?;
    write_stories(store, joins, &seen, &mut stories)?;
    stories.flush()?;
    let mut incidents = file("incidents.jsonl")?;
    write_incidents(store, joins, &seen, &mut incidents)?;
    incidents.flush()?;
    Ok(seen)
}
