//! Snippets: the stretch of an article's text with the most query words, and the byte ranges of
//! those words in it.
//!
//! A word matches when its search key is a query word's key, or its stem is a query word's stem in
//! the article's language, as in the index. Stemming is the costly part, so a word is only stemmed
//! when its key contains one of the query's stems (an affix-stripped stem is a substring of the
//! word in all but rare cases, and a missed one costs a highlight, never a hit).

use std::collections::HashSet;

use crate::Snippet;
use crate::analyzer::Group;

/// The words of a query, as keys and as stems per language group.
#[derive(Debug)]
pub(crate) struct QueryTerms {
    keys: HashSet<String>,
    /// Per group (in [`Group::ALL`] order), the query words' stems.
    stems: Vec<Vec<String>>,
}

impl QueryTerms {
    pub(crate) fn new(query: &str) -> Self {
        let words = rasad_normalize::tokenize(query);
        let keys: HashSet<String> = words.iter().map(|w| w.key.clone()).collect();
        let stems = Group::ALL
            .iter()
            .map(|g| {
                let mut s: Vec<String> = words
                    .iter()
                    .map(|w| g.stem(&w.key).unwrap_or_else(|| w.key.clone()))
                    .collect();
                s.sort_unstable();
                s.dedup();
                s
            })
            .collect();
        Self { keys, stems }
    }

    fn matches(&self, key: &str, group: Group) -> bool {
        if self.keys.contains(key) {
            return true;
        }
        let at = Group::ALL.iter().position(|g| *g == group).unwrap_or(0);
        let Some(stems) = self.stems.get(at) else {
            return false;
        };
        stems.iter().any(|s| key.contains(s.as_str()))
            && group
                .stem(key)
                .is_some_and(|stem| stems.binary_search(&stem).is_ok())
    }
}

/// The best fragment of at most `max_chars` characters: the one holding the most matched words
/// (the text's start when none matches), cut at word boundaries.
pub(crate) fn best(text: &str, group: Group, wanted: &QueryTerms, max_chars: usize) -> Snippet {
    let words = rasad_normalize::tokenize(text);
    let matched: Vec<(usize, usize)> = words
        .iter()
        .filter(|w| wanted.matches(&w.key, group))
        .map(|w| (w.span.start, w.span.end))
        .collect();
    // A window starts a little before a matched word, so the word has some context.
    let lead = max_chars / 5;
    let mut best_start = 0;
    let mut best_count = 0;
    for (i, (start, _)) in matched.iter().enumerate() {
        let window_end = advance(text, *start, max_chars - lead);
        let count = matched
            .get(i..)
            .unwrap_or_default()
            .iter()
            .take_while(|(_, end)| *end <= window_end)
            .count();
        if count > best_count {
            best_count = count;
            best_start = *start;
        }
    }
    let from = if best_count == 0 {
        0
    } else {
        word_start_before(text, &words, back(text, best_start, lead))
    };
    let to = advance(text, from, max_chars);
    // End at a word's end, unless the text ends first.
    let to = if to < text.len() {
        words
            .iter()
            .map(|w| w.span.end)
            .filter(|e| *e <= to && *e > from)
            .max()
            .unwrap_or(to)
    } else {
        to
    };
    let fragment = text.get(from..to).unwrap_or("");
    let highlights = matched
        .iter()
        .filter(|(s, e)| *s >= from && *e <= to)
        .map(|(s, e)| [s - from, e - from])
        .collect();
    Snippet {
        text: fragment.trim_end().to_string(),
        highlights,
    }
}

/// The byte offset `chars` characters after `from` (or the text's end).
fn advance(text: &str, from: usize, chars: usize) -> usize {
    text.get(from..)
        .and_then(|rest| rest.char_indices().nth(chars).map(|(i, _)| from + i))
        .unwrap_or(text.len())
}

/// The byte offset `chars` characters before `at` (or 0).
fn back(text: &str, at: usize, chars: usize) -> usize {
    text.get(..at)
        .and_then(|head| {
            head.char_indices()
                .rev()
                .nth(chars.saturating_sub(1))
                .map(|(i, _)| i)
        })
        .unwrap_or(0)
}

/// The start of the first word at or after `at`, so a fragment does not begin mid-word.
fn word_start_before(text: &str, words: &[rasad_normalize::Token], at: usize) -> usize {
    if at == 0 {
        return 0;
    }
    words
        .iter()
        .map(|w| w.span.start)
        .find(|s| *s >= at)
        .unwrap_or(at)
        .min(text.len())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn marks_keys_and_stems_in_the_densest_window() {
        let text = format!(
            "{} Albania said the attacks were Iranian. {}",
            "Filler words here. ".repeat(30),
            "More filler. ".repeat(30)
        );
        let s = best(&text, Group::En, &QueryTerms::new("attack albania"), 120);
        let marked: Vec<&str> = s
            .highlights
            .iter()
            .map(|[a, b]| s.text.get(*a..*b).unwrap())
            .collect();
        assert_eq!(marked, vec!["Albania", "attacks"]);
        assert!(s.text.chars().count() <= 120);
    }

    #[test]
    fn no_match_gives_the_start() {
        let s = best(
            "Une phrase sans rapport.",
            Group::Other,
            &QueryTerms::new("nato"),
            10,
        );
        assert!(s.highlights.is_empty());
        assert!(s.text.starts_with("Une"));
    }

    proptest::proptest! {
        #[test]
        fn fragments_and_highlights_are_on_char_boundaries(text in "\\PC{0,300}", q in "\\PC{0,12}", max in 1usize..200) {
            let s = best(&text, Group::Ar, &QueryTerms::new(&q), max);
            proptest::prop_assert!(text.contains(&s.text));
            for [a, b] in &s.highlights {
                proptest::prop_assert!(s.text.get(*a..*b).is_some());
            }
        }
    }
}
