//! The HTTP client: one polite, bounded GET.
//!
//! Every request is bounded in time (a global timeout covers connecting, headers and body, so a
//! stalled server costs at most that) and in size (a declared `Content-Length` above the limit is
//! refused before the body is read; an undeclared one is cut at the limit and refused). Redirects
//! are followed by hand, at most [`FetchOptions::max_redirects`], each checked against robots.txt,
//! and a loop is refused as soon as a URL comes back. Requests to one host are spaced by the host
//! delay or robots.txt's `Crawl-delay`, whichever is longer. Timeouts, connection failures, 5xx
//! and 429 are retried with exponential backoff, a `Retry-After` is honoured up to a bound; other
//! statuses are answers, not failures to retry.

use std::collections::HashMap;
use std::time::{Duration, Instant};

use ureq::Agent;
use ureq::http::{Response, StatusCode};
use url::Url;

use crate::robots::{MAX_ROBOTS_BYTES, Robots};

/// Limits and manners of the client.
#[derive(Debug, Clone)]
pub struct FetchOptions {
    pub user_agent: String,
    /// The least time between two requests to one host.
    pub host_delay: Duration,
    /// The whole of one request: connect, headers and body.
    pub timeout: Duration,
    pub connect_timeout: Duration,
    /// The largest body accepted.
    pub max_bytes: u64,
    pub max_redirects: usize,
    /// Attempts after the first, for failures worth retrying.
    pub retries: u32,
    /// The first backoff; it doubles with each retry.
    pub backoff: Duration,
    /// The longest `Retry-After` waited for within one fetch; a longer one ends the fetch and is
    /// reported, so the caller can come back later.
    pub max_retry_after: Duration,
    /// A `Crawl-delay` above this is taken as this.
    pub max_crawl_delay: Duration,
}

impl Default for FetchOptions {
    fn default() -> Self {
        Self {
            user_agent: crate::sources::DEFAULT_USER_AGENT.to_string(),
            host_delay: Duration::from_secs(2),
            timeout: Duration::from_secs(30),
            connect_timeout: Duration::from_secs(10),
            max_bytes: 16 * 1024 * 1024,
            max_redirects: 5,
            retries: 2,
            backoff: Duration::from_secs(2),
            max_retry_after: Duration::from_secs(60),
            max_crawl_delay: Duration::from_secs(60),
        }
    }
}

/// A response body with what the caller needs from its headers.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Page {
    /// The URL after redirects.
    pub url: String,
    pub status: u16,
    pub bytes: Vec<u8>,
    /// The `charset` of `Content-Type`.
    pub charset: Option<String>,
    pub content_type: Option<String>,
    pub etag: Option<String>,
    pub last_modified: Option<String>,
}

/// What a GET gave.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Fetched {
    /// 2xx with its body.
    Page(Page),
    /// 304 to a conditional request.
    NotModified,
}

/// Why a GET gave nothing.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FetchFailure {
    pub url: String,
    pub message: String,
    /// Refused by rasad itself (robots.txt, size, redirects, scheme): retrying would not help.
    pub refused: bool,
    /// Requests made, retries included.
    pub attempts: u32,
    /// The server asked to be left alone this long (429/503 with `Retry-After`).
    pub retry_after: Option<Duration>,
}

impl std::fmt::Display for FetchFailure {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}: {}", self.url, self.message)?;
        if self.attempts > 1 {
            write!(f, " (after {} attempts)", self.attempts)?;
        }
        Ok(())
    }
}

/// Validators of an earlier response, for a conditional GET.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Validators {
    pub etag: Option<String>,
    pub last_modified: Option<String>,
}

/// Counts of what the client did, for summaries and tests.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Stats {
    pub requests: u64,
    pub retries: u64,
    pub refused: u64,
    pub robots_fetched: u64,
}

/// How long a robots.txt answer is trusted.
const ROBOTS_TTL: Duration = Duration::from_secs(24 * 3600);
/// How long an unreachable robots.txt blocks a host before it is asked again.
const ROBOTS_RETRY: Duration = Duration::from_secs(300);

/// One client for all sources: it remembers each host's robots.txt and last request.
#[derive(Debug)]
pub struct Fetcher {
    agent: Agent,
    options: FetchOptions,
    robots: HashMap<String, (Robots, Instant)>,
    last_request: HashMap<String, Instant>,
    pub stats: Stats,
}

enum Attempt {
    Done(Response<ureq::Body>),
    /// Worth another try, after the server's `Retry-After` if it gave one.
    Retry(String, Option<Duration>),
    Fail(String, bool),
}

impl Fetcher {
    #[must_use]
    pub fn new(options: FetchOptions) -> Self {
        let agent: Agent = Agent::config_builder()
            .http_status_as_error(false)
            .max_redirects(0)
            .max_redirects_will_error(false)
            .timeout_global(Some(options.timeout))
            .timeout_connect(Some(options.connect_timeout))
            .user_agent(options.user_agent.as_str())
            .max_response_header_size(64 * 1024)
            .build()
            .into();
        Self {
            agent,
            options,
            robots: HashMap::new(),
            last_request: HashMap::new(),
            stats: Stats::default(),
        }
    }

    #[must_use]
    pub fn options(&self) -> &FetchOptions {
        &self.options
    }

    /// GETs `url`, following redirects, honouring robots.txt, the host delay and retries.
    ///
    /// # Errors
    /// A [`FetchFailure`] saying what went wrong and whether it was rasad's own refusal.
    pub fn get(&mut self, url: &str, validators: &Validators) -> Result<Fetched, FetchFailure> {
        let mut attempts = 0;
        let mut seen: Vec<String> = Vec::new();
        let mut current = url.to_string();
        loop {
            let parsed = match Url::parse(&current) {
                Ok(u) if matches!(u.scheme(), "http" | "https") && u.host_str().is_some() => u,
                Ok(_) => return Err(self.refuse(&current, "not an http(s) URL", attempts)),
                Err(err) => return Err(self.refuse(&current, &format!("bad URL: {err}"), attempts)),
            };
            if seen.contains(&current) {
                return Err(self.refuse(url, &format!("redirect loop at {current}"), attempts));
            }
            if seen.len() > self.options.max_redirects {
                let message = format!("more than {} redirects", self.options.max_redirects);
                return Err(self.refuse(url, &message, attempts));
            }
            seen.push(current.clone());
            if let Err(why) = self.robots_allow(&parsed) {
                return Err(self.refuse(&current, &why, attempts));
            }
            // Validators belong to the URL they were given for, not to a redirect target.
            let conditional = if seen.len() == 1 {
                validators
            } else {
                &Validators::default()
            };
            let response = self.with_retries(&parsed, conditional, &mut attempts)?;
            let status = response.status();
            if status.is_redirection() && status != StatusCode::NOT_MODIFIED {
                let Some(location) = header(&response, "location") else {
                    return Err(self.fail(&current, &format!("{status} without Location"), attempts));
                };
                match parsed.join(&location) {
                    Ok(next) => {
                        current = next.to_string();
                        continue;
                    }
                    Err(err) => {
                        let message = format!("bad redirect Location {location:?}: {err}");
                        return Err(self.refuse(&current, &message, attempts));
                    }
                }
            }
            if status == StatusCode::NOT_MODIFIED {
                return Ok(Fetched::NotModified);
            }
            if !status.is_success() {
                return Err(self.fail(&current, &format!("HTTP {}", status.as_u16()), attempts));
            }
            return self.read_body(current, response, attempts).map(Fetched::Page);
        }
    }

    fn with_retries(
        &mut self,
        url: &Url,
        validators: &Validators,
        attempts: &mut u32,
    ) -> Result<Response<ureq::Body>, FetchFailure> {
        let mut retry = 0;
        loop {
            *attempts += 1;
            match self.attempt(url, validators) {
                Attempt::Done(response) => return Ok(response),
                Attempt::Fail(message, refused) => {
                    return Err(if refused {
                        self.refuse(url.as_str(), &message, *attempts)
                    } else {
                        self.fail(url.as_str(), &message, *attempts)
                    });
                }
                Attempt::Retry(message, retry_after) => {
                    if let Some(wait) = retry_after
                        && wait > self.options.max_retry_after
                    {
                        let mut failure = self.fail(url.as_str(), &message, *attempts);
                        failure.retry_after = Some(wait);
                        return Err(failure);
                    }
                    if retry >= self.options.retries {
                        let mut failure = self.fail(url.as_str(), &message, *attempts);
                        failure.retry_after = retry_after;
                        return Err(failure);
                    }
                    let backoff = self.options.backoff.saturating_mul(1 << retry.min(16));
                    let wait = retry_after.map_or(backoff, |w| w.max(backoff));
                    tracing::debug!(url = url.as_str(), %message, ?wait, "retrying");
                    self.stats.retries += 1;
                    retry += 1;
                    std::thread::sleep(wait);
                }
            }
        }
    }

    fn attempt(&mut self, url: &Url, validators: &Validators) -> Attempt {
        self.pace(url);
        self.stats.requests += 1;
        let mut request = self.agent.get(url.as_str());
        if let Some(etag) = &validators.etag {
            request = request.header("If-None-Match", etag);
        }
        if let Some(date) = &validators.last_modified {
            request = request.header("If-Modified-Since", date);
        }
        let result = request.call();
        if let Some(host) = host_key(url) {
            self.last_request.insert(host, Instant::now());
        }
        match result {
            Ok(response) => {
                let status = response.status();
                if status == StatusCode::TOO_MANY_REQUESTS || status.is_server_error() {
                    let wait = header(&response, "retry-after").and_then(|v| retry_after(&v));
                    Attempt::Retry(format!("HTTP {}", status.as_u16()), wait)
                } else {
                    Attempt::Done(response)
                }
            }
            Err(ureq::Error::Timeout(what)) => Attempt::Retry(format!("timed out ({what})"), None),
            Err(err @ (ureq::Error::ConnectionFailed | ureq::Error::Io(_) | ureq::Error::HostNotFound)) => {
                Attempt::Retry(err.to_string(), None)
            }
            Err(err @ ureq::Error::LargeResponseHeader(..)) => Attempt::Fail(err.to_string(), true),
            Err(err) => Attempt::Fail(err.to_string(), false),
        }
    }

    fn read_body(
        &mut self,
        url: String,
        mut response: Response<ureq::Body>,
        attempts: u32,
    ) -> Result<Page, FetchFailure> {
        let max = self.options.max_bytes;
        if let Some(length) = header(&response, "content-length").and_then(|v| v.trim().parse::<u64>().ok())
            && length > max
        {
            let message = format!("body of {length} bytes is over the limit of {max}");
            return Err(self.refuse(&url, &message, attempts));
        }
        let etag = header(&response, "etag");
        let last_modified = header(&response, "last-modified");
        let content_type = header(&response, "content-type");
        let status = response.status().as_u16();
        let charset = response.body().charset().map(str::to_string);
        match response.body_mut().with_config().limit(max).read_to_vec() {
            Ok(bytes) => Ok(Page {
                url,
                status,
                bytes,
                charset,
                content_type,
                etag,
                last_modified,
            }),
            Err(ureq::Error::BodyExceedsLimit(_)) => {
                let message = format!("body over the limit of {max} bytes");
                Err(self.refuse(&url, &message, attempts))
            }
            Err(err) => Err(self.fail(&url, &format!("reading the body: {err}"), attempts)),
        }
    }

    /// Waits until the host may be asked again.
    fn pace(&self, url: &Url) {
        let Some(host) = host_key(url) else { return };
        let crawl_delay = self
            .robots
            .get(&host)
            .and_then(|(r, _)| r.crawl_delay)
            .map_or(Duration::ZERO, |d| d.min(self.options.max_crawl_delay));
        let delay = self.options.host_delay.max(crawl_delay);
        if let Some(last) = self.last_request.get(&host) {
            let since = last.elapsed();
            if since < delay {
                std::thread::sleep(delay - since);
            }
        }
    }

    /// Whether robots.txt lets rasad fetch `url`, reading (and caching) the host's robots.txt.
    /// `Ok` when robots.txt lets rasad fetch `url`; otherwise why not.
    fn robots_allow(&mut self, url: &Url) -> Result<(), String> {
        let Some(host) = host_key(url) else {
            return Err("no host in the URL".into());
        };
        let fresh = self.robots.get(&host).is_some_and(|(robots, at)| {
            let ttl = if robots.unreachable_now() {
                ROBOTS_RETRY
            } else {
                ROBOTS_TTL
            };
            at.elapsed() < ttl
        });
        if !fresh {
            let robots = self.read_robots(url);
            self.robots.insert(host.clone(), (robots, Instant::now()));
        }
        let mut path = url.path().to_string();
        if let Some(query) = url.query() {
            path.push('?');
            path.push_str(query);
        }
        match self.robots.get(&host) {
            Some((robots, _)) if robots.allows(&path) => Ok(()),
            Some((robots, _)) => Err(match robots.unreachable_reason() {
                Some(reason) => format!(
                    "robots.txt could not be read ({reason}); nothing is fetched from this host until it can"
                ),
                None => "disallowed by robots.txt".to_string(),
            }),
            None => Err("robots.txt could not be read".into()),
        }
    }

    fn read_robots(&mut self, url: &Url) -> Robots {
        let Ok(robots_url) = url.join("/robots.txt") else {
            return Robots::unreachable("no robots.txt URL for this address");
        };
        self.stats.robots_fetched += 1;
        let token = product_token(&self.options.user_agent);
        // robots.txt redirects are followed (RFC 9309 §2.3.1.2, up to five).
        let mut current = robots_url;
        for _ in 0..5 {
            self.pace(&current);
            self.stats.requests += 1;
            let result = self.agent.get(current.as_str()).call();
            if let Some(host) = host_key(&current) {
                self.last_request.insert(host, Instant::now());
            }
            let mut response = match result {
                Ok(r) => r,
                Err(err) => {
                    tracing::info!(url = current.as_str(), %err, "robots.txt unreachable");
                    return Robots::unreachable(err.to_string());
                }
            };
            let status = response.status();
            if status.is_redirection() {
                match header(&response, "location").and_then(|l| current.join(&l).ok()) {
                    Some(next) => {
                        current = next;
                        continue;
                    }
                    None => return Robots::allow_all(),
                }
            }
            if status.is_success() {
                let bytes = response
                    .body_mut()
                    .with_config()
                    .limit(MAX_ROBOTS_BYTES)
                    .read_to_vec();
                return match bytes {
                    Ok(bytes) => Robots::parse(&String::from_utf8_lossy(&bytes), &token),
                    // Longer than the limit: read what the limit allows.
                    Err(ureq::Error::BodyExceedsLimit(_)) => Robots::allow_all(),
                    Err(err) => Robots::unreachable(err.to_string()),
                };
            }
            if status.is_client_error() {
                return Robots::allow_all();
            }
            return Robots::unreachable(format!("HTTP {}", status.as_u16()));
        }
        Robots::allow_all()
    }

    fn refuse(&mut self, url: &str, message: &str, attempts: u32) -> FetchFailure {
        self.stats.refused += 1;
        FetchFailure {
            url: url.to_string(),
            message: message.to_string(),
            refused: true,
            attempts,
            retry_after: None,
        }
    }

    #[allow(clippy::unused_self)]
    fn fail(&self, url: &str, message: &str, attempts: u32) -> FetchFailure {
        FetchFailure {
            url: url.to_string(),
            message: message.to_string(),
            refused: false,
            attempts,
            retry_after: None,
        }
    }
}

fn header<B>(response: &Response<B>, name: &str) -> Option<String> {
    response
        .headers()
        .get(name)
        .and_then(|v| v.to_str().ok())
        .map(|v| v.trim().to_string())
        .filter(|v| !v.is_empty())
}

/// The host and port requests are paced and robots.txt is kept by.
fn host_key(url: &Url) -> Option<String> {
    let host = url.host_str()?.to_ascii_lowercase();
    Some(match url.port_or_known_default() {
        Some(port) => format!("{}://{host}:{port}", url.scheme()),
        None => format!("{}://{host}", url.scheme()),
    })
}

/// The product token of a User-Agent (`rasad/0.1 (+url)` → `rasad`), matched against robots.txt
/// groups.
fn product_token(user_agent: &str) -> String {
    user_agent.split(['/', ' ']).next().unwrap_or("rasad").to_string()
}

/// `Retry-After`: seconds, or an HTTP date (RFC 9110 §10.2.3).
#[must_use]
pub fn retry_after(value: &str) -> Option<Duration> {
    let value = value.trim();
    if let Ok(secs) = value.parse::<u64>() {
        return Some(Duration::from_secs(secs));
    }
    let date = chrono::DateTime::parse_from_rfc2822(value).ok()?;
    let wait = date.with_timezone(&chrono::Utc) - chrono::Utc::now();
    Some(wait.to_std().unwrap_or(Duration::ZERO))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn retry_after_reads_seconds_and_dates() {
        assert_eq!(retry_after("120"), Some(Duration::from_secs(120)));
        assert_eq!(retry_after(" 0 "), Some(Duration::ZERO));
        // A date in the past means "now".
        assert_eq!(retry_after("Wed, 21 Oct 2015 07:28:00 GMT"), Some(Duration::ZERO));
        let later = (chrono::Utc::now() + chrono::Duration::seconds(300)).to_rfc2822();
        let wait = retry_after(&later).unwrap();
        assert!(
            wait > Duration::from_secs(290) && wait <= Duration::from_secs(300),
            "{wait:?}"
        );
        assert_eq!(retry_after("soon"), None);
        assert_eq!(retry_after("-5"), None);
    }

    #[test]
    fn product_token_is_the_first_word() {
        assert_eq!(product_token("rasad/0.1 (+https://example.org)"), "rasad");
        assert_eq!(product_token("rasad"), "rasad");
    }

    #[test]
    fn hosts_are_kept_apart_by_scheme_and_port() {
        let a = Url::parse("http://Example.org/a").unwrap();
        let b = Url::parse("http://example.org:8080/a").unwrap();
        assert_eq!(host_key(&a).unwrap(), "http://example.org:80");
        assert_ne!(host_key(&a), host_key(&b));
    }
}
