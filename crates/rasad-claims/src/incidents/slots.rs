//! What the incident patterns read their slots from: the article's actors over its words (outlets
//! included), the cue words of `data/claims/incidents.tsv` marked on the words, and names found by
//! their shape where the catalog knows none: an organisation's head noun and the name after it
//! ("شركة كاسيا", "صرافی نوبیتکس"), capitalised words ("Kaseya", "Coop"), a quoted name («Holy
//! Souls»), or the name after a naming word ("a group calling itself …", "تطلق على نفسها اسم …").

use std::collections::HashMap;

use rasad_model::{Entity, EntityKind, Lang, Mention, Quote, Span};
use rasad_normalize::search_key;

use super::patterns::{Found, Role, Slot};
use super::{Cue, cues};
use crate::actors::{ActorMention, ActorOptions, Actors};
use crate::words::{Prepared, Unit};

/// How many words a victim's phrase may hold before its name ("the state-owned Bank Sepah",
/// "أنظمة الكمبيوتر الخاصة ببنك").
const VICTIM_WINDOW: usize = 8;
/// How many words neither names nor known heads a victim's phrase may hold before its name.
const VICTIM_UNKNOWN: usize = 3;
/// How far past a victim's name a list of victims may go on ("، و", "and the").
const LIST_STEP: usize = 3;
/// The longest name found by its shape, in words.
const MAX_NAME: usize = 5;
/// How far into a group noun phrase its name may stand ("مجموعة الهاكرز المؤيدة لإسرائيل المسماة
/// …").
const GROUP_PHRASE: usize = 8;
/// How many words a slot may open with before its first name (fillers, head nouns).
const MAX_FILLERS_BEFORE: usize = 3;

/// Cue words marked on the units.
#[derive(Debug, Clone, Copy, Default)]
pub(crate) struct Marks {
    pub head: bool,
    /// An organisation's head noun; `strip` when it is not part of the name's id.
    pub org: Option<bool>,
    pub naming: bool,
    pub stop: bool,
    pub hedge: bool,
    pub agent: bool,
    pub complementizer: bool,
    pub organ: bool,
    /// A definite group noun that refers back to a group named before ("المجموعة", "the group").
    pub anaphor: bool,
    /// A speech verb whose subject is a pronoun ("وأضاف", "he added", "وی افزود").
    pub continuation: bool,
    /// Words for speakers the text does not name ("sources", "experts", "وسائل إعلام", "منابع").
    pub unnamed: bool,
    /// A definite noun for the organisation named before as a speaker ("الشركتان", "the company").
    pub speaker_anaphor: bool,
    /// A definite noun that refers back to the organisation named before ("the company",
    /// "الشركة", "این بانک").
    pub victim_anaphor: bool,
    /// The word stands in a line written in title case ("Iranian Hackers Downed Adelson's Casino"),
    /// whose capitals say nothing of names.
    pub title_case: bool,
}

/// A name in a victim's phrase: its units `[start, end)`, its id, and whether it is a weak name
/// (a state's adjective, or an owner's possessive).
type Named = (usize, usize, String, bool);

/// A name found by its shape.
#[derive(Debug, Clone)]
pub(crate) struct Shaped {
    /// Units `[start, end)` of the name (head noun included when it is part of it).
    pub start: usize,
    pub end: usize,
    /// Units of the name's id (the head noun left out when it is generic).
    pub id_start: usize,
    /// An English possessive ("Adelson's casino"): the owner, not what was hit.
    pub possessive: bool,
}

/// A slot as read: actor ids, and the units it covers.
#[derive(Debug, Clone)]
pub(crate) struct Filled {
    pub ids: Vec<String>,
    pub start: usize,
    pub end: usize,
}

/// The incident layer's view of an article.
pub(crate) struct Reader<'d> {
    pub doc: &'d Prepared<'d>,
    pub actors: Actors<'d>,
    pub marks: Vec<Marks>,
    /// Entity kind and state of every id the text names, discovered ones included.
    pub known: HashMap<String, (EntityKind, Option<String>)>,
    /// Entities found by their shape: by the naming pass, and by the slot readers as they go.
    pub discovered: Vec<Entity>,
    /// How often each word's key occurs in the text.
    counts: HashMap<String, usize>,
    /// Ids of the entities the entity stage found by their shape.
    shaped_before: Vec<String>,
}

fn mark_all(doc: &Prepared<'_>, kind: &str, mut set: impl FnMut(&mut Marks, &Cue), marks: &mut [Marks]) {
    for cue in cues(doc.lang, kind) {
        for (start, end) in cue.find_all(&doc.units, doc.lang, 0..doc.units.len()) {
            for m in marks.get_mut(start..end).into_iter().flatten() {
                set(m, cue);
            }
        }
    }
}

/// The text between two units (what punctuation separates them).
fn gap<'t>(doc: &Prepared<'t>, left: usize, right: usize) -> &'t str {
    let (Some(a), Some(b)) = (doc.units.get(left), doc.units.get(right)) else {
        return "";
    };
    doc.text.get(a.span.end..b.span.start).unwrap_or("")
}

/// Whether punctuation that ends a phrase (not a quotation mark) stands between two units.
fn hard_break(doc: &Prepared<'_>, left: usize, right: usize) -> bool {
    gap(doc, left, right).contains(['.', ',', '،', ':', ';', '؛', '(', ')', '\n', '!', '?', '؟'])
}

/// Whether punctuation that ends a name stands between two units.
fn broken(doc: &Prepared<'_>, left: usize, right: usize) -> bool {
    let g = gap(doc, left, right);
    g.contains([
        '.', ',', '،', ':', ';', '؛', '(', ')', '\n', '!', '?', '؟', '«', '»', '"', '“', '”',
    ])
}

fn latin_capital(doc: &Prepared<'_>, u: &Unit) -> bool {
    doc.text
        .get(u.span.start..u.span.end)
        .and_then(|s| s.chars().next())
        .is_some_and(|c| c.is_ascii_uppercase() || c == '#')
}

fn latin(doc: &Prepared<'_>, u: &Unit) -> bool {
    doc.text
        .get(u.span.start..u.span.end)
        .and_then(|s| s.chars().next())
        .is_some_and(|c| c.is_ascii_alphanumeric() || c == '#')
}

fn is_quote(c: char) -> bool {
    matches!(c, '"' | '“' | '”' | '«' | '»' | '‘' | '’' | '„')
}

/// Whether the text before a word ends with an opening quotation mark: « or “, or a straight
/// quote right against the word (a closing one is followed by a space).
fn opens(before: &str) -> bool {
    match before.chars().last() {
        Some('«' | '“' | '„' | '‘') => true,
        Some('"') => before.chars().rev().nth(1).is_none_or(char::is_whitespace),
        _ => false,
    }
}

/// Whether the text after a word begins with a closing quotation mark.
fn closes(after: &str) -> bool {
    matches!(after.chars().next(), Some('»' | '”' | '"' | '’'))
}

impl<'d> Reader<'d> {
    pub fn new(doc: &'d Prepared<'d>, entities: &[Entity], quotes: &[Quote]) -> Self {
        let n = doc.units.len();
        let mut counts: HashMap<String, usize> = HashMap::new();
        for u in &doc.units {
            *counts.entry(u.key.clone()).or_default() += 1;
        }
        let mut marks = vec![Marks::default(); n];
        mark_all(doc, "head", |m, _| m.head = true, &mut marks);
        mark_all(
            doc,
            "org",
            |m, c| m.org = Some(c.value.as_deref() == Some("strip")),
            &mut marks,
        );
        mark_all(doc, "naming", |m, _| m.naming = true, &mut marks);
        mark_all(doc, "stop", |m, _| m.stop = true, &mut marks);
        mark_all(doc, "hedge", |m, _| m.hedge = true, &mut marks);
        mark_all(doc, "agent", |m, _| m.agent = true, &mut marks);
        mark_all(doc, "complementizer", |m, _| m.complementizer = true, &mut marks);
        mark_all(doc, "organ", |m, _| m.organ = true, &mut marks);
        mark_all(doc, "anaphor", |m, _| m.anaphor = true, &mut marks);
        mark_all(doc, "continuation", |m, _| m.continuation = true, &mut marks);
        mark_all(doc, "victim_anaphor", |m, _| m.victim_anaphor = true, &mut marks);
        mark_all(doc, "unnamed", |m, _| m.unnamed = true, &mut marks);
        mark_all(
            doc,
            "speaker_anaphor",
            |m, _| m.speaker_anaphor = true,
            &mut marks,
        );
        for span in &doc.sentences {
            let (lo, hi) = (doc.unit_at(span.start), doc.unit_at(span.end));
            let latin_words: Vec<&Unit> = doc
                .units
                .get(lo..hi)
                .unwrap_or_default()
                .iter()
                .filter(|u| latin(doc, u) && u.key.chars().any(char::is_alphabetic))
                .collect();
            let capitals = latin_words.iter().filter(|u| latin_capital(doc, u)).count();
            if latin_words.len() >= 5 && capitals * 10 >= latin_words.len() * 6 {
                for m in marks.get_mut(lo..hi).into_iter().flatten() {
                    m.title_case = true;
                }
            }
        }
        let mut known: HashMap<String, (EntityKind, Option<String>)> = entities
            .iter()
            .map(|e| (e.id.clone(), (e.kind, e.country.clone())))
            .collect();
        // Units under a catalogued mention.
        let mut covered = vec![false; n];
        for e in entities {
            for m in &e.mentions {
                let first = doc.units.partition_point(|u| u.span.end <= m.span.start);
                for (c, u) in covered.iter_mut().zip(&doc.units).skip(first) {
                    if u.span.start >= m.span.end {
                        break;
                    }
                    *c = true;
                }
            }
        }
        // Names after naming words, before the actors are laid out, so that slots see them.
        let mut discovered: Vec<Entity> = Vec::new();
        let mut extra: Vec<ActorMention> = Vec::new();
        let mut i = 0;
        while i < n {
            let naming_end =
                marks.get(i).is_some_and(|m| m.naming) && !marks.get(i + 1).is_some_and(|m| m.naming);
            let is_mention = |k: usize| covered.get(k).copied().unwrap_or(false);
            if naming_end
                && !covered.get(i + 1).copied().unwrap_or(true)
                && let Some(shaped) = shaped_name(doc, &marks, i + 1, n, true, &is_mention, &|_| true)
                && let Some(entity) = make_entity(doc, &shaped, EntityKind::ThreatActor, None)
            {
                extra.push(ActorMention {
                    id: entity.id.clone(),
                    span: entity.mentions.first().map_or(Span::new(0, 0), |m| m.span),
                    adjective: false,
                    joined: false,
                    governed: false,
                });
                known.insert(entity.id.clone(), (entity.kind, None));
                add_entity(&mut discovered, entity);
                i = shaped.end;
                continue;
            }
            i += 1;
        }
        let skip = marks
            .iter()
            .map(|m| m.head || m.org.is_some() || m.organ || m.agent || m.naming)
            .collect();
        let actors = Actors::with(
            doc.text,
            &doc.units,
            doc.lang,
            entities,
            quotes,
            ActorOptions {
                outlets: true,
                extra,
                skip,
                adjectives_join: true,
                heads: marks.iter().map(|m| m.organ).collect(),
            },
        );
        Self {
            doc,
            actors,
            marks,
            known,
            discovered,
            counts,
            shaped_before: entities
                .iter()
                .filter(|e| e.discovered)
                .map(|e| e.id.clone())
                .collect(),
        }
    }

    fn mark(&self, i: usize) -> Marks {
        self.marks.get(i).copied().unwrap_or_default()
    }

    /// The kind of an id the text names.
    pub fn kind(&self, id: &str) -> Option<EntityKind> {
        if id.starts_with("country:") {
            return Some(EntityKind::Country);
        }
        self.known.get(id).map(|(k, _)| *k)
    }

    /// The state of an id: a country itself, else the `country` of what it names.
    pub fn state(&self, id: &str) -> Option<String> {
        if id.starts_with("country:") {
            return Some(id.to_string());
        }
        self.known
            .get(id)
            .and_then(|(_, c)| c.as_ref())
            .map(|c| format!("country:{c}"))
    }

    /// Actors from unit `from` on (fillers first), within `..hi`. An adjective alone is an actor
    /// only as the accused ("Israeli hackers"); as anyone else it needs a filler beside it ("US
    /// officials", "الحكومة الأمريكية"), since "Israeli media" is not Israel speaking.
    pub fn actors_forward(&self, from: usize, hi: usize, adjectives_alone: bool) -> Option<Filled> {
        let (ids, end) = self.actors.group_forward(from, hi, true)?;
        let filled = Filled {
            ids,
            start: from,
            end,
        };
        self.allow(filled, adjectives_alone)
    }

    /// Actors ending right before unit `to`, within `lo..`.
    pub fn actors_backward(&self, to: usize, lo: usize, adjectives_alone: bool) -> Option<Filled> {
        let (ids, start) = self.actors.group_backward(to, lo, true)?;
        let filled = Filled { ids, start, end: to };
        self.allow(filled, adjectives_alone)
    }

    fn allow(&self, filled: Filled, adjectives_alone: bool) -> Option<Filled> {
        if adjectives_alone {
            return Some(filled);
        }
        let only_adjectives = (filled.start..filled.end)
            .filter_map(|i| self.actors.mention(i))
            .all(|m| m.adjective);
        let with_filler = (filled.start.saturating_sub(1)..=filled.end)
            .any(|i| self.actors.is_filler(i) || self.mark(i).organ);
        (!only_adjectives || with_filler).then_some(filled)
    }

    /// The victims in the phrase that begins at unit `from`: the names in it (an organisation
    /// before the state it belongs to: "Iran's Natanz facility" is Natanz), coordinated names
    /// included; else a name found by its shape; else the states its adjectives name ("the
    /// Ukrainian power grid" is Ukraine).
    pub fn victims_forward(&mut self, from: usize, hi: usize) -> Option<Filled> {
        // The phrase begins right after the words that govern it, not after a comma or stop.
        if from > 0 && hard_break(self.doc, from - 1, from) {
            return None;
        }
        let mut named: Vec<Named> = Vec::new();
        let mut unknown = 0;
        let mut seen_head = false;
        let mut i = from;
        // The window reaches the first name; a list goes on a few words past each name.
        let mut limit = hi.min(from + VICTIM_WINDOW);
        loop {
            if let Some(last) = named.last() {
                limit = limit.max(hi.min(last.1 + LIST_STEP));
            }
            if i >= limit {
                break;
            }
            if i > from && hard_break(self.doc, i - 1, i) && named.is_empty() {
                break;
            }
            if i > from && !named.is_empty() && hard_break(self.doc, i - 1, i) {
                // A list goes on after a comma ("Target, Neiman Marcus, and Home Depot") and past
                // the quotation marks of quoted names (بنك "أوف أمريكا" و"سيتي غروب"); other
                // punctuation ends the phrase.
                let g = gap(self.doc, i - 1, i);
                if !g
                    .chars()
                    .all(|c| c.is_whitespace() || c == ',' || c == '،' || is_quote(c))
                {
                    break;
                }
            }
            if let Some(m) = self.actors.mention(i) {
                let (id, adjective) = (m.id.clone(), m.adjective);
                // "Iran's Natanz facility, The Times of Israel reported": an outlet or a person
                // after a comma is the next clause's, not one more victim.
                let after_comma =
                    i > from && !named.is_empty() && gap(self.doc, i - 1, i).contains([',', '،']);
                if after_comma && matches!(self.kind(&id), Some(EntityKind::NewsOutlet | EntityKind::Person))
                {
                    break;
                }
                let start = i;
                while i < hi && self.actors.mention(i).is_some_and(|x| x.id == id) {
                    i += 1;
                }
                // A state's name before an organisation's head word is part of the organisation's
                // name ("Bangladesh Bank", "البنك المركزي في بنغلادش" is read from its head).
                let country = self.kind(&id) == Some(EntityKind::Country);
                // "Iran's Bank Sepah" is Bank Sepah of Iran, not an "Iran Bank".
                let possessive = self
                    .unit(i.saturating_sub(1))
                    .and_then(|u| self.doc.text.get(u.span.start..u.span.end))
                    .is_some_and(|w| w.ends_with("'s") || w.ends_with("’s"));
                if country
                    && !possessive
                    && self.mark(i).org.is_some()
                    && self.unit(i).is_some_and(|u| latin_capital(self.doc, u))
                {
                    let end = i + 1;
                    let shaped = Shaped {
                        start,
                        end,
                        id_start: start,
                        possessive: false,
                    };
                    if let Some(org) = self.register(&shaped, EntityKind::Organization, &[]) {
                        named.push((start, end, org, false));
                    }
                    i = end;
                    continue;
                }
                if self.victim_kind(&id) && (!adjective || self.adjective_of_victim(from, start, i, hi)) {
                    named.push((start, i, id, adjective));
                }
                continue;
            }
            let mark = self.mark(i);
            // "shut down the company", "تعرضت له الصحيفة الفرنسية": the organisation named last
            // before.
            if named.is_empty() && mark.victim_anaphor {
                let mut end = i;
                while end < hi && self.mark(end).victim_anaphor {
                    end += 1;
                }
                if let Some(f) = self.victim_anaphor(end - 1) {
                    return Some(f);
                }
            }
            // A definite head noun with the state it belongs to is an institution of that state
            // ("البنك المركزي في بنغلادش", "بانک مرکزی بنگلادش").
            if mark.org.is_some()
                && named.is_empty()
                && let Some(shaped) = self.institution(i, hi)
            {
                if let Some(id) = self.register(&shaped, EntityKind::Organization, &[]) {
                    named.push((shaped.start, shaped.end, id, false));
                }
                i = shaped.end;
                continue;
            }
            // A head noun right before a name is the name's head ("منشأة نطنز", "شركة سوني").
            if mark.org.is_some() && self.actors.mention(i + 1).is_some() {
                i += 1;
                continue;
            }
            let capital = self.unit(i).is_some_and(|u| latin_capital(self.doc, u)) && !mark.title_case;
            if mark.org.is_some() || capital || self.quote_before(i) {
                let is_mention = |k: usize| self.actors.mention(k).is_some();
                // A name in a list, or one coordinated with another capitalised name ("as were
                // Snapchat and Dropbox").
                let coordinated = capital
                    && self.joins(i + 1)
                    && self.unit(i + 2).is_some_and(|u| latin_capital(self.doc, u));
                let listed = !named.is_empty() || coordinated;
                let recurs = |k: &str| listed || self.recurs(k);
                if let Some(shaped) = shaped_name(self.doc, &self.marks, i, hi, false, &is_mention, &recurs) {
                    // An owner is a victim only of its own systems ("Sony's network"), and only when
                    // the phrase names nothing after it.
                    let owner_of_systems = !shaped.possessive || self.mark(shaped.end).head;
                    // "شرکت تدارکات آمریکایی فدکس": words between a head noun and a name the
                    // catalog knows describe it.
                    let describes_known = mark.org.is_some() && self.known_name_after(shaped.end, hi);
                    if owner_of_systems
                        && !describes_known
                        && let Some(id) = self.register(&shaped, EntityKind::Organization, &named)
                    {
                        named.push((shaped.start, shaped.end, id, shaped.possessive));
                    }
                    i = shaped.end.max(i + 1);
                    continue;
                }
            }
            if mark.head || self.actors.is_filler(i) || self.joins(i) || mark.org.is_some() {
                seen_head |= mark.head || mark.org.is_some();
                i += 1;
                continue;
            }
            // "a petrochemical facility in Saudi Arabia": the state a head noun stands in.
            let located = matches!(self.unit(i).map(|u| u.key.as_str()), Some("in" | "في" | "در"))
                && seen_head
                && named.is_empty()
                && self
                    .actors
                    .mention(i + 1)
                    .is_some_and(|m| !m.adjective && self.kind(&m.id) == Some(EntityKind::Country));
            if located {
                i += 1;
                continue;
            }
            // A word the phrase does not know: past a head noun ("شبكة الكهرباء الأوكرانية",
            // "the power grid"), a few; in English before a capitalised name, a few descriptive
            // words ("billionaire casino magnate Sheldon Adelson's Las Vegas Sands"); else the
            // phrase is not a victim's.
            let only_states = named.iter().all(|n| self.kind(&n.2) == Some(EntityKind::Country));
            let described =
                self.doc.lang == Lang::En && only_states && self.capital_within(i, hi, VICTIM_UNKNOWN);
            if mark.stop || !(seen_head || described) {
                break;
            }
            unknown += 1;
            if unknown > VICTIM_UNKNOWN || (!named.is_empty() && unknown > 1) {
                break;
            }
            i += 1;
        }
        self.pick_victims(named)
    }

    /// Whether a state's adjective in a victim's phrase names the victim's state ("the Ukrainian
    /// power grid", "شبكة الكهرباء الأوكرانية") rather than the attacker's ("القرصنة الإيرانية",
    /// "Iranian hackers"): in Arabic and Persian it follows a head noun of the phrase, in English it
    /// stands before one.
    fn adjective_of_victim(&self, from: usize, start: usize, end: usize, hi: usize) -> bool {
        if self.doc.lang == Lang::En {
            end < hi && self.actors.mention(end).is_none() && !self.mark(end).stop && !self.mark(end).agent
        } else {
            start > from && !start.checked_sub(1).is_some_and(|p| self.mark(p).agent)
        }
    }

    /// The victims in the phrase that ends right before unit `to` ("Bank Sepah was hit", "نوبیتکس
    /// هک شد").
    pub fn victims_backward(&mut self, to: usize, lo: usize) -> Option<Filled> {
        let mut named: Vec<Named> = Vec::new();
        let mut i = to;
        let limit = lo.max(to.saturating_sub(VICTIM_WINDOW));
        while i > limit {
            let prev = i - 1;
            // "According to … Sophos, the attack …": punctuation before the first name ends the
            // phrase.
            if i < to && named.is_empty() && hard_break(self.doc, prev, i) {
                break;
            }
            if let Some(m) = self.actors.mention(prev) {
                let (id, adjective) = (m.id.clone(), m.adjective);
                let end = i;
                while i > lo && self.actors.mention(i - 1).is_some_and(|x| x.id == id) {
                    i -= 1;
                }
                // "an Israeli cyberattack": the adjective before the attack names the attacker.
                let attacker = adjective && self.mark(end).agent;
                // "North Korea for WannaCry cyber attack": a malware, actor or person right before
                // the words names the attack or its author; the phrase ends there.
                if !self.victim_kind(&id) {
                    break;
                }
                if !attacker {
                    named.push((i, end, id, adjective));
                }
                continue;
            }
            let mark = self.mark(prev);
            let capital = latin_capital(self.doc, self.unit(prev)?) && !mark.title_case;
            if capital || mark.org.is_some() {
                // Walk back to the start of a capitalised run or a head noun.
                let mut start = prev;
                while start > lo
                    && self.unit(start - 1).is_some_and(|u| latin_capital(self.doc, u))
                    && self.actors.mention(start - 1).is_none()
                    && !broken(self.doc, start - 1, start)
                    && prev + 1 - start < MAX_NAME
                {
                    start -= 1;
                }
                let is_mention = |k: usize| self.actors.mention(k).is_some();
                // One capitalised word in a list of names is a name too ("Target, Neiman Marcus, and
                // Home Depot").
                let listed = !named.is_empty();
                let shaped = shaped_name(self.doc, &self.marks, start, i, false, &is_mention, &|k| {
                    listed || self.recurs(k)
                });
                if let Some(shaped) = shaped
                    && let Some(id) = self.register(&shaped, EntityKind::Organization, &named)
                {
                    named.push((shaped.start, shaped.end, id, false));
                    i = start;
                    continue;
                }
            }
            if mark.head || mark.org.is_some() || self.actors.is_filler(prev) || self.joins(prev) {
                i -= 1;
                continue;
            }
            // "شرکت راسگاز در قطر را آلوده کرد": the state is where the organisation before it
            // stands; read on to the organisation.
            let locative = matches!(self.unit(prev).map(|u| u.key.as_str()), Some("در" | "في" | "in"));
            if locative
                && !named.is_empty()
                && named.iter().all(|n| self.kind(&n.2) == Some(EntityKind::Country))
            {
                for n in &mut named {
                    n.3 = true;
                }
                i -= 1;
                continue;
            }
            // "the company was hit": the company named last before.
            if named.is_empty()
                && let Some(f) = self.victim_anaphor(prev)
            {
                return Some(f);
            }
            // A word the phrase does not know ends it: the name stands right before the verb.
            break;
        }
        named.reverse();
        self.pick_victims(named)
    }

    /// "the company", "الشركة", "این بانک" at unit `at` (the last word of the phrase): the
    /// organisation named last before it, not a security vendor or an outlet.
    fn victim_anaphor(&self, at: usize) -> Option<Filled> {
        if !self.mark(at).victim_anaphor {
            return None;
        }
        let mut start = at;
        while start > 0 && self.mark(start - 1).victim_anaphor {
            start -= 1;
        }
        let id = (0..start)
            .rev()
            .filter_map(|i| self.actors.mention(i))
            .find(|m| {
                !m.adjective
                    && matches!(
                        self.kind(&m.id),
                        Some(EntityKind::Company | EntityKind::Organization)
                    )
                    && !m.id.starts_with("vendor:")
            })?
            .id
            .clone();
        Some(Filled {
            ids: vec![id],
            start,
            end: at + 1,
        })
    }

    /// A claimer: an actor, else the group a group noun phrase names ("مجموعة الهاكرز المؤيدة
    /// لإسرائيل المسماة Predatory Sparrow"), else the group named before that "the group" refers
    /// back to, else a name found by its shape.
    pub fn claimer_forward(&mut self, from: usize, hi: usize) -> Option<Filled> {
        if let Some(f) = self.actors_forward(from, hi, false) {
            return Some(f);
        }
        if let Some(f) = self.group_phrase(from, hi).or_else(|| self.anaphor_at(from)) {
            return Some(f);
        }
        let mut i = from;
        let limit = hi.min(from + 4);
        while i < limit {
            let capital =
                self.unit(i).is_some_and(|u| latin_capital(self.doc, u)) && !self.mark(i).title_case;
            if capital || self.quote_before(i) {
                let is_mention = |k: usize| self.actors.mention(k).is_some();
                let shaped = shaped_name(self.doc, &self.marks, i, hi, true, &is_mention, &|k| {
                    self.recurs(k)
                })?;
                let id = self.register(&shaped, EntityKind::ThreatActor, &[])?;
                return Some(Filled {
                    ids: vec![id],
                    start: from,
                    end: shaped.end,
                });
            }
            if !(self.mark(i).head || self.actors.is_filler(i) || self.mark(i).org.is_some()) {
                return None;
            }
            i += 1;
        }
        None
    }

    /// The threat actor a group noun phrase from unit `from` names: it opens with a word for
    /// attackers ("مجموعة", "group", "گروه") and names the actor within a few words, past its
    /// modifiers ("المؤيدة لإسرائيل المسماة …").
    fn group_phrase(&self, from: usize, hi: usize) -> Option<Filled> {
        if !self.mark(from).agent {
            return None;
        }
        let limit = hi.min(from + GROUP_PHRASE);
        for i in from + 1..limit {
            if hard_break(self.doc, i - 1, i) || self.mark(i).stop || self.mark(i).complementizer {
                return None;
            }
            if let Some(m) = self.actors.mention(i)
                && self.is_group(&m.id)
            {
                let id = m.id.clone();
                let mut end = i;
                while end < hi && self.actors.mention(end).is_some_and(|x| x.id == id) {
                    end += 1;
                }
                return Some(Filled {
                    ids: vec![id],
                    start: from,
                    end,
                });
            }
        }
        None
    }

    /// Whether a state is named in units `start..end` only as an adjective or in a compound
    /// ("Israeli", "Israel-linked", "pro-Israel"): the backer of a group, not an actor itself.
    pub fn backer_in(&self, id: &str, start: usize, end: usize) -> bool {
        let mentions: Vec<&crate::actors::ActorMention> = self
            .actors
            .mentions
            .iter()
            .filter(|m| m.id == id)
            .filter(|m| {
                let (a, b) = (self.unit(start), end.checked_sub(1).and_then(|e| self.unit(e)));
                a.zip(b)
                    .is_some_and(|(a, b)| a.span.start <= m.span.start && m.span.end <= b.span.end)
            })
            .collect();
        !mentions.is_empty()
            && mentions.iter().all(|m| {
                let after = self.doc.text.get(m.span.end..).and_then(|t| t.chars().next());
                let before = self
                    .doc
                    .text
                    .get(..m.span.start)
                    .and_then(|t| t.chars().next_back());
                m.adjective || after == Some('-') || before == Some('-')
            })
    }

    fn is_group(&self, id: &str) -> bool {
        self.kind(id) == Some(EntityKind::ThreatActor) || id.starts_with("group:")
    }

    /// "المجموعة", "this group", "این گروه" at unit `at`: the threat actor named last before it.
    fn anaphor_at(&self, at: usize) -> Option<Filled> {
        if !self.mark(at).anaphor {
            return None;
        }
        let mut start = at;
        while start > 0 && self.mark(start - 1).anaphor {
            start -= 1;
        }
        let mut end = at + 1;
        while self.mark(end).anaphor {
            end += 1;
        }
        let id = (0..start)
            .rev()
            .filter_map(|i| self.actors.mention(i))
            .find(|m| !m.adjective && self.is_group(&m.id))?
            .id
            .clone();
        Some(Filled {
            ids: vec![id],
            start,
            end,
        })
    }

    /// Whether the slot beginning at unit `start` stands under a preposition ("to Israel", "با
    /// بی بی سی", "لجريدة").
    pub fn governed(&self, start: usize) -> bool {
        let preposition = |i: usize| self.actors.role(i) == crate::actors::Role::Preposition;
        // A slot may open with the filler words of titles, "to" and "for" among them.
        preposition(start)
            || start.checked_sub(1).is_some_and(preposition)
            || (start..start + MAX_FILLERS_BEFORE)
                .find_map(|i| self.actors.mention(i))
                .is_some_and(|m| m.governed)
            // "لجريدة …": a filler word with the preposition on it.
            || self.unit(start).is_some_and(|u| {
                let bare = u.key.strip_prefix(['ل', 'ب']).unwrap_or("");
                self.actors.is_filler(start) && bare.chars().count() > 2 && u.forms.iter().any(|f| f == bare)
            })
    }

    /// A claimer ending right before unit `to`; not a name under a preposition ("a group linked to
    /// Israel is claiming …" is the group's claim); "the group" right before is the group named
    /// before.
    pub fn claimer_backward(&mut self, to: usize, lo: usize) -> Option<Filled> {
        if let Some(f) = self.actors_backward(to, lo, false) {
            return (!self.governed(f.start)).then_some(f);
        }
        if let Some(at) = to.checked_sub(1).filter(|&p| p >= lo)
            && let Some(f) = self.anaphor_at(at)
        {
            return Some(f);
        }
        let prev = to.checked_sub(1)?;
        if !self.unit(prev).is_some_and(|u| latin_capital(self.doc, u)) {
            return None;
        }
        let mut start = prev;
        while start > lo
            && self.unit(start - 1).is_some_and(|u| latin_capital(self.doc, u))
            && !broken(self.doc, start - 1, start)
            && prev + 1 - start < MAX_NAME
        {
            start -= 1;
        }
        let is_mention = |k: usize| self.actors.mention(k).is_some();
        let shaped = shaped_name(self.doc, &self.marks, start, to, true, &is_mention, &|k| {
            self.recurs(k)
        })?;
        let id = self.register(&shaped, EntityKind::ThreatActor, &[])?;
        Some(Filled {
            ids: vec![id],
            start,
            end: to,
        })
    }

    fn unit(&self, i: usize) -> Option<&Unit> {
        self.doc.units.get(i)
    }

    /// A head noun that names an institution with its state after it: "البنك المركزي في بنغلادش",
    /// "بانک مرکزی بنگلادش", "central bank of Bangladesh".
    fn institution(&self, from: usize, hi: usize) -> Option<Shaped> {
        let mut end = from;
        while end < hi && self.mark(end).org.is_some() {
            end += 1;
        }
        // The head noun itself must be specific ("البنك المركزي"), not a bare "company".
        if end == from || self.mark(from).org == Some(true) {
            return None;
        }
        let mut k = end;
        if self
            .unit(k)
            .is_some_and(|u| matches!(u.key.as_str(), "في" | "of" | "in"))
        {
            k += 1;
        }
        let m = self.actors.mention(k)?;
        if self.kind(&m.id) != Some(EntityKind::Country) {
            return None;
        }
        let id = m.id.clone();
        let mut stop = k;
        while stop < hi && self.actors.mention(stop).is_some_and(|x| x.id == id) {
            stop += 1;
        }
        Some(Shaped {
            start: from,
            end: stop,
            id_start: from,
            possessive: false,
        })
    }

    /// Whether a capitalised word outside a title-case line, or a catalogued name, comes within
    /// `n` plain words from unit `i`.
    fn capital_within(&self, i: usize, hi: usize, n: usize) -> bool {
        for k in i..hi.min(i + n + 1) {
            let m = self.mark(k);
            if self.actors.mention(k).is_some()
                || self.unit(k).is_some_and(|u| latin_capital(self.doc, u)) && !m.title_case
            {
                return k > i;
            }
            if m.stop || k > i && hard_break(self.doc, k - 1, k) {
                return false;
            }
        }
        false
    }

    /// Whether a catalogued name other than a state stands at unit `at`, past a state's adjective
    /// ("… آمریکایی فدکس", "… الأمريكية "كاسيا"").
    fn known_name_after(&self, at: usize, hi: usize) -> bool {
        let mut i = at;
        while i < hi.min(at + 3) {
            match self.actors.mention(i) {
                Some(m) if m.adjective => {
                    let id = m.id.clone();
                    while self.actors.mention(i).is_some_and(|x| x.id == id) {
                        i += 1;
                    }
                }
                Some(m) => return self.kind(&m.id) != Some(EntityKind::Country),
                None => return false,
            }
        }
        false
    }

    /// Whether a word occurs more than once in the text (a name the article is about, not a
    /// common word that follows a head noun once).
    fn recurs(&self, key: &str) -> bool {
        self.counts.get(key).copied().unwrap_or(0) > 1
    }

    /// Whether unit `i` joins two names ("و", "and", a comma before it).
    fn joins(&self, i: usize) -> bool {
        self.actors.role(i) == crate::actors::Role::Coord
            || self.unit(i).is_some_and(|u| u.key == "and" || u.key == "و")
    }

    /// Whether a quotation mark opens right before unit `i`.
    fn quote_before(&self, i: usize) -> bool {
        let Some(u) = self.unit(i) else { return false };
        let before = if i == 0 {
            self.doc.text.get(..u.span.start).unwrap_or("")
        } else {
            gap(self.doc, i - 1, i)
        };
        opens(before)
    }

    fn victim_kind(&self, id: &str) -> bool {
        !matches!(
            self.kind(id),
            Some(EntityKind::Person | EntityKind::ThreatActor | EntityKind::Malware | EntityKind::Region)
        )
    }

    /// Registers a name found by its shape as an entity of the article, with the state of the
    /// nearest state named beside it; returns its id.
    fn register(&mut self, shaped: &Shaped, kind: EntityKind, near: &[Named]) -> Option<String> {
        let country = near
            .iter()
            .rev()
            .find_map(|(_, _, id, _)| id.strip_prefix("country:").map(str::to_string))
            .or_else(|| {
                // A state named right after the name ("البنك المركزي في بنغلادش", "Kaseya الأمريكية").
                (shaped.end..shaped.end + 3)
                    .filter_map(|i| self.actors.mention(i))
                    .find_map(|m| m.id.strip_prefix("country:").map(str::to_string))
            });
        let entity = make_entity(self.doc, shaped, kind, country)?;
        let id = entity.id.clone();
        self.known
            .insert(id.clone(), (entity.kind, entity.country.clone()));
        add_entity(&mut self.discovered, entity);
        Some(id)
    }

    /// The victims of a phrase: organisations and places before states; states only when the
    /// phrase names nothing else.
    fn pick_victims(&self, named: Vec<Named>) -> Option<Filled> {
        let start = named.iter().map(|n| n.0).min()?;
        let end = named.iter().map(|n| n.1).max()?;
        // The fourth field marks a weak name: a state's adjective, or an owner's possessive.
        let country = |id: &str| self.kind(id) == Some(EntityKind::Country);
        let tiers: [&dyn Fn(&Named) -> bool; 3] =
            [&|n| !country(&n.2) && !n.3, &|n| !country(&n.2), &|_| true];
        let mut ids: Vec<String> = Vec::new();
        for tier in tiers {
            ids = named.iter().filter(|n| tier(n)).map(|n| n.2.clone()).collect();
            if !ids.is_empty() {
                break;
            }
        }
        let mut seen: Vec<String> = Vec::new();
        ids.retain(|id| {
            let new = !seen.contains(id);
            seen.push(id.clone());
            new
        });
        Some(Filled { ids, start, end })
    }
}

fn add_entity(list: &mut Vec<Entity>, entity: Entity) {
    match list.iter_mut().find(|e| e.id == entity.id) {
        Some(e) => {
            for m in entity.mentions {
                if !e.mentions.iter().any(|x| x.span == m.span) {
                    e.mentions.push(m);
                }
            }
            if e.country.is_none() {
                e.country = entity.country;
            }
        }
        None => list.push(entity),
    }
}

/// Whether an Arabic word carries the definite article ("المجلة", "للاختراق", "والمؤسسات"): a
/// head noun with it refers back to something named before, and a word with it is no foreign name.
fn definite(key: &str) -> bool {
    ["ال", "وال", "بال", "فال", "كال", "لل", "ولل"]
        .iter()
        .any(|p| key.starts_with(p) && key.chars().count() > p.chars().count() + 1)
}

/// A name by its shape from unit `from`: a quoted name, a run of capitalised Latin words, or an
/// organisation's head noun with the one or two words after it (Arabic and Persian: no definite
/// word, no stop word, no name the catalog knows). With `group`, plain words after a naming word
/// count too ("تدعى هافنيوم").
fn shaped_name(
    doc: &Prepared<'_>,
    marks: &[Marks],
    from: usize,
    hi: usize,
    group: bool,
    is_mention: &dyn Fn(usize) -> bool,
    recurs: &dyn Fn(&str) -> bool,
) -> Option<Shaped> {
    let units = &doc.units;
    let first = units.get(from)?;
    let mark = |i: usize| marks.get(i).copied().unwrap_or_default();
    let plain = |i: usize| {
        let m = mark(i);
        !(m.stop || m.head || m.naming || m.hedge || m.org.is_some() || is_mention(i))
    };
    // A quoted name: the mark right before it, the closing mark within a few words.
    let before = if from == 0 {
        doc.text.get(..first.span.start).unwrap_or("")
    } else {
        gap(doc, from - 1, from)
    };
    if opens(before) {
        let mut end = from;
        while end < hi && end - from < 4 {
            let closes = units
                .get(end)
                .and_then(|u| {
                    let next = units.get(end + 1).map_or(doc.text.len(), |n| n.span.start);
                    doc.text.get(u.span.end..next)
                })
                .is_some_and(closes);
            end += 1;
            if closes {
                let id_start = strip_heads(marks, from, end);
                return (id_start < end).then_some(Shaped {
                    start: from,
                    end,
                    id_start,
                    possessive: false,
                });
            }
        }
    }
    // Capitalised Latin words ("Bank of America", "Las Vegas Sands Corp", "Holy Souls"); a
    // possessive ends the name ("Adelson's casino").
    if latin_capital(doc, first) {
        if mark(from).stop {
            return None;
        }
        let mut end = from;
        let mut possessive = false;
        while end < hi && end - from < MAX_NAME {
            let Some(u) = units.get(end) else { break };
            let connector = u.key == "of" || u.key == "&";
            if !(latin_capital(doc, u) || (connector && end > from)) {
                break;
            }
            if end > from && broken(doc, end - 1, end) && !gap(doc, end - 1, end).contains('&') {
                break;
            }
            end += 1;
            let surface = doc.text.get(u.span.start..u.span.end).unwrap_or("");
            if surface.ends_with("'s") || surface.ends_with("’s") {
                possessive = true;
                break;
            }
        }
        while end > from && units.get(end - 1).is_some_and(|u| u.key == "of" || u.key == "&") {
            end -= 1;
        }
        // One word is a name when the article names it again (not a capitalised headline word);
        // head words alone ("Co", "Corp") are none.
        let single = end == from + 1;
        let only_heads = (from..end).all(|i| mark(i).head);
        if end > from && !only_heads && (!single || recurs(&first.key) || possessive) {
            let id_start = strip_heads(marks, from, end);
            return (id_start < end).then_some(Shaped {
                start: from,
                end,
                id_start,
                possessive,
            });
        }
        return None;
    }
    if doc.lang == Lang::En {
        return None;
    }
    // A head noun and the name after it, or plain words after a naming word.
    let head = mark(from).org.is_some();
    if !(head || group) || (head && doc.lang == Lang::Ar && definite(&first.key)) {
        return None;
    }
    let mut end = from;
    while end < hi && mark(end).org.is_some() {
        end += 1;
    }
    let words_from = end;
    while end < hi && end - words_from < 2 {
        if end > from && broken(doc, end - 1, end) {
            break;
        }
        let Some(u) = units.get(end) else { break };
        if !plain(end)
            || latin(doc, u)
            || (doc.lang == Lang::Ar && definite(&u.key))
            || u.key.chars().count() < 3
        {
            break;
        }
        end += 1;
    }
    if end == words_from || !(group || units.get(words_from).is_some_and(|u| recurs(&u.key))) {
        return None;
    }
    let id_start = strip_heads(marks, from, end);
    (id_start < end).then_some(Shaped {
        start: from,
        end,
        id_start,
        possessive: false,
    })
}

/// The first unit of a name's id: generic head nouns ("شركة", "company") left out.
fn strip_heads(marks: &[Marks], from: usize, end: usize) -> usize {
    let mut i = from;
    while i + 1 < end && marks.get(i).and_then(|m| m.org) == Some(true) {
        i += 1;
    }
    i
}

fn make_entity(
    doc: &Prepared<'_>,
    shaped: &Shaped,
    kind: EntityKind,
    country: Option<String>,
) -> Option<Entity> {
    let first = doc.units.get(shaped.start)?;
    let last = doc.units.get(shaped.end.checked_sub(1)?)?;
    let span = Span::new(first.span.start, last.span.end);
    let name = span.slice(doc.text)?.trim().to_string();
    let id_first = doc.units.get(shaped.id_start)?;
    let id_span = Span::new(id_first.span.start, last.span.end);
    let key = search_key(id_span.slice(doc.text)?).text;
    let slug: String = key
        .split_whitespace()
        .map(|w| w.trim_end_matches("'s").trim_end_matches("’s"))
        .map(|w| w.trim_matches(|c: char| !c.is_alphanumeric()))
        .filter(|w| !w.is_empty())
        .collect::<Vec<_>>()
        .join("-");
    if slug.is_empty() || slug.chars().count() < 2 {
        return None;
    }
    let prefix = if kind == EntityKind::ThreatActor {
        "group"
    } else {
        "org"
    };
    Some(Entity {
        id: format!("{prefix}:{slug}"),
        label: name.clone(),
        kind,
        iso3: None,
        country,
        wikidata: None,
        role: None,
        discovered: true,
        mentions: vec![Mention {
            span,
            text: name,
            alias: None,
            framing: None,
            adjective: false,
            nominal: false,
            used_as: None,
        }],
    })
}

impl Reader<'_> {
    /// Whether the sentence `lo..hi` goes on with the speaker of the one before: a speech verb
    /// with a pronoun subject among its first words ("وأضاف أن …", "He said the …").
    pub fn continues(&self, lo: usize, hi: usize) -> bool {
        (lo..hi.min(lo + 3)).any(|i| self.mark(i).continuation)
    }

    /// Whether the Persian object marker را follows the slot that ends before unit `end` ("ایران
    /// را متهم کرد": Iran is accused, not accusing).
    pub fn object_marked(&self, end: usize) -> bool {
        self.doc.lang == Lang::Fa && self.unit(end).is_some_and(|u| u.key == "را")
    }

    /// Whether `id` stands in a slot only as a state's adjective right after an accusation noun
    /// ("الاتهام الأمريكية", "الاتهامات الإيرانية"): the accuser, not the accused.
    pub fn adjective_on_charge(&self, id: &str, slot: Option<&Filled>, cue: usize) -> bool {
        let Some(slot) = slot else { return false };
        let adjective_only = (slot.start..slot.end)
            .filter_map(|i| self.actors.mention(i))
            .filter(|m| m.id == id)
            .all(|m| m.adjective);
        let charge_noun = self.unit(cue).is_some_and(|u| {
            u.forms
                .iter()
                .any(|f| f.starts_with("اتهام") || f.starts_with("الاتهام"))
        });
        self.doc.lang == Lang::Ar && adjective_only && charge_noun && slot.start <= cue + 2
    }

    /// Whether the name right before unit `at` (past a relative pronoun and commas) is a company or
    /// organisation: affiliation words after it describe it ("بنك سپه، الذي يرتبط بالحرس الثوري").
    pub fn describes_organisation(&self, at: usize, lo: usize) -> bool {
        let mut i = at;
        let mut steps = 0;
        while i > lo && steps < 4 {
            i -= 1;
            steps += 1;
            // "هکرهای منتسب به …": the ties are the attackers'.
            if self.mark(i).agent {
                return false;
            }
            if let Some(m) = self.actors.mention(i) {
                return !m.adjective
                    && matches!(
                        self.kind(&m.id),
                        Some(EntityKind::Company | EntityKind::Organization)
                    )
                    && !m.id.starts_with("vendor:");
            }
        }
        false
    }

    /// Whether a comma stands between the slot that ends before unit `end` and that unit ("وحسب
    /// رويترز، قالت الشركتان": Reuters is not who said it).
    pub fn comma_after(&self, end: usize) -> bool {
        end.checked_sub(1)
            .is_some_and(|last| gap(self.doc, last, end).contains([',', '،']))
    }

    /// The organisations "the company" or "the two companies" before unit `before` in its sentence
    /// refer to as speakers: the ones named last before the sentence `lo..`.
    pub fn speaker_anaphor(&self, lo: usize, before: usize) -> Vec<String> {
        let Some(at) = (lo..before).find(|&i| self.mark(i).speaker_anaphor) else {
            return Vec::new();
        };
        let dual = self
            .unit(at)
            .is_some_and(|u| u.key.ends_with("تان") || u.key.ends_with("تين"))
            || self
                .unit(at + 1)
                .is_some_and(|u| u.key == "companies" || u.key == "firms");
        let mut out: Vec<String> = Vec::new();
        for m in (0..lo).rev().filter_map(|i| self.actors.mention(i)) {
            let company = matches!(
                self.kind(&m.id),
                Some(EntityKind::Company | EntityKind::Organization)
            );
            if company && !m.adjective && !out.contains(&m.id) {
                out.push(m.id.clone());
                if out.len() == if dual { 2 } else { 1 } {
                    break;
                }
            }
        }
        out
    }

    /// Whether an id is a name this layer found by its shape (in a victim's or claimer's place).
    pub fn found_here(&self, id: &str) -> bool {
        self.discovered.iter().any(|e| e.id == id)
    }

    /// Whether an id is a name found by its shape in this article (here, or by the entity stage's
    /// titles).
    pub fn is_discovered(&self, id: &str) -> bool {
        self.discovered.iter().any(|e| e.id == id) || self.shaped_before.iter().any(|d| d == id)
    }

    /// Whether words for unnamed speakers ("sources", "وسائل إعلام") stand in units `lo..hi`.
    pub fn unnamed_speaker(&self, lo: usize, hi: usize) -> bool {
        (lo..hi).any(|i| self.mark(i).unnamed)
    }

    /// Who says what follows a complementizer: the first actors of the sentence `lo..` that stand
    /// before unit `before` with a complementizer (or a colon) between them and it ("قال مسؤولون
    /// أمريكيون إن …", "Microsoft said that …", "کان اعلام کرد که …").
    pub fn speaker_before(&self, lo: usize, before: usize) -> Vec<String> {
        let Some(c) = (lo..before).rev().find(|&i| self.mark(i).complementizer) else {
            return Vec::new();
        };
        // "يُعتقد أنه …", "it is believed that …": an impersonal verb says it, not the sentence's
        // first actor.
        if c.checked_sub(1).is_some_and(|p| self.mark(p).hedge) {
            return Vec::new();
        }
        let mut i = lo;
        while i < c {
            if let Some(f) = self.actors_forward(i, c, false) {
                if f.end <= c {
                    return f.ids;
                }
                i = f.end.max(i + 1);
            } else {
                i += 1;
            }
        }
        Vec::new()
    }
}

/// Whether a hedge word stands among the few words before unit `at` in its sentence.
pub(crate) fn hedged_before(reader: &Reader<'_>, at: usize, lo: usize) -> bool {
    (lo.max(at.saturating_sub(6))..=at).any(|i| reader.marks.get(i).is_some_and(|m| m.hedge))
}

/// A sentence that opens with a name and a colon ("Microsoft: Chinese hackers …", "“واشنطن
/// بوست”: هاكرز روسيون …"): a source pattern over the name.
pub(crate) fn colon_speaker(reader: &Reader<'_>, lo: usize, hi: usize) -> Option<Found> {
    let last =
        (lo..hi.min(lo + MAX_NAME + 1)).find(|&k| k + 1 < hi && gap(reader.doc, k, k + 1).contains(':'))?;
    let end = last + 1;
    let (ids, start) = reader.actors.group_backward(end, lo, false)?;
    if start != lo {
        return None;
    }
    Some(Found {
        role: Role::Source,
        hedged: false,
        affiliation: false,
        subject: false,
        slots: vec![(Slot::By, Filled { ids, start: lo, end })],
        start: lo,
        end,
        first_word: lo,
        last_word: last,
    })
}
