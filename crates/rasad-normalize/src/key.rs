//! Search keys: a lossy fold of text that keeps, for every character of the key, the byte range of
//! the original character it came from.

use rasad_model::Span;
use unicode_normalization::UnicodeNormalization;
use unicode_normalization::char::is_combining_mark;

/// A folded string and the original byte range behind each of its characters.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Key {
    pub text: String,
    /// For each character of `text`, in order: its byte offset in `text` and the original span it
    /// came from. Several key characters may share one original span (a ligature unfolds).
    map: Vec<(usize, Span)>,
}

impl Key {
    /// The original span behind a byte range of the key, or `None` when the range is empty or does
    /// not fall on key characters.
    #[must_use]
    pub fn to_original(&self, key_span: Span) -> Option<Span> {
        if key_span.is_empty() {
            return None;
        }
        let first = self.map.binary_search_by_key(&key_span.start, |(k, _)| *k).ok()?;
        let last_start = self.map.iter().rposition(|(k, _)| *k < key_span.end)?;
        let (start, end) = (self.map.get(first)?.1.start, self.map.get(last_start)?.1.end);
        (first <= last_start).then_some(Span::new(start, end))
    }

    /// Byte offsets in the key where each character starts, with the original span of each.
    #[must_use]
    pub fn char_map(&self) -> &[(usize, Span)] {
        &self.map
    }
}

/// Folds one character for matching, or `None` to drop it. Applied after compatibility
/// decomposition and lowercasing, so it sees base letters without their marks.
///
/// The folds, with why:
/// - alef wasla ٱ → ا (alef forms with hamza or madda already lost their mark in decomposition);
/// - Persian and Urdu yeh ی ې ے and alef maksura ى → Arabic yeh ي; Persian kaf ک → Arabic kaf ك: the same
///   names are typed with either keyboard;
/// - teh marbuta ة and Urdu heh forms ہ ۃ ھ → heh ه: منظمة and منظمه are one word to a reader;
/// - Arabic-Indic and Persian digits → ASCII;
/// - tatweel, ZWNJ, ZWJ, bidi controls and soft hyphens are dropped, so that می‌خواهم is one word.
#[must_use]
pub fn fold_char(c: char) -> Option<char> {
    Some(match c {
        'ٱ' => 'ا',
        'ی' | 'ې' | 'ے' | 'ى' | 'ۍ' | 'ێ' => 'ي',
        'ک' | 'ڪ' => 'ك',
        'ة' | 'ہ' | 'ۃ' | 'ھ' | 'ە' => 'ه',
        '\u{0660}'..='\u{0669}' => char::from_u32(u32::from(b'0') + (c as u32 - 0x0660))?,
        '\u{06F0}'..='\u{06F9}' => char::from_u32(u32::from(b'0') + (c as u32 - 0x06F0))?,
        '\u{0640}'
        | '\u{00AD}'
        | '\u{200B}'..='\u{200F}'
        | '\u{202A}'..='\u{202E}'
        | '\u{2066}'..='\u{2069}'
        | '\u{FEFF}' => return None,
        c if is_combining_mark(c) => return None,
        c => c,
    })
}

/// Characters that NFKD leaves alone and whose lowercase is ASCII lowercasing: ASCII, and the
/// Arabic and Persian letters without hamza or madda (most of any text), which skip the
/// decomposition in [`search_key`] (a fast path; the result is the same).
fn is_plain(c: char) -> bool {
    c.is_ascii()
        || matches!(
            c,
            '\u{0621}' | '\u{0627}'
                ..='\u{064A}'
                    | '\u{067E}'
                    | '\u{0686}'
                    | '\u{0698}'
                    | '\u{06A9}'
                    | '\u{06AF}'
                    | '\u{06CC}'
                    | '\u{200C}'
        )
}

/// The search key of `text`: compatibility-decomposed (so Arabic presentation forms and ligatures
/// become letters, and hamza and madda separate from their carriers), lowercased, marks and tashkeel
/// dropped, and the letter folds of [`fold_char`] applied. Total and idempotent.
#[must_use]
pub fn search_key(text: &str) -> Key {
    let mut key = Key {
        text: String::with_capacity(text.len()),
        map: Vec::with_capacity(text.len()),
    };
    for (start, c) in text.char_indices() {
        let original = Span::new(start, start + c.len_utf8());
        if is_plain(c) {
            // Neither decomposition nor case changes it: only the letter folds apply.
            if let Some(folded) = fold_char(c.to_ascii_lowercase()) {
                key.map.push((key.text.len(), original));
                key.text.push(folded);
            }
            continue;
        }
        // Decompose, lowercase, and decompose again: lowercasing can itself yield a mark (İ → i̇).
        for d in std::iter::once(c).nfkd() {
            for lower in d.to_lowercase() {
                for e in std::iter::once(lower).nfkd() {
                    if let Some(folded) = fold_char(e) {
                        key.map.push((key.text.len(), original));
                        key.text.push(folded);
                    }
                }
            }
        }
    }
    key
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn k(s: &str) -> String {
        search_key(s).text
    }

    #[test]
    fn arabic_and_persian_spellings_meet() {
        let cases = [
            // yeh and kaf from either keyboard
            ("ایران", "ايران"),
            ("آمریکا", "امريكا"),
            ("أمريكا", "امريكا"),
            ("امریکا", "امريكا"),
            // alef forms, hamza carriers
            ("إيران", "ايران"),
            ("ٱلله", "الله"),
            ("مسؤول", "مسوول"),
            ("رئيس", "رييس"),
            // teh marbuta
            ("الخارجية", "الخارجيه"),
            ("منظمه", "منظمه"),
            // tashkeel, shadda, tatweel
            ("الخارجيّة", "الخارجيه"),
            ("حمّل", "حمل"),
            ("مـــصر", "مصر"),
            ("كَتَبَ", "كتب"),
            // digits
            ("۱۴۰۱", "1401"),
            ("٢٠٢٢", "2022"),
            // ZWNJ keeps one word
            ("می\u{200C}خواهم", "ميخواهم"),
            // presentation forms and ligatures
            ("\u{FEFB}", "لا"),
            // Latin
            ("NATO Café", "nato cafe"),
        ];
        for (input, expected) in cases {
            assert_eq!(k(input), expected, "{input}");
        }
    }

    /// The key without the fast path, as the definition reads.
    fn slow_key(text: &str) -> String {
        let mut out = String::new();
        for c in text.chars() {
            for d in std::iter::once(c).nfkd() {
                for lower in d.to_lowercase() {
                    for e in std::iter::once(lower).nfkd() {
                        if let Some(folded) = fold_char(e) {
                            out.push(folded);
                        }
                    }
                }
            }
        }
        out
    }

    proptest! {
        #[test]
        fn the_fast_path_changes_nothing(text in "[\\x00-\\x7F\u{0600}-\u{06FF}\u{200C}\u{FB50}-\u{FDFF}]{0,40}") {
            prop_assert_eq!(k(&text), slow_key(&text));
        }
    }

    #[test]
    fn every_plain_char_is_its_own_decomposition() {
        for c in (0..0x0700u32)
            .chain([0x200C])
            .filter_map(char::from_u32)
            .filter(|c| is_plain(*c))
        {
            assert_eq!(k(&c.to_string()), slow_key(&c.to_string()), "U+{:04X}", c as u32);
        }
    }

    #[test]
    fn key_spans_map_back_to_original_bytes() {
        let text = "قال: الخارجيّة ۱۴۰۱";
        let key = search_key(text);
        let at = key.text.find("الخارجيه").unwrap();
        let span = key.to_original(Span::new(at, at + "الخارجيه".len())).unwrap();
        assert_eq!(span.slice(text), Some("الخارجيّة"));
        let at = key.text.find("1401").unwrap();
        assert_eq!(
            key.to_original(Span::new(at, at + 4)).unwrap().slice(text),
            Some("۱۴۰۱")
        );
    }

    proptest! {
        #[test]
        fn search_key_is_idempotent(s in "\\PC*") {
            let once = k(&s);
            prop_assert_eq!(k(&once), once);
        }

        #[test]
        fn search_key_is_idempotent_on_arabic_script(s in "[\u{0600}-\u{06FF}\u{FB50}-\u{FDFF}\u{FE70}-\u{FEFF}\u{200C}\u{200D} ]{0,40}") {
            let once = k(&s);
            prop_assert_eq!(k(&once), once);
        }

        #[test]
        fn every_key_range_maps_inside_the_original(s in "\\PC{0,60}", a in 0usize..200, b in 0usize..200) {
            let key = search_key(&s);
            let (a, b) = (a.min(key.text.len()), b.min(key.text.len()));
            if let Some(span) = key.to_original(Span::new(a, b)) {
                prop_assert!(span.slice(&s).is_some());
            }
            for (at, span) in key.char_map() {
                prop_assert!(key.text.is_char_boundary(*at));
                prop_assert!(span.slice(&s).is_some());
            }
        }
    }
}
