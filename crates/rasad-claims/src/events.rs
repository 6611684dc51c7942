//! PLOVER events from verb patterns (`data/claims/events.tsv`).
//!
//! A pattern is a run of words with slots for the source and target actors; it is matched outward
//! from its longest word (the anchor), inside one clause: the sentence, or the quote when the words
//! stand in one. Precision first: an event is made only when every required slot holds a
//! catalogued or titled actor, and at least one actor is known.

use std::sync::OnceLock;

use rasad_model::{DateMention, DateRole, Entity, EntityKind, Event, Lang, Quote, Span};

use crate::actors::{Actors, Role, actor_id};
use crate::incidents::cues;
use crate::words::{Lit, Prepared, Unit, parse_lang, rows};

const DATA: &str = include_str!("../../../data/claims/events.tsv");
const GAP: usize = 5;
const LONG_GAP: usize = 12;

#[derive(Debug, Clone, PartialEq, Eq)]
enum Elem {
    Lit(Lit),
    Gap(usize),
    Source,
    Target { optional: bool },
}

/// One line of the pattern file.
#[derive(Debug, Clone)]
struct Pattern {
    lang: Lang,
    event_type: String,
    mode: Option<String>,
    context: Vec<String>,
    cameo: Option<String>,
    elems: Vec<Elem>,
    /// The index in `elems` of the longest word, where matching starts.
    anchor: usize,
    subject: bool,
    speaker: bool,
}

fn dash(s: &str) -> Option<String> {
    (s != "-" && !s.is_empty()).then(|| s.to_string())
}

fn parse_pattern(fields: &[&str]) -> Option<Pattern> {
    let lang = parse_lang(fields.first()?)?;
    let event_type = (*fields.get(1)?).to_string();
    let mut elems = Vec::new();
    let (mut subject, mut speaker) = (false, false);
    for word in fields.get(5)?.split_whitespace() {
        match word {
            "{SUBJ}" => subject = true,
            "{SPEAKER}" => speaker = true,
            "{S}" => elems.push(Elem::Source),
            "{T}" => elems.push(Elem::Target { optional: false }),
            "{T?}" => elems.push(Elem::Target { optional: true }),
            "*" => elems.push(Elem::Gap(GAP)),
            "**" => elems.push(Elem::Gap(LONG_GAP)),
            w => elems.push(Elem::Lit(Lit::parse(w)?)),
        }
    }
    let anchor = elems
        .iter()
        .enumerate()
        .filter_map(|(i, e)| match e {
            Elem::Lit(l) => Some((i, l.key.chars().count() + usize::from(!l.prefix))),
            _ => None,
        })
        .max_by_key(|&(i, len)| (len, std::cmp::Reverse(i)))?
        .0;
    Some(Pattern {
        lang,
        event_type,
        mode: dash(fields.get(2)?),
        context: fields
            .get(3)
            .map(|c| c.split(',').filter_map(|c| dash(c.trim())).collect())
            .unwrap_or_default(),
        cameo: dash(fields.get(4)?),
        elems,
        anchor,
        subject,
        speaker,
    })
}

fn patterns() -> &'static [Pattern] {
    static PATTERNS: OnceLock<Vec<Pattern>> = OnceLock::new();
    PATTERNS.get_or_init(|| rows(DATA).filter_map(|f| parse_pattern(&f)).collect())
}

/// What a match has bound.
#[derive(Debug, Clone, Default)]
struct Bind {
    source: Option<Vec<String>>,
    target: Option<Vec<String>>,
    negated: bool,
    /// Unit range of the whole match.
    start: usize,
    end: usize,
    /// The first unit that matched a word (the verb, for SUBJ).
    first_word: usize,
}

impl Bind {
    fn set(&mut self, is_target: bool, ids: Vec<String>) {
        if is_target {
            self.target = Some(ids);
        } else {
            self.source = Some(ids);
        }
    }
}

struct Matcher<'a, 'u> {
    actors: &'a Actors<'u>,
    lang: Lang,
    lo: usize,
    hi: usize,
}

impl Matcher<'_, '_> {
    fn unit(&self, i: usize) -> Option<&Unit> {
        (self.lo <= i && i < self.hi)
            .then(|| self.actors.units.get(i))
            .flatten()
    }

    /// Matches `elems` from unit `at` onwards; returns the unit after the match. `after_slot` says
    /// the previous element was a slot (see [`Actors::group_forward_after`]).
    fn forward(&self, elems: &[Elem], at: usize, bind: &mut Bind, after_slot: bool) -> Option<usize> {
        let Some((first, rest)) = elems.split_first() else {
            return Some(at);
        };
        match first {
            Elem::Lit(lit) => {
                let negated = lit.matches(self.unit(at)?, self.lang)?;
                bind.negated |= negated;
                bind.first_word = bind.first_word.min(at);
                self.forward(rest, at + 1, bind, false)
            }
            Elem::Gap(max) => (0..=*max).find_map(|k| {
                if at + k > self.hi {
                    return None;
                }
                let mut b = bind.clone();
                let end = self.forward(rest, at + k, &mut b, false)?;
                *bind = b;
                Some(end)
            }),
            Elem::Source | Elem::Target { .. } => {
                let is_target = matches!(first, Elem::Target { .. });
                let (ids, end) = self
                    .actors
                    .group_forward_after(at, self.hi, is_target, after_slot)?;
                let mut b = bind.clone();
                b.set(is_target, ids);
                let done = self.forward(rest, end, &mut b, true)?;
                *bind = b;
                Some(done)
            }
        }
    }

    /// Matches `elems` backwards, ending right before unit `at`; returns the match's first unit.
    fn backward(&self, elems: &[Elem], at: usize, bind: &mut Bind) -> Option<usize> {
        let Some((last, rest)) = elems.split_last() else {
            return Some(at);
        };
        match last {
            Elem::Lit(lit) => {
                let i = at.checked_sub(1)?;
                let negated = lit.matches(self.unit(i)?, self.lang)?;
                bind.negated |= negated;
                bind.first_word = bind.first_word.min(i);
                self.backward(rest, i, bind)
            }
            Elem::Gap(max) => (0..=*max).find_map(|k| {
                let to = at.checked_sub(k).filter(|&t| t >= self.lo)?;
                let mut b = bind.clone();
                let start = self.backward(rest, to, &mut b)?;
                *bind = b;
                Some(start)
            }),
            Elem::Source | Elem::Target { .. } => {
                let is_target = matches!(last, Elem::Target { .. });
                let (ids, start) = self.actors.group_backward(at, self.lo, is_target)?;
                let mut b = bind.clone();
                b.set(is_target, ids);
                let done = self.backward(rest, start, &mut b)?;
                *bind = b;
                Some(done)
            }
        }
    }

    /// Matches a pattern around its anchor word. An optional target is sought first as if it were
    /// required (else the shortest gap before it would always skip it), then left out.
    fn run(&self, p: &Pattern, anchor_unit: usize) -> Option<Bind> {
        let required: Vec<Elem> = p
            .elems
            .iter()
            .map(|e| match e {
                Elem::Target { .. } => Elem::Target { optional: false },
                e => e.clone(),
            })
            .collect();
        self.run_elems(&required, p.anchor, anchor_unit).or_else(|| {
            let mut anchor = p.anchor;
            let mut without = Vec::with_capacity(p.elems.len());
            for (i, e) in p.elems.iter().enumerate() {
                if *e == (Elem::Target { optional: true }) {
                    if i < p.anchor {
                        anchor -= 1;
                    }
                } else {
                    without.push(e.clone());
                }
            }
            self.run_elems(&without, anchor, anchor_unit)
        })
    }

    fn run_elems(&self, elems: &[Elem], anchor_at: usize, anchor_unit: usize) -> Option<Bind> {
        let Elem::Lit(anchor) = elems.get(anchor_at)? else {
            return None;
        };
        let mut bind = Bind {
            negated: anchor.matches(self.unit(anchor_unit)?, self.lang)?,
            first_word: anchor_unit,
            ..Bind::default()
        };
        bind.end = self.forward(elems.get(anchor_at + 1..)?, anchor_unit + 1, &mut bind, false)?;
        bind.start = self.backward(elems.get(..anchor_at)?, anchor_unit, &mut bind)?;
        Some(bind)
    }

    /// The clause subject of a verb at unit `verb` by the language's word order; `not` is the
    /// target the pattern bound, which cannot be the subject.
    fn subject(&self, verb: usize, not: Option<&[String]>) -> Option<(Vec<String>, usize)> {
        let differs = |ids: &Vec<String>| not.is_none_or(|t| ids.iter().all(|i| !t.contains(i)));
        match self.lang {
            Lang::Ar => self
                .actors
                .group_forward(verb + 1, self.hi, false)
                .filter(|(ids, _)| differs(ids))
                .map(|(ids, _)| (ids, verb + 1))
                .or_else(|| {
                    self.actors
                        .group_backward(verb, self.lo, false)
                        .filter(|(ids, _)| differs(ids))
                }),
            Lang::Fa => self
                .actors
                .first_subject(self.lo, self.hi, verb)
                .filter(|(ids, _, _)| differs(ids))
                .map(|(ids, start, _)| (ids, start)),
            _ => self
                .actors
                .group_backward(verb, self.lo, false)
                .filter(|(ids, _)| differs(ids))
                .or_else(|| {
                    self.actors
                        .first_subject(self.lo, self.hi, verb)
                        .filter(|(ids, _, _)| differs(ids))
                        .map(|(ids, start, _)| (ids, start))
                }),
        }
    }
}

/// A match before it becomes an event.
struct Candidate<'p> {
    pattern: &'p Pattern,
    sentence: usize,
    bind: Bind,
    sources: Vec<String>,
    /// Where the matched words are, and the whole evidence with its subject.
    core: Span,
    evidence: Span,
    quote: Option<usize>,
}

/// The PLOVER events of `text`, given its entities, quotes and dates. `outlet` names who publishes
/// the article, for the events no quoted speaker or wire reports.
#[must_use]
pub fn extract(
    text: &str,
    lang: Lang,
    entities: &[Entity],
    quotes: &[Quote],
    dates: &[DateMention],
    outlet: Option<&str>,
) -> Vec<Event> {
    extract_from(&Prepared::new(text, lang), entities, quotes, dates, outlet)
}

/// [`extract`] over a text already read (shared with [`crate::incidents`]).
pub(crate) fn extract_from(
    doc: &Prepared<'_>,
    entities: &[Entity],
    quotes: &[Quote],
    dates: &[DateMention],
    outlet: Option<&str>,
) -> Vec<Event> {
    let (text, lang, units, sentence_spans) = (doc.text, doc.lang, &doc.units, &doc.sentences);
    let actors = Actors::new(text, units, lang, entities, quotes);
    let unit_at = |offset: usize| doc.unit_at(offset);
    let mut candidates: Vec<Candidate<'_>> = Vec::new();
    for p in patterns().iter().filter(|p| p.lang == lang) {
        let Some(Elem::Lit(anchor)) = p.elems.get(p.anchor) else {
            continue;
        };
        for i in units.anchors(anchor) {
            let Some(u) = units.get(i) else {
                continue;
            };
            let Some(sentence) = sentence_spans.iter().position(|s| s.contains(&u.span)) else {
                continue;
            };
            let Some(span) = sentence_spans.get(sentence) else {
                continue;
            };
            let m = Matcher {
                actors: &actors,
                lang,
                lo: unit_at(span.start),
                hi: unit_at(span.end),
            };
            let Some(bind) = m.run(p, i) else {
                continue;
            };
            // The words stand in a quote when their first word does: its speaker reports them, and
            // the subject is sought inside it.
            let first = units.get(bind.first_word).map_or(u.span, |f| f.span);
            let quote = quotes.iter().position(|q| q.span.contains(&first));
            let mut sources = bind.source.clone().unwrap_or_default();
            let mut subject_at = None;
            if sources.is_empty() && p.speaker {
                let speaker = quote
                    .and_then(|q| quotes.get(q))
                    .and_then(|q| q.speaker.as_deref());
                if let Some(e) = speaker.and_then(|s| entities.iter().find(|e| e.id == s)) {
                    sources.push(actor_id(e));
                }
            } else if sources.is_empty() && p.subject {
                let clause = quote.and_then(|q| quotes.get(q)).map(|q| Matcher {
                    actors: &actors,
                    lang,
                    lo: unit_at(q.span.start),
                    hi: unit_at(q.span.end),
                });
                if let Some((ids, at)) = clause
                    .as_ref()
                    .unwrap_or(&m)
                    .subject(bind.first_word, bind.target.as_deref())
                {
                    sources = ids;
                    subject_at = Some(at);
                }
            }
            let core = span_of(units, bind.start, bind.end);
            let evidence = subject_at.map_or(core, |at| {
                span_of(units, at.min(bind.start), bind.end.max(at + 1))
            });
            candidates.push(Candidate {
                pattern: p,
                sentence,
                bind,
                sources,
                core,
                evidence,
                quote,
            });
        }
    }
    candidates.sort_by_key(|c| (c.core.start, std::cmp::Reverse(c.core.end)));
    let cyber = cues(lang, "attack");
    let mut out: Vec<(Span, Event)> = Vec::new();
    // The subject of the latest event per sentence, for Arabic pro-drop ("وقطعت ألبانيا … وحمّل").
    let mut last_subject: Option<(usize, Vec<String>)> = None;
    for c in &candidates {
        let p = c.pattern;
        let mut sources = c.sources.clone();
        if sources.is_empty()
            && p.subject
            && lang == Lang::Ar
            && c.quote.is_none()
            && let Some((s, ids)) = &last_subject
            && *s == c.sentence
        {
            sources.clone_from(ids);
        }
        let mut targets = c.bind.target.clone().unwrap_or_default();
        targets.retain(|t| !sources.contains(t));
        let needs_target = p.elems.contains(&Elem::Target { optional: false });
        let needs_source = p.subject || p.speaker || p.elems.contains(&Elem::Source);
        if (needs_target && targets.is_empty())
            || (needs_source && sources.is_empty())
            || (sources.is_empty() && targets.is_empty())
        {
            continue;
        }
        if !sources.is_empty() && c.quote.is_none() {
            last_subject = Some((c.sentence, sources.clone()));
        }
        let sentence = sentence_spans.get(c.sentence).copied().unwrap_or(c.core);
        let negated = c.bind.negated
            || c.bind
                .first_word
                .checked_sub(1)
                .is_some_and(|prev| actors.role(prev) == Role::Negation);
        let mut context = p.context.clone();
        let sentence_units = unit_at(sentence.start)..unit_at(sentence.end);
        if !context.iter().any(|c| c == "cyber")
            && cyber
                .iter()
                .any(|cue| cue.find_in(units, lang, sentence_units.clone()).is_some())
        {
            context.push("cyber".to_string());
        }
        let reported_by = c
            .quote
            .and_then(|q| quotes.get(q))
            .and_then(|q| q.speaker.clone())
            .or_else(|| wire_in(entities, sentence))
            .or_else(|| outlet.map(str::to_string));
        let date = dates
            .iter()
            .filter(|d| d.role != DateRole::Page && sentence.contains(&d.span))
            .find_map(|d| d.value.clone());
        let event = Event {
            event_type: p.event_type.clone(),
            mode: p.mode.clone(),
            sources,
            targets,
            context,
            date,
            negated,
            reported_by,
            cameo: p.cameo.clone(),
            evidence: c.evidence,
        };
        if !out.iter().any(|(_, e)| *e == event) {
            out.push((c.core, event));
        }
    }
    // A match inside a longer one is part of it ("يدعمون ألبانيا" inside "يدعمون ألبانيا في تعزيز
    // قدراتها"); of two over the same words, the first pattern in the file wins. Two matches of one
    // event that overlap ("وصفت مبررات ألبانيا بأنها ادعاءات" and "ادعاءات لا أساس لها") are one: the
    // one that names more targets stays.
    let subsumed = |i: usize, (core, e): &(Span, Event)| {
        out.iter().enumerate().any(|(j, (o, other))| {
            let earlier = j < i;
            j != i
                && ((o.contains(core) && (o.len() > core.len() || earlier))
                    || (o.overlaps(core)
                        && (&other.event_type, &other.mode, &other.sources)
                            == (&e.event_type, &e.mode, &e.sources)
                        && e.targets.iter().all(|t| other.targets.contains(t))
                        && (other.targets.len() > e.targets.len() || earlier)))
        })
    };
    let keep: Vec<bool> = out.iter().enumerate().map(|(i, c)| !subsumed(i, c)).collect();
    let mut events: Vec<Event> = out
        .into_iter()
        .zip(keep)
        .filter_map(|((_, e), keep)| keep.then_some(e))
        .collect();
    events.sort_by_key(|e| (e.evidence.start, e.evidence.end));
    events
}

/// The text span of units `from..to`.
fn span_of(units: &[Unit], from: usize, to: usize) -> Span {
    let start = units.get(from).map_or(0, |u| u.span.start);
    let end = to
        .checked_sub(1)
        .and_then(|t| units.get(t))
        .map_or(start, |u| u.span.end);
    Span::new(start, end)
}

/// A news agency named in the sentence ("وأفادت وكالة مهر", "به گزارش ایرنا"): the wire that reports.
fn wire_in(entities: &[Entity], sentence: Span) -> Option<String> {
    entities
        .iter()
        .filter(|e| e.kind == EntityKind::NewsOutlet)
        .find(|e| e.mentions.iter().any(|m| sentence.contains(&m.span)))
        .map(|e| e.id.clone())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_pattern_line_parses_with_an_anchor() {
        let lines = rows(DATA).count();
        assert_eq!(patterns().len(), lines, "a line of events.tsv did not parse");
        for p in patterns() {
            assert!(matches!(p.elems.get(p.anchor), Some(Elem::Lit(_))));
            assert!(
                p.elems
                    .iter()
                    .any(|e| matches!(e, Elem::Source | Elem::Target { .. }))
                    || p.subject
                    || p.speaker,
                "{:?} names no actor",
                p.elems
            );
        }
    }

    #[test]
    fn anchor_is_the_longest_word() {
        let p = parse_pattern(&[
            "fa",
            "ACCUSE",
            "allege",
            "-",
            "112",
            "{SUBJ} {T} را متهم کرد*",
            "",
        ])
        .unwrap();
        assert_eq!(
            p.elems.get(p.anchor),
            Some(&Elem::Lit(Lit::parse("متهم").unwrap()))
        );
        assert!(p.subject);
    }
}
