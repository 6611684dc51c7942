//! Stories: one affair as fifty outlets in three languages told it.
//!
//! - [`minhash`]: near-duplicate texts (syndicated copies) by MinHash LSH;
//! - [`mod@cluster`]: the incremental, windowed single-pass clusterer ([`Clusterer`]), and
//!   [`fn@cluster`], which places a stream of articles and settles it;
//! - [`features`]: the terms an article is compared by, with the [`concepts`] all languages share;
//! - [`Story`]: the record of one story, merged across its articles, built by [`build`].

pub mod cluster;
pub mod concepts;
pub mod features;
pub mod minhash;
mod table;

use std::collections::{BTreeMap, HashMap};

use rasad_model::{AnalyzedArticle, EntityKind, Lang, Stance};
use serde::Serialize;

pub use cluster::{Assignment, Clusterer, Input, Params, day_number};
pub use table::{LiveStories, StoryTable};

/// The day an article is placed on: its publication date, else the date its page header printed.
/// The day it was ingested says nothing of the affair, so an article with neither has no day (and
/// its story is never closed by the window).
#[must_use]
pub fn article_day(a: &AnalyzedArticle) -> Option<i64> {
    day_of(a.article.published.as_deref(), page_dates(a))
}

/// The values of an article's page-header dates.
fn page_dates(a: &AnalyzedArticle) -> impl Iterator<Item = &str> {
    a.analysis
        .dates
        .iter()
        .filter(|d| d.role == rasad_model::DateRole::Page)
        .filter_map(|d| d.value.as_deref())
}

/// [`article_day`] from the publication date and the page-header date values alone (what a store can
/// give without reading whole records).
pub fn day_of<'a>(published: Option<&str>, mut page_dates: impl Iterator<Item = &'a str>) -> Option<i64> {
    published
        .and_then(day_number)
        .or_else(|| page_dates.find_map(day_number))
}

/// What the clusterer reads of one stored article.
#[must_use]
pub fn input_of(a: &AnalyzedArticle) -> Input<'_> {
    Input {
        id: a.article.id.as_str(),
        lang: a.article.lang,
        title: a.article.title.as_deref(),
        text: &a.article.text,
        day: article_day(a),
        analysis: &a.analysis,
    }
}

/// Feeds one stored article to the clusterer.
pub fn place(clusterer: &mut Clusterer, a: &AnalyzedArticle) -> Assignment {
    clusterer.add(&input_of(a))
}

/// Places `articles` (in (day, id) order) and settles them: the assignments after every article's
/// last look, copies with their originals' stories.
pub fn cluster<'a>(
    params: Params,
    articles: impl IntoIterator<Item = &'a AnalyzedArticle>,
) -> Vec<Assignment> {
    cluster_inputs(params, articles.into_iter().map(input_of))
}

/// [`fn@cluster`] over inputs made by the caller.
pub fn cluster_inputs<'a>(params: Params, inputs: impl IntoIterator<Item = Input<'a>>) -> Vec<Assignment> {
    let mut clusterer = Clusterer::new(params);
    let mut ids = Vec::new();
    let mut placed: Vec<Assignment> = Vec::new();
    for input in inputs {
        placed.push(clusterer.add(&input));
        ids.push(input.id.to_string());
    }
    settle(&ids, &mut placed, clusterer.finish());
    placed
}

/// Applies the clusterer's moves to the assignments of the articles `ids`.
pub fn settle(ids: &[String], placed: &mut [Assignment], moves: Vec<(String, String)>) {
    let moved: HashMap<String, String> = moves.into_iter().collect();
    if moved.is_empty() {
        return;
    }
    for (id, p) in ids.iter().zip(placed.iter_mut()) {
        let root = p.copy_of.as_deref().unwrap_or(id);
        if let Some(story) = moved.get(root) {
            p.story.clone_from(story);
        }
    }
}

/// One article of a story.
#[derive(Debug, Clone, Serialize)]
pub struct StoryArticle {
    pub id: String,
    pub source: String,
    pub outlet: Option<String>,
    pub lang: Lang,
    pub title: Option<String>,
    pub published: Option<String>,
    /// The article it is a copy of, when it is a syndicated copy.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub copy_of: Option<String>,
    /// The wires or outlets the text credits ("به گزارش ایرنا", "وأفادت وكالة مهر للأنباء", "منبع:
    /// ایرنا"): catalog ids where the name is catalogued, else the name as written.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub credited: Vec<String>,
}

/// An entity the story is about.
#[derive(Debug, Clone, Serialize)]
pub struct KeyEntity {
    pub id: String,
    pub label: String,
    /// How many of the story's articles name it.
    pub articles: usize,
    pub mentions: usize,
}

/// An event told by one or more of the story's articles.
#[derive(Debug, Clone, Serialize)]
pub struct StoryEvent {
    #[serde(rename = "type")]
    pub event_type: String,
    pub mode: Option<String>,
    pub sources: Vec<String>,
    pub targets: Vec<String>,
    pub date: Option<String>,
    /// The articles that tell it.
    pub articles: Vec<String>,
    /// Where each article tells it.
    pub evidence: Vec<Evidence>,
}

/// A span of one article's text that supports a fact.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Evidence {
    pub article: String,
    pub start: usize,
    pub end: usize,
}

impl Evidence {
    fn new(article: &str, span: rasad_model::Span) -> Self {
        Self {
            article: article.to_string(),
            start: span.start,
            end: span.end,
        }
    }
}

/// A denial told by one or more of the story's articles.
#[derive(Debug, Clone, Serialize)]
pub struct StoryDenial {
    pub actor: Option<String>,
    /// The attribution it answers: who accused whom.
    pub answers: Option<(Option<String>, Option<String>)>,
    pub articles: Vec<String>,
    pub evidence: Vec<Evidence>,
}

/// A response (diplomatic rupture, expulsion, sanction, statement …) told by the story's articles.
#[derive(Debug, Clone, Serialize)]
pub struct StoryResponse {
    #[serde(rename = "type")]
    pub response_type: String,
    pub actor: Option<String>,
    pub target: Option<String>,
    pub articles: Vec<String>,
    pub evidence: Vec<Evidence>,
}

/// One dated line of a story's timeline.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct TimelineEntry {
    /// ISO date (or date and time), as precise as the source gives.
    pub date: String,
    /// `incident` (an attack's start), `event` (a dated event), or `article` (a publication).
    pub kind: String,
    /// What happened, in English codes: "COERCE/cyber", "SANCTION", an article's title.
    pub label: String,
    pub actors: Vec<String>,
    pub article: String,
}

/// An attribution told by one or more of the story's articles.
#[derive(Debug, Clone, Serialize)]
pub struct StoryAttribution {
    pub attributing_actor: Option<String>,
    pub accused_actor: Option<String>,
    pub basis: Vec<String>,
    pub stance: String,
    pub articles: Vec<String>,
    pub evidence: Vec<Evidence>,
}

/// How one outlet named the actors and framed what they said.
#[derive(Debug, Clone, Serialize)]
pub struct OutletFraming {
    pub outlet: String,
    /// Entity id → the names the outlet used for it, with their framing when marked.
    pub names: BTreeMap<String, Vec<String>>,
    /// The speech verbs it used, with their stance and speaker.
    pub verbs: Vec<(Option<String>, String, Stance)>,
}

/// What a story list shows of a story: its articles, languages, outlets and dates.
#[derive(Debug, Clone, Serialize)]
pub struct Summary {
    pub id: String,
    /// The first article's title.
    pub title: Option<String>,
    /// A representative headline per language (the first article's in that language).
    pub titles: BTreeMap<String, String>,
    pub languages: Vec<Lang>,
    pub outlets: Vec<String>,
    /// Outlets that are not only copying another's text.
    pub independent_sources: usize,
    /// The earliest and latest publication (else page) dates of its articles; `None` when none is dated.
    pub first_seen: Option<String>,
    pub last_seen: Option<String>,
    pub articles: Vec<StoryArticle>,
    #[serde(skip)]
    independent: Vec<String>,
}

impl Summary {
    #[must_use]
    pub fn new(id: &str) -> Self {
        Self {
            id: id.to_string(),
            title: None,
            titles: BTreeMap::new(),
            languages: Vec::new(),
            outlets: Vec::new(),
            independent_sources: 0,
            first_seen: None,
            last_seen: None,
            articles: Vec::new(),
            independent: Vec::new(),
        }
    }

    /// Adds an article, in the order the articles were placed.
    pub fn add(&mut self, a: &AnalyzedArticle, assignment: &Assignment) {
        self.add_brief(&Brief::of(a), assignment);
    }

    /// Adds an article by what the list needs of it.
    pub fn add_brief(&mut self, b: &Brief, assignment: &Assignment) {
        if let Some(seen) = b.seen.clone() {
            self.first_seen = Some(
                self.first_seen
                    .take()
                    .map_or(seen.clone(), |f| f.min(seen.clone())),
            );
            self.last_seen = Some(self.last_seen.take().map_or(seen.clone(), |l| l.max(seen)));
        }
        let art = &b.article;
        if self.title.is_none() {
            self.title.clone_from(&art.title);
        }
        if let Some(t) = &art.title {
            self.titles
                .entry(art.lang.code().to_string())
                .or_insert_with(|| t.clone());
        }
        if !self.languages.contains(&art.lang) {
            self.languages.push(art.lang);
        }
        if !self.outlets.contains(&b.outlet) {
            self.outlets.push(b.outlet.clone());
        }
        if assignment.copy_of.is_none() && !self.independent.contains(&b.outlet) {
            self.independent.push(b.outlet.clone());
            self.independent_sources = self.independent.len();
        }
        let mut row = art.clone();
        row.copy_of.clone_from(&assignment.copy_of);
        self.articles.push(row);
    }
}

/// What a story list needs of one article (kept for every stored article while stories settle).
#[derive(Debug, Clone)]
pub struct Brief {
    pub article: StoryArticle,
    /// The outlet, or the source's host when no outlet is known.
    pub outlet: String,
    /// When the affair was reported: the publication date, else the page's printed date. Not the day
    /// rasad read it, which says nothing of the affair.
    pub seen: Option<String>,
}

impl Brief {
    #[must_use]
    pub fn of(a: &AnalyzedArticle) -> Self {
        let art = &a.article;
        Self {
            article: StoryArticle {
                id: art.id.as_str().to_string(),
                source: art.source.clone(),
                outlet: art.outlet.clone(),
                lang: art.lang,
                title: art.title.clone(),
                published: art.published.clone(),
                copy_of: None,
                credited: credited(a),
            },
            outlet: outlet_of(a),
            seen: art
                .published
                .clone()
                .or_else(|| page_dates(a).next().map(str::to_string)),
        }
    }
}

/// The record of one story.
#[derive(Debug, Clone, Serialize)]
pub struct Story {
    #[serde(flatten)]
    pub summary: Summary,
    pub entities: Vec<KeyEntity>,
    pub events: Vec<StoryEvent>,
    pub attributions: Vec<StoryAttribution>,
    pub denials: Vec<StoryDenial>,
    pub responses: Vec<StoryResponse>,
    /// Incident starts, dated events and publications, oldest first.
    pub timeline: Vec<TimelineEntry>,
    pub framing: Vec<OutletFraming>,
    /// The English label of every entity its articles name, by id (the record's actors are ids).
    pub labels: BTreeMap<String, String>,
}

/// Adds an article and its evidence to a merged fact's lists.
fn support(articles: &mut Vec<String>, evidence: &mut Vec<Evidence>, article: &str, span: rasad_model::Span) {
    if !articles.iter().any(|a| a == article) {
        articles.push(article.to_string());
    }
    let e = Evidence::new(article, span);
    if !evidence.contains(&e) {
        evidence.push(e);
    }
}

/// The wires and outlets an article credits, by catalog id where the name is catalogued.
fn credited(a: &AnalyzedArticle) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for name in &a.article.boilerplate.credits {
        let outlets: Vec<String> = rasad_entities::extract(name, a.article.lang)
            .into_iter()
            .filter(|e| e.kind == EntityKind::NewsOutlet)
            .map(|e| e.id)
            .collect();
        let found = if outlets.is_empty() {
            vec![name.trim().to_string()]
        } else {
            outlets
        };
        for id in found {
            if !id.is_empty() && !out.contains(&id) {
                out.push(id);
            }
        }
    }
    out
}

/// Who published an article: its outlet, else the file it came from.
fn outlet_of(a: &AnalyzedArticle) -> String {
    a.article
        .outlet
        .clone()
        .unwrap_or_else(|| a.article.source.clone())
}

/// Builds a story's record from its articles (in the order they were placed) and their assignments.
#[must_use]
pub fn build(id: &str, members: &[(&AnalyzedArticle, &Assignment)]) -> Story {
    let mut story = Story {
        summary: Summary::new(id),
        entities: Vec::new(),
        events: Vec::new(),
        attributions: Vec::new(),
        denials: Vec::new(),
        responses: Vec::new(),
        timeline: Vec::new(),
        framing: Vec::new(),
        labels: BTreeMap::new(),
    };
    let mut entities: BTreeMap<String, KeyEntity> = BTreeMap::new();
    let mut framing: BTreeMap<String, OutletFraming> = BTreeMap::new();
    for (a, assignment) in members {
        story.summary.add(a, assignment);
        let art = &a.article;
        let outlet = outlet_of(a);
        let article_id = art.id.as_str().to_string();
        let f = framing.entry(outlet.clone()).or_insert_with(|| OutletFraming {
            outlet: outlet.clone(),
            names: BTreeMap::new(),
            verbs: Vec::new(),
        });
        // The row just added carries the article's credits.
        let credits = story
            .summary
            .articles
            .last()
            .map(|r| r.credited.clone())
            .unwrap_or_default();
        for id in credits {
            if let Some(def) = rasad_entities::Catalog::builtin().get(&id) {
                story.labels.entry(id).or_insert_with(|| def.label.clone());
            }
        }
        for e in &a.analysis.entities {
            story
                .labels
                .entry(e.id.clone())
                .or_insert_with(|| e.label.clone());
            let k = entities.entry(e.id.clone()).or_insert_with(|| KeyEntity {
                id: e.id.clone(),
                label: e.label.clone(),
                articles: 0,
                mentions: 0,
            });
            k.articles += 1;
            k.mentions += e.mentions.len();
            let names = f.names.entry(e.id.clone()).or_default();
            for m in &e.mentions {
                let name = match m.framing {
                    Some(framing) => format!("{} [{}]", m.text, format!("{framing:?}").to_lowercase()),
                    None => m.text.clone(),
                };
                if !names.contains(&name) {
                    names.push(name);
                }
            }
        }
        for q in &a.analysis.quotes {
            let verb = (q.speaker.clone(), q.verb.clone(), q.stance);
            if !f.verbs.contains(&verb) {
                f.verbs.push(verb);
            }
        }
        for e in &a.analysis.events {
            let same = |x: &StoryEvent| {
                x.event_type == e.event_type
                    && x.mode == e.mode
                    && x.sources == e.sources
                    && x.targets == e.targets
            };
            match story.events.iter_mut().find(|x| same(x)) {
                Some(x) => {
                    support(&mut x.articles, &mut x.evidence, &article_id, e.evidence);
                    if x.date.is_none() {
                        x.date.clone_from(&e.date);
                    }
                }
                None => story.events.push(StoryEvent {
                    event_type: e.event_type.clone(),
                    mode: e.mode.clone(),
                    sources: e.sources.clone(),
                    targets: e.targets.clone(),
                    date: e.date.clone(),
                    articles: vec![article_id.clone()],
                    evidence: vec![Evidence::new(&article_id, e.evidence)],
                }),
            }
            if let Some(date) = &e.date {
                story.timeline.push(TimelineEntry {
                    date: date.clone(),
                    kind: "event".into(),
                    label: match &e.mode {
                        Some(mode) => format!("{}/{mode}", e.event_type),
                        None => e.event_type.clone(),
                    },
                    actors: e.sources.iter().chain(&e.targets).cloned().collect(),
                    article: article_id.clone(),
                });
            }
        }
        for inc in &a.analysis.incidents {
            for at in &inc.attributions {
                let same = |x: &StoryAttribution| {
                    x.attributing_actor == at.attributing_actor && x.accused_actor == at.accused_actor
                };
                match story.attributions.iter_mut().find(|x| same(x)) {
                    Some(x) => {
                        support(&mut x.articles, &mut x.evidence, &article_id, at.evidence);
                        for b in &at.basis {
                            if !x.basis.contains(b) {
                                x.basis.push(b.clone());
                            }
                        }
                        if at.stance == "disputed" {
                            x.stance.clone_from(&at.stance);
                        }
                    }
                    None => story.attributions.push(StoryAttribution {
                        attributing_actor: at.attributing_actor.clone(),
                        accused_actor: at.accused_actor.clone(),
                        basis: at.basis.clone(),
                        stance: at.stance.clone(),
                        articles: vec![article_id.clone()],
                        evidence: vec![Evidence::new(&article_id, at.evidence)],
                    }),
                }
            }
            merge_denials_and_responses(&mut story, inc, &article_id);
            if let Some(date) = &inc.start_date {
                story.timeline.push(TimelineEntry {
                    date: date.clone(),
                    kind: "incident".into(),
                    label: if inc.incident_types.is_empty() {
                        "cyber incident".into()
                    } else {
                        inc.incident_types.join(", ")
                    },
                    actors: inc.receivers.clone(),
                    article: article_id.clone(),
                });
            }
        }
        if let Some(date) = art.published.clone() {
            story.timeline.push(TimelineEntry {
                date,
                kind: "article".into(),
                label: art.title.clone().unwrap_or_else(|| outlet.clone()),
                actors: vec![outlet.clone()],
                article: article_id.clone(),
            });
        }
    }
    story
        .timeline
        .sort_by(|a, b| a.date.cmp(&b.date).then(a.kind.cmp(&b.kind)));
    story
        .timeline
        .dedup_by(|a, b| a.date == b.date && a.kind == b.kind && a.label == b.label && a.actors == b.actors);
    let mut key: Vec<KeyEntity> = entities.into_values().collect();
    key.sort_by(|a, b| {
        b.articles
            .cmp(&a.articles)
            .then(b.mentions.cmp(&a.mentions))
            .then(a.id.cmp(&b.id))
    });
    key.truncate(20);
    story.entities = key;
    story.events.sort_by_key(|e| std::cmp::Reverse(e.articles.len()));
    story.framing = framing.into_values().collect();
    story
}

/// Merges one incident record's denials and responses into the story's.
fn merge_denials_and_responses(story: &mut Story, inc: &rasad_model::Incident, article_id: &str) {
    for d in &inc.denials {
        let answers = d
            .denies
            .and_then(|i| inc.attributions.get(i))
            .map(|a| (a.attributing_actor.clone(), a.accused_actor.clone()));
        match story
            .denials
            .iter_mut()
            .find(|x| x.actor == d.actor && x.answers == answers)
        {
            Some(x) => support(&mut x.articles, &mut x.evidence, article_id, d.evidence),
            None => story.denials.push(StoryDenial {
                actor: d.actor.clone(),
                answers,
                articles: vec![article_id.to_string()],
                evidence: vec![Evidence::new(article_id, d.evidence)],
            }),
        }
    }
    for r in &inc.responses {
        let same = |x: &StoryResponse| {
            x.response_type == r.response_type && x.actor == r.actor && x.target == r.target
        };
        match story.responses.iter_mut().find(|x| same(x)) {
            Some(x) => support(&mut x.articles, &mut x.evidence, article_id, r.evidence),
            None => story.responses.push(StoryResponse {
                response_type: r.response_type.clone(),
                actor: r.actor.clone(),
                target: r.target.clone(),
                articles: vec![article_id.to_string()],
                evidence: vec![Evidence::new(article_id, r.evidence)],
            }),
        }
    }
}

#[cfg(test)]
mod tests;
