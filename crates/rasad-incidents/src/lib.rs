//! Incidents: one cyber operation as every article about it tells it, across stories, outlets,
//! languages and years.
//!
//! - [`signature`]: what identifies the operation an article is mainly about;
//! - [`link`]: which articles report the same operation ([`Linker`], [`Rules`]) and the incidents
//!   as connected components of those links ([`group`]);
//! - [`index`]: incidents kept in the store, updated as articles arrive ([`index::add`]), caught
//!   up and rebuilt from scratch ([`index::rebuild`]);
//! - [`IncidentTable`]: a store's incidents joined through shared stories, with list summaries;
//!   [`IncidentRecord`]: one incident merged from its articles, in EuRepoC's terms.

pub mod index;
pub mod link;
mod record;
pub mod signature;
mod table;

pub use link::{Linker, Rules, group, incident_id};
pub use record::{DatedAttribution, DatedResponse, Effect, IncidentArticle, IncidentRecord, Receiver};
pub use signature::{Signature, When};
pub use table::{IncidentQuery, IncidentSummary, IncidentTable, Named, iso_day};

/// The one error type of the incident layer.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum IncidentError {
    #[error(transparent)]
    Store(rasad_store::StoreError),
    #[error("stored incident signature is not valid JSON: {0}")]
    Json(#[from] serde_json::Error),
}

pub type Result<T> = std::result::Result<T, IncidentError>;

#[cfg(test)]
mod tests;
