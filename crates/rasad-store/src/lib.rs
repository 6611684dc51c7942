//! The embedded store: one SQLite file (bundled SQLite, WAL mode) holding articles, their original bytes
//! and their analysis. The only crate that knows SQL.
//!
//! Writes come in batches, one transaction each, so that a process killed at any moment leaves every
//! committed batch whole and nothing half-written. Inserts are idempotent on the article id: the same
//! article stored twice is reported as a duplicate and stored once.

mod incidents;
mod migrations;
mod watch;

pub use incidents::{IncidentRow, SignatureRow};
pub use watch::{ItemOutcome, PollRecord, SourceState};

use std::path::Path;

use rasad_model::{AnalyzedArticle, ArticleId};
use rusqlite::{Connection, OptionalExtension, params};

/// The one error type of the store.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum StoreError {
    #[error("database error: {0}")]
    Sqlite(#[from] rusqlite::Error),
    #[error("stored record is not valid JSON: {0}")]
    Json(#[from] serde_json::Error),
    #[error(
        "the database is at schema version {found}, newer than this rasad knows ({known}); upgrade rasad"
    )]
    TooNew { found: i64, known: i64 },
    #[error("id prefix '{0}' matches more than one article; give more characters")]
    AmbiguousId(String),
}

pub type Result<T> = std::result::Result<T, StoreError>;

/// What happened to one article of a batch.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome {
    Inserted,
    /// An article with the same id was already stored (or came earlier in the same batch).
    Duplicate,
}

/// One line of an article listing.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct ArticleSummary {
    pub id: String,
    pub source: String,
    pub lang: String,
    pub title: Option<String>,
    pub outlet: Option<String>,
    pub published: Option<String>,
    pub ingested_at: String,
}

/// Filters for [`Store::list`].
#[derive(Debug, Clone, Default)]
pub struct ListQuery {
    pub lang: Option<String>,
    pub limit: usize,
    pub offset: usize,
}

/// One entity across the stored articles.
/// Which articles [`Store::scan`] reads; every given filter must hold.
#[derive(Debug, Clone, Default)]
pub struct ArticleFilter {
    pub lang: Option<String>,
    pub outlet: Option<String>,
    /// A canonical entity id the article names (`country:IRN`).
    pub entity: Option<String>,
    /// A PLOVER event type the article codes (`ACCUSE`).
    pub event: Option<String>,
    /// First and last publication day, `YYYY-MM-DD`, inclusive (undated articles are left out
    /// when either is given).
    pub from: Option<String>,
    pub to: Option<String>,
    /// Only these article ids (a story's or an incident's).
    pub ids: Option<Vec<String>>,
}

#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct EntitySummary {
    pub id: String,
    pub label: String,
    pub kind: String,
    pub country: Option<String>,
    /// Articles that name it.
    pub articles: usize,
    pub mentions: usize,
}

/// A name one outlet used for an entity, with how often.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct OutletName {
    /// The outlet, or the source file when the outlet is unknown.
    pub outlet: String,
    /// The name as written.
    pub name: String,
    /// The catalog alias it matched.
    pub alias: Option<String>,
    pub framing: Option<String>,
    pub adjective: bool,
    pub mentions: usize,
}

/// Filters for [`Store::entities`].
#[derive(Debug, Clone, Default)]
pub struct EntityQuery {
    pub kind: Option<String>,
    pub limit: usize,
    pub offset: usize,
}

/// The columns of an [`EntitySummary`], over `entity_mentions` grouped by entity.
const ENTITY_SUMMARY: &str =
    "entity_id, max(label), max(kind), max(country), count(DISTINCT article_id), count(*)";

/// Reads a row of [`ENTITY_SUMMARY`] columns.
fn entity_summary(row: &rusqlite::Row<'_>) -> rusqlite::Result<EntitySummary> {
    Ok(EntitySummary {
        id: row.get(0)?,
        label: row.get(1)?,
        kind: row.get(2)?,
        country: row.get(3)?,
        articles: usize::try_from(row.get::<_, i64>(4)?).unwrap_or(0),
        mentions: usize::try_from(row.get::<_, i64>(5)?).unwrap_or(0),
    })
}

/// What stories are ordered by, per stored article (see [`Store::article_keys`]).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ArticleKey {
    pub id: String,
    pub published: Option<String>,
    /// The values of its page-header dates.
    pub page_dates: Vec<String>,
}

/// An open store.
#[derive(Debug)]
pub struct Store {
    conn: Connection,
}

impl Store {
    /// Opens (creating if needed) the store at `path` and brings its schema up to date.
    ///
    /// # Errors
    /// When the file cannot be opened as SQLite, or was written by a newer rasad.
    pub fn open(path: &Path) -> Result<Self> {
        let conn = Connection::open(path)?;
        Self::configure(conn)
    }

    /// An in-memory store, for tests and one-off analysis.
    ///
    /// # Errors
    /// Only if SQLite itself fails.
    pub fn open_in_memory() -> Result<Self> {
        Self::configure(Connection::open_in_memory()?)
    }

    fn configure(mut conn: Connection) -> Result<Self> {
        conn.busy_timeout(std::time::Duration::from_secs(10))?;
        // WAL lets readers (the server, `rasad articles`) run beside an ingest; NORMAL sync keeps every
        // committed transaction across a process crash, which is what a killed ingest needs.
        conn.pragma_update(None, "journal_mode", "WAL")?;
        conn.pragma_update(None, "synchronous", "NORMAL")?;
        conn.pragma_update(None, "foreign_keys", "ON")?;
        migrations::migrate(&mut conn)?;
        Ok(Self { conn })
    }

    /// The schema version the store is at.
    ///
    /// # Errors
    /// Only if SQLite fails.
    pub fn schema_version(&self) -> Result<i64> {
        Ok(self
            .conn
            .pragma_query_value(None, "user_version", |row| row.get(0))?)
    }

    /// The articles of a batch that [`Store::insert_batch`] stored as new, given its outcomes.
    #[must_use]
    pub fn inserted<'a>(batch: &'a [AnalyzedArticle], outcomes: &[Outcome]) -> Vec<&'a AnalyzedArticle> {
        batch
            .iter()
            .zip(outcomes)
            .filter(|(_, o)| **o == Outcome::Inserted)
            .map(|(a, _)| a)
            .collect()
    }

    /// Stores a batch of analysed articles in one transaction and says, per article, whether it was
    /// new or a duplicate. Either the whole batch is committed or none of it.
    ///
    /// # Errors
    /// When SQLite fails; the transaction is then rolled back.
    pub fn insert_batch(&mut self, batch: &[AnalyzedArticle]) -> Result<Vec<Outcome>> {
        let tx = self.conn.transaction()?;
        let mut outcomes = Vec::with_capacity(batch.len());
        {
            let mut insert = tx.prepare_cached(
                "INSERT OR IGNORE INTO articles
                   (id, source, format, url, outlet, lang, title, text, original, published, ingested_at, record)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12)",
            )?;
            let mut mention = tx.prepare_cached(
                "INSERT INTO entity_mentions
                   (article_id, entity_id, label, kind, country, surface, alias, framing, adjective, start, end)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)",
            )?;
            for item in batch {
                let a = &item.article;
                let record = serde_json::to_string(item)?;
                let changed = insert.execute(params![
                    a.id.as_str(),
                    a.source,
                    a.format.as_str(),
                    a.url,
                    a.outlet,
                    a.lang.code(),
                    a.title,
                    a.text,
                    a.original,
                    a.published,
                    a.ingested_at,
                    record,
                ])?;
                if changed == 1 {
                    for entity in &item.analysis.entities {
                        for m in &entity.mentions {
                            mention.execute(params![
                                a.id.as_str(),
                                entity.id,
                                entity.label,
                                serde_json::to_value(entity.kind)?.as_str().unwrap_or(""),
                                entity.country,
                                m.text,
                                m.alias,
                                m.framing
                                    .map(serde_json::to_value)
                                    .transpose()?
                                    .and_then(|v| v.as_str().map(str::to_string)),
                                m.adjective,
                                i64::try_from(m.span.start).unwrap_or(i64::MAX),
                                i64::try_from(m.span.end).unwrap_or(i64::MAX),
                            ])?;
                        }
                    }
                }
                outcomes.push(if changed == 1 {
                    Outcome::Inserted
                } else {
                    Outcome::Duplicate
                });
            }
        }
        tx.commit()?;
        Ok(outcomes)
    }

    /// Whether an article with this id is stored.
    ///
    /// # Errors
    /// Only if SQLite fails.
    pub fn contains(&self, id: &ArticleId) -> Result<bool> {
        let found: Option<i64> = self
            .conn
            .query_row("SELECT 1 FROM articles WHERE id = ?1", [id.as_str()], |row| {
                row.get(0)
            })
            .optional()?;
        Ok(found.is_some())
    }

    /// Every stored article's id, publication date and page-header dates (the `page` dates of its
    /// analysis that have a value), in id order: what a caller sorts by before reading the articles one
    /// at a time with [`Store::get`].
    ///
    /// # Errors
    /// Only if SQLite fails or a stored record is not JSON.
    pub fn article_keys(&self) -> Result<Vec<ArticleKey>> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT id, published,
                    (SELECT json_group_array(json_extract(d.value, '$.value'))
                       FROM json_each(record, '$.analysis.dates') AS d
                      WHERE json_extract(d.value, '$.role') = 'page'
                        AND json_extract(d.value, '$.value') IS NOT NULL)
               FROM articles ORDER BY id",
        )?;
        let rows = stmt.query_map([], |row| {
            Ok((
                row.get::<_, String>(0)?,
                row.get::<_, Option<String>>(1)?,
                row.get::<_, Option<String>>(2)?,
            ))
        })?;
        let mut out = Vec::new();
        for row in rows {
            let (id, published, pages) = row?;
            let pages: Vec<String> = match pages {
                Some(json) => serde_json::from_str(&json)?,
                None => Vec::new(),
            };
            out.push(ArticleKey {
                id,
                published,
                page_dates: pages,
            });
        }
        Ok(out)
    }

    /// How many articles are stored.
    ///
    /// # Errors
    /// Only if SQLite fails.
    pub fn count(&self) -> Result<usize> {
        let n: i64 = self
            .conn
            .query_row("SELECT count(*) FROM articles", [], |row| row.get(0))?;
        Ok(usize::try_from(n).unwrap_or(0))
    }

    /// Lists stored articles, newest publication first (undated last), then by ingest order.
    ///
    /// # Errors
    /// Only if SQLite fails.
    pub fn list(&self, query: &ListQuery) -> Result<Vec<ArticleSummary>> {
        let limit = i64::try_from(query.limit).unwrap_or(i64::MAX);
        let offset = i64::try_from(query.offset).unwrap_or(0);
        let mut stmt = self.conn.prepare_cached(
            "SELECT id, source, lang, title, outlet, published, ingested_at FROM articles
             WHERE (?1 IS NULL OR lang = ?1)
             ORDER BY published IS NULL, published DESC, rowid
             LIMIT ?2 OFFSET ?3",
        )?;
        let rows = stmt.query_map(params![query.lang, limit, offset], |row| {
            Ok(ArticleSummary {
                id: row.get(0)?,
                source: row.get(1)?,
                lang: row.get(2)?,
                title: row.get(3)?,
                outlet: row.get(4)?,
                published: row.get(5)?,
                ingested_at: row.get(6)?,
            })
        })?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// Reads every article that `filter` admits, in the order they were stored, one at a time (its
    /// original bytes left out), and hands each to `each`: memory stays flat whatever the store's
    /// size. Returns how many were read. Stops at the first error `each` returns.
    ///
    /// # Errors
    /// When SQLite fails, a stored record is not valid JSON, or `each` fails.
    pub fn scan<E: From<StoreError>>(
        &self,
        filter: &ArticleFilter,
        mut each: impl FnMut(AnalyzedArticle) -> std::result::Result<(), E>,
    ) -> std::result::Result<usize, E> {
        let ids = filter
            .ids
            .as_ref()
            .map(serde_json::to_string)
            .transpose()
            .map_err(StoreError::from)?;
        let mut stmt = self
            .conn
            .prepare(
                "SELECT record FROM articles a
                 WHERE (?1 IS NULL OR lang = ?1)
                   AND (?2 IS NULL OR outlet = ?2)
                   AND (?3 IS NULL OR EXISTS (SELECT 1 FROM entity_mentions m
                                              WHERE m.article_id = a.id AND m.entity_id = ?3))
                   AND (?4 IS NULL OR EXISTS (SELECT 1 FROM json_each(a.record, '$.analysis.events') e
                                              WHERE upper(json_extract(e.value, '$.type')) = upper(?4)))
                   AND (?5 IS NULL OR substr(published, 1, 10) >= ?5)
                   AND (?6 IS NULL OR substr(published, 1, 10) <= ?6)
                   AND (?7 IS NULL OR id IN (SELECT value FROM json_each(?7)))
                 ORDER BY rowid",
            )
            .map_err(StoreError::from)?;
        let mut rows = stmt
            .query(params![
                filter.lang,
                filter.outlet,
                filter.entity,
                filter.event,
                filter.from,
                filter.to,
                ids
            ])
            .map_err(StoreError::from)?;
        let mut n = 0;
        while let Some(row) = rows.next().map_err(StoreError::from)? {
            let record: String = row.get(0).map_err(StoreError::from)?;
            let item: AnalyzedArticle = serde_json::from_str(&record).map_err(StoreError::from)?;
            each(item)?;
            n += 1;
        }
        Ok(n)
    }

    /// Fetches one article with its analysis and original bytes, by id or unambiguous id prefix
    /// (at least 4 hex digits).
    ///
    /// # Errors
    /// [`StoreError::AmbiguousId`] when the prefix matches several articles.
    pub fn get(&self, id_or_prefix: &str) -> Result<Option<AnalyzedArticle>> {
        let key = id_or_prefix.trim().to_ascii_lowercase();
        if key.len() < 4 || !key.chars().all(|c| c.is_ascii_hexdigit()) {
            return Ok(None);
        }
        let mut stmt = self.conn.prepare_cached(
            "SELECT record, original FROM articles WHERE id >= ?1 AND id < ?1 || 'g' ORDER BY id LIMIT 2",
        )?;
        let mut rows: Vec<(String, Vec<u8>)> = stmt
            .query_map([&key], |row| Ok((row.get(0)?, row.get(1)?)))?
            .collect::<rusqlite::Result<_>>()?;
        if rows.len() > 1 {
            return Err(StoreError::AmbiguousId(key));
        }
        let Some((record, original)) = rows.pop() else {
            return Ok(None);
        };
        let mut item: AnalyzedArticle = serde_json::from_str(&record)?;
        item.article.original = original;
        Ok(Some(item))
    }

    /// Entities named in the stored articles, most widely named first.
    ///
    /// # Errors
    /// Only if SQLite fails.
    pub fn entities(&self, query: &EntityQuery) -> Result<Vec<EntitySummary>> {
        let limit = i64::try_from(query.limit).unwrap_or(i64::MAX);
        let offset = i64::try_from(query.offset).unwrap_or(0);
        let mut stmt = self.conn.prepare_cached(&format!(
            "SELECT {ENTITY_SUMMARY} FROM entity_mentions
             WHERE (?1 IS NULL OR kind = ?1)
             GROUP BY entity_id
             ORDER BY count(DISTINCT article_id) DESC, count(*) DESC, entity_id
             LIMIT ?2 OFFSET ?3"
        ))?;
        let rows = stmt.query_map(params![query.kind, limit, offset], entity_summary)?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// One entity's summary, and the names each outlet used for it (منافقین in one, مجاهدي خلق in
    /// another), most used first.
    ///
    /// # Errors
    /// Only if SQLite fails.
    pub fn entity(&self, id: &str) -> Result<Option<(EntitySummary, Vec<OutletName>)>> {
        let summary = self
            .conn
            .query_row(
                &format!(
                    "SELECT {ENTITY_SUMMARY} FROM entity_mentions WHERE entity_id = ?1 GROUP BY entity_id"
                ),
                [id],
                entity_summary,
            )
            .optional()?;
        let Some(summary) = summary else {
            return Ok(None);
        };
        let mut stmt = self.conn.prepare_cached(
            "SELECT coalesce(a.outlet, a.source), m.surface, m.alias, m.framing, m.adjective, count(*)
             FROM entity_mentions m JOIN articles a ON a.id = m.article_id
             WHERE m.entity_id = ?1
             GROUP BY 1, 2, 3, 4, 5
             ORDER BY 1, count(*) DESC, 2",
        )?;
        let names = stmt
            .query_map([id], |row| {
                Ok(OutletName {
                    outlet: row.get(0)?,
                    name: row.get(1)?,
                    alias: row.get(2)?,
                    framing: row.get(3)?,
                    adjective: row.get(4)?,
                    mentions: usize::try_from(row.get::<_, i64>(5)?).unwrap_or(0),
                })
            })?
            .collect::<rusqlite::Result<_>>()?;
        Ok(Some((summary, names)))
    }

    /// SQLite's `data_version`: it changes when another connection (another process, say a
    /// `rasad ingest` beside a server) commits to the file, and not for this connection's commits.
    ///
    /// # Errors
    /// Only if SQLite fails.
    pub fn data_version(&self) -> Result<i64> {
        Ok(self
            .conn
            .pragma_query_value(None, "data_version", |row| row.get(0))?)
    }

    /// The largest article rowid (0 for an empty store): articles stored later have larger ones.
    ///
    /// # Errors
    /// Only if SQLite fails.
    pub fn last_rowid(&self) -> Result<i64> {
        Ok(self
            .conn
            .query_row("SELECT coalesce(max(rowid), 0) FROM articles", [], |row| {
                row.get(0)
            })?)
    }

    /// The ids of the articles stored after rowid `after`, in storing order, with their rowids.
    ///
    /// # Errors
    /// Only if SQLite fails.
    pub fn ids_after(&self, after: i64) -> Result<Vec<(i64, String)>> {
        let mut stmt = self
            .conn
            .prepare_cached("SELECT rowid, id FROM articles WHERE rowid > ?1 ORDER BY rowid")?;
        let rows = stmt.query_map([after], |row| Ok((row.get(0)?, row.get(1)?)))?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// Runs SQLite's own consistency check; `"ok"` when the file is sound.
    ///
    /// # Errors
    /// Only if SQLite fails.
    pub fn integrity_check(&self) -> Result<String> {
        Ok(self
            .conn
            .query_row("PRAGMA integrity_check", [], |row| row.get(0))?)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use rasad_model::{
        Analysis, Article, Boilerplate, Entity, EntityKind, Framing, Lang, Mention, SourceFormat, Span,
    };

    fn item(text: &str, published: Option<&str>) -> AnalyzedArticle {
        AnalyzedArticle {
            article: Article {
                id: ArticleId::derive(None, None, text),
                source: format!("{text}.txt"),
                format: SourceFormat::Text,
                url: None,
                outlet: None,
                provenance: rasad_model::Provenance::default(),
                lang: Lang::Fa,
                lang_confidence: 0.9,
                title: Some(format!("title {text}")),
                text: text.to_string(),
                paragraphs: Vec::new(),
                published: published.map(str::to_string),
                ingested_at: "2026-11-25T00:00:00Z".into(),
                boilerplate: Boilerplate::default(),
                original: format!("raw {text}").into_bytes(),
            },
            analysis: Analysis::default(),
            diagnostics: Vec::new(),
        }
    }

    fn with_mek(text: &str, outlet: &str, name: &str, framing: Option<Framing>) -> AnalyzedArticle {
        let mut a = item(text, None);
        a.article.outlet = Some(outlet.into());
        a.analysis.entities = vec![Entity {
            id: "group:mek".into(),
            label: "People's Mojahedin Organization of Iran".into(),
            kind: EntityKind::ArmedGroup,
            iso3: None,
            country: Some("IRN".into()),
            wikidata: None,
            role: None,
            discovered: false,
            mentions: vec![Mention {
                span: Span::new(0, name.len()),
                text: name.into(),
                alias: Some(name.into()),
                framing,
                adjective: false,
                nominal: false,
                used_as: None,
            }],
        }];
        a
    }

    #[test]
    fn entities_remember_which_name_each_outlet_chose() {
        let mut store = Store::open_in_memory().unwrap();
        store
            .insert_batch(&[
                with_mek(
                    "منافقین ...",
                    "jamejamonline.ir",
                    "منافقین",
                    Some(Framing::Pejorative),
                ),
                with_mek("مجاهدي خلق ...", "alarabiya.net", "مجاهدي خلق", None),
                // A duplicate adds no mentions.
                with_mek("مجاهدي خلق ...", "alarabiya.net", "مجاهدي خلق", None),
            ])
            .unwrap();
        let listed = store
            .entities(&EntityQuery {
                kind: None,
                limit: 10,
                offset: 0,
            })
            .unwrap();
        assert_eq!(listed.len(), 1);
        assert_eq!((listed[0].articles, listed[0].mentions), (2, 2));
        assert_eq!(listed[0].kind, "armed_group");
        let (_, names) = store.entity("group:mek").unwrap().unwrap();
        let by_outlet: Vec<(&str, &str, Option<&str>)> = names
            .iter()
            .map(|n| (n.outlet.as_str(), n.name.as_str(), n.framing.as_deref()))
            .collect();
        assert_eq!(
            by_outlet,
            [
                ("alarabiya.net", "مجاهدي خلق", None),
                ("jamejamonline.ir", "منافقین", Some("pejorative"))
            ]
        );
        assert!(store.entity("country:XXX").unwrap().is_none());
    }

    #[test]
    fn migration_two_fills_mentions_from_stored_records() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("v1.db");
        // A version-1 store holding one article whose record already has an entity.
        {
            let mut conn = Connection::open(&path).unwrap();
            let tx = conn.transaction().unwrap();
            tx.execute_batch(migrations::V1_FOR_TESTS).unwrap();
            tx.pragma_update(None, "user_version", 1).unwrap();
            let a = with_mek(
                "منافقین ...",
                "jamejamonline.ir",
                "منافقین",
                Some(Framing::Pejorative),
            );
            tx.execute(
                "INSERT INTO articles (id, source, format, lang, text, original, ingested_at, record, outlet)
                 VALUES (?1, 's', 'text', 'fa', ?2, x'00', 'now', ?3, 'jamejamonline.ir')",
                params![
                    a.article.id.as_str(),
                    a.article.text,
                    serde_json::to_string(&a).unwrap()
                ],
            )
            .unwrap();
            tx.commit().unwrap();
        }
        let store = Store::open(&path).unwrap();
        assert_eq!(store.schema_version().unwrap(), migrations::LATEST);
        let (summary, names) = store.entity("group:mek").unwrap().unwrap();
        assert_eq!(summary.articles, 1);
        assert_eq!(names[0].framing.as_deref(), Some("pejorative"));
    }

    #[test]
    fn article_keys_give_published_and_page_dates_only() {
        let mut store = Store::open_in_memory().unwrap();
        let mut paged = item("paged", None);
        let date = |value: Option<&str>, role| rasad_model::DateMention {
            span: rasad_model::Span::new(0, 1),
            text: "x".into(),
            value: value.map(str::to_string),
            granularity: rasad_model::Granularity::Day,
            calendar: rasad_model::Calendar::Gregorian,
            role,
            relative: false,
            note: None,
        };
        paged.analysis.dates = vec![
            date(Some("2022-09-07"), rasad_model::DateRole::Mention),
            date(None, rasad_model::DateRole::Page),
            date(Some("2022-09-08"), rasad_model::DateRole::Page),
        ];
        let dated = item("dated", Some("2022-09-09"));
        store.insert_batch(&[paged.clone(), dated.clone()]).unwrap();
        let keys = store.article_keys().unwrap();
        let find = |a: &AnalyzedArticle| {
            keys.iter()
                .find(|k| k.id == a.article.id.as_str())
                .unwrap()
                .clone()
        };
        assert_eq!(find(&paged).published, None);
        assert_eq!(find(&paged).page_dates, ["2022-09-08"]);
        assert_eq!(find(&dated).published.as_deref(), Some("2022-09-09"));
        assert!(find(&dated).page_dates.is_empty());
    }

    #[test]
    fn inserts_are_idempotent_within_and_across_batches() {
        let mut store = Store::open_in_memory().unwrap();
        let outcomes = store
            .insert_batch(&[item("a", None), item("b", None), item("a", None)])
            .unwrap();
        assert_eq!(
            outcomes,
            [Outcome::Inserted, Outcome::Inserted, Outcome::Duplicate]
        );
        let outcomes = store.insert_batch(&[item("b", None), item("c", None)]).unwrap();
        assert_eq!(outcomes, [Outcome::Duplicate, Outcome::Inserted]);
        assert_eq!(store.count().unwrap(), 3);
    }

    #[test]
    fn get_restores_original_bytes_and_accepts_prefixes() {
        let mut store = Store::open_in_memory().unwrap();
        let a = item("a", Some("2022-09-08"));
        store.insert_batch(std::slice::from_ref(&a)).unwrap();
        let id = a.article.id.as_str();
        let back = store.get(&id[..8]).unwrap().unwrap();
        assert_eq!(back, a);
        assert_eq!(back.article.original, b"raw a");
        assert!(store.get("zzzz").unwrap().is_none());
        assert!(
            store.get("ab").unwrap().is_none(),
            "too short a prefix is no match"
        );
    }

    #[test]
    fn listing_is_newest_first_and_filters_by_language() {
        let mut store = Store::open_in_memory().unwrap();
        store
            .insert_batch(&[
                item("old", Some("2020-01-01")),
                item("undated", None),
                item("new", Some("2022-09-08")),
            ])
            .unwrap();
        let all = store
            .list(&ListQuery {
                limit: 10,
                ..ListQuery::default()
            })
            .unwrap();
        let texts: Vec<_> = all.iter().map(|s| s.source.as_str()).collect();
        assert_eq!(texts, ["new.txt", "old.txt", "undated.txt"]);
        let none = store
            .list(&ListQuery {
                lang: Some("ar".into()),
                limit: 10,
                offset: 0,
            })
            .unwrap();
        assert!(none.is_empty());
    }

    #[test]
    fn reopening_a_file_keeps_data_and_schema() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("r.db");
        {
            let mut store = Store::open(&path).unwrap();
            store.insert_batch(&[item("a", None)]).unwrap();
        }
        let store = Store::open(&path).unwrap();
        assert_eq!(store.count().unwrap(), 1);
        assert_eq!(store.schema_version().unwrap(), migrations::LATEST);
        assert_eq!(store.integrity_check().unwrap(), "ok");
    }

    #[test]
    fn a_newer_schema_is_refused() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("r.db");
        Store::open(&path).unwrap();
        let conn = Connection::open(&path).unwrap();
        conn.pragma_update(None, "user_version", 999).unwrap();
        drop(conn);
        let err = Store::open(&path).unwrap_err();
        assert!(err.to_string().contains("schema version 999"), "{err}");
    }
}
