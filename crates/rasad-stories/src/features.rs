//! What an article is about, as weighted terms: its words (within its language) and the terms every
//! language shares (canonical entities, concepts, event signatures, incident receivers, numbers, days,
//! Latin names).

use std::collections::HashMap;

use rasad_model::{Analysis, DateRole, EntityKind, Granularity, Lang};

use crate::concepts::Concepts;

/// A term's hash: FNV-1a 64, stable across runs and builds (story ids and the index depend on it).
#[must_use]
pub fn hash(parts: &[&str]) -> u64 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for (i, part) in parts.iter().enumerate() {
        if i > 0 {
            h ^= 0x1f;
            h = h.wrapping_mul(0x0100_0000_01b3);
        }
        for b in part.bytes() {
            h ^= u64::from(b);
            h = h.wrapping_mul(0x0100_0000_01b3);
        }
    }
    h
}

/// Raw term counts of one article.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Terms {
    /// Word stems, keyed with the language: they only compare within a language.
    pub words: HashMap<u64, f32>,
    /// Terms all languages share: entities, concepts, event signatures, receivers, numbers, days.
    pub shared: HashMap<u64, f32>,
    /// Capitalised Latin words: shared by texts in Latin script, but never met in Arabic script, so
    /// they count in comparisons within a language and not across.
    pub names: HashMap<u64, f32>,
}

/// Weight of one entity mention, event signature or incident receiver against one word.
const ENTITY_WEIGHT: f32 = 1.0;
const EVENT_WEIGHT: f32 = 2.0;
/// Weight of one mention of a concept (`data/stories/concepts.tsv`).
const CONCEPT_WEIGHT: f32 = 1.0;
/// Weight of one mention of a resolved day.
const DATE_WEIGHT: f32 = 1.0;
/// Words shorter than this (in characters) are mostly function words.
const MIN_WORD_CHARS: usize = 3;

/// The stem a word is counted under: English by Snowball, Arabic and Persian with proclitics set
/// aside (the shortest form of at least three letters that the key ends with).
fn stem(key: &str, lang: Lang) -> String {
    let forms = rasad_normalize::candidates(key, lang);
    match lang {
        Lang::En => forms.last().cloned().unwrap_or_else(|| key.to_string()),
        _ => forms
            .into_iter()
            .filter(|f| key.ends_with(f.as_str()) && f.chars().count() >= MIN_WORD_CHARS)
            .min_by_key(|f| f.len())
            .unwrap_or_else(|| key.to_string()),
    }
}

/// The terms of an article: its title counts twice.
#[must_use]
pub fn terms(lang: Lang, title: Option<&str>, text: &str, analysis: &Analysis) -> Terms {
    let mut t = Terms::default();
    let lang_code = lang.code();
    let concepts = Concepts::builtin();
    for (body, times) in [(title.unwrap_or(""), 2.0_f32), (text, 1.0)] {
        let tokens = rasad_normalize::shared_tokens(body);
        for c in concepts.find(body, &tokens, lang) {
            *t.shared.entry(hash(&["c", c])).or_default() += times * CONCEPT_WEIGHT;
        }
        for token in tokens.iter() {
            let key = token.key.as_str();
            if key.chars().all(|c| c.is_ascii_digit()) {
                // Numbers other than years and one-digit counts carry across languages (3000, 24).
                if key.len() >= 2 {
                    *t.shared.entry(hash(&["n", key])).or_default() += times;
                }
                continue;
            }
            if key.chars().count() < MIN_WORD_CHARS {
                continue;
            }
            let original = body.get(token.span.start..token.span.end).unwrap_or("");
            // A capitalised Latin word is a name all languages write alike (in English text too: names
            // tell two affairs of one kind apart, "Tara Reid" from "Lindsay Lohan").
            if original.chars().next().is_some_and(char::is_uppercase) {
                *t.names.entry(hash(&["l", key])).or_default() += times;
            }
            let s = stem(key, lang);
            *t.words.entry(hash(&["w", lang_code, &s])).or_default() += times;
        }
    }
    for e in &analysis.entities {
        if matches!(e.kind, EntityKind::NewsOutlet) {
            continue;
        }
        // A capital counts for its state as well as itself ("طهران" is Iran in this news).
        let n = e.mentions.len() as f32 * ENTITY_WEIGHT;
        *t.shared.entry(hash(&["e", &e.id])).or_default() += n;
        if let Some(state) = e.capital_of() {
            *t.shared.entry(hash(&["e", &state])).or_default() += n;
        }
    }
    for ev in &analysis.events {
        for s in ev
            .sources
            .iter()
            .map(String::as_str)
            .chain(ev.sources.is_empty().then_some(""))
        {
            for tg in ev
                .targets
                .iter()
                .map(String::as_str)
                .chain(ev.targets.is_empty().then_some(""))
            {
                *t.shared.entry(hash(&["v", &ev.event_type, s, tg])).or_default() += EVENT_WEIGHT;
            }
        }
    }
    // The days the text talks about, resolved to the Gregorian calendar whatever calendar it wrote
    // them in: the day of an attack is the same in a Persian and an English report.
    for d in &analysis.dates {
        if d.role != DateRole::Mention {
            continue;
        }
        let Some(value) = d.value.as_deref() else { continue };
        // The year and month count too: "the July attack", "in 2012" tell two incidents apart
        // that a day never names.
        let parts: &[(&str, usize)] = match d.granularity {
            Granularity::Day | Granularity::Time => &[("d", 10), ("m", 7), ("y", 4)],
            Granularity::Month | Granularity::Week => &[("m", 7), ("y", 4)],
            Granularity::Year => &[("y", 4)],
        };
        for (kind, len) in parts {
            if let Some(prefix) = value.get(..*len) {
                *t.shared.entry(hash(&[kind, prefix])).or_default() += DATE_WEIGHT;
            }
        }
    }
    for inc in &analysis.incidents {
        for r in &inc.receivers {
            *t.shared.entry(hash(&["r", r])).or_default() += EVENT_WEIGHT;
        }
    }
    t
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hashes_are_stable() {
        assert_eq!(hash(&["w", "en", "attack"]), hash(&["w", "en", "attack"]));
        assert_ne!(hash(&["w", "en"]), hash(&["wen"]));
    }

    #[test]
    fn words_stay_in_their_language_and_numbers_cross() {
        let a = terms(Lang::Ar, None, "استقبلت ألبانيا 3000 عضو", &Analysis::default());
        let f = terms(Lang::Fa, None, "آلبانی 3000 عضو را پذیرفت", &Analysis::default());
        assert!(a.words.keys().all(|k| !f.words.contains_key(k)));
        assert!(a.shared.keys().any(|k| f.shared.contains_key(k)));
    }
}
