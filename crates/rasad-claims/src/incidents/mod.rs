//! Cyber-incident records, in the spirit of EuRepoC, from an article's events, the incident
//! patterns of `data/claims/incident_patterns.tsv` and the cues of `data/claims/incidents.tsv`.
//!
//! Sentences that speak of a cyber operation are found by their cue words (a generic attack word
//! such as "هجوم" counts only in an article that speaks of cyber operations elsewhere), by a malware
//! or threat actor named in them, or by a word that refers back to the attack. In them:
//! - victims come from the attacks (COERCE, mode cyber) and from the victim patterns ("attack on
//!   X", "تعرضت X لهجوم", "X هک شد"), names the catalog does not know included
//!   ([`slots`]); records whose victims share a name are one;
//! - attributions come from accusations (ACCUSE allege), from attacks whose attacker a quoted
//!   speaker names, and from the accuse patterns ("X was behind", "تقف وراء", "منتسب به",
//!   "Israel-linked"), each with who says so (the pattern's attributor, the clause subject, the
//!   quote's speaker, the sentence's source, or no one named), whether it is hedged, the words that
//!   carry it and the attributor's type in EuRepoC's terms;
//! - claims of responsibility are attributions by the claimer to itself (`attacker_confirms`);
//! - denials (REJECT deny, and the deny patterns) are linked to the attribution against the
//!   denier's state;
//! - responses (broken relations, expulsions, sanctions, condemnations, threats, support).
//!
//! Types, effects, sectors and the start date come from the sentences that speak of the attack.

mod patterns;
mod slots;
#[cfg(test)]
mod tests;

use std::ops::Range;
use std::sync::OnceLock;

use rasad_model::{
    Attribution, DateMention, DateRole, Denial, Entity, EntityKind, Event, Incident, Lang, Quote, Response,
    Span, Victim,
};

use crate::actors::state_of;
use crate::words::{Lit, Prepared, Units, find_runs, parse_lang, parse_phrase, rows};
use patterns::{Role, Slot};
use slots::Reader;

const DATA: &str = include_str!("../../../../data/claims/incidents.tsv");
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
    pub fn find_in(&self, units: &Units, lang: Lang, range: Range<usize>) -> Option<(usize, usize)> {
        self.find_all(units, lang, range).into_iter().next()
    }

    fn find_all(&self, units: &Units, lang: Lang, range: Range<usize>) -> Vec<(usize, usize)> {
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
    quotes: &[Quote],
    events: &[Event],
    dates: &[DateMention],
) -> (Vec<Incident>, Vec<Entity>) {
    extract_from(&Prepared::new(text, lang), entities, quotes, events, dates)
}

/// An attack as the records are built from it: who was hit, who by, who says so.
#[derive(Clone)]
struct Attack {
    targets: Vec<String>,
    sources: Vec<String>,
    reported_by: Option<String>,
    evidence: Span,
}

/// What the patterns found in the sentences about the attack.
#[derive(Default)]
struct Findings {
    attacks: Vec<Attack>,
    /// (sentence, attributor, accused, hedged, cue, evidence)
    accusations: Vec<(usize, Option<String>, String, bool, String, Span)>,
    /// The evidence of accusations the text gives to unnamed speakers ("وسائل محلية إسرائيلية",
    /// "researchers"): told by someone else than a named accuser, they stand beside its accusation.
    unnamed: Vec<Span>,
    claims: Vec<(usize, String, Span)>,
    denials: Vec<(usize, String, Span)>,
}

/// Kinds that can be accused of an operation.
fn accusable(kind: Option<EntityKind>) -> bool {
    matches!(
        kind,
        Some(
            EntityKind::Country
                | EntityKind::GovernmentBody
                | EntityKind::ThreatActor
                | EntityKind::ArmedGroup
                | EntityKind::PoliticalGroup
                | EntityKind::Organization
                | EntityKind::Company
        )
    )
}

/// Kinds that can attribute, claim or deny (a capital speaks as its state's id already; another
/// city does not speak).
/// Who may accuse someone else of an attack: anyone who speaks but an attacker (a threat actor
/// speaks only for itself, in a claim).
fn accuser(kind: Option<EntityKind>) -> bool {
    speaking(kind) && kind != Some(EntityKind::ThreatActor)
}

/// [`accuser`], and not a name this layer found by its shape in a victim's place ("بغرض التجسس").
fn accuser_id(reader: &Reader<'_>, id: &str) -> bool {
    accuser(reader.kind(id)) && !(id.starts_with("org:") && reader.found_here(id))
}

fn speaking(kind: Option<EntityKind>) -> bool {
    !matches!(
        kind,
        None | Some(EntityKind::Malware | EntityKind::Region | EntityKind::City)
    )
}

/// The text of units `[start, end)`.
fn words_of(doc: &Prepared<'_>, start: usize, end: usize) -> String {
    match (
        doc.units.get(start),
        end.checked_sub(1).and_then(|l| doc.units.get(l)),
    ) {
        (Some(a), Some(b)) if a.span.start <= b.span.end => {
            doc.text.get(a.span.start..b.span.end).unwrap_or("").to_string()
        }
        _ => String::new(),
    }
}

fn span_of(doc: &Prepared<'_>, start: usize, end: usize) -> Span {
    match (
        doc.units.get(start),
        end.checked_sub(1).and_then(|l| doc.units.get(l)),
    ) {
        (Some(a), Some(b)) if a.span.start <= b.span.end => Span::new(a.span.start, b.span.end),
        (Some(a), _) => a.span,
        _ => Span::new(0, 0),
    }
}

/// The clause subject of a pattern whose words begin at unit `first` and end at `last`, by the
/// language's word order (as the event coder reads it).
fn subject(reader: &Reader<'_>, first: usize, last: usize, lo: usize, hi: usize) -> Option<Vec<String>> {
    let before = || {
        reader
            .actors_backward(first, lo, false)
            .map(|f| f.ids)
            .or_else(|| reader.actors.first_subject(lo, hi, first).map(|(ids, _, _)| ids))
    };
    match reader.doc.lang {
        Lang::Ar => reader
            .actors_forward(first + 1, hi, false)
            .filter(|f| f.start <= last + 1)
            .map(|f| f.ids)
            .or_else(before),
        Lang::Fa => reader
            .actors
            .first_subject(lo, hi, first)
            .map(|(ids, _, _)| ids)
            .or_else(before),
        _ => before(),
    }
}

/// Kinds that are more often the attacker than the victim when a name stands in both an
/// accusation's and a victim's words.
fn attacker_kind(kind: Option<EntityKind>) -> bool {
    matches!(
        kind,
        Some(
            EntityKind::Country
                | EntityKind::GovernmentBody
                | EntityKind::ThreatActor
                | EntityKind::ArmedGroup
                | EntityKind::PoliticalGroup
                | EntityKind::Person
                | EntityKind::Malware
        )
    )
}

/// A slot's names without the state of another name in it: "شركة مايكروسوفت الأمريكية" is
/// Microsoft speaking, not the United States.
fn without_own_state(reader: &Reader<'_>, ids: Vec<String>) -> Vec<String> {
    let states: Vec<String> = ids
        .iter()
        .filter(|id| !id.starts_with("country:"))
        .filter_map(|id| reader.state(id))
        .collect();
    ids.into_iter()
        .filter(|id| !(id.starts_with("country:") && states.contains(id)))
        .collect()
}

/// The speaker a sentence's source patterns name, for the sentences after it that go on with a
/// pronoun.
fn named_speaker(reader: &Reader<'_>, found: &[patterns::Found]) -> Option<Vec<String>> {
    found
        .iter()
        .filter(|f| f.role == Role::Source)
        .filter_map(|f| f.slot(Slot::By))
        .map(|b| {
            b.ids
                .iter()
                .filter(|id| speaking(reader.kind(id)))
                .cloned()
                .collect::<Vec<_>>()
        })
        .find(|ids| !ids.is_empty())
}

/// Runs the patterns over the sentences about the attack.
#[allow(clippy::too_many_lines)]
fn find_in_sentences(
    reader: &mut Reader<'_>,
    attack: &[bool],
    related: &[bool],
    charged: &[bool],
    mut trace: Option<&mut Vec<PatternMatch>>,
) -> Findings {
    let doc = reader.doc;
    let mut out = Findings::default();
    // Who spoke last, for a sentence that goes on with a pronoun ("وأضاف", "He added", "وی افزود").
    let mut last_speaker: Vec<String> = Vec::new();
    for (s, span) in doc.sentences.iter().enumerate() {
        let (lo, hi) = (doc.unit_at(span.start), doc.unit_at(span.end));
        let continued = reader.continues(lo, hi);
        let before = std::mem::take(&mut last_speaker);
        let is_attack = attack.get(s).copied().unwrap_or(false);
        let is_related = related.get(s).copied().unwrap_or(false);
        let is_charged = charged.get(s).copied().unwrap_or(false);
        if !(is_attack || is_related || is_charged) {
            let sources = patterns::find_roles(reader, lo, hi, &[Role::Source]);
            last_speaker = named_speaker(reader, &sources)
                .unwrap_or_else(|| if continued { before } else { Vec::new() });
            continue;
        }
        let mut found = patterns::find(reader, lo, hi);
        last_speaker = named_speaker(reader, &found)
            .unwrap_or_else(|| if continued { before.clone() } else { Vec::new() });
        // "Microsoft: Chinese hackers …", "“واشنطن بوست”: هاكرز روسيون وراء …": a name and a
        // colon open a headline that is the name's word.
        if let Some(speaker) = slots::colon_speaker(reader, lo, hi) {
            found.push(speaker);
        }
        let sources: Vec<&patterns::Found> = found.iter().filter(|f| f.role == Role::Source).collect();
        for f in &found {
            let evidence = span_of(doc, f.start, f.end);
            if let Some(t) = trace.as_deref_mut() {
                t.push(PatternMatch {
                    role: f.role.name(),
                    slots: f
                        .slots
                        .iter()
                        .map(|(slot, x)| (slot.name(), x.ids.clone()))
                        .collect(),
                    span: evidence,
                });
            }
            let cue = words_of(doc, f.first_word, f.last_word + 1);
            let actor_of = |slot: Slot| -> Vec<String> {
                let ids = f.slot(slot).map(|x| x.ids.clone()).unwrap_or_default();
                if ids.is_empty() && f.subject {
                    subject(reader, f.first_word, f.last_word, lo, hi).unwrap_or_default()
                } else {
                    ids
                }
            };
            match f.role {
                // A victim is named in a sentence about the attack or right after one
                // ("ومن أبرز الجهات المستهدفة …").
                Role::Victim if is_attack || is_related => {
                    // "ألقى … باللوم في الهجوم على الحكومة الروسية": the accusation's words
                    // name the accused, not a victim.
                    // A company, a place or an outlet in both is the victim ("the KA-SAT
                    // cyberattack").
                    let accused_here = |id: &String| {
                        attacker_kind(reader.kind(id))
                            && found.iter().any(|g| {
                                g.role == Role::Accuse
                                    && g.start < f.end
                                    && f.start < g.end
                                    && g.slot(Slot::Accused).is_some_and(|a| a.ids.contains(id))
                            })
                    };
                    let targets: Vec<String> = f
                        .slot(Slot::Victim)
                        .map(|x| x.ids.clone())
                        .unwrap_or_default()
                        .into_iter()
                        .filter(|id| !accused_here(id))
                        .collect();
                    if !targets.is_empty() {
                        out.attacks.push(Attack {
                            targets,
                            sources: Vec::new(),
                            reported_by: None,
                            evidence,
                        });
                    }
                }
                Role::Accuse if is_attack || is_related => {
                    let accused: Vec<String> = f
                        .slot(Slot::Accused)
                        .map(|x| x.ids.clone())
                        .unwrap_or_default()
                        .into_iter()
                        .filter(|id| accusable(reader.kind(id)))
                        // A name found by its shape in a victim's place is no one to accuse.
                        .filter(|id| !(id.starts_with("org:") && reader.is_discovered(id)))
                        // "لائحة الاتهام الأمريكية": a state's adjective on an accusation noun
                        // names who accuses.
                        .filter(|id| !reader.adjective_on_charge(id, f.slot(Slot::Accused), f.first_word))
                        // "Sands Casino cyberattack", "Ukraine's power grid": a company or a place
                        // right before the words is what was hit, not who hit it.
                        .filter(|id| {
                            let before_words = f.slot(Slot::Accused).is_some_and(|a| a.end <= f.first_word);
                            !before_words || attacker_kind(reader.kind(id))
                        })
                        .collect();
                    // "الموساد الإسرائيلي": the organ, not its state a second time.
                    let organ_states: Vec<String> = accused
                        .iter()
                        .filter(|id| {
                            matches!(
                                reader.kind(id),
                                Some(EntityKind::GovernmentBody | EntityKind::Person)
                            )
                        })
                        .filter_map(|id| reader.state(id))
                        .collect();
                    let accused: Vec<String> = accused
                        .into_iter()
                        .filter(|id| !(id.starts_with("country:") && organ_states.contains(id)))
                        .collect();
                    // "اتهمت شركة مايكروسوفت الأمريكية …": the name a source pattern reads as
                    // the speaker right after the verb is the accuser, not the accused.
                    let accused_slot = f.slot(Slot::Accused).map(|a| a.start);
                    let speaker_there = found.iter().any(|g| {
                        g.role == Role::Source
                            && g.slot(Slot::By).map(|b| b.start) == accused_slot
                            && f.slot(Slot::By).is_none()
                    });
                    // "بنك سپه، الذي يرتبط ارتباطا وثيقا بالحرس الثوري": ties of an organisation,
                    // not of the attackers.
                    let organisation_ties =
                        f.affiliation && reader.describes_organisation(f.first_word.min(f.start), lo);
                    if accused.is_empty() || speaker_there || organisation_ties {
                        continue;
                    }
                    // Who says so: the pattern's attributor or the clause subject, else the speaker
                    // of the quote the words stand in, else the sentence's source, else no one.
                    let mut by: Vec<Option<String>> = without_own_state(reader, actor_of(Slot::By))
                        .into_iter()
                        .filter(|id| accuser_id(reader, id) && !accused.contains(id))
                        .map(Some)
                        .collect();
                    if by.is_empty() {
                        // The sentence's source named nearest the words, before them if any.
                        // A source inside the words counts when its name is not the accused's
                        // ("أرجعته الدوائر الأمريكية إلى كوريا الشمالية").
                        let accused_span = f
                            .slot(Slot::Accused)
                            .map_or((f.start, f.end), |a| (a.start, a.end));
                        let source: Vec<String> = sources
                            .iter()
                            .filter(|x| {
                                let by = x.slot(Slot::By).map_or((x.start, x.end), |b| (b.start, b.end));
                                by.1 <= accused_span.0 || by.0 >= accused_span.1
                            })
                            .filter(|x| {
                                x.slot(Slot::By)
                                    .is_some_and(|b| b.ids.iter().any(|id| speaking(reader.kind(id))))
                            })
                            .min_by_key(|x| (x.start > f.start, x.start.abs_diff(f.start)))
                            .and_then(|x| x.slot(Slot::By))
                            .map(|x| x.ids.clone())
                            .unwrap_or_default();
                        // Who a quote is said by is left to the source patterns: the quote
                        // reader's speaker is too often a state named near the verb. Without a
                        // source, the actor before a complementizer says it ("قال X إن …").
                        let source = if source.is_empty() {
                            reader.speaker_before(lo, f.start)
                        } else {
                            source
                        };
                        // "وأضاف أن …", "He added that …": the speaker of the sentence before.
                        let source = if source.is_empty() && continued {
                            before.clone()
                        } else {
                            source
                        };
                        // "قالت الشركتان إن …", "the company said": the companies named before.
                        let source = if source.is_empty() {
                            reader.speaker_anaphor(lo, f.start)
                        } else {
                            source
                        };
                        by.extend(
                            without_own_state(reader, source)
                                .into_iter()
                                .filter(|id| accuser_id(reader, id) && !accused.contains(id))
                                .map(Some),
                        );
                        if by.is_empty() {
                            by.push(None);
                        }
                    }
                    let hedged = f.hedged || slots::hedged_before(reader, f.first_word.min(f.start), lo);
                    // "Ukrainian officials are pointing the blame at Russia and Ukraine has
                    // launched …": of several accused, the accuser's own state is the next clause's.
                    let by_states: Vec<String> =
                        by.iter().flatten().filter_map(|b| reader.state(b)).collect();
                    let accused: Vec<String> = if accused.len() > 1 {
                        accused
                            .into_iter()
                            .filter(|a| !reader.state(a).is_some_and(|s| by_states.contains(&s)))
                            .collect()
                    } else {
                        accused
                    };
                    if by.iter().all(Option::is_none) && reader.unnamed_speaker(lo, f.end) {
                        out.unnamed.push(evidence);
                    }
                    for a in &accused {
                        for b in &by {
                            out.accusations
                                .push((s, b.clone(), a.clone(), hedged, cue.clone(), evidence));
                        }
                    }
                }
                Role::Claim if is_attack || is_related => {
                    for c in actor_of(Slot::Claimer) {
                        // A company or a victim does not claim an attack on itself; a state's
                        // adjective or compound in a claimer's place names the group's backer ("An
                        // Israel-linked group has claimed responsibility", "Israeli hackers").
                        let backer = reader.kind(&c) == Some(EntityKind::Country)
                            && f.slot(Slot::Claimer)
                                .is_some_and(|x| reader.backer_in(&c, x.start, x.end));
                        let claimer = !backer
                            && (!matches!(
                                reader.kind(&c),
                                Some(EntityKind::Company | EntityKind::Organization)
                            ) || c.starts_with("group:"));
                        if accusable(reader.kind(&c)) && claimer {
                            out.claims.push((s, c, evidence));
                        }
                    }
                }
                Role::Deny => {
                    for d in actor_of(Slot::Denier) {
                        if speaking(reader.kind(&d)) {
                            out.denials.push((s, d, evidence));
                        }
                    }
                }
                _ => {}
            }
        }
    }
    out
}

/// EuRepoC's attribution basis from who attributes.
fn attributor_type(
    reader: &Reader<'_>,
    by: Option<&str>,
    accused: Option<&str>,
    receivers: &[String],
) -> String {
    let Some(by) = by else {
        return "media".into();
    };
    if Some(by) == accused {
        return "attacker_confirms".into();
    }
    if by.starts_with("vendor:") {
        return "it_security".into();
    }
    let kind = reader.kind(by);
    match kind {
        Some(EntityKind::NewsOutlet) => "media".into(),
        Some(EntityKind::Igo) => "international_organization".into(),
        Some(EntityKind::Country | EntityKind::GovernmentBody | EntityKind::Person | EntityKind::City) => {
            let state = reader.state(by);
            let receiver_states: Vec<Option<String>> = receivers.iter().map(|r| reader.state(r)).collect();
            if state.is_some() && receiver_states.contains(&state) {
                "receiver_government".into()
            } else if state.is_some() {
                "third_party_state".into()
            } else {
                "other".into()
            }
        }
        _ if receivers.iter().any(|r| r == by) => "receiver".into(),
        _ => "other".into(),
    }
}

/// The EuRepoC receiver category of a victim.
fn category(kind: Option<EntityKind>, sectors: &[String]) -> String {
    let infrastructure = sectors.iter().any(|s| {
        matches!(
            s.as_str(),
            "critical_infrastructure" | "nuclear" | "energy" | "telecom" | "health" | "water"
        )
    });
    match kind {
        Some(EntityKind::Country) => "state",
        Some(EntityKind::GovernmentBody) => "state_institutions",
        Some(EntityKind::NewsOutlet) => "media",
        Some(EntityKind::Igo) => "international_organization",
        Some(EntityKind::City) => "critical_infrastructure",
        _ if infrastructure => "critical_infrastructure",
        Some(EntityKind::PoliticalGroup | EntityKind::ArmedGroup) => "social_groups",
        _ => "corporate",
    }
    .to_string()
}

/// One match of an incident pattern, for explaining a record: what the pattern says, the actors
/// its slots read, and the words it matched.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PatternMatch {
    /// `victim`, `accuse`, `claim`, `deny` or `source`.
    pub role: &'static str,
    /// Each slot's name (`victim`, `accused`, `by`, `claimer`, `denier`) and the ids it read.
    pub slots: Vec<(&'static str, Vec<String>)>,
    pub span: Span,
}

/// Every pattern match in the sentences [`extract`] reads for `text`, in reading order.
#[must_use]
pub fn trace(
    text: &str,
    lang: Lang,
    entities: &[Entity],
    quotes: &[Quote],
    events: &[Event],
) -> Vec<PatternMatch> {
    let mut out = Vec::new();
    extract_traced(
        &Prepared::new(text, lang),
        entities,
        quotes,
        events,
        &[],
        Some(&mut out),
    );
    out
}

/// [`extract`] over a text already read (shared with [`crate::events`]). Returns the records and
/// the entities found by their shape that the records name.
pub(crate) fn extract_from(
    doc: &Prepared<'_>,
    entities: &[Entity],
    quotes: &[Quote],
    events: &[Event],
    dates: &[DateMention],
) -> (Vec<Incident>, Vec<Entity>) {
    extract_traced(doc, entities, quotes, events, dates, None)
}

#[allow(clippy::too_many_lines)]
fn extract_traced(
    doc: &Prepared<'_>,
    entities: &[Entity],
    quotes: &[Quote],
    events: &[Event],
    dates: &[DateMention],
    trace: Option<&mut Vec<PatternMatch>>,
) -> (Vec<Incident>, Vec<Entity>) {
    let (text, lang, units, sentence_spans) = (doc.text, doc.lang, &doc.units, &doc.sentences);
    let unit_at = |offset: usize| doc.unit_at(offset);
    let range_of = |s: usize| {
        sentence_spans
            .get(s)
            .map_or(0..0, |span| unit_at(span.start)..unit_at(span.end))
    };
    let has = |kind: &str, s: usize| {
        cues(lang, kind)
            .iter()
            .any(|c| c.find_in(units, lang, range_of(s)).is_some())
    };
    let n = sentence_spans.len();
    // A malware or threat actor named in a sentence makes it one about a cyber operation.
    let named_operation: Vec<bool> = sentence_spans
        .iter()
        .map(|span| {
            entities
                .iter()
                .filter(|e| matches!(e.kind, EntityKind::Malware | EntityKind::ThreatActor))
                .flat_map(|e| &e.mentions)
                .any(|m| span.start <= m.span.start && m.span.start < span.end)
        })
        .collect();
    let cyber: Vec<bool> = (0..n)
        .map(|s| has("attack", s) || named_operation.get(s).copied().unwrap_or(false))
        .collect();
    let is_attack = |e: &Event| e.event_type == "COERCE" && e.mode.as_deref() == Some("cyber");
    let cyber_article = cyber.iter().any(|&c| c) || events.iter().any(is_attack);
    if !cyber_article {
        return (Vec::new(), Vec::new());
    }
    let attack: Vec<bool> = (0..n)
        .map(|s| cyber.get(s).copied().unwrap_or(false) || has("operation", s))
        .collect();
    let attack_sentences: Vec<usize> = (0..n)
        .filter(|&s| attack.get(s).copied().unwrap_or(false))
        .collect();
    let referring: Vec<bool> = (0..n).map(|s| has("reference", s)).collect();
    // Sentences about the attack without naming it: a reference back to it, or right after one.
    let related: Vec<bool> = (0..n)
        .map(|s| {
            referring.get(s).copied().unwrap_or(false)
                || s.checked_sub(1)
                    .is_some_and(|p| attack.get(p).copied().unwrap_or(false))
        })
        .collect();
    let charged: Vec<bool> = (0..n).map(|s| has("charge", s)).collect();

    let mut reader = Reader::new(doc, entities, quotes);
    let findings = find_in_sentences(&mut reader, &attack, &related, &charged, trace);
    let state = |id: &str| {
        reader
            .state(id)
            .or_else(|| state_of(id, entities))
            .unwrap_or_else(|| id.to_string())
    };

    let mut attacks: Vec<Attack> = events
        .iter()
        .filter(|e| is_attack(e))
        .map(|e| Attack {
            targets: e.targets.clone(),
            sources: e.sources.clone(),
            reported_by: e.reported_by.clone(),
            evidence: e.evidence,
        })
        .collect();
    // What each sentence says was attacked: an actor hit in a sentence is not accused in it.
    let hit: Vec<(Option<usize>, String)> = findings
        .attacks
        .iter()
        .flat_map(|a| {
            let sentence = sentence_of(sentence_spans, a.evidence);
            a.targets.iter().map(move |t| (sentence, t.clone()))
        })
        .collect();
    let hit_in = |sentence: Option<usize>, id: &str| hit.iter().any(|(s, t)| *s == sentence && t == id);
    attacks.extend(findings.attacks.iter().cloned());

    // One draft per set of receivers; a set that shares a name with a draft joins it.
    let mut drafts: Vec<Draft> = Vec::new();
    for e in &attacks {
        let sentence = sentence_of(sentence_spans, e.evidence);
        let at = drafts
            .iter()
            .position(|d| d.incident.receivers == e.targets)
            .or_else(|| {
                drafts
                    .iter()
                    .position(|d| d.incident.receivers.iter().any(|r| e.targets.contains(r)))
            })
            .unwrap_or_else(|| {
                drafts.push(Draft::default());
                drafts.len() - 1
            });
        let Some(d) = drafts.get_mut(at) else { continue };
        for t in &e.targets {
            if !d.incident.receivers.contains(t) {
                d.incident.receivers.push(t.clone());
            }
        }
        d.incident.evidence.push(e.evidence);
        d.sentences.extend(sentence);
        // An attack whose attacker a speaker names is that speaker's attribution; an organisation
        // found by its shape is no attacker.
        for accused in e
            .sources
            .iter()
            .filter(|a| !(a.starts_with("org:") && reader.is_discovered(a)))
        {
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
    // Attack sentences no attack covers belong to the record of the nearest attack before them
    // (the text goes on about it), else after them.
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
    let pick_by =
        |drafts: &[Draft], sentence: Option<usize>, sources: &[String], targets: &[String]| -> usize {
            let names = |d: &Draft, actors: &[String]| {
                actors
                    .iter()
                    .any(|a| d.incident.receivers.iter().any(|r| state(r) == state(a)))
            };
            drafts
                .iter()
                .position(|d| sentence.is_some_and(|s| d.sentences.contains(&s)))
                .or_else(|| drafts.iter().position(|d| names(d, sources)))
                .or_else(|| drafts.iter().position(|d| names(d, targets)))
                .unwrap_or(0)
        };
    let pick = |drafts: &[Draft], e: &Event| -> usize {
        pick_by(
            drafts,
            sentence_of(sentence_spans, e.evidence),
            &e.sources,
            &e.targets,
        )
    };
    // An event is about the attack when its sentence speaks of cyber operations or refers back to
    // the attack ("في الهجوم", "در این حمله").
    let about_attack = |e: &Event| {
        let sentence = sentence_of(sentence_spans, e.evidence);
        e.context.iter().any(|c| c == "cyber")
            || sentence.is_some_and(|s| {
                attack.get(s).copied().unwrap_or(false) || referring.get(s).copied().unwrap_or(false)
            })
    };
    let push_attribution = |d: &mut Draft, attribution: Attribution| {
        let same = d.incident.attributions.iter_mut().find(|a| {
            a.attributing_actor == attribution.attributing_actor
                && a.accused_actor == attribution.accused_actor
        });
        match same {
            Some(a) => {
                // Told again with more to it: keep the cue and the bases it brings.
                if a.cue.is_none() {
                    a.cue.clone_from(&attribution.cue);
                }
                for b in attribution.basis {
                    if !a.basis.contains(&b) {
                        a.basis.push(b);
                    }
                }
            }
            None => d.incident.attributions.push(attribution),
        }
    };

    for e in events.iter().filter(|e| !is_attack(e) && !e.negated) {
        let kind = (e.event_type.as_str(), e.mode.as_deref());
        if kind == ("ACCUSE", Some("allege")) && about_attack(e) {
            let at = pick(&drafts, e);
            let sentence = sentence_of(sentence_spans, e.evidence);
            let Some(d) = drafts.get_mut(at) else { continue };
            for source in &e.sources {
                for target in e.targets.iter().filter(|t| !hit_in(sentence, t)) {
                    let reported = e.reported_by.as_ref().is_some_and(|r| {
                        r.contains(':') && !e.sources.contains(r) && !r.starts_with("outlet:")
                    });
                    push_attribution(
                        d,
                        Attribution {
                            attributing_actor: Some(source.clone()),
                            accused_actor: Some(target.clone()),
                            basis: bases(units, lang, sentence.map_or(0..0, range_of)),
                            attributor_type: String::new(),
                            stance: if reported { "reported" } else { "asserted" }.to_string(),
                            hedged: false,
                            cue: None,
                            evidence: e.evidence,
                        },
                    );
                }
            }
        }
    }
    // The accusations and claims the patterns found.
    for (s, by, accused, hedged, cue, evidence) in &findings.accusations {
        if hit_in(Some(*s), accused) {
            continue;
        }
        let at = pick_by(&drafts, Some(*s), &[], &[]);
        let Some(d) = drafts.get_mut(at) else { continue };
        // A state's organ does not accuse its own state: the name was the accused's, not a speaker's.
        let organ = |b: &str| {
            matches!(
                reader.kind(b),
                Some(EntityKind::Country | EntityKind::GovernmentBody | EntityKind::City)
            )
        };
        let by = by.clone().filter(|b| !(organ(b) && state(b) == state(accused)));
        push_attribution(
            d,
            Attribution {
                attributing_actor: by.clone(),
                accused_actor: Some(accused.clone()),
                basis: bases(units, lang, range_of(*s)),
                attributor_type: String::new(),
                stance: if by.is_some() { "asserted" } else { "reported" }.to_string(),
                hedged: *hedged,
                cue: Some(cue.clone()),
                evidence: *evidence,
            },
        );
    }
    for (s, claimer, evidence) in &findings.claims {
        let at = pick_by(&drafts, Some(*s), &[], &[]);
        let Some(d) = drafts.get_mut(at) else { continue };
        push_attribution(
            d,
            Attribution {
                attributing_actor: Some(claimer.clone()),
                accused_actor: Some(claimer.clone()),
                basis: vec!["claim_channel".into()],
                attributor_type: "attacker_confirms".into(),
                stance: "asserted".into(),
                hedged: false,
                cue: None,
                evidence: *evidence,
            },
        );
    }
    // An accusation no one is named for, of an actor someone named accuses elsewhere in the article,
    // is that accusation told again ("X blamed Y … Y is behind the attack"): it is dropped, unless
    // the text gives it to unnamed speakers of its own ("sources", "وسائل إعلام").
    let named: Vec<String> = drafts
        .iter()
        .flat_map(|d| &d.incident.attributions)
        .filter(|a| a.attributing_actor.is_some() && !a.is_claim())
        .filter_map(|a| a.accused_actor.clone())
        .collect();
    for d in &mut drafts {
        d.incident.attributions.retain(|a| {
            a.attributing_actor.is_some()
                || findings.unnamed.contains(&a.evidence)
                || !a.accused_actor.as_ref().is_some_and(|x| named.contains(x))
        });
    }
    // Denials, by an accused actor (or its state's organs) or in a sentence about the attack.
    let mut denials: Vec<(Option<usize>, String, Vec<String>, Span)> = events
        .iter()
        .filter(|e| !e.negated && e.event_type == "REJECT" && e.mode.as_deref() == Some("deny"))
        .filter_map(|e| {
            let actor = e.sources.first()?.clone();
            Some((
                sentence_of(sentence_spans, e.evidence),
                actor,
                e.targets.clone(),
                e.evidence,
            ))
        })
        .collect();
    for (s, actor, evidence) in &findings.denials {
        if !denials
            .iter()
            .any(|(_, a, _, ev)| a == actor && ev.overlaps(evidence))
        {
            denials.push((Some(*s), actor.clone(), Vec::new(), *evidence));
        }
    }
    // "neither confirmed nor denied", "لم يؤكد ولم ينف": no denial.
    let non_denials: Vec<Span> = cues(lang, "nondenial")
        .iter()
        .flat_map(|c| c.find_all(units, lang, 0..units.len()))
        .map(|(a, b)| span_of(doc, a, b))
        .collect();
    denials.retain(|(_, _, _, evidence)| !non_denials.iter().any(|n| n.overlaps(evidence)));
    for (sentence, actor, targets, evidence) in &denials {
        let denier = state(actor);
        let found = drafts.iter().enumerate().find_map(|(n, d)| {
            d.incident
                .attributions
                .iter()
                .enumerate()
                .filter(|(_, a)| {
                    !a.is_claim() && a.accused_actor.as_deref().map(state).as_deref() == Some(denier.as_str())
                })
                // The accusation of the actor the denial names, else the first.
                .max_by_key(|(i, a)| {
                    (
                        a.attributing_actor
                            .as_ref()
                            .is_some_and(|by| targets.iter().any(|t| state(t) == state(by))),
                        std::cmp::Reverse(*i),
                    )
                })
                .map(|(i, _)| (n, i))
        });
        // A victim denying that it was hit denies the record it is the victim of.
        let victim_of = drafts.iter().position(|d| {
            d.incident
                .receivers
                .iter()
                .any(|r| r == actor || state(r) == denier)
        });
        let about = sentence.is_some_and(|s| {
            attack.get(s).copied().unwrap_or(false)
                || referring.get(s).copied().unwrap_or(false)
                || charged.get(s).copied().unwrap_or(false)
        });
        if found.is_none() && victim_of.is_none() && !about {
            continue;
        }
        let at = found
            .map(|(n, _)| n)
            .or(victim_of)
            .unwrap_or_else(|| pick_by(&drafts, *sentence, std::slice::from_ref(actor), targets));
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
                evidence: *evidence,
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
                && !d.incident.evidence.iter().any(|e| span.contains(e))
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
    // The victims as the text names them, and who attributes in EuRepoC's terms.
    let all_entities: Vec<&Entity> = entities.iter().chain(reader.discovered.iter()).collect();
    for d in &mut drafts {
        let evidence = d.incident.evidence.clone();
        d.incident.victims = d
            .incident
            .receivers
            .iter()
            .map(|id| {
                let entity = all_entities.iter().find(|e| &e.id == id);
                let mention = entity.and_then(|e| {
                    e.mentions
                        .iter()
                        .find(|m| evidence.iter().any(|ev| ev.contains(&m.span)))
                        .or_else(|| e.mentions.first())
                });
                Victim {
                    id: id.clone(),
                    name: mention.map_or_else(
                        || entity.map_or_else(|| id.clone(), |e| e.label.clone()),
                        |m| m.text.clone(),
                    ),
                    country: reader
                        .state(id)
                        .and_then(|c| c.strip_prefix("country:").map(str::to_string)),
                    category: category(reader.kind(id), &d.incident.receiver_sectors),
                    evidence: mention.map_or_else(
                        || evidence.first().copied().unwrap_or(Span::new(0, 0)),
                        |m| m.span,
                    ),
                }
            })
            .collect();
        let receivers = d.incident.receivers.clone();
        for a in &mut d.incident.attributions {
            if a.attributor_type.is_empty() {
                a.attributor_type = attributor_type(
                    &reader,
                    a.attributing_actor.as_deref(),
                    a.accused_actor.as_deref(),
                    &receivers,
                );
            }
        }
    }
    let incidents: Vec<Incident> = drafts
        .into_iter()
        .map(|d| d.incident)
        .filter(|i| {
            !i.receivers.is_empty()
                || !i.attributions.is_empty()
                || !i.responses.is_empty()
                || !i.denials.is_empty()
        })
        .collect();
    // The names found by their shape that the records use.
    let used = |id: &str| {
        incidents.iter().any(|i| {
            i.receivers.iter().any(|r| r == id)
                || i.attributions.iter().any(|a| {
                    a.attributing_actor.as_deref() == Some(id) || a.accused_actor.as_deref() == Some(id)
                })
                || i.denials.iter().any(|x| x.actor.as_deref() == Some(id))
        })
    };
    let discovered = reader
        .discovered
        .into_iter()
        .filter(|e| used(&e.id) && !entities.iter().any(|x| x.id == e.id))
        .collect();
    (incidents, discovered)
}

/// The attribution bases cued in a sentence.
fn bases(units: &Units, lang: Lang, range: Range<usize>) -> Vec<String> {
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
