//! What identifies the operation an article is mainly about: its named operations or malware, its
//! victims, the kind of incident, who is accused, and when the operation took place (not when the
//! article was written).

use std::collections::BTreeMap;

use rasad_model::{AnalyzedArticle, EntityKind, Incident};
use rasad_stories::{article_day, day_number};
use serde::{Deserialize, Serialize};

/// How precisely an operation's time is known.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum When {
    /// The text dates the operation (`in December 2015`, `8 April 2022`): the first day of the
    /// period, with its length in days.
    Stated { day: i64, days: i64 },
    /// Only the article's own date is known: the operation happened on or before it.
    Reported { day: i64 },
}

impl When {
    /// The earliest and latest day the operation may have started on. A reported time says the
    /// operation came before the article, within `recent` days.
    #[must_use]
    pub fn range(self, recent: i64) -> (i64, i64) {
        match self {
            When::Stated { day, days } => (day, day + days.max(1) - 1),
            When::Reported { day } => (day - recent, day),
        }
    }

    /// The first day of [`When::range`].
    #[must_use]
    pub fn day(self) -> i64 {
        match self {
            When::Stated { day, .. } | When::Reported { day } => day,
        }
    }
}

/// The identifying facts of one article's main incident record.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Signature {
    pub article: String,
    /// Named malware and operations of the main record.
    pub operations: Vec<String>,
    /// Victims other than whole states.
    pub victims: Vec<String>,
    /// States named as victims (a state, its infrastructure or its facilities).
    pub states: Vec<String>,
    pub types: Vec<String>,
    /// Accused actors (states, organisations, groups).
    pub accused: Vec<String>,
    /// Threat actors accused or named in the record (a group's campaign is one operation for a while).
    pub groups: Vec<String>,
    /// When the operation took place, as the text dates it or as the article's date bounds it.
    pub when: Option<When>,
    /// The article's own day.
    pub published: Option<i64>,
    /// The story the article belongs to, where stories are known: a story is one news event, so
    /// its articles report one operation.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub story: Option<String>,
    /// Whether the article has an incident record of its own (an article without one joins an
    /// incident only through its story).
    pub record: bool,
    /// The states of the victims (ISO3), named or implied by a named victim.
    #[serde(default)]
    pub countries: Vec<String>,
    /// The article's language code.
    #[serde(default)]
    pub lang: String,
    /// The English label of each id above, as the article's entities give it.
    #[serde(default)]
    pub labels: BTreeMap<String, String>,
}

impl Signature {
    /// The signature of an article's main incident record (its first); without a record, only the
    /// article and its day.
    #[must_use]
    pub fn of(a: &AnalyzedArticle) -> Signature {
        let published = article_day(a);
        let Some(main) = a.analysis.incidents.first() else {
            return Signature {
                article: a.article.id.as_str().to_string(),
                operations: Vec::new(),
                victims: Vec::new(),
                states: Vec::new(),
                types: Vec::new(),
                accused: Vec::new(),
                groups: Vec::new(),
                when: published.map(|day| When::Reported { day }),
                published,
                story: None,
                record: false,
                countries: Vec::new(),
                lang: a.article.lang.code().to_string(),
                labels: BTreeMap::new(),
            };
        };
        let kind = |id: &str| a.analysis.entities.iter().find(|e| e.id == id).map(|e| e.kind);
        let mut sig = Signature {
            article: a.article.id.as_str().to_string(),
            operations: Vec::new(),
            victims: Vec::new(),
            states: Vec::new(),
            types: main.incident_types.clone(),
            accused: Vec::new(),
            groups: Vec::new(),
            when: when_of(main, published),
            published,
            story: None,
            record: true,
            countries: Vec::new(),
            lang: a.article.lang.code().to_string(),
            labels: BTreeMap::new(),
        };
        for id in &main.actors {
            match kind(id) {
                Some(EntityKind::Malware) => push(&mut sig.operations, id),
                _ => push(&mut sig.groups, id),
            }
        }
        if let Some(op) = &main.operation {
            push(&mut sig.operations, op);
        }
        for v in &main.receivers {
            if v.starts_with("country:") {
                push(&mut sig.states, v);
            } else {
                push(&mut sig.victims, v);
            }
        }
        for v in &main.victims {
            if let Some(c) = &v.country {
                push(&mut sig.countries, c);
            }
        }
        // A record that names only a state ("Iran was hit") is often followed by the record that
        // names what in that state was hit: the same operation, told more precisely.
        if sig.victims.is_empty() && sig.operations.is_empty() && !sig.states.is_empty() {
            for later in a.analysis.incidents.iter().skip(1) {
                let inside = later.victims.iter().all(|v| {
                    v.country
                        .as_ref()
                        .is_some_and(|c| sig.states.contains(&format!("country:{c}")))
                });
                if !inside {
                    continue;
                }
                for v in &later.receivers {
                    if !v.starts_with("country:") {
                        push(&mut sig.victims, v);
                    }
                }
            }
        }
        for st in &sig.states.clone() {
            if let Some(c) = st.strip_prefix("country:") {
                push(&mut sig.countries, c);
            }
        }
        for at in &main.attributions {
            if let Some(acc) = &at.accused_actor {
                if kind(acc) == Some(EntityKind::ThreatActor) {
                    push(&mut sig.groups, acc);
                } else {
                    push(&mut sig.accused, acc);
                }
            }
        }
        for list in [
            &mut sig.operations,
            &mut sig.victims,
            &mut sig.states,
            &mut sig.types,
            &mut sig.accused,
            &mut sig.groups,
            &mut sig.countries,
        ] {
            list.sort();
        }
        let ids: Vec<String> = sig
            .operations
            .iter()
            .chain(&sig.victims)
            .chain(&sig.states)
            .chain(&sig.accused)
            .chain(&sig.groups)
            .cloned()
            .collect();
        for id in ids {
            let label = a
                .analysis
                .entities
                .iter()
                .find(|e| e.id == id)
                .map(|e| e.label.clone())
                .or_else(|| main.victims.iter().find(|v| v.id == id).map(|v| v.name.clone()));
            if let Some(label) = label {
                sig.labels.insert(id, label);
            }
        }
        sig
    }

    /// The lookup keys under which other articles of the same incident may be found.
    #[must_use]
    pub fn keys(&self) -> Vec<String> {
        self.operations
            .iter()
            .chain(&self.victims)
            .chain(&self.states)
            .chain(&self.groups)
            .cloned()
            .chain(self.story.iter().map(|s| format!("story:{s}")))
            .collect()
    }
}

fn push(list: &mut Vec<String>, id: &str) {
    if !list.iter().any(|x| x == id) {
        list.push(id.to_string());
    }
}

/// The days an article spans for lookups: its publication day and its operation's period.
#[must_use]
pub fn days(sig: &Signature, recent: i64) -> Option<(i64, i64)> {
    let mut lo: Option<i64> = None;
    let mut hi: Option<i64> = None;
    let mut take = |d: i64| {
        lo = Some(lo.map_or(d, |l| l.min(d)));
        hi = Some(hi.map_or(d, |h| h.max(d)));
    };
    if let Some(p) = sig.published {
        take(p);
    }
    if let Some(w) = sig.when {
        let (a, b) = w.range(recent);
        take(a);
        take(b);
    }
    lo.zip(hi)
}

/// When the operation of a record took place: its start date as the text gives it, else the
/// article's day.
fn when_of(main: &Incident, published: Option<i64>) -> Option<When> {
    let stated = main.start_date.as_deref().and_then(|d| {
        let (day, days) = period(d)?;
        // A date after the article is a misreading, not the operation's time.
        (published.is_none_or(|p| day <= p)).then_some(When::Stated { day, days })
    });
    stated.or(published.map(|day| When::Reported { day }))
}

/// The first day and length in days of an ISO date, month (`2015-12`) or year (`2015`).
#[must_use]
pub fn period(iso: &str) -> Option<(i64, i64)> {
    match iso.len() {
        4 => {
            let first = day_number(&format!("{iso}-01-01"))?;
            let next = day_number(&format!("{:04}-01-01", iso.parse::<i64>().ok()? + 1))?;
            Some((first, next - first))
        }
        7 => {
            let first = day_number(&format!("{iso}-01"))?;
            let (y, m): (i64, i64) = (iso.get(0..4)?.parse().ok()?, iso.get(5..7)?.parse().ok()?);
            let (ny, nm) = if m == 12 { (y + 1, 1) } else { (y, m + 1) };
            let next = day_number(&format!("{ny:04}-{nm:02}-01"))?;
            Some((first, next - first))
        }
        _ => Some((day_number(iso)?, 1)),
    }
}
