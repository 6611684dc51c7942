//! The JSON API under `/api`. Every answer is JSON, errors included; lists are pages
//! (`limit` at most [`MAX_PAGE`], `offset`) with the total when it is known.

use std::collections::HashSet;
use std::sync::Arc;

use axum::Json;
use axum::body::Body;
use axum::extract::{FromRequestParts, Path, Query, State};
use axum::http::request::Parts;
use axum::http::{HeaderMap, StatusCode};
use serde::Deserialize;
use serde::de::DeserializeOwned;
use serde_json::{Value, json};

use crate::error::ApiError;
use crate::{App, Library, ServeError};

/// Largest page of any list.
pub const MAX_PAGE: usize = 200;
const DEFAULT_PAGE: usize = 50;
/// Most articles one ingest request may carry.
pub const MAX_INGEST_ITEMS: usize = 10_000;
/// Deepest offset of any list or search: deeper pages are refused (a search keeps offset + limit
/// hits in memory, so an unbounded offset was a remote crash).
pub const MAX_OFFSET: usize = 100_000;

/// Query parameters whose numbers are checked before any work.
pub trait Bounded {
    /// # Errors
    /// A 400 naming the parameter out of range.
    fn check(&self) -> Result<(), ApiError>;
}

fn check_offset(offset: Option<usize>) -> Result<(), ApiError> {
    match offset {
        Some(o) if o > MAX_OFFSET => Err(ApiError::bad_request(format!(
            "'offset' must be at most {MAX_OFFSET}, not {o}; narrow the query instead"
        ))),
        _ => Ok(()),
    }
}

type ApiResult<T = Json<Value>> = Result<T, ApiError>;

/// Query parameters, with a JSON error when they do not parse.
#[derive(Debug)]
pub struct Params<T>(pub T);

impl<S: Send + Sync, T: DeserializeOwned + Bounded> FromRequestParts<S> for Params<T> {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Self::Rejection> {
        let Query(t) = Query::<T>::from_request_parts(parts, state)
            .await
            .map_err(|e| ApiError::bad_request(e.body_text()))?;
        t.check()?;
        Ok(Params(t))
    }
}

/// A path segment, with a JSON error when it does not parse.
#[derive(Debug)]
pub struct Id(pub String);

impl<S: Send + Sync> FromRequestParts<S> for Id {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Self::Rejection> {
        Path::<String>::from_request_parts(parts, state)
            .await
            .map(|Path(id)| Id(id))
            .map_err(|e| ApiError::bad_request(e.body_text()))
    }
}

/// Runs blocking store and index work off the async workers.
async fn blocking<T: Send + 'static>(
    library: &Arc<Library>,
    f: impl FnOnce(&Library) -> Result<T, ApiError> + Send + 'static,
) -> Result<T, ApiError> {
    let library = Arc::clone(library);
    tokio::task::spawn_blocking(move || f(&library))
        .await
        .map_err(internal)?
}

#[derive(Debug, Deserialize)]
pub struct Page {
    limit: Option<usize>,
    offset: Option<usize>,
    lang: Option<String>,
    kind: Option<String>,
}

impl Bounded for Page {
    fn check(&self) -> Result<(), ApiError> {
        check_offset(self.offset)
    }
}

impl Page {
    fn limit(&self) -> usize {
        self.limit.unwrap_or(DEFAULT_PAGE).clamp(1, MAX_PAGE)
    }
    fn offset(&self) -> usize {
        self.offset.unwrap_or(0)
    }
}

fn page_json(total: Option<usize>, limit: usize, offset: usize, items: impl serde::Serialize) -> Json<Value> {
    Json(json!({ "total": total, "limit": limit, "offset": offset, "items": items }))
}

pub async fn health(State(app): State<Arc<App>>) -> ApiResult {
    blocking(&app.library, |lib| {
        let stored = lib.store().count()?;
        Ok(Json(json!({
            "status": "ok",
            "version": env!("CARGO_PKG_VERSION"),
            "articles": stored,
            "indexed": lib.index().len(),
            "stories": lib.stories().len(),
            "incidents": lib.incidents().len(),
            "ready": lib.is_ready(),
        })))
    })
    .await
}

/// The watched sources' state (`rasad watch`, `rasad serve --watch`): polls, errors, items.
pub async fn sources(State(app): State<Arc<App>>) -> ApiResult {
    blocking(&app.library, |lib| {
        let items = lib.store().watch_sources()?;
        Ok(Json(json!({ "total": items.len(), "items": items })))
    })
    .await
}

pub async fn stories(State(app): State<Arc<App>>, Params(page): Params<Page>) -> ApiResult {
    let table = app.library.stories();
    let lang = page.lang.as_deref().filter(|l| !l.is_empty());
    let matching: Vec<&rasad_stories::Summary> = table
        .summaries()
        .iter()
        .filter(|s| lang.is_none_or(|l| s.languages.iter().any(|x| x.code() == l)))
        .collect();
    let items: Vec<&&rasad_stories::Summary> =
        matching.iter().skip(page.offset()).take(page.limit()).collect();
    Ok(page_json(
        Some(matching.len()),
        page.limit(),
        page.offset(),
        items,
    ))
}

pub async fn story(State(app): State<Arc<App>>, Id(id): Id) -> ApiResult {
    blocking(&app.library, move |lib| {
        match lib.stories().story(&lib.store(), &id)? {
            Some(story) => Ok(Json(json!(story))),
            None => Err(ApiError::not_found(format!("no story '{id}'"))),
        }
    })
    .await
}

/// Filters and page of the incident list.
#[derive(Debug, Deserialize)]
pub struct IncidentParams {
    limit: Option<usize>,
    offset: Option<usize>,
    /// A receiver's state: `IRN` or `country:IRN`.
    country: Option<String>,
    accused: Option<String>,
    #[serde(rename = "type")]
    incident_type: Option<String>,
    year: Option<i32>,
    lang: Option<String>,
}

impl Bounded for IncidentParams {
    fn check(&self) -> Result<(), ApiError> {
        check_offset(self.offset)?;
        match self.year {
            Some(y) if !(1900..=2200).contains(&y) => Err(ApiError::bad_request(format!(
                "'year' must be between 1900 and 2200, not {y}"
            ))),
            _ => Ok(()),
        }
    }
}

pub async fn incidents(State(app): State<Arc<App>>, Params(p): Params<IncidentParams>) -> ApiResult {
    let table = app.library.incidents();
    let given = |v: &Option<String>| v.clone().filter(|x| !x.trim().is_empty());
    let query = rasad_incidents::IncidentQuery {
        country: given(&p.country),
        accused: given(&p.accused),
        incident_type: given(&p.incident_type),
        year: p.year,
        lang: given(&p.lang),
    };
    let limit = p.limit.unwrap_or(DEFAULT_PAGE).clamp(1, MAX_PAGE);
    let offset = p.offset.unwrap_or(0);
    let matching = table.select(&query);
    let items: Vec<&&rasad_incidents::IncidentSummary> = matching.iter().skip(offset).take(limit).collect();
    Ok(page_json(Some(matching.len()), limit, offset, items))
}

pub async fn incident(State(app): State<Arc<App>>, Id(id): Id) -> ApiResult {
    blocking(&app.library, move |lib| {
        let stories = lib.stories();
        match lib
            .incidents()
            .incident(&lib.store(), Some(&stories), &id)
            .map_err(ServeError::from)?
        {
            Some(record) => Ok(Json(json!(record))),
            None => Err(ApiError::not_found(format!("no incident '{id}'"))),
        }
    })
    .await
}

fn internal(err: impl std::fmt::Display) -> ApiError {
    ApiError::new(StatusCode::INTERNAL_SERVER_ERROR, "internal", err.to_string())
}

pub async fn articles(State(app): State<Arc<App>>, Params(page): Params<Page>) -> ApiResult {
    blocking(&app.library, move |lib| {
        let store = lib.store();
        let query = rasad_store::ListQuery {
            lang: page.lang.clone().filter(|l| !l.is_empty()),
            limit: page.limit(),
            offset: page.offset(),
        };
        let rows = store.list(&query)?;
        let total = if query.lang.is_none() {
            Some(store.count()?)
        } else {
            None
        };
        Ok(page_json(total, page.limit(), page.offset(), rows))
    })
    .await
}

pub async fn article(State(app): State<Arc<App>>, Id(id): Id) -> ApiResult {
    blocking(&app.library, move |lib| {
        let Some(item) = lib.store().get(&id)? else {
            return Err(ApiError::not_found(format!("no article '{id}'")));
        };
        let mut value = serde_json::to_value(item.record()).map_err(internal)?;
        let placed = lib.stories().story_of(item.article.id.as_str()).cloned();
        let incident = lib
            .incidents()
            .incident_of(item.article.id.as_str())
            .map(str::to_string);
        if let Some(obj) = value.as_object_mut() {
            obj.insert("story".into(), json!(placed.as_ref().map(|p| &p.story)));
            obj.insert("incident".into(), json!(incident));
            obj.insert(
                "copy_of".into(),
                json!(placed.as_ref().and_then(|p| p.copy_of.as_ref())),
            );
            obj.insert("rtl".into(), json!(item.article.lang.is_rtl()));
        }
        Ok(Json(value))
    })
    .await
}

pub async fn entities(State(app): State<Arc<App>>, Params(page): Params<Page>) -> ApiResult {
    blocking(&app.library, move |lib| {
        let query = rasad_store::EntityQuery {
            kind: page.kind.clone().filter(|k| !k.is_empty()),
            limit: page.limit(),
            offset: page.offset(),
        };
        let rows = lib.store().entities(&query)?;
        Ok(page_json(None, page.limit(), page.offset(), rows))
    })
    .await
}

pub async fn entity(State(app): State<Arc<App>>, Id(id): Id) -> ApiResult {
    blocking(&app.library, move |lib| {
        let Some((summary, names)) = lib.store().entity(&id)? else {
            return Err(ApiError::not_found(format!(
                "no entity '{id}' in the stored articles"
            )));
        };
        // The stories of the latest articles that name it.
        let hits = lib.index().search(&rasad_search::SearchQuery {
            entity: Some(id.clone()),
            limit: rasad_search::MAX_LIMIT,
            ..rasad_search::SearchQuery::default()
        })?;
        let table = lib.stories();
        let mut seen = HashSet::new();
        let stories: Vec<&rasad_stories::Summary> = hits
            .hits
            .iter()
            .filter_map(|h| table.story_of(&h.id))
            .filter(|p| seen.insert(p.story.clone()))
            .filter_map(|p| table.summary(&p.story))
            .collect();
        Ok(Json(
            json!({ "entity": summary, "names": names, "stories": stories }),
        ))
    })
    .await
}

#[derive(Debug, Deserialize)]
pub struct SearchParams {
    #[serde(default)]
    q: String,
    lang: Option<String>,
    outlet: Option<String>,
    entity: Option<String>,
    event: Option<String>,
    /// First day, YYYY-MM-DD.
    from: Option<String>,
    /// Last day, YYYY-MM-DD.
    to: Option<String>,
    limit: Option<usize>,
    offset: Option<usize>,
    /// `snippets=false` leaves the snippets out.
    snippets: Option<bool>,
}

impl Bounded for SearchParams {
    fn check(&self) -> Result<(), ApiError> {
        check_offset(self.offset)
    }
}

fn day_param(name: &str, value: Option<&str>) -> Result<Option<i64>, ApiError> {
    match value.filter(|v| !v.is_empty()) {
        None => Ok(None),
        Some(v) => rasad_stories::day_number(v).map(Some).ok_or_else(|| {
            ApiError::bad_request(format!("'{name}' must be a date as YYYY-MM-DD, not '{v}'"))
        }),
    }
}

pub async fn search(State(app): State<Arc<App>>, Params(p): Params<SearchParams>) -> ApiResult {
    let from_day = day_param("from", p.from.as_deref())?;
    let to_day = day_param("to", p.to.as_deref())?;
    let limit = p.limit.unwrap_or(20).clamp(1, rasad_search::MAX_LIMIT);
    let offset = p.offset.unwrap_or(0);
    let query = rasad_search::SearchQuery {
        text: p.q,
        // Empty filters are no filters: the index skips them.
        lang: p.lang,
        outlet: p.outlet,
        entity: p.entity,
        event: p.event,
        from_day,
        to_day,
        limit,
        offset,
        no_snippets: p.snippets == Some(false),
    };
    blocking(&app.library, move |lib| {
        let results = lib.index().search(&query)?;
        let table = lib.stories();
        let hits: Vec<Value> = results
            .hits
            .iter()
            .map(|h| {
                let mut v = json!(h);
                if let Some(obj) = v.as_object_mut() {
                    obj.insert("story".into(), json!(table.story_of(&h.id).map(|p| &p.story)));
                }
                v
            })
            .collect();
        Ok(Json(
            json!({ "total": results.total, "limit": limit, "offset": offset, "items": hits }),
        ))
    })
    .await
}

/// Whether the request carries the ingest token (`Authorization: Bearer …` or `X-Rasad-Token`).
fn authorized(headers: &HeaderMap, token: &str) -> bool {
    let given = headers
        .get("authorization")
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Bearer "))
        .or_else(|| headers.get("x-rasad-token").and_then(|v| v.to_str().ok()));
    // Compare in time independent of where the first difference is.
    given.is_some_and(|g| {
        g.len() == token.len()
            && g.bytes()
                .zip(token.bytes())
                .fold(0u8, |acc, (a, b)| acc | (a ^ b))
                == 0
    })
}

/// POST /api/ingest: a JSON array of article objects, or JSON Lines (the format `rasad ingest`
/// reads: `text`/`maintext`/`content`, `title`, `url`, `published`, `outlet`, `language`).
pub async fn ingest(
    State(app): State<Arc<App>>,
    headers: HeaderMap,
    body: Body,
) -> ApiResult<(StatusCode, Json<Value>)> {
    if let Some(token) = &app.token
        && !authorized(&headers, token)
    {
        return Err(ApiError::new(
            StatusCode::UNAUTHORIZED,
            "unauthorized",
            "this server takes articles only with its token: send 'Authorization: Bearer <token>'",
        ));
    }
    let too_large = || {
        ApiError::new(
            StatusCode::PAYLOAD_TOO_LARGE,
            "payload_too_large",
            format!(
                "the request body is larger than {} bytes; send fewer articles per request",
                app.max_body
            ),
        )
    };
    // A declared length over the limit is refused before a byte of the body is read.
    let declared = headers
        .get(axum::http::header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.trim().parse::<u64>().ok());
    if declared.is_some_and(|n| n > app.max_body as u64) {
        return Err(too_large());
    }
    let bytes = axum::body::to_bytes(body, app.max_body)
        .await
        .map_err(|_| too_large())?;
    let docs = parse_ingest_body(&bytes)?;
    let report = blocking(&app.library, move |lib| Ok(lib.ingest(docs)?)).await?;
    let status = if report.inserted > 0 {
        StatusCode::CREATED
    } else {
        StatusCode::OK
    };
    Ok((status, Json(json!(report))))
}

fn parse_ingest_body(bytes: &[u8]) -> Result<Vec<Result<rasad_ingest::RawDocument, String>>, ApiError> {
    let docs = rasad_ingest::parse_batch(bytes, "api", MAX_INGEST_ITEMS).map_err(|e| match e {
        rasad_ingest::BatchError::TooMany { .. } => {
            ApiError::new(StatusCode::PAYLOAD_TOO_LARGE, "too_many_items", e.to_string())
        }
        other => ApiError::bad_request(other.to_string()),
    })?;
    Ok(docs.into_iter().map(|d| d.map_err(|e| e.to_string())).collect())
}

pub async fn openapi() -> ([(&'static str, &'static str); 1], &'static str) {
    ([("content-type", "application/json")], crate::OPENAPI)
}

pub async fn method_not_allowed() -> ApiError {
    ApiError::new(
        StatusCode::METHOD_NOT_ALLOWED,
        "method_not_allowed",
        "this endpoint does not take that method; see /api/openapi.json",
    )
}

pub async fn not_found() -> ApiError {
    ApiError::not_found("no such endpoint; see /api/openapi.json")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ingest_bodies_in_both_shapes() {
        let lines = b"{\"text\": \"one\"}\n\n{\"text\": \"two\"}\n";
        assert_eq!(parse_ingest_body(lines).unwrap().len(), 2);
        let array = br#" [{"text": "one"}, {"title": "no text"}]"#;
        let docs = parse_ingest_body(array).unwrap();
        assert_eq!(docs.len(), 2);
        assert!(docs.first().unwrap().is_ok());
        assert!(docs.get(1).unwrap().is_err());
        assert!(parse_ingest_body(b"[{").is_err());
        assert!(parse_ingest_body(b"  \n ").is_err());
    }

    #[test]
    fn the_token_must_match_exactly() {
        let mut headers = HeaderMap::new();
        assert!(!authorized(&headers, "secret"));
        headers.insert("authorization", "Bearer secre".parse().unwrap());
        assert!(!authorized(&headers, "secret"));
        headers.insert("authorization", "Bearer secret".parse().unwrap());
        assert!(authorized(&headers, "secret"));
        let mut other = HeaderMap::new();
        other.insert("x-rasad-token", "secret".parse().unwrap());
        assert!(authorized(&other, "secret"));
    }
}
