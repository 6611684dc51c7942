//! Word tokens over the original text, each with its span and search key.

use std::cell::RefCell;
use std::collections::VecDeque;
use std::rc::Rc;

use rasad_model::Span;
use unicode_normalization::char::is_combining_mark;

use crate::search_key;

/// A word of the original text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Token {
    /// Byte range of the word in the text it was cut from.
    pub span: Span,
    /// The word's search key ([`search_key`]).
    pub key: String,
}

/// Whether `c` continues a word: letters, digits, marks (tashkeel), tatweel, and the joiners that
/// hold Persian compounds together (می‌خواهم, کشور‌ها).
fn is_word_char(c: char) -> bool {
    match c {
        // Answered without the Unicode tables for the letters rasad reads most (they were a tenth
        // of the analysis of an Arabic article): Latin, digits, and the Arabic and Persian letters
        // and digits; the same answers as the general case below (tested over every char).
        'a'..='z'
        | 'A'..='Z'
        | '0'..='9'
        | '\u{0621}'..='\u{063A}'
        | '\u{0640}'..='\u{064A}'
        | '\u{0660}'..='\u{0669}'
        | '\u{066E}'..='\u{066F}'
        | '\u{0671}'..='\u{06D3}'
        | '\u{06F0}'..='\u{06F9}' => true,
        _ if c.is_ascii() => false,
        _ => is_word_char_by_tables(c),
    }
}

/// [`is_word_char`] by the Unicode tables alone: the definition the fast paths must agree with.
fn is_word_char_by_tables(c: char) -> bool {
    c.is_alphanumeric() || is_combining_mark(c) || matches!(c, '\u{0640}' | '\u{200C}' | '\u{200D}')
}

/// Splits text into words. An apostrophe between two letters stays inside the word (Iran's);
/// joiners at a word's edge are left out of its span. Words whose key is empty (a lone tatweel)
/// are skipped.
#[must_use]
pub fn tokenize(text: &str) -> Vec<Token> {
    let mut tokens = Vec::new();
    let mut start: Option<usize> = None;
    let mut chars = text.char_indices().peekable();
    while let Some((at, c)) = chars.next() {
        let inner_apostrophe = matches!(c, '\'' | '\u{2019}')
            && start.is_some()
            && chars.peek().is_some_and(|(_, next)| next.is_alphabetic());
        if is_word_char(c) || inner_apostrophe {
            if start.is_none() {
                start = Some(at);
            }
        } else if let Some(s) = start.take() {
            push(&mut tokens, text, s, at);
        }
    }
    if let Some(s) = start {
        push(&mut tokens, text, s, text.len());
    }
    tokens
}

fn push(tokens: &mut Vec<Token>, text: &str, start: usize, end: usize) {
    let Some(word) = text.get(start..end) else { return };
    let trimmed = word.trim_end_matches(['\u{200C}', '\u{200D}']);
    let lead = trimmed.len() - trimmed.trim_start_matches(['\u{200C}', '\u{200D}']).len();
    let word = trimmed.get(lead..).unwrap_or("");
    let key = search_key(word).text;
    if !key.is_empty() {
        tokens.push(Token {
            span: Span::new(start + lead, start + lead + word.len()),
            key,
        });
    }
}

/// [`tokenize`], shared: each thread keeps the tokens of the last few texts it cut, so the stages
/// that read one article (entities, quotes, events, dates) cut it once.
#[must_use]
pub fn shared_tokens(text: &str) -> Rc<[Token]> {
    /// Texts kept per thread (an article's body, its title, a paragraph).
    const TEXTS: usize = 4;
    /// A text and its tokens.
    type Cut = (Box<str>, Rc<[Token]>);
    thread_local! {
        static LAST: RefCell<VecDeque<Cut>> = RefCell::default();
    }
    LAST.with_borrow_mut(|last| {
        if let Some((_, tokens)) = last.iter().find(|(t, _)| **t == *text) {
            return Rc::clone(tokens);
        }
        let tokens: Rc<[Token]> = tokenize(text).into();
        if last.len() >= TEXTS {
            last.pop_front();
        }
        last.push_back((text.into(), Rc::clone(&tokens)));
        tokens
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn the_fast_word_chars_answer_as_the_unicode_tables() {
        for c in (0..=0x10_FFFF).filter_map(char::from_u32) {
            assert_eq!(is_word_char(c), is_word_char_by_tables(c), "U+{:04X}", c as u32);
        }
    }

    fn words(text: &str) -> Vec<&str> {
        tokenize(text)
            .iter()
            .map(|t| t.span.slice(text).unwrap())
            .collect()
    }

    #[test]
    fn zwnj_compounds_stay_whole() {
        assert_eq!(
            words("من می\u{200C}خواهم کشورهای عضو"),
            ["من", "می\u{200C}خواهم", "کشورهای", "عضو"]
        );
        assert_eq!(tokenize("می\u{200C}خواهم")[0].key, "ميخواهم");
    }

    #[test]
    fn punctuation_splits_and_tashkeel_stays_inside() {
        assert_eq!(
            words("وقال راما، \"إنّ الهجوم\"."),
            ["وقال", "راما", "إنّ", "الهجوم"]
        );
        assert_eq!(
            words("Iran's 'denial' of NATO's claim"),
            ["Iran's", "denial", "of", "NATO's", "claim"]
        );
        assert_eq!(
            words("۱۸ شهریور ۱۴۰۱ - ۲۰:۰۰"),
            ["۱۸", "شهریور", "۱۴۰۱", "۲۰", "۰۰"]
        );
    }

    proptest! {
        #[test]
        fn tokens_are_ordered_slices_of_the_text(text in "\\PC{0,120}") {
            let mut last = 0;
            for token in tokenize(&text) {
                prop_assert!(token.span.start >= last);
                prop_assert!(token.span.slice(&text).is_some());
                prop_assert!(!token.key.is_empty());
                last = token.span.end;
            }
        }

        /// Kept tokens are the tokens, whichever of more texts than are kept comes again.
        #[test]
        fn shared_tokens_are_the_tokens(texts in proptest::collection::vec("\\PC{0,40}", 1..8), order in proptest::collection::vec(0usize..8, 1..24)) {
            for i in order {
                let text = &texts[i % texts.len()];
                let kept = shared_tokens(text);
                let cut = tokenize(text);
                prop_assert_eq!(&*kept, cut.as_slice());
            }
        }
    }
}
