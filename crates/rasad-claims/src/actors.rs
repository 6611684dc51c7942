//! Actors as the event coder sees them: the article's entity mentions laid over its words, capitals
//! read as their states, "our country" inside a quote read as the speaker's state, and the groups of
//! names one slot of a pattern takes ("حكومتا واشنطن وتيرانا" is one source: the United States and
//! Albania).

use std::sync::OnceLock;

use rasad_model::{Entity, EntityKind, Lang, Quote, Span};

use crate::words::{Lit, Units, find_runs, parse_lang, parse_phrase, rows};

const DATA: &str = include_str!("../../../data/claims/actor_words.tsv");
/// How many filler or title words a slot may take before or between its names.
const MAX_FILLERS: usize = 4;

/// What a word is to the slot reader.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Role {
    Other,
    Filler,
    Coord,
    Negation,
    Preposition,
    /// "Our country" (resolved inside quotes only).
    Own,
}

struct WordTable {
    words: Vec<(Lang, Role, Vec<Lit>)>,
}

fn table() -> &'static WordTable {
    static TABLE: OnceLock<WordTable> = OnceLock::new();
    TABLE.get_or_init(|| WordTable {
        words: rows(DATA)
            .filter_map(|f| {
                let lang = parse_lang(f.first()?)?;
                let role = match *f.get(1)? {
                    "filler" => Role::Filler,
                    "coord" => Role::Coord,
                    "negation" => Role::Negation,
                    "preposition" => Role::Preposition,
                    "self" => Role::Own,
                    _ => return None,
                };
                let words = parse_phrase(f.get(2)?);
                (!words.is_empty()).then_some((lang, role, words))
            })
            .collect(),
    })
}

/// One mention that can fill a slot.
#[derive(Debug, Clone)]
pub struct ActorMention {
    /// The id the slot takes: a capital's state, an entity's own id otherwise.
    pub id: String,
    pub span: Span,
    pub adjective: bool,
    /// Whether the word carries a "و" proclitic before the name ("وتيرانا"): coordination.
    pub joined: bool,
    /// Whether it carries a preposition ("لمنظمة", "بالناتو"): "of" or "with" a name, not a new
    /// actor right after another.
    pub governed: bool,
}

/// The id an entity stands for in an actor's place: a capital for its state.
#[must_use]
pub fn actor_id(entity: &Entity) -> String {
    entity.capital_of().unwrap_or_else(|| entity.id.clone())
}

/// The state an actor belongs to: a country itself, a capital's, or the `country` of a person or
/// body.
#[must_use]
pub fn state_of(id: &str, entities: &[Entity]) -> Option<String> {
    if id.starts_with("country:") {
        return Some(id.to_string());
    }
    let entity = entities.iter().find(|e| e.id == id)?;
    entity.country.as_ref().map(|c| format!("country:{c}"))
}

/// The article's words with their roles and the actors over them.
pub struct Actors<'u> {
    pub units: &'u Units,
    pub roles: Vec<Role>,
    titles: Vec<bool>,
    /// Per unit, the mention it is part of.
    at: Vec<Option<usize>>,
    pub mentions: Vec<ActorMention>,
    /// Units a slot may read past besides the fillers and titles (the incident layer's head nouns).
    extra_skip: Vec<bool>,
    /// Units besides titles after which a slot reads across a preposition.
    heads: Vec<bool>,
    /// Whether a state's adjective joins the name beside it in one slot ("Russian hacking group
    /// Sandworm", "مجموعة لازاروس الكورية الشمالية").
    adjectives_join: bool,
    /// Per unit, whether punctuation that separates phrases (not quotation marks or brackets, which
    /// set off names and glosses) stands between it and the unit before.
    punct_before: Vec<bool>,
    lang: Lang,
}

/// What an [`Actors`] view takes in besides the text's entities.
#[derive(Debug, Default)]
pub struct ActorOptions {
    /// Whether outlets are actors (they attribute, and sometimes are attacked).
    pub outlets: bool,
    /// Mentions of names found by their shape, not in the entity list.
    pub extra: Vec<ActorMention>,
    /// Units slots may read past.
    pub skip: Vec<bool>,
    /// Whether a state's adjective joins the name beside it in one slot.
    pub adjectives_join: bool,
    /// Words besides titles after which a slot reads across a preposition ("مسؤول في …").
    pub heads: Vec<bool>,
}

impl<'u> Actors<'u> {
    #[must_use]
    pub fn new(text: &str, units: &'u Units, lang: Lang, entities: &[Entity], quotes: &[Quote]) -> Self {
        Self::with(text, units, lang, entities, quotes, ActorOptions::default())
    }

    /// [`Actors::new`] with outlets, names found by their shape and words to read past.
    #[must_use]
    pub fn with(
        text: &str,
        units: &'u Units,
        lang: Lang,
        entities: &[Entity],
        quotes: &[Quote],
        options: ActorOptions,
    ) -> Self {
        let mut roles = vec![Role::Other; units.len()];
        for (word_lang, role, words) in &table().words {
            if *word_lang != lang {
                continue;
            }
            for (start, end) in find_runs(words, units, lang, 0..units.len()) {
                for r in roles.get_mut(start..end).into_iter().flatten() {
                    *r = *role;
                }
            }
        }
        let titles = units
            .iter()
            .map(|u| u.forms.iter().any(|f| rasad_entities::titles::is_title_word(f)))
            .collect();
        let mut mentions: Vec<ActorMention> = options.extra;
        for e in entities {
            if matches!(e.kind, EntityKind::NewsOutlet) && !options.outlets {
                continue;
            }
            let id = actor_id(e);
            for m in &e.mentions {
                mentions.push(ActorMention {
                    id: id.clone(),
                    span: m.span,
                    adjective: m.adjective,
                    joined: false,
                    governed: false,
                });
            }
        }
        // "Our country" in a quote whose speaker's state is known.
        for q in quotes {
            let Some(state) = q.speaker.as_deref().and_then(|s| state_of(s, entities)) else {
                continue;
            };
            let mut i = 0;
            while let Some(u) = units.get(i) {
                if roles.get(i) == Some(&Role::Own)
                    && q.span.start <= u.span.start
                    && u.span.end <= q.span.end
                {
                    let start = u.span.start;
                    let mut end = u.span.end;
                    while roles.get(i + 1) == Some(&Role::Own) {
                        i += 1;
                        end = units.get(i).map_or(end, |u| u.span.end);
                    }
                    mentions.push(ActorMention {
                        id: state.clone(),
                        span: Span::new(start, end),
                        adjective: false,
                        joined: false,
                        governed: false,
                    });
                }
                i += 1;
            }
        }
        mentions.sort_by_key(|m| (m.span.start, std::cmp::Reverse(m.span.end)));
        mentions.dedup_by(|inner, outer| outer.span.contains(&inner.span));
        let mut at = vec![None; units.len()];
        for (n, m) in mentions.iter_mut().enumerate() {
            let first = units.partition_point(|u| u.span.end <= m.span.start);
            if let Some(u) = units.get(first) {
                let proclitic = text.get(u.span.start..m.span.start).unwrap_or("");
                // "وتيرانا", and in English a name after a comma in a list ("Britain, Canada and
                // the EU"); an Arabic comma sets off an apposition as often ("إيدي راما، إيران").
                let comma = lang == Lang::En
                    && first
                        .checked_sub(1)
                        .and_then(|p| units.get(p))
                        .and_then(|p| text.get(p.span.end..u.span.start))
                        .is_some_and(|g| g.contains([',', '،']));
                m.joined = matches!(proclitic, "و" | "ف") || comma;
                // "لمنظمة", "بالناتو", "للحكومة": a preposition; the article alone ("الأمريكي")
                // is none.
                let bare = proclitic.strip_prefix(['و', 'ف']).unwrap_or(proclitic);
                m.governed = matches!(bare, "ل" | "ب" | "ك" | "لل" | "بال" | "كال");
            }
            for (slot, u) in at.iter_mut().zip(units).skip(first) {
                if u.span.start >= m.span.end {
                    break;
                }
                *slot = Some(n);
            }
        }
        let punct_before = units
            .iter()
            .enumerate()
            .map(|(i, u)| {
                i.checked_sub(1)
                    .and_then(|p| units.get(p))
                    .and_then(|p| text.get(p.span.end..u.span.start))
                    .is_some_and(|g| {
                        g.contains([':', ';', '؛', ',', '،', '.', '!', '?', '؟', '|', '—', '–', '\n'])
                    })
            })
            .collect();
        Self {
            units,
            roles,
            titles,
            at,
            mentions,
            extra_skip: options.skip,
            heads: options.heads,
            adjectives_join: options.adjectives_join,
            punct_before,
            lang,
        }
    }

    /// The role of unit `i`.
    #[must_use]
    pub fn role(&self, i: usize) -> Role {
        self.roles.get(i).copied().unwrap_or(Role::Other)
    }

    /// Whether a state's adjective and the name beside it are one actor, given whether the left
    /// and the right one of the two is an adjective: Arabic and Persian adjectives follow their
    /// noun ("مايكروسوفت الأمريكية"), English ones precede it ("Russian group Sandworm"); an
    /// adjective after an adjective's noun starts another actor.
    fn describes(&self, left_adjective: bool, right_adjective: bool) -> bool {
        self.adjectives_join
            && if self.lang == Lang::En {
                left_adjective && !right_adjective
            } else {
                right_adjective && !left_adjective
            }
    }

    /// Persian ezafe: a state's name right after another name is its possessor ("شبکه دولتی کان
    /// اسرائیل", Israel's state network Kan), one actor with it.
    fn ezafe(&self, left: Option<&str>, right: &str, words_between: usize) -> bool {
        self.adjectives_join
            && self.lang == Lang::Fa
            && words_between == 0
            && right.starts_with("country:")
            && left.is_some_and(|l| !l.starts_with("country:"))
    }

    fn punct(&self, i: usize) -> bool {
        self.punct_before.get(i).copied().unwrap_or(false)
    }

    fn skippable(&self, i: usize) -> bool {
        // Titles' filler words include prepositions: a slot reads across one only right after a
        // title ("مسؤول في بعثة كوريا الشمالية", "spokesman for North Korea"), not after other
        // words ("هجمات إلكترونية في الولايات المتحدة").
        if self.role(i) == Role::Preposition {
            return i.checked_sub(1).is_some_and(|p| {
                self.role(p) != Role::Preposition
                    && (self.titles.get(p).copied().unwrap_or(false)
                        || self.heads.get(p).copied().unwrap_or(false))
            });
        }
        self.plain_skippable(i)
    }

    fn plain_skippable(&self, i: usize) -> bool {
        self.units
            .get(i)
            .is_some_and(|u| !u.key.is_empty() && u.key.chars().all(|c| c.is_ascii_digit()))
            || self.role(i) == Role::Filler
            || self.titles.get(i).copied().unwrap_or(false)
            || self.extra_skip.get(i).copied().unwrap_or(false)
    }

    /// Whether unit `i` is a filler or title word (government, officials, minister).
    #[must_use]
    pub fn is_filler(&self, i: usize) -> bool {
        self.role(i) == Role::Filler || self.titles.get(i).copied().unwrap_or(false)
    }

    /// The mention over unit `i`, adjectives included.
    #[must_use]
    pub fn mention(&self, i: usize) -> Option<&ActorMention> {
        self.mention_at(i, true).map(|(_, m)| m)
    }

    fn mention_at(&self, i: usize, adjectives: bool) -> Option<(usize, &ActorMention)> {
        let n = (*self.at.get(i)?)?;
        let m = self.mentions.get(n)?;
        (adjectives || !m.adjective).then_some((n, m))
    }

    /// The slot that begins at unit `from` (fillers and titles first), within `..hi`: its actor ids
    /// in order, and the unit after its last name and the fillers that follow it.
    #[must_use]
    pub fn group_forward(&self, from: usize, hi: usize, adjectives: bool) -> Option<(Vec<String>, usize)> {
        self.group_forward_after(from, hi, adjectives, false)
    }

    /// [`Self::group_forward`]; right after another slot (`after_slot`), a name under a preposition
    /// is that slot's complement ("استنكرت الأمانة العامة لمنظمة التعاون"), not a new slot.
    #[must_use]
    pub fn group_forward_after(
        &self,
        from: usize,
        hi: usize,
        adjectives: bool,
        after_slot: bool,
    ) -> Option<(Vec<String>, usize)> {
        let mut ids: Vec<String> = Vec::new();
        let mut i = from;
        let mut end = from;
        let mut joined = false;
        let mut skipped = 0;
        let mut last_adjective = false;
        // Whether punctuation was crossed since the last name ("Microsoft: Chinese hackers").
        let mut crossed = false;
        while i < hi {
            crossed |= self.punct(i);
            if let Some((n, m)) = self.mention_at(i, adjectives) {
                if ids.is_empty() && after_slot && m.governed {
                    break;
                }
                let described = !crossed
                    && (self.describes(last_adjective, m.adjective)
                        || self.ezafe(ids.last().map(String::as_str), &m.id, skipped));
                if !(ids.is_empty() || joined || m.joined || described) {
                    break;
                }
                last_adjective = m.adjective;
                if !ids.contains(&m.id) {
                    ids.push(m.id.clone());
                }
                while i < hi && self.at.get(i).copied().flatten() == Some(n) {
                    i += 1;
                }
                end = i;
                joined = false;
                skipped = 0;
                crossed = false;
            } else if self.role(i) == Role::Coord && !ids.is_empty() {
                joined = true;
                i += 1;
            } else if self.skippable(i) && skipped < MAX_FILLERS {
                skipped += 1;
                i += 1;
                // Fillers after the names belong to the slot ("حلف شمال الأطلسي والحلفاء").
                if !ids.is_empty() {
                    end = i;
                }
            } else if self.role(i) == Role::Coord && skipped > 0 {
                // "متحدان و شرکای ناتو": fillers joined before the first name.
                i += 1;
            } else {
                break;
            }
        }
        (!ids.is_empty()).then_some((ids, end))
    }

    /// The slot that ends right before unit `to` (fillers after the names allowed), within `lo..`:
    /// its actor ids in reading order, and its first unit (with the fillers before the names).
    #[must_use]
    pub fn group_backward(&self, to: usize, lo: usize, adjectives: bool) -> Option<(Vec<String>, usize)> {
        let mut ids: Vec<String> = Vec::new();
        let mut i = to;
        let mut start = to;
        // Whether the name found last (to the right) was joined to the one before it.
        let mut joined = false;
        let mut skipped = 0;
        let mut last_adjective = false;
        let mut crossed = false;
        while i > lo {
            let prev = i - 1;
            // Punctuation between `prev` and the unit after it.
            crossed |= i < to && self.punct(i);
            if let Some((n, m)) = self.mention_at(prev, adjectives) {
                let described = !crossed
                    && (self.describes(m.adjective, last_adjective)
                        || self.ezafe(Some(&m.id), ids.last().map_or("", String::as_str), skipped));
                if !ids.is_empty() && !joined && !described {
                    break;
                }
                last_adjective = m.adjective;
                if !ids.contains(&m.id) {
                    ids.push(m.id.clone());
                }
                while i > lo && self.at.get(i - 1).copied().flatten() == Some(n) {
                    i -= 1;
                }
                start = i;
                joined = m.joined;
                skipped = 0;
                crossed = false;
            } else if self.role(prev) == Role::Coord && !ids.is_empty() {
                joined = true;
                i -= 1;
            } else if self.skippable(prev) && skipped < MAX_FILLERS {
                skipped += 1;
                i -= 1;
                // Fillers before the names belong to the slot ("حكومتا واشنطن وتيرانا").
                if !ids.is_empty() {
                    start = i;
                }
            } else {
                break;
            }
        }
        ids.reverse();
        (!ids.is_empty()).then_some((ids, start))
    }

    /// The first slot of `lo..hi` that starts before `before` and does not follow a preposition
    /// (the subject of an SOV or SVO clause).
    #[must_use]
    pub fn first_subject(&self, lo: usize, hi: usize, before: usize) -> Option<(Vec<String>, usize, usize)> {
        let mut i = lo;
        while i < before {
            if let Some((ids, end)) = self.group_forward(i, hi, false) {
                let after_preposition = i > lo && self.role(i - 1) == Role::Preposition;
                if !after_preposition && end <= before {
                    return Some((ids, i, end));
                }
                i = end.max(i + 1);
            } else {
                i += 1;
            }
        }
        None
    }
}
