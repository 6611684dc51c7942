//! Words as the pattern matchers see them: one unit per word of a token's search key (a Persian
//! token joined by ZWNJ, "می‌کنند", gives two units, so "می کنند" and "می‌کنند" read alike), each
//! with the forms its language's clitics and affixes reach.

use std::cell::RefCell;
use std::ops::{Deref, Range};
use std::rc::Rc;

use rustc_hash::FxHashMap;

use rasad_model::{Lang, Span};
use rasad_normalize::{Token, search_key, shared_tokens};

use crate::quotes::sentences;

/// A text read once for the event and incident coders: its words and sentences.
#[derive(Debug)]
pub struct Prepared<'t> {
    pub text: &'t str,
    pub lang: Lang,
    pub units: Units,
    pub sentences: Vec<Span>,
}

impl<'t> Prepared<'t> {
    #[must_use]
    pub fn new(text: &'t str, lang: Lang) -> Self {
        Self {
            text,
            lang,
            units: units(&shared_tokens(text), lang),
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
    pub forms: Rc<[String]>,
    /// The forms that only set clitics aside before the word (the key's own endings), the ones a
    /// pattern word may match; [`Units`] sorts them once per article.
    pub clitic_forms: Vec<String>,
}

/// The units of a text, with their forms sorted so that a pattern word finds the units it matches
/// by binary search instead of trying every unit (thousands of pattern words per article).
#[derive(Debug, Default)]
pub struct Units {
    list: Vec<Unit>,
    /// Every (unit, form) pair, sorted by the form: `form` indexes the unit's `clitic_forms`, or is
    /// [`NEGATIVE`] for a Persian word read without its negative prefix.
    by_form: Vec<(u32, u16)>,
    /// What each pattern word matched, by its id, once asked: the patterns of every sentence ask
    /// again for the same words. Persian negatives counted, and not.
    matched: RefCell<Vec<[Matched; 2]>>,
}

/// The units a pattern word matched, once asked.
type Matched = Option<Rc<[usize]>>;

/// The `by_form` entry of a Persian word read without its negative "ن".
const NEGATIVE: u16 = u16::MAX;

impl Deref for Units {
    type Target = [Unit];

    fn deref(&self) -> &[Unit] {
        &self.list
    }
}

impl<'a> IntoIterator for &'a Units {
    type Item = &'a Unit;
    type IntoIter = std::slice::Iter<'a, Unit>;

    fn into_iter(self) -> Self::IntoIter {
        self.list.iter()
    }
}

impl Units {
    /// Indexes `list` for the pattern words of `lang`.
    #[must_use]
    pub fn new(list: Vec<Unit>, lang: Lang) -> Self {
        let mut by_form = Vec::new();
        for (u, unit) in list.iter().enumerate() {
            let Ok(u) = u32::try_from(u) else { break };
            for f in 0..unit.clitic_forms.len().min(usize::from(NEGATIVE)) {
                by_form.push((u, f as u16));
            }
            if negative_rest(unit, lang).is_some() {
                by_form.push((u, NEGATIVE));
            }
        }
        let mut units = Self {
            list,
            by_form,
            matched: RefCell::default(),
        };
        let mut by_form = std::mem::take(&mut units.by_form);
        by_form.sort_unstable_by(|a, b| units.form(*a).cmp(units.form(*b)).then(a.cmp(b)));
        units.by_form = by_form;
        units
    }

    fn form(&self, (u, f): (u32, u16)) -> &str {
        let Some(unit) = self.list.get(u as usize) else {
            return "";
        };
        if f == NEGATIVE {
            return unit.key.get('ن'.len_utf8()..).unwrap_or_default();
        }
        unit.clitic_forms.get(usize::from(f)).map_or("", String::as_str)
    }

    /// The units `lit` matches ([`Lit::matches`] is `Some`), in text order; `negatives` says whether
    /// Persian negatives count.
    fn matching(&self, lit: &Lit, negatives: bool) -> Rc<[usize]> {
        let (id, kind) = (lit.id as usize, usize::from(negatives));
        let known = self
            .matched
            .borrow()
            .get(id)
            .and_then(|m| m.get(kind))
            .cloned()
            .flatten();
        if let Some(units) = known {
            return units;
        }
        let units: Rc<[usize]> = self.search(lit, negatives).into();
        let mut matched = self.matched.borrow_mut();
        if matched.len() <= id {
            matched.resize(id + 1, [None, None]);
        }
        if let Some(slot) = matched.get_mut(id).and_then(|m| m.get_mut(kind)) {
            *slot = Some(Rc::clone(&units));
        }
        units
    }

    /// [`Units::matching`] by binary search over the sorted forms.
    fn search(&self, lit: &Lit, negatives: bool) -> Vec<usize> {
        let key = lit.key.as_str();
        let first = self.by_form.partition_point(|e| self.form(*e) < key);
        let mut out: Vec<usize> = self
            .by_form
            .get(first..)
            .unwrap_or_default()
            .iter()
            .map(|e| (*e, self.form(*e)))
            .take_while(|(_, form)| form.starts_with(key))
            .filter(|((_, f), form)| (negatives || *f != NEGATIVE) && (lit.prefix || *form == key))
            .map(|((u, _), _)| u as usize)
            .collect();
        out.sort_unstable();
        out.dedup();
        out
    }

    /// The units among `range` that `lit` matches itself (not as a Persian negative), in text
    /// order: where a pattern starting with `lit` may start.
    #[must_use]
    pub fn starts(&self, lit: &Lit, range: Range<usize>) -> Vec<usize> {
        let all = self.matching(lit, false);
        let from = all.partition_point(|u| *u < range.start);
        let to = all.partition_point(|u| *u < range.end).max(from);
        all.get(from..to).unwrap_or_default().to_vec()
    }

    /// The units `lit` matches, itself or as its Persian negative, in text order.
    #[must_use]
    pub fn anchors(&self, lit: &Lit) -> Vec<usize> {
        self.matching(lit, true).to_vec()
    }
}

/// A Persian word without its negative prefix ("نکرد" → "کرد"), when it could be one.
fn negative_rest(unit: &Unit, lang: Lang) -> Option<&str> {
    let rest = unit.key.strip_prefix('ن').filter(|_| lang == Lang::Fa)?;
    (rest.chars().count() >= 2).then_some(rest)
}

/// The units of `tokens`. Persian "میکند" written without its joiner is read as "می کند" (a word
/// such as "میدان" splits too, harmlessly: units are only matched against patterns).
#[must_use]
pub fn units(tokens: &[Token], lang: Lang) -> Units {
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
    Units::new(out, lang)
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
    /// The same for every `Lit` of the same key and kind: where an article's units keep what the
    /// word matched ([`Units`]).
    id: u32,
}

/// The ids of pattern words, by key and kind.
fn lit_id(key: &str, prefix: bool) -> u32 {
    static IDS: std::sync::Mutex<Option<FxHashMap<(String, bool), u32>>> = std::sync::Mutex::new(None);
    let mut ids = IDS.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
    let ids = ids.get_or_insert_with(FxHashMap::default);
    let next = u32::try_from(ids.len()).unwrap_or(u32::MAX);
    *ids.entry((key.to_string(), prefix)).or_insert(next)
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
        (!key.is_empty()).then(|| Self {
            id: lit_id(&key, prefix),
            key,
            prefix,
        })
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
        negative_rest(unit, lang)
            .is_some_and(|rest| self.matches_form(rest))
            .then_some(true)
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
pub fn find_runs(words: &[Lit], units: &Units, lang: Lang, range: Range<usize>) -> Vec<(usize, usize)> {
    let Some(first) = words.first() else {
        return Vec::new();
    };
    let n = words.len();
    let end = range.end.min(units.len()).saturating_sub(n - 1);
    units
        .starts(first, range.start..end)
        .into_iter()
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
    use proptest::prelude::*;
    use rasad_normalize::tokenize;

    /// What [`find_runs`] finds, by trying every start.
    fn runs_by_scan(words: &[Lit], units: &[Unit], lang: Lang, range: Range<usize>) -> Vec<(usize, usize)> {
        let n = words.len();
        (range.start..range.end.min(units.len()).saturating_sub(n.saturating_sub(1)))
            .filter(|&s| {
                n > 0
                    && words.iter().enumerate().all(|(k, w)| {
                        units
                            .get(s + k)
                            .is_some_and(|u| w.matches(u, lang) == Some(false))
                    })
            })
            .map(|s| (s, s + n))
            .collect()
    }

    const WORDS: &[&str] = &[
        "وقطعت",
        "قطع",
        "العلاقات",
        "نکرد",
        "کرد",
        "می‌کند",
        "محکوم",
        "نفت",
        "the",
        "attack",
        "attacked",
        "هجوم",
        "بالهجوم",
        "ن",
        "نم",
        "cut",
        "ties",
    ];

    proptest! {
        #[test]
        fn the_form_index_finds_what_a_scan_finds(
            text in proptest::collection::vec(proptest::sample::select(WORDS), 0..24),
            pattern in proptest::collection::vec(
                (proptest::sample::select(WORDS), any::<bool>()), 1..4),
            lang in proptest::sample::select(&[Lang::Ar, Lang::Fa, Lang::En][..]),
            from in 0usize..30,
            len in 0usize..30,
        ) {
            let units = units(&tokenize(&text.join(" ")), lang);
            let words: Vec<Lit> = pattern
                .iter()
                .filter_map(|(w, star)| Lit::parse(&format!("{w}{}", if *star { "*" } else { "" })))
                .collect();
            let range = from..from + len;
            prop_assert_eq!(
                find_runs(&words, &units, lang, range.clone()),
                runs_by_scan(&words, &units, lang, range.clone())
            );
            for w in &words {
                let scan: Vec<usize> = (0..units.len())
                    .filter(|&i| w.matches(&units[i], lang).is_some())
                    .collect();
                prop_assert_eq!(units.anchors(w), scan);
                let starts: Vec<usize> = (0..units.len())
                    .filter(|&i| range.contains(&i) && w.matches(&units[i], lang) == Some(false))
                    .collect();
                prop_assert_eq!(units.starts(w, range.clone()), starts);
            }
        }
    }

    fn keys(text: &str, lang: Lang) -> Vec<String> {
        units(&tokenize(text), lang)
            .iter()
            .map(|u| u.key.clone())
            .collect()
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
