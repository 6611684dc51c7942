//! The one error type of rasad-watch.

/// What went wrong reading the sources file, fetching, or keeping the watcher's state.
#[derive(Debug, thiserror::Error)]
pub enum WatchError {
    #[error("{path}: {message}")]
    Sources { path: String, message: String },
    #[error("{url}: {message}")]
    Fetch { url: String, message: String },
    #[error("store: {0}")]
    Store(#[from] rasad_store::StoreError),
}

pub type Result<T, E = WatchError> = std::result::Result<T, E>;
