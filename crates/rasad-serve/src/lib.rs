//! `rasad serve`: the JSON API and the web UI over the embedded store, from one binary.
//!
//! The UI is three static files compiled into the binary (`ui/`), plain HTML, CSS and JavaScript
//! with no build step. It renders every string from an article with `textContent`, never as
//! markup, and every page is sent with a Content-Security-Policy that allows only the server's own
//! scripts: text from the news cannot run in the page. The server binds to 127.0.0.1 unless told
//! otherwise; on any other address it refuses to start without an ingest token.

pub mod api;
mod error;
mod export;
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
    /// Host names the server answers to besides the loopback names and the address it is bound to
    /// (a reverse proxy's public name). Requests naming any other host are refused, so a page on a
    /// foreign site cannot reach the server by rebinding its DNS name to 127.0.0.1.
    pub allowed_hosts: Vec<String>,
    /// Connections served at once; more wait in the kernel's queue until one closes.
    pub max_connections: usize,
    /// How long a connection may take to send a request's headers, or sit idle between requests,
    /// before it is closed (slow or idle clients cannot hold connections).
    pub header_timeout: std::time::Duration,
}

impl Default for Config {
    fn default() -> Self {
        Self {
            addr: SocketAddr::from(([127, 0, 0, 1], 8484)),
            token: None,
            max_body: 16 * 1024 * 1024,
            allowed_hosts: Vec::new(),
            max_connections: 256,
            header_timeout: std::time::Duration::from_secs(10),
        }
    }
}

/// Longest request target (path and query) answered; longer is a JSON 414.
pub const MAX_URI: usize = 8 * 1024;
/// Largest total of request header names and values answered; larger is a JSON 431. (hyper itself
/// closes a connection whose head exceeds its read buffer, far above this.)
pub const MAX_HEADERS: usize = 16 * 1024;

/// The state every handler shares.
#[derive(Debug)]
pub struct App {
    pub library: Arc<Library>,
    pub token: Option<String>,
    pub max_body: usize,
    /// Host names (lower case, without port) the server answers to; `None` for any (a server bound
    /// beyond loopback without `--allow-host`, where the token guards writes).
    pub hosts: Option<Vec<String>>,
}

impl App {
    /// The host names a server bound to `addr` answers to: loopback names, the bound address, and
    /// the configured ones; any host for a server bound beyond loopback with none configured.
    #[must_use]
    pub fn hosts_for(addr: SocketAddr, allowed: &[String]) -> Option<Vec<String>> {
        if !addr.ip().is_loopback() && allowed.is_empty() {
            return None;
        }
        let mut hosts: Vec<String> = ["localhost", "127.0.0.1", "[::1]"].map(String::from).to_vec();
        let ip = match addr.ip() {
            std::net::IpAddr::V6(v6) => format!("[{v6}]"),
            v4 => v4.to_string(),
        };
        hosts.push(ip);
        hosts.extend(allowed.iter().map(|h| h.trim().to_lowercase()));
        hosts.retain(|h| !h.is_empty());
        hosts.sort();
        hosts.dedup();
        Some(hosts)
    }

    fn answers_for(&self, host: &str) -> bool {
        self.hosts
            .as_ref()
            .is_none_or(|hosts| hosts.iter().any(|h| h == host))
    }
}

/// The host of a `Host` header or an `Origin`'s authority, lower case, without port.
fn host_name(authority: &str) -> String {
    let authority = authority.trim().to_lowercase();
    if authority.starts_with('[') {
        return authority.find(']').map_or(authority.clone(), |end| {
            authority.get(..=end).unwrap_or_default().to_string()
        });
    }
    authority
        .rsplit_once(':')
        .filter(|(_, port)| port.bytes().all(|b| b.is_ascii_digit()))
        .map_or(authority.clone(), |(host, _)| host.to_string())
}

/// Refuses requests for other hosts (DNS rebinding), and writes from foreign pages (CSRF): a POST
/// must be JSON (which a foreign page cannot send without a preflight this server never grants)
/// and, when it carries an `Origin`, come from a host this server answers to.
async fn guard(
    axum::extract::State(app): axum::extract::State<Arc<App>>,
    request: axum::extract::Request,
    next: axum::middleware::Next,
) -> Response {
    use axum::http::{Method, StatusCode};
    let headers = request.headers();
    if let Some(host) = headers.get(header::HOST) {
        let name = host.to_str().map(host_name).unwrap_or_default();
        if !app.answers_for(&name) {
            return ApiError::new(
                StatusCode::MISDIRECTED_REQUEST,
                "unknown_host",
                format!("this server does not answer for host '{name}'; start it with --allow-host {name} if it should"),
            )
            .into_response();
        }
    }
    if request.method() == Method::POST {
        if let Some(origin) = headers.get(header::ORIGIN) {
            let origin = origin.to_str().unwrap_or_default();
            let name = origin.split_once("://").map(|(_, rest)| host_name(rest));
            if name.is_none_or(|n| !app.answers_for(&n)) {
                return ApiError::new(
                    StatusCode::FORBIDDEN,
                    "foreign_origin",
                    format!("writes from the origin '{origin}' are refused"),
                )
                .into_response();
            }
        }
        let json = headers
            .get(header::CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.split(';').next())
            .map(|v| v.trim().to_lowercase())
            .is_some_and(|v| {
                matches!(
                    v.as_str(),
                    "application/json"
                        | "application/x-ndjson"
                        | "application/jsonl"
                        | "application/x-jsonlines"
                )
            });
        if !json {
            return ApiError::new(
                StatusCode::UNSUPPORTED_MEDIA_TYPE,
                "unsupported_media_type",
                "send articles as 'Content-Type: application/json' (an array) or 'application/x-ndjson' (JSON Lines)",
            )
            .into_response();
        }
    }
    next.run(request).await
}

/// The routes: `/api/…` and the UI.
pub fn router(app: Arc<App>) -> Router {
    let api = Router::new()
        .route("/health", get(api::health))
        .route("/stories", get(api::stories))
        .route("/stories/{id}", get(api::story))
        .route("/incidents", get(api::incidents))
        .route("/incidents/{id}", get(api::incident))
        .route("/articles", get(api::articles))
        .route("/articles/{id}", get(api::article))
        .route("/entities", get(api::entities))
        .route("/entities/{id}", get(api::entity))
        .route("/search", get(api::search))
        .route("/sources", get(api::sources))
        .route("/ingest", post(api::ingest))
        .route("/export", get(export::export))
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
        .method_not_allowed_fallback(api::method_not_allowed)
        // Bodies are read by the ingest handler itself, with its own limit and a JSON error.
        .layer(axum::extract::DefaultBodyLimit::disable())
        .layer(axum::middleware::from_fn_with_state(Arc::clone(&app), guard))
        .layer(axum::middleware::from_fn(limits))
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

/// Refuses request targets and header blocks over [`MAX_URI`] and [`MAX_HEADERS`] with a JSON
/// error (the security headers are added by the outer layer).
async fn limits(request: axum::extract::Request, next: axum::middleware::Next) -> Response {
    use axum::http::StatusCode;
    let uri = request.uri().path_and_query().map_or(0, |p| p.as_str().len());
    if uri > MAX_URI {
        return ApiError::new(
            StatusCode::URI_TOO_LONG,
            "uri_too_long",
            format!("the request target is {uri} bytes; at most {MAX_URI}"),
        )
        .into_response();
    }
    let headers: usize = request
        .headers()
        .iter()
        .map(|(k, v)| k.as_str().len() + v.len())
        .sum();
    if headers > MAX_HEADERS {
        return ApiError::new(
            StatusCode::REQUEST_HEADER_FIELDS_TOO_LARGE,
            "headers_too_large",
            format!("the request headers are {headers} bytes; at most {MAX_HEADERS}"),
        )
        .into_response();
    }
    next.run(request).await
}

/// Completes when the server is told to stop.
async fn stopped(stop: &mut tokio::sync::watch::Receiver<bool>) {
    let _ = stop.wait_for(|s| *s).await.map(|_| ());
}

/// A bound server, ready to run.
#[derive(Debug)]
pub struct Server {
    listener: tokio::net::TcpListener,
    router: Router,
    max_connections: usize,
    header_timeout: std::time::Duration,
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
            hosts: App::hosts_for(config.addr, &config.allowed_hosts),
            library,
            token: config.token.filter(|t| !t.is_empty()),
            max_body: config.max_body,
        });
        Ok(Self {
            listener,
            router: router(app),
            max_connections: config.max_connections.max(1),
            header_timeout: config.header_timeout,
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
        use hyper_util::rt::{TokioIo, TokioTimer};
        use tower::ServiceExt;

        let slots = Arc::new(tokio::sync::Semaphore::new(self.max_connections));
        let (stop_tx, stop_rx) = tokio::sync::watch::channel(false);
        let mut http = hyper::server::conn::http1::Builder::new();
        http.timer(TokioTimer::new())
            .header_read_timeout(self.header_timeout)
            .keep_alive(true);
        let mut shutdown = std::pin::pin!(shutdown);
        loop {
            // A slot first: beyond the cap, clients wait in the accept queue instead of each
            // holding a socket the server cannot serve.
            let permit = tokio::select! {
                p = Arc::clone(&slots).acquire_owned() => p,
                () = &mut shutdown => break,
            };
            let Ok(permit) = permit else { break };
            let (stream, _) = tokio::select! {
                accepted = self.listener.accept() => match accepted {
                    Ok(pair) => pair,
                    Err(err) => {
                        // Out of file descriptors and the like: wait a little, then go on.
                        tracing::warn!("accept: {err}");
                        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
                        continue;
                    }
                },
                () = &mut shutdown => break,
            };
            let router = self.router.clone();
            let service =
                hyper::service::service_fn(move |req: axum::http::Request<hyper::body::Incoming>| {
                    router.clone().oneshot(req.map(axum::body::Body::new))
                });
            let conn = http.serve_connection(TokioIo::new(stream), service);
            let mut stop = stop_rx.clone();
            tokio::spawn(async move {
                let mut conn = std::pin::pin!(conn);
                tokio::select! {
                    result = conn.as_mut() => {
                        if let Err(err) = result {
                            tracing::debug!("connection: {err}");
                        }
                    }
                    () = stopped(&mut stop) => {
                        conn.as_mut().graceful_shutdown();
                        let _ = tokio::time::timeout(std::time::Duration::from_secs(10), conn).await;
                    }
                }
                drop(permit);
            });
        }
        let _ = stop_tx.send(true);
        // Requests in flight finish (up to ten seconds).
        let _ = tokio::time::timeout(
            std::time::Duration::from_secs(10),
            slots.acquire_many(u32::try_from(self.max_connections).unwrap_or(u32::MAX)),
        )
        .await;
        Ok(())
    }
}

#[cfg(test)]
mod tests;
