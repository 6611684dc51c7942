//! English names by capitalisation and word lists: the English side of the name tagger.
//!
//! English writes names with capitals, so a small model goes far: a run of capitalised words
//! (with "of", "the", "de" … inside after a head word) is a name unless it is only a sentence's
//! first word that is a common word or written in lower case elsewhere in the text. Its class
//! comes from the catalog's hint when there is one, else from its words (`… Ministry` an
//! organisation, `… Province` a place), a title before it (a person), a preposition of place
//! before a lone word (a place), two to four words with a person's evidence around them (a speech
//! verb, an apposition, the last word standing alone elsewhere), or a surname already seen as a
//! person in the text; products and acronyms get no class without a cue. The word lists are
//! `data/entities/en-capitals.tsv`.

use std::collections::HashSet;
use std::sync::OnceLock;

use rasad_model::Span;
use rasad_normalize::Token;

use super::{Hint, NameClass, NameTagger, Tagged, data_lines};
use crate::EntityError;

const FILE: &str = "data/entities/en-capitals.tsv";

/// Lower-case words that may sit inside a name between capitalised words.
const CONNECTORS: [&str; 11] = [
    "of", "the", "for", "de", "del", "da", "al", "bin", "van", "von", "la",
];

/// The English tagger and its word lists.
#[derive(Debug, Default)]
pub struct CapitalNames {
    common: rustc_hash::FxHashSet<String>,
    titles: rustc_hash::FxHashSet<String>,
    org: rustc_hash::FxHashSet<String>,
    loc: rustc_hash::FxHashSet<String>,
    at: rustc_hash::FxHashSet<String>,
    other: rustc_hash::FxHashSet<String>,
    speech: rustc_hash::FxHashSet<String>,
}

impl CapitalNames {
    /// Reads the word lists (`kind<TAB>word`).
    ///
    /// # Errors
    /// On a line without two columns or with an unknown kind.
    pub fn parse(text: &str) -> Result<Self, EntityError> {
        let mut names = Self::default();
        for (line, row) in data_lines(text, FILE) {
            let mut cols = row.split('\t');
            let (Some(kind), Some(word), None) = (cols.next(), cols.next(), cols.next()) else {
                return Err(line.error("expected kind<TAB>word"));
            };
            let set = match kind {
                "common" => &mut names.common,
                "title" => &mut names.titles,
                "org" => &mut names.org,
                "loc" => &mut names.loc,
                "at" => &mut names.at,
                "other" => &mut names.other,
                "speech" => &mut names.speech,
                _ => return Err(line.error("kind is one of common, title, org, loc, at, other, speech")),
            };
            set.insert(word.trim().to_lowercase());
        }
        Ok(names)
    }

    /// The shipped word lists, parsed once.
    #[must_use]
    pub fn builtin() -> &'static Self {
        static BUILTIN: OnceLock<CapitalNames> = OnceLock::new();
        // A malformed shipped file is caught by a test; at run time it only means no English names.
        BUILTIN.get_or_init(|| {
            Self::parse(include_str!("../../../../data/entities/en-capitals.tsv")).unwrap_or_default()
        })
    }
}

/// The class the catalog's hints give words `start..end`, if any.
fn hinted_class(hints: &[Hint], start: usize, end: usize) -> Option<NameClass> {
    hints
        .get(start..end)
        .unwrap_or_default()
        .iter()
        .find_map(|h| match h {
            Hint::Begin(c) | Hint::Inside(c) => Some(*c),
            Hint::None | Hint::Adjective => None,
        })
}

/// A capital after the first letters (not in Mc-, Mac-, O'-, De-, La-, Le-, Di-, Da-, Van-, Von-,
/// Du- names), a digit, or a contraction.
fn odd_shape(word: &str) -> bool {
    if word.chars().any(|c| c.is_ascii_digit()) || word.contains("n't") || word.contains("n’t") {
        return true;
    }
    let lower = word.to_lowercase();
    // Where a second capital may stand after a name's prefix (McCain, MacArthur, DeGeneres, LaRue).
    let after_prefix = ["mac", "mc", "de", "la", "le", "di", "da", "van", "von", "du"]
        .iter()
        .find(|p| lower.starts_with(**p))
        .map(|p| p.chars().count());
    let mut previous_lower = false;
    for (n, c) in word.chars().enumerate() {
        if c.is_uppercase() && previous_lower && Some(n) != after_prefix {
            return true;
        }
        previous_lower = c.is_lowercase();
    }
    false
}

impl CapitalNames {
    /// Whether the words around a run of two to four capitalised words say it is a person: a
    /// speech verb within two words ("… said", "said …", "according to …"), an apposition after a
    /// comma ("Omar Lamrani, a senior analyst"; "…, 43,"; "…, who"), or its last word standing alone
    /// elsewhere in the text (the surname of later mentions). Without one, a capitalised pair is as
    /// often a product, a heading or a dish as a person.
    fn person_evidence(&self, words: &[Word<'_>], start: usize, end: usize, alone: &HashSet<&str>) -> bool {
        let near = start.saturating_sub(2)..end + 2;
        let speech = near
            .filter(|k| *k < start || *k >= end)
            .filter_map(|k| words.get(k))
            .any(|w| self.speech.contains(&w.lower));
        let apposition = words.get(end).is_some_and(|w| {
            !w.joined
                && !w.opens
                && (matches!(w.lower.as_str(), "a" | "an" | "the" | "who" | "whose")
                    || w.text.chars().all(|c| c.is_ascii_digit())
                    || self.titles.contains(&w.lower))
        });
        let surname = end > start + 1 && words.get(end - 1).is_some_and(|w| alone.contains(w.text));
        speech || apposition || surname
    }

    /// Whether a run may go on across "of", "the", "de" …: when it holds a head word ("Bank of
    /// America", "Gulf of Aden", "Prince of Wales"), not after a person's name ("Craig Menear of
    /// Tocqueville …").
    fn takes_connector(&self, run: &[Word<'_>]) -> bool {
        run.iter()
            .skip_while(|w| self.titles.contains(&w.lower))
            .any(|w| {
                [&self.org, &self.loc, &self.titles, &self.other]
                    .iter()
                    .any(|set| set.contains(&w.lower))
            })
    }

    /// Whether the capitalised word at `end` is an ordinary word of a title-case heading ("Lindsay
    /// Lohan Checks …"): the text writes it in lower case elsewhere, it follows two or more words
    /// of the run, and neither it nor the run so far holds an organisation's or a place's head word
    /// ("… Ministry of Foreign Affairs" stays whole).
    fn heading_word(&self, words: &[Word<'_>], start: usize, end: usize, lowercase: &HashSet<&str>) -> bool {
        let Some(w) = words.get(end) else { return false };
        let heads = |w: &Word<'_>| self.org.contains(&w.lower) || self.loc.contains(&w.lower);
        end >= start + 2
            && lowercase.contains(w.lower.as_str())
            && !heads(w)
            && !words.get(start..end).unwrap_or_default().iter().any(heads)
    }
}

/// A word as the rules see it.
struct Word<'t> {
    text: &'t str,
    lower: String,
    /// Starts with a capital letter.
    capital: bool,
    /// Capitals only, two or more (NATO, TIME TRAVELLER).
    caps: bool,
    /// A shape people's names do not have: a capital inside the word after its first letters
    /// (MacBook and McCain aside), a digit, or a contraction (iPhone, A10, Shouldn't).
    odd: bool,
    /// Nothing but a space between it and the word before (or a hyphen, or the full stop of an
    /// initial): a name may go on across the gap.
    joined: bool,
    /// First word of a sentence, a heading or a quotation.
    opens: bool,
}

impl NameTagger for CapitalNames {
    fn tag(&self, text: &str, tokens: &[Token], hints: &[Hint]) -> Vec<Tagged> {
        let words: Vec<Word<'_>> = tokens
            .iter()
            .enumerate()
            .map(|(i, t)| {
                let word = t.span.slice(text).unwrap_or_default();
                let word = word
                    .strip_suffix("'s")
                    .or_else(|| word.strip_suffix("’s"))
                    .unwrap_or(word);
                let prev = i.checked_sub(1).and_then(|p| tokens.get(p));
                let between = match prev {
                    Some(prev) => text.get(prev.span.end..t.span.start).unwrap_or_default(),
                    None => ".",
                };
                let initial = prev
                    .and_then(|p| p.span.slice(text))
                    .is_some_and(|p| p.chars().count() == 1 && p.chars().all(char::is_uppercase));
                Word {
                    text: word,
                    lower: word.to_lowercase(),
                    capital: word.chars().next().is_some_and(char::is_uppercase),
                    caps: word.chars().filter(|c| c.is_alphabetic()).count() >= 2
                        && word.chars().all(|c| !c.is_alphabetic() || c.is_uppercase()),
                    odd: odd_shape(word),
                    opens: between.contains(['.', '!', '?', ':', '"', '“', '\n', '(', '-', '–', '—'])
                        || between.contains("''")
                        || between.contains("``"),
                    joined: between.chars().all(|c| c == ' ' || c == '\u{a0}')
                        || matches!(between, "-" | "‐")
                        || (initial && matches!(between, "." | ". ")),
                }
            })
            .collect();
        // Words written in lower case somewhere in the text are common words, whatever their case
        // at a sentence's start.
        let lowercase: HashSet<&str> = words
            .iter()
            .filter(|w| w.text.chars().next().is_some_and(char::is_lowercase))
            .map(|w| w.text)
            .collect();
        // Capitalised words that also stand alone somewhere (a surname after the full name).
        let alone: HashSet<&str> = words
            .iter()
            .enumerate()
            .filter(|(k, w)| {
                let capital_next = words.get(k + 1).is_some_and(|n| n.capital && n.joined);
                let capital_before = w.joined
                    && k.checked_sub(1)
                        .and_then(|p| words.get(p))
                        .is_some_and(|p| p.capital);
                w.capital && !capital_next && !capital_before
            })
            .map(|(_, w)| w.text)
            .collect();
        let common = |w: &Word<'_>| self.common.contains(&w.lower) || lowercase.contains(w.lower.as_str());

        let mut out: Vec<Tagged> = Vec::new();
        let mut persons: HashSet<String> = HashSet::new();
        let mut i = 0;
        while i < words.len() {
            let Some(first) = words.get(i) else { break };
            if !first.capital {
                i += 1;
                continue;
            }
            // The run: capitalised words, connectors only between two of them.
            let mut end = i + 1;
            while let Some(w) = words.get(end) {
                if !w.joined || w.lower.contains("n't") || w.lower.contains("n’t") {
                    break;
                }
                // A capitalised function word ("Checks Into Rehab" in a title-case heading) ends
                // the run; a connector may continue it.
                if w.capital
                    && !self.common.contains(&w.lower)
                    && !self.heading_word(&words, i, end, &lowercase)
                {
                    end += 1;
                } else if CONNECTORS.contains(&w.lower.as_str())
                    && words.get(end + 1).is_some_and(|n| n.capital && n.joined)
                    && self.takes_connector(words.get(i..end).unwrap_or_default())
                {
                    end += 2;
                } else {
                    break;
                }
            }
            let mut start = i;
            i = end;
            // A title opens the run: the name follows it.
            let mut titled = false;
            while let Some(w) = words.get(start) {
                if start + 1 < end && self.titles.contains(&w.lower) {
                    titled = true;
                    start += 1;
                } else {
                    break;
                }
            }
            // A function word never opens a name, nor does a sentence's first word that the text
            // writes in lower case elsewhere.
            while let Some(w) = words.get(start) {
                if start < end && (self.common.contains(&w.lower) || ((w.opens || start == 0) && common(w))) {
                    start += 1;
                } else {
                    break;
                }
            }
            if start >= end {
                continue;
            }
            let run = words.get(start..end).unwrap_or_default();
            if run.iter().all(|w| {
                self.common.contains(&w.lower) || self.titles.contains(&w.lower) || w.text.chars().count() < 2
            }) {
                continue;
            }
            // Laws, prizes, events and the like are names, but of none of the three classes.
            let next = words.get(end).filter(|w| w.capital && w.joined);
            if run.last().is_some_and(|w| self.other.contains(&w.lower))
                || next.is_some_and(|w| self.other.contains(&w.lower))
            {
                continue;
            }
            let hinted = hinted_class(hints, start, end);
            // Capitals only over several words is a shouted heading, not a name.
            if run.len() >= 2 && run.iter().all(|w| w.caps) && hinted.is_none() {
                continue;
            }
            let before = start.checked_sub(1).and_then(|p| words.get(p));
            if hints
                .get(start..end)
                .unwrap_or_default()
                .iter()
                .all(|h| *h == Hint::Adjective)
            {
                continue;
            }
            let has = |set: &rustc_hash::FxHashSet<String>| run.iter().any(|w| set.contains(&w.lower));
            let class = if let Some(c) = hinted {
                Some(c)
            } else if has(&self.org) {
                Some(NameClass::Organization)
            } else if has(&self.loc) {
                Some(NameClass::Location)
            } else if run.iter().any(|w| w.odd || w.caps) {
                // Products and acronyms (iPhone, A10 Fusion, HDMI): no class without a cue.
                None
            } else if titled || before.is_some_and(|b| self.titles.contains(&b.lower)) {
                Some(NameClass::Person)
            } else if run.len() == 1 && before.is_some_and(|b| self.at.contains(&b.lower)) {
                Some(NameClass::Location)
            } else if ((2..=4).contains(&run.len())
                && run.iter().all(|w| w.capital)
                && self.person_evidence(&words, start, end, &alone))
                // A surname of a person named before in the text.
                || (run.len() == 1 && run.iter().all(|w| persons.contains(&w.lower)))
            {
                Some(NameClass::Person)
            } else {
                None
            };
            let Some(class) = class else { continue };
            if class == NameClass::Person
                && let Some(last) = run.last()
            {
                persons.insert(last.lower.clone());
            }
            if let (Some(a), Some(b)) = (tokens.get(start), tokens.get(end - 1)) {
                let last = run.last().map_or(0, |w| w.text.len());
                out.push(Tagged {
                    tokens: (start, end),
                    span: Span::new(a.span.start, b.span.start + last),
                    class,
                    conjunction: false,
                });
            }
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use rasad_normalize::tokenize;

    use super::*;

    fn names(text: &str) -> Vec<(String, NameClass)> {
        let tokens = tokenize(text);
        let hints = vec![Hint::None; tokens.len()];
        CapitalNames::builtin()
            .tag(text, &tokens, &hints)
            .into_iter()
            .map(|t| (t.span.slice(text).unwrap_or_default().to_string(), t.class))
            .collect()
    }

    #[test]
    fn shipped_lists_parse() {
        let parsed = CapitalNames::parse(include_str!("../../../../data/entities/en-capitals.tsv")).unwrap();
        assert!(
            parsed.common.contains("the")
                && parsed.org.contains("ministry")
                && parsed.titles.contains("president")
        );
        assert!(CapitalNames::parse("colour\tred\n").is_err());
        assert!(CapitalNames::parse("common\n").is_err());
    }

    #[test]
    fn runs_of_capitals_are_named_by_their_words() {
        let found = names(
            "Perennial party girl Tara Reid checked herself into Promises Treatment Center, her rep told People. \
             Reid was seen in Malibu. The Albanian Ministry of Foreign Affairs summoned the envoy, and President Bajram Begaj spoke.",
        );
        assert!(
            found.contains(&("Tara Reid".into(), NameClass::Person)),
            "{found:?}"
        );
        assert!(
            found.contains(&("Promises Treatment Center".into(), NameClass::Organization)),
            "{found:?}"
        );
        assert!(found.contains(&("Reid".into(), NameClass::Person)), "{found:?}");
        assert!(
            found.contains(&("Malibu".into(), NameClass::Location)),
            "{found:?}"
        );
        assert!(
            found.contains(&(
                "Albanian Ministry of Foreign Affairs".into(),
                NameClass::Organization
            )),
            "{found:?}"
        );
        assert!(
            found.contains(&("Bajram Begaj".into(), NameClass::Person)),
            "{found:?}"
        );
        assert!(
            !found.iter().any(|(n, _)| n == "The" || n.starts_with("The ")),
            "{found:?}"
        );
    }

    #[test]
    fn sentence_openers_and_lone_unknown_words_are_not_names() {
        let found = names("Yesterday the attack hit. When it ended, Monday came. Officials said so.");
        assert!(found.is_empty(), "{found:?}");
        // An acronym or a product has no class without a cue; a comma ends a name.
        let found = names("officials at HDMI and the iPhone 11 met Gaiman, Walton said");
        assert!(found.is_empty(), "{found:?}");
        let found = names(
            "Foreign Secretary Dominic Raab met CEO Craig Menear of Tocqueville Asset Management in Central Massachusetts.",
        );
        assert!(
            found.contains(&("Dominic Raab".into(), NameClass::Person)),
            "{found:?}"
        );
        assert!(
            found.contains(&("Craig Menear".into(), NameClass::Person)),
            "{found:?}"
        );
        assert!(
            found.contains(&("Tocqueville Asset Management".into(), NameClass::Organization)),
            "{found:?}"
        );
        assert!(
            found.contains(&("Central Massachusetts".into(), NameClass::Location)),
            "{found:?}"
        );
    }

    #[test]
    fn hints_give_the_class() {
        let text = "officials from Iran met";
        let tokens = tokenize(text);
        let mut hints = vec![Hint::None; tokens.len()];
        hints[2] = Hint::Begin(NameClass::Location);
        let found = CapitalNames::builtin().tag(text, &tokens, &hints);
        assert_eq!(found.len(), 1);
        assert_eq!(found[0].class, NameClass::Location);
    }
}
