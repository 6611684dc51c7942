//! `rasad serve`: the JSON API and the web UI over the embedded store, from one binary.
//!
//! The UI is three static files compiled into the binary (`ui/`), plain HTML, CSS and JavaScript
//! with no build step. It renders every string from an article with `textContent`, never as
//! markup, and every page is sent with a Content-Security-Policy that allows only the server's own
//! scripts: text from the news cannot run in the page. The server binds to 127.0.0.1 unless told
//! otherwise; on any other address it refuses to start without an ingest token.

pub mod api;
mod error;
mod library;

use std::net::SocketAddr;
use std::sync::Arc;

use axum::Router;
use axum::http::{HeaderValue, header};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};

pub use error::{ApiError, ServeError};
pub use library::{IngestItem, IngestReport, Library, index_dir_for, sync_index};

/// The OpenAPI document of the API (kept in the repository as `crates/rasad-serve/openapi.json`).
pub const OPENAPI: &str = include_str!("../openapi.json");

const INDEX_HTML: &str = include_str!("../ui/index.html");
const APP_JS: &str = include_str!("../ui/app.js");
const APP_CSS: &str = include_str!("../ui/app.css");

/// Sent with every answer: only the server's own script and style, no framing, no plugins.
const CSP: &str = "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; \
                   connect-src 'self'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'";

/// How the server runs.
#[derive(Debug, Clone)]
pub struct Config {
    pub addr: SocketAddr,
    /// Required for ingest when set; required to be set when `addr` is not loopback.
    pub token: Option<String>,
    /// Largest request body, in bytes.
    pub max_body: usize,
}

impl Default for Config {
    fn default() -> Self {
        Self {
            addr: SocketAddr::from(([127, 0, 0, 1], 8484)),
            token: None,
            max_body: 16 * 1024 * 1024,
        }
    }
}

/// The state every handler shares.
#[derive(Debug)]
pub struct App {
    pub library: Arc<Library>,
    pub token: Option<String>,
    pub max_body: usize,
}

/// The routes: `/api/…` and the UI.
pub fn router(app: Arc<App>) -> Router {
    let api = Router::new()
        .route("/health", get(api::health))
        .route("/stories", get(api::stories))
        .route("/stories/{id}", get(api::story))
        .route("/articles", get(api::articles))
        .route("/articles/{id}", get(api::article))
        .route("/entities", get(api::entities))
        .route("/entities/{id}", get(api::entity))
        .route("/search", get(api::search))
        .route("/ingest", post(api::ingest))
        .route("/openapi.json", get(api::openapi))
        .fallback(api::not_found);
    Router::new()
        .route(
            "/",
            get(|| async { asset("text/html; charset=utf-8", INDEX_HTML) }),
        )
        .route(
            "/ui/app.js",
            get(|| async { asset("text/javascript; charset=utf-8", APP_JS) }),
        )
        .route(
            "/ui/app.css",
            get(|| async { asset("text/css; charset=utf-8", APP_CSS) }),
        )
        .nest("/api", api)
        .fallback(api::not_found)
        // Bodies are read by the ingest handler itself, with its own limit and a JSON error.
        .layer(axum::extract::DefaultBodyLimit::disable())
        .layer(axum::middleware::map_response(security_headers))
        .with_state(app)
}

fn asset(content_type: &'static str, body: &'static str) -> Response {
    (
        [
            (header::CONTENT_TYPE, content_type),
            (header::CACHE_CONTROL, "no-cache"),
        ],
        body,
    )
        .into_response()
}

async fn security_headers(mut response: Response) -> Response {
    let headers = response.headers_mut();
    headers.insert(header::CONTENT_SECURITY_POLICY, HeaderValue::from_static(CSP));
    headers.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    headers.insert(header::REFERRER_POLICY, HeaderValue::from_static("no-referrer"));
    headers.insert(header::X_FRAME_OPTIONS, HeaderValue::from_static("DENY"));
    response
}

/// A bound server, ready to run.
#[derive(Debug)]
pub struct Server {
    listener: tokio::net::TcpListener,
    router: Router,
}

impl Server {
    /// Checks the configuration and binds the address.
    ///
    /// # Errors
    /// When the address is not loopback and no token is set, or it cannot be bound.
    pub async fn bind(config: Config, library: Arc<Library>) -> Result<Self, ServeError> {
        if !config.addr.ip().is_loopback() && config.token.as_deref().is_none_or(str::is_empty) {
            return Err(ServeError::TokenRequired(config.addr.to_string()));
        }
        let listener = tokio::net::TcpListener::bind(config.addr)
            .await
            .map_err(|source| ServeError::Bind {
                addr: config.addr.to_string(),
                source,
            })?;
        let app = Arc::new(App {
            library,
            token: config.token.filter(|t| !t.is_empty()),
            max_body: config.max_body,
        });
        Ok(Self {
            listener,
            router: router(app),
        })
    }

    /// The address it listens on (the port chosen when 0 was asked).
    ///
    /// # Errors
    /// When the socket cannot tell.
    pub fn local_addr(&self) -> Result<SocketAddr, ServeError> {
        Ok(self.listener.local_addr()?)
    }

    /// Serves until `shutdown` completes.
    ///
    /// # Errors
    /// On a listener failure.
    pub async fn run(
        self,
        shutdown: impl std::future::Future<Output = ()> + Send + 'static,
    ) -> Result<(), ServeError> {
        axum::serve(self.listener, self.router)
            .with_graceful_shutdown(shutdown)
            .await?;
        Ok(())
    }
}

#[cfg(test)]
mod tests;
