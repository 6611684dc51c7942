//! Stable article ids, derived from normalized content so that the same article read twice gets the same id.

use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use unicode_normalization::UnicodeNormalization;

/// A 128-bit content hash written as 32 lowercase hex digits.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(transparent)]
pub struct ArticleId(String);

impl ArticleId {
    /// Derives the id of an article from its outlet, title and cleaned text.
    ///
    /// The outlet is part of the key: two outlets carrying the same wire text are two articles (the
    /// syndication stage groups them), while the same page read twice from any path is one. The
    /// content goes through [`content_key`] first, so whitespace, Unicode composition and invisible
    /// characters do not change the id.
    #[must_use]
    pub fn derive(outlet: Option<&str>, title: Option<&str>, text: &str) -> Self {
        let mut hasher = Sha256::new();
        for part in [outlet.unwrap_or(""), title.unwrap_or(""), text] {
            hasher.update(content_key(part).as_bytes());
            // A separator that content_key never emits keeps ("ab", "c") apart from ("a", "bc").
            hasher.update([0u8]);
        }
        let digest = hasher.finalize();
        let mut hex = String::with_capacity(32);
        for byte in digest.iter().take(16) {
            hex.push(char::from_digit(u32::from(byte >> 4), 16).unwrap_or('0'));
            hex.push(char::from_digit(u32::from(byte & 0xf), 16).unwrap_or('0'));
        }
        Self(hex)
    }

    /// Wraps an id read back from the store or typed by a user.
    #[must_use]
    pub fn from_string(id: String) -> Self {
        Self(id)
    }

    #[must_use]
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl std::fmt::Display for ArticleId {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

/// The conservative normalization behind article ids: NFC, whitespace runs collapsed to one space,
/// format characters (ZWNJ, ZWJ, bidi marks, BOM) and NULs dropped, ends trimmed.
///
/// It deliberately does not fold letters (yeh, kaf, alef forms): two texts that differ in letters are
/// different texts, even when search treats them alike.
#[must_use]
pub fn content_key(text: &str) -> String {
    // Most news text is in NFC already; the quick check says so without composing.
    match unicode_normalization::is_nfc_quick(visible(text)) {
        unicode_normalization::IsNormalized::Yes => collapse_spaces(visible(text), text.len()),
        _ => collapse_spaces(visible(text).nfc(), text.len()),
    }
}

/// The chars of `text` without format characters and NULs. They go before composition, so that
/// dropping a ZWNJ between a letter and its mark cannot leave a sequence that a second pass would
/// compose differently.
fn visible(text: &str) -> impl Iterator<Item = char> + '_ {
    text.chars().filter(|ch| {
        !matches!(ch, '\u{0}' | '\u{200B}'..='\u{200F}' | '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}' | '\u{FEFF}')
    })
}

/// The chars with every run of whitespace one space, and none at the ends.
fn collapse_spaces(chars: impl Iterator<Item = char>, capacity: usize) -> String {
    let mut out = String::with_capacity(capacity);
    let mut pending_space = false;
    for ch in chars {
        if ch.is_whitespace() {
            pending_space = !out.is_empty();
            continue;
        }
        if pending_space {
            out.push(' ');
            pending_space = false;
        }
        out.push(ch);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn same_content_same_id_whatever_the_whitespace() {
        let a = ArticleId::derive(Some("irna.ir"), Some("عنوان"), "متن  خبر\r\nدوم");
        let b = ArticleId::derive(Some("irna.ir"), Some("عنوان"), "  متن خبر دوم\n");
        assert_eq!(a, b);
        assert_eq!(a.as_str().len(), 32);
    }

    #[test]
    fn outlet_and_field_boundaries_matter() {
        let base = ArticleId::derive(Some("a"), Some("t"), "x");
        assert_ne!(base, ArticleId::derive(Some("b"), Some("t"), "x"));
        assert_ne!(
            ArticleId::derive(None, Some("ab"), "c"),
            ArticleId::derive(None, Some("a"), "bc")
        );
    }

    #[test]
    fn letters_are_not_folded() {
        assert_ne!(
            ArticleId::derive(None, None, "ایران"),
            ArticleId::derive(None, None, "ايران")
        );
    }

    /// The key as defined: format characters dropped, then always composed.
    fn content_key_by_composing(text: &str) -> String {
        collapse_spaces(visible(text).nfc(), 0)
    }

    proptest! {
        #[test]
        fn content_key_is_idempotent(s in ".*") {
            let once = content_key(&s);
            prop_assert_eq!(content_key(&once), once);
        }

        #[test]
        fn the_quick_check_keeps_the_key(s in "([eaoA\u{301}\u{308}\u{327}\u{64E}\u{651}\u{654}\u{627}\u{648}\u{6CC}\u{200C}\u{202E} \n]|\\PC){0,30}") {
            prop_assert_eq!(content_key(&s), content_key_by_composing(&s));
        }
    }
}
