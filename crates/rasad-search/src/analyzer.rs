//! The analyzers: rasad's own word tokens ([`rasad_normalize::tokenize`]) turned into index terms.
//!
//! Every word gives its search key (kaf and yeh, alef and hamza forms, tashkeel, shadda, tatweel,
//! digits and ZWNJ folded, so الخارجيّة and الخارجية, كشور and کشور are one term) and, at the same
//! position, its Snowball stem in the field's language when that differs. A query is analysed with the
//! same function per field, so a Persian query meets Arabic text through the shared key, and
//! inflected forms meet through the stem. Offsets are the word's bytes in the original text, which
//! is what highlighted snippets need.

use rasad_model::Lang;
use tantivy::tokenizer::{Token, TokenStream, Tokenizer};

/// The language groups that get a field each.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Group {
    Ar,
    /// Persian, and Urdu which shares its script and most of its suffixes.
    Fa,
    En,
    /// Undetermined language: keys only, no stems.
    Other,
}

impl Group {
    pub const ALL: [Group; 4] = [Group::Ar, Group::Fa, Group::En, Group::Other];

    #[must_use]
    pub fn of(lang: Lang) -> Group {
        match lang {
            Lang::Ar => Group::Ar,
            Lang::Fa | Lang::Ur => Group::Fa,
            Lang::En => Group::En,
            Lang::Und => Group::Other,
        }
    }

    /// The suffix of this group's field and tokenizer names.
    #[must_use]
    pub fn code(self) -> &'static str {
        match self {
            Group::Ar => "ar",
            Group::Fa => "fa",
            Group::En => "en",
            Group::Other => "xx",
        }
    }

    fn stem_lang(self) -> Option<Lang> {
        match self {
            Group::Ar => Some(Lang::Ar),
            Group::Fa => Some(Lang::Fa),
            Group::En => Some(Lang::En),
            Group::Other => None,
        }
    }

    /// The index terms of one word's search key: the key itself, then its stem when different.
    #[must_use]
    pub fn terms(self, key: &str) -> Vec<String> {
        // Search keys are lowercase already.
        let mut out = vec![key.to_string()];
        if let Some(stem) = self.stem(key) {
            out.push(stem);
        }
        out
    }

    /// The key's stem in this group's language, when there is one and it differs from the key.
    #[must_use]
    pub fn stem(self, key: &str) -> Option<String> {
        let stem = rasad_normalize::snowball_stem(key, self.stem_lang()?)?;
        (!stem.is_empty() && stem != key).then_some(stem)
    }
}

/// The tantivy tokenizer of one language group.
#[derive(Debug, Clone, Copy)]
pub struct RasadTokenizer {
    pub group: Group,
}

/// The tokens of one text, computed at once and handed out one by one.
#[derive(Debug)]
pub struct RasadTokenStream {
    tokens: Vec<Token>,
    next: usize,
    current: Token,
}

impl Tokenizer for RasadTokenizer {
    type TokenStream<'a> = RasadTokenStream;

    fn token_stream<'a>(&'a mut self, text: &'a str) -> RasadTokenStream {
        let mut tokens = Vec::new();
        for (position, word) in rasad_normalize::tokenize(text).into_iter().enumerate() {
            for term in self.group.terms(&word.key) {
                tokens.push(Token {
                    offset_from: word.span.start,
                    offset_to: word.span.end,
                    position,
                    text: term,
                    position_length: 1,
                });
            }
        }
        RasadTokenStream {
            tokens,
            next: 0,
            current: Token::default(),
        }
    }
}

impl TokenStream for RasadTokenStream {
    fn advance(&mut self) -> bool {
        match self.tokens.get_mut(self.next) {
            Some(token) => {
                self.current = std::mem::take(token);
                self.next += 1;
                true
            }
            None => false,
        }
    }

    fn token(&self) -> &Token {
        &self.current
    }

    fn token_mut(&mut self) -> &mut Token {
        &mut self.current
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn texts(group: Group, text: &str) -> Vec<(String, usize, usize, usize)> {
        let mut tokenizer = RasadTokenizer { group };
        let mut stream = tokenizer.token_stream(text);
        let mut out = Vec::new();
        while stream.advance() {
            let t = stream.token();
            out.push((t.text.clone(), t.position, t.offset_from, t.offset_to));
        }
        out
    }

    #[test]
    fn arabic_shadda_and_persian_letters_fold_to_one_key() {
        let shadda = texts(Group::Ar, "الخارجيّة");
        let plain = texts(Group::Ar, "الخارجية");
        assert_eq!(shadda.first().map(|t| &t.0), plain.first().map(|t| &t.0));
        // Persian keheh and farsi yeh against Arabic kaf and yeh.
        let fa = texts(Group::Fa, "کشور ایران");
        let ar = texts(Group::Fa, "كشور ايران");
        assert_eq!(fa, ar);
    }

    #[test]
    fn stems_share_the_word_position_and_offsets() {
        let tokens = texts(Group::En, "Attacks attributed");
        assert!(tokens.contains(&("attacks".into(), 0, 0, 7)));
        assert!(tokens.contains(&("attack".into(), 0, 0, 7)));
        assert!(tokens.iter().any(|t| t.1 == 1 && t.2 == 8 && t.3 == 18));
    }

    #[test]
    fn offsets_are_original_bytes() {
        let text = "قطع  العلاقات";
        for (_, _, from, to) in texts(Group::Ar, text) {
            assert!(text.get(from..to).is_some());
        }
    }

    proptest::proptest! {
        #[test]
        fn any_text_gives_valid_offsets(text in "\\PC{0,80}") {
            for group in Group::ALL {
                let mut last = 0;
                for (term, position, from, to) in texts(group, &text) {
                    proptest::prop_assert!(!term.is_empty());
                    proptest::prop_assert!(from < to && text.get(from..to).is_some());
                    proptest::prop_assert!(position >= last);
                    last = position;
                }
            }
        }
    }
}
