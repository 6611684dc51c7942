//! Normalization for matching and search: lossy search keys with a map back to the original bytes,
//! word tokens, and per-language clitic and suffix analysis.
//!
//! The displayed text is never changed here. [`search_key`] folds a string (NFKC/NFKD compatibility,
//! marks and tashkeel dropped, alef and hamza forms, Arabic/Persian yeh and kaf, teh marbuta, tatweel,
//! digits, ZWNJ) into a key whose every character remembers the original bytes it came from.
//! [`tokenize`] splits text into words that keep ZWNJ compounds whole, each with its key; the
//! per-language modules (`arabic`, `persian`, `english`) give the stems a word may reach.

mod affixes;
pub mod arabic;
pub mod english;
mod key;
pub mod persian;
mod token;

pub use key::{Key, fold_char, search_key};
pub use token::{Token, shared_tokens, tokenize};

use std::cell::RefCell;
use std::rc::Rc;

use rasad_model::Lang;
use rustc_hash::FxHashMap;

/// The forms a word may take once its clitics and inflectional suffixes are set aside, the whole
/// word first. Matchers try them in order, so that a word that merely starts like a clitic (وزير)
/// still matches as itself.
#[must_use]
pub fn candidates(key: &str, lang: Lang) -> Vec<String> {
    shared_candidates(key, lang).to_vec()
}

/// [`candidates`], shared: each thread keeps the analyses of the words it met last (an article's
/// words are analysed by every stage, and news repeats its words), so a word is analysed once.
#[must_use]
pub fn shared_candidates(key: &str, lang: Lang) -> Rc<[String]> {
    thread_local! {
        static SEEN: RefCell<Kept<Rc<[String]>>> = RefCell::default();
    }
    SEEN.with_borrow_mut(|seen| seen.get_or(key, lang, || analyse(key, lang).into()))
}

/// Per language, the analyses of the words a thread met last.
struct Kept<V>([FxHashMap<Box<str>, V>; 5]);

impl<V> Default for Kept<V> {
    fn default() -> Self {
        Self(std::array::from_fn(|_| FxHashMap::default()))
    }
}

impl<V: Clone> Kept<V> {
    /// Words kept per language; the table starts afresh when full.
    const WORDS: usize = 1 << 14;

    fn get_or(&mut self, key: &str, lang: Lang, analyse: impl FnOnce() -> V) -> V {
        let slot = match lang {
            Lang::Ar => 0,
            Lang::Fa => 1,
            Lang::Ur => 2,
            Lang::En => 3,
            Lang::Und => 4,
        };
        let Some(table) = self.0.get_mut(slot) else {
            return analyse();
        };
        if let Some(v) = table.get(key) {
            return v.clone();
        }
        if table.len() >= Self::WORDS {
            table.clear();
        }
        let v = analyse();
        table.insert(key.into(), v.clone());
        v
    }
}

fn analyse(key: &str, lang: Lang) -> Vec<String> {
    match lang {
        Lang::Ar => arabic::candidates(key),
        Lang::Fa | Lang::Ur => persian::candidates(key),
        Lang::En => english::candidates(key),
        // Unknown language: Arabic script gets both analyses, other scripts the English one.
        Lang::Und if key.chars().any(|c| ('\u{0600}'..='\u{06FF}').contains(&c)) => {
            let mut out = arabic::candidates(key);
            for c in persian::candidates(key) {
                if !out.contains(&c) {
                    out.push(c);
                }
            }
            out
        }
        Lang::Und => english::candidates(key),
    }
}

/// A Snowball stem of a search key, for search indexing. `None` for languages without a stemmer.
/// Each thread keeps the stems of the words it met last.
#[must_use]
pub fn snowball_stem(key: &str, lang: Lang) -> Option<String> {
    thread_local! {
        static SEEN: RefCell<Kept<Option<Rc<str>>>> = RefCell::default();
    }
    SEEN.with_borrow_mut(|seen| seen.get_or(key, lang, || stem(key, lang).map(Rc::from)))
        .map(|s| s.to_string())
}

fn stem(key: &str, lang: Lang) -> Option<String> {
    let algorithm = match lang {
        Lang::Ar => frostem::Algorithm::Arabic,
        Lang::Fa => frostem::Algorithm::Persian,
        Lang::En => frostem::Algorithm::English,
        Lang::Ur | Lang::Und => return None,
    };
    Some(frostem::Stemmer::new(algorithm).stem(key).into_owned())
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn the_kept_table_starts_afresh_and_still_answers() {
        let words: Vec<String> = (0..40_000).map(|n| format!("والكتاب{n}ات")).collect();
        for w in &words {
            assert_eq!(candidates(w, Lang::Ar).first(), Some(w));
        }
        for w in words.iter().step_by(997) {
            assert_eq!(candidates(w, Lang::Ar), analyse(w, Lang::Ar));
        }
    }

    proptest! {
        /// The kept analyses are the analyses, asked once or again, in any language.
        #[test]
        fn kept_candidates_are_the_analysis(words in proptest::collection::vec("[وبلالكسفاهيةنتمء-ي a-z']{0,12}", 1..40)) {
            for lang in Lang::ALL {
                for word in words.iter().chain(&words) {
                    let key = search_key(word).text;
                    prop_assert_eq!(candidates(&key, lang), analyse(&key, lang));
                    prop_assert_eq!(snowball_stem(&key, lang), stem(&key, lang));
                }
            }
        }
    }

    /// Which analysis brings inflected forms to the form the entity catalog lists? Words from the
    /// seeds, each with the catalog form it should reach. The light analysis (clitics and suffixes
    /// from the data file) is what the matcher uses; Snowball is kept for search indexing only.
    #[test]
    fn light_analysis_reaches_catalog_forms_more_often_than_snowball() {
        let cases: [(&str, &str, Lang); 12] = [
            ("وألبانيا", "ألبانيا", Lang::Ar),
            ("بألبانيا", "ألبانيا", Lang::Ar),
            ("الألبانية", "ألباني", Lang::Ar),
            ("وطهران", "طهران", Lang::Ar),
            ("الناتو", "ناتو", Lang::Ar),
            ("للأمم", "أمم", Lang::Ar),
            ("والإيرانيون", "إيراني", Lang::Ar),
            ("آلبانیایی", "آلبانیا", Lang::Fa),
            ("ایرانیان", "ایران", Lang::Fa),
            ("کشورهای", "کشور", Lang::Fa),
            ("Iran's", "iran", Lang::En),
            ("attacks", "attack", Lang::En),
        ];
        let (mut light, mut snowball) = (0, 0);
        for (word, target, lang) in cases {
            let key = search_key(word).text;
            let target_key = search_key(target).text;
            if candidates(&key, lang).contains(&target_key) {
                light += 1;
            }
            if snowball_stem(&key, lang) == snowball_stem(&target_key, lang) {
                snowball += 1;
            }
        }
        println!("reach the catalog form: light analysis {light}/12, snowball {snowball}/12");
        assert_eq!(light, 12);
        assert!(light >= snowball);
    }
}
