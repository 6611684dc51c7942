//! Words as the pattern matchers see them: one unit per word of a token's search key (a Persian
//! token joined by ZWNJ, "می‌کنند", gives two units, so "می کنند" and "می‌کنند" read alike), each
//! with the forms its language's clitics and affixes reach.

use std::ops::Range;

use rasad_model::{Lang, Span};
use rasad_normalize::{Token, search_key, tokenize};

use crate::quotes::sentences;

/// A text read once for the event and incident coders: its words and sentences.
#[derive(Debug)]
pub struct Prepared<'t> {
    pub text: &'t str,
    pub lang: Lang,
    pub units: Vec<Unit>,
    pub sentences: Vec<Span>,
}

impl<'t> Prepared<'t> {
    #[must_use]
    pub fn new(text: &'t str, lang: Lang) -> Self {
        Self {
            text,
            lang,
            units: units(&tokenize(text), lang),
            sentences: sentences(text),
        }
    }

    /// The first unit that starts at or after a byte offset.
    #[must_use]
    pub fn unit_at(&self, offset: usize) -> usize {
        self.units.partition_point(|u| u.span.start < offset)
    }
}

/// One word of the text.
#[derive(Debug, Clone)]
pub struct Unit {
    /// The token this word is part of.
    pub token: usize,
    pub span: Span,
    pub key: String,
    /// The key and the forms its clitics and affixes reach.
    pub forms: Vec<String>,
    /// The forms that only set clitics aside before the word (the key's own endings), the ones a
    /// pattern word may match; worked out once here, since every pattern tries every unit.
    pub clitic_forms: Vec<String>,
}

/// The units of `tokens`. Persian "میکند" written without its joiner is read as "می کند" (a word
/// such as "میدان" splits too, harmlessly: units are only matched against patterns).
#[must_use]
pub fn units(tokens: &[Token], lang: Lang) -> Vec<Unit> {
    let mut out = Vec::with_capacity(tokens.len());
    for (i, t) in tokens.iter().enumerate() {
        for word in t.key.split(' ').filter(|w| !w.is_empty()) {
            let split = (lang == Lang::Fa)
                .then(|| word.strip_prefix("مي"))
                .flatten()
                .filter(|rest| rest.chars().count() >= 3);
            match split {
                Some(rest) => {
                    out.push(unit(i, t, "مي", lang));
                    out.push(unit(i, t, rest, lang));
                }
                None => out.push(unit(i, t, word, lang)),
            }
        }
    }
    out
}

fn unit(index: usize, token: &Token, word: &str, lang: Lang) -> Unit {
    let probe = Token {
        span: token.span,
        key: word.to_string(),
    };
    let forms = rasad_entities::phrases::token_forms(&probe, lang);
    let clitic_forms = forms
        .iter()
        .filter(|f| word.ends_with(f.as_str()))
        .cloned()
        .collect();
    Unit {
        token: index,
        span: token.span,
        key: word.to_string(),
        forms,
        clitic_forms,
    }
}

/// A word of a pattern: a search key, or its beginning when written `word*`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Lit {
    pub key: String,
    pub prefix: bool,
}

impl Lit {
    /// Parses one word of a pattern file.
    #[must_use]
    pub fn parse(word: &str) -> Option<Self> {
        let (body, prefix) = match word.strip_suffix('*') {
            Some(body) => (body, true),
            None => (word, false),
        };
        let key = search_key(body).text.replace(' ', "");
        (!key.is_empty()).then_some(Self { key, prefix })
    }

    /// Whether the unit is this word, with its proclitics set aside: `Some(false)` if it is,
    /// `Some(true)` if it is its Persian negative ("نکرد" for "کرد"), `None` if it is not.
    #[must_use]
    pub fn matches(&self, unit: &Unit, lang: Lang) -> Option<bool> {
        // Only forms that set clitics aside before the word ("وقطعت" → "قطعت"); a suffix cut off
        // would turn nouns into verbs ("إدانة" → "ادان").
        if unit.clitic_forms.iter().any(|f| self.matches_form(f)) {
            return Some(false);
        }
        if lang == Lang::Fa
            && let Some(rest) = unit.key.strip_prefix('ن')
            && rest.chars().count() >= 2
            && self.matches_form(rest)
        {
            return Some(true);
        }
        None
    }

    fn matches_form(&self, form: &str) -> bool {
        if self.prefix {
            form.starts_with(&self.key)
        } else {
            form == self.key
        }
    }
}

/// Where a run of pattern words matches among `units[range]`, as unit ranges `[start, end)`.
#[must_use]
pub fn find_runs(words: &[Lit], units: &[Unit], lang: Lang, range: Range<usize>) -> Vec<(usize, usize)> {
    let n = words.len();
    if n == 0 {
        return Vec::new();
    }
    let end = range.end.min(units.len());
    (range.start..end.saturating_sub(n - 1))
        .filter(|&start| {
            words.iter().enumerate().all(|(k, w)| {
                units
                    .get(start + k)
                    .is_some_and(|u| w.matches(u, lang) == Some(false))
            })
        })
        .map(|start| (start, start + n))
        .collect()
}

/// Parses a phrase of pattern words.
#[must_use]
pub fn parse_phrase(phrase: &str) -> Vec<Lit> {
    phrase.split_whitespace().filter_map(Lit::parse).collect()
}

/// The language column of a data file.
#[must_use]
pub fn parse_lang(code: &str) -> Option<Lang> {
    match code {
        "ar" => Some(Lang::Ar),
        "fa" => Some(Lang::Fa),
        "en" => Some(Lang::En),
        _ => None,
    }
}

/// The rows of a tab-separated data file: comment and blank lines skipped, fields trimmed.
pub fn rows(data: &str) -> impl Iterator<Item = Vec<&str>> {
    data.lines()
        .filter(|l| !l.starts_with('#') && !l.trim().is_empty())
        .map(|l| l.split('\t').map(str::trim).collect())
}

#[cfg(test)]
mod tests {
    use super::*;
    use rasad_normalize::tokenize;

    fn keys(text: &str, lang: Lang) -> Vec<String> {
        units(&tokenize(text), lang).into_iter().map(|u| u.key).collect()
    }

    #[test]
    fn persian_verbs_read_alike_with_joiner_space_or_nothing() {
        let a = keys("محکوم می‌کند", Lang::Fa);
        assert_eq!(a, keys("محکوم می کند", Lang::Fa));
        assert_eq!(a, keys("محکوم میکند", Lang::Fa));
        assert_eq!(a.len(), 3);
    }

    #[test]
    fn literals_match_clitic_forms_prefixes_and_persian_negatives() {
        let u = units(&tokenize("وقطعت"), Lang::Ar);
        let lit = Lit::parse("قطع*").unwrap();
        assert_eq!(lit.matches(&u[0], Lang::Ar), Some(false));
        assert_eq!(Lit::parse("قطعت").unwrap().matches(&u[0], Lang::Ar), Some(false));
        assert_eq!(Lit::parse("نفت").unwrap().matches(&u[0], Lang::Ar), None);
        let neg = units(&tokenize("نکرد"), Lang::Fa);
        assert_eq!(Lit::parse("کرد*").unwrap().matches(&neg[0], Lang::Fa), Some(true));
    }
}
