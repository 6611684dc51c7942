//! Monitoring: follows feeds, news sitemaps and pages over HTTP and hands each new item to a
//! [`Sink`] (in the CLI: analysis, the store and the search index) exactly once.
//!
//! - [`sources`]: the sources file (`rasad watch SOURCES.toml`).
//! - [`http`]: one polite, bounded GET (robots.txt, host delay, redirects, retries, size).
//! - [`sitemap`]: news sitemaps and sitemap indexes.
//! - [`watcher`]: the poll loop, its per-source state in the store, and the item ledger that keeps
//!   an item from being ingested twice or lost across restarts.

pub mod error;
pub mod http;
pub mod robots;
pub mod sitemap;
pub mod sources;
pub mod watcher;

pub use error::{Result, WatchError};
pub use http::{FetchFailure, FetchOptions, Fetched, Fetcher, Page, Validators};
pub use sources::{Pages, Source, SourceKind, Sources};
pub use watcher::{PollReport, Sink, Watcher};
