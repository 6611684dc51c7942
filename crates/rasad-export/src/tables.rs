//! The tables an export writes (CSV and Parquet alike): one row per article, entity mention, quote,
//! event, victim, attribution, denial, response, incident and story, with ids that join. Each
//! fact keeps its evidence: the byte span in the article's text and the text of that span.

use rasad_model::{AnalyzedArticle, Span};

use crate::Joins;

/// A column's type; every column but the `required` ones may be empty (null).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Str,
    Int,
    Bool,
    /// A UTC timestamp (milliseconds).
    Time,
    /// A list of strings.
    List,
}

impl Kind {
    /// The name docs/schema.md uses.
    #[must_use]
    pub fn name(self) -> &'static str {
        match self {
            Kind::Str => "string",
            Kind::Int => "int64",
            Kind::Bool => "bool",
            Kind::Time => "timestamp (UTC, ms)",
            Kind::List => "list<string>",
        }
    }
}

/// One column of a table.
#[derive(Debug, Clone, Copy)]
pub struct Column {
    pub name: &'static str,
    pub kind: Kind,
    pub required: bool,
}

const fn req(name: &'static str, kind: Kind) -> Column {
    Column {
        name,
        kind,
        required: true,
    }
}

const fn opt(name: &'static str, kind: Kind) -> Column {
    Column {
        name,
        kind,
        required: false,
    }
}

/// One value of a row, in its column's order.
#[derive(Debug, Clone, PartialEq)]
pub enum Value {
    Null,
    Str(String),
    Int(i64),
    Bool(bool),
    Time(i64),
    List(Vec<String>),
}

impl From<&str> for Value {
    fn from(s: &str) -> Self {
        Value::Str(s.to_string())
    }
}

impl From<String> for Value {
    fn from(s: String) -> Self {
        Value::Str(s)
    }
}

impl From<Option<&str>> for Value {
    fn from(s: Option<&str>) -> Self {
        s.map_or(Value::Null, Value::from)
    }
}

impl From<Option<String>> for Value {
    fn from(s: Option<String>) -> Self {
        s.map_or(Value::Null, Value::Str)
    }
}

impl From<&Option<String>> for Value {
    fn from(s: &Option<String>) -> Self {
        s.as_deref().into()
    }
}

impl From<bool> for Value {
    fn from(b: bool) -> Self {
        Value::Bool(b)
    }
}

impl From<usize> for Value {
    fn from(n: usize) -> Self {
        Value::Int(i64::try_from(n).unwrap_or(i64::MAX))
    }
}

impl From<&[String]> for Value {
    fn from(l: &[String]) -> Self {
        Value::List(l.to_vec())
    }
}

impl From<Vec<String>> for Value {
    fn from(l: Vec<String>) -> Self {
        Value::List(l)
    }
}

/// The tables, in the order an export writes them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Table {
    Articles,
    Mentions,
    Quotes,
    Events,
    Victims,
    Attributions,
    Denials,
    Responses,
    Incidents,
    Stories,
}

impl Table {
    pub const ALL: [Table; 10] = [
        Table::Articles,
        Table::Mentions,
        Table::Quotes,
        Table::Events,
        Table::Victims,
        Table::Attributions,
        Table::Denials,
        Table::Responses,
        Table::Incidents,
        Table::Stories,
    ];

    /// The table's file name, without extension.
    #[must_use]
    pub fn name(self) -> &'static str {
        match self {
            Table::Articles => "articles",
            Table::Mentions => "mentions",
            Table::Quotes => "quotes",
            Table::Events => "events",
            Table::Victims => "victims",
            Table::Attributions => "attributions",
            Table::Denials => "denials",
            Table::Responses => "responses",
            Table::Incidents => "incidents",
            Table::Stories => "stories",
        }
    }

    /// A table by its name.
    #[must_use]
    pub fn from_name(name: &str) -> Option<Table> {
        Table::ALL.into_iter().find(|t| t.name() == name)
    }

    /// The table's columns.
    #[must_use]
    pub fn columns(self) -> &'static [Column] {
        use Kind::{Bool, Int, List, Str, Time};
        match self {
            Table::Articles => {
                const {
                    &[
                        req("article_id", Str),
                        opt("url", Str),
                        opt("outlet", Str),
                        req("lang", Str),
                        opt("title", Str),
                        opt("published", Time),
                        opt("published_text", Str),
                        opt("ingested_at", Time),
                        req("source", Str),
                        req("format", Str),
                        opt("story_id", Str),
                        opt("copy_of", Str),
                        opt("incident_id", Str),
                        req("chars", Int),
                        req("text", Str),
                    ]
                }
            }
            Table::Mentions => {
                const {
                    &[
                        req("article_id", Str),
                        req("entity_id", Str),
                        req("label", Str),
                        req("kind", Str),
                        opt("country", Str),
                        req("discovered", Bool),
                        req("surface", Str),
                        opt("alias", Str),
                        opt("framing", Str),
                        req("adjective", Bool),
                        req("start", Int),
                        req("end", Int),
                    ]
                }
            }
            Table::Quotes => {
                const {
                    &[
                        req("quote_id", Str),
                        req("article_id", Str),
                        opt("speaker", Str),
                        req("verb", Str),
                        req("stance", Str),
                        req("direct", Bool),
                        req("text", Str),
                        req("start", Int),
                        req("end", Int),
                        req("verb_start", Int),
                        req("verb_end", Int),
                    ]
                }
            }
            Table::Events => {
                const {
                    &[
                        req("event_id", Str),
                        req("article_id", Str),
                        req("type", Str),
                        opt("mode", Str),
                        req("sources", List),
                        req("targets", List),
                        req("context", List),
                        opt("date", Str),
                        req("negated", Bool),
                        opt("reported_by", Str),
                        opt("cameo", Str),
                        req("evidence", Str),
                        req("start", Int),
                        req("end", Int),
                    ]
                }
            }
            Table::Victims => {
                const {
                    &[
                        req("article_id", Str),
                        opt("incident_id", Str),
                        req("record", Int),
                        req("victim_id", Str),
                        req("name", Str),
                        opt("country", Str),
                        req("category", Str),
                        req("evidence", Str),
                        req("start", Int),
                        req("end", Int),
                    ]
                }
            }
            Table::Attributions => {
                const {
                    &[
                        req("attribution_id", Str),
                        req("article_id", Str),
                        opt("incident_id", Str),
                        req("record", Int),
                        opt("attributing_actor", Str),
                        opt("accused_actor", Str),
                        req("basis", List),
                        req("attributor_type", Str),
                        req("stance", Str),
                        req("hedged", Bool),
                        opt("cue", Str),
                        opt("published", Time),
                        req("evidence", Str),
                        req("start", Int),
                        req("end", Int),
                    ]
                }
            }
            Table::Denials => {
                const {
                    &[
                        req("denial_id", Str),
                        req("article_id", Str),
                        opt("incident_id", Str),
                        req("record", Int),
                        opt("actor", Str),
                        opt("denies_attribution_id", Str),
                        req("evidence", Str),
                        req("start", Int),
                        req("end", Int),
                    ]
                }
            }
            Table::Responses => {
                const {
                    &[
                        req("response_id", Str),
                        req("article_id", Str),
                        opt("incident_id", Str),
                        req("record", Int),
                        req("type", Str),
                        opt("actor", Str),
                        opt("target", Str),
                        req("evidence", Str),
                        req("start", Int),
                        req("end", Int),
                    ]
                }
            }
            Table::Incidents => {
                const {
                    &[
                        req("incident_id", Str),
                        req("name", Str),
                        opt("start", Str),
                        req("granularity", Str),
                        req("operations", List),
                        req("receivers", List),
                        req("receiver_countries", List),
                        req("accused", List),
                        req("types", List),
                        req("languages", List),
                        req("articles", Int),
                        req("stories", List),
                        opt("first_seen", Str),
                        opt("last_seen", Str),
                    ]
                }
            }
            Table::Stories => {
                const {
                    &[
                        req("story_id", Str),
                        opt("title", Str),
                        req("languages", List),
                        req("outlets", List),
                        req("independent_sources", Int),
                        opt("first_seen", Str),
                        opt("last_seen", Str),
                        req("articles", Int),
                    ]
                }
            }
        }
    }
}

/// Where rows go: a CSV or Parquet writer, or a test's collector.
pub trait RowSink {
    /// Takes one row of `table`, its values in the table's column order.
    ///
    /// # Errors
    /// When the row cannot be written.
    fn row(&mut self, table: Table, values: Vec<Value>) -> crate::Result<()>;
}

/// Milliseconds since 1970 of an ISO date or date-time (`2022-09-07`, `2022-09-07T10:00:00Z`,
/// `2022-09-07 10:00:00+04:30`), `None` when it is neither.
#[must_use]
pub fn millis(iso: &str) -> Option<i64> {
    let iso = iso.trim();
    if let Ok(t) = chrono::DateTime::parse_from_rfc3339(iso) {
        return Some(t.timestamp_millis());
    }
    if let Ok(t) = chrono::DateTime::parse_from_str(iso, "%Y-%m-%d %H:%M:%S%:z") {
        return Some(t.timestamp_millis());
    }
    if let Ok(t) = chrono::NaiveDateTime::parse_from_str(iso, "%Y-%m-%dT%H:%M:%S") {
        return Some(t.and_utc().timestamp_millis());
    }
    let day = chrono::NaiveDate::parse_from_str(iso.get(..10)?, "%Y-%m-%d").ok()?;
    (iso.len() == 10).then(|| day.and_hms_opt(0, 0, 0).map(|t| t.and_utc().timestamp_millis()))?
}

fn time(iso: Option<&str>) -> Value {
    iso.and_then(millis).map_or(Value::Null, Value::Time)
}

fn evidence(text: &str, span: Span) -> [Value; 3] {
    [
        Value::Str(span.slice(text).unwrap_or_default().to_string()),
        span.start.into(),
        span.end.into(),
    ]
}

/// Writes the rows of one article to every per-article table.
///
/// # Errors
/// When the sink fails.
pub fn article_rows(a: &AnalyzedArticle, joins: &Joins, sink: &mut impl RowSink) -> crate::Result<()> {
    let art = &a.article;
    let id = art.id.as_str();
    let text = art.text.as_str();
    let placed = joins.story_of(id);
    let incident = joins.incident_of(id).map(str::to_string);
    sink.row(
        Table::Articles,
        vec![
            id.into(),
            art.url.as_deref().into(),
            art.outlet.as_deref().into(),
            art.lang.code().into(),
            art.title.as_deref().into(),
            time(art.published.as_deref()),
            art.published.as_deref().into(),
            time(Some(&art.ingested_at)),
            art.source.as_str().into(),
            art.format.as_str().into(),
            placed.map(|p| p.story.clone()).into(),
            placed.and_then(|p| p.copy_of.clone()).into(),
            incident.clone().into(),
            text.chars().count().into(),
            text.into(),
        ],
    )?;
    for e in &a.analysis.entities {
        for m in &e.mentions {
            let framing = m.framing.map(|f| enum_name(&f));
            sink.row(
                Table::Mentions,
                vec![
                    id.into(),
                    e.id.as_str().into(),
                    e.label.as_str().into(),
                    enum_name(&e.kind).into(),
                    e.country.as_deref().into(),
                    e.discovered.into(),
                    m.text.as_str().into(),
                    m.alias.as_deref().into(),
                    framing.into(),
                    m.adjective.into(),
                    m.span.start.into(),
                    m.span.end.into(),
                ],
            )?;
        }
    }
    for (i, q) in a.analysis.quotes.iter().enumerate() {
        sink.row(
            Table::Quotes,
            vec![
                format!("{id}:q{i}").into(),
                id.into(),
                q.speaker.as_deref().into(),
                q.verb.as_str().into(),
                enum_name(&q.stance).into(),
                q.direct.into(),
                q.text.as_str().into(),
                q.span.start.into(),
                q.span.end.into(),
                q.verb_span.start.into(),
                q.verb_span.end.into(),
            ],
        )?;
    }
    for (i, ev) in a.analysis.events.iter().enumerate() {
        let mut row = vec![
            format!("{id}:e{i}").into(),
            id.into(),
            ev.event_type.as_str().into(),
            ev.mode.as_deref().into(),
            ev.sources.as_slice().into(),
            ev.targets.as_slice().into(),
            ev.context.as_slice().into(),
            ev.date.as_deref().into(),
            ev.negated.into(),
            ev.reported_by.as_deref().into(),
            ev.cameo.as_deref().into(),
        ];
        row.extend(evidence(text, ev.evidence));
        sink.row(Table::Events, row)?;
    }
    let published = time(art.published.as_deref());
    for (r, rec) in a.analysis.incidents.iter().enumerate() {
        for v in &rec.victims {
            let mut row = vec![
                id.into(),
                incident.clone().into(),
                r.into(),
                v.id.as_str().into(),
                v.name.as_str().into(),
                v.country.as_deref().into(),
                v.category.as_str().into(),
            ];
            row.extend(evidence(text, v.evidence));
            sink.row(Table::Victims, row)?;
        }
        for (i, at) in rec.attributions.iter().enumerate() {
            let mut row = vec![
                attribution_id(id, r, i).into(),
                id.into(),
                incident.clone().into(),
                r.into(),
                at.attributing_actor.as_deref().into(),
                at.accused_actor.as_deref().into(),
                at.basis.as_slice().into(),
                at.attributor_type.as_str().into(),
                at.stance.as_str().into(),
                at.hedged.into(),
                at.cue.as_deref().into(),
                published.clone(),
            ];
            row.extend(evidence(text, at.evidence));
            sink.row(Table::Attributions, row)?;
        }
        for (i, d) in rec.denials.iter().enumerate() {
            let mut row = vec![
                format!("{id}:r{r}:d{i}").into(),
                id.into(),
                incident.clone().into(),
                r.into(),
                d.actor.as_deref().into(),
                d.denies
                    .filter(|&k| k < rec.attributions.len())
                    .map(|k| attribution_id(id, r, k))
                    .into(),
            ];
            row.extend(evidence(text, d.evidence));
            sink.row(Table::Denials, row)?;
        }
        for (i, resp) in rec.responses.iter().enumerate() {
            let mut row = vec![
                format!("{id}:r{r}:p{i}").into(),
                id.into(),
                incident.clone().into(),
                r.into(),
                resp.response_type.as_str().into(),
                resp.actor.as_deref().into(),
                resp.target.as_deref().into(),
            ];
            row.extend(evidence(text, resp.evidence));
            sink.row(Table::Responses, row)?;
        }
    }
    Ok(())
}

/// The id of an article's attribution: article, record index, attribution index.
#[must_use]
pub fn attribution_id(article: &str, record: usize, i: usize) -> String {
    format!("{article}:r{record}:a{i}")
}

/// The snake_case name serde gives a unit enum variant.
fn enum_name<T: serde::Serialize>(v: &T) -> String {
    serde_json::to_value(v)
        .ok()
        .and_then(|v| v.as_str().map(str::to_string))
        .unwrap_or_default()
}

/// Writes the rows of the incidents and stories that the exported articles belong to.
///
/// # Errors
/// When the sink fails.
pub fn group_rows(joins: &Joins, seen: &crate::Seen, sink: &mut impl RowSink) -> crate::Result<()> {
    for s in joins.incidents.summaries() {
        if !seen.incidents.contains(&s.id) {
            continue;
        }
        let ids = |l: &[rasad_incidents::Named]| l.iter().map(|n| n.id.clone()).collect::<Vec<_>>();
        sink.row(
            Table::Incidents,
            vec![
                s.id.as_str().into(),
                s.name.as_str().into(),
                s.start.as_deref().into(),
                s.granularity.as_str().into(),
                ids(&s.operations).into(),
                ids(&s.receivers).into(),
                s.receiver_countries.as_slice().into(),
                ids(&s.accused).into(),
                s.types.as_slice().into(),
                s.languages.as_slice().into(),
                s.articles.into(),
                s.stories.as_slice().into(),
                s.first_seen.as_deref().into(),
                s.last_seen.as_deref().into(),
            ],
        )?;
    }
    if let Some(stories) = &joins.stories {
        for s in stories.summaries() {
            if !seen.stories.contains(&s.id) {
                continue;
            }
            sink.row(
                Table::Stories,
                vec![
                    s.id.as_str().into(),
                    s.title.as_deref().into(),
                    s.languages
                        .iter()
                        .map(|l| l.code().to_string())
                        .collect::<Vec<_>>()
                        .into(),
                    s.outlets.as_slice().into(),
                    s.independent_sources.into(),
                    s.first_seen.as_deref().into(),
                    s.last_seen.as_deref().into(),
                    s.articles.len().into(),
                ],
            )?;
        }
    }
    Ok(())
}

/// The tables and their columns as docs/schema.md lists them (a test keeps the two equal).
#[must_use]
pub fn markdown() -> String {
    let mut s = String::new();
    for t in Table::ALL {
        s.push_str(&format!(
            "#### `{}`\n\n| column | type | empty |\n|---|---|---|\n",
            t.name()
        ));
        for c in t.columns() {
            s.push_str(&format!(
                "| `{}` | {} | {} |\n",
                c.name,
                c.kind.name(),
                if c.required { "never" } else { "may be null" }
            ));
        }
        s.push('\n');
    }
    s
}
