//! The incidents of a whole store, as lists show them: the stored incidents joined through the
//! stories their articles share (a story is one news event, so all its articles tell of one
//! operation), each with a summary built from its articles' signatures.

use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};

use rasad_model::AnalyzedArticle;
use rasad_store::Store;
use rasad_stories::{Assignment, StoryTable};
use serde::Serialize;

use crate::Result;
use crate::link::{find, incident_id, union};
use crate::record::{IncidentRecord, build_record};
use crate::signature::{Signature, When};

/// A named participant with how many of the incident's articles name it in that role.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Named {
    pub id: String,
    pub label: String,
    pub articles: usize,
}

/// What an incident list shows of an incident.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct IncidentSummary {
    pub id: String,
    /// The operation's name, else its main victims, with the month it started.
    pub name: String,
    /// When it started, as precisely as its articles give it (`2017-05-12`, `2017-05`, `2017`).
    pub start: Option<String>,
    /// `day`, `month`, `year`, or `reported` (only the first article's date is known).
    pub granularity: String,
    pub operations: Vec<Named>,
    pub receivers: Vec<Named>,
    /// ISO3 codes of the receivers' states.
    pub receiver_countries: Vec<String>,
    /// Accused states, groups and organisations.
    pub accused: Vec<Named>,
    pub types: Vec<String>,
    pub languages: Vec<String>,
    pub articles: usize,
    pub stories: Vec<String>,
    pub first_seen: Option<String>,
    pub last_seen: Option<String>,
}

/// Filters of an incident list; every given filter must hold.
#[derive(Debug, Clone, Default)]
pub struct IncidentQuery {
    /// A receiver's state, `IRN` or `country:IRN`.
    pub country: Option<String>,
    /// An accused actor's id.
    pub accused: Option<String>,
    pub incident_type: Option<String>,
    /// The year the incident started in.
    pub year: Option<i32>,
    pub lang: Option<String>,
}

impl IncidentQuery {
    #[must_use]
    pub fn matches(&self, s: &IncidentSummary) -> bool {
        let country = self
            .country
            .as_deref()
            .map(|c| c.trim_start_matches("country:").to_ascii_uppercase());
        country
            .as_deref()
            .is_none_or(|c| s.receiver_countries.iter().any(|x| x == c))
            && self
                .accused
                .as_deref()
                .is_none_or(|a| s.accused.iter().any(|x| x.id == a))
            && self
                .incident_type
                .as_deref()
                .is_none_or(|t| s.types.iter().any(|x| x == t))
            && self.year.is_none_or(|y| {
                s.start
                    .as_deref()
                    .and_then(|d| d.get(0..4))
                    .and_then(|d| d.parse::<i32>().ok())
                    == Some(y)
            })
            && self
                .lang
                .as_deref()
                .is_none_or(|l| s.languages.iter().any(|x| x == l))
    }
}

/// Every incident of a store, latest first.
#[derive(Debug, Clone, Default)]
pub struct IncidentTable {
    summaries: Vec<IncidentSummary>,
    members: HashMap<String, Vec<String>>,
    of_article: HashMap<String, String>,
}

impl IncidentTable {
    /// Reads the stored incidents and joins those whose articles share a story in `stories`.
    ///
    /// # Errors
    /// When the store cannot be read or a stored signature is not JSON.
    pub fn from_store(store: &Store, stories: Option<&StoryTable>) -> Result<Self> {
        Self::from_store_cached(store, stories, &mut HashMap::new())
    }

    /// [`IncidentTable::from_store`] reading only the signatures not in `cache` (a server keeps
    /// the cache, so that a refresh after a POST parses the new articles' signatures alone).
    ///
    /// # Errors
    /// When the store cannot be read or a stored signature is not JSON.
    pub fn from_store_cached(
        store: &Store,
        stories: Option<&StoryTable>,
        cache: &mut HashMap<String, Signature>,
    ) -> Result<Self> {
        let rows = store.incident_assignments()?;
        let story_of = |article: &str| {
            stories
                .and_then(|t| t.story_of(article))
                .map(|a| a.story.as_str())
        };
        // An article without an incident of its own joins one only through a story that has one:
        // the others cannot be part of any incident and are not read.
        let joined: HashSet<&str> = rows
            .iter()
            .filter(|(_, incident)| incident.is_some())
            .filter_map(|(article, _)| story_of(article))
            .collect();
        let mut sigs: Vec<Signature> = Vec::new();
        let mut stored: Vec<Option<String>> = Vec::new();
        for (article, incident) in &rows {
            if incident.is_none() && story_of(article).is_none_or(|s| !joined.contains(s)) {
                continue;
            }
            let (article, incident) = (article.clone(), incident.clone());
            let mut sig = match cache.get(&article) {
                Some(sig) => sig.clone(),
                None => {
                    let Some(json) = store.incident_signature(&article)? else {
                        continue;
                    };
                    let sig: Signature = serde_json::from_str(&json)?;
                    cache.insert(article.clone(), sig.clone());
                    sig
                }
            };
            sig.story = stories
                .and_then(|t| t.story_of(&article))
                .map(|a| a.story.clone());
            sigs.push(sig);
            stored.push(incident);
        }
        Ok(Self::from_signatures(&sigs, &stored))
    }

    /// The table of signatures already placed into `stored` incidents, joined through their
    /// stories.
    #[must_use]
    pub fn from_signatures(sigs: &[Signature], stored: &[Option<String>]) -> Self {
        let mut parent: Vec<usize> = (0..sigs.len()).collect();
        let mut first_of: HashMap<String, usize> = HashMap::new();
        for (i, (sig, inc)) in sigs.iter().zip(stored).enumerate() {
            let keys = inc
                .iter()
                .map(|x| format!("incident:{x}"))
                .chain(sig.story.iter().map(|s| format!("story:{s}")));
            for k in keys {
                match first_of.get(&k) {
                    Some(&j) => union(&mut parent, i, j),
                    None => {
                        first_of.insert(k, i);
                    }
                }
            }
        }
        let mut components: BTreeMap<usize, Vec<usize>> = BTreeMap::new();
        for i in 0..sigs.len() {
            let root = find(&mut parent, i);
            components.entry(root).or_default().push(i);
        }
        let mut table = IncidentTable::default();
        for members in components.values() {
            let has_record = members
                .iter()
                .any(|&i| stored.get(i).is_some_and(Option::is_some));
            if !has_record {
                continue;
            }
            let group: Vec<&Signature> = members.iter().filter_map(|&i| sigs.get(i)).collect();
            let Some(least) = group.iter().map(|s| s.article.as_str()).min() else {
                continue;
            };
            let id = incident_id(least);
            let mut ids: Vec<String> = group.iter().map(|s| s.article.clone()).collect();
            ids.sort();
            for a in &ids {
                table.of_article.insert(a.clone(), id.clone());
            }
            table.summaries.push(summarise(&id, &group));
            table.members.insert(id, ids);
        }
        table
            .summaries
            .sort_by(|a, b| b.last_seen.cmp(&a.last_seen).then_with(|| a.id.cmp(&b.id)));
        table
    }

    /// The incidents, latest reported first.
    #[must_use]
    pub fn summaries(&self) -> &[IncidentSummary] {
        &self.summaries
    }

    /// The incidents a query selects.
    #[must_use]
    pub fn select(&self, query: &IncidentQuery) -> Vec<&IncidentSummary> {
        self.summaries.iter().filter(|s| query.matches(s)).collect()
    }

    #[must_use]
    pub fn summary(&self, id: &str) -> Option<&IncidentSummary> {
        self.summaries.iter().find(|s| s.id == id)
    }

    #[must_use]
    pub fn len(&self) -> usize {
        self.summaries.len()
    }

    #[must_use]
    pub fn is_empty(&self) -> bool {
        self.summaries.is_empty()
    }

    /// The incident an article is part of.
    #[must_use]
    pub fn incident_of(&self, article: &str) -> Option<&str> {
        self.of_article.get(article).map(String::as_str)
    }

    /// The article ids of an incident.
    #[must_use]
    pub fn members(&self, id: &str) -> Option<&[String]> {
        self.members.get(id).map(Vec::as_slice)
    }

    /// One incident's whole record, its articles read back from the store.
    ///
    /// # Errors
    /// When the store cannot be read.
    pub fn incident(
        &self,
        store: &Store,
        stories: Option<&StoryTable>,
        id: &str,
    ) -> Result<Option<IncidentRecord>> {
        let (Some(summary), Some(ids)) = (self.summary(id), self.members.get(id)) else {
            return Ok(None);
        };
        let mut articles: Vec<(AnalyzedArticle, Assignment)> = Vec::with_capacity(ids.len());
        for article in ids {
            if let Some(a) = store.get(article)? {
                let placed = stories
                    .and_then(|t| t.story_of(article))
                    .cloned()
                    .unwrap_or_else(|| Assignment {
                        story: String::new(),
                        copy_of: None,
                    });
                articles.push((a, placed));
            }
        }
        articles.sort_by(|(a, _), (b, _)| {
            rasad_stories::article_day(a)
                .cmp(&rasad_stories::article_day(b))
                .then_with(|| a.article.id.as_str().cmp(b.article.id.as_str()))
        });
        Ok(Some(build_record(summary, &articles)))
    }
}

/// ISO date of a day number (days since 1970-01-01).
#[must_use]
pub fn iso_day(z: i64) -> String {
    // Howard Hinnant's civil_from_days.
    let z = z + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let y = yoe + era * 400;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    let y = if m <= 2 { y + 1 } else { y };
    format!("{y:04}-{m:02}-{d:02}")
}

fn count_named(group: &[&Signature], pick: impl Fn(&Signature) -> &[String]) -> Vec<Named> {
    let mut counts: BTreeMap<&str, (usize, &str)> = BTreeMap::new();
    for s in group {
        for id in pick(s) {
            let label = s.labels.get(id).map_or(id.as_str(), String::as_str);
            let e = counts.entry(id.as_str()).or_insert((0, label));
            e.0 += 1;
        }
    }
    let mut out: Vec<Named> = counts
        .into_iter()
        .map(|(id, (articles, label))| Named {
            id: id.to_string(),
            label: label.to_string(),
            articles,
        })
        .collect();
    out.sort_by(|a, b| b.articles.cmp(&a.articles).then_with(|| a.id.cmp(&b.id)));
    out
}

/// The start of an incident: the earliest period its articles date the operation to that is no
/// more than a year before it was first reported (older dates are an earlier operation the
/// articles look back on), else the first report.
fn start_of(group: &[&Signature]) -> (Option<String>, String) {
    let first = group.iter().filter_map(|s| s.published).min();
    let stated = group
        .iter()
        .filter(|s| s.record)
        .filter_map(|s| match s.when {
            Some(When::Stated { day, days }) if first.is_none_or(|f| day >= f - 366) => Some((day, days)),
            _ => None,
        })
        .min_by_key(|(day, days)| (*days, *day));
    match (stated, first) {
        (Some((day, days)), _) => {
            let iso = iso_day(day);
            match days {
                1 => (Some(iso), "day".into()),
                2..=31 => (iso.get(0..7).map(str::to_string), "month".into()),
                _ => (iso.get(0..4).map(str::to_string), "year".into()),
            }
        }
        (None, Some(f)) => (Some(iso_day(f)), "reported".into()),
        (None, None) => (None, "unknown".into()),
    }
}

fn summarise(id: &str, group: &[&Signature]) -> IncidentSummary {
    let operations = count_named(group, |s| &s.operations);
    let receivers = count_named(group, |s| &s.victims);
    let states = count_named(group, |s| &s.states);
    let mut accused = count_named(group, |s| &s.groups);
    accused.extend(count_named(group, |s| &s.accused));
    let (start, granularity) = start_of(group);
    let subject: Vec<&str> = if operations.is_empty() {
        receivers
            .iter()
            .chain(if receivers.is_empty() { &states[..] } else { &[] })
            .take(2)
            .map(|n| n.label.as_str())
            .collect()
    } else {
        operations.iter().take(2).map(|n| n.label.as_str()).collect()
    };
    let mut name = if subject.is_empty() {
        "Cyber incident".to_string()
    } else {
        subject.join(" / ")
    };
    if let Some(s) = start.as_deref().and_then(|s| s.get(0..7).or_else(|| s.get(0..4))) {
        name.push_str(&format!(" ({s})"));
    }
    let set = |f: &dyn Fn(&Signature) -> Vec<String>| -> Vec<String> {
        group
            .iter()
            .flat_map(|s| f(s))
            .collect::<BTreeSet<_>>()
            .into_iter()
            .collect()
    };
    let days: Vec<i64> = group.iter().filter_map(|s| s.published).collect();
    let mut receivers_all = receivers;
    receivers_all.extend(states);
    IncidentSummary {
        id: id.to_string(),
        name,
        start,
        granularity,
        operations,
        receivers: receivers_all,
        receiver_countries: set(&|s| s.countries.clone()),
        accused,
        types: set(&|s| s.types.clone()),
        languages: set(&|s| vec![s.lang.clone()]),
        articles: group.len(),
        stories: set(&|s| s.story.iter().cloned().collect()),
        first_seen: days.iter().min().map(|d| iso_day(*d)),
        last_seen: days.iter().max().map(|d| iso_day(*d)),
    }
}
