//! The incident tables: each article's incident signature (JSON the store does not read), the
//! incident it belongs to, and the keys by which other articles of the same operation find it.
//! The linking itself is rasad-incidents'; the store only keeps and looks up its rows.

use rusqlite::{OptionalExtension, params};

use crate::{Result, Store};

/// One article's signature as written by rasad-incidents.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SignatureRow {
    pub article_id: String,
    /// The lookup keys (operation, victim, state and group ids).
    pub keys: Vec<String>,
    /// The earliest and latest day the article's operation or publication spans (for lookups
    /// near in time), when known.
    pub days: Option<(i64, i64)>,
    /// The signature as JSON.
    pub signature: String,
}

/// An article's stored signature and the incident it is in.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IncidentRow {
    pub article_id: String,
    pub signature: String,
    pub incident_id: Option<String>,
}

impl Store {
    /// Stores signatures (replacing an article's earlier one) and sets each one's incident, all in
    /// one transaction.
    ///
    /// # Errors
    /// Only if SQLite fails; nothing is written then.
    pub fn put_incident_signatures(&mut self, rows: &[(SignatureRow, Option<String>)]) -> Result<()> {
        let tx = self.conn.transaction()?;
        {
            let mut del = tx.prepare_cached("DELETE FROM incident_keys WHERE article_id = ?1")?;
            let mut put = tx.prepare_cached(
                "INSERT OR REPLACE INTO incident_signatures (article_id, signature, incident_id)
                 VALUES (?1, ?2, ?3)",
            )?;
            let mut key = tx.prepare_cached(
                "INSERT INTO incident_keys (key, article_id, lo, hi) VALUES (?1, ?2, ?3, ?4)",
            )?;
            for (row, incident) in rows {
                del.execute([&row.article_id])?;
                put.execute(params![row.article_id, row.signature, incident])?;
                for k in &row.keys {
                    key.execute(params![
                        k,
                        row.article_id,
                        row.days.map(|d| d.0),
                        row.days.map(|d| d.1)
                    ])?;
                }
            }
        }
        tx.commit()?;
        Ok(())
    }

    /// The stored signatures under any of `keys` whose days come within `slack` days of `days`
    /// (or that have no days), each once.
    ///
    /// # Errors
    /// Only if SQLite fails.
    pub fn incident_candidates(
        &self,
        keys: &[String],
        days: Option<(i64, i64)>,
        slack: i64,
    ) -> Result<Vec<IncidentRow>> {
        let (lo, hi) = days.map_or((i64::MIN / 4, i64::MAX / 4), |(a, b)| (a - slack, b + slack));
        let mut stmt = self.conn.prepare_cached(
            "SELECT DISTINCT s.article_id, s.signature, s.incident_id
               FROM incident_keys k JOIN incident_signatures s ON s.article_id = k.article_id
              WHERE k.key = ?1 AND (k.lo IS NULL OR (k.hi >= ?2 AND k.lo <= ?3))",
        )?;
        let mut out: Vec<IncidentRow> = Vec::new();
        for k in keys {
            let rows = stmt.query_map(params![k, lo, hi], row_of)?;
            for row in rows {
                let row = row?;
                if !out.iter().any(|r| r.article_id == row.article_id) {
                    out.push(row);
                }
            }
        }
        Ok(out)
    }

    /// The articles of an incident, with their signatures, in article id order.
    ///
    /// # Errors
    /// Only if SQLite fails.
    pub fn incident_members(&self, incident_id: &str) -> Result<Vec<IncidentRow>> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT article_id, signature, incident_id FROM incident_signatures
              WHERE incident_id = ?1 ORDER BY article_id",
        )?;
        let rows = stmt.query_map([incident_id], row_of)?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// Every article's incident (without the signatures), in article id order.
    ///
    /// # Errors
    /// Only if SQLite fails.
    pub fn incident_assignments(&self) -> Result<Vec<(String, Option<String>)>> {
        let mut stmt = self
            .conn
            .prepare_cached("SELECT article_id, incident_id FROM incident_signatures ORDER BY article_id")?;
        let rows = stmt.query_map([], |row| Ok((row.get(0)?, row.get(1)?)))?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// The incident an article was placed in, if any.
    ///
    /// # Errors
    /// Only if SQLite fails.
    pub fn incident_of(&self, article_id: &str) -> Result<Option<String>> {
        Ok(self
            .conn
            .query_row(
                "SELECT incident_id FROM incident_signatures WHERE article_id = ?1",
                [article_id],
                |row| row.get(0),
            )
            .optional()?
            .flatten())
    }

    /// One article's stored signature.
    ///
    /// # Errors
    /// Only if SQLite fails.
    pub fn incident_signature(&self, article_id: &str) -> Result<Option<String>> {
        Ok(self
            .conn
            .query_row(
                "SELECT signature FROM incident_signatures WHERE article_id = ?1",
                [article_id],
                |row| row.get(0),
            )
            .optional()?)
    }

    /// Moves every article of the incidents `from` (and the articles `also`) into incident `to`.
    ///
    /// # Errors
    /// Only if SQLite fails; nothing is written then.
    pub fn merge_incidents(&mut self, from: &[String], also: &[String], to: &str) -> Result<()> {
        let tx = self.conn.transaction()?;
        {
            let mut by_incident =
                tx.prepare_cached("UPDATE incident_signatures SET incident_id = ?1 WHERE incident_id = ?2")?;
            for f in from {
                by_incident.execute(params![to, f])?;
            }
            let mut by_article =
                tx.prepare_cached("UPDATE incident_signatures SET incident_id = ?1 WHERE article_id = ?2")?;
            for a in also {
                by_article.execute(params![to, a])?;
            }
        }
        tx.commit()?;
        Ok(())
    }

    /// Stored articles that have no incident signature yet, in id order.
    ///
    /// # Errors
    /// Only if SQLite fails.
    pub fn articles_without_signature(&self) -> Result<Vec<String>> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT a.id FROM articles a LEFT JOIN incident_signatures s ON s.article_id = a.id
              WHERE s.article_id IS NULL ORDER BY a.id",
        )?;
        let rows = stmt.query_map([], |row| row.get(0))?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// Forgets every signature and incident (before a rebuild from the articles).
    ///
    /// # Errors
    /// Only if SQLite fails; nothing is deleted then.
    pub fn clear_incidents(&mut self) -> Result<()> {
        let tx = self.conn.transaction()?;
        tx.execute("DELETE FROM incident_keys", [])?;
        tx.execute("DELETE FROM incident_signatures", [])?;
        tx.commit()?;
        Ok(())
    }
}

fn row_of(row: &rusqlite::Row<'_>) -> rusqlite::Result<IncidentRow> {
    Ok(IncidentRow {
        article_id: row.get(0)?,
        signature: row.get(1)?,
        incident_id: row.get(2)?,
    })
}
