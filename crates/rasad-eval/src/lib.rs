//! Evaluation against public gold corpora, read in place from `../shared/corpora` (or a path given):
//! corpus readers, and the language-identification report with its confusion table; and the
//! project's own incident development set (`eval/incidents/`).
//!
//! Nothing here is copied into the project; when the corpora are absent, callers skip cleanly.

mod corpora;
mod dates;
mod entities;
mod extraction;
mod incidents;
mod langid;
mod peer_dates;
mod stories;
mod tagger;
mod unlabelled;

pub use corpora::{
    anercorp_sentences, anercorp_tagged, ecbplus_document, ecbplus_named, ecbplus_names, ecbplus_sentences,
    peyma_files, peyma_sentences, peyma_tagged, saudinewsnet,
};
pub use dates::{DateReport, Prf, evaluate_dates};
pub use entities::{NerReport, evaluate_ner};
pub use extraction::{ExtractionReport, ExtractionScore, evaluate_extraction};
pub use incidents::{
    FIELDS as INCIDENT_FIELDS, FieldScores, GoldArticle, IncidentReport, IncidentSet, Miss,
    analyse as analyse_gold, evaluate_incidents, incident_set_dir, load_incident_set,
    trace as trace_incident_patterns,
};
pub use langid::{LangIdReport, evaluate_langid};
pub use peer_dates::{
    CaseKind, ConversionReport, ConversionScore, PeerCase, PeerDateReport, dateparser_cases,
    evaluate_dateparser, evaluate_umm_al_qura,
};
pub use rasad_entities::tagger::clusters::ClusterSettings;
pub use rasad_entities::tagger::{Clusters, Lexicon};
pub use stories::{DuplicateReport, StoryReport, evaluate_duplicates, evaluate_stories};
pub use tagger::{
    Resources, ScoredOn, Split, TrainRun, TrainSettings, anercorp_split, cluster_text, cross_validate,
    peyma_split, to_example, train_clusters, train_tagger,
};
pub use unlabelled::{UnlabelledText, articles_of as unlabelled_articles, read_unlabelled};

use std::path::PathBuf;

/// The one error type of the evaluation crate.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum EvalError {
    #[error("{path}: {source}")]
    Io { path: PathBuf, source: std::io::Error },
    #[error("{0}: corpus folder not found")]
    Missing(PathBuf),
    #[error("{path}: {message}")]
    Format { path: PathBuf, message: String },
    /// Settings the entity stage refuses (a clustering of one class, too many clusterings). Built
    /// where the settings are checked, not by `?` from any entity error: the other entity errors
    /// here are the training's own files and say which corpora they came from (`Format`).
    #[error(transparent)]
    Settings(rasad_entities::EntityError),
    /// A model or lexicon the training itself just wrote does not read back: a defect of the
    /// training, not of any file on disk, so it names the corpus it was trained on, not a path.
    #[error("the tagger trained on {corpus} does not read back: {source}")]
    Trained {
        corpus: &'static str,
        source: rasad_entities::EntityError,
    },
}

/// The `n` most frequent items of an error count, most frequent first, as "item (count); …".
pub(crate) fn top(counts: &std::collections::HashMap<String, usize>, n: usize) -> String {
    let mut items: Vec<_> = counts.iter().collect();
    items.sort_by(|a, b| b.1.cmp(a.1).then(a.0.cmp(b.0)));
    items
        .iter()
        .take(n)
        .map(|(t, c)| format!("{t} ({c})"))
        .collect::<Vec<_>>()
        .join("; ")
}

/// Finds the shared corpora folder: the given path, else `../shared/corpora` from the working
/// directory or from this crate's workspace. `None` when none exists.
#[must_use]
pub fn find_corpora(given: Option<PathBuf>) -> Option<PathBuf> {
    if let Some(path) = given {
        return path.is_dir().then_some(path);
    }
    let workspace = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../../shared/corpora");
    [PathBuf::from("../shared/corpora"), workspace]
        .into_iter()
        .find(|p| p.is_dir())
}
