//! One incident's record in EuRepoC's terms, merged from its articles: receivers, initiators, the
//! attributions over time (who said what, when, on what basis), who contests them, the political
//! and legal responses, types and effects, each with the evidence spans of the articles behind it.

use std::collections::BTreeMap;

use rasad_model::AnalyzedArticle;
use rasad_stories::{
    Assignment, Evidence, OutletFraming, StoryArticle, StoryDenial, StoryResponse, TimelineEntry,
};
use serde::Serialize;

use crate::table::IncidentSummary;

/// A receiver as the articles name it.
#[derive(Debug, Clone, Serialize)]
pub struct Receiver {
    pub id: String,
    /// The names the articles wrote it with.
    pub names: Vec<String>,
    pub country: Option<String>,
    pub category: String,
    pub articles: Vec<String>,
    pub evidence: Vec<Evidence>,
}

/// An attribution with when it was said: the dates of the articles that report it.
#[derive(Debug, Clone, Serialize)]
pub struct DatedAttribution {
    pub attributing_actor: Option<String>,
    pub accused_actor: Option<String>,
    pub basis: Vec<String>,
    pub stance: String,
    /// The earliest date of an article that reports it.
    pub first_reported: Option<String>,
    pub articles: Vec<String>,
    pub evidence: Vec<Evidence>,
    /// Who denies or disputes it.
    pub contested_by: Vec<String>,
}

/// A response with the date it was first reported.
#[derive(Debug, Clone, Serialize)]
pub struct DatedResponse {
    #[serde(flatten)]
    pub response: StoryResponse,
    pub first_reported: Option<String>,
}

/// An effect as an article reports it.
#[derive(Debug, Clone, Serialize)]
pub struct Effect {
    pub text: String,
    pub evidence: Evidence,
}

/// The whole record of one incident.
#[derive(Debug, Clone, Serialize)]
pub struct IncidentRecord {
    #[serde(flatten)]
    pub summary: IncidentSummary,
    pub victims: Vec<Receiver>,
    /// Oldest first.
    pub attributions: Vec<DatedAttribution>,
    pub denials: Vec<StoryDenial>,
    pub responses: Vec<DatedResponse>,
    pub effects: Vec<Effect>,
    pub timeline: Vec<TimelineEntry>,
    /// The articles, oldest first, with the story each belongs to.
    pub article_list: Vec<IncidentArticle>,
    pub framing: Vec<OutletFraming>,
    /// The English label of every entity its articles name, by id.
    pub labels: BTreeMap<String, String>,
}

/// One article of an incident.
#[derive(Debug, Clone, Serialize)]
pub struct IncidentArticle {
    #[serde(flatten)]
    pub article: StoryArticle,
    pub story: Option<String>,
}

/// Builds an incident's record from its summary and its articles (oldest first) with their story
/// assignments.
#[must_use]
pub fn build_record(summary: &IncidentSummary, members: &[(AnalyzedArticle, Assignment)]) -> IncidentRecord {
    let refs: Vec<(&AnalyzedArticle, &Assignment)> = members.iter().map(|(a, p)| (a, p)).collect();
    let merged = rasad_stories::build(&summary.id, &refs);
    let date_of: BTreeMap<&str, &str> = members
        .iter()
        .filter_map(|(a, _)| a.article.published.as_deref().map(|p| (a.article.id.as_str(), p)))
        .collect();
    let first = |articles: &[String]| -> Option<String> {
        articles
            .iter()
            .filter_map(|a| date_of.get(a.as_str()))
            .min()
            .map(|d| d.get(0..10).unwrap_or(d).to_string())
    };
    let mut attributions: Vec<DatedAttribution> = merged
        .attributions
        .iter()
        .map(|a| DatedAttribution {
            attributing_actor: a.attributing_actor.clone(),
            accused_actor: a.accused_actor.clone(),
            basis: a.basis.clone(),
            stance: a.stance.clone(),
            first_reported: first(&a.articles),
            articles: a.articles.clone(),
            evidence: a.evidence.clone(),
            contested_by: merged
                .denials
                .iter()
                .filter(|d| {
                    d.answers.as_ref().is_some_and(|(by, accused)| {
                        *by == a.attributing_actor && *accused == a.accused_actor
                    }) || (d.answers.is_none() && d.actor.is_some() && d.actor == a.accused_actor)
                })
                .filter_map(|d| d.actor.clone())
                .collect(),
        })
        .collect();
    attributions.sort_by(|a, b| {
        a.first_reported
            .is_none()
            .cmp(&b.first_reported.is_none())
            .then_with(|| a.first_reported.cmp(&b.first_reported))
    });
    let responses = merged
        .responses
        .iter()
        .map(|r| DatedResponse {
            response: r.clone(),
            first_reported: first(&r.articles),
        })
        .collect();
    let mut victims: Vec<Receiver> = Vec::new();
    let mut effects: Vec<Effect> = Vec::new();
    for (a, _) in members {
        let article = a.article.id.as_str();
        let Some(main) = a.analysis.incidents.first() else {
            continue;
        };
        for v in &main.victims {
            let ev = Evidence {
                article: article.to_string(),
                start: v.evidence.start,
                end: v.evidence.end,
            };
            match victims.iter_mut().find(|r| r.id == v.id) {
                Some(r) => {
                    if !r.names.contains(&v.name) {
                        r.names.push(v.name.clone());
                    }
                    if !r.articles.iter().any(|x| x == article) {
                        r.articles.push(article.to_string());
                    }
                    r.evidence.push(ev);
                }
                None => victims.push(Receiver {
                    id: v.id.clone(),
                    names: vec![v.name.clone()],
                    country: v.country.clone(),
                    category: v.category.clone(),
                    articles: vec![article.to_string()],
                    evidence: vec![ev],
                }),
            }
        }
        for (text, span) in &main.effects {
            effects.push(Effect {
                text: text.clone(),
                evidence: Evidence {
                    article: article.to_string(),
                    start: span.start,
                    end: span.end,
                },
            });
        }
    }
    victims.sort_by(|a, b| {
        b.articles
            .len()
            .cmp(&a.articles.len())
            .then_with(|| a.id.cmp(&b.id))
    });
    let story_of: BTreeMap<&str, &str> = members
        .iter()
        .filter(|(_, p)| !p.story.is_empty())
        .map(|(a, p)| (a.article.id.as_str(), p.story.as_str()))
        .collect();
    let article_list = merged
        .summary
        .articles
        .iter()
        .map(|row| IncidentArticle {
            article: row.clone(),
            story: story_of.get(row.id.as_str()).map(|s| (*s).to_string()),
        })
        .collect();
    IncidentRecord {
        summary: summary.clone(),
        victims,
        attributions,
        denials: merged.denials,
        responses,
        effects,
        timeline: merged.timeline,
        article_list,
        framing: merged.framing,
        labels: merged.labels,
    }
}
