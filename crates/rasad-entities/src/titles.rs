//! People and organisations that are not in the catalog, found by the titles in front of them.
//!
//! "رئيس الوزراء الألباني، إيدي راما": a title (`data/entities/titles.tsv`), then an affiliation the
//! catalog knows (الألباني → Albania) with filler words allowed (الدائم، لدى، باسم), then a name: in
//! Arabic script, up to four words ended by punctuation or a stop word; in Latin script, capitalized
//! words. Organisations work the same way from their head nouns (شركة، شرکت، company), and embassies
//! from "سفارة/سفارت/embassy" + a country. Later mentions of the full name or of the surname link back.

use std::collections::HashMap;
use std::sync::OnceLock;

use rasad_model::{Entity, EntityKind, Lang, Mention, Span};
use rasad_normalize::{Token, search_key};

use crate::EntityDef;
use crate::phrases::{PhraseIndex, token_forms};

const DATA: &str = include_str!("../../../data/entities/titles.tsv");
/// The longest name taken after a title, in words.
const MAX_NAME_WORDS: usize = 4;
/// How many words of affiliation and filler may sit between a title and its name.
const MAX_AFFILIATION_WORDS: usize = 8;

/// What a title-table row introduces.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Role {
    /// A person's title; the row's role text names the office.
    Person,
    /// An organisation's head noun (شركة, company).
    Organization,
    /// An embassy or mission: "سفارت ایران".
    Embassy,
}

#[derive(Debug, Clone)]
struct Title {
    role: Role,
    /// English name of the office ("prime minister"), for the entity's `role`.
    office: String,
}

#[derive(Debug, Default)]
struct Table {
    titles: Vec<Title>,
    index: PhraseIndex,
    /// Search keys of words allowed between a title and its name (الدائم، لدى).
    filler: rustc_hash::FxHashSet<String>,
    /// Search keys of words that end a name (قال، أن، در، که).
    stop: rustc_hash::FxHashSet<String>,
    /// Search keys of the words of persons' titles, and the fillers (see [`is_title_word`]).
    title_words: rustc_hash::FxHashSet<String>,
}

fn table() -> &'static Table {
    static TABLE: OnceLock<Table> = OnceLock::new();
    TABLE.get_or_init(|| {
        let mut table = Table::default();
        for line in DATA.lines() {
            if line.starts_with('#') || line.trim().is_empty() {
                continue;
            }
            let mut fields = line.split('\t').map(str::trim);
            let (Some(lang), Some(kind), Some(phrase)) = (fields.next(), fields.next(), fields.next()) else {
                continue;
            };
            let lang = match lang {
                "ar" => Lang::Ar,
                "fa" => Lang::Fa,
                _ => Lang::En,
            };
            let office = fields.next().unwrap_or("").to_string();
            let role = match kind {
                "person" => Role::Person,
                "org" => Role::Organization,
                "embassy" => Role::Embassy,
                "filler" => {
                    table.filler.insert(search_key(phrase).text);
                    table.title_words.insert(search_key(phrase).text);
                    continue;
                }
                "stop" => {
                    table.stop.insert(search_key(phrase).text);
                    continue;
                }
                _ => continue,
            };
            if role == Role::Person {
                table
                    .title_words
                    .extend(rasad_normalize::tokenize(phrase).into_iter().map(|t| t.key));
            }
            table.titles.push(Title { role, office });
            table.index.insert(phrase, lang, table.titles.len() - 1);
        }
        table
    })
}

/// Whether a word (a search key, or one of its candidate forms) belongs to a person's title or is a
/// filler between title and name: سفير، مندوب، الدائم، وزير. Other stages use it to see that a
/// name right after a verb is its subject ("وأشار سفير إيران …").
#[must_use]
pub fn is_title_word(key: &str) -> bool {
    table().title_words.contains(key)
}

/// A catalogued mention, as the title rules see it.
#[derive(Debug, Clone, Copy)]
pub struct Known<'c> {
    pub def: &'c EntityDef,
    /// Token range.
    pub tokens: (usize, usize),
}

/// People and organisations introduced by titles, with their later mentions. Tokens inside the
/// catalogued mentions (`known`) are never part of a discovered name.
#[must_use]
pub fn discover(text: &str, tokens: &[Token], lang: Lang, known: &[Known<'_>]) -> Vec<Entity> {
    let table = table();
    let starts: HashMap<usize, &Known<'_>> = known.iter().map(|k| (k.tokens.0, k)).collect();
    let is_covered = |i: usize| known.iter().any(|k| (k.tokens.0..k.tokens.1).contains(&i));
    let mut out: Vec<Entity> = Vec::new();
    let mut taken: Vec<(usize, usize)> = Vec::new();
    for m in table.index.find_all(text, tokens, lang) {
        let Some(title) = m.values.first().and_then(|&v| table.titles.get(v)) else {
            continue;
        };
        // Affiliation and filler words after the title.
        let mut k = m.end;
        let mut affiliation: Option<&EntityDef> = None;
        let mut affiliation_end = k;
        let mut steps = 0;
        while steps < MAX_AFFILIATION_WORDS && plain_gap(text, tokens, k) {
            if let Some(known) = starts.get(&k) {
                if known.def.kind == EntityKind::Person || affiliation.is_some() {
                    break;
                }
                // "شركة سوني بيكتشرز …": the organisation the head noun introduces is known;
                // only a state is an organisation's affiliation ("شركة … الأمريكية").
                if title.role == Role::Organization && known.def.kind != EntityKind::Country {
                    break;
                }
                affiliation = Some(known.def);
                steps += known.tokens.1 - k;
                k = known.tokens.1;
                affiliation_end = k;
            } else if tokens.get(k).is_some_and(|t| table.filler.contains(&t.key)) {
                k += 1;
                steps += 1;
            } else {
                break;
            }
        }
        let entity = match title.role {
            Role::Embassy => {
                affiliation.and_then(|state| embassy(text, tokens, m.span, affiliation_end, state))
            }
            Role::Person | Role::Organization => {
                // "الشركة": the definite head noun refers back to an organisation named before;
                // what follows it is no name ("الشركة بغرض التجسس").
                let definite_head = title.role == Role::Organization
                    && tokens.get(m.start).is_some_and(|t| {
                        let key = t.key.strip_prefix(['و', 'ف', 'ب', 'ل']).unwrap_or(&t.key);
                        key.starts_with("ال") || t.key.starts_with("لل")
                    });
                if definite_head {
                    continue;
                }
                // A catalogued person right after the title: nothing to discover.
                if starts
                    .get(&k)
                    .is_some_and(|known| known.def.kind == EntityKind::Person)
                {
                    continue;
                }
                let Some((start, end)) = name_after(text, tokens, k, table, &is_covered, title.role) else {
                    continue;
                };
                // "شرکت فیلمسازی «سونی پیکچرز»", "شرکت ملی نفت «آرامکو»": words between an
                // organisation's head noun and a name the catalog knows describe the organisation;
                // they are no name.
                let described = title.role == Role::Organization
                    && end - start <= 3
                    && starts
                        .get(&end)
                        .is_some_and(|known| known.def.kind != EntityKind::Country);
                // "بشركة الأمن السيبراني “إمينيت باسارغاد”": words before a quoted name describe
                // the organisation the quotation names.
                let quoted_next = tokens
                    .get(end)
                    .zip(tokens.get(end.saturating_sub(1)))
                    .and_then(|(next, last)| text.get(last.span.end..next.span.start))
                    .is_some_and(|gap| gap.contains(['"', '“', '«']));
                if described || (title.role == Role::Organization && quoted_next) {
                    continue;
                }
                // "شركة … الأمريكية": an organisation's nationality may follow its name.
                let after = starts
                    .get(&end)
                    .filter(|known| known.def.kind == EntityKind::Country && plain_gap(text, tokens, end))
                    .map(|known| known.def);
                named(text, tokens, (start, end), title, affiliation.or(after))
            }
        };
        if let Some(entity) = entity {
            if let Some(range) = entity.mentions.first().map(|m| m.span) {
                taken.push((range.start, range.end));
            }
            match out.iter_mut().find(|e| e.id == entity.id) {
                Some(seen) => seen.mentions.extend(entity.mentions),
                None => out.push(entity),
            }
        }
    }
    link_later_mentions(text, tokens, &mut out, &is_covered);
    out
}

/// Whether the gap before token `k` is plain space (no comma or full stop between title and name).
fn plain_gap(text: &str, tokens: &[Token], k: usize) -> bool {
    gap_before(text, tokens, k).is_some_and(|g| g.chars().all(char::is_whitespace))
}

fn gap_before<'t>(text: &'t str, tokens: &[Token], k: usize) -> Option<&'t str> {
    let prev = tokens.get(k.checked_sub(1)?)?;
    let cur = tokens.get(k)?;
    text.get(prev.span.end..cur.span.start)
}

fn latin(word: &str) -> bool {
    word.chars().any(|c| c.is_ascii_alphabetic())
}

/// The name that starts at token `k`, as a token range.
fn name_after(
    text: &str,
    tokens: &[Token],
    k: usize,
    table: &Table,
    is_covered: &dyn Fn(usize) -> bool,
    role: Role,
) -> Option<(usize, usize)> {
    // One comma (or a colon) may separate title and name: "رئيس الوزراء الألباني، إيدي راما".
    let gap = gap_before(text, tokens, k)?;
    if !gap
        .chars()
        .all(|c| c.is_whitespace() || matches!(c, '،' | ',' | ':'))
        || gap.chars().filter(|c| !c.is_whitespace()).count() > 1
    {
        return None;
    }
    let word = |i: usize| tokens.get(i).and_then(|t| text.get(t.span.start..t.span.end));
    let first = word(k)?;
    let mut end = k;
    if latin(first) {
        while end < k + MAX_NAME_WORDS
            && word(end).is_some_and(|w| w.chars().next().is_some_and(char::is_uppercase))
            && !is_covered(end)
            && (end == k || plain_gap(text, tokens, end))
        {
            end += 1;
        }
        return (end > k).then_some((k, end));
    }
    while end < k + MAX_NAME_WORDS {
        let Some(t) = tokens.get(end) else { break };
        if is_covered(end)
            || table.stop.contains(&t.key)
            || table.filler.contains(&t.key)
            || t.key.chars().any(|c| c.is_ascii_digit())
            || (end > k && !plain_gap(text, tokens, end))
        {
            break;
        }
        end += 1;
    }
    if end == k {
        return None;
    }
    // Arabic given names do not take the article; a run that starts with ال is a noun phrase
    // ("الرئيس الإيراني، الذي …"), except for an organisation's name.
    if role == Role::Person && tokens.get(k).is_some_and(|t| t.key.starts_with("ال")) {
        return None;
    }
    // The name must be closed: by punctuation, a stop word, a catalogued entity (an organisation's
    // nationality: "شركة … الأمريكية") or the end of the text. An open run is part of a sentence.
    let closed = match tokens.get(end) {
        None => true,
        Some(next) => {
            !plain_gap(text, tokens, end)
                || table.stop.contains(&next.key)
                || (role == Role::Organization && is_covered(end))
        }
    };
    let words = end - k;
    // "شركة الأفلام الأميركية" is the American film company: one definite Arabic word after an
    // organisation's head noun is a common noun, not its name.
    let definite_noun = words == 1 && tokens.get(k).is_some_and(|t| t.key.starts_with("ال"));
    if role == Role::Organization && definite_noun {
        return None;
    }
    // One Arabic-script word after a title is as often a common noun as a name.
    (closed && (words >= 2 || role == Role::Organization)).then_some((k, end))
}

/// A discovered name's id part: its words' folded keys joined by "-".
pub(crate) fn slug(tokens: &[Token], (start, end): (usize, usize)) -> String {
    tokens
        .get(start..end)
        .unwrap_or_default()
        .iter()
        .map(|t| t.key.as_str())
        .collect::<Vec<_>>()
        .join("-")
}

fn named(
    text: &str,
    tokens: &[Token],
    range: (usize, usize),
    title: &Title,
    affiliation: Option<&EntityDef>,
) -> Option<Entity> {
    let span = Span::new(tokens.get(range.0)?.span.start, tokens.get(range.1 - 1)?.span.end);
    let name = span.slice(text)?.to_string();
    let (prefix, kind) = match title.role {
        Role::Organization => ("org", EntityKind::Organization),
        _ => ("person", EntityKind::Person),
    };
    let role = match (title.office.is_empty(), affiliation) {
        (true, _) => None,
        (false, Some(a)) => Some(format!("{} ({})", title.office, a.label)),
        (false, None) => Some(title.office.clone()),
    };
    Some(Entity {
        id: format!("{prefix}:{}", slug(tokens, range)),
        label: name.clone(),
        kind,
        iso3: None,
        country: affiliation.and_then(|a| a.country.clone()),
        wikidata: None,
        role,
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

/// "سفارت جمهوری اسلامی ایران در بروکسل": the embassy of the state, from the title to the state's
/// name (and the city after در/في/in when the catalog knows it).
fn embassy(text: &str, tokens: &[Token], title: Span, k: usize, state: &EntityDef) -> Option<Entity> {
    if state.kind != EntityKind::Country {
        return None;
    }
    let end = tokens.get(k.checked_sub(1)?)?.span.end;
    let span = Span::new(title.start, end);
    let surface = span.slice(text)?.to_string();
    let iso3 = state.country.clone()?;
    Some(Entity {
        id: format!("embassy:{}", iso3.to_lowercase()),
        label: format!("Embassy of {}", state.label),
        kind: EntityKind::GovernmentBody,
        iso3: None,
        country: Some(iso3),
        wikidata: None,
        role: None,
        discovered: true,
        mentions: vec![Mention {
            span,
            text: surface,
            alias: None,
            framing: None,
            adjective: false,
            nominal: false,
            used_as: None,
        }],
    })
}

/// Later mentions of discovered people: the full name again, or the surname alone.
fn link_later_mentions(
    text: &str,
    tokens: &[Token],
    found: &mut [Entity],
    is_covered: &dyn Fn(usize) -> bool,
) {
    let keys: Vec<&str> = tokens.iter().map(|t| t.key.as_str()).collect();
    for entity in found.iter_mut().filter(|e| e.kind == EntityKind::Person) {
        let Some(first) = entity.mentions.first() else {
            continue;
        };
        let name_keys: Vec<String> = rasad_normalize::tokenize(&first.text)
            .into_iter()
            .map(|t| t.key)
            .collect();
        let mut patterns: Vec<Vec<&str>> = vec![name_keys.iter().map(String::as_str).collect()];
        if name_keys.len() >= 2
            && let Some(surname) = name_keys.last()
            && surname.chars().count() >= 3
        {
            patterns.push(vec![surname.as_str()]);
        }
        let mut added = Vec::new();
        let mut i = 0;
        while i < keys.len() {
            let hit = patterns.iter().find(|p| {
                keys.get(i..i + p.len()).is_some_and(|window| {
                    window.iter().zip(p.iter()).enumerate().all(|(n, (w, k))| {
                        // The first word may carry a proclitic: "وقال راما" → راما.
                        w == k
                            || (n == 0
                                && tokens
                                    .get(i)
                                    .is_some_and(|t| token_forms(t, Lang::Und).iter().any(|f| f == k)))
                    })
                }) && !(i..i + p.len()).any(is_covered)
            });
            if let Some(p) = hit {
                if let (Some(a), Some(b)) = (tokens.get(i), tokens.get(i + p.len() - 1)) {
                    let span = Span::new(a.span.start, b.span.end);
                    if !entity
                        .mentions
                        .iter()
                        .any(|m| m.span.start <= span.start && span.end <= m.span.end)
                        && let Some(surface) = span.slice(text)
                    {
                        added.push(Mention {
                            span,
                            text: surface.to_string(),
                            alias: None,
                            framing: None,
                            adjective: false,
                            nominal: false,
                            used_as: None,
                        });
                    }
                }
                i += p.len();
            } else {
                i += 1;
            }
        }
        entity.mentions.extend(added);
    }
}
