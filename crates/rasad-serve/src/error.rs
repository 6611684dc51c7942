//! Errors: [`ServeError`] for the crate, [`ApiError`] for what a client sees (always JSON:
//! `{"error": {"status": 404, "code": "not_found", "message": "…"}}`).

use axum::Json;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};

/// The one error type of the serve crate.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum ServeError {
    #[error(transparent)]
    Store(#[from] rasad_store::StoreError),
    #[error(transparent)]
    Search(#[from] rasad_search::SearchError),
    #[error(transparent)]
    Incidents(#[from] rasad_incidents::IncidentError),
    #[error("cannot listen on {addr}: {source}")]
    Bind { addr: String, source: std::io::Error },
    #[error("server error: {0}")]
    Io(#[from] std::io::Error),
    #[error(
        "refusing to listen on {0} without an ingest token: set --token or RASAD_TOKEN (only loopback addresses may go without)"
    )]
    TokenRequired(String),
}

/// An error answered to a client.
#[derive(Debug, Clone)]
pub struct ApiError {
    pub status: StatusCode,
    pub code: &'static str,
    pub message: String,
}

impl ApiError {
    pub fn new(status: StatusCode, code: &'static str, message: impl Into<String>) -> Self {
        Self {
            status,
            code,
            message: message.into(),
        }
    }

    pub fn not_found(message: impl Into<String>) -> Self {
        Self::new(StatusCode::NOT_FOUND, "not_found", message)
    }

    pub fn bad_request(message: impl Into<String>) -> Self {
        Self::new(StatusCode::BAD_REQUEST, "bad_request", message)
    }
}

impl From<ServeError> for ApiError {
    fn from(err: ServeError) -> Self {
        match err {
            ServeError::Search(rasad_search::SearchError::Query(message)) => Self::bad_request(message),
            ServeError::Store(rasad_store::StoreError::AmbiguousId(id)) => Self::new(
                StatusCode::BAD_REQUEST,
                "ambiguous_id",
                format!("id prefix '{id}' matches more than one article; give more characters"),
            ),
            other => {
                tracing::error!("{other}");
                Self::new(StatusCode::INTERNAL_SERVER_ERROR, "internal", other.to_string())
            }
        }
    }
}

impl From<rasad_store::StoreError> for ApiError {
    fn from(err: rasad_store::StoreError) -> Self {
        ServeError::from(err).into()
    }
}

impl From<rasad_search::SearchError> for ApiError {
    fn from(err: rasad_search::SearchError) -> Self {
        ServeError::from(err).into()
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let body = serde_json::json!({
            "error": { "status": self.status.as_u16(), "code": self.code, "message": self.message }
        });
        (self.status, Json(body)).into_response()
    }
}
