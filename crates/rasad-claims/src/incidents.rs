//! Cyber-incident records, in the spirit of EuRepoC, from an article's events and the cues of
//! `data/claims/incidents.tsv`.
//!
//! The attacks (COERCE, mode cyber) give the receivers: one record per set of receivers. Around
//! them: attributions from accusations made in sentences about the attack (ACCUSE allege), and from
//! attacks whose attacker a quoted speaker names; denials (REJECT deny) linked to the attribution
//! whose accused actor they come from; responses (broken relations, expulsions, sanctions,
//! condemnations, threats and support offered). Types, effects, sectors and the start date come
//! from the sentences that speak of the attack.

use std::ops::Range;
use std::sync::OnceLock;

use rasad_model::{
    Attribution, DateMention, DateRole, Denial, Entity, EntityKind, Event, Incident, Lang, Response, Span,
};

use crate::actors::state_of;
use crate::words::{Lit, Prepared, Unit, find_runs, parse_lang, parse_phrase, rows};

const DATA: &str = include_str!("../../../data/claims/incidents.tsv");
/// How many words after a type cue belong to the effect as reported ("شل الخدمات العامة").
const EFFECT_WORDS: usize = 2;

/// One line of the cue file.
#[derive(Debug, Clone)]
pub struct Cue {
    lang: Lang,
    kind: String,
    value: Option<String>,
    words: Vec<Lit>,
}

impl Cue {
    /// Where the cue first occurs among `units[range]`, as a unit range.
    #[must_use]
    pub fn find_in(&self, units: &[Unit], lang: Lang, range: Range<usize>) -> Option<(usize, usize)> {
        self.find_all(units, lang, range).into_iter().next()
    }

    fn find_all(&self, units: &[Unit], lang: Lang, range: Range<usize>) -> Vec<(usize, usize)> {
        find_runs(&self.words, units, lang, range)
    }
}

fn table() -> &'static [Cue] {
    static CUES: OnceLock<Vec<Cue>> = OnceLock::new();
    CUES.get_or_init(|| {
        rows(DATA)
            .filter_map(|f| {
                Some(Cue {
                    lang: parse_lang(f.first()?)?,
                    kind: (*f.get(1)?).to_string(),
                    value: f.get(2).filter(|v| **v != "-").map(|v| (*v).to_string()),
                    words: parse_phrase(f.get(3)?),
                })
            })
            .filter(|c| !c.words.is_empty())
            .collect()
    })
}

/// The cues of one kind (`attack`, `type`, `basis`, `sector`) for a language.
#[must_use]
pub fn cues(lang: Lang, kind: &str) -> Vec<&'static Cue> {
    table()
        .iter()
        .filter(|c| c.lang == lang && c.kind == kind)
        .collect()
}

/// An incident while it is being put together.
#[derive(Default)]
struct Draft {
    incident: Incident,
    sentences: Vec<usize>,
}

/// The sentence of a span.
fn sentence_of(sentences: &[Span], span: Span) -> Option<usize> {
    sentences
        .iter()
        .position(|s| s.start <= span.start && span.start < s.end.max(s.start + 1))
}

/// The cyber incidents `text` reports, from its events (see [`crate::events`]).
#[must_use]
pub fn extract(
    text: &str,
    lang: Lang,
    entities: &[Entity],
    events: &[Event],
    dates: &[DateMention],
) -> Vec<Incident> {
    extract_from(&Prepared::new(text, lang), entities, events, dates)
}

/// [`extract`] over a text already read (shared with [`crate::events`]).
pub(crate) fn extract_from(
    doc: &Prepared<'_>,
    entities: &[Entity],
    events: &[Event],
    dates: &[DateMention],
) -> Vec<Incident> {
    let (text, lang, units, sentence_spans) = (doc.text, doc.lang, &doc.units, &doc.sentences);
    let unit_at = |offset: usize| doc.unit_at(offset);
    let range_of = |s: usize| {
        sentence_spans
            .get(s)
            .map_or(0..0, |span| unit_at(span.start)..unit_at(span.end))
    };
    let attack_cues = cues(lang, "attack");
    let attack_sentences: Vec<usize> = (0..sentence_spans.len())
        .filter(|&s| {
            attack_cues
                .iter()
                .any(|c| c.find_in(units, lang, range_of(s)).is_some())
        })
        .collect();
    let is_attack = |e: &Event| e.event_type == "COERCE" && e.mode.as_deref() == Some("cyber");
    if attack_sentences.is_empty() && !events.iter().any(is_attack) {
        return Vec::new();
    }
    let state = |id: &str| state_of(id, entities).unwrap_or_else(|| id.to_string());

    // One draft per set of receivers.
    let mut drafts: Vec<Draft> = Vec::new();
    for e in events.iter().filter(|e| is_attack(e)) {
        let sentence = sentence_of(sentence_spans, e.evidence);
        let at = drafts
            .iter()
            .position(|d| d.incident.receivers == e.targets)
            .unwrap_or_else(|| {
                drafts.push(Draft {
                    incident: Incident {
                        receivers: e.targets.clone(),
                        ..Incident::default()
                    },
                    ..Draft::default()
                });
                drafts.len() - 1
            });
        let Some(d) = drafts.get_mut(at) else { continue };
        d.incident.evidence.push(e.evidence);
        d.sentences.extend(sentence);
        // An attack whose attacker a speaker names is that speaker's attribution.
        for accused in &e.sources {
            let speaker = e.reported_by.as_ref().filter(|r| r.contains(':'));
            d.incident.attributions.push(Attribution {
                attributing_actor: speaker.cloned(),
                accused_actor: Some(accused.clone()),
                basis: bases(units, lang, sentence.map_or(0..0, range_of)),
                attributor_type: String::new(),
                stance: if speaker.is_some() { "asserted" } else { "reported" }.to_string(),
                hedged: false,
                cue: None,
                evidence: e.evidence,
            });
        }
    }
    if drafts.is_empty() {
        drafts.push(Draft::default());
    }
    // Attack sentences no attack event covers belong to the record of the nearest attack before
    // them (the text goes on about it), else after them.
    for &s in &attack_sentences {
        if drafts.iter().any(|d| d.sentences.contains(&s)) {
            continue;
        }
        let nearest = |after: bool| {
            drafts
                .iter()
                .enumerate()
                .flat_map(|(n, d)| d.sentences.iter().map(move |&x| (n, x)))
                .filter(|&(_, x)| if after { x > s } else { x < s })
                .min_by_key(|&(_, x)| x.abs_diff(s))
                .map(|(n, _)| n)
        };
        let at = nearest(false).or_else(|| nearest(true)).unwrap_or(0);
        if let Some(d) = drafts.get_mut(at) {
            d.sentences.push(s);
        }
    }
    // The record most of the article is about comes first.
    drafts.sort_by_key(|d| std::cmp::Reverse(d.sentences.len()));

    // Which record an event about the incident belongs to: the one sharing its sentence, else the
    // one whose receivers are its sources (the victim acts), else its targets, else the main one.
    let pick = |drafts: &[Draft], e: &Event| -> usize {
        let sentence = sentence_of(sentence_spans, e.evidence);
        let names = |d: &Draft, actors: &[String]| {
            actors
                .iter()
                .any(|a| d.incident.receivers.iter().any(|r| state(r) == state(a)))
        };
        drafts
            .iter()
            .position(|d| sentence.is_some_and(|s| d.sentences.contains(&s)))
            .or_else(|| drafts.iter().position(|d| names(d, &e.sources)))
            .or_else(|| drafts.iter().position(|d| names(d, &e.targets)))
            .unwrap_or(0)
    };
    // An event is about the attack when its sentence speaks of cyber operations or refers back to
    // the attack ("في الهجوم", "در این حمله").
    let references = cues(lang, "reference");
    let about_attack = |e: &Event| {
        let sentence = sentence_of(sentence_spans, e.evidence);
        e.context.iter().any(|c| c == "cyber")
            || sentence.is_some_and(|s| {
                attack_sentences.contains(&s)
                    || references
                        .iter()
                        .any(|c| c.find_in(units, lang, range_of(s)).is_some())
            })
    };

    for e in events.iter().filter(|e| !is_attack(e) && !e.negated) {
        let kind = (e.event_type.as_str(), e.mode.as_deref());
        if kind == ("ACCUSE", Some("allege")) && about_attack(e) {
            let at = pick(&drafts, e);
            let sentence = sentence_of(sentence_spans, e.evidence);
            let Some(d) = drafts.get_mut(at) else { continue };
            for source in &e.sources {
                for target in &e.targets {
                    let duplicate = d.incident.attributions.iter().any(|a| {
                        a.attributing_actor.as_deref() == Some(source)
                            && a.accused_actor.as_deref() == Some(target)
                    });
                    if duplicate {
                        continue;
                    }
                    let reported = e.reported_by.as_ref().is_some_and(|r| {
                        r.contains(':') && !e.sources.contains(r) && !r.starts_with("outlet:")
                    });
                    d.incident.attributions.push(Attribution {
                        attributing_actor: Some(source.clone()),
                        accused_actor: Some(target.clone()),
                        basis: bases(units, lang, sentence.map_or(0..0, range_of)),
                        attributor_type: String::new(),
                        stance: if reported { "reported" } else { "asserted" }.to_string(),
                        hedged: false,
                        cue: None,
                        evidence: e.evidence,
                    });
                }
            }
        }
    }
    // Denials, by an accused actor (or its state's organs) or in a sentence about the attack.
    for e in events
        .iter()
        .filter(|e| !e.negated && e.event_type == "REJECT" && e.mode.as_deref() == Some("deny"))
    {
        let Some(actor) = e.sources.first() else { continue };
        let denier = state(actor);
        let found = drafts.iter().enumerate().find_map(|(n, d)| {
            d.incident
                .attributions
                .iter()
                .enumerate()
                .filter(|(_, a)| a.accused_actor.as_deref().map(state).as_deref() == Some(denier.as_str()))
                // The accusation of the actor the denial names, else the first.
                .max_by_key(|(i, a)| {
                    (
                        a.attributing_actor
                            .as_ref()
                            .is_some_and(|by| e.targets.iter().any(|t| state(t) == state(by))),
                        std::cmp::Reverse(*i),
                    )
                })
                .map(|(i, _)| (n, i))
        });
        let at = found.map_or_else(|| pick(&drafts, e), |(n, _)| n);
        if found.is_none() && !about_attack(e) {
            continue;
        }
        if let Some(d) = drafts.get_mut(at)
            && !d
                .incident
                .denials
                .iter()
                .any(|x| x.actor.as_ref() == Some(actor) && x.denies == found.map(|(_, i)| i))
        {
            d.incident.denials.push(Denial {
                actor: Some(actor.clone()),
                denies: found.map(|(_, i)| i),
                evidence: e.evidence,
            });
        }
    }
    for d in &mut drafts {
        for denied in d.incident.denials.iter().filter_map(|x| x.denies) {
            if let Some(a) = d.incident.attributions.get_mut(denied) {
                a.stance = "disputed".to_string();
            }
        }
    }
    // Responses: what the receivers, the attributors and others did about it.
    for e in events.iter().filter(|e| !is_attack(e) && !e.negated) {
        let response = match (e.event_type.as_str(), e.mode.as_deref()) {
            ("SANCTION", Some("break_relations")) => "diplomatic_rupture",
            ("SANCTION", Some("expel")) => "expulsion",
            ("SANCTION", _) => "sanction",
            ("ACCUSE", Some("disapprove")) => "statement",
            ("THREATEN", _) => "threat",
            ("AID" | "SUPPORT", _) => "support",
            _ => continue,
        };
        let at = pick(&drafts, e);
        let Some(d) = drafts.get_mut(at) else { continue };
        let involved = |a: &String| {
            let s = state(a);
            d.incident.receivers.iter().any(|r| state(r) == s)
                || d.incident.attributions.iter().any(|x| {
                    [&x.attributing_actor, &x.accused_actor]
                        .into_iter()
                        .flatten()
                        .any(|y| state(y) == s)
                })
        };
        let related = e.sources.iter().chain(&e.targets).any(involved);
        let relevant = match response {
            "statement" => about_attack(e),
            "support" => about_attack(e) || related,
            _ => related,
        };
        if !relevant {
            continue;
        }
        for actor in e
            .sources
            .iter()
            .map(Some)
            .chain(e.sources.is_empty().then_some(None))
        {
            let r = Response {
                response_type: response.to_string(),
                actor: actor.cloned(),
                target: e.targets.first().cloned(),
                evidence: e.evidence,
            };
            // The same response told twice (lead and body) is one, with its first evidence.
            let told =
                d.incident.responses.iter().any(|x| {
                    (&x.response_type, &x.actor, &x.target) == (&r.response_type, &r.actor, &r.target)
                });
            if !told {
                d.incident.responses.push(r);
            }
        }
    }
    // What the attack sentences say of it.
    let types = cues(lang, "type");
    let sectors = cues(lang, "sector");
    let is_main = |n: usize| n == 0;
    for (n, d) in drafts.iter_mut().enumerate() {
        d.sentences.sort_unstable();
        d.sentences.dedup();
        for &s in &d.sentences {
            let range = range_of(s);
            for cue in &types {
                for (start, end) in cue.find_all(units, lang, range.clone()) {
                    let Some(value) = &cue.value else { continue };
                    if !d.incident.incident_types.contains(value) {
                        d.incident.incident_types.push(value.clone());
                    }
                    let last = (end + EFFECT_WORDS).min(range.end);
                    let (Some(a), Some(b)) =
                        (units.get(start), last.checked_sub(1).and_then(|l| units.get(l)))
                    else {
                        continue;
                    };
                    let span = Span::new(a.span.start, b.span.end);
                    if let Some(effect) = span.slice(text)
                        && !d.incident.effects.iter().any(|(_, s)| s.overlaps(&span))
                    {
                        d.incident.effects.push((effect.to_string(), span));
                    }
                }
            }
            for cue in &sectors {
                if let Some(value) = &cue.value
                    && cue.find_in(units, lang, range.clone()).is_some()
                    && !d.incident.receiver_sectors.contains(value)
                {
                    d.incident.receiver_sectors.push(value.clone());
                }
            }
            if let Some(span) = sentence_spans.get(s)
                && !d
                    .incident
                    .evidence
                    .iter()
                    .any(|e| span.start <= e.start && e.end <= span.end)
            {
                d.incident.evidence.push(*span);
            }
        }
        let in_sentences =
            |span: Span| sentence_of(sentence_spans, span).is_some_and(|s| d.sentences.contains(&s));
        d.incident.start_date = dates
            .iter()
            .filter(|x| x.role == DateRole::Mention && in_sentences(x.span))
            .filter_map(|x| x.value.clone())
            .min();
        for e in entities
            .iter()
            .filter(|e| matches!(e.kind, EntityKind::ThreatActor | EntityKind::Malware))
        {
            if (is_main(n) || e.mentions.iter().any(|m| in_sentences(m.span)))
                && !d.incident.actors.contains(&e.id)
            {
                d.incident.actors.push(e.id.clone());
            }
        }
        d.incident.evidence.sort_unstable();
        d.incident.evidence.dedup();
    }
    drafts
        .into_iter()
        .map(|d| d.incident)
        .filter(|i| !i.receivers.is_empty() || !i.attributions.is_empty() || !i.responses.is_empty())
        .collect()
}

/// The attribution bases cued in a sentence.
fn bases(units: &[Unit], lang: Lang, range: Range<usize>) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for cue in cues(lang, "basis") {
        if let Some(value) = &cue.value
            && cue.find_in(units, lang, range.clone()).is_some()
            && !out.contains(value)
        {
            out.push(value.clone());
        }
    }
    out
}
