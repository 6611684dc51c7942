//! A phrase index over search-key tokens: the longest catalogued phrase starting at a token, with
//! Arabic and Persian clitics and suffixes handled through the text layer's candidates.
//!
//! Phrases are indexed by the space-joined keys of their tokens. At a text token, every candidate
//! form of the word (the whole word first, then without و/ب/ال…, then without suffixes) may begin a
//! phrase, and every later token may continue it in any of its forms, as long as the phrase so far is
//! a known prefix. Punctuation between two tokens ends a phrase: "ألبانيا، إيران" is two names; a
//! quotation mark opening after a space does not (إذاعة "فردا").

use std::rc::Rc;

use rustc_hash::{FxHashMap as HashMap, FxHashSet as HashSet};

use rasad_model::{Lang, Span};
use rasad_normalize::{Token, search_key, shared_candidates, tokenize};

/// How the first letter of a Latin-script phrase token must be written in the text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Case {
    /// Any case (Arabic script, lowercase words).
    Any,
    /// Capitalized: "Jordan" the country, not "jordan".
    Upper,
    /// All capitals: "US" and "AP", not "us" and "ap".
    Acronym,
}

/// One indexed phrase: what it stands for (`value`), and its case rules per token.
#[derive(Debug, Clone)]
struct Entry {
    value: usize,
    case: Vec<Case>,
    /// The languages whose text the phrase holds in, or `None` for all. One Arabic-script word
    /// holds only in its own language (مجلس is a parliament in Persian news and any council in
    /// Arabic), and so does an Arabic name without its article (قاعده is "rule" in Persian).
    only_in: Option<Vec<Lang>>,
}

/// Whether an entry restricted to `only` holds in text of `lang`.
fn holds_in(only: Option<&Vec<Lang>>, lang: Lang) -> bool {
    only.is_none_or(|langs| {
        lang == Lang::Und || langs.contains(&lang) || (lang == Lang::Ur && langs.contains(&Lang::Fa))
    })
}

/// A match of one or more phrases over tokens `start..end`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PhraseMatch {
    /// Token range.
    pub start: usize,
    pub end: usize,
    /// Byte span in the text: from where the name begins inside the first word (after و, ب, ل …)
    /// to the end of the last word.
    pub span: Span,
    /// Values of every phrase that matched this exact token run.
    pub values: Vec<usize>,
}

/// Phrases indexed by token keys.
#[derive(Debug, Clone, Default)]
pub struct PhraseIndex {
    entries: HashMap<String, Vec<Entry>>,
    prefixes: HashSet<String>,
    max_tokens: usize,
}

impl PhraseIndex {
    /// Adds a phrase of language `lang` standing for `value`.
    pub fn insert(&mut self, phrase: &str, lang: Lang, value: usize) {
        let tokens = tokenize(phrase);
        if tokens.is_empty() {
            return;
        }
        let case: Vec<Case> = tokens
            .iter()
            .map(|t| case_of(phrase.get(t.span.start..t.span.end).unwrap_or("")))
            .collect();
        let mut keys: Vec<String> = tokens.iter().map(|t| t.key.clone()).collect();
        let arabic_script = phrase.chars().any(|c| ('\u{0600}'..='\u{06FF}').contains(&c));
        let only_in = (keys.len() == 1 && arabic_script && lang != Lang::Und).then(|| vec![lang]);
        self.insert_keys(&keys, value, &case, only_in);
        // An Arabic name written with the article is also reached through a preposition that
        // swallows its alef (للناتو → ل + لناتو): index the first word without ال too. Not in
        // Persian, where ال is part of borrowed names (القاعده) and a bare قاعده is "rule".
        if lang == Lang::Ar
            && let Some(first) = keys.first_mut()
            && let Some(rest) = first.strip_prefix("ال")
            && rest.chars().count() >= 3
        {
            *first = rest.to_string();
            self.insert_keys(&keys, value, &case, Some(vec![Lang::Ar]));
        }
    }

    fn insert_keys(&mut self, keys: &[String], value: usize, case: &[Case], only_in: Option<Vec<Lang>>) {
        let mut joined = String::new();
        for (i, key) in keys.iter().enumerate() {
            if i > 0 {
                joined.push(' ');
            }
            joined.push_str(key);
            if i + 1 < keys.len() {
                self.prefixes.insert(joined.clone());
            }
        }
        let entries = self.entries.entry(joined).or_default();
        match entries.iter_mut().find(|e| e.value == value) {
            // The same key reached in several ways holds wherever any of them does.
            Some(seen) => match (&mut seen.only_in, only_in) {
                (Some(langs), Some(more)) => {
                    for lang in more {
                        if !langs.contains(&lang) {
                            langs.push(lang);
                        }
                    }
                }
                (slot, None) => *slot = None,
                (None, Some(_)) => {}
            },
            None => entries.push(Entry {
                value,
                case: case.to_vec(),
                only_in,
            }),
        }
        self.max_tokens = self.max_tokens.max(keys.len());
    }

    #[must_use]
    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    /// Every longest, non-overlapping phrase match in `text`, left to right.
    #[must_use]
    pub fn find_all(&self, text: &str, tokens: &[Token], lang: Lang) -> Vec<PhraseMatch> {
        let forms: Vec<Rc<[String]>> = tokens.iter().map(|t| token_forms(t, lang)).collect();
        let mut out = Vec::new();
        let mut i = 0;
        while i < tokens.len() {
            match self.longest_at(text, tokens, &forms, i, lang) {
                Some(m) => {
                    i = m.end;
                    out.push(m);
                }
                None => i += 1,
            }
        }
        out
    }

    /// The longest phrase beginning at token `i`.
    #[must_use]
    pub fn longest_at(
        &self,
        text: &str,
        tokens: &[Token],
        forms: &[Rc<[String]>],
        i: usize,
        lang: Lang,
    ) -> Option<PhraseMatch> {
        let first_forms = forms.get(i)?;
        // Best: most tokens, then the least stripped first word (earlier candidate).
        let mut best: Option<(usize, usize, String, Vec<usize>)> = None;
        for (rank, form) in first_forms.iter().enumerate() {
            if !self.entries.contains_key(form) && !self.prefixes.contains(form) {
                continue;
            }
            let mut stack = vec![(i + 1, form.clone())];
            while let Some((next, joined)) = stack.pop() {
                if let Some(entries) = self.entries.get(&joined) {
                    let values: Vec<usize> = entries
                        .iter()
                        .filter(|e| holds_in(e.only_in.as_ref(), lang))
                        .filter(|e| case_fits(text, tokens, i, &e.case))
                        .map(|e| e.value)
                        .collect();
                    let better = best
                        .as_ref()
                        .is_none_or(|(end, r, _, _)| next > *end || (next == *end && rank < *r));
                    if !values.is_empty() && better {
                        best = Some((next, rank, form.clone(), values));
                    }
                }
                if next - i >= self.max_tokens || !self.prefixes.contains(&joined) {
                    continue;
                }
                if !joined_by_space(text, tokens, next) {
                    continue;
                }
                // Persian ezafe written apart after a final ه ("کره ی شمالی" is کرهٔ شمالی): the
                // lone ی belongs to the word before and the phrase goes on after it.
                let ezafe = joined.ends_with('ه')
                    && tokens
                        .get(next)
                        .is_some_and(|t| matches!(t.key.as_str(), "ی" | "ي"))
                    && joined_by_space(text, tokens, next + 1);
                let next = if ezafe { next + 1 } else { next };
                for f in forms.get(next).into_iter().flat_map(|f| f.iter()) {
                    let extended = format!("{joined} {f}");
                    if self.prefixes.contains(&extended) || self.entries.contains_key(&extended) {
                        stack.push((next + 1, extended));
                    }
                }
            }
        }
        let (end, _, form, values) = best?;
        let first = tokens.get(i)?;
        let last = tokens.get(end - 1)?;
        let start = start_of_form(text, first, &form);
        Some(PhraseMatch {
            start: i,
            end,
            span: Span::new(start, last.span.end),
            values,
        })
    }
}

/// The forms a token may take: its key and, for words, the candidates of its language (by script:
/// a Latin word in an Arabic article is analysed as English).
#[must_use]
pub fn token_forms(token: &Token, lang: Lang) -> Rc<[String]> {
    let arabic_script = token.key.chars().any(|c| ('\u{0600}'..='\u{06FF}').contains(&c));
    let lang = match (arabic_script, lang) {
        (true, Lang::Ar | Lang::Fa | Lang::Ur) => lang,
        (true, _) => Lang::Und,
        (false, _) => Lang::En,
    };
    shared_candidates(&token.key, lang)
}

/// Whether tokens `next - 1` and `next` are separated only by spaces (or a hyphen or ZWNJ).
fn joined_by_space(text: &str, tokens: &[Token], next: usize) -> bool {
    let (Some(prev), Some(cur)) = (next.checked_sub(1).and_then(|p| tokens.get(p)), tokens.get(next)) else {
        return false;
    };
    // A lone dot joins the letters of "U.S."; a dot and a space end a sentence. A quotation mark
    // opening after a space quotes the rest of a name: إذاعة "فردا", وكالة «كان».
    text.get(prev.span.end..cur.span.start).is_some_and(|gap| {
        let opening = gap
            .strip_suffix(['"', '«', '“'])
            .is_some_and(|space| !space.is_empty() && space.chars().all(char::is_whitespace));
        gap == "."
            || opening
            || gap
                .chars()
                .all(|c| c.is_whitespace() || matches!(c, '-' | '\u{200C}'))
    })
}

fn case_of(word: &str) -> Case {
    let letters: Vec<char> = word.chars().filter(|c| c.is_alphabetic()).collect();
    let Some(first) = letters.first() else {
        return Case::Any;
    };
    if !first.is_uppercase() {
        return Case::Any;
    }
    if letters.len() >= 2 && letters.iter().all(|c| c.is_uppercase() || c.is_numeric()) {
        Case::Acronym
    } else {
        Case::Upper
    }
}

fn case_fits(text: &str, tokens: &[Token], start: usize, case: &[Case]) -> bool {
    case.iter().enumerate().all(|(k, rule)| {
        let Some(word) = tokens
            .get(start + k)
            .and_then(|t| text.get(t.span.start..t.span.end))
        else {
            return false;
        };
        match rule {
            Case::Any => true,
            Case::Upper => word.chars().next().is_some_and(char::is_uppercase),
            Case::Acronym => word.chars().filter(|c| c.is_alphabetic()).all(char::is_uppercase),
        }
    })
}

/// Where a candidate form begins inside its word, in original bytes: "والناتو" matched as "الناتو"
/// begins after the و.
fn start_of_form(text: &str, token: &Token, form: &str) -> usize {
    let Some(word) = text.get(token.span.start..token.span.end) else {
        return token.span.start;
    };
    if form == token.key {
        return token.span.start;
    }
    let key = search_key(word);
    // A stripped proclitic leaves the form at the end of the key or inside it; take the last place
    // it occurs, so that a stripped suffix does not move the start.
    let Some(at) = key.text.rfind(form).or_else(|| {
        // The form lost a suffix: find its longest prefix that still ends the proclitic part.
        (1..form.len())
            .rev()
            .filter(|n| form.is_char_boundary(*n))
            .find_map(|n| form.get(..n).and_then(|head| key.text.rfind(head)))
    }) else {
        return token.span.start;
    };
    key.to_original(Span::new(at, key.text.len()))
        .map_or(token.span.start, |s| token.span.start + s.start)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn index_in(lang: Lang, phrases: &[&str]) -> PhraseIndex {
        let mut index = PhraseIndex::default();
        for (i, p) in phrases.iter().enumerate() {
            index.insert(p, lang, i);
        }
        index
    }

    fn index(phrases: &[&str]) -> PhraseIndex {
        index_in(Lang::Ar, phrases)
    }

    fn found(index: &PhraseIndex, text: &str, lang: Lang) -> Vec<(String, Vec<usize>)> {
        let tokens = tokenize(text);
        index
            .find_all(text, &tokens, lang)
            .into_iter()
            .map(|m| (m.span.slice(text).unwrap_or("?").to_string(), m.values))
            .collect()
    }

    #[test]
    fn longest_match_with_clitics() {
        let index = index(&[
            "الناتو",
            "حلف شمال الأطلسي",
            "حلف",
            "إيران",
            "الإمارات العربية المتحدة",
        ]);
        assert_eq!(
            found(&index, "وقال حلف شمال الأطلسي والناتو وللناتو ولإيران", Lang::Ar),
            [
                ("حلف شمال الأطلسي".to_string(), vec![1]),
                ("الناتو".to_string(), vec![0]),
                ("ناتو".to_string(), vec![0]),
                ("إيران".to_string(), vec![3]),
            ]
        );
        // Punctuation breaks a phrase.
        assert_eq!(
            found(&index, "حلف، شمال الأطلسي", Lang::Ar),
            [("حلف".to_string(), vec![2])]
        );
        // A quotation mark opening the rest of a name does not, one closing it does.
        let outlets = index_in(Lang::Ar, &["وكالة كان", "كان"]);
        assert_eq!(
            found(&outlets, "ذكرت وكالة \"کان\" الحكومية", Lang::Ar),
            [("وكالة \"کان".to_string(), vec![0])]
        );
        assert_eq!(
            found(&outlets, "وكالة\" كان", Lang::Ar),
            [("كان".to_string(), vec![1])]
        );
    }

    #[test]
    fn one_arabic_script_word_holds_in_its_own_language() {
        let mut index = PhraseIndex::default();
        index.insert("مجلس", Lang::Fa, 0);
        index.insert("مجلس الأمن", Lang::Ar, 1);
        assert_eq!(found(&index, "مجلس", Lang::Fa), [("مجلس".to_string(), vec![0])]);
        assert!(found(&index, "مجلس", Lang::Ar).is_empty());
        assert_eq!(
            found(&index, "مجلس الأمن", Lang::Fa),
            [("مجلس الأمن".to_string(), vec![1])]
        );
    }

    #[test]
    fn case_rules_for_latin_names() {
        let index = index(&["US", "Jordan", "AP"]);
        assert_eq!(
            found(&index, "the US told us; Jordan and jordan; AP ap", Lang::En),
            [
                ("US".to_string(), vec![0]),
                ("Jordan".to_string(), vec![1]),
                ("AP".to_string(), vec![2])
            ]
        );
    }

    #[test]
    fn persian_ezafe_written_apart() {
        let index = index_in(Lang::Fa, &["کره شمالی"]);
        assert_eq!(
            found(&index, "دولت کره ی شمالی را متهم کرد", Lang::Fa),
            [("کره ی شمالی".to_string(), vec![0])]
        );
    }

    #[test]
    fn persian_suffixes() {
        let index = index_in(Lang::Fa, &["آلبانی", "ایران", "وزارت امور خارجه"]);
        assert_eq!(
            found(
                &index,
                "سخنگوی وزارت امور خارجه ایران درباره دولت‌های آلبانی",
                Lang::Fa
            ),
            [
                ("وزارت امور خارجه".to_string(), vec![2]),
                ("ایران".to_string(), vec![1]),
                ("آلبانی".to_string(), vec![0]),
            ]
        );
    }
}
