//! Exports of a store for the analyst's own tools, streamed article by article so that memory
//! stays flat whatever the store's size:
//!
//! - [`tables`]: the rows of every table (articles, entity mentions, quotes, events, victims,
//!   attributions, denials, responses, incidents, stories) with ids that join;
//! - [`csv`] and [`parquet`]: those tables as CSV files or typed Parquet files;
//! - [`stix`]: a STIX 2.1 bundle shaped as OpenCTI and MISP import it;
//! - [`jsonl`]: articles, stories and incident records as JSON Lines.
//!
//! Which articles are exported is an [`ExportQuery`]: the search filters plus a story or an
//! incident. Stories and incidents come from [`Joins`], built once from the store.

pub mod csv;
pub mod jsonl;
pub mod parquet;
pub mod stix;
pub mod tables;

use std::collections::BTreeSet;
use std::sync::Arc;

use rasad_incidents::IncidentTable;
use rasad_model::AnalyzedArticle;
use rasad_store::{ArticleFilter, Store};
use rasad_stories::{Assignment, StoryTable};

pub use tables::{Column, Kind, RowSink, Table, Value};

/// The one error type of the exports.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum ExportError {
    #[error(transparent)]
    Store(#[from] rasad_store::StoreError),
    #[error(transparent)]
    Incidents(#[from] rasad_incidents::IncidentError),
    #[error("cannot write the export: {0}")]
    Io(#[from] std::io::Error),
    #[error("cannot write Parquet: {0}")]
    Parquet(#[from] ::parquet::errors::ParquetError),
    #[error("cannot write JSON: {0}")]
    Json(#[from] serde_json::Error),
    #[error("no story '{0}' in the store")]
    NoStory(String),
    #[error("no incident '{0}' in the store")]
    NoIncident(String),
    #[error("unknown export format '{0}' (stix, csv, parquet, jsonl)")]
    Format(String),
    #[error("unknown table '{0}'")]
    Table(String),
}

pub type Result<T> = std::result::Result<T, ExportError>;

/// What an export writes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Stix,
    Csv,
    Parquet,
    Jsonl,
}

impl std::str::FromStr for Format {
    type Err = ExportError;

    fn from_str(s: &str) -> Result<Self> {
        match s.trim().to_ascii_lowercase().as_str() {
            "stix" | "stix2" | "stix2.1" => Ok(Format::Stix),
            "csv" => Ok(Format::Csv),
            "parquet" => Ok(Format::Parquet),
            "jsonl" | "ndjson" => Ok(Format::Jsonl),
            other => Err(ExportError::Format(other.to_string())),
        }
    }
}

/// Which articles to export: the search filters, plus one story's or one incident's articles.
#[derive(Debug, Clone, Default)]
pub struct ExportQuery {
    pub filter: ArticleFilter,
    pub story: Option<String>,
    pub incident: Option<String>,
}

impl ExportQuery {
    /// The store filter, with the ids of the story's and the incident's articles.
    ///
    /// # Errors
    /// When the story or the incident is not in `joins`.
    pub fn resolve(&self, joins: &Joins) -> Result<ArticleFilter> {
        let mut filter = self.filter.clone();
        let mut restrict = |ids: Vec<String>| {
            filter.ids = Some(match filter.ids.take() {
                Some(prev) => prev.into_iter().filter(|i| ids.contains(i)).collect(),
                None => ids,
            });
        };
        if let Some(story) = &self.story {
            let summary = joins
                .stories
                .as_ref()
                .and_then(|t| t.summary(story))
                .ok_or_else(|| ExportError::NoStory(story.clone()))?;
            restrict(summary.articles.iter().map(|a| a.id.clone()).collect());
        }
        if let Some(incident) = &self.incident {
            let members = joins
                .incidents
                .members(incident)
                .ok_or_else(|| ExportError::NoIncident(incident.clone()))?;
            restrict(members.to_vec());
        }
        Ok(filter)
    }
}

/// The stories and incidents of a store, which the exported articles join.
#[derive(Debug)]
pub struct Joins {
    /// `None` when the export was asked to leave stories out (they are clustered on the fly).
    pub stories: Option<Arc<StoryTable>>,
    pub incidents: Arc<IncidentTable>,
}

impl Joins {
    /// Clusters the store's stories (unless `with_stories` is false) and reads its incidents.
    ///
    /// # Errors
    /// When the store cannot be read.
    pub fn from_store(store: &Store, with_stories: bool) -> Result<Self> {
        let stories = if with_stories {
            Some(StoryTable::from_store(store)?)
        } else {
            None
        };
        let incidents = IncidentTable::from_store(store, stories.as_ref())?;
        Ok(Joins {
            stories: stories.map(Arc::new),
            incidents: Arc::new(incidents),
        })
    }

    /// The story an article was placed in.
    #[must_use]
    pub fn story_of(&self, article: &str) -> Option<&Assignment> {
        self.stories.as_ref().and_then(|t| t.story_of(article))
    }

    /// The incident an article belongs to.
    #[must_use]
    pub fn incident_of(&self, article: &str) -> Option<&str> {
        self.incidents.incident_of(article)
    }
}

/// What an export met: how many articles, and which stories and incidents they belong to.
#[derive(Debug, Clone, Default, serde::Serialize)]
pub struct Seen {
    pub articles: usize,
    /// Rows written per table (table exports only).
    pub rows: std::collections::BTreeMap<String, usize>,
    pub incidents: BTreeSet<String>,
    pub stories: BTreeSet<String>,
}

impl Seen {
    fn note(&mut self, a: &AnalyzedArticle, joins: &Joins) {
        let id = a.article.id.as_str();
        self.articles += 1;
        if let Some(s) = joins.story_of(id) {
            self.stories.insert(s.story.clone());
        }
        if let Some(i) = joins.incident_of(id) {
            self.incidents.insert(i.to_string());
        }
    }
}

/// Reads the articles `query` selects, one at a time, and writes every table's rows to `sink`:
/// the per-article tables as it goes, then the incidents and stories those articles belong to.
///
/// # Errors
/// When the store cannot be read or the sink fails.
pub fn write_tables(
    store: &Store,
    joins: &Joins,
    query: &ExportQuery,
    sink: &mut impl RowSink,
) -> Result<Seen> {
    let filter = query.resolve(joins)?;
    let mut seen = Seen::default();
    let mut counted = Counted {
        sink,
        rows: Table::ALL.iter().map(|t| (t.name().to_string(), 0)).collect(),
    };
    store.scan(&filter, |a| -> Result<()> {
        seen.note(&a, joins);
        tables::article_rows(&a, joins, &mut counted)
    })?;
    tables::group_rows(joins, &seen, &mut counted)?;
    seen.rows = counted.rows;
    Ok(seen)
}

/// A sink that counts the rows it passes on.
struct Counted<'s, S> {
    sink: &'s mut S,
    rows: std::collections::BTreeMap<String, usize>,
}

impl<S: RowSink> RowSink for Counted<'_, S> {
    fn row(&mut self, table: Table, values: Vec<Value>) -> Result<()> {
        *self.rows.entry(table.name().to_string()).or_default() += 1;
        self.sink.row(table, values)
    }
}

#[cfg(test)]
mod tests;
